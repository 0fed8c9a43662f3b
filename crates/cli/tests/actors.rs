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
