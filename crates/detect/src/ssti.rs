//! Server-side template injection: a template expression that computes (`{{7*7}}`,
//! `${7*7}`, `#{7*7}`, `<%= 7*7 %>`), walks Python's object graph (`__class__`,
//! `__mro__`, `__subclasses__`, `__globals__`, `__builtins__`), reaches the engine's
//! context (`{{config…}}`, `{{self…}}`, `{{request…}}`) or runs code (`<% system('id') %>`,
//! `#{runtime.exec(…)}`, `{% import os %}`). A placeholder (`{{name}}`, `${user.id}`) is not.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};

pub struct Ssti;

/// (open, close) delimiters of the template languages attackers probe.
const DELIMS: &[(&str, &str)] = &[
    ("{{", "}}"),
    ("${", "}"),
    ("#{", "}"),
    ("<%=", "%>"),
    ("<%", "%>"),
    ("{%", "%}"),
    ("*{", "}"),
    ("@(", ")"),
];

const DUNDER: &[&str] = &[
    "__class__",
    "__mro__",
    "__subclasses__",
    "__globals__",
    "__builtins__",
    "__init__",
    "__import__",
    "__base__",
];

/// Jinja/Twig globals: attacks in `{{ }}` and `{% %}` only (`${config.port}` is a shell or
/// JS placeholder).
const JINJA_GLOBALS: &[&str] = &[
    "config",
    "self",
    "request",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "range(",
];

/// Code in any template language.
const CODE: &[&str] = &[
    "runtime",
    "getruntime",
    "class.forname",
    "exec(",
    "system(",
    "popen(",
    "import ",
    "os.",
    "subprocess",
];

/// Does an expression body compute: numbers with an operator between them (`7*7`, `7 * '7'`)?
fn arithmetic(body: &str) -> bool {
    let t: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let b = t.as_bytes();
    b.windows(3).any(|w| {
        (w[0].is_ascii_digit() || w[0] == b'\'' || w[0] == b'"')
            && matches!(w[1], b'*' | b'+' | b'-' | b'/' | b'%')
            && (w[2].is_ascii_digit() || w[2] == b'\'' || w[2] == b'"')
    })
}

impl Ssti {
    fn check(text: &str) -> Option<f32> {
        // Every rule needs a delimiter or a dunder: most values have neither.
        // (`{{`, `${`, `#{`, `<%`, `{%`, `*{`, `@(`, `__`, in one pass over the bytes.)
        let opens = text.as_bytes().windows(2).any(|w| {
            matches!(
                (w[0], w[1]),
                (b'{' | b'$' | b'#' | b'*', b'{')
                    | (b'<' | b'{', b'%')
                    | (b'@', b'(')
                    | (b'_', b'_')
            )
        });
        if !opens {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        // Python's object graph walked from a literal to its base classes or globals:
        // `''.__class__.__mro__[1].__subclasses__()`. `self.__class__.__name__` in pasted
        // code walks nowhere.
        let walk = [
            "__mro__",
            "__subclasses__",
            "__globals__",
            "__builtins__",
            "__base__",
        ]
        .iter()
        .filter(|d| lower.contains(*d))
        .count();
        if walk >= 1 && (lower.contains("__class__") || lower.contains("__init__") || walk >= 2) {
            return Some(0.9);
        }
        for (open, close) in DELIMS {
            let mut from = 0;
            while let Some(at) = lower[from..].find(open) {
                let start = from + at + open.len();
                let Some(end) = lower[start..].find(close) else {
                    break;
                };
                let body = lower[start..start + end].trim();
                if DUNDER.iter().any(|d| body.contains(d)) {
                    return Some(0.9);
                }
                if arithmetic(body) {
                    return Some(0.85);
                }
                // A name at the start of the expression or after a `.`.
                let names = |list: &[&str]| {
                    list.iter().any(|c| {
                        body.starts_with(c)
                            || body
                                .match_indices(c)
                                .any(|(at, _)| body[..at].ends_with('.'))
                    })
                };
                let jinja = matches!(*open, "{{" | "{%");
                let reaches = (jinja && names(JINJA_GLOBALS)) || names(CODE);
                if reaches && body.contains(['.', '(', '[', ' ']) {
                    return Some(0.85);
                }
                from = start + end + close.len();
            }
        }
        None
    }
}

impl Detector for Ssti {
    fn name(&self) -> &'static str {
        "ssti"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // Delimiters need `{`, `%` or `(`; dunder walks need `_` and a `.`/`[`/`(`.
        if !value
            .classes
            .any(bc::LBRACE | bc::PERCENT | bc::LPAREN | bc::DOT | bc::LBRACKET)
        {
            return;
        }
        if let Some(c) = Ssti::check(value.text()) {
            out.push(signal("ssti", Category::Ssti, c, value, value.text()));
        }
    }
}
