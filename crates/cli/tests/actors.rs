//! Actors end to end on `palisade run`: attacks from one client raise its threat score and
//! fill its evidence trail, visible through `/api/actors`, `/api/actors/{key}` and
//! `palisade actors`; the admin API refuses without the token.
mod common;

use common::*;
use http::Method;

#[tokio::test(flavor = "multi_thread")]
async fn attacks_show_up_as_a_ranked_actor_with_its_evidence() {
    let (up, _log) = palisade_demo::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let p = Palisade::start(&config_yaml(up, ""));
    let sqli = p.url("/api/products?q=1%27%20or%20%271%27%3D%271");
    for _ in 0..3 {
        let r = send(Method::GET, &sqli, &[("cookie", "sessionid=abc-123")], "").await;
        assert_eq!(r.status, 403);
    }
    assert_eq!(get(&p.url("/api/products?q=shoes")).await.status, 200);

    // Unauthenticated: refused.
    assert_eq!(get(&p.admin_url("/api/actors")).await.status, 401);

    let r = admin_get(&p, "/api/actors?level=medium").await;
    assert_eq!(r.status, 200);
    let list = r.json();
    let first = &list["actors"][0];
    assert_eq!(first["key"], "ip:127.0.0.1", "{list}");
    assert!(first["score"].as_f64().unwrap() >= 25.0, "{list}");
    assert!(first["linked"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k.as_str().unwrap().starts_with("session:")));
    // The session key shares the evidence and never shows the cookie's value.
    assert!(!list.to_string().contains("abc-123"));

    let r = admin_get(&p, "/api/actors/ip:127.0.0.1").await;
    assert_eq!(r.status, 200);
    let d = r.json();
    let trail = d["trail"].as_array().unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e["detector"] == "sqli" && e["action"] == "block"),
        "{d}"
    );
    assert!(
        trail.iter().any(|e| e["detector"] == "policy:web-sqli"),
        "{d}"
    );
    assert!(trail
        .iter()
        .all(|e| e["request_id"].as_str().is_some_and(|s| !s.is_empty())));

    assert_eq!(admin_get(&p, "/api/actors?level=severe").await.status, 400);
    assert_eq!(
        admin_get(&p, "/api/actors/ip:203.0.113.99").await.status,
        404
    );
    assert_eq!(admin_get(&p, "/api/actors/nonsense").await.status, 400);
    let r = admin_get(&p, "/api/endpoints").await;
    assert!(r.json()["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["endpoint"] == "GET /api/products" && e["attacks"] == 3));

    // The CLI reads the same API.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["actors", "--admin", &p.admin_url(""), "--token", TOKEN])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("ip:127.0.0.1") && text.contains("policy:web-sqli"),
        "{text}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args([
            "actors",
            "--admin",
            &p.admin_url(""),
            "--token",
            TOKEN,
            "ip:127.0.0.1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("policy:web-sqli") && text.contains("GET /api/products"),
        "{text}"
    );
}

/// The dashboard's own endpoints, on their own: time series and one-click exceptions.
#[tokio::test(flavor = "multi_thread")]
async fn stats_and_exceptions_through_the_admin_api() {
    let (up, _log) = palisade_demo::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let pdir = tempfile::tempdir().unwrap();
    let p = Palisade::start(&config_yaml(
        up,
        &format!("policies:\n  dir: {}\n", pdir.path().display()),
    ));
    let sqli = p.url("/api/products?q=1%27%20or%20%271%27%3D%271");
    assert_eq!(get(&sqli).await.status, 403);
    assert_eq!(get(&p.url("/api/products?q=shoes")).await.status, 200);

    assert_eq!(get(&p.admin_url("/api/stats")).await.status, 401);
    let s = admin_get(&p, "/api/stats?window=15m").await.json();
    let points = s["points"].as_array().unwrap();
    assert_eq!(s["bucket_secs"], 30);
    let total: u64 = points.iter().map(|x| x["requests"].as_u64().unwrap()).sum();
    let blocked: u64 = points
        .iter()
        .map(|x| x["by_action"]["block"].as_u64().unwrap())
        .sum();
    assert_eq!((total, blocked), (2, 1), "{s}");
    assert_eq!(admin_get(&p, "/api/stats?window=2w").await.status, 400);
    let h = admin_get(&p, "/api/policies/history?window=15m")
        .await
        .json();
    let web_sqli: u64 = h["policies"]["web-sqli"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(web_sqli, 1, "{h}");

    let auth = format!("Bearer {TOKEN}");
    let body = r#"{"policy":"web-sqli","method":"GET","path":"/api/products","detector":"sqli","event_id":1}"#;
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    let url = p.admin_url("/api/exceptions");
    assert_eq!(
        send(
            Method::POST,
            &url,
            &[("content-type", "application/json")],
            body
        )
        .await
        .status,
        401
    );
    let bad = r#"{"policy":"web-sqli","method":"GET","path":"/x\"y","detector":"sqli"}"#;
    assert_eq!(send(Method::POST, &url, &headers, bad).await.status, 400);
    let unknown = r#"{"policy":"no-such-policy","method":"GET","path":"/"}"#;
    assert_eq!(
        send(Method::POST, &url, &headers, unknown).await.status,
        404
    );
    let r = send(Method::POST, &url, &headers, body).await;
    assert_eq!(r.status, 201, "{:?}", String::from_utf8_lossy(&r.body));
    let file = r.json()["file"].as_str().unwrap().to_string();
    assert!(file.starts_with(&pdir.path().display().to_string()));
    // In force at once: the same attack on that endpoint passes, elsewhere it is blocked.
    assert_eq!(get(&sqli).await.status, 200);
    assert_eq!(
        get(&p.url("/api/users/1?q=1%27%20or%20%271%27%3D%271"))
            .await
            .status,
        403
    );
}

/// Without a policy directory an exception cannot survive a restart: refused with 409.
#[tokio::test(flavor = "multi_thread")]
async fn exceptions_need_a_policy_directory() {
    let (up, _log) = palisade_demo::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let p = Palisade::start(&config_yaml(up, ""));
    let auth = format!("Bearer {TOKEN}");
    let r = send(
        Method::POST,
        &p.admin_url("/api/exceptions"),
        &[
            ("authorization", auth.as_str()),
            ("content-type", "application/json"),
        ],
        r#"{"policy":"web-sqli","method":"GET","path":"/api/products"}"#,
    )
    .await;
    assert_eq!(r.status, 409);
}
