use palisade_types::{Category, Mode, Signal};
use serde::{Deserialize, Serialize};

/// One recorded decision. Version 1 of the schema: fields are only ever added.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Time-ordered, unique within a store; 0 until the store assigns it.
    #[serde(default)]
    pub id: u64,
    /// Milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// RFC 3339, for people and log shippers.
    pub time: String,
    pub request_id: String,
    pub request: RequestSummary,
    /// Actor keys, e.g. `ip:203.0.113.7`.
    pub actors: Vec<String>,
    pub signals: Vec<SignalRecord>,
    pub policy_id: Option<String>,
    /// What the policy asked for.
    pub action: String,
    /// What was done: equal to `action` in enforce mode, `log` in monitor mode.
    pub effective_action: String,
    pub mode: Mode,
    pub reason: String,
}

/// The request, with values masked: parameter names are kept, values are not.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequestSummary {
    pub method: String,
    pub host: String,
    pub path: String,
    pub query: Option<String>,
    pub client_ip: String,
    pub route: Option<String>,
    pub user_agent: Option<String>,
    /// Status sent to the client, when known at record time.
    pub status: Option<u16>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SignalRecord {
    pub detector: String,
    pub category: Category,
    pub confidence: f32,
    pub place: String,
    /// Masked evidence snippet.
    pub evidence: String,
    /// Why the detector judged so; absent in events recorded before it was kept.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl From<&Signal> for SignalRecord {
    fn from(s: &Signal) -> Self {
        SignalRecord {
            detector: s.detector.to_string(),
            category: s.category,
            confidence: s.confidence,
            place: s.place.to_string(),
            evidence: s.evidence.clone(),
            reason: s.reason.to_string(),
        }
    }
}

impl Event {
    /// Does the event match a category filter?
    pub fn has_category(&self, c: Category) -> bool {
        self.signals.iter().any(|s| s.category == c)
    }
}

/// Keeps parameter names, replaces every value with `***`: events must not carry tokens,
/// passwords or personal data from query strings.
pub fn mask_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if !v.is_empty() => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_masked_names_kept() {
        assert_eq!(mask_query("q=secret&page=2&flag"), "q=***&page=***&flag");
        assert_eq!(mask_query("a="), "a=");
    }
}
