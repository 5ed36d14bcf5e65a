//! Rotates an EIAM application's client secret, end to end:
//!
//! 1. create a new client secret, and print it once (stdout) for the application's consumers;
//! 2. wait until they use it (you press Enter);
//! 3. disable every other client secret of the application, then delete it. Disabling first
//!    means a consumer that was missed fails with a clear error while the secret still exists,
//!    and can be enabled again; deleting is the step that cannot be undone.
//!
//! ```text
//! export ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=...
//! cargo run -p idtok-examples --example rotate_application_client_secret -- \
//!     cn-hangzhou idaas_ue2jvisn35ea5lmthk267xxxxx app_mkv7rgt4d7i4u7zqtzev2mxxxx
//! ```
//!
//! The tests at the bottom run the same functions against idtok-mock's typed mocks.

use idtok_client::eiam::{Client, ClientContext};
use idtok_client::{call, CallError};
use idtok_eiam_models::CreatedApplicationClientSecret;
use idtok_runtime::endpoint::{Endpoint, Service};

/// Step 1: a new client secret for the application (its value is in `client_secret`).
async fn create_secret(
    client: &Client,
    instance_id: &str,
    application_id: &str,
) -> Result<CreatedApplicationClientSecret, CallError> {
    let created = call(
        "CreateApplicationClientSecret",
        client
            .create_application_client_secret()
            .instance_id(instance_id)
            .application_id(application_id)
            .send(),
    )
    .await?;
    created.application_client_secret.ok_or_else(|| {
        CallError::unusable_answer(
            "CreateApplicationClientSecret",
            "the answer has no ApplicationClientSecret",
        )
    })
}

/// Step 3: disables, then deletes, every client secret of the application but `keep`. Returns the
/// ids of the secrets retired.
async fn retire_other_secrets(
    client: &Client,
    instance_id: &str,
    application_id: &str,
    keep: &str,
) -> Result<Vec<String>, CallError> {
    let listed = call(
        "ListApplicationClientSecrets",
        client
            .list_application_client_secrets()
            .instance_id(instance_id)
            .application_id(application_id)
            .send(),
    )
    .await?;
    let mut retired = Vec::new();
    for secret in listed.application_client_secrets.unwrap_or_default() {
        // The vendor's examples show ids with a stray leading space; compare them trimmed.
        let Some(secret_id) = secret.secret_id.as_deref().map(str::trim) else {
            continue;
        };
        if secret_id == keep.trim() {
            continue;
        }
        if secret.status.as_deref() != Some("disabled") {
            call(
                "DisableApplicationClientSecret",
                client
                    .disable_application_client_secret()
                    .instance_id(instance_id)
                    .application_id(application_id)
                    .secret_id(secret_id)
                    .send(),
            )
            .await?;
        }
        call(
            "DeleteApplicationClientSecret",
            client
                .delete_application_client_secret()
                .instance_id(instance_id)
                .application_id(application_id)
                .secret_id(secret_id)
                .send(),
        )
        .await?;
        retired.push(secret_id.to_owned());
    }
    Ok(retired)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region, instance_id, application_id] = args.as_slice() else {
        return Err(
            "usage: rotate_application_client_secret <region> <instance id> <application id>"
                .into(),
        );
    };
    let endpoint = Endpoint::region(Service::Eiam, region)?;
    let client = Client::from_endpoint(&endpoint, ClientContext::from_environment())?;

    let created = create_secret(&client, instance_id, application_id).await?;
    let secret_id = created.secret_id.clone().unwrap_or_default();
    let value = created
        .client_secret
        .as_ref()
        .map(|s| s.expose_secret())
        .unwrap_or_default();
    // The one place the new secret is shown: hand it to the consumers, then it is gone.
    println!("new client secret {secret_id}: {value}");
    eprintln!("Switch every consumer to the new secret, then press Enter to retire the others.");
    std::io::stdin().read_line(&mut String::new())?;

    let retired = retire_other_secrets(&client, instance_id, application_id, &secret_id).await?;
    eprintln!("disabled and deleted: {retired:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idtok_mock::eiam::MockServerExt as _;
    use idtok_mock::MockServer;
    use idtok_runtime::credentials::{AlibabaCredentials, StaticCredentials};
    use serde_json::json;

    const INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
    const APPLICATION: &str = "app_mkv7rgt4d7i4u7zqtzev2mxxxx";

    fn typed<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[tokio::test]
    async fn creates_a_secret_then_disables_and_deletes_the_old_ones() {
        let server = MockServer::start_async().await;
        let create = server.create_application_client_secret(|when, then| {
            when.instance_id(INSTANCE).application_id(APPLICATION);
            then.ok(&typed(json!({
                "RequestId": "0441BD79-92F3-53AA-8657-F8CE4A2B912A",
                "ApplicationClientSecret": {
                    "ClientId": APPLICATION,
                    "SecretId": "sci_new",
                    "ClientSecret": "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"
                }
            })));
        });
        let list = server.list_application_client_secrets(|when, then| {
            when.instance_id(INSTANCE).application_id(APPLICATION);
            then.ok(&typed(json!({
                "TotalCount": 3,
                "ApplicationClientSecrets": [
                    {"SecretId": "sci_new", "Status": "enabled", "ClientSecret": "CSEH***"},
                    {"SecretId": " sci_old", "Status": "enabled", "ClientSecret": "CSAB***"},
                    {"SecretId": "sci_older", "Status": "disabled", "ClientSecret": "CSCD***"}
                ]
            })));
        });
        let mut disabled = Vec::new();
        let mut deleted = Vec::new();
        for id in ["sci_new", "sci_old", "sci_older"] {
            disabled.push(server.disable_application_client_secret(|when, then| {
                when.instance_id(INSTANCE)
                    .application_id(APPLICATION)
                    .secret_id(id);
                then.ok(&typed(json!({"RequestId": "A"})));
            }));
            deleted.push(server.delete_application_client_secret(|when, then| {
                when.instance_id(INSTANCE)
                    .application_id(APPLICATION)
                    .secret_id(id);
                then.ok(&typed(json!({"RequestId": "B"})));
            }));
        }

        let credentials = AlibabaCredentials::new("LTAI5tExampleKeyId", "example-secret");
        let client = Client::from_endpoint(
            &Endpoint::url(&server.base_url()).unwrap(),
            ClientContext::new(StaticCredentials(credentials)),
        )
        .unwrap();
        let created = create_secret(&client, INSTANCE, APPLICATION).await.unwrap();
        assert_eq!(created.secret_id.as_deref(), Some("sci_new"));
        let retired = retire_other_secrets(&client, INSTANCE, APPLICATION, "sci_new")
            .await
            .unwrap();

        assert_eq!(retired, ["sci_old", "sci_older"]);
        create.assert_async().await;
        list.assert_async().await;
        // The new secret is untouched; the enabled old one is disabled first; both old are deleted.
        let disable_calls: Vec<usize> = disabled.iter().map(|m| m.calls()).collect();
        let delete_calls: Vec<usize> = deleted.iter().map(|m| m.calls()).collect();
        assert_eq!(disable_calls, [0, 1, 0]);
        assert_eq!(delete_calls, [0, 1, 1]);
    }
}
