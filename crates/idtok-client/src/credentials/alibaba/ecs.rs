//! The RAM role of an ECS instance, from its metadata service (`ecs_ram_role`): an IMDSv2 token
//! first, then the role's name, then its temporary credentials; without the token (IMDSv1) when
//! that fails, unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.

use idtok_runtime::credentials::{AlibabaCredentials, CredentialsError, CredentialsFuture};
use idtok_secret::SecretString;
use reqwest::Method;

use super::sts::credentials_document;
use super::{variables, Settings, Temporary};
use crate::credentials::http::{self, shown, under, PlainHttp, Proxies};
use crate::credentials::{Expiring, Refresh, Sourced};

/// The metadata service's address: link-local, reached over plain HTTP by design.
const METADATA_ADDRESS: &str = "100.100.100.200";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLES_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
/// How long an IMDSv2 token is asked to last (seconds), as the library asks.
const TOKEN_TTL_SECONDS: &str = "21600";

/// The metadata service's base URL, checked ([`http::metadata_url`]): HTTPS, HTTP to loopback
/// (a test server), or HTTP to exactly 100.100.100.200 on port 80.
pub(crate) fn metadata_url(url: &str) -> Result<reqwest::Url, CredentialsError> {
    http::metadata_url(url, METADATA_ADDRESS, "ECS metadata URL")
}

/// The temporary credentials of the instance's RAM role, cached and renewed before they expire:
/// for the role `role_name`, else `ALIBABA_CLOUD_ECS_METADATA`, else the one the metadata service
/// names. Refused when the metadata service is turned off (`ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`,
/// as the library refuses it, a profile asking for it included; or in code).
pub(crate) fn provider(
    role_name: Option<String>,
    settings: &Settings,
) -> Result<Temporary, CredentialsError> {
    if let Some(why) = settings.ecs_metadata_off() {
        return Err(CredentialsError::new(format!(
            "the ECS metadata service is not asked: {why}"
        )));
    }
    let role_name = role_name
        .filter(|r| !r.is_empty())
        .or_else(|| settings.env.get(variables::ECS_METADATA));
    let metadata = Metadata {
        base: settings.ecs_metadata_url.clone(),
        http: PlainHttp::new(
            settings.ecs_timeouts,
            Proxies::Never,
            settings.http_client.clone(),
        )
        .remembering(settings.unreachable.clone()),
        imds_v1_disabled: settings.is_true(variables::IMDSV1_DISABLED),
        role_name,
    };
    Ok(settings.renewing(metadata))
}

#[derive(Debug)]
struct Metadata {
    base: reqwest::Url,
    http: PlainHttp,
    imds_v1_disabled: bool,
    role_name: Option<String>,
}

impl Metadata {
    fn url(&self, path: &str) -> reqwest::Url {
        under(&self.base, path)
    }

    fn fail(&self, what: &str, why: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::new(format!(
            "cannot get {what} from the ECS metadata service at {}: {why}",
            shown(&self.base)
        ))
    }

    /// An IMDSv2 token; `None` when the service gives none and IMDSv1 may be used instead. When
    /// nothing answered at all (a machine that is not an ECS instance), that is the answer: the
    /// library would ask again without a token and wait a second time.
    async fn token(&self) -> Result<Option<SecretString>, CredentialsError> {
        let answer = self
            .http
            .send(
                Method::PUT,
                self.url(TOKEN_PATH),
                &[(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)],
                None,
            )
            .await;
        let failure = match answer {
            Ok(answer) if answer.status == 200 => match String::from_utf8(answer.body) {
                Ok(token) if !token.trim().is_empty() => {
                    return Ok(Some(SecretString::from(token.trim())))
                }
                _ => "the token is empty or not text".to_owned(),
            },
            Ok(answer) => format!("HTTP {}", answer.status),
            Err(failure) if failure.no_answer => {
                return Err(self.fail("an IMDSv2 token", failure));
            }
            Err(failure) => failure.text,
        };
        if self.imds_v1_disabled {
            return Err(self.fail(
                &format!(
                    "an IMDSv2 token (IMDSv1 is disabled by {}=true)",
                    variables::IMDSV1_DISABLED
                ),
                failure,
            ));
        }
        tracing::debug!(%failure, "no IMDSv2 token from the ECS metadata service; asking without one (IMDSv1)");
        Ok(None)
    }

    /// GET `url` with the token if there is one; on failure, again without it (IMDSv1) when a
    /// token was used and IMDSv1 is allowed: the library's fallback.
    async fn get(
        &self,
        what: &str,
        url: reqwest::Url,
        token: Option<&SecretString>,
    ) -> Result<Vec<u8>, CredentialsError> {
        match self.get_once(what, url.clone(), token).await {
            Err(error) if token.is_some() && !self.imds_v1_disabled => {
                tracing::debug!(%error, "asking the ECS metadata service again without the IMDSv2 token (IMDSv1)");
                self.get_once(what, url, None).await
            }
            result => result,
        }
    }

    async fn get_once(
        &self,
        what: &str,
        url: reqwest::Url,
        token: Option<&SecretString>,
    ) -> Result<Vec<u8>, CredentialsError> {
        let headers: Vec<(&'static str, &str)> = token
            .map(|t| (TOKEN_HEADER, t.expose_secret()))
            .into_iter()
            .collect();
        let answer = self
            .http
            .send(Method::GET, url, &headers, None)
            .await
            .map_err(|e| self.fail(what, e))?;
        if answer.status != 200 {
            return Err(self.fail(what, format!("HTTP {}", answer.status)));
        }
        Ok(answer.body)
    }

    async fn role_name(&self) -> Result<String, CredentialsError> {
        let token = self.token().await?;
        let body = self
            .get(
                "the instance's RAM role",
                self.url(ROLES_PATH),
                token.as_ref(),
            )
            .await?;
        let name = String::from_utf8(body)
            .map_err(|_| self.fail("the instance's RAM role", "the answer is not text"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(self.fail(
                "the instance's RAM role",
                "the instance has no RAM role attached",
            ));
        }
        Ok(name.to_owned())
    }

    async fn credentials(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let role = match &self.role_name {
            Some(role) => role.clone(),
            None => self.role_name().await?,
        };
        let what = format!("the credentials of RAM role {role:?}");
        let mut url = self.url(ROLES_PATH);
        url.path_segments_mut()
            .map_err(|()| self.fail(&what, "the base URL cannot take a path"))?
            .pop_if_empty()
            .push(&role);
        // A second token, as the library asks for one before each of its two reads.
        let token = self.token().await?;
        let body = self.get(&what, url, token.as_ref()).await?;
        credentials_document(&body, "ecs_ram_role").map_err(|e| self.fail(&what, e))
    }
}

impl Refresh<Sourced<AlibabaCredentials>> for Metadata {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<AlibabaCredentials>>> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_the_metadata_address_on_port_80_or_loopback() {
        for allowed in [
            "http://100.100.100.200",
            "http://100.100.100.200:80/",
            "http://127.0.0.1:8080",
            "https://metadata.example.com/prefix/",
        ] {
            assert!(metadata_url(allowed).is_ok(), "{allowed}");
        }
        for refused in [
            "http://100.100.100.201",
            "http://100.64.0.1",
            "http://metadata.example.com",
            "http://100.100.100.200.example.com",
            "ftp://100.100.100.200",
            "http://user:pw@127.0.0.1",
            "not a url",
            // The real service is on port 80, and a base URL has no fragment: both were let
            // through before the two vendors' checks became one.
            "http://100.100.100.200:8080",
            "http://100.100.100.200/#fragment",
        ] {
            let error = metadata_url(refused).unwrap_err().to_string();
            assert!(error.starts_with("ECS metadata URL "), "{error}");
        }
    }
}
