//! Composes [`Answer`]s from the validated knowledge.
//!
//! Contract: every fact an answer states comes from the knowledge file and
//! is cited exactly as the file records its provenance — "(BLS, 2015)",
//! "(BLS projection, 2014–2024)", "(BLS)" or "(source article)" — once per
//! answer, on the first fact that carries it. The only text added here is
//! connecting prose, which states no fact of its own. Three shapes:
//!
//! - [`Composer::reply`]: the answers to the questions found in a message,
//!   in the asker's order. A question about an aspect leads with the fact
//!   asked, then one line of context; a question about something the source
//!   does not cover says so plainly, then gives the closest fact it does
//!   cover where that helps; a stated figure that is wrong is corrected first.
//! - [`Composer::answer`]: the full card on one topic (`/salary`, "tell me
//!   everything about pay"), or a small-talk reply.
//! - [`Composer::capabilities`] and [`Composer::sources`]: what the bot can
//!   answer, and where its facts come from.
//!
//! Pure: reads one knowledge snapshot, no I/O.

use super::{Answer, Field};
use crate::intent::{Ask, Intent, StatedFigure};
use crate::knowledge::model::{
    AnswerPlan, AspectAnswer, Citation, Dating, FactKey, PayFigure, PayKind, PayPeriod,
};
use crate::knowledge::Knowledge;

/// How the source line of an answer begins when it names one source…
pub const SOURCE_PREFIX: &str = "Source: ";
/// …and when it names several, separated by [`SOURCES_SEPARATOR`].
pub const SOURCES_PREFIX: &str = "Sources: ";
/// Between the citations of a source line.
pub const SOURCES_SEPARATOR: &str = " · ";

/// Longest other-occupation name an answer repeats back; longer or unusual
/// names are called "that occupation".
const MAX_SUBJECT_CHARS: usize = 40;

/// A stated figure within this fraction of a known one is "close" to it.
const CLOSE_FRACTION: f64 = 0.03;

/// Stated non-percentage figures below this are not compared with yearly pay
/// (they are hourly rates, counts or years).
const SMALLEST_YEARLY_PAY: f64 = 5000.0;

/// A question naming every covered aspect of a topic gets the full card
/// when the topic has at least this many (fewer is a short answer anyway).
const MIN_ASPECTS_FOR_CARD: usize = 3;

/// Builds answers from one knowledge snapshot.
#[derive(Clone, Copy, Debug)]
pub struct Composer<'k> {
    knowledge: &'k Knowledge,
}

/// "$40,430".
pub fn dollars(amount: u32) -> String {
    let digits = amount.to_string();
    let mut out = String::from("$");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The citations an answer's source line names, in order ("BLS, 2015").
pub fn cited_sources(answer: &Answer) -> Vec<String> {
    let Some(line) = answer.source.as_deref() else {
        return Vec::new();
    };
    let list = line
        .strip_prefix(SOURCES_PREFIX)
        .or_else(|| line.strip_prefix(SOURCE_PREFIX))
        .unwrap_or(line);
    list.split(SOURCES_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("• {item}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with its first letter lower-cased, unless it starts an acronym.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

/// `text` with its first letter upper-cased.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An occupation name safe to repeat back: plain lower-case words only, so
/// nothing a user types can add markup, a link or a ping to an answer.
fn plain_subject(subject: &str) -> Option<String> {
    let subject = subject.trim().to_lowercase();
    let plain = !subject.is_empty()
        && subject.chars().count() <= MAX_SUBJECT_CHARS
        && subject.split(' ').count() <= 4
        && subject
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-');
    plain.then_some(subject)
}

/// One fact as written in an answer.
#[derive(Clone, Debug)]
struct Written {
    /// A full sentence, or a heading sentence ending in ':' then bullets.
    text: String,
    citation: Citation,
    /// For pay figures: the clause a context line uses ("the median was
    /// $37,110 a year").
    clause: Option<String>,
    /// For pay figures: the year they are from.
    pay_year: Option<u16>,
    /// For a single pay figure: its figure line, shown as a field when the
    /// figure is context rather than the fact asked.
    field: Option<Field>,
}

/// Prose under construction: paragraphs, and the citations already given
/// (each is given once per answer).
#[derive(Debug, Default)]
struct Prose {
    paragraphs: Vec<String>,
    cited: Vec<Citation>,
}

impl Prose {
    /// `text` with `citation` inserted before the closing punctuation of its
    /// first line ("… $40,430 a year (BLS, 2015)."), or after it when that
    /// line holds several sentences, unless this answer already gave that
    /// citation.
    fn cite(&mut self, composer: &Composer<'_>, text: &str, citation: Citation) -> String {
        if self.cited.contains(&citation) {
            return text.to_string();
        }
        self.cited.push(citation);
        let mark = format!(" ({})", composer.citation(citation));
        let (first, rest) = match text.find('\n') {
            Some(i) => (&text[..i], &text[i..]),
            None => (text, ""),
        };
        let first = first.trim_end();
        // A paragraph of several sentences is cited as a whole, after it.
        let several = first.contains(". ");
        match first.char_indices().last() {
            Some((i, c)) if matches!(c, '.' | ':' | '?' | '!') && !several => {
                format!("{}{mark}{c}{rest}", &first[..i])
            }
            _ => format!("{first}{mark}{rest}"),
        }
    }

    fn push(&mut self, paragraph: String) {
        if !paragraph.trim().is_empty() {
            self.paragraphs.push(paragraph);
        }
    }

    fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// What one message's answers have already given, so later answers in the
/// same reply do not repeat context and follow-ups never offer it again.
#[derive(Debug, Default)]
struct Given {
    facts: Vec<FactKey>,
    topics: Vec<Intent>,
}

impl Given {
    fn add_facts(&mut self, facts: &[FactKey]) {
        for fact in facts {
            if !self.facts.contains(fact) {
                self.facts.push(*fact);
            }
        }
    }
}

/// A follow-up question and the facts its answer leads with.
struct FollowUp {
    question: &'static str,
    topic: Intent,
    leads_with: FactKey,
}

const FOLLOW_UPS: [FollowUp; 11] = [
    FollowUp {
        question: "How much do they make?",
        topic: Intent::Salary,
        leads_with: FactKey::PayMedian,
    },
    FollowUp {
        question: "Which industry pays the most?",
        topic: Intent::Salary,
        leads_with: FactKey::PayHighest,
    },
    FollowUp {
        question: "What degree do I need?",
        topic: Intent::Education,
        leads_with: FactKey::EducationDegree,
    },
    FollowUp {
        question: "Can I study online?",
        topic: Intent::Education,
        leads_with: FactKey::EducationOnline,
    },
    FollowUp {
        question: "What courses would I take?",
        topic: Intent::Education,
        leads_with: FactKey::EducationCourses,
    },
    FollowUp {
        question: "Do I need a certification?",
        topic: Intent::Certification,
        leads_with: FactKey::CertificationStatus,
    },
    FollowUp {
        question: "What do they do day to day?",
        topic: Intent::Duties,
        leads_with: FactKey::DutiesTasks,
    },
    FollowUp {
        question: "Where do they work?",
        topic: Intent::Workplace,
        leads_with: FactKey::WorkplaceSettings,
    },
    FollowUp {
        question: "Is the field growing?",
        topic: Intent::Outlook,
        leads_with: FactKey::OutlookGrowth,
    },
    FollowUp {
        question: "Why is it growing?",
        topic: Intent::Outlook,
        leads_with: FactKey::OutlookDrivers,
    },
    FollowUp {
        question: "What are similar careers?",
        topic: Intent::Alternatives,
        leads_with: FactKey::AlternativesList,
    },
];

/// What students tend to ask next after a topic, as indexes into
/// [`FOLLOW_UPS`], most likely first.
fn next_questions(after: Option<Intent>) -> &'static [usize] {
    match after {
        Some(Intent::Salary) => &[2, 8, 1, 5],
        Some(Intent::Education) => &[5, 4, 3, 0],
        Some(Intent::Certification) => &[2, 0, 8],
        Some(Intent::Outlook) => &[0, 9, 2],
        Some(Intent::Duties) => &[7, 2, 0],
        Some(Intent::Workplace) => &[6, 0, 2],
        Some(Intent::Overview) => &[6, 0, 2],
        Some(Intent::Alternatives) => &[0, 2, 6],
        _ => &[0, 2, 8, 6],
    }
}

/// How many follow-up questions an answer offers.
const FOLLOW_UP_COUNT: usize = 3;

impl<'k> Composer<'k> {
    pub fn new(knowledge: &'k Knowledge) -> Composer<'k> {
        Composer { knowledge }
    }

    fn title(&self) -> &str {
        &self.knowledge.occupation.title
    }

    /// The occupation's other name, as its source gives it (`also_called`
    /// in the knowledge file).
    fn also_called(&self) -> Option<&str> {
        self.knowledge.occupation.also_called.as_deref()
    }

    /// "BLS, 2015", "BLS projection, 2014–2024", "BLS", "source article".
    pub fn citation(&self, citation: Citation) -> String {
        let short = &self.knowledge.occupation.source(citation.source).short;
        match citation.dating {
            Dating::Undated => short.clone(),
            Dating::Year(year) => format!("{short}, {year}"),
            Dating::Projection { start, end } => format!("{short} projection, {start}–{end}"),
        }
    }

    /// The source line recapping the citations an answer gave.
    fn source_line(&self, cited: &[Citation]) -> Option<String> {
        let names: Vec<String> = cited.iter().map(|c| self.citation(*c)).collect();
        match names.as_slice() {
            [] => None,
            [one] => Some(format!("{SOURCE_PREFIX}{one}")),
            many => Some(format!("{SOURCES_PREFIX}{}", many.join(SOURCES_SEPARATOR))),
        }
    }

    /// The topic's heading, the same for its full card and short answers.
    fn topic_title(&self, topic: Intent) -> String {
        match topic {
            Intent::Overview => format!("What is a {}?", self.title()),
            Intent::Duties => "Duties".into(),
            Intent::Workplace => "Where they work".into(),
            Intent::Education => "Education".into(),
            Intent::Certification => "Certification".into(),
            Intent::Salary => "Salary".into(),
            Intent::Outlook => "Job outlook".into(),
            Intent::Alternatives => "Related careers".into(),
            other => other.name().into(),
        }
    }

    /// How the capabilities reply names a topic.
    fn topic_phrase(topic: Intent) -> &'static str {
        match topic {
            Intent::Overview => "what the job is",
            Intent::Duties => "daily duties",
            Intent::Workplace => "where they work",
            Intent::Education => "education",
            Intent::Certification => "certification",
            Intent::Salary => "pay",
            Intent::Outlook => "job outlook",
            Intent::Alternatives => "related careers",
            _ => "",
        }
    }

    fn topic_list(&self) -> String {
        let names: Vec<String> = Intent::TOPICS
            .iter()
            .map(|&t| Self::topic_phrase(t).to_string())
            .collect();
        join_words(&names)
    }

    // ---- facts ----------------------------------------------------------

    fn pay_of(&self, kind: PayKind) -> impl Iterator<Item = &'k PayFigure> {
        self.knowledge
            .occupation
            .pay
            .iter()
            .filter(move |figure| figure.kind == kind)
    }

    fn period_word(figure: &PayFigure) -> &'static str {
        match figure.period {
            PayPeriod::Year => "a year",
            PayPeriod::Hour => "an hour",
        }
    }

    /// "the median salary", "the average salary", "the average in general
    /// medical and surgical hospitals".
    fn pay_name(figure: &PayFigure) -> String {
        match figure.kind {
            PayKind::Median => "the median salary".into(),
            PayKind::Average => "the average salary".into(),
            PayKind::IndustryAverage => {
                format!("the average in {}", lower_first(&figure.label))
            }
        }
    }

    /// The figure line: "Median (2015)" / "$37,110 a year — all specialists".
    pub fn figure_field(&self, figure: &PayFigure) -> Field {
        Self::figure_line(figure)
    }

    fn figure_line(figure: &PayFigure) -> Field {
        Field {
            name: format!("{} ({})", figure.label, figure.year),
            value: format!(
                "{} {} — {}",
                dollars(figure.amount),
                Self::period_word(figure),
                figure.scope
            ),
            inline: false,
        }
    }

    fn pay_fact(figure: &PayFigure) -> Written {
        let name = Self::pay_name(figure);
        Written {
            text: format!(
                "{} in {} was {} {}.",
                upper_first(&name),
                figure.year,
                dollars(figure.amount),
                Self::period_word(figure)
            ),
            citation: figure.citation(),
            clause: Some(format!(
                "{} was {} {}",
                name.replace(" salary", ""),
                dollars(figure.amount),
                Self::period_word(figure)
            )),
            pay_year: Some(figure.year),
            field: Some(Self::figure_line(figure)),
        }
    }

    fn plain(text: String, citation: Citation) -> Written {
        Written {
            text,
            citation,
            clause: None,
            pay_year: None,
            field: None,
        }
    }

    /// The fact `key` as written in an answer; `None` only when the
    /// knowledge has no figure of that kind.
    fn fact(&self, key: FactKey) -> Option<Written> {
        let o = &self.knowledge.occupation;
        let e = &o.education;
        let c = &o.certification;
        let out = &o.outlook;
        let written = match key {
            FactKey::OverviewSummary => {
                Self::plain(o.overview.summary.clone(), o.overview.citation)
            }
            FactKey::DutiesTasks => Self::plain(
                format!("{}\n{}", o.duties.summary, bullets(&o.duties.tasks)),
                o.duties.citation,
            ),
            FactKey::DutiesWithExperience => Self::plain(
                format!(
                    "With experience and seniority, they may also {}.",
                    join_words(&o.duties.with_experience)
                ),
                o.duties.citation,
            ),
            FactKey::DutiesEnvironment => {
                Self::plain(o.duties.environment.clone(), o.duties.citation)
            }
            FactKey::WorkplaceSettings => Self::plain(
                format!(
                    "{}\nEmployers the article names:\n{}",
                    o.workplace.summary,
                    bullets(&o.workplace.settings)
                ),
                o.workplace.citation,
            ),
            FactKey::EducationDegree => Self::plain(
                format!(
                    "Most positions ask for an {} in {}.",
                    e.typical_degree.to_lowercase(),
                    e.field_of_study.to_lowercase()
                ),
                e.citation,
            ),
            FactKey::EducationLength => Self::plain(
                format!(
                    "The {} takes {}.",
                    e.typical_degree.to_lowercase(),
                    e.length
                ),
                e.citation,
            ),
            FactKey::EducationSchools => Self::plain(
                format!("The degree is offered by {}.", join_words(&e.offered_by)),
                e.citation,
            ),
            FactKey::EducationOnline => Self::plain(e.online.clone(), e.citation),
            FactKey::EducationCourses => Self::plain(
                format!(
                    "Programs start with {}, then move on to {}.",
                    join_words(&e.early_courses),
                    join_words(&e.later_courses)
                ),
                e.citation,
            ),
            FactKey::EducationAdvanced => Self::plain(e.advanced.clone(), e.citation),
            FactKey::EducationTuition => Self::plain(e.tuition.clone(), e.citation),
            FactKey::EducationAdvice => Self::plain(e.advice.clone(), e.citation),
            FactKey::CertificationStatus => Self::plain(c.status.clone(), c.status_citation),
            FactKey::CertificationPreference => Self::plain(c.preference.clone(), c.citation),
            FactKey::CertificationAdvice => Self::plain(c.advice.clone(), c.advice_citation),
            FactKey::PayMedian => Self::pay_fact(self.pay_of(PayKind::Median).next()?),
            FactKey::PayAverage => Self::pay_fact(self.pay_of(PayKind::Average).next()?),
            FactKey::PayIndustries => {
                let figures: Vec<&PayFigure> = self.pay_of(PayKind::IndustryAverage).collect();
                let first = figures.first()?;
                let lines: Vec<String> = figures
                    .iter()
                    .map(|f| {
                        let field = self.figure_field(f);
                        format!("{}: {}", field.name, field.value)
                    })
                    .collect();
                Written {
                    text: format!(
                        "Pay differs by industry; the article gives these industry averages:\n{}",
                        bullets(&lines)
                    ),
                    citation: first.citation(),
                    clause: None,
                    pay_year: Some(first.year),
                    field: None,
                }
            }
            FactKey::PayHighest => {
                let top = self
                    .pay_of(PayKind::IndustryAverage)
                    .max_by_key(|f| f.amount)?;
                Written {
                    text: format!(
                        "The highest average annual wage by industry in {} was in {}: {} {}.",
                        top.year,
                        lower_first(&top.label),
                        dollars(top.amount),
                        Self::period_word(top)
                    ),
                    citation: top.citation(),
                    clause: None,
                    pay_year: Some(top.year),
                    field: None,
                }
            }
            FactKey::OutlookGrowth => Self::plain(
                format!(
                    "The BLS predicted employment would grow {}% from {} to {}, {}.",
                    out.growth_percent, out.period_start, out.period_end, out.comparison
                ),
                out.citation,
            ),
            FactKey::OutlookDrivers => Self::plain(
                format!(
                    "The article attributes the growth to {}.",
                    join_words(&out.drivers)
                ),
                out.drivers_citation,
            ),
            FactKey::AlternativesList => {
                let first = o.alternatives.first()?;
                let lines: Vec<String> = o
                    .alternatives
                    .iter()
                    .map(|alt| {
                        format!(
                            "{}: {} Education: {}.",
                            alt.title,
                            alt.description,
                            lower_first(&alt.education)
                        )
                    })
                    .collect();
                Self::plain(
                    format!(
                        "The article names these related careers:\n{}",
                        bullets(&lines)
                    ),
                    first.citation,
                )
            }
        };
        Some(written)
    }

    /// Writes `lead` facts, then one line of `context` (facts not already
    /// given) on a line of its own, ending (`with_year_note`) with the year
    /// of any pay figures. With `figures_as_fields`, context that is only
    /// pay figures is returned as figure lines instead (the asked figure
    /// stays in the prose, the rest goes beside it). Records what it gave in
    /// `given`.
    fn write_plan(
        &self,
        prose: &mut Prose,
        lead: &[FactKey],
        context: &[FactKey],
        given: &mut Vec<FactKey>,
        with_year_note: bool,
        figures_as_fields: bool,
    ) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut pay_years: Vec<u16> = Vec::new();
        // Sentences of the paragraph being written; a fact with a list is a
        // paragraph of its own.
        let mut sentences: Vec<String> = Vec::new();
        let write = |text: String, sentences: &mut Vec<String>, prose: &mut Prose| {
            if text.contains('\n') {
                if !sentences.is_empty() {
                    prose.push(sentences.join(" "));
                    sentences.clear();
                }
                prose.push(text);
            } else {
                sentences.push(text);
            }
        };
        for &key in lead {
            if given.contains(&key) {
                continue;
            }
            let Some(fact) = self.fact(key) else { continue };
            given.push(key);
            pay_years.extend(fact.pay_year);
            let text = prose.cite(self, &fact.text, fact.citation);
            write(text, &mut sentences, prose);
        }
        let mut lead_text = sentences.join(" ");
        sentences.clear();

        let context: Vec<(FactKey, Written)> = context
            .iter()
            .filter(|key| !given.contains(key))
            .filter_map(|&key| self.fact(key).map(|fact| (key, fact)))
            .collect();
        for (key, fact) in &context {
            given.push(*key);
            pay_years.extend(fact.pay_year);
        }
        // A list in the context is a paragraph of its own: the lead goes first.
        if context.iter().any(|(_, f)| f.text.contains('\n')) && !lead_text.is_empty() {
            prose.push(std::mem::take(&mut lead_text));
        }
        if figures_as_fields
            && !context.is_empty()
            && context.iter().all(|(_, f)| f.field.is_some())
        {
            for (_, fact) in &context {
                if let Some(mut field) = fact.field.clone() {
                    if !prose.cited.contains(&fact.citation) {
                        prose.cited.push(fact.citation);
                        field.value = format!("{} ({})", field.value, self.citation(fact.citation));
                    }
                    fields.push(field);
                }
            }
        } else if !context.is_empty() && context.iter().all(|(_, f)| f.clause.is_some()) {
            // Pay figures as one comparison line, cited once at its end.
            let clauses: Vec<String> = context
                .iter()
                .filter_map(|(_, f)| f.clause.clone())
                .collect();
            let mut line = format!("For comparison, {}.", join_words(&clauses));
            for (_, fact) in &context {
                line = prose.cite(self, &line, fact.citation);
            }
            sentences.push(line);
        } else {
            for (_, fact) in &context {
                let text = prose.cite(self, &fact.text, fact.citation);
                write(text, &mut sentences, prose);
            }
        }
        pay_years.sort_unstable();
        pay_years.dedup();
        let year_note = match pay_years.as_slice() {
            _ if !with_year_note => None,
            [] => None,
            [year] => Some(format!(
                "These figures are from {year}; the article gives none more recent."
            )),
            years => {
                let years: Vec<String> = years.iter().map(u16::to_string).collect();
                Some(format!("These figures are from {}.", join_words(&years)))
            }
        };
        let context_text = sentences.join(" ");
        match (lead_text.is_empty(), context_text.is_empty()) {
            (_, false) => {
                let mut context_text = context_text;
                if let Some(note) = year_note {
                    context_text.push(' ');
                    context_text.push_str(&note);
                }
                if lead_text.is_empty() {
                    prose.push(context_text);
                } else {
                    prose.push(format!("{lead_text}\n{context_text}"));
                }
            }
            (false, true) => match year_note {
                Some(note) => prose.push(format!("{lead_text} {note}")),
                None => prose.push(lead_text),
            },
            (true, true) => {
                // Only the note is left (the lead was given by a correction):
                // it closes the paragraph before.
                if let Some(note) = year_note {
                    match prose.paragraphs.last_mut() {
                        Some(last) if !last.contains('\n') => {
                            last.push(' ');
                            last.push_str(&note);
                        }
                        _ => prose.push(note),
                    }
                }
            }
        }
        fields
    }

    // ---- whole messages -----------------------------------------------

    /// The answers to the questions found in one message, in the asker's
    /// order: one answer per question (a question asked twice is answered
    /// once). Follow-up suggestions go on the last answer and never offer
    /// what this reply already answered. Empty when no question is one the
    /// bot answers (the caller then gives [`Composer::capabilities`]).
    pub fn reply(&self, asks: &[Ask]) -> Vec<Answer> {
        let mut given = Given::default();
        let mut answers: Vec<Answer> = Vec::new();
        let mut seen: Vec<&Ask> = Vec::new();
        let mut last_topic = None;
        for ask in asks {
            if seen.contains(&ask) {
                continue;
            }
            seen.push(ask);
            if let Some(answer) = self.answer_ask(ask, &mut given) {
                if let Some(topic) = ask.intent.filter(|i| i.is_topic()) {
                    last_topic = Some(topic);
                }
                answers.push(answer);
            }
        }
        let only_small_talk = asks
            .iter()
            .all(|ask| ask.intent.is_some_and(|i| !i.is_topic()));
        if let Some(last) = answers.last_mut() {
            if !only_small_talk {
                last.follow_ups = self.follow_ups_after(last_topic, &given);
            }
        }
        answers
    }

    /// The answer to one question, or `None` when it asks nothing the bot
    /// answers or says anything about.
    fn answer_ask(&self, ask: &Ask, given: &mut Given) -> Option<Answer> {
        let topic = ask.intent.filter(|i| i.is_topic());
        if let Some(small_talk) = ask.intent.filter(|i| !i.is_topic()) {
            if ask.aspects.is_empty() && ask.uncovered.is_empty() {
                return Some(self.answer(small_talk));
            }
        }
        let occupation = &self.knowledge.occupation;
        let mut lead: Vec<FactKey> = Vec::new();
        let mut context: Vec<FactKey> = Vec::new();
        let mut gaps: Vec<String> = Vec::new();
        let mut closest: Vec<FactKey> = Vec::new();
        for name in &ask.aspects {
            match occupation.aspect_answer(name) {
                Some(AspectAnswer::Covered(plan)) => {
                    lead.extend(&plan.lead);
                    context.extend(&plan.context);
                }
                Some(AspectAnswer::Uncovered { gap, closest: near }) => {
                    gaps.push(gap.clone());
                    closest.extend(near);
                }
                // An aspect without an answer of its own falls back to the
                // topic's short answer (validation reports it at load).
                None => {}
            }
        }
        for name in &ask.uncovered {
            match occupation.aspect_answer(name) {
                Some(AspectAnswer::Uncovered { gap, closest: near }) => {
                    gaps.push(gap.clone());
                    closest.extend(near);
                }
                _ => gaps.push(format!(
                    "The article doesn't cover {}.",
                    plain_subject(name).unwrap_or_else(|| "that".into())
                )),
            }
        }
        // Every covered aspect of a topic at once ("tell me everything about
        // pay") gets the full card.
        if let Some(topic) = topic {
            let covered: Vec<&str> = self
                .knowledge
                .aspects
                .aspects
                .iter()
                .filter(|aspect| aspect.topic == topic && aspect.covered)
                .map(|aspect| aspect.name.as_str())
                .collect();
            if covered.len() >= MIN_ASPECTS_FOR_CARD
                && ask.uncovered.is_empty()
                && ask.stated.is_empty()
                && covered
                    .iter()
                    .all(|name| ask.aspects.iter().any(|asked| asked == name))
            {
                let card = self.answer(topic);
                given.topics.push(topic);
                let facts: Vec<FactKey> = FOLLOW_UPS
                    .iter()
                    .filter(|f| f.topic == topic)
                    .map(|f| f.leads_with)
                    .collect();
                given.add_facts(&facts);
                return Some(card);
            }
        }
        let brief = topic.and_then(|t| occupation.brief(t));
        if lead.is_empty() && gaps.is_empty() {
            if let Some(AnswerPlan {
                lead: brief_lead,
                context: brief_context,
            }) = brief
            {
                lead.extend(brief_lead);
                context.extend(brief_context);
            }
        }
        // The narrower fact leads when a question asks a broad and a narrow
        // one together ("which industry pays the most"): the broad one
        // becomes context.
        for (narrow, broad) in [
            (FactKey::PayHighest, FactKey::PayIndustries),
            (FactKey::OutlookDrivers, FactKey::OutlookGrowth),
        ] {
            if lead.contains(&narrow) && lead.contains(&broad) {
                lead.retain(|key| *key != broad);
                context.insert(0, broad);
            }
        }
        dedup(&mut lead);
        context.retain(|key| !lead.contains(key));
        dedup(&mut context);
        dedup(&mut closest);
        gaps.dedup();

        let other = ask.other_subject.as_deref();
        if lead.is_empty() && gaps.is_empty() {
            return other.map(|subject| self.other_subject(subject, topic));
        }

        let mut prose = Prose::default();
        let mut facts_given: Vec<FactKey> = Vec::new();
        if !lead.is_empty() {
            if let Some(correction) = self.correction(&ask.stated, topic, &lead) {
                let mut sentences = vec![correction.verdict];
                if let Some((text, citation)) = correction.fact {
                    sentences.push(prose.cite(self, &text, citation));
                }
                sentences.extend(correction.instead);
                prose.push(sentences.join(" "));
                facts_given.extend(correction.facts);
            }
        }
        // Context already given earlier in this reply is not repeated.
        context.retain(|key| !given.facts.contains(key));
        let fields = self.write_plan(&mut prose, &lead, &context, &mut facts_given, true, true);
        if !gaps.is_empty() {
            prose.push(gaps.join(" "));
            let near: Vec<FactKey> = closest
                .into_iter()
                .filter(|key| !facts_given.contains(key) && !given.facts.contains(key))
                .collect();
            if let Some((first, rest)) = near.split_first() {
                let mut closest_prose = Prose {
                    paragraphs: Vec::new(),
                    cited: prose.cited.clone(),
                };
                self.write_plan(
                    &mut closest_prose,
                    &[*first],
                    rest,
                    &mut facts_given,
                    false,
                    false,
                );
                prose.cited = closest_prose.cited;
                if let Some((opening, others)) = closest_prose.paragraphs.split_first() {
                    let opening = match opening.strip_prefix("The article ") {
                        Some(rest) => format!("it {rest}"),
                        None => lower_first(opening),
                    };
                    prose.push(format!("What the article does say: {opening}"));
                    for paragraph in others {
                        prose.push(paragraph.clone());
                    }
                }
            } else if topic.is_none() {
                // Say what the article does cover on the topics asked about.
                let topics: Vec<Intent> = ask
                    .uncovered
                    .iter()
                    .filter_map(|name| self.knowledge.aspects.get(name))
                    .map(|aspect| aspect.topic)
                    .collect();
                let offers: Vec<String> = FOLLOW_UPS
                    .iter()
                    .filter(|f| topics.contains(&f.topic))
                    .take(2)
                    .map(|f| format!("“{}”", f.question))
                    .collect();
                if offers.is_empty() {
                    prose.push(format!(
                        "I can tell you about {} from the article.",
                        self.topic_list()
                    ));
                } else {
                    prose.push(format!(
                        "What it does cover, you can ask me: {}",
                        join_words(&offers).replace(" and ", " or ")
                    ));
                }
            }
        }
        if let Some(subject) = other {
            prose.push(self.other_subject_sentence(subject));
        }
        given.add_facts(&facts_given);
        if let Some(topic) = topic {
            given.topics.push(topic);
        }
        let title = match topic {
            Some(topic) => self.topic_title(topic),
            None => "Not in my source".into(),
        };
        Some(Answer {
            intent: topic,
            title,
            body: prose.text(),
            fields,
            source: self.source_line(&prose.cited),
            follow_ups: Vec::new(),
        })
    }

    /// A correction or confirmation of a figure the asker stated, when one
    /// of their figures is about what they asked.
    fn correction(
        &self,
        stated: &[StatedFigure],
        topic: Option<Intent>,
        lead: &[FactKey],
    ) -> Option<Correction> {
        let occupation = &self.knowledge.occupation;
        for figure in stated {
            if figure.percent {
                let asks_growth = lead.contains(&FactKey::OutlookGrowth)
                    || (topic == Some(Intent::Outlook) && lead.is_empty());
                if !asks_growth {
                    continue;
                }
                let growth = self.fact(FactKey::OutlookGrowth)?;
                let right = (figure.value - f64::from(occupation.outlook.growth_percent)).abs()
                    < f64::EPSILON;
                let verdict = if right { "Yes." } else { "Not quite." };
                return Some(Correction {
                    verdict: verdict.into(),
                    fact: Some((growth.text, growth.citation)),
                    instead: None,
                    facts: vec![FactKey::OutlookGrowth],
                });
            }
            if figure.value < SMALLEST_YEARLY_PAY {
                continue;
            }
            let asked = lead.iter().find_map(|key| {
                let figure = match key {
                    FactKey::PayMedian => self.pay_of(PayKind::Median).next(),
                    FactKey::PayAverage => self.pay_of(PayKind::Average).next(),
                    FactKey::PayHighest => self
                        .pay_of(PayKind::IndustryAverage)
                        .max_by_key(|f| f.amount),
                    _ => None,
                };
                figure.map(|f| (*key, f))
            });
            let matching = |f: &&PayFigure| {
                (figure.value - f64::from(f.amount)).abs() <= f64::from(f.amount) * CLOSE_FRACTION
            };
            let known = occupation.pay.iter().find(matching);
            let exact = |f: &PayFigure| (figure.value - f64::from(f.amount)).abs() < 0.5;
            return match (asked, known) {
                (Some((key, target)), _) => {
                    let fact = match key {
                        FactKey::PayHighest => self.fact(key)?,
                        _ => Self::pay_fact(target),
                    };
                    let verdict = if exact(target) {
                        "Yes.".to_string()
                    } else if matching(&target) {
                        "Close.".to_string()
                    } else {
                        "Not quite.".to_string()
                    };
                    let mut facts = vec![key];
                    let instead = known.filter(|k| !std::ptr::eq(*k, target)).map(|other| {
                        facts.push(Self::pay_key(other.kind));
                        format!(
                            "{} is {} in {}.",
                            dollars(other.amount),
                            Self::pay_name(other),
                            other.year
                        )
                    });
                    Some(Correction {
                        verdict,
                        fact: Some((fact.text, fact.citation)),
                        instead,
                        facts,
                    })
                }
                (None, Some(other)) if topic == Some(Intent::Salary) => {
                    let key = Self::pay_key(other.kind);
                    let verdict = if exact(other) { "Yes." } else { "Close." };
                    let fact = Self::pay_fact(other);
                    Some(Correction {
                        verdict: verdict.into(),
                        fact: Some((fact.text, fact.citation)),
                        instead: None,
                        facts: vec![key],
                    })
                }
                (None, None) if topic == Some(Intent::Salary) => Some(Correction {
                    verdict: "That figure isn't one the article gives.".into(),
                    fact: None,
                    instead: None,
                    facts: Vec::new(),
                }),
                _ => None,
            };
        }
        None
    }

    /// The fact that states pay figures of this kind.
    fn pay_key(kind: PayKind) -> FactKey {
        match kind {
            PayKind::Median => FactKey::PayMedian,
            PayKind::Average => FactKey::PayAverage,
            PayKind::IndustryAverage => FactKey::PayIndustries,
        }
    }

    /// The reply to a question about another occupation.
    fn other_subject(&self, subject: &str, topic: Option<Intent>) -> Answer {
        let mut prose = Prose::default();
        let alternative = self.knowledge.occupation.alternatives.iter().find(|alt| {
            let subject = subject.trim().to_lowercase();
            alt.aliases
                .iter()
                .any(|a| *a == subject || format!("{a}s") == subject)
                || alt.title.to_lowercase() == subject
        });
        match alternative {
            Some(alt) => {
                let text = format!(
                    "The article mentions {} only as a related career, with a one-line description; it gives no pay, job outlook or other details for it.",
                    lower_first(&alt.title)
                );
                prose.push(text);
                let line = prose.cite(
                    self,
                    &format!(
                        "{}: {} Education: {}.",
                        alt.title,
                        alt.description,
                        lower_first(&alt.education)
                    ),
                    alt.citation,
                );
                prose.push(line);
            }
            None => prose.push(self.other_subject_sentence(subject)),
        }
        Answer {
            intent: topic.filter(|_| alternative.is_some()),
            title: "Outside what I cover".into(),
            body: prose.text(),
            fields: Vec::new(),
            source: self.source_line(&prose.cited),
            follow_ups: Vec::new(),
        }
    }

    fn other_subject_sentence(&self, subject: &str) -> String {
        let occupation = plain_subject(subject).unwrap_or_else(|| "that occupation".into());
        format!(
            "I only cover the {} career, so I have nothing on {occupation}.",
            self.title()
        )
    }

    fn follow_ups_after(&self, topic: Option<Intent>, given: &Given) -> Vec<String> {
        next_questions(topic)
            .iter()
            .copied()
            .chain(0..FOLLOW_UPS.len())
            .filter_map(|i| FOLLOW_UPS.get(i))
            .filter(|f| !given.facts.contains(&f.leads_with))
            .filter(|f| {
                !(given.topics.contains(&f.topic) && f.leads_with == self.brief_lead(f.topic))
            })
            .map(|f| f.question)
            .fold(Vec::new(), |mut questions: Vec<String>, q| {
                if questions.len() < FOLLOW_UP_COUNT && !questions.iter().any(|x| x == q) {
                    questions.push(q.to_string());
                }
                questions
            })
    }

    /// The first fact a topic's short answer leads with.
    fn brief_lead(&self, topic: Intent) -> FactKey {
        self.knowledge
            .occupation
            .brief(topic)
            .and_then(|plan| plan.lead.first().copied())
            .unwrap_or(FactKey::OverviewSummary)
    }

    // ---- full cards and small talk ------------------------------------

    /// The full answer to one intent: every fact on a topic (what `/salary`
    /// gives), or a small-talk reply.
    pub fn answer(&self, intent: Intent) -> Answer {
        match intent {
            Intent::Overview => self.card(
                intent,
                &[FactKey::OverviewSummary],
                Some(bullets(&self.knowledge.occupation.overview.highlights)),
                Vec::new(),
            ),
            Intent::Duties => self.card(
                intent,
                &[
                    FactKey::DutiesTasks,
                    FactKey::DutiesWithExperience,
                    FactKey::DutiesEnvironment,
                ],
                None,
                Vec::new(),
            ),
            Intent::Workplace => {
                self.card(intent, &[FactKey::WorkplaceSettings], None, Vec::new())
            }
            Intent::Education => {
                let e = &self.knowledge.occupation.education;
                let fields = vec![
                    Field {
                        name: "Typical degree".into(),
                        value: format!("{} ({})", e.typical_degree, e.length),
                        inline: true,
                    },
                    Field {
                        name: "Field of study".into(),
                        value: e.field_of_study.clone(),
                        inline: true,
                    },
                    Field {
                        name: "Early courses".into(),
                        value: join_words(&e.early_courses),
                        inline: false,
                    },
                    Field {
                        name: "Later courses".into(),
                        value: join_words(&e.later_courses),
                        inline: false,
                    },
                ];
                self.card(
                    intent,
                    &[
                        FactKey::EducationDegree,
                        FactKey::EducationLength,
                        FactKey::EducationSchools,
                        FactKey::EducationOnline,
                        FactKey::EducationAdvanced,
                        FactKey::EducationAdvice,
                        FactKey::EducationTuition,
                    ],
                    None,
                    fields,
                )
            }
            Intent::Certification => {
                let c = &self.knowledge.occupation.certification;
                let fields = vec![Field {
                    name: "Credentials employers look for".into(),
                    value: join_words(&c.credential_areas),
                    inline: true,
                }];
                self.card(
                    intent,
                    &[
                        FactKey::CertificationStatus,
                        FactKey::CertificationPreference,
                        FactKey::CertificationAdvice,
                    ],
                    None,
                    fields,
                )
            }
            Intent::Salary => {
                let fields = self
                    .knowledge
                    .occupation
                    .pay
                    .iter()
                    .map(|figure| self.figure_field(figure))
                    .collect();
                self.card(
                    intent,
                    &[FactKey::PayMedian, FactKey::PayAverage, FactKey::PayHighest],
                    None,
                    fields,
                )
            }
            Intent::Outlook => {
                let out = &self.knowledge.occupation.outlook;
                let fields = vec![Field {
                    name: format!("Projected growth, {}–{}", out.period_start, out.period_end),
                    value: format!("{}% — {}", out.growth_percent, out.comparison),
                    inline: true,
                }];
                self.card(
                    intent,
                    &[FactKey::OutlookGrowth, FactKey::OutlookDrivers],
                    None,
                    fields,
                )
            }
            Intent::Alternatives => {
                self.card(intent, &[FactKey::AlternativesList], None, Vec::new())
            }
            Intent::Greeting => self.small_talk(
                intent,
                "Hi!",
                match self.also_called() {
                    Some(other) => format!(
                        "I answer questions about one career: the {} (also called a {other}). Ask me about {}.",
                        self.title(),
                        self.topic_list()
                    ),
                    None => format!(
                        "I answer questions about one career: the {}. Ask me about {}.",
                        self.title(),
                        self.topic_list()
                    ),
                },
            ),
            Intent::Help => self.small_talk(
                intent,
                "What I can answer",
                format!(
                    "I answer questions about the {} career from one article about it: {}. Ask in your own words, several questions at once if you like. When the article doesn't cover something, I say so.",
                    self.title(),
                    self.topic_list()
                ),
            ),
            Intent::Thanks => self.small_talk(
                intent,
                "You're welcome!",
                "Glad to help. Ask me anything else about this career.".into(),
            ),
            Intent::Goodbye => self.small_talk(
                intent,
                "Bye!",
                "Good luck with your plans. Come back any time with more questions.".into(),
            ),
            Intent::Acknowledgement => self.small_talk(
                intent,
                "Okay!",
                "Anything else you'd like to know about this career?".into(),
            ),
            Intent::Insult => self.small_talk(
                intent,
                "Sorry about that",
                format!(
                    "I only know what one article says about this career, so some questions are beyond me. Try asking about {}.",
                    self.topic_list()
                ),
            ),
        }
    }

    /// A full card: `facts` as prose (each cited once), an optional extra
    /// paragraph, and figure fields.
    fn card(
        &self,
        topic: Intent,
        facts: &[FactKey],
        extra: Option<String>,
        fields: Vec<Field>,
    ) -> Answer {
        let mut prose = Prose::default();
        let mut given = Vec::new();
        self.write_plan(&mut prose, facts, &[], &mut given, true, false);
        if let Some(extra) = extra {
            // The extra paragraph restates facts of the same section, under
            // the citation already given.
            prose.push(extra);
        }
        let mut follow = Given::default();
        follow.add_facts(&given);
        follow.topics.push(topic);
        Answer {
            intent: Some(topic),
            title: self.topic_title(topic),
            body: prose.text(),
            fields,
            source: self.source_line(&prose.cited),
            follow_ups: self.follow_ups_after(Some(topic), &follow),
        }
    }

    fn small_talk(&self, intent: Intent, title: &str, body: String) -> Answer {
        let follow_ups = match intent {
            Intent::Greeting | Intent::Help | Intent::Insult => {
                self.follow_ups_after(None, &Given::default())
            }
            _ => Vec::new(),
        };
        Answer {
            intent: Some(intent),
            title: title.to_string(),
            body,
            fields: Vec::new(),
            source: None,
            follow_ups,
        }
    }

    /// The reply to a message the bot cannot answer: one short line on what
    /// it covers, and the near misses, if any, as a "did you mean".
    pub fn capabilities(&self, suggestions: &[Intent]) -> Answer {
        let mut body = format!(
            "I only answer questions about the {} career: {}.",
            self.title(),
            self.topic_list()
        );
        let near: Vec<String> = suggestions
            .iter()
            .filter(|intent| intent.is_topic())
            .map(|&intent| Self::topic_phrase(intent).to_string())
            .collect();
        if !near.is_empty() {
            body.push_str(&format!(
                " Did you mean to ask about {}?",
                join_words(&near)
            ));
        }
        Answer {
            intent: None,
            title: "I can't answer that".into(),
            body,
            fields: Vec::new(),
            source: None,
            // The body already lists what it covers: a refusal stays short.
            follow_ups: Vec::new(),
        }
    }

    /// Where the facts come from.
    pub fn sources(&self) -> Answer {
        let o = &self.knowledge.occupation;
        let fields = o
            .sources
            .iter()
            .map(|s| Field {
                name: format!("{} ({})", s.name, s.short),
                value: s.note.clone(),
                inline: false,
            })
            .collect();
        let pay = o
            .pay_year()
            .map_or_else(|| "undated".to_string(), |y| y.to_string());
        Answer {
            intent: None,
            title: "Where my facts come from".into(),
            body: format!(
                "Everything I say comes from one career-information article about the {}. Where the article credits the U.S. Bureau of Labor Statistics, I cite the BLS with the date the article gives: pay figures are from {pay} and the job outlook is a projection for {}–{}. Everything else I cite as the source article.",
                self.title(),
                o.outlook.period_start,
                o.outlook.period_end
            ),
            fields,
            source: None,
            follow_ups: Vec::new(),
        }
    }
}

/// A correction (or confirmation) of a stated figure: its sentence, the
/// citation of the fact it states, and that fact.
struct Correction {
    /// "Yes.", "Close.", "Not quite." or a sentence saying the figure is
    /// not the article's.
    verdict: String,
    /// The fact sentence stating the right figure, if any, and its citation.
    fact: Option<(String, Citation)>,
    /// What the stated figure is instead, when it is another known figure.
    instead: Option<String>,
    facts: Vec<FactKey>,
}

fn dedup(keys: &mut Vec<FactKey>) {
    let mut seen = Vec::new();
    keys.retain(|key| {
        if seen.contains(key) {
            false
        } else {
            seen.push(*key);
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_groups_thousands() {
        assert_eq!(dollars(37110), "$37,110");
        assert_eq!(dollars(999), "$999");
        assert_eq!(dollars(1_000_000), "$1,000,000");
    }

    #[test]
    fn first_letters_change_case_but_acronyms_stay() {
        assert_eq!(lower_first("The median"), "the median");
        assert_eq!(lower_first("BLS data"), "BLS data");
        assert_eq!(upper_first("the median"), "The median");
    }

    #[test]
    fn only_plain_occupation_names_are_repeated_back() {
        assert_eq!(plain_subject("Nurses").as_deref(), Some("nurses"));
        assert_eq!(plain_subject("<@123> nurse"), None);
        assert_eq!(plain_subject("[nurse](http://x)"), None);
        assert_eq!(plain_subject(&"a".repeat(41)), None);
    }
}
