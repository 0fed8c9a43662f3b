//! Sensitive data in response bodies: card numbers (Luhn), US SSNs, IMEIs (Luhn), IBANs
//! (mod 97), e-mail addresses, international phone numbers (`+` and 8–15 digits), JWTs and
//! cloud access keys, plus the fields a deployment names itself ([`Custom`]: a regex or a JSON
//! pointer). One pass over the bytes, no
//! regex: digit runs are collected with their separators and checked by their checksums,
//! which is what keeps order ids and timestamps from counting as cards.
//!
//! Values are never kept: each item is reported as a 32-bit hash (to count distinct items
//! per client) and a kind.

/// Items reported per body at most.
const MAX_ITEMS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Card,
    Ssn,
    Imei,
    Iban,
    Email,
    Jwt,
    CloudKey,
    Phone,
    /// A field named in the configuration (`inspection.sensitive_fields`).
    Custom,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Card,
        Kind::Ssn,
        Kind::Imei,
        Kind::Iban,
        Kind::Email,
        Kind::Jwt,
        Kind::CloudKey,
        Kind::Phone,
        Kind::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Card => "card",
            Kind::Ssn => "ssn",
            Kind::Imei => "imei",
            Kind::Iban => "iban",
            Kind::Email => "email",
            Kind::Jwt => "jwt",
            Kind::CloudKey => "cloud_key",
            Kind::Phone => "phone",
            Kind::Custom => "custom",
        }
    }
}

/// What one body carried.
#[derive(Debug, Default, Clone)]
pub struct Found {
    pub items: Vec<(Kind, u32)>,
}

impl Found {
    pub fn count(&self, k: Kind) -> usize {
        self.items.iter().filter(|(kind, _)| *kind == k).count()
    }

    pub fn hashes(&self, pred: impl Fn(Kind) -> bool) -> Vec<u32> {
        self.items
            .iter()
            .filter(|(k, _)| pred(*k))
            .map(|(_, h)| *h)
            .collect()
    }
}

fn hash(bytes: impl IntoIterator<Item = u8>) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn iban_ok(s: &[u8]) -> bool {
    // Move the first four characters to the end, letters to numbers, mod 97 == 1.
    let mut rem: u32 = 0;
    for &c in s[4..].iter().chain(&s[..4]) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Scans a body.
pub fn scan(body: &[u8]) -> Found {
    let mut out = Found::default();
    let n = body.len();
    let mut i = 0;
    while i < n && out.items.len() < MAX_ITEMS {
        let c = body[i];
        let boundary = i == 0 || !word_byte(body[i - 1]);
        if c.is_ascii_digit() && boundary {
            i = digits(body, i, &mut out);
            continue;
        }
        if boundary && c.is_ascii_uppercase() {
            if let Some(end) = iban(body, i, &mut out).or_else(|| cloud_key(body, i, &mut out)) {
                i = end;
                continue;
            }
        }
        if c == b'e' && boundary && body[i..].starts_with(b"eyJ") {
            if let Some(end) = jwt(body, i, &mut out) {
                i = end;
                continue;
            }
        }
        if c == b'@' {
            email(body, i, &mut out);
        }
        if c == b'+' && (i == 0 || !body[i - 1].is_ascii_alphanumeric()) {
            if let Some(end) = phone(body, i, &mut out) {
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A run of digits with single spaces or dashes between groups.
fn digits(body: &[u8], start: usize, out: &mut Found) -> usize {
    let mut ds: Vec<u8> = Vec::with_capacity(20);
    let mut groups: Vec<u8> = Vec::with_capacity(6);
    let mut seps: Vec<u8> = Vec::new();
    let mut i = start;
    let mut group = 0u8;
    while i < body.len() && ds.len() <= 20 {
        let c = body[i];
        if c.is_ascii_digit() {
            ds.push(c - b'0');
            group += 1;
            i += 1;
        } else if (c == b' ' || c == b'-')
            && i + 1 < body.len()
            && body[i + 1].is_ascii_digit()
            && group > 0
        {
            groups.push(group);
            seps.push(c);
            group = 0;
            i += 1;
        } else {
            break;
        }
    }
    groups.push(group);
    let end = i;
    if end < body.len() && (body[end].is_ascii_alphabetic() || body[end] == b'.') {
        return end; // part of a word or a decimal number
    }
    let one_sep = seps.windows(2).all(|w| w[0] == w[1]);
    let len = ds.len();
    let h = hash(ds.iter().map(|d| d + b'0'));
    if groups == [3, 2, 4] && seps.iter().all(|s| *s == b'-') {
        // 000, 666 and 9xx areas are never issued.
        let area = u32::from(ds[0]) * 100 + u32::from(ds[1]) * 10 + u32::from(ds[2]);
        if area != 0 && area != 666 && area < 900 {
            out.items.push((Kind::Ssn, h));
        }
    } else if (13..=19).contains(&len)
        && one_sep
        && (groups.len() == 1 || groups.iter().all(|g| (3..=6).contains(g)))
        && matches!(ds[0], 2..=6)
        // 15 digits is an American Express number (34, 37) or else an IMEI.
        && (len != 15 || (ds[0] == 3 && matches!(ds[1], 4 | 7)))
        && luhn(&ds)
    {
        out.items.push((Kind::Card, h));
    } else if len == 15 && groups.len() == 1 && luhn(&ds) {
        out.items.push((Kind::Imei, h));
    }
    end
}

/// `+44 20 7946 0958`, `+1-202-555-0143`, `+4915112345678`: a `+`, a country code that does
/// not start with 0, then 10 to 15 digits in all, single spaces or dashes between groups.
fn phone(body: &[u8], start: usize, out: &mut Found) -> Option<usize> {
    let mut i = start + 1;
    let mut ds: Vec<u8> = Vec::with_capacity(16);
    while i < body.len() && ds.len() <= 15 {
        match body[i] {
            c if c.is_ascii_digit() => ds.push(c),
            b' ' | b'-' if i + 1 < body.len() && body[i + 1].is_ascii_digit() && !ds.is_empty() => {
            }
            _ => break,
        }
        i += 1;
    }
    let whole = i >= body.len() || !(word_byte(body[i]) || body[i] == b'.');
    // North American numbers are 1 + 10 digits; elsewhere at least 10 digits in all keeps
    // short codes and extensions out.
    let nanp_ok = ds.first() != Some(&b'1') || ds.len() == 11;
    if !(10..=15).contains(&ds.len()) || ds[0] == b'0' || !nanp_ok || !whole {
        return None;
    }
    out.items.push((Kind::Phone, hash(ds.iter().copied())));
    Some(i)
}

fn iban(body: &[u8], start: usize, out: &mut Found) -> Option<usize> {
    let b = &body[start..];
    if b.len() < 15
        || !b[1].is_ascii_uppercase()
        || !b[2].is_ascii_digit()
        || !b[3].is_ascii_digit()
    {
        return None;
    }
    let mut s: Vec<u8> = Vec::with_capacity(34);
    let mut i = 0;
    while i < b.len() && s.len() < 34 {
        match b[i] {
            c if c.is_ascii_digit() || c.is_ascii_uppercase() => s.push(c),
            b' ' if i + 1 < b.len()
                && b[i + 1].is_ascii_alphanumeric()
                && s.len().is_multiple_of(4) => {}
            _ => break,
        }
        i += 1;
    }
    if s.len() < 15 || (i < b.len() && word_byte(b[i])) || !iban_ok(&s) {
        return None;
    }
    out.items.push((Kind::Iban, hash(s.iter().copied())));
    Some(start + i)
}

fn cloud_key(body: &[u8], start: usize, out: &mut Found) -> Option<usize> {
    let b = &body[start..];
    let prefixed = ["AKIA", "ASIA"].iter().any(|p| b.starts_with(p.as_bytes()));
    if !prefixed || b.len() < 20 {
        return None;
    }
    let key = &b[..20];
    if !key[4..]
        .iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    if b.len() > 20 && word_byte(b[20]) {
        return None;
    }
    out.items.push((Kind::CloudKey, hash(key.iter().copied())));
    Some(start + 20)
}

fn jwt(body: &[u8], start: usize, out: &mut Found) -> Option<usize> {
    let b64 = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'_';
    let mut i = start;
    let mut parts = 0;
    loop {
        let s = i;
        while i < body.len() && b64(body[i]) {
            i += 1;
        }
        if i - s < 4 {
            return None;
        }
        parts += 1;
        if parts == 3 || i >= body.len() || body[i] != b'.' {
            break;
        }
        i += 1;
    }
    if parts != 3 {
        return None;
    }
    out.items
        .push((Kind::Jwt, hash(body[start..i].iter().copied())));
    Some(i)
}

fn email(body: &[u8], at: usize, out: &mut Found) {
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let mut s = at;
    while s > 0 && local(body[s - 1]) {
        s -= 1;
    }
    let mut e = at + 1;
    let mut dot = false;
    while e < body.len() && (body[e].is_ascii_alphanumeric() || body[e] == b'-' || body[e] == b'.')
    {
        dot |= body[e] == b'.';
        e += 1;
    }
    while e > at + 1 && body[e - 1] == b'.' {
        e -= 1;
    }
    if s == at || !dot || e - at < 4 {
        return;
    }
    let tld = body[..e].rsplit(|c| *c == b'.').next().unwrap_or_default();
    if tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
        return;
    }
    out.items.push((
        Kind::Email,
        hash(body[s..e].iter().map(u8::to_ascii_lowercase)),
    ));
}

/// Fields a deployment marks as sensitive itself: a loyalty number by its pattern, an account
/// secret by where it sits in a JSON answer. Compiled once per configuration.
#[derive(Default)]
pub struct Custom {
    patterns: Vec<regex::bytes::Regex>,
    pointers: Vec<String>,
}

impl Custom {
    /// `patterns`: regular expressions (the `regex` crate: no backtracking); `pointers`: JSON
    /// pointers (`/account/secret`, `/items/0/ssn`). Returns the first pattern that does not
    /// compile, with its index.
    pub fn new(patterns: &[String], pointers: &[String]) -> Result<Custom, (usize, String)> {
        let patterns = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                regex::bytes::RegexBuilder::new(p)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| (i, e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Custom {
            patterns,
            pointers: pointers.to_vec(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty() && self.pointers.is_empty()
    }

    /// Adds the custom fields `body` carries to `found`, as [`Kind::Custom`] items.
    pub fn scan(&self, body: &[u8], found: &mut Found) {
        for re in &self.patterns {
            for m in re.find_iter(body) {
                if found.items.len() >= MAX_ITEMS {
                    return;
                }
                found
                    .items
                    .push((Kind::Custom, hash(m.as_bytes().iter().copied())));
            }
        }
        if self.pointers.is_empty() {
            return;
        }
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if !matches!(first, Some(b'{' | b'[')) {
            return;
        }
        let Ok(doc) = serde_json::from_slice::<serde_json::Value>(body) else {
            return;
        };
        for p in &self.pointers {
            if let Some(v) = doc.pointer(p).filter(|v| !v.is_null()) {
                let text = v.to_string();
                found.items.push((Kind::Custom, hash(text.bytes())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        scan(s.as_bytes()).items.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn finds_each_kind() {
        assert_eq!(kinds(r#"{"card_number":"4000000000000002"}"#), [Kind::Card]);
        assert_eq!(kinds("card 4111 1111 1111 1111 on file"), [Kind::Card]);
        assert_eq!(kinds("5500-0000-0000-0004"), [Kind::Card]);
        assert_eq!(kinds(r#"{"ssn":"123-45-6789"}"#), [Kind::Ssn]);
        assert_eq!(kinds("imei 490154203237518"), [Kind::Imei]);
        assert_eq!(kinds("IBAN GB82 WEST 1234 5698 7654 32."), [Kind::Iban]);
        assert_eq!(kinds("DE89370400440532013000"), [Kind::Iban]);
        assert_eq!(
            kinds("write to Alice.B+x@mail.example.com today"),
            [Kind::Email]
        );
        assert_eq!(
            kinds("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
            [Kind::Jwt]
        );
        assert_eq!(kinds("key AKIAIOSFODNN7EXAMPLE used"), [Kind::CloudKey]);
    }

    #[test]
    fn numbers_that_are_not_sensitive() {
        for s in [
            r#"{"order_id":4000000000000001}"#,       // fails Luhn
            r#"{"ts":1718000000000,"amount":12.50}"#, // 13 digits, fails Luhn
            "version 4.0000000000000002",             // decimal
            "ref 666-12-3456 and 000-12-3456",        // never-issued SSN areas
            "phone +1-555-0100, zip 62704",
            "GB82WEST12345698765433", // bad IBAN checksum
            "user@localhost and @mentions",
            "sku AB12-XYZ, id a4000000000000002",
        ] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
    }

    #[test]
    fn same_value_same_hash() {
        let a = scan(b"4000000000000002");
        let b = scan(b"card: 4000000000000002!");
        assert_eq!(a.items, b.items);
    }

    #[test]
    fn international_phone_numbers() {
        assert_eq!(kinds(r#"{"phone":"+44 20 7946 0958"}"#), [Kind::Phone]);
        assert_eq!(kinds("call +1-202-555-0143 now"), [Kind::Phone]);
        assert_eq!(kinds("+4915112345678"), [Kind::Phone]);
        // Too short, a leading 0, arithmetic, part of a word or a version.
        for s in [
            "+123",
            "+0 20 7946 0958",
            "1+2345678901",
            "a+44207946095",
            "+12345678.9",
        ] {
            assert!(kinds(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn custom_fields_by_pattern_and_json_pointer() {
        let c = Custom::new(
            &["LOY-[0-9]{8}".to_string()],
            &["/account/secret".to_string(), "/missing".to_string()],
        )
        .unwrap();
        let mut found = Found::default();
        c.scan(
            br#"{"account":{"secret":"s3cr3t","loyalty":"LOY-12345678"},"n":"LOY-1"}"#,
            &mut found,
        );
        assert_eq!(found.count(Kind::Custom), 2);
        // Not JSON: only the patterns apply.
        let mut found = Found::default();
        c.scan(b"card LOY-87654321 and LOY-12345678", &mut found);
        assert_eq!(found.count(Kind::Custom), 2);
        assert_eq!(
            Custom::new(&["(".to_string()], &[]).err().map(|e| e.0),
            Some(0)
        );
    }
}
