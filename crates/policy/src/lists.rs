//! Named allow/deny lists: IP/CIDR lists (plain addresses, CIDRs, FireHOL `.netset` files —
//! millions of entries, longest-prefix lookup in a prefix trie) and string lists (user names,
//! API keys, fingerprints). File and config entries are immutable per configuration; entries
//! added through the admin API live in [`DynamicLists`], which outlives reloads, may carry an
//! expiry, and is swapped copy-on-write so lookups never take a lock.

use arc_swap::ArcSwap;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use palisade_config::{ListKindConfig, ListSpec};
use prefix_trie::PrefixSet;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::expr::{ListKind, ListRef};

/// One problem found while loading a list file.
#[derive(Debug, Clone)]
pub struct ListError {
    pub file: std::path::PathBuf,
    pub line: usize,
    pub message: String,
}

#[derive(Default)]
struct Ips {
    v4: PrefixSet<Ipv4Net>,
    v6: PrefixSet<Ipv6Net>,
}

impl Ips {
    fn insert(&mut self, net: IpNet) {
        match net {
            IpNet::V4(n) => {
                self.v4.insert(n);
            }
            IpNet::V6(n) => {
                self.v6.insert(n);
            }
        }
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => self.v4.get_lpm(&Ipv4Net::from(a)).is_some(),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => self.v4.get_lpm(&Ipv4Net::from(v4)).is_some(),
                None => self.v6.get_lpm(&Ipv6Net::from(a)).is_some(),
            },
        }
    }
}

struct List {
    name: Arc<str>,
    kind: ListKind,
    ips: Ips,
    strs: HashSet<Box<str>>,
    entries: usize,
}

/// The lists of one configuration.
pub struct ListSet {
    lists: Vec<List>,
    dynamic: Arc<DynamicLists>,
    /// Bit `i`: list `i` (of the first 64) has entries from config or files.
    filled: u64,
}

/// A list entry added at run time (admin API, `block_actor`-style automation).
#[derive(Clone, Debug, Serialize)]
pub struct DynamicEntry {
    pub value: String,
    /// Unix seconds when the entry lapses; absent means until removed.
    pub expires_at: Option<u64>,
    #[serde(skip)]
    until: Option<Instant>,
    #[serde(skip)]
    net: Option<IpNet>,
}

/// Run-time list entries, by list name. Shared by every configuration of one process.
#[derive(Default)]
pub struct DynamicLists {
    entries: ArcSwap<BTreeMap<Arc<str>, Vec<DynamicEntry>>>,
    /// Whether any list may have run-time entries: set before an entry goes in, cleared
    /// when the last one is removed, so a reader that sees it clear finds no entry.
    any: AtomicBool,
    /// Held by `add` and `remove` (rare, from the admin API), so a removal that clears
    /// `any` cannot race an addition that sets it.
    writer: Mutex<()>,
}

impl DynamicLists {
    /// Adds (or refreshes) an entry; `ttl` makes it lapse by itself.
    pub fn add(
        &self,
        list: &str,
        value: &str,
        kind: ListKind,
        ttl: Option<Duration>,
    ) -> Result<(), String> {
        let net = match kind {
            ListKind::Ip => Some(
                crate::expr::parse_net(value)
                    .ok_or_else(|| format!("{value:?} is not an IP address or CIDR"))?,
            ),
            ListKind::Str => None,
        };
        let now = Instant::now();
        let entry = DynamicEntry {
            value: value.to_string(),
            expires_at: ttl.map(|t| {
                (SystemTime::now() + t)
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            }),
            until: ttl.map(|t| now + t),
            net,
        };
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        self.any.store(true, Ordering::SeqCst);
        self.entries.rcu(|cur| {
            let mut next = (**cur).clone();
            let v = next.entry(Arc::from(list)).or_default();
            v.retain(|e| e.value != value && e.until.is_none_or(|u| u > now));
            v.push(entry.clone());
            next
        });
        Ok(())
    }

    /// Removes an entry; false when it was not there.
    pub fn remove(&self, list: &str, value: &str) -> bool {
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut found = false;
        self.entries.rcu(|cur| {
            let mut next = (**cur).clone();
            found = false;
            if let Some(v) = next.get_mut(list) {
                let before = v.len();
                v.retain(|e| e.value != value);
                found = v.len() != before;
            }
            next
        });
        if self.entries.load().values().all(Vec::is_empty) {
            self.any.store(false, Ordering::SeqCst);
        }
        found
    }

    /// False when no list has a run-time entry.
    fn any(&self) -> bool {
        self.any.load(Ordering::Relaxed)
    }

    /// Live entries of one list.
    pub fn entries(&self, list: &str) -> Vec<DynamicEntry> {
        let now = Instant::now();
        self.entries
            .load()
            .get(list)
            .map(|v| {
                v.iter()
                    .filter(|e| e.until.is_none_or(|u| u > now))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    fn contains(&self, list: &str, now: Instant, hit: impl Fn(&DynamicEntry) -> bool) -> bool {
        let guard = self.entries.load();
        match guard.get(list) {
            Some(v) => v.iter().any(|e| e.until.is_none_or(|u| u > now) && hit(e)),
            None => false,
        }
    }
}

/// Parses one line of a list file: `#`/`;` comments, blank lines, and (for IP lists) an
/// address or CIDR as the first field, as in FireHOL netsets and most threat-intel feeds.
fn entry_of(line: &str) -> Option<&str> {
    let line = line.split(['#', ';']).next().unwrap_or("").trim();
    let first = line.split_whitespace().next()?;
    Some(first)
}

impl ListSet {
    /// Builds the lists of a configuration: inline entries and files.
    pub fn load(specs: &[ListSpec], dynamic: Arc<DynamicLists>) -> Result<ListSet, Vec<ListError>> {
        let mut errors = Vec::new();
        let mut lists = Vec::new();
        for spec in specs {
            let kind = match spec.kind {
                ListKindConfig::Ip => ListKind::Ip,
                ListKindConfig::String => ListKind::Str,
            };
            let mut list = List {
                name: Arc::from(spec.name.as_str()),
                kind,
                ips: Ips::default(),
                strs: HashSet::new(),
                entries: 0,
            };
            let mut add =
                |value: &str, file: &Path, line: usize, errors: &mut Vec<ListError>| match kind {
                    ListKind::Ip => match crate::expr::parse_net(value) {
                        Some(net) => {
                            list.ips.insert(net);
                            list.entries += 1;
                        }
                        None => errors.push(ListError {
                            file: file.to_path_buf(),
                            line,
                            message: format!(
                                "list {:?}: {value:?} is not an IP address or CIDR",
                                spec.name
                            ),
                        }),
                    },
                    ListKind::Str => {
                        list.strs.insert(value.into());
                        list.entries += 1;
                    }
                };
            for (i, e) in spec.entries.iter().enumerate() {
                add(e, &spec.defined_in, i + 1, &mut errors);
            }
            if let Some(file) = &spec.file {
                match std::fs::read_to_string(file) {
                    Ok(text) => {
                        for (i, line) in text.lines().enumerate() {
                            if let Some(v) = entry_of(line) {
                                add(v, file, i + 1, &mut errors);
                            }
                        }
                    }
                    Err(e) => errors.push(ListError {
                        file: file.clone(),
                        line: 0,
                        message: format!("list {:?}: cannot read: {e}", spec.name),
                    }),
                }
            }
            lists.push(list);
        }
        // The pack's lists exist in every configuration, empty unless declared.
        for (name, kind) in crate::pack::LISTS {
            if !lists.iter().any(|l| &*l.name == *name) {
                lists.push(List {
                    name: Arc::from(*name),
                    kind: *kind,
                    ips: Ips::default(),
                    strs: HashSet::new(),
                    entries: 0,
                });
            }
        }
        if errors.is_empty() {
            let filled = lists
                .iter()
                .take(64)
                .enumerate()
                .filter(|(_, l)| l.entries > 0)
                .fold(0, |m, (i, _)| m | 1 << i);
            Ok(ListSet {
                lists,
                dynamic,
                filled,
            })
        } else {
            Err(errors)
        }
    }

    pub fn empty(dynamic: Arc<DynamicLists>) -> ListSet {
        ListSet {
            lists: Vec::new(),
            dynamic,
            filled: 0,
        }
    }

    pub fn resolve(&self, name: &str) -> Option<ListRef> {
        self.lists
            .iter()
            .position(|l| &*l.name == name)
            .map(|index| ListRef {
                index,
                kind: self.lists[index].kind,
            })
    }

    /// Which of the first 64 lists may have entries (bit = index), for [`Need::lists`]:
    /// those filled from config or files, and all of them while any list has run-time
    /// entries.
    ///
    /// [`Need::lists`]: crate::expr::Need
    pub fn filled(&self) -> u64 {
        if self.dynamic.any() {
            u64::MAX
        } else {
            self.filled
        }
    }

    pub fn contains_ip(&self, index: usize, ip: IpAddr, now: Instant) -> bool {
        let l = &self.lists[index];
        l.ips.contains(ip)
            || self
                .dynamic
                .contains(&l.name, now, |e| e.net.is_some_and(|n| n.contains(&ip)))
    }

    pub fn contains_str(&self, index: usize, s: &str, now: Instant) -> bool {
        let l = &self.lists[index];
        l.strs.contains(s) || self.dynamic.contains(&l.name, now, |e| e.value == s)
    }

    /// (name, kind, entries from config and files) of every list.
    pub fn summary(&self) -> Vec<(Arc<str>, ListKind, usize)> {
        self.lists
            .iter()
            .map(|l| (l.name.clone(), l.kind, l.entries))
            .collect()
    }

    pub fn dynamic(&self) -> &Arc<DynamicLists> {
        &self.dynamic
    }

    #[cfg(test)]
    pub(crate) fn for_tests() -> ListSet {
        let specs = [
            ListSpec {
                name: "bad-ips".into(),
                kind: ListKindConfig::Ip,
                file: None,
                entries: vec!["10.0.0.0/8".into()],
                defined_in: "t.yaml".into(),
            },
            ListSpec {
                name: "bad-users".into(),
                kind: ListKindConfig::String,
                file: None,
                entries: vec!["mallory".into()],
                defined_in: "t.yaml".into(),
            },
        ];
        ListSet::load(&specs, Arc::default()).unwrap_or_else(|_| unreachable!())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn netset_file_longest_prefix_and_errors() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "# FireHOL-style header\n;comment\n\n192.0.2.0/24\n198.51.100.7 # host\n2001:db8::/32\n").unwrap();
        let spec = ListSpec {
            name: "intel".into(),
            kind: ListKindConfig::Ip,
            file: Some(f.path().to_path_buf()),
            entries: vec![],
            defined_in: "t.yaml".into(),
        };
        let set = ListSet::load(std::slice::from_ref(&spec), Arc::default()).unwrap();
        let i = set.resolve("intel").unwrap().index;
        let now = Instant::now();
        for (ip, want) in [
            ("192.0.2.200", true),
            ("192.0.3.1", false),
            ("198.51.100.7", true),
            ("198.51.100.8", false),
            ("2001:db8::1", true),
            ("::ffff:192.0.2.1", true),
        ] {
            assert_eq!(set.contains_ip(i, ip.parse().unwrap(), now), want, "{ip}");
        }
        assert_eq!(set.summary()[0].2, 3);

        writeln!(f, "not-an-ip").unwrap();
        let errs = ListSet::load(&[spec], Arc::default()).err().unwrap();
        assert_eq!(errs[0].line, 8);
        assert!(errs[0].message.contains("not-an-ip"));
    }

    #[test]
    fn dynamic_entries_expire_and_are_removable() {
        let dynamic = Arc::new(DynamicLists::default());
        let set = ListSet::load(
            &[ListSpec {
                name: "deny".into(),
                kind: ListKindConfig::Ip,
                file: None,
                entries: vec![],
                defined_in: "t.yaml".into(),
            }],
            dynamic.clone(),
        )
        .unwrap();
        let i = set.resolve("deny").unwrap().index;
        let ip: IpAddr = "203.0.113.9".parse().unwrap();
        let now = Instant::now();
        assert!(!set.contains_ip(i, ip, now));
        assert_eq!(
            set.filled(),
            0,
            "no entries anywhere: every lookup is skipped"
        );
        dynamic
            .add(
                "deny",
                "203.0.113.0/24",
                ListKind::Ip,
                Some(Duration::from_secs(60)),
            )
            .unwrap();
        assert!(set.contains_ip(i, ip, now));
        assert_ne!(set.filled() & 1 << i, 0, "a run-time entry is looked up");
        assert!(
            !set.contains_ip(i, ip, now + Duration::from_secs(61)),
            "expired"
        );
        assert!(dynamic.remove("deny", "203.0.113.0/24"));
        assert!(!set.contains_ip(i, ip, now));
        assert_eq!(set.filled(), 0, "the last entry removed");
        assert!(dynamic.add("deny", "nope", ListKind::Ip, None).is_err());
    }

    #[test]
    fn a_million_entries_load_and_answer() {
        let specs = [ListSpec {
            name: "big".into(),
            kind: ListKindConfig::Ip,
            file: None,
            entries: (0..1_000_000u32)
                .map(|i| std::net::Ipv4Addr::from(0x0a00_0000 + i * 2).to_string())
                .collect(),
            defined_in: "t.yaml".into(),
        }];
        let set = ListSet::load(&specs, Arc::default()).unwrap();
        let now = Instant::now();
        assert!(set.contains_ip(0, "10.0.0.2".parse().unwrap(), now));
        assert!(!set.contains_ip(0, "10.0.0.3".parse().unwrap(), now));
        assert_eq!(set.summary()[0].2, 1_000_000);
        assert_eq!(set.filled() & 1, 1, "entries from config are looked up");
    }
}
