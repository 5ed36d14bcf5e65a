//! The credentials file (`profile/...`): `~/.alibabacloud/credentials.ini`, or
//! `ALIBABA_CLOUD_CREDENTIALS_FILE`; the section named by the caller, `ALIBABA_CLOUD_PROFILE` or
//! `default`; its `type` says how it gives credentials.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use idtok_runtime::credentials::CredentialsError;

use super::oidc::OidcConfig;
use super::ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
use super::{ecs, env, oidc, variables, DynSourced, Settings};
use crate::credentials::chain::{Attempt, Outcome};
use crate::credentials::files::Ini;

const SUPPORTED_TYPES: &str = "access_key, ram_role_arn, oidc_role_arn, ecs_ram_role";

/// The provider of the selected section (the chain's `profile`); not configured when there is
/// no such file or no such section.
pub(crate) fn load(settings: &Settings) -> Attempt<Arc<DynSourced>> {
    let path = match settings.env.get(variables::CREDENTIALS_FILE) {
        Some(file) => PathBuf::from(file),
        None => match settings.home_dir() {
            Ok(home) => home.join(".alibabacloud").join("credentials.ini"),
            Err(why) => return Ok(Outcome::NotConfigured(why.to_string())),
        },
    };
    let Some(text) = settings.files.read(&path)? else {
        return Ok(Outcome::NotConfigured(format!(
            "{} does not exist",
            path.display()
        )));
    };
    let ini = Ini::parse(&path, &text)?;
    let name = settings
        .profile_name()
        .unwrap_or_else(|| "default".to_owned());
    let Some(section) = ini.section(&name) else {
        return Ok(Outcome::NotConfigured(format!(
            "{}: no [{name}] section",
            path.display()
        )));
    };
    section_provider(section, &name, &path, settings).map(Outcome::Found)
}

/// The provider a section describes.
fn section_provider(
    section: &BTreeMap<String, String>,
    name: &str,
    path: &Path,
    settings: &Settings,
) -> Result<Arc<DynSourced>, CredentialsError> {
    let fail = |why: &dyn std::fmt::Display| {
        CredentialsError::new(format!("{}, section [{name}]: {why}", path.display()))
    };
    let in_section = |e: CredentialsError| fail(&e);
    // As the library: what follows a `#` in a value is a comment.
    let value = |key: &str| {
        section
            .get(key)
            .map(|v| v.split('#').next().unwrap_or_default().trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let env = &settings.env;
    let access_key = || {
        env::access_key(value("access_key_id"), value("access_key_secret"), env).map_err(in_section)
    };
    let provider: Arc<DynSourced> = match value("type").as_deref() {
        Some("access_key") => Arc::new(access_key()?),
        Some("ram_role_arn") => {
            let config = RamRoleArnConfig {
                origin: format!("profile:{name}"),
                role_arn: value("role_arn"),
                session_name: value("role_session_name"),
                policy: value("policy"),
                ..RamRoleArnConfig::default()
            };
            Arc::new(
                RamRoleArnProvider::over(Arc::new(access_key()?), config, settings)
                    .map_err(in_section)?,
            )
        }
        Some("oidc_role_arn") => {
            let config = OidcConfig {
                origin: format!("profile:{name}"),
                role_arn: value("role_arn"),
                oidc_provider_arn: value("oidc_provider_arn"),
                token_file: value("oidc_token_file_path"),
                session_name: value("role_session_name"),
                policy: value("policy"),
                ..OidcConfig::default()
            };
            Arc::new(oidc::provider(config, settings).map_err(in_section)?)
        }
        Some("ecs_ram_role") => {
            Arc::new(ecs::provider(value("role_name"), settings).map_err(in_section)?)
        }
        Some("rsa_key_pair") => {
            return Err(fail(&format_args!(
                "type rsa_key_pair is not supported (supported: {SUPPORTED_TYPES}); RSA key pairs sign in only on the Japan site and are deprecated: use an AccessKey pair or a RAM role"
            )))
        }
        Some(other) => {
            return Err(fail(&format_args!(
                "unsupported type '{other}' (supported: {SUPPORTED_TYPES})"
            )))
        }
        None => return Err(fail(&format_args!("no type (supported: {SUPPORTED_TYPES})"))),
    };
    Ok(provider)
}
