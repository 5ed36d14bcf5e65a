//! ACS3-HMAC-SHA256, the Alibaba Cloud V3 signature that EIAM 2021-12-01 requires.
//!
//! ```text
//! StringToSign  = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))
//! Signature     = hex(HMAC-SHA256(key = AccessKeySecret, StringToSign))
//! Authorization = "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<...>,Signature=<...>"
//! ```

use super::{concat, encoding::hex_sha256, hex_hmac_sha256, CanonicalRequest};

const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// What ACS3 signs. Nothing here is secret.
#[derive(Debug, Clone, Copy)]
pub struct Acs3Request<'a> {
    /// As sent, e.g. "POST".
    pub method: &'a str,
    /// "/" for RPC; used as given.
    pub canonical_uri: &'a str,
    /// Decoded key/value pairs, any order; empty values allowed.
    pub query: &'a [(&'a str, &'a str)],
    /// The headers to sign: names in any case, values as sent. Must include host and every
    /// x-acs-* header sent.
    pub headers: &'a [(&'a str, &'a str)],
    /// hex(sha256(body)); [`EMPTY_PAYLOAD_SHA256`](super::EMPTY_PAYLOAD_SHA256) for no body.
    pub hashed_payload: &'a str,
}

/// A signature and the intermediate values worth comparing when the service disagrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acs3Signature {
    /// What the client must send as the URL query (exactly).
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

/// The canonical query: sorted by key then value bytes, both RFC 3986 encoded.
pub fn canonical_query(query: &[(&str, &str)]) -> String {
    super::canonical_query(query)
}

/// The canonical request text, for tests and for diagnosing a rejected signature.
pub fn canonical_request(request: &Acs3Request<'_>) -> String {
    build_canonical_request(request).text
}

/// Signs `request` with an AccessKey pair.
pub fn sign(
    access_key_id: &str,
    access_key_secret: &str,
    request: &Acs3Request<'_>,
) -> Acs3Signature {
    let canonical = build_canonical_request(request);
    let hashed_canonical_request = hex_sha256(canonical.text.as_bytes());
    let signature = hex_hmac_sha256(
        access_key_secret,
        &[ALGORITHM, "\n", &hashed_canonical_request],
    );

    let authorization = concat(&[
        ALGORITHM,
        " Credential=",
        access_key_id,
        ",SignedHeaders=",
        &canonical.signed_headers,
        ",Signature=",
        &signature,
    ]);

    Acs3Signature {
        canonical_query: canonical.query,
        signed_headers: canonical.signed_headers,
        hashed_canonical_request,
        signature,
        authorization,
    }
}

fn build_canonical_request(request: &Acs3Request<'_>) -> CanonicalRequest {
    CanonicalRequest::new(
        request.method,
        request.canonical_uri,
        request.query,
        request.headers,
        request.hashed_payload,
    )
}
