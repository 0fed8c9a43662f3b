//! `palisade explain` (one request: every signal, every policy that matched, the actor state
//! read, the decision) and `palisade policies` (the loaded policies with mode and hits).

use crate::eval::{view, Record};
use anyhow::Context;
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn load(config: Option<&Path>) -> anyhow::Result<palisade_config::Config> {
    match config {
        Some(p) => palisade_config::load(p).map_err(|e| anyhow::anyhow!("{e}")),
        None => palisade_config::from_str("", Path::new("<defaults>"), Path::new("."))
            .map_err(|e| anyhow::anyhow!("{e}")),
    }
}

fn engine(config: Option<&Path>) -> anyhow::Result<Engine> {
    let cfg = load(config)?;
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local())
        .map_err(|e| anyhow::anyhow!("{e}"))
}

#[derive(Serialize)]
struct Explained<'a> {
    request: String,
    client_ip: String,
    signals: &'a [palisade_types::Signal],
    actor: ActorView,
    matches: &'a [palisade_policy::Match],
    decision: &'a palisade_types::Decision,
    effective_action: palisade_types::Action,
}

#[derive(Serialize)]
struct ActorView {
    key: String,
    login_endpoint: bool,
    login_limited_secs: Option<u64>,
    blocked: bool,
    deceived: bool,
}

pub fn explain(
    config: Option<PathBuf>,
    request: &Path,
    ip: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let engine = engine(config.as_deref())?;
    let text = std::fs::read_to_string(request)
        .with_context(|| format!("cannot read {}", request.display()))?;
    let record: Record = serde_json::from_str(&text)
        .with_context(|| format!("{}: expected a JSON request like {{\"method\":\"GET\",\"path\":\"/x?q=1\",\"headers\":[[\"Host\",\"a\"]],\"body\":\"\"}}", request.display()))?;
    let mut v = view(&record, 1).ok_or_else(|| {
        anyhow::anyhow!(
            "{}: not a valid HTTP request (method or header)",
            request.display()
        )
    })?;
    if let Some(ip) = ip {
        v.client_ip = ip
            .parse()
            .with_context(|| format!("--ip {ip:?} is not an address"))?;
    }
    let verdict = engine.explain(&v, Instant::now());
    let s = &verdict.snapshot;
    let out = Explained {
        request: format!("{} {}", v.method, v.target()),
        client_ip: v.client_ip.to_string(),
        signals: &verdict.signals,
        actor: ActorView {
            key: verdict
                .actors
                .first()
                .map(|a| a.to_string())
                .unwrap_or_default(),
            login_endpoint: s.login_endpoint,
            login_limited_secs: s.login_limited.map(|d| d.as_secs()),
            blocked: s.blocked,
            deceived: s.deceived,
        },
        matches: &verdict.matches,
        decision: &verdict.decision,
        effective_action: verdict.decision.effective_action(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("request   {} (client {})", out.request, out.client_ip);
    println!(
        "signals   {}",
        if out.signals.is_empty() { "none" } else { "" }
    );
    for sig in out.signals {
        println!(
            "  {:<22} {:.2}  {:<28} {}",
            sig.category.as_str(),
            sig.confidence,
            sig.place.to_string(),
            sig.evidence
        );
        if !sig.reason.is_empty() {
            println!("  {:<22}       why: {}", "", sig.reason);
        }
    }
    let a = &out.actor;
    println!(
        "actor     {}  login endpoint: {}  login limited: {}  blocked: {}  deceived: {}",
        a.key,
        a.login_endpoint,
        a.login_limited_secs
            .map_or("no".into(), |s| format!("{s}s")),
        a.blocked,
        a.deceived
    );
    println!("policies  {} matched", out.matches.len());
    for m in out.matches {
        let p = engine.policies().get(&m.policy);
        println!(
            "  {} {:<36} {:<12} {:<8} {}",
            if m.decided { "→" } else { " " },
            &*m.policy,
            m.action,
            format!("{:?}", m.mode).to_lowercase(),
            p.map(|p| p.description.as_str()).unwrap_or("")
        );
    }
    let d = out.decision;
    println!(
        "decision  {} ({}){}{}",
        out.effective_action.label(),
        format!("{:?}", d.mode).to_lowercase(),
        d.policy_id
            .as_deref()
            .map(|p| format!(" by {p}"))
            .unwrap_or_default(),
        if d.reason.is_empty() {
            String::new()
        } else {
            format!(": {}", d.reason)
        }
    );
    Ok(())
}

pub fn policies(
    config: Option<PathBuf>,
    json: bool,
    admin: Option<String>,
    token: Option<String>,
) -> anyhow::Result<()> {
    let rows: Vec<serde_json::Value> = match admin {
        // A running instance: its live hit counts and modes.
        Some(url) => {
            let token = token
                .or_else(|| std::env::var("PALISADE_ADMIN_TOKEN").ok())
                .ok_or_else(|| anyhow::anyhow!("--admin needs --token or PALISADE_ADMIN_TOKEN"))?;
            crate::http_get_json(
                &format!("{}/api/policies", url.trim_end_matches('/')),
                &token,
            )?
            .get("policies")
            .and_then(|p| p.as_array().cloned())
            .ok_or_else(|| anyhow::anyhow!("unexpected answer from {url}"))?
        }
        None => {
            let e = engine(config.as_deref())?;
            e.policies()
                .info()
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "count": rows.len(), "policies": rows })
            )?
        );
        return Ok(());
    }
    println!(
        "{:<40} {:<18} {:<8} {:<12} {:>8}",
        "id", "category", "mode", "action", "hits"
    );
    for r in &rows {
        let s = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        println!(
            "{:<40} {:<18} {:<8} {:<12} {:>8}",
            s("id"),
            s("category"),
            s("mode"),
            s("action"),
            r.get("hits").and_then(|v| v.as_u64()).unwrap_or(0)
        );
    }
    println!("{} policies", rows.len());
    Ok(())
}

/// `palisade patches`: the virtual patches a configuration loads (built-in and `patches.dir`),
/// and with `test`, whether each still stops its exploits and lets its near-misses through.
pub fn patches(config: Option<PathBuf>, json: bool, test: bool) -> anyhow::Result<()> {
    let e = engine(config.as_deref())?;
    let rows: Vec<serde_json::Value> = e
        .patches()
        .patches()
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": &*p.id,
                "severity": p.severity,
                "title": p.title,
                "references": p.references,
                "file": p.file.display().to_string(),
                "line": p.line,
                "tests": p.tests.act.len() + p.tests.pass.len(),
            })
        })
        .collect();
    let failures = if test {
        e.patch_test_failures()
    } else {
        Vec::new()
    };
    if json {
        let mut out = serde_json::json!({ "count": rows.len(), "patches": rows });
        if test {
            out["test_failures"] = serde_json::json!(failures);
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("{:<28} {:<9} title", "id", "severity");
        for r in &rows {
            let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
            println!("{:<28} {:<9} {}", s("id"), s("severity"), s("title"));
        }
        println!("{} patches", rows.len());
        if test {
            for f in &failures {
                eprintln!("FAIL {f}");
            }
            let cases: u64 = rows.iter().map(|r| r["tests"].as_u64().unwrap_or(0)).sum();
            println!("{cases} test requests, {} failed", failures.len());
        }
    }
    if !failures.is_empty() {
        anyhow::bail!("{} patch test requests failed", failures.len());
    }
    Ok(())
}

/// `palisade actors`: the running instance's actors, highest threat first, or one actor's
/// evidence trail. Actors live in the running process, so this asks its admin API.
pub fn actors(
    admin: &str,
    token: Option<String>,
    level: Option<String>,
    limit: usize,
    key: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let token = token
        .or_else(|| std::env::var("PALISADE_ADMIN_TOKEN").ok())
        .ok_or_else(|| anyhow::anyhow!("the admin API needs --token or PALISADE_ADMIN_TOKEN"))?;
    let base = admin.trim_end_matches('/');
    if let Some(key) = key {
        let enc = percent_encoding::utf8_percent_encode(&key, percent_encoding::NON_ALPHANUMERIC);
        let d = crate::http_get_json(&format!("{base}/api/actors/{enc}"), &token)?;
        if json {
            println!("{}", serde_json::to_string_pretty(&d)?);
            return Ok(());
        }
        let s = |k: &str| {
            d.get(k)
                .map(|v| v.to_string().trim_matches('"').to_string())
                .unwrap_or_default()
        };
        println!(
            "{}  level {}  score {}  requests {}",
            s("key"),
            s("level"),
            s("score"),
            s("requests")
        );
        println!(
            "blocked {}  deceived {}  campaign {}",
            s("blocked"),
            s("deceived"),
            s("campaign")
        );
        if let Some(l) = d
            .get("linked")
            .and_then(|v| v.as_array())
            .filter(|l| !l.is_empty())
        {
            let names: Vec<String> = l
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            println!("linked   {}", names.join(", "));
        }
        if let Some(l) = d.get("login").filter(|v| !v.is_null()) {
            println!("logins   {l}");
        }
        println!("evidence (oldest first):");
        for e in d
            .get("trail")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let g = |k: &str| {
                e.get(k)
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_default()
            };
            let when = e
                .get("at_ms")
                .and_then(serde_json::Value::as_u64)
                .map(|ms| {
                    humantime::format_rfc3339_seconds(
                        std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms),
                    )
                    .to_string()
                })
                .unwrap_or_default();
            println!(
                "  {when}  {:<22} {:<14} {:<10} {:<36} req {}",
                g("detector"),
                g("category"),
                g("action"),
                g("endpoint"),
                g("request_id")
            );
        }
        return Ok(());
    }
    let mut url = format!("{base}/api/actors?limit={limit}");
    if let Some(l) = &level {
        url.push_str(&format!("&level={l}"));
    }
    let d = crate::http_get_json(&url, &token)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(());
    }
    let rows = d
        .get("actors")
        .and_then(|v| v.as_array())
        .cloned()
        .unwrap_or_default();
    println!(
        "{:<44} {:<9} {:>7} {:>8} {:<8} {:<20}",
        "actor", "level", "score", "requests", "marks", "last signal"
    );
    for r in &rows {
        let s = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let b = |k: &str| {
            r.get(k)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        };
        let marks = [
            ("blocked", b("blocked")),
            ("deceived", b("deceived")),
            ("campaign", b("campaign")),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(",");
        println!(
            "{:<44} {:<9} {:>7.1} {:>8} {:<8} {:<20}",
            s("key"),
            s("level"),
            r.get("score")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0),
            r.get("requests")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            marks,
            s("last_signal")
        );
    }
    println!("{} actors", rows.len());
    Ok(())
}
