//! Evaluation of compiled expressions against one request's facts. Values borrow from the
//! request wherever they can; the JSON body, the endpoint template, the fingerprint and the
//! geo lookup are computed at most once per request, and only when a policy asks for them.

use super::compile::{header_bit, Cmp, Field, HeaderKey, Node};
use super::group::{RegexGroup, MAX_GROUPS};
use crate::geo::{Geo, GeoInfo};
use crate::lists::ListSet;
use crate::ActorSnapshot;
use palisade_types::{KeySet, RequestView, Signal};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::net::IpAddr;
use std::time::Instant;

/// Everything an expression may read about one request.
pub struct Facts<'a> {
    pub req: &'a RequestView,
    pub signals: &'a [Signal],
    pub actor: &'a ActorSnapshot,
    pub lists: &'a ListSet,
    pub geo: Option<&'a Geo>,
    pub now: Instant,
    json: OnceCell<Option<serde_json::Value>>,
    /// Whether the body is JSON and which keys its objects use (bounded by the body's size):
    /// handed over by the normalizer's walk, or else collected from the parsed tree.
    /// `json_has("")` and `json_has_key` need no more than this.
    json_shape: OnceCell<Option<JsonShape>>,
    /// Per grouped field (see `group.rs`), which of its regexes match, computed on first use;
    /// tagged with the group it answers for.
    groups: [OnceCell<(u64, u128)>; MAX_GROUPS],
    /// The query string's pairs, decoded once however many policies read them.
    query: OnceCell<Vec<(Cow<'a, str>, Cow<'a, str>)>>,
    /// The body as text, converted once per request however many policies read it
    /// (borrowed when it is valid UTF-8).
    body: OnceCell<Cow<'a, str>>,
    /// The body's media type, read once however many policies ask.
    content_type: OnceCell<Cow<'a, str>>,
    /// The request's header names as a 128-bit filter (`header_bit` of each), built on first
    /// use.
    header_bits: OnceCell<u128>,
    endpoint: OnceCell<String>,
    fingerprint: OnceCell<String>,
    geo_info: OnceCell<GeoInfo>,
}

impl<'a> Facts<'a> {
    pub fn new(
        req: &'a RequestView,
        signals: &'a [Signal],
        actor: &'a ActorSnapshot,
        lists: &'a ListSet,
        geo: Option<&'a Geo>,
        now: Instant,
    ) -> Self {
        Facts {
            req,
            signals,
            actor,
            lists,
            geo,
            now,
            json: OnceCell::new(),
            json_shape: OnceCell::new(),
            groups: Default::default(),
            query: OnceCell::new(),
            body: OnceCell::new(),
            content_type: OnceCell::new(),
            header_bits: OnceCell::new(),
            endpoint: OnceCell::new(),
            fingerprint: OnceCell::new(),
            geo_info: OnceCell::new(),
        }
    }

    /// Hands over the object keys of a JSON body the engine parsed already (see
    /// `Normalized::body_json_keys`), so `json_has_key` needs no second parse. Ignored when
    /// the request does not declare a JSON body: such a body is not JSON to policies.
    pub fn with_json_keys(self, keys: Option<KeySet>) -> Self {
        if let Some(keys) = keys {
            if self.is_json() {
                let _ = self.json_shape.set(Some(JsonShape::from_keys(keys)));
            }
        }
        self
    }

    /// Hands over shapes the engine computed already (the endpoint template, the header
    /// fingerprint), so they are not computed twice.
    pub fn with_shapes(self, endpoint: String, fingerprint: String) -> Self {
        let _ = self.endpoint.set(endpoint);
        let _ = self.fingerprint.set(fingerprint);
        self
    }

    /// Hands over the body as text when the caller converted it already (the engine does,
    /// once for patches and policies).
    pub fn with_body(self, body: Cow<'a, str>) -> Self {
        let _ = self.body.set(body);
        self
    }

    /// False when the request certainly has no header `h` (its bit is not in the filter).
    fn may_have(&self, h: &HeaderKey) -> bool {
        self.header_filter() & h.bit != 0
    }

    fn header_filter(&self) -> u128 {
        *self.header_bits.get_or_init(|| {
            self.req
                .headers
                .keys()
                .fold(0, |bits, n| bits | header_bit(n.as_str()))
        })
    }

    /// The request's side of [`Need`](super::Need): which headers it may have (the header
    /// filter), and whether it has a query string and a body.
    pub fn have(&self) -> super::Need {
        let headers = self.header_filter();
        let query = self.req.query.as_deref().is_some_and(|q| !q.is_empty());
        super::Need {
            headers,
            any_headers: 0,
            flags: if query { super::Need::QUERY } else { 0 }
                | if self.req.body.is_empty() {
                    0
                } else {
                    super::Need::BODY
                }
                | if self.actor.login_endpoint {
                    super::Need::LOGIN
                } else {
                    0
                },
            methods: super::compile::method_bit(self.req.method.as_str()),
            lists: self.lists.filled(),
        }
    }

    pub fn body(&self) -> &str {
        self.body
            .get_or_init(|| palisade_types::lossy(&self.req.body))
    }

    pub fn endpoint(&self) -> &str {
        self.endpoint
            .get_or_init(|| palisade_actors::endpoint_template(&self.req.path))
    }

    pub fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| palisade_actors::header_fingerprint(&self.req.headers))
    }

    pub fn geo(&self) -> &GeoInfo {
        self.geo_info.get_or_init(|| match self.geo {
            Some(g) => g.lookup(self.req.client_ip),
            None => GeoInfo::default(),
        })
    }

    /// Which of `group`'s regexes match its field, run once per request. Facts judged by
    /// another policy set (whose groups share slot numbers) get a fresh answer, uncached.
    fn group_matches(&self, group: &RegexGroup, subject: &Node) -> u128 {
        let run = || group.answer(&subject.eval(self).s());
        let cell = &self.groups[group.slot];
        match cell.get() {
            Some((owner, bits)) if *owner == group.id => *bits,
            Some(_) => run(),
            None => cell.get_or_init(|| (group.id, run())).1,
        }
    }

    /// The media type of the body: `Content-Type` up to any `;`, trimmed and lower-cased
    /// (media types are case-insensitive); "" without the header.
    fn content_type(&self) -> &str {
        self.content_type.get_or_init(|| {
            let v = self
                .req
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map_or("", |v| v.split(';').next().unwrap_or("").trim());
            if v.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(v.to_ascii_lowercase())
            } else {
                Cow::Borrowed(v)
            }
        })
    }

    fn is_json(&self) -> bool {
        let ct = self.content_type();
        ct == "application/json" || ct.ends_with("+json")
    }

    fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| {
                if !self.is_json() {
                    return None;
                }
                serde_json::from_slice(&self.req.body).ok()
            })
            .as_ref()
    }

    /// The keys of a JSON body, `None` when the body is not (valid) JSON.
    fn json_shape(&self) -> Option<&JsonShape> {
        self.json_shape
            .get_or_init(|| {
                if !self.is_json() {
                    return None;
                }
                // Not handed over by the engine (detection was skipped): from the parsed tree.
                let mut keys = KeySet::default();
                JsonShape::collect(&mut keys, self.json()?, 0);
                Some(JsonShape::from_keys(keys))
            })
            .as_ref()
    }

    fn header(&self, name: &http::HeaderName) -> &str {
        self.req
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query
            .get_or_init(|| match self.req.query.as_deref() {
                Some(q) => form_urlencoded::parse(q.as_bytes()).collect(),
                None => Vec::new(),
            })
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    fn cookie(&self, key: &str) -> Option<&'a str> {
        self.req
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    fn max_confidence(&self, pred: impl Fn(&Signal) -> bool) -> f64 {
        self.signals
            .iter()
            .filter(|s| pred(s))
            .map(|s| super::decimal(s.confidence))
            .fold(0.0, f64::max)
    }
}

/// A value during evaluation.
#[derive(Debug)]
pub(crate) enum V<'a> {
    B(bool),
    I(i64),
    F(f64),
    S(Cow<'a, str>),
    Ip(IpAddr),
}

impl<'a> V<'a> {
    pub(crate) fn into_bool(self) -> bool {
        self.b()
    }
    fn b(self) -> bool {
        matches!(self, V::B(true))
    }
    fn f(&self) -> f64 {
        match self {
            V::I(n) => *n as f64,
            V::F(f) => *f,
            _ => 0.0,
        }
    }
    fn s(self) -> Cow<'a, str> {
        match self {
            V::S(s) => s,
            _ => Cow::Borrowed(""),
        }
    }
    fn ip(self) -> Option<IpAddr> {
        match self {
            V::Ip(ip) => Some(ip),
            _ => None,
        }
    }
}

/// Does some object in `v`, at any depth, set `key` to a value that grants what the key
/// names? `true`, a number other than 0, a string other than `""`, `"false"`, `"0"`, `"no"`
/// or `"off"`, or a non-empty array or object. `"is_admin": false` (a profile form sending
/// every field back) grants nothing; `"is_admin": true` or `"is_admin": "yes"` does.
/// serde_json's parser stops at 128 levels, which bounds the recursion.
fn sets_key(v: &serde_json::Value, key: &str) -> bool {
    use serde_json::Value;
    match v {
        Value::Object(m) => m.iter().any(|(k, x)| {
            (k == key
                && match x {
                    Value::Null => false,
                    Value::Bool(b) => *b,
                    Value::Number(n) => n.as_f64() != Some(0.0),
                    Value::String(t) => !["", "false", "0", "no", "off"]
                        .iter()
                        .any(|f| t.trim().eq_ignore_ascii_case(f)),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(o) => !o.is_empty(),
                })
                || sets_key(x, key)
        }),
        Value::Array(a) => a.iter().any(|x| sets_key(x, key)),
        _ => false,
    }
}

fn json_text(v: &serde_json::Value) -> Cow<'_, str> {
    match v {
        serde_json::Value::String(s) => Cow::Borrowed(s),
        serde_json::Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

/// The object keys of a JSON document, to the depth `json_has_key` looks.
#[derive(Default)]
struct JsonShape {
    keys: KeySet,
    /// The first bytes of the keys, one bit each: most keys a policy asks for (`$ne`,
    /// `__proto__`, `is_admin`) are answered "absent" by one bit test, without hashing.
    first: [u64; 4],
}

/// Keys deeper than this are not looked at.
const MAX_KEY_DEPTH: usize = 32;

impl JsonShape {
    fn from_keys(keys: KeySet) -> Self {
        let mut shape = JsonShape {
            keys,
            first: [0; 4],
        };
        for k in &shape.keys {
            if let Some(&b) = k.as_bytes().first() {
                shape.first[usize::from(b >> 6)] |= 1 << (b & 63);
            }
        }
        shape
    }

    fn has(&self, key: &str) -> bool {
        match key.as_bytes().first() {
            Some(&b) if self.first[usize::from(b >> 6)] & (1 << (b & 63)) == 0 => false,
            _ => self.keys.contains(key),
        }
    }

    fn collect(keys: &mut KeySet, v: &serde_json::Value, depth: usize) {
        if depth > MAX_KEY_DEPTH {
            return;
        }
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if !keys.contains(k.as_str()) {
                        keys.insert(k.as_str().into());
                    }
                    Self::collect(keys, x, depth + 1);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| Self::collect(keys, x, depth + 1)),
            _ => {}
        }
    }
}

impl Node {
    pub(crate) fn eval<'a>(&'a self, f: &'a Facts<'_>) -> V<'a> {
        match self {
            Node::Bool(b) => V::B(*b),
            Node::Int(n) => V::I(*n),
            Node::Float(x) => V::F(*x),
            Node::Str(s) => V::S(Cow::Borrowed(s)),
            Node::Field(field) => field_value(*field, f),
            Node::Header(h) => V::S(Cow::Borrowed(if f.may_have(h) {
                f.header(&h.name)
            } else {
                ""
            })),
            Node::HasHeader(h) => V::B(f.may_have(h) && f.req.headers.contains_key(&h.name)),
            Node::Query(k) => V::S(Cow::Borrowed(f.query(k).unwrap_or(""))),
            Node::HasQuery(k) => V::B(f.query(k).is_some()),
            Node::Cookie(k) => V::S(Cow::Borrowed(f.cookie(k).unwrap_or(""))),
            Node::HasCookie(k) => V::B(f.cookie(k).is_some()),
            Node::Json(p) => V::S(
                f.json()
                    .and_then(|j| j.pointer(p))
                    .map(json_text)
                    .unwrap_or_default(),
            ),
            // The whole document exists exactly when the body is valid JSON.
            Node::JsonHas(p) if p.is_empty() => V::B(f.json_shape().is_some()),
            Node::JsonHas(p) => V::B(f.json().and_then(|j| j.pointer(p)).is_some()),
            Node::JsonHasKey(keys) => V::B(
                f.json_shape()
                    .is_some_and(|s| keys.iter().any(|k| s.has(k))),
            ),
            // The key set answers most bodies; only one that has the key is parsed.
            Node::JsonKeyTrue(k) => V::B(
                f.json_shape().is_some_and(|s| s.has(k))
                    && f.json().is_some_and(|j| sets_key(j, k)),
            ),
            Node::Signal(c) => V::F(f.max_confidence(|s| s.category == *c)),
            Node::SignalFrom(d) => V::F(f.max_confidence(|s| s.detector == &**d)),
            Node::Not(n) => V::B(!n.eval(f).b()),
            Node::And(a, b) => V::B(a.eval(f).b() && b.eval(f).b()),
            Node::Or(a, b) => V::B(a.eval(f).b() || b.eval(f).b()),
            Node::Num(op, a, b) => {
                let (x, y) = (a.eval(f).f(), b.eval(f).f());
                V::B(match op {
                    Cmp::Eq => x == y,
                    Cmp::Ne => x != y,
                    Cmp::Lt => x < y,
                    Cmp::Le => x <= y,
                    Cmp::Gt => x > y,
                    Cmp::Ge => x >= y,
                })
            }
            Node::StrEq(eq, a, b) => V::B((a.eval(f).s() == b.eval(f).s()) == *eq),
            Node::BoolEq(eq, a, b) => V::B((a.eval(f).b() == b.eval(f).b()) == *eq),
            Node::IpEq(eq, a, b) => V::B((a.eval(f).ip() == b.eval(f).ip()) == *eq),
            Node::StartsWith(a, lit) => V::B(a.eval(f).s().starts_with(&**lit)),
            Node::EndsWith(a, lit) => V::B(a.eval(f).s().ends_with(&**lit)),
            Node::Contains(a, lit) => V::B(a.eval(f).s().contains(&**lit)),
            Node::Matches(a, re) => V::B(re.is_match(&a.eval(f).s())),
            Node::MatchesGroup(a, group, i) => V::B(f.group_matches(group, a) >> i & 1 == 1),
            Node::ContainsAny(a, ac, _) => V::B(ac.is_match(a.eval(f).s().as_bytes())),
            Node::InStrs(a, set) => {
                let v = a.eval(f).s();
                V::B(set.iter().any(|s| **s == *v))
            }
            Node::InInts(a, set) => {
                let v = a.eval(f).f();
                V::B(set.iter().any(|n| *n as f64 == v))
            }
            Node::InCidrs(a, nets) => V::B(
                a.eval(f)
                    .ip()
                    .is_some_and(|ip| nets.iter().any(|n| n.contains(&ip))),
            ),
            Node::InList(i, a) => V::B(match a.eval(f) {
                V::Ip(ip) => f.lists.contains_ip(*i, ip, f.now),
                V::S(s) => f.lists.contains_str(*i, &s, f.now),
                _ => false,
            }),
            Node::Lower(a) => {
                let s = a.eval(f).s();
                if s.bytes().any(|b| b.is_ascii_uppercase()) {
                    V::S(Cow::Owned(s.to_ascii_lowercase()))
                } else {
                    V::S(s)
                }
            }
            Node::Size(a) => V::I(a.eval(f).s().len() as i64),
        }
    }
}

fn field_value<'a>(field: Field, f: &'a Facts<'_>) -> V<'a> {
    let r = f.req;
    let s = |x: &'a str| V::S(Cow::Borrowed(x));
    match field {
        Field::Method => s(r.method.as_str()),
        Field::Path => s(&r.path),
        Field::QueryString => s(r.query.as_deref().unwrap_or("")),
        Field::Host => s(&r.host),
        Field::Route => s(r.route.as_deref().unwrap_or("")),
        Field::Endpoint => s(f.endpoint()),
        Field::ContentType => s(f.content_type()),
        Field::UserAgent => s(f.header(&http::header::USER_AGENT)),
        Field::Body => s(f.body()),
        Field::BodySize => V::I(r.body.len() as i64),
        Field::HeaderCount => V::I(r.headers.len() as i64),
        Field::QueryCount => V::I(
            r.query
                .as_deref()
                .map_or(0, |q| q.split('&').filter(|p| !p.is_empty()).count()) as i64,
        ),
        Field::Scheme => s(if r.tls.is_some() { "https" } else { "http" }),
        Field::ClientIp => V::Ip(r.client_ip),
        Field::Country => s(f.geo().country()),
        Field::Asn => V::I(i64::from(f.geo().asn)),
        Field::Fingerprint => s(f.fingerprint()),
        Field::Tls => V::B(r.tls.is_some()),
        Field::SignalCount => V::I(f.signals.len() as i64),
        Field::SignalMax => V::F(f.max_confidence(|_| true)),
        Field::ActorBlocked => V::B(f.actor.blocked),
        Field::ActorDeceived => V::B(f.actor.deceived),
        Field::LoginEndpoint => V::B(f.actor.login_endpoint),
        Field::LoginLimited => V::B(f.actor.login_limited.is_some()),
        Field::ActorScore => V::F(super::decimal(f.actor.score)),
        Field::ActorLevel => s(f.actor.level),
        Field::ActorGoodStanding => V::B(f.actor.good_standing),
        Field::ActorRequests => V::I(i64::from(f.actor.requests)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::{compile, Env, ListKind, ListRef};
    use super::*;
    use palisade_types::{Category, Place, PlaceKind};

    fn check(src: &str, req: &RequestView, signals: &[Signal]) -> bool {
        let lists = ListSet::for_tests();
        let lookup = |n: &str| lists.resolve(n);
        let p = compile(
            src,
            &Env {
                block_confidence: 0.7,
                lists: &lookup,
            },
        )
        .unwrap_or_else(|e| panic!("{src}: {}", e.message));
        let actor = ActorSnapshot::default();
        let facts = Facts::new(req, signals, &actor, &lists, None, Instant::now());
        p.root.eval(&facts).b()
    }

    fn req(target: &str) -> RequestView {
        let mut r = RequestView::new(http::Method::POST, target, "10.1.2.3".parse().unwrap());
        r.headers
            .insert("user-agent", "sqlmap/1.7".parse().unwrap());
        r.headers.insert("cookie", "a=1; sid=xyz".parse().unwrap());
        r.headers
            .insert("content-type", "application/json".parse().unwrap());
        r.body = bytes::Bytes::from_static(
            br#"{"user":{"role":"admin","id":7},"items":[{"is_admin":true}]}"#,
        );
        r
    }

    #[test]
    fn header_filter_never_hides_a_present_header() {
        // Two hundred names over 128 bits: many share a bit, and every answer must still be
        // the map's own.
        let mut r = RequestView::new(http::Method::GET, "/", "10.1.2.3".parse().unwrap());
        for i in (0..200).step_by(3) {
            r.headers.insert(
                http::HeaderName::from_bytes(format!("x-h{i}").as_bytes()).unwrap(),
                format!("v{i}").parse().unwrap(),
            );
        }
        for i in 0..200 {
            let present = i % 3 == 0;
            let has = format!(r#""x-h{i}" in request.headers"#);
            let value = format!(r#"request.headers["X-H{i}"] == "v{i}""#);
            assert_eq!(check(&has, &r, &[]), present, "{has}");
            assert_eq!(check(&value, &r, &[]), present, "{value}");
        }
    }

    #[test]
    fn fields_maps_and_methods() {
        let r = req("/api/users/42?limit=5000&q=a%20b");
        let yes = [
            r#"request.method == "POST" && request.path.startsWith("/api/")"#,
            r#"request.endpoint == "/api/users/{id}""#,
            r#"request.query["q"] == "a b" && request.query.has("limit")"#,
            r#"request.query_count == 2 && request.body_size > 10"#,
            r#"request.user_agent.containsAny(["SQLMAP", "nikto"])"#,
            r#"request.user_agent.matches("^sqlmap/\\d")"#,
            r#"request.cookies["sid"] == "xyz" && "user-agent" in request.headers"#,
            r#"json("/user/role") == "admin" && json("/user/id") == "7""#,
            r#"json_has("/items/0") && json_has_key("is_admin")"#,
            r#"client.ip.in_cidr(["10.0.0.0/8"]) && client.ip == "10.1.2.3""#,
            r#"request.method in ["PUT", "POST"] && !(request.path.endsWith(".php"))"#,
            r#"in_list("bad-ips", client.ip) && !in_list("bad-users", json("/user/role"))"#,
            r#"request.headers["User-Agent"].lower().contains("sqlmap")"#,
        ];
        for src in yes {
            assert!(check(src, &r, &[]), "{src} should hold");
        }
        let no = [
            r#"request.query.has("nope") || json_has("/user/name")"#,
            r#"request.cookies["a"] == "2""#,
            r#"client.country == "KP""#,
            r#"signals.count > 0 || signal("sqli") > 0.0"#,
        ];
        for src in no {
            assert!(!check(src, &r, &[]), "{src} should not hold");
        }
    }

    #[test]
    fn content_type_is_the_media_type_in_lower_case() {
        let mut r = req("/api/users/42");
        r.headers.insert(
            "content-type",
            "Application/JSON ; charset=UTF-8".parse().unwrap(),
        );
        for src in [
            r#"request.content_type == "application/json""#,
            r#"json("/user/role") == "admin" && json_has_key("is_admin")"#,
        ] {
            assert!(check(src, &r, &[]), "{src} should hold");
        }
        r.headers.remove("content-type");
        assert!(check(r#"request.content_type == """#, &r, &[]));
        assert!(!check(r#"json_has("")"#, &r, &[]), "not declared JSON");
    }

    #[test]
    fn merged_json_key_lookups_answer_as_the_chain() {
        // Keys present: user, role, id, items, is_admin. `||` chains of `json_has_key` are
        // merged into one lookup at load; each answer must be the chain's.
        let r = req("/api/users/42");
        let yes = [
            r#"json_has_key("$ne") || json_has_key("role")"#,
            r#"json_has_key("$ne") || json_has_key("$gt") || json_has_key("is_admin")"#,
            r#"request.path == "/x" || json_has_key("$ne") || json_has_key("id")"#,
            r#"json_has_key("id") || request.path == "/x" || json_has_key("$ne")"#,
            r#"request.method == "POST" && (json_has_key("x") || json_has_key("items"))"#,
            r#"json_has_key("__proto__") || (json_has_key("user") && json_has_key("role"))"#,
        ];
        for src in yes {
            assert!(check(src, &r, &[]), "{src} should hold");
        }
        let no = [
            r#"json_has_key("$ne") || json_has_key("$gt") || json_has_key("Role")"#,
            r#"json_has_key("") || json_has_key("is")"#,
            r#"!(json_has_key("nope") || json_has_key("user"))"#,
            r#"json_has_key("__proto__") || (json_has_key("constructor") && json_has_key("role"))"#,
        ];
        for src in no {
            assert!(!check(src, &r, &[]), "{src} should not hold");
        }
    }

    #[test]
    fn signals_are_read_by_category_and_detector() {
        let r = req("/");
        let sig = Signal {
            detector: "sqli",
            category: Category::Sqli,
            confidence: 0.9,
            place: Place::new(PlaceKind::QueryValue, "q"),
            evidence: String::new(),
            reason: "test",
        };
        let s = [sig];
        assert!(check(r#"signal("sqli") >= block_confidence"#, &r, &s));
        assert!(check(
            r#"signal_from("sqli") > 0.5 && signals.max > 0.8"#,
            &r,
            &s
        ));
        assert!(!check(r#"has_signal("xss")"#, &r, &s));
        // A signal raised at exactly a policy's literal threshold meets it (f32 0.9 widened
        // to f64 is 0.8999999762).
        assert!(check(r#"signal("sqli") >= 0.9"#, &r, &s));
        assert!(!check(r#"signal("sqli") > 0.9"#, &r, &s));
    }

    #[test]
    fn unused_list_kinds_resolve() {
        let lists = ListSet::for_tests();
        assert!(matches!(
            lists.resolve("bad-ips"),
            Some(ListRef {
                kind: ListKind::Ip,
                ..
            })
        ));
    }
}
