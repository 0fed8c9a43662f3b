//! Runs the engine over one typical request a fixed number of times, for instruction-count
//! profiling that does not drift with the machine:
//! `valgrind --tool=callgrind target/release/examples/engine_loop 10000 [get|json|json64|multipart]`
//! (the benchmark's requests and configuration, `benches/support`).

use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use std::path::Path;
use std::time::Instant;

#[path = "../benches/support/mod.rs"]
mod support;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    // The benchmark's requests: `get` (the default) is small_get, `json` json_1k, `json64`
    // json_64k, `multipart` multipart_8k.
    let name = match std::env::args().nth(2).as_deref() {
        Some("json") => "engine/json_1k",
        Some("json64") => "engine/json_64k",
        Some("multipart") => "engine/multipart_8k",
        _ => "engine/small_get",
    };
    // PALISADE_NO_PACK=1 runs without the policy pack, to measure what the policies cost;
    // PALISADE_NO_MEMO=1 judges every header value on every request (no clean-header memo);
    // PALISADE_CFG adds configuration (`policies: { pack: false, dir: /tmp/some-policies }`).
    // The benchmark's configuration comes first, so the counts here profile what criterion
    // times.
    let mut yaml = String::from(support::CONFIG);
    if std::env::var_os("PALISADE_NO_PACK").is_some() {
        yaml.push_str("policies: { pack: false }\n");
    }
    if std::env::var_os("PALISADE_NO_MEMO").is_some() {
        yaml.push_str("inspection: { limits: { clean_header_memo: 0 } }\n");
    }
    if let Ok(extra) = std::env::var("PALISADE_CFG") {
        yaml.push_str(&extra);
    }
    let cfg =
        palisade_config::from_str(&yaml, Path::new("loop.yaml"), Path::new(".")).expect("config");
    let engine = Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).expect("engine");
    let (_, r) = support::requests()
        .into_iter()
        .find(|(n, _)| *n == name)
        .expect("a bench request");
    let clients = support::clients(&r);
    let start = Instant::now();
    let mut blocked = 0;
    let mut uninspected = 0;
    for i in 0..n {
        let now = start + std::time::Duration::from_millis(i as u64 * support::STEP_MS);
        let c = &clients[support::turn(i, clients.len())];
        // Monitor-mode decisions (the fingerprint burst policy, with one header set for every
        // client) are recorded, not enforced: count what would really be stopped, and the
        // requests answered without detection (an actor already blocked).
        let v = engine.inspect(c, now);
        let stopped = v.decision.effective_action().is_terminating();
        if stopped && blocked == 0 {
            eprintln!(
                "first stopped at request {i}: {:?}: {}",
                v.decision.policy_id, v.decision.reason
            );
        }
        blocked += usize::from(stopped);
        uninspected += usize::from(v.values_inspected == 0);
    }
    println!("{n} requests, {blocked} blocked, {uninspected} answered without detection");
}
