//! `palisade demo` does what its banner promises: one request passes, one is blocked, repeated
//! failed logins are rate-limited, and the admin API shows the events.
mod common;

use common::*;
use http::Method;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn demo_passes_blocks_and_rate_limits() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"])
        .env("PALISADE_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut proxy: Option<SocketAddr> = None;
    let mut admin: Option<SocketAddr> = None;
    let mut token = None;
    let mut curls = 0;
    while token.is_none() || curls < 3 {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("demo banner");
        if let Some(rest) = line.strip_prefix("palisade listening ") {
            for w in rest.split_whitespace() {
                if let Some(a) = w.strip_prefix("proxy=") {
                    proxy = a.parse().ok();
                }
                if let Some(a) = w.strip_prefix("admin=") {
                    admin = a.parse().ok();
                }
            }
        }
        if let Some((_, t)) = line.split_once("token: ") {
            token = Some(t.trim().to_string());
        }
        if line.trim_start().starts_with("curl -s '") || line.trim_start().starts_with("for i in") {
            curls += 1;
        }
    }
    let (proxy, admin, token) = (proxy.unwrap(), admin.unwrap(), token.unwrap());
    let p = |path: &str| format!("http://{proxy}{path}");

    assert_eq!(get(&p("/api/products?q=shoes")).await.status, 200);
    let blocked = get(&p("/api/products?q=%27%20OR%201%3D1--")).await;
    assert_eq!(blocked.status, 403);
    assert_eq!(blocked.headers["content-type"], "application/problem+json");
    let mut codes = Vec::new();
    for i in 0..6 {
        let body = format!(r#"{{"username":"alice","password":"guess{i}"}}"#);
        codes.push(
            send(
                Method::POST,
                &p("/api/login"),
                &[("content-type", "application/json")],
                &body,
            )
            .await
            .status
            .as_u16(),
        );
    }
    assert_eq!(codes, vec![401, 401, 401, 401, 401, 429]);
    // The demo users can still log in from elsewhere... and the account data is real JSON.
    let user = get(&p("/api/users/42")).await.json();
    assert!(user["ssn"].as_str().unwrap().len() == 11);
    let tx = get(&p("/api/accounts/3/transactions")).await.json();
    assert_eq!(tx["transactions"].as_array().unwrap().len(), 5);

    let auth = format!("Bearer {token}");
    let mut seen = false;
    for _ in 0..100 {
        let r = send(
            Method::GET,
            &format!("http://{admin}/api/events?limit=20"),
            &[("authorization", &auth)],
            "",
        )
        .await;
        let list = r.json()["events"].as_array().cloned().unwrap_or_default();
        seen = list.iter().any(|e| e["policy_id"] == "web-sqli")
            && list.iter().any(|e| e["policy_id"] == "ato-login-failures");
        if seen {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen, "demo events missing");
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
