//! Which actors a request speaks for: its address and network, its session, user and API
//! key, custom keys from configuration, and its header fingerprint; and where it is going
//! (endpoint template, object id, page, flow step).

use base64::Engine as _;
use http::HeaderMap;
use palisade_actors::{fnv64, hash32, ActorKey};
use palisade_config::{Actors, Source};
use palisade_types::RequestView;
use std::sync::Arc;

/// Values longer than this are not taken as keys (a 10 KB "session" is an attack, not an id).
const MAX_KEY_VALUE: usize = 256;

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            k.eq_ignore_ascii_case(name).then_some(v)
        })
}

fn query<'a>(q: Option<&'a str>, name: &str) -> Option<&'a str> {
    q?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The request body as JSON, parsed at most once and only when something asks.
pub struct Body<'a> {
    req: &'a RequestView,
    json: std::cell::OnceCell<Option<serde_json::Value>>,
}

impl<'a> Body<'a> {
    pub fn new(req: &'a RequestView) -> Self {
        Body {
            req,
            json: std::cell::OnceCell::new(),
        }
    }

    fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| {
                let ct = self.req.content_type()?;
                if ct != "application/json" && !ct.ends_with("+json") {
                    return None;
                }
                serde_json::from_slice(&self.req.body).ok()
            })
            .as_ref()
    }

    /// A string (or number) at a JSON pointer, or a form field of that name (pointer
    /// without its `/`).
    pub fn field(&self, pointer: &str) -> Option<String> {
        if let Some(v) = self.json().and_then(|j| j.pointer(pointer)) {
            return match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
        }
        let ct = self.req.content_type()?;
        if ct != "application/x-www-form-urlencoded" {
            return None;
        }
        let name = pointer.trim_start_matches('/');
        form_urlencoded::parse(&self.req.body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

fn value(req: &RequestView, body: &Body<'_>, src: &Source) -> Option<String> {
    let v = match src {
        Source::Header(h) => req.headers.get(h.as_str())?.to_str().ok()?.to_string(),
        Source::Cookie(c) => cookie(&req.headers, c)?.to_string(),
        Source::Query(q) => query(req.query.as_deref(), q)?.to_string(),
        Source::Json(p) => body.field(p)?,
    };
    (!v.is_empty() && v.len() <= MAX_KEY_VALUE).then_some(v)
}

/// The user a request is authenticated as: a bearer JWT's `sub` (decoded, not verified —
/// it names the actor, it does not grant anything) or the basic-auth user.
fn user(req: &RequestView, cfg: &Actors) -> Option<String> {
    let auth = req
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, cred) = auth.split_once(' ')?;
    let cred = cred.trim();
    if cfg.user_from_jwt && scheme.eq_ignore_ascii_case("bearer") {
        let payload = cred.split('.').nth(1)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        return match claims.get("sub")? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
    }
    if cfg.user_from_basic && scheme.eq_ignore_ascii_case("basic") {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(cred)
            .ok()?;
        let text = String::from_utf8(bytes).ok()?;
        return text.split_once(':').map(|(u, _)| u.to_string());
    }
    None
}

/// The keys that name this client alone (address first) and those it shares with others.
pub fn keys(
    req: &RequestView,
    body: &Body<'_>,
    cfg: &Actors,
    fingerprint: &str,
    geo: Option<(u32, &str)>,
) -> (Vec<ActorKey>, Vec<ActorKey>) {
    let mut principals = vec![ActorKey::Ip(req.client_ip)];
    if let Some(s) = cfg.session.iter().find_map(|s| value(req, body, s)) {
        principals.push(ActorKey::hashed("session", &s));
    }
    if let Some(u) = user(req, cfg).filter(|u| !u.is_empty() && u.len() <= MAX_KEY_VALUE) {
        principals.push(ActorKey::User(Arc::from(u)));
    }
    if let Some(k) = cfg.api_key.iter().find_map(|s| value(req, body, s)) {
        principals.push(ActorKey::hashed("apikey", &k));
    }
    for (name, src) in &cfg.custom {
        if let Some(v) = value(req, body, src) {
            principals.push(ActorKey::Custom(Arc::from(format!("{name}={v}"))));
        }
    }
    let mut crowd = vec![
        ActorKey::Fingerprint(Arc::from(fingerprint)),
        ActorKey::net_of(req.client_ip, cfg.ipv4_prefix, cfg.ipv6_prefix),
    ];
    if let Some((asn, country)) = geo {
        if asn != 0 {
            crowd.push(ActorKey::Asn(asn));
        }
        if let [a, b] = country.as_bytes() {
            crowd.push(ActorKey::Country([*a, *b]));
        }
    }
    (principals, crowd)
}

/// The object a path names: its last id-like segment, as a number when it is one.
pub fn object_id(path: &str, template: &str) -> Option<u64> {
    path.split('/')
        .zip(template.split('/'))
        .filter(|(_, t)| *t == "{id}")
        .last()
        .map(|(seg, _)| seg.parse::<u64>().unwrap_or_else(|_| fnv64(seg.as_bytes())))
}

/// The page of a list a query asks for (page, offset, cursor and their usual spellings).
pub fn page(query: Option<&str>) -> Option<u32> {
    const NAMES: [&str; 10] = [
        "page",
        "p",
        "offset",
        "start",
        "skip",
        "cursor",
        "after",
        "from",
        "page[number]",
        "page%5Bnumber%5D",
    ];
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (NAMES.contains(&k) && !v.is_empty() && v != "0" && v != "1").then(|| hash32(v.as_bytes()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn cfg() -> Actors {
        let c = palisade_config::from_str(
            "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\nactors: { custom: { tenant: { header: x-tenant } } }",
            std::path::Path::new("t.yaml"),
            std::path::Path::new("."),
        )
        .unwrap();
        c.actors
    }

    #[test]
    fn keys_from_cookies_tokens_and_custom_headers() {
        let mut r = RequestView::new(
            Method::GET,
            "/api/users/42?page=3",
            "203.0.113.9".parse().unwrap(),
        );
        r.headers
            .insert("cookie", "theme=dark; sessionid=abc123".parse().unwrap());
        // {"sub":"alice"} as a JWT payload.
        r.headers.insert(
            "authorization",
            "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig"
                .parse()
                .unwrap(),
        );
        r.headers.insert("x-api-key", "k-1".parse().unwrap());
        r.headers.insert("x-tenant", "acme".parse().unwrap());
        let body = Body::new(&r);
        let (p, c) = keys(&r, &body, &cfg(), "h01abc", Some((64500, "FR")));
        let names: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(names[0], "ip:203.0.113.9");
        assert!(names[1].starts_with("session:") && !names[1].contains("abc123"));
        assert_eq!(names[2], "user:alice");
        assert!(names[3].starts_with("apikey:"));
        assert_eq!(names[4], "custom:tenant=acme");
        let crowd: Vec<String> = c.iter().map(ToString::to_string).collect();
        assert_eq!(
            crowd,
            ["fp:h01abc", "net:203.0.113.0/24", "asn:64500", "cc:FR"]
        );
        assert_eq!(object_id("/api/users/42", "/api/users/{id}"), Some(42));
        assert!(page(Some("q=x&page=3")).is_some());
        assert!(page(Some("q=x&page=1")).is_none());
    }

    #[test]
    fn basic_auth_names_the_user() {
        let mut r = RequestView::new(Method::GET, "/", "203.0.113.9".parse().unwrap());
        r.headers
            .insert("authorization", "Basic Ym9iOnNlY3JldA==".parse().unwrap());
        let body = Body::new(&r);
        let (p, _) = keys(&r, &body, &cfg(), "h", None);
        assert_eq!(p[1].to_string(), "user:bob");
    }
}
