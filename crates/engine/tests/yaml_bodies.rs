//! A YAML body (`application/yaml`: a manifest or a rule file put through an API) is read by its
//! scalars, through the whole engine: an injection in one is blocked where it sits, a regex or
//! a quoted value in another no longer reads as a break out of the document's first quote, and a
//! deserialization tag still counts.
use http::{HeaderValue, Method};
use palisade_detect::Registry;
use palisade_engine::{Engine, EngineShared};
use palisade_types::{Action, RequestView};
use std::path::Path;
use std::time::Instant;

fn engine() -> Engine {
    let yaml = "upstreams: { a: { servers: [\"127.0.0.1:1\"] } }\n";
    let cfg = palisade_config::from_str(yaml, Path::new("t.yaml"), Path::new(".")).unwrap();
    Engine::new(&cfg, &Registry::builtin(), EngineShared::local()).unwrap()
}

fn put(content_type: &'static str, body: &str) -> RequestView {
    let mut r = RequestView::new(Method::PUT, "/api/filters", "192.0.2.9".parse().unwrap());
    r.headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    r.host = "api.example".to_string();
    r.headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static("kubectl/v1.30.0"),
    );
    r.body = body.to_string().into();
    r
}

fn blocked(e: &Engine, r: &RequestView) -> bool {
    matches!(
        e.inspect(r, Instant::now()).decision.action,
        Action::Block { .. }
    )
}

#[test]
fn yaml_scalars_are_judged_one_by_one() {
    let e = engine();
    // Regexes from CPython's sources as a filter file (set 75): libinjection read the whole
    // document as a string the first `"` broke out of.
    for clean in [
        "filters:\n  - name: f3\n    pattern: \"^X-Amz-Checksum-([a-z0-9]*)$\"\n",
        "filters:\n  - name: f35\n    pattern: \"^\\\\s*(\\\\w+)\\\\s*\"\n",
        "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n",
    ] {
        for ct in ["application/yaml", "application/x-yaml", "text/yaml"] {
            let v = e.inspect(&put(ct, clean), Instant::now());
            assert!(
                !matches!(v.decision.action, Action::Block { .. }),
                "{ct}: {clean} {:?}",
                v.signals
            );
        }
    }
    for attack in [
        "filters:\n  - name: f1\n    pattern: \"1' union select password from users--\"\n",
        "x: !!python/object/apply:os.system [\"id\"]\n",
        "spec:\n  command: \"; cat /etc/passwd\"\n",
    ] {
        assert!(blocked(&e, &put("application/yaml", attack)), "{attack}");
    }
}
