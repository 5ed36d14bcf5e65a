//! The rehearsal's synthetic documents: today's documents, cloned, still lint clean and generate,
//! with every clone reachable under its new name (the slow part, timing the builds, is
//! `cargo xtask rehearse` itself).

use xtask::document::Document;
use xtask::families::FAMILIES;
use xtask::rehearse::synthetic::{multiply, operation_count};

#[test]
fn twice_the_documents_lint_clean_and_generate_every_clone() {
    let root = xtask::workspace_root();
    let scratch = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("rustfmt.toml"),
        scratch.path().join("rustfmt.toml"),
    )
    .unwrap();
    for family in FAMILIES {
        let mut parts = Document::read(&root, family).unwrap();
        let single = parts.len() == 1;
        let (mut before, mut after) = (0, 0);
        // A directory's tag files are multiplied one by one, as the rehearsal does.
        for part in parts
            .iter_mut()
            .filter(|p| single || !p.path.ends_with(xtask::document::ROOT_PART))
        {
            let doubled = multiply(&part.source, 2).unwrap();
            before += operation_count(&part.source);
            after += operation_count(&doubled);
            part.source = doubled;
        }
        assert_eq!(after, 2 * before, "{}", family.document);
        assert!(before > 0, "{}", family.document);
        let document = Document::parse_sources(family, &parts).unwrap();
        let problems = xtask::lint::check(&document);
        assert!(
            problems.is_empty(),
            "{}:\n{}",
            family.document,
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        xtask::document::write_parts(scratch.path(), &parts).unwrap();
    }
    // The generator's caches go under the scratch root's target/, not the workspace's.
    let files = xtask::gen::codegen::generate_all(scratch.path()).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let text = |path: &str| {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} not generated"))
            .contents
    };
    for (family, method) in [
        (0, "pub fn list_application_tokens_in_copy2("),
        (1, "pub fn list_authentication_tokens_in_copy2("),
        (2, "pub fn list_bearer_tokens_in_copy2("),
        (3, "pub fn assume_role_in_copy2("),
    ] {
        let client = text(&FAMILIES[family].client_file());
        assert!(
            client.contains(method),
            "{method} in {}",
            FAMILIES[family].name
        );
    }
}
