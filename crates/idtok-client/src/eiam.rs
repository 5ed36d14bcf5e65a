//! Alibaba Cloud IDaaS EIAM, API version 2021-12-01: `openapi/eiam-2021-12-01.yaml`.
//!
//! An RPC API: the document gives each action a pseudo-path (`POST /ListApplicationTokens`) because
//! OpenAPI cannot put several operations on one path. The hook below rewrites each request to what
//! the service and the official SDK use: `POST /`, parameters in the query string, the action in
//! `x-acs-action` and the version in `x-acs-version`.

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::HeaderValue;

/// What the hooks of a [`Client`] need besides the request.
#[derive(Debug, Clone, Default)]
pub struct ClientContext {}

/// What one RPC operation sends on the wire (`x-acs-rpc` in the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RpcAction {
    /// progenitor's snake_case operation id.
    pub operation_id: &'static str,
    /// The path the document gives the operation; never sent.
    pub pseudo_path: &'static str,
    pub action: &'static str,
    pub version: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

/// The action of an operation, as the document gives it.
pub(crate) fn rpc_action(operation_id: &str) -> Option<&'static RpcAction> {
    RPC_ACTIONS.iter().find(|a| a.operation_id == operation_id)
}

/// Rewrites a request on its pseudo-path into the RPC request the service expects.
pub(crate) fn to_wire(request: &mut reqwest::Request, rpc: &RpcAction) -> Result<(), String> {
    let path = request.url().path().to_owned();
    // A base URL may carry a path prefix (a proxy, a test server); keep it.
    let prefix = path.strip_suffix(rpc.pseudo_path).ok_or_else(|| {
        format!(
            "{}: request path {path} does not end in {}",
            rpc.action, rpc.pseudo_path
        )
    })?;
    let wire_path = format!("{}{}", prefix.trim_end_matches('/'), rpc.path);
    request.url_mut().set_path(&wire_path);
    *request.method_mut() = rpc
        .method
        .parse()
        .map_err(|_| format!("{}: bad method {}", rpc.action, rpc.method))?;
    let headers = request.headers_mut();
    headers.insert("x-acs-action", HeaderValue::from_static(rpc.action));
    headers.insert("x-acs-version", HeaderValue::from_static(rpc.version));
    Ok(())
}

impl ClientHooks<ClientContext> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        crate::remove_generator_headers(request);
        let rpc = rpc_action(info.operation_id).ok_or_else(|| {
            Error::Custom(format!(
                "{}: the document gives no x-acs-rpc",
                info.operation_id
            ))
        })?;
        to_wire(request, rpc).map_err(Error::Custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap())
    }

    #[test]
    fn every_operation_of_the_document_has_its_action() {
        let rpc = rpc_action("list_application_tokens").unwrap();
        assert_eq!(
            (rpc.action, rpc.version, rpc.method, rpc.path),
            ("ListApplicationTokens", "2021-12-01", "POST", "/")
        );
        assert_eq!(
            rpc_action("obtain_application_client_secret")
                .unwrap()
                .pseudo_path,
            "/ObtainApplicationClientSecret"
        );
    }

    #[test]
    fn pseudo_path_becomes_post_slash_with_action_headers_and_the_query_kept() {
        let rpc = rpc_action("obtain_application_token").unwrap();
        for (base, wire) in [
            (
                "https://eiam.cn-hangzhou.aliyuncs.com",
                "https://eiam.cn-hangzhou.aliyuncs.com/?InstanceId=i%201",
            ),
            (
                "http://127.0.0.1:8080/prefix",
                "http://127.0.0.1:8080/prefix/?InstanceId=i%201",
            ),
        ] {
            let mut r = request(&format!("{base}/ObtainApplicationToken?InstanceId=i%201"));
            to_wire(&mut r, rpc).unwrap();
            assert_eq!(r.url().as_str(), wire);
            assert_eq!(r.method(), reqwest::Method::POST);
            assert_eq!(r.headers()["x-acs-action"], "ObtainApplicationToken");
            assert_eq!(r.headers()["x-acs-version"], "2021-12-01");
        }
    }

    #[test]
    fn a_request_off_its_pseudo_path_is_an_error_not_a_guess() {
        let mut r = request("https://eiam.cn-hangzhou.aliyuncs.com/Other");
        let error = to_wire(&mut r, rpc_action("list_application_tokens").unwrap()).unwrap_err();
        assert!(
            error.contains("does not end in /ListApplicationTokens"),
            "{error}"
        );
    }
}
