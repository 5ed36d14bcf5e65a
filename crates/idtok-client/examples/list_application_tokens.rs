//! List the application tokens of an EIAM application.
//!
//! cargo run -p idtok-client --example list_application_tokens -- BASE_URL INSTANCE_ID APPLICATION_ID
//!
//! Requests are not signed yet (signing comes with the runtime), so point BASE_URL at a local server.

use idtok_client::eiam::{Client, ClientContext, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, instance_id, application_id] = args.as_slice() else {
        eprintln!("usage: list_application_tokens BASE_URL INSTANCE_ID APPLICATION_ID");
        return std::process::ExitCode::from(2);
    };
    let client = Client::new(base_url, ClientContext::default());
    let result = client
        .list_application_tokens()
        .instance_id(instance_id.as_str())
        .application_id(application_id.as_str())
        .application_token_type("bearer_token")
        .send()
        .await;
    match result {
        Ok(response) => {
            for token in &response.application_tokens {
                // The token value is a SecretString: Debug prints <redacted>.
                println!(
                    "{:?} {:?} {:?}",
                    token.application_token_id, token.status, token.application_token
                );
            }
            std::process::ExitCode::SUCCESS
        }
        Err(Error::ErrorResponse(error)) => {
            eprintln!(
                "ListApplicationTokens failed: HTTP {}: {:?} {:?} (request id {:?})",
                error.status(),
                error.code,
                error.message,
                error.request_id
            );
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("ListApplicationTokens failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
