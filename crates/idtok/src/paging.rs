//! `--all`: every page of a paged operation (one the document marks `x-paginated`), printed as
//! JSON lines (or YAML documents) as the pages arrive; collected for a table, text or a `--query`.
//!
//! The items printed are the ones the server sent, as it sent them: the generated stream drives
//! the paging (tokens or page numbers, retries, loop detection) and decodes each page, and each
//! page's body as received (`idtok_client::take_answer`) gives the items' text, keys in the
//! server's order, numbers as written, unknown fields included.

use std::fmt;
use std::io::{BufWriter, ErrorKind, Write};

use futures::{Stream, TryStreamExt};
use idtok_client::CallError;
use serde_json::value::RawValue;

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
    crate::flags::switch(matches, ALL)
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

/// Drives `items` to the end from a synchronous hook, printing each item as one line of JSON (one
/// YAML document with `--output yaml`) as its page arrives. With `--output table` or `text` or a
/// `--query`, every item is collected and the whole list printed at the end (a table needs every
/// row for its widths, a query sees the whole list); if a page fails, what the server sent for
/// the pages before it is printed as JSON lines instead, never a table or a query's result that
/// would look like a complete (perhaps empty) list. Returns [`Streamed`], or the call's
/// [`CallError`] (items printed before it stay printed), or why stdout could not be written.
pub fn print_all<T: serde::Serialize>(
    output: &Output,
    items_field: &str,
    items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Error {
    let handle = tokio::runtime::Handle::current();
    let mut pages = Pages::new(items_field);
    let result = tokio::task::block_in_place(|| {
        handle.block_on(async {
            if output.query.is_some() || matches!(output.format, Format::Table | Format::Text) {
                collect(output, &mut pages, items).await
            } else {
                write_lines(output.format, &mut pages, items).await
            }
        })
    });
    match result {
        Ok(()) => anyhow::Error::new(Streamed),
        Err(error) => error,
    }
}

/// The items of each page as the server sent them, page by page, beside the stream's decoded ones.
struct Pages<'a> {
    items_field: &'a str,
    /// Items of pages already handed out as text whose decoded twins have not come by yet.
    ahead: usize,
}

impl<'a> Pages<'a> {
    fn new(items_field: &'a str) -> Self {
        Self {
            items_field,
            ahead: 0,
        }
    }

    /// What to print now that the stream handed out `item`: the items of a page that has just
    /// arrived, as received; nothing while the rest of that page's items come by; the decoded
    /// item, as JSON, if a page's text could not be had.
    fn on_item<T: serde::Serialize>(&mut self, item: &T) -> anyhow::Result<Vec<String>> {
        let mut out = self.on_end();
        self.ahead += out.len();
        if self.ahead > 0 {
            self.ahead -= 1;
        } else {
            out.push(
                serde_json::to_string(item)
                    .map_err(|e| anyhow::anyhow!("cannot print an item: {e}"))?,
            );
        }
        Ok(out)
    }

    /// The items of a page that arrived since the last one was taken (the last page, at the end of
    /// the stream; it is usually empty).
    fn on_end(&mut self) -> Vec<String> {
        let Some(page) = idtok_client::take_answer() else {
            return Vec::new();
        };
        raw_items(page.expose_secret(), self.items_field).unwrap_or_default()
    }
}

/// The items of a page's body (the array at `field`), each as the text the server sent, or `None`
/// if the body does not have that shape (then the decoded items are printed).
fn raw_items(body: &[u8], field: &str) -> Option<Vec<String>> {
    let page: std::collections::HashMap<String, &RawValue> = serde_json::from_slice(body).ok()?;
    let Some(items) = page.get(field) else {
        return Some(Vec::new());
    };
    let items: Option<Vec<&RawValue>> = serde_json::from_str(items.get()).ok()?;
    Some(
        items
            .unwrap_or_default()
            .into_iter()
            .map(|item| item.get().to_owned())
            .collect(),
    )
}

async fn collect<T: serde::Serialize>(
    output: &Output,
    pages: &mut Pages<'_>,
    mut items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Result<()> {
    let mut list: Vec<String> = Vec::new();
    let failure = loop {
        match items.try_next().await {
            Ok(Some(item)) => match pages.on_item(&item) {
                Ok(texts) => list.extend(texts),
                Err(e) => break Some(e),
            },
            Ok(None) => {
                list.extend(pages.on_end());
                break None;
            }
            Err(error) => break Some(anyhow::Error::new(error)),
        }
    };
    if let Some(failure) = failure {
        // What the pages before the failure brought, as received: a script must not read a
        // rendered (and perhaps empty) list as the whole of it.
        let mut out = std::io::stdout().lock();
        for text in &list {
            let _ = out.write_all(&crate::output::layout(text.as_bytes(), true));
        }
        let _ = out.flush();
        return Err(failure);
    }
    let values = list
        .iter()
        .map(|text| crate::output::ordered(text.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("cannot print an item: {e}"))?;
    output
        .print(crate::output::Ordered::Sequence(values), true)
        .map_err(|message| anyhow::Error::new(Unprintable(message)))
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
    pages: &mut Pages<'_>,
    mut items: impl Stream<Item = Result<T, CallError>> + Unpin,
) -> anyhow::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    loop {
        let (texts, end) = match items.try_next().await.map_err(anyhow::Error::new)? {
            Some(item) => (pages.on_item(&item)?, false),
            None => (pages.on_end(), true),
        };
        for text in &texts {
            let written = match format {
                Format::Yaml => crate::output::ordered(text.as_bytes())
                    .and_then(|value| serde_yaml::to_string(&value).map_err(|e| e.to_string()))
                    .map_err(std::io::Error::other)
                    .and_then(|yaml| {
                        out.write_all(b"---\n")
                            .and_then(|()| out.write_all(yaml.as_bytes()))
                    }),
                _ => out.write_all(&crate::output::layout(text.as_bytes(), true)),
            };
            match written {
                Ok(()) => {}
                // A closed stdout (`idtok ... --all | head`) ends the listing, not with an error.
                Err(e) if e.kind() == ErrorKind::BrokenPipe => return Ok(()),
                Err(e) => return Err(anyhow::anyhow!("cannot write to stdout: {e}")),
            }
        }
        if end {
            break;
        }
    }
    match out.flush() {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(anyhow::anyhow!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}
