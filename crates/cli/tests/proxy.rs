//! End to end: the real binary in front of the real sample API.
mod common;

use common::*;
use http::Method;
use std::net::SocketAddr;

async fn upstream() -> (SocketAddr, palisade_demo::RequestLog) {
    palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("sample API")
}

#[tokio::test(flavor = "multi_thread")]
async fn clean_traffic_reaches_the_upstream_unchanged() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, ""));
    let r = get(&p.url("/api/products?q=shoes&page=1")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"][0]["sku"], "SKU-1001");
    let r = send(
        Method::POST,
        &p.url("/api/cart"),
        &[("content-type", "application/json")],
        r#"{"sku":"SKU-1002","qty":2,"note":"It's for O'Brien — leave it by the door; thanks!"}"#,
    )
    .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    // Prose with SQL words, quotes and markup is not an attack.
    let r =
        get(&p.url("/api/products?q=select%20the%20best%20union%20suit%20%3Cb%3Enew%3C%2Fb%3E"))
            .await;
    assert_eq!(r.status, 200);
    assert_eq!(log.count("/api/products"), 2);
    assert_eq!(log.count("POST /api/cart"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn sql_injection_is_blocked_recorded_and_counted() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, ""));
    let r = get(&p.url("/api/products?q=%27%20OR%201%3D1--")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let body = r.json();
    assert_eq!(body["status"], 403);
    assert_eq!(body["policy"], "web-sqli");
    let request_id = body["request_id"].as_str().unwrap().to_string();
    assert_eq!(
        log.count("/api/products"),
        0,
        "a blocked request must not reach the upstream"
    );

    let events = wait_events(&p, "limit=10&category=sqli", |l| !l.is_empty()).await;
    let e = &events[0];
    assert_eq!(e["request_id"], request_id.as_str());
    assert_eq!(e["effective_action"], "block");
    assert_eq!(e["signals"][0]["category"], "sqli");
    assert_eq!(e["signals"][0]["place"], "query:q");
    // The detector's reason reaches the recorded event, for the analyst.
    assert!(
        !e["signals"][0]["reason"].as_str().unwrap_or("").is_empty(),
        "{e}"
    );
    assert_eq!(
        e["request"]["query"], "q=***",
        "query values are masked in events"
    );
    let xss = admin_get(&p, "/api/events?category=xss").await.json();
    assert_eq!(xss["count"], 0);

    let m = String::from_utf8_lossy(&admin_get(&p, "/metrics").await.body).into_owned();
    assert!(
        m.contains("palisade_detections_total{category=\"sqli\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("palisade_decisions_total{action=\"block\"} 1"),
        "{m}"
    );
    assert!(m.contains("palisade_request_duration_seconds_count"), "{m}");
}

#[tokio::test(flavor = "multi_thread")]
async fn attacks_in_json_bodies_headers_and_paths_are_blocked() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, ""));
    let json = send(
        Method::POST,
        &p.url("/api/cart"),
        &[("content-type", "application/json")],
        r#"{"sku":"SKU-1","meta":{"comment":"<script>alert(document.cookie)</script>"}}"#,
    )
    .await;
    assert_eq!(json.status, 403);
    // JSON without a Content-Type is still read as JSON.
    let untyped = send(
        Method::POST,
        &p.url("/api/cart"),
        &[],
        r#"{"sku":"1' UNION SELECT password FROM users--"}"#,
    )
    .await;
    assert_eq!(untyped.status, 403);
    let traversal = get(&p.url("/api/files?name=..%2F..%2F..%2Fetc%2Fpasswd")).await;
    assert_eq!(traversal.status, 403);
    let scanner = send(
        Method::GET,
        &p.url("/"),
        &[("user-agent", "sqlmap/1.7.2#stable")],
        "",
    )
    .await;
    assert_eq!(scanner.status, 403);
    assert_eq!(log.lines().len(), 0, "{:?}", log.lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_failed_logins_are_rate_limited() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(
        up,
        "login:\n  - { path: /api/login, max_failures: 5, window: 1m }\n",
    ));
    let url = p.url("/api/login");
    let body = r#"{"username":"alice","password":"nope"}"#;
    let ct = [("content-type", "application/json")];
    for _ in 0..5 {
        assert_eq!(send(Method::POST, &url, &ct, body).await.status, 401);
    }
    let r = send(Method::POST, &url, &ct, body).await;
    assert_eq!(r.status, 429);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "retry-after {retry}");
    assert_eq!(r.json()["policy"], "ato-login-failures");
    assert_eq!(
        log.count("/api/login"),
        5,
        "the limited attempt never reached the upstream"
    );
    wait_events(&p, "limit=5", |l| {
        l.iter().any(|e| e["policy_id"] == "ato-login-failures")
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_endpoints_need_the_token() {
    let (up, _log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, ""));
    assert_eq!(get(&p.admin_url("/healthz")).await.status, 200);
    for path in ["/metrics", "/readyz", "/api/events"] {
        let r = get(&p.admin_url(path)).await;
        assert_eq!(r.status, 401, "{path}");
        assert!(r.headers.contains_key("www-authenticate"));
        let wrong = send(
            Method::GET,
            &p.admin_url(path),
            &[("authorization", "Bearer wrong-token-wrong-token")],
            "",
        )
        .await;
        assert_eq!(wrong.status, 401, "{path}");
    }
    assert_eq!(admin_get(&p, "/readyz").await.status, 200);
    assert_eq!(
        admin_get(&p, "/api/events?category=bogus").await.status,
        400
    );
    assert_eq!(admin_get(&p, "/api/events?since=15m").await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn ambiguous_or_malformed_requests_are_refused_not_forwarded() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, ""));
    let two_lengths = raw(
        p.proxy,
        b"POST /api/cart HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    )
    .await;
    assert!(two_lengths.starts_with("HTTP/1.1 400"), "{two_lengths}");
    let no_host = raw(p.proxy, b"GET /api/products HTTP/1.1\r\n\r\n").await;
    assert!(no_host.starts_with("HTTP/1.1 400"), "{no_host}");
    assert!(no_host.contains("application/problem+json"), "{no_host}");
    let obs_fold = raw(
        p.proxy,
        b"GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  folded\r\n\r\n",
    )
    .await;
    assert!(obs_fold.starts_with("HTTP/1.1 400"), "{obs_fold}");
    let bad_chunk = raw(p.proxy, b"POST /api/cart HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n").await;
    assert!(bad_chunk.starts_with("HTTP/1.1 400"), "{bad_chunk}");
    // CL + TE: chunked framing wins, the connection closes after the response, and the bytes
    // smuggled behind the chunked body are never read as a second request.
    let smuggle = b"POST /api/cart HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 60\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/users/1?smuggled=1 HTTP/1.1\r\nHost: a\r\n\r\n";
    let answer = raw(p.proxy, smuggle).await;
    assert_eq!(answer.matches("HTTP/1.1").count(), 1, "{answer}");
    assert_eq!(log.count("smuggled"), 0, "{:?}", log.lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn oversize_bodies_follow_the_configured_policy() {
    let (up, log) = upstream().await;
    let p = Palisade::start(&config_yaml(up, "inspection:\n  max_body: 1KiB\n"));
    let big = format!(
        r#"{{"sku":"SKU-1001","qty":1,"note":"{}"}}"#,
        "x".repeat(4096)
    );
    let r = send(
        Method::POST,
        &p.url("/api/cart"),
        &[("content-type", "application/json")],
        &big,
    )
    .await;
    assert_eq!(r.status, 413);
    assert_eq!(log.count("/api/cart"), 0);

    let p2 = Palisade::start(&config_yaml(
        up,
        "inspection:\n  max_body: 1KiB\n  oversize_body: forward_uninspected\n",
    ));
    let r = send(
        Method::POST,
        &p2.url("/api/cart"),
        &[("content-type", "application/json")],
        &big,
    )
    .await;
    assert_eq!(
        r.status, 201,
        "the whole body reached the upstream: {:?}",
        r.body
    );
    let m = String::from_utf8_lossy(&admin_get(&p2, "/metrics").await.body).into_owned();
    assert!(m.contains("palisade_bodies_uninspected_total 1"), "{m}");
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_upstream_and_unknown_route_get_problem_responses() {
    // A port nothing listens on: bind, read the port, drop the listener.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let p = Palisade::start(&config_yaml(dead, ""));
    let r = get(&p.url("/api/products")).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.json()["title"], "Bad gateway");
    assert!(
        !String::from_utf8_lossy(&r.body).contains(&dead.port().to_string()),
        "no upstream detail leaks"
    );

    let (up, _log) = upstream().await;
    let yaml = config_yaml(up, "").replace("path_prefix: /\n", "path_prefix: /api\n");
    let p = Palisade::start(&yaml);
    assert_eq!(get(&p.url("/api/products")).await.status, 200);
    assert_eq!(get(&p.url("/admin")).await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn clean_shutdown_flushes_every_event() {
    let (up, _log) = upstream().await;
    let mut p = Palisade::start(&config_yaml(up, ""));
    let n = 50;
    for i in 0..n {
        let r = get(&p.url(&format!("/api/products?q=%27%20or%20{i}%3D{i}--"))).await;
        assert_eq!(r.status, 403);
    }
    let status = p.stop();
    assert!(status.success(), "{status:?}");
    let jsonl = std::fs::read_to_string(p.path("events.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), n);
    let store = palisade_events::Store::open(
        &p.path("events.redb"),
        std::time::Duration::from_secs(86_400 * 365),
        1_000_000,
        1 << 30,
    )
    .unwrap();
    assert_eq!(store.len().unwrap(), n as u64);
}
