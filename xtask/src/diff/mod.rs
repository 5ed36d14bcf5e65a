//! `cargo xtask diff <git-rev> [--allow-breaking]`: the changelog between the documents at a revision and the working tree.
//!
//! For every document of [`FAMILIES`], the version at `<git-rev>` (read from git's object store:
//! nothing is checked out) is compared with the working tree, and each difference is printed, per
//! document, as breaking or non-breaking. A document missing at the revision is one non-breaking
//! "document added"; one missing from the working tree, a breaking "document removed". The command fails when something is breaking, unless
//! `--allow-breaking` says that it is intended.
//!
//! "Breaking" means: a caller of the API, or Rust code written against the generated crates, can
//! stop working. Operations are matched by `operationId` (else by `METHOD path`; a changed
//! `operationId` on the same method and path is a rename), parameters by `in` + `name`, responses by
//! status code, media types by name. Internal `$ref`s are followed on each side, so a change inside a
//! component schema is reported at every operation that uses it, as a field path
//! (`ApplicationTokens[].Status`). The rules in brief:
//!
//! - Breaking: an operation removed, moved (method, path) or renamed; its `x-acs-rpc` (what is sent
//!   on the wire) changed; a parameter removed, added as required or made required; a request body
//!   removed, added as required or made required; a 2xx response or a media type removed; in any
//!   schema a `type` or `format` change, an enum value removed or an enum added, a property removed;
//!   a property that became required (request) or optional (response); `nullable` given up (request)
//!   or taken on (response); any change under `allOf`/`oneOf`/`anyOf`/`not`, which this tool cannot
//!   judge; a component schema removed (its generated Rust type goes away); the effective `security`
//!   of an operation changed, unless it became `[]`.
//! - Non-breaking: everything added that nobody has to send; error responses removed; annotations
//!   (description, summary, title, example(s), deprecated), `info`, `servers`, `tags`, other keywords
//!   (`pattern`, `maximum`, ...) and other `x-` extensions.
//!
//! Nothing that differs goes unreported: a difference no rule names is listed as non-breaking
//! "`<pointer>` changed", and component entries that no operation led to are compared on their
//! own (a component schema then counts as breaking whichever way its Rust type changes).

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use crate::families::FAMILIES;
use crate::git;

mod bodies;
mod differ;
mod document;
mod operations;
mod parameters;
mod revision;
mod schemas;
mod security;

use differ::Differ;
use revision::{document_changes, resolve_commit};

/// `cargo xtask diff <rev> [--allow-breaking]` run at workspace `root`. Writes the changelog to `out`,
/// problems to `err`. Returns whether the command succeeded: false on breaking changes without
/// `allow_breaking`, and false (with a clear message on `err`) when the revision or a document cannot be read.
pub fn command(
    root: &Path,
    rev: &str,
    allow_breaking: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    // Passed to git as one argument, but git would still take `-...` as an option.
    if rev.is_empty() || rev.starts_with('-') {
        writeln!(
            err,
            "cargo xtask diff: `{rev}` is not a revision (it must not be empty or start with `-`)"
        )?;
        return Ok(false);
    }
    let commit = match resolve_commit(root, rev) {
        Ok(commit) => commit,
        Err(message) => {
            writeln!(err, "cargo xtask diff: {message}")?;
            return Ok(false);
        }
    };
    let short = git(root, &["rev-parse", "--short", &commit])
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|short| !short.is_empty())
        .unwrap_or_else(|| commit.chars().take(12).collect());

    let mut readable = true;
    let (mut breaking, mut non_breaking, mut documents) = (0, 0, 0);
    for family in FAMILIES {
        let path = family.document;
        let header = if commit.starts_with(rev) {
            format!("{path} against {short}")
        } else {
            format!("{path} against {rev} ({short})")
        };
        let changes = match document_changes(root, rev, &commit, path) {
            Ok(Some(changes)) => changes,
            Ok(None) => {
                writeln!(
                    out,
                    "{header}: absent at the revision and in the working tree"
                )?;
                continue;
            }
            Err(message) => {
                writeln!(err, "cargo xtask diff: {message}")?;
                writeln!(out, "{header}: not compared (see the error)")?;
                readable = false;
                continue;
            }
        };
        documents += 1;
        if changes.is_empty() {
            writeln!(out, "{header}: no changes")?;
            continue;
        }
        writeln!(out, "{header}:")?;
        for (severity, title) in [
            (Severity::Breaking, "breaking"),
            (Severity::NonBreaking, "non-breaking"),
        ] {
            let group: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
            if group.is_empty() {
                continue;
            }
            writeln!(out, "  {title} ({}):", group.len())?;
            for change in &group {
                writeln!(out, "    - {}: {}", change.location, change.message)?;
            }
            match severity {
                Severity::Breaking => breaking += group.len(),
                Severity::NonBreaking => non_breaking += group.len(),
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{breaking} breaking, {non_breaking} non-breaking change(s) in {documents} document{}",
        if documents == 1 { "" } else { "s" }
    )?;
    if breaking > 0 && !allow_breaking {
        writeln!(
            err,
            "cargo xtask diff: {breaking} breaking change(s) against {rev}; if they are intended, pass --allow-breaking"
        )?;
        return Ok(false);
    }
    Ok(readable)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    NonBreaking,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    /// Where: the operationId (or "components.schemas.X", "info", "servers", "security") ...
    pub location: String,
    /// What, in one sentence a reviewer understands, e.g. "query parameter `PageSize` removed",
    /// "response 200 field `ApplicationTokens[].Status`: enum value `deleted` removed (enum narrowed)".
    pub message: String,
}

/// Every change from `old` to `new` (both whole OpenAPI 3.0 documents as serde_json::Value), in a stable order.
///
/// The order: breaking first; within each, document-level keys, then operations by key, then path
/// items, then components, each in the order of the walk (which is sorted, as serde_json maps are).
pub fn compare(old: &serde_json::Value, new: &serde_json::Value) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        active: HashSet::new(),
        covered: HashSet::new(),
    };
    differ.document();
    // Two ways to one difference (a `$ref` sibling and its target, say) may word it alike.
    let mut seen = HashSet::new();
    let mut changes: Vec<Change> = differ
        .changes
        .into_iter()
        .filter(|c| {
            seen.insert((
                c.severity == Severity::Breaking,
                c.location.clone(),
                c.message.clone(),
            ))
        })
        .collect();
    changes.sort_by_key(|c| c.severity); // stable: keeps the walk order within each group
    changes
}
