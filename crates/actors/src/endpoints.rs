//! Endpoints as seen in traffic (`GET /api/users/{id}`): request rates against their own
//! baseline (for surge detection), answers, attacks and sensitive data returned. Bounded
//! like all state; also the API inventory the dashboard shows.

use crate::decay::{Decayed, Secs};
use moka::sync::Cache;
use serde::Serialize;
use std::sync::{Arc, Mutex};

const SHORT_HL: f32 = 10.0;
const BASELINE_HL: f32 = 900.0;

#[derive(Debug, Default)]
struct Stats {
    requests: u64,
    short: Decayed,
    baseline: Decayed,
    errors: u64,
    mitigated: u64,
    attacks: u64,
    cards: u64,
    items: u64,
    first_seen: Secs,
    last_seen: Secs,
}

/// One endpoint, as listed by the admin API.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointInfo {
    pub endpoint: String,
    pub requests: u64,
    /// Requests a minute now, and the baseline it is compared with.
    pub rate: f32,
    pub baseline: f32,
    pub errors: u64,
    pub attacks: u64,
    pub mitigated: u64,
    /// Card numbers and other sensitive items returned, in total.
    pub cards: u64,
    pub sensitive_items: u64,
}

pub struct Endpoints {
    cells: Cache<Arc<str>, Arc<Mutex<Stats>>>,
}

fn per_minute(v: f32, hl: f32) -> f32 {
    v * std::f32::consts::LN_2 / hl * 60.0
}

impl Endpoints {
    pub fn new(capacity: u64) -> Self {
        Endpoints {
            cells: Cache::builder().max_capacity(capacity).build(),
        }
    }

    fn cell(&self, endpoint: &str, now: Secs) -> Arc<Mutex<Stats>> {
        if let Some(c) = self.cells.get(endpoint) {
            return c;
        }
        self.cells.get_with(Arc::from(endpoint), || {
            Arc::new(Mutex::new(Stats {
                first_seen: now,
                ..Stats::default()
            }))
        })
    }

    /// Counts a request and says whether the endpoint is surging: its short-window rate at
    /// `factor` times its baseline and at least `floor` a minute.
    pub fn hit(&self, endpoint: &str, now: Secs, factor: f32, floor: f32) -> bool {
        let cell = self.cell(endpoint, now);
        let mut s = cell.lock().unwrap_or_else(|p| p.into_inner());
        s.requests += 1;
        s.last_seen = now;
        let short = per_minute(s.short.add(1.0, now, SHORT_HL), SHORT_HL);
        // The baseline learns slowly, and not from a surge in progress, so a flood cannot
        // teach it that floods are normal.
        let base = per_minute(s.baseline.get(now, BASELINE_HL), BASELINE_HL);
        let age = now - s.first_seen;
        let surging = short >= floor && short >= factor * base.max(floor / factor);
        if !surging || age < 60.0 {
            s.baseline.add(1.0, now, BASELINE_HL);
        }
        surging && age >= 60.0
    }

    /// Counts what became of a request: its status (when it reached the upstream), whether
    /// it carried an attack or was mitigated, and the sensitive items its answer carried.
    #[allow(clippy::too_many_arguments)]
    pub fn outcome(
        &self,
        endpoint: &str,
        now: Secs,
        status: Option<u16>,
        attack: bool,
        mitigated: bool,
        cards: usize,
        items: usize,
    ) {
        let cell = self.cell(endpoint, now);
        let mut s = cell.lock().unwrap_or_else(|p| p.into_inner());
        s.last_seen = s.last_seen.max(now);
        if status.is_some_and(|st| st >= 400) {
            s.errors += 1;
        }
        s.attacks += u64::from(attack);
        s.mitigated += u64::from(mitigated);
        s.cards += cards as u64;
        s.items += items as u64;
    }

    /// Every endpoint, busiest first.
    pub fn list(&self, now: Secs) -> Vec<EndpointInfo> {
        let mut v: Vec<EndpointInfo> = self
            .cells
            .iter()
            .map(|(k, cell)| {
                let s = cell.lock().unwrap_or_else(|p| p.into_inner());
                EndpointInfo {
                    endpoint: k.to_string(),
                    requests: s.requests,
                    rate: per_minute(s.short.get(now, SHORT_HL), SHORT_HL),
                    baseline: per_minute(s.baseline.get(now, BASELINE_HL), BASELINE_HL),
                    errors: s.errors,
                    attacks: s.attacks,
                    mitigated: s.mitigated,
                    cards: s.cards,
                    sensitive_items: s.items,
                }
            })
            .collect();
        v.sort_by_key(|e| std::cmp::Reverse(e.requests));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_surges_steady_traffic_does_not() {
        let e = Endpoints::new(100);
        let mut now = 0.0;
        // Ten minutes of one request every two seconds.
        for _ in 0..300 {
            assert!(!e.hit("GET /search", now, 5.0, 60.0));
            now += 2.0;
        }
        // Then 50 a second.
        let mut surged = 0;
        for _ in 0..500 {
            surged += usize::from(e.hit("GET /search", now, 5.0, 60.0));
            now += 0.02;
        }
        assert!(surged > 450, "{surged}");
    }
}
