//! Scanners and exploit tools that name themselves in the User-Agent (or in headers and
//! paths only they send).

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
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

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_types::Place;

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
