//! Request signing: ACS3-HMAC-SHA256 for Alibaba Cloud EIAM and STS ([`acs3`]) and
//! SDK-HMAC-SHA256 for Huawei Cloud Identity Center ([`sdk_hmac`]). Pure functions: no clock, no
//! I/O, no randomness; the caller supplies the date and nonce, so a signature is reproducible from
//! its inputs.
//!
//! Both build the canonical request the same way and differ only in the canonical URI, the string
//! to sign and the Authorization layout:
//!
//! ```text
//! METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload
//! ```
//!
//! - CanonicalQuery: the decoded (key, value) pairs sorted by key bytes, then value bytes; key and
//!   value RFC 3986 encoded; `k=v` joined with `&` (an empty value gives `k=`).
//! - CanonicalHeaders: names ASCII lower-cased, values trimmed, sorted by name, `name:value\n`
//!   each, so the block already ends in a newline and the request shows an empty-looking line
//!   before SignedHeaders. A name given twice is signed once, its trimmed values joined with `,`
//!   in the order given (what HTTP means by a repeated header); the caller must then send the
//!   values in that order.
//! - SignedHeaders: the distinct sorted names joined with `;`.
//!
//! Secrets are used only as HMAC keys: no returned value holds one.

pub mod acs3;
mod encoding;
pub mod sdk_hmac;
mod time;

pub use encoding::{hex_sha256, percent_encode_rfc3986, EMPTY_PAYLOAD_SHA256};
pub use time::{acs3_date, rpc_timestamp, sdk_date};

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The query every scheme signs (and a client must send, byte for byte).
fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut sorted: Vec<&(&str, &str)> = query.iter().collect();
    // `str` orders by bytes, and tuples by key then value: exactly the canonical order. Equal
    // pairs are indistinguishable, so an unstable sort is enough.
    sorted.sort_unstable();
    let unencoded_len: usize = query.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut canonical = String::with_capacity(unencoded_len);
    for (index, (key, value)) in sorted.into_iter().enumerate() {
        if index > 0 {
            canonical.push('&');
        }
        encoding::percent_encode_rfc3986(key, &mut canonical);
        canonical.push('=');
        encoding::percent_encode_rfc3986(value, &mut canonical);
    }
    canonical
}

/// A canonical request with the pieces a signature reports besides its text.
struct CanonicalRequest {
    query: String,
    signed_headers: String,
    text: String,
}

impl CanonicalRequest {
    fn new(
        method: &str,
        canonical_uri: &str,
        query: &[(&str, &str)],
        headers: &[(&str, &str)],
        hashed_payload: &str,
    ) -> Self {
        let query = canonical_query(query);

        let mut sorted_headers: Vec<(Cow<'_, str>, &str)> = headers
            .iter()
            .map(|(name, value)| (ascii_lowercase(name), value.trim()))
            .collect();
        // Stable, so that the values of a repeated name keep the order given.
        sorted_headers.sort_by(|(a, _), (b, _)| a.cmp(b));

        let headers_len: usize = sorted_headers
            .iter()
            .map(|(name, value)| 2 * name.len() + value.len() + 3)
            .sum();
        let mut text = String::with_capacity(
            method.len()
                + canonical_uri.len()
                + query.len()
                + headers_len
                + hashed_payload.len()
                + 5,
        );
        let mut signed_headers = String::with_capacity(headers_len);
        text.push_str(method);
        text.push('\n');
        text.push_str(canonical_uri);
        text.push('\n');
        text.push_str(&query);
        text.push('\n');
        let mut previous_name: Option<&str> = None;
        for (name, value) in &sorted_headers {
            if previous_name == Some(name) {
                // A repeated name continues the previous line.
                text.pop();
                text.push(',');
            } else {
                if previous_name.is_some() {
                    signed_headers.push(';');
                }
                signed_headers.push_str(name);
                text.push_str(name);
                text.push(':');
            }
            text.push_str(value);
            text.push('\n');
            previous_name = Some(name);
        }
        text.push('\n');
        text.push_str(&signed_headers);
        text.push('\n');
        text.push_str(hashed_payload);

        Self {
            query,
            signed_headers,
            text,
        }
    }
}

/// Header names are ASCII tokens; borrow the common already-lower-case name instead of copying.
fn ascii_lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Lower-case hex HMAC-SHA256 of the concatenated `message_parts`, fed in pieces so that the
/// string to sign is never assembled.
fn hex_hmac_sha256(key: &str, message_parts: &[&str]) -> String {
    // HMAC takes keys of any length (longer ones are hashed first), so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes())
        .expect("HMAC-SHA256 accepts a key of any length");
    for part in message_parts {
        mac.update(part.as_bytes());
    }
    let mut hex = String::with_capacity(64);
    encoding::push_lower_hex(&mac.finalize().into_bytes(), &mut hex);
    hex
}

/// The parts joined into one String allocated once, at its final size.
fn concat(parts: &[&str]) -> String {
    let mut joined = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        joined.push_str(part);
    }
    joined
}
