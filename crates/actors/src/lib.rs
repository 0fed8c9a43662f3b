//! Who is acting, and what they have done lately. Actor keys name a client (address,
//! network, session, user, API key, fingerprint, custom keys); records of what each did live
//! behind [`ActorStore`], rate-limit cells behind [`StateBackend`], so a fleet backend
//! (Redis) can replace the in-process ones without touching the engine. The behavioural
//! detectors (`behaviour.rs`) turn records into findings the policies read as signals.
//!
//! Architecture invariant: state is bounded. Every map here has a capacity and an idle TTL.
#![forbid(unsafe_code)]

mod behaviour;
mod decay;
mod endpoints;
mod gcra;
mod key;
mod marks;
mod record;
mod report;
mod shape;
mod store;

pub use behaviour::{
    on_request, on_response, weight, Finding, RequestFacts, ResponseFacts, Tuning, View,
};
pub use decay::{fnv64, hash32, Decayed, Recent, Secs};
pub use endpoints::{EndpointInfo, Endpoints};
pub use gcra::{Quota, RateOutcome};
pub use key::ActorKey;
pub use marks::{Mark, MarkKind, Marks};
pub use record::{Evidence, Level, LoginStats, Record, Traffic, LINKED_LEN, TRAIL_LEN};
pub use report::{detail, list, ActorDetail, ActorSummary, LoginSummary, ReportTime};
pub use shape::{endpoint_template, header_fingerprint};
pub use store::{ActorStore, LocalActors};

use moka::sync::Cache;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Per-actor counters. Implementations must be safe to call from every worker at once and
/// must not block on I/O on the request path (a remote backend answers from a local cache and
/// syncs in batches).
pub trait StateBackend: Send + Sync {
    /// Would one more event under `quota` for (`scope`, `key`) be allowed now? Does not count it.
    fn peek(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome;
    /// Counts one event under `quota` and says whether it was within the limit.
    fn consume(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome;
    /// Number of (scope, key) entries tracked now.
    fn tracked(&self) -> u64;
}

/// The single-node backend: a moka cache (bounded by entry count, entries dropped after
/// `idle` without use) from (scope, key) to a GCRA theoretical arrival time.
pub struct LocalState {
    epoch: Instant,
    cells: Cache<(Arc<str>, ActorKey), Arc<AtomicU64>>,
}

impl LocalState {
    /// `capacity` entries at most; an entry unused for `idle` is forgotten (it would have
    /// decayed back to a full allowance anyway when `idle` ≥ the longest quota window).
    pub fn new(capacity: u64, idle: Duration) -> Self {
        LocalState {
            epoch: Instant::now(),
            cells: Cache::builder()
                .max_capacity(capacity)
                .time_to_idle(idle)
                .build(),
        }
    }

    fn cell(&self, scope: &str, key: &ActorKey) -> Arc<AtomicU64> {
        self.cells.get_with((Arc::from(scope), key.clone()), || {
            Arc::new(AtomicU64::new(0))
        })
    }
}

impl StateBackend for LocalState {
    fn peek(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome {
        match self.cells.get(&(Arc::from(scope), key.clone())) {
            Some(cell) => gcra::peek(&cell, quota, self.nanos(now)),
            None => RateOutcome::Allowed,
        }
    }

    fn consume(&self, scope: &str, key: &ActorKey, quota: Quota, now: Instant) -> RateOutcome {
        gcra::consume(&self.cell(scope, key), quota, self.nanos(now))
    }

    fn tracked(&self) -> u64 {
        self.cells.run_pending_tasks();
        self.cells.entry_count()
    }
}

impl LocalState {
    fn nanos(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_key_and_scope() {
        let s = LocalState::new(1000, Duration::from_secs(60));
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
        assert_eq!(s.peek("login", &b, q, t), RateOutcome::Allowed);
        assert_eq!(s.peek("other", &a, q, t), RateOutcome::Allowed);
        // One emission interval later, one more event fits.
        assert_eq!(
            s.peek("login", &a, q, t + Duration::from_secs(21)),
            RateOutcome::Allowed
        );
    }

    #[test]
    fn capacity_bounds_tracked_entries() {
        let s = LocalState::new(100, Duration::from_secs(60));
        let q = Quota::new(3, Duration::from_secs(60));
        let t = Instant::now();
        for i in 0..10_000u32 {
            let key = ActorKey::Ip(std::net::IpAddr::from(i.to_be_bytes()));
            s.consume("login", &key, q, t);
        }
        assert!(s.tracked() <= 100, "tracked {}", s.tracked());
    }
}
