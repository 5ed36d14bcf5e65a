//! Why `idtok` stops: one line on stderr and an exit code.

use idtok_client::{CallError, CallErrorKind};

/// Exit codes: 0 success, 1 the service answered with an error, 2 usage or configuration error,
/// 3 network failure or timeout.
pub mod exit {
    pub const SERVICE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NETWORK: u8 = 3;
}

/// Why `idtok` stops, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    /// The line printed after `idtok: `.
    pub message: String,
    /// One of [`exit`]'s codes.
    pub code: u8,
}

impl Failure {
    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: exit::USAGE,
        }
    }

    /// The service answered with an error (exit 1).
    pub fn service(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: exit::SERVICE,
        }
    }
}

impl From<CallError> for Failure {
    fn from(error: CallError) -> Self {
        let code = match error.kind {
            CallErrorKind::Service | CallErrorKind::Response => exit::SERVICE,
            CallErrorKind::Request => exit::USAGE,
            CallErrorKind::Network => exit::NETWORK,
        };
        Self {
            message: error.to_string(),
            code,
        }
    }
}
