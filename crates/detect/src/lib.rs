//! Stateless attack detection. A [`Detector`] looks at one normalized value and reports
//! [`Signal`]s; a [`Registry`] maps names to detector factories so configuration can pick
//! detectors by name; a [`DetectorSet`] runs the chosen ones over a request.
//!
//! Architecture invariant: a detector never does I/O and never blocks; it is a pure function
//! of the value (and its compiled configuration).
#![forbid(unsafe_code)]

mod java;
mod lfi;
mod rce;
mod registry;
mod scanner;
pub mod sensitive;
mod sqli;
mod xss;
mod xxe;

pub use registry::{DetectorSet, Registry, RegistryError};

use palisade_normalize::Value;
use palisade_types::Signal;

/// A stateless detector. Implementations must be cheap on clean values: check for the
/// characters an attack needs before doing real work.
pub trait Detector: Send + Sync {
    /// Stable name, as used in configuration and in signals.
    fn name(&self) -> &'static str;
    /// Judges one value and appends any signals to `out`.
    fn inspect(&self, value: &Value, out: &mut Vec<Signal>);
}

pub(crate) fn signal(
    detector: &'static str,
    category: palisade_types::Category,
    confidence: f32,
    value: &Value,
    evidence: &str,
) -> Signal {
    Signal {
        detector,
        category,
        confidence,
        place: value.place.clone(),
        evidence: palisade_types::mask_evidence(evidence),
    }
}

/// Test helper shared by the detector modules: a value at a query parameter.
#[cfg(test)]
pub(crate) fn value(text: &str) -> Value {
    Value::new(
        palisade_types::Place::new(palisade_types::PlaceKind::QueryValue, "q"),
        text.to_string(),
        3,
    )
}

/// Test helper shared by the detector modules: does `detector` raise any signal on `text`
/// placed in a query parameter?
#[cfg(test)]
pub(crate) fn hits(detector: &dyn Detector, text: &str) -> bool {
    let mut out = Vec::new();
    detector.inspect(&value(text), &mut out);
    !out.is_empty()
}
