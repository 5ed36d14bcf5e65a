//! Safe in scripts and at a shell: nothing a user needs is hidden or invented, and every command
//! speaks the same output language. `idtok` runs as a subprocess against a local server.

use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCESS_TOKEN: &str = "at-scripts-token";
const DEVELOPER_API_ENV: [(&str, &str); 1] = [("IDAAS_ACCESS_TOKEN", ACCESS_TOKEN)];
const ALIBABA_ENV: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tScriptsKeyId"),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "scripts-access-key-secret",
    ),
];
const HUAWEI_ENV: [(&str, &str); 2] = [
    ("HUAWEICLOUD_SDK_AK", "HPUAScriptsAccessKey"),
    ("HUAWEICLOUD_SDK_SK", "scripts-secret-key"),
];

async fn idtok(args: &[&str], env: &[(&str, &str)]) -> idtok_testkit::Run {
    idtok_testkit::run(env!("CARGO_BIN_EXE_idtok"), args, env, None).await
}

async fn idtok_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: &str) -> idtok_testkit::Run {
    idtok_testkit::run(
        env!("CARGO_BIN_EXE_idtok"),
        args,
        env,
        Some(stdin.as_bytes()),
    )
    .await
}

async fn answering(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;
    server
}

fn args<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

// ---- 1. A created secret is never masked -------------------------------------------------------

const BEARER_TOKEN: &str = r#"{"creation_time":1754278569275,"expiration_time":1785814569000,"token":"SCIM-TOKEN-SHOWN-ONCE","token_id":"715ad873-3b32"}"#;

#[tokio::test]
async fn a_secret_an_operation_hands_out_is_shown_in_every_format() {
    let server = answering(201, BEARER_TOKEN).await;
    let uri = server.uri();
    let create = [
        "--endpoint",
        &uri,
        "identitystore",
        "create-bearer-token",
        "--identity-store-id",
        "d-1",
        "--tenant-id",
        "t-1",
    ];
    for format in ["json", "yaml", "table", "text"] {
        let run = idtok(&args(&create, &["-o", format]), &HUAWEI_ENV).await;
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            run.stdout.contains("SCIM-TOKEN-SHOWN-ONCE"),
            "{format} hides the token the service shows only once:\n{}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("********"),
            "{format}:\n{}",
            run.stdout
        );
    }
    let run = idtok(
        &args(&create, &["-o", "table", "--query", "{t: token}"]),
        &HUAWEI_ENV,
    )
    .await;
    assert!(
        run.stdout.contains("SCIM-TOKEN-SHOWN-ONCE"),
        "{}",
        run.stdout
    );
}

const ASSUMED_ROLE: &str = r#"{"RequestId":"6894B13B-6D71-4EF5-88FA-F32781734A7F","AssumedRoleUser":{"AssumedRoleId":"34458433936495****:alice","Arn":"acs:ram::123456789012****:role/ecsadmin/alice"},"Credentials":{"SecurityToken":"STS-TOKEN-SHOWN-ONCE","AccessKeyId":"STS.L4aBSCSJVMuKg5U1****","AccessKeySecret":"STS-SECRET-SHOWN-ONCE","Expiration":"2015-04-09T11:52:19Z"}}"#;

/// A table shows the object that holds what the call handed out (STS's `Credentials`), not the
/// first object of the answer.
#[tokio::test]
async fn a_table_of_assumed_role_credentials_shows_the_credentials() {
    let server = answering(200, ASSUMED_ROLE).await;
    let uri = server.uri();
    let assume = [
        "--endpoint",
        &uri,
        "sts",
        "assume-role",
        "--role-arn",
        "acs:ram::123456789012****:role/ecsadmin",
        "--role-session-name",
        "alice",
    ];
    for format in ["table", "text"] {
        let run = idtok(&args(&assume, &["-o", format]), &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        for shown in [
            "STS-SECRET-SHOWN-ONCE",
            "STS-TOKEN-SHOWN-ONCE",
            "2015-04-09T11:52:19Z",
        ] {
            assert!(
                run.stdout.contains(shown),
                "{format} leaves out {shown}:\n{}",
                run.stdout
            );
        }
    }
}

#[tokio::test]
async fn secrets_of_listed_items_stay_masked_in_tables_and_text() {
    let server = answering(
        200,
        r#"{"RequestId":"r","ApplicationTokens":[{"ApplicationTokenId":"apt_1","ApplicationToken":"LISTED-SECRET","Status":"enabled"}]}"#,
    )
    .await;
    let uri = server.uri();
    let list = [
        "--endpoint",
        &uri,
        "eiam",
        "list-application-tokens",
        "--instance-id",
        "i",
        "--application-id",
        "a",
        "--application-token-type",
        "bearer_token",
    ];
    for format in ["table", "text"] {
        let run = idtok(&args(&list, &["-o", format]), &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            !run.stdout.contains("LISTED-SECRET"),
            "{format}:\n{}",
            run.stdout
        );
        assert!(run.stdout.contains("********"), "{format}:\n{}", run.stdout);
    }
    let run = idtok(&args(&list, &["-o", "json"]), &ALIBABA_ENV).await;
    assert!(run.stdout.contains("LISTED-SECRET"), "{}", run.stdout);
}

// ---- 1. A misspelt body key is refused before anything is sent ---------------------------------

#[tokio::test]
async fn a_misspelt_body_key_is_refused_with_the_nearest_name_and_nothing_is_sent() {
    let server = answering(200, "{}").await;
    let uri = server.uri();
    let generate = [
        "--endpoint",
        &uri,
        "eiam-developerapi",
        "generate-jwt-authentication-token",
        "--instance-id",
        "idaas_1",
        "--json-body",
        "-",
    ];
    let body = r#"{"credentialProviderIdentifier":"p","subject":"alice","audiences":["api"],"expiraton":900}"#;
    let run = idtok_with_stdin(&generate, &DEVELOPER_API_ENV, body).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`expiraton`"), "{}", run.stderr);
    assert!(run.stderr.contains("`expiration`"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    // From a file, too; and the fixed body goes through.
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    let path = file.path().to_str().unwrap();
    let mut from_file = generate;
    from_file[7] = path;
    let run = idtok(&from_file, &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
    let run = idtok_with_stdin(
        &generate,
        &DEVELOPER_API_ENV,
        &body.replace("expiraton", "expiration"),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = &server.received_requests().await.unwrap()[0];
    let sent: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent["expiration"], 900);
}

/// `eiam create-credential` with everything it needs, the credential content as given.
fn create_credential<'a>(uri: &'a str, content: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    args(
        &[
            "--endpoint",
            uri,
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
            "--credential-content",
            content,
        ],
        more,
    )
}

const API_KEY_CONTENT: &str = r#"{"ApiKeyContent":{"ApiKey":"k"}}"#;

#[tokio::test]
async fn a_misspelt_key_deep_in_a_json_flag_is_refused_too() {
    let server = answering(200, "{}").await;
    let uri = server.uri();
    let run = idtok(
        &create_credential(&uri, r#"{"ApiKeyContent":{"ApiKy":"k"}}"#, &[]),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`ApiKy` at `ApiKeyContent` (the nearest is `ApiKey`)"),
        "{}",
        run.stderr
    );
    // key=value pairs are keys too.
    let run = idtok(
        &create_credential(&uri, "ApiKeyContnet=k", &[]),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("(the nearest is `ApiKeyContent`)"),
        "{}",
        run.stderr
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// `eiam-developerapi generate-jwt-authentication-token` for alice, `more` flags after.
fn generate_jwt<'a>(uri: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    args(
        &[
            "--endpoint",
            uri,
            "eiam-developerapi",
            "generate-jwt-authentication-token",
            "--instance-id",
            "idaas_1",
            "--credential-provider-identifier",
            "p",
            "--subject",
            "alice",
        ],
        more,
    )
}

#[tokio::test]
async fn an_open_object_takes_any_key() {
    let server = answering(200, r#"{"authenticationTokenId":"atn"}"#).await;
    let uri = server.uri();
    let run = idtok(
        &generate_jwt(
            &uri,
            &[
                "--audiences",
                "api",
                "--custom-claims",
                r#"{"anything":{"nested":true}}"#,
            ],
        ),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// ---- 1. A failed --all prints nothing rendered -------------------------------------------------

/// `eiam-developerapi list-authentication-tokens`, `more` flags after.
fn list_one_page<'a>(uri: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    args(
        &[
            "--endpoint",
            uri,
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "idaas_1",
            "--consumer-id",
            "app_1",
            "--credential-provider-identifier",
            "p",
        ],
        more,
    )
}

/// The same with `--all`.
fn list_tokens<'a>(uri: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    args(&list_one_page(uri, &["--all"]), more)
}

const FIRST_PAGE: &str = r#"{"totalCount":3,"entities":[
 {"zFirst":"server order","authenticationTokenId":"atntkn_1","createTime":1649830225000,"revoked":false,"unknownField":{"b":1,"a":2}},
 {"zFirst":"server order","authenticationTokenId":"atntkn_2","createTime":1649830225123,"revoked":true}
],"nextToken":"p2","maxResults":2}"#;

#[tokio::test]
async fn a_failed_first_page_prints_nothing_on_stdout() {
    let server = answering(
        401,
        r#"{"error":"invalid_token","error_description":"expired"}"#,
    )
    .await;
    let uri = server.uri();
    for more in [
        &["-o", "table"][..],
        &["-o", "text"],
        &["--query", "length(@)"],
        &["--query", "[].authenticationTokenId"],
        &[],
    ] {
        let run = idtok(&list_tokens(&uri, more), &DEVELOPER_API_ENV).await;
        assert_eq!(run.code, 1, "{more:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{more:?} reads as an answer");
        assert!(run.stderr.contains("401"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn a_failed_later_page_leaves_the_earlier_items_as_sent() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(FIRST_PAGE, "application/json"))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(
            r#"{"error":"access_denied","error_description":"no"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let uri = server.uri();
    for more in [&["-o", "table"][..], &["--query", "length(@)"], &[]] {
        let run = idtok(&list_tokens(&uri, more), &DEVELOPER_API_ENV).await;
        assert_eq!(run.code, 1, "{more:?}: {}", run.stderr);
        let lines: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|_| panic!("{more:?}: not JSON lines:\n{}", run.stdout))
            })
            .collect();
        assert_eq!(lines.len(), 2, "{more:?}:\n{}", run.stdout);
        assert_eq!(lines[1]["authenticationTokenId"], "atntkn_2");
    }
}

// ---- 2. --all keeps the server's key order -----------------------------------------------------

#[tokio::test]
async fn all_prints_items_as_the_server_sent_them() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(FIRST_PAGE, "application/json"))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"totalCount":3,"entities":[{"zFirst":"z","authenticationTokenId":"atntkn_3","createTime":1649830225999}],"nextToken":""}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let uri = server.uri();
    let run = idtok(&list_tokens(&uri, &[]), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        concat!(
            r#"{"zFirst":"server order","authenticationTokenId":"atntkn_1","createTime":1649830225000,"revoked":false,"unknownField":{"b":1,"a":2}}"#,
            "\n",
            r#"{"zFirst":"server order","authenticationTokenId":"atntkn_2","createTime":1649830225123,"revoked":true}"#,
            "\n",
            r#"{"zFirst":"z","authenticationTokenId":"atntkn_3","createTime":1649830225999}"#,
            "\n"
        )
    );
    // YAML documents in the same order.
    let run = idtok(&list_tokens(&uri, &["-o", "yaml"]), &DEVELOPER_API_ENV).await;
    assert!(
        run.stdout
            .starts_with("---\nzFirst: server order\nauthenticationTokenId: atntkn_1\n"),
        "{}",
        run.stdout
    );
    // A query's objects keep it too.
    let run = idtok(
        &list_tokens(&uri, &["--query", "[0]", "--compact"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(
        run.stdout,
        "{\"zFirst\":\"server order\",\"authenticationTokenId\":\"atntkn_1\",\"createTime\":1649830225000,\"revoked\":false,\"unknownField\":{\"b\":1,\"a\":2}}\n"
    );
}

#[tokio::test]
async fn a_query_keeps_the_servers_key_order() {
    let server = answering(200, FIRST_PAGE).await;
    let uri = server.uri();
    let run = idtok(
        &list_one_page(&uri, &["--query", "entities[0]", "--compact"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "{\"zFirst\":\"server order\",\"authenticationTokenId\":\"atntkn_1\",\"createTime\":1649830225000,\"revoked\":false,\"unknownField\":{\"b\":1,\"a\":2}}\n"
    );
}

// ---- 1. Idempotency tokens are filled in -------------------------------------------------------

fn is_uuid_v4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
        && parts[2].starts_with('4')
}

#[tokio::test]
async fn a_client_token_is_filled_in_fresh_when_not_given() {
    let server = answering(200, r#"{"RequestId":"r","CredentialId":"cred_1"}"#).await;
    let uri = server.uri();
    for _ in 0..2 {
        let run = idtok(&create_credential(&uri, API_KEY_CONTENT, &[]), &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let tokens: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| idtok_testkit::query(r)["ClientToken"][0].clone())
        .collect();
    assert!(tokens.iter().all(|t| is_uuid_v4(t)), "{tokens:?}");
    assert_ne!(tokens[0], tokens[1], "each call its own");
    // Given: sent as given.
    let run = idtok(
        &create_credential(&uri, API_KEY_CONTENT, &["--client-token", "mine-1"]),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(idtok_testkit::query(&last)["ClientToken"], ["mine-1"]);
    // Shown by --dry-run, which sends nothing.
    let before = server.received_requests().await.unwrap().len();
    let run = idtok(
        &create_credential(&uri, API_KEY_CONTENT, &["--dry-run"]),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let url = shown["url"].as_str().unwrap();
    let token = url
        .split("ClientToken=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    assert!(is_uuid_v4(token), "{url}");
    assert_eq!(server.received_requests().await.unwrap().len(), before);
    // The flag is optional and its help says what happens without it.
    let help = idtok(&["eiam", "create-credential", "--help"], &[]).await;
    assert!(
        help.stdout.contains("a fresh random token"),
        "{}",
        help.stdout
    );
}

/// A ClientToken that travels in a form body (the document's `requestBody`, as EIAM's
/// authorization rule writes take it) is filled in as a query one is: fresh each call, in the
/// body and not the URL; given, sent as given; shown by --dry-run and --debug.
#[tokio::test]
async fn a_form_body_client_token_is_filled_in_fresh_when_not_given() {
    let server = answering(200, r#"{"RequestId":"r"}"#).await;
    let uri = server.uri();
    let enable = |more: &[&'static str]| {
        let mut args = vec![
            "--endpoint".to_owned(),
            uri.clone(),
            "eiam".to_owned(),
            "enable-authorization-rule".to_owned(),
            "--instance-id".to_owned(),
            "idaas_1".to_owned(),
            "--authorization-rule-id".to_owned(),
            "arrule_1".to_owned(),
        ];
        args.extend(more.iter().map(|s| (*s).to_owned()));
        args
    };
    let form = |request: &wiremock::Request| -> Vec<(String, String)> {
        form_urlencoded::parse(&request.body).into_owned().collect()
    };
    for _ in 0..2 {
        let args = enable(&[]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = idtok(&args, &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let requests = server.received_requests().await.unwrap();
    let tokens: Vec<String> = requests
        .iter()
        .map(|r| {
            assert!(!idtok_testkit::query(r).contains_key("ClientToken"));
            match form(r).as_slice() {
                [(name, token)] if name == "ClientToken" => token.clone(),
                other => panic!("not a ClientToken form: {other:?}"),
            }
        })
        .collect();
    assert!(tokens.iter().all(|t| is_uuid_v4(t)), "{tokens:?}");
    assert_ne!(tokens[0], tokens[1], "each call its own");
    // Given: sent as given.
    let args = enable(&["--client-token", "mine-1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        form(&last),
        [("ClientToken".to_owned(), "mine-1".to_owned())]
    );
    // Shown by --dry-run (the body) and --debug (where it went), never by guessing.
    let args = enable(&["--dry-run"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let body = shown["body"].as_str().unwrap();
    assert!(
        is_uuid_v4(body.strip_prefix("ClientToken=").unwrap()),
        "{body}"
    );
    assert!(!shown["url"].as_str().unwrap().contains("ClientToken"));
    let args = enable(&["--debug"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = idtok(&args, &ALIBABA_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    let (_, sent) = &form(&last)[0];
    assert!(
        run.stderr.contains(&format!(
            "ClientToken = {sent}: a fresh idempotency token, sent in the application/x-www-form-urlencoded body"
        )),
        "{}",
        run.stderr
    );
    // The flag is optional and its help says what happens without it.
    let help = idtok(&["eiam", "enable-authorization-rule", "--help"], &[]).await;
    assert!(
        help.stdout.contains("a fresh random token")
            && !help
                .stdout
                .contains("[required unless given in --json-body]"),
        "{}",
        help.stdout
    );
}

// ---- 2. Every command speaks the same output language ------------------------------------------

#[tokio::test]
async fn whoami_takes_output_and_query() {
    let run = idtok(&["whoami", "--family", "huawei", "-o", "yaml"], &HUAWEI_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml: serde_json::Value = serde_yaml::from_str(&run.stdout).unwrap();
    assert_eq!(yaml["huawei"]["source"], "env", "{}", run.stdout);
    assert!(!run.stdout.trim_start().starts_with('{'), "{}", run.stdout);
    let run = idtok(
        &[
            "whoami",
            "--family",
            "huawei",
            "--query",
            "huawei.source",
            "-o",
            "text",
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(run.stdout, "env\n");
    assert!(!run.stdout.contains("scripts-secret-key"));
    // A table: a row per vendor.
    let run = idtok(
        &["whoami", "--family", "huawei", "-o", "table"],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0][0], "name", "{}", run.stdout);
    let source = lines[0].iter().position(|c| *c == "source").unwrap();
    assert_eq!(
        [lines[1][0], lines[1][source]],
        ["huawei", "env"],
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn the_body_template_takes_output_and_query() {
    let template = [
        "eiam-developerapi",
        "generate-jwt-authentication-token",
        "--json-body-template",
    ];
    let run = idtok(&args(&template, &["-o", "yaml"]), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml: serde_json::Value = serde_yaml::from_str(&run.stdout).unwrap();
    assert!(yaml["subject"].is_string(), "{}", run.stdout);
    assert!(!run.stdout.starts_with('{'), "{}", run.stdout);
    let run = idtok(&args(&template, &["--query", "keys(@)", "--compact"]), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let keys: Vec<String> = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        keys.contains(&"credentialProviderIdentifier".to_owned()),
        "{keys:?}"
    );
}

#[tokio::test]
async fn text_is_tab_separated_rows_and_a_table_shows_times_and_leaves_out_empty_columns() {
    let server = answering(200, &FIRST_PAGE.replace("\"p2\"", "\"\"")).await;
    let uri = server.uri();
    let list = list_one_page(&uri, &[]);
    let run = idtok(&args(&list, &["-o", "text"]), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 2, "one item a line, no header:\n{}", run.stdout);
    // Every column of the document, in its order, empty or not, so `cut -f` is stable.
    assert_eq!(rows[0].len(), rows[1].len());
    assert!(
        rows[0].contains(&"atntkn_1") && rows[0].contains(&"1649830225000"),
        "{rows:?}"
    );
    let table = idtok(&args(&list, &["-o", "table"]), &DEVELOPER_API_ENV).await;
    assert_eq!(table.code, 0, "{}", table.stderr);
    let header: Vec<&str> = table
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        ["authenticationTokenId", "createTime", "revoked"],
        "only the columns with a value:\n{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("2022-04-13T06:10:25Z"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("2022-04-13T06:10:25.123Z"),
        "{}",
        table.stdout
    );
    // A query's text: scalars one a line.
    let run = idtok(
        &args(
            &list,
            &["-o", "text", "--query", "entities[].authenticationTokenId"],
        ),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.stdout, "atntkn_1\natntkn_2\n");
}

// ---- 2. List flags take one JSON array as well as repeated flags ---------------------------------

#[tokio::test]
async fn a_list_flag_takes_a_json_array_of_strings_or_of_objects() {
    let server = answering(200, r#"{"RequestId":"r","Credentials":[],"TotalCount":0}"#).await;
    let uri = server.uri();
    let list = [
        "--endpoint",
        &uri,
        "eiam",
        "list-credentials",
        "--instance-id",
        "i",
    ];
    let as_array = args(
        &list,
        &[
            "--credential-ids",
            r#"["cred_1","cred_2"]"#,
            "--filter",
            r#"[{"Name":"CredentialIdentifier","Value":["x","y"]}]"#,
        ],
    );
    let repeated = args(
        &list,
        &[
            "--credential-ids",
            "cred_1",
            "--credential-ids",
            "cred_2",
            "--filter",
            r#"{"Name":"CredentialIdentifier","Value":["x","y"]}"#,
        ],
    );
    for given in [as_array, repeated] {
        let run = idtok(&given, &ALIBABA_ENV).await;
        assert_eq!(run.code, 0, "{given:?}: {}", run.stderr);
    }
    let sent = server.received_requests().await.unwrap();
    let queries: Vec<_> = sent.iter().map(idtok_testkit::query).collect();
    let wanted = |query: &std::collections::BTreeMap<String, Vec<String>>| {
        assert_eq!(query["CredentialIds.1"], ["cred_1"], "{query:?}");
        assert_eq!(query["CredentialIds.2"], ["cred_2"], "{query:?}");
        assert_eq!(
            query["Filter.1.Name"],
            ["CredentialIdentifier"],
            "{query:?}"
        );
        assert_eq!(query["Filter.1.Value.2"], ["y"], "{query:?}");
    };
    wanted(&queries[0]);
    wanted(&queries[1]);
    // In a body too.
    let server = answering(200, r#"{"authenticationTokenId":"atn"}"#).await;
    let uri = server.uri();
    let run = idtok(
        &generate_jwt(&uri, &["--audiences", r#"["api-a","api-b"]"#]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body: serde_json::Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(body["audiences"], serde_json::json!(["api-a", "api-b"]));
}
