//! PHP code injection: an opening tag with code after it, a call of a function that runs code
//! or commands (`system('id')`, `base64_decode(`, `call_user_func(`), a variable function
//! (`$a(1)`, `$__['o'](5)`), a superglobal (`$_GET[`), or a name assembled from pieces and
//! then called (`(sy.(st).em)('uname')`, `[system][0](ls)`). Prose that names a function
//! ("the system(s) we use") stays clean: a short, common name needs a code-like argument.
//! A superglobal or a harmless open tag a sentence talks about (`Why does $_POST come back
//! empty?`) is recorded, not blocked.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};
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
    // Reconnaissance an injected payload starts with: PHP-only names.
    "get_defined_functions",
    "get_defined_vars",
    "get_defined_constants",
    "posix_getegid",
    "posix_geteuid",
    "posix_getuid",
    "posix_setuid",
    "posix_kill",
    "php_uname",
    "curl_init",
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
        if text.contains(":\"") && serialized_object(text) {
            return Some((0.85, "serialized PHP object"));
        }
        if statement_after_breakout(text) {
            return Some((0.85, "PHP statement injected after a string"));
        }
        if !(tag || dollar || call || called) {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        // A finding that a sentence around it explains is kept for the record, unless
        // something stronger turns up below.
        let mut shown = None;
        if tag {
            if let Some(r) = open_tag(&lower) {
                if r.1 == "PHP template tag" || !tag_in_prose(&lower) {
                    return Some(r);
                }
                shown = Some((0.6, "PHP open tag shown in a sentence or a fence"));
            }
        }
        if dollar && SUPERGLOBALS.iter().any(|g| lower.contains(g)) {
            // Read in PHP shown to a reader (`<?php echo htmlspecialchars($_GET['q']); ?>` in
            // a fence), or named in a sentence: a call that runs it is judged below.
            let named = if tag {
                shown.is_some()
            } else {
                crate::xss::prose_words(&lower) >= 4
            };
            if !named {
                return Some((0.85, "superglobal"));
            }
            shown = shown.or(Some((0.6, "superglobal named in a sentence")));
        }
        if dollar && interpolated_call(&lower) {
            return Some((0.85, "function called in a complex interpolation"));
        }
        if call {
            if let Some(r) = function_call(&lower) {
                return Some(r);
            }
        }
        if dollar && variable_function(&lower) {
            return Some((0.8, "variable function call"));
        }
        if dollar && variable_variable(&lower) {
            return Some((0.8, "variable variable"));
        }
        if called && assembled_call(&lower) && !regex_group(&lower) {
            return Some((0.8, "function name assembled and called"));
        }
        shown
    }
}

/// A value that closes the string or expression it lands in inside `eval()`, calls a
/// function and comments the rest out: `';exit(md5('w4p1t1_md5'));//`, `".print(md5(1));#`
/// (the probes scanners send before `system(…)`). One line: an optional word (the original
/// value), a quote, `;` or `.`, a call whose argument is a string, a variable or another
/// call, and a `//` or `#` comment at the end.
fn statement_after_breakout(text: &str) -> bool {
    let t = text.trim();
    if !(t.ends_with("//") || t.ends_with('#')) || t.contains('\n') {
        return false;
    }
    let t = t.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let t = t.strip_prefix(['\'', '"']).unwrap_or(t);
    let Some(t) = t.strip_prefix([';', '.']) else {
        return false;
    };
    let t = t.trim_start();
    let name_end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    if name_end == 0 || !t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return false;
    }
    let Some(arg) = t[name_end..].trim_start().strip_prefix('(') else {
        return false;
    };
    let arg = arg.trim_start();
    let inner_name = arg
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(arg.len());
    let code_arg =
        arg.starts_with(['\'', '"', '$']) || (inner_name > 0 && arg[inner_name..].starts_with('('));
    let body = t.trim_end_matches('#').trim_end_matches('/').trim_end();
    code_arg && body.ends_with(");")
}

/// A PHP open tag a sentence talks about (`Use <?= $title ?> instead of <?php echo $title; ?>
/// in templates`) or a Markdown fence shows: words around it or a closed fence, and no
/// backtick in the PHP (`` <?=`id`?> `` runs a command). Written to a PHP file it runs, so
/// the code itself still has to be harmless:
/// the checks after the tag (functions that run code or commands, superglobals, variable
/// functions) still judge it.
fn tag_in_prose(lower: &str) -> bool {
    // Or in a closed Markdown fence (```` ```php\n<?php echo 'hi'; ?>\n``` ````): code
    // shown to a reader.
    let fences = if lower.contains("```") {
        crate::markdown_fences(lower)
    } else {
        Vec::new()
    };
    let prose = crate::xss::prose_words(lower) >= 3;
    let mut from = 0;
    while let Some(at) = lower[from..].find("<?").map(|p| from + p) {
        let end = lower[at..].find("?>").map_or(lower.len(), |p| at + p);
        let fenced = fences.iter().any(|&(a, b)| (a..b).contains(&at));
        if lower[at..end].contains('`') || !(prose || fenced) {
            return false;
        }
        from = end;
        if from >= lower.len() {
            break;
        }
    }
    true
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

/// `{${sleep(10)}}`: PHP's complex interpolation calls any function by name.
fn interpolated_call(lower: &str) -> bool {
    lower.match_indices("{${").any(|(at, _)| {
        let rest = &lower[at + 3..];
        let name = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        name > 0 && rest[name..].starts_with('(')
    })
}

/// A call's argument that is one quoted JavaScript module specifier and nothing else
/// (`'./cjs/react-dom.js')`, `"node:events")`): see [`crate::js_module_specifier`]. PHP's
/// includes that matter name a URL, an absolute or climbing path to a file it runs or a
/// log, or an expression.
fn module_argument(arg: &str) -> bool {
    crate::quoted_module(arg).is_some_and(|rest| skip_gaps(rest).starts_with(')'))
}

/// A call's argument that is one quoted template's name, then `)` or `,` (Twig's and
/// Jinja's `{{ include('_row.html.twig', {row: r}) }}`, Nunjucks' `include("card.njk")`):
/// a relative name, no URL, no climb, with a template engine's extension. PHP's includes
/// that matter run `.php`, a URL, a wrapper or a system file.
fn template_argument(arg: &str) -> bool {
    let Some(q) = arg.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
        return false;
    };
    let Some((name, after)) = arg[1..].split_once(q) else {
        return false;
    };
    const EXTENSIONS: [&str; 9] = [
        ".twig", ".html", ".htm", ".j2", ".jinja", ".jinja2", ".njk", ".liquid", ".hbs",
    ];
    !name.contains("..")
        && !name.contains(':')
        && !name.starts_with(['/', '\\'])
        && EXTENSIONS.iter().any(|e| name.ends_with(e))
        && skip_gaps(after).starts_with([')', ','])
}

/// Does `before` end with a JavaScript declaration's left side, `var|let|const NAME =`
/// (or a destructuring pattern, `const { exec } =`), at the start of a statement? Then the
/// call after it is JavaScript (`const io = require('socket.io')(server);`, `var child =
/// exec('make', {async:true});`): PHP has no such statement, its variables start with `$`.
fn js_declared(before: &str) -> bool {
    let Some(lhs) = before.trim_end().strip_suffix('=') else {
        return false;
    };
    if lhs.ends_with(['=', '!', '<', '>']) {
        return false;
    }
    let lhs = lhs.trim_end();
    let pattern_start = if lhs.ends_with(['}', ']']) {
        lhs.rfind(['{', '[']).unwrap_or(lhs.len())
    } else {
        lhs.char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |(p, c)| p + c.len_utf8())
    };
    let name = &lhs[pattern_start..];
    if name.is_empty() || name.contains('$') {
        return false;
    }
    let head = lhs[..pattern_start].trim_end();
    ["var", "let", "const"].iter().any(|k| {
        head.strip_suffix(k).is_some_and(|s| {
            let t = s.trim_end();
            s.len() == t.len() && s.is_empty()
                || s.len() > t.len()
                    && (s[t.len()..].contains('\n')
                        || t.chars()
                            .next_back()
                            .is_none_or(|c| matches!(c, ';' | '{' | '}' | '(')))
        })
    })
}

/// A dangerous function name followed by `(` (comments and whitespace allowed between).
fn function_call(lower: &str) -> Option<(f32, &'static str)> {
    if !lower.contains('(') {
        return None;
    }
    // A program in a closed Markdown fence (```` ```python ````) is code shown to a reader;
    // without a PHP open tag nothing makes it PHP.
    let shown = if lower.contains("```") && !lower.contains("<?") {
        crate::markdown_fences(lower)
    } else {
        Vec::new()
    };
    // Code in a Markdown span in a sentence (`` Python: `os.system('rm -rf ' + path)` —
    // never do this ``) is shown too: eval'd, the words around it are a parse error, and
    // without an open tag nothing runs it as a PHP file.
    let in_prose =
        lower.contains('`') && !lower.contains("<?") && crate::xss::prose_words(lower) >= 3;
    for m in NAMES.find_iter(lower) {
        if shown.iter().any(|&(a, b)| (a..b).contains(&m.start())) {
            continue;
        }
        if in_prose && crate::in_code_span(lower, m.start()) {
            continue;
        }
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
        if js_declared(&lower[..m.start()]) {
            continue;
        }
        let before = &lower[..m.start()];
        // `$u1->file("mac")`, `Cache::system('x')`: a method of an object or a class,
        // which PHP looks up there, never its built-in function of that name.
        if before.ends_with("->") || before.ends_with("::") {
            continue;
        }
        // `os.system("clear")`, `os.popen("date")`, `child_process.exec(cmd)`: a module's
        // function in Python or Node. To PHP, a bare name before `.` is a constant joined
        // with the call's result, and PHP 8 stops at the undefined constant before calling.
        // A breakout joins a string or a call (`'.system("id").'`, `chr(97).system(…)`) or
        // a variable (`$x.system(…)`): those stay. So does the call as the whole value
        // (`os.system('id')`), what Python's `eval` is handed; in a sentence or beside other
        // code it is shown.
        let alone = !lower[..m.start()]
            .trim_start()
            .contains(char::is_whitespace)
            && crate::matching(after, ')').is_some_and(|close| {
                after[close + 1..]
                    .trim()
                    .trim_end_matches(';')
                    .trim()
                    .is_empty()
            });
        let module_call = !alone
            && before.strip_suffix('.').is_some_and(|b| {
                let name_len = b
                    .bytes()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                let name = &b[b.len() - name_len..];
                name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && !b[..b.len() - name_len].ends_with(['$', '\\', '.', '\'', '"'])
            });
        if module_call {
            continue;
        }
        // `new File("keyStoreName")` (Java, C#, PHP alike) constructs an object of a class
        // named so; PHP calls no function there.
        let constructed = before.len() > before.trim_end().len()
            && before.trim_end().strip_suffix("new").is_some_and(|b| {
                !b.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            });
        if constructed {
            continue;
        }
        if LONG.contains(&name) {
            return Some((0.85, "PHP code function called"));
        }
        let arg = skip_gaps(arg);
        // `require('./browser.js')`, `require("debug")`: Node.js loading a module.
        if matches!(
            name,
            "require" | "include" | "require_once" | "include_once"
        ) && (module_argument(arg) || template_argument(arg))
        {
            continue;
        }
        // T-SQL's dynamic SQL (`IF NOT EXISTS (…) EXEC('CREATE SCHEMA foo')`): `exec` given
        // a statement, which no shell runs; whether that SQL is an injection is the SQL
        // detector's call.
        if name == "exec" && sql_statement_string(arg) {
            continue;
        }
        let word_before = prev.is_some_and(|c| c.is_ascii_alphanumeric());
        // A comment between the name and `(` hides the call from filters: no prose has one.
        let between = &lower[m.end()..lower.len() - after.len()];
        let commented = between.contains("/*") || between.contains("//") || between.contains('#');
        // The argument: code-like, another call (`eval(chr(112).…`), or a command word
        // alone (`system(whoami)`).
        let arg_word_end = arg
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(arg.len());
        let (arg_word, arg_rest) = arg.split_at(arg_word_end);
        let nested_call = arg_rest.starts_with('(')
            && NAMES
                .find(arg_word)
                .is_some_and(|m| m.len() == arg_word.len());
        let command_arg = arg_rest.starts_with(')') && crate::rce::is_command(arg_word);
        // An empty call runs nothing by itself; in a sentence it names the function
        // (`` The `eval()` function in JS is dangerous ``).
        let empty_in_prose = arg.starts_with(')') && crate::xss::prose_words(lower) >= 3;
        // Nor does an empty method call on a name (`req.file()`, `query.exec()`: Sails' and
        // Mongoose's docs): PHP would concatenate a constant with a call that errors.
        let empty_method = arg.starts_with(')')
            && before
                .strip_suffix('.')
                .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
        let empty_in_prose = empty_in_prose || empty_method;
        let code_arg = (arg.starts_with(['\'', '"', '$', '@', ')']) && !empty_in_prose)
            || arg.starts_with("base64")
            || nested_call
            || command_arg;
        if (code_arg || commented) && !word_before && !joined_with_plus(arg) {
            return Some((0.85, "PHP command function called"));
        }
    }
    None
}

/// The call's argument is a string joined with `+` to a name or another string
/// (`eval("x = " + userInput)`, `os.system("rm -rf " + path)`): JavaScript's, Python's or
/// Java's concatenation, shown in a question or a review. PHP joins strings with `.`, its
/// variables start with `$`, and `+` on a string that is no number throws before the call
/// runs.
fn joined_with_plus(arg: &str) -> bool {
    let Some(q) = arg.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
        return false;
    };
    let b = arg.as_bytes();
    let mut i = 1;
    while i < b.len() && b[i] != q as u8 {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    let Some(rest) = arg.get(i + 1..) else {
        return false;
    };
    rest.trim_start()
        .strip_prefix('+')
        .map(str::trim_start)
        .is_some_and(|r| {
            r.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | '"' | '\''))
        })
}

/// `$a(1)`, `$$b(2)`, `$_(3)`, `@$__[o](4)`, `$__['o'](5)`, `$x[1]{2}(6)`, `${'a'}(7)`,
/// `$a/*c*/()`: a variable (or an expression in `${…}`) holding the function, called. Between
/// the variable and `(` only comments or a line break may stand (`$price (USD)` is prose),
/// and the call's parenthesis closes.
fn variable_function(lower: &str) -> bool {
    let b = lower.as_bytes();
    let mut i = 0;
    while let Some(off) = lower[i..].find('$') {
        let mut j = i + off;
        // `sys$search()` (VMS names, in a message): to PHP a `$` inside a name is a syntax
        // error, not a variable.
        // An escaped `\$` (`^(\$LATEST(\.PUBLISHED)?|[0-9]+)$`, a regular expression's
        // literal dollar in a schema's `pattern`) is a character, not a variable.
        if j > 0 && (b[j - 1].is_ascii_alphanumeric() || b[j - 1] == b'_' || b[j - 1] == b'\\') {
            i = j + 1;
            continue;
        }
        while b.get(j) == Some(&b'$') {
            j += 1;
        }
        let start = j;
        let mut named = false;
        if b.get(j) == Some(&b'{') {
            // `${expr}`: an expression, not a template's plain name.
            if let Some(end) = lower[j..].find('}') {
                let inner = &lower[j + 1..j + end];
                named = inner.contains(['\'', '"', '$', '@', '.'])
                    || (!inner.is_empty() && inner.bytes().all(|c| c == b'_'));
                j += end + 1;
            }
        } else {
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            named = j > start && !b[start].is_ascii_digit();
        }
        // Optional indexes, `[…]` or `{…}`, with comments between.
        let mut indexed = false;
        for _ in 0..4 {
            let at = j + (lower.len() - j - skip_gaps(&lower[j..]).len());
            let close = match b.get(at) {
                Some(b'[') => ']',
                Some(b'{') if named => '}',
                _ => break,
            };
            match crate::matching(&lower[at..], close) {
                // An empty index (`$a{}`, `$a[]`) is no lookup.
                Some(end) if end > 1 => {
                    j = at + end + 1;
                    indexed = true;
                }
                _ => break,
            }
        }
        if named {
            let gap = &lower[j..];
            let after = skip_gaps(gap);
            let between = &gap[..gap.len() - after.len()];
            let hidden = between.is_empty()
                || between.contains(['\n', '\r'])
                || between.contains("/*")
                || (indexed && !between.contains("  "));
            // The call closes: `$E(KJ2b*-^7T(7` in a generated password opens one only.
            let close = after
                .starts_with('(')
                .then(|| crate::matching(after, ')'))
                .flatten();
            if let (Some(close), true) = (close, hidden) {
                let name = &lower[i + off..j];
                let tail = &after[close + 1..];
                if indexed || !(foreign_call(lower, name) || math_span(lower, i + off, tail)) {
                    return true;
                }
            }
        }
        i = j.max(i + off + 1);
    }
    false
}

/// Functions that other languages call with a `$` and parentheses: JSONata's (AWS Step
/// Functions, CloudFormation's resource schemas: `$lowercase(DBProxyName)`, `$join([a, b])`),
/// AngularJS's services (`$timeout(fn, 500)`), Vue's instance methods and vue-i18n's
/// translation calls in every localized template (`{{ $t("nav.home") }}`, `$emit('close')`,
/// `$nextTick(fn)`), and Grafana's query macros, in every SQL and
/// Log Analytics panel of a dashboard (`WHERE $__timeFilter(created_at)`). In PHP `$join(…)` calls whatever the
/// host stored in `$join`; an injection cannot choose that, unless the value assigns it
/// (`$join='system';$join('id')`), which still counts.
fn foreign_call(lower: &str, name: &str) -> bool {
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "$timeout", "$interval",
        "$http", "$q", "$watch", "$apply", "$emit", "$broadcast",
        "$t", "$tc", "$te", "$tm", "$rt", "$d", "$n", "$nexttick", "$set", "$delete",
        "$forceupdate", "$on", "$off", "$once", "$mount", "$destroy",
        "$__time", "$__timeepoch", "$__timefilter", "$__timefrom", "$__timeto",
        "$__timegroup", "$__timegroupalias", "$__unixepochfilter", "$__unixepochfrom",
        "$__unixepochto", "$__unixepochnanofilter", "$__unixepochnanofrom",
        "$__unixepochnanoto", "$__unixepochgroup", "$__unixepochgroupalias",
        "$__escapemulti", "$__contains",
    ];
    (NAMES.contains(&name) || crate::JSONATA_FUNCTIONS.contains(&name)) && {
        let assigned = lower.match_indices(name).any(|(at, _)| {
            let rest = lower[at + name.len()..].trim_start();
            rest.starts_with('=') && !rest.starts_with("==")
        });
        !assigned
    }
}

/// A formula in a sentence's TeX math (`If $f(x) = x^2$ then …`, `Let $g(n)$ be …`): the
/// `$` opens the math after a space, and a `$` after the call on the same line closes it,
/// glued to the formula's end and followed by no name (a PHP variable is).
fn math_span(lower: &str, open: usize, tail: &str) -> bool {
    let b = lower.as_bytes();
    let opens = open == 0 || matches!(b[open - 1], b' ' | b'\t' | b'\n' | b'(');
    let line = tail.split('\n').next().unwrap_or(tail);
    let lb = line.as_bytes();
    let closes = lb.iter().enumerate().any(|(k, &c)| {
        c == b'$'
            && (k == 0 || !lb[k - 1].is_ascii_whitespace())
            && !lb
                .get(k + 1)
                .is_some_and(|&n| n.is_ascii_alphanumeric() || matches!(n, b'_' | b'{' | b'$'))
    });
    opens && closes && crate::xss::prose_words(lower) >= 3
}

/// A serialized PHP object (`O:8:"stdClass":1:{…}`, `C:…`), whose class the application
/// instantiates on `unserialize`: the length before the name must match it, so text that
/// merely looks similar does not count.
fn serialized_object(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b":\"").take(16).any(|at| {
        // Walk back over the length digits to the `O:`/`C:` prefix.
        let digits = b[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let start = at - digits;
        if digits == 0 || digits > 4 || start < 2 || b[start - 1] != b':' {
            return false;
        }
        if !matches!(b[start - 2], b'O' | b'C')
            || start >= 3 && b[start - 3].is_ascii_alphanumeric()
        {
            return false;
        }
        let Ok(len) = text[start..at].parse::<usize>() else {
            return false;
        };
        let name = &b[at + 2..];
        name.len() > len + 3
            && name[..len]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'\\'))
            && name[len..].starts_with(b"\":")
            && name[len + 2..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
                > 0
    })
}

/// A value that is a PHP stream wrapper URL (`php://filter/…`, `phar://…`,
/// `compress.zlib://…`, `ssh2.exec://…`, `expect://id`): what an include or file function
/// given it reads, decodes or runs.
fn stream_wrapper(text: &str) -> bool {
    const WRAPPERS: [&str; 13] = [
        "php://",
        "phar://",
        "expect://",
        "zip://",
        "glob://",
        "data://",
        "compress.zlib://",
        "compress.bzip2://",
        "ssh2.shell://",
        "ssh2.exec://",
        "ssh2.tunnel://",
        "ssh2.sftp://",
        "ssh2.scp://",
    ];
    let t = text.trim_start().as_bytes();
    WRAPPERS
        .iter()
        .any(|w| t.len() > w.len() && t[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
}

/// A variable variable: `$ {…}` (a space no template syntax allows), or `${'…'}`,
/// `${"…"}`, `${$…}`, `${@…}`: a variable named by an expression. A `$` right after a word,
/// a bracket or a quantifier ends a regular expression instead (nginx's `location ~ \.php$
/// { … }`, `RewriteRule ^(.*)$ {…}`): PHP has no expression that puts a variable there.
fn variable_variable(lower: &str) -> bool {
    lower.match_indices('$').any(|(at, _)| {
        let rest = &lower[at + 1..];
        let anchor = lower[..at].bytes().next_back().is_some_and(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b')' | b']' | b'*' | b'+' | b'?')
        });
        let spaced = rest.starts_with([' ', '\t']) && !anchor;
        let Some(inner) = rest.trim_start_matches([' ', '\t']).strip_prefix('{') else {
            return false;
        };
        let inner = inner.trim_start();
        let filled = inner
            .find('}')
            .is_some_and(|end| !inner[..end].trim().is_empty());
        filled && (spaced || inner.starts_with(['\'', '"', '$', '@']))
    })
}

/// Two string literals joined by PHP's `.` (`"sys"."tem"`, `'sys' . 'tem'`).
fn joined_strings(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        if c != b'.' {
            return false;
        }
        let before = text[..i].trim_end();
        let after = text[i + 1..].trim_start();
        before.ends_with(['\'', '"']) && after.starts_with(['\'', '"'])
    })
}

/// Is the `](` at `at` the middle of a Markdown link, `[text](target)`: link text with no
/// bracket or quote, a target with no space, quote or parenthesis
/// (`[Next](spi-spi-exec.html)`, `[docs](https://x/eval)`)? PHP's array calls index
/// (`[system][0](ls)`) or quote (`['sys'.'tem']('id')`) what they call.
fn markdown_link(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let Some(open) = before.rfind('[') else {
        return false;
    };
    let label = &before[open + 1..];
    let target = &text[at + 2..];
    let Some(close) = target.find(')') else {
        return false;
    };
    let target = &target[..close];
    // A web address may carry quotes in its query (`?labels=["Language"]`, decoded).
    let url = target.starts_with("https://") || target.starts_with("http://");
    !before[..open].ends_with(']')
        && !label.contains([']', '\'', '"'])
        && !target.is_empty()
        && !target
            .contains(|c: char| c.is_whitespace() || c == '(' || (!url && matches!(c, '\'' | '"')))
}

/// A called expression: `)(`, `](`, `'(`, `"(`, `}(`, and `) (`, `] (`. In a statement that
/// ends with `;`, also with spaces or a comment before the `(` after a string or a brace
/// (`"sys"."t"."em" ('uname');`, `(x)/* c */('uname');`): prose quotes and parenthesises
/// (`"Q3 exec summary" (draft)`), but does not end its sentence with a semicolon.
/// A quoted string (the rest of a lower-cased call's arguments) that starts with an SQL
/// statement's verb and a space: `'create schema foo'`, `N'select …'`.
fn sql_statement_string(arg: &str) -> bool {
    let Some(body) = arg
        .strip_prefix("n'")
        .or_else(|| arg.strip_prefix(['\'', '"']))
    else {
        return false;
    };
    let verb = body.split_once(' ').map_or("", |(v, _)| v);
    matches!(
        verb,
        "select"
            | "insert"
            | "update"
            | "delete"
            | "create"
            | "alter"
            | "drop"
            | "truncate"
            | "merge"
            | "grant"
            | "revoke"
            | "declare"
            | "set"
            | "with"
    )
}

fn called(text: &str) -> bool {
    if [")(", "'(", "\"(", "}(", ") (", "] ("]
        .iter()
        .any(|p| text.contains(p))
    {
        return true;
    }
    if text
        .match_indices("](")
        .any(|(at, _)| !markdown_link(text, at))
    {
        return true;
    }
    // The name is assembled: strings joined by `.`, or an array indexed (`[system][0]`).
    if !text.trim_end().ends_with(';') || !(text.contains("][") || joined_strings(text)) {
        return false;
    }
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        if c != b'(' || i == 0 {
            return false;
        }
        // The byte before, past spaces and `/* … */` comments.
        let mut j = i;
        loop {
            while j > 0 && b[j - 1].is_ascii_whitespace() {
                j -= 1;
            }
            if j >= 2 && &b[j - 2..j] == b"*/" {
                match text[..j - 2].rfind("/*") {
                    Some(open) => j = open,
                    None => return false,
                }
                continue;
            }
            break;
        }
        j > 0 && matches!(b[j - 1], b')' | b']' | b'}' | b'\'' | b'"')
    })
}

/// A regular expression's group syntax (`^(?!(system.))[_a-z]`, a JSON schema's `pattern`):
/// `(?` is a parse error to PHP, so no code in the value runs, unless a string or a comment
/// hides it from the parser.
fn regex_group(lower: &str) -> bool {
    ["(?!", "(?=", "(?:", "(?<"]
        .iter()
        .any(|g| lower.contains(g))
        && !lower.contains(['\'', '"', '#'])
        && !lower.contains("//")
        && !lower.contains("/*")
        && !lower.contains("?>")
}

/// `(system)('uname')`, `(sy.(st).em)('uname')`, `"sys"."t"."em"('uname')`,
/// `[system][0](ls)`: a called expression (`)(`, `](`, `'(`), whose text — quotes, dots,
/// brackets, comments and spaces removed — starts with a command function's name.
///
/// The caller has checked that the value is [`called`].
fn assembled_call(lower: &str) -> bool {
    // The name's pieces, joined; and where each piece starts in the joined name.
    let mut squeezed = String::new();
    let mut starts = Vec::new();
    for piece in lower
        .replace("/*", " ")
        .replace("*/", " ")
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|p| !p.is_empty())
    {
        starts.push(squeezed.len());
        squeezed.push_str(piece);
    }
    // Prose is long; an assembled call is a short expression. The name starts and ends where
    // pieces do (`"sys"."t"."em"`): inside a word it is prose run together (`the valid`
    // holds `eval`), and a longer word is another name (`Execute() (from the SDK)`,
    // `assertion in Start() (#650)`).
    let bound = |at: usize| at == squeezed.len() || starts.binary_search(&at).is_ok();
    squeezed.len() <= 80
        && ["system", "exec", "passthru", "popen", "assert", "eval"]
            .iter()
            .any(|f| {
                squeezed
                    .match_indices(f)
                    .any(|(at, _)| bound(at) && bound(at + f.len()))
            })
}

/// An upload whose file name ends in an extension PHP runs (`a.php`, `x.phtml`, `y.phar`):
/// stored where the web server executes it, it is a web shell. Or one named like a PHP
/// session file (`sess_<id>`): written into the session directory, it plants a session
/// whose serialized objects the application then loads.
fn uploads_script(value: &Value) -> bool {
    let Some(name) = crate::uploaded_name(value) else {
        return false;
    };
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    // `get`: a name in another script (`أحدث.odt`) has no char boundary at byte 5.
    if let Some(id) = base
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("sess_"))
        .and_then(|_| base.get(5..))
    {
        if id.len() >= 20
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b',' | b'-'))
        {
            return true;
        }
    }
    crate::uploaded_extension(value).is_some_and(|ext| {
        // `php`, `php5`, `php907`, `phpt`.
        let php_n = ext
            .strip_prefix("php")
            .is_some_and(|n| n == "t" || n.bytes().all(|b| b.is_ascii_digit()));
        php_n || matches!(ext.as_str(), "phtml" | "pht" | "phar" | "phps" | "pgif")
    })
}

impl Detector for Php {
    fn name(&self) -> &'static str {
        "php"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if uploads_script(value) {
            out.push(signal(
                "php",
                Category::PhpInjection,
                0.9,
                value,
                value.text(),
                "PHP script upload",
            ));
            return;
        }
        if value.classes.any(bc::COLON) && stream_wrapper(value.text()) {
            out.push(signal(
                "php",
                Category::PhpInjection,
                0.85,
                value,
                value.text(),
                "PHP stream wrapper",
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
        if let Some((confidence, why)) = Php::check(value.text()) {
            out.push(signal(
                "php",
                Category::PhpInjection,
                confidence,
                value,
                value.text(),
                why,
            ));
        }
    }
}

#[cfg(test)]
mod upload_tests {
    use super::*;
    use palisade_types::{Place, PlaceKind};

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
            (PlaceKind::Header, "X.Filename", "dangerous.phpt"),
            (
                PlaceKind::Filename,
                "file",
                "sess_d8ew88tqmabdcokhumchy8htqm",
            ),
            (
                PlaceKind::Header,
                "x-filename",
                "../../tmp/sess_ABC123def456ghi789jkl",
            ),
        ] {
            assert!(flags(kind, name, text), "{name}: {text}");
        }
        for (kind, name, text) in [
            (PlaceKind::Filename, "file", "photo.jpg"),
            (PlaceKind::Filename, "file", "notes-php.txt"),
            (PlaceKind::Filename, "file", "graphql.phpx"),
            (PlaceKind::Filename, "file", "sess_notes.txt"),
            (PlaceKind::Filename, "file", "sess_2024"),
            // Names in other scripts (set 78's uploads): no byte-5 boundary to slice at.
            (PlaceKind::Filename, "file", "أحدث.odt"),
            (PlaceKind::Filename, "file", "résumé.pdf"),
            (PlaceKind::Filename, "file", "日本語のファイル.txt"),
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
