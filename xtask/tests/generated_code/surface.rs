//! Snapshots of what each generated crate offers: a spec edit shows up here as a small diff to
//! review (`cargo insta review`), beside the large one in the generated files.

use xtask::families::FAMILIES;

fn read(path: &str) -> String {
    std::fs::read_to_string(xtask::workspace_root().join(path)).unwrap()
}

#[test]
fn model_crates() {
    for family in FAMILIES {
        let surface = xtask::gen::surface::models(&read(&family.models_file())).unwrap();
        insta::assert_snapshot!(format!("{}_models", family.name), surface);
    }
}

#[test]
fn client_modules() {
    for family in FAMILIES {
        let surface = xtask::gen::surface::client(&read(&family.client_file())).unwrap();
        insta::assert_snapshot!(format!("{}_client", family.name), surface);
    }
}
