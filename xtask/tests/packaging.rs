//! The published crates as `cargo package` makes them: each carries the licence, and its packaged
//! tests, benches and examples read only files inside it, so that they build and run from the
//! `.crate` as they do in the workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    xtask::workspace_root()
}

/// What `cargo <args>` prints, run at the workspace root; fails the test if cargo fails.
fn cargo(args: &[&str]) -> Vec<u8> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo {args:?}: {stderr}");
    output.stdout
}

/// The workspace members that are published (`publish` not `false`), with their directories.
fn publishable() -> Vec<(String, PathBuf)> {
    let metadata = cargo(&[
        "metadata",
        "--no-deps",
        "--format-version",
        "1",
        "--offline",
    ]);
    let metadata: serde_json::Value = serde_json::from_slice(&metadata).unwrap();
    metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["publish"]
                .as_array()
                .is_none_or(|registries| !registries.is_empty())
        })
        .map(|p| {
            let manifest = Path::new(p["manifest_path"].as_str().unwrap());
            (
                p["name"].as_str().unwrap().to_owned(),
                manifest.parent().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The files `cargo package` would put in the crate, relative to its directory.
fn packaged_files(name: &str) -> Vec<String> {
    let list = cargo(&[
        "package",
        "--list",
        "--allow-dirty",
        "--offline",
        "-p",
        name,
    ]);
    String::from_utf8(list)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_crates_users_depend_on_are_published() {
    let mut names: Vec<String> = publishable().into_iter().map(|(name, _)| name).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "idtok",
            "idtok-client",
            "idtok-eiam-developerapi-models",
            "idtok-eiam-models",
            "idtok-identitystore-models",
            "idtok-mock",
            "idtok-runtime",
            "idtok-secret",
            "idtok-sts-models",
        ]
    );
}

#[test]
fn every_package_carries_the_licence_and_reads_only_its_own_files() {
    let mut problems = Vec::new();
    for (name, dir) in publishable() {
        let files = packaged_files(&name);
        for required in ["LICENSE", "README.md", "Cargo.toml"] {
            if !files.iter().any(|f| f == required) {
                problems.push(format!("{name}: the package has no {required}"));
            }
        }
        let targets = files.iter().filter(|f| {
            f.ends_with(".rs")
                && ["tests/", "benches/", "examples/"]
                    .iter()
                    .any(|d| f.starts_with(d))
        });
        for file in targets {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            // A path out of the crate, the workspace's own folders, or the unpublished test kit
            // (whose path-only dev-dependency cargo package drops).
            for outside in ["../../", "xtask/", "openapi/", "idtok_testkit"] {
                for (i, line) in text.lines().enumerate() {
                    let code = line.split("//").next().unwrap_or_default();
                    if code.contains(outside) {
                        problems.push(format!(
                            "{name}/{file}:{}: `{outside}` would not be in the .crate: {}",
                            i + 1,
                            line.trim()
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "packaged tests must read only files inside their crate (copy the fixture in, or leave \
         the test out with `exclude` in its Cargo.toml and say why):\n{}",
        problems.join("\n")
    );
}

/// The vendor examples live in `xtask/tests/vendor-examples/` (the documents' examples are checked
/// against them); the client and mock crates carry copies for their packaged tests. They must stay
/// the same bytes.
#[test]
fn the_vendor_example_copies_are_identical() {
    let root = root();
    let canonical = root.join("xtask/tests/vendor-examples");
    let names = |dir: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    let expected = names(&canonical);
    for copy in ["crates/idtok-client", "crates/idtok-mock"] {
        let dir = root.join(copy).join("tests/vendor-examples");
        assert_eq!(
            names(&dir),
            expected,
            "{}: not the same files",
            dir.display()
        );
        for name in &expected {
            assert_eq!(
                std::fs::read(dir.join(name)).unwrap(),
                std::fs::read(canonical.join(name)).unwrap(),
                "{copy}/tests/vendor-examples/{name} differs from xtask/tests/vendor-examples/{name}: \
                 copy it again (cp xtask/tests/vendor-examples/* {copy}/tests/vendor-examples/)"
            );
        }
    }
}
