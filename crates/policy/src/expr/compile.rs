//! Type-checking compiler: AST → [`Node`] tree. Every name, argument count, argument type,
//! regex and list reference is checked here, so evaluation never fails.

use super::syntax::{parse, Ast, BinOp};
use super::Span;
use aho_corasick::AhoCorasick;
use http::HeaderName;
use ipnet::IpNet;
use palisade_types::Category;
use regex::Regex;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Bool,
    Int,
    Float,
    Str,
    Ip,
    /// `request.headers`, `request.query`, `request.cookies`: only indexable.
    Map(MapKind),
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Float => "float",
            Ty::Str => "string",
            Ty::Ip => "ip",
            Ty::Map(_) => "map",
        }
    }
    fn numeric(self) -> bool {
        matches!(self, Ty::Int | Ty::Float)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapKind {
    Headers,
    Query,
    Cookies,
}

/// Scalar facts about the request, the client, the signals and the actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Method,
    Path,
    QueryString,
    Host,
    Route,
    Endpoint,
    ContentType,
    UserAgent,
    Body,
    BodySize,
    HeaderCount,
    QueryCount,
    Scheme,
    ClientIp,
    Country,
    Asn,
    Fingerprint,
    Tls,
    SignalCount,
    SignalMax,
    ActorBlocked,
    ActorDeceived,
    ActorScore,
    ActorLevel,
    ActorGoodStanding,
    ActorRequests,
    LoginEndpoint,
    LoginLimited,
}

/// Every documented field: (namespace, name, field, type).
const FIELDS: &[(&str, &str, Field, Ty)] = &[
    ("request", "method", Field::Method, Ty::Str),
    ("request", "path", Field::Path, Ty::Str),
    ("request", "query_string", Field::QueryString, Ty::Str),
    ("request", "host", Field::Host, Ty::Str),
    ("request", "route", Field::Route, Ty::Str),
    ("request", "endpoint", Field::Endpoint, Ty::Str),
    ("request", "content_type", Field::ContentType, Ty::Str),
    ("request", "user_agent", Field::UserAgent, Ty::Str),
    ("request", "body", Field::Body, Ty::Str),
    ("request", "body_size", Field::BodySize, Ty::Int),
    ("request", "header_count", Field::HeaderCount, Ty::Int),
    ("request", "query_count", Field::QueryCount, Ty::Int),
    ("request", "scheme", Field::Scheme, Ty::Str),
    ("client", "ip", Field::ClientIp, Ty::Ip),
    ("client", "country", Field::Country, Ty::Str),
    ("client", "asn", Field::Asn, Ty::Int),
    ("client", "fingerprint", Field::Fingerprint, Ty::Str),
    ("client", "tls", Field::Tls, Ty::Bool),
    ("signals", "count", Field::SignalCount, Ty::Int),
    ("signals", "max", Field::SignalMax, Ty::Float),
    ("actor", "blocked", Field::ActorBlocked, Ty::Bool),
    ("actor", "deceived", Field::ActorDeceived, Ty::Bool),
    ("actor", "score", Field::ActorScore, Ty::Float),
    ("actor", "level", Field::ActorLevel, Ty::Str),
    ("actor", "good_standing", Field::ActorGoodStanding, Ty::Bool),
    ("actor", "requests", Field::ActorRequests, Ty::Int),
    ("login", "endpoint", Field::LoginEndpoint, Ty::Bool),
    ("login", "limited", Field::LoginLimited, Ty::Bool),
];

const MAPS: &[(&str, MapKind)] = &[
    ("headers", MapKind::Headers),
    ("query", MapKind::Query),
    ("cookies", MapKind::Cookies),
];

const NAMESPACES: &[&str] = &["request", "client", "signals", "actor", "login"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    Ip,
    Str,
}

/// A named list as the compiler sees it: its slot in the list set and what it holds.
#[derive(Clone, Copy, Debug)]
pub struct ListRef {
    pub index: usize,
    pub kind: ListKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug)]
pub enum Node {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Box<str>),
    Field(Field),
    Header(HeaderKey),
    HasHeader(HeaderKey),
    Query(Box<str>),
    HasQuery(Box<str>),
    Cookie(Box<str>),
    HasCookie(Box<str>),
    /// JSON body value at a pointer, as text ("" when absent).
    Json(Box<str>),
    JsonHas(Box<str>),
    /// Some object in the JSON body has one of these keys, at any depth (`json_has_key`;
    /// `||` of several is merged into one node at load, see `merge_json_keys`).
    JsonHasKey(Box<[Box<str>]>),
    /// Some object in the JSON body sets this key, at any depth, to a value that grants it
    /// (`json_key_true`): see `eval::grants`.
    JsonKeyTrue(Box<str>),
    /// Highest confidence among signals of the category (0 when none).
    Signal(Category),
    /// Highest confidence among signals raised by this detector or rule id.
    SignalFrom(Box<str>),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// Numeric comparison (ints and floats mix).
    Num(Cmp, Box<Node>, Box<Node>),
    StrEq(bool, Box<Node>, Box<Node>),
    BoolEq(bool, Box<Node>, Box<Node>),
    IpEq(bool, Box<Node>, Box<Node>),
    StartsWith(Box<Node>, Box<str>),
    EndsWith(Box<Node>, Box<str>),
    Contains(Box<Node>, Box<str>),
    Matches(Box<Node>, Regex),
    /// `Matches` rewritten at load into pattern `usize` of its field's set (see `group.rs`).
    MatchesGroup(Box<Node>, std::sync::Arc<super::group::RegexGroup>, usize),
    /// The subject, the automaton, and its words (kept for grouping, see `group.rs`).
    ContainsAny(Box<Node>, AhoCorasick, Vec<Box<str>>),
    InStrs(Box<Node>, Box<[Box<str>]>),
    InInts(Box<Node>, Box<[i64]>),
    InCidrs(Box<Node>, Box<[IpNet]>),
    InList(usize, Box<Node>),
    Lower(Box<Node>),
    Size(Box<Node>),
}

/// A compiled expression and what the decider may learn from it without running it.
#[derive(Debug)]
pub struct Program {
    pub(crate) root: Node,
    /// When set, the expression can only be true if the request raised a signal of one of
    /// these categories (bit = `Category::index`): the decider skips it otherwise.
    pub signal_gate: Option<u32>,
    /// What the request must have for the expression to be true at all: see [`Need`].
    pub need: Need,
}

/// Facts of a request without which an expression cannot hold, derived at load: the
/// headers (as [`header_bit`]s) it reads and cannot match when absent, one of several
/// headers it tests for, whether it needs a query string, a body or a login endpoint, the
/// methods it compares `request.method` with, and the lists it looks up. The decider
/// compares them with the request's in a few bit operations and skips the expression's
/// tree: with the signal gate, the bench's GET runs 88 of the pack's 125 trees (109 before
/// methods, login and "one of" headers were needs), its 1 KB JSON POST 100. (Since lists
/// are needs and header filters have 128 bits, that POST runs 79 of the pack's 151 trees,
/// 86 before.) A tree skipped costs no node visits, and node visits, not instructions, are
/// what the pack's time goes on (each one a dependent load and an indirect branch).
/// Conservative: an expression that could hold without them needs nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Need {
    pub headers: u128,
    /// Of these headers, at least one (`"a" in request.headers || "b" in request.headers`);
    /// 0 when there is no such need.
    pub any_headers: u128,
    pub flags: u8,
    /// The methods (as [`method_bit`]s) it can hold for: all of them unless it compares
    /// `request.method` with `==` or `in` in a conjunct.
    pub methods: u8,
    /// Of these lists (bit = list index, the first 64), at least one must have entries: an
    /// `in_list` on an empty list is false whatever it asks, and most lists are empty
    /// unless configured. 0 when there is no such need.
    pub lists: u64,
}

impl Default for Need {
    fn default() -> Self {
        Need {
            headers: 0,
            any_headers: 0,
            flags: 0,
            methods: u8::MAX,
            lists: 0,
        }
    }
}

/// The bit of a request method in [`Need::methods`]: one each for the seven common ones,
/// one shared by every other method.
pub fn method_bit(method: &str) -> u8 {
    match method {
        "GET" => 1,
        "HEAD" => 2,
        "POST" => 4,
        "PUT" => 8,
        "PATCH" => 16,
        "DELETE" => 32,
        "OPTIONS" => 64,
        _ => 128,
    }
}

impl Need {
    /// A non-empty query string.
    pub const QUERY: u8 = 1;
    /// A non-empty body.
    pub const BODY: u8 = 2;
    /// A request to a login endpoint (`login.endpoint`).
    pub const LOGIN: u8 = 4;

    fn header(name: &str) -> Need {
        Need::headers(header_bit(name))
    }

    fn headers(bits: u128) -> Need {
        Need {
            headers: bits,
            ..Need::default()
        }
    }

    fn flag(flag: u8) -> Need {
        Need {
            flags: flag,
            ..Need::default()
        }
    }

    fn methods(methods: u8) -> Need {
        Need {
            methods,
            ..Need::default()
        }
    }

    fn both(self, o: Need) -> Need {
        // One "at least one of" set is kept: the narrower.
        let any_headers = match (self.any_headers, o.any_headers) {
            (0, x) | (x, 0) => x,
            (x, y) if x.count_ones() <= y.count_ones() => x,
            (_, y) => y,
        };
        let lists = match (self.lists, o.lists) {
            (0, x) | (x, 0) => x,
            (x, y) if x.count_ones() <= y.count_ones() => x,
            (_, y) => y,
        };
        Need {
            headers: self.headers | o.headers,
            any_headers,
            flags: self.flags | o.flags,
            methods: self.methods & o.methods,
            lists,
        }
    }

    fn either(self, o: Need) -> Need {
        // Each side holds only with some header of its own: one of them must be there.
        let some = |n: Need| {
            if n.headers != 0 {
                n.headers
            } else {
                n.any_headers
            }
        };
        let any_headers = match (some(self), some(o)) {
            (0, _) | (_, 0) => 0,
            (x, y) => x | y,
        };
        // Likewise each side's lists.
        let lists = match (self.lists, o.lists) {
            (0, _) | (_, 0) => 0,
            (x, y) => x | y,
        };
        Need {
            headers: self.headers & o.headers,
            any_headers,
            flags: self.flags & o.flags,
            methods: self.methods | o.methods,
            lists,
        }
    }

    /// Does a request that has `have` meet every need? (`have.methods` is the request's
    /// one method bit.)
    pub fn met_by(self, have: Need) -> bool {
        self.headers & !have.headers == 0
            && (self.any_headers == 0 || self.any_headers & have.headers != 0)
            && self.flags & !have.flags == 0
            && self.methods & have.methods != 0
            && (self.lists == 0 || self.lists & have.lists != 0)
    }
}

/// [`Need`] of an expression: what must be present for it to be true.
fn need(n: &Node) -> Need {
    let none = Need::default();
    match n {
        Node::And(a, b) => need(a).both(need(b)),
        Node::Or(a, b) => need(a).either(need(b)),
        Node::HasHeader(h) => Need::headers(h.bit),
        Node::HasQuery(_) => Need::flag(Need::QUERY),
        Node::HasCookie(_) => Need::header("cookie"),
        Node::JsonHas(_) | Node::JsonHasKey(_) | Node::JsonKeyTrue(_) => Need::flag(Need::BODY),
        Node::Field(Field::LoginEndpoint) => Need::flag(Need::LOGIN),
        Node::InList(i, _) if *i < 64 => Need {
            lists: 1 << i,
            ..none
        },
        // Predicates that are false on an empty subject need the subject to be there.
        Node::StartsWith(s, lit) | Node::EndsWith(s, lit) | Node::Contains(s, lit)
            if !lit.is_empty() =>
        {
            subject_need(s)
        }
        Node::Matches(s, re) if !re.is_match("") => subject_need(s),
        Node::MatchesGroup(s, g, i) if !g.set.matches("").matched(*i) => subject_need(s),
        Node::ContainsAny(s, _, words) if words.iter().all(|w| !w.is_empty()) => subject_need(s),
        Node::InStrs(s, set) if matches!(**s, Node::Field(Field::Method)) => {
            Need::methods(set.iter().fold(0, |m, x| m | method_bit(x)))
        }
        Node::InStrs(s, set) if set.iter().all(|w| !w.is_empty()) => subject_need(s),
        Node::StrEq(eq, a, b) => match (&**a, &**b) {
            (Node::Field(Field::Method), Node::Str(l))
            | (Node::Str(l), Node::Field(Field::Method))
                if *eq =>
            {
                Need::methods(method_bit(l))
            }
            (s, Node::Str(l)) | (Node::Str(l), s) if *eq != l.is_empty() => subject_need(s),
            _ => none,
        },
        _ => none,
    }
}

/// What a string subject reads, when it is "" without it.
fn subject_need(s: &Node) -> Need {
    match s {
        Node::Header(h) => Need::headers(h.bit),
        Node::Field(Field::UserAgent) => Need::header("user-agent"),
        Node::Field(Field::ContentType) => Need::header("content-type"),
        Node::Field(Field::QueryString) | Node::Query(_) => Need::flag(Need::QUERY),
        Node::Field(Field::Body) | Node::Json(_) => Need::flag(Need::BODY),
        Node::Cookie(_) => Need::header("cookie"),
        Node::Lower(x) => subject_need(x),
        _ => Need::default(),
    }
}

#[derive(Clone, Debug)]
pub struct CompileError {
    /// Byte offset in the expression text.
    pub at: usize,
    pub message: String,
}

fn err<T>(span: Span, message: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError {
        at: span.start,
        message: message.into(),
    })
}

/// What names resolve to besides the built-in fields.
pub struct Env<'a> {
    pub block_confidence: f64,
    pub lists: &'a dyn Fn(&str) -> Option<ListRef>,
}

pub fn compile(src: &str, env: &Env<'_>) -> Result<Program, CompileError> {
    let ast = parse(src).map_err(|e| CompileError {
        at: e.at,
        message: e.message,
    })?;
    let (mut root, ty) = Compiler { env }.expr(&ast)?;
    merge_json_keys(&mut root);
    if ty != Ty::Bool {
        return err(
            ast.span(),
            format!("a policy condition must be a bool, this is a {}", ty.name()),
        );
    }
    Ok(Program {
        signal_gate: gate(&root),
        need: need(&root),
        root,
    })
}

/// Merges `json_has_key(a) || json_has_key(b) || …` into one node that looks the keys up in
/// turn: the NoSQL policy asks for eighteen keys, and each `||` and each lookup was a node
/// visit (a few hundred nanoseconds for the chain). `||` is left-associative, so the chain
/// arrives as `((x || k1) || k2) || k3`; children first, each step folds the new key into
/// its left neighbour. Same answer: `||` of pure tests does not depend on order.
fn merge_json_keys(n: &mut Node) {
    match n {
        Node::Not(a) => merge_json_keys(a),
        Node::And(a, b) => {
            merge_json_keys(a);
            merge_json_keys(b);
        }
        Node::Or(a, b) => {
            merge_json_keys(a);
            merge_json_keys(b);
            let Node::JsonHasKey(more) = &mut **b else {
                return;
            };
            let more = std::mem::take(more);
            let into = match &mut **a {
                Node::JsonHasKey(keys) => keys,
                Node::Or(_, last) => match &mut **last {
                    Node::JsonHasKey(keys) => keys,
                    _ => {
                        **b = Node::JsonHasKey(more);
                        return;
                    }
                },
                _ => {
                    **b = Node::JsonHasKey(more);
                    return;
                }
            };
            *into = into.iter().cloned().chain(more.into_vec()).collect();
            let left = std::mem::replace(&mut **a, Node::Bool(false));
            *n = left;
        }
        _ => {}
    }
}

fn gate(n: &Node) -> Option<u32> {
    const ANY: u32 = (1 << Category::ALL.len()) - 1;
    let positive = |k: &Node, strict: bool| match k {
        Node::Int(v) => (*v > 0) || (strict && *v >= 0),
        Node::Float(v) => (*v > 0.0) || (strict && *v >= 0.0),
        _ => false,
    };
    match n {
        Node::Num(op @ (Cmp::Ge | Cmp::Gt), l, r) if positive(r, *op == Cmp::Gt) => match &**l {
            Node::Signal(c) => Some(1 << c.index()),
            Node::SignalFrom(_) | Node::Field(Field::SignalMax | Field::SignalCount) => Some(ANY),
            _ => None,
        },
        Node::And(a, b) => gate(a).or_else(|| gate(b)),
        Node::Or(a, b) => Some(gate(a)? | gate(b)?),
        _ => None,
    }
}

struct Compiler<'e, 'a> {
    env: &'e Env<'a>,
}

fn lit_str(a: &Ast) -> Option<&str> {
    match a {
        Ast::Str(s, _) => Some(s),
        _ => None,
    }
}

impl Compiler<'_, '_> {
    fn want(&self, a: &Ast, ty: Ty) -> Result<Node, CompileError> {
        let (n, t) = self.expr(a)?;
        if t == ty || (ty == Ty::Float && t == Ty::Int) {
            Ok(n)
        } else {
            err(
                a.span(),
                format!("expected a {}, found a {}", ty.name(), t.name()),
            )
        }
    }

    fn string_arg<'x>(
        &self,
        args: &'x [Ast],
        span: Span,
        what: &str,
    ) -> Result<&'x str, CompileError> {
        match args {
            [a] => lit_str(a).map_or_else(
                || err(a.span(), format!("{what} takes a string literal")),
                Ok,
            ),
            _ => err(span, format!("{what} takes exactly one argument")),
        }
    }

    fn expr(&self, a: &Ast) -> Result<(Node, Ty), CompileError> {
        match a {
            Ast::Bool(b, _) => Ok((Node::Bool(*b), Ty::Bool)),
            Ast::Int(n, _) => Ok((Node::Int(*n), Ty::Int)),
            Ast::Float(f, _) => Ok((Node::Float(*f), Ty::Float)),
            Ast::Str(s, _) => Ok((Node::Str(s.as_str().into()), Ty::Str)),
            Ast::List(_, s) => err(
                *s,
                "a list can only stand on the right of `in` or as an argument",
            ),
            Ast::Ident(name, s) => match name.as_str() {
                "block_confidence" => Ok((Node::Float(self.env.block_confidence), Ty::Float)),
                n if NAMESPACES.contains(&n) => err(
                    *s,
                    format!(
                        "`{n}` is a namespace; use one of its fields, e.g. {}",
                        example(n)
                    ),
                ),
                n => err(*s, format!("unknown name `{n}`")),
            },
            Ast::Field(base, name, s) => self.field(base, name, *s),
            Ast::Index(base, idx, s) => {
                let kind = self.map_of(base)?;
                let Some(key) = lit_str(idx) else {
                    return err(idx.span(), "a map index must be a string literal");
                };
                Ok((self.map_get(kind, key, *s)?, Ty::Str))
            }
            Ast::Call(recv, name, args, s) => match recv {
                None => self.function(name, args, *s),
                Some(r) => self.method(r, name, args, *s),
            },
            Ast::Not(inner, _) => Ok((Node::Not(Box::new(self.want(inner, Ty::Bool)?)), Ty::Bool)),
            Ast::Bin(op, l, r, s) => self.binary(*op, l, r, *s),
        }
    }

    fn field(&self, base: &Ast, name: &str, s: Span) -> Result<(Node, Ty), CompileError> {
        let Ast::Ident(ns, ns_span) = base else {
            let (_, t) = self.expr(base)?;
            return err(s, format!("a {} has no field `{name}`", t.name()));
        };
        if !NAMESPACES.contains(&ns.as_str()) {
            return err(*ns_span, format!("unknown name `{ns}`"));
        }
        if ns == "request" {
            if let Some((_, kind)) = MAPS.iter().find(|(m, _)| *m == name) {
                return Ok((Node::Bool(false), Ty::Map(*kind)));
            }
        }
        match FIELDS.iter().find(|(n, f, _, _)| n == ns && *f == name) {
            Some((_, _, field, ty)) => Ok((Node::Field(*field), *ty)),
            None => {
                let known: Vec<&str> = FIELDS
                    .iter()
                    .filter(|(n, ..)| n == ns)
                    .map(|(_, f, ..)| *f)
                    .chain(if ns == "request" {
                        vec!["headers", "query", "cookies"]
                    } else {
                        vec![]
                    })
                    .collect();
                err(
                    s,
                    format!(
                        "unknown field `{ns}.{name}`; `{ns}` has: {}",
                        known.join(", ")
                    ),
                )
            }
        }
    }

    fn map_of(&self, a: &Ast) -> Result<MapKind, CompileError> {
        match self.expr(a)? {
            (_, Ty::Map(k)) => Ok(k),
            (_, t) => err(a.span(), format!("a {} cannot be indexed", t.name())),
        }
    }

    fn map_get(&self, kind: MapKind, key: &str, s: Span) -> Result<Node, CompileError> {
        Ok(match kind {
            MapKind::Headers => Node::Header(HeaderKey::new(header_name(key, s)?)),
            MapKind::Query => Node::Query(key.into()),
            MapKind::Cookies => Node::Cookie(key.into()),
        })
    }

    fn map_has(&self, kind: MapKind, key: &str, s: Span) -> Result<Node, CompileError> {
        Ok(match kind {
            MapKind::Headers => Node::HasHeader(HeaderKey::new(header_name(key, s)?)),
            MapKind::Query => Node::HasQuery(key.into()),
            MapKind::Cookies => Node::HasCookie(key.into()),
        })
    }

    fn function(&self, name: &str, args: &[Ast], s: Span) -> Result<(Node, Ty), CompileError> {
        match name {
            "signal" | "has_signal" => {
                let cat = self.string_arg(args, s, name)?;
                let Some(c) = Category::ALL.iter().find(|c| c.as_str() == cat) else {
                    let names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                    return err(
                        args[0].span(),
                        format!("unknown signal category {cat:?}; categories: {}", names.join(", ")),
                    );
                };
                let n = Node::Signal(*c);
                if name == "signal" {
                    Ok((n, Ty::Float))
                } else {
                    Ok((Node::Num(Cmp::Gt, Box::new(n), Box::new(Node::Float(0.0))), Ty::Bool))
                }
            }
            "signal_from" => {
                let d = self.string_arg(args, s, name)?;
                Ok((Node::SignalFrom(d.into()), Ty::Float))
            }
            "json" | "json_has" | "json_has_key" | "json_key_true" => {
                let p = self.string_arg(args, s, name)?;
                let pointer = matches!(name, "json" | "json_has");
                if pointer && !(p.is_empty() || p.starts_with('/')) {
                    return err(args[0].span(), "a JSON pointer starts with `/`, e.g. \"/user/role\"");
                }
                Ok(match name {
                    "json" => (Node::Json(p.into()), Ty::Str),
                    "json_has" => (Node::JsonHas(p.into()), Ty::Bool),
                    "json_key_true" => (Node::JsonKeyTrue(p.into()), Ty::Bool),
                    _ => (Node::JsonHasKey(Box::new([p.into()])), Ty::Bool),
                })
            }
            "in_list" => {
                let [list, value] = args else {
                    return err(s, "in_list takes a list name and a value: in_list(\"name\", client.ip)");
                };
                let Some(lname) = lit_str(list) else {
                    return err(list.span(), "the list name must be a string literal");
                };
                let Some(l) = (self.env.lists)(lname) else {
                    return err(list.span(), format!("unknown list {lname:?}: declare it under `lists:` in the configuration"));
                };
                let v = match l.kind {
                    ListKind::Ip => self.want(value, Ty::Ip)?,
                    ListKind::Str => self.want(value, Ty::Str)?,
                };
                Ok((Node::InList(l.index, Box::new(v)), Ty::Bool))
            }
            _ => err(s, format!("unknown function `{name}`; functions: signal, has_signal, signal_from, json, json_has, json_has_key, json_key_true, in_list")),
        }
    }

    fn method(
        &self,
        recv: &Ast,
        name: &str,
        args: &[Ast],
        s: Span,
    ) -> Result<(Node, Ty), CompileError> {
        let (r, rt) = self.expr(recv)?;
        let r = Box::new(r);
        match (rt, name) {
            (Ty::Str, "startsWith" | "endsWith" | "contains") => {
                let lit = self.string_arg(args, s, name)?.into();
                Ok((
                    match name {
                        "startsWith" => Node::StartsWith(r, lit),
                        "endsWith" => Node::EndsWith(r, lit),
                        _ => Node::Contains(r, lit),
                    },
                    Ty::Bool,
                ))
            }
            (Ty::Str, "matches") => {
                let pat = self.string_arg(args, s, name)?;
                match regex::RegexBuilder::new(pat).size_limit(1 << 20).build() {
                    Ok(re) => Ok((Node::Matches(r, re), Ty::Bool)),
                    Err(e) => err(args[0].span(), format!("invalid regex: {e}")),
                }
            }
            (Ty::Str, "containsAny") => {
                let words = self.str_list(args, s, name)?;
                if words.iter().any(|w| w.is_empty()) {
                    return err(s, "containsAny words must not be empty");
                }
                let ac = AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(words.iter().map(|w| w.as_ref()))
                    .map_err(|e| CompileError { at: s.start, message: e.to_string() })?;
                Ok((Node::ContainsAny(r, ac, words), Ty::Bool))
            }
            (Ty::Str, "lower") if args.is_empty() => Ok((Node::Lower(r), Ty::Str)),
            (Ty::Str, "size") if args.is_empty() => Ok((Node::Size(r), Ty::Int)),
            (Ty::Ip, "in_cidr") => {
                let nets = self.cidrs(args, s)?;
                Ok((Node::InCidrs(r, nets), Ty::Bool))
            }
            (Ty::Map(kind), "has") => {
                let key = self.string_arg(args, s, name)?;
                Ok((self.map_has(kind, key, s)?, Ty::Bool))
            }
            (t, _) => err(
                s,
                format!(
                    "a {} has no method `{name}`{}",
                    t.name(),
                    match t {
                        Ty::Str => "; string methods: startsWith, endsWith, contains, containsAny, matches, lower, size",
                        Ty::Ip => "; ip methods: in_cidr",
                        Ty::Map(_) => "; map methods: has",
                        _ => "",
                    }
                ),
            ),
        }
    }

    fn str_list(&self, args: &[Ast], s: Span, what: &str) -> Result<Vec<Box<str>>, CompileError> {
        let items: &[Ast] = match args {
            [Ast::List(items, _)] => items,
            _ => return err(s, format!("{what} takes one list of string literals")),
        };
        items
            .iter()
            .map(|i| {
                lit_str(i).map(Box::from).ok_or_else(|| CompileError {
                    at: i.span().start,
                    message: "expected a string literal".into(),
                })
            })
            .collect()
    }

    fn cidrs(&self, args: &[Ast], s: Span) -> Result<Box<[IpNet]>, CompileError> {
        let items: Vec<&Ast> = match args {
            [Ast::List(items, _)] => items.iter().collect(),
            [one] => vec![one],
            _ => return err(s, "in_cidr takes a CIDR string or a list of them"),
        };
        items
            .into_iter()
            .map(|i| {
                let text = lit_str(i).ok_or_else(|| CompileError {
                    at: i.span().start,
                    message: "expected a CIDR string".into(),
                })?;
                parse_net(text).ok_or_else(|| CompileError {
                    at: i.span().start,
                    message: format!("invalid CIDR {text:?}"),
                })
            })
            .collect()
    }

    fn binary(&self, op: BinOp, l: &Ast, r: &Ast, s: Span) -> Result<(Node, Ty), CompileError> {
        let cmp = match op {
            BinOp::And | BinOp::Or => {
                let a = Box::new(self.want(l, Ty::Bool)?);
                let b = Box::new(self.want(r, Ty::Bool)?);
                let n = if op == BinOp::And {
                    Node::And(a, b)
                } else {
                    Node::Or(a, b)
                };
                return Ok((n, Ty::Bool));
            }
            BinOp::In => return self.membership(l, r, s),
            BinOp::Eq => Cmp::Eq,
            BinOp::Ne => Cmp::Ne,
            BinOp::Lt => Cmp::Lt,
            BinOp::Le => Cmp::Le,
            BinOp::Gt => Cmp::Gt,
            BinOp::Ge => Cmp::Ge,
        };
        let (a, at) = self.expr(l)?;
        let (b, bt) = self.expr(r)?;
        let eq = matches!(cmp, Cmp::Eq | Cmp::Ne);
        let (a, b) = (Box::new(a), Box::new(b));
        let node = match (at, bt) {
            (x, y) if x.numeric() && y.numeric() => Node::Num(cmp, a, b),
            (Ty::Str, Ty::Str) if eq => Node::StrEq(cmp == Cmp::Eq, a, b),
            (Ty::Bool, Ty::Bool) if eq => Node::BoolEq(cmp == Cmp::Eq, a, b),
            (Ty::Ip, Ty::Ip) if eq => Node::IpEq(cmp == Cmp::Eq, a, b),
            (Ty::Ip, Ty::Str) if eq => {
                let Some(text) = lit_str(r) else {
                    return err(r.span(), "compare an ip with an address literal");
                };
                let Ok(ip) = text.parse::<std::net::IpAddr>() else {
                    return err(r.span(), format!("invalid IP address {text:?}"));
                };
                Node::InCidrs(a, Box::new([IpNet::from(ip)])).negate_if(cmp == Cmp::Ne)
            }
            (x, y) => {
                return err(
                    s,
                    format!(
                        "cannot compare a {} with a {} using this operator",
                        x.name(),
                        y.name()
                    ),
                )
            }
        };
        Ok((node, Ty::Bool))
    }

    fn membership(&self, l: &Ast, r: &Ast, s: Span) -> Result<(Node, Ty), CompileError> {
        if let Ast::List(items, _) = r {
            let (v, vt) = self.expr(l)?;
            let v = Box::new(v);
            let node = match vt {
                Ty::Str => {
                    let strs: Result<Vec<Box<str>>, _> = items
                        .iter()
                        .map(|i| {
                            lit_str(i).map(Box::from).ok_or_else(|| CompileError {
                                at: i.span().start,
                                message: "expected a string literal".into(),
                            })
                        })
                        .collect();
                    Node::InStrs(v, strs?.into())
                }
                Ty::Int => {
                    let ints: Result<Vec<i64>, _> = items
                        .iter()
                        .map(|i| match i {
                            Ast::Int(n, _) => Ok(*n),
                            _ => Err(CompileError {
                                at: i.span().start,
                                message: "expected an integer literal".into(),
                            }),
                        })
                        .collect();
                    Node::InInts(v, ints?.into())
                }
                Ty::Ip => Node::InCidrs(v, self.cidrs(std::slice::from_ref(r), s)?),
                t => {
                    return err(
                        l.span(),
                        format!(
                            "`in` a list needs a string, int or ip, found a {}",
                            t.name()
                        ),
                    )
                }
            };
            return Ok((node, Ty::Bool));
        }
        let kind = self.map_of(r)?;
        let Some(key) = lit_str(l) else {
            return err(
                l.span(),
                "`KEY in request.headers` needs a string literal key",
            );
        };
        Ok((self.map_has(kind, key, s)?, Ty::Bool))
    }
}

impl Node {
    fn negate_if(self, yes: bool) -> Node {
        if yes {
            Node::Not(Box::new(self))
        } else {
            self
        }
    }
}

/// A header name a policy reads, with its bit in a request's header-name filter
/// (`Facts::may_have`): most headers the pack asks about are absent, and the filter answers
/// that without a map lookup.
#[derive(Debug, Clone)]
pub struct HeaderKey {
    pub name: HeaderName,
    pub bit: u128,
}

impl HeaderKey {
    fn new(name: HeaderName) -> Self {
        let bit = header_bit(name.as_str());
        HeaderKey { name, bit }
    }
}

/// One of 128 bits for a (lower-case) header name: FNV-1a, top seven bits. (Half as many
/// absent names share a bit with a present one as over 64 bits: a request's dozen headers
/// fill a tenth of the filter, not a fifth.)
pub fn header_bit(name: &str) -> u128 {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    1 << (h >> 57)
}

fn header_name(key: &str, s: Span) -> Result<HeaderName, CompileError> {
    HeaderName::from_bytes(key.to_ascii_lowercase().as_bytes())
        .or_else(|_| err(s, format!("invalid header name {key:?}")))
}

/// `10.0.0.0/8`, or a bare address meaning a single host.
pub fn parse_net(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .map(|n| n.trunc())
        .or_else(|| text.parse::<std::net::IpAddr>().ok().map(IpNet::from))
}

fn example(ns: &str) -> &'static str {
    match ns {
        "request" => "request.path",
        "client" => "client.ip",
        "signals" => "signals.max",
        "actor" => "actor.blocked",
        _ => "login.limited",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_lists(name: &str) -> Option<ListRef> {
        match name {
            "bad-ips" => Some(ListRef {
                index: 0,
                kind: ListKind::Ip,
            }),
            "bad-users" => Some(ListRef {
                index: 1,
                kind: ListKind::Str,
            }),
            _ => None,
        }
    }

    fn c(src: &str) -> Result<Program, CompileError> {
        compile(
            src,
            &Env {
                block_confidence: 0.7,
                lists: &env_lists,
            },
        )
    }

    #[test]
    fn type_errors_are_reported_with_their_offset() {
        let cases = [
            ("request.path", 0, "must be a bool"),
            ("request.pathx == \"/\"", 0, "unknown field `request.pathx`"),
            ("request.path == 3", 0, "cannot compare a string with a int"),
            ("request.method.startsWith(1)", 26, "string literal"),
            ("has_signal(\"sqlx\")", 11, "unknown signal category"),
            ("in_list(\"nope\", client.ip)", 8, "unknown list"),
            ("in_list(\"bad-ips\", request.path)", 19, "expected a ip"),
            ("request.path.matches(\"(\")", 21, "invalid regex"),
            ("client.ip.in_cidr(\"10.0.0.0/33\")", 18, "invalid CIDR"),
            ("request.body.frobnicate()", 0, "no method `frobnicate`"),
            ("foo == 1", 0, "unknown name `foo`"),
            ("request == 1", 0, "namespace"),
        ];
        for (src, at, msg) in cases {
            let e = c(src).expect_err(src);
            assert!(e.message.contains(msg), "{src}: {}", e.message);
            assert_eq!(e.at, at, "{src}: {}", e.message);
        }
    }

    #[test]
    fn needs_are_derived_conservatively() {
        let n = |s: &str| c(s).unwrap().need;
        let h = |name: &str| header_bit(name);
        let none = Need::default();
        assert_eq!(
            n(r#"request.headers["x-api-key"] != """#).headers,
            h("x-api-key")
        );
        assert_eq!(
            n(r#"request.user_agent.matches("^curl/") && request.body.contains("a")"#),
            Need {
                headers: h("user-agent"),
                flags: Need::BODY,
                ..Need::default()
            }
        );
        assert_eq!(
            n(r#"request.query["a"] == "1" || request.query_string.contains("b")"#).flags,
            Need::QUERY
        );
        // True without the header, the query or the body: needs nothing.
        for s in [
            r#"request.headers["x-a"] == """#,
            r#"request.headers["x-a"] != "1""#,
            r#"request.user_agent.matches("^$|curl")"#,
            r#"!request.body.contains("a")"#,
            r#"request.query_string.contains("a") || request.body.contains("a")"#,
            r#"request.headers["x-a"].startsWith("")"#,
            r#"request.path.startsWith("/admin")"#,
            r#"request.method != "GET""#,
            r#"!(request.method in ["GET", "HEAD"])"#,
            r#"request.method == "GET" || request.path == "/""#,
            r#"!login.endpoint"#,
            r#"login.endpoint || request.path == "/""#,
        ] {
            assert_eq!(n(s), none, "{s}");
        }
        let have = Need {
            headers: h("user-agent"),
            any_headers: 0,
            flags: Need::QUERY,
            methods: method_bit("GET"),
            lists: 0,
        };
        assert!(n(r#"request.user_agent.contains("x")"#).met_by(have));
        assert!(!n(r#"request.body.contains("x")"#).met_by(have));
        // Methods compared with == or in: the expression holds for those methods only.
        let post = n(r#"request.method == "POST" && request.path.matches("/a")"#);
        assert_eq!(post.methods, method_bit("POST"));
        assert!(!post.met_by(have));
        let some = n(r#"request.method in ["PUT", "PATCH", "TRACE"]"#);
        assert_eq!(
            some.methods,
            method_bit("PUT") | method_bit("PATCH") | method_bit("TRACE")
        );
        assert!(some.met_by(Need {
            methods: method_bit("PROPFIND"),
            ..have
        }));
        assert_eq!(
            n(r#"request.method == "GET" || request.method == "HEAD""#).methods,
            method_bit("GET") | method_bit("HEAD")
        );
        // One of several headers.
        assert_ne!(h("x-api-key"), h("origin"), "names with bits of their own");
        let one_of =
            n(r#""x-api-key" in request.headers || request.headers["origin"].matches("y")"#);
        assert_eq!(
            (one_of.headers, one_of.any_headers),
            (0, h("x-api-key") | h("origin"))
        );
        assert!(!one_of.met_by(have));
        assert!(one_of.met_by(Need {
            headers: h("origin"),
            ..have
        }));
        assert_eq!(
            n(r#""x-api-key" in request.headers || request.path == "/""#).any_headers,
            0
        );
        // A login endpoint's policies need one.
        assert_eq!(
            n("login.endpoint && request.body_size > 10").flags,
            Need::LOGIN
        );
        assert!(!n("login.endpoint").met_by(have));
        // A list lookup needs its list to have entries; of two lookups, one of them.
        let ip = n(r#"in_list("bad-ips", client.ip)"#);
        assert_eq!(ip.lists, 1);
        assert!(!ip.met_by(have));
        assert!(ip.met_by(Need { lists: 1, ..have }));
        assert_eq!(
            n(r#"in_list("bad-ips", client.ip) || in_list("bad-users", request.path)"#).lists,
            0b11
        );
        assert_eq!(
            n(r#"in_list("bad-ips", client.ip) || request.path == "/""#).lists,
            0
        );
        assert_eq!(n(r#"!in_list("bad-ips", client.ip)"#), none);
    }

    #[test]
    fn chains_of_json_key_lookups_become_one_node() {
        let keys = |n: &Node| match n {
            Node::JsonHasKey(k) => k.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            other => panic!("not a key lookup: {other:?}"),
        };
        let root = c(r#"json_has_key("a") || json_has_key("b") || json_has_key("c")"#)
            .unwrap()
            .root;
        assert_eq!(keys(&root), ["a", "b", "c"]);
        let root = c(r#"request.path == "/" || json_has_key("a") || json_has_key("b")"#)
            .unwrap()
            .root;
        let Node::Or(_, last) = &root else {
            panic!("{root:?}")
        };
        assert_eq!(keys(last), ["a", "b"]);
        // Under `&&` and `!` too; `&&` of keys stays as it is.
        let root = c(r#"!(json_has_key("a") || json_has_key("b")) && json_has_key("c")"#)
            .unwrap()
            .root;
        let Node::And(not, c_) = &root else {
            panic!("{root:?}")
        };
        let Node::Not(inner) = &**not else {
            panic!("{not:?}")
        };
        assert_eq!(keys(inner), ["a", "b"]);
        assert_eq!(keys(c_), ["c"]);
    }

    #[test]
    fn signal_gates_are_derived() {
        let g = |s: &str| c(s).unwrap().signal_gate;
        let sqli = 1 << Category::Sqli.index();
        let xss = 1 << Category::Xss.index();
        assert_eq!(g("signal(\"sqli\") >= block_confidence"), Some(sqli));
        assert_eq!(
            g("request.method == \"GET\" && has_signal(\"sqli\")"),
            Some(sqli)
        );
        assert_eq!(
            g("has_signal(\"sqli\") || signal(\"xss\") > 0.2"),
            Some(sqli | xss)
        );
        assert_eq!(g("has_signal(\"sqli\") || request.path == \"/\""), None);
        assert_eq!(g("signal(\"sqli\") >= 0"), None);
        assert_eq!(g("!has_signal(\"sqli\")"), None);
    }
}
