//! `--all`: every page of a paged operation (one the document marks `x-paginated`), printed as
//! JSON lines as the pages arrive.

use std::fmt;
use std::io::{BufWriter, ErrorKind, Write};

use futures::{Stream, TryStreamExt};
use idtok_client::CallError;

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

/// Drives `items` to the end from a synchronous hook, printing each as one line of JSON. Returns
/// [`Streamed`], or the call's [`CallError`] (items printed before it stay printed), or why
/// stdout could not be written.
pub fn print_all<T: serde::Serialize>(
    items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Error {
    let handle = tokio::runtime::Handle::current();
    match tokio::task::block_in_place(|| handle.block_on(write_lines(items))) {
        Ok(()) => anyhow::Error::new(Streamed),
        Err(error) => error,
    }
}

async fn write_lines<T: serde::Serialize>(
    mut items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    while let Some(item) = items.try_next().await.map_err(anyhow::Error::new)? {
        let written = serde_json::to_writer(&mut out, &item)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n"));
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
