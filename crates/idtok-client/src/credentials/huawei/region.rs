//! Where a Huawei Cloud service is reached in a region, with the overrides huaweicloudsdkcore
//! reads (region/provider.py, region/cache.py), first match wins:
//!
//! 1. `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>`: the SDK's service name upper-cased and the
//!    region id upper-cased with `-` as `_` (`HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_CN_NORTH_4`).
//!    The value may list several endpoints separated by `,`; the SDK starts with the first
//!    (and moves to the next only when a host is unreachable), so the first is taken.
//! 2. The regions file, `HUAWEICLOUD_SDK_REGIONS_FILE`, else `~/.huaweicloud/regions.yaml`:
//!    YAML mapping a service name (any case) to a list of `{id, endpoints: [...], endpoint}`;
//!    `endpoints` come first and `endpoint` after them; an entry without an id or endpoints is
//!    passed over; of two entries for one region the later wins.
//! 3. Otherwise the region's own host ([`Endpoint::region`]).
//!
//! An endpoint without a scheme gets `https://`, as the SDK's client builder gives it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use idtok_runtime::credentials::Environment;
use idtok_runtime::endpoint::{Endpoint, Service};
use serde::Deserialize;

/// The variable that names the regions file.
pub const REGIONS_FILE_VAR: &str = "HUAWEICLOUD_SDK_REGIONS_FILE";
/// The prefix of the per-service, per-region endpoint variables.
pub const REGION_ENDPOINT_VAR_PREFIX: &str = "HUAWEICLOUD_SDK_REGION";
/// The region idtok uses for a Huawei Cloud family when none is given.
///
/// **idtok's own variable, not the SDK's**: huaweicloudsdkcore has no default region (every
/// client is built with an explicit region or endpoint). The name follows the SDK's
/// `HUAWEICLOUD_SDK_` prefix so that it sits with the other variables.
pub const DEFAULT_REGION_VAR: &str = "HUAWEICLOUD_SDK_REGION";

/// Why an endpoint override could not be used: names the variable or the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionError {
    message: String,
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RegionError {}

fn error(message: String) -> RegionError {
    RegionError { message }
}

/// The SDK's name of a service: what its region class passes to
/// `RegionProviderChain.get_default_region_provider_chain` (for the identity store,
/// `IdentityCenterStoreRegion` passes `"IDENTITYCENTERSTORE"`). `None` for services that are not
/// Huawei Cloud's.
pub fn sdk_service_name(service: Service) -> Option<&'static str> {
    match service {
        Service::IdentityStore => Some("IDENTITYCENTERSTORE"),
        _ => None,
    }
}

/// The region to use when none is given: [`DEFAULT_REGION_VAR`] (idtok's own choice; the SDK
/// has none).
pub fn default_region(environment: &Environment) -> Option<String> {
    environment.get(DEFAULT_REGION_VAR)
}

/// The variable that overrides `service`'s endpoint in `region`, as the SDK names it.
pub fn region_endpoint_var(service: Service, region: &str) -> Option<String> {
    let service = sdk_service_name(service)?;
    Some(format!(
        "{REGION_ENDPOINT_VAR_PREFIX}_{service}_{}",
        region.replace('-', "_").to_uppercase()
    ))
}

/// The regions file: `HUAWEICLOUD_SDK_REGIONS_FILE`, else `<home>/.huaweicloud/regions.yaml`.
pub fn regions_file(environment: &Environment, home: Option<&Path>) -> Option<PathBuf> {
    environment
        .get(REGIONS_FILE_VAR)
        .map(PathBuf::from)
        .or_else(|| home.map(|home| home.join(".huaweicloud").join("regions.yaml")))
}

/// The endpoint the SDK's overrides give `service` in `region`, or `None` when neither the
/// variable nor the regions file names one (then the region's own host applies). `home` is the
/// home directory ([`crate::credentials::files::home_dir`]); `None` skips the default regions
/// file. A regions file that is not what the SDK reads is an error naming the file.
pub fn region_endpoint(
    service: Service,
    region: &str,
    environment: &Environment,
    home: Option<&Path>,
) -> Result<Option<Endpoint>, RegionError> {
    let (Some(name), Some(variable)) = (
        sdk_service_name(service),
        region_endpoint_var(service, region),
    ) else {
        return Ok(None);
    };
    if let Some(value) = environment.get(&variable) {
        let first = value.split(',').next().unwrap_or_default();
        return endpoint(first)
            .map(Some)
            .map_err(|why| error(format!("{variable}: {why}")));
    }
    let Some(path) = regions_file(environment, home) else {
        return Ok(None);
    };
    let Some(regions) = read_regions_file(&path)? else {
        return Ok(None);
    };
    let mut found = None;
    for (service_name, entries) in &regions {
        if !service_name.eq_ignore_ascii_case(name) {
            continue;
        }
        for (index, entry) in entries.iter().enumerate() {
            if entry.id.as_deref() != Some(region) {
                continue;
            }
            let first = entry
                .endpoints
                .iter()
                .flatten()
                .chain(entry.endpoint.iter())
                .find(|e| !e.is_empty());
            if let Some(first) = first {
                found = Some(endpoint(first).map_err(|why| {
                    error(format!(
                        "{}: {service_name}[{index}] (id {region}): {why}",
                        path.display()
                    ))
                })?);
            }
        }
    }
    Ok(found)
}

/// `service`'s endpoint in `region`: an override ([`region_endpoint`]) or else the region's own
/// HTTPS host.
pub fn resolve_endpoint(
    service: Service,
    region: &str,
    environment: &Environment,
    home: Option<&Path>,
) -> Result<Endpoint, RegionError> {
    match region_endpoint(service, region, environment, home)? {
        Some(endpoint) => Ok(endpoint),
        None => Endpoint::region(service, region).map_err(|e| error(e.to_string())),
    }
}

fn endpoint(value: &str) -> Result<Endpoint, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("an empty endpoint".to_owned());
    }
    let url = if value.starts_with("http") {
        value.to_owned()
    } else {
        format!("https://{value}")
    };
    Endpoint::url(&url).map_err(|e| e.to_string())
}

/// One entry of a service's list in the regions file. Other keys are ignored, as the SDK does.
#[derive(Deserialize)]
struct RegionEntry {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    endpoints: Option<Vec<String>>,
    #[serde(default)]
    endpoint: Option<String>,
}

/// The regions file, `None` when it does not exist or is empty.
fn read_regions_file(
    path: &Path,
) -> Result<Option<BTreeMap<String, Vec<RegionEntry>>>, RegionError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(error(format!("cannot read {}: {e}", path.display()))),
    };
    // An empty file is no overrides (the SDK itself fails on one: `None.items()`).
    let parsed: Option<BTreeMap<String, Vec<RegionEntry>>> = serde_yaml::from_str(&text)
        .map_err(|e| {
            error(format!(
                "{}: not a regions file (a map of service name to a list of {{id, endpoints}}): {e}",
                path.display()
            ))
        })?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_is_named_as_the_sdk_names_it() {
        assert_eq!(
            region_endpoint_var(Service::IdentityStore, "cn-north-4").as_deref(),
            Some("HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_CN_NORTH_4")
        );
        assert_eq!(region_endpoint_var(Service::Eiam, "cn-hangzhou"), None);
    }

    #[test]
    fn an_endpoint_without_a_scheme_is_https() {
        assert_eq!(
            endpoint("identitystore.example.com").unwrap().as_str(),
            "https://identitystore.example.com"
        );
        assert!(endpoint("http://identitystore.example.com")
            .unwrap_err()
            .contains("refusing plain http://"));
        assert_eq!(endpoint(" ").unwrap_err(), "an empty endpoint");
    }
}
