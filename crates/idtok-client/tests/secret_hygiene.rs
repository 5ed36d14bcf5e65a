//! No secret in any output that is not meant to carry one.
//!
//! Every type of the workspace that can hold a secret (access key secret, security tokens, SK,
//! bearer token, application token, client secret) is filled with sentinel values, and calls are
//! made with them that succeed, fail at the service, are retried, fail on the network and fail
//! before sending. Then every Debug (plain and `{:#?}`) and Display output, every error message,
//! every panic message a user's `unwrap` would print, and every `tracing` event at TRACE level is
//! searched for the sentinels. The one place a secret must appear, the JSON of an Obtain answer
//! (what `idtok` prints), is checked to carry it, which also proves the sentinels were really
//! there to find.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use idtok_client::{CallError, RetryPolicy};
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, Environment, HuaweiCredentials, ProvideCredentials,
    StaticCredentials, ALIBABA_ACCESS_KEY_SECRET, ALIBABA_SECURITY_TOKEN, HUAWEI_SECURITY_TOKEN,
    HUAWEI_SK, IDAAS_ACCESS_TOKEN,
};
use idtok_runtime::endpoint::Endpoint;
use idtok_secret::SecretString;
use idtok_testkit::Captured;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCESS_KEY_SECRET: &str = "SENTINEL-access-key-secret-5f1c";
const STS_TOKEN: &str = "SENTINEL-sts-token-77ab";
const SK: &str = "SENTINEL-huawei-sk-0d3e";
const HUAWEI_TOKEN: &str = "SENTINEL-huawei-security-token-9a41";
const BEARER: &str = "SENTINEL-bearer-token-c2d8";
const APPLICATION_TOKEN: &str = "SENTINEL-application-token-4e6f";
const CLIENT_SECRET: &str = "SENTINEL-client-secret-8b90";
/// The temporary credentials an STS AssumeRole answer carries.
const ASSUMED_SECRET: &str = "SENTINEL-assumed-role-secret-1c9d";
const ASSUMED_TOKEN: &str = "SENTINEL-assumed-role-token-e52a";
/// What the Alibaba default chain reads besides AccessKey secrets and STS tokens: an RRSA OIDC
/// token (a file) and an ECS metadata service's IMDSv2 token.
const OIDC_TOKEN: &str = "SENTINEL-oidc-token-3f7a";
const IMDS_TOKEN: &str = "SENTINEL-imds-token-6b2e";
const ALIBABA_CHAIN_SENTINELS: [&str; 2] = [OIDC_TOKEN, IMDS_TOKEN];

const SENTINELS: [&str; 9] = [
    ACCESS_KEY_SECRET,
    STS_TOKEN,
    SK,
    HUAWEI_TOKEN,
    BEARER,
    APPLICATION_TOKEN,
    CLIENT_SECRET,
    ASSUMED_SECRET,
    ASSUMED_TOKEN,
];

/// Every output collected, each named for the failure message.
#[derive(Default)]
struct Outputs(Vec<(String, String)>);

impl Outputs {
    fn debug(&mut self, what: &str, value: &impl std::fmt::Debug) {
        self.0
            .push((format!("{what} (Debug)"), format!("{value:?}")));
        self.0
            .push((format!("{what} (Debug, pretty)"), format!("{value:#?}")));
    }
    fn display(&mut self, what: &str, value: &impl std::fmt::Display) {
        self.0
            .push((format!("{what} (Display)"), value.to_string()));
    }
    fn both(&mut self, what: &str, value: &(impl std::fmt::Debug + std::fmt::Display)) {
        self.debug(what, value);
        self.display(what, value);
    }
}

/// Answers in turn; the last answer repeats.
struct Sequence(Vec<ResponseTemplate>, AtomicUsize);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.1.fetch_add(1, Ordering::SeqCst);
        self.0[i.min(self.0.len() - 1)].clone()
    }
}

async fn server(answers: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Sequence(answers, AtomicUsize::new(0)))
        .mount(&server)
        .await;
    server
}

fn json(status: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body, "application/json")
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 2,
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(5),
    }
}

fn alibaba() -> AlibabaCredentials {
    AlibabaCredentials::new("LTAI5tHygieneKeyId", ACCESS_KEY_SECRET).with_security_token(STS_TOKEN)
}

fn huawei() -> HuaweiCredentials {
    HuaweiCredentials::new("QTWAOYTTINDUT2QVKYUC", SK).with_security_token(HUAWEI_TOKEN)
}

fn eiam(server: &MockServer, credentials: AlibabaCredentials) -> idtok_client::eiam::Client {
    let context = idtok_client::eiam::ClientContext::new(StaticCredentials(credentials))
        .with_retry_policy(quick_retries());
    idtok_client::eiam::Client::from_endpoint(&Endpoint::url(&server.uri()).unwrap(), context)
        .unwrap()
}

/// A ListApplicationTokens call that the test expects to fail.
async fn failed_listing(
    client: &idtok_client::eiam::Client,
) -> idtok_client::eiam::Error<idtok_eiam_models::ErrorResponse> {
    client
        .list_application_tokens()
        .instance_id("idaas_1")
        .application_id("app_1")
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap_err()
}

/// An ObtainApplicationClientSecret call, ready to send.
fn obtain_client_secret(
    client: &idtok_client::eiam::Client,
) -> idtok_client::eiam::builder::ObtainApplicationClientSecret<'_> {
    client
        .obtain_application_client_secret()
        .instance_id("idaas_1")
        .application_id("app_1")
        .secret_id("sci_1")
}

/// A user's `result.unwrap()` on an error: the panic message it prints.
fn unwrap_panic_message<E: std::fmt::Debug>(error: E) -> String {
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Exactly what a user's code does with a failed call.
        #[allow(clippy::unnecessary_literal_unwrap)]
        Err::<(), E>(error).unwrap();
    }))
    .unwrap_err();
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Records of the `log` crate, which reqwest logs through (URLs included): a GenerateToken URL
/// carries the client secret in its query.
struct LogRecords(Captured);

impl log::Log for LogRecords {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let _ = writeln!(
            self.0.clone(),
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
    }
    fn flush(&self) {}
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_debug_display_errors_panics_or_tracing() {
    let records = Captured::default();
    log::set_boxed_logger(Box::new(LogRecords(records.clone()))).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let log = Captured::default();
    tracing::subscriber::set_global_default(log.subscriber()).unwrap();
    let panics = Captured::default();
    let panic_writer = panics.clone();
    std::panic::set_hook(Box::new(move |info| {
        let _ = writeln!(panic_writer.clone(), "{info}");
    }));

    let mut out = Outputs::default();

    // The holders themselves.
    out.both("SecretString", &SecretString::from(ACCESS_KEY_SECRET));
    out.debug("AlibabaCredentials", &alibaba());
    out.debug("HuaweiCredentials", &huawei());
    out.debug("AccessToken", &AccessToken::new(BEARER));
    out.debug("StaticCredentials", &StaticCredentials(alibaba()));
    let environment = Environment::from_variables([
        (ALIBABA_ACCESS_KEY_SECRET, ACCESS_KEY_SECRET),
        (ALIBABA_SECURITY_TOKEN, STS_TOKEN),
        (HUAWEI_SK, SK),
        (HUAWEI_SECURITY_TOKEN, HUAWEI_TOKEN),
        (IDAAS_ACCESS_TOKEN, BEARER),
    ]);
    out.debug("Environment", &environment);
    // Secrets set but the ids missing: the errors name the variables, never the values.
    let missing_id = environment.alibaba().unwrap_err();
    out.both("CredentialsError (Alibaba)", &missing_id);
    out.both(
        "CredentialsError (Huawei)",
        &environment.huawei().unwrap_err(),
    );
    out.debug(
        "AccessToken from the environment",
        &environment.access_token().unwrap(),
    );
    let provided = ProvideCredentials::<AlibabaCredentials>::provide(&environment).await;
    out.debug("provide() of the environment", &provided);

    let eiam_context = idtok_client::eiam::ClientContext::new(StaticCredentials(alibaba()));
    out.debug("eiam::ClientContext", &eiam_context);
    let developer_context = idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
        AccessToken::new(BEARER),
    ));
    out.debug("eiam_developerapi::ClientContext", &developer_context);
    let huawei_context =
        idtok_client::identitystore::ClientContext::new(StaticCredentials(huawei()));
    out.debug("identitystore::ClientContext", &huawei_context);

    // Obtain answers carrying an application token and a client secret.
    let token_body = format!(
        r#"{{"RequestId":"R1","ApplicationToken":{{"ApplicationTokenId":"token_1","ApplicationToken":"{APPLICATION_TOKEN}","Status":"enabled"}}}}"#
    );
    let secret_body = format!(
        r#"{{"RequestId":"R2","ApplicationClientSecret":{{"SecretId":"sci_1","ClientSecret":"{CLIENT_SECRET}","Status":"enabled"}}}}"#
    );
    let obtain = server(vec![
        json(503, r#"{"Code":"ServiceUnavailable"}"#.to_owned()),
        json(200, token_body),
    ])
    .await;
    let client = eiam(&obtain, alibaba());
    out.debug("eiam::Client", &client);
    let token = client
        .obtain_application_token()
        .instance_id("idaas_1")
        .application_id("app_1")
        .application_token_id("token_1")
        .send()
        .await
        .unwrap();
    out.debug("ResponseValue<ObtainApplicationTokenResponse>", &token);
    let token = token.into_inner();
    out.debug("ObtainApplicationTokenResponse", &token);
    let printed = serde_json::to_string(&token).unwrap();
    assert!(
        printed.contains(APPLICATION_TOKEN),
        "the JSON an Obtain prints must carry the token: {printed}"
    );

    let obtain_secret = server(vec![json(200, secret_body)]).await;
    let secret = eiam(&obtain_secret, alibaba())
        .obtain_application_client_secret()
        .instance_id("idaas_1")
        .application_id("app_1")
        .secret_id("sci_1")
        .send()
        .await
        .unwrap()
        .into_inner();
    out.debug("ObtainApplicationClientSecretResponse", &secret);
    assert!(serde_json::to_string(&secret)
        .unwrap()
        .contains(CLIENT_SECRET));

    // The answer kept as received (idtok's record), and an answer that did not decode, which
    // keeps the token whole in the error: neither shows it.
    let secret_body_again = format!(
        r#"{{"RequestId":"R2","ApplicationClientSecret":{{"SecretId":"sci_1","ClientSecret":"{CLIENT_SECRET}","Status":"enabled"}},"Unknown":{{"NewSecret":"{CLIENT_SECRET}"}}}}"#
    );
    let kept = server(vec![json(200, secret_body_again)]).await;
    let (answer, record) = idtok_client::record(
        idtok_client::RecordOptions {
            keep_answer: true,
            dry_run: false,
        },
        obtain_client_secret(&eiam(&kept, alibaba())).send(),
    )
    .await;
    let answer = answer.unwrap().into_inner();
    out.debug(
        "ObtainApplicationClientSecretResponse with an unknown field",
        &answer,
    );
    out.debug("CallRecord (answer kept)", &record);
    assert!(
        String::from_utf8_lossy(record.answer.as_ref().unwrap().expose_secret())
            .contains(CLIENT_SECRET)
    );
    let cut = server(vec![json(
        201,
        format!(r#"{{"ApplicationClientSecret":{{"ClientSecret":"{CLIENT_SECRET}","#),
    )])
    .await;
    let undecodable = idtok_client::call(
        "ObtainApplicationClientSecret",
        obtain_client_secret(&eiam(&cut, alibaba())).send(),
    )
    .await
    .unwrap_err();
    out.both("CallError (undecodable 2xx)", &undecodable);
    assert!(undecodable.answer.is_some());
    // A dry run signs with every credential and shows the request, headers redacted.
    let (_, dry) = idtok_client::record(
        idtok_client::RecordOptions {
            keep_answer: false,
            dry_run: true,
        },
        obtain_client_secret(&eiam(&cut, alibaba())).send(),
    )
    .await;
    out.debug("CallRecord (dry run)", &dry);
    let unsent = dry.unsent.expect("the dry run kept the request");
    out.0.push((
        "UnsentRequest headers".to_owned(),
        format!("{:?}", unsent.headers),
    ));

    // Failures at the service, after a retry, for each family.
    let denied = server(vec![json(
        403,
        r#"{"Code":"NoPermission","Message":"Denied.","RequestId":"R3"}"#.to_owned(),
    )])
    .await;
    let error = failed_listing(&eiam(&denied, alibaba())).await;
    out.debug("progenitor Error (EIAM 403)", &error);
    let described = CallError::from_client_error("ListApplicationTokens", error).await;
    out.both("CallError (EIAM 403)", &described);
    out.0.push((
        "panic of unwrap on CallError".to_owned(),
        unwrap_panic_message(described),
    ));

    let developer = server(vec![
        json(429, r#"{"code":"Throttling"}"#.to_owned()),
        json(403, r#"{"code":"Forbidden","message":"No."}"#.to_owned()),
    ])
    .await;
    let developer_client = idtok_client::eiam_developerapi::Client::from_endpoint(
        &Endpoint::url(&developer.uri()).unwrap(),
        developer_context.with_retry_policy(quick_retries()),
    )
    .unwrap();
    out.debug("eiam_developerapi::Client", &developer_client);
    let error = developer_client
        .list_authentication_tokens()
        .instance_id("idaas_1")
        .consumer_id("consumer_1")
        .credential_provider_identifier("provider_1")
        .send()
        .await
        .unwrap_err();
    out.debug("progenitor Error (developer API 403)", &error);
    out.0.push((
        "panic of unwrap on a progenitor Error".to_owned(),
        unwrap_panic_message(format!("{error:?}")),
    ));
    let described = CallError::from_client_error("ListAuthenticationTokens", error).await;
    out.both("CallError (developer API 403)", &described);

    let huawei_server = server(vec![
        json(500, r#"{"error_code":"IDENTITYSTORE.500"}"#.to_owned()),
        json(401, r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information."}"#.to_owned()),
    ])
    .await;
    let huawei_client = idtok_client::identitystore::Client::from_endpoint(
        &Endpoint::url(&huawei_server.uri()).unwrap(),
        huawei_context.with_retry_policy(quick_retries()),
    )
    .unwrap();
    out.debug("identitystore::Client", &huawei_client);
    let error = huawei_client
        .list_bearer_tokens()
        .identity_store_id("d-1")
        .tenant_id("t-1")
        .send()
        .await
        .unwrap_err();
    let described = CallError::from_client_error("ListBearerTokens", error).await;
    out.both("CallError (identity store 401)", &described);

    // STS: AssumeRole answering temporary credentials, signed with an STS token of its own.
    sts_assume_role(&mut out).await;

    // Failures before sending: a token that cannot be a header value, and no credentials.
    let unsendable = failed_listing(&eiam(
        &denied,
        AlibabaCredentials::new("LTAI5tHygieneKeyId", ACCESS_KEY_SECRET)
            .with_security_token(format!("{STS_TOKEN}\n")),
    ))
    .await;
    let described = CallError::from_client_error("ListApplicationTokens", unsendable).await;
    out.both("CallError (unsendable token)", &described);
    let no_id = failed_listing(
        &idtok_client::eiam::Client::from_endpoint(
            &Endpoint::url(&denied.uri()).unwrap(),
            idtok_client::eiam::ClientContext::new(environment.clone()),
        )
        .unwrap(),
    )
    .await;
    let described = CallError::from_client_error("ListApplicationTokens", no_id).await;
    out.both("CallError (no access key id)", &described);

    // Failure on the network, after retries.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let error = failed_listing(
        &idtok_client::eiam::Client::from_endpoint(
            &Endpoint::url(&format!("http://{address}")).unwrap(),
            idtok_client::eiam::ClientContext::new(StaticCredentials(alibaba()))
                .with_retry_policy(quick_retries()),
        )
        .unwrap(),
    )
    .await;
    out.debug("progenitor Error (network)", &error);
    let described = CallError::from_client_error("ListApplicationTokens", error).await;
    out.both("CallError (network)", &described);

    // GenerateToken sends the client secret in its form body: refused, failed on the network,
    // and through the access token provider.
    let developer_api = |base: &str| {
        idtok_client::eiam_developerapi::Client::from_endpoint(
            &Endpoint::url(base).unwrap(),
            idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
                AccessToken::new(BEARER),
            )),
        )
        .unwrap()
    };
    for base in [denied.uri(), format!("http://{address}")] {
        let client = developer_api(&base);
        let error = client
            .generate_token()
            .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
            .body(
                idtok_eiam_developerapi_models::GenerateTokenRequest::builder()
                    .grant_type("client_credentials")
                    .client_id(Some("app_mkv7rgt4d7i4u7zqtzev2mxxxx".to_owned()))
                    .client_secret(Some(CLIENT_SECRET.into())),
            )
            .send()
            .await
            .unwrap_err();
        out.debug("progenitor Error (GenerateToken)", &error);
        let described = CallError::from_client_error("GenerateToken", error).await;
        out.both("CallError (GenerateToken)", &described);
        let grant = idtok_runtime::credentials::IdaasClientCredentials::new(
            "idaas_ue2jvisn35ea5lmthk267xxxxx",
            "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
            "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
            CLIENT_SECRET,
        );
        out.debug("IdaasClientCredentials", &grant);
        let provider =
            idtok_client::eiam_developerapi::ClientCredentialsProvider::with_client(client, grant);
        out.debug("ClientCredentialsProvider", &provider);
        let error = provider.access_token().await.unwrap_err();
        out.both("CredentialsError (GenerateToken)", &error);
    }

    // The Alibaba default chain, each of its providers fed the sentinels, succeeding and failing.
    alibaba_default_chain(&mut out).await;
    assert!(
        log.text().contains("renewing temporary credentials failed"),
        "the failed renewal of the ECS credentials was logged: {}",
        log.text()
    );

    // The Huawei default chain, fed the sentinels, succeeding and failing.
    let metadata_token = huawei_default_chain(&mut out).await;
    assert!(
        log.text().contains("renewing temporary credentials failed"),
        "the failed renewal of the metadata key was logged: {}",
        log.text()
    );

    let _ = std::panic::take_hook();
    out.0
        .push(("log records (reqwest)".to_owned(), records.text()));
    out.0.push(("tracing events".to_owned(), log.text()));
    out.0.push(("panic hook output".to_owned(), panics.text()));

    // The search can fail: the log holds the retries, reqwest logged, the panics were seen.
    assert!(
        !records.text().is_empty(),
        "reqwest logged nothing: the search of its records would be empty"
    );
    assert!(
        log.text().contains("retrying"),
        "tracing captured: {}",
        log.text()
    );
    assert!(panics
        .text()
        .contains("called `Result::unwrap()` on an `Err` value"));
    for (what, text) in &out.0 {
        assert!(
            !text.contains(metadata_token),
            "{what} shows the metadata service's session token:\n{text}"
        );
        for sentinel in SENTINELS.iter().chain(&ALIBABA_CHAIN_SENTINELS) {
            assert!(
                !text.contains(sentinel),
                "{what} shows the secret {sentinel}:\n{text}"
            );
        }
    }
}

/// STS AssumeRole through `idtok_client::sts`, signed with temporary credentials (an STS token in
/// a signed header): an answer with the assumed role's AccessKey secret and security token after
/// a throttled attempt, kept as received, cut short (undecodable), refused after a retry and dry
/// run. AssumeRoleWithOIDC, whose token travels in the query, refused.
async fn sts_assume_role(out: &mut Outputs) {
    let sts = |server: &MockServer| {
        idtok_client::sts::Client::from_endpoint(
            &Endpoint::url(&server.uri()).unwrap(),
            idtok_client::sts::ClientContext::new(StaticCredentials(alibaba()))
                .with_retry_policy(quick_retries()),
        )
        .unwrap()
    };
    fn assume(client: &idtok_client::sts::Client) -> idtok_client::sts::builder::AssumeRole<'_> {
        client
            .assume_role()
            .role_arn("acs:ram::1:role/hygiene")
            .role_session_name("hygiene")
    }
    let credentials = format!(
        r#"{{"AccessKeyId":"STS.assumed","AccessKeySecret":"{ASSUMED_SECRET}","SecurityToken":"{ASSUMED_TOKEN}","Expiration":"2099-01-01T00:00:00Z"}}"#
    );
    let answer = format!(
        r#"{{"RequestId":"R-sts","AssumedRoleUser":{{"Arn":"acs:ram::1:role/hygiene/hygiene","AssumedRoleId":"1:hygiene"}},"Credentials":{credentials},"Unknown":{{"Copy":{credentials}}}}}"#
    );
    let answering = server(vec![
        json(
            429,
            r#"{"Code":"Throttling.User","RequestId":"R-429"}"#.to_owned(),
        ),
        json(200, answer),
    ])
    .await;
    let client = sts(&answering);
    out.debug("sts::Client", &client);
    let assumed = assume(&client).send().await.unwrap();
    out.debug("ResponseValue<AssumeRoleResponse>", &assumed);
    let assumed = assumed.into_inner();
    out.debug("AssumeRoleResponse", &assumed);
    out.debug("sts Credentials", &assumed.credentials);
    let printed = serde_json::to_string(&assumed).unwrap();
    assert!(
        printed.contains(ASSUMED_SECRET) && printed.contains(ASSUMED_TOKEN),
        "the JSON of the answer must carry the credentials: {printed}"
    );
    let (answer, record) = idtok_client::record(
        idtok_client::RecordOptions {
            keep_answer: true,
            dry_run: false,
        },
        assume(&client).send(),
    )
    .await;
    out.debug(
        "AssumeRoleResponse (recorded)",
        &answer.unwrap().into_inner(),
    );
    out.debug("CallRecord (AssumeRole, answer kept)", &record);
    let cut = server(vec![json(
        200,
        format!(r#"{{"Credentials":{{"AccessKeySecret":"{ASSUMED_SECRET}","SecurityToken":"{ASSUMED_TOKEN}","#),
    )])
    .await;
    let undecodable = idtok_client::call("AssumeRole", assume(&sts(&cut)).send())
        .await
        .unwrap_err();
    out.both("CallError (AssumeRole, undecodable 2xx)", &undecodable);
    out.0.push((
        "panic of unwrap on CallError (AssumeRole)".to_owned(),
        unwrap_panic_message(undecodable),
    ));
    let denied = server(vec![
        json(503, r#"{"Code":"ServiceUnavailable"}"#.to_owned()),
        json(
            403,
            r#"{"Code":"NoPermission","Message":"You are not authorized to do this action.","RequestId":"R-denied"}"#.to_owned(),
        ),
    ])
    .await;
    let error = assume(&sts(&denied)).send().await.unwrap_err();
    out.debug("progenitor Error (AssumeRole 403)", &error);
    let described = CallError::from_client_error("AssumeRole", error).await;
    out.both("CallError (AssumeRole 403)", &described);
    let (_, dry) = idtok_client::record(
        idtok_client::RecordOptions {
            keep_answer: false,
            dry_run: true,
        },
        assume(&client).send(),
    )
    .await;
    out.debug("CallRecord (AssumeRole, dry run)", &dry);
    let refused = server(vec![json(
        400,
        r#"{"Code":"InvalidParameter.OIDCToken","RequestId":"R-oidc"}"#.to_owned(),
    )])
    .await;
    let error = sts(&refused)
        .assume_role_with_oidc()
        .oidc_provider_arn("acs:ram::1:oidc-provider/p")
        .role_arn("acs:ram::1:role/hygiene")
        .oidc_token(OIDC_TOKEN)
        .role_session_name("hygiene")
        .send()
        .await
        .unwrap_err();
    out.debug("progenitor Error (AssumeRoleWithOIDC 400)", &error);
    let described = CallError::from_client_error("AssumeRoleWithOIDC", error).await;
    out.both("CallError (AssumeRoleWithOIDC 400)", &described);
}

/// The Alibaba default chain (`idtok_client::credentials::alibaba`) over files, variables, a
/// metadata service and an STS that hold the sentinels: its Debug, the credentials it gives and
/// their source, a renewal that fails (a warning), and the errors of every provider.
async fn alibaba_default_chain(out: &mut Outputs) {
    use idtok_client::credentials::alibaba::{DefaultChain, RamRoleArnProvider};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[derive(Debug, Clone)]
    struct MovingClock(Arc<Mutex<SystemTime>>);
    impl idtok_runtime::clock::Clock for MovingClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let clock = MovingClock(Arc::new(Mutex::new(now)));
    // 2023-11-15T04:13:20Z: six hours after `now`.
    let expiration = "2023-11-15T04:13:20Z";
    let credentials_body = format!(
        r#"{{"Code":"Success","AccessKeyId":"STS.hygiene","AccessKeySecret":"{ACCESS_KEY_SECRET}","SecurityToken":"{STS_TOKEN}","Expiration":"{expiration}"}}"#
    );

    let home = std::env::temp_dir().join(format!("idtok-hygiene-{}", std::process::id()));
    let write = |relative: &str, text: &str| {
        let path = home.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    };
    write(
        ".aliyun/config.json",
        &format!(
            r#"{{"current":"role","profiles":[
            {{"name":"role","mode":"RamRoleArn","access_key_id":"LTAI5tHygieneKeyId","access_key_secret":"{ACCESS_KEY_SECRET}","ram_role_arn":"acs:ram::1:role/hygiene"}},
            {{"name":"bad","mode":"AK","access_key_id":7,"access_key_secret":"{ACCESS_KEY_SECRET}","sts_token":"{STS_TOKEN}"}}]}}"#
        ),
    );
    // Others may read it: the warning names the file, not what is in it.
    let ini = write(
        ".alibabacloud/credentials.ini",
        &format!("[default]\ntype = access_key\naccess_key_id = LTAI5tHygieneKeyId\naccess_key_secret = {ACCESS_KEY_SECRET}\n"),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ini, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let token_file = write("oidc-token", OIDC_TOKEN).display().to_string();

    // STS: AssumeRole gives the sentinels; AssumeRoleWithOIDC refuses the token.
    struct Sts(String);
    impl Respond for Sts {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if request
                .url
                .query()
                .unwrap_or_default()
                .contains("AssumeRoleWithOIDC")
            {
                return json(
                    400,
                    r#"{"Code":"InvalidParameter.OIDCToken","Message":"The OIDC token is invalid.","RequestId":"R-oidc"}"#.to_owned(),
                );
            }
            json(
                200,
                format!(r#"{{"RequestId":"R-role","Credentials":{}}}"#, self.0),
            )
        }
    }
    let sts = MockServer::start().await;
    Mock::given(any())
        .respond_with(Sts(credentials_body.clone()))
        .mount(&sts)
        .await;
    // The metadata service: an IMDSv2 token, the role, its credentials; then out of order.
    struct Metadata(String, Arc<std::sync::atomic::AtomicBool>);
    impl Respond for Metadata {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if self.1.load(Ordering::SeqCst) {
                return ResponseTemplate::new(500).set_body_string(IMDS_TOKEN);
            }
            match request.url.path() {
                "/latest/api/token" => ResponseTemplate::new(200).set_body_string(IMDS_TOKEN),
                "/latest/meta-data/ram/security-credentials/" => {
                    ResponseTemplate::new(200).set_body_string("HygieneRole")
                }
                _ => json(200, self.0.clone()),
            }
        }
    }
    let broken = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let metadata = MockServer::start().await;
    Mock::given(any())
        .respond_with(Metadata(credentials_body.clone(), broken.clone()))
        .mount(&metadata)
        .await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let uri = format!("{closed}/credentials?token={IMDS_TOKEN}");
    let variables = [
        (ALIBABA_ACCESS_KEY_SECRET, ACCESS_KEY_SECRET),
        (ALIBABA_SECURITY_TOKEN, STS_TOKEN),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str()),
    ];
    let rrsa = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
    ];
    let builder = || {
        DefaultChain::builder()
            .environment(Environment::from_variables(variables))
            .home_dir(&home)
            .clock(Arc::new(clock.clone()))
            .sts_endpoint(Endpoint::url(&sts.uri()).unwrap())
            .ecs_metadata_url(metadata.uri())
            .sts_retry_policy(quick_retries())
    };
    out.debug("alibaba::DefaultChainBuilder", &builder());

    // Succeeding: a RAM role over the CLI profile's AccessKey.
    let chain = builder().build().unwrap();
    out.debug("alibaba::DefaultChain", &chain);
    let sourced = chain.credentials().await.unwrap();
    assert_eq!(sourced.source, "cli_profile/ram_role_arn/static_ak");
    assert_eq!(
        sourced.credentials.access_key_secret.expose_secret(),
        ACCESS_KEY_SECRET
    );
    out.debug("Sourced<AlibabaCredentials>", &sourced);
    out.debug("alibaba::DefaultChain (after use)", &chain);
    let role = RamRoleArnProvider::builder(StaticCredentials(alibaba()), "acs:ram::1:role/own")
        .sts_endpoint(Endpoint::url(&sts.uri()).unwrap())
        .environment(Environment::from_variables([(
            ALIBABA_SECURITY_TOKEN,
            STS_TOKEN,
        )]))
        .build()
        .unwrap();
    out.debug("RamRoleArnProvider", &role);
    out.debug(
        "RamRoleArnProvider's credentials",
        &role.credentials().await.unwrap(),
    );
    out.debug("RamRoleArnProvider (after use)", &role);

    // The metadata service: credentials, a renewal that fails while they are valid (a
    // warning), then their expiry (an error).
    let ecs = DefaultChain::builder()
        .environment(Environment::from_variables([("A", "b")]))
        .home_dir(home.join("empty"))
        .clock(Arc::new(clock.clone()))
        .ecs_metadata_url(metadata.uri())
        .build()
        .unwrap();
    let sourced = ecs.credentials().await.unwrap();
    assert_eq!(sourced.source, "ecs_ram_role");
    out.debug("alibaba::DefaultChain (ECS, after use)", &ecs);
    broken.store(true, Ordering::SeqCst);
    *clock.0.lock().unwrap() += Duration::from_secs(6 * 3600 - 60);
    ecs.credentials().await.unwrap();
    *clock.0.lock().unwrap() += Duration::from_secs(60);
    let error = ecs.credentials().await.unwrap_err();
    out.both("CredentialsError (ECS renewal)", &error);

    // Every provider that can stop the chain failing, the sentinels all around them: RRSA
    // refused; the profile (by the vendor's variable) malformed; a credentials URI with a token
    // in its query that does not answer, after every other provider found nothing.
    let with = |more: &[(&str, &str)]| {
        Environment::from_variables(variables.iter().copied().chain(more.iter().copied()))
    };
    let mut text = String::new();
    for (what, environment) in [
        ("RRSA refused", with(&rrsa)),
        (
            "a malformed profile",
            with(&[("ALIBABA_CLOUD_PROFILE", "bad")]),
        ),
        (
            "an unreachable credentials URI",
            with(&[
                ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
                (
                    "ALIBABA_CLOUD_CREDENTIALS_FILE",
                    "/nonexistent/idtok/credentials.ini",
                ),
            ]),
        ),
    ] {
        let failing = builder()
            .environment(environment)
            .ecs_metadata_url(closed.clone())
            .build()
            .unwrap();
        let error = failing.credentials().await.unwrap_err();
        text.push_str(&error.to_string());
        out.both(
            &format!("CredentialsError (Alibaba default chain: {what})"),
            &error,
        );
        out.debug(&format!("alibaba::DefaultChain (failed: {what})"), &failing);
    }
    assert!(
        text.contains("InvalidParameter.OIDCToken")
            && text.contains("`access_key_id` is not a string")
            && text.contains("  credential_uri: cannot get credentials from "),
        "{text}"
    );

    let _ = std::fs::remove_dir_all(&home);
}

/// The Huawei default chain (`idtok_client::credentials::huawei`) over variables, a profile file
/// and a metadata service that hold the sentinels: its Debug, the credentials it gives, a
/// metadata key renewal that fails (a warning), and the errors of a malformed profile and of a
/// metadata service that answers with an error. The session token of the metadata service must
/// show nowhere either: returned for the caller to search its outputs and the log for.
async fn huawei_default_chain(out: &mut Outputs) -> &'static str {
    use idtok_client::credentials::huawei::DefaultChain;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    const METADATA_TOKEN: &str = "SENTINEL-huawei-metadata-token-2c5d";
    #[derive(Debug)]
    struct MovingClock(Mutex<SystemTime>);
    impl idtok_runtime::clock::Clock for MovingClock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }
    // 2023-10-26T10:22:32Z; the key expires six hours later.
    let clock = Arc::new(MovingClock(Mutex::new(
        UNIX_EPOCH + Duration::from_secs(1_698_315_752),
    )));
    let key = format!(
        r#"{{"credential":{{"access":"AKHYGIENE","secret":"{SK}","securitytoken":"{HUAWEI_TOKEN}","expires_at":"2023-10-26T16:22:32.000000Z"}}}}"#
    );
    // The token, the key, then errors whose bodies carry the secrets.
    struct Metadata(String, AtomicUsize);
    impl Respond for Metadata {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            if request.url.path() == "/meta-data/latest/api/token" {
                return ResponseTemplate::new(200).set_body_string(METADATA_TOKEN);
            }
            if self.1.fetch_add(1, Ordering::SeqCst) == 0 {
                return json(200, self.0.clone());
            }
            ResponseTemplate::new(500).set_body_string(format!("{METADATA_TOKEN} {SK}"))
        }
    }
    let metadata = MockServer::start().await;
    Mock::given(any())
        .respond_with(Metadata(key, AtomicUsize::new(0)))
        .mount(&metadata)
        .await;

    let home = std::env::temp_dir().join(format!("idtok-hygiene-huawei-{}", std::process::id()));
    let chain = |variables: &[(&str, &str)]| {
        DefaultChain::builder()
            .environment(Environment::from_variables(variables.iter().copied()))
            .home_dir(Some(home.clone()))
            .metadata_base_url(metadata.uri())
            .clock(clock.clone())
            .build()
            .unwrap()
    };

    // From the environment.
    let from_env = chain(&[
        ("HUAWEICLOUD_SDK_AK", "AKHYGIENE"),
        (HUAWEI_SK, SK),
        (HUAWEI_SECURITY_TOKEN, HUAWEI_TOKEN),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "0a1b2c3d"),
    ]);
    out.debug("huawei::DefaultChain (env)", &from_env);
    out.debug(
        "Sourced<HuaweiCredentials> (env)",
        &from_env.provide_sourced().await.unwrap(),
    );
    out.debug("huawei::DefaultChain (env, resolved)", &from_env);

    // A malformed profile whose bad line holds the SK: the error names the file and line only.
    let file = home.join(".huaweicloud/credentials");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, format!("[basic]\nak = AK\n{SK}\n")).unwrap();
    let error = chain(&[]).provide_sourced().await.unwrap_err();
    out.both("CredentialsError (malformed Huawei profile)", &error);
    std::fs::remove_file(&file).unwrap();

    // The metadata service: a key, then a renewal that fails while the key is valid (a
    // warning), then an error once it has expired.
    let from_metadata = chain(&[]);
    out.debug(
        "Sourced<HuaweiCredentials> (metadata)",
        &from_metadata.provide_sourced().await.unwrap(),
    );
    out.debug("huawei::DefaultChain (metadata)", &from_metadata);
    *clock.0.lock().unwrap() += Duration::from_secs(5 * 3600 + 30 * 60);
    out.debug(
        "HuaweiCredentials (metadata, renewal failed)",
        &from_metadata.provide().await.unwrap(),
    );
    *clock.0.lock().unwrap() += Duration::from_secs(3600);
    let error = from_metadata.provide().await.unwrap_err();
    out.both("CredentialsError (metadata service 500)", &error);
    let _ = std::fs::remove_dir_all(&home);
    METADATA_TOKEN
}
