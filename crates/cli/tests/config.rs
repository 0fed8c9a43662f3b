//! `palisade check` and hot reload, through the real binary.
mod common;

use common::*;
use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn check_lists_every_mistake_with_its_path_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "server:\n  listen: 127.0.0.1:8080\n  timeouts:\n    header_read: soon\nupstreams:\n  api:\n    servers: [\"127.0.0.1:3000\"]\nroutes:\n  - { path_prefix: /, upstream: apii }\nevents:\n  queue_capacty: 10\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["check", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 errors"), "{err}");
    for path in [
        "server.timeouts.header_read",
        "routes[0].upstream",
        "events",
    ] {
        assert!(
            err.contains(&format!("bad.yaml: {path}")),
            "missing {path} in {err}"
        );
    }
    assert!(err.contains("queue_capacty"), "{err}");

    let good = dir.path().join("good.yaml");
    std::fs::write(
        &good,
        "upstreams:\n  api:\n    servers: [\"127.0.0.1:3000\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["check", "--config"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok"));
}

async fn sqli_status(p: &Palisade) -> u16 {
    get(&p.url("/api/products?q=%27%20OR%201%3D1--"))
        .await
        .status
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn reload_swaps_valid_configs_and_refuses_broken_ones() {
    let (up, _log) = palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let p = Palisade::start(&config_yaml(up, ""));
    assert_eq!(sqli_status(&p).await, 403);

    // A broken file: the admin reload answers 422 with the error, and the old config serves.
    std::fs::write(&p.config, config_yaml(up, "decisions:\n  mode: loud\n")).unwrap();
    let r = send(
        http::Method::POST,
        &p.admin_url("/api/config/reload"),
        &[("authorization", &format!("Bearer {TOKEN}"))],
        "",
    )
    .await;
    assert_eq!(r.status, 422);
    let errors = r.json()["errors"].to_string();
    assert!(errors.contains("decisions.mode"), "{errors}");
    assert_eq!(sqli_status(&p).await, 403);
    assert_eq!(get(&p.url("/api/products?q=shoes")).await.status, 200);

    // A valid change (monitor mode) takes effect by file watch alone: the attack now passes
    // and is recorded as a "would have" decision.
    std::fs::write(&p.config, config_yaml(up, "decisions:\n  mode: monitor\n")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sqli_status(&p).await != 200 {
        assert!(
            Instant::now() < deadline,
            "file-watch reload never happened"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let m = String::from_utf8_lossy(&admin_get(&p, "/metrics").await.body).into_owned();
    assert!(m.contains("palisade_monitor_matches_total 1"), "{m}");
    assert!(m.contains("palisade_config_reload_failures_total 1"), "{m}");

    // SIGHUP reloads too: back to enforce.
    std::fs::write(&p.config, config_yaml(up, "decisions:\n  mode: enforce\n")).unwrap();
    let _ = Command::new("kill")
        .args(["-HUP", &p.child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while sqli_status(&p).await != 403 {
        assert!(Instant::now() < deadline, "SIGHUP reload never happened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn run_with_a_broken_config_exits_with_the_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "server:\n  listen: nowhere\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["run", "--config"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("server.listen"));
}
