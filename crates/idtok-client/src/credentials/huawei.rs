//! Huawei Cloud's default credential chain, as huaweicloudsdkcore 3.1.219 resolves it for a client
//! built without credentials (`CredentialProviderChain.get_default_credential_provider_chain`,
//! auth/provider.py), and the SDK's endpoint overrides ([`region_endpoint`]).
//!
//! The providers, in the SDK's order; the first that gives credentials wins, a provider whose
//! source is not set up here passes to the next, and one that is set up but cannot give
//! credentials stops the chain (as the SDK raises there), as in the Alibaba chain:
//!
//! | # | provider (`Sourced::source`) | reads |
//! |---|---|---|
//! | 1 | `oidc_sts` | `HUAWEICLOUD_OIDC_PROVIDER_URN`, `HUAWEICLOUD_OIDC_AGENCY_URN`, `HUAWEICLOUD_OIDC_ID_TOKEN` or `HUAWEICLOUD_OIDC_TOKEN_FILE`: **not supported**; when all are set the chain stops with an error saying so |
//! | 2 | `env` | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID` (basic) or `HUAWEICLOUD_SDK_DOMAIN_ID` (global); `HUAWEICLOUD_SDK_IDP_ID` + `HUAWEICLOUD_SDK_ID_TOKEN_FILE` (federation) are **not supported** and stop the chain |
//! | 3 | `profile` | `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`: section `[basic]` (or `[global]`), keys `ak`, `sk`, `security_token`, `project_id` (or `domain_id`); `idp_id` + `id_token_file` **not supported**, stop the chain |
//! | 4 | `metadata` | the ECS metadata service: `http://169.254.169.254/openstack/latest/securitykey`, a temporary AK/SK and security token, renewed 40 minutes before it expires; not asked when turned off in code ([`DefaultChainBuilder::without_metadata`]; the SDK has no variable for it) |
//! | 5 | `pod_identity` | `HC_CONTAINER_CREDENTIALS_FULL_URI`, `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE`: **not supported**; when both are set the chain ends with an error saying so |
//!
//! The credential type decides the section and the id: the identity store's SDK client
//! (`IdentityCenterStoreClient`) is built with `BasicCredentials`, so the default is
//! [`CredentialType::Basic`]: section `basic`, `project_id`, `X-Project-Id`.
//!
//! Where this differs from the SDK, on purpose:
//! - The SDK's client builder asks the chain for the type name `"BasicCredentials"` and so reads
//!   the section `[basiccredentials]`, while `CredentialProviderChain.get_basic()` and Huawei's
//!   documentation use `[basic]`. Both are read here: `[basic]`, else `[basiccredentials]`
//!   (`[global]`, else `[globalcredentials]`).
//! - A metadata service that cannot be reached (a machine that is not an ECS instance) makes the
//!   SDK's chain raise at once; here it is one more provider that gave nothing.
//! - With a region and no project id, the SDK's client asks IAM for the region's project id
//!   (`KeystoneListProjects`); idtok does not: it sends `X-Project-Id` only when one is given.
//! - The chain is resolved once, at the first call, as the SDK resolves it when a client is
//!   built; the metadata key is then renewed as it expires. A failed resolution is tried again at
//!   the next call.

mod koocli;
mod metadata;
mod region;

pub use metadata::{METADATA_BASE_URL, METADATA_CONNECT_TIMEOUT, METADATA_READ_TIMEOUT};
pub use region::{
    default_region, region_endpoint, region_endpoint_var, regions_file, resolve_endpoint,
    sdk_service_name, RegionError, DEFAULT_REGION_VAR, REGIONS_FILE_VAR,
    REGION_ENDPOINT_VAR_PREFIX,
};

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use idtok_runtime::clock::{Clock, SystemClock};
use idtok_runtime::credentials::{
    CredentialsError, CredentialsFuture, Environment, HuaweiCredentials, HUAWEI_AK, HUAWEI_SK,
};
use idtok_secret::SecretString;
use reqwest::Url;

use super::chain::{Attempt, AttemptFuture, Chain, Fixed, Link, Loaded, Outcome, Probed, Wording};
use super::files::{home_dir, Ini, ReadOnce};
use super::http::{HttpTimeouts, PlainHttp, Proxies};
use super::{ProvideSourced, Renewing, Sourced};

/// The variable that names the credentials file.
pub const CREDENTIALS_FILE_VAR: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The identity provider id of federated credentials (the SDK's OIDC federation).
pub const IDP_ID_VAR: &str = "HUAWEICLOUD_SDK_IDP_ID";
/// The file holding the id token of federated credentials.
pub const ID_TOKEN_FILE_VAR: &str = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";
/// The OIDC provider of a workload identity (CCE).
pub const OIDC_PROVIDER_URN_VAR: &str = "HUAWEICLOUD_OIDC_PROVIDER_URN";
/// The agency a workload identity assumes (CCE).
pub const OIDC_AGENCY_URN_VAR: &str = "HUAWEICLOUD_OIDC_AGENCY_URN";
/// A workload identity's id token, given inline.
pub const OIDC_ID_TOKEN_VAR: &str = "HUAWEICLOUD_OIDC_ID_TOKEN";
/// The file holding a workload identity's id token.
pub const OIDC_TOKEN_FILE_VAR: &str = "HUAWEICLOUD_OIDC_TOKEN_FILE";
/// The URI of a pod's credentials endpoint (CCE pod identity).
pub const POD_CREDENTIALS_URI_VAR: &str = "HC_CONTAINER_CREDENTIALS_FULL_URI";
/// The file holding the token that authorizes a pod at its credentials endpoint.
pub const POD_TOKEN_FILE_VAR: &str = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE";

/// How long before it expires the metadata service's key is renewed: the SDK's
/// `_DEFAULT_EXPIRATION_THRESHOLD_SECONDS` (40 minutes). As with every
/// [`Renewing`] cache, a key that lives less than twice this long is renewed
/// halfway through its life instead.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(40 * 60);

/// The providers' names, in the chain's order.
pub const PROVIDERS: [&str; 5] = ["oidc_sts", "env", "profile", "metadata", "pod_identity"];

/// Which of the SDK's credential classes the chain builds, which decides the profile section and
/// which id the credentials carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CredentialType {
    /// `BasicCredentials`, for regional services (the identity store): section `[basic]`,
    /// `project_id` / `HUAWEICLOUD_SDK_PROJECT_ID`, sent as `X-Project-Id`.
    #[default]
    Basic,
    /// `GlobalCredentials`, for global services: section `[global]`, `domain_id` /
    /// `HUAWEICLOUD_SDK_DOMAIN_ID`, sent as `X-Domain-Id`.
    Global,
}

impl CredentialType {
    /// The profile sections read, in order: the documented one, then the one the SDK's client
    /// builder reads.
    fn sections(self) -> [&'static str; 2] {
        match self {
            CredentialType::Basic => ["basic", "basiccredentials"],
            CredentialType::Global => ["global", "globalcredentials"],
        }
    }

    /// Keeps only the id this type carries, as the SDK's two classes do.
    fn keep_own_id(self, mut credentials: HuaweiCredentials) -> HuaweiCredentials {
        match self {
            CredentialType::Basic => credentials.domain_id = None,
            CredentialType::Global => credentials.project_id = None,
        }
        credentials
    }
}

/// The region of profile `name` as [`DefaultChainBuilder::profile`] finds it: KooCLI's
/// `region` for a KooCLI profile; `None` when the profile file's `[name]` section is the one used
/// (the SDK's file has no region), or when neither file has the profile (the chain then says
/// so). An error only for a file that cannot be read or parsed. `home` is the home directory
/// ([`files::home_dir`](super::files::home_dir)). A tool that also builds the chain asks
/// [`DefaultChainBuilder::profile_region`] instead, which reads the files once for both.
pub fn profile_region(
    environment: &Environment,
    home: Option<&Path>,
    name: &str,
) -> Result<Option<String>, CredentialsError> {
    DefaultChain::builder()
        .environment(environment.clone())
        .home_dir(home.map(Path::to_path_buf))
        .profile(name)
        .profile_region()
}

/// The profile file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`.
fn credentials_file(environment: &Environment, home: Option<&Path>) -> Option<PathBuf> {
    environment
        .get(CREDENTIALS_FILE_VAR)
        .map(PathBuf::from)
        .or_else(|| home.map(|home| home.join(".huaweicloud").join("credentials")))
}

/// The default chain: see the [module](self) for what it reads and in which order.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idtok_client::credentials::huawei::DefaultChain;
/// use idtok_client::identitystore::{Client, ClientContext};
/// use idtok_runtime::credentials::Environment;
/// use idtok_runtime::endpoint::Service;
///
/// let environment = Environment::process();
/// let home = idtok_client::credentials::files::home_dir(|name| environment.get(name));
/// let endpoint = idtok_client::credentials::huawei::resolve_endpoint(
///     Service::IdentityStore,
///     "cn-north-4",
///     &environment,
///     home.as_deref(),
/// )?;
/// let client = Client::from_endpoint(&endpoint, ClientContext::new(DefaultChain::new()?))?;
/// # Ok(()) }
/// ```
pub struct DefaultChain {
    setup: Arc<Setup>,
    chain: Chain<HuaweiCredentials>,
}

/// What the chain's providers read, and how they reach the metadata service.
struct Setup {
    environment: Environment,
    home_dir: Option<PathBuf>,
    credential_type: CredentialType,
    metadata_base_url: Url,
    metadata_http: PlainHttp,
    /// Why the metadata service is never asked, when it is not (`idtok --no-metadata`).
    metadata_off: Option<String>,
    /// A profile asked for by name: it alone is used.
    profile: Option<String>,
    refresh_margin: Duration,
    clock: Arc<dyn Clock>,
    files: ReadOnce,
}

/// Every external address and limit of a [`DefaultChain`], overridable in code.
pub struct DefaultChainBuilder {
    environment: Environment,
    home_dir: Option<Option<PathBuf>>,
    credential_type: CredentialType,
    metadata_base_url: String,
    metadata_timeouts: HttpTimeouts,
    metadata_off: Option<String>,
    profile: Option<String>,
    refresh_margin: Duration,
    clock: Arc<dyn Clock>,
    files: ReadOnce,
}

impl Default for DefaultChainBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::process(),
            home_dir: None,
            credential_type: CredentialType::Basic,
            metadata_base_url: METADATA_BASE_URL.to_owned(),
            metadata_timeouts: HttpTimeouts {
                connect: METADATA_CONNECT_TIMEOUT,
                read: METADATA_READ_TIMEOUT,
            },
            metadata_off: None,
            profile: None,
            refresh_margin: REFRESH_MARGIN,
            clock: Arc::new(SystemClock),
            files: ReadOnce::default(),
        }
    }
}

impl DefaultChainBuilder {
    /// Where the variables come from (the process environment unless given).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// The home directory, whose `.huaweicloud/credentials` is the default profile file; `None`:
    /// no home, so only `HUAWEICLOUD_SDK_CREDENTIALS_FILE` names one. Unless given, `HOME`
    /// (else `USERPROFILE`) of the [`environment`](Self::environment).
    pub fn home_dir(mut self, home: Option<PathBuf>) -> Self {
        self.home_dir = Some(home);
        self
    }

    /// [`CredentialType::Basic`] unless given.
    pub fn credential_type(mut self, credential_type: CredentialType) -> Self {
        self.credential_type = credential_type;
        self
    }

    /// The metadata service's base URL ([`METADATA_BASE_URL`] unless given). HTTPS, plain HTTP
    /// to loopback, or the real service's `http://169.254.169.254`.
    pub fn metadata_base_url(mut self, url: impl Into<String>) -> Self {
        self.metadata_base_url = url.into();
        self
    }

    /// How long a metadata request may take to connect and then to read (3 s each unless given,
    /// as the SDK); the whole request is bounded by the two added up.
    pub fn metadata_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.metadata_timeouts = HttpTimeouts { connect, read };
        self
    }

    /// Uses the profile called `name` alone, in place of the chain (`idtok --profile`): the
    /// `[name]` section of the profile file (keys as in `[basic]`), else profile `name` of
    /// KooCLI's `~/.hcloud/config.json` (mode `AKSK` with unencrypted keys, or `ecsAgency`).
    /// The SDK has no named profiles; this is how KooCLI users keep several. When neither file
    /// has it, or it cannot be used, the error says which files were read and what to do.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into()).filter(|n| !n.is_empty());
        self
    }

    /// Never asks the metadata service; `reason` says why in errors (`idtok` gives its flag,
    /// `--no-metadata`). huaweicloudsdkcore has no variable for this: off a cloud instance, this
    /// saves the wait for an address that does not answer.
    pub fn without_metadata(mut self, reason: impl Into<String>) -> Self {
        self.metadata_off = Some(reason.into());
        self
    }

    /// How long before it expires the metadata key is renewed ([`REFRESH_MARGIN`] unless given).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The clock that decides when the metadata key is due (tests move it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Reads the profile files through `files`: a tool gives the same [`ReadOnce::new`] to this
    /// builder and to the region lookup ([`profile_region`](Self::profile_region)), so that a
    /// profile's region and its keys come from one reading of its files. Unless given, each
    /// file is read when the chain first needs it.
    pub fn files(mut self, files: ReadOnce) -> Self {
        self.files = files;
        self
    }

    fn home(&self) -> Option<PathBuf> {
        match &self.home_dir {
            Some(home) => home.clone(),
            None => home_dir(|name| self.environment.get(name)),
        }
    }

    /// The region of the profile [`profile`](Self::profile) names (see [`profile_region`]);
    /// `None` without one. Read through this builder's [`files`](Self::files).
    pub fn profile_region(&self) -> Result<Option<String>, CredentialsError> {
        let Some(name) = &self.profile else {
            return Ok(None);
        };
        let home = self.home();
        if let Some(path) = credentials_file(&self.environment, home.as_deref())
            && let Some(text) = self.files.read(&path)?
            && Ini::parse(&path, &text)?.section(name).is_some()
        {
            return Ok(None);
        }
        match home {
            Some(home) => koocli::profile_region(&home, name, &self.files),
            None => Ok(None),
        }
    }

    /// The chain; fails on a metadata base URL that is refused, or an HTTP stack that does not
    /// start. Nothing is read yet: that happens at the first call.
    pub fn build(self) -> Result<DefaultChain, CredentialsError> {
        let metadata_base_url = metadata::metadata_base_url(&self.metadata_base_url)?;
        let metadata_http = PlainHttp::new(self.metadata_timeouts, Proxies::Never, None);
        let home_dir = self.home();
        let setup = Arc::new(Setup {
            environment: self.environment,
            home_dir,
            credential_type: self.credential_type,
            metadata_base_url,
            metadata_http,
            metadata_off: self.metadata_off,
            profile: self.profile,
            refresh_margin: self.refresh_margin,
            clock: self.clock,
            files: self.files,
        });
        let chain = match setup.profile.clone() {
            Some(name) => {
                let named = setup.clone();
                Chain::new(Wording {
                    header: None,
                    stopped_by,
                })
                .with(
                    "named_profile",
                    Loaded::new(None, Box::new(move || named.named_profile(&name))),
                )
            }
            None => {
                let (env, profile) = (setup.clone(), setup.clone());
                let chain = Chain::new(Wording {
                    header: Some(
                        "no Huawei Cloud credentials from the default chain (huaweicloudsdkcore's order)"
                            .to_owned(),
                    ),
                    stopped_by,
                })
                .with("oidc_sts", OidcSts(setup.clone()))
                .with("env", Loaded::new(None, Box::new(move || env.env())))
                .with("profile", Loaded::new(None, Box::new(move || profile.profile())));
                let chain = match &setup.metadata_off {
                    Some(why) => chain.with(
                        "metadata",
                        NotAsked(format!("the metadata service is not asked: {why}")),
                    ),
                    None => chain.with("metadata", Probed(setup.metadata("metadata"))),
                };
                chain.with("pod_identity", PodIdentity(setup.clone()))
            }
        };
        Ok(DefaultChain { setup, chain })
    }
}

/// What the chain's error says of the providers a provider that stopped it kept from being
/// asked: the SDK raises there too.
fn stopped_by(name: &str) -> String {
    format!("the SDK would have used {name}")
}

impl DefaultChain {
    /// The chain over the process environment, the home directory and the real metadata service.
    pub fn new() -> Result<Self, CredentialsError> {
        Self::builder().build()
    }

    /// A chain to configure: another environment, home directory or metadata service.
    pub fn builder() -> DefaultChainBuilder {
        DefaultChainBuilder::default()
    }

    /// The credentials and the provider that gave them.
    pub async fn provide_sourced(&self) -> Result<Sourced<HuaweiCredentials>, CredentialsError> {
        self.chain.credentials().await
    }

    /// The credentials file this chain reads.
    pub fn credentials_file(&self) -> Option<PathBuf> {
        self.setup.credentials_file()
    }

    /// KooCLI's config file this chain reads for a named profile.
    pub fn koocli_config_file(&self) -> Option<PathBuf> {
        self.setup.home_dir.as_deref().map(koocli::config_path)
    }
}

/// A provider left out, in its place in the chain: says why.
#[derive(Debug)]
struct NotAsked(String);

impl Link<HuaweiCredentials> for NotAsked {
    fn attempt(&self) -> AttemptFuture<'_, HuaweiCredentials> {
        let why = self.0.clone();
        Box::pin(async move { Ok(Outcome::NotConfigured(why)) })
    }
}

/// `OidcStsCredentialProvider`: configured when the two URNs and an id token (the variable, or
/// a file that exists) are given; then the SDK would assume the agency at STS, which idtok does
/// not do.
#[derive(Debug)]
struct OidcSts(Arc<Setup>);

impl Link<HuaweiCredentials> for OidcSts {
    fn attempt(&self) -> AttemptFuture<'_, HuaweiCredentials> {
        let attempt = self.0.oidc_sts();
        Box::pin(async move { attempt })
    }
}

/// `PodIdentityCredentialProvider`: configured when both variables are set; then the SDK would
/// ask the pod identity agent, which idtok does not do.
#[derive(Debug)]
struct PodIdentity(Arc<Setup>);

impl Link<HuaweiCredentials> for PodIdentity {
    fn attempt(&self) -> AttemptFuture<'_, HuaweiCredentials> {
        let env = &self.0.environment;
        let attempt = if env.get(POD_CREDENTIALS_URI_VAR).is_none()
            || env.get(POD_TOKEN_FILE_VAR).is_none()
        {
            Ok(Outcome::NotConfigured(format!(
                "{POD_CREDENTIALS_URI_VAR} and {POD_TOKEN_FILE_VAR} are not both set"
            )))
        } else {
            Err(CredentialsError::new(format!(
                "{POD_CREDENTIALS_URI_VAR} and {POD_TOKEN_FILE_VAR} are set: CCE pod identity is not supported by idtok; give an AK/SK instead"
            )))
        };
        Box::pin(async move { attempt })
    }
}

impl Setup {
    fn fixed(
        &self,
        source: &str,
        credentials: HuaweiCredentials,
    ) -> Attempt<Arc<dyn ProvideSourced<HuaweiCredentials>>> {
        Ok(Outcome::Found(Arc::new(Fixed(Sourced {
            credentials: self.credential_type.keep_own_id(credentials),
            source: source.to_owned(),
        }))))
    }

    fn credentials_file(&self) -> Option<PathBuf> {
        credentials_file(&self.environment, self.home_dir.as_deref())
    }

    fn oidc_sts(&self) -> Attempt<Sourced<HuaweiCredentials>> {
        let env = &self.environment;
        for variable in [OIDC_PROVIDER_URN_VAR, OIDC_AGENCY_URN_VAR] {
            if env.get(variable).is_none() {
                return Ok(Outcome::NotConfigured(format!("{variable} is not set")));
            }
        }
        if env.get(OIDC_ID_TOKEN_VAR).is_none() {
            match env.get(OIDC_TOKEN_FILE_VAR) {
                None => {
                    return Ok(Outcome::NotConfigured(format!(
                        "neither {OIDC_ID_TOKEN_VAR} nor {OIDC_TOKEN_FILE_VAR} is set"
                    )))
                }
                Some(file) if !Path::new(&file).exists() => {
                    return Ok(Outcome::NotConfigured(format!(
                        "the id token file {file} ({OIDC_TOKEN_FILE_VAR}) does not exist"
                    )))
                }
                Some(_) => {}
            }
        }
        Err(CredentialsError::new(format!(
            "{OIDC_PROVIDER_URN_VAR} and {OIDC_AGENCY_URN_VAR} are set: assuming an agency with an OIDC id token is not supported by idtok; unset them, or give an AK/SK"
        )))
    }

    /// `EnvCredentialProvider`.
    fn env(&self) -> Attempt<Arc<dyn ProvideSourced<HuaweiCredentials>>> {
        let env = &self.environment;
        if env.get(IDP_ID_VAR).is_some() && env.get(ID_TOKEN_FILE_VAR).is_some() {
            return Err(CredentialsError::new(federation_unsupported(&format!(
                "{IDP_ID_VAR} and {ID_TOKEN_FILE_VAR} are set"
            ))));
        }
        match env.huawei() {
            Ok(credentials) => self.fixed("env", credentials),
            Err(_) => Ok(Outcome::NotConfigured(
                match (env.get(HUAWEI_AK), env.get(HUAWEI_SK)) {
                    (Some(_), None) => format!("{HUAWEI_AK} is set but {HUAWEI_SK} is not"),
                    (None, Some(_)) => format!("{HUAWEI_SK} is set but {HUAWEI_AK} is not"),
                    _ => format!(
                        "{HUAWEI_AK} and {HUAWEI_SK} are not set (nor {IDP_ID_VAR} and {ID_TOKEN_FILE_VAR})"
                    ),
                },
            )),
        }
    }

    /// `ProfileCredentialProvider`.
    fn profile(&self) -> Attempt<Arc<dyn ProvideSourced<HuaweiCredentials>>> {
        let Some(path) = self.credentials_file() else {
            return Ok(Outcome::NotConfigured(format!(
                "no home directory, and {CREDENTIALS_FILE_VAR} is not set"
            )));
        };
        let text = match self.files.read(&path) {
            Ok(Some(text)) => text,
            Ok(None) => {
                return Ok(Outcome::NotConfigured(format!(
                    "{} does not exist",
                    path.display()
                )))
            }
            // configparser passes over a file it cannot open, and the SDK says it does not exist.
            Err(error) => return Ok(Outcome::NotConfigured(error.to_string())),
        };
        let ini = Ini::parse(&path, &text)?;
        let sections = self.credential_type.sections();
        let Some((section_name, entries)) = sections
            .iter()
            .find_map(|name| ini.section(name).map(|s| (name, s)))
        else {
            return Ok(Outcome::NotConfigured(format!(
                "{} has no [{}] section (nor [{}])",
                path.display(),
                sections[0],
                sections[1]
            )));
        };
        self.section("profile", &path, &ini, section_name, entries)
    }

    /// The credentials of `[section_name]` of the profile file `ini`, read from `path`, under
    /// the provider name `source`.
    fn section(
        &self,
        source: &str,
        path: &Path,
        ini: &Ini,
        section_name: &str,
        entries: &Section,
    ) -> Attempt<Arc<dyn ProvideSourced<HuaweiCredentials>>> {
        let profile = items(entries, ini.section("DEFAULT")).map_err(|why| {
            CredentialsError::new(format!("{} [{section_name}]: {why}", path.display()))
        })?;
        // Python's truth: an empty value counts as not given.
        let get = |key: &str| profile.get(key).filter(|v| !v.is_empty()).cloned();
        if get("idp_id").is_some() && get("id_token_file").is_some() {
            return Err(CredentialsError::new(federation_unsupported(&format!(
                "{} [{section_name}] has idp_id and id_token_file",
                path.display()
            ))));
        }
        let (Some(ak), Some(sk)) = (get("ak"), get("sk")) else {
            return Ok(Outcome::NotConfigured(format!(
                "{} [{section_name}] has no ak and sk (nor idp_id and id_token_file)",
                path.display()
            )));
        };
        let mut credentials = HuaweiCredentials::new(ak, sk);
        credentials.security_token = get("security_token").map(SecretString::from);
        credentials.project_id = get("project_id");
        credentials.domain_id = get("domain_id");
        self.fixed(source, credentials)
    }

    /// The profile asked for by name (`idtok --profile`), instead of the chain: the `[name]`
    /// section of the profile file, else KooCLI's profile `name`; an error naming both files
    /// when neither has it, or saying why it cannot be used.
    fn named_profile(
        self: &Arc<Self>,
        name: &str,
    ) -> Attempt<Arc<dyn ProvideSourced<HuaweiCredentials>>> {
        let fail =
            |why: String| CredentialsError::new(format!("Huawei Cloud profile '{name}': {why}"));
        let file = self.credentials_file();
        if let Some(path) = &file
            && let Some(text) = self.files.read(path).map_err(|e| fail(e.to_string()))?
        {
            let ini = Ini::parse(path, &text).map_err(|e| fail(e.to_string()))?;
            if let Some(entries) = ini.section(name) {
                let source = format!("profile/{name}");
                return match self.section(&source, path, &ini, name, entries) {
                    Ok(Outcome::Found(provider)) => Ok(Outcome::Found(provider)),
                    Ok(Outcome::NotConfigured(why)) => Err(fail(why)),
                    Err(error) => Err(fail(error.to_string())),
                };
            }
        }
        let koocli_file = self.home_dir.as_deref().map(koocli::config_path);
        if let Some(path) = &koocli_file {
            let or_section = |e: CredentialsError| match &file {
                Some(file) => fail(format!(
                    "{e}; or add a [{name}] section with ak and sk to {}",
                    file.display()
                )),
                None => fail(e.to_string()),
            };
            match koocli::profile(path, name, &self.files).map_err(or_section)? {
                Some(koocli::KooCliProfile::Keys {
                    access_key,
                    secret_key,
                    security_token,
                    project_id,
                    domain_id,
                }) => {
                    let mut credentials = HuaweiCredentials::new(access_key, secret_key);
                    credentials.security_token = security_token.map(SecretString::from);
                    credentials.project_id = project_id;
                    credentials.domain_id = domain_id;
                    return self.fixed(&format!("koocli/{name}"), credentials);
                }
                Some(koocli::KooCliProfile::EcsAgency) => {
                    if let Some(why) = &self.metadata_off {
                        return Err(fail(format!(
                            "{}, profile '{name}' (mode ecsAgency) takes the ECS metadata service's key: the metadata service is not asked: {why}",
                            path.display()
                        )));
                    }
                    return Ok(Outcome::Found(Arc::new(EcsAgency {
                        key: self.metadata(&format!("koocli/{name}/metadata")),
                        says: format!(
                            "Huawei Cloud profile '{name}': {}, profile '{name}' (mode ecsAgency) takes the ECS metadata service's key",
                            path.display()
                        ),
                    })));
                }
                None => {}
            }
        }
        let looked: Vec<String> = [
            file.map(|f| format!("no [{name}] section in {}", f.display())),
            koocli_file.map(|f| format!("no profile named '{name}' in {} (KooCLI)", f.display())),
        ]
        .into_iter()
        .flatten()
        .collect();
        Err(fail(if looked.is_empty() {
            format!("no home directory, and {CREDENTIALS_FILE_VAR} is not set")
        } else {
            looked.join(", and ")
        }))
    }

    /// `MetadataCredentialProvider`: the metadata service's key under the name `source`, renewed
    /// as it expires.
    fn metadata(&self, source: &str) -> Renewing<Sourced<HuaweiCredentials>> {
        let key = metadata::MetadataSource {
            http: self.metadata_http.clone(),
            base_url: self.metadata_base_url.clone(),
            clock: self.clock.clone(),
            token: Default::default(),
            source: source.to_owned(),
            credential_type: self.credential_type,
        };
        Renewing::new(key)
            .with_refresh_margin(self.refresh_margin)
            .with_clock(self.clock.clone())
    }
}

/// A KooCLI `ecsAgency` profile: the metadata service's key, its failures saying which profile
/// asked for it.
#[derive(Debug)]
struct EcsAgency {
    key: Renewing<Sourced<HuaweiCredentials>>,
    says: String,
}

impl ProvideSourced<HuaweiCredentials> for EcsAgency {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<HuaweiCredentials>> {
        Box::pin(async move {
            self.key
                .get()
                .await
                .map_err(|why| CredentialsError::new(format!("{}: {why}", self.says)))
        })
    }
}

impl fmt::Debug for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setup")
            .field("environment", &self.environment)
            .field("home_dir", &self.home_dir)
            .field("credential_type", &self.credential_type)
            .field("metadata_base_url", &self.metadata_base_url.as_str())
            .field("metadata_off", &self.metadata_off)
            .field("profile", &self.profile)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

fn federation_unsupported(what: &str) -> String {
    format!(
        "{what}: federated credentials (an IdP's id token exchanged at IAM for a temporary key) are not supported by idtok; give an ak and sk instead"
    )
}

type Section = std::collections::BTreeMap<String, String>;

/// configparser's `items(section)`, which the SDK reads the profile with: the section's keys over
/// `[DEFAULT]`'s, every value interpolated (so a bad `%` in any of them fails, as it does there).
fn items(entries: &Section, defaults: Option<&Section>) -> Result<Section, String> {
    let mut keys: Vec<&String> = entries.keys().collect();
    keys.extend(defaults.into_iter().flat_map(|d| d.keys()));
    keys.into_iter()
        .map(|key| {
            let value = interpolated(key, entries, defaults, 0)?.unwrap_or_default();
            Ok((key.clone(), value))
        })
        .collect()
}

/// A value as configparser's `BasicInterpolation` gives it: `%%` is `%`, `%(name)s` is another
/// key of the section (or of `[DEFAULT]`), any other `%` is an error; at most 10 levels deep.
/// Errors name keys, never values.
fn interpolated(
    key: &str,
    entries: &Section,
    defaults: Option<&Section>,
    depth: usize,
) -> Result<Option<String>, String> {
    let Some(raw) = entries
        .get(key)
        .or_else(|| defaults.and_then(|d| d.get(key)))
    else {
        return Ok(None);
    };
    if depth > 10 {
        return Err(format!("`{key}` interpolates too deeply"));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('%') {
            out.push('%');
            rest = after;
        } else if let Some(after) = rest.strip_prefix('(') {
            let (name, after) = after
                .split_once(")s")
                .ok_or_else(|| format!("`{key}` has a `%(` without its `)s`"))?;
            let value = interpolated(&name.to_lowercase(), entries, defaults, depth + 1)?
                .ok_or_else(|| format!("`{key}` refers to `{name}`, which is not set"))?;
            out.push_str(&value);
            rest = after;
        } else {
            return Err(format!(
                "`{key}` has a `%` not followed by `%` or `(` (write `%%` for a literal `%`)"
            ));
        }
    }
    out.push_str(rest);
    Ok(Some(out))
}

impl ProvideSourced<HuaweiCredentials> for DefaultChain {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<HuaweiCredentials>> {
        Box::pin(self.chain.credentials())
    }
}

super::provide_credentials_by_sourced!(DefaultChain, HuaweiCredentials);

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("setup", &self.setup)
            .field("resolved", &self.chain.resolved())
            .field("chain", &self.chain)
            .finish()
    }
}

impl fmt::Debug for DefaultChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChainBuilder")
            .field("environment", &self.environment)
            .field("home_dir", &self.home_dir)
            .field("credential_type", &self.credential_type)
            .field("metadata_base_url", &self.metadata_base_url)
            .field("metadata_timeouts", &self.metadata_timeouts)
            .field("metadata_off", &self.metadata_off)
            .field("profile", &self.profile)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Section {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn values_are_interpolated_as_configparser_does() {
        let section = map(&[
            ("sk", "a%%b"),
            ("ak", "%(prefix)s-1"),
            ("bad", "50%"),
            ("open", "%(ak"),
            ("missing", "%(nope)s"),
            ("loop", "%(loop)s"),
        ]);
        let defaults = map(&[("prefix", "AK")]);
        let get = |key| interpolated(key, &section, Some(&defaults), 0);
        assert_eq!(get("sk").unwrap().as_deref(), Some("a%b"));
        assert_eq!(get("ak").unwrap().as_deref(), Some("AK-1"));
        assert_eq!(get("prefix").unwrap().as_deref(), Some("AK"));
        assert_eq!(get("absent").unwrap(), None);
        for key in ["bad", "open", "missing", "loop"] {
            let error = get(key).unwrap_err();
            assert!(error.starts_with(&format!("`{key}`")), "{error}");
        }
    }
}
