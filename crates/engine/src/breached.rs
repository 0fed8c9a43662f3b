//! Breached passwords: is this login's password on a list of known-leaked ones? The list is
//! SHA-1 hashes in the Have I Been Pwned format; the password is hashed on the spot and
//! never stored, logged or put in an event.

use std::collections::HashSet;
use std::path::Path;

#[derive(Debug)]
pub struct Breached {
    hashes: HashSet<[u8; 20]>,
}

fn hex20(s: &str) -> Option<[u8; 20]> {
    let s = s.trim();
    if s.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Breached {
    /// Reads a hash file (`HASH` or `HASH:COUNT` lines) or a directory of HIBP range files
    /// (each named by its 5-character prefix, `.txt` optional, lines `SUFFIX:COUNT`).
    pub fn load(path: &Path) -> Result<Breached, String> {
        let mut hashes = HashSet::new();
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        if path.is_dir() {
            let entries =
                std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
            for entry in entries.flatten() {
                let p = entry.path();
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                if stem.len() != 5 || !stem.bytes().all(|b| b.is_ascii_hexdigit()) {
                    continue;
                }
                for line in read(&p)?.lines() {
                    let suffix = line.split(':').next().unwrap_or_default();
                    if let Some(h) = hex20(&format!("{stem}{suffix}")) {
                        hashes.insert(h);
                    }
                }
            }
        } else {
            for (i, line) in read(path)?.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let h = hex20(line.split(':').next().unwrap_or_default()).ok_or_else(|| {
                    format!(
                        "{}:{}: not a SHA-1 hash (40 hex digits)",
                        path.display(),
                        i + 1
                    )
                })?;
                hashes.insert(h);
            }
        }
        Ok(Breached { hashes })
    }

    pub fn contains(&self, password: &str) -> bool {
        let d = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, password.as_bytes());
        <[u8; 20]>::try_from(d.as_ref()).is_ok_and(|h| self.hashes.contains(&h))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.hashes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_range_directory() {
        let dir = tempfile::tempdir().unwrap();
        // SHA-1("123456") and SHA-1("password").
        let file = dir.path().join("pwned.txt");
        std::fs::write(
            &file,
            "7C4A8D09CA3762AF61E59520943DC26494F8941B:37359195\n5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8\n",
        )
        .unwrap();
        let b = Breached::load(&file).unwrap();
        assert_eq!(b.len(), 2);
        assert!(b.contains("123456") && b.contains("password"));
        assert!(!b.contains("correct horse battery staple"));
        let ranges = dir.path().join("ranges");
        std::fs::create_dir(&ranges).unwrap();
        std::fs::write(
            ranges.join("7C4A8.txt"),
            "D09CA3762AF61E59520943DC26494F8941B:37359195\r\n",
        )
        .unwrap();
        let r = Breached::load(&ranges).unwrap();
        assert!(r.contains("123456") && !r.contains("password"));
        std::fs::write(&file, "not-a-hash\n").unwrap();
        assert!(Breached::load(&file).unwrap_err().contains("pwned.txt:1"));
    }
}
