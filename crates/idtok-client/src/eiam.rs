//! Alibaba Cloud IDaaS EIAM, API version 2021-12-01: `openapi/eiam-2021-12-01/`.
//!
//! An RPC API: the document gives each action a pseudo-path (`POST /ListApplicationTokens`) because
//! OpenAPI cannot put several operations on one path. The hooks below rewrite each request to what
//! the service and the official SDK use (`src/rpc.rs`): `POST /`, parameters in the query string,
//! the action in `x-acs-action` and the version in `x-acs-version`; then sign it with
//! ACS3-HMAC-SHA256 (also `src/rpc.rs`, which STS shares).

#[allow(
    clippy::all,
    clippy::pedantic,
    rustdoc::all,
    unused_imports,
    missing_docs
)]
// As generated (prettyplease): `cargo fmt` leaves it alone, as `cargo xtask gen` does not run rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;

// The generated side of the family contract (`crate::send::Generated`), for `Self::...`.
use crate::send::Generated as _;

use idtok_runtime::credentials::AlibabaCredentials;

/// What the hooks of a [`Client`] need besides the request: AccessKey credentials, the clock and
/// nonce of the signature, retries and timeouts.
pub type ClientContext = crate::ClientContext<AlibabaCredentials>;

impl crate::send::Family for Client {
    /// The RPC rewrite: `POST /` with the action headers.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        crate::rpc::to_wire(request, Self::rpc(operation_id)?)
    }

    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        if Self::unsigned(operation_id) {
            return crate::check_url(request);
        }
        let rpc = Self::rpc(operation_id)?;
        crate::rpc::sign_acs3_in(&self.inner, request, rpc).await
    }
}
