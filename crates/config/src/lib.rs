//! Palisade's configuration. A YAML file is read into raw serde structs (unknown keys are
//! errors), then compiled into validated runtime objects. Loading never stops at the first
//! mistake: [`load`] returns every error it found, each with the file and the key path.
#![forbid(unsafe_code)]

mod compile;
mod located;
mod parse;
pub mod raw;
mod runtime;
mod units;

use compile::compile;
pub use located::FileError;
use parse::parse;
pub use runtime::*;
pub use units::{parse_duration, parse_size};

use std::fmt;
use std::path::{Path, PathBuf};

/// One mistake in a configuration: where (file, key path) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// Dotted key path, e.g. `routes[1].upstream`; empty for whole-file errors.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}: {}: {}",
                self.file.display(),
                self.path,
                self.message
            )
        }
    }
}

/// Every mistake found while loading one configuration.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} error{} in configuration:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

/// Collects errors for one file while parsing and compiling it.
pub(crate) struct Errors {
    file: PathBuf,
    list: Vec<ConfigError>,
}

impl Errors {
    pub(crate) fn new(file: &Path) -> Self {
        Errors {
            file: file.to_path_buf(),
            list: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, path: impl Into<String>, message: impl fmt::Display) {
        self.list.push(ConfigError {
            file: self.file.clone(),
            path: path.into(),
            message: message.to_string(),
        });
    }

    pub(crate) fn into_result<T>(self, value: T) -> Result<T, ConfigErrors> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(ConfigErrors(self.list))
        }
    }
}

/// Reads, parses and compiles a configuration file. Relative paths inside it are resolved
/// against the file's directory.
pub fn load(file: &Path) -> Result<Config, ConfigErrors> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: file.to_path_buf(),
            path: String::new(),
            message: format!("cannot read: {e}"),
        }])
    })?;
    let base = file.parent().unwrap_or(Path::new("."));
    from_str(&text, file, base)
}

/// Parses and compiles configuration text; `file` names it in errors, `base` resolves
/// relative paths.
pub fn from_str(text: &str, file: &Path, base: &Path) -> Result<Config, ConfigErrors> {
    let mut errors = Errors::new(file);
    let raw = parse(text, &mut errors);
    let config = compile(raw, file, base, &mut errors);
    errors.into_result(config)
}
