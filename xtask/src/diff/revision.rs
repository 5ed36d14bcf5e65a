//! The two sides of `cargo xtask diff <rev>`: a document at a git revision, read from git's
//! object store (nothing is checked out), and the same document in the working tree.

use std::path::Path;
use std::process::Output;

use super::{compare, Change, Kind, Severity};
use crate::document::{Document, GitRevision, Part, WorkingTree};
use crate::families::Family;
use crate::git;

pub(super) fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

/// The full commit id `rev` names.
pub(super) fn resolve_commit(root: &Path, rev: &str) -> Result<String, String> {
    let output = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )?;
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
    if output.status.success() && !commit.is_empty() {
        return Ok(commit);
    }
    // Not a repository at all (or git failing): say it as git says it.
    let repository = git(root, &["rev-parse", "--git-dir"])?;
    if !repository.status.success() {
        return Err(format!(
            "{} is not in a git repository: {}",
            root.display(),
            stderr_of(&repository)
        ));
    }
    // An object that is no commit (a blob, a tree) is worth naming as what it is.
    let kind = git(root, &["cat-file", "-t", rev])?;
    let kind = String::from_utf8_lossy(&kind.stdout).trim().to_string();
    if kind.is_empty() {
        Err(format!("`{rev}` is not a commit in this repository"))
    } else {
        Err(format!(
            "`{rev}` is not a commit in this repository (it names a {kind})"
        ))
    }
}

/// The changes of one family's document; None when it exists on neither side. Each side is
/// the directory `openapi/<stem>/` bundled, or the single file of revisions before the split.
pub(super) fn document_changes(
    root: &Path,
    rev: &str,
    commit: &str,
    family: Family,
) -> Result<Option<Vec<Change>>, String> {
    let at_revision = GitRevision { root, commit };
    let old = Document::read_from(family, &at_revision)
        .map_err(|p| format!("cannot read {rev}:{}: {}", p.document, p.message))?;
    let new = Document::read_from(family, &WorkingTree(root))
        .map_err(|p| format!("cannot read {} (working tree): {}", p.document, p.message))?;
    // Errors name the part at fault as `cannot parse HEAD:<file>` or `cannot parse <file> (working tree)`.
    let parse = |parts: &[Part], revision: Option<&str>| {
        Document::bundle_json(parts).map_err(|(path, e)| match revision {
            Some(rev) => format!("cannot parse {rev}:{path}: {e}"),
            None => format!("cannot parse {path} (working tree): {e}"),
        })
    };
    let (old_side, new_side) = (Some(rev), None);
    let change = |severity, message: &str| Change {
        severity,
        location: "document".to_string(),
        message: message.to_string(),
        kind: Kind::Document,
        pointer: String::new(),
    };
    Ok(match (old, new) {
        (None, None) => None,
        // A whole new family: one line, not every operation in it.
        (None, Some(new)) => {
            parse(&new, new_side)?;
            Some(vec![change(Severity::NonBreaking, "document added")])
        }
        (Some(_), None) => Some(vec![change(Severity::Breaking, "document removed")]),
        (Some(old), Some(new)) => {
            let old = parse(&old, old_side)?;
            let new = parse(&new, new_side)?;
            Some(compare(&old, &new))
        }
    })
}
