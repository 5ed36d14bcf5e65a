//! A RAM role assumed with an OIDC token (`oidc_role_arn`): RRSA on Container Service for
//! Kubernetes, where the token file is mounted into the pod. STS AssumeRoleWithOIDC, unsigned;
//! the token is read from its file at each renewal (the cluster rotates it).

use std::path::PathBuf;

use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, CredentialsFuture, Environment,
};
use idtok_secret::SecretString;

use super::cache::{CacheKey, DiskCache};
use super::sts::{self, or_env, AssumeRoleWithOidc, Sts};
use super::{variables, Settings, Temporary};
use crate::credentials::{Expiring, Refresh, Sourced};

/// Whether the environment sets up RRSA: the chain asks OIDC only when
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, `ALIBABA_CLOUD_ROLE_ARN` and
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` are all set.
pub(crate) fn configured_by_environment(env: &Environment) -> bool {
    [
        variables::OIDC_TOKEN_FILE,
        variables::ROLE_ARN,
        variables::OIDC_PROVIDER_ARN,
    ]
    .iter()
    .all(|name| env.get(name).is_some())
}

/// What a profile gives; anything it leaves out comes from the environment, as in the library.
#[derive(Clone, Debug, Default)]
pub(crate) struct OidcConfig {
    /// Where the role is configured (`environment`, `cli_profile:work`, `profile:default`):
    /// part of the credentials cache's key.
    pub origin: String,
    pub role_arn: Option<String>,
    pub oidc_provider_arn: Option<String>,
    pub token_file: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<i64>,
    pub policy: Option<String>,
    pub sts_region: Option<String>,
    pub enable_vpc: Option<bool>,
}

/// Temporary credentials of the role `config` (or the environment) names, assumed with the OIDC
/// token of its file, cached and renewed before they expire.
pub(crate) fn provider(
    config: OidcConfig,
    settings: &Settings,
) -> Result<Temporary, CredentialsError> {
    let env = &settings.env;
    let required = |value: Option<String>, key: &str, name: &str| {
        or_env(value, env, name).ok_or_else(|| {
            CredentialsError::new(format!(
                "{key} or the environment variable {name} must be set"
            ))
        })
    };
    let (session_name, session_named) = sts::session_name(config.session_name, settings);
    let duration_seconds = sts::duration(config.duration_seconds)?;
    let role_arn = required(config.role_arn, "role_arn", variables::ROLE_ARN)?;
    let oidc_provider_arn = required(
        config.oidc_provider_arn,
        "oidc_provider_arn",
        variables::OIDC_PROVIDER_ARN,
    )?;
    let token_file = required(
        config.token_file,
        "oidc_token_file_path",
        variables::OIDC_TOKEN_FILE,
    )?;
    let endpoint = sts::endpoint(settings, config.sts_region.as_deref(), config.enable_vpc)?;
    let source = OidcSource {
        sts: Sts::new(endpoint, settings)?,
        cache: settings.cache.clone(),
        origin: config.origin,
        session_named,
        token_file: PathBuf::from(token_file),
        request: AssumeRoleWithOidc {
            role_arn,
            oidc_provider_arn,
            session_name,
            duration_seconds,
            policy: config.policy.filter(|p| !p.is_empty()),
        },
    };
    Ok(settings.renewing(source))
}

#[derive(Debug)]
struct OidcSource {
    sts: Sts,
    cache: Option<DiskCache>,
    origin: String,
    /// The session name was given, not generated.
    session_named: bool,
    token_file: PathBuf,
    request: AssumeRoleWithOidc,
}

impl OidcSource {
    /// What defines the role's credentials, for the cache.
    fn cache_key(&self) -> CacheKey {
        let request = &self.request;
        vec![
            ("call", "AssumeRoleWithOIDC".to_owned()),
            ("origin", self.origin.clone()),
            ("role_arn", request.role_arn.clone()),
            (
                "session_name",
                if self.session_named {
                    request.session_name.clone()
                } else {
                    String::new()
                },
            ),
            ("oidc_provider_arn", request.oidc_provider_arn.clone()),
            ("oidc_token_file", self.token_file.display().to_string()),
            ("sts_endpoint", self.sts.endpoint().to_owned()),
            ("duration_seconds", request.duration_seconds.to_string()),
            ("policy", request.policy.clone().unwrap_or_default()),
        ]
    }

    async fn credentials(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let key = self.cache_key();
        if let Some(cached) = self
            .cache
            .as_ref()
            .and_then(|c| c.load(&key, "oidc_role_arn"))
        {
            return Ok(cached);
        }
        let fresh = self.assume().await?;
        if let Some(cache) = &self.cache {
            cache.store(&key, &fresh);
        }
        Ok(fresh)
    }

    async fn assume(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            CredentialsError::new(format!(
                "cannot read the OIDC token file {}: {e}",
                self.token_file.display()
            ))
        })?;
        // The file holds one JWT; a trailing newline would be sent as part of it.
        let token = SecretString::from(token.trim());
        if token.is_empty() {
            return Err(CredentialsError::new(format!(
                "the OIDC token file {} is empty",
                self.token_file.display()
            )));
        }
        let expiring = self.sts.assume_role_with_oidc(&self.request, token).await?;
        Ok(Expiring {
            value: Sourced {
                credentials: expiring.value,
                source: "oidc_role_arn".to_owned(),
            },
            expires_at: expiring.expires_at,
        })
    }
}

impl Refresh<Sourced<AlibabaCredentials>> for OidcSource {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<AlibabaCredentials>>> {
        Box::pin(self.credentials())
    }
}
