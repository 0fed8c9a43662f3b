//! The inline data plane. A connection is accepted (TLS ClientHello peeked, then handed to
//! rustls), served by hyper (HTTP/1.1 and HTTP/2), and each request runs the pipeline:
//! route → buffer body → engine (normalize → detect → score → decide) → act → forward →
//! observe the response → record. See `service.rs` for the phases in order.
//!
//! Threading: one OS thread per worker, each with its own single-threaded runtime, listener
//! and upstream pools (`workers.rs`); a request stays on the thread that accepted it.
//!
//! Architecture invariants: no global lock on the request path (the configuration is read
//! through `ArcSwap`, metrics are atomics, state maps are sharded); errors become responses
//! only in `service::respond_error`; the data plane never waits on the event store.
#![forbid(unsafe_code)]

mod body;
mod error;
mod forward;
mod record;
mod runtime;
mod server;
mod service;
mod tls;
mod upstream;
mod workers;

pub use body::ProxyBody;
pub use error::ProxyError;
pub use runtime::{Runtime, Shared};
pub use server::{serve, ShutdownSignal};
pub use workers::{bind, start as start_workers, worker_index};
