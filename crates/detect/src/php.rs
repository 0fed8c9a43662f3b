//! PHP code injection: an opening tag with code after it, a call of a function that runs code
//! or commands (`system('id')`, `base64_decode(`, `call_user_func(`), a variable function
//! (`$a(1)`, `$__['o'](5)`), a superglobal (`$_GET[`), or a name assembled from pieces and
//! then called (`(sy.(st).em)('uname')`, `[system][0](ls)`). Prose that names a function
//! ("the system(s) we use") stays clean: a short, common name needs a code-like argument.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};
use std::sync::LazyLock;

pub struct Php;

/// Functions that run code, commands or decoders attackers chain; long enough that the name
/// followed by `(` is code, not prose.
const LONG: &[&str] = &[
    "base64_decode",
    "call_user_func",
    "call_user_func_array",
    "create_function",
    "shell_exec",
    "proc_open",
    "pcntl_exec",
    "file_put_contents",
    "file_get_contents",
    "fsockopen",
    "pfsockopen",
    "gzinflate",
    "gzuncompress",
    "gzdecode",
    "bzdecompress",
    "str_rot13",
    "move_uploaded_file",
    "preg_replace",
    "array_map",
    "array_filter",
    "usort",
    "register_shutdown_function",
    "phpinfo",
    "posix_getpwuid",
    "highlight_file",
    "show_source",
    "ini_set",
    "unserialize",
    "curl_exec",
    "stream_get_contents",
];

/// Short or common names: code only with a code-like argument (`'…'`, `"…"`, `$x`, `@`, `)`).
const SHORT: &[&str] = &[
    "system",
    "exec",
    "passthru",
    "popen",
    "eval",
    "assert",
    "include",
    "require",
    "fopen",
    "fwrite",
    "readfile",
    "file",
    "include_once",
    "require_once",
    "mail",
    "chr",
    "echo",
];

static NAMES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(LONG.iter().chain(SHORT))
        // A constant list of plain words: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

const SUPERGLOBALS: &[&str] = &[
    "$_get",
    "$_post",
    "$_request",
    "$_server",
    "$_cookie",
    "$_files",
    "$_env",
    "$_session",
    "$globals",
];

/// Skips whitespace and `/* … */`, `// …`, `# …` comments.
fn skip_gaps(s: &str) -> &str {
    let mut t = s;
    loop {
        let before = t.len();
        t = t.trim_start();
        if let Some(r) = t.strip_prefix("/*") {
            t = r.find("*/").map_or("", |e| &r[e + 2..]);
        } else if t.starts_with("//") || t.starts_with('#') {
            t = t.find('\n').map_or("", |e| &t[e..]);
        }
        if t.len() == before {
            return t;
        }
    }
}

impl Php {
    fn check(text: &str) -> Option<(f32, &'static str)> {
        // Lower-casing copies the value: only for values that can hold a tag, a
        // superglobal or a call at all (a call needs a function name the automaton finds).
        let tag = text.contains("<?")
            || text
                .as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"php]") || w.eq_ignore_ascii_case(b"php}"));
        let dollar = text.contains('$');
        let call = text.contains('(') && NAMES.is_match(text);
        let called = called(text);
        if !(tag || dollar || call || called) {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        if tag {
            if let Some(r) = open_tag(&lower) {
                return Some(r);
            }
        }
        if dollar && SUPERGLOBALS.iter().any(|g| lower.contains(g)) {
            return Some((0.85, "superglobal"));
        }
        if call {
            if let Some(r) = function_call(&lower) {
                return Some(r);
            }
        }
        if dollar && variable_function(&lower) {
            return Some((0.8, "variable function call"));
        }
        if called && assembled_call(&lower) {
            return Some((0.8, "function name assembled and called"));
        }
        None
    }
}

/// `<?php …`, `<?= …`, `<? exec(…`, `[php]…`, `{php}…`: a tag that opens PHP code, with code
/// after it. `<?xml …?>` and other processing instructions are not PHP.
fn open_tag(lower: &str) -> Option<(f32, &'static str)> {
    if let Some(at) = lower.find("<?") {
        let rest = &lower[at + 2..];
        if rest.starts_with("php") || rest.starts_with('=') {
            return Some((0.9, "PHP open tag"));
        }
        let rest = rest.trim_start();
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `<? php echo …` (a space PHP's lexer would not allow, but filters miss), or a
        // statement right after the tag (`<? echo "x"`, `<? system(…)`).
        let statement = matches!(
            word.as_str(),
            "php"
                | "echo"
                | "print"
                | "eval"
                | "system"
                | "exec"
                | "passthru"
                | "include"
                | "require"
        ) && rest[word.len()..].starts_with(char::is_whitespace);
        let code_follows = statement
            || !word.is_empty()
                && !word.starts_with("xml")
                && rest[word.len()..]
                    .trim_start()
                    .starts_with(['(', '$', '"', '\'']);
        if code_follows || rest.starts_with('$') {
            return Some((0.85, "PHP short open tag"));
        }
    }
    // `[php]…[/php]`, `{php}…{/php}`, or an opening tag with code right after it.
    for (open, close) in [("[php]", "[/php]"), ("{php}", "{/php}")] {
        if let Some(at) = lower.find(open) {
            let rest = &lower[at + open.len()..];
            let word = rest
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
            if rest.contains(close) || word.trim_start().starts_with(['(', '$', '"', '\'']) {
                return Some((0.8, "PHP template tag"));
            }
        }
    }
    None
}

/// A dangerous function name followed by `(` (comments and whitespace allowed between).
fn function_call(lower: &str) -> Option<(f32, &'static str)> {
    if !lower.contains('(') {
        return None;
    }
    for m in NAMES.find_iter(lower) {
        let name = &lower[m.start()..m.end()];
        let after = skip_gaps(&lower[m.end()..]);
        let Some(arg) = after.strip_prefix('(') else {
            continue;
        };
        let prev = lower[..m.start()].chars().next_back();
        // `…_system(` is another function; `@system(` and `.system(` are PHP.
        if prev.is_some_and(|c| c == '_') {
            continue;
        }
        if LONG.contains(&name) {
            return Some((0.85, "PHP code function called"));
        }
        let arg = skip_gaps(arg);
        let word_before = prev.is_some_and(|c| c.is_ascii_alphanumeric());
        let code_arg = arg.starts_with(['\'', '"', '$', '@', ')']) || arg.starts_with("base64");
        if code_arg && !word_before {
            return Some((0.85, "PHP command function called"));
        }
    }
    None
}

/// `$a(1)`, `$$b(2)`, `$_(3)`, `@$__[o](4)`, `$__['o'](5)`: a variable holding the function.
fn variable_function(lower: &str) -> bool {
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(off) = lower[i..].find('$') {
        let mut j = i + off;
        while b.get(j) == Some(&b'$') {
            j += 1;
        }
        let start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        let named = j > start && !b[start].is_ascii_digit();
        // An optional index: `[…]`.
        if named && b.get(j) == Some(&b'[') {
            if let Some(end) = lower[j..].find(']') {
                j += end + 1;
            }
        }
        if named && b.get(j) == Some(&b'(') {
            return true;
        }
        i = j.max(i + off + 1);
    }
    false
}

/// A called expression: `)(`, `](`, `'(`, `"(`, `}(`, and `) (`, `] (`.
fn called(text: &str) -> bool {
    [")(", "](", "'(", "\"(", "}(", ") (", "] ("]
        .iter()
        .any(|p| text.contains(p))
}

/// `(system)('uname')`, `(sy.(st).em)('uname')`, `"sys"."t"."em"('uname')`,
/// `[system][0](ls)`: a called expression (`)(`, `](`, `'(`), whose text — quotes, dots,
/// brackets, comments and spaces removed — starts with a command function's name.
///
/// The caller has checked that the value is [`called`].
fn assembled_call(lower: &str) -> bool {
    let squeezed: String = lower
        .replace("/*", " ")
        .replace("*/", " ")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    // Prose is long; an assembled call is a short expression.
    squeezed.len() <= 80
        && ["system", "exec", "passthru", "popen", "assert", "eval"]
            .iter()
            .any(|f| squeezed.contains(f))
}

/// An upload whose file name ends in an extension PHP runs (`a.php`, `x.phtml`, `y.phar`):
/// the multipart filename, or the `X-Filename` header some upload APIs read. Stored where
/// the web server executes it, it is a web shell.
fn uploads_script(value: &Value) -> bool {
    let named = match value.place.kind {
        PlaceKind::Filename => true,
        PlaceKind::Header => matches!(
            value.place.name.to_ascii_lowercase().as_str(),
            "x-filename" | "x_filename" | "x.filename" | "x-file-name"
        ),
        _ => false,
    };
    if !named {
        return false;
    }
    let ext = value
        .text()
        .trim_end_matches(['.', ' ', '"', '\0'])
        .rsplit('.')
        .next()
        .unwrap_or("")
        .trim_start()
        .to_ascii_lowercase();
    // `php`, `php5`, `php907`; Windows and some servers ignore a space after the dot.
    let php_n = ext
        .strip_prefix("php")
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    php_n || matches!(ext.as_str(), "phtml" | "pht" | "phar" | "phps" | "pgif")
}

impl Detector for Php {
    fn name(&self) -> &'static str {
        "php"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if value.classes.any(bc::DOT) && uploads_script(value) {
            out.push(signal(
                "php",
                Category::PhpInjection,
                0.9,
                value,
                value.text(),
            ));
            return;
        }
        // Tags need `<`, `[` or `{`; calls need `(`; variables need `$`.
        if !value
            .classes
            .any(bc::LT | bc::LPAREN | bc::DOLLAR | bc::LBRACKET | bc::LBRACE)
        {
            return;
        }
        if let Some((confidence, _)) = Php::check(value.text()) {
            out.push(signal(
                "php",
                Category::PhpInjection,
                confidence,
                value,
                value.text(),
            ));
        }
    }
}

#[cfg(test)]
mod upload_tests {
    use super::*;
    use palisade_types::Place;

    fn flags(kind: PlaceKind, name: &str, text: &str) -> bool {
        let v = Value::new(Place::new(kind, name), text.to_string(), 3);
        let mut out = Vec::new();
        Php.inspect(&v, &mut out);
        out.iter().any(|s| s.confidence >= 0.7)
    }

    #[test]
    fn script_uploads_are_caught_by_file_name_only() {
        for (kind, name, text) in [
            (PlaceKind::Filename, "file", "shell.php"),
            (PlaceKind::Filename, "file", "something/dangerous.PHTML"),
            (PlaceKind::Filename, "f", "x.jpg.phar"),
            (PlaceKind::Header, "x-filename", "a.php5"),
            (PlaceKind::Header, "X_Filename", "a.pht"),
            (
                PlaceKind::Header,
                "x-file-name",
                "fthi/sfewfda.php907.............",
            ),
            (PlaceKind::Filename, "file", "photo. php"),
        ] {
            assert!(flags(kind, name, text), "{name}: {text}");
        }
        for (kind, name, text) in [
            (PlaceKind::Filename, "file", "photo.jpg"),
            (PlaceKind::Filename, "file", "notes-php.txt"),
            (PlaceKind::Filename, "file", "graphql.phpx"),
            (PlaceKind::Header, "x-filename", "report.pdf"),
            // A name that mentions PHP elsewhere is not an upload of one.
            (PlaceKind::QueryValue, "q", "index.php"),
            (
                PlaceKind::Header,
                "referer",
                "https://example.com/index.php",
            ),
        ] {
            assert!(!flags(kind, name, text), "{name}: {text}");
        }
    }
}
