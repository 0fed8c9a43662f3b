//! Listeners and connections: accept (bounded by `max_connections`), peek the TLS
//! ClientHello, terminate TLS, serve HTTP/1.1 or HTTP/2 with hyper, and drain on shutdown.

use crate::runtime::Shared;
use crate::service::{self, ConnInfo};
use crate::tls;
use bytes::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use palisade_types::TlsInfo;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// Resolves when the server should stop accepting and drain.
pub type ShutdownSignal = watch::Receiver<bool>;

/// HTTP/2 streams one connection may have open at once.
const MAX_H2_STREAMS: u32 = 256;

fn builder(shared: &Shared) -> auto::Builder<TokioExecutor> {
    let t = shared.current().config.server.timeouts;
    let mut b = auto::Builder::new(TokioExecutor::new());
    b.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(t.header_read)
        .keep_alive(true)
        .max_buf_size(64 * 1024);
    b.http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(MAX_H2_STREAMS)
        // Rapid reset (CVE-2023-44487): bound streams reset before the handler sees them.
        .max_pending_accept_reset_streams(Some(64))
        .keep_alive_interval(Some(std::time::Duration::from_secs(30)));
    b
}

/// Serves connections from `listener` until `shutdown` flips, then waits (up to the
/// configured grace) for open connections to finish.
pub async fn serve(shared: Arc<Shared>, listener: TcpListener, mut shutdown: ShutdownSignal) {
    let graceful = GracefulShutdown::new();
    let builder = builder(&shared);
    let limit = Arc::new(Semaphore::new(
        shared.current().config.server.max_connections,
    ));
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and similar: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => break,
        };
        let Ok(permit) = limit.clone().try_acquire_owned() else {
            shared.metrics.connections_refused.fetch_add(1, Relaxed);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let rt = shared.current();
        let shared = shared.clone();
        let watcher = graceful.watcher();
        let builder = builder.clone();
        tokio::spawn(async move {
            shared.metrics.connections_open.fetch_add(1, Relaxed);
            match rt.tls.clone() {
                None => {
                    let info = Arc::new(ConnInfo { peer, tls: None });
                    let svc_shared = shared.clone();
                    let svc = service_fn(move |req| {
                        service::handle(svc_shared.clone(), info.clone(), req)
                    });
                    let conn = builder
                        .serve_connection(TokioIo::new(stream), svc)
                        .into_owned();
                    let _ = watcher.watch(conn).await;
                }
                Some(acceptor) => {
                    let t = rt.config.server.timeouts.header_read;
                    let hello = tls::peek_client_hello(&stream, t).await;
                    let sni = tls::sni(&hello);
                    let info = Arc::new(ConnInfo {
                        peer,
                        tls: Some(Arc::new(TlsInfo {
                            client_hello: Bytes::from(hello),
                            sni,
                        })),
                    });
                    match tokio::time::timeout(t, acceptor.accept(stream)).await {
                        Ok(Ok(tls_stream)) => {
                            let svc_shared = shared.clone();
                            let svc = service_fn(move |req| {
                                service::handle(svc_shared.clone(), info.clone(), req)
                            });
                            let conn = builder
                                .serve_connection(TokioIo::new(tls_stream), svc)
                                .into_owned();
                            let _ = watcher.watch(conn).await;
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
            shared.metrics.connections_open.fetch_sub(1, Relaxed);
            drop(permit);
        });
    }
    drop(listener);
    let grace = shared.current().config.server.timeouts.shutdown_grace;
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown grace period over; closing remaining connections");
    }
}
