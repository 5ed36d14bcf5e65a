//! When to send a request again, and how long to wait first; and how long any call may take.
//!
//! Pure decisions, no I/O: the clients' send loop (`idtok_client`) asks these functions. What is
//! retried follows the most trusted cloud SDKs (AWS's standard mode, Alibaba's Darabonba runtime):
//! throttling, 5xx and connection failures, with bounded exponential backoff and full jitter, a
//! server's own `Retry-After` / `x-acs-retry-after` honoured, and only for operations that are safe
//! to repeat (which each document says, with `x-idempotent`).

use std::time::{Duration, SystemTime};

/// How often, and with what waits, a failed call is sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub max_attempts: u32,
    /// The cap of the first wait; each further retry doubles it.
    pub initial_backoff: Duration,
    /// No computed wait exceeds this (a server's `Retry-After` may ask for longer).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, waits drawn from up to 200 ms, 400 ms, ..., at most 20 s: AWS's standard
    /// mode, with a shorter base for these low-latency identity APIs.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// One attempt, never a retry.
    pub fn no_retries() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (1 for the first retry), for a `unit` drawn uniformly
    /// from [0, 1): "full jitter", uniform in [0, min(max_backoff, initial_backoff * 2^(retry-1))],
    /// so that clients throttled together do not come back together.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff);
        cap.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// How long a call may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// To open a connection.
    pub connect: Duration,
    /// One attempt, from sending until the whole response body is read.
    pub per_attempt: Duration,
    /// The whole call, every attempt and wait included; no retry starts that could not finish
    /// its wait within it.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            per_attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}

/// Whether an answer asks to be retried: HTTP 429, any 5xx, or Alibaba's `Throttling*` codes
/// (which arrive with HTTP 400, as `Throttling`, `Throttling.User`, `Throttling.Api`...).
pub fn retryable_answer(status: u16, vendor_code: Option<&str>) -> bool {
    status == 429
        || (500..=599).contains(&status)
        || vendor_code.is_some_and(|c| c.starts_with("Throttling"))
}

/// How long the server asked to wait: Alibaba's `x-acs-retry-after` (milliseconds, as the
/// Darabonba runtime reads it) or the standard `Retry-After` (seconds, or an HTTP date). Values
/// that are zero, negative or unreadable ask for nothing.
pub fn server_retry_after(
    retry_after: Option<&str>,
    acs_retry_after: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    if let Some(ms) = acs_retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
        if ms > 0 {
            return Some(Duration::from_millis(ms));
        }
    }
    let value = retry_after?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return (seconds > 0).then(|| Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    at.duration_since(now).ok().filter(|d| !d.is_zero())
}

/// A number drawn uniformly from [0, 1) for [`RetryPolicy::backoff`], from the OS's generator.
pub fn jitter_unit() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // No randomness: the whole cap, the conservative wait.
        return 1.0 - f64::EPSILON;
    }
    // 53 random bits: every value exactly representable.
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_its_cap_up_to_the_maximum_and_jitters_below_it() {
        let policy = RetryPolicy::default();
        let caps: Vec<u128> = (1..=9)
            .map(|retry| policy.backoff(retry, 1.0).as_millis())
            .collect();
        assert_eq!(caps, [200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000]);
        assert_eq!(policy.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff(3, 0.5), Duration::from_millis(400));
        // A huge retry number neither overflows nor panics.
        assert_eq!(policy.backoff(u32::MAX, 0.5), Duration::from_secs(10));
    }

    #[test]
    fn throttling_5xx_and_429_are_retryable_other_errors_are_not() {
        assert!(retryable_answer(429, None));
        assert!(retryable_answer(500, None));
        assert!(retryable_answer(503, Some("ServiceUnavailable")));
        assert!(retryable_answer(400, Some("Throttling.User")));
        assert!(retryable_answer(400, Some("Throttling")));
        assert!(!retryable_answer(400, Some("InvalidParameter")));
        assert!(!retryable_answer(403, Some("NoPermission")));
        assert!(!retryable_answer(404, None));
        assert!(!retryable_answer(200, None));
    }

    #[test]
    fn server_waits_in_milliseconds_seconds_or_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            server_retry_after(None, Some(" 80 "), now),
            Some(Duration::from_millis(80))
        );
        // x-acs-retry-after wins over Retry-After.
        assert_eq!(
            server_retry_after(Some("7"), Some("2000"), now),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_retry_after(Some("7"), None, now),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            server_retry_after(Some(&later), None, now),
            Some(Duration::from_secs(30))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        for (header, acs) in [
            (Some(past.as_str()), None),
            (Some("0"), Some("0")),
            (Some("soon"), Some("-5")),
            (Some(""), None),
            (None, None),
        ] {
            assert_eq!(
                server_retry_after(header, acs, now),
                None,
                "{header:?} {acs:?}"
            );
        }
    }

    #[test]
    fn jitter_is_a_unit_fraction() {
        for _ in 0..1000 {
            let u = jitter_unit();
            assert!((0.0..1.0).contains(&u), "{u}");
        }
    }
}
