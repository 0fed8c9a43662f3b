//! What Palisade remembers about one actor key. Small by default (most keys only ever see
//! ordinary traffic); login, traffic and evidence parts are allocated when first needed.
//!
//! Every counter is a decayed sum or a bounded ring, so a record has a fixed ceiling in
//! size whatever the actor does, and records merge by adding (what a fleet backend needs).

use crate::decay::{Decayed, Recent, Secs};
use crate::ActorKey;
use palisade_types::Category;
use serde::Serialize;

/// Evidence entries kept per actor; older ones drop off.
pub const TRAIL_LEN: usize = 16;
/// Linked keys kept per actor.
pub const LINKED_LEN: usize = 8;
/// Endpoint templates tracked per actor (least recently used is replaced).
pub const TEMPLATES: usize = 8;

#[derive(Clone, Debug, Default)]
pub struct Record {
    pub first_seen: Secs,
    pub last_seen: Secs,
    pub requests: u32,
    /// Threat score: weighted signals, decayed with the configured half-life.
    pub score: Decayed,
    pub trail: Vec<Evidence>,
    pub linked: Vec<ActorKey>,
    pub login: Option<Box<LoginStats>>,
    pub traffic: Option<Box<Traffic>>,
    /// A campaign detector flagged this key (a fingerprint or network stuffing logins)
    /// until this time.
    pub campaign_until: Secs,
}

/// One piece of evidence: a signal (or a mitigation) from one request.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// Unix milliseconds.
    pub at_ms: u64,
    /// Detector name, or `policy:<id>` for a mitigation.
    pub detector: Box<str>,
    pub category: Category,
    pub confidence: f32,
    pub request_id: Box<str>,
    /// `METHOD /endpoint/{id}`.
    pub endpoint: Box<str>,
    /// The action taken on that request.
    pub action: &'static str,
}

/// Login attempts seen under this key, and their outcomes.
#[derive(Clone, Debug, Default)]
pub struct LoginStats {
    pub attempts: Decayed,
    pub failures: Decayed,
    pub successes: Decayed,
    /// Distinct usernames tried (decayed count of names new to `recent_users`).
    pub users: Decayed,
    pub recent_users: Recent<16>,
    /// Distinct client addresses (for a user key: brute force from many addresses).
    pub ips: Decayed,
    pub recent_ips: Recent<16>,
    pub ever_succeeded: bool,
}

/// What a client's own traffic looks like: rates, timing, objects and data it fetched.
#[derive(Clone, Debug, Default)]
pub struct Traffic {
    pub rate: Decayed,
    pub last_at: Secs,
    /// Mean and mean absolute deviation of the time between requests (EWMA).
    pub interval_mean: f32,
    pub interval_dev: f32,
    pub intervals: u16,
    pub templates: Vec<TemplateStats>,
    /// Distinct card numbers and other sensitive items returned to this actor.
    pub cards: Decayed,
    pub pii: Decayed,
    /// Allocated when the first sensitive item is returned to this client.
    pub recent_sensitive: Option<Box<Recent<32>>>,
    pub errors: Decayed,
    pub flow: Option<FlowState>,
}

/// Per actor, per endpoint template.
#[derive(Clone, Debug, Default)]
pub struct TemplateStats {
    pub template: u32,
    pub last_used: Secs,
    pub rate: Decayed,
    /// Distinct object ids, over a short and a long window.
    pub ids: Decayed,
    pub ids_long: Decayed,
    pub recent_ids: Recent<16>,
    pub last_id: Option<u64>,
    /// Length of the current run of neighbouring ids (id ± 1 or 2 after the previous one).
    pub seq_run: u16,
    /// 403/404 answers.
    pub misses: Decayed,
    /// Distinct page numbers (`page`, `offset`, `cursor`…) over the long window.
    pub pages: Decayed,
    pub recent_pages: Recent<8>,
}

#[derive(Clone, Copy, Debug)]
pub struct FlowState {
    pub flow: u8,
    pub step: u8,
    pub at: Secs,
}

impl Record {
    pub fn traffic(&mut self) -> &mut Traffic {
        self.traffic.get_or_insert_with(Box::default)
    }

    pub fn login(&mut self) -> &mut LoginStats {
        self.login.get_or_insert_with(Box::default)
    }

    pub fn add_evidence(&mut self, e: Evidence) {
        if self.trail.len() >= TRAIL_LEN {
            self.trail.remove(0);
        }
        self.trail.push(e);
    }

    pub fn link(&mut self, key: &ActorKey) {
        if self.linked.contains(key) {
            return;
        }
        if self.linked.len() >= LINKED_LEN {
            self.linked.remove(0);
        }
        self.linked.push(key.clone());
    }
}

impl Traffic {
    /// The stats for one template, created (or recycled from the least recently used) on
    /// first sight.
    pub fn template(&mut self, template: u32, now: Secs) -> &mut TemplateStats {
        let i = match self.templates.iter().position(|t| t.template == template) {
            Some(i) => i,
            None if self.templates.len() < TEMPLATES => {
                // Grow one slot at a time: most clients use a few endpoints, and a slot is
                // ~200 bytes.
                self.templates.reserve_exact(1);
                self.templates.push(TemplateStats {
                    template,
                    ..TemplateStats::default()
                });
                self.templates.len() - 1
            }
            None => {
                let (i, _) = self
                    .templates
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.last_used.total_cmp(&b.1.last_used))
                    .unwrap_or((0, &self.templates[0]));
                self.templates[i] = TemplateStats {
                    template,
                    ..TemplateStats::default()
                };
                i
            }
        };
        let t = &mut self.templates[i];
        t.last_used = now;
        t
    }
}

/// Threat levels, from the decayed score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    pub fn of(score: f32) -> Level {
        match score {
            s if s >= 80.0 => Level::Critical,
            s if s >= 50.0 => Level::High,
            s if s >= 25.0 => Level::Medium,
            s if s >= 10.0 => Level::Low,
            _ => Level::None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "none" => Level::None,
            "low" => Level::Low,
            "medium" => Level::Medium,
            "high" => Level::High,
            "critical" => Level::Critical,
            _ => return None,
        })
    }
}
