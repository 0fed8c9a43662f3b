//! Bounded counters for windows from seconds to days: an exponentially decayed sum (one
//! number and a timestamp, whatever the window) and a small ring of recent hashes that
//! tells a new value from one seen lately (a distinct counter that costs 4 bytes a slot).

/// Seconds since the actor store's epoch. `f32` keeps records small; its resolution stays
/// under 0.1 s for the first 19 days of a process and under 1 s for half a year, which is
/// finer than any window here needs.
pub type Secs = f32;

/// A sum whose weight halves every half-life: `get` is "about how many in the last
/// half-life / ln 2". Adding and reading are O(1) and need no buckets.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Decayed {
    v: f32,
    at: Secs,
}

impl Decayed {
    pub fn get(&self, now: Secs, half_life: f32) -> f32 {
        if self.v == 0.0 {
            return 0.0;
        }
        let dt = (now - self.at).max(0.0);
        self.v * (-dt * std::f32::consts::LN_2 / half_life).exp()
    }

    /// Adds `x` now and returns the new value.
    pub fn add(&mut self, x: f32, now: Secs, half_life: f32) -> f32 {
        self.v = self.get(now, half_life) + x;
        self.at = now;
        self.v
    }
}

/// The last `N` distinct 32-bit hashes seen. `insert` says whether a value is new to it.
#[derive(Clone, Copy, Debug)]
pub struct Recent<const N: usize> {
    slots: [u32; N],
    next: u8,
    len: u8,
}

impl<const N: usize> Default for Recent<N> {
    fn default() -> Self {
        Recent {
            slots: [0; N],
            next: 0,
            len: 0,
        }
    }
}

impl<const N: usize> Recent<N> {
    pub fn contains(&self, h: u32) -> bool {
        self.slots[..usize::from(self.len)].contains(&h)
    }

    /// Remembers `h`; true when it was not among the last `N` distinct values.
    pub fn insert(&mut self, h: u32) -> bool {
        if self.contains(h) {
            return false;
        }
        self.slots[usize::from(self.next)] = h;
        self.next = ((usize::from(self.next) + 1) % N) as u8;
        self.len = (usize::from(self.len) + 1).min(N) as u8;
        true
    }

    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// FNV-1a, 64 bit: the hash for keys and ring slots (stable across runs and processes,
/// which a fleet backend needs; strength does not matter for counting).
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Appends `h` as 16 lower-case hex digits: `format!("{h:016x}")` without the formatting
/// machinery, which cost several hundred instructions per request on the keys built for
/// every request.
pub(crate) fn push_hex64(out: &mut String, h: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[((h >> (shift * 4)) & 0xf) as usize]));
    }
}

pub fn hash32(bytes: &[u8]) -> u32 {
    let h = fnv64(bytes);
    (h ^ (h >> 32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_digits_match_format() {
        for h in [0u64, 1, 0xabc, 0xcbf2_9ce4_8422_2325, u64::MAX] {
            let mut s = String::new();
            push_hex64(&mut s, h);
            assert_eq!(s, format!("{h:016x}"));
        }
    }

    #[test]
    fn decays_by_half_each_half_life() {
        let mut d = Decayed::default();
        d.add(8.0, 0.0, 10.0);
        assert!((d.get(10.0, 10.0) - 4.0).abs() < 1e-3);
        assert!((d.get(30.0, 10.0) - 1.0).abs() < 1e-3);
        assert!((d.add(1.0, 10.0, 10.0) - 5.0).abs() < 1e-3);
        // Time never runs backwards for a counter.
        assert!((d.get(5.0, 10.0) - 5.0).abs() < 1e-3);
    }

    #[test]
    fn recent_tells_new_from_seen() {
        let mut r = Recent::<4>::default();
        assert!(r.insert(1) && r.insert(2));
        assert!(!r.insert(1));
        assert!(r.insert(3) && r.insert(4) && r.insert(5));
        assert_eq!(r.len(), 4);
        // 1 was the oldest and has been pushed out.
        assert!(r.insert(1));
    }
}
