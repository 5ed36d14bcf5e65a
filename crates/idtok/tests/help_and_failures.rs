//! Help that teaches, and failures that say what happened once: `idtok` as a user runs it, in
//! the isolated environment, against a local server where a call is made.
//!
//! - Each failure path prints one line that names the operation exactly once, and a failure of
//!   the kind that is retried (5xx, network) says how many attempts were made.
//! - A mistyped family or operation gets the nearest names first, a handful at most.
//!
//! The option lists and examples of every operation's `--help` are checked against the
//! documents in `every_operation.rs`.

use idtok_testkit::Run;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ALIBABA_ENV: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tHelpKeyId"),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "help-access-key-secret"),
];
const DEVELOPER_API_ENV: [(&str, &str); 1] = [("IDAAS_ACCESS_TOKEN", "at-help-token")];

async fn idtok(args: &[&str], env: &[(&str, &str)]) -> Run {
    idtok_with_stdin(args, env, b"").await
}

/// Runs idtok with `stdin` as its standard input.
async fn idtok_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Run {
    idtok_testkit::run(env!("CARGO_BIN_EXE_idtok"), args, env, Some(stdin)).await
}

/// A server that answers every request with `status` and `body`, and a request id header.
async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_raw(body.to_owned(), "application/json")
                .insert_header("x-acs-request-id", "req-help-1"),
        )
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// A port nothing listens on: bound, then freed.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// EIAM ListApplicationTokens: the document marks it `x-idempotent`, so it is retried.
fn list_application_tokens(endpoint: &str) -> Vec<&str> {
    vec![
        "--endpoint",
        endpoint,
        "eiam",
        "list-application-tokens",
        "--instance-id",
        "i",
        "--application-id",
        "a",
        "--application-token-type",
        "bearer_token",
    ]
}

/// The developer API's GenerateJwtAuthenticationToken: not idempotent (each call makes a token),
/// so never retried.
fn generate_jwt(endpoint: &str) -> Vec<&str> {
    vec![
        "--endpoint",
        endpoint,
        "eiam-developerapi",
        "generate-jwt-authentication-token",
        "--instance-id",
        "idaas_1",
    ]
}

const JWT_BODY_FLAGS: [&str; 6] = [
    "--credential-provider-identifier",
    "p",
    "--subject",
    "alice",
    "--audiences",
    "api-a",
];

/// One line on stderr, the exit code, and the operation named once.
fn assert_failure(run: &Run, code: i32, operation: &str, line: &str) {
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (code, format!("idtok: {line}\n").as_str()),
        "stdout: {}",
        run.stdout
    );
    assert_eq!(
        run.stderr.matches(operation).count(),
        1,
        "{operation} named more than once: {}",
        run.stderr
    );
}

#[tokio::test]
async fn a_service_error_names_the_operation_once_and_no_attempts() {
    let server = answering(
        403,
        r#"{"Code":"NoPermission","Message":"You are not authorized."}"#,
    )
    .await;
    let run = idtok(&list_application_tokens(&server.uri()), &ALIBABA_ENV).await;
    assert_failure(
        &run,
        1,
        "ListApplicationTokens",
        "ListApplicationTokens failed: HTTP 403: NoPermission: You are not authorized. (request id req-help-1)",
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_5xx_after_retries_says_how_many_attempts_were_made() {
    let body = r#"{"Code":"ServiceUnavailable","Message":"Try later."}"#;
    let server = answering(503, body).await;
    let run = idtok(&list_application_tokens(&server.uri()), &ALIBABA_ENV).await;
    assert_failure(
        &run,
        1,
        "ListApplicationTokens",
        "ListApplicationTokens failed: HTTP 503: ServiceUnavailable: Try later. (after 3 attempts; request id req-help-1)",
    );
    assert_eq!(requests(&server).await, 3);

    let server = answering(503, body).await;
    let uri = server.uri();
    let mut args = list_application_tokens(&uri);
    args.extend(["--max-attempts", "2"]);
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_failure(
        &run,
        1,
        "ListApplicationTokens",
        "ListApplicationTokens failed: HTTP 503: ServiceUnavailable: Try later. (after 2 attempts; request id req-help-1)",
    );
    assert_eq!(requests(&server).await, 2);
}

/// An operation the document does not mark `x-idempotent` is sent once; its 5xx says so, as a
/// network failure with retries off does.
#[tokio::test]
async fn a_5xx_of_an_operation_that_is_not_retried_says_one_attempt() {
    let server = answering(500, r#"{"code":"InternalError","message":"Boom."}"#).await;
    let uri = server.uri();
    let mut args = generate_jwt(&uri);
    args.extend(JWT_BODY_FLAGS);
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_failure(
        &run,
        1,
        "GenerateJwtAuthenticationToken",
        "GenerateJwtAuthenticationToken failed: HTTP 500: InternalError: Boom. (after 1 attempt; request id req-help-1)",
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_network_failure_says_where_and_how_many_attempts() {
    let port = closed_port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let mut args = list_application_tokens(&endpoint);
    args.extend(["--max-attempts", "2"]);
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "idtok: ListApplicationTokens failed: 127.0.0.1:{port}: "
        )) && run.stderr.ends_with(" (after 2 attempts)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("ListApplicationTokens").count(), 1);
}

/// A success answer that is not the documented JSON: kept and printed, and said once.
#[tokio::test]
async fn an_answer_that_does_not_decode_names_the_operation_once() {
    let server = answering(200, r#"{"ApplicationTokens":"not a list"}"#).await;
    let run = idtok(&list_application_tokens(&server.uri()), &ALIBABA_ENV).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "{\"ApplicationTokens\":\"not a list\"}\n");
    assert!(
        run.stderr
            .starts_with("idtok: ListApplicationTokens failed: HTTP 200: the answer is not the documented JSON: ")
            && run.stderr.ends_with("was kept and printed on stdout as received\n"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("ListApplicationTokens").count(), 1);
    assert_eq!(run.stderr.lines().count(), 1);
}

/// What the command line gives that cannot be sent: a body without a required field, none at
/// all, one that does not fit the document, an object flag that is not one; nothing is sent.
#[tokio::test]
async fn a_body_that_cannot_be_sent_names_the_operation_once() {
    let server = answering(200, "{}").await;
    let uri = server.uri();
    let operation = "GenerateJwtAuthenticationToken";

    let mut args = generate_jwt(&uri);
    args.extend([
        "--subject",
        "alice",
        "--credential-provider-identifier",
        "p",
    ]);
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_failure(
        &run,
        2,
        operation,
        "GenerateJwtAuthenticationToken failed: the request body lacks --audiences (or \"audiences\" in --json-body)",
    );

    let run = idtok(&generate_jwt(&uri), &DEVELOPER_API_ENV).await;
    assert_failure(
        &run,
        2,
        operation,
        "GenerateJwtAuthenticationToken failed: no request body: give --audiences (or \"audiences\" in --json-body), --credential-provider-identifier (or \"credentialProviderIdentifier\" in --json-body), --subject (or \"subject\" in --json-body)",
    );

    let mut args = generate_jwt(&uri);
    args.extend(["--json-body", "-"]);
    let body = br#"{"subject": 3, "audiences": ["a"], "credentialProviderIdentifier": "p"}"#;
    let run = idtok_with_stdin(&args, &DEVELOPER_API_ENV, body).await;
    assert_failure(
        &run,
        2,
        operation,
        "GenerateJwtAuthenticationToken failed: the request body does not fit the document at `subject`: invalid type: integer `3`, expected a string",
    );

    let mut args = generate_jwt(&uri);
    args.extend(JWT_BODY_FLAGS);
    args.extend(["--custom-claims", "no-equals-sign"]);
    let run = idtok(&args, &DEVELOPER_API_ENV).await;
    assert_failure(
        &run,
        2,
        operation,
        "GenerateJwtAuthenticationToken failed: --custom-claims: give a JSON object or key=value, not \"no-equals-sign\"",
    );
    assert_eq!(requests(&server).await, 0);
}

/// The client refuses to make the request (here: no credentials to sign it with): a usage error,
/// exit 2, the operation named once.
#[tokio::test]
async fn a_request_the_client_cannot_make_names_the_operation_once() {
    let server = answering(200, "{}").await;
    let run = idtok(
        &[
            "--endpoint",
            &server.uri(),
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "idaas_1",
            "--consumer-id",
            "c",
            "--credential-provider-identifier",
            "p",
        ],
        &[],
    )
    .await;
    assert_failure(
        &run,
        2,
        "ListAuthenticationTokens",
        "ListAuthenticationTokens failed: no IDaaS access token: set IDAAS_ACCESS_TOKEN, or IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET and IDAAS_APPLICATION_ID to obtain one",
    );
    assert_eq!(requests(&server).await, 0);
}

// ---- A mistyped family or operation ---------------------------------------------------------

/// The names of the "tip:" line of a usage error, in order; empty without one.
fn tip(stderr: &str) -> Vec<String> {
    let Some(line) = stderr.lines().find(|l| l.trim_start().starts_with("tip:")) else {
        return Vec::new();
    };
    line.split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// A mistyped name is a usage error (exit 2, nothing sent) whose tip gives the nearest names of
/// its level first, a handful at most; a name near nothing gets no tip.
#[tokio::test]
async fn a_mistyped_operation_or_family_suggests_the_nearest_names_first() {
    let server = answering(200, "{}").await;
    let uri = server.uri();
    // The command line, the mistyped name, the tip's names.
    let cases: [(&[&str], &str, &[&str]); 6] = [
        (
            &["eiam", "list-aplication-tokens"],
            "list-aplication-tokens",
            &[
                "list-application-tokens",
                "list-application-roles",
                "create-application-token",
                "delete-application-token",
                "disable-application-token",
            ],
        ),
        (&["eim", "list-application-tokens"], "eim", &["eiam"]),
        // Global flags and their values before the names are skipped, not taken for them.
        (
            &[
                "--region",
                "eiam",
                "-o",
                "yaml",
                "eiam-developerapi",
                "list-authentcation-tokens",
            ],
            "list-authentcation-tokens",
            &[
                "list-authentication-tokens",
                "validate-authentication-token",
                "reinstate-authentication-token",
                "revoke-authentication-token",
            ],
        ),
        (
            &["sts", "assume"],
            "assume",
            &[
                "assume-role",
                "assume-role-with-oidc",
                "assume-role-with-saml",
            ],
        ),
        (
            &["--endpoint", &uri, "eiam", "lst-instances"],
            "lst-instances",
            &["list-instances", "get-instance"],
        ),
        (&["eiam", "zzzzzz"], "zzzzzz", &[]),
    ];
    for (args, typed, nearest) in cases {
        let run = idtok(args, &ALIBABA_ENV).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("error: unrecognized subcommand '{typed}'\n")),
            "{}",
            run.stderr
        );
        assert_eq!(tip(&run.stderr), nearest, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
    }
    assert_eq!(requests(&server).await, 0);
}

// ---- The operation's name ---------------------------------------------------------------------

fn assume_role_with_oidc(endpoint: &str) -> Vec<&str> {
    vec![
        "--endpoint",
        endpoint,
        "sts",
        "assume-role-with-oidc",
        "--oidc-provider-arn",
        "acs:ram::1:oidc-provider/idp",
        "--role-arn",
        "acs:ram::1:role/r",
        "--oidc-token",
        "eyJ-oidc-token",
        "--role-session-name",
        "alice",
    ]
}

/// `AssumeRoleWithOIDC`, as the document and the vendor name it (not `AssumeRoleWithOidc`, the
/// upper camel case of the subcommand): in a failure, and where idtok looks up what the document
/// says of it, such as which fields of its answer a table masks.
#[tokio::test]
async fn an_operation_is_named_as_the_document_names_it() {
    let server = answering(
        400,
        r#"{"Code":"InvalidParameter.OIDCToken","Message":"Bad token."}"#,
    )
    .await;
    let run = idtok(&assume_role_with_oidc(&server.uri()), &[]).await;
    assert_failure(
        &run,
        1,
        "AssumeRoleWithOIDC",
        "AssumeRoleWithOIDC failed: HTTP 400: InvalidParameter.OIDCToken: Bad token. (request id req-help-1)",
    );

    let answer = r#"{"RequestId":"r1","Credentials":{"AccessKeyId":"STS.oidc-key-id","AccessKeySecret":"SECRET-OIDC-KEY","Expiration":"2021-10-20T04:27:09Z","SecurityToken":"SECRET-OIDC-TOKEN"}}"#;
    let server = answering(200, answer).await;
    let uri = server.uri();
    let mut args = assume_role_with_oidc(&uri);
    args.extend(["--output", "table"]);
    let run = idtok(&args, &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The operation's table is found by its name: its columns are the document's (those of the
    // object holding what it hands out, Credentials, in the document's order), not the keys of
    // the answer as it came.
    assert!(
        run.stdout.starts_with("SecurityToken      Expiration"),
        "not the document's table:\n{}",
        run.stdout
    );
    // And the credentials it hands out are shown (x-issues-secret).
    let mut args = assume_role_with_oidc(&uri);
    args.extend(["--output", "table", "--query", "Credentials"]);
    let run = idtok(&args, &[]).await;
    assert!(
        run.stdout.contains("STS.oidc-key-id")
            && run.stdout.contains("SECRET-OIDC-KEY")
            && !run.stdout.contains("********"),
        "{}",
        run.stdout
    );
}
