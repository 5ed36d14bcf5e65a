//! The generated EIAM client, through its hook, sends what the service expects: `POST /` with the
//! parameters in the query string and the action in `x-acs-action`, not the document's pseudo-path.

use idtok_client::eiam::{Client, ClientContext};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers one request with `body` and returns the request's head as received.
async fn serve_once(listener: TcpListener, body: &'static str) -> String {
    let (mut socket, _) = listener.accept().await.unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while !received.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = socket.read(&mut buffer).await.unwrap();
        assert!(n > 0, "connection closed before the request ended");
        received.extend_from_slice(&buffer[..n]);
    }
    let response = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
    socket.write_all(response.as_bytes()).await.unwrap();
    String::from_utf8(received).unwrap()
}

#[tokio::test]
async fn list_application_tokens_goes_out_as_post_slash_with_the_action_header() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(serve_once(
        listener,
        r#"{"RequestId":"r-1","ApplicationTokens":[{"ApplicationTokenId":"token_1","ApplicationToken":"SATF-secret"}]}"#,
    ));

    let client = Client::new(&base, ClientContext::default());
    let response = client
        .list_application_tokens()
        .instance_id("idaas_ue2 jvisn35ea5lmthk267xxxxx")
        .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
        .application_token_type("bearer_token")
        .send()
        .await
        .unwrap();
    let head = server.await.unwrap();

    let request_line = head.lines().next().unwrap();
    let target = request_line
        .strip_prefix("POST ")
        .and_then(|r| r.strip_suffix(" HTTP/1.1"))
        .unwrap_or_else(|| panic!("{request_line}"));
    let (path, query) = target.split_once('?').unwrap();
    assert_eq!(path, "/");
    let mut pairs: Vec<&str> = query.split('&').collect();
    pairs.sort();
    // Form-encoded on the wire (space as `+`), as the official SDK sends it.
    assert_eq!(
        pairs,
        [
            "ApplicationId=app_mkv7rgt4d7i4u7zqtzev2mxxxx",
            "ApplicationTokenType=bearer_token",
            "InstanceId=idaas_ue2+jvisn35ea5lmthk267xxxxx"
        ]
    );
    let headers: Vec<String> = head.lines().skip(1).map(str::to_ascii_lowercase).collect();
    assert!(
        headers.contains(&"x-acs-action: listapplicationtokens".to_owned()),
        "{head}"
    );
    assert!(
        headers.contains(&"x-acs-version: 2021-12-01".to_owned()),
        "{head}"
    );
    assert!(
        !headers.iter().any(|h| h.starts_with("api-version:")),
        "the generator's api-version header leaked: {head}"
    );

    assert_eq!(
        response.application_tokens[0]
            .application_token_id
            .as_deref(),
        Some("token_1")
    );
    let token = response.application_tokens[0]
        .application_token
        .as_ref()
        .unwrap();
    assert_eq!(token.expose_secret(), "SATF-secret");
    assert!(!format!("{:?}", response.into_inner()).contains("SATF-secret"));
}
