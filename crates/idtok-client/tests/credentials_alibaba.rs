//! The Alibaba Cloud default credential chain (`idtok_client::credentials::alibaba`) against
//! local servers and files in temporary directories: the ECS metadata service (IMDSv2, IMDSv1,
//! renewal, a hanging service), the aliyun CLI's config.json, credentials.ini, a credentials URI,
//! STS for OIDC and RAM roles, the chain's order and its error.

use crate::support;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use idtok_client::credentials::alibaba::{
    cli_profile_region, profile_name, DefaultChain, DefaultChainBuilder, HttpTimeouts,
};
use idtok_client::credentials::files::ReadOnce;
use idtok_client::credentials::Sourced;
use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::{AlibabaCredentials, Environment, ProvideCredentials};
use idtok_testkit::header;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use idtok_testkit::Captured;
use support::credentials::{closed_address, MovableClock, TempHome};

const ENV_SECRET: &str = "sentinel-env-secret-1a2b";
const FILE_SECRET: &str = "sentinel-file-secret-3c4d";
const ECS_SECRET: &str = "sentinel-ecs-secret-5e6f";
const ECS_TOKEN: &str = "sentinel-ecs-sts-token-7a8b";
const METADATA_TOKEN: &str = "sentinel-imds-token-9c0d";
const URI_SECRET: &str = "sentinel-uri-secret-1e2f";

/// 2023-11-14T22:13:20Z.
const T0: u64 = 1_700_000_000;

/// `seconds` after the Unix epoch as the services write it: `2023-11-14T22:13:20Z`.
fn timestamp(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[test]
fn timestamps_are_written_as_the_services_write_them() {
    assert_eq!(timestamp(T0), "2023-11-14T22:13:20Z");
    assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
}

/// Writes `text` at `relative` under `home`, readable by its owner only.
fn write(home: &TempHome, relative: &str, text: &str) -> PathBuf {
    home.write(relative, text, 0o600)
}

fn config_json(home: &TempHome, json: serde_json::Value) -> PathBuf {
    write(home, ".aliyun/config.json", &json.to_string())
}

fn credentials_ini(home: &TempHome, text: &str) -> PathBuf {
    write(home, ".alibabacloud/credentials.ini", text)
}

fn start_clock() -> Arc<MovableClock> {
    MovableClock::at(UNIX_EPOCH + Duration::from_secs(T0))
}

/// A chain over `variables` and `home` only, its clock `clock`, with the metadata service off
/// unless the variables or the test turn it on.
fn chain(
    home: &TempHome,
    variables: &[(&str, &str)],
    clock: &Arc<MovableClock>,
) -> DefaultChainBuilder {
    DefaultChain::builder()
        .environment(Environment::from_variables(variables.iter().copied()))
        .home_dir(home.path())
        .clock(clock.clone())
        .sts_retry_policy(idtok_client::RetryPolicy::no_retries())
}

/// The credentials of the chain `builder` builds.
async fn provided(builder: DefaultChainBuilder) -> Sourced<AlibabaCredentials> {
    builder.build().unwrap().credentials().await.unwrap()
}

/// Why the chain `builder` builds gives no credentials.
async fn failure(builder: DefaultChainBuilder) -> String {
    builder
        .build()
        .unwrap()
        .credentials()
        .await
        .unwrap_err()
        .to_string()
}

fn ak_profile(name: &str, id: &str, secret: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name, "mode": "AK", "access_key_id": id, "access_key_secret": secret,
        "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "",
        "source_profile": "", "expired_seconds": 0, "region_id": "cn-hangzhou",
        "output_format": "json", "language": "en"
    })
}

// ---------------------------------------------------------------------------------------------
// The ECS metadata service.

/// How the fake metadata service behaves.
#[derive(Default)]
struct MetadataBehaviour {
    /// PUT /latest/api/token answers 404 (a service without IMDSv2).
    no_tokens: AtomicBool,
    /// Requests carrying a token are refused (403).
    refuse_tokens: AtomicBool,
    /// Every request answers 500.
    broken: AtomicBool,
    /// How many credentials were handed out.
    issued: AtomicUsize,
}

/// The metadata service of an instance with RAM role `EcsRole`, whose credentials last 6 hours
/// from the test clock's now.
struct FakeMetadata {
    behaviour: Arc<MetadataBehaviour>,
    clock: Arc<MovableClock>,
}

impl Respond for FakeMetadata {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let b = &self.behaviour;
        if b.broken.load(Ordering::SeqCst) {
            return ResponseTemplate::new(500);
        }
        let path = request.url.path();
        let token = header(request, "x-aliyun-ecs-metadata-token");
        if token.is_some() && b.refuse_tokens.load(Ordering::SeqCst) {
            return ResponseTemplate::new(403);
        }
        if token.is_some_and(|t| t != METADATA_TOKEN) {
            return ResponseTemplate::new(401);
        }
        match (request.method.as_str(), path) {
            ("PUT", "/latest/api/token") => {
                if b.no_tokens.load(Ordering::SeqCst) {
                    return ResponseTemplate::new(404);
                }
                if header(request, "x-aliyun-ecs-metadata-token-ttl-seconds") != Some("21600") {
                    return ResponseTemplate::new(400);
                }
                ResponseTemplate::new(200).set_body_string(METADATA_TOKEN)
            }
            ("GET", "/latest/meta-data/ram/security-credentials/") => {
                ResponseTemplate::new(200).set_body_string("EcsRole")
            }
            ("GET", role) if role.starts_with("/latest/meta-data/ram/security-credentials/") => {
                let n = b.issued.fetch_add(1, Ordering::SeqCst) + 1;
                let now = self
                    .clock
                    .now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let role = role.rsplit('/').next().unwrap();
                ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "AccessKeyId": format!("STS.ecs-{role}-{n}"),
                    "AccessKeySecret": ECS_SECRET,
                    "Expiration": timestamp(now + 6 * 3600),
                    "SecurityToken": ECS_TOKEN,
                    "LastUpdated": timestamp(now),
                    "Code": "Success"
                }))
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

async fn metadata_service(clock: &Arc<MovableClock>) -> (MockServer, Arc<MetadataBehaviour>) {
    let server = MockServer::start().await;
    let behaviour = Arc::new(MetadataBehaviour::default());
    Mock::given(any())
        .respond_with(FakeMetadata {
            behaviour: behaviour.clone(),
            clock: clock.clone(),
        })
        .mount(&server)
        .await;
    (server, behaviour)
}

/// A chain over `variables` and `home` that asks the metadata service `metadata`.
fn ecs_chain(
    home: &TempHome,
    variables: &[(&str, &str)],
    clock: &Arc<MovableClock>,
    metadata: &MockServer,
) -> DefaultChain {
    chain(home, variables, clock)
        .ecs_metadata_url(metadata.uri())
        .build()
        .unwrap()
}

/// Each request as `METHOD path [token]`.
async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let token = match header(r, "x-aliyun-ecs-metadata-token") {
                Some(t) if t == METADATA_TOKEN => " [token]",
                Some(_) => " [other token]",
                None => "",
            };
            format!("{} {}{token}", r.method, r.url.path())
        })
        .collect()
}

#[tokio::test]
async fn ecs_imdsv2_asks_a_token_then_the_role_then_its_credentials() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, _) = metadata_service(&clock).await;
    let chain = ecs_chain(&home, &[], &clock, &metadata);
    let sourced = chain.credentials().await.unwrap();
    assert_eq!(sourced.source, "ecs_ram_role");
    assert_eq!(sourced.credentials.access_key_id, "STS.ecs-EcsRole-1");
    assert_eq!(
        sourced.credentials.access_key_secret.expose_secret(),
        ECS_SECRET
    );
    assert_eq!(
        sourced.credentials.security_token.unwrap().expose_secret(),
        ECS_TOKEN
    );
    // As the library: a token before each of the two reads, and every read with it.
    assert_eq!(
        requests(&metadata).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/ [token]",
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/EcsRole [token]",
        ]
    );
    let put = &metadata.received_requests().await.unwrap()[0];
    assert_eq!(
        header(put, "x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
}

#[tokio::test]
async fn ecs_falls_back_to_imdsv1_when_there_is_no_token_or_it_is_refused() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, behaviour) = metadata_service(&clock).await;
    behaviour.no_tokens.store(true, Ordering::SeqCst);
    let chain = ecs_chain(&home, &[], &clock, &metadata);
    assert_eq!(chain.credentials().await.unwrap().source, "ecs_ram_role");
    assert_eq!(
        requests(&metadata).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/",
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/EcsRole",
        ]
    );

    // A token is given but the reads with it fail: each is asked again without it.
    let (metadata, behaviour) = metadata_service(&clock).await;
    behaviour.refuse_tokens.store(true, Ordering::SeqCst);
    let chain = ecs_chain(&home, &[], &clock, &metadata);
    assert_eq!(chain.credentials().await.unwrap().source, "ecs_ram_role");
    assert_eq!(
        requests(&metadata).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/ [token]",
            "GET /latest/meta-data/ram/security-credentials/",
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/EcsRole [token]",
            "GET /latest/meta-data/ram/security-credentials/EcsRole",
        ]
    );
}

#[tokio::test]
async fn ecs_with_imdsv1_disabled_never_asks_without_a_token() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, behaviour) = metadata_service(&clock).await;
    behaviour.no_tokens.store(true, Ordering::SeqCst);
    let chain = ecs_chain(
        &home,
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")],
        &clock,
        &metadata,
    );
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(
        error.contains("ecs_ram_role: cannot get an IMDSv2 token (IMDSv1 is disabled by ALIBABA_CLOUD_IMDSV1_DISABLED=true) from the ECS metadata service at http://127.0.0.1:")
            && error.contains(": HTTP 404"),
        "{error}"
    );
    assert_eq!(requests(&metadata).await, ["PUT /latest/api/token"]);

    // With a token that the reads refuse, no read is made without it.
    let (metadata, behaviour) = metadata_service(&clock).await;
    behaviour.refuse_tokens.store(true, Ordering::SeqCst);
    let chain = ecs_chain(
        &home,
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "TRUE")],
        &clock,
        &metadata,
    );
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(error.contains("HTTP 403"), "{error}");
    assert_eq!(
        requests(&metadata).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/ [token]",
        ]
    );
}

#[tokio::test]
async fn ecs_role_named_by_the_environment_is_not_looked_up() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, _) = metadata_service(&clock).await;
    let chain = ecs_chain(
        &home,
        &[("ALIBABA_CLOUD_ECS_METADATA", "Named")],
        &clock,
        &metadata,
    );
    let sourced = chain.credentials().await.unwrap();
    assert_eq!(sourced.credentials.access_key_id, "STS.ecs-Named-1");
    assert_eq!(
        requests(&metadata).await,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/Named [token]",
        ]
    );
}

#[tokio::test]
async fn ecs_credentials_are_cached_and_renewed_15_minutes_before_expiry() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, behaviour) = metadata_service(&clock).await;
    let chain = ecs_chain(&home, &[], &clock, &metadata);
    let id =
        |s: idtok_client::credentials::Sourced<AlibabaCredentials>| s.credentials.access_key_id;
    assert_eq!(id(chain.credentials().await.unwrap()), "STS.ecs-EcsRole-1");
    // Concurrent callers share the cached credentials.
    let all = futures::future::join_all((0..8).map(|_| chain.credentials())).await;
    assert!(all
        .into_iter()
        .all(|r| id(r.unwrap()) == "STS.ecs-EcsRole-1"));
    clock.advance(Duration::from_secs(6 * 3600 - 15 * 60 - 1));
    assert_eq!(id(chain.credentials().await.unwrap()), "STS.ecs-EcsRole-1");
    assert_eq!(behaviour.issued.load(Ordering::SeqCst), 1);
    clock.advance(Duration::from_secs(1));
    let all = futures::future::join_all((0..8).map(|_| chain.credentials())).await;
    assert!(all
        .into_iter()
        .all(|r| id(r.unwrap()) == "STS.ecs-EcsRole-2"));
    assert_eq!(
        behaviour.issued.load(Ordering::SeqCst),
        2,
        "one renewal for all the callers"
    );
}

#[tokio::test]
async fn ecs_failed_renewal_keeps_valid_credentials_until_they_expire() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, behaviour) = metadata_service(&clock).await;
    let chain = ecs_chain(&home, &[], &clock, &metadata);
    assert_eq!(
        chain.credentials().await.unwrap().credentials.access_key_id,
        "STS.ecs-EcsRole-1"
    );
    behaviour.broken.store(true, Ordering::SeqCst);
    clock.advance(Duration::from_secs(6 * 3600 - 60));
    assert_eq!(
        chain.credentials().await.unwrap().credentials.access_key_id,
        "STS.ecs-EcsRole-1",
        "the renewal failed; the credentials are still valid"
    );
    clock.advance(Duration::from_secs(60));
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(error.contains("HTTP 500"), "{error}");
    behaviour.broken.store(false, Ordering::SeqCst);
    assert_eq!(
        chain.credentials().await.unwrap().credentials.access_key_id,
        "STS.ecs-EcsRole-2",
        "the next call tries again"
    );
}

/// A server on 127.0.0.1 that accepts connections and never answers; it counts them.
async fn hanging_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            open.push(socket);
        }
    });
    (format!("http://{address}"), count)
}

#[tokio::test]
async fn a_hanging_metadata_service_is_given_up_on_after_one_read_timeout() {
    let clock = start_clock();
    let home = TempHome::new();
    let (url, connections) = hanging_server().await;
    // The library's 1 s timeouts. A token request that gets no answer at all is the answer:
    // asking again without a token (IMDSv1), as the library does, would wait a second time.
    let chain = chain(&home, &[], &clock)
        .ecs_metadata_url(url.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = chain.credentials().await.unwrap_err().to_string();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(1900),
        "{took:?}"
    );
    assert!(
        error.contains(&format!(
            "ecs_ram_role: cannot get an IMDSv2 token from the ECS metadata service at {url}/: timed out"
        )),
        "{error}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);

    let (url, _) = hanging_server().await;
    let chain = self::chain(&home, &[], &clock)
        .ecs_metadata_url(url)
        .ecs_metadata_timeouts(HttpTimeouts {
            connect: Duration::from_millis(100),
            read: Duration::from_millis(100),
        })
        .build()
        .unwrap();
    let started = Instant::now();
    chain.credentials().await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_chain_waits_on_a_metadata_address_that_does_not_answer_once() {
    let clock = start_clock();
    let home = TempHome::new();
    let (url, connections) = hanging_server().await;
    // The profile asks the metadata service; its failure stops the chain (the chain's own ECS
    // link is not asked), and a second resolution does not ask the address again.
    config_json(
        &home,
        serde_json::json!({"current": "ecs", "profiles": [{"name": "ecs", "mode": "EcsRamRole"}]}),
    );
    let chain = chain(&home, &[], &clock)
        .ecs_metadata_url(url.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_millis(1900), "{error}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "{error}");
    assert!(
        error.contains(&format!(
            "  cli_profile: cannot get an IMDSv2 token from the ECS metadata service at {url}/: timed out"
        )) && error.contains("(not tried: profile, ecs_ram_role; "),
        "{error}"
    );
    // Asked again (a second resolution, as a retried call makes): still no wait.
    let started = Instant::now();
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(error.contains("a moment ago; not asked again"), "{error}");

    // Turned off in code, it is not asked at all, and the error says why.
    let error = failure(
        self::chain(&home, &[], &clock)
            .ecs_metadata_url(url)
            .without_ecs_metadata("--no-metadata"),
    )
    .await;
    assert_eq!(connections.load(Ordering::SeqCst), 1);
    assert!(
        error.contains("  cli_profile: ")
            && error.contains("the ECS metadata service is not asked: --no-metadata")
            && error.ends_with("  (ecs_ram_role not asked: --no-metadata)"),
        "{error}"
    );
}

#[test]
fn the_metadata_service_is_the_only_plain_http_address_allowed_besides_loopback() {
    let home = TempHome::new();
    let clock = start_clock();
    for refused in [
        "http://100.100.100.201",
        "http://169.254.169.254",
        "http://example.com",
    ] {
        let error = chain(&home, &[], &clock)
            .ecs_metadata_url(refused)
            .build()
            .unwrap_err()
            .to_string();
        assert!(error.contains("refusing plain http://"), "{error}");
    }
    // The real service answers on port 80 only, and a base URL has no query or fragment: the
    // check both vendors' chains share.
    for (refused, why) in [
        ("http://100.100.100.200:8080", "refusing plain http://"),
        (
            "http://100.100.100.200/#latest",
            "must not have a query or fragment",
        ),
        (
            "http://127.0.0.1:1/?a=b",
            "must not have a query or fragment",
        ),
    ] {
        let error = chain(&home, &[], &clock)
            .ecs_metadata_url(refused)
            .build()
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("ECS metadata URL {refused:?}: {why}")),
            "{error}"
        );
    }
    for allowed in [
        "http://100.100.100.200",
        "http://100.100.100.200:80/",
        "http://127.0.0.1:1",
        "https://example.com",
    ] {
        chain(&home, &[], &clock)
            .ecs_metadata_url(allowed)
            .build()
            .unwrap();
    }
    // The default is the metadata service itself.
    let names = chain(&home, &[], &clock).build().unwrap().provider_names();
    assert_eq!(names, ["env", "cli_profile", "profile", "ecs_ram_role"]);
}

// ---------------------------------------------------------------------------------------------
// The aliyun CLI's config.json and credentials.ini.

const NO_ECS: (&str, &str) = ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");

#[tokio::test]
async fn cli_profiles_by_current_by_variable_and_by_explicit_name() {
    let clock = start_clock();
    let home = TempHome::new();
    config_json(
        &home,
        serde_json::json!({
            "current": "first",
            "profiles": [
                ak_profile("first", "LTAI-first", FILE_SECRET),
                ak_profile("second", "LTAI-second", FILE_SECRET),
                {"name": "sts", "mode": "StsToken", "access_key_id": "STS.third",
                 "access_key_secret": FILE_SECRET, "sts_token": "sentinel-file-token", "region_id": ""},
            ],
        }),
    );
    let id = |builder: DefaultChainBuilder| async move {
        let sourced = provided(builder).await;
        (sourced.source, sourced.credentials.access_key_id)
    };
    assert_eq!(
        id(chain(&home, &[NO_ECS], &clock)).await,
        ("cli_profile/static_ak".to_owned(), "LTAI-first".to_owned())
    );
    let by_variable = [NO_ECS, ("ALIBABA_CLOUD_PROFILE", "second")];
    assert_eq!(
        id(chain(&home, &by_variable, &clock)).await.1,
        "LTAI-second"
    );
    assert_eq!(
        id(chain(&home, &by_variable, &clock).profile("sts")).await,
        ("cli_profile/static_sts".to_owned(), "STS.third".to_owned()),
        "an explicit profile beats ALIBABA_CLOUD_PROFILE"
    );
    // The region of the profile the chain would use, for a tool's default --region.
    let env = Environment::from_variables(by_variable);
    assert_eq!(
        cli_profile_region(&env, Some(home.path()), None).unwrap(),
        Some("cn-hangzhou".to_owned())
    );
    assert_eq!(
        cli_profile_region(&env, Some(home.path()), Some("sts")).unwrap(),
        None
    );
    assert_eq!(
        chain(&home, &[], &clock).cli_profile_region().unwrap(),
        Some("cn-hangzhou".to_owned())
    );
    assert_eq!(
        cli_profile_region(&env, Some(&home.path().join("nowhere")), None).unwrap(),
        None
    );
    let disabled = Environment::from_variables([("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")]);
    assert_eq!(
        cli_profile_region(&disabled, Some(home.path()), None).unwrap(),
        None
    );
    assert_eq!(profile_name(Some("flag"), &env).as_deref(), Some("flag"));
    assert_eq!(profile_name(None, &env).as_deref(), Some("second"));
    assert_eq!(
        profile_name(Some(""), &Environment::from_variables([("A", "b")])),
        None
    );
}

/// A tool reads config.json once: the region it takes from the profile and the credentials the
/// chain then gives come from the same reading, even if the file changes in between.
#[tokio::test]
async fn a_profile_region_and_its_credentials_come_from_one_reading_of_config_json() {
    let clock = start_clock();
    let home = TempHome::new();
    let config = |id: &str, region: &str| {
        let mut profile = ak_profile("p", id, FILE_SECRET);
        profile["region_id"] = serde_json::json!(region);
        serde_json::json!({"current": "p", "profiles": [profile]})
    };
    config_json(&home, config("LTAI-first", "cn-shanghai"));
    let files = ReadOnce::new();
    let builder = || chain(&home, &[NO_ECS], &clock).files(files.clone());
    assert_eq!(
        builder().cli_profile_region().unwrap().as_deref(),
        Some("cn-shanghai")
    );
    config_json(&home, config("LTAI-second", "cn-beijing"));
    let sourced = provided(builder()).await;
    assert_eq!(sourced.credentials.access_key_id, "LTAI-first");
    assert_eq!(
        builder().cli_profile_region().unwrap().as_deref(),
        Some("cn-shanghai")
    );
    // Without a shared reading, each read reads the file.
    let sourced = provided(chain(&home, &[NO_ECS], &clock)).await;
    assert_eq!(sourced.credentials.access_key_id, "LTAI-second");
}

#[tokio::test]
async fn cli_profile_errors_name_the_profile_and_the_mode() {
    let clock = start_clock();
    let home = TempHome::new();
    config_json(
        &home,
        serde_json::json!({
            "current": "sso",
            "profiles": [
                {"name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": "https://signin"},
                {"name": "oauth", "mode": "OAuth"},
                {"name": "external", "mode": "External", "process_command": "vault"},
                {"name": "odd", "mode": "Bespoke"},
                {"name": "empty", "mode": "AK", "access_key_id": "", "access_key_secret": ""},
                {"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": "acs:ram::1:role/a"},
                {"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": "acs:ram::1:role/b"},
                {"name": "typed", "mode": "AK", "access_key_id": 5, "access_key_secret": "x"},
            ],
        }),
    );
    let file = home.path().join(".aliyun/config.json");
    let error = |profile: &str| failure(chain(&home, &[NO_ECS], &clock).profile(profile));
    let line = |profile: &str, why: &str| {
        format!(
            "  cli_profile: {}, profile '{profile}': {why}",
            file.display()
        )
    };
    let supported = "AK, StsToken, RamRoleArn, EcsRamRole, OIDC, ChainableRamRoleArn, CloudSSO";
    // An incomplete CloudSSO profile names the command that configures it.
    let sso = error("sso").await;
    assert!(
        sso.contains(&line(
            "sso",
            "mode CloudSSO needs cloud_sso_sign_in_url, cloud_sso_account_id and cloud_sso_access_config: configure the profile with `aliyun configure --profile sso --mode CloudSSO`"
        )),
        "{sso}"
    );
    for mode in ["OAuth", "External"] {
        let profile = match mode {
            "OAuth" => "oauth",
            _ => "external",
        };
        let error = error(profile).await;
        assert!(
            error.contains(&line(
                profile,
                &format!("mode {mode} is not supported here (supported: {supported})")
            )),
            "{error}"
        );
    }
    let odd = error("odd").await;
    assert!(
        odd.contains(&line(
            "odd",
            &format!("unsupported mode 'Bespoke' (supported: {supported})")
        )),
        "{odd}"
    );
    let empty = error("empty").await;
    assert!(
        empty.contains(&line("empty", "the access key id is empty")),
        "{empty}"
    );
    let circle = error("a").await;
    assert!(
        circle.contains("the profiles' source_profile go round in a circle (a -> b -> a)"),
        "{circle}"
    );
    let typed = error("typed").await;
    assert!(
        typed.contains(&line("typed", "`access_key_id` is not a string")),
        "{typed}"
    );
    let missing = error("nobody").await;
    assert!(
        missing.contains(&format!(
            "  cli_profile: {}: no profile named 'nobody'",
            file.display()
        )),
        "{missing}"
    );

    // Disabled: the provider stays in the chain and says so.
    let disabled = failure(chain(
        &home,
        &[NO_ECS, ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")],
        &clock,
    ))
    .await;
    assert!(
        disabled.contains("  cli_profile: the aliyun CLI's profiles are disabled (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)"),
        "{disabled}"
    );
}

#[tokio::test]
async fn malformed_files_are_errors_that_name_the_file_and_line() {
    let clock = start_clock();
    let home = TempHome::new();
    let config = write(
        &home,
        ".aliyun/config.json",
        "{\n  \"current\": \"default\",\n  \"profiles\": [,]\n}\n",
    );
    let ini = credentials_ini(
        &home,
        "[default]\ntype = access_key\nthis line is not a pair\n",
    );
    let error = failure(chain(&home, &[NO_ECS], &clock)).await;
    assert!(
        error.contains(&format!(
            "  cli_profile: {}, line 3: not valid JSON (expected value at line 3 column 16)\n  (not tried: profile; ",
            config.display()
        )),
        "{error}"
    );
    // A malformed file stops the chain: the next one is read only without it.
    std::fs::rename(&config, home.path().join("config.json.aside")).unwrap();
    let error = failure(chain(&home, &[NO_ECS], &clock)).await;
    assert!(
        error.contains(&format!(
            "  profile: {}, line 3: expected `key = value`",
            ini.display()
        )),
        "{error}"
    );
    std::fs::rename(home.path().join("config.json.aside"), &config).unwrap();
    // A file that is not UTF-8, not an object, or empty: errors too, never a panic.
    for (text, why) in [
        (&b"\xff\xfe{}"[..], "stream did not contain valid UTF-8"),
        (b"[1, 2]", "not a JSON object"),
        (b"", "line 1: not valid JSON"),
        (
            b"{\"current\": \"a\", \"profiles\": {\"a\": 1}}",
            "`profiles` is not a list",
        ),
        (
            b"{\"current\": \"a\", \"profiles\": [7]}",
            "profiles[0] is not an object",
        ),
    ] {
        std::fs::write(&config, text).unwrap();
        let error = failure(chain(&home, &[NO_ECS], &clock)).await;
        assert!(error.contains(why), "{why}: {error}");
        assert!(error.contains(&config.display().to_string()), "{error}");
    }
}

#[tokio::test]
async fn credentials_ini_sections_and_types() {
    let clock = start_clock();
    let home = TempHome::new();
    credentials_ini(
        &home,
        &format!(
            "[default]\n\
         type = access_key   # the library drops what follows a hash\n\
         access_key_id = LTAI-ini\n\
         access_key_secret = {FILE_SECRET}\n\
         [rsa]\ntype = rsa_key_pair\npublic_key_id = x\nprivate_key_file = /k\n\
         [odd]\ntype = bespoke\n\
         [untyped]\naccess_key_id = a\n"
        ),
    );
    let file = home.path().join(".alibabacloud/credentials.ini");
    let sourced = provided(chain(&home, &[NO_ECS], &clock)).await;
    assert_eq!(sourced.source, "profile/static_ak");
    assert_eq!(sourced.credentials.access_key_id, "LTAI-ini");
    assert_eq!(
        sourced.credentials.access_key_secret.expose_secret(),
        FILE_SECRET
    );
    let error = |variables: &'static [(&'static str, &'static str)]| {
        failure(chain(&home, variables, &clock))
    };
    let rsa = error(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "rsa")]).await;
    assert!(
        rsa.contains(&format!(
            "  profile: {}, section [rsa]: type rsa_key_pair is not supported",
            file.display()
        )),
        "{rsa}"
    );
    let odd = error(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "odd")]).await;
    assert!(odd.contains("section [odd]: unsupported type 'bespoke' (supported: access_key, ram_role_arn, oidc_role_arn, ecs_ram_role)"), "{odd}");
    let untyped = error(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "untyped")]).await;
    assert!(untyped.contains("section [untyped]: no type"), "{untyped}");
    let absent = error(&[NO_ECS, ("ALIBABA_CLOUD_PROFILE", "absent")]).await;
    assert!(
        absent.contains(&format!(
            "  profile: {}: no [absent] section",
            file.display()
        )),
        "{absent}"
    );

    // ALIBABA_CLOUD_CREDENTIALS_FILE names another file.
    let other = write(
        &home,
        "elsewhere.ini",
        "[default]\ntype=access_key\naccess_key_id=LTAI-elsewhere\naccess_key_secret=s\n",
    );
    let other = other.display().to_string();
    let elsewhere = provided(chain(
        &home,
        &[NO_ECS, ("ALIBABA_CLOUD_CREDENTIALS_FILE", other.as_str())],
        &clock,
    ))
    .await;
    assert_eq!(elsewhere.credentials.access_key_id, "LTAI-elsewhere");
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn a_credentials_file_others_may_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());

    let clock = start_clock();
    let home = TempHome::new();
    let file = credentials_ini(&home, &format!(
        "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = {FILE_SECRET}\n"
    ));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let chain = chain(&home, &[NO_ECS], &clock).build().unwrap();
    chain.credentials().await.unwrap();
    let log = captured.text();
    assert!(
        log.contains("WARN")
            && log.contains("may be read by other users")
            && log.contains(&file.display().to_string())
            && log.contains("mode=644"),
        "{log}"
    );
    assert!(!log.contains(FILE_SECRET), "{log}");
}

// ---------------------------------------------------------------------------------------------
// A credentials URI.

#[tokio::test]
async fn credentials_uri_gives_temporary_credentials() {
    let clock = start_clock();
    let home = TempHome::new();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Code": "Success", "AccessKeyId": "STS.uri", "AccessKeySecret": URI_SECRET,
            "SecurityToken": "sentinel-uri-token", "Expiration": timestamp(T0 + 3600),
        })))
        .mount(&server)
        .await;
    let uri = format!("{}/credentials?token=sentinel-uri-query", server.uri());
    let sourced = provided(chain(
        &home,
        &[NO_ECS, ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())],
        &clock,
    ))
    .await;
    assert_eq!(sourced.source, "credential_uri");
    assert_eq!(sourced.credentials.access_key_id, "STS.uri");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/credentials");
    assert_eq!(request.url.query(), Some("token=sentinel-uri-query"));

    // Plain http:// elsewhere than loopback is refused; the URI's query is never shown.
    let remote = "http://credentials.example.com/c?token=sentinel-uri-query";
    let error = failure(chain(
        &home,
        &[NO_ECS, ("ALIBABA_CLOUD_CREDENTIALS_URI", remote)],
        &clock,
    ))
    .await;
    assert!(
        error.contains("  credential_uri: ALIBABA_CLOUD_CREDENTIALS_URI: refusing plain http://"),
        "{error}"
    );
    assert!(!error.contains("sentinel-uri-query"), "{error}");
}

/// Answers `answers` in turn.
struct InTurn(std::sync::Mutex<Vec<ResponseTemplate>>);

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0.lock().unwrap().remove(0)
    }
}

#[tokio::test]
async fn answers_that_are_not_credentials_are_errors_that_do_not_quote_them() {
    let clock = start_clock();
    let home = TempHome::new();
    let json =
        |status: u16, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
    let secret = "sentinel-answer-secret-0e1f";
    let cases = [
        (
            ResponseTemplate::new(200).set_body_string("<html>"),
            "the answer is not JSON",
        ),
        (
            json(
                200,
                serde_json::json!({"Code": "Failure", "AccessKeySecret": secret}),
            ),
            "the answer's Code is \"Failure\", not \"Success\"",
        ),
        (
            json(
                200,
                serde_json::json!({"Code": "Success", "AccessKeyId": "a", "AccessKeySecret": secret}),
            ),
            "the answer has no SecurityToken",
        ),
        (
            json(
                200,
                serde_json::json!({"Code": "Success", "AccessKeyId": "a", "AccessKeySecret": secret, "SecurityToken": "t", "Expiration": "tomorrow"}),
            ),
            "the answer's Expiration \"tomorrow\" is not a time like 2015-04-09T11:52:19Z",
        ),
        (
            json(
                200,
                serde_json::json!({"Code": "Success", "AccessKeyId": 7, "AccessKeySecret": secret}),
            ),
            "the answer has no AccessKeyId",
        ),
        (
            json(
                500,
                serde_json::json!({"Code": "Boom", "Message": "Down.", "AccessKeySecret": secret}),
            ),
            "HTTP 500: Boom: Down.",
        ),
    ];
    let server = MockServer::start().await;
    let whys: Vec<&str> = cases.iter().map(|(_, why)| *why).collect();
    Mock::given(any())
        .respond_with(InTurn(std::sync::Mutex::new(
            cases.into_iter().map(|(answer, _)| answer).collect(),
        )))
        .mount(&server)
        .await;
    let uri = server.uri();
    for why in whys {
        let error = failure(chain(
            &home,
            &[NO_ECS, ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())],
            &clock,
        ))
        .await;
        assert!(
            error.contains(&format!(
                "  credential_uri: cannot get credentials from {uri}/: {why}"
            )),
            "{why}: {error}"
        );
        assert!(!error.contains(secret), "{error}");
    }
}

// ---------------------------------------------------------------------------------------------
// The chain.

#[tokio::test]
async fn the_chain_asks_env_then_cli_profile_then_ini_then_ecs_then_uri() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, _) = metadata_service(&clock).await;
    let uri_server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "Code": "Success", "AccessKeyId": "STS.uri", "AccessKeySecret": URI_SECRET,
            "SecurityToken": "t", "Expiration": timestamp(T0 + 3600),
        })))
        .mount(&uri_server)
        .await;
    let uri = uri_server.uri();
    let env_vars = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET),
    ];
    let source = |variables: Vec<(&'static str, String)>| {
        let env = Environment::from_variables(variables);
        let builder = DefaultChain::builder()
            .environment(env)
            .home_dir(home.path())
            .clock(clock.clone())
            .ecs_metadata_url(metadata.uri());
        async move { provided(builder).await.source }
    };
    let with = |env: bool, ecs: bool| {
        let mut v: Vec<(&'static str, String)> =
            vec![("ALIBABA_CLOUD_CREDENTIALS_URI", uri.clone())];
        if env {
            v.extend(env_vars.iter().map(|(k, val)| (*k, (*val).to_owned())));
        }
        if !ecs {
            v.push(("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()));
        }
        v
    };
    config_json(
        &home,
        serde_json::json!({"current": "p", "profiles": [ak_profile("p", "LTAI-cli", FILE_SECRET)]}),
    );
    credentials_ini(
        &home,
        "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = s\n",
    );
    assert_eq!(source(with(true, true)).await, "env");
    assert_eq!(source(with(false, true)).await, "cli_profile/static_ak");
    std::fs::remove_file(home.path().join(".aliyun/config.json")).unwrap();
    assert_eq!(source(with(false, true)).await, "profile/static_ak");
    std::fs::remove_file(home.path().join(".alibabacloud/credentials.ini")).unwrap();
    assert_eq!(source(with(false, true)).await, "ecs_ram_role");
    assert_eq!(source(with(false, false)).await, "credential_uri");
}

#[tokio::test]
async fn the_chain_reuses_the_provider_that_worked() {
    let clock = start_clock();
    let home = TempHome::new();
    credentials_ini(
        &home,
        "[default]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = s\n",
    );
    let reusing = chain(&home, &[NO_ECS], &clock).build().unwrap();
    let fresh = chain(&home, &[NO_ECS], &clock)
        .reuse_last_provider(false)
        .build()
        .unwrap();
    assert_eq!(
        reusing.credentials().await.unwrap().source,
        "profile/static_ak"
    );
    assert_eq!(
        fresh.credentials().await.unwrap().source,
        "profile/static_ak"
    );
    // A provider earlier in the chain now has credentials: only the chain that does not reuse
    // asks it.
    config_json(
        &home,
        serde_json::json!({"current": "p", "profiles": [ak_profile("p", "LTAI-cli", FILE_SECRET)]}),
    );
    assert_eq!(
        reusing.credentials().await.unwrap().source,
        "profile/static_ak"
    );
    assert_eq!(
        fresh.credentials().await.unwrap().source,
        "cli_profile/static_ak"
    );
    // And ProvideCredentials gives the same credentials.
    let provided = ProvideCredentials::<AlibabaCredentials>::provide(&reusing)
        .await
        .unwrap();
    assert_eq!(provided.access_key_id, "LTAI-ini");
}

#[tokio::test]
async fn when_nothing_yields_credentials_the_error_names_every_provider() {
    let clock = start_clock();
    let home = TempHome::new();
    let uri = format!("{}/c", closed_address());
    let variables = [
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str()),
    ];
    let chain = chain(&home, &variables, &clock)
        .ecs_metadata_url(closed_address())
        .build()
        .unwrap();
    assert_eq!(
        chain.provider_names(),
        [
            "env",
            "cli_profile",
            "profile",
            "ecs_ram_role",
            "credential_uri"
        ]
    );
    let error = chain.credentials().await.unwrap_err().to_string();
    let lines: Vec<&str> = error.lines().collect();
    assert_eq!(
        lines[0],
        "no Alibaba Cloud credentials from any provider of the default chain:"
    );
    let names: Vec<&str> = lines[1..]
        .iter()
        .filter_map(|l| l.strip_prefix("  ")?.split(':').next())
        .collect();
    assert_eq!(
        names,
        [
            "env",
            "cli_profile",
            "profile",
            "ecs_ram_role",
            "credential_uri"
        ],
        "{error}"
    );
    assert_eq!(lines[1], "  env: ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
    let config = home.path().join(".aliyun/config.json");
    assert!(
        error.contains(&format!(
            "  cli_profile: {} does not exist",
            config.display()
        )),
        "{error}"
    );
    assert!(!error.contains(ENV_SECRET), "{error}");
}

/// A provider whose source is set up but gives no credentials stops the chain with its error
/// (the library would go on): a pod whose RRSA fails must not run as whatever comes later.
#[tokio::test]
async fn a_provider_that_is_set_up_but_fails_stops_the_chain() {
    let clock = start_clock();
    let home = TempHome::new();
    let token_file = write(&home, "token", "sentinel-oidc-jwt");
    let token_file = token_file.display().to_string();
    config_json(
        &home,
        serde_json::json!({"current": "p", "profiles": [ak_profile("p", "LTAI-cli", FILE_SECRET)]}),
    );
    let variables = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
    ];
    let chain = chain(&home, &variables, &clock)
        .ecs_metadata_url(closed_address())
        .sts_endpoint(idtok_runtime::endpoint::Endpoint::url(&closed_address()).unwrap())
        .build()
        .unwrap();
    let error = chain.credentials().await.unwrap_err().to_string();
    let lines: Vec<&str> = error.lines().collect();
    assert_eq!(
        lines[1],
        "  env: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
        "{error}"
    );
    assert!(
        lines[2].starts_with(
            "  oidc_role_arn: cannot assume acs:ram::1:role/r: AssumeRoleWithOIDC failed: "
        ),
        "{error}"
    );
    assert_eq!(
        lines[3..],
        ["  (not tried: cli_profile, profile, ecs_ram_role; oidc_role_arn is set up here, so no later provider stands in for it)"],
        "{error}"
    );
    assert!(!error.contains("sentinel-oidc-jwt"), "{error}");

    // Not set up (the token file is missing a variable): the CLI profile gives them.
    let chain = self::chain(&home, &variables[..2], &clock)
        .ecs_metadata_url(closed_address())
        .build()
        .unwrap();
    assert_eq!(
        chain.credentials().await.unwrap().source,
        "cli_profile/static_ak"
    );

    // The metadata service is asked on every machine: that it does not answer means there is no
    // instance role here, and the next provider is asked. Once a role is named for it, it is set
    // up, and its failure stops the chain.
    std::fs::remove_file(home.path().join(".aliyun/config.json")).unwrap();
    let uri = format!("{}/c", closed_address());
    let probed = [("ALIBABA_CLOUD_CREDENTIALS_URI", uri.as_str())];
    let error =
        failure(self::chain(&home, &probed, &clock).ecs_metadata_url(closed_address())).await;
    assert!(
        error.contains("\n  ecs_ram_role: ") && error.contains("\n  credential_uri: "),
        "{error}"
    );
    let named = [probed[0], ("ALIBABA_CLOUD_ECS_METADATA", "the-role")];
    let error =
        failure(self::chain(&home, &named, &clock).ecs_metadata_url(closed_address())).await;
    assert!(
        error.contains("\n  ecs_ram_role: ")
            && error.ends_with("  (not tried: credential_uri; ecs_ram_role is set up here, so no later provider stands in for it)"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// STS: RRSA (AssumeRoleWithOIDC) and RAM roles (AssumeRole).

/// A local STS. AssumeRole and AssumeRoleWithOIDC (named in `x-acs-action`, which the client sends
/// on both, as the SDK does) answer credentials named after the role
/// (`STS.<role>-<n>`, secret `<id>-secret`, token `<id>-token`) valid for an hour from the test
/// clock's now; a role named `denied` is refused.
struct FakeSts {
    issued: AtomicUsize,
    clock: Arc<MovableClock>,
}

impl Respond for FakeSts {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = idtok_testkit::query(request);
        let one = |key: &str| query.get(key).map(|v| v[0].clone()).unwrap_or_default();
        let action = header(request, "x-acs-action").unwrap_or_default();
        if !["AssumeRole", "AssumeRoleWithOIDC"].contains(&action) {
            return ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "Code": "InvalidAction.NotFound", "RequestId": "R-0"
            }));
        }
        let role = one("RoleArn")
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        if role == "denied" {
            return ResponseTemplate::new(403).set_body_json(serde_json::json!({
                "Code": "NoPermission", "Message": "You are not authorized to do this action.",
                "RequestId": "R-denied"
            }));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let now = self
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let id = format!("STS.{role}-{n}");
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "RequestId": format!("R-{n}"),
            "AssumedRoleUser": {"Arn": one("RoleArn"), "AssumedRoleId": "1:s"},
            "Credentials": {
                "AccessKeyId": id,
                "AccessKeySecret": format!("{id}-secret"),
                "SecurityToken": format!("{id}-token"),
                "Expiration": timestamp(now + 3600),
            }
        }))
    }
}

async fn sts_server(clock: &Arc<MovableClock>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(FakeSts {
            issued: AtomicUsize::new(0),
            clock: clock.clone(),
        })
        .mount(&server)
        .await;
    server
}

fn endpoint(server: &MockServer) -> idtok_runtime::endpoint::Endpoint {
    idtok_runtime::endpoint::Endpoint::url(&server.uri()).unwrap()
}

/// The query of a request, one value per key.
fn query_of(request: &Request) -> std::collections::BTreeMap<String, String> {
    idtok_testkit::query(request)
        .into_iter()
        .map(|(k, mut v)| {
            assert_eq!(v.len(), 1, "{k} sent {} times", v.len());
            (k, v.remove(0))
        })
        .collect()
}

const OIDC_VARIABLES: [(&str, &str); 2] = [
    (
        "ALIBABA_CLOUD_ROLE_ARN",
        "acs:ram::1234567890123456:role/rrsa",
    ),
    (
        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
        "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1",
    ),
];

#[tokio::test]
async fn rrsa_assumes_the_role_with_the_token_of_the_file_unsigned() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    let token_file = write(&home, "oidc/token", "eyJhbGciOiJSUzI1NiJ9.first.sig\n");
    let token_file = token_file.display().to_string();
    let mut variables = OIDC_VARIABLES.to_vec();
    variables.extend([
        NO_ECS,
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
    ]);
    let chain = chain(&home, &variables, &clock)
        .sts_endpoint(endpoint(&sts))
        .build()
        .unwrap();
    let sourced = chain.credentials().await.unwrap();
    assert_eq!(sourced.source, "oidc_role_arn");
    assert_eq!(sourced.credentials.access_key_id, "STS.rrsa-1");
    assert_eq!(
        sourced.credentials.security_token.unwrap().expose_secret(),
        "STS.rrsa-1-token"
    );
    let requests = sts.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!((request.method.as_str(), request.url.path()), ("POST", "/"));
    assert_eq!(header(request, "x-acs-action"), Some("AssumeRoleWithOIDC"));
    assert_eq!(header(request, "authorization"), None);
    let query = query_of(request);
    let expected = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", "2015-04-01"),
        ("Format", "json"),
        ("RoleArn", "acs:ram::1234567890123456:role/rrsa"),
        (
            "OIDCProviderArn",
            "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1",
        ),
        ("OIDCToken", "eyJhbGciOiJSUzI1NiJ9.first.sig"),
        // The library's default session name: its prefix and the Unix time.
        ("RoleSessionName", "credentials-python-1700000000"),
        ("DurationSeconds", "3600"),
    ];
    for (key, value) in expected {
        assert_eq!(
            query.get(key).map(String::as_str),
            Some(value),
            "{key}: {query:?}"
        );
    }
    for unsigned in [
        "Signature",
        "SignatureMethod",
        "AccessKeyId",
        "SecurityToken",
    ] {
        assert!(!query.contains_key(unsigned), "{unsigned}: {query:?}");
    }

    // The cluster rotates the token: a renewal reads the file again.
    write(&home, "oidc/token", "eyJhbGciOiJSUzI1NiJ9.second.sig");
    clock.advance(Duration::from_secs(3600 - 15 * 60 - 1));
    assert_eq!(
        chain.credentials().await.unwrap().credentials.access_key_id,
        "STS.rrsa-1"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        chain.credentials().await.unwrap().credentials.access_key_id,
        "STS.rrsa-2"
    );
    let requests = sts.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        query_of(&requests[1])["OIDCToken"],
        "eyJhbGciOiJSUzI1NiJ9.second.sig"
    );
}

#[tokio::test]
async fn env_beats_oidc_and_oidc_beats_the_cli_profile() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    let token_file = write(&home, "token", "eyJ.t.s").display().to_string();
    config_json(
        &home,
        serde_json::json!({"current": "p", "profiles": [ak_profile("p", "LTAI-cli", FILE_SECRET)]}),
    );
    let mut oidc = OIDC_VARIABLES.to_vec();
    oidc.extend([
        NO_ECS,
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file.as_str()),
    ]);
    let mut with_env = oidc.clone();
    with_env.extend([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET),
    ]);
    let source = |variables: Vec<(&'static str, &str)>| {
        let builder = chain(&home, &variables, &clock).sts_endpoint(endpoint(&sts));
        async move { provided(builder).await.source }
    };
    assert_eq!(source(with_env).await, "env");
    assert_eq!(source(oidc.clone()).await, "oidc_role_arn");
    // Only with all three variables is OIDC in the chain.
    oidc.retain(|(k, _)| *k != "ALIBABA_CLOUD_OIDC_PROVIDER_ARN");
    assert_eq!(source(oidc).await, "cli_profile/static_ak");
}

#[tokio::test]
async fn cli_ram_role_arn_profile_assumes_the_role_signed_with_its_access_key() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    config_json(
        &home,
        serde_json::json!({
            "current": "role",
            "profiles": [{
                "name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-base",
                "access_key_secret": FILE_SECRET, "ram_role_arn": "acs:ram::1:role/first",
                "ram_session_name": "idtok-test", "expired_seconds": 900, "policy": "",
                "external_id": "ext-1", "sts_region": "", "region_id": "cn-shanghai"
            }]
        }),
    );
    let sourced = provided(chain(&home, &[NO_ECS], &clock).sts_endpoint(endpoint(&sts))).await;
    assert_eq!(sourced.source, "cli_profile/ram_role_arn/static_ak");
    assert_eq!(sourced.credentials.access_key_id, "STS.first-1");
    let request = &sts.received_requests().await.unwrap()[0];
    // Signed as the STS SDK's default sends AssumeRole: ACS3-HMAC-SHA256 in headers.
    idtok_testkit::verify_acs3(request, "LTAI-base", FILE_SECRET).unwrap();
    assert!(idtok_testkit::verify_acs3(request, "LTAI-base", "another-secret").is_err());
    assert_eq!(header(request, "x-acs-action"), Some("AssumeRole"));
    assert_eq!(header(request, "x-acs-security-token"), None);
    // The operation's parameters and nothing else (no Policy, no RPC common parameters).
    let query = query_of(request);
    let expected = [
        ("DurationSeconds", "900"),
        ("ExternalId", "ext-1"),
        ("RoleArn", "acs:ram::1:role/first"),
        ("RoleSessionName", "idtok-test"),
    ]
    .map(|(key, value)| (key.to_owned(), value.to_owned()));
    assert_eq!(query, expected.into_iter().collect());
}

#[tokio::test]
async fn chainable_ram_role_arn_assumes_each_role_with_the_credentials_of_the_one_before() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    config_json(
        &home,
        serde_json::json!({
            "current": "base",
            "profiles": [
                ak_profile("base", "LTAI-base", FILE_SECRET),
                {"name": "mid", "mode": "ChainableRamRoleArn", "source_profile": "base",
                 "ram_role_arn": "acs:ram::1:role/mid"},
                {"name": "top", "mode": "ChainableRamRoleArn", "source_profile": "mid",
                 "ram_role_arn": "acs:ram::1:role/top", "ram_session_name": "top-session",
                 "expired_seconds": 1800},
            ]
        }),
    );
    let sourced = provided(
        chain(&home, &[NO_ECS], &clock)
            .profile("top")
            .sts_endpoint(endpoint(&sts)),
    )
    .await;
    assert_eq!(
        sourced.source,
        "cli_profile/ram_role_arn/ram_role_arn/static_ak"
    );
    assert_eq!(sourced.credentials.access_key_id, "STS.top-2");
    let requests = sts.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    // The middle role with the base profile's AccessKey, under the library's defaults.
    idtok_testkit::verify_acs3(&requests[0], "LTAI-base", FILE_SECRET).unwrap();
    let first = query_of(&requests[0]);
    assert_eq!(first["RoleArn"], "acs:ram::1:role/mid");
    assert_eq!(first["RoleSessionName"], "credentials-python-1700000000");
    assert_eq!(first["DurationSeconds"], "3600");
    // The top role with the middle role's temporary credentials, their token included.
    idtok_testkit::verify_acs3(&requests[1], "STS.mid-1", "STS.mid-1-secret").unwrap();
    assert_eq!(
        header(&requests[1], "x-acs-security-token"),
        Some("STS.mid-1-token")
    );
    let second = query_of(&requests[1]);
    assert_eq!(second["RoleArn"], "acs:ram::1:role/top");
    assert_eq!(second["RoleSessionName"], "top-session");
    assert_eq!(second["DurationSeconds"], "1800");
}

#[tokio::test]
async fn credentials_ini_ram_role_arn_and_its_sts_failure() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    credentials_ini(&home, &format!(
        "[default]\ntype = ram_role_arn\naccess_key_id = LTAI-ini\naccess_key_secret = {FILE_SECRET}\n\
         role_arn = acs:ram::1:role/ini\nrole_session_name = from-ini\n\
         [denied]\ntype = ram_role_arn\naccess_key_id = LTAI-ini\naccess_key_secret = {FILE_SECRET}\n\
         role_arn = acs:ram::1:role/denied\n\
         [short]\ntype = ram_role_arn\naccess_key_id = LTAI-ini\naccess_key_secret = {FILE_SECRET}\n"
    ));
    let sourced = provided(chain(&home, &[NO_ECS], &clock).sts_endpoint(endpoint(&sts))).await;
    assert_eq!(sourced.source, "profile/ram_role_arn/static_ak");
    let request = &sts.received_requests().await.unwrap()[0];
    idtok_testkit::verify_acs3(request, "LTAI-ini", FILE_SECRET).unwrap();
    assert_eq!(query_of(request)["RoleSessionName"], "from-ini");

    // STS refuses: the error says which role, the operation, the status, the code and the
    // request id.
    let error = failure(
        chain(&home, &[NO_ECS], &clock)
            .profile("denied")
            .sts_endpoint(endpoint(&sts)),
    )
    .await;
    assert!(
        error.contains("  profile: cannot assume acs:ram::1:role/denied: AssumeRole failed: HTTP 403: NoPermission: You are not authorized to do this action. (request id R-denied)"),
        "{error}"
    );
    assert!(!error.contains(FILE_SECRET), "{error}");
    // No role at all: the library's message, naming the variable it would also read.
    let error = failure(chain(&home, &[NO_ECS], &clock).profile("short")).await;
    assert!(
        error.contains("section [short]: role_arn or the environment variable ALIBABA_CLOUD_ROLE_ARN must be set"),
        "{error}"
    );
}

#[tokio::test]
async fn ram_role_arn_provider_over_credentials_of_your_own() {
    use idtok_client::credentials::alibaba::RamRoleArnProvider;
    use idtok_runtime::credentials::StaticCredentials;
    let clock = start_clock();
    let sts = sts_server(&clock).await;
    let own = || StaticCredentials(AlibabaCredentials::new("LTAI-own", FILE_SECRET));
    let provider = RamRoleArnProvider::builder(own(), "acs:ram::1:role/own")
        .environment(Environment::from_variables([(
            "ALIBABA_CLOUD_ROLE_SESSION_NAME",
            "from-env",
        )]))
        .clock(clock.clone())
        .sts_endpoint(endpoint(&sts))
        .policy(r#"{"Version":"1","Statement":[]}"#)
        .build()
        .unwrap();
    let sourced = provider.credentials().await.unwrap();
    assert_eq!(sourced.source, "ram_role_arn/custom");
    assert_eq!(sourced.credentials.access_key_id, "STS.own-1");
    let request = &sts.received_requests().await.unwrap()[0];
    idtok_testkit::verify_acs3(request, "LTAI-own", FILE_SECRET).unwrap();
    let query = query_of(request);
    assert_eq!(query["RoleSessionName"], "from-env");
    assert_eq!(query["Policy"], r#"{"Version":"1","Statement":[]}"#);
    // Cached: a second call asks STS nothing.
    let again: AlibabaCredentials = ProvideCredentials::provide(&provider).await.unwrap();
    assert_eq!(again.access_key_id, "STS.own-1");
    assert_eq!(sts.received_requests().await.unwrap().len(), 1);

    let named = RamRoleArnProvider::builder(own(), "acs:ram::1:role/own")
        .source_name("vault")
        .environment(Environment::from_variables([("A", "b")]))
        .sts_endpoint(endpoint(&sts))
        .build()
        .unwrap();
    assert_eq!(
        named.credentials().await.unwrap().source,
        "ram_role_arn/vault"
    );
    let short = RamRoleArnProvider::builder(own(), "acs:ram::1:role/own")
        .duration(Duration::from_secs(899))
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        short.contains("a session duration of 899 s: it must be at least 900 s"),
        "{short}"
    );
}

// ---------------------------------------------------------------------------------------------
// The credentials cache: assumed roles kept between processes.

/// How many AssumeRole* calls `sts` answered.
async fn assumed(sts: &MockServer) -> usize {
    sts.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn the_cache_keeps_an_assumed_role_between_chains_until_it_is_due_for_renewal() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    let cache = home.path().join("cache");
    config_json(
        &home,
        serde_json::json!({
            "current": "role",
            "profiles": [{
                "name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-base",
                "access_key_secret": FILE_SECRET, "ram_role_arn": "acs:ram::1:role/first"
            }]
        }),
    );
    // Each chain is a new process: nothing in memory is shared, only the directory.
    let process = || {
        chain(&home, &[NO_ECS], &clock)
            .sts_endpoint(endpoint(&sts))
            .credentials_cache(&cache)
    };
    let first = provided(process()).await;
    assert_eq!(first.credentials.access_key_id, "STS.first-1");
    assert_eq!(first.source, "cli_profile/ram_role_arn/static_ak");
    // The session name is generated at each start (credentials-python-<time>): the cache does
    // not depend on it.
    clock.advance(Duration::from_secs(60));
    let second = provided(process()).await;
    assert_eq!(second.credentials.access_key_id, "STS.first-1");
    assert_eq!(second.source, "cli_profile/ram_role_arn/static_ak");
    assert_eq!(
        second
            .credentials
            .security_token
            .as_ref()
            .unwrap()
            .expose_secret(),
        "STS.first-1-token"
    );
    assert_eq!(assumed(&sts).await, 1);
    // An hour's credentials are renewed 15 minutes before they expire, in memory as on disk.
    clock.advance(Duration::from_secs(3600 - 15 * 60 - 60 - 1));
    assert_eq!(
        provided(process()).await.credentials.access_key_id,
        "STS.first-1"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        provided(process()).await.credentials.access_key_id,
        "STS.first-2"
    );
    assert_eq!(
        provided(process()).await.credentials.access_key_id,
        "STS.first-2"
    );
    assert_eq!(assumed(&sts).await, 2);
    // Without the cache, every process assumes the role.
    let uncached = chain(&home, &[NO_ECS], &clock).sts_endpoint(endpoint(&sts));
    assert_eq!(
        provided(uncached).await.credentials.access_key_id,
        "STS.first-3"
    );
    // No secret in a file name.
    for entry in std::fs::read_dir(&cache).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.len() == 64 + ".json".len() && name.ends_with(".json"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn rrsa_credentials_are_cached_by_role_provider_and_token_file() {
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    let cache = home.path().join("cache");
    let token = write(&home, "token", "sentinel-oidc-jwt");
    let other_token = write(&home, "other-token", "sentinel-oidc-jwt");
    let process = |file: &PathBuf| {
        let mut variables: Vec<(&str, String)> = OIDC_VARIABLES
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        variables.push(("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.display().to_string()));
        variables.push((NO_ECS.0, NO_ECS.1.to_owned()));
        DefaultChain::builder()
            .environment(Environment::from_variables(variables))
            .home_dir(home.path())
            .clock(clock.clone())
            .sts_endpoint(endpoint(&sts))
            .credentials_cache(&cache)
    };
    assert_eq!(
        provided(process(&token)).await.credentials.access_key_id,
        "STS.rrsa-1"
    );
    let again = provided(process(&token)).await;
    assert_eq!(again.credentials.access_key_id, "STS.rrsa-1");
    assert_eq!(again.source, "oidc_role_arn");
    assert_eq!(assumed(&sts).await, 1);
    // Another token file is another identity.
    assert_eq!(
        provided(process(&other_token))
            .await
            .credentials
            .access_key_id,
        "STS.rrsa-2"
    );
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 2);
}

#[cfg(unix)]
#[tokio::test(flavor = "current_thread")]
async fn a_cache_that_cannot_be_written_or_read_is_a_warning_never_a_failure() {
    use std::os::unix::fs::PermissionsExt;
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.subscriber());
    let clock = start_clock();
    let home = TempHome::new();
    let sts = sts_server(&clock).await;
    config_json(
        &home,
        serde_json::json!({
            "current": "role",
            "profiles": [{
                "name": "role", "mode": "RamRoleArn", "access_key_id": "LTAI-base",
                "access_key_secret": FILE_SECRET, "ram_role_arn": "acs:ram::1:role/first",
                "ram_session_name": "s"
            }]
        }),
    );
    // A file where the directory should be: nothing can be written under it.
    let blocked = write(&home, "blocked", "");
    let process = |cache: PathBuf| {
        chain(&home, &[NO_ECS], &clock)
            .sts_endpoint(endpoint(&sts))
            .credentials_cache(cache)
    };
    let sourced = provided(process(blocked.join("cache"))).await;
    assert_eq!(sourced.credentials.access_key_id, "STS.first-1");
    let log = captured.text();
    assert!(
        log.contains("WARN") && log.contains("cannot write the credentials cache file"),
        "{log}"
    );

    // A file others may read is said so, and still used; one that is not JSON is ignored.
    let cache = home.path().join("cache");
    provided(process(cache.clone())).await;
    let file = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        provided(process(cache.clone()))
            .await
            .credentials
            .access_key_id,
        "STS.first-2"
    );
    assert!(
        captured.text().contains("may be read by other users"),
        "{}",
        captured.text()
    );
    std::fs::write(&file, "not json").unwrap();
    assert_eq!(
        provided(process(cache.clone()))
            .await
            .credentials
            .access_key_id,
        "STS.first-3"
    );
    let log = captured.text();
    assert!(log.contains("is not one idtok wrote (not JSON"), "{log}");
    for secret in [FILE_SECRET, "STS.first-1-secret", "STS.first-1-token"] {
        assert!(!log.contains(secret), "{log}");
    }
}

// ---------------------------------------------------------------------------------------------
// The aliyun CLI's CloudSSO profiles.

fn cloud_sso_profile(url: &str, token_expire: u64) -> serde_json::Value {
    serde_json::json!({
        "current": "sso",
        "profiles": [{
            "name": "sso", "mode": "CloudSSO", "cloud_sso_sign_in_url": url,
            "cloud_sso_account_id": "1968132000120000",
            "cloud_sso_access_config": "ac-1",
            "access_token": "sentinel-sso-access-token",
            "cloud_sso_access_token_expire": token_expire,
        }]
    })
}

#[tokio::test]
async fn cloud_sso_answers_that_are_not_credentials_are_errors_that_name_the_command() {
    let clock = start_clock();
    let home = TempHome::new();
    let portal = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "ErrorCode": "InvalidAccessToken", "ErrorMessage": "The access token is invalid.",
        })))
        .up_to_n_times(1)
        .mount(&portal)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "RequestId": "R", "CloudCredential": {"AccessKeyId": "STS.sso", "AccessKeySecret": "sentinel-sso-sts-secret"},
        })))
        .mount(&portal)
        .await;
    config_json(
        &home,
        cloud_sso_profile(&format!("{}/d-1/login", portal.uri()), T0 + 3600),
    );
    let error = failure(chain(&home, &[NO_ECS], &clock)).await;
    assert!(
        error.contains(&format!(
            "cannot get credentials from CloudSSO at {}/cloud-credentials: HTTP 401: InvalidAccessToken: The access token is invalid. (sign in again with `aliyun configure --profile sso`)",
            portal.uri()
        )),
        "{error}"
    );
    let error = failure(chain(&home, &[NO_ECS], &clock)).await;
    assert!(error.contains("the answer has no SecurityToken"), "{error}");
    for secret in ["sentinel-sso-access-token", "sentinel-sso-sts-secret"] {
        assert!(!error.contains(secret), "{error}");
    }

    // The sign-in URL must be HTTPS, or plain HTTP to loopback.
    config_json(
        &home,
        cloud_sso_profile("http://signin.example.com/d-1/login", T0 + 3600),
    );
    let error = failure(chain(&home, &[NO_ECS], &clock)).await;
    assert!(
        error.contains("profile 'sso': cloud_sso_sign_in_url: ") && error.contains("plain http://"),
        "{error}"
    );

    // An access token that expires while the process runs: said at the next renewal.
    let working = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "CloudCredential": {"AccessKeyId": "STS.sso", "AccessKeySecret": "s", "SecurityToken": "t",
                                "Expiration": timestamp(T0 + 3600)},
        })))
        .mount(&working)
        .await;
    config_json(
        &home,
        cloud_sso_profile(&format!("{}/d-1/login", working.uri()), T0 + 1800),
    );
    let chain = chain(&home, &[NO_ECS], &clock).build().unwrap();
    assert_eq!(
        chain.credentials().await.unwrap().source,
        "cli_profile/cloud_sso"
    );
    let shown = format!("{chain:?}");
    assert!(
        shown.contains("CloudSso") && !shown.contains("sentinel-sso-access-token"),
        "{shown}"
    );
    clock.advance(Duration::from_secs(3600));
    let error = chain.credentials().await.unwrap_err().to_string();
    assert!(
        error.ends_with(
            "the CloudSSO access token has expired: sign in again with `aliyun configure --profile sso`"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_profile_named_in_code_is_read_alone() {
    let clock = start_clock();
    let home = TempHome::new();
    let (metadata, _) = metadata_service(&clock).await;
    config_json(
        &home,
        serde_json::json!({"current": "p", "profiles": [ak_profile("p", "LTAI-cli", FILE_SECRET)]}),
    );
    credentials_ini(
        &home,
        "[ini]\ntype = access_key\naccess_key_id = LTAI-ini\naccess_key_secret = s\n",
    );
    let env = [
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI-env"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET),
    ];
    let named = |name: &str| {
        chain(&home, &env, &clock)
            .ecs_metadata_url(metadata.uri())
            .profile(name)
    };
    // The environment's key is there, yet the profile asked for gives the credentials.
    assert_eq!(provided(named("p")).await.source, "cli_profile/static_ak");
    let ini = provided(named("ini")).await;
    assert_eq!(ini.source, "profile/static_ak");
    assert_eq!(ini.credentials.access_key_id, "LTAI-ini");
    // Without a name, the chain as the library has it: the environment first.
    let unnamed = chain(&home, &env, &clock).ecs_metadata_url(metadata.uri());
    assert_eq!(provided(unnamed).await.source, "env");

    // A name in neither file: the error says so for both, and nothing else stands in for it.
    let error = failure(named("nope")).await;
    let config = home.path().join(".aliyun/config.json");
    let ini_file = home.path().join(".alibabacloud/credentials.ini");
    assert_eq!(
        error,
        format!(
            "no Alibaba Cloud credentials from profile 'nope' (asked by name: only the aliyun CLI's profile and the credentials file's section of that name are read):\n  cli_profile: {}: no profile named 'nope'\n  profile: {}: no [nope] section",
            config.display(),
            ini_file.display()
        )
    );
    assert!(metadata.received_requests().await.unwrap().is_empty());
}
