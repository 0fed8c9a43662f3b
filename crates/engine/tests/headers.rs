//! Headers a browser sends on an ordinary visit pass the whole engine, and the same headers
//! carrying an attack are still blocked: the Referer of a page a visitor came from (its
//! search judged value by value), consent cookies, client hints.
use http::{HeaderName, HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::{Action, RequestView};
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    let yaml = "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\n";
    let cfg = palisade_config::from_str(yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
}

fn visit(header: &'static str, value: &'static str) -> RequestView {
    let mut r = RequestView::new(Method::GET, "/products/42", "192.0.2.9".parse().unwrap());
    r.host = "shop.example.com".into();
    for (name, v) in [
        ("user-agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"),
        ("accept", "text/html,application/xhtml+xml"),
        ("accept-language", "en-US,en;q=0.9"),
        (header, value),
    ] {
        r.headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(v),
        );
    }
    r
}

#[test]
fn ordinary_visit_headers_pass() {
    let e = engine();
    for (header, value) in [
        // A search engine's query about the tag, then the engine's own parameter.
        (
            "referer",
            "https://www.bing.com/search?q=what+is+%3Cscript%3E+tag+html&form=QBLH",
        ),
        // The IAB US Privacy string, CCPA not applicable.
        ("cookie", "euconsent-v2=CP1xyz.IAAA; usprivacy=1---"),
        (
            "sec-ch-ua",
            "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
        ),
    ] {
        let v = e.inspect(&visit(header, value), Instant::now());
        // Forwarded: allowed, or recorded for an analyst (a sign no rule blocks on).
        assert!(
            matches!(v.decision.action, Action::Allow | Action::Log),
            "{header}: {value}: {:?} {:?}",
            v.decision.action,
            v.signals
        );
    }
}

#[test]
fn the_same_headers_carrying_an_attack_are_blocked() {
    let e = engine();
    for (header, value) in [
        (
            "referer",
            "https://www.bing.com/search?q=%3Cscript%3Ealert(1)%3C/script%3E&form=QBLH",
        ),
        // A value with no breakout character stays in the whole Referer's judgement.
        (
            "referer",
            "https://example.com/?a=1&x=../../../../etc/passwd",
        ),
        (
            "referer",
            "https://www.google.com/?param=something#x=foo;cat$u+/etc$u/passwd",
        ),
        ("cookie", "usprivacy=1' or '1'='1"),
    ] {
        let v = e.inspect(&visit(header, value), Instant::now());
        assert!(
            matches!(v.decision.action, Action::Block { .. }),
            "{header}: {value}: {:?}",
            v.signals
        );
    }
}
