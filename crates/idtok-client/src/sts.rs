//! Alibaba Cloud STS (Security Token Service), API version 2015-04-01: `openapi/sts-2015-04-01.yaml`.
//!
//! An RPC API, rewritten to `POST /` with `x-acs-action` and `x-acs-version` as EIAM is
//! (`src/rpc.rs`). Unlike EIAM, everything else travels in the query string, as the official
//! SDK's `do_rpcrequest` sends it: the common parameters (`Action`, `Format=json`, `Version`,
//! `Timestamp`, `SignatureNonce`) on every request, and for a signed operation the RPC signature
//! (HMAC-SHA1: `SignatureMethod`, `SignatureVersion`, `AccessKeyId`, `SecurityToken` with temporary
//! credentials, `Signature`). AssumeRoleWithOIDC and AssumeRoleWithSAML (`security: []` in the
//! document) carry no signature and ask for no credentials.

#[allow(clippy::all, clippy::pedantic, rustdoc::all, unused_imports)]
mod generated;

pub use generated::*;

use std::time::SystemTime;

use idtok_runtime::credentials::AlibabaCredentials;
use idtok_runtime::signing::rpc_hmac_sha1::{self, RpcRequest};
use idtok_runtime::signing::rpc_timestamp;

use crate::rpc::RpcAction;

/// What the hooks of a [`Client`] need besides the request: AccessKey credentials (not asked for
/// by the operations sent without a signature), the clock and nonce of the common parameters,
/// retries and timeouts.
pub type ClientContext = crate::ClientContext<AlibabaCredentials>;

crate::family_client!();

/// Puts the common parameters in the query of a request already on the wire (`POST /`) and, with
/// `credentials`, signs it with the RPC signature; the query is then sent exactly as signed.
/// Parameters of an earlier signature (a retry) are replaced, not repeated.
pub(crate) fn sign(
    request: &mut reqwest::Request,
    rpc: &RpcAction,
    credentials: Option<&AlibabaCredentials>,
    now: SystemTime,
    nonce: &str,
) -> Result<(), String> {
    crate::check_url(request)?;
    let timestamp = rpc_timestamp(now);
    let method = request.method().as_str().to_owned();
    let query = crate::with_query_pairs(request.url(), |pairs| {
        let mut query: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(key, _)| !rpc_hmac_sha1::COMMON_KEYS.contains(key))
            .copied()
            .collect();
        query.extend(rpc_hmac_sha1::common_parameters(
            rpc.action,
            rpc.version,
            &timestamp,
            nonce,
        ));
        match credentials {
            None => rpc_hmac_sha1::canonical_query(&query),
            Some(credentials) => {
                let token = credentials
                    .security_token
                    .as_ref()
                    .map(|t| t.expose_secret());
                query.extend(rpc_hmac_sha1::credential_parameters(
                    &credentials.access_key_id,
                    token,
                ));
                rpc_hmac_sha1::sign(
                    credentials.access_key_secret.expose_secret(),
                    &RpcRequest {
                        method: &method,
                        query: &query,
                    },
                )
                .query_to_send()
            }
        }
    });
    crate::send_query_as_signed(request, &query);
    Ok(())
}

impl crate::send::Family for Client {
    type ErrorBody = idtok_sts_models::ErrorResponse;
    const IDEMPOTENT: &'static [&'static str] = IDEMPOTENT_OPERATIONS;
    const SECRET_QUERY_KEYS: &'static [&'static str] = SECRET_QUERY_KEYS;
    const SIGNER_QUERY_SECRETS: &'static [&'static str] = &["SecurityToken", "Signature"];

    /// The RPC rewrite: `POST /` with the action headers.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        crate::rpc::to_wire(request, crate::rpc::action(RPC_ACTIONS, operation_id)?)
    }

    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        let rpc = crate::rpc::action(RPC_ACTIONS, operation_id)?;
        let context = &self.inner;
        let credentials = if UNSIGNED_OPERATIONS.contains(&operation_id) {
            None
        } else {
            Some(
                context
                    .credentials
                    .provide()
                    .await
                    .map_err(|e| e.to_string())?,
            )
        };
        sign(
            request,
            rpc,
            credentials.as_ref(),
            context.clock.now(),
            &context.nonce.nonce(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    /// 2026-11-26T15:00:00Z
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_795_705_200)
    }

    fn on_the_wire(operation_id: &str, url: &str) -> (reqwest::Request, &'static RpcAction) {
        let rpc = crate::rpc::action(RPC_ACTIONS, operation_id).unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap());
        crate::rpc::to_wire(&mut request, rpc).unwrap();
        (request, rpc)
    }

    #[test]
    fn every_operation_of_the_document_has_its_action_and_the_federated_ones_go_unsigned() {
        let rpc = crate::rpc::action(RPC_ACTIONS, "assume_role").unwrap();
        assert_eq!(
            (rpc.action, rpc.version, rpc.method, rpc.path),
            ("AssumeRole", "2015-04-01", "POST", "/")
        );
        let mut unsigned = UNSIGNED_OPERATIONS.to_vec();
        unsigned.sort_unstable();
        assert_eq!(unsigned, ["assume_role_with_oidc", "assume_role_with_saml"]);
        assert_eq!(SECRET_QUERY_KEYS, ["OIDCToken", "SAMLAssertion"]);
    }

    /// The values alibabacloud-sts20150401 1.2.0 sends (its clock and nonce pinned; the signature
    /// is the one tests/signing_rpc_hmac_sha1.rs checks against the SDK's own function).
    #[test]
    fn assume_role_is_sent_as_the_sdk_sends_it() {
        let (mut request, rpc) = on_the_wire(
            "assume_role",
            "https://sts.aliyuncs.com/AssumeRole?DurationSeconds=3600&RoleArn=acs%3Aram%3A%3A123456789012****%3Arole%2Fadminrole&RoleSessionName=alice",
        );
        let credentials = AlibabaCredentials::new("LTAI5tStsVectorKeyId", "sts-vector-secret");
        sign(
            &mut request,
            rpc,
            Some(&credentials),
            now(),
            "6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d",
        )
        .unwrap();
        assert_eq!(
            request.url().as_str(),
            "https://sts.aliyuncs.com/?AccessKeyId=LTAI5tStsVectorKeyId&Action=AssumeRole&DurationSeconds=3600&Format=json&RoleArn=acs%3Aram%3A%3A123456789012%2A%2A%2A%2A%3Arole%2Fadminrole&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d&SignatureVersion=1.0&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01&Signature=4zK0SCxhzvDuKOBpiu%2FfTP9X12o%3D"
        );
        assert_eq!(request.headers()["x-acs-action"], "AssumeRole");
        assert_eq!(request.headers()["x-acs-version"], "2015-04-01");
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn signing_again_replaces_the_earlier_signature_and_common_parameters() {
        let (mut request, rpc) = on_the_wire(
            "get_caller_identity",
            "https://sts.aliyuncs.com/GetCallerIdentity",
        );
        let credentials = AlibabaCredentials::new("id", "secret").with_security_token("tok/en");
        sign(&mut request, rpc, Some(&credentials), now(), "n1").unwrap();
        let first = request.url().to_string();
        sign(
            &mut request,
            rpc,
            Some(&credentials),
            now() + Duration::from_secs(1),
            "n2",
        )
        .unwrap();
        let query: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
        let keys: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "AccessKeyId",
                "Action",
                "Format",
                "SecurityToken",
                "SignatureMethod",
                "SignatureNonce",
                "SignatureVersion",
                "Timestamp",
                "Version",
                "Signature"
            ]
        );
        assert!(query.contains(&("SignatureNonce".to_owned(), "n2".to_owned())));
        assert!(query.contains(&("SecurityToken".to_owned(), "tok/en".to_owned())));
        assert_ne!(request.url().to_string(), first);
    }

    #[test]
    fn the_federated_operations_carry_the_common_parameters_and_no_signature() {
        let (mut request, rpc) = on_the_wire(
            "assume_role_with_oidc",
            "https://sts.aliyuncs.com/AssumeRoleWithOIDC?OIDCToken=eyJ.x&RoleArn=r",
        );
        sign(&mut request, rpc, None, now(), "n").unwrap();
        assert_eq!(
            request.url().query(),
            Some("Action=AssumeRoleWithOIDC&Format=json&OIDCToken=eyJ.x&RoleArn=r&SignatureNonce=n&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01")
        );
    }

    #[test]
    fn shown_urls_redact_the_signature_the_security_token_and_the_federated_secrets() {
        let keys: Vec<&str> = SECRET_QUERY_KEYS
            .iter()
            .chain(<Client as crate::send::Family>::SIGNER_QUERY_SECRETS)
            .copied()
            .collect();
        let url: reqwest::Url =
            "https://sts.aliyuncs.com/?OIDCToken=o-sentinel&SecurityToken=t-sentinel&Signature=s-sentinel&RoleArn=kept"
                .parse()
                .unwrap();
        let shown = crate::record::shown_url(&url, &keys);
        for sentinel in ["o-sentinel", "t-sentinel", "s-sentinel"] {
            assert!(!shown.contains(sentinel), "{shown}");
        }
        assert!(shown.contains("RoleArn=kept"), "{shown}");
    }
}
