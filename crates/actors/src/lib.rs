//! Who is acting, and what they have done lately. Actor keys name a client (address,
//! network, session, user, API key, fingerprint, custom keys); records of what each did live
//! behind [`ActorStore`], rate-limit cells behind [`StateBackend`], so a fleet backend
//! (Redis) can replace the in-process ones without touching the engine. The behavioural
//! detectors (`behaviour.rs`) turn records into findings the policies read as signals.
//!
//! Architecture invariant: state is bounded. Every map here has a capacity; records expire
//! after an idle TTL, rate-limit cells once their allowance is whole again.
#![forbid(unsafe_code)]

mod behaviour;
mod cells;
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
pub use cells::LocalState;
pub use decay::{fnv64, hash32, Decayed, Recent, Secs};
pub use endpoints::{EndpointInfo, Endpoints};
pub use gcra::{Quota, RateOutcome};
pub use key::ActorKey;
pub use marks::{Mark, MarkKind, Marks};
pub use record::{Evidence, Level, LoginStats, Record, Traffic, LINKED_LEN, TRAIL_LEN};
pub use report::{detail, list, ActorDetail, ActorSummary, LoginSummary, ReportTime};
pub use shape::{endpoint_template, header_fingerprint};
pub use store::{ActorStore, LocalActors};

use std::time::Instant;

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
