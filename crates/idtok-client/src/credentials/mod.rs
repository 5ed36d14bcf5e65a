//! Where credentials come from in production: the vendors' default credential chains, as their
//! official credential libraries resolve them (`alibabacloud-credentials`, `huaweicloudsdkcore`),
//! and the cache that keeps temporary credentials renewed.
//!
//! - [`alibaba`]: environment, RRSA/OIDC, the aliyun CLI's profiles, the credentials file, the
//!   ECS RAM role, a credentials URI; RamRoleArn on top of any of them.
//! - [`huawei`]: environment, the profile file, the ECS metadata service's temporary key.
//!
//! Both chains are made of the same parts: one chain mechanism (a provider that is not set up
//! here passes to the next, anything else ends the search), one HTTP client for metadata
//! services and credential endpoints with one check of a metadata address, one cache that renews
//! temporary credentials ([`Renewing`]), and profile files read once ([`files::ReadOnce`]).
//!
//! Every secret is a `SecretString`; `Debug`, `Display` and every error here never show one.

// It assumes roles through STS (RRSA, RamRoleArn profiles): without STS it would not be the
// chain `alibabacloud-credentials` resolves, so it comes with the `sts` feature.
#[cfg(feature = "sts")]
pub mod alibaba;
pub(crate) mod chain;
pub mod files;
pub(crate) mod http;
pub mod huawei;
pub(crate) mod renewing;
pub(crate) mod utc;

use std::fmt;
use std::sync::Arc;

use idtok_runtime::credentials::CredentialsFuture;

pub use http::{HttpTimeouts, UNREACHABLE_FOR};
pub use renewing::{Expiring, Refresh, Renewing, DEFAULT_REFRESH_MARGIN};

/// Credentials and the name of the provider that supplied them, as the vendors' libraries name
/// them (`env`, `cli_profile/ram_role_arn`, `ecs_ram_role`...): what `idtok whoami` shows.
#[derive(Clone, Debug)]
pub struct Sourced<C> {
    /// The credentials.
    pub credentials: C,
    /// The provider's name.
    pub source: String,
}

/// Credentials with the name of the provider that supplied them: what every provider of both
/// chains gives, as well as [`ProvideCredentials`](idtok_runtime::credentials::ProvideCredentials).
pub trait ProvideSourced<C>: Send + Sync + fmt::Debug {
    /// The credentials, and which provider supplied them.
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<C>>;
}

impl<C, P: ProvideSourced<C> + ?Sized> ProvideSourced<C> for Arc<P> {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<C>> {
        (**self).provide_sourced()
    }
}

/// Temporary credentials kept renewed, under the name of their source.
impl<C: Clone + Send + Sync + 'static> ProvideSourced<C> for Renewing<Sourced<C>> {
    fn provide_sourced(&self) -> CredentialsFuture<'_, Sourced<C>> {
        Box::pin(self.get())
    }
}

/// `ProvideCredentials<$credentials>` for a `ProvideSourced<$credentials>`, the name dropped.
macro_rules! provide_credentials_by_sourced {
    ($type:ty, $credentials:ty) => {
        impl idtok_runtime::credentials::ProvideCredentials<$credentials> for $type {
            fn provide(&self) -> idtok_runtime::credentials::CredentialsFuture<'_, $credentials> {
                Box::pin(async move {
                    $crate::credentials::ProvideSourced::<$credentials>::provide_sourced(self)
                        .await
                        .map(|sourced| sourced.credentials)
                })
            }
        }
    };
}
pub(crate) use provide_credentials_by_sourced;
