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
//! (the library's `reuse_last_provider_enabled`, on by default). A provider whose source is not
//! set up here (its variables unset, no such file or profile, a metadata service that does not
//! answer) passes to the next; one that is set up but fails stops the chain with its error. The
//! error names every provider asked and why it gave nothing. Profiles may assume a RAM role on
//! top of other credentials ([`RamRoleArnProvider`], STS AssumeRole), which is also offered over
//! any credentials of your own.
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
//! - A provider that is set up but fails (RRSA whose token STS refuses, a malformed config.json,
//!   a profile of a mode that is not supported) stops the chain; the library asks the next one.
//!   Otherwise a pod whose RRSA is broken runs with its node's ECS role, and a user whose profile
//!   is broken with whatever the credentials file says, without a word. The metadata service is
//!   asked on every machine: that it gives nothing means there is no instance role, unless
//!   `ALIBABA_CLOUD_ECS_METADATA` names one.
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
//!   metadata address but 100.100.100.200 on port 80.

mod cache;
mod cli_profile;
mod cloud_sso;
mod ecs;
mod env;
mod ini_profile;
mod oidc;
mod ram_role_arn;
mod sts;
mod uri;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use idtok_runtime::clock::{Clock, SystemClock};
use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, CredentialsFuture, Environment,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_runtime::retry::{RetryPolicy, Timeouts};

use super::chain::{Chain, Configured, Loaded, Probed, Wording};
use super::files::ReadOnce;
use super::http::Unreachable;
use super::{Refresh, Renewing, Sourced, DEFAULT_REFRESH_MARGIN};

pub use super::{HttpTimeouts, ProvideSourced, UNREACHABLE_FOR};
pub use cache::default_cache_dir;
pub use cli_profile::cli_profile_region;
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

/// A provider of this module, as a trait object.
pub(crate) type DynSourced = dyn ProvideSourced<AlibabaCredentials>;

/// Temporary credentials kept renewed (OIDC, the metadata service, a credentials URI, a RAM
/// role): cached until they are due for renewal, then obtained again through their source.
pub(crate) type Temporary = Renewing<Sourced<AlibabaCredentials>>;

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
    pub unreachable: Arc<Unreachable>,
    /// Where assumed roles' credentials are kept between processes, when they are.
    pub cache: Option<cache::DiskCache>,
    pub sts: sts::StsSettings,
    /// How the profile files are read: once per invocation of a tool, or at each load.
    pub files: ReadOnce,
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

    /// `source`'s temporary credentials, renewed by the chain's margin and clock.
    pub fn renewing(
        &self,
        source: impl Refresh<Sourced<AlibabaCredentials>> + 'static,
    ) -> Temporary {
        Renewing::new(source)
            .with_refresh_margin(self.refresh_margin)
            .with_clock(self.clock.clone())
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
    chain: Chain<AlibabaCredentials>,
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
        self.chain.names()
    }

    /// Credentials, and which provider supplied them.
    pub async fn credentials(&self) -> Result<Sourced<AlibabaCredentials>, CredentialsError> {
        self.chain.credentials().await
    }
}

impl ProvideSourced<AlibabaCredentials> for DefaultChain {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<AlibabaCredentials>> {
        Box::pin(self.credentials())
    }
}

super::provide_credentials_by_sourced!(DefaultChain, AlibabaCredentials);

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("chain", &self.chain)
            .finish()
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
    files: ReadOnce,
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
            files: ReadOnce::default(),
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

    /// Reads the profile files through `files`: a tool gives the same [`ReadOnce::new`] to
    /// this builder and to [`cli_profile_region`](Self::cli_profile_region), so that the
    /// profile's region and its credentials come from one reading of config.json. Unless given,
    /// each file is read when the chain first needs it.
    pub fn files(mut self, files: ReadOnce) -> Self {
        self.files = files;
        self
    }

    /// The region (`region_id`) of the aliyun CLI profile this chain would use, for a tool's
    /// default region; see [`cli_profile_region`]. Read through this builder's
    /// [`files`](Self::files).
    pub fn cli_profile_region(&self) -> Result<Option<String>, CredentialsError> {
        cli_profile::region(
            &self.env,
            self.home.as_deref(),
            self.profile.as_deref(),
            &self.files,
        )
    }

    pub(crate) fn settings(&self) -> Result<Settings, CredentialsError> {
        Ok(Settings {
            env: self.env.clone(),
            home: self.home.clone(),
            profile: self.profile.clone(),
            clock: self.clock.clone(),
            refresh_margin: self.refresh_margin,
            ecs_metadata_url: ecs::metadata_url(&self.ecs_metadata_url)?,
            files: self.files.clone(),
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
        let cli_profile = {
            let settings = settings.clone();
            Loaded::new(
                Some("cli_profile"),
                Box::new(move || cli_profile::load(&settings)),
            )
        };
        let ini_profile = {
            let settings = settings.clone();
            Loaded::new(
                Some("profile"),
                Box::new(move || ini_profile::load(&settings)),
            )
        };
        if let Some(name) = &settings.profile {
            let chain = Chain::new(Wording {
                header: Some(format!(
                    "no Alibaba Cloud credentials from profile '{name}' (asked by name: only the aliyun CLI's profile and the credentials file's section of that name are read)"
                )),
                stopped_by,
            })
            .with("cli_profile", cli_profile)
            .with("profile", ini_profile)
            .reuse_last(self.reuse_last_provider);
            return Ok(DefaultChain { chain });
        }
        let mut chain = Chain::new(Wording {
            header: Some(
                "no Alibaba Cloud credentials from any provider of the default chain".to_owned(),
            ),
            stopped_by,
        })
        .with("env", Probed(env::EnvProvider::new(settings.env.clone())))
        .reuse_last(self.reuse_last_provider);
        if oidc::configured_by_environment(&settings.env) {
            let rrsa = oidc::OidcConfig {
                origin: "environment".to_owned(),
                ..oidc::OidcConfig::default()
            };
            chain = chain.with(
                "oidc_role_arn",
                Configured(oidc::provider(rrsa, &settings)?),
            );
        }
        chain = chain
            .with("cli_profile", cli_profile)
            .with("profile", ini_profile);
        chain = match settings.ecs_metadata_off() {
            None => {
                let ecs = ecs::provider(None, &settings)?;
                // Asked on every machine, it is set up only where a role is named for it.
                if settings.env.get(variables::ECS_METADATA).is_some() {
                    chain.with("ecs_ram_role", Configured(ecs))
                } else {
                    chain.with("ecs_ram_role", Probed(ecs))
                }
            }
            Some(why) => chain.left_out(format!("ecs_ram_role not asked: {why}")),
        };
        if settings.env.get(variables::CREDENTIALS_URI).is_some() {
            chain = chain.with("credential_uri", Configured(uri::provider(&settings)?));
        }
        Ok(DefaultChain { chain })
    }
}

/// What the chain's error says of the providers a set-up provider kept from being asked.
fn stopped_by(name: &str) -> String {
    format!("{name} is set up here, so no later provider stands in for it")
}
