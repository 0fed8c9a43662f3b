//! The decide phase: a pure function of the request's signals, the actor snapshot and the
//! compiled configuration. This is wave 1's built-in decision table — block on a confident
//! detection, rate-limit an actor over its login-failure quota, log weaker signals — each rule
//! with a stable policy id. The policy language (YAML files with expressions, priorities and
//! per-policy modes) replaces the table behind the same [`Decider::decide`] signature.
#![forbid(unsafe_code)]

use palisade_config::Decisions;
use palisade_types::{Action, Category, Decision, Signal};
use std::sync::Arc;
use std::time::Duration;

/// What the actor phase found out about the client, for the decide phase to use.
#[derive(Clone, Debug, Default)]
pub struct ActorSnapshot {
    /// The client is over its login-failure quota on this endpoint; retry after this.
    pub login_limited: Option<Duration>,
}

/// Policy ids of the built-in table, one per category, made once per configuration.
pub struct Decider {
    settings: Decisions,
    block_ids: Vec<Arc<str>>,
    log_ids: Vec<Arc<str>>,
    login_id: Arc<str>,
}

/// Id of the login-failure rate-limit policy.
pub const LOGIN_POLICY: &str = "ato-login-failures";

impl Decider {
    pub fn new(settings: &Decisions) -> Self {
        Decider {
            settings: settings.clone(),
            block_ids: Category::ALL
                .iter()
                .map(|c| Arc::from(format!("web-{c}")))
                .collect(),
            log_ids: Category::ALL
                .iter()
                .map(|c| Arc::from(format!("web-{c}-low-confidence")))
                .collect(),
            login_id: Arc::from(LOGIN_POLICY),
        }
    }

    /// First terminating rule wins: the login limit (the actor is already known to be
    /// guessing), then the most confident detection at or above the block threshold.
    pub fn decide(&self, signals: &[Signal], actor: &ActorSnapshot) -> Decision {
        let mode = self.settings.mode;
        if let Some(retry) = actor.login_limited {
            return Decision {
                action: Action::RateLimit {
                    retry_after_secs: retry.as_secs() + u64::from(retry.subsec_nanos() > 0),
                },
                mode,
                policy_id: Some(self.login_id.clone()),
                reason: "too many failed logins from this client".into(),
            };
        }
        let Some(top) = signals
            .iter()
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
        else {
            return Decision::allow();
        };
        let i = top.category.index();
        if top.confidence >= self.settings.block_confidence {
            Decision {
                action: Action::Block {
                    status: self.settings.block_status,
                },
                mode,
                policy_id: Some(self.block_ids[i].clone()),
                reason: format!("{} detected in {}", top.category, top.place),
            }
        } else {
            Decision {
                action: Action::Log,
                mode,
                policy_id: Some(self.log_ids[i].clone()),
                reason: format!("possible {} in {}", top.category, top.place),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_types::{Mode, Place, PlaceKind};

    fn sig(c: Category, confidence: f32) -> Signal {
        Signal {
            detector: "t",
            category: c,
            confidence,
            place: Place::new(PlaceKind::QueryValue, "q"),
            evidence: String::new(),
        }
    }

    fn settings(mode: Mode) -> Decisions {
        Decisions {
            mode,
            block_confidence: 0.7,
            block_status: 403,
        }
    }

    #[test]
    fn confident_signal_blocks_weak_one_logs_none_allows() {
        let d = Decider::new(&settings(Mode::Enforce));
        let snap = ActorSnapshot::default();
        let block = d.decide(&[sig(Category::Xss, 0.5), sig(Category::Sqli, 0.9)], &snap);
        assert_eq!(block.action, Action::Block { status: 403 });
        assert_eq!(block.policy_id.as_deref(), Some("web-sqli"));
        let log = d.decide(&[sig(Category::Xss, 0.5)], &snap);
        assert_eq!(log.action, Action::Log);
        assert_eq!(log.policy_id.as_deref(), Some("web-xss-low-confidence"));
        assert_eq!(d.decide(&[], &snap).action, Action::Allow);
    }

    #[test]
    fn login_limit_wins_and_rounds_retry_up() {
        let d = Decider::new(&settings(Mode::Enforce));
        let snap = ActorSnapshot {
            login_limited: Some(Duration::from_millis(1500)),
        };
        let dec = d.decide(&[sig(Category::Sqli, 0.9)], &snap);
        assert_eq!(
            dec.action,
            Action::RateLimit {
                retry_after_secs: 2
            }
        );
        assert_eq!(dec.policy_id.as_deref(), Some(LOGIN_POLICY));
    }

    #[test]
    fn monitor_mode_is_carried_on_the_decision() {
        let d = Decider::new(&settings(Mode::Monitor));
        let dec = d.decide(&[sig(Category::Sqli, 0.9)], &ActorSnapshot::default());
        assert_eq!(dec.mode, Mode::Monitor);
        assert_eq!(dec.effective_action(), Action::Log);
    }
}
