//! `cargo xtask publish`: what a portal receives is the document as written, stamped, in JSON and
//! YAML alike, with checksums that match, and a rerun changes nothing.

use std::path::{Path, PathBuf};

use xtask::families::FAMILIES;
use xtask::gen::codegen::GeneratedFile;
use xtask::publish;

fn root() -> PathBuf {
    xtask::workspace_root()
}

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

fn build() -> Vec<GeneratedFile> {
    publish::build(&root(), &|_| COMMIT.to_owned()).unwrap_or_else(|problems| {
        panic!("publish refused the documents: {problems:#?}");
    })
}

/// One build of the real documents for all the tests that only read it: a build lints and
/// renders every document, and was most of what each of those tests did.
fn built() -> &'static [GeneratedFile] {
    static BUILT: std::sync::OnceLock<Vec<GeneratedFile>> = std::sync::OnceLock::new();
    BUILT.get_or_init(build)
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a GeneratedFile {
    files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("publish wrote no {path}"))
}

fn stem(document: &str) -> &str {
    Path::new(document).file_stem().unwrap().to_str().unwrap()
}

fn text(f: &GeneratedFile) -> &str {
    &f.contents
}

#[test]
fn every_family_is_published_as_json_yaml_and_html() {
    let files = built();
    let mut expected: Vec<String> = FAMILIES
        .iter()
        .flat_map(|f| {
            ["openapi.json", "openapi.yaml", "html"]
                .map(|ext| format!("{}.{ext}", stem(f.document)))
        })
        .collect();
    expected.extend(
        [
            "index.html",
            "assets/reference.css",
            "index.json",
            "SHA256SUMS",
        ]
        .map(String::from),
    );
    let written: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(written, expected);
}

#[test]
fn a_bundle_is_the_document_as_written_plus_the_stamps_in_json_and_yaml_alike() {
    let files = built();
    for family in FAMILIES {
        // The document as written: its parts merged (or its single file).
        let parts = xtask::document::Document::read(&root(), family).unwrap();
        let mut expected = xtask::document::Document::bundle_json(&parts).unwrap();
        expected["info"]["x-source-document"] = written_in(family).into();
        expected["info"]["x-source-commit"] = COMMIT.into();

        let json_file = file(files, &format!("{}.openapi.json", stem(family.document)));
        let yaml_file = file(files, &format!("{}.openapi.yaml", stem(family.document)));
        let json: serde_json::Value = serde_json::from_str(&json_file.contents).unwrap();
        let yaml: serde_json::Value = serde_yaml::from_str(&yaml_file.contents).unwrap();
        assert_eq!(json, expected, "{}: JSON bundle", family.document);
        assert_eq!(yaml, expected, "{}: YAML bundle", family.document);
        assert_eq!(json["openapi"], "3.0.3");

        // Self-contained: every $ref points into the bundle itself.
        let mut refs = Vec::new();
        collect_refs(&json, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let pointer = r
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{}: external $ref {r}", family.document));
            assert!(
                json.pointer(pointer).is_some(),
                "{}: {r} dangles",
                family.document
            );
        }
    }
}

fn collect_refs(value: &serde_json::Value, refs: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                refs.push(r.to_owned());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// Where in `text` a line first starts with `line_start(key)`, for each of `keys`: what
/// `"\n" + text` would `find` for `"\n" + line_start(key)`, in one pass over the lines (each
/// `find` went over a bundle of megabytes, thousands of times).
fn first_lines_starting(
    text: &str,
    keys: &[String],
    line_start: impl Fn(&str) -> String,
) -> Vec<Option<usize>> {
    let wanted: std::collections::HashMap<String, usize> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| (line_start(key), index))
        .collect();
    let mut found = vec![None; keys.len()];
    let mut offset = 0;
    for line in text.split('\n') {
        // Each line start ends at a colon: try the line up to each of its colons.
        for (colon, _) in line.match_indices(':') {
            if let Some(&index) = wanted.get(&line[..=colon]) {
                found[index].get_or_insert(offset);
            }
        }
        offset += line.len() + 1;
    }
    found
}

/// The order a reader of the YAML source sees: `openapi`, `info`, ..., not alphabetical, and
/// operations in the order written (serde_json's sorted map would lose both).
#[test]
fn keys_keep_the_authored_order() {
    let files = built();
    for family in FAMILIES {
        // The document in the order its files are written in (bundled in the order of its tags).
        let source = xtask::document::Document::load(&root(), family)
            .unwrap()
            .bundle;
        let keys = |v: &serde_yaml::Value| -> Vec<String> {
            v.as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_owned())
                .collect()
        };
        let json = text(file(
            files,
            &format!("{}.openapi.json", stem(family.document)),
        ));
        let yaml = text(file(
            files,
            &format!("{}.openapi.yaml", stem(family.document)),
        ));
        // (section, its keys in the source, their depth in the document)
        for (section, expected, depth) in [
            ("top level", keys(&source), 0),
            ("paths", keys(&source["paths"]), 1),
            ("schemas", keys(&source["components"]["schemas"]), 2),
        ] {
            for (format, bundle) in [("json", json), ("yaml", yaml)] {
                // A key at its depth, so that an operation's `security` is not taken for the
                // document's: JSON indents one level more (inside the outer braces).
                let at_depth = |k: &str| match format {
                    "json" => format!("{}\"{k}\":", "  ".repeat(depth + 1)),
                    _ => format!("{}{k}:", "  ".repeat(depth)),
                };
                let positions = first_lines_starting(bundle, &expected, at_depth);
                assert!(
                    positions.iter().all(Option::is_some)
                        && positions.windows(2).all(|w| w[0] < w[1]),
                    "{} {format}: {section} out of the authored order {expected:?}: {positions:?}",
                    family.document
                );
            }
        }
        assert!(json.starts_with("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {"));
        assert!(yaml.starts_with("openapi: \"3.0.3\"\ninfo:\n"));
        // A date-like version is quoted, or YAML 1.1 readers (js-yaml's default, PyYAML) read a date.
        let version = source["info"]["version"].as_str().unwrap();
        if version.starts_with(|c: char| c.is_ascii_digit()) {
            assert!(
                yaml.contains(&format!("\n  version: \"{version}\"\n")),
                "{}: info.version",
                family.document
            );
        }
    }
}

#[test]
fn index_json_and_sha256sums_match_the_files() {
    let files = built();
    let index: serde_json::Value =
        serde_json::from_str(&file(files, "index.json").contents).expect("index.json is JSON");
    let documents = index["documents"].as_array().unwrap();
    assert_eq!(documents.len(), FAMILIES.len());
    let mut listed = Vec::new();
    for (entry, family) in documents.iter().zip(FAMILIES) {
        assert_eq!(entry["source_document"], written_in(family));
        assert_eq!(entry["source_commit"], COMMIT);
        let bundle: serde_json::Value =
            serde_json::from_str(&file(files, entry["json"]["path"].as_str().unwrap()).contents)
                .unwrap();
        assert_eq!(entry["version"], bundle["info"]["version"]);
        assert_eq!(entry["title"], bundle["info"]["title"]);
        let mut ids = Vec::new();
        for item in bundle["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                if let Some(id) = op.get("operationId") {
                    ids.push(id.clone());
                }
            }
        }
        let mut in_index = entry["operations"].as_array().unwrap().clone();
        in_index.sort_by_key(|v| v.to_string());
        ids.sort_by_key(|v| v.to_string());
        assert_eq!(in_index, ids, "{}: operations", family.document);
        listed.extend(["json", "yaml", "html"].map(|k| entry[k].clone()));
    }
    listed.extend(index["files"].as_array().unwrap().iter().cloned());
    assert_eq!(
        listed.len(),
        files.len() - 2,
        "every file but index.json and SHA256SUMS"
    );
    for entry in listed {
        let f = file(files, entry["path"].as_str().unwrap());
        assert_eq!(entry["bytes"], f.contents.len(), "{}", f.path);
        assert_eq!(
            entry["sha256"],
            publish::sha256_hex(f.contents.as_bytes()),
            "{}",
            f.path
        );
    }

    let sums = text(file(files, "SHA256SUMS"));
    assert_eq!(
        sums.lines().count(),
        files.len() - 1,
        "every file but itself"
    );
    for line in sums.lines() {
        let (sum, path) = line.split_once("  ").unwrap();
        assert_eq!(
            sum,
            publish::sha256_hex(file(files, path).contents.as_bytes()),
            "{path}"
        );
    }
    // A known digest, so the helper cannot drift from SHA-256 unnoticed.
    assert_eq!(
        publish::sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn the_pages_link_only_local_files_and_show_every_operation() {
    let files = built();
    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
        let page = text(f);
        assert!(!page.contains("<script"), "{}: a script", f.path);
        for attribute in [
            "src=\"http",
            "src=\"//",
            "<link rel=\"stylesheet\" href=\"http",
        ] {
            assert!(!page.contains(attribute), "{}: {attribute}", f.path);
        }
        assert!(
            page.contains("assets/reference.css"),
            "{}: stylesheet",
            f.path
        );
    }
    let index: serde_json::Value =
        serde_json::from_str(&file(files, "index.json").contents).unwrap();
    for entry in index["documents"].as_array().unwrap() {
        let page = text(file(files, entry["html"]["path"].as_str().unwrap()));
        for id in entry["operations"].as_array().unwrap() {
            let id = id.as_str().unwrap();
            assert!(
                page.contains(&format!("data-operation-id=\"{id}\"")),
                "{id}"
            );
        }
        let home = text(file(files, "index.html"));
        for k in ["html", "json", "yaml"] {
            let href = format!("href=\"{}\"", entry[k]["path"].as_str().unwrap());
            assert!(home.contains(&href), "index.html lacks {href}");
        }
    }
}

#[test]
fn publishing_twice_gives_the_same_bytes_and_writes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = built();
    let written = publish::write(dir.path(), first).unwrap();
    assert_eq!(written.written.len(), first.len());
    assert_eq!(build(), first);
    let again = publish::write(dir.path(), first).unwrap();
    assert_eq!(again, publish::Written::default());
    for f in first {
        assert_eq!(
            std::fs::read_to_string(dir.path().join(&f.path)).unwrap(),
            f.contents
        );
    }
}

/// A file an earlier publish listed and this one no longer writes (a renamed document) would
/// otherwise be uploaded to the portal with the rest; anything publish did not write stays.
#[test]
fn a_file_no_longer_published_is_removed_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let files = built();
    publish::write(dir.path(), files).unwrap();
    let mut index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("index.json")).unwrap()).unwrap();
    index["documents"][0]["yaml"]["path"] = "renamed-long-ago.yaml".into();
    index["files"][0]["path"] = "../outside.txt".into();
    std::fs::write(dir.path().join("index.json"), index.to_string()).unwrap();
    std::fs::write(dir.path().join("renamed-long-ago.yaml"), "old").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    std::fs::write(
        dir.path().parent().unwrap().join("outside.txt"),
        "not publish's",
    )
    .ok();

    let result = publish::write(dir.path(), files).unwrap();
    assert_eq!(result.removed, ["renamed-long-ago.yaml"]);
    assert_eq!(result.written, ["index.json"]);
    assert!(dir.path().join("notes.txt").exists());
    assert!(!dir.path().join("renamed-long-ago.yaml").exists());
}

#[test]
fn a_document_that_fails_the_lint_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    for family in FAMILIES {
        let parts = xtask::document::Document::read(&root(), family).unwrap();
        xtask::document::write_parts(dir.path(), &parts).unwrap();
    }
    // The first file of the identity store's document with a local $ref.
    let part = xtask::document::Document::read(&root(), FAMILIES[2])
        .unwrap()
        .into_iter()
        .find(|p| p.source.contains("$ref: \"#/components/"))
        .unwrap();
    let broken = dir.path().join(&part.path);
    let source = part.source;
    let first_ref = source
        .find("$ref: \"#/components/")
        .expect("a $ref to break");
    let source = format!(
        "{}$ref: \"common.yaml#/components/{}",
        &source[..first_ref],
        &source[first_ref + "$ref: \"#/components/".len()..]
    );
    std::fs::write(&broken, source).unwrap();

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let out_dir = dir.path().join("dist");
    let ok = publish::command(dir.path(), &out_dir, &mut out, &mut err).unwrap();
    let err = String::from_utf8(err).unwrap();
    assert!(!ok);
    assert!(err.contains(&part.path), "{err}");
    assert!(err.contains("not local to this document"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!out_dir.exists());
}

#[test]
fn the_source_commit_is_head_and_says_when_the_document_was_edited() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}");
        String::from_utf8(status.stdout).unwrap().trim().to_owned()
    };
    assert_eq!(publish::source_commit(dir.path(), "a.yaml"), "unknown");
    git(&["init", "-q"]);
    std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
    std::fs::write(dir.path().join("b.yaml"), "b: 1\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "docs"]);
    let head = git(&["rev-parse", "HEAD"]);
    assert_eq!(publish::source_commit(dir.path(), "a.yaml"), head);
    std::fs::write(dir.path().join("a.yaml"), "a: 2\n").unwrap();
    assert_eq!(
        publish::source_commit(dir.path(), "a.yaml"),
        format!("{head}-dirty")
    );
    assert_eq!(publish::source_commit(dir.path(), "b.yaml"), head);
}

/// Where the family's document is written: `openapi/<stem>/` once split, its single file before.
fn written_in(family: xtask::families::Family) -> String {
    if root().join(family.directory()).is_dir() {
        format!("{}/", family.directory())
    } else {
        family.document.to_owned()
    }
}
