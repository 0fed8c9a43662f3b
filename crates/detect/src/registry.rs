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
        let builtins: [(&'static str, Factory); 7] = [
            ("sqli", || Arc::new(crate::sqli::Sqli)),
            ("xss", || Arc::new(crate::xss::Xss)),
            ("lfi", || Arc::new(crate::lfi::Lfi)),
            ("rce", || Arc::new(crate::rce::Rce::new())),
            ("scanner", || Arc::new(crate::scanner::Scanner::new())),
            ("xxe", || Arc::new(crate::xxe::Xxe)),
            ("java", || Arc::new(crate::java::Java)),
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
            for d in &self.detectors {
                d.inspect(value, &mut out);
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
        assert_eq!(r.names().count(), 7);
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
