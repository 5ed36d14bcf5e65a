//! List the application tokens of an EIAM application.
//!
//! ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... \
//!   cargo run -p idtok-client --example list_application_tokens -- REGION_OR_URL INSTANCE_ID APPLICATION_ID
//!
//! REGION_OR_URL is a region (cn-hangzhou) or a base URL (https://..., or http:// to loopback).

use idtok_client::eiam::{Client, ClientContext};
use idtok_client::CallError;
use idtok_runtime::endpoint::{Endpoint, Service};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [where_to, instance_id, application_id] = args.as_slice() else {
        eprintln!("usage: list_application_tokens REGION_OR_URL INSTANCE_ID APPLICATION_ID");
        return std::process::ExitCode::from(2);
    };
    let endpoint = if where_to.contains("://") {
        Endpoint::url(where_to)
    } else {
        Endpoint::region(Service::Eiam, where_to)
    };
    let client = match endpoint.map_err(|e| e.to_string()).and_then(|e| {
        Client::from_endpoint(&e, ClientContext::from_environment()).map_err(|e| e.to_string())
    }) {
        Ok(client) => client,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let result = client
        .list_application_tokens()
        .instance_id(instance_id.as_str())
        .application_id(application_id.as_str())
        .application_token_type("bearer_token")
        .send()
        .await;
    match result {
        Ok(response) => {
            for token in response.application_tokens.iter().flatten() {
                // The token value is a SecretString: Debug prints <redacted>.
                println!(
                    "{:?} {:?} {:?}",
                    token.application_token_id, token.status, token.application_token
                );
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            // Operation, HTTP status, vendor code and message, request id.
            eprintln!(
                "{}",
                CallError::from_client_error("ListApplicationTokens", error).await
            );
            std::process::ExitCode::FAILURE
        }
    }
}
