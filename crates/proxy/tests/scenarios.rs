//! Attack scenarios against the real proxy: a real listener, the demo shop as the real
//! upstream, real TCP connections from many source addresses in 127.0.0.0/8 (Linux accepts
//! binding any of them), and real users with human timing beside each attack.
//!
//! Time is simulated: the proxy's engine reads a [`ManualClock`] that the scenario moves
//! between requests, so hours of slow scraping play in seconds and timing is exact. The
//! default configuration and the predefined policy pack decide; the scenario only declares
//! the shop's login endpoint and its checkout flow, as an operator would.
//!
//! A request counts as mitigated when it did not reach the upstream (the shop's request log
//! is the witness): blocked, rate-limited or deceived. An account is taken over when an
//! attacker's login with a valid password reached the shop. Each scenario prints its figures
//! and asserts the bar: ≥ 95 % of attack requests mitigated, no legitimate request
//! mitigated, no account taken over.

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use palisade_demo::RequestLog;
use palisade_detect::Registry;
use palisade_engine::{Clock, EngineShared, ManualClock};
use palisade_proxy::{Runtime, Shared};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};

const BROWSERS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
];

/// A small deterministic generator (xorshift): scenarios are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.next() as usize % v.len()]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Legit,
    Attack,
}

#[derive(Clone, Debug)]
struct Req {
    at_ms: u64,
    who: Who,
    from: Ipv4Addr,
    method: Method,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
    /// An attacker's login with a valid password (a takeover if it reaches the shop).
    valid_login: bool,
}

struct Harness {
    proxy: SocketAddr,
    metrics: Arc<palisade_metrics::Metrics>,
    clock: Arc<ManualClock>,
    log: RequestLog,
    _stop: tokio::sync::watch::Sender<bool>,
    _writer: palisade_events::Writer,
    store: std::path::PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.store);
    }
}

const CONFIG: &str = r#"
server:
  listen: 127.0.0.1:0
upstreams:
  shop:
    servers: ["UPSTREAM"]
login:
  - path: /api/login
    method: POST
    username: /username
    failure_status: [401]
events:
  store:
    path: "STORE"
flows:
  - name: checkout
    steps:
      - { method: POST, path: /api/cart }
      - { method: POST, path: /api/checkout, min_interval: 2s }
      - { method: POST, path: /api/pay, min_interval: 2s }
"#;

async fn start() -> Harness {
    start_with(Registry::builtin).await
}

async fn start_with(registry: fn() -> Registry) -> Harness {
    let (up, log) = palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("demo upstream");
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let store = std::env::temp_dir().join(format!(
        "palisade-scenario-{}-{}.redb",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&store);
    let yaml = CONFIG
        .replace("UPSTREAM", &up.to_string())
        .replace("STORE", &store.display().to_string());
    let store_path = store.clone();
    let cfg = palisade_config::from_str(&yaml, Path::new("scenario.yaml"), Path::new("."))
        .unwrap_or_else(|e| panic!("{e}"));
    let clock = Arc::new(ManualClock::default());
    let engine = EngineShared::with(
        cfg.actors.capacity,
        cfg.actors.idle,
        clock.clone() as Arc<dyn Clock>,
    );
    let metrics = Arc::new(palisade_metrics::Metrics::default());
    let (events, writer) = palisade_events::start(&cfg.events, metrics.clone()).expect("events");
    let rt = Runtime::build(cfg, &registry(), engine.clone(), 1).expect("runtime");
    let shared = Shared::new(rt, metrics.clone(), events, engine, registry(), None, 1);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let proxy = listener.local_addr().expect("addr");
    let (stop, rx) = tokio::sync::watch::channel(false);
    tokio::spawn(palisade_proxy::serve(shared, listener, rx));
    Harness {
        proxy,
        metrics,
        clock,
        log,
        _stop: stop,
        _writer: writer,
        store: store_path,
    }
}

impl Harness {
    /// Sends one request from `r.from`, tagged `_sid=N` so the shop's log says whether it
    /// arrived. Returns the status.
    async fn send(&self, r: &Req, sid: usize) -> u16 {
        let sep = if r.path.contains('?') { '&' } else { '?' };
        let target = format!("{}{sep}_sid={sid}", r.path);
        let socket = TcpSocket::new_v4().expect("socket");
        socket
            .bind(SocketAddr::new(IpAddr::V4(r.from), 0))
            .expect("bind source address");
        let stream = socket.connect(self.proxy).await.expect("connect");
        let (mut tx, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(conn);
        let mut b = Request::builder()
            .method(r.method.clone())
            .uri(target)
            .header("host", "shop.example");
        for (k, v) in &r.headers {
            b = b.header(*k, v);
        }
        let body = r.body.clone().unwrap_or_default();
        if r.body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let resp = tx
            .send_request(b.body(Full::new(Bytes::from(body))).expect("request"))
            .await
            .expect("response");
        let status = resp.status().as_u16();
        let _ = resp.into_body().collect().await;
        status
    }
}

/// Figures for one scenario.
#[derive(Debug, Default)]
struct Outcome {
    attack: usize,
    attack_mitigated: usize,
    first_mitigated: Option<usize>,
    legit: usize,
    legit_mitigated: Vec<String>,
    takeovers: usize,
}

impl Outcome {
    fn share(&self) -> f64 {
        100.0 * self.attack_mitigated as f64 / self.attack.max(1) as f64
    }
}

async fn play(name: &str, mut reqs: Vec<Req>) -> Outcome {
    let h = start().await;
    reqs.sort_by_key(|r| r.at_ms);
    let mut now = 0;
    let mut statuses = Vec::with_capacity(reqs.len());
    for (sid, r) in reqs.iter().enumerate() {
        if r.at_ms > now {
            h.clock.advance(Duration::from_millis(r.at_ms - now));
            now = r.at_ms;
        }
        statuses.push(h.send(r, sid).await);
    }
    let reached: HashSet<usize> = h
        .log
        .lines()
        .iter()
        .filter_map(|l| l.rsplit("_sid=").next()?.split('&').next()?.parse().ok())
        .collect();
    let mut o = Outcome::default();
    for (sid, r) in reqs.iter().enumerate() {
        let got_through = reached.contains(&sid);
        match r.who {
            Who::Attack => {
                o.attack += 1;
                if got_through {
                    o.takeovers += usize::from(r.valid_login && statuses[sid] == 200);
                } else {
                    o.attack_mitigated += 1;
                    o.first_mitigated.get_or_insert(o.attack);
                }
            }
            Who::Legit => {
                o.legit += 1;
                if !got_through {
                    o.legit_mitigated.push(format!(
                        "{} {} from {} -> {}",
                        r.method, r.path, r.from, statuses[sid]
                    ));
                }
            }
        }
    }
    println!(
        "scenario {name:<28} attack {:>5} mitigated {:>6.2}% first after {:>3} | legit {:>4} mitigated {} | takeovers {} | simulated {:.0} min",
        o.attack,
        o.share(),
        o.first_mitigated.map_or(0, |n| n - 1),
        o.legit,
        o.legit_mitigated.len(),
        o.takeovers,
        now as f64 / 60_000.0
    );
    o
}

fn assert_bar(o: &Outcome) {
    assert!(
        o.share() >= 95.0,
        "attack mitigated {:.2}% < 95%",
        o.share()
    );
    assert!(
        o.legit_mitigated.is_empty(),
        "legitimate requests mitigated: {:#?}",
        &o.legit_mitigated[..o.legit_mitigated.len().min(10)]
    );
    assert_eq!(o.takeovers, 0, "accounts taken over");
}

fn browser_headers(rng: &mut Rng, user: usize) -> Vec<(&'static str, String)> {
    vec![
        ("user-agent", BROWSERS[user % BROWSERS.len()].to_string()),
        ("accept", "application/json, text/plain, */*".into()),
        (
            "accept-language",
            rng.pick(&[
                "en-US,en;q=0.9",
                "de-DE,de;q=0.8",
                "fr-FR,fr;q=0.9,en;q=0.5",
            ])
            .to_string(),
        ),
        ("accept-encoding", "gzip, deflate, br".into()),
        ("cookie", format!("sessionid=legit-session-{user}")),
    ]
}

/// Real users: browse, search, log in (a typo now and then), read their own account, buy,
/// at human pace, spread over `span_ms`. User 0 is alice.
fn legit_users(n: usize, span_ms: u64, seed: u64) -> Vec<Req> {
    let mut rng = Rng(seed);
    let words = [
        "shoes", "jacket", "socks", "watch", "poles", "hat", "vest", "bottle",
    ];
    let mut out = Vec::new();
    for u in 0..n {
        let from = Ipv4Addr::new(127, 1, (u / 200) as u8, (u % 200 + 10) as u8);
        let (name, pass, id) = if u == 0 {
            ("alice".to_string(), "wonderland".to_string(), 1)
        } else {
            (
                format!("customer{}", 100 + u),
                format!("pass-{}", 100 + u),
                100 + u,
            )
        };
        let headers = browser_headers(&mut rng, u);
        let mut at = rng.range(0, span_ms / 3);
        while at < span_ms {
            let mut steps: Vec<(Method, String, Option<String>)> = vec![
                (Method::GET, "/api/products".into(), None),
                (
                    Method::GET,
                    format!("/api/products?q={}", rng.pick(&words)),
                    None,
                ),
                (
                    Method::GET,
                    format!("/api/products?q={}&page=2", rng.pick(&words)),
                    None,
                ),
            ];
            if rng.range(0, 5) == 0 {
                steps.push((
                    Method::POST,
                    "/api/login".into(),
                    Some(format!(r#"{{"username":"{name}","password":"{pass}x"}}"#)),
                ));
            }
            steps.extend([
                (
                    Method::POST,
                    "/api/login".into(),
                    Some(format!(r#"{{"username":"{name}","password":"{pass}"}}"#)),
                ),
                (Method::GET, format!("/api/users/{id}"), None),
                (
                    Method::GET,
                    format!("/api/accounts/{id}/transactions"),
                    None,
                ),
                (
                    Method::POST,
                    "/api/cart".into(),
                    Some(r#"{"sku":"SKU-1003","qty":1}"#.into()),
                ),
                (
                    Method::POST,
                    "/api/checkout".into(),
                    Some(r#"{"cart_id":"cart-1"}"#.into()),
                ),
                (
                    Method::POST,
                    "/api/pay".into(),
                    Some(r#"{"order_id":"ord-1"}"#.into()),
                ),
                (
                    Method::GET,
                    format!("/api/accounts/{id}/transactions"),
                    None,
                ),
                (
                    Method::GET,
                    format!("/api/products?q={}", rng.pick(&words)),
                    None,
                ),
            ]);
            for (method, path, body) in steps {
                at += rng.range(3_000, 25_000);
                out.push(Req {
                    at_ms: at,
                    who: Who::Legit,
                    from,
                    method,
                    path,
                    headers: headers.clone(),
                    body,
                    valid_login: false,
                });
            }
            at += rng.range(120_000, 900_000);
        }
    }
    out
}

/// A credential-stuffing tool: rotating browser user agents, one header layout, no cookies.
fn tool_headers(rng: &mut Rng) -> Vec<(&'static str, String)> {
    vec![
        ("user-agent", rng.pick(&BROWSERS).to_string()),
        ("accept", "*/*".into()),
        ("accept-encoding", "gzip, deflate".into()),
    ]
}

/// The stuffing list: leaked pairs, almost all wrong here; every 150th is a real customer's
/// real password.
fn stuffing_pair(i: usize) -> (String, String, bool) {
    if i % 150 == 149 {
        let n = 1000 + i / 150;
        (format!("customer{n}"), format!("pass-{n}"), true)
    } else {
        (
            format!("leaked.user{i}@mail.example"),
            format!("hunter{i}"),
            false,
        )
    }
}

fn login(
    at_ms: u64,
    from: Ipv4Addr,
    headers: Vec<(&'static str, String)>,
    user: &str,
    pass: &str,
    valid: bool,
) -> Req {
    Req {
        at_ms,
        who: Who::Attack,
        from,
        method: Method::POST,
        path: "/api/login".into(),
        headers,
        body: Some(format!(r#"{{"username":"{user}","password":"{pass}"}}"#)),
        valid_login: valid,
    }
}

fn get(at_ms: u64, from: Ipv4Addr, headers: &[(&'static str, String)], path: String) -> Req {
    Req {
        at_ms,
        who: Who::Attack,
        from,
        method: Method::GET,
        path,
        headers: headers.to_vec(),
        body: None,
        valid_login: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_stuffing_from_one_address() {
    let mut rng = Rng(11);
    let from = Ipv4Addr::new(127, 2, 0, 1);
    let mut reqs = legit_users(30, 600_000, 1);
    for i in 0..1000 {
        let (u, p, valid) = stuffing_pair(i);
        reqs.push(login(
            60_000 + i as u64 * 100,
            from,
            tool_headers(&mut rng),
            &u,
            &p,
            valid,
        ));
    }
    assert_bar(&play("burst stuffing, 1 IP", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distributed_stuffing_over_1200_addresses() {
    let mut rng = Rng(12);
    let mut reqs = legit_users(30, 1_800_000, 2);
    let mut i = 0;
    for a in 0..1200u32 {
        let from = Ipv4Addr::new(127, 3 + (a / 250) as u8, (a % 250) as u8, 7);
        for _ in 0..rng.range(1, 4) {
            let (u, p, valid) = stuffing_pair(i);
            reqs.push(login(
                30_000 + i as u64 * 500,
                from,
                tool_headers(&mut rng),
                &u,
                &p,
                valid,
            ));
            i += 1;
        }
    }
    assert!(reqs.iter().filter(|r| r.who == Who::Attack).count() >= 2000);
    assert_bar(&play("distributed stuffing, 1200 IPs", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn brute_force_on_one_account_from_150_addresses() {
    let mut rng = Rng(13);
    let mut reqs = legit_users(30, 1_200_000, 3);
    let mut i = 0;
    for a in 0..150u32 {
        let from = Ipv4Addr::new(127, 9, (a / 200) as u8, (a % 200) as u8 + 20);
        for _ in 0..2 {
            // alice's real password is far down the guess list.
            let pass = if i == 200 {
                "wonderland".to_string()
            } else {
                format!("Password{i}!")
            };
            reqs.push(login(
                120_000 + i * 2_000,
                from,
                tool_headers(&mut rng),
                "alice",
                &pass,
                i == 200,
            ));
            i += 1;
        }
    }
    assert_bar(&play("brute force, 1 user 150 IPs", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bola_walking_object_ids() {
    let mut rng = Rng(14);
    let from = Ipv4Addr::new(127, 10, 0, 5);
    let mut h = browser_headers(&mut rng, 999);
    h[4].1 = "sessionid=attacker-own-session".into();
    let mut reqs = legit_users(30, 900_000, 4);
    for id in 1..=400u64 {
        reqs.push(get(
            60_000 + id * 1_500,
            from,
            &h,
            format!("/api/accounts/{id}/transactions"),
        ));
    }
    assert_bar(&play("BOLA walk", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fast_scraping() {
    let mut rng = Rng(15);
    let from = Ipv4Addr::new(127, 11, 0, 5);
    let h = tool_headers(&mut rng);
    let mut reqs = legit_users(30, 600_000, 5);
    for i in 0..600u64 {
        let id = rng.range(1, 5000);
        reqs.push(get(60_000 + i * 200, from, &h, format!("/api/users/{id}")));
    }
    assert_bar(&play("fast scraping", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_scraping_over_eight_hours() {
    let mut rng = Rng(16);
    let from = Ipv4Addr::new(127, 12, 0, 5);
    let mut h = browser_headers(&mut rng, 3);
    h[4].1 = "sessionid=slow-scraper".into();
    let mut reqs = legit_users(30, 8 * 3_600_000, 6);
    let mut at = 60_000;
    for _ in 0..900 {
        at += rng.range(20_000, 40_000);
        let id = rng.range(1, 5000);
        reqs.push(get(at, from, &h, format!("/api/users/{id}")));
    }
    assert_bar(&play("slow scraping, 8 h", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exfiltration_of_card_bearing_records() {
    let mut rng = Rng(17);
    let from = Ipv4Addr::new(127, 13, 0, 5);
    let mut h = browser_headers(&mut rng, 2);
    h[4].1 = "sessionid=insider".into();
    let mut reqs = legit_users(30, 1_800_000, 7);
    let mut at = 60_000;
    for _ in 0..300 {
        at += rng.range(4_000, 9_000);
        let id = rng.range(1, 5000);
        reqs.push(get(
            at,
            from,
            &h,
            format!("/api/accounts/{id}/transactions"),
        ));
    }
    assert_bar(&play("card exfiltration", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_flood_from_50_addresses() {
    let mut rng = Rng(18);
    // Ten minutes of ordinary traffic first, so the endpoint has a baseline.
    let mut reqs = legit_users(40, 1_200_000, 8);
    let words = [
        "a", "e", "shoe", "run", "pack", "gps", "sun", "rain", "x", "o",
    ];
    for a in 0..50u32 {
        let from = Ipv4Addr::new(127, 14, (a / 100) as u8, (a % 100) as u8 + 10);
        let h = tool_headers(&mut rng);
        let start = 600_000 + rng.range(0, 2_000);
        for i in 0..200u64 {
            let q = format!("{}{}", rng.pick(&words), rng.range(0, 1000));
            reqs.push(get(
                start + i * 200 + rng.range(0, 50),
                from,
                &h,
                format!("/api/products?q={q}"),
            ));
        }
    }
    assert_bar(&play("search flood, 50 IPs", reqs).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_flow_bots() {
    let mut rng = Rng(19);
    let mut reqs = legit_users(30, 1_200_000, 9);
    for b in 0..20u32 {
        let from = Ipv4Addr::new(127, 15, 0, b as u8 + 10);
        let h = tool_headers(&mut rng);
        let mut at = 60_000 + rng.range(0, 600_000);
        for _ in 0..10 {
            for (path, body) in [
                ("/api/cart", r#"{"sku":"SKU-1008","qty":1}"#),
                ("/api/checkout", r#"{"cart_id":"cart-1"}"#),
                ("/api/pay", r#"{"order_id":"ord-1"}"#),
            ] {
                at += rng.range(100, 400);
                reqs.push(Req {
                    at_ms: at,
                    who: Who::Attack,
                    from,
                    method: Method::POST,
                    path: path.into(),
                    headers: h.clone(),
                    body: Some(body.into()),
                    valid_login: false,
                });
            }
            at += rng.range(1_000, 5_000);
        }
    }
    assert_bar(&play("checkout-flow bots", reqs).await);
}

/// A detector with a bug: it panics on a value that says so.
struct Panicky;

impl palisade_detect::Detector for Panicky {
    fn name(&self) -> &'static str {
        "panicky"
    }

    fn inspect(&self, value: &palisade_normalize::Value, _: &mut Vec<palisade_types::Signal>) {
        assert!(!value.text().contains("trip-the-bug"), "a detector bug");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_detector_costs_one_request_not_the_proxy() {
    let h = start_with(|| {
        let mut r = Registry::builtin();
        r.register("panicky", || Arc::new(Panicky))
            .expect("a new name");
        r
    })
    .await;
    let from = Ipv4Addr::new(127, 9, 0, 1);
    let tripped = get(0, from, &[], "/api/products?q=trip-the-bug".into());
    let after = get(0, from, &[], "/api/products?q=shoes".into());
    // Refused, not forwarded uninspected; counted; and the proxy goes on serving.
    assert_eq!(h.send(&tripped, 0).await, 500);
    assert_eq!(
        h.metrics
            .engine_panics
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    assert_eq!(h.send(&after, 1).await, 200);
    let reached = h.log.lines();
    assert!(
        !reached.iter().any(|l| l.contains("trip-the-bug")),
        "{reached:?}"
    );
    assert!(reached.iter().any(|l| l.contains("_sid=1")), "{reached:?}");
}
