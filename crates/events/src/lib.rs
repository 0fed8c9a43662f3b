//! Events: every decision that is not a plain allow becomes an [`Event`]. The data plane puts
//! events on a bounded queue ([`EventSender::send`] never waits; a full queue drops and
//! counts); one writer thread takes them off, stores them in the embedded store and writes the
//! JSON-lines sink. Closing every sender drains and flushes everything.
//!
//! Architecture invariant: the data plane never waits on the event store.
#![forbid(unsafe_code)]

mod event;
mod store;
mod writer;

pub use event::{mask_query, Event, RequestSummary, SignalRecord};
pub use store::{EventQuery, Store, StoreError, StoreReader};
pub use writer::{start, EventSender, Writer};
