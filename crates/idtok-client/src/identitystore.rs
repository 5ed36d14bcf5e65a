//! Client of the Huawei Cloud Identity Center identity store, API v1: `openapi/identitystore-v1/`.
//!
//! A REST API signed with an AK/SK pair: the hook below signs each request with SDK-HMAC-SHA256,
//! sends `X-Security-Token` for temporary credentials, and `X-Project-Id` when the credentials
//! name a project (as huaweicloudsdkcore's `BasicCredentials`, the credential type of the SDK's
//! `IdentityCenterStoreClient`, does).

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

use std::time::SystemTime;

use idtok_runtime::credentials::HuaweiCredentials;
use idtok_runtime::signing::{sdk_date, sdk_hmac};

/// What the hooks of a [`Client`] need besides the request: AK/SK credentials, the clock of the
/// signature, retries and timeouts.
pub type ClientContext = crate::ClientContext<HuaweiCredentials>;

/// Signs a request with SDK-HMAC-SHA256 (docs/wire.md): sets `Content-Type:
/// application/json` (the SDK sends it on every method), `host`, `X-Sdk-Date` and, for temporary
/// credentials, `X-Security-Token` and, when a project id is set, `X-Project-Id` (the SDK's
/// `BasicCredentials.sign_request` adds it before signing; the identity store's SDK client takes
/// `BasicCredentials`, so `X-Domain-Id` is never sent); signs those; sends path and query exactly
/// as signed; sets `Authorization`.
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
    // The SDK strips header values before it signs and sends them.
    let project_id = credentials
        .project_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let mut signed = vec![
        ("content-type", "application/json"),
        ("host", host.as_str()),
        ("x-sdk-date", date.as_str()),
    ];
    if let Some(token) = token {
        signed.push(("x-security-token", token));
    }
    if let Some(project_id) = project_id {
        signed.push(("x-project-id", project_id));
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
    if let Some(project_id) = project_id {
        crate::set_header(
            request,
            crate::header_names::X_PROJECT_ID,
            project_id.to_owned(),
            false,
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
    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        if Self::unsigned(operation_id) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The SDK's own signature of the same request. Inputs and outputs recorded from
    /// huaweicloudsdkcore 3.1.219 (Python): `BasicCredentials(AK, SK, PROJECT_ID)`, optionally
    /// `.with_security_token("tok-abc")`, then `.sign_request(SdkRequest(method="GET",
    /// schema="https", host=HOST, resource_path="/v1/identity-stores/d-1/tenant/t-1/bearer-token",
    /// query_params=[("limit", 10)], header_params={"Content-Type": "application/json",
    /// "X-Sdk-Date": "20231026T102232Z"}, body=""))`, which adds X-Project-Id (and
    /// X-Security-Token) to the headers and signs them all with `Signer`.
    #[test]
    fn x_project_id_is_sent_and_signed_as_the_python_sdk_signs_it() {
        const AK: &str = "QTWAOYTTINDUT2QVKYUC";
        const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
        const PROJECT_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
        const URL: &str = "https://identitystore.cn-north-4.myhuaweicloud.com/v1/identity-stores/d-1/tenant/t-1/bearer-token?limit=10";
        // 20231026T102232Z
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_698_315_752);
        let signed = |credentials: &HuaweiCredentials| {
            let mut request =
                reqwest::Request::new(reqwest::Method::GET, reqwest::Url::parse(URL).unwrap());
            sign(&mut request, credentials, now).unwrap();
            let header = |name: &str| {
                request
                    .headers()
                    .get(name)
                    .map(|v| v.to_str().unwrap().to_owned())
            };
            (header("x-project-id"), header("authorization").unwrap())
        };
        let credentials = HuaweiCredentials::new(AK, SK).with_project_id(PROJECT_ID);
        assert_eq!(
            signed(&credentials),
            (
                Some(PROJECT_ID.to_owned()),
                format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=5597fe495b35b88233c87d5d83e0c1cde06388f59b008c254365871719fba61f")
            )
        );
        assert_eq!(
            signed(&credentials.with_security_token("tok-abc")),
            (
                Some(PROJECT_ID.to_owned()),
                format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=a51a7c580fe237557b4eef08dd96af0f7ddc21e899ffa79d532f34f19c0a7b78")
            )
        );
        // BasicCredentials sends no X-Domain-Id, and nothing for an empty project id.
        let (project, authorization) = signed(
            &HuaweiCredentials::new(AK, SK)
                .with_project_id("")
                .with_domain_id("d0m41n"),
        );
        assert_eq!(project, None);
        assert!(
            authorization.contains("SignedHeaders=content-type;host;x-sdk-date,"),
            "{authorization}"
        );
    }
}
