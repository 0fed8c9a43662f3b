//! The decide phase: policies (YAML files with a typed expression, an action, a mode and a
//! priority) evaluated in priority order over one request's facts; the first terminating
//! action in enforce mode wins, monitor-mode matches are recorded as "would have".
//!
//! Also here: the embedded policy pack, named lists (IP/CIDR with longest-prefix lookup, and
//! string lists), and the GeoIP lookup the `client.country` / `client.asn` facts and the
//! `geo_fence` action use. The policy language is documented in `docs/policies.md`.
#![forbid(unsafe_code)]

pub mod expr;
mod file;
pub mod geo;
pub mod lists;
mod pack;

pub use expr::Facts;
pub use file::{Case, Defaults, Policy, PolicyError, QuotaSpec, RateKey, Severity, Tests, Then};
pub use lists::{DynamicLists, ListSet};

use arc_swap::ArcSwap;
use file::{load_file, Source};
use palisade_actors::{ActorKey, RateOutcome, StateBackend};
use palisade_config::Config;
use palisade_types::{Action, Decision, Mode};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the actor phase found out about the client, for policies to read.
#[derive(Clone, Debug, Default)]
pub struct ActorSnapshot {
    /// The client is over its login-failure quota on this endpoint; retry after this.
    pub login_limited: Option<Duration>,
    /// The request is to a declared login endpoint.
    pub login_endpoint: bool,
    /// The actor is blocked for a while (by a `block_actor` policy or the admin API).
    pub blocked: bool,
    /// The actor was answered with a deception and stays in it for a while.
    pub deceived: bool,
    /// Threat score (decayed) and its level: none, low, medium, high, critical.
    pub score: f32,
    pub level: &'static str,
    /// Logged in successfully before, or browsed like a person before this request.
    pub good_standing: bool,
    /// Requests seen from this actor (this one included).
    pub requests: u32,
}

/// Per-policy counters, kept by id across reloads.
#[derive(Debug, Default)]
pub struct Counters {
    /// Requests the policy matched (in any mode).
    pub matched: AtomicU64,
    /// Matches whose action was carried out.
    pub enforced: AtomicU64,
}

/// Policy state that outlives a configuration: counters, mode switches from the admin API,
/// run-time list entries.
#[derive(Default)]
pub struct PolicyShared {
    /// Mode set at run time, by policy id; wins over files and configuration.
    modes: ArcSwap<HashMap<Arc<str>, Mode>>,
    /// Locked only when a configuration is built and when counters are listed.
    counters: Mutex<HashMap<Arc<str>, Arc<Counters>>>,
    pub lists: Arc<DynamicLists>,
}

impl PolicyShared {
    fn counters(&self, id: &Arc<str>) -> Arc<Counters> {
        let mut m = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        m.entry(id.clone()).or_default().clone()
    }

    /// Switches a policy's mode at run time (`None` returns it to its file's mode).
    pub fn set_mode(&self, id: &str, mode: Option<Mode>) {
        self.modes.rcu(|cur| {
            let mut next = (**cur).clone();
            match mode {
                Some(m) => next.insert(Arc::from(id), m),
                None => next.remove(id),
            };
            next
        });
    }
}

/// A side effect of a decision, carried out by the engine or the proxy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Block the actor for this long.
    BlockActor { seconds: u64 },
    /// Keep the actor in the deception for this long.
    Deceive { seconds: u64 },
    /// Add this header to the request on its way upstream.
    Tag { header: String, value: String },
}

/// One policy that matched a request.
#[derive(Clone, Debug, Serialize)]
pub struct Match {
    pub policy: Arc<str>,
    pub action: &'static str,
    pub mode: Mode,
    /// This match decided the request.
    pub decided: bool,
}

/// The decide phase's answer.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub decision: Decision,
    pub matches: Vec<Match>,
    pub effects: Vec<Effect>,
}

/// Policy loading failed: every problem, each with its file and position.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct PolicyErrors(pub Vec<PolicyError>);

struct Compiled {
    policy: Policy,
    counters: Arc<Counters>,
}

/// The policies of one configuration, in evaluation order.
pub struct PolicySet {
    policies: Vec<Compiled>,
    lists: ListSet,
    geo: Option<geo::Geo>,
    shared: Arc<PolicyShared>,
    /// Files read from the policy directory (watched for changes).
    pub files: Vec<PathBuf>,
}

/// Row of `palisade policies` and `GET /api/policies`.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyInfo {
    pub id: Arc<str>,
    pub description: String,
    pub category: String,
    pub severity: Severity,
    pub mode: Mode,
    pub priority: i32,
    pub action: &'static str,
    pub when: String,
    pub then: Then,
    pub requires: Vec<String>,
    pub source: String,
    pub hits: u64,
    pub enforced: u64,
}

impl PolicySet {
    /// Loads lists, GeoIP databases, the embedded pack and the policy directory of `config`.
    pub fn load(config: &Config, shared: Arc<PolicyShared>) -> Result<PolicySet, PolicyErrors> {
        let mut errors = Vec::new();
        let lists = match ListSet::load(&config.lists, shared.lists.clone()) {
            Ok(l) => l,
            Err(es) => {
                errors.extend(es.into_iter().map(|e| PolicyError {
                    file: e.file,
                    line: e.line as u64,
                    column: u64::from(e.line > 0),
                    message: e.message,
                }));
                ListSet::empty(shared.lists.clone())
            }
        };
        let geo = match (&config.geo.country_db, &config.geo.asn_db) {
            (None, None) => None,
            (c, a) => match geo::Geo::open(c.as_deref(), a.as_deref()) {
                Ok(g) => Some(g),
                Err(message) => {
                    errors.push(PolicyError {
                        file: config.source.clone(),
                        line: 0,
                        column: 0,
                        message: format!("geo: {message}"),
                    });
                    None
                }
            },
        };
        let resolve = |n: &str| lists.resolve(n);
        let env = expr::Env {
            block_confidence: expr::decimal(config.decisions.block_confidence),
            lists: &resolve,
        };
        let defaults = Defaults {
            block_status: config.decisions.block_status,
        };
        let mut loaded: Vec<Policy> = Vec::new();
        if config.policies.pack {
            for (name, text) in pack::FILES {
                let src = Source {
                    name: PathBuf::from(format!("pack/{name}")),
                    text,
                };
                merge(
                    &mut loaded,
                    load_file(&src, &env, &defaults, &mut errors),
                    false,
                    &mut errors,
                );
            }
        }
        let mut files = Vec::new();
        if let Some(dir) = &config.policies.dir {
            match policy_files(dir) {
                Ok(paths) => {
                    let mut from_dir = Vec::new();
                    for path in &paths {
                        match std::fs::read_to_string(path) {
                            Ok(text) => {
                                let src = Source {
                                    name: path.clone(),
                                    text: &text,
                                };
                                merge(
                                    &mut from_dir,
                                    load_file(&src, &env, &defaults, &mut errors),
                                    false,
                                    &mut errors,
                                );
                            }
                            Err(e) => errors.push(PolicyError {
                                file: path.clone(),
                                line: 0,
                                column: 0,
                                message: format!("cannot read: {e}"),
                            }),
                        }
                    }
                    // A directory policy with a pack policy's id replaces it.
                    merge(&mut loaded, from_dir, true, &mut errors);
                    files = paths;
                }
                Err(e) => errors.push(PolicyError {
                    file: dir.clone(),
                    line: 0,
                    column: 0,
                    message: format!("policies.dir: cannot list: {e}"),
                }),
            }
        }
        for (id, mode) in &config.policies.modes {
            match loaded.iter_mut().find(|p| &*p.id == id) {
                Some(p) => p.mode = *mode,
                None => errors.push(unknown_id(config, "policies.modes", id)),
            }
        }
        for id in &config.policies.disabled {
            let before = loaded.len();
            loaded.retain(|p| &*p.id != id);
            if loaded.len() == before {
                errors.push(unknown_id(config, "policies.disabled", id));
            }
        }
        if !errors.is_empty() {
            return Err(PolicyErrors(errors));
        }
        // Stable: equal priorities keep file order.
        loaded.sort_by_key(|p| p.priority);
        expr::group_regexes(
            &mut loaded
                .iter_mut()
                .map(|p| &mut p.program)
                .collect::<Vec<_>>(),
        );
        let policies = loaded
            .into_iter()
            .map(|policy| Compiled {
                counters: shared.counters(&policy.id),
                policy,
            })
            .collect();
        Ok(PolicySet {
            policies,
            lists,
            geo,
            shared,
            files,
        })
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    pub fn lists(&self) -> &ListSet {
        &self.lists
    }

    pub fn geo(&self) -> Option<&geo::Geo> {
        self.geo.as_ref()
    }

    pub fn shared(&self) -> &Arc<PolicyShared> {
        &self.shared
    }

    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter().map(|c| &c.policy)
    }

    pub fn get(&self, id: &str) -> Option<&Policy> {
        self.policies().find(|p| &*p.id == id)
    }

    /// The mode a policy runs in now: an admin switch beats the configuration and the file.
    pub fn mode_of(&self, policy: &Policy) -> Mode {
        self.shared
            .modes
            .load()
            .get(&policy.id)
            .copied()
            .unwrap_or(policy.mode)
    }

    pub fn info(&self) -> Vec<PolicyInfo> {
        self.policies
            .iter()
            .map(|c| {
                let p = &c.policy;
                PolicyInfo {
                    id: p.id.clone(),
                    description: p.description.clone(),
                    category: p.category.clone(),
                    severity: p.severity,
                    mode: self.mode_of(p),
                    priority: p.priority,
                    action: p.then.label(),
                    when: p.when.clone(),
                    then: p.then.clone(),
                    requires: p.requires.clone(),
                    source: p.source(),
                    hits: c.counters.matched.load(Ordering::Relaxed),
                    enforced: c.counters.enforced.load(Ordering::Relaxed),
                }
            })
            .collect()
    }

    /// Runs the policies over one request. `global` is the configuration's mode: `monitor`
    /// turns every match into a "would have". Rate-limit policies count in `state`.
    pub fn decide(&self, facts: &Facts<'_>, global: Mode, state: &dyn StateBackend) -> Outcome {
        self.evaluate(facts, global, state, false)
    }

    /// Like [`PolicySet::decide`], but goes on after the deciding policy and lists every
    /// policy that matches (for `palisade explain` and the policy test runner). The decision
    /// and effects are the same as `decide`'s.
    pub fn explain(&self, facts: &Facts<'_>, global: Mode, state: &dyn StateBackend) -> Outcome {
        self.evaluate(facts, global, state, true)
    }

    fn evaluate(
        &self,
        facts: &Facts<'_>,
        global: Mode,
        state: &dyn StateBackend,
        all: bool,
    ) -> Outcome {
        let present: u32 = facts
            .signals
            .iter()
            .fold(0, |m, s| m | (1 << s.category.index()));
        let have = facts.have();
        let overrides = self.shared.modes.load();
        let mut matches = Vec::new();
        let mut effects = Vec::new();
        let mut logged: Option<(Arc<str>, Mode)> = None;
        let mut would: Option<(Action, Arc<str>)> = None;
        let mut decided: Option<Decision> = None;
        for c in &self.policies {
            let p = &c.policy;
            if let Some(gate) = p.program.signal_gate {
                if present & gate == 0 {
                    continue;
                }
            }
            if !p.program.need.met_by(have) {
                debug_assert!(
                    !p.program.root.eval(facts).into_bool(),
                    "policy {} skipped for a missing header, query or body, but it holds",
                    p.id
                );
                continue;
            }
            if !p.program.root.eval(facts).into_bool() {
                continue;
            }
            let Some(action) = self.act(p, facts, state) else {
                continue;
            };
            let mode = if global == Mode::Monitor {
                Mode::Monitor
            } else if overrides.is_empty() {
                p.mode
            } else {
                overrides.get(&p.id).copied().unwrap_or(p.mode)
            };
            if decided.is_some() {
                // Explaining: record what else matched, change nothing.
                matches.push(Match {
                    policy: p.id.clone(),
                    action: p.then.label(),
                    mode,
                    decided: false,
                });
                continue;
            }
            c.counters.matched.fetch_add(1, Ordering::Relaxed);
            let terminating = !matches!(p.then, Then::Log | Then::Tag { .. });
            if mode == Mode::Monitor {
                matches.push(Match {
                    policy: p.id.clone(),
                    action: p.then.label(),
                    mode,
                    decided: false,
                });
                if terminating && would.is_none() {
                    would = Some((action, p.id.clone()));
                }
                logged.get_or_insert((p.id.clone(), Mode::Monitor));
                continue;
            }
            c.counters.enforced.fetch_add(1, Ordering::Relaxed);
            match &p.then {
                Then::BlockActor { duration, .. } => effects.push(Effect::BlockActor {
                    seconds: duration.as_secs().max(1),
                }),
                Then::Deceive { duration, .. } => effects.push(Effect::Deceive {
                    seconds: duration.as_secs().max(1),
                }),
                Then::Tag { header, value } => effects.push(Effect::Tag {
                    header: header.clone(),
                    value: value.clone(),
                }),
                _ => {}
            }
            matches.push(Match {
                policy: p.id.clone(),
                action: p.then.label(),
                mode,
                decided: terminating,
            });
            if terminating {
                let d = Decision {
                    action,
                    mode: Mode::Enforce,
                    policy_id: Some(p.id.clone()),
                    reason: reason(p, facts),
                };
                if !all {
                    return Outcome {
                        decision: d,
                        matches,
                        effects,
                    };
                }
                decided = Some(d);
                continue;
            }
            logged.get_or_insert((p.id.clone(), Mode::Enforce));
        }
        if let Some(decision) = decided {
            return Outcome {
                decision,
                matches,
                effects,
            };
        }
        // Nothing enforced a terminating action: a monitor match is a "would have", a log or
        // tag match makes the request notable.
        let decision = match (would, logged) {
            (Some((action, id)), _) => {
                let p = self.get(&id);
                Decision {
                    action,
                    mode: Mode::Monitor,
                    reason: p.map(|p| reason(p, facts)).unwrap_or_default(),
                    policy_id: Some(id),
                }
            }
            (None, Some((id, mode))) => {
                let p = self.get(&id);
                Decision {
                    action: Action::Log,
                    mode,
                    reason: p.map(|p| reason(p, facts)).unwrap_or_default(),
                    policy_id: Some(id),
                }
            }
            (None, None) => Decision::allow(),
        };
        Outcome {
            decision,
            matches,
            effects,
        }
    }

    /// The action a matching policy takes, or `None` when it turns out not to apply (a
    /// rate limit still under its quota, a geo-fence the client is inside of).
    fn act(&self, p: &Policy, facts: &Facts<'_>, state: &dyn StateBackend) -> Option<Action> {
        Some(match &p.then {
            Then::Allow => Action::Allow,
            Then::Log | Then::Tag { .. } => Action::Log,
            Then::Block { status } | Then::BlockActor { status, .. } => {
                Action::Block { status: *status }
            }
            Then::RateLimit {
                quota: None,
                retry_after,
            } => Action::RateLimit {
                retry_after_secs: ceil_secs(facts.actor.login_limited.unwrap_or(*retry_after)),
            },
            Then::RateLimit { quota: Some(q), .. } => {
                let ip = ActorKey::Ip(facts.req.client_ip);
                let outcome = match q.key {
                    RateKey::Ip => state.consume(&p.id, &ip, q.quota, facts.now),
                    RateKey::Global => state.consume(&p.id, &ActorKey::Global, q.quota, facts.now),
                    RateKey::Fingerprint => {
                        let key = ActorKey::Fingerprint(Arc::from(facts.fingerprint()));
                        state.consume(&p.id, &key, q.quota, facts.now)
                    }
                    RateKey::IpEndpoint => {
                        let scope = format!("{}|{}", p.id, facts.endpoint());
                        state.consume(&scope, &ip, q.quota, facts.now)
                    }
                };
                match outcome {
                    RateOutcome::Allowed => return None,
                    RateOutcome::Limited { retry_after } => Action::RateLimit {
                        retry_after_secs: ceil_secs(retry_after),
                    },
                }
            }
            Then::Tarpit { delay } => Action::Tarpit {
                delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            },
            Then::Deceive { kind, .. } => Action::Deceive { kind: *kind },
            Then::GeoFence {
                deny_countries,
                allow_countries,
                deny_asns,
                status,
            } => {
                let g = facts.geo();
                let country = g.country();
                let denied = (!country.is_empty() && deny_countries.iter().any(|c| c == country))
                    || (!allow_countries.is_empty()
                        && !country.is_empty()
                        && !allow_countries.iter().any(|c| c == country))
                    || (g.asn != 0 && deny_asns.contains(&g.asn));
                if !denied {
                    return None;
                }
                Action::Block { status: *status }
            }
        })
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

fn reason(p: &Policy, facts: &Facts<'_>) -> String {
    match facts
        .signals
        .iter()
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
    {
        Some(s) if p.program.signal_gate.is_some() => {
            format!("{}: {} in {}", p.description, s.category, s.place)
        }
        _ => p.description.clone(),
    }
}

fn unknown_id(config: &Config, path: &str, id: &str) -> PolicyError {
    PolicyError {
        file: config.source.clone(),
        line: 0,
        column: 0,
        message: format!("{path}: no policy has the id {id:?}"),
    }
}

/// Adds `new` to `into`; ids must be unique within a layer, and `replace` lets a later layer
/// (the policy directory) override the pack.
fn merge(into: &mut Vec<Policy>, new: Vec<Policy>, replace: bool, errors: &mut Vec<PolicyError>) {
    for p in new {
        match into.iter().position(|q| q.id == p.id) {
            Some(i) if replace => into[i] = p,
            Some(i) => errors.push(PolicyError {
                file: p.file.clone(),
                line: p.line,
                column: p.column,
                message: format!(
                    "duplicate policy id {:?} (first defined at {})",
                    &*p.id,
                    into[i].source()
                ),
            }),
            None => into.push(p),
        }
    }
}

fn policy_files(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    out.sort();
    Ok(out)
}
