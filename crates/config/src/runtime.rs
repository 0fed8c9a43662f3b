//! The compiled, validated configuration the running process uses. Built once per load,
//! swapped whole on reload: nothing here is mutated after `compile`.

use http::uri::Authority;
use http::Method;
use ipnet::IpNet;
use palisade_types::Mode;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// Where this configuration came from (for messages and reloads).
    pub source: PathBuf,
    pub server: Server,
    pub admin: Admin,
    pub upstreams: Vec<Upstream>,
    /// Most specific first: host-bound before wildcard, then longer prefixes.
    pub routes: Vec<Route>,
    pub inspection: Inspection,
    pub login: Vec<LoginEndpoint>,
    pub events: Events,
    pub decisions: Decisions,
    pub policies: Policies,
    pub lists: Vec<ListSpec>,
    pub geo: GeoFiles,
    pub tarpit: Tarpit,
    pub patches: Patches,
    pub actors: Actors,
    pub flows: Vec<Flow>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub listen: SocketAddr,
    /// Worker threads (already resolved: never 0).
    pub workers: usize,
    pub tls: Option<TlsFiles>,
    pub max_connections: usize,
    pub timeouts: Timeouts,
    pub forwarded_headers: bool,
    pub trusted_proxies: Vec<IpNet>,
    pub fail_mode: FailMode,
}

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Whole request head must arrive within this (slowloris).
    pub header_read: Duration,
    /// The inspected part of the body must arrive within this (slow bodies).
    pub body_read: Duration,
    pub upstream_connect: Duration,
    pub upstream_response: Duration,
    /// How long open connections may finish after a shutdown signal.
    pub shutdown_grace: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailMode {
    /// An internal engine error lets the request through uninspected.
    Open,
    /// An internal engine error refuses the request.
    Closed,
}

#[derive(Debug, Clone)]
pub struct Admin {
    pub listen: SocketAddr,
    pub token: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Upstream {
    pub name: Arc<str>,
    pub servers: Vec<Authority>,
    pub max_idle_per_server: usize,
    pub http2: bool,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub name: Arc<str>,
    /// Lower-cased host without port; `None` matches any host.
    pub host: Option<String>,
    pub path_prefix: String,
    /// Index into [`Config::upstreams`].
    pub upstream: usize,
    pub inspect: bool,
    pub inspect_response_body: bool,
}

impl Route {
    /// Does the prefix cover `path` on a segment boundary (`/api` covers `/api/x`, not `/apix`)?
    pub fn covers(&self, path: &str) -> bool {
        match path.strip_prefix(self.path_prefix.as_str()) {
            Some(rest) => {
                self.path_prefix.ends_with('/') || rest.is_empty() || rest.starts_with('/')
            }
            None => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OversizeBody {
    /// 413 Payload Too Large.
    Reject,
    /// Inspect the first `max_body` bytes and forward the whole body.
    ForwardUninspected,
}

#[derive(Debug, Clone)]
pub struct Inspection {
    pub enabled: bool,
    pub max_body: usize,
    pub oversize_body: OversizeBody,
    pub max_response_body: usize,
    pub limits: Limits,
    pub sensitive_fields: Vec<SensitiveField>,
}

/// A response field a deployment marks as sensitive: by pattern or by JSON pointer.
#[derive(Debug, Clone)]
pub struct SensitiveField {
    pub name: String,
    pub regex: Option<String>,
    pub json_path: Option<String>,
}

/// Hard caps for normalization; each bounds work per request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Rounds of URL/entity decoding applied to one value.
    pub max_decode_depth: usize,
    /// Values extracted from one request; the rest are not inspected (and a signal says so).
    pub max_values: usize,
    /// Bytes of one value judged at once. A longer value is judged in windows of this size
    /// that overlap by an eighth.
    pub max_value_bytes: usize,
    /// Windows judged of one long value (`max_value_bytes` each); the last one always ends
    /// the value. With the defaults, values up to about 120 KiB are read whole.
    pub max_value_windows: usize,
    /// Nesting depth of JSON bodies walked.
    pub max_json_depth: usize,
    /// Nesting depth of XML bodies walked.
    pub max_xml_depth: usize,
    /// Parts of a multipart/form-data body read.
    pub max_multipart_parts: usize,
    /// Header values remembered as clean, so a client's User-Agent or Accept-Language is not
    /// judged again on each of its requests (0: judge every time). Rounded up to a power of
    /// two; 8 bytes each.
    pub clean_header_memo: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_decode_depth: 3,
            max_values: 512,
            max_value_bytes: 8 * 1024,
            max_value_windows: 16,
            max_json_depth: 32,
            max_xml_depth: 32,
            max_multipart_parts: 64,
            clean_header_memo: 4096,
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoginEndpoint {
    pub path: String,
    pub method: Method,
    pub username: Option<String>,
    pub password: String,
    pub failure_status: Vec<u16>,
    pub max_failures: u32,
    pub window: Duration,
}

#[derive(Debug, Clone)]
pub struct Events {
    pub queue_capacity: usize,
    pub store: Option<Store>,
    pub jsonl: Option<JsonlSink>,
}

#[derive(Debug, Clone)]
pub struct Store {
    pub path: PathBuf,
    pub max_age: Duration,
    pub max_events: u64,
    pub max_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonlSink {
    Stdout,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Decisions {
    pub mode: Mode,
    pub block_confidence: f32,
    pub block_status: u16,
}

/// CVE virtual patches: the built-in set and a watched directory of more.
#[derive(Debug, Clone, Default)]
pub struct Patches {
    pub builtin: bool,
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default)]
pub struct Policies {
    pub pack: bool,
    pub dir: Option<PathBuf>,
    pub modes: std::collections::BTreeMap<String, Mode>,
    pub disabled: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKindConfig {
    Ip,
    String,
}

/// A named list as configured; the policy crate loads its file.
#[derive(Debug, Clone)]
pub struct ListSpec {
    pub name: String,
    pub kind: ListKindConfig,
    pub file: Option<PathBuf>,
    pub entries: Vec<String>,
    /// The configuration file that declared it (for error messages).
    pub defined_in: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct GeoFiles {
    pub country_db: Option<PathBuf>,
    pub asn_db: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy)]
pub struct Tarpit {
    pub max_concurrent: usize,
}

/// Which actor keys to take from requests, and the behavioural thresholds.
#[derive(Debug, Clone)]
pub struct Actors {
    pub capacity: u64,
    pub idle: Duration,
    /// Sources tried in order; the first present names the session.
    pub session: Vec<Source>,
    pub api_key: Vec<Source>,
    pub user_from_jwt: bool,
    pub user_from_basic: bool,
    pub custom: Vec<(String, Source)>,
    pub ipv4_prefix: u8,
    pub ipv6_prefix: u8,
    /// The breached-password hash file or HIBP range directory.
    pub breached_passwords: Option<PathBuf>,
    /// Validated (name, value) overrides of the behavioural thresholds.
    pub tuning: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Lower-cased header name.
    Header(String),
    Cookie(String),
    Query(String),
    /// JSON pointer into the request body.
    Json(String),
}

/// An ordered user journey (cart → checkout → pay): steps skipped, reordered or taken
/// faster than a person can are signals.
#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    pub steps: Vec<FlowStep>,
}

#[derive(Debug, Clone)]
pub struct FlowStep {
    pub method: Method,
    /// The endpoint template (`/orders/{id}/pay`).
    pub path: String,
    pub min_interval: Duration,
}
