//! Responses Palisade writes itself. Every refusal — a block, a rate limit, a malformed
//! request, an upstream failure — is rendered here as an RFC 9457 problem+json body, so the
//! inline proxy and the decision service answer alike and no internal detail leaks.
#![forbid(unsafe_code)]

use bytes::Bytes;
use http::{header, HeaderValue, Response, StatusCode};
use palisade_types::{Action, Deception, Decision};
use serde::Serialize;

/// A refusal to render: status plus the human parts of a problem document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: StatusCode,
    /// Short, stable, the same for every instance of this kind of problem.
    pub title: &'static str,
    /// This instance: what happened, safe to show the client.
    pub detail: String,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            title,
            detail: detail.into(),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
    request_id: &'a str,
}

fn render(p: &Problem, policy: Option<&str>, request_id: &str) -> Response<Bytes> {
    let kind = match p.status.as_u16() {
        403 => "urn:palisade:problem:blocked",
        429 => "urn:palisade:problem:rate-limited",
        400..=499 => "urn:palisade:problem:bad-request",
        _ => "urn:palisade:problem:unavailable",
    };
    let body = Body {
        kind,
        title: p.title,
        status: p.status.as_u16(),
        detail: &p.detail,
        policy,
        request_id,
    };
    // Serializing a struct of strings and integers cannot fail.
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let mut resp = Response::new(Bytes::from(json));
    *resp.status_mut() = p.status;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    resp
}

/// The response for an error Palisade hit itself (malformed request, upstream down, …).
pub fn problem_response(p: &Problem, request_id: &str) -> Response<Bytes> {
    render(p, None, request_id)
}

/// The response for a terminating decision; `None` when the decision lets the request through.
pub fn decision_response(d: &Decision, request_id: &str) -> Option<Response<Bytes>> {
    let policy = d.policy_id.as_deref();
    match d.effective_action() {
        // A tarpit holds the request (the proxy does that), then lets it through.
        Action::Allow | Action::Log | Action::Tarpit { .. } => None,
        Action::Deceive { kind } => Some(deception(kind, request_id)),
        Action::Block { status } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
            let p = Problem::new(
                status,
                "Request blocked",
                "The request was refused by a security policy.",
            );
            Some(render(&p, policy, request_id))
        }
        Action::RateLimit { retry_after_secs } => {
            let p = Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                format!("Retry after {retry_after_secs} seconds."),
            );
            let mut resp = render(&p, policy, request_id);
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            Some(resp)
        }
    }
}

/// A plausible success that reveals nothing: shaped like a real answer, carrying values
/// derived from the request id so two answers never repeat, and without any Palisade header
/// or problem type that would tell the client it was caught.
fn deception(kind: Deception, request_id: &str) -> Response<Bytes> {
    let seed = fnv(request_id.as_bytes());
    let body = match kind {
        Deception::Login => {
            let b64 = |s: &[u8]| {
                base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, s)
            };
            let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
            let payload = b64(format!(
                r#"{{"sub":"{}","scope":"user"}}"#,
                seed % 900_000 + 100_000
            )
            .as_bytes());
            let sig = b64(&[
                seed.to_le_bytes(),
                fnv(&seed.to_be_bytes()).to_le_bytes(),
                (!seed).to_le_bytes(),
                seed.rotate_left(17).to_le_bytes(),
            ]
            .concat());
            serde_json::json!({
                "token": format!("{header}.{payload}.{sig}"),
                "token_type": "Bearer",
                "expires_in": 3600,
            })
        }
        Deception::EmptyList => serde_json::json!({ "items": [], "total": 0, "page": 1 }),
        Deception::Ok => serde_json::json!({ "status": "ok" }),
    };
    let mut resp = Response::new(Bytes::from(body.to_string()));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// FNV-1a: a stable spread of the request id into fake-but-varied values.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_types::Mode;
    use std::sync::Arc;

    fn decision(action: Action, mode: Mode) -> Decision {
        Decision {
            action,
            mode,
            policy_id: Some(Arc::from("web-sqli")),
            reason: "sqli detected in query:q".into(),
        }
    }

    #[test]
    fn deception_looks_like_a_real_login_success() {
        let d = decision(
            Action::Deceive {
                kind: Deception::Login,
            },
            Mode::Enforce,
        );
        let r = decision_response(&d, "req-1").expect("a response");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        let token = v["token"].as_str().unwrap();
        assert_eq!(token.split('.').count(), 3, "{token}");
        assert!(!String::from_utf8_lossy(r.body()).contains("palisade"));
        let other = decision_response(&d, "req-2").unwrap();
        assert_ne!(r.body(), other.body(), "answers differ per request");
        // In monitor mode a deception only logs.
        let m = decision(
            Action::Deceive {
                kind: Deception::Ok,
            },
            Mode::Monitor,
        );
        assert!(decision_response(&m, "r").is_none());
    }

    #[test]
    fn block_renders_problem_json_without_internal_reason() {
        let r = decision_response(
            &decision(Action::Block { status: 403 }, Mode::Enforce),
            "req-1",
        )
        .unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let v: serde_json::Value = serde_json::from_slice(r.body()).unwrap();
        assert_eq!(v["status"], 403);
        assert_eq!(v["policy"], "web-sqli");
        assert_eq!(v["request_id"], "req-1");
        // The reason names the parameter and the category: for the event log, not the client.
        assert!(!String::from_utf8_lossy(r.body()).contains("query:q"));
    }

    #[test]
    fn rate_limit_sets_retry_after_and_monitor_passes() {
        let r = decision_response(
            &decision(
                Action::RateLimit {
                    retry_after_secs: 7,
                },
                Mode::Enforce,
            ),
            "r",
        )
        .unwrap();
        assert_eq!(r.status(), 429);
        assert_eq!(r.headers()[header::RETRY_AFTER], "7");
        assert!(
            decision_response(&decision(Action::Block { status: 403 }, Mode::Monitor), "r")
                .is_none()
        );
        assert!(decision_response(&Decision::allow(), "r").is_none());
    }
}
