use http::StatusCode;
use palisade_actions::Problem;

/// Everything that can stop a request inside the proxy, by whose fault it is. The status
/// code follows from the variant; the client never sees internal detail.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The client sent something we will not forward (ambiguous framing, no host, …).
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    #[error("no route for this host and path")]
    NoRoute,
    #[error("request body over the inspection limit")]
    BodyTooLarge,
    #[error("request body not received in time")]
    BodyTimeout,
    #[error("client body error: {0}")]
    ClientBody(hyper::Error),
    #[error("upstream {upstream} unreachable: {detail}")]
    UpstreamConnect { upstream: String, detail: String },
    #[error("upstream {upstream} failed: {detail}")]
    Upstream { upstream: String, detail: String },
    #[error("upstream {upstream} did not answer in time")]
    UpstreamTimeout { upstream: String },
    #[error("upstream pool {0} has no servers")]
    NoServers(String),
    /// The engine failed on this request (a bug: a detector panicked). The request is not
    /// forwarded uninspected.
    #[error("inspection failed")]
    Inspection,
}

impl ProxyError {
    /// The client-facing problem for this error.
    pub fn problem(&self) -> Problem {
        match self {
            ProxyError::Malformed(why) => {
                Problem::new(StatusCode::BAD_REQUEST, "Malformed request", *why)
            }
            ProxyError::NoRoute => Problem::new(
                StatusCode::NOT_FOUND,
                "No route",
                "No upstream serves this host and path.",
            ),
            ProxyError::BodyTooLarge => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload too large",
                "The request body is larger than this endpoint accepts.",
            ),
            ProxyError::BodyTimeout => Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "Request timeout",
                "The request body was not received in time.",
            ),
            ProxyError::ClientBody(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "Malformed request",
                "The request body could not be read.",
            ),
            ProxyError::UpstreamConnect { .. }
            | ProxyError::Upstream { .. }
            | ProxyError::NoServers(_) => Problem::new(
                StatusCode::BAD_GATEWAY,
                "Bad gateway",
                "The service behind this endpoint is unavailable.",
            ),
            ProxyError::UpstreamTimeout { .. } => Problem::new(
                StatusCode::GATEWAY_TIMEOUT,
                "Gateway timeout",
                "The service behind this endpoint did not answer in time.",
            ),
            ProxyError::Inspection => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Inspection failed",
                "The request could not be inspected, so it was not forwarded.",
            ),
        }
    }

    /// Did the client cause it? (Client faults are logged at debug, ours at warn.)
    pub fn is_client_fault(&self) -> bool {
        matches!(
            self,
            ProxyError::Malformed(_)
                | ProxyError::NoRoute
                | ProxyError::BodyTooLarge
                | ProxyError::BodyTimeout
                | ProxyError::ClientBody(_)
        )
    }
}
