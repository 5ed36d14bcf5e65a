//! What the wire tests share: a recording local server, clients pinned to a fixed clock and
//! nonce, and the checks that every request of a family passes.

// Each test crate that declares `mod support;` uses a subset of it.
#![allow(dead_code)]

pub mod credentials;

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idtok_runtime::clock::{FixedClock, FixedNonce};
use idtok_runtime::credentials::{AlibabaCredentials, HuaweiCredentials, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use idtok_testkit::{header, header_names, query, verify_acs3};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const ACCESS_KEY_ID: &str = "LTAI5tWireTestKeyId";
pub const ACCESS_KEY_SECRET: &str = "wire-test-access-key-secret";
pub const AK: &str = "QTWAOYTTINDUT2QVKYUC";
pub const SK: &str = "wire-test-sk";
pub const SECURITY_TOKEN: &str = "wire-test-security-token";
pub const NONCE: &str = "3156853299f313e23d1673dc12e1703d";

/// 2023-10-26T10:22:32Z
pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_698_315_752)
}

/// A server on 127.0.0.1 that answers every request with `status` and `body`.
pub async fn server(status: u16, body: String) -> MockServer {
    server_answering(ResponseTemplate::new(status).set_body_raw(body, "application/json")).await
}

/// A server on 127.0.0.1 that answers every request with `answer`.
pub async fn server_answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

pub fn endpoint(server: &MockServer) -> Endpoint {
    Endpoint::url(&server.uri()).unwrap()
}

pub fn query_of(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        out.entry((*k).to_owned())
            .or_default()
            .push((*v).to_owned());
    }
    out
}

pub fn eiam_client(
    server: &MockServer,
    credentials: AlibabaCredentials,
) -> idtok_client::eiam::Client {
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(credentials))
        .with_clock(FixedClock(now()))
        .with_nonce(FixedNonce(NONCE.to_owned()));
    idtok_client::eiam::Client::from_endpoint(&endpoint(server), context).unwrap()
}

/// What every EIAM request looks like on the wire (docs/wire.md, "Alibaba ACS3-HMAC-SHA256").
pub fn assert_eiam_request(
    server: &MockServer,
    request: &Request,
    action: &str,
    expected_query: &[(&str, &str)],
) {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/");
    assert_eq!(query(request), query_of(expected_query));
    assert!(request.body.is_empty());
    assert_eq!(
        header_names(request),
        [
            "accept",
            "authorization",
            "host",
            "user-agent",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version"
        ]
    );
    assert_eq!(header(request, "x-acs-action"), Some(action));
    assert_eq!(header(request, "x-acs-version"), Some("2021-12-01"));
    assert_eq!(header(request, "x-acs-date"), Some("2023-10-26T10:22:32Z"));
    assert_eq!(header(request, "x-acs-signature-nonce"), Some(NONCE));
    assert_eq!(
        header(request, "x-acs-content-sha256"),
        Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(idtok_client::USER_AGENT)
    );
    assert_eq!(
        header(request, "host"),
        Some(server.address().to_string().as_str())
    );
    assert!(header(request, "authorization").unwrap().starts_with(&format!(
        "ACS3-HMAC-SHA256 Credential={ACCESS_KEY_ID},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature="
    )));
    verify_acs3(request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
}

pub fn identitystore_client(
    server: &MockServer,
    credentials: HuaweiCredentials,
) -> idtok_client::identitystore::Client {
    let context = idtok_client::identitystore::ClientContext::new(StaticCredentials(credentials))
        .with_clock(FixedClock(now()));
    idtok_client::identitystore::Client::from_endpoint(&endpoint(server), context).unwrap()
}
