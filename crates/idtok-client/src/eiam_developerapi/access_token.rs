//! Access tokens for the developer API from an application's client credentials: the OAuth2
//! client-credentials grant of GenerateToken, kept in the credentials' renewal cache
//! ([`Renewing`]): renewed shortly before expiry, one renewal shared by every caller that needs
//! it at the same time.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use idtok_runtime::clock::{Clock, SystemClock};
use idtok_runtime::credentials::{
    AccessToken, CredentialsError, CredentialsFuture, IdaasClientCredentials, NoCredentials,
    ProvideCredentials,
};
use idtok_runtime::endpoint::Endpoint;

use super::{Client, ClientContext};
use crate::credentials::{Expiring, Refresh, Renewing};
use crate::BuildError;

const OPERATION: &str = "GenerateToken";

/// How long before its expiry a token is renewed, unless its lifetime is too short for that (the
/// rule every credential cache here follows: [`Renewing`]).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// How long a token is used when the token endpoint does not say (`expires_in` missing).
const UNSTATED_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// Obtains access tokens with the client-credentials grant and hands out the cached one until it
/// is due for renewal. Give it to the developer API's [`ClientContext`]:
///
/// ```no_run
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use idtok_client::eiam_developerapi::{ClientContext, ClientCredentialsProvider, Client};
/// use idtok_runtime::credentials::Environment;
/// use idtok_runtime::endpoint::{Endpoint, Service};
///
/// let endpoint = Endpoint::region(Service::EiamDeveloperApi, "cn-hangzhou")?;
/// let grant = Environment::process().idaas_client_credentials(None)?;
/// let tokens = ClientCredentialsProvider::new(&endpoint, grant)?;
/// let client = Client::from_endpoint(&endpoint, ClientContext::new(tokens))?;
/// # Ok(()) }
/// ```
///
/// - A token is renewed [`DEFAULT_REFRESH_MARGIN`] before it expires (or halfway through its
///   lifetime, if that is sooner). Callers that need a token while a renewal is under way wait for
///   that renewal instead of starting their own.
/// - If a renewal fails while the cached token is still valid, the cached token is handed out
///   (and the failure logged); the next call tries again. Once it has expired, the failure is
///   returned.
pub struct ClientCredentialsProvider {
    /// A developer API client used for GenerateToken only, which is sent without credentials.
    token_endpoint: Client,
    grant: IdaasClientCredentials,
    refresh_margin: Duration,
    clock: Arc<dyn Clock>,
    /// The cache, made at the first use from the settings above.
    cache: OnceLock<Renewing<AccessToken>>,
}

impl ClientCredentialsProvider {
    /// Calls the token endpoint of `grant`'s instance and application on `endpoint` (the developer
    /// API's host), with the default retries and timeouts.
    pub fn new(endpoint: &Endpoint, grant: IdaasClientCredentials) -> Result<Self, BuildError> {
        Ok(Self::with_client(
            // GenerateToken is sent without credentials: being asked for them is a bug worth a
            // clear error.
            Client::from_endpoint(
                endpoint,
                ClientContext::new(NoCredentials(
                    "the token endpoint's client has no access token: only GenerateToken is sent with it",
                )),
            )?,
            grant,
        ))
    }

    /// Calls the token endpoint through `client` (its credentials are never used: GenerateToken is
    /// sent without them). Its context's retry policy and timeouts apply.
    pub fn with_client(client: Client, grant: IdaasClientCredentials) -> Self {
        Self {
            token_endpoint: client,
            grant,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            clock: Arc::new(SystemClock),
            cache: OnceLock::new(),
        }
    }

    /// Renews a token this long before it expires.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Reads the time from `clock` (tests move it).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The current token: the cached one, or a new one when it is due for renewal.
    pub async fn access_token(&self) -> Result<AccessToken, CredentialsError> {
        let cache = self.cache.get_or_init(|| {
            let endpoint = TokenEndpoint {
                client: self.token_endpoint.clone(),
                grant: self.grant.clone(),
                clock: self.clock.clone(),
            };
            Renewing::new(endpoint)
                .with_refresh_margin(self.refresh_margin)
                .with_clock(self.clock.clone())
        });
        cache.get().await
    }
}

/// The token endpoint, asked for a token with the client-credentials grant.
struct TokenEndpoint {
    client: Client,
    grant: IdaasClientCredentials,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The grant's secret is a SecretString (redacted).
        f.debug_struct("TokenEndpoint")
            .field("grant", &self.grant)
            .finish_non_exhaustive()
    }
}

impl Refresh<AccessToken> for TokenEndpoint {
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<AccessToken>> {
        Box::pin(self.obtain())
    }
}

impl TokenEndpoint {
    async fn obtain(&self) -> Result<Expiring<AccessToken>, CredentialsError> {
        let grant = &self.grant;
        // The client secret travels in the form body, never in the URL (RFC 6749 §2.3.1).
        let body = idtok_eiam_developerapi_models::GenerateTokenRequest::builder()
            .grant_type("client_credentials")
            .client_id(Some(grant.client_id.clone()))
            .client_secret(Some(grant.client_secret.clone()))
            .scope(grant.scope.clone());
        let request = self
            .client
            .generate_token()
            .instance_id(grant.instance_id.as_str())
            .application_id(grant.application_id.as_str())
            .body(body);
        let now = self.clock.now();
        let answer = crate::call(OPERATION, request.send())
            .await
            .map_err(|error| {
                CredentialsError::new(format!("cannot obtain an IDaaS access token: {error}"))
            })?;
        let token = answer
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                CredentialsError::new(
                    "cannot obtain an IDaaS access token: GenerateToken answered without an access_token",
                )
            })?;
        if let Some(kind) = answer.token_type.as_deref()
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(CredentialsError::new(format!(
                    "cannot obtain an IDaaS access token: GenerateToken answered a {kind:?} token, not a Bearer token"
                )));
        }
        let lifetime = match answer.expires_in {
            Some(seconds) if seconds > 0 => Duration::from_secs(seconds.unsigned_abs()),
            _ => UNSTATED_LIFETIME,
        };
        let expires_at = now + lifetime;
        Ok(Expiring {
            value: AccessToken {
                token,
                expires_at: Some(expires_at),
            },
            expires_at: Some(expires_at),
        })
    }
}

impl ProvideCredentials<AccessToken> for ClientCredentialsProvider {
    fn provide(&self) -> CredentialsFuture<'_, AccessToken> {
        Box::pin(self.access_token())
    }
}

impl fmt::Debug for ClientCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The grant's secret is a SecretString (redacted); the cached token is not shown at all.
        f.debug_struct("ClientCredentialsProvider")
            .field("grant", &self.grant)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}
