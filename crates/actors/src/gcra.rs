//! GCRA (generic cell rate algorithm): one `u64` per key, the theoretical arrival time (TAT),
//! updated with a compare-and-swap. N events per window are allowed, spread or in one burst.

use std::sync::atomic::{AtomicU64, Ordering};
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

pub(crate) fn peek(cell: &AtomicU64, q: Quota, now: u64) -> RateOutcome {
    let tat = cell.load(Ordering::Acquire).max(now);
    verdict(tat, q, now)
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

pub(crate) fn consume(cell: &AtomicU64, q: Quota, now: u64) -> RateOutcome {
    let mut current = cell.load(Ordering::Acquire);
    loop {
        let tat = current.max(now);
        if let RateOutcome::Limited { retry_after } = verdict(tat, q, now) {
            return RateOutcome::Limited { retry_after };
        }
        let next = tat.saturating_add(q.interval());
        match cell.compare_exchange_weak(current, next, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return RateOutcome::Allowed,
            Err(actual) => current = actual,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let cell = AtomicU64::new(0);
        let q = Quota::new(5, Duration::from_secs(10));
        let t0 = 1_000_000_000u64;
        for _ in 0..5 {
            assert_eq!(consume(&cell, q, t0), RateOutcome::Allowed);
        }
        match consume(&cell, q, t0) {
            RateOutcome::Limited { retry_after } => assert_eq!(retry_after, Duration::from_secs(2)),
            other => panic!("{other:?}"),
        }
        assert_eq!(peek(&cell, q, t0 + 2_000_000_000), RateOutcome::Allowed);
    }
}
