use serde::{Deserialize, Serialize};

/// The kind of attack a signal or a policy is about. The names are the ones the corpora,
/// metrics labels and policy files use, so they are part of the product interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Sqli,
    Xss,
    /// OS command injection.
    Rce,
    /// Path traversal and local file inclusion.
    Lfi,
    Rfi,
    Ssrf,
    Xxe,
    Ssti,
    Ldap,
    Nosql,
    /// JNDI lookups (Log4Shell) and other Java payloads.
    JavaInjection,
    PhpInjection,
    GenericInjection,
    /// Scanners and exploit tools identified by their own traces.
    Scanner,
    /// Malformed or ambiguous HTTP.
    ProtocolEnforcement,
    /// A virtual patch for a named CVE matched.
    Cve,
    /// Repeated failed logins, credential stuffing, account takeover.
    Ato,
    Bot,
    Enumeration,
    Exfiltration,
    Dos,
    Reputation,
}

impl Category {
    /// Every category, in a fixed order: metrics keep one counter per entry.
    pub const ALL: [Category; 22] = [
        Category::Sqli,
        Category::Xss,
        Category::Rce,
        Category::Lfi,
        Category::Rfi,
        Category::Ssrf,
        Category::Xxe,
        Category::Ssti,
        Category::Ldap,
        Category::Nosql,
        Category::JavaInjection,
        Category::PhpInjection,
        Category::GenericInjection,
        Category::Scanner,
        Category::ProtocolEnforcement,
        Category::Cve,
        Category::Ato,
        Category::Bot,
        Category::Enumeration,
        Category::Exfiltration,
        Category::Dos,
        Category::Reputation,
    ];

    /// The stable name used in metrics, events and policies.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Sqli => "sqli",
            Category::Xss => "xss",
            Category::Rce => "rce",
            Category::Lfi => "lfi",
            Category::Rfi => "rfi",
            Category::Ssrf => "ssrf",
            Category::Xxe => "xxe",
            Category::Ssti => "ssti",
            Category::Ldap => "ldap",
            Category::Nosql => "nosql",
            Category::JavaInjection => "java-injection",
            Category::PhpInjection => "php-injection",
            Category::GenericInjection => "generic-injection",
            Category::Scanner => "scanner",
            Category::ProtocolEnforcement => "protocol-enforcement",
            Category::Cve => "cve",
            Category::Ato => "ato",
            Category::Bot => "bot",
            Category::Enumeration => "enumeration",
            Category::Exfiltration => "exfiltration",
            Category::Dos => "dos",
            Category::Reputation => "reputation",
        }
    }

    /// Position in [`Category::ALL`], for array-indexed counters.
    pub fn index(self) -> usize {
        Category::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or_default()
    }

    /// Parses the stable name back (used by query filters).
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_indexes_are_distinct() {
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
            assert_eq!(c.index(), i);
        }
        assert_eq!(Category::parse("nope"), None);
    }
}
