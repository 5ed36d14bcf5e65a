//! Captures the commit that last changed the documents (`openapi/`), for `idtok --version`, as
//! `IDTOK_DOCUMENTS_COMMIT`: "unknown" when git or the checkout is not there (a crates.io
//! package has no `.git`). Never fails the build.

use std::path::Path;
use std::process::Command;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let documents = Path::new(&manifest).join("../../openapi");
    let commit = documents_commit(&documents).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=IDTOK_DOCUMENTS_COMMIT={commit}");
    if documents.is_dir() {
        println!("cargo:rerun-if-changed={}", documents.display());
        // A new commit changes HEAD or the branch it names; the documents may not change.
        for file in ["HEAD", "packed-refs"] {
            if let Some(path) = git(&documents, &["rev-parse", "--git-path", file]) {
                let path = documents.join(path);
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
        if let Some(branch) = git(&documents, &["symbolic-ref", "-q", "HEAD"]) {
            if let Some(path) = git(&documents, &["rev-parse", "--git-path", &branch]) {
                let path = documents.join(path);
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}

/// The short hash of the last commit that changed `documents`, `+changes` when they differ from
/// it; None outside a git checkout of the workspace.
fn documents_commit(documents: &Path) -> Option<String> {
    if !documents.is_dir() {
        return None;
    }
    let commit = git(documents, &["log", "-1", "--format=%h", "--", "."])?;
    let changed = Command::new("git")
        .args(["diff", "--quiet", "HEAD", "--", "."])
        .current_dir(documents)
        .status()
        .map(|status| status.code() == Some(1))
        .unwrap_or(false);
    Some(if changed {
        format!("{commit}+changes")
    } else {
        commit
    })
}

/// git's answer in `dir`, trimmed; None if git is missing, fails or says nothing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}
