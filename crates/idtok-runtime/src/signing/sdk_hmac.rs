//! SDK-HMAC-SHA256, the Huawei Cloud AK/SK signature that the Identity Center identity store
//! requires.
//!
//! ```text
//! StringToSign  = "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(CanonicalRequest))
//! Signature     = hex(HMAC-SHA256(key = SK, StringToSign))
//! Authorization = "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<...>, Signature=<...>"
//! ```
//!
//! The canonical URI is the path with every segment RFC 3986 encoded and a trailing "/" always
//! appended, even though the request is sent without it.

use super::encoding::{hex_sha256, percent_decode_lenient, percent_encode_bytes};
use super::{concat, hex_hmac_sha256, CanonicalRequest};

const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// What SDK-HMAC signs. Nothing here is secret.
#[derive(Debug, Clone, Copy)]
pub struct SdkHmacRequest<'a> {
    /// As sent, e.g. "GET".
    pub method: &'a str,
    /// The URL path as sent (percent-encoded form), e.g. "/v1/a%20b/c"; see [`canonical_path`].
    pub path: &'a str,
    /// Decoded pairs, any order, duplicates allowed.
    pub query: &'a [(&'a str, &'a str)],
    /// The headers to sign; must include host and x-sdk-date.
    pub headers: &'a [(&'a str, &'a str)],
    /// hex(sha256(body)); [`EMPTY_PAYLOAD_SHA256`](super::EMPTY_PAYLOAD_SHA256) for no body.
    pub hashed_payload: &'a str,
    /// The X-Sdk-Date value, which the string to sign repeats.
    pub sdk_date: &'a str,
}

/// A signature and the intermediate values worth comparing when the service disagrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkHmacSignature {
    /// Always ends in "/".
    pub canonical_uri: String,
    /// The canonical query string, as signed.
    pub canonical_query: String,
    /// The signed header names, lower-case, `;`-separated.
    pub signed_headers: String,
    /// hex(sha256(canonical request)), which the string to sign carries.
    pub hashed_canonical_request: String,
    /// The signature, lower-case hex.
    pub signature: String,
    /// The Authorization header value.
    pub authorization: String,
}

/// The path as it must be sent: each "/"-separated segment percent-decoded (a '%' that does not
/// start a valid escape is kept as a literal '%') then RFC 3986 encoded, joined by "/". No
/// trailing slash is added. A client rewrites its URL path to this so that what is sent equals
/// what is signed: "/v1/a b" becomes "/v1/a%20b", "/v1/a%20b" stays, "%2F" inside a segment
/// stays "%2F" and "%zz" becomes "%25zz".
pub fn canonical_path(path_as_sent: &str) -> String {
    let mut canonical = String::with_capacity(path_as_sent.len() + path_as_sent.len() / 4);
    // Splitting before decoding keeps an encoded "/" (%2F) inside its segment.
    for (index, segment) in path_as_sent.split('/').enumerate() {
        if index > 0 {
            canonical.push('/');
        }
        percent_encode_bytes(&percent_decode_lenient(segment), &mut canonical);
    }
    canonical
}

/// The canonical query: sorted by key then value bytes, both RFC 3986 encoded.
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    super::canonical_query(query)
}

/// The canonical request text, for tests and for diagnosing a rejected signature.
pub fn canonical_request(request: &SdkHmacRequest<'_>) -> String {
    build_canonical_request(request).1.text
}

/// Signs `request` with an AK/SK pair.
pub fn sign(ak: &str, sk: &str, request: &SdkHmacRequest<'_>) -> SdkHmacSignature {
    let (canonical_uri, canonical) = build_canonical_request(request);
    let hashed_canonical_request = hex_sha256(canonical.text.as_bytes());
    let signature = hex_hmac_sha256(
        sk,
        &[
            ALGORITHM,
            "\n",
            request.sdk_date,
            "\n",
            &hashed_canonical_request,
        ],
    );

    let authorization = concat(&[
        ALGORITHM,
        " Access=",
        ak,
        ", SignedHeaders=",
        &canonical.signed_headers,
        ", Signature=",
        &signature,
    ]);

    SdkHmacSignature {
        canonical_uri,
        canonical_query: canonical.query,
        signed_headers: canonical.signed_headers,
        hashed_canonical_request,
        signature,
        authorization,
    }
}

fn build_canonical_request(request: &SdkHmacRequest<'_>) -> (String, CanonicalRequest) {
    let mut canonical_uri = canonical_path(request.path);
    if !canonical_uri.ends_with('/') {
        canonical_uri.push('/');
    }
    let canonical = CanonicalRequest::new(
        request.method,
        &canonical_uri,
        request.query,
        request.headers,
        request.hashed_payload,
    );
    (canonical_uri, canonical)
}
