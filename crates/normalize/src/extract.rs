//! Where the values are: path, query keys and values, header values, cookies, and the body
//! read by its real structure (JSON keys and string leaves at any depth, form fields). A body
//! that parses as JSON is read as JSON even without a Content-Type, as real clients send.

use crate::{percent_decode_lossy, Normalized};
use palisade_config::Limits;
use palisade_types::{Place, PlaceKind, RequestView};

/// Headers that are structural (the proxy or hyper already validated them) or that carry
/// secrets detectors must not echo into evidence.
const SKIP_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "authorization",
    "proxy-authorization",
    "accept-encoding",
    "te",
    "transfer-encoding",
    "upgrade",
    "keep-alive",
];

pub fn extract(req: &RequestView, limits: &Limits) -> Normalized {
    let mut n = Normalized::default();
    // The path as a whole: traversal needs the separators, injection the segment text.
    n.push(limits, Place::new(PlaceKind::Path, ""), req.path.clone());
    if let Some(q) = &req.query {
        pairs(
            &mut n,
            limits,
            q,
            PlaceKind::QueryKey,
            PlaceKind::QueryValue,
        );
    }
    for (name, value) in &req.headers {
        let name = name.as_str();
        if SKIP_HEADERS.contains(&name) {
            continue;
        }
        let value = String::from_utf8_lossy(value.as_bytes());
        if name == "cookie" {
            for c in value.split(';') {
                let (k, v) = c.split_once('=').unwrap_or(("", c));
                n.push(
                    limits,
                    Place::new(PlaceKind::Cookie, k.trim()),
                    v.trim().to_string(),
                );
            }
        } else {
            n.push(
                limits,
                Place::new(PlaceKind::Header, name),
                value.into_owned(),
            );
        }
    }
    body(&mut n, req, limits);
    n
}

/// `a=1&b=2` pairs, `+` as space, keys and values both inspected (keys only when unusual).
fn pairs(
    n: &mut Normalized,
    limits: &Limits,
    text: &str,
    key_kind: PlaceKind,
    value_kind: PlaceKind,
) {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode_lossy(&k.replace('+', " "));
        let v = percent_decode_lossy(&v.replace('+', " "));
        if !is_plain_name(&k) {
            n.push(limits, Place::new(key_kind, k.clone()), k.clone());
        }
        n.push(limits, Place::new(value_kind, k), v);
    }
}

/// Parameter names made of word characters carry nothing to inspect.
fn is_plain_name(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
}

fn body(n: &mut Normalized, req: &RequestView, limits: &Limits) {
    if req.body.is_empty() {
        return;
    }
    let ct = req.content_type().unwrap_or_default();
    let is_form = ct == "application/x-www-form-urlencoded";
    let looks_json = ct.ends_with("json")
        || ct.ends_with("+json")
        || (!is_form
            && matches!(
                req.body.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            ));
    if looks_json {
        match serde_json::from_slice::<serde_json::Value>(&req.body) {
            Ok(v) => {
                json(n, limits, &v, &mut String::from("$"), 0);
                return;
            }
            Err(_) => n.body_unparsed = true,
        }
    }
    let text = String::from_utf8_lossy(&req.body);
    if is_form {
        pairs(n, limits, &text, PlaceKind::FormKey, PlaceKind::FormValue);
    } else {
        n.push(limits, Place::new(PlaceKind::Body, ""), text.into_owned());
    }
}

fn json(
    n: &mut Normalized,
    limits: &Limits,
    v: &serde_json::Value,
    path: &mut String,
    depth: usize,
) {
    use serde_json::Value as J;
    if depth > limits.max_json_depth {
        n.values_dropped += 1;
        return;
    }
    match v {
        J::String(s) => n.push(
            limits,
            Place::new(PlaceKind::JsonValue, path.clone()),
            s.clone(),
        ),
        J::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                json(n, limits, item, path, depth + 1);
                path.truncate(len);
            }
        }
        J::Object(map) => {
            for (k, item) in map {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                if !is_plain_name(k) {
                    n.push(
                        limits,
                        Place::new(PlaceKind::JsonKey, path.clone()),
                        k.clone(),
                    );
                }
                json(n, limits, item, path, depth + 1);
                path.truncate(len);
            }
        }
        // Numbers, booleans and null cannot carry an injection once parsed.
        J::Number(_) | J::Bool(_) | J::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn view(target: &str, ct: Option<&str>, body: &str) -> RequestView {
        let mut r = RequestView::new(Method::POST, target, "127.0.0.1".parse().unwrap());
        if let Some(ct) = ct {
            r.headers
                .insert(http::header::CONTENT_TYPE, ct.parse().unwrap());
        }
        r.headers.insert(
            http::header::COOKIE,
            "sid=abc; pref=%3Cb%3E".parse().unwrap(),
        );
        r.body = body.to_string().into();
        r
    }

    fn find<'a>(n: &'a Normalized, kind: PlaceKind, name: &str) -> &'a crate::Value {
        n.values
            .iter()
            .find(|v| v.place.kind == kind && v.place.name == name)
            .unwrap_or_else(|| panic!("no {kind:?} {name} in {:?}", n.values))
    }

    #[test]
    fn extracts_query_cookies_and_json_leaves() {
        let r = view(
            "/p?q=a+b%27&x%3Cy=1",
            None,
            r#"{"user":{"name":"O'Brien","tags":["x","<i>"]},"n":3}"#,
        );
        let n = extract(&r, &Limits::default());
        assert_eq!(find(&n, PlaceKind::QueryValue, "q").raw, "a b'");
        assert_eq!(find(&n, PlaceKind::QueryKey, "x<y").raw, "x<y");
        assert_eq!(find(&n, PlaceKind::Cookie, "pref").decoded, "<b>");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.user.name").raw, "O'Brien");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.user.tags[1]").raw, "<i>");
        assert!(!n.body_unparsed);
    }

    #[test]
    fn form_bodies_and_unparsable_json() {
        let n = extract(
            &view("/", Some("application/x-www-form-urlencoded"), "a=1%27&b=2"),
            &Limits::default(),
        );
        assert_eq!(find(&n, PlaceKind::FormValue, "a").raw, "1'");
        let n = extract(
            &view("/", Some("application/json"), "{bad"),
            &Limits::default(),
        );
        assert!(n.body_unparsed);
        assert_eq!(find(&n, PlaceKind::Body, "").raw, "{bad");
    }

    #[test]
    fn caps_bound_the_work() {
        let limits = Limits {
            max_values: 4,
            max_value_bytes: 5,
            max_json_depth: 2,
            ..Limits::default()
        };
        let q: Vec<String> = (0..10).map(|i| format!("k{i}=vvvvvvvvvv")).collect();
        let r = view(&format!("/?{}", q.join("&")), None, "");
        let n = extract(&r, &limits);
        assert_eq!(n.values.len(), 4);
        assert!(n.values_dropped > 0);
        assert!(n.values.iter().all(|v| v.raw.len() <= 5));
        let deep = view(
            "/",
            Some("application/json"),
            r#"{"a":{"b":{"c":{"d":"x"}}}}"#,
        );
        let n = extract(&deep, &limits);
        assert!(n.values_dropped > 0);
    }
}
