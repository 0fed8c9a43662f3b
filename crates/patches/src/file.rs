//! Reading and compiling patch files: every problem is reported with its file, line and
//! column, and a patch with a problem is left out (the caller then refuses the whole set).

use crate::{Cond, Matcher, Patch, PatchError, Severity, Transform, Where};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// A request a patch's tests send.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub method: Option<String>,
    /// Request target, query included, as sent.
    pub path: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub body: Option<String>,
}

/// Requests a patch must match (`act`) and near-misses it must not (`pass`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tests {
    #[serde(default)]
    pub act: Vec<Case>,
    #[serde(default)]
    pub pass: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    patches: Vec<RawPatch>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatch {
    id: Spanned<String>,
    title: String,
    severity: Severity,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    methods: Vec<String>,
    #[serde(default)]
    all: Vec<Spanned<RawCond>>,
    #[serde(default)]
    any: Vec<Spanned<RawCond>>,
    tests: Tests,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    places: Vec<String>,
    #[serde(default)]
    transforms: Vec<String>,
    contains: Option<Vec<String>>,
    regex: Option<String>,
    equals: Option<String>,
    exists: Option<bool>,
    longer_than: Option<usize>,
}

fn place(s: &str) -> Result<Where, String> {
    Ok(match s {
        "path" => Where::Path,
        "query" => Where::Query,
        "body" => Where::Body,
        "cookie" => Where::Cookie,
        "headers" => Where::Headers,
        "args" => Where::Args,
        other => match other.strip_prefix("header:") {
            Some(name) => Where::Header(
                http::HeaderName::from_bytes(name.trim().to_ascii_lowercase().as_bytes())
                    .map_err(|_| format!("{name:?} is not a header name"))?,
            ),
            None => {
                return Err(format!(
                    "unknown place {other:?}; places: path, query, body, cookie, headers, header:<name>, args"
                ))
            }
        },
    })
}

fn transform(s: &str) -> Result<Transform, String> {
    Ok(match s {
        "url_decode" => Transform::UrlDecode,
        "html_decode" => Transform::HtmlDecode,
        "lowercase" => Transform::Lowercase,
        "remove_whitespace" => Transform::RemoveWhitespace,
        "normalize_path" => Transform::NormalizePath,
        "base64_decode" => Transform::Base64Decode,
        other => {
            return Err(format!(
                "unknown transform {other:?}; transforms: url_decode, html_decode, lowercase, remove_whitespace, normalize_path, base64_decode"
            ))
        }
    })
}

fn cond(raw: RawCond) -> Result<Cond, String> {
    if raw.places.is_empty() {
        return Err("a condition needs at least one place".into());
    }
    let places = raw
        .places
        .iter()
        .map(|p| place(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut transforms = raw
        .transforms
        .iter()
        .map(|t| transform(t))
        .collect::<Result<Vec<_>, _>>()?;
    // Lower-casing commutes with the other transforms: fold it into the matcher (a
    // case-insensitive automaton or regex) instead of copying every value it reads.
    let caseless = transforms.contains(&Transform::Lowercase);
    transforms.retain(|t| *t != Transform::Lowercase);
    let mut matchers = Vec::new();
    // The matcher as one regex, so that conditions on the same short text can share a set
    // (see `PatchSet::group`). ASCII case folding needs ASCII text to be exact.
    let mut source = None;
    let fold = |ascii: bool| match (caseless, ascii) {
        (false, _) => Some(""),
        (true, true) => Some("(?i-u)"),
        (true, false) => None,
    };
    if let Some(list) = raw.contains {
        if list.is_empty() || list.iter().any(String::is_empty) {
            return Err("contains: needs non-empty strings".into());
        }
        source = fold(list.iter().all(|w| w.is_ascii())).map(|flags| {
            let words: Vec<String> = list.iter().map(|w| regex::escape(w)).collect();
            format!("{flags}(?:{})", words.join("|"))
        });
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(caseless)
            .build(&list)
            .map_err(|e| format!("contains: {e}"))?;
        matchers.push(Matcher::Contains(ac));
    }
    if let Some(re) = raw.regex {
        source = Some(if caseless {
            format!("(?i:{re})")
        } else {
            format!("(?:{re})")
        });
        // Bounded: the regex crate has no backtracking; the size limit keeps a hostile or
        // careless pattern from compiling into something huge.
        let re = regex::RegexBuilder::new(&re)
            .case_insensitive(caseless)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| format!("regex: {e}"))?;
        matchers.push(Matcher::Regex(re));
    }
    if let Some(s) = raw.equals {
        source = fold(s.is_ascii()).map(|flags| format!("{flags}\\A(?:{})\\z", regex::escape(&s)));
        matchers.push(Matcher::Equals(s, caseless));
    }
    match raw.exists {
        Some(true) => matchers.push(Matcher::Exists),
        Some(false) => return Err("exists: false is not a condition; leave it out".into()),
        None => {}
    }
    if let Some(n) = raw.longer_than {
        matchers.push(Matcher::LongerThan(n));
    }
    if matchers.len() != 1 {
        return Err(
            "a condition needs exactly one of contains, regex, equals, exists, longer_than".into(),
        );
    }
    if matches!(matchers[0], Matcher::Exists)
        && !places.iter().all(|p| matches!(p, Where::Header(_)))
    {
        return Err("exists: applies to header:<name> places only".into());
    }
    Ok(Cond {
        places,
        transforms,
        matcher: matchers.remove(0),
        source,
        group: None,
    })
}

/// Loads the patches of one file; problems go to `errors`.
pub(crate) fn load(file: &Path, text: &str, errors: &mut Vec<PatchError>) -> Vec<Patch> {
    let raw: RawFile = match serde_saphyr::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            errors.push(PatchError::yaml(file, &e));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for p in raw.patches {
        let (line, column) = (p.id.referenced.line(), p.id.referenced.column());
        let at = |line: u64, column: u64, message: String| PatchError {
            file: file.to_path_buf(),
            line,
            column,
            message,
        };
        let id = p.id.value.trim().to_string();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
        {
            errors.push(at(
                line,
                column,
                format!("patch id {id:?} must be non-empty and use only letters, digits, - _ . :"),
            ));
            continue;
        }
        let mut ok = true;
        let mut compile = |list: Vec<Spanned<RawCond>>, what: &str| -> Vec<Cond> {
            let mut out = Vec::new();
            for (i, c) in list.into_iter().enumerate() {
                let (l, col) = (c.referenced.line(), c.referenced.column());
                match cond(c.value) {
                    Ok(c) => out.push(c),
                    Err(m) => {
                        ok = false;
                        errors.push(at(l, col, format!("patch {id}: {what}[{i}]: {m}")));
                    }
                }
            }
            out
        };
        let mut all = compile(p.all, "all");
        let any = compile(p.any, "any");
        // Every `all` condition must hold, so the cheap ones go first: a path test rejects
        // most requests before the body is looked at. (Stable: equal costs keep file order.)
        all.sort_by_key(Cond::cost);
        let mut methods = Vec::new();
        for m in &p.methods {
            match http::Method::from_bytes(m.to_ascii_uppercase().as_bytes()) {
                Ok(m) => methods.push(m),
                Err(_) => {
                    ok = false;
                    errors.push(at(line, column, format!("patch {id}: bad method {m:?}")));
                }
            }
        }
        if all.is_empty() && any.is_empty() && ok {
            ok = false;
            errors.push(at(
                line,
                column,
                format!("patch {id}: needs at least one condition in all or any"),
            ));
        }
        if p.tests.act.is_empty() && ok {
            ok = false;
            errors.push(at(
                line,
                column,
                format!("patch {id}: tests.act needs at least one request the patch matches"),
            ));
        }
        if !ok {
            continue;
        }
        out.push(Patch {
            evidence: evidence(&id, &p.title),
            id: Arc::from(id.as_str()),
            title: p.title,
            severity: p.severity,
            references: p.references,
            file: file.to_path_buf(),
            line,
            tests: p.tests,
            methods,
            all,
            any,
        });
    }
    out
}

/// `CVE-…: title`, cut like every other evidence snippet to
/// [`palisade_types::EVIDENCE_MAX`] characters (not masked: it is our text, and its digits
/// are the CVE id).
fn evidence(id: &str, title: &str) -> String {
    let full = format!("{id}: {title}");
    if full.chars().count() <= palisade_types::EVIDENCE_MAX {
        return full;
    }
    let mut cut: String = full.chars().take(palisade_types::EVIDENCE_MAX).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> Vec<String> {
        let mut errors = Vec::new();
        load(Path::new("p.yaml"), text, &mut errors);
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "patches:
  - id: CVE-1
    title: t
    severity: high
    all:
      - { places: [path], regex: '(' }
      - { places: [nowhere], contains: [x] }
    tests: { act: [{ path: / }] }
  - id: CVE-2
    title: t
    severity: high
    all:
      - { places: [path], contains: [x], regex: x }
    tests: { act: [] }
";
        let e = errors_of(text);
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("p.yaml:6:9: patch CVE-1: all[0]: regex:"),
            "{}",
            e[0]
        );
        assert!(
            e[1].starts_with("p.yaml:7:9: patch CVE-1: all[1]: unknown place"),
            "{}",
            e[1]
        );
        assert!(e[2].contains("exactly one of"), "{}", e[2]);
        let e = errors_of("patches:\n  - id: X\n    title: t\n    severity: urgent\n");
        assert!(e[0].starts_with("p.yaml:4:"), "{e:?}");
    }
}
