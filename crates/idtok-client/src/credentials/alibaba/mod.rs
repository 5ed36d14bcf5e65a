//! The Alibaba Cloud default credential chain, as `alibabacloud-credentials` 1.0.12 resolves it
//! (its `DefaultCredentialsProvider`), in the same order, from the same variables and files, with
//! the same defaults:
//!
//! | # | provider | from | in the chain |
//! |---|---|---|---|
//! | 1 | `env` | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` | always |
//! | 2 | `oidc_role_arn` | STS AssumeRoleWithOIDC with `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, the token in `ALIBABA_CLOUD_OIDC_TOKEN_FILE` (RRSA) | when those three are set |
//! | 3 | `cli_profile/...` | the aliyun CLI's `~/.aliyun/config.json`, profile `ALIBABA_CLOUD_PROFILE` or its `current` | unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` (then it fails, saying so) |
//! | 4 | `profile/...` | `~/.alibabacloud/credentials.ini` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`), section `ALIBABA_CLOUD_PROFILE` or `default` | always |
//! | 5 | `ecs_ram_role` | the ECS instance metadata service (IMDSv2, then v1 unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), role `ALIBABA_CLOUD_ECS_METADATA` or the instance's | unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` |
//! | 6 | `credential_uri` | a JSON document at `ALIBABA_CLOUD_CREDENTIALS_URI` | when it is set |
//!
//! A profile named in code ([`DefaultChainBuilder::profile`], `idtok --profile`) is read alone:
//! the chain is then providers 3 and 4 for that name, nothing else.
//!
//! The first provider that yields credentials wins and is remembered: later calls go to it alone
//! (the library's `reuse_last_provider_enabled`, on by default). When none does, the error names
//! every provider and why it gave nothing. Profiles may assume a RAM role on top of other
//! credentials ([`RamRoleArnProvider`], STS AssumeRole), which is also offered over any
//! credentials of your own.
//!
//! Temporary credentials (OIDC, ECS, the URI, a RAM role) are cached and renewed before they
//! expire ([`Renewing`]). [`Sourced::source`] names the provider as the library
//! names it without its `default/` prefix: `env`, `oidc_role_arn`, `cli_profile/static_ak`,
//! `cli_profile/ram_role_arn/static_ak`, `profile/ecs_ram_role`, `ecs_ram_role`,
//! `credential_uri`...
//!
//! Every address the chain reaches (the home directory, the metadata service, STS) can be set in
//! code through [`DefaultChainBuilder`], not only through the environment.
//!
//! Where it differs from the library, on purpose:
//!
//! - Renewal: temporary credentials are renewed 15 minutes before they expire (or halfway through
//!   a shorter lifetime), one renewal shared by concurrent callers; a failed renewal keeps the
//!   current credentials while they are valid, and fails once they have expired. The library's
//!   ECS provider also prefetches in the background after an hour and keeps handing out expired
//!   credentials when the metadata service fails; here an expired credential is never used.
//! - The metadata service is waited on once: after a token request that got no answer at all
//!   (a machine that is not an ECS instance), it is not asked again without a token (IMDSv1),
//!   and no provider of the chain asks an address that did not answer again for
//!   [`UNREACHABLE_FOR`]. [`DefaultChainBuilder::without_ecs_metadata`] leaves it out, as
//!   `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` does.
//! - The aliyun CLI's `OAuth` and `External` modes and the credentials file's `rsa_key_pair`
//!   type are refused with an error naming them (the library signs in, or runs a command, for
//!   them). `CloudSSO` profiles are read as the CLI leaves them after
//!   `aliyun configure --profile NAME --mode CloudSSO`; the credentials the CLI kept in the
//!   profile are used first, and an incomplete profile or an expired access token is an error
//!   naming the CLI command that fixes it.
//! - An OIDC token file's and the metadata service's trailing whitespace is dropped; a malformed
//!   file or answer is an error naming the file and line, or what is missing, never quoting a
//!   value.
//! - Plain `http://` is refused for a credentials URI that is not on loopback, and for any
//!   metadata address but 100.100.100.200.

mod cache;
mod cli_profile;
mod cloud_sso;
mod ecs;
mod env;
mod http;
mod ini_profile;
mod oidc;
mod ram_role_arn;
mod sts;
mod uri;

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idtok_runtime::clock::{Clock, SystemClock};
use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, CredentialsFuture, Environment,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_runtime::retry::{RetryPolicy, Timeouts};

use super::{Refresh, Renewing, Sourced, DEFAULT_REFRESH_MARGIN};

pub use cache::default_cache_dir;
pub use cli_profile::cli_profile_region;
pub use http::{HttpTimeouts, UNREACHABLE_FOR};
pub use ram_role_arn::{RamRoleArnBuilder, RamRoleArnProvider};

/// The environment variables the chain reads, as `alibabacloud-credentials` names them.
pub mod variables {
    pub use idtok_runtime::credentials::{
        ALIBABA_ACCESS_KEY_ID as ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET as ACCESS_KEY_SECRET,
        ALIBABA_SECURITY_TOKEN as SECURITY_TOKEN,
    };
    /// The profile of the CLI's config.json and the section of credentials.ini.
    pub const PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
    /// The RAM role to assume with the OIDC token (RRSA).
    pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
    /// The OIDC identity provider of RRSA.
    pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
    /// The file holding the OIDC token of RRSA (re-read at each renewal).
    pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
    /// The session name of an assumed role.
    pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
    /// The region of the STS endpoint (`sts.<region>.aliyuncs.com`).
    pub const STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
    /// `true`: STS through its VPC endpoint (`sts-vpc.<region>.aliyuncs.com`).
    pub const VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
    /// `true`: the CLI's config.json is not read.
    pub const CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
    /// The credentials file, in place of `~/.alibabacloud/credentials.ini`.
    pub const CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
    /// The RAM role of the ECS instance, in place of asking the metadata service.
    pub const ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
    /// `true`: the ECS metadata service is not asked.
    pub const ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
    /// `true`: the metadata service is asked with an IMDSv2 token only, never without.
    pub const IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
    /// A URI that answers with temporary credentials.
    pub const CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";
}

/// What session name a role is assumed with when neither the profile nor
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME` gives one: this prefix and the Unix time, as the library
/// names it (`credentials-python-1700000000`), so that ActionTrail shows what it shows for the
/// official tools.
pub const DEFAULT_SESSION_NAME_PREFIX: &str = "credentials-python-";

/// How long an assumed role's credentials last when nothing says (seconds; at least 900).
pub const DEFAULT_DURATION_SECONDS: u64 = 3600;

/// The ECS metadata service, as the library reaches it.
pub const ECS_METADATA_URL: &str = "http://100.100.100.200";

/// Credentials with the name of the provider that supplied them. Every provider of this module
/// implements it, as well as
/// [`ProvideCredentials`](idtok_runtime::credentials::ProvideCredentials).
pub trait ProvideSourced: Send + Sync + fmt::Debug {
    /// The credentials, and which provider supplied them.
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>>;
}

impl<P: ProvideSourced + ?Sized> ProvideSourced for Arc<P> {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        (**self).provide_sourced()
    }
}

/// `ProvideCredentials` from `ProvideSourced`, the name dropped.
macro_rules! provide_credentials_by_sourced {
    ($type:ty) => {
        impl
            idtok_runtime::credentials::ProvideCredentials<
                idtok_runtime::credentials::AlibabaCredentials,
            > for $type
        {
            fn provide(
                &self,
            ) -> idtok_runtime::credentials::CredentialsFuture<
                '_,
                idtok_runtime::credentials::AlibabaCredentials,
            > {
                Box::pin(async move {
                    $crate::credentials::alibaba::ProvideSourced::provide_sourced(self)
                        .await
                        .map(|sourced| sourced.credentials)
                })
            }
        }
    };
}
pub(crate) use provide_credentials_by_sourced;

/// Temporary credentials kept renewed (OIDC, the metadata service, a credentials URI, a RAM
/// role): cached until they are due for renewal, then obtained again through their source.
#[derive(Debug)]
pub(crate) struct Temporary(Renewing<Sourced<AlibabaCredentials>>);

impl Temporary {
    pub fn new(
        source: impl Refresh<Sourced<AlibabaCredentials>> + 'static,
        settings: &Settings,
    ) -> Self {
        Self(
            Renewing::new(source)
                .with_refresh_margin(settings.refresh_margin)
                .with_clock(settings.clock.clone()),
        )
    }
}

impl ProvideSourced for Temporary {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(self.0.get())
    }
}

/// What a profile in a file describes: the provider it names, built from the file at the first
/// call and kept once built (as the library keeps it), so that its temporary credentials stay
/// cached. `name` prefixes the source (`cli_profile/...`, `profile/...`).
pub(crate) struct FromFile {
    name: &'static str,
    settings: Settings,
    load: fn(&Settings) -> Result<Arc<dyn ProvideSourced>, CredentialsError>,
    inner: Mutex<Option<Arc<dyn ProvideSourced>>>,
}

impl FromFile {
    pub fn new(
        name: &'static str,
        settings: &Settings,
        load: fn(&Settings) -> Result<Arc<dyn ProvideSourced>, CredentialsError>,
    ) -> Self {
        Self {
            name,
            settings: settings.clone(),
            load,
            inner: Mutex::new(None),
        }
    }

    fn inner(&self) -> Result<Arc<dyn ProvideSourced>, CredentialsError> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(provider) = inner.as_ref() {
            return Ok(provider.clone());
        }
        let provider = (self.load)(&self.settings)?;
        *inner = Some(provider.clone());
        Ok(provider)
    }

    async fn credentials(&self) -> Result<Sourced<AlibabaCredentials>, CredentialsError> {
        let sourced = self.inner()?.provide_sourced().await?;
        Ok(Sourced {
            credentials: sourced.credentials,
            source: format!("{}/{}", self.name, sourced.source),
        })
    }
}

impl ProvideSourced for FromFile {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(self.credentials())
    }
}

impl fmt::Debug for FromFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone();
        f.debug_struct("FromFile")
            .field("name", &self.name)
            .field("settings", &self.settings)
            .field("inner", &inner)
            .finish_non_exhaustive()
    }
}

/// What every provider of the chain shares: where it reads variables and files, the clock, and
/// how it reaches the metadata service, a credentials URI and STS.
#[derive(Clone)]
pub(crate) struct Settings {
    pub env: Environment,
    /// Set in code; else `HOME` (or `USERPROFILE`) of `env`.
    pub home: Option<PathBuf>,
    /// Set in code (`idtok --profile`); beats `ALIBABA_CLOUD_PROFILE`.
    pub profile: Option<String>,
    pub clock: Arc<dyn Clock>,
    pub refresh_margin: Duration,
    pub ecs_metadata_url: reqwest::Url,
    pub ecs_timeouts: HttpTimeouts,
    pub uri_timeouts: HttpTimeouts,
    /// Used for the metadata service and the credentials URI instead of one built here.
    pub http_client: Option<reqwest::Client>,
    /// Set in code: why the ECS metadata service is never asked (`idtok --no-metadata`).
    pub ecs_metadata_off: Option<String>,
    /// The metadata addresses that did not answer, shared by every provider of the chain.
    pub unreachable: Arc<http::Unreachable>,
    /// Where assumed roles' credentials are kept between processes, when they are.
    pub cache: Option<cache::DiskCache>,
    pub sts: sts::StsSettings,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("env", &self.env)
            .field("home", &self.home)
            .field("profile", &self.profile)
            .field("ecs_metadata_url", &self.ecs_metadata_url.as_str())
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// `name` is set to `true` (any case), as the library tests its switches.
    pub fn is_true(&self, name: &str) -> bool {
        self.env
            .get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub fn home_dir(&self) -> Result<PathBuf, CredentialsError> {
        self.home
            .clone()
            .or_else(|| super::files::home_dir(|name| self.env.get(name)))
            .ok_or_else(|| {
                CredentialsError::new("no home directory: HOME (or USERPROFILE) is not set")
            })
    }

    /// Why the ECS metadata service is not to be asked, if it is not: turned off in code, or by
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
    pub fn ecs_metadata_off(&self) -> Option<String> {
        self.ecs_metadata_off.clone().or_else(|| {
            self.is_true(variables::ECS_METADATA_DISABLED)
                .then(|| format!("{}=true", variables::ECS_METADATA_DISABLED))
        })
    }

    /// The profile asked for in code, else `ALIBABA_CLOUD_PROFILE`.
    pub fn profile_name(&self) -> Option<String> {
        profile_name(self.profile.as_deref(), &self.env)
    }

    /// The Unix time now, in whole seconds.
    pub fn unix_now(&self) -> u64 {
        self.clock
            .now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// The profile name to use: `explicit` (a `--profile` flag) when given, else
/// `ALIBABA_CLOUD_PROFILE`. `None` means each file's own default: the CLI's `current` profile,
/// the credentials file's `[default]` section.
pub fn profile_name(explicit: Option<&str>, environment: &Environment) -> Option<String> {
    explicit
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .or_else(|| environment.get(variables::PROFILE))
}

/// One provider of the chain.
struct Link {
    name: &'static str,
    provider: Box<dyn ProvideSourced>,
}

/// The default credential chain (see the [module](self)). Build it with [`DefaultChain::new`] or
/// [`DefaultChain::builder`]; give it to a client's `ClientContext` like any other credentials.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idtok_client::credentials::alibaba::DefaultChain;
///
/// let chain = DefaultChain::new()?;
/// let sourced = chain.credentials().await?;
/// println!("credentials from {}", sourced.source);
/// let context = idtok_client::eiam::ClientContext::new(chain);
/// # Ok(()) }
/// ```
pub struct DefaultChain {
    links: Vec<Link>,
    /// Providers left out of the chain, and why: said when no provider gives credentials.
    left_out: Vec<String>,
    /// The profile named in code, which the chain is made of alone.
    named: Option<String>,
    reuse_last_provider: bool,
    /// The index of the link that last yielded credentials.
    last: Mutex<Option<usize>>,
}

impl DefaultChain {
    /// The chain over the process environment and the user's home directory.
    pub fn new() -> Result<Self, CredentialsError> {
        Self::builder().build()
    }

    /// A chain to configure: another environment or home directory, a profile, STS settings.
    pub fn builder() -> DefaultChainBuilder {
        DefaultChainBuilder::default()
    }

    /// The providers of this chain, in the order they are asked.
    pub fn provider_names(&self) -> Vec<&'static str> {
        self.links.iter().map(|l| l.name).collect()
    }

    /// Credentials, and which provider supplied them.
    pub async fn credentials(&self) -> Result<Sourced<AlibabaCredentials>, CredentialsError> {
        let last = *self.last.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(link) = last
            .filter(|_| self.reuse_last_provider)
            .and_then(|i| self.links.get(i))
        {
            // As the library: the provider that worked is asked alone, and its failure is the
            // chain's.
            return link.provider.provide_sourced().await;
        }
        let mut failures = Vec::with_capacity(self.links.len());
        for (index, link) in self.links.iter().enumerate() {
            match link.provider.provide_sourced().await {
                Ok(sourced) => {
                    tracing::debug!(provider = %sourced.source, "Alibaba Cloud credentials found");
                    *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(index);
                    return Ok(sourced);
                }
                Err(error) => {
                    tracing::debug!(provider = link.name, %error, "no credentials from this provider");
                    failures.push(format!("  {}: {error}", link.name));
                }
            }
        }
        failures.extend(self.left_out.iter().map(|why| format!("  ({why})")));
        let header = match &self.named {
            Some(name) => format!(
                "no Alibaba Cloud credentials from profile '{name}' (asked by name: only the aliyun CLI's profile and the credentials file's section of that name are read)"
            ),
            None => "no Alibaba Cloud credentials from any provider of the default chain".to_owned(),
        };
        Err(CredentialsError::new(format!(
            "{header}:\n{}",
            failures.join("\n")
        )))
    }
}

impl ProvideSourced for DefaultChain {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(self.credentials())
    }
}

provide_credentials_by_sourced!(DefaultChain);

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let providers: Vec<&dyn ProvideSourced> =
            self.links.iter().map(|l| l.provider.as_ref()).collect();
        f.debug_struct("DefaultChain")
            .field("providers", &providers)
            .field("reuse_last_provider", &self.reuse_last_provider)
            .finish_non_exhaustive()
    }
}

/// Builds a [`DefaultChain`]; every setting defaults to what the library does.
#[derive(Clone)]
pub struct DefaultChainBuilder {
    env: Environment,
    home: Option<PathBuf>,
    profile: Option<String>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    ecs_metadata_url: String,
    ecs_timeouts: HttpTimeouts,
    uri_timeouts: HttpTimeouts,
    http_client: Option<reqwest::Client>,
    ecs_metadata_off: Option<String>,
    cache_dir: Option<PathBuf>,
    sts_endpoint: Option<Endpoint>,
    sts_timeouts: Timeouts,
    sts_retry: RetryPolicy,
    reuse_last_provider: bool,
}

impl Default for DefaultChainBuilder {
    fn default() -> Self {
        Self {
            env: Environment::process(),
            home: None,
            profile: None,
            clock: Arc::new(SystemClock),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            ecs_metadata_url: ECS_METADATA_URL.to_owned(),
            ecs_timeouts: HttpTimeouts::ECS_METADATA,
            uri_timeouts: HttpTimeouts::CREDENTIALS_URI,
            http_client: None,
            ecs_metadata_off: None,
            cache_dir: None,
            sts_endpoint: None,
            sts_timeouts: sts::DEFAULT_TIMEOUTS,
            sts_retry: RetryPolicy::default(),
            reuse_last_provider: true,
        }
    }
}

impl fmt::Debug for DefaultChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChainBuilder")
            .field("env", &self.env)
            .field("home", &self.home)
            .field("profile", &self.profile)
            .field("ecs_metadata_url", &self.ecs_metadata_url)
            .field("ecs_metadata_off", &self.ecs_metadata_off)
            .field("cache_dir", &self.cache_dir)
            .field("sts_endpoint", &self.sts_endpoint)
            .finish_non_exhaustive()
    }
}

impl DefaultChainBuilder {
    /// Reads variables from `env` instead of the process environment (tests, or a tool that
    /// passes its own).
    pub fn environment(mut self, env: Environment) -> Self {
        self.env = env;
        self
    }

    /// Looks for `.aliyun/config.json` and `.alibabacloud/credentials.ini` under `home` instead of
    /// `HOME`.
    pub fn home_dir(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// Uses this profile of config.json, else this section of credentials.ini, and nothing
    /// else (a `--profile` flag): the chain is then those two providers alone, so that neither
    /// the environment's credentials nor the metadata service stand in for a profile that was
    /// asked for by name and is missing or broken; the error names both files. It beats
    /// `ALIBABA_CLOUD_PROFILE`, which, as in the library, only picks the profile the chain's
    /// file providers read.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into()).filter(|p| !p.is_empty());
        self
    }

    /// Reads the time from `clock` (expiry of temporary credentials; tests move it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Renews temporary credentials this long before they expire (15 minutes, as the library),
    /// or halfway through their lifetime if that is sooner.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Asks the ECS metadata service at `url` instead of `http://100.100.100.200`: an `https://`
    /// URL, or `http://` to a loopback address (a test server).
    pub fn ecs_metadata_url(mut self, url: impl Into<String>) -> Self {
        self.ecs_metadata_url = url.into();
        self
    }

    /// Never asks the ECS metadata service, as `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` does;
    /// `reason` says why in errors (`idtok` gives its flag, `--no-metadata`). Off a cloud
    /// instance that saves the wait for an address that does not answer.
    pub fn without_ecs_metadata(mut self, reason: impl Into<String>) -> Self {
        self.ecs_metadata_off = Some(reason.into());
        self
    }

    /// Bounds each request to the metadata service (1 s to connect, 1 s to read, as the library).
    pub fn ecs_metadata_timeouts(mut self, timeouts: HttpTimeouts) -> Self {
        self.ecs_timeouts = timeouts;
        self
    }

    /// Bounds the request to `ALIBABA_CLOUD_CREDENTIALS_URI` (5 s to connect, 10 s to read).
    pub fn credentials_uri_timeouts(mut self, timeouts: HttpTimeouts) -> Self {
        self.uri_timeouts = timeouts;
        self
    }

    /// Sends the requests to the metadata service and the credentials URI with `client` (a proxy,
    /// your own TLS roots). The timeouts above still bound each request as a whole.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Keeps the credentials of every role assumed (RamRoleArn, OIDC and CloudSSO profiles, RRSA) in
    /// `dir` between processes, as the aws CLI keeps its own: a command run again within the
    /// hour does not call STS again. One file per role, named by a hash of what defines it
    /// (the profile, the role, the session name unless generated, the source's access key id
    /// or the OIDC provider and token file, the STS endpoint), used until it is due for
    /// renewal; `dir` is made `0700` and each file written `0600`. A file that cannot be read
    /// or written is a warning, never an error. Off unless set; [`default_cache_dir`] is where
    /// `idtok` keeps it.
    pub fn credentials_cache(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Calls STS at `endpoint` for every role assumed, whatever the profiles and
    /// `ALIBABA_CLOUD_STS_REGION` say.
    pub fn sts_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.sts_endpoint = Some(endpoint);
        self
    }

    /// Bounds STS calls (5 s to connect and 10 s per attempt, as the library).
    pub fn sts_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.sts_timeouts = timeouts;
        self
    }

    /// Retries STS calls by `policy`.
    pub fn sts_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.sts_retry = policy;
        self
    }

    /// Whether later calls go straight to the provider that worked (yes, as the library).
    pub fn reuse_last_provider(mut self, reuse: bool) -> Self {
        self.reuse_last_provider = reuse;
        self
    }

    /// The region (`region_id`) of the aliyun CLI profile this chain would use, for a tool's
    /// default region; see [`cli_profile_region`].
    pub fn cli_profile_region(&self) -> Result<Option<String>, CredentialsError> {
        cli_profile_region(&self.env, self.home.as_deref(), self.profile.as_deref())
    }

    pub(crate) fn settings(&self) -> Result<Settings, CredentialsError> {
        Ok(Settings {
            env: self.env.clone(),
            home: self.home.clone(),
            profile: self.profile.clone(),
            clock: self.clock.clone(),
            refresh_margin: self.refresh_margin,
            ecs_metadata_url: ecs::metadata_url(&self.ecs_metadata_url)?,
            ecs_timeouts: self.ecs_timeouts,
            uri_timeouts: self.uri_timeouts,
            http_client: self.http_client.clone(),
            ecs_metadata_off: self.ecs_metadata_off.clone(),
            unreachable: Arc::default(),
            cache: self
                .cache_dir
                .clone()
                .map(|dir| cache::DiskCache::new(dir, self.refresh_margin, self.clock.clone())),
            sts: sts::StsSettings {
                endpoint: self.sts_endpoint.clone(),
                timeouts: self.sts_timeouts,
                retry: self.sts_retry,
            },
        })
    }

    /// The chain, with the providers the environment calls for (read now, as the library reads
    /// it once).
    pub fn build(self) -> Result<DefaultChain, CredentialsError> {
        let settings = self.settings()?;
        if let Some(name) = &settings.profile {
            return Ok(DefaultChain {
                links: vec![
                    Link {
                        name: "cli_profile",
                        provider: Box::new(FromFile::new(
                            "cli_profile",
                            &settings,
                            cli_profile::load,
                        )),
                    },
                    Link {
                        name: "profile",
                        provider: Box::new(FromFile::new("profile", &settings, ini_profile::load)),
                    },
                ],
                left_out: Vec::new(),
                named: Some(name.clone()),
                reuse_last_provider: self.reuse_last_provider,
                last: Mutex::new(None),
            });
        }
        let mut links = vec![Link {
            name: "env",
            provider: Box::new(env::EnvProvider::new(settings.env.clone())),
        }];
        if oidc::configured_by_environment(&settings.env) {
            links.push(Link {
                name: "oidc_role_arn",
                provider: Box::new(oidc::provider(
                    oidc::OidcConfig {
                        origin: "environment".to_owned(),
                        ..oidc::OidcConfig::default()
                    },
                    &settings,
                )?),
            });
        }
        links.push(Link {
            name: "cli_profile",
            provider: Box::new(FromFile::new("cli_profile", &settings, cli_profile::load)),
        });
        links.push(Link {
            name: "profile",
            provider: Box::new(FromFile::new("profile", &settings, ini_profile::load)),
        });
        let mut left_out = Vec::new();
        match settings.ecs_metadata_off() {
            None => links.push(Link {
                name: "ecs_ram_role",
                provider: Box::new(ecs::provider(None, &settings)?),
            }),
            Some(why) => left_out.push(format!("ecs_ram_role not asked: {why}")),
        }
        if settings.env.get(variables::CREDENTIALS_URI).is_some() {
            links.push(Link {
                name: "credential_uri",
                provider: Box::new(uri::provider(&settings)?),
            });
        }
        Ok(DefaultChain {
            links,
            left_out,
            named: None,
            reuse_last_provider: self.reuse_last_provider,
            last: Mutex::new(None),
        })
    }
}
