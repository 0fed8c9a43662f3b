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
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.evidence.cmp(&a.evidence))
            .then(b.last_seen_ms.cmp(&a.last_seen_ms))
    });
    out.truncate(limit);
    out
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
