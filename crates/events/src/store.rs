//! The embedded event store: redb, chosen over SQLite because it is pure Rust (no C build,
//! nothing to install), crash-safe, and its ordered u64 keys give exactly the access pattern
//! events need — append in time order, read newest first, cut the oldest. Filters are applied
//! while scanning backwards, which is bounded by `limit` plus the scan cap.

use crate::Event;
use palisade_types::Category;
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events_v1");

/// Most events a query scans before it gives up looking for matches.
const SCAN_CAP: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("event store {path}: {source}")]
    Open {
        path: String,
        source: redb::DatabaseError,
    },
    #[error("event store: {0}")]
    Db(String),
}

fn db_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(e.to_string())
}

/// Filters for reading events back, newest first.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub limit: usize,
    /// Only events at or after this time (ms since the epoch).
    pub since_ms: Option<u64>,
    pub category: Option<Category>,
}

pub struct Store {
    db: Arc<Database>,
    max_age: Duration,
    max_events: u64,
    max_bytes: u64,
    /// Bytes of stored event JSON, kept in memory to enforce `max_bytes` without scanning.
    bytes: u64,
    last_id: u64,
}

impl Store {
    pub fn open(
        path: &Path,
        max_age: Duration,
        max_events: u64,
        max_bytes: u64,
    ) -> Result<Store, StoreError> {
        let db = Database::create(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        let mut store = Store {
            db: Arc::new(db),
            max_age,
            max_events,
            max_bytes,
            bytes: 0,
            last_id: 0,
        };
        let tx = store.db.begin_write().map_err(db_err)?;
        {
            let table = tx.open_table(EVENTS).map_err(db_err)?;
            for entry in table.iter().map_err(db_err)? {
                let (k, v) = entry.map_err(db_err)?;
                store.bytes += v.value().len() as u64;
                store.last_id = store.last_id.max(k.value());
            }
        }
        tx.commit().map_err(db_err)?;
        Ok(store)
    }

    /// Appends events (assigning their ids) and applies retention, in one transaction.
    pub fn append(&mut self, events: &mut [Event], now_ms: u64) -> Result<(), StoreError> {
        let tx = self.db.begin_write().map_err(db_err)?;
        {
            let mut table = tx.open_table(EVENTS).map_err(db_err)?;
            for e in events.iter_mut() {
                // Ids are time-ordered (µs-ish resolution from the event time) and unique.
                let id = (e.time_ms * 1000).max(self.last_id + 1);
                self.last_id = id;
                e.id = id;
                let json = serde_json::to_vec(e).map_err(db_err)?;
                self.bytes += json.len() as u64;
                table.insert(id, json.as_slice()).map_err(db_err)?;
            }
            self.retain(&mut table, now_ms)?;
        }
        tx.commit().map_err(db_err)
    }

    fn retain(
        &mut self,
        table: &mut redb::Table<u64, &[u8]>,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        let cutoff = now_ms
            .saturating_sub(u64::try_from(self.max_age.as_millis()).unwrap_or(u64::MAX))
            * 1000;
        loop {
            let len = table.len().map_err(db_err)?;
            let over = len > self.max_events || self.bytes > self.max_bytes;
            let oldest_key = match table.first().map_err(db_err)? {
                Some((k, _)) => k.value(),
                None => return Ok(()),
            };
            if !over && oldest_key >= cutoff {
                return Ok(());
            }
            if let Some((_, v)) = table.pop_first().map_err(db_err)? {
                self.bytes = self.bytes.saturating_sub(v.value().len() as u64);
            }
        }
    }

    /// A handle for reading while this store keeps writing (redb serves both at once).
    pub fn reader(&self) -> StoreReader {
        StoreReader {
            db: self.db.clone(),
        }
    }

    pub fn len(&self) -> Result<u64, StoreError> {
        self.reader().len()
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    pub fn query(&self, q: &EventQuery) -> Result<Vec<Event>, StoreError> {
        self.reader().query(q)
    }
}

/// Read side of the store, cheap to clone, used by the admin API.
#[derive(Clone)]
pub struct StoreReader {
    db: Arc<Database>,
}

impl StoreReader {
    /// Events matching `q`, newest first.
    pub fn query(&self, q: &EventQuery) -> Result<Vec<Event>, StoreError> {
        let tx = self.db.begin_read().map_err(db_err)?;
        let table = match tx.open_table(EVENTS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(db_err(e)),
        };
        let lower = q.since_ms.unwrap_or(0).saturating_mul(1000);
        let mut out = Vec::new();
        for (scanned, entry) in table.range(lower..).map_err(db_err)?.rev().enumerate() {
            if out.len() >= q.limit || scanned >= SCAN_CAP {
                break;
            }
            let (_, v) = entry.map_err(db_err)?;
            let Ok(event) = serde_json::from_slice::<Event>(v.value()) else {
                continue;
            };
            if q.category.is_some_and(|c| !event.has_category(c)) {
                continue;
            }
            out.push(event);
        }
        Ok(out)
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    pub fn len(&self) -> Result<u64, StoreError> {
        let tx = self.db.begin_read().map_err(db_err)?;
        match tx.open_table(EVENTS) {
            Ok(t) => t.len().map_err(db_err),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(0),
            Err(e) => Err(db_err(e)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    pub(crate) fn event(time_ms: u64) -> crate::Event {
        super::tests::event(time_ms, palisade_types::Category::Sqli)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RequestSummary, SignalRecord};
    use palisade_types::Mode;

    pub(crate) fn event(time_ms: u64, category: Category) -> Event {
        Event {
            id: 0,
            time_ms,
            time: String::new(),
            request_id: "r".into(),
            request: RequestSummary {
                method: "GET".into(),
                host: "h".into(),
                path: "/".into(),
                query: None,
                client_ip: "127.0.0.1".into(),
                route: None,
                user_agent: None,
                status: Some(403),
            },
            actors: vec![],
            signals: vec![SignalRecord {
                detector: "d".into(),
                category,
                confidence: 0.9,
                place: "query:q".into(),
                evidence: "x".into(),
                reason: "test".into(),
            }],
            policy_id: None,
            action: "block".into(),
            effective_action: "block".into(),
            mode: Mode::Enforce,
            reason: String::new(),
        }
    }

    #[test]
    fn append_query_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(
            &dir.path().join("e.redb"),
            Duration::from_secs(3600),
            100,
            1 << 20,
        )
        .unwrap();
        let now = 1_000_000_000;
        let mut batch = vec![
            event(now - 3, Category::Sqli),
            event(now - 2, Category::Xss),
            event(now - 1, Category::Sqli),
        ];
        s.append(&mut batch, now).unwrap();
        assert!(batch[0].id < batch[1].id && batch[1].id < batch[2].id);
        let all = s
            .query(&EventQuery {
                limit: 10,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].time_ms, now - 1, "newest first");
        let sqli = s
            .query(&EventQuery {
                limit: 10,
                category: Some(Category::Sqli),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(sqli.len(), 2);
        let recent = s
            .query(&EventQuery {
                limit: 10,
                since_ms: Some(now - 2),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(recent.len(), 2);
        let one = s
            .query(&EventQuery {
                limit: 1,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn retention_by_count_age_and_size_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.redb");
        let now = 10_000_000;
        {
            let mut s = Store::open(&path, Duration::from_secs(60), 5, 1 << 20).unwrap();
            let mut old = vec![event(now - 120_000, Category::Sqli)];
            s.append(&mut old, now - 120_000).unwrap();
            let mut batch: Vec<Event> =
                (0..8).map(|i| event(now - 10 + i, Category::Xss)).collect();
            s.append(&mut batch, now).unwrap();
            assert_eq!(s.len().unwrap(), 5, "count cap keeps the newest five");
            let kept = s
                .query(&EventQuery {
                    limit: 10,
                    ..Default::default()
                })
                .unwrap();
            assert!(
                kept.iter().all(|e| e.has_category(Category::Xss)),
                "old event aged out"
            );
        }
        let s = Store::open(&path, Duration::from_secs(60), 5, 1 << 20).unwrap();
        assert_eq!(s.len().unwrap(), 5, "events survive reopening");

        let mut tiny = Store::open(
            &dir.path().join("t.redb"),
            Duration::from_secs(60),
            100,
            600,
        )
        .unwrap();
        let mut batch: Vec<Event> = (0..10).map(|i| event(now + i, Category::Xss)).collect();
        tiny.append(&mut batch, now + 10).unwrap();
        let n = tiny.len().unwrap();
        assert!(n < 10 && n > 0, "size cap cut the oldest, kept {n}");
    }
}
