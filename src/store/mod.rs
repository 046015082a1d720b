//! The store: unanswered questions, 👍/👎 on answers, the examples
//! counselors taught, claims on messages and change counters, in SQLite (a
//! file, the default) or PostgreSQL (shared by several bot processes).
//!
//! What this module may touch: the database named by a [`StoreUrl`], and
//! nothing else (no Discord, no knowledge files; the `tracing` log from the
//! background writer). Front ends never wait on it to answer: they queue
//! writes through [`writer::Recorder`].
//!
//! - [`record`]: what is kept of a question or a vote (pure).
//! - [`writer`]: the bounded queue and the background writer that survives
//!   outages.
//! - [`review`]: grouping similar questions for review (pure), and the
//!   teach/ignore actions.
//! - [`watch`]: other processes' changes (taught examples, reloads): LISTEN/
//!   NOTIFY on PostgreSQL, a change counter polled on both.
//! - [`stats`]: the usage report.
//! - [`export`]: taught examples written into the knowledge files.
//!
//! The same SQL runs on both databases (`$1` parameters, `BIGINT` times,
//! `ON CONFLICT`); migrations are versioned per database and embedded in
//! the binary, applied when the store opens.

pub mod export;
pub mod record;
pub mod review;
pub mod stats;
pub mod watch;
pub mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::knowledge::{Example, ExampleLabel};
use record::{join_names, AskerHasher, FeedbackComment, FeedbackRecord, QuestionRecord};

/// The PostgreSQL channel on which processes tell each other of changes.
pub const NOTIFY_CHANNEL: &str = "career_bot_changes";

/// How long opening waits for a locked SQLite file or a PostgreSQL
/// connection before it fails.
const OPEN_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the store lives, validated.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// A SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL server (`postgres://user:password@host:port/db`).
    Postgres(String),
}

impl StoreUrl {
    /// The default store of `career-bot run`: `career-bot.sqlite3` beside
    /// the config file.
    pub fn beside(config: &Path) -> StoreUrl {
        let dir = config.parent().unwrap_or(Path::new(""));
        StoreUrl::Sqlite(dir.join("career-bot.sqlite3"))
    }

    /// Whether several processes may share this store (claims on
    /// messages, notifications).
    pub fn is_shared(&self) -> bool {
        matches!(self, StoreUrl::Postgres(_))
    }
}

impl FromStr for StoreUrl {
    type Err = StoreError;

    fn from_str(url: &str) -> Result<StoreUrl, StoreError> {
        let bad = |why: &str| StoreError::BadUrl {
            url: redact(url),
            why: why.to_string(),
        };
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(bad("a SQLite URL needs a file path: sqlite://PATH"));
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PgConnectOptions::from_str(url).map_err(|error| bad(&error.to_string()))?;
            return Ok(StoreUrl::Postgres(url.to_string()));
        }
        Err(bad(
            "the store URL must start with sqlite:// (a file) or postgres:// (a server)",
        ))
    }
}

/// The URL with any password replaced by `***`, for messages and logs.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            StoreUrl::Postgres(url) => f.write_str(&redact(url)),
        }
    }
}

impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreUrl({self})")
    }
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL is not one the store understands.
    #[error("invalid store URL {url}: {why}")]
    BadUrl {
        /// The URL, password hidden.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The store could not be opened: missing directory, a locked or
    /// corrupt SQLite file, a PostgreSQL server that refused or is down.
    #[error("cannot open the store {url}: {source}")]
    Open {
        /// The store, password hidden.
        url: String,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// Another program holds the SQLite file locked.
    #[error("the store file {path} is locked by another program (is another bot or tool writing to it?): {source}")]
    Locked {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        #[source]
        source: sqlx::Error,
    },
    /// The SQLite file failed its integrity check.
    #[error("the store file {path} is corrupt ({report}); move it aside to start a new one")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What SQLite reported.
        report: String,
    },
    /// The store's schema could not be brought up to date.
    #[error("cannot migrate the store {url}: {source}")]
    Migrate {
        /// The store, password hidden.
        url: String,
        /// The migration error.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// A query failed (the store went away, a constraint failed).
    #[error("store query failed ({what}): {source}")]
    Query {
        /// What was being done.
        what: &'static str,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// A value read back is not one this version writes.
    #[error("the store holds an unexpected value: {0}")]
    Unexpected(String),
}

/// `.map_err` for a failed query doing `what`.
fn query_error(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { what, source }
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool: the same SQL on
/// either database, type-checked for each.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// What [`Store::expire`] and [`Store::purge`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Removed {
    /// Questions removed.
    pub questions: u64,
    /// Votes removed.
    pub feedback: u64,
    /// Claims removed.
    pub claims: u64,
}

/// A taught example, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaughtExample {
    /// Its row id.
    pub id: i64,
    /// The example.
    pub example: Example,
    /// Unix seconds.
    pub taught_at: i64,
    /// Written into the knowledge files by `examples export`.
    pub exported: bool,
}

/// A front end's connection to the store: the store itself (claims,
/// review, stats, teaching) and the log it queues questions and votes on.
#[derive(Clone, Debug)]
pub struct Attached {
    /// The store.
    pub store: Store,
    /// The background log of questions and votes.
    pub log: writer::QuestionLog,
}

/// The open store: a connection pool to one database, its schema current.
#[derive(Clone, Debug)]
pub struct Store {
    url: StoreUrl,
    pool: Pool,
    /// Until when (Unix seconds) claims are skipped, after one failed:
    /// shared by every clone, so one process pauses once.
    claims_paused_until: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Store {
    /// Opens (and creates, for SQLite) the store at `url` and applies its
    /// migrations. A SQLite file is put in WAL mode and checked; a file
    /// locked by another program or corrupt is an error naming it.
    pub async fn open(url: &StoreUrl) -> Result<Store, StoreError> {
        let open_error = |source| StoreError::Open {
            url: url.to_string(),
            source,
        };
        let migrate_error = |source| StoreError::Migrate {
            url: url.to_string(),
            source,
        };
        let store = match url {
            StoreUrl::Sqlite(path) => {
                let open_error = |source: sqlx::Error| match &source {
                    sqlx::Error::Database(db) if db.message().contains("locked") => {
                        StoreError::Locked {
                            path: path.clone(),
                            source,
                        }
                    }
                    _ => open_error(source),
                };
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // WAL with NORMAL: a killed process loses no commit;
                    // only a power cut may lose the last ones.
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(OPEN_TIMEOUT);
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    // Longer than the busy timeout, so a lock is reported
                    // as SQLite's "locked", not as a pool timeout.
                    .acquire_timeout(OPEN_TIMEOUT * 2)
                    .connect_with(options)
                    .await
                    .map_err(open_error)?;
                let report: String = sqlx::query_scalar("PRAGMA quick_check")
                    .fetch_one(&pool)
                    .await
                    .map_err(|source| match &source {
                        sqlx::Error::Database(db)
                            if db.message().contains("not a database")
                                || db.message().contains("malformed") =>
                        {
                            StoreError::Corrupt {
                                path: path.clone(),
                                report: db.message().to_string(),
                            }
                        }
                        _ => open_error(source),
                    })?;
                if report != "ok" {
                    return Err(StoreError::Corrupt {
                        path: path.clone(),
                        report,
                    });
                }
                // A write, so a file another program holds locked fails
                // now, naming the file, rather than at the first question.
                sqlx::query("CREATE TABLE IF NOT EXISTS _write_probe (x INTEGER)")
                    .execute(&pool)
                    .await
                    .map_err(open_error)?;
                sqlx::query("DROP TABLE _write_probe")
                    .execute(&pool)
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("src/store/migrations/sqlite")
                    .run(&pool)
                    .await
                    .map_err(migrate_error)?;
                Store {
                    url: url.clone(),
                    pool: Pool::Sqlite(pool),
                    claims_paused_until: Default::default(),
                }
            }
            StoreUrl::Postgres(address) => {
                let options = PgConnectOptions::from_str(address).map_err(open_error)?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    // No ping before each use: it doubles the round trips
                    // of a claim, which an answer waits for. A dead
                    // connection fails its query instead; the writer
                    // retries, and a claim answers anyway.
                    .test_before_acquire(false)
                    .acquire_timeout(OPEN_TIMEOUT)
                    .connect_with(options)
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("src/store/migrations/postgres")
                    .run(&pool)
                    .await
                    .map_err(migrate_error)?;
                Store {
                    url: url.clone(),
                    pool: Pool::Postgres(pool),
                    claims_paused_until: Default::default(),
                }
            }
        };
        Ok(store)
    }

    /// Where this store lives.
    pub fn url(&self) -> &StoreUrl {
        &self.url
    }

    /// Closes every connection (waits for queries in flight).
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }

    /// The store's secret salt for asker hashes, made on first use.
    pub async fn asker_hasher(&self) -> Result<AskerHasher, StoreError> {
        let mut fresh = [0u8; 32];
        getrandom::getrandom(&mut fresh).map_err(|error| {
            StoreError::Unexpected(format!("no randomness for the salt: {error}"))
        })?;
        let fresh_hex: String = fresh.iter().map(|b| format!("{b:02x}")).collect();
        let insert = "INSERT INTO meta (key, value) VALUES ('asker_salt', $1) \
                      ON CONFLICT (key) DO NOTHING";
        let select = "SELECT value FROM meta WHERE key = 'asker_salt'";
        let stored: String = on_pool!(self, |pool| {
            sqlx::query(insert)
                .bind(&fresh_hex)
                .execute(pool)
                .await
                .map_err(query_error("making the salt"))?;
            sqlx::query_scalar(select)
                .fetch_one(pool)
                .await
                .map_err(query_error("reading the salt"))?
        });
        let mut salt = [0u8; 32];
        if stored.len() != 64 {
            return Err(StoreError::Unexpected("a salt of the wrong length".into()));
        }
        for (i, byte) in salt.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&stored[i * 2..i * 2 + 2], 16)
                .map_err(|_| StoreError::Unexpected("a salt that is not hex".into()))?;
        }
        Ok(AskerHasher::new(salt))
    }

    /// Stores one question.
    pub async fn insert_question(&self, question: &QuestionRecord) -> Result<(), StoreError> {
        let sql = "INSERT INTO questions (asked_at, front_end, guild_id, channel_id, asker, \
                   outcome, topics, aspects, uncovered, suggestion, text) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        let topics = join_names(question.topics.iter().map(|t| t.name()));
        let aspects = join_names(question.aspects.iter().map(String::as_str));
        let uncovered = join_names(question.uncovered.iter().map(String::as_str));
        let suggestion = question.suggestion.map(|t| t.name().to_string());
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(question.asked_at)
            .bind(question.place.front_end)
            .bind(question.place.guild_id.map(id_to_i64))
            .bind(question.place.channel_id.map(id_to_i64))
            .bind(question.asker.as_deref())
            .bind(question.outcome.name())
            .bind(&topics)
            .bind(&aspects)
            .bind(&uncovered)
            .bind(suggestion.as_deref())
            .bind(question.text.as_deref())
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(query_error("storing a question")))?;
        Ok(())
    }

    /// Stores a vote; a second vote by the same asker on the same answer
    /// replaces the first (and keeps its comment).
    pub async fn upsert_feedback(&self, vote: &FeedbackRecord) -> Result<(), StoreError> {
        let sql = "INSERT INTO feedback (message_id, asker, given_at, guild_id, channel_id, \
                   topics, helpful) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                   ON CONFLICT (message_id, asker) DO UPDATE SET \
                   given_at = excluded.given_at, helpful = excluded.helpful";
        let topics = join_names(vote.topics.iter().map(|t| t.name()));
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(id_to_i64(vote.message_id))
            .bind(&vote.asker)
            .bind(vote.given_at)
            .bind(vote.place.guild_id.map(id_to_i64))
            .bind(vote.place.channel_id.map(id_to_i64))
            .bind(&topics)
            .bind(vote.helpful)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(query_error("storing a vote")))?;
        Ok(())
    }

    /// Adds what a 👎 voter was looking for to their vote.
    pub async fn add_comment(&self, comment: &FeedbackComment) -> Result<(), StoreError> {
        let sql = "UPDATE feedback SET comment = $1 WHERE message_id = $2 AND asker = $3";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&comment.comment)
            .bind(id_to_i64(comment.message_id))
            .bind(&comment.asker)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(query_error("storing a comment")))?;
        Ok(())
    }

    /// Claims `message_id` for this process: true if nobody had, false if
    /// another process (or an earlier delivery) already answers it.
    pub async fn claim(&self, message_id: u64, now: i64) -> Result<bool, StoreError> {
        let sql = "INSERT INTO claims (message_id, claimed_at) VALUES ($1, $2) \
                   ON CONFLICT (message_id) DO NOTHING";
        let done = on_pool!(self, |pool| sqlx::query(sql)
            .bind(id_to_i64(message_id))
            .bind(now)
            .execute(pool)
            .await
            .map_err(query_error("claiming a message"))?
            .rows_affected());
        Ok(done == 1)
    }

    /// Whether claims are paused at `now` (a claim failed recently).
    pub fn claims_paused(&self, now: i64) -> bool {
        now < self
            .claims_paused_until
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Skips claims until `until` (Unix seconds): a store that just failed
    /// a claim would make every answer wait for it again.
    pub fn pause_claims(&self, until: i64) {
        self.claims_paused_until
            .fetch_max(until, std::sync::atomic::Ordering::AcqRel);
    }

    /// Removes questions and votes older than `before`, and claims older
    /// than `claims_before` (Unix seconds).
    pub async fn expire(&self, before: i64, claims_before: i64) -> Result<Removed, StoreError> {
        // (statement, cutoff, what it does): one DELETE each.
        let deletes = [
            (
                "DELETE FROM questions WHERE asked_at < $1",
                before,
                "removing expired questions",
            ),
            (
                "DELETE FROM feedback WHERE given_at < $1",
                before,
                "removing expired votes",
            ),
            (
                "DELETE FROM claims WHERE claimed_at < $1",
                claims_before,
                "removing old claims",
            ),
        ];
        let mut removed = [0u64; 3];
        for ((sql, cutoff, what), count) in deletes.into_iter().zip(&mut removed) {
            *count = on_pool!(self, |pool| sqlx::query(sql)
                .bind(cutoff)
                .execute(pool)
                .await
                .map_err(query_error(what))?
                .rows_affected());
        }
        let [questions, feedback, claims] = removed;
        Ok(Removed {
            questions,
            feedback,
            claims,
        })
    }

    /// Removes every question and vote (and claim): `store purge`. Taught
    /// examples stay: they are knowledge, not records of students.
    pub async fn purge(&self) -> Result<Removed, StoreError> {
        self.expire(i64::MAX, i64::MAX).await
    }

    /// Every taught example, oldest first.
    pub async fn taught(&self) -> Result<Vec<TaughtExample>, StoreError> {
        let sql = "SELECT id, text, label, taught_at, exported FROM taught ORDER BY id";
        let rows: Vec<(i64, String, String, i64, bool)> =
            on_pool!(self, |pool| sqlx::query_as(sql)
                .fetch_all(pool)
                .await
                .map_err(query_error("reading taught examples"))?);
        rows.into_iter()
            .map(|(id, text, label, taught_at, exported)| {
                let label = ExampleLabel::from_name(&label).ok_or_else(|| {
                    StoreError::Unexpected(format!("taught example {id} has label {label:?}"))
                })?;
                Ok(TaughtExample {
                    id,
                    example: Example { label, text },
                    taught_at,
                    exported,
                })
            })
            .collect()
    }

    /// The taught examples as examples, for the knowledge to join.
    pub async fn taught_examples(&self) -> Result<Vec<Example>, StoreError> {
        Ok(self
            .taught()
            .await?
            .into_iter()
            .map(|taught| taught.example)
            .collect())
    }

    /// Marks taught examples `ids` as written into the knowledge files.
    pub async fn mark_exported(&self, ids: &[i64]) -> Result<(), StoreError> {
        for &id in ids {
            on_pool!(self, |pool| sqlx::query(
                "UPDATE taught SET exported = TRUE WHERE id = $1"
            )
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(query_error("marking an example exported")))?;
        }
        Ok(())
    }

    /// The counter of `change` (how many times it happened).
    pub async fn generation(&self, change: watch::Change) -> Result<i64, StoreError> {
        let sql = "SELECT generation FROM changes WHERE name = $1";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(change.name())
            .fetch_one(pool)
            .await
            .map_err(query_error("reading a change counter"))?))
    }

    /// Counts `change` and tells every process watching (on PostgreSQL, at
    /// once by NOTIFY; on SQLite, at their next poll).
    pub async fn announce(&self, change: watch::Change) -> Result<i64, StoreError> {
        let sql = "UPDATE changes SET generation = generation + 1 WHERE name = $1 \
                   RETURNING generation";
        let generation: i64 = on_pool!(self, |pool| sqlx::query_scalar(sql)
            .bind(change.name())
            .fetch_one(pool)
            .await
            .map_err(query_error("counting a change"))?);
        if let Pool::Postgres(pool) = &self.pool {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(NOTIFY_CHANNEL)
                .bind(change.name())
                .execute(pool)
                .await
                .map_err(query_error("notifying other processes"))?;
        }
        Ok(generation)
    }
}

/// Discord ids fit in 63 bits (a snowflake's top bit is never set before
/// the year 2084); stored as `BIGINT`.
fn id_to_i64(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_urls_are_validated() {
        // (url, Ok(is_shared) or Err)
        let table: [(&str, Option<bool>); 7] = [
            ("sqlite://bot.sqlite3", Some(false)),
            ("sqlite:/var/lib/bot.db", Some(false)),
            ("postgres://bot@127.0.0.1:5432/bot", Some(true)),
            ("postgresql://bot:pw@db/bot", Some(true)),
            ("sqlite://", None),
            ("mysql://x", None),
            ("bot.sqlite3", None),
        ];
        for (url, expected) in table {
            let parsed = url.parse::<StoreUrl>();
            assert_eq!(
                parsed.as_ref().ok().map(StoreUrl::is_shared),
                expected,
                "{url}"
            );
        }
    }

    #[test]
    fn passwords_never_show() {
        let url: StoreUrl = "postgres://bot:secret@db:5432/bot".parse().expect("valid");
        assert_eq!(url.to_string(), "postgres://bot:***@db:5432/bot");
        assert!(!format!("{url:?}").contains("secret"));
        let error = "mysql://bot:secret@db"
            .parse::<StoreUrl>()
            .expect_err("bad");
        assert!(!error.to_string().contains("secret"));
    }

    #[test]
    fn the_default_store_sits_beside_the_config() {
        assert_eq!(
            StoreUrl::beside(Path::new("/etc/bot/config.toml")),
            StoreUrl::Sqlite(PathBuf::from("/etc/bot/career-bot.sqlite3"))
        );
    }
}
