//! Where credentials come from in production: the vendors' default credential chains, as their
//! official credential libraries resolve them (`alibabacloud-credentials`, `huaweicloudsdkcore`),
//! and the cache that keeps temporary credentials renewed.
//!
//! - [`alibaba`]: environment, RRSA/OIDC, the aliyun CLI's profiles, the credentials file, the
//!   ECS RAM role, a credentials URI; RamRoleArn on top of any of them.
//! - [`huawei`]: environment, the profile file, the ECS metadata service's temporary key.
//!
//! Every secret is a `SecretString`; `Debug`, `Display` and every error here never show one.

// It assumes roles through STS (RRSA, RamRoleArn profiles): without STS it would not be the
// chain `alibabacloud-credentials` resolves, so it comes with the `sts` feature.
#[cfg(feature = "sts")]
pub mod alibaba;
pub mod files;
pub mod huawei;
mod renewing;
pub(crate) mod utc;

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
