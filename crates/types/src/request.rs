use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use std::net::IpAddr;
use std::sync::Arc;

/// What the TLS layer saw of the client before the handshake.
#[derive(Clone, Debug, Default)]
pub struct TlsInfo {
    /// The raw ClientHello record(s), as peeked before rustls read them (for JA4).
    pub client_hello: Bytes,
    pub sni: Option<String>,
}

/// One request as the engine sees it: owned, socket-free, so the inline proxy, `palisade eval`,
/// the decision service and passive mode can all build one.
#[derive(Clone, Debug)]
pub struct RequestView {
    pub method: Method,
    /// Raw path as sent (percent-encoded), without the query.
    pub path: String,
    /// Raw query string, without the `?`.
    pub query: Option<String>,
    pub host: String,
    pub headers: HeaderMap,
    /// The inspected body (possibly a prefix of it, see `body_truncated`).
    pub body: Bytes,
    /// True when the body was longer than the inspection limit and only a prefix is here.
    pub body_truncated: bool,
    pub client_ip: IpAddr,
    pub tls: Option<Arc<TlsInfo>>,
    /// Name of the route that matched, when one did.
    pub route: Option<Arc<str>>,
    /// The request id events and evidence trails name it by (empty in tools and tests).
    pub id: String,
}

impl RequestView {
    /// A minimal view for tools and tests.
    pub fn new(method: Method, target: &str, client_ip: IpAddr) -> Self {
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        RequestView {
            method,
            path,
            query,
            host: String::new(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            body_truncated: false,
            client_ip,
            tls: None,
            route: None,
            id: String::new(),
        }
    }

    /// `path?query` as sent.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{}", self.path, q),
            None => self.path.clone(),
        }
    }

    /// The media type of the body without parameters, lower-cased, when declared.
    pub fn content_type(&self) -> Option<String> {
        let v = self
            .headers
            .get(http::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        let media = v.split(';').next().unwrap_or_default().trim();
        Some(media.to_ascii_lowercase())
    }
}

/// What the response inspection phase sees of the upstream's answer.
#[derive(Clone, Debug)]
pub struct ResponseView {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The buffered body when the route asked for response body inspection.
    pub body: Option<Bytes>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_splits_and_rejoins() {
        let mut v = RequestView::new(Method::GET, "/a/b?x=1&y=2", "127.0.0.1".parse().unwrap());
        assert_eq!(v.path, "/a/b");
        assert_eq!(v.query.as_deref(), Some("x=1&y=2"));
        assert_eq!(v.target(), "/a/b?x=1&y=2");
        v.headers.insert(
            http::header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(v.content_type().as_deref(), Some("application/json"));
    }
}
