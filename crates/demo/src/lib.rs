//! The sample API behind `palisade demo`, and the real upstream of the integration tests.
//! Its JSON is shaped like a small bank-and-shop backend, with card-like and SSN-like fields
//! so response inspection has something to find. It keeps a bounded log of the requests it
//! served, so tests can prove what did (and did not) reach it.
#![forbid(unsafe_code)]

use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// Lines kept in the served-requests log.
const LOG_CAP: usize = 200_000;

/// The requests the sample API served, as `METHOD /path?query` lines, oldest first.
#[derive(Clone, Default)]
pub struct RequestLog(Arc<Mutex<VecDeque<String>>>);

impl RequestLog {
    fn push(&self, line: String) {
        if let Ok(mut l) = self.0.lock() {
            if l.len() == LOG_CAP {
                l.pop_front();
            }
            l.push_back(line);
        }
    }

    /// A copy of the log.
    pub fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|l| l.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// How many served requests contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.lines().iter().filter(|l| l.contains(needle)).count()
    }
}

/// Demo users: (username, password, id).
const USERS: &[(&str, &str, u32)] = &[
    ("alice", "wonderland", 1),
    ("bob", "builder", 2),
    ("carol", "s3cret-pass", 3),
];

const PRODUCTS: &[(&str, &str, u32)] = &[
    ("SKU-1001", "Trail running shoes", 8900),
    ("SKU-1002", "Rain jacket", 12900),
    ("SKU-1003", "Merino socks (3 pack)", 2400),
    ("SKU-1004", "Headlamp 400 lm", 3900),
    ("SKU-1005", "Insulated bottle", 2900),
    ("SKU-1006", "Running vest", 9900),
    ("SKU-1007", "Compression tights", 6400),
    ("SKU-1008", "GPS watch", 29900),
    ("SKU-1009", "Blister kit", 1200),
    ("SKU-1010", "Trekking poles", 11900),
    ("SKU-1011", "Sun hat", 2600),
    ("SKU-1012", "Shoe gaiters", 2100),
];

/// Starts the sample API on `addr` (port 0 for any) and returns its address and log.
pub async fn start(addr: SocketAddr) -> std::io::Result<(SocketAddr, RequestLog)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let log = RequestLog::default();
    let app = router(log.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((local, log))
}

pub fn router(log: RequestLog) -> Router {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/users/{id}", get(user))
        .route("/api/accounts/{id}/transactions", get(transactions))
        .route("/api/products", get(products))
        .route("/api/cart", post(cart))
        .route("/api/checkout", post(checkout))
        .route("/api/pay", post(pay))
        .route(
            "/",
            get(|| async {
                Json(json!({"service": "palisade demo shop", "docs": "/api/products"}))
            }),
        )
        .layer(middleware::from_fn_with_state(log.clone(), record))
        .with_state(log)
}

async fn record(
    State(log): State<RequestLog>,
    method: Method,
    uri: Uri,
    req: axum::extract::Request,
    next: Next,
) -> Response {
    log.push(format!("{method} {uri}"));
    next.run(req).await
}

#[derive(Deserialize)]
struct Login {
    username: Option<String>,
    password: Option<String>,
}

async fn login(body: Option<Json<Login>>) -> Response {
    let Some(Json(l)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected JSON {username, password}"})),
        )
            .into_response();
    };
    let (u, p) = (
        l.username.unwrap_or_default(),
        l.password.unwrap_or_default(),
    );
    // Besides the three named accounts, customer1..customer5000 log in with pass-N (the
    // scenario tests' real users).
    let customer = u
        .strip_prefix("customer")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (1..=5000).contains(n) && p == format!("pass-{n}"))
        .map(|n| (u.as_str(), "", n));
    match USERS
        .iter()
        .find(|(name, pass, _)| *name == u && *pass == p)
        .copied()
        .or(customer)
    {
        Some((name, _, id)) => Json(json!({
            "token": format!("demo.{id}.{:08x}", fnv(name)),
            "user": {"id": id, "username": name},
            "expires_in": 3600
        }))
        .into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid username or password"})),
        )
            .into_response(),
    }
}

/// A stable small hash for fake tokens and fake personal data.
fn fnv(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// A Luhn-valid 16-digit test card number derived from `seed` (prefix 4000 00: test range).
fn card(seed: u32) -> String {
    let mut digits: Vec<u32> = format!("400000{:09}", seed % 1_000_000_000)
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

async fn user(Path(id): Path<u32>) -> Response {
    if id == 0 || id > 5000 {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such user"})),
        )
            .into_response();
    }
    let h = fnv(&id.to_string());
    Json(json!({
        "id": id,
        "name": format!("Customer {id}"),
        "email": format!("customer{id}@example.com"),
        "phone": format!("+1-555-{:04}", h % 10_000),
        "ssn": format!("{:03}-{:02}-{:04}", 100 + h % 600, 10 + h % 89, 1000 + h % 9000),
        "address": {"street": format!("{} Elm Street", 10 + id), "city": "Springfield", "zip": format!("{:05}", h % 100_000)},
        "created_at": "2024-03-18T09:21:44Z"
    }))
    .into_response()
}

async fn transactions(Path(id): Path<u32>) -> Response {
    if id == 0 || id > 5000 {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such account"})),
        )
            .into_response();
    }
    let items: Vec<Value> = (0..5u32)
        .map(|i| {
            let merchant = ["Grocer", "Fuel", "Books", "Cafe", "Pharmacy"][i as usize % 5];
            json!({
                "id": format!("tx-{id}-{i}"),
                "amount_cents": 1200 + (fnv(&format!("{id}{i}")) % 50_000),
                "currency": "USD",
                "merchant": merchant,
                "card_number": card(id * 10 + i),
                "posted_at": format!("2025-06-{:02}T12:00:00Z", 1 + i)
            })
        })
        .collect();
    Json(json!({"account_id": id, "transactions": items, "next_page": null})).into_response()
}

#[derive(Deserialize)]
struct ProductQuery {
    q: Option<String>,
    page: Option<usize>,
}

async fn products(Query(p): Query<ProductQuery>) -> Response {
    let q = p.q.unwrap_or_default().to_lowercase();
    let matching: Vec<Value> = PRODUCTS
        .iter()
        .filter(|(_, name, _)| q.is_empty() || name.to_lowercase().contains(&q))
        .map(|(sku, name, price)| json!({"sku": sku, "name": name, "price_cents": price}))
        .collect();
    let per_page = 5;
    let page = p.page.unwrap_or(1).max(1);
    let items: Vec<Value> = matching
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    Json(json!({"query": q, "page": page, "total": matching.len(), "items": items})).into_response()
}

async fn cart(body: Option<Json<Value>>) -> Response {
    let Some(Json(v)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected JSON {sku, qty}"})),
        )
            .into_response();
    };
    let sku = v
        .get("sku")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !PRODUCTS.iter().any(|(s, _, _)| *s == sku) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "unknown sku"})),
        )
            .into_response();
    }
    let qty = v.get("qty").and_then(Value::as_u64).unwrap_or(1);
    (StatusCode::CREATED, Json(json!({"cart_id": format!("cart-{:08x}", fnv(&sku)), "items": [{"sku": sku, "qty": qty}]}))).into_response()
}

async fn checkout(body: Option<Json<Value>>) -> Response {
    let Some(Json(v)) = body else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "expected JSON {cart_id, card}"})),
        )
            .into_response();
    };
    let cart_id = v.get("cart_id").and_then(Value::as_str).unwrap_or_default();
    if cart_id.is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "cart_id is required"})),
        )
            .into_response();
    }
    Json(json!({"order_id": format!("ord-{:08x}", fnv(cart_id)), "status": "confirmed", "cart_id": cart_id})).into_response()
}

async fn pay(body: Option<Json<Value>>) -> Response {
    let order = body
        .as_ref()
        .and_then(|Json(v)| v.get("order_id"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if order.is_empty() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "order_id is required"})),
        )
            .into_response();
    }
    Json(json!({"order_id": order, "status": "paid"})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_cards_pass_luhn() {
        for seed in [0, 7, 123_456, 999_999_999] {
            let c = card(seed);
            assert_eq!(c.len(), 16);
            let sum: u32 = c
                .bytes()
                .rev()
                .enumerate()
                .map(|(i, b)| {
                    let d = u32::from(b - b'0');
                    if i % 2 == 1 {
                        let x = d * 2;
                        if x > 9 {
                            x - 9
                        } else {
                            x
                        }
                    } else {
                        d
                    }
                })
                .sum();
            assert_eq!(sum % 10, 0, "{c}");
        }
    }
}
