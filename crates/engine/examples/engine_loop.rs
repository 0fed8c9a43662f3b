//! Runs the engine over one typical request a fixed number of times, for instruction-count
//! profiling that does not drift with the machine:
//! `valgrind --tool=callgrind target/release/examples/engine_loop 10000 [get|json|json64|multipart]`
//! (`json`: a 1 KB JSON body like the benchmark's POST; `multipart`: its multipart_8k).
use http::Method;

use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::RequestView;
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
    let json = matches!(std::env::args().nth(2).as_deref(), Some("json" | "json64"));
    // PALISADE_NO_PACK=1 runs without the policy pack, to measure what the policies cost;
    // PALISADE_NO_MEMO=1 judges every header value on every request (no clean-header memo);
    // PALISADE_CFG adds configuration (`policies: { pack: false, dir: /tmp/some-policies }`).
    // The benchmark's configuration (an upstream and a login endpoint), so the counts here
    // profile what criterion times.
    let mut yaml = String::from(
        "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\nlogin: [ { path: /api/login } ]\n",
    );
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
    let mut r = RequestView::new(
        Method::GET,
        "/api/products?q=red+shoes&page=2&sort=price",
        "192.0.2.10".parse().expect("ip"),
    );
    r.host = "api.example.com".into();
    r.headers
        .insert("host", "api.example.com".parse().expect("host"));
    for (k, v) in [
        (
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
        ),
        ("accept", "application/json"),
        ("accept-language", "en-US,en;q=0.9"),
        ("cookie", "session=3f9a1c2b7d; theme=dark"),
        ("content-type", "application/json"),
    ] {
        r.headers.insert(k, v.parse().expect("header"));
    }
    if json {
        // The benchmark's POST /api/cart, which has no query string.
        r.method = Method::POST;
        r.path = "/api/cart".into();
        r.query = None;
        // The benchmark's bodies: `json` is json_1k, `json64` json_64k.
        let len = if std::env::args().nth(2).as_deref() == Some("json64") {
            64 * 1024
        } else {
            1024
        };
        let body = support::json_body(len);
        r.body = body.into();
    }
    if std::env::args().nth(2).as_deref() == Some("multipart") {
        // The benchmark's multipart_8k: two text fields and an 8 KB file part.
        r.method = Method::POST;
        r.path = "/api/profile".into();
        r.query = None;
        r.headers.insert(
            "content-type",
            "multipart/form-data; boundary=----palisade-bench"
                .parse()
                .expect("header"),
        );
        r.body = support::multipart_body(8 * 1024).into();
    }
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
