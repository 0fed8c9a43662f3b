//! Scanners and exploit tools that name themselves in the User-Agent (or in headers and
//! paths only they send), and the fixed probes they put in parameters.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};

const TOOLS: &[&str] = &[
    "sqlmap",
    "nikto",
    "nmap",
    "masscan",
    "nuclei",
    "acunetix",
    "netsparker",
    "wpscan",
    "dirbuster",
    "gobuster",
    "dirb/",
    "zgrab",
    "fuzz faster u fool",
    "ffuf",
    "havij",
    "w3af",
    "arachni",
    "openvas",
    "nessus",
    "jaeles",
    "whatweb",
    "wfuzz",
    "burpcollaborator",
    "interact.sh",
    "commix",
    "xsstrike",
    "skipfish",
    "zmeu",
    "morfeus",
    "paros",
    "webinspect",
    "appscan",
    "brutus",
    "hydra",
    "feroxbuster",
    "joomscan",
    "qualys",
    // A Nessus plugin's file name (`mercuryboard_user_agent_sql_injection.nasl`), and
    // interactsh's out-of-band domains (GoTestWAF community-user-agent, session 24).
    ".nasl",
    ".oast.me",
    ".oast.pro",
    ".oast.live",
    ".oast.site",
    ".oast.online",
    ".oast.fun",
];

pub struct Scanner {
    tools: AhoCorasick,
}

impl Scanner {
    pub fn new() -> Self {
        let tools = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .build(TOOLS)
            // TOOLS is a constant list of plain strings; building cannot fail.
            .unwrap_or_else(|_| unreachable!());
        Scanner { tools }
    }
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Detector for Scanner {
    fn name(&self) -> &'static str {
        "scanner"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let is_ua = value.place.kind == PlaceKind::Header && value.place.name == "user-agent";
        let is_tool_header =
            value.place.kind == PlaceKind::Header && value.place.name.starts_with("x-scanner");
        if !(is_ua || is_tool_header) {
            if let Some(why) = probe(value) {
                out.push(signal(
                    "scanner",
                    Category::Scanner,
                    0.85,
                    value,
                    value.text(),
                    why,
                ));
            }
            return;
        }
        if let Some(m) = self.tools.find(value.text()) {
            let tool = &value.text()[m.start()..m.end()];
            out.push(signal(
                "scanner",
                Category::Scanner,
                0.9,
                value,
                tool,
                "attack tool signature",
            ));
        }
    }
}

/// The probes sqlmap puts in every parameter before it tries an injection: `<'">` between
/// random letters (does the page reflect the characters unescaped?) and ten characters
/// drawn from `'"(),.` (does it break the query?). Ordinary text has neither: quoting with an
/// ellipsis (`"(...)".`) repeats the dot and uses two or three of the six.
fn probe(value: &Value) -> Option<&'static str> {
    let c = value.classes;
    // A parameter's value: a whole body (a document, serialized JSON) quotes punctuation.
    if !c.any(bc::SQUOTE) || !c.any(bc::DQUOTE) || value.place.kind == PlaceKind::Body {
        return None;
    }
    let text = value.text();
    // sqlmap's `percentage` tamper puts a `%` before each character (`%<%'%"%>`), which
    // classic ASP drops.
    if c.any(bc::LT) && c.any(bc::GT) && (text.contains("<'\">") || text.contains("%<%'%\"%>")) {
        return Some("sqlmap's reflection probe");
    }
    if c.any(bc::LPAREN | bc::RPAREN) && syntax_probe(text) {
        return Some("sqlmap's syntax-error probe");
    }
    None
}

/// A run of ten or more of `'"(),.` with a quote, a parenthesis, at least four of the six
/// characters and no ellipsis (`...`).
fn syntax_probe(text: &str) -> bool {
    const ALPHABET: &[u8] = b"'\"(),.";
    text.as_bytes()
        .split(|b| !ALPHABET.contains(b))
        .filter(|run| run.len() >= 10)
        .any(|run| {
            let distinct = ALPHABET.iter().filter(|a| run.contains(a)).count();
            distinct >= 4
                && run.iter().any(|b| matches!(b, b'\'' | b'"'))
                && run.iter().any(|b| matches!(b, b'(' | b')'))
                && !run.windows(3).any(|w| w == b"...")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_types::Place;

    #[test]
    fn sqlmap_probes_in_parameters_are_named() {
        let v = |s: &str| Value::new(Place::new(PlaceKind::QueryValue, "q"), s.into(), 3);
        for s in ["1'qhfy<'\">utwq", "1\"\"(.'.(,(.", "7).,'\"(,)'."] {
            assert!(probe(&v(s)).is_some(), "missed: {s}");
        }
        for s in [
            "He said \"(...)\". Then left.",
            "print(\"(\", \")\")",
            "it's \"ok\" (really).",
            "<b>'\"</b>",
            "'(,).'",
        ] {
            assert!(probe(&v(s)).is_none(), "false positive: {s}");
        }
    }

    #[test]
    fn tool_user_agents_are_named() {
        let v = |ua: &str| Value::new(Place::new(PlaceKind::Header, "user-agent"), ua.into(), 3);
        let mut out = Vec::new();
        Scanner::new().inspect(&v("sqlmap/1.7.2#stable (https://sqlmap.org)"), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].evidence, "sqlmap");
        out.clear();
        Scanner::new().inspect(
            &v("Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
