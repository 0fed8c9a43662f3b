//! The policy test runner: every policy of the predefined pack (and of any directory given in
//! `PALISADE_POLICY_DIR`) runs its own cases through the real engine — normalize, detect,
//! actor state, policies — on a fresh state per case. An `act` case must end with the policy
//! among the matches; a `pass` case (the near-miss) must not. A policy without both kinds of
//! case fails the run.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use palisade_engine::{Engine, EngineShared, Verdict};
use palisade_policy::Case;
use palisade_types::{RequestView, ResponseView};
use std::path::Path;
use std::time::{Duration, Instant};

const DEFAULT_IP: &str = "198.51.100.10";

fn headers(case: &Case) -> HeaderMap {
    let mut h = HeaderMap::new();
    // A case that names its Host lays out every header itself (fingerprint policies need
    // exact header sets); otherwise a browser-like set comes first.
    if !case.headers.contains_key("host") {
        for (k, v) in [
            ("host", "api.example.com"),
            ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"),
            ("accept", "application/json"),
            ("accept-language", "en-US,en;q=0.9"),
            ("accept-encoding", "gzip, br"),
        ] {
            if !case.headers.contains_key(k) {
                h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
            }
        }
    }
    for (k, v) in &case.headers {
        let name = HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()).expect("header name");
        h.insert(name, HeaderValue::from_str(v).expect("header value"));
    }
    h
}

fn request(case: &Case, i: u32) -> RequestView {
    let fill = |t: &str| t.replace("{i}", &i.to_string());
    let method =
        Method::from_bytes(case.method.as_deref().unwrap_or("GET").as_bytes()).expect("method");
    let ip = case
        .ip
        .as_deref()
        .unwrap_or(DEFAULT_IP)
        .parse()
        .expect("ip");
    let mut r = RequestView::new(method, &fill(case.path.as_deref().unwrap_or("/")), ip);
    r.headers = headers(case);
    r.host = r
        .headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    r.body = Bytes::from(fill(case.body.as_deref().unwrap_or_default()));
    r
}

/// Sends a case's requests, moving the clock `step_ms` before each, and judges the last.
fn run(engine: &Engine, case: &Case, now: &mut Instant) -> Verdict {
    let mut last = None;
    let n = case.repeat.unwrap_or(1).max(1);
    for i in 0..n {
        *now += Duration::from_millis(case.step_ms.unwrap_or(0));
        let mut req = request(case, i);
        if case.rotate_ips == Some(true) {
            req.client_ip = std::net::IpAddr::from([10, (i >> 16) as u8, (i >> 8) as u8, i as u8]);
        }
        let v = if i + 1 == n {
            engine.explain(&req, *now)
        } else {
            engine.inspect(&req, *now)
        };
        if let Some(s) = case.response_status {
            let resp = ResponseView {
                status: StatusCode::from_u16(s).expect("status"),
                headers: HeaderMap::new(),
                body: case
                    .response_body
                    .as_deref()
                    .map(|b| Bytes::from(b.replace("{i}", &i.to_string()))),
            };
            engine.observe_response(&v, &resp, *now);
        }
        last = Some(v);
    }
    last.expect("at least one run")
}

fn fingerprint_of(names: &[&str]) -> String {
    let mut h = HeaderMap::new();
    for n in names {
        h.insert(
            HeaderName::from_bytes(n.as_bytes()).unwrap(),
            HeaderValue::from_static("1"),
        );
    }
    palisade_actors::header_fingerprint(&h)
}

fn config(dir: &Path, policy_dir: Option<&str>) -> palisade_config::Config {
    let mmdb = dir.join("country.mmdb");
    std::fs::write(
        &mmdb,
        palisade_policy::geo::testdb::country_db(&[
            ("127.0.0.66/32", "KP"),
            ("127.0.0.67/32", "FR"),
        ]),
    )
    .unwrap();
    // SHA-1 of "123456", as in the Have I Been Pwned list.
    let pwned = dir.join("pwned.txt");
    std::fs::write(
        &pwned,
        "7C4A8D09CA3762AF61E59520943DC26494F8941B:37359195\n",
    )
    .unwrap();
    let yaml = format!(
        r#"
upstreams: {{ app: {{ servers: ["127.0.0.1:1"] }} }}
login: [ {{ path: /api/login, method: POST, username: /username, failure_status: [401], max_failures: 5, window: 1m }} ]
flows:
  - name: checkout
    steps:
      - {{ method: POST, path: /api/cart }}
      - {{ method: POST, path: /api/checkout, min_interval: 2s }}
      - {{ method: POST, path: /api/pay, min_interval: 2s }}
geo: {{ country_db: {mmdb} }}
actors: {{ breached_passwords: {pwned} }}
lists:
  allow-ips: {{ kind: ip, entries: [192.0.2.10] }}
  deny-ips: {{ kind: ip, entries: [203.0.113.0/24] }}
  threat-intel: {{ kind: ip, entries: [198.18.0.0/15] }}
  deny-api-keys: {{ kind: string, entries: [leaked-key-123] }}
  deny-users: {{ kind: string, entries: [mallory] }}
  deny-countries: {{ kind: string, entries: [KP] }}
  deny-fingerprints: {{ kind: string, entries: ["{deny_fp}"] }}
  attack-fingerprints: {{ kind: string, entries: ["{attack_fp}"] }}
{dir_line}
"#,
        mmdb = mmdb.display(),
        pwned = pwned.display(),
        deny_fp = fingerprint_of(&["host", "x-evil-marker"]),
        attack_fp = fingerprint_of(&["content-type", "host", "x-ob-session"]),
        dir_line = policy_dir
            .map(|d| format!("policies: {{ dir: {d} }}"))
            .unwrap_or_default(),
    );
    palisade_config::from_str(&yaml, Path::new("pack-test.yaml"), dir)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_policy_acts_on_its_cases_and_passes_its_near_misses() {
    let dir = tempfile::tempdir().unwrap();
    let extra = std::env::var("PALISADE_POLICY_DIR").ok();
    let cfg = config(dir.path(), extra.as_deref());
    let registry = palisade_detect::Registry::builtin();
    let listing =
        Engine::new(&cfg, &registry, EngineShared::local()).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut cases = 0;
    let policies: Vec<_> = listing
        .policies()
        .policies()
        .map(|p| (p.id.clone(), p.tests.clone()))
        .collect();
    assert!(
        policies.len() >= 150,
        "the pack has {} policies",
        policies.len()
    );
    for (id, tests) in &policies {
        if tests.act.is_empty() || tests.pass.is_empty() {
            failures.push(format!(
                "{id}: needs at least one `act` and one `pass` case"
            ));
            continue;
        }
        for (kind, list, want) in [("act", &tests.act, true), ("pass", &tests.pass, false)] {
            for (i, case) in list.iter().enumerate() {
                cases += 1;
                let engine = Engine::new(&cfg, &registry, EngineShared::local()).unwrap();
                let mut now = Instant::now();
                for p in &case.prior {
                    run(&engine, p, &mut now);
                }
                let v = run(&engine, case, &mut now);
                let hit = v.matches.iter().any(|m| m.policy == *id);
                if hit != want {
                    failures.push(format!(
                        "{id}: {kind}[{i}] {} {}: expected {}, got matches {:?}, signals {:?}",
                        case.method.as_deref().unwrap_or("GET"),
                        case.path
                            .as_deref()
                            .unwrap_or("/")
                            .chars()
                            .take(80)
                            .collect::<String>(),
                        if want { "a match" } else { "no match" },
                        v.matches.iter().map(|m| &*m.policy).collect::<Vec<_>>(),
                        v.signals
                            .iter()
                            .map(|s| (s.category.as_str(), s.confidence))
                            .collect::<Vec<_>>(),
                    ));
                }
            }
        }
    }
    println!("{} policies, {cases} cases", policies.len());
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
