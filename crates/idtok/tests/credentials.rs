//! `idtok` with no credential in the environment, as it runs in production: an aliyun CLI profile
//! (and `--profile`), an ECS instance's RAM role, an RRSA pod, a Huawei profile file; default
//! regions and endpoint overrides; `idtok whoami`. Every service is a local stand-in (the
//! metadata services and STS through idtok's `IDTOK_*` address variables), every file a
//! temporary one.

use idtok_testkit::{header, query, verify_acs3, verify_sdk_hmac, Run};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Runs idtok in the isolated environment with `home` as its home and `env` on top.
async fn idtok(args: &[&str], home: &std::path::Path, env: &[(&str, &str)]) -> Run {
    let home = home.display().to_string();
    let mut env = env.to_vec();
    env.insert(0, ("HOME", home.as_str()));
    idtok_testkit::run(env!("CARGO_BIN_EXE_idtok"), args, &env, None).await
}

fn write(dir: &std::path::Path, relative: &str, text: &str) -> std::path::PathBuf {
    let file = dir.join(relative);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    file
}

/// An EIAM server that answers every call with an empty list of application tokens.
async fn eiam_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"RequestId":"R-1","ApplicationTokens":[]}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

const LIST: [&str; 8] = [
    "eiam",
    "list-application-tokens",
    "--instance-id",
    "idaas_x",
    "--application-id",
    "app_x",
    "--application-token-type",
    "bearer_token",
];

fn args<'a>(global: &[&'a str]) -> Vec<&'a str> {
    global.iter().copied().chain(LIST).collect()
}

async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}

const CLI_CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    {"name": "work", "mode": "AK", "access_key_id": "LTAIworkprofile", "access_key_secret": "work-profile-secret", "region_id": "cn-beijing"},
    {"name": "other", "mode": "AK", "access_key_id": "LTAIotherprofile", "access_key_secret": "other-profile-secret", "region_id": "ap-southeast-1"}
  ]
}"#;

#[tokio::test]
async fn the_aliyun_cli_profile_gives_credentials_and_region_and_profile_picks_another() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", CLI_CONFIG);

    // The current profile: its key signs, and its region_id is the host's region.
    let server = eiam_server().await;
    let run = idtok(&args(&["--endpoint", &server.uri()]), home.path(), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    verify_acs3(
        &only_request(&server).await,
        "LTAIworkprofile",
        "work-profile-secret",
    )
    .unwrap();
    let dry = idtok(&args(&["--dry-run"]), home.path(), &[]).await;
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("https://eiam.cn-beijing.aliyuncs.com/"),
        "{}",
        dry.stdout
    );

    // --profile, or ALIBABA_CLOUD_PROFILE, picks another; --profile wins.
    for (global, env) in [
        (vec!["--profile", "other"], vec![]),
        (vec![], vec![("ALIBABA_CLOUD_PROFILE", "other")]),
        (
            vec!["--profile", "other"],
            vec![("ALIBABA_CLOUD_PROFILE", "work")],
        ),
    ] {
        let server = eiam_server().await;
        let uri = server.uri();
        let mut all = global.clone();
        all.extend(["--endpoint", uri.as_str()]);
        let run = idtok(&args(&all), home.path(), &env).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        verify_acs3(
            &only_request(&server).await,
            "LTAIotherprofile",
            "other-profile-secret",
        )
        .unwrap();
        let mut dry_args = global.clone();
        dry_args.push("--dry-run");
        let dry = idtok(&args(&dry_args), home.path(), &env).await;
        assert!(
            dry.stdout
                .contains("https://eiam.ap-southeast-1.aliyuncs.com/"),
            "{global:?} {env:?}: {}",
            dry.stdout
        );
    }

    // --region beats the profile; ALIBABA_CLOUD_REGION_ID only fills in when the profile has none.
    let dry = idtok(
        &args(&["--region", "cn-hongkong", "--dry-run"]),
        home.path(),
        &[],
    )
    .await;
    assert!(dry
        .stdout
        .contains("https://eiam.cn-hongkong.aliyuncs.com/"));
    let bare = tempfile::tempdir().unwrap();
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
        ("ALIBABA_CLOUD_REGION_ID", "eu-central-1"),
    ];
    let dry = idtok(&args(&["--dry-run"]), bare.path(), &env).await;
    assert!(
        dry.stdout
            .contains("https://eiam.eu-central-1.aliyuncs.com/"),
        "{}",
        dry.stdout
    );
    let none = idtok(&args(&["--dry-run"]), bare.path(), &env[..2]).await;
    assert_eq!(none.code, 2);
    assert!(
        none.stderr.contains("ALIBABA_CLOUD_REGION_ID"),
        "{}",
        none.stderr
    );
}

/// A local ECS metadata service: IMDSv2 token, the role's name, its temporary credentials.
async fn ecs_metadata(role: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("imds-session-token"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/"))
        .respond_with(ResponseTemplate::new(200).set_body_string(role))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/latest/meta-data/ram/security-credentials/{role}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Code":"Success","AccessKeyId":"STS.ecsrolekey","AccessKeySecret":"ecs-role-secret","SecurityToken":"ecs-role-security-token","Expiration":"2099-01-01T00:00:00Z","LastUpdated":"2026-11-26T00:00:00Z"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn on_an_ecs_instance_the_ram_role_signs_with_no_credential_in_the_environment() {
    let home = tempfile::tempdir().unwrap();
    let metadata = ecs_metadata("idtok-role").await;
    let server = eiam_server().await;
    let run = idtok(
        &args(&["--endpoint", &server.uri(), "--region", "cn-hangzhou"]),
        home.path(),
        &[("IDTOK_ALIBABA_ECS_METADATA_URL", &metadata.uri())],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_acs3(&request, "STS.ecsrolekey", "ecs-role-secret").unwrap();
    assert_eq!(
        header(&request, "x-acs-security-token"),
        Some("ecs-role-security-token")
    );
    // Every metadata request after the token carries it (IMDSv2).
    for asked in metadata.received_requests().await.unwrap() {
        if asked.method.as_str() == "GET" {
            assert_eq!(
                header(&asked, "x-aliyun-ecs-metadata-token"),
                Some("imds-session-token")
            );
        }
    }
}

/// A local STS that answers AssumeRoleWithOIDC and GetCallerIdentity (each named in `x-acs-action`,
/// as the SDK sends both).
async fn sts() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("x-acs-action", "AssumeRoleWithOIDC"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"RequestId":"R-OIDC","Credentials":{"AccessKeyId":"STS.rrsakey","AccessKeySecret":"rrsa-secret","SecurityToken":"rrsa-security-token","Expiration":"2099-01-01T00:00:00Z"},"AssumedRoleUser":{"Arn":"acs:ram::1:role/pod-role/s","AssumedRoleId":"3:s"},"OIDCTokenInfo":{"Subject":"system:serviceaccount:ns:sa","Issuer":"https://oidc","ClientIds":"sts.aliyuncs.com"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("x-acs-action", "GetCallerIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"IdentityType":"AssumedRoleUser","AccountId":"1968132000120000","RequestId":"R-WHO","PrincipalId":"3:s","UserId":"3:s","Arn":"acs:ram::1968132000120000:assumed-role/pod-role/s","RoleId":"3"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn in_an_rrsa_pod_the_oidc_token_is_exchanged_at_sts_without_a_signature() {
    let home = tempfile::tempdir().unwrap();
    let token_file = write(home.path(), "token", "pod-oidc-token-value");
    let sts = sts().await;
    let server = eiam_server().await;
    let env = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/pod-role"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/ack",
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_str().unwrap(),
        ),
        ("IDTOK_ALIBABA_STS_ENDPOINT", &sts.uri()),
    ];
    let run = idtok(
        &args(&["--endpoint", &server.uri(), "--region", "cn-hangzhou"]),
        home.path(),
        &env,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_acs3(&request, "STS.rrsakey", "rrsa-secret").unwrap();
    assert_eq!(
        header(&request, "x-acs-security-token"),
        Some("rrsa-security-token")
    );
    let exchange = only_request(&sts).await;
    let sent = query(&exchange);
    assert_eq!(sent["OIDCToken"], ["pod-oidc-token-value"]);
    assert_eq!(sent["RoleArn"], ["acs:ram::1:role/pod-role"]);
    assert!(
        !sent.contains_key("Signature") && !sent.contains_key("AccessKeyId"),
        "AssumeRoleWithOIDC goes unsigned: {sent:?}"
    );
    assert_eq!(header(&exchange, "authorization"), None);
    assert_eq!(sent["Action"], ["AssumeRoleWithOIDC"]);
}

#[tokio::test]
async fn whoami_names_the_provider_and_the_caller_and_never_a_secret() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", CLI_CONFIG);
    write(
        home.path(),
        ".huaweicloud/credentials",
        "[basic]\nak = HPUAPROFILEAK01\nsk = huawei-profile-sk\nproject_id = proj-1\n",
    );
    let sts = sts().await;
    let run = idtok(
        &["whoami", "--endpoint", &sts.uri()],
        home.path(),
        &[("IDAAS_ACCESS_TOKEN", "idaas-access-token-value")],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["alibaba"]["source"], "cli_profile/static_ak");
    assert_eq!(shown["alibaba"]["access_key_id"], "LTAI********ile");
    assert_eq!(
        shown["alibaba"]["caller"]["Arn"],
        "acs:ram::1968132000120000:assumed-role/pod-role/s"
    );
    assert_eq!(shown["huawei"]["source"], "profile");
    assert_eq!(shown["huawei"]["access_key"], "HPUA********K01");
    assert_eq!(shown["huawei"]["project_id"], "proj-1");
    assert_eq!(shown["eiam-developerapi"]["source"], "IDAAS_ACCESS_TOKEN");
    // GetCallerIdentity was signed with the profile's key, as the SDK signs it (ACS3).
    let request = only_request(&sts).await;
    verify_acs3(&request, "LTAIworkprofile", "work-profile-secret").unwrap();
    for secret in [
        "work-profile-secret",
        "huawei-profile-sk",
        "idaas-access-token-value",
        "LTAIworkprofile",
        "HPUAPROFILEAK01",
    ] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} shown: {}{}",
            run.stdout,
            run.stderr
        );
    }

    // With nothing anywhere: every vendor says why, and idtok exits 2.
    let empty = tempfile::tempdir().unwrap();
    let run = idtok(&["whoami"], empty.path(), &[]).await;
    assert_eq!(run.code, 2, "{}", run.stdout);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let alibaba = shown["alibaba"]["error"].as_str().unwrap();
    for provider in ["env:", "cli_profile:", "profile:", "ecs_ram_role:"] {
        assert!(alibaba.contains(provider), "{alibaba}");
    }
    let huawei = shown["huawei"]["error"].as_str().unwrap();
    for provider in ["env:", "profile:", "metadata:"] {
        assert!(huawei.contains(provider), "{huawei}");
    }
    assert_eq!(
        shown["eiam-developerapi"]["error"],
        "no IDaaS access token: set IDAAS_ACCESS_TOKEN, or IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET and IDAAS_APPLICATION_ID to obtain one"
    );
}

/// The developer API's token source is decided in one place for a call and for whoami: the
/// access token, else the application's client credentials, and what is missing from them.
#[tokio::test]
async fn whoami_and_a_call_agree_on_where_the_developer_api_token_comes_from() {
    let empty = tempfile::tempdir().unwrap();
    let grant = [
        ("IDAAS_CLIENT_ID", "client-whoami"),
        ("IDAAS_CLIENT_SECRET", "sentinel-client-secret-whoami"),
        ("IDAAS_APPLICATION_ID", "app_whoami"),
        ("IDAAS_INSTANCE_ID", "idaas_whoami"),
    ];
    let whoami = |env: Vec<(&'static str, &'static str)>| {
        let home = empty.path().to_path_buf();
        async move {
            let run = idtok(&["whoami", "--family", "eiam-developerapi"], &home, &env).await;
            let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert!(
                !run.stdout.contains("sentinel-client-secret"),
                "{}",
                run.stdout
            );
            (run.code, shown["eiam-developerapi"].clone())
        }
    };
    let (code, shown) = whoami(grant.to_vec()).await;
    assert_eq!(code, 0);
    assert_eq!(
        shown,
        serde_json::json!({
            "source": "client credentials (IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET)",
            "client_id": "client-whoami",
            "application_id": "app_whoami",
            "instance_id": "idaas_whoami",
        })
    );
    // The access token wins over client credentials.
    let mut both = grant.to_vec();
    both.push(("IDAAS_ACCESS_TOKEN", "sentinel-client-secret-token"));
    assert_eq!(whoami(both).await.1["source"], "IDAAS_ACCESS_TOKEN");
    // Client credentials without their secret: whoami and a call say the same.
    let incomplete = vec![grant[0], grant[2], grant[3]];
    let (code, shown) = whoami(incomplete.clone()).await;
    assert_eq!(code, 2);
    let said = shown["error"].as_str().unwrap().to_owned();
    assert!(said.contains("IDAAS_CLIENT_SECRET"), "{said}");
    let call = idtok(
        &[
            "--endpoint",
            "http://127.0.0.1:9",
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "idaas_whoami",
            "--consumer-id",
            "c",
            "--credential-provider-identifier",
            "p",
        ],
        empty.path(),
        &incomplete,
    )
    .await;
    assert_eq!(call.code, 2, "{}", call.stderr);
    assert_eq!(call.stderr, format!("idtok: {said}\n"));
}

#[tokio::test]
async fn huawei_profile_region_and_endpoint_override_with_no_credential_in_the_environment() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".huaweicloud/credentials",
        "[basic]\nak = HPUAPROFILEAK01\nsk = huawei-profile-sk\nproject_id = proj-1\n",
    );
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"bearer_tokens":[],"request_id":"r"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    let list = [
        "identitystore",
        "list-bearer-tokens",
        "--identity-store-id",
        "d-1",
        "--tenant-id",
        "t-1",
    ];
    // The region from idtok's HUAWEICLOUD_SDK_REGION, its endpoint from the SDK's override.
    let run = idtok(
        &list,
        home.path(),
        &[
            ("HUAWEICLOUD_SDK_REGION", "ap-southeast-1"),
            (
                "HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_AP_SOUTHEAST_1",
                &server.uri(),
            ),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_sdk_hmac(&request, "HPUAPROFILEAK01", "huawei-profile-sk").unwrap();
    assert_eq!(header(&request, "x-project-id"), Some("proj-1"));
    let dry = idtok(
        &[&["--dry-run"][..], &list].concat(),
        home.path(),
        &[("HUAWEICLOUD_SDK_REGION", "cn-north-4")],
    )
    .await;
    assert!(
        dry.stdout
            .contains("https://identitystore.cn-north-4.myhuaweicloud.com/"),
        "{}",
        dry.stdout
    );
}

#[tokio::test]
async fn a_malformed_config_file_stops_with_its_name_and_line() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".alibabacloud/credentials.ini",
        "[default]\ntype = access_key\nthis line has no equals sign\n",
    );
    let run = idtok(&args(&["--region", "cn-hangzhou"]), home.path(), &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("credentials.ini, line 3"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_credentials_file_others_may_read_is_warned_about_once_without_debug() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let config = write(home.path(), ".aliyun/config.json", CLI_CONFIG);
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Read twice in the run: for the region (the profile's region_id), then for credentials,
    // which a dry run signs with.
    let run = idtok(&args(&["--dry-run"]), home.path(), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("eiam.cn-beijing.aliyuncs.com"),
        "{}",
        run.stdout
    );
    let warning = format!(
        "idtok: warning: {0} may be read by other users (mode 644) and holds credentials: run `chmod 600 {0}`\n",
        config.display()
    );
    assert_eq!(run.stderr, warning);
    assert!(!run.stderr.contains("work-profile-secret"));

    // Once it is private, nothing is said.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let run = idtok(&args(&["--dry-run"]), home.path(), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");

    // KooCLI's file, read for the profile's region and then its keys, against a local identity
    // store (the region's endpoint override).
    let koocli = write(
        home.path(),
        ".hcloud/config.json",
        r#"{"authEncrypt": "false", "profiles": [{"name": "k", "mode": "AKSK", "accessKeyId": "HPUAKOOCLIAK001", "secretAccessKey": "koocli-sk", "region": "ap-southeast-1"}]}"#,
    );
    std::fs::set_permissions(&koocli, std::fs::Permissions::from_mode(0o604)).unwrap();
    let server = identitystore_server().await;
    let run = idtok(
        &[&["--profile", "k"][..], &LIST_BEARER_TOKENS].concat(),
        home.path(),
        &[(
            "HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_AP_SOUTHEAST_1",
            &server.uri(),
        )],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    verify_sdk_hmac(&only_request(&server).await, "HPUAKOOCLIAK001", "koocli-sk").unwrap();
    assert_eq!(
        run.stderr,
        format!(
            "idtok: warning: {0} may be read by other users (mode 604) and holds credentials: run `chmod 600 {0}`\n",
            koocli.display()
        )
    );
}

/// A server on 127.0.0.1 that accepts connections and never answers, as a metadata address
/// looks from a machine that is not a cloud instance; it counts the connections.
async fn silent_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            open.push(socket);
        }
    });
    (format!("http://{address}"), count)
}

#[tokio::test]
async fn off_a_cloud_instance_a_run_waits_on_each_metadata_address_once_and_no_metadata_on_none() {
    use std::sync::atomic::Ordering::SeqCst;
    let home = tempfile::tempdir().unwrap();
    let identitystore = [
        "identitystore",
        "list-bearer-tokens",
        "--identity-store-id",
        "d-1",
        "--tenant-id",
        "t-1",
        "--region",
        "ap-southeast-1",
    ];
    let sts = ["sts", "get-caller-identity", "--region", "cn-hangzhou"];
    let eiam = args(&["--region", "cn-hangzhou"]);
    // (the command, whether it asks the Alibaba chain, the Huawei chain)
    let runs: [(&[&str], bool, bool); 4] = [
        (&["whoami"], true, true),
        (&eiam, true, false),
        (&sts, true, false),
        (&identitystore, false, true),
    ];
    // The eight runs at once: each waits on its own silent servers, and one after another they
    // were ~9 s of waiting.
    let checks = runs.into_iter().flat_map(|run| [(run, false), (run, true)]);
    let home = &home;
    futures::future::join_all(
        checks.map(|((command, alibaba, huawei), no_metadata)| async move {
            let (alibaba_url, alibaba_asked) = silent_server().await;
            let (huawei_url, huawei_asked) = silent_server().await;
            let mut all = command.to_vec();
            if no_metadata {
                all.insert(0, "--no-metadata");
            }
            let started = std::time::Instant::now();
            let run = idtok(
                &all,
                home.path(),
                &[
                    ("IDTOK_ALIBABA_ECS_METADATA_URL", &alibaba_url),
                    ("IDTOK_HUAWEI_METADATA_URL", &huawei_url),
                ],
            )
            .await;
            let took = started.elapsed();
            assert_eq!(run.code, 2, "{all:?}: {}{}", run.stdout, run.stderr);
            let said = format!("{}{}", run.stdout, run.stderr);
            let (alibaba_asked, huawei_asked) =
                (alibaba_asked.load(SeqCst), huawei_asked.load(SeqCst));
            if no_metadata {
                assert_eq!((alibaba_asked, huawei_asked), (0, 0), "{all:?}");
                assert!(
                    took < std::time::Duration::from_secs(1),
                    "{all:?}: {took:?}"
                );
                assert!(said.contains("not asked: --no-metadata"), "{all:?}: {said}");
            } else {
                // Asked once each (a token request that times out is the answer), then given up
                // on after the vendors' read timeouts: 1 s for Alibaba, 3 s for Huawei.
                let expected = (usize::from(alibaba), usize::from(huawei));
                assert_eq!((alibaba_asked, huawei_asked), expected, "{all:?}: {said}");
                let wait = u64::from(alibaba) + 3 * u64::from(huawei);
                assert!(
                    took < std::time::Duration::from_millis(wait * 1000 + 900),
                    "{all:?}: {took:?}"
                );
                assert!(said.contains("timed out"), "{all:?}: {said}");
            }
        }),
    )
    .await;
}

/// An identity store that answers every list with no bearer tokens.
async fn identitystore_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"bearer_tokens":[],"request_id":"r"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

const LIST_BEARER_TOKENS: [&str; 6] = [
    "identitystore",
    "list-bearer-tokens",
    "--identity-store-id",
    "d-1",
    "--tenant-id",
    "t-1",
];

const HUAWEI_PROFILES: &str = "[basic]\nak = HPUABASICAK0001\nsk = basic-profile-sk\nproject_id = proj-basic\n\n[work]\nak = HPUAWORKAK00001\nsk = work-profile-sk\nproject_id = proj-work\n";

#[tokio::test]
async fn huawei_profile_names_a_section_of_the_credentials_file_or_a_koocli_profile() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".huaweicloud/credentials", HUAWEI_PROFILES);
    write(
        home.path(),
        ".hcloud/config.json",
        r#"{"authEncrypt": "false", "current": "plain", "profiles": [
            {"name": "plain", "mode": "AKSK", "accessKeyId": "HPUAKOOCLIAK001", "secretAccessKey": "koocli-plain-sk",
             "securityToken": "", "region": "ap-southeast-1", "projectId": "proj-koocli", "domainId": ""}]}"#,
    );
    let server = identitystore_server().await;
    let uri = server.uri();

    // The [work] section, not [basic]: its key signs and its project is sent.
    let run = idtok(
        &[
            &["--profile", "work", "--endpoint", &uri][..],
            &LIST_BEARER_TOKENS,
        ]
        .concat(),
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_sdk_hmac(&request, "HPUAWORKAK00001", "work-profile-sk").unwrap();
    assert_eq!(header(&request, "x-project-id"), Some("proj-work"));

    // KooCLI's profile, with its region: the region's endpoint override is where it goes.
    let server = identitystore_server().await;
    let uri = server.uri();
    let run = idtok(
        &[&["--profile", "plain"][..], &LIST_BEARER_TOKENS].concat(),
        home.path(),
        &[(
            "HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_AP_SOUTHEAST_1",
            uri.as_str(),
        )],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_sdk_hmac(&request, "HPUAKOOCLIAK001", "koocli-plain-sk").unwrap();
    assert_eq!(header(&request, "x-project-id"), Some("proj-koocli"));

    // whoami says which profile gave the key.
    let run = idtok(
        &["--profile", "work", "whoami", "--family", "huawei"],
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["huawei"]["source"], "profile/work");
    assert_eq!(shown["huawei"]["project_id"], "proj-work");

    // A profile in neither file is an error that names both, and nothing is sent.
    let run = idtok(
        &[
            &["--profile", "nope", "--endpoint", &uri][..],
            &LIST_BEARER_TOKENS,
        ]
        .concat(),
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    let credentials = home.path().join(".huaweicloud/credentials");
    let koocli = home.path().join(".hcloud/config.json");
    assert_eq!(
        run.stderr,
        format!(
            "idtok: Huawei Cloud profile 'nope': no [nope] section in {}, and no profile named 'nope' in {} (KooCLI)\n",
            credentials.display(),
            koocli.display()
        )
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_koocli_profile_with_encrypted_keys_is_refused_with_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".huaweicloud/credentials", HUAWEI_PROFILES);
    write(
        home.path(),
        ".hcloud/config.json",
        r#"{"authEncrypt": "true", "current": "enc", "profiles": [
            {"name": "enc", "mode": "AKSK", "accessKeyId": "ciphertext-of-the-ak", "secretAccessKey": "ciphertext-of-the-sk",
             "region": "cn-north-4"}]}"#,
    );
    let server = identitystore_server().await;
    let run = idtok(
        &[
            &["--profile", "enc", "--endpoint", &server.uri()][..],
            &LIST_BEARER_TOKENS,
        ]
        .concat(),
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    for said in [
        "Huawei Cloud profile 'enc': ",
        "keeps this profile's keys encrypted",
        "`hcloud configure set --cli-auth-encrypt=false`",
        "`hcloud configure set --cli-profile=enc --cli-access-key=... --cli-secret-key=...`",
        "or add a [enc] section with ak and sk to ",
    ] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    assert!(!run.stderr.contains("ciphertext"), "{}", run.stderr);
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}

/// A local STS that answers AssumeRole with credentials valid until 2099.
async fn assume_role_sts() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("x-acs-action", "AssumeRole"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"RequestId":"R-AR","Credentials":{"AccessKeyId":"STS.assumedkey","AccessKeySecret":"assumed-role-secret","SecurityToken":"assumed-role-token","Expiration":"2099-01-01T00:00:00Z"},"AssumedRoleUser":{"Arn":"acs:ram::1:role/idtok-role/idtok-test","AssumedRoleId":"3:idtok-test"}}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

const ROLE_PROFILE: &str = r#"{
  "current": "role",
  "profiles": [
    {"name": "role", "mode": "RamRoleArn", "access_key_id": "LTAIsourcekey", "access_key_secret": "source-key-secret",
     "ram_role_arn": "acs:ram::1:role/idtok-role", "ram_session_name": "idtok-test", "region_id": "cn-hangzhou"}
  ]
}"#;

#[tokio::test]
async fn an_assumed_role_is_cached_between_runs_in_a_private_file_and_no_cache_bypasses_it() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", ROLE_PROFILE);
    let sts = assume_role_sts().await;
    let env = [("IDTOK_ALIBABA_STS_ENDPOINT", sts.uri())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let assumed = || async {
        sts.received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| header(r, "x-acs-action") == Some("AssumeRole"))
            .count()
    };
    let run_with = |global: Vec<&'static str>| {
        let home = home.path().to_owned();
        let env = env.clone();
        async move {
            let server = eiam_server().await;
            let uri = server.uri();
            let mut all: Vec<&str> = global;
            all.extend(["--endpoint", uri.as_str()]);
            let run = idtok(&args(&all), &home, &env).await;
            let request = only_request(&server).await;
            (run, request)
        }
    };

    // The first run assumes the role and keeps its credentials.
    let (run, request) = run_with(vec![]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    verify_acs3(&request, "STS.assumedkey", "assumed-role-secret").unwrap();
    assert_eq!(assumed().await, 1);
    let dir = home.path().join(".cache/idtok/credentials");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = files[0].clone();
    assert!(file.extension().is_some_and(|e| e == "json"), "{file:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }

    // The second run signs with them and does not call STS.
    let (run, request) = run_with(vec![]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    verify_acs3(&request, "STS.assumedkey", "assumed-role-secret").unwrap();
    assert_eq!(
        header(&request, "x-acs-security-token"),
        Some("assumed-role-token")
    );
    assert_eq!(assumed().await, 1, "the second run called STS again");

    // --no-cache assumes the role again.
    let (run, _) = run_with(vec!["--no-cache"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(assumed().await, 2);

    // A cache file that is not what idtok writes is ignored with a warning, and replaced.
    std::fs::write(&file, "{\"Version\": 1, \"AccessKeyId\": 7}").unwrap();
    let (run, request) = run_with(vec![]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "idtok: warning: the credentials cache file {} is not one idtok wrote (no AccessKeyId); it is ignored\n",
            file.display()
        )
    );
    verify_acs3(&request, "STS.assumedkey", "assumed-role-secret").unwrap();
    assert_eq!(assumed().await, 3);
    let (run, _) = run_with(vec![]).await;
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(assumed().await, 3);

    // Another source key is another role session: not the cached one.
    write(
        home.path(),
        ".aliyun/config.json",
        &ROLE_PROFILE.replace("LTAIsourcekey", "LTAIothersource"),
    );
    let (run, _) = run_with(vec![]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(assumed().await, 4);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
}

/// A CloudSSO portal on 127.0.0.1: `POST /cloud-credentials` answers credentials valid until 2099.
async fn cloud_sso_portal() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cloud-credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"CloudCredential":{"AccessKeyId":"STS.ssokey","AccessKeySecret":"sso-sts-secret","SecurityToken":"sso-sts-token","Expiration":"2099-01-01T00:00:00Z"},"RequestId":"R-SSO"}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    server
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The profile the aliyun CLI writes after `aliyun configure --profile sso --mode CloudSSO`.
fn cloud_sso_profile(portal: &str, token_expire: u64, extra: &str) -> String {
    format!(
        r#"{{"current": "sso", "profiles": [{{
            "name": "sso", "mode": "CloudSSO", "region_id": "cn-hangzhou",
            "cloud_sso_sign_in_url": "{portal}/d-00fc2p61pmbr/login",
            "cloud_sso_account_id": "1968132000120000",
            "cloud_sso_access_config": "ac-00jhtfl8thteu6uj",
            "access_token": "sso-portal-access-token",
            "cloud_sso_access_token_expire": {token_expire}{extra}
        }}, {{"name": "bare", "mode": "CloudSSO", "cloud_sso_sign_in_url": "{portal}/d-00fc2p61pmbr/login"}}]}}"#
    )
}

#[tokio::test]
async fn an_aliyun_cloud_sso_profile_gives_credentials_from_the_portal() {
    let home = tempfile::tempdir().unwrap();
    let portal = cloud_sso_portal().await;
    write(
        home.path(),
        ".aliyun/config.json",
        &cloud_sso_profile(&portal.uri(), unix_now() + 3600, ""),
    );
    let server = eiam_server().await;
    let run = idtok(&args(&["--endpoint", &server.uri()]), home.path(), &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let request = only_request(&server).await;
    verify_acs3(&request, "STS.ssokey", "sso-sts-secret").unwrap();
    assert_eq!(
        header(&request, "x-acs-security-token"),
        Some("sso-sts-token")
    );
    // Asked as alibabacloud-credentials asks: the access token as a bearer, the account and
    // access configuration as JSON.
    let asked = only_request(&portal).await;
    assert_eq!(asked.method.as_str(), "POST");
    assert_eq!(
        header(&asked, "authorization"),
        Some("Bearer sso-portal-access-token")
    );
    assert_eq!(header(&asked, "content-type"), Some("application/json"));
    assert_eq!(header(&asked, "accept"), Some("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&asked.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"AccountId": "1968132000120000", "AccessConfigurationId": "ac-00jhtfl8thteu6uj"})
    );
    // The next run takes them from idtok's cache; whoami names the provider.
    let run = idtok(
        &[
            "whoami",
            "--family",
            "alibaba",
            "--endpoint",
            &sts().await.uri(),
        ],
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["alibaba"]["source"], "cli_profile/cloud_sso");
    assert_eq!(shown["alibaba"]["temporary"], true);
    assert_eq!(portal.received_requests().await.unwrap().len(), 1);
    for secret in ["sso-portal-access-token", "sso-sts-secret", "sso-sts-token"] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret));
    }
}

#[tokio::test]
async fn cloud_sso_credentials_the_cli_kept_are_used_and_an_unusable_profile_names_the_command() {
    let home = tempfile::tempdir().unwrap();
    let portal = cloud_sso_portal().await;
    // The credentials the aliyun CLI kept in the profile, valid for another 50 minutes.
    let kept = format!(
        r#", "access_key_id": "STS.clikept", "access_key_secret": "cli-kept-secret", "sts_token": "cli-kept-token", "sts_expiration": {}"#,
        unix_now() + 3000
    );
    write(
        home.path(),
        ".aliyun/config.json",
        &cloud_sso_profile(&portal.uri(), unix_now() + 3600, &kept),
    );
    let server = eiam_server().await;
    let run = idtok(
        &args(&["--no-cache", "--endpoint", &server.uri()]),
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    verify_acs3(
        &only_request(&server).await,
        "STS.clikept",
        "cli-kept-secret",
    )
    .unwrap();
    assert_eq!(portal.received_requests().await.unwrap().len(), 0);

    // An access token that has expired: the command that signs in again.
    write(
        home.path(),
        ".aliyun/config.json",
        &cloud_sso_profile(&portal.uri(), unix_now() - 1, ""),
    );
    let server = eiam_server().await;
    let run = idtok(&args(&["--endpoint", &server.uri()]), home.path(), &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "profile 'sso': the CloudSSO access token is missing or has expired: sign in again with `aliyun configure --profile sso`"
        ),
        "{}",
        run.stderr
    );
    // A profile without its account and access configuration: the command that configures it.
    let run = idtok(
        &args(&["--profile", "bare", "--endpoint", &server.uri()]),
        home.path(),
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`aliyun configure --profile bare --mode CloudSSO`"),
        "{}",
        run.stderr
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    assert_eq!(portal.received_requests().await.unwrap().len(), 0);
    assert!(!run.stderr.contains("sso-portal-access-token"));
}

#[tokio::test]
async fn an_alibaba_profile_named_by_the_flag_beats_the_environment_and_a_missing_one_is_an_error()
{
    let home = tempfile::tempdir().unwrap();
    write(home.path(), ".aliyun/config.json", CLI_CONFIG);
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvironment"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "environment-secret"),
    ];
    let server = eiam_server().await;
    let run = idtok(
        &args(&["--profile", "other", "--endpoint", &server.uri()]),
        home.path(),
        &env,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    verify_acs3(
        &only_request(&server).await,
        "LTAIotherprofile",
        "other-profile-secret",
    )
    .unwrap();

    let server = eiam_server().await;
    let run = idtok(
        &args(&["--profile", "nope", "--endpoint", &server.uri()]),
        home.path(),
        &env,
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "idtok: no Alibaba Cloud credentials from profile 'nope' (asked by name: only the aliyun CLI's profile and the credentials file's section of that name are read):\n  cli_profile: {}: no profile named 'nope'\n  profile: {} does not exist\n",
            home.path().join(".aliyun/config.json").display(),
            home.path().join(".alibabacloud/credentials.ini").display()
        )
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
