//! The request pipeline, phase by phase:
//!
//! 1. parse — strict framing checks, host, route
//! 2. buffer — read the body up to the inspection limit (oversize policy beyond it)
//! 3. engine — normalize → detect → score actors → decide (one call, no I/O)
//! 4. act — a terminating decision answers here; nothing reaches the upstream
//! 5. forward — hop-by-hop headers out, X-Forwarded-* in, round-robin server, timeout
//! 6. response — the engine observes status/headers (and the body when the route asks)
//! 7. record — notable decisions become events on the bounded queue
//!
//! Errors become responses only in [`respond_error`].

use crate::body::ProxyBody;
use crate::error::ProxyError;
use crate::forward;
use crate::record;
use crate::runtime::{Runtime, Shared};
use crate::upstream::SendError;
use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderValue};
use http::{Request, Response, Version};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use palisade_config::OversizeBody;
use palisade_engine::Verdict;
use palisade_types::{RequestView, ResponseView, TlsInfo};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

/// What the connection knows that every request on it shares.
pub struct ConnInfo {
    pub peer: SocketAddr,
    pub tls: Option<Arc<TlsInfo>>,
}

pub async fn handle(
    shared: Arc<Shared>,
    conn: Arc<ConnInfo>,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, Infallible> {
    let start = Instant::now();
    shared.metrics.requests.fetch_add(1, Relaxed);
    let rt = shared.current();
    let resp = match pipeline(&shared, &rt, &conn, req).await {
        Ok(r) => r,
        Err(e) => respond_error(&shared, &e),
    };
    shared.metrics.request_latency.observe(start.elapsed());
    Ok(resp)
}

/// The one place errors become responses.
fn respond_error(shared: &Shared, e: &ProxyError) -> Response<ProxyBody> {
    match e {
        ProxyError::UpstreamTimeout { .. } => {
            shared.metrics.upstream_timeouts.fetch_add(1, Relaxed)
        }
        ProxyError::UpstreamConnect { .. }
        | ProxyError::Upstream { .. }
        | ProxyError::NoServers(_) => shared.metrics.upstream_errors.fetch_add(1, Relaxed),
        _ => shared.metrics.rejected_malformed.fetch_add(1, Relaxed),
    };
    if e.is_client_fault() {
        tracing::debug!(error = %e, "request refused");
    } else {
        tracing::warn!(error = %e, "request failed");
    }
    let id = record::request_id();
    palisade_actions::problem_response(&e.problem(), &id).map(ProxyBody::full)
}

/// Host without port, lower-cased: from the URI (HTTP/2, absolute-form) or the Host header.
fn host_of(req: &Request<Incoming>) -> Result<String, ProxyError> {
    if let Some(a) = req.uri().authority() {
        return Ok(a.host().to_ascii_lowercase());
    }
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Err(ProxyError::Malformed("more than one Host header"));
    }
    match host.and_then(|h| h.to_str().ok()) {
        Some(h) => {
            let h = h.trim();
            let name = match h.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default(),
                None => h.rsplit_once(':').map_or(h, |(name, _)| name),
            };
            Ok(name.to_ascii_lowercase())
        }
        None if req.version() == Version::HTTP_10 => Ok(String::new()),
        None => Err(ProxyError::Malformed("missing Host header")),
    }
}

async fn pipeline(
    shared: &Shared,
    rt: &Runtime,
    conn: &ConnInfo,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, ProxyError> {
    let cfg = &rt.config;
    // 1. parse: framing hyper let through but we will not forward ambiguously.
    if req.headers().get_all(header::CONTENT_LENGTH).iter().count() > 1 {
        return Err(ProxyError::Malformed("more than one Content-Length header"));
    }
    let host = host_of(&req)?;
    let route = rt
        .route(&host, req.uri().path())
        .ok_or(ProxyError::NoRoute)?
        .clone();
    let pool = rt
        .upstreams
        .get(route.upstream)
        .ok_or_else(|| ProxyError::NoServers(route.name.to_string()))?;
    let inspect = route.inspect && rt.engine.enabled();
    let (mut parts, body) = req.into_parts();
    let client_ip =
        palisade_engine::client_ip(conn.peer.ip(), &parts.headers, &cfg.server.trusted_proxies);

    let mut verdict: Option<Verdict> = None;
    let upstream_body = if inspect {
        // 2. buffer
        let (inspected, truncated, forward_body) =
            buffer_body(shared, rt, &parts.headers, body).await?;
        let mut v = RequestView {
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            host: host.clone(),
            // Moved in for inspection and moved back out below: no copy of the headers.
            headers: std::mem::take(&mut parts.headers),
            body: inspected,
            body_truncated: truncated,
            client_ip,
            tls: conn.tls.clone(),
            route: Some(route.name.clone()),
            id: record::request_id(),
        };
        // 3. engine
        let t = Instant::now();
        // A panic in a detector is a bug; it must cost this request, not the connection's
        // task or the process, and it must not let the request through uninspected.
        let verdict_now = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rt.engine.inspect(&v, shared.engine.clock.now())
        })) {
            Ok(verdict) => verdict,
            Err(_) => {
                shared.metrics.engine_panics.fetch_add(1, Relaxed);
                tracing::error!(request_id = %v.id, path = %v.path, "the engine panicked on a request; refused with 500");
                return Err(ProxyError::Inspection);
            }
        };
        shared.metrics.engine_latency.observe(t.elapsed());
        for s in &verdict_now.signals {
            shared.metrics.record_detection(s.category);
        }
        let action = verdict_now.decision.effective_action();
        shared.metrics.record_decision(&action);
        if verdict_now.decision.mode == palisade_types::Mode::Monitor
            && verdict_now.decision.action.is_terminating()
        {
            shared.metrics.would_have.fetch_add(1, Relaxed);
        }
        // 4. act
        let id = v.id.clone();
        if let Some(resp) = palisade_actions::decision_response(&verdict_now.decision, &id) {
            record::event(shared, &v, &verdict_now, Some(resp.status().as_u16()), &id);
            return Ok(resp.map(ProxyBody::full));
        }
        if verdict_now.decision.is_notable() {
            record::event(shared, &v, &verdict_now, None, &id);
        }
        if let palisade_types::Action::Tarpit { delay_ms } = action {
            // Bounded: a tarpit holds at most `tarpit.max_concurrent` requests at once, so an
            // attacker cannot use it to tie up the proxy; over the bound, refuse at once.
            let Some(_held) = shared.tarpit.enter(cfg.tarpit.max_concurrent) else {
                shared.metrics.tarpit_overflow.fetch_add(1, Relaxed);
                let d = palisade_types::Decision {
                    action: palisade_types::Action::RateLimit {
                        retry_after_secs: delay_ms.div_ceil(1000).max(1),
                    },
                    ..verdict_now.decision.clone()
                };
                if let Some(resp) = palisade_actions::decision_response(&d, &id) {
                    return Ok(resp.map(ProxyBody::full));
                }
                unreachable!("a rate-limit decision always has a response");
            };
            tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        }
        parts.headers = std::mem::take(&mut v.headers);
        for (name, value) in &verdict_now.tags {
            if let (Ok(n), Ok(val)) = (
                http::HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                parts.headers.append(n, val);
            }
        }
        verdict = Some(verdict_now);
        forward_body
    } else {
        shared
            .metrics
            .record_decision(&palisade_types::Action::Allow);
        ProxyBody::stream(body)
    };

    // 5. forward
    let (server_index, server) = pool
        .pick()
        .ok_or_else(|| ProxyError::NoServers(pool.name.to_string()))?;
    forward::strip_hop_by_hop(&mut parts.headers);
    if cfg.server.forwarded_headers {
        forward::add_forwarded(
            &mut parts.headers,
            conn.peer.ip(),
            conn.tls.is_some(),
            &host,
        );
    }
    if parts.version == Version::HTTP_2 && !parts.headers.contains_key(header::HOST) {
        // HTTP/2 carries the host in :authority; an HTTP/1.1 upstream needs a Host header.
        if let Some(a) = parts.uri.authority() {
            if let Ok(v) = HeaderValue::from_str(a.as_str()) {
                parts.headers.insert(header::HOST, v);
            }
        }
    }
    if pool.http2 {
        parts.uri = forward::upstream_uri(server, parts.uri.path_and_query())
            .map_err(|_| ProxyError::Malformed("invalid request target"))?;
        parts.version = Version::HTTP_2;
    } else {
        // HTTP/1.1 upstreams get the origin form: path and query only.
        if parts.uri.scheme().is_some() || parts.uri.authority().is_some() {
            let pq = parts
                .uri
                .path_and_query()
                .cloned()
                .unwrap_or_else(|| http::uri::PathAndQuery::from_static("/"));
            parts.uri = http::Uri::from(pq);
        }
        parts.version = Version::HTTP_11;
    }
    let upstream_req = Request::from_parts(parts, upstream_body);
    let t = Instant::now();
    let sent = tokio::time::timeout(
        cfg.server.timeouts.upstream_response,
        pool.connections.send(server_index, server, upstream_req),
    )
    .await;
    shared.metrics.upstream_latency.observe(t.elapsed());
    let upstream = || pool.name.to_string();
    let (resp, loan) = match sent {
        Err(_) => {
            return Err(ProxyError::UpstreamTimeout {
                upstream: upstream(),
            })
        }
        Ok(Err(SendError::Connect(detail))) => {
            return Err(ProxyError::UpstreamConnect {
                upstream: upstream(),
                detail,
            })
        }
        Ok(Err(SendError::Request(e))) => {
            return Err(ProxyError::Upstream {
                upstream: upstream(),
                detail: e.to_string(),
            })
        }
        Ok(Ok(r)) => r,
    };

    // 6. response
    let (mut rparts, rbody) = resp.into_parts();
    forward::strip_hop_by_hop(&mut rparts.headers);
    let mut out_body = ProxyBody::upstream(rbody, loan);
    if let Some(v) = &verdict {
        // Bodies are scanned for sensitive data when they are text a person or program
        // reads (JSON, text, XML); images and downloads stream through untouched.
        let wants_body = route.inspect_response_body
            && rparts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| {
                    let ct = ct.to_ascii_lowercase();
                    ct.contains("json") || ct.starts_with("text/") || ct.contains("xml")
                });
        {
            let mut body = None;
            if wants_body {
                let (b, rest) = buffer_response(out_body, cfg.inspection.max_response_body).await?;
                body = Some(b.clone());
                out_body = match rest {
                    None => ProxyBody::full(b),
                    Some(rest) => ProxyBody::Chain {
                        prefix: Some(b),
                        rest: Box::new(rest),
                    },
                };
            }
            let rv = ResponseView {
                status: rparts.status,
                headers: rparts.headers.clone(),
                body,
            };
            rt.engine
                .observe_response(v, &rv, shared.engine.clock.now());
        }
    }
    Ok(Response::from_parts(rparts, out_body))
}

/// Reads the request body for inspection. Returns (inspected bytes, truncated?, body to forward).
async fn buffer_body(
    shared: &Shared,
    rt: &Runtime,
    headers: &http::HeaderMap,
    mut body: Incoming,
) -> Result<(Bytes, bool, ProxyBody), ProxyError> {
    let insp = &rt.config.inspection;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if http_body::Body::is_end_stream(&body) {
        return Ok((Bytes::new(), false, ProxyBody::empty()));
    }
    if declared.is_some_and(|n| n > insp.max_body as u64) {
        return match insp.oversize_body {
            OversizeBody::Reject => Err(ProxyError::BodyTooLarge),
            OversizeBody::ForwardUninspected => {
                shared.metrics.bodies_uninspected.fetch_add(1, Relaxed);
                Ok((Bytes::new(), true, ProxyBody::stream(body)))
            }
        };
    }
    let deadline = rt.config.server.timeouts.body_read;
    let mut buf = BytesMut::with_capacity(declared.map_or(8 * 1024, |n| n as usize));
    let read = tokio::time::timeout(deadline, async {
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(ProxyError::ClientBody)?;
            if let Ok(data) = frame.into_data() {
                buf.extend_from_slice(&data);
                if buf.len() > insp.max_body {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    })
    .await
    .map_err(|_| ProxyError::BodyTimeout)?;
    let over = read?;
    if !over {
        let b = buf.freeze();
        return Ok((b.clone(), false, ProxyBody::full(b)));
    }
    match insp.oversize_body {
        OversizeBody::Reject => Err(ProxyError::BodyTooLarge),
        OversizeBody::ForwardUninspected => {
            shared.metrics.bodies_uninspected.fetch_add(1, Relaxed);
            let all = buf.freeze();
            let inspected = all.slice(..insp.max_body.min(all.len()));
            Ok((
                inspected,
                true,
                ProxyBody::Stream {
                    prefix: Some(all),
                    rest: body,
                },
            ))
        }
    }
}

/// Buffers up to `limit` bytes of a response body; returns them and the unread rest, if any.
async fn buffer_response(
    mut body: ProxyBody,
    limit: usize,
) -> Result<(Bytes, Option<ProxyBody>), ProxyError> {
    let mut buf = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| ProxyError::Upstream {
            upstream: String::new(),
            detail: e.to_string(),
        })?;
        if let Ok(data) = frame.into_data() {
            buf.extend_from_slice(&data);
            if buf.len() >= limit {
                return Ok((buf.freeze(), Some(body)));
            }
        }
    }
    Ok((buf.freeze(), None))
}
