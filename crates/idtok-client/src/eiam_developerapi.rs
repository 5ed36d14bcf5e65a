//! Client of the Alibaba Cloud IDaaS developer API, version 2022-02-25:
//! `openapi/eiam-developerapi-2022-02-25.yaml`.
//!
//! A REST API authorized with an access token that IDaaS issued: the hook below sends
//! `Authorization: Bearer <token>`; nothing is signed. Operations the document marks
//! `security: []` are sent without it.

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use std::sync::Arc;

use idtok_runtime::credentials::{AccessToken, Environment, ProvideCredentials};
use idtok_runtime::endpoint::Endpoint;
use progenitor_client::{ClientHooks, OperationInfo};

/// What the hooks of a [`Client`] need besides the request: where the access token comes from.
#[derive(Debug, Clone)]
pub struct ClientContext {
    access_token: Arc<dyn ProvideCredentials<AccessToken>>,
}

impl ClientContext {
    /// Authorizes with the tokens `access_token` gives (for example
    /// `StaticCredentials(AccessToken::new(token))`).
    pub fn new(access_token: impl ProvideCredentials<AccessToken> + 'static) -> Self {
        Self {
            access_token: Arc::new(access_token),
        }
    }

    /// The access token from `IDAAS_ACCESS_TOKEN`.
    pub fn from_environment() -> Self {
        Self::new(Environment::process())
    }
}

impl Client {
    /// A client for `endpoint` (a region's host or a checked URL), authorized by `context`.
    pub fn from_endpoint(
        endpoint: &Endpoint,
        context: ClientContext,
    ) -> Result<Self, crate::BuildError> {
        Ok(Self::new_with_client(
            endpoint.as_str(),
            crate::http_client()?,
            context,
        ))
    }
}

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        crate::remove_generator_headers(request);
        crate::check_url(request).map_err(Error::Custom)?;
        if UNSIGNED_OPERATIONS.contains(&info.operation_id) {
            return Ok(());
        }
        let token = self
            .inner
            .access_token
            .provide()
            .await
            .map_err(|e| Error::Custom(e.to_string()))?;
        let bearer = format!("Bearer {}", token.token.expose_secret());
        crate::set_header(request, crate::header_names::AUTHORIZATION, bearer, true)
            .map_err(Error::Custom)
    }
}

impl crate::VendorErrorBody for idtok_eiam_developerapi_models::ErrorResponse {
    // The service sends PascalCase or lowerCamelCase keys; the latter land in `extra`.
    fn code(&self) -> Option<String> {
        self.code
            .clone()
            .or_else(|| extra_string(&self.extra, "code"))
    }
    fn message(&self) -> Option<String> {
        self.message
            .clone()
            .or_else(|| extra_string(&self.extra, "message"))
    }
    fn request_id(&self) -> Option<String> {
        self.request_id
            .clone()
            .or_else(|| extra_string(&self.extra, "requestId"))
    }
}

fn extra_string(extra: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    extra
        .get(key)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}
