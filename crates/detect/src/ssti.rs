//! Server-side template injection: a template expression that computes (`{{7*7}}`,
//! `${7*7}`, `#{7*7}`, `<%= 7*7 %>`), walks Python's object graph (`__class__`,
//! `__mro__`, `__subclasses__`, `__globals__`, `__builtins__`), reaches the engine's
//! context (`{{config…}}`, `{{self…}}`, `{{request…}}`) or runs code (`<% system('id') %>`,
//! `#{runtime.exec(…)}`, `{% import os %}`). A placeholder (`{{name}}`, `${user.id}`) is not.
//! Edge Side Includes markup (`<esi:include src=…/>`), which a caching proxy runs, counts too.

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
/// JS placeholder). Any use of these is a reach into the engine.
const JINJA_GLOBALS: &[&str] = &[
    "config",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "range(",
    // Twig's `_self.env` reaches the environment (`registerUndefinedFilterCallback`).
    "_self",
];

/// Globals every page template uses (`{{ request.form['title'] }}`, `{{ self.title() }}`,
/// `{{ settings.INSTALLED_APPS|pprint }}` in Django's debug page): they count only when the
/// expression reaches past the page into the application ([`REACH`]), or leaks the object
/// whole (`{{config}}`, `{{self}}`).
const PAGE_GLOBALS: &[&str] = &["request", "self", "settings"];
const REACH: &[&str] = &[
    "application",
    "environ",
    "_templatereference",
    "|attr",
    "secret_key",
    "__",
    "\\x5f",
];
/// A whole object printed: the configuration or the template context, a leak probe.
const LEAKS: &[&str] = &["config", "self", "settings", "request.environ", "_self"];

/// Template-engine gadgets that only exploits name, in any syntax (FreeMarker's
/// `<#assign ex="freemarker.template.utility.Execute"?new()>`, Smarty's version probe).
const GADGETS: &[&str] = &[
    "freemarker.template.utility",
    "?new()",
    "registerundefinedfiltercallback",
    "{$smarty.version}",
    // Handlebars' prototype walk (`{{#with "s" as |string|}}…{{#with split as |conslist|}}`),
    // from either end: a probe sends its first block alone (nemesida's bypass set).
    "as |conslist|",
    "#with \"s\" as |string|",
];

/// Twig filters that call a PHP function by name (`{{['id']|filter('system')}}`): the
/// callback names a command runner.
fn twig_callback(lower: &str) -> bool {
    ["|filter(", "|map(", "|reduce(", "|sort("].iter().any(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let arg = lower[at + f.len()..]
                .trim_start()
                .trim_start_matches(['\'', '"']);
            [
                "system",
                "exec",
                "passthru",
                "shell_exec",
                "popen",
                "proc_open",
            ]
            .iter()
            .any(|r| {
                arg.strip_prefix(r)
                    .is_some_and(|t| t.starts_with(['\'', '"']))
            })
        })
    })
}

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
    // Ruby's file and process calls in ERB (`<%= File.open('/etc/passwd').read %>`), and
    // Java EL reaching a class loader (`${class.getClassLoader()}`).
    "file.open(",
    "file.read(",
    "io.popen(",
    "getclassloader(",
    "getprotectiondomain(",
];

/// What follows `config` names a file: `.yaml`, `.json`, `.py`… and nothing after it
/// (`{{config.yaml}}`, Jira's monospace around a file name). Flask's configuration is read
/// by key (`config.SECRET_KEY`, `config.items()`), never by a file extension.
fn config_file(after: &str) -> bool {
    const EXTENSIONS: [&str; 14] = [
        "yaml",
        "yml",
        "json",
        "toml",
        "ini",
        "xml",
        "py",
        "js",
        "ts",
        "php",
        "rb",
        "conf",
        "cfg",
        "properties",
    ];
    after
        .strip_prefix('.')
        .is_some_and(|ext| EXTENSIONS.contains(&ext.trim_end()))
}

/// What follows `config` reads a lower-case setting by name and does nothing else
/// (`.site_name`, `.theme.language`, `.extra.version`: MkDocs' and static-site templates).
/// Flask's configuration keeps its secrets under upper-case keys (`config.SECRET_KEY`) and
/// is walked through its methods (`config.items()`, `config.from_pyfile(…)`,
/// `config.root_path`), all of which still count.
fn site_setting(after: &str) -> bool {
    const FLASK: [&str; 16] = [
        "items",
        "keys",
        "values",
        "get",
        "copy",
        "update",
        "pop",
        "setdefault",
        "from_envvar",
        "from_pyfile",
        "from_object",
        "from_file",
        "from_mapping",
        "from_prefixed_env",
        "get_namespace",
        "root_path",
    ];
    let Some(chain) = after.strip_prefix('.') else {
        return false;
    };
    let chain = chain.trim_end();
    let first = chain.split('.').next().unwrap_or("");
    !first.is_empty()
        && !FLASK.contains(&first)
        && !chain.contains("__")
        && chain
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.'))
}

/// Does an expression body compute: numbers with an operator between them (`7*7`, `7 * '7'`)?
/// A regular expression's bracket expression (`\${[a-zA-Z0-9._-]{1,255}}`, a log filter's
/// pattern for a placeholder) ranges over characters: its `0-9` subtracts nothing. One with
/// a letter range or an escape in it is left out.
fn arithmetic(body: &str) -> bool {
    let mut t = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(open) = rest.find('[') {
        t.push_str(&rest[..open]);
        let inner_end = rest[open..].find(']').map(|e| open + e);
        let class = inner_end.is_some_and(|e| {
            let inner = &rest.as_bytes()[open + 1..e];
            inner.contains(&b'\\')
                || inner.windows(3).any(|w| {
                    w[0].is_ascii_alphabetic() && w[1] == b'-' && w[2].is_ascii_alphabetic()
                })
        });
        match inner_end {
            Some(e) if class => rest = &rest[e + 1..],
            _ => {
                t.push('[');
                rest = &rest[open + 1..];
            }
        }
    }
    t.push_str(rest);
    t.retain(|c| !c.is_whitespace());
    // A dash or a slash between numbers is a date, a range or a phone number (`{{cite web
    // |date=2020-01-01}}`, `{{phone|555-1234}}` in wikitext) unless the body is nothing but
    // the sum (`{{9-1}}`, `{{ 8/2 }}`).
    let sum_only = t
        .bytes()
        .all(|c| c.is_ascii_digit() || b"+-*/%()'\".".contains(&c));
    // A quote is an operand's end only when it closes a string (`'7'*'7'`): one that opens
    // quotes the operator itself as a string (Jinja's `replace('-', '_')`, `join('/')`).
    let b = t.as_bytes();
    let mut open: Option<u8> = None;
    for i in 0..b.len() {
        let c = b[i];
        if open.is_none() || open == Some(c) {
            let closes = open == Some(c);
            let operand = (c.is_ascii_digit() && open.is_none()) || closes;
            if operand
                && b.get(i + 1).is_some_and(|o| {
                    matches!(o, b'*' | b'+' | b'%') || (matches!(o, b'-' | b'/') && sum_only)
                })
                && b.get(i + 2)
                    .is_some_and(|r| r.is_ascii_digit() || matches!(r, b'\'' | b'"'))
            {
                return true;
            }
        }
        match (open, c) {
            (None, b'\'' | b'"') => open = Some(c),
            (Some(q), _) if q == c => open = None,
            _ => {}
        }
    }
    false
}

impl Ssti {
    fn check(text: &str) -> Option<f32> {
        // Every rule needs a delimiter or a dunder: most values have neither.
        // (`{{`, `${`, `#{`, `<%`, `{%`, `*{`, `@(`, Razor's `@S`, `__`, Smarty's `{$`,
        // FreeMarker's `<#`, in one pass over the bytes.)
        let opens = text.as_bytes().windows(2).any(|w| {
            matches!(
                (w[0], w[1]),
                (b'{' | b'$' | b'#' | b'*', b'{')
                    | (b'<' | b'{', b'%')
                    | (b'{', b'$')
                    | (b'<', b'#')
                    | (b'@', b'(' | b'S')
                    | (b'_', b'_')
            )
        });
        // Smarty's probe, the whole value one expression in single braces that multiplies
        // numbers (`{7*7}`): no other braces around it, no name in it.
        let trimmed = text.trim();
        if let Some(body) = trimmed.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            if body.contains('*')
                && body
                    .bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'*' | b' '))
                && arithmetic(body)
            {
                return Some(0.85);
            }
        }
        // Velocity's `#set($x = 7*7)`: a directive, not a delimiter.
        let velocity = crate::has(text, "#set");
        if !opens && !velocity {
            return None;
        }
        // Razor runs C# after `@` (`@System.Diagnostics.Process.Start("cmd.exe", …)`).
        if opens && crate::has(text, "@System.Diagnostics.Process") {
            return Some(0.9);
        }
        let lower = text.to_ascii_lowercase();
        // The detection polyglot (`${{<%[%'"}}%\.`): one string that breaks every engine's
        // syntax, sent to see which error comes back.
        if lower.contains("${{<%[%'\"}}%") {
            return Some(0.85);
        }
        if velocity {
            let computes = lower.match_indices("#set").any(|(at, _)| {
                let rest = lower[at + 4..].trim_start();
                rest.strip_prefix('(')
                    .and_then(|r| r.split_once(')'))
                    .and_then(|(body, _)| body.split_once('='))
                    .is_some_and(|(var, value)| var.trim().starts_with('$') && arithmetic(value))
            });
            if computes {
                return Some(0.85);
            }
            if !opens {
                return None;
            }
        }
        if GADGETS.iter().any(|g| lower.contains(g)) || twig_callback(&lower) {
            return Some(0.9);
        }
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
                // The same bytes as written (lower-casing keeps every offset).
                let written = text[start..start + end].trim();
                if DUNDER.iter().any(|d| body.contains(d)) {
                    return Some(0.9);
                }
                if arithmetic(body) {
                    return Some(0.85);
                }
                // A name at the start of the expression or after a `.`, whole: `config_json`
                // in `{{ widget.config_json|safe }}` is a field of the page's own object. A
                // Jinja or Twig `{% import 'admin/lib.html' as lib %}` imports a template by
                // its quoted name (Tornado's `{% import os %}` a Python module). A chain that
                // starts at Go's dot (`{{ .Release.Namespace }}`, `{{ $.Values.config.port }}`
                // in a Helm chart) walks the chart's own values: Jinja has no leading dot.
                let names = |list: &[&str]| {
                    list.iter().any(|c| {
                        body.match_indices(c).any(|(at, _)| {
                            let after = &body[at + c.len()..];
                            let whole = !c.ends_with(|x: char| x.is_ascii_alphanumeric())
                                || !after
                                    .starts_with(|x: char| x.is_ascii_alphanumeric() || x == '_');
                            let template_import = *c == "import " && after.starts_with(['\'', '"']);
                            // Bytes: a multibyte character's last byte ends the chain too,
                            // so the index after it is a character boundary.
                            let chain = body.as_bytes()[..at]
                                .iter()
                                .rposition(|x| {
                                    !(x.is_ascii_alphanumeric() || matches!(x, b'_' | b'.'))
                                })
                                .map_or(0, |i| i + 1);
                            // (A chain after a call, `getClass().getClassLoader()`, is the
                            // call's result, not Go's dot.)
                            let go_dot = at > chain
                                && body[chain..].starts_with('.')
                                && !body[..chain].ends_with([')', ']']);
                            // dbt's `{{ config(materialized='view') }}` calls its macro:
                            // Flask's `config` is a mapping that no probe calls.
                            let dbt_config = *c == "config" && after.trim_start().starts_with('(');
                            // `{{config.yaml}}` (Jira's monospace) names a file;
                            // `{{ config.site_name }}` is MkDocs' site setting.
                            let file_name = *c == "config"
                                && (config_file(after) || site_setting(&written[at + c.len()..]));
                            (at == 0 || body[..at].ends_with('.'))
                                && whole
                                && !template_import
                                && !go_dot
                                && !dbt_config
                                && !file_name
                        })
                    })
                };
                // ERB's shell-out: a body that is one backtick command or `%x(…)`
                // (`<%= `id` %>`); Ruby runs it as it renders, and as it builds a string
                // that interpolates one (`"#{`id`}"`).
                let erb_shell = (open.starts_with("<%") || *open == "#{") && {
                    let b = body.trim().trim_start_matches(['=', '-']).trim();
                    (b.len() > 2 && b.starts_with('`') && b.ends_with('`'))
                        || b.starts_with("%x(")
                        || b.starts_with("%x{")
                };
                if erb_shell {
                    return Some(0.85);
                }
                let jinja = matches!(*open, "{{" | "{%");
                if jinja && LEAKS.contains(&body) {
                    return Some(0.85);
                }
                // Django's `{% debug %}` prints the whole context, settings included.
                if *open == "{%" && body == "debug" {
                    return Some(0.85);
                }
                // A block that tests a constant and closes (`{% if True %}49{% endif %}`,
                // `<% if true %>x<% end %>`), the whole value short: a probe for which engine
                // renders. A template's condition tests its data.
                let constant_if = matches!(*open, "{%" | "<%")
                    && trimmed.len() <= 80
                    && lower.trim_start().starts_with(open)
                    && body.strip_prefix("if ").is_some_and(|c| {
                        matches!(c.trim(), "true" | "1" | "1==1" | "1 == 1" | "not false")
                    })
                    && (lower.contains("endif") || lower.contains("end %>"));
                if constant_if {
                    return Some(0.85);
                }
                let page = jinja && names(PAGE_GLOBALS) && REACH.iter().any(|r| body.contains(r));
                let reaches = (jinja && names(JINJA_GLOBALS)) || page || names(CODE);
                if reaches && body.contains(['.', '(', '[', ' ', '|']) {
                    return Some(0.85);
                }
                from = start + end + close.len();
            }
        }
        None
    }
}

/// Edge Side Includes markup (`<esi:include src=…/>`, `<esi:vars>$(HTTP_COOKIE)</esi:vars>`,
/// `<!--esi …-->`): a caching proxy in front of the application runs it when the value is
/// reflected, fetching URLs, reading cookies or adding headers. A user's text has no `esi:`
/// element.
fn esi_tag(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|at| {
        let rest = &b[at + 1..];
        let tag = rest.len() > 4 && rest[..4].eq_ignore_ascii_case(b"esi:");
        let comment = rest.len() > 7
            && rest[..6].eq_ignore_ascii_case(b"!--esi")
            && rest[6].is_ascii_whitespace();
        (tag && rest[4].is_ascii_alphabetic()) || comment
    })
}

impl Detector for Ssti {
    fn name(&self) -> &'static str {
        "ssti"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if value.classes.any(bc::LT) && esi_tag(value.text()) {
            out.push(signal(
                "ssti",
                Category::Ssti,
                0.85,
                value,
                value.text(),
                "Edge Side Includes markup",
            ));
            return;
        }
        // Delimiters need `{`, `%` or `(`; dunder walks need `_` and a `.`/`[`/`(`.
        if !value
            .classes
            .any(bc::LBRACE | bc::PERCENT | bc::LPAREN | bc::DOT | bc::LBRACKET)
        {
            return;
        }
        if let Some(c) = Ssti::check(value.text()) {
            out.push(signal(
                "ssti",
                Category::Ssti,
                c,
                value,
                value.text(),
                "template expression reaching objects",
            ));
        }
    }
}
