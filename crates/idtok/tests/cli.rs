//! `idtok` as a user runs it, against a local server that records each request: the five
//! operations go out as docs/wire.md says and their signatures verify, the response is printed as the
//! server sent it, failures print one clear line with the right exit code; request bodies from
//! flags, files and stdin; `--debug` and `--dry-run`.

use std::collections::BTreeMap;

use idtok_testkit::{header, query, verify_acs3, verify_sdk_hmac, Run};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCESS_KEY_ID: &str = "LTAI5tCliTestKeyId";
const ACCESS_KEY_SECRET: &str = "cli-test-access-key-secret";
const AK: &str = "CLITESTAK";
const SK: &str = "cli-test-sk";
const ACCESS_TOKEN: &str = "at-cli-test-token";

async fn idtok(args: &[&str], env: &[(&str, &str)]) -> Run {
    idtok_with_stdin(args, env, b"").await
}

/// Runs idtok with `stdin` as its standard input.
async fn idtok_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Run {
    idtok_testkit::run(env!("CARGO_BIN_EXE_idtok"), args, env, Some(stdin)).await
}

const ALIBABA_ENV: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET),
];
const HUAWEI_ENV: [(&str, &str); 2] = [("HUAWEICLOUD_SDK_AK", AK), ("HUAWEICLOUD_SDK_SK", SK)];

fn vendor_example(operation: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../xtask/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

async fn server(status: u16, body: String, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body, content_type)
                .insert_header("x-acs-request-id", "hdr-request-id"),
        )
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

fn query_of(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
        .collect()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// An EIAM operation: subcommand, flags, action, query expected on the wire.
type EiamCase<'a> = (&'a str, &'a [&'a str], &'a str, &'a [(&'a str, &'a str)]);

#[tokio::test]
async fn eiam_operations_go_out_signed_and_print_the_response() {
    let cases: [EiamCase; 3] = [
        (
            "list-application-tokens",
            &[
                "--instance-id",
                "idaas_ue2jvisn35ea5lmthk267xxxxx",
                "--application-id",
                "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
                "--application-token-type",
                "bearer_token",
            ],
            "ListApplicationTokens",
            &[
                ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
                ("ApplicationTokenType", "bearer_token"),
                ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
            ],
        ),
        (
            "obtain-application-token",
            &[
                "--instance-id",
                "idaas_ue2jvisn35ea5lmthk267xxxxx",
                "--application-id",
                "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
                "--application-token-id",
                "token_sfrwerxxxxxxxxxxxxxx",
            ],
            "ObtainApplicationToken",
            &[
                ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
                ("ApplicationTokenId", "token_sfrwerxxxxxxxxxxxxxx"),
                ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
            ],
        ),
        (
            "obtain-application-client-secret",
            &[
                "--instance-id",
                "eiam-111ccc1111",
                "--application-id",
                "app_11111",
                "--secret-id",
                "sct 1+1/é",
            ],
            "ObtainApplicationClientSecret",
            &[
                ("ApplicationId", "app_11111"),
                ("InstanceId", "eiam-111ccc1111"),
                ("SecretId", "sct 1+1/é"),
            ],
        ),
    ];
    for (subcommand, flags, action, expected_query) in cases {
        let example = vendor_example(action);
        let server = server(200, example.clone(), "application/json").await;
        let uri = server.uri();
        let mut args = vec!["--endpoint", uri.as_str(), "eiam", subcommand];
        args.extend_from_slice(flags);
        let run = idtok(&args, &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{action}: {}", run.stderr);
        assert_eq!(run.stderr, "");
        // The response as JSON, secrets included: that is what the user asked for.
        assert_eq!(json(&run.stdout), json(&example), "{action}");

        let request = only_request(&server).await;
        assert_eq!(
            (request.method.as_str(), request.url.path()),
            ("POST", "/"),
            "{action}"
        );
        assert_eq!(header(&request, "x-acs-action"), Some(action));
        assert_eq!(header(&request, "x-acs-version"), Some("2021-12-01"));
        assert_eq!(query(&request), query_of(expected_query), "{action}");
        assert!(header(&request, "api-version").is_none());
        verify_acs3(&request, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
            .unwrap_or_else(|e| panic!("{action}: {e}"));
    }
}

#[tokio::test]
async fn developer_api_list_authentication_tokens_with_boolean_and_integer_flags() {
    let example = vendor_example("ListAuthenticationTokens");
    let server = server(200, example.clone(), "application/json").await;
    let uri = server.uri();
    let mut args = list_tokens_args(&uri);
    args.extend(["--revoked", "false", "--max-results", "20"]);
    let run = idtok(&args, &[("IDAAS_ACCESS_TOKEN", ACCESS_TOKEN)]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run.stdout), json(&example));
    let request = only_request(&server).await;
    assert_eq!(
        (request.method.as_str(), request.url.path()),
        (
            "GET",
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens"
        )
    );
    assert_eq!(
        query(&request),
        query_of(&[
            ("consumerId", "app_ngtkgrrxxxxktg5eao6z4xxxxx"),
            ("credentialProviderIdentifier", "test_example_identifier"),
            ("maxResults", "20"),
            ("revoked", "false"),
        ])
    );
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str())
    );
}

#[tokio::test]
async fn developer_api_access_token_from_client_credentials() {
    const CLIENT_SECRET: &str = "sentinel-cli-client-secret-31ad";
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(
        "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/oauth2/token",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_raw(
        r#"{"access_token":"at-from-client-credentials","token_type":"Bearer","expires_in":1200}"#,
        "application/json",
    ))
    .mount(&server)
    .await;
    Mock::given(wiremock::matchers::path(
        "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"entities":[]}"#, "application/json"))
    .mount(&server)
    .await;
    let uri = server.uri();
    let run = idtok(
        &list_tokens_args(&uri),
        &[
            ("IDAAS_CLIENT_ID", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
            ("IDAAS_CLIENT_SECRET", CLIENT_SECRET),
            ("IDAAS_APPLICATION_ID", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    // The token endpoint of the call's instance (no IDAAS_INSTANCE_ID), with the grant in the
    // form body and nothing in the URL.
    assert_eq!(requests[0].url.query(), None);
    let form: std::collections::BTreeMap<String, String> =
        form_urlencoded::parse(&requests[0].body)
            .into_owned()
            .collect();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_secret"], CLIENT_SECRET);
    assert_eq!(
        header(&requests[1], "authorization"),
        Some("Bearer at-from-client-credentials")
    );
    assert!(!run.stderr.contains(CLIENT_SECRET) && !run.stdout.contains(CLIENT_SECRET));
}

#[tokio::test]
async fn developer_api_without_any_credentials_names_both_ways_to_give_them() {
    let run = idtok(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "idaas_ue2jvisn35ea5lmthk267xxxxx",
            "--consumer-id",
            "c",
            "--credential-provider-identifier",
            "p",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("IDAAS_ACCESS_TOKEN") && run.stderr.contains("IDAAS_CLIENT_ID"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn identitystore_list_bearer_tokens_with_the_security_token_flag() {
    let example = vendor_example("ListBearerTokens");
    let server = server(200, example.clone(), "application/json").await;
    let uri = server.uri();
    let run = idtok(
        &[
            "--region",
            "cn-north-4", // --endpoint wins
            "identitystore",
            "list-bearer-tokens",
            "--endpoint",
            &uri, // global flags are accepted after the family too
            "--identity-store-id",
            "d-1a2b3c4dxxxx",
            "--tenant-id",
            "2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx",
            "--x-security-token",
            "cli-session-token",
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Huawei's integer-valued JSON numbers come back as the vendor wrote them.
    assert_eq!(json(&run.stdout), json(&example));
    let request = only_request(&server).await;
    assert_eq!(
        (request.method.as_str(), request.url.path()),
        ("GET", "/v1/identity-stores/d-1a2b3c4dxxxx/tenant/2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx/bearer-token")
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        header(&request, "x-security-token"),
        Some("cli-session-token")
    );
    verify_sdk_hmac(&request, AK, SK).unwrap();
}

const LIST_FLAGS: [&str; 8] = [
    "eiam",
    "list-application-tokens",
    "--instance-id",
    "i",
    "--application-id",
    "a",
    "--application-token-type",
    "bearer_token",
];

/// `idtok <global> eiam list-application-tokens ...`
async fn eiam_list(global: &[&str], env: &[(&str, &str)]) -> Run {
    idtok(&[global, &LIST_FLAGS].concat(), env).await
}

async fn eiam_list_against(server: &MockServer) -> Run {
    eiam_list(&["--endpoint", &server.uri()], &ALIBABA_ENV).await
}

#[tokio::test]
async fn a_vendor_error_prints_operation_status_code_message_and_request_id_and_exits_1() {
    let body = r#"{"RequestId":"0441BD79-92F3-53AA-8657-F8CE4A2B912A","HostId":"eiam.cn-hangzhou.aliyuncs.com","Code":"NoPermission","Message":"You are not authorized to perform this operation."}"#;
    let server = server(403, body.to_owned(), "application/json").await;
    let run = eiam_list_against(&server).await;
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "idtok: ListApplicationTokens failed: HTTP 403: NoPermission: You are not authorized to perform this operation. (request id hdr-request-id, host eiam.cn-hangzhou.aliyuncs.com)\n"
    );
}

#[tokio::test]
async fn an_error_page_that_is_not_json_still_gives_status_and_an_excerpt() {
    let server = server(
        502,
        "<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned(),
        "text/html",
    )
    .await;
    let run = eiam_list_against(&server).await;
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "idtok: ListApplicationTokens failed: HTTP 502: body: <html><body><h1>502 Bad Gateway</h1></body></html> (after 3 attempts; request id hdr-request-id)\n"
    );
}

#[tokio::test]
async fn usage_and_configuration_errors_exit_2_and_say_what_to_do() {
    // Missing credentials: every provider of the default chain, and why it gave none.
    let run = eiam_list(&["--endpoint", "http://127.0.0.1:9"], &[]).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "idtok: no Alibaba Cloud credentials from any provider of the default chain:\n  env: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set\n  cli_profile: "
        ) && run.stderr.contains("\n  ecs_ram_role: "),
        "{}",
        run.stderr
    );
    // Plain http to a remote host.
    let run = eiam_list(&["--endpoint", "http://example.com"], &ALIBABA_ENV).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("idtok: refusing plain http:// to example.com"),
        "{}",
        run.stderr
    );
    // A missing required flag.
    let run = idtok(
        &[
            "--region",
            "cn-hangzhou",
            "eiam",
            "list-application-tokens",
            "--instance-id",
            "i",
        ],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--application-id"), "{}", run.stderr);
    // No endpoint at all; an unknown region.
    let run = eiam_list(&[], &ALIBABA_ENV).await;
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "idtok: no region: give --region <id> or --endpoint <url>, or set ALIBABA_CLOUD_REGION_ID or the aliyun CLI profile's region_id\n")
    );
    let run = eiam_list(&["--region", "mars-1"], &ALIBABA_ENV).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("idtok: unknown region \"mars-1\" for Alibaba Cloud IDaaS EIAM"),
        "{}",
        run.stderr
    );
    // A boolean flag needs a boolean.
    let run = idtok(
        &[
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "i",
            "--consumer-id",
            "c",
            "--credential-provider-identifier",
            "p",
            "--revoked",
            "maybe",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'maybe' for '--revoked"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn an_unreachable_service_exits_3() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = eiam_list(
        &["--endpoint", &format!("http://127.0.0.1:{port}")],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("idtok: ListApplicationTokens failed: "),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(ACCESS_KEY_SECRET));
}

#[tokio::test]
async fn help_explains_families_operations_and_flags_from_the_documents() {
    let run = idtok(&["--help"], &[]).await;
    assert_eq!(run.code, 0);
    for family in [
        "eiam",
        "eiam-developerapi",
        "identitystore",
        "--region",
        "--endpoint",
    ] {
        assert!(
            run.stdout.contains(family),
            "{family} missing from:\n{}",
            run.stdout
        );
    }
    let run = idtok(&["eiam", "obtain-application-client-secret", "--help"], &[]).await;
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("Obtains the client secret for an EIAM application."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--secret-id <secret-id>"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("The client secret ID of the application."),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_failing_service_is_retried_as_the_global_flags_say() {
    let failing = || {
        server(
            503,
            r#"{"Code":"ServiceUnavailable"}"#.to_owned(),
            "application/json",
        )
    };
    let by_default = failing().await;
    let run = eiam_list_against(&by_default).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(by_default.received_requests().await.unwrap().len(), 3);

    let once = failing().await;
    let run = eiam_list(
        &["--endpoint", &once.uri(), "--max-attempts", "1"],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(once.received_requests().await.unwrap().len(), 1);

    let run = eiam_list(
        &["--endpoint", &once.uri(), "--max-attempts", "0"],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[tokio::test]
async fn a_call_past_its_timeout_exits_3() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(10)))
        .mount(&server)
        .await;
    let run = eiam_list(
        &["--endpoint", &server.uri(), "--timeout", "0.5"],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    // Where it tried, and how often.
    assert_eq!(
        run.stderr,
        format!(
            "idtok: ListApplicationTokens failed: {}: timed out (after 1 attempt)\n",
            server.address()
        )
    );
}

#[tokio::test]
async fn failures_never_print_a_secret_from_the_environment() {
    const SENTINELS: [&str; 5] = [
        "SENTINEL-cli-access-key-secret",
        "SENTINEL-cli-sts-token",
        "SENTINEL-cli-sk",
        "SENTINEL-cli-huawei-token",
        "SENTINEL-cli-bearer",
    ];
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SENTINELS[0]),
        ("ALIBABA_CLOUD_SECURITY_TOKEN", SENTINELS[1]),
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", SENTINELS[2]),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", SENTINELS[3]),
        ("IDAAS_ACCESS_TOKEN", SENTINELS[4]),
    ];
    let failing = server(
        503,
        r#"{"Code":"ServiceUnavailable","Message":"Later."}"#.to_owned(),
        "application/json",
    )
    .await;
    let uri = failing.uri();
    let runs: [&[&str]; 3] = [
        &LIST_FLAGS,
        &[
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "i",
            "--consumer-id",
            "c",
            "--credential-provider-identifier",
            "p",
        ],
        &[
            "identitystore",
            "list-bearer-tokens",
            "--identity-store-id",
            "d",
            "--tenant-id",
            "t",
        ],
    ];
    for flags in runs {
        let run = idtok(
            &[&["--endpoint", &uri, "--max-attempts", "2"], flags].concat(),
            &env,
        )
        .await;
        assert_eq!(run.code, 1, "{}", run.stderr);
        for sentinel in SENTINELS {
            assert!(!run.stderr.contains(sentinel), "{}", run.stderr);
            assert!(!run.stdout.contains(sentinel), "{}", run.stdout);
        }
    }
}

// ---- What the server sent, printed as sent -----------------------------------------------------

const DEVELOPER_API_ENV: [(&str, &str); 1] = [("IDAAS_ACCESS_TOKEN", ACCESS_TOKEN)];

fn list_tokens_args(uri: &str) -> Vec<&str> {
    vec![
        "--endpoint",
        uri,
        "eiam-developerapi",
        "list-authentication-tokens",
        "--instance-id",
        "idaas_ue2jvisn35ea5lmthk267xxxxx",
        "--consumer-id",
        "app_ngtkgrrxxxxktg5eao6z4xxxxx",
        "--credential-provider-identifier",
        "test_example_identifier",
    ]
}

/// Every field (those the document does not know too), keys in the server's order, numbers as
/// written, and an empty page as `[]`, so that `jq '.entities[]'` works on it.
#[tokio::test]
async fn the_answer_is_printed_as_the_server_sent_it() {
    let body = r#"{"totalCount":0,"entities":[],"nextToken":"","zNewField":{"b":1,"a":[1.50,"x"]},"maxResults":20}"#;
    let server = server(200, body.to_owned(), "application/json").await;
    let uri = server.uri();
    let run = idtok(&list_tokens_args(&uri), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "{\n  \"totalCount\": 0,\n  \"entities\": [],\n  \"nextToken\": \"\",\n  \"zNewField\": {\n    \"b\": 1,\n    \"a\": [\n      1.50,\n      \"x\"\n    ]\n  },\n  \"maxResults\": 20\n}\n"
    );
    let mut args = list_tokens_args(&uri);
    args.push("--compact");
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{body}\n"));
}

/// An answer that is JSON but not the documented type is still reported, not printed as success.
#[tokio::test]
async fn an_answer_of_the_wrong_shape_is_reported_and_kept() {
    let body = r#"{"entities":"not a list"}"#;
    let server = server(200, body.to_owned(), "application/json").await;
    let uri = server.uri();
    let run = idtok(&list_tokens_args(&uri), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, format!("{body}\n"));
    assert!(
        run.stderr.starts_with("idtok: ListAuthenticationTokens failed: HTTP 200: the answer is not the documented JSON")
            && run.stderr.trim_end().ends_with("was kept and printed on stdout as received"),
        "{}",
        run.stderr
    );
}

// ---- Request bodies from flags, files and stdin ------------------------------------------------

const JWT_ANSWER: &str = r#"{"authenticationTokenId":"atntkn_1","jwtContent":{"jwtValue":"eyJ"}}"#;

fn generate_jwt_args(uri: &str) -> Vec<&str> {
    vec![
        "--endpoint",
        uri,
        "eiam-developerapi",
        "generate-jwt-authentication-token",
        "--instance-id",
        "idaas_ue2jvisn35ea5lmthk267xxxxx",
    ]
}

fn body_of(request: &Request) -> serde_json::Value {
    serde_json::from_slice(&request.body).unwrap()
}

/// Every body property is a flag: strings, integers, booleans, repeated flags for arrays, and
/// objects as JSON or key=value pairs.
#[tokio::test]
async fn a_body_from_flags_alone() {
    let server = server(200, JWT_ANSWER.to_owned(), "application/json").await;
    let uri = server.uri();
    let mut args = generate_jwt_args(&uri);
    args.extend([
        "--credential-provider-identifier",
        "my provider",
        "--subject",
        "user+1@example.com",
        "--audiences",
        "a",
        "--audiences",
        "b",
        "--custom-claims",
        "department=ops=1",
        "--custom-claims",
        r#"{"level": 3}"#,
        "--expiration",
        "900",
        "--include-derived-short-token",
        "true",
    ]);
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        body_of(&only_request(&server).await),
        serde_json::json!({
            "credentialProviderIdentifier": "my provider",
            "subject": "user+1@example.com",
            "audiences": ["a", "b"],
            "customClaims": {"department": "ops=1", "level": 3},
            "expiration": 900,
            "includeDerivedShortToken": true,
        })
    );
}

/// `--json-body -` reads stdin, a file works the same way, and flags override its fields.
#[tokio::test]
async fn a_body_from_stdin_or_a_file_with_flags_overriding_its_fields() {
    let given = r#"{"credentialProviderIdentifier":"p","subject":"from-stdin","audiences":["x"],"expiration":60}"#;
    for from_file in [false, true] {
        let server = server(200, JWT_ANSWER.to_owned(), "application/json").await;
        let uri = server.uri();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), given).unwrap();
        let path = file.path().display().to_string();
        let mut args = generate_jwt_args(&uri);
        args.extend([
            "--json-body",
            if from_file { &path } else { "-" },
            "--subject",
            "from-flag",
        ]);
        let stdin = if from_file {
            &b""[..]
        } else {
            given.as_bytes()
        };
        let run = idtok_with_stdin(&args, &DEVELOPER_API_ENV, stdin).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            body_of(&only_request(&server).await),
            serde_json::json!({
                "credentialProviderIdentifier": "p",
                "subject": "from-flag",
                "audiences": ["x"],
                "expiration": 60,
            })
        );
    }
}

/// A secret flag's `-` reads the value from stdin: sent as given, never shown by `--debug`; and a
/// second value from stdin is refused before anything is sent.
#[tokio::test]
async fn a_secret_flag_takes_its_value_from_stdin_and_keeps_it_out_of_debug() {
    const TOKEN: &str = "oidc-token-from-stdin-7f3a";
    let answer = std::fs::read_to_string(format!(
        "{}/tests/vendor-examples/AssumeRoleWithOIDC.json",
        env!("CARGO_MANIFEST_DIR").replace("/crates/idtok", "/crates/idtok-client")
    ))
    .unwrap();
    let server = server(200, answer, "application/json").await;
    let uri = server.uri();
    let args = [
        "--endpoint",
        &uri,
        "--debug",
        "sts",
        "assume-role-with-oidc",
        "--oidc-provider-arn",
        "acs:ram::1:oidc-provider/p",
        "--role-arn",
        "acs:ram::1:role/r",
        "--role-session-name",
        "session",
        "--oidc-token",
        "-",
    ];
    let run = idtok_with_stdin(&args, &[], format!("{TOKEN}\n").as_bytes()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    assert_eq!(query(&request)["OIDCToken"], [TOKEN]);
    assert!(!run.stderr.contains(TOKEN), "{}", run.stderr);

    let twice = [&args[..], &["--json-body", "-"]].concat();
    let run = idtok_with_stdin(&twice, &[], TOKEN.as_bytes()).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("only one value can come from"),
        "{}",
        run.stderr
    );
}

/// A list flag takes its items from a file too: a JSON array, or one item per line.
#[tokio::test]
async fn a_list_flag_reads_its_items_from_a_file() {
    for (text, audiences) in [
        ("a1\n\n a2 \n", vec!["a1", "a2"]),
        (r#"["j1", "j2"]"#, vec!["j1", "j2"]),
    ] {
        let server = server(200, JWT_ANSWER.to_owned(), "application/json").await;
        let uri = server.uri();
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let at_file = format!("@{}", file.path().display());
        let mut args = generate_jwt_args(&uri);
        args.extend([
            "--credential-provider-identifier",
            "p",
            "--subject",
            "s",
            "--expiration",
            "60",
            "--audiences",
            &at_file,
        ]);
        let run = idtok(&args, &DEVELOPER_API_ENV).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            body_of(&only_request(&server).await)["audiences"],
            serde_json::json!(audiences)
        );
    }
}

/// A missing required field is named with its flag; a body that is not JSON is refused; neither
/// sends anything.
#[tokio::test]
async fn a_body_that_lacks_a_field_or_is_not_json_is_refused_before_sending() {
    let server = server(200, JWT_ANSWER.to_owned(), "application/json").await;
    let uri = server.uri();
    let mut args = generate_jwt_args(&uri);
    args.extend(["--subject", "s"]);
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--credential-provider-identifier")
            && run.stderr.contains("--audiences"),
        "{}",
        run.stderr
    );
    let mut args = generate_jwt_args(&uri);
    args.extend(["--json-body", "-"]);
    let run = idtok_with_stdin(&args, &DEVELOPER_API_ENV, b"{not json").await;
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not JSON"), "{}", run.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// `--json-body-template` prints the document's example body and needs nothing else.
#[tokio::test]
async fn the_body_template_is_the_documents_example() {
    let run = idtok(
        &[
            "eiam-developerapi",
            "generate-jwt-authentication-token",
            "--json-body-template",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let template = json(&run.stdout);
    assert_eq!(
        template["credentialProviderIdentifier"],
        "test_example_identifier"
    );
    assert_eq!(
        template["audiences"],
        serde_json::json!(["test_jwt_audience"])
    );
}

/// `--parameter-template <flag>` prints a skeleton of an object parameter with every field the
/// document has (its examples filled in), needing no other flag; edited and given back as
/// `@file`, it goes out flattened in the query, the fields left `null` left out.
#[tokio::test]
async fn an_object_parameter_from_its_template_edited_in_a_file() {
    let run = idtok(
        &[
            "eiam",
            "create-credential",
            "--parameter-template",
            "credential-content",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut template = json(&run.stdout);
    assert!(
        template["ApiKeyContent"]["ApiKey"].is_string()
            && template["OAuthClientContent"]["ClientId"].is_string()
            && template["OAuthClientContent"]["ClientSecret"].is_string(),
        "{template:#}"
    );
    template["ApiKeyContent"]["ApiKey"] = "key-from-file".into();
    template["OAuthClientContent"] = serde_json::Value::Null;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), template.to_string()).unwrap();
    let at_file = format!("@{}", file.path().display());

    let server = server(200, r#"{"RequestId":"r"}"#.to_owned(), "application/json").await;
    let uri = server.uri();
    let args = [
        "--endpoint",
        uri.as_str(),
        "eiam",
        "create-credential",
        "--instance-id",
        "i",
        "--credential-identifier",
        "c",
        "--credential-name",
        "n",
        "--credential-type",
        "api_key",
        "--client-token",
        "t",
        "--credential-content",
        &at_file,
    ];
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = query(&only_request(&server).await);
    assert_eq!(
        sent.get("CredentialContent.ApiKeyContent.ApiKey"),
        Some(&vec!["key-from-file".to_owned()])
    );
    assert!(
        !sent.keys().any(|k| k.contains("OAuthClientContent")),
        "{sent:?}"
    );

    // A file that is not a JSON object is refused, naming the flag, before anything is sent.
    std::fs::write(file.path(), "[1, 2]").unwrap();
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("--credential-content") && run.stderr.contains("not a JSON object"),
        "{}",
        run.stderr
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

// ---- --debug and --dry-run ---------------------------------------------------------------------

/// `--dry-run` prints the signed request, secrets redacted, and sends nothing.
#[tokio::test]
async fn dry_run_prints_the_request_and_sends_nothing() {
    let server = server(200, "{}".to_owned(), "application/json").await;
    let uri = server.uri();
    let run = idtok(
        &[
            "--endpoint",
            &uri,
            "--dry-run",
            "eiam-developerapi",
            "generate-token",
            "--instance-id",
            "idaas_1",
            "--application-id",
            "app_1",
            "--grant-type",
            "client_credentials",
            "--client-id",
            "app_1",
            "--client-secret",
            "dry-run-client-secret",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
    // JSON like every command's output: method, url, headers, body.
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).expect(&run.stdout);
    assert_eq!(shown["method"], "POST");
    assert_eq!(shown["url"], format!("{uri}/v2/idaas_1/app_1/oauth2/token"));
    assert_eq!(shown["headers"]["x-acs-action"], "GenerateToken");
    assert_eq!(
        shown["body"],
        "client_id=app_1&client_secret=%3Credacted%3E&grant_type=client_credentials"
    );
    assert!(!run.stdout.contains("dry-run-client-secret"));

    let list = |more: &'static [&'static str]| {
        let uri = uri.clone();
        async move {
            let mut args = vec![
                "--endpoint".to_owned(),
                uri,
                "--dry-run".to_owned(),
                "eiam".to_owned(),
                "list-application-tokens".to_owned(),
            ];
            args.extend(
                [
                    "--instance-id",
                    "i",
                    "--application-id",
                    "a",
                    "--application-token-type",
                    "bearer_token",
                ]
                .iter()
                .chain(more)
                .map(|s| s.to_string()),
            );
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            idtok(&args, &ALIBABA_ENV).await
        }
    };
    let run = list(&[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).expect(&run.stdout);
    assert_eq!(shown["headers"]["authorization"], "<redacted>");
    assert!(shown["headers"]["x-acs-signature-nonce"].is_string());
    // The headers in the order they are sent, not sorted.
    let names: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .split_once("\": ")
                .map(|(k, _)| k)
        })
        .collect();
    let position = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(
        position("x-acs-action") < position("authorization"),
        "{names:?}"
    );
    // -o yaml and --query, as every command takes them.
    let run = list(&["-o", "yaml"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("method: POST\nurl: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  authorization: <redacted>\n"),
        "{}",
        run.stdout
    );
    let run = list(&["--query", "headers.\"x-acs-action\"", "-o", "text"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "ListApplicationTokens\n");
    assert!(!run.stdout.contains(ACCESS_KEY_SECRET));
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// `--debug` shows each attempt: what was sent (secret headers redacted), the status and request
/// id, and the retry decision; never a secret.
#[tokio::test]
async fn debug_shows_each_attempt_and_the_retry_decision() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw(
                    r#"{"Code":"ServiceUnavailable","Message":"busy"}"#,
                    "application/json",
                )
                .insert_header("x-acs-request-id", "req-503"),
        )
        .mount(&server)
        .await;
    let run = eiam_list(
        &[
            "--endpoint",
            &server.uri(),
            "--debug",
            "--max-attempts",
            "2",
        ],
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sending: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("sending POST"))
        .collect();
    assert_eq!(sending.len(), 2, "{}", run.stderr);
    assert!(
        sending[0].contains("authorization: <redacted>"),
        "{}",
        sending[0]
    );
    assert!(run.stderr.contains("status=503"), "{}", run.stderr);
    assert!(
        run.stderr.contains("request_id=\"req-503\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("retrying") && run.stderr.contains("wait_ms="),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no retry: no attempts left"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(ACCESS_KEY_SECRET));
}
