//! Problems in files other than the configuration (policy files, patch files): each with its
//! file, line and column, so a message points at the exact place.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl FileError {
    /// A YAML syntax or shape error from serde-saphyr, with its location kept apart from
    /// the message ("line 4 column 13: message" becomes line 4, column 13, "message").
    pub fn yaml(file: &Path, e: &serde_saphyr::Error) -> FileError {
        let text = e.to_string();
        let first = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ");
        let message = match first.split_once(": ") {
            Some((loc, rest)) if loc.starts_with("line ") => rest.to_string(),
            _ => first.to_string(),
        };
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        FileError {
            file: file.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// As a configuration error: the file with its position stands where the key path would.
    pub fn into_config_error(self) -> crate::ConfigError {
        crate::ConfigError {
            file: if self.line == 0 {
                self.file
            } else {
                PathBuf::from(format!(
                    "{}:{}:{}",
                    self.file.display(),
                    self.line,
                    self.column
                ))
            },
            path: String::new(),
            message: self.message,
        }
    }
}
