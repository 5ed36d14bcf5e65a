//! Alibaba Cloud STS (Security Token Service), API version 2015-04-01: `openapi/sts-2015-04-01/`.
//!
//! An RPC API, rewritten to `POST /` with `x-acs-action` and `x-acs-version` as EIAM is
//! (`src/rpc.rs`), and sent as the official SDK (alibabacloud-sts20150401 1.2.0) sends it by
//! default. AssumeRole and GetCallerIdentity go as its `do_request` sends them: the parameters in
//! the query string and ACS3-HMAC-SHA256 in headers, by the same code as EIAM's operations.
//! AssumeRoleWithOIDC and AssumeRoleWithSAML (`security: []` and
//! `x-acs-rpc-common-parameters: query` in the document) go as its `do_rpcrequest` sends them,
//! anonymously: the RPC common parameters (`Action`, `Format=json`, `Version`, `Timestamp`,
//! `SignatureNonce`) in the query string beside their own, no signature, and no credentials asked
//! for.

#[allow(
    clippy::all,
    clippy::pedantic,
    rustdoc::all,
    unused_imports,
    missing_docs
)]
// As generated (prettyplease): `cargo fmt` leaves it alone, as `cargo xtask gen` does not run rustfmt.
#[rustfmt::skip]
mod generated;

pub use generated::*;

// The generated side of the family contract (`crate::send::Generated`), for `Self::...`.
use crate::send::Generated as _;

use std::time::SystemTime;

use idtok_runtime::credentials::AlibabaCredentials;
use idtok_runtime::rpc_common;
use idtok_runtime::signing::{acs3, rpc_timestamp};

use crate::rpc::RpcAction;

/// What the hooks of a [`Client`] need besides the request: AccessKey credentials (not asked for
/// by the operations sent without a signature), the clock and nonce of the signature and of the
/// common parameters, retries and timeouts.
pub type ClientContext = crate::ClientContext<AlibabaCredentials>;

/// Puts the RPC common parameters in the query of an unsigned request already on the wire
/// (`POST /`), sorted and RFC 3986 encoded as the signed requests' query is. Those of an earlier
/// attempt (a retry) are replaced, not repeated.
pub(crate) fn add_common_parameters(
    request: &mut reqwest::Request,
    rpc: &RpcAction,
    now: SystemTime,
    nonce: &str,
) -> Result<(), String> {
    crate::check_url(request)?;
    let timestamp = rpc_timestamp(now);
    let query = crate::with_query_pairs(request.url(), |pairs| {
        let mut query: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(key, _)| !rpc_common::KEYS.contains(key))
            .copied()
            .collect();
        query.extend(rpc_common::parameters(
            rpc.action,
            rpc.version,
            &timestamp,
            nonce,
        ));
        acs3::canonical_query(&query)
    });
    crate::send_query_as_signed(request, &query);
    Ok(())
}

impl crate::send::Family for Client {
    /// The RPC rewrite: `POST /` with the action headers.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        crate::rpc::to_wire(request, Self::rpc(operation_id)?)
    }

    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        let rpc = Self::rpc(operation_id)?;
        let context = &self.inner;
        if Self::RPC_COMMON_PARAMETERS_IN_QUERY.contains(&operation_id) {
            return add_common_parameters(
                request,
                rpc,
                context.clock.now(),
                &context.nonce.nonce(),
            );
        }
        if Self::unsigned(operation_id) {
            return crate::check_url(request);
        }
        crate::rpc::sign_acs3_in(context, request, rpc).await
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
        let rpc = Client::rpc(operation_id).unwrap();
        let mut request = reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap());
        crate::rpc::to_wire(&mut request, rpc).unwrap();
        (request, rpc)
    }

    #[test]
    fn every_operation_of_the_document_has_its_action_and_the_federated_ones_go_anonymous() {
        let rpc = Client::rpc("assume_role").unwrap();
        assert_eq!(
            (rpc.action, rpc.version, rpc.method, rpc.path),
            ("AssumeRole", "2015-04-01", "POST", "/")
        );
        for anonymous in [Client::UNSIGNED, Client::RPC_COMMON_PARAMETERS_IN_QUERY] {
            let mut ids = anonymous.to_vec();
            ids.sort_unstable();
            assert_eq!(ids, ["assume_role_with_oidc", "assume_role_with_saml"]);
        }
        assert_eq!(Client::SECRET_QUERY_KEYS, ["OIDCToken", "SAMLAssertion"]);
    }

    /// Signed as the SDK's `do_request` signs it: the Authorization below is what
    /// alibabacloud-tea-openapi 0.4.6's own `Utils.get_authorization` gives for these headers and
    /// this query (the SDK also sends and signs `accept`, `user-agent` and
    /// `x-acs-credentials-provider`, which the service does not require).
    #[test]
    fn assume_role_is_signed_with_acs3_as_the_sdk_signs_it() {
        let (mut request, rpc) = on_the_wire(
            "assume_role",
            "https://sts.aliyuncs.com/AssumeRole?DurationSeconds=3600&RoleArn=acs%3Aram%3A%3A123456789012****%3Arole%2Fadminrole&RoleSessionName=alice",
        );
        let credentials = AlibabaCredentials::new("LTAI5tStsVectorKeyId", "sts-vector-secret");
        crate::rpc::sign_acs3(
            &mut request,
            rpc,
            &credentials,
            now(),
            "6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d".to_owned(),
        )
        .unwrap();
        assert_eq!(
            request.url().as_str(),
            "https://sts.aliyuncs.com/?DurationSeconds=3600&RoleArn=acs%3Aram%3A%3A123456789012%2A%2A%2A%2A%3Arole%2Fadminrole&RoleSessionName=alice"
        );
        assert_eq!(
            request.headers()["authorization"],
            "ACS3-HMAC-SHA256 Credential=LTAI5tStsVectorKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=91b06483dabe283e570f26eca98dfe18d7c6d7dafea6dbc47eebbf7798e93444"
        );
        assert_eq!(request.headers()["x-acs-action"], "AssumeRole");
        assert_eq!(request.headers()["x-acs-version"], "2015-04-01");
        assert_eq!(request.headers()["x-acs-date"], "2026-11-26T15:00:00Z");
    }

    #[test]
    fn get_caller_identity_with_temporary_credentials_signs_the_sts_headers() {
        let (mut request, rpc) = on_the_wire(
            "get_caller_identity",
            "https://sts.aliyuncs.com/GetCallerIdentity",
        );
        let credentials = AlibabaCredentials::new("STS.id", "secret").with_security_token("tok/en");
        crate::rpc::sign_acs3(
            &mut request,
            rpc,
            &credentials,
            now(),
            "6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d".to_owned(),
        )
        .unwrap();
        assert_eq!(request.url().query(), None);
        // Utils.get_authorization of the SDK, as above.
        assert_eq!(
            request.headers()["authorization"],
            "ACS3-HMAC-SHA256 Credential=STS.id,SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature=b722d023ee5be99471d6f1873d2a6d24a61d01873b3a69fc577ad16be90073de"
        );
        assert_eq!(request.headers()["x-acs-security-token"], "tok/en");
        assert!(request.headers()["x-acs-security-token"].is_sensitive());
        assert_eq!(request.headers()["x-acs-accesskey-id"], "STS.id");
    }

    #[test]
    fn the_federated_operations_carry_the_common_parameters_and_no_signature() {
        let (mut request, rpc) = on_the_wire(
            "assume_role_with_oidc",
            "https://sts.aliyuncs.com/AssumeRoleWithOIDC?OIDCToken=eyJ.x&RoleArn=r",
        );
        add_common_parameters(&mut request, rpc, now(), "n").unwrap();
        assert_eq!(
            request.url().query(),
            Some("Action=AssumeRoleWithOIDC&Format=json&OIDCToken=eyJ.x&RoleArn=r&SignatureNonce=n&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01")
        );
        assert_eq!(request.headers()["x-acs-action"], "AssumeRoleWithOIDC");
        assert!(request.headers().get("authorization").is_none());
        assert!(request.headers().get("x-acs-date").is_none());
    }

    #[test]
    fn adding_the_common_parameters_again_replaces_those_of_the_earlier_attempt() {
        let (mut request, rpc) = on_the_wire(
            "assume_role_with_saml",
            "https://sts.aliyuncs.com/AssumeRoleWithSAML?SAMLAssertion=PHN&RoleArn=r",
        );
        add_common_parameters(&mut request, rpc, now(), "n1").unwrap();
        add_common_parameters(&mut request, rpc, now() + Duration::from_secs(1), "n2").unwrap();
        assert_eq!(
            request.url().query(),
            Some("Action=AssumeRoleWithSAML&Format=json&RoleArn=r&SAMLAssertion=PHN&SignatureNonce=n2&Timestamp=2026-11-26T15%3A00%3A01Z&Version=2015-04-01")
        );
    }

    #[test]
    fn shown_urls_redact_the_federated_secrets() {
        let url: reqwest::Url =
            "https://sts.aliyuncs.com/?OIDCToken=o-sentinel&SAMLAssertion=s-sentinel&RoleArn=kept"
                .parse()
                .unwrap();
        let shown = crate::record::shown_url(&url, Client::SECRET_QUERY_KEYS);
        for sentinel in ["o-sentinel", "s-sentinel"] {
            assert!(!shown.contains(sentinel), "{shown}");
        }
        assert!(shown.contains("RoleArn=kept"), "{shown}");
    }
}
