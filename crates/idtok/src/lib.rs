//! `idtok`: the generated clients from the command line (`src/main.rs` runs [`main`]).
//!
//! Families, operations, flags and their help come from the documents in `openapi/`, through
//! progenitor's CLI generation (`src/generated/`). This file wires them up: global flags,
//! credentials from the vendors' environment variables, JSON on stdout, one clear line on stderr
//! and an exit code on failure.
//!
//! This library is the command, not an API to build on: what is public is public for the tests
//! in `tests/`, and may change in any release. Use `idtok-client` from code.

pub mod body;
mod dry_run;
mod failure;
mod family;
mod family_credentials;
mod flags;
mod generated;
pub mod help;
pub mod output;
mod paging;
pub mod secret_input;
mod settings;
pub mod suggest;
pub mod values;
mod warnings;
pub mod whoami;

use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command};
use idtok_client::CallError;

use failure::{exit, Failure};

/// progenitor puts summary and description into `about`: keep the summary there for listings, and
/// the whole text for `--help`.
pub(crate) fn summary_and_description(command: Command) -> Command {
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
    for (family, document) in generated::documents() {
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

/// The whole command line: every family, every operation in full (for `--help`, completion and
/// the verdict on anything the narrow tree of [`command_for`] does not parse).
pub fn command() -> Command {
    command_for(None)
}

/// The command line with, when `only` names a family and an operation, that operation alone of all
/// the families' operations. Building all of them on every start costs time linear in the
/// operations (their help, flags and examples), for a run that uses one.
pub fn command_for(only: Option<(&str, &str)>) -> Command {
    global_options()
        .subcommands(generated::commands(only))
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

/// `idtok` and its global flags, without subcommands.
fn global_options() -> Command {
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
}

/// The family and operation a command line names (its first two words that are neither flags
/// nor a global flag's value), if it names both.
pub fn named_operation(args: &[std::ffi::OsString]) -> Option<(String, String)> {
    let globals = global_options();
    let takes_value = |arg: &clap::Arg| arg.get_action().takes_values();
    let mut words = Vec::new();
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_str()?;
        if arg == "--" {
            break;
        }
        let value_follows = if let Some(long) = arg.strip_prefix("--") {
            !long.contains('=')
                && globals
                    .get_arguments()
                    .any(|a| a.get_long() == Some(long) && takes_value(a))
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-o json` takes the next word; `-ojson` does not.
            let last = shorts.chars().last();
            shorts.chars().count() == 1
                && globals
                    .get_arguments()
                    .any(|a| a.get_short() == last && takes_value(a))
        } else {
            words.push(arg.to_owned());
            if words.len() == 2 {
                break;
            }
            false
        };
        if value_follows {
            args.next();
        }
    }
    let operation = words.pop()?;
    Some((words.pop()?, operation))
}

/// The command line's family and operation, and the tree narrowed to them: built once per run,
/// for the secret flags and for parsing.
pub struct Narrow {
    family: String,
    operation: String,
    command: Command,
}

/// The narrow tree of the operation the command line names, if it names one.
pub fn narrow(args: &[std::ffi::OsString]) -> Option<Narrow> {
    let (family, operation) = named_operation(args)?;
    let command = command_for(Some((&family, &operation)));
    Some(Narrow {
        family,
        operation,
        command,
    })
}

/// Parses the command line over the narrow tree when it names an operation; anything that does
/// not parse there to that very operation (an error, help, a guess that was wrong) is parsed
/// again over the whole tree, whose verdict stands.
pub fn parse(
    args: &[std::ffi::OsString],
    narrow: Option<Narrow>,
) -> Result<ArgMatches, clap::Error> {
    if let Some(verdict) = narrow.and_then(|narrow| parse_narrow(narrow, args)) {
        return verdict;
    }
    command().try_get_matches_from(args)
}

/// The command line with each secret flag's `-` replaced by the value read from stdin, or asked
/// for (`secret_input`), before clap sees it.
fn with_secrets_read(
    args: &[std::ffi::OsString],
    narrow: Option<&mut Narrow>,
) -> Result<Vec<std::ffi::OsString>, String> {
    let secret_flags = narrow
        .and_then(|narrow| {
            narrow.command.build();
            let operation = narrow
                .command
                .find_subcommand(&narrow.family)?
                .find_subcommand(&narrow.operation)?;
            Some(secret_input::secret_flags(operation))
        })
        .unwrap_or_default();
    if secret_flags.is_empty() {
        return Ok(args.to_vec());
    }
    secret_input::read_into(args, &secret_flags, &mut secret_input::from_stdin)
}

/// The narrow tree's verdict, where it is the whole tree's too: matches of its very operation, or
/// the help of that operation (`--help` or `-h` after its name), which is the same in both trees
/// and would otherwise build every operation to print one.
pub fn parse_narrow(
    narrow: Narrow,
    args: &[std::ffi::OsString],
) -> Option<Result<ArgMatches, clap::Error>> {
    let real = narrow
        .command
        .find_subcommand(&narrow.family)
        .and_then(|family| family.find_subcommand(&narrow.operation))
        .is_some();
    match narrow.command.try_get_matches_from(args) {
        Ok(matches) => {
            let (family, family_matches) = matches.subcommand()?;
            (family == narrow.family && family_matches.subcommand_name() == Some(&narrow.operation))
                .then_some(Ok(matches))
        }
        Err(help)
            if help.kind() == clap::error::ErrorKind::DisplayHelp
                && real
                && help_follows(args, &narrow.operation) =>
        {
            Some(Err(help))
        }
        Err(_) => None,
    }
}

/// `--help` or `-h` comes after the first `operation` word, and no help flag or `--` before it.
fn help_follows(args: &[std::ffi::OsString], operation: &str) -> bool {
    let mut seen_operation = false;
    for arg in args.iter().skip(1) {
        match arg.to_str() {
            Some("--") => return false,
            Some("--help" | "-h") => return seen_operation,
            Some(word) if word == operation => seen_operation = true,
            _ => {}
        }
    }
    false
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
pub(crate) fn print_answer(output: &output::Output, answer: &[u8]) -> Result<(), Failure> {
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
pub(crate) fn failure_keeping_answer(mut error: CallError, output: &output::Output) -> Failure {
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
/// from DEBUG up, each attempt included, and the idempotency tokens idtok fills into a body; without it, only its warnings, one line each.
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
        .with_target("idtok_client", tracing::Level::DEBUG)
        .with_target("idtok::body", tracing::Level::DEBUG);
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
    generated::run(family, family_matches).await
}

/// The whole of `idtok`: reads the command line, runs it, and says how it went (`src/main.rs`).
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut narrow = narrow(&args);
    let args = match with_secrets_read(&args, narrow.as_mut()) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("idtok: {message}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let matches = match parse(&args, narrow) {
        Ok(matches) => matches,
        Err(error) => {
            let error = suggest::nearest_names(error, command, &args);
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
