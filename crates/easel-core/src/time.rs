//! Time as an input: the engine never reads a clock; callers pass `now`.

use std::fmt;

/// An instant, in milliseconds since the Unix epoch.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Time(pub i64);

/// One second, in milliseconds.
pub const SECOND_MS: i64 = 1_000;
/// One day, in milliseconds.
pub const DAY_MS: i64 = 86_400 * SECOND_MS;

impl Time {
    /// The instant `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Time {
        Time(ms)
    }

    /// The instant `secs` seconds after the epoch.
    pub const fn from_secs(secs: i64) -> Time {
        Time(secs.saturating_mul(SECOND_MS))
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Milliseconds from `earlier` to `self` (negative if `earlier` is later).
    pub const fn since(self, earlier: Time) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `self` plus whole days.
    pub const fn plus_days(self, days: i64) -> Time {
        Time(self.0.saturating_add(days.saturating_mul(DAY_MS)))
    }

    /// Parses the scenario spelling `day N` or `day N HH:MM` (days since the epoch), or a
    /// plain number of milliseconds.
    pub fn parse(text: &str) -> Option<Time> {
        let text = text.trim();
        if let Ok(ms) = text.parse::<i64>() {
            return Some(Time(ms));
        }
        let rest = text.strip_prefix("day ")?;
        let (day, clock) = match rest.split_once(' ') {
            Some((d, c)) => (d, Some(c)),
            None => (rest, None),
        };
        let day: i64 = day.parse().ok()?;
        let mut ms = day.checked_mul(DAY_MS)?;
        if let Some(clock) = clock {
            let (h, m) = clock.split_once(':')?;
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            if !(0..24).contains(&h) || !(0..60).contains(&m) {
                return None;
            }
            ms += (h * 3600 + m * 60) * SECOND_MS;
        }
        Some(Time(ms))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}
