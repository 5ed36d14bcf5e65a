//! The lifecycle operations (create, enable, disable, update, delete; the developer API's token
//! actions and OAuth2 token endpoint; the identity store's bearer tokens and provisioning
//! tenants), each through the generated client and its hooks, against a local server that records
//! what it receives: method, path, query, headers and body are what docs/wire.md and the documents say,
//! the signature verifies (idtok-testkit's own implementation), and the documents' example answer
//! decodes. Parameters and answers are the examples of the documents in `openapi/`, copied literally.
//!
//! Last, creating operations are never sent twice, where a list is.

use crate::support;

use std::time::Duration;

use idtok_client::RetryPolicy;
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_secret::SecretString;
use idtok_testkit::{header, header_names, query, verify_sdk_hmac};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use support::{
    assert_eiam_request, eiam_client, endpoint, identitystore_client, only_request, server,
    server_answering, ACCESS_KEY_ID, ACCESS_KEY_SECRET, AK, SECURITY_TOKEN, SK,
};

// ---------------------------------------------------------------------------------------------
// The documents' examples.

const INSTANCE_ID: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
const APPLICATION_ID: &str = "app_mkv7rgt4d7i4u7zqtzev2mxxxx";
const APPLICATION_TOKEN_ID: &str = "token_sfrwerxxxxxxxxxxxxxx";
const USER_ID: &str = "user_d6sbsuumeta4h66ec3il7yxxxx";
const SECRET_ID: &str = "sci_k52x2ru63rlkflina5utgkxxxx";
/// `ExpirationTime` of the EIAM examples (UNIX milliseconds).
const EXPIRATION_TIME: i64 = 1_735_530_123_762;
const REQUEST_ID: &str = "0441BD79-92F3-53AA-8657-F8CE4A2B912A";

/// The answer of every EIAM operation that returns only the request id.
const REQUEST_ID_ONLY: &str = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A"}"#;

const CREATE_APPLICATION_TOKEN: &str = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A","ApplicationTokens":{"ApplicationTokenId":"token_ndfxxigahelfne2y2hodehrxxxx","ApplicationToken":"SATFwqX8zxGf83pJcJw78KFGjmrft4erWeZYBGS8oE7NN6qoE217yaJpUdMb1UuuGqhDiF43sCA4CF91CTL5iGntqwyLuaAcS9FJ9HfGadE5a7TjiwVafwrBYkt3XXX","ApplicationTokenType":"bearer_token"}}"#;

const CREATE_APPLICATION_CLIENT_SECRET: &str = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A","ApplicationClientSecret":{"ClientId":"app_mkv7rgt4d7i4u7zqtzev2mxxxx","SecretId":" sci_k52x2ru63rlkflina5utgkxxxx","ClientSecret":"CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"}}"#;

const LIST_APPLICATION_CLIENT_SECRETS: &str = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A","TotalCount":100,"ApplicationClientSecrets":[{"InstanceId":"idaas_wdziy4vnjt33ehhf7z2o2nxxxx","ApplicationId":"app_mkv7rgt4d7i4u7zqtzev2mxxxx","ClientId":"app_mkv7rgt4d7i4u7zqtzev2mxxxx","SecretId":"sci_k52x2ru63rlkflina5utgkxxxx","ClientSecret":"eyJh*****************************************************************************************************OQ","Status":"enabled","LastUsedTime":1649830226000,"ExpirationTime":1749830226000}]}"#;

const GENERATE_JWT_AUTHENTICATION_TOKEN: &str = r#"{"instanceId":"idaas_ue2jvisn35ea5lmthk267xxxxx","authenticationTokenId":"atntkn_01kqflm0sxxx8nmdc1cb5dskxxxxx","credentialProviderId":"atp_01kr2cmj5gxxx4fvmls2e93dxxxxx","createTime":1649830225000,"updateTime":1649830225000,"authenticationTokenType":"jwt","revoked":false,"creatorType":"application","creatorId":"app_ngtkgrrxxxxktg5eao6z4xxxxx","consumerType":"custom","consumerId":"test_jwt_subject","expirationTime":1772693568000,"jwtContent":{"jwtValue":"eyJhbGciOixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","derivedShortToken":"sk-Nx2vzxxxxxxxxxxxxxxxxx"}}"#;

const VALIDATE_AUTHENTICATION_TOKEN: &str = r#"{"active":true}"#;

const GENERATE_TOKEN: &str = r#"{"access_token":"ATxxx","token_type":"Bearer","expires_in":1200,"expires_at":1653288641,"refresh_token":"RTxxx","id_token":"xxxxx"}"#;

/// The authentication token of the revoke, reinstate and validate examples.
const AUTHENTICATION_TOKEN: &str = "eyJhbGciOixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

const IDENTITY_STORE_ID: &str = "d-1a2b3c4dxxxx";
const TENANT_ID: &str = "2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx";
const TOKEN_ID: &str = "715ad873-3b32-48a3-a08f-50fxxxxxx7";

const CREATE_BEARER_TOKEN: &str = r#"{"creation_time":1754278569275,"expiration_time":1785814569000,"token":"eyJraWQiOiJmZUV4U0oxRV***************83yzVQVY","token_id":"715ad873-3b32-48a3-a08f-50xxxxx"}"#;

const CREATE_PROVISIONING_TENANT: &str = r#"{"creation_time":1754277890722,"scim_endpoint":"https://scim.cn-north-4.myhuaweicloud.com/e0d69be4-ee68-4653-97e4-9e8xxxxx/scim/v2/","tenant_id":"e0d69be4-ee68-4653-97e4-9exxxx"}"#;

const LIST_PROVISIONING_TENANTS: &str = r#"{"provisioning_tenants":[{"creation_time":1754277890722,"scim_endpoint":"https://scim.cn-north-4.myhuaweicloud.com/e0d69be4-ee68-4653-97e4-9e8xxxxx/scim/v2/","tenant_id":"e0d69be4-ee68-4653-97e4-9exxxx"}]}"#;

// ---------------------------------------------------------------------------------------------
// Helpers of this file.

const ACCESS_TOKEN: &str = "at-wire-lifecycle-token";

/// The value of a secret field; naming the type checks that the field decodes as a secret.
fn exposed(secret: &Option<SecretString>) -> &str {
    secret
        .as_ref()
        .expect("the secret field is present")
        .expose_secret()
}

/// An answer with a JSON body.
fn json_answer(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

fn eiam(server: &MockServer) -> idtok_client::eiam::Client {
    eiam_client(
        server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
}

fn developer_api_client(server: &MockServer) -> idtok_client::eiam_developerapi::Client {
    let context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new(ACCESS_TOKEN),
    ));
    idtok_client::eiam_developerapi::Client::from_endpoint(&endpoint(server), context).unwrap()
}

fn identitystore(server: &MockServer) -> idtok_client::identitystore::Client {
    identitystore_client(server, HuaweiCredentials::new(AK, SK))
}

/// What every developer API request of this file looks like: a `POST` to `path`, the headers
/// `names` and no others, `Authorization: Bearer <token>` when `bearer`, else none at all (not
/// even an empty one), and `content-type: application/json` exactly when a body is sent.
fn assert_developer_api_request(
    server: &MockServer,
    request: &Request,
    (path, action): (&str, &str),
    names: &[&str],
    bearer: bool,
) {
    assert_developer_api_request_sent_as(server, request, ("POST", path, action), names, bearer);
}

/// [`assert_developer_api_request`] for a request of any method.
fn assert_developer_api_request_sent_as(
    server: &MockServer,
    request: &Request,
    (method, path, action): (&str, &str, &str),
    names: &[&str],
    bearer: bool,
) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    // Every request also carries its action and the API version, as the official SDK sends them.
    let mut expected: Vec<&str> = names.to_vec();
    expected.extend(["x-acs-action", "x-acs-version"]);
    expected.sort_unstable();
    assert_eq!(header_names(request), expected);
    assert_eq!(header(request, "x-acs-action"), Some(action));
    assert_eq!(header(request, "x-acs-version"), Some("2022-02-25"));
    if bearer {
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {ACCESS_TOKEN}").as_str())
        );
    } else {
        assert!(
            !request.headers.contains_key("authorization"),
            "{:?}",
            request.headers
        );
    }
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(idtok_client::USER_AGENT)
    );
    assert_eq!(
        header(request, "host"),
        Some(server.address().to_string().as_str())
    );
    if request.body.is_empty() {
        assert_eq!(header(request, "content-type"), None);
    } else {
        let form = action == "GenerateToken";
        assert_eq!(
            header(request, "content-type"),
            Some(if form {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            })
        );
        assert_eq!(
            header(request, "content-length"),
            Some(request.body.len().to_string().as_str())
        );
    }
}

/// The headers of a developer API request with a JSON body and the access token.
const DEVELOPER_API_JSON_HEADERS: [&str; 6] = [
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "user-agent",
];

/// The headers of a developer API request without a body, with the access token.
const DEVELOPER_API_EMPTY_POST_HEADERS: [&str; 4] =
    ["accept", "authorization", "host", "user-agent"];

/// The body of a request, as JSON.
fn json_body(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "the body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// What every identity store request looks like on the wire (docs/wire.md, "Huawei SDK-HMAC-SHA256"):
/// no query, no body, `Content-Type: application/json` all the same, signed with the AK/SK, and
/// `X-Security-Token` sent and signed exactly when the credentials are temporary.
fn assert_identitystore_request(
    server: &MockServer,
    request: &Request,
    method: &str,
    path: &str,
    temporary: bool,
) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());
    let mut names = vec![
        "accept",
        "authorization",
        "content-type",
        "host",
        "user-agent",
        "x-sdk-date",
    ];
    if temporary {
        names.push("x-security-token");
    }
    assert_eq!(header_names(request), names);
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(idtok_client::USER_AGENT)
    );
    assert_eq!(
        header(request, "host"),
        Some(server.address().to_string().as_str())
    );
    assert_eq!(header(request, "x-sdk-date"), Some("20231026T102232Z"));
    let signed = if temporary {
        assert_eq!(header(request, "x-security-token"), Some(SECURITY_TOKEN));
        "content-type;host;x-sdk-date;x-security-token"
    } else {
        "content-type;host;x-sdk-date"
    };
    assert!(
        header(request, "authorization")
            .unwrap()
            .starts_with(&format!(
                "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature="
            )),
        "{:?}",
        header(request, "authorization")
    );
    verify_sdk_hmac(request, AK, SK).unwrap();
}

// ---------------------------------------------------------------------------------------------
// EIAM: application tokens.

#[tokio::test]
async fn eiam_create_application_token_without_expiration_time() {
    let server = server(200, CREATE_APPLICATION_TOKEN.to_owned()).await;
    let response = eiam(&server)
        .create_application_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    // `ApplicationTokens`, plural, is a single object here.
    let token = response.application_tokens.as_ref().unwrap();
    assert_eq!(
        token.application_token_id.as_deref(),
        Some("token_ndfxxigahelfne2y2hodehrxxxx")
    );
    assert_eq!(
        token.application_token_type.as_deref(),
        Some("bearer_token")
    );
    assert_eq!(
        exposed(&token.application_token),
        "SATFwqX8zxGf83pJcJw78KFGjmrft4erWeZYBGS8oE7NN6qoE217yaJpUdMb1UuuGqhDiF43sCA4CF91CTL5iGntqwyLuaAcS9FJ9HfGadE5a7TjiwVafwrBYkt3XXX"
    );
    assert!(!format!("{response:?}").contains("SATFwqX8"));
    let request = only_request(&server).await;
    // Not set, so not sent: no `ExpirationTime` key at all, not even an empty one.
    assert!(!query(&request).contains_key("ExpirationTime"));
    assert_eiam_request(
        &server,
        &request,
        "CreateApplicationToken",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenType", "bearer_token"),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_create_application_token_with_expiration_time() {
    let server = server(200, CREATE_APPLICATION_TOKEN.to_owned()).await;
    let response = eiam(&server)
        .create_application_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_type("bearer_token")
        .expiration_time(EXPIRATION_TIME)
        .send()
        .await
        .unwrap();
    assert_eq!(
        exposed(&response.application_tokens.as_ref().unwrap().application_token),
        "SATFwqX8zxGf83pJcJw78KFGjmrft4erWeZYBGS8oE7NN6qoE217yaJpUdMb1UuuGqhDiF43sCA4CF91CTL5iGntqwyLuaAcS9FJ9HfGadE5a7TjiwVafwrBYkt3XXX"
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "CreateApplicationToken",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenType", "bearer_token"),
            ("ExpirationTime", "1735530123762"),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_enable_application_token() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .enable_application_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_id(APPLICATION_TOKEN_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "EnableApplicationToken",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenId", APPLICATION_TOKEN_ID),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_disable_application_token() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .disable_application_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_id(APPLICATION_TOKEN_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "DisableApplicationToken",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenId", APPLICATION_TOKEN_ID),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_delete_application_token() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .delete_application_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_id(APPLICATION_TOKEN_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "DeleteApplicationToken",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenId", APPLICATION_TOKEN_ID),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_update_application_token_expiration_time() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .update_application_token_expiration_time()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .application_token_id(APPLICATION_TOKEN_ID)
        .expiration_time(EXPIRATION_TIME)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "UpdateApplicationTokenExpirationTime",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ApplicationTokenId", APPLICATION_TOKEN_ID),
            ("ExpirationTime", "1735530123762"),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// EIAM: application client secrets.

#[tokio::test]
async fn eiam_create_application_client_secret_without_expiration_time() {
    let server = server(200, CREATE_APPLICATION_CLIENT_SECRET.to_owned()).await;
    let response = eiam(&server)
        .create_application_client_secret()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .send()
        .await
        .unwrap();
    let secret = response.application_client_secret.as_ref().unwrap();
    assert_eq!(secret.client_id.as_deref(), Some(APPLICATION_ID));
    // The vendor's leading space is kept as sent.
    assert_eq!(
        secret.secret_id.as_deref(),
        Some(" sci_k52x2ru63rlkflina5utgkxxxx")
    );
    assert_eq!(
        exposed(&secret.client_secret),
        "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
    );
    assert!(!format!("{response:?}").contains("CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"));
    let request = only_request(&server).await;
    assert!(!query(&request).contains_key("ExpirationTime"));
    assert_eiam_request(
        &server,
        &request,
        "CreateApplicationClientSecret",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_create_application_client_secret_with_expiration_time() {
    let server = server(200, CREATE_APPLICATION_CLIENT_SECRET.to_owned()).await;
    let response = eiam(&server)
        .create_application_client_secret()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .expiration_time(1_749_830_226_000_i64)
        .send()
        .await
        .unwrap();
    assert_eq!(
        exposed(
            &response
                .application_client_secret
                .as_ref()
                .unwrap()
                .client_secret
        ),
        "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "CreateApplicationClientSecret",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ExpirationTime", "1749830226000"),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_list_application_client_secrets() {
    let server = server(200, LIST_APPLICATION_CLIENT_SECRETS.to_owned()).await;
    let response = eiam(&server)
        .list_application_client_secrets()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(100));
    assert_eq!(
        response.application_client_secrets.as_ref().unwrap().len(),
        1
    );
    let secret = &response.application_client_secrets.as_ref().unwrap()[0];
    assert_eq!(secret.secret_id.as_deref(), Some(SECRET_ID));
    assert_eq!(secret.status.as_deref(), Some("enabled"));
    assert_eq!(secret.expiration_time, Some(1_749_830_226_000));
    // Masked by the service, and a secret all the same.
    assert_eq!(
        exposed(&secret.client_secret),
        "eyJh*****************************************************************************************************OQ"
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "ListApplicationClientSecrets",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("InstanceId", INSTANCE_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_enable_application_client_secret() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .enable_application_client_secret()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .secret_id(SECRET_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "EnableApplicationClientSecret",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("InstanceId", INSTANCE_ID),
            ("SecretId", SECRET_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_disable_application_client_secret() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .disable_application_client_secret()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .secret_id(SECRET_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "DisableApplicationClientSecret",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("InstanceId", INSTANCE_ID),
            ("SecretId", SECRET_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_delete_application_client_secret() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .delete_application_client_secret()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .secret_id(SECRET_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "DeleteApplicationClientSecret",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("InstanceId", INSTANCE_ID),
            ("SecretId", SECRET_ID),
        ],
    );
}

#[tokio::test]
async fn eiam_update_application_client_secret_expiration_time() {
    let server = server(200, REQUEST_ID_ONLY.to_owned()).await;
    let response = eiam(&server)
        .update_application_client_secret_expiration_time()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .secret_id("sct_11111")
        .expiration_time(EXPIRATION_TIME)
        .send()
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "UpdateApplicationClientSecretExpirationTime",
        &[
            ("ApplicationId", APPLICATION_ID),
            ("ExpirationTime", "1735530123762"),
            ("InstanceId", INSTANCE_ID),
            ("SecretId", "sct_11111"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Developer API.

#[tokio::test]
async fn developer_api_generate_jwt_authentication_token() {
    let server = server(200, GENERATE_JWT_AUTHENTICATION_TOKEN.to_owned()).await;
    let mut custom_claims = serde_json::Map::new();
    custom_claims.insert("department".to_owned(), json!("xxxx"));
    let response = developer_api_client(&server)
        .generate_jwt_authentication_token()
        .instance_id(INSTANCE_ID)
        .body(
            idtok_eiam_developerapi_models::GenerateJwtAuthenticationTokenRequest::builder()
                .credential_provider_identifier("test_example_identifier")
                .issuer("https://test.issuer.com".to_owned())
                .subject("test_jwt_subject")
                .audiences(vec!["test_jwt_audience".to_owned()])
                .custom_claims(custom_claims)
                .expiration(900)
                .include_derived_short_token(true),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.authentication_token_id.as_deref(),
        Some("atntkn_01kqflm0sxxx8nmdc1cb5dskxxxxx")
    );
    assert_eq!(response.expiration_time, Some(1_772_693_568_000));
    let jwt = response.jwt_content.as_ref().unwrap();
    assert_eq!(
        exposed(&jwt.jwt_value),
        "eyJhbGciOixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    );
    assert_eq!(
        exposed(&jwt.derived_short_token),
        "sk-Nx2vzxxxxxxxxxxxxxxxxx"
    );
    assert!(!format!("{response:?}").contains("sk-Nx2vz"));

    let request = only_request(&server).await;
    assert_developer_api_request(
        &server,
        &request,
        (
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens/_/actions/generateJwt",
            "GenerateJwtAuthenticationToken",
        ),
        &DEVELOPER_API_JSON_HEADERS,
        true,
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({
            "credentialProviderIdentifier": "test_example_identifier",
            "issuer": "https://test.issuer.com",
            "subject": "test_jwt_subject",
            "audiences": ["test_jwt_audience"],
            "customClaims": {"department": "xxxx"},
            "expiration": 900,
            "includeDerivedShortToken": true
        })
    );
}

/// Revoke and reinstate: `{"token", "token_type_hint"}` (snake_case next to camelCase), the access
/// token, and an answer without a body, 200 or 204, is a success.
async fn token_action(
    action: &str,
    answer: ResponseTemplate,
    token_type_hint: Option<&str>,
) -> (u16, Request, MockServer) {
    let server = server_answering(answer).await;
    let client = developer_api_client(&server);
    let mut body = idtok_eiam_developerapi_models::AuthenticationTokenActionRequest::builder()
        .token(AUTHENTICATION_TOKEN);
    if let Some(hint) = token_type_hint {
        body = body.token_type_hint(hint.to_owned());
    }
    let status = match action {
        "revoke" => client
            .revoke_authentication_token()
            .instance_id(INSTANCE_ID)
            .body(body)
            .send()
            .await
            .unwrap()
            .status(),
        "reinstate" => client
            .reinstate_authentication_token()
            .instance_id(INSTANCE_ID)
            .body(body)
            .send()
            .await
            .unwrap()
            .status(),
        _ => unreachable!("{action}"),
    };
    let request = only_request(&server).await;
    assert_developer_api_request(
        &server,
        &request,
        (
            &format!(
                "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens/_/actions/{action}"
            ),
            match action {
                "revoke" => "RevokeAuthenticationToken",
                _ => "ReinstateAuthenticationToken",
            },
        ),
        &DEVELOPER_API_JSON_HEADERS,
        true,
    );
    assert_eq!(request.url.query(), None);
    (status.as_u16(), request, server)
}

#[tokio::test]
async fn developer_api_revoke_authentication_token_answered_200_with_an_empty_body() {
    let (status, request, _server) =
        token_action("revoke", ResponseTemplate::new(200), Some("jwt")).await;
    assert_eq!(status, 200);
    assert_eq!(
        json_body(&request),
        json!({"token": AUTHENTICATION_TOKEN, "token_type_hint": "jwt"})
    );
}

#[tokio::test]
async fn developer_api_revoke_authentication_token_answered_204() {
    let (status, request, _server) = token_action("revoke", ResponseTemplate::new(204), None).await;
    assert_eq!(status, 204);
    // No hint given: no `token_type_hint` key, not a null.
    assert_eq!(json_body(&request), json!({"token": AUTHENTICATION_TOKEN}));
}

#[tokio::test]
async fn developer_api_reinstate_authentication_token_answered_200_with_an_empty_body() {
    let (status, request, _server) =
        token_action("reinstate", ResponseTemplate::new(200), Some("jwt")).await;
    assert_eq!(status, 200);
    assert_eq!(
        json_body(&request),
        json!({"token": AUTHENTICATION_TOKEN, "token_type_hint": "jwt"})
    );
}

#[tokio::test]
async fn developer_api_reinstate_authentication_token_answered_204() {
    let (status, request, _server) =
        token_action("reinstate", ResponseTemplate::new(204), None).await;
    assert_eq!(status, 204);
    assert_eq!(json_body(&request), json!({"token": AUTHENTICATION_TOKEN}));
}

/// `security: []`: sent without any `Authorization`, although the client holds an access token.
#[tokio::test]
async fn developer_api_validate_authentication_token_sends_no_authorization() {
    let server = server(200, VALIDATE_AUTHENTICATION_TOKEN.to_owned()).await;
    let response = developer_api_client(&server)
        .validate_authentication_token()
        .instance_id(INSTANCE_ID)
        .body(
            idtok_eiam_developerapi_models::AuthenticationTokenActionRequest::builder()
                .token(AUTHENTICATION_TOKEN)
                .token_type_hint("jwt".to_owned()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.active, Some(true));
    let request = only_request(&server).await;
    assert_developer_api_request(
        &server,
        &request,
        (
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens/_/actions/validate",
            "ValidateAuthenticationToken",
        ),
        &[
            "accept",
            "content-length",
            "content-type",
            "host",
            "user-agent",
        ],
        false,
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(
        json_body(&request),
        json!({"token": AUTHENTICATION_TOKEN, "token_type_hint": "jwt"})
    );
}

/// The OAuth2 token endpoint: every parameter in the form body, none in the URL (RFC 6749
/// §2.3.1), and (`security: []`) no `Authorization`, although the client holds an access token.
#[tokio::test]
async fn developer_api_generate_token_sends_the_oauth_parameters_in_a_form_body_and_no_authorization(
) {
    let server = server(200, GENERATE_TOKEN.to_owned()).await;
    let response = developer_api_client(&server)
        .generate_token()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .body(
            idtok_eiam_developerapi_models::GenerateTokenRequest::builder()
                .grant_type("client_credentials")
                .client_id(Some(APPLICATION_ID.to_owned()))
                .client_secret(Some("CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx".into()))
                .scope(Some("urn:cloud:idaas:pam|.all openid".to_owned())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(exposed(&response.access_token), "ATxxx");
    assert_eq!(exposed(&response.refresh_token), "RTxxx");
    assert_eq!(exposed(&response.id_token), "xxxxx");
    assert_eq!(response.token_type.as_deref(), Some("Bearer"));
    assert_eq!(response.expires_in, Some(1200));
    assert_eq!(response.expires_at, Some(1_653_288_641));
    assert!(!format!("{response:?}").contains("ATxxx"));

    let request = only_request(&server).await;
    assert_developer_api_request(
        &server,
        &request,
        (
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/oauth2/token",
            "GenerateToken",
        ),
        &[
            "accept",
            "content-length",
            "content-type",
            "host",
            "user-agent",
        ],
        false,
    );
    assert_eq!(request.url.query(), None);
    assert!(!request.url.as_str().contains("CSEHD"));
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("client_id", APPLICATION_ID),
            ("client_secret", "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"),
            ("grant_type", "client_credentials"),
            ("scope", "urn:cloud:idaas:pam|.all openid"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
}

/// PatchUser changes only the fields it is given: the body holds exactly those (no `null` for the
/// others, which the service would read as "clear it"), and an answer without a body, 200 or 204,
/// is a success.
#[tokio::test]
async fn developer_api_patch_user_sends_only_the_fields_given_and_takes_an_answer_without_a_body() {
    for status in [200, 204] {
        let server = server_answering(ResponseTemplate::new(status)).await;
        let response = developer_api_client(&server)
            .patch_user()
            .instance_id(INSTANCE_ID)
            .application_id(APPLICATION_ID)
            .user_id(USER_ID)
            .body(
                idtok_eiam_developerapi_models::PatchUserRequest::builder()
                    .display_name("display_name001".to_owned())
                    .custom_fields(vec![
                        idtok_eiam_developerapi_models::PatchUserCustomField::builder()
                            .field_name("age".to_owned())
                            .operation("remove".to_owned())
                            .try_into()
                            .unwrap(),
                    ]),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        let request = only_request(&server).await;
        assert_developer_api_request_sent_as(
            &server,
            &request,
            (
                "PATCH",
                "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/users/user_d6sbsuumeta4h66ec3il7yxxxx",
                "PatchUser",
            ),
            &DEVELOPER_API_JSON_HEADERS,
            true,
        );
        assert_eq!(request.url.query(), None);
        assert_eq!(
            json_body(&request),
            json!({
                "displayName": "display_name001",
                "customFields": [{"fieldName": "age", "operation": "remove"}]
            })
        );
    }
}

/// EnableUser and DisableUser are POSTs without a body, as the official SDK sends them, and their
/// answer has none either.
#[tokio::test]
async fn developer_api_enable_and_disable_user_are_posts_without_a_body() {
    for action in ["enable", "disable"] {
        let server = server_answering(ResponseTemplate::new(200)).await;
        let client = developer_api_client(&server);
        let status = match action {
            "enable" => client
                .enable_user()
                .instance_id(INSTANCE_ID)
                .application_id(APPLICATION_ID)
                .user_id(USER_ID)
                .send()
                .await
                .unwrap()
                .status(),
            _ => client
                .disable_user()
                .instance_id(INSTANCE_ID)
                .application_id(APPLICATION_ID)
                .user_id(USER_ID)
                .send()
                .await
                .unwrap()
                .status(),
        };
        assert_eq!(status.as_u16(), 200);
        let request = only_request(&server).await;
        assert!(request.body.is_empty());
        assert_developer_api_request(
            &server,
            &request,
            (
                &format!(
                    "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/users/user_d6sbsuumeta4h66ec3il7yxxxx/actions/{action}"
                ),
                if action == "enable" {
                    "EnableUser"
                } else {
                    "DisableUser"
                },
            ),
            &DEVELOPER_API_EMPTY_POST_HEADERS,
            true,
        );
    }
}

/// GetUserInfo's answer is whatever claims the user's token gives: every one is kept as received,
/// nested objects, arrays and nulls included, and the token sent is the one the client was given.
#[tokio::test]
async fn developer_api_get_user_info_keeps_every_claim() {
    let claims = json!({
        "sub": "user_d6sbsuumeta4h66ec3il7yxxxx",
        "preferred_username": "name001",
        "email_verified": true,
        "address": {"country": "CN", "region": null},
        "groups": ["group_ufdsasn35ea5lmthk267xxxxx"],
        "updated_at": 1_652_085_686,
        "x_custom_claim": {"nested": [1, "two"]}
    });
    let server = server(200, claims.to_string()).await;
    let response = developer_api_client(&server)
        .get_user_info()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(serde_json::to_value(&response).unwrap(), claims);
    assert_eq!(response["preferred_username"], "name001");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/oauth2/userinfo"
    );
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str())
    );
    assert!(request.body.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Identity store.

#[tokio::test]
async fn identitystore_create_bearer_token() {
    let server = server(201, CREATE_BEARER_TOKEN.to_owned()).await;
    let response = identitystore(&server)
        .create_bearer_token()
        .identity_store_id(IDENTITY_STORE_ID)
        .tenant_id(TENANT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(
        response.token_id.as_deref(),
        Some("715ad873-3b32-48a3-a08f-50xxxxx")
    );
    assert_eq!(
        response.creation_time.as_ref().and_then(|t| t.as_millis()),
        Some(1_754_278_569_275)
    );
    assert_eq!(
        response
            .expiration_time
            .as_ref()
            .and_then(|t| t.as_millis()),
        Some(1_785_814_569_000)
    );
    assert_eq!(
        exposed(&response.token),
        "eyJraWQiOiJmZUV4U0oxRV***************83yzVQVY"
    );
    assert!(!format!("{response:?}").contains("eyJraWQi"));
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "POST",
        "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx/bearer-token",
        false,
    );
}

/// Temporary credentials: `X-Security-Token` sent and signed.
#[tokio::test]
async fn identitystore_create_bearer_token_with_temporary_credentials_sends_and_signs_the_security_token(
) {
    let server = server(201, CREATE_BEARER_TOKEN.to_owned()).await;
    identitystore_client(
        &server,
        HuaweiCredentials::new(AK, SK).with_security_token(SECURITY_TOKEN),
    )
    .create_bearer_token()
    .identity_store_id(IDENTITY_STORE_ID)
    .tenant_id(TENANT_ID)
    .send()
    .await
    .unwrap();
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "POST",
        "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx/bearer-token",
        true,
    );
}

#[tokio::test]
async fn identitystore_delete_bearer_token() {
    let server = server_answering(ResponseTemplate::new(200)).await;
    let response = identitystore(&server)
        .delete_bearer_token()
        .identity_store_id(IDENTITY_STORE_ID)
        .tenant_id(TENANT_ID)
        .token_id(TOKEN_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "DELETE",
        "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx/bearer-token/715ad873-3b32-48a3-a08f-50fxxxxxx7",
        false,
    );
}

#[tokio::test]
async fn identitystore_list_provisioning_tenants() {
    let server = server(200, LIST_PROVISIONING_TENANTS.to_owned()).await;
    let response = identitystore(&server)
        .list_provisioning_tenants()
        .identity_store_id(IDENTITY_STORE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.provisioning_tenants.as_ref().unwrap().len(), 1);
    let tenant = &response.provisioning_tenants.as_ref().unwrap()[0];
    assert_eq!(tenant.tenant_id, "e0d69be4-ee68-4653-97e4-9exxxx");
    assert_eq!(
        tenant.scim_endpoint,
        "https://scim.cn-north-4.myhuaweicloud.com/e0d69be4-ee68-4653-97e4-9e8xxxxx/scim/v2/"
    );
    assert_eq!(tenant.creation_time.as_millis(), Some(1_754_277_890_722));
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "GET",
        "/v1/identity-stores/d-1a2b3c4dxxxx/provision-tenant",
        false,
    );
}

#[tokio::test]
async fn identitystore_create_provisioning_tenant() {
    let server = server(201, CREATE_PROVISIONING_TENANT.to_owned()).await;
    let response = identitystore(&server)
        .create_provisioning_tenant()
        .identity_store_id(IDENTITY_STORE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.tenant_id, "e0d69be4-ee68-4653-97e4-9exxxx");
    assert_eq!(
        response.scim_endpoint,
        "https://scim.cn-north-4.myhuaweicloud.com/e0d69be4-ee68-4653-97e4-9e8xxxxx/scim/v2/"
    );
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "POST",
        "/v1/identity-stores/d-1a2b3c4dxxxx/provision-tenant",
        false,
    );
}

#[tokio::test]
async fn identitystore_delete_provisioning_tenant() {
    let server = server_answering(ResponseTemplate::new(200)).await;
    let response = identitystore(&server)
        .delete_provisioning_tenant()
        .identity_store_id(IDENTITY_STORE_ID)
        .tenant_id(TENANT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_identitystore_request(
        &server,
        &only_request(&server).await,
        "DELETE",
        "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx",
        false,
    );
}

// ---------------------------------------------------------------------------------------------
// Creating operations are never retried: a lost or failed answer does not mean nothing was
// created. A list is, under the same policy and the same answers.

/// The default policy's attempts (3), with waits short enough for a test.
fn default_attempts_short_waits() -> RetryPolicy {
    let policy = RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    assert_eq!(policy.max_attempts, 3);
    policy
}

/// A server that answers `failure` to the first request and `success` to any after it.
async fn server_failing_once(failure: ResponseTemplate, success: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(failure)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(success)
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// The failures that a retry-safe operation retries: a 500, and a 503 that asks to come back at
/// once (`Retry-After: 0`).
fn retryable_failures(body: &str) -> [(u16, ResponseTemplate); 2] {
    [
        (500, json_answer(500, body)),
        (
            503,
            json_answer(503, body).insert_header("retry-after", "0"),
        ),
    ]
}

const EIAM_500: &str = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A","Code":"InternalError","Message":"The request processing has failed due to some unknown error."}"#;
const HUAWEI_500: &str = r#"{"error_code":"IDENTITYSTORE.10000500","error_msg":"Internal error.","request_id":"1b7c4f1e6a2d4c8e9f0a1b2c3d4exxxx"}"#;

fn eiam_with_retries(server: &MockServer) -> idtok_client::eiam::Client {
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    ))
    .with_retry_policy(default_attempts_short_waits());
    idtok_client::eiam::Client::from_endpoint(&endpoint(server), context).unwrap()
}

fn developer_api_with_retries(server: &MockServer) -> idtok_client::eiam_developerapi::Client {
    let context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new(ACCESS_TOKEN),
    ))
    .with_retry_policy(default_attempts_short_waits());
    idtok_client::eiam_developerapi::Client::from_endpoint(&endpoint(server), context).unwrap()
}

fn identitystore_with_retries(server: &MockServer) -> idtok_client::identitystore::Client {
    let context = idtok_client::identitystore::ClientContext::new(StaticCredentials(
        HuaweiCredentials::new(AK, SK),
    ))
    .with_retry_policy(default_attempts_short_waits());
    idtok_client::identitystore::Client::from_endpoint(&endpoint(server), context).unwrap()
}

async fn request_count(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn create_application_token_is_never_retried() {
    for (status, failure) in retryable_failures(EIAM_500) {
        let server = server_failing_once(failure, json_answer(200, CREATE_APPLICATION_TOKEN)).await;
        let error = eiam_with_retries(&server)
            .create_application_token()
            .instance_id(INSTANCE_ID)
            .application_id(APPLICATION_ID)
            .application_token_type("bearer_token")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(request_count(&server).await, 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn create_application_client_secret_is_never_retried() {
    for (status, failure) in retryable_failures(EIAM_500) {
        let server =
            server_failing_once(failure, json_answer(200, CREATE_APPLICATION_CLIENT_SECRET)).await;
        let error = eiam_with_retries(&server)
            .create_application_client_secret()
            .instance_id(INSTANCE_ID)
            .application_id(APPLICATION_ID)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(request_count(&server).await, 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn generate_jwt_authentication_token_is_never_retried() {
    for (status, failure) in retryable_failures(EIAM_500) {
        let server =
            server_failing_once(failure, json_answer(200, GENERATE_JWT_AUTHENTICATION_TOKEN)).await;
        let error = developer_api_with_retries(&server)
            .generate_jwt_authentication_token()
            .instance_id(INSTANCE_ID)
            .body(
                idtok_eiam_developerapi_models::GenerateJwtAuthenticationTokenRequest::builder()
                    .credential_provider_identifier("test_example_identifier")
                    .subject("test_jwt_subject")
                    .audiences(vec!["test_jwt_audience".to_owned()]),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(request_count(&server).await, 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn create_bearer_token_is_never_retried() {
    for (status, failure) in retryable_failures(HUAWEI_500) {
        let server = server_failing_once(failure, json_answer(201, CREATE_BEARER_TOKEN)).await;
        let error = identitystore_with_retries(&server)
            .create_bearer_token()
            .identity_store_id(IDENTITY_STORE_ID)
            .tenant_id(TENANT_ID)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(request_count(&server).await, 1, "HTTP {status}");
    }
}

#[tokio::test]
async fn list_application_client_secrets_is_retried_after_a_500() {
    let server = server_failing_once(
        json_answer(500, EIAM_500),
        json_answer(200, LIST_APPLICATION_CLIENT_SECRETS),
    )
    .await;
    let response = eiam_with_retries(&server)
        .list_application_client_secrets()
        .instance_id(INSTANCE_ID)
        .application_id(APPLICATION_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(100));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        idtok_testkit::verify_acs3(request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
        assert_eq!(
            header(request, "x-acs-action"),
            Some("ListApplicationClientSecrets")
        );
    }
}

#[tokio::test]
async fn list_provisioning_tenants_is_retried_after_a_500() {
    let server = server_failing_once(
        json_answer(500, HUAWEI_500),
        json_answer(200, LIST_PROVISIONING_TENANTS),
    )
    .await;
    let response = identitystore_with_retries(&server)
        .list_provisioning_tenants()
        .identity_store_id(IDENTITY_STORE_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.provisioning_tenants.as_ref().unwrap().len(), 1);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        verify_sdk_hmac(request, AK, SK).unwrap();
        assert_eq!(
            request.url.path(),
            "/v1/identity-stores/d-1a2b3c4dxxxx/provision-tenant"
        );
    }
}
