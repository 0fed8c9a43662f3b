//! Time series for the dashboard: the metrics' totals sampled every few seconds into two
//! bounded rings (fine for the last hour, coarse for a week), answered as per-bucket
//! deltas for a window.

use crate::Control;
use palisade_metrics::Metrics;
use palisade_types::{Action, Category};
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const FINE_EVERY: Duration = Duration::from_secs(5);
const FINE_KEEP: usize = 720; // one hour
const COARSE_EVERY_MS: u64 = 5 * 60 * 1000;
const COARSE_KEEP: usize = 2016; // seven days

#[derive(Clone, Debug)]
struct Sample {
    t_ms: u64,
    requests: u64,
    decisions: Vec<u64>,
    detections: Vec<u64>,
    /// Hit counters of the policies that have any, sorted by id.
    policy_hits: Vec<(Arc<str>, u64)>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn sample(m: &Metrics, control: Option<&dyn Control>) -> Sample {
    let mut policy_hits: Vec<(Arc<str>, u64)> = control
        .map(|c| {
            c.policies()
                .into_iter()
                .filter(|p| p.hits > 0)
                .map(|p| (p.id, p.hits))
                .collect()
        })
        .unwrap_or_default();
    policy_hits.sort();
    Sample {
        policy_hits,
        t_ms: now_ms(),
        requests: m.requests.load(std::sync::atomic::Ordering::Relaxed),
        decisions: (0..Action::LABELS.len())
            .map(|i| m.decisions_at(i))
            .collect(),
        detections: Category::ALL.iter().map(|c| m.detections(*c)).collect(),
    }
}

#[derive(Default)]
pub struct Stats {
    fine: Mutex<VecDeque<Sample>>,
    coarse: Mutex<VecDeque<Sample>>,
}

#[derive(Serialize)]
pub struct Point {
    /// Bucket start, Unix milliseconds.
    pub t: u64,
    pub requests: u64,
    /// Requests blocked, rate-limited, tarpitted, deceived (not allowed or logged).
    pub mitigated: u64,
    pub by_action: serde_json::Map<String, serde_json::Value>,
    pub by_category: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct Series {
    pub window: String,
    pub bucket_secs: u64,
    pub points: Vec<Point>,
}

fn push(ring: &Mutex<VecDeque<Sample>>, s: Sample, keep: usize) {
    let mut r = ring.lock().unwrap_or_else(|p| p.into_inner());
    if r.len() == keep {
        r.pop_front();
    }
    r.push_back(s);
}

impl Stats {
    /// Samples `metrics` until the process ends (spawned on the admin runtime).
    pub async fn run(self: Arc<Self>, metrics: Arc<Metrics>, control: Arc<dyn Control>) {
        let mut tick = tokio::time::interval(FINE_EVERY);
        loop {
            tick.tick().await;
            let s = sample(&metrics, Some(&*control));
            let due = self
                .coarse
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .back()
                .is_none_or(|last| s.t_ms >= last.t_ms + COARSE_EVERY_MS);
            if due {
                push(&self.coarse, s.clone(), COARSE_KEEP);
            }
            push(&self.fine, s, FINE_KEEP);
        }
    }

    fn window(
        &self,
        window: &str,
        metrics: &Metrics,
        control: Option<&dyn Control>,
    ) -> Option<(u64, u64, Vec<Sample>)> {
        let (span, bucket) = match window {
            "15m" => (15 * 60, 30),
            "1h" => (3600, 60),
            "24h" => (24 * 3600, 1800),
            "7d" => (7 * 24 * 3600, 6 * 3600),
            _ => return None,
        };
        let ring = if span <= 3600 {
            &self.fine
        } else {
            &self.coarse
        };
        let mut samples: Vec<Sample> = ring
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect();
        samples.push(sample(metrics, control));
        Some((span, bucket, samples))
    }

    /// Hits per bucket of every policy that hit in the window.
    pub fn policy_history(
        &self,
        window: &str,
        metrics: &Metrics,
        control: &dyn Control,
    ) -> Option<serde_json::Value> {
        let (span, bucket, samples) = self.window(window, metrics, Some(control))?;
        let now = samples.last()?.t_ms;
        let start = now.saturating_sub(span * 1000);
        let hits = |s: Option<&Sample>, id: &str| -> u64 {
            s.and_then(|s| {
                s.policy_hits
                    .iter()
                    .find(|(p, _)| &**p == id)
                    .map(|(_, h)| *h)
            })
            .unwrap_or(0)
        };
        let at = |t: u64| samples.iter().rev().find(|s| s.t_ms <= t);
        let ids: Vec<Arc<str>> = samples
            .last()
            .map(|s| s.policy_hits.iter().map(|(id, _)| id.clone()).collect())
            .unwrap_or_default();
        let mut bounds = Vec::new();
        let mut t = start - start % (bucket * 1000);
        while t < now {
            bounds.push(t);
            t += bucket * 1000;
        }
        let mut out = serde_json::Map::new();
        for id in ids {
            let series: Vec<u64> = bounds
                .iter()
                .map(|&b| {
                    let end = (b + bucket * 1000).min(now);
                    let e = if end >= now { samples.last() } else { at(end) };
                    hits(e, &id).saturating_sub(hits(at(b), &id))
                })
                .collect();
            if series.iter().any(|v| *v > 0) {
                out.insert(id.to_string(), series.into());
            }
        }
        Some(serde_json::json!({
            "window": window,
            "bucket_secs": bucket,
            "points": bounds,
            "policies": out,
        }))
    }

    /// Per-bucket deltas over `window` (15m, 1h, 24h, 7d), the last bucket up to now.
    pub fn series(&self, window: &str, metrics: &Metrics) -> Option<Series> {
        let (span, bucket, samples) = self.window(window, metrics, None)?;
        let now = samples.last()?.clone();
        let start = now.t_ms.saturating_sub(span * 1000);
        // The value of the totals at time t: the last sample at or before t (zeros before
        // the first: the process had not started).
        let at = |t: u64| -> Option<&Sample> { samples.iter().rev().find(|s| s.t_ms <= t) };
        let zero = Sample {
            policy_hits: Vec::new(),
            t_ms: 0,
            requests: 0,
            decisions: vec![0; Action::LABELS.len()],
            detections: vec![0; Category::ALL.len()],
        };
        let first = samples.first().cloned().unwrap_or(zero.clone());
        let mut points = Vec::new();
        let mut t = start - start % (bucket * 1000);
        while t < now.t_ms {
            let end = (t + bucket * 1000).min(now.t_ms);
            let a = at(t).unwrap_or(if t < first.t_ms { &zero } else { &first });
            let b = if end >= now.t_ms {
                &now
            } else {
                at(end).unwrap_or(&zero)
            };
            let d = |x: u64, y: u64| y.saturating_sub(x);
            let mut by_action = serde_json::Map::new();
            let mut mitigated = 0;
            for (i, label) in Action::LABELS.iter().enumerate() {
                let v = d(a.decisions[i], b.decisions[i]);
                if !matches!(*label, "allow" | "log") {
                    mitigated += v;
                }
                by_action.insert((*label).to_string(), v.into());
            }
            let mut by_category = serde_json::Map::new();
            for (i, c) in Category::ALL.iter().enumerate() {
                let v = d(a.detections[i], b.detections[i]);
                if v > 0 {
                    by_category.insert(c.as_str().to_string(), v.into());
                }
            }
            points.push(Point {
                t,
                requests: d(a.requests, b.requests),
                mitigated,
                by_action,
                by_category,
            });
            t += bucket * 1000;
        }
        Some(Series {
            window: window.to_string(),
            bucket_secs: bucket,
            points,
        })
    }
}
