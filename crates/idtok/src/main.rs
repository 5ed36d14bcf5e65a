//! `idtok`: the generated clients from the command line.
//!
//! ```text
//! idtok [--region <id> | --endpoint <url>] [--max-attempts <n>] [--timeout <s>] [--attempt-timeout <s>]
//!       <family> <operation> --<parameter> <value> ...
//! ```
//!
//! Families, operations, flags and their help come from the documents in `openapi/`, through
//! progenitor's CLI generation (`src/generated/`). This file wires them up: global flags,
//! credentials from the vendors' environment variables, JSON on stdout, one clear line on stderr
//! and an exit code on failure.

mod generated;
mod output;
mod paging;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgMatches, Command};
use idtok_client::{CallError, CallErrorKind, RetryPolicy, Timeouts};
use idtok_runtime::endpoint::{Endpoint, Service};

/// Exit codes: 0 success, 1 the service answered with an error, 2 usage or configuration error,
/// 3 network failure or timeout.
mod exit {
    pub const SERVICE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NETWORK: u8 = 3;
}

/// Why `idtok` stops, and with which exit code.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: exit::USAGE,
        }
    }
}

impl From<CallError> for Failure {
    fn from(error: CallError) -> Self {
        let code = match error.kind {
            CallErrorKind::Service | CallErrorKind::Response => exit::SERVICE,
            CallErrorKind::Request => exit::USAGE,
            CallErrorKind::Network => exit::NETWORK,
        };
        Self {
            message: error.to_string(),
            code,
        }
    }
}

/// One family's subcommand: its operations from the generated CLI, run against a client built
/// from the global flags and the environment's credentials.
macro_rules! family {
    ($module:ident, $name:literal, $service:expr, $about:literal, $models:ident, { $($hooks:tt)* }) => {
        mod $module {
            use clap::{ArgMatches, Command};
            use heck::{ToKebabCase, ToUpperCamelCase};
            use idtok_client::$module::{Client, ClientContext, Error};
            use idtok_client::CallError;
            use idtok_runtime::endpoint::{Endpoint, Service};

            use crate::generated::$module::{Cli, CliCommand, CliConfig};
            use crate::output::Output;
            use crate::Failure;

            pub const NAME: &str = $name;
            pub const SERVICE: Service = $service;

            pub fn command() -> Command {
                let mut family = Command::new(NAME)
                    .about($about)
                    .subcommand_required(true)
                    .arg_required_else_help(true);
                for operation in CliCommand::iter() {
                    let command = Cli::<Output>::get_command(operation)
                        .name(operation.operation_id().to_kebab_case());
                    family = family.subcommand(super::family_args::$module(
                        super::summary_and_description(command),
                    ));
                }
                family
            }

            pub async fn run(endpoint: &Endpoint, matches: &ArgMatches) -> Result<(), Failure> {
                let (name, operation_matches) = matches
                    .subcommand()
                    .ok_or_else(|| Failure::usage("no operation given"))?;
                let operation = CliCommand::iter()
                    .find(|c| c.operation_id().to_kebab_case() == name)
                    .ok_or_else(|| Failure::usage(format!("unknown operation {name}")))?;
                let operation_name = operation.operation_id().to_upper_camel_case();
                let (retry, timeouts) = super::call_settings(operation_matches);
                let context: ClientContext =
                    super::family_args::context::$module(endpoint, operation_matches)?
                        .with_retry_policy(retry)
                        .with_timeouts(timeouts);
                let client = Client::from_endpoint(endpoint, context)
                    .map_err(|e| Failure::usage(e.to_string()))?;
                match Cli::new(client, Output)
                    .execute(operation, operation_matches)
                    .await
                {
                    Ok(()) => Ok(()),
                    // `--all` printed every page from the operation's hook (see `paging`).
                    Err(error) if error.is::<crate::paging::Streamed>() => Ok(()),
                    // Already described (`--all`'s pages), or as the generated client returns it.
                    Err(error) => match error.downcast::<CallError>() {
                        Ok(error) => Err(error.into()),
                        Err(error) => Err(match error.downcast::<Error<$models::ErrorResponse>>() {
                            Ok(error) => CallError::from_client_error(&operation_name, error)
                                .await
                                .into(),
                            Err(other) => {
                                Failure::usage(format!("{operation_name} failed: {other:#}"))
                            }
                        }),
                    },
                }
            }

            impl CliConfig for Output {
                fn success_item<T: serde::Serialize>(
                    &self,
                    value: &progenitor_client::ResponseValue<T>,
                ) {
                    self.print_json(&**value);
                }
                fn success_no_item(&self, _: &progenitor_client::ResponseValue<()>) {}
                fn error<T>(&self, _: &Error<T>) {}
                fn list_start<T>(&self) {}
                fn list_item<T: serde::Serialize>(&self, value: &T) {
                    self.print_json(value);
                }
                fn list_end_success<T>(&self) {}
                fn list_end_error<T>(&self, _: &Error<T>) {}

                $($hooks)*
            }
        }
    };
}

family!(eiam, "eiam", Service::Eiam, "Alibaba Cloud IDaaS EIAM, API version 2021-12-01: application tokens and client secrets. Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN.", idtok_eiam_models, {});
family!(eiam_developerapi, "eiam-developerapi", Service::EiamDeveloperApi, "Alibaba Cloud IDaaS developer API, version 2022-02-25: authentication tokens and the OAuth2 token endpoint. Credentials: IDAAS_ACCESS_TOKEN (an access token issued by IDaaS), or an application's client credentials IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET, IDAAS_APPLICATION_ID (and IDAAS_INSTANCE_ID, else --instance-id; optional IDAAS_SCOPE), from which idtok obtains one.", idtok_eiam_developerapi_models, {
    fn execute_list_authentication_tokens(
        &self,
        matches: &ArgMatches,
        request: &mut idtok_client::eiam_developerapi::builder::ListAuthenticationTokens,
    ) -> anyhow::Result<()> {
        if matches.get_flag("all") {
            return Err(crate::paging::print_all(request.clone().stream()));
        }
        Ok(())
    }
});
family!(identitystore, "identitystore", Service::IdentityStore, "Huawei Cloud Identity Center identity store, API v1: SCIM bearer tokens. Credentials: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN.", idtok_identitystore_models, {});

/// What differs between the families beyond the generated code: extra flags, and where credentials
/// come from.
mod family_args {
    use clap::{Arg, Command};

    pub fn eiam(command: Command) -> Command {
        command
    }

    /// ListAuthenticationTokens pages; `--all` follows `nextToken` to the end.
    pub fn eiam_developerapi(command: Command) -> Command {
        if command.get_name() != "list-authentication-tokens" {
            return command;
        }
        command.arg(
            Arg::new("all")
                .long("all")
                .action(clap::ArgAction::SetTrue)
                .help("Follow nextToken through every page and print each authentication token as one line of JSON (JSON lines), one page in memory at a time; --max-results sets the page size"),
        )
    }

    /// The identity store documents the `X-Security-Token` header; the signer sends it, from this
    /// flag or from HUAWEICLOUD_SDK_SECURITY_TOKEN.
    pub fn identitystore(command: Command) -> Command {
        command.arg(
            Arg::new("x-security-token")
                .long("x-security-token")
                .value_name("TOKEN")
                .help("Security token (session token) of temporary credentials; overrides HUAWEICLOUD_SDK_SECURITY_TOKEN. Sent as X-Security-Token and signed."),
        )
    }

    pub mod context {
        use clap::ArgMatches;
        use idtok_client::eiam_developerapi::ClientCredentialsProvider;
        use idtok_runtime::credentials::{Environment, NoCredentials, StaticCredentials};
        use idtok_runtime::endpoint::Endpoint;

        use crate::Failure;

        // Credentials are read once, before the call, so that missing ones stop idtok with a
        // usage error (exit 2) naming the variables to set.
        pub fn eiam(
            _: &Endpoint,
            _: &ArgMatches,
        ) -> Result<idtok_client::eiam::ClientContext, Failure> {
            let credentials = Environment::process()
                .alibaba()
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(idtok_client::eiam::ClientContext::new(StaticCredentials(
                credentials,
            )))
        }

        /// `IDAAS_ACCESS_TOKEN` when set; else an access token obtained from the application's
        /// client credentials (`IDAAS_CLIENT_ID`, ...), for the instance of `IDAAS_INSTANCE_ID`
        /// or of the call's `--instance-id`.
        pub fn eiam_developerapi(
            endpoint: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::eiam_developerapi::ClientContext, Failure> {
            use idtok_client::eiam_developerapi::ClientContext;
            let environment = Environment::process();
            if let Ok(token) = environment.access_token() {
                return Ok(ClientContext::new(StaticCredentials(token)));
            }
            if !environment.has_idaas_client_credentials() {
                // Not an error yet: ValidateAuthenticationToken and GenerateToken are sent without
                // a token, and the others fail when they ask for one (exit 2, same message).
                return Ok(ClientContext::new(NoCredentials(
                    "no IDaaS access token: set IDAAS_ACCESS_TOKEN, or IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET and IDAAS_APPLICATION_ID to obtain one",
                )));
            }
            let instance_id = matches
                .try_get_one::<String>("instance-id")
                .ok()
                .flatten()
                .map(String::as_str);
            let grant = environment
                .idaas_client_credentials(instance_id)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let tokens = ClientCredentialsProvider::new(endpoint, grant)
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(ClientContext::new(tokens))
        }

        pub fn identitystore(
            _: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::identitystore::ClientContext, Failure> {
            let mut credentials = Environment::process()
                .huawei()
                .map_err(|e| Failure::usage(e.to_string()))?;
            if let Some(token) = matches.get_one::<String>("x-security-token") {
                credentials = credentials.with_security_token(token.as_str());
            }
            Ok(idtok_client::identitystore::ClientContext::new(
                StaticCredentials(credentials),
            ))
        }
    }
}

/// progenitor puts summary and description into `about`: keep the summary there for listings, and
/// the whole text for `--help`.
fn summary_and_description(command: Command) -> Command {
    let Some(text) = command.get_about().map(ToString::to_string) else {
        return command;
    };
    let summary = text.lines().next().unwrap_or_default().to_owned();
    command.about(summary).long_about(text)
}

fn command() -> Command {
    Command::new("idtok")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Manage identity credentials on Alibaba Cloud IDaaS and Huawei Cloud Identity Center: application tokens, client secrets, authentication tokens, SCIM bearer tokens. Prints the response as JSON.")
        .after_help("Exit codes: 0 success, 1 the service answered with an error, 2 usage or configuration error, 3 network failure or timeout (after retries).")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(Arg::new("region").long("region").value_name("ID").global(true).help("The region whose HTTPS host to call, such as cn-hangzhou or ap-southeast-1"))
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .value_name("URL")
                .global(true)
                .help("Call this base URL instead of a region's host (wins over --region). Plain http:// only to a loopback address."),
        )
        .arg(
            Arg::new("max-attempts")
                .long("max-attempts")
                .value_name("N")
                .global(true)
                .value_parser(clap::value_parser!(u32).range(1..=10))
                .help("Attempts in all for calls that are safe to repeat (List, Obtain, Get, Validate), on throttling, 5xx and network failures; 1 turns retries off [default: 3]"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .global(true)
                .value_parser(seconds)
                .help("Give up on the call, retries included, after this long [default: 60]"),
        )
        .arg(
            Arg::new("attempt-timeout")
                .long("attempt-timeout")
                .value_name("SECONDS")
                .global(true)
                .value_parser(seconds)
                .help("Give up on one attempt after this long [default: 30]"),
        )
        .subcommand(eiam::command())
        .subcommand(eiam_developerapi::command())
        .subcommand(identitystore::command())
}

/// A positive, finite number of seconds.
fn seconds(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a number of seconds between 0 and 86400".to_owned()),
    }
}

/// The retry policy and timeouts the global flags ask for, over the library's defaults.
fn call_settings(matches: &ArgMatches) -> (RetryPolicy, Timeouts) {
    let mut retry = RetryPolicy::default();
    if let Some(attempts) = matches.get_one::<u32>("max-attempts") {
        retry.max_attempts = *attempts;
    }
    let mut timeouts = Timeouts::default();
    if let Some(total) = matches.get_one::<Duration>("timeout") {
        timeouts.total = *total;
    }
    if let Some(attempt) = matches.get_one::<Duration>("attempt-timeout") {
        timeouts.per_attempt = *attempt;
    }
    (retry, timeouts)
}

fn endpoint(service: Service, matches: &ArgMatches) -> Result<Endpoint, Failure> {
    let endpoint = match (
        matches.get_one::<String>("endpoint"),
        matches.get_one::<String>("region"),
    ) {
        (Some(url), _) => Endpoint::url(url),
        (None, Some(region)) => Endpoint::region(service, region),
        (None, None) => return Err(Failure::usage("give --region <id> or --endpoint <url>")),
    };
    endpoint.map_err(|e| Failure::usage(e.to_string()))
}

async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    // Global flags are visible from the family's and the operation's matches too.
    let Some((family, family_matches)) = matches.subcommand() else {
        return Err(Failure::usage("no family given"));
    };
    let operation_matches = family_matches
        .subcommand()
        .map(|(_, m)| m)
        .unwrap_or(family_matches);
    match family {
        eiam::NAME => eiam::run(&endpoint(eiam::SERVICE, operation_matches)?, family_matches).await,
        eiam_developerapi::NAME => {
            eiam_developerapi::run(
                &endpoint(eiam_developerapi::SERVICE, operation_matches)?,
                family_matches,
            )
            .await
        }
        identitystore::NAME => {
            identitystore::run(
                &endpoint(identitystore::SERVICE, operation_matches)?,
                family_matches,
            )
            .await
        }
        other => Err(Failure::usage(format!("unknown family {other}"))),
    }
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // One worker: a call is sequential, but `--all` drives its stream from a synchronous hook of
    // the generated CLI, which needs `block_in_place`, which needs the multi-thread runtime.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("idtok: cannot start: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("idtok: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        super::command().debug_assert();
    }
}
