//! Shared by the criterion bench and the callgrind loop (`examples/engine_loop.rs`).

use palisade_types::RequestView;

/// A thousand clients sending `r`, each with its own address and session, so actor state is
/// updated as in real traffic. Callers space their requests a millisecond apart (each client
/// a request a second); one client at a frozen instant would measure a flood at an infinite
/// rate instead.
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
