//! What a proxy must do to headers and URIs on the way through (RFC 9110 §7.6): drop
//! hop-by-hop headers, including those the Connection header names; add X-Forwarded-*; point
//! the URI at the chosen upstream server.

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::uri::{Authority, PathAndQuery, Scheme, Uri};
use std::net::IpAddr;

const HOP_BY_HOP: [HeaderName; 8] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
];

/// Removes hop-by-hop headers in place. `Upgrade` goes too: upgrades are not proxied yet.
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    // Headers named in Connection are hop-by-hop for this hop only.
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|n| HeaderName::from_bytes(n.trim().as_bytes()).ok())
        .collect();
    for n in named {
        headers.remove(n);
    }
    for h in &HOP_BY_HOP {
        headers.remove(h);
    }
    headers.remove(header::UPGRADE);
}

/// Adds X-Forwarded-For (appending to a trusted chain), -Proto and -Host.
pub fn add_forwarded(headers: &mut HeaderMap, peer: IpAddr, tls: bool, host: &str) {
    let xff = HeaderName::from_static("x-forwarded-for");
    let chain = match headers.get(&xff).and_then(|v| v.to_str().ok()) {
        Some(prev) if !prev.is_empty() => format!("{prev}, {peer}"),
        _ => peer.to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&chain) {
        headers.insert(xff, v);
    }
    headers.insert(
        HeaderName::from_static("x-forwarded-proto"),
        HeaderValue::from_static(if tls { "https" } else { "http" }),
    );
    if !headers.contains_key("x-forwarded-host") {
        if let Ok(v) = HeaderValue::from_str(host) {
            headers.insert(HeaderName::from_static("x-forwarded-host"), v);
        }
    }
}

/// `http://SERVER/path?query` for the upstream request.
pub fn upstream_uri(server: &Authority, pq: Option<&PathAndQuery>) -> Result<Uri, http::Error> {
    Uri::builder()
        .scheme(Scheme::HTTP)
        .authority(server.clone())
        .path_and_query(
            pq.cloned()
                .unwrap_or_else(|| PathAndQuery::from_static("/")),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_by_hop_and_connection_named_headers_go() {
        let mut h = HeaderMap::new();
        h.insert(header::CONNECTION, "keep-alive, x-secret".parse().unwrap());
        h.insert("x-secret", "1".parse().unwrap());
        h.insert("keep-alive", "timeout=5".parse().unwrap());
        h.insert(header::TRANSFER_ENCODING, "chunked".parse().unwrap());
        h.insert(header::TE, "trailers".parse().unwrap());
        h.insert(header::UPGRADE, "websocket".parse().unwrap());
        h.insert("x-keep", "yes".parse().unwrap());
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert_eq!(h["x-keep"], "yes");
    }

    #[test]
    fn forwarded_headers_append() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "198.51.100.1".parse().unwrap());
        add_forwarded(&mut h, "10.0.0.9".parse().unwrap(), true, "api.example.com");
        assert_eq!(h["x-forwarded-for"], "198.51.100.1, 10.0.0.9");
        assert_eq!(h["x-forwarded-proto"], "https");
        assert_eq!(h["x-forwarded-host"], "api.example.com");
    }

    #[test]
    fn uri_points_at_the_server() {
        let a: Authority = "127.0.0.1:3000".parse().unwrap();
        let pq: PathAndQuery = "/a?b=1".parse().unwrap();
        assert_eq!(
            upstream_uri(&a, Some(&pq)).unwrap().to_string(),
            "http://127.0.0.1:3000/a?b=1"
        );
        assert_eq!(
            upstream_uri(&a, None).unwrap().to_string(),
            "http://127.0.0.1:3000/"
        );
    }
}
