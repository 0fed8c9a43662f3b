//! The admin API, on its own listener (default `127.0.0.1:9090`). Every endpoint but
//! `/healthz` needs `Authorization: Bearer <token>`. The dashboard (a later issue) is served
//! from here and uses only these documented endpoints.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /healthz` | liveness, no token |
//! | `GET /readyz` | 200 once the proxy listens and the event writer runs |
//! | `GET /metrics` | Prometheus text format |
//! | `GET /api/events?limit=&since=&category=` | newest first; `since` is ms since the epoch, RFC 3339, or a duration back from now (`15m`) |
//! | `POST /api/config/reload` | re-read the config file; 422 with every error if it is refused |
//! | `GET /api/policies` | loaded policies: id, category, mode, action, hits, source |
//! | `POST /api/policies/{id}/mode` | `{"mode": "monitor" \| "enforce" \| null}`: switch at run time (`null` returns to the file's mode) |
//! | `GET /api/lists` | lists with their kind, file entries and run-time entries |
//! | `POST /api/lists/{name}` | `{"value": "203.0.113.0/24", "ttl": "1h"}`: add an entry (ttl optional) |
//! | `DELETE /api/lists/{name}/{value}` | remove a run-time entry |
//! | `GET /api/actors/blocked` | actors blocked or deceived now, with expiry and who set it |
//! | `POST /api/actors/{key}/block` | `{"duration": "15m"}`: block an actor (`ip:ADDR` or `fp:FINGERPRINT`) |
//! | `DELETE /api/actors/{key}/block` | unblock it (also ends a deception) |
#![forbid(unsafe_code)]

pub mod stats;
mod ui;

use axum::extract::Path;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use palisade_actors::{ActorDetail, ActorKey, ActorSummary, EndpointInfo, Level, MarkKind, Marks};
use palisade_config::ConfigErrors;
use palisade_events::{EventQuery, StoreReader};
use palisade_metrics::Metrics;
use palisade_policy::expr::ListKind;
use palisade_policy::{PolicyInfo, PolicyShared};
use palisade_types::{Category, Mode};
use serde::Deserialize;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Reloads the configuration; returns every error when the new one is refused.
pub type ReloadFn = Arc<dyn Fn() -> Result<(), ConfigErrors> + Send + Sync>;

/// What the admin API reads and drives.
#[derive(Clone)]
pub struct AdminState {
    pub token: Arc<str>,
    pub metrics: Arc<Metrics>,
    pub events: Option<StoreReader>,
    pub reload: ReloadFn,
    pub ready: Arc<AtomicBool>,
    pub control: Arc<dyn Control>,
    /// Sampled totals for the dashboard's charts (`Stats::run` fills it).
    pub stats: Arc<stats::Stats>,
}

/// A one-click exception: allow what one event's policy refused, scoped to its method,
/// endpoint and detector.
#[derive(Debug, Clone, Deserialize)]
pub struct ExceptionSpec {
    pub policy: String,
    pub method: String,
    pub path: String,
    /// The signal's detector (`sqli`, `xss`, …); absent: the whole policy on that endpoint.
    pub detector: Option<String>,
    pub event_id: Option<u64>,
}

/// The running configuration's policies and lists, as the admin API sees them. The proxy
/// implements it over its current runtime, so answers follow reloads.
pub trait Control: Send + Sync {
    fn policies(&self) -> Vec<PolicyInfo>;
    /// (name, kind, entries from config and files).
    fn lists(&self) -> Vec<(Arc<str>, ListKind, usize)>;
    fn policy_shared(&self) -> Arc<PolicyShared>;
    fn marks(&self) -> Arc<Marks>;
    /// Actors at `min` level or above, highest threat first.
    fn actors(&self, min: Level, limit: usize) -> Vec<ActorSummary>;
    /// One actor with its evidence trail.
    fn actor(&self, key: &ActorKey) -> Option<ActorDetail>;
    /// Endpoints seen in traffic (the API inventory).
    fn endpoints(&self) -> Vec<EndpointInfo>;
    /// Writes an allow policy for `spec` to the policy directory and reloads; returns the
    /// new policy's id and file.
    fn add_exception(&self, spec: &ExceptionSpec)
        -> Result<(String, String), (StatusCode, String)>;
}

/// Largest page `/api/events` returns.
const MAX_LIMIT: usize = 1000;

pub fn router(state: AdminState) -> Router {
    let protected = Router::new()
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/events", get(events))
        .route("/api/config/reload", post(reload))
        .route("/api/policies", get(policies))
        .route("/api/policies/{id}/mode", post(policy_mode))
        .route("/api/lists", get(lists))
        .route("/api/lists/{name}", post(list_add))
        .route(
            "/api/lists/{name}/{value}",
            axum::routing::delete(list_remove),
        )
        .route("/api/stats", get(stats_series))
        .route("/api/policies/history", get(policy_history))
        .route("/api/exceptions", post(exception))
        .route("/api/actors", get(actors))
        .route("/api/actors/{key}", get(actor))
        .route("/api/endpoints", get(endpoints))
        .route("/api/actors/blocked", get(actors_blocked))
        .route(
            "/api/actors/{key}/block",
            post(actor_block).delete(actor_unblock),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), auth));
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/", get(|| async { axum::response::Redirect::to("/ui/") }))
        .route(
            "/ui",
            get(|| async { axum::response::Redirect::to("/ui/") }),
        )
        .route("/ui/", get(|| ui::asset("index.html")))
        .route(
            "/ui/{file}",
            get(|Path(f): Path<String>| ui::asset_owned(f)),
        )
        .merge(protected)
        .fallback(|| async {
            problem(
                StatusCode::NOT_FOUND,
                "Not found",
                "No such admin endpoint.",
            )
        })
        .with_state(state)
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body =
        json!({"type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail});
    let mut r = (status, Json(body)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

/// Compares in time independent of where the first difference is.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn auth(State(s): State<AdminState>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match presented {
        Some(t) if same(t.trim().as_bytes(), s.token.as_bytes()) => next.run(req).await,
        _ => {
            let mut r = problem(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Send the admin token as 'Authorization: Bearer <token>'.",
            );
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"palisade-admin\""),
            );
            r
        }
    }
}

async fn readyz(State(s): State<AdminState>) -> Response {
    if s.ready.load(Ordering::Acquire) {
        "ready\n".into_response()
    } else {
        problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "Not ready",
            "Palisade is starting or stopping.",
        )
    }
}

async fn metrics(State(s): State<AdminState>) -> Response {
    let mut r = s.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

#[derive(Deserialize)]
struct EventsParams {
    limit: Option<usize>,
    since: Option<String>,
    category: Option<String>,
}

/// `since`: milliseconds since the epoch, an RFC 3339 time, or a duration back from now.
fn parse_since(text: &str, now: SystemTime) -> Option<u64> {
    if let Ok(ms) = text.parse::<u64>() {
        return Some(ms);
    }
    let t = humantime::parse_rfc3339_weak(text).ok().or_else(|| {
        humantime::parse_duration(text)
            .ok()
            .and_then(|d: Duration| now.checked_sub(d))
    })?;
    t.duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_millis() as u64)
}

async fn events(State(s): State<AdminState>, Query(p): Query<EventsParams>) -> Response {
    let Some(reader) = s.events else {
        return problem(
            StatusCode::NOT_FOUND,
            "No event store",
            "The embedded event store is turned off (events.store.path: none).",
        );
    };
    let category = match p.category.as_deref() {
        None | Some("") => None,
        Some(c) => match Category::parse(c) {
            Some(c) => Some(c),
            None => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Bad category",
                    &format!("Unknown category {c:?}."),
                )
            }
        },
    };
    let since_ms = match p.since.as_deref() {
        None | Some("") => None,
        Some(t) => match parse_since(t, SystemTime::now()) {
            Some(ms) => Some(ms),
            None => return problem(
                StatusCode::BAD_REQUEST,
                "Bad since",
                "Use milliseconds since the epoch, an RFC 3339 time, or a duration such as 15m.",
            ),
        },
    };
    let q = EventQuery {
        limit: p.limit.unwrap_or(100).min(MAX_LIMIT),
        since_ms,
        category,
    };
    // The store read is blocking I/O: keep it off the async workers.
    match tokio::task::spawn_blocking(move || reader.query(&q)).await {
        Ok(Ok(list)) => Json(json!({"count": list.len(), "events": list})).into_response(),
        Ok(Err(e)) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Event store error",
            &e.to_string(),
        ),
        Err(_) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Event store error",
            "The query task failed.",
        ),
    }
}

async fn reload(State(s): State<AdminState>) -> Response {
    let f = s.reload.clone();
    match tokio::task::spawn_blocking(move || f()).await {
        Ok(Ok(())) => Json(json!({"reloaded": true})).into_response(),
        Ok(Err(errors)) => {
            let list: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
            let mut r = (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"reloaded": false, "errors": list})),
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        Err(_) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Reload failed",
            "The reload task failed.",
        ),
    }
}

async fn policies(State(s): State<AdminState>) -> Response {
    let list = s.control.policies();
    Json(json!({"count": list.len(), "policies": list})).into_response()
}

#[derive(Deserialize)]
struct ModeBody {
    mode: Option<Mode>,
}

async fn policy_mode(
    State(s): State<AdminState>,
    Path(id): Path<String>,
    body: Option<Json<ModeBody>>,
) -> Response {
    let Some(Json(body)) = body else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad body",
            "Send {\"mode\": \"monitor\"}, {\"mode\": \"enforce\"} or {\"mode\": null}.",
        );
    };
    if !s.control.policies().iter().any(|p| *p.id == *id) {
        return problem(
            StatusCode::NOT_FOUND,
            "No such policy",
            &format!("No loaded policy has the id {id:?}."),
        );
    }
    s.control.policy_shared().set_mode(&id, body.mode);
    tracing::info!(policy = %id, mode = ?body.mode, "policy mode switched through the admin API");
    let now = s.control.policies().into_iter().find(|p| *p.id == *id);
    Json(json!({"policy": now})).into_response()
}

async fn lists(State(s): State<AdminState>) -> Response {
    let shared = s.control.policy_shared();
    let out: Vec<serde_json::Value> = s
        .control
        .lists()
        .into_iter()
        .map(|(name, kind, entries)| {
            json!({
                "name": &*name,
                "kind": if kind == ListKind::Ip { "ip" } else { "string" },
                "entries": entries,
                "runtime_entries": shared.lists.entries(&name),
            })
        })
        .collect();
    Json(json!({"lists": out})).into_response()
}

#[derive(Deserialize)]
struct ListBody {
    value: String,
    ttl: Option<String>,
}

fn list_kind(s: &AdminState, name: &str) -> Option<ListKind> {
    s.control
        .lists()
        .into_iter()
        .find(|(n, ..)| &**n == name)
        .map(|(_, k, _)| k)
}

async fn list_add(
    State(s): State<AdminState>,
    Path(name): Path<String>,
    body: Option<Json<ListBody>>,
) -> Response {
    let Some(kind) = list_kind(&s, &name) else {
        return problem(
            StatusCode::NOT_FOUND,
            "No such list",
            &format!("No list is named {name:?}; declare it under `lists:`."),
        );
    };
    let Some(Json(body)) = body else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad body",
            "Send {\"value\": \"...\", \"ttl\": \"1h\"}.",
        );
    };
    let ttl = match body
        .ttl
        .as_deref()
        .map(humantime::parse_duration)
        .transpose()
    {
        Ok(t) => t,
        Err(_) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Bad ttl",
                "Use a duration such as 15m, 1h or 7d.",
            )
        }
    };
    match s.control.policy_shared().lists.add(&name, body.value.trim(), kind, ttl) {
        Ok(()) => (StatusCode::CREATED, Json(json!({"list": name, "value": body.value.trim(), "ttl_secs": ttl.map(|t| t.as_secs())}))).into_response(),
        Err(e) => problem(StatusCode::BAD_REQUEST, "Bad value", &e),
    }
}

async fn list_remove(
    State(s): State<AdminState>,
    Path((name, value)): Path<(String, String)>,
) -> Response {
    if list_kind(&s, &name).is_none() {
        return problem(
            StatusCode::NOT_FOUND,
            "No such list",
            &format!("No list is named {name:?}."),
        );
    }
    if s.control.policy_shared().lists.remove(&name, &value) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(
            StatusCode::NOT_FOUND,
            "No such entry",
            "Only entries added at run time can be removed here; file entries live in their file.",
        )
    }
}

#[derive(Deserialize)]
struct StatsQuery {
    window: Option<String>,
}

/// `GET /api/stats?window=15m|1h|24h|7d`: requests, mitigations by action and detections
/// by category, per bucket.
async fn stats_series(State(s): State<AdminState>, Query(q): Query<StatsQuery>) -> Response {
    let w = q.window.unwrap_or_else(|| "1h".into());
    match s.stats.series(&w, &s.metrics) {
        Some(series) => Json(series).into_response(),
        None => problem(
            StatusCode::BAD_REQUEST,
            "Bad window",
            "window is one of 15m, 1h, 24h, 7d.",
        ),
    }
}

/// `GET /api/policies/history?window=`: hits per bucket of each policy that hit.
async fn policy_history(State(s): State<AdminState>, Query(q): Query<StatsQuery>) -> Response {
    let w = q.window.unwrap_or_else(|| "1h".into());
    match s.stats.policy_history(&w, &s.metrics, &*s.control) {
        Some(v) => Json(v).into_response(),
        None => problem(
            StatusCode::BAD_REQUEST,
            "Bad window",
            "window is one of 15m, 1h, 24h, 7d.",
        ),
    }
}

/// `POST /api/exceptions`: a scoped allow policy from an event, written to the policy
/// directory so it survives restarts, and loaded at once.
async fn exception(State(s): State<AdminState>, body: Option<Json<ExceptionSpec>>) -> Response {
    let Some(Json(spec)) = body else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad exception",
            "Send JSON {policy, method, path, detector?, event_id?}.",
        );
    };
    let control = s.control.clone();
    match tokio::task::spawn_blocking(move || control.add_exception(&spec)).await {
        Ok(Ok((id, file))) => {
            tracing::info!(policy = %id, file = %file, "exception added through the admin API");
            (StatusCode::CREATED, Json(json!({"id": id, "file": file}))).into_response()
        }
        Ok(Err((status, msg))) => problem(status, "Exception refused", &msg),
        Err(e) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Exception failed",
            &e.to_string(),
        ),
    }
}

#[derive(Deserialize)]
struct ActorsQuery {
    level: Option<String>,
    limit: Option<usize>,
}

/// `GET /api/actors?level=high&limit=50`: actors at that level or above, highest first.
async fn actors(State(s): State<AdminState>, Query(q): Query<ActorsQuery>) -> Response {
    let min = match q.level.as_deref() {
        None | Some("") => Level::None,
        Some(l) => match Level::parse(l) {
            Some(l) => l,
            None => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Bad level",
                    "level is one of none, low, medium, high, critical.",
                )
            }
        },
    };
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let list = s.control.actors(min, limit);
    Json(json!({"count": list.len(), "actors": list})).into_response()
}

/// `GET /api/actors/{key}`: one actor, its linked keys and its evidence trail.
async fn actor(State(s): State<AdminState>, Path(key): Path<String>) -> Response {
    let actor: ActorKey = match key.parse() {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "Bad actor key", &e),
    };
    match s.control.actor(&actor) {
        Some(d) => Json(d).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "Unknown actor",
            &format!("Palisade holds no record of {actor}."),
        ),
    }
}

/// `GET /api/endpoints`: endpoints seen in traffic, busiest first.
async fn endpoints(State(s): State<AdminState>) -> Response {
    let list = s.control.endpoints();
    Json(json!({"count": list.len(), "endpoints": list})).into_response()
}

async fn actors_blocked(State(s): State<AdminState>) -> Response {
    let marks = s.control.marks().list(std::time::Instant::now());
    Json(json!({"count": marks.len(), "actors": marks})).into_response()
}

#[derive(Deserialize)]
struct BlockBody {
    duration: Option<String>,
}

async fn actor_block(
    State(s): State<AdminState>,
    Path(key): Path<String>,
    body: Option<Json<BlockBody>>,
) -> Response {
    let actor: ActorKey = match key.parse() {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "Bad actor key", &e),
    };
    let text = body
        .and_then(|Json(b)| b.duration)
        .unwrap_or_else(|| "1h".into());
    let Ok(d) = humantime::parse_duration(&text) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Bad duration",
            "Use a duration such as 15m, 1h or 7d.",
        );
    };
    s.control.marks().set(
        &actor,
        MarkKind::Blocked,
        d,
        "admin",
        std::time::Instant::now(),
    );
    tracing::info!(actor = %actor, duration = %text, "actor blocked through the admin API");
    (
        StatusCode::CREATED,
        Json(json!({"actor": actor.to_string(), "blocked_secs": d.as_secs()})),
    )
        .into_response()
}

async fn actor_unblock(State(s): State<AdminState>, Path(key): Path<String>) -> Response {
    let actor: ActorKey = match key.parse() {
        Ok(a) => a,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "Bad actor key", &e),
    };
    let marks = s.control.marks();
    let a = marks.clear(&actor, MarkKind::Blocked);
    let b = marks.clear(&actor, MarkKind::Deceived);
    if a || b {
        StatusCode::NO_CONTENT.into_response()
    } else {
        problem(
            StatusCode::NOT_FOUND,
            "Not blocked",
            &format!("{actor} is neither blocked nor deceived."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_ms_rfc3339_and_durations() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_since("1234", now), Some(1234));
        assert_eq!(
            parse_since("2023-11-14T22:13:20Z", now),
            Some(1_700_000_000_000)
        );
        assert_eq!(parse_since("15m", now), Some(1_700_000_000_000 - 900_000));
        assert_eq!(parse_since("yesterday-ish", now), None);
    }

    #[test]
    fn token_comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
    }
}
