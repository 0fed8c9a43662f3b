use crate::upstream::Loan;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use hyper::body::Incoming;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Bodies the proxy sends, in either direction, without boxing: a buffered body, a buffered
/// prefix followed by the rest of a stream (the rest may be empty), or an upstream response
/// whose connection goes back to the pool when the body has been read to its end.
pub enum ProxyBody {
    Full(Option<Bytes>),
    Stream {
        prefix: Option<Bytes>,
        rest: Incoming,
    },
    Upstream(UpstreamBody),
    /// A buffered prefix, then whatever is left of another body (response inspection).
    Chain {
        prefix: Option<Bytes>,
        rest: Box<ProxyBody>,
    },
}

/// An upstream HTTP/1.1 response body holding the connection it arrives on.
pub struct UpstreamBody {
    rest: Incoming,
    loan: Option<Loan>,
}

impl UpstreamBody {
    fn give_back_if_done(&mut self) {
        if self.rest.is_end_stream() {
            if let Some(loan) = self.loan.take() {
                loan.home.give_back(loan.conn);
            }
        }
    }
}

impl Drop for UpstreamBody {
    fn drop(&mut self) {
        // A body dropped before its end leaves the connection mid-response: it is closed with
        // the loan instead of returned.
        self.give_back_if_done();
    }
}

impl ProxyBody {
    pub fn empty() -> Self {
        ProxyBody::Full(None)
    }

    pub fn full(b: Bytes) -> Self {
        if b.is_empty() {
            ProxyBody::Full(None)
        } else {
            ProxyBody::Full(Some(b))
        }
    }

    pub fn stream(rest: Incoming) -> Self {
        ProxyBody::Stream { prefix: None, rest }
    }

    /// An upstream response body; with a loan, its connection is returned at the end.
    pub fn upstream(rest: Incoming, loan: Option<Loan>) -> Self {
        match loan {
            None => ProxyBody::stream(rest),
            Some(loan) => ProxyBody::Upstream(UpstreamBody {
                rest,
                loan: Some(loan),
            }),
        }
    }
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut() {
            ProxyBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            ProxyBody::Stream { prefix, rest } => {
                if let Some(p) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(p))));
                }
                Pin::new(rest).poll_frame(cx)
            }
            ProxyBody::Chain { prefix, rest } => {
                if let Some(p) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(p))));
                }
                Pin::new(rest.as_mut()).poll_frame(cx)
            }
            ProxyBody::Upstream(u) => {
                let polled = Pin::new(&mut u.rest).poll_frame(cx);
                if matches!(polled, Poll::Ready(None) | Poll::Ready(Some(Ok(_)))) {
                    u.give_back_if_done();
                }
                polled
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            ProxyBody::Full(b) => b.is_none(),
            ProxyBody::Stream { prefix, rest } => prefix.is_none() && rest.is_end_stream(),
            ProxyBody::Upstream(u) => u.rest.is_end_stream(),
            ProxyBody::Chain { prefix, rest } => prefix.is_none() && rest.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ProxyBody::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            ProxyBody::Stream { prefix, rest } => with_prefix(prefix, rest.size_hint()),
            ProxyBody::Upstream(u) => u.rest.size_hint(),
            ProxyBody::Chain { prefix, rest } => with_prefix(prefix, rest.size_hint()),
        }
    }
}

/// The size hint of a buffered prefix followed by a body with hint `rest`.
fn with_prefix(prefix: &Option<Bytes>, rest: SizeHint) -> SizeHint {
    let p = prefix.as_ref().map_or(0, |b| b.len() as u64);
    let mut hint = SizeHint::new();
    hint.set_lower(rest.lower() + p);
    if let Some(u) = rest.upper() {
        hint.set_upper(u + p);
    }
    hint
}
