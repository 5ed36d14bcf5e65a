//! Where a call goes and with whose credentials, when the flags do not say: the vendors' profiles,
//! default regions, endpoint overrides and default credential chains (`idtok_client::credentials`).
//!
//! | | Alibaba Cloud (`eiam`, `eiam-developerapi`, `sts`) | Huawei Cloud (`identitystore`) |
//! |---|---|---|
//! | profile | `--profile NAME` alone: the aliyun CLI's profile, else credentials.ini's `[NAME]`; without it, the chain with `ALIBABA_CLOUD_PROFILE` (the aliyun CLI's `current`, the credentials file's `default`) | `--profile NAME` alone: `[NAME]` of the credentials file, else KooCLI's profile `NAME`; without it, the SDK's chain |
//! | region | `--region`, else the profile's `region_id`, else `ALIBABA_CLOUD_REGION_ID` | `--region`, else the KooCLI profile's `region` (with `--profile`), else `HUAWEICLOUD_SDK_REGION` (idtok's own; the SDK has none) |
//! | endpoint | `--endpoint`, else the region's host (STS: `sts.aliyuncs.com` without a region) | `--endpoint`, else `HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_<REGION>`, the regions file, the region's host |

use std::sync::{Arc, LazyLock};

use clap::ArgMatches;
use idtok_client::credentials::files::{self, ReadOnce};
use idtok_client::credentials::{alibaba, huawei};
use idtok_runtime::credentials::{AccessToken, Environment, IdaasClientCredentials};
use idtok_runtime::endpoint::{Endpoint, Service};

use crate::failure::Failure;
use crate::flags::{self, profile};

/// Alibaba Cloud's default-region variable, as its SDKs and the aliyun CLI read it.
pub const ALIBABA_REGION: &str = "ALIBABA_CLOUD_REGION_ID";

/// idtok's own variables, for a proxy or a local stand-in (the tests): where the chains reach the
/// metadata services and STS. The vendors' libraries set these in code only.
pub const ALIBABA_ECS_METADATA_URL: &str = "IDTOK_ALIBABA_ECS_METADATA_URL";
pub const ALIBABA_STS_ENDPOINT: &str = "IDTOK_ALIBABA_STS_ENDPOINT";
pub const HUAWEI_METADATA_URL: &str = "IDTOK_HUAWEI_METADATA_URL";

/// STS's global endpoint, which alibabacloud-credentials calls when no STS region is set.
pub const STS_GLOBAL_ENDPOINT: &str = "https://sts.aliyuncs.com";

/// The profile files of this run, each read once: a run of idtok is one invocation, and the
/// profile's region and its credentials must come from one reading of its files.
static FILES: LazyLock<ReadOnce> = LazyLock::new(ReadOnce::new);

fn is_huawei(service: Service) -> bool {
    matches!(service, Service::IdentityStore)
}

/// The flag that turns off both chains' metadata probes, as errors name it.
pub const NO_METADATA_FLAG: &str = "--no-metadata";

/// `--no-metadata`: neither chain asks a cloud metadata service.
fn no_metadata(matches: &ArgMatches) -> bool {
    flags::switch(matches, "no-metadata")
}

/// `--no-cache`: assumed roles' credentials are neither read from nor written to the cache.
fn no_cache(matches: &ArgMatches) -> bool {
    flags::switch(matches, "no-cache")
}

/// The Alibaba default chain for the profile `--profile` names (else the vendors' variables),
/// keeping assumed roles' credentials in the cache directory unless `--no-cache`.
pub fn alibaba_chain_builder(matches: &ArgMatches) -> alibaba::DefaultChainBuilder {
    let mut builder = alibaba::DefaultChain::builder().files(FILES.clone());
    if let Some(name) = profile(matches) {
        builder = builder.profile(name);
    }
    if no_metadata(matches) {
        builder = builder.without_ecs_metadata(NO_METADATA_FLAG);
    }
    if let Some(dir) =
        alibaba::default_cache_dir(&Environment::process()).filter(|_| !no_cache(matches))
    {
        builder = builder.credentials_cache(dir);
    }
    if let Some(url) = Environment::process().get(ALIBABA_ECS_METADATA_URL) {
        builder = builder.ecs_metadata_url(url);
    }
    builder
}

pub fn alibaba_chain(matches: &ArgMatches) -> Result<Arc<alibaba::DefaultChain>, Failure> {
    let mut builder = alibaba_chain_builder(matches);
    if let Some(url) = Environment::process().get(ALIBABA_STS_ENDPOINT) {
        let endpoint = Endpoint::url(&url)
            .map_err(|e| Failure::usage(format!("{ALIBABA_STS_ENDPOINT}: {e}")))?;
        builder = builder.sts_endpoint(endpoint);
    }
    builder
        .build()
        .map(Arc::new)
        .map_err(|e| Failure::usage(e.to_string()))
}

/// The Huawei default chain for the profile `--profile` names (else the SDK's chain).
fn huawei_chain_builder(matches: &ArgMatches) -> huawei::DefaultChainBuilder {
    let mut builder = huawei::DefaultChain::builder().files(FILES.clone());
    if let Some(name) = profile(matches) {
        builder = builder.profile(name);
    }
    if no_metadata(matches) {
        builder = builder.without_metadata(NO_METADATA_FLAG);
    }
    if let Some(url) = Environment::process().get(HUAWEI_METADATA_URL) {
        builder = builder.metadata_base_url(url);
    }
    builder
}

pub fn huawei_chain(matches: &ArgMatches) -> Result<Arc<huawei::DefaultChain>, Failure> {
    huawei_chain_builder(matches)
        .build()
        .map(Arc::new)
        .map_err(|e| Failure::usage(e.to_string()))
}

/// The region of a call: `--region`, else the vendor's defaults (the table above).
pub fn region(service: Service, matches: &ArgMatches) -> Result<Option<String>, Failure> {
    if let Some(region) = flags::string(matches, "region") {
        return Ok(Some(region.to_owned()));
    }
    let environment = Environment::process();
    if is_huawei(service) {
        let from_profile = huawei_chain_builder(matches)
            .profile_region()
            .map_err(|e| Failure::usage(e.to_string()))?;
        return Ok(from_profile.or_else(|| huawei::default_region(&environment)));
    }
    let from_profile = alibaba_chain_builder(matches)
        .cli_profile_region()
        .map_err(|e| Failure::usage(e.to_string()))?;
    Ok(from_profile.or_else(|| environment.get(ALIBABA_REGION)))
}

/// Where a call goes: `--endpoint`, else the region's (overridden) host.
pub fn endpoint(service: Service, matches: &ArgMatches) -> Result<Endpoint, Failure> {
    if let Some(url) = flags::string(matches, "endpoint") {
        return Endpoint::url(url).map_err(|e| Failure::usage(e.to_string()));
    }
    let Some(region) = region(service, matches)? else {
        if service == Service::Sts {
            return Endpoint::url(STS_GLOBAL_ENDPOINT).map_err(|e| Failure::usage(e.to_string()));
        }
        let variable = if is_huawei(service) {
            huawei::DEFAULT_REGION_VAR
        } else {
            ALIBABA_REGION
        };
        return Err(Failure::usage(format!(
            "no region: give --region <id> or --endpoint <url>, or set {variable}{}",
            if is_huawei(service) {
                ""
            } else {
                " or the aliyun CLI profile's region_id"
            }
        )));
    };
    if is_huawei(service) {
        let environment = Environment::process();
        let home = files::home_dir(|name| environment.get(name));
        return huawei::resolve_endpoint(service, &region, &environment, home.as_deref())
            .map_err(|e| Failure::usage(e.to_string()));
    }
    Endpoint::region(service, &region).map_err(|e| Failure::usage(e.to_string()))
}

/// Where the developer API's access token comes from: decided here alone, for a call and for
/// `idtok whoami`.
pub enum DeveloperApiToken {
    /// `IDAAS_ACCESS_TOKEN`.
    Given(AccessToken),
    /// Obtained from the token endpoint with an application's client credentials
    /// (`IDAAS_CLIENT_ID`, `IDAAS_CLIENT_SECRET`, `IDAAS_APPLICATION_ID`, `IDAAS_INSTANCE_ID`).
    ClientCredentials(IdaasClientCredentials),
    /// Neither: why. Not an error yet, since some operations are sent without a token.
    Missing(&'static str),
}

/// What idtok says when the developer API has no access token and an operation needs one.
pub const NO_DEVELOPER_API_TOKEN: &str = "no IDaaS access token: set IDAAS_ACCESS_TOKEN, or IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET and IDAAS_APPLICATION_ID to obtain one";

/// `IDAAS_ACCESS_TOKEN` when set; else the application's client credentials when
/// `IDAAS_CLIENT_ID` is set, for the instance of `IDAAS_INSTANCE_ID` or else `instance_id` (the
/// call's `--instance-id`), an error when they are incomplete; else missing.
pub fn developer_api_token(instance_id: Option<&str>) -> Result<DeveloperApiToken, Failure> {
    let environment = Environment::process();
    if let Ok(token) = environment.access_token() {
        return Ok(DeveloperApiToken::Given(token));
    }
    if !environment.has_idaas_client_credentials() {
        return Ok(DeveloperApiToken::Missing(NO_DEVELOPER_API_TOKEN));
    }
    environment
        .idaas_client_credentials(instance_id)
        .map(DeveloperApiToken::ClientCredentials)
        .map_err(|e| Failure::usage(e.to_string()))
}
