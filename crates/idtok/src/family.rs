//! The contract between a family's generated command-line module and the rest of `idtok`, and the
//! one run path every operation of every family takes.
//!
//! `cargo xtask gen` writes, for each family, `src/generated/<family>.rs`: progenitor's `Cli` and
//! `CliCommand`, idtok's tables from the document (bodies, output tables, paging, examples...) and
//! `impl Generated for Family` below; and `src/generated/mod.rs`, which lists the families
//! (`commands`, `documents`, `run`). By hand, each family writes only `impl Credentials for
//! generated::<family>::Family` (in `src/family_credentials.rs`): where its credentials come from and
//! its own flags. A new operation touches neither; a new family needs its `Credentials`.

use std::future::Future;

use clap::{ArgMatches, Command};
use heck::ToUpperCamelCase;
use idtok_client::{CallError, RecordOptions};
use idtok_runtime::endpoint::{Endpoint, Service};

use crate::failure::Failure;
use crate::output::{DocumentInfo, Output};

/// What `cargo xtask gen` writes for a family, from its document.
pub trait Generated: Sized + 'static {
    /// The subcommand (`eiam-developerapi`).
    const NAME: &'static str;
    /// The document's title and API version, for the family's `--help`.
    const TITLE: &'static str;
    /// Where its regions and hosts are (`idtok_runtime::endpoint`).
    const SERVICE: Service;
    /// The document and its API version, for `--version`.
    const DOCUMENT: DocumentInfo;
    const TABLES: &'static [crate::output::Table];
    const REQUEST_BODIES: &'static [crate::body::RequestBody];
    const STRUCTURED_PARAMETERS: &'static [crate::body::StructuredParameter];
    const PAGINATED: &'static [crate::paging::Paginated];
    const IDEMPOTENCY_TOKENS: &'static [crate::body::IdempotencyToken];
    const PARAMETER_LIMITS: &'static [crate::values::ParameterLimits];
    const EXAMPLES: &'static [crate::help::Example];
    /// progenitor's snake_case id of each operation, and its operationId.
    const OPERATION_IDS: &'static [(&'static str, &'static str)];

    /// The family's client, and what its hooks need (credentials, retries, timeouts).
    type Client;
    type Context: WithCallSettings;
    /// The family's error body, as the generated client returns it.
    type ErrorBody: serde::Serialize + Send + Sync + std::fmt::Debug + 'static;
    /// progenitor's `CliCommand`: one per operation.
    type Command: Copy + Send + 'static;

    fn commands() -> Vec<Self::Command>;
    /// progenitor's snake_case id of the operation.
    fn operation_id(command: Self::Command) -> &'static str;
    /// progenitor's clap command of the operation: its parameters' flags and help.
    fn clap_command(command: Self::Command) -> Command;
    fn client(endpoint: &Endpoint, context: Self::Context) -> Result<Self::Client, Failure>;
    /// Runs the operation through progenitor's CLI and idtok's hooks (`CliConfig for Output`).
    fn execute(
        client: Self::Client,
        output: Output,
        command: Self::Command,
        matches: &ArgMatches,
    ) -> impl Future<Output = anyhow::Result<()>> + '_;
}

/// What a family writes by hand: its credentials, and any flag of its own.
pub trait Credentials: Generated {
    /// Where credentials come from, for the family's `--help`.
    const HELP: &'static str;

    /// The family's own flags, added to each of its operations.
    fn args(command: Command) -> Command {
        command
    }

    /// The client context of a call: its credentials.
    fn context(
        endpoint: &Endpoint,
        matches: &ArgMatches,
    ) -> impl Future<Output = Result<Self::Context, Failure>>;
}

/// A client context that takes the global flags' retry policy and timeouts.
pub trait WithCallSettings {
    fn with_call_settings(self, matches: &ArgMatches) -> Self;
}

impl<C: 'static> WithCallSettings for idtok_client::ClientContext<C> {
    fn with_call_settings(self, matches: &ArgMatches) -> Self {
        let (retry, timeouts) = crate::flags::call_settings(matches);
        self.with_retry_policy(retry).with_timeouts(timeouts)
    }
}

/// The operation as the document (and the vendor) names it: `AssumeRoleWithOIDC`, which the upper
/// camel case of progenitor's `assume_role_with_oidc` is not. The generated tables are keyed by it.
fn operation_name<F: Generated>(command: F::Command) -> String {
    let id = F::operation_id(command);
    F::OPERATION_IDS
        .iter()
        .find(|(cli_id, _)| *cli_id == id)
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_else(|| id.to_upper_camel_case())
}

/// The operation's subcommand name: progenitor's snake_case id in kebab case
/// (`list_application_tokens` is `list-application-tokens`).
fn cli_name(id: &str) -> String {
    id.replace('_', "-")
}

/// Whether `name` is [`cli_name`] of `id`, without building it: every run compares the name it
/// was given with each of the family's operations.
fn is_cli_name(id: &str, name: &str) -> bool {
    id.len() == name.len()
        && id
            .bytes()
            .zip(name.bytes())
            .all(|(i, n)| i == n || (i == b'_' && n == b'-'))
}

/// The family's subcommand, with a subcommand per operation. With `only` (a family and one of
/// its operations, as the command line names them), only that operation is there: the family's
/// other operations, and every operation of another family, are left out.
pub fn command<F: Credentials>(only: Option<(&str, &str)>) -> Command {
    let mut family = Command::new(F::NAME)
        .about(format!("{}. {}", F::TITLE, F::HELP))
        .subcommand_required(true)
        .arg_required_else_help(true);
    let only = match only {
        Some((name, _)) if name != F::NAME => return family,
        Some((_, operation)) => Some(operation),
        None => None,
    };
    for operation in F::commands() {
        let id = F::operation_id(operation);
        // What does not parse to the named operation is parsed again over the whole tree (`parse`
        // in main.rs), so the others need not be in the narrow one; each one there was built
        // (global flags copied in, checked) on every run.
        if only.is_some_and(|only| !is_cli_name(id, only)) {
            continue;
        }
        let name = cli_name(id);
        let id = operation_name::<F>(operation);
        let mut command = F::clap_command(operation).name(name);
        command = crate::body::parameter_args(command, F::STRUCTURED_PARAMETERS, &id);
        command = crate::values::parameter_args(command, F::PARAMETER_LIMITS, &id);
        command = crate::body::idempotency_token_args(command, F::IDEMPOTENCY_TOKENS, &id);
        command = crate::help::mark_required(command);
        command = crate::body::parameter_template_args(command, F::STRUCTURED_PARAMETERS, &id);
        if let Some(body) = crate::body::of(F::REQUEST_BODIES, &id) {
            command = crate::body::args(command, body);
            command = crate::help::mark_required_body_fields(command, body);
        }
        if let Some(paged) = F::PAGINATED.iter().find(|p| p.operation == id) {
            command = crate::paging::args(command, paged);
        }
        command = crate::help::with_examples(command, F::NAME, &id, F::EXAMPLES);
        command = crate::secret_input::documented(command);
        family = family.subcommand(F::args(crate::summary_and_description(command)));
    }
    family
}

/// Runs the operation `matches` names: its template, its dry run, or the call, with the answer
/// printed as the service sent it and a failure described once.
pub async fn run<F: Credentials>(matches: &ArgMatches) -> Result<(), Failure> {
    let (name, operation_matches) = matches
        .subcommand()
        .ok_or_else(|| Failure::usage("no operation given"))?;
    let operation = F::commands()
        .into_iter()
        .find(|c| is_cli_name(F::operation_id(*c), name))
        .ok_or_else(|| Failure::usage(format!("unknown operation {name}")))?;
    let operation_name = operation_name::<F>(operation);
    let mut output = crate::flags::output(operation_matches);
    output.table = F::TABLES.iter().find(|t| t.operation == operation_name);
    if let Some(template) =
        crate::body::template(F::REQUEST_BODIES, &operation_name, operation_matches).or_else(|| {
            crate::body::parameter_template(
                F::STRUCTURED_PARAMETERS,
                &operation_name,
                operation_matches,
            )
        })
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
    let endpoint = &crate::settings::endpoint(F::SERVICE, operation_matches)?;
    let context = F::context(endpoint, operation_matches)
        .await?
        .with_call_settings(operation_matches);
    let client = F::client(endpoint, context)?;
    let options = RecordOptions {
        keep_answer: true,
        dry_run: crate::flags::switch(operation_matches, "dry-run"),
    };
    let (result, record) = idtok_client::record(
        options,
        F::execute(client, output.clone(), operation, operation_matches),
    )
    .await;
    let error = match result {
        Ok(()) => {
            if let Some(answer) = record.answer.as_ref().filter(|a| !a.is_empty()) {
                return crate::print_answer(&output, answer.expose_secret());
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
        Err(error) => match error.downcast::<progenitor_client::Error<F::ErrorBody>>() {
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
        let body = crate::body::of(F::REQUEST_BODIES, &operation_name);
        return crate::dry_run::print(&output, unsent, body).map_err(Failure::usage);
    }
    Err(crate::failure_keeping_answer(error, &output))
}
