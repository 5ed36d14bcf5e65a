//! The RPC common parameters of Alibaba Cloud (the vendor's "common request parameters" of
//! RPC-style APIs) that an anonymous call carries in its query string, as the official SDK's
//! `do_rpcrequest` sends them: `Action`, `Format=json`, `Version`, `Timestamp`
//! (`YYYY-MM-DDTHH:MM:SSZ`, UTC, see [`rpc_timestamp`](crate::signing::rpc_timestamp)) and
//! `SignatureNonce` (unique per request). A document marks such an operation
//! `x-acs-rpc-common-parameters: query` (STS's AssumeRoleWithOIDC and AssumeRoleWithSAML); the
//! signed RPC operations carry none of these, since ACS3-HMAC-SHA256 puts the same facts in
//! headers.

/// `Format`, as the official SDK sends it.
pub const FORMAT: &str = "json";

/// The query keys of the common parameters: a client that sends a request again (a retry) takes
/// these out before adding new ones, and no operation may have a parameter of these names.
pub const KEYS: [&str; 5] = ["Action", "Format", "Version", "Timestamp", "SignatureNonce"];

/// The common parameters of one request, in [`KEYS`]'s order.
pub fn parameters<'a>(
    action: &'a str,
    version: &'a str,
    timestamp: &'a str,
    nonce: &'a str,
) -> [(&'static str, &'a str); 5] {
    [
        (KEYS[0], action),
        (KEYS[1], FORMAT),
        (KEYS[2], version),
        (KEYS[3], timestamp),
        (KEYS[4], nonce),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameters_are_the_keys_with_json_as_format() {
        let parameters = parameters("AssumeRoleWithOIDC", "2015-04-01", "t", "n");
        assert_eq!(parameters.map(|(key, _)| key), KEYS);
        assert_eq!(
            parameters.map(|(_, value)| value),
            ["AssumeRoleWithOIDC", "json", "2015-04-01", "t", "n"]
        );
    }
}
