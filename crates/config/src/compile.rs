//! Raw structs → runtime objects. Every check pushes its error and goes on, so one run
//! reports everything that is wrong.

use crate::raw::*;
use crate::runtime::*;
use crate::units::{parse_duration, parse_size};
use crate::Errors;
use http::uri::Authority;
use http::Method;
use palisade_types::Mode;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub fn compile(raw: RawConfig, file: &Path, base: &Path, errors: &mut Errors) -> Config {
    let upstreams = upstreams(&raw, errors);
    let mut routes = routes(&raw, &upstreams, errors);
    // Most specific first: a host-bound route beats a wildcard, a longer prefix a shorter.
    routes.sort_by(|a, b| {
        b.host
            .is_some()
            .cmp(&a.host.is_some())
            .then(b.path_prefix.len().cmp(&a.path_prefix.len()))
    });
    Config {
        source: file.to_path_buf(),
        server: server(&raw.server, base, errors),
        admin: admin(&raw.admin, errors),
        upstreams,
        routes,
        inspection: inspection(&raw.inspection, errors),
        login: login(&raw.login, errors),
        events: events(&raw.events, base, errors),
        decisions: decisions(&raw.decisions, errors),
        policies: policies(&raw.policies, base, errors),
        lists: lists(&raw, file, base, errors),
        geo: geo(&raw.geo, base, errors),
        tarpit: Tarpit {
            max_concurrent: raw.tarpit.max_concurrent.unwrap_or(256).max(1),
        },
        patches: patches(&raw.patches, base, errors),
        actors: actors(&raw.actors, base, errors),
        flows: flows(&raw.flows, errors),
    }
}

fn patches(raw: &crate::raw::RawPatches, base: &Path, errors: &mut Errors) -> Patches {
    let dir = raw.dir.as_deref().map(|d| resolve(base, d));
    if let Some(d) = &dir {
        if !d.is_dir() {
            errors.push("patches.dir", format!("{} is not a directory", d.display()));
        }
    }
    Patches {
        builtin: raw.builtin.unwrap_or(true),
        dir,
    }
}

fn policies(raw: &RawPolicies, base: &Path, errors: &mut Errors) -> Policies {
    let mut modes = std::collections::BTreeMap::new();
    for (id, m) in &raw.modes {
        match m.as_str() {
            "enforce" => {
                modes.insert(id.clone(), Mode::Enforce);
            }
            "monitor" => {
                modes.insert(id.clone(), Mode::Monitor);
            }
            other => errors.push(
                format!("policies.modes.{id}"),
                format!("unknown mode {other:?}; expected enforce or monitor"),
            ),
        }
    }
    let dir = raw.dir.as_deref().map(|d| resolve(base, d));
    if let Some(d) = &dir {
        if !d.is_dir() {
            errors.push(
                "policies.dir",
                format!("{} is not a directory", d.display()),
            );
        }
    }
    Policies {
        pack: raw.pack.unwrap_or(true),
        dir,
        modes,
        disabled: raw.disabled.clone(),
    }
}

fn lists(raw: &RawConfig, file: &Path, base: &Path, errors: &mut Errors) -> Vec<ListSpec> {
    let mut out = Vec::new();
    for (name, l) in &raw.lists {
        let kind = match l.kind.as_str() {
            "ip" => ListKindConfig::Ip,
            "string" => ListKindConfig::String,
            other => {
                errors.push(
                    format!("lists.{name}.kind"),
                    format!("unknown list kind {other:?}; expected ip or string"),
                );
                continue;
            }
        };
        let path = l.file.as_deref().map(|f| resolve(base, f));
        if let Some(p) = &path {
            if !p.is_file() {
                errors.push(
                    format!("lists.{name}.file"),
                    format!("{} does not exist", p.display()),
                );
                continue;
            }
        }
        out.push(ListSpec {
            name: name.clone(),
            kind,
            file: path,
            entries: l.entries.clone(),
            defined_in: file.to_path_buf(),
        });
    }
    out
}

fn geo(raw: &RawGeo, base: &Path, errors: &mut Errors) -> GeoFiles {
    let mut check = |key: &str, v: &Option<String>| {
        let p = v.as_deref().map(|f| resolve(base, f));
        if let Some(p) = &p {
            if !p.is_file() {
                errors.push(
                    format!("geo.{key}"),
                    format!("{} does not exist", p.display()),
                );
                return None;
            }
        }
        p
    };
    GeoFiles {
        country_db: check("country_db", &raw.country_db),
        asn_db: check("asn_db", &raw.asn_db),
    }
}

fn duration(errors: &mut Errors, path: &str, v: &Option<String>, default: Duration) -> Duration {
    match v {
        None => default,
        Some(text) => parse_duration(text).unwrap_or_else(|e| {
            errors.push(path, e);
            default
        }),
    }
}

fn size(errors: &mut Errors, path: &str, v: &Option<RawSize>, default: u64) -> u64 {
    match v {
        None => default,
        Some(s) => parse_size(s).unwrap_or_else(|e| {
            errors.push(path, e);
            default
        }),
    }
}

fn addr(errors: &mut Errors, path: &str, v: &Option<String>, default: &str) -> SocketAddr {
    let text = v.as_deref().unwrap_or(default);
    text.parse().unwrap_or_else(|_| {
        errors.push(
            path,
            format!("invalid listen address {text:?}: expected IP:PORT, e.g. 127.0.0.1:8080"),
        );
        SocketAddr::from(([127, 0, 0, 1], 0))
    })
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

fn server(raw: &RawServer, base: &Path, errors: &mut Errors) -> Server {
    let workers = match raw.workers {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let tls = raw.tls.as_ref().map(|t| {
        let files = TlsFiles {
            cert: resolve(base, &t.cert),
            key: resolve(base, &t.key),
        };
        check_pem(errors, "server.tls.cert", &files.cert, PemKind::Cert);
        check_pem(errors, "server.tls.key", &files.key, PemKind::Key);
        files
    });
    let t = &raw.timeouts;
    let timeouts = Timeouts {
        header_read: duration(
            errors,
            "server.timeouts.header_read",
            &t.header_read,
            Duration::from_secs(10),
        ),
        body_read: duration(
            errors,
            "server.timeouts.body_read",
            &t.body_read,
            Duration::from_secs(30),
        ),
        upstream_connect: duration(
            errors,
            "server.timeouts.upstream_connect",
            &t.upstream_connect,
            Duration::from_secs(2),
        ),
        upstream_response: duration(
            errors,
            "server.timeouts.upstream_response",
            &t.upstream_response,
            Duration::from_secs(30),
        ),
        shutdown_grace: duration(
            errors,
            "server.timeouts.shutdown_grace",
            &t.shutdown_grace,
            Duration::from_secs(10),
        ),
    };
    let trusted_proxies = raw
        .trusted_proxies
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let parsed = p
                .parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
            parsed
                .map_err(|_| {
                    errors.push(
                        format!("server.trusted_proxies[{i}]"),
                        format!("invalid address or CIDR {p:?}"),
                    )
                })
                .ok()
        })
        .collect();
    let fail_mode = match raw.fail_mode.as_deref() {
        None | Some("open") => FailMode::Open,
        Some("closed") => FailMode::Closed,
        Some(other) => {
            errors.push(
                "server.fail_mode",
                format!("unknown fail mode {other:?}; expected open or closed"),
            );
            FailMode::Open
        }
    };
    let max_connections = raw.max_connections.unwrap_or(10_000);
    if max_connections == 0 {
        errors.push("server.max_connections", "must be at least 1");
    }
    Server {
        listen: addr(errors, "server.listen", &raw.listen, "127.0.0.1:8080"),
        workers,
        tls,
        max_connections: max_connections.max(1),
        timeouts,
        forwarded_headers: raw.forwarded_headers.unwrap_or(true),
        trusted_proxies,
        fail_mode,
    }
}

enum PemKind {
    Cert,
    Key,
}

fn check_pem(errors: &mut Errors, path: &str, file: &Path, kind: PemKind) {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let ok = match kind {
        PemKind::Cert => CertificateDer::pem_file_iter(file)
            .map(|mut it| it.next().is_some_and(|c| c.is_ok()))
            .map_err(|e| e.to_string()),
        PemKind::Key => PrivateKeyDer::from_pem_file(file)
            .map(|_| true)
            .map_err(|e| e.to_string()),
    };
    match ok {
        Ok(true) => {}
        Ok(false) => errors.push(
            path,
            format!("{}: no PEM certificate found", file.display()),
        ),
        Err(e) => errors.push(path, format!("{}: {e}", file.display())),
    }
}

fn admin(raw: &RawAdmin, errors: &mut Errors) -> Admin {
    if raw.token.as_deref().is_some_and(|t| t.len() < 16) {
        errors.push("admin.token", "too short: use at least 16 characters");
    }
    Admin {
        listen: addr(errors, "admin.listen", &raw.listen, "127.0.0.1:9090"),
        token: raw.token.clone(),
    }
}

fn upstreams(raw: &RawConfig, errors: &mut Errors) -> Vec<Upstream> {
    raw.upstreams
        .iter()
        .map(|(name, u)| {
            let path = format!("upstreams.{name}");
            if u.servers.is_empty() {
                errors.push(
                    format!("{path}.servers"),
                    "needs at least one server (HOST:PORT)",
                );
            }
            let servers = u
                .servers
                .iter()
                .enumerate()
                .filter_map(|(i, s)| {
                    let a = s
                        .parse::<Authority>()
                        .ok()
                        .filter(|a| a.port_u16().is_some());
                    if a.is_none() {
                        errors.push(
                            format!("{path}.servers[{i}]"),
                            format!("invalid server {s:?}: expected HOST:PORT"),
                        );
                    }
                    a
                })
                .collect();
            let http2 = match u.protocol.as_deref() {
                None | Some("http1") => false,
                Some("http2") => true,
                Some(other) => {
                    errors.push(
                        format!("{path}.protocol"),
                        format!("unknown protocol {other:?}; expected http1 or http2"),
                    );
                    false
                }
            };
            Upstream {
                name: Arc::from(name.as_str()),
                servers,
                max_idle_per_server: u.max_idle_per_server.unwrap_or(256),
                http2,
            }
        })
        .collect()
}

fn routes(raw: &RawConfig, upstreams: &[Upstream], errors: &mut Errors) -> Vec<Route> {
    let mut out = Vec::new();
    for (i, r) in &raw.routes {
        let path = format!("routes[{i}]");
        let Some(upstream) = upstreams.iter().position(|u| *u.name == *r.upstream) else {
            let known: Vec<&str> = upstreams.iter().map(|u| &*u.name).collect();
            errors.push(
                format!("{path}.upstream"),
                format!(
                    "unknown upstream {:?}; defined: [{}]",
                    r.upstream,
                    known.join(", ")
                ),
            );
            continue;
        };
        let prefix = r.path_prefix.clone().unwrap_or_else(|| "/".into());
        if !prefix.starts_with('/') {
            errors.push(
                format!("{path}.path_prefix"),
                format!("must start with '/': {prefix:?}"),
            );
        }
        let host = r
            .host
            .as_deref()
            .filter(|h| *h != "*")
            .map(|h| h.to_ascii_lowercase());
        out.push(Route {
            name: Arc::from(r.name.clone().unwrap_or_else(|| format!("route-{i}"))),
            host,
            path_prefix: prefix,
            upstream,
            inspect: r.inspect.unwrap_or(true),
            inspect_response_body: r.inspect_response_body.unwrap_or(true),
        });
    }
    if raw.routes.is_empty() && upstreams.len() == 1 {
        // One upstream and no routes: everything goes there.
        out.push(Route {
            name: Arc::from("default"),
            host: None,
            path_prefix: "/".into(),
            upstream: 0,
            inspect: true,
            inspect_response_body: true,
        });
    }
    out
}

fn inspection(raw: &RawInspection, errors: &mut Errors) -> Inspection {
    let max_body = size(errors, "inspection.max_body", &raw.max_body, 1 << 20);
    let max_response_body = size(
        errors,
        "inspection.max_response_body",
        &raw.max_response_body,
        1 << 20,
    );
    let oversize_body = match raw.oversize_body.as_deref() {
        None | Some("reject") => OversizeBody::Reject,
        Some("forward_uninspected") => OversizeBody::ForwardUninspected,
        Some(other) => {
            errors.push(
                "inspection.oversize_body",
                format!("unknown policy {other:?}; expected reject or forward_uninspected"),
            );
            OversizeBody::Reject
        }
    };
    let d = Limits::default();
    let l = &raw.limits;
    let limits = Limits {
        max_decode_depth: l.max_decode_depth.unwrap_or(d.max_decode_depth),
        max_values: l.max_values.unwrap_or(d.max_values),
        max_value_bytes: l.max_value_bytes.unwrap_or(d.max_value_bytes),
        max_value_windows: l.max_value_windows.unwrap_or(d.max_value_windows),
        max_json_depth: l.max_json_depth.unwrap_or(d.max_json_depth),
        max_xml_depth: l.max_xml_depth.unwrap_or(d.max_xml_depth),
        max_multipart_parts: l.max_multipart_parts.unwrap_or(d.max_multipart_parts),
        clean_header_memo: l.clean_header_memo.unwrap_or(d.clean_header_memo),
    };
    if limits.clean_header_memo > 1 << 20 {
        errors.push(
            "inspection.limits.clean_header_memo",
            "at most 1048576 entries",
        );
    }
    if limits.max_value_bytes == 0 {
        errors.push("inspection.limits.max_value_bytes", "at least 1");
    }
    if !(1..=256).contains(&limits.max_value_windows) {
        errors.push("inspection.limits.max_value_windows", "from 1 to 256");
    }
    if limits.max_decode_depth > 16 {
        errors.push("inspection.limits.max_decode_depth", "at most 16");
    }
    let mut sensitive_fields = Vec::new();
    for (i, f) in raw.sensitive_fields.iter().enumerate() {
        let at = format!("inspection.sensitive_fields[{i}]");
        match (&f.regex, &f.json_path) {
            (Some(_), Some(_)) | (None, None) => {
                errors.push(at, "needs exactly one of regex or json_path");
                continue;
            }
            (Some(re), None) => {
                if let Err(e) = regex::bytes::RegexBuilder::new(re)
                    .size_limit(1 << 20)
                    .build()
                {
                    errors.push(format!("{at}.regex"), e.to_string());
                    continue;
                }
            }
            (None, Some(p)) => {
                if !p.starts_with('/') {
                    errors.push(
                        format!("{at}.json_path"),
                        "a JSON pointer starts with / (e.g. /account/secret)",
                    );
                    continue;
                }
            }
        }
        sensitive_fields.push(SensitiveField {
            name: f.name.clone(),
            regex: f.regex.clone(),
            json_path: f.json_path.clone(),
        });
    }
    Inspection {
        enabled: raw.enabled.unwrap_or(true),
        max_body: usize::try_from(max_body).unwrap_or(usize::MAX),
        oversize_body,
        max_response_body: usize::try_from(max_response_body).unwrap_or(usize::MAX),
        limits,
        sensitive_fields,
    }
}

fn login(raw: &[(usize, RawLogin)], errors: &mut Errors) -> Vec<LoginEndpoint> {
    raw.iter()
        .map(|(i, l)| {
            let path = format!("login[{i}]");
            let method = l.method.as_deref().unwrap_or("POST");
            let method =
                Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap_or_else(|_| {
                    errors.push(
                        format!("{path}.method"),
                        format!("invalid method {method:?}"),
                    );
                    Method::POST
                });
            if !l.path.starts_with('/') {
                errors.push(
                    format!("{path}.path"),
                    format!("must start with '/': {:?}", l.path),
                );
            }
            let max_failures = l.max_failures.unwrap_or(5);
            if max_failures == 0 {
                errors.push(format!("{path}.max_failures"), "must be at least 1");
            }
            LoginEndpoint {
                path: l.path.clone(),
                method,
                username: l.username.clone(),
                password: l.password.clone().unwrap_or_else(|| "/password".into()),
                failure_status: l.failure_status.clone().unwrap_or_else(|| vec![401, 403]),
                max_failures: max_failures.max(1),
                window: duration(
                    errors,
                    &format!("{path}.window"),
                    &l.window,
                    Duration::from_secs(60),
                ),
            }
        })
        .collect()
}

fn events(raw: &RawEvents, base: &Path, errors: &mut Errors) -> Events {
    let queue_capacity = raw.queue_capacity.unwrap_or(10_000);
    if queue_capacity == 0 {
        errors.push("events.queue_capacity", "must be at least 1");
    }
    let s = &raw.store;
    let store = match s.path.as_deref() {
        Some("none") => None,
        p => Some(Store {
            path: resolve(base, p.unwrap_or("palisade-events.redb")),
            max_age: duration(
                errors,
                "events.store.max_age",
                &s.max_age,
                Duration::from_secs(7 * 86_400),
            ),
            max_events: s.max_events.unwrap_or(1_000_000),
            max_bytes: size(errors, "events.store.max_size", &s.max_size, 1 << 30),
        }),
    };
    let jsonl = raw.jsonl.as_deref().map(|p| match p {
        "-" => JsonlSink::Stdout,
        p => JsonlSink::File(resolve(base, p)),
    });
    Events {
        queue_capacity: queue_capacity.max(1),
        store,
        jsonl,
    }
}

fn decisions(raw: &RawDecisions, errors: &mut Errors) -> Decisions {
    let mode = match raw.mode.as_deref() {
        None | Some("enforce") => Mode::Enforce,
        Some("monitor") => Mode::Monitor,
        Some(other) => {
            errors.push(
                "decisions.mode",
                format!("unknown mode {other:?}; expected enforce or monitor"),
            );
            Mode::Enforce
        }
    };
    let block_confidence = raw.block_confidence.unwrap_or(0.7);
    if !(0.0..=1.0).contains(&block_confidence) {
        errors.push("decisions.block_confidence", "must be between 0.0 and 1.0");
    }
    let block_status = raw.block_status.unwrap_or(403);
    if !(400..=599).contains(&block_status) {
        errors.push("decisions.block_status", "must be a 4xx or 5xx status");
    }
    Decisions {
        mode,
        block_confidence,
        block_status,
    }
}

fn source(path: &str, s: &RawSource, errors: &mut Errors) -> Option<Source> {
    let set: Vec<Source> = [
        s.header
            .as_ref()
            .map(|h| Source::Header(h.to_ascii_lowercase())),
        s.cookie.clone().map(Source::Cookie),
        s.query.clone().map(Source::Query),
        s.json.clone().map(Source::Json),
    ]
    .into_iter()
    .flatten()
    .collect();
    match set.as_slice() {
        [one] => {
            if let Source::Json(p) = one {
                if !p.starts_with('/') {
                    errors.push(
                        format!("{path}.json"),
                        format!("a JSON pointer starts with '/': {p:?}"),
                    );
                }
            }
            if let Source::Header(h) = one {
                if http::HeaderName::from_bytes(h.as_bytes()).is_err() {
                    errors.push(
                        format!("{path}.header"),
                        format!("not a header name: {h:?}"),
                    );
                }
            }
            Some(one.clone())
        }
        [] => {
            errors.push(path, "set one of header, cookie, query, json");
            None
        }
        _ => {
            errors.push(path, "set only one of header, cookie, query, json");
            None
        }
    }
}

fn actors(raw: &RawActors, base: &Path, errors: &mut Errors) -> Actors {
    let breached_passwords = raw.breached_passwords.as_ref().map(|p| {
        let path = base.join(p);
        if !path.exists() {
            errors.push(
                "actors.breached_passwords",
                format!("{}: no such file or directory", path.display()),
            );
        }
        path
    });
    let session = match &raw.session {
        Some(s) => source("actors.session", s, errors).into_iter().collect(),
        None => [
            "session",
            "sessionid",
            "session_id",
            "sid",
            "jsessionid",
            "phpsessid",
            "connect.sid",
        ]
        .iter()
        .map(|c| Source::Cookie((*c).to_string()))
        .collect(),
    };
    let api_key = match &raw.api_key {
        Some(s) => source("actors.api_key", s, errors).into_iter().collect(),
        None => vec![Source::Header("x-api-key".into())],
    };
    let custom = raw
        .custom
        .iter()
        .filter_map(|(name, s)| {
            source(&format!("actors.custom.{name}"), s, errors).map(|src| (name.clone(), src))
        })
        .collect();
    let mut tuning = Vec::new();
    let mut check = palisade_actors::Tuning::default();
    for (name, v) in &raw.tuning {
        match check.set(name, *v) {
            Ok(()) if v.is_finite() && *v >= 0.0 => tuning.push((name.clone(), *v)),
            Ok(()) => errors.push(format!("actors.tuning.{name}"), "must be a number ≥ 0"),
            Err(e) => errors.push(format!("actors.tuning.{name}"), e),
        }
    }
    let v4 = raw.ipv4_prefix.unwrap_or(24);
    if v4 > 32 {
        errors.push("actors.ipv4_prefix", "must be at most 32");
    }
    let v6 = raw.ipv6_prefix.unwrap_or(64);
    if v6 > 128 {
        errors.push("actors.ipv6_prefix", "must be at most 128");
    }
    Actors {
        capacity: raw.capacity.unwrap_or(1_000_000).max(1000),
        idle: duration(
            errors,
            "actors.idle",
            &raw.idle,
            Duration::from_secs(24 * 3600),
        ),
        session,
        api_key,
        user_from_jwt: raw.user_from_jwt.unwrap_or(true),
        user_from_basic: raw.user_from_basic.unwrap_or(true),
        custom,
        ipv4_prefix: v4.min(32),
        ipv6_prefix: v6.min(128),
        breached_passwords,
        tuning,
    }
}

fn flows(raw: &[(usize, RawFlow)], errors: &mut Errors) -> Vec<Flow> {
    raw.iter()
        .map(|(i, f)| {
            if f.steps.len() < 2 {
                errors.push(
                    format!("flows[{i}].steps"),
                    "a flow needs at least two steps",
                );
            }
            let steps = f
                .steps
                .iter()
                .enumerate()
                .map(|(j, st)| {
                    let path = format!("flows[{i}].steps[{j}]");
                    let m = st.method.as_deref().unwrap_or("POST");
                    let method = Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                        .unwrap_or_else(|_| {
                            errors.push(format!("{path}.method"), format!("invalid method {m:?}"));
                            Method::POST
                        });
                    if !st.path.starts_with('/') {
                        errors.push(
                            format!("{path}.path"),
                            format!("must start with '/': {:?}", st.path),
                        );
                    }
                    FlowStep {
                        method,
                        path: st.path.clone(),
                        min_interval: duration(
                            errors,
                            &format!("{path}.min_interval"),
                            &st.min_interval,
                            Duration::from_secs(1),
                        ),
                    }
                })
                .collect();
            Flow {
                name: f.name.clone(),
                steps,
            }
        })
        .collect()
}
