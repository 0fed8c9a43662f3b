//! Starting, reloading and stopping a Palisade process.

use anyhow::Context;
use notify::Watcher;
use palisade_admin::AdminState;
use palisade_config::Config;
use palisade_detect::Registry;
use palisade_engine::EngineShared;
use palisade_metrics::Metrics;
use palisade_proxy::{Runtime, Shared};
use std::future::Future;
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Runs `f` on the control runtime: admin API, signals, file watch, reloads. Traffic is served
/// by the worker threads `serve` starts, each with a runtime of its own.
pub fn block_on<F: Future<Output = anyhow::Result<()>>>(f: F) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_current_thread()
        .thread_name("palisade-control")
        .enable_all()
        .build()
        .context("cannot start the runtime")?
        .block_on(f)
}

/// Prints the demo banner from the bound proxy and admin addresses and the admin token.
pub type PrintBanner = Box<dyn FnOnce(SocketAddr, SocketAddr, &str) + Send>;

/// What to print once listening.
pub enum Banner {
    Plain,
    /// The demo prints its own banner with the real addresses and token.
    Demo(PrintBanner),
}

/// A random admin token from the OS, hex.
fn generate_token() -> String {
    let mut bytes = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_err()
    {
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::hash::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn serve(cfg: Config, source: Option<PathBuf>, banner: Banner) -> anyhow::Result<()> {
    let metrics = Arc::new(Metrics::default());
    let (events, writer) = palisade_events::start(&cfg.events, metrics.clone())
        .context("cannot start the event store")?;
    let engine_shared = EngineShared::for_config(&cfg);
    let token: String = match (&cfg.admin.token, std::env::var("PALISADE_ADMIN_TOKEN")) {
        (Some(t), _) => t.clone(),
        (None, Ok(t)) if t.len() >= 16 => t,
        _ => generate_token(),
    };
    let proxy_addr = cfg.server.listen;
    let admin_addr = cfg.admin.listen;
    let workers = cfg.server.workers;
    let runtime = Runtime::build(cfg, &Registry::builtin(), engine_shared.clone(), workers)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let shared = Shared::new(
        runtime,
        metrics.clone(),
        events,
        engine_shared,
        Registry::builtin(),
        source.clone(),
        workers,
    );

    let (listeners, proxy_local) = palisade_proxy::bind(proxy_addr, workers)
        .with_context(|| format!("cannot listen on {proxy_addr} (server.listen)"))?;
    let admin_listener = TcpListener::bind(admin_addr)
        .await
        .with_context(|| format!("cannot listen on {admin_addr} (admin.listen)"))?;
    let admin_local = admin_listener.local_addr()?;

    let ready = Arc::new(AtomicBool::new(false));
    let reload_shared = shared.clone();
    let admin_state = AdminState {
        token: Arc::from(token.as_str()),
        metrics,
        events: writer.reader(),
        reload: Arc::new(move || reload_shared.reload()),
        ready: ready.clone(),
        control: Arc::new(Control(shared.clone())),
        stats: Arc::default(),
    };
    tokio::spawn(
        admin_state
            .stats
            .clone()
            .run(admin_state.metrics.clone(), admin_state.control.clone()),
    );
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker_threads = palisade_proxy::start_workers(shared.clone(), listeners, stop_rx.clone())
        .context("cannot start worker threads")?;
    let mut admin_stop = stop_rx.clone();
    let admin_task = tokio::spawn(async move {
        let app = palisade_admin::router(admin_state);
        let _ = axum::serve(admin_listener, app)
            .with_graceful_shutdown(async move {
                let _ = admin_stop.changed().await;
            })
            .await;
    });
    let _watcher = source
        .as_ref()
        .and_then(|p| watch_file(p.clone(), shared.clone()));
    ready.store(true, Ordering::Release);

    // A line tests and scripts can read the real (port-0) addresses from.
    println!("palisade listening proxy={proxy_local} admin={admin_local}");
    match banner {
        Banner::Plain => {
            if shared.current().config.admin.token.is_none() {
                eprintln!("admin token (generated for this run): {token}");
            }
        }
        Banner::Demo(print) => print(proxy_local, admin_local, &token),
    }

    wait_for_stop(shared.clone()).await;
    tracing::info!("shutting down: draining connections and flushing events");
    ready.store(false, Ordering::Release);
    let _ = stop_tx.send(true);
    tokio::task::spawn_blocking(move || {
        for t in worker_threads {
            let _ = t.join();
        }
    })
    .await
    .context("worker threads")?;
    let _ = admin_task.await;
    drop(shared);
    tokio::task::spawn_blocking(move || writer.shutdown())
        .await
        .context("event writer")?;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGINT or SIGTERM; reloads on SIGHUP meanwhile.
async fn wait_for_stop(shared: Arc<Shared>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => return,
            _ = term.recv() => return,
            _ = hup.recv() => {
                tracing::info!("SIGHUP: reloading configuration");
                let s = shared.clone();
                let _ = tokio::task::spawn_blocking(move || s.reload()).await;
            }
        }
    }
}

/// Reloads when the configuration file, a policy file in `policies.dir`, a patch file in
/// `patches.dir`, a list file or a GeoIP database changes. Watches directories, since editors and config managers replace
/// files by renaming; bursts of events are merged (200 ms). The set of watched paths is the
/// one of the configuration at start.
fn watch_file(path: PathBuf, shared: Arc<Shared>) -> Option<notify::RecommendedWatcher> {
    let abs = |p: &std::path::Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let cfg = shared.current().config.clone();
    let mut files: Vec<PathBuf> = vec![path.clone()];
    files.extend(cfg.lists.iter().filter_map(|l| l.file.clone()));
    files.extend(cfg.geo.country_db.iter().cloned());
    files.extend(cfg.geo.asn_db.iter().cloned());
    let files: Vec<PathBuf> = files.iter().map(|f| abs(f)).collect();
    let yaml_dirs: Vec<PathBuf> = cfg
        .policies
        .dir
        .iter()
        .chain(cfg.patches.dir.iter())
        .map(|d| abs(d))
        .collect();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(PathBuf::from))
        .chain(yaml_dirs.iter().cloned())
        .collect();
    dirs.sort();
    dirs.dedup();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            if ev.kind.is_access() {
                return;
            }
            let relevant = ev.paths.iter().any(|p| {
                files.iter().any(|f| f == p)
                    || yaml_dirs.iter().any(|d| {
                        p.parent() == Some(d.as_path())
                            && p.extension().is_some_and(|x| x == "yaml" || x == "yml")
                    })
            });
            if relevant {
                let _ = tx.try_send(());
            }
        }
    })
    .map_err(|e| tracing::warn!(error = %e, "cannot watch the configuration files; SIGHUP and the admin API still reload"))
    .ok()?;
    for dir in &dirs {
        if let Err(e) = watcher.watch(dir, notify::RecursiveMode::NonRecursive) {
            tracing::warn!(error = %e, dir = %dir.display(), "cannot watch a configuration directory");
        }
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            while rx.try_recv().is_ok() {}
            let s = shared.clone();
            let _ = tokio::task::spawn_blocking(move || s.reload()).await;
        }
    });
    Some(watcher)
}

/// The admin API's view of the running configuration: always the current runtime's.
struct Control(Arc<palisade_proxy::Shared>);

impl palisade_admin::Control for Control {
    fn policies(&self) -> Vec<palisade_policy::PolicyInfo> {
        self.0.current().engine.policies().info()
    }
    fn lists(&self) -> Vec<(Arc<str>, palisade_policy::expr::ListKind, usize)> {
        self.0.current().engine.policies().lists().summary()
    }
    fn policy_shared(&self) -> Arc<palisade_policy::PolicyShared> {
        self.0.engine.policy.clone()
    }
    fn marks(&self) -> Arc<palisade_actors::Marks> {
        self.0.engine.marks.clone()
    }
    fn actors(
        &self,
        min: palisade_actors::Level,
        limit: usize,
    ) -> Vec<palisade_actors::ActorSummary> {
        self.0.current().engine.actors(min, limit)
    }
    fn actor(&self, key: &palisade_actors::ActorKey) -> Option<palisade_actors::ActorDetail> {
        self.0.current().engine.actor(key)
    }
    fn endpoints(&self) -> Vec<palisade_actors::EndpointInfo> {
        self.0.current().engine.endpoints()
    }
    fn add_exception(
        &self,
        spec: &palisade_admin::ExceptionSpec,
    ) -> Result<(String, String), (axum::http::StatusCode, String)> {
        use axum::http::StatusCode;
        let rt = self.0.current();
        let Some(dir) = rt.config.policies.dir.clone() else {
            return Err((
                StatusCode::CONFLICT,
                "no policy directory: set policies.dir so exceptions survive restarts".into(),
            ));
        };
        if !rt
            .engine
            .policies()
            .policies()
            .any(|p| *p.id == *spec.policy)
        {
            return Err((
                StatusCode::NOT_FOUND,
                format!("no policy {:?}", spec.policy),
            ));
        }
        let bad = |what: &str| Err((StatusCode::BAD_REQUEST, format!("invalid {what}")));
        let method = spec.method.to_ascii_uppercase();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
            return bad("method");
        }
        let template = palisade_actors::endpoint_template(&spec.path);
        if !template.starts_with('/')
            || template.len() > 512
            || template.contains(['"', '\\', '\n', '\r'])
        {
            return bad("path");
        }
        let detector = spec.detector.as_deref().filter(|d| !d.is_empty());
        if detector.is_some_and(|d| {
            !d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }) {
            return bad("detector");
        }
        let scope = format!("{method} {template} {}", detector.unwrap_or("*"));
        let id = format!(
            "exception-{}-{:08x}",
            spec.policy,
            palisade_actors::hash32(scope.as_bytes())
        );
        let mut when =
            format!("request.method == \"{method}\" && request.endpoint == \"{template}\"");
        if let Some(d) = detector {
            when.push_str(&format!(" && signal_from(\"{d}\") > 0.0"));
        }
        let from = spec
            .event_id
            .map_or(String::new(), |e| format!(" (from event {e})"));
        let text = format!(
            "# Written by the dashboard's one-click exception{from}. Edit or delete freely.\n\
             policies:\n  - id: {id}\n    description: \"Exception: allow what {policy} refused on {method} {template}{det}\"\n    category: \"exception\"\n    severity: low\n    priority: 1\n    when: |\n      {when}\n    then: {{\"action\": \"allow\"}}\n",
            policy = spec.policy,
            det = detector.map_or(String::new(), |d| format!(" for {d}")),
        );
        let file = dir.join(format!("{id}.yaml"));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&file, text))
            .map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("{}: {e}", file.display()),
                )
            })?;
        if let Err(errors) = self.0.reload() {
            let _ = std::fs::remove_file(&file);
            return Err((StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()));
        }
        Ok((id, file.display().to_string()))
    }
}
