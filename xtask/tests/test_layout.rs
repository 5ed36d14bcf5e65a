//! What `cargo test --workspace` compiles, as the manifests say: one integration-test binary per
//! crate whose every file is one of its modules, and no target marked as having no tests (or no
//! doc examples) that has some, so that turning a target's tests off never hides a test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace's members as `cargo metadata` describes them.
fn members() -> Vec<serde_json::Value> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(xtask::workspace_root())
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["packages"].as_array().unwrap().clone()
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file of the module tree rooted at `root` (a crate root), as rustc finds them: `mod x;`
/// is `x.rs` or `x/mod.rs` beside a root or `mod.rs`, else in the folder named after the file;
/// `#[path]` and `include!("...")` of a file are followed too.
fn module_files(root: &Path) -> BTreeSet<PathBuf> {
    let mut files = BTreeSet::new();
    visit_file(root, true, &mut files);
    files
}

fn visit_file(path: &Path, owns_folder: bool, files: &mut BTreeSet<PathBuf>) {
    let path = path
        .canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if !files.insert(path.clone()) {
        return;
    }
    let folder = if owns_folder {
        path.parent().unwrap().to_owned()
    } else {
        path.with_extension("")
    };
    visit_items(&parse(&path).items, &path, &folder, files);
}

fn visit_items(items: &[syn::Item], file: &Path, folder: &Path, files: &mut BTreeSet<PathBuf>) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                let explicit = module.attrs.iter().find_map(|a| match &a.meta {
                    syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => Some(s.value()),
                        _ => None,
                    },
                    _ => None,
                });
                let name = module.ident.to_string();
                match (&module.content, explicit) {
                    (Some((_, inner)), _) => {
                        visit_items(inner, file, &folder.join(&name), files);
                    }
                    (None, Some(explicit)) => {
                        visit_file(&file.parent().unwrap().join(explicit), true, files)
                    }
                    (None, None) => {
                        let flat = folder.join(format!("{name}.rs"));
                        if flat.exists() {
                            visit_file(&flat, false, files);
                        } else {
                            visit_file(&folder.join(&name).join("mod.rs"), true, files);
                        }
                    }
                }
            }
            syn::Item::Macro(syn::ItemMacro { mac, .. }) => included(mac, file, files),
            syn::Item::Fn(function) => {
                for statement in &function.block.stmts {
                    if let syn::Stmt::Macro(syn::StmtMacro { mac, .. }) = statement {
                        included(mac, file, files);
                    }
                    if let syn::Stmt::Expr(syn::Expr::Macro(syn::ExprMacro { mac, .. }), _) =
                        statement
                    {
                        included(mac, file, files);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `include!("file.rs")`: the file is part of the crate (read as text, it is not parsed here).
fn included(mac: &syn::Macro, file: &Path, files: &mut BTreeSet<PathBuf>) {
    if mac.path.is_ident("include") {
        if let Ok(name) = mac.parse_body::<syn::LitStr>() {
            let path = file.parent().unwrap().join(name.value());
            files.insert(path.canonicalize().unwrap());
        }
    }
}

fn rust_files_under(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.insert(path.canonicalize().unwrap());
        }
    }
}

fn targets(package: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    package["targets"].as_array().unwrap().iter()
}

fn kinds(target: &serde_json::Value) -> Vec<&str> {
    target["kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect()
}

fn relative(path: &Path) -> String {
    let root = xtask::workspace_root().canonicalize().unwrap();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn each_crate_has_one_test_binary_and_every_test_file_is_in_it() {
    let mut problems = Vec::new();
    for package in members() {
        let name = package["name"].as_str().unwrap();
        let tests: Vec<_> = targets(&package)
            .filter(|t| kinds(t).contains(&"test"))
            .collect();
        if tests.len() > 1 {
            let names: Vec<_> = tests.iter().map(|t| t["name"].as_str().unwrap()).collect();
            problems.push(format!(
                "{name}: {} integration-test binaries ({}); make the files modules of one tests/main.rs",
                tests.len(),
                names.join(", ")
            ));
        }
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
        let mut on_disk = BTreeSet::new();
        rust_files_under(&manifest.parent().unwrap().join("tests"), &mut on_disk);
        let mut compiled = BTreeSet::new();
        for test in &tests {
            compiled.extend(module_files(Path::new(test["src_path"].as_str().unwrap())));
        }
        for file in on_disk.difference(&compiled) {
            problems.push(format!(
                "{}: not compiled by any test target of {name} (a `mod` line in tests/main.rs?)",
                relative(file)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a file's text has a test (`#[test]`, `#[tokio::test]`, ...).
fn has_tests(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.starts_with("#[test]") || (line.starts_with("#[") && line.contains("::test"))
    })
}

/// Whether a file's text has a doc example: a fenced code block in a `///` or `//!` comment.
fn has_doc_examples(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        ["///", "//!"].iter().any(|doc| {
            line.strip_prefix(doc)
                .is_some_and(|rest| rest.trim_start().starts_with("```"))
        })
    })
}

#[test]
fn targets_without_tests_or_doc_examples_have_none() {
    let mut problems = Vec::new();
    for package in members() {
        let name = package["name"].as_str().unwrap();
        for target in targets(&package) {
            let kinds = kinds(target);
            if !(kinds.contains(&"lib") || kinds.contains(&"bin")) {
                continue;
            }
            let files = module_files(Path::new(target["src_path"].as_str().unwrap()));
            let read = |file: &PathBuf| std::fs::read_to_string(file).unwrap();
            let target_name = target["name"].as_str().unwrap();
            if target["test"] == false {
                for file in files.iter().filter(|f| has_tests(&read(f))) {
                    problems.push(format!(
                        "{}: a test in {name}'s `{target_name}`, which says `test = false` (it would never run)",
                        relative(file)
                    ));
                }
            }
            if kinds.contains(&"lib") && target["doctest"] == false {
                for file in files.iter().filter(|f| has_doc_examples(&read(f))) {
                    problems.push(format!(
                        "{}: a doc example in {name}, which says `doctest = false` (it would never be compiled)",
                        relative(file)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
