//! The engine: one request in, a verdict out — normalize → detect → score actors → decide —
//! and, after the upstream answered, what the response teaches about the actor. No sockets,
//! no clocks of its own (callers pass `now`), no I/O: the inline proxy, `palisade eval`, the
//! decision service and passive mode all drive this same code.
#![forbid(unsafe_code)]

mod breached;
mod client_ip;
mod clock;
mod keys;

pub use client_ip::client_ip;
pub use clock::{Clock, ManualClock, SystemClock};

use palisade_actors::{
    ActorKey, ActorStore, Endpoints, Evidence, Level, LocalActors, MarkKind, Marks, Quota,
    RateOutcome, RequestFacts, ResponseFacts, Secs, StateBackend, Tuning, View,
};
use palisade_config::{Config, Limits, LoginEndpoint};
use palisade_detect::{DetectorSet, Registry, RegistryError};
use palisade_policy::{ActorSnapshot, Effect, Facts, Match, PolicyErrors, PolicySet, PolicyShared};
use palisade_types::{
    Action, Category, Decision, Mode, Place, PlaceKind, RequestView, ResponseView, Signal,
};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Policies(#[from] PolicyErrors),
    #[error("actors.breached_passwords: {0}")]
    Breached(String),
    #[error(transparent)]
    Patches(#[from] palisade_patches::PatchErrors),
}

/// State that outlives a configuration: per-actor records and counters, actor marks
/// (blocked, deceived), endpoint statistics, policy counters, mode switches and run-time
/// list entries, and the clock they are all read against. One per process.
#[derive(Clone)]
pub struct EngineShared {
    pub state: Arc<dyn StateBackend>,
    pub actors: Arc<dyn ActorStore>,
    pub endpoints: Arc<Endpoints>,
    pub marks: Arc<Marks>,
    pub policy: Arc<PolicyShared>,
    pub clock: Arc<dyn Clock>,
    /// The instant actor-record seconds count from, and the Unix time it was.
    epoch: Instant,
    epoch_unix_ms: u64,
}

impl EngineShared {
    /// The single-node backends: bounded in-process maps, with room for a million actors.
    pub fn local() -> Self {
        Self::with(
            1_000_000,
            Duration::from_secs(24 * 3600),
            Arc::new(SystemClock),
        )
    }

    /// The single-node backends sized by the configuration's `actors` section.
    pub fn for_config(config: &Config) -> Self {
        Self::with(
            config.actors.capacity,
            config.actors.idle,
            Arc::new(SystemClock),
        )
    }

    pub fn with(capacity: u64, idle: Duration, clock: Arc<dyn Clock>) -> Self {
        let epoch = clock.now();
        let epoch_unix_ms = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        EngineShared {
            state: Arc::new(palisade_actors::LocalState::new(capacity)),
            actors: Arc::new(LocalActors::new(capacity, idle)),
            endpoints: Arc::new(Endpoints::new(10_000)),
            marks: Arc::new(Marks::new(capacity, Duration::from_secs(7 * 24 * 3600))),
            policy: Arc::default(),
            clock,
            epoch,
            epoch_unix_ms,
        }
    }

    /// Actor-record time for an instant.
    pub fn secs(&self, now: Instant) -> Secs {
        now.saturating_duration_since(self.epoch).as_secs_f32()
    }

    /// Unix milliseconds for an actor-record time.
    pub fn unix_ms(&self, secs: Secs) -> u64 {
        self.epoch_unix_ms + (f64::from(secs) * 1000.0) as u64
    }
}

/// Who the request is from and where it goes, kept from the request phase for the
/// response phase.
#[derive(Debug, Clone, Default)]
pub struct ActorContext {
    pub principals: Vec<ActorKey>,
    pub crowd: Vec<ActorKey>,
    /// `METHOD /template`.
    pub endpoint: Arc<str>,
    endpoint_hash: u32,
    object_id: Option<u64>,
    page: Option<u32>,
    /// The username a login attempt names.
    pub username: Option<String>,
    flow_step: Option<(u8, u8, f32)>,
    surging: bool,
    pub view: View,
}

impl ActorContext {
    fn facts(&self, login: bool) -> RequestFacts<'_> {
        RequestFacts {
            principals: &self.principals,
            crowd: &self.crowd,
            endpoint: self.endpoint_hash,
            object_id: self.object_id,
            page: self.page,
            login: login.then_some(self.username.as_deref()),
            flow_step: self.flow_step,
            surging: self.surging,
        }
    }
}

/// Behavioural detectors whose findings raise the threat score. `timing` and a flood
/// finding without a surge are evidence only: machines with a steady rhythm include
/// legitimate integrations.
fn scores(s: &Signal) -> bool {
    match s.detector {
        // A user with a leaked password is a victim, not a threat.
        "timing" | "breached-password" => false,
        "flood" => s.confidence >= 0.8,
        _ => true,
    }
}

/// Everything the engine concluded about one request.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub signals: Vec<Signal>,
    pub decision: Decision,
    /// Every policy that matched, in evaluation order (monitor-mode ones included).
    pub matches: Vec<Match>,
    /// Headers `tag` policies add on the way upstream.
    pub tags: Vec<(String, String)>,
    pub actors: Vec<ActorKey>,
    /// What the actor phase read, as the policies saw it.
    pub snapshot: ActorSnapshot,
    /// Index of the login endpoint this request hit, for the response phase.
    pub login: Option<usize>,
    /// Keys and shapes for the response phase.
    pub context: ActorContext,
    pub values_inspected: usize,
}

/// The engine for one configuration. Built on every (re)load; the state it points to
/// outlives reloads.
pub struct Engine {
    enabled: bool,
    mode: Mode,
    limits: Limits,
    detectors: DetectorSet,
    /// Response fields the configuration marks as sensitive.
    custom_sensitive: palisade_detect::sensitive::Custom,
    patches: palisade_patches::PatchSet,
    policies: PolicySet,
    login: Vec<(LoginEndpoint, Arc<str>, Quota)>,
    actors: palisade_config::Actors,
    breached: Option<breached::Breached>,
    tuning: Tuning,
    /// (method, template, flow index, step index, minimum seconds since the step before).
    flows: Vec<(http::Method, String, u8, u8, f32)>,
    shared: EngineShared,
}

impl Engine {
    pub fn new(
        config: &Config,
        registry: &Registry,
        shared: EngineShared,
    ) -> Result<Engine, EngineError> {
        Ok(Engine {
            enabled: config.inspection.enabled,
            mode: config.decisions.mode,
            limits: config.inspection.limits,
            detectors: registry
                .build(None)?
                .with_clean_memo(config.inspection.limits.clean_header_memo),
            custom_sensitive: custom_sensitive(&config.inspection.sensitive_fields),
            patches: palisade_patches::PatchSet::load(
                config.patches.builtin,
                config.patches.dir.as_deref(),
            )?,
            policies: PolicySet::load(config, shared.policy.clone())?,
            login: config
                .login
                .iter()
                .map(|l| {
                    let scope: Arc<str> = Arc::from(format!("login-failures:{}", l.path));
                    (l.clone(), scope, Quota::new(l.max_failures, l.window))
                })
                .collect(),
            actors: config.actors.clone(),
            breached: config
                .actors
                .breached_passwords
                .as_deref()
                .map(breached::Breached::load)
                .transpose()
                .map_err(EngineError::Breached)?,
            tuning: {
                let mut t = Tuning::default();
                for (name, v) in &config.actors.tuning {
                    // Validated when the configuration was compiled.
                    let _ = t.set(name, *v);
                }
                t
            },
            flows: config
                .flows
                .iter()
                .enumerate()
                .flat_map(|(fi, f)| {
                    f.steps.iter().enumerate().map(move |(si, st)| {
                        (
                            st.method.clone(),
                            palisade_actors::endpoint_template(&st.path),
                            fi.min(255) as u8,
                            si.min(255) as u8,
                            st.min_interval.as_secs_f32(),
                        )
                    })
                })
                .collect(),
            shared,
        })
    }

    /// Is request inspection on at all (the `inspection.enabled` switch)?
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn policies(&self) -> &PolicySet {
        &self.policies
    }

    pub fn shared(&self) -> &EngineShared {
        &self.shared
    }

    /// Judges one request.
    pub fn inspect(&self, req: &RequestView, now: Instant) -> Verdict {
        self.judge(req, now, false)
    }

    /// Judges one request the same way, and lists every policy that matches it, not only
    /// those up to the deciding one (for `palisade explain` and the policy tests).
    pub fn explain(&self, req: &RequestView, now: Instant) -> Verdict {
        self.judge(req, now, true)
    }

    fn judge(&self, req: &RequestView, now: Instant, all: bool) -> Verdict {
        let actor = ActorKey::Ip(req.client_ip);
        let login = self
            .login
            .iter()
            .position(|(l, _, _)| l.method == req.method && l.path == req.path);
        let mut snapshot = ActorSnapshot {
            login_endpoint: login.is_some(),
            blocked: self.shared.marks.has(&actor, MarkKind::Blocked, now),
            deceived: self.shared.marks.has(&actor, MarkKind::Deceived, now),
            ..ActorSnapshot::default()
        };
        if let Some(i) = login {
            let (_, scope, quota) = &self.login[i];
            if let RateOutcome::Limited { retry_after } =
                self.shared.state.peek(scope, &actor, *quota, now)
            {
                snapshot.login_limited = Some(retry_after);
            }
        }
        let (context, mut signals) = self.actor_phase(req, login, now);
        snapshot.score = context.view.score;
        snapshot.level = context.view.level.unwrap_or(Level::None).as_str();
        snapshot.good_standing = context.view.good_standing;
        snapshot.requests = context.view.requests;
        let mut values_inspected = 0;
        let mut json_keys = None;
        // The body as text, once for patches and policies: converting a binary upload costs
        // about 40 instructions per byte.
        let body = palisade_types::lossy(&req.body);
        // An actor already blocked or over its login quota is answered without spending
        // detection work on it.
        if self.enabled && snapshot.login_limited.is_none() && !snapshot.blocked {
            let mut normalized = palisade_normalize::extract(req, &self.limits);
            json_keys = normalized.body_json_keys.take();
            values_inspected = normalized.values.len();
            signals.extend(self.detectors.run(&normalized));
            self.patches.check(req, &normalized, &body, &mut signals);
            if normalized.values_dropped > 0 {
                signals.push(Signal {
                    detector: "limits",
                    category: Category::ProtocolEnforcement,
                    confidence: 0.5,
                    place: Place::new(PlaceKind::Request, ""),
                    evidence: format!(
                        "{} values over the inspection caps",
                        normalized.values_dropped
                    ),
                    reason: "request over the inspection caps",
                });
            }
        }
        let policies = &self.policies;
        let template = context
            .endpoint
            .split_once(' ')
            .map_or("/", |(_, t)| t)
            .to_string();
        let fingerprint = match context.crowd.first() {
            Some(ActorKey::Fingerprint(f)) => f.to_string(),
            _ => palisade_actors::header_fingerprint(&req.headers),
        };
        let facts = Facts::new(
            req,
            &signals,
            &snapshot,
            policies.lists(),
            policies.geo(),
            now,
        )
        .with_shapes(template, fingerprint)
        .with_json_keys(json_keys)
        .with_body(body);
        let outcome = if all {
            policies.explain(&facts, self.mode, &*self.shared.state)
        } else {
            policies.decide(&facts, self.mode, &*self.shared.state)
        };
        drop(facts);
        let mut tags = Vec::new();
        let by = outcome.decision.policy_id.as_deref().unwrap_or("policy");
        for e in outcome.effects {
            match e {
                Effect::BlockActor { seconds } => self.shared.marks.set(
                    &actor,
                    MarkKind::Blocked,
                    Duration::from_secs(seconds),
                    by,
                    now,
                ),
                Effect::Deceive { seconds } => self.shared.marks.set(
                    &actor,
                    MarkKind::Deceived,
                    Duration::from_secs(seconds),
                    by,
                    now,
                ),
                Effect::Tag { header, value } => tags.push((header, value)),
            }
        }
        self.remember(req, &context, &signals, &outcome.decision, now);
        let mut actors = context.principals.clone();
        actors.extend(context.crowd.iter().cloned());
        Verdict {
            signals,
            decision: outcome.decision,
            matches: outcome.matches,
            tags,
            actors,
            snapshot,
            login,
            context,
            values_inspected,
        }
    }

    /// Keys, shapes and behavioural findings for one request.
    fn actor_phase(
        &self,
        req: &RequestView,
        login: Option<usize>,
        now: Instant,
    ) -> (ActorContext, Vec<Signal>) {
        let secs = self.shared.secs(now);
        let body = keys::Body::new(req);
        let template = palisade_actors::endpoint_template(&req.path);
        let fingerprint = palisade_actors::header_fingerprint(&req.headers);
        let geo = self.policies.geo().map(|g| g.lookup(req.client_ip));
        let (principals, crowd) = keys::keys(
            req,
            &body,
            &self.actors,
            &fingerprint,
            geo.as_ref().map(|g| (g.asn, g.country())),
        );
        let username = login.and_then(|i| {
            let pointer = self.login[i].0.username.as_deref()?;
            body.field(pointer)
                .filter(|u| !u.is_empty() && u.len() <= 256)
        });
        let endpoint: Arc<str> = Arc::from(format!("{} {template}", req.method));
        let t = &self.tuning;
        let surging = self
            .shared
            .endpoints
            .hit(&endpoint, secs, t.surge_factor, t.surge_floor);
        let mut context = ActorContext {
            endpoint_hash: palisade_actors::hash32(endpoint.as_bytes()),
            object_id: keys::object_id(&req.path, &template),
            page: keys::page(req.query.as_deref()),
            flow_step: self
                .flows
                .iter()
                .find(|(m, p, ..)| *m == req.method && *p == template)
                .map(|(_, _, f, s, min)| (*f, *s, *min)),
            endpoint,
            principals,
            crowd,
            username,
            surging,
            view: View::default(),
        };
        let (view, findings) = palisade_actors::on_request(
            &*self.shared.actors,
            t,
            &context.facts(login.is_some()),
            secs,
        );
        context.view = view;
        let mut signals: Vec<Signal> = findings
            .into_iter()
            .map(|f| Signal {
                detector: f.detector,
                category: f.category,
                confidence: f.confidence,
                place: Place::new(PlaceKind::Request, f.key),
                evidence: f.evidence,
                // The finding's evidence says what was counted and against which limit.
                reason: "behavioural threshold reached",
            })
            .collect();
        if let (Some(i), Some(list)) = (login, &self.breached) {
            // Hashed here and dropped: the password is never kept, logged or recorded.
            let pointer = &self.login[i].0.password;
            if body.field(pointer).is_some_and(|p| list.contains(&p)) {
                signals.push(Signal {
                    detector: "breached-password",
                    category: Category::Ato,
                    confidence: 0.6,
                    place: Place::new(PlaceKind::Request, pointer.trim_start_matches('/')),
                    evidence: "the password is on the breached-password list".into(),
                    reason: "breached password",
                });
            }
        }
        (context, signals)
    }

    /// Adds this request's signals to its actors' scores and evidence trails, links its
    /// keys, and counts it for its endpoint.
    fn remember(
        &self,
        req: &RequestView,
        ctx: &ActorContext,
        signals: &[Signal],
        decision: &Decision,
        now: Instant,
    ) {
        let secs = self.shared.secs(now);
        let at_ms = self.shared.unix_ms(secs);
        let action = decision.effective_action();
        let mitigated = !matches!(action, Action::Allow | Action::Log);
        let t = &self.tuning;
        let add: f32 = signals
            .iter()
            .filter(|s| scores(s))
            .map(|s| palisade_actors::weight(s.category) * s.confidence)
            .sum();
        let evidence = |detector: &str, category, confidence| Evidence {
            at_ms,
            detector: detector.into(),
            category,
            confidence,
            request_id: req.id.as_str().into(),
            endpoint: ctx.endpoint.as_ref().into(),
            action: action.label(),
        };
        // Linking the request's keys happens in the request phase, which updates each of
        // them anyway; here only evidence and score are added, and only when there are some.
        if !signals.is_empty() || mitigated {
            for key in &ctx.principals {
                self.shared.actors.update(key, secs, &mut |r| {
                    if add > 0.0 {
                        r.score.add(add, secs, t.score_half_life);
                    }
                    for s in signals {
                        r.add_evidence(evidence(s.detector, s.category, s.confidence));
                    }
                    if mitigated {
                        if let Some(id) = &decision.policy_id {
                            let c = signals.first().map_or(Category::Reputation, |s| s.category);
                            r.add_evidence(evidence(&format!("policy:{id}"), c, 1.0));
                        }
                    }
                });
            }
        }
        // Campaign evidence also goes on the shared key it was seen on.
        for s in signals.iter().filter(|s| s.detector == "stuffing") {
            if let Some(key) = ctx.crowd.iter().find(|k| k.to_string() == s.place.name) {
                self.shared.actors.update(key, secs, &mut |r| {
                    r.add_evidence(evidence(s.detector, s.category, s.confidence));
                });
            }
        }
        if !signals.is_empty() || mitigated {
            self.shared.endpoints.outcome(
                &ctx.endpoint,
                secs,
                None,
                !signals.is_empty(),
                mitigated,
                0,
                0,
            );
        }
    }

    /// Learns from the upstream's answer: login outcomes, 403/404 answers, and the
    /// sensitive data the body carried.
    pub fn observe_response(&self, verdict: &Verdict, resp: &ResponseView, now: Instant) {
        let status = resp.status.as_u16();
        let login_ok = verdict.login.map(|i| {
            let (endpoint, scope, quota) = &self.login[i];
            let failed = endpoint.failure_status.contains(&status);
            if failed {
                self.shared
                    .state
                    .consume(scope, &verdict.context.principals[0], *quota, now);
            }
            !failed && status < 400
        });
        let found = resp
            .body
            .as_ref()
            .filter(|b| !b.is_empty())
            .map(|b| {
                let mut found = palisade_detect::sensitive::scan(b);
                self.custom_sensitive.scan(b, &mut found);
                found
            })
            .unwrap_or_default();
        use palisade_detect::sensitive::Kind;
        let cards = found.hashes(|k| k == Kind::Card);
        let items = found.hashes(|k| k != Kind::Card && k != Kind::Jwt);
        let secs = self.shared.secs(now);
        let ctx = &verdict.context;
        if ctx.principals.is_empty() {
            return;
        }
        palisade_actors::on_response(
            &*self.shared.actors,
            &self.tuning,
            &ctx.facts(verdict.login.is_some()),
            &ResponseFacts {
                status,
                login_ok,
                username: ctx.username.as_deref(),
                client_ip: match ctx.principals.first() {
                    Some(ActorKey::Ip(ip)) => Some(*ip),
                    _ => None,
                },
                cards: &cards,
                items: &items,
            },
            secs,
        );
        self.shared.endpoints.outcome(
            &ctx.endpoint,
            secs,
            Some(status),
            false,
            false,
            cards.len(),
            items.len(),
        );
    }

    /// The clock readings actor reports need (now, and how record times map to Unix time).
    pub fn report_time(&self, now: Instant) -> palisade_actors::ReportTime {
        palisade_actors::ReportTime {
            now: self.shared.secs(now),
            instant: now,
            epoch_unix_ms: self.shared.epoch_unix_ms,
            score_half_life: self.tuning.score_half_life,
            login_half_life: self.tuning.login_half_life,
        }
    }

    /// Actors at `min` level or above, highest score first.
    pub fn actors(&self, min: Level, limit: usize) -> Vec<palisade_actors::ActorSummary> {
        let t = self.report_time(self.shared.clock.now());
        palisade_actors::list(&*self.shared.actors, &self.shared.marks, &t, min, limit)
    }

    /// One actor with its evidence trail.
    pub fn actor(&self, key: &ActorKey) -> Option<palisade_actors::ActorDetail> {
        let t = self.report_time(self.shared.clock.now());
        palisade_actors::detail(&*self.shared.actors, &self.shared.marks, &t, key)
    }

    /// Endpoints seen in traffic, busiest first.
    pub fn endpoints(&self) -> Vec<palisade_actors::EndpointInfo> {
        let now = self.shared.secs(self.shared.clock.now());
        self.shared.endpoints.list(now)
    }

    /// The virtual patches this engine runs.
    pub fn patches(&self) -> &palisade_patches::PatchSet {
        &self.patches
    }

    /// Runs every loaded patch's own test requests through this engine: each `act` request
    /// must raise the patch's signal and be mitigated, each `pass` request must not raise it.
    /// Returns one line per failure (empty: all hold). Each request comes from its own
    /// address, since a blocked attacker's later requests skip detection.
    pub fn patch_test_failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        let mut n: u32 = 0;
        let mut judge = |case: &palisade_patches::Case, id: &str| -> Result<(bool, bool), String> {
            n += 1;
            let method = case.method.as_deref().unwrap_or("GET");
            let method = http::Method::from_bytes(method.as_bytes())
                .map_err(|_| format!("bad method {method:?}"))?;
            let ip = std::net::Ipv4Addr::from(0x0a00_0000 + n);
            let mut r = RequestView::new(method, case.path.as_deref().unwrap_or("/"), ip.into());
            r.host = "patch-test.example".into();
            r.headers
                .insert("host", http::HeaderValue::from_static("patch-test.example"));
            for (k, v) in &case.headers {
                let k = http::HeaderName::from_bytes(k.as_bytes())
                    .map_err(|_| format!("bad header name {k:?}"))?;
                let v = http::HeaderValue::from_bytes(v.as_bytes())
                    .map_err(|_| format!("bad value for header {k}"))?;
                r.headers.append(k, v);
            }
            if let Some(b) = &case.body {
                r.body = b.clone().into();
            }
            let v = self.inspect(&r, Instant::now());
            let hit = v
                .signals
                .iter()
                .any(|s| s.detector == "vpatch" && s.place.name == id);
            Ok((hit, v.decision.effective_action().is_terminating()))
        };
        for p in self.patches.patches() {
            let at = format!("{}:{} {}", p.file.display(), p.line, p.id);
            for (i, case) in p.tests.act.iter().enumerate() {
                match judge(case, &p.id) {
                    Ok((true, true)) => {}
                    Ok((hit, mitigated)) => failures.push(format!(
                        "{at}: act[{i}] {}: matched {hit}, mitigated {mitigated}",
                        case.path.as_deref().unwrap_or("/")
                    )),
                    Err(e) => failures.push(format!("{at}: act[{i}]: {e}")),
                }
            }
            for (i, case) in p.tests.pass.iter().enumerate() {
                match judge(case, &p.id) {
                    Ok((false, _)) => {}
                    Ok((true, _)) => failures.push(format!(
                        "{at}: pass[{i}] {}: matched",
                        case.path.as_deref().unwrap_or("/")
                    )),
                    Err(e) => failures.push(format!("{at}: pass[{i}]: {e}")),
                }
            }
        }
        failures
    }

    /// Names of the detectors this engine runs.
    pub fn detector_names(&self) -> Vec<&'static str> {
        self.detectors.names()
    }
}

/// Compiles `inspection.sensitive_fields` (already validated by the configuration loader).
fn custom_sensitive(
    fields: &[palisade_config::SensitiveField],
) -> palisade_detect::sensitive::Custom {
    let patterns: Vec<String> = fields.iter().filter_map(|f| f.regex.clone()).collect();
    let pointers: Vec<String> = fields.iter().filter_map(|f| f.json_path.clone()).collect();
    palisade_detect::sensitive::Custom::new(&patterns, &pointers).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{Method, StatusCode};
    use palisade_types::Action;
    use std::path::Path;

    fn engine(extra: &str) -> Engine {
        let yaml = format!("upstreams: {{ a: {{ servers: [\"127.0.0.1:1\"] }} }}\n{extra}");
        let cfg = palisade_config::from_str(&yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
        Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
    }

    /// A request as a browser-based client sends it (Host, User-Agent, Accept-*), so only the
    /// policy under test has a reason to act.
    fn get(target: &str) -> RequestView {
        let mut r = RequestView::new(Method::GET, target, "192.0.2.1".parse().unwrap());
        r.host = "shop.example".into();
        for (k, v) in [
            ("host", "shop.example"),
            (
                "user-agent",
                "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
            ),
            ("accept", "application/json"),
            ("accept-language", "en"),
            ("accept-encoding", "gzip"),
        ] {
            r.headers.insert(k, v.parse().unwrap());
        }
        r
    }

    #[test]
    fn sqli_in_query_is_blocked_clean_request_allowed() {
        let e = engine("");
        let v = e.inspect(
            &get("/api/products?q=1%27%20or%20%271%27%3D%271"),
            Instant::now(),
        );
        assert_eq!(v.decision.action, Action::Block { status: 403 });
        assert_eq!(v.signals[0].category, Category::Sqli);
        let v = e.inspect(&get("/api/products?q=red+shoes&page=2"), Instant::now());
        assert_eq!(v.decision.action, Action::Allow);
        assert!(v.signals.is_empty());
    }

    /// Attacks inside structured bodies reach the detectors as the values they are: a
    /// multipart field, an XML element, a GraphQL argument, a base64-encoded parameter. The
    /// same bodies with harmless values pass.
    #[test]
    fn attacks_inside_multipart_xml_graphql_and_base64_are_blocked() {
        let e = engine("");
        let post = |ct: &str, body: &str| {
            let mut r = get("/api/upload");
            r.method = Method::POST;
            r.headers.insert("content-type", ct.parse().unwrap());
            r.body = body.to_string().into();
            r
        };
        let multipart = |v: &str| {
            format!(
                "--b1\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{v}\r\n--b1--\r\n"
            )
        };
        let cases = [
            (
                "multipart/form-data; boundary=b1",
                multipart("1' or '1'='1"),
                multipart("O'Brien's holiday photos"),
            ),
            (
                "application/xml",
                "<order><id>1 union select password from users</id></order>".to_string(),
                "<order><id>42</id><note>union members get 10% off</note></order>".to_string(),
            ),
            (
                "application/json",
                r#"{"query":"{ user(name: \"<script>alert(1)</script>\") { id } }"}"#.to_string(),
                r#"{"query":"{ user(name: \"Zoë\") { id } }"}"#.to_string(),
            ),
        ];
        for (ct, attack, benign) in cases {
            let v = e.inspect(&post(ct, &attack), Instant::now());
            assert_eq!(v.decision.action, Action::Block { status: 403 }, "{attack}");
            let v = e.inspect(&post(ct, &benign), Instant::now());
            assert!(
                matches!(v.decision.action, Action::Allow | Action::Log) && v.signals.is_empty(),
                "{benign}: {:?} {:?}",
                v.decision,
                v.signals
            );
        }
        // `'; drop table users; --` as base64 in a query parameter.
        let v = e.inspect(
            &get("/api/items?filter=JzsgZHJvcCB0YWJsZSB1c2VyczsgLS0="),
            Instant::now(),
        );
        assert_eq!(v.decision.action, Action::Block { status: 403 });
        assert!(v.signals.iter().any(|s| s.place.name.ends_with("#base64")));
    }

    /// Fields a deployment names itself are counted as sensitive items of the endpoint that
    /// returned them, beside the built-in kinds; a broken pattern is a config error with its
    /// path.
    #[test]
    fn custom_sensitive_fields_count_per_endpoint() {
        let e = engine(
            "inspection:\n  sensitive_fields:\n    - { name: loyalty, regex: 'LOY-[0-9]{8}' }\n    - { name: secret, json_path: /account/secret }",
        );
        let now = Instant::now();
        let v = e.inspect(&get("/api/accounts/7"), now);
        let body = br#"{"account":{"secret":"s3cr3t","loyalty":"LOY-12345678","phone":"+44 20 7946 0958"}}"#;
        let resp = ResponseView {
            status: StatusCode::OK,
            headers: Default::default(),
            body: Some(bytes::Bytes::from_static(body)),
        };
        e.observe_response(&v, &resp, now);
        let info = e.endpoints();
        let ep = info
            .iter()
            .find(|i| i.endpoint.contains("/api/accounts"))
            .expect("endpoint listed");
        // The loyalty number, the secret and the phone number.
        assert_eq!(ep.sensitive_items, 3);
        let err = palisade_config::from_str(
            "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\ninspection: { sensitive_fields: [ { name: x, regex: '(' } ] }",
            Path::new("t.yaml"),
            Path::new("."),
        )
        .expect_err("a broken pattern is refused");
        assert!(
            err.to_string()
                .contains("inspection.sensitive_fields[0].regex"),
            "{err}"
        );
    }

    #[test]
    fn inspection_switch_turns_detection_off() {
        let e = engine("inspection: { enabled: false }");
        let v = e.inspect(&get("/?q=%27%20or%201%3D1--"), Instant::now());
        assert_eq!(v.decision.action, Action::Allow);
        assert_eq!(v.values_inspected, 0);
    }

    #[test]
    fn failed_logins_lead_to_rate_limit() {
        let e = engine("login: [ { path: /api/login, max_failures: 3, window: 1m } ]");
        let now = Instant::now();
        let mut login = get("/api/login");
        login.method = Method::POST;
        let failed = ResponseView {
            status: StatusCode::UNAUTHORIZED,
            headers: Default::default(),
            body: None,
        };
        for _ in 0..3 {
            let v = e.inspect(&login, now);
            assert_eq!(v.decision.action, Action::Allow);
            e.observe_response(&v, &failed, now);
        }
        let v = e.inspect(&login, now);
        assert!(
            matches!(v.decision.action, Action::RateLimit { retry_after_secs } if retry_after_secs >= 1)
        );
        // Another client is unaffected.
        let mut other = login.clone();
        other.client_ip = "192.0.2.2".parse().unwrap();
        assert_eq!(e.inspect(&other, now).decision.action, Action::Allow);
        // A successful login does not count.
        let ok = ResponseView {
            status: StatusCode::OK,
            ..failed
        };
        let v = e.inspect(&other, now);
        for _ in 0..10 {
            e.observe_response(&v, &ok, now);
        }
        assert_eq!(e.inspect(&other, now).decision.action, Action::Allow);
    }
}

#[cfg(test)]
mod behaviour_tests {
    use super::*;
    use http::Method;
    use std::path::Path;

    fn engine() -> Engine {
        let yaml = "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }
flows:
  - name: checkout
    steps:
      - { method: POST, path: /api/cart }
      - { method: POST, path: /api/checkout, min_interval: 2s }
";
        let cfg = palisade_config::from_str(yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
        Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
    }

    fn req(method: Method, path: &str) -> RequestView {
        let mut r = RequestView::new(method, path, "192.0.2.1".parse().unwrap());
        r.headers.insert("host", "shop.example".parse().unwrap());
        r.headers
            .insert("user-agent", "Mozilla/5.0 Firefox/120.0".parse().unwrap());
        r
    }

    #[test]
    fn flow_steps_at_human_pace_pass_too_fast_is_a_signal() {
        let e = engine();
        let t0 = Instant::now();
        e.inspect(&req(Method::POST, "/api/cart"), t0);
        let v = e.inspect(
            &req(Method::POST, "/api/checkout"),
            t0 + Duration::from_secs(6),
        );
        assert!(
            v.signals.iter().all(|s| s.detector != "flow"),
            "{:?}",
            v.signals
        );
        e.inspect(
            &req(Method::POST, "/api/cart"),
            t0 + Duration::from_secs(60),
        );
        let v = e.inspect(
            &req(Method::POST, "/api/checkout"),
            t0 + Duration::from_millis(60_300),
        );
        assert!(
            v.signals.iter().any(|s| s.detector == "flow"),
            "{:?}",
            v.signals
        );
    }

    #[test]
    fn steady_rhythm_is_timing_evidence_without_score() {
        let e = engine();
        let t0 = Instant::now();
        let mut last = None;
        for i in 0..15u64 {
            last = Some(e.inspect(
                &req(Method::GET, "/api/products"),
                t0 + Duration::from_secs(2 * i),
            ));
        }
        let v = last.unwrap();
        assert!(
            v.signals.iter().any(|s| s.detector == "timing"),
            "{:?}",
            v.signals
        );
        assert_eq!(v.snapshot.level, "none");
    }
}
