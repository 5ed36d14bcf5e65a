//! The aliyun CLI's profiles (`cli_profile/...`): `~/.aliyun/config.json`, the profile named by
//! the caller, `ALIBABA_CLOUD_PROFILE` or the file's `current`; its `mode` says how it gives
//! credentials.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use idtok_runtime::credentials::{CredentialsError, Environment};
use serde_json::{Map, Value};

use super::cloud_sso::{self, CloudSsoConfig};
use super::oidc::OidcConfig;
use super::ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
use super::{ecs, env, oidc, profile_name, variables, DynSourced, Settings};
use crate::credentials::chain::{Attempt, Outcome};
use crate::credentials::files::{home_dir, ReadOnce};

/// The modes this chain gives credentials for.
const SUPPORTED_MODES: &str =
    "AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO";

/// `.aliyun/config.json` under `home`.
fn config_path(home: &Path) -> PathBuf {
    home.join(".aliyun").join("config.json")
}

/// The file's JSON, `None` when there is no such file. A malformed file is an error that names
/// the file and the line.
fn load_file(path: &Path, files: &ReadOnce) -> Result<Option<Value>, CredentialsError> {
    let Some(text) = files.read(path)? else {
        return Ok(None);
    };
    // Parsed as a plain value: serde_json's type errors would quote the value, a secret maybe.
    let config: Value = serde_json::from_str(&text).map_err(|e| {
        CredentialsError::new(format!(
            "{}, line {}: not valid JSON ({e})",
            path.display(),
            e.line()
        ))
    })?;
    if !config.is_object() {
        return Err(CredentialsError::new(format!(
            "{}: not a JSON object",
            path.display()
        )));
    }
    Ok(Some(config))
}

/// The profile called `name`, `None` when there is none.
fn find<'a>(
    config: &'a Value,
    name: &str,
    path: &Path,
) -> Result<Option<&'a Map<String, Value>>, CredentialsError> {
    let fail = |why: String| CredentialsError::new(format!("{}: {why}", path.display()));
    let profiles = match config.get("profiles") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(profiles)) => profiles.as_slice(),
        Some(_) => return Err(fail("`profiles` is not a list".to_owned())),
    };
    for (index, profile) in profiles.iter().enumerate() {
        let profile = profile
            .as_object()
            .ok_or_else(|| fail(format!("profiles[{index}] is not an object")))?;
        if profile.get("name").and_then(Value::as_str) == Some(name) {
            return Ok(Some(profile));
        }
    }
    Ok(None)
}

/// Why there is no profile `name` in the file at `path`.
fn no_profile(name: &str, path: &Path) -> String {
    format!("{}: no profile named '{name}'", path.display())
}

/// The name of the profile to use: asked for (`explicit`, else `ALIBABA_CLOUD_PROFILE`), else
/// the file's `current`; why none, if none.
fn selected(config: &Value, explicit: Option<String>, path: &Path) -> Result<String, String> {
    explicit
        .or_else(|| {
            config
                .get("current")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            format!(
                "{}: no profile selected (no `current` in the file, {} not set)",
                path.display(),
                variables::PROFILE
            )
        })
}

/// The region (`region_id`) of the aliyun CLI profile the chain would use: `profile` (a
/// `--profile` flag) if given, else `ALIBABA_CLOUD_PROFILE`, else the file's `current`. `None`
/// when there is no config.json, no such profile, no region in it, or
/// `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`; an error only for a file that cannot be read.
/// `home` defaults to `HOME` of `env`. A tool that also builds the chain asks
/// [`DefaultChainBuilder::cli_profile_region`](super::DefaultChainBuilder::cli_profile_region)
/// instead, which reads the file once for both.
pub fn cli_profile_region(
    env: &Environment,
    home: Option<&Path>,
    profile: Option<&str>,
) -> Result<Option<String>, CredentialsError> {
    region(env, home, profile, &ReadOnce::default())
}

/// [`cli_profile_region`], the file read through `files`.
pub(super) fn region(
    env: &Environment,
    home: Option<&Path>,
    profile: Option<&str>,
    files: &ReadOnce,
) -> Result<Option<String>, CredentialsError> {
    let disabled = env
        .get(variables::CLI_PROFILE_DISABLED)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let home = home
        .map(Path::to_path_buf)
        .or_else(|| home_dir(|name| env.get(name)));
    let Some(home) = home.filter(|_| !disabled) else {
        return Ok(None);
    };
    let path = config_path(&home);
    let Some(config) = load_file(&path, files)? else {
        return Ok(None);
    };
    let Ok(name) = selected(&config, profile_name(profile, env), &path) else {
        return Ok(None);
    };
    let Ok(Some(profile)) = find(&config, &name, &path) else {
        return Ok(None);
    };
    Ok(profile
        .get("region_id")
        .and_then(Value::as_str)
        .filter(|r| !r.is_empty())
        .map(str::to_owned))
}

/// The provider of the selected profile (the chain's `cli_profile`); not configured when the
/// profiles are turned off, or there is no config.json or no such profile in it.
pub(crate) fn load(settings: &Settings) -> Attempt<Arc<DynSourced>> {
    if settings.is_true(variables::CLI_PROFILE_DISABLED) {
        return Ok(Outcome::NotConfigured(format!(
            "the aliyun CLI's profiles are disabled ({}=true)",
            variables::CLI_PROFILE_DISABLED
        )));
    }
    let home = match settings.home_dir() {
        Ok(home) => home,
        Err(why) => return Ok(Outcome::NotConfigured(why.to_string())),
    };
    let path = config_path(&home);
    let Some(config) = load_file(&path, &settings.files)? else {
        return Ok(Outcome::NotConfigured(format!(
            "{} does not exist",
            path.display()
        )));
    };
    let name = match selected(&config, settings.profile_name(), &path) {
        Ok(name) => name,
        Err(why) => return Ok(Outcome::NotConfigured(why)),
    };
    if find(&config, &name, &path)?.is_none() {
        // Another provider may have it: the credentials file's section of that name.
        return Ok(Outcome::NotConfigured(no_profile(&name, &path)));
    }
    Profiles {
        config: &config,
        path: &path,
        settings,
    }
    .provider(&name, &mut Vec::new())
    .map(Outcome::Found)
}

/// Builds the provider of a profile of one config.json.
struct Profiles<'a> {
    config: &'a Value,
    path: &'a Path,
    settings: &'a Settings,
}

/// The fields of one profile, read with their types checked.
struct Fields<'a> {
    profile: &'a Map<String, Value>,
    name: &'a str,
    path: &'a Path,
}

impl Fields<'_> {
    fn fail(&self, why: impl std::fmt::Display) -> CredentialsError {
        CredentialsError::new(format!(
            "{}, profile '{}': {why}",
            self.path.display(),
            self.name
        ))
    }

    fn string(&self, key: &str) -> Result<Option<String>, CredentialsError> {
        match self.profile.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone()).filter(|t| !t.is_empty())),
            Some(_) => Err(self.fail(format!("`{key}` is not a string"))),
        }
    }

    fn integer(&self, key: &str) -> Result<Option<i64>, CredentialsError> {
        match self.profile.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
            Some(_) => Err(self.fail(format!("`{key}` is not a whole number"))),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>, CredentialsError> {
        match self.profile.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.fail(format!("`{key}` is not true or false"))),
        }
    }

    /// A RAM role to assume, as the RamRoleArn modes give it.
    fn ram_role_arn(&self) -> Result<RamRoleArnConfig, CredentialsError> {
        Ok(RamRoleArnConfig {
            origin: format!("cli_profile:{}", self.name),
            role_arn: self.string("ram_role_arn")?,
            session_name: self.string("ram_session_name")?,
            duration_seconds: self.integer("expired_seconds")?,
            policy: self.string("policy")?,
            external_id: self.string("external_id")?,
            sts_region: self.string("sts_region")?,
            enable_vpc: self.boolean("enable_vpc")?,
        })
    }
}

impl Profiles<'_> {
    /// The provider of profile `name`; `seen` holds the profiles that chain to it.
    fn provider(
        &self,
        name: &str,
        seen: &mut Vec<String>,
    ) -> Result<Arc<DynSourced>, CredentialsError> {
        if seen.iter().any(|s| s == name) {
            seen.push(name.to_owned());
            return Err(CredentialsError::new(format!(
                "{}: the profiles' source_profile go round in a circle ({})",
                self.path.display(),
                seen.join(" -> ")
            )));
        }
        seen.push(name.to_owned());
        let profile = find(self.config, name, self.path)?
            .ok_or_else(|| CredentialsError::new(no_profile(name, self.path)))?;
        let fields = Fields {
            profile,
            name,
            path: self.path,
        };
        let settings = self.settings;
        let env = &settings.env;
        let in_profile = |e: CredentialsError| fields.fail(e);
        let mode = fields.string("mode")?;
        let provider: Arc<DynSourced> = match mode.as_deref() {
            Some("AK") => Arc::new(
                env::access_key(
                    fields.string("access_key_id")?,
                    fields.string("access_key_secret")?,
                    env,
                )
                .map_err(in_profile)?,
            ),
            Some("StsToken") => Arc::new(
                env::sts_token(
                    fields.string("access_key_id")?,
                    fields.string("access_key_secret")?,
                    fields.string("sts_token")?,
                    env,
                )
                .map_err(in_profile)?,
            ),
            Some("RamRoleArn") => {
                let source = env::access_key(
                    fields.string("access_key_id")?,
                    fields.string("access_key_secret")?,
                    env,
                )
                .map_err(in_profile)?;
                Arc::new(
                    RamRoleArnProvider::over(Arc::new(source), fields.ram_role_arn()?, settings)
                        .map_err(in_profile)?,
                )
            }
            Some("EcsRamRole") => Arc::new(
                ecs::provider(fields.string("ram_role_name")?, settings)
                    .map_err(in_profile)?,
            ),
            Some("OIDC") => {
                let config = OidcConfig {
                    origin: format!("cli_profile:{name}"),
                    role_arn: fields.string("ram_role_arn")?,
                    oidc_provider_arn: fields.string("oidc_provider_arn")?,
                    token_file: fields.string("oidc_token_file")?,
                    session_name: fields.string("role_session_name")?,
                    duration_seconds: fields.integer("expired_seconds")?,
                    policy: fields.string("policy")?,
                    sts_region: fields.string("sts_region")?,
                    enable_vpc: fields.boolean("enable_vpc")?,
                };
                Arc::new(oidc::provider(config, settings).map_err(in_profile)?)
            }
            Some("ChainableRamRoleArn") => {
                let source_name = fields
                    .string("source_profile")?
                    .ok_or_else(|| fields.fail("mode ChainableRamRoleArn needs a source_profile"))?;
                let source = self.provider(&source_name, seen)?;
                Arc::new(
                    RamRoleArnProvider::over(source, fields.ram_role_arn()?, settings)
                        .map_err(in_profile)?,
                )
            }
            Some("CloudSSO") => {
                let kept = match (
                    fields.string("access_key_id")?,
                    fields.string("access_key_secret")?,
                    fields.string("sts_token")?,
                    fields.integer("sts_expiration")?,
                ) {
                    (Some(id), Some(secret), Some(token), Some(expiration)) => {
                        Some((id, secret, token, expiration))
                    }
                    _ => None,
                };
                let config = CloudSsoConfig {
                    profile: name.to_owned(),
                    sign_in_url: fields.string("cloud_sso_sign_in_url")?,
                    account_id: fields.string("cloud_sso_account_id")?,
                    access_config: fields.string("cloud_sso_access_config")?,
                    access_token: fields.string("access_token")?,
                    access_token_expire: fields.integer("cloud_sso_access_token_expire")?,
                    kept,
                };
                Arc::new(cloud_sso::provider(config, settings).map_err(in_profile)?)
            }
            Some(mode @ ("OAuth" | "External")) => {
                return Err(fields.fail(format!(
                    "mode {mode} is not supported here (supported: {SUPPORTED_MODES}); sign in with the aliyun CLI and use a profile of another mode, or set {} and {}",
                    variables::ACCESS_KEY_ID,
                    variables::ACCESS_KEY_SECRET
                )))
            }
            Some(other) => {
                return Err(fields.fail(format!(
                    "unsupported mode '{other}' (supported: {SUPPORTED_MODES})"
                )))
            }
            None => {
                return Err(fields.fail(format!("no mode (supported: {SUPPORTED_MODES})")))
            }
        };
        Ok(provider)
    }
}
