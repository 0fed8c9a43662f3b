//! Memory per tracked actor: `cargo run --release -p palisade-actors --example actor_memory
//! [N]` tracks N distinct clients (default 1,000,000), each sending one ordinary request
//! through the behavioural detectors (so each has a record with traffic counters), and
//! prints the process's resident memory before and after.

use palisade_actors::{on_request, ActorKey, ActorStore, LocalActors, RequestFacts, Tuning};
use std::time::Duration;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let before = rss_kib();
    let store = LocalActors::new(u64::from(n) + 1000, Duration::from_secs(24 * 3600));
    let t = Tuning::default();
    for i in 0..n {
        let key = [ActorKey::Ip(std::net::IpAddr::from(
            (0x0a00_0000 + i).to_be_bytes(),
        ))];
        let f = RequestFacts {
            principals: &key,
            endpoint: i % 50,
            object_id: Some(u64::from(i % 5000)),
            ..RequestFacts::default()
        };
        on_request(&store, &t, &f, i as f32 / 1000.0);
    }
    let tracked = store.len();
    let after = rss_kib();
    let per = (after - before) as f64 * 1024.0 / f64::from(n);
    println!(
        "{tracked} actors tracked: RSS {before} KiB -> {after} KiB (+{:.0} MiB), {per:.0} bytes per actor",
        (after - before) as f64 / 1024.0
    );
}
