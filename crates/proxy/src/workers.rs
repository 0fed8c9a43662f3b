//! Thread-per-core: each worker is an OS thread with its own single-threaded tokio runtime,
//! its own `SO_REUSEPORT` listener (the kernel spreads connections across them) and its own
//! upstream connection pools. A request never leaves the thread that accepted it, so nothing
//! on the request path is shared between cores except read-only configuration and atomics.

use crate::runtime::Shared;
use crate::server::{serve, ShutdownSignal};
use socket2::{Domain, Protocol, Socket, Type};
use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

thread_local! {
    static WORKER: Cell<usize> = const { Cell::new(0) };
}

/// Index of the worker thread running the caller (0 outside workers).
pub fn worker_index() -> usize {
    WORKER.with(Cell::get)
}

/// Pending connections the kernel queues per listener.
const BACKLOG: i32 = 4096;

fn listener(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let s = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    s.set_reuse_address(true)?;
    s.set_reuse_port(true)?;
    s.bind(&addr.into())?;
    s.listen(BACKLOG)?;
    s.set_nonblocking(true)?;
    Ok(s.into())
}

/// Binds `workers` listeners on `addr` (port 0 picks one port for all) and returns them with
/// the bound address. Binding happens before any thread starts, so errors are reported here.
pub fn bind(
    addr: SocketAddr,
    workers: usize,
) -> std::io::Result<(Vec<std::net::TcpListener>, SocketAddr)> {
    let first = listener(addr)?;
    let bound = first.local_addr()?;
    let mut all = vec![first];
    for _ in 1..workers.max(1) {
        all.push(listener(bound)?);
    }
    Ok((all, bound))
}

/// Starts one worker thread per listener; each serves until `shutdown` flips, then drains.
pub fn start(
    shared: Arc<Shared>,
    listeners: Vec<std::net::TcpListener>,
    shutdown: ShutdownSignal,
) -> std::io::Result<Vec<JoinHandle<()>>> {
    let mut handles = Vec::with_capacity(listeners.len());
    for (i, l) in listeners.into_iter().enumerate() {
        let shared = shared.clone();
        let shutdown = shutdown.clone();
        let h = std::thread::Builder::new()
            .name(format!("palisade-worker-{i}"))
            .spawn(move || {
                WORKER.with(|w| w.set(i));
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        tracing::error!(worker = i, error = %e, "cannot start worker runtime");
                        return;
                    }
                };
                rt.block_on(async move {
                    match tokio::net::TcpListener::from_std(l) {
                        Ok(l) => serve(shared, l, shutdown).await,
                        Err(e) => {
                            tracing::error!(worker = i, error = %e, "cannot register listener")
                        }
                    }
                });
            })?;
        handles.push(h);
    }
    Ok(handles)
}
