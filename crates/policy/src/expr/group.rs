//! Regexes over the same short request field, run in one pass per request.
//!
//! The pack tests `request.path` against thirty-odd patterns, `request.query_string`
//! against seventeen and the user agent against a dozen patterns and word lists. Entering
//! the regex engine or an automaton costs a few hundred instructions however short the
//! text, so one `RegexSet` per field answers all of them for about the price of one: the
//! first policy that asks runs the set, the others read its answer
//! (`Facts::group_matches`). A `containsAny` word list joins as a case-insensitive
//! alternation of its words. The body is not grouped: its regexes start with rare literals
//! that their own prefilters skip to, which a set cannot do.

use super::compile::{Field, Node, Program};
use regex::RegexSet;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Fields whose regexes are grouped, at most; each has a slot in the facts' cache.
pub const MAX_GROUPS: usize = 8;

/// A field's regexes as one set; `slot` is where facts keep its answer for a request.
#[derive(Debug)]
pub struct RegexGroup {
    pub(crate) set: RegexSet,
    pub(crate) slot: usize,
    /// Unique for the life of the process (an address could be reused by a group built
    /// after a reload): the memo's key.
    pub(crate) id: u64,
}

/// At most this many patterns in a group: its answer is one bit each in a `u128`.
const MAX_PATTERNS: usize = 128;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Texts up to this long are remembered (user agents, paths, short query strings).
const MEMO_TEXT: usize = 256;
/// Answers remembered per thread, direct-mapped by hash: at most 512 × 256 bytes of text.
const MEMO_SLOTS: usize = 512;

type MemoEntry = Option<(u64, Box<str>, u128)>;

thread_local! {
    /// The last answers per slot. The same user agent, path or query string comes back
    /// request after request (a browser's user agent on every call it makes), and a set
    /// costs a few hundred instructions to enter however short the text: a hit costs a
    /// hash and a comparison. Per thread, so no lock; bounded, so nothing grows.
    static MEMO: RefCell<Vec<MemoEntry>> = RefCell::new(vec![None; MEMO_SLOTS]);
}

impl RegexGroup {
    fn new(set: RegexSet, slot: usize) -> Self {
        RegexGroup {
            set,
            slot,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Which of the group's patterns match `text`: bit `i` for pattern `i`.
    pub(crate) fn answer(&self, text: &str) -> u128 {
        if text.len() > MEMO_TEXT {
            return self.run(text);
        }
        let at = (MEMO_HASH.hash_one((self.id, text)) as usize) & (MEMO_SLOTS - 1);
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some((id, t, bits)) = &memo[at] {
                if *id == self.id && **t == *text {
                    return *bits;
                }
            }
            let bits = self.run(text);
            memo[at] = Some((self.id, text.into(), bits));
            bits
        })
    }

    fn run(&self, text: &str) -> u128 {
        self.set
            .matches(text)
            .iter()
            .fold(0, |bits, i| bits | (1u128 << i))
    }
}

static MEMO_HASH: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x9e37_79b9);

/// Fewer regexes on one field than this are cheaper run one by one.
const MIN_GROUP: usize = 3;

/// Subjects whose text is the same for every policy of one request, and short.
fn groupable(subject: &Node) -> bool {
    match subject {
        Node::Field(f) => matches!(
            f,
            Field::Path
                | Field::QueryString
                | Field::Host
                | Field::Route
                | Field::Endpoint
                | Field::ContentType
                | Field::UserAgent
        ),
        Node::Header(_) => true,
        _ => false,
    }
}

/// The subject and the pattern of a node a set can answer for: `matches` and ASCII
/// `containsAny` (ASCII case folding, as its automaton does) on a groupable subject.
fn pattern(n: &Node) -> Option<(&Node, String)> {
    match n {
        Node::Matches(subject, re) if groupable(subject) => Some((subject, re.as_str().into())),
        Node::ContainsAny(subject, _, words)
            if groupable(subject) && words.iter().all(|w| w.is_ascii()) =>
        {
            let words: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
            Some((subject, format!("(?i-u)(?:{})", words.join("|"))))
        }
        _ => None,
    }
}

/// A key equal for equal subjects.
fn key(subject: &Node) -> String {
    format!("{subject:?}")
}

/// Rewrites every `field.matches(re)` whose field has enough regexes into a lookup in that
/// field's set. Semantics are unchanged: a set reports, per pattern, whether it matches
/// anywhere, exactly as `is_match` does.
pub fn group_regexes(programs: &mut [&mut Program]) {
    let mut patterns: HashMap<String, Vec<String>> = HashMap::new();
    for p in programs.iter_mut() {
        visit(&mut p.root, &mut |n| {
            if let Some((subject, re)) = pattern(n) {
                let list = patterns.entry(key(subject)).or_default();
                if !list.contains(&re) {
                    list.push(re);
                }
            }
        });
    }
    // Largest groups first, so the slots go where they save most.
    let mut fields: Vec<(String, Vec<String>)> = patterns
        .into_iter()
        .filter(|(_, v)| (MIN_GROUP..=MAX_PATTERNS).contains(&v.len()))
        .collect();
    fields.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let mut groups: HashMap<String, (Arc<RegexGroup>, Vec<String>)> = HashMap::new();
    for (k, list) in fields.into_iter().take(MAX_GROUPS) {
        // Each pattern compiled alone within its own limit; the set gets their sum. A set
        // that still cannot be built leaves the field's regexes as they are.
        let Ok(set) = regex::RegexSetBuilder::new(&list)
            .size_limit(list.len() << 20)
            .build()
        else {
            continue;
        };
        let slot = groups.len();
        groups.insert(k, (Arc::new(RegexGroup::new(set, slot)), list));
    }
    if groups.is_empty() {
        return;
    }
    for p in programs.iter_mut() {
        visit(&mut p.root, &mut |n| {
            let Some((subject, re)) = pattern(n) else {
                return;
            };
            let Some((group, list)) = groups.get(&key(subject)) else {
                return;
            };
            let Some(index) = list.iter().position(|x| *x == re) else {
                return;
            };
            let (Node::Matches(subject, _) | Node::ContainsAny(subject, ..)) = n else {
                return;
            };
            let subject = std::mem::replace(subject, Box::new(Node::Bool(false)));
            *n = Node::MatchesGroup(subject, group.clone(), index);
        });
    }
}

/// Calls `f` on every node, parents before children.
fn visit(n: &mut Node, f: &mut impl FnMut(&mut Node)) {
    f(n);
    match n {
        Node::Not(a) | Node::Lower(a) | Node::Size(a) => visit(a, f),
        Node::And(a, b)
        | Node::Or(a, b)
        | Node::Num(_, a, b)
        | Node::StrEq(_, a, b)
        | Node::BoolEq(_, a, b)
        | Node::IpEq(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        Node::StartsWith(a, _)
        | Node::EndsWith(a, _)
        | Node::Contains(a, _)
        | Node::Matches(a, _)
        | Node::MatchesGroup(a, _, _)
        | Node::ContainsAny(a, ..)
        | Node::InStrs(a, _)
        | Node::InInts(a, _)
        | Node::InCidrs(a, _)
        | Node::InList(_, a) => visit(a, f),
        Node::Bool(_)
        | Node::Int(_)
        | Node::Float(_)
        | Node::Str(_)
        | Node::Field(_)
        | Node::Header(_)
        | Node::HasHeader(_)
        | Node::Query(_)
        | Node::HasQuery(_)
        | Node::Cookie(_)
        | Node::HasCookie(_)
        | Node::Json(_)
        | Node::JsonHas(_)
        | Node::JsonHasKey(_)
        | Node::JsonKeyTrue(_)
        | Node::Signal(_)
        | Node::SignalFrom(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::{compile, Env};
    use super::*;
    use crate::lists::ListSet;
    use crate::{ActorSnapshot, Facts};
    use palisade_types::RequestView;
    use std::time::Instant;

    const POLICIES: &[&str] = &[
        r#"request.path.matches("^/admin(/|$)")"#,
        r#"request.method == "POST" && request.path.matches("(?i)/login$")"#,
        r#"!request.path.matches("\\.(png|css)$") && request.query_string.matches("debug=1")"#,
        r#"request.path.matches("(?i)/login$") || request.user_agent.matches("curl")"#,
        r#"request.path.matches("/api/v[0-9]+/")"#,
        r#"request.query_string.matches("(^|&)page=[0-9]{4,}")"#,
        r#"request.query_string.matches("%00") || request.query_string.matches("debug=1")"#,
        r#"request.user_agent.containsAny(["SQLMAP", "nikto", "a.b"])"#,
        r#"request.user_agent.matches("(?i)^python-requests/")"#,
        r#"request.user_agent.containsAny(["HeadlessChrome", "Ünïcode"])"#,
    ];

    fn programs(lists: &ListSet) -> Vec<Program> {
        let lookup = |n: &str| lists.resolve(n);
        let env = Env {
            block_confidence: 0.7,
            lists: &lookup,
        };
        POLICIES.iter().map(|p| compile(p, &env).unwrap()).collect()
    }

    /// Grouped lookups in a tree of the shapes `POLICIES` use.
    fn grouped(n: &Node) -> usize {
        match n {
            Node::MatchesGroup(..) => 1,
            Node::And(a, b) | Node::Or(a, b) => grouped(a) + grouped(b),
            Node::Not(a) => grouped(a),
            _ => 0,
        }
    }

    #[test]
    fn remembered_answers_are_the_sets_own() {
        // Two groups asked about the same texts in turn, the texts repeated and longer than
        // the memo keeps: every answer must be what the set says now.
        let a = RegexGroup::new(RegexSet::new(["^/admin", "curl", "x$"]).unwrap(), 0);
        let b = RegexGroup::new(RegexSet::new(["admin", "^c", "^$"]).unwrap(), 0);
        assert_ne!(a.id, b.id);
        let long = "curl ".repeat(80) + "x";
        let texts = [
            "/admin", "curl/8", "", "/admin", "xx", "curl/8", &long, &long,
        ];
        for _ in 0..3 {
            for t in texts {
                for g in [&a, &b] {
                    assert_eq!(g.answer(t), g.run(t), "{t}");
                }
            }
        }
        assert_eq!(a.answer("/admin/curl"), 0b011);
        assert_eq!(b.answer(""), 0b100);
    }

    #[test]
    fn grouped_regexes_answer_exactly_as_single_ones() {
        let lists = ListSet::for_tests();
        let single = programs(&lists);
        let mut sets = programs(&lists);
        group_regexes(&mut sets.iter_mut().collect::<Vec<_>>());
        // The path's five uses (four patterns), the query string's four (three patterns)
        // and the user agent's three ASCII ones are grouped; a non-ASCII word list is not.
        let count: usize = sets.iter().map(|p| grouped(&p.root)).sum();
        assert_eq!(count, 5 + 4 + 3);
        let actor = ActorSnapshot::default();
        for (method, target, ua) in [
            (http::Method::GET, "/admin", "Mozilla/5.0"),
            (http::Method::POST, "/Login", "curl/8"),
            (http::Method::GET, "/api/v2/items?debug=1&page=10000", "x"),
            (http::Method::GET, "/a.png?debug=1", "x"),
            (http::Method::GET, "/plain?q=%00", "x"),
            (http::Method::GET, "/", "sqlmap/1.7 (https://sqlmap.org)"),
            (http::Method::GET, "/", "Mozilla/5.0 Nikto"),
            (http::Method::GET, "/", "a-b axb"),
            (http::Method::GET, "/", "a.b"),
            (http::Method::GET, "/", "Python-Requests/2.31"),
            (http::Method::GET, "/", "x python-requests/2.31"),
            (http::Method::GET, "/", "Mozilla/5.0 HeadlessChrome/120"),
            (http::Method::GET, "/", "ünïcode"),
        ] {
            let mut r = RequestView::new(method, target, "10.1.2.3".parse().unwrap());
            r.headers.insert("user-agent", ua.parse().unwrap());
            let facts = Facts::new(&r, &[], &actor, &lists, None, Instant::now());
            for (i, (a, b)) in single.iter().zip(&sets).enumerate() {
                assert_eq!(
                    a.root.eval(&facts).into_bool(),
                    b.root.eval(&facts).into_bool(),
                    "{target}: {}",
                    POLICIES[i]
                );
            }
        }
    }
}
