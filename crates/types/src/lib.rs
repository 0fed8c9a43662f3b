//! The vocabulary every Palisade crate speaks: what a request looks like to the engine
//! ([`RequestView`]), where a value came from ([`Place`]), what a detector says about it
//! ([`Signal`]), and what the engine decides ([`Decision`]). Nothing here does I/O.
#![forbid(unsafe_code)]

mod category;
mod decision;
mod request;
mod signal;

pub use category::Category;
pub use decision::{Action, Deception, Decision, Mode};
pub use request::{RequestView, ResponseView, TlsInfo};
pub use signal::{mask_evidence, Place, PlaceKind, Signal, EVIDENCE_MAX};
