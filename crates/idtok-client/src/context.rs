//! What a client's hooks need besides the request, the same for every family: where credentials
//! come from, the clock and nonce of a signature, the retry policy and the timeouts.

use std::fmt;
use std::sync::Arc;

use idtok_runtime::clock::{Clock, NonceSource, RandomNonce, SystemClock};
use idtok_runtime::credentials::{Environment, ProvideCredentials};
use idtok_runtime::retry::{RetryPolicy, Timeouts};

/// The context of a family's `Client`, over that family's credentials: `AlibabaCredentials` (EIAM),
/// `AccessToken` (developer API) or `HuaweiCredentials` (identity store). Each family module names
/// its own as `ClientContext`.
pub struct ClientContext<C> {
    pub(crate) credentials: Arc<dyn ProvideCredentials<C>>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) nonce: Arc<dyn NonceSource>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
}

impl<C: 'static> ClientContext<C> {
    /// Authorizes with `credentials` (for example `Environment::process()` or
    /// `StaticCredentials(AlibabaCredentials::new(id, secret))`), with the default retry policy and
    /// timeouts.
    pub fn new(credentials: impl ProvideCredentials<C> + 'static) -> Self {
        Self {
            credentials: Arc::new(credentials),
            clock: Arc::new(SystemClock),
            nonce: Arc::new(RandomNonce),
            retry: RetryPolicy::default(),
            timeouts: Timeouts::default(),
        }
    }

    /// Credentials from the vendor's environment variables: `ALIBABA_CLOUD_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN` (EIAM);
    /// `IDAAS_ACCESS_TOKEN` (developer API); `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN` (identity store). Read at each call.
    pub fn from_environment() -> Self
    where
        Environment: ProvideCredentials<C>,
    {
        Self::new(Environment::process())
    }

    /// Dates signatures by `clock` (tests pin it).
    pub fn with_clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Takes the signature nonce from `nonce` (tests pin it; it must be unique per request).
    pub fn with_nonce(mut self, nonce: impl NonceSource + 'static) -> Self {
        self.nonce = Arc::new(nonce);
        self
    }

    /// Retries throttled, failed and unreachable calls of safe operations by `policy`
    /// (`RetryPolicy::no_retries()` turns retries off).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Bounds connecting, each attempt and the whole call.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The retry policy of the calls.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The timeouts of the calls.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }
}

// By hand: a derive would ask `C: Clone`/`C: Debug` of the credentials themselves.
impl<C> Clone for ClientContext<C> {
    fn clone(&self) -> Self {
        Self {
            credentials: self.credentials.clone(),
            clock: self.clock.clone(),
            nonce: self.nonce.clone(),
            retry: self.retry,
            timeouts: self.timeouts,
        }
    }
}

impl<C> fmt::Debug for ClientContext<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientContext")
            .field("credentials", &self.credentials)
            .field("clock", &self.clock)
            .field("nonce", &self.nonce)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}
