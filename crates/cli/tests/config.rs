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

/// Asks the admin API to reload; it must refuse (422). Returns the errors it listed.
async fn refused_reload(p: &Palisade) -> String {
    let r = send(
        http::Method::POST,
        &p.admin_url("/api/config/reload"),
        &[("authorization", &format!("Bearer {TOKEN}"))],
        "",
    )
    .await;
    assert_eq!(r.status, 422);
    r.json()["errors"].to_string()
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
    let errors = refused_reload(&p).await;
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

/// A patch file dropped into `patches.dir` takes effect by file watch alone, and a broken one
/// is refused with its file and line while the running patches stay. The time from writing
/// the file to the first 403 is printed (`--nocapture`), not asserted: it is a figure for the
/// closing note, measured here on a real process.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_patch_file_takes_effect_without_restart() {
    let (up, _log) = palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let patches = tempfile::tempdir().unwrap();
    let yaml = config_yaml(
        up,
        &format!("patches:\n  dir: {}\n", patches.path().display()),
    );
    let p = Palisade::start(&yaml);
    let probe = "/api/products?q=acme-probe-2026";
    assert_eq!(get(&p.url(probe)).await.status, 200);

    let file = patches.path().join("acme.yaml");
    std::fs::write(
        &file,
        r#"patches:
  - id: CVE-2026-0001
    title: ACME storefront probe
    severity: critical
    references: [https://example.com/advisory]
    all:
      - { places: [args], contains: [acme-probe-] }
    tests:
      act: [{ path: "/api/products?q=acme-probe-1" }]
      pass: [{ path: "/api/products?q=acme" }]
"#,
    )
    .unwrap();
    let written = Instant::now();
    let deadline = written + Duration::from_secs(10);
    while get(&p.url(probe)).await.status != 403 {
        assert!(Instant::now() < deadline, "the new patch never took effect");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "patch file written -> enforced in {} ms",
        written.elapsed().as_millis()
    );
    assert_eq!(get(&p.url("/api/products?q=acme")).await.status, 200);

    // A broken patch file: the reload is refused with the file and line, the patch stays.
    std::fs::write(
        patches.path().join("broken.yaml"),
        "patches:\n  - id: CVE-2026-0002\n    title: t\n    severity: urgent\n",
    )
    .unwrap();
    let errors = refused_reload(&p).await;
    assert!(errors.contains("broken.yaml:4:"), "{errors}");
    assert_eq!(get(&p.url(probe)).await.status, 403);
}

#[test]
fn patches_test_reports_a_patch_that_blocks_its_own_near_miss() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("patches")).unwrap();
    std::fs::write(
        dir.path().join("patches/loose.yaml"),
        "patches:
  - id: LOOSE-1
    title: too loose
    severity: high
    all: [{ places: [path], contains: [/admin] }]
    tests:
      act: [{ path: /admin/debug }]
      pass: [{ path: /admin/login }]
",
    )
    .unwrap();
    let cfg = dir.path().join("palisade.yaml");
    std::fs::write(
        &cfg,
        "upstreams: { api: { servers: [\"127.0.0.1:3000\"] } }\npatches: { dir: patches }\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["patches", "--test", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("loose.yaml:2 LOOSE-1: pass[0] /admin/login: matched"),
        "{err}"
    );
    // The built-in set and the directory's one patch are all listed.
    let count = |stdout: &[u8]| -> usize {
        let text = String::from_utf8_lossy(stdout);
        text.lines()
            .find_map(|l| l.strip_suffix(" patches")?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no patch count in {text}"))
    };
    let builtin = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .arg("patches")
        .output()
        .unwrap();
    assert!(builtin.status.success());
    assert!(count(&builtin.stdout) >= 20);
    assert_eq!(count(&out.stdout), count(&builtin.stdout) + 1);
}
