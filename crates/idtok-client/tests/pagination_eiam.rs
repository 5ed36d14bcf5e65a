//! The generated `.stream()` of EIAM's paged lists (`x-paginated` in the document), on the wire:
//! by token (`NextToken`, `MaxResults`, with an array parameter flattened on every page) and by
//! page number (`PageNumber`, `PageSize`, up to the reported total or an empty page).

use futures::TryStreamExt;
use idtok_client::eiam::{Client, ClientContext};
use idtok_runtime::credentials::{AlibabaCredentials, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use serde_json::json;
use wiremock::matchers::{header, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let credentials = AlibabaCredentials::new("LTAI5tPagingKeyId", "paging-access-key-secret");
    let context = ClientContext::new(StaticCredentials(credentials));
    Client::from_endpoint(&Endpoint::url(&server.uri()).unwrap(), context).unwrap()
}

fn answer(body: serde_json::Value) -> ResponseTemplate {
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

#[tokio::test]
async fn list_credentials_follows_next_token_and_sends_its_filter_on_every_page() {
    let server = MockServer::start().await;
    let credential = |id: &str| json!({"CredentialId": id, "Status": "enabled"});
    for (token, ids, next) in [
        (None, vec!["cred_1", "cred_2"], Some("NT2")),
        (Some("NT2"), vec!["cred_3"], None),
    ] {
        let mut body = json!({"RequestId": "R", "Credentials": ids.iter().map(|i| credential(i)).collect::<Vec<_>>(), "TotalCount": 3});
        if let Some(next) = next {
            body["NextToken"] = next.into();
        }
        let request = Mock::given(header("x-acs-action", "ListCredentials"))
            .and(query_param("Filter.1.Name", "CredentialIdentifier"))
            .and(query_param("Filter.1.Value.1", "my key"))
            .and(query_param("Filter.1.Value.2", "a+b/c"));
        match token {
            None => request.and(query_param_is_missing("NextToken")),
            Some(token) => request.and(query_param("NextToken", token)),
        }
        .respond_with(answer(body))
        .mount(&server)
        .await;
    }
    let client = client(&server);
    let filter: idtok_eiam_models::ListCredentialsFilter = serde_json::from_value(
        json!({"Name": "CredentialIdentifier", "Value": ["my key", "a+b/c"]}),
    )
    .unwrap();
    let credentials: Vec<_> = client
        .list_credentials()
        .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
        .filter(vec![filter])
        .max_results(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = credentials
        .iter()
        .map(|c| c.credential_id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["cred_1", "cred_2", "cred_3"]);
    assert_eq!(
        sent(&server, "NextToken").await,
        [None, Some("NT2".to_owned())]
    );
    assert_eq!(
        sent(&server, "MaxResults").await,
        [Some("2".to_owned()), Some("2".to_owned())]
    );
}

#[tokio::test]
async fn list_instances_pages_by_number_up_to_the_reported_total() {
    let server = MockServer::start().await;
    let instance = |id: &str| json!({"InstanceId": id, "Status": "running"});
    Mock::given(query_param("PageNumber", "1"))
        .respond_with(answer(
            json!({"Instances": [instance("idaas_1"), instance("idaas_2")], "TotalCount": 3}),
        ))
        .mount(&server)
        .await;
    Mock::given(query_param("PageNumber", "2"))
        .respond_with(answer(
            json!({"Instances": [instance("idaas_3")], "TotalCount": 3}),
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    let instances: Vec<_> = client
        .list_instances()
        .page_size(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = instances
        .iter()
        .map(|i| i.instance_id.as_deref().unwrap())
        .collect();
    assert_eq!(ids, ["idaas_1", "idaas_2", "idaas_3"]);
    // The total was reached on page 2: no third request.
    assert_eq!(
        sent(&server, "PageNumber").await,
        [Some("1".to_owned()), Some("2".to_owned())]
    );
}

#[tokio::test]
async fn without_a_total_paging_by_number_stops_at_an_empty_page_and_at_the_first_error() {
    let server = MockServer::start().await;
    let instance = |id: &str| json!({"InstanceId": id});
    Mock::given(query_param("PageNumber", "1"))
        .respond_with(answer(json!({"Instances": [instance("idaas_1")]})))
        .mount(&server)
        .await;
    Mock::given(query_param("PageNumber", "2"))
        .respond_with(answer(json!({"Instances": []})))
        .mount(&server)
        .await;
    let client = client(&server);
    let instances: Vec<_> = client
        .list_instances()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(sent(&server, "PageNumber").await.len(), 2);

    let failing = MockServer::start().await;
    Mock::given(query_param("PageNumber", "1"))
        .respond_with(answer(json!({"Instances": [instance("idaas_1")]})))
        .mount(&failing)
        .await;
    Mock::given(query_param("PageNumber", "2"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"Code": "NoPermission", "Message": "Denied."})),
        )
        .mount(&failing)
        .await;
    let client = self::client(&failing);
    let mut stream = client.list_instances().stream();
    assert!(stream.try_next().await.unwrap().is_some());
    let error = stream.try_next().await.unwrap_err();
    assert_eq!(error.status, Some(403));
    assert_eq!(error.code.as_deref(), Some("NoPermission"));
}
