//! The habits users bring from aws, aliyun, hcloud, gh and kubectl: shell completion,
//! `--output json|yaml|table`, `--query` (JMESPath), a `--version` that names the API versions,
//! and help with the global options apart and without notes on how the documents are written.
//! `idtok` runs as a user runs it, against a local server.

use idtok_testkit::Run;
use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCESS_TOKEN: &str = "at-cli-habits-token";
const DEVELOPER_API_ENV: [(&str, &str); 1] = [("IDAAS_ACCESS_TOKEN", ACCESS_TOKEN)];
const ALIBABA_ENV: [(&str, &str); 2] = [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tHabitsKeyId"),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "habits-access-key-secret",
    ),
];

async fn idtok(args: &[&str], env: &[(&str, &str)]) -> Run {
    idtok_testkit::run(env!("CARGO_BIN_EXE_idtok"), args, env, None).await
}

async fn server(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

fn list_tokens<'a>(uri: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
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
    ];
    args.extend_from_slice(more);
    args
}

/// Two tokens, keys in the server's order, an unknown field, a number as the server wrote it.
const TOKENS: &str = r#"{"totalCount":2,"entities":[
 {"instanceId":"idaas_1","authenticationTokenId":"atntkn_one","createTime":1649830225000,"authenticationTokenType":"jwt","revoked":false,"consumerId":"alice","zExtra":{"b":1}},
 {"instanceId":"idaas_1","authenticationTokenId":"atntkn_two","createTime":1649830225001,"authenticationTokenType":"jwt","revoked":true,"consumerId":"bob"}
],"nextToken":"","zNewField":"kept","maxResults":20}"#;

/// Application tokens: each carries the token itself, a secret (`format: password`).
const APPLICATION_TOKENS: &str = r#"{"RequestId":"req-1","ApplicationTokens":[
 {"ApplicationTokenId":"apt_one","ApplicationToken":"SECRET-TOKEN-VALUE-1","ApplicationTokenType":"bearer_token","Status":"enabled"}
]}"#;

fn eiam_list_tokens(uri: &str, more: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--endpoint",
        uri,
        "eiam",
        "list-application-tokens",
        "--instance-id",
        "i",
        "--application-id",
        "a",
        "--application-token-type",
        "bearer_token",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

async fn idtok_owned(args: &[String], env: &[(&str, &str)]) -> Run {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    idtok(&args, env).await
}

// ---- Completion ---------------------------------------------------------------------------------

#[tokio::test]
async fn completion_scripts_know_the_families_and_their_operations() {
    for (shell, marker) in [
        ("bash", "complete -F _idtok"),
        ("zsh", "#compdef idtok"),
        ("fish", "complete -c idtok"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = idtok(&["completion", shell], &[]).await;
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "not a {shell} script");
        for word in ["eiam-developerapi", "list-authentication-tokens", "output"] {
            assert!(
                run.stdout.contains(word),
                "the {shell} script does not mention {word}"
            );
        }
    }
    let run = idtok(&["completion", "tcsh"], &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bash"), "{}", run.stderr);
}

#[tokio::test]
async fn completion_offers_the_values_the_document_lists() {
    let run = idtok(&["completion", "bash"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // `eiam list-credentials --credential-types <TAB>`: the document's enum of the items.
    let case = run
        .stdout
        .split("--credential-types)")
        .nth(1)
        .expect("a completion case for --credential-types");
    let first_line = case.lines().find(|l| !l.trim().is_empty()).unwrap();
    assert!(
        first_line.contains(r#"compgen -W "api_key oauth_client""#),
        "{first_line}"
    );
}

// ---- The documents' value lists and limits -------------------------------------------------------

/// `eiam list-credentials` against `uri`, with more flags.
fn list_credentials(uri: &str, more: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--endpoint",
        uri,
        "eiam",
        "list-credentials",
        "--instance-id",
        "idaas_1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(more.iter().map(|s| s.to_string()));
    args
}

/// A value out of what the document lists or limits is refused on the command line, with what is
/// allowed, exit 2, and nothing is sent: a repeated flag's item, a parameter's range, a secret's
/// length (never repeating the secret), a key deep in an object flag's JSON, and a field of a
/// --json-body.
#[tokio::test]
async fn values_out_of_the_documents_limits_are_refused_before_anything_is_sent() {
    let server = server(r#"{"RequestId":"r","Credentials":[]}"#).await;
    let uri = server.uri();
    // (arguments, environment, what stderr says)
    type Refused<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, &'a str);
    let refused: Vec<Refused> = vec![
        (
            list_credentials(&uri, &["--credential-types", "apikey"]),
            ALIBABA_ENV.to_vec(),
            "invalid value 'apikey' for --credential-types: it is not one of api_key, oauth_client; nothing was sent",
        ),
        (
            list_credentials(&uri, &["--statuses", r#"["enabled","diasbled"]"#]),
            ALIBABA_ENV.to_vec(),
            "the value of --statuses has `[1]` \"diasbled\", which is not one of enabled, disabled",
        ),
        (
            list_credentials(&uri, &["--max-results", "500"]),
            ALIBABA_ENV.to_vec(),
            "invalid value '500' for --max-results: it must be at most 100",
        ),
        (
            [
                "--endpoint", &uri, "sts", "assume-role-with-oidc", "--oidc-provider-arn",
                "acs:ram::1:oidc-provider/p", "--role-arn", "acs:ram::1:role/r", "--oidc-token",
                "s3c",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            vec![],
            "invalid value for --oidc-token (a secret, not shown): it is 3 characters long; it must be 4 to 20000 characters",
        ),
        (
            [
                "--endpoint", &uri, "eiam", "create-credential-provider", "--instance-id", "i",
                "--credential-provider-identifier", "p", "--credential-provider-name", "p",
                "--credential-provider-type", "oauth", "--credential-provider-config",
                r#"{"OAuthProviderConfig":{"ClientId":"c","ClientSecret":"s","ProviderVendor":"gitlab"}}"#,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            ALIBABA_ENV.to_vec(),
            "has `OAuthProviderConfig.ProviderVendor` \"gitlab\", which is not one of custom, dingtalk, feishu, github, microsoft, google",
        ),
        (
            [
                "--endpoint", &uri, "eiam-developerapi", "generate-token", "--instance-id", "i",
                "--application-id", "a", "--grant-type", "implicit",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            vec![],
            "invalid value 'implicit' for --grant-type: it is not one of client_credentials, refresh_token, authorization_code, urn:ietf:params:oauth:grant-type:device_code, password",
        ),
    ];
    for (args, env, said) in refused {
        let run = idtok_owned(&args, &env).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
        assert!(
            !run.stderr.contains("s3c"),
            "a secret was repeated: {}",
            run.stderr
        );
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        0,
        "a refused value sent a request"
    );

    // The values the document lists are sent as given.
    let run = idtok_owned(
        &list_credentials(
            &uri,
            &["--credential-types", "oauth_client", "--max-results", "100"],
        ),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1);
    let query = sent[0].url.query().unwrap_or_default();
    assert!(
        query.contains("CredentialTypes.1=oauth_client") && query.contains("MaxResults=100"),
        "{query}"
    );
}

// ---- --output -----------------------------------------------------------------------------------

#[tokio::test]
async fn output_yaml_is_the_same_answer_keys_in_the_servers_order() {
    let server = server(TOKENS).await;
    let uri = server.uri();
    let run = idtok(
        &list_tokens(&uri, &["--output", "yaml"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml: serde_json::Value = serde_yaml::from_str(&run.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(TOKENS).unwrap();
    assert_eq!(yaml, json, "{}", run.stdout);
    let top: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| !line.starts_with([' ', '-']))
        .filter_map(|line| line.split(':').next())
        .collect();
    assert_eq!(
        top,
        [
            "totalCount",
            "entities",
            "nextToken",
            "zNewField",
            "maxResults"
        ]
    );
    // json stays the default, as received.
    let run = idtok(
        &list_tokens(&uri, &["--output", "json", "--compact"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(
        run.stdout,
        format!("{}\n", TOKENS.replace("\n ", "").replace('\n', ""))
    );
}

#[tokio::test]
async fn output_table_is_a_row_per_item_with_the_documents_columns() {
    let server = server(TOKENS).await;
    let uri = server.uri();
    let run = idtok(&list_tokens(&uri, &["-o", "table"]), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "a header and a row per item:\n{}",
        run.stdout
    );
    // The item schema's scalar properties in the document's order (not alphabetical); the
    // unknown and object fields are not columns.
    let header = &lines[0];
    let at = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}: {header:?}"))
    };
    assert_eq!(header[0], "instanceId", "{header:?}");
    assert!(at("authenticationTokenId") < at("createTime"));
    assert!(at("createTime") < at("authenticationTokenType"));
    assert!(at("revoked") < at("consumerId"));
    assert!(!header.contains(&"zExtra"));
    assert_eq!(lines[1][at("authenticationTokenId")], "atntkn_one");
    assert_eq!(lines[2][at("authenticationTokenId")], "atntkn_two");
    // Columns line up: every row's cells start where the header's do.
    let start = |line: &str, cell: &str| line.find(cell).unwrap();
    let text: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        start(text[0], "authenticationTokenId"),
        start(text[1], "atntkn_one")
    );
}

#[tokio::test]
async fn a_table_masks_secrets_that_json_and_yaml_print() {
    let server = server(APPLICATION_TOKENS).await;
    let uri = server.uri();
    let run = idtok_owned(
        &eiam_list_tokens(&uri, &["--output", "table"]),
        &ALIBABA_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("apt_one"), "{}", run.stdout);
    assert!(run.stdout.contains("ApplicationToken "), "{}", run.stdout);
    assert!(!run.stdout.contains("SECRET-TOKEN-VALUE"), "{}", run.stdout);
    assert!(run.stdout.contains("********"), "{}", run.stdout);
    // A query's table masks it too.
    let query = ["--output", "table", "--query", "ApplicationTokens[]"];
    let run = idtok_owned(&eiam_list_tokens(&uri, &query), &ALIBABA_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("SECRET-TOKEN-VALUE"), "{}", run.stdout);
    for format in ["json", "yaml"] {
        let run = idtok_owned(&eiam_list_tokens(&uri, &["--output", format]), &ALIBABA_ENV).await;
        assert!(
            run.stdout.contains("SECRET-TOKEN-VALUE-1"),
            "{format}: {}",
            run.stdout
        );
    }
}

// ---- --query ------------------------------------------------------------------------------------

#[tokio::test]
async fn query_selects_from_the_answer_before_it_is_printed() {
    let server = server(TOKENS).await;
    let uri = server.uri();
    let ids = [
        "--query",
        "entities[?revoked==`false`].authenticationTokenId",
    ];
    let run = idtok(
        &list_tokens(&uri, &[&ids[..], &["--compact"]].concat()),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "[\"atntkn_one\"]\n");
    let run = idtok(
        &list_tokens(&uri, &[&ids[..], &["-o", "yaml"]].concat()),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.stdout, "- atntkn_one\n");
    let pairs = [
        "--query",
        "entities[].{id: authenticationTokenId, who: consumerId}",
        "-o",
        "table",
    ];
    let run = idtok(&list_tokens(&uri, &pairs), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        lines,
        [
            vec!["id", "who"],
            vec!["atntkn_one", "alice"],
            vec!["atntkn_two", "bob"]
        ],
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_bad_query_is_a_usage_error_before_anything_is_sent() {
    let server = server(TOKENS).await;
    let uri = server.uri();
    let run = idtok(
        &list_tokens(&uri, &["--query", "entities[?"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("JMESPath"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(server.received_requests().await.unwrap().is_empty());
    // A query that fails on the answer: exit 2, and the answer is kept (it may be a secret).
    let run = idtok(
        &list_tokens(&uri, &["--query", "abs(entities)"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--query"), "{}", run.stderr);
    assert!(run.stdout.contains("atntkn_one"), "{}", run.stdout);
}

// ---- --all --------------------------------------------------------------------------------------

async fn two_pages() -> MockServer {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: &str| {
        let entities: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| serde_json::json!({"authenticationTokenId": id, "authenticationTokenType": "jwt", "revoked": false}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "totalCount": 3, "entities": entities, "nextToken": next, "maxResults": 2
        }))
    };
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["atntkn_1", "atntkn_2"], "p2"))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(page(&["atntkn_3"], ""))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn all_pages_as_yaml_documents_a_table_or_one_query() {
    let server = two_pages().await;
    let uri = server.uri();
    let run = idtok(
        &list_tokens(&uri, &["--all", "-o", "yaml"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = serde_yaml::Deserializer::from_str(&run.stdout)
        .map(|document| {
            let item: serde_json::Value = serde::Deserialize::deserialize(document).unwrap();
            item["authenticationTokenId"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids, ["atntkn_1", "atntkn_2", "atntkn_3"], "{}", run.stdout);

    let run = idtok(
        &list_tokens(&uri, &["--all", "-o", "table"]),
        &DEVELOPER_API_ENV,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    // The items carry no instanceId: a column empty in every row is left out.
    assert!(
        lines[0].starts_with("authenticationTokenId"),
        "{}",
        run.stdout
    );
    assert!(lines[3].contains("atntkn_3"), "{}", run.stdout);

    let query = ["--all", "--compact", "--query", "[].authenticationTokenId"];
    let run = idtok(&list_tokens(&uri, &query), &DEVELOPER_API_ENV).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "[\"atntkn_1\",\"atntkn_2\",\"atntkn_3\"]\n");
}

// ---- --version and help -------------------------------------------------------------------------

fn workspace(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

#[tokio::test]
async fn version_names_each_documents_api_version_and_their_commit() {
    let run = idtok(&["--version"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stdout
        .starts_with(concat!("idtok ", env!("CARGO_PKG_VERSION"))));
    let mut documents = 0;
    for family in xtask::families::FAMILIES {
        let parts = xtask::document::Document::read(&workspace(""), family).unwrap();
        let document = xtask::document::Document::bundle_json(&parts).unwrap();
        let version = document["info"]["version"].as_str().unwrap();
        // A document split into parts is named by its directory, a single file by itself.
        let file = if workspace(family.directory()).is_dir() {
            format!("{}/", family.directory())
        } else {
            family.document.to_owned()
        };
        assert!(
            run.stdout
                .lines()
                .any(|l| l.contains(&format!("API version {version} ({file})"))),
            "{file} {version}:\n{}",
            run.stdout
        );
        documents += 1;
    }
    assert!(documents >= 4);
    let commit = run
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("documents: openapi/ at commit "))
        .unwrap_or_else(|| panic!("no commit:\n{}", run.stdout));
    // The commit that last changed openapi/, as git says; "unknown" outside a checkout.
    let git = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h", "--", "."])
        .current_dir(workspace("openapi"))
        .output();
    match git {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => {
            let expected = String::from_utf8(out.stdout).unwrap();
            assert!(
                commit.starts_with(expected.trim()),
                "{commit} vs {expected}"
            );
        }
        _ => assert_eq!(commit, "unknown"),
    }
}

/// Every operation of every family, as `idtok <family> --help` lists them.
async fn operations() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for family in ["eiam", "eiam-developerapi", "identitystore", "sts"] {
        let run = idtok(&[family, "--help"], &[]).await;
        let listed = run
            .stdout
            .split("Commands:\n")
            .nth(1)
            .unwrap_or_default()
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .lines()
            // "  <name>  <summary>"; a summary's continuation lines are indented further.
            .filter(|line| line.starts_with("  ") && !line[2..].starts_with(' '))
            .filter_map(|line| line.split_whitespace().next())
            .filter(|name| *name != "help")
            .map(|name| (family.to_owned(), name.to_owned()))
            .collect::<Vec<_>>();
        assert!(listed.len() >= 3, "{family}:\n{}", run.stdout);
        all.extend(listed);
    }
    all
}

#[tokio::test]
async fn help_puts_global_options_apart_and_leaves_out_modelling_notes() {
    let operations = operations().await;
    assert!(operations.len() > 100, "{}", operations.len());
    for (family, operation) in operations {
        let run = idtok(&[&family, &operation, "--help"], &[]).await;
        assert_eq!(run.code, 0, "{family} {operation}: {}", run.stderr);
        let (own, global) = run
            .stdout
            .split_once("Global options:\n")
            .unwrap_or_else(|| panic!("{family} {operation}: no Global options:\n{}", run.stdout));
        for flag in ["--region", "--endpoint", "--output", "--query", "--dry-run"] {
            assert!(global.contains(flag), "{family} {operation}: {flag}");
            assert!(
                !own.contains(&format!("  {flag} ")),
                "{family} {operation}: {flag} among its own"
            );
        }
        assert!(
            own.contains("Sent as `"),
            "{family} {operation}: no wire sentence:\n{own}"
        );
        for note in [
            "modelled",
            "OpenAPI",
            "pseudo-path",
            // The document's extensions (the wire sentence names the x-acs-action header).
            "x-acs-rpc",
            "x-acs-style",
            "x-modelling-note",
            "security: []",
            "this document",
            "illustrative",
            "Wire:",
            "official SDK",
        ] {
            assert!(
                !own.contains(note),
                "{family} {operation} --help says {note:?}:\n{own}"
            );
        }
    }
}
