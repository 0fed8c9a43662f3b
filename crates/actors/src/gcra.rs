//! GCRA (generic cell rate algorithm): one `u64` per key, the theoretical arrival time (TAT),
//! updated under its shard's lock (`cells.rs`). N events per window are allowed, spread or in one burst.

use std::time::Duration;

/// At most `max` events per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    max: u32,
    window: Duration,
}

impl Quota {
    /// `max` of 0 is read as 1.
    pub fn new(max: u32, window: Duration) -> Self {
        Quota {
            max: max.max(1),
            window,
        }
    }

    fn interval(self) -> u64 {
        u64::try_from(self.window.as_nanos() / u128::from(self.max)).unwrap_or(u64::MAX)
    }

    fn tolerance(self) -> u64 {
        u64::try_from(self.window.as_nanos())
            .unwrap_or(u64::MAX)
            .saturating_sub(self.interval())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateOutcome {
    Allowed,
    /// Over the limit; one more event fits after `retry_after`.
    Limited {
        retry_after: Duration,
    },
}

/// Would one more event be allowed on this TAT (0 for a key never seen)? Does not count it.
pub(crate) fn peek(tat: u64, q: Quota, now: u64) -> RateOutcome {
    verdict(tat.max(now), q, now)
}

/// One event on a TAT read by the caller: the new TAT when it is allowed.
pub(crate) fn step(tat: u64, q: Quota, now: u64) -> Result<u64, RateOutcome> {
    let tat = tat.max(now);
    match verdict(tat, q, now) {
        RateOutcome::Allowed => Ok(tat.saturating_add(q.interval())),
        limited => Err(limited),
    }
}

fn verdict(tat: u64, q: Quota, now: u64) -> RateOutcome {
    let ahead = tat - now;
    if ahead > q.tolerance() {
        RateOutcome::Limited {
            retry_after: Duration::from_nanos(ahead - q.tolerance()),
        }
    } else {
        RateOutcome::Allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let mut tat = 0;
        let q = Quota::new(5, Duration::from_secs(10));
        let t0 = 1_000_000_000u64;
        for _ in 0..5 {
            tat = step(tat, q, t0).expect("within the burst");
        }
        match step(tat, q, t0) {
            Err(RateOutcome::Limited { retry_after }) => {
                assert_eq!(retry_after, Duration::from_secs(2))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(peek(tat, q, t0), RateOutcome::Limited { .. }));
        assert_eq!(peek(tat, q, t0 + 2_000_000_000), RateOutcome::Allowed);
    }
}
