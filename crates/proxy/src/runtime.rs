//! What a request needs, built from one configuration and swapped whole on reload: a
//! request loads the current [`Runtime`] once and uses that version from start to end.

use crate::tls;
use crate::upstream::Connections;
use arc_swap::ArcSwap;
use http::uri::Authority;
use palisade_config::{Config, ConfigError, ConfigErrors, Route};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineError, EngineShared};
use palisade_events::EventSender;
use palisade_metrics::Metrics;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// One upstream pool: its servers, a round-robin cursor, and connections kept per worker
/// thread, so they are opened, pooled and driven on the worker that uses them.
pub struct UpstreamPool {
    pub name: Arc<str>,
    servers: Vec<Authority>,
    next: AtomicUsize,
    pub http2: bool,
    pub connections: Connections,
}

impl UpstreamPool {
    fn new(u: &palisade_config::Upstream, cfg: &Config, workers: usize) -> Self {
        UpstreamPool {
            name: u.name.clone(),
            servers: u.servers.clone(),
            next: AtomicUsize::new(0),
            http2: u.http2,
            connections: Connections::new(
                workers,
                u.servers.len(),
                u.max_idle_per_server,
                u.http2,
                cfg.server.timeouts.upstream_connect,
            ),
        }
    }

    /// The next server (index and address), round-robin.
    pub fn pick(&self) -> Option<(usize, &Authority)> {
        if self.servers.is_empty() {
            return None;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.servers.len();
        self.servers.get(i).map(|a| (i, a))
    }
}

/// Everything derived from one configuration.
pub struct Runtime {
    pub config: Arc<Config>,
    pub engine: Engine,
    pub upstreams: Vec<UpstreamPool>,
    pub tls: Option<TlsAcceptor>,
}

impl Runtime {
    /// Builds everything for `config`; `workers` is the number of worker threads running.
    pub fn build(
        config: Config,
        registry: &Registry,
        shared: EngineShared,
        workers: usize,
    ) -> Result<Runtime, ConfigErrors> {
        let fail = |path: &str, message: String| {
            ConfigErrors(vec![ConfigError {
                file: config.source.clone(),
                path: path.into(),
                message,
            }])
        };
        let engine = Engine::new(&config, registry, shared).map_err(|e| match e {
            // Policy and patch problems carry their own file and position.
            EngineError::Policies(p) => {
                ConfigErrors(p.0.into_iter().map(|e| e.into_config_error()).collect())
            }
            EngineError::Patches(p) => {
                ConfigErrors(p.0.into_iter().map(|e| e.into_config_error()).collect())
            }
            other => fail("", other.to_string()),
        })?;
        let tls = match &config.server.tls {
            Some(files) => Some(tls::acceptor(files).map_err(|e| fail("server.tls", e))?),
            None => None,
        };
        let upstreams = config
            .upstreams
            .iter()
            .map(|u| UpstreamPool::new(u, &config, workers))
            .collect();
        Ok(Runtime {
            config: Arc::new(config),
            engine,
            upstreams,
            tls,
        })
    }

    /// The most specific route for `host` (no port, lower case) and `path`.
    pub fn route(&self, host: &str, path: &str) -> Option<&Route> {
        self.config
            .routes
            .iter()
            .find(|r| r.host.as_deref().is_none_or(|h| h == host) && r.covers(path))
    }
}

/// Process-wide state: the current runtime, and what outlives reloads (metrics, the event
/// queue, actor state).
pub struct Shared {
    current: ArcSwap<Runtime>,
    pub metrics: Arc<Metrics>,
    pub events: EventSender,
    pub engine: EngineShared,
    /// Requests held in a tarpit right now.
    pub tarpit: Gauge,
    registry: Registry,
    /// Worker threads started (fixed for the life of the process).
    workers: usize,
    /// The file reloads read; `None` for embedded configurations (the demo).
    source: Option<PathBuf>,
}

impl Shared {
    pub fn new(
        runtime: Runtime,
        metrics: Arc<Metrics>,
        events: EventSender,
        engine: EngineShared,
        registry: Registry,
        source: Option<PathBuf>,
        workers: usize,
    ) -> Arc<Shared> {
        Arc::new(Shared {
            current: ArcSwap::from_pointee(runtime),
            metrics,
            events,
            engine,
            tarpit: Gauge::default(),
            registry,
            workers,
            source,
        })
    }

    /// Worker threads serving traffic.
    pub fn workers(&self) -> usize {
        self.workers.max(1)
    }

    /// The runtime in force now.
    pub fn current(&self) -> Arc<Runtime> {
        self.current.load_full()
    }

    /// Re-reads the configuration file and swaps it in whole; on any error the running
    /// configuration keeps serving and every error is returned.
    pub fn reload(&self) -> Result<(), ConfigErrors> {
        let Some(path) = &self.source else {
            return Err(ConfigErrors(vec![ConfigError {
                file: PathBuf::from("<embedded>"),
                path: String::new(),
                message: "this configuration is embedded and cannot be reloaded".into(),
            }]));
        };
        let result = palisade_config::load(path).and_then(|cfg| {
            let old = self.current();
            if cfg.server.listen != old.config.server.listen
                || cfg.admin.listen != old.config.admin.listen
            {
                tracing::warn!("listen addresses changed: they take effect on restart");
            }
            if cfg.server.workers != self.workers {
                tracing::warn!("server.workers changed: it takes effect on restart");
            }
            Runtime::build(cfg, &self.registry, self.engine.clone(), self.workers)
        });
        match result {
            Ok(rt) => {
                self.current.store(Arc::new(rt));
                self.metrics
                    .config_reloads_ok
                    .fetch_add(1, Ordering::Relaxed);
                tracing::info!(file = %path.display(), "configuration reloaded");
                Ok(())
            }
            Err(errors) => {
                self.metrics
                    .config_reloads_failed
                    .fetch_add(1, Ordering::Relaxed);
                tracing::error!(file = %path.display(), "configuration refused, the running one stays:\n{errors}");
                Err(errors)
            }
        }
    }
}

/// A count of things in progress with a ceiling; entering returns a guard that leaves on drop.
#[derive(Default)]
pub struct Gauge(AtomicUsize);

pub struct Held<'a>(&'a Gauge);

impl Gauge {
    pub fn enter(&self, max: usize) -> Option<Held<'_>> {
        let prev = self.0.fetch_add(1, Ordering::AcqRel);
        if prev >= max {
            self.0.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Held(self))
    }

    pub fn now(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::AcqRel);
    }
}
