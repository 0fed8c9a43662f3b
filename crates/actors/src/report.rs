//! Actors as the admin API and `palisade actors` show them: ranked summaries, and one
//! actor's detail with its evidence trail.

use crate::decay::Secs;
use crate::record::{Evidence, Level, Record};
use crate::store::ActorStore;
use crate::{ActorKey, MarkKind, Marks};
use serde::Serialize;
use std::time::Instant;

#[derive(Debug, Clone, Serialize)]
pub struct ActorSummary {
    pub key: String,
    pub kind: &'static str,
    pub score: f32,
    pub level: Level,
    pub requests: u32,
    /// Unix milliseconds.
    pub first_seen_ms: u64,
    pub last_seen_ms: u64,
    pub blocked: bool,
    pub deceived: bool,
    /// A campaign detector flagged this (shared) key.
    pub campaign: bool,
    pub linked: Vec<String>,
    pub login: Option<LoginSummary>,
    /// Signals and mitigations on record.
    pub evidence: usize,
    /// The most recent evidence's detector.
    pub last_signal: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoginSummary {
    pub attempts: f32,
    pub failures: f32,
    pub usernames: f32,
    pub addresses: f32,
    pub ever_succeeded: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActorDetail {
    #[serde(flatten)]
    pub summary: ActorSummary,
    /// Oldest first.
    pub trail: Vec<Evidence>,
}

/// What the report needs to turn record times into wall-clock times.
#[derive(Clone, Copy, Debug)]
pub struct ReportTime {
    pub now: Secs,
    pub instant: Instant,
    pub epoch_unix_ms: u64,
    pub score_half_life: f32,
    pub login_half_life: f32,
}

impl ReportTime {
    fn ms(&self, s: Secs) -> u64 {
        self.epoch_unix_ms + (f64::from(s) * 1000.0) as u64
    }
}

fn summary(key: &ActorKey, r: &Record, marks: &Marks, t: &ReportTime) -> ActorSummary {
    let score = r.score.get(t.now, t.score_half_life);
    let hl = t.login_half_life;
    ActorSummary {
        key: key.to_string(),
        kind: key.kind(),
        score: (score * 10.0).round() / 10.0,
        level: Level::of(score),
        requests: r.requests,
        first_seen_ms: t.ms(r.first_seen),
        last_seen_ms: t.ms(r.last_seen),
        blocked: marks.has(key, MarkKind::Blocked, t.instant),
        deceived: marks.has(key, MarkKind::Deceived, t.instant),
        campaign: r.campaign_until > t.now,
        linked: r.linked.iter().map(ToString::to_string).collect(),
        login: r.login.as_ref().map(|l| LoginSummary {
            attempts: l.attempts.get(t.now, hl).round(),
            failures: l.failures.get(t.now, hl).round(),
            usernames: l.users.get(t.now, hl).round(),
            addresses: l.ips.get(t.now, hl).round(),
            ever_succeeded: l.ever_succeeded,
        }),
        evidence: r.trail.len(),
        last_signal: r.trail.last().map(|e| e.detector.to_string()),
    }
}

/// Actors at `min` level or above (or with evidence, a mark or a campaign flag when `min`
/// is none), highest score first, at most `limit`.
pub fn list(
    store: &dyn ActorStore,
    marks: &Marks,
    t: &ReportTime,
    min: Level,
    limit: usize,
) -> Vec<ActorSummary> {
    let mut out = Vec::new();
    store.scan(&mut |k, r| {
        let level = Level::of(r.score.get(t.now, t.score_half_life));
        let notable = !r.trail.is_empty() || r.campaign_until > t.now;
        if level >= min && (min > Level::None || notable) {
            out.push(summary(k, r, marks, t));
        }
    });
    out.sort_by(rank);
    out.truncate(limit);
    out
}

/// Most dangerous first. Ties (an IP and its session raised by the same requests) go to
/// the key that saw more requests, then by key: the store's scan order is a hash map's,
/// not a ranking.
fn rank(a: &ActorSummary, b: &ActorSummary) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then(b.evidence.cmp(&a.evidence))
        .then(b.last_seen_ms.cmp(&a.last_seen_ms))
        .then(b.requests.cmp(&a.requests))
        .then(a.key.cmp(&b.key))
}

pub fn detail(
    store: &dyn ActorStore,
    marks: &Marks,
    t: &ReportTime,
    key: &ActorKey,
) -> Option<ActorDetail> {
    let mut out = None;
    store.read(key, &mut |r| {
        out = Some(ActorDetail {
            summary: summary(key, r, marks, t),
            trail: r.trail.clone(),
        });
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(key: &str, score: f32, requests: u32) -> ActorSummary {
        ActorSummary {
            key: key.into(),
            kind: "ip",
            score,
            level: Level::Medium,
            requests,
            first_seen_ms: 1,
            last_seen_ms: 2,
            blocked: false,
            deceived: false,
            campaign: false,
            linked: Vec::new(),
            login: None,
            evidence: 6,
            last_signal: None,
        }
    }

    /// Regression: an IP and its session with the same score came back in hash order.
    #[test]
    fn ties_rank_by_requests_then_key_whatever_the_scan_order() {
        for mut v in [
            vec![actor("session:a", 34.2, 3), actor("ip:127.0.0.1", 34.2, 4)],
            vec![actor("ip:127.0.0.1", 34.2, 4), actor("session:a", 34.2, 3)],
        ] {
            v.sort_by(rank);
            assert_eq!(v[0].key, "ip:127.0.0.1");
        }
        let mut v = [
            actor("ip:b", 5.0, 1),
            actor("ip:a", 5.0, 1),
            actor("ip:c", 9.0, 1),
        ];
        v.sort_by(rank);
        let keys: Vec<&str> = v.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["ip:c", "ip:a", "ip:b"]);
    }
}
