//! Request and response types of Alibaba Cloud STS (Security Token Service), API version
//! 2015-04-01 (RPC).
//!
//! Everything in `generated.rs` comes from `openapi/sts-2015-04-01/` through `cargo xtask gen` (typify);
//! change the document, not the generated code. Every type derives serde's traits and
//! `schemars::JsonSchema`; secrets (`format: password` in the document: the AccessKey secret and the
//! security token of an STS token) are [`SecretString`], which `Debug`
//! never prints.

// Generated code is not written for clippy or rustdoc; the tests check it instead.
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
// As generated (prettyplease): `cargo fmt` leaves it alone, as `cargo xtask gen` does not run rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use idtok_secret::SecretString;
