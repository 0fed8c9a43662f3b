//! The engine: one request in, a verdict out — normalize → detect → score actors → decide —
//! and, after the upstream answered, what the response teaches about the actor. No sockets,
//! no clocks of its own (callers pass `now`), no I/O: the inline proxy, `palisade eval`, the
//! decision service and passive mode all drive this same code.
#![forbid(unsafe_code)]

mod client_ip;

pub use client_ip::client_ip;

use palisade_actors::{ActorKey, Quota, RateOutcome, StateBackend};
use palisade_config::{Config, Limits, LoginEndpoint};
use palisade_detect::{DetectorSet, Registry, RegistryError};
use palisade_policy::{ActorSnapshot, Decider};
use palisade_types::{Category, Decision, Place, PlaceKind, RequestView, ResponseView, Signal};
use std::sync::Arc;
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// Everything the engine concluded about one request.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub signals: Vec<Signal>,
    pub decision: Decision,
    pub actors: Vec<ActorKey>,
    /// Index of the login endpoint this request hit, for the response phase.
    pub login: Option<usize>,
    pub values_inspected: usize,
}

/// The engine for one configuration. Built on every (re)load; the actor state it points to
/// outlives reloads.
pub struct Engine {
    enabled: bool,
    limits: Limits,
    detectors: DetectorSet,
    decider: Decider,
    login: Vec<(LoginEndpoint, Arc<str>, Quota)>,
    state: Arc<dyn StateBackend>,
}

impl Engine {
    pub fn new(
        config: &Config,
        registry: &Registry,
        state: Arc<dyn StateBackend>,
    ) -> Result<Engine, EngineError> {
        Ok(Engine {
            enabled: config.inspection.enabled,
            limits: config.inspection.limits,
            detectors: registry.build(None)?,
            decider: Decider::new(&config.decisions),
            login: config
                .login
                .iter()
                .map(|l| {
                    let scope: Arc<str> = Arc::from(format!("login-failures:{}", l.path));
                    (l.clone(), scope, Quota::new(l.max_failures, l.window))
                })
                .collect(),
            state,
        })
    }

    /// Is request inspection on at all (the `inspection.enabled` switch)?
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Judges one request.
    pub fn inspect(&self, req: &RequestView, now: Instant) -> Verdict {
        let actor = ActorKey::Ip(req.client_ip);
        // Actor phase first: a client already over its login quota is answered without
        // spending detection work on it.
        let login = self
            .login
            .iter()
            .position(|(l, _, _)| l.method == req.method && l.path == req.path);
        let mut snapshot = ActorSnapshot::default();
        if let Some(i) = login {
            let (_, scope, quota) = &self.login[i];
            if let RateOutcome::Limited { retry_after } =
                self.state.peek(scope, &actor, *quota, now)
            {
                snapshot.login_limited = Some(retry_after);
            }
        }
        let mut signals = Vec::new();
        let mut values_inspected = 0;
        if self.enabled && snapshot.login_limited.is_none() {
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
        let decision = self.decider.decide(&signals, &snapshot);
        Verdict {
            signals,
            decision,
            actors: vec![actor],
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
                self.state.consume(scope, actor, *quota, now);
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
    use palisade_actors::LocalState;
    use palisade_types::Action;
    use std::path::Path;
    use std::time::Duration;

    fn engine(extra: &str) -> Engine {
        let yaml = format!("upstreams: {{ a: {{ servers: [\"127.0.0.1:1\"] }} }}\n{extra}");
        let cfg = palisade_config::from_str(&yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
        let state = Arc::new(LocalState::new(10_000, Duration::from_secs(600)));
        Engine::new(&cfg, &Registry::builtin(), state).unwrap()
    }

    fn get(target: &str) -> RequestView {
        RequestView::new(Method::GET, target, "192.0.2.1".parse().unwrap())
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
