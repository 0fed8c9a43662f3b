//! TLS termination with ALPN: HTTP/2 and HTTP/1.1 over rustls, inspected like cleartext.
mod common;

use bytes::Bytes;
use common::*;
use http::Request;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::{CertificateDer, ServerName};
use std::net::SocketAddr;
use std::sync::Arc;

fn client_config(cert_der: &[u8], alpn: &[u8]) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from(cert_der.to_vec())).unwrap();
    let mut cfg = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    cfg.alpn_protocols = vec![alpn.to_vec()];
    Arc::new(cfg)
}

async fn connect(
    addr: SocketAddr,
    cfg: Arc<rustls::ClientConfig>,
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio_rustls::TlsConnector::from(cfg)
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn tls_terminates_http2_and_http1_with_inspection() {
    let (up, log) = palisade_demo::start(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), key.cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), key.signing_key.serialize_pem()).unwrap();
    let yaml = config_yaml(up, "").replace(
        "  workers: 2\n",
        &format!(
            "  workers: 2\n  tls:\n    cert: {}\n    key: {}\n",
            dir.path().join("cert.pem").display(),
            dir.path().join("key.pem").display()
        ),
    );
    let p = Palisade::start(&yaml);
    let der = key.cert.der().to_vec();

    // HTTP/2 by ALPN.
    let tls = connect(p.proxy, client_config(&der, b"h2")).await;
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (mut h2, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(tls))
            .await
            .unwrap();
    tokio::spawn(conn);
    for (target, expect) in [
        ("/api/products?q=shoes", 200),
        ("/api/products?q=%27%20OR%201%3D1--", 403),
    ] {
        let req = Request::get(format!("https://localhost{target}"))
            .body(Empty::<Bytes>::new())
            .unwrap();
        let resp = h2.send_request(req).await.unwrap();
        assert_eq!(resp.status(), expect, "{target}");
        let _ = resp.into_body().collect().await;
    }

    // HTTP/1.1 by ALPN.
    let tls = connect(p.proxy, client_config(&der, b"http/1.1")).await;
    let (mut h1, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .unwrap();
    tokio::spawn(conn);
    let req = Request::get("/api/users/7")
        .header("host", "localhost")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let resp = h1.send_request(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("customer7@example.com"));
    assert_eq!(log.count("/api/products?q=shoes"), 1);
    assert_eq!(log.count("/api/users/7"), 1);
}
