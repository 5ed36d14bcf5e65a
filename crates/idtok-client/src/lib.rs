//! Clients of the three API families, one module each, generated from `openapi/` by progenitor
//! (builder interface) over the model crates' types.
//!
//! In each module, `generated.rs` is `cargo xtask gen`'s output and is never edited by hand; the
//! module file beside it holds the hooks (`ClientHooks`) that make the request what the service
//! expects on the wire.

pub mod eiam;
pub mod eiam_developerapi;
pub mod identitystore;

/// progenitor adds `api-version: <info.version>` to every request; none of the vendors' SDKs send
/// it, so it is taken off before the request leaves.
pub(crate) fn remove_generator_headers(request: &mut reqwest::Request) {
    request.headers_mut().remove("api-version");
}
