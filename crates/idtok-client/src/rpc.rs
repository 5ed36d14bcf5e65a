//! What the RPC families (EIAM, STS) share: each action sits on a pseudo-path in its document
//! (`POST /ListApplicationTokens`), because OpenAPI cannot put several operations on one path,
//! and is rewritten here to what the service and the official SDKs use: `POST /`, the parameters
//! in the query string, the action in `x-acs-action` and the version in `x-acs-version`. Each
//! family's generated `RPC_ACTIONS` (from the documents' `x-acs-rpc`) says what to send.

use reqwest::header::HeaderValue;

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

/// The action of an operation in a family's table.
pub(crate) fn action(
    actions: &'static [RpcAction],
    operation_id: &str,
) -> Result<&'static RpcAction, String> {
    actions
        .iter()
        .find(|a| a.operation_id == operation_id)
        .ok_or_else(|| format!("{operation_id}: the document gives no x-acs-rpc"))
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
    // The document's pseudo-operations already use the wire method; parse only when not.
    if request.method().as_str() != rpc.method {
        *request.method_mut() = rpc
            .method
            .parse()
            .map_err(|_| format!("{}: bad method {}", rpc.action, rpc.method))?;
    }
    let headers = request.headers_mut();
    headers.insert(
        crate::header_names::X_ACS_ACTION,
        HeaderValue::from_static(rpc.action),
    );
    headers.insert(
        crate::header_names::X_ACS_VERSION,
        HeaderValue::from_static(rpc.version),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBTAIN: RpcAction = RpcAction {
        operation_id: "obtain_application_token",
        pseudo_path: "/ObtainApplicationToken",
        action: "ObtainApplicationToken",
        version: "2021-12-01",
        method: "POST",
        path: "/",
    };

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap())
    }

    #[test]
    fn an_action_is_found_by_operation_id_or_the_error_says_so() {
        static TABLE: [RpcAction; 1] = [OBTAIN];
        assert_eq!(action(&TABLE, "obtain_application_token"), Ok(&OBTAIN));
        assert_eq!(
            action(&TABLE, "other"),
            Err("other: the document gives no x-acs-rpc".to_owned())
        );
    }

    #[test]
    fn pseudo_path_becomes_post_slash_with_action_headers_and_the_query_kept() {
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
            to_wire(&mut r, &OBTAIN).unwrap();
            assert_eq!(r.url().as_str(), wire);
            assert_eq!(r.method(), reqwest::Method::POST);
            assert_eq!(r.headers()["x-acs-action"], "ObtainApplicationToken");
            assert_eq!(r.headers()["x-acs-version"], "2021-12-01");
        }
    }

    #[test]
    fn a_request_off_its_pseudo_path_is_an_error_not_a_guess() {
        let mut r = request("https://eiam.cn-hangzhou.aliyuncs.com/Other");
        let error = to_wire(&mut r, &OBTAIN).unwrap_err();
        assert!(
            error.contains("does not end in /ObtainApplicationToken"),
            "{error}"
        );
    }
}
