//! Normalization: turn a [`RequestView`] into a bounded list of [`Value`]s — each a place the
//! attacker controls and its decoded text — for the detectors to judge.
//!
//! Everything here is a pure function with hard caps ([`Limits`]): a request can make it do
//! at most `max_values` extractions of at most `max_value_bytes` each, decoded at most
//! `max_decode_depth` times.
#![forbid(unsafe_code)]

pub mod classes;
mod decode;
mod extract;
mod structured;

pub use classes::ByteClasses;
pub use decode::{decode, decode_if_needed, form_decode, percent_decode_lossy};
pub use extract::extract;

use palisade_config::Limits;
use palisade_types::{Place, PlaceKind};

/// One value to inspect.
#[derive(Debug, Clone)]
pub struct Value {
    pub place: Place,
    /// As found (after the container's own decoding: query `+`, JSON escapes).
    pub raw: String,
    /// After repeated URL / `%u` / HTML-entity decoding and null-byte removal; `None` when
    /// that changes nothing (the common case, which then costs no copy).
    decoded: Option<String>,
    /// The byte classes of [`Value::text`], for detectors to skip values cheaply.
    pub classes: ByteClasses,
}

impl Value {
    /// A value found at `place`, decoded at most `depth` rounds.
    pub fn new(place: Place, raw: String, depth: usize) -> Value {
        let raw_classes = ByteClasses::of(&raw);
        let decodable =
            raw_classes.any(classes::PERCENT | classes::AMP | classes::BACKSLASH | classes::NUL);
        let decoded = if decodable {
            decode_if_needed(&raw, depth)
        } else {
            None
        };
        let classes = decoded.as_deref().map_or(raw_classes, ByteClasses::of);
        Value {
            place,
            raw,
            decoded,
            classes,
        }
    }

    /// The text detectors judge: the decoded form.
    pub fn text(&self) -> &str {
        self.decoded.as_deref().unwrap_or(&self.raw)
    }
}

/// All values of one request, plus what did not fit under the caps.
#[derive(Debug, Default)]
pub struct Normalized {
    pub values: Vec<Value>,
    /// Values left uninspected because `max_values` was reached.
    pub values_dropped: usize,
    /// The body could not be parsed as its declared type.
    pub body_unparsed: bool,
    /// When the body parsed as one JSON document: every object key in it, down to
    /// `max_json_depth`. Policies ask whether a key is present (`json_has_key`); handing the
    /// set over spares them a second parse.
    pub body_json_keys: Option<palisade_types::KeySet>,
}

impl Normalized {
    fn push(&mut self, limits: &Limits, place: Place, raw: String) {
        if self.values.len() >= limits.max_values {
            self.values_dropped += 1;
            return;
        }
        let raw = truncate(raw, limits.max_value_bytes);
        let decoded = if place.kind == PlaceKind::Path {
            // A payload in the path: the whole path after its first `/` (base64's own `/`
            // splits it into segments), else its last segment (`/api/items/<base64>`).
            let whole = raw.trim_start_matches('/');
            // Base64 worth decoding has 16 characters or more: most paths end here.
            if whole.len() < 16 {
                None
            } else {
                structured::evident_base64(whole, false).or_else(|| {
                    let last = whole.rsplit('/').next().filter(|l| l.len() < whole.len())?;
                    structured::evident_base64(last, false)
                })
            }
        } else {
            let plus_as_space = matches!(
                place.kind,
                PlaceKind::QueryKey
                    | PlaceKind::QueryValue
                    | PlaceKind::FormKey
                    | PlaceKind::FormValue
            );
            structured::evident_base64(&raw, plus_as_space)
        };
        let value = Value::new(place, raw, limits.max_decode_depth);
        // An evidently base64 value is judged twice: as sent and as decoded.
        if let Some(text) = decoded {
            let mut place = value.place.clone();
            place.name.push_str("#base64");
            self.values.push(value);
            if self.values.len() < limits.max_values {
                self.values
                    .push(Value::new(place, text, limits.max_decode_depth));
            } else {
                self.values_dropped += 1;
            }
            return;
        }
        self.values.push(value);
    }
}

/// Cuts a string to at most `max` bytes on a character boundary.
fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}
