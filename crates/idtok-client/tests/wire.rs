//! Each operation, through the generated client and its hooks, against a local server that
//! records what it receives: method, path, query, headers and body are what docs/wire.md says, and the
//! signature verifies (checked by idtok-testkit's own implementation).

use crate::support;

use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_testkit::{
    acs3_canonical_request, header, header_names, query, verify_acs3, verify_sdk_hmac,
};

use support::{
    assert_eiam_request, eiam_client, endpoint, identitystore_client, only_request, query_of,
    server, ACCESS_KEY_ID, ACCESS_KEY_SECRET, AK, SECURITY_TOKEN, SK,
};

fn vendor_example(operation: &str) -> String {
    let path = format!(
        "{}/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

#[tokio::test]
async fn eiam_list_application_tokens() {
    let server = server(200, vendor_example("ListApplicationTokens")).await;
    let response = eiam_client(
        &server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
    .list_application_tokens()
    .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
    .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
    .application_token_type("bearer_token")
    .send()
    .await
    .unwrap();
    assert_eq!(
        response.application_tokens.as_ref().unwrap()[0]
            .application_token_id
            .as_deref(),
        Some("token_ndfxxigahelfne2y2hodehrxxxx")
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "ListApplicationTokens",
        &[
            ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
            ("ApplicationTokenType", "bearer_token"),
            ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
        ],
    );
}

#[tokio::test]
async fn eiam_obtain_application_token() {
    let server = server(200, vendor_example("ObtainApplicationToken")).await;
    let response = eiam_client(
        &server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
    .obtain_application_token()
    .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
    .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
    .application_token_id("token_sfrwerxxxxxxxxxxxxxx")
    .send()
    .await
    .unwrap();
    assert_eq!(
        response
            .application_token
            .as_ref()
            .unwrap()
            .status
            .as_deref(),
        Some("enabled")
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "ObtainApplicationToken",
        &[
            ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
            ("ApplicationTokenId", "token_sfrwerxxxxxxxxxxxxxx"),
            ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
        ],
    );
}

#[tokio::test]
async fn eiam_obtain_application_client_secret() {
    let server = server(200, vendor_example("ObtainApplicationClientSecret")).await;
    let response = eiam_client(
        &server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
    .obtain_application_client_secret()
    .instance_id("eiam-111ccc1111")
    .application_id("app_11111")
    .secret_id("sct_11111")
    .send()
    .await
    .unwrap();
    let secret = response.application_client_secret.as_ref().unwrap();
    assert_eq!(
        secret.client_secret.as_ref().unwrap().expose_secret(),
        "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
    );
    assert_eiam_request(
        &server,
        &only_request(&server).await,
        "ObtainApplicationClientSecret",
        &[
            ("ApplicationId", "app_11111"),
            ("InstanceId", "eiam-111ccc1111"),
            ("SecretId", "sct_11111"),
        ],
    );
}

/// An operation whose `ClientToken` travels in a form body (the document's `requestBody`) sends
/// the body, its hash and its signature exactly as the official SDK does: the SDK's form, its
/// `x-acs-content-sha256`, and its canonical request over the headers idtok signs
/// (alibabacloud-tea-openapi 0.4.6's `do_request` and `get_authorization`, run for this request;
/// the SDK also signs `accept` and `user-agent`, which idtok sends unsigned).
#[tokio::test]
async fn eiam_a_form_body_client_token_is_sent_and_signed_as_the_sdk_does() {
    let server = server(
        200,
        r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A"}"#.to_owned(),
    )
    .await;
    eiam_client(
        &server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
    .update_authorization_rule_description()
    .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
    .authorization_rule_id("arrule_01kf143ug06fg7m9f43u7vahxxxx")
    .description("this is a test rule")
    .body(idtok_eiam_models::ClientTokenForm {
        client_token: "client-token-example".to_owned(),
    })
    .send()
    .await
    .unwrap();
    let request = only_request(&server).await;
    // What the SDK sends: ClientToken in the form, the rest in the query.
    assert_eq!(request.body, b"ClientToken=client-token-example");
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        header(&request, "x-acs-content-sha256"),
        Some("02e9c1bad261a98a4067564de9c60d2993b2646640008c2f20dad2ec417f7004")
    );
    assert_eq!(
        query(&request),
        query_of(&[
            ("AuthorizationRuleId", "arrule_01kf143ug06fg7m9f43u7vahxxxx"),
            ("Description", "this is a test rule"),
            ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
        ])
    );
    // The SDK's canonical request, but for the host, which is the local server's here.
    let sdk = "POST\n/\nAuthorizationRuleId=arrule_01kf143ug06fg7m9f43u7vahxxxx&Description=this%20is%20a%20test%20rule&InstanceId=idaas_ue2jvisn35ea5lmthk267xxxxx\ncontent-type:application/x-www-form-urlencoded\nhost:{host}\nx-acs-action:UpdateAuthorizationRuleDescription\nx-acs-content-sha256:02e9c1bad261a98a4067564de9c60d2993b2646640008c2f20dad2ec417f7004\nx-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2021-12-01\n\ncontent-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n02e9c1bad261a98a4067564de9c60d2993b2646640008c2f20dad2ec417f7004";
    assert_eq!(
        acs3_canonical_request(&request).unwrap(),
        sdk.replace("{host}", &server.address().to_string())
    );
    verify_acs3(&request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
}

/// STS credentials add `x-acs-security-token` and `x-acs-accesskey-id`, both signed.
#[tokio::test]
async fn eiam_with_an_sts_token_sends_and_signs_it() {
    let server = server(200, vendor_example("ListApplicationTokens")).await;
    let credentials = AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        .with_security_token(SECURITY_TOKEN);
    eiam_client(&server, credentials)
        .list_application_tokens()
        .instance_id("i")
        .application_id("a")
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "x-acs-security-token"),
        Some(SECURITY_TOKEN)
    );
    assert_eq!(header(&request, "x-acs-accesskey-id"), Some(ACCESS_KEY_ID));
    let authorization = header(&request, "authorization").unwrap();
    assert!(authorization.contains("SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"), "{authorization}");
    verify_acs3(&request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
}

/// Values with every character that canonical encoding treats specially arrive unchanged, and
/// the query sent is exactly the one signed.
#[tokio::test]
async fn eiam_query_values_with_special_characters_are_sent_as_signed() {
    let tricky = "a b+c/d~e*f=g&h é 密钥 🙂";
    let server = server(200, vendor_example("ObtainApplicationClientSecret")).await;
    eiam_client(
        &server,
        AlibabaCredentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET),
    )
    .obtain_application_client_secret()
    .instance_id("")
    .application_id("app~1*2")
    .secret_id(tricky)
    .send()
    .await
    .unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        query(&request),
        query_of(&[
            ("ApplicationId", "app~1*2"),
            ("InstanceId", ""),
            ("SecretId", tricky)
        ])
    );
    assert_eq!(
        request.url.query(),
        Some("ApplicationId=app~1%2A2&InstanceId=&SecretId=a%20b%2Bc%2Fd~e%2Af%3Dg%26h%20%C3%A9%20%E5%AF%86%E9%92%A5%20%F0%9F%99%82")
    );
    verify_acs3(&request, ACCESS_KEY_ID, ACCESS_KEY_SECRET).unwrap();
}

#[tokio::test]
async fn developer_api_list_authentication_tokens_sends_the_bearer_token() {
    let server = server(200, vendor_example("ListAuthenticationTokens")).await;
    let context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new("at-wire-test-token"),
    ));
    let client =
        idtok_client::eiam_developerapi::Client::from_endpoint(&endpoint(&server), context)
            .unwrap();
    let response = client
        .list_authentication_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
        .credential_provider_identifier("test_example_identifier")
        .max_results(20)
        .next_token("NTxxxxxexample")
        .revoked(false)
        .expired(true)
        .send()
        .await
        .unwrap();
    assert_eq!(response.total_count, Some(100));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens"
    );
    assert_eq!(
        query(&request),
        query_of(&[
            ("consumerId", "app_ngtkgrrxxxxktg5eao6z4xxxxx"),
            ("credentialProviderIdentifier", "test_example_identifier"),
            ("expired", "true"),
            ("maxResults", "20"),
            ("nextToken", "NTxxxxxexample"),
            ("revoked", "false"),
        ])
    );
    // The action and version headers, as the official SDK sends them (docs/wire.md).
    assert_eq!(
        header_names(&request),
        [
            "accept",
            "authorization",
            "host",
            "user-agent",
            "x-acs-action",
            "x-acs-version"
        ]
    );
    assert_eq!(
        header(&request, "x-acs-action"),
        Some("ListAuthenticationTokens")
    );
    assert_eq!(header(&request, "x-acs-version"), Some("2022-02-25"));
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer at-wire-test-token")
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn identitystore_list_bearer_tokens_is_signed_with_sdk_hmac() {
    let server = server(200, vendor_example("ListBearerTokens")).await;
    let response = identitystore_client(&server, HuaweiCredentials::new(AK, SK))
        .list_bearer_tokens()
        .identity_store_id("d-1a2b3c4dxxxx")
        .tenant_id("2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx")
        .send()
        .await
        .unwrap();
    assert_eq!(response.bearer_tokens.as_ref().unwrap().len(), 2);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx/bearer-token"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(
        header_names(&request),
        [
            "accept",
            "authorization",
            "content-type",
            "host",
            "user-agent",
            "x-sdk-date"
        ]
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "x-sdk-date"), Some("20231026T102232Z"));
    assert!(header(&request, "authorization")
        .unwrap()
        .starts_with(&format!(
            "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;x-sdk-date, Signature="
        )));
    verify_sdk_hmac(&request, AK, SK).unwrap();
}

#[tokio::test]
async fn identitystore_temporary_credentials_send_and_sign_x_security_token() {
    let server = server(200, vendor_example("ListBearerTokens")).await;
    identitystore_client(
        &server,
        HuaweiCredentials::new(AK, SK).with_security_token(SECURITY_TOKEN),
    )
    .list_bearer_tokens()
    .identity_store_id("d-1")
    .tenant_id("t-1")
    .send()
    .await
    .unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-security-token"), Some(SECURITY_TOKEN));
    assert!(header(&request, "authorization")
        .unwrap()
        .contains("SignedHeaders=content-type;host;x-sdk-date;x-security-token,"));
    verify_sdk_hmac(&request, AK, SK).unwrap();
}

/// Path segments with special characters are sent in the encoding that is signed, and decode
/// back to the values given.
#[tokio::test]
async fn identitystore_path_segments_with_special_characters_are_sent_as_signed() {
    let server = server(200, vendor_example("ListBearerTokens")).await;
    let tricky = "a b+c~d*e=f&g é";
    identitystore_client(&server, HuaweiCredentials::new(AK, SK))
        .list_bearer_tokens()
        .identity_store_id(tricky)
        .tenant_id("t/1")
        .send()
        .await
        .unwrap();
    let request = only_request(&server).await;
    let segments: Vec<String> = request
        .url
        .path()
        .split('/')
        .map(idtok_testkit::percent_decode)
        .collect();
    assert_eq!(
        segments,
        [
            "",
            "v1",
            "identity-stores",
            tricky,
            "tenant",
            "t/1",
            "bearer-token"
        ]
    );
    assert_eq!(
        request.url.path(),
        "/v1/identity-stores/a%20b%2Bc~d%2Ae%3Df%26g%20%C3%A9/tenant/t%2F1/bearer-token"
    );
    verify_sdk_hmac(&request, AK, SK).unwrap();
}
