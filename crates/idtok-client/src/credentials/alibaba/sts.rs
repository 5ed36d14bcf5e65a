//! The two STS calls the chain makes, AssumeRole and AssumeRoleWithOIDC, and where STS is: the
//! boundary between the providers and the STS client.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::{
    AlibabaCredentials, CredentialsError, NoCredentials, ProvideCredentials, StaticCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_runtime::retry::{RetryPolicy, Timeouts};
use idtok_secret::SecretString;

use super::{variables, Settings, DEFAULT_DURATION_SECONDS, DEFAULT_SESSION_NAME_PREFIX};
use crate::credentials::{Expiring, Sourced};
use idtok_runtime::credentials::Environment;

/// 5 s to connect and 10 s to read, as the library; the whole call, retries included, 30 s.
pub(crate) const DEFAULT_TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    per_attempt: Duration::from_secs(10),
    total: Duration::from_secs(30),
};

/// How STS is reached, as set on the chain's builder.
#[derive(Clone, Debug)]
pub(crate) struct StsSettings {
    /// Set in code: used for every call, whatever a profile or the environment says.
    pub endpoint: Option<Endpoint>,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
}

/// STS's endpoint as the library computes it: the one set in code; else
/// `sts.<region>.aliyuncs.com` (`sts-vpc.` when the VPC endpoint is enabled) for the profile's
/// region or `ALIBABA_CLOUD_STS_REGION`; else the central `sts.aliyuncs.com`.
pub(crate) fn endpoint(
    settings: &Settings,
    region: Option<&str>,
    enable_vpc: Option<bool>,
) -> Result<Endpoint, CredentialsError> {
    if let Some(endpoint) = &settings.sts.endpoint {
        return Ok(endpoint.clone());
    }
    let vpc = enable_vpc.unwrap_or_else(|| settings.is_true(variables::VPC_ENDPOINT_ENABLED));
    let prefix = if vpc { "sts-vpc" } else { "sts" };
    let region = region
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .or_else(|| settings.env.get(variables::STS_REGION));
    let host = match region {
        // A region is a name like cn-hangzhou: anything else could put another host in the URL.
        Some(region)
            if region.is_empty()
                || !region
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            return Err(CredentialsError::new(format!(
                "no STS endpoint: {region:?} is not a region id (like cn-hangzhou)"
            )))
        }
        Some(region) => format!("{prefix}.{region}.aliyuncs.com"),
        None => "sts.aliyuncs.com".to_owned(),
    };
    Endpoint::url(&format!("https://{host}"))
        .map_err(|e| CredentialsError::new(format!("no STS endpoint: {e}")))
}

/// Either `value` or the variable `name`.
pub(crate) fn or_env(value: Option<String>, env: &Environment, name: &str) -> Option<String> {
    value.filter(|v| !v.is_empty()).or_else(|| env.get(name))
}

/// A session's duration, at least 900 s; 3600 s when not given.
pub(crate) fn duration(seconds: Option<i64>) -> Result<u64, CredentialsError> {
    let seconds = seconds.unwrap_or(DEFAULT_DURATION_SECONDS as i64);
    u64::try_from(seconds)
        .ok()
        .filter(|s| *s >= 900)
        .ok_or_else(|| {
            CredentialsError::new(format!(
                "a session duration of {seconds} s: it must be at least 900 s (and at most the role's maximum session duration)"
            ))
        })
}

/// The session name: given, else `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else
/// `credentials-python-<Unix time>`; and whether it was given (a generated one differs at each
/// start, so the credentials cache does not key on it).
pub(crate) fn session_name(value: Option<String>, settings: &Settings) -> (String, bool) {
    match or_env(value, &settings.env, variables::ROLE_SESSION_NAME) {
        Some(name) => (name, true),
        None => (
            format!("{DEFAULT_SESSION_NAME_PREFIX}{}", settings.unix_now()),
            false,
        ),
    }
}

/// AssumeRole's parameters.
#[derive(Clone, Debug)]
pub(crate) struct AssumeRole {
    pub role_arn: String,
    pub session_name: String,
    pub duration_seconds: u64,
    pub policy: Option<String>,
    pub external_id: Option<String>,
}

/// AssumeRoleWithOIDC's parameters, but the token (read from its file at each call).
#[derive(Clone, Debug)]
pub(crate) struct AssumeRoleWithOidc {
    pub role_arn: String,
    pub oidc_provider_arn: String,
    pub session_name: String,
    pub duration_seconds: u64,
    pub policy: Option<String>,
}

/// A shared clock, for a client context that takes one by value.
#[derive(Debug, Clone)]
struct SharedClock(Arc<dyn Clock>);

impl Clock for SharedClock {
    fn now(&self) -> SystemTime {
        self.0.now()
    }
}

/// STS at one endpoint.
#[derive(Clone)]
pub(crate) struct Sts {
    endpoint: Endpoint,
    http: reqwest::Client,
    timeouts: Timeouts,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Sts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sts")
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

impl Sts {
    pub fn new(endpoint: Endpoint, settings: &Settings) -> Result<Self, CredentialsError> {
        let http = crate::http_client(&endpoint, &settings.sts.timeouts)
            .map_err(|e| CredentialsError::new(e.to_string()))?;
        Ok(Self {
            endpoint,
            http,
            timeouts: settings.sts.timeouts,
            retry: settings.sts.retry,
            clock: settings.clock.clone(),
        })
    }

    /// Where STS is, as called.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// A client of STS signing with `credentials`, with the chain's clock, retries and timeouts.
    fn client(
        &self,
        credentials: impl ProvideCredentials<AlibabaCredentials> + 'static,
    ) -> crate::sts::Client {
        let context = crate::sts::ClientContext::new(credentials)
            .with_clock(SharedClock(self.clock.clone()))
            .with_retry_policy(self.retry)
            .with_timeouts(self.timeouts);
        crate::sts::Client::new_with_client(self.endpoint.as_str(), self.http.clone(), context)
    }

    /// AssumeRole, signed with `source`.
    pub async fn assume_role(
        &self,
        source: AlibabaCredentials,
        request: &AssumeRole,
    ) -> Result<Expiring<AlibabaCredentials>, CredentialsError> {
        let client = self.client(StaticCredentials(source));
        let mut call = client
            .assume_role()
            .role_arn(request.role_arn.as_str())
            .role_session_name(request.session_name.as_str())
            .duration_seconds(duration_parameter(request.duration_seconds));
        if let Some(policy) = &request.policy {
            call = call.policy(policy.as_str());
        }
        if let Some(external_id) = &request.external_id {
            call = call.external_id(external_id.as_str());
        }
        let answer = crate::call("AssumeRole", call.send())
            .await
            .map_err(|e| assume_failed(&request.role_arn, e))?;
        answer_credentials(answer.credentials, "AssumeRole", &request.role_arn)
    }

    /// AssumeRoleWithOIDC, which is sent unsigned: the OIDC token is the proof.
    pub async fn assume_role_with_oidc(
        &self,
        request: &AssumeRoleWithOidc,
        token: SecretString,
    ) -> Result<Expiring<AlibabaCredentials>, CredentialsError> {
        let client = self.client(NoCredentials(
            "AssumeRoleWithOIDC is sent unsigned: its client has no credentials",
        ));
        let mut call = client
            .assume_role_with_oidc()
            .role_arn(request.role_arn.as_str())
            .oidc_provider_arn(request.oidc_provider_arn.as_str())
            .oidc_token(token)
            .role_session_name(request.session_name.as_str())
            .duration_seconds(duration_parameter(request.duration_seconds));
        if let Some(policy) = &request.policy {
            call = call.policy(policy.as_str());
        }
        let answer = crate::call("AssumeRoleWithOIDC", call.send())
            .await
            .map_err(|e| assume_failed(&request.role_arn, e))?;
        answer_credentials(answer.credentials, "AssumeRoleWithOIDC", &request.role_arn)
    }
}

/// A duration in seconds as the document types it.
fn duration_parameter(seconds: u64) -> i64 {
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

fn assume_failed(role_arn: &str, error: crate::CallError) -> CredentialsError {
    CredentialsError::new(format!("cannot assume {role_arn}: {error}"))
}

/// The credentials of an AssumeRole* answer.
fn answer_credentials(
    credentials: Option<idtok_sts_models::Credentials>,
    operation: &str,
    role_arn: &str,
) -> Result<Expiring<AlibabaCredentials>, CredentialsError> {
    let credentials = credentials.ok_or_else(|| {
        CredentialsError::new(format!(
            "cannot assume {role_arn}: {operation} answered without Credentials"
        ))
    })?;
    temporary_credentials(
        credentials.access_key_id,
        credentials.access_key_secret,
        credentials.security_token,
        credentials.expiration.as_deref(),
    )
    .map_err(|e| CredentialsError::new(format!("cannot assume {role_arn}: {operation}: {e}")))
}

/// The temporary credentials of an answer (STS's `Credentials`, the metadata service's and a
/// credentials URI's document): every part must be there.
pub(crate) fn temporary_credentials(
    access_key_id: Option<String>,
    access_key_secret: Option<SecretString>,
    security_token: Option<SecretString>,
    expiration: Option<&str>,
) -> Result<Expiring<AlibabaCredentials>, String> {
    let missing = |what: &str| format!("the answer has no {what}");
    let id = access_key_id
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("AccessKeyId"))?;
    let secret = access_key_secret
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("AccessKeySecret"))?;
    let token = security_token
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("SecurityToken"))?;
    let expiration = expiration.ok_or_else(|| missing("Expiration"))?;
    let expires_at = parse_expiration(expiration).ok_or_else(|| {
        format!("the answer's Expiration {expiration:?} is not a time like 2015-04-09T11:52:19Z")
    })?;
    let mut credentials = AlibabaCredentials::new(id, secret);
    credentials.security_token = Some(token);
    Ok(Expiring {
        value: credentials,
        expires_at: Some(expires_at),
    })
}

/// The temporary credentials of the JSON document the metadata service and a credentials URI
/// answer: `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken",
/// "Expiration"}`, under the name `source`. Why not, without quoting the document (it may hold
/// the secret).
pub(crate) fn credentials_document(
    body: &[u8],
    source: &str,
) -> Result<Expiring<Sourced<AlibabaCredentials>>, String> {
    let document: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let text = |key: &str| document.get(key).and_then(|v| v.as_str());
    if text("Code") != Some("Success") {
        return Err(format!(
            "the answer's Code is {}, not \"Success\"",
            text("Code").map_or("missing".to_owned(), |c| format!("{c:?}"))
        ));
    }
    let expiring = temporary_credentials(
        text("AccessKeyId").map(str::to_owned),
        text("AccessKeySecret").map(SecretString::from),
        text("SecurityToken").map(SecretString::from),
        text("Expiration"),
    )?;
    Ok(Expiring {
        value: Sourced {
            credentials: expiring.value,
            source: source.to_owned(),
        },
        expires_at: expiring.expires_at,
    })
}

/// `2015-04-09T11:52:19Z` (UTC), the one format the library reads.
pub(crate) fn parse_expiration(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|d| d.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    crate::credentials::utc::from_civil(
        [number(0..4)?, number(5..7)?, number(8..10)?],
        [number(11..13)?, number(14..16)?, number(17..19)?],
        0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::alibaba::DefaultChainBuilder;
    use std::time::UNIX_EPOCH;

    fn settings(variables: &[(&str, &str)]) -> Settings {
        DefaultChainBuilder::default()
            .environment(Environment::from_variables(variables.iter().copied()))
            .settings()
            .unwrap()
    }

    #[test]
    fn the_sts_endpoint_is_computed_as_the_library_computes_it() {
        let at = |variables: &[(&str, &str)], region: Option<&str>, vpc: Option<bool>| {
            endpoint(&settings(variables), region, vpc)
                .map(|e| e.as_str().to_owned())
                .map_err(|e| e.to_string())
        };
        let ok = |s: &str| Ok(s.to_owned());
        assert_eq!(at(&[], None, None), ok("https://sts.aliyuncs.com"));
        let env_region = [(variables::STS_REGION, "cn-hangzhou")];
        assert_eq!(
            at(&env_region, None, None),
            ok("https://sts.cn-hangzhou.aliyuncs.com")
        );
        let vpc = [
            (variables::STS_REGION, "cn-hangzhou"),
            (variables::VPC_ENDPOINT_ENABLED, "True"),
        ];
        assert_eq!(
            at(&vpc, None, None),
            ok("https://sts-vpc.cn-hangzhou.aliyuncs.com")
        );
        // The profile's region and VPC switch beat the environment's.
        assert_eq!(
            at(&vpc, Some("ap-southeast-1"), Some(false)),
            ok("https://sts.ap-southeast-1.aliyuncs.com")
        );
        assert_eq!(
            at(&[], Some("cn-beijing"), Some(true)),
            ok("https://sts-vpc.cn-beijing.aliyuncs.com")
        );
        // Without a region, the central endpoint, VPC or not (as the library).
        assert_eq!(
            at(&[(variables::VPC_ENDPOINT_ENABLED, "true")], None, None),
            ok("https://sts.aliyuncs.com")
        );
        for bad in ["evil.example.com#", "cn-hangzhou/x", "a b", "x@y"] {
            let error = at(&[], Some(bad), None).unwrap_err();
            assert!(error.contains("is not a region id"), "{bad}: {error}");
        }
        // An endpoint set in code beats everything.
        let mut settings = settings(&vpc);
        settings.sts.endpoint = Some(Endpoint::url("http://127.0.0.1:9").unwrap());
        assert_eq!(
            endpoint(&settings, Some("cn-beijing"), Some(true))
                .unwrap()
                .as_str(),
            "http://127.0.0.1:9"
        );
    }

    #[test]
    fn expirations_are_read_as_utc() {
        let at = |s| parse_expiration(s).map(|t| t.duration_since(UNIX_EPOCH).unwrap().as_secs());
        assert_eq!(at("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(at("2015-04-09T11:52:19Z"), Some(1_428_580_339));
        assert_eq!(at("2024-02-29T23:59:59Z"), Some(1_709_251_199));
        assert_eq!(at("2100-03-01T00:00:00Z"), Some(4_107_542_400));
        for bad in [
            "",
            "2015-04-09 11:52:19Z",
            "2015-04-09T11:52:19",
            "2015-02-30T00:00:00Z",
            "2015-13-01T00:00:00Z",
            "2015-04-09T24:00:00Z",
            "+015-04-09T11:52:19Z",
            "2015-04-09T11:52:19+08:00",
            "１９７０-01-01T00:00:00Z",
        ] {
            assert_eq!(at(bad), None, "{bad:?}");
        }
    }
}
