//! The policy engine end to end, on `palisade run` with the sample API behind it: block with
//! problem+json, the login limit, a deception that never reaches the upstream (checked in the
//! upstream's own log), a geo-fence from a generated `.mmdb`, the admin API (mode switch,
//! actor block/unblock, list entries) and a broken policy file refused with file:line:column.
mod common;

use common::*;
use http::Method;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A GET from a chosen loopback source address (Linux accepts any 127.0.0.0/8 address).
async fn get_from(src: &str, proxy: std::net::SocketAddr, path: &str) -> String {
    let sock = tokio::net::TcpSocket::new_v4().unwrap();
    sock.bind(format!("{src}:0").parse().unwrap()).unwrap();
    let mut s = sock.connect(proxy).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// An admin API call with the token and a JSON body.
async fn admin(p: &Palisade, method: Method, path: &str, body: &str) -> Reply {
    let auth = format!("Bearer {TOKEN}");
    send(
        method,
        &p.admin_url(path),
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        body,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_act_natively_and_are_driven_by_the_admin_api() {
    let (upstream, log) = palisade_demo::start("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let mmdb = files.path().join("country.mmdb");
    std::fs::write(
        &mmdb,
        palisade_policy::geo::testdb::country_db(&[
            ("127.0.0.66/32", "KP"),
            ("127.0.0.67/32", "FR"),
        ]),
    )
    .unwrap();
    let pdir = files.path().join("policies");
    std::fs::create_dir(&pdir).unwrap();
    std::fs::write(
        pdir.join("geo.yaml"),
        r#"policies:
  - id: site-geo-fence
    description: No traffic from embargoed countries
    category: geo
    severity: high
    priority: 8
    when: "true"
    then: { action: geo_fence, deny_countries: [KP, IR] }
    tests:
      act: [ { ip: 127.0.0.66 } ]
      pass: [ { ip: 127.0.0.67 } ]
"#,
    )
    .unwrap();
    let extra = format!(
        r#"login:
  - {{ path: /api/login, method: POST, username: /username, failure_status: [401], max_failures: 5, window: 1m }}
geo: {{ country_db: "{}" }}
lists:
  deny-ips: {{ kind: ip, entries: [] }}
policies: {{ dir: "{}" }}
"#,
        mmdb.display(),
        pdir.display()
    );
    let p = Palisade::start(&config_yaml(upstream, &extra));

    // 1. One curl gets 403 problem+json.
    let r = get(&p.url("/api/products?q=%27%20OR%201%3D1--")).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    assert_eq!(r.json()["policy"], "web-sqli");

    // 2. Failed logins from one client: 401 × 5, then 429 with Retry-After first.
    let mut codes = Vec::new();
    for _ in 0..7 {
        let r = send(
            Method::POST,
            &p.url("/api/login"),
            &[("content-type", "application/json")],
            r#"{"username":"alice","password":"nope"}"#,
        )
        .await;
        codes.push(r.status.as_u16());
        if r.status == 429 {
            assert!(r.headers.contains_key("retry-after"));
            assert_eq!(r.json()["policy"], "ato-login-failures");
        }
    }
    assert_eq!(codes, [401, 401, 401, 401, 401, 429, 429]);

    // 4. Geo-fence: the generated database puts 127.0.0.66 in KP.
    let fenced = get_from("127.0.0.66", p.proxy, "/api/products").await;
    assert!(fenced.starts_with("HTTP/1.1 403"), "{fenced}");
    assert!(fenced.contains("site-geo-fence"), "{fenced}");
    let fine = get_from("127.0.0.67", p.proxy, "/api/products").await;
    assert!(fine.starts_with("HTTP/1.1 200"), "{fine}");

    // 5. Admin API: the policy list, then web-sqli to monitor — the same attack passes.
    let r = admin_get(&p, "/api/policies").await;
    let list = r.json();
    assert!(list["count"].as_u64().unwrap() >= 150);
    let sqli = list["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "web-sqli")
        .unwrap()
        .clone();
    assert!(sqli["hits"].as_u64().unwrap() >= 1);
    let r = admin(
        &p,
        Method::POST,
        "/api/policies/web-sqli/mode",
        r#"{"mode":"monitor"}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["policy"]["mode"], "monitor");
    assert_eq!(
        get(&p.url("/api/products?q=%27%20OR%201%3D1--"))
            .await
            .status,
        200
    );
    let r = admin(
        &p,
        Method::POST,
        "/api/policies/web-sqli/mode",
        r#"{"mode":null}"#,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        get(&p.url("/api/products?q=%27%20OR%201%3D1--"))
            .await
            .status,
        403
    );
    // Without the token: refused.
    let r = send(
        Method::POST,
        &p.admin_url("/api/policies/web-sqli/mode"),
        &[("content-type", "application/json")],
        r#"{"mode":"monitor"}"#,
    )
    .await;
    assert_eq!(r.status, 401);

    // 6. Block an actor for a while, see it refused, unblock it.
    let r = admin(
        &p,
        Method::POST,
        "/api/actors/ip:127.0.0.9/block",
        r#"{"duration":"10m"}"#,
    )
    .await;
    assert_eq!(r.status, 201);
    let blocked = get_from("127.0.0.9", p.proxy, "/api/products").await;
    assert!(
        blocked.starts_with("HTTP/1.1 403") && blocked.contains("actor-blocked"),
        "{blocked}"
    );
    assert!(
        admin_get(&p, "/api/actors/blocked").await.json()["actors"][0]["actor"] == "ip:127.0.0.9"
    );
    let r = admin(&p, Method::DELETE, "/api/actors/ip:127.0.0.9/block", "").await;
    assert_eq!(r.status, 204);
    assert!(get_from("127.0.0.9", p.proxy, "/api/products")
        .await
        .starts_with("HTTP/1.1 200"));

    // 7. A run-time deny-list entry with a TTL takes effect at once.
    let r = admin(
        &p,
        Method::POST,
        "/api/lists/deny-ips",
        r#"{"value":"127.0.0.12","ttl":"5m"}"#,
    )
    .await;
    assert_eq!(r.status, 201);
    assert!(get_from("127.0.0.12", p.proxy, "/api/products")
        .await
        .contains("list-deny-ips"));
    let r = admin(&p, Method::DELETE, "/api/lists/deny-ips/127.0.0.12", "").await;
    assert_eq!(r.status, 204);
    assert!(get_from("127.0.0.12", p.proxy, "/api/products")
        .await
        .starts_with("HTTP/1.1 200"));

    // 8. A broken policy file is refused with file:line:column; the running policies stay.
    std::fs::write(
        pdir.join("broken.yaml"),
        "policies:\n  - id: broken\n    description: d\n    category: test\n    severity: low\n    when: request.pathh == \"/\"\n    then: { action: block }\n",
    )
    .unwrap();
    let r = admin(&p, Method::POST, "/api/config/reload", "").await;
    assert_eq!(r.status, 422);
    let errors = r.json()["errors"].to_string();
    assert!(
        errors.contains("broken.yaml:6:11: policy broken: unknown field `request.pathh`"),
        "{errors}"
    );
    assert_eq!(
        get(&p.url("/api/products?q=%27%20OR%201%3D1--"))
            .await
            .status,
        403
    );
    let fenced = get_from("127.0.0.66", p.proxy, "/api/products").await;
    assert!(fenced.starts_with("HTTP/1.1 403"), "{fenced}");
    std::fs::write(pdir.join("broken.yaml"), "policies:\n  - id: fixed\n    description: d\n    category: test\n    severity: low\n    when: request.path == \"/nope\"\n    then: { action: blokc }\n").unwrap();
    let r = admin(&p, Method::POST, "/api/config/reload", "").await;
    assert!(
        r.json()["errors"]
            .to_string()
            .contains("broken.yaml:7:13: unknown variant `blokc`"),
        "{}",
        r.json()
    );
    std::fs::remove_file(pdir.join("broken.yaml")).unwrap();
    // 9. A credential-stuffing tool gets a fake success; the upstream never sees it, and the
    //    client stays in the deception for its next requests.
    let logins_before = log.count("/api/login");
    let r = send(
        Method::POST,
        &p.url("/api/login"),
        &[
            ("content-type", "application/json"),
            ("user-agent", "OpenBullet2/0.3"),
        ],
        r#"{"username":"bob","password":"guess"}"#,
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.json()["token"].as_str().unwrap().split('.').count(), 3);
    assert_eq!(
        log.count("/api/login"),
        logins_before,
        "the deception reached the upstream"
    );

    let users_before = log.count("/api/users/1");
    let r = get(&p.url("/api/users/1")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["items"], serde_json::json!([]));
    assert_eq!(log.count("/api/users/1"), users_before);
}
