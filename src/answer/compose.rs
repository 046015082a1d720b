//! Composes [`Answer`]s from the validated knowledge.
//!
//! Every figure shown here comes from the knowledge file and is written with
//! its source and year; the only text added is connecting prose. Answers
//! about pay and outlook say plainly how old their figures are.

use super::{Answer, Field};
use crate::intent::Intent;
use crate::knowledge::model::{PayFigure, PayKind, PayPeriod, SourceRef};
use crate::knowledge::Knowledge;

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

fn bullet_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("• {item}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl<'k> Composer<'k> {
    pub fn new(knowledge: &'k Knowledge) -> Composer<'k> {
        Composer { knowledge }
    }

    fn title(&self) -> &str {
        &self.knowledge.occupation.title
    }

    /// "BLS, 2015".
    fn cite(&self, source: SourceRef, year: impl std::fmt::Display) -> String {
        format!("{}, {year}", self.knowledge.occupation.source(source).short)
    }

    /// The source line for answers whose facts come from the article.
    fn source_line(&self, source: SourceRef, data: &str) -> String {
        let source = self.knowledge.occupation.source(source);
        format!(
            "Source: {} ({}), {data}, as quoted in a career-information article",
            source.name, source.short
        )
    }

    fn main_source(&self) -> SourceRef {
        self.knowledge.occupation.certification.source
    }

    fn data_year_note(&self) -> String {
        match self.knowledge.occupation.pay_year() {
            Some(year) => format!("{year} data"),
            None => "undated data".to_string(),
        }
    }

    fn follow_ups(&self, intent: Intent) -> Vec<String> {
        let all = [
            (Intent::Salary, "How much do they make?"),
            (Intent::Education, "What degree do I need?"),
            (Intent::Certification, "Do I need a certification?"),
            (Intent::Duties, "What do they do day to day?"),
            (Intent::Workplace, "Where do they work?"),
            (Intent::Outlook, "Is the field growing?"),
            (Intent::Alternatives, "What are similar careers?"),
        ];
        all.iter()
            .filter(|(other, _)| *other != intent)
            .take(3)
            .map(|(_, question)| question.to_string())
            .collect()
    }

    fn topic(
        &self,
        intent: Intent,
        title: &str,
        body: String,
        fields: Vec<Field>,
        source: String,
    ) -> Answer {
        Answer {
            intent: Some(intent),
            title: title.to_string(),
            body,
            fields,
            source: Some(source),
            follow_ups: self.follow_ups(intent),
        }
    }

    /// The answer to one intent.
    pub fn answer(&self, intent: Intent) -> Answer {
        match intent {
            Intent::Overview => self.overview(),
            Intent::Duties => self.duties(),
            Intent::Workplace => self.workplace(),
            Intent::Education => self.education(),
            Intent::Certification => self.certification(),
            Intent::Salary => self.salary(),
            Intent::Outlook => self.outlook(),
            Intent::Alternatives => self.alternatives(),
            Intent::Greeting => self.greeting(),
            Intent::Help => self.help(),
            Intent::Thanks => self.thanks(),
            Intent::Goodbye => self.small_talk(
                Intent::Goodbye,
                "Bye!",
                "Good luck with your plans. Come back any time with more questions.".into(),
            ),
            Intent::Acknowledgement => self.small_talk(
                Intent::Acknowledgement,
                "Okay!",
                "Anything else you'd like to know about this career?".into(),
            ),
            Intent::Insult => self.small_talk(
                Intent::Insult,
                "Sorry about that",
                "I only know what my source article says about this career. Try asking about pay, education, certification, duties, where they work or the job outlook.".into(),
            ),
        }
    }

    fn overview(&self) -> Answer {
        let o = &self.knowledge.occupation;
        let body = format!(
            "{}\n\n{}",
            o.overview.summary,
            bullet_list(&o.overview.highlights)
        );
        self.topic(
            Intent::Overview,
            &format!("What is a {}?", self.title()),
            body,
            Vec::new(),
            self.source_line(self.main_source(), &self.data_year_note()),
        )
    }

    fn duties(&self) -> Answer {
        let d = &self.knowledge.occupation.duties;
        let body = format!("{}\n\n{}", d.summary, bullet_list(&d.tasks));
        let fields = vec![Field {
            name: "With experience and seniority".into(),
            value: bullet_list(&d.with_experience),
            inline: false,
        }];
        self.topic(
            Intent::Duties,
            "Job duties",
            body,
            fields,
            self.source_line(self.main_source(), &self.data_year_note()),
        )
    }

    fn workplace(&self) -> Answer {
        let w = &self.knowledge.occupation.workplace;
        let body = format!(
            "{} {}\n\n{}",
            w.summary,
            w.environment,
            bullet_list(&w.settings)
        );
        self.topic(
            Intent::Workplace,
            "Where they work",
            body,
            Vec::new(),
            self.source_line(self.main_source(), &self.data_year_note()),
        )
    }

    fn education(&self) -> Answer {
        let e = &self.knowledge.occupation.education;
        let body = format!(
            "Most positions ask for an {} in {}. It takes about {} and is offered by {}. {}\n\n{}",
            e.typical_degree.to_lowercase(),
            e.field_of_study.to_lowercase(),
            e.length,
            join_words(&e.offered_by),
            e.online,
            e.advice
        );
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
            Field {
                name: "Advanced degrees".into(),
                value: e.advanced.clone(),
                inline: false,
            },
        ];
        self.topic(
            Intent::Education,
            "Education",
            body,
            fields,
            self.source_line(self.main_source(), &self.data_year_note()),
        )
    }

    fn certification(&self) -> Answer {
        let c = &self.knowledge.occupation.certification;
        let body = format!("{} {}", c.summary, c.advice);
        let fields = vec![
            Field {
                name: "Required?".into(),
                value: if c.required {
                    "Yes".into()
                } else {
                    "No, but employers prefer it".into()
                },
                inline: true,
            },
            Field {
                name: "Credentials employers look for".into(),
                value: join_words(&c.credential_areas),
                inline: true,
            },
        ];
        self.topic(
            Intent::Certification,
            "Certification",
            body,
            fields,
            self.source_line(c.source, &self.data_year_note()),
        )
    }

    fn pay_value(&self, figure: &PayFigure) -> String {
        let period = match figure.period {
            PayPeriod::Year => "a year",
            PayPeriod::Hour => "an hour",
        };
        format!(
            "{} {period}: {} ({})",
            dollars(figure.amount),
            figure.scope,
            self.cite(figure.source, figure.year)
        )
    }

    fn salary(&self) -> Answer {
        let o = &self.knowledge.occupation;
        let find = |kind: PayKind| o.pay.iter().find(|f| f.kind == kind);
        let mut sentences = Vec::new();
        if let Some(median) = find(PayKind::Median) {
            sentences.push(format!(
                "In {}, the median annual salary was {} ({}).",
                median.year,
                dollars(median.amount),
                self.cite(median.source, median.year)
            ));
        }
        if let Some(average) = find(PayKind::Average) {
            sentences.push(format!(
                "The average was {} ({}); the median is the middle earner, the average is pulled up by higher salaries.",
                dollars(average.amount),
                self.cite(average.source, average.year)
            ));
        }
        let industries: Vec<&PayFigure> = o
            .pay
            .iter()
            .filter(|f| f.kind == PayKind::IndustryAverage)
            .collect();
        if let Some(top) = industries.iter().max_by_key(|f| f.amount) {
            sentences.push(format!(
                "Pay varies by industry, up to {} in {} ({}).",
                dollars(top.amount),
                top.label.to_lowercase(),
                self.cite(top.source, top.year)
            ));
        }
        let year = o
            .pay_year()
            .map_or_else(|| "undated".to_string(), |y| y.to_string());
        sentences.push(format!(
            "These figures are from {year}; current pay is likely higher."
        ));
        let fields = o
            .pay
            .iter()
            .map(|figure| Field {
                name: format!("{} ({})", figure.label, figure.year),
                value: self.pay_value(figure),
                inline: false,
            })
            .collect();
        let source = o.pay.first().map_or(self.main_source(), |f| f.source);
        self.topic(
            Intent::Salary,
            "Salary",
            sentences.join(" "),
            fields,
            self.source_line(source, &format!("{year} data")),
        )
    }

    fn outlook(&self) -> Answer {
        let out = &self.knowledge.occupation.outlook;
        let body = format!(
            "The BLS projected employment to grow {}% from {} to {}, {}. The growth comes from {}.\n\nThis is a projection made for {}–{}; newer projections may differ.",
            out.growth_percent,
            out.period_start,
            out.period_end,
            out.comparison,
            join_words(&out.drivers),
            out.period_start,
            out.period_end
        );
        let fields = vec![Field {
            name: format!("Projected growth, {}–{}", out.period_start, out.period_end),
            value: format!(
                "{}% ({})",
                out.growth_percent,
                self.cite(
                    out.source,
                    format!("{}–{} projection", out.period_start, out.period_end)
                )
            ),
            inline: true,
        }];
        self.topic(
            Intent::Outlook,
            "Job outlook",
            body,
            fields,
            self.source_line(
                out.source,
                &format!("{}–{} projection", out.period_start, out.period_end),
            ),
        )
    }

    fn alternatives(&self) -> Answer {
        let o = &self.knowledge.occupation;
        let fields = o
            .alternatives
            .iter()
            .map(|alt| Field {
                name: alt.title.clone(),
                value: format!(
                    "{} Education: {}.",
                    alt.description,
                    alt.education.to_lowercase()
                ),
                inline: false,
            })
            .collect();
        self.topic(
            Intent::Alternatives,
            "Related careers",
            "If this career is not quite right, these are close to it:".into(),
            fields,
            self.source_line(self.main_source(), &self.data_year_note()),
        )
    }

    fn topic_summaries(&self) -> String {
        let summaries: Vec<String> = Intent::TOPICS
            .iter()
            .filter_map(|&intent| {
                self.knowledge
                    .intents
                    .rule(intent)
                    .map(|r| r.summary.clone())
            })
            .collect();
        join_words(&summaries)
    }

    fn small_talk(&self, intent: Intent, title: &str, body: String) -> Answer {
        Answer {
            intent: Some(intent),
            title: title.to_string(),
            body,
            fields: Vec::new(),
            source: None,
            follow_ups: self.follow_ups(intent),
        }
    }

    fn greeting(&self) -> Answer {
        self.small_talk(
            Intent::Greeting,
            "Hi!",
            format!(
                "I answer questions about one career: the {} (also called a health information technician). Ask me about {}.",
                self.title(),
                self.topic_summaries()
            ),
        )
    }

    fn help(&self) -> Answer {
        self.small_talk(
            Intent::Help,
            "What I can answer",
            format!(
                "I answer questions about the {} career: {}. Ask in your own words, several questions at once if you like.",
                self.title(),
                self.topic_summaries()
            ),
        )
    }

    fn thanks(&self) -> Answer {
        self.small_talk(
            Intent::Thanks,
            "You're welcome!",
            "Glad to help. Ask me anything else about this career.".into(),
        )
    }

    /// The reply to a message the bot cannot answer: what it can answer,
    /// and the near misses, if any, as suggestions.
    pub fn capabilities(&self, suggestions: &[Intent]) -> Answer {
        let mut body = format!(
            "I can only answer questions about the {} career: {}.",
            self.title(),
            self.topic_summaries()
        );
        let near: Vec<String> = suggestions
            .iter()
            .filter_map(|&intent| {
                self.knowledge
                    .intents
                    .rule(intent)
                    .map(|r| r.summary.clone())
            })
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
            follow_ups: self.follow_ups(Intent::Help),
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
        let year = o
            .pay_year()
            .map_or_else(|| "undated".to_string(), |y| y.to_string());
        Answer {
            intent: None,
            title: "Where my facts come from".into(),
            body: format!(
                "Every figure I give comes from one career-information article about the {}, which quotes the U.S. Bureau of Labor Statistics. Pay figures are from {year} and the job outlook is the BLS projection for {}–{}, so treat them as dated.",
                self.title(),
                o.outlook.period_start,
                o.outlook.period_end
            ),
            fields,
            source: Some(format!("Data years: pay {year}; outlook {}–{}", o.outlook.period_start, o.outlook.period_end)),
            follow_ups: Vec::new(),
        }
    }
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
}
