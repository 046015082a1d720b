//! The knowledge files exactly as written: serde structs that mirror the
//! TOML, with `deny_unknown_fields` so a misspelt key is an error, and spans
//! on every value a later check may reject, so the error can point at it.
//!
//! Nothing here is checked beyond TOML syntax and types; [`super::model`]
//! builds the validated form.

use serde::Deserialize;
use toml::Spanned;

/// `health-it-specialist.toml`: one occupation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOccupation {
    pub id: String,
    pub title: String,
    /// The other name the source gives the career, for the greeting.
    #[serde(default)]
    pub also_called: Option<Spanned<String>>,
    pub aliases: Vec<Spanned<String>>,
    pub sources: Vec<RawSource>,
    pub overview: RawOverview,
    pub duties: RawDuties,
    pub workplace: RawWorkplace,
    pub education: RawEducation,
    pub certification: RawCertification,
    pub pay: Vec<RawPay>,
    pub outlook: RawOutlook,
    pub alternatives: Vec<RawAlternative>,
    /// Topic name → what a short answer on that topic says.
    pub brief: std::collections::BTreeMap<String, RawAnswerPlan>,
    /// The answer to each aspect of the aspect catalogue.
    #[serde(default)]
    pub aspect: Vec<RawAspectAnswer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: Spanned<String>,
    pub name: String,
    pub short: String,
    pub document: Spanned<String>,
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverview {
    pub summary: String,
    pub highlights: Vec<String>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDuties {
    pub summary: String,
    pub tasks: Vec<String>,
    pub with_experience: Vec<String>,
    pub environment: String,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorkplace {
    pub summary: String,
    pub settings: Vec<String>,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEducation {
    pub typical_degree: String,
    pub field_of_study: String,
    pub length: String,
    pub offered_by: Vec<String>,
    pub online: String,
    pub early_courses: Vec<String>,
    pub later_courses: Vec<String>,
    pub advanced: String,
    pub advice: String,
    pub tuition: String,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCertification {
    pub status: String,
    pub status_source: Spanned<String>,
    pub preference: String,
    pub credential_areas: Vec<String>,
    pub source: Spanned<String>,
    pub advice: String,
    pub advice_source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPay {
    pub label: String,
    pub kind: Spanned<String>,
    pub scope: String,
    pub amount: u32,
    pub period: Spanned<String>,
    pub year: u16,
    pub source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutlook {
    pub growth_percent: u8,
    pub period_start: u16,
    pub period_end: u16,
    pub comparison: String,
    pub source: Spanned<String>,
    pub drivers: Vec<String>,
    pub drivers_source: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    pub title: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub education: String,
    pub source: Spanned<String>,
}

/// Which facts an answer gives: `lead` first, then one line of `context`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnswerPlan {
    pub lead: Vec<Spanned<String>>,
    #[serde(default)]
    pub context: Vec<Spanned<String>>,
}

/// The answer to one aspect: `lead`/`context` when the source covers it,
/// `gap`/`closest` when it does not.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAspectAnswer {
    pub name: Spanned<String>,
    #[serde(default)]
    pub lead: Vec<Spanned<String>>,
    #[serde(default)]
    pub context: Vec<Spanned<String>>,
    pub gap: Option<Spanned<String>>,
    #[serde(default)]
    pub closest: Vec<Spanned<String>>,
}

/// `intents.toml`: the intent table and the lexicon the engine uses.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntentTable {
    pub lexicon: RawLexicon,
    pub scope: RawScope,
    #[serde(rename = "intent")]
    pub intents: Vec<RawIntent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    /// Shorthand and slang, token → replacement words.
    pub replacements: std::collections::BTreeMap<String, String>,
    /// Emoji → words they stand for.
    #[serde(default)]
    pub emoji: std::collections::BTreeMap<String, String>,
    /// Abbreviations read only when written in capitals ("HIT", not the
    /// verb "hit") → the words they stand for.
    #[serde(default)]
    pub capitals: std::collections::BTreeMap<String, String>,
    /// Words that carry no topic: never typo-corrected, ignored when judging
    /// whether a message is short.
    pub function_words: Vec<String>,
    /// Words that split a message into separate questions.
    pub clause_breaks: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScope {
    /// Patterns that show a message is about this career.
    pub context: Vec<Spanned<String>>,
    /// Patterns with a `who` group naming whom a question is about.
    pub subject_slots: Vec<Spanned<String>>,
    /// Words allowed in a `who` group that keep the question on this career.
    pub own_subject_words: Vec<String>,
    /// Other occupations: a question about one of these gets no career answer.
    pub other_occupations: Vec<String>,
    /// Phrases that contain an occupation word but name a place or thing.
    pub occupation_exceptions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntent {
    pub name: Spanned<String>,
    /// How the capabilities reply names this intent.
    pub summary: String,
}
