//! LDAP filter injection: a value that closes the filter it was put into and opens another
//! (`*)(uid=*`, `admin)(&)`, `x)(|(mail=*`), or that starts a wildcard OR/AND inside the
//! host's assertion (`*(|(objectClass=*))`). Judged on the decoded value, so `%29%28` counts
//! as `)(`. A whole filter a person writes (`(&(objectClass=person)(mail=*@example.com))`,
//! `(|(cn=John*)(mail=john*))`) opens every parenthesis it closes and stays clean.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};

pub struct Ldap;

/// What follows `(` in a filter an attacker adds: an operator (`&`, `|`, `!`), or an
/// attribute and a comparison (`uid=`, `cn>=`, `sn~=`).
fn filter_opens(rest: &str) -> bool {
    let rest = rest.trim_start_matches('(');
    if rest.starts_with(['&', '|', '!']) {
        let after = &rest[1..];
        return after.starts_with(['(', ')']) || after.is_empty() || assertion(after);
    }
    assertion(rest)
}

/// `uid=`, `cn>=`, `sn~=` at the start of `rest`.
fn assertion(rest: &str) -> bool {
    let name = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b';'))
        .count();
    name > 0
        && rest.as_bytes()[0].is_ascii_alphabetic()
        && ["=", ">=", "<=", "~="]
            .iter()
            .any(|op| rest[name..].starts_with(op))
}

/// `(1=0)`, `(1=1)`: an assertion of a number about a number. No attribute is named by a
/// bare number (an OID has dots), so the filter is a tautology or a contradiction an
/// injection adds to steer the result (`(&(uid=admin)(!(&(1=0)(userPassword=q))))`).
fn numeric_assertion(t: &str) -> bool {
    t.match_indices('(').any(|(at, _)| {
        let inner = &t[at + 1..];
        let Some(close) = inner.find(')') else {
            return false;
        };
        let Some((a, b)) = inner[..close].split_once('=') else {
            return false;
        };
        let number = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
        number(a) && number(b)
    })
}

/// An extensible match by OID on a password attribute (`userPassword:2.5.13.18:=123`): how
/// a blind injection tests a password byte by byte. On other attributes it is an
/// administrator's filter (Active Directory's `userAccountControl:1.2.840.113556.1.4.803:=2`).
fn extensible_match(t: &str) -> bool {
    t.match_indices(":=").any(|(at, _)| {
        let before = &t[..at];
        let Some((attr, oid)) = before.rsplit_once(':') else {
            return false;
        };
        let attr = attr.strip_suffix(":dn").unwrap_or(attr);
        let name = attr
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .next()
            .unwrap_or("");
        let lower = name.to_ascii_lowercase();
        (lower.contains("password") || lower.contains("pwd"))
            && oid.contains('.')
            && oid.bytes().all(|c| c.is_ascii_digit() || c == b'.')
            && !oid.starts_with('.')
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
    })
}

impl Ldap {
    fn check(text: &str) -> Option<f32> {
        let t = text.trim();
        if t.contains(":=") && extensible_match(t) {
            return Some(0.8);
        }
        if t.starts_with('(') && numeric_assertion(t) && filter_opens(&t[1..]) {
            return Some(0.85);
        }
        // `*(|(mail=*))`: a wildcard, then an OR/AND filter, inside the host's assertion.
        if let Some(rest) = t.strip_prefix('*') {
            if let Some(inner) = rest.strip_prefix('(') {
                if inner.starts_with(['|', '&']) && filter_opens(&inner[1..]) {
                    return Some(0.85);
                }
            }
        }
        // A `)` the value never opened, then a filter: the host's filter closed early.
        let b = t.as_bytes();
        let mut depth = 0i32;
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth < 0 && b.get(i + 1) == Some(&b'(') && filter_opens(&t[i + 2..]) {
                        return Some(0.85);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

impl Detector for Ldap {
    fn name(&self) -> &'static str {
        "ldap"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let c = value.classes;
        let filter = c.any(bc::RPAREN | bc::STAR) && c.any(bc::LPAREN);
        let extensible = c.any(bc::COLON) && c.any(bc::EQ);
        if !(filter || extensible) {
            return;
        }
        if let Some(confidence) = Ldap::check(value.text()) {
            out.push(signal(
                "ldap",
                Category::Ldap,
                confidence,
                value,
                value.text(),
                "LDAP filter closed and another opened",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakouts_count_and_whole_filters_do_not() {
        for attack in [
            "*)(uid=*))(|(uid=*",
            "admin)(&)",
            "admin)(&(password=*))",
            "*(|(mail=*))",
            "x)(|(objectclass=*)",
            "admin*)((|userpassword=*)",
        ] {
            assert!(Ldap::check(attack).is_some(), "{attack}");
        }
        for benign in [
            "(&(objectClass=person)(mail=*@example.com))",
            "(|(cn=John*)(mail=john*))",
            "f(a)(b)",
            "if (&(x)) { f(a)(b); }",
            "smile :)(",
            "Options a) (x=1)",
            "(see note)",
        ] {
            assert!(Ldap::check(benign).is_none(), "{benign}");
        }
    }
}
