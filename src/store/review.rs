//! Review: the questions the bot could not answer well, grouped so a
//! counselor decides once for many wordings, and the two decisions —
//! teach a group as a topic (its questions become examples the bot learns
//! from), or ignore it for good.
//!
//! Grouping is pure ([`group`]): questions whose engine features are
//! similar (cosine ≥ [`GROUP_SIMILARITY`] with the group's first question)
//! form one group. A group's id is its first question's row id, so the id
//! a counselor saw in `review` still names the group when they act on it,
//! even if newer questions joined meanwhile. Groups are listed largest
//! first, then newest first. A group with an ignored question stays hidden,
//! and new wordings that join it are hidden with it.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::watch::Change;
use super::{on_pool, query_error, unix_now, Pool, Store, StoreError};
use crate::engine::features::Feature;
use crate::engine::Engine;
use crate::knowledge::ExampleLabel;

/// Two questions at least this similar (cosine of engine features) are one
/// group.
pub const GROUP_SIMILARITY: f32 = 0.5;

/// Questions read for review at most (the newest).
pub const REVIEW_WINDOW: i64 = 5000;

/// A question kept for review.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewQuestion {
    /// Its row id.
    pub id: i64,
    /// Unix seconds.
    pub asked_at: i64,
    /// The normalised text.
    pub text: String,
    /// The topic the engine found closest.
    pub suggestion: Option<String>,
    /// Hidden by an "ignore".
    pub ignored: bool,
}

/// Similar questions, for one decision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewGroup {
    /// The group's id (its first question's id).
    pub id: i64,
    /// How many questions it holds.
    pub count: usize,
    /// Its distinct wordings, newest first.
    pub questions: Vec<String>,
    /// The topic the engine thinks closest (the most common suggestion).
    pub suggestion: Option<String>,
    /// When its newest question was asked (Unix seconds).
    pub newest: i64,
    /// Its questions' row ids.
    #[serde(skip)]
    pub question_ids: Vec<i64>,
    /// Hidden by an "ignore".
    #[serde(skip)]
    pub ignored: bool,
}

/// Groups `questions` (oldest first) by similarity under `engine`'s
/// features; every group, hidden ones included, largest then newest first.
pub fn group(engine: &Engine, questions: &[ReviewQuestion]) -> Vec<ReviewGroup> {
    struct Forming {
        seed: Vec<Feature>,
        members: Vec<usize>,
    }
    let mut forming: Vec<Forming> = Vec::new();
    for (index, question) in questions.iter().enumerate() {
        let features = engine.similarity_features(&question.text);
        let best = forming
            .iter_mut()
            .map(|group| {
                let similarity = Engine::similarity(&features, &group.seed);
                (similarity, group)
            })
            .filter(|(similarity, _)| *similarity >= GROUP_SIMILARITY)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match best {
            Some((_, group)) => group.members.push(index),
            None => forming.push(Forming {
                seed: features,
                members: vec![index],
            }),
        }
    }
    let mut groups: Vec<ReviewGroup> = forming
        .into_iter()
        .map(|forming| {
            let members: Vec<&ReviewQuestion> =
                forming.members.iter().map(|&i| &questions[i]).collect();
            let mut suggestions: BTreeMap<&str, usize> = BTreeMap::new();
            for member in &members {
                if let Some(suggestion) = &member.suggestion {
                    *suggestions.entry(suggestion).or_default() += 1;
                }
            }
            let suggestion = suggestions
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(name, _)| name.to_string());
            let mut seen = HashSet::new();
            let wordings: Vec<String> = members
                .iter()
                .rev()
                .filter(|member| seen.insert(member.text.as_str()))
                .map(|member| member.text.clone())
                .collect();
            ReviewGroup {
                id: members[0].id,
                count: members.len(),
                questions: wordings,
                suggestion,
                newest: members.iter().map(|m| m.asked_at).max().unwrap_or(0),
                question_ids: members.iter().map(|m| m.id).collect(),
                ignored: members.iter().any(|m| m.ignored),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.newest.cmp(&a.newest))
            .then(a.id.cmp(&b.id))
    });
    groups
}

/// What a teach did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Taught {
    /// The group.
    pub group: i64,
    /// The label its wordings were taught as.
    pub label: String,
    /// Examples added (distinct wordings).
    pub examples: usize,
    /// Questions marked taught.
    pub questions: usize,
}

/// Why a review action did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No open group has this id.
    #[error("no open review group {0} (run `career-bot review` for the current ids)")]
    NoGroup(i64),
    /// The label is not one the examples use.
    #[error("unknown topic {label:?}: use one of {known}")]
    UnknownLabel {
        /// What was given.
        label: String,
        /// The labels, comma-separated.
        known: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// The questions kept for review and not yet taught, oldest first (the
    /// newest [`REVIEW_WINDOW`]).
    pub async fn review_questions(&self) -> Result<Vec<ReviewQuestion>, StoreError> {
        let sql = "SELECT id, asked_at, text, suggestion, review FROM questions \
                   WHERE text IS NOT NULL AND review <> 'taught' \
                   ORDER BY id DESC LIMIT $1";
        let mut rows: Vec<(i64, i64, String, Option<String>, String)> =
            on_pool!(self, |pool| sqlx::query_as(sql)
                .bind(REVIEW_WINDOW)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading questions for review"))?);
        rows.reverse();
        Ok(rows
            .into_iter()
            .map(|(id, asked_at, text, suggestion, review)| ReviewQuestion {
                id,
                asked_at,
                text,
                suggestion,
                ignored: review == "ignored",
            })
            .collect())
    }

    /// The open groups (ignored ones left out), largest then newest first.
    pub async fn review_groups(&self, engine: &Engine) -> Result<Vec<ReviewGroup>, StoreError> {
        let questions = self.review_questions().await?;
        Ok(group(engine, &questions)
            .into_iter()
            .filter(|group| !group.ignored)
            .collect())
    }

    /// The open group `id`.
    async fn open_group(&self, engine: &Engine, id: i64) -> Result<ReviewGroup, ReviewError> {
        self.review_groups(engine)
            .await?
            .into_iter()
            .find(|group| group.id == id)
            .ok_or(ReviewError::NoGroup(id))
    }

    /// Teaches group `id` as `label`: each distinct wording becomes an
    /// example of it (a wording taught before takes the new label), its
    /// questions leave review, and every process retrains
    /// ([`Change::Taught`]).
    pub async fn teach(
        &self,
        engine: &Engine,
        id: i64,
        label: &str,
    ) -> Result<Taught, ReviewError> {
        let label = ExampleLabel::from_name(label).ok_or_else(|| ReviewError::UnknownLabel {
            label: label.to_string(),
            known: ExampleLabel::all()
                .iter()
                .map(|l| l.name())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        let group = self.open_group(engine, id).await?;
        let now = unix_now();
        let insert = "INSERT INTO taught (text, label, taught_at, exported) \
                      VALUES ($1, $2, $3, FALSE) \
                      ON CONFLICT (text) DO UPDATE SET label = excluded.label, \
                      taught_at = excluded.taught_at, exported = FALSE";
        let mark = "UPDATE questions SET review = 'taught' WHERE id = $1";
        on_pool!(self, |pool| {
            let mut transaction = pool
                .begin()
                .await
                .map_err(query_error("starting a teach"))?;
            for text in &group.questions {
                sqlx::query(insert)
                    .bind(text)
                    .bind(label.name())
                    .bind(now)
                    .execute(&mut *transaction)
                    .await
                    .map_err(query_error("storing a taught example"))?;
            }
            for question in &group.question_ids {
                sqlx::query(mark)
                    .bind(question)
                    .execute(&mut *transaction)
                    .await
                    .map_err(query_error("marking a question taught"))?;
            }
            transaction
                .commit()
                .await
                .map_err(query_error("finishing a teach"))?;
        });
        self.announce(Change::Taught).await?;
        Ok(Taught {
            group: id,
            label: label.name().to_string(),
            examples: group.questions.len(),
            questions: group.question_ids.len(),
        })
    }

    /// Hides group `id` for good; returns how many questions it held.
    pub async fn ignore(&self, engine: &Engine, id: i64) -> Result<usize, ReviewError> {
        let group = self.open_group(engine, id).await?;
        let mark = "UPDATE questions SET review = 'ignored' WHERE id = $1";
        for question in &group.question_ids {
            on_pool!(self, |pool| sqlx::query(mark)
                .bind(question)
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(query_error("marking a question ignored")))?;
        }
        Ok(group.question_ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::CareerBot;

    fn question(id: i64, text: &str, suggestion: Option<&str>) -> ReviewQuestion {
        ReviewQuestion {
            id,
            asked_at: id * 10,
            text: text.to_string(),
            suggestion: suggestion.map(str::to_string),
            ignored: false,
        }
    }

    #[test]
    fn similar_wordings_group_and_big_groups_come_first() {
        let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
        let engine = bot.engine();
        let questions = [
            question(1, "can i do this job from home", Some("workplace")),
            question(2, "whats the best pizza topping", None),
            question(
                3,
                "can i do this job from home full time",
                Some("workplace"),
            ),
            question(4, "can i do the job from home", None),
            question(5, "whats the best pizza topping ever", None),
            question(6, "do they drug test", None),
        ];
        let groups = group(engine, &questions);
        assert_eq!(groups[0].id, 1);
        assert_eq!(groups[0].count, 3);
        assert_eq!(groups[0].suggestion.as_deref(), Some("workplace"));
        assert_eq!(
            groups[0].questions[0], "can i do the job from home",
            "newest wording first"
        );
        assert_eq!(groups[1].id, 2, "the pizza pair");
        assert_eq!(groups[1].count, 2);
        assert_eq!(groups[2].id, 6);
        assert_eq!(groups.len(), 3);
    }

    #[test]
    fn an_ignored_member_hides_its_group() {
        let bot = CareerBot::from_embedded().expect("built-in knowledge loads");
        let mut questions = vec![
            question(1, "is there a discord for this", None),
            question(2, "is there a discord server for this", None),
        ];
        questions[0].ignored = true;
        let groups = group(bot.engine(), &questions);
        assert_eq!(groups.len(), 1);
        assert!(groups[0].ignored);
    }
}
