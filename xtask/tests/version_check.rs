//! `cargo xtask check-version <base-rev>`: the crates' versions follow what `cargo xtask diff`
//! says of the documents since a release, and the check fails exactly when they do not.

use std::path::Path;

use xtask::families::{CLIENT_DIR, CLI_DIR, FAMILIES, MOCK_DIR};
use xtask::version_check::{command, package_version, Needed, Version};

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

#[test]
fn below_1_0_a_breaking_release_is_a_new_minor_and_above_a_new_major() {
    assert!(!v("0.1.1").satisfies(v("0.1.0"), Needed::Breaking));
    assert!(v("0.2.0").satisfies(v("0.1.0"), Needed::Breaking));
    assert!(v("1.0.0").satisfies(v("0.1.3"), Needed::Breaking));
    assert!(v("0.0.2").satisfies(v("0.0.1"), Needed::Breaking));
    assert!(!v("1.9.0").satisfies(v("1.2.0"), Needed::Breaking));
    assert!(v("2.0.0").satisfies(v("1.2.0"), Needed::Breaking));
    assert!(v("0.1.1").satisfies(v("0.1.0"), Needed::Compatible));
    assert!(!v("0.1.0").satisfies(v("0.1.0"), Needed::Compatible));
    assert!(v("0.1.0").satisfies(v("0.1.0"), Needed::Nothing));
    assert_eq!(v("0.1.4").next(Needed::Breaking), v("0.2.0"));
    assert_eq!(v("1.1.4").next(Needed::Breaking), v("2.0.0"));
    assert_eq!(v("0.1.4").next(Needed::Compatible), v("0.1.5"));
    assert_eq!(Version::parse("0.3.0-alpha.1"), Some(Version(0, 3, 0)));
    assert_eq!(Version::parse("0.3"), None);
}

#[test]
fn the_version_is_read_from_the_package_section() {
    let manifest =
        "[package]\nname = \"x\"\nversion = \"0.4.2\"\n\n[dependencies]\nversion = \"9.9.9\"\n";
    assert_eq!(package_version(manifest), Some(Version(0, 4, 2)));
    assert_eq!(
        package_version("[dependencies]\nversion = \"1.0.0\"\n"),
        None
    );
}

fn git(dir: &Path, args: &[&str]) {
    let output = xtask::git(
        dir,
        &[
            &["-c", "user.name=t", "-c", "user.email=t@example.com"][..],
            &["-c", "commit.gpgsign=false"][..],
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

/// The crates generated from the EIAM document: its model crate, then the client, mocks and CLI.
const EIAM_CRATES: [&str; 4] = ["crates/idtok-eiam-models", CLIENT_DIR, MOCK_DIR, CLI_DIR];

fn bump(dir: &Path, crates: &[&str], version: &str) {
    for crate_dir in crates {
        set_version(dir, crate_dir, version);
    }
}

fn set_version(dir: &Path, crate_dir: &str, version: &str) {
    let path = dir.join(crate_dir).join("Cargo.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!("[package]\nname = \"{crate_dir}\"\nversion = \"{version}\"\n"),
    )
    .unwrap();
}

/// A repository with the workspace's documents and a manifest at 0.1.0 for every crate the check
/// looks at, committed and tagged `v0.1.0`.
fn released() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = xtask::workspace_root();
    std::fs::write(dir.path().join("Cargo.toml"), "[workspace]\n").unwrap();
    for family in FAMILIES {
        // Each file of the document (its parts, or its single file).
        for part in xtask::document::Document::read(&root, family).unwrap() {
            let path = dir.path().join(&part.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, part.source).unwrap();
        }
        set_version(dir.path(), family.models_dir, "0.1.0");
    }
    for crate_dir in [CLIENT_DIR, MOCK_DIR, CLI_DIR] {
        set_version(dir.path(), crate_dir, "0.1.0");
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "release"]);
    git(dir.path(), &["tag", "v0.1.0"]);
    dir
}

fn check(dir: &Path) -> (bool, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let ok = command(dir, "v0.1.0", &mut out, &mut err).unwrap();
    let text = String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap();
    (ok, text)
}

/// Edits the EIAM document's text.
/// The edit is made in the one file of the document that it changes.
fn edit_eiam(dir: &Path, edit: impl Fn(String) -> String) {
    let parts = xtask::document::Document::read(dir, FAMILIES[0]).unwrap();
    let mut edited = 0;
    for part in parts {
        let text = edit(part.source.clone());
        if text != part.source {
            std::fs::write(dir.join(&part.path), text).unwrap();
            edited += 1;
        }
    }
    assert_eq!(edited, 1, "the edit changed {edited} files, not one");
}

#[test]
fn unchanged_documents_need_no_new_version() {
    let dir = released();
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
}

#[test]
fn a_breaking_change_needs_a_new_minor_version_of_the_family_and_the_shared_crates() {
    let dir = released();
    // An operation removed: breaking.
    edit_eiam(dir.path(), |text| {
        text.replacen("/ListApplicationTokens:", "/ListApplicationTokensGone:", 1)
    });
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    for behind in EIAM_CRATES {
        assert!(
            text.contains(&format!(
                "{behind}: 0.1.0 -> 0.1.0: needs a breaking release, at least 0.2.0"
            )),
            "{behind} not named:\n{text}"
        );
    }
    assert!(
        text.contains("crates/idtok-identitystore-models: 0.1.0 -> 0.1.0, ok"),
        "{text}"
    );

    // A patch release is not enough.
    bump(dir.path(), &EIAM_CRATES, "0.1.1");
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");

    // 0.2.0 is; one crate left behind still fails, and only it is named.
    bump(dir.path(), &EIAM_CRATES[..3], "0.2.0");
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    assert!(text.contains("1 crate(s) not bumped"), "{text}");
    set_version(dir.path(), CLI_DIR, "0.2.0");
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
}

#[test]
fn any_other_change_needs_a_new_patch_version() {
    let dir = released();
    edit_eiam(dir.path(), |text| {
        text.replacen(
            "description: Alibaba Cloud IDaaS EIAM API reference\n",
            "description: Alibaba Cloud IDaaS EIAM API reference, edited\n",
            1,
        )
    });
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    assert!(
        text.contains("needs a new version, at least 0.1.1"),
        "{text}"
    );
    bump(dir.path(), &EIAM_CRATES, "0.1.1");
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
}

#[test]
fn an_unknown_base_fails_and_says_so() {
    let dir = released();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert!(!command(dir.path(), "no-such-tag", &mut out, &mut err).unwrap());
    assert!(String::from_utf8(err)
        .unwrap()
        .contains("`no-such-tag` is not a revision"));
}
