//! The hand-written runtime under the generated clients: what an OpenAPI document cannot say.
//!
//! - [`signing`]: ACS3-HMAC-SHA256 (Alibaba EIAM and STS) and SDK-HMAC-SHA256 (Huawei), pure
//!   functions.
//! - [`credentials`]: AccessKey pairs, AK/SK pairs and access tokens; static, from the vendors'
//!   environment variables, or from a source of your own ([`credentials::ProvideCredentials`]).
//! - [`endpoint`]: a region's HTTPS host or an explicit base URL; plain HTTP only to loopback.
//! - [`clock`]: where a signature's date and nonce come from (injectable for tests).
//! - [`retry`]: which failures to retry, how long to wait, and the timeouts of a call.
//! - [`rpc_query`]: arrays and objects in an Alibaba RPC query string, flattened 1-based.
//! - [`rpc_common`]: the RPC common parameters an anonymous Alibaba RPC call carries in its query.

#![warn(missing_docs)]

pub mod clock;
pub mod credentials;
pub mod endpoint;
pub mod retry;
pub mod rpc_common;
pub mod rpc_query;
pub mod signing;
