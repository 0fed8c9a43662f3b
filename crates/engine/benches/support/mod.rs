//! Shared by the criterion bench and the callgrind loop (`examples/engine_loop.rs`).

use bytes::Bytes;
use http::Method;
use palisade_types::RequestView;

/// The bench's configuration: an upstream and a login endpoint.
pub const CONFIG: &str =
    "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\nlogin: [ { path: /api/login } ]\n";

/// A request with a browser's headers, from 192.0.2.10 to api.example.com.
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

/// The bench's typical requests, by name: a small GET with a query, 1 KB and 64 KB JSON
/// POSTs, and a profile update with a photo (two text fields and an 8 KB binary part).
pub fn requests() -> [(&'static str, RequestView); 4] {
    let mut multipart = request(
        Method::POST,
        "/api/profile",
        Bytes::from(multipart_body(8 * 1024)),
    );
    multipart.headers.insert(
        "content-type",
        "multipart/form-data; boundary=----palisade-bench"
            .parse()
            .expect("header"),
    );
    [
        (
            "engine/small_get",
            request(
                Method::GET,
                "/api/products?q=red+shoes&page=2&sort=price",
                Bytes::new(),
            ),
        ),
        (
            "engine/json_1k",
            request(Method::POST, "/api/cart", Bytes::from(json_body(1024))),
        ),
        (
            "engine/json_64k",
            request(Method::POST, "/api/cart", Bytes::from(json_body(64 * 1024))),
        ),
        ("engine/multipart_8k", multipart),
    ]
}

/// A thousand clients sending `r`, each with its own address and session, so actor state is
/// updated as in real traffic. Callers space their requests [`STEP_MS`] apart: each client
/// sends about one request a minute, 20 a second in all. Tighter spacing is a flood: at 1 ms
/// (each client a request a second, one endpoint) `dos-endpoint-flood` blocks every client
/// after a minute of simulated time, and the rest of the run measures blocked actors, which
/// skip detection.
pub const STEP_MS: u64 = 50;

/// Which of the `n` clients sends request `i`: a fixed pseudo-random order (splitmix64 of
/// `i`), so each client's requests come at irregular intervals, as a person's do. Taking
/// turns in a fixed round would space each client's requests exactly `n` steps apart, a
/// machine's rhythm: after 12 intervals the timing detector flags every client (rightly),
/// and the run measures requests that raise bot signals, not clean ones.
pub fn turn(i: usize, n: usize) -> usize {
    let mut z = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z % n as u64) as usize
}

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

/// A profile update: two text fields and a binary file part of `file_len` bytes, with the
/// boundary `----palisade-bench`.
pub fn multipart_body(file_len: usize) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, value) in [
        ("display_name", "Alice O'Neil"),
        ("bio", "Trail runner. Coffee, maps & long weekends."),
    ] {
        b.extend_from_slice(
            format!(
                "------palisade-bench\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    b.extend_from_slice(
        b"------palisade-bench\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0\0\x10JFIF\0",
    );
    b.extend((0..file_len).map(|i| (i * 31 % 251) as u8));
    b.extend_from_slice(b"\r\n------palisade-bench--\r\n");
    b
}

/// A cart: `{"customer", "items": [{sku, name, qty, note}, …]}` of at least `target_len`
/// bytes of items.
pub fn json_body(target_len: usize) -> String {
    let mut items = Vec::new();
    let mut i = 0;
    while items.iter().map(|s: &String| s.len()).sum::<usize>() < target_len {
        items.push(format!(
            r#"{{"sku":"SKU-{i:05}","name":"Trail running shoe, size {i}","qty":{i},"note":"Leave at the door, it's fine"}}"#
        ));
        i += 1;
    }
    format!(
        r#"{{"customer":"alice@example.com","items":[{}]}}"#,
        items.join(",")
    )
}
