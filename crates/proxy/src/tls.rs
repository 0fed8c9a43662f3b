//! TLS termination with rustls (ring provider: pure Rust plus assembly, no cmake), and the
//! ClientHello peek: the first record is read with `peek` before rustls consumes it, so the
//! raw bytes stay available for the JA4 fingerprint.

use palisade_config::TlsFiles;
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

/// A ClientHello is one handshake record; 16 KiB is the TLS record size limit.
const MAX_HELLO: usize = 16 * 1024 + 5;

pub fn acceptor(files: &TlsFiles) -> Result<TlsAcceptor, String> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .map_err(|e| format!("{}: {e}", files.cert.display()))?
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", files.cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .map_err(|e| format!("{}: {e}", files.key.display()))?;
    let mut cfg =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| format!("certificate and key do not fit: {e}"))?;
    cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(cfg)))
}

/// Peeks the first TLS record (the ClientHello) without consuming it. Returns what arrived
/// within `deadline`, possibly partial; never fails the connection by itself.
pub async fn peek_client_hello(stream: &TcpStream, deadline: Duration) -> Vec<u8> {
    let mut buf = vec![0u8; MAX_HELLO];
    let read = tokio::time::timeout(deadline, async {
        let mut have = 0;
        loop {
            let n = match stream.peek(&mut buf).await {
                Ok(0) | Err(_) => return have,
                Ok(n) => n,
            };
            if n == have {
                // Nothing new yet: let more bytes arrive before peeking again.
                tokio::time::sleep(Duration::from_millis(1)).await;
                continue;
            }
            have = n;
            if n >= 5 {
                let want = 5 + usize::from(u16::from_be_bytes([buf[3], buf[4]]));
                if buf[0] != 0x16 || n >= want.min(MAX_HELLO) {
                    return n;
                }
            }
        }
    })
    .await;
    let n = read.unwrap_or(0);
    buf.truncate(n);
    buf
}

/// The SNI host name from a raw ClientHello record, when present (RFC 8446 §4.1.2, RFC 6066 §3).
pub fn sni(hello: &[u8]) -> Option<String> {
    // record header (5) + handshake header (4) + version (2) + random (32)
    let mut p = 5 + 4 + 2 + 32;
    let sid = usize::from(*hello.get(p)?);
    p += 1 + sid;
    let suites = usize::from(u16::from_be_bytes([*hello.get(p)?, *hello.get(p + 1)?]));
    p += 2 + suites;
    let comp = usize::from(*hello.get(p)?);
    p += 1 + comp;
    let ext_len = usize::from(u16::from_be_bytes([*hello.get(p)?, *hello.get(p + 1)?]));
    p += 2;
    let end = (p + ext_len).min(hello.len());
    while p + 4 <= end {
        let kind = u16::from_be_bytes([hello[p], hello[p + 1]]);
        let len = usize::from(u16::from_be_bytes([hello[p + 2], hello[p + 3]]));
        let body = hello.get(p + 4..p + 4 + len)?;
        if kind == 0 {
            // server_name_list length (2), type (1), name length (2), name
            let name_len = usize::from(u16::from_be_bytes([*body.get(3)?, *body.get(4)?]));
            let name = body.get(5..5 + name_len)?;
            return std::str::from_utf8(name).ok().map(str::to_string);
        }
        p += 4 + len;
    }
    None
}
