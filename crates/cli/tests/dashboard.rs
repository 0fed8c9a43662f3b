//! The dashboard in a real headless Chromium (Debian's), driven by Playwright against
//! `palisade demo` with generated attack traffic: sign in, charts with data, an event's
//! explanation, block/unblock an actor, a policy to monitor and back, the API inventory, a
//! one-click exception. The steps are in `ui-tests/dashboard.mjs`; screenshots of every page
//! land in `target/ui-artifacts/`.
//!
//! Needs `/usr/bin/chromium` and `npm ci` in `ui-tests/` (`.ci/run` does both). Without them
//! the test says so and passes locally; under CI (`CI` set) it fails instead.

use std::path::Path;
use std::process::Command;

#[test]
fn dashboard_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = root.join("ui-tests/node_modules/playwright-core");
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!playwright.exists()).then_some("playwright-core (cd ui-tests && npm ci)"),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser tests need: {}",
            missing.join(", ")
        );
        eprintln!("skipping the browser test; missing: {}", missing.join(", "));
        return;
    }
    let artifacts = root.join("target/ui-artifacts");
    let out = Command::new("node")
        .arg(root.join("ui-tests/dashboard.mjs"))
        .arg(env!("CARGO_BIN_EXE_palisade"))
        .arg(&artifacts)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "browser test failed:\n{text}");
    for page in ["overview", "event", "actor", "policies", "endpoints"] {
        assert!(
            artifacts.join(format!("{page}.png")).exists(),
            "no screenshot of {page}"
        );
    }
}
