//! `cargo xtask package-mode` in a scratch repository: CI verifies the packages on a release tag
//! and in a commit that changes a published crate's version, and only lists them otherwise.

use std::path::Path;

use xtask::package_mode::{for_checkout, Mode};

fn git(dir: &Path, args: &[&str]) {
    let output = xtask::git(
        dir,
        &[
            &["-c", "user.name=t", "-c", "user.email=t@example.com"][..],
            &["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"][..],
            args,
        ]
        .concat(),
    )
    .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn manifest(dir: &Path, crate_dir: &str, version: &str, extra: &str) {
    let path = dir.join(crate_dir).join("Cargo.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!("[package]\nname = \"c\"\nversion = \"{version}\"\n{extra}\n[dependencies]\nversion = \"9.9.9\"\n"),
    )
    .unwrap();
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

fn mode(dir: &Path) -> Mode {
    for_checkout(dir).unwrap()
}

#[test]
fn packages_are_verified_on_a_release_tag_and_when_a_version_changes() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
    manifest(dir, "crates/a", "0.1.0", "");
    manifest(dir, "xtask", "0.1.0", "publish = false");
    commit(dir, "first");
    assert_eq!(mode(dir).word(), "verify", "no parent: {:?}", mode(dir));

    std::fs::write(dir.join("README.md"), "words\n").unwrap();
    commit(dir, "no version moves");
    let listed = mode(dir);
    assert_eq!(listed.word(), "list", "{listed:?}");

    manifest(dir, "crates/a", "0.1.1", "");
    commit(dir, "bump a");
    let bumped = mode(dir);
    assert_eq!(bumped.word(), "verify", "{bumped:?}");
    assert!(
        bumped
            .reason()
            .contains("crates/a/Cargo.toml 0.1.0 -> 0.1.1"),
        "{bumped:?}"
    );

    // A dependency's version in the same manifest is not the crate's.
    std::fs::write(
        dir.join("crates/a/Cargo.toml"),
        "[package]\nname = \"c\"\nversion = \"0.1.1\"\n\n[dependencies]\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    commit(dir, "a dependency moves");
    assert_eq!(mode(dir).word(), "list", "{:?}", mode(dir));

    manifest(dir, "xtask", "0.2.0", "publish = false");
    commit(dir, "an unpublished crate moves");
    assert_eq!(mode(dir).word(), "list", "{:?}", mode(dir));

    manifest(dir, "crates/b", "0.1.0", "");
    commit(dir, "a new crate");
    let new_crate = mode(dir);
    assert_eq!(new_crate.word(), "verify", "{new_crate:?}");
    assert!(
        new_crate
            .reason()
            .contains("crates/b/Cargo.toml none -> 0.1.0"),
        "{new_crate:?}"
    );

    commit(dir, "release");
    assert_eq!(mode(dir).word(), "list");
    git(dir, &["tag", "v0.1.1"]);
    assert_eq!(
        mode(dir),
        Mode::Verify("HEAD is the release tag v0.1.1".to_owned())
    );
}
