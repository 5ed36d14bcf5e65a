//! ListAuthenticationTokens as a stream (`.stream()` on its builder): it follows `nextToken` to
//! the last page, asks for each page only when the previous one is used up, and ends at the first
//! error or at a service that would have it loop.

use futures::{StreamExt, TryStreamExt};
use idtok_client::eiam_developerapi::{Client, ClientContext};
use idtok_client::CallErrorKind;
use idtok_runtime::credentials::{AccessToken, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use wiremock::matchers::{query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let context = ClientContext::new(StaticCredentials(AccessToken::new("at-paging")));
    Client::from_endpoint(&Endpoint::url(&server.uri()).unwrap(), context).unwrap()
}

/// A page of entities with these ids, and `next` as its nextToken.
fn page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let entities: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"authenticationTokenId": id, "revoked": false}))
        .collect();
    let mut body = serde_json::json!({"entities": entities, "maxResults": 2, "totalCount": 5});
    if let Some(next) = next {
        body["nextToken"] = next.into();
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Three pages: a1 a2 | b1 b2 | c1, chained by the nextTokens p2 and p3.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["a1", "a2"], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(page(&["b1", "b2"], Some("p3")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p3"))
        .respond_with(page(&["c1"], None))
        .mount(&server)
        .await;
    server
}

fn listing(
    client: &Client,
) -> idtok_client::eiam_developerapi::builder::ListAuthenticationTokens<'_> {
    client
        .list_authentication_tokens()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .consumer_id("app_ngtkgrrxxxxktg5eao6z4xxxxx")
        .credential_provider_identifier("test_example_identifier")
        .max_results(2)
}

fn ids(tokens: &[idtok_eiam_developerapi_models::AuthenticationToken]) -> Vec<&str> {
    tokens
        .iter()
        .map(|t| t.authentication_token_id.as_deref().unwrap())
        .collect()
}

#[tokio::test]
async fn every_page_is_followed_in_order_with_the_page_size_on_each_request() {
    let server = three_pages().await;
    let client = client(&server);
    let tokens: Vec<_> = listing(&client).stream().try_collect().await.unwrap();
    assert_eq!(ids(&tokens), ["a1", "a2", "b1", "b2", "c1"]);
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(Option<String>, Option<String>)> = requests
        .iter()
        .map(|r| {
            let value = |name: &str| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            };
            (value("nextToken"), value("maxResults"))
        })
        .collect();
    let two = Some("2".to_owned());
    assert_eq!(
        sent,
        [
            (None, two.clone()),
            (Some("p2".to_owned()), two.clone()),
            (Some("p3".to_owned()), two)
        ]
    );
}

#[tokio::test]
async fn the_next_page_is_asked_for_only_when_the_current_one_is_used_up() {
    let server = three_pages().await;
    let client = client(&server);
    let mut tokens = listing(&client).stream();
    let requests = || async { server.received_requests().await.unwrap().len() };
    tokens.next().await.unwrap().unwrap();
    tokens.next().await.unwrap().unwrap();
    assert_eq!(requests().await, 1);
    tokens.next().await.unwrap().unwrap();
    assert_eq!(requests().await, 2);
}

#[tokio::test]
async fn a_next_token_on_the_builder_is_where_the_stream_starts() {
    let server = three_pages().await;
    let client = client(&server);
    let tokens: Vec<_> = listing(&client)
        .next_token("p3")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(&tokens), ["c1"]);
}

#[tokio::test]
async fn an_empty_next_token_is_the_last_page() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["a1"], Some("")))
        .mount(&server)
        .await;
    let client = client(&server);
    let tokens: Vec<_> = listing(&client).stream().try_collect().await.unwrap();
    assert_eq!(ids(&tokens), ["a1"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_tokens_already_listed() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["a1", "a2"], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "code": "Forbidden.AccessTokenScope",
            "message": "The access token does not have the required scope.",
            "requestId": "6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0Fxxxx",
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<_> = listing(&client).stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[0].is_ok() && items[1].is_ok());
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.operation, "ListAuthenticationTokens");
    assert_eq!(error.status, Some(403));
    assert_eq!(error.code.as_deref(), Some("Forbidden.AccessTokenScope"));
    assert_eq!(
        error.request_id.as_deref(),
        Some("6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0Fxxxx")
    );
}

#[tokio::test]
async fn a_service_that_sends_back_the_same_next_token_is_not_paged_forever() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["a1"], Some("again")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "again"))
        .respond_with(page(&["a1"], Some("again")))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<_> = listing(&client).stream().collect().await;
    assert_eq!(items.len(), 3, "{items:?}");
    let error = items[2].as_ref().unwrap_err();
    assert_eq!(error.kind, CallErrorKind::Response);
    assert!(error.to_string().contains("nextToken"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_service_that_cycles_back_to_an_earlier_next_token_is_not_paged_forever() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("nextToken"))
        .respond_with(page(&["a1"], Some("p2")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p2"))
        .respond_with(page(&["b1"], Some("p3")))
        .mount(&server)
        .await;
    Mock::given(query_param("nextToken", "p3"))
        .respond_with(page(&["c1"], Some("p2")))
        .mount(&server)
        .await;
    let client = client(&server);
    let items: Vec<_> = listing(&client).stream().collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert_eq!(items[3].as_ref().unwrap_err().kind, CallErrorKind::Response);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}
