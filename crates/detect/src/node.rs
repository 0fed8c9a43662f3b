//! Server-side JavaScript injection (Node.js): payloads for `eval`-style sinks and
//! deserializers — node-serialize's `_$$ND_FUNC$$_`, `__js_function`, reaching `Function`
//! through `constructor.constructor`, `child_process`, `process.mainModule`,
//! `String.fromCharCode` fed to `eval`. Code pasted as text (`process.env.API_KEY` in an
//! issue body, `module.exports =` in a snippet) is recorded, not blocked.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};
use std::sync::LazyLock;

pub struct Node;

/// (marker, confidence): exploit markers block; what code snippets also contain is logged.
const MARKERS: &[(&str, f32)] = &[
    ("_$$nd_func$$_", 0.95),
    ("__js_function", 0.9),
    ("constructor.constructor", 0.9),
    ("constructor[\"constructor\"]", 0.9),
    ("constructor['constructor']", 0.9),
    ("child_process", 0.85),
    ("process.mainmodule", 0.9),
    ("process.binding(", 0.9),
    ("global.process", 0.85),
    ("eval(string.fromcharcode", 0.9),
    ("require('child", 0.9),
    ("require(\"child", 0.9),
    ("new function(", 0.6),
    ("new function (", 0.6),
    ("process.env", 0.6),
    ("process[\"env\"]", 0.8),
    ("process['env']", 0.8),
    ("module.exports", 0.5),
    ("console[\"", 0.8),
    ("console['", 0.8),
];

static AC: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(MARKERS.iter().map(|(m, _)| m))
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

impl Node {
    fn check(text: &str) -> Option<f32> {
        AC.find_iter(text)
            .map(|m| MARKERS[m.pattern().as_usize()].1)
            .max_by(f32::total_cmp)
    }
}

impl Detector for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // Every marker has `.`, `$`, `[`, `(` or starts with `__`.
        let punct = value
            .classes
            .any(bc::DOT | bc::DOLLAR | bc::LBRACKET | bc::LPAREN);
        let dunder = value.classes.any(bc::UNDERSCORE) && value.text().contains("__");
        if !punct && !dunder {
            return;
        }
        if let Some(c) = Node::check(value.text()) {
            out.push(signal(
                "node",
                Category::GenericInjection,
                c,
                value,
                value.text(),
            ));
        }
    }
}
