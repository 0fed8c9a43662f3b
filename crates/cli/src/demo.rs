//! `palisade demo`: the sample API on a free port, Palisade in front of it on the embedded
//! default configuration, and three curl lines that show it pass, block and rate-limit.

use crate::run::{self, Banner};
use anyhow::Context;
use std::net::SocketAddr;
use std::path::Path;

/// The demo's configuration: the defaults, one upstream, and the sample API's login.
fn config_text(listen: &str, admin: &str, upstream: SocketAddr, store: &Path) -> String {
    format!(
        r#"
server:
  listen: "{listen}"
admin:
  listen: "{admin}"
upstreams:
  shop:
    servers: ["{upstream}"]
routes:
  - name: shop-api
    path_prefix: /
    upstream: shop
login:
  - path: /api/login
    method: POST
    username: /username
    failure_status: [401]
    max_failures: 5
    window: 1m
events:
  store:
    path: "{store}"
"#,
        store = store.display()
    )
}

pub fn run(listen: &str, admin: &str) -> anyhow::Result<()> {
    let listen = listen.to_string();
    let admin = admin.to_string();
    let dir = std::env::temp_dir().join(format!("palisade-demo-{}", std::process::id()));
    let workdir = dir.clone();
    let result = run::block_on(async move {
        let dir = workdir;
        let (upstream, _log) = palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .context("cannot start the sample API")?;
        // The demo's files live in one temporary directory: the configuration (written out so
        // the dashboard's exceptions can reload it), the policy directory they go to, and
        // the event store.
        std::fs::create_dir_all(dir.join("policies"))
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let store = dir.join("events.redb");
        let text = config_text(&listen, &admin, upstream, &store)
            + &format!("policies:\n  dir: \"{}\"\n", dir.join("policies").display());
        let file = dir.join("palisade-demo.yaml");
        std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
        let cfg = palisade_config::load(&file).map_err(|e| anyhow::anyhow!("{e}"))?;
        let banner = Banner::Demo(Box::new(
            move |proxy: SocketAddr, admin: SocketAddr, token: &str| {
                print_banner(proxy, admin, upstream, token);
            },
        ));
        run::serve(cfg, Some(file), banner).await
    });
    // After the runtime is gone: no file-watcher reload can race the removal.
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn print_banner(proxy: SocketAddr, admin: SocketAddr, upstream: SocketAddr, token: &str) {
    let p = format!("http://{proxy}");
    let a = format!("http://{admin}");
    println!(
        r#"
Palisade demo: a sample shop API with Palisade in front of it.

  proxy      {p}      (sample API behind it on {upstream})
  admin      {a}      token: {token}
  dashboard  {a}/ui/   (sign in with the token)

Try it:

  # 1. passes: a normal product search
  curl -s '{p}/api/products?q=shoes'

  # 2. blocked: SQL injection in the search box -> 403 problem+json
  curl -s '{p}/api/products?q=%27%20OR%201%3D1--'

  # 3. rate-limited: repeated failed logins -> 401 five times, then 429 with Retry-After
  for i in 1 2 3 4 5 6; do curl -s -o /dev/null -w '%{{http_code}}\n' -X POST {p}/api/login \
    -H 'content-type: application/json' -d '{{"username":"alice","password":"guess'$i'"}}'; done

  # 4. deceived: a credential-stuffing tool gets a fake login success; the API never sees it
  curl -s -X POST {p}/api/login -A 'OpenBullet2/0.3' -H 'content-type: application/json' \
    -d '{{"username":"bob","password":"x"}}'

What Palisade saw (and why: palisade policies, palisade explain):

  curl -s -H 'Authorization: Bearer {token}' '{a}/api/events?limit=5'
  curl -s -H 'Authorization: Bearer {token}' {a}/metrics | grep -E 'palisade_(decisions|detections)_total'

Ctrl-C stops the demo (events are flushed first).
"#
    );
}
