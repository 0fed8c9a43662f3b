//! Stateless attack detection. A [`Detector`] looks at one normalized value and reports
//! [`Signal`]s; a [`Registry`] maps names to detector factories so configuration can pick
//! detectors by name; a [`DetectorSet`] runs the chosen ones over a request.
//!
//! Architecture invariant: a detector never does I/O and never blocks; it is a pure function
//! of the value (and its compiled configuration).
#![forbid(unsafe_code)]

mod crlf;
mod java;
mod ldap;
mod lfi;
mod node;
mod nosql;
mod orm;
mod php;
mod rce;
mod registry;
mod scanner;
pub mod sensitive;
mod sqli;
mod ssrf;
mod ssti;
mod xss;
mod xxe;

pub use registry::{DetectorSet, Registry, RegistryError};

use palisade_normalize::Value;
use palisade_types::Signal;

/// A stateless detector. Implementations must be cheap on clean values: check for the
/// characters an attack needs before doing real work.
pub trait Detector: Send + Sync {
    /// Stable name, as used in configuration and in signals.
    fn name(&self) -> &'static str;
    /// Judges one value and appends any signals to `out`.
    fn inspect(&self, value: &Value, out: &mut Vec<Signal>);
    /// Whether it judges parameter keys alone (query, form and JSON keys): a
    /// [`DetectorSet`] then calls it for those only, and other values cost it nothing.
    fn keys_only(&self) -> bool {
        false
    }
}

/// The line byte `at` lies on: its start and its end (before the `\n`).
pub(crate) fn line_around(s: &str, at: usize) -> (usize, usize) {
    let start = s[..at].rfind('\n').map_or(0, |p| p + 1);
    let end = s[at..].find('\n').map_or(s.len(), |p| at + p);
    (start, end)
}

/// Runs of `byte` in `s`, as (start, length): a fence's backticks, a climb's dots.
pub(crate) fn runs_of(s: &str, byte: u8) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let from = i + b.get(i..)?.iter().position(|&c| c == byte)?;
        let len = b[from..].iter().take_while(|&&c| c == byte).count();
        i = from + len;
        Some((from, len))
    })
}

/// Is byte `at` inside a Markdown code span: after an odd number of single backticks on its
/// line, with a closing one after it? Fences (runs of backticks) are not spans.
pub(crate) fn in_code_span(s: &str, at: usize) -> bool {
    let (line_start, line_end) = line_around(s, at);
    let single = |t: &str| single_backticks(t).count();
    single(&s[line_start..at]) % 2 == 1 && single(&s[at..line_end]) >= 1
}

/// The content of every Markdown inline code span in `text` (byte ranges between the
/// backticks), when every backtick stands alone and pairs with another on its line; `None`
/// when a line has a fence, a longer delimiter or an unpaired backtick.
pub(crate) fn paired_code_spans(text: &str) -> Option<Vec<(usize, usize)>> {
    let mut spans = Vec::new();
    let mut from = 0;
    for line in text.split_inclusive('\n') {
        let ticks: Vec<usize> = single_backticks(line).collect();
        if ticks.len() != line.bytes().filter(|&c| c == b'`').count()
            || !ticks.len().is_multiple_of(2)
        {
            return None;
        }
        spans.extend(
            ticks
                .chunks_exact(2)
                .map(|p| (from + p[0] + 1, from + p[1])),
        );
        from += line.len();
    }
    Some(spans)
}

/// Where `t` has a backtick standing alone (a run of them is a fence or a longer span's
/// delimiter): the delimiters of Markdown inline code spans.
pub(crate) fn single_backticks(t: &str) -> impl Iterator<Item = usize> + '_ {
    let b = t.as_bytes();
    (0..b.len()).filter(move |&i| {
        b[i] == b'`' && (i == 0 || b[i - 1] != b'`') && b.get(i + 1) != Some(&b'`')
    })
}

/// Code shown to a reader: every position of `at` (where a match starts) lies in a Markdown
/// code span, in a sentence of at least three words outside spans and tags. Script engines
/// parse the whole text, so the words around the span are a syntax error to each.
pub(crate) fn shown_in_sentence(text: &str, mut at: impl Iterator<Item = usize>) -> bool {
    text.contains('`') && xss::prose_words(text) >= 3 && at.all(|a| in_code_span(text, a))
}

/// The HTML tag `before` ends inside, if any: the text after its `<` (`a href="x`,
/// `/span`), a letter first (after an optional `/`) and no `>` since.
pub(crate) fn open_tag(before: &str) -> Option<&str> {
    let tag = &before[before.rfind('<')? + 1..];
    let named = tag
        .trim_start_matches('/')
        .starts_with(|c: char| c.is_ascii_alphabetic());
    (named && !tag.contains('>')).then_some(tag)
}

/// The longest start of `s` of at most `max` bytes that ends on a character boundary.
pub(crate) fn head(s: &str, max: usize) -> &str {
    let mut cut = s.len().min(max);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// JSONata's functions, lower-cased with their `$` (AWS Step Functions, CloudFormation's
/// resource schemas, Node-RED's change nodes: `$lowercase(DBProxyName)`, `$join([a, b])`),
/// with `$uuid`, `$partition` and `$hash`, which hosts add to it.
#[rustfmt::skip]
pub(crate) const JSONATA_FUNCTIONS: &[&str] = &[
    "$string", "$length", "$substring", "$substringbefore", "$substringafter",
    "$uppercase", "$lowercase", "$trim", "$pad", "$contains", "$split", "$join",
    "$match", "$replace", "$number", "$abs", "$floor", "$ceil", "$round", "$power",
    "$sqrt", "$sum", "$max", "$min", "$average", "$count", "$append", "$exists",
    "$keys", "$lookup", "$merge", "$sort", "$reverse", "$distinct", "$filter", "$map",
    "$reduce", "$sift", "$each", "$zip", "$boolean", "$not", "$type", "$now", "$millis",
    "$tomillis", "$frommillis", "$formatnumber", "$formatinteger", "$parseinteger",
    "$base64encode", "$base64decode", "$encodeurl", "$decodeurl", "$encodeurlcomponent",
    "$decodeurlcomponent", "$uuid", "$partition", "$hash",
];

/// Case-insensitive position of an ASCII `needle` in `hay` (bytes or text).
pub(crate) fn find_ci(hay: impl AsRef<[u8]>, needle: impl AsRef<[u8]>) -> Option<usize> {
    let needle = needle.as_ref();
    hay.as_ref()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether `hay` holds the short literal `needle`: `str::contains` without its searcher.
/// The standard library builds a substring searcher on every call, a few hundred
/// instructions on the short values detectors see, most of which never hold the needle's
/// first byte; `memchr` for that byte and a comparison where it is found is all that takes.
pub(crate) fn has(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    memchr::memchr_iter(first, h).any(|i| h[i + 1..].starts_with(rest))
}

/// Does `text` start with the word `word` (any case) and white space after it (`select *`,
/// `WITH t AS`)?
pub(crate) fn starts_with_word(text: &str, word: &str) -> bool {
    text.get(..word.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(word))
        && text[word.len()..].starts_with(char::is_whitespace)
}

/// A JSON value inside an inner object or array (`$.csp-report.source-file`,
/// `$[0].tasks[2].include_tasks`): a field of a document or a record the request carries,
/// not a top-level parameter the server hands to a file or a fetch. `place` is the value's
/// JSON path; a query or form name (no `$`) is never inner.
pub(crate) fn inner_json_field(place: &str) -> bool {
    place
        .strip_prefix('$')
        .is_some_and(|p| p.bytes().filter(|c| matches!(c, b'.' | b'[')).count() > 1)
}

/// A generated password or token (`GMO6FMN&@KlNO1e#frXE`, `BU7"#/F@no!fYOi5wV8f'g6`): one
/// unbroken run of 8 to 128 printable ASCII characters with upper- and lower-case letters
/// and digits, no SQL comment, no run of letters that SQL knows as a word, and no operator
/// after a quote. Among a password manager's symbols the detectors find quotes,
/// comments, `<?`, `$x(…)` and `${`; an injection without spaces still names SQL
/// (`1'oR'1'='1`, `'/**/union/**/select`), comments with `--`, is all lower case
/// (`admin'#`), or computes with a quoted literal (`1Aa'^'1'='1`, `Xxxx'-0-'`).
pub(crate) fn generated_secret(text: &str) -> bool {
    let b = text.as_bytes();
    if !(8..=128).contains(&b.len()) {
        return false;
    }
    let quotes = |q: &u8| b.iter().filter(|&c| c == q).count();
    let paired = [quotes(&b'\'') % 2 == 0, quotes(&b'"') % 2 == 0];
    // A quote with an operator right after it ends the string and computes: `x'-0-'` makes
    // MySQL compare the password column with 0, true for every password that is not a
    // number; `x'='` compares the comparison; `x')-0-('` does so inside brackets.
    // A random symbol after the operator (`'-MU`, `"<|`) is a generator's; a number, a
    // quote, a bracket or the end of the value is an operand.
    const OPERATORS: &[u8] = b"=<>!^|&+-*/%";
    let quoted_operator = b.iter().enumerate().any(|(i, c)| {
        let rest = &b[i + 1..];
        let op = rest.iter().position(|&c| c != b')');
        matches!(c, b'\'' | b'"')
            && op.is_some_and(|at| {
                OPERATORS.contains(&rest[at])
                    && rest.get(at + 1).is_none_or(|n| {
                        n.is_ascii_digit() || b"'\"(".contains(n) || OPERATORS.contains(n)
                    })
                    // and the statement still parses: the value's quotes pair up (its last
                    // one opens the string the query's own closing quote ends), or a `#`
                    // cuts the rest.
                    && (paired[usize::from(*c == b'"')] || rest[at..].contains(&b'#'))
            })
    });
    !quoted_operator
        && b.iter().all(|c| c.is_ascii_graphic())
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
        && !has(text, "--")
        && !has(text, "/*")
        // `BY` only follows `ORDER` or `GROUP`, keywords of their own; a generator's two
        // letters between symbols spell it often enough (`fN5bY%I`).
        && text
            .split(|c: char| !c.is_ascii_alphabetic())
            .all(|w| w.len() < 2 || w.eq_ignore_ascii_case("by") || !sqli::is_keyword(w))
}

/// A stack frame's program text in an error tracker's event: the source lines around the
/// call and the frame's local variables as the program printed them (Python `repr`s). In
/// Sentry's schema, which GlitchTip and the SDKs of every language share, `frames[…]` holds
/// `context_line`, `pre_context[…]`, `post_context[…]` and `vars.…`; Rollbar's frames hold
/// `code` and `context.pre[…]`/`context.post[…]`, Bugsnag's and Airbrake's `stacktrace[…]` and
/// `backtrace[…]` a `code` map of line numbers, Honeybadger's `backtrace[…]` a `source` map.
/// Code and values of the sender's own program, judged as a document is. `path` is the
/// value's JSON path.
pub(crate) fn stack_frame_field(path: &str) -> bool {
    let Some(at) = [".frames[", ".stacktrace[", ".backtrace["]
        .iter()
        .filter_map(|c| path.rfind(c))
        .max()
    else {
        return false;
    };
    let Some(key) = path[at..].find("].").map(|i| &path[at + i + 2..]) else {
        return false;
    };
    [
        "context_line",
        "pre_context",
        "post_context",
        "vars",
        "code",
        "context",
        "source",
    ]
    .iter()
    .any(|n| {
        key.strip_prefix(n)
            .is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
    })
}

/// The sample of a Content-Security-Policy violation report: `$.csp-report.script-sample`
/// (`report-uri`) or `$[n].body.sample` (the Reporting API). A browser copies there the
/// first 40 characters of the inline script or handler it blocked: the page's own code, or
/// an injection the policy stopped, which the security team needs to see.
pub(crate) fn csp_sample_field(path: &str) -> bool {
    path.strip_suffix(".script-sample")
        .is_some_and(|p| p.ends_with("csp-report"))
        || path.strip_suffix("].body.sample").is_some_and(|p| {
            p.strip_prefix("$[")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// A field named for a secret (`password`, `new_password`, `passwd`, `pwd`,
/// `client_secret`, `passphrase`, `token`, `pin`): the last segment of the place's name.
pub(crate) fn secret_field(name: &str) -> bool {
    let last = name
        .rsplit(['.', '[', '/'])
        .next()
        .unwrap_or(name)
        .trim_end_matches(']')
        .to_ascii_lowercase();
    ["pass", "pwd", "secret", "token"]
        .iter()
        .any(|k| last.contains(k))
        || last == "pin"
}

/// The offset of the bracket closing the one `s` starts with, nested pairs skipped.
pub(crate) fn matching(s: &str, close: char) -> Option<usize> {
    let open = s.chars().next()?;
    let mut depth = 0usize;
    for (at, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// Byte ranges of closed HTML code elements in a page that explains them: `<code>…</code>`
/// and `<pre>…</pre>` (what rich-text editors and API references emit for commands shown to
/// a reader), when the text outside them has three or more words (`<p>Calculate the
/// checksum by running <code>printf %s x | openssl dgst -sha256</code></p>`). An element
/// alone, or with a word or two around it, is no page. Confluence's storage format
/// declares its code and preformatted macros' bodies so (`<ac:structured-macro
/// ac:name="code">…<ac:plain-text-body><![CDATA[…]]></ac:plain-text-body>`): those count
/// with no words around them, the page being nothing but markup.
pub(crate) fn html_code_elements(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut declared = Vec::new();
    for (open, close) in [
        ("<code", "</code>"),
        ("<pre", "</pre>"),
        ("<ac:plain-text-body", "</ac:plain-text-body>"),
    ] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(open).map(|a| from + a) {
            let after = lower.as_bytes().get(at + open.len());
            if !matches!(after, Some(b'>' | b' ')) {
                from = at + open.len();
                continue;
            }
            let Some(end) = lower[at..].find(close).map(|e| at + e + close.len()) else {
                break;
            };
            if open == "<ac:plain-text-body" {
                declared.push((at, end));
            } else {
                out.push((at, end));
            }
            from = end;
        }
    }
    out.sort_unstable();
    if !out.is_empty() && words_outside(&lower, &out) < 3 {
        out.clear();
    }
    out.extend(declared);
    out
}

/// [`xss::prose_words`] of `text` with the byte ranges `shown` (sorted by start; overlaps
/// allowed) taken out, each replaced by a space.
pub(crate) fn words_outside(text: &str, shown: &[(usize, usize)]) -> usize {
    let mut outside = String::new();
    let mut last = 0;
    for &(a, b) in shown {
        if a >= last {
            outside.push_str(&text[last..a]);
            outside.push(' ');
            last = b;
        }
    }
    outside.push_str(&text[last.min(text.len())..]);
    xss::prose_words(&outside)
}

/// The text of a JavaScript module specifier, as `require('…')`, `import … from '…'` and
/// `import('…')` name one: a package (`node:events`, `@scope/pkg/sub`, `socket.io`) or a
/// relative path (`./browser.js`, `../../util/memoize`) whose last segment has no
/// extension or a script's own (`.js`, `.mjs`, `.cjs`, `.ts`, `.json`, `.node`, `.vue`…).
/// No scheme's `//`, no absolute path, no `..` as the last segment, no file PHP or a shell
/// would run (`shell.php`, `x.jpg` uploaded with code in it).
pub(crate) fn js_module_specifier(spec: &str) -> bool {
    let plain = !spec.is_empty()
        && spec.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'@' | b'/' | b'.' | b'_' | b'-' | b':')
        })
        && !spec.starts_with('/')
        && !spec.contains("//")
        && (!spec.contains(':') || spec.starts_with("node:"));
    let last = spec.rsplit('/').next().unwrap_or(spec);
    let ext_ok = match last.rsplit_once('.') {
        None => true,
        Some((stem, ext)) => {
            // `socket.io`, `lodash.merge`: a package named with a dot, outside a path.
            (!spec.starts_with('.')
                && !stem.is_empty()
                && !spec.contains('/')
                && !ext.starts_with("ph")
                && !matches!(
                    ext,
                    "inc"
                        | "txt"
                        | "log"
                        | "ini"
                        | "conf"
                        | "env"
                        | "sh"
                        | "pl"
                        | "py"
                        | "rb"
                        | "asp"
                        | "aspx"
                        | "jsp"
                        | "jpg"
                        | "jpeg"
                        | "png"
                        | "gif"
                        | "html"
                        | "htm"
                        | "shtml"
                        | "cgi"
                ))
                || matches!(
                    ext,
                    "js" | "mjs"
                        | "cjs"
                        | "ts"
                        | "mts"
                        | "cts"
                        | "jsx"
                        | "tsx"
                        | "json"
                        | "node"
                        | "vue"
                        | "svelte"
                        | "css"
                        | "scss"
                        | "wasm"
                )
        }
    };
    plain && ext_ok && !matches!(last, "" | "." | "..")
}

/// A quoted [`js_module_specifier`] at the start of `arg` (`'./x.js')`, `"debug")`):
/// what follows its closing quote.
pub(crate) fn quoted_module(arg: &str) -> Option<&str> {
    let q @ ('\'' | '"') = arg.chars().next()? else {
        return None;
    };
    let close = arg[1..].find(q)? + 1;
    js_module_specifier(&arg[1..close]).then(|| &arg[close + 1..])
}

/// One line of code a code search or a snippet field holds whole, of a shape no injection
/// takes: a JavaScript `import`/`export … from '…'` statement, a declaration bound to a
/// `require('…')` (`const { once } = require('node:events')`), a Rust macro call
/// (`println!("{}", x);`), or a condition or loop header opening its block
/// (`if (err && err.code === 'ENOENT') {`, `while let Some(b) = it.next() {`); or a Python
/// block header (`with open(path, 'rb') as f:`). A dangling `{` or `:` ends SQL with a
/// syntax error, and the module specifiers are [`js_module_specifier`]s. A unified diff's
/// changed line counts as the line it changes (`+    println!("{args:?}");`): its marker
/// and the code's indentation come first. Lines after it that only close blocks (`}`,
/// `});`: the end of a snippet, `println!("done");\n}`) are no SQL and are set aside.
pub(crate) fn code_statement_line(text: &str) -> bool {
    let mut t = text.trim();
    while let Some((code, last)) = t.rsplit_once('\n') {
        let last = last.trim();
        if !(last.starts_with('}') && last.bytes().all(|b| b"}),;".contains(&b))) {
            break;
        }
        t = code.trim_end();
    }
    if t.contains('\n') {
        return false;
    }
    let t = t
        .strip_prefix(['+', '-'])
        .filter(|code| code.starts_with([' ', '\t']))
        .map_or(t, str::trim_start);
    let t = t.strip_suffix(';').unwrap_or(t).trim_end();
    let quoted_tail = |t: &str| -> Option<(usize, usize)> {
        let q = t.chars().last().filter(|c| matches!(c, '\'' | '"'))?;
        let open = t[..t.len() - 1].rfind(q)?;
        Some((open, t.len() - 1))
    };
    // `import {a, b} from './x'`, `export * from "y"`, `import x, { y } from 'z'`.
    if (t.starts_with("import ") || t.starts_with("export ")) && !t.contains(['(', '`', '=']) {
        if let Some((open, close)) = quoted_tail(t) {
            let head = t[..open].trim_end();
            return js_module_specifier(&t[open + 1..close])
                && (head.ends_with(" from") || head == "import")
                && !head.contains(['\'', '"', ';', '#', '-']);
        }
        return false;
    }
    // `const { a } = require('./b')`, optionally followed by property reads.
    for kw in ["const ", "let ", "var "] {
        if let Some(rest) = t.strip_prefix(kw) {
            let Some((lhs, rhs)) = rest.split_once('=') else {
                return false;
            };
            let rhs = rhs.trim();
            let Some(tail) = rhs
                .strip_prefix("require(")
                .and_then(quoted_module)
                .and_then(|rest| rest.strip_prefix(')'))
            else {
                return false;
            };
            return lhs
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b" _${},:".contains(&b))
                && tail
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._".contains(&b));
        }
    }
    // A Python block header: `with open("signature", "rb") as f:`, `if path.is_hidden('/'):`.
    // A trailing `:` after a closed call or a name ends SQL in an error.
    let python_head = ["if ", "elif ", "for ", "while ", "with ", "def ", "class "]
        .iter()
        .any(|k| t.starts_with(k));
    if python_head && t.ends_with(':') {
        let body = &t[..t.len() - 1];
        return body.ends_with(|c: char| c == ')' || c.is_ascii_alphanumeric() || c == '_')
            && !t.contains(['#', ';', '\\'])
            && !crate::has(t, "--")
            && !crate::has(t, "/*");
    }
    // A Rust macro called on a line of its own: `println!("{}: {}", k, v);`,
    // `assert!(extra == " World!", "…")`. `name!(` is SQL nowhere: `!` only prefixes an
    // operand (or, in old PostgreSQL, ends a factorial, which no `(` may follow).
    let no_cut = |t: &str| !t.contains(['#', ';']) && !crate::has(t, "--") && !crate::has(t, "/*");
    if let Some((name, _)) = t.split_once("!(") {
        let macro_name = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if macro_name {
            return (t.ends_with(')') || t.ends_with("),")) && no_cut(t);
        }
    }
    // `if (…) {`, `} else if (…) {`, `for (…) {`, `while (…) {`, a `// …` remark after; and
    // the headers of languages without the parentheses: `while let Some(b) = it.next() {`,
    // `if err != nil {`, `match self {`.
    let code = t.split(" //").next().unwrap_or(t).trim_end();
    let head = code
        .trim_start_matches('}')
        .trim_start()
        .trim_start_matches("else ")
        .trim_start();
    let Some(before_brace) = code.strip_suffix('{').map(str::trim_end) else {
        return false;
    };
    let parenthesised = ["if", "for", "while", "switch"].iter().any(|k| {
        head.strip_prefix(k)
            .is_some_and(|r| r.trim_start().starts_with('('))
    }) && before_brace.ends_with(')');
    let bare = ["if ", "for ", "while ", "match "]
        .iter()
        .any(|k| head.starts_with(k))
        && code.ends_with(" {")
        && before_brace
            .ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | ')' | ']'));
    (parenthesised || bare) && no_cut(code)
}

/// The code blocks a document shows: closed Markdown fences ([`markdown_fences`]),
/// reStructuredText literal blocks ([`rst_literal_blocks`]) and unified diffs
/// ([`unified_diffs`]).
pub(crate) fn code_blocks(text: &str) -> Vec<(usize, usize)> {
    let mut out = if has(text, "```") {
        markdown_fences(text)
    } else {
        Vec::new()
    };
    if has(text, "::") {
        out.extend(rst_literal_blocks(text));
    }
    if has(text, "@@ -") {
        out.extend(unified_diffs(text));
    }
    out
}

/// The code a document or a page shows: [`code_blocks`], and [`html_code_elements`] when
/// markup closes an element.
pub(crate) fn shown_code(text: &str) -> Vec<(usize, usize)> {
    let mut out = code_blocks(text);
    if has(text, "</") {
        out.extend(html_code_elements(text));
    }
    out
}

/// Byte ranges of unified diffs: a review tool's patch, `git diff` pasted in an issue, a
/// review comment's hunk (`@@ -12,7 +12,8 @@` and its lines, with or without the file
/// header lines `diff --git`, `index`, `---`, `+++` before it). Each hunk must hold
/// exactly the lines its header counts (context ` ` or an empty line, removed `-`, added
/// `+`, `\ No newline at end of file`), so a `@@ -` in a sentence or a payload dressed as
/// one line of a diff is not one. A review renders a diff escaped, line by line, as a
/// fence is rendered.
pub(crate) fn unified_diffs(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // The diff being read: where it starts and where its last complete hunk ends.
    let mut run: Option<(usize, usize)> = None;
    // Where the header lines just read start.
    let mut header: Option<usize> = None;
    // The hunk being read: old and new lines still to come.
    let mut hunk: Option<(u32, u32)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let start = at;
        at += line.len();
        if let Some((old, new)) = hunk {
            let (o, n) = match body.bytes().next() {
                None | Some(b' ') => (1, 1),
                Some(b'-') => (1, 0),
                Some(b'+') => (0, 1),
                Some(b'\\') => (0, 0),
                _ => (u32::MAX, u32::MAX),
            };
            if o <= old && n <= new {
                let left = (old - o, new - n);
                hunk = (left != (0, 0)).then_some(left);
                if hunk.is_none() {
                    if let Some((_, end)) = &mut run {
                        *end = at;
                    }
                }
                continue;
            }
            // A line the hunk cannot hold: it ends unfinished, and the diff with its last
            // complete hunk.
            hunk = None;
            header = None;
            if let Some(r) = run.take().filter(|&(a, b)| b > a) {
                out.push(r);
            }
        }
        if let Some(counts) = hunk_header(body) {
            let from = header.take().unwrap_or(start);
            run.get_or_insert((from, from));
            hunk = Some(counts);
        } else if diff_header(body) {
            header.get_or_insert(start);
        } else {
            header = None;
            if let Some(r) = run.take().filter(|&(a, b)| b > a) {
                out.push(r);
            }
        }
    }
    if let Some(r) = run.filter(|&(a, b)| b > a) {
        out.push(r);
    }
    out
}

/// A unified diff's file header line (`diff --git …`, `index …`, `--- a/…`, `+++ b/…`, a
/// mode or rename line), in any case (a lower-cased copy is judged too).
fn diff_header(line: &str) -> bool {
    const HEADERS: [&str; 12] = [
        "diff ",
        "index ",
        "--- ",
        "+++ ",
        "new file mode ",
        "deleted file mode ",
        "old mode ",
        "new mode ",
        "similarity index ",
        "rename from ",
        "rename to ",
        "binary files ",
    ];
    HEADERS.iter().any(|h| {
        line.get(..h.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(h))
    })
}

/// Whether a line opens a block [`unified_diffs`] finds: a file header or a hunk header.
pub(crate) fn opens_diff(line: &str) -> bool {
    diff_header(line) || hunk_header(line).is_some()
}

/// The old and new line counts of a unified diff's hunk header (`@@ -12,7 +12,8 @@ fn
/// main() {`; a count left out is 1).
fn hunk_header(line: &str) -> Option<(u32, u32)> {
    let rest = line.strip_prefix("@@ -")?;
    let (ranges, _) = rest.split_once(" @@")?;
    let (old, new) = ranges.split_once(" +")?;
    let count = |r: &str| -> Option<u32> {
        let (first, count) = r.split_once(',').unwrap_or((r, "1"));
        first.parse::<u32>().ok()?;
        count.parse::<u32>().ok()
    };
    let counts = (count(old)?, count(new)?);
    (counts != (0, 0)).then_some(counts)
}

/// Byte ranges of closed Markdown code fences: a line opening with ```` ``` ```` (a
/// language tag may follow) up to a line that closes it. Commands inside are code shown to
/// a reader (`` ```sh\n$ npm install\n``` ``); an unclosed fence is not one. A fence in a
/// documentation comment counts too, after the comment's mark (JSDoc's ```` * ```sql ````,
/// Rust's ```` /// ``` ````): the Markdown those comments hold is rendered as docs. So does
/// one in a block quote (`> ```html`).
pub(crate) fn markdown_fences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = unquoted(line).trim_start();
        let t = ["///", "//!", "*"]
            .iter()
            .find_map(|mark| t.strip_prefix(mark))
            .map_or(t, str::trim_start);
        if t.starts_with("```") {
            match open.take() {
                Some(start) => out.push((start, at + line.len())),
                None => open = Some(at),
            }
        }
        at += line.len();
    }
    out
}

/// A line without the Markdown block-quote marks before it (`> `, `> > `): a reply quoting a
/// document quotes its fences and literal blocks with it, and they stay code.
fn unquoted(line: &str) -> &str {
    let mut t = line;
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.strip_prefix(' ').unwrap_or(rest);
    }
    t
}

/// Byte ranges of reStructuredText literal blocks: the indented lines after a paragraph
/// that ends with `::` (`e.g.::`, `::` alone) or a `.. code-block::` / `.. code::` /
/// `.. sourcecode::` directive and a blank line, up to the first line indented no deeper
/// than that paragraph, in a Markdown block quote too. Docutils and Sphinx show them as code,
/// escaped, as a Markdown renderer shows a fence.
pub(crate) fn rst_literal_blocks(text: &str) -> Vec<(usize, usize)> {
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let mut out = Vec::new();
    let mut at = 0;
    // (base indent, start of the block once its first indented line is seen)
    let mut open: Option<(usize, Option<usize>)> = None;
    let mut last_code_end = 0;
    for line in text.split_inclusive('\n') {
        let body = unquoted(line).trim_end();
        if let Some((base, start)) = open {
            if body.is_empty() {
                at += line.len();
                continue;
            }
            if indent(body) > base {
                open = Some((base, start.or(Some(at))));
                last_code_end = at + line.len();
                at += line.len();
                continue;
            }
            if let Some(start) = start {
                out.push((start, last_code_end));
            }
            open = None;
        }
        let t = body.trim_start();
        let directive = [".. code-block::", ".. code::", ".. sourcecode::"]
            .iter()
            .any(|d| t.starts_with(d));
        if body.ends_with("::") || directive {
            open = Some((indent(body), None));
        }
        at += line.len();
    }
    if let Some((_, Some(start))) = open {
        out.push((start, last_code_end));
    }
    out
}

/// Byte ranges of Markdown indented code blocks that follow a paragraph of prose: lines
/// indented by four columns or more (a tab counts four) after a blank line, up to the
/// first line indented less; blank lines inside belong to the block. CommonMark renders
/// them as code, as a fence (`We rolled back; root cause below.\n\n    netstat -tulpn |
/// grep :443`), and Stack Overflow, GitHub and Reddit posts paste code so. The paragraph
/// before must hold three prose words ([`xss::prose_words`]): a payload appended to a
/// parameter (`x\n\n    id`) has no sentence before its line. An indented line right
/// after a paragraph line, with no blank between, continues the paragraph. An HTML comment
/// line between the paragraph and the block (Stack Overflow's `<!-- language: lang-sh -->`)
/// is passed over.
pub(crate) fn indented_code_blocks(text: &str) -> Vec<(usize, usize)> {
    let columns = |l: &str| {
        let mut n = 0;
        for c in l.bytes() {
            match c {
                b' ' => n += 1,
                b'\t' => n += 4,
                _ => break,
            }
        }
        n
    };
    let mut out = Vec::new();
    let mut at = 0;
    // Prose words of the paragraph last read, and whether a blank line has followed it.
    let (mut words, mut blank) = (0usize, false);
    // The block being read: where it starts and where its last indented line ends.
    let mut block: Option<(usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let body = unquoted(line).trim_end();
        if body.is_empty() {
            blank = true;
            continue;
        }
        let indent = columns(body);
        // Stack Overflow's `<!-- language: lang-bash -->` hint between the paragraph and
        // the block renders as nothing.
        if indent < 4
            && block.is_none()
            && body.trim_start().starts_with("<!--")
            && body.ends_with("-->")
        {
            continue;
        }
        if let Some((from, end)) = block {
            if indent >= 4 {
                block = Some((from, at));
                continue;
            }
            out.push((from, end));
            block = None;
            words = 0;
        }
        if indent >= 4 && blank && words >= 3 {
            block = Some((start, at));
            continue;
        }
        if blank {
            words = 0;
            blank = false;
        }
        words += xss::prose_words(body);
    }
    out.extend(block);
    out
}

pub(crate) fn signal(
    detector: &'static str,
    category: palisade_types::Category,
    confidence: f32,
    value: &Value,
    evidence: &str,
    reason: &'static str,
) -> Signal {
    Signal {
        detector,
        category,
        confidence,
        place: value.place.clone(),
        evidence: palisade_types::mask_evidence(evidence),
        reason,
    }
}

/// An uploaded file's name: the multipart filename, or the `X-Filename` header some upload
/// APIs read. Windows and some servers drop trailing dots and spaces (`a.php.`), so those
/// are trimmed.
pub(crate) fn uploaded_name(value: &Value) -> Option<&str> {
    use palisade_types::PlaceKind;
    let named = match value.place.kind {
        PlaceKind::Filename => true,
        PlaceKind::Header => ["x-filename", "x_filename", "x.filename", "x-file-name"]
            .iter()
            .any(|h| value.place.name.eq_ignore_ascii_case(h)),
        _ => false,
    };
    named.then(|| value.text().trim_end_matches(['.', ' ', '"', '\0']))
}

/// The lower-cased extension of an [`uploaded_name`]. A space after the dot (`shell. jsp`)
/// is ignored, as Windows does.
pub(crate) fn uploaded_extension(value: &Value) -> Option<String> {
    let (_, ext) = uploaded_name(value)?.rsplit_once('.')?;
    Some(ext.trim_start().to_ascii_lowercase())
}

/// Test helper shared by the detector modules: a value at a query parameter.
#[cfg(test)]
pub(crate) fn value(text: &str) -> Value {
    Value::new(
        palisade_types::Place::new(palisade_types::PlaceKind::QueryValue, "q"),
        text.to_string(),
        3,
    )
}

/// Test helper shared by the detector modules: does `detector` raise any signal on `text`
/// placed in a query parameter?
#[cfg(test)]
pub(crate) fn hits(detector: &dyn Detector, text: &str) -> bool {
    let mut out = Vec::new();
    detector.inspect(&value(text), &mut out);
    !out.is_empty()
}

/// The data-driven cases in `testdata/<detector>/` (see its README): every attack line must
/// reach the default block confidence, every benign line must raise nothing.
#[cfg(test)]
mod testdata {
    use palisade_types::{Place, PlaceKind};

    fn place(line: &str) -> (Place, &str) {
        let Some((kind, text)) = line.split_once('\t') else {
            return (Place::new(PlaceKind::QueryValue, "q"), line);
        };
        // `kind:name` names the place (`header:referer`, `query:url`); the default name is x.
        let (kind, name) = kind.split_once(':').unwrap_or((kind, "x"));
        let kind = match kind {
            "path" => PlaceKind::Path,
            "header" => PlaceKind::Header,
            "json" => PlaceKind::JsonValue,
            "form" => PlaceKind::FormValue,
            "body" => PlaceKind::Body,
            "key" => PlaceKind::QueryKey,
            "query" => PlaceKind::QueryValue,
            "filename" => PlaceKind::Filename,
            "file" => PlaceKind::File,
            other => panic!("unknown place {other:?} in testdata line {line:?}"),
        };
        (Place::new(kind, name), text)
    }

    #[derive(Clone, Copy)]
    enum Expect {
        Block,
        Silent,
        BelowBlock,
    }

    fn cases(detector: &str, file: &str) -> Vec<String> {
        let path = format!("{}/testdata/{detector}/{file}", env!("CARGO_MANIFEST_DIR"));
        // recorded.txt is optional; the other two are required.
        let text = match std::fs::read_to_string(&path) {
            Err(_) if file == "recorded.txt" => return Vec::new(),
            other => other.unwrap_or_else(|e| panic!("{path}: {e}")),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn testdata_cases_hold_for_every_detector_folder() {
        let registry = crate::Registry::builtin();
        let root = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
        let mut folders = 0;
        for entry in std::fs::read_dir(&root).expect("testdata folder") {
            let entry = entry.expect("testdata entry");
            if !entry.path().is_dir() {
                continue;
            }
            folders += 1;
            let name = entry.file_name().to_string_lossy().into_owned();
            let set = registry
                .build(Some(std::slice::from_ref(&name)))
                .unwrap_or_else(|e| panic!("testdata/{name}: {e}"));
            let mut failures = Vec::new();
            for (file, expect) in [
                ("attacks.txt", Expect::Block),
                ("benign.txt", Expect::Silent),
                ("recorded.txt", Expect::BelowBlock),
            ] {
                for line in cases(&name, file) {
                    let line = line.replace("\\r", "\r").replace("\\n", "\n");
                    let (place, text) = place(&line);
                    let value = palisade_normalize::Value::new(place, text.to_string(), 3);
                    let n = palisade_normalize::Normalized {
                        values: vec![value],
                        ..Default::default()
                    };
                    let top = set
                        .run(&n)
                        .iter()
                        .map(|s| s.confidence)
                        .fold(None, |m: Option<f32>, c| Some(m.map_or(c, |m| m.max(c))));
                    let ok = match (expect, top) {
                        (Expect::Block, Some(c)) => c >= 0.7,
                        (Expect::Block, None) => false,
                        (Expect::Silent, top) => top.is_none(),
                        (Expect::BelowBlock, top) => top.is_none_or(|c| c < 0.7),
                    };
                    if !ok {
                        failures.push(format!("{file}: {line:?} -> {top:?}"));
                    }
                }
            }
            assert!(
                failures.is_empty(),
                "testdata/{name}:\n{}",
                failures.join("\n")
            );
        }
        assert!(folders >= 4, "only {folders} testdata folders found");
    }

    /// Detectors slice text by byte offsets everywhere; an offset one byte past a found
    /// character is only safe for ASCII. Every testdata line, with a two-byte and a
    /// three-byte character put in at each position, runs through every detector without a
    /// panic (a `js_declared` slice inside 'é' was caught this way, session 22).
    #[test]
    fn testdata_lines_with_non_ascii_inserted_never_panic() {
        let set = crate::Registry::builtin().build(None).expect("detectors");
        let root = format!("{}/testdata", env!("CARGO_MANIFEST_DIR"));
        let mut runs = 0usize;
        for entry in std::fs::read_dir(&root).expect("testdata folder") {
            let entry = entry.expect("testdata entry");
            if !entry.path().is_dir() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            for file in ["attacks.txt", "benign.txt", "recorded.txt"] {
                for line in cases(&name, file) {
                    let line = line.replace("\\r", "\r").replace("\\n", "\n");
                    let (place, text) = place(&line);
                    if text.len() > 200 {
                        continue;
                    }
                    let bounds: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    for at in bounds {
                        for ch in ['é', '中'] {
                            let mut v = text.to_string();
                            v.insert(at, ch);
                            let value = palisade_normalize::Value::new(place.clone(), v, 3);
                            let n = palisade_normalize::Normalized {
                                values: vec![value],
                                ..Default::default()
                            };
                            set.run(&n);
                            runs += 1;
                        }
                    }
                }
            }
        }
        assert!(runs > 10_000, "only {runs} runs");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn indented_code_blocks_follow_a_paragraph_of_prose() {
        fn blocks(t: &str) -> Vec<&str> {
            super::indented_code_blocks(t)
                .into_iter()
                .map(|(a, b)| &t[a..b])
                .collect()
        }
        let t = "We rolled back; cause below.\n\n    ps aux\n\n\tgrep x\nDone, thanks all.\n";
        assert_eq!(blocks(t), ["    ps aux\n\n\tgrep x\n"]);
        // Fewer than three prose words before, no blank line (the paragraph goes on), or
        // a shallower indent: no block.
        assert!(blocks("Here:\n\n    ps aux").is_empty());
        assert!(blocks("We rolled back; cause below.\n    ps aux").is_empty());
        assert!(blocks("We rolled back; cause below.\n\n   ps aux").is_empty());
        let t = "Here is what I ran:\n\n<!-- language: lang-sh -->\n\n    ls -la\n";
        assert_eq!(blocks(t), ["    ls -la\n"]);
        // After a block, the next one needs a paragraph of its own.
        let t = "Here is what I ran first:\n\n    ls\nok\n\n    id";
        assert_eq!(blocks(t), ["    ls\n"]);
    }

    #[test]
    fn generated_secrets_have_no_sql_words_or_comments() {
        for s in [
            "GMO6FMN&@KlNO1e#frXE",
            "BU7\"#/F@no!fYOi5wV8f'g6",
            "Summer2024!",
            // A quote before an operator, but no operand after it or no statement left to
            // parse: a generator's symbols.
            "UK\"-8H,n0,%RP\\d'8{1l]8bnL4&)4xVM",
            "&\">58{X;V?-Qh08Mm-I|TFf?",
            // `bY` between symbols (Faker's `password(special_chars=True)`, session 36).
            "$Z+$v6U(7Q)fN5bY%I",
        ] {
            assert!(super::generated_secret(s), "{s}");
        }
        for s in [
            "1'oR'1'='1Ab",
            "Admin1'/**/union/**/select",
            "Passw0rd'--",
            "admin'#",
            "1Aa'^'1'='1",
            "Ab1'||'1",
            "Xy9\"<>\"z",
            "Xxxx'-0-'",
            "Xxxx'|0|'",
            "Xxx1'+0#",
            "Xxx1')-0-('",
            "short1A",
            "Xy9'+order+by+3#",
            "has space 1A",
        ] {
            assert!(!super::generated_secret(s), "{s}");
        }
        assert!(super::secret_field("$.user.new_password"));
        assert!(super::secret_field("client_secret"));
        assert!(super::secret_field("$.items[0].pin"));
        assert!(!super::secret_field("$.comment"));
        assert!(!super::secret_field("spin"));
    }

    #[test]
    fn open_tag_is_the_tag_a_text_ends_inside() {
        assert_eq!(super::open_tag(r#"x <a href="y"#), Some(r#"a href="y"#));
        assert_eq!(super::open_tag("x</span"), Some("/span"));
        assert_eq!(super::open_tag("<b>x"), None);
        assert_eq!(super::open_tag("1 < 2"), None);
        assert_eq!(super::open_tag("no tag"), None);
    }

    #[test]
    fn starts_with_word_needs_the_word_and_a_space() {
        assert!(super::starts_with_word("SELECT * FROM t", "select"));
        assert!(super::starts_with_word("with\tx as (", "with"));
        assert!(!super::starts_with_word("selected items", "select"));
        assert!(!super::starts_with_word("select", "select"));
        assert!(!super::starts_with_word("sé", "select"));
    }

    #[test]
    fn has_finds_literals_as_contains_does() {
        for (hay, needle) in [
            ("SKU-00012", "--"),
            ("a -- b", "--"),
            ("--", "--"),
            ("-", "--"),
            ("", "--"),
            ("x", ""),
            ("é--", "--"),
            ("/* c */", "/*"),
            ("``x``", "```"),
            ("a```", "```"),
        ] {
            assert_eq!(
                super::has(hay, needle),
                hay.contains(needle),
                "{hay:?} {needle:?}"
            );
        }
    }
}
