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

mod body;
mod dry_run;
mod failure;
mod flags;
mod generated;
mod help;
mod output;
mod paging;
mod settings;
mod suggest;
mod warnings;
mod whoami;

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use idtok_client::CallError;

use failure::{exit, Failure};

/// One family's subcommand: its operations from the generated CLI, run against a client built
/// from the global flags and the environment's credentials.
macro_rules! family {
    ($module:ident, $name:literal, $service:expr, $about:literal, $models:ident) => {
        mod $module {
            use clap::{ArgMatches, Command};
            use heck::{ToKebabCase, ToUpperCamelCase};
            use idtok_client::$module::{Client, ClientContext, Error};
            use idtok_client::{CallError, RecordOptions};
            use idtok_runtime::endpoint::Service;

            use crate::failure::Failure;
            use crate::generated::$module::{
                Cli, CliCommand, DOCUMENT, EXAMPLES, IDEMPOTENCY_TOKENS, OPERATION_IDS, PAGINATED,
                REQUEST_BODIES, STRUCTURED_PARAMETERS, TABLES,
            };
            use crate::output::Output;

            pub const NAME: &str = $name;
            pub const SERVICE: Service = $service;

            /// The document and its API version, for `--version`.
            pub fn document() -> crate::output::DocumentInfo {
                DOCUMENT
            }

            /// The operation as the document (and the vendor) names it: `AssumeRoleWithOIDC`,
            /// which the upper camel case of progenitor's `assume_role_with_oidc` is not. The
            /// generated tables (bodies, tables, paging) are keyed by it.
            fn operation_name(operation: CliCommand) -> String {
                OPERATION_IDS
                    .iter()
                    .find(|(cli_id, _)| *cli_id == operation.operation_id())
                    .map(|(_, id)| (*id).to_owned())
                    .unwrap_or_else(|| operation.operation_id().to_upper_camel_case())
            }

            pub fn command() -> Command {
                let mut family = Command::new(NAME)
                    .about($about)
                    .subcommand_required(true)
                    .arg_required_else_help(true);
                for operation in CliCommand::iter() {
                    let id = operation_name(operation);
                    let mut command = Cli::<Output>::get_command(operation)
                        .name(operation.operation_id().to_kebab_case());
                    command = crate::body::parameter_args(command, STRUCTURED_PARAMETERS, &id);
                    command = crate::body::idempotency_token_args(command, IDEMPOTENCY_TOKENS, &id);
                    command = crate::help::mark_required(command);
                    if let Some(body) = crate::body::of(REQUEST_BODIES, &id) {
                        command = crate::body::args(command, body);
                        command = crate::help::mark_required_body_fields(command, body);
                    }
                    if let Some(paged) = PAGINATED.iter().find(|p| p.operation == id) {
                        command = crate::paging::args(command, paged);
                    }
                    command = crate::help::with_examples(
                        command,
                        NAME,
                        operation.operation_id(),
                        EXAMPLES,
                    );
                    family = family.subcommand(super::family_args::$module(
                        super::summary_and_description(command),
                    ));
                }
                family
            }

            pub async fn run(matches: &ArgMatches) -> Result<(), Failure> {
                let (name, operation_matches) = matches
                    .subcommand()
                    .ok_or_else(|| Failure::usage("no operation given"))?;
                let operation = CliCommand::iter()
                    .find(|c| c.operation_id().to_kebab_case() == name)
                    .ok_or_else(|| Failure::usage(format!("unknown operation {name}")))?;
                let operation_name = operation_name(operation);
                let mut output = crate::flags::output(operation_matches);
                output.table = TABLES.iter().find(|t| t.operation == operation_name);
                if let Some(template) =
                    crate::body::template(REQUEST_BODIES, &operation_name, operation_matches)
                {
                    // The template is idtok's own value: printed as asked, no answer's table.
                    let output = Output {
                        table: None,
                        ..output
                    };
                    return crate::output::ordered(template.as_bytes())
                        .and_then(|value| output.print(value, false))
                        .map_err(Failure::usage);
                }
                let endpoint = &crate::settings::endpoint(SERVICE, operation_matches)?;
                let (retry, timeouts) = crate::flags::call_settings(operation_matches);
                let context: ClientContext =
                    super::family_args::context::$module(endpoint, operation_matches)
                        .await?
                        .with_retry_policy(retry)
                        .with_timeouts(timeouts);
                let client = Client::from_endpoint(endpoint, context)
                    .map_err(|e| Failure::usage(e.to_string()))?;
                let options = RecordOptions {
                    keep_answer: true,
                    dry_run: crate::flags::switch(operation_matches, "dry-run"),
                };
                let (result, record) = idtok_client::record(
                    options,
                    Cli::new(client, output.clone()).execute(operation, operation_matches),
                )
                .await;
                let error = match result {
                    Ok(()) => {
                        if let Some(answer) = record.answer.as_ref().filter(|a| !a.is_empty()) {
                            return super::print_answer(&output, answer.expose_secret());
                        }
                        return Ok(());
                    }
                    // `--all` printed every page from the operation's hook (see `paging`).
                    Err(error) if error.is::<crate::paging::Streamed>() => return Ok(()),
                    Err(error) if error.is::<crate::paging::Unprintable>() => {
                        return Err(Failure::usage(error.to_string()))
                    }
                    Err(error) => error,
                };
                // Already described (`--all`'s pages), or as the generated client returns it.
                let error = match error.downcast::<CallError>() {
                    Ok(error) => error,
                    Err(error) => match error.downcast::<Error<$models::ErrorResponse>>() {
                        Ok(error) => CallError::from_client_error(&operation_name, error)
                            .await
                            .with_record(&record),
                        Err(other) => {
                            return Err(Failure::usage(format!(
                                "{operation_name} failed: {other:#}"
                            )))
                        }
                    },
                };
                if let Some(unsent) = record.unsent.as_ref().filter(|_| options.dry_run) {
                    let body = crate::body::of(REQUEST_BODIES, &operation_name);
                    return crate::dry_run::print(&output, unsent, body).map_err(Failure::usage);
                }
                Err(super::failure_keeping_answer(error, &output))
            }
        }
    };
}

/// Every family's module (above), its subcommand and its dispatch: one line per family.
macro_rules! families {
    ($(($module:ident, $name:literal, $service:expr, $about:literal, $models:ident)),* $(,)?) => {
        $(family!($module, $name, $service, $about, $models);)*

        /// The subcommand of every family.
        fn family_commands() -> Vec<Command> {
            vec![$($module::command()),*]
        }

        /// Each family's name and document.
        fn family_documents() -> Vec<(&'static str, output::DocumentInfo)> {
            vec![$(($module::NAME, $module::document())),*]
        }

        /// Runs the operation that `matches` names, of the family `family`.
        async fn run_family(family: &str, matches: &ArgMatches) -> Result<(), Failure> {
            match family {
                $($module::NAME => $module::run(matches).await,)*
                other => Err(Failure::usage(format!("unknown family {other}"))),
            }
        }
    };
}

families! {
    (eiam, "eiam", Service::Eiam, "Alibaba Cloud IDaaS EIAM, API version 2021-12-01: application tokens and client secrets. Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN.", idtok_eiam_models),
    (eiam_developerapi, "eiam-developerapi", Service::EiamDeveloperApi, "Alibaba Cloud IDaaS developer API, version 2022-02-25: authentication tokens and the OAuth2 token endpoint. Credentials: IDAAS_ACCESS_TOKEN (an access token issued by IDaaS), or an application's client credentials IDAAS_CLIENT_ID, IDAAS_CLIENT_SECRET, IDAAS_APPLICATION_ID (and IDAAS_INSTANCE_ID, else --instance-id; optional IDAAS_SCOPE), from which idtok obtains one.", idtok_eiam_developerapi_models),
    (identitystore, "identitystore", Service::IdentityStore, "Huawei Cloud Identity Center identity store, API v1: SCIM bearer tokens. Credentials: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN.", idtok_identitystore_models),
    (sts, "sts", Service::Sts, "Alibaba Cloud STS, API version 2015-04-01: temporary credentials of a RAM role (AssumeRole, AssumeRoleWithOIDC, AssumeRoleWithSAML) and the caller's identity. Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN; assume-role-with-oidc and assume-role-with-saml need none. The global endpoint is --endpoint https://sts.aliyuncs.com.", idtok_sts_models),
}

/// What differs between the families beyond the generated code: extra flags, and where credentials
/// come from.
mod family_args {
    use clap::{Arg, Command};

    pub fn eiam(command: Command) -> Command {
        command
    }

    pub fn eiam_developerapi(command: Command) -> Command {
        command
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

    pub fn sts(command: Command) -> Command {
        command
    }

    pub mod context {
        use clap::ArgMatches;
        use idtok_client::eiam_developerapi::ClientCredentialsProvider;
        use idtok_runtime::credentials::{NoCredentials, StaticCredentials};
        use idtok_runtime::endpoint::Endpoint;

        use crate::failure::Failure;

        // The chain is resolved once, before the call, so that missing credentials stop idtok
        // with a usage error (exit 2) that names every provider and why it gave none; the call
        // then gets the cached credentials from the same chain.
        pub async fn eiam(
            _: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::eiam::ClientContext, Failure> {
            let chain = crate::settings::alibaba_chain(matches)?;
            chain
                .credentials()
                .await
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(idtok_client::eiam::ClientContext::new(chain))
        }

        /// The access token `settings::developer_api_token` decides on: given, or obtained from
        /// the application's client credentials for the instance of `IDAAS_INSTANCE_ID` or of the
        /// call's `--instance-id`. Without either, not an error yet: ValidateAuthenticationToken
        /// and GenerateToken are sent without a token, and the others fail when they ask for one
        /// (exit 2, same message).
        pub async fn eiam_developerapi(
            endpoint: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::eiam_developerapi::ClientContext, Failure> {
            use crate::settings::DeveloperApiToken;
            use idtok_client::eiam_developerapi::ClientContext;
            let instance_id = crate::flags::string(matches, "instance-id");
            Ok(match crate::settings::developer_api_token(instance_id)? {
                DeveloperApiToken::Given(token) => ClientContext::new(StaticCredentials(token)),
                DeveloperApiToken::ClientCredentials(grant) => ClientContext::new(
                    ClientCredentialsProvider::new(endpoint, grant)
                        .map_err(|e| Failure::usage(e.to_string()))?,
                ),
                DeveloperApiToken::Missing(why) => ClientContext::new(NoCredentials(why)),
            })
        }

        /// Asked for at the call: AssumeRoleWithOIDC and AssumeRoleWithSAML are sent without
        /// credentials, and the others fail when they ask for missing ones (exit 2, naming every
        /// provider of the chain).
        pub async fn sts(
            _: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::sts::ClientContext, Failure> {
            Ok(idtok_client::sts::ClientContext::new(
                crate::settings::alibaba_chain(matches)?,
            ))
        }

        /// The Huawei chain, resolved before the call; `--x-security-token` replaces the
        /// chain's security token (and then the credentials are fixed for the call).
        pub async fn identitystore(
            _: &Endpoint,
            matches: &ArgMatches,
        ) -> Result<idtok_client::identitystore::ClientContext, Failure> {
            use idtok_client::identitystore::ClientContext;
            let chain = crate::settings::huawei_chain(matches)?;
            let sourced = chain
                .provide_sourced()
                .await
                .map_err(|e| Failure::usage(e.to_string()))?;
            Ok(match matches.get_one::<String>("x-security-token") {
                Some(token) => ClientContext::new(StaticCredentials(
                    sourced.credentials.with_security_token(token.as_str()),
                )),
                None => ClientContext::new(chain),
            })
        }
    }
}

/// progenitor puts summary and description into `about`: keep the summary there for listings, and
/// the whole text for `--help`.
fn summary_and_description(command: Command) -> Command {
    // A value may start with `-`: a PEM key (`-----BEGIN PUBLIC KEY-----`), a negative number.
    let command = command.mut_args(|arg| {
        if arg.get_action().takes_values() {
            arg.allow_hyphen_values(true)
        } else {
            arg
        }
    });
    let Some(text) = command.get_about().map(ToString::to_string) else {
        return command;
    };
    let summary = text.lines().next().unwrap_or_default().to_owned();
    command.about(summary).long_about(text)
}

/// The commit that last changed `openapi/`, from `build.rs` ("unknown" outside a git checkout).
const DOCUMENTS_COMMIT: &str = env!("IDTOK_DOCUMENTS_COMMIT");

/// `--version`: idtok's version, each document's API version, and the documents' commit.
fn version() -> String {
    let mut text = env!("CARGO_PKG_VERSION").to_owned();
    for (family, document) in family_documents() {
        text.push_str(&format!(
            "\n{family}: API version {} ({})",
            document.api_version, document.file
        ));
    }
    text.push_str(&format!(
        "\ndocuments: openapi/ at commit {DOCUMENTS_COMMIT}"
    ));
    text
}

const GLOBAL_OPTIONS: &str = "Global options";

fn command() -> Command {
    Command::new("idtok")
        .version(version())
        .about("Manage identity credentials on Alibaba Cloud IDaaS and Huawei Cloud Identity Center: application tokens, client secrets, authentication tokens, SCIM bearer tokens. Prints the response as JSON.")
        .after_help("Exit codes: 0 success, 1 the service answered with an error, 2 usage or configuration error, 3 network failure or timeout (after retries).")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(Arg::new("region").long("region").value_name("ID").global(true).help("The region whose HTTPS host to call, such as cn-hangzhou or ap-southeast-1 [default: Alibaba Cloud: the aliyun CLI profile's region_id, else ALIBABA_CLOUD_REGION_ID; Huawei Cloud: the KooCLI profile's region (with --profile), else HUAWEICLOUD_SDK_REGION]"))
        .arg(
            Arg::new("profile")
                .long("profile")
                .value_name("NAME")
                .global(true)
                .help("The profile to take credentials (and region) from, alone: no other provider of the chain stands in for it (the environment's keys included), and a profile that is in neither file is an error. Alibaba Cloud: the aliyun CLI profile (~/.aliyun/config.json), else the section of ~/.alibabacloud/credentials.ini [default: the default chain, with ALIBABA_CLOUD_PROFILE, else the CLI's current profile and the file's default section]. Huawei Cloud: the [NAME] section of ~/.huaweicloud/credentials (keys as in [basic]), else KooCLI's profile NAME in ~/.hcloud/config.json (and its region) [default: the SDK's chain]"),
        )
        .arg(
            Arg::new("no-metadata")
                .long("no-metadata")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Never ask the cloud metadata services for credentials. The default chains try them last, after the environment and the profile files: Alibaba's ECS metadata service at http://100.100.100.200 (1 s to connect, 1 s to read) and Huawei's at http://169.254.169.254 (3 s + 3 s). Off a cloud instance that is a wait for an address that does not answer, once per address and run; this flag saves it. Alibaba's own switch, ALIBABA_CLOUD_ECS_METADATA_DISABLED=true, is read too; Huawei's SDK has none"),
        )
        .arg(
            Arg::new("no-cache")
                .long("no-cache")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Neither read nor write the credentials cache: assume the role again at STS. Temporary credentials of assumed roles (RamRoleArn, OIDC and CloudSSO profiles, RRSA) are otherwise kept in $XDG_CACHE_HOME/idtok/credentials (else ~/.cache/idtok/credentials), one 0600 file per role, and reused by later runs until shortly before they expire, as the aws CLI does"),
        )
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
                .help("Attempts in all for operations that are safe to repeat (the document marks them x-idempotent: lists, reads, checks), on throttling, 5xx and network failures; 1 turns retries off [default: 3]"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .global(true)
                .value_parser(flags::seconds)
                .help("Give up on the call, retries included, after this long [default: 60]"),
        )
        .arg(
            Arg::new("attempt-timeout")
                .long("attempt-timeout")
                .value_name("SECONDS")
                .global(true)
                .value_parser(flags::seconds)
                .help("Give up on one attempt after this long [default: 30]"),
        )
        .arg(
            Arg::new("compact")
                .long("compact")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Print the answer on one line, as compact JSON (default: indented); either way every field as the service sent it, in its order"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .value_name("FORMAT")
                .global(true)
                .value_parser(output::Format::NAMES)
                .help("json: the answer as the service sent it (keys in its order; --compact for one line); yaml: the same as YAML; table: one row per item of the answer's list, columns from the document, times as RFC 3339, secrets of listed items masked (a secret the operation creates or obtains is shown); text: the same rows tab-separated, one item a line, no header, for shell pipelines [default: json]"),
        )
        .arg(
            Arg::new("query")
                .long("query")
                .value_name("JMESPATH")
                .global(true)
                .value_parser(output::check_query)
                .help("A JMESPath expression applied to the answer (with --all, to the list of every item) before it is printed, as in the aws CLI: --query 'Credentials[].CredentialId'"),
        )
        .arg(
            Arg::new("debug")
                .long("debug")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Print each attempt on stderr: method, URL, headers (secret ones redacted), status, request id, and whether and when it is retried"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .action(clap::ArgAction::SetTrue)
                .help("Print the signed request that would be sent (method, URL, headers with secrets redacted, body) and send nothing"),
        )
        .subcommands(family_commands())
        .subcommand(whoami::command())
        .subcommand(completion_command())
        .mut_args(|arg| {
            if arg.is_global_set() {
                arg.help_heading(GLOBAL_OPTIONS)
            } else {
                arg
            }
        })
}

const COMPLETION: &str = "completion";

fn completion_command() -> Command {
    Command::new(COMPLETION)
        .about("Print a shell completion script: families, operations and their flags")
        .long_about("Print a completion script for the shell on stdout, for example:\n  bash: source <(idtok completion bash)\n  zsh: idtok completion zsh > \"${fpath[1]}/_idtok\"\n  fish: idtok completion fish > ~/.config/fish/completions/idtok.fish\n  PowerShell: idtok completion powershell | Out-String | Invoke-Expression")
        .arg(
            Arg::new("shell")
                .value_name("SHELL")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell)),
        )
}

/// `idtok completion <shell>`.
fn print_completion(matches: &ArgMatches) -> Result<(), Failure> {
    let shell = *matches
        .get_one::<clap_complete::Shell>("shell")
        .ok_or_else(|| Failure::usage("no shell given"))?;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command(), "idtok", &mut out);
    output::Output::default().print_raw(&out);
    Ok(())
}

/// Prints a success answer as asked. When that fails (a `--query` that does not apply to it),
/// the answer is printed as received, since it may be a secret the service will not show again.
fn print_answer(output: &output::Output, answer: &[u8]) -> Result<(), Failure> {
    output.print_answer(answer).map_err(|message| {
        output.print_raw(answer);
        Failure::usage(format!(
            "{message}; the answer ({} bytes) was printed on stdout as received",
            answer.len()
        ))
    })
}

/// A failed call, as idtok reports it. A success answer that did not decode is printed on stdout
/// as received (it may be a credential the service will not show again), and the message says so.
fn failure_keeping_answer(mut error: CallError, output: &output::Output) -> Failure {
    let kept = error.answer.take().filter(|answer| !answer.is_empty());
    let mut failure = Failure::from(error);
    if let Some(answer) = kept {
        output.print_raw(answer.expose_secret());
        failure.message.push_str(&format!(
            "; the answer ({} bytes) was kept and printed on stdout as received",
            answer.len()
        ));
    }
    failure
}

/// What the client library logs, on stderr: with `--debug` every event (target `idtok_client`)
/// from DEBUG up, each attempt included; without it, only its warnings, one line each.
fn log_to_stderr(debug: bool) {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    if !debug {
        let _ = tracing_subscriber::registry()
            .with(warnings::Warnings)
            .try_init();
        return;
    }
    let filter = tracing_subscriber::filter::Targets::new()
        .with_target("idtok_client", tracing::Level::DEBUG);
    let _ = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .without_time()
                .with_target(false),
        )
        .with(filter)
        .try_init();
}

async fn run(matches: &ArgMatches) -> Result<(), Failure> {
    // Global flags are visible from the family's and the operation's matches too.
    let Some((family, family_matches)) = matches.subcommand() else {
        return Err(Failure::usage("no family given"));
    };
    if family == whoami::NAME {
        return whoami::run(family_matches).await;
    }
    if family == COMPLETION {
        return print_completion(family_matches);
    }
    run_family(family, family_matches).await
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = match command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => {
            let error = suggest::nearest_names(error, command(), &args);
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    log_to_stderr(flags::switch(&matches, "debug"));
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
