//! The RPC signature of Alibaba Cloud (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`; the
//! vendor's "signature method V2 for RPC-style APIs"), which STS 2015-04-01 takes. Everything
//! travels in the query string, the signature too:
//!
//! ```text
//! CanonicalQuery = every query parameter but Signature, sorted by key, `k=v` RFC 3986 encoded, `&`-joined
//! StringToSign   = METHOD + "&" + percentEncode("/") + "&" + percentEncode(CanonicalQuery)
//! Signature      = base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign))
//! ```
//!
//! The query signed holds the common parameters (`Action`, `Format`, `Version`, `Timestamp`,
//! `SignatureNonce`, and for a signed call `SecurityToken` if any, `SignatureMethod`,
//! `SignatureVersion`, `AccessKeyId`) beside the operation's own: the caller puts them there
//! ([`common_parameters`], [`credential_parameters`]); this module only signs.
//! The rules are those of `get_rpcsignature` in the official SDK's `alibabacloud_tea_openapi`.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::encoding::percent_encode_rfc3986;

/// `SignatureMethod`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `SignatureVersion`.
pub const SIGNATURE_VERSION: &str = "1.0";
/// `Format`, as the official SDK sends it.
pub const FORMAT: &str = "json";
/// The query key of the signature itself, which is not signed.
pub const SIGNATURE: &str = "Signature";

/// Every query key the RPC request carries besides the operation's parameters; a client that
/// signs again (a retry) takes these out first.
pub const COMMON_KEYS: [&str; 10] = [
    "Action",
    "Format",
    "Version",
    "Timestamp",
    "SignatureNonce",
    "SecurityToken",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    SIGNATURE,
];

/// The parameters of every RPC request, signed or not (the official SDK's `do_rpcrequest`):
/// `Action`, `Format=json`, `Version`, `Timestamp` (`YYYY-MM-DDTHH:MM:SSZ`, UTC, see
/// [`rpc_timestamp`](super::rpc_timestamp)) and `SignatureNonce` (unique per request).
pub fn common_parameters<'a>(
    action: &'a str,
    version: &'a str,
    timestamp: &'a str,
    nonce: &'a str,
) -> [(&'static str, &'a str); 5] {
    [
        ("Action", action),
        ("Format", FORMAT),
        ("Version", version),
        ("Timestamp", timestamp),
        ("SignatureNonce", nonce),
    ]
}

/// The parameters a signed request adds: `SecurityToken` (temporary credentials only),
/// `SignatureMethod`, `SignatureVersion` and `AccessKeyId`. The token is a secret in the URL:
/// whoever shows such a URL redacts it.
pub fn credential_parameters<'a>(
    access_key_id: &'a str,
    security_token: Option<&'a str>,
) -> Vec<(&'static str, &'a str)> {
    let mut parameters = Vec::with_capacity(4);
    if let Some(token) = security_token.filter(|t| !t.is_empty()) {
        parameters.push(("SecurityToken", token));
    }
    parameters.extend([
        ("SignatureMethod", SIGNATURE_METHOD),
        ("SignatureVersion", SIGNATURE_VERSION),
        ("AccessKeyId", access_key_id),
    ]);
    parameters
}

/// What the RPC signature signs. Nothing here is secret but a security token among the
/// parameters, which the signature's `Debug` does not repeat.
#[derive(Clone, Copy)]
pub struct RpcRequest<'a> {
    /// As sent, e.g. "POST".
    pub method: &'a str,
    /// Every query parameter but `Signature`, decoded, any order; empty values allowed (and
    /// signed). A key must not be given twice.
    pub query: &'a [(&'a str, &'a str)],
}

/// A signature and the intermediate values worth comparing when the service disagrees.
#[derive(Clone, PartialEq, Eq)]
pub struct RpcSignature {
    /// The canonical query (what the client sends, before `&Signature=...`).
    pub canonical_query: String,
    pub string_to_sign: String,
    /// base64, not yet percent-encoded.
    pub signature: String,
}

impl RpcSignature {
    /// The whole query string to send: the canonical query, then `Signature`, RFC 3986 encoded.
    pub fn query_to_send(&self) -> String {
        let mut query = String::with_capacity(self.canonical_query.len() + 40);
        query.push_str(&self.canonical_query);
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(SIGNATURE);
        query.push('=');
        percent_encode_rfc3986(&self.signature, &mut query);
        query
    }
}

// The canonical query carries the security token of temporary credentials: shown by length only.
impl std::fmt::Debug for RpcSignature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcSignature")
            .field(
                "canonical_query",
                &format_args!("<{} bytes>", self.canonical_query.len()),
            )
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// The canonical query: sorted by key (then value) bytes, both RFC 3986 encoded.
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    super::canonical_query(query)
}

/// `METHOD&%2F&percentEncode(canonical query)`.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    let mut text = String::with_capacity(method.len() + 5 + canonical_query.len() * 5 / 4);
    text.push_str(method);
    text.push_str("&%2F&");
    percent_encode_rfc3986(canonical_query, &mut text);
    text
}

/// Signs `request` with an AccessKey secret.
pub fn sign(access_key_secret: &str, request: &RpcRequest<'_>) -> RpcSignature {
    let canonical_query = canonical_query(request.query);
    let string_to_sign = string_to_sign(request.method, &canonical_query);
    // The key is the secret and "&", fed to HMAC in one slice; the copy is dropped at once.
    let mut key = Vec::with_capacity(access_key_secret.len() + 1);
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    let mut mac =
        Hmac::<Sha1>::new_from_slice(&key).expect("HMAC-SHA1 accepts a key of any length");
    key.fill(0);
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    RpcSignature {
        canonical_query,
        string_to_sign,
        signature,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_goes_last_and_encoded() {
        let signature = sign(
            "s",
            &RpcRequest {
                method: "POST",
                query: &[("B", "2"), ("A", "a b")],
            },
        );
        assert_eq!(signature.canonical_query, "A=a%20b&B=2");
        assert_eq!(signature.string_to_sign, "POST&%2F&A%3Da%2520b%26B%3D2");
        let sent = signature.query_to_send();
        assert!(sent.starts_with("A=a%20b&B=2&Signature="), "{sent}");
        assert!(!sent.contains('+') && !sent.contains('/'), "{sent}");
    }

    #[test]
    fn debug_does_not_repeat_the_query() {
        let signature = sign(
            "s",
            &RpcRequest {
                method: "POST",
                query: &[("SecurityToken", "token-sentinel-91d2")],
            },
        );
        assert!(!format!("{signature:?}").contains("token-sentinel-91d2"));
    }
}
