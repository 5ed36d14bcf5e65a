//! The developer API's access tokens from client credentials (ClientCredentialsProvider): what
//! goes to the token endpoint, caching, renewal before expiry, one renewal for concurrent callers,
//! and what happens when the endpoint fails.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idtok_client::eiam_developerapi::{Client, ClientContext, ClientCredentialsProvider};
use idtok_runtime::clock::Clock;
use idtok_runtime::credentials::IdaasClientCredentials;
use idtok_runtime::endpoint::Endpoint;
use idtok_testkit::header;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_SECRET: &str = "sentinel-client-secret-9f2c";
const TOKEN_PATH: &str =
    "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/app_mkv7rgt4d7i4u7zqtzev2mxxxx/oauth2/token";

/// A clock the test moves.
#[derive(Debug, Clone)]
struct TestClock(Arc<Mutex<SystemTime>>);

impl TestClock {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

fn grant() -> IdaasClientCredentials {
    IdaasClientCredentials::new(
        "idaas_ue2jvisn35ea5lmthk267xxxxx",
        "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
        "app_mkv7rgt4d7i4u7zqtzev2mxxxx",
        CLIENT_SECRET,
    )
    .with_scope("urn:cloud:idaas:pam|.all")
}

/// The token endpoint's answer: access token `token`, valid for `expires_in` seconds.
fn token_answer(token: &str, expires_in: i64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "expires_at": 1_700_000_000 + expires_in,
    }))
}

/// Answers `token-1`, `token-2`, ... in turn, each valid for `expires_in` seconds, after `delay`.
async fn token_endpoint(expires_in: i64, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    let issued = Arc::new(Mutex::new(0));
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(move |_: &Request| {
            let mut issued = issued.lock().unwrap();
            *issued += 1;
            token_answer(&format!("token-{issued}"), expires_in).set_delay(delay)
        })
        .mount(&server)
        .await;
    server
}

fn provider(server: &MockServer, clock: &TestClock) -> ClientCredentialsProvider {
    ClientCredentialsProvider::new(&Endpoint::url(&server.uri()).unwrap(), grant())
        .unwrap()
        .with_clock(clock.clone())
}

async fn token_of(provider: &ClientCredentialsProvider) -> String {
    let token = provider.access_token().await.unwrap();
    token.token.expose_secret().to_owned()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn obtains_a_token_with_the_client_credentials_grant_in_a_form_body_and_no_authorization() {
    let server = token_endpoint(3600, Duration::ZERO).await;
    let clock = TestClock::new();
    let provider = provider(&server, &clock);
    let token = provider.access_token().await.unwrap();
    assert_eq!(token.token.expose_secret(), "token-1");
    assert_eq!(
        token.expires_at,
        Some(clock.now() + Duration::from_secs(3600))
    );
    let sent = &requests(&server).await[0];
    assert_eq!(sent.method.as_str(), "POST");
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&sent.body)
        .into_owned()
        .collect();
    assert_eq!(
        form,
        [
            ("client_id", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
            ("scope", "urn:cloud:idaas:pam|.all"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_eq!(
        header(sent, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // The client secret never travels in the URL.
    assert_eq!(sent.url.query(), None);
    assert_eq!(header(sent, "authorization"), None);
}

#[tokio::test]
async fn the_token_is_cached_and_renewed_shortly_before_it_expires() {
    let server = token_endpoint(3600, Duration::ZERO).await;
    let clock = TestClock::new();
    let provider = provider(&server, &clock);
    assert_eq!(token_of(&provider).await, "token-1");
    // Renewal is due 5 minutes (the default margin) before the hour is up.
    clock.advance(Duration::from_secs(3600 - 300 - 1));
    assert_eq!(token_of(&provider).await, "token-1");
    assert_eq!(requests(&server).await.len(), 1);
    clock.advance(Duration::from_secs(2));
    assert_eq!(token_of(&provider).await, "token-2");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_short_lived_token_is_renewed_halfway_through_its_life() {
    let server = token_endpoint(60, Duration::ZERO).await;
    let clock = TestClock::new();
    let provider = provider(&server, &clock);
    assert_eq!(token_of(&provider).await, "token-1");
    clock.advance(Duration::from_secs(29));
    assert_eq!(token_of(&provider).await, "token-1");
    clock.advance(Duration::from_secs(2));
    assert_eq!(token_of(&provider).await, "token-2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_renewal() {
    let server = token_endpoint(3600, Duration::from_millis(200)).await;
    let clock = TestClock::new();
    let provider = Arc::new(provider(&server, &clock));
    let callers: Vec<_> = (0..32)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { token_of(&provider).await })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.unwrap(), "token-1");
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_failed_renewal_keeps_the_valid_token_and_fails_once_it_has_expired() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(token_answer("token-1", 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "Code": "InvalidClient",
            "Message": "The client credentials are invalid.",
            "RequestId": "6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0Fxxxx",
        })))
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let provider = provider(&server, &clock);
    assert_eq!(token_of(&provider).await, "token-1");
    // Due for renewal, which fails: the token still works for 4 more minutes, so it is kept.
    clock.advance(Duration::from_secs(3600 - 240));
    assert_eq!(token_of(&provider).await, "token-1");
    clock.advance(Duration::from_secs(240));
    let error = provider.access_token().await.unwrap_err().to_string();
    for part in [
        "cannot obtain an IDaaS access token",
        "GenerateToken failed: HTTP 400",
        "InvalidClient",
        "6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0Fxxxx",
    ] {
        assert!(error.contains(part), "{part:?} not in {error:?}");
    }
    assert!(!error.contains(CLIENT_SECRET), "{error}");
}

#[tokio::test]
async fn an_answer_without_an_access_token_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"token_type": "Bearer", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let error = provider(&server, &TestClock::new())
        .access_token()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("without an access_token"),
        "{error}"
    );
}

#[tokio::test]
async fn a_client_authorizes_its_calls_with_the_obtained_token() {
    let server = token_endpoint(3600, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"entities": []})))
        .mount(&server)
        .await;
    let clock = TestClock::new();
    let endpoint = Endpoint::url(&server.uri()).unwrap();
    let client =
        Client::from_endpoint(&endpoint, ClientContext::new(provider(&server, &clock))).unwrap();
    for _ in 0..2 {
        client
            .list_authentication_tokens()
            .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
            .credential_provider_identifier("test_example_identifier")
            .send()
            .await
            .unwrap();
    }
    let sent = requests(&server).await;
    let paths: Vec<&str> = sent.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        [
            TOKEN_PATH,
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens",
            "/v2/idaas_ue2jvisn35ea5lmthk267xxxxx/authenticationTokens",
        ]
    );
    assert_eq!(header(&sent[1], "authorization"), Some("Bearer token-1"));
    assert_eq!(header(&sent[2], "authorization"), Some("Bearer token-1"));
}

#[tokio::test]
async fn debug_never_shows_the_client_secret_or_the_token() {
    let server = token_endpoint(3600, Duration::ZERO).await;
    let provider = provider(&server, &TestClock::new());
    token_of(&provider).await;
    let shown = format!("{provider:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(!shown.contains("token-1"), "{shown}");
    assert!(shown.contains("app_mkv7rgt4d7i4u7zqtzev2mxxxx"), "{shown}");
}
