//! Whatever a client sends, the engine answers: no panic, and the caps hold. Property tests
//! stand in for coverage-guided fuzzing until a nightly toolchain is available for cargo-fuzz.
use bytes::Bytes;
use http::{HeaderName, HeaderValue, Method};

use palisade_config::Limits;
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::RequestView;
use proptest::prelude::*;
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    let cfg = palisade_config::from_str(
        "login: [ { path: /login } ]\n",
        Path::new("t.yaml"),
        Path::new("."),
    )
    .unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
}

/// Bodies that exercise the JSON walker as well as raw bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        "[\\[\\]{}\":,a-z0-9\\\\'<>%&; ]{0,256}".prop_map(String::into_bytes),
        // Multipart documents with odd headers and delimiters.
        proptest::collection::vec("[a-z=;\"'<>\r\n:-]{0,40}", 0..12).prop_map(|parts| {
            let mut s = String::new();
            for p in &parts {
                s.push_str(&format!("--b\r\nContent-Disposition: form-data; name=\"{p}\"; filename=\"{p}\"\r\n\r\n{p}\r\n"));
            }
            s.push_str("--b--");
            s.into_bytes()
        }),
        // XML-ish and GraphQL-ish text: tags, entities, CDATA, strings with escapes.
        r#"(<[a-z]{1,3}( [a-z]="[^"]{0,6}")?>|</[a-z]{1,3}>|&[a-z#0-9]{0,5};|<!\[CDATA\[|\]\]>|<\?[a-z ]{0,5}\?>|\{|\}|"[^"]{0,8}"|\\u[0-9a-f]{0,4}|[a-z ]{0,5})*"#
            .prop_map(String::into_bytes),
        proptest::collection::vec("[a-z%<'\"]{0,8}", 0..40).prop_map(|parts| {
            // Deeply nested JSON.
            let mut s = String::new();
            for p in &parts {
                s.push_str(&format!("{{\"{p}\":["));
            }
            s.push_str("\"x\"");
            for _ in &parts {
                s.push_str("]}");
            }
            s.into_bytes()
        }),
    ]
}

/// What detectors search for, mixed with multi-byte characters. A detector that finds an
/// ASCII marker and then slices the `str` a fixed number of bytes away panics when a
/// multi-byte character sits there (`**⚠️ Warning:**` did, in the SSRF detector); values
/// of nothing but ASCII never show it.
fn soup() -> impl Strategy<Value = String> {
    let fragments = prop::sample::select(vec![
        "http:",
        "https://",
        "file:",
        "//",
        "../",
        "..\\",
        "/etc/passwd",
        "'",
        "\"",
        "`",
        "<",
        ">",
        "</",
        "<script",
        "on",
        "=",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "${",
        "{{",
        "#{",
        "$(",
        ";",
        "|",
        "&",
        "&#",
        "%",
        "%u",
        "\\u",
        "\\x",
        "0x",
        "@",
        ":",
        "-",
        "--",
        "/*",
        "*/",
        "#",
        " ",
        "\n",
        "\r\n",
        "\t",
        "select",
        " or ",
        "union",
        "sleep",
        "exec",
        "jndi:",
        "ldap:",
        "php",
        "system",
        "cat",
        "java.lang.",
        "rO0AB",
        "base64,",
        "127.0.0.1",
        "169.254.",
        "a",
        "Z",
        "1",
        "é",
        "日本",
        "⚠\u{fe0f}",
        "\u{fe0f}",
        "😀",
        "\u{a0}",
        "ß",
        "ｓｅｌｅｃｔ",
        "İ",
        "\u{0}",
        "\u{7f}",
        "\u{ff}",
        "\u{200b}",
    ]);
    proptest::collection::vec(fragments, 0..32).prop_map(|v| v.concat())
}

/// A new client address per case: the shared engine blocks an address that sent attacks,
/// and a blocked actor's requests skip detection, which would leave most cases untested.
fn next_client() -> std::net::IpAddr {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::net::IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 | (n & 0x00ff_ffff)))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn multibyte_text_around_markers_never_panics(text in soup(), place in 0usize..5) {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let e = ENGINE.get_or_init(engine);
        let target = match place {
            0 => format!("/search?q={}", percent_encode(&text)),
            1 => format!("/files/{}", percent_encode(&text)),
            _ => "/api".to_string(),
        };
        let mut r = RequestView::new(Method::POST, &target, next_client());
        match place {
            2 => {
                r.headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                r.body = Bytes::from(format!("{{\"text\":{},\"list\":[{}]}}", json_string(&text), json_string(&text)));
            }
            3 => {
                r.headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
                r.body = Bytes::from(format!("comment={}", percent_encode(&text)));
            }
            4 => {
                if let Ok(v) = HeaderValue::from_bytes(text.replace(['\r', '\n', '\0'], " ").as_bytes()) {
                    r.headers.insert(http::header::REFERER, v);
                }
            }
            _ => {}
        }
        let v = e.inspect(&r, Instant::now());
        for s in &v.signals {
            prop_assert!((0.0..=1.0).contains(&s.confidence));
        }
    }

    #[test]
    fn engine_never_panics(
        target in "/[ -~]{0,200}",
        headers in proptest::collection::vec(("[a-z][a-z0-9-]{0,20}", "[ -~]{0,120}"), 0..12),
        body in body(),
        content_type in 0usize..5,
    ) {
        // One engine for every case: building one compiles the whole policy pack, and a
        // shared one also carries actor state from case to case, as a real process does.
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        let e = ENGINE.get_or_init(engine);
        let mut r = RequestView::new(Method::POST, &target, next_client());
        for (k, v) in &headers {
            if let (Ok(k), Ok(v)) = (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(v)) {
                r.headers.append(k, v);
            }
        }
        // JSON, multipart, XML and GraphQL walkers as well as the raw body.
        let types = [
            None,
            Some("application/json"),
            Some("multipart/form-data; boundary=b"),
            Some("application/xml"),
            Some("application/graphql"),
        ];
        if let Some(ct) = types[content_type] {
            r.headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        r.body = Bytes::from(body);
        let v = e.inspect(&r, Instant::now());
        prop_assert!(v.values_inspected <= Limits::default().max_values);
        for s in &v.signals {
            prop_assert!(s.evidence.chars().count() <= 65, "{} {:?}", s.detector, s.evidence);
            prop_assert!((0.0..=1.0).contains(&s.confidence));
        }
    }

    #[test]
    fn decoding_is_bounded_and_total(s in "[ -~%&#;\\\\u]{0,300}", depth in 0usize..6) {
        let d = palisade_normalize::decode(&s, depth);
        // Decoding only ever shrinks text (escapes are longer than what they stand for).
        prop_assert!(d.len() <= s.len(), "{s:?} grew to {d:?}");
        let _ = palisade_normalize::form_decode(&s);
    }

    #[test]
    fn caps_hold_for_any_query(pairs in proptest::collection::vec(("[a-z%<]{1,10}", "[ -~]{0,40}"), 0..80)) {
        let limits = Limits { max_values: 16, max_value_bytes: 24, ..Limits::default() };
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", v.replace(['&', '#', ' '], "_"))).collect();
        let r = RequestView::new(Method::GET, &format!("/p?{}", q.join("&")), "192.0.2.1".parse().unwrap());
        let n = palisade_normalize::extract(&r, &limits);
        prop_assert!(n.values.len() <= 16);
        prop_assert!(n.values.iter().all(|v| v.raw.len() <= 24));
    }
}
