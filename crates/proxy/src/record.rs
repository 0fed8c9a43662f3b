//! The record phase: a notable verdict becomes an event on the bounded queue.

use crate::runtime::Shared;
use palisade_engine::Verdict;
use palisade_events::{mask_query, Event, RequestSummary, SignalRecord};
use palisade_types::RequestView;
use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

thread_local! {
    /// Per-thread xorshift state for request ids: no shared counter between cores.
    static RNG: Cell<u64> = Cell::new({
        use std::hash::{BuildHasher, Hasher};
        // RandomState is seeded randomly per thread: a cheap, distinct seed for each worker.
        let mut h = std::hash::RandomState::new().build_hasher();
        h.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos()));
        h.finish() | 1
    });
}

/// A 16-hex-digit request id, unique enough to correlate a client's report with an event.
pub fn request_id() -> String {
    let v = RNG.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        x
    });
    format!("{v:016x}")
}

pub fn event(
    shared: &Shared,
    req: &RequestView,
    verdict: &Verdict,
    status: Option<u16>,
    request_id: &str,
) {
    let now = SystemTime::now();
    let time_ms = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let user_agent = req
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(200).collect());
    let d = &verdict.decision;
    shared.events.send(Event {
        id: 0,
        time_ms,
        time: humantime::format_rfc3339_millis(now).to_string(),
        request_id: request_id.to_string(),
        request: RequestSummary {
            method: req.method.to_string(),
            host: req.host.clone(),
            path: req.path.clone(),
            query: req.query.as_deref().map(mask_query),
            client_ip: req.client_ip.to_string(),
            route: req.route.as_deref().map(str::to_string),
            user_agent,
            status,
        },
        actors: verdict.actors.iter().map(|a| a.to_string()).collect(),
        signals: verdict.signals.iter().map(SignalRecord::from).collect(),
        policy_id: d.policy_id.as_deref().map(str::to_string),
        action: d.action.label().to_string(),
        effective_action: d.effective_action().label().to_string(),
        mode: d.mode,
        reason: d.reason.clone(),
    });
}
