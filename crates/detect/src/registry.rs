use crate::Detector;
use palisade_normalize::Normalized;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Builds a detector. Factories take no arguments yet; per-detector settings arrive with the
/// detection engine's configuration section.
pub type Factory = fn() -> Arc<dyn Detector>;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegistryError {
    #[error("detector {0:?} is registered twice")]
    Duplicate(&'static str),
    #[error("unknown detector {0:?}")]
    Unknown(String),
}

/// Named detector factories. Registering a name twice is an error, never an overwrite.
#[derive(Default)]
pub struct Registry {
    entries: Vec<(&'static str, Factory)>,
}

impl Registry {
    /// The detectors that ship with Palisade.
    pub fn builtin() -> Self {
        let mut r = Registry::default();
        let builtins: [(&'static str, Factory); 15] = [
            ("sqli", || Arc::new(crate::sqli::Sqli::new())),
            ("xss", || Arc::new(crate::xss::Xss)),
            ("lfi", || Arc::new(crate::lfi::Lfi)),
            ("rce", || Arc::new(crate::rce::Rce::new())),
            ("scanner", || Arc::new(crate::scanner::Scanner::new())),
            ("xxe", || Arc::new(crate::xxe::Xxe)),
            ("java", || Arc::new(crate::java::Java)),
            ("php", || Arc::new(crate::php::Php)),
            ("node", || Arc::new(crate::node::Node)),
            ("nosql", || Arc::new(crate::nosql::Nosql)),
            ("orm", || Arc::new(crate::orm::Orm)),
            ("ssti", || Arc::new(crate::ssti::Ssti)),
            ("ssrf", || Arc::new(crate::ssrf::Ssrf)),
            ("crlf", || Arc::new(crate::crlf::Crlf)),
            ("ldap", || Arc::new(crate::ldap::Ldap)),
        ];
        for (name, f) in builtins {
            // The built-in names are distinct; a clash would be a bug caught by the tests.
            let _ = r.register(name, f);
        }
        r
    }

    pub fn register(&mut self, name: &'static str, factory: Factory) -> Result<(), RegistryError> {
        if self.entries.iter().any(|(n, _)| *n == name) {
            return Err(RegistryError::Duplicate(name));
        }
        self.entries.push((name, factory));
        Ok(())
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(n, _)| *n)
    }

    /// Builds the named detectors, or every registered one when `names` is `None`.
    pub fn build(&self, names: Option<&[String]>) -> Result<DetectorSet, RegistryError> {
        let detectors: Vec<Arc<dyn Detector>> = match names {
            None => self.entries.iter().map(|(_, f)| f()).collect(),
            Some(names) => names
                .iter()
                .map(|n| {
                    self.entries
                        .iter()
                        .find(|(name, _)| name == n)
                        .map(|(_, f)| f())
                        .ok_or_else(|| RegistryError::Unknown(n.clone()))
                })
                .collect::<Result<_, _>>()?,
        };
        let (key_detectors, detectors) = detectors.into_iter().partition(|d| d.keys_only());
        Ok(DetectorSet {
            detectors,
            key_detectors,
            memo: None,
        })
    }
}

/// Findings at or above this confidence block even inside a document.
const DECISIVE: f32 = 0.95;
/// What weaker findings inside a document are lowered to: recorded, not blocking.
const DOCUMENT_CAP: f32 = 0.6;

/// Several lines of text: at least two line breaks, 80 bytes and a few spaces. Injection
/// payloads are short and single-line, or put line breaks, tabs and form feeds where the
/// spaces were (sqlmap's `space2randomblank`: `1%0AAND%0D(SELECT%09…`), which leaves no
/// space at all; paragraphs, docstrings and Markdown with fenced code are documents.
///
/// Not a document: lines that mostly end in a comment glued to the word before it
/// (`SELECT#yQshFRRvJYN` + line break + ` COUNT(*)`, sqlmap's `space2morehash`), two or
/// more such lines. A hashtag at a line's end follows a space.
fn is_document(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 80
        && b.iter().filter(|&&c| c == b'\n').take(2).count() == 2
        && b.iter().filter(|&&c| c == b' ').take(3).count() == 3
        && text
            .lines()
            .filter(|l| glued_comment_end(l))
            .take(2)
            .count()
            < 2
}

/// Does the line end in `#` or `--` and five to sixteen letters of both cases (a scanner's
/// random word: `AND#EYFwbGDcPLp`), glued to a word, a quote or a parenthesis? A page's
/// anchor (`tutorial.html#cache`), `// --snip--` and a MIME boundary's end are not.
fn glued_comment_end(line: &str) -> bool {
    let b = line.trim_end_matches('\r').as_bytes();
    let tail = b
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if !(5..=16).contains(&tail) || tail == b.len() {
        return false;
    }
    let word = &b[b.len() - tail..];
    if !word.iter().any(u8::is_ascii_uppercase) || !word.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    let before = &b[..b.len() - tail];
    let marker = if before.ends_with(b"--") {
        2
    } else if before.ends_with(b"#") {
        1
    } else {
        return false;
    };
    before.len() > marker
        && matches!(before[before.len() - marker - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'\'' | b'"' | b')')
}

/// The detectors one configuration runs, built once per load.
#[derive(Clone)]
pub struct DetectorSet {
    detectors: Vec<Arc<dyn Detector>>,
    /// Those that judge parameter keys alone ([`Detector::keys_only`]).
    key_detectors: Vec<Arc<dyn Detector>>,
    memo: Option<Arc<CleanMemo>>,
}

/// Header values judged clean recently. A client sends the same User-Agent, Accept and
/// Accept-Language on every request, and the same few values arrive from thousands of
/// clients; judging them once is enough, because a verdict depends on nothing but the header
/// name and value.
///
/// Direct-mapped: a slot holds a 64-bit hash of (name, value) keyed at random when the set is
/// built, so an attacker cannot aim a payload at a remembered slot; a new value overwrites
/// whatever shared its slot. Bounded by construction, no locks: relaxed atomics, where a lost
/// update only costs one more judgement.
struct CleanMemo {
    slots: Box<[AtomicU64]>,
    keys: RandomState,
}

/// Shorter values cost less to judge than to hash.
const MEMO_MIN_BYTES: usize = 8;

impl CleanMemo {
    fn new(entries: usize) -> Option<CleanMemo> {
        (entries > 0).then(|| CleanMemo {
            slots: (0..entries.next_power_of_two())
                .map(|_| AtomicU64::new(0))
                .collect(),
            keys: RandomState::new(),
        })
    }

    /// The value's memo key, when it is a header value worth remembering. Never 0 (empty).
    fn key(&self, value: &Value) -> Option<u64> {
        (value.place.kind == PlaceKind::Header && value.raw.len() >= MEMO_MIN_BYTES)
            .then(|| self.keys.hash_one((&value.place.name, &value.raw)) | 1)
    }

    fn slot(&self, key: u64) -> &AtomicU64 {
        // The low bit is always set: index by the high bits.
        &self.slots[(key >> 32) as usize & (self.slots.len() - 1)]
    }
}

impl DetectorSet {
    /// Remembers up to `entries` header values judged clean (0: none); see [`CleanMemo`].
    pub fn with_clean_memo(mut self, entries: usize) -> Self {
        self.memo = CleanMemo::new(entries).map(Arc::new);
        self
    }

    /// Runs every detector over every value.
    pub fn run(&self, normalized: &Normalized) -> Vec<Signal> {
        let mut out = Vec::new();
        for value in &normalized.values {
            let memo = self.memo.as_deref().and_then(|m| Some((m, m.key(value)?)));
            if let Some((m, key)) = memo {
                if m.slot(key).load(Ordering::Relaxed) == key {
                    continue;
                }
            }
            let from = out.len();
            for d in &self.detectors {
                d.inspect(value, &mut out);
            }
            if value.place.kind.is_key() {
                for d in &self.key_detectors {
                    d.inspect(value, &mut out);
                }
            }
            if out.len() == from {
                if let Some((m, key)) = memo {
                    m.slot(key).store(key, Ordering::Relaxed);
                }
                continue;
            }
            // A document (several lines of text: a comment, a description, a pasted snippet)
            // is prose or code written by a person; the bar for blocking it is decisive
            // evidence (a `<script>` tag, UNION SELECT, a JNDI lookup, an external entity).
            // Weaker findings in it are kept, below the block threshold, as a record.
            // Judged on the value as sent: line breaks an attacker encoded (`&NewLine;`,
            // `%250a`) do not make a payload a document.
            // So is a generated password or token in a field named for one: its symbols
            // are a password manager's, not syntax (a login form sends such values all day).
            let secret = || {
                matches!(
                    value.place.kind,
                    PlaceKind::JsonValue
                        | PlaceKind::FormValue
                        | PlaceKind::QueryValue
                        | PlaceKind::Multipart
                ) && crate::secret_field(&value.place.name)
                    && crate::generated_secret(&value.raw)
            };
            // And a stack frame's source lines and variables in an error tracker's event,
            // the sample of a CSP violation report, and a code block of an editor's
            // document (`Value::code`).
            let frame = || {
                value.place.kind == PlaceKind::JsonValue
                    && (crate::stack_frame_field(&value.place.name)
                        || crate::csp_sample_field(&value.place.name))
            };
            if out.len() > from && (is_document(&value.raw) || secret() || frame() || value.code) {
                for s in &mut out[from..] {
                    if s.confidence < DECISIVE {
                        s.confidence = s.confidence.min(DOCUMENT_CAP);
                    }
                }
            }
            // A whole HTML page uploaded as a file: its own scripts are recorded.
            if out[from..].iter().any(|s| s.category == Category::Xss)
                && crate::xss::quiet_uploaded_page(value)
            {
                for s in out[from..]
                    .iter_mut()
                    .filter(|s| s.category == Category::Xss)
                {
                    s.confidence = s.confidence.min(DOCUMENT_CAP);
                }
            }
        }
        out
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.detectors
            .iter()
            .chain(&self.key_detectors)
            .map(|d| d.name())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_unknown_names_are_errors() {
        let mut r = Registry::builtin();
        assert_eq!(r.names().count(), 15);
        assert_eq!(
            r.register("sqli", || Arc::new(crate::sqli::Sqli))
                .unwrap_err(),
            RegistryError::Duplicate("sqli")
        );
        let err = r.build(Some(&["nope".to_string()])).err().unwrap();
        assert_eq!(err, RegistryError::Unknown("nope".into()));
        let set = r.build(Some(&["xss".to_string()])).unwrap();
        assert_eq!(set.names(), vec!["xss"]);
    }

    #[test]
    fn comments_glued_to_keywords_make_no_document() {
        // sqlmap's `space2morehash`: every blank a comment of a random word and a line break.
        let payload = "1\" AND#rYtneRugMB\n 8953=BENCHMARK(1000000,MD5(0x614d7463)) AND#EYFwbGDcPLp\n \"PvXA\"=\"PvXA";
        assert!(!is_document(payload));
        // A page's anchors, Rust's `// --snip--`, MIME boundaries and hashtags end lines of
        // documents.
        for doc in [
            "See the tutorial:\nhttp://www.grantjenks.com/docs/diskcache/tutorial.html#cache\nhttp://www.grantjenks.com/docs/diskcache/tutorial.html#fanoutcache\nand more.",
            "fn main() {\n        // --snip--\n    let x = 5;\n        // --snip--\n}\nThat is the whole program.",
            "------- =_aaaaaaaaaa1--\nContent-Type: text/plain\n------- =_aaaaaaaaaa2--\nthe end of the message",
            "Loving the new release #RustLang\nand the docs too #OpenSource\nsee you at the meetup soon",
        ] {
            assert!(is_document(doc), "{doc}");
        }
    }

    /// Counts the values it is shown; flags any containing "evil".
    struct Counting;
    static SEEN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    impl Detector for Counting {
        fn name(&self) -> &'static str {
            "counting"
        }
        fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
            SEEN.fetch_add(1, Ordering::Relaxed);
            if value.raw.contains("evil") {
                out.push(crate::signal(
                    "counting",
                    palisade_types::Category::Scanner,
                    0.9,
                    value,
                    &value.raw,
                    "test marker",
                ));
            }
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> Normalized {
        let mut n = Normalized::default();
        for (name, raw) in pairs {
            n.values.push(Value::new(
                palisade_types::Place::new(PlaceKind::Header, *name),
                raw.to_string(),
                3,
            ));
        }
        n
    }

    #[test]
    fn clean_header_values_are_judged_once_and_findings_every_time() {
        let mut r = Registry::default();
        r.register("counting", || Arc::new(Counting)).unwrap();
        let set = r.build(None).unwrap().with_clean_memo(64);
        let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Firefox/120.0";
        let evil = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) evil/1.0";
        let request = headers(&[("user-agent", ua), ("x-note", evil), ("x-short", "abc")]);
        let before = SEEN.load(Ordering::Relaxed);
        for round in 0..3 {
            let signals = set.run(&request);
            assert_eq!(
                signals.len(),
                1,
                "round {round}: the finding is raised every time"
            );
        }
        // The clean user agent once, the flagged value and the short one (not worth
        // remembering) three times each.
        assert_eq!(SEEN.load(Ordering::Relaxed) - before, 1 + 3 + 3);
        // The same value under another header name is judged anew, and without a memo every
        // value every time.
        set.run(&headers(&[("referer", ua)]));
        assert_eq!(SEEN.load(Ordering::Relaxed) - before, 8);
        let plain = r.build(None).unwrap();
        plain.run(&request);
        plain.run(&request);
        assert_eq!(SEEN.load(Ordering::Relaxed) - before, 14);
    }

    /// The strongest confidence `set` gives `raw` as the JSON value at `path`.
    fn strongest(set: &DetectorSet, path: &str, raw: &str) -> f32 {
        strongest_of(set, json_value(path, raw))
    }

    fn json_value(path: &str, raw: &str) -> Value {
        Value::new(
            palisade_types::Place::new(PlaceKind::JsonValue, path),
            raw.to_string(),
            3,
        )
    }

    /// The highest confidence the set gives `value`.
    fn strongest_of(set: &DetectorSet, value: Value) -> f32 {
        let mut n = Normalized::default();
        n.values.push(value);
        set.run(&n)
            .iter()
            .map(|s| s.confidence)
            .fold(0.0f32, f32::max)
    }

    /// A generated password in a password field is recorded, not blocked; the same value
    /// in another field, and a payload in the password field, keep their confidence.
    #[test]
    fn generated_secrets_in_secret_fields_are_recorded() {
        let set = Registry::builtin().build(None).unwrap();
        let judged = |field: &str, raw: &str| strongest(&set, &format!("$.{field}"), raw);
        let generated = "BU7\"#/F@no!fYOi5wV8f'g6|CyrS4HMv";
        assert!(
            judged("comment", generated) >= 0.7,
            "the finding itself stands"
        );
        for field in ["password", "user.new_password", "client_secret", "passwd"] {
            let c = judged(field, generated);
            assert!(c > 0.0 && c < 0.7, "{field}: {c}");
        }
        for payload in [
            "x' or '1'='1",
            "admin'--",
            "$(whoami)1",
            "Pass1' union select 1--",
            // MySQL's arithmetic login bypasses: the password column compared with 0.
            "Xxxx'-0-'",
            "Xxx1')+0+('",
            "Xxx1'-0#",
        ] {
            assert!(judged("password", payload) >= 0.7, "{payload}");
        }
    }

    /// Regression (set 85: Sentry events, CSP reports): a stack frame's source lines and
    /// printed variables are the sender's program, and a CSP report's sample the code the
    /// browser blocked: recorded rather than blocked. The same text elsewhere, and
    /// decisive evidence anywhere, still block.
    #[test]
    fn stack_frames_of_an_error_event_are_recorded() {
        let set = Registry::builtin().build(None).unwrap();
        let judged = |path: &str, raw: &str| strongest(&set, path, raw);
        let frame = "$.exception.values[0].stacktrace.frames[3]";
        let line = "    assert limit((sqrt(1 + x) - 1)/(root3(1 + x) - 1), x, 0) == 3";
        let weak = "            setattr(child, '_broken_positions', True)";
        assert!(judged("$.exception.values[0].value", weak) >= 0.7);
        for key in [
            "context_line",
            "pre_context[2]",
            "post_context[0]",
            "vars.query",
        ] {
            let c = judged(&format!("{frame}.{key}"), weak);
            assert!(c > 0.0 && c < 0.7, "{key}: {c}");
            assert!(judged(&format!("{frame}.{key}"), line) < 0.7, "{key}");
        }
        assert!(judged(&format!("{frame}.filename"), weak) >= 0.7);
        // Rollbar's, Bugsnag's and Honeybadger's frames (session 42).
        for path in [
            "$.data.body.trace.frames[2].code",
            "$.data.body.trace.frames[2].context.pre[1]",
            "$.events[0].exceptions[0].stacktrace[4].code.86",
            "$.error.backtrace[0].source.12",
        ] {
            let c = judged(path, weak);
            assert!(c > 0.0 && c < 0.7, "{path}: {c}");
        }
        assert!(judged("$.events[0].exceptions[0].stacktrace[4].method", weak) >= 0.7);
        // A code block of an editor's document (`Value::code`): recorded, unless decisive.
        let code_block = |raw: &str| {
            let mut v = json_value("$.content[0].content[0].text", raw);
            v.code = true;
            strongest_of(&set, v)
        };
        let command = "sudo systemctl restart nginx && tail -f /var/log/nginx/error.log";
        assert!(judged("$.content[0].content[0].text", command) >= 0.7);
        let c = code_block(command);
        assert!(c > 0.0 && c < 0.7, "{c}");
        assert!(code_block("1 union select password from users") >= 0.95);
        // A CSP report's sample: the handler the browser blocked.
        let handler = "onclick=\"location.reload()\"";
        assert!(judged("$.comment", handler) >= 0.7);
        for path in ["$.csp-report.script-sample", "$[0].body.sample"] {
            let c = judged(path, handler);
            assert!(c > 0.0 && c < 0.7, "{path}: {c}");
        }
        assert!(judged("$.body.sample", handler) >= 0.7);
        assert!(
            judged(
                &format!("{frame}.vars.q"),
                "1 union select password from users"
            ) >= 0.95
        );
    }
}
