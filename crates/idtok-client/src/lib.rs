//! Clients of Alibaba Cloud IDaaS EIAM, the IDaaS developer API, Huawei Cloud Identity Center's
//! identity store and Alibaba Cloud STS: one module per API family, generated from the OpenAPI
//! documents in `openapi/` by progenitor (builder interface) over the model crates' types.
//!
//! | module | API | credentials | default chain |
//! |---|---|---|---|
//! | [`eiam`] | IDaaS EIAM 2021-12-01 (RPC, ACS3-HMAC-SHA256) | [`AlibabaCredentials`](idtok_runtime::credentials::AlibabaCredentials) | [`credentials::alibaba::DefaultChain`] |
//! | [`eiam_developerapi`] | IDaaS developer API 2022-02-25 (REST, bearer token) | [`AccessToken`](idtok_runtime::credentials::AccessToken) | [`eiam_developerapi::ClientCredentialsProvider`] |
//! | [`identitystore`] | Identity Center identity store v1 (REST, SDK-HMAC-SHA256) | [`HuaweiCredentials`](idtok_runtime::credentials::HuaweiCredentials) | [`credentials::huawei::DefaultChain`] |
//! | [`sts`] | STS 2015-04-01 (RPC) | [`AlibabaCredentials`](idtok_runtime::credentials::AlibabaCredentials) | [`credentials::alibaba::DefaultChain`] |
//!
//! Every family works the same way: an [`Endpoint`](idtok_runtime::endpoint::Endpoint) (a
//! region's host, or a URL), a [`ClientContext`] over the family's credentials (each module names
//! its own as `ClientContext`: where credentials come from, retries, timeouts), then
//! `Client::from_endpoint`. Each operation is a method that returns a builder: set its parameters
//! (each setter's rustdoc says which are required), then `.send().await`. The hooks in each module
//! put the request on the wire as the service expects it and sign it (`idtok_runtime::signing`);
//! `generated.rs` in each module is `cargo xtask gen`'s output. Request bodies and answers are the
//! model crates' types (`idtok_eiam_models`, `idtok_eiam_developerapi_models`,
//! `idtok_identitystore_models`, `idtok_sts_models`): depend on the one whose types you name.
//!
//! # EIAM
//!
//! AccessKey credentials from the Alibaba default chain (environment, RRSA, the aliyun CLI's
//! profiles, the credentials file, the ECS RAM role...), as the official libraries resolve them:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use idtok_client::credentials::alibaba::DefaultChain;
//! use idtok_client::eiam::{Client, ClientContext};
//! use idtok_runtime::endpoint::{Endpoint, Service};
//!
//! let endpoint = Endpoint::region(Service::Eiam, "cn-hangzhou")?;
//! let client = Client::from_endpoint(&endpoint, ClientContext::new(DefaultChain::new()?))?;
//! let tokens = client
//!     .list_application_tokens()
//!     .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
//!     .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
//!     .application_token_type("bearer_token")
//!     .send()
//!     .await?
//!     .into_inner();
//! for token in tokens.application_tokens.unwrap_or_default() {
//!     println!("{:?} expires at {:?}", token.application_token_id, token.expiration_time);
//! }
//! # Ok(()) }
//! ```
//!
//! # Developer API
//!
//! Calls carry an access token that IDaaS issued. [`eiam_developerapi::ClientCredentialsProvider`]
//! obtains one with an application's client credentials (here from `IDAAS_CLIENT_ID`,
//! `IDAAS_CLIENT_SECRET`, `IDAAS_APPLICATION_ID`, `IDAAS_INSTANCE_ID`) and renews it before it
//! expires:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use idtok_client::eiam_developerapi::{Client, ClientContext, ClientCredentialsProvider};
//! use idtok_runtime::credentials::Environment;
//! use idtok_runtime::endpoint::{Endpoint, Service};
//!
//! let endpoint = Endpoint::region(Service::EiamDeveloperApi, "cn-hangzhou")?;
//! let grant = Environment::process().idaas_client_credentials(None)?;
//! let tokens = ClientCredentialsProvider::new(&endpoint, grant)?;
//! let client = Client::from_endpoint(&endpoint, ClientContext::new(tokens))?;
//! let page = client
//!     .list_authentication_tokens()
//!     .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
//!     .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
//!     .credential_provider_identifier("test_example_identifier")
//!     .send()
//!     .await?;
//! println!("{:?}", page.into_inner());
//! # Ok(()) }
//! ```
//!
//! An access token you already hold goes in as
//! `StaticCredentials(AccessToken::new(token))`, or from `IDAAS_ACCESS_TOKEN` with
//! [`ClientContext::from_environment`].
//!
//! # Identity store
//!
//! AK/SK credentials from the Huawei default chain (environment, the profile file, the ECS
//! metadata service's temporary key):
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use idtok_client::credentials::huawei::DefaultChain;
//! use idtok_client::identitystore::{Client, ClientContext};
//! use idtok_runtime::endpoint::{Endpoint, Service};
//!
//! let endpoint = Endpoint::region(Service::IdentityStore, "cn-north-4")?;
//! let client = Client::from_endpoint(&endpoint, ClientContext::new(DefaultChain::new()?))?;
//! let tenants = client
//!     .list_provisioning_tenants()
//!     .identity_store_id("d-1a2b3c4dxxxx")
//!     .send()
//!     .await?;
//! println!("{:?}", tenants.into_inner());
//! # Ok(()) }
//! ```
//!
//! # STS
//!
//! Who the credentials belong to (what `idtok whoami` shows):
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use idtok_client::credentials::alibaba::DefaultChain;
//! use idtok_client::sts::{Client, ClientContext};
//! use idtok_runtime::endpoint::{Endpoint, Service};
//!
//! let endpoint = Endpoint::region(Service::Sts, "cn-hangzhou")?;
//! let client = Client::from_endpoint(&endpoint, ClientContext::new(DefaultChain::new()?))?;
//! let identity = client.get_caller_identity().send().await?.into_inner();
//! println!("{:?}", identity.arn);
//! # Ok(()) }
//! ```
//!
//! # Errors
//!
//! `.send()` returns progenitor's `Error`, with the family's `ErrorResponse` for a documented
//! error answer. [`call`] turns it into a [`CallError`]: the operation, the
//! [kind](CallErrorKind) of failure, the HTTP status, the vendor's code and message and the
//! request id to quote to support, in fields and in one line of `Display`. No secret is ever in
//! it; a success answer that did not decode is kept whole in [`CallError::answer`].
//!
//! ```no_run
//! # async fn run(client: &idtok_client::eiam::Client) {
//! use idtok_client::{call, CallErrorKind};
//!
//! let instance = call(
//!     "GetInstance",
//!     client.get_instance().instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx").send(),
//! )
//! .await;
//! match instance {
//!     Ok(instance) => println!("{instance:?}"),
//!     Err(e) if e.kind == CallErrorKind::Network => eprintln!("unreachable, try later: {e}"),
//!     Err(e) => eprintln!("{e}"), // GetInstance failed: HTTP 404: EntityNotExists.Instance: ...
//! }
//! # }
//! ```
//!
//! Idempotent operations (the documents' `x-idempotent`) are retried after throttling, server
//! errors and lost connections by the context's [`RetryPolicy`]; nothing else is sent twice.
//!
//! # Paging
//!
//! Every operation whose answer is paged has `.stream()` on its builder: every item of every
//! page, one page in memory at a time, each page one call; errors are [`CallError`]s.
//!
//! ```no_run
//! # async fn run(client: &idtok_client::eiam::Client) -> Result<(), idtok_client::CallError> {
//! use futures::TryStreamExt;
//!
//! let mut instances = client.list_instances().stream();
//! while let Some(instance) = instances.try_next().await? {
//!     println!("{:?} {:?}", instance.instance_id, instance.description);
//! }
//! # Ok(()) }
//! ```
//!
//! Each family is a cargo feature (`eiam`, `eiam-developerapi`, `identitystore`, `sts`; all on by
//! default): `default-features = false, features = ["eiam"]` compiles only EIAM's client and
//! model crate. The Alibaba default credential chain ([`credentials::alibaba`]) needs `sts`.

#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// With some families left out (or EIAM's, in the unit tests' build below), helpers that only those
// families use go unused. The default build (every family) still reports dead code.
#![cfg_attr(
    any(
        test,
        not(all(
            feature = "eiam",
            feature = "eiam-developerapi",
            feature = "identitystore",
            feature = "sts"
        ))
    ),
    allow(dead_code, unused_imports, unused_macros)
)]

mod call_error;
mod context;
pub mod credentials;
// Not in the unit tests' build: none of them needs EIAM's client, the biggest generated file of
// the crate (357 operations), which `cargo test` compiled a second time just for them. The
// integration tests in tests/ cover it, against the library as users build it.
#[cfg(all(feature = "eiam", not(test)))]
pub mod eiam;
#[cfg(feature = "eiam-developerapi")]
pub mod eiam_developerapi;
pub mod error_body;
#[cfg(feature = "identitystore")]
pub mod identitystore;
mod paging;
mod record;
#[cfg(any(feature = "eiam", feature = "sts"))]
mod rpc;
mod send;
#[cfg(feature = "sts")]
pub mod sts;

pub use call_error::{call, CallError, CallErrorKind};
pub use context::ClientContext;
pub use idtok_runtime::retry::{RetryPolicy, Timeouts};
pub use record::{record, take_answer, CallRecord, RecordOptions, UnsentRequest, DRY_RUN};
pub use send::SUCCESS_BODY_LIMIT;

use std::borrow::Cow;
use std::fmt;

use idtok_runtime::endpoint::check_transport;
use idtok_runtime::signing::{hex_sha256, EMPTY_PAYLOAD_SHA256};
use reqwest::header::{HeaderName, HeaderValue};

/// Sent as `User-Agent` on every request.
pub const USER_AGENT: &str = concat!("idtok/", env!("CARGO_PKG_VERSION"));

/// A client could not be built (the HTTP stack failed to start).
#[derive(Debug)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the HTTP client: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// The reqwest client every family uses for `endpoint`: HTTPS with the platform's roots, our
/// agent, the connect timeout. Attempt and call timeouts are set per request by the send loop.
/// Redirects are not followed: none of the services sends one, a signed request must not go
/// elsewhere, and reqwest would log the whole URL (GenerateToken's carries the client secret).
pub(crate) fn http_client(
    endpoint: &idtok_runtime::endpoint::Endpoint,
    timeouts: &Timeouts,
) -> Result<reqwest::Client, BuildError> {
    let builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeouts.connect);
    // A plain-http endpoint (loopback only) never makes a TLS connection, so its client trusts no
    // certificate rather than loading the system's: reading and decoding them was much of a short
    // run (a tenth of its CPU in user space, more in system calls).
    let builder = if endpoint.is_plain_http() {
        builder.tls_certs_only([])
    } else {
        builder
    };
    builder.build().map_err(|e| BuildError(e.to_string()))
}

/// What every family's generated module adds to its `Client` (the generator writes
/// `crate::family_client!(crate::<family>::ClientContext)`): `from_endpoint`, and the hooks that
/// run each call through [`send`], where `send::Generated` and `send::Family` say what differs.
macro_rules! family_client {
    ($context:ty) => {
        impl Client {
            /// A client for `endpoint` (a region's host or a checked URL), with `context`'s
            /// credentials, retries and timeouts.
            pub fn from_endpoint(
                endpoint: &idtok_runtime::endpoint::Endpoint,
                context: $context,
            ) -> Result<Self, crate::BuildError> {
                let http = crate::http_client(endpoint, &context.timeouts)?;
                Ok(Self::new_with_client(endpoint.as_str(), http, context))
            }
        }

        impl progenitor_client::ClientHooks<$context> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), Error<E>> {
                crate::send::pre(self, request, info.operation_id)
                    .await
                    .map_err(Error::Custom)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let context = &self.inner;
                crate::send::execute(self, &self.client, context, request, info.operation_id).await
            }
        }
    };
}
pub(crate) use family_client;

/// The `x-acs-action` and `x-acs-version` headers of a family whose document says
/// `x-acs-action-headers: true` (the developer API, as its official SDK sends them), generated
/// from the document: each operation's operationId, and `info.version`.
pub(crate) struct ActionHeaders {
    pub version: &'static str,
    /// (progenitor's snake_case operation id, the operationId sent as `x-acs-action`).
    pub actions: &'static [(&'static str, &'static str)],
}

impl ActionHeaders {
    pub(crate) fn set(
        &self,
        request: &mut reqwest::Request,
        operation_id: &str,
    ) -> Result<(), String> {
        let (_, action) = self
            .actions
            .iter()
            .find(|(id, _)| *id == operation_id)
            .ok_or_else(|| format!("{operation_id}: not an operation of the document"))?;
        let headers = request.headers_mut();
        headers.insert(header_names::X_ACS_ACTION, HeaderValue::from_static(action));
        headers.insert(
            header_names::X_ACS_VERSION,
            HeaderValue::from_static(self.version),
        );
        Ok(())
    }
}

/// progenitor adds `api-version: <info.version>` to every request; none of the vendors' SDKs send
/// it, so it is taken off before the request leaves.
pub(crate) fn remove_generator_headers(request: &mut reqwest::Request) {
    request.headers_mut().remove(header_names::API_VERSION);
}

/// Refuses plain http to anything but loopback (also for clients made from a raw base URL).
pub(crate) fn check_url(request: &reqwest::Request) -> Result<(), String> {
    check_transport(request.url()).map_err(|e| e.to_string())
}

/// The `host` header as it goes on the wire: the host, and the port when it is not the scheme's.
pub(crate) fn host_header(url: &reqwest::Url) -> Result<String, String> {
    let host = url
        .host_str()
        .ok_or_else(|| format!("request URL {url} has no host"))?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// hex(sha256(body)). Only in-memory bodies can be signed; the generated clients send nothing else.
pub(crate) fn body_sha256(request: &reqwest::Request) -> Result<String, String> {
    match request.body() {
        None => Ok(EMPTY_PAYLOAD_SHA256.to_owned()),
        Some(body) => match body.as_bytes() {
            Some([]) => Ok(EMPTY_PAYLOAD_SHA256.to_owned()),
            Some(bytes) => Ok(hex_sha256(bytes)),
            None => Err("a streaming request body cannot be signed".to_owned()),
        },
    }
}

/// The query as decoded pairs, in order (progenitor form-encodes: `+` is a space). Borrowed
/// straight from the URL when nothing needs decoding, the common case: the general parser costs
/// more than the signature on every signed request.
fn query_pairs(url: &reqwest::Url) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    let query = url.query().unwrap_or_default();
    if query.bytes().any(|b| b == b'%' || b == b'+') {
        return url.query_pairs().collect();
    }
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (Cow::Borrowed(key), Cow::Borrowed(value))
        })
        .collect()
}

/// Calls `sign` with the URL's query as the `(&str, &str)` pairs the signers take.
pub(crate) fn with_query_pairs<R>(
    url: &reqwest::Url,
    sign: impl FnOnce(&[(&str, &str)]) -> R,
) -> R {
    let pairs = query_pairs(url);
    let query: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    sign(&query)
}

/// Makes the URL's query the canonical one that was signed. progenitor's form encoding usually
/// gives the same text already (its parameters are sorted, and plain values encode alike), and
/// then the URL is left as it is.
pub(crate) fn send_query_as_signed(request: &mut reqwest::Request, canonical_query: &str) {
    let signed = (!canonical_query.is_empty()).then_some(canonical_query);
    if request.url().query() != signed {
        request.url_mut().set_query(signed);
    }
}

/// The names of the headers the hooks set, checked at compile time: a name given as text is
/// parsed on every insert, which showed in the per-call profile.
pub(crate) mod header_names {
    use reqwest::header::HeaderName;

    pub const API_VERSION: HeaderName = HeaderName::from_static("api-version");
    pub const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
    pub const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
    pub const X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
    pub const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
    pub const X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-acs-content-sha256");
    pub const X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-acs-security-token");
    pub const X_ACS_ACCESSKEY_ID: HeaderName = HeaderName::from_static("x-acs-accesskey-id");
    pub const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
    pub const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");
    pub const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
    pub use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST};

    /// What any family's signer sets again on every signature (each family's `Family::sign`
    /// sets all of those it uses): left out of the copy kept for a retry.
    pub static SET_BY_SIGNING: [HeaderName; 10] = [
        AUTHORIZATION,
        HOST,
        X_ACS_DATE,
        X_ACS_SIGNATURE_NONCE,
        X_ACS_CONTENT_SHA256,
        X_ACS_SECURITY_TOKEN,
        X_ACS_ACCESSKEY_ID,
        X_SDK_DATE,
        X_SECURITY_TOKEN,
        X_PROJECT_ID,
    ];
}

/// Sets a header; a secret one is marked sensitive, so the HTTP stack never prints it.
pub(crate) fn set_header(
    request: &mut reqwest::Request,
    name: HeaderName,
    value: String,
    secret: bool,
) -> Result<(), String> {
    // From the String itself: no copy of the value.
    let mut value = HeaderValue::try_from(value)
        .map_err(|_| format!("the {name} header would not be a valid header value"))?;
    value.set_sensitive(secret);
    request.headers_mut().insert(name, value);
    Ok(())
}
