//! Huawei Cloud's default credential chain (huaweicloudsdkcore 3.1.219's order) and its endpoint
//! overrides, against temporary files and local servers only: the environment is always a fixed
//! set of variables, the home directory a temporary one, and the metadata service a loopback
//! server (or a closed loopback port), never 169.254.169.254.

use crate::support;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use idtok_client::credentials::files::ReadOnce;
use idtok_client::credentials::huawei::{
    default_region, region_endpoint, resolve_endpoint, CredentialType, DefaultChain,
    DefaultChainBuilder, PROVIDERS,
};
use idtok_client::credentials::Sourced;
use idtok_runtime::clock::FixedClock;
use idtok_runtime::credentials::{Environment, HuaweiCredentials, ProvideCredentials};
use idtok_runtime::endpoint::Service;
use idtok_testkit::{header, header_names, verify_sdk_hmac};
use wiremock::matchers::{header as has_header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use idtok_testkit::Captured;
use support::credentials::{closed_address, MovableClock, TempHome};

const SK: &str = "SENTINEL-chain-sk-51f0";
const TOKEN: &str = "SENTINEL-chain-token-a7c2";
const PROJECT_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/// A chain over `variables` and `home`, with no metadata service (a closed loopback port).
fn chain(variables: &[(&str, &str)], home: &TempHome) -> DefaultChainBuilder {
    DefaultChain::builder()
        .environment(Environment::from_variables(variables.iter().copied()))
        .home_dir(Some(home.path().to_owned()))
        .metadata_base_url(closed_address())
        .metadata_timeouts(Duration::from_millis(500), Duration::from_millis(500))
}

/// 2023-10-26T10:22:32Z, the clock's start in the metadata tests.
fn start() -> SystemTime {
    support::now()
}

/// `expires_at` as the metadata service writes it.
fn utc(time: SystemTime) -> String {
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Only times on 2023-10-26 and 27 are used here.
    let day_start = 1_698_278_400; // 2023-10-26T00:00:00Z
    let (day, rest) = (
        (seconds - day_start) / 86_400,
        (seconds - day_start) % 86_400,
    );
    format!(
        "2023-10-{:02}T{:02}:{:02}:{:02}.000000Z",
        26 + day,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

fn security_key(access: &str, expires_at: SystemTime) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        format!(
            r#"{{"credential":{{"access":"{access}","secret":"{SK}","securitytoken":"{TOKEN}","expires_at":"{}"}}}}"#,
            utc(expires_at)
        ),
        "application/json",
    )
}

/// Answers in turn; the last answer repeats.
struct Sequence(Vec<ResponseTemplate>, AtomicUsize);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.1.fetch_add(1, Ordering::SeqCst);
        self.0[i.min(self.0.len() - 1)].clone()
    }
}

fn sequence(answers: Vec<ResponseTemplate>) -> Sequence {
    Sequence(answers, AtomicUsize::new(0))
}

/// A metadata service that gives session token `tok-1` and then `keys` in turn.
async fn metadata_service(keys: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/meta-data/latest/api/token"))
        .and(has_header("x-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("tok-1"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/openstack/latest/securitykey"))
        .and(has_header("x-metadata-token", "tok-1"))
        .respond_with(sequence(keys))
        .mount(&server)
        .await;
    server
}

async fn requests_to(server: &MockServer, wanted: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == wanted)
        .count()
}

/// The key has `access`, the test's SK and, when `with_token`, the test's security token.
fn assert_key(credentials: &HuaweiCredentials, access: &str, with_token: bool) {
    assert_eq!(credentials.access_key, access);
    assert_eq!(credentials.secret_key.expose_secret(), SK);
    assert_eq!(
        credentials
            .security_token
            .as_ref()
            .map(|t| t.expose_secret()),
        with_token.then_some(TOKEN)
    );
}

fn assert_no_secret(text: &str) {
    for secret in [SK, TOKEN] {
        assert!(!text.contains(secret), "a secret shows: {text}");
    }
}

/// What the chain gives.
async fn resolve(builder: DefaultChainBuilder) -> Sourced<HuaweiCredentials> {
    builder.build().unwrap().provide_sourced().await.unwrap()
}

/// Why the chain gives nothing; never with a secret.
async fn failure(builder: DefaultChainBuilder) -> String {
    let error = builder
        .build()
        .unwrap()
        .provide_sourced()
        .await
        .unwrap_err()
        .to_string();
    assert_no_secret(&error);
    error
}

// --- environment --------------------------------------------------------------------------

#[tokio::test]
async fn env_gives_the_key_token_and_project_id() {
    let home = TempHome::new();
    let variables = [
        ("HUAWEICLOUD_SDK_AK", "AKENV"),
        ("HUAWEICLOUD_SDK_SK", SK),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT_ID),
        ("HUAWEICLOUD_SDK_DOMAIN_ID", "d0m41n"),
    ];
    let basic = chain(&variables, &home).build().unwrap();
    let sourced = basic.provide_sourced().await.unwrap();
    assert_eq!(sourced.source, "env");
    let credentials = sourced.credentials;
    assert_key(&credentials, "AKENV", true);
    // BasicCredentials carries the project id and no domain id.
    assert_eq!(credentials.project_id.as_deref(), Some(PROJECT_ID));
    assert_eq!(credentials.domain_id, None);
    // ProvideCredentials gives the same.
    let provided: HuaweiCredentials = basic.provide().await.unwrap();
    assert_eq!(provided.access_key, "AKENV");
    assert_no_secret(&format!("{basic:?} {provided:?}"));

    let global = chain(&variables, &home)
        .credential_type(CredentialType::Global)
        .build()
        .unwrap();
    let credentials = global.provide_sourced().await.unwrap().credentials;
    assert_eq!(
        (
            credentials.project_id.as_deref(),
            credentials.domain_id.as_deref()
        ),
        (None, Some("d0m41n"))
    );
}

// --- the profile file ---------------------------------------------------------------------

const PROFILE: &str = "\
[basic]
ak = AKBASIC
sk = SENTINEL-chain-sk-51f0
project_id = 0a1b2c3d4e5f60718293a4b5c6d7e8f9
domain_id = not-for-basic

[global]
ak = AKGLOBAL
sk = SENTINEL-chain-sk-51f0
security_token = SENTINEL-chain-token-a7c2
domain_id = d0m41n
";

#[tokio::test]
async fn the_profile_gives_basic_and_global_credentials() {
    let home = TempHome::new();
    home.write(".huaweicloud/credentials", PROFILE, 0o600);

    let basic = chain(&[], &home).build().unwrap();
    let sourced = basic.provide_sourced().await.unwrap();
    assert_eq!(sourced.source, "profile");
    let credentials = sourced.credentials;
    assert_key(&credentials, "AKBASIC", false);
    assert_eq!(credentials.project_id.as_deref(), Some(PROJECT_ID));
    assert_eq!(credentials.domain_id, None);

    let global = resolve(chain(&[], &home).credential_type(CredentialType::Global))
        .await
        .credentials;
    assert_key(&global, "AKGLOBAL", true);
    assert_eq!(
        (global.project_id.as_deref(), global.domain_id.as_deref()),
        (None, Some("d0m41n"))
    );
}

#[tokio::test]
async fn the_credentials_file_variable_overrides_the_home_file_and_basiccredentials_is_read_too() {
    let home = TempHome::new();
    home.write(".huaweicloud/credentials", PROFILE, 0o600);
    // What the SDK's client builder reads: the section named after "BasicCredentials".
    let other = home.write(
        "elsewhere/creds",
        "[DEFAULT]\nsk = SENTINEL-chain-sk-51f0\n\n[basiccredentials]\nak = AK%%FILE\n",
        0o600,
    );
    let credentials = resolve(chain(
        &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", other.to_str().unwrap())],
        &home,
    ))
    .await
    .credentials;
    // configparser's interpolation (%% is %) and [DEFAULT] apply, as in the SDK.
    assert_eq!(credentials.access_key, "AK%FILE");
    assert_eq!(credentials.secret_key.expose_secret(), SK);
}

#[tokio::test]
async fn a_malformed_profile_is_an_error_naming_the_file_and_line_and_stops_the_chain() {
    let home = TempHome::new();
    let file = home.write(
        ".huaweicloud/credentials",
        "[basic]\nak = AK\nsk SENTINEL-chain-sk-51f0\n",
        0o600,
    );
    let metadata = metadata_service(vec![security_key("AKMETA", start())]).await;
    let error = failure(chain(&[], &home).metadata_base_url(metadata.uri())).await;
    assert!(
        error.contains(&format!(
            "  profile: {}, line 3: expected `key = value`",
            file.display()
        )),
        "{error}"
    );
    assert!(
        error.contains("(not tried: metadata, pod_identity; the SDK would have used profile)"),
        "{error}"
    );
    assert_eq!(metadata.received_requests().await.unwrap().len(), 0);
    assert_no_secret(&error);
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn a_profile_others_may_read_is_warned_about() {
    let home = TempHome::new();
    let file = home.write(".huaweicloud/credentials", PROFILE, 0o644);
    let log = Captured::default();
    let _guard = tracing::subscriber::set_default(log.subscriber());
    let sourced = resolve(chain(&[], &home)).await;
    assert_eq!(sourced.source, "profile");
    let text = log.text();
    assert!(
        text.contains("WARN") && text.contains("may be read by other users"),
        "{text}"
    );
    assert!(text.contains(&file.display().to_string()), "{text}");
    assert!(text.contains("mode=644"), "{text}");
    assert_no_secret(&text);
}

// --- a profile asked for by name --------------------------------------------------------------

/// KooCLI's config file with `profiles`, its keys stored as written when `plain`.
fn koocli(home: &TempHome, plain: Option<bool>, profiles: &str) -> std::path::PathBuf {
    let encrypt = match plain {
        Some(true) => r#""authEncrypt": "false", "#,
        Some(false) => r#""authEncrypt": "true", "#,
        None => "",
    };
    home.write(
        ".hcloud/config.json",
        &format!(r#"{{{encrypt}"current": "a", "profiles": [{profiles}]}}"#),
        0o600,
    )
}

#[tokio::test]
async fn a_named_profile_is_used_alone_from_the_credentials_file_then_koocli() {
    let home = TempHome::new();
    home.write(
        ".huaweicloud/credentials",
        &format!("[basic]\nak = AKBASIC\nsk = {SK}\n\n[work]\nak = AKWORK\nsk = {SK}\nsecurity_token = {TOKEN}\nproject_id = p-work\ndomain_id = d-work\n"),
        0o600,
    );
    koocli(
        &home,
        Some(true),
        &format!(
            r#"{{"name": "work", "mode": "AKSK", "accessKeyId": "AKKOOWORK", "secretAccessKey": "{SK}", "region": "ap-southeast-3"}},
               {{"name": "k", "mode": "AKSK", "accessKeyId": "AKKOO", "secretAccessKey": "{SK}", "securityToken": "{TOKEN}", "projectId": "p-koo", "domainId": "d-koo", "region": "cn-north-4"}},
               {{"name": "nokeys", "mode": "AKSK", "accessKeyId": ""}}"#
        ),
    );
    // The environment's key does not win over a profile asked for by name.
    let env = [
        ("HUAWEICLOUD_SDK_AK", "AKENV"),
        ("HUAWEICLOUD_SDK_SK", "sk-env"),
    ];
    let work = resolve(chain(&env, &home).profile("work")).await;
    assert_eq!(work.source, "profile/work");
    assert_key(&work.credentials, "AKWORK", true);
    assert_eq!(work.credentials.project_id.as_deref(), Some("p-work"));
    assert_eq!(
        work.credentials.domain_id, None,
        "basic credentials keep the project only"
    );

    let koo = resolve(chain(&env, &home).profile("k")).await;
    assert_eq!(koo.source, "koocli/k");
    assert_key(&koo.credentials, "AKKOO", true);
    assert_eq!(koo.credentials.project_id.as_deref(), Some("p-koo"));
    let global = resolve(
        chain(&env, &home)
            .profile("k")
            .credential_type(CredentialType::Global),
    )
    .await;
    assert_eq!(global.credentials.domain_id.as_deref(), Some("d-koo"));
    assert_eq!(global.credentials.project_id, None);
    // The region comes with the profile that gives the keys: KooCLI's has one, the SDK's
    // file has none.
    let region = |name: &str| {
        idtok_client::credentials::huawei::profile_region(
            &Environment::from_variables(env),
            Some(home.path()),
            name,
        )
        .unwrap()
    };
    assert_eq!(region("k").as_deref(), Some("cn-north-4"));
    assert_eq!(region("work"), None);
    assert_eq!(region("missing"), None);

    let koocli_file = home.path().join(".hcloud/config.json");
    let error = failure(chain(&env, &home).profile("nokeys")).await;
    assert!(
        error.starts_with(&format!(
            "Huawei Cloud profile 'nokeys': {}, profile 'nokeys': no accessKeyId and secretAccessKey (mode AKSK); or add a [nokeys] section with ak and sk to ",
            koocli_file.display()
        )),
        "{error}"
    );
    let error = failure(chain(&env, &home).profile("missing")).await;
    assert_eq!(
        error,
        format!(
            "Huawei Cloud profile 'missing': no [missing] section in {}, and no profile named 'missing' in {} (KooCLI)",
            home.path().join(".huaweicloud/credentials").display(),
            koocli_file.display()
        )
    );
}

/// A tool reads a profile's files once: the region it takes from KooCLI's profile and the keys
/// the chain then uses come from the same reading, even if the file changes in between.
#[tokio::test]
async fn a_profile_region_and_its_keys_come_from_one_reading_of_its_files() {
    let home = TempHome::new();
    let profile = |key: &str, region: &str| {
        format!(
            r#"{{"name": "k", "mode": "AKSK", "accessKeyId": "{key}", "secretAccessKey": "{SK}", "region": "{region}"}}"#
        )
    };
    koocli(&home, Some(true), &profile("AKFIRST", "cn-north-4"));
    let files = ReadOnce::new();
    let builder = || chain(&[], &home).profile("k").files(files.clone());
    assert_eq!(
        builder().profile_region().unwrap().as_deref(),
        Some("cn-north-4")
    );
    koocli(&home, Some(true), &profile("AKSECOND", "ap-southeast-1"));
    let sourced = resolve(builder()).await;
    assert_key(&sourced.credentials, "AKFIRST", false);
    assert_eq!(
        builder().profile_region().unwrap().as_deref(),
        Some("cn-north-4")
    );
    // Without a shared reading, each read reads the file.
    let sourced = resolve(chain(&[], &home).profile("k")).await;
    assert_key(&sourced.credentials, "AKSECOND", false);
}

#[tokio::test]
async fn koocli_profiles_that_cannot_be_used_say_why_and_what_to_do() {
    let home = TempHome::new();
    let profiles = format!(
        r#"{{"name": "a", "mode": "AKSK", "accessKeyId": "AKKOO", "secretAccessKey": "{SK}"}},
           {{"name": "sso", "mode": "SSO"}},
           {{"name": "agency", "mode": "AKSK", "accessKeyId": "AKKOO", "secretAccessKey": "{SK}", "agencyName": "admin", "agencyDomainName": "other"}},
           {{"name": "odd", "mode": "password"}}"#
    );
    for (plain, name, says) in [
        (
            Some(false),
            "a",
            "keeps this profile's keys encrypted (authEncrypt is not \"false\")",
        ),
        // Without authEncrypt, KooCLI's default holds: the keys are encrypted.
        (None, "a", "keeps this profile's keys encrypted"),
        (
            Some(true),
            "sso",
            "mode SSO (an IAM Identity Center sign-in) is not supported by idtok",
        ),
        (
            Some(true),
            "agency",
            "it assumes an agency (agencyName), which idtok does not do",
        ),
        (
            Some(true),
            "odd",
            "unsupported mode 'password' (supported: AKSK, ecsAgency)",
        ),
    ] {
        koocli(&home, plain, &profiles);
        let error = failure(chain(&[], &home).profile(name)).await;
        assert!(error.contains(says), "{name}: {error}");
        assert!(
            error.contains(&format!("or add a [{name}] section with ak and sk to ")),
            "{error}"
        );
    }
    home.write(
        ".hcloud/config.json",
        "{\"profiles\": [\n  {\"name\": \"a\",}\n]}",
        0o600,
    );
    let error = failure(chain(&[], &home).profile("a")).await;
    assert!(
        error.contains("config.json, line 2: not valid JSON"),
        "{error}"
    );
}

#[tokio::test]
async fn a_koocli_ecs_agency_profile_takes_the_metadata_key() {
    let home = TempHome::new();
    koocli(
        &home,
        None,
        r#"{"name": "a", "mode": "ecsAgency", "region": "cn-north-4"}"#,
    );
    let metadata = metadata_service(vec![security_key("AKMETA", start())]).await;
    let sourced = resolve(
        chain(&[], &home)
            .metadata_base_url(metadata.uri())
            .clock(std::sync::Arc::new(FixedClock(
                start() - Duration::from_secs(3600),
            )))
            .profile("a"),
    )
    .await;
    assert_eq!(sourced.source, "koocli/a/metadata");
    assert_key(&sourced.credentials, "AKMETA", true);
    let error = failure(
        chain(&[], &home)
            .metadata_base_url(metadata.uri())
            .without_metadata("--no-metadata")
            .profile("a"),
    )
    .await;
    assert!(
        error.ends_with("profile 'a' (mode ecsAgency) takes the ECS metadata service's key: the metadata service is not asked: --no-metadata"),
        "{error}"
    );
}

// --- the metadata service -----------------------------------------------------------------

#[tokio::test]
async fn a_metadata_service_turned_off_in_code_is_not_asked() {
    let home = TempHome::new();
    let metadata = metadata_service(vec![security_key("AKMETA", start())]).await;
    let error = failure(
        chain(&[], &home)
            .metadata_base_url(metadata.uri())
            .without_metadata("--no-metadata"),
    )
    .await;
    assert!(
        error.contains("  metadata: the metadata service is not asked: --no-metadata"),
        "{error}"
    );
    assert_eq!(metadata.received_requests().await.unwrap().len(), 0);
}

#[tokio::test]
async fn the_metadata_key_is_used_and_renewed_40_minutes_before_it_expires() {
    let home = TempHome::new();
    let clock = MovableClock::at(start());
    let lifetime = Duration::from_secs(6 * 3600);
    let metadata = metadata_service(vec![
        security_key("AKMETA1", start() + lifetime),
        security_key("AKMETA2", start() + lifetime * 2),
    ])
    .await;
    let chain = chain(&[], &home)
        .metadata_base_url(metadata.uri())
        .clock(clock.clone())
        .build()
        .unwrap();
    let sourced = chain.provide_sourced().await.unwrap();
    assert_eq!(sourced.source, "metadata");
    let credentials = sourced.credentials;
    assert_key(&credentials, "AKMETA1", true);
    // The SDK's metadata provider sets no project id.
    assert_eq!(credentials.project_id, None);

    // Not due until 40 minutes before the expiry.
    clock.advance(lifetime - Duration::from_secs(40 * 60 + 1));
    assert_eq!(chain.provide().await.unwrap().access_key, "AKMETA1");
    clock.advance(Duration::from_secs(1));
    assert_eq!(chain.provide().await.unwrap().access_key, "AKMETA2");
    assert_eq!(
        requests_to(&metadata, "/openstack/latest/securitykey").await,
        2
    );
    // The session token was asked for once, with the SDK's headers.
    let requests = metadata.received_requests().await.unwrap();
    let token_requests: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path() == "/meta-data/latest/api/token")
        .collect();
    assert_eq!(token_requests.len(), 1);
    assert_eq!(
        header(token_requests[0], "x-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(
        header(token_requests[0], "user-agent"),
        Some(idtok_client::USER_AGENT)
    );
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_valid_metadata_key_until_it_expires() {
    let home = TempHome::new();
    let clock = MovableClock::at(start());
    let lifetime = Duration::from_secs(6 * 3600);
    let metadata = metadata_service(vec![
        security_key("AKMETA1", start() + lifetime),
        ResponseTemplate::new(500).set_body_string("internal error"),
    ])
    .await;
    let chain = chain(&[], &home)
        .metadata_base_url(metadata.uri())
        .clock(clock.clone())
        .build()
        .unwrap();
    assert_eq!(chain.provide().await.unwrap().access_key, "AKMETA1");
    clock.advance(lifetime - Duration::from_secs(60));
    assert_eq!(
        chain.provide().await.unwrap().access_key,
        "AKMETA1",
        "the renewal failed but the key is still valid"
    );
    clock.advance(Duration::from_secs(60));
    let error = chain.provide().await.unwrap_err().to_string();
    assert!(
        error.ends_with("/openstack/latest/securitykey: HTTP 500"),
        "{error}"
    );
}

#[tokio::test]
async fn a_metadata_service_without_tokens_is_asked_without_one() {
    let home = TempHome::new();
    let metadata = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .and(path("/openstack/latest/securitykey"))
        .respond_with(security_key("AKV1", start() + Duration::from_secs(3600)))
        .mount(&metadata)
        .await;
    let credentials = chain(&[], &home)
        .metadata_base_url(metadata.uri())
        .clock(MovableClock::at(start()))
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap();
    assert_eq!(credentials.access_key, "AKV1");
    let requests = metadata.received_requests().await.unwrap();
    let get = requests
        .iter()
        .find(|r| r.method.as_str() == "GET")
        .unwrap();
    assert_eq!(header(get, "x-metadata-token"), None);
}

#[tokio::test]
async fn an_instance_without_an_agency_says_so() {
    let home = TempHome::new();
    let metadata = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_body_string("tok-1"))
        .mount(&metadata)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_string("Please configure Cloud Service Agency first"),
        )
        .mount(&metadata)
        .await;
    let error = chain(&[], &home)
        .metadata_base_url(metadata.uri())
        .build()
        .unwrap()
        .provide()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("  metadata: GET http://127.0.0.1:")
            && error.contains(
                "/openstack/latest/securitykey: HTTP 401: Please configure Cloud Service Agency first"
            ),
        "{error}"
    );
    // Not a token problem: no second token, no second try.
    assert_eq!(
        requests_to(&metadata, "/openstack/latest/securitykey").await,
        1
    );
}

#[tokio::test]
async fn a_hanging_metadata_service_is_bounded_by_the_timeout() {
    let home = TempHome::new();
    let metadata = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&metadata)
        .await;
    let chain = chain(&[], &home)
        .metadata_base_url(metadata.uri())
        .metadata_timeouts(Duration::from_millis(300), Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = chain.provide().await.unwrap_err().to_string();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        error.contains("/meta-data/latest/api/token: timed out"),
        "{error}"
    );
}

// --- the chain ----------------------------------------------------------------------------

#[tokio::test]
async fn with_nothing_configured_the_error_lists_every_provider_in_order() {
    let home = TempHome::new();
    let metadata = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404))
        .mount(&metadata)
        .await;
    let error =
        failure(chain(&[("HUAWEICLOUD_SDK_SK", SK)], &home).metadata_base_url(metadata.uri()))
            .await;
    let lines: Vec<&str> = error.lines().collect();
    let uri = metadata.uri();
    assert_eq!(
        lines,
        [
            "no Huawei Cloud credentials from the default chain (huaweicloudsdkcore's order):"
                .to_owned(),
            "  oidc_sts: HUAWEICLOUD_OIDC_PROVIDER_URN is not set".to_owned(),
            "  env: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not".to_owned(),
            format!(
                "  profile: {} does not exist",
                home.path().join(".huaweicloud/credentials").display()
            ),
            format!("  metadata: GET {uri}/openstack/latest/securitykey: HTTP 404"),
            "  pod_identity: HC_CONTAINER_CREDENTIALS_FULL_URI and HC_CONTAINER_AUTHORIZATION_TOKEN_FILE are not both set".to_owned(),
        ]
    );
    assert_eq!(PROVIDERS.len(), lines.len() - 1);
    assert_no_secret(&error);
}

async fn source_of(
    variables: &[(&str, &str)],
    home: &TempHome,
    metadata: &MockServer,
) -> (String, String) {
    let sourced = resolve(
        chain(variables, home)
            .metadata_base_url(metadata.uri())
            .clock(MovableClock::at(start())),
    )
    .await;
    (sourced.source, sourced.credentials.access_key)
}

#[tokio::test]
async fn the_first_provider_that_gives_credentials_wins() {
    let home = TempHome::new();
    home.write(".huaweicloud/credentials", PROFILE, 0o600);
    let metadata = metadata_service(vec![security_key(
        "AKMETA",
        start() + Duration::from_secs(3600),
    )])
    .await;
    let env = [("HUAWEICLOUD_SDK_AK", "AKENV"), ("HUAWEICLOUD_SDK_SK", SK)];
    // env before the profile, the profile before the metadata service.
    assert_eq!(
        source_of(&env, &home, &metadata).await,
        ("env".to_owned(), "AKENV".to_owned())
    );
    assert_eq!(
        source_of(&[], &home, &metadata).await,
        ("profile".to_owned(), "AKBASIC".to_owned())
    );
    assert_eq!(metadata.received_requests().await.unwrap().len(), 0);
    assert_eq!(
        source_of(&[], &TempHome::new(), &metadata).await,
        ("metadata".to_owned(), "AKMETA".to_owned())
    );
}

#[tokio::test]
async fn sources_idtok_does_not_support_stop_the_chain_with_a_clear_error() {
    let home = TempHome::new();
    home.write(".huaweicloud/credentials", PROFILE, 0o600);
    let token_file = home.write("id_token", "eyJ.id.token", 0o600);
    let token_file = token_file.to_str().unwrap();
    let key = [("HUAWEICLOUD_SDK_AK", "AKENV"), ("HUAWEICLOUD_SDK_SK", SK)];

    let mut oidc = vec![
        (
            "HUAWEICLOUD_OIDC_PROVIDER_URN",
            "iam::123:identity-provider:p",
        ),
        ("HUAWEICLOUD_OIDC_AGENCY_URN", "iam::123:agency:a"),
        ("HUAWEICLOUD_OIDC_TOKEN_FILE", token_file),
    ];
    oidc.extend(key);
    let error = failure(chain(&oidc, &home)).await;
    assert!(error.contains("  oidc_sts: HUAWEICLOUD_OIDC_PROVIDER_URN and HUAWEICLOUD_OIDC_AGENCY_URN are set: assuming an agency with an OIDC id token is not supported by idtok"), "{error}");
    assert!(
        error.ends_with(
            "  (not tried: env, profile, metadata, pod_identity; the SDK would have used oidc_sts)"
        ),
        "{error}"
    );

    let mut federated = vec![
        ("HUAWEICLOUD_SDK_IDP_ID", "idp"),
        ("HUAWEICLOUD_SDK_ID_TOKEN_FILE", token_file),
    ];
    federated.extend(key);
    let error = failure(chain(&federated, &home)).await;
    assert!(error.contains("  env: HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE are set: federated credentials (an IdP's id token exchanged at IAM for a temporary key) are not supported by idtok"), "{error}");

    // Federation in the profile stops there too.
    let file = home.write(
        "federated",
        &format!("[basic]\nidp_id = idp\nid_token_file = {token_file}\nak = AK\nsk = {SK}\n"),
        0o600,
    );
    let error = failure(chain(
        &[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file.to_str().unwrap())],
        &home,
    ))
    .await;
    assert!(
        error.contains("[basic] has idp_id and id_token_file: federated credentials"),
        "{error}"
    );

    // Pod identity, the last provider.
    let error = failure(chain(
        &[
            (
                "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
                "/nonexistent/idtok/credentials",
            ),
            (
                "HC_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:1/creds",
            ),
            ("HC_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file),
        ],
        &home,
    ))
    .await;
    assert!(
        error.ends_with("  pod_identity: HC_CONTAINER_CREDENTIALS_FULL_URI and HC_CONTAINER_AUTHORIZATION_TOKEN_FILE are set: CCE pod identity is not supported by idtok; give an AK/SK instead"),
        "{error}"
    );
}

#[tokio::test]
async fn the_chain_is_resolved_once_and_tried_again_after_a_failure() {
    let home = TempHome::new();
    let chain = chain(&[], &home).build().unwrap();
    assert!(chain.provide().await.is_err());
    // The file appears: the next call finds it, and keeps it.
    home.write(".huaweicloud/credentials", PROFILE, 0o600);
    assert_eq!(chain.provide().await.unwrap().access_key, "AKBASIC");
    std::fs::remove_file(home.path().join(".huaweicloud/credentials")).unwrap();
    assert_eq!(chain.provide().await.unwrap().access_key, "AKBASIC");
    assert!(format!("{chain:?}").contains("resolved: Some(\"profile\")"));
}

#[test]
fn only_the_real_metadata_address_may_be_plain_http() {
    for refused in [
        "http://169.254.169.253",
        "http://10.0.0.1",
        "ftp://127.0.0.1",
    ] {
        let error = DefaultChain::builder()
            .environment(Environment::from_variables::<&str, &str>([]))
            .metadata_base_url(refused)
            .build()
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("metadata base URL"), "{error}");
    }
    assert!(DefaultChain::builder()
        .environment(Environment::from_variables::<&str, &str>([]))
        .metadata_base_url("http://169.254.169.254")
        .build()
        .is_ok());
}

// --- endpoints ----------------------------------------------------------------------------

const VAR: &str = "HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_CN_NORTH_4";

fn endpoint_of(
    variables: &[(&str, &str)],
    home: Option<&Path>,
    region: &str,
) -> Result<Option<String>, String> {
    region_endpoint(
        Service::IdentityStore,
        region,
        &Environment::from_variables(variables.iter().copied()),
        home,
    )
    .map(|e| e.map(|e| e.as_str().to_owned()))
    .map_err(|e| e.to_string())
}

#[test]
fn the_endpoint_variable_overrides_the_region_and_its_first_endpoint_is_taken() {
    assert_eq!(
        endpoint_of(
            &[(VAR, "https://a.example.com,https://b.example.com")],
            None,
            "cn-north-4"
        ),
        Ok(Some("https://a.example.com".to_owned()))
    );
    // No scheme: https, as the SDK's client builder adds it.
    assert_eq!(
        endpoint_of(&[(VAR, "a.example.com")], None, "cn-north-4"),
        Ok(Some("https://a.example.com".to_owned()))
    );
    // A region the SDK does not list can be reached through its variable.
    assert_eq!(
        endpoint_of(
            &[(
                "HUAWEICLOUD_SDK_REGION_IDENTITYCENTERSTORE_MY_REGION_1",
                "https://my.example.com"
            )],
            None,
            "my-region-1"
        ),
        Ok(Some("https://my.example.com".to_owned()))
    );
    assert_eq!(endpoint_of(&[], None, "cn-north-4"), Ok(None));
    let error = endpoint_of(&[(VAR, "http://a.example.com")], None, "cn-north-4").unwrap_err();
    assert!(
        error.starts_with(&format!("{VAR}: refusing plain http://")),
        "{error}"
    );
}

#[test]
fn the_regions_file_overrides_the_region_after_the_variable() {
    let home = TempHome::new();
    home.write(
        ".huaweicloud/regions.yaml",
        "\
IdentityCenterStore:
  - id: cn-north-4
    endpoint: https://file.example.com
  - id: cn-east-3
    endpoints:
      - https://east-1.example.com
      - https://east-2.example.com
    endpoint: https://east-3.example.com
  - endpoint: https://no-id.example.com
ECS:
  - id: cn-south-1
    endpoint: https://ecs.example.com
",
        0o644,
    );
    let home_path = Some(home.path());
    assert_eq!(
        endpoint_of(&[], home_path, "cn-north-4"),
        Ok(Some("https://file.example.com".to_owned()))
    );
    assert_eq!(
        endpoint_of(&[], home_path, "cn-east-3"),
        Ok(Some("https://east-1.example.com".to_owned()))
    );
    assert_eq!(endpoint_of(&[], home_path, "cn-south-1"), Ok(None));
    // The variable comes first.
    assert_eq!(
        endpoint_of(&[(VAR, "https://var.example.com")], home_path, "cn-north-4"),
        Ok(Some("https://var.example.com".to_owned()))
    );
    // HUAWEICLOUD_SDK_REGIONS_FILE names another file.
    let other = home.write(
        "other.yaml",
        "identitycenterstore:\n  - id: cn-north-4\n    endpoints: [https://other.example.com]\n",
        0o644,
    );
    assert_eq!(
        endpoint_of(
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", other.to_str().unwrap())],
            home_path,
            "cn-north-4"
        ),
        Ok(Some("https://other.example.com".to_owned()))
    );
    // resolve_endpoint: the override, else the region's own host.
    let environment = Environment::from_variables::<&str, &str>([]);
    assert_eq!(
        resolve_endpoint(
            Service::IdentityStore,
            "cn-north-4",
            &environment,
            home_path
        )
        .unwrap()
        .as_str(),
        "https://file.example.com"
    );
    assert_eq!(
        resolve_endpoint(
            Service::IdentityStore,
            "cn-south-1",
            &environment,
            home_path
        )
        .unwrap()
        .as_str(),
        "https://identitystore.cn-south-1.myhuaweicloud.com"
    );
}

#[test]
fn a_malformed_regions_file_is_an_error_naming_the_file() {
    let home = TempHome::new();
    for text in [
        "IdentityCenterStore: [\n",
        "IdentityCenterStore: https://x.example.com\n",
        "- a list\n",
        "IdentityCenterStore:\n  - id: cn-north-4\n    endpoints: https://x.example.com\n",
    ] {
        let file = home.write("regions.yaml", text, 0o644);
        let error = endpoint_of(
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", file.to_str().unwrap())],
            None,
            "cn-north-4",
        )
        .unwrap_err();
        assert!(
            error.starts_with(&format!("{}: not a regions file", file.display())),
            "{text:?}: {error}"
        );
    }
    // An empty file, or none, is no override.
    let empty = home.write("empty.yaml", "", 0o644);
    assert_eq!(
        endpoint_of(
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", empty.to_str().unwrap())],
            None,
            "cn-north-4"
        ),
        Ok(None)
    );
    assert_eq!(
        endpoint_of(
            &[("HUAWEICLOUD_SDK_REGIONS_FILE", "/nonexistent/regions.yaml")],
            None,
            "cn-north-4"
        ),
        Ok(None)
    );
}

#[test]
fn the_default_region_is_idtoks_own_variable() {
    assert_eq!(
        default_region(&Environment::from_variables([(
            "HUAWEICLOUD_SDK_REGION",
            "cn-east-3"
        )])),
        Some("cn-east-3".to_owned())
    );
    assert_eq!(
        default_region(&Environment::from_variables::<&str, &str>([])),
        None
    );
}

// --- the wire -----------------------------------------------------------------------------

#[tokio::test]
async fn the_project_id_from_the_chain_is_sent_and_signed_by_the_identity_store_client() {
    let home = TempHome::new();
    let server = support::server(200, r#"{"bearer_tokens":[]}"#.to_owned()).await;
    let chain = chain(
        &[
            ("HUAWEICLOUD_SDK_AK", support::AK),
            ("HUAWEICLOUD_SDK_SK", support::SK),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT_ID),
        ],
        &home,
    )
    .build()
    .unwrap();
    let context =
        idtok_client::identitystore::ClientContext::new(chain).with_clock(FixedClock(start()));
    let client =
        idtok_client::identitystore::Client::from_endpoint(&support::endpoint(&server), context)
            .unwrap();
    client
        .list_bearer_tokens()
        .identity_store_id("d-1")
        .tenant_id("t-1")
        .send()
        .await
        .unwrap();
    let request = support::only_request(&server).await;
    assert_eq!(
        header_names(&request),
        [
            "accept",
            "authorization",
            "content-type",
            "host",
            "user-agent",
            "x-project-id",
            "x-sdk-date"
        ]
    );
    assert_eq!(header(&request, "x-project-id"), Some(PROJECT_ID));
    assert!(header(&request, "authorization")
        .unwrap()
        .contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date,"));
    verify_sdk_hmac(&request, support::AK, support::SK).unwrap();
}
