//! `--all`: every page of a paged operation (one the document marks `x-paginated`), printed as
//! JSON lines (or YAML documents) as the pages arrive; collected for a table or a `--query`.

use std::fmt;
use std::io::{BufWriter, ErrorKind, Write};

use futures::{Stream, TryStreamExt};
use idtok_client::CallError;

use crate::output::{Format, Output};

/// An operation the document marks `x-paginated` (the generated `PAGINATED` of each family).
pub struct Paginated {
    /// The operationId.
    pub operation: &'static str,
    /// The help of `--all`.
    pub help: &'static str,
}

const ALL: &str = "all";

/// Adds `--all` to a paged operation's command.
pub fn args(command: clap::Command, paginated: &Paginated) -> clap::Command {
    command.arg(
        clap::Arg::new(ALL)
            .long(ALL)
            .action(clap::ArgAction::SetTrue)
            .help(paginated.help),
    )
}

/// Whether `--all` was given.
pub fn all(matches: &clap::ArgMatches) -> bool {
    crate::flag(matches, ALL)
}

/// Stands for "every page was printed": the generated CLI's hook returns it as an error so that
/// the single request the CLI would send next is not sent.
#[derive(Debug)]
pub struct Streamed;

impl fmt::Display for Streamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("every page was printed")
    }
}

impl std::error::Error for Streamed {}

/// Drives `items` to the end from a synchronous hook, printing each as one line of JSON (one YAML
/// document with `--output yaml`) as it arrives; with `--output table` or `--query`, every item
/// is collected and the list printed at the end (a table needs every row for its widths, a query
/// sees the whole list), items collected before a failure included. Returns [`Streamed`], or the
/// call's [`CallError`] (items printed before it stay printed), or why stdout could not be
/// written.
pub fn print_all<T: serde::Serialize>(
    output: &Output,
    items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Error {
    let handle = tokio::runtime::Handle::current();
    let result = tokio::task::block_in_place(|| {
        handle.block_on(async {
            if output.query.is_some() || output.format == Format::Table {
                collect(output, items).await
            } else {
                write_lines(output.format, items).await
            }
        })
    });
    match result {
        Ok(()) => anyhow::Error::new(Streamed),
        Err(error) => error,
    }
}

async fn collect<T: serde::Serialize>(
    output: &Output,
    mut items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Result<()> {
    let mut list = Vec::new();
    let failure = loop {
        match items.try_next().await {
            Ok(Some(item)) => match serde_json::to_value(&item) {
                Ok(value) => list.push(value),
                Err(e) => break Some(anyhow::anyhow!("cannot print an item: {e}")),
            },
            Ok(None) => break None,
            Err(error) => break Some(anyhow::Error::new(error)),
        }
    };
    let printed = output.print_value(serde_json::Value::Array(list), true);
    match (failure, printed) {
        (Some(failure), _) => Err(failure),
        (None, Err(message)) => Err(anyhow::Error::new(crate::paging::Unprintable(message))),
        (None, Ok(())) => Ok(()),
    }
}

/// The items could not be printed as asked (a `--query` that fails on them): a usage error.
#[derive(Debug)]
pub struct Unprintable(pub String);

impl fmt::Display for Unprintable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unprintable {}

async fn write_lines<T: serde::Serialize>(
    format: Format,
    mut items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    while let Some(item) = items.try_next().await.map_err(anyhow::Error::new)? {
        let written = match format {
            Format::Yaml => serde_yaml::to_string(&item)
                .map_err(std::io::Error::other)
                .and_then(|text| {
                    out.write_all(b"---\n")
                        .and_then(|()| out.write_all(text.as_bytes()))
                }),
            _ => serde_json::to_writer(&mut out, &item)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n")),
        };
        match written {
            Ok(()) => {}
            // A closed stdout (`idtok ... --all | head`) ends the listing, not with an error.
            Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(anyhow::anyhow!("cannot write to stdout: {e}")),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(anyhow::anyhow!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}
