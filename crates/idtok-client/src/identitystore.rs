//! Client of the Huawei Cloud Identity Center identity store, API v1: `openapi/identitystore-v1.yaml`.
//!
//! A REST API signed with an AK/SK pair: the hook below signs each request with SDK-HMAC-SHA256
//! and sends `X-Security-Token` for temporary credentials.

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use std::time::SystemTime;

use idtok_runtime::credentials::HuaweiCredentials;
use idtok_runtime::signing::{sdk_date, sdk_hmac};

/// What the hooks of a [`Client`] need besides the request: AK/SK credentials, the clock of the
/// signature, retries and timeouts.
pub type ClientContext = crate::ClientContext<HuaweiCredentials>;

crate::family_client!();

/// Signs a request with SDK-HMAC-SHA256 (shared/reference/wire.md): sets `Content-Type:
/// application/json` (the SDK sends it on every method), `host`, `X-Sdk-Date` and, for temporary
/// credentials, `X-Security-Token`; signs those; sends path and query exactly as signed; sets
/// `Authorization`.
pub(crate) fn sign(
    request: &mut reqwest::Request,
    credentials: &HuaweiCredentials,
    now: SystemTime,
) -> Result<(), String> {
    crate::check_url(request)?;
    let host = crate::host_header(request.url())?;
    let payload = crate::body_sha256(request)?;
    let date = sdk_date(now);
    let token = credentials
        .security_token
        .as_ref()
        .map(|t| t.expose_secret());
    // What is sent must be what is signed: the path in its canonical encoding.
    let path = sdk_hmac::canonical_path(request.url().path());
    if request.url().path() != path {
        request.url_mut().set_path(&path);
    }
    let mut signed = vec![
        ("content-type", "application/json"),
        ("host", host.as_str()),
        ("x-sdk-date", date.as_str()),
    ];
    if let Some(token) = token {
        signed.push(("x-security-token", token));
    }
    let signature = crate::with_query_pairs(request.url(), |query| {
        sdk_hmac::sign(
            &credentials.access_key,
            credentials.secret_key.expose_secret(),
            &sdk_hmac::SdkHmacRequest {
                method: request.method().as_str(),
                path: &path,
                query,
                headers: &signed,
                hashed_payload: &payload,
                sdk_date: &date,
            },
        )
    });

    crate::send_query_as_signed(request, &signature.canonical_query);
    crate::set_header(
        request,
        crate::header_names::CONTENT_TYPE,
        "application/json".to_owned(),
        false,
    )?;
    crate::set_header(request, crate::header_names::HOST, host, false)?;
    crate::set_header(request, crate::header_names::X_SDK_DATE, date, false)?;
    if let Some(token) = token {
        crate::set_header(
            request,
            crate::header_names::X_SECURITY_TOKEN,
            token.to_owned(),
            true,
        )?;
    }
    crate::set_header(
        request,
        crate::header_names::AUTHORIZATION,
        signature.authorization,
        true,
    )
}

impl crate::send::Family for Client {
    type ErrorBody = idtok_identitystore_models::ErrorResponse;
    const IDEMPOTENT: &'static [&'static str] = IDEMPOTENT_OPERATIONS;
    const SECRET_QUERY_KEYS: &'static [&'static str] = SECRET_QUERY_KEYS;

    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        if UNSIGNED_OPERATIONS.contains(&operation_id) {
            return crate::check_url(request);
        }
        let credentials = self
            .inner
            .credentials
            .provide()
            .await
            .map_err(|e| e.to_string())?;
        sign(request, &credentials, self.inner.clock.now())
    }
}
