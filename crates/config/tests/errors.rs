//! Loading reports every mistake, each with its key path, and accepts the defaults.
use palisade_config::{from_str, FailMode, JsonlSink, OversizeBody};
use std::path::Path;

fn load(text: &str) -> Result<palisade_config::Config, palisade_config::ConfigErrors> {
    from_str(text, Path::new("test.yaml"), Path::new("/etc/palisade"))
}

#[test]
fn three_mistakes_are_all_reported_with_paths() {
    let text = r#"
server:
  listen: 127.0.0.1:8080
  timeouts:
    header_read: soon
upstreams:
  api:
    servers: ["127.0.0.1:3000"]
routes:
  - path_prefix: /api
    upstream: api
  - path_prefix: /
    upstream: apii
events:
  queue_capacty: 10
"#;
    let errs = load(text).unwrap_err().0;
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(paths.contains(&"server.timeouts.header_read"), "{paths:?}");
    assert!(paths.contains(&"routes[1].upstream"), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("events")), "{paths:?}");
    let unknown = errs.iter().find(|e| e.path.starts_with("events")).unwrap();
    assert!(unknown.message.contains("queue_capacty"), "{unknown}");
    assert!(errs[0].to_string().starts_with("test.yaml: "));
}

#[test]
fn unknown_sections_and_bad_yaml_are_errors() {
    let errs = load("servr: {}\n").unwrap_err().0;
    assert_eq!(errs[0].path, "servr");
    let errs = load("server: [unclosed\n").unwrap_err().0;
    assert!(errs[0].message.contains("invalid YAML"), "{errs:?}");
}

#[test]
fn empty_file_gives_defaults() {
    let c = load("").unwrap();
    assert_eq!(c.server.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.admin.listen.to_string(), "127.0.0.1:9090");
    assert!(c.server.workers >= 1);
    assert_eq!(c.server.fail_mode, FailMode::Open);
    assert_eq!(c.inspection.oversize_body, OversizeBody::Reject);
    assert_eq!(c.inspection.max_body, 1 << 20);
    let store = c.events.store.unwrap();
    assert_eq!(store.path, Path::new("/etc/palisade/palisade-events.redb"));
    assert!(c.routes.is_empty());
}

#[test]
fn routes_sort_most_specific_first_and_single_upstream_gets_a_default_route() {
    let c = load(
        r#"
upstreams: { a: { servers: ["127.0.0.1:1"] } }
routes:
  - { path_prefix: /, upstream: a }
  - { path_prefix: /api, upstream: a }
  - { host: Example.com, path_prefix: /, upstream: a }
events: { jsonl: "-" }
"#,
    )
    .unwrap();
    assert_eq!(c.routes[0].host.as_deref(), Some("example.com"));
    assert_eq!(c.routes[1].path_prefix, "/api");
    assert!(c.routes[1].covers("/api/x") && c.routes[1].covers("/api"));
    assert!(!c.routes[1].covers("/apix"));
    assert_eq!(c.events.jsonl, Some(JsonlSink::Stdout));

    let c = load("upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\n").unwrap();
    assert_eq!(c.routes.len(), 1);
    assert!(c.routes[0].covers("/anything"));
}

#[test]
fn bad_values_name_their_keys() {
    let errs = load(
        r#"
upstreams: { a: { servers: ["nohost"], protocol: http3 } }
inspection: { max_body: 12 parsecs, oversize_body: drop }
decisions: { mode: loud, block_confidence: 2.0 }
login: [ { path: api/login, max_failures: 0 } ]
"#,
    )
    .unwrap_err()
    .0;
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "upstreams.a.servers[0]",
        "upstreams.a.protocol",
        "inspection.max_body",
        "inspection.oversize_body",
        "decisions.mode",
        "decisions.block_confidence",
        "login[0].path",
        "login[0].max_failures",
    ] {
        assert!(paths.contains(&expected), "missing {expected} in {paths:?}");
    }
}

/// The path of the first error `yaml` gives (it must give one).
fn first_error_path(yaml: &str) -> String {
    let errs = load(yaml).unwrap_err().0;
    errs[0].path.clone()
}

#[test]
fn the_clean_header_memo_is_bounded_and_can_be_turned_off() {
    let cfg = load("inspection: { limits: { clean_header_memo: 0 } }\n").unwrap();
    assert_eq!(cfg.inspection.limits.clean_header_memo, 0);
    assert_eq!(load("").unwrap().inspection.limits.clean_header_memo, 4096);
    assert_eq!(
        first_error_path("inspection: { limits: { clean_header_memo: 99999999 } }\n"),
        "inspection.limits.clean_header_memo"
    );
}

#[test]
fn value_windows_default_to_sixteen_and_are_bounded() {
    assert_eq!(load("").unwrap().inspection.limits.max_value_windows, 16);
    let cfg = load("inspection: { limits: { max_value_windows: 1 } }\n").unwrap();
    assert_eq!(cfg.inspection.limits.max_value_windows, 1);
    for (bad, path) in [
        (
            "max_value_windows: 0",
            "inspection.limits.max_value_windows",
        ),
        (
            "max_value_windows: 1000",
            "inspection.limits.max_value_windows",
        ),
        ("max_value_bytes: 0", "inspection.limits.max_value_bytes"),
    ] {
        let yaml = format!("inspection: {{ limits: {{ {bad} }} }}\n");
        assert_eq!(first_error_path(&yaml), path, "{bad}");
    }
}
