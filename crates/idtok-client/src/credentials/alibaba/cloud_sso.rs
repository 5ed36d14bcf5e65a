//! The aliyun CLI's CloudSSO profiles (`cli_profile/cloud_sso`), as `aliyun configure --profile
//! NAME --mode CloudSSO` leaves them after signing in: the CloudSSO portal's sign-in URL, the
//! account and access configuration chosen, and the portal's access token with its expiry (Unix
//! seconds). Temporary credentials come from the portal: `POST <scheme>://<host of the sign-in
//! URL>/cloud-credentials` with `Authorization: Bearer <access token>` and
//! `{"AccountId", "AccessConfigurationId"}`, answered with
//! `{"CloudCredential": {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}}`, as
//! alibabacloud-credentials 1.0.12 asks for them (5 s to connect, 10 s to read).
//!
//! The CLI also keeps the last such credentials in the profile (`access_key_id`,
//! `access_key_secret`, `sts_token`, `sts_expiration`); they are used first while they are not
//! due for renewal, as the CLI reuses them. idtok never writes the CLI's file: a new access
//! token comes only from signing in again with the CLI, and every error says with which command.

use std::fmt;
use std::time::{Duration, UNIX_EPOCH};

use idtok_runtime::credentials::{AlibabaCredentials, CredentialsError, CredentialsFuture};
use idtok_runtime::endpoint::check_transport;
use idtok_secret::SecretString;
use serde_json::Value;

use super::cache::{CacheKey, DiskCache};
use super::{sts, Settings, Temporary};
use crate::credentials::http::{HttpTimeouts, PlainHttp, Proxies};
use crate::credentials::renewing::renew_at;
use crate::credentials::{Expiring, Refresh, Sourced};

/// The provider's name, as the library names it.
const SOURCE: &str = "cloud_sso";

/// What a CloudSSO profile holds.
#[derive(Default)]
pub(crate) struct CloudSsoConfig {
    pub profile: String,
    pub sign_in_url: Option<String>,
    pub account_id: Option<String>,
    pub access_config: Option<String>,
    pub access_token: Option<String>,
    /// Unix seconds.
    pub access_token_expire: Option<i64>,
    /// The credentials the CLI kept: id, secret, token, and their expiry (Unix seconds).
    pub kept: Option<(String, String, String, i64)>,
}

/// The command that signs in again, as the CLI itself says it.
fn sign_in_again(profile: &str) -> String {
    format!("sign in again with `aliyun configure --profile {profile}`")
}

/// Temporary credentials of the profile's account and access configuration, cached and renewed
/// before they expire; an error naming the command that makes the profile usable when it is
/// incomplete or its access token has expired.
pub(crate) fn provider(
    config: CloudSsoConfig,
    settings: &Settings,
) -> Result<Temporary, CredentialsError> {
    let profile = config.profile;
    let (Some(sign_in_url), Some(account_id), Some(access_config)) =
        (config.sign_in_url, config.account_id, config.access_config)
    else {
        return Err(CredentialsError::new(format!(
            "mode CloudSSO needs cloud_sso_sign_in_url, cloud_sso_account_id and cloud_sso_access_config: configure the profile with `aliyun configure --profile {profile} --mode CloudSSO`"
        )));
    };
    let access_token = config
        .access_token
        .zip(config.access_token_expire)
        .filter(|(_, expire)| *expire > unix_now(settings))
        .map(|(token, expire)| (SecretString::from(token), expire))
        .ok_or_else(|| {
            CredentialsError::new(format!(
                "the CloudSSO access token is missing or has expired: {}",
                sign_in_again(&profile)
            ))
        })?;
    let sign_in = reqwest::Url::parse(&sign_in_url)
        .map_err(|e| CredentialsError::new(format!("cloud_sso_sign_in_url is not a URL: {e}")))?;
    check_transport(&sign_in)
        .map_err(|e| CredentialsError::new(format!("cloud_sso_sign_in_url: {e}")))?;
    let host = sign_in
        .host_str()
        .ok_or_else(|| CredentialsError::new("cloud_sso_sign_in_url has no host"))?;
    let mut url = reqwest::Url::parse(&format!("{}://{host}", sign_in.scheme()))
        .map_err(|e| CredentialsError::new(format!("cloud_sso_sign_in_url: {e}")))?;
    let _ = url.set_port(sign_in.port());
    url.set_path("/cloud-credentials");
    // 5 s to connect and 10 s to read, as the library asks the portal; through the
    // environment's proxies, as any service on the internet.
    let http = PlainHttp::new(
        HttpTimeouts::CREDENTIALS_URI,
        Proxies::FromEnvironment,
        None,
    );
    let source = CloudSso {
        url,
        http,
        profile,
        account_id,
        access_config,
        access_token,
        kept: config.kept,
        settings: settings.clone(),
        cache: settings.cache.clone(),
    };
    Ok(settings.renewing(source))
}

fn unix_now(settings: &Settings) -> i64 {
    i64::try_from(settings.unix_now()).unwrap_or(i64::MAX)
}

struct CloudSso {
    /// `<scheme>://<host>/cloud-credentials`.
    url: reqwest::Url,
    http: PlainHttp,
    profile: String,
    account_id: String,
    access_config: String,
    access_token: (SecretString, i64),
    kept: Option<(String, String, String, i64)>,
    settings: Settings,
    cache: Option<DiskCache>,
}

impl fmt::Debug for CloudSso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Neither the access token nor the kept credentials.
        f.debug_struct("CloudSso")
            .field("url", &self.url.as_str())
            .field("profile", &self.profile)
            .field("account_id", &self.account_id)
            .field("access_config", &self.access_config)
            .finish_non_exhaustive()
    }
}

impl CloudSso {
    fn fail(&self, why: impl fmt::Display) -> CredentialsError {
        CredentialsError::new(format!(
            "cannot get credentials from CloudSSO at {}: {why}",
            self.url
        ))
    }

    /// The credentials the CLI kept in the profile, while they are not due for renewal.
    fn kept(&self) -> Option<Expiring<Sourced<AlibabaCredentials>>> {
        let (id, secret, token, expiration) = self.kept.as_ref()?;
        let expires_at = UNIX_EPOCH + Duration::from_secs(u64::try_from(*expiration).ok()?);
        // When the CLI obtained them is not known: due the margin before they expire.
        if self.settings.clock.now() >= renew_at(expires_at, None, self.settings.refresh_margin) {
            return None;
        }
        let mut credentials = AlibabaCredentials::new(id.clone(), secret.clone());
        credentials.security_token = Some(SecretString::from(token.as_str()));
        Some(Expiring {
            value: Sourced {
                credentials,
                source: SOURCE.to_owned(),
            },
            expires_at: Some(expires_at),
        })
    }

    fn cache_key(&self) -> CacheKey {
        vec![
            ("call", "CloudSSO".to_owned()),
            ("origin", format!("cli_profile:{}", self.profile)),
            ("url", self.url.to_string()),
            ("account_id", self.account_id.clone()),
            ("access_config", self.access_config.clone()),
        ]
    }

    async fn credentials(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        if let Some(kept) = self.kept() {
            return Ok(kept);
        }
        let key = self.cache_key();
        if let Some(cached) = self.cache.as_ref().and_then(|c| c.load(&key, SOURCE)) {
            return Ok(cached);
        }
        let fresh = self.ask().await?;
        if let Some(cache) = &self.cache {
            cache.store(&key, &fresh);
        }
        Ok(fresh)
    }

    /// The portal's answer for the profile's account and access configuration.
    async fn ask(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let (token, expire) = &self.access_token;
        if *expire <= unix_now(&self.settings) {
            return Err(CredentialsError::new(format!(
                "the CloudSSO access token has expired: {}",
                sign_in_again(&self.profile)
            )));
        }
        let authorization = format!("Bearer {}", token.expose_secret());
        let body = serde_json::json!({
            "AccountId": self.account_id,
            "AccessConfigurationId": self.access_config,
        });
        let answer = self
            .http
            .send(
                reqwest::Method::POST,
                self.url.clone(),
                &[
                    ("accept", "application/json"),
                    ("content-type", "application/json"),
                    ("authorization", &authorization),
                ],
                Some(body.to_string().into_bytes()),
            )
            .await
            .map_err(|e| self.fail(e))?;
        let (status, body) = (answer.status, answer.body);
        let document: Option<Value> = serde_json::from_slice(&body).ok();
        if status != 200 {
            // Only the service's code and message, never the whole body.
            let field = |keys: &[&str]| {
                keys.iter()
                    .find_map(|key| document.as_ref()?.get(*key)?.as_str())
                    .map_or(String::new(), |v| format!(": {v}"))
            };
            let again = if matches!(status, 401 | 403) {
                format!(" ({})", sign_in_again(&self.profile))
            } else {
                String::new()
            };
            return Err(self.fail(format!(
                "HTTP {status}{}{}{again}",
                field(&["Code", "ErrorCode"]),
                field(&["Message", "ErrorMessage"])
            )));
        }
        let credential = document
            .as_ref()
            .and_then(|d| d.get("CloudCredential"))
            .ok_or_else(|| self.fail("the answer has no CloudCredential"))?;
        let text = |key: &str| credential.get(key).and_then(Value::as_str);
        let expiring = sts::temporary_credentials(
            text("AccessKeyId").map(str::to_owned),
            text("AccessKeySecret").map(SecretString::from),
            text("SecurityToken").map(SecretString::from),
            text("Expiration"),
        )
        .map_err(|e| self.fail(e))?;
        Ok(Expiring {
            value: Sourced {
                credentials: expiring.value,
                source: SOURCE.to_owned(),
            },
            expires_at: expiring.expires_at,
        })
    }
}

impl Refresh<Sourced<AlibabaCredentials>> for CloudSso {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<AlibabaCredentials>>> {
        Box::pin(self.credentials())
    }
}
