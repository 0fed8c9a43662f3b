//! Policy files: YAML with a list of policies, each with a `when` expression, a `then` action
//! and its own test cases. Loading checks everything — YAML shape, unknown fields and actions,
//! expression syntax and types, durations, duplicate ids — and reports each problem with
//! `file:line:column`.

use crate::expr::{self, Env, Program};
use palisade_actors::Quota;
use palisade_types::{Deception as DeceiveKind, Mode};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// One problem in a policy file.
/// A problem in a policy file, with its file, line and column.
pub type PolicyError = palisade_config::FileError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// Which actor key a counting rate limit is kept under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKey {
    /// The client address.
    Ip,
    /// The client address and the endpoint template together.
    IpEndpoint,
    /// The header-shape fingerprint of the client.
    Fingerprint,
    /// One bucket for everyone (protects an endpoint as a whole).
    Global,
}

#[derive(Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
enum RawThen {
    Allow,
    Log,
    Block {
        status: Option<u16>,
    },
    RateLimit {
        /// Counting form: at most `rate` requests per `per` under `key`.
        rate: Option<u32>,
        per: Option<String>,
        key: Option<RateKey>,
        /// Refusing form (no `rate`): Retry-After to send; the login quota's own wait wins.
        retry_after: Option<String>,
    },
    Tarpit {
        delay: String,
    },
    Deceive {
        kind: Option<DeceiveKind>,
        /// How long the actor stays in the deception.
        duration: Option<String>,
    },
    GeoFence {
        #[serde(default)]
        deny_countries: Vec<String>,
        #[serde(default)]
        allow_countries: Vec<String>,
        #[serde(default)]
        deny_asns: Vec<u32>,
        status: Option<u16>,
    },
    BlockActor {
        duration: String,
        status: Option<u16>,
    },
    Tag {
        header: Option<String>,
        value: String,
    },
}

/// A policy's action, compiled.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Then {
    Allow,
    Log,
    Block {
        status: u16,
    },
    RateLimit {
        #[serde(skip_serializing_if = "Option::is_none")]
        quota: Option<QuotaSpec>,
        #[serde(with = "humantime_serde_secs")]
        retry_after: Duration,
    },
    Tarpit {
        #[serde(with = "humantime_serde_secs")]
        delay: Duration,
    },
    Deceive {
        kind: DeceiveKind,
        #[serde(with = "humantime_serde_secs")]
        duration: Duration,
    },
    GeoFence {
        deny_countries: Vec<String>,
        allow_countries: Vec<String>,
        deny_asns: Vec<u32>,
        status: u16,
    },
    BlockActor {
        #[serde(with = "humantime_serde_secs")]
        duration: Duration,
        status: u16,
    },
    Tag {
        header: String,
        value: String,
    },
}

impl Then {
    pub fn label(&self) -> &'static str {
        match self {
            Then::Allow => "allow",
            Then::Log => "log",
            Then::Block { .. } => "block",
            Then::RateLimit { .. } => "rate_limit",
            Then::Tarpit { .. } => "tarpit",
            Then::Deceive { .. } => "deceive",
            Then::GeoFence { .. } => "geo_fence",
            Then::BlockActor { .. } => "block_actor",
            Then::Tag { .. } => "tag",
        }
    }
}

mod humantime_serde_secs {
    pub fn serialize<S: serde::Serializer>(
        d: &std::time::Duration,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct QuotaSpec {
    pub rate: u32,
    #[serde(with = "humantime_serde_secs")]
    pub per: Duration,
    pub key: RateKey,
    #[serde(skip)]
    pub quota: Quota,
}

/// One request in a policy's test cases. Fields left out take the values of a plain
/// `GET /` from 198.51.100.10.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub method: Option<String>,
    /// Request target, query included, as sent.
    pub path: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub body: Option<String>,
    pub ip: Option<String>,
    /// Send the request this many times; the last one is judged (for rate-based policies).
    pub repeat: Option<u32>,
    /// The upstream's status for each repetition (e.g. 401 for failed logins).
    pub response_status: Option<u16>,
    /// Send each repetition from a different address (campaigns that rotate addresses).
    pub rotate_ips: Option<bool>,
    /// The upstream's body for each repetition (sensitive-data policies).
    pub response_body: Option<String>,
    /// Milliseconds the clock moves before each request (timing-based policies).
    pub step_ms: Option<u64>,
    /// Requests sent first, from the same client, and not judged (to set up actor state).
    /// In every text of a repeated case, `{i}` becomes the repetition's number.
    #[serde(default)]
    pub prior: Vec<Case>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    /// Requests the policy must match.
    #[serde(default, rename = "act")]
    pub act: Vec<Case>,
    /// Near-misses the policy must not match.
    #[serde(default)]
    pub pass: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    id: Spanned<String>,
    description: String,
    category: String,
    severity: Severity,
    when: Spanned<String>,
    then: RawThen,
    mode: Option<Mode>,
    priority: Option<i32>,
    /// Features a policy waits for before it can act fully (documentation, shown by `policies`).
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    tests: Tests,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    policies: Vec<RawPolicy>,
}

/// A loaded, compiled policy.
#[derive(Debug)]
pub struct Policy {
    pub id: Arc<str>,
    pub description: String,
    pub category: String,
    pub severity: Severity,
    /// The mode the file asks for (configuration and admin overrides apply on top).
    pub mode: Mode,
    pub priority: i32,
    pub when: String,
    pub program: Program,
    pub then: Then,
    pub requires: Vec<String>,
    pub tests: Tests,
    /// Where the policy's id stands: file, line, column.
    pub file: PathBuf,
    pub line: u64,
    pub column: u64,
}

impl Policy {
    /// `file:line` of the policy's id, for listings.
    pub fn source(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// Where a policy file's text came from (a path on disk or a name in the embedded pack).
pub struct Source<'a> {
    pub name: PathBuf,
    pub text: &'a str,
}

fn yaml_error(file: &Path, e: &serde_saphyr::Error) -> PolicyError {
    palisade_config::FileError::yaml(file, e)
}

/// Maps a byte offset in a `when` value back to the file: the value starts at `loc`; a block
/// scalar (`|`) keeps one indentation for all its lines, a quoted scalar starts one column
/// after its quote.
fn locate(text: &str, loc_line: u64, loc_col: u64, expr: &str, at: usize) -> (u64, u64) {
    let src_line = text
        .lines()
        .nth(loc_line.saturating_sub(1) as usize)
        .unwrap_or("");
    let first = src_line
        .chars()
        .nth(loc_col.saturating_sub(1) as usize)
        .unwrap_or(' ');
    let quoted = u64::from(first == '"' || first == '\'');
    let before = &expr[..at.min(expr.len())];
    let line_in_expr = before.matches('\n').count() as u64;
    let col_in_line = before.rsplit('\n').next().unwrap_or("").chars().count() as u64;
    (loc_line + line_in_expr, loc_col + quoted + col_in_line)
}

fn duration(text: &str) -> Result<Duration, String> {
    palisade_config::parse_duration(text)
}

/// Loads every policy of one file. Problems are appended to `errors`; the policies that
/// compiled are returned.
pub fn load_file(
    src: &Source<'_>,
    env: &Env<'_>,
    defaults: &Defaults,
    errors: &mut Vec<PolicyError>,
) -> Vec<Policy> {
    let raw: RawFile = match serde_saphyr::from_str(src.text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(yaml_error(&src.name, &e));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for p in raw.policies {
        let at = |line: u64, column: u64, message: String| PolicyError {
            file: src.name.clone(),
            line,
            column,
            message,
        };
        let id_loc = (p.id.referenced.line(), p.id.referenced.column());
        let id = p.id.value.trim().to_string();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        {
            errors.push(at(
                id_loc.0,
                id_loc.1,
                format!("policy id {id:?} must be non-empty and use only letters, digits, - _ . :"),
            ));
            continue;
        }
        let when_loc = (p.when.referenced.line(), p.when.referenced.column());
        let program = match expr::compile(&p.when.value, env) {
            Ok(prog) => prog,
            Err(e) => {
                let (l, c) = locate(src.text, when_loc.0, when_loc.1, &p.when.value, e.at);
                errors.push(at(l, c, format!("policy {id}: {}", e.message)));
                continue;
            }
        };
        let then = match compile_then(p.then, defaults) {
            Ok(t) => t,
            Err(m) => {
                errors.push(at(id_loc.0, id_loc.1, format!("policy {id}: then: {m}")));
                continue;
            }
        };
        out.push(Policy {
            id: Arc::from(id.as_str()),
            description: p.description,
            category: p.category,
            severity: p.severity,
            mode: p.mode.unwrap_or_default(),
            priority: p.priority.unwrap_or(100),
            when: p.when.value.trim().to_string(),
            program,
            then,
            requires: p.requires,
            tests: p.tests,
            file: src.name.clone(),
            line: id_loc.0,
            column: id_loc.1,
        });
    }
    out
}

/// Values a `then` falls back on, from the configuration.
pub struct Defaults {
    pub block_status: u16,
}

fn status(s: Option<u16>, default: u16) -> Result<u16, String> {
    let s = s.unwrap_or(default);
    if (400..=599).contains(&s) {
        Ok(s)
    } else {
        Err(format!("status {s} is not a 4xx or 5xx"))
    }
}

fn compile_then(raw: RawThen, d: &Defaults) -> Result<Then, String> {
    Ok(match raw {
        RawThen::Allow => Then::Allow,
        RawThen::Log => Then::Log,
        RawThen::Block { status: s } => Then::Block {
            status: status(s, d.block_status)?,
        },
        RawThen::RateLimit {
            rate,
            per,
            key,
            retry_after,
        } => {
            let quota = match (rate, per) {
                (Some(rate), per) => {
                    let per = duration(per.as_deref().unwrap_or("1m"))?;
                    if rate == 0 {
                        return Err("rate must be at least 1".into());
                    }
                    Some(QuotaSpec {
                        rate,
                        per,
                        key: key.unwrap_or(RateKey::Ip),
                        quota: Quota::new(rate, per),
                    })
                }
                (None, Some(_)) => return Err("`per` needs a `rate`".into()),
                (None, None) => None,
            };
            Then::RateLimit {
                quota,
                retry_after: duration(retry_after.as_deref().unwrap_or("60s"))?,
            }
        }
        RawThen::Tarpit { delay } => {
            let delay = duration(&delay)?;
            if delay > Duration::from_secs(60) {
                return Err("a tarpit delay is at most 60s".into());
            }
            Then::Tarpit { delay }
        }
        RawThen::Deceive {
            kind,
            duration: dur,
        } => Then::Deceive {
            kind: kind.unwrap_or(DeceiveKind::Ok),
            duration: duration(dur.as_deref().unwrap_or("1h"))?,
        },
        RawThen::GeoFence {
            deny_countries,
            allow_countries,
            deny_asns,
            status: s,
        } => {
            let norm = |v: Vec<String>| -> Result<Vec<String>, String> {
                v.into_iter()
                    .map(|c| {
                        let c = c.trim().to_ascii_uppercase();
                        if c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()) {
                            Ok(c)
                        } else {
                            Err(format!("{c:?} is not an ISO 3166 alpha-2 country code"))
                        }
                    })
                    .collect()
            };
            let (deny_countries, allow_countries) = (norm(deny_countries)?, norm(allow_countries)?);
            if deny_countries.is_empty() && allow_countries.is_empty() && deny_asns.is_empty() {
                return Err("geo_fence needs deny_countries, allow_countries or deny_asns".into());
            }
            Then::GeoFence {
                deny_countries,
                allow_countries,
                deny_asns,
                status: status(s, d.block_status)?,
            }
        }
        RawThen::BlockActor {
            duration: dur,
            status: s,
        } => Then::BlockActor {
            duration: duration(&dur)?,
            status: status(s, d.block_status)?,
        },
        RawThen::Tag { header, value } => {
            let header = header
                .unwrap_or_else(|| "x-palisade-signal".into())
                .to_ascii_lowercase();
            if http::HeaderName::from_bytes(header.as_bytes()).is_err() {
                return Err(format!("invalid header name {header:?}"));
            }
            if http::HeaderValue::from_str(&value).is_err() {
                return Err(format!("invalid header value {value:?}"));
            }
            Then::Tag { header, value }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::ListRef;

    fn load(text: &str) -> (Vec<Policy>, Vec<PolicyError>) {
        let lists = |n: &str| {
            (n == "deny").then_some(ListRef {
                index: 0,
                kind: crate::expr::ListKind::Ip,
            })
        };
        let env = Env {
            block_confidence: 0.7,
            lists: &lists,
        };
        let mut errors = Vec::new();
        let p = load_file(
            &Source {
                name: "p.yaml".into(),
                text,
            },
            &env,
            &Defaults { block_status: 403 },
            &mut errors,
        );
        (p, errors)
    }

    #[test]
    fn a_good_file_loads_with_defaults() {
        let (p, e) = load(
            "policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: request.path == \"/x\"\n    then: { action: rate_limit, rate: 5, per: 1m }\n",
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(p[0].priority, 100);
        assert_eq!(p[0].mode, Mode::Enforce);
        assert!(matches!(
            p[0].then,
            Then::RateLimit {
                quota: Some(QuotaSpec {
                    rate: 5,
                    key: RateKey::Ip,
                    ..
                }),
                ..
            }
        ));
        assert_eq!(p[0].source(), "p.yaml:2");
    }

    #[test]
    fn errors_carry_file_line_and_column() {
        // Bad expression on the second line of a block scalar: line 8, column 7.
        let (_, e) = load("policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: |\n      request.method == \"GET\" &&\n      request.pathh == \"/\"\n    then: { action: block }\n");
        assert_eq!((e[0].line, e[0].column), (8, 7), "{e:?}");
        assert!(e[0].message.contains("unknown field `request.pathh`"));
        assert!(e[0].to_string().starts_with("p.yaml:8:7: policy t-1:"));
        // Quoted scalar: the column skips the quote.
        let (_, e) = load("policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: \"request.path ==\"\n    then: { action: block }\n");
        assert_eq!((e[0].line, e[0].column), (6, 27), "{e:?}");
        // Unknown action and unknown field come from the YAML layer with their position.
        let (_, e) = load("policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: \"true\"\n    then: { action: blokc }\n");
        assert_eq!(e[0].line, 7);
        assert!(e[0].message.contains("unknown variant `blokc`"), "{e:?}");
        let (_, e) = load("policies:\n  - id: t-1\n    descripton: d\n");
        assert_eq!((e[0].line, e[0].column), (3, 5));
        assert!(e[0].message.contains("unknown field `descripton`"));
        // Bad action parameters.
        let (_, e) = load("policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: \"true\"\n    then: { action: block, status: 200 }\n");
        assert!(e[0].message.contains("not a 4xx"), "{e:?}");
        let (_, e) = load("policies:\n  - id: t-1\n    description: d\n    category: test\n    severity: high\n    when: \"true\"\n    then: { action: geo_fence, deny_countries: [Korea] }\n");
        assert!(e[0].message.contains("alpha-2"), "{e:?}");
    }
}
