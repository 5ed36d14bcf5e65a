//! Client of the Huawei Cloud Identity Center identity store, API v1: `openapi/identitystore-v1.yaml`.
//!
//! A REST API signed with an AK/SK pair (SDK-HMAC-SHA256).

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use progenitor_client::{ClientHooks, OperationInfo};

/// What the hooks of a [`Client`] need besides the request.
#[derive(Debug, Clone, Default)]
pub struct ClientContext {}

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _: &OperationInfo,
    ) -> Result<(), Error<E>> {
        crate::remove_generator_headers(request);
        Ok(())
    }
}
