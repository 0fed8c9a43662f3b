//! Server-side script injection, mostly Node.js: payloads for `eval`-style sinks and
//! deserializers — node-serialize's `_$$ND_FUNC$$_`, `__js_function`, reaching `Function`
//! through `constructor.constructor`, `child_process`, `process.mainModule`,
//! `String.fromCharCode` fed to `eval`, React Server Components references
//! (`$1:constructor:constructor`), an empty infinite loop for a single-threaded server
//! (`while(true);`). Also Perl's `@{[ … ]}` interpolation and Ruby's `Process.spawn(`, which
//! template and string sinks evaluate the same way. Code pasted as text
//! (`process.env.API_KEY` in an issue body, `module.exports =` in a snippet) is recorded,
//! not blocked.

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
    // The module named as a string is loaded (`require('child_process')`, `import("child_process")`);
    // the bare name is how people write about it (`child_process.exec vs spawn?`).
    ("'child_process", 0.85),
    ("\"child_process", 0.85),
    ("`child_process", 0.85),
    ("child_process", 0.6),
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
    ("require.main", 0.85),
    ("constructor._load(", 0.9),
    ("process[", 0.8),
    ("require[", 0.8),
    (":constructor:constructor", 0.9),
    (":__proto__:", 0.9),
    ("process.spawn(", 0.85),
    // Prototype pollution through JSON carried inside a value.
    ("\"__proto__\":", 0.85),
    // … and through a form's or a query's bracketed keys, which `qs` and its kin build into
    // objects (`__proto__[isAdmin]=1`, `__proto__[v-if]=…`, a Vue gadget).
    ("__proto__[", 0.85),
    // YAML tags that make an unsafe loader build objects and call functions: PyYAML's
    // `!!python/object/apply:os.system`, Ruby Psych's `!ruby/object:Gem::Installer`,
    // SnakeYAML's `!!javax.script.ScriptEngineManager`.
    ("!!python/object", 0.9),
    ("!!python/name:", 0.9),
    ("!!python/module:", 0.85),
    ("!ruby/object:", 0.9),
    ("!ruby/hash:", 0.85),
    ("!!javax.script.", 0.9),
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
        let top = AC
            .find_iter(text)
            .map(|m| MARKERS[m.pattern().as_usize()].1)
            .max_by(f32::total_cmp)?;
        // `` Node: `require('child_process').execSync('ls')` works but blocks ``: code in a
        // Markdown span of a sentence is shown to a reader. To JavaScript the span is a
        // template literal, a string, unless it interpolates (`${…}`), and the words around
        // it are a syntax error to `eval`.
        let shown = top > 0.6
            && !text.contains("${")
            && crate::shown_in_sentence(text, AC.find_iter(text).map(|m| m.start()));
        Some(if shown { 0.6 } else { top })
    }
}

/// Perl's `@{[ expr ]}`: inside an interpolated string it runs `expr` (`@{[system 'id']}`).
/// No template or markup language writes `@{` followed by `[`.
fn perl_interpolation(text: &str) -> bool {
    text.match_indices("@{").any(|(at, _)| {
        text[at + 2..]
            .trim_start_matches(|c: char| c.is_whitespace())
            .starts_with('[')
    })
}

/// The whole value an infinite loop with an empty body (`while(true);`, `while(!0)`):
/// fed to `eval` it stops a single-threaded server. Code in a snippet has a body.
fn empty_loop(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("while") else {
        return false;
    };
    let rest = rest.trim_start();
    // A condition that is false from the start never loops (`while(!true);`).
    let cond = rest
        .trim_end_matches([';', ' '])
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let falsy = matches!(
        cond,
        "false" | "!true" | "0" | "!1" | "null" | "undefined" | "NaN" | "\"\"" | "''" | "``"
    );
    // A loop that calls something in its condition (`while (ASCII.isSpace(ch))`, a line of a
    // Java snippet) ends when the call says so; the payloads spin on a constant.
    let calls = cond
        .as_bytes()
        .windows(2)
        .any(|w| w[1] == b'(' && (w[0].is_ascii_alphanumeric() || w[0] == b'_'));
    !falsy
        && !calls
        && rest.starts_with('(')
        && t.len() <= 40
        && rest.trim_end_matches([';', ' ']).ends_with(')')
}

impl Detector for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let c = value.classes;
        let text = value.text();
        let script = (c.any(bc::LBRACE) && c.any(bc::LBRACKET) && perl_interpolation(text))
            || (c.any(bc::LPAREN) && empty_loop(text));
        if script {
            out.push(signal(
                "node",
                Category::GenericInjection,
                0.85,
                value,
                text,
                "script interpolation or busy loop",
            ));
            return;
        }
        // Every marker has `.`, `$`, `[`, `(`, starts with `__` or is a YAML tag (`!`, `/`, `:`).
        let punct = value
            .classes
            .any(bc::DOT | bc::DOLLAR | bc::LBRACKET | bc::LPAREN);
        let dunder = value.classes.any(bc::UNDERSCORE) && value.text().contains("__");
        let tag = value.classes.any(bc::SLASH)
            && value.classes.any(bc::COLON)
            && value.text().contains('!');
        if !punct && !dunder && !tag {
            return;
        }
        if let Some(c) = Node::check(value.text()) {
            out.push(signal(
                "node",
                Category::GenericInjection,
                c,
                value,
                value.text(),
                "prototype or server-side JS reach",
            ));
        }
    }
}
