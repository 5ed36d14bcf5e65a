//! A RAM role assumed with other credentials (`ram_role_arn/<source>`): STS AssumeRole, signed
//! with the source's credentials, on top of a profile's AccessKey pair, another profile
//! (ChainableRamRoleArn), or any credentials of your own.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, CredentialsFuture, Environment, ProvideCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_runtime::retry::{RetryPolicy, Timeouts};

use super::cache::{CacheKey, DiskCache};
use super::sts::{self, or_env, AssumeRole, Sts};
use super::{variables, DefaultChainBuilder, DynSourced, ProvideSourced, Settings, Temporary};
use crate::credentials::{Expiring, Refresh, Sourced};

/// What a profile gives; the role and the session name it leaves out come from the environment,
/// as in the library.
#[derive(Clone, Debug, Default)]
pub(crate) struct RamRoleArnConfig {
    /// Where the role is configured (`cli_profile:work`, `profile:default`, `custom:<name>`):
    /// part of the credentials cache's key.
    pub origin: String,
    pub role_arn: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<i64>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
    pub sts_region: Option<String>,
    pub enable_vpc: Option<bool>,
}

/// Temporary credentials of a RAM role, assumed (STS AssumeRole) with the credentials of another
/// provider, cached and renewed before they expire.
///
/// ```no_run
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idtok_client::credentials::alibaba::RamRoleArnProvider;
/// use idtok_runtime::credentials::Environment;
///
/// let role = RamRoleArnProvider::builder(
///     Environment::process(),
///     "acs:ram::1234567890123456:role/idtok-rotation",
/// )
/// .session_name("rotation")
/// .build()?;
/// let context = idtok_client::eiam::ClientContext::new(role);
/// # Ok(()) }
/// ```
pub struct RamRoleArnProvider {
    cache: Temporary,
    role_arn: String,
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` with the credentials of `source`.
    pub fn builder(
        source: impl ProvideCredentials<AlibabaCredentials> + 'static,
        role_arn: impl Into<String>,
    ) -> RamRoleArnBuilder {
        RamRoleArnBuilder {
            source: Box::new(source),
            source_name: "custom".to_owned(),
            config: RamRoleArnConfig {
                origin: String::new(),
                role_arn: Some(role_arn.into()),
                ..RamRoleArnConfig::default()
            },
            settings: DefaultChainBuilder::default(),
        }
    }

    /// Over one of the chain's providers, whose name the credentials' source goes on.
    pub(crate) fn over(
        source: Arc<DynSourced>,
        config: RamRoleArnConfig,
        settings: &Settings,
    ) -> Result<Self, CredentialsError> {
        let env = &settings.env;
        let (session_name, session_named) = sts::session_name(config.session_name, settings);
        let duration_seconds = sts::duration(config.duration_seconds)?;
        let role_arn = or_env(config.role_arn, env, variables::ROLE_ARN).ok_or_else(|| {
            CredentialsError::new(format!(
                "role_arn or the environment variable {} must be set",
                variables::ROLE_ARN
            ))
        })?;
        let endpoint = sts::endpoint(settings, config.sts_region.as_deref(), config.enable_vpc)?;
        let assume = AssumeRoleSource {
            source,
            sts: Sts::new(endpoint, settings)?,
            cache: settings.cache.clone(),
            origin: config.origin,
            session_named,
            request: AssumeRole {
                role_arn: role_arn.clone(),
                session_name,
                duration_seconds,
                policy: config.policy.filter(|p| !p.is_empty()),
                external_id: config.external_id.filter(|e| !e.is_empty()),
            },
        };
        Ok(Self {
            cache: settings.renewing(assume),
            role_arn,
        })
    }

    /// The role's credentials, and where they came from (`ram_role_arn/<source>`).
    pub async fn credentials(&self) -> Result<Sourced<AlibabaCredentials>, CredentialsError> {
        self.cache.provide_sourced().await
    }
}

impl ProvideSourced<AlibabaCredentials> for RamRoleArnProvider {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(self.credentials())
    }
}

crate::credentials::provide_credentials_by_sourced!(RamRoleArnProvider, AlibabaCredentials);

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("role_arn", &self.role_arn)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Builds a [`RamRoleArnProvider`]. What is not set comes from the environment as the library
/// takes it: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_STS_REGION`,
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
pub struct RamRoleArnBuilder {
    source: Box<dyn ProvideCredentials<AlibabaCredentials>>,
    source_name: String,
    config: RamRoleArnConfig,
    settings: DefaultChainBuilder,
}

impl fmt::Debug for RamRoleArnBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnBuilder")
            .field("source", &self.source)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnBuilder {
    /// How the source is named in [`Sourced::source`] (`ram_role_arn/<name>`; `custom` unless
    /// set).
    pub fn source_name(mut self, name: impl Into<String>) -> Self {
        self.source_name = name.into();
        self
    }

    /// The session name (ActionTrail shows it); else `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
    /// `credentials-python-<Unix time>` as the library.
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.config.session_name = Some(name.into());
        self
    }

    /// How long the credentials last, at least 900 s (3600 s unless set).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.config.duration_seconds = Some(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX));
        self
    }

    /// A policy that narrows the role's permissions for this session (JSON).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.config.policy = Some(policy.into());
        self
    }

    /// The external id the role's trust policy asks for.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.config.external_id = Some(external_id.into());
        self
    }

    /// STS in `region` (`sts.<region>.aliyuncs.com`).
    pub fn sts_region(mut self, region: impl Into<String>) -> Self {
        self.config.sts_region = Some(region.into());
        self
    }

    /// STS through its VPC endpoint (`sts-vpc.<region>.aliyuncs.com`).
    pub fn enable_vpc(mut self, enable: bool) -> Self {
        self.config.enable_vpc = Some(enable);
        self
    }

    /// STS at `endpoint`, whatever the region says.
    pub fn sts_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.settings = self.settings.sts_endpoint(endpoint);
        self
    }

    /// Bounds the STS calls that assume the role.
    pub fn sts_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.settings = self.settings.sts_timeouts(timeouts);
        self
    }

    /// Keeps the role's credentials between processes in `dir` (see
    /// [`DefaultChainBuilder::credentials_cache`]); off unless set.
    pub fn credentials_cache(mut self, dir: impl Into<PathBuf>) -> Self {
        self.settings = self.settings.credentials_cache(dir);
        self
    }

    /// Retries the STS calls that assume the role by `policy`.
    pub fn sts_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings = self.settings.sts_retry_policy(policy);
        self
    }

    /// Reads the variables above from `env` instead of the process environment.
    pub fn environment(mut self, env: Environment) -> Self {
        self.settings = self.settings.environment(env);
        self
    }

    /// Reads the time from `clock` (expiry of the assumed role's credentials; tests move it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.settings = self.settings.clock(clock);
        self
    }

    /// Assumes the role again this long before its credentials expire.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.settings = self.settings.refresh_margin(margin);
        self
    }

    /// The provider, or an error naming the setting that is missing or wrong.
    pub fn build(self) -> Result<RamRoleArnProvider, CredentialsError> {
        let settings = self.settings.settings()?;
        let mut config = self.config;
        config.origin = format!("custom:{}", self.source_name);
        let source = Arc::new(Named {
            name: self.source_name,
            inner: self.source,
        });
        RamRoleArnProvider::over(source, config, &settings)
    }
}

/// Credentials of your own, under a name.
#[derive(Debug)]
struct Named {
    name: String,
    inner: Box<dyn ProvideCredentials<AlibabaCredentials>>,
}

impl ProvideSourced<AlibabaCredentials> for Named {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(async move {
            Ok(Sourced {
                credentials: self.inner.provide().await?,
                source: self.name.clone(),
            })
        })
    }
}

#[derive(Debug)]
struct AssumeRoleSource {
    source: Arc<DynSourced>,
    sts: Sts,
    cache: Option<DiskCache>,
    origin: String,
    /// The session name was given, not generated.
    session_named: bool,
    request: AssumeRole,
}

impl AssumeRoleSource {
    /// What defines the role's credentials, for the cache: the source's key id is known only once
    /// the source has given its credentials.
    fn cache_key(&self, source_access_key_id: &str) -> CacheKey {
        let request = &self.request;
        vec![
            ("call", "AssumeRole".to_owned()),
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
            ("source_access_key_id", source_access_key_id.to_owned()),
            ("sts_endpoint", self.sts.endpoint().to_owned()),
            ("duration_seconds", request.duration_seconds.to_string()),
            ("policy", request.policy.clone().unwrap_or_default()),
            (
                "external_id",
                request.external_id.clone().unwrap_or_default(),
            ),
        ]
    }

    async fn credentials(&self) -> Result<Expiring<Sourced<AlibabaCredentials>>, CredentialsError> {
        let source = self.source.provide_sourced().await.map_err(|e| {
            CredentialsError::new(format!(
                "no credentials to assume {} with: {e}",
                self.request.role_arn
            ))
        })?;
        let name = format!("ram_role_arn/{}", source.source);
        let key = self.cache_key(&source.credentials.access_key_id);
        if let Some(cached) = self.cache.as_ref().and_then(|c| c.load(&key, &name)) {
            return Ok(cached);
        }
        let expiring = self
            .sts
            .assume_role(source.credentials, &self.request)
            .await?;
        let fresh = Expiring {
            value: Sourced {
                credentials: expiring.value,
                source: name,
            },
            expires_at: expiring.expires_at,
        };
        if let Some(cache) = &self.cache {
            cache.store(&key, &fresh);
        }
        Ok(fresh)
    }
}

impl Refresh<Sourced<AlibabaCredentials>> for AssumeRoleSource {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<AlibabaCredentials>>> {
        Box::pin(self.credentials())
    }
}
