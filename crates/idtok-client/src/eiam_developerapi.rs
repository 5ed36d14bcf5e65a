//! Client of the Alibaba Cloud IDaaS developer API, version 2022-02-25: `openapi/eiam-developerapi-2022-02-25.yaml`.
//!
//! A REST API authorized with an IDaaS access token (`Authorization: Bearer`).

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
