//! Loads an IP/CIDR list of N entries (a FireHOL-style netset: addresses, /24 and /16
//! networks, a comment) and reports load time, memory and lookup time.
//! `cargo run --release -p palisade-policy --example list_scale -- 2000000`
use palisade_config::{ListKindConfig, ListSpec};
use palisade_policy::{DynamicLists, ListSet};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::Instant;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> std::io::Result<()> {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("palisade-list-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("feed.netset");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(f, "# synthetic feed, {n} entries")?;
        // Spread entries over the address space with a multiplicative hash.
        for i in 0..n {
            let a = i.wrapping_mul(2_654_435_761);
            let ip = Ipv4Addr::from(a);
            // Mostly hosts, a quarter /24s, one in a thousand /16s (as feeds are).
            if i % 1000 == 0 {
                writeln!(f, "{}/16", Ipv4Addr::from(a & 0xffff_0000))?;
            } else if i % 4 == 1 {
                writeln!(f, "{}/24", Ipv4Addr::from(a & 0xffff_ff00))?;
            } else {
                writeln!(f, "{ip}")?;
            }
        }
    }
    let spec = ListSpec {
        name: "feed".into(),
        kind: ListKindConfig::Ip,
        file: Some(path.clone()),
        entries: Vec::new(),
        defined_in: path.clone(),
    };
    let before = rss_kib();
    let t = Instant::now();
    let set = ListSet::load(&[spec], Arc::new(DynamicLists::default())).expect("load");
    let load = t.elapsed();
    let grown = rss_kib().saturating_sub(before);
    let list = set.resolve("feed").expect("list");
    let now = Instant::now();
    let probes = 2_000_000u32;
    let t = Instant::now();
    let mut hits = 0u32;
    for i in 0..probes {
        let ip = IpAddr::V4(Ipv4Addr::from(i.wrapping_mul(2_246_822_519)));
        hits += u32::from(set.contains_ip(list.index, ip, now));
    }
    let per = t.elapsed().as_nanos() as f64 / f64::from(probes);
    println!(
        "{n} entries: load {:.2} s, RSS +{} MiB, lookup {per:.0} ns ({hits} of {probes} random addresses listed)",
        load.as_secs_f64(),
        grown / 1024
    );
    std::fs::remove_dir_all(&dir)
}
