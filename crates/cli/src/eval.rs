//! `palisade eval`: runs labelled corpora (JSON lines, see shared/corpora/README.md) through
//! the real engine — or, with `--via`, over HTTP through a running proxy — and reports, per
//! source and category, attacks detected (TPR) and benign requests flagged (FPR). "Detected"
//! means the configuration's decision would stop the request.

use anyhow::Context;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Clock, Engine, EngineShared, ManualClock};
use palisade_types::RequestView;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One corpus line.
/// One corpus line; `palisade explain` reads the same shape (only method, path, headers
/// and body are needed there).
#[derive(Deserialize)]
pub(crate) struct Record {
    #[serde(default)]
    id: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    label: String,
    #[serde(default = "get")]
    method: String,
    path: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: String,
    body_b64: Option<String>,
    #[serde(default)]
    meta: serde_json::Value,
}

fn get() -> String {
    "GET".into()
}

/// Counts for one (source, category) cell; the field names are the JSON interface.
#[derive(Default, Serialize, Clone, Copy)]
pub struct Cell {
    attack_total: u64,
    attack_detected: u64,
    benign_total: u64,
    benign_flagged: u64,
}

impl Cell {
    fn add(&mut self, attack: bool, mitigated: bool) {
        if attack {
            self.attack_total += 1;
            self.attack_detected += u64::from(mitigated);
        } else {
            self.benign_total += 1;
            self.benign_flagged += u64::from(mitigated);
        }
    }

    fn merge(&mut self, o: &Cell) {
        self.attack_total += o.attack_total;
        self.attack_detected += o.attack_detected;
        self.benign_total += o.benign_total;
        self.benign_flagged += o.benign_flagged;
    }
}

#[derive(Serialize, Default)]
struct Report {
    by_category: BTreeMap<String, Cell>,
    by_source: BTreeMap<String, BTreeMap<String, Cell>>,
    total: Cell,
    /// Lines left out by filters (`--crs-pl`).
    skipped: u64,
    /// Lines that are not a valid HTTP request (bad method, header name or value); the proxy
    /// refuses these with 400, so they count as mitigated.
    refused_unparseable: u64,
}

pub struct Options {
    pub config: Option<PathBuf>,
    pub json: bool,
    pub misses: usize,
    pub via: Option<String>,
    pub crs_pl: Option<u64>,
    pub corpora: Vec<PathBuf>,
}

/// Keeps the lines the done-criteria of the detection work count: request-side CRS lines whose
/// expected paranoia level is at most `pl`, and benign lines not suggested to be attacks.
fn keep(r: &Record, crs_pl: Option<u64>) -> bool {
    let Some(pl) = crs_pl else { return true };
    if r.meta.get("crs_rule_id").is_none() {
        return true;
    }
    if r.meta.get("phase").and_then(|p| p.as_str()) == Some("response") {
        return false;
    }
    if r.label == "attack" {
        r.meta
            .get("crs_expect_min_paranoia_level")
            .and_then(|v| v.as_u64())
            .is_none_or(|l| l <= pl)
    } else {
        r.meta.get("suggested_label").and_then(|v| v.as_str()) != Some("attack")
    }
}

fn body_of(r: &Record) -> Bytes {
    match &r.body_b64 {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .map(Bytes::from)
            .unwrap_or_else(|_| Bytes::from(r.body.clone())),
        None => Bytes::from(r.body.clone()),
    }
}

/// The request as the proxy would see it, or `None` when it is not valid HTTP.
pub(crate) fn view(r: &Record, n: u64) -> Option<RequestView> {
    let method = Method::from_bytes(r.method.as_bytes()).ok()?;
    // Each line gets its own client address so that nothing carries over between lines.
    let ip = IpAddr::V4(Ipv4Addr::from(0x0a00_0000u32 | (n as u32 & 0x00ff_ffff)));
    let mut v = RequestView::new(method, &r.path, ip);
    let mut headers = HeaderMap::new();
    for (k, val) in &r.headers {
        let name = HeaderName::from_bytes(k.as_bytes()).ok()?;
        let value = HeaderValue::from_bytes(val.as_bytes()).ok()?;
        headers.append(name, value);
    }
    v.host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    v.headers = headers;
    v.body = body_of(r);
    Some(v)
}

struct Miss {
    id: String,
    category: String,
    kind: &'static str,
    request: String,
}

fn short(r: &Record) -> String {
    let mut s = format!("{} {}", r.method, r.path);
    if !r.body.is_empty() {
        s.push_str(" body=");
        s.push_str(&r.body);
    }
    s.chars().take(160).collect()
}

struct Progress {
    tty: bool,
    total_bytes: u64,
    last: Instant,
}

impl Progress {
    fn tick(&mut self, done_bytes: u64, lines: u64, file: &Path) {
        if self.last.elapsed() < Duration::from_millis(if self.tty { 100 } else { 5000 }) {
            return;
        }
        self.last = Instant::now();
        let pct = if self.total_bytes == 0 {
            100.0
        } else {
            done_bytes as f64 * 100.0 / self.total_bytes as f64
        };
        let width = 30usize;
        let filled = ((pct / 100.0) * width as f64) as usize;
        let bar: String = "#".repeat(filled.min(width)) + &"-".repeat(width - filled.min(width));
        let name = file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if self.tty {
            eprint!("\r[{bar}] {pct:5.1}%  {lines} lines  {name}   ");
        } else {
            eprintln!("[{bar}] {pct:5.1}%  {lines} lines  {name}");
        }
        let _ = std::io::stderr().flush();
    }

    fn finish(&self) {
        if self.tty {
            eprintln!();
        }
    }
}

pub fn run(opts: Options) -> anyhow::Result<()> {
    let cfg = match &opts.config {
        Some(p) => palisade_config::load(p).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => palisade_config::from_str("", Path::new("<defaults>"), Path::new("."))
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    // Lines are judged as if two hours apart: every actor counter, mark and campaign flag
    // has lapsed by the next line, so nothing one line does carries over to another (a
    // corpus is a set of independent requests, not a traffic recording).
    let clock = Arc::new(ManualClock::default());
    let shared = EngineShared::with(
        cfg.actors.capacity,
        cfg.actors.idle,
        clock.clone() as Arc<dyn palisade_engine::Clock>,
    );
    let engine = Engine::new(&cfg, &Registry::builtin(), shared)?;
    let via = match &opts.via {
        Some(url) => Some(Via::new(url)?),
        None => None,
    };
    let mut report = Report::default();
    let mut misses: Vec<Miss> = Vec::new();
    let total_bytes = opts
        .corpora
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let mut progress = Progress {
        tty: std::io::stderr().is_terminal(),
        total_bytes,
        last: Instant::now(),
    };
    let mut done_bytes = 0u64;
    let mut n = 0u64;
    let started = Instant::now();
    for path in &opts.corpora {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
            done_bytes += line.len() as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            let r: Record = serde_json::from_str(&line).with_context(|| {
                format!("{}: line {}: not a corpus record", path.display(), i + 1)
            })?;
            n += 1;
            progress.tick(done_bytes, n, path);
            if !keep(&r, opts.crs_pl) {
                report.skipped += 1;
                continue;
            }
            let attack = r.label == "attack";
            let mut by = String::new();
            let mitigated = match (&via, view(&r, n)) {
                (_, None) => {
                    report.refused_unparseable += 1;
                    true
                }
                (Some(via), Some(_)) => via.mitigated(&r)?,
                (None, Some(v)) => {
                    clock.advance(Duration::from_secs(2 * 3600));
                    let d = engine.inspect(&v, clock.now()).decision;
                    by = d.policy_id.as_deref().unwrap_or("").to_string();
                    d.effective_action().is_terminating()
                }
            };
            report
                .by_source
                .entry(r.source.clone())
                .or_default()
                .entry(r.category.clone())
                .or_default()
                .add(attack, mitigated);
            if attack != mitigated && opts.misses > 0 {
                let kind = if attack { "missed" } else { "false positive" };
                let already = misses
                    .iter()
                    .filter(|m| m.category == r.category && m.kind == kind)
                    .count();
                if already < opts.misses {
                    misses.push(Miss {
                        id: r.id.clone(),
                        category: r.category.clone(),
                        kind,
                        request: if by.is_empty() {
                            short(&r)
                        } else {
                            format!("{} [{by}]", short(&r))
                        },
                    });
                }
            }
        }
    }
    progress.finish();
    for cats in report.by_source.values() {
        for (cat, cell) in cats {
            report
                .by_category
                .entry(cat.clone())
                .or_default()
                .merge(cell);
            report.total.merge(cell);
        }
    }
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report, n, started.elapsed());
        if !misses.is_empty() {
            println!(
                "\nmisses and false positives (at most {} per category):",
                opts.misses
            );
            for m in &misses {
                println!("  [{}] {} {}: {}", m.category, m.kind, m.id, m.request);
            }
        }
    }
    Ok(())
}

fn pct(num: u64, den: u64) -> String {
    if den == 0 {
        "—".into()
    } else {
        format!("{:.2}%", num as f64 * 100.0 / den as f64)
    }
}

fn print_table(r: &Report, lines: u64, took: Duration) {
    println!(
        "{:<34} {:>8} {:>9} {:>8} {:>8} {:>8} {:>7}",
        "source / category", "attacks", "detected", "TPR", "benign", "flagged", "FPR"
    );
    let row = |name: &str, c: &Cell| {
        println!(
            "{:<34} {:>8} {:>9} {:>8} {:>8} {:>8} {:>7}",
            name,
            c.attack_total,
            c.attack_detected,
            pct(c.attack_detected, c.attack_total),
            c.benign_total,
            c.benign_flagged,
            pct(c.benign_flagged, c.benign_total)
        );
    };
    for (src, cats) in &r.by_source {
        println!("{src}");
        for (cat, c) in cats {
            row(&format!("  {cat}"), c);
        }
    }
    row("total", &r.total);
    println!(
        "{lines} lines in {:.1}s; {} skipped by filters; {} not valid HTTP (counted as refused)",
        took.as_secs_f64(),
        r.skipped,
        r.refused_unparseable
    );
}

/// Replays records over HTTP against a running Palisade.
struct Via {
    base: String,
    rt: tokio::runtime::Runtime,
    client: hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        http_body_util::Full<Bytes>,
    >,
}

impl Via {
    fn new(url: &str) -> anyhow::Result<Via> {
        let base = url.trim_end_matches('/').to_string();
        if !base.starts_with("http://") {
            anyhow::bail!("--via takes an http:// URL, e.g. http://127.0.0.1:8080");
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = {
            let _guard = rt.enter();
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http()
        };
        Ok(Via { base, rt, client })
    }

    /// Did Palisade refuse it? A refusal is a 403 or 429, or any answer in problem+json.
    fn mitigated(&self, r: &Record) -> anyhow::Result<bool> {
        let mut req = http::Request::builder()
            .method(r.method.as_str())
            .uri(format!("{}{}", self.base, r.path));
        for (k, v) in &r.headers {
            // Content-Length is computed by the client; Host goes to the proxy as given.
            if !k.eq_ignore_ascii_case("content-length") {
                req = req.header(k.as_str(), v.as_str());
            }
        }
        let Ok(req) = req.body(http_body_util::Full::new(body_of(r))) else {
            return Ok(true);
        };
        let resp = self.rt.block_on(self.client.request(req));
        Ok(match resp {
            Err(_) => true,
            Ok(resp) => {
                let problem = resp
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
                matches!(resp.status().as_u16(), 403 | 429)
                    || (problem && resp.status().is_client_error())
            }
        })
    }
}
