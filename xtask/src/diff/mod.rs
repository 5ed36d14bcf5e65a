//! `cargo xtask diff <git-rev> | <old-file> <new-file> [--allow-breaking] [--format text|json]`:
//! the changelog between the documents at a revision and the working tree, or between two files.
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
//!   of an operation changed, unless it became `[]`; a server removed, or a value of a server
//!   variable (a region) removed.
//! - Non-breaking: everything added that nobody has to send; error responses removed; annotations
//!   (description, summary, title, example(s), deprecated), `info`, servers and regions added,
//!   a server variable's default, `tags`, other keywords
//!   (`pattern`, `maximum`, ...) and other `x-` extensions.
//!
//! Nothing that differs goes unreported: a difference no rule names is listed as non-breaking
//! "`<pointer>` changed", and component entries that no operation led to are compared on their
//! own (a component schema then counts as breaking whichever way its Rust type changes).
//!
//! With `--format json` the changelog is one JSON object (the README documents its fields), and
//! each change says its `kind` ([`Kind`]) and the JSON `pointer` it is listed under.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::families::FAMILIES;
use crate::git;

mod bodies;
mod differ;
mod document;
mod operations;
mod parameters;
mod report;
mod revision;
mod schemas;
mod security;
mod servers;

use differ::Differ;
use revision::{document_changes, resolve_commit};

/// What `cargo xtask diff` compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// Every document of [`FAMILIES`] at a git revision with the working tree.
    Revision(String),
    /// Any two OpenAPI documents (YAML or JSON), old and new.
    Files { old: PathBuf, new: PathBuf },
}

/// How the changelog is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people: per document, breaking first, and a summary line.
    #[default]
    Text,
    /// For machines: one JSON object (see the README, "Reviewing a spec change").
    Json,
}

/// The arguments of `cargo xtask diff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub against: Against,
    pub allow_breaking: bool,
    pub format: Format,
}

impl Options {
    /// `<git-rev> | <old-file> <new-file>`, `--allow-breaking`, `--format text|json`, in any
    /// order. None when they make no sense (the caller prints the usage).
    pub fn parse(args: &[&str]) -> Option<Options> {
        let (mut allow_breaking, mut format, mut positional) = (false, Format::Text, Vec::new());
        let mut args = args.iter();
        while let Some(&arg) = args.next() {
            let value = match arg {
                "--allow-breaking" => {
                    allow_breaking = true;
                    continue;
                }
                "--format" => *args.next()?,
                _ => match arg.strip_prefix("--format=") {
                    Some(value) => value,
                    None if arg.starts_with('-') => return None,
                    None => {
                        positional.push(arg);
                        continue;
                    }
                },
            };
            format = match value {
                "text" => Format::Text,
                "json" => Format::Json,
                _ => return None,
            };
        }
        let against = match positional.as_slice() {
            [rev] => Against::Revision(rev.to_string()),
            [old, new] => Against::Files {
                old: PathBuf::from(old),
                new: PathBuf::from(new),
            },
            _ => return None,
        };
        Some(Options {
            against,
            allow_breaking,
            format,
        })
    }
}

/// `cargo xtask diff <rev> [--allow-breaking]` run at workspace `root`, as text. Writes the changelog to `out`,
/// problems to `err`. Returns whether the command succeeded: false on breaking changes without
/// `allow_breaking`, and false (with a clear message on `err`) when the revision or a document cannot be read.
pub fn command(
    root: &Path,
    rev: &str,
    allow_breaking: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    let options = Options {
        against: Against::Revision(rev.to_string()),
        allow_breaking,
        format: Format::Text,
    };
    run(root, &options, out, err)
}

/// `cargo xtask diff` with any [`Options`]: the changelog to `out` in the chosen format, problems
/// to `err` (always as text). Returns whether the command succeeded, as [`command`] does.
pub fn run(
    root: &Path,
    options: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<bool> {
    let comparison = match &options.against {
        Against::Revision(rev) => match against_revision(root, rev) {
            Ok(comparison) => comparison,
            Err(message) => {
                writeln!(err, "cargo xtask diff: {message}")?;
                return Ok(false);
            }
        },
        Against::Files { old, new } => files(old, new),
    };
    for message in comparison
        .documents
        .iter()
        .filter_map(|d| match &d.outcome {
            Outcome::Unreadable(message) => Some(message),
            _ => None,
        })
    {
        writeln!(err, "cargo xtask diff: {message}")?;
    }
    match options.format {
        Format::Text => report::text(&comparison, out)?,
        Format::Json => report::json(&comparison, out)?,
    }
    let breaking = comparison.count(Severity::Breaking);
    if breaking > 0 && !options.allow_breaking {
        writeln!(
            err,
            "cargo xtask diff: {breaking} breaking change(s) against {}; if they are intended, pass --allow-breaking",
            comparison.against
        )?;
        return Ok(false);
    }
    Ok(comparison
        .documents
        .iter()
        .all(|d| !matches!(d.outcome, Outcome::Unreadable(_))))
}

/// What one run compared, and what came of each document.
pub(crate) struct Comparison {
    /// The old side as the user named it: the revision, or the old file.
    against: String,
    /// The commit the revision names (full and short), for a revision.
    commit: Option<(String, String)>,
    documents: Vec<DocumentResult>,
}

impl Comparison {
    fn count(&self, severity: Severity) -> usize {
        self.documents
            .iter()
            .filter_map(|d| match &d.outcome {
                Outcome::Compared(changes) => Some(changes),
                _ => None,
            })
            .flatten()
            .filter(|c| c.severity == severity)
            .count()
    }
}

struct DocumentResult {
    /// The document in the working tree, or the new file.
    document: String,
    /// How the text changelog names the comparison: "openapi/x.yaml against HEAD (d4887e7)".
    header: String,
    outcome: Outcome,
}

enum Outcome {
    Compared(Vec<Change>),
    /// On neither side.
    Absent,
    /// A side could not be read or parsed: the message says which.
    Unreadable(String),
}

fn against_revision(root: &Path, rev: &str) -> Result<Comparison, String> {
    // Passed to git as one argument, but git would still take `-...` as an option.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "`{rev}` is not a revision (it must not be empty or start with `-`)"
        ));
    }
    let commit = resolve_commit(root, rev)?;
    let short = git(root, &["rev-parse", "--short", &commit])
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|short| !short.is_empty())
        .unwrap_or_else(|| commit.chars().take(12).collect());
    let documents = FAMILIES
        .iter()
        .map(|family| {
            // The directory once the document is split, the single file before.
            let path = if root.join(family.directory()).is_dir() {
                family.directory()
            } else {
                family.document
            };
            let header = if commit.starts_with(rev) {
                format!("{path} against {short}")
            } else {
                format!("{path} against {rev} ({short})")
            };
            let outcome = match document_changes(root, rev, &commit, *family) {
                Ok(Some(changes)) => Outcome::Compared(changes),
                Ok(None) => Outcome::Absent,
                Err(message) => Outcome::Unreadable(message),
            };
            DocumentResult {
                document: path.to_string(),
                header,
                outcome,
            }
        })
        .collect();
    Ok(Comparison {
        against: rev.to_string(),
        commit: Some((commit, short)),
        documents,
    })
}

fn files(old: &Path, new: &Path) -> Comparison {
    let (old_name, new_name) = (old.display().to_string(), new.display().to_string());
    let read = |path: &Path, name: &str| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {name}: {e}"))?;
        serde_yaml::from_str(&text).map_err(|e| format!("cannot parse {name}: {e}"))
    };
    let outcome = match (read(old, &old_name), read(new, &new_name)) {
        (Ok(o), Ok(n)) => Outcome::Compared(compare(&o, &n)),
        (Err(message), _) | (_, Err(message)) => Outcome::Unreadable(message),
    };
    Comparison {
        documents: vec![DocumentResult {
            header: format!("{new_name} against {old_name}"),
            document: new_name,
            outcome,
        }],
        against: old_name,
        commit: None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Breaking,
    NonBreaking,
}

impl Severity {
    /// `breaking` or `non-breaking`: the `level` of a change in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::NonBreaking => "non-breaking",
        }
    }
}

/// What part of a document a change is in: the `kind` of a change in the JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The document itself (added, removed), `openapi`, `info`, `externalDocs`, other top-level keys.
    Document,
    /// A server: its URL, its variables (a region is a value of one).
    Server,
    /// A tag of the document.
    Tag,
    /// Security requirements (of the document or an operation) and security schemes.
    Security,
    /// An operation as a whole: added, removed, moved, renamed, `x-acs-rpc`, its annotations.
    Operation,
    /// A parameter of an operation.
    Parameter,
    /// The request body of an operation.
    RequestBody,
    /// A response of an operation.
    Response,
    /// A schema, wherever it sits (a parameter's, a body's, a field's, a component's).
    Schema,
    /// A path item besides its operations.
    PathItem,
    /// A component other than a schema or a security scheme.
    Component,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Server => "server",
            Kind::Tag => "tag",
            Kind::Security => "security",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request-body",
            Kind::Response => "response",
            Kind::Schema => "schema",
            Kind::PathItem => "path-item",
            Kind::Component => "component",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub severity: Severity,
    /// Where: the operationId (or "components.schemas.X", "info", "servers", "security") ...
    pub location: String,
    /// What, in one sentence a reviewer understands, e.g. "query parameter `PageSize` removed",
    /// "response 200 field `ApplicationTokens[].Status`: enum value `deleted` removed (enum narrowed)".
    pub message: String,
    /// What part of the document it is in.
    pub kind: Kind,
    /// Where it is listed, as a JSON pointer (RFC 6901) into the new document (the old one for
    /// what was removed): the operation (`/paths/~1v1~1tokens/get`), path item, component or
    /// top-level key (`/servers`); `""` for the document as a whole.
    pub pointer: String,
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
        kind: Kind::Document,
        pointers: HashMap::new(),
        unchanged_refs: HashMap::new(),
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
