//! ORM leaks: a filter parameter whose key walks to a secret column and compares it
//! (`?created_by__password__startswith=a`, `{"user__auth_token__key__regex": "^a"}`,
//! Ransack's `q[reset_password_token_start]=a`). APIs that pass request keys to an ORM's
//! filter (Django's `filter(**request.GET.dict())`, django-filter with `__all__` fields,
//! Ransack without an allow-list) let such keys reach any column through relations, and a
//! prefix or pattern lookup answers one character at a time whether a password hash or a
//! reset token starts so: the whole secret leaks by bisection ("plORMbing", elttam 2024).
//!
//! Nested filters leak the same way: Strapi's `filters[password][$startsWith]=a`
//! (CVE-2023-22894), Directus's `filter[password][_starts_with]`, Prisma's
//! `{"where": {"author": {"password": {"startsWith": "a"}}}}` when a handler spreads the
//! request's `where` into `findMany`; the operator key follows the field it compares.
//!
//! Only a lookup on a secret column counts. A relation walked to an ordinary field
//! (`author__name__icontains`) is what filter APIs are for; telling an allowed one from an
//! exposed one needs the API's model, which the coming OpenAPI model brings.

use crate::{signal, Detector};
use palisade_normalize::{bisecting_operator, Value};
use palisade_types::{Category, PlaceKind, Signal};

pub struct Orm;

/// Django's field lookups that compare a value (`__isnull`, `__year` and transforms
/// leave nothing to bisect).
const LOOKUPS: [&str; 17] = [
    "exact",
    "iexact",
    "contains",
    "icontains",
    "in",
    "gt",
    "gte",
    "lt",
    "lte",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "range",
    "regex",
    "iregex",
    "search",
];

/// Ransack's predicates that compare a value, as key suffixes (`name_cont`).
const PREDICATES: [&str; 14] = [
    "_eq",
    "_matches",
    "_lt",
    "_lteq",
    "_gt",
    "_gteq",
    "_in",
    "_cont",
    "_i_cont",
    "_cont_any",
    "_start",
    "_end",
    "_start_any",
    "_end_any",
];

/// Columns that hold a secret: passwords and their hashes, tokens that stand for a login
/// or a reset, keys and salts. `key` counts under a token relation (Django REST
/// framework's `auth_token__key`). Tokens that page or sync (`page_token`) are not here.
fn secret(column: &str, parent: Option<&str>) -> bool {
    column.ends_with("password")
        || column.ends_with("passwd")
        || matches!(
            column,
            "password_hash" | "password_digest" | "hashed_password"
        )
        || NAMES.contains(&column)
        || (column == "key" && parent.is_some_and(|p| p.contains("token")))
}

/// A Ransack column, named through its associations (`user_reset_password_token`): a
/// [`secret`] one, or one that [`names_two_word_secret`] (a bare `_token` or `_secret` ends
/// `page_token` too).
fn ransack_secret(column: &str) -> bool {
    secret(column, None) || names_two_word_secret(column)
}

/// Whether `column` is, or ends in, a secret's name of two words or more
/// (`reset_password_token`, `owner_api_key`).
fn names_two_word_secret(column: &str) -> bool {
    NAMES.iter().filter(|n| n.contains('_')).any(|n| {
        column == *n
            || column
                .strip_suffix(n)
                .is_some_and(|rest| rest.ends_with('_'))
    })
}

/// A field a nested filter compares (`password`, `resetPasswordToken`, `api_key`), read in
/// snake case: a [`secret`] column or one that [`names_two_word_secret`], but not a bare
/// `token`, `secret` or `salt`: nested filters are what generic APIs expose, where those
/// name a coin, a vault entry or an ingredient.
fn nested_secret(field: &str, parent: Option<&str>) -> bool {
    let column = snake_case(field);
    let parent = parent.map(snake_case);
    !matches!(column.as_str(), "token" | "secret" | "salt")
        && (secret(&column, parent.as_deref()) || names_two_word_secret(&column))
}

/// `resetPasswordToken` as `reset_password_token`, `APIKey` as `api_key`: a word starts at
/// a capital after a small letter or a digit, or at the last capital of a run before a
/// small letter.
fn snake_case(name: &str) -> String {
    let b = name.as_bytes();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = b[i - 1];
            let next_small = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_small)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase() as char);
    }
    out
}

/// Whether `segments` (a nested filter's path: `filters`, `user`, `password`, `$startsWith`)
/// compare a [`nested_secret`] field with a [`bisecting_operator`] operator right after it.
fn nested_leak<'a>(segments: impl Iterator<Item = &'a str>) -> bool {
    let (mut parent, mut field) = (None, None);
    for seg in segments {
        if let Some(f) = field {
            if bisecting_operator(seg) && nested_secret(f, parent) {
                return true;
            }
        }
        (parent, field) = (field, Some(seg));
    }
    false
}

/// A JSON key's path that names a filter operator (`$.where.author.password.startsWith`,
/// `$.filter.OR[0].password._like`; extraction pushes such keys) as [`nested_leak`] reads
/// it: the last three names, array indices left out.
fn json_filter_leak(path: &str) -> bool {
    let names: Vec<&str> = path
        .rsplit('.')
        .take(3)
        .map(|s| s.split('[').next().unwrap_or(s))
        .collect();
    nested_leak(names.into_iter().rev())
}

/// Secret columns' names (see [`secret`]).
const NAMES: [&str; 22] = [
    "secret",
    "secret_key",
    "client_secret",
    "api_key",
    "apikey",
    "token",
    "auth_token",
    "api_token",
    "access_token",
    "refresh_token",
    "reset_token",
    "reset_password_token",
    "password_reset_token",
    "confirmation_token",
    "remember_token",
    "activation_key",
    "otp_secret",
    "totp_secret",
    "mfa_secret",
    "salt",
    "private_key",
    "session_key",
];

/// The confidence for a key that filters a secret column, if it does.
fn leak(key: &str) -> Option<f32> {
    // Most keys are one name (`page`, `sort`) or a form's nesting (`user[email]`): out
    // before any copy.
    let dunder = key.as_bytes().windows(2).any(|w| w == b"__");
    let ransack = key.get(..2).is_some_and(|q| q.eq_ignore_ascii_case("q["));
    let nested = memchr::memmem::find(key.as_bytes(), b"][").is_some();
    if key.len() > 512 || !(dunder || ransack || nested) {
        return None;
    }
    // Strapi, Directus, Prisma through `qs`: `filters[password][$startsWith]`,
    // `filter[user][reset_token][_starts_with]` (CVE-2023-22894 is Strapi's).
    if nested && nested_leak(key.split(['[', ']', '.']).filter(|s| !s.is_empty())) {
        return Some(0.85);
    }
    let key = key.to_ascii_lowercase();
    let brackets: Vec<&str> = key
        .split(['[', ']', '.'])
        .filter(|s| !s.is_empty())
        .collect();
    // Ransack: `q[<column>_<predicate>]`.
    if brackets.len() >= 2 && brackets[0] == "q" {
        let ransack = brackets[1..].iter().any(|seg| {
            PREDICATES
                .iter()
                .any(|p| seg.strip_suffix(p).is_some_and(ransack_secret))
        });
        if ransack {
            return Some(0.85);
        }
    }
    // Django: `a__b__<column>__<lookup>`, alone or inside brackets (`filter[a__b__c]`).
    if !dunder {
        return None;
    }
    let parts: Vec<&str> = brackets
        .iter()
        .flat_map(|s| s.split("__"))
        .filter(|s| !s.is_empty())
        .collect();
    parts
        .windows(2)
        .enumerate()
        .any(|(i, w)| {
            let parent = i.checked_sub(1).map(|p| parts[p]);
            secret(w[0], parent) && LOOKUPS.contains(&w[1])
        })
        .then_some(0.85)
}

impl Detector for Orm {
    fn name(&self) -> &'static str {
        "orm"
    }

    fn keys_only(&self) -> bool {
        true
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let kind = value.place.kind;
        if !kind.is_key() {
            return;
        }
        let found = leak(value.text()).or_else(|| {
            (kind == PlaceKind::JsonKey
                && bisecting_operator(value.text())
                && json_filter_leak(&value.place.name))
            .then_some(0.85)
        });
        if let Some(conf) = found {
            out.push(signal(
                "orm",
                Category::GenericInjection,
                conf,
                value,
                &value.place.name,
                "filter lookup on a secret column (ORM leak)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_on_secret_columns_leak_and_others_filter() {
        for key in [
            "created_by__password__startswith",
            "user__password__regex",
            "author__user__auth_token__key__startswith",
            "password__gt",
            "filter[owner__reset_password_token__istartswith]",
            "q[encrypted_password_start]",
            "q[user_reset_password_token_cont]",
            "q[api_key_start]",
            "q[owner_api_key_eq]",
            "USER__PASSWORD__STARTSWITH",
        ] {
            assert_eq!(leak(key), Some(0.85), "{key}");
        }
        for key in [
            "author__name__icontains",
            "created_by__departments__employees__user__username__startswith",
            "username__startswith",
            "password_changed_at__gt",
            "user__password_changed_at__lte",
            "commit_hash__startswith",
            "page_token",
            "next_page__token",
            "q[name_cont]",
            "q[password_changed_at_gt]",
            "q[page_token_eq]",
            "q[user_token_count_gt]",
            "new_password",
            "password",
            "key__startswith",
            "__typename",
        ] {
            assert_eq!(leak(key), None, "{key}");
        }
    }

    #[test]
    fn nested_filters_on_secret_fields_leak() {
        for key in [
            "filters[password][$startsWith]",
            "filters[$or][0][user][resetPasswordToken][$startsWith]",
            "filters[confirmationToken][$containsi]",
            "filter[password][_starts_with]",
            "filter[owner][api_key][_nstarts_with]",
            "where[passwordHash][lt]",
            "filter[auth_token][key][_like]",
        ] {
            assert_eq!(leak(key), Some(0.85), "{key}");
        }
        for key in [
            "filters[title][$contains]",
            "filters[password][$eq]",
            "filters[token][$startsWith]",
            "filter[salt][_lte]",
            "filter[secret][_contains]",
            "filters[passwordChangedAt][$gt]",
            "user[password]",
            "user[password][confirmation]",
            "pagination[page]",
        ] {
            assert_eq!(leak(key), None, "{key}");
        }
        for path in [
            "$.where.password.startsWith",
            "$.where.author.passwordHash.gte",
            "$.where.OR[1].resetPasswordToken.contains",
            "$.variables.filter.password._like",
            "$.filter.APIKey.$regex",
            "$.where.authToken.key.startsWith",
        ] {
            assert!(json_filter_leak(path), "{path}");
        }
        for path in [
            "$.where.email.startsWith",
            "$.where.password.equals",
            "$.where.password",
            "$.password",
            "$.data.password.new",
            "$.where.token.startsWith",
            "$.startsWith",
            "$.where.key.startsWith",
        ] {
            assert!(!json_filter_leak(path), "{path}");
        }
    }

    #[test]
    fn words_split_in_snake_case() {
        assert_eq!(snake_case("resetPasswordToken"), "reset_password_token");
        assert_eq!(snake_case("APIKey"), "api_key");
        assert_eq!(snake_case("password_hash"), "password_hash");
        assert_eq!(snake_case("totp2Secret"), "totp2_secret");
    }

    #[test]
    fn only_keys_are_read() {
        let at = |kind, name: &str, text: &str| {
            let mut out = Vec::new();
            let v = Value::new(palisade_types::Place::new(kind, name), text.to_string(), 3);
            Orm.inspect(&v, &mut out);
            out.len()
        };
        let lookup = "user__password__startswith";
        assert_eq!(at(PlaceKind::QueryKey, "x", lookup), 1);
        assert_eq!(at(PlaceKind::FormKey, "x", lookup), 1);
        assert_eq!(at(PlaceKind::JsonKey, "x", lookup), 1);
        assert_eq!(at(PlaceKind::QueryValue, "x", lookup), 0);
        assert_eq!(at(PlaceKind::JsonValue, "x", lookup), 0);
        // A JSON key naming an operator is read by its path.
        let path = "$.where.password.startsWith";
        assert_eq!(at(PlaceKind::JsonKey, path, "startsWith"), 1);
        assert_eq!(at(PlaceKind::JsonValue, path, "a"), 0);
        assert_eq!(
            at(PlaceKind::JsonKey, "$.where.email.startsWith", "startsWith"),
            0
        );
    }
}
