//! `cargo xtask gen` as a user meets it: the checked-in files are what it generates, `--check`
//! names what is stale, and a broken document changes nothing.

use std::path::Path;

use xtask::commands::gen;
use xtask::families::FAMILIES;
use xtask::gen::codegen::generate_all;

#[test]
fn regenerating_in_memory_gives_exactly_the_checked_in_files() {
    let root = xtask::workspace_root();
    let files = generate_all(&root).unwrap_or_else(|p| panic!("{p:#?}"));
    // Per family: models, client, CLI, mocks; the model type names of these tests; the lists of
    // the families' mock and CLI modules; the runtime's region table; the README's table.
    assert_eq!(files.len(), 4 * FAMILIES.len() + 5);
    for file in files {
        let on_disk = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        assert!(
            on_disk == file.contents,
            "{} differs from what the documents generate: run `cargo xtask gen`",
            file.path
        );
    }
}

/// A scratch workspace of its own: the documents, and what `cargo xtask gen` wrote for them (once
/// for the tests here, then copied: a whole generation of every family is seconds unoptimized).
fn scratch() -> tempfile::TempDir {
    static GENERATED: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let generated = GENERATED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = xtask::workspace_root();
        for family in FAMILIES {
            let parts = xtask::document::Document::read(&root, family).unwrap();
            xtask::document::write_parts(dir.path(), &parts).unwrap();
        }
        let (ok, _, err) = run(dir.path(), false);
        assert!(ok, "{err}");
        dir
    });
    let dir = tempfile::tempdir().unwrap();
    copy_tree(generated.path(), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn run(root: &Path, check: bool) -> (bool, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let ok = gen(root, check, &mut out, &mut err).unwrap();
    (
        ok,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn generated(root: &Path) -> Vec<(String, String)> {
    FAMILIES
        .iter()
        .flat_map(|f| f.generated_files())
        .chain([
            xtask::gen::codegen::MODEL_TYPE_NAMES_FILE.to_owned(),
            xtask::gen::codegen::MOCK_MODULES_FILE.to_owned(),
            xtask::gen::codegen::CLI_MODULES_FILE.to_owned(),
            xtask::gen::regions::SERVICES_FILE.to_owned(),
        ])
        .map(|p| {
            let contents = std::fs::read_to_string(root.join(&p)).unwrap();
            (p, contents)
        })
        .collect()
}

#[test]
fn check_names_each_stale_file_and_the_command_and_changes_nothing() {
    let dir = scratch();
    let stale = FAMILIES[1].client_file();
    std::fs::write(dir.path().join(&stale), "// edited by hand\n").unwrap();
    let (ok, _, err) = run(dir.path(), true);
    assert!(!ok);
    assert!(err.contains(&format!("stale: {stale}")), "{err}");
    assert_eq!(err.matches("stale:").count(), 1, "{err}");
    assert!(err.contains("run `cargo xtask gen`"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&stale)).unwrap(),
        "// edited by hand\n"
    );

    let (ok, out, _) = run(dir.path(), false);
    assert!(ok);
    assert_eq!(
        out,
        format!("wrote {stale}\n"),
        "only the stale file is written"
    );
    assert!(run(dir.path(), true).0);
}

#[test]
fn a_broken_document_leaves_every_generated_file_untouched() {
    let dir = scratch();
    let before = generated(dir.path());
    let root_part = "openapi/eiam-2021-12-01/openapi.yaml";
    let tokens = "openapi/eiam-2021-12-01/ApplicationToken.yaml";
    let read = |file: &str| std::fs::read_to_string(dir.path().join(file)).unwrap();
    let (root_source, source) = (read(root_part), read(tokens));
    let cases = [
        // A YAML syntax error (on line 3; the parser notices it on line 4).
        (root_part, root_source.replacen("  title: Alibaba Cloud IDaaS EIAM", "  title: [Alibaba", 1), "openapi/eiam-2021-12-01/openapi.yaml:4:", "not valid YAML"),
        // A dangling reference.
        (
            tokens,
            source.replacen("$ref: \"#/components/schemas/ApplicationToken\"", "$ref: \"#/components/schemas/Nope\"", 1),
            "/components/schemas/ListApplicationTokensResponse/properties/ApplicationTokens/items/$ref",
            "points at nothing",
        ),
        // A field of the wrong shape.
        (tokens, source.replacen("          required: true\n", "          required: yes please\n", 1), "/paths/~1CreateApplicationToken/post/parameters/2", "not an OpenAPI 3.0 document"),
    ];
    for (file, broken, location, what) in cases {
        // Each case on its own: the other files as they were.
        std::fs::write(dir.path().join(root_part), &root_source).unwrap();
        std::fs::write(dir.path().join(tokens), &source).unwrap();
        std::fs::write(dir.path().join(file), &broken).unwrap();
        let (ok, _, err) = run(dir.path(), false);
        assert!(!ok, "{what}");
        assert!(
            err.contains(location) && err.contains(what),
            "expected {location:?} and {what:?} in:\n{err}"
        );
        assert!(err.contains("no generated file was changed"), "{err}");
        assert_eq!(
            generated(dir.path()),
            before,
            "{what}: generated files changed"
        );
    }
}
