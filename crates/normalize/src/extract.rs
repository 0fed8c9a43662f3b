//! Where the values are: path, query keys and values, header values, cookies, and the body
//! read by its real structure (JSON keys and string leaves at any depth, form fields). A body
//! that parses as JSON is read as JSON even without a Content-Type, as real clients send.

use crate::{form_decode, Normalized};
use palisade_config::Limits;
use palisade_types::{KeySet, Place, PlaceKind, RequestView};
use std::borrow::Cow;

/// Headers that are structural (the proxy or hyper already validated them) or that carry
/// secrets detectors must not echo into evidence.
const SKIP_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "authorization",
    "proxy-authorization",
    "accept-encoding",
    "te",
    "transfer-encoding",
    "upgrade",
    "keep-alive",
];

pub fn extract(req: &RequestView, limits: &Limits) -> Normalized {
    // Room for a typical request's values (path, a few query pairs, headers, body fields)
    // without regrowing the vector of large values.
    let mut n = Normalized {
        values: Vec::with_capacity(32),
        ..Normalized::default()
    };
    // The path as a whole: traversal needs the separators, injection the segment text.
    n.push(limits, Place::new(PlaceKind::Path, ""), req.path.clone());
    if let Some(q) = &req.query {
        pairs(
            &mut n,
            limits,
            q,
            PlaceKind::QueryKey,
            PlaceKind::QueryValue,
        );
    }
    for (name, value) in &req.headers {
        let name = name.as_str();
        if SKIP_HEADERS.contains(&name) {
            continue;
        }
        let value = palisade_types::lossy(value.as_bytes());
        if name == "cookie" {
            for c in value.split(';') {
                let (k, v) = c.split_once('=').unwrap_or(("", c));
                let k = k.trim();
                if !is_plain_name(k) {
                    n.push(limits, Place::new(PlaceKind::Cookie, ""), k.to_string());
                }
                let v = v.trim();
                let opens = v.starts_with(['{', '['])
                    || ["%7B", "%5B"]
                        .iter()
                        .any(|p| v.get(..3).is_some_and(|s| s.eq_ignore_ascii_case(p)));
                let json = opens && nested_json(&mut n, limits, k, &crate::percent_decode_lossy(v));
                if !json {
                    n.push(limits, Place::new(PlaceKind::Cookie, k), v.to_string());
                }
            }
        } else {
            let value = if name == "referer" {
                referer_query(&mut n, limits, &value).map_or(value, Cow::Owned)
            } else {
                value
            };
            n.push(
                limits,
                Place::new(PlaceKind::Header, name),
                value.into_owned(),
            );
        }
    }
    body(&mut n, req, limits);
    n
}

/// `a=1&b=2` pairs, `+` as space, keys and values both inspected (keys only when unusual).
fn pairs(
    n: &mut Normalized,
    limits: &Limits,
    text: &str,
    key_kind: PlaceKind,
    value_kind: PlaceKind,
) {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = form_decode(k);
        if !is_plain_name(&k) {
            n.push(limits, Place::new(key_kind, k.as_ref()), k.to_string());
            // An encoded `=` (`pay%3DAND+1%3D1`) hides a value inside the key from anything
            // that splits before decoding; a backend that decodes twice reads it as one.
            if let Some((name, hidden)) = k.split_once('=') {
                if !hidden.is_empty() {
                    n.push(limits, Place::new(value_kind, name), hidden.to_string());
                }
            }
        }
        let v = form_decode(v);
        // `GET /graphql?query={…}`: the document's string arguments are the values.
        if k == "query" && crate::structured::is_graphql(&v) {
            let skeleton = crate::structured::graphql(n, limits, &v, "query");
            n.push(limits, Place::new(value_kind, k), skeleton);
            continue;
        } else if nested_json(n, limits, &k, &v) {
            continue;
        }
        n.push(limits, Place::new(value_kind, k), v.into_owned());
    }
}

/// The query of the page a Referer names: applications log it, parse it for analytics and
/// show it in reports, so a value there that could break out of a string, a tag or a
/// command (a quote, a bracket, `<`, `;`, `|`, a backtick, `$`, `--`) or climb a path (`..`)
/// is judged alone as `referer?name`, as a query's are: in the whole URL, a search for
/// `see ../docs/README.md` reads as the page's own path climbing. Words alone are a search
/// engine's query the visitor typed elsewhere (`q=drop shipping union select suppliers`),
/// sent again with every page they open from it: judging those would block a visitor for
/// what they searched.
/// Returns the Referer to judge whole, the values judged alone left out: once alone, a
/// value judged again in the URL runs on into the next parameter
/// (`q=what+is+%3Cscript%3E+tag+html&form=QBLH` reads as a script assigning `form`).
/// `None` when it is the Referer as sent.
fn referer_query(n: &mut Normalized, limits: &Limits, url: &str) -> Option<String> {
    let (address, query) = crate::split_query(url)?;
    // Built only once a value is left out: most Referers keep every value in the whole.
    let mut whole: Option<String> = None;
    // How much of `url` is in `whole` (or would be).
    let mut copied = 0;
    let mut start = address.len() + 1;
    for pair in query.split('&') {
        let end = start + pair.len();
        let (k, v) = pair.split_once('=').unwrap_or(("", pair));
        if !is_plain_name(v) {
            let v = crate::query_component(v).into_owned();
            let breaks = v.contains(['\'', '"', '<', '>', '(', ')', ';', '|', '`', '$', '{'])
                || v.contains("--")
                || v.contains("..");
            if breaks {
                let place = Place::new(PlaceKind::Header, format!("referer?{}", form_decode(k)));
                n.push(limits, place, v);
                // Keep `key=`, drop the value.
                let value_start = start + pair.find('=').map_or(0, |e| e + 1);
                whole
                    .get_or_insert_with(|| String::with_capacity(url.len()))
                    .push_str(&url[copied..value_start]);
                copied = end;
            }
        }
        start = end + 1;
    }
    whole.map(|mut w| {
        w.push_str(&url[copied..]);
        w
    })
}

/// A parameter whose value is a JSON document (`filter={"where":…}`, a cookie holding a cart)
/// is judged as a JSON body is: its keys and string leaves one by one, as `$name.path`, and
/// not as one text. A string inside carries the attack alone there
/// (`{"url":"javascript:alert(1)"}`), and the document's own punctuation no longer reads as
/// SQL (`{"and": [{"price": {"gt": 10}}]}`, LoopBack's filter). True when it parsed whole;
/// a value that only looks like JSON, holds a Mongo operator (`"$ne"`), or goes deeper than
/// the caps is judged as text too.
pub(crate) fn nested_json(n: &mut Normalized, limits: &Limits, name: &str, value: &str) -> bool {
    let v = value.trim();
    let container =
        (v.starts_with('{') && v.ends_with('}')) || (v.starts_with('[') && v.ends_with(']'));
    // A Mongo operator inside (`{"$ne": null}` from `JSON.parse(req.query.filter)`) is the
    // NoSQL detector's, which reads operator objects in text: such a value is judged whole
    // as well.
    // So is one deeper than the JSON depth cap, whose deepest strings the walk skipped.
    let dropped = n.values_dropped;
    container
        && json(n, limits, v.as_bytes(), &format!("${name}"))
        && !mongo_operator(v.as_bytes())
        && n.values_dropped == dropped
}

/// Does JSON text hold a string that starts like a Mongo operator (`"$ne"`, `"$where"`):
/// `"$` and a letter? A template's substitution (CloudFormation's `"${AWS::StackName}-…"`)
/// or a price (`"$12"`) is none.
fn mongo_operator(text: &[u8]) -> bool {
    memchr::memmem::find_iter(text, b"\"$")
        .any(|at| text.get(at + 2).is_some_and(u8::is_ascii_alphabetic))
}

/// Parameter names made of word characters carry nothing to inspect. A dotted name
/// (`class.module.classLoader`, `java.lang.Runtime`) is inspected: property paths are how
/// binding and deserialization attacks arrive. So is an ORM filter's key, which can walk
/// relations to any column: Django's lookups (`user__password__startswith`; a leading `__`,
/// as in GraphQL's `__typename` or a `__Host-` cookie, is no lookup), Ransack's `q[…]`, and
/// a nested filter's field and operator (Directus's `filter[password][_starts_with]`, Prisma's
/// `where[password][startsWith]` through `qs`): a key of two bracketed names or more.
pub(crate) fn is_plain_name(s: &str) -> bool {
    // Every request's keys come here: no searcher is built (`str::contains`), and only a
    // key with an underscore or ending in `]` is looked at twice.
    let mut under = false;
    let word = s.bytes().all(|b| {
        under |= b == b'_';
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'[' | b']')
    });
    if !word {
        return false;
    }
    let lookup = under && s.as_bytes()[1..].windows(2).any(|w| w == b"__");
    let nested = s.ends_with(']') && s.as_bytes().windows(2).any(|w| w == b"][");
    !(lookup || nested || s.starts_with("q["))
}

/// Whether `op` is a comparison operator that bisects what it compares, as nested filters
/// name it after the field: Prisma (`startsWith`, `lt`), Strapi (`$startsWith`,
/// `$containsi`), Directus (`_starts_with`, `_nicontains`), Hasura (`_like`, `_regex`), Mongo
/// style (`$regex`); matched in lower case without `$` and `_`. Equality and set membership
/// guess a whole value at a time; they are left out. Extraction pushes JSON keys so named
/// (Prisma's `startsWith`), which are otherwise plain names, for the `orm` detector.
#[inline]
pub fn bisecting_operator(op: &str) -> bool {
    // Every JSON key comes here: inlined, most names (`name`, `id`, `email`) are out at
    // their first two letters, folded, before any call.
    let b = op.as_bytes();
    if b.len() < 2 || b.len() > 18 {
        return false;
    }
    let lead = [b[0] | 0x20, b[1] | 0x20];
    (matches!(lead[0], b'$' | 0x7f) || operator_lead(lead, false)) && bisecting_name(b)
}

/// The first two letters, folded, of a [`bisecting_operator`] after its `$` or `_`. Negated
/// ones (`nstartswith`, `notcontains`) are only written after one (Directus, Strapi), so
/// without a prefix (`note`, `name`) the `n` row is out.
#[inline]
fn operator_lead(lead: [u8; 2], prefixed: bool) -> bool {
    matches!(
        lead,
        [b's', b't' | b'i']
            | [b'i', b's' | b'e' | b'c' | b'r' | b'l']
            | [b'e', b'n']
            | [b'c', b'o']
            | [b'l', b't' | b'i']
            | [b'g', b't']
            | [b'b', b'e']
            | [b'r', b'e']
    ) || (prefixed
        && matches!(
            lead,
            [b'n', b's' | b'o' | b'e' | b'i' | b'c' | b'b' | b'r' | b'l']
        ))
}

fn bisecting_name(b: &[u8]) -> bool {
    let b = &b[b.iter().take_while(|&&c| c == b'$' || c == b'_').count()..];
    if b.len() < 2 || b.len() > 16 || !operator_lead([b[0] | 0x20, b[1] | 0x20], true) {
        return false;
    }
    // No allocation: one `match` on the folded name.
    let mut buf = [0u8; 16];
    let Some(folded) = fold_name(b, |c| c == b'_', &mut buf) else {
        return false;
    };
    matches!(
        folded,
        b"startswith"
            | b"istartswith"
            | b"startswithi"
            | b"nstartswith"
            | b"nistartswith"
            | b"notstartswith"
            | b"notstartswithi"
            | b"endswith"
            | b"iendswith"
            | b"endswithi"
            | b"nendswith"
            | b"niendswith"
            | b"notendswith"
            | b"notendswithi"
            | b"contains"
            | b"icontains"
            | b"containsi"
            | b"ncontains"
            | b"nicontains"
            | b"notcontains"
            | b"notcontainsi"
            | b"lt"
            | b"lte"
            | b"gt"
            | b"gte"
            | b"between"
            | b"nbetween"
            | b"notbetween"
            | b"regex"
            | b"iregex"
            | b"nregex"
            | b"niregex"
            | b"like"
            | b"ilike"
            | b"nlike"
            | b"nilike"
            | b"similar"
    )
}

/// `name` in lower case without the bytes `skip` picks (`redirect_uri` and `redirectUri` as
/// `redirecturi`), in `buf`: a parameter name folded for one `match` against the spellings
/// of a name, with no allocation. `None` when it does not fit.
pub fn fold_name<'b>(
    name: &[u8],
    skip: impl Fn(u8) -> bool,
    buf: &'b mut [u8],
) -> Option<&'b [u8]> {
    let mut n = 0;
    for &c in name.iter().filter(|&&c| !skip(c)) {
        *buf.get_mut(n)? = c.to_ascii_lowercase();
        n += 1;
    }
    Some(&buf[..n])
}

fn body(n: &mut Normalized, req: &RequestView, limits: &Limits) {
    if req.body.is_empty() {
        return;
    }
    let ct = req.content_type().unwrap_or_default();
    let is_form = ct == "application/x-www-form-urlencoded";
    if ct == "multipart/form-data" {
        let full = req
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !crate::structured::multipart(n, limits, full, &req.body) {
            n.body_unparsed = true;
            let text = palisade_types::lossy(&req.body).into_owned();
            n.push(limits, Place::new(PlaceKind::Body, ""), text);
        }
        return;
    }
    if ct == "application/graphql" {
        let doc = palisade_types::lossy(&req.body);
        let skeleton = crate::structured::graphql(n, limits, &doc, "body");
        n.push(limits, Place::new(PlaceKind::Body, ""), skeleton);
        return;
    }
    let is_yaml = ct.ends_with("/yaml") || ct.ends_with("+yaml") || ct.ends_with("/x-yaml");
    if is_yaml {
        if crate::structured::yaml(n, limits, &req.body) {
            // The scalars lose their tags, and YAML deserialization attacks are written in
            // them (`!!python/object/apply:os.system`, `!ruby/object:Gem::Installer`): a
            // document with a tag is judged whole as well.
            let tagged = memchr::memmem::find(&req.body, b"!!").is_some()
                || memchr::memmem::find_iter(&req.body, b" !").any(|at| {
                    req.body
                        .get(at + 2)
                        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'<')
                });
            if tagged {
                let text = palisade_types::lossy(&req.body).into_owned();
                n.push(limits, Place::new(PlaceKind::Body, ""), text);
            }
            return;
        }
        n.body_unparsed = true;
    }
    let first = req.body.iter().find(|b| !b.is_ascii_whitespace());
    let looks_xml = ct.ends_with("/xml")
        || ct.ends_with("+xml")
        || (!is_form && first == Some(&b'<') && !ct.starts_with("text/html"));
    if looks_xml {
        // Judged whole too: DOCTYPE and entity declarations are the XXE detector's.
        if !crate::structured::xml(n, limits, &req.body) {
            n.body_unparsed = true;
        }
        let text = palisade_types::lossy(&req.body).into_owned();
        n.push(limits, Place::new(PlaceKind::Body, ""), text);
        return;
    }
    let looks_json = ct.ends_with("json")
        || ct.ends_with("+json")
        || (!is_form
            && matches!(
                req.body.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            ));
    if looks_json {
        if let Some(keys) = json_keys(n, limits, &req.body, "$", true) {
            n.body_json_keys = keys;
            // Policies read a body's keys only when it is declared JSON. One sent as
            // something else (`text/plain`) that a lenient parser still reads, with a Mongo
            // operator in it, is judged whole too, for the NoSQL detector.
            let declared = ct.ends_with("json");
            if !declared && mongo_operator(&req.body) {
                let text = palisade_types::lossy(&req.body).into_owned();
                n.push(limits, Place::new(PlaceKind::Body, ""), text);
            }
            return;
        }
        if json_lines(n, limits, &req.body) {
            return;
        }
        n.body_unparsed = true;
    }
    if !is_form && binary_file(&ct, &req.body) {
        return;
    }
    let text = palisade_types::lossy(&req.body);
    if is_form {
        pairs(n, limits, &text, PlaceKind::FormKey, PlaceKind::FormValue);
    } else {
        n.push(limits, Place::new(PlaceKind::Body, ""), text.into_owned());
    }
}

/// A file's bytes sent as the whole body (an S3-style object upload, an avatar PUT as
/// `image/png`): the declared type is a picture, sound, film, font, archive, document or
/// plain bytes, and there is a NUL in the first KiB, as multipart's file parts are judged.
/// Read as text it is noise that now and then spells an operator. Types whose bytes carry
/// strings a server reads as fields (`application/grpc`, protobuf) are still read, and so
/// is any body that declares text or nothing.
fn binary_file(ct: &str, body: &[u8]) -> bool {
    const MEDIA: [&str; 4] = ["image/", "audio/", "video/", "font/"];
    const FILES: [&str; 14] = [
        "application/octet-stream",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
        "application/x-7z-compressed",
        "application/wasm",
        "application/java-archive",
        "application/vnd.openxmlformats-officedocument",
        "application/vnd.ms-",
    ];
    let declared = MEDIA.iter().chain(FILES.iter()).any(|m| ct.starts_with(m));
    declared && file_bytes(body)
}

/// Bytes that are a file, not text: a NUL in their first KiB. Text has none; pictures,
/// fonts, archives and catalogs have one in their header. Multipart's file parts, raw
/// bodies and base64 values are all judged by it.
pub(crate) fn file_bytes(b: &[u8]) -> bool {
    memchr::memchr(0, &b[..b.len().min(1024)]).is_some()
}

/// Walks the JSON document in `body`, its values' paths starting at `root`. False when it is
/// not JSON (values already pushed stay).
pub(crate) fn json(n: &mut Normalized, limits: &Limits, body: &[u8], root: &str) -> bool {
    json_keys(n, limits, body, root, false).is_some()
}

/// [`json`], and with `keys` the set of object keys seen. `None` when the document does not
/// parse.
fn json_keys(
    n: &mut Normalized,
    limits: &Limits,
    body: &[u8],
    root: &str,
    keys: bool,
) -> Option<Option<KeySet>> {
    let mut walker = JsonWalker {
        n,
        limits,
        path: String::from(root),
        depth: 0,
        keys: keys.then(KeySet::default),
        code_mark: None,
        code_type: false,
        turn: false,
    };
    // Valid JSON is valid UTF-8 throughout, so one check of the whole body (ASCII runs
    // fast) replaces the per-string checks `from_slice` would make.
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(&mut walker, &mut de)
        .and_then(|()| de.end())
        .ok()?;
    Some(walker.keys)
}

/// A body of JSON documents one per line, which no single parse reads: NDJSON and JSON
/// Lines (Elasticsearch's `_bulk`, log shippers), and Sentry's envelopes (every Sentry SDK's
/// events, a header line, then an item header and its payload per item). The first
/// non-blank line must be a document; each line that is one is walked as `$[n]` (its line
/// number), so its fields are judged as fields (a stack frame's source lines as a frame's);
/// any other line (an attachment, a replay's compressed bytes, text after a document) is
/// judged whole as the body's text, as an unparsed body is. `false` (nothing pushed from
/// here) when the first line is no document: a broken pretty-printed document is judged
/// whole.
fn json_lines(n: &mut Normalized, limits: &Limits, body: &[u8]) -> bool {
    let lines = || {
        body.split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, l)| l.iter().any(|b| !b.is_ascii_whitespace()))
    };
    let mut it = lines();
    match it.next() {
        Some((at, first)) if it.next().is_some() => {
            let pushed = n.values.len();
            if json_keys(n, limits, first, &format!("$[{at}]"), false).is_none() {
                // What the failed parse pushed before it stopped: the body is judged whole.
                n.values.truncate(pushed);
                return false;
            }
        }
        _ => return false,
    }
    for (i, line) in lines().skip(1) {
        if json_keys(n, limits, line, &format!("$[{i}]"), false).is_none() {
            let text = palisade_types::lossy(line).into_owned();
            n.push(limits, Place::new(PlaceKind::Body, ""), text);
        }
    }
    true
}

/// Walks a JSON document in one pass as serde parses it, pushing keys and string leaves
/// with their JSON path; no intermediate tree is built. Depth beyond `max_json_depth` is
/// skipped (and counted), not recursed into.
struct JsonWalker<'a> {
    n: &'a mut Normalized,
    limits: &'a Limits,
    path: String,
    depth: usize,
    /// Object keys seen, when the caller wants them.
    keys: Option<KeySet>,
    /// The path length of a text node one of whose `marks` is `{"type": "code"}` (inline
    /// code in ProseMirror, Tiptap, Jira ADF, Contentful), set by the mark, taken by the node.
    code_mark: Option<usize>,
    /// Whether the object being walked has a code node's type (`"type": "codeBlock"`); set
    /// by the string, read and restored by the object.
    code_type: bool,
    /// Whether the object being walked has a conversation role (`"role": "user"`); set and
    /// read as `code_type` is.
    turn: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut JsonWalker<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.depth > self.limits.max_json_depth {
            self.n.values_dropped += 1;
            return <serde::de::IgnoredAny as serde::Deserialize>::deserialize(d).map(|_| ());
        }
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut JsonWalker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        // `{"query": "mutation { … }"}`: a GraphQL request's string arguments.
        let place = Place::new(PlaceKind::JsonValue, self.path.as_str());
        if self.path.ends_with(".query") && crate::structured::is_graphql(v) {
            let skeleton = crate::structured::graphql(self.n, self.limits, v, &self.path);
            self.n.push(self.limits, place, skeleton);
            return Ok(());
        }
        // A JSON document stored as a string (`"policy": "{\"Version\": …}"`, a webhook's
        // stringified payload) is read by its leaves, as one in a query value is; two
        // levels of it at most.
        if matches!(
            v.as_bytes().first(),
            Some(b'{' | b'[' | b' ' | b'\n' | b'\t' | b'\r')
        ) && self.path.matches('$').count() < 3
            && nested_json(self.n, self.limits, &self.path[1..], v)
        {
            return Ok(());
        }
        // A code node's type: by its first byte, then the names, then the key.
        if matches!(v.as_bytes().first(), Some(b'c' | b'C' | b'r'))
            && CODE_NODES.contains(&v)
            && [".type", "._type", ".nodeType", ".cell_type"]
                .iter()
                .any(|k| self.path.ends_with(k))
        {
            self.code_type = true;
        }
        // A turn of a conversation with a language model (`"role": "assistant"`).
        if matches!(
            v.as_bytes().first(),
            Some(b'u' | b'a' | b's' | b't' | b'd' | b'm' | b'f')
        ) && ROLES.contains(&v)
            && self.path.ends_with(".role")
        {
            self.turn = true;
        }
        self.n.push(self.limits, place, v.to_string());
        Ok(())
    }

    // Numbers, booleans and null cannot carry an injection once parsed.
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        // Inline code as a style flag on the text element: Slack Block Kit's `"style":
        // {"code": true}`, Quill's `"attributes": {"code": true}`, Notion's `"annotations":
        // {"code": true}`. The element takes it as it takes a `code` mark.
        if v {
            let node = [".style.code", ".attributes.code", ".annotations.code"]
                .iter()
                .find_map(|s| self.path.strip_suffix(s));
            if let Some(node) = node {
                self.code_mark = Some(node.len());
            }
        }
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let len = self.path.len();
        let start = self.n.values.len();
        let dropped = self.n.values_dropped;
        self.depth += 1;
        let mut elements = 0;
        for i in 0usize.. {
            self.path.truncate(len);
            push_index(&mut self.path, i);
            if seq.next_element_seed(&mut *self)?.is_none() {
                break;
            }
            elements += 1;
        }
        self.depth -= 1;
        self.path.truncate(len);
        self.join_lines(start, dropped, elements);
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let len = self.path.len();
        let start = self.n.values.len();
        let outer = std::mem::replace(&mut self.code_type, false);
        let outer_turn = std::mem::replace(&mut self.turn, false);
        self.depth += 1;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            self.path.truncate(len);
            self.path.push('.');
            self.path.push_str(&key);
            if let Some(keys) = &mut self.keys {
                if !keys.contains(&*key) {
                    keys.insert(key.as_ref().into());
                }
            }
            if !is_plain_name(&key) || bisecting_operator(&key) {
                let place = Place::new(PlaceKind::JsonKey, self.path.as_str());
                self.n.push(self.limits, place, key.into_owned());
            }
            map.next_value_seed(&mut *self)?;
        }
        let code_node = std::mem::replace(&mut self.code_type, outer);
        let turn = std::mem::replace(&mut self.turn, outer_turn);
        self.depth -= 1;
        self.path.truncate(len);
        // A mark (`"marks": [{"type": "code"}]`, a `"code": true` style) makes its text
        // node's text inline code.
        let marked = self.code_mark == Some(len);
        if marked {
            self.code_mark = None;
        }
        // A turn of a conversation with a language model: an element of `messages`
        // (OpenAI's and Anthropic's APIs and their gateways), `contents` (Gemini) or
        // `input` (OpenAI's Responses) with a role and its text (`content`, `parts`) or tool
        // calls. Its text, tool calls' commands and tool results go to the model and come
        // back from the client's own tools: shown, as a code block's text is, not handed to
        // a sink here.
        if turn
            && self.path.ends_with(']')
            && [".messages[", ".contents[", ".input["].iter().any(|k| {
                self.path[..self.path.len() - 1].rfind(k).is_some_and(|at| {
                    self.path[at + k.len()..self.path.len() - 1]
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                })
            })
        {
            let values = &mut self.n.values[start..];
            let spoken = values.iter().any(|v| {
                let rel = v.place.name.get(len + 1..).unwrap_or("");
                ["content", "parts", "tool_calls", "function_call"]
                    .iter()
                    .any(|k| rel.starts_with(k))
            });
            if spoken {
                for v in values {
                    v.code = true;
                }
            }
        }
        // A code node's text came before or after its `type` key: every value the node
        // holds. An editor's node holds its text nested (`content[…]`, `rich_text[…]`,
        // `data.code`, `children[…]`) or names its language beside it; Draft.js keeps it
        // beside a `code-block` type; a Jupyter notebook's `"cell_type": "code"` its
        // `source` (its lines joined, or one string). A `type: "code"` with plain fields
        // only (`{"type": "code", "code": "SAVE10"}`, a discount) is no code block. Looked
        // for only here, once a code type was seen: every key of every body passes through
        // this walk.
        if code_node || marked {
            let values = &mut self.n.values[start..];
            let node = marked
                || values.iter().any(|v| {
                    let rel = v.place.name.get(len + 1..).unwrap_or("");
                    rel.contains(['.', '['])
                        || rel == "language"
                        || rel == "lang"
                        || rel == "source"
                        || (rel == "type" && v.raw == "code-block")
                });
            if node {
                for v in values {
                    v.code = true;
                }
            } else if let Some(node) = self.path.rfind(".marks[") {
                // `{"type": "code"}` alone, as an element of `marks`.
                let index = &self.path[node + 7..];
                if index
                    .strip_suffix(']')
                    .is_some_and(|i| i.bytes().all(|b| b.is_ascii_digit()))
                {
                    self.code_mark = Some(node);
                }
            }
        }
        Ok(())
    }
}

/// The node types rich-text editors give a code block (see `Value::code`): Notion, Editor.js,
/// Lexical, Sanity and mdast `code`; Tiptap and Jira's ADF `codeBlock`; ProseMirror's and
/// Slate's `code_block`; Draft.js's `code-block`; Lexical's `code-highlight` runs; Slack
/// Block Kit's `rich_text_preformatted`; Adaptive Cards' (Teams) `CodeBlock`.
const CODE_NODES: [&str; 7] = [
    "code",
    "codeBlock",
    "code_block",
    "code-block",
    "code-highlight",
    "rich_text_preformatted",
    "CodeBlock",
];

/// The roles of a conversation's turns: OpenAI's (`developer`, and `function` of old),
/// Anthropic's, Gemini's (`model`).
const ROLES: [&str; 7] = [
    "user",
    "assistant",
    "system",
    "tool",
    "developer",
    "function",
    "model",
];

impl JsonWalker<'_> {
    /// A text stored as an array of its lines, each but the last ending in `\n`: nbformat's
    /// multi-line strings (`"source": ["import os\n", "print(os.getcwd())"]`, every Jupyter
    /// notebook a contents API receives), and other editors' line arrays. The application
    /// reads the lines joined, and so are they judged: one value at the array's path
    /// instead of the elements pushed since `start`. Only when each element was one string
    /// pushed as itself (nothing dropped, nested or decoded into more values).
    ///
    /// An error tracker's stack frame holds the source lines around the failing one without
    /// their line breaks (Sentry's `pre_context` and `post_context`, which GlitchTip and
    /// other Sentry-protocol servers take too): those are joined with `\n`, as the file
    /// had them.
    fn join_lines(&mut self, start: usize, dropped: usize, elements: usize) {
        let values = &self.n.values[start..];
        if elements < 2 || values.len() != elements || self.n.values_dropped != dropped {
            return;
        }
        let context = self.path.ends_with(".pre_context") || self.path.ends_with(".post_context");
        // Most arrays hold objects or words: the first element settles it.
        let lines = || {
            values[0].raw.ends_with('\n')
                && values[..elements - 1].iter().all(|v| v.raw.ends_with('\n'))
        };
        if !(context || lines()) {
            return;
        }
        let mut expected = String::with_capacity(self.path.len() + 8);
        for (i, v) in values.iter().enumerate() {
            expected.clear();
            expected.push_str(&self.path);
            push_index(&mut expected, i);
            if v.place.kind != PlaceKind::JsonValue || v.place.name != expected {
                return;
            }
        }
        // Joined past the value cap, the tail would go unread: keep the lines then.
        if values.iter().map(|v| v.raw.len()).sum::<usize>() > self.limits.max_value_bytes {
            return;
        }
        let joined: String = if context {
            let mut joined = String::new();
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    joined.push('\n');
                }
                joined.push_str(&v.raw);
            }
            joined
        } else {
            values.iter().map(|v| v.raw.as_str()).collect()
        };
        self.n.values.truncate(start);
        let place = Place::new(PlaceKind::JsonValue, self.path.as_str());
        self.n.push(self.limits, place, joined);
    }
}

/// Appends `[i]`. By hand: `write!` through `fmt` cost about 160 instructions per array
/// element, a quarter of what walking the element costs.
fn push_index(path: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = i;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    for &d in &digits[at..] {
        path.push(char::from(d));
    }
    path.push(']');
}

/// An object key, borrowed from the body unless it had escapes (serde's own `Cow<str>`
/// always copies).
struct KeySeed;

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn view(target: &str, ct: Option<&str>, body: &str) -> RequestView {
        let mut r = RequestView::new(Method::POST, target, "127.0.0.1".parse().unwrap());
        if let Some(ct) = ct {
            r.headers
                .insert(http::header::CONTENT_TYPE, ct.parse().unwrap());
        }
        r.headers.insert(
            http::header::COOKIE,
            "sid=abc; pref=%3Cb%3E".parse().unwrap(),
        );
        r.body = body.to_string().into();
        r
    }

    /// A JSON body, extracted with the default limits.
    fn json(body: &str) -> Normalized {
        extract(
            &view("/", Some("application/json"), body),
            &Limits::default(),
        )
    }

    fn find<'a>(n: &'a Normalized, kind: PlaceKind, name: &str) -> &'a crate::Value {
        n.values
            .iter()
            .find(|v| v.place.kind == kind && v.place.name == name)
            .unwrap_or_else(|| panic!("no {kind:?} {name} in {:?}", n.values))
    }

    /// ORM filter keys are read as values (the `orm` detector's input), and so is a JSON key
    /// that names a bisecting operator; other names, a form's one bracketed name and a
    /// leading `__` are the path only.
    #[test]
    fn orm_filter_keys_are_values() {
        let r = view(
            "/p?a__password__startswith=x&author_name=y&q%5Bname_cont%5D=z&user[email]=e&filter[password][_starts_with]=w",
            None,
            r#"{"user__token__regex":"^a","__typename":"User","first_name":"Al","where":{"email":{"contains":"x","equals":"y"}}}"#,
        );
        let n = extract(&r, &Limits::default());
        let keys: Vec<&str> = n
            .values
            .iter()
            .filter(|v| matches!(v.place.kind, PlaceKind::QueryKey | PlaceKind::JsonKey))
            .map(|v| v.raw.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "a__password__startswith",
                "q[name_cont]",
                "filter[password][_starts_with]",
                "user__token__regex",
                "contains"
            ]
        );
    }

    #[test]
    fn bisecting_operators_in_every_spelling() {
        for op in [
            "startsWith",
            "$startsWithi",
            "_starts_with",
            "_nistarts_with",
            "lt",
            "$gte",
            "_like",
            "$regex",
            "$notContainsi",
            "_icontains",
            "icontains",
            "_between",
        ] {
            assert!(bisecting_operator(op), "{op}");
        }
        for op in [
            "equals",
            "$eq",
            "_in",
            "not",
            "notContains",
            "name",
            "email",
            "note",
            "status",
            "search",
            "",
            "$",
            "_",
        ] {
            assert!(!bisecting_operator(op), "{op}");
        }
    }

    #[test]
    fn extracts_query_cookies_and_json_leaves() {
        let r = view(
            "/p?q=a+b%27&x%3Cy=1",
            None,
            r#"{"user":{"name":"O'Brien","tags":["x","<i>"]},"n":3}"#,
        );
        let n = extract(&r, &Limits::default());
        assert_eq!(find(&n, PlaceKind::QueryValue, "q").raw, "a b'");
        assert_eq!(find(&n, PlaceKind::QueryKey, "x<y").raw, "x<y");
        assert_eq!(find(&n, PlaceKind::Cookie, "pref").text(), "<b>");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.user.name").raw, "O'Brien");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.user.tags[1]").raw, "<i>");
        assert!(!n.body_unparsed);
    }

    /// Regression (session 42): a code block of an editor's document marks its text, its
    /// `type` before or after it, and so does a `code` mark on a text node; a bare `type:
    /// "code"` (a discount) marks nothing.
    #[test]
    fn code_blocks_of_editor_documents_are_marked() {
        let n = json(
            r#"{"children":[{"object":"block","type":"code","has_children":false,"code":{"rich_text":[{"type":"text","text":{"content":"rm -rf build && npm run build"}}],"language":"bash"}},
                {"type":"paragraph","paragraph":{"rich_text":[{"type":"text","text":{"content":"then deploy; done"}}]}}],
              "doc":{"type":"doc","content":[{"content":[{"type":"text","text":"kubectl delete pod x; kubectl get pods"}],"attrs":{"language":"bash"},"type":"codeBlock"}]},
              "coupon":{"type":"code","code":"SAVE10; x"},
              "adf":{"type":"paragraph","content":[{"type":"text","text":"run "},{"type":"text","marks":[{"type":"strong"},{"type":"code"}],"text":"rm -rf /tmp/x && make"}]},
              "cf":{"nodeType":"text","value":"cat /etc/hosts","marks":[{"type":"code"}],"data":{}},
              "em":{"nodeType":"text","value":"cat /etc/hosts","marks":[{"type":"italic"}]},
              "slack":[{"type":"text","text":"cat /etc/hosts","style":{"code":true}},{"type":"text","text":"then; go","style":{"bold":true}}],
              "notion":{"rich_text":[{"type":"text","text":{"content":"cat /etc/hosts"},"annotations":{"bold":false,"code":true}}]},
              "draft":{"blocks":[{"key":"9gm3s","text":"rm -rf build && make","type":"code-block","depth":0,"inlineStyleRanges":[],"entityRanges":[],"data":{}},{"key":"a1","text":"then; go","type":"unstyled"}]},
              "quill":{"ops":[{"insert":"rm -rf /tmp/x && make","attributes":{"code":true}},{"insert":"done; ok","attributes":{"code":false}}]},
              "nb":{"cells":[{"cell_type":"code","execution_count":3,"metadata":{},"outputs":[],"source":["%%bash\n","ls -la | head"]},
                             {"cell_type":"markdown","metadata":{},"source":"run `ls; id` first"},
                             {"cell_type":"code","source":"eval('1+1')","outputs":[]}]}}"#,
        );
        let code = |path: &str| find(&n, PlaceKind::JsonValue, path).code;
        assert!(code("$.children[0].code.rich_text[0].text.content"));
        assert!(!code("$.children[1].paragraph.rich_text[0].text.content"));
        assert!(code("$.doc.content[0].content[0].text"));
        assert!(!code("$.coupon.code"));
        // Inline code: a text node with a `{"type": "code"}` mark.
        assert!(!code("$.adf.content[0].text"));
        assert!(code("$.adf.content[1].text"));
        assert!(code("$.cf.value"));
        assert!(!code("$.em.value"));
        // Or a style flag on the element (Slack, Quill).
        assert!(code("$.slack[0].text"));
        assert!(!code("$.slack[1].text"));
        assert!(code("$.quill.ops[0].insert"));
        assert!(code("$.notion.rich_text[0].text.content"));
        assert!(code("$.draft.blocks[0].text"));
        assert!(!code("$.draft.blocks[1].text"));
        assert!(!code("$.quill.ops[1].insert"));
        // A Jupyter notebook's code cells, their lines joined or one string (session 43).
        assert!(code("$.nb.cells[0].source"));
        assert!(!code("$.nb.cells[1].source"));
        assert!(code("$.nb.cells[2].source"));
    }

    /// Regression (session 43): the turns of a conversation with a language model are
    /// marked; a user record with a role is not.
    #[test]
    fn conversation_turns_are_marked() {
        let n = json(
            r#"{"model":"m","messages":[{"role":"system","content":"Use ```sql fences"},
                {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{\"command\":\"cat /etc/os-release; uname -a\"}"}}]},
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"total 24; ls"}]}],
              "users":[{"role":"user","bio":"x; y"}],
              "contents":[{"role":"model","parts":[{"text":"run `ls; id`"}]}]}"#,
        );
        let code = |path: &str| find(&n, PlaceKind::JsonValue, path).code;
        assert!(code("$.messages[0].content"));
        assert!(code(
            "$.messages[1].tool_calls[0].function.arguments.command"
        ));
        assert!(code("$.messages[2].content[0].content"));
        assert!(code("$.contents[0].parts[0].text"));
        assert!(!code("$.users[0].bio"));
        assert!(!code("$.model"));
    }

    /// Regression (session 43): base64 of a JSON document is read by its leaves.
    #[test]
    fn base64_of_a_json_document_is_walked() {
        let doc = r#"{"cells":[{"cell_type":"code","source":["%%bash\n","ls -la | head"]}],"nbformat":4}"#;
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, doc);
        let n = json(&format!(
            r#"{{"path":"/Users/jo/churn","content":"{b64}"}}"#
        ));
        let cell = find(&n, PlaceKind::JsonValue, "$.content#base64.cells[0].source");
        assert_eq!(cell.raw, "%%bash\nls -la | head");
        assert!(cell.code);
        assert!(n.values.iter().all(|v| v.place.name != "$.content#base64"));
        // Base64 of text is judged as text.
        let b64 = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "'; DROP TABLE users; -- x",
        );
        let n = json(&format!(r#"{{"content":"{b64}"}}"#));
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.content#base64").text(),
            "'; DROP TABLE users; -- x"
        );
    }

    #[test]
    fn base64_in_the_path_is_judged_decoded() {
        // `"union select -7431.1, name, @aaa from u_base--w-` as base64, the whole path or
        // its last segment.
        let b64 = "InVuaW9uIHNlbGVjdCAtNzQzMS4xLCBuYW1lLCBAYWFhIGZyb20gdV9iYXNlLS13LQ";
        for path in [format!("/{b64}"), format!("/api/items/{b64}")] {
            let n = extract(&view(&path, None, ""), &Limits::default());
            assert_eq!(
                find(&n, PlaceKind::Path, "#base64").text(),
                "\"union select -7431.1, name, @aaa from u_base--w-"
            );
        }
        // Base64's own `/` splits it into segments: the whole path is read.
        let n = extract(&view("/Y2F0IC9ldGMvcGE/c3dk", None, ""), &Limits::default());
        assert_eq!(
            find(&n, PlaceKind::Path, "#base64").text(),
            "cat /etc/pa?swd"
        );
        // An ordinary path has no decoded twin.
        let n = extract(
            &view("/api/v1/GetUserProfile/42", None, ""),
            &Limits::default(),
        );
        assert_eq!(
            n.values
                .iter()
                .filter(|v| v.place.name.ends_with("#base64"))
                .count(),
            0
        );
    }

    #[test]
    fn json_lines_are_walked_line_by_line() {
        // Elasticsearch's bulk body: an action line, then its document.
        let bulk = "{\"index\":{\"_index\":\"logs\"}}\n{\"message\":\"it's ok\",\"n\":[\"a\"]}\n";
        let n = extract(
            &view("/_bulk", Some("application/x-ndjson"), bulk),
            &Limits::default(),
        );
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$[0].index._index").text(),
            "logs"
        );
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$[1].message").text(),
            "it's ok"
        );
        assert_eq!(find(&n, PlaceKind::JsonValue, "$[1].n[0]").text(), "a");
        assert!(n.values.iter().all(|v| v.place.kind != PlaceKind::Body));
        assert!(!n.body_unparsed);
        // A Sentry envelope whose last item is no JSON: that line is judged as the body's text.
        let envelope = "{\"event_id\":\"9ec7\"}\n{\"type\":\"attachment\"}\n' OR 1=1 --\n";
        let n = extract(
            &view(
                "/api/1/envelope/",
                Some("application/x-sentry-envelope"),
                envelope,
            ),
            &Limits::default(),
        );
        assert_eq!(find(&n, PlaceKind::Body, "").text(), "' OR 1=1 --");
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$[1].type").text(),
            "attachment"
        );
        // A broken pretty-printed document is still judged whole.
        let broken = "{\n  \"a\": \"x\",\n  \"b\": \n}";
        let n = extract(
            &view("/", Some("application/json"), broken),
            &Limits::default(),
        );
        assert_eq!(find(&n, PlaceKind::Body, "").text(), broken);
        assert!(n.body_unparsed);
    }

    #[test]
    fn form_bodies_and_unparsable_json() {
        let n = extract(
            &view("/", Some("application/x-www-form-urlencoded"), "a=1%27&b=2"),
            &Limits::default(),
        );
        assert_eq!(find(&n, PlaceKind::FormValue, "a").raw, "1'");
        // A value hidden in the key behind an encoded `=` is judged as a value too.
        let n = extract(
            &view(
                "/",
                Some("application/x-www-form-urlencoded"),
                "pay%3DAND+1%3D1%29",
            ),
            &Limits::default(),
        );
        assert_eq!(
            find(&n, PlaceKind::FormKey, "pay=AND 1=1)").raw,
            "pay=AND 1=1)"
        );
        assert_eq!(find(&n, PlaceKind::FormValue, "pay").raw, "AND 1=1)");
        let n = extract(
            &view("/", Some("application/json"), "{bad"),
            &Limits::default(),
        );
        assert!(n.body_unparsed);
        assert_eq!(find(&n, PlaceKind::Body, "").raw, "{bad");
    }

    #[test]
    fn json_documents_in_parameters_are_read_as_json() {
        let filter = r#"{"where":{"and":[{"price":{"gt":10}}]},"url":"javascript:alert(1)"}"#;
        let mut r = view(
            &format!("/p?filter={}&q=%7Bnot+json", urlencode(filter)),
            None,
            "",
        );
        let template = r#"{"Name":{"Fn::Sub":"${AWS::StackName}-assets"},"Price":"$12"}"#;
        r.headers.insert(
            http::header::COOKIE,
            format!(
                "cart=%5B%22%3Cb%3E%22%5D; m=%7B%22%24ne%22%3Anull%7D; cf={}",
                urlencode(template)
            )
            .parse()
            .unwrap(),
        );
        let n = extract(&r, &Limits::default());
        // The leaves, not the document as one text.
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$filter.url").raw,
            "javascript:alert(1)"
        );
        assert!(!n
            .values
            .iter()
            .any(|v| v.place == Place::new(PlaceKind::QueryValue, "filter")));
        assert_eq!(find(&n, PlaceKind::JsonValue, "$cart[0]").raw, "<b>");
        // Not JSON: judged as text. A Mongo operator inside: judged as text too.
        assert_eq!(find(&n, PlaceKind::QueryValue, "q").raw, "{not json");
        assert_eq!(find(&n, PlaceKind::Cookie, "m").text(), r#"{"$ne":null}"#);
        // A template's substitution (`"${AWS::StackName}"`) is no operator (session 43).
        assert_eq!(find(&n, PlaceKind::JsonValue, "$cf.Price").raw, "$12");
        assert!(!n.values.iter().any(|v| v.place.name == "cf"));
        // Deeper than the cap: the skipped strings are judged in the whole text.
        let limits = Limits {
            max_json_depth: 2,
            ..Limits::default()
        };
        let deep = r#"[[[["<script>"]]]]"#;
        let n = extract(
            &view(&format!("/p?d={}", urlencode(deep)), None, ""),
            &limits,
        );
        assert_eq!(find(&n, PlaceKind::QueryValue, "d").raw, deep);
    }

    #[test]
    fn json_documents_stored_as_strings_are_read_by_their_leaves() {
        let inner = r#"{\"Statement\":[{\"Effect\":\"Allow\",\"Sid\":\"x' or 1=1--\"}]}"#;
        let body = format!(r#"{{"name":"p","policy":"{inner}","note":"{{not json"}}"#);
        let n = json(&body);
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.policy.Statement[0].Sid").raw,
            "x' or 1=1--"
        );
        assert!(!n
            .values
            .iter()
            .any(|v| v.place == Place::new(PlaceKind::JsonValue, "$.policy")));
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.note").raw, "{not json");
    }

    /// nbformat's multi-line strings are judged as the text they make; arrays of anything
    /// else (words, objects, a last line ending in `\n` is fine, a middle one without it
    /// is not a line array) keep their elements.
    #[test]
    fn arrays_of_lines_are_judged_joined() {
        let body = r#"{"cells":[{"source":["import os\n","x = 1\n","print(x)"]}],"tags":["a\n","b"],"mixed":["a\n",{"k":"v"}],"words":["x","y\n"],"one":["z\n"]}"#;
        let n = json(body);
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.cells[0].source").raw,
            "import os\nx = 1\nprint(x)"
        );
        assert!(!n
            .values
            .iter()
            .any(|v| v.place.name.starts_with("$.cells[0].source[")));
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.tags").raw, "a\nb");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.mixed[0]").raw, "a\n");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.mixed[1].k").raw, "v");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.words[0]").raw, "x");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.one[0]").raw, "z\n");
        // A stack frame's context lines come without their line breaks.
        let body = r#"{"frames":[{"pre_context":["def f(x):","    if x:"],"context_line":"        return g(x)","post_context":["    return 0"]}],"ids":["a","b"]}"#;
        let n = json(body);
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.frames[0].pre_context").raw,
            "def f(x):\n    if x:"
        );
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.frames[0].post_context[0]").raw,
            "    return 0"
        );
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.ids[1]").raw, "b");
        // Joined past the value cap, the lines are kept as they are.
        let limits = Limits {
            max_value_bytes: 8,
            ..Limits::default()
        };
        let n = extract(
            &view(
                "/",
                Some("application/json"),
                r#"{"s":["12345\n","67890"]}"#,
            ),
            &limits,
        );
        assert_eq!(find(&n, PlaceKind::JsonValue, "$.s[1]").raw, "67890");
    }

    #[test]
    fn a_binary_files_bytes_are_not_read_as_text() {
        let png = "\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR' or 1=1--";
        let body = |ct: &str, body: &str| {
            let n = extract(&view("/uploads/a.png", Some(ct), body), &Limits::default());
            n.values
                .iter()
                .any(|v| v.place.kind == PlaceKind::Body && v.raw == body)
        };
        assert!(!body("image/png", png));
        assert!(!body("application/octet-stream", png));
        // Declared as text, as gRPC's fields, or with no NUL in it, it is read.
        assert!(body("text/plain", png));
        assert!(body("application/grpc", png));
        assert!(body("image/png", "' or 1=1--"));
    }

    #[test]
    fn undeclared_json_with_an_operator_is_judged_whole_too() {
        let n = extract(
            &view("/login", Some("text/plain"), r#"{"user":{"$ne":null}}"#),
            &Limits::default(),
        );
        assert_eq!(
            find(&n, PlaceKind::Body, "").raw,
            r#"{"user":{"$ne":null}}"#
        );
        let n = extract(
            &view(
                "/login",
                Some("application/json"),
                r#"{"user":{"$ne":null}}"#,
            ),
            &Limits::default(),
        );
        assert!(!n.values.iter().any(|v| v.place.kind == PlaceKind::Body));
    }

    #[test]
    fn a_referers_query_values_that_could_break_out_are_judged_alone() {
        let mut r = view("/p", None, "");
        r.headers.insert(
            http::header::REFERER,
            "https://shop.example/s?q=1%29+AND+extractvalue(1,version())--&page=2&t=drop+shipping+union+select&f=..%2F..%2Fetc%2Fpasswd"
                .parse()
                .unwrap(),
        );
        let n = extract(&r, &Limits::default());
        assert_eq!(
            find(&n, PlaceKind::Header, "referer?q").raw,
            "1) AND extractvalue(1,version())--"
        );
        assert_eq!(
            find(&n, PlaceKind::Header, "referer?f").raw,
            "../../etc/passwd"
        );
        // Words alone, and plain values, stay inside the whole header's judgement.
        assert!(!n
            .values
            .iter()
            .any(|v| v.place.name == "referer?t" || v.place.name == "referer?page"));
        // A value judged alone is left out of the whole, which keeps the rest.
        assert_eq!(
            find(&n, PlaceKind::Header, "referer").raw,
            "https://shop.example/s?q=&page=2&t=drop+shipping+union+select&f="
        );
    }

    #[test]
    fn a_referer_with_nothing_judged_alone_is_judged_as_sent() {
        let mut r = view("/p", None, "");
        let sent = "https://www.google.com/?param=something#x=foo;cat$u+/etc$u/passwd";
        r.headers
            .insert(http::header::REFERER, sent.parse().unwrap());
        let n = extract(&r, &Limits::default());
        assert_eq!(find(&n, PlaceKind::Header, "referer").raw, sent);
    }

    fn urlencode(s: &str) -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    }

    #[test]
    fn array_indices_are_written_in_decimal() {
        for i in [0usize, 7, 10, 99, 12_345, usize::MAX] {
            let mut p = String::from("$.items");
            push_index(&mut p, i);
            assert_eq!(p, format!("$.items[{i}]"));
        }
    }

    #[test]
    fn windows_of_a_files_base64_are_not_decoded() {
        use base64::Engine;
        let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        // A catalog's strings between NULs, past the first window: read as text, they would
        // be judged one window at a time.
        let mut file = b"\xde\x12\x04\x95\0\0\0\0".to_vec();
        let mut text = Vec::new();
        while text.len() < 40_000 {
            text.extend_from_slice(b"Usage: %s [-o option] ' or 1=1 --\0");
        }
        file.extend_from_slice(&text);
        let decoded = |b64: &str| {
            let n = extract(
                &view(
                    "/",
                    Some("application/json"),
                    &format!(r#"{{"content":"{b64}"}}"#),
                ),
                &Limits::default(),
            );
            n.values
                .iter()
                .filter(|v| v.place.name.ends_with("#base64"))
                .count()
        };
        assert_eq!(decoded(&encode(&file)), 0);
        // Base64 of text, as long, is decoded window by window.
        let text = text
            .iter()
            .map(|&b| if b == 0 { b'\n' } else { b })
            .collect::<Vec<_>>();
        assert!(decoded(&encode(&text)) > 1);
    }

    #[test]
    fn long_values_are_judged_in_overlapping_windows() {
        let limits = Limits {
            max_value_bytes: 16,
            max_value_windows: 4,
            ..Limits::default()
        };
        // The windows of `value` in a query (`q`), or of a JSON string (`json`).
        let windows = |value: &str, json: bool| {
            let r = if json {
                view(
                    "/",
                    Some("application/json"),
                    &format!(r#"{{"s":{value:?}}}"#),
                )
            } else {
                view(&format!("/?q={value}"), None, "")
            };
            let n = extract(&r, &limits);
            let kind = if json {
                PlaceKind::JsonValue
            } else {
                PlaceKind::QueryValue
            };
            let mine = || n.values.iter().filter(|v| v.place.kind == kind);
            let w: Vec<String> = mine().map(|v| v.raw.clone()).collect();
            let cuts: Vec<(bool, bool)> = mine().map(|v| (v.cut.before, v.cut.after)).collect();
            (w, n.values_dropped, cuts)
        };
        // 40 bytes: windows at 0, 14 and the tail at 24; the payload at the end is read.
        let (w, dropped, cuts) = windows(&format!("{}' OR 1=1--", "A".repeat(30)), false);
        assert_eq!(w.len(), 3, "{w:?}");
        // Each window says where it cut the value: the first only after, the last only before.
        assert_eq!(cuts, [(false, true), (true, true), (true, false)]);
        let (_, _, cuts) = windows("short", false);
        assert_eq!(cuts, [(false, false)], "a whole value is not cut");
        assert!(w.iter().all(|w| w.len() <= 16));
        assert_eq!(w.last().map(String::as_str), Some("AAAAAA' OR 1=1--"));
        assert_eq!(dropped, 0);
        // Longer than the windows reach: head windows, then the tail, and a dropped count.
        let (w, dropped, _) = windows(&format!("{}' OR 1=1--", "A".repeat(200)), false);
        assert_eq!(w.len(), 4);
        assert_eq!(w.last().map(String::as_str), Some("AAAAAA' OR 1=1--"));
        assert_eq!(dropped, 1);
        // A window opens at a line's start when one begins in the part already read.
        let (w, _, _) = windows(&"x `a` y\n".repeat(12), true);
        assert!(
            w.len() > 1 && w.iter().all(|w| w.starts_with("x `a`")),
            "{w:?}"
        );
        // Windows end on character boundaries.
        let (w, _, _) = windows(&"é".repeat(30), false);
        assert!(w
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c == 'é')));
    }

    #[test]
    fn caps_bound_the_work() {
        let limits = Limits {
            max_values: 4,
            max_value_bytes: 5,
            max_json_depth: 2,
            ..Limits::default()
        };
        let q: Vec<String> = (0..10).map(|i| format!("k{i}=vvvvvvvvvv")).collect();
        let r = view(&format!("/?{}", q.join("&")), None, "");
        let n = extract(&r, &limits);
        assert_eq!(n.values.len(), 4);
        assert!(n.values_dropped > 0);
        assert!(n.values.iter().all(|v| v.raw.len() <= 5));
        let deep = view(
            "/",
            Some("application/json"),
            r#"{"a":{"b":{"c":{"d":"x"}}}}"#,
        );
        let n = extract(&deep, &limits);
        assert!(n.values_dropped > 0);
    }

    #[test]
    fn yaml_bodies_are_read_by_their_scalars() {
        let yaml = |body: &str| {
            extract(
                &view("/", Some("application/yaml"), body),
                &Limits::default(),
            )
        };
        let n = yaml("filters:\n  - name: f3\n    pattern: \"^X-Amz-([a-z0-9]*)$\"\n");
        assert_eq!(
            find(&n, PlaceKind::JsonValue, "$.filters[0].pattern").raw,
            "^X-Amz-([a-z0-9]*)$"
        );
        assert!(!n.values.iter().any(|v| v.place.kind == PlaceKind::Body));
        // A stream of documents is an array of them.
        let n = yaml("kind: A\n---\nkind: B\n");
        assert_eq!(find(&n, PlaceKind::JsonValue, "$[1].kind").raw, "B");
        // A tag is kept for the detectors: the document is judged whole as well.
        let n = yaml("x: !!python/object/apply:os.system [\"id\"]\n");
        assert!(n.values.iter().any(|v| v.place.kind == PlaceKind::Body));
        // Not YAML, or not a JSON shape (a list as a key): judged whole, as before.
        let n = yaml("a: [unclosed\n");
        assert!(n.body_unparsed);
        assert!(n.values.iter().any(|v| v.place.kind == PlaceKind::Body));
        // An alias bomb is refused by the parser's budget, not expanded.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            let (p, k) = (w[0], w[1]);
            let refs = vec![format!("*{p}"); 10].join(", ");
            bomb.push_str(&format!("{k}: &{k} [{refs}]\n"));
        }
        let n = yaml(&bomb);
        assert!(n.body_unparsed);
        assert!(n.values.len() <= Limits::default().max_values);
    }
}
