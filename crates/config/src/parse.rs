//! YAML → raw structs. The document is first read as a generic tree, then each top-level
//! section and each list item is deserialized on its own with `serde_path_to_error`, so a
//! mistake in `routes[0]` does not hide one in `events` or `routes[2]`.

use crate::raw::*;
use crate::Errors;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub fn parse(text: &str, errors: &mut Errors) -> RawConfig {
    let mut raw = RawConfig::default();
    let root: Value = if text.trim().is_empty() {
        Value::Object(Map::new())
    } else {
        match serde_saphyr::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                errors.push("", format!("invalid YAML: {e}"));
                return raw;
            }
        }
    };
    let root = match root {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => {
            errors.push("", "the top level must be a mapping of sections");
            return raw;
        }
    };
    for key in root.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            errors.push(
                key.clone(),
                format!("unknown section; expected one of: {}", SECTIONS.join(", ")),
            );
        }
    }
    let get = |k: &str| root.get(k).cloned().filter(|v| !v.is_null());
    if let Some(v) = get("server") {
        raw.server = one("server", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("admin") {
        raw.admin = one("admin", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("inspection") {
        raw.inspection = one("inspection", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("events") {
        raw.events = one("events", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("decisions") {
        raw.decisions = one("decisions", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("policies") {
        raw.policies = one("policies", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("geo") {
        raw.geo = one("geo", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("actors") {
        raw.actors = one("actors", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("flows") {
        match v {
            Value::Array(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    if let Some(f) = one(&format!("flows[{i}]"), item, errors) {
                        raw.flows.push((i, f));
                    }
                }
            }
            _ => errors.push("flows", "expected a list of flows"),
        }
    }
    if let Some(v) = get("patches") {
        raw.patches = one("patches", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("tarpit") {
        raw.tarpit = one("tarpit", v, errors).unwrap_or_default();
    }
    if let Some(v) = get("lists") {
        match v {
            Value::Object(map) => {
                for (name, item) in map {
                    if let Some(l) = one(&format!("lists.{name}"), item, errors) {
                        raw.lists.insert(name, l);
                    }
                }
            }
            _ => errors.push("lists", "expected a mapping of name → list"),
        }
    }
    if let Some(v) = get("upstreams") {
        match v {
            Value::Object(map) => {
                for (name, item) in map {
                    if let Some(u) = one(&format!("upstreams.{name}"), item, errors) {
                        raw.upstreams.insert(name, u);
                    }
                }
            }
            _ => errors.push("upstreams", "expected a mapping of name → upstream"),
        }
    }
    if let Some(v) = get("routes") {
        raw.routes = list("routes", v, errors);
    }
    if let Some(v) = get("login") {
        raw.login = list("login", v, errors);
    }
    raw
}

fn one<T: DeserializeOwned>(path: &str, value: Value, errors: &mut Errors) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let inner = e.path().to_string();
            let full = if inner == "." || inner.is_empty() {
                path.to_string()
            } else {
                format!("{path}.{inner}")
            };
            errors.push(full, e.into_inner());
            None
        }
    }
}

fn list<T: DeserializeOwned>(path: &str, value: Value, errors: &mut Errors) -> Vec<(usize, T)> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| one(&format!("{path}[{i}]"), item, errors).map(|v| (i, v)))
            .collect(),
        _ => {
            errors.push(path, "expected a list");
            Vec::new()
        }
    }
}
