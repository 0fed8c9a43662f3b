use crate::Detector;
use palisade_normalize::Normalized;
use palisade_types::Signal;
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
        let builtins: [(&'static str, Factory); 11] = [
            ("sqli", || Arc::new(crate::sqli::Sqli)),
            ("xss", || Arc::new(crate::xss::Xss)),
            ("lfi", || Arc::new(crate::lfi::Lfi)),
            ("rce", || Arc::new(crate::rce::Rce::new())),
            ("scanner", || Arc::new(crate::scanner::Scanner::new())),
            ("xxe", || Arc::new(crate::xxe::Xxe)),
            ("java", || Arc::new(crate::java::Java)),
            ("php", || Arc::new(crate::php::Php)),
            ("node", || Arc::new(crate::node::Node)),
            ("ssti", || Arc::new(crate::ssti::Ssti)),
            ("ssrf", || Arc::new(crate::ssrf::Ssrf)),
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
        let detectors = match names {
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
        Ok(DetectorSet { detectors })
    }
}

/// Findings at or above this confidence block even inside a document.
const DECISIVE: f32 = 0.95;
/// What weaker findings inside a document are lowered to: recorded, not blocking.
const DOCUMENT_CAP: f32 = 0.6;

/// Several lines of text: at least two line breaks and 80 bytes. Injection payloads are
/// short and single-line, or use a lone `%0a` as a separator; paragraphs, docstrings and
/// Markdown with fenced code are documents.
fn is_document(text: &str) -> bool {
    text.len() >= 80 && text.bytes().filter(|&b| b == b'\n').take(2).count() == 2
}

/// The detectors one configuration runs, built once per load.
#[derive(Clone)]
pub struct DetectorSet {
    detectors: Vec<Arc<dyn Detector>>,
}

impl DetectorSet {
    /// Runs every detector over every value.
    pub fn run(&self, normalized: &Normalized) -> Vec<Signal> {
        let mut out = Vec::new();
        for value in &normalized.values {
            let from = out.len();
            for d in &self.detectors {
                d.inspect(value, &mut out);
            }
            // A document (several lines of text: a comment, a description, a pasted snippet)
            // is prose or code written by a person; the bar for blocking it is decisive
            // evidence (a `<script>` tag, UNION SELECT, a JNDI lookup, an external entity).
            // Weaker findings in it are kept, below the block threshold, as a record.
            // Judged on the value as sent: line breaks an attacker encoded (`&NewLine;`,
            // `%250a`) do not make a payload a document.
            if out.len() > from && is_document(&value.raw) {
                for s in &mut out[from..] {
                    if s.confidence < DECISIVE {
                        s.confidence = s.confidence.min(DOCUMENT_CAP);
                    }
                }
            }
        }
        out
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.detectors.iter().map(|d| d.name()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_unknown_names_are_errors() {
        let mut r = Registry::builtin();
        assert_eq!(r.names().count(), 11);
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
}
