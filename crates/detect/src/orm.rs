//! ORM leaks: a filter parameter whose key walks to a secret column and compares it
//! (`?created_by__password__startswith=a`, `{"user__auth_token__key__regex": "^a"}`,
//! Ransack's `q[reset_password_token_start]=a`). APIs that pass request keys to an ORM's
//! filter (Django's `filter(**request.GET.dict())`, django-filter with `__all__` fields,
//! Ransack without an allow-list) let such keys reach any column through relations, and a
//! prefix or pattern lookup answers one character at a time whether a password hash or a
//! reset token starts so: the whole secret leaks by bisection ("plORMbing", elttam 2024).
//!
//! Only a lookup on a secret column counts. A relation walked to an ordinary field
//! (`author__name__icontains`) is what filter APIs are for; telling an allowed one from an
//! exposed one needs the API's model, which the coming OpenAPI model brings.

use crate::{signal, Detector};
use palisade_normalize::Value;
use palisade_types::{Category, Signal};

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
/// [`secret`] one, or one that ends in a secret's name of two words or more (a bare
/// `_token` or `_secret` ends `page_token` too).
fn ransack_secret(column: &str) -> bool {
    secret(column, None)
        || NAMES.iter().filter(|n| n.contains('_')).any(|n| {
            column
                .strip_suffix(n)
                .is_some_and(|rest| rest.ends_with('_'))
        })
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
    if key.len() > 512 || !(dunder || ransack) {
        return None;
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
        if !value.place.kind.is_key() {
            return;
        }
        let key = value.text();
        if let Some(conf) = leak(key) {
            out.push(signal(
                "orm",
                Category::GenericInjection,
                conf,
                value,
                key,
                "filter lookup on a secret column (ORM leak)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use palisade_types::PlaceKind;

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
    fn only_keys_are_read() {
        let at = |kind| {
            let mut out = Vec::new();
            let v = Value::new(
                palisade_types::Place::new(kind, "x"),
                "user__password__startswith".to_string(),
                3,
            );
            Orm.inspect(&v, &mut out);
            out.len()
        };
        assert_eq!(at(PlaceKind::QueryKey), 1);
        assert_eq!(at(PlaceKind::FormKey), 1);
        assert_eq!(at(PlaceKind::JsonKey), 1);
        assert_eq!(at(PlaceKind::QueryValue), 0);
        assert_eq!(at(PlaceKind::JsonValue), 0);
    }
}
