//! Client of the Alibaba Cloud IDaaS developer API, version 2022-02-25:
//! `openapi/eiam-developerapi-2022-02-25.yaml`.
//!
//! A REST API authorized with an access token that IDaaS issued: the hook below sends
//! `Authorization: Bearer <token>`; nothing is signed. Operations the document marks
//! `security: []` are sent without it.

mod access_token;
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

pub use access_token::{ClientCredentialsProvider, DEFAULT_REFRESH_MARGIN};
pub use generated::*;

// The generated side of the family contract (`crate::send::Generated`), for `Self::...`.
use crate::send::Generated as _;

use idtok_runtime::credentials::AccessToken;

/// What the hooks of a [`Client`] need besides the request: where the access token comes from,
/// retries and timeouts.
pub type ClientContext = crate::ClientContext<AccessToken>;

impl crate::send::Family for Client {
    /// `x-acs-action: <operationId>` and `x-acs-version: 2022-02-25` on every request, as the
    /// official SDK sends them (the document's `x-acs-action-headers`).
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        match &Self::ACTION_HEADERS {
            Some(headers) => headers.set(request, operation_id),
            None => Ok(()),
        }
    }

    /// Nothing is signed: the bearer token is set (again, in case the provider renewed it).
    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        crate::check_url(request)?;
        if Self::unsigned(operation_id) {
            return Ok(());
        }
        let token = self
            .inner
            .credentials
            .provide()
            .await
            .map_err(|e| e.to_string())?;
        let bearer = format!("Bearer {}", token.token.expose_secret());
        crate::set_header(request, crate::header_names::AUTHORIZATION, bearer, true)
    }
}
