//! Rotates the SCIM bearer token of a Huawei Cloud Identity Center provisioning tenant: creates a
//! new token (printed once, for the SCIM client), then deletes the tenant's other tokens.
//!
//! ```text
//! export HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=...
//! cargo run -p idtok-examples --example rotate_scim_bearer_token -- \
//!     ap-southeast-1 d-1a2b3c4dxxxx 2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx
//! ```
//!
//! The tests at the bottom run the same function against idtok-mock's typed mocks.

use idtok_client::identitystore::{Client, ClientContext};
use idtok_client::{call, CallError};
use idtok_identitystore_models::CreateBearerTokenResponse;
use idtok_runtime::endpoint::{Endpoint, Service};

/// A new bearer token for the tenant, and the ids of the tokens deleted after it was made.
async fn rotate(
    client: &Client,
    identity_store_id: &str,
    tenant_id: &str,
) -> Result<(CreateBearerTokenResponse, Vec<String>), CallError> {
    let created = call(
        "CreateBearerToken",
        client
            .create_bearer_token()
            .identity_store_id(identity_store_id)
            .tenant_id(tenant_id)
            .send(),
    )
    .await?;
    let Some(new_id) = created.token_id.clone() else {
        return Err(CallError::unusable_answer(
            "CreateBearerToken",
            "the answer has no token_id; nothing was deleted",
        ));
    };
    let listed = call(
        "ListBearerTokens",
        client
            .list_bearer_tokens()
            .identity_store_id(identity_store_id)
            .tenant_id(tenant_id)
            .send(),
    )
    .await?;
    let mut deleted = Vec::new();
    for old in listed.bearer_tokens.unwrap_or_default() {
        // Every listed token has an ID (the document requires it); the new one stays.
        let token_id = old.token_id;
        if token_id == new_id {
            continue;
        }
        call(
            "DeleteBearerToken",
            client
                .delete_bearer_token()
                .identity_store_id(identity_store_id)
                .tenant_id(tenant_id)
                .token_id(token_id.as_str())
                .send(),
        )
        .await?;
        deleted.push(token_id);
    }
    Ok((created, deleted))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region, identity_store_id, tenant_id] = args.as_slice() else {
        return Err(
            "usage: rotate_scim_bearer_token <region> <identity store id> <tenant id>".into(),
        );
    };
    let endpoint = Endpoint::region(Service::IdentityStore, region)?;
    let client = Client::from_endpoint(&endpoint, ClientContext::from_environment())?;
    let (created, deleted) = rotate(&client, identity_store_id, tenant_id).await?;
    let value = created
        .token
        .as_ref()
        .map(|t| t.expose_secret())
        .unwrap_or_default();
    // Shown once: Huawei returns the token only in this answer.
    println!(
        "new SCIM bearer token {}: {value}",
        created.token_id.unwrap_or_default()
    );
    eprintln!("deleted: {deleted:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idtok_mock::identitystore::MockServerExt as _;
    use idtok_mock::MockServer;
    use idtok_runtime::credentials::{HuaweiCredentials, StaticCredentials};
    use serde_json::json;

    const STORE: &str = "d-1a2b3c4dxxxx";
    const TENANT: &str = "2ab1e8c5-0c1f-4e77-9a0d-8c6fxxxx";

    fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[tokio::test]
    async fn creates_a_token_then_deletes_the_others() {
        let server = MockServer::start_async().await;
        let create = server.create_bearer_token(|when, then| {
            when.identity_store_id(STORE).tenant_id(TENANT);
            then.created(&typed(json!({
                "creation_time": 1754277891140u64,
                "expiration_time": 1785813891000u64,
                "token": "eyJraWQiOiJmZUV4U0oxRV***************83yzVQVY",
                "token_id": "new-715ad873"
            })));
        });
        let list = server.list_bearer_tokens(|when, then| {
            when.identity_store_id(STORE).tenant_id(TENANT);
            then.ok(&typed(json!({"bearer_tokens": [
                {"token_id": "old-5bd76fe3", "creation_time": 1754277891140u64, "expiration_time": 1785813891000u64},
                {"token_id": "new-715ad873", "creation_time": 1754278569276u64, "expiration_time": 1785814569000u64}
            ]})));
        });
        let delete_old = server.delete_bearer_token(|when, then| {
            when.identity_store_id(STORE)
                .tenant_id(TENANT)
                .token_id("old-5bd76fe3");
            then.ok();
        });
        let delete_new = server.delete_bearer_token(|when, then| {
            when.identity_store_id(STORE)
                .tenant_id(TENANT)
                .token_id("new-715ad873");
            then.ok();
        });

        let credentials = HuaweiCredentials::new("QTWAOYTTINDUT2QVKYUC", "example-sk");
        let client = Client::from_endpoint(
            &Endpoint::url(&server.base_url()).unwrap(),
            ClientContext::new(StaticCredentials(credentials)),
        )
        .unwrap();
        let (created, deleted) = rotate(&client, STORE, TENANT).await.unwrap();

        assert_eq!(created.token_id.as_deref(), Some("new-715ad873"));
        assert_eq!(deleted, ["old-5bd76fe3"]);
        create.assert_async().await;
        list.assert_async().await;
        delete_old.assert_async().await;
        assert_eq!(delete_new.calls_async().await, 0);
    }
}
