//! Time-boxed marks on actors: blocked (by a `block_actor` policy or the admin API) and
//! deceived (answered with a fake success, kept in the deception). Bounded like all state.

use crate::ActorKey;
use moka::sync::Cache;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Blocked,
    Deceived,
}

/// One mark, as listed by the admin API.
#[derive(Clone, Debug, Serialize)]
pub struct Mark {
    pub actor: String,
    pub kind: MarkKind,
    /// Unix seconds when the mark lapses.
    pub expires_at: u64,
    /// The policy id or `admin` that set it.
    pub by: String,
    #[serde(skip)]
    until: Instant,
}

pub struct Marks {
    cells: Cache<(ActorKey, MarkKind), Mark>,
    /// Per kind, the latest instant any mark of it runs until (nanoseconds after `base`):
    /// past it no mark of that kind is live, and [`Marks::has`] answers without a lookup.
    /// Nearly every request asks; marks are rare.
    latest: [AtomicU64; 2],
    base: Instant,
}

impl Marks {
    /// At most `capacity` marks; none outlives `max_ttl`.
    pub fn new(capacity: u64, max_ttl: Duration) -> Self {
        Marks {
            cells: Cache::builder()
                .max_capacity(capacity)
                .time_to_live(max_ttl)
                .build(),
            latest: [AtomicU64::new(0), AtomicU64::new(0)],
            // Early enough that callers' instants (a test clock started before this) fall
            // after it; an instant before it would read as `base` and could hide a mark.
            base: Instant::now()
                .checked_sub(Duration::from_secs(86_400))
                .unwrap_or_else(Instant::now),
        }
    }

    pub fn set(&self, key: &ActorKey, kind: MarkKind, ttl: Duration, by: &str, now: Instant) {
        let expires_at = (SystemTime::now() + ttl)
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.latest[kind as usize].fetch_max(self.nanos(now + ttl), Ordering::Release);
        self.cells.insert(
            (key.clone(), kind),
            Mark {
                actor: key.to_string(),
                kind,
                expires_at,
                by: by.to_string(),
                until: now + ttl,
            },
        );
    }

    /// Removes a mark; false when there was none.
    pub fn clear(&self, key: &ActorKey, kind: MarkKind) -> bool {
        self.cells.remove(&(key.clone(), kind)).is_some()
    }

    pub fn has(&self, key: &ActorKey, kind: MarkKind, now: Instant) -> bool {
        if self.nanos(now) >= self.latest[kind as usize].load(Ordering::Acquire) {
            return false;
        }
        self.cells
            .get(&(key.clone(), kind))
            .is_some_and(|m| m.until > now)
    }

    /// Live marks, newest expiry first.
    fn nanos(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.base).as_nanos()).unwrap_or(u64::MAX)
    }

    pub fn list(&self, now: Instant) -> Vec<Mark> {
        let mut v: Vec<Mark> = self
            .cells
            .iter()
            .map(|(_, m)| m)
            .filter(|m| m.until > now)
            .collect();
        v.sort_by_key(|m| std::cmp::Reverse(m.expires_at));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_expire_and_clear() {
        let m = Marks::new(100, Duration::from_secs(3600));
        let a: ActorKey = "ip:203.0.113.5".parse().unwrap();
        let now = Instant::now();
        assert!(!m.has(&a, MarkKind::Blocked, now));
        m.set(&a, MarkKind::Blocked, Duration::from_secs(60), "admin", now);
        assert!(m.has(&a, MarkKind::Blocked, now));
        assert!(!m.has(&a, MarkKind::Deceived, now));
        assert!(!m.has(&a, MarkKind::Blocked, now + Duration::from_secs(61)));
        assert_eq!(m.list(now)[0].actor, "ip:203.0.113.5");
        assert!(m.clear(&a, MarkKind::Blocked));
        assert!(!m.has(&a, MarkKind::Blocked, now));
        assert!(!m.clear(&a, MarkKind::Blocked));
        // A later, longer mark of another actor: the first one's expiry does not hide it.
        let b: ActorKey = "ip:203.0.113.6".parse().unwrap();
        m.set(
            &a,
            MarkKind::Deceived,
            Duration::from_secs(10),
            "policy",
            now,
        );
        m.set(
            &b,
            MarkKind::Deceived,
            Duration::from_secs(600),
            "policy",
            now,
        );
        assert!(!m.has(&a, MarkKind::Deceived, now + Duration::from_secs(11)));
        assert!(m.has(&b, MarkKind::Deceived, now + Duration::from_secs(11)));
        assert!(!m.has(&b, MarkKind::Blocked, now + Duration::from_secs(11)));
    }
}
