//! Engine cost per request on typical shapes: `cargo bench -p palisade-engine`.
mod support;

use criterion::{criterion_group, criterion_main, Criterion};

use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

// The allocator the palisade binary uses, so the figures match production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn engine() -> Engine {
    let mut yaml = String::from(support::CONFIG);
    // PALISADE_NO_PACK=1: without the policy pack, to measure what the policies add.
    if std::env::var_os("PALISADE_NO_PACK").is_some() {
        yaml.push_str("policies: { pack: false }\n");
    }
    let cfg = palisade_config::from_str(&yaml, Path::new("bench.yaml"), Path::new("."))
        .expect("bench config");
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).expect("engine")
}

fn bench(c: &mut Criterion) {
    let e = engine();
    // Many clients, each with its own address and session, one request every
    // support::STEP_MS in a random order of turns (support::turn), so actor state is
    // exercised as real traffic does (one client at a frozen instant would measure a flood
    // at an infinite rate instead, and fixed turns a fleet of bots).
    let start = Instant::now();
    for (name, req) in support::requests() {
        let pool = support::clients(&req);
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
