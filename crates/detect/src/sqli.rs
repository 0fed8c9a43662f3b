//! SQL injection by tokenizing, after libinjection's idea: place the value where a query would
//! (as a bare operand, inside '…', inside "…"), tokenize the SQL that results, and ask whether
//! the value changed the query's structure — a logic operator after a closed string, UNION
//! SELECT, a stacked statement, a comment that cuts the rest, a time-delay function.
//! Words alone are never an attack: "select a union rep", "O'Brien", "it's" stay clean.

use crate::{find_ci, signal, Detector};
use palisade_normalize::classes::{self as bc, ByteClasses};
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};
use std::borrow::Cow;
use std::sync::LazyLock;

pub struct Sqli;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Str,
    Num,
    Word,
    Kw(Kw),
    /// `=`, `<`, `>`, `<=`, `!=`, `<>`, `rlike`, `collate`, `notnull`, …
    Cmp,
    /// `like`, `in`, `is`, `between`, `sounds`: comparisons that are also English words.
    CmpWord,
    /// `+ - * / % ^ | & ~` and `||`, `&&` when not logic.
    Op,
    /// `or`, `and`, `xor`, `||`, `&&`, `not`.
    Logic,
    LParen,
    RParen,
    Comma,
    Semi,
    Comment,
    /// An unterminated string literal: the value ends inside quotes.
    Open,
    /// A T-SQL variable: `@name`.
    Var,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kw {
    Union,
    Select,
    From,
    Where,
    Insert,
    Update,
    Delete,
    Drop,
    Create,
    Alter,
    Exec,
    Declare,
    Order,
    Group,
    Having,
    By,
    Limit,
    Into,
    All,
    Distinct,
    Null,
    True,
    False,
    /// Time-delay and out-of-band functions: sleep, benchmark, pg_sleep, waitfor, …
    Delay,
    /// Functions almost only attackers call on input: load_file, extractvalue, updatexml, …
    Func,
    Case,
    When,
    Then,
    Table,
    Procedure,
    Shutdown,
    /// T-SQL control flow: `begin`, `goto`.
    Begin,
    Goto,
    /// An alias: `… as x where …`.
    As,
}

/// Whether SQL knows `word` (any case) as one of its words.
pub(crate) fn is_keyword(word: &str) -> bool {
    keyword(word).is_some()
}

fn keyword(word: &str) -> Option<Tok> {
    // Matched as lower-cased bytes: no UTF-8 validation of the copy (this runs per word).
    let mut buf = [0u8; 32];
    if word.len() > buf.len() {
        return None;
    }
    for (i, b) in word.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    let w: &[u8] = &buf[..word.len()];
    Some(match w {
        b"or" | b"and" | b"xor" | b"not" | b"div" => Tok::Logic,
        b"like" | b"in" | b"is" | b"between" | b"sounds" => Tok::CmpWord,
        b"rlike" | b"regexp" => Tok::Cmp,
        // SQLite's and PostgreSQL's comparisons: `glob`, `ilike`, the postfix null tests, and
        // `collate`, which takes a collation after any operand.
        b"glob" | b"ilike" | b"notnull" | b"isnull" | b"collate" => Tok::Cmp,
        b"union" => Tok::Kw(Kw::Union),
        b"select" => Tok::Kw(Kw::Select),
        b"from" => Tok::Kw(Kw::From),
        b"where" => Tok::Kw(Kw::Where),
        b"insert" => Tok::Kw(Kw::Insert),
        b"update" => Tok::Kw(Kw::Update),
        b"delete" => Tok::Kw(Kw::Delete),
        b"drop" | b"truncate" => Tok::Kw(Kw::Drop),
        b"create" => Tok::Kw(Kw::Create),
        b"alter" => Tok::Kw(Kw::Alter),
        b"exec" | b"execute" | b"xp_cmdshell" | b"sp_executesql" => Tok::Kw(Kw::Exec),
        b"declare" => Tok::Kw(Kw::Declare),
        b"order" => Tok::Kw(Kw::Order),
        b"group" => Tok::Kw(Kw::Group),
        b"having" => Tok::Kw(Kw::Having),
        b"by" => Tok::Kw(Kw::By),
        b"limit" | b"offset" => Tok::Kw(Kw::Limit),
        b"into" | b"outfile" | b"dumpfile" => Tok::Kw(Kw::Into),
        b"all" => Tok::Kw(Kw::All),
        b"distinct" => Tok::Kw(Kw::Distinct),
        b"null" => Tok::Kw(Kw::Null),
        b"true" => Tok::Kw(Kw::True),
        b"false" => Tok::Kw(Kw::False),
        b"sleep"
        | b"benchmark"
        | b"pg_sleep"
        | b"waitfor"
        | b"delay"
        | b"dbms_pipe"
        | b"randomblob"
        | b"dbms_lock.sleep"
        // Oracle 18c's sleep, which needs no grant on DBMS_LOCK (sqlmap's ORDER BY probe).
        | b"dbms_session.sleep"
        | b"dbms_pipe.receive_message"
        // Oracle's out-of-band channels: a lookup or request that carries data out.
        | b"utl_http.request"
        | b"utl_inaddr.get_host_address"
        | b"utl_inaddr.get_host_name"
        | b"dbms_ldap.init"
        | b"httpuritype" => Tok::Kw(Kw::Delay),
        b"load_file"
        | b"extractvalue"
        | b"updatexml"
        | b"utl_inaddr"
        | b"utl_http"
        | b"dbms_xmlgen"
        | b"information_schema"
        | b"sysobjects"
        | b"syscolumns"
        | b"pg_catalog"
        | b"sqlite_master"
        | b"char"
        | b"chr"
        | b"concat"
        | b"concat_ws"
        | b"group_concat"
        | b"ascii"
        | b"substring"
        | b"substr"
        | b"mid"
        | b"version"
        | b"database"
        | b"user"
        | b"current_user"
        | b"session_user"
        | b"system_user"
        | b"@@version"
        | b"convert"
        | b"cast"
        | b"hex"
        | b"unhex"
        | b"ord"
        | b"if"
        | b"iif"
        | b"elt"
        | b"make_set"
        | b"md5"
        | b"sha1"
        | b"row"
        | b"exp"
        | b"floor"
        | b"rand"
        | b"count"
        | b"name_const"
        | b"json_keys"
        | b"gtid_subset" => Tok::Kw(Kw::Func),
        b"case" => Tok::Kw(Kw::Case),
        b"when" => Tok::Kw(Kw::When),
        b"then" => Tok::Kw(Kw::Then),
        b"table" | b"database_name" | b"schema" => Tok::Kw(Kw::Table),
        b"procedure" => Tok::Kw(Kw::Procedure),
        b"shutdown" => Tok::Kw(Kw::Shutdown),
        b"begin" => Tok::Kw(Kw::Begin),
        b"as" => Tok::Kw(Kw::As),
        b"call" => Tok::Kw(Kw::Exec),
        b"goto" => Tok::Kw(Kw::Goto),
        _ => return None,
    })
}

/// Tokens judged per context. The structural rules look at the first few tokens after the
/// value's start (UNION is checked separately, anywhere), so a short fixed buffer serves and
/// the tokenizer stops early on long text.
const MAX_TOKENS: usize = 16;

/// A fixed-capacity token list on the stack: tokenizing allocates nothing.
struct Toks {
    buf: [Tok; MAX_TOKENS],
    len: usize,
    /// Bit `k` set: token `k` is a plain word right after an operand, outside parentheses
    /// (`not rock 'n' roll`, `1=1 in the docs`), or a Markdown fence, which no SQL
    /// expression writes. Kept only when nothing can absorb the host query's rest (see
    /// [`tail_unabsorbed`]).
    juxtaposed: u16,
    /// Bit `k` set: token `k` is the word `not`, which SQL reads only before an operand or a
    /// comparison word, never between operands as `and`/`or` stand.
    nots: u16,
}

impl Toks {
    fn new() -> Self {
        Toks {
            buf: [Tok::Word; MAX_TOKENS],
            len: 0,
            juxtaposed: 0,
            nots: 0,
        }
    }

    fn push(&mut self, t: Tok) {
        if self.len < MAX_TOKENS {
            self.buf[self.len] = t;
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    /// The first word juxtaposed with an operand after token `k`.
    fn juxtaposed_after(&self, k: usize) -> Option<usize> {
        let later = if k + 1 < MAX_TOKENS {
            self.juxtaposed >> (k + 1) << (k + 1)
        } else {
            0
        };
        (later != 0).then(|| later.trailing_zeros() as usize)
    }
}

/// Does a comparison end, operands on both sides, among `t[from..upto]`, before the word
/// at `upto`? `' or a=a thanks for the help` and `' or 1=1 and the rest` hold a whole
/// condition, then words: a probe with a sentence after it. In `and 1=1 in the docs`
/// the comparison goes on (`in …`) into the words, and `x' or not the best` compares
/// nothing: sentences.
///
/// After a closed string the attacker's intent is plain: any whole comparison counts,
/// whatever goes on after it (`' or 1=1 in the docs`).
fn comparison_before(t: &[Tok], from: usize, upto: usize, broke_out: bool) -> bool {
    (from..upto).any(|p| {
        if !(is_cmp(t[p]) && p > 0 && is_operand(t[p - 1])) {
            return false;
        }
        // The right side: an operand, maybe joined to more by operators (`'some'+'thing'`).
        let mut q = p + 1;
        if !(q < upto && is_operand(t[q])) {
            return false;
        }
        while q + 2 < upto && t[q + 1] == Tok::Op && is_operand(t[q + 2]) {
            q += 2;
        }
        broke_out || !(q + 1 < upto && is_cmp(t[q + 1]))
    })
}

/// What a plain word (no keyword of ours) can be next to an operand, for juxtaposition.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordRole {
    /// A name or a prose word: after an operand, no SQL expression writes it.
    Operand,
    /// Joins two operands (`a mod b`, `x member of (…)`, `match(t) against ('x')`),
    /// prefixes one (`binary name`) or goes on after one (`then 1 else json('x') end`,
    /// `order by 1 desc`, `for update`, `with rollup`, joins): a word next to it can be SQL.
    Operator,
    /// Starts a T-SQL statement, which needs no `;` after the last one (`' or a=b kill
    /// 52--`, `1 and a=b print @@version`): anything may follow it.
    Statement,
}

fn word_role(word: &str) -> WordRole {
    let mut buf = [0u8; 12];
    if word.len() < 2 || word.len() > buf.len() {
        return WordRole::Operand;
    }
    for (i, b) in word.bytes().enumerate() {
        buf[i] = b.to_ascii_lowercase();
    }
    match &buf[..word.len()] {
        b"mod" | b"escape" | b"member" | b"similar" | b"overlaps" | b"asc" | b"desc"
        | b"binary" | b"unknown" | b"else" | b"end" | b"for" | b"with" | b"on" | b"using"
        | b"join" | b"inner" | b"left" | b"right" | b"outer" | b"cross" | b"natural"
        | b"against" | b"over" | b"filter" | b"within" | b"lock" | b"nowait" => WordRole::Operator,
        b"kill" | b"print" | b"backup" | b"restore" | b"dbcc" | b"grant" | b"revoke" | b"deny"
        | b"use" | b"set" | b"raiserror" | b"bulk" | b"reconfigure" | b"checkpoint" | b"open"
        | b"close" | b"fetch" | b"deallocate" | b"save" | b"commit" | b"rollback" | b"while"
        | b"return" | b"throw" | b"merge" | b"break" | b"continue" | b"revert" | b"setuser"
        | b"receive" | b"send" | b"move" | b"get" | b"enable" | b"disable" | b"go" => {
            WordRole::Statement
        }
        _ => WordRole::Operand,
    }
}

/// Does nothing in `s` absorb what the host query puts after the value? With no `--` or
/// `/*` comment and no NUL, the host query's rest follows the value's last token; placed in
/// a `quote`d string, an odd number of those quotes leaves the host's closing quote opening
/// a string that never closes, and a `;` before it does not close it. Such a value is an
/// SQL error wherever it lands. (`#` comments are MySQL's alone, where a statement needs a
/// `;` before it: juxtaposed words there are an error whatever follows.)
fn tail_unabsorbed(s: &str, quote: Option<u8>) -> bool {
    let b = s.as_bytes();
    if crate::has(s, "--") || crate::has(s, "/*") || memchr::memchr(0, b).is_some() {
        return false;
    }
    let Some(q) = quote else {
        return true;
    };
    let mut count = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == q => count += 1,
            _ => {}
        }
        i += 1;
    }
    count % 2 == 1
}

/// The length of a printf or Python placeholder starting at the `%` that `b` opens with
/// ([`placeholder_len`]), when no letter, digit or `_` goes on after it: `%s`, `%lu`,
/// `%(name)s`. `%sleep` and `%20or` are no placeholders.
fn printf_placeholder(b: &[u8]) -> Option<usize> {
    placeholder_len(b).filter(|&n| {
        !b.get(n)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    })
}

/// A line comment starts at `i`: `--` or a `#` not before a digit (see `tokenize`).
fn line_comment(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'-' => b.get(i + 1) == Some(&b'-'),
        b'#' => !b.get(i + 1).is_some_and(u8::is_ascii_digit),
        _ => false,
    }
}

/// Something other than whitespace follows the line that starts at or before `i`.
fn more_lines(b: &[u8], i: usize) -> bool {
    memchr::memchr(b'\n', &b[i..])
        .is_some_and(|nl| b[i + nl..].iter().any(|c| !c.is_ascii_whitespace()))
}

impl std::ops::Deref for Toks {
    type Target = [Tok];
    fn deref(&self) -> &[Tok] {
        &self.buf[..self.len]
    }
}

/// Tokenizes `s` as SQL, at most `max` tokens. With `quote` set, the text starts inside a
/// string literal delimited by that quote (the value was placed inside '…' or "…").
fn tokenize(s: &str, quote: Option<u8>, max: usize) -> Toks {
    let b = s.as_bytes();
    let max = max.min(MAX_TOKENS);
    let mut toks = Toks::new();
    let mut i = 0;
    if let Some(q) = quote {
        // Skip the string content up to the closing quote; a doubled quote is an escape.
        loop {
            match b.get(i) {
                None => {
                    toks.push(Tok::Str);
                    return toks;
                }
                Some(&c) if c == q => {
                    if b.get(i + 1) == Some(&q) {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                Some(b'\\') => i += 2,
                Some(_) => i += 1,
            }
        }
        toks.push(Tok::Str);
    }
    // Where the token list ended right after a `NOT`.
    let mut not_at = None;
    // Parenthesis depth, and whether the last token was an operand a plain word cannot
    // follow (a word, a string, `)`; or the word `in`, which takes a list in parentheses).
    let mut depth = 0u32;
    let mut operand_before = false;
    // A T-SQL statement word was seen: whatever follows may be its arguments.
    let mut statement = false;
    while i < b.len() && toks.len() < max {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xa0 => {
                i += 1;
                continue;
            }
            // An emoticon (`:)`, `;-)`, `:^)`, `:)))`) before a blank, a punctuation mark or
            // the end: SQL closes no parenthesis with `:)`, and `;)` ends no statement. Chat
            // logs put a nick in angle brackets after one (`tea :) <stu> espy: …`), which
            // read as a condition after a closing `)`.
            b':' | b';' if emoticon(b, i) > 0 => {
                i += emoticon(b, i);
                operand_before = false;
                continue;
            }
            // U+FFFD, what a byte that is no UTF-8 became on the way in: MySQL reads the
            // no-break space 0xA0 (sqlmap's `space2mysqlblank`) as a blank.
            0xef if b.get(i + 1) == Some(&0xbf) && b.get(i + 2) == Some(&0xbd) => {
                i += 3;
                continue;
            }
            // A Markdown code fence (three backticks or more) opens or closes code shown in
            // prose; SQL quotes no identifier so. It stands where an operand would, and next
            // to anything it is no SQL.
            b'`' if b.get(i + 1) == Some(&b'`') && b.get(i + 2) == Some(&b'`') => {
                while b.get(i) == Some(&b'`') {
                    i += 1;
                }
                if depth == 0 && !statement && toks.len() < MAX_TOKENS {
                    toks.juxtaposed |= 1 << toks.len();
                }
                toks.push(Tok::Word);
                operand_before = true;
                continue;
            }
            b'\'' | b'"' | b'`' => {
                let q = c;
                let mut j = i + 1;
                let mut closed = false;
                while j < b.len() {
                    if b[j] == q {
                        if b.get(j + 1) == Some(&q) {
                            j += 2;
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    if b[j] == b'\\' {
                        j += 1;
                    }
                    j += 1;
                }
                // A backticked identifier is a word to SQL.
                toks.push(match (q, closed) {
                    (b'`', _) => Tok::Word,
                    (_, true) => Tok::Str,
                    (_, false) => Tok::Open,
                });
                operand_before = closed && depth == 0;
                i = j + 1;
                continue;
            }
            // A line of three or more dashes under a heading or between sections (Markdown,
            // reStructuredText) is layout, not a comment that cuts the query.
            b'-' if b.get(i + 1) == Some(&b'-') && underline(b, i) => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            // A line comment ends at the line's end: with more of the value on later lines
            // it is whitespace (`union#\nselect`, a YAML line `$ref: '#/definitions/Tag'`
            // followed by `type: array`), and only the last line's comment cuts the rest
            // of the host's query off.
            b'-' | b'#' if line_comment(b, i) && more_lines(b, i) => {
                while b.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                toks.push(Tok::Comment);
                break;
            }
            // `#2` is a number sign in text ("#2 pencil"), not a MySQL comment.
            b'#' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            b'#' => {
                toks.push(Tok::Comment);
                break;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // MySQL's /*!…*/ runs its content: read it as code, not as a comment.
                if b.get(i + 2) == Some(&b'!') {
                    i += 3;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    continue;
                }
                match s[i + 2..].find("*/") {
                    Some(end) => {
                        // An inline comment is whitespace in the middle of a statement.
                        i += 2 + end + 2;
                    }
                    None => {
                        toks.push(Tok::Comment);
                        break;
                    }
                }
            }
            b'*' if b.get(i + 1) == Some(&b'/') => i += 2,
            b'(' => {
                toks.push(Tok::LParen);
                depth += 1;
                i += 1;
            }
            b')' => {
                toks.push(Tok::RParen);
                depth = depth.saturating_sub(1);
                operand_before = depth == 0;
                i += 1;
                continue;
            }
            b',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            b';' => {
                toks.push(Tok::Semi);
                i += 1;
            }
            b'|' | b'&' if b.get(i + 1) == Some(&c) => {
                toks.push(Tok::Logic);
                i += 2;
            }
            b'=' | b'<' | b'>' | b'!' => {
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b'=' | b'<' | b'>') {
                    j += 1;
                }
                toks.push(if c == b'!' && j == i + 1 {
                    Tok::Op
                } else {
                    Tok::Cmp
                });
                i = j;
            }
            // A sign before a number at the start is part of it: `-7103) or 1=1`.
            b'-' | b'+'
                if toks.is_empty()
                    && quote.is_none()
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit) =>
            {
                i += 1
            }
            // A printf placeholder (`Try '%s --help' for more information`, `'%d' rows`):
            // a value's stand-in, an operand to the reader, not `% s` (modulo a column).
            b'%' if let Some(n) = printf_placeholder(&b[i..]) => {
                if operand_before && !statement && toks.len() < MAX_TOKENS {
                    toks.juxtaposed |= 1 << toks.len();
                }
                toks.push(Tok::Word);
                i += n;
                operand_before = depth == 0;
                continue;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&' | b'~' => {
                toks.push(Tok::Op);
                i += 1;
            }
            b'0'..=b'9' | b'.' if c != b'.' || b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.') {
                    j += 1;
                }
                let lit = &s[i..j];
                let hex = lit.len() > 2 && (lit.starts_with("0x") || lit.starts_with("0X"));
                let numeric = hex
                    || lit
                        .bytes()
                        .all(|c| c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'E')
                    || lit.bytes().next_back().is_some_and(|c| c.is_ascii_digit());
                toks.push(if numeric { Tok::Num } else { Tok::Word });
                i = j;
            }
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'@' || c == b'$' || c >= 0x80 => {
                let mut j = i + 1;
                let replacement = |j: usize| b[j..].starts_with(&[0xef, 0xbf, 0xbd]);
                while j < b.len()
                    && (b[j].is_ascii_alphanumeric()
                        || matches!(b[j], b'_' | b'@' | b'$' | b'.')
                        || (b[j] >= 0x80 && !replacement(j)))
                {
                    j += 1;
                }
                let word = &s[i..j];
                // MySQL's `BINARY` cast before an operand (`AND binary 4448=binary 4448`,
                // sqlmap's binary tamper) changes no structure: read on past it.
                if word.eq_ignore_ascii_case("binary") && b.get(j) == Some(&b' ') {
                    let rest = s[j..].trim_start();
                    let operand = rest.starts_with(|c: char| {
                        c.is_ascii_digit() || matches!(c, '\'' | '"' | '(' | '@')
                    }) || rest
                        .get(..4)
                        .is_some_and(|w| w.eq_ignore_ascii_case("null"));
                    if operand {
                        i = j;
                        continue;
                    }
                }
                let tok = keyword(word).unwrap_or(if c == b'@' { Tok::Var } else { Tok::Word });
                // `LEFT(version(),1)`, `right(left(…),1)`: called, the join words are the
                // string functions (a join's `LEFT JOIN (subquery)` has its `JOIN` between).
                let tok = if tok == Tok::Word
                    && b.get(j) == Some(&b'(')
                    && (word.eq_ignore_ascii_case("left") || word.eq_ignore_ascii_case("right"))
                {
                    Tok::Kw(Kw::Func)
                } else {
                    tok
                };
                // `NOT BETWEEN`, `NOT LIKE`, `NOT IN`: one comparison, as `!=` is one.
                if tok == Tok::CmpWord && not_at == Some(toks.len()) {
                    toks.len -= 1;
                }
                let role = if tok == Tok::Word {
                    match word_role(word) {
                        // `FOR` goes on after a condition only as a locking or output
                        // clause (`for update`, `for share`, `for xml path`); `wait for 5
                        // seconds` is a sentence.
                        WordRole::Operator if word.eq_ignore_ascii_case("for") => {
                            let next = s[j..].trim_start();
                            let next = &next[..next
                                .find(|c: char| !c.is_ascii_alphabetic())
                                .unwrap_or(next.len())];
                            let clause = [
                                "update",
                                "share",
                                "xml",
                                "json",
                                "browse",
                                "system_time",
                                "no",
                                "key",
                            ]
                            .iter()
                            .any(|w| next.eq_ignore_ascii_case(w));
                            if clause {
                                WordRole::Operator
                            } else {
                                WordRole::Operand
                            }
                        }
                        role => role,
                    }
                } else {
                    WordRole::Operator
                };
                let operator = role != WordRole::Operand;
                if role == WordRole::Statement && depth == 0 {
                    statement = true;
                }
                if tok == Tok::Word
                    && operand_before
                    && !operator
                    && !statement
                    && toks.len() < MAX_TOKENS
                {
                    toks.juxtaposed |= 1 << toks.len();
                }
                let k = toks.len();
                toks.push(tok);
                if word.eq_ignore_ascii_case("not") {
                    not_at = Some(toks.len());
                    if k < MAX_TOKENS {
                        toks.nots |= 1 << k;
                    }
                }
                // A function's name with no `(` after it is a column to SQL (`benchmark
                // results`: MySQL calls BENCHMARK only with its parentheses). T-SQL's
                // `WAITFOR DELAY '0:0:5'` takes no parentheses: those two stay operators.
                let uncalled = matches!(tok, Tok::Kw(Kw::Func | Kw::Delay))
                    && !word.eq_ignore_ascii_case("waitfor")
                    && !word.eq_ignore_ascii_case("delay")
                    && b[j..]
                        .iter()
                        .find(|c| !c.is_ascii_whitespace())
                        .is_some_and(|&c| c != b'(');
                operand_before = depth == 0
                    && ((tok == Tok::Word && !operator)
                        || uncalled
                        || (tok == Tok::CmpWord && word.eq_ignore_ascii_case("in")));
                i = j;
                continue;
            }
            _ => i += 1,
        }
        // Any other token (an operator, a number, a comma) ends a juxtaposition.
        operand_before = false;
    }
    if toks.juxtaposed != 0 && !tail_unabsorbed(s, quote) {
        toks.juxtaposed = 0;
    }
    toks
}

/// The length of the smiley at `i` (a `:` or `;`, an optional nose `-`, `'` or `^`, and a
/// run of `)`), when no word, quote or parenthesis follows it; 0 otherwise.
fn emoticon(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if matches!(b.get(j), Some(b'-' | b'\'' | b'^')) {
        j += 1;
    }
    // A smile only: `;( select sleep(5))` stacks a parenthesised statement, and a sad
    // face's `(` stays a parenthesis to the tokenizer.
    let Some(&mouth @ b')') = b.get(j) else {
        return 0;
    };
    while b.get(j) == Some(&mouth) {
        j += 1;
    }
    if b.get(j).is_some_and(|c| {
        c.is_ascii_alphanumeric() || matches!(c, b'_' | b'\'' | b'"' | b'(' | b')')
    }) {
        return 0;
    }
    j - i
}

/// Is the `--` at `i` a line of dashes: at the start of a line after a line break, three or
/// more, and nothing else up to the line's end?
fn underline(b: &[u8], i: usize) -> bool {
    let line_start = b[..i]
        .iter()
        .rposition(|&c| c != b' ' && c != b'\t')
        .is_some_and(|p| b[p] == b'\n');
    if !line_start {
        return false;
    }
    let run = b[i..].iter().take_while(|&&c| c == b'-').count();
    let rest = &b[i + run..];
    let eol = rest
        .iter()
        .position(|&c| c == b'\n')
        .map_or(rest, |p| &rest[..p]);
    run >= 3 && eol.iter().all(|c| c.is_ascii_whitespace())
}

fn is_cmp(t: Tok) -> bool {
    matches!(t, Tok::Cmp | Tok::CmpWord)
}

fn is_operand(t: Tok) -> bool {
    matches!(
        t,
        Tok::Var
            | Tok::Str
            | Tok::Num
            | Tok::Word
            | Tok::Kw(Kw::Null | Kw::True | Kw::False | Kw::Func | Kw::Delay)
            | Tok::LParen
    )
}

/// Does `s` (starting at a statement keyword) have the shape of SQL rather than of prose?
/// `bare` asks for the shapes that cannot be an English sentence (the value itself is the
/// statement); after a closed string literal, every shape counts.
fn statement(s: &[Tok], bare: bool) -> bool {
    use Tok::{Comma, LParen, Num, Op, Str, Var, Word};
    // `exec()` with nothing to run names the function (`exec() is disabled on our host`).
    // `exec xp_cmdshell 'dir'` ends there or goes on as T-SQL (`;`, a comment, more
    // arguments); `Call the "close()" method in case …` goes on in words.
    let exec = matches!(
        (s.first(), s.get(1), s.get(2)),
        (Some(Tok::Kw(Kw::Exec)), Some(Tok::Kw(Kw::Exec) | Var), _)
            | (Some(Tok::Kw(Kw::Exec)), Some(Word), Some(Var | Comma))
    ) || (matches!(
        (s.first(), s.get(1), s.get(2)),
        (Some(Tok::Kw(Kw::Exec)), Some(Word), Some(Str))
    ) && !matches!(s.get(3), Some(Word)))
        || (s.first() == Some(&Tok::Kw(Kw::Exec))
            && s.get(1) == Some(&LParen)
            && s.get(2) != Some(&Tok::RParen)
            // T-SQL's `exec(…)` runs a string: literals, variables, `char()` or `cast()`.
            // As the whole value, Python's and PHP's call a function of their own
            // (`exec(open("x.py").read())`); after a breakout the intent is plain.
            && !(bare && s.get(2) == Some(&Word) && s.get(3) == Some(&LParen)));
    let declare = matches!(
        (s.first(), s.get(1)),
        (Some(Tok::Kw(Kw::Declare)), Some(Var))
    );
    // `select sleep(…)`: a delay function selected is a timing probe even as a whole value.
    let select_delay = matches!(
        (s.first(), s.get(1), s.get(2)),
        (
            Some(Tok::Kw(Kw::Select)),
            Some(Tok::Kw(Kw::Delay)),
            Some(LParen)
        )
    );
    // `select current_user;`, `select @@version--`: one system function selected and the
    // statement ended. A label (`Select user`) has no `;` or comment after it.
    let select_system = matches!(
        (s.first(), s.get(1), s.get(2)),
        (
            Some(Tok::Kw(Kw::Select)),
            Some(Tok::Kw(Kw::Func)),
            Some(Tok::Semi | Tok::Comment)
        )
    );
    if exec || declare || select_delay || select_system {
        return true;
    }
    if bare {
        return false;
    }
    match (s.first(), s.get(1), s.get(2)) {
        (Some(Tok::Kw(Kw::Insert)), Some(Tok::Kw(Kw::Into)), _) => true,
        (Some(Tok::Kw(Kw::Delete)), Some(Tok::Kw(Kw::From)), _) => true,
        (
            Some(Tok::Kw(Kw::Drop | Kw::Create | Kw::Alter)),
            Some(Tok::Kw(Kw::Table | Kw::Procedure | Kw::Func)),
            _,
        ) => true,
        (Some(Tok::Kw(Kw::Delay)), Some(Tok::Kw(Kw::Delay) | LParen), _) => true,
        // `delay '0:0:5'`, then the end, a comment or `;`; anything else after the string
        // makes it a list's item (`("sleep","diet")`, a PostgREST `in.(…)` filter read from
        // its first quote).
        (
            Some(Tok::Kw(Kw::Delay)),
            Some(Str),
            None | Some(Tok::Comment | Tok::Semi | Tok::Open),
        ) => true,
        (
            Some(Tok::Kw(Kw::Select)),
            Some(Num | Var | Op | Tok::Kw(Kw::Func | Kw::Null | Kw::Delay) | LParen),
            _,
        ) => true,
        (Some(Tok::Kw(Kw::Select)), Some(Word), Some(Comma | LParen | Tok::Kw(Kw::From))) => true,
        // `select case when …`, `select like(…)`: an expression no sentence starts with.
        (Some(Tok::Kw(Kw::Select)), Some(Tok::Kw(Kw::Case)), Some(Tok::Kw(Kw::When))) => true,
        (Some(Tok::Kw(Kw::Select)), Some(Tok::Cmp | Tok::CmpWord), Some(LParen)) => true,
        // `create or replace function …`
        (Some(Tok::Kw(Kw::Create)), Some(Tok::Logic), Some(Word)) => true,
        (Some(Tok::Kw(Kw::Exec)), Some(Word), Some(LParen)) => true,
        (Some(Tok::Kw(Kw::Shutdown)), _, _) => true,
        // `update users set password = …`: prose has no comparison right there.
        (Some(Tok::Kw(Kw::Update)), Some(Word), Some(Word)) => {
            matches!(
                (s.get(3), s.get(4)),
                (Some(Word), Some(Tok::Cmp | Tok::CmpWord))
            )
        }
        // `'goto label; label: declare …`; a phrase quoted in prose closes right after its
        // label (`Use "goto fail" sparingly`).
        (Some(Tok::Kw(Kw::Goto)), Some(Word), next) => next != Some(&Tok::Open),
        (Some(Tok::Kw(Kw::Begin)), Some(next), _) => matches!(next, Word | Tok::Kw(_)),
        _ => false,
    }
}

const LOGIC: &str = "logic operator changes the condition";

/// A Jinja expression, as Ansible's `when:`, `that:` and `until:` conditions and its
/// `{{ … }}` values hold it: a Jinja test after `is` (`job_id is defined and job_id != ""`,
/// `version is version('7.0', '<')`, `x is not none`) or a filter after a single pipe
/// (`'olap' in (r.json.Items | default({}))`, `{{ item['value']['x'] | default(omit) }}`,
/// `state|default('present') == "absent"`). SQL's `IS` takes `NULL`, `TRUE`, `FALSE`,
/// `UNKNOWN`, `DISTINCT FROM`, `JSON`, never these names, and its single `|` (MySQL's bitwise
/// or) takes an operand, not a filter's name; a filter may be named by its collection
/// (`ansible.builtin.split`). Only the fingerprint's second opinion and the condition rule
/// defer to it: a comment, a `;`, a union or a compared pair of literals goes on counting.
fn template_expression(text: &str) -> bool {
    const TESTS: [&str; 30] = [
        "defined",
        "undefined",
        "none",
        "string",
        "number",
        "integer",
        "float",
        "boolean",
        "mapping",
        "sequence",
        "iterable",
        "callable",
        "sameas",
        "version",
        "match",
        "search",
        "regex",
        "subset",
        "superset",
        "contains",
        "failed",
        "succeeded",
        "success",
        "changed",
        "skipped",
        "file",
        "directory",
        "exists",
        "truthy",
        "falsy",
    ];
    const FILTERS: [&str; 76] = [
        "default",
        "d",
        "lower",
        "upper",
        "length",
        "count",
        "list",
        "first",
        "last",
        "trim",
        "int",
        "float",
        "bool",
        "string",
        "join",
        "split",
        "replace",
        "map",
        "select",
        "selectattr",
        "reject",
        "rejectattr",
        "unique",
        "sort",
        "dict2items",
        "items2dict",
        "to_json",
        "to_nice_json",
        "from_json",
        "to_yaml",
        "from_yaml",
        "regex_replace",
        "regex_search",
        "extract",
        "combine",
        "flatten",
        "basename",
        "dirname",
        "quote",
        "b64encode",
        "b64decode",
        "ternary",
        "json_query",
        "mandatory",
        // Liquid's (Shopify themes, Zendesk and Jekyll templates), which take their
        // arguments after a colon: `{{ title | append: ' - ' | upcase }}`.
        "append",
        "prepend",
        "upcase",
        "downcase",
        "capitalize",
        "escape",
        "escape_once",
        "strip",
        "strip_html",
        "strip_newlines",
        "truncate",
        "truncatewords",
        "remove",
        "remove_first",
        "replace_first",
        "reverse",
        "compact",
        "uniq",
        "slice",
        "size",
        "sort_natural",
        "url_encode",
        "url_decode",
        "newline_to_br",
        "money",
        "plus",
        "minus",
        "times",
        "divided_by",
        "modulo",
        "at_least",
        "at_most",
    ];
    fn name_at(s: &str) -> &str {
        let n = s
            .bytes()
            .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
            .count();
        &s[..n]
    }
    let b = text.as_bytes();
    let marked = text.match_indices(" is ").any(|(at, _)| {
        let rest = &text[at + 4..];
        let rest = rest.strip_prefix("not ").unwrap_or(rest);
        let name = name_at(rest);
        TESTS.contains(&name)
            && !rest[name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
    }) || memchr::memchr_iter(b'|', b).any(|at| {
        let single = b.get(at + 1) != Some(&b'|') && (at == 0 || b[at - 1] != b'|');
        let name = name_at(text[at + 1..].trim_start());
        // `ansible.builtin.split`: the filter's own name is the last part.
        let own = name.rsplit('.').next().unwrap_or(name);
        single && !name.is_empty() && FILTERS.contains(&own)
    });
    marked
        && !comment_in(&outside_literals(text))
        && !text.contains(';')
        && !crate::has(text, "union")
        && !compares_literals(text)
}

/// `text` with each string literal that closes on its line blanked, read from the left as a
/// template reads them: `{{ a | join: '#' }}` holds no comment. A breakout's quote pairs
/// off by one (`x' | join #`, `x' | d('#')`), which leaves its comment outside; a quote
/// that never closes keeps the rest.
fn outside_literals(text: &str) -> Cow<'_, str> {
    if !text.contains(['\'', '"']) {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' || c == b'"' {
            if let Some(close) = closing_quote(b, i, false).filter(|&e| !b[i..e].contains(&b'\n')) {
                out.push(b' ');
                i = close + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A field tested against a list of literals, as the whole value or its first condition:
/// OData 4.01's own example `Name in ('Milk', 'Cheese')`, an Ansible condition
/// `ansible_distribution in ("RedHat", "CentOS")`, a filter's `status in ('open','closed')
/// and owner eq 'me'`. libinjection reads `no(s)`; an injection has to break out of the
/// host query's string or number first, and a value that opens with a field name and a
/// list of plain strings and numbers has broken out of nothing. What follows the list is
/// another condition on a field or nothing; a comment, `;` or a compared pair of literals
/// still counts.
fn membership_test(text: &str) -> bool {
    let t = text.trim();
    // PostgREST's (Supabase's) operator on the query key's column: `in.("a","b")`,
    // `not.in.(1,2)`. The list is the whole value.
    let postgrest = t.strip_prefix("not.").unwrap_or(t).strip_prefix("in.");
    if let Some(list) = postgrest {
        return list.starts_with('(') && list_of_literals(list) == Some(list.len() - 1);
    }
    let t = t.strip_prefix("not ").unwrap_or(t);
    let name = t
        .bytes()
        .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        .count();
    if name == 0 || !t.as_bytes()[0].is_ascii_alphabetic() || keyword(&t[..name]).is_some() {
        return false;
    }
    let rest = t[name..].trim_start();
    let rest = rest.strip_prefix("not ").map_or(rest, str::trim_start);
    let Some(list) = rest
        .strip_prefix("in ")
        .or_else(|| rest.strip_prefix("IN "))
        .map(str::trim_start)
    else {
        return false;
    };
    let Some(i) = list_of_literals(list) else {
        return false;
    };
    let after = list[i + 1..].trim_start();
    let joined = ["and ", "or ", "AND ", "OR "]
        .iter()
        .find_map(|j| after.strip_prefix(j))
        .is_some_and(|next| {
            // A field's name: no keyword, no call (`… or sleep(5)`).
            let next = next.trim_start();
            let word = next
                .bytes()
                .take_while(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
                .count();
            word > 0
                && next.starts_with(|c: char| c.is_ascii_alphabetic())
                && keyword(&next[..word]).is_none()
                && !next[word..].trim_start().starts_with('(')
        });
    (after.is_empty() || joined)
        && !comment_in(text)
        && !text.contains(';')
        && !compares_literals(text)
}

/// Where a list of literals (single- or double-quoted strings, numbers) opened by `(` or
/// `[` at `list[0]` closes; `None` when anything else is in it, or nothing.
fn list_of_literals(list: &str) -> Option<usize> {
    let close = match list.as_bytes().first() {
        Some(b'(') => b')',
        Some(b'[') => b']',
        _ => return None,
    };
    let b = list.as_bytes();
    let (mut i, mut items) = (1, 0);
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i) {
            Some(b'\'' | b'"') => match closing_quote(b, i, true) {
                Some(end) => i = end + 1,
                None => return None,
            },
            Some(c) if c.is_ascii_digit() => {
                while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                    i += 1;
                }
            }
            _ => return None,
        }
        items += 1;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i) {
            Some(b',') => i += 1,
            Some(&c) if c == close => break,
            _ => return None,
        }
    }
    (items > 0).then_some(i)
}

/// MySQL's syntax error, pasted into a ticket or a question: `You have an error in your SQL
/// syntax; … near 'WHERE id = 1' at line 1`, `ERROR 1064 (42000): … near 'ORDER BY name' at
/// line 1`. The message quotes the statement from where parsing failed; its only two
/// apostrophes open after `near ` and close before ` at line N`. Read as an injection, the
/// fragment is followed by the string `' at line N'`, and a string right after an operand
/// (a name, a number, a parenthesis) is a syntax error: the fragment must end in one. A
/// comment in it (which would hide that string) still counts.
fn mysql_error_echo(text: &str) -> bool {
    let b = text.as_bytes();
    let mut quotes = memchr::memchr_iter(b'\'', b);
    let (Some(open), Some(close), None) = (quotes.next(), quotes.next(), quotes.next()) else {
        return false;
    };
    let near = text[..open]
        .get(open.saturating_sub(5)..)
        .is_some_and(|w| w.eq_ignore_ascii_case("near "));
    let at_line = text[close + 1..]
        .strip_prefix(" at line ")
        .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
    let fragment = text[open + 1..close].trim_end();
    near && at_line
        && fragment.ends_with(|c: char| c.is_ascii_alphanumeric() || c == ')')
        && !comment_in(fragment)
}

/// A comment opener of any dialect (`--`, `#`, `/*`): what cuts off the rest of the host's
/// query, and so what the excuses for expression languages and quoted messages refuse.
fn comment_in(text: &str) -> bool {
    text.contains("--") || text.contains('#') || text.contains("/*")
}

/// A spreadsheet-style formula over named fields, as Airtable's `filterByFormula` and its
/// formula fields take it: `AND({Status}='Done', {Priority}>2)`, `NOT({Archived})`. The value
/// opens with a function and, right inside its parenthesis, a field name in braces. ODBC's
/// escapes, the only braces SQL reads, open with a keyword and a blank (`{fn …}`, `{d '…'}`,
/// `{oj …}`, `{call …}`) or a `?` (`{?= call …}`). The function's parenthesis closes where
/// the value ends: `AND({a}='b') and sleep(5)` goes on after the formula.
fn field_formula(text: &str) -> bool {
    let t = text.trim();
    let name = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let Some(field) = t.get(name..).and_then(|r| r.strip_prefix("({")) else {
        return false;
    };
    let Some(end) = field.find('}') else {
        return false;
    };
    let inside = &field[..end];
    let odbc = [
        "fn ",
        "d ",
        "t ",
        "ts ",
        "oj ",
        "call ",
        "escape ",
        "guid ",
        "interval ",
        "?",
    ]
    .iter()
    .any(|k| {
        inside
            .as_bytes()
            .get(..k.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(k.as_bytes()))
    });
    if name == 0 || inside.is_empty() || odbc {
        return false;
    }
    let b = t.as_bytes();
    let (mut depth, mut i) = (0usize, name);
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1 == b.len();
                }
            }
            b'\'' | b'"' => match closing_quote(b, i, false) {
                Some(close) => i = close,
                None => return false,
            },
            _ => {}
        }
        i += 1;
    }
    false
}

/// Judges the tokens after the value's own start. `broke_out` says the value closed a string
/// literal (quoted contexts), which makes anything structural that follows an injection.
fn judge(all: &Toks, broke_out: bool) -> Option<(f32, &'static str)> {
    let toks: &[Tok] = all;
    // Skip the leading operand (and closing parens) the value supplies to the host query.
    let supplies_operand = toks
        .first()
        .is_some_and(|t| matches!(t, Tok::Num | Tok::Word | Tok::Str));
    let mut i = usize::from(broke_out || supplies_operand);
    let opened = i;
    while toks.get(i) == Some(&Tok::RParen) {
        i += 1;
    }
    // Closing parentheses the value did not open leave the host query's structure too.
    let broke_out = broke_out || (supplies_operand && i > opened);
    // `') as alias where …`: an alias after the break is still the attacker's clause.
    if broke_out && toks.get(i) == Some(&Tok::Kw(Kw::As)) && toks.get(i + 1) == Some(&Tok::Word) {
        i += 2;
    }
    let rest = &toks[i.min(toks.len())..];
    let at = |k: usize| rest.get(k).copied();
    if i == 0 && toks.first() == Some(&Tok::LParen) && toks.get(1) == Some(&Tok::Kw(Kw::Select)) {
        return Some((0.9, "subquery as the value"));
    }
    // sqlmap's error-based `from(select count(*),concat(…),floor(rand(0)*2))x …`: a derived
    // table where the value starts.
    if toks.starts_with(&[Tok::Kw(Kw::From), Tok::LParen]) && statement(&toks[2..], false) {
        return Some((0.85, "derived table as the value"));
    }
    // `mod(1,2);insert into category(id) values (3)-- -`: a statement stacked after the
    // value, the rest of the host query cut off. The comment ends tokenizing, so it is last
    // only when the whole value was read.
    let cut = toks.len() < MAX_TOKENS && toks.last() == Some(&Tok::Comment);
    if cut
        && toks
            .iter()
            .enumerate()
            .any(|(k, &t)| t == Tok::Semi && statement(&toks[k + 1..], false))
    {
        return Some((0.9, "stacked statement, rest cut off"));
    }
    // `name = 'x' or 1=1`, `id eq 5 and 'a'='a'--`: a whole filter the value supplies (a
    // field, an operator, a literal), then a comparison of two literals joined on. A filter
    // joins conditions on fields (`status = 'open' or status = 'closed'`); a literal compared
    // with a literal is the tautology or blind probe an injection appends. Or a statement
    // stacked after the filter: `id = 1; drop table users`.
    let filter = !broke_out
        && matches!(
            toks,
            [
                Tok::Word,
                Tok::Cmp | Tok::CmpWord | Tok::Word,
                Tok::Num | Tok::Str,
                ..
            ]
        );
    if filter {
        let literal = |t: &Tok| matches!(t, Tok::Num | Tok::Str);
        match &toks[3..] {
            [Tok::Logic, l, Tok::Cmp, r, ..] if literal(l) && literal(r) => {
                return Some((0.85, LOGIC));
            }
            [Tok::Semi, stacked @ ..] if statement(stacked, false) => {
                return Some((0.95, "stacked statement"));
            }
            // `id = '1' && sleep(5)`: a delay joined on, in a numeric context's expression.
            [Tok::Logic, Tok::Kw(Kw::Delay), Tok::LParen, ..] => {
                return Some((0.85, LOGIC));
            }
            _ => {}
        }
    }
    // A statement as the whole value, or right after a closed string (T-SQL needs no `;`).
    // `The "NOT NULL" constraint is added`: the host query would close the string the
    // value leaves open, right after an operand (`NULL " constraint…"`), which no SQL
    // parses. An injection ends in a comment or opens that string after an operator. In a
    // select list the string could be an alias (`select 1 'x'`), never after a `where`, an
    // `order by` or a `group by` (`The query "select name from users where id = 1" is
    // slow`, `"Order by date" doesn't work`).
    // A literal counts as an operand too (`KeyError: "SELECT * FROM accounts WHERE email =
    // 'a@b.c'"`): after a condition no dialect takes a string next to it.
    let left_open = broke_out
        && toks.len() < MAX_TOKENS
        && matches!(
            toks[toks.len().saturating_sub(2)..],
            [
                Tok::Word
                    | Tok::Num
                    | Tok::Str
                    | Tok::RParen
                    | Tok::Kw(Kw::Null | Kw::True | Kw::False),
                Tok::Open
            ]
        );
    // The clause the value ends in: the last `where`, `order by` or `group by`, or a
    // select's `from`, comes after the last `select`, whose list could take the string as
    // an alias. A table's alias is a name, never a string (`I wrote 'select * from
    // orders' but it errors`).
    let clause_left_open = left_open
        && match rest.iter().rev().find(|t| {
            matches!(
                t,
                Tok::Kw(Kw::From | Kw::Where | Kw::Order | Kw::Group | Kw::Select)
            )
        }) {
            Some(Tok::Kw(Kw::From)) => rest.contains(&Tok::Kw(Kw::Select)),
            Some(Tok::Kw(Kw::Select)) | None => false,
            Some(_) => true,
        };
    if (broke_out || i == 0) && statement(rest, !broke_out) && !clause_left_open {
        return Some((if broke_out { 0.9 } else { 0.85 }, STATEMENT));
    }
    if clause_left_open && matches!(at(0), Some(Tok::Kw(Kw::Where | Kw::Order | Kw::Group))) {
        return None;
    }
    if broke_out {
        if let Some(found) = later_breakout(rest) {
            return Some(found);
        }
    }
    match at(0)? {
        // `' or 1=1`, `1 and sleep(5)`, `x' || 'a'='a`
        Tok::Logic => {
            let next = at(1)?;
            let after = at(2);
            // `Do not include <script> tags`: `not` after an operand, before another, joins
            // nothing in SQL (`x not y` does not parse); only a comparison word may follow it
            // there (`id not in (…)`, `' not like 'a`).
            let not_between = i > 0
                && i < MAX_TOKENS
                && all.nots & (1 << i) != 0
                && !matches!(next, Tok::CmpWord | Tok::Cmp);
            if not_between {
                return None;
            }
            // `and case when 1=1 then …`: a conditional expression, which no sentence writes.
            // A function only with its call (`' or benchmark(…)`): `could not convert
            // string to UTF-8` names one in a sentence.
            let function = matches!(
                next,
                Tok::Kw(Kw::Delay | Kw::Select | Kw::True | Kw::False | Kw::Null)
            ) || (next == Tok::Kw(Kw::Func)
                && (matches!(after, Some(Tok::LParen | Tok::Kw(Kw::Func)))
                    // ODBC's escape `{if length((…))}`: the call comes one word on.
                    || (after == Some(Tok::Word) && at(3) == Some(Tok::LParen))))
                // `and !sleep(5)`: MySQL's `!` negates the call.
                || (next == Tok::Op
                    && matches!(after, Some(Tok::Kw(Kw::Func | Kw::Delay)))
                    && at(3) == Some(Tok::LParen))
                || case_when(&rest[1..]);
            // After a closed string, any expression continues the attacker's condition. In a
            // bare value ("dad and keychain and more", "do or not do", "1 and 1/2 inch"), only
            // a comparison, a comment or an SQL function makes a logic word structural.
            // `"AND" and "OR" conjunctions`: strings joined by logic words are prose quoting
            // SQL; an injection compares (`' or 'a'='a`).
            let string_chain = next == Tok::Str && after == Some(Tok::Logic);
            let strong = if broke_out {
                function
                    || (is_operand(next)
                        && !string_chain
                        && matches!(after, Some(Tok::Cmp | Tok::CmpWord | Tok::Op | Tok::Comment | Tok::Logic)))
                    || (matches!(next, Tok::Num | Tok::Str | Tok::Var) && after.is_none())
                    || next == Tok::LParen
                    || (next == Tok::Logic && after.is_some_and(is_operand))
                    // `' and unlikely(id)--`: a call, then the rest of the query cut off.
                    || (next == Tok::Word
                        && after == Some(Tok::LParen)
                        && matches!(rest.last(), Some(Tok::Comment | Tok::Semi)))
                    // `' or array[id] is not null--`: a condition, then the rest cut off.
                    // A comparison word right before the comment compares nothing: `…I
                    // can't log in -- please help` ends a sentence in a phrasal verb.
                    || (cut
                        && is_operand(next)
                        && rest
                            .windows(2)
                            .any(|w| is_cmp(w[0]) && w[1] != Tok::Comment))
            } else {
                // `Username or password is too long`: a comparison word before a bare word
                // is English (`is` takes NULL or a truth value, `in` a list).
                let worded = after == Some(Tok::CmpWord) && at(3) == Some(Tok::Word) && !cut;
                // `Rock and roll -- the story`, `cats and dogs #2`: a bare word before a
                // comment is prose's dash or number sign. An injection there comments out
                // after a literal (`1 or 1#`, `1 and true--`) or a comparison.
                let dashed = next == Tok::Word && after == Some(Tok::Comment);
                function
                    || (is_operand(next)
                        && matches!(after, Some(Tok::Cmp | Tok::CmpWord | Tok::Comment))
                        && !worded
                        && !dashed)
                    || (next == Tok::Num && after.is_none())
                    // `1 or not 8924=1067`: a false comparison negated.
                    || (next == Tok::Logic
                        && matches!(after, Some(Tok::Num | Tok::Str))
                        && at(3) == Some(Tok::Cmp))
                    || (next == Tok::LParen && matches!(after, Some(Tok::Kw(Kw::Select))))
                    // The same comparison in parentheses: `or (1=1)`, `OR (7319=8742)`; a
                    // comparison word before a bare word is no SQL there either (Jinja's
                    // `not (public_dns_name is defined or ip_address is defined)`).
                    || (next == Tok::LParen
                        && after.is_some_and(is_operand)
                        && (at(3) == Some(Tok::Cmp)
                            || (at(3) == Some(Tok::CmpWord) && at(4) != Some(Tok::Word))))
            };
            // `x' or not rock 'n' roll`, `and 1=1 in the docs?`: words side by side in the
            // condition, and nothing to absorb the host query's rest: a sentence.
            // A truth value or NULL is no call: `the byte or NULL if the character does not
            // occur` (memchr's man page) goes on in words like any sentence.
            let literal_kw = !broke_out && matches!(next, Tok::Kw(Kw::True | Kw::False | Kw::Null));
            let sentence = (!function || literal_kw)
                && next != Tok::LParen
                && all
                    .juxtaposed_after(i)
                    .is_some_and(|k| !comparison_before(toks, i + 1, k, broke_out));
            if !strong || left_open || sentence {
                return None;
            }
            Some((if broke_out { 0.95 } else { 0.85 }, LOGIC))
        }
        // `1; drop table users`, `'; exec xp_cmdshell`
        Tok::Semi if statement(&rest[1..], false) => Some((0.95, "stacked statement")),
        // `admin'--`, `1)#`
        Tok::Comment
            if broke_out
                || i > 0
                    && toks.first() == Some(&Tok::Num)
                    && toks.get(1) == Some(&Tok::RParen) =>
        {
            Some((0.8, TRUNCATED))
        }
        // `' order by 3--`, `1 group by 1 having 1=1`
        Tok::Kw(Kw::Order | Kw::Group)
            if at(1) == Some(Tok::Kw(Kw::By)) && matches!(at(2), Some(Tok::Num | Tok::Word)) =>
        {
            if broke_out
                || matches!(at(3), None | Some(Tok::Comment | Tok::Logic | Tok::Kw(_)))
                    && toks.first() == Some(&Tok::Num)
            {
                Some((0.85, ORDERED))
            } else {
                None
            }
        }
        // `' into outfile '/tmp/x'`, `' limit 1--`, `' having 1=1`, `' procedure analyse()`
        Tok::Kw(Kw::Into) if broke_out && matches!(at(1), Some(Tok::Kw(Kw::Into) | Tok::Var)) => {
            Some((0.85, "clause injected after string"))
        }
        Tok::Kw(Kw::Limit) if broke_out && at(1) == Some(Tok::Num) => {
            Some((0.85, "clause injected after string"))
        }
        Tok::Kw(Kw::Having)
            if broke_out && at(1).is_some_and(is_operand) && at(2).is_some_and(is_cmp) =>
        {
            Some((0.85, "clause injected after string"))
        }
        Tok::Kw(Kw::Procedure) if broke_out && at(2) == Some(Tok::LParen) => {
            Some((0.85, "clause injected after string"))
        }
        // `RLIKE SLEEP(5)`, `=sleep(5)` as the value's start: a delay compared with the
        // host query's column.
        Tok::Cmp if i == 0 && at(1) == Some(Tok::Kw(Kw::Delay)) && at(2) == Some(Tok::LParen) => {
            Some((0.9, "expression injected"))
        }
        // `'=sleep(5)`, `' + (select …)`, `'||(select…)`
        first @ (Tok::Cmp | Tok::CmpWord | Tok::Op) if broke_out => {
            let next = at(1)?;
            if matches!(next, Tok::Kw(Kw::Delay | Kw::Select))
                || (next == Tok::Kw(Kw::Func) && at(2) == Some(Tok::LParen))
                || (next == Tok::LParen && at(2) == Some(Tok::Kw(Kw::Select)))
                // `' rlike !sleep(5)`
                || (next == Tok::Op
                    && matches!(at(2), Some(Tok::Kw(Kw::Func | Kw::Delay)))
                    && at(3) == Some(Tok::LParen))
            {
                Some((0.9, "expression injected after string"))
            } else if is_operand(next)
                // A word comparing with a bare word is English (`" in it and …`, `' is
                // fine or …`): SQL's `in` takes a list, `is` null or a truth value.
                && !(first == Tok::CmpWord && next == Tok::Word)
                && matches!(at(2), Some(Tok::Comment | Tok::Logic | Tok::Semi))
            {
                Some((0.85, COMPARED))
            } else if next == Tok::Comment {
                // `' notnull --`: a postfix test, then the rest of the query cut off.
                Some((0.85, COMPARED))
            } else {
                None
            }
        }
        // `1' where 3125=3125 …`, `1) where 1=1 rlike sleep(5)`, and after a bare number
        // a comparison of two numbers (`1 where 4519=4519;…`): no sentence reads so.
        Tok::Kw(Kw::Where)
            if broke_out && at(1).is_some_and(is_operand) && at(2).is_some_and(is_cmp) =>
        {
            Some((0.9, "where clause injected"))
        }
        Tok::Kw(Kw::Where)
            if toks.first() == Some(&Tok::Num)
                && at(1) == Some(Tok::Num)
                && at(2).is_some_and(is_cmp)
                && at(3) == Some(Tok::Num) =>
        {
            Some((0.9, "where clause injected"))
        }
        // `1)(select …`, `1',(select …`: a subquery where the value should end; after a bare
        // number (`1,(select * from …`) the subquery has to read as SQL.
        Tok::LParen | Tok::Comma
            if broke_out || matches!(toks.first(), Some(&Tok::Num | &Tok::Comma)) =>
        {
            let k = usize::from(at(0) == Some(Tok::Comma) && at(1) == Some(Tok::LParen));
            match (at(k), at(k + 1)) {
                (Some(Tok::LParen), Some(Tok::Kw(Kw::Case))) if broke_out => {
                    Some((0.9, "subquery injected"))
                }
                (Some(Tok::LParen), Some(Tok::Kw(Kw::Select)))
                    if broke_out || statement(&rest[k + 1..], false) =>
                {
                    Some((0.9, "subquery injected"))
                }
                // `',exp(~(select …`: a function call around a subquery or a delay.
                (Some(Tok::Comma), Some(Tok::Kw(Kw::Func | Kw::Delay)))
                    if broke_out
                        && at(2) == Some(Tok::LParen)
                        && rest
                            .iter()
                            .any(|t| matches!(t, Tok::Kw(Kw::Select | Kw::Delay))) =>
                {
                    Some((0.9, "subquery injected"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `case when 1=1 then`, `case when (4821=4821) then`: SQL's conditional on a symbolic
/// comparison ("and case when the lid is open" compares nothing).
fn case_when(t: &[Tok]) -> bool {
    if !t.starts_with(&[Tok::Kw(Kw::Case), Tok::Kw(Kw::When)]) {
        return false;
    }
    let open = usize::from(t.get(2) == Some(&Tok::LParen));
    let c = &t[(2 + open).min(t.len())..];
    let close = usize::from(open == 1 && c.get(3) == Some(&Tok::RParen));
    c.len() >= 4 + close
        && is_operand(c[0])
        && c[1] == Tok::Cmp
        && is_operand(c[2])
        && c[3 + close] == Tok::Kw(Kw::Then)
}

/// Blind injection's probes wherever they sit in the value, where the judge looks only right
/// after the operand or a closed string:
/// - a subquery that calls a time-delay function: `1(select*from(select(sleep(5)))d)`,
///   `from(select(sleep(20)))a)` (`(select` opens a subquery; prose about SQL does not open
///   one with a parenthesis);
/// - T-SQL's `waitfor delay '0:0:5'`;
/// - a parenthesized condition: `1,(case when 6620=3092 then 1 else null end)`.
fn blind_probe(toks: &[Tok]) -> Option<(f32, &'static str)> {
    use Tok::{LParen, Num, Str};
    // `Num cmp Num`, then `next`, at the start of `t`.
    let compares = |t: &[Tok], next: Tok| {
        t.len() >= 4 && t[0] == Num && is_cmp(t[1]) && t[2] == Num && t[3] == next
    };
    let delay = Tok::Kw(Kw::Delay);
    // A statement stacked after whatever words the value opened with, that is one even as
    // a whole value (`1 XkAz;SELECT SLEEP(5)`, `x, ;DECLARE @x CHAR(9);…`: sqlmap's
    // boundaries for names), or a delay called in a block (`;BEGIN DBMS_LOCK.SLEEP(5); END`).
    let stacked = |k: usize| {
        let rest = &toks[k + 1..];
        let rest = rest.strip_prefix(&[Tok::Kw(Kw::Begin)]).unwrap_or(rest);
        // `…; execute record, please.`: a procedure's name and a comma is a sentence.
        let listed = rest.get(2) == Some(&Tok::Comma);
        (statement(rest, true) && !listed) || rest.starts_with(&[delay, LParen, Num, Tok::RParen])
    };
    if (0..toks.len()).any(|k| toks[k] == Tok::Semi && stacked(k)) {
        return Some((0.9, "stacked statement"));
    }
    if let Some(sub) = toks
        .windows(2)
        .position(|w| w == [LParen, Tok::Kw(Kw::Select)])
    {
        if toks[sub..].windows(3).any(|w| w == [delay, LParen, Num]) {
            return Some((0.9, "time-delay subquery"));
        }
    }
    // `waitfor delay '0:0:5'`, or through a variable (`DECLARE @x CHAR(9) SET
    // @x=0x303a303a31 WAITFOR DELAY @x`).
    if toks
        .windows(3)
        .any(|w| w == [delay, delay, Str] || w == [delay, delay, Tok::Var])
    {
        return Some((0.9, "waitfor delay"));
    }
    // `ORDER BY SLEEP(5)`: a sort key that stalls the query, where the value starts.
    // `ORDER BY 1,SLEEP(5),BENCHMARK(…)`: or one of the sort keys after the first.
    let order_by = [Tok::Kw(Kw::Order), Tok::Kw(Kw::By)];
    if toks.starts_with(&[order_by[0], order_by[1], delay, LParen])
        || (toks.starts_with(&order_by)
            && toks[2..]
                .windows(3)
                .any(|w| w == [Tok::Comma, delay, LParen]))
    {
        return Some((0.9, "time delay as the sort key"));
    }
    let func = |t: &Tok| matches!(t, Tok::Kw(Kw::Func | Kw::Delay));
    let value = |t: Option<&Tok>| t.is_some_and(|t| is_operand(*t) && *t != LParen);
    for k in 0..toks.len() {
        let at = |j: usize| toks.get(k + j);
        // `(case when 1=1 then`, `(case when (4587=4587) then`
        if toks[k..].starts_with(&[LParen, Tok::Kw(Kw::Case), Tok::Kw(Kw::When)]) {
            let j = 3 + usize::from(at(3) == Some(&LParen));
            let j2 = j + 3 + usize::from(at(j + 3) == Some(&Tok::RParen));
            if value(at(j))
                && at(j + 1).is_some_and(|t| is_cmp(*t))
                && value(at(j + 2))
                && at(j2) == Some(&Tok::Kw(Kw::Then))
            {
                return Some((0.85, "conditional probe"));
            }
        }
        // `if (8340=8340) then dbms_lock.sleep(5)`: a delay on a comparison ("if tired,
        // then sleep (8) hours" compares nothing).
        if toks[k..].starts_with(&[Tok::Kw(Kw::Then), delay, LParen, Num, Tok::RParen])
            && toks[..k].iter().any(|t| is_cmp(*t))
        {
            return Some((0.9, "conditional delay"));
        }
        if func(&toks[k]) && at(1) == Some(&LParen) {
            // `iif(5257=5257,1,1/0)`, `make_set(7729=7729,1)`, `elt(1=1,…)`: a function
            // choosing on a comparison of two numbers.
            if toks[k + 1..].first() == Some(&LParen) && compares(&toks[k + 2..], Tok::Comma) {
                return Some((0.85, "conditional function"));
            }
            // T-SQL's `IF(4821=4821) SELECT …`: a statement run on a comparison of two numbers.
            if compares(&toks[k + 2..], Tok::RParen) && at(6) == Some(&Tok::Kw(Kw::Select)) {
                return Some((0.85, "conditional statement"));
            }
            // `exp(~(select …`, `concat((select …`: a subquery as a function's argument.
            let j = 2 + usize::from(at(2) == Some(&Tok::Op));
            if at(j) == Some(&LParen) && at(j + 1) == Some(&Tok::Kw(Kw::Select)) {
                return Some((0.85, "subquery in a function call"));
            }
        }
    }
    // `(1589=1589)*1`: a boolean of two numbers, used as a number.
    (toks.first() == Some(&LParen)
        && compares(&toks[1..], Tok::RParen)
        && toks.get(5) == Some(&Tok::Op))
    .then_some((0.85, "conditional probe"))
}

/// After a closed string, structure a few tokens later: sqlmap's `1' in boolean mode);select
/// …`, `1'));(select * from (select(sleep(5)))x)`, `1') rlike (select …)`. A `;` that starts
/// a statement, or a `)` the value closes (one it did not open) followed by a condition or
/// a subquery, is the attacker's whatever words came between.
fn later_breakout(rest: &[Tok]) -> Option<(f32, &'static str)> {
    use Tok::{LParen, Logic, RParen, Semi};
    // Parentheses the value opens itself (`priority in (Highest, High) OR assignee = …`, a
    // JQL filter read from its first quote) close a list or a call, not the host's group.
    let mut depth = 0usize;
    for k in 0..rest.len() {
        let after = &rest[k + 1..];
        let (a, b, c) = (after.first(), after.get(1), after.get(2));
        match rest[k] {
            LParen => depth += 1,
            RParen if depth > 0 => depth -= 1,
            Semi => {
                let starts = statement(after, false)
                    || matches!((a, b), (Some(LParen), Some(Tok::Kw(Kw::Select))))
                    || matches!(
                        (a, b),
                        (Some(Tok::Kw(Kw::Func | Kw::Delay)), Some(LParen))
                            | (Some(Tok::Kw(Kw::Select)), Some(Tok::Kw(Kw::Case)))
                            | (Some(Tok::Kw(Kw::Begin)), Some(_))
                            | (Some(Tok::Kw(Kw::Create)), Some(Logic))
                    );
                if starts {
                    return Some((0.9, "stacked statement after string"));
                }
            }
            RParen => {
                // A comparison word before a bare word is English (`$(command) and
                // `command` in bash?`): `in` takes a list, `is` NULL or a truth value.
                let worded = c == Some(&Tok::CmpWord) && after.get(3) == Some(&Tok::Word);
                let condition = matches!(a, Some(Logic | Tok::Cmp | Tok::CmpWord))
                    && (matches!(b, Some(Tok::Kw(Kw::Func | Kw::Delay | Kw::Select)))
                        // `1' in boolean mode) or !sleep(5)#`: a delay negated.
                        || (b == Some(&Tok::Op) && c == Some(&Tok::Kw(Kw::Delay)))
                        || (b == Some(&LParen) && c == Some(&Tok::Kw(Kw::Select)))
                        || (b.is_some_and(|t| is_operand(*t))
                            && c.is_some_and(|t| is_cmp(*t))
                            && !worded));
                // `1' in boolean mode) order by 1#`, `…)(select …`, T-SQL's `…) declare @x …`
                let clause = matches!(a, Some(Tok::Kw(Kw::Procedure)))
                    || matches!((a, b), (Some(Tok::Kw(Kw::Declare)), Some(Tok::Var)))
                    || matches!(
                        (a, b, c),
                        (
                            Some(Tok::Kw(Kw::Order | Kw::Group)),
                            Some(Tok::Kw(Kw::By)),
                            Some(Tok::Num)
                        ) | (Some(LParen), Some(Tok::Kw(Kw::Select)), _)
                    )
                    || (a == Some(&Logic)
                        && b == Some(&LParen)
                        && c.is_some_and(|t| is_operand(*t)))
                    // `1' in boolean mode) or not 5446=9998#`, `…) having 8375=5031#`,
                    // `…) and case when 1751=1932 then …`
                    || (a == Some(&Logic)
                        && b == Some(&Logic)
                        && c.is_some_and(|t| is_operand(*t))
                        && after.get(3).is_some_and(|t| is_cmp(*t)))
                    || (a == Some(&Tok::Kw(Kw::Having))
                        && b.is_some_and(|t| is_operand(*t))
                        && c.is_some_and(|t| is_cmp(*t)))
                    || (a == Some(&Logic) && case_when(&after[1..]));
                if condition || clause {
                    return Some((0.9, CLOSED_PAREN));
                }
            }
            _ => {}
        }
    }
    None
}

/// Byte classes an injection can use: quotes, operators, comment starts.
const SPECIAL: u32 = bc::SQUOTE
    | bc::DQUOTE
    | bc::BACKTICK
    | bc::EQ
    | bc::LT
    | bc::GT
    | bc::LPAREN
    | bc::RPAREN
    | bc::SEMI
    | bc::HASH
    | bc::PIPE
    | bc::AMP
    | bc::DASH
    | bc::SLASH
    | bc::STAR;

/// Words that can carry an injection without any special character (`1 or 1`, `x union
/// select y`), matched case-insensitively anywhere in a value ([`sql_words`]).
const SQL_WORDS: [&[u8]; 16] = [
    b" or ",
    b" and ",
    b" xor ",
    b" div ",
    b" not ",
    b"union",
    b"select",
    b"sleep",
    b"benchmark",
    b"waitfor",
    b"having",
    b"order by",
    b"group by",
    b"procedure",
    b" into ",
    b" limit ",
];

/// What SQL reads as a space between words: a tab, a line break, a vertical tab or a form
/// feed does as well (`1%09AND%091%20LIKE%201`, sqlmap's `bluecoat` and `space2randomblank`).
const SQL_BLANKS: [u8; 6] = [b' ', b'\t', b'\n', b'\r', 0x0b, 0x0c];

/// For each of a pattern's first three bytes, the patterns (one bit each) that have that
/// byte there, either case.
static SQL_WORD_TABLES: LazyLock<[[u16; 256]; 3]> = LazyLock::new(|| {
    let mut t = [[0u16; 256]; 3];
    for (bit, w) in SQL_WORDS.iter().enumerate() {
        for (at, &c) in w.iter().take(3).enumerate() {
            t[at][usize::from(c.to_ascii_lowercase())] |= 1 << bit;
            t[at][usize::from(c.to_ascii_uppercase())] |= 1 << bit;
            if c == b' ' {
                for blank in SQL_BLANKS {
                    t[at][usize::from(blank)] |= 1 << bit;
                }
            }
        }
    }
    t
});

/// Whether `text` holds any of [`SQL_WORDS`], ASCII case ignored. Every value that reaches
/// the SQL judge asks this once, and most are short: an Aho-Corasick automaton costs about a
/// hundred instructions to enter and a dozen per byte here, where three table lookups per
/// position rule out nearly every start (sixteen patterns, one bit each), and the few that
/// remain are compared in full. `sql_words_match_the_automaton` checks it against
/// `aho-corasick` on the corpora's values.
fn sql_words(text: &str) -> bool {
    let b = text.as_bytes();
    let [first, second, third] = &*SQL_WORD_TABLES;
    // Every pattern is at least four bytes long.
    for i in 0..b.len().saturating_sub(3) {
        let mut m = first[usize::from(b[i])];
        if m == 0 {
            continue;
        }
        m &= second[usize::from(b[i + 1])] & third[usize::from(b[i + 2])];
        while m != 0 {
            let w = SQL_WORDS[m.trailing_zeros() as usize];
            let same = |(&c, &p): (&u8, &u8)| {
                c.eq_ignore_ascii_case(&p) || (p == b' ' && SQL_BLANKS.contains(&c))
            };
            if b[i..].len() >= w.len() && b[i..i + w.len()].iter().zip(w).all(same) {
                return true;
            }
            m &= m - 1;
        }
    }
    false
}

/// Prose whose only quotes are apostrophes inside words (`it's`, `O'Brien`), with no SQL word
/// and no comment: such a quote closes a string only for the text after it to be plain
/// words, which no injection is. API fields carry sentences like this all the time; they
/// skip the tokenizer's two passes. `x'or'1` is not prose: `or` is a word the tokenizer
/// reads.
fn prose(text: &str) -> bool {
    let b = text.as_bytes();
    let in_word = |i: usize| {
        i > 0 && b[i - 1].is_ascii_alphabetic() && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
    };
    !crate::has(text, "--")
        && !crate::has(text, "/*")
        && b.iter().enumerate().all(|(i, &c)| c != b'\'' || in_word(i))
        && ascii_words(text).all(|w| w.len() < 2 || keyword(w).is_none())
        && !sql_words(text)
}

/// The runs of ASCII letters, digits and `_` in `text`, by bytes (a `char` split decodes
/// UTF-8 for every character of every value that reaches [`prose`]).
fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        // Both ends sit next to an ASCII byte or at an end: character boundaries.
        (start < i).then(|| &text[start..i])
    })
}

/// After `UNION [ALL|DISTINCT] SELECT`, a select list or the end of the value: `union
/// select 1,2`, `union select null--`, `union all select password from users`, `union
/// select`, `union select top 10 …`. A sentence naming the words goes on with prose (`` `UNION SELECT` in a blog
/// post ``, `UNION SELECT is blocked`): a word that no comma, `from`, call, comment or end
/// follows.
fn selects_something(t: &[Tok]) -> bool {
    let Some(select) = t.iter().position(|x| *x == Tok::Kw(Kw::Select)) else {
        // `union (select …`, `union all (select …`: a subquery.
        return true;
    };
    match t.get(select + 1) {
        None => true,
        Some(Tok::Word) => matches!(
            t.get(select + 2),
            None | Some(
                Tok::Comma
                    | Tok::Kw(Kw::From)
                    | Tok::LParen
                    | Tok::Comment
                    | Tok::Semi
                    | Tok::Op
                    // `union select top 10 password, …` (T-SQL)
                    | Tok::Num
                    | Tok::Var
            )
        ),
        Some(Tok::CmpWord | Tok::Logic) => false,
        Some(_) => true,
    }
}

/// `` `UNION SELECT` `` (or `` `UNION ALL SELECT` ``) as a Markdown code span that closes
/// right after the words: the words named in a sentence.
fn code_span_words(text: &str, at: usize) -> bool {
    if at == 0 || text.as_bytes()[at - 1] != b'`' {
        return false;
    }
    let rest = &text[at..];
    let Some(close) = rest.find('`') else {
        return false;
    };
    let span = rest[..close].to_ascii_lowercase();
    let words: Vec<&str> = span.split_whitespace().collect();
    matches!(
        words.as_slice(),
        ["union", "select"] | ["union", "all" | "distinct", "select"]
    )
}

/// `` Why does `SELECT 1 UNION SELECT 2` return two rows? ``: a whole query (it starts with
/// SELECT, WITH or `(`) in a Markdown code span of a sentence, the UNION at `at` inside it.
/// To SQL the span is a backtick-quoted identifier (MySQL, SQLite) or an error (elsewhere):
/// the UNION is text either way. Only while nothing before it can change how SQL reads
/// the backticks: no quote, comment or `;` before the UNION, an odd number of backticks
/// (reading from the value's start, it is inside one), and the span opening with the query,
/// so an identifier the host query opens (`` SELECT `{value}` ``) still closes only onto
/// a syntax error (`` `words ` SELECT … ``), never right before the UNION.
fn query_in_code_span(text: &str, at: usize) -> bool {
    let before = &text.as_bytes()[..at];
    let Some(open) = before.iter().rposition(|&c| c == b'`') else {
        return false;
    };
    let clean = !before.iter().any(|&c| matches!(c, b'"' | b'#' | b';' | 0))
        && !crate::has(&text[..at], "--")
        && !crate::has(&text[..at], "/*");
    let ticks = before.iter().filter(|&&c| c == b'`').count();
    // Apostrophes in words of the sentence (`doesn't`, `I'm`) before the span, and no other
    // backtick: whichever string they open or close, the span is then inside a string or
    // is the identifier.
    let letter = |i: usize| before.get(i).is_some_and(u8::is_ascii_alphabetic);
    let apostrophes = before.iter().enumerate().filter(|&(_, &c)| c == b'\'');
    let words_only = apostrophes
        .clone()
        .all(|(i, _)| i < open && i > 0 && letter(i - 1) && letter(i + 1));
    let clean = clean && words_only && (ticks == 1 || apostrophes.count() == 0);
    let head = text[open + 1..at]
        .trim_start_matches(|c: char| c == '(' || c.is_ascii_whitespace())
        .as_bytes();
    let query = [&b"select"[..], b"with "].iter().any(|w| {
        head.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
    });
    clean
        && ticks % 2 == 1
        && query
        && text[at..].contains('`')
        && crate::xss::prose_words(text) >= 3
}

/// A query shown in a closed Markdown fence of a document (a manual's example, a question
/// with its query), the UNION at `at` inside it, sentences outside the fences. Shown, not
/// injected, when wherever the host query puts the value — in code, in a `'` or `"`
/// string — the text before the UNION leaves it inside a string
/// or an identifier ([`enclosed_at_end`]): the fence's backticks open an identifier in
/// code (MySQL, SQLite; an error elsewhere), and quotes in the query pair up around it.
fn query_in_fence(text: &str, at: usize) -> bool {
    let before = &text[..at];
    if !crate::has(before, "```") {
        return false;
    }
    let fences = crate::markdown_fences(text);
    if !fences.iter().any(|&(a, b)| (a..b).contains(&at)) {
        return false;
    }
    // A value the host query puts inside a backtick identifier (`` ORDER BY `{v}` ``) is
    // not read: user input named as a column is validated or an error, and there the
    // fence's first two backticks are one escaped backtick.
    let enclosed = [None, Some(b'\''), Some(b'"')]
        .into_iter()
        .all(|start| enclosed_at_end(before.as_bytes(), start));
    if !enclosed {
        return false;
    }
    crate::words_outside(text, &fences) >= 3
}

/// Reads `b` as SQL from inside `start` (a quote or backtick the host query opened, or
/// `None` for code) and tells whether its end lies inside a string or an identifier. A
/// doubled quote inside one is the quote itself. Where dialects disagree it answers no:
/// a backslash anywhere (MySQL escapes with it), and in code a comment (`--`, `#`, `/*`)
/// or a dollar quote.
fn enclosed_at_end(b: &[u8], start: Option<u8>) -> bool {
    let mut inside = start;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            return false;
        }
        match inside {
            Some(q) if c == q => {
                if b.get(i + 1) == Some(&q) {
                    i += 2;
                    continue;
                }
                inside = None;
            }
            Some(_) => {}
            None => match c {
                b'\'' | b'"' | b'`' => inside = Some(c),
                b'#' | b'$' => return false,
                b'-' if b.get(i + 1) == Some(&b'-') => return false,
                b'/' if b.get(i + 1) == Some(&b'*') => return false,
                _ => {}
            },
        }
        i += 1;
    }
    inside.is_some()
}

/// `UNION [ALL|DISTINCT] SELECT` (or `UNION (SELECT`) anywhere: a query of the attacker's.
fn union_select(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(pos) = find_ci(&b[from..], b"union") {
        let at = from + pos;
        let boundary = at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_');
        // `union:` ends a sentence that introduces a query (`I believe this union:`); no
        // dialect writes a colon after the keyword.
        if boundary && b.get(at + 5) != Some(&b':') {
            const LOOK: usize = 8;
            let t = tokenize(&text[at..], None, LOOK);
            // `UNION [ALL|DISTINCT]`, any parentheses, then `SELECT`: a parenthesis opens a
            // query only (`union ((select 1))`), never a list (Jinja's `a|union((1,2))`). A
            // run of parentheses past the tokens looked at still counts.
            let mut next = 1;
            if matches!(t.get(1), Some(Tok::Kw(Kw::All | Kw::Distinct))) {
                next = 2;
            }
            let opened = t
                .iter()
                .skip(next)
                .take_while(|x| **x == Tok::LParen)
                .count();
            // `UNION ALL VALUES (NULL, CONCAT(…), …)` (sqlmap's unionvalues tamper): a row
            // of literals, nulls or calls, no word (`the union values (and protects) …`).
            // MySQL 8 writes `VALUES ROW(…)`. The first item is followed by a comma or the
            // row's end (`Union values (NULL handling) differ` is a heading).
            let values = opened == 0
                && union_values_words(&text[at..]).is_some_and(|words| {
                    let row = next + words;
                    t.get(next) == Some(&Tok::Word)
                        && t.get(row) == Some(&Tok::LParen)
                        && matches!(
                            t.get(row + 1),
                            Some(Tok::Num | Tok::Str | Tok::Var | Tok::Kw(Kw::Null | Kw::Func))
                        )
                        && matches!(t.get(row + 2), Some(Tok::Comma | Tok::RParen | Tok::LParen))
                });
            let hit = t.len() >= 2
                && t[0] == Tok::Kw(Kw::Union)
                && (t.get(next + opened) == Some(&Tok::Kw(Kw::Select))
                    || (opened > 0 && next + opened == LOOK)
                    || values);
            if hit
                && selects_something(&t)
                && !union_of_written_selects(&text[..at], &text[at..])
                && !code_span_words(text, at)
                && !query_in_code_span(text, at)
                && !query_in_fence(text, at)
            {
                return true;
            }
        }
        from = at + 5;
    }
    false
}

/// How many words name the row after `union` (and `all` or `distinct`): `values` (1) or
/// MySQL 8's `values row` (2); `None` when the words are other ones.
fn union_values_words(from_union: &str) -> Option<usize> {
    let mut words = from_union
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .skip(1);
    let mut w = words.next()?;
    if w.eq_ignore_ascii_case("all") || w.eq_ignore_ascii_case("distinct") {
        w = words.next()?;
    }
    if !w.eq_ignore_ascii_case("values") {
        return None;
    }
    Some(
        if words.next().is_some_and(|r| r.eq_ignore_ascii_case("row")) {
            2
        } else {
            1
        },
    )
}

/// A SMARTS substructure pattern (`[#6]=&!@[#6]-[#6]#[#7]`, a chemistry API's query):
/// two or more atoms given by atomic number in brackets, and nothing but the notation's
/// letters, digits and bond and logic symbols, without a quote or a space. libinjection
/// reads its `#` as a comment and its `&`, `!` as operators.
fn smarts(text: &str) -> bool {
    // The alphabet first: prose fails it at its first space.
    text.len() <= 512
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"[]()#=~&!@-+:;,.*$%/\\".contains(&b))
        && text.matches("[#").count() + text.matches("[!#").count() >= 2
}

/// The text before a `UNION` ends with a whole `SELECT …` (or a `VALUES` row list) written
/// out, at the value's start or after a word boundary, with nothing in it that leaves a
/// string or cuts the query (every literal it opens it closes; no `;`, comment, backslash or
/// unmatched parenthesis): a query shown in a question (`e.g. select a from x union select
/// a from y`), PostgreSQL's manual (`SELECT 1 AS "real" UNION SELECT CAST('2.2' AS REAL)`,
/// `VALUES (1)\nUNION ALL\nSELECT n+1 …`). An injected union follows the value it was placed
/// after (`1 union select`, `') union select`); no context runs a `SELECT` written after a
/// value without a breakout, and a breakout before the `SELECT` is outside what is read
/// here. Nor one that a quote opens (`query = "SELECT … FROM orders UNION ALL SELECT …"` in
/// code): read as a breakout, the host's string ends right before `SELECT`, which no
/// dialect takes after a string.
fn union_of_written_selects(before: &str, after: &str) -> bool {
    let lower = before.to_ascii_lowercase();
    let at = [b"select".as_slice(), b"values"]
        .iter()
        .filter_map(|w| rfind_word(lower.as_bytes(), w))
        .max();
    let Some(at) = at else {
        return false;
    };
    let starts = lower[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, ':' | ',' | '.' | '"' | '\''))
        || derived_table_of_shown_query(&lower[..at]);
    // In parentheses (`a IN (SELECT 1 UNION ALL SELECT 2)`, a CTE's `AS (VALUES(1) UNION
    // ALL …)`), the selects may be a subquery an injection put there.
    let opened = !starts && lower[..at].trim_end().ends_with('(');
    let left = &lower[at..];
    if !(starts || opened) || left.len() > 512 || left.contains("--") || left.contains("/*") {
        return false;
    }
    // Without a `FROM`, the left reads nothing, which is also what a probe's prefix reads
    // (`SELECT 1 UNION SELECT password FROM users`): the union is shown only when the
    // right side too reads nothing, or reads the recursive query being defined. So too
    // for a union in parentheses.
    if (opened || !has_word(left, "from")) && !union_reads_nothing(&lower, after) {
        return false;
    }
    // A query that a quote opens (`query!("SELECT …`) leaves the string at its first quote.
    if lower[..at].ends_with(['"', '\'']) && left.contains(['"', '\'', '`']) {
        return false;
    }
    balanced(left.as_bytes(), true, |b, i| match b[i] {
        b';' | b'#' | b'\\' => None,
        _ => Some(i),
    })
}

/// Every parenthesis and quote in `b` closed in order (`doubled`: a doubled quote stays in
/// the literal, else a backslash escapes; see [`closing_quote`]). `other(b, i)` judges each
/// other byte outside a literal: `None` fails the text, `Some(j)` goes on after `j`.
fn balanced(b: &[u8], doubled: bool, mut other: impl FnMut(&[u8], usize) -> Option<usize>) -> bool {
    let (mut depth, mut i) = (0i32, 0);
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            b'\'' | b'"' | b'`' => match closing_quote(b, i, doubled) {
                Some(close) => i = close,
                None => return false,
            },
            _ => match other(b, i) {
                Some(j) => i = j,
                None => return false,
            },
        }
        i += 1;
    }
    depth == 0
}

/// What extraction and obfuscation reach for, which a report has no use for (see
/// [`whole_query`]); with [`CATALOGS`].
const REACHES: [&str; 23] = [
    "0x",
    "chr(",
    "char(",
    "load_file",
    "outfile",
    "dumpfile",
    "\\",
    "version(",
    "current_",
    "session_user",
    "user(",
    "database(",
    "schema(",
    "dbms_",
    "utl_",
    "sys.",
    "information_schema",
    "pg_",
    "sqlite_",
    "mysql.",
    "xp_",
    "sleep(",
    "benchmark(",
];

/// The select after a `UNION` (`after` starts at it; up to a `;` or a blank line) reads no
/// table and reaches for nothing (`SELECT 1 UNION SELECT 2`, `… UNION SELECT CAST('2.2' AS
/// REAL)`), or its `FROM` names the recursive query that `before` (lower-cased) defines
/// (`WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM t …)`), which reads its
/// own rows, not a table's.
fn union_reads_nothing(before: &str, after: &str) -> bool {
    let right = after.get(5..).unwrap_or("");
    // To the statement's end: a `;`, or a blank line before the prose that follows.
    let end = [right.find(';'), right.find("\n\n")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(right.len())
        .min(512);
    let right = right.get(..end).unwrap_or(right).to_ascii_lowercase();
    if right.contains(['@', '#', '\\'])
        || right.contains("--")
        || right.contains("/*")
        || REACHES.iter().chain(&CATALOGS).any(|k| right.contains(k))
    {
        return false;
    }
    let Some(from) = find_word(right.as_bytes(), b"from") else {
        return true;
    };
    let table = right[from + 4..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([')', ',']);
    let Some(rec) = rfind_word(before.as_bytes(), b"recursive") else {
        return false;
    };
    let mut words = before[rec + 9..].split(|c: char| c.is_whitespace() || c == '(');
    let mut name = words.find(|w| !w.is_empty()).unwrap_or("");
    if name == "view" {
        name = words.find(|w| !w.is_empty()).unwrap_or("");
    }
    let name = name.rsplit('.').next().unwrap_or("");
    !name.is_empty() && table.rsplit('.').next() == Some(name)
}

/// Whether `word` (lower-case) stands in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    find_word(text.as_bytes(), word.as_bytes()).is_some()
}

/// Where the first `word` (lower-case) stands in `text` as a whole word.
fn find_word(text: &[u8], word: &[u8]) -> Option<usize> {
    (0..=text.len().checked_sub(word.len())?).find(|&i| word_at(text, word, i))
}

/// Where the last `word` (lower-case) stands in `text` as a whole word.
fn rfind_word(text: &[u8], word: &[u8]) -> Option<usize> {
    (0..=text.len().checked_sub(word.len())?)
        .rev()
        .find(|&i| word_at(text, word, i))
}

/// Does `word` stand at `i` of `text`, with no name's character on either side?
fn word_at(text: &[u8], word: &[u8], i: usize) -> bool {
    let ident = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    text[i..].starts_with(word)
        && !text.get(i + word.len()).is_some_and(ident)
        && !(i > 0 && ident(&text[i - 1]))
}

/// `before` (lower-cased) ends with `FROM (` of a query written from its line's first word,
/// with nothing before the parenthesis that leaves a string or cuts the query: the union
/// after it is a derived table of a query shown (`SELECT sql FROM (SELECT * FROM
/// sqlite_master UNION ALL …`, SQLite's reflection in SQLAlchemy's docs). An injected
/// subquery follows a value and an operator (`1 AND 1=(SELECT … UNION …`).
fn derived_table_of_shown_query(before: &str) -> bool {
    let Some(open) = before.strip_suffix('(') else {
        return false;
    };
    let Some(from) = open.trim_end().strip_suffix("from") else {
        return false;
    };
    let line = &from[from.rfind('\n').map_or(0, |i| i + 1)..];
    let statement = line.trim_start();
    statement.starts_with("select ")
        && !statement.contains(['\'', '"', '`', ';', '#', '(', ')'])
        && !statement.contains("--")
        && !statement.contains("/*")
}

impl Sqli {
    /// The detector, with its patterns compiled now rather than on the first request that
    /// needs them.
    pub fn new() -> Self {
        LazyLock::force(&APPENDED_COMPARISON);
        LazyLock::force(&APPENDED_ORDER);
        LazyLock::force(&APPENDED_CALL);
        LazyLock::force(&APPENDED_CARRIER);
        LazyLock::force(&APPENDED_BETWEEN);
        Sqli
    }

    /// `special`: the value holds a quote, an operator or a comment character (from the
    /// value's byte classes, computed once in normalization). `strict`: one of those other
    /// than a lone `-` or `/`, which (`SKU-1003`, `application/json`) carry nothing without a
    /// word; `--` is a comment and `/*` has its `*`.
    fn check(text: &str, special: bool, strict: bool) -> Option<(f32, &'static str)> {
        // Fast exit: an injection needs a quote, an operator, a comment or an SQL word. Plain
        // words, numbers and ordinary punctuation go no further.
        if !strict && !sql_words(text) {
            return None;
        }
        // A call opened and never given anything (`exec(`, a code search for where a program
        // runs commands): no dialect runs a statement cut off before its argument.
        if text.trim_end().strip_suffix('(').is_some_and(|w| {
            !w.trim_end().is_empty()
                && w.trim()
                    .bytes()
                    .all(|c| c.is_ascii_alphabetic() || c == b'_')
        }) {
            return None;
        }
        let phrase = quoted_keyword_phrase(text);
        if union_select(text) && !phrase && !whole_query(text) {
            return Some((0.95, "union select"));
        }
        if quote_operator_quote(text) {
            return Some((0.8, "empty strings joined by an operator"));
        }
        let bare_toks = tokenize(text, None, MAX_TOKENS);
        let bare = judge(&bare_toks, false)
            .or_else(|| blind_probe(&bare_toks))
            .or_else(|| cut_off_clause(text, &bare_toks))
            .filter(|&(_, why)| {
                !(why == LOGIC
                    && (field_formula(text) || template_expression(text))
                    && !compares_literals(text))
            });
        let quoted = |text: &str, q: u8| {
            if opening_quote_in_prose(text, q)
                || quote_opens_html_attribute(text, q)
                || jq_program(text, q)
            {
                return None;
            }
            let toks = tokenize(text, Some(q), MAX_TOKENS);
            judge(&toks, true)
                .or_else(|| blind_probe(&toks))
                .filter(|&(_, why)| {
                    !(why == STATEMENT
                        && (select_shell_argument(text, q) || query_in_code_string(text, q)))
                        && !(why == COMPARED && quoted_globs(text, q))
                        && !(why == CLOSED_PAREN && paren_then_tag(text))
                        && !(why == TRUNCATED
                            && (quoted_hash(text, q)
                                || quote_in_bracket_expression(text, q)
                                || comment_like_argument(text, q)
                                || measure_mark(text, q)))
                        && !(why == STATEMENT && phrase)
                        && !(matches!(why, STATEMENT | LOGIC | COMPARED | ORDERED)
                            && search_terms_quoted(text, q))
                        && !(q == b'\'' && (words_quoted(text) || mysql_error_echo(text)))
                })
        };
        let single = if text.contains('\'') {
            quoted(text, b'\'')
                .or_else(|| backslash_literal(text, b'\'').and_then(|t| quoted(&t, b'\'')))
        } else {
            None
        };
        let double = if text.contains('"') {
            quoted(text, b'"')
                .or_else(|| backslash_literal(text, b'"').and_then(|t| quoted(&t, b'"')))
        } else {
            None
        };
        // An identifier or a dollar-quoted string or a comment the value closes
        // (`` name` WHERE 1=1-- ``, `1]-(SELECT …`, `1$$ AND …`, `1*/ OR …/*`): read on from
        // the delimiter as from a closed string. A comment alone after it is no clause
        // (`SION]  [--limit=LIMIT]`, a usage line: T-SQL brackets the next name too).
        let delimited = delimited_breakout(text).and_then(|at| {
            let toks = tokenize(&text[at..], Some(text.as_bytes()[at]), MAX_TOKENS);
            judge(&toks, true)
                .or_else(|| blind_probe(&toks))
                .filter(|&(_, why)| why != TRUNCATED)
        });
        let ours = [bare, single, double, delimited]
            .into_iter()
            .flatten()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .or_else(|| nested_probe(text))
            .or_else(|| xpath_breakout(text))
            .or_else(|| catalog_probe(text))
            .or_else(|| delayed_select(text))
            .or_else(|| appended_probe(text))
            .filter(|&(_, why)| {
                !(matches!(why, STATEMENT | "stacked statement") && reporting_procedures(text))
            });
        if ours.is_some()
            || phrase
            || !special
            || !libinjection_worth(text)
            || code_statement(text)
            || handler_statements(text)
            || call_then_words(text)
            || boolean_search(text)
            || template_expression(text)
            || membership_test(text)
            || mysql_error_echo(text)
            || jq_program(text, b'\'')
            || jq_program(text, b'"')
            || binary(text)
            || whole_query(text)
            || query_in_code_string(text, b'"')
            || query_in_code_string(text, b'\'')
            || quoted_query_in_prose(text, '\'')
            || quoted_query_in_prose(text, '"')
            || smarts(text)
            || us_privacy_string(text)
            || prose_before_comment(text)
            || segment_wildcard_path(text)
            || spreadsheet_formula(text)
            || man_references(text)
            || jmespath_literals(text)
            || jsonata_expression(text)
            || strings_file(text)
            || brand_list(text)
            || markup_with_attributes(text)
            || reporting_procedures(text)
        {
            return ours;
        }
        // Second opinion: libinjection's fingerprints (through libinjectionrs, checked against
        // the C library by `tools/libinjection-diff.sh`). It knows thousands of injection
        // shapes our structural rules do not spell out; alone it is a little less certain.
        let found = libinjectionrs::detect_sqli(text.as_bytes());
        let fingerprint = found.fingerprint.as_ref().map_or("", |f| f.as_str());
        (found.is_injection()
            && !weak_fingerprint(fingerprint, text)
            && !crate::code_statement_line(text)
            && !placeholders_explain(text)
            && !spans_explain(text))
        .then_some((LIBINJECTION_CONFIDENCE, LIBINJECTION))
    }
}

/// `text` as SQL's standard strings read it, where a backslash is an ordinary character
/// (SQLite, PostgreSQL, SQL Server, Oracle; MySQL only under `NO_BACKSLASH_ESCAPES`): a
/// backslash before a `q` does not keep it inside the string
/// (`admin@juice-sh.op\' or 1=1--`; also what `addslashes` turns `\'` into). The copy
/// drops those backslashes; `None` when no `q` has one before it. Judged beside MySQL's
/// reading, never instead: `x\\' or 1=1` breaks out there.
fn backslash_literal(text: &str, q: u8) -> Option<String> {
    let pair = [b'\\', q];
    let b = text.as_bytes();
    if !b.windows(2).any(|w| w == pair) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    for (i, &c) in b.iter().enumerate() {
        if !(c == b'\\' && b.get(i + 1) == Some(&q)) {
            out.push(c);
        }
    }
    // Only ASCII backslashes were taken out: still UTF-8.
    String::from_utf8(out).ok()
}

/// A message with Python's named placeholders (`Delete selected %(verbose_name_plural)s`,
/// `Added "%(object)s".`, a gettext catalogue's entries sent to a translation platform) that
/// libinjection no longer flags once each placeholder is a plain word: its `%` is no modulo
/// and its parentheses no call. Cold: only values libinjection flagged get here.
#[cold]
fn placeholders_explain(text: &str) -> bool {
    if !text.contains("%(") {
        return false;
    }
    let b = text.as_bytes();
    let mut plain = Vec::with_capacity(b.len());
    let (mut i, mut any) = (0, false);
    while i < b.len() {
        let named = b[i] == b'%' && b.get(i + 1) == Some(&b'(');
        // A name inside (`%(select 1)s` is no placeholder).
        let len = if named {
            placeholder_len(&b[i..])
        } else {
            None
        }
        .filter(|_| {
            b[i + 2..]
                .iter()
                .take_while(|&&c| c != b')')
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        });
        match len {
            Some(len) => {
                plain.push(b'x');
                any = true;
                i += len;
            }
            None => {
                plain.push(b[i]);
                i += 1;
            }
        }
    }
    any && !libinjectionrs::detect_sqli(&plain).is_injection()
}

/// A sentence that shows code in Markdown code spans or HTML `<code>`/`<pre>` elements
/// (`` Here is what I ran: `cursor.execute("UPDATE accounts SET … = %s", (amount, uid))` ``):
/// every backtick pairs with another on its line, three prose words stand outside the
/// spans, and libinjection's fingerprint of the whole is its reading across them: each span
/// judged alone gets no verdict, and the sentence with each span a plain word no
/// fingerprint. A span that is an injection (`` try `' or 1=1--` ``) is judged so alone.
/// Cold: only values libinjection flagged get here.
#[cold]
fn spans_explain(text: &str) -> bool {
    if !text.contains(['`', '<']) {
        return false;
    }
    // (outer start, outer end, inner start, inner end) of each span.
    let Some(ticked) = crate::paired_code_spans(text) else {
        return false;
    };
    let mut spans: Vec<_> = ticked.iter().map(|&(i, j)| (i - 1, j + 1, i, j)).collect();
    if text.contains("</") {
        for (a, b) in crate::html_code_elements(text) {
            let element = &text[a..b];
            let (Some(open), Some(close)) = (element.find('>'), element.rfind("</")) else {
                continue;
            };
            if open < close && !spans.iter().any(|&(x, y, _, _)| x < b && a < y) {
                spans.push((a, b, a + open + 1, a + close));
            }
        }
        spans.sort_unstable();
    }
    let outer: Vec<(usize, usize)> = spans.iter().map(|&(a, b, _, _)| (a, b)).collect();
    if spans.is_empty() || crate::words_outside(text, &outer) < 3 {
        return false;
    }
    let mut plain = String::with_capacity(text.len());
    let mut last = 0;
    for &(a, b, i, j) in &spans {
        if a < last {
            return false;
        }
        let inner = &text[i..j];
        if judge_text(inner, ByteClasses::of(inner)).is_some() {
            return false;
        }
        plain.push_str(&text[last..a]);
        plain.push('x');
        last = b;
    }
    plain.push_str(&text[last..]);
    !libinjectionrs::detect_sqli(plain.as_bytes()).is_injection()
}

/// System catalogs and server variables: what reconnaissance reads to learn the server,
/// its users and its tables.
const CATALOGS: [&str; 27] = [
    "@@version",
    "@@servername",
    "@@microsoftversion",
    "@@hostname",
    "@@datadir",
    "sysibm.",
    "syscat.",
    "pg_shadow",
    "pg_authid",
    "pg_user",
    "pg_group",
    "pg_roles",
    "mysql.user",
    "sys.sql_logins",
    "master..",
    "sysusers",
    "syslogins",
    "sysobjects",
    "syscolumns",
    "sysdatabases",
    "sysservers",
    "sqlite_master",
    "all_users",
    "all_tables",
    "dba_users",
    "v$version",
    "v$instance",
];

/// A whole value that is a `SELECT` reading a system catalog or a server variable (`select
/// @@version`, `select * from sysibm.systables`, `select * from pg_shadow;`), and nothing
/// but the statement: no sentence around it. A report's query shown in a ticket reads the
/// application's tables; a value that asks the server who it is, is a probe.
#[cold]
fn catalog_probe(text: &str) -> Option<(f32, &'static str)> {
    let t = text.trim();
    let t = operand_ended(t).filter(|r| r.len() >= 6).unwrap_or(t);
    if t.len() > 300 || !t.get(..6).is_some_and(|w| w.eq_ignore_ascii_case("select")) {
        return None;
    }
    let t = t.trim_end_matches([';', ' ']).to_ascii_lowercase();
    // One statement: no line break, no sentence after a `;`, and no sentence around it
    // (`select @@version in SSMS to see the build, then reply`).
    if t.contains(['\n', ';']) || non_sql_words(&t) >= 4 {
        return None;
    }
    let named = CATALOGS.iter().any(|c| {
        t.match_indices(c).any(|(at, _)| {
            !t.as_bytes()[..at]
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
    });
    named.then_some((0.85, "statement reads a system catalog"))
}

/// Words of a lower-cased statement that are prose: three or more letters and no SQL word
/// (`users`, `returns`, `nothing`). A query names a table or two; a sentence has four.
fn non_sql_words(lower: &str) -> usize {
    lower
        .split_whitespace()
        .filter(|w| {
            w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()) && keyword(w).is_none()
        })
        .count()
}

/// The probes sqlmap and its kin append to a parameter's own value when that value is
/// words (`leave at door AND 7316=1543`, `… ) AND 4337=8339 AND (9486=9486`, `… ORDER BY
/// 1-- OoQy`, `… AND 5119=BENCHMARK(1000000,MD5(0x4962…))`, `… AND 7530=('qjqzq'||(SELECT
/// CASE …))`). The words stand where a number or a name was expected, so the tokenizer
/// reads no operand first; the probe is still the attacker's. A sentence joins no
/// comparison of two numbers on at its end: the pair must be a tautology (`2=2`) or two
/// numbers of three digits or more, or the rest cut off by a comment (`-- BnyF`: a dash in
/// a sentence has words after it); a delay is called on a number alone, a subquery
/// compared with one or holding it (`AND 1575 IN (SELECT …`), sqlmap's `BETWEEN` for `=`
/// (`AND 5971 BETWEEN 2182 AND 2182`: a range of one number), MySQL's error-based
/// `EXTRACTVALUE(7376,…)` and `UPDATEXML(…)`.
static APPENDED_COMPARISON: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\s)](?:and|or|xor|having)\s+\(*(\d{1,10})\s*(?:=|<>|!=)\s*(\d{1,10})\)*(?:\s+(?:and|or)\s+\(+(\d{1,10})=(\d{1,10}))?\s*((?:--|#)\s?[a-z0-9]{0,8})?\s*$",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});
static APPENDED_ORDER: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"(?i)[\s)]order\s+by\s+\d{1,5}\s*(?:--|#)\s?[a-z0-9]{0,8}\s*$")
        .unwrap_or_else(|e| unreachable!("{e}"))
});
static APPENDED_CALL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\s),](?:and|or|xor|having|rlike)\s+(?:\d{1,10}\s*(?:=|\s+in)\s*(?:\(\s*)*(?:'[^']{0,20}'\s*\|\|\s*)?(?:\(\s*)*select\s|(?:\d{1,10}\s*=\s*)?(?:(?:sleep|pg_sleep|dbms_lock\.sleep)\s*\(\s*\d{1,3}(?:\.\d+)?\s*\)|benchmark\s*\(\s*\d{4,12}\s*,|dbms_pipe\.receive_message\s*\(|randomblob\s*\(\s*\d|(?:extractvalue|updatexml)\s*\(\s*\d))",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

static APPENDED_BETWEEN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\s)](?:and|or)\s+\(*\d{1,10}\s+(?:not\s+)?between\s+(\d{1,10})\s+and\s+(\d{1,10})",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Probes no sentence holds anywhere: MySQL's `PROCEDURE ANALYSE(` (an error-based probe's
/// carrier), an Oracle block that sleeps on a condition, and SQLite's heavy query
/// (`LIKE(CHAR(65,…),UPPER(HEX(RANDOMBLOB(100000000/2))))`).
static APPENDED_CARRIER: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)[\s),]procedure\s+analyse\s*\(|\bthen\s+dbms_lock\.sleep\s*\(\s*\d|\bhex\s*\(\s*randomblob\s*\(\s*\d",
    )
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// A probe appended to words the value carried (see [`APPENDED_COMPARISON`]), or a
/// statement stacked after them with the rest cut off. A User-Agent or Referer is never a
/// sentence, and [`appended_clause`] takes a clause at any word there; a field may hold
/// prose, so here the probe has to end the value in sqlmap's shape.
#[cold]
fn appended_probe(text: &str) -> Option<(f32, &'static str)> {
    if text.len() > 4096 {
        return None;
    }
    // A statement stacked after the words, the rest cut off (`Great little mug;SELECT
    // COUNT(*) FROM GENERATE_SERIES(1,1000000)--`): what `judge` finds after one word,
    // read from the `;` on.
    let stacked = text.match_indices(';').take(4).any(|(at, _)| {
        let toks = tokenize(&text[at..], None, MAX_TOKENS);
        toks.len() < MAX_TOKENS
            && toks.last() == Some(&Tok::Comment)
            && toks.first() == Some(&Tok::Semi)
            && statement(&toks[1..], false)
    });
    if stacked {
        return Some((0.9, "stacked statement, rest cut off"));
    }
    // Each of the other probes holds a number.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let compared = APPENDED_COMPARISON.captures(text).is_some_and(|c| {
        let pair = |a: usize, b: usize| {
            let (Some(l), Some(r)) = (c.get(a), c.get(b)) else {
                return true;
            };
            let (l, r) = (l.as_str(), r.as_str());
            l == r || (l.len() >= 3 && r.len() >= 3)
        };
        (c.get(5).is_some() || pair(1, 2)) && pair(3, 4)
    });
    (compared
        || APPENDED_ORDER.is_match(text)
        || APPENDED_CALL.is_match(text)
        || APPENDED_CARRIER.is_match(text)
        || APPENDED_BETWEEN
            .captures_iter(text)
            .any(|c| c.get(1).map(|m| m.as_str()) == c.get(2).map(|m| m.as_str())))
    .then_some((0.85, "probe appended to the value"))
}

/// A whole value that is a `SELECT` calling a delay with a number (`select * from users
/// where id=1 and sleep(5)`, `select case when substring(col,1,1)='1' then pg_sleep(5) else
/// pg_sleep(0) end from t limit 1`, `… benchmark(5000000,md5(1))`): a timing probe. No
/// report or console query waits on purpose, and code that sleeps (`time.sleep(5)`) does
/// not start with `select`. Past the token window, so read in the text.
#[cold]
fn delayed_select(text: &str) -> Option<(f32, &'static str)> {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    if !crate::starts_with_word(t, "select") || t.len() > 4096 {
        return None;
    }
    // The statement's own paragraph, without a sentence in it (`SELECT * FROM users WHERE
    // id = 1 returns nothing\n\nsleep(5) between retries` is a note about two things).
    let t = t.split("\n\n").next().unwrap_or(t).to_ascii_lowercase();
    if non_sql_words(&t) >= 4 {
        return None;
    }
    ["sleep(", "benchmark("]
        .iter()
        .any(|call| {
            t.match_indices(call).any(|(at, _)| {
                let called = !t.as_bytes()[..at]
                    .last()
                    .is_some_and(u8::is_ascii_alphanumeric);
                let number = t[at + call.len()..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit());
                called && number
            })
        })
        .then_some((0.85, "statement calls a delay"))
}

/// Where the value closes something other than a string right after the operand it
/// supplies: a backticked (MySQL) or bracketed (T-SQL) identifier in a sort or column
/// parameter, a dollar-quoted string (PostgreSQL), a comment; or a string after a
/// backslash that escapes nothing there. The operand is one plain
/// word or number (the original value a scanner keeps, `1`, `name`), so a sentence or a
/// Markdown span (`` Run `npm test` ``) never reads so. Returns where a tokenizer started
/// inside a string quoted by the byte there would find its closing quote.
fn delimited_breakout(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let operand = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-')))?;
    if operand == 0 || operand > 64 {
        return None;
    }
    match (b[operand], b.get(operand + 1)) {
        (b'`' | b']', _) => Some(operand),
        (b'$', Some(b'$')) | (b'*', Some(b'/')) => Some(operand + 1),
        // `1\' AND 1=1`: where a backslash escapes nothing (PostgreSQL's standard strings,
        // SQL Server, SQLite) the quote after it still closes the string.
        (b'\\', Some(b'\'' | b'"')) => Some(operand + 1),
        _ => None,
    }
}

/// A search for a quoted SQL phrase (`"drop table" error mysql`, `'select * from' users`,
/// `site:stackoverflow.com "select * from" join -mysql`, `"order by" vs "group by" sql`):
/// plain words or a search operator may come before the first quote, the phrase is SQL
/// keywords only and ends on one that needs an object (`FROM`, `INTO`, `TABLE`, `SELECT`,
/// `BY`), and words without quotes, comments, `;` or `=` follow (another quoted phrase
/// among them). Broken out of, the phrase's object is the string the phrase's closing quote
/// opens (`DROP TABLE ' error mysql'`), which no database accepts (and `UNION SELECT '
/// meaning'` selects a constant). A phrase with its object (`"drop table users"`) is not
/// this.
fn quoted_keyword_phrase(text: &str) -> bool {
    let Some(open) = text.find(['"', '\'']) else {
        return false;
    };
    let before = &text[..open];
    if !before
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | ':' | '.' | '_' | '-'))
        || crate::has(before, "--")
        || !(before.is_empty() || before.ends_with(' '))
    {
        return false;
    }
    let q = char::from(text.as_bytes()[open]);
    let t = &text[open..];
    let Some(close) = t[1..].find(q).map(|c| c + 1) else {
        return false;
    };
    let (content, rest) = (&t[1..close], &t[close + 1..]);
    // Further phrases in double quotes (`vs "group by" sql`), each closed on a word.
    let rest_quotes = rest.matches('"').count();
    let phrases = q == '"' && rest_quotes % 2 == 0 && !rest.contains('\'');
    if (rest.contains(['"', '\'']) && !phrases)
        || rest.contains([';', '=', '#', '`'])
        || crate::has(rest, "--")
        || crate::has(rest, "/*")
        || content.contains([';', '-', '#', '/', '(', '`'])
    {
        return false;
    }
    let toks = tokenize(content, None, 6);
    toks.len() >= 2
        && toks.len() < 6
        && toks.iter().all(|t| matches!(t, Tok::Kw(_) | Tok::Op))
        && matches!(
            toks.last(),
            Some(Tok::Kw(
                Kw::From | Kw::Into | Kw::Table | Kw::Select | Kw::By
            ))
        )
}

/// A spreadsheet formula asked about in a comment (`IF(A1>10, "High", "Low")`,
/// `=SUM(B2:B10)/COUNT(B2:B10)`): an upper-case function opens it, a cell reference (`A1`,
/// `$B$2`) is among its operands, and it has no SQL word, no single quote and no comment or
/// statement mark. libinjection reads MySQL's `IF(…)` in it; a cell is no column a probe
/// reads, and an injection's function (`SLEEP(`, `database()`) is a SQL word.
fn spreadsheet_formula(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix('=').unwrap_or(t);
    let name = t.bytes().take_while(u8::is_ascii_uppercase).count();
    let cell = |w: &str| {
        let w = w.trim_start_matches('$');
        let letters = w.bytes().take_while(u8::is_ascii_uppercase).count();
        let rest = w[letters..].trim_start_matches('$');
        (1..=3).contains(&letters)
            && !rest.is_empty()
            && rest.len() <= 7
            && rest.bytes().all(|c| c.is_ascii_digit())
    };
    name >= 2
        && t[name..].starts_with('(')
        && t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '$'))
            .any(cell)
        && !t.contains(['\'', ';', '#', '@'])
        && !t.contains("--")
        && !t.contains("/*")
        && !sql_words(t)
        && !t
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .any(|w| {
                // The tokenizer's delays and catalogue names (`SLEEP`, `WAITFOR`,
                // `RANDOMBLOB`, `SCHEMA`). Its functions are mostly a spreadsheet's too
                // (`IF`, `MID`, `CONCAT`), so only those that read the server are named.
                matches!(keyword(w), Some(Tok::Kw(Kw::Delay | Kw::Table)))
                    || [
                        "database",
                        "user",
                        "version",
                        "current_user",
                        "system_user",
                        "session_user",
                        "load_file",
                        "extractvalue",
                        "updatexml",
                        "db_name",
                        "user_name",
                    ]
                    .iter()
                    .any(|f| w.eq_ignore_ascii_case(f))
            })
}

/// A path whose segments a `*` stands for (`/properties/Rules/*/Outcomes/*/Arn`, a JSON
/// pointer in a resource schema; `logs/*/error.log`): each `/*/` reads as a comment opened
/// and closed around the next segment. Path characters only, no SQL word, and no `/**/`,
/// the comment an injection puts for a space.
fn segment_wildcard_path(text: &str) -> bool {
    text.contains("/*/")
        && !text.contains("/**")
        && !text.contains("**/")
        && text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'*' | b'.' | b'_' | b'-'))
        && !sql_words(text)
        && !text
            .split(['/', '*'])
            .any(|segment| matches!(keyword(segment), Some(Tok::Logic | Tok::CmpWord | Tok::Cmp)))
}

/// The finding of a closed string followed by a comparison and what ends the query.
const COMPARED: &str = "comparison injected after string";

/// The finding of a condition after a `)` the value closes.
const CLOSED_PAREN: &str = "condition after closing the value's parenthesis";

/// A `)` followed (past a full stop, comma or spaces) by a plain HTML tag (`(we're open
/// 24/7).<br>`, `…releases)</li>`): the tag's `<` and `>` read as two comparisons around
/// its name. Rich text closes sentences with a tag after a parenthesis all the time.
fn paren_then_tag(text: &str) -> bool {
    text.match_indices(')').any(|(at, _)| {
        let rest = text[at + 1..].trim_start_matches(['.', ',', ';', ':', ' ']);
        let Some(tag) = rest.strip_prefix('<') else {
            return false;
        };
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = tag.bytes().take_while(u8::is_ascii_alphanumeric).count();
        name > 0
            && tag.as_bytes()[0].is_ascii_alphabetic()
            && tag[name..].trim_start_matches([' ', '/']).starts_with('>')
    })
}

/// Every `/*` in the value lies in a quoted file glob (`- '!src/**'`, `paths: ['!docs/**']`,
/// serverless's and GitHub Actions' negated patterns): the `!` reads as SQL's not and the
/// glob's `**` as a comment, but a glob is path characters only, with no blank, and
/// nothing outside the globs speaks SQL but a filter's conditions on fields. `'!x/**' or
/// 1=1` goes on counting. A web framework's wildcard route is one too (`"/src/*filepath"`
/// in gin, `'/static/*'`, `"/files/:dir/*filepath"`, a log search's `url.path : "/api/*"`):
/// a path that opens with `/`, and no SQL word in it.
fn quoted_globs(text: &str, q: u8) -> bool {
    let b = text.as_bytes();
    let mut outside = String::with_capacity(text.len());
    let (mut i, mut globs) = (0, 0);
    while i < b.len() {
        if b[i] == q {
            let Some(close) = closing_quote(b, i, false) else {
                return false;
            };
            let inner = &text[i + 1..close];
            let route = inner.starts_with('/') && inner.contains("/*") && !sql_words(inner);
            let glob = (inner.contains("**") || route)
                && inner.bytes().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, b'.' | b'_' | b'-' | b'/' | b'*' | b'!')
                        // A route's named parameter (`/files/:dir/*filepath`).
                        || (route && c == b':')
                });
            if glob {
                globs += 1;
            } else {
                outside.push_str(&text[i..=close]);
            }
            i = close + 1;
        } else {
            let next = memchr::memchr(q, &b[i..]).map_or(b.len(), |n| i + n);
            outside.push_str(&text[i..next]);
            i = next;
        }
    }
    // Outside the globs, SQL's words only in a filter on fields (Kibana's `status >= 500 and
    // url.path : "/api/*"`): no comment, no `;`, and no literal compared with a literal.
    let filter_outside =
        || !compares_literals(text) && !outside.contains([';', '#']) && !outside.contains("--");
    globs > 0 && !outside.contains("/*") && (!sql_words(&outside) || filter_outside())
}

/// The finding of a closed string followed by a comment that cuts the query off.
const TRUNCATED: &str = "comment truncates the query";
const LIBINJECTION: &str = "libinjection fingerprint";

/// The value's last line quotes a string that starts with `#` or `--`, and the comment the
/// breakout reads is that string: `$ref: '#/definitions/Tag'` (every JSON Schema and
/// OpenAPI document in YAML), `color: '#ff0000'`, `channel: "#general"`, a MIME header's
/// `boundary="--961284236552522269"`. The comment then holds the closing quote, right at the line's end, and nothing else of its kind;
/// `admin'#` and `admin'-- ` end with the comment.
fn quoted_hash(text: &str, q: u8) -> bool {
    let b = text.as_bytes();
    let Some(open) = memchr::memchr(q, b) else {
        return false;
    };
    let rest = &text[open + 1..];
    let line = rest.split('\n').next().unwrap_or(rest).trim_end();
    // A command-line option or a `#:` marker quoted mid-sentence (`use option
    // "--delete-secret-keys" to delete it`, `Als '--from-file' of '--to-file'`, `do not
    // write '#: filename:line' lines`): the string closes on its line, right after the
    // option's name or the marker's words, and words come before it. An option may carry
    // its value or a placeholder for it (`"--config=prod.yaml"`, `'--port 8080'`, `"--maxsize
    // N"`, `'--block-signal[=SIG]'`), as a usage line writes it.
    // The quote that closes the string on its line; the first character may be any (the
    // line may also be empty).
    let first_len = line.chars().next().map_or(0, char::len_utf8);
    let close = (first_len > 0)
        .then(|| line[first_len..].find(char::from(q)).map(|c| c + first_len))
        .flatten();
    let quoted = close.map_or("", |c| &line[..c]);
    let option_name = quoted
        .strip_prefix("--")
        .filter(|o| o.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|o| {
            let name = o
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(o.len());
            let value = &o[name..];
            let usage = value.is_empty()
                || (value.len() <= 40
                    && value.starts_with(['=', ' ', '['])
                    && value.split(' ').count() <= 3
                    && value
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || b" =[]<>._/:,@+-".contains(&c)));
            if usage {
                name
            } else {
                0
            }
        })
        .unwrap_or(0);
    let option = option_name > 0;
    // A preprocessor line quoted whole (`"#include <assert.h>"`, `'#ifndef debug'`, `"#if
    // !HAVE_STRUCT_X"`): a directive's name, a blank, its argument.
    const DIRECTIVES: &[&str] = &[
        "define", "elif", "else", "endif", "error", "if", "ifdef", "ifndef", "include", "pragma",
        "undef", "warning",
    ];
    let directive = quoted.strip_prefix('#').is_some_and(|d| {
        d.split_once(' ')
            .is_some_and(|(name, arg)| DIRECTIVES.contains(&name) && !arg.trim().is_empty())
    });
    // The end-of-options marker or a preprocessor directive, quoted (`The "--" is
    // necessary to avoid confusion`, `removed some unused "#include " lines`).
    let bare = line
        .strip_prefix("--")
        .is_some_and(|o| o.as_bytes().first() == Some(&q))
        || line.strip_prefix('#').is_some_and(|d| {
            // `'#'` alone, or a directive's name and at most one space.
            // `'#'` alone, `'# '` (a root prompt), or a name and at most one space
            // (`"#value_indexed" directive`).
            let name = d
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            let after = d[name..].strip_prefix(' ');
            after.unwrap_or(&d[name..]).as_bytes().first() == Some(&q)
        });
    let marker = line.strip_prefix("#:").is_some_and(|m| {
        m.find(char::from(q)).is_some_and(|e| {
            m[..e]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b" :._-".contains(&c))
        })
    });
    // A login's value is one word before its breakout (`admin '--x' and more`, still a
    // truncation in SQL Server and Postgres); a sentence has more: two words before, or a
    // word before and one after an option, a directive or the marker alone (`use
    // "--verbose" to see more`; the comment an injection writes is throwaway).
    let words_before = text[..open].split_whitespace().count();
    // After the closing quote (one byte: `q` is ASCII).
    let words_after = || {
        close.map_or(0, |c| {
            rest[c + 1..]
                .split_whitespace()
                .filter(|w| w.bytes().any(|c| c.is_ascii_alphabetic()))
                .count()
        })
    };
    // Quoted in prose, the string opens after a space; a breakout's quote ends a word.
    let bare = bare && text[..open].ends_with([' ', '`']);
    let worded = (option && option_name >= 3) || directive;
    // A quoted option may also open the value, a sentence after it (`"--with-bfd-assembler"
    // option. Currently, …`, a changelog's line); the marker alone needs a word before it
    // too (`prepend '--' to filelist`).
    let sentence_before = words_before >= 2
        || ((worded || bare) && words_before >= 1 && words_after() >= 1)
        || (worded && words_before == 0 && words_after() >= 2);
    if (option || bare || marker || directive) && sentence_before {
        return true;
    }
    let comment = line.strip_prefix('#').or_else(|| line.strip_prefix("--"));
    let Some(inner) = comment.and_then(|l| l.strip_suffix(char::from(q))) else {
        return false;
    };
    // `admin'-- x'`, `admin'# x'`: a comment's space, then words.
    !inner.is_empty()
        && !inner.starts_with(char::is_whitespace)
        && !inner.contains(char::from(q))
        && rest[line.len()..].trim().is_empty()
}

/// The quote that would break out is a measure's mark, feet or inches after a number in a
/// product's or a part's description (`Cable 10' -- USB-C`, `Table 'Oak' 72" -- seats 8`,
/// `Pipe 3/4" x 10' -- schedule 40`): words before the number, a word right after the
/// dashes. A breakout's number opens the value (`1' -- `) or ends a word (`user1'--`), and
/// what it comments out is the host query's rest.
fn measure_mark(text: &str, q: u8) -> bool {
    let Some(at) = memchr::memchr(q, text.as_bytes()) else {
        return false;
    };
    let before = &text[..at];
    let Some(space) = before.rfind(' ') else {
        return false;
    };
    let number = &before[space + 1..];
    let measure = number.starts_with(|c: char| c.is_ascii_digit())
        && number
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b'/');
    measure
        && crate::xss::prose_words(&before[..space]) >= 1
        && text[at + 1..]
            .strip_prefix(" -- ")
            .is_some_and(|rest| rest.starts_with(char::is_alphanumeric))
}

/// The quote that would break out opens a call's string argument that starts like a comment:
/// XML Schema's partial dates (`xs:gMonthDay("--07-02")`, `xs:gDay("---30")`), a
/// spreadsheet's number format (`=TEXT(1.23, "#,##0.00")`, `=TEXT(A1;"#.##0,00")` where the
/// locale separates with `;`, `=TEXT(B2, "#""°F""")` with doubled quotes), or a formula's
/// string joined with `&` (`=A1&"#"`, `="#"&A1`). The quote comes right after the call's `(`,
/// an argument separator, or, in a formula (`=` first), an operator; it closes on its line,
/// and a `)`, a separator, `&` or the value's end follows it. A breakout's quote ends the
/// value's word (`admin'--`), and what it comments out is never an argument list's rest.
fn comment_like_argument(text: &str, q: u8) -> bool {
    let b = text.as_bytes();
    let Some(open) = memchr::memchr(q, b) else {
        return false;
    };
    let formula = text.trim_start().starts_with('=');
    let before = b[..open].iter().rev().find(|c| **c != b' ');
    let argument = matches!(before, Some(b'(' | b',' | b';')) && b[..open].contains(&b'(');
    let operand = formula && matches!(before, Some(b'(' | b',' | b';' | b'&' | b'='));
    if !(argument || operand) {
        return false;
    }
    // A formula's string doubles its quote; elsewhere the first quote closes it.
    let Some(close) = closing_quote(b, open, formula).filter(|&c| !b[open..c].contains(&b'\n'))
    else {
        return false;
    };
    match b[close + 1..].iter().find(|c| **c != b' ') {
        Some(b')' | b',' | b';') => true,
        Some(b'&') | None => formula,
        _ => false,
    }
}

/// The quote that would break out sits in a regular expression's bracket expression, the
/// characters a field allows or refuses (`Pattern: [-_&@+=,(){}|'"#a-zA-Z0-9\s]*` in an API
/// reference, `"pattern": "^[^'\"#]+$"` in a schema): one run of text without spaces holds
/// a `[` before it and a `]` after it. A breakout ends the host's string at a word's end
/// (`admin'#`), with no bracket around it.
fn quote_in_bracket_expression(text: &str, q: u8) -> bool {
    let Some(at) = memchr::memchr(q, text.as_bytes()) else {
        return false;
    };
    // Bytes, not characters: ASCII whitespace ends the run (a no-break space is inside it).
    let b = text.as_bytes();
    let start = b[..at]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |w| w + 1);
    let end = b[at..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(b.len(), |w| at + w);
    b[start..at].contains(&b'[') && b[at + 1..end].contains(&b']')
}

/// A blind probe deeper in the value than the token window reaches: sqlmap's error-based
/// payloads wrap it in calls and strings (`AND ERROR(CONCAT('q',(SELECT (CASE WHEN
/// (4821=4821) THEN '1' …`, `RAISE_ERROR('70001','q'||(SELECT (CASE WHEN …`). Each
/// `(select` or `(case` (the first four) is judged as a value of its own, by the probe
/// shapes only, which a parenthesis in prose (`(select one)`) never has.
fn nested_probe(text: &str) -> Option<(f32, &'static str)> {
    if !text.contains('(') {
        return None;
    }
    let b = text.as_bytes();
    (1..b.len())
        .filter(|&i| b[i] == b'(')
        .filter(|&i| {
            let rest = &b[i + 1..];
            [&b"select"[..], b"case"]
                .iter()
                .any(|w| rest.len() > w.len() && rest[..w.len()].eq_ignore_ascii_case(w))
        })
        .take(4)
        .find_map(|i| blind_probe(&tokenize(&text[i..], None, MAX_TOKENS)))
}

/// Does the quote at `at` close the string the value was put in? An odd one of its kind
/// does; an even one closes the value's own (`//book[@lang='en']`, `'yes' and …`).
fn closes_value_string(text: &str, at: usize) -> bool {
    let q = text.as_bytes()[at];
    text.as_bytes()[..=at].iter().filter(|&&b| b == q).count() % 2 == 1
}

/// XPath injection, the same string breakout aimed at an XML query: a union of node sets
/// after a closed predicate (`']|//*|//*['`, `')] | //user/*[contains(*,'`), or a logic
/// word and an XPath function after a closed string (`' or name()='username' or '`,
/// `' and string-length(name(/*[1]))=4 and '`).
fn xpath_breakout(text: &str) -> Option<(f32, &'static str)> {
    if !text.contains(['\'', '"']) {
        return None;
    }
    let union = text.match_indices('|').any(|(at, _)| {
        let before = text[..at].trim_end();
        let after = text[at + 1..].trim_start();
        let closes = before.strip_suffix(']').is_some_and(|b| {
            let b = b.trim_end_matches(')').trim_end();
            b.ends_with(['\'', '"']) && closes_value_string(b, b.len() - 1)
        });
        closes && after.starts_with('/')
    });
    if union {
        return Some((0.85, "XPath union after a closed predicate"));
    }
    const FUNCTIONS: [&str; 9] = [
        "name(",
        "count(",
        "string-length(",
        "substring(",
        "contains(",
        "doc(",
        "local-name(",
        "position(",
        "text(",
    ];
    // Every function call needs `(`: most quoted text has none, and no lower-cased copy.
    if !text.contains('(') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let function = ["' or ", "' and ", "\" or ", "\" and "].iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let next = lower[at + w.len()..].trim_start();
            closes_value_string(&lower, at) && FUNCTIONS.iter().any(|f| next.starts_with(f))
        })
    });
    function.then_some((0.85, "XPath function after a closed string"))
}

/// A whole value that is a clause or a statement ending in a comment that cuts off the
/// rest of the host query: `having 1=1--`, `group by userid having 1=1--`, `where 1=1#`,
/// `select * from information_schema.tables--`. A query shown to a reader ends with its
/// last clause (or a `;`); one that ends by commenting out what would follow was written
/// to be spliced into another.
fn cut_off_clause(text: &str, toks: &[Tok]) -> Option<(f32, &'static str)> {
    // `as injectx where 1=1 and 1=1`: an alias for the host's table, then the clause.
    let toks = match toks {
        [Tok::Kw(Kw::As), Tok::Word, rest @ ..]
            if matches!(rest.first(), Some(Tok::Kw(Kw::Having | Kw::Where))) =>
        {
            rest
        }
        _ => toks,
    };
    // `having 4821=4821`: two numbers compared, as the whole value: a probe with or
    // without a comment after it.
    if let [Tok::Kw(Kw::Having | Kw::Where), Tok::Num, Tok::Cmp, Tok::Num, rest @ ..] = toks {
        if matches!(rest, [] | [Tok::Comment] | [Tok::Logic, ..]) {
            return Some((0.85, "clause injected"));
        }
    }
    // The database server reading a system file into a table: `load data infile
    // '/etc/passwd' into table t`, Postgres's `copy t from '/etc/passwd'`. A CSV import
    // (`copy orders from '/tmp/orders.csv'`) names no system file.
    // A quoted path: a quote and a separator first (one pass each over the bytes).
    let b = text.as_bytes();
    if memchr::memchr2(b'\'', b'"', b).is_some()
        && memchr::memchr2(b'/', b'\\', b).is_some()
        && file_into_table(text)
    {
        return Some((0.9, "system file read into a table"));
    }
    // The tables that hold the server's password hashes, selected from as the whole value
    // (`select * from pg_shadow;`): no comment needed.
    if toks.first() == Some(&Tok::Kw(Kw::Select))
        && [
            &b"pg_shadow"[..],
            b"pg_authid",
            b"mysql.user",
            b"sys.sql_logins",
            b"sysxlogins",
            b"dba_users",
        ]
        .iter()
        .any(|c| find_ci(text.as_bytes(), c).is_some())
    {
        return Some((0.85, "password table read"));
    }
    if toks.len() >= MAX_TOKENS || toks.last() != Some(&Tok::Comment) {
        return None;
    }
    // The comment says nothing (`--`, `-- -`, `#`, `/*`): `-- every table` explains a query.
    let t = text.trim_end();
    let at = [t.rfind("--"), t.rfind('#'), t.rfind("/*")]
        .into_iter()
        .flatten()
        .max();
    if !at.is_some_and(|a| t.len() - a <= 4 && !t[a..].bytes().any(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    // A symbolic comparison with a literal on one side (`1=1`, `x = 1`): "where Bob is
    // happy --" compares nothing.
    let literal = |t: Tok| matches!(t, Tok::Num | Tok::Str);
    let condition = |t: &[Tok]| {
        t.len() >= 3
            && is_operand(t[0])
            && t[0] != Tok::LParen
            && t[1] == Tok::Cmp
            && is_operand(t[2])
            && (literal(t[0]) || literal(t[2]))
    };
    let clause = match toks {
        [Tok::Kw(Kw::Having | Kw::Where), rest @ ..] => condition(rest),
        [Tok::Kw(Kw::Group), Tok::Kw(Kw::By), Tok::Word | Tok::Num, Tok::Kw(Kw::Having), rest @ ..] => {
            condition(rest)
        }
        // `order by 31337--`: counting the host query's columns.
        [Tok::Kw(Kw::Order), Tok::Kw(Kw::By), Tok::Num, Tok::Comment] => true,
        _ => false,
    };
    if clause {
        return Some((0.85, "clause injected, rest cut off"));
    }
    let catalog = toks.first() == Some(&Tok::Kw(Kw::Select))
        && statement(toks, false)
        && [
            &b"information_schema"[..],
            b"sysobjects",
            b"syscolumns",
            b"pg_catalog",
            b"sqlite_master",
            b"mysql.user",
        ]
        .iter()
        .any(|c| find_ci(text.as_bytes(), c).is_some());
    catalog.then_some((0.85, "system catalog read, rest cut off"))
}

/// `infile '…'` or `copy <table> from '…'` naming a system file.
fn file_into_table(text: &str) -> bool {
    let b = text.as_bytes();
    let quoted_after = |at: usize| {
        let rest = text[at..].trim_start();
        rest.strip_prefix(['\'', '"']).is_some_and(|path| {
            let end = path.find(['\'', '"']).unwrap_or(path.len());
            crate::lfi::names_sensitive_file(&path[..end])
        })
    };
    if let Some(at) = find_ci(b, b"infile") {
        if quoted_after(at + 6) {
            return true;
        }
    }
    let Some(at) = find_ci(b, b"copy ") else {
        return false;
    };
    let rest = &text[at + 5..];
    let table = rest.trim_start();
    let name = table
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'"'))
        .count();
    let after = table[name..].trim_start();
    name > 0
        && after.len() >= 4
        && after.as_bytes()[..4].eq_ignore_ascii_case(b"from")
        && quoted_after(text.len() - after.len() + 4)
}

/// Program code pasted into a field (a snippet in a comment, a gist, a code review):
/// `__slots__ = ('int', 'is_safe')`, `print('***', msg)`, `return int(x) / int(y)`,
/// `"""day (1-31)"""`, `if (a < b) { return … }`. libinjection reads these as fingerprints (`no(s)`, `sos`, `sf(1)`);
/// none of the 2,925 corpus attacks only it detects (libinjection, HttpParams) has these
/// shapes. Our own rules still judge the value.
fn code_statement(text: &str) -> bool {
    if text.contains("self.") || text.contains("\"\"\"") || text.contains("'''") {
        return true;
    }
    let assignment = {
        let t = text.trim_start();
        let name = t
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
            .count();
        name > 0
            && !t.as_bytes()[0].is_ascii_digit()
            && t[name..].starts_with(" = ")
            && !t[name..].starts_with(" == ")
    };
    // A C-family block: `if (a < b) { return a <= c ? 'x' : "y"; }`.
    let block = text.contains('{')
        && text.contains('}')
        && (text.contains("if (") || text.contains("return ") || text.contains(") =>"));
    assignment
        || block
        || text.lines().any(|l| {
            let l = l.trim_start();
            ["print(", "return ", "def ", "yield "]
                .iter()
                .any(|k| l.starts_with(k))
        })
}

/// Inline event-handler code, as session-replay and DOM-capture tools (rrweb, Hotjar,
/// FullStory), page builders and analytics tags send attribute values:
/// `this.onerror=null;this.src='/img/fallback.png'`, `el.value=null;el.focus()`. libinjection
/// reads `nov;n`, a comparison then a stacked statement; but what follows each `;` here is a
/// member assignment or a call, and no SQL dialect starts a statement with a name (T-SQL
/// sets variables with `SET @x =`, MySQL with `SET`, PL/pgSQL's `:=` lives inside a block).
/// Every statement must have that shape, named by no SQL keyword, one of them a member
/// path (`a.b`), and every value is a single literal, name or argument list of those, so a
/// value that smuggles a clause after its literal (`this.src='x' or 1=1--`) or runs
/// dynamic SQL (`a.b=1;exec('…')`) is no handler. Our own rules still judge the value.
fn handler_statements(text: &str) -> bool {
    fn path_len(s: &str) -> usize {
        s.bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
            .count()
    }
    // A literal, a name or member path, or nothing (a call's empty argument list).
    fn simple(v: &str) -> bool {
        let v = v.trim();
        if let Some(q @ ('\'' | '"')) = v.chars().next() {
            return v.len() >= 2 && v.ends_with(q) && !v[1..v.len() - 1].contains(q);
        }
        path_len(v) == v.len() && !v.starts_with('.')
    }
    let t = text.trim().trim_end_matches([';', ' ']);
    if t.len() > 512 || !t.contains(';') {
        return false;
    }
    let mut member = false;
    let all = split_unquoted(t, b';').all(|s| {
        let s = s.trim();
        if s == "return false" || s == "return true" {
            return true;
        }
        let n = path_len(s);
        let (target, rest) = s.split_at(n);
        // A keyword (`exec('…')`, `select=1`) is SQL's own word, not a script's name.
        if n == 0
            || target.starts_with(|c: char| c == '.' || c.is_ascii_digit())
            || target.ends_with('.')
            || is_keyword(target)
        {
            return false;
        }
        let rest = rest.trim_start();
        member |= target.contains('.');
        if let Some(value) = rest.strip_prefix('=') {
            !value.starts_with('=') && simple(value)
        } else if let Some(args) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            split_unquoted(args, b',').all(simple)
        } else {
            false
        }
    });
    all && member
}

/// `t` split at each `sep` outside `'…'` and `"…"` strings: a handler's statements
/// (`this.src='data:image/gif;base64,…'` is one) or a call's arguments.
fn split_unquoted(t: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(t);
    std::iter::from_fn(move || {
        let s = rest?;
        let mut quote = None;
        for (i, &c) in s.as_bytes().iter().enumerate() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == b'\'' || c == b'"' => quote = Some(c),
                None if c == sep => {
                    rest = Some(&s[i + 1..]);
                    return Some(&s[..i]);
                }
                None => {}
            }
        }
        rest = None;
        Some(s)
    })
}

/// A saved query's title before it (`/* top customers */ SELECT …`, `-- daily revenue` on
/// its own line): comments of words, which a report opens with and an injection has no
/// use for before its first keyword. MySQL's executable comments (`/*!50000select*/`)
/// and empty ones (`/**/select`) are kept.
fn query_remarks_skipped(mut t: &str) -> &str {
    loop {
        let (remark, rest) = if let Some(r) = t.strip_prefix("/*") {
            match r.split_once("*/") {
                Some((inner, rest)) if !inner.starts_with('!') => (inner, rest),
                _ => return t,
            }
        } else if let Some(r) = t.strip_prefix("-- ") {
            match r.split_once('\n') {
                Some(split) => split,
                None => return t,
            }
        } else {
            return t;
        };
        if crate::xss::prose_words(remark) < 1 {
            return t;
        }
        t = rest.trim_start();
    }
}

/// A whole, closed query as the value: it starts with `SELECT` or `WITH name AS (` (after
/// a title, see [`query_remarks_skipped`]), every
/// quote and parenthesis it opens it closes, and it has no comment and no second statement
/// (a `;` only at its end). What a SQL console, a BI tool or a saved report sends
/// (`SELECT 1 FROM a JOIN b USING (x, y, z)`); an injection starts inside the host's query
/// (`1 or …`, `' union …`) or cuts it off. Our rules still judge it (`union select`, a
/// delay, a catalog); libinjection's fingerprints, made for fragments, are not asked.
fn whole_query(text: &str) -> bool {
    let t = query_remarks_skipped(text.trim());
    let t = log_header_skipped(t);
    if t.len() > 8192 {
        return false;
    }
    let with = crate::starts_with_word(t, "with")
        && find_ci(t.get(..64).unwrap_or(t).as_bytes(), b" as (").is_some();
    if !(crate::starts_with_word(t, "select") || with) {
        return false;
    }
    let body = t.trim_end_matches([';', ' ', '\n']);
    if body.contains(';') || body.contains("--") || body.contains("/*") || body.contains('#') {
        return false;
    }
    // What extraction and obfuscation reach for, which a report has no use for: variables
    // and server variables (`@version`, `@@datadir`), hex literals, characters built one by
    // one (`CHR(116) || CHR(97)`), files, escapes (`1FROM[table]WHERE\1=\1`), the
    // server's own facts and catalogs (`version()`, `current_setting(…)`, `RDB$DATABASE`,
    // `DBMS_JAVA.RUNJAVA`), delays.
    let lower = body.to_ascii_lowercase();
    // `@` and `$` are judged where they stand, below: a parameter is no reach.
    let reaches = REACHES.iter().chain(&CATALOGS).any(|k| lower.contains(k));
    // And it is finished: a query cut off after `where` (`select sin(1),2 from bar where`)
    // waits for the host query's rest.
    let last = lower
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    let dangling = matches!(
        last,
        "where"
            | "and"
            | "or"
            | "not"
            | "from"
            | "by"
            | "select"
            | "on"
            | "join"
            | "having"
            | "in"
            | "like"
            | "union"
            | "limit"
            | "set"
            | "as"
            | "when"
            | "then"
            | "else"
    );
    if reaches || dangling {
        return false;
    }
    balanced(body.as_bytes(), false, |b, i| match b[i] {
        // Outside a literal, a statement's parameter (T-SQL's `@__email_0`, Dapper's
        // `@Email`, PostgreSQL's `$1`) after `=`, a comparison, `(` or `,` is no reach;
        // a server variable (`@@version`), a variable selected (`select @version`) or
        // assigned (`@a:=…`), and dollar quoting (`$$…$$`) are.
        b'@' => {
            let name = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let assigned = body[i + 1 + name..].trim_start().starts_with(":=");
            // A parameter stands where a condition or a list wants a value.
            let operand = body[..i].trim_end().ends_with(['=', '<', '>', '(', ',']);
            let named = name > 0 && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_');
            (named && !assigned && operand).then_some(i + name)
        }
        b'$' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => None,
        _ => Some(i),
    })
}

/// Words that join or end a condition or a statement: no log header has them.
const CLAUSE_WORDS: [&str; 30] = [
    "union", "select", "and", "or", "not", "xor", "where", "having", "from", "exec", "execute",
    "declare", "into", "values", "like", "rlike", "regexp", "in", "is", "between", "by", "order",
    "group", "limit", "offset", "case", "when", "then", "else", "waitfor",
];

/// The header an ORM's or a driver's log line puts before the query it ran: GORM's
/// `[0.833ms] [rows:1] `, `Hibernate: `, `prisma:query `, Sequelize's `Executing
/// (default): `, Rails' `User Load (0.4ms) `. The header is words, numbers, brackets and
/// colons only (no quote, operator, comment, `;`, `::` or clause word) with a letter, and
/// has a `:` or a duration (`0.4ms`, `(0.002)`): an injection's text before a query (`1 `,
/// `1) `, `x' `) has neither. Numbers alone (Django's `(0.002) `) are not enough: T-SQL
/// runs `(0.002) SELECT …` as the batch's next statement. `text` from the query's
/// `SELECT` or `WITH` on, or `text` unchanged.
fn log_header_skipped(text: &str) -> &str {
    let head = &text.as_bytes()[..text.len().min(96)];
    let Some(at) = (1..head.len()).find(|&i| {
        matches!(head[i - 1], b' ' | b'\t' | b'\n')
            && (crate::starts_with_word(&text[i..], "select")
                || crate::starts_with_word(&text[i..], "with"))
    }) else {
        return text;
    };
    let header = &text[..at];
    let plain = header.bytes().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b' ' | b'\t' | b'\n' | b'[' | b']' | b'(' | b')' | b':' | b'.' | b'_'
            )
    });
    // Words only: no clause or operator (`1::REAL union select …` is a cast and a union).
    let lettered = header.bytes().any(|c| c.is_ascii_alphabetic())
        && !header.contains("::")
        && !header
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| CLAUSE_WORDS.iter().any(|k| w.eq_ignore_ascii_case(k)));
    let duration = header.as_bytes().windows(3).any(|w| {
        w[0].is_ascii_digit() && (w[1..] == *b"ms" || w[1..] == *b"s)" || w[1..] == *b"s]")
    }) || header.contains("(0.");
    if plain && lettered && (header.contains(':') || duration) {
        &text[at..]
    } else {
        text
    }
}

/// A search engine's boolean query (Lucene, Elasticsearch's `query_string`, a library
/// catalogue): words joined by upper-case `AND`, `OR`, `NOT`, grouped in parentheses —
/// `(tokio OR async-std) AND NOT deprecated`. libinjection reads the groups and operators
/// as a condition. Every word has a letter, nothing compares, quotes or comments, and a
/// group holds an operator: a tautology needs a number, a literal or an operator
/// (`1) OR (1=1`, `x') OR ('a'='a`), or is a condition of plain columns (`(id) OR (id)`).
/// A word may end in Lucene's fuzzy or boost suffix (`(foo OR bar~2 OR baz^2) AND NOT spam`).
fn boolean_search(text: &str) -> bool {
    let mut operators = 0;
    for w in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        match w {
            "" => {}
            "AND" | "OR" | "NOT" => operators += 1,
            _ => {
                // Lucene's fuzzy, proximity and boost suffixes (`bar~2`, `baz^2`, `qux~`).
                let w = w
                    .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .strip_suffix(['~', '^'])
                    .unwrap_or(w);
                let word = w.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*' | b':')
                }) && w.bytes().any(|b| b.is_ascii_alphabetic())
                    && !w.contains("--")
                    && keyword(w).is_none();
                if !word {
                    return false;
                }
            }
        }
    }
    // A group holds an operator (`(tokio OR async-std)`): grouping single words
    // (`(id) OR (id)`, a whole condition in a numeric context) searches nothing.
    let grouped = text.split('(').skip(1).any(|g| {
        g.split(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "NOT"))
    });
    operators > 0 && grouped
}

/// A JMESPath expression's literals (`length(PasswordData) > \`0\``, an AWS waiter's or a
/// CLI `--query`'s): every backtick span holds a JSON literal (a number, `true`, `false`,
/// `null`, a string, an empty array or object). MySQL would read a column named `0`; no
/// injection compares with one.
fn jmespath_literals(text: &str) -> bool {
    let ticks = text.bytes().filter(|&b| b == b'`').count();
    // An odd backtick leaves a span unclosed: no expression.
    ticks > 0
        && ticks.is_multiple_of(2)
        && text.split('`').skip(1).step_by(2).all(|inner| {
            let t = inner.trim();
            matches!(t, "true" | "false" | "null" | "[]" | "{}")
                || (!t.is_empty()
                    && t.bytes()
                        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.')))
                || (t.len() >= 2
                    && t.starts_with('"')
                    && t.ends_with('"')
                    && !t[1..t.len() - 1].contains(['"', '\'']))
        })
}

/// A JSONata expression (`$join(["arn:aws:iam::", Principal])`, `$split(KeyId, '/')[-1]`,
/// CloudFormation's property transforms, Node-RED's change nodes): it starts with one of
/// JSONata's functions and its call, and holds no SQL comment or `;`. SQL has no `$name(`
/// (PostgreSQL's `$1` is a parameter, `$tag$` a quote). Our own rules still judge it.
fn jsonata_expression(text: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with('$') {
        return false;
    }
    let name = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '$'))
        .unwrap_or(t.len());
    crate::JSONATA_FUNCTIONS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(&t[..name]))
        && t[name..].starts_with('(')
        && !t.contains("--")
        && !t.contains('#')
        && !t.contains("/*")
        && !t.contains(';')
}

/// Apple's `.strings` localization entries (`"button.delete" = "Delete selected items?";`,
/// an iOS app's `Localizable.strings` uploaded to a translation platform): every line is a
/// `"key" = "value";` pair whose strings close, a `//` comment, a `/* … */` comment (not
/// MySQL's executable `/*!`) or blank. libinjection reads `"a" = "b"` as the tautology of
/// two strings; outside the strings there is nothing but `=`, `;` and comments, so no
/// logic word joins a condition and no statement is named.
fn strings_file(text: &str) -> bool {
    let t = text.trim();
    if !t.starts_with(['"', '/']) || !t.ends_with([';', '/']) {
        return false;
    }
    let b = t.as_bytes();
    let (mut i, mut entries) = (0usize, 0usize);
    let blanks = |i: usize| {
        i + b[i..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count()
    };
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            if b.get(i + 2) == Some(&b'!') {
                return false;
            }
            let Some(end) = memchr::memmem::find(&b[i + 2..], b"*/") else {
                return false;
            };
            i = blanks(i + 2 + end + 2);
            continue;
        }
        if b[i..].starts_with(b"//") {
            i = blanks(i + memchr::memchr(b'\n', &b[i..]).unwrap_or(b.len() - i));
            continue;
        }
        // `"key"`, blanks, `=`, blanks, `"value"`, blanks, `;`.
        let Some(key_end) = (b[i] == b'"').then(|| closing_quote(b, i, false)).flatten() else {
            return false;
        };
        // A key names a message: it has a letter (`"1"="1"` names nothing).
        let j = blanks(key_end + 1);
        if b.get(j) != Some(&b'=') || !b[i..key_end].iter().any(u8::is_ascii_alphabetic) {
            return false;
        }
        let j = blanks(j + 1);
        let Some(value_end) = (b.get(j) == Some(&b'"'))
            .then(|| closing_quote(b, j, false))
            .flatten()
        else {
            return false;
        };
        let j = blanks(value_end + 1);
        if b.get(j) != Some(&b';') {
            return false;
        }
        entries += 1;
        i = blanks(j + 1);
    }
    entries > 0
}

/// A man page's list of references (`openssl-version(1), openssl-x509(1),`, a SEE ALSO
/// section quoted): two or more names, each with its section in parentheses (a digit, then
/// letters: `1ssl`, `3pm`), joined by commas. A name starts with a letter, so `1-version(1)`
/// stays an expression, and names no delay function.
fn man_references(text: &str) -> bool {
    let refs = text.trim().trim_end_matches([',', '.']).split(',');
    let mut n = 0;
    for r in refs {
        let r = r.trim();
        let Some((name, section)) = r.strip_suffix(')').and_then(|r| r.split_once('(')) else {
            return false;
        };
        let name_ok = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'+')
            });
        let section_ok = section.starts_with(|c: char| c.is_ascii_digit())
            && section.bytes().all(|b| b.is_ascii_alphanumeric());
        // No page is named for a delay (`x-sleep(5), y-sleep(5)` in a VALUES list).
        let delay = name
            .split(['-', '_', '.', ':', '+'])
            .any(|part| keyword(part) == Some(Tok::Kw(Kw::Delay)));
        if !name_ok || !section_ok || delay {
            return false;
        }
        n += 1;
    }
    n >= 2
}

/// A call in a sentence: plain words before it, if any, and words only after it, more of
/// them prose than SQL (`sleep(5) between retries`, `char(10) in my CSV breaks import`,
/// `We sleep(5) between retries, is that ok?`, `Call data.encode("latin-1") but show a
/// better error message`): libinjection sees a function and an operator in its five-token
/// window; the words around it make no SQL. A payload's tail is
/// a comment, an operator, a number or a keyword (`sleep(5)#`, `sleep(5) and true`), and
/// what leads up to a call in one is a quote, a number or an operator (`1 and sleep(5)`),
/// which keeps it. Words of one or two letters that SQL does not know (`ok`, `to`, `we`)
/// count for neither side.
fn call_then_words(text: &str) -> bool {
    let t = text.trim();
    let Some(open) = t.find('(') else {
        return false;
    };
    let before = &t[..open];
    // The name may be a method on a receiver (`data.encode(…)`, `os.path.join(…)`).
    let name_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if name_start == open || !before[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let mut prose = 0usize;
    let mut sql = 0usize;
    // Before the call: nothing, or plain words that are no SQL (`We`, `Try adding`), or
    // `Call`: CALL takes no alias, so words after its call are no SQL; after SELECT one word
    // is an alias (`select pg_sleep(5) now` runs).
    let lead = &before[..name_start];
    if !lead.is_empty() {
        if !lead.ends_with(' ') {
            return false;
        }
        let plain = lead.split_ascii_whitespace().all(|w| {
            w.chars().all(char::is_alphabetic)
                && (keyword(w).is_none() || w.eq_ignore_ascii_case("call"))
        });
        if !plain {
            return false;
        }
    }
    let Some(close) = t[open..].find(')').map(|c| open + c) else {
        return false;
    };
    let tail = t[close + 1..].trim_end_matches(['.', '!', '?']);
    // `sleep(5) between retries`, `char(10) in my CSV`, then anything: BETWEEN takes `low
    // AND high`, IN a list in parentheses (SQLite's `IN table` takes one name, not two),
    // and a statement that does not parse runs nothing (the call included).
    let mut words = tail.split_ascii_whitespace();
    let alphabetic = |w: &str| w.bytes().all(|b| b.is_ascii_alphabetic());
    let (first, second, third) = (words.next(), words.next(), words.next());
    let broken = match first {
        Some(w) if w.eq_ignore_ascii_case("between") => {
            second.is_some_and(alphabetic) && third.is_none_or(|w| !w.eq_ignore_ascii_case("and"))
        }
        Some(w) if w.eq_ignore_ascii_case("in") => {
            second.is_some_and(alphabetic)
                && third.is_some_and(|w| alphabetic(w) && keyword(w).is_none())
        }
        _ => false,
    };
    if broken {
        return true;
    }
    for w in tail.split_ascii_whitespace() {
        // A man page's hyphenation at a line's end (`sys‐`) is part of a word.
        let w = w.trim_end_matches([',', '.', ':', '\u{2010}']);
        // A name with a version or a number in it (`POSIX.1`, `HTTP/2`, `x509`): neither
        // prose nor SQL. A number alone is a payload's tail (`sleep(5) 1`).
        let versioned = w.bytes().any(|b| b.is_ascii_alphabetic())
            && w.bytes().any(|b| b.is_ascii_digit())
            && w.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-'));
        if versioned {
            continue;
        }
        if w.is_empty() || !w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'\'') {
            return false;
        }
        if keyword(w).is_some() {
            sql += 1;
        } else if w.len() >= 3 {
            prose += 1;
        }
    }
    prose >= 1 && prose >= sql
}

/// Markup whose first `q` opens a tag's attribute value (`<a href="#section-2">`): the
/// quote follows `=` inside a tag, so it opens a value; it closes no string of a query.
/// What follows the value's closing quote must be markup too (another attribute, `>` or
/// `/>`): `<a href='x' or 1=1#` keeps its breakout.
fn quote_opens_html_attribute(text: &str, q: u8) -> bool {
    let Some(at) = text.bytes().position(|c| c == q) else {
        return false;
    };
    let before = text[..at].trim_end();
    let Some(lt) = before.rfind('<') else {
        return false;
    };
    let tag = &before[lt + 1..];
    let after_value = text[at + 1..]
        .find(q as char)
        .map(|close| text[at + 1 + close + 1..].trim_start());
    let markup_follows = after_value.is_some_and(|rest| {
        let name = rest
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
            .count();
        rest.starts_with('>')
            || rest.starts_with("/>")
            || (name > 0 && rest[name..].trim_start().starts_with('='))
    });
    markup_follows
        && before.ends_with('=')
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && !tag.contains('>')
        && tag[..tag.len() - 1]
            .trim_end()
            .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
}

/// A tag opens the value and its first `"` opens an attribute's value, with no `'` anywhere
/// (Thymeleaf's `<a th:href="@{/orders/{id}(id=${order.id})}">view</a>`, a template's
/// markup): libinjection's reading from inside a double-quoted string (`svo(n`) starts in
/// the tag, which closes no string of a query.
fn markup_with_attributes(text: &str) -> bool {
    let b = text.as_bytes();
    b.first() == Some(&b'<')
        && b.get(1).is_some_and(u8::is_ascii_alphabetic)
        && !text.contains('\'')
        && quote_opens_html_attribute(text, b'"')
}

/// The whole value a single quote, one operator and a single quote (`'-'`, `'&'`, `'*'`):
/// it closes the host string empty and opens another, `'' - ''`, which MySQL compares as 0
/// and so matches every row (login bypass lists carry these). Double quotes are left out:
/// a search for `"*"` quotes a literal.
fn quote_operator_quote(text: &str) -> bool {
    let b = text.trim().as_bytes();
    b.len() == 3 && b[0] == b'\'' && b[2] == b'\'' && b"-&^*|+ ".contains(&b[1])
}

const STATEMENT: &str = "statement injected";

/// A string literal holding JSON, used as Postgres or MySQL JSON: cast with `::json`/
/// `::jsonb`, or the left side of a JSON operator (`@>`, `<@`, `?`, `?|`, `?&`, `#>`, `#>>`,
/// `#-`, `->`, `->>`), after a logic word (`OR '{"b":2}'::jsonb <@ '{"a":1}'::jsonb`,
/// `or '[1,2]' ? '1'`), or cast as the whole value's start (`'{"a":[1]}'::json #>> '{a,0}'`).
/// A JSON literal compared with another literal is a condition built to hold (CRS 942550);
/// no field of a form or an API holds one. JSON quoted in prose or a shell line is left
/// alone: `curl -d '{"a":1}' -H …` and `echo '[1]' | jq` have no logic word before the
/// literal, no cast and no JSON operator after it.
fn json_literal_operator(text: &str) -> bool {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\'', &b[from..]).map(|p| from + p) {
        from = at + 1;
        if !matches!(b.get(at + 1), Some(b'{' | b'[')) {
            continue;
        }
        let Some(end) = memchr::memchr(b'\'', &b[at + 1..]).map(|p| at + 1 + p) else {
            return false;
        };
        let before = text[..at].trim_end();
        let after = text[end + 1..].trim_start();
        let cast = after.len() >= 6 && after.as_bytes()[..6].eq_ignore_ascii_case(b"::json");
        let compared = if cast {
            operand_follows(after[6..].trim_start_matches(['b', 'B']), &ANY_OPERATOR)
        } else {
            operand_follows(after, &JSON_OPERATORS)
        };
        if compared && (before.is_empty() && cast || after_logic_word(before)) {
            return true;
        }
        from = end + 1;
    }
    false
}

/// Postgres's JSON operators, longest first.
const JSON_OPERATORS: [&str; 10] = ["@>", "<@", "?|", "?&", "#>>", "#>", "#-", "->>", "->", "?"];
/// After a `::json` cast, any comparison too (`'{"b":2}'::jsonb < '{"a":1}'::jsonb`).
const ANY_OPERATOR: [&str; 18] = [
    "@>", "<@", "?|", "?&", "#>>", "#>", "#-", "->>", "->", "?", "<=", ">=", "<>", "!=", "<", ">",
    "=", "@",
];

/// Does `text` start (after spaces) with one of `ops` and then an operand: a literal, a
/// number or an `array[…]`? An arrow in a sentence (`'{"a":1}' -> rejected`) has a word.
fn operand_follows(text: &str, ops: &[&str]) -> bool {
    let text = text.trim_start();
    ops.iter().any(|op| {
        text.strip_prefix(op).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with(['\'', '"'])
                || rest.starts_with(|c: char| c.is_ascii_digit())
                || rest
                    .get(..6)
                    .is_some_and(|w| w.eq_ignore_ascii_case("array["))
        })
    })
}

/// Does `before` (trimmed) end with `or`, `and`, `||` or `&&` as a word of its own?
fn after_logic_word(before: &str) -> bool {
    if before.ends_with("||") || before.ends_with("&&") {
        return true;
    }
    let b = before.as_bytes();
    ["or", "and"].iter().any(|w| {
        b.len() >= w.len()
            && b[b.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
            && (b.len() == w.len() || !b[b.len() - w.len() - 1].is_ascii_alphanumeric())
    })
}

/// The first quote opens a jq program on a command line: `jq '.[] | select(.id == 1)'`,
/// `curl -s $URL | jq -r 'join(", ")'`, `yq '.spec.replicas'`. The quote follows the
/// command's name or its options and a blank, the program holds no quote of its kind (a
/// shell's single quotes cannot), and after it the line ends, pipes or redirects on, or names
/// files. An injection's quote ends a word (`jq' or 1=1--`), and what follows the program
/// here is no SQL: no quote, `=`, or comment.
fn jq_program(text: &str, q: u8) -> bool {
    let Some(at) = memchr::memchr(q, text.as_bytes()) else {
        return false;
    };
    if !text[..at].ends_with(' ') {
        return false;
    }
    // The command is the last word before the quote that is not an option.
    let command = text[..at]
        .split_whitespace()
        .rev()
        .find(|w| !w.starts_with('-'));
    if !command.is_some_and(|c| matches!(c, "jq" | "yq" | "gojq" | "jaq")) {
        return false;
    }
    let Some(len) = text[at + 1..].find(char::from(q)) else {
        return false;
    };
    let rest = &text[at + 1 + len + 1..];
    let line = rest.split('\n').next().unwrap_or(rest);
    (line.is_empty() || line.starts_with([' ', '\t', '`']))
        && !line.contains(['\'', '"', '=', '#', ';'])
        && !crate::has(line, "--")
        && !crate::has(line, "/*")
}

/// The first quote opens a command-line option's argument that is a plain statement: `psql
/// -U postgres -c 'select 1'`, `sqlite3 app.db --cmd "select name from users"`, a
/// migration's `psql "$DATABASE_URL" -c 'ALTER TABLE users ADD COLUMN …'`. A command, an
/// option, then a quoted query or DDL/DML statement that closes before the value's end,
/// whitespace, a tag or a backtick, uses nothing that waits, reads or writes files, runs
/// procedures or unions, and stacks nothing after its `;`; after it, to the line's end, no
/// `;`, quote or comment that would take in the host query's closing quote: a command line
/// shown (a DevOps ticket, a runbook, an infrastructure plan). Only the "statement
/// injected" verdict is excused: a logic operator or a comment after the quote (`a -c ' or
/// 1=1 -- '`) is still a string broken out of.
fn select_shell_argument(text: &str, q: u8) -> bool {
    let Some(at) = text.bytes().position(|c| c == q) else {
        return false;
    };
    // The command line starts the value, a Markdown code span in a sentence, or an HTML
    // element (`<code>`, `<pre>`).
    let head = text[..at]
        .rsplit_once(['`', '>'])
        .map_or(&text[..at], |(_, h)| h);
    let mut words = head.split_whitespace().rev();
    let option = words.next().is_some_and(|w| {
        let name = w.strip_prefix("--").or_else(|| w.strip_prefix('-'));
        name.is_some_and(|n| {
            !n.is_empty() && n.bytes().all(|c| c.is_ascii_alphabetic() || c == b'-')
        })
    });
    let command = words.next_back().is_some_and(|w| {
        w.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._-`".contains(&c))
    });
    let closes = text[at + 1..].find(q as char).is_some_and(|close| {
        let after = &text[at + 1 + close + 1..];
        after.starts_with("</")
            || after
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '`')
    });
    let rest = &text[at + 1..];
    let close = rest.find(q as char);
    let arg = close.map_or(rest, |c| &rest[..c]);
    let after = close.map_or("", |c| &rest[c + 1..]);
    // Functions that report on the database (`pg_size_pretty(pg_database_size('app'))`,
    // `count(*)`, `version()`) are what such a line asks; not a delay, a file or network
    // read or write, a procedure or a union with another table. One `;` may end the
    // statement.
    let lower = arg.to_ascii_lowercase();
    let plain = ![
        "sleep",
        "benchmark",
        "waitfor",
        "delay",
        "load_file",
        "outfile",
        "dumpfile",
        "utl_",
        "dbms_",
        "xp_",
        "exec",
        "union",
        "extractvalue",
        "updatexml",
        "lo_",
        "copy",
        "pg_read",
        "http",
        "program",
    ]
    .iter()
    .any(|w| lower.contains(w));
    // A query or a migration's statement (`psql "$DATABASE_URL" -c 'ALTER TABLE users ADD
    // COLUMN …'`), the keyword first.
    let keyword = lower.split_whitespace().next().unwrap_or("");
    let statement = matches!(
        keyword,
        "select"
            | "with"
            | "alter"
            | "create"
            | "insert"
            | "update"
            | "delete"
            | "drop"
            | "truncate"
            | "explain"
            | "analyze"
            | "vacuum"
            | "show"
            | "grant"
    ) && lower.len() > keyword.len();
    // After the argument the host's own closing quote follows: SQL reads it as a string
    // left open unless a quote or a comment takes it in. The command line ends at its
    // line's end, a tag or a backtick (other code may follow in the document).
    let line = after.find(['\n', '<', '`']).map_or(after, |e| &after[..e]);
    let selects = statement
        && plain
        && !arg.trim_end().trim_end_matches(';').contains(';')
        && !arg.contains("--")
        && !arg.contains("/*")
        && !line.contains("--")
        && !line.contains("/*")
        && !line.contains([';', '#', '\'', '"']);
    option && command && closes && selects && text[..at].ends_with(' ')
}

/// The IAB's US Privacy (CCPA) string: a version `1` and three flags, each `Y`, `N` or `-`
/// (`1YNN`, and `1---` where the law does not apply). Ad-supported sites keep it in the
/// `usprivacy` cookie and pass it on as `us_privacy=1---`; libinjection reads the dashes
/// as a comment after a number. `1--` and longer runs (`1----`) still count.
fn us_privacy_string(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 4 && b[0] == b'1' && b[1..].iter().all(|c| matches!(c, b'Y' | b'N' | b'-'))
}

/// Every backtick in a sentence pairs with another on its line into a Markdown code span
/// that names code (`` `Builder::create_file()` is deprecated; use `create_with(x)` instead
/// ``): no quote, `#`, `;`, `--` or `/*` inside a span. libinjection reads the backticks as
/// MySQL's identifier quotes and `; use` as a stacked statement; the sentence without its
/// spans is what [`libinjection_worth`] weighs.
fn inert_code_spans(text: &str) -> bool {
    if crate::xss::prose_words(text) < 3 {
        return false;
    }
    crate::paired_code_spans(text).is_some_and(|spans| {
        spans.iter().all(|&(a, b)| {
            let span = &text[a..b];
            !span.contains(['\'', '"', '#', ';']) && !span.contains("--") && !span.contains("/*")
        })
    })
}

/// A Chromium browser's brand list, sent on every request as the `Sec-CH-UA` client hint
/// (and `Sec-CH-UA-Full-Version-List`): RFC 8941 strings, each with a version,
/// `" Not A;Brand";v="99", "Chromium";v="96", "Google Chrome";v="96"`. The "GREASE" brand
/// (`Not A;Brand`, `Not/A)Brand`, `"Not\\A;Brand`) holds punctuation on purpose, so that
/// servers do not parse brands naively; libinjection reads its `;` as a stacked statement.
/// Only the GREASE shape may hold punctuation (one of Chromium's, or an escaped quote or
/// backslash) between `Not`, `A` and `Brand`; any other brand is letters, digits, spaces,
/// `.`, `_` and single `-`, with no SQL word (browsers are named `Google Chrome`, `Brave`,
/// `Microsoft Edge`), and a version is digits and dots. Out of its string, such a brand is
/// no SQL; our own rules still judge the whole value.
fn brand_list(text: &str) -> bool {
    fn grease(brand: &str) -> bool {
        let b = brand.strip_prefix(' ').unwrap_or(brand);
        let mark = |s: &str| -> Option<usize> {
            if s.starts_with("\\\"") || s.starts_with("\\\\") {
                Some(2)
            } else {
                s.starts_with([' ', '(', ')', ':', '-', '.', '/', ';', '=', '?', '_'])
                    .then_some(1)
            }
        };
        let rest = b.strip_prefix("\\\"").unwrap_or(b);
        let Some(rest) = rest.strip_prefix("Not") else {
            return false;
        };
        let Some(n) = mark(rest) else { return false };
        let Some(rest) = rest[n..].strip_prefix('A') else {
            return false;
        };
        mark(rest).is_some_and(|n| &rest[n..] == "Brand")
    }
    let plain = |brand: &str| {
        !brand.is_empty()
            && !brand.contains("--")
            && brand
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b'_' | b'-'))
            && !brand.split([' ', '.', '_', '-']).any(is_keyword)
    };
    let mut items = 0;
    for item in text.split(", ") {
        let Some(rest) = item.strip_prefix('"') else {
            return false;
        };
        let Some((brand, version)) = rest.rsplit_once("\";v=\"") else {
            return false;
        };
        let Some(version) = version.strip_suffix('"') else {
            return false;
        };
        if version.is_empty()
            || !version.bytes().all(|c| c.is_ascii_digit() || c == b'.')
            || !(plain(brand) || grease(brand))
        {
            return false;
        }
        items += 1;
    }
    items > 0
}

/// A whole query quoted in a sentence, in any language (`I wrote 'select * from orders' but
/// it errors`, `Ho scritto 'select * from ordini' ma dà errore`): words before the only
/// pair of quotes, and between them a query [`whole_query`] takes. Read as a breakout, the
/// query would end with the host's string after a table or a condition (`orders '…'`),
/// which no dialect parses; libinjection's fingerprint for it (`sEokn`) is not asked.
fn quoted_query_in_prose(text: &str, q: char) -> bool {
    let mut parts = text.split(q);
    let (Some(before), Some(inner), Some(after), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    before.ends_with(char::is_whitespace)
        && crate::xss::prose_words(before) >= 1
        && after
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ".,;:!?)".contains(c))
        && whole_query(inner)
}

/// The first `q` opens a string literal of program code that holds a query: passed to a
/// call or assigned (`rows = db.execute(f"SELECT * FROM orders WHERE user_id = {uid}")`,
/// `sql = 'SELECT name FROM t WHERE id = %s'`), as a stack trace's context line or a code
/// review shows it, or a cell of a CSV upload under its header row, or quoted in a sentence
/// and joined to a variable (`"SELECT … = '" + name`). A call's name or an assignment, an optional string prefix (`f`, `r`,
/// `b`, `u`), the quote, `SELECT` or `WITH` (no `INTO`), and the literal closing with the
/// same quote
/// before code goes on (`)`, `,`, `;`, `+`, `.`) or the line ends. An injection's quote
/// ends the host's string after a value (`x' select …`) or starts the value; only the
/// "statement injected" verdict is excused.
fn query_in_code_string(text: &str, q: u8) -> bool {
    let Some(at) = text.bytes().position(|c| c == q) else {
        return false;
    };
    let before = text[..at].trim_end_matches(['f', 'F', 'r', 'R', 'b', 'B', 'u', 'U']);
    if text[..at].len() - before.len() > 2 {
        return false;
    }
    // The callee: a name, or a path of names (`db.execute`, `_db.Users.FromSqlRaw`: a
    // field may start with `_`; Rust's `sqlx::query!`, a macro), whose last name starts
    // with a letter.
    fn callee(name: &str) -> Option<&str> {
        let name = name.strip_suffix('!').unwrap_or(name);
        let path = name
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .next()
            .unwrap_or("");
        let last = path.rsplit('.').next().unwrap_or("");
        (!last.is_empty() && last.as_bytes()[0].is_ascii_alphabetic()).then_some(path)
    }
    let call = before
        .strip_suffix('(')
        .is_some_and(|name| callee(name).is_some());
    // Or a later argument of a call, the ones before it plain (`=QUERY(Orders!A:F, "select
    // A, sum(F) where C = 'open' group by A", 1)`: Google Sheets' QUERY function, a
    // spreadsheet API's formula cell). A method's (`db.QueryContext(ctx, "SELECT …",
    // "queued")`, Go's `database/sql`) is program code, which goes on after the literal as
    // a call does.
    let mut method = false;
    let argument = before.trim_end().strip_suffix(',').is_some_and(|args| {
        args.rfind('(').is_some_and(|open| {
            let plain = !args[open + 1..].contains([')', '(', '\'', '"']);
            callee(&args[..open]).is_some_and(|path| {
                method = plain && path.contains('.') && !path.starts_with('.');
                plain
            })
        })
    });
    let assigned = before.ends_with(" = ") || before.ends_with(" =") || before.ends_with(" := ");
    // A cell of a CSV or TSV upload, under its header row (`name,query\nreport,"SELECT …"`).
    let cell = before.ends_with([',', '\t']) && text[..at].contains('\n');
    let literal = &text[at + 1..];
    // Or quoted in a sentence and joined to a variable, the way a commit message or a
    // review shows the bug (`instead of "SELECT … WHERE name = '" + name + "'"`).
    // The expression alone, or in a Markdown code span, counts as quoted (`` `"SELECT … =
    // " + id` ``, a review rule naming the bug).
    let joined = (before.is_empty() || before.ends_with(|c: char| c.is_whitespace() || c == '`'))
        && literal.find(q as char).is_some_and(|close| {
            let after = literal[close + 1..].trim_start();
            let var = ["+", "||", "."]
                .iter()
                .find_map(|op| after.strip_prefix(op))
                .map(str::trim_start);
            var.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        });
    let written = call || method || assigned || cell || joined;
    if !(written || argument) {
        return false;
    }
    // A read only: in SQL Server a statement may follow another without `;`, so a literal
    // that writes (`f('DELETE FROM users WHERE name<>')`) would run as one.
    let keyword = ["select ", "with "].iter().any(|k| {
        literal
            .get(..k.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(k))
    }) && find_ci(literal.as_bytes(), b" into ").is_none();
    // `%` is Python's formatting (`cursor.execute("SELECT … = %s" % uid)`). A formula's
    // argument goes on to the call's end, plain (`, 1)`), and the value ends there.
    let closes = literal.find(q as char).is_some_and(|close| {
        let after = literal[close + 1..].trim_start();
        if !written {
            return after.trim_end().ends_with(')')
                && !after.contains([';', '\'', '"', '#'])
                && !after.contains("--")
                && !after.contains("/*");
        }
        after.is_empty() || after.starts_with([')', ',', ';', '+', '.', '%'])
    });
    keyword && closes
}

/// A sentence whose first `q` opens a quotation (after a space: `trying to "execute
/// scripts" by …`) closes no string of the host query: an injection's quote follows the
/// value it ends (`admin'`, `1"`) or starts it.
///
/// A quoted command line or path opens a quotation too (`run "./configure --help" to see`,
/// `the "--no-create-home" option`): after a closed string `./x` and `/x` are no SQL, and
/// `--x` is no comment in MySQL (it needs a space), the one database whose `"` delimits
/// strings and whose comparisons ignore trailing spaces. After `'` a `--` stays a comment
/// (SQL Server pads too: `admin '--x' …` logs in as admin).
fn opening_quote_in_prose(text: &str, q: u8) -> bool {
    let b = text.as_bytes();
    let opens = b.iter().position(|&c| c == q).is_some_and(|at| {
        let word = |i: usize| b.get(at + i).is_some_and(u8::is_ascii_alphanumeric);
        let starts = match b.get(at + 1) {
            Some(c) if c.is_ascii_alphabetic() => true,
            Some(b'/') => word(2),
            Some(b'.') => b.get(at + 2) == Some(&b'/') && word(3),
            Some(b'-') => q == b'"' && b.get(at + 2) == Some(&b'-') && word(3),
            _ => false,
        };
        at > 0 && b[at - 1] == b' ' && starts
    });
    opens && is_sentence(text)
}

/// Is a libinjection pass worth its cost (it tokenizes the value in three contexts)? Its
/// findings that survive [`weak_fingerprint`] need a quote, a comment, a symbolic logic
/// operator or an SQL word; a header such as `Mozilla/5.0 (X11; Linux x86_64)` has none.
///
/// A sentence is skipped unless it has a quote, a comment or UNION: [`weak_fingerprint`]
/// discards prose findings without a string, comment or union in their fingerprint.
///
/// Apostrophes inside words (`it's`, `O'Brien`) are not string delimiters an injection
/// closes: a value whose only quotes are those is judged by its words, like one without.
fn libinjection_worth(text: &str) -> bool {
    let quoted = text.contains(['"', '#'])
        || (text.contains('`') && !inert_code_spans(text))
        || text.contains("--")
        || text.contains("/*")
        || (text.contains('\'') && !apostrophes_only(text));
    if quoted {
        return true;
    }
    let worded = text.contains("||") || text.contains("&&") || sql_words(text) || sql_call(text);
    worded && !(is_sentence(text) && find_ci(text.as_bytes(), b"union").is_none())
}

/// Bytes that were never text (an attachment's audio or image read as a string): one
/// character in eight a replacement character or a control character other than white space.
/// Random bytes make every fingerprint by chance; no query is written in them.
fn binary(text: &str) -> bool {
    let (mut junk, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        if c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()) {
            junk += 1;
        }
    }
    junk * 8 > all
}

/// An SQL function called: `ascii(`, `substring(`, `version()`: the word right before a `(`
/// is one of the functions injections use.
fn sql_call(text: &str) -> bool {
    called(text, false, |word| {
        matches!(
            keyword(word),
            Some(Tok::Kw(Kw::Func | Kw::Delay | Kw::Select))
        )
    })
}

/// Whether the word right before some `(` in `text` passes `is`: letters, digits and `_`,
/// and with `dotted` also `.` (an Oracle package's `dbms_lock.sleep`).
fn called(text: &str, dotted: bool, is: impl Fn(&str) -> bool) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'(', b).any(|at| {
        let start = b[..at]
            .iter()
            .rposition(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || (dotted && c == b'.')))
            .map_or(0, |i| i + 1);
        start < at && is(&text[start..at])
    })
}

/// libinjection fingerprints that ordinary text produces too, so they need our own rules'
/// confirmation: short runs of strings, numbers, words, operators and a trailing comment
/// (`"LIKE" STAMP` is `sos`, `1,1--` is `1c`, `1950 or 1960` is `1&1`), and keyword-only
/// shapes with no punctuation at all (`select x from y where` is `Enknk`).
///
/// So do the query languages APIs take as a parameter, when nothing in them compares two
/// literals: an OData or metrics function call (`floor(Price)`), a Kusto or Splunk pipeline,
/// a JQL or SCIM filter, Prometheus selectors.
///
/// Two short shapes stay strong on their own: a comparison between single-quoted strings the
/// value closes and reopens (`A' >= 'B`: single quotes delimit strings in every dialect, while
/// text quotes words with `"`), and a number that runs straight into a comment (`1--`, `1/*`).
fn weak_fingerprint(fp: &str, text: &str) -> bool {
    let words_only = fp.bytes().all(|c| b"Enk".contains(&c));
    let short_plain = fp.len() <= 3 && fp.bytes().all(|c| b"son&1vc".contains(&c));
    // Prose with a parenthesis reads as a function call to libinjection (`Left (WA, RR)`,
    // `One quarter (24%) of …`, `while (foo) is bar`): without a string, comment, union,
    // `;` or variable in the fingerprint, a sentence is not an injection.
    let structural = fp.bytes().any(|c| b"scU;Xv".contains(&c));
    let sentence = is_sentence(text);
    // Without those, the shape has to do something: compare, combine, group, start a
    // statement or call a function (`call mom (555) 123` is a T-SQL word and numbers).
    let acts = fp.bytes().any(|c| b"o&BE".contains(&c)) || fp.contains("f(");
    // `Select a benchmark (2023 edition)`: a word between SELECT and a call is no select
    // list SQL parses; it is an imperative sentence with a parenthesis.
    let select_word_call = fp.starts_with("Enf(");
    // `SELECT * FROM products WHERE name LIKE '%shoe%'`: a whole statement as the value,
    // written from its first word, is a query shown (a ticket, a tutorial, a SQL console's
    // input), not one broken into; injections start inside the host's query. Only plain
    // shapes (words, strings, `*`); a select list of numbers or calls, or
    // `SELECT"name"FROM[…]` without spaces, is what injections send whole.
    // `SELECT COUNT(*) AS n FROM events …` (`Ef(o)`) counts rows; injections' select lists
    // are numbers and concatenations.
    let statement_shown = fp.starts_with('E')
        && text
            .trim_start()
            .split_once(' ')
            .is_some_and(|(first, rest)| {
                let counts = || {
                    rest.trim_start()
                        .get(..8)
                        .is_some_and(|t| t.eq_ignore_ascii_case("count(*)"))
                };
                // `SELECT name, COUNT(*) FROM orders GROUP BY name …`: a column and an
                // aggregate, a report's query; injected select lists concatenate and call
                // `version()`, `user()`, `concat(…)`. InfluxDB's HTTP API takes its queries
                // so (`SELECT mean("usage_idle") FROM "cpu" WHERE time > now() - 1h …`).
                let aggregate = || {
                    rest.split_once('(').is_some_and(|(before, _)| {
                        let call = before.rsplit([' ', ',']).next().unwrap_or("");
                        [
                            "count",
                            "sum",
                            "avg",
                            "min",
                            "max",
                            "mean",
                            "median",
                            "mode",
                            "spread",
                            "stddev",
                            "percentile",
                            "first",
                            "last",
                            "derivative",
                            "non_negative_derivative",
                            "difference",
                            "moving_average",
                        ]
                        .iter()
                        .any(|a| call.eq_ignore_ascii_case(a))
                    })
                };
                // A `;` ends the statement shown; a remark after it (`; -- list users`) cuts
                // nothing off. A comment right after the last clause is `cut_off_clause`'s.
                let body = fp
                    .strip_suffix(";c")
                    .or_else(|| fp.strip_suffix(';'))
                    .unwrap_or(fp);
                let plain_shape = body.bytes().all(|c| b"Eoknks".contains(&c))
                    || (fp.starts_with("Ef(o)") && counts())
                    || ((fp == "En,f(" || fp.starts_with("En(")) && aggregate());
                plain_shape
                    && first.bytes().all(|c| c.is_ascii_alphabetic())
                    && keyword(first).is_some()
            });
    // `Mark, 'Call me when you get there'`: libinjection reads the quote as a break and
    // `Call` as T-SQL's statement; only words follow, in a sentence. An injected T-SQL
    // statement needs its arguments (`' exec xp_cmdshell 'dir'--` has a string, a comment).
    let tsql_words = fp.starts_with("sT")
        && fp[2..].bytes().all(|c| b"nk".contains(&c))
        && crate::xss::prose_words(text) >= 6;
    if words_only
        || tsql_words
        || (fp.bytes().all(|c| b"s&onk".contains(&c)) && words_quoted(text))
        || message_template(text)
        || quoted_format(text)
        || select_word_call
        || statement_shown
        || search_query(fp, text)
        || (fp.ends_with('c') && hash_in_attribute(text))
        || plain_call(text)
        || empty_calls(fp, text)
        || compared_call(text)
        || key_predicate(text)
        || c_family_line(text)
        || ((piped_query(text) || filter_expression(text) || label_matchers(text))
            && !compares_literals(text))
        || (!structural && (sentence || !acts))
    {
        return true;
    }
    if !short_plain {
        return false;
    }
    // `Is 'OR' a keyword in SQL?` reads `s&s` as `x' OR '…`, but the string it leaves for
    // the host to close goes on as a sentence; `1' or '1` and `admin' or 'x` leave a word.
    let keyword_quoted = fp == "s&s"
        && text.rsplit('\'').next().is_some_and(|tail| {
            tail.split_whitespace()
                .filter(|w| w.bytes().any(|c| c.is_ascii_alphabetic()))
                .count()
                >= 2
        });
    // `regex r'*' with …`, `column boundaries ('+')`, `and the '#' flag is set`: a sentence
    // quoting an operator character reads `sos` as `x'*'y`; an arithmetic probe has no
    // sentence around it. A parser's message names the token it stopped at last
    // (`Unexpected token '<'`, what every browser reports when an API answers with HTML):
    // two words before it are its sentence.
    let quoted_operator =
        |w: &[u8]| w[0] == b'\'' && w[2] == b'\'' && b"+-*/%|&^<>=~#".contains(&w[1]);
    let operator_quoted = fp == "sos"
        && text.as_bytes().windows(3).any(quoted_operator)
        && match crate::xss::prose_words(text) {
            0 | 1 => false,
            2 => {
                let b = text.trim_end().as_bytes();
                b.len() > 3 && quoted_operator(&b[b.len() - 3..]) && !text.starts_with('\'')
            }
            _ => true,
        };
    if operator_quoted {
        return true;
    }
    let single_quoted = matches!(fp, "sos" | "s&s" | "sov" | "s&1")
        && text.contains('\'')
        && !text.contains('"')
        && !text.trim_start().starts_with('\'')
        && !literals_quoted(text);
    keyword_quoted || !(single_quoted || number_then_comment(text))
}

/// A program's message with its placeholders quoted (`Schema '%s' is not relocatable`,
/// `Breaks existing package '%(pkgname)s' dependency`, GNU's `` unknown language `%s' ``):
/// every quote in the sentence wraps one printf or Python placeholder, or is an apostrophe
/// inside a word. What libinjection reads as strings there are stand-ins; a translation
/// tool or a log search sends thousands of them.
fn message_template(text: &str) -> bool {
    let b = text.as_bytes();
    let mut placeholders = 0;
    let mut i = 0;
    while let Some(at) = b[i..]
        .iter()
        .position(|c| matches!(c, b'\'' | b'"' | b'`'))
        .map(|p| i + p)
    {
        let inside_word = at > 0
            && b[at - 1].is_ascii_alphabetic()
            && b.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
        if b[at] == b'\'' && inside_word {
            i = at + 1;
            continue;
        }
        let close = if b[at] == b'`' { b'\'' } else { b[at] };
        let Some(len) = placeholder_len(&b[at + 1..]) else {
            return false;
        };
        if b.get(at + 1 + len) != Some(&close) {
            return false;
        }
        placeholders += 1;
        i = at + len + 2;
    }
    placeholders > 0 && crate::xss::prose_words(text) >= 3
}

/// A format string quoted whole, as logging and fail2ban configurations hold it:
/// `"%(asctime)s %(levelname)s %(message)s"`, `'%(sshd_log)s'`, `"%(debug)s started"`.
/// libinjection reads `so(n)`: a string, then `%` as an operator before a call. The quote
/// opens the value and closes it, no other of its kind is inside, and inside are Python's
/// named placeholders, words and punctuation, no comment opener or `;`. Any structure an
/// injection would need there our own rules have read first.
fn quoted_format(text: &str) -> bool {
    let t = text.trim();
    let b = t.as_bytes();
    let Some(&q) = b.first().filter(|c| matches!(c, b'"' | b'\'')) else {
        return false;
    };
    if b.len() < 3 || b[b.len() - 1] != q {
        return false;
    }
    let inside = &t[1..t.len() - 1];
    let mut named = 0;
    let mut i = 0;
    let ib = inside.as_bytes();
    while let Some(p) = memchr::memchr(b'%', &ib[i..]) {
        let at = i + p;
        match placeholder_len(&ib[at..]) {
            Some(len) => {
                named += usize::from(ib.get(at + 1) == Some(&b'('));
                i = at + len;
            }
            None => i = at + 1,
        }
    }
    named > 0 && !inside.contains(char::from(q)) && !inside.contains(';') && !comment_in(inside)
}

/// The length of a printf or Python placeholder at the start of `b`: `%s`, `%-10s`, `%.2f`,
/// `%zu`, `%(name)s`, `%1$s`, `{}`, `{0}`, `{name}`. No space flag: `% d` would reach
/// across a space (`x'%-- c` is a comment, not `%-- c`).
fn placeholder_len(b: &[u8]) -> Option<usize> {
    match b.first()? {
        b'{' => {
            let end = b.iter().position(|&c| c == b'}')?;
            b[1..end]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .then_some(end + 1)
        }
        b'%' => {
            let mut j = 1;
            if b.get(1) == Some(&b'(') {
                j = b.iter().position(|&c| c == b')')? + 1;
            }
            while b
                .get(j)
                .is_some_and(|c| c.is_ascii_digit() || b"-+#.$lz".contains(c))
            {
                j += 1;
            }
            b.get(j)
                .is_some_and(|c| b"sdifuxXcgeEr".contains(c))
                .then_some(j + 1)
        }
        _ => None,
    }
}

/// `<table border="0" bgcolor="#000000">` (every HTML e-mail's layout): libinjection reads
/// the `#` that starts a colour or an anchor as MySQL's comment (`s1sc`). When the value's
/// first `#` opens an attribute value inside a tag and no other comment marker is in the
/// value, that comment is markup.
fn hash_in_attribute(text: &str) -> bool {
    let Some(at) = text.find('#') else {
        return false;
    };
    let before = &text[..at];
    let opens_value = before.ends_with("=\"") || before.ends_with("='") || before.ends_with('=');
    opens_value
        && crate::open_tag(before).is_some()
        && !crate::has(text, "--")
        && !crate::has(text, "/*")
}

/// Every single quote pairs up around one word a sentence quotes (`Can I use LIKE '%foo%'
/// with an index?`, `set it to 'DE' first`): each opening quote follows a space or `(`,
/// each closing one ends the word before a space or punctuation, nothing between them but
/// the word. A string broken out of has its first quote right after the value
/// (`x' LIKE 'y`, `1'='1`).
fn literals_quoted(text: &str) -> bool {
    let b = text.as_bytes();
    let mut quotes = memchr::memchr_iter(b'\'', b);
    let mut pairs = 0;
    while let Some(open) = quotes.next() {
        // An odd quote out closes nothing: a string left open for the host.
        let Some(close) = quotes.next() else {
            return false;
        };
        if !quotes_one_word(b, open, close) {
            return false;
        }
        pairs += 1;
    }
    pairs > 0
}

/// A sentence that names tokens between single quotes, SQL's among them (`Use 'or' instead of
/// '|' for listing alternatives`, `Replace 'and' with '&&' please`): every quote outside a
/// word pairs around one token without a space, opened after a space or `(` and closed
/// before a space or punctuation, and outside the quotes stand three prose words and nothing
/// a condition or a cut needs (`=`, `<`, `>`, `--`, `#`, `/*`, `;`). To SQL the pairs are
/// strings next to words, no query; an injection that quotes a keyword so (`1 'or' 1=1--`,
/// `1 'or' 1 'or' 1`) still compares, cuts the query off or has no sentence around it.
fn words_quoted(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut pairs, mut prose, mut from) = (0usize, 0usize, 0usize);
    let mut open = None;
    for at in memchr::memchr_iter(b'\'', b) {
        // An apostrophe inside a word (`it's`, `O'Brien`) delimits nothing.
        let inside_word = at > 0
            && b[at - 1].is_ascii_alphabetic()
            && b.get(at + 1).is_some_and(u8::is_ascii_alphabetic);
        if inside_word {
            continue;
        }
        match open.take() {
            None => {
                let opens = at > 0 && matches!(b[at - 1], b' ' | b'\t' | b'(');
                if !opens || !plain_outside(&text[from..at]) {
                    return false;
                }
                prose += crate::xss::prose_words(&text[from..at]);
                open = Some(at);
            }
            Some(o) => {
                let token = &b[o + 1..at];
                let closes = b
                    .get(at + 1)
                    .is_none_or(|c| c.is_ascii_whitespace() || b".,;:?!)".contains(c));
                // A comment in the token cuts the host's query off (`admin '--' and more`).
                let cut = std::str::from_utf8(token).map_or(true, |t| !plain_outside(t));
                if token.is_empty() || token.iter().any(u8::is_ascii_whitespace) || cut || !closes {
                    return false;
                }
                // A quoted keyword stands as a word the sentence goes on from (`'or'
                // instead of`); between operands or at the end (`A 'XOR' B`, `check: 'XOR'`)
                // it is MySQL's operator in disguise, libinjection's own test.
                let keyword_token = std::str::from_utf8(token).is_ok_and(|t| keyword(t).is_some());
                if keyword_token {
                    let next = text[at + 1..].trim_start();
                    let word = next
                        .find(|c: char| !c.is_ascii_alphabetic())
                        .unwrap_or(next.len());
                    if word < 3 || keyword(&next[..word]).is_some() {
                        return false;
                    }
                }
                pairs += 1;
                from = at + 1;
            }
        }
    }
    let tail = &text[from..];
    open.is_none() && pairs > 0 && plain_outside(tail) && prose + crate::xss::prose_words(tail) >= 3
}

/// Text outside quotes with nothing a condition or a cut-off query needs (see
/// [`words_quoted`]).
fn plain_outside(t: &str) -> bool {
    !t.contains(['=', '<', '>', '#', ';']) && !t.contains("--") && !t.contains("/*")
}

/// The quotes at `open` and `close` enclose one word of a sentence (see [`literals_quoted`]).
fn quotes_one_word(b: &[u8], open: usize, close: usize) -> bool {
    // Other scripts' punctuation (Armenian `։`, Devanagari `।`, CJK `。`) is past ASCII;
    // translations put the quote right after a colon (`ಉದಾ:'/about/contact/'`).
    let opens =
        open > 0 && (matches!(b[open - 1], b' ' | b'\t' | b'(' | b':') || b[open - 1] >= 0x80);
    let word = &b[open + 1..close];
    // A quoted operator (`A 'REGEXP' B`, `select 'and'`) is MySQL's implicit
    // conversion at work, not a word quoted.
    let one_word = word.iter().any(u8::is_ascii_alphanumeric)
        && !word
            .iter()
            .any(|c| c.is_ascii_whitespace() || b"=<>()".contains(c))
        && std::str::from_utf8(word).is_ok_and(|w| {
            keyword(w).is_none()
                && !["mod", "div", "sounds"]
                    .iter()
                    .any(|op| w.eq_ignore_ascii_case(op))
        });
    let closes = b
        .get(close + 1)
        .is_none_or(|c| c.is_ascii_whitespace() || b".,;:?!)".contains(c) || *c >= 0x80);
    opens && one_word && closes
}

/// A search box's query: quoted phrases, words, `AND`/`OR` and parentheses
/// (`"machine learning" AND (python OR R) -java`, `"fried eggs" +(eggplant | potato)`).
/// Without a comparison, a function, a comment or a single quote, such a shape selects
/// nothing; every `"` must open or close a phrase (a letter inside it), not break out of
/// one.
fn search_query(fp: &str, text: &str) -> bool {
    // A search's exclusion (`"union station" OR "union square" -hotel`) reads as an
    // operator: `-` at a word's start outside the phrases, and no other operator anywhere
    // (a breakout pairs the quotes off by one: `1" and 3=4 and "a"="a` has its `=`).
    // Elasticsearch's `simple_query_string` and Bing's syntax add `+` (must) at a word's or
    // a group's start and ` | ` (or) between words (`"fried eggs" +(eggplant | potato)
    // -frittata`).
    let exclusions = || {
        if text.contains(['=', '<', '>', '*', '/', '%', '^', '!', '~', '&', ';']) {
            return false;
        }
        let outside = outside_literals(text);
        let b = outside.as_bytes();
        let mut depth = 0i32;
        b.iter().enumerate().all(|(i, &c)| match c {
            b'-' | b'+' => {
                (i == 0 || matches!(b[i - 1], b' ' | b'('))
                    && b.get(i + 1)
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'(')
            }
            b'|' => i > 0 && b[i - 1] == b' ' && b.get(i + 1) == Some(&b' '),
            b'(' => {
                depth += 1;
                true
            }
            b')' => {
                depth -= 1;
                depth >= 0
            }
            c => c.is_ascii_alphanumeric() || matches!(c, b' ' | b':' | b'.') || !c.is_ascii(),
        }) && depth == 0
    };
    let shape = fp.contains('s')
        && (fp.bytes().all(|c| b"s&()n".contains(&c))
            || (fp.bytes().all(|c| b"s&()no".contains(&c)) && exclusions())
            || (fp.bytes().all(|c| b"s&()no1".contains(&c)) && lucene_suffixes(text)));
    let b = text.as_bytes();
    let mut quotes = 0;
    let phrase_quotes = b
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == b'"')
        .all(|(i, _)| {
            quotes += 1;
            let after = b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
            let before = i > 0 && b[i - 1].is_ascii_alphanumeric();
            after || before
        });
    shape && !text.contains('\'') && phrase_quotes && quotes % 2 == 0
}

/// Lucene's proximity and boost suffixes in a search (`"connection reset"~3 AND lang:en^2`,
/// `title:rust^1.5`): each `~` or `^` right after a phrase's closing quote or a word, then
/// a number and a blank, a `)` or the end. Besides them, outside the phrases: words, a
/// field's `:`, a wildcard's `*`, an exclusion's `-` at a word's start, and groups. A
/// breakout's `"~1 or 1=1` compares; no `=`, `<`, `>`, `'` or other operator is anywhere.
fn lucene_suffixes(text: &str) -> bool {
    // Inside the phrases too: a breakout pairs the quotes off by one (`"a"~1 AND b" or
    // "1"="1` puts its `=` in a phrase).
    if text.contains(['=', '<', '>', '+', '/', '%', '|', '!', '&', ';', '\'']) {
        return false;
    }
    let b = text.as_bytes();
    let (mut i, mut suffixes) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'"' => match closing_quote(b, i, false) {
                Some(end) => i = end,
                None => return false,
            },
            b'~' | b'^' => {
                let after_term = i > 0 && (b[i - 1] == b'"' || b[i - 1].is_ascii_alphanumeric());
                let digits = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == b'.')
                    .count();
                let ends = matches!(b.get(i + 1 + digits), None | Some(b' ' | b')'));
                if !(after_term && digits > 0 && ends) {
                    return false;
                }
                suffixes += 1;
                i += digits;
            }
            b'-' if !(i == 0 || matches!(b[i - 1], b' ' | b'(')) => return false,
            c if c.is_ascii_alphanumeric()
                || matches!(c, b' ' | b':' | b'.' | b'*' | b'-' | b'(' | b')' | b'_')
                || !c.is_ascii() => {}
            _ => return false,
        }
        i += 1;
    }
    suffixes > 0
}

/// Calls an injection makes on its own: the server's identity (`version()`, `user()`),
/// characters built to dodge quotes (`char(65)`, `hex(…)`), errors forced to carry data
/// (`extractvalue(…)`, `gtid_subset(…)`), conditions (`elt(1=1,…)`, `iif(…)`), hashes and
/// random numbers that time or fingerprint the server. Delays are [`Kw::Delay`] words.
const INJECTION_CALLS: [&str; 36] = [
    "load_file",
    "extractvalue",
    "updatexml",
    "char",
    "chr",
    "nchar",
    "ascii",
    "ord",
    "hex",
    "unhex",
    "conv",
    "version",
    "database",
    "user",
    "current_user",
    "session_user",
    "system_user",
    "schema",
    "db_name",
    "user_name",
    "convert",
    "if",
    "iif",
    "elt",
    "make_set",
    "md5",
    "sha1",
    "sha2",
    "rand",
    "name_const",
    "json_keys",
    "gtid_subset",
    "row",
    "compress",
    "uncompress",
    "xmltype",
];

/// A bare call that computes on names, numbers and strings (`floor(Price)`,
/// `substring(CompanyName,5,2)`, `concat(CompanyName, Name)`, `cast(Category,Edm.Boolean)`,
/// `exp(NaN)`, XPath's `translate('hello', 'h', 'H')` and `count(@max)`): an OData
/// `$filter` or `$orderby` expression, a metrics query, a scraper's XPath, a spreadsheet's
/// formula. libinjection reads any call as a probe. The value is the one call and its
/// arguments: names (OData's `Address/City` paths), attributes, decimal numbers, strings that
/// close inside the call, groups and nested calls; nothing that compares, multiplies or
/// divides by a number (`1/0`), and no call from [`INJECTION_CALLS`] or a delay
/// (`sleep(5)`, `benchmark(…)`).
fn plain_call(text: &str) -> bool {
    let b = text.trim().as_bytes();
    if b.len() > 256 || !b.first().is_some_and(u8::is_ascii_alphabetic) || b.last() != Some(&b')') {
        return false;
    }
    let (mut depth, mut i) = (0usize, 0usize);
    while i < b.len() {
        let c = b[i];
        // An XPath attribute (`count(@max)`); `@@version` is a server variable.
        let attribute = c == b'@' && depth > 0 && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic);
        if c.is_ascii_alphabetic() || c == b'_' || attribute {
            let start = i;
            i += 1;
            // XPath's names join words with a hyphen (`normalize-space(…)`); inside the
            // call a hyphen is a minus, read below.
            while b.get(i).is_some_and(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, b'_' | b'.')
                    || (*c == b'-'
                        && depth == 0
                        && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
            }) {
                i += 1;
            }
            // Only bytes checked above: ASCII, so the slice is at char boundaries.
            let word = std::str::from_utf8(&b[start..i]).unwrap_or_default();
            let plain = if b.get(i) == Some(&b'(') {
                !injection_call(word)
            } else {
                depth > 0 && keyword(word).is_none()
            };
            if !plain {
                return false;
            }
            continue;
        }
        match c {
            b'(' if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') => depth += 1,
            // A group or a sequence inside the call (`floor((10.5))`, `count(('1', (2, 3)))`).
            b'(' if depth > 0
                && b[..i]
                    .iter()
                    .rev()
                    .find(|c| **c != b' ')
                    .is_some_and(|c| matches!(c, b'(' | b',')) =>
            {
                depth += 1;
            }
            // A string argument (`concat('alpha', 'beta')`, `substring('12345', 0, 3)`): data,
            // whatever it holds. Without an escape: a doubled quote or a backslash would pair
            // the quotes differently in another dialect.
            b'\'' | b'"' if depth > 0 => match closing_quote(b, i, false) {
                Some(close)
                    if b[close + 1..].first() != Some(&c) && !b[i..close].contains(&b'\\') =>
                {
                    i = close;
                }
                _ => return false,
            },
            b')' if depth > 0 => {
                depth -= 1;
                // One call: the first closes where the value ends.
                if depth == 0 && i + 1 != b.len() {
                    return false;
                }
            }
            b'0'..=b'9' => {
                while b
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
                {
                    i += 1;
                }
                // `0x7e`, `1e5`: a literal SQL reads, not a plain decimal.
                if b.get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
                {
                    return false;
                }
            }
            b',' | b' ' | b'+' | b'-' if depth > 0 => {}
            b'/' if depth > 0 && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {}
            _ => return false,
        }
        i += 1;
    }
    depth == 0
}

/// Names of calls without arguments, joined by words: a documentation title or a sentence
/// naming methods (``` ``exists()`` ```, `extract() and extract_first()`; reST's double
/// backticks read as empty identifiers). Nothing is compared, no literal is given, and no
/// call is one injections make ([`injection_call`]: `sleep()`, `version()`).
fn empty_calls(fp: &str, text: &str) -> bool {
    if text.len() > 256 || !fp.contains("f()") || !fp.bytes().all(|c| b"nf()&,".contains(&c)) {
        return false;
    }
    text.match_indices('(').all(|(at, _)| {
        let before = &text[..at];
        let word = &before[before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
            .len()..];
        text[at + 1..].trim_start().starts_with(')') && !word.is_empty() && !injection_call(word)
    })
}

/// One comparison whose side is a [`plain_call`], the other a call, a (dotted) name or a
/// literal: Google IAM's condition `request.time < timestamp("2020-07-01T00:00:00Z")`, CEL's
/// `timestamp('…') >= timestamp('…')`, XPath's `normalize-space(text()) = ''`. A comparison
/// alone is no injection: it needs a logic word to join the host's condition, a breakout or
/// a subquery, and [`plain_call`] refuses injection calls (`ascii(…) > 64`).
fn compared_call(text: &str) -> bool {
    let b = text.trim().as_bytes();
    if b.len() > 256 {
        return false;
    }
    // The one comparison at the top level, outside strings and parentheses.
    let (mut depth, mut i, mut op) = (0usize, 0usize, None);
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'\'' | b'"' => match closing_quote(b, i, false) {
                Some(close) => i = close,
                None => return false,
            },
            b'=' | b'<' | b'>' | b'!' if depth == 0 => {
                let end = i + b[i..]
                    .iter()
                    .take_while(|c| matches!(c, b'=' | b'<' | b'>' | b'!'))
                    .count();
                if op.replace((i, end)).is_some() {
                    return false;
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let Some((at, end)) = op else {
        return false;
    };
    // Only bytes matched above: ASCII, so both cuts are at char boundaries.
    let (lhs, rhs) = (&text.trim()[..at], &text.trim()[end..]);
    let operand = |side: &str| {
        let t = side.trim().as_bytes();
        let string = t.len() >= 2
            && matches!(t[0], b'\'' | b'"')
            && closing_quote(t, 0, false) == Some(t.len() - 1);
        let number = !t.is_empty() && t.iter().all(|c| c.is_ascii_digit() || *c == b'.');
        let name = t.first().is_some_and(u8::is_ascii_alphabetic)
            && t.iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
            && keyword(side.trim()).is_none();
        string || number || name || plain_call(side)
    };
    (plain_call(lhs) || plain_call(rhs)) && operand(lhs) && operand(rhs)
}

/// A call an injection makes: from [`INJECTION_CALLS`], a package of Oracle's or a delay.
fn injection_call(word: &str) -> bool {
    INJECTION_CALLS.iter().any(|f| word.eq_ignore_ascii_case(f))
        || ["utl_", "dbms_", "ctxsys", "sys."]
            .iter()
            .any(|p| word.len() > p.len() && word[..p.len()].eq_ignore_ascii_case(p))
        || keyword(word) == Some(Tok::Kw(Kw::Delay))
}

/// An OData key predicate or a function's parameters as a whole value, usually a path
/// segment: `Airports('KSFO')`, `Products(ProductID=1,Name='Milk')`, Microsoft Graph's
/// `range(address='A1:B2')`, SharePoint's `lists(guid'0a1b…')`. A name, then in parentheses
/// one literal or `key=literal` pairs: single-quoted strings (a doubled quote is the quote),
/// numbers, or a type-prefixed string. The quotes pair up inside the parentheses, so nothing
/// breaks out of a string, and nothing but a key meets `=`: no tautology, no call. The name
/// is no call from [`injection_call`] (`elt(a='1')`).
fn key_predicate(text: &str) -> bool {
    let b = text.trim().as_bytes();
    let name = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
        .count();
    if b.len() > 256
        || name == 0
        || !b[0].is_ascii_alphabetic()
        || b.get(name) != Some(&b'(')
        || b.last() != Some(&b')')
    {
        return false;
    }
    // Only bytes checked above: ASCII, so the slice is at char boundaries.
    if injection_call(std::str::from_utf8(&b[..name]).unwrap_or_default()) {
        return false;
    }
    let end = b.len() - 1;
    let ident = |i: usize| {
        b[i..end]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count()
    };
    let mut i = name + 1;
    loop {
        // `key=`, when a word and `=` come first.
        let key = ident(i);
        if key > 0 && b.get(i + key) == Some(&b'=') {
            if !b[i].is_ascii_alphabetic() {
                return false;
            }
            i += key + 1;
        }
        // The literal: a number, or a string with an optional type prefix (`guid'…'`).
        let prefix = ident(i);
        if b.get(i + prefix) == Some(&b'\'') && (prefix == 0 || b[i].is_ascii_alphabetic()) {
            match closing_quote(b, i + prefix, true) {
                Some(close) if close < end => i = close + 1,
                _ => return false,
            }
        } else {
            let digits = b[i..end]
                .iter()
                .take_while(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-'))
                .count();
            // `0x7e`, `1e5`: a literal SQL reads, not a plain number.
            if digits == 0 || prefix > digits {
                return false;
            }
            i += digits;
        }
        match b.get(i) {
            Some(b',') if i < end => i += 1,
            _ => return i == end,
        }
    }
}

/// A number compared with a number (`OR 1=1`, `and 2 > 1`) or a string with a string
/// (`OR "1"="1"`): the tautology an injection appends to any query language's filter.
fn compares_literals(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                let Some(end) = closing_quote(b, i, false) else {
                    break;
                };
                i = end;
                // A string compared with a string (`"1"="1"`, `'a' <> 'b'`).
                if compared_with(b, i + 1).is_some_and(|j| matches!(b.get(j), Some(b'"' | b'\''))) {
                    return true;
                }
            }
            c if c.is_ascii_digit()
                && !(i > 0
                    && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b'.'))) =>
            {
                let mut j = i;
                while b.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
                match compared_with(b, j) {
                    Some(k) if b.get(k).is_some_and(u8::is_ascii_digit) => return true,
                    Some(k) => i = k.max(i + 1),
                    None => i = j.max(i + 1),
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// Where the string opened by the quote at `open` closes: a backslash escapes the next byte,
/// or, with `doubled` (OData's and SQL's `'O''Brien'`), a quote written twice is one quote.
/// `None` when it never closes.
fn closing_quote(b: &[u8], open: usize, doubled: bool) -> Option<usize> {
    let q = b[open];
    let mut j = open + 1;
    while j < b.len() {
        if b[j] == q {
            if doubled && b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return Some(j);
        }
        j += if b[j] == b'\\' && !doubled { 2 } else { 1 };
    }
    None
}

/// After an operand ending at `j`: blanks, a comparison operator (`=`, `<>`, `>=`, `!=`)
/// and blanks; where the other operand starts, or `None` without an operator.
fn compared_with(b: &[u8], mut j: usize) -> Option<usize> {
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    let op = j;
    while b
        .get(j)
        .is_some_and(|c| matches!(c, b'=' | b'<' | b'>' | b'!'))
    {
        j += 1;
    }
    if j == op {
        return None;
    }
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    Some(j)
}

/// One line of C-family code (Java, C#, C, JavaScript) a code search holds: a condition or
/// loop header (`if (e != null && e.refersTo(key))`, `while (current < length && (`), or
/// strings concatenated to names and ended by `;` (`+ File.separator + "security";`).
/// The header's condition compares with `==`, `!=`, `<`, `>` or `!` and joins with `&&`,
/// `||`, never with a lone `=` or a comma at its top level, as MySQL's `IF(1=1,sleep(5),0)`
/// does, and calls no delay or subquery; after it, a block or a statement may open.
fn c_family_line(text: &str) -> bool {
    let t = text.trim();
    if t.contains('\n') || t.len() > 300 {
        return false;
    }
    c_condition_header(t) || c_concatenation(t)
}

fn c_condition_header(t: &str) -> bool {
    let head = t.trim_start_matches('}').trim_start();
    let head = head.strip_prefix("else ").unwrap_or(head).trim_start();
    let Some(rest) = ["if", "while", "for", "switch"]
        .iter()
        .find_map(|k| head.strip_prefix(k))
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix('('))
    else {
        return false;
    };
    let b = rest.as_bytes();
    let (mut depth, mut end) = (1usize, None);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            b',' if depth == 1 => return false,
            // A lone `=`: neither `==` nor the end of `!=`, `<=`, `>=`.
            b'=' if !(matches!(b.get(i + 1), Some(b'='))
                || (i > 0 && matches!(b[i - 1], b'=' | b'!' | b'<' | b'>'))) =>
            {
                return false
            }
            b';' | b'#' => return false,
            _ => {}
        }
    }
    let cond = &rest[..end.unwrap_or(rest.len())];
    let c_operator = ["==", "!=", "&&", "||", "<", ">", "!"]
        .iter()
        .any(|o| cond.contains(o))
        || cond.contains(").");
    let sql = cond
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| {
            matches!(
                keyword(w),
                Some(Tok::Kw(Kw::Delay | Kw::Select | Kw::Union))
            )
        });
    let after = end.map_or("", |e| rest[e + 1..].trim());
    // Unclosed, the condition goes on on the next line (`while (current < length && (`).
    let goes_on = end.is_none() && (t.ends_with("&&") || t.ends_with("||") || t.ends_with('('));
    // A statement after the header is code's, not SQL's (`if (a != b) select sleep(5);`).
    let statement = after.ends_with(';')
        && !after.contains(['\'', '#'])
        && !crate::has(after, "--")
        && !after
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| {
                matches!(
                    keyword(w),
                    Some(Tok::Kw(
                        Kw::Select
                            | Kw::Union
                            | Kw::Delay
                            | Kw::Exec
                            | Kw::Insert
                            | Kw::Update
                            | Kw::Delete
                            | Kw::Drop
                            | Kw::Create
                            | Kw::Alter
                            | Kw::Declare
                            | Kw::Shutdown
                    ))
                )
            });
    let tail = after.is_empty() || after.starts_with('{') || statement;
    c_operator && !sql && (end.is_some() || goes_on) && tail && !crate::has(cond, "--")
}

fn c_concatenation(t: &str) -> bool {
    let t = t.strip_prefix('+').unwrap_or(t).trim_start();
    let Some(body) = t.strip_suffix(';') else {
        return false;
    };
    let body = body.trim_end_matches(')').trim_end();
    let (mut strings, mut joins) = (0usize, 0usize);
    for part in body.split(" + ") {
        let part = part.trim();
        let string = part.len() >= 2
            && part.starts_with('"')
            && part.ends_with('"')
            && !part[1..part.len() - 1].replace("\\\"", "").contains('"');
        let name = !part.is_empty()
            && part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && part
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
            && keyword(part).is_none();
        if string {
            strings += 1;
        } else if !name {
            return false;
        }
        joins += 1;
    }
    strings > 0 && joins > 1
}

/// Words that open a stage of a piped query: Kusto's tabular operators (Log Analytics,
/// Sentinel, Defender, Data Explorer), Splunk's and OpenSearch PPL's commands, Sumo Logic's
/// and Loki's parsers.
const PIPE_STAGES: [&str; 53] = [
    "where",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "take",
    "limit",
    "top",
    "top-nested",
    "sort",
    "order",
    "join",
    "lookup",
    "distinct",
    "count",
    "parse",
    "parse-where",
    "mv-expand",
    "mv-apply",
    "make-series",
    "render",
    "evaluate",
    "as",
    "invoke",
    "getschema",
    "sample",
    "serialize",
    "search",
    "filter",
    "stats",
    "table",
    "head",
    "tail",
    "eval",
    "rename",
    "fields",
    "dedup",
    "rex",
    "timechart",
    "chart",
    "rare",
    "spath",
    "fillnull",
    "bin",
    "json",
    "logfmt",
    "mvexpand",
    "line_format",
    "label_format",
    "unwrap",
];

/// A piped query: a source, then stages each opened by `|` and an operator
/// (`SecurityEvent | where EventID == 4688 | project Computer, CommandLine`, Splunk's
/// `index=web | stats count by uri_path`). libinjection reads `where true` between pipes as a
/// condition; SQL has no stages. Every `|` outside a string opens one, and every string
/// closes.
fn piped_query(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut stages, mut i) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'"' | b'\'' => {
                let Some(end) = closing_quote(b, i, false) else {
                    return false;
                };
                i = end;
            }
            b'|' => {
                let rest = text[i + 1..].trim_start();
                let word = rest
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .next()
                    .unwrap_or("");
                if !PIPE_STAGES.iter().any(|s| word.eq_ignore_ascii_case(s)) {
                    return false;
                }
                stages += 1;
            }
            _ => {}
        }
        i += 1;
    }
    stages > 0
}

/// A filter written in a query language (Jira's JQL, Confluence's CQL, SCIM, Kibana, OData):
/// the value starts with a field (or a call on one), an operator and its operand
/// (`text ~ "test" AND status = "current"`, `userName eq "bjensen"`, `BlobType eq '*'`,
/// `project = SEC AND summary ~ "x"`), perhaps inside an OData lambda, a group or a `not`,
/// and every string closes where a filter takes one ([`operand_string`]). An injection's
/// quote closes the host's string after its operand. Outside the strings: no other quote,
/// no comment, no `;`, and no call an injection makes.
fn filter_expression(text: &str) -> bool {
    let t = text.trim_start();
    // OData's lambdas open with a collection and a variable (`properties.iotHubs/any(i eq
    // "…")`, `vms/any(m: m eq '…')`): the filter inside starts the same way.
    let inner = ["/any(", "/all("]
        .iter()
        .find_map(|l| {
            let at = crate::find_ci(t, l)?;
            let path = &t[..at];
            let plain = !path.is_empty()
                && path
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/'));
            plain.then(|| {
                let body = t[at + l.len()..].trim_start();
                // `m: m eq …`: the variable's declaration.
                body.split_once(':')
                    .filter(|(v, _)| !v.is_empty() && v.bytes().all(|c| c.is_ascii_alphanumeric()))
                    .map_or(body, |(_, rest)| rest.trim_start())
            })
        })
        .unwrap_or(t);
    // Groups and a negation may open it (`(Name eq 'Milk' or Name eq 'Bread') and not …`).
    let inner = inner.trim_start_matches(['(', ' ']);
    let inner = match inner.get(..4) {
        Some(w) if w.eq_ignore_ascii_case("not ") => inner[4..].trim_start_matches(['(', ' ']),
        _ => inner,
    };
    let field = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '/')))
        .unwrap_or(inner.len());
    if field == 0 || !inner.as_bytes()[0].is_ascii_alphabetic() {
        return false;
    }
    let mut rest = inner[field..].trim_start();
    // A call may stand for the field (OData's `year(BirthDate) eq 2002`) or be a condition
    // of its own before the next one (`startswith(displayName,'a') and …`); never one an
    // injection makes, anywhere in the value.
    let call = rest.starts_with('(');
    if call {
        let Some(close) = call_end(rest.as_bytes()) else {
            return false;
        };
        rest = rest[close + 1..].trim_start();
    }
    if sql_call(t) || called(t, true, injection_call) {
        return false;
    }
    let op = [
        "==", "!=", "!~", ">=", "<=", "=", "~", ":", ">", "<", "eq ", "ne ", "co ", "sw ", "ew ",
        "gt ", "ge ", "lt ", "le ", "in ", "in(", "has ",
    ]
    .iter()
    .find(|o| {
        rest.get(..o.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(o))
    });
    let operand = match op {
        Some(op) => rest[op.len()..].trim_start(),
        // A boolean call, then the next condition (a call alone is `plain_call`'s).
        None if call
            && ["and ", "or "].iter().any(|w| {
                rest.get(..w.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(w))
            }) =>
        {
            rest
        }
        None => return false,
    };
    // The string the filter opens sets its quote: `"` (JQL, SCIM), or `'` (OData's word
    // operators: `BlobType eq '*'`; an expression filter's `status != 'CANCELLED' &&
    // priority > 2`), where `''` inside a string is one quote. After a number, a name or
    // a list (`project = SEC AND summary ~ "x"`, `year(BirthDate) eq 2002 and City in
    // ('London')`), the first quote in the value sets it.
    let q = match operand.as_bytes().first() {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        _ => match t.bytes().find(|&c| c == b'"' || c == b'\'') {
            Some(c) => c,
            None => return false,
        },
    };
    let other = if q == b'"' { b'\'' } else { b'"' };
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c if c == q => {
                let Some(end) = closing_quote(b, i, q == b'\'') else {
                    return false;
                };
                if !operand_string(t, i, end) {
                    return false;
                }
                i = end;
            }
            c if c == other => return false,
            b';' | b'#' => return false,
            b'-' | b'/' if matches!(b.get(i + 1), Some(b'-' | b'*')) => return false,
            // PostgreSQL's cast (`'[1, 2]'::jsonb || '3'::jsonb`, CRS 942550): no filter
            // language writes one.
            b':' if b.get(i + 1) == Some(&b':') => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// Whether the string from `open` to `close` stands where a filter takes one: after an
/// operator, a list's `(` or `,`, a SCIM `[` or a logic word (a quoted field: JQL's `AND
/// "Story Points" > 3`), and before the end, a list's `,` or `)`, an operator (`&&` too),
/// a logic word, `ORDER BY` or the next field and its operator. `x=1 "select * from" y` has
/// a string after a number and a bare name after it.
fn operand_string(t: &str, open: usize, close: usize) -> bool {
    const BEFORE: [&str; 15] = [
        "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "in", "has", "like", "and", "or",
        "not",
    ];
    let before = t[..open].trim_end();
    let word = &before[before
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .len()..];
    let opens = match before.as_bytes().last() {
        None => true,
        Some(c) if b"=~:(,[<>!".contains(c) => true,
        Some(_) => BEFORE.iter().any(|w| w.eq_ignore_ascii_case(word)),
    };
    let rest = t[close + 1..].trim_start();
    let next = &rest[..rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .len()];
    let closes = match rest.as_bytes().first() {
        None => true,
        Some(c) if b"),]=~:<>!&|".contains(c) => true,
        // The next condition, joined by a word, or by nothing at all when it opens with
        // its field (`title:"x" status:open`, an HTML tag's `padding="3" bgcolor="#fff"`).
        Some(_) => {
            ["and", "or", "order"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(next))
                || (!next.is_empty()
                    && rest[next.len()..]
                        .trim_start()
                        .starts_with(['=', '~', ':', '<', '>', '!']))
        }
    };
    opens && closes
}

/// The finding of `order by` or `group by` after a string or a number.
const ORDERED: &str = "order/group by injected";

/// A filter whose strings are search terms (Confluence's `title ~ "order by date*" and type
/// in (page, blogpost)`, `text ~ "select*"`): read from its first quote as a breakout, each
/// term is code between two of the host's strings, and SQL's words in it look like a
/// clause. But a term is words only, starting with a letter or digit and ending on one (or
/// a wildcard right after one). Its first word is no SQL word, so it runs into the string
/// before it, which no dialect parses; or it is `select`, `order` or `group`, with no
/// number after it (`order by 5` counts columns). No term holds a logic word (`or 1 or
/// 2*` is a tautology whatever follows), a comment, or ends on a comparison word.
fn search_terms_quoted(text: &str, q: u8) -> bool {
    if !filter_expression(text) || compares_literals(text) {
        return false;
    }
    let b = text.as_bytes();
    let (mut i, mut terms) = (0usize, 0usize);
    while let Some(p) = memchr::memchr(q, &b[i..]) {
        let open = i + p;
        let Some(close) = closing_quote(b, open, q == b'\'') else {
            return false;
        };
        let term = &text[open + 1..close];
        let tb = term.as_bytes();
        let chars = tb.iter().enumerate().all(|(k, &c)| {
            c.is_ascii_alphanumeric()
                || matches!(c, b' ' | b'-' | b'_' | b'.')
                // A wildcard right after a letter or digit (`date*`, `jo*n`).
                || (c == b'*' && k > 0 && tb[k - 1].is_ascii_alphanumeric())
        });
        let core = term.trim_end_matches('*');
        let edges = tb.first().is_some_and(u8::is_ascii_alphanumeric)
            && core
                .bytes()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
        if !chars || !edges || term.contains("--") {
            return false;
        }
        let mut words = term.split(' ').map(|w| w.trim_end_matches('*'));
        let clause = match keyword(words.next().unwrap_or("")) {
            None => false,
            Some(Tok::Kw(Kw::Select | Kw::Order | Kw::Group)) => true,
            Some(_) => return false,
        };
        let last = core.rsplit(' ').next().unwrap_or("");
        let plain = words.all(|w| {
            keyword(w) != Some(Tok::Logic)
                && !(clause && !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()))
        });
        if !plain || matches!(keyword(last), Some(Tok::Cmp | Tok::CmpWord)) {
            return false;
        }
        terms += 1;
        i = close + 1;
    }
    terms > 0
}

/// Where the parentheses opened at `b[0]` close, past the strings inside them.
fn call_end(b: &[u8]) -> Option<usize> {
    let (mut depth, mut i) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' | b'\'' => i = closing_quote(b, i, b[i] == b'\'')?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Prometheus selectors: every string is a label's value inside a metric's braces, right
/// after its matcher (`node_memory_MemAvailable_bytes{job="node"}`, `{status=~"5.."}`), and
/// closes before a `,`, an `or` or the brace. libinjection reads the strings as broken out
/// of and PromQL's `or` between selectors or matchers as a condition.
fn label_matchers(text: &str) -> bool {
    let b = text.as_bytes();
    if text.contains('\'') {
        return false;
    }
    let (mut strings, mut i) = (0usize, 0usize);
    while let Some(p) = b[i..].iter().position(|&c| c == b'"') {
        let open = i + p;
        let before = text[..open].trim_end();
        let Some(matcher) = ["!=", "=~", "!~", "="]
            .iter()
            .find(|m| before.ends_with(*m))
        else {
            return false;
        };
        let label = before[..before.len() - matcher.len()].trim_end();
        let name = label
            .bytes()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        // Prometheus 3 joins matchers with `or` too (`foo{a="1" or a="2"}`), inside braces.
        let prefix = label[..label.len() - name].trim_end();
        let braced = text[..open].matches('{').count() > text[..open].matches('}').count();
        let joined = prefix.ends_with(['{', ','])
            || (braced
                && prefix
                    .get(prefix.len().saturating_sub(3)..)
                    .is_some_and(|w| w.eq_ignore_ascii_case(" or")));
        if name == 0 || !joined {
            return false;
        }
        let Some(j) = closing_quote(b, open, false) else {
            return false;
        };
        let after = text[j + 1..].trim_start();
        let ends = after.starts_with([',', '}'])
            || after
                .get(..3)
                .is_some_and(|w| w.eq_ignore_ascii_case("or "));
        if !ends {
            return false;
        }
        strings += 1;
        i = j + 1;
    }
    strings > 0
}

/// Every `'` sits between two letters, as in `it's` or `O'Brien`, and no SQL word follows
/// one (`a'or'a`, `user'collate nocase--` close a string).
fn apostrophes_only(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter()
        .enumerate()
        .filter(|(_, &c)| c == b'\'')
        .all(|(i, _)| {
            if i == 0 || !b[i - 1].is_ascii_alphabetic() {
                return false;
            }
            let next = &text[i + 1..];
            let word = &next[..next
                .bytes()
                .position(|c| !c.is_ascii_alphabetic())
                .unwrap_or(next.len())];
            !word.is_empty() && keyword(word).is_none() && !word.eq_ignore_ascii_case("collate")
        })
}

/// A sentence, then a dash or a hashtag: `Please call me back -- thanks`, `Please print my
/// invoice -- thanks`, `Please call my mobile #help`. libinjection reads the `--` or `#` as
/// a comment that cuts the host's query off after a T-SQL `call` or `print`. Before the
/// marker stand only words (two or more; apostrophes inside them, sentence punctuation), and
/// libinjection finds nothing there: what an injection needs before its comment, a quote,
/// an operator, a parenthesis, a number to extend, is what our own rules read first.
fn prose_before_comment(text: &str) -> bool {
    let dash = text.find(" -- ");
    let hashtag = text.match_indices(" #").map(|(at, _)| at).find(|&at| {
        text.as_bytes()
            .get(at + 2)
            .is_some_and(u8::is_ascii_alphabetic)
    });
    let Some(at) = [dash, hashtag].into_iter().flatten().min() else {
        return false;
    };
    let before = &text[..at];
    let plain = before.bytes().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, b' ' | b'.' | b',' | b'!' | b'?' | b':' | b'\'')
    });
    // `1 or x -- y`: a number first is the numeric value an injection extends.
    let numeric = before
        .split_whitespace()
        .next()
        .is_some_and(|w| w.bytes().all(|c| c.is_ascii_digit()));
    plain
        && !numeric
        && before.split_whitespace().count() >= 2
        && apostrophes_only(before)
        && !libinjectionrs::detect_sqli(before.as_bytes()).is_injection()
}

/// Is `text` a sentence? At least four space-separated words of three or more letters (a
/// trailing `.`, `,`, `!`, `?`, `:` or `)` allowed, and apostrophes between letters) that
/// are not SQL keywords, and they make
/// up at least half of its words: `information_schema.columns` and `concat((select` are not
/// prose words.
fn is_sentence(text: &str) -> bool {
    let mut words = 0usize;
    let mut prose = 0usize;
    for w in text.split_whitespace() {
        words += 1;
        let w = w
            .trim_start_matches('(')
            .trim_end_matches(['.', ',', '!', '?', ':', ')', ';']);
        // A contraction or elision (`it's`, `don't`, `J'ai`, `dell'ordine`): letters on both
        // sides of each apostrophe.
        let elided = |w: &str| {
            let mut prev = None;
            let mut chars = w.chars().peekable();
            while let Some(c) = chars.next() {
                let between = matches!(c, '\'' | '’')
                    && prev.is_some_and(char::is_alphabetic)
                    && chars.peek().is_some_and(|n| n.is_alphabetic());
                if !(c.is_alphabetic() || between) {
                    return false;
                }
                prev = Some(c);
            }
            true
        };
        let letters = w.chars().all(char::is_alphabetic) || (w.contains(['\'', '’']) && elided(w));
        if w.chars().count() >= 3 && letters && keyword(w).is_none() {
            prose += 1;
        }
    }
    prose >= 4 && prose * 2 >= words
}

/// `1--`, `-1#`, `1 /*x`: a number, then a comment, then at most one word.
fn number_then_comment(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = t[digits..].trim_start();
    let comment = rest.starts_with("--") || rest.starts_with('#') || rest.starts_with("/*");
    comment && !rest.trim_end().contains(char::is_whitespace)
}

/// Confidence of a libinjection fingerprint our own rules did not confirm: above the default
/// block threshold (0.7), below a structural finding.
pub(crate) const LIBINJECTION_CONFIDENCE: f32 = 0.75;

/// A value that opens with a statement break and a data-changing or executing statement
/// (`; update users set …`, `';drop table x`, `);shutdown`): a stacked query. Prose does
/// not start with a semicolon; the statement needs its object after it.
fn stacked_statement(text: &str) -> bool {
    let t = text.trim_start().trim_start_matches(['\'', '"', ')', '`']);
    let Some(rest) = t.strip_prefix(';') else {
        return false;
    };
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let word = &rest[..end];
    let after = &rest[end..];
    let statement = matches!(
        keyword(word),
        Some(Tok::Kw(
            Kw::Update | Kw::Insert | Kw::Delete | Kw::Drop | Kw::Exec | Kw::Declare | Kw::Shutdown
        ))
    ) || word.eq_ignore_ascii_case("waitfor");
    // `; update users`, `;shutdown`, `;exec(…)`: an object, nothing, or an argument list.
    let object = after.is_empty()
        || after.starts_with('(')
        || after.strip_prefix(char::is_whitespace).is_some_and(|a| {
            a.trim_start().starts_with(|c: char| {
                c.is_ascii_alphanumeric() || matches!(c, '@' | '[' | '`' | '"' | '\'')
            })
        });
    statement && object
}

/// MS SQL's extended and system procedures run with `exec` (`exec xp_cmdshell 'dir'`,
/// `execute sp_configure`): nothing else writes those words together.
///
/// A value that is only the call (no operand or break before it) is a DBA's line unless the
/// procedure is one attackers run: any `xp_`, or a system procedure that configures the
/// server, runs code or jobs, or adds logins ([`ATTACK_PROCEDURES`]). `exec sp_who2`,
/// `EXEC sp_helpindex 'dbo.Orders'` report on the server.
fn extended_procedure(text: &str) -> bool {
    procedure_call(text).is_some_and(|name| {
        name.starts_with("xp_") || ATTACK_PROCEDURES.iter().any(|p| name.starts_with(p))
    }) || operand_ended(text).is_some_and(|rest| procedure_call(rest).is_some())
}

/// The whole value is a DBA's batch of system procedure calls that report (`EXEC sp_who2;
/// EXEC sp_helpindex 'dbo.Orders';`, `exec sp_spaceused N'orders'`): each statement (split at
/// `;` and line ends) is `exec` or `execute`, an `sp_` procedure not among
/// [`ATTACK_PROCEDURES`], and arguments that are literals, names, numbers or `@name =`
/// parameters. No comment, no other statement, no `xp_`. An injection breaks out of the
/// host's operand first, which no such batch does.
fn reporting_procedures(text: &str) -> bool {
    if !text
        .trim_start()
        .get(..4)
        .is_some_and(|w| w.eq_ignore_ascii_case("exec"))
        || text.contains("--")
        || text.contains("/*")
    {
        return false;
    }
    let mut any = false;
    for part in text.split([';', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some(name) = procedure_call(part) else {
            return false;
        };
        if !name.starts_with("sp_") || ATTACK_PROCEDURES.iter().any(|p| name.starts_with(p)) {
            return false;
        }
        let args = part[part
            .to_ascii_lowercase()
            .find(&name)
            .map_or(0, |i| i + name.len())..]
            .trim();
        let plain = args.bytes().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'\'' | b'.' | b',' | b' ' | b'_' | b'@' | b'=' | b'[' | b']' | b'-'
                )
        }) && args.bytes().filter(|&c| c == b'\'').count() % 2 == 0;
        if !plain {
            return false;
        }
        any = true;
    }
    any
}

/// System procedures an injection runs: configuration (`sp_configure` to enable
/// `xp_cmdshell`), OLE automation, dynamic SQL, jobs, logins and roles, extended procedures'
/// registration, web tasks.
const ATTACK_PROCEDURES: [&str; 17] = [
    "sp_configure",
    "sp_oa",
    "sp_executesql",
    "sp_execute_external_script",
    "sp_add_job",
    "sp_start_job",
    "sp_addlogin",
    "sp_addsrvrolemember",
    "sp_addrolemember",
    "sp_adduser",
    "sp_grantlogin",
    "sp_password",
    "sp_droplogin",
    "sp_addextendedproc",
    "sp_makewebtask",
    "sp_msforeach",
    "sp_replwritetovarbin",
];

/// What follows the end of the host query's operand at the value's start: a number, a
/// closing quote or parenthesis (`1 `, `' `, `1') `), then white space (a quote or a
/// parenthesis needs none). T-SQL runs the next statement of a batch without a `;`
/// (`1 exec master..xp_cmdshell 'ping 10.0.0.1'`, `1 select name from sysobjects`).
fn operand_ended(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let t = t.strip_prefix('-').unwrap_or(t);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let closers = t[digits..]
        .bytes()
        .take_while(|c| matches!(c, b'\'' | b'"' | b')'))
        .count();
    let rest = &t[digits + closers..];
    let spaced = rest.starts_with(char::is_whitespace);
    (closers > 0 || (digits > 0 && spaced)).then(|| rest.trim_start())
}

/// `exec xp_…`, `execute master..sp_…` at `text`'s start: the procedure's name, lower-cased.
fn procedure_call(text: &str) -> Option<String> {
    let t = text.trim_start().as_bytes();
    if t.len() < 8 || !t[..4].eq_ignore_ascii_case(b"exec") {
        return None;
    }
    let lower = text.trim_start().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("execute")
        .or_else(|| lower.strip_prefix("exec"))?;
    let r = rest.trim_start();
    let r = r
        .strip_prefix("master..")
        .or_else(|| r.strip_prefix("master.dbo."))
        .unwrap_or(r);
    let end = r
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(r.len());
    (r.starts_with("xp_") || r.starts_with("sp_")).then(|| r[..end].to_string())
}

impl Detector for Sqli {
    fn name(&self) -> &'static str {
        "sqli"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let found = if value.place.kind == PlaceKind::Path {
            path_segments(value.text())
                .filter_map(|seg| {
                    let classes = ByteClasses::of(seg);
                    // Plain segments (`v1`, `users`, `42`) carry nothing; most paths end here.
                    if !classes.any(SPECIAL | bc::SPACE | bc::PLUS) {
                        return None;
                    }
                    judge_text(seg, classes).or_else(|| {
                        // `+` is literal in a path, but a payload written for a query string
                        // (`24'union+all+select+1,2,3`) means spaces by it: read it so, once.
                        (classes.any(bc::PLUS) && !classes.any(bc::SPACE))
                            .then(|| seg.replace('+', " "))
                            .and_then(|spaced| judge_text(&spaced, ByteClasses::of(&spaced)))
                    })
                })
                .max_by(|a, b| a.0.total_cmp(&b.0))
        } else {
            url_pieces(value)
                .map_or_else(
                    || judge_text(value.text(), value.classes),
                    |pieces| {
                        pieces
                            .filter_map(|p| judge_text(&p, ByteClasses::of(&p)))
                            .max_by(|a, b| a.0.total_cmp(&b.0))
                    },
                )
                .or_else(|| views_judged(value.text(), value.classes))
                .or_else(|| {
                    let header = value.place.kind == PlaceKind::Header
                        && (value.place.name.eq_ignore_ascii_case("user-agent")
                            || value.place.name.eq_ignore_ascii_case("referer"));
                    (header && sql_words(value.text()))
                        .then(|| appended_clause(value.text()))
                        .flatten()
                })
        };
        // A weak verdict on a ticket whose paragraphs are each clean alone.
        let found = found.filter(|&(_, why)| {
            !((why == LIBINJECTION || why == TRUNCATED)
                && value.classes.any(bc::NEWLINE)
                && paragraphs_clean(value.text()))
        });
        if let Some((confidence, why)) = found {
            out.push(signal(
                "sqli",
                Category::Sqli,
                confidence,
                value,
                value.text(),
                why,
            ));
        }
    }
}

/// A reading of a value as a server or a filter leaves it; `None` when it changes nothing.
type View = fn(&str) -> Option<String>;

/// `text` judged under the readings a server or a filter may give it, when the bytes
/// they need are there; `None` when none of them finds anything.
#[inline]
fn views_judged(text: &str, c: ByteClasses) -> Option<(f32, &'static str)> {
    // Most values have none of the bytes a reading needs.
    if !c
        .any(bc::NEWLINE | bc::PERCENT | bc::STAR | bc::LT | bc::NONASCII | bc::LPAREN | bc::RPAREN)
    {
        return None;
    }
    // `1%23abc%0AAND%23abc%0A1=1`, `1--x%0AOR--x%0A2>1` (sqlmap's `space2hash`,
    // `space2dash`): a line comment and its line break are a space to SQL.
    let commented = (c.any(bc::NEWLINE) && c.any(bc::HASH | bc::DASH))
        .then(|| line_comments_as_blanks(text))
        .flatten()
        .and_then(|t| judge_text(&t, ByteClasses::of(&t)));
    if commented.is_some() {
        return commented;
    }
    // `%S%E%L%E%C%T` (sqlmap's `percentage`: classic ASP drops a `%` that starts no escape)
    // and `SEL/**/ECT` (`randomcomments`, for filters that strip comments): read as the
    // server or the filter leaves them. `1.e(` before a parenthesis or comma (`scientific`)
    // is a number MySQL reads and drops; `cast(1 as decimal) AND …` (`castprefix`)
    // supplies its operand through a cast. Each view whose bytes the value has is tried
    // in turn.
    let views: [(bool, View); 6] = [
        (c.any(bc::PERCENT), stray_percents_dropped),
        (
            c.any(bc::STAR) && c.any(bc::SLASH),
            empty_comments_in_words_dropped,
        ),
        (c.any(bc::LT) && c.any(bc::GT), angle_pairs_in_words_dropped),
        (c.any(bc::NONASCII), fullwidth_quotes_folded),
        (
            c.any(bc::DOT) && c.any(bc::LPAREN | bc::RPAREN),
            scientific_dropped,
        ),
        (c.any(bc::LPAREN), cast_operand),
    ];
    views.iter().find_map(|&(applies, view)| {
        applies
            .then(|| view(text))
            .flatten()
            .and_then(|t| judge_text(&t, ByteClasses::of(&t)))
    })
}

/// A ticket's or a comment's paragraphs, each clean judged alone, with every reading
/// (`price < 20 and rating > 4` over `Is 'OR' a keyword in SQL?`): a weak verdict on the
/// whole read one paragraph's words into the next one's quotes. Every paragraph holds two
/// words at least, so a payload split at a blank line (`' UNION\n\nSELECT …`) is still
/// judged whole.
#[cold]
fn paragraphs_clean(text: &str) -> bool {
    if !crate::has(text, "\n\n") && !crate::has(text, "\n\r\n") {
        return false;
    }
    let parts: Vec<&str> = text
        .split("\n\n")
        .flat_map(|p| p.split("\n\r\n"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            let c = ByteClasses::of(p);
            let words = p
                .split_whitespace()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .count();
            words >= 2 && judge_text(p, c).is_none() && views_judged(p, c).is_none()
        })
}

/// `text` without the `%` signs that start no escape, when at least four do and, for three
/// in four of them, a character of the text follows (`%S%E%L%E%C%T %C%O%U%N%T%(%*%)`, not
/// `50% off`): classic ASP and IIS drop such a sign before the application reads the value.
/// `None` otherwise.
fn stray_percents_dropped(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let stray = |i: usize| {
        b[i] == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    };
    let (mut strays, mut glued) = (0usize, 0usize);
    for i in 0..b.len() {
        if stray(i) {
            strays += 1;
            glued += usize::from(
                b.get(i + 1)
                    .is_some_and(|c| c.is_ascii_graphic() && *c != b'%'),
            );
        }
    }
    if strays < 4 || glued * 4 < strays * 3 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        if !stray(i) {
            out.push(ch);
        }
    }
    Some(out)
}

/// `text` with fullwidth apostrophes and quotation marks (`1＇ ORDER BY 1#`, sqlmap's
/// `apostrophemask`) read as ASCII ones, when it has one: SQL Server's conversion to
/// `varchar` and NFKC normalization both fold them so. `None` otherwise.
fn fullwidth_quotes_folded(text: &str) -> Option<String> {
    if !text.contains(['\u{ff07}', '\u{ff02}']) {
        return None;
    }
    Some(text.replace('\u{ff07}', "'").replace('\u{ff02}', "\""))
}

/// `text` without the numbers written `1.e` right before `(`, `)` or `,` (`EXTRACTVALUE
/// 1.e(7179 1.e,CONCAT …`), which MySQL reads as a float and lets go: a filter looking for
/// `name(` sees none. `None` when there are fewer than two.
fn scientific_dropped(text: &str) -> Option<String> {
    let b = text.as_bytes();
    // Each number as (where its digits start, where `.e` ends): digits, then `.e`, then
    // `(`, `)` or `,`.
    let spots: Vec<(usize, usize)> = text
        .match_indices(".e")
        .filter_map(|(at, _)| {
            let digits = b[..at]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .count();
            (digits > 0 && matches!(b.get(at + 2), Some(b'(' | b')' | b',')))
                .then_some((at - digits, at + 2))
        })
        .take(64)
        .collect();
    if spots.len() < 2 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in spots {
        out.push_str(&text[last..start]);
        last = end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// `text` with a leading `cast(…)`/`convert(…)` of at most 40 bytes read as the operand `1`
/// it supplies (`cast(1 as decimal) AND !SLEEP(1)-- x`). `None` otherwise.
fn cast_operand(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let starts = |p: &[u8]| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p);
    if !(starts(b"cast(") || starts(b"convert(")) {
        return None;
    }
    let close = text.find(')').filter(|&c| c <= 40)?;
    if text[..close].matches('(').count() != 1 {
        return None;
    }
    Some(format!("1{}", &text[close + 1..]))
}

/// `text` without the empty comments that split words (`A/**/ND 4572=(SELE/**/CT …`), when
/// there is one: a filter that strips comments joins the keyword back. `None` otherwise.
/// A comment between two whole words stays a blank (`UN/**/ION/**/SEL/**/ECT` is `UNION
/// SELECT`, not `UNIONSELECT`): pieces join when they make a keyword, or when neither the
/// word so far nor the next piece is one (`CON/**/CAT`, `2999/**/999`); a word is not
/// glued onto a number (`1/**/AND`).
fn empty_comments_in_words_dropped(text: &str) -> Option<String> {
    junk_in_words_dropped(text, "/**/", false)
}

/// `text` with the `<>` that split a keyword dropped (`un<>ion sel<>ect`, GoTestWAF's
/// community set): a filter that strips angle brackets joins the keyword back. Only pieces
/// that make a keyword join: `id<>1` is SQL's own inequality.
fn angle_pairs_in_words_dropped(text: &str) -> Option<String> {
    junk_in_words_dropped(text, "<>", true)
}

/// `text` without the `junk` that splits words, joined as [`empty_comments_in_words_dropped`]
/// says; with `keyword_only`, only where the pieces make a keyword.
fn junk_in_words_dropped(text: &str, junk: &str, keyword_only: bool) -> Option<String> {
    let b = text.as_bytes();
    let n = junk.len();
    let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    let splits = |at: usize| at > 0 && word(&b[at - 1]) && b.get(at + n).is_some_and(word);
    if !text.match_indices(junk).any(|(at, _)| splits(at)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut joined_any = false;
    for (at, _) in text.match_indices(junk) {
        if !splits(at) {
            continue;
        }
        out.push_str(&text[last..at]);
        last = at;
        let ob = out.as_bytes();
        let left = &out[ob.iter().rposition(|c| !word(c)).map_or(0, |p| p + 1)..];
        let rest = &b[at + n..];
        let right = &text[at + n..at + n + rest.iter().take_while(|c| word(c)).count()];
        let joined = format!("{left}{right}");
        let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
        let join = is_keyword(&joined)
            || (!keyword_only
                && !is_keyword(left)
                && !is_keyword(right)
                && (!digits(left) || digits(right)));
        if join {
            last = at + n;
            joined_any = true;
        }
    }
    out.push_str(&text[last..]);
    (joined_any || !keyword_only).then_some(out)
}

/// A clause appended to a header a client writes by itself (`User-Agent`, `Referer`): the
/// browser's own text, then `) AND 4579=5893#`, ` OR NOT 2871=9876`, `;SELECT COUNT(*) …`.
/// Logged into a table, these headers sit in a string, but a scanner tries every context
/// after them, and no browser's or crawler's header holds a comparison of two literals
/// after a logic word, a subquery or an SQL function called after one, a statement after
/// `;` or a condition after `)`. A search page's URL in a Referer may hold a query
/// language's `status:open AND priority>2`: comparisons of names are not read.
///
/// The tokenizer reads a few tokens only, so each place a clause could start (a `)`, a
/// `;`, a blank before a word) is read on its own; at most 32 of them.
fn appended_clause(text: &str) -> Option<(f32, &'static str)> {
    let b = text.as_bytes();
    let starts = (0..b.len()).filter(|&i| {
        matches!(b[i], b')' | b';')
            || (b[i] == b' ' && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
    });
    for at in starts.take(32) {
        let toks = tokenize(&text[at..], None, MAX_TOKENS);
        if let Some(found) = later_breakout(&toks) {
            return Some(found);
        }
        let literal = |t: Tok| matches!(t, Tok::Num | Tok::Str);
        let condition = match toks[..] {
            [Tok::Logic | Tok::Kw(Kw::Where), a, Tok::Cmp, c, ..] => {
                literal(a)
                    && (literal(c) || c == Tok::LParen && toks.get(4) == Some(&Tok::Kw(Kw::Select)))
            }
            [Tok::Logic, Tok::Logic, a, Tok::Cmp, ..] => literal(a),
            [Tok::Logic, Tok::Kw(Kw::Func | Kw::Delay), Tok::LParen, ..] => true,
            [Tok::Kw(Kw::Order), Tok::Kw(Kw::By), Tok::Num, ..] => true,
            [Tok::Kw(Kw::Delay), Tok::Kw(Kw::Delay), Tok::Str | Tok::Var, ..] => true,
            _ => false,
        };
        if condition {
            return Some((0.85, "condition appended to a header"));
        }
    }
    None
}

/// `text` with every short line comment (`#` or `--`, then at most sixteen bytes that are
/// not blank, then a line break) read as the space SQL reads it; `None` when there is none.
/// A Markdown heading or a shell comment has words after its `#`, so it stays.
fn line_comments_as_blanks(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        let len = match b[i] {
            b'#' => 1,
            b'-' if b.get(i + 1) == Some(&b'-') => 2,
            _ => {
                i += 1;
                continue;
            }
        };
        let body = b[i + len..]
            .iter()
            .take(17)
            .position(|c| c.is_ascii_whitespace());
        match body {
            Some(n) if n <= 16 && b[i + len + n] == b'\n' => {
                out.push_str(&text[last..i]);
                out.push(' ');
                i += len + n + 1;
                last = i;
            }
            _ => i += len,
        }
    }
    (last > 0).then(|| {
        out.push_str(&text[last..]);
        out
    })
}

/// The text of a value that is one string literal as a program prints it, quotes and all:
/// a Python `repr` in an error tracker's frame variables (`'# initial'`, `'Both source and
/// target must be specified.'`), a JSON-encoded string. The quotes are the printer's, not
/// a breakout: its own quote appears inside only escaped (`'it\'s'`), and it holds words
/// (a space between them). What it holds is judged on its own.
fn printed_literal(text: &str) -> Option<&str> {
    let q = *text.as_bytes().first()?;
    if !matches!(q, b'\'' | b'"') || text.len() < 3 || text.as_bytes()[text.len() - 1] != q {
        return None;
    }
    let inner = &text[1..text.len() - 1];
    // Printed text has words; `'+'`, `'1--'` are an operator or a comment between quotes,
    // MySQL's implicit casts and breakouts.
    let worded = inner
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 2);
    if !inner.trim().contains(' ') || !worded {
        return None;
    }
    let b = inner.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            c if c == q => return None,
            _ => {}
        }
        i += 1;
    }
    // A trailing backslash would escape the closing quote.
    (i == b.len()).then_some(inner)
}

/// One value's verdict, given its byte classes.
fn judge_text(text: &str, classes: ByteClasses) -> Option<(f32, &'static str)> {
    if classes.any(bc::DASH) && classes.any(bc::SPACE) {
        if let Some(cut) = attribution(text) {
            let quoted = &text[..cut];
            return judge_text(quoted, ByteClasses::of(quoted));
        }
    }
    let strict = classes.any(SPECIAL & !(bc::DASH | bc::SLASH))
        || (classes.any(bc::DASH) && crate::has(text, "--"));
    if strict && !classes.any(SPECIAL & !(bc::SQUOTE | bc::DASH | bc::SLASH)) && prose(text) {
        return None;
    }
    if classes.any(bc::SQUOTE) && json_literal_operator(text) {
        return Some((0.85, "JSON literal in a condition"));
    }
    let stacked = classes.any(bc::SEMI) && stacked_statement(text);
    if stacked || (classes.any(bc::UNDERSCORE) && extended_procedure(text)) {
        return Some((0.85, "statement after a break"));
    }
    let found = Sqli::check(text, classes.any(SPECIAL), strict);
    // The weak verdicts (a fingerprint, a comment that would cut the query off) on a printed
    // literal were about its quotes; they stand only if what it holds is judged so too.
    let weak = |why: &str| why == LIBINJECTION || why == TRUNCATED;
    match found {
        Some((_, why)) if weak(why) && classes.any(bc::SQUOTE | bc::DQUOTE) => {
            match printed_literal(text) {
                Some(inner) => judge_text(inner, ByteClasses::of(inner)),
                None => found,
            }
        }
        _ => found,
    }
}

/// Where a quotation's attribution starts: the value's last line is `-- Name` (`---` too),
/// after a sentence's end (`.`, `!`, `?`, `…`) or a closing quote and a blank
/// (`…una faccia cosi'.\n\t\t-- Vaccabolario della Lingua Itagliana`, `…hitter rule." --
/// David Guaspari`, `-- "Incontro a Farpoint" (TNG)`), with three prose words before it.
/// Italian typed without accents ends words in an apostrophe (`piu'`, `e'`, `dignita'`),
/// which reads as a string closed before a comment; the attribution is a name, not a
/// comment cutting a query. `None` otherwise; the text before it is judged instead.
fn attribution(text: &str) -> Option<usize> {
    // The last `--`, by a plain loop: the values that get here are short, and `str::rfind`
    // builds a two-way searcher per call.
    let b = text.as_bytes();
    let at = (1..b.len())
        .rev()
        .find(|&i| b[i] == b'-' && b[i - 1] == b'-')?
        - 1;
    let start = text[..at].trim_end_matches('-').len();
    let name = text[at + 2..].trim_start_matches('-');
    let name_line = name.trim_end();
    if !name.starts_with([' ', '\t'])
        || name_line.len() > 160
        || name_line.contains('\n')
        || !name_line
            .trim_start()
            .trim_start_matches(['"', '“', '«', '„'])
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    {
        return None;
    }
    let before = &text[..start];
    let quoted = before.trim_end();
    if quoted.len() == before.len() {
        return None;
    }
    let ends = quoted.ends_with(['.', '!', '?', '…', '"', '\'', '»', '”', '’']);
    (ends && crate::xss::prose_words(quoted) >= 3).then_some(quoted.len())
}

/// A URL with a query, as its address and its query's keys and values, each decoded as a
/// query component: a Referer, or a value that is an absolute `http(s)` URL and nothing else
/// (the page an analytics beacon reports, `dl=`, `url=`, `{"page": {"url": …}}`, a link a
/// form saves). A search page's query (`…/search?q=use+a+different+model+than+the+%22select
/// %2Fpoll+on+a+file`, `…?q=Use+double+quotes+(%22)+for+identifiers`) read whole runs its
/// words into the URL, so a phrase the user quoted reads as a string broken out of. A break
/// in any piece is still read in that piece (`…?id=1'+AND+1=1--`, `…/page'+AND+…?x=1`).
/// `None` for any other value, and for a query of more than 64 pairs or with `&&`, which is
/// judged whole, as before, rather than in part.
fn url_pieces(value: &Value) -> Option<impl Iterator<Item = Cow<'_, str>>> {
    let referer =
        value.place.kind == PlaceKind::Header && value.place.name.eq_ignore_ascii_case("referer");
    // A URL sent encoded once more than its container decodes (a bot-manager's `Referer`
    // form field) is read decoded.
    let url = if referer || absolute_url(&value.raw) {
        value.raw.as_str()
    } else if absolute_url(value.text()) {
        value.text()
    } else {
        return None;
    };
    let (address, query) = palisade_normalize::split_query(url)?;
    // `&&` joins no two pairs; it is MySQL's AND (`?a=1'&&sleep(5)#`): judged whole.
    if query.split('&').nth(64).is_some() || query.contains("&&") {
        return None;
    }
    let pairs = palisade_normalize::query_pairs(query).flat_map(|(k, v)| [k, v]);
    Some(
        std::iter::once(address)
            .chain(pairs)
            .map(palisade_normalize::query_component),
    )
}

/// `https://host/…` (or `http://`) and no blank: the value is one address, not a sentence
/// that links one.
fn absolute_url(s: &str) -> bool {
    let rest = ["https://", "http://"].iter().find_map(|p| {
        s.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &s[p.len()..])
    });
    rest.is_some_and(|r| {
        r.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'[')
            && !r.bytes().any(|b| b.is_ascii_whitespace())
    })
}

/// A path's segments, each judged alone: an injection sits inside one (`/items/1 or 1=1`),
/// and across the slashes a whole path reads as names divided by names. A slash that opens
/// or closes a comment (`sleep(/*x*/5)`, `1/**/union`) belongs to the segment around it.
fn path_segments(path: &str) -> impl Iterator<Item = &str> {
    let b = path.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let at = i;
            i += 1;
            let comment = b.get(at + 1) == Some(&b'*') || (at > 0 && b[at - 1] == b'*');
            if b[at] == b'/' && !comment {
                let seg = &path[start..at];
                start = i;
                return Some(seg);
            }
        }
        if start <= b.len() {
            let seg = &path[start..];
            start = b.len() + 1;
            return Some(seg);
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> bool {
        crate::hits(&Sqli, s)
    }

    /// Regression (the engine's proptest, session 34, a multipart name `''"<'`): the string
    /// after the breakout's quote may be empty or open with a multibyte character.
    #[test]
    fn quoted_hash_takes_any_line_after_the_quote() {
        for text in ["'", "x'", "x'\n#", "x'é", "x'é'", "''\"<'", "a b 'é--x' c"] {
            for q in [b'\'', b'"'] {
                let _ = quoted_hash(text, q);
            }
        }
        assert!(quoted_hash("use \"--verbose\" to see more", b'"'));
        assert!(!quoted_hash("admin'", b'\''));
    }

    /// Regression (session 24, an inbound mail's `.snd` attachment read as text past 8 KB):
    /// random bytes matched a libinjection fingerprint.
    #[test]
    fn binary_junk_is_no_query() {
        let junk = "d\u{fffd}Y\u{fffd}\u{fffd}>LL315%4\u{fffd} 1\u{fffd})-\u{fffd}\u{fffd}.\u{1}\u{fffd}Y<-`O'\u{fffd}\u{fffd}<{\u{fffd}j^d<8=1(.\u{fffd}&!\u{fffd}?";
        assert!(binary(junk));
        assert!(!binary("1' OR '1'='1' -- \u{fffd}"));
        assert!(!binary("Grüße aus Köln, 1' or 1=1--"));
    }

    /// Regression: the call's name was found by a byte offset after the last non-word
    /// character, inside a multibyte one (`¾alert(1)`, from the CRS corpus).
    #[test]
    fn call_in_a_sentence_after_multibyte_text_does_not_panic() {
        assert!(!call_then_words("<a probe=\"¼script¾alert(1)¼/script¾\">"));
        assert!(call_then_words("Wir nutzen sleep(5) between retries"));
        assert!(call_then_words("We sleep(5) between retries, is that ok?"));
        assert!(!call_then_words("We sleep(5)#"));
        assert!(!call_then_words("1 and sleep(5) between retries"));
    }

    #[test]
    fn short_line_comments_read_as_blanks() {
        assert_eq!(
            line_comments_as_blanks("1#abc\nAND#abc\n1=1").as_deref(),
            Some("1 AND 1=1")
        );
        assert_eq!(
            line_comments_as_blanks("-1--x\nOR--x\n2>1").as_deref(),
            Some("-1 OR 2>1")
        );
        assert_eq!(line_comments_as_blanks("# Title here\ntext"), None);
        assert_eq!(line_comments_as_blanks("no comments"), None);
        assert_eq!(line_comments_as_blanks("é#\nü").as_deref(), Some("é ü"));
    }

    #[test]
    fn ascii_words_are_the_runs_a_char_split_finds() {
        for text in ["", "it's fine", "  a_b,c--d ", "héllo wörld_1", "x", "é"] {
            let split: Vec<&str> = text
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(ascii_words(text).collect::<Vec<_>>(), split, "{text:?}");
        }
    }

    /// The hand-written matcher answers as the automaton it replaced (with blanks read as
    /// spaces), on every line of the SQL test data and on strings built from the patterns'
    /// pieces in both cases.
    #[test]
    fn sql_words_match_the_automaton() {
        let automaton = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(SQL_WORDS)
            .unwrap();
        let mut texts: Vec<String> = ["attacks", "benign", "recorded"]
            .iter()
            .flat_map(|f| {
                let path = format!("{}/testdata/sqli/{f}.txt", env!("CARGO_MANIFEST_DIR"));
                std::fs::read_to_string(path)
                    .unwrap()
                    .lines()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(texts.len() > 250);
        let pieces = [
            " ", "o", "r", "OR", " or", "or ", " Or ", "and ", " AN", "D", "unio", "n", "SELEC",
            "t", "sleep", "bench", "mark", "WAITFOR", "havin", "g", "order", " by", "group",
            "procedur", "e", " into", " limit", "x", "é", "\0",
        ];
        // Every string of up to three pieces: patterns whole, split and cut off at the end.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        texts.push("1\tAND\t1 LIKE 1".into());
        texts.push("x\r\nunion\x0cselect".into());
        for t in &texts {
            // SQL reads every blank as a space: so does the matcher.
            let spaced: String = t
                .chars()
                .map(|c| {
                    if matches!(c, '\t' | '\n' | '\r' | '\x0b' | '\x0c') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(sql_words(t), automaton.is_match(&spaced), "{t:?}");
        }
    }

    /// The option-argument excuse slices the argument: a multibyte letter where `select `
    /// would end must not panic (it is no plain select).
    #[test]
    fn shell_argument_with_multibyte_text_does_not_panic() {
        assert!(!select_shell_argument("psql -c 'selecté 1'", b'\''));
        assert!(select_shell_argument("psql -c 'select 1'", b'\''));
        hit("psql -c 'selecté 1' or 1=1");
    }

    #[test]
    fn path_segments_keep_comment_slashes() {
        let segs: Vec<&str> = path_segments("/a/sleep(/*x*/5)/1/**/or/").collect();
        assert_eq!(segs, ["", "a", "sleep(/*x*/5)", "1/**/or", ""]);
        assert_eq!(path_segments("x").collect::<Vec<_>>(), ["x"]);
    }

    #[test]
    fn prose_skips_the_tokenizer_only_without_sql_words() {
        assert!(prose("Leave at the door, it's fine"));
        assert!(prose("O'Brien's bakery"));
        // Quotes outside words, SQL words between quotes, comments: not prose.
        for s in [
            "admin'or'a'like'a",
            "x'union'select'1",
            "it's'",
            "'quoted'",
            "don't -- ever",
            "Bob's /* note",
            "it's 1 or 2",
            "it's from the user",
        ] {
            assert!(!prose(s), "{s}");
        }
        assert!(hit("admin'or'a'like'a"));
    }

    #[test]
    fn classic_injections_are_caught() {
        for s in [
            "' or 1=1--",
            "1' OR '1'='1",
            "1 or 1=1",
            "admin'--",
            "admin' #",
            "1 UNION SELECT username, password FROM users",
            "-1 union all select 1,2,3",
            "1; DROP TABLE users",
            "'; exec xp_cmdshell 'dir'--",
            "1 AND SLEEP(5)",
            "1' and sleep(5) and '1'='1",
            "' order by 3--",
            "1%27%20or%20%271%27%3D%271",
            "x' || (select 1) || '",
            "1/**/union/**/select/**/1",
            "1' and extractvalue(1,concat(0x7e,version()))--",
            "\" or \"\"=\"",
            "') or ('a'='a",
            // Regressions from the libinjection corpus: T-SQL statements need no `;`.
            "username'exec master..xp_cmdshell'ping 127.0.0.1' -- and password = 'test'",
            "username'declare @s varchar (8000); ...",
            "'begin declare @s varchar (8000);set @s = cast(0x65786563 as varchar(8000));exec(@s)",
            "'goto label; label: declare @s varchar(8000)",
            "declare @s varchar(8000) set @s = cast(0x6578 as varchar(8000))",
            "x' waitfor delay '0:0:5'--",
            "1; update users set password = 'x'",
            // Regressions from sqlmap payloads (HttpParamsDataset).
            "-7103)) or 4610=1871 and ((1249=1249",
            "1) where 3979=3979 rlike sleep(5)--",
            "1' where 8584=8584 order by 1#",
            "1') as jlae where 1650=1650;begin user_lock.sleep(5); end--",
            "1%\");call regexp_substring(repeat(left(crypt_key(char(65),null),0),500000000)",
            "1));select dbms_pipe.receive_message(chr(66)||chr(67),5) from dual",
            "1',(select (case when (2106=2106) then 1 else 0 end))",
            "1)(select (case when (4587=4587) then 1 else 0 end))",
            "(select 1 from dual)",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    /// The positional rules read at most MAX_TOKENS tokens; UNION is scanned for everywhere,
    /// so a long harmless prefix does not hide it.
    #[test]
    fn union_select_after_a_long_prefix_is_caught() {
        let prefix = "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(4);
        assert!(hit(&format!(
            "{prefix}1 UNION ALL SELECT password FROM users"
        )));
        assert!(hit(&format!("{prefix}') union (select 1)")));
        assert!(!hit(&format!(
            "{prefix} the trade union selected a new chair"
        )));
    }

    #[test]
    fn prose_names_and_sql_words_stay_clean() {
        for s in [
            "O'Brien",
            "it's a nice day, isn't it?",
            "select a union representative",
            "Tom & Jerry",
            "rock-n-roll",
            "drop me a line; I will reply",
            "order by price",
            "SELECT your plan",
            "5 - 3 = 2",
            "\"quoted\" words and 'single' ones",
            "a/b/c",
            "email: bob@example.com",
            "2024-01-01",
            "Use `git log --oneline` to see history",
            "I like cats or dogs",
            "this or that",
            "C# and F# are languages",
            "update your profile now",
            "insert into the slot",
            "exec summary report",
            "Begin the day with a smile",
            "'Select' is a keyword",
            "please select one, then continue",
            // Regressions from libinjection's false-positive list (search queries).
            "\"WOOD\" AND \"SIGN\" AND \"POLKA DOTS\"",
            "DO OR NOT DO, THERE IS NO",
            "1060 OR 70S",
            "\"INTO THE WILD\"",
            "7\" #2 CIRCULAR NEEDLE",
            "dad and keychain and \"loved by\"",
            "1 AND A1/2 INCH LIME GREEN GROSGRAIN RIBBON",
            " shabby \"and white",
            "1; exec will create the case 7",
            "call mom (555) 123",
            "(if you want) bring snacks",
            "5) where we met",
            "-5 degrees or colder",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
