//! Normalization: turn a [`RequestView`] into a bounded list of [`Value`]s — each a place the
//! attacker controls and its decoded text — for the detectors to judge.
//!
//! Everything here is a pure function with hard caps ([`Limits`]): a request can make it do
//! at most `max_values` extractions of at most `max_value_bytes` each (a longer value is
//! split into at most `max_value_windows` of them), decoded at most `max_decode_depth` times.
#![forbid(unsafe_code)]

pub mod classes;
mod decode;
mod extract;
mod structured;

pub use classes::ByteClasses;
pub use decode::{
    decode, decode_if_needed, form_decode, percent_decode_lossy, query_component, query_pairs,
    split_query,
};
pub use extract::{bisecting_operator, extract, fold_name};

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
    /// For a window of a long value: whether it starts after the value's start and ends
    /// before its end. Markup cut there (a drawing's `</svg>` in a later window) was opened
    /// or is closed in a neighbouring window, which is judged on its own.
    pub cut: Cut,
    /// An uploaded file (or, for a window, the file it is part of) that is a whole HTML
    /// document: a doctype or `<html>` first, `</html>` last, a head and a body.
    pub html_page: bool,
    /// A code block's text in a rich-text editor's JSON document (a node whose `type`,
    /// `_type` or `nodeType` names one: Notion's and Editor.js's `code`, Tiptap's and Jira
    /// ADF's `codeBlock`, ProseMirror's `code_block`, its text nested in it or its
    /// `language` named; Draft.js's `code-block`, its text beside it), or a text node marked
    /// as inline code (`"marks": [{"type": "code"}]`, Slack's `"style": {"code": true}`,
    /// Quill's `"attributes": {"code": true}`, Notion's `"annotations": {"code": true}`),
    /// or a Jupyter notebook's code cell (`"cell_type": "code"`, its `source` and outputs):
    /// code the author shows readers, rendered escaped. Also every value of a turn of a
    /// conversation with a language model (an element of `messages`, `contents` or `input`
    /// with a `role` and its `content`, `parts` or tool calls): text for a model to read.
    pub code: bool,
}

/// Where a window cut its value (both `false` for a whole value).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cut {
    pub before: bool,
    pub after: bool,
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
            cut: Cut::default(),
            html_page: false,
            code: false,
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
    /// Values left uninspected because `max_values` was reached, and long values whose
    /// middle `max_value_windows` had no room for.
    pub values_dropped: usize,
    /// The body could not be parsed as its declared type.
    pub body_unparsed: bool,
    /// When the body parsed as one JSON document: every object key in it, down to
    /// `max_json_depth`. Policies ask whether a key is present (`json_has_key`); handing the
    /// set over spares them a second parse.
    pub body_json_keys: Option<palisade_types::KeySet>,
}

impl Normalized {
    #[inline]
    fn push(&mut self, limits: &Limits, place: Place, raw: String) {
        if raw.len() > limits.max_value_bytes {
            self.push_windows(limits, place, &raw);
            return;
        }
        self.push_one(limits, place, raw, true, Cut::default());
    }

    /// A value longer than `max_value_bytes` is judged in windows of that size, each
    /// overlapping the one before by an eighth (so a payload shorter than that is seen whole
    /// in one), at most `max_value_windows` of them; the last window always ends the value.
    /// Padding a payload past the cap (8 KB of `A`, then `' UNION SELECT …`: GoTestWAF's
    /// size tests) leaves it judged. Bytes between the windows a long value has no room
    /// for go unread and count as a dropped value.
    #[cold]
    #[inline(never)]
    fn push_windows(&mut self, limits: &Limits, place: Place, raw: &str) {
        let size = limits.max_value_bytes.max(1);
        let step = (size - size / 8).max(1);
        let windows = limits.max_value_windows.max(1);
        let last_start = ceil_boundary(raw, raw.len() - size.min(raw.len()));
        let (mut start, mut read_to) = (0, 0);
        let decode = !structured::base64_of_file(raw);
        for i in 0..windows {
            let from = if i + 1 == windows { last_start } else { start };
            // A window opens at a line's start when one begins in the part the window
            // before also read: cut mid-line, a Markdown code span's closing backtick or a
            // quote's closing half would open a span that the text never opened.
            let from = match raw.as_bytes()[from..read_to.clamp(from, from + size / 8)]
                .iter()
                .position(|&b| b == b'\n')
            {
                Some(nl) if i > 0 => from + nl + 1,
                _ => from,
            };
            let end = floor_boundary(raw, (from + size).min(raw.len()));
            if from > read_to {
                // The windows ran out before the value did: its middle goes unread.
                self.values_dropped += 1;
            }
            let cut = Cut {
                before: from > 0,
                after: end < raw.len(),
            };
            self.push_one(
                limits,
                place.clone(),
                raw[from..end].to_string(),
                decode,
                cut,
            );
            if end == raw.len() {
                return;
            }
            read_to = end;
            start = ceil_boundary(raw, from + step).min(last_start);
        }
    }

    /// `decode`: look for base64 in the value (not in windows of a file's base64).
    #[inline]
    fn push_one(&mut self, limits: &Limits, place: Place, raw: String, decode: bool, cut: Cut) {
        if self.values.len() >= limits.max_values {
            self.values_dropped += 1;
            return;
        }
        let mut value = Value::new(place, raw, limits.max_decode_depth);
        value.cut = cut;
        // Base64 is looked for in the decoded text: a cookie or a header sends it
        // percent-encoded (`%2B`, `%2F`, `%3D`) as often as not.
        let text = value.text();
        let decoded = if !decode {
            None
        } else if value.place.kind == PlaceKind::Path {
            // A payload in the path: the whole path after its first `/` (base64's own `/`
            // splits it into segments), else its last segment (`/api/items/<base64>`).
            let whole = text.trim_start_matches('/');
            // Most paths are shorter than base64 worth decoding there and end here: every
            // request has a path, and a payload in one is rarely a short probe.
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
                value.place.kind,
                PlaceKind::QueryKey
                    | PlaceKind::QueryValue
                    | PlaceKind::FormKey
                    | PlaceKind::FormValue
            );
            structured::evident_base64(text, plus_as_space)
        };
        // An evidently base64 value is judged twice: as sent and as decoded. Decoded to a
        // JSON document (a notebook imported to Databricks, a file's JSON through a
        // contents API), it is read by its leaves, as a JSON document in a string is.
        if let Some(text) = decoded {
            let mut place = value.place.clone();
            place.name.push_str("#base64");
            self.values.push(value);
            let nested = place.name.matches('#').count() == 1
                && place.name.matches('$').count() < 2
                && extract::nested_json(self, limits, place.name.trim_start_matches('$'), &text);
            if nested {
                return;
            }
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

/// The character boundary at or before `at`.
fn floor_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The character boundary at or after `at` (at most the string's end).
fn ceil_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}
