//! Credentials: what each family signs or authorizes with, where it comes from, and the trait to
//! bring your own source.
//!
//! Every secret is a [`SecretString`]: `Debug` and `Display` of these types, and every error here,
//! never show one.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use idtok_secret::SecretString;

/// An Alibaba Cloud AccessKey pair, optionally with an STS security token (temporary credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlibabaCredentials {
    /// The AccessKey ID (`LTAI...`, or `STS....` for temporary credentials): not a secret, sent
    /// with every signed request.
    pub access_key_id: String,
    /// The AccessKey secret, which signs requests and is never sent.
    pub access_key_secret: SecretString,
    /// The STS security token of temporary credentials (`x-acs-security-token`); `None` for a
    /// long-lived AccessKey.
    pub security_token: Option<SecretString>,
}

/// A Huawei Cloud AK/SK pair, optionally with a security token (temporary credentials), and the
/// project or account the requests act in.
///
/// `project_id` and `domain_id` are what huaweicloudsdkcore's `BasicCredentials` and
/// `GlobalCredentials` carry: a family whose SDK client takes `BasicCredentials` (the identity
/// store) sends and signs `X-Project-Id` when a project id is set; one that takes
/// `GlobalCredentials` would send `X-Domain-Id`. Neither id is secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HuaweiCredentials {
    /// The access key (AK): not a secret, named in every signature.
    pub access_key: String,
    /// The secret access key (SK), which signs requests and is never sent.
    pub secret_key: SecretString,
    /// The security token of temporary credentials (`X-Security-Token`); `None` for a permanent
    /// AK/SK.
    pub security_token: Option<SecretString>,
    /// The project (region-scoped) the requests act in: `X-Project-Id`.
    pub project_id: Option<String>,
    /// The account (domain) id, for global services: `X-Domain-Id`.
    pub domain_id: Option<String>,
}

/// An access token issued by IDaaS, for the developer API (`Authorization: Bearer`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessToken {
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: SecretString,
    /// When the token stops working, if known.
    pub expires_at: Option<SystemTime>,
}

/// An IDaaS application's OAuth2 client credentials, from which access tokens for the developer
/// API are obtained (the client-credentials grant of its token endpoint, GenerateToken).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdaasClientCredentials {
    /// The IDaaS instance whose token endpoint issues the tokens.
    pub instance_id: String,
    /// The application that owns the client credentials.
    pub application_id: String,
    /// The application's OAuth2 client id.
    pub client_id: String,
    /// The application's OAuth2 client secret.
    pub client_secret: SecretString,
    /// The scope to ask for (`urn:cloud:idaas:pam|.all`, say); the application's default when unset.
    pub scope: Option<String>,
}

impl IdaasClientCredentials {
    /// The client credentials of `application_id` in `instance_id`, with the application's
    /// default scope.
    pub fn new(
        instance_id: impl Into<String>,
        application_id: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            instance_id: instance_id.into(),
            application_id: application_id.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scope: None,
        }
    }

    /// Asks for `scope` instead of the application's default.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }
}

impl AlibabaCredentials {
    /// A long-lived AccessKey pair (no security token).
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Temporary credentials: the pair with the security token STS issued with it.
    pub fn with_security_token(mut self, token: impl Into<SecretString>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

impl HuaweiCredentials {
    /// A permanent AK/SK pair, with no security token, project or domain id.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<SecretString>) -> Self {
        Self {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
            project_id: None,
            domain_id: None,
        }
    }

    /// Temporary credentials: the pair with the security token STS issued with it.
    pub fn with_security_token(mut self, token: impl Into<SecretString>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The project the requests act in, sent as `X-Project-Id` by the families that use it.
    pub fn with_project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The account (domain) id, sent as `X-Domain-Id` by the global families that use it.
    pub fn with_domain_id(mut self, domain_id: impl Into<String>) -> Self {
        self.domain_id = Some(domain_id.into());
        self
    }
}

impl AccessToken {
    /// A token whose expiry is not known.
    pub fn new(token: impl Into<SecretString>) -> Self {
        Self {
            token: token.into(),
            expires_at: None,
        }
    }
}

/// Why no credentials could be had. Names what is missing, never a secret value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error saying `message` (which must not hold a secret).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// What [`ProvideCredentials::provide`] returns: a boxed future, so providers can be stored as
/// `Arc<dyn ProvideCredentials<C>>`.
pub type CredentialsFuture<'a, C> =
    Pin<Box<dyn Future<Output = Result<C, CredentialsError>> + Send + 'a>>;

/// A source of credentials of type `C` ([`AlibabaCredentials`], [`HuaweiCredentials`] or
/// [`AccessToken`]). Called before every request, so a provider may rotate or refresh.
///
/// Implement it for a source of your own (a vault, a metadata service):
///
/// ```
/// use idtok_runtime::credentials::{AlibabaCredentials, CredentialsFuture, ProvideCredentials};
///
/// #[derive(Debug)]
/// struct FromVault;
///
/// impl ProvideCredentials<AlibabaCredentials> for FromVault {
///     fn provide(&self) -> CredentialsFuture<'_, AlibabaCredentials> {
///         Box::pin(async { Ok(AlibabaCredentials::new("LTAI-from-vault", "secret-from-vault")) })
///     }
/// }
/// ```
pub trait ProvideCredentials<C>: Send + Sync + fmt::Debug {
    /// The credentials to use for the next request (called before each signature).
    fn provide(&self) -> CredentialsFuture<'_, C>;
}

impl<C, P: ProvideCredentials<C> + ?Sized> ProvideCredentials<C> for Arc<P> {
    fn provide(&self) -> CredentialsFuture<'_, C> {
        (**self).provide()
    }
}

/// Fixed credentials, given in code.
#[derive(Clone, Debug)]
pub struct StaticCredentials<C>(pub C);

impl<C: Clone + Send + Sync + fmt::Debug + 'static> ProvideCredentials<C> for StaticCredentials<C> {
    fn provide(&self) -> CredentialsFuture<'_, C> {
        let credentials = self.0.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// No credentials, and why: for a client whose calls may need none (operations a document marks
/// `security: []`), so that only a call that asks for credentials fails, with this message.
#[derive(Clone, Debug)]
pub struct NoCredentials(pub &'static str);

impl<C> ProvideCredentials<C> for NoCredentials {
    fn provide(&self) -> CredentialsFuture<'_, C> {
        let why = self.0;
        Box::pin(async move { Err(CredentialsError::new(why)) })
    }
}

/// The vendors' environment variables:
///
/// | credentials | variables |
/// |---|---|
/// | [`AlibabaCredentials`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` |
/// | [`HuaweiCredentials`] | `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, optional `HUAWEICLOUD_SDK_SECURITY_TOKEN`, `HUAWEICLOUD_SDK_PROJECT_ID`, `HUAWEICLOUD_SDK_DOMAIN_ID` |
/// | [`AccessToken`] | `IDAAS_ACCESS_TOKEN` |
/// | [`IdaasClientCredentials`] | `IDAAS_CLIENT_ID`, `IDAAS_CLIENT_SECRET`, `IDAAS_APPLICATION_ID`, `IDAAS_INSTANCE_ID`, optional `IDAAS_SCOPE` (the developer API's `ClientCredentialsProvider` turns them into access tokens) |
///
/// An empty variable counts as unset. Read at each request.
#[derive(Clone, Default)]
pub struct Environment {
    /// Stands in for the process environment (tests); `None` reads the real one.
    variables: Option<HashMap<String, String>>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The variables hold secrets: show which are set, not their values.
        let names: Option<Vec<&String>> = self.variables.as_ref().map(|v| v.keys().collect());
        f.debug_struct("Environment")
            .field("variables", &names)
            .finish()
    }
}

/// Environment variable: The AccessKey ID of [`AlibabaCredentials`].
pub const ALIBABA_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable: The AccessKey secret of [`AlibabaCredentials`].
pub const ALIBABA_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable: The STS security token of [`AlibabaCredentials`] (optional).
pub const ALIBABA_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable: The access key of [`HuaweiCredentials`].
pub const HUAWEI_AK: &str = "HUAWEICLOUD_SDK_AK";
/// Environment variable: The secret key of [`HuaweiCredentials`].
pub const HUAWEI_SK: &str = "HUAWEICLOUD_SDK_SK";
/// Environment variable: The security token of [`HuaweiCredentials`] (optional).
pub const HUAWEI_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
/// Environment variable: The project id of [`HuaweiCredentials`] (optional).
pub const HUAWEI_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// Environment variable: The domain (account) id of [`HuaweiCredentials`] (optional).
pub const HUAWEI_DOMAIN_ID: &str = "HUAWEICLOUD_SDK_DOMAIN_ID";
/// Environment variable: An [`AccessToken`] for the developer API.
pub const IDAAS_ACCESS_TOKEN: &str = "IDAAS_ACCESS_TOKEN";
/// Environment variable: The instance of [`IdaasClientCredentials`].
pub const IDAAS_INSTANCE_ID: &str = "IDAAS_INSTANCE_ID";
/// Environment variable: The application of [`IdaasClientCredentials`].
pub const IDAAS_APPLICATION_ID: &str = "IDAAS_APPLICATION_ID";
/// Environment variable: The client id of [`IdaasClientCredentials`].
pub const IDAAS_CLIENT_ID: &str = "IDAAS_CLIENT_ID";
/// Environment variable: The client secret of [`IdaasClientCredentials`].
pub const IDAAS_CLIENT_SECRET: &str = "IDAAS_CLIENT_SECRET";
/// Environment variable: The scope of [`IdaasClientCredentials`] (optional).
pub const IDAAS_SCOPE: &str = "IDAAS_SCOPE";

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Self::default()
    }

    /// A fixed set of variables in place of the process environment.
    pub fn from_variables<K: Into<String>, V: Into<String>>(
        variables: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            variables: Some(
                variables
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// A variable, `None` when unset or empty.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.variables {
            Some(variables) => variables.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// The required variables, or an error naming every one that is missing.
    fn require<const N: usize>(
        &self,
        what: &str,
        names: [&str; N],
    ) -> Result<[String; N], CredentialsError> {
        let values = names.map(|n| self.get(n));
        let missing: Vec<&str> = names
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            return Err(CredentialsError::new(format!(
                "no {what}: set {}",
                missing.join(" and ")
            )));
        }
        Ok(values.map(Option::unwrap_or_default))
    }

    /// [`AlibabaCredentials`] from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
    /// and the optional `ALIBABA_CLOUD_SECURITY_TOKEN`; an error names the missing variables.
    pub fn alibaba(&self) -> Result<AlibabaCredentials, CredentialsError> {
        let [id, secret] = self.require(
            "Alibaba Cloud credentials",
            [ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET],
        )?;
        let mut credentials = AlibabaCredentials::new(id, secret);
        credentials.security_token = self.get(ALIBABA_SECURITY_TOKEN).map(SecretString::from);
        Ok(credentials)
    }

    /// [`HuaweiCredentials`] from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and the optional
    /// security token, project id and domain id; an error names the missing variables.
    pub fn huawei(&self) -> Result<HuaweiCredentials, CredentialsError> {
        let [ak, sk] = self.require("Huawei Cloud credentials", [HUAWEI_AK, HUAWEI_SK])?;
        let mut credentials = HuaweiCredentials::new(ak, sk);
        credentials.security_token = self.get(HUAWEI_SECURITY_TOKEN).map(SecretString::from);
        credentials.project_id = self.get(HUAWEI_PROJECT_ID);
        credentials.domain_id = self.get(HUAWEI_DOMAIN_ID);
        Ok(credentials)
    }

    /// An [`AccessToken`] from `IDAAS_ACCESS_TOKEN`.
    pub fn access_token(&self) -> Result<AccessToken, CredentialsError> {
        let [token] = self.require("IDaaS access token", [IDAAS_ACCESS_TOKEN])?;
        Ok(AccessToken::new(token))
    }

    /// `IDAAS_CLIENT_ID`, `IDAAS_CLIENT_SECRET`, `IDAAS_APPLICATION_ID`, optional `IDAAS_SCOPE`,
    /// and the instance: `IDAAS_INSTANCE_ID`, else `instance_id` (a caller that knows it from the
    /// call, like `idtok --instance-id`).
    pub fn idaas_client_credentials(
        &self,
        instance_id: Option<&str>,
    ) -> Result<IdaasClientCredentials, CredentialsError> {
        let [application_id, client_id, client_secret] = self.require(
            "IDaaS client credentials",
            [IDAAS_APPLICATION_ID, IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET],
        )?;
        let instance_id = match (self.get(IDAAS_INSTANCE_ID), instance_id) {
            (Some(id), _) => id,
            (None, Some(id)) => id.to_owned(),
            (None, None) => {
                return Err(CredentialsError::new(format!(
                    "no IDaaS instance for the token endpoint: set {IDAAS_INSTANCE_ID}"
                )))
            }
        };
        let mut credentials =
            IdaasClientCredentials::new(instance_id, application_id, client_id, client_secret);
        credentials.scope = self.get(IDAAS_SCOPE);
        Ok(credentials)
    }

    /// Whether client credentials are configured (`IDAAS_CLIENT_ID` is set).
    pub fn has_idaas_client_credentials(&self) -> bool {
        self.get(IDAAS_CLIENT_ID).is_some()
    }
}

impl ProvideCredentials<AlibabaCredentials> for Environment {
    fn provide(&self) -> CredentialsFuture<'_, AlibabaCredentials> {
        let result = self.alibaba();
        Box::pin(async move { result })
    }
}

impl ProvideCredentials<HuaweiCredentials> for Environment {
    fn provide(&self) -> CredentialsFuture<'_, HuaweiCredentials> {
        let result = self.huawei();
        Box::pin(async move { result })
    }
}

impl ProvideCredentials<AccessToken> for Environment {
    fn provide(&self) -> CredentialsFuture<'_, AccessToken> {
        let result = self.access_token();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "sentinel-ak-secret-5c1e";
    const TOKEN: &str = "sentinel-sts-token-77aa";

    fn block_on<F: Future>(future: F) -> F::Output {
        // The providers here never wait, so one poll finishes them.
        let mut future = std::pin::pin!(future);
        let waker = std::task::Waker::noop();
        match future
            .as_mut()
            .poll(&mut std::task::Context::from_waker(waker))
        {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => panic!("provider did not finish"),
        }
    }

    #[test]
    fn environment_reads_the_vendor_variables() {
        let env = Environment::from_variables([
            (ALIBABA_ACCESS_KEY_ID, "LTAI5t"),
            (ALIBABA_ACCESS_KEY_SECRET, SECRET),
            (ALIBABA_SECURITY_TOKEN, TOKEN),
            (HUAWEI_AK, "QTWAOY"),
            (HUAWEI_SK, SECRET),
            (HUAWEI_PROJECT_ID, "0a1b2c3d4e5f"),
            (IDAAS_ACCESS_TOKEN, TOKEN),
        ]);
        let alibaba: AlibabaCredentials =
            block_on(ProvideCredentials::<AlibabaCredentials>::provide(&env)).unwrap();
        assert_eq!(alibaba.access_key_id, "LTAI5t");
        assert_eq!(alibaba.access_key_secret.expose_secret(), SECRET);
        assert_eq!(
            alibaba
                .security_token
                .as_ref()
                .map(SecretString::expose_secret),
            Some(TOKEN)
        );
        let huawei: HuaweiCredentials =
            block_on(ProvideCredentials::<HuaweiCredentials>::provide(&env)).unwrap();
        assert_eq!(
            (huawei.access_key.as_str(), huawei.security_token),
            ("QTWAOY", None)
        );
        assert_eq!(
            (huawei.project_id.as_deref(), huawei.domain_id.as_deref()),
            (Some("0a1b2c3d4e5f"), None)
        );
        let token: AccessToken =
            block_on(ProvideCredentials::<AccessToken>::provide(&env)).unwrap();
        assert_eq!(token.token.expose_secret(), TOKEN);
    }

    #[test]
    fn missing_variables_are_all_named_and_empty_counts_as_missing() {
        let env = Environment::from_variables([(ALIBABA_ACCESS_KEY_ID, "")]);
        let error = env.alibaba().unwrap_err().to_string();
        assert_eq!(error, "no Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        assert_eq!(
            env.huawei().unwrap_err().to_string(),
            "no Huawei Cloud credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"
        );
        assert_eq!(
            env.access_token().unwrap_err().to_string(),
            "no IDaaS access token: set IDAAS_ACCESS_TOKEN"
        );
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let env = Environment::from_variables([(ALIBABA_ACCESS_KEY_SECRET, SECRET)]);
        let alibaba = AlibabaCredentials::new("id", SECRET).with_security_token(TOKEN);
        let huawei = HuaweiCredentials::new("ak", SECRET).with_security_token(TOKEN);
        let shown = format!(
            "{env:?} {alibaba:?} {alibaba:#?} {huawei:?} {:?} {:?}",
            AccessToken::new(TOKEN),
            StaticCredentials(alibaba.clone())
        );
        assert!(!shown.contains(SECRET) && !shown.contains(TOKEN), "{shown}");
        assert!(
            shown.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
            "which variables are set is still shown: {shown}"
        );
    }
}
