//! Temporary credentials held until they are due for renewal: one renewal shared by every caller
//! that needs it at the same time, and a still-valid credential kept in use when a renewal fails.
//! What `alibabacloud-credentials` calls a refresh-cached supplier, and aws-sdk-rust a lazy cache.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use idtok_runtime::clock::{Clock, SystemClock};
use idtok_runtime::credentials::{CredentialsError, CredentialsFuture, ProvideCredentials};

/// How long before its expiry a temporary credential is renewed (alibabacloud-credentials'
/// stale time: 15 minutes), unless its lifetime is too short for that.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(15 * 60);

/// When a credential that stops working at `expires_at` is due for renewal: `margin` before,
/// or halfway through its life since `issued` if that is sooner (a credential that lives less
/// than twice the margin would otherwise be renewed at every use). One whose issue is not known
/// (kept by another tool) is due `margin` before it expires. The one rule of every cache here:
/// [`Renewing`] (and so the developer API's access tokens), the credentials kept between
/// processes, and the CloudSSO credentials the aliyun CLI kept.
pub(crate) fn renew_at(
    expires_at: SystemTime,
    issued: Option<SystemTime>,
    margin: Duration,
) -> SystemTime {
    let margin = match issued {
        Some(issued) => margin.min(expires_at.duration_since(issued).unwrap_or_default() / 2),
        None => margin,
    };
    // Only a time at the edge of what SystemTime holds cannot go back: due at once then.
    expires_at
        .checked_sub(margin)
        .unwrap_or(std::time::UNIX_EPOCH)
}

/// A credential and when it stops working (`None`: it does not expire, and is never renewed).
#[derive(Clone, Debug)]
pub struct Expiring<C> {
    /// The credential.
    pub value: C,
    /// When it stops working.
    pub expires_at: Option<SystemTime>,
}

/// What obtains a fresh temporary credential: a call to a metadata service, an STS, a URI.
pub trait Refresh<C>: Send + Sync + fmt::Debug {
    /// A fresh credential, and when it expires.
    fn refresh(&self) -> CredentialsFuture<'_, Expiring<C>>;
}

/// Hands out the cached credential until it is due for renewal, then obtains a new one through
/// its [`Refresh`].
///
/// - A credential is renewed `margin` before it expires (or halfway through its lifetime, if that
///   is sooner). Callers that need one while a renewal is under way wait for that renewal instead
///   of starting their own.
/// - If a renewal fails while the cached credential is still valid, the cached one is handed out
///   (and the failure logged); the next call tries again. Once it has expired, the failure is
///   returned.
pub struct Renewing<C> {
    source: Box<dyn Refresh<C>>,
    margin: Duration,
    clock: Arc<dyn Clock>,
    /// The lock is held across a renewal: that is what makes concurrent callers share it.
    cached: tokio::sync::Mutex<Option<Cached<C>>>,
}

struct Cached<C> {
    value: C,
    renew_at: Option<SystemTime>,
    expires_at: Option<SystemTime>,
}

impl<C: Clone + Send + Sync + 'static> Renewing<C> {
    /// Caches what `source` obtains, renewing it [`DEFAULT_REFRESH_MARGIN`] before expiry.
    pub fn new(source: impl Refresh<C> + 'static) -> Self {
        Self {
            source: Box::new(source),
            margin: DEFAULT_REFRESH_MARGIN,
            clock: Arc::new(SystemClock),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Renews a credential this long before it expires.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Reads the time from `clock` (tests move it).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The current credential: the cached one, or a new one when it is due for renewal.
    pub async fn get(&self) -> Result<C, CredentialsError> {
        let mut cached = self.cached.lock().await;
        let now = self.clock.now();
        if let Some(current) = cached
            .as_ref()
            .filter(|c| c.renew_at.is_none_or(|at| now < at))
        {
            return Ok(current.value.clone());
        }
        match self.source.refresh().await {
            Ok(fresh) => {
                let value = fresh.value.clone();
                *cached = Some(self.cache(fresh, now));
                Ok(value)
            }
            Err(error) => match cached
                .as_ref()
                .filter(|c| c.expires_at.is_some_and(|at| now < at))
            {
                Some(current) => {
                    tracing::warn!(%error, source = ?self.source, "renewing temporary credentials failed; the current ones are still valid and stay in use");
                    Ok(current.value.clone())
                }
                None => Err(error),
            },
        }
    }

    fn cache(&self, fresh: Expiring<C>, now: SystemTime) -> Cached<C> {
        let renew_at = fresh
            .expires_at
            .map(|expires_at| renew_at(expires_at, Some(now), self.margin));
        Cached {
            value: fresh.value,
            renew_at,
            expires_at: fresh.expires_at,
        }
    }
}

impl<C: Clone + Send + Sync + 'static> ProvideCredentials<C> for Renewing<C> {
    fn provide(&self) -> CredentialsFuture<'_, C> {
        Box::pin(self.get())
    }
}

impl<C> fmt::Debug for Renewing<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cached credential is not shown at all.
        f.debug_struct("Renewing")
            .field("source", &self.source)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    #[derive(Debug)]
    struct Script {
        calls: AtomicUsize,
        lifetime: Duration,
        clock: Arc<MovableClock>,
        fail_after: usize,
    }

    #[derive(Debug)]
    struct MovableClock(Mutex<SystemTime>);

    impl Clock for MovableClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    impl Refresh<usize> for Script {
        fn refresh(&self) -> CredentialsFuture<'_, Expiring<usize>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let expires_at = self.clock.now() + self.lifetime;
            let fail = n > self.fail_after;
            Box::pin(async move {
                tokio::task::yield_now().await;
                if fail {
                    return Err(CredentialsError::new("metadata service: 500"));
                }
                Ok(Expiring {
                    value: n,
                    expires_at: Some(expires_at),
                })
            })
        }
    }

    fn renewing(fail_after: usize) -> (Arc<Renewing<usize>>, Arc<MovableClock>) {
        let clock = Arc::new(MovableClock(Mutex::new(SystemTime::UNIX_EPOCH)));
        let script = Script {
            calls: AtomicUsize::new(0),
            lifetime: Duration::from_secs(3600),
            clock: clock.clone(),
            fail_after,
        };
        let cache = Renewing::new(script).with_clock(clock.clone());
        (Arc::new(cache), clock)
    }

    fn advance(clock: &MovableClock, by: Duration) {
        *clock.0.lock().unwrap() += by;
    }

    #[tokio::test]
    async fn renews_before_expiry_and_once_for_concurrent_callers() {
        let (cache, clock) = renewing(usize::MAX);
        let first = futures::future::join_all((0..8).map(|_| cache.get())).await;
        assert!(first.iter().all(|r| *r.as_ref().unwrap() == 1), "{first:?}");
        advance(&clock, Duration::from_secs(3600 - 15 * 60 - 1));
        assert_eq!(cache.get().await.unwrap(), 1, "not yet due");
        advance(&clock, Duration::from_secs(1));
        let second = futures::future::join_all((0..8).map(|_| cache.get())).await;
        assert!(
            second.iter().all(|r| *r.as_ref().unwrap() == 2),
            "{second:?}"
        );
    }

    #[tokio::test]
    async fn a_failed_renewal_keeps_a_valid_credential_until_it_expires() {
        let (cache, clock) = renewing(1);
        assert_eq!(cache.get().await.unwrap(), 1);
        advance(&clock, Duration::from_secs(3600 - 60));
        assert_eq!(cache.get().await.unwrap(), 1, "renewal failed, still valid");
        advance(&clock, Duration::from_secs(60));
        let error = cache.get().await.unwrap_err().to_string();
        assert_eq!(error, "metadata service: 500");
    }

    #[test]
    fn renewal_is_due_a_margin_before_expiry_or_halfway_through_a_short_life() {
        let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        let margin = Duration::from_secs(15 * 60);
        // An hour's life: 15 minutes before its end.
        assert_eq!(renew_at(at(3600), Some(at(0)), margin), at(2700));
        // Twenty minutes' life: halfway, ten minutes before its end.
        assert_eq!(renew_at(at(1200), Some(at(0)), margin), at(600));
        // When it was issued is not known: the margin before its end.
        assert_eq!(renew_at(at(1200), None, margin), at(300));
        // Already expired when issued: due at once.
        assert_eq!(renew_at(at(10), Some(at(20)), margin), at(10));
    }
}
