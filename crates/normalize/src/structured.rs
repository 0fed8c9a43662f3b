//! Bodies with structure beyond JSON and forms: multipart/form-data, XML (SOAP included) and
//! GraphQL documents, plus values that are evidently base64. Each yields its own places, so a
//! detector judges `<id>1' or 1=1</id>` as the text `1' or 1=1`, not as a line of markup.

use crate::Normalized;
use palisade_config::Limits;
use palisade_types::{Place, PlaceKind};

/// Reads a buffered multipart/form-data body: each part's field name, file name and content
/// (text parts only; binary file content has nothing a text detector can judge). Returns false
/// when the body is not the multipart document its Content-Type declares.
///
/// Written here rather than with `multer`: multer parses an async stream, and this body is
/// already a bounded slice in a pure, synchronous function; splitting on the boundary and
/// reading `Content-Disposition` is all that is needed.
pub(crate) fn multipart(n: &mut Normalized, limits: &Limits, ct: &str, body: &[u8]) -> bool {
    let Some(boundary) = param(ct, "boundary") else {
        return false;
    };
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut parts = 0;
    let mut at = match find(body, d, 0) {
        Some(p) => p + d.len(),
        None => return false,
    };
    loop {
        if body[at..].starts_with(b"--") {
            return true;
        }
        let Some(next) = find(body, d, at) else {
            // No closing delimiter: a truncated or forged document.
            return false;
        };
        parts += 1;
        if parts > limits.max_multipart_parts {
            n.values_dropped += 1;
            return true;
        }
        part(n, limits, &body[at..next]);
        at = next + d.len();
    }
}

fn part(n: &mut Normalized, limits: &Limits, raw: &[u8]) {
    let raw = raw
        .strip_prefix(b"\r\n")
        .or_else(|| raw.strip_prefix(b"\n"))
        .unwrap_or(raw);
    let (head, content) = match find(raw, b"\r\n\r\n", 0) {
        Some(p) => (&raw[..p], &raw[p + 4..]),
        None => match find(raw, b"\n\n", 0) {
            Some(p) => (&raw[..p], &raw[p + 2..]),
            None => (raw, &raw[raw.len()..]),
        },
    };
    let content = content
        .strip_suffix(b"\r\n")
        .or_else(|| content.strip_suffix(b"\n"))
        .unwrap_or(content);
    let head = palisade_types::lossy(head);
    let mut name = String::new();
    let mut filename = [None, None];
    let mut json = false;
    for line in head.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.trim().eq_ignore_ascii_case("content-disposition") {
            name = param(value, "name").unwrap_or_default();
            // Servers differ on which name they keep (PHP reads `filename`, Go and
            // Python prefer `filename*`): both are judged.
            let extended = param(value, "filename*").map(|v| {
                // `charset'language'percent-encoded`
                let encoded = v.splitn(3, '\'').nth(2).unwrap_or(&v);
                crate::percent_decode_lossy(encoded)
            });
            filename = [param(value, "filename"), extended];
            // The header line itself can carry the attack (CRS 922/920 multipart tests).
            if value.contains(['\'', '<', '`', '$', '%', '\\']) {
                n.push(
                    limits,
                    Place::new(PlaceKind::Multipart, "content-disposition"),
                    value.trim().to_string(),
                );
            }
        } else if key.trim().eq_ignore_ascii_case("content-type") {
            json = value.trim().to_ascii_lowercase().ends_with("json");
        }
    }
    if !crate::extract::is_plain_name(&name) {
        n.push(limits, Place::new(PlaceKind::Multipart, ""), name.clone());
    }
    let [plain, extended] = filename;
    // A part with a file name (even an empty one, a file input left blank) is a file.
    let kind = if plain.is_some() || extended.is_some() {
        PlaceKind::File
    } else {
        PlaceKind::Multipart
    };
    let extended = extended.filter(|e| plain.as_ref() != Some(e));
    for f in [plain, extended].into_iter().flatten() {
        n.push(limits, Place::new(PlaceKind::Filename, name.as_str()), f);
    }
    // Binary content (a NUL in its first KiB) is a file for the upload scanner, not text.
    if crate::extract::file_bytes(content) {
        return;
    }
    if json && crate::extract::json(n, limits, content, &format!("${name}")) {
        return;
    }
    let text = palisade_types::lossy(content).into_owned();
    let page = kind == PlaceKind::File && html_page(&text);
    let first = n.values.len();
    n.push(limits, Place::new(kind, name), text);
    if page {
        for v in &mut n.values[first..] {
            v.html_page = true;
        }
    }
}

/// A whole HTML document: a doctype or `<html>` first (after a byte-order mark), `</html>`
/// last, a `<head` and a `<body` between. Detectors judge its windows knowing that it is one.
fn html_page(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim();
    let head = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let tail = t
        .get(t.len().saturating_sub(7)..)
        .is_some_and(|e| e.eq_ignore_ascii_case("</html>"));
    let has = |tag: &[u8]| {
        t.as_bytes()
            .windows(tag.len())
            .any(|w| w.eq_ignore_ascii_case(tag))
    };
    (head("<!doctype html") || head("<html")) && tail && has(b"<head") && has(b"<body")
}

/// `name="value"` or `name=value` from a header parameter list (`; boundary=…`,
/// `; name="f"; filename="a.txt"`), the first with that exact key. Quoted values are read to
/// their closing quote, so `filename="a;b.php"` is one name, not `"a`; `\"` is a quote
/// inside them, and any other `\` stays (a Windows path, as old browsers send).
fn param(header: &str, name: &str) -> Option<String> {
    let mut rest = header.split_once(';')?.1;
    while !rest.is_empty() {
        // A parameter without a value (`form-data; x; filename="a.php"`) ends at its `;`.
        let Some(eq) = rest
            .find(['=', ';'])
            .filter(|&at| rest.as_bytes()[at] == b'=')
        else {
            rest = rest.split_once(';').map_or("", |(_, next)| next);
            continue;
        };
        let (key, after) = (rest[..eq].trim(), &rest[eq + 1..]);
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = quoted.char_indices().peekable();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                        v.push('"');
                        chars.next();
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => v.push(c),
                }
            }
            let next = quoted[end..].split_once(';').map_or("", |(_, n)| n);
            (v, next)
        } else {
            let (v, next) = after.split_once(';').unwrap_or((after, ""));
            (v.trim().to_string(), next)
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
    None
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() || needle.is_empty() {
        return None;
    }
    // memmem: a byte-by-byte window comparison cost ~30 instructions per body byte, most
    // of a multipart request's inspection.
    memchr::memmem::find(&hay[from..], needle).map(|p| p + from)
}

/// Walks an XML document: element text, CDATA, attribute values (entities unescaped) and
/// processing instructions other than the prolog, each at its element path. Returns false when
/// the body is not well-formed XML. The raw body is still judged whole by the caller, for the
/// XXE detector's DOCTYPE checks.
pub(crate) fn xml(n: &mut Normalized, limits: &Limits, body: &[u8]) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut path: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    // Text arrives in pieces around entity references (`a &lt;b` is text, a reference, text).
    let mut text = String::new();
    let here = |path: &[String]| format!("/{}", path.join("/"));
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => return false,
        };
        match &event {
            Event::Text(t) => {
                text.push_str(t);
                buf.clear();
                continue;
            }
            Event::GeneralRef(r) => {
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text.push(c),
                    _ => match quick_xml::escape::resolve_predefined_entity(r) {
                        Some(s) => text.push_str(s),
                        None => {
                            text.push('&');
                            text.push_str(r);
                            text.push(';');
                        }
                    },
                }
                buf.clear();
                continue;
            }
            _ => {}
        }
        if !text.trim().is_empty() {
            let t = text.trim().to_string();
            n.push(limits, Place::new(PlaceKind::Xml, here(&path)), t);
        }
        text.clear();
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.name().as_ref().to_string();
                for attr in e.attributes().flatten() {
                    let key: &str = attr.key.as_ref();
                    if key.starts_with("xmlns") {
                        continue;
                    }
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_else(|_| attr.value.to_string());
                    let at = format!("{}/{tag}/@{key}", here(&path).trim_end_matches('/'));
                    n.push(limits, Place::new(PlaceKind::Xml, at), value);
                }
                if !empty {
                    if path.len() >= limits.max_xml_depth {
                        n.values_dropped += 1;
                        return true;
                    }
                    path.push(tag);
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::CData(c) => {
                n.push(
                    limits,
                    Place::new(PlaceKind::Xml, here(&path)),
                    c.to_string(),
                );
            }
            Event::PI(p) => {
                n.push(
                    limits,
                    Place::new(PlaceKind::Xml, format!("{}?pi", here(&path))),
                    format!("<?{}?>", &*p),
                );
            }
            Event::Eof => return path.is_empty(),
            _ => {}
        }
        buf.clear();
    }
}

/// Does `text` read as a GraphQL document (`query …`, `mutation …`, `{ field … }`)?
pub(crate) fn is_graphql(text: &str) -> bool {
    let t = text.trim_start();
    let operation = ["query", "mutation", "subscription", "fragment"]
        .iter()
        .any(|k| t.starts_with(k) && t[k.len()..].starts_with([' ', '{', '(', '\n', '\t']));
    let selection = t.starts_with('{') && !t.starts_with("{\"");
    let braces = matches!((t.find('{'), t.rfind('}')), (Some(open), Some(close)) if open < close);
    (operation || selection) && braces
}

/// Pushes every string literal of a GraphQL document (`"…"` with escapes, `"""…"""` block
/// strings): the arguments an attacker fills in. Only strings are lexed; the grammar around
/// them does not matter for what the value is.
///
/// Returns the document's skeleton, each literal replaced by `"s"`, for the caller to
/// judge as the document: its structure is the client's, its strings are judged above on
/// their own. Judged whole, a literal's text ran into the grammar around it
/// (`{title: "Drop table fails"}` read as a quote closed before `DROP TABLE`).
pub(crate) fn graphql(n: &mut Normalized, limits: &Limits, doc: &str, at: &str) -> String {
    let b = doc.as_bytes();
    let mut skeleton = String::with_capacity(doc.len().min(4096));
    let mut kept = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if doc[i..].starts_with("\"\"\"") => {
                let start = i + 3;
                let end = doc[start..].find("\"\"\"").map_or(b.len(), |e| start + e);
                push_graphql(n, limits, at, doc[start..end].to_string());
                skeleton.push_str(&doc[kept..i]);
                skeleton.push_str("\"s\"");
                i = (end + 3).min(b.len());
                kept = i;
            }
            b'"' => {
                let mut s = String::new();
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'"' => {
                            j += 1;
                            break;
                        }
                        b'\n' => break,
                        b'\\' => {
                            let unicode = doc
                                .get(j + 2..j + 6)
                                .filter(|_| b.get(j + 1) == Some(&b'u'))
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32);
                            match (unicode, b.get(j + 1)) {
                                (Some(c), _) => {
                                    s.push(c);
                                    j += 6;
                                }
                                (None, Some(b'n')) => {
                                    s.push('\n');
                                    j += 2;
                                }
                                (None, Some(b't')) => {
                                    s.push('\t');
                                    j += 2;
                                }
                                (None, Some(&c)) if c.is_ascii() => {
                                    s.push(char::from(c));
                                    j += 2;
                                }
                                _ => j += 1,
                            }
                        }
                        _ => {
                            // `j` only ever moves by whole characters, so it is a boundary.
                            let c = doc[j..].chars().next().unwrap_or('\u{fffd}');
                            s.push(c);
                            j += c.len_utf8();
                        }
                    }
                }
                push_graphql(n, limits, at, s);
                skeleton.push_str(&doc[kept..i]);
                skeleton.push_str("\"s\"");
                i = j;
                kept = i;
            }
            _ => i += 1,
        }
    }
    skeleton.push_str(&doc[kept.min(doc.len())..]);
    skeleton
}

fn push_graphql(n: &mut Normalized, limits: &Limits, at: &str, s: String) {
    if !s.is_empty() {
        n.push(limits, Place::new(PlaceKind::Graphql, at), s);
    }
}

/// The shortest base64 worth decoding: 12 characters, 9 bytes (`admin'--`, `1 AND 1=1`).
/// Nine random bytes are valid, printable UTF-8 about once in ten thousand, and then still
/// have to read as an attack.
pub(crate) const MIN_BASE64: usize = 12;

/// A value that is evidently base64 (long enough, only base64 characters, mixed like encoded
/// text is, correct padding) and decodes to readable UTF-8 text: returns that text, so a
/// payload hidden as `JzsgZHJvcCB0YWJsZSB1c2Vyczsg` is judged as `'; drop table users; `.
/// Hex strings, hashes and binary blobs decode to bytes that are not text and are left alone.
///
/// `plus_as_space`: the value came from a query or a form, where an unescaped `+` was read
/// as a space; base64 there is read with its `+` restored.
pub(crate) fn evident_base64(raw: &str, plus_as_space: bool) -> Option<String> {
    let t = raw.trim();
    // Most values are shorter than any base64 worth decoding: out before anything else.
    // Below 16 characters only whole base64 quads are read (`YWRtaW4nLS0=`): most short
    // tokens, IDs and words leave here without a scan.
    if t.len() < MIN_BASE64 || (t.len() < 16 && !t.len().is_multiple_of(4)) {
        return None;
    }
    // A `data:` URL that says it is base64 (`data:;base64,PD9waHAg…`, what PHP's `include`
    // runs and an `<a href>` opens): its payload, when that is text. Pictures, sounds and
    // fonts are not decoded (an avatar sent as a data URL is megabytes of no text).
    let data_url = t.as_bytes()[..5].eq_ignore_ascii_case(b"data:");
    if let Some((head, payload)) = data_url.then(|| t[5..].split_once(',')).flatten() {
        let head = head.to_ascii_lowercase();
        let media = ["image/", "audio/", "video/", "font/"];
        if head.ends_with(";base64") && !media.iter().any(|m| head.starts_with(m)) {
            return base64_text(payload, plus_as_space);
        }
        return None;
    }
    base64_text(t, plus_as_space)
}

/// A long value that opens as base64 of a file's bytes: its first KiB or so decodes (past a
/// `data:` URL's head) to bytes with a NUL, as a PNG, a font, a `.mo` catalog or an archive
/// has. Windows cut from such a value's middle can decode to the file's strings (a
/// catalog's messages), which are no one's input: they are not decoded. Text hidden with a
/// NUL inside a word (`<scr\0ipt>`, GoTestWAF's evasions) is short, one window, and is
/// decoded as before.
pub(crate) fn base64_of_file(raw: &str) -> bool {
    use base64::Engine;
    let t = raw.trim_start();
    let t = match t.get(..5) {
        Some(head) if head.eq_ignore_ascii_case("data:") => {
            t.split_once(',').map_or(t, |(_, payload)| payload)
        }
        _ => t,
    };
    let head = &t.as_bytes()[..t.len().min(1368)];
    let head = &head[..head.len() - head.len() % 4];
    let url_safe = head.iter().any(|&c| c == b'-' || c == b'_');
    let engine = if url_safe {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    head.len() >= 16
        && engine
            .decode(head)
            .is_ok_and(|bytes| crate::extract::file_bytes(&bytes))
}

/// `t` decoded, when it is evidently base64 of readable text (see [`evident_base64`]).
#[inline]
fn base64_text(t: &str, plus_as_space: bool) -> Option<String> {
    use base64::Engine;
    if t.len() < MIN_BASE64 {
        return None;
    }
    let body = t.trim_end_matches('=');
    if t.len() - body.len() > 2 {
        return None;
    }
    // One pass: base64's alphabet only, both cases, and (from a query or a form) a few
    // single spaces that were `+`: base64 has one for 64 characters, words one for six.
    let budget = if plus_as_space { body.len() / 16 } else { 0 };
    let (mut upper, mut lower, mut spaces, mut prev_space) = (false, false, 0, false);
    for c in body.bytes() {
        match c {
            b'A'..=b'Z' => upper = true,
            b'a'..=b'z' => lower = true,
            b'0'..=b'9' | b'+' | b'/' | b'-' | b'_' => {}
            b' ' if !prev_space && spaces < budget => spaces += 1,
            _ => return None,
        }
        prev_space = c == b' ';
    }
    if !(upper && lower) {
        return None;
    }
    let url_safe = body.contains(['-', '_']);
    if spaces > 0 && url_safe {
        return None;
    }
    let spaced;
    let body = if spaces > 0 {
        spaced = body.replace(' ', "+");
        spaced.as_str()
    } else {
        body
    };
    let engine = if url_safe {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    let bytes = engine.decode(body).ok()?;
    let text = match utf16_text(&bytes) {
        Some(text) => text,
        None => String::from_utf8(bytes).ok()?,
    };
    let printable = text
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .count();
    // Readable text, with at least one character that is not a letter or digit (a bare
    // word that happens to decode is not worth a second look).
    let readable = printable * 10 >= text.chars().count() * 9;
    let punctuated = text.chars().any(|c| !c.is_alphanumeric());
    (readable && punctuated).then_some(text)
}

/// `bytes` as UTF-16 text, when they evidently are: a byte-order mark, or (little or big
/// endian) every other byte of the first characters zero, as ASCII text in UTF-16 has. What
/// Windows and .NET clients encode before base64 (`Convert.ToBase64String(Encoding.Unicode
/// …)`), and what WAF test tools send for that reason.
#[cold]
#[inline(never)]
fn utf16_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let (le, body) = match bytes {
        [0xff, 0xfe, rest @ ..] => (true, rest),
        [0xfe, 0xff, rest @ ..] => (false, rest),
        _ => {
            let head = &bytes[..bytes.len().min(16)];
            let zero_at = |odd: usize| head.iter().skip(odd).step_by(2).all(|&b| b == 0);
            match (zero_at(1), zero_at(0)) {
                (true, false) => (true, bytes),
                (false, true) => (false, bytes),
                _ => return None,
            }
        }
    };
    let units = body.chunks_exact(2).map(|p| {
        if le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// A YAML document (`application/yaml`, a Kubernetes-style API's manifest, a rule file put
/// through an API): its scalars are judged one by one, with their paths, as a JSON body's
/// are. It is read into a JSON tree with serde-saphyr (its default budget bounds depth,
/// anchors and alias replay, so an alias bomb is refused, not expanded) and walked by the
/// JSON walker, which applies the same depth and count limits. False when it does not parse
/// or does not map onto JSON (a non-string key): the caller then judges it whole.
pub(crate) fn yaml(n: &mut Normalized, limits: &Limits, body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    // The parser's budget scaled to what the walker keeps: a document far larger in events,
    // nodes or alias replays than `max_values` scalars is refused before it costs anything
    // (a billion-laughs stream of aliases stops within a few thousand replayed events).
    let cap = limits.max_values.max(64);
    let mut options = serde_saphyr::Options::default();
    options.budget = serde_saphyr::budget! {
        max_events: cap * 64,
        max_nodes: cap * 16,
        max_aliases: cap,
        max_anchors: cap,
        max_depth: limits.max_json_depth.max(8),
        max_documents: 64,
    };
    options.alias_limits.max_total_replayed_events = cap * 8;
    // A stream of documents (`---` between manifests) reads as an array of them.
    let Ok(mut docs) = serde_saphyr::from_multiple_with_options::<serde_json::Value>(text, options)
    else {
        return false;
    };
    let tree = match docs.len() {
        0 => return false,
        1 => docs.remove(0),
        _ => serde_json::Value::Array(docs),
    };
    // Serialized and walked as text: walking the tree itself (`serde_json::Value` is a
    // deserializer) gave the JSON walker a second instantiation, and the compiler's new
    // layout cost every JSON body about 1.5k instructions (callgrind, session 26); YAML
    // bodies are rare enough to pay the copy instead.
    let Ok(json) = serde_json::to_vec(&tree) else {
        return false;
    };
    crate::extract::json(n, limits, &json, "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: &Normalized, kind: PlaceKind) -> Vec<(String, String)> {
        n.values
            .iter()
            .filter(|v| v.place.kind == kind)
            .map(|v| (v.place.name.clone(), v.text().to_string()))
            .collect()
    }

    #[test]
    fn multipart_fields_filenames_and_nested_json() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n1' or 1=1--\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../shell.php\"\r\n\
                    Content-Type: application/octet-stream\r\n\r\n<?php system($_GET['c']); ?>\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n\
                    {\"q\":\"<script>\"}\r\n--XyZ--\r\n";
        let mut n = Normalized::default();
        let ok = multipart(
            &mut n,
            &Limits::default(),
            "multipart/form-data; boundary=XyZ",
            body.as_bytes(),
        );
        assert!(ok);
        let parts = values(&n, PlaceKind::Multipart);
        assert!(
            parts.contains(&("title".into(), "1' or 1=1--".into())),
            "{parts:?}"
        );
        // A part with a file name is a file.
        assert!(!parts.iter().any(|(name, _)| name == "file"), "{parts:?}");
        assert_eq!(
            values(&n, PlaceKind::File),
            vec![("file".into(), "<?php system($_GET['c']); ?>".into())]
        );
        assert_eq!(
            values(&n, PlaceKind::Filename),
            vec![("file".into(), "../../shell.php".into())]
        );
        assert_eq!(
            values(&n, PlaceKind::JsonValue),
            vec![("$meta.q".into(), "<script>".into())]
        );
    }

    #[test]
    fn a_file_that_is_a_whole_html_page_is_marked_in_every_window() {
        let page = format!(
            "\u{feff}<!DOCTYPE html>\n<HTML><head><title>t</title></head>\n<body>{}</body>\n</html>\n",
            "<p>row</p>\n".repeat(40)
        );
        let part = |disposition: &str, content: &str| {
            format!("--XyZ\r\nContent-Disposition: form-data; {disposition}\r\n\r\n{content}\r\n--XyZ--\r\n")
        };
        let limits = Limits {
            max_value_bytes: 128,
            ..Limits::default()
        };
        let marked = |body: String| {
            let mut n = Normalized::default();
            assert!(multipart(
                &mut n,
                &limits,
                "multipart/form-data; boundary=XyZ",
                body.as_bytes()
            ));
            let parts: Vec<bool> = n
                .values
                .iter()
                .filter(|v| matches!(v.place.kind, PlaceKind::File | PlaceKind::Multipart))
                .map(|v| v.html_page)
                .collect();
            assert!(!parts.is_empty());
            parts
        };
        let windows = marked(part("name=\"f\"; filename=\"a.html\"", &page));
        assert!(
            windows.len() > 1 && windows.iter().all(|&m| m),
            "{windows:?}"
        );
        // Not a file, not whole (no `</html>` last, no head), not HTML.
        for body in [
            part("name=\"f\"", &page),
            part(
                "name=\"f\"; filename=\"a.html\"",
                &page.replace("</html>", ""),
            ),
            part(
                "name=\"f\"; filename=\"a.html\"",
                "<html><body><script>x()</script></body></html>",
            ),
            part("name=\"f\"; filename=\"a.txt\"", "head and body"),
        ] {
            assert!(marked(body).iter().all(|&m| !m));
        }
    }

    #[test]
    fn both_file_names_are_judged() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"shell.php\"; \
                    filename*=UTF-8''photo%20%E2%82%AC.jpg\r\n\r\nx\r\n--XyZ--\r\n";
        let mut n = Normalized::default();
        assert!(multipart(
            &mut n,
            &Limits::default(),
            "multipart/form-data; boundary=XyZ",
            body.as_bytes(),
        ));
        assert_eq!(
            values(&n, PlaceKind::Filename),
            vec![
                ("f".into(), "shell.php".into()),
                ("f".into(), "photo €.jpg".into())
            ]
        );
    }

    #[test]
    fn disposition_parameters_are_read_to_their_closing_quote() {
        let p = |h: &str, k: &str| param(h, k);
        assert_eq!(
            p(
                "form-data; name=\"file\"; filename=\"; cat /etc/passwd\"",
                "filename"
            ),
            Some("; cat /etc/passwd".into())
        );
        assert_eq!(
            p("form-data; name=\"fi;le\"; filename=\"a.txt\"", "name"),
            Some("fi;le".into())
        );
        assert_eq!(
            p(
                r#"form-data; name="f"; filename="say \"hi\".txt""#,
                "filename"
            ),
            Some("say \"hi\".txt".into())
        );
        assert_eq!(
            p(
                r#"form-data; name="f"; filename="C:\Users\me\cv.pdf""#,
                "filename"
            ),
            Some(r"C:\Users\me\cv.pdf".into())
        );
        assert_eq!(
            p(
                "form-data; name=f; filename*=UTF-8''%E2%82%AC.php; filename=\"x.txt\"",
                "filename"
            ),
            Some("x.txt".into())
        );
        assert_eq!(
            p("multipart/form-data; boundary=----x7", "boundary"),
            Some("----x7".into())
        );
        assert_eq!(p("form-data; name=\"a\"", "filename"), None);
        assert_eq!(
            p("form-data; x; filename=\"shell.php\"", "filename"),
            Some("shell.php".into())
        );
    }

    #[test]
    fn multipart_without_closing_delimiter_or_boundary_is_unparsed() {
        let mut n = Normalized::default();
        let ct = "multipart/form-data; boundary=a";
        assert!(!multipart(&mut n, &Limits::default(), ct, b"--a\r\n\r\nx"));
        assert!(!multipart(
            &mut n,
            &Limits::default(),
            "multipart/form-data",
            b"--a--"
        ));
        let many: String = (0..100)
            .map(|i| format!("--a\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n"))
            .collect::<String>()
            + "--a--";
        let mut n = Normalized::default();
        assert!(multipart(&mut n, &Limits::default(), ct, many.as_bytes()));
        assert_eq!(n.values.len(), Limits::default().max_multipart_parts);
        assert_eq!(n.values_dropped, 1);
    }

    #[test]
    fn xml_text_attributes_cdata_and_instructions() {
        let body = r#"<?xml version="1.0"?><order id="7&apos; or &apos;1&apos;=&apos;1"><note><![CDATA[<script>x</script>]]></note><q>a &lt;b&gt;</q><?php echo 1; ?></order>"#;
        let mut n = Normalized::default();
        assert!(xml(&mut n, &Limits::default(), body.as_bytes()));
        let v = values(&n, PlaceKind::Xml);
        assert!(
            v.contains(&("/order/@id".into(), "7' or '1'='1".into())),
            "{v:?}"
        );
        assert!(v.contains(&("/order/note".into(), "<script>x</script>".into())));
        assert!(v.contains(&("/order/q".into(), "a <b>".into())));
        assert!(v.iter().any(|(_, t)| t == "<?php echo 1; ?>"));
        let mut n = Normalized::default();
        assert!(!xml(&mut n, &Limits::default(), b"<a><b></a>"));
    }

    #[test]
    fn graphql_string_arguments() {
        let doc = "query { user(name: \"admin' --\", bio: \"\"\"<img src=x onerror=alert(1)>\"\"\") { id } } # \"not this\"";
        assert!(is_graphql(doc));
        assert!(!is_graphql("{\"a\":1}"));
        assert!(!is_graphql("query the database"));
        let mut n = Normalized::default();
        let skeleton = graphql(&mut n, &Limits::default(), doc, "$.query");
        // The document is judged with its literals stood in for; the comment stays.
        assert_eq!(
            skeleton,
            "query { user(name: \"s\", bio: \"s\") { id } } # \"not this\""
        );
        let v: Vec<String> = values(&n, PlaceKind::Graphql)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(v, vec!["admin' --", "<img src=x onerror=alert(1)>"]);
        let mut n = Normalized::default();
        graphql(
            &mut n,
            &Limits::default(),
            r#"{ a(x: "\u0027 or 1=1") }"#,
            "q",
        );
        assert_eq!(n.values[0].text(), "' or 1=1");
    }

    #[test]
    fn base64_only_when_evident() {
        assert_eq!(
            evident_base64("JzsgZHJvcCB0YWJsZSB1c2VyczsgLS0=", false).as_deref(),
            Some("'; drop table users; --")
        );
        // Hex digests, words, binary and short tokens are left alone.
        for s in [
            "d41d8cd98f00b204e9800998ecf8427e",
            "HelloWorldHelloWorld",
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
            "abc",
            "not base64 at all!",
            "data:image/png;base64,JzsgZHJvcCB0YWJsZSB1c2VyczsgLS0=",
            "data:text/plain,JzsgZHJvcCB0YWJsZSB1c2VyczsgLS0=",
        ] {
            assert_eq!(evident_base64(s, true), None, "{s}");
        }
        // A data URL that says it is base64 is judged by its payload alone, past the prefix.
        assert_eq!(
            evident_base64("data:;base64,PD9waHAgZWNobyAndzRwMXQxJzsgPz4=", false).as_deref(),
            Some("<?php echo 'w4p1t1'; ?>")
        );
        assert_eq!(
            evident_base64(
                "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                false
            )
            .as_deref(),
            Some("<script>alert(1)</script>")
        );
        // A `+` that a query or a form turned into a space is read back as `+`; words
        // with spaces between them are not base64.
        assert_eq!(
            evident_base64(
                "PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KGRvY3VtZW50LmRvbWFpbik L2FsbA",
                true
            )
            .as_deref(),
            Some("<img src=x onerror=alert(document.domain)>/all")
        );
        // Elsewhere a space is a space.
        assert_eq!(
            evident_base64(
                "PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KGRvY3VtZW50LmRvbWFpbik L2FsbA",
                false
            ),
            None
        );
        // Short payloads: nine bytes are enough.
        assert_eq!(
            evident_base64("YWRtaW4nLS0=", false).as_deref(),
            Some("admin'--")
        );
        assert_eq!(
            evident_base64("MSBBTkQgMT0x", false).as_deref(),
            Some("1 AND 1=1")
        );
        // Base64 of UTF-16 (with and without a byte-order mark, either byte order).
        for enc in [
            "//48ACUAPQAgADcAIAAqACAANwAgACUAPgA=",
            "PAAlAD0AIAA3ACAAKgAgADcAIAAlAD4A",
            "ADwAJQA9ACAANwAgACoAIAA3ACAAJQA+",
        ] {
            assert_eq!(
                evident_base64(enc, false).as_deref(),
                Some("<%= 7 * 7 %>"),
                "{enc}"
            );
        }
        for s in [
            "Hello World This Is A Test Sentence",
            "PGltZyBzcmM9eCBvbmVy  cm9yPWFsZXJ0KGRvY3VtZW50",
        ] {
            assert_eq!(evident_base64(s, true), None, "{s}");
        }
    }
}
