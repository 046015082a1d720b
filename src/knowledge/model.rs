//! The validated knowledge: what the rest of the program reads.
//!
//! Built only by [`super::Knowledge`]'s loaders, after every cross-reference
//! is checked and every regex compiled, so holders of these types never
//! re-check them.

use regex::Regex;

use crate::intent::Intent;

/// Where a set of facts comes from.
#[derive(Clone, Debug)]
pub struct Source {
    pub id: String,
    /// Full name, e.g. "U.S. Bureau of Labor Statistics".
    pub name: String,
    /// Short name for citations, e.g. "BLS".
    pub short: String,
    /// The source document, relative to the knowledge directory.
    pub document: String,
    pub note: String,
}

/// Index into [`Occupation::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRef(pub(crate) usize);

/// What statistic a pay figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayKind {
    /// Half earn more, half less.
    Median,
    /// Arithmetic mean over all workers.
    Average,
    /// Mean over the workers of one industry.
    IndustryAverage,
}

impl PayKind {
    pub(crate) fn parse(text: &str) -> Option<PayKind> {
        match text {
            "median" => Some(PayKind::Median),
            "average" => Some(PayKind::Average),
            "industry-average" => Some(PayKind::IndustryAverage),
            _ => None,
        }
    }
}

/// The time a pay amount covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayPeriod {
    Year,
    Hour,
}

impl PayPeriod {
    pub(crate) fn parse(text: &str) -> Option<PayPeriod> {
        match text {
            "year" => Some(PayPeriod::Year),
            "hour" => Some(PayPeriod::Hour),
            _ => None,
        }
    }
}

/// One pay figure with everything needed to cite it.
#[derive(Clone, Debug)]
pub struct PayFigure {
    pub label: String,
    pub kind: PayKind,
    pub scope: String,
    /// Whole US dollars.
    pub amount: u32,
    pub period: PayPeriod,
    pub year: u16,
    pub source: SourceRef,
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub summary: String,
    pub highlights: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Duties {
    pub summary: String,
    pub tasks: Vec<String>,
    pub with_experience: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Workplace {
    pub summary: String,
    pub settings: Vec<String>,
    pub environment: String,
}

#[derive(Clone, Debug)]
pub struct Education {
    pub typical_degree: String,
    pub field_of_study: String,
    pub length: String,
    pub offered_by: Vec<String>,
    pub online: String,
    pub early_courses: Vec<String>,
    pub later_courses: Vec<String>,
    pub advanced: String,
    pub advice: String,
}

#[derive(Clone, Debug)]
pub struct Certification {
    pub required: bool,
    pub summary: String,
    pub credential_areas: Vec<String>,
    pub advice: String,
    pub source: SourceRef,
}

#[derive(Clone, Debug)]
pub struct Outlook {
    pub growth_percent: u8,
    pub period_start: u16,
    pub period_end: u16,
    pub comparison: String,
    pub drivers: Vec<String>,
    pub source: SourceRef,
}

#[derive(Clone, Debug)]
pub struct Alternative {
    pub title: String,
    /// Lower-case names a student may use for it.
    pub aliases: Vec<String>,
    pub description: String,
    pub education: String,
}

/// One occupation, validated.
#[derive(Clone, Debug)]
pub struct Occupation {
    pub id: String,
    pub title: String,
    /// Lower-case names a student may use for it.
    pub aliases: Vec<String>,
    pub sources: Vec<Source>,
    pub overview: Overview,
    pub duties: Duties,
    pub workplace: Workplace,
    pub education: Education,
    pub certification: Certification,
    pub pay: Vec<PayFigure>,
    pub outlook: Outlook,
    pub alternatives: Vec<Alternative>,
}

impl Occupation {
    /// The source a reference points at (always valid: checked at load).
    pub fn source(&self, source: SourceRef) -> &Source {
        &self.sources[source.0]
    }

    /// The year of the newest pay figure, the year answers cite.
    pub fn pay_year(&self) -> Option<u16> {
        self.pay.iter().map(|figure| figure.year).max()
    }
}

/// A compiled pattern with the text it came from, for explanations.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub regex: Regex,
    /// Position in its list in the file (0-based), for `--explain`.
    pub index: usize,
}

impl Pattern {
    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }
}

/// One intent of the rules file: how answers and help name it.
#[derive(Clone, Debug)]
pub struct IntentRule {
    pub intent: Intent,
    pub summary: String,
}

/// The words the normaliser and matcher treat specially.
#[derive(Clone, Debug)]
pub struct Lexicon {
    /// Token → replacement words (already normalised).
    pub replacements: Vec<(String, String)>,
    /// Emoji → words.
    pub emoji: Vec<(String, String)>,
    pub function_words: Vec<String>,
    pub clause_breaks: Vec<String>,
}

/// What decides whether a message is about this career at all.
#[derive(Clone, Debug)]
pub struct Scope {
    pub context: Vec<Pattern>,
    pub subject_slots: Vec<Pattern>,
    /// Every subject slot, compiled together (ASCII, like every pattern).
    pub subject_slot_set: regex::RegexSet,
    pub own_subject_words: Vec<String>,
    pub other_occupations: Vec<String>,
    pub occupation_exceptions: Vec<String>,
}

/// The validated intent table: one rule per intent, in [`Intent::ALL`] order.
#[derive(Clone, Debug)]
pub struct IntentTable {
    pub lexicon: Lexicon,
    pub scope: Scope,
    pub rules: Vec<IntentRule>,
}

impl IntentTable {
    pub fn rule(&self, intent: Intent) -> Option<&IntentRule> {
        self.rules.iter().find(|rule| rule.intent == intent)
    }
}
