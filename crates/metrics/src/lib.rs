//! Metrics for the request path. Every update is one relaxed atomic add: no lock, no map
//! lookup, no allocation. Written by hand rather than with `prometheus-client` because that
//! crate's `Histogram::observe` takes a lock per observation, and its label families look
//! labels up in a locked map; here every label set is known at start-up (actions and
//! categories are closed enums), so fixed arrays serve.
#![forbid(unsafe_code)]

use palisade_types::{Action, Category};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Upper bounds (seconds) of the latency histogram buckets: 25 µs .. 10 s.
const BUCKETS: [f64; 16] = [
    0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
    0.25, 1.0, 2.5, 10.0,
];

/// A lock-free latency histogram with fixed buckets.
#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_nanos
            .fetch_add(u64::try_from(d.as_nanos()).unwrap_or(u64::MAX), Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Relaxed)
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, b) in BUCKETS.iter().enumerate() {
            cumulative += self.buckets[i].load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{b}\"}} {cumulative}");
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.sum_nanos.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {count}");
    }
}

/// Every metric Palisade exports. One instance per process, shared by `Arc`.
#[derive(Default)]
pub struct Metrics {
    pub requests: AtomicU64,
    /// Requests refused before any inspection: malformed, no route, body too large.
    pub rejected_malformed: AtomicU64,
    decisions: [AtomicU64; Action::LABELS.len()],
    /// Decisions in monitor mode that would have acted.
    pub would_have: AtomicU64,
    /// Tarpitted requests refused because the tarpit was full.
    pub tarpit_overflow: AtomicU64,
    /// Requests the engine failed on (a detector panicked); each was refused with a 500.
    pub engine_panics: AtomicU64,
    detections: [AtomicU64; Category::ALL.len()],
    pub upstream_errors: AtomicU64,
    pub upstream_timeouts: AtomicU64,
    /// Bodies larger than the inspection limit, forwarded with only a prefix inspected.
    pub bodies_uninspected: AtomicU64,
    pub events_queued: AtomicU64,
    pub events_dropped: AtomicU64,
    pub events_written: AtomicU64,
    pub events_store_errors: AtomicU64,
    pub config_reloads_ok: AtomicU64,
    pub config_reloads_failed: AtomicU64,
    pub connections_open: AtomicU64,
    pub connections_refused: AtomicU64,
    /// Wall time from request head received to response head sent.
    pub request_latency: Histogram,
    /// Time the engine (normalize → detect → score → decide) took.
    pub engine_latency: Histogram,
    /// Time to the upstream's response head.
    pub upstream_latency: Histogram,
}

impl Metrics {
    pub fn record_decision(&self, action: &Action) {
        self.decisions[action.index()].fetch_add(1, Relaxed);
    }

    pub fn record_detection(&self, category: Category) {
        self.detections[category.index()].fetch_add(1, Relaxed);
    }

    pub fn decisions(&self, action: &Action) -> u64 {
        self.decisions[action.index()].load(Relaxed)
    }

    /// Decisions with the action of index `i` in `Action::LABELS`.
    pub fn decisions_at(&self, i: usize) -> u64 {
        self.decisions.get(i).map_or(0, |c| c.load(Relaxed))
    }

    pub fn detections(&self, category: Category) -> u64 {
        self.detections[category.index()].load(Relaxed)
    }

    /// Prometheus text exposition format, version 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(8 * 1024);
        let counter = |out: &mut String, name: &str, help: &str, v: &AtomicU64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                v.load(Relaxed)
            );
        };
        counter(
            &mut out,
            "palisade_requests_total",
            "Requests received.",
            &self.requests,
        );
        counter(
            &mut out,
            "palisade_requests_rejected_total",
            "Requests refused before inspection (malformed, no route, body too large).",
            &self.rejected_malformed,
        );
        let _ = writeln!(
            out,
            "# HELP palisade_decisions_total Decisions carried out, by action.\n# TYPE palisade_decisions_total counter"
        );
        for (i, label) in Action::LABELS.iter().enumerate() {
            let v = self.decisions[i].load(Relaxed);
            let _ = writeln!(out, "palisade_decisions_total{{action=\"{label}\"}} {v}");
        }
        counter(
            &mut out,
            "palisade_monitor_matches_total",
            "Monitor-mode decisions that would have acted.",
            &self.would_have,
        );
        counter(
            &mut out,
            "palisade_tarpit_overflow_total",
            "Tarpitted requests refused with 429 because tarpit.max_concurrent requests were already held.",
            &self.tarpit_overflow,
        );
        counter(
            &mut out,
            "palisade_engine_panics_total",
            "Requests the engine failed on (a bug: a detector panicked), refused with 500 rather than forwarded uninspected.",
            &self.engine_panics,
        );
        let _ = writeln!(
            out,
            "# HELP palisade_detections_total Signals raised, by category.\n# TYPE palisade_detections_total counter"
        );
        for c in Category::ALL {
            let v = self.detections[c.index()].load(Relaxed);
            let _ = writeln!(out, "palisade_detections_total{{category=\"{c}\"}} {v}");
        }
        counter(
            &mut out,
            "palisade_upstream_errors_total",
            "Upstream connection or protocol errors.",
            &self.upstream_errors,
        );
        counter(
            &mut out,
            "palisade_upstream_timeouts_total",
            "Upstream responses that timed out.",
            &self.upstream_timeouts,
        );
        counter(
            &mut out,
            "palisade_bodies_uninspected_total",
            "Request bodies over the inspection limit forwarded with only a prefix inspected.",
            &self.bodies_uninspected,
        );
        counter(
            &mut out,
            "palisade_events_queued_total",
            "Events put on the queue to the store.",
            &self.events_queued,
        );
        counter(
            &mut out,
            "palisade_events_dropped_total",
            "Events dropped because the queue to the store was full.",
            &self.events_dropped,
        );
        counter(
            &mut out,
            "palisade_events_written_total",
            "Events written to the store.",
            &self.events_written,
        );
        counter(
            &mut out,
            "palisade_events_store_errors_total",
            "Failed writes to the event store.",
            &self.events_store_errors,
        );
        counter(
            &mut out,
            "palisade_config_reloads_total",
            "Configurations loaded and swapped in.",
            &self.config_reloads_ok,
        );
        counter(
            &mut out,
            "palisade_config_reload_failures_total",
            "Configurations refused on reload (the running one kept serving).",
            &self.config_reloads_failed,
        );
        counter(
            &mut out,
            "palisade_connections_refused_total",
            "Connections refused at the connection limit.",
            &self.connections_refused,
        );
        let _ = writeln!(
            out,
            "# HELP palisade_connections_open Client connections open.\n# TYPE palisade_connections_open gauge\npalisade_connections_open {}",
            self.connections_open.load(Relaxed)
        );
        self.request_latency.render(
            &mut out,
            "palisade_request_duration_seconds",
            "Request head received to response head sent.",
        );
        self.engine_latency.render(
            &mut out,
            "palisade_engine_duration_seconds",
            "Time spent in normalize, detect, score and decide.",
        );
        self.upstream_latency.render(
            &mut out,
            "palisade_upstream_duration_seconds",
            "Time to the upstream's response head.",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_reports_counts_by_label() {
        let m = Metrics::default();
        m.requests.fetch_add(3, Relaxed);
        m.record_decision(&Action::Block { status: 403 });
        m.record_detection(Category::Sqli);
        m.request_latency.observe(Duration::from_micros(30));
        m.request_latency.observe(Duration::from_secs(20));
        let text = m.render();
        assert!(text.contains("palisade_requests_total 3"));
        assert!(text.contains("palisade_decisions_total{action=\"block\"} 1"));
        assert!(text.contains("palisade_detections_total{category=\"sqli\"} 1"));
        assert!(text.contains("palisade_request_duration_seconds_bucket{le=\"0.00005\"} 1"));
        // 20 s is past the last bucket: only +Inf and the count see it.
        assert!(text.contains("palisade_request_duration_seconds_bucket{le=\"10\"} 1"));
        assert!(text.contains("palisade_request_duration_seconds_bucket{le=\"+Inf\"} 2"));
        assert!(text.contains("palisade_request_duration_seconds_count 2"));
    }
}
