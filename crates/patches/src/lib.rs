//! CVE virtual patches. A patch file is YAML:
//!
//! ```yaml
//! patches:
//!   - id: CVE-2021-41773
//!     title: Apache 2.4.49 path traversal through encoded dots
//!     severity: critical            # critical | high | medium | low
//!     references: [https://nvd.nist.gov/vuln/detail/CVE-2021-41773]
//!     methods: [GET, POST]          # optional
//!     all:                          # every condition must hold …
//!       - places: [path]
//!         transforms: [lowercase]
//!         regex: '/(cgi-bin|icons)/.*(\.%2e|%2e\.|%2e%2e)/'
//!     any: []                       # … and, when given, at least one of these
//!     tests:
//!       act:  [{ path: "/cgi-bin/.%2e/.%2e/bin/sh" }]
//!       pass: [{ path: "/cgi-bin/status" }]
//! ```
//!
//! A condition reads its `places` (`path`, `query`, `body`, `cookie`, `headers`,
//! `header:<name>`, `args` — every value normalization extracted, decoded), applies its
//! `transforms` in order (`url_decode`, `html_decode`, `lowercase`, `remove_whitespace`,
//! `normalize_path`, `base64_decode`) and tests one matcher: `contains` (any of a list,
//! one automaton), `regex`, `equals`, `exists` or `longer_than`. Everything is compiled when
//! the set loads; a request costs one pass over the patches, each rejected at its first
//! failing condition (put the cheapest, most selective one first: usually the path).

#![forbid(unsafe_code)]

mod file;

pub use file::{Case, Tests};

use aho_corasick::AhoCorasick;
use palisade_normalize::Normalized;
use palisade_types::{Category, Place, PlaceKind, RequestView, Signal};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The patches that ship with Palisade, one file per vendor family.
const BUILTIN: &[(&str, &str)] = &[
    ("builtin/java.yaml", include_str!("../builtin/java.yaml")),
    ("builtin/edge.yaml", include_str!("../builtin/edge.yaml")),
    ("builtin/web.yaml", include_str!("../builtin/web.yaml")),
    ("builtin/apps.yaml", include_str!("../builtin/apps.yaml")),
];

/// One problem in a patch file, with its file, line and column.
pub type PatchError = palisade_config::FileError;

/// Every problem of a load; a set with any problem is not used.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct PatchErrors(pub Vec<PatchError>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    /// The signal confidence a match carries: critical and high block at the default
    /// threshold (0.7), medium just reaches it, low is recorded only.
    pub fn confidence(self) -> f32 {
        match self {
            Severity::Critical => 0.97,
            Severity::High => 0.9,
            Severity::Medium => 0.75,
            Severity::Low => 0.5,
        }
    }
}

/// A compiled patch.
pub struct Patch {
    pub id: Arc<str>,
    pub title: String,
    pub severity: Severity,
    pub references: Vec<String>,
    pub file: PathBuf,
    pub line: u64,
    pub tests: Tests,
    /// Signal evidence, built once: `CVE-…: title`.
    evidence: String,
    methods: Vec<http::Method>,
    all: Vec<Cond>,
    any: Vec<Cond>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Where {
    Path,
    Query,
    Body,
    Cookie,
    Headers,
    Header(http::HeaderName),
    Args,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transform {
    UrlDecode,
    HtmlDecode,
    Lowercase,
    RemoveWhitespace,
    NormalizePath,
    Base64Decode,
}

enum Matcher {
    Contains(AhoCorasick),
    Regex(regex::Regex),
    /// The string, and whether case is ignored.
    Equals(String, bool),
    Exists,
    LongerThan(usize),
}

struct Cond {
    places: Vec<Where>,
    transforms: Vec<Transform>,
    matcher: Matcher,
    /// The matcher as regex source, when it has one that answers exactly as it does.
    source: Option<String>,
    /// Where the answer is read from when the condition joined a group: (group, pattern).
    group: Option<(usize, usize)>,
}

/// Conditions that read the same short text through the same transforms (twenty-odd test
/// the lower-cased path), run as one regex set: entering a matcher costs a few hundred
/// instructions however short the text, and a set answers all of them in one pass. The
/// body is not grouped: its conditions start with rare literals their own prefilters skip
/// to, which a set cannot do.
struct Group {
    place: Where,
    transforms: Vec<Transform>,
    set: regex::RegexSet,
}

/// Groups at most; each has a slot in a request's [`Texts`].
const MAX_GROUPS: usize = 4;

/// Fewer conditions than this on one text are cheaper run one by one.
const MIN_GROUP: usize = 3;

impl Cond {
    /// How much a test of this condition reads, roughly: the order `all` conditions run in.
    pub(crate) fn cost(&self) -> u8 {
        self.places
            .iter()
            .map(|w| match w {
                Where::Path | Where::Header(_) => 0,
                Where::Query | Where::Cookie => 1,
                Where::Headers => 2,
                Where::Body | Where::Args => 3,
            })
            .max()
            .unwrap_or(0)
    }

    fn holds(&self, req: &RequestView, texts: &Texts<'_>, values: &Normalized) -> bool {
        if let Some((g, i)) = self.group {
            return texts.group(g).matched(i);
        }
        self.holds_alone(req, texts, values)
    }

    /// [`Cond::holds`] by this condition's own matcher.
    fn holds_alone(&self, req: &RequestView, texts: &Texts<'_>, values: &Normalized) -> bool {
        self.places.iter().any(|place| match place {
            Where::Path => self.test(&req.path),
            Where::Query => self.test_decoded(req.query.as_deref().unwrap_or(""), &texts.query),
            Where::Body => self.test_decoded(texts.body(), &texts.body_decoded),
            Where::Cookie => req
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .any(|v| self.test(&palisade_types::lossy(v.as_bytes()))),
            Where::Headers => texts.headers().iter().any(|v| self.test(v)),
            // No such header: nothing to test, and `exists` does not hold.
            Where::Header(name) => req
                .headers
                .get_all(name)
                .iter()
                .any(|v| self.test(&palisade_types::lossy(v.as_bytes()))),
            Where::Args => values.values.iter().any(|v| self.test(v.text())),
        })
    }

    fn test(&self, text: &str) -> bool {
        self.test_from(text, 0)
    }

    /// Tests a request-wide text (the query, the body) whose URL-decoded form is cached for
    /// the request: many patches URL-decode the same body first.
    fn test_decoded(&self, text: &str, cache: &OnceCell<Option<String>>) -> bool {
        if self.transforms.first() == Some(&Transform::UrlDecode) {
            return self.test_from(decoded(text, cache), 1);
        }
        self.test(text)
    }

    /// Applies the transforms from `skip` on, then the matcher.
    fn test_from(&self, text: &str, skip: usize) -> bool {
        if let Matcher::Exists = self.matcher {
            return true;
        }
        let mut t: Cow<'_, str> = Cow::Borrowed(text);
        for tr in &self.transforms[skip..] {
            t = apply(*tr, t);
        }
        match &self.matcher {
            Matcher::Contains(ac) => ac.is_match(t.as_ref()),
            Matcher::Regex(re) => re.is_match(&t),
            Matcher::Equals(s, false) => t == s.as_str(),
            Matcher::Equals(s, true) => t.eq_ignore_ascii_case(s),
            Matcher::Exists => true,
            Matcher::LongerThan(n) => t.len() > *n,
        }
    }
}

/// `text` URL-decoded, through the request's cache.
fn decoded<'t>(text: &'t str, cache: &'t OnceCell<Option<String>>) -> &'t str {
    cache
        .get_or_init(|| {
            text.contains('%')
                .then(|| palisade_normalize::percent_decode_lossy(text))
        })
        .as_deref()
        .unwrap_or(text)
}

fn apply(tr: Transform, t: Cow<'_, str>) -> Cow<'_, str> {
    match tr {
        Transform::UrlDecode => {
            if t.contains('%') {
                Cow::Owned(palisade_normalize::percent_decode_lossy(&t))
            } else {
                t
            }
        }
        Transform::HtmlDecode | Transform::Base64Decode if t.is_empty() => t,
        Transform::HtmlDecode => match palisade_normalize::decode_if_needed(&t, 1) {
            Some(s) => Cow::Owned(s),
            None => t,
        },
        Transform::Lowercase => {
            if t.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(t.to_ascii_lowercase())
            } else {
                t
            }
        }
        Transform::RemoveWhitespace => {
            if t.contains(char::is_whitespace) {
                Cow::Owned(t.chars().filter(|c| !c.is_whitespace()).collect())
            } else {
                t
            }
        }
        Transform::NormalizePath => {
            if t.contains("//") || t.contains("/./") || t.contains('\\') {
                let mut s = t.replace('\\', "/");
                while s.contains("//") {
                    s = s.replace("//", "/");
                }
                while s.contains("/./") {
                    s = s.replace("/./", "/");
                }
                Cow::Owned(s)
            } else {
                t
            }
        }
        Transform::Base64Decode => {
            use base64::Engine;
            let trimmed = t.trim().trim_end_matches('=');
            match base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed) {
                Ok(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
                Err(_) => t,
            }
        }
    }
}

/// The request's texts a patch reads, each converted on first use, once per request, and
/// only if a condition reads it.
struct Texts<'a> {
    req: &'a RequestView,
    /// The body as text (the engine converts it once for patches and policies).
    body: &'a str,
    groups: &'a [Group],
    /// Per group, which of its patterns match, computed on first use.
    matches: [OnceCell<regex::SetMatches>; MAX_GROUPS],
    /// URL-decoded forms, `None` when there was nothing to decode.
    body_decoded: OnceCell<Option<String>>,
    query: OnceCell<Option<String>>,
    headers: OnceCell<Vec<Cow<'a, str>>>,
}

impl<'a> Texts<'a> {
    fn new(req: &'a RequestView, body: &'a str, groups: &'a [Group]) -> Self {
        Texts {
            req,
            body,
            groups,
            matches: Default::default(),
            body_decoded: OnceCell::new(),
            query: OnceCell::new(),
            headers: OnceCell::new(),
        }
    }

    fn body(&self) -> &str {
        self.body
    }

    /// Group `g`'s answers: its text read and transformed as its conditions would, once.
    fn group(&self, g: usize) -> &regex::SetMatches {
        self.matches[g].get_or_init(|| {
            let group = &self.groups[g];
            let (text, skip) = match group.place {
                Where::Query => {
                    let raw = self.req.query.as_deref().unwrap_or("");
                    if group.transforms.first() == Some(&Transform::UrlDecode) {
                        (decoded(raw, &self.query), 1)
                    } else {
                        (raw, 0)
                    }
                }
                // Only the path and the query are grouped.
                _ => (self.req.path.as_str(), 0),
            };
            let mut t = Cow::Borrowed(text);
            for tr in &group.transforms[skip..] {
                t = apply(*tr, t);
            }
            group.set.matches(&t)
        })
    }

    fn headers(&self) -> &[Cow<'a, str>] {
        self.headers.get_or_init(|| {
            self.req
                .headers
                .values()
                .map(|v| palisade_types::lossy(v.as_bytes()))
                .collect()
        })
    }
}

/// The patches one configuration runs.
#[derive(Default)]
pub struct PatchSet {
    patches: Vec<Patch>,
    groups: Vec<Group>,
}

impl PatchSet {
    /// Loads the built-in patches (when `builtin`) and every `*.yaml`/`*.yml` file of `dir`.
    /// Any problem fails the whole load, with every problem listed.
    pub fn load(builtin: bool, dir: Option<&Path>) -> Result<PatchSet, PatchErrors> {
        let mut errors = Vec::new();
        let mut patches = Vec::new();
        if builtin {
            for (name, text) in BUILTIN {
                patches.extend(file::load(Path::new(name), text, &mut errors));
            }
        }
        if let Some(dir) = dir {
            match std::fs::read_dir(dir) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                        .collect();
                    files.sort();
                    for f in files {
                        match std::fs::read_to_string(&f) {
                            Ok(text) => patches.extend(file::load(&f, &text, &mut errors)),
                            Err(e) => errors.push(PatchError {
                                file: f,
                                line: 0,
                                column: 0,
                                message: format!("cannot read: {e}"),
                            }),
                        }
                    }
                }
                Err(e) => errors.push(PatchError {
                    file: dir.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read the patch directory: {e}"),
                }),
            }
        }
        let mut seen = std::collections::HashMap::new();
        for p in &patches {
            if let Some((file, line)) = seen.insert(p.id.clone(), (p.file.clone(), p.line)) {
                errors.push(PatchError {
                    file: p.file.clone(),
                    line: p.line,
                    column: 1,
                    message: format!(
                        "patch {} is already defined at {}:{line}",
                        p.id,
                        file.display()
                    ),
                });
            }
        }
        if errors.is_empty() {
            let groups = group(&mut patches);
            Ok(PatchSet { patches, groups })
        } else {
            Err(PatchErrors(errors))
        }
    }

    pub fn patches(&self) -> &[Patch] {
        &self.patches
    }

    pub fn len(&self) -> usize {
        self.patches.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patches.is_empty()
    }

    /// Appends a `cve` signal for every patch the request matches. `body` is the request's
    /// body as text (`palisade_types::lossy`).
    pub fn check(&self, req: &RequestView, values: &Normalized, body: &str, out: &mut Vec<Signal>) {
        let texts = Texts::new(req, body, &self.groups);
        for p in &self.patches {
            if !p.methods.is_empty() && !p.methods.contains(&req.method) {
                continue;
            }
            if !p.all.iter().all(|c| c.holds(req, &texts, values)) {
                continue;
            }
            if !p.any.is_empty() && !p.any.iter().any(|c| c.holds(req, &texts, values)) {
                continue;
            }
            out.push(Signal {
                detector: "vpatch",
                category: Category::Cve,
                confidence: p.severity.confidence(),
                place: Place::new(PlaceKind::Request, p.id.as_ref()),
                // Our own text (id and title), not request data: nothing to mask.
                evidence: p.evidence.clone(),
                reason: "virtual patch matched",
            });
        }
    }
}

/// Joins the conditions that test the path or the query through the same transforms into
/// one set per such text (the largest [`MAX_GROUPS`]), and points each at its answer.
/// Semantics are unchanged: a set reports, per pattern, whether it matches anywhere, as
/// each matcher's own search does.
fn group(patches: &mut [Patch]) -> Vec<Group> {
    type Key = (Where, Vec<Transform>);
    let key = |c: &Cond| -> Option<Key> {
        match (c.places.as_slice(), &c.source) {
            ([w @ (Where::Path | Where::Query)], Some(_)) => {
                Some((w.clone(), c.transforms.clone()))
            }
            _ => None,
        }
    };
    let mut found: Vec<(Key, Vec<String>)> = Vec::new();
    for c in patches.iter().flat_map(|p| p.all.iter().chain(&p.any)) {
        let (Some(k), Some(src)) = (key(c), &c.source) else {
            continue;
        };
        let at = match found.iter().position(|(x, _)| *x == k) {
            Some(at) => at,
            None => {
                found.push((k, Vec::new()));
                found.len() - 1
            }
        };
        if !found[at].1.contains(src) {
            found[at].1.push(src.clone());
        }
    }
    found.retain(|(_, list)| list.len() >= MIN_GROUP);
    found.sort_by_key(|(_, list)| std::cmp::Reverse(list.len()));
    found.truncate(MAX_GROUPS);
    let mut groups = Vec::new();
    let mut keys = Vec::new();
    for ((place, transforms), list) in found {
        // Each pattern compiled alone within its own limit; the set gets their sum. A set
        // that cannot be built leaves its conditions as they are.
        let Ok(set) = regex::RegexSetBuilder::new(&list)
            .size_limit(list.len() << 20)
            .build()
        else {
            continue;
        };
        keys.push(((place.clone(), transforms.clone()), list));
        groups.push(Group {
            place,
            transforms,
            set,
        });
    }
    for c in patches
        .iter_mut()
        .flat_map(|p| p.all.iter_mut().chain(p.any.iter_mut()))
    {
        let Some(k) = key(c) else { continue };
        let Some(g) = keys.iter().position(|(x, _)| *x == k) else {
            continue;
        };
        if let Some(i) = keys[g].1.iter().position(|x| Some(x) == c.source.as_ref()) {
            c.group = Some((g, i));
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_conditions_answer_exactly_as_their_own_matchers() {
        let set = PatchSet::load(true, None).unwrap();
        assert!(!set.groups.is_empty());
        let conds: Vec<&Cond> = set
            .patches
            .iter()
            .flat_map(|p| p.all.iter().chain(&p.any))
            .filter(|c| c.group.is_some())
            .collect();
        assert!(conds.len() >= 20, "{} grouped", conds.len());
        let mut targets: Vec<String> = set
            .patches
            .iter()
            .flat_map(|p| p.tests.act.iter().chain(&p.tests.pass))
            .filter_map(|c| c.path.clone())
            .collect();
        // Case and encoding variants: the set must fold and decode as the matchers do.
        let variants: Vec<String> = targets
            .iter()
            .flat_map(|t| {
                [
                    t.to_uppercase(),
                    t.replace('/', "%2F"),
                    format!("{t}&x=%41"),
                ]
            })
            .collect();
        targets.extend(variants);
        targets.push("/".into());
        let mut hits = 0;
        for target in &targets {
            let req = RequestView::new(http::Method::GET, target, "10.0.0.1".parse().unwrap());
            let texts = Texts::new(&req, "", &set.groups);
            let values = Normalized::default();
            for c in &conds {
                let alone = c.holds_alone(&req, &texts, &values);
                assert_eq!(
                    c.holds(&req, &texts, &values),
                    alone,
                    "{target}: {:?}",
                    c.source
                );
                hits += usize::from(alone);
            }
        }
        assert!(hits > 20, "the cases exercise matches too: {hits}");
    }
}
