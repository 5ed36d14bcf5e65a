//! What the RPC families (EIAM, STS) share: each action sits on a pseudo-path in its document
//! (`POST /ListApplicationTokens`), because OpenAPI cannot put several operations on one path,
//! and is rewritten here to what the service and the official SDKs use: `POST /`, the parameters
//! in the query string, the action in `x-acs-action` and the version in `x-acs-version`. Each
//! family's generated `RPC_ACTIONS` (from the documents' `x-acs-rpc`) says what to send. Both
//! sign what they sign with ACS3-HMAC-SHA256, here ([`sign_acs3`]), as the official SDKs'
//! `do_request` does.

use std::time::SystemTime;

use idtok_runtime::credentials::AlibabaCredentials;
use idtok_runtime::signing::{acs3, acs3_date};
use reqwest::header::HeaderValue;

#[cfg(test)]
use crate::send::action;
pub(crate) use crate::send::RpcAction;

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

/// Signs a request with ACS3-HMAC-SHA256 (docs/wire.md): adds `host`, `x-acs-date`,
/// `x-acs-signature-nonce`, `x-acs-content-sha256` (the hash of the body sent; and the STS
/// headers), signs `host`, every `x-acs-*` header and the `content-type` of a body, sends the
/// query string exactly as signed, and sets `Authorization`.
pub(crate) fn sign_acs3(
    request: &mut reqwest::Request,
    rpc: &RpcAction,
    credentials: &AlibabaCredentials,
    now: SystemTime,
    nonce: String,
) -> Result<(), String> {
    crate::check_url(request)?;
    let host = crate::host_header(request.url())?;
    let payload = crate::body_sha256(request)?;
    let date = acs3_date(now);
    let token = credentials
        .security_token
        .as_ref()
        .map(|t| t.expose_secret());
    // A form body (EIAM's ClientToken of some operations) goes with its content-type, signed
    // as the SDK signs it; most RPC requests have no body and so no content-type.
    let content_type = match request.headers().get(crate::header_names::CONTENT_TYPE) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| format!("{}: content-type is not text", rpc.action))?
                .to_owned(),
        ),
        None => None,
    };
    // Every header that goes out and must be signed: host and all x-acs-* (the STS pair
    // included), and content-type when there is one.
    let mut signed = vec![
        ("host", host.as_str()),
        ("x-acs-action", rpc.action),
        ("x-acs-content-sha256", payload.as_str()),
        ("x-acs-date", date.as_str()),
        ("x-acs-signature-nonce", nonce.as_str()),
        ("x-acs-version", rpc.version),
    ];
    if let Some(content_type) = &content_type {
        signed.push(("content-type", content_type));
    }
    if let Some(token) = token {
        signed.push(("x-acs-security-token", token));
        signed.push(("x-acs-accesskey-id", &credentials.access_key_id));
    }
    let signature = crate::with_query_pairs(request.url(), |query| {
        acs3::sign(
            &credentials.access_key_id,
            credentials.access_key_secret.expose_secret(),
            &acs3::Acs3Request {
                method: request.method().as_str(),
                canonical_uri: request.url().path(),
                query,
                headers: &signed,
                hashed_payload: &payload,
            },
        )
    });

    crate::send_query_as_signed(request, &signature.canonical_query);
    if let Some(token) = token {
        crate::set_header(
            request,
            crate::header_names::X_ACS_SECURITY_TOKEN,
            token.to_owned(),
            true,
        )?;
        crate::set_header(
            request,
            crate::header_names::X_ACS_ACCESSKEY_ID,
            credentials.access_key_id.clone(),
            false,
        )?;
    }
    crate::set_header(request, crate::header_names::HOST, host, false)?;
    crate::set_header(request, crate::header_names::X_ACS_DATE, date, false)?;
    crate::set_header(
        request,
        crate::header_names::X_ACS_SIGNATURE_NONCE,
        nonce,
        false,
    )?;
    crate::set_header(
        request,
        crate::header_names::X_ACS_CONTENT_SHA256,
        payload,
        false,
    )?;
    crate::set_header(
        request,
        crate::header_names::AUTHORIZATION,
        signature.authorization,
        true,
    )
}

/// [`sign_acs3`] with the credentials, clock and nonce of a family's context.
pub(crate) async fn sign_acs3_in(
    context: &crate::ClientContext<AlibabaCredentials>,
    request: &mut reqwest::Request,
    rpc: &RpcAction,
) -> Result<(), String> {
    let credentials = context
        .credentials
        .provide()
        .await
        .map_err(|e| e.to_string())?;
    sign_acs3(
        request,
        rpc,
        &credentials,
        context.clock.now(),
        context.nonce.nonce(),
    )
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

    /// A form body (EIAM's ClientToken of some operations) goes to `POST /` unchanged, with its
    /// content-type, which the signature then covers.
    #[test]
    fn the_rewrite_keeps_a_form_body_and_its_content_type() {
        let mut r =
            request("https://eiam.cn-hangzhou.aliyuncs.com/ObtainApplicationToken?InstanceId=i");
        r.headers_mut().insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        *r.body_mut() = Some("ClientToken=t-1".into());
        to_wire(&mut r, &OBTAIN).unwrap();
        assert_eq!(r.url().path(), "/");
        assert_eq!(
            r.headers()["content-type"],
            "application/x-www-form-urlencoded"
        );
        assert_eq!(
            r.body().and_then(|b| b.as_bytes()),
            Some(&b"ClientToken=t-1"[..])
        );
        let credentials = AlibabaCredentials::new("id", "secret");
        sign_acs3(
            &mut r,
            &OBTAIN,
            &credentials,
            std::time::UNIX_EPOCH,
            "n".to_owned(),
        )
        .unwrap();
        let authorization = r.headers()["authorization"].to_str().unwrap().to_owned();
        assert!(
            authorization.contains("SignedHeaders=content-type;host;x-acs-action;"),
            "{authorization}"
        );
        assert_eq!(
            r.headers()["x-acs-content-sha256"],
            idtok_runtime::signing::hex_sha256(b"ClientToken=t-1").as_str()
        );
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
