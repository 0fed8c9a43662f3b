//! Engine cost per request on typical shapes: `cargo bench -p palisade-engine`.
use bytes::Bytes;
mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use http::Method;

use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::RequestView;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

// The allocator the palisade binary uses, so the figures match production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn engine() -> Engine {
    let cfg = palisade_config::from_str(
        // PALISADE_NO_PACK=1: without the policy pack, to measure what the policies add.
        if std::env::var_os("PALISADE_NO_PACK").is_some() {
            "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\nlogin: [ { path: /api/login } ]\npolicies: { pack: false }\n"
        } else {
            "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\nlogin: [ { path: /api/login } ]\n"
        },
        Path::new("bench.yaml"),
        Path::new("."),
    )
    .expect("bench config");
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).expect("engine")
}

fn request(method: Method, target: &str, body: Bytes) -> RequestView {
    let mut r = RequestView::new(method, target, "192.0.2.10".parse().expect("ip"));
    r.host = "api.example.com".into();
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
    r.body = body;
    r
}

fn bench(c: &mut Criterion) {
    let e = engine();
    let get = request(
        Method::GET,
        "/api/products?q=red+shoes&page=2&sort=price",
        Bytes::new(),
    );
    let json_1k = request(
        Method::POST,
        "/api/cart",
        Bytes::from(support::json_body(1024)),
    );
    let json_64k = request(
        Method::POST,
        "/api/cart",
        Bytes::from(support::json_body(64 * 1024)),
    );
    // A profile update with a photo: two text fields and an 8 KB binary file part.
    let mut multipart = request(
        Method::POST,
        "/api/profile",
        Bytes::from(support::multipart_body(8 * 1024)),
    );
    multipart.headers.insert(
        "content-type",
        "multipart/form-data; boundary=----palisade-bench"
            .parse()
            .expect("header"),
    );
    // Many clients, each with its own address and session, one request every
    // support::STEP_MS in a random order of turns (support::turn), so actor state is
    // exercised as real traffic does (one client at a frozen instant would measure a flood
    // at an infinite rate instead, and fixed turns a fleet of bots).
    let start = Instant::now();
    for (name, req) in [
        ("engine/small_get", &get),
        ("engine/json_1k", &json_1k),
        ("engine/json_64k", &json_64k),
        ("engine/multipart_8k", &multipart),
    ] {
        let pool = support::clients(req);
        let mut i = 0usize;
        c.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                let now = start + std::time::Duration::from_millis(i as u64 * support::STEP_MS);
                black_box(e.inspect(black_box(&pool[support::turn(i, pool.len())]), now))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
