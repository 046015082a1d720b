//! The validated knowledge: what the rest of the program reads.
//!
//! Built only by [`super::Knowledge`]'s loaders, after every cross-reference
//! is checked and every regex compiled, so holders of these types never
//! re-check them.

use regex::Regex;

use super::gated::GatedSet;
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

impl PayFigure {
    /// "BLS, 2015": the source with the figure's year.
    pub fn citation(&self) -> Citation {
        Citation {
            source: self.source,
            dating: Dating::Year(self.year),
        }
    }
}

/// How a citation dates its fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dating {
    /// The source gives no date for this fact.
    Undated,
    /// Data from one year, as the source dates it: "BLS, 2015".
    Year(u16),
    /// A projection over a period: "BLS projection, 2014–2024".
    Projection { start: u16, end: u16 },
}

/// Where one fact comes from, exactly as answers cite it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Citation {
    pub source: SourceRef,
    pub dating: Dating,
}

impl Citation {
    /// A citation with no date.
    pub fn undated(source: SourceRef) -> Citation {
        Citation {
            source,
            dating: Dating::Undated,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Overview {
    pub summary: String,
    pub highlights: Vec<String>,
    pub citation: Citation,
}

#[derive(Clone, Debug)]
pub struct Duties {
    pub summary: String,
    pub tasks: Vec<String>,
    /// What they may do with experience, as lower-case phrases.
    pub with_experience: Vec<String>,
    /// What the work is like, one sentence.
    pub environment: String,
    pub citation: Citation,
}

#[derive(Clone, Debug)]
pub struct Workplace {
    pub summary: String,
    pub settings: Vec<String>,
    pub citation: Citation,
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
    /// What the source says about cost.
    pub tuition: String,
    pub citation: Citation,
}

#[derive(Clone, Debug)]
pub struct Certification {
    /// Whether it is required, in the source's terms ("preferred by employers").
    pub status: String,
    pub status_citation: Citation,
    /// Employers' preference for credentials, one sentence.
    pub preference: String,
    pub credential_areas: Vec<String>,
    pub citation: Citation,
    pub advice: String,
    pub advice_citation: Citation,
}

#[derive(Clone, Debug)]
pub struct Outlook {
    pub growth_percent: u8,
    pub period_start: u16,
    pub period_end: u16,
    pub comparison: String,
    /// Always a [`Dating::Projection`] over the period.
    pub citation: Citation,
    pub drivers: Vec<String>,
    pub drivers_citation: Citation,
}

#[derive(Clone, Debug)]
pub struct Alternative {
    pub title: String,
    /// Lower-case names a student may use for it.
    pub aliases: Vec<String>,
    pub description: String,
    pub education: String,
    pub citation: Citation,
}

/// One fact an answer can give, named in the knowledge file by its key
/// (e.g. `pay.average`). The composer knows how to write each one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FactKey {
    OverviewSummary,
    DutiesTasks,
    DutiesWithExperience,
    DutiesEnvironment,
    WorkplaceSettings,
    EducationDegree,
    EducationLength,
    EducationSchools,
    EducationOnline,
    EducationCourses,
    EducationAdvanced,
    EducationTuition,
    EducationAdvice,
    CertificationStatus,
    CertificationPreference,
    CertificationAdvice,
    PayMedian,
    PayAverage,
    PayIndustries,
    PayHighest,
    OutlookGrowth,
    OutlookDrivers,
    AlternativesList,
}

impl FactKey {
    /// Every fact, in the order the knowledge file's comment lists them.
    pub const ALL: [FactKey; 23] = [
        FactKey::OverviewSummary,
        FactKey::DutiesTasks,
        FactKey::DutiesWithExperience,
        FactKey::DutiesEnvironment,
        FactKey::WorkplaceSettings,
        FactKey::EducationDegree,
        FactKey::EducationLength,
        FactKey::EducationSchools,
        FactKey::EducationOnline,
        FactKey::EducationCourses,
        FactKey::EducationAdvanced,
        FactKey::EducationTuition,
        FactKey::EducationAdvice,
        FactKey::CertificationStatus,
        FactKey::CertificationPreference,
        FactKey::CertificationAdvice,
        FactKey::PayMedian,
        FactKey::PayAverage,
        FactKey::PayIndustries,
        FactKey::PayHighest,
        FactKey::OutlookGrowth,
        FactKey::OutlookDrivers,
        FactKey::AlternativesList,
    ];

    /// The key as the knowledge file writes it.
    pub fn name(self) -> &'static str {
        match self {
            FactKey::OverviewSummary => "overview.summary",
            FactKey::DutiesTasks => "duties.tasks",
            FactKey::DutiesWithExperience => "duties.with_experience",
            FactKey::DutiesEnvironment => "duties.environment",
            FactKey::WorkplaceSettings => "workplace.settings",
            FactKey::EducationDegree => "education.degree",
            FactKey::EducationLength => "education.length",
            FactKey::EducationSchools => "education.schools",
            FactKey::EducationOnline => "education.online",
            FactKey::EducationCourses => "education.courses",
            FactKey::EducationAdvanced => "education.advanced",
            FactKey::EducationTuition => "education.tuition",
            FactKey::EducationAdvice => "education.advice",
            FactKey::CertificationStatus => "certification.status",
            FactKey::CertificationPreference => "certification.preference",
            FactKey::CertificationAdvice => "certification.advice",
            FactKey::PayMedian => "pay.median",
            FactKey::PayAverage => "pay.average",
            FactKey::PayIndustries => "pay.industries",
            FactKey::PayHighest => "pay.highest",
            FactKey::OutlookGrowth => "outlook.growth",
            FactKey::OutlookDrivers => "outlook.drivers",
            FactKey::AlternativesList => "alternatives.list",
        }
    }

    /// The fact with this key, if any.
    pub fn from_name(name: &str) -> Option<FactKey> {
        FactKey::ALL.into_iter().find(|key| key.name() == name)
    }
}

/// Which facts an answer gives: `lead` first, then one line of `context`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerPlan {
    pub lead: Vec<FactKey>,
    pub context: Vec<FactKey>,
}

/// How to answer one aspect of a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AspectAnswer {
    /// The source answers it: these facts, the asked one first.
    Covered(AnswerPlan),
    /// The source does not: one plain sentence saying so, then the nearest
    /// facts it does give (possibly none).
    Uncovered { gap: String, closest: Vec<FactKey> },
}

/// One occupation, validated.
#[derive(Clone, Debug)]
pub struct Occupation {
    pub id: String,
    pub title: String,
    /// The other name the source gives the career, if it gives one; the
    /// greeting writes it after "also called a", so it is a name for one
    /// of its people. Not taken from the aliases: those are what students
    /// type ("health information technology" is the field, not its people).
    pub also_called: Option<String>,
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
    /// The short answer per topic, in [`Intent::TOPICS`] order (one each).
    pub briefs: Vec<(Intent, AnswerPlan)>,
    /// The answer per aspect name, as the aspect catalogue names them.
    pub aspect_answers: Vec<(String, AspectAnswer)>,
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

    /// The short answer's plan for `topic` (every topic has one: checked at load).
    pub fn brief(&self, topic: Intent) -> Option<&AnswerPlan> {
        self.briefs
            .iter()
            .find(|(intent, _)| *intent == topic)
            .map(|(_, plan)| plan)
    }

    /// How to answer the aspect called `name`, if the knowledge has it.
    pub fn aspect_answer(&self, name: &str) -> Option<&AspectAnswer> {
        self.aspect_answers
            .iter()
            .find(|(aspect, _)| aspect == name)
            .map(|(_, answer)| answer)
    }

    /// The aspect names an aspect catalogue lists that this occupation has
    /// no answer for, or answers the wrong way (covered vs. not). Run after
    /// the catalogue is loaded; each entry says what is wrong.
    pub fn aspect_answer_gaps<'a>(
        &self,
        catalogue: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        for (name, covered) in catalogue {
            match (self.aspect_answer(name), covered) {
                (None, _) => problems.push(format!("aspect `{name}` has no [[aspect]] answer")),
                (Some(AspectAnswer::Covered(_)), false) => problems.push(format!(
                    "aspect `{name}` is not covered by the source, so its answer needs `gap`, not `lead`"
                )),
                (Some(AspectAnswer::Uncovered { .. }), true) => problems.push(format!(
                    "aspect `{name}` is covered by the source, so its answer needs `lead`, not `gap`"
                )),
                (Some(_), _) => {}
            }
        }
        problems
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
    /// Abbreviation as written in capitals → words (normalised).
    pub capitals: Vec<(String, String)>,
    pub function_words: Vec<String>,
    pub clause_breaks: Vec<String>,
}

/// What decides whether a message is about this career at all.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Every context pattern, in one gated set.
    pub context_set: GatedSet,
    pub subject_slots: Vec<Pattern>,
    /// Every subject slot, in one gated set (ASCII, like every pattern).
    pub subject_slot_set: GatedSet,
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
