//! NoSQL injection carried inside a string value: a MongoDB operator object the server
//! parses out of the string (`{"$ne": null}`, `{$gt: ''}`, `[$ne]=1`), a `$where` clause,
//! and server-side JavaScript after a closed string (`' && this.password.match(/.*/)//`,
//! `';it=new Date();do{…}while(…)`). And operators as keys: a query or form key
//! (`password[$ne]=x`) or a JSON key (`{"password": {"$ne": null}}`), see [`operator_key`].
//!
//! A filter written out in a document or an API that takes Mongo filters on purpose
//! (`{"price": {"$gt": 10}}`) is recorded, not blocked: the blocking shapes are the ones
//! that make a condition true for every record (`$ne: null`, `$gt: ''`, `$regex: '.*'`), an
//! operator that runs code (`$where`, `$function`), and script after a string break.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};

pub struct Nosql;

/// Query operators (lower-cased) whose use in a string value or as a key is worth a look
/// (`$text` is the full-text search, which reaches every indexed field). `$type`,
/// `$size`, `$comment`, `$schema`, `$ref` and `$id` are left out: .NET type hints and JSON
/// Schema write them in ordinary documents.
const OPERATORS: [&str; 19] = [
    "ne",
    "eq",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "nin",
    "regex",
    "where",
    "exists",
    "expr",
    "or",
    "nor",
    "not",
    "elemmatch",
    "function",
    "accumulator",
    "text",
];

/// Operators that run JavaScript or an aggregation expression on the server.
fn runs_code(op: &str) -> bool {
    matches!(op, "where" | "function" | "accumulator" | "expr")
}

/// An operand that makes the comparison hold for (almost) every record: `null`, `''`, `1`,
/// `true`, `.*`, `[""]`, `[]`, and a list holding the empty filter (`$or: [ {}, …`), which
/// matches every record. A real filter compares with a real value.
fn trivial(operand: &str) -> bool {
    let o = operand.trim().trim_matches(['"', '\'']).trim();
    if o.starts_with('[') && o[1..].trim_start().starts_with("{}") {
        return true;
    }
    matches!(
        o,
        "" | "null"
            | "0"
            | "1"
            | "-1"
            | "true"
            | "false"
            | ".*"
            | "^"
            | ".+"
            | "[]"
            | "[\"\"]"
            | "['']"
    )
}

/// Parameters that hold a query the API takes on purpose, in MongoDB's operators: Strapi's
/// `filters[title][$contains]=x`, Parse's `where={"score":{"$gte":1000}}`, the Data API's
/// `filter`, Feathers' and LoopBack's `query` and `where`.
const QUERY_CONTAINERS: [&str; 10] = [
    "filters",
    "filter",
    "where",
    "query",
    "q",
    "match",
    "conditions",
    "criteria",
    "selector",
    "search",
];

/// A query operator as a key: a query or form key (`password[$ne]=x`,
/// `filters[$or][0][date][$eq]=…`) or a JSON key at its path (`$.password.$ne`). An
/// operator on a field of the request itself is an injection: the server expected a value
/// and got a condition (the login bypass `password[$ne]=x`), 0.85. Under a parameter that
/// holds a query on purpose ([`QUERY_CONTAINERS`]) it is the API's own filter language,
/// recorded at 0.6. An operator that runs JavaScript (`$where`, `$function`,
/// `$accumulator`) counts anywhere, 0.9; `$expr`'s aggregation expressions are a filter's.
fn operator_key(value: &Value) -> Option<f32> {
    let (path, bracketed) = match value.place.kind {
        PlaceKind::QueryKey | PlaceKind::FormKey => (value.text(), true),
        PlaceKind::JsonKey => (value.place.name.as_str(), false),
        _ => return None,
    };
    if !path.contains('$') {
        return None;
    }
    // The segments from the root: `a[b][$ne]`, a body's `$.a.b.$ne`, or a JSON query
    // value's `$filter.price.$gt` (its parameter's name after the `$`); array indexes dropped.
    let segments: &mut dyn Iterator<Item = &str> = if bracketed {
        &mut path.split(['[', ']']).filter(|s| !s.is_empty())
    } else {
        &mut path
            .strip_prefix('$')
            .unwrap_or(path)
            .split('.')
            .filter(|s| !s.is_empty())
            .map(|s| s.split('[').next().unwrap_or(s))
    };
    let (mut best, mut in_query) = (None, false);
    for seg in segments {
        let op = seg
            .strip_prefix('$')
            .and_then(|op| OPERATORS.iter().find(|o| o.eq_ignore_ascii_case(op)));
        if let Some(&op) = op {
            let conf = if runs_code(op) && op != "expr" {
                0.9
            } else if in_query {
                0.6
            } else {
                0.85
            };
            best = Some(best.map_or(conf, |b: f32| b.max(conf)));
        }
        in_query |= QUERY_CONTAINERS.iter().any(|c| seg.eq_ignore_ascii_case(c));
    }
    best
}

/// The operand after `:`: a quoted string, a bracketed list, or a bare word or number.
fn operand(s: &str) -> &str {
    let s = s.trim_start();
    let end = match s.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => s[1..].find(q as char).map_or(s.len(), |e| e + 2),
        Some(b'[') => crate::matching(s, ']').map_or(s.len(), |e| e + 1),
        _ => s.find([',', '}', ']', ' ']).unwrap_or(s.len()),
    };
    &s[..end]
}

/// The strongest operator object in `text`: 0.9 for a code-running operator, an always-true
/// comparison or the bracket form (`[$ne]=1`) near the value's start; 0.6 for any other.
fn operator_object(text: &str) -> Option<f32> {
    let b = text.as_bytes();
    let mut best: Option<f32> = None;
    for at in memchr::memchr_iter(b'$', b) {
        let name_end = b[at + 1..]
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .map_or(b.len(), |n| at + 1 + n);
        // Matched without a lower-cased copy: this runs at every `$` (prices, templates).
        let Some(&name) = OPERATORS
            .iter()
            .find(|o| o.eq_ignore_ascii_case(&text[at + 1..name_end]))
        else {
            continue;
        };
        // What opens it: `{`, `,` or `[` (a quote may wrap the key), or the value's start.
        let before = text[..at].trim_end_matches(['"', '\'']).trim_end();
        let opener = before.as_bytes().last().copied();
        if !matches!(opener, None | Some(b'{' | b',' | b'[')) {
            continue;
        }
        let after = text[name_end..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        let prefix = &before[..before.len().saturating_sub(1)];
        // A filter inside prose or a Markdown span is shown, not sent: only recorded.
        let shown = prefix.contains('`') || prefix.split_whitespace().count() > 3;
        let c: f32 = if opener == Some(b'[') {
            // `password[$ne]=1`, or the value itself `[$ne]=1`; in a sentence
            // (`Filter: [$ne]=1 style params`) the bracket follows a space.
            let keyed = prefix.is_empty()
                || prefix
                    .bytes()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b']'));
            match after.strip_prefix(']') {
                Some(rest) if rest.starts_with('=') && keyed => 0.9,
                // The value opening with the operator's bracket (`[$lte]x`): a key suffix
                // smuggled into a value, for a server that joins them (CRS 942290).
                Some(_) if prefix.is_empty() && before.len() == 1 => 0.85,
                _ => continue,
            }
        } else if let Some(rest) = after.strip_prefix(':') {
            if runs_code(name) || trivial(operand(rest)) {
                0.9
            } else {
                0.6
            }
        } else {
            continue;
        };
        let c = if shown { c.min(0.6) } else { c };
        best = Some(best.map_or(c, |b: f32| b.max(c)));
    }
    best
}

/// `' && this.password.match(/.*/)//`, `" || this.isAdmin`: a closed string, a logical
/// operator and a reach into the document `$where` evaluates against.
fn where_script(text: &str) -> bool {
    text.match_indices("this.").any(|(at, _)| {
        let before = text[..at].trim_end();
        let Some(before) = before
            .strip_suffix("&&")
            .or_else(|| before.strip_suffix("||"))
        else {
            return false;
        };
        before.trim_end().ends_with(['\'', '"'])
    })
}

/// `';it=new Date();do{pt=new Date();}while(pt-it<5000);`, `'; return true; var x='`:
/// a statement after a closed string, in the JavaScript a `$where` or `mapReduce` runs.
fn script_after_string(text: &str) -> bool {
    let t = text.trim_start();
    // The string closed, or a number ended (`0;return true` in a numeric `$where`).
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let Some(rest) = t
        .strip_prefix(['\'', '"'])
        .or((digits > 0).then(|| &t[digits..]))
    else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix(';') else {
        return false;
    };
    let rest = rest.trim_start();
    // `return true`, `return(true)`, `return 1`, `return this.…`, `return 'a'=='a'`: a
    // `$where` made to hold for every record.
    let returns = rest.strip_prefix("return").is_some_and(|r| {
        if !r.starts_with([' ', '(']) {
            return false;
        }
        let r = r.trim_start_matches([' ', '(']);
        r.starts_with("true")
            || r.starts_with('1')
            || r.starts_with("this.")
            || (r.starts_with(['\'', '"']) && r.contains("=="))
    });
    returns
        || rest.starts_with("while(")
        || (rest.contains("new Date") && rest.contains("while("))
        || rest.starts_with("db.")
}

/// A whole value that is a MongoDB shell statement changing data (`db.injection.insert(
/// {success:1});`, `db.users.drop()`): what GoTestWAF sends to an endpoint that evaluates
/// JavaScript on the server. A read (`db.users.find()`) counts only as a statement ended by
/// `;`; a sentence around the call (`run db.users.find() to list them`) is documentation.
fn shell_statement(text: &str) -> bool {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("db.") else {
        return false;
    };
    let name = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let Some(call) = rest[name..].strip_prefix('.') else {
        return false;
    };
    let method = call.find('(').map_or("", |p| &call[..p]);
    let writes = matches!(
        method,
        "insert"
            | "insertOne"
            | "insertMany"
            | "update"
            | "updateOne"
            | "updateMany"
            | "replaceOne"
            | "remove"
            | "deleteOne"
            | "deleteMany"
            | "drop"
            | "save"
    );
    let reads = matches!(
        method,
        "find" | "findOne" | "aggregate" | "mapReduce" | "count"
    );
    // The call closed, then the value's end or `;` and the next statement
    // (`db.injection.insert({success:1});return 1;db.stores.mapReduce(…`).
    let after = call.find('(').and_then(|open| {
        crate::matching(&call[open..], ')').map(|close| &call[open + close + 1..])
    });
    let ended = after.is_some_and(|a| a.trim().is_empty() || a.starts_with(';'));
    let terminated = after.is_some_and(|a| a.starts_with(';'));
    name > 0 && ((writes && ended) || (reads && terminated))
}

impl Detector for Nosql {
    fn name(&self) -> &'static str {
        "nosql"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let c = value.classes;
        let text = value.text();
        let mut found: Option<(f32, &'static str)> = None;
        if c.any(bc::DOLLAR) {
            if let Some(conf) = operator_object(text) {
                found = Some((conf, "query operator inside a string value"));
            }
        }
        if let Some(conf) = operator_key(value) {
            if found.is_none_or(|(f, _)| f < conf) {
                found = Some((conf, "query operator as a parameter's key"));
            }
        }
        if found.is_none_or(|(conf, _)| conf < 0.9)
            && ((c.any(bc::SQUOTE | bc::DQUOTE)
                && c.any(bc::DOT)
                && (c.any(bc::AMP) || c.any(bc::PIPE))
                && where_script(text))
                || (c.any(bc::SEMI) && script_after_string(text)))
        {
            found = Some((0.9, "server-side script after a closed string"));
        }
        if found.is_none() && c.any(bc::DOT) && c.any(bc::LPAREN) && shell_statement(text) {
            found = Some((0.85, "MongoDB shell statement"));
        }
        if let Some((conf, why)) = found {
            out.push(signal("nosql", Category::Nosql, conf, value, text, why));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confidence(s: &str) -> Option<f32> {
        let mut out = Vec::new();
        Nosql.inspect(&crate::value(s), &mut out);
        out.first().map(|s| s.confidence)
    }

    /// Operator keys: on a field of the request an injection, under a query parameter the
    /// API's filter language (recorded), and code-running operators anywhere.
    #[test]
    fn operator_keys_are_judged_by_where_they_sit() {
        let at = |kind, name: &str, key: &str| {
            let mut out = Vec::new();
            let v = Value::new(palisade_types::Place::new(kind, name), key.to_string(), 3);
            Nosql.inspect(&v, &mut out);
            out.first().map(|s| s.confidence)
        };
        let (q, f, j) = (PlaceKind::QueryKey, PlaceKind::FormKey, PlaceKind::JsonKey);
        assert_eq!(at(q, "", "password[$ne]"), Some(0.85));
        assert_eq!(at(f, "", "user[name][$regex]"), Some(0.85));
        assert_eq!(at(j, "$.password.$ne", "$ne"), Some(0.85));
        assert_eq!(at(j, "$.$or", "$or"), Some(0.85));
        assert_eq!(at(q, "", "filters[title][$contains]"), None);
        assert_eq!(at(q, "", "filters[price][$lte]"), Some(0.6));
        assert_eq!(at(q, "", "filters[$or][0][date][$eq]"), Some(0.6));
        assert_eq!(at(j, "$.where.score.$gte", "$gte"), Some(0.6));
        assert_eq!(at(j, "$filter.price.$gt", "$gt"), Some(0.6));
        assert_eq!(at(j, "$.query.$or[0].age.$in", "$in"), Some(0.6));
        assert_eq!(at(q, "", "filters[x][$where]"), Some(0.9));
        assert_eq!(at(j, "$.filter.$function", "$function"), Some(0.9));
        assert_eq!(at(j, "$.price", "price"), None);
        assert_eq!(at(PlaceKind::QueryValue, "q", "filters[price][$lte]"), None);
    }

    #[test]
    fn operator_objects_and_where_scripts_are_caught() {
        for s in [
            "{ $ne: 1 }",
            "{\"$gt\": \"\"}",
            "{$nin: [\"\"]}}",
            "$where: '1 == 1'",
            "', $where: '1 == 1'",
            "[$ne]=1",
            "' && this.password.match(/.*/)//",
            "';it=new Date();do{pt=new Date();}while(pt-it<5000);",
            // A shell statement as the whole value (GoTestWAF's NoSQL set, session 26).
            "db.injection.insert({success:1});",
            "db.users.drop()",
            "db.users.find({});",
        ] {
            assert!(confidence(s).is_some_and(|c| c >= 0.7), "missed: {s}");
        }
    }

    #[test]
    fn real_filters_and_documents_are_only_recorded() {
        for s in [
            "{\"price\": {\"$gt\": 10}}",
            "Use `{ field: { $ne: null } }` to skip empty ones",
            "to find them run { age: { $gt: '' } } in the shell, it matches all strings",
        ] {
            assert_eq!(confidence(s), Some(0.6), "{s}");
        }
        for s in [
            "{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}",
            "{\"$type\": \"Acme.Order, Acme\"}",
            "Total: $5 in cash",
            "${name} and {$count}",
            "it's this. && that",
            "run db.users.find() to list them",
            "db.users.find()",
            "db.example.com",
        ] {
            assert_eq!(confidence(s), None, "{s}");
        }
    }
}
