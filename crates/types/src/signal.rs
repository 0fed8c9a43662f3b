use crate::Category;
use serde::Serialize;

/// Which part of the request a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Path,
    QueryKey,
    QueryValue,
    Header,
    Cookie,
    JsonKey,
    JsonValue,
    FormKey,
    FormValue,
    /// A multipart/form-data field's content (name: the field name).
    Multipart,
    /// A multipart/form-data part sent as a file, with a file name (name: the field name).
    File,
    /// A multipart part's file name (name: the field name).
    Filename,
    /// XML text, CDATA, attribute or processing instruction (name: element path, `@attr`).
    Xml,
    /// A string literal in a GraphQL document (name: where the document was).
    Graphql,
    /// The body taken whole (unknown content type).
    Body,
    Request,
}

impl PlaceKind {
    /// A parameter's key: a query, form or JSON key (what `Detector::keys_only` detectors read).
    pub fn is_key(self) -> bool {
        matches!(
            self,
            PlaceKind::QueryKey | PlaceKind::FormKey | PlaceKind::JsonKey
        )
    }
}

/// A place in the request: its kind and its name (parameter, header or JSON path).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Place {
    pub kind: PlaceKind,
    pub name: String,
}

impl Place {
    pub fn new(kind: PlaceKind, name: impl Into<String>) -> Self {
        Place {
            kind,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            PlaceKind::Path => "path",
            PlaceKind::QueryKey => "query-key",
            PlaceKind::QueryValue => "query",
            PlaceKind::Header => "header",
            PlaceKind::Cookie => "cookie",
            PlaceKind::JsonKey => "json-key",
            PlaceKind::JsonValue => "json",
            PlaceKind::FormKey => "form-key",
            PlaceKind::FormValue => "form",
            PlaceKind::Multipart => "multipart",
            PlaceKind::File => "file",
            PlaceKind::Filename => "filename",
            PlaceKind::Xml => "xml",
            PlaceKind::Graphql => "graphql",
            PlaceKind::Body => "body",
            PlaceKind::Request => "request",
        };
        if self.name.is_empty() {
            f.write_str(kind)
        } else {
            write!(f, "{kind}:{}", self.name)
        }
    }
}

/// What a detector found: the category, how sure it is, where, and a short masked snippet.
#[derive(Clone, Debug, Serialize)]
pub struct Signal {
    /// Name of the detector (or rule) that raised it.
    pub detector: &'static str,
    pub category: Category,
    /// 0.0 ..= 1.0; policies compare it with thresholds.
    pub confidence: f32,
    pub place: Place,
    /// At most [`EVIDENCE_MAX`] characters, digit runs masked.
    pub evidence: String,
    /// Why the detector judged so, in a few words ("stacked statement", "script-capable
    /// tag"): what an analyst reads first when tuning. Empty when the source gives none.
    pub reason: &'static str,
}

/// Longest evidence snippet kept in an event.
pub const EVIDENCE_MAX: usize = 64;

/// Shortens `raw` to [`EVIDENCE_MAX`] characters and masks runs of 4+ digits, so card numbers,
/// phone numbers and ids in attacker-controlled values never reach logs whole.
pub fn mask_evidence(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len().min(EVIDENCE_MAX + 3));
    let chars: Vec<char> = raw.chars().take(EVIDENCE_MAX).collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run = i - start;
            if run >= 4 {
                out.extend(std::iter::repeat_n('*', run));
            } else {
                out.extend(&chars[start..i]);
            }
            continue;
        }
        out.push(if c.is_control() { ' ' } else { c });
        i += 1;
    }
    if raw.chars().count() > EVIDENCE_MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_masks_long_digit_runs_and_truncates() {
        assert_eq!(
            mask_evidence("id=12 card=4111111111111111"),
            "id=12 card=****************"
        );
        let long = "a".repeat(100);
        let masked = mask_evidence(&long);
        assert_eq!(masked.chars().count(), EVIDENCE_MAX + 1);
        assert!(masked.ends_with('…'));
        assert_eq!(mask_evidence("x\ny"), "x y");
    }
}
