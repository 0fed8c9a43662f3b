//! Upstream connections, pooled per worker thread and per server, on hyper's connection-level
//! client. Written here rather than using hyper-util's `legacy::Client` because a proxy needs
//! less than a general client, and the difference is measurable on every request: no pool
//! map keyed by a hashed URI authority, no boxed response future, no absolute URI to build
//! (HTTP/1.1 requests go out in origin form), and no connection shared between threads.
//!
//! HTTP/1.1: a connection serves one request at a time. It is checked out of the worker's
//! idle list, and goes back when the response body has been read to its end; a connection
//! whose response was not read to the end is closed. HTTP/2: one multiplexed connection per
//! worker and server, cloned for every request, replaced when it closes.

use crate::body::ProxyBody;
use http::uri::Authority;
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpStream;

/// Why an upstream exchange failed, for the error mapping in `service`.
pub enum SendError {
    Connect(String),
    Request(hyper::Error),
}

/// Idle HTTP/1.1 connections of one worker to one server.
pub(crate) struct IdleList {
    conns: Mutex<Vec<http1::SendRequest<ProxyBody>>>,
    max_idle: usize,
}

impl IdleList {
    fn take(&self) -> Option<http1::SendRequest<ProxyBody>> {
        // Only the owning worker touches this list: the lock is never contended.
        self.conns.lock().ok()?.pop()
    }

    /// Puts a connection whose last response was read to the end back for reuse.
    pub(crate) fn give_back(&self, conn: http1::SendRequest<ProxyBody>) {
        if conn.is_closed() {
            return;
        }
        if let Ok(mut list) = self.conns.lock() {
            if list.len() < self.max_idle {
                list.push(conn);
            }
        }
    }
}

/// A connection on loan to one HTTP/1.1 response body; returned when that body ends.
pub struct Loan {
    pub(crate) conn: http1::SendRequest<ProxyBody>,
    pub(crate) home: Arc<IdleList>,
}

/// All connections of one worker to one server.
struct Slot {
    idle: Arc<IdleList>,
    h2: Mutex<Option<http2::SendRequest<ProxyBody>>>,
}

/// Connections to the servers of one upstream, for every worker.
pub struct Connections {
    /// `workers × servers` slots; worker `w`, server `s` is at `w * servers + s`.
    slots: Vec<Slot>,
    servers: usize,
    http2: bool,
    connect_timeout: Duration,
}

impl Connections {
    pub fn new(
        workers: usize,
        servers: usize,
        max_idle: usize,
        http2: bool,
        connect_timeout: Duration,
    ) -> Self {
        let slots = (0..workers.max(1) * servers.max(1))
            .map(|_| Slot {
                idle: Arc::new(IdleList {
                    conns: Mutex::new(Vec::new()),
                    max_idle,
                }),
                h2: Mutex::new(None),
            })
            .collect();
        Connections {
            slots,
            servers: servers.max(1),
            http2,
            connect_timeout,
        }
    }

    fn slot(&self, server: usize) -> &Slot {
        let i = crate::workers::worker_index() * self.servers + server % self.servers;
        &self.slots[i % self.slots.len()]
    }

    async fn connect(&self, addr: &Authority) -> Result<TokioIo<TcpStream>, SendError> {
        let stream = tokio::time::timeout(self.connect_timeout, TcpStream::connect(addr.as_str()))
            .await
            .map_err(|_| SendError::Connect(format!("connect to {addr} timed out")))?
            .map_err(|e| SendError::Connect(format!("connect to {addr}: {e}")))?;
        let _ = stream.set_nodelay(true);
        Ok(TokioIo::new(stream))
    }

    /// Sends `req` (origin-form URI for HTTP/1.1, absolute for HTTP/2) to `addr`, server
    /// number `server` of this upstream. Returns the response and, for HTTP/1.1, the loan to
    /// attach to its body.
    pub async fn send(
        &self,
        server: usize,
        addr: &Authority,
        req: Request<ProxyBody>,
    ) -> Result<(Response<Incoming>, Option<Loan>), SendError> {
        let slot = self.slot(server);
        if self.http2 {
            return self.send_h2(slot, addr, req).await;
        }
        let mut req = req;
        // Reuse an idle connection; a request that never left on a connection the server had
        // just closed (hyper hands it back unsent) goes to the next idle one, then a new one.
        while let Some(mut conn) = slot.idle.take() {
            if conn.ready().await.is_err() {
                continue;
            }
            match conn.try_send_request(req).await {
                Ok(resp) => {
                    return Ok((
                        resp,
                        Some(Loan {
                            conn,
                            home: slot.idle.clone(),
                        }),
                    ))
                }
                Err(mut e) => match e.take_message() {
                    Some(unsent) => req = unsent,
                    None => return Err(SendError::Request(e.into_error())),
                },
            }
        }
        let io = self.connect(addr).await?;
        let (mut conn, driver) = http1::Builder::new()
            .handshake::<_, ProxyBody>(io)
            .await
            .map_err(SendError::Request)?;
        tokio::spawn(async move {
            let _ = driver.await;
        });
        let resp = conn.send_request(req).await.map_err(SendError::Request)?;
        Ok((
            resp,
            Some(Loan {
                conn,
                home: slot.idle.clone(),
            }),
        ))
    }

    async fn send_h2(
        &self,
        slot: &Slot,
        addr: &Authority,
        req: Request<ProxyBody>,
    ) -> Result<(Response<Incoming>, Option<Loan>), SendError> {
        let cached = slot
            .h2
            .lock()
            .ok()
            .and_then(|g| g.as_ref().filter(|c| !c.is_closed()).cloned());
        let mut conn = match cached {
            Some(c) => c,
            None => {
                let io = self.connect(addr).await?;
                let (conn, driver) = http2::Builder::new(TokioExecutor::new())
                    .handshake::<_, ProxyBody>(io)
                    .await
                    .map_err(SendError::Request)?;
                tokio::spawn(async move {
                    let _ = driver.await;
                });
                if let Ok(mut g) = slot.h2.lock() {
                    *g = Some(conn.clone());
                }
                conn
            }
        };
        let resp = conn.send_request(req).await.map_err(SendError::Request)?;
        Ok((resp, None))
    }
}
