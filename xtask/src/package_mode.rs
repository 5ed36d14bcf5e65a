//! `cargo xtask package-mode`: whether CI builds every published crate from its `.crate`.
//!
//! Verifying the packages (`cargo package`, each crate compiled from its `.crate` against the
//! others') is most of a CI run's time and checks what only a release needs: that what crates.io
//! would get builds. It is done when that can have changed in a way the cheaper checks miss: on a
//! release tag, and in a commit that changes a published crate's version (the change that bumps
//! a crate is the one that prepares its release). Every other commit has its packages listed and
//! written without compiling them (`cargo package --no-verify`: manifests, path dependencies with
//! versions, the files each `.crate` holds), and `xtask/tests/packaging.rs` checks their contents.

use std::path::Path;

use crate::version_check::{package_version, Version};

/// How CI packages the commit, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `cargo package`: every published crate built from its `.crate`.
    Verify(String),
    /// `cargo package --no-verify`: the packages written and listed, not built.
    List(String),
}

impl Mode {
    /// The word `.ci/run` reads.
    pub fn word(&self) -> &'static str {
        match self {
            Mode::Verify(_) => "verify",
            Mode::List(_) => "list",
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            Mode::Verify(reason) | Mode::List(reason) => reason,
        }
    }
}

/// A published crate whose version differs between the base and now (`None`: not there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChange {
    pub manifest: String,
    pub before: Option<Version>,
    pub after: Option<Version>,
}

/// The decision, from what git says of HEAD: the release tags on it, whether it has a first
/// parent, and the published crates whose version changed since that parent.
pub fn decide(release_tags: &[String], parent: Option<&str>, changes: &[VersionChange]) -> Mode {
    if let Some(tag) = release_tags.first() {
        return Mode::Verify(format!("HEAD is the release tag {tag}"));
    }
    let Some(parent) = parent else {
        return Mode::Verify(
            "HEAD has no parent to compare the crates' versions with (a shallow clone?)".to_owned(),
        );
    };
    if changes.is_empty() {
        return Mode::List(format!(
            "no published crate's version changed since {parent} and HEAD is not a release tag"
        ));
    }
    let show = |v: &Option<Version>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    let list: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {} -> {}", c.manifest, show(&c.before), show(&c.after)))
        .collect();
    Mode::Verify(format!(
        "a published crate's version changed since {parent}: {}",
        list.join(", ")
    ))
}

/// Whether a manifest's `[package]` says `publish = false`.
fn unpublished(manifest: &str) -> bool {
    let mut in_package = false;
    manifest.lines().map(str::trim).any(|line| {
        if line.starts_with('[') {
            in_package = line == "[package]";
            false
        } else {
            in_package && line.replace(' ', "") == "publish=false"
        }
    })
}

fn git_text(root: &Path, args: &[&str]) -> Result<Option<String>, String> {
    let output = crate::git(root, args)?;
    Ok(output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned()))
}

/// The decision for the checkout at `root` (its working tree against HEAD's first parent).
pub fn for_checkout(root: &Path) -> Result<Mode, String> {
    let tags = git_text(root, &["tag", "--points-at", "HEAD", "--list", "v[0-9]*"])?
        .ok_or_else(|| format!("{} is not a git checkout", root.display()))?;
    let release_tags: Vec<String> = tags.lines().map(str::to_owned).collect();
    let parent = git_text(
        root,
        &["rev-parse", "--verify", "--quiet", "--short", "HEAD^1"],
    )?;
    let mut changes = Vec::new();
    if let Some(parent) = &parent {
        let manifests =
            git_text(root, &["ls-files", "--", "Cargo.toml", "*/Cargo.toml"])?.unwrap_or_default();
        for manifest in manifests.lines() {
            let now = std::fs::read_to_string(root.join(manifest)).unwrap_or_default();
            if unpublished(&now) {
                continue;
            }
            let after = package_version(&now);
            let before = git_text(root, &["show", &format!("{parent}:{manifest}")])?
                .as_deref()
                .and_then(package_version);
            if before != after {
                changes.push(VersionChange {
                    manifest: manifest.to_owned(),
                    before,
                    after,
                });
            }
        }
    }
    Ok(decide(&release_tags, parent.as_deref(), &changes))
}

/// `cargo xtask package-mode`: the mode's word on `out`, the reason on `err`.
pub fn command(
    root: &Path,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) -> std::io::Result<bool> {
    match for_checkout(root) {
        Ok(mode) => {
            writeln!(out, "{}", mode.word())?;
            writeln!(err, "packages: {}: {}", mode.word(), mode.reason())?;
            Ok(true)
        }
        Err(message) => {
            writeln!(err, "cargo xtask package-mode: {message}")?;
            Ok(false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_tag_or_a_version_change_verifies_and_nothing_else_does() {
        let change = VersionChange {
            manifest: "crates/idtok-client/Cargo.toml".to_owned(),
            before: Some(Version(0, 1, 0)),
            after: Some(Version(0, 1, 1)),
        };
        assert_eq!(
            decide(&["v0.1.0".to_owned()], Some("abc"), &[]),
            Mode::Verify("HEAD is the release tag v0.1.0".to_owned())
        );
        let bumped = decide(&[], Some("abc"), std::slice::from_ref(&change));
        assert_eq!(bumped.word(), "verify");
        assert!(
            bumped
                .reason()
                .contains("crates/idtok-client/Cargo.toml 0.1.0 -> 0.1.1"),
            "{bumped:?}"
        );
        assert_eq!(decide(&[], None, &[]).word(), "verify");
        assert_eq!(decide(&[], Some("abc"), &[]).word(), "list");
    }

    #[test]
    fn publish_false_is_read_from_the_package_section() {
        assert!(unpublished("[package]\nname = \"x\"\npublish = false\n"));
        assert!(!unpublished("[package]\nname = \"x\"\n"));
        assert!(!unpublished(
            "[package]\nname = \"x\"\n[workspace.metadata]\npublish = false\n"
        ));
    }
}
