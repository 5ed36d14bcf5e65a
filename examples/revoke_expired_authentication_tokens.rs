//! Lists every authentication token of a consumer (all pages, one at a time) and revokes the
//! expired ones that are not revoked yet.
//!
//! The service revokes a token by its value, which listings never return: an application keeps
//! the tokens it issued (GenerateJwtAuthenticationToken's `jwtValue`). Here they come from a JSON
//! file mapping `authenticationTokenId` to the token; expired tokens not in it are reported.
//!
//! ```text
//! export IDAAS_ACCESS_TOKEN=...        # or IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET, IDAAS_APPLICATION_ID, IDAAS_INSTANCE_ID
//! cargo run -p idtok-examples --example revoke_expired_authentication_tokens -- \
//!     cn-hangzhou idaas_ue2jvisn35ea5lmthk267xxxxx test_jwt_subject test_example_identifier issued.json
//! ```
//!
//! The tests at the bottom run the same function against idtok-mock's typed mocks.

use std::collections::HashMap;
use std::time::{SystemTime, UNIX_EPOCH};

use futures::TryStreamExt;
use idtok_client::eiam_developerapi::{Client, ClientContext, ClientCredentialsProvider};
use idtok_client::{call, CallError};
use idtok_eiam_developerapi_models::AuthenticationTokenActionRequest;
use idtok_runtime::credentials::{Environment, StaticCredentials};
use idtok_runtime::endpoint::{Endpoint, Service};

/// What a sweep did.
#[derive(Debug, Default, PartialEq)]
struct Sweep {
    revoked: Vec<String>,
    /// Expired and not revoked, but their values are not at hand.
    unknown: Vec<String>,
}

/// Revokes every expired, unrevoked token of `consumer_id` whose value `issued` holds.
async fn revoke_expired(
    client: &Client,
    instance_id: &str,
    consumer_id: &str,
    credential_provider: &str,
    issued: &HashMap<String, String>,
    now_ms: i64,
) -> Result<Sweep, CallError> {
    let mut tokens = client
        .list_authentication_tokens()
        .instance_id(instance_id)
        .consumer_id(consumer_id)
        .credential_provider_identifier(credential_provider)
        .revoked(false)
        .max_results(100)
        .stream();
    let mut sweep = Sweep::default();
    while let Some(token) = tokens.try_next().await? {
        let expired = token.expiration_time.is_some_and(|t| t <= now_ms);
        let (true, Some(false), Some(id)) = (expired, token.revoked, token.authentication_token_id)
        else {
            continue;
        };
        let Some(value) = issued.get(&id) else {
            sweep.unknown.push(id);
            continue;
        };
        let body = AuthenticationTokenActionRequest {
            token: value.as_str().into(),
            token_type_hint: None,
        };
        call(
            "RevokeAuthenticationToken",
            client
                .revoke_authentication_token()
                .instance_id(instance_id)
                .body(body)
                .send(),
        )
        .await?;
        sweep.revoked.push(id);
    }
    Ok(sweep)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region, instance_id, consumer_id, provider, issued_file] = args.as_slice() else {
        return Err("usage: revoke_expired_authentication_tokens <region> <instance id> <consumer id> <credential provider> <issued.json>".into());
    };
    let endpoint = Endpoint::region(Service::EiamDeveloperApi, region)?;
    let environment = Environment::process();
    let context = match environment.access_token() {
        Ok(token) => ClientContext::new(StaticCredentials(token)),
        Err(_) => {
            let grant = environment.idaas_client_credentials(Some(instance_id))?;
            ClientContext::new(ClientCredentialsProvider::new(&endpoint, grant)?)
        }
    };
    let client = Client::from_endpoint(&endpoint, context)?;
    let issued: HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(issued_file)?)?;
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
    let sweep =
        revoke_expired(&client, instance_id, consumer_id, provider, &issued, now_ms).await?;
    println!("revoked: {:?}", sweep.revoked);
    if !sweep.unknown.is_empty() {
        eprintln!("expired, but not in {issued_file}: {:?}", sweep.unknown);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idtok_mock::eiam_developerapi::MockServerExt as _;
    use idtok_mock::MockServer;
    use idtok_runtime::credentials::AccessToken;
    use serde_json::json;

    const INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
    const NOW_MS: i64 = 1_772_693_568_000;

    fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    fn token(id: &str, expiration_time: i64) -> serde_json::Value {
        json!({"authenticationTokenId": id, "expirationTime": expiration_time, "revoked": false,
               "consumerId": "test_jwt_subject", "authenticationTokenType": "jwt"})
    }

    #[tokio::test]
    async fn revokes_the_expired_tokens_across_pages_and_reports_unknown_ones() {
        let server = MockServer::start_async().await;
        let listing =
            |when: idtok_mock::eiam_developerapi::operations::ListAuthenticationTokensWhen| {
                when.instance_id(INSTANCE)
                    .consumer_id("test_jwt_subject")
                    .credential_provider_identifier("test_example_identifier")
                    .revoked(false)
                    .max_results(100)
            };
        let first = server.list_authentication_tokens(|when, then| {
            listing(when).next_token(None);
            then.ok(&typed(json!({
                "entities": [token("atntkn_expired_1", NOW_MS - 1), token("atntkn_valid", NOW_MS + 60_000)],
                "nextToken": "NT2"
            })));
        });
        let second = server.list_authentication_tokens(|when, then| {
            listing(when).next_token("NT2");
            then.ok(&typed(json!({
                "entities": [token("atntkn_expired_2", NOW_MS - 86_400_000), token("atntkn_lost", NOW_MS - 5)]
            })));
        });
        let mut revokes = Vec::new();
        for value in ["eyJ-expired-1", "eyJ-expired-2", "eyJ-valid"] {
            let body: AuthenticationTokenActionRequest = typed(json!({"token": value}));
            revokes.push(server.revoke_authentication_token(|when, then| {
                when.instance_id(INSTANCE).body(&body);
                then.no_content();
            }));
        }

        let client = Client::from_endpoint(
            &Endpoint::url(&server.base_url()).unwrap(),
            ClientContext::new(StaticCredentials(AccessToken::new("at-example"))),
        )
        .unwrap();
        let issued: HashMap<String, String> = [
            ("atntkn_expired_1", "eyJ-expired-1"),
            ("atntkn_expired_2", "eyJ-expired-2"),
            ("atntkn_valid", "eyJ-valid"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let sweep = revoke_expired(
            &client,
            INSTANCE,
            "test_jwt_subject",
            "test_example_identifier",
            &issued,
            NOW_MS,
        )
        .await
        .unwrap();

        assert_eq!(sweep.revoked, ["atntkn_expired_1", "atntkn_expired_2"]);
        assert_eq!(sweep.unknown, ["atntkn_lost"]);
        first.assert_async().await;
        second.assert_async().await;
        let revoke_calls: Vec<usize> = revokes.iter().map(|m| m.calls()).collect();
        assert_eq!(revoke_calls, [1, 1, 0]);
    }
}
