//! The single-node rate-limit backend: GCRA cells in a sharded, bounded map.
//!
//! Written by hand rather than on a general cache (moka, which held these cells before):
//! a cell is one `u64`, and a GCRA cell whose theoretical arrival time has passed behaves
//! exactly like an absent one, so expiry needs no clock of its own and eviction can prefer
//! cells that carry no state. The general cache spent about 3,000 instructions per consume
//! on bookkeeping this map does not need (`examples/engine_loop` under callgrind).

use crate::gcra::{self, Quota, RateOutcome};
use crate::{ActorKey, StateBackend};
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Shards, each behind its own lock, held only for one map operation: workers meet on the
/// same lock only when their keys hash to the same shard.
const SHARDS: usize = 64;

/// The single-node backend: (scope, key) → GCRA theoretical arrival time, at most
/// `capacity` cells.
///
/// A cell is found by a 64-bit hash of (scope, key) under a key drawn at random per process,
/// and stored under that hash alone. Two live pairs share a cell only if their hashes
/// collide: for a million cells, about 3 in 10^8, and an attacker cannot aim for it
/// without the key.
pub struct LocalState {
    epoch: Instant,
    keys: RandomState,
    shards: Box<[Mutex<Cells>]>,
    per_shard: usize,
    evicted: AtomicU64,
}

/// The hash is already uniform: the map uses it as it is.
type Cells = HashMap<u64, u64, BuildHasherDefault<Passthrough>>;

#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; fold anything else in rather than panic.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl LocalState {
    /// At most `capacity` cells (at least one per shard).
    pub fn new(capacity: u64) -> Self {
        let per_shard = usize::try_from(capacity.div_ceil(SHARDS as u64))
            .unwrap_or(usize::MAX)
            .max(1);
        LocalState {
            epoch: Instant::now(),
            keys: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            per_shard,
            evicted: AtomicU64::new(0),
        }
    }

    fn nanos(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    fn locate(&self, scope: &str, key: &ActorKey) -> (u64, &Mutex<Cells>) {
        let h = self.keys.hash_one((scope, key));
        // The map indexes by the low bits and tags by the top seven: pick the shard by
        // bits neither uses, or every cell of a shard would crowd the same buckets.
        let shard = (h >> 40) as usize % SHARDS;
        (h, &self.shards[shard])
    }

    /// Makes room for one more cell in a full shard. Cells whose TAT has passed hold no
    /// state and go first; if they free less than an eighth of the shard, live cells go too
    /// (counted in [`LocalState::evicted`]), so a flood of new keys costs one sweep per
    /// eighth of a shard, not one per key.
    fn make_room(&self, cells: &mut Cells, now: u64) {
        cells.retain(|_, tat| *tat > now);
        let target = self.per_shard - self.per_shard.div_ceil(8);
        if cells.len() > target {
            let excess = cells.len() - target;
            let victims: Vec<u64> = cells.keys().take(excess).copied().collect();
            for k in &victims {
                cells.remove(k);
            }
            self.evicted
                .fetch_add(victims.len() as u64, Ordering::Relaxed);
        }
    }

    /// Live cells dropped to stay within capacity since start (their keys start afresh).
    pub fn evicted(&self) -> u64 {
        self.evicted.load(Ordering::Relaxed)
    }
}

fn lock(shard: &Mutex<Cells>) -> std::sync::MutexGuard<'_, Cells> {
    // A panic elsewhere while holding the lock cannot leave a `u64` half-written.
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

impl StateBackend for LocalState {
    fn peek(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome {
        let (h, shard) = self.locate(scope, key);
        let tat = lock(shard).get(&h).copied().unwrap_or(0);
        gcra::peek(tat, quota, self.nanos(now))
    }

    fn consume(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome {
        let (h, shard) = self.locate(scope, key);
        let now = self.nanos(now);
        let mut cells = lock(shard);
        let tat = cells.get(&h).copied().unwrap_or(0);
        match gcra::step(tat, quota, now) {
            Ok(next) => {
                if tat == 0 && cells.len() >= self.per_shard {
                    self.make_room(&mut cells, now);
                }
                cells.insert(h, next);
                RateOutcome::Allowed
            }
            Err(limited) => limited,
        }
    }

    fn tracked(&self) -> u64 {
        self.shards.iter().map(|s| lock(s).len() as u64).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn limits_per_key_and_scope() {
        let s = LocalState::new(1000);
        let q = Quota::new(3, Duration::from_secs(60));
        let a = ActorKey::Ip("10.0.0.1".parse().unwrap());
        let b = ActorKey::Ip("10.0.0.2".parse().unwrap());
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(s.consume("login", &a, q, t), RateOutcome::Allowed);
        }
        assert!(matches!(
            s.peek("login", &a, q, t),
            RateOutcome::Limited { .. }
        ));
        assert!(matches!(
            s.consume("login", &a, q, t),
            RateOutcome::Limited { .. }
        ));
        assert_eq!(s.peek("login", &b, q, t), RateOutcome::Allowed);
        assert_eq!(s.peek("other", &a, q, t), RateOutcome::Allowed);
        // One emission interval later, one more event fits.
        assert_eq!(
            s.peek("login", &a, q, t + Duration::from_secs(21)),
            RateOutcome::Allowed
        );
    }

    #[test]
    fn capacity_bounds_tracked_entries_and_counts_evictions() {
        let s = LocalState::new(640);
        let q = Quota::new(3, Duration::from_secs(60));
        let t = Instant::now();
        for i in 0..10_000u32 {
            let key = ActorKey::Ip(std::net::IpAddr::from(i.to_be_bytes()));
            s.consume("login", &key, q, t);
        }
        assert!(s.tracked() <= 640, "tracked {}", s.tracked());
        // Every cell was live (same instant): the ones that made room were counted.
        assert_eq!(s.evicted(), 10_000 - s.tracked());
    }

    #[test]
    fn spent_cells_make_room_before_live_ones() {
        let s = LocalState::new(256);
        let t = Instant::now();
        // One client at its limit for the next hour...
        let busy = ActorKey::Ip("10.9.9.9".parse().unwrap());
        let hourly = Quota::new(3, Duration::from_secs(3600));
        for _ in 0..3 {
            s.consume("login", &busy, hourly, t);
        }
        // ...and a thousand one-off clients a second apart, each cell spent a second later.
        let q = Quota::new(3, Duration::from_secs(1));
        for i in 0..1000u32 {
            let key = ActorKey::Ip(std::net::IpAddr::from(i.to_be_bytes()));
            s.consume("login", &key, q, t + Duration::from_secs(u64::from(i)));
        }
        // Full shards made room from spent cells: nothing live was dropped, and the busy
        // client is still limited.
        assert_eq!(s.evicted(), 0);
        assert!(s.tracked() <= 256, "tracked {}", s.tracked());
        assert!(matches!(
            s.consume("login", &busy, hourly, t + Duration::from_secs(1000)),
            RateOutcome::Limited { .. }
        ));
    }
}
