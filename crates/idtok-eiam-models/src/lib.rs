//! Request and response types of Alibaba Cloud IDaaS EIAM, API version 2021-12-01 (RPC).
//!
//! Everything in `generated.rs` comes from `openapi/eiam-2021-12-01/` through `cargo xtask gen` (typify);
//! change the document, not the generated code. Every type derives serde's traits and
//! `schemars::JsonSchema`; secrets (`format: password` in the document) are
//! [`SecretString`], which `Debug` never prints.

// Generated code is not written for clippy or rustdoc; the tests check it instead.
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
// As generated (prettyplease): `cargo fmt` leaves it alone, as `cargo xtask gen` does not run rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;
pub use idtok_secret::SecretString;
