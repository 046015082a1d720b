//! Changes made by other processes: a counselor taught examples (every
//! process retrains) or asked for a knowledge reload (every process reloads).
//!
//! Each change has a counter in the store ([`Store::announce`] adds one).
//! [`watch`] compares the counters with those it saw last, every
//! [`POLL_PERIOD`], and, on PostgreSQL, at once when a NOTIFY arrives on
//! [`super::NOTIFY_CHANNEL`]; a NOTIFY lost while the connection was down is
//! caught by the next poll. Reports go to a channel; what to do about them
//! is the front end's business.

use std::collections::HashMap;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Pool, Store, NOTIFY_CHANNEL};

/// How often the counters are read, whatever the database.
pub const POLL_PERIOD: Duration = Duration::from_secs(2);

/// A change another process (or this one) made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// Examples were taught: retrain.
    Taught,
    /// A knowledge reload was asked for.
    Reload,
}

impl Change {
    /// Every change.
    pub const ALL: [Change; 2] = [Change::Taught, Change::Reload];

    /// Its counter's name in the store.
    pub fn name(self) -> &'static str {
        match self {
            Change::Taught => "taught",
            Change::Reload => "reload",
        }
    }
}

/// Watches `store` for changes, reporting each to `changes`, until the
/// receiver is dropped. Changes made before the call are not reported.
pub async fn watch(
    store: Store,
    changes: mpsc::Sender<Change>,
) -> Result<JoinHandle<()>, super::StoreError> {
    let mut seen: HashMap<Change, i64> = HashMap::new();
    for change in Change::ALL {
        seen.insert(change, store.generation(change).await?);
    }
    let mut listener = match &store.pool {
        Pool::Postgres(pool) => {
            let mut listener = PgListener::connect_with(pool)
                .await
                .map_err(super::query_error("listening for changes"))?;
            listener
                .listen(NOTIFY_CHANNEL)
                .await
                .map_err(super::query_error("listening for changes"))?;
            Some(listener)
        }
        Pool::Sqlite(_) => None,
    };
    Ok(tokio::spawn(async move {
        let mut poll = tokio::time::interval(POLL_PERIOD);
        loop {
            let notified = async {
                match listener.as_mut() {
                    // `recv` reconnects by itself after a lost connection.
                    Some(listener) => listener.recv().await.is_ok(),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = poll.tick() => {}
                ok = notified => {
                    if !ok {
                        // Down: the poll covers for it; do not spin.
                        tokio::time::sleep(POLL_PERIOD).await;
                    }
                }
                _ = changes.closed() => return,
            }
            for change in Change::ALL {
                let Ok(now) = store.generation(change).await else {
                    continue;
                };
                let last = seen.entry(change).or_insert(now);
                if now != *last {
                    *last = now;
                    if changes.send(change).await.is_err() {
                        return;
                    }
                }
            }
        }
    }))
}

/// Keeps `live` in step with the store: retrains when examples are taught
/// (here or in another process) and reloads the knowledge when another
/// process's `/reload` asks. Runs until the runtime stops.
pub async fn follow(
    store: Store,
    live: std::sync::Arc<crate::reload::LiveKnowledge>,
) -> Result<JoinHandle<()>, super::StoreError> {
    let (sender, mut changes) = mpsc::channel(8);
    let watcher = watch(store.clone(), sender).await?;
    Ok(tokio::spawn(async move {
        while let Some(change) = changes.recv().await {
            match change {
                Change::Taught => match store.taught_examples().await {
                    Ok(taught) => {
                        // The outcome is logged; nobody else waits for it.
                        let outcome = live.retrain(taught).await;
                        if let Err(error) = outcome {
                            tracing::error!(%error, "retraining with the taught examples failed");
                        } else {
                            tracing::info!("retrained with the examples counselors taught");
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "cannot read the taught examples to retrain")
                    }
                },
                Change::Reload => {
                    let _ = live
                        .reload_and_log("a /reload in a process sharing the store")
                        .await;
                }
            }
        }
        watcher.abort();
    }))
}
