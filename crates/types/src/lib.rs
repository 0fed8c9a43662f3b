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

/// A set of keys read from one request (a JSON body's object keys). foldhash rather than
/// SipHash: each key is hashed on the way in and again for every policy's `json_has_key`,
/// and SipHash cost several percent of a request. foldhash is seeded per process, and the
/// set is bounded by the body's caps.
pub type KeySet = std::collections::HashSet<Box<str>, foldhash::fast::RandomState>;

/// Bytes as text, invalid sequences replaced by U+FFFD: borrowed when the bytes are valid
/// UTF-8, as request data nearly always is. `String::from_utf8_lossy` validates byte by byte;
/// `str::from_utf8` has a word-at-a-time ASCII path (1 KB: ~0.3k instructions, not ~5k), so
/// it is tried first.
pub fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lossy_borrows_valid_text_and_replaces_invalid_bytes() {
        assert!(matches!(
            super::lossy("héllo".as_bytes()),
            std::borrow::Cow::Borrowed("héllo")
        ));
        assert_eq!(super::lossy(b"a\xffb"), "a\u{fffd}b");
    }
}
