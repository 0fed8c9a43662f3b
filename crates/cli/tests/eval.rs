//! `palisade eval` on a small corpus written by the test: counts, filters, JSON shape.
use std::process::Command;

fn line(
    id: &str,
    category: &str,
    label: &str,
    method: &str,
    path: &str,
    body: &str,
    meta: &str,
) -> String {
    format!(
        r#"{{"id":"{id}","source":"t","category":"{category}","label":"{label}","method":"{method}","path":"{path}","headers":[["Host","localhost"],["Content-Type","application/json"]],"body":{body},"meta":{meta}}}"#,
        body = serde_json::to_string(body).unwrap()
    )
}

#[test]
fn eval_counts_detections_and_false_positives() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.jsonl");
    let lines = [
        line(
            "a1",
            "sqli",
            "attack",
            "GET",
            "/s?q=1%27%20or%20%271%27%3D%271",
            "",
            "{}",
        ),
        line(
            "a2",
            "sqli",
            "attack",
            "POST",
            "/s",
            r#"{"q":"1 UNION SELECT password FROM users"}"#,
            "{}",
        ),
        line("a3", "sqli", "attack", "GET", "/s?q=harmless", "", "{}"),
        line("b1", "sqli", "benign", "GET", "/s?q=O%27Brien", "", "{}"),
        line(
            "x1",
            "xss",
            "attack",
            "GET",
            "/s?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "",
            "{}",
        ),
        line("bad", "xss", "benign", "GE T", "/", "", "{}"),
        // Filtered by --crs-pl 2: a PL3 attack and a response-phase line.
        line(
            "c1",
            "sqli",
            "attack",
            "GET",
            "/s?q=x",
            "",
            r#"{"crs_rule_id":1,"crs_expect_min_paranoia_level":3}"#,
        ),
        line(
            "c2",
            "sqli",
            "attack",
            "GET",
            "/s?q=x",
            "",
            r#"{"crs_rule_id":1,"phase":"response"}"#,
        ),
    ];
    std::fs::write(&corpus, lines.join("\n") + "\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["eval", "--json", "--crs-pl", "2"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sqli = &v["by_category"]["sqli"];
    assert_eq!(sqli["attack_total"], 3);
    assert_eq!(sqli["attack_detected"], 2);
    assert_eq!(sqli["benign_total"], 1);
    assert_eq!(sqli["benign_flagged"], 0);
    let xss = &v["by_category"]["xss"];
    assert_eq!(xss["attack_detected"], 1);
    // The line with an invalid method is refused by the proxy, so it counts as flagged.
    assert_eq!(xss["benign_flagged"], 1);
    assert_eq!(v["refused_unparseable"], 1);
    assert_eq!(v["skipped"], 2);

    let text = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["eval", "--misses", "5", "--crs-pl", "2"])
        .arg(&corpus)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("missed a3"), "{text}");
    assert!(text.contains("66.67%"), "{text}");
}

#[test]
fn eval_reports_a_missing_file_clearly() {
    let out = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(["eval", "/nonexistent/corpus.jsonl"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/corpus.jsonl"));
}
