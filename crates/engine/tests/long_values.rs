//! A payload padded past `max_value_bytes` (GoTestWAF's size tests: 8 KB to 128 KB of `A`,
//! then the injection) is still judged, through the whole engine: the value is read in
//! windows, the last of which ends it. A middle no window reaches is reported, not lost.
use http::{HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::{Action, Category, RequestView};
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    let yaml = "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\n";
    let cfg = palisade_config::from_str(yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
}

fn post(content_type: &'static str, body: String) -> RequestView {
    let mut r = RequestView::new(Method::POST, "/api/notes", "192.0.2.9".parse().unwrap());
    r.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    r.body = body.into();
    r
}

#[test]
fn a_payload_padded_past_the_value_cap_is_blocked() {
    let e = engine();
    let tail = "' UNION SELECT username || ':' || password FROM users";
    for kb in [8, 16, 64, 128] {
        let padded = format!("{}{tail}", "A".repeat(kb * 1024));
        for r in [
            post(
                "application/x-www-form-urlencoded",
                format!("data={}", padded.replace(' ', "+")),
            ),
            post(
                "application/json",
                serde_json::json!({ "data": padded }).to_string(),
            ),
        ] {
            let v = e.inspect(&r, Instant::now());
            assert!(
                v.signals
                    .iter()
                    .any(|s| s.category == Category::Sqli && s.confidence >= 0.7),
                "{kb} KB: {:?}",
                v.signals
            );
            assert!(matches!(v.decision.action, Action::Block { .. }), "{kb} KB");
        }
    }
}

#[test]
fn a_middle_no_window_reaches_is_reported() {
    let e = engine();
    let pad = "A".repeat(200 * 1024);
    let body = serde_json::json!({ "data": format!("{pad}x{pad}") }).to_string();
    let v = e.inspect(&post("application/json", body), Instant::now());
    assert!(
        v.signals.iter().any(|s| s.detector == "limits"),
        "{:?}",
        v.signals
    );
    // Plain long text is not an attack.
    let text = "All work and no play makes Jack a dull boy.\n".repeat(1000);
    let body = serde_json::json!({ "data": text }).to_string();
    let v = e.inspect(&post("application/json", body), Instant::now());
    assert!(
        v.signals.iter().all(|s| s.confidence < 0.7),
        "{:?}",
        v.signals
    );
}
