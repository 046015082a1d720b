//! Delivering a request to Discord despite transient failures: the bot's
//! own bounded retries, on top of serenity's rate limiter.
//!
//! This is the one path to Discord: every request the front end makes —
//! message replies, interaction responses, follow-ups and edits, the
//! context-menu answer, notices, reading back a posted response — goes
//! through [`deliver`] (or [`deliver_with`] for a different
//! [`RetryPolicy`]), which names the request for the log and the error.
//!
//! serenity waits out a 429 that carries `Retry-After` (per route, and the
//! global limit) when its rate limiter is on. It returns everything else as
//! an error: a 429 without `Retry-After`, 500, 502, 503, 504, a refused
//! connection — and, behind `discord.proxy_url` where its rate limiter is
//! off, every 429. serenity's error keeps the status code but not the
//! response headers (and cannot decode Discord's 429 body), so the bot
//! matches on status codes and waits with capped exponential backoff; a
//! `Retry-After` it could honour has already been honoured by serenity.
//!
//! [`with_retries`] retries those and gives up after
//! [`RetryPolicy::attempts`], returning [`SendError::GaveUp`] so the caller
//! can log exactly what was not delivered. Other errors (a 400 for a bad
//! body, a 403 for a missing permission, a timeout after which the request
//! may have been processed) are not retried: [`SendError::Refused`].

use std::collections::hash_map::RandomState;
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::time::Duration;

use serenity::http::HttpError;

/// How often and how long to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// The wait before the first retry; each later wait doubles.
    pub first_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts, waiting about 0.5 s, 1 s and 2 s between them.
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
        }
    }
}

impl RetryPolicy {
    /// For an interaction's first response, which Discord accepts only
    /// within three seconds of the interaction: four attempts, about
    /// 0.25 s, 0.5 s and 1 s apart.
    pub fn interaction_callback() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            first_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(1),
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), before
    /// jitter: `first_delay · 2^(retry-1)`, at most `max_delay`.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// [`RetryPolicy::delay`] shortened by up to a quarter at random, so
    /// replies held up by the same outage do not all retry at once.
    pub fn jittered_delay(&self, retry: u32) -> Duration {
        let delay = self.delay(retry);
        let random = RandomState::new().hash_one(retry);
        // 0 to 255 of 1024ths: at most a quarter off.
        let off = delay.saturating_mul((random % 256) as u32) / 1024;
        delay.saturating_sub(off)
    }
}

/// A request that was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Discord (or the connection) failed in a way retrying cannot fix.
    #[error("{0}")]
    Refused(#[source] Box<serenity::Error>),
    /// Every attempt failed with a transient error; the last one is kept.
    #[error("gave up after {attempts} attempts, the last failing with: {last}")]
    GaveUp {
        /// How many attempts were made.
        attempts: u32,
        /// The last attempt's error.
        #[source]
        last: Box<serenity::Error>,
    },
}

/// A request that was not delivered, and which one.
#[derive(Debug, thiserror::Error)]
#[error("{what} was not delivered: {source}")]
pub struct Undelivered {
    /// The request, e.g. "answer part 1 of 2 to message 5 in channel 7".
    pub what: String,
    /// Why.
    #[source]
    pub source: SendError,
}

/// Sends one request to Discord with the default [`RetryPolicy`]: `attempt`
/// makes it (and is called again for a retry); `what` names it in the log
/// and in the error.
pub async fn deliver<T, F, Fut>(what: impl Into<String>, attempt: F) -> Result<T, Undelivered>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    deliver_with(RetryPolicy::default(), what, attempt).await
}

/// [`deliver`] with `policy`.
pub async fn deliver_with<T, F, Fut>(
    policy: RetryPolicy,
    what: impl Into<String>,
    attempt: F,
) -> Result<T, Undelivered>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    let what = what.into();
    with_retries(policy, &what, attempt)
        .await
        .map_err(|source| Undelivered { what, source })
}

/// Why `error` is worth another attempt, or `None` when it is not: 429
/// (serenity did not wait it out), 500, 502, 503, 504, or a connection that
/// could not be established (the request never left).
pub fn transient_reason(error: &serenity::Error) -> Option<String> {
    let serenity::Error::Http(http) = error else {
        return None;
    };
    match http {
        HttpError::UnsuccessfulRequest(response) => {
            let status = response.status_code.as_u16();
            matches!(status, 429 | 500 | 502 | 503 | 504).then(|| format!("HTTP {status}"))
        }
        HttpError::Request(request) if request.is_connect() => {
            Some("connection failed".to_string())
        }
        _ => None,
    }
}

/// Runs `attempt` until it succeeds, fails for good, or `policy.attempts`
/// attempts failed transiently, sleeping between attempts. `what` names
/// the request in the log ("reply to message 1 in channel 2").
pub async fn with_retries<T, F, Fut>(
    policy: RetryPolicy,
    what: &(dyn fmt::Display + Sync),
    mut attempt: F,
) -> Result<T, SendError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, serenity::Error>>,
{
    let attempts = policy.attempts.max(1);
    let mut made = 0;
    loop {
        made += 1;
        let error = match attempt().await {
            Ok(value) => {
                if made > 1 {
                    tracing::info!(%what, attempt = made, "delivered after retrying");
                }
                return Ok(value);
            }
            Err(error) => error,
        };
        let Some(reason) = transient_reason(&error) else {
            return Err(SendError::Refused(Box::new(error)));
        };
        if made >= attempts {
            return Err(SendError::GaveUp {
                attempts: made,
                last: Box::new(error),
            });
        }
        let delay = policy.jittered_delay(made);
        tracing::warn!(
            %what,
            attempt = made,
            of = attempts,
            %reason,
            %error,
            retry_in = ?delay,
            "request to Discord failed; retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn fast() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            first_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        }
    }

    /// The error serenity returns for a response with `status` and
    /// Discord's 429 body (which serenity cannot decode).
    async fn status_error(status: u16) -> serenity::Error {
        let response = http::Response::builder()
            .status(status)
            .body(r#"{"message": "You are being rate limited.", "retry_after": 1.0, "global": false}"#)
            .expect("a response");
        let response = serenity::http::ErrorResponse::from_response(
            reqwest::Response::from(response),
            reqwest::Method::POST,
        )
        .await;
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response))
    }

    #[tokio::test]
    async fn transient_statuses_are_recognised() {
        for status in [429, 500, 502, 503, 504] {
            let error = status_error(status).await;
            assert_eq!(transient_reason(&error), Some(format!("HTTP {status}")));
        }
        for status in [400, 401, 403, 404, 501] {
            assert_eq!(transient_reason(&status_error(status).await), None);
        }
        assert_eq!(transient_reason(&serenity::Error::Other("x")), None);
    }

    #[tokio::test]
    async fn gives_up_after_the_last_attempt_with_the_last_error() {
        let calls = AtomicU32::new(0);
        let outcome: Result<(), SendError> = with_retries(fast(), &"test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), _>(status_error(503).await) }
        })
        .await;
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        match outcome {
            Err(SendError::GaveUp { attempts, last }) => {
                assert_eq!(attempts, 3);
                assert_eq!(transient_reason(&last), Some("HTTP 503".to_string()));
            }
            other => panic!("expected GaveUp, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_transient_failure_then_success_is_delivered() {
        let calls = AtomicU32::new(0);
        let outcome = with_retries(fast(), &"test", || {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if call < 2 {
                    Err(status_error(502).await)
                } else {
                    Ok(call)
                }
            }
        })
        .await;
        assert_eq!(outcome.ok(), Some(2));
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1), Duration::from_millis(500));
        assert_eq!(policy.delay(2), Duration::from_secs(1));
        assert_eq!(policy.delay(3), Duration::from_secs(2));
        assert_eq!(policy.delay(5), Duration::from_secs(8));
        assert_eq!(policy.delay(60), Duration::from_secs(8));
        for retry in 1..6 {
            let jittered = policy.jittered_delay(retry);
            assert!(jittered <= policy.delay(retry));
            assert!(jittered >= policy.delay(retry) * 3 / 4);
        }
    }

    #[tokio::test]
    async fn permanent_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let outcome: Result<(), SendError> = with_retries(fast(), &"test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(serenity::Error::Http(HttpError::ApplicationIdMissing)) }
        })
        .await;
        assert!(matches!(outcome, Err(SendError::Refused(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn success_after_failures_and_success_at_once() {
        let calls = AtomicU32::new(0);
        let outcome = with_retries(fast(), &"test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, serenity::Error>(7) }
        })
        .await;
        assert_eq!(outcome.ok(), Some(7));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
