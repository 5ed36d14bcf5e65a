//! What a client does when the service or the network fails, against a local server: retries
//! (which answers, how often, how long it waits, re-signed each time), timeouts, and the errors a
//! user sees for each kind of error body.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use idtok_client::{CallError, CallErrorKind, RetryPolicy, Timeouts};
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_testkit::{header, header_names, verify_acs3, verify_sdk_hmac};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCESS_KEY_ID: &str = "LTAI5tFailureTestKeyId";
const ACCESS_KEY_SECRET: &str = "failure-test-access-key-secret";
const AK: &str = "QTWAOYTTINDUT2QVKYUC";
const SK: &str = "failure-test-sk";

/// Answers in turn; the last answer repeats.
struct Sequence {
    answers: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, Ordering::SeqCst);
        self.answers[i.min(self.answers.len() - 1)].clone()
    }
}

async fn server(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Sequence {
            answers,
            next: AtomicUsize::new(0),
        })
        .mount(&server)
        .await;
    server
}

fn vendor_example(operation: &str) -> String {
    let path = format!(
        "{}/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

/// Short waits, so that the tests run fast; the defaults are tested in idtok-runtime.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

fn eiam(
    server: &MockServer,
    policy: RetryPolicy,
    timeouts: Timeouts,
) -> idtok_client::eiam::Client {
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    ))
    .with_retry_policy(policy)
    .with_timeouts(timeouts);
    idtok_client::eiam::Client::from_endpoint(&Endpoint::url(&server.uri()).unwrap(), context)
        .unwrap()
}

async fn list_application_tokens(
    client: &idtok_client::eiam::Client,
) -> Result<idtok_eiam_models::ListApplicationTokensResponse, CallError> {
    match client
        .list_application_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
        .application_token_type("bearer_token")
        .send()
        .await
    {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(CallError::from_client_error("ListApplicationTokens", error).await),
    }
}

fn identitystore(server: &MockServer, policy: RetryPolicy) -> idtok_client::identitystore::Client {
    let context = idtok_client::identitystore::ClientContext::new(StaticCredentials(
        HuaweiCredentials::new(AK, SK),
    ))
    .with_retry_policy(policy);
    idtok_client::identitystore::Client::from_endpoint(
        &Endpoint::url(&server.uri()).unwrap(),
        context,
    )
    .unwrap()
}

async fn list_bearer_tokens(
    client: &idtok_client::identitystore::Client,
) -> Result<idtok_identitystore_models::ListBearerTokensResponse, CallError> {
    match client
        .list_bearer_tokens()
        .identity_store_id("d-1234567890")
        .tenant_id("tenant-1")
        .send()
        .await
    {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(CallError::from_client_error("ListBearerTokens", error).await),
    }
}

fn developer_api(
    server: &MockServer,
    policy: RetryPolicy,
) -> idtok_client::eiam_developerapi::Client {
    let context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new("failure-test-access-token"),
    ))
    .with_retry_policy(policy);
    idtok_client::eiam_developerapi::Client::from_endpoint(
        &Endpoint::url(&server.uri()).unwrap(),
        context,
    )
    .unwrap()
}

async fn list_authentication_tokens(
    client: &idtok_client::eiam_developerapi::Client,
) -> Result<idtok_eiam_developerapi_models::ListAuthenticationTokensResponse, CallError> {
    match client
        .list_authentication_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .consumer_id("consumer_1")
        .credential_provider_identifier("test_example_identifier")
        .send()
        .await
    {
        Ok(response) => Ok(response.into_inner()),
        Err(error) => Err(CallError::from_client_error("ListAuthenticationTokens", error).await),
    }
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn a_5xx_is_retried_and_each_attempt_is_signed_afresh() {
    let server = server(vec![
        json(
            503,
            r#"{"Code":"ServiceUnavailable","Message":"Try later."}"#,
        ),
        json(200, &vendor_example("ListApplicationTokens")),
    ])
    .await;
    let client = eiam(&server, quick_retries(), Timeouts::default());
    let tokens = list_application_tokens(&client).await.unwrap();
    assert!(!tokens.application_tokens.unwrap_or_default().is_empty());

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    for request in &seen {
        verify_acs3(request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
    }
    assert_ne!(
        header(&seen[0], "x-acs-signature-nonce"),
        header(&seen[1], "x-acs-signature-nonce"),
        "a retry must not replay the nonce"
    );
    assert_eq!(seen[0].url, seen[1].url);
    assert_eq!(header_names(&seen[0]), header_names(&seen[1]));
}

#[tokio::test]
async fn alibaba_throttling_waits_as_long_as_x_acs_retry_after_asks() {
    let throttled = json(
        400,
        r#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R1"}"#,
    )
    .insert_header("x-acs-retry-after", "300");
    let server = server(vec![
        throttled,
        json(200, &vendor_example("ListApplicationTokens")),
    ])
    .await;
    let client = eiam(&server, quick_retries(), Timeouts::default());
    let start = Instant::now();
    list_application_tokens(&client).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn huawei_429_waits_for_retry_after_and_is_signed_again() {
    let server = server(vec![
        json(
            429,
            r#"{"error_code":"APIGW.0308","error_msg":"Throttled."}"#,
        )
        .insert_header("retry-after", "1"),
        json(200, &vendor_example("ListBearerTokens")),
    ])
    .await;
    let client = identitystore(&server, quick_retries());
    let start = Instant::now();
    list_bearer_tokens(&client).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    for request in &seen {
        verify_sdk_hmac(request, AK, SK).unwrap();
    }
    assert_eq!(header_names(&seen[0]), header_names(&seen[1]));
}

#[tokio::test]
async fn a_developer_api_retry_carries_the_bearer_token_again() {
    let server = server(vec![
        json(502, "{}"),
        json(200, &vendor_example("ListAuthenticationTokens")),
    ])
    .await;
    list_authentication_tokens(&developer_api(&server, quick_retries()))
        .await
        .unwrap();
    let seen = requests(&server).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(header_names(&seen[0]), header_names(&seen[1]));
    for request in &seen {
        assert_eq!(
            header(request, "authorization"),
            Some("Bearer failure-test-access-token")
        );
    }
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_the_last_answer_is_reported() {
    let server = server(vec![json(
        500,
        r#"{"Code":"InternalError","Message":"Boom.","RequestId":"R500"}"#,
    )])
    .await;
    let client = eiam(&server, quick_retries(), Timeouts::default());
    let error = list_application_tokens(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 3);
    assert_eq!(error.kind, CallErrorKind::Service);
    assert_eq!(
        error.to_string(),
        "ListApplicationTokens failed: HTTP 500: InternalError: Boom. (request id R500)"
    );
}

#[tokio::test]
async fn client_errors_other_than_throttling_are_not_retried() {
    let server = server(vec![json(
        400,
        r#"{"Code":"InvalidParameter","Message":"Bad.","RequestId":"R400"}"#,
    )])
    .await;
    let client = eiam(&server, quick_retries(), Timeouts::default());
    let error = list_application_tokens(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(error.code.as_deref(), Some("InvalidParameter"));
}

#[tokio::test]
async fn no_retry_starts_that_would_end_past_the_deadline() {
    let server = server(vec![
        json(503, r#"{"Code":"ServiceUnavailable"}"#).insert_header("retry-after", "30"),
        json(200, &vendor_example("ListApplicationTokens")),
    ])
    .await;
    let timeouts = Timeouts {
        total: Duration::from_secs(5),
        ..Timeouts::default()
    };
    let client = eiam(&server, quick_retries(), timeouts);
    let start = Instant::now();
    let error = list_application_tokens(&client).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(error.status, Some(503));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = server(vec![json(503, "{}")]).await;
    let client = eiam(&server, RetryPolicy::no_retries(), Timeouts::default());
    list_application_tokens(&client).await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_slow_attempt_times_out_is_retried_and_ends_as_a_network_error() {
    let server = server(vec![
        json(200, &vendor_example("ListApplicationTokens")).set_delay(Duration::from_secs(5))
    ])
    .await;
    let timeouts = Timeouts {
        per_attempt: Duration::from_millis(200),
        ..Timeouts::default()
    };
    let client = eiam(&server, quick_retries(), timeouts);
    let start = Instant::now();
    let error = list_application_tokens(&client).await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(error.kind, CallErrorKind::Network);
    // It names where it tried.
    assert_eq!(
        error.to_string(),
        format!(
            "ListApplicationTokens failed: {}: timed out",
            server.address()
        )
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn the_total_timeout_bounds_the_whole_call() {
    let server = server(vec![
        json(200, &vendor_example("ListApplicationTokens")).set_delay(Duration::from_secs(5))
    ])
    .await;
    let timeouts = Timeouts {
        per_attempt: Duration::from_secs(30),
        total: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let client = eiam(&server, quick_retries(), timeouts);
    let start = Instant::now();
    let error = list_application_tokens(&client).await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(error.kind, CallErrorKind::Network);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    // A server that accepts and closes at once, counting connections.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    ))
    .with_retry_policy(quick_retries());
    let client = idtok_client::eiam::Client::from_endpoint(
        &Endpoint::url(&format!("http://{address}")).unwrap(),
        context,
    )
    .unwrap();
    let error = list_application_tokens(&client).await.unwrap_err();
    assert_eq!(error.kind, CallErrorKind::Network);
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

// ---- What a user sees for each kind of error body -------------------------------------------

async fn eiam_error(answer: ResponseTemplate) -> CallError {
    let server = server(vec![answer]).await;
    let client = eiam(&server, RetryPolicy::no_retries(), Timeouts::default());
    list_application_tokens(&client).await.unwrap_err()
}

#[tokio::test]
async fn an_alibaba_permission_error_shows_every_field() {
    let error = eiam_error(json(
        403,
        r#"{"RequestId":"0441BD79","HostId":"eiam.cn-hangzhou.aliyuncs.com","Code":"NoPermission",
            "Message":"You are not authorized.","Recommend":"https://api.aliyun.com/troubleshoot?q=NoPermission",
            "AccessDeniedDetail":{"AuthAction":"eiam:ListApplicationTokens","PolicyType":"AccountLevelIdentityBasedPolicy"}}"#,
    ))
    .await;
    assert_eq!(error.kind, CallErrorKind::Service);
    assert_eq!(
        error.host_id.as_deref(),
        Some("eiam.cn-hangzhou.aliyuncs.com")
    );
    assert_eq!(
        error.access_denied_detail.as_ref().unwrap()["AuthAction"],
        "eiam:ListApplicationTokens"
    );
    assert_eq!(
        error.to_string(),
        "ListApplicationTokens failed: HTTP 403: NoPermission: You are not authorized. \
         (request id 0441BD79, host eiam.cn-hangzhou.aliyuncs.com); access denied detail: \
         {\"AuthAction\":\"eiam:ListApplicationTokens\",\"PolicyType\":\"AccountLevelIdentityBasedPolicy\"}; \
         see https://api.aliyun.com/troubleshoot?q=NoPermission"
    );
}

#[tokio::test]
async fn an_xml_error_body_is_read_like_the_json_one() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>R-XML</RequestId><HostId>eiam.cn-hangzhou.aliyuncs.com</HostId><Code>InvalidParameter</Code><Message>The parameter InstanceId is invalid.</Message><Recommend>https://api.aliyun.com/troubleshoot?q=InvalidParameter</Recommend></Error>"#;
    for status in [400, 404] {
        let error = eiam_error(ResponseTemplate::new(status).set_body_raw(xml, "text/xml")).await;
        assert_eq!(
            error.to_string(),
            format!(
                "ListApplicationTokens failed: HTTP {status}: InvalidParameter: The parameter InstanceId is invalid. \
                 (request id R-XML, host eiam.cn-hangzhou.aliyuncs.com); \
                 see https://api.aliyun.com/troubleshoot?q=InvalidParameter"
            )
        );
    }
}

#[tokio::test]
async fn bodies_that_are_not_the_vendors_keep_the_status_and_a_short_excerpt() {
    let html = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "nginx ".repeat(100)
    );
    let excerpt = format!("body: {}…", &html[..200]);
    let cases = [
        (
            ResponseTemplate::new(403).set_body_raw(html.clone(), "text/html"),
            format!("ListApplicationTokens failed: HTTP 403: {excerpt}"),
        ),
        (
            ResponseTemplate::new(502).set_body_raw(html, "text/html"),
            format!("ListApplicationTokens failed: HTTP 502: {excerpt}"),
        ),
        (
            ResponseTemplate::new(400),
            "ListApplicationTokens failed: HTTP 400: the body is empty".to_owned(),
        ),
        (
            json(400, r#"{"Code":"InvalidParameter","Mess"#),
            r#"ListApplicationTokens failed: HTTP 400: body: {"Code":"InvalidParameter","Mess"#
                .to_owned(),
        ),
    ];
    for (answer, expected) in cases {
        let error = eiam_error(answer).await;
        assert_eq!(error.to_string(), expected);
        assert_eq!(error.kind, CallErrorKind::Service);
    }
}

#[tokio::test]
async fn developer_api_errors_in_lower_camel_case_are_read() {
    let server = server(vec![json(
        403,
        r#"{"requestId":"R-dev","hostId":"eiam-developerapi.cn-hangzhou.aliyuncs.com","code":"Forbidden.AccessToken",
            "message":"The access token is not allowed.","recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.AccessToken",
            "accessDeniedDetail":{"authAction":"ListAuthenticationTokens"}}"#,
    )])
    .await;
    let error = list_authentication_tokens(&developer_api(&server, RetryPolicy::no_retries()))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "ListAuthenticationTokens failed: HTTP 403: Forbidden.AccessToken: The access token is not allowed. \
         (request id R-dev, host eiam-developerapi.cn-hangzhou.aliyuncs.com); \
         access denied detail: {\"authAction\":\"ListAuthenticationTokens\"}; \
         see https://api.aliyun.com/troubleshoot?q=Forbidden.AccessToken"
    );
}

#[tokio::test]
async fn a_huawei_403_keeps_the_encoded_authorization_message_and_the_header_request_id() {
    let server = server(vec![json(
        403,
        r#"{"error_code":"IDENTITYSTORE.10000003","error_msg":"Forbidden.","request_id":"from-body",
            "encoded_authorization_message":"AQIDBAUGBwgJ"}"#,
    )
    .insert_header("x-request-id", "from-header")])
    .await;
    let error = list_bearer_tokens(&identitystore(&server, RetryPolicy::no_retries()))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "ListBearerTokens failed: HTTP 403: IDENTITYSTORE.10000003: Forbidden. (request id from-header); \
         encoded authorization message: AQIDBAUGBwgJ"
    );
}

#[tokio::test]
async fn an_answer_larger_than_the_limit_is_refused_not_read_whole() {
    let huge = format!(
        r#"{{"RequestId":"{}"}}"#,
        "x".repeat(idtok_client::SUCCESS_BODY_LIMIT as usize + 1)
    );
    let error = eiam_error(json(200, &huge)).await;
    assert_eq!(error.kind, CallErrorKind::Response);
    assert_eq!(
        error.to_string(),
        "ListApplicationTokens failed: the answer is larger than 16 MiB"
    );
}

// ---- A created credential is never lost -------------------------------------------------------

const CREATED_BEARER_TOKEN: &str = r#"{"creation_time":1754278569275,"expiration_time":1785814569000,"token":"eyJraWQiOiJmZUV4U0oxRV-only-shown-once","token_id":"715ad873-3b32-48a3-a08f-50xxxxx"}"#;

async fn create_bearer_token(
    server: &MockServer,
) -> Result<idtok_identitystore_models::CreateBearerTokenResponse, CallError> {
    let client = identitystore(server, RetryPolicy::no_retries());
    idtok_client::call(
        "CreateBearerToken",
        client
            .create_bearer_token()
            .identity_store_id("d-1234567890")
            .tenant_id("tenant-1")
            .send(),
    )
    .await
}

/// The page says 201; a gateway or another service version that answers 200 (or 202) with the
/// same body must still hand over the token, which the service will not show again.
#[tokio::test]
async fn a_create_answered_with_any_2xx_and_the_documented_body_succeeds() {
    for status in [200, 201, 202] {
        let server = server(vec![json(status, CREATED_BEARER_TOKEN)]).await;
        let created = create_bearer_token(&server)
            .await
            .unwrap_or_else(|e| panic!("HTTP {status}: {e}"));
        assert_eq!(
            created.token.as_ref().map(|t| t.expose_secret()),
            Some("eyJraWQiOiJmZUV4U0oxRV-only-shown-once"),
            "HTTP {status}"
        );
    }
}

/// A success answer that does not decode is an error that carries the whole body, as a secret:
/// the caller can still take the credential out of it; Debug and Display do not show it.
#[tokio::test]
async fn an_undecodable_success_keeps_the_whole_body_as_a_secret() {
    // The token as the service sent it, in a body that is not the documented type.
    let body = r#"{"token":"eyJraWQiOiJmZUV4U0oxRV-only-shown-once","token_id":7,"creation_time":"#;
    for status in [200, 201] {
        let server = server(vec![json(status, body)]).await;
        let error = create_bearer_token(&server).await.unwrap_err();
        assert_eq!(error.kind, CallErrorKind::Response);
        assert_eq!(error.status, Some(status));
        let answer = error.answer.as_ref().expect("the answer is kept");
        assert_eq!(answer.expose_secret(), body.as_bytes());
        for shown in [error.to_string(), format!("{error:?}")] {
            assert!(!shown.contains("only-shown-once"), "{shown}");
        }
        assert!(
            error.to_string().contains(&format!(
                "the answer ({} bytes) is kept whole in the error",
                body.len()
            )),
            "{error}"
        );
    }
    // No body at all (a 204): said plainly, nothing to keep.
    let server = server(vec![ResponseTemplate::new(204)]).await;
    let error = create_bearer_token(&server).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "CreateBearerToken failed: HTTP 204: the answer has no body, where the documented JSON was expected"
    );
}

/// The fields the identity store's objects always carry (those the official SDK requires) are
/// required: a listed token without its ID is not the documented answer, and says so, rather
/// than a token a caller could not delete.
#[tokio::test]
async fn an_identitystore_item_without_a_required_field_is_not_the_documented_answer() {
    let complete = r#"{"bearer_tokens":[{"creation_time":1754277891140,"expiration_time":1785813891000,"token_id":"t-1"}]}"#;
    let answering = server(vec![json(200, complete)]).await;
    let listed = list_bearer_tokens(&identitystore(&answering, RetryPolicy::no_retries()))
        .await
        .unwrap();
    assert_eq!(listed.bearer_tokens.unwrap()[0].token_id, "t-1");

    let without_id =
        r#"{"bearer_tokens":[{"creation_time":1754277891140,"expiration_time":1785813891000}]}"#;
    let answering = server(vec![json(200, without_id)]).await;
    let error = list_bearer_tokens(&identitystore(&answering, RetryPolicy::no_retries()))
        .await
        .unwrap_err();
    assert_eq!(error.kind, CallErrorKind::Response);
    assert_eq!(
        error.answer.as_ref().map(|a| a.expose_secret().to_vec()),
        Some(without_id.as_bytes().to_vec())
    );
}

/// Operations that issue another independent temporary credential, or read one, are retried like
/// STS's AssumeRole; one that creates a lasting token is not (x-idempotent in the document).
#[tokio::test]
async fn issuing_temporary_credentials_is_retried_and_creating_a_token_is_not() {
    let unavailable = || {
        json(
            503,
            r#"{"requestId":"R503","code":"ServiceUnavailable","message":"Try again."}"#,
        )
    };
    let answering = server(vec![unavailable(), unavailable(), unavailable()]).await;
    let client = developer_api(&answering, quick_retries());
    let error = client
        .obtain_cloud_account_role_access_credential()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .cloud_account_role_external_id("acs:ram::xxx:role/role-test")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        requests(&answering).await.len(),
        3,
        "every attempt was made"
    );

    let answering = server(vec![unavailable(), unavailable(), unavailable()]).await;
    let client = developer_api(&answering, quick_retries());
    let body: idtok_eiam_developerapi_models::ObtainJwtAuthenticationTokenRequest =
        serde_json::from_value(serde_json::json!({
            "authenticationTokenId": "atntkn_01kqflm0sxxx8nmdc1cb5dskxxxxx",
            "consumerId": "test_jwt_subject"
        }))
        .unwrap();
    let error = client
        .obtain_jwt_authentication_token()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        requests(&answering).await.len(),
        3,
        "reading a token is retried"
    );

    let answering = server(vec![unavailable(), unavailable(), unavailable()]).await;
    let client = developer_api(&answering, quick_retries());
    let body: idtok_eiam_developerapi_models::GenerateJwtAuthenticationTokenRequest =
        serde_json::from_value(serde_json::json!({
            "audiences": ["https://example.com"],
            "credentialProviderIdentifier": "test_example_identifier",
            "subject": "test_jwt_subject"
        }))
        .unwrap();
    let error = client
        .generate_jwt_authentication_token()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .body(body)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        requests(&answering).await.len(),
        1,
        "a created token is not asked for twice"
    );
}
