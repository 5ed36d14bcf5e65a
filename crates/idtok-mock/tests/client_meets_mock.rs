//! The typed mocks match what the real clients send: each operation's mock, set up with the
//! operation's parameters, is hit exactly once by the client's call, and a mock of another
//! operation on the same wire path is not.
//!
//! Every operation of the families is covered: each mock is set up with all the `when`
//! methods it offers (optional ones both given and as `None`, "must be absent"), answers with the
//! document's example, and the client's call with the same values succeeds and hits it once. One
//! test per family shows that a mock of other values (or another action or method) is not hit:
//! the client then gets httpmock's 404 as an error.

use httpmock::MockServer;
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn endpoint(server: &MockServer) -> Endpoint {
    Endpoint::url(&server.base_url()).unwrap()
}

/// A response of type `T` from the vendor example of `operation`: tests/vendor-examples, a copy
/// of xtask's inside this crate (so that the packaged crate's tests find it), kept identical by
/// xtask/tests/packaging.rs.
fn vendor_example<T: DeserializeOwned>(operation: &str) -> T {
    let path = format!(
        "{}/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A typed value (a response of the document's example, a request body) from JSON.
fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// The HTTP status of a failed call, if it got an answer.
fn status<E>(error: &idtok_client::eiam::Error<E>) -> Option<u16> {
    error.status().map(|s| s.as_u16())
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
    assert_eq!(listed.application_tokens.as_ref().unwrap().len(), 1);
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
    assert_eq!(listed.entities.as_ref().unwrap().len(), 1);
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
    assert_eq!(listed.bearer_tokens.as_ref().unwrap().len(), 2);
    tokens.assert_async().await;
}

#[tokio::test]
async fn identitystore_mocks_answer_the_api_gateways_401_which_the_client_reads_as_an_error() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    // The gateway refuses a signature before the service sees the request: every identity store
    // operation declares that 401, so its mock can answer it with the family's error body.
    let refused = server.list_bearer_tokens(|when, then| {
        when.identity_store_id("d-1a2b3c4dxxxx")
            .tenant_id("2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx");
        then.unauthorized(&typed(json!({
            "error_code": "APIGW.0301",
            "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
            "request_id": "gw-1"
        })));
    });
    let error = identitystore(&server)
        .list_bearer_tokens()
        .identity_store_id("d-1a2b3c4dxxxx")
        .tenant_id("2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    match error {
        idtok_client::identitystore::Error::ErrorResponse(answer) => {
            assert_eq!(answer.error_code.as_deref(), Some("APIGW.0301"));
            assert_eq!(answer.request_id.as_deref(), Some("gw-1"));
        }
        other => panic!("the 401 is the documented error answer: {other:?}"),
    }
    refused.assert_async().await;
}

// ---------------------------------------------------------------------------------------------
// EIAM 2021-12-01: every action is `POST /` with `x-acs-action`, the parameters in the query.
// ---------------------------------------------------------------------------------------------

const EIAM_INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
const EIAM_APPLICATION: &str = "app_mkv7rgt4d7i4u7zqtzev2mxxxx";
const EIAM_TOKEN: &str = "token_sfrwerxxxxxxxxxxxxxx";
const EIAM_EXPIRATION: i64 = 1_735_530_123_762;
const EIAM_REQUEST_ID: &str = "0441BD79-92F3-53AA-8657-F8CE4A2B912A";

/// The answer of the actions that return only a request id (enable, disable, update, delete).
fn request_id_only<T: DeserializeOwned>() -> T {
    typed(json!({ "RequestId": EIAM_REQUEST_ID }))
}

#[tokio::test]
async fn eiam_application_token_lifecycle_create_enable_disable_update_delete() {
    use idtok_mock::eiam::MockServerExt as _;
    let server = MockServer::start_async().await;
    let created = json!({
        "RequestId": EIAM_REQUEST_ID,
        "ApplicationTokens": {
            "ApplicationTokenId": "token_ndfxxigahelfne2y2hodehrxxxx",
            "ApplicationToken": "SATFwqX8zxGf83pJcJw78KFGjmrft4erWeZYBGS8oE7NN6qoE217yaJpUdMb1UuuGqhDiF43sCA4CF91CTL5iGntqwyLuaAcS9FJ9HfGadE5a7TjiwVafwrBYkt3XXX",
            "ApplicationTokenType": "bearer_token"
        }
    });
    let create_expiring = server.create_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_type("bearer_token")
            .expiration_time(EIAM_EXPIRATION);
        then.ok(&typed(created.clone()));
    });
    // The same action without `ExpirationTime`: only the call that leaves it out may match.
    let create_default = server.create_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_type("bearer_token")
            .expiration_time(None);
        then.ok(&typed(created.clone()));
    });
    let enable = server.enable_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id(EIAM_TOKEN);
        then.ok(&request_id_only());
    });
    let disable = server.disable_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id(EIAM_TOKEN);
        then.ok(&request_id_only());
    });
    let update = server.update_application_token_expiration_time(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id(EIAM_TOKEN)
            .expiration_time(EIAM_EXPIRATION);
        then.ok(&request_id_only());
    });
    let delete = server.delete_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id(EIAM_TOKEN);
        then.ok(&request_id_only());
    });
    let client = eiam(&server);

    let token = client
        .create_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_type("bearer_token")
        .expiration_time(EIAM_EXPIRATION)
        .send()
        .await
        .unwrap()
        .into_inner();
    let token = token.application_tokens.unwrap();
    assert_eq!(
        token.application_token_id.as_deref(),
        Some("token_ndfxxigahelfne2y2hodehrxxxx")
    );
    assert!(token
        .application_token
        .unwrap()
        .expose_secret()
        .starts_with("SATFwqX8"));
    client
        .create_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap();
    let enabled = client
        .enable_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_id(EIAM_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(enabled.request_id.as_deref(), Some(EIAM_REQUEST_ID));
    client
        .disable_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_id(EIAM_TOKEN)
        .send()
        .await
        .unwrap();
    client
        .update_application_token_expiration_time()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_id(EIAM_TOKEN)
        .expiration_time(EIAM_EXPIRATION)
        .send()
        .await
        .unwrap();
    let deleted = client
        .delete_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_id(EIAM_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.request_id.as_deref(), Some(EIAM_REQUEST_ID));

    create_expiring.assert_async().await;
    create_default.assert_async().await;
    enable.assert_async().await;
    disable.assert_async().await;
    update.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn eiam_application_client_secret_lifecycle_create_list_enable_disable_update_delete() {
    use idtok_mock::eiam::MockServerExt as _;
    const SECRET: &str = "sci_k52x2ru63rlkflina5utgkxxxx";
    let server = MockServer::start_async().await;
    let created = json!({
        "RequestId": EIAM_REQUEST_ID,
        "ApplicationClientSecret": {
            "ClientId": EIAM_APPLICATION,
            "SecretId": " sci_k52x2ru63rlkflina5utgkxxxx",
            "ClientSecret": "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
        }
    });
    let create_default = server.create_application_client_secret(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .expiration_time(None);
        then.ok(&typed(created.clone()));
    });
    let create_expiring = server.create_application_client_secret(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .expiration_time(EIAM_EXPIRATION);
        then.ok(&typed(created.clone()));
    });
    let list = server.list_application_client_secrets(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION);
        then.ok(&typed(json!({
            "RequestId": EIAM_REQUEST_ID,
            "TotalCount": 100,
            "ApplicationClientSecrets": [{
                "InstanceId": "idaas_wdziy4vnjt33ehhf7z2o2nxxxx",
                "ApplicationId": EIAM_APPLICATION,
                "ClientId": EIAM_APPLICATION,
                "SecretId": SECRET,
                "ClientSecret": "eyJh*****************************************************************************************************OQ",
                "Status": "enabled",
                "LastUsedTime": 1_649_830_226_000_i64,
                "ExpirationTime": 1_749_830_226_000_i64
            }]
        })));
    });
    let enable = server.enable_application_client_secret(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .secret_id(SECRET);
        then.ok(&request_id_only());
    });
    let disable = server.disable_application_client_secret(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .secret_id(SECRET);
        then.ok(&request_id_only());
    });
    let update = server.update_application_client_secret_expiration_time(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .secret_id("sct_11111")
            .expiration_time(EIAM_EXPIRATION);
        then.ok(&request_id_only());
    });
    let delete = server.delete_application_client_secret(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .secret_id(SECRET);
        then.ok(&request_id_only());
    });
    let client = eiam(&server);

    let secret = client
        .create_application_client_secret()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .send()
        .await
        .unwrap()
        .into_inner()
        .application_client_secret
        .unwrap();
    assert_eq!(
        secret.client_secret.unwrap().expose_secret(),
        "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
    );
    client
        .create_application_client_secret()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .expiration_time(EIAM_EXPIRATION)
        .send()
        .await
        .unwrap();
    let listed = client
        .list_application_client_secrets()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(100));
    assert_eq!(
        listed.application_client_secrets.as_ref().unwrap()[0]
            .secret_id
            .as_deref(),
        Some(SECRET)
    );
    client
        .enable_application_client_secret()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .secret_id(SECRET)
        .send()
        .await
        .unwrap();
    client
        .disable_application_client_secret()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .secret_id(SECRET)
        .send()
        .await
        .unwrap();
    client
        .update_application_client_secret_expiration_time()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .secret_id("sct_11111")
        .expiration_time(EIAM_EXPIRATION)
        .send()
        .await
        .unwrap();
    let deleted = client
        .delete_application_client_secret()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .secret_id(SECRET)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.request_id.as_deref(), Some(EIAM_REQUEST_ID));

    create_default.assert_async().await;
    create_expiring.assert_async().await;
    list.assert_async().await;
    enable.assert_async().await;
    disable.assert_async().await;
    update.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn eiam_mocks_of_other_values_or_another_action_are_not_matched() {
    use idtok_mock::eiam::MockServerExt as _;
    let server = MockServer::start_async().await;
    // Same `POST /` and query, another action.
    let enable = server.enable_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id(EIAM_TOKEN);
        then.ok(&request_id_only());
    });
    // Same action, another token.
    let disable_other = server.disable_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_id("token_another");
        then.ok(&request_id_only());
    });
    // Same action and values, but `ExpirationTime` must be absent.
    let create_default = server.create_application_token(|when, then| {
        when.instance_id(EIAM_INSTANCE)
            .application_id(EIAM_APPLICATION)
            .application_token_type("bearer_token")
            .expiration_time(None);
        then.ok(&typed(json!({ "RequestId": EIAM_REQUEST_ID })));
    });
    let client = eiam(&server);

    let error = client
        .disable_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_id(EIAM_TOKEN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");
    let error = client
        .create_application_token()
        .instance_id(EIAM_INSTANCE)
        .application_id(EIAM_APPLICATION)
        .application_token_type("bearer_token")
        .expiration_time(EIAM_EXPIRATION)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");

    assert_eq!(enable.calls_async().await, 0);
    assert_eq!(disable_other.calls_async().await, 0);
    assert_eq!(create_default.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------
// Developer API 2022-02-25: REST under `/v2/{instanceId}/...`, JSON bodies, OAuth2 in the query.
// ---------------------------------------------------------------------------------------------

const DEV_INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
const DEV_APPLICATION: &str = "app_mkv7rgt4d7i4u7zqtzev2mxxxx";
const DEV_JWT: &str = "eyJhbGciOixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

fn authentication_token() -> Value {
    json!({
        "instanceId": DEV_INSTANCE,
        "authenticationTokenId": "atntkn_01kqflm0sxxx8nmdc1cb5dskxxxxx",
        "credentialProviderId": "atp_01kr2cmj5gxxx4fvmls2e93dxxxxx",
        "createTime": 1_649_830_225_000_i64,
        "updateTime": 1_649_830_225_000_i64,
        "authenticationTokenType": "jwt",
        "revoked": false,
        "creatorType": "application",
        "creatorId": "app_ngtkgrrxxxxktg5eao6z4xxxxx",
        "consumerType": "custom",
        "consumerId": "test_jwt_subject",
        "expirationTime": 1_772_693_568_000_i64
    })
}

#[tokio::test]
async fn developer_api_list_mock_matches_a_next_page_with_every_filter_and_an_absent_one() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    let next_page = server.list_authentication_tokens(|when, then| {
        when.instance_id(DEV_INSTANCE)
            .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
            .credential_provider_identifier("test_example_identifier")
            .next_token("NTxxxxxexample")
            .max_results(20)
            .expired(false)
            .revoked(None);
        then.ok(&typed(json!({
            "entities": [authentication_token()],
            "totalCount": 100,
            "maxResults": 20
        })));
    });
    let listed = developer_api(&server)
        .list_authentication_tokens()
        .instance_id(DEV_INSTANCE)
        .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
        .credential_provider_identifier("test_example_identifier")
        .next_token("NTxxxxxexample")
        .max_results(20)
        .expired(false)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(100));
    assert_eq!(listed.next_token, None);
    next_page.assert_async().await;
}

#[tokio::test]
async fn developer_api_generate_jwt_mock_matches_the_typed_body() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    let body: idtok_eiam_developerapi_models::GenerateJwtAuthenticationTokenRequest =
        typed(json!({
            "credentialProviderIdentifier": "test_example_identifier",
            "issuer": "https://test.issuer.com",
            "subject": "test_jwt_subject",
            "audiences": ["test_jwt_audience"],
            "customClaims": { "department": "xxxx" },
            "expiration": 900,
            "includeDerivedShortToken": true
        }));
    let mut answer = authentication_token();
    answer["jwtContent"] = json!({
        "jwtValue": DEV_JWT,
        "derivedShortToken": "sk-Nx2vzxxxxxxxxxxxxxxxxx"
    });
    let generate = server.generate_jwt_authentication_token(|when, then| {
        when.instance_id(DEV_INSTANCE).body(&body);
        then.ok(&typed(answer));
    });
    let generated = developer_api(&server)
        .generate_jwt_authentication_token()
        .instance_id(DEV_INSTANCE)
        .body(body.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    let content = generated.jwt_content.unwrap();
    assert_eq!(content.jwt_value.unwrap().expose_secret(), DEV_JWT);
    assert_eq!(
        content.derived_short_token.unwrap().expose_secret(),
        "sk-Nx2vzxxxxxxxxxxxxxxxxx"
    );
    generate.assert_async().await;
}

#[tokio::test]
async fn developer_api_validate_revoke_reinstate_mocks_match_the_typed_body() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    let body: idtok_eiam_developerapi_models::AuthenticationTokenActionRequest =
        typed(json!({ "token": DEV_JWT }));
    let validate = server.validate_authentication_token(|when, then| {
        when.instance_id(DEV_INSTANCE).body(&body);
        then.ok(&typed(json!({ "active": true })));
    });
    let revoke = server.revoke_authentication_token(|when, then| {
        when.instance_id(DEV_INSTANCE).body(&body);
        then.ok();
    });
    let reinstate = server.reinstate_authentication_token(|when, then| {
        when.instance_id(DEV_INSTANCE).body(&body);
        then.no_content();
    });
    let client = developer_api(&server);

    let validated = client
        .validate_authentication_token()
        .instance_id(DEV_INSTANCE)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(validated.active, Some(true));
    client
        .revoke_authentication_token()
        .instance_id(DEV_INSTANCE)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    client
        .reinstate_authentication_token()
        .instance_id(DEV_INSTANCE)
        .body(body.clone())
        .send()
        .await
        .unwrap();

    validate.assert_async().await;
    revoke.assert_async().await;
    reinstate.assert_async().await;
}

fn generated_tokens() -> idtok_eiam_developerapi_models::GenerateTokenResponse {
    typed(json!({
        "access_token": "ATxxx",
        "token_type": "Bearer",
        "expires_in": 1200,
        "expires_at": 1_653_288_641_i64,
        "refresh_token": "RTxxx",
        "id_token": "xxxxx"
    }))
}

/// A GenerateToken form body from its fields.
fn token_form(fields: Value) -> idtok_eiam_developerapi_models::GenerateTokenRequest {
    typed(fields)
}

#[tokio::test]
async fn developer_api_generate_token_mock_matches_the_real_client_secret() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    const CLIENT_SECRET: &str = "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx";
    let form = token_form(json!({
        "grant_type": "client_credentials",
        "client_id": DEV_APPLICATION,
        "client_secret": CLIENT_SECRET,
        "scope": "openid profile",
        "exclusive_tag": "ATxxx",
    }));
    let server = MockServer::start_async().await;
    let credentials = server.generate_token(|when, then| {
        when.instance_id(DEV_INSTANCE)
            .application_id(DEV_APPLICATION)
            .body(&form);
        then.ok(&generated_tokens());
    });
    let tokens = developer_api(&server)
        .generate_token()
        .instance_id(DEV_INSTANCE)
        .application_id(DEV_APPLICATION)
        .body(form.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(tokens.access_token.unwrap().expose_secret(), "ATxxx");
    assert_eq!(tokens.expires_at, Some(1_653_288_641));
    credentials.assert_async().await;
}

#[tokio::test]
async fn developer_api_generate_token_mock_matches_every_other_grant() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    // Values with characters the form must encode: the mock compares the form as sent.
    const REDIRECT: &str = "https://app.example.com/callback?state=a b&x=1";
    const REFRESH: &str = "RT+/=xx yy";
    let grants = [
        json!({"grant_type": "authorization_code", "client_id": DEV_APPLICATION, "code": "xxxx",
               "code_verifier": "xxx", "redirect_uri": REDIRECT}),
        json!({"grant_type": "refresh_token", "client_id": DEV_APPLICATION,
               "client_secret": "CSE+/=secret", "refresh_token": REFRESH}),
        json!({"grant_type": "urn:ietf:params:oauth:grant-type:device_code",
               "client_id": DEV_APPLICATION, "device_code": "xxxx"}),
        json!({"grant_type": "password", "client_id": DEV_APPLICATION,
               "username": "uesrname_001", "password": "xxxxxx"}),
    ];
    let mut mocks = Vec::new();
    for grant in &grants {
        let form = token_form(grant.clone());
        mocks.push(server.generate_token(|when, then| {
            when.instance_id(DEV_INSTANCE)
                .application_id(DEV_APPLICATION)
                .body(&form);
            then.ok(&generated_tokens());
        }));
    }
    let client = developer_api(&server);
    for grant in &grants {
        client
            .generate_token()
            .instance_id(DEV_INSTANCE)
            .application_id(DEV_APPLICATION)
            .body(token_form(grant.clone()))
            .send()
            .await
            .unwrap();
    }
    for mock in mocks {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn developer_api_mocks_of_another_secret_or_body_are_not_matched() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    let server = MockServer::start_async().await;
    let other_form = token_form(json!({
        "grant_type": "client_credentials",
        "client_id": DEV_APPLICATION,
        "client_secret": "CSE-another-secret",
    }));
    let other_secret = server.generate_token(|when, then| {
        when.instance_id(DEV_INSTANCE)
            .application_id(DEV_APPLICATION)
            .body(&other_form);
        then.ok(&generated_tokens());
    });
    let other_token: idtok_eiam_developerapi_models::AuthenticationTokenActionRequest =
        typed(json!({ "token": "eyJanother" }));
    let revoke_other = server.revoke_authentication_token(|when, then| {
        when.instance_id(DEV_INSTANCE).body(&other_token);
        then.no_content();
    });
    // The right body on another instance.
    let body: idtok_eiam_developerapi_models::AuthenticationTokenActionRequest =
        typed(json!({ "token": DEV_JWT }));
    let revoke_elsewhere = server.revoke_authentication_token(|when, then| {
        when.instance_id("idaas_another").body(&body);
        then.no_content();
    });
    let client = developer_api(&server);

    let error = client
        .generate_token()
        .instance_id(DEV_INSTANCE)
        .application_id(DEV_APPLICATION)
        .body(token_form(json!({
            "grant_type": "client_credentials",
            "client_id": DEV_APPLICATION,
            "client_secret": "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx",
        })))
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");
    let error = client
        .revoke_authentication_token()
        .instance_id(DEV_INSTANCE)
        .body(body.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");

    assert_eq!(other_secret.calls_async().await, 0);
    assert_eq!(revoke_other.calls_async().await, 0);
    assert_eq!(revoke_elsewhere.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------
// Identity store v1: REST, the ids in the path.
// ---------------------------------------------------------------------------------------------

const STORE: &str = "d-1a2b3c4dxxxx";
const TENANT: &str = "2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx";
const BEARER_TOKEN: &str = "715ad873-3b32-48a3-a08f-50fxxxxxx7";

fn provisioning_tenant() -> Value {
    json!({
        "creation_time": 1_754_277_890_722_i64,
        "scim_endpoint": "https://scim.cn-north-4.myhuaweicloud.com/e0d69be4-ee68-4653-97e4-9e8xxxxx/scim/v2/",
        "tenant_id": "e0d69be4-ee68-4653-97e4-9exxxx"
    })
}

#[tokio::test]
async fn identitystore_provisioning_tenant_lifecycle_create_list_delete() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let create = server.create_provisioning_tenant(|when, then| {
        when.identity_store_id(STORE);
        then.created(&typed(provisioning_tenant()));
    });
    let list = server.list_provisioning_tenants(|when, then| {
        when.identity_store_id(STORE);
        then.ok(&typed(
            json!({ "provisioning_tenants": [provisioning_tenant()] }),
        ));
    });
    let delete = server.delete_provisioning_tenant(|when, then| {
        when.identity_store_id(STORE).tenant_id(TENANT);
        then.ok();
    });
    let client = identitystore(&server);

    let tenant = client
        .create_provisioning_tenant()
        .identity_store_id(STORE)
        .send()
        .await
        .unwrap();
    assert_eq!(tenant.tenant_id, "e0d69be4-ee68-4653-97e4-9exxxx");
    let listed = client
        .list_provisioning_tenants()
        .identity_store_id(STORE)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.provisioning_tenants.as_ref().unwrap().len(), 1);
    client
        .delete_provisioning_tenant()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap();

    create.assert_async().await;
    list.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn identitystore_bearer_token_lifecycle_create_list_delete() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let create = server.create_bearer_token(|when, then| {
        when.identity_store_id(STORE).tenant_id(TENANT);
        then.created(&typed(json!({
            "creation_time": 1_754_278_569_275_i64,
            "expiration_time": 1_785_814_569_000_i64,
            "token": "eyJraWQiOiJmZUV4U0oxRV***************83yzVQVY",
            "token_id": "715ad873-3b32-48a3-a08f-50xxxxx"
        })));
    });
    let list = server.list_bearer_tokens(|when, then| {
        when.identity_store_id(STORE).tenant_id(TENANT);
        then.ok(&vendor_example("ListBearerTokens"));
    });
    let delete = server.delete_bearer_token(|when, then| {
        when.identity_store_id(STORE)
            .tenant_id(TENANT)
            .token_id(BEARER_TOKEN);
        then.ok();
    });
    let client = identitystore(&server);

    let token = client
        .create_bearer_token()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        token.token.unwrap().expose_secret(),
        "eyJraWQiOiJmZUV4U0oxRV***************83yzVQVY"
    );
    let listed = client
        .list_bearer_tokens()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.bearer_tokens.as_ref().unwrap().len(), 2);
    client
        .delete_bearer_token()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .token_id(BEARER_TOKEN)
        .send()
        .await
        .unwrap();

    create.assert_async().await;
    list.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn identitystore_mocks_of_another_token_or_method_are_not_matched() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let delete_other = server.delete_bearer_token(|when, then| {
        when.identity_store_id(STORE)
            .tenant_id(TENANT)
            .token_id("5bd76fe3-48cc-4e4b-a235-a4e6xxxx");
        then.ok();
    });
    // Same path, POST: must not answer the GET of the listing.
    let create = server.create_bearer_token(|when, then| {
        when.identity_store_id(STORE).tenant_id(TENANT);
        then.created(&typed(
            json!({ "token_id": "715ad873-3b32-48a3-a08f-50xxxxx" }),
        ));
    });
    let client = identitystore(&server);

    let error = client
        .delete_bearer_token()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .token_id(BEARER_TOKEN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");
    let error = client
        .list_bearer_tokens()
        .identity_store_id(STORE)
        .tenant_id(TENANT)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");

    assert_eq!(delete_other.calls_async().await, 0);
    assert_eq!(create.calls_async().await, 0);
}

// ---------------------------------------------------------------------------------------------
// Path parameters of the REST families: a mock matches the value percent-encoded as the family's
// client sends it (the identity store's signer re-encodes per RFC 3986), and literally (escaped
// in the regex), not as a pattern.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_mocks_match_values_the_client_percent_encodes() {
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let store = "d-1a2b 3c4d:xxxx";
    let tenants = server.list_provisioning_tenants(|when, then| {
        when.identity_store_id(store);
        then.ok(&typed(json!({ "provisioning_tenants": [] })));
    });
    let instance = "idaas ue2jvisn35ea5lmthk267xxxxx";
    let body: idtok_eiam_developerapi_models::AuthenticationTokenActionRequest =
        typed(json!({ "token": DEV_JWT }));
    let revoke = server.revoke_authentication_token(|when, then| {
        when.instance_id(instance).body(&body);
        then.no_content();
    });
    // Both calls first, so that the report shows each family's outcome.
    let listed = identitystore(&server)
        .list_provisioning_tenants()
        .identity_store_id(store)
        .send()
        .await;
    let revoked = developer_api(&server)
        .revoke_authentication_token()
        .instance_id(instance)
        .body(body.clone())
        .send()
        .await;
    let outcome = (
        listed.is_ok(),
        tenants.calls_async().await,
        revoked.is_ok(),
        revoke.calls_async().await,
    );
    assert_eq!(
        outcome,
        (true, 1, true, 1),
        "(identity store ok, calls, developer API ok, calls)"
    );
}

#[tokio::test]
async fn path_parameter_mocks_do_not_match_another_value_by_regex() {
    use idtok_mock::identitystore::MockServerExt as _;
    let server = MockServer::start_async().await;
    let tenants = server.list_provisioning_tenants(|when, then| {
        when.identity_store_id("d-1a2b.3c4d");
        then.ok(&typed(json!({ "provisioning_tenants": [] })));
    });
    let error = identitystore(&server)
        .list_provisioning_tenants()
        .identity_store_id("d-1a2bX3c4d")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&error), Some(404), "{error}");
    assert_eq!(tenants.calls_async().await, 0);
}

fn sts(server: &MockServer) -> idtok_client::sts::Client {
    let credentials = AlibabaCredentials::new("LTAI5tMockKeyId", "mock-access-key-secret");
    let context = idtok_client::sts::ClientContext::new(StaticCredentials(credentials));
    idtok_client::sts::Client::from_endpoint(&endpoint(server), context).unwrap()
}

/// The four STS operations: each mock (every `when`, optional ones given and absent) is hit once
/// by the client: AssumeRole and GetCallerIdentity signed (ACS3), the federated two unsigned with
/// the common parameters in the query, which their mocks match.
#[tokio::test]
async fn sts_mocks_are_hit_by_the_client_signed_or_with_the_common_parameters_in_the_query() {
    use idtok_mock::sts::MockServerExt as _;
    const ROLE: &str = "acs:ram::123456789012****:role/adminrole";
    let server = MockServer::start_async().await;
    let assume = server.assume_role(|when, then| {
        when.role_arn(ROLE)
            .role_session_name("alice")
            .duration_seconds(3600)
            .policy(None)
            .external_id("abcd1234")
            .source_identity(None);
        then.ok(&vendor_example("AssumeRole"));
    });
    let oidc = server.assume_role_with_oidc(|when, then| {
        when.oidc_provider_arn("acs:ram::113511544585****:oidc-provider/TestOidcIdp")
            .role_arn(ROLE)
            .oidc_token("eyJraWQiOiJKQzl3eHpyaHFKMGd0****")
            .role_session_name("oidc-session")
            .duration_seconds(None)
            .policy(None);
        then.ok(&vendor_example("AssumeRoleWithOIDC"));
    });
    let saml = server.assume_role_with_saml(|when, then| {
        when.saml_provider_arn("acs:ram::123456789012****:saml-provider/company1")
            .role_arn(ROLE)
            .saml_assertion("base64_encoded_saml_assertion")
            .policy("url_encoded_policy")
            .duration_seconds(900);
        then.ok(&vendor_example("AssumeRoleWithSAML"));
    });
    let caller = server.get_caller_identity(|_, then| {
        then.ok(&vendor_example("GetCallerIdentity"));
    });
    let client = sts(&server);
    let assumed = client
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("alice")
        .duration_seconds(3600)
        .external_id("abcd1234")
        .send()
        .await
        .unwrap();
    assert_eq!(
        assumed
            .credentials
            .as_ref()
            .unwrap()
            .access_key_id
            .as_deref(),
        Some("STS.L4aBSCSJVMuKg5U1****")
    );
    client
        .assume_role_with_oidc()
        .oidc_provider_arn("acs:ram::113511544585****:oidc-provider/TestOidcIdp")
        .role_arn(ROLE)
        .oidc_token("eyJraWQiOiJKQzl3eHpyaHFKMGd0****")
        .role_session_name("oidc-session")
        .send()
        .await
        .unwrap();
    client
        .assume_role_with_saml()
        .saml_provider_arn("acs:ram::123456789012****:saml-provider/company1")
        .role_arn(ROLE)
        .saml_assertion("base64_encoded_saml_assertion")
        .policy("url_encoded_policy")
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    let identity = client.get_caller_identity().send().await.unwrap();
    assert_eq!(identity.identity_type.as_deref(), Some("RAMUser"));
    for mock in [assume, oidc, saml, caller] {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn sts_mocks_of_another_action_are_not_matched() {
    use idtok_mock::sts::MockServerExt as _;
    let server = MockServer::start_async().await;
    // `POST /` like every STS operation, but another action.
    let assume = server.assume_role(|when, then| {
        when.role_arn("r").role_session_name("s");
        then.ok(&vendor_example("AssumeRole"));
    });
    let error = sts(&server).get_caller_identity().send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(assume.calls_async().await, 0);
}
