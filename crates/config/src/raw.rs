//! The configuration file as written: plain serde structs, every one `deny_unknown_fields`,
//! with defaults a single node can run on. `compile` turns them into runtime objects.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A size: a whole number of bytes or a string such as `64KiB`, `1MiB`, `2GB`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum RawSize {
    Bytes(u64),
    Text(String),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    pub listen: Option<String>,
    /// Worker threads; 0 or absent means one per core.
    pub workers: Option<usize>,
    pub tls: Option<RawTls>,
    pub max_connections: Option<usize>,
    #[serde(default)]
    pub timeouts: RawTimeouts,
    /// Add X-Forwarded-For / -Proto / -Host on the way upstream.
    pub forwarded_headers: Option<bool>,
    /// Addresses whose X-Forwarded-For is believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// `open`: an internal error forwards the request uninspected; `closed`: it is refused.
    pub fail_mode: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    pub cert: String,
    pub key: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeouts {
    pub header_read: Option<String>,
    pub body_read: Option<String>,
    pub upstream_connect: Option<String>,
    pub upstream_response: Option<String>,
    pub shutdown_grace: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAdmin {
    pub listen: Option<String>,
    /// Bearer token for every admin endpoint but /healthz. Absent: one is generated at start.
    pub token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpstream {
    pub servers: Vec<String>,
    pub max_idle_per_server: Option<usize>,
    /// `http1` (default) or `http2` (prior knowledge, cleartext).
    pub protocol: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub name: Option<String>,
    /// Host to match (port ignored, case-insensitive); absent or `*` matches any.
    pub host: Option<String>,
    pub path_prefix: Option<String>,
    pub upstream: String,
    /// Run the engine on requests of this route (default true).
    pub inspect: Option<bool>,
    /// Buffer and inspect JSON and text response bodies up to `inspection.max_response_body`
    /// for sensitive data (default true; status and headers are always seen).
    pub inspect_response_body: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInspection {
    pub enabled: Option<bool>,
    pub max_body: Option<RawSize>,
    /// `reject` (413) or `forward_uninspected` (inspect the prefix, forward the whole).
    pub oversize_body: Option<String>,
    pub max_response_body: Option<RawSize>,
    #[serde(default)]
    pub limits: RawLimits,
    /// Response fields counted as sensitive besides the built-in kinds.
    #[serde(default)]
    pub sensitive_fields: Vec<RawSensitiveField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSensitiveField {
    pub name: String,
    /// A regular expression matched against the response body.
    pub regex: Option<String>,
    /// A JSON pointer into JSON responses (`/account/secret`).
    pub json_path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    pub max_decode_depth: Option<usize>,
    pub max_values: Option<usize>,
    pub max_value_bytes: Option<usize>,
    pub max_value_windows: Option<usize>,
    pub max_json_depth: Option<usize>,
    pub max_xml_depth: Option<usize>,
    pub max_multipart_parts: Option<usize>,
    pub clean_header_memo: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLogin {
    pub path: String,
    pub method: Option<String>,
    /// Where the username is: a JSON pointer (`/username`) or a form field name.
    pub username: Option<String>,
    /// Where the password is (default `/password`); only ever hashed, never kept.
    pub password: Option<String>,
    /// Response statuses that mean the login failed.
    pub failure_status: Option<Vec<u16>>,
    /// Failures allowed per client address within `window` before 429.
    pub max_failures: Option<u32>,
    pub window: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvents {
    pub queue_capacity: Option<usize>,
    #[serde(default)]
    pub store: RawStore,
    /// JSON-lines sink: a file path, or `-` for stdout.
    pub jsonl: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Embedded store file; `none` turns the store off.
    pub path: Option<String>,
    pub max_age: Option<String>,
    pub max_events: Option<u64>,
    pub max_size: Option<RawSize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDecisions {
    /// `enforce` (default) or `monitor`: monitor records what would have happened.
    pub mode: Option<String>,
    /// Signals at or above this confidence block the request.
    pub block_confidence: Option<f32>,
    pub block_status: Option<u16>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicies {
    /// Load the predefined policy pack (default true).
    pub pack: Option<bool>,
    /// A directory of policy files (`*.yaml`), watched; a policy there with a pack
    /// policy's id replaces it.
    pub dir: Option<String>,
    /// Mode per policy id, over what the files say.
    #[serde(default)]
    pub modes: BTreeMap<String, String>,
    /// Policy ids to leave out.
    #[serde(default)]
    pub disabled: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    /// `ip` (addresses and CIDRs) or `string`.
    pub kind: String,
    /// A file with one entry per line (`#` comments; FireHOL netsets work as they are).
    pub file: Option<String>,
    #[serde(default)]
    pub entries: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeo {
    /// A MaxMind-format Country (or City) database.
    pub country_db: Option<String>,
    /// A MaxMind-format ASN database.
    pub asn_db: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatches {
    /// Load the virtual patches that ship with Palisade (default true).
    pub builtin: Option<bool>,
    /// A directory of patch files (`*.yaml`), watched: a new file takes effect on its own.
    pub dir: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarpit {
    /// Requests held at once, per process; over it, a tarpitted request is refused with 429.
    pub max_concurrent: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActors {
    /// Actor records held at most (default 1,000,000).
    pub capacity: Option<u64>,
    /// A record unused this long is forgotten (default 24h).
    pub idle: Option<String>,
    /// Where the session id is (default: a cookie named session, sessionid, session_id,
    /// sid, jsessionid, phpsessid or connect.sid).
    pub session: Option<RawSource>,
    /// Where the API key is (default: the x-api-key header).
    pub api_key: Option<RawSource>,
    /// Take the user from a bearer JWT's `sub` (decoded, not verified; default true).
    pub user_from_jwt: Option<bool>,
    /// Take the user from basic auth (default true).
    pub user_from_basic: Option<bool>,
    /// Extra keys by name.
    #[serde(default)]
    pub custom: BTreeMap<String, RawSource>,
    /// Network prefix lengths for the `net:` key (default 24 and 64).
    pub ipv4_prefix: Option<u8>,
    pub ipv6_prefix: Option<u8>,
    /// Passwords known to be breached: a file of SHA-1 hashes (`HASH` or `HASH:COUNT` per
    /// line, the Have I Been Pwned format) or a directory of HIBP range files (named by the
    /// 5-character prefix, lines `SUFFIX:COUNT`).
    pub breached_passwords: Option<String>,
    /// Behavioural thresholds by name (see docs/actors.md).
    #[serde(default)]
    pub tuning: BTreeMap<String, f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub header: Option<String>,
    pub cookie: Option<String>,
    pub query: Option<String>,
    /// A JSON pointer into the request body.
    pub json: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    pub name: String,
    pub steps: Vec<RawStep>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub method: Option<String>,
    /// The step's path; id segments may be written `{id}`.
    pub path: String,
    /// Least time a person takes from the previous step to this one (default 1s).
    pub min_interval: Option<String>,
}

/// Top-level sections, each deserialized on its own so one mistake does not hide the others.
pub const SECTIONS: &[&str] = &[
    "server",
    "admin",
    "upstreams",
    "routes",
    "inspection",
    "login",
    "events",
    "decisions",
    "policies",
    "lists",
    "geo",
    "tarpit",
    "patches",
    "actors",
    "flows",
];

/// The whole file after per-section deserialization.
#[derive(Debug, Default)]
pub struct RawConfig {
    pub server: RawServer,
    pub admin: RawAdmin,
    pub upstreams: BTreeMap<String, RawUpstream>,
    /// (index in the file, route) — routes that failed to parse are left out.
    pub routes: Vec<(usize, RawRoute)>,
    pub inspection: RawInspection,
    pub login: Vec<(usize, RawLogin)>,
    pub events: RawEvents,
    pub decisions: RawDecisions,
    pub policies: RawPolicies,
    pub lists: BTreeMap<String, RawList>,
    pub geo: RawGeo,
    pub tarpit: RawTarpit,
    pub patches: RawPatches,
    pub actors: RawActors,
    pub flows: Vec<(usize, RawFlow)>,
}
