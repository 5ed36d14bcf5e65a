//! Alibaba Cloud IDaaS EIAM, API version 2021-12-01: `openapi/eiam-2021-12-01.yaml`.
//!
//! An RPC API: the document gives each action a pseudo-path (`POST /ListApplicationTokens`) because
//! OpenAPI cannot put several operations on one path. The hooks below rewrite each request to what
//! the service and the official SDK use (`src/rpc.rs`): `POST /`, parameters in the query string,
//! the action in `x-acs-action` and the version in `x-acs-version`; then sign it with
//! ACS3-HMAC-SHA256.

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use std::time::SystemTime;

use idtok_runtime::credentials::AlibabaCredentials;
use idtok_runtime::signing::{acs3, acs3_date};

use crate::rpc::RpcAction;

/// What the hooks of a [`Client`] need besides the request: AccessKey credentials, the clock and
/// nonce of the signature, retries and timeouts.
pub type ClientContext = crate::ClientContext<AlibabaCredentials>;

crate::family_client!();

/// Signs a request with ACS3-HMAC-SHA256 (shared/reference/wire.md): adds `host`, `x-acs-date`,
/// `x-acs-signature-nonce`, `x-acs-content-sha256` (and the STS headers), signs `host` and every
/// `x-acs-*` header, sends the query string exactly as signed, and sets `Authorization`.
pub(crate) fn sign(
    request: &mut reqwest::Request,
    rpc: &RpcAction,
    credentials: &AlibabaCredentials,
    now: SystemTime,
    nonce: String,
) -> Result<(), String> {
    crate::check_url(request)?;
    let host = crate::host_header(request.url())?;
    let payload = crate::body_sha256(request)?;
    let date = acs3_date(now);
    let token = credentials
        .security_token
        .as_ref()
        .map(|t| t.expose_secret());
    // Every header that goes out and must be signed: host and all x-acs-* (the STS pair included).
    // RPC requests have no body, so there is no content-type to sign.
    let mut signed = vec![
        ("host", host.as_str()),
        ("x-acs-action", rpc.action),
        ("x-acs-content-sha256", payload.as_str()),
        ("x-acs-date", date.as_str()),
        ("x-acs-signature-nonce", nonce.as_str()),
        ("x-acs-version", rpc.version),
    ];
    if let Some(token) = token {
        signed.push(("x-acs-security-token", token));
        signed.push(("x-acs-accesskey-id", &credentials.access_key_id));
    }
    let signature = crate::with_query_pairs(request.url(), |query| {
        acs3::sign(
            &credentials.access_key_id,
            credentials.access_key_secret.expose_secret(),
            &acs3::Acs3Request {
                method: request.method().as_str(),
                canonical_uri: request.url().path(),
                query,
                headers: &signed,
                hashed_payload: &payload,
            },
        )
    });

    crate::send_query_as_signed(request, &signature.canonical_query);
    if let Some(token) = token {
        crate::set_header(
            request,
            crate::header_names::X_ACS_SECURITY_TOKEN,
            token.to_owned(),
            true,
        )?;
        crate::set_header(
            request,
            crate::header_names::X_ACS_ACCESSKEY_ID,
            credentials.access_key_id.clone(),
            false,
        )?;
    }
    crate::set_header(request, crate::header_names::HOST, host, false)?;
    crate::set_header(request, crate::header_names::X_ACS_DATE, date, false)?;
    crate::set_header(
        request,
        crate::header_names::X_ACS_SIGNATURE_NONCE,
        nonce,
        false,
    )?;
    crate::set_header(
        request,
        crate::header_names::X_ACS_CONTENT_SHA256,
        payload,
        false,
    )?;
    crate::set_header(
        request,
        crate::header_names::AUTHORIZATION,
        signature.authorization,
        true,
    )
}

impl crate::send::Family for Client {
    type ErrorBody = idtok_eiam_models::ErrorResponse;
    const IDEMPOTENT: &'static [&'static str] = IDEMPOTENT_OPERATIONS;
    const SECRET_QUERY_KEYS: &'static [&'static str] = SECRET_QUERY_KEYS;

    /// The RPC rewrite: `POST /` with the action headers.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        crate::rpc::to_wire(request, crate::rpc::action(RPC_ACTIONS, operation_id)?)
    }

    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        if UNSIGNED_OPERATIONS.contains(&operation_id) {
            return crate::check_url(request);
        }
        let rpc = crate::rpc::action(RPC_ACTIONS, operation_id)?;
        let context = &self.inner;
        let credentials = context
            .credentials
            .provide()
            .await
            .map_err(|e| e.to_string())?;
        sign(
            request,
            rpc,
            &credentials,
            context.clock.now(),
            context.nonce.nonce(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_document_has_its_action() {
        let rpc = crate::rpc::action(RPC_ACTIONS, "list_application_tokens").unwrap();
        assert_eq!(
            (rpc.action, rpc.version, rpc.method, rpc.path),
            ("ListApplicationTokens", "2021-12-01", "POST", "/")
        );
        assert_eq!(
            crate::rpc::action(RPC_ACTIONS, "obtain_application_client_secret")
                .unwrap()
                .pseudo_path,
            "/ObtainApplicationClientSecret"
        );
    }
}
