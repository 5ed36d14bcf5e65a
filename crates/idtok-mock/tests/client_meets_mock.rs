//! The typed mocks match what the real clients send: each operation's mock, set up with the
//! operation's parameters, is hit exactly once by the client's call, and a mock of another
//! operation on the same wire path is not.

use httpmock::MockServer;
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use serde::de::DeserializeOwned;

fn endpoint(server: &MockServer) -> Endpoint {
    Endpoint::url(&server.base_url()).unwrap()
}

/// A response of type `T` from the vendor example of `operation` (xtask/tests/vendor-examples).
fn vendor_example<T: DeserializeOwned>(operation: &str) -> T {
    let path = format!(
        "{}/../../xtask/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn eiam(server: &MockServer) -> idtok_client::eiam::Client {
    let credentials = AlibabaCredentials::new("LTAI5tMockKeyId", "mock-access-key-secret");
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(credentials));
    idtok_client::eiam::Client::from_endpoint(&endpoint(server), context).unwrap()
}

fn developer_api(server: &MockServer) -> idtok_client::eiam_developerapi::Client {
    let context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new("at-mock"),
    ));
    idtok_client::eiam_developerapi::Client::from_endpoint(&endpoint(server), context).unwrap()
}

fn identitystore(server: &MockServer) -> idtok_client::identitystore::Client {
    let credentials = HuaweiCredentials::new("QTWAOYTTINDUT2QVKYUC", "mock-sk");
    let context = idtok_client::identitystore::ClientContext::new(StaticCredentials(credentials));
    idtok_client::identitystore::Client::from_endpoint(&endpoint(server), context).unwrap()
}

#[tokio::test]
async fn eiam_mocks_match_on_the_rpc_action_not_the_pseudo_path() {
    use idtok_mock::eiam::MockServerExt as _;
    let server = MockServer::start_async().await;
    // Same wire path (`POST /`), another action: must not answer the listing.
    // Set up first, so it would be the one to answer if actions were not told apart.
    let obtain = server.obtain_application_token(|when, then| {
        when.instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx");
        then.ok(&vendor_example("ObtainApplicationToken"));
    });
    let list = server.list_application_tokens(|when, then| {
        when.instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
            .application_token_type("bearer_token");
        then.ok(&vendor_example("ListApplicationTokens"));
    });
    let listed = eiam(&server)
        .list_application_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.application_tokens.len(), 1);
    list.assert_async().await;
    assert_eq!(obtain.calls_async().await, 0);
}

#[tokio::test]
async fn eiam_obtain_mocks_are_hit_by_the_client() {
    use idtok_mock::eiam::MockServerExt as _;
    let server = MockServer::start_async().await;
    let token = server.obtain_application_token(|when, then| {
        when.instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
            .application_token_id("token_sfrwerxxxxxxxxxxxxxx");
        then.ok(&vendor_example("ObtainApplicationToken"));
    });
    let secret = server.obtain_application_client_secret(|when, then| {
        when.instance_id("eiam-111ccc1111")
            .application_id("app_11111")
            .secret_id("sct_11111");
        then.ok(&vendor_example("ObtainApplicationClientSecret"));
    });
    let client = eiam(&server);
    client
        .obtain_application_token()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
        .application_token_id("token_sfrwerxxxxxxxxxxxxxx")
        .send()
        .await
        .unwrap();
    client
        .obtain_application_client_secret()
        .instance_id("eiam-111ccc1111")
        .application_id("app_11111")
        .secret_id("sct_11111")
        .send()
        .await
        .unwrap();
    token.assert_async().await;
    secret.assert_async().await;
}

#[tokio::test]
async fn developer_api_mock_matches_the_query_and_an_absent_next_token() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    let first_page = server.list_authentication_tokens(|when, then| {
        when.instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
            .credential_provider_identifier("test_example_identifier")
            .revoked(false)
            .next_token(None);
        then.ok(&vendor_example("ListAuthenticationTokens"));
    });
    let listed = developer_api(&server)
        .list_authentication_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
        .credential_provider_identifier("test_example_identifier")
        .revoked(false)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.entities.len(), 1);
    first_page.assert_async().await;
}

#[tokio::test]
async fn identitystore_mock_matches_the_path_parameters() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let tokens = server.list_bearer_tokens(|when, then| {
        when.identity_store_id("d-1a2b3c4dxxxx")
            .tenant_id("2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx");
        then.ok(&vendor_example("ListBearerTokens"));
    });
    let listed = identitystore(&server)
        .list_bearer_tokens()
        .identity_store_id("d-1a2b3c4dxxxx")
        .tenant_id("2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.bearer_tokens.len(), 2);
    tokens.assert_async().await;
}
