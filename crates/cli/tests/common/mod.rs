//! Test harness: the real `palisade` binary on port 0, a real upstream (the sample API) in
//! the test process, and a real HTTP client.
#![allow(dead_code)]

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "test-admin-token-0123456789";

pub struct Palisade {
    pub child: Child,
    pub proxy: SocketAddr,
    pub admin: SocketAddr,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Drop for Palisade {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A configuration for `upstream`, with `extra` YAML appended (sections not set here).
pub fn config_yaml(upstream: SocketAddr, extra: &str) -> String {
    format!(
        r#"server:
  listen: 127.0.0.1:0
  workers: 2
admin:
  listen: 127.0.0.1:0
  token: {TOKEN}
upstreams:
  app:
    servers: ["{upstream}"]
routes:
  - name: app
    path_prefix: /
    upstream: app
events:
  store:
    path: events.redb
  jsonl: events.jsonl
{extra}"#
    )
}

impl Palisade {
    /// Writes `yaml` to a fresh directory and starts `palisade run` on it.
    pub fn start(yaml: &str) -> Palisade {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("palisade.yaml");
        std::fs::write(&config, yaml).expect("write config");
        let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
            .args(["run", "--config"])
            .arg(&config)
            .env("PALISADE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn palisade");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && line.starts_with("palisade listening") {
                    let _ = tx.send(line);
                    sent = true;
                }
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("palisade did not report its addresses");
        let addr = |key: &str| -> SocketAddr {
            line.split_whitespace()
                .find_map(|w| w.strip_prefix(key))
                .and_then(|a| a.parse().ok())
                .unwrap_or_else(|| panic!("no {key} in {line:?}"))
        };
        Palisade {
            proxy: addr("proxy="),
            admin: addr("admin="),
            child,
            dir,
            config,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.proxy)
    }

    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.admin)
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "palisade did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }
}

pub async fn send(method: Method, url: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut req = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("request");
    let resp = client.request(req).await.expect("request failed");
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.expect("body").to_bytes();
    Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

pub async fn get(url: &str) -> Reply {
    send(Method::GET, url, &[], "").await
}

pub async fn admin_get(p: &Palisade, path: &str) -> Reply {
    send(
        Method::GET,
        &p.admin_url(path),
        &[("authorization", &format!("Bearer {TOKEN}"))],
        "",
    )
    .await
}

/// Polls `/api/events` until `pred` holds for the list, or panics after 10 s.
pub async fn wait_events(
    p: &Palisade,
    query: &str,
    pred: impl Fn(&[serde_json::Value]) -> bool,
) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = admin_get(p, &format!("/api/events?{query}")).await;
        assert_eq!(r.status, 200, "{:?}", String::from_utf8_lossy(&r.body));
        let list = r.json()["events"].as_array().cloned().unwrap_or_default();
        if pred(&list) {
            return list;
        }
        assert!(Instant::now() < deadline, "events never matched: {list:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Sends raw bytes and returns everything the server answers until it closes (or 5 s).
pub async fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(bytes).await.expect("write");
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
