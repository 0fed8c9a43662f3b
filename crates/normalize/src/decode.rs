//! Decoders attackers rely on: percent (repeated), `%uXXXX`, HTML entities, JS `\uXXXX` /
//! `\xXX` escapes, null bytes. Each pass is linear; passes stop at a fixed point or the
//! depth cap.

use std::borrow::Cow;

/// Does `s` hold anything a decoding round could change?
fn needs_decoding(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'%' | b'&' | b'\\' | 0))
}

/// Like [`decode`], but `None` when decoding would change nothing — no copy for clean values.
pub fn decode_if_needed(input: &str, depth: usize) -> Option<String> {
    if !needs_decoding(input) {
        return None;
    }
    let d = decode(input, depth);
    (d != input).then_some(d)
}

/// Decodes a query or form component: `+` is a space, then percent escapes. Borrows when
/// there is nothing to decode.
pub fn form_decode(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'+' || b == b'%') {
        return Cow::Borrowed(s);
    }
    let spaced: Cow<'_, str> = if s.contains('+') {
        Cow::Owned(s.replace('+', " "))
    } else {
        Cow::Borrowed(s)
    };
    if spaced.contains('%') {
        Cow::Owned(percent_decode_lossy(&spaced))
    } else {
        spaced
    }
}

/// A URL's address and its query, the query without its `#fragment`; `None` without a `?`.
pub fn split_query(url: &str) -> Option<(&str, &str)> {
    let (address, query) = url.split_once('?')?;
    Some((address, query.split('#').next().unwrap_or(query)))
}

/// A query's `key=value` pairs as sent; a pair without `=` is a value with no key.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (&str, &str)> {
    query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or(("", pair)))
}

/// A query component read as a server that decodes twice would: [`form_decode`], then the
/// percent escapes that were themselves escaped (`%2527` is `'`). Borrows when there is
/// nothing to decode.
pub fn query_component(s: &str) -> Cow<'_, str> {
    match form_decode(s) {
        Cow::Owned(once) if once.contains('%') => Cow::Owned(percent_decode_lossy(&once)),
        once => once,
    }
}

/// Decodes `input` repeatedly (at most `depth` rounds) until it stops changing, then drops
/// NUL bytes.
pub fn decode(input: &str, depth: usize) -> String {
    let mut current = input.to_string();
    for _ in 0..depth {
        let next = decode_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    if current.contains('\0') {
        current.retain(|c| c != '\0');
    }
    current
}

fn decode_once(s: &str) -> String {
    let mut out = s.to_string();
    if out.contains('%') {
        out = percent_decode_lossy(&out);
    }
    if out.contains('&') {
        out = html_entities(&out);
    }
    if out.contains('\\') {
        out = backslash_escapes(&out);
    }
    out
}

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Percent-decoding that also reads IIS-style `%uXXXX` and keeps invalid escapes as they are.
/// Bytes that do not form UTF-8 become U+FFFD.
pub fn percent_decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        // Copy the run up to the next `%` at once: byte-by-byte pushes cost ~30 instructions
        // per byte of a large body.
        let run = memchr::memchr(b'%', &b[i..]).unwrap_or(b.len() - i);
        out.extend_from_slice(&b[i..i + run]);
        i += run;
        if i < b.len() {
            if matches!(b.get(i + 1), Some(b'u' | b'U')) && i + 6 <= b.len() {
                let code = b[i + 2..i + 6]
                    .iter()
                    .try_fold(0u32, |acc, &d| hex(d).map(|d| acc * 16 + d));
                if let Some(c) = code.and_then(char::from_u32) {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i += 6;
                    continue;
                }
            }
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&h| hex(h)),
                b.get(i + 2).and_then(|&l| hex(l)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            // DotDotPwn's doubled percents: `%%32%%66` decodes to `%2%f`, which a decoder
            // that reads the two half-escapes as one turns into `/`. Only the path's
            // characters (`.`, `/`, `\`) are read this way: `%2%e`, `%2%f`, `%5%c`.
            if let Some(c) = b.get(i..i + 4).and_then(split_escape) {
                out.push(c);
                i += 4;
                continue;
            }
            out.push(b'%');
            i += 1;
        }
    }
    // Valid UTF-8 (nearly always) is kept without a copy.
    String::from_utf8(out).unwrap_or_else(|e| {
        let bytes = fold_overlong(e.into_bytes());
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

/// `%2%e`, `%2%f`, `%5%c` (any case): the path character the two half-escapes spell.
fn split_escape(w: &[u8]) -> Option<u8> {
    if w[0] != b'%' || w[2] != b'%' {
        return None;
    }
    match (w[1], w[3].to_ascii_lowercase()) {
        (b'2', b'e') => Some(b'.'),
        (b'2', b'f') => Some(b'/'),
        (b'5', b'c') => Some(b'\\'),
        _ => None,
    }
}

/// Overlong UTF-8 for ASCII (`%c0%af` is `/`, `%c0%ae` is `.`, `%e0%80%af`,
/// `%f0%80%80%af` and the five- and six-byte forms are `/`): invalid
/// UTF-8 that old decoders (IIS, early Tomcat) read as the character, which is how
/// `..%c0%af..%c0%afetc/passwd` climbs past filters that look for `/`. Read as the ASCII
/// character it spells; only reached for bytes that are not valid UTF-8.
fn fold_overlong(b: Vec<u8>) -> Vec<u8> {
    let cont = |x: Option<&u8>| x.is_some_and(|&c| c & 0xc0 == 0x80);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            0xc0 | 0xc1 if cont(b.get(i + 1)) => {
                out.push(((b[i] & 0x01) << 6) | (b[i + 1] & 0x3f));
                i += 2;
            }
            0xe0 if b.get(i + 1) == Some(&0x80) && cont(b.get(i + 2)) => {
                out.push(b[i + 2] & 0x3f);
                i += 3;
            }
            // The four-byte form (`%f0%80%80%ae`).
            0xf0 if b.get(i + 1) == Some(&0x80)
                && b.get(i + 2) == Some(&0x80)
                && cont(b.get(i + 3)) =>
            {
                out.push(b[i + 3] & 0x3f);
                i += 4;
            }
            // The five- and six-byte forms of the original UTF-8 (`%f8%80%80%80%ae`,
            // `%fc%80%80%80%80%af`), which DotDotPwn and IIS-era scanners still send.
            0xf8 if b.get(i + 1..i + 4) == Some(&[0x80; 3]) && cont(b.get(i + 4)) => {
                out.push(b[i + 4] & 0x3f);
                i += 5;
            }
            0xfc if b.get(i + 1..i + 5) == Some(&[0x80; 4]) && cont(b.get(i + 5)) => {
                out.push(b[i + 5] & 0x3f);
                i += 6;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Named entities attackers use, plus every numeric form (`&#60;`, `&#x3c;`, with or
/// without the closing `;`).
fn html_entities(s: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("lt", '<'),
        ("gt", '>'),
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        ("sol", '/'),
        ("bsol", '\\'),
        ("colon", ':'),
        ("lpar", '('),
        ("rpar", ')'),
        ("semi", ';'),
        ("equals", '='),
        ("tab", '\t'),
        ("newline", '\n'),
        ("nbsp", ' '),
        ("grave", '`'),
        ("excl", '!'),
        ("num", '#'),
        ("period", '.'),
        ("comma", ','),
        ("plus", '+'),
        ("lbrace", '{'),
        ("lcub", '{'),
        ("rbrace", '}'),
        ("rcub", '}'),
        ("lsqb", '['),
        ("lbrack", '['),
        ("rsqb", ']'),
        ("rbrack", ']'),
        ("dollar", '$'),
        ("percnt", '%'),
        ("quest", '?'),
        ("ast", '*'),
        ("vert", '|'),
        ("verbar", '|'),
        ("lowbar", '_'),
        ("hyphen", '-'),
        ("commat", '@'),
        ("hat", '^'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(num) = after.strip_prefix('#') {
            let (radix, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (16, h),
                None => (10, num),
            };
            // Leading zeros pad a reference to any length (`&#0000000123;`): skip them, so the
            // eight-digit bound applies to the value, not the padding.
            let zeros = digits.bytes().take_while(|&c| c == b'0').count();
            let digits = match digits.as_bytes().get(zeros) {
                Some(c) if c.is_ascii_hexdigit() => &digits[zeros..],
                _ => digits,
            };
            let len = digits
                .bytes()
                .take_while(|c| (c.is_ascii_hexdigit() && radix == 16) || c.is_ascii_digit())
                .count()
                .min(8);
            if len > 0 {
                if let Some(c) = u32::from_str_radix(&digits[..len], radix)
                    .ok()
                    .and_then(char::from_u32)
                {
                    out.push(c);
                    let consumed = 1 + (num.len() - digits.len()) + len;
                    let mut skip = 1 + consumed;
                    if after[consumed..].starts_with(';') {
                        skip += 1;
                    }
                    rest = &rest[pos + skip..];
                    continue;
                }
            }
        } else {
            let name_len = after
                .bytes()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let name = &after[..name_len];
            if let Some((_, c)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                out.push(*c);
                let mut skip = 1 + name_len;
                if after[name_len..].starts_with(';') {
                    skip += 1;
                }
                rest = &rest[pos + skip..];
                continue;
            }
        }
        out.push('&');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `\uXXXX`, `\xXX` and octal-free backslash escapes of JS and many template languages.
fn backslash_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    let b = s.as_bytes();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let kind = b.get(i + 1).copied();
            let width = match kind {
                Some(b'u') => 4,
                Some(b'x') => 2,
                _ => 0,
            };
            if width > 0 && i + 2 + width <= b.len() {
                let code = b[i + 2..i + 2 + width]
                    .iter()
                    .try_fold(0u32, |acc, &d| hex(d).map(|d| acc * 16 + d));
                if let Some(ch) = code.and_then(char::from_u32) {
                    out.push(ch);
                    for _ in 0..(1 + width) {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_runs_and_invalid_escapes() {
        for (raw, want) in [
            ("", ""),
            ("plain text", "plain text"),
            ("a%41b", "aAb"),
            ("%41%42", "AB"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%u0041x%U00e9", "Ax\u{e9}"),
            ("%u00zz", "%u00zz"),
            // Overlong UTF-8 for ASCII is read as the character.
            ("..%c0%af..%c0%afetc%c0%afpasswd", "../../etc/passwd"),
            ("%f0%80%80%ae%f0%80%80%ae%e0%80%afetc", "../etc"),
            ("%e0%80%ae%e0%80%ae%c0%2f", "..\u{fffd}/"),
            (
                "%f8%80%80%80%ae%fc%80%80%80%80%ae%fc%80%80%80%80%afetc",
                "../etc",
            ),
            ("%f8%80%80%ae", "\u{fffd}\u{fffd}\u{fffd}\u{fffd}"),
            ("%ff%fe ok", "\u{fffd}\u{fffd} ok"),
            ("é%20é", "é é"),
            // Doubled percents, once decoded, spell the path's characters.
            ("..%2%fetc%2%Fpasswd", "../etc/passwd"),
            ("..%5%cboot.ini", "..\\boot.ini"),
            ("%2%e%2%e/", "../"),
            ("50%2%41", "50%2A"),
        ] {
            assert_eq!(percent_decode_lossy(raw), want, "{raw}");
        }
    }

    #[test]
    fn decodes_nested_and_mixed_encodings() {
        assert_eq!(decode("%2527%20or%201%3D1", 3), "' or 1=1");
        assert_eq!(decode("%u003cscript%u003e", 3), "<script>");
        assert_eq!(
            decode("&lt;img src=x onerror=alert(1)&gt;", 3),
            "<img src=x onerror=alert(1)>"
        );
        assert_eq!(decode("&#x3c;svg&#62;", 3), "<svg>");
        assert_eq!(decode("&#60&#62", 3), "<>");
        assert_eq!(decode("\\u003cscript\\x3e", 3), "<script>");
        assert_eq!(decode("a%00b", 3), "ab");
        // HTML5 names for braces and dollar (Log4Shell through an HTML-decoding sink), and
        // numeric references padded with zeros past the eight-digit bound.
        assert_eq!(decode("$&lbrace;jndi:x&rcub;", 3), "${jndi:x}");
        assert_eq!(decode("&dollar;&LBRACE;", 3), "${");
        assert_eq!(decode("&#x24;&#00000000000000000000000000123;", 3), "${");
        assert_eq!(decode("&#0;", 3), "");
    }

    #[test]
    fn leaves_plain_text_and_broken_escapes_alone() {
        assert_eq!(decode("Tom & Jerry 100%", 3), "Tom & Jerry 100%");
        assert_eq!(decode("%zz%", 3), "%zz%");
        assert_eq!(decode("C:\\Users\\bob", 3), "C:\\Users\\bob");
        assert_eq!(decode("Привет", 3), "Привет");
    }

    #[test]
    fn clean_values_need_no_copy() {
        assert_eq!(decode_if_needed("plain text, 100 words", 3), None);
        assert_eq!(
            decode_if_needed("100%", 3),
            None,
            "decoding changes nothing"
        );
        assert_eq!(decode_if_needed("%3Cb%3E", 3).as_deref(), Some("<b>"));
        assert!(matches!(form_decode("abc"), Cow::Borrowed("abc")));
        assert_eq!(form_decode("a+b%27"), "a b'");
    }

    #[test]
    fn depth_bounds_decoding() {
        // Three rounds of encoding need three rounds of decoding.
        assert_eq!(decode("%25252e", 1), "%252e");
        assert_eq!(decode("%25252e", 3), ".");
        // DotDotPwn's `%%32%%66` takes two rounds.
        assert_eq!(
            decode("..%%32%%66etc%%32%%66passwd", 1),
            "..%2%fetc%2%fpasswd"
        );
        assert_eq!(decode("..%%32%%66etc%%32%%66passwd", 2), "../etc/passwd");
    }
}
