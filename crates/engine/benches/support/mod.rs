//! Shared by the criterion bench and the callgrind loop (`examples/engine_loop.rs`).

use palisade_types::RequestView;

/// A thousand clients sending `r`, each with its own address and session, so actor state is
/// updated as in real traffic. Callers space their requests [`STEP_MS`] apart: each client
/// sends about one request a minute, 20 a second in all. Tighter spacing is a flood: at 1 ms
/// (each client a request a second, one endpoint) `dos-endpoint-flood` blocks every client
/// after a minute of simulated time, and the rest of the run measures blocked actors, which
/// skip detection.
pub const STEP_MS: u64 = 50;

pub fn clients(r: &RequestView) -> Vec<RequestView> {
    (0..1000u32)
        .map(|i| {
            let mut c = r.clone();
            c.client_ip = std::net::IpAddr::from([10, 1, (i >> 8) as u8, i as u8]);
            c.headers.insert(
                "cookie",
                format!("session=s{i:08x}; theme=dark")
                    .parse()
                    .expect("cookie"),
            );
            c
        })
        .collect()
}
