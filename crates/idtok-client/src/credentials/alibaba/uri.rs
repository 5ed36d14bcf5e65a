//! Temporary credentials from a URI (`credential_uri`): a GET of `ALIBABA_CLOUD_CREDENTIALS_URI`
//! that answers `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken",
//! "Expiration"}`.

use idtok_runtime::credentials::{AlibabaCredentials, CredentialsError, CredentialsFuture};
use idtok_runtime::endpoint::check_transport;
use reqwest::Method;

use super::sts::credentials_document;
use super::{variables, Settings, Temporary};
use crate::credentials::http::{shown, PlainHttp, Proxies};
use crate::credentials::{Expiring, Refresh, Sourced};

/// From `ALIBABA_CLOUD_CREDENTIALS_URI`: HTTPS, or plain HTTP to a loopback address (a local
/// agent); a URI that is neither fails each call, saying why.
pub(crate) fn provider(settings: &Settings) -> Result<Temporary, CredentialsError> {
    let uri = settings
        .env
        .get(variables::CREDENTIALS_URI)
        .ok_or_else(|| {
            CredentialsError::new(format!("{} is not set", variables::CREDENTIALS_URI))
        })?;
    let uri = reqwest::Url::parse(&uri)
        .map_err(|e| format!("{} is not a URL: {e}", variables::CREDENTIALS_URI))
        .and_then(|url| {
            check_transport(&url)
                .map(|()| url)
                .map_err(|e| format!("{}: {e}", variables::CREDENTIALS_URI))
        });
    let source = UriSource {
        uri,
        http: PlainHttp::new(
            settings.uri_timeouts,
            Proxies::Never,
            settings.http_client.clone(),
        ),
    };
    Ok(settings.renewing(source))
}

struct UriSource {
    /// The URI, or why it cannot be used.
    uri: Result<reqwest::Url, String>,
    http: PlainHttp,
}

impl std::fmt::Debug for UriSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not the query: it may carry a token.
        let uri = self.uri.as_ref().map(shown);
        f.debug_struct("UriSource")
            .field("uri", &uri)
            .finish_non_exhaustive()
    }
}

impl UriSource {
    async fn credentials(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let uri = self
            .uri
            .as_ref()
            .map_err(|e| CredentialsError::new(e.clone()))?;
        let fail = |why: String| {
            CredentialsError::new(format!("cannot get credentials from {}: {why}", shown(uri)))
        };
        let answer = self
            .http
            .send(Method::GET, uri.clone(), &[], None)
            .await
            .map_err(|e| fail(e.text))?;
        if answer.status != 200 {
            // The body is not shown, only its code and message: it may hold credentials.
            let document: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
            let field = |key: &str| {
                document
                    .as_ref()
                    .and_then(|d| d.get(key)?.as_str())
                    .map_or(String::new(), |v| format!(": {v}"))
            };
            return Err(fail(format!(
                "HTTP {}{}{}",
                answer.status,
                field("Code"),
                field("Message")
            )));
        }
        credentials_document(&answer.body, "credential_uri").map_err(fail)
    }
}

impl Refresh<Sourced<AlibabaCredentials>> for UriSource {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<AlibabaCredentials>>> {
        Box::pin(self.credentials())
    }
}
