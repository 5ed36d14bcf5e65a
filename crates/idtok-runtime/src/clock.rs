//! Where a signature's date and nonce come from. Injectable, so tests can pin them.

use std::fmt;
use std::time::SystemTime;

/// The current time, for `x-acs-date` and `X-Sdk-Date`.
pub trait Clock: Send + Sync + fmt::Debug {
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
    fn nonce(&self) -> String;
}

/// 128 random bits as 32 lower-case hex characters, as the official SDK sends.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut bytes = [0u8; 16];
        // The operating system's generator; if it is unavailable there is no safe nonce to send.
        getrandom::fill(&mut bytes)
            .expect("the operating system's random number generator is unavailable");
        let mut out = String::with_capacity(32);
        for b in bytes {
            out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
            out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
        }
        out
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
