use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Whether a matched decision is carried out or only recorded as "would have".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Enforce,
    Monitor,
}

/// What to do with a request. Later issues add tarpit, deceive, geo-fence and friends here;
/// every consumer matches exhaustively so a new action cannot be forgotten silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    Allow,
    /// Forward, but record an event.
    Log,
    /// Refuse with this status and a problem+json body.
    Block {
        status: u16,
    },
    /// Refuse with 429 and `Retry-After`.
    RateLimit {
        retry_after_secs: u64,
    },
    /// Hold the request this long (bounded concurrency), then forward it.
    Tarpit {
        delay_ms: u64,
    },
    /// Answer a plausible fake success; nothing reaches the upstream.
    Deceive {
        kind: Deception,
    },
}

/// The shape of a deceptive answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deception {
    /// A fake login success with a fake token.
    Login,
    /// An empty page of results.
    EmptyList,
    /// A plain `{"status":"ok"}` success.
    Ok,
}

impl Action {
    /// Stable label for metrics and events.
    pub const fn label(&self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Log => "log",
            Action::Block { .. } => "block",
            Action::RateLimit { .. } => "rate_limit",
            Action::Tarpit { .. } => "tarpit",
            Action::Deceive { .. } => "deceive",
        }
    }

    /// Labels of every action kind, in metrics order.
    pub const LABELS: [&'static str; 6] =
        ["allow", "log", "block", "rate_limit", "tarpit", "deceive"];

    /// Index of [`Action::label`] in [`Action::LABELS`].
    pub const fn index(&self) -> usize {
        match self {
            Action::Allow => 0,
            Action::Log => 1,
            Action::Block { .. } => 2,
            Action::RateLimit { .. } => 3,
            Action::Tarpit { .. } => 4,
            Action::Deceive { .. } => 5,
        }
    }

    /// Does this action stop the request before the upstream?
    pub const fn is_terminating(&self) -> bool {
        matches!(
            self,
            Action::Block { .. } | Action::RateLimit { .. } | Action::Deceive { .. }
        )
    }
}

/// The engine's verdict on one request.
#[derive(Clone, Debug, Serialize)]
pub struct Decision {
    pub action: Action,
    pub mode: Mode,
    /// The policy that decided, if any did.
    pub policy_id: Option<Arc<str>>,
    /// One human sentence: why.
    pub reason: String,
}

impl Decision {
    pub fn allow() -> Self {
        Decision {
            action: Action::Allow,
            mode: Mode::Enforce,
            policy_id: None,
            reason: String::new(),
        }
    }

    /// The action actually carried out: a monitor-mode decision only logs.
    pub fn effective_action(&self) -> Action {
        match (self.mode, &self.action) {
            (Mode::Monitor, Action::Allow) => Action::Allow,
            (Mode::Monitor, _) => Action::Log,
            (Mode::Enforce, a) => a.clone(),
        }
    }

    /// Worth an event: anything but a plain allow.
    pub fn is_notable(&self) -> bool {
        self.action != Action::Allow
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monitor_mode_only_logs() {
        let d = Decision {
            action: Action::Block { status: 403 },
            mode: Mode::Monitor,
            policy_id: None,
            reason: String::new(),
        };
        assert_eq!(d.effective_action(), Action::Log);
        assert!(d.is_notable());
        assert!(!Decision::allow().is_notable());
    }

    #[test]
    fn labels_match_indexes() {
        for a in [
            Action::Allow,
            Action::Log,
            Action::Block { status: 403 },
            Action::RateLimit {
                retry_after_secs: 1,
            },
            Action::Tarpit { delay_ms: 5 },
            Action::Deceive {
                kind: Deception::Login,
            },
        ] {
            assert_eq!(Action::LABELS[a.index()], a.label());
        }
    }
}
