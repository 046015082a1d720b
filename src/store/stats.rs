//! The usage report ([`crate::stats::StatsReport`]) counted from the store:
//! questions per topic and week, the share answered, votes per topic, the
//! most-asked uncovered aspects, distinct askers. Small talk is not counted
//! as a question.
//!
//! Rows are read for the period and counted here, so the same code serves
//! both databases; a period is at most the retention (90 days by default).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::record::{split_names, Outcome};
use super::{on_pool, query_error, Pool, Store, StoreError};
use crate::stats::{week_start, StatsReport, TopicStats, UncoveredCount, WeekStats};

/// The most uncovered aspects a report lists.
pub const UNCOVERED_LISTED: usize = 10;

/// One stored question, as the report reads it.
type QuestionRow = (i64, String, String, String, Option<String>);

impl Store {
    /// The report for `since..until` (Unix seconds).
    pub async fn stats(&self, since: i64, until: i64) -> Result<StatsReport, StoreError> {
        let questions_sql = "SELECT asked_at, outcome, topics, uncovered, asker FROM questions \
                             WHERE asked_at >= $1 AND asked_at < $2";
        let feedback_sql = "SELECT topics, helpful FROM feedback \
                            WHERE given_at >= $1 AND given_at < $2";
        let (questions, votes): (Vec<QuestionRow>, Vec<(String, bool)>) = on_pool!(self, |pool| {
            let questions = sqlx::query_as(questions_sql)
                .bind(since)
                .bind(until)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading questions for stats"))?;
            let votes = sqlx::query_as(feedback_sql)
                .bind(since)
                .bind(until)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading votes for stats"))?;
            (questions, votes)
        });
        count(since, until, &questions, &votes)
    }
}

/// Counts the rows into a report.
fn count(
    since: i64,
    until: i64,
    questions: &[QuestionRow],
    votes: &[(String, bool)],
) -> Result<StatsReport, StoreError> {
    let mut report = StatsReport {
        since,
        until,
        ..StatsReport::default()
    };
    let mut weeks: BTreeMap<i64, WeekStats> = BTreeMap::new();
    let mut topics: HashMap<String, TopicStats> = HashMap::new();
    let mut uncovered: HashMap<String, u64> = HashMap::new();
    let mut askers: HashSet<&str> = HashSet::new();
    for (asked_at, outcome, topic_names, uncovered_names, asker) in questions {
        let outcome = Outcome::from_name(outcome).ok_or_else(|| {
            StoreError::Unexpected(format!("a question with outcome {outcome:?}"))
        })?;
        if outcome == Outcome::SmallTalk {
            continue;
        }
        report.questions += 1;
        if let Some(asker) = asker {
            askers.insert(asker);
        }
        let week_key = week_start(*asked_at);
        let week = weeks.entry(week_key).or_insert_with(|| WeekStats {
            week_start: week_key,
            ..WeekStats::default()
        });
        week.questions += 1;
        if outcome.is_answered() {
            report.answered += 1;
            week.answered += 1;
        }
        for topic in split_names(topic_names) {
            *week.per_topic.entry(topic.clone()).or_default() += 1;
            topics
                .entry(topic.clone())
                .or_insert_with(|| TopicStats {
                    topic,
                    ..TopicStats::default()
                })
                .questions += 1;
        }
        for aspect in split_names(uncovered_names) {
            *uncovered.entry(aspect).or_default() += 1;
        }
    }
    for (topic_names, helpful) in votes {
        for topic in split_names(topic_names) {
            let entry = topics.entry(topic.clone()).or_insert_with(|| TopicStats {
                topic,
                ..TopicStats::default()
            });
            if *helpful {
                entry.helpful += 1;
            } else {
                entry.unhelpful += 1;
            }
        }
    }
    report.askers = askers.len() as u64;
    report.weeks = weeks.into_values().collect();
    let mut topics: Vec<TopicStats> = topics.into_values().collect();
    topics.sort_by(|a, b| b.questions.cmp(&a.questions).then(a.topic.cmp(&b.topic)));
    report.topics = topics;
    let mut uncovered: Vec<UncoveredCount> = uncovered
        .into_iter()
        .map(|(aspect, count)| UncoveredCount { aspect, count })
        .collect();
    uncovered.sort_by(|a, b| b.count.cmp(&a.count).then(a.aspect.cmp(&b.aspect)));
    uncovered.truncate(UNCOVERED_LISTED);
    report.uncovered = uncovered;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: i64, outcome: &str, topics: &str, uncovered: &str, asker: &str) -> QuestionRow {
        (
            at,
            outcome.into(),
            topics.into(),
            uncovered.into(),
            Some(asker.into()),
        )
    }

    #[test]
    fn rows_count_into_weeks_topics_votes_and_gaps() {
        const WEEK: i64 = 7 * 24 * 3600;
        // 1970-01-05 was a Monday.
        let monday = 4 * 24 * 3600;
        let questions = [
            row(monday + 10, "answered", "salary", "", "a"),
            row(monday + 20, "low_confidence", "salary,education", "", "b"),
            row(monday + WEEK, "uncovered", "", "remote work", "a"),
            row(monday + WEEK + 5, "no_topic", "", "", "c"),
            row(monday + WEEK + 6, "small_talk", "", "", "d"),
            row(monday + WEEK + 7, "uncovered", "", "remote work", "c"),
        ];
        let votes = [
            ("salary".to_string(), true),
            ("salary".to_string(), false),
            ("outlook".to_string(), true),
        ];
        let report = count(0, i64::MAX, &questions, &votes).expect("valid rows");
        assert_eq!(report.questions, 5, "small talk is not a question");
        assert_eq!(report.answered, 2);
        assert_eq!(report.askers, 3);
        assert_eq!(report.weeks.len(), 2);
        assert_eq!(report.weeks[0].week_start, monday);
        assert_eq!(report.weeks[0].per_topic.get("salary"), Some(&2));
        assert_eq!(report.weeks[1].questions, 3);
        assert_eq!(report.weeks[1].answered, 0);
        assert_eq!(report.topics[0].topic, "salary");
        assert_eq!(report.topics[0].questions, 2);
        assert_eq!(
            (report.topics[0].helpful, report.topics[0].unhelpful),
            (1, 1)
        );
        let outlook = report.topics.iter().find(|t| t.topic == "outlook");
        assert_eq!(outlook.map(|t| (t.questions, t.helpful)), Some((0, 1)));
        assert_eq!(report.uncovered[0].aspect, "remote work");
        assert_eq!(report.uncovered[0].count, 2);
    }

    #[test]
    fn an_unknown_outcome_is_an_error() {
        let questions = [row(0, "maybe", "", "", "a")];
        assert!(count(0, 1, &questions, &[]).is_err());
    }
}
