//! The generated `.stream()` of the identity store's paged lists (`x-paginated` in the document):
//! by `marker`, whose next value the service puts inside `page_info` (`page_info.next_marker`),
//! until a page comes without one: `null`, left out, or no `page_info` at all.

use futures::TryStreamExt;
use idtok_client::identitystore::{Client, ClientContext};
use idtok_runtime::credentials::{HuaweiCredentials, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use serde_json::{json, Value};
use wiremock::matchers::{path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const STORE: &str = "d-1a2b3c4dxxxx";
const USERS: &str = "/v1/identity-stores/d-1a2b3c4dxxxx/users";

fn client(server: &MockServer) -> Client {
    let credentials = HuaweiCredentials::new("QTWAOYTTINDUT2QVKYUC", "paging-sk");
    let context = ClientContext::new(StaticCredentials(credentials));
    Client::from_endpoint(&Endpoint::url(&server.uri()).unwrap(), context).unwrap()
}

/// A page of ListUsers with these user ids, and `page_info` as given (`None`: no page_info).
fn users_page(ids: &[&str], page_info: Option<Value>) -> ResponseTemplate {
    let users: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({
                "user_id": id, "identity_store_id": STORE, "user_name": id, "display_name": id,
                "name": {"family_name": "f", "given_name": "g"},
                "emails": [{"primary": true, "type": "Work", "value": "email@example.com"}],
                "enabled": true, "created_at": 1, "created_by": "c", "updated_at": 1, "updated_by": "u"
            })
        })
        .collect();
    let mut body = json!({ "users": users });
    if let Some(page_info) = page_info {
        body["page_info"] = page_info;
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// The value of query parameter `name` of each request, in order.
async fn sent(server: &MockServer, name: &str) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

async fn user_ids(client: &Client) -> Vec<String> {
    let users: Vec<_> = client
        .list_users()
        .identity_store_id(STORE)
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    users.into_iter().map(|u| u.user_id).collect()
}

const M2: &str = "bWFya2VyLXR3by0wMDAwMDAw";
const M3: &str = "bWFya2VyLXRocmVlLTAwMDAw";

#[tokio::test]
async fn list_users_follows_page_info_next_marker_until_it_is_null() {
    let server = MockServer::start().await;
    Mock::given(path(USERS))
        .and(query_param_is_missing("marker"))
        .respond_with(users_page(
            &["a1", "a2"],
            Some(json!({"next_marker": M2, "current_count": 2})),
        ))
        .mount(&server)
        .await;
    Mock::given(path(USERS))
        .and(query_param("marker", M2))
        .respond_with(users_page(
            &["b1", "b2"],
            Some(json!({"next_marker": M3, "current_count": 2})),
        ))
        .mount(&server)
        .await;
    Mock::given(path(USERS))
        .and(query_param("marker", M3))
        .respond_with(users_page(
            &["c1"],
            Some(json!({"next_marker": null, "current_count": 1})),
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    assert_eq!(user_ids(&client).await, ["a1", "a2", "b1", "b2", "c1"]);
    assert_eq!(
        sent(&server, "marker").await,
        [None, Some(M2.to_owned()), Some(M3.to_owned())]
    );
    let two = Some("2".to_owned());
    assert_eq!(
        sent(&server, "limit").await,
        [two.clone(), two.clone(), two]
    );
}

#[tokio::test]
async fn a_page_without_next_marker_or_without_page_info_is_the_last() {
    for last in [Some(json!({"current_count": 1})), None] {
        let server = MockServer::start().await;
        Mock::given(path(USERS))
            .and(query_param_is_missing("marker"))
            .respond_with(users_page(&["a1"], Some(json!({"next_marker": M2}))))
            .mount(&server)
            .await;
        Mock::given(path(USERS))
            .and(query_param("marker", M2))
            .respond_with(users_page(&["b1"], last.clone()))
            .mount(&server)
            .await;
        let client = client(&server);
        assert_eq!(user_ids(&client).await, ["a1", "b1"], "{last:?}");
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_next_marker_sent_back_again_stops_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(path(USERS))
        .respond_with(users_page(&["a1"], Some(json!({"next_marker": M2}))))
        .mount(&server)
        .await;
    let client = client(&server);
    let result: Result<Vec<_>, _> = client
        .list_users()
        .identity_store_id(STORE)
        .stream()
        .try_collect()
        .await;
    let error = result.unwrap_err().to_string();
    assert!(error.contains("page_info.next_marker"), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
