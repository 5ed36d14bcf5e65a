//! The RPC signature (HMAC-SHA1) against values the vendor computed.
//!
//! - The classic published example of Alibaba Cloud's RPC signature documentation (ECS,
//!   "Request signatures", DescribeRegions with `testid`/`testsecret`): its string to sign and
//!   signature as the page prints them.
//! - STS requests as the official SDK signs them. Computed by calling the SDK's own function,
//!   `alibabacloud_tea_openapi.utils.Utils.get_rpcsignature(params, "POST", secret)`
//!   (alibabacloud-tea-openapi 0.4.6, which alibabacloud-sts20150401 1.2.0 calls from
//!   `do_rpcrequest`), with the parameters `do_rpcrequest` put in the query of each request
//!   (captured from the SDK with `signature_algorithm='v2'`, its clock and nonce pinned to the
//!   values below); the string to sign by the same lines of that function.

use idtok_runtime::signing::rpc_hmac_sha1::{
    common_parameters, credential_parameters, sign, RpcRequest,
};

struct Vector<'a> {
    secret: &'static str,
    method: &'static str,
    query: &'a [(&'a str, &'a str)],
    canonical_query: &'static str,
    string_to_sign: &'static str,
    signature: &'static str,
}

fn check(vector: &Vector<'_>) {
    let signature = sign(
        vector.secret,
        &RpcRequest {
            method: vector.method,
            query: vector.query,
        },
    );
    assert_eq!(signature.canonical_query, vector.canonical_query);
    assert_eq!(signature.string_to_sign, vector.string_to_sign);
    assert_eq!(signature.signature, vector.signature);
}

/// The published example (the page spells the parameter `TimeStamp`, as ECS did then).
#[test]
fn the_published_describe_regions_example() {
    check(&Vector {
        secret: "testsecret",
        method: "GET",
        query: &[
            ("TimeStamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ],
        canonical_query: "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&TimeStamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
        string_to_sign: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        signature: "CT9X0VtwR86fNWSnsc6v8YGOjuE=",
    });
}

const SECRET: &str = "sts-vector-secret";
const KEY_ID: &str = "LTAI5tStsVectorKeyId";
const TIMESTAMP: &str = "2026-11-26T15:00:00Z";
const NONCE: &str = "6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d";

/// The query a signed STS call sends: the common parameters, the operation's, the credential's.
fn signed_query<'a>(
    action: &'a str,
    operation: &[(&'a str, &'a str)],
    token: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut query = common_parameters(action, "2015-04-01", TIMESTAMP, NONCE).to_vec();
    query.extend_from_slice(operation);
    query.extend(credential_parameters(KEY_ID, token));
    query
}

#[test]
fn assume_role_as_the_sdk_signs_it() {
    let query = signed_query(
        "AssumeRole",
        &[
            ("DurationSeconds", "3600"),
            ("RoleArn", "acs:ram::123456789012****:role/adminrole"),
            ("RoleSessionName", "alice"),
        ],
        None,
    );
    check(&Vector {
        secret: SECRET,
        method: "POST",
        query: &query,
        canonical_query: "AccessKeyId=LTAI5tStsVectorKeyId&Action=AssumeRole&DurationSeconds=3600&Format=json&RoleArn=acs%3Aram%3A%3A123456789012%2A%2A%2A%2A%3Arole%2Fadminrole&RoleSessionName=alice&SignatureMethod=HMAC-SHA1&SignatureNonce=6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d&SignatureVersion=1.0&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01",
        string_to_sign: "POST&%2F&AccessKeyId%3DLTAI5tStsVectorKeyId%26Action%3DAssumeRole%26DurationSeconds%3D3600%26Format%3Djson%26RoleArn%3Dacs%253Aram%253A%253A123456789012%252A%252A%252A%252A%253Arole%252Fadminrole%26RoleSessionName%3Dalice%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-26T15%253A00%253A00Z%26Version%3D2015-04-01",
        signature: "4zK0SCxhzvDuKOBpiu/fTP9X12o=",
    });
}

/// A security token, an empty value, JSON with spaces and `*`, non-ASCII text, `~`, `+`, `/`, `=`.
#[test]
fn assume_role_with_a_security_token_a_policy_and_awkward_characters() {
    let query = signed_query(
        "AssumeRole",
        &[
            ("ExternalId", ""),
            (
                "Policy",
                r#"{"Statement": [{"Action": ["*"],"Effect": "Allow","Resource": ["*"]}],"Version":"1"}"#,
            ),
            ("RoleArn", "acs:ram::123456789012****:role/adminrole"),
            ("RoleSessionName", "alice.\u{e9}~*"),
        ],
        Some("CAIS-sts-token/+="),
    );
    check(&Vector {
        secret: SECRET,
        method: "POST",
        query: &query,
        canonical_query: "AccessKeyId=LTAI5tStsVectorKeyId&Action=AssumeRole&ExternalId=&Format=json&Policy=%7B%22Statement%22%3A%20%5B%7B%22Action%22%3A%20%5B%22%2A%22%5D%2C%22Effect%22%3A%20%22Allow%22%2C%22Resource%22%3A%20%5B%22%2A%22%5D%7D%5D%2C%22Version%22%3A%221%22%7D&RoleArn=acs%3Aram%3A%3A123456789012%2A%2A%2A%2A%3Arole%2Fadminrole&RoleSessionName=alice.%C3%A9~%2A&SecurityToken=CAIS-sts-token%2F%2B%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d&SignatureVersion=1.0&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01",
        string_to_sign: "POST&%2F&AccessKeyId%3DLTAI5tStsVectorKeyId%26Action%3DAssumeRole%26ExternalId%3D%26Format%3Djson%26Policy%3D%257B%2522Statement%2522%253A%2520%255B%257B%2522Action%2522%253A%2520%255B%2522%252A%2522%255D%252C%2522Effect%2522%253A%2520%2522Allow%2522%252C%2522Resource%2522%253A%2520%255B%2522%252A%2522%255D%257D%255D%252C%2522Version%2522%253A%25221%2522%257D%26RoleArn%3Dacs%253Aram%253A%253A123456789012%252A%252A%252A%252A%253Arole%252Fadminrole%26RoleSessionName%3Dalice.%25C3%25A9~%252A%26SecurityToken%3DCAIS-sts-token%252F%252B%253D%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-26T15%253A00%253A00Z%26Version%3D2015-04-01",
        signature: "2p+AQBLA7sFRxqcdrr5NRt3vKbQ=",
    });
}

#[test]
fn get_caller_identity_as_the_sdk_signs_it() {
    let query = signed_query("GetCallerIdentity", &[], None);
    check(&Vector {
        secret: SECRET,
        method: "POST",
        query: &query,
        canonical_query: "AccessKeyId=LTAI5tStsVectorKeyId&Action=GetCallerIdentity&Format=json&SignatureMethod=HMAC-SHA1&SignatureNonce=6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d&SignatureVersion=1.0&Timestamp=2026-11-26T15%3A00%3A00Z&Version=2015-04-01",
        string_to_sign: "POST&%2F&AccessKeyId%3DLTAI5tStsVectorKeyId%26Action%3DGetCallerIdentity%26Format%3Djson%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6a8b1c2d3e4f5a6b7c8d9e0f1a2b3c4d%26SignatureVersion%3D1.0%26Timestamp%3D2026-11-26T15%253A00%253A00Z%26Version%3D2015-04-01",
        signature: "o3zqxxvwAk4zIAAWrkSCTy2sLr8=",
    });
}

/// An empty security token is no token (the SDK sends `SecurityToken` only when it is not empty).
#[test]
fn an_empty_security_token_is_not_sent() {
    assert!(!credential_parameters(KEY_ID, Some(""))
        .iter()
        .any(|(key, _)| *key == "SecurityToken"));
}
