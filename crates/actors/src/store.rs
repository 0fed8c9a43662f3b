//! Where actor records live. One trait, so a fleet backend can take the in-process one's
//! place: records are sums of decayed counters and bounded rings, which merge by adding, so
//! a remote backend can serve reads from a local cache like this one and push per-key
//! deltas in batches, off the request path.

use crate::decay::Secs;
use crate::record::Record;
use crate::ActorKey;
use moka::sync::Cache;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub trait ActorStore: Send + Sync {
    /// Runs `f` on the record for `key`, creating it if needed.
    fn update(&self, key: &ActorKey, now: Secs, f: &mut dyn FnMut(&mut Record));
    /// Runs `f` on the record for `key` if there is one; false if there is none.
    fn read(&self, key: &ActorKey, f: &mut dyn FnMut(&Record)) -> bool;
    /// Visits every record (admin listings; not for the request path).
    fn scan(&self, f: &mut dyn FnMut(&ActorKey, &Record));
    /// Records held now.
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The single-node store: a moka cache (bounded by entry count, idle entries expire) of
/// records, each behind its own mutex. No lock is shared between actors: two requests
/// contend only when they update the same actor key.
pub struct LocalActors {
    cells: Cache<ActorKey, Arc<Mutex<Record>>>,
}

impl LocalActors {
    pub fn new(capacity: u64, idle: Duration) -> Self {
        LocalActors {
            cells: Cache::builder()
                .max_capacity(capacity)
                .time_to_idle(idle)
                .build(),
        }
    }
}

impl ActorStore for LocalActors {
    fn update(&self, key: &ActorKey, now: Secs, f: &mut dyn FnMut(&mut Record)) {
        let cell = self.cells.get_with_by_ref(key, || {
            Arc::new(Mutex::new(Record {
                first_seen: now,
                ..Record::default()
            }))
        });
        // A poisoned record (a panic mid-update) is still a set of counters: keep using it.
        let mut r = cell.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut r);
    }

    fn read(&self, key: &ActorKey, f: &mut dyn FnMut(&Record)) -> bool {
        match self.cells.get(key) {
            Some(cell) => {
                f(&cell.lock().unwrap_or_else(|p| p.into_inner()));
                true
            }
            None => false,
        }
    }

    fn scan(&self, f: &mut dyn FnMut(&ActorKey, &Record)) {
        for (k, cell) in self.cells.iter() {
            f(&k, &cell.lock().unwrap_or_else(|p| p.into_inner()));
        }
    }

    fn len(&self) -> u64 {
        self.cells.run_pending_tasks();
        self.cells.entry_count()
    }
}
