//! KooCLI's profiles (Huawei Cloud's command-line tool, `hcloud`): `~/.hcloud/config.json`, as
//! `hcloud configure set --cli-profile=NAME` writes it and Huawei's Terraform provider reads it
//! (`shared_config_file`):
//!
//! ```json
//! {"authEncrypt": "false", "current": "default", "profiles": [
//!   {"name": "default", "mode": "AKSK", "accessKeyId": "...", "secretAccessKey": "...",
//!    "securityToken": "", "region": "cn-north-4", "projectId": "", "domainId": ""}]}
//! ```
//!
//! KooCLI encrypts the keys it stores unless `authEncrypt` is `false` (set by
//! `hcloud configure set --cli-auth-encrypt=false`); only KooCLI can read encrypted keys, so such a
//! profile is refused with what to do instead. Its modes: `AKSK` (keys, temporary with a security
//! token), `ecsAgency` (the ECS metadata service), `SSO` (IAM Identity Center sign-in, refused);
//! a profile that assumes an agency (`agencyName`) is refused too.

use std::path::{Path, PathBuf};

use idtok_runtime::credentials::CredentialsError;
use serde_json::{Map, Value};

use crate::credentials::files::ReadOnce;

/// `.hcloud/config.json` under `home`.
pub fn config_path(home: &Path) -> PathBuf {
    home.join(".hcloud").join("config.json")
}

/// What a KooCLI profile gives.
#[derive(Debug)]
pub(super) enum KooCliProfile {
    /// `AKSK`: the keys, as written.
    Keys {
        access_key: String,
        secret_key: String,
        security_token: Option<String>,
        project_id: Option<String>,
        domain_id: Option<String>,
    },
    /// `ecsAgency`: the instance's agency, through the ECS metadata service.
    EcsAgency,
}

/// The file's JSON object, `None` when there is no such file. Errors name the file and line,
/// never a value.
fn load(path: &Path, files: &ReadOnce) -> Result<Option<Map<String, Value>>, CredentialsError> {
    let Some(text) = files.read(path)? else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        CredentialsError::new(format!(
            "{}, line {}: not valid JSON ({e})",
            path.display(),
            e.line()
        ))
    })?;
    match value {
        Value::Object(map) => Ok(Some(map)),
        _ => Err(CredentialsError::new(format!(
            "{}: not a JSON object",
            path.display()
        ))),
    }
}

/// The profile called `name` in `config`, `None` when there is none.
fn find<'a>(
    config: &'a Map<String, Value>,
    name: &str,
    path: &Path,
) -> Result<Option<&'a Map<String, Value>>, CredentialsError> {
    let fail = |why: String| CredentialsError::new(format!("{}: {why}", path.display()));
    let profiles = match config.get("profiles") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(profiles)) => profiles,
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

/// KooCLI writes its switches as the strings `"true"` and `"false"`; a JSON boolean is read too.
fn switch(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// Profile `name` of the KooCLI config file at `path`: `Ok(None)` when the file or the profile
/// does not exist; an error that says what to do when it cannot be used.
pub(super) fn profile(
    path: &Path,
    name: &str,
    files: &ReadOnce,
) -> Result<Option<KooCliProfile>, CredentialsError> {
    let Some(config) = load(path, files)? else {
        return Ok(None);
    };
    let Some(profile) = find(&config, name, path)? else {
        return Ok(None);
    };
    let fail =
        |why: String| CredentialsError::new(format!("{}, profile '{name}': {why}", path.display()));
    let text = |key: &str| -> Result<Option<String>, CredentialsError> {
        match profile.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Some(_) => Err(fail(format!("`{key}` is not a string"))),
        }
    };
    let mode = text("mode")?;
    match mode.as_deref() {
        Some(mode) if mode.eq_ignore_ascii_case("ecsAgency") => {
            return Ok(Some(KooCliProfile::EcsAgency))
        }
        Some(mode) if mode.eq_ignore_ascii_case("SSO") => {
            return Err(fail(format!(
                "mode SSO (an IAM Identity Center sign-in) is not supported by idtok; give the profile an access key (`hcloud configure set --cli-profile={name} --cli-mode=AKSK --cli-access-key=... --cli-secret-key=...`)"
            )))
        }
        Some(mode) if !mode.eq_ignore_ascii_case("AKSK") => {
            return Err(fail(format!(
                "unsupported mode '{mode}' (supported: AKSK, ecsAgency)"
            )))
        }
        _ => {}
    }
    if text("agencyName")?.is_some() {
        return Err(fail(
            "it assumes an agency (agencyName), which idtok does not do; give it the agency's own access key instead".to_owned(),
        ));
    }
    if switch(config.get("authEncrypt")) != Some(false) {
        return Err(fail(format!(
            "KooCLI keeps this profile's keys encrypted (authEncrypt is not \"false\"), and only KooCLI can read them. Run `hcloud configure set --cli-auth-encrypt=false`, then set the keys again (`hcloud configure set --cli-profile={name} --cli-access-key=... --cli-secret-key=...`)"
        )));
    }
    let (Some(access_key), Some(secret_key)) = (text("accessKeyId")?, text("secretAccessKey")?)
    else {
        return Err(fail(
            "no accessKeyId and secretAccessKey (mode AKSK)".to_owned(),
        ));
    };
    Ok(Some(KooCliProfile::Keys {
        access_key,
        secret_key,
        security_token: text("securityToken")?,
        project_id: text("projectId")?,
        domain_id: text("domainId")?,
    }))
}

/// The region of KooCLI profile `name` (`region`), `None` when the file, the profile or its
/// region is missing; an error only for a file that cannot be read or parsed.
pub fn profile_region(
    home: &Path,
    name: &str,
    files: &ReadOnce,
) -> Result<Option<String>, CredentialsError> {
    let path = config_path(home);
    let Some(config) = load(&path, files)? else {
        return Ok(None);
    };
    Ok(find(&config, name, &path)?
        .and_then(|profile| profile.get("region"))
        .and_then(Value::as_str)
        .filter(|region| !region.is_empty())
        .map(str::to_owned))
}
