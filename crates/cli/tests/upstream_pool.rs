//! The upstream connection pool: keep-alive reuse, and no reuse of connections the upstream
//! closed.
mod common;

use bytes::Bytes;
use common::*;
use http::{Response, StatusCode};
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// An upstream that counts the connections it accepted; `close` makes it answer every
/// request with `Connection: close`.
async fn counting_upstream(close: bool) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let svc = service_fn(move |_req| async move {
                    let mut r = Response::new(Full::new(Bytes::from_static(b"{\"ok\":true}")));
                    if close {
                        r.headers_mut()
                            .insert("connection", "close".parse().unwrap());
                    }
                    Ok::<_, std::convert::Infallible>(r)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    (addr, accepted)
}

#[tokio::test(flavor = "multi_thread")]
async fn sequential_requests_reuse_one_upstream_connection() {
    let (up, accepted) = counting_upstream(false).await;
    let p = Palisade::start(&config_yaml(up, "").replace("workers: 2", "workers: 1"));
    for i in 0..20 {
        let r = get(&p.url(&format!("/item?n={i}"))).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(&r.body[..], b"{\"ok\":true}");
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "keep-alive connection was not reused"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_the_upstream_closes_are_not_reused() {
    let (up, accepted) = counting_upstream(true).await;
    let p = Palisade::start(&config_yaml(up, "").replace("workers: 2", "workers: 1"));
    for i in 0..20 {
        let r = get(&p.url(&format!("/item?n={i}"))).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "request {i}: {:?}",
            String::from_utf8_lossy(&r.body)
        );
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 20);
}
