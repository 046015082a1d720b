//! An append-only, ordered log that tests can wait on.
//!
//! Every request the loopback server receives and every gateway frame it
//! sends or receives is pushed to a [`Log`]. Tests never sleep to let
//! something happen: they call [`Log::wait_for`] with a predicate and a
//! failure bound, and wake up as soon as a matching entry is pushed (a
//! `tokio::sync::watch` channel carries the log length).

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

/// A bounded wait ended without a matching entry.
#[derive(Clone)]
pub struct TimeoutError {
    /// What was waited for, in words.
    pub waited_for: String,
    /// How long the wait lasted.
    pub after: Duration,
    /// One line per entry seen during the wait (the last 40), to make a
    /// failing test readable.
    pub seen: Vec<String>,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "timed out after {:.1?} waiting for {}; {} entries seen{}",
            self.after,
            self.waited_for,
            self.seen.len(),
            if self.seen.is_empty() { "" } else { ":" }
        )?;
        for line in &self.seen {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for TimeoutError {}

/// Entries of a [`Log`] describe themselves in one line for
/// [`TimeoutError`]s.
pub trait Summary {
    /// One line describing the entry.
    fn summary(&self) -> String;
}

/// An append-only log of `T` with waits on its growth.
pub struct Log<T> {
    entries: Mutex<Vec<T>>,
    len: watch::Sender<usize>,
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        let (len, _) = watch::channel(0);
        Log {
            entries: Mutex::new(Vec::new()),
            len,
        }
    }
}

impl<T: Clone + Summary> Log<T> {
    /// Appends an entry built from its index, and wakes every waiter.
    pub fn push_with(&self, build: impl FnOnce(usize) -> T) -> T {
        let mut entries = self.entries.lock().unwrap();
        let entry = build(entries.len());
        entries.push(entry.clone());
        let len = entries.len();
        drop(entries);
        self.len.send_replace(len);
        entry
    }

    /// A copy of every entry so far.
    pub fn snapshot(&self) -> Vec<T> {
        self.entries.lock().unwrap().clone()
    }

    /// How many entries so far; a mark to pass to [`Log::wait_for`] to
    /// wait only for later entries.
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }

    /// Whether nothing was recorded yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries from index `from` on that satisfy `predicate`.
    pub fn matching(&self, from: usize, mut predicate: impl FnMut(&T) -> bool) -> Vec<T> {
        let entries = self.entries.lock().unwrap();
        entries
            .iter()
            .skip(from)
            .filter(|entry| predicate(entry))
            .cloned()
            .collect()
    }

    /// The first entry at index `from` or later that satisfies
    /// `predicate`, waiting up to `timeout` for it to be pushed.
    pub async fn wait_for(
        &self,
        from: usize,
        what: &str,
        mut predicate: impl FnMut(&T) -> bool,
        timeout: Duration,
    ) -> Result<T, TimeoutError> {
        let started = Instant::now();
        let deadline = started + timeout;
        let mut changes = self.len.subscribe();
        let mut next = from;
        loop {
            // Mark the current length as seen before scanning, so a push
            // during the scan still wakes the `changed()` below.
            changes.borrow_and_update();
            {
                let entries = self.entries.lock().unwrap();
                while next < entries.len() {
                    if predicate(&entries[next]) {
                        return Ok(entries[next].clone());
                    }
                    next += 1;
                }
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => continue,
                // The sender lives as long as `self`: a closed channel
                // cannot happen while we borrow it, but treat it as a
                // timeout rather than spin.
                Ok(Err(_)) | Err(_) => {
                    return Err(self.timeout_error(from, what, started.elapsed()));
                }
            }
        }
    }

    /// Waits until `count` entries from `from` on satisfy `predicate`, and
    /// returns them.
    pub async fn wait_for_count(
        &self,
        from: usize,
        count: usize,
        what: &str,
        mut predicate: impl FnMut(&T) -> bool,
        timeout: Duration,
    ) -> Result<Vec<T>, TimeoutError> {
        let started = Instant::now();
        let deadline = started + timeout;
        let mut changes = self.len.subscribe();
        loop {
            changes.borrow_and_update();
            let found = self.matching(from, &mut predicate);
            if found.len() >= count {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => continue,
                Ok(Err(_)) | Err(_) => {
                    let what = format!("{count} × {what} (found {})", found.len());
                    return Err(self.timeout_error(from, &what, started.elapsed()));
                }
            }
        }
    }

    fn timeout_error(&self, from: usize, what: &str, after: Duration) -> TimeoutError {
        let entries = self.entries.lock().unwrap();
        let seen: Vec<String> = entries.iter().skip(from).map(Summary::summary).collect();
        let skip = seen.len().saturating_sub(40);
        TimeoutError {
            waited_for: what.to_string(),
            after,
            seen: seen.into_iter().skip(skip).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[derive(Clone, Debug, PartialEq)]
    struct Entry(usize, &'static str);

    impl Summary for Entry {
        fn summary(&self) -> String {
            format!("#{} {}", self.0, self.1)
        }
    }

    #[tokio::test]
    async fn wait_wakes_on_a_later_push_and_times_out_with_context() {
        let log = Arc::new(Log::<Entry>::default());
        log.push_with(|i| Entry(i, "first"));
        let pusher = {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                log.push_with(|i| Entry(i, "second"));
            })
        };
        let got = log
            .wait_for(0, "second", |e| e.1 == "second", Duration::from_secs(10))
            .await
            .unwrap();
        assert_eq!(got, Entry(1, "second"));
        pusher.await.unwrap();

        // A mark skips earlier entries.
        let mark = log.len();
        let err = log
            .wait_for(
                mark,
                "another first",
                |e| e.1 == "first",
                Duration::from_millis(20),
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains("another first"), "{err}");

        let all = log
            .wait_for_count(0, 2, "any", |_| true, Duration::from_secs(1))
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
    }
}
