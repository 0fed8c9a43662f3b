//! Shapes that name what a request is about without its specifics: the endpoint template
//! (`/users/123` → `/users/{id}`) and a fingerprint of the client's header layout.

use http::HeaderMap;

/// Is this path segment an object id rather than a name? Numbers, UUIDs, long hex strings
/// and long tokens that mix letters and digits are; words, versions (`v2`) and file names
/// are not.
fn is_id(seg: &str) -> bool {
    let b = seg.as_bytes();
    if b.is_empty() {
        return false;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let hexish = b.iter().all(|c| c.is_ascii_hexdigit() || *c == b'-');
    if hexish && b.len() >= 16 && b.iter().any(u8::is_ascii_digit) {
        return true;
    }
    let token = b
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_');
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    token && b.len() >= 10 && digits >= 3 && !seg.contains('.')
}

/// The endpoint a path belongs to: id-like segments become `{id}`; the query is not part of
/// the path here. Allocates once.
pub fn endpoint_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(if is_id(seg) { "{id}" } else { seg });
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// A short, stable name for how a client lays out its request headers: the header names in
/// order (values left out, so it survives rotating tokens and user agents). Clients of the
/// same software share it; the actors issue adds JA4 beside it when Palisade terminates TLS.
pub fn header_fingerprint(headers: &HeaderMap) -> String {
    // FNV-1a, 64 bit: tiny, no dependency, and stability matters more than strength here.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut n = 0u32;
    for name in headers.keys() {
        for b in name.as_str().bytes().chain(std::iter::once(b',')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        n += 1;
    }
    // `format!("h{n:02}{h:016x}")`, by hand (see `push_hex64`).
    let mut out = String::with_capacity(20);
    out.push('h');
    // At least two decimal digits; a u32 has at most ten.
    let mut dec = [b'0'; 10];
    let mut at = dec.len();
    let mut m = n;
    while m > 0 || at > dec.len() - 2 {
        at -= 1;
        dec[at] = b'0' + (m % 10) as u8;
        m /= 10;
    }
    out.extend(dec[at..].iter().map(|&d| char::from(d)));
    crate::decay::push_hex64(&mut out, h);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_replace_ids_only() {
        for (path, want) in [
            ("/api/users/123", "/api/users/{id}"),
            (
                "/api/users/123/orders/9f86d081-884c-4d63-9f8f-5b2a1b4e6a12",
                "/api/users/{id}/orders/{id}",
            ),
            ("/api/v2/products", "/api/v2/products"),
            ("/static/app.v123456789.js", "/static/app.v123456789.js"),
            ("/t/AbC123xYz789", "/t/{id}"),
            ("/search", "/search"),
            ("", "/"),
        ] {
            assert_eq!(endpoint_template(path), want, "{path}");
        }
    }

    #[test]
    fn fingerprint_text_is_count_and_hash() {
        let mut m = HeaderMap::new();
        assert_eq!(
            header_fingerprint(&m),
            format!("h00{:016x}", 0xcbf2_9ce4_8422_2325u64)
        );
        for i in 0..123 {
            m.insert(
                http::HeaderName::from_bytes(format!("x-h{i}").as_bytes()).unwrap(),
                "v".parse().unwrap(),
            );
        }
        let fp = header_fingerprint(&m);
        assert!(fp.starts_with("h123") && fp.len() == 20, "{fp}");
        m.remove("x-h0");
        assert!(header_fingerprint(&m).starts_with("h122"));
    }

    #[test]
    fn fingerprint_follows_names_and_order_not_values() {
        let mut a = HeaderMap::new();
        a.insert("host", "x".parse().unwrap());
        a.insert("user-agent", "curl/8".parse().unwrap());
        let mut b = HeaderMap::new();
        b.insert("host", "y".parse().unwrap());
        b.insert("user-agent", "curl/9".parse().unwrap());
        assert_eq!(header_fingerprint(&a), header_fingerprint(&b));
        let mut c = HeaderMap::new();
        c.insert("user-agent", "curl/8".parse().unwrap());
        c.insert("host", "x".parse().unwrap());
        assert_ne!(header_fingerprint(&a), header_fingerprint(&c));
        assert!(header_fingerprint(&a).starts_with("h02"));
    }
}
