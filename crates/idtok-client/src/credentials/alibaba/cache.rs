//! Temporary credentials kept between processes, as the aws CLI keeps assumed roles in
//! `~/.aws/cli/cache`: one file per assumed role in a directory only its user may open, so that
//! a command run again within the hour does not call STS again.
//!
//! - The file's name is the SHA-256 of what defines the role's credentials: the profile it comes
//!   from, the role, the session name (unless generated), the source's access key id or the OIDC
//!   provider and token file, the STS endpoint, the duration and the policy (for CloudSSO: the
//!   portal, the account and the access configuration). Another profile,
//!   role or source key is another file.
//! - A file is used while its credentials are not due for renewal (the chain's renewal margin,
//!   or halfway through a shorter lifetime, as in memory), then replaced.
//! - The directory is created `0700`, each file written `0600` to a temporary name and renamed
//!   into place, so that a reader sees a whole file or none.
//! - A file that cannot be read or is not what is written here is ignored with a warning (a
//!   `tracing` WARN event), and so is one that cannot be written: the cache only saves a call.
//!   Warnings name the file, never a value from it.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::{AlibabaCredentials, Environment};
use idtok_secret::SecretString;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::credentials::files::read_private_file;
use crate::credentials::renewing::renew_at;
use crate::credentials::{Expiring, Sourced};

/// The version of the file's layout: a file of another version is not read.
const VERSION: u64 = 1;

/// Where idtok keeps assumed roles' credentials: `$XDG_CACHE_HOME/idtok/credentials` when that is
/// an absolute path (the XDG rule), else `~/.cache/idtok/credentials`. `None` without a home.
pub fn default_cache_dir(environment: &Environment) -> Option<PathBuf> {
    let base = environment
        .get("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .or_else(|| {
            crate::credentials::files::home_dir(|name| environment.get(name))
                .map(|home| home.join(".cache"))
        })?;
    Some(base.join("idtok").join("credentials"))
}

/// What defines one role's credentials, as `(name, value)` pairs in a fixed order.
pub(crate) type CacheKey = Vec<(&'static str, String)>;

/// The cache directory, with the clock and margin that decide when a file is too old.
#[derive(Clone)]
pub(crate) struct DiskCache {
    dir: PathBuf,
    margin: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiskCache")
            .field("dir", &self.dir)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl DiskCache {
    pub fn new(dir: PathBuf, margin: Duration, clock: Arc<dyn Clock>) -> Self {
        Self { dir, margin, clock }
    }

    /// The file of `key`: the hex SHA-256 of its pairs, each written as `name=value` on a line.
    pub fn path(&self, key: &CacheKey) -> PathBuf {
        let mut hash = Sha256::new();
        for (name, value) in key {
            hash.update(name.as_bytes());
            hash.update(b"=");
            hash.update(value.as_bytes());
            hash.update(b"\n");
        }
        let name: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.json"))
    }

    /// The credentials kept for `key` when they are not yet due for renewal, under the name
    /// `source`.
    pub fn load(
        &self,
        key: &CacheKey,
        source: &str,
    ) -> Option<Expiring<Sourced<AlibabaCredentials>>> {
        let path = self.path(key);
        let text = match read_private_file(&path) {
            Ok(Some(text)) => text,
            Ok(None) => return None,
            Err(error) => {
                tracing::warn!(file = %path.display(), "{error}; the credentials cache file is ignored");
                return None;
            }
        };
        let (credentials, renew_at, expires_at) = match parse(&text) {
            Ok(parsed) => parsed,
            Err(why) => {
                tracing::warn!(
                    file = %path.display(),
                    "the credentials cache file {} is not one idtok wrote ({why}); it is ignored",
                    path.display()
                );
                return None;
            }
        };
        if unix(self.clock.now()) >= renew_at {
            tracing::debug!(file = %path.display(), "the cached credentials are due for renewal");
            return None;
        }
        tracing::debug!(file = %path.display(), "temporary credentials from the cache");
        Some(Expiring {
            value: Sourced {
                credentials,
                source: source.to_owned(),
            },
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(expires_at)),
        })
    }

    /// Keeps `fresh` for `key`; a failure is a warning.
    pub fn store(&self, key: &CacheKey, fresh: &Expiring<Sourced<AlibabaCredentials>>) {
        let Some(expires_at) = fresh.expires_at else {
            return;
        };
        let renew_at = renew_at(expires_at, Some(self.clock.now()), self.margin);
        let credentials = &fresh.value.credentials;
        let document = json!({
            "Version": VERSION,
            "AccessKeyId": credentials.access_key_id,
            "AccessKeySecret": credentials.access_key_secret.expose_secret(),
            "SecurityToken": credentials.security_token.as_ref().map(SecretString::expose_secret),
            "ExpiresAt": unix(expires_at),
            "RenewAt": unix(renew_at),
        });
        let path = self.path(key);
        if let Err(error) = write_private(&self.dir, &path, document.to_string().as_bytes()) {
            tracing::warn!(
                file = %path.display(),
                "cannot write the credentials cache file {}: {error}; the next run asks STS again",
                path.display()
            );
        }
    }
}

/// The credentials, renewal time and expiry of a cache file; why not, naming fields only.
fn parse(text: &str) -> Result<(AlibabaCredentials, u64, u64), String> {
    let document: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if document.get("Version").and_then(Value::as_u64) != Some(VERSION) {
        return Err(format!("its Version is not {VERSION}"));
    }
    let text = |key: &str| {
        document
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("no {key}"))
    };
    let number = |key: &str| {
        document
            .get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("no {key}"))
    };
    let mut credentials = AlibabaCredentials::new(text("AccessKeyId")?, text("AccessKeySecret")?);
    credentials.security_token = Some(SecretString::from(text("SecurityToken")?));
    Ok((credentials, number("RenewAt")?, number("ExpiresAt")?))
}

/// Writes `bytes` to `path` in `dir` (created `0700` if missing) as a `0600` file: to a temporary
/// file first, renamed into place.
fn write_private(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temporary = dir.join(format!(
        ".{}.{}.{nanos}.tmp",
        std::process::id(),
        unix(SystemTime::now())
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(error)
        }
    }
}
