use crate::raw::RawSize;
use std::time::Duration;

/// `250ms`, `10s`, `5m`, `7d` … (humantime syntax).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text.trim()).map_err(|e| format!("invalid duration {text:?}: {e}"))
}

/// A byte count: a number, or a number with B, KB, KiB, MB, MiB, GB, GiB.
pub fn parse_size(size: &RawSize) -> Result<u64, String> {
    let text = match size {
        RawSize::Bytes(n) => return Ok(*n),
        RawSize::Text(t) => t.trim(),
    };
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(split);
    let num: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {text:?}: expected e.g. 65536, 64KiB or 1MiB"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "kib" | "k" => 1 << 10,
        "mb" => 1_000_000,
        "mib" | "m" => 1 << 20,
        "gb" => 1_000_000_000,
        "gib" | "g" => 1 << 30,
        other => return Err(format!("invalid size unit {other:?} in {text:?}")),
    };
    num.checked_mul(mult)
        .ok_or_else(|| format!("size {text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size(&RawSize::Text("64KiB".into())), Ok(65536));
        assert_eq!(parse_size(&RawSize::Text("1 MiB".into())), Ok(1 << 20));
        assert_eq!(parse_size(&RawSize::Bytes(7)), Ok(7));
        assert!(parse_size(&RawSize::Text("12 parsecs".into())).is_err());
        assert!(parse_size(&RawSize::Text("MiB".into())).is_err());
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("soon").is_err());
    }
}
