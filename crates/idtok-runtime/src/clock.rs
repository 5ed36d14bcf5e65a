//! Where a signature's date and nonce come from. Injectable, so tests can pin them.

use std::fmt;
use std::time::SystemTime;

/// The current time, for `x-acs-date` and `X-Sdk-Date`.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The time to date the next signature with.
    fn now(&self) -> SystemTime;
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Always the same instant (tests).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// A value unique to each request, for `x-acs-signature-nonce`.
pub trait NonceSource: Send + Sync + fmt::Debug {
    /// A nonce never handed out before.
    fn nonce(&self) -> String;
}

/// 32 lower-case hex characters, unique per request: 64 random bits drawn once per process, then
/// a 64-bit counter. The nonce must never repeat (the service rejects a replay); it need not be
/// secret. Drawing the random half once saves a system call per request.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::OnceLock;
        static PROCESS: OnceLock<u64> = OnceLock::new();
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let process = *PROCESS.get_or_init(|| {
            let mut bytes = [0u8; 8];
            // The operating system's generator; without it there is no safe nonce to send.
            getrandom::fill(&mut bytes)
                .expect("the operating system's random number generator is unavailable");
            u64::from_le_bytes(bytes)
        });
        let count = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut nonce = String::with_capacity(32);
        for half in [process, count] {
            for shift in (0..16).rev() {
                let digit = ((half >> (shift * 4)) & 0xf) as u32;
                nonce.push(char::from_digit(digit, 16).unwrap_or('0'));
            }
        }
        nonce
    }
}

/// Always the same nonce (tests). Real requests need [`RandomNonce`].
#[derive(Debug, Clone)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_nonces_are_32_hex_characters_and_differ() {
        let (a, b) = (RandomNonce.nonce(), RandomNonce.nonce());
        assert_eq!(a.len(), 32);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{a}"
        );
        assert_ne!(a, b);
    }
}
