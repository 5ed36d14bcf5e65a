//! The ECS metadata service's temporary AK/SK, as huaweicloudsdkcore's `MetadataAccessor` gets it
//! (auth/internal.py):
//!
//! 1. Unless it has a session token, or has tried for one in the last 24 hours: `PUT
//!    /meta-data/latest/api/token` with `X-Metadata-Token-Ttl-Seconds: 21600`. 200 gives the
//!    token; 404, 405 or 503 means the service does not use tokens (requests go without one);
//!    any other status is a failure.
//! 2. `GET /openstack/latest/securitykey`, with `X-Metadata-Token` when there is a token. A 401
//!    whose body does not say "Please configure Cloud Service Agency first" gets a new token (any
//!    failure now is one) and is tried once more. Any status from 400 up is a failure.
//! 3. The answer is JSON: `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`
//!    (the SDK also takes `credentials` and the camelCase and snake_case spellings), with
//!    `expires_at` as `%Y-%m-%dT%H:%M:%S.%fZ` in UTC.
//!
//! Each request has the SDK's timeouts, 3 s to connect and 3 s to read (and here the two added
//! up for the whole request, so a service that trickles bytes is bounded too). The SDK renews the
//! key when it has less than 40 minutes left; [`super::DefaultChain`] does the same through
//! [`Renewing`](crate::credentials::Renewing).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::{CredentialsError, CredentialsFuture, HuaweiCredentials};
use idtok_secret::SecretString;
use reqwest::{Method, Url};

use super::CredentialType;
use crate::credentials::http::{self, under, PlainHttp};
use crate::credentials::{Expiring, Refresh, Sourced};

/// The metadata service of an ECS instance.
pub const METADATA_BASE_URL: &str = "http://169.254.169.254";
/// The SDK's `_DEFAULT_TIME_OUT = (3, 3)`: connect, then read.
pub const METADATA_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// The SDK's read timeout for the metadata service.
pub const METADATA_READ_TIMEOUT: Duration = Duration::from_secs(3);

const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
const TOKEN_TTL_HEADER: &str = "X-Metadata-Token-Ttl-Seconds";
const TOKEN_HEADER: &str = "X-Metadata-Token";
/// 6 hours, as the SDK asks.
const TOKEN_TTL_SECONDS: &str = "21600";
/// How long the SDK waits before asking for a token again after the service said it has none.
const TOKEN_RETRY_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);
/// A 401 with this text is not a token problem: the instance has no agency.
const NO_AGENCY: &str = "Please configure Cloud Service Agency first";

/// The address of the real metadata service, as a parsed URL names it.
const METADATA_ADDRESS: &str = "169.254.169.254";

/// The metadata service's base URL, checked ([`http::metadata_url`]): HTTPS, plain HTTP to
/// loopback, or exactly `http://169.254.169.254` on port 80.
pub(super) fn metadata_base_url(url: &str) -> Result<Url, CredentialsError> {
    http::metadata_url(url, METADATA_ADDRESS, "metadata base URL")
}

/// Gets the temporary key from the metadata service (what `MetadataAccessor.get_credential`
/// does). Holds the session token between calls.
pub(super) struct MetadataSource {
    pub(super) http: PlainHttp,
    pub(super) base_url: Url,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) token: tokio::sync::Mutex<TokenState>,
    /// The provider's name: `metadata`, or the KooCLI profile's that asked for the key.
    pub(super) source: String,
    /// Which id the key keeps (it has none: the SDK gives a metadata key no project id).
    pub(super) credential_type: CredentialType,
}

#[derive(Default)]
pub(super) struct TokenState {
    token: Option<SecretString>,
    last_tried: Option<SystemTime>,
}

impl fmt::Debug for MetadataSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The session token is not shown.
        f.debug_struct("MetadataSource")
            .field("base_url", &self.base_url.as_str())
            .finish_non_exhaustive()
    }
}

impl Refresh<Sourced<HuaweiCredentials>> for MetadataSource {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<Sourced<HuaweiCredentials>>> {
        Box::pin(async move {
            let key = self.security_key().await?;
            Ok(Expiring {
                value: Sourced {
                    credentials: self.credential_type.keep_own_id(key.value),
                    source: self.source.clone(),
                },
                expires_at: key.expires_at,
            })
        })
    }
}

/// An answer: its status and its body as text.
struct Answer {
    status: u16,
    body: String,
}

impl MetadataSource {
    fn url(&self, path: &str) -> Url {
        under(&self.base_url, path)
    }

    async fn security_key(&self) -> Result<Expiring<HuaweiCredentials>, CredentialsError> {
        let mut state = self.token.lock().await;
        let now = self.clock.now();
        let due = state
            .last_tried
            .is_none_or(|at| now.duration_since(at).unwrap_or_default() > TOKEN_RETRY_INTERVAL);
        if state.token.is_none() && due {
            self.update_token(&mut state, false).await?;
        }
        let mut answer = self.get_security_key(state.token.as_ref()).await?;
        if answer.status == 401 && !answer.body.contains(NO_AGENCY) {
            self.update_token(&mut state, true).await?;
            answer = self.get_security_key(state.token.as_ref()).await?;
        }
        if answer.status >= 400 {
            return Err(self.failure("GET", SECURITY_KEY_PATH, &answer));
        }
        parse_security_key(&answer.body)
    }

    async fn get_security_key(
        &self,
        token: Option<&SecretString>,
    ) -> Result<Answer, CredentialsError> {
        let headers: Vec<(&'static str, &str)> = token
            .map(|token| (TOKEN_HEADER, token.expose_secret()))
            .into_iter()
            .collect();
        self.send(Method::GET, SECURITY_KEY_PATH, &headers).await
    }

    /// `_try_update_token`: a new session token, or none when the service does not use them
    /// (404, 405, 503) and `must` is false.
    async fn update_token(
        &self,
        state: &mut TokenState,
        must: bool,
    ) -> Result<(), CredentialsError> {
        state.last_tried = Some(self.clock.now());
        let answer = self
            .send(
                Method::PUT,
                TOKEN_PATH,
                &[(TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS)],
            )
            .await?;
        match answer.status {
            200 => {
                state.token = Some(SecretString::from(answer.body));
                Ok(())
            }
            404 | 405 | 503 if !must => {
                state.token = None;
                Ok(())
            }
            // Not a 200: the body is an error text, not a token.
            _ => Err(self.failure("PUT", TOKEN_PATH, &answer)),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&'static str, &str)],
    ) -> Result<Answer, CredentialsError> {
        let url = self.url(path);
        let what = format!("{method} {url}");
        let answer = self
            .http
            .send(method, url, headers, None)
            .await
            .map_err(|failure| CredentialsError::new(format!("{what}: {failure}")))?;
        Ok(Answer {
            status: answer.status,
            body: String::from_utf8_lossy(&answer.body).into_owned(),
        })
    }

    /// An error status. What the service said is not repeated (an answer is no place to trust
    /// with what a log may see), except the one text the SDK itself looks for.
    fn failure(&self, method: &str, path: &str, answer: &Answer) -> CredentialsError {
        let why = if answer.body.contains(NO_AGENCY) {
            format!(": {NO_AGENCY} (the instance has no agency to take a key from)")
        } else {
            String::new()
        };
        CredentialsError::new(format!(
            "{method} {}: HTTP {}{why}",
            self.url(path),
            answer.status
        ))
    }
}

/// `StsAccessor._process_credential`: the key in the JSON answer. Errors name the fields, never
/// their values.
pub(super) fn parse_security_key(
    body: &str,
) -> Result<Expiring<HuaweiCredentials>, CredentialsError> {
    let fail = |why: &str| {
        CredentialsError::new(format!("the metadata service's security key answer {why}"))
    };
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| fail(&format!("is not JSON ({e})")))?;
    let mut map = value
        .as_object()
        .ok_or_else(|| fail("is not a JSON object"))?;
    for wrapper in ["credential", "credentials"] {
        if let Some(inner) = map.get(wrapper) {
            map = inner
                .as_object()
                .ok_or_else(|| fail(&format!("has a `{wrapper}` that is not an object")))?;
            break;
        }
    }
    // Python's `a or b or c`: the first one given and not empty.
    let first = |names: &[&str]| -> Result<Option<String>, CredentialsError> {
        for &name in names {
            match map.get(name) {
                None | Some(serde_json::Value::Null) => {}
                Some(serde_json::Value::String(s)) if s.is_empty() => {}
                Some(serde_json::Value::String(s)) => return Ok(Some(s.clone())),
                Some(_) => return Err(fail(&format!("has a `{name}` that is not a string"))),
            }
        }
        Ok(None)
    };
    let access = first(&["access", "accessKeyId", "access_key_id"])?
        .ok_or_else(|| fail("has no `access`"))?;
    let secret = first(&["secret", "secretAccessKey", "secret_access_key"])?
        .ok_or_else(|| fail("has no `secret`"))?;
    let token = first(&["securitytoken", "securityToken", "security_token"])?;
    let expires =
        first(&["expires_at", "expiration"])?.ok_or_else(|| fail("has no `expires_at`"))?;
    let expires_at = parse_utc(&expires).ok_or_else(|| {
        fail(&format!(
            "has an `expires_at` that is not %Y-%m-%dT%H:%M:%S.%fZ: {expires:?}"
        ))
    })?;
    let mut credentials = HuaweiCredentials::new(access, secret);
    credentials.security_token = token.map(SecretString::from);
    Ok(Expiring {
        value: credentials,
        expires_at: Some(expires_at),
    })
}

/// `2024-05-16T09:29:33.404000Z` (`%Y-%m-%dT%H:%M:%S.%fZ`, UTC; the fraction may be left out
/// here, where Python's `strptime` would refuse the answer).
pub(super) fn parse_utc(text: &str) -> Option<SystemTime> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let numbers = |part: &str, sep: char, widths: [usize; 3]| -> Option<[u64; 3]> {
        let mut out = [0; 3];
        let mut fields = part.split(sep);
        for (slot, width) in out.iter_mut().zip(widths) {
            let field = fields.next()?;
            if field.len() != width || !field.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = field.parse().ok()?;
        }
        fields.next().is_none().then_some(out)
    };
    let nanos = match fraction {
        None => 0,
        Some(f) if (1..=6).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) => {
            f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return None,
    };
    crate::credentials::utc::from_civil(
        numbers(date, '-', [4, 2, 2])?,
        numbers(clock, ':', [2, 2, 2])?,
        nanos,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_times_are_read_as_the_sdk_reads_them() {
        let at = |s: &str| {
            parse_utc(s).map(|t| {
                let d = t.duration_since(SystemTime::UNIX_EPOCH).unwrap();
                (d.as_secs(), d.subsec_micros())
            })
        };
        assert_eq!(at("1970-01-01T00:00:00.000000Z"), Some((0, 0)));
        assert_eq!(
            at("2023-10-26T10:22:32.404000Z"),
            Some((1_698_315_752, 404_000))
        );
        assert_eq!(at("2024-02-29T23:59:59.5Z"), Some((1_709_251_199, 500_000)));
        assert_eq!(at("2023-10-26T10:22:32Z"), Some((1_698_315_752, 0)));
        for bad in [
            "",
            "2023-10-26T10:22:32",
            "2023-10-26 10:22:32.0Z",
            "2023-02-29T00:00:00.0Z",
            "2023-13-01T00:00:00.0Z",
            "2023-10-26T24:00:00.0Z",
            "2023-10-26T10:22:32.1234567Z",
            "+023-10-26T10:22:32.0Z",
            "1969-12-31T23:59:59.0Z",
            "2023-10-26T10:22:32.Z",
        ] {
            assert_eq!(at(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_key_answer_is_read_in_each_spelling_the_sdk_takes() {
        let key = parse_security_key(
            r#"{"credential":{"access":"AK1","secret":"SK1","securitytoken":"T1","expires_at":"2023-10-26T10:22:32.000000Z"}}"#,
        )
        .unwrap();
        assert_eq!(key.value.access_key, "AK1");
        assert_eq!(key.value.secret_key.expose_secret(), "SK1");
        assert_eq!(
            key.value
                .security_token
                .as_ref()
                .map(SecretString::expose_secret),
            Some("T1")
        );
        let key = parse_security_key(
            r#"{"credentials":{"access_key_id":"AK2","secretAccessKey":"SK2","expiration":"2023-10-26T10:22:32.0Z"}}"#,
        )
        .unwrap();
        assert_eq!(key.value.access_key, "AK2");
        assert!(key.value.security_token.is_none());
        for (body, why) in [
            ("not json", "is not JSON"),
            ("[]", "is not a JSON object"),
            (
                r#"{"credential":{"secret":"s3cr3t","expires_at":"x"}}"#,
                "has no `access`",
            ),
            (
                r#"{"credential":{"access":"a","secret":"s3cr3t"}}"#,
                "has no `expires_at`",
            ),
            (
                r#"{"credential":{"access":"a","secret":7,"expires_at":"x"}}"#,
                "`secret` that is not a string",
            ),
        ] {
            let error = parse_security_key(body).unwrap_err().to_string();
            assert!(error.contains(why), "{body}: {error}");
            assert!(!error.contains("s3cr3t"), "{error}");
        }
    }

    #[test]
    fn only_the_real_metadata_address_may_be_plain_http_off_loopback() {
        assert!(metadata_base_url("http://169.254.169.254").is_ok());
        assert!(metadata_base_url("http://169.254.169.254:8080").is_err());
        assert!(metadata_base_url("http://100.100.100.200").is_err());
    }
}
