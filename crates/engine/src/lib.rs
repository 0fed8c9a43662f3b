//! The engine: one request in, a verdict out — normalize → detect → score actors → decide —
//! and, after the upstream answered, what the response teaches about the actor. No sockets,
//! no clocks of its own (callers pass `now`), no I/O: the inline proxy, `palisade eval`, the
//! decision service and passive mode all drive this same code.
#![forbid(unsafe_code)]

mod client_ip;

pub use client_ip::client_ip;

use palisade_actors::{ActorKey, MarkKind, Marks, Quota, RateOutcome, StateBackend};
use palisade_config::{Config, Limits, LoginEndpoint};
use palisade_detect::{DetectorSet, Registry, RegistryError};
use palisade_policy::{ActorSnapshot, Effect, Facts, Match, PolicyErrors, PolicySet, PolicyShared};
use palisade_types::{
    Category, Decision, Mode, Place, PlaceKind, RequestView, ResponseView, Signal,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Policies(#[from] PolicyErrors),
}

/// State that outlives a configuration: per-actor counters, actor marks (blocked,
/// deceived), policy counters, mode switches and run-time list entries. One per process.
#[derive(Clone)]
pub struct EngineShared {
    pub state: Arc<dyn StateBackend>,
    pub marks: Arc<Marks>,
    pub policy: Arc<PolicyShared>,
}

impl EngineShared {
    /// The single-node backends: bounded in-process maps.
    pub fn local() -> Self {
        EngineShared {
            state: Arc::new(palisade_actors::LocalState::new(
                1_000_000,
                Duration::from_secs(3600),
            )),
            marks: Arc::new(Marks::new(1_000_000, Duration::from_secs(7 * 24 * 3600))),
            policy: Arc::default(),
        }
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
    pub values_inspected: usize,
}

/// The engine for one configuration. Built on every (re)load; the state it points to
/// outlives reloads.
pub struct Engine {
    enabled: bool,
    mode: Mode,
    limits: Limits,
    detectors: DetectorSet,
    policies: PolicySet,
    login: Vec<(LoginEndpoint, Arc<str>, Quota)>,
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
            detectors: registry.build(None)?,
            policies: PolicySet::load(config, shared.policy.clone())?,
            login: config
                .login
                .iter()
                .map(|l| {
                    let scope: Arc<str> = Arc::from(format!("login-failures:{}", l.path));
                    (l.clone(), scope, Quota::new(l.max_failures, l.window))
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
        let mut signals = Vec::new();
        let mut values_inspected = 0;
        // An actor already blocked or over its login quota is answered without spending
        // detection work on it.
        if self.enabled && snapshot.login_limited.is_none() && !snapshot.blocked {
            let normalized = palisade_normalize::extract(req, &self.limits);
            values_inspected = normalized.values.len();
            signals = self.detectors.run(&normalized);
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
                });
            }
        }
        let policies = &self.policies;
        let facts = Facts::new(
            req,
            &signals,
            &snapshot,
            policies.lists(),
            policies.geo(),
            now,
        );
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
        Verdict {
            signals,
            decision: outcome.decision,
            matches: outcome.matches,
            tags,
            actors: vec![actor],
            snapshot,
            login,
            values_inspected,
        }
    }

    /// Learns from the upstream's answer: a failed login counts against the client.
    pub fn observe_response(&self, verdict: &Verdict, resp: &ResponseView, now: Instant) {
        let Some(i) = verdict.login else { return };
        let (endpoint, scope, quota) = &self.login[i];
        if endpoint.failure_status.contains(&resp.status.as_u16()) {
            for actor in &verdict.actors {
                self.shared.state.consume(scope, actor, *quota, now);
            }
        }
    }

    /// Names of the detectors this engine runs.
    pub fn detector_names(&self) -> Vec<&'static str> {
        self.detectors.names()
    }
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
