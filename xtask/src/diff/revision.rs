//! The two sides of `cargo xtask diff <rev>`: a document at a git revision, read from git's
//! object store (nothing is checked out), and the same document in the working tree.

use std::io;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use super::{compare, Change, Kind, Severity};
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

/// The document at `commit`, or None when it does not exist there.
pub(super) fn old_text(
    root: &Path,
    rev: &str,
    commit: &str,
    path: &str,
) -> Result<Option<String>, String> {
    // `ls-tree` tells "no such path" (empty output, success) apart from a failure; paths are
    // relative to `-C root`, which also holds when the workspace is a subdirectory of the repository.
    let listing = git(
        root,
        &["--literal-pathspecs", "ls-tree", "-z", commit, "--", path],
    )?;
    if !listing.status.success() {
        return Err(format!("cannot list {rev}:{path}: {}", stderr_of(&listing)));
    }
    let listing = String::from_utf8_lossy(&listing.stdout);
    let Some(entry) = listing.split('\0').find(|e| !e.is_empty()) else {
        return Ok(None);
    };
    // `<mode> SP <type> SP <object> TAB <path>`
    let mut fields = entry.split(['\t', ' ']);
    let (kind, object) = (fields.nth(1), fields.next());
    let (Some("blob"), Some(object)) = (kind, object) else {
        return Err(format!("{rev}:{path} is not a file"));
    };
    let blob = git(root, &["cat-file", "blob", object])?;
    if !blob.status.success() {
        return Err(format!("cannot read {rev}:{path}: {}", stderr_of(&blob)));
    }
    String::from_utf8(blob.stdout)
        .map(Some)
        .map_err(|_| format!("{rev}:{path} is not UTF-8"))
}

/// The changes of one document; None when it exists on neither side.
pub(super) fn document_changes(
    root: &Path,
    rev: &str,
    commit: &str,
    path: &str,
) -> Result<Option<Vec<Change>>, String> {
    let old = old_text(root, rev, commit, path)?;
    let new = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {path} (working tree): {e}")),
    };
    let parse = |text: &str, side: &str| {
        serde_yaml::from_str::<Value>(text).map_err(|e| format!("cannot parse {side}: {e}"))
    };
    let old_side = format!("{rev}:{path}");
    let new_side = format!("{path} (working tree)");
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
            parse(&new, &new_side)?;
            Some(vec![change(Severity::NonBreaking, "document added")])
        }
        (Some(_), None) => Some(vec![change(Severity::Breaking, "document removed")]),
        (Some(old), Some(new)) => {
            let old = parse(&old, &old_side)?;
            let new = parse(&new, &new_side)?;
            Some(compare(&old, &new))
        }
    })
}
