//! Reads lines on stdin and prints, per line, what libinjectionrs says: `SQLI XSS FINGERPRINT`
//! (`1 0 s&sos`). `tools/libinjection-diff.sh` compares this with the C library, line by line.
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().split(b'\n') {
        let line = line?;
        let sqli = libinjectionrs::detect_sqli(&line);
        let xss = libinjectionrs::detect_xss(&line).is_injection();
        let hit = sqli.is_injection();
        let fp = match (&sqli.fingerprint, hit) {
            (Some(f), true) => f.as_str().to_string(),
            _ => "-".to_string(),
        };
        writeln!(out, "{} {} {fp}", u8::from(hit), u8::from(xss))?;
    }
    out.flush()
}
