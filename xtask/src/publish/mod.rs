//! `cargo xtask publish [--out DIR]`: what an API portal takes, written to `dist/`.
//!
//! For each family: the document as one file in JSON and in YAML (the bundle), and its HTML
//! reference; then an index page, `index.json` (every file with its SHA-256 and size) and
//! `SHA256SUMS` (for `sha256sum -c`).
//!
//! A bundle is the document exactly as written, keys in the authored order, with two stamps in
//! `info`: `x-source-document` and `x-source-commit`. There are no external `$ref`s to inline:
//! the generator already requires every document to be self-contained, and publish runs the same
//! lint as `cargo xtask gen` and refuses a document that fails it, so a portal never receives a
//! document the clients were not generated from.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_yaml::Value;
use sha2::{Digest, Sha256};

use crate::document::{Document, Problem};
use crate::families::{Family, FAMILIES};
use crate::gen::codegen::{write_changed, GeneratedFile};
use reference_html::{FamilyPage, IndexEntry};

pub mod reference_html;
pub mod yaml_writer;

/// The output directory when `--out` is not given, relative to the workspace root.
pub const DEFAULT_OUT_DIR: &str = "dist";

/// Names `index.json` as ours, so a later run may remove the files it listed and no others.
const GENERATOR: &str = "cargo xtask publish";

/// One family's bundle, and the names of the files it is published as.
pub struct Bundle {
    pub family: Family,
    /// The stamped document, keys in the authored order.
    pub document: Value,
    /// `eiam-2021-12-01.openapi.json`: the document's file stem, then what the file is.
    pub json_file: String,
    pub yaml_file: String,
    /// The HTML reference, `eiam-2021-12-01.html`.
    pub html_file: String,
    /// What each operation sends on the wire, by operationId (`crate::wire`).
    pub wire: std::collections::HashMap<String, String>,
}

/// The bundle of one family, stamped with `source_commit`; the lint's problems if it fails it.
pub fn bundle(root: &Path, family: Family, source_commit: &str) -> Result<Bundle, Vec<Problem>> {
    let document = Document::load(root, family).map_err(|p| vec![p])?;
    let problems = crate::lint::check(&document);
    if !problems.is_empty() {
        return Err(problems);
    }
    // The bundle in the authored key order, which serde_json's map (sorted) would not keep.
    let mut value: Value = with_string_keys(document.bundle.clone());
    let Some(info) = value.get_mut("info").and_then(Value::as_mapping_mut) else {
        return Err(vec![document.problem("/info", "info must be a mapping")]);
    };
    info.insert("x-source-document".into(), document.written_in().into());
    info.insert("x-source-commit".into(), source_commit.into());
    let stem = Path::new(family.document)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(family.name)
        .to_owned();
    Ok(Bundle {
        family,
        document: value,
        json_file: format!("{stem}.openapi.json"),
        yaml_file: format!("{stem}.openapi.yaml"),
        html_file: format!("{stem}.html"),
        wire: document
            .operations
            .iter()
            .map(|o| (o.id.clone(), crate::wire::sentence(&document, o)))
            .collect(),
    })
}

/// JSON and YAML keys alike: a YAML key such as `200:` (a number) becomes `"200"`, as JSON has it.
fn with_string_keys(value: Value) -> Value {
    match value {
        Value::Mapping(mapping) => Value::Mapping(
            mapping
                .into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s,
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim_end()
                            .to_owned(),
                    };
                    (Value::String(key), with_string_keys(v))
                })
                .collect(),
        ),
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(with_string_keys).collect())
        }
        Value::Tagged(tagged) => with_string_keys(tagged.value),
        other => other,
    }
}

/// Every file `publish` writes, in a stable order, from the documents under `root`.
pub fn build(
    root: &Path,
    source_commit: &dyn Fn(&str) -> String,
) -> Result<Vec<GeneratedFile>, Vec<Problem>> {
    let mut bundles = Vec::new();
    let mut problems = Vec::new();
    for family in FAMILIES {
        // The directory once the document is split, its single file before.
        let written = if root.join(family.directory()).is_dir() {
            family.directory()
        } else {
            family.document
        };
        match bundle(root, family, &source_commit(written)) {
            Ok(b) => bundles.push(b),
            Err(p) => problems.extend(p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut files = Vec::new();
    for b in &bundles {
        let mut json = serde_json::to_string_pretty(&b.document).map_err(|e| {
            vec![problem(
                b.family,
                format!("cannot write the JSON bundle: {e}"),
            )]
        })?;
        json.push('\n');
        let yaml = yaml_writer::to_yaml(&b.document);
        let page = reference_html::family_page(&FamilyPage {
            bundle: &b.document,
            json_file: &b.json_file,
            yaml_file: &b.yaml_file,
            wire: &b.wire,
        });
        files.push(GeneratedFile {
            path: b.json_file.clone(),
            contents: json,
        });
        files.push(GeneratedFile {
            path: b.yaml_file.clone(),
            contents: yaml,
        });
        files.push(GeneratedFile {
            path: b.html_file.clone(),
            contents: page,
        });
    }
    let entries: Vec<IndexEntry> = bundles
        .iter()
        .map(|b| IndexEntry {
            bundle: &b.document,
            page_file: &b.html_file,
            json_file: &b.json_file,
            yaml_file: &b.yaml_file,
        })
        .collect();
    files.push(GeneratedFile {
        path: "index.html".to_owned(),
        contents: reference_html::index_page(&entries),
    });
    files.push(GeneratedFile {
        path: reference_html::STYLESHEET_FILE.to_owned(),
        contents: reference_html::STYLESHEET.to_owned(),
    });

    files.push(GeneratedFile {
        path: "index.json".to_owned(),
        contents: index_json(&bundles, &files),
    });
    files.push(GeneratedFile {
        path: "SHA256SUMS".to_owned(),
        contents: sha256sums(&files),
    });
    Ok(files)
}

fn problem(family: Family, message: String) -> Problem {
    Problem {
        document: family.document.to_owned(),
        line: None,
        pointer: String::new(),
        message,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_entry(files: &[GeneratedFile], path: &str) -> serde_json::Value {
    let contents = files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_bytes())
        .unwrap_or_default();
    serde_json::json!({
        "path": path,
        "bytes": contents.len(),
        "sha256": sha256_hex(contents),
    })
}

/// `index.json`: each family's bundles and page with checksums, then the shared files.
fn index_json(bundles: &[Bundle], files: &[GeneratedFile]) -> String {
    let text = |b: &Bundle, key: &str| {
        b.document
            .get("info")
            .and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let documents: Vec<serde_json::Value> = bundles
        .iter()
        .map(|b| {
            serde_json::json!({
                "family": b.family.name,
                "title": text(b, "title"),
                "version": text(b, "version"),
                "openapi": b.document.get("openapi").and_then(Value::as_str).unwrap_or_default(),
                "source_document": text(b, "x-source-document"),
                "source_commit": text(b, "x-source-commit"),
                "operations": operation_ids(&b.document),
                "json": file_entry(files, &b.json_file),
                "yaml": file_entry(files, &b.yaml_file),
                "html": file_entry(files, &b.html_file),
            })
        })
        .collect();
    let shared: Vec<serde_json::Value> = ["index.html", reference_html::STYLESHEET_FILE]
        .iter()
        .map(|path| file_entry(files, path))
        .collect();
    let index = serde_json::json!({
        "generator": GENERATOR,
        "documents": documents,
        "files": shared,
    });
    let mut text = serde_json::to_string_pretty(&index).unwrap_or_default();
    text.push('\n');
    text
}

/// The operationIds of a document, in document order.
pub fn operation_ids(document: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for (_, item) in document
        .get("paths")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
    {
        for (_, operation) in item.as_mapping().into_iter().flatten() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                ids.push(id.to_owned());
            }
        }
    }
    ids
}

/// `sha256sum -c SHA256SUMS` checks every other file.
fn sha256sums(files: &[GeneratedFile]) -> String {
    files
        .iter()
        .map(|f| format!("{}  {}\n", sha256_hex(f.contents.as_bytes()), f.path))
        .collect()
}

/// The commit a document is published from: `HEAD`'s, with `-dirty` when the document differs
/// from it, or `unknown` outside a git checkout (a portal should still get a document).
pub fn source_commit(root: &Path, document: &str) -> String {
    let git = |args: &[&str]| {
        crate::git(root, args)
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "--verify", "--quiet", "HEAD"]).filter(|h| !h.is_empty())
    else {
        return "unknown".to_owned();
    };
    match git(&["status", "--porcelain", "--", document]) {
        Some(status) if status.is_empty() => head,
        _ => format!("{head}-dirty"),
    }
}

/// `cargo xtask publish [--out DIR]`. Writes only files whose contents changed, removes files an
/// earlier run listed in `index.json` that this run no longer writes, and leaves anything else in
/// `out_dir` alone. Returns whether it succeeded.
pub fn command(
    root: &Path,
    out_dir: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let files = match build(root, &|document| source_commit(root, document)) {
        Ok(files) => files,
        Err(problems) => {
            for p in &problems {
                writeln!(err, "error: {p}")?;
            }
            writeln!(
                err,
                "cargo xtask publish: {} problem(s) (the same as `cargo xtask lint` reports); nothing was written",
                problems.len()
            )?;
            return Ok(false);
        }
    };
    let written = write(out_dir, &files).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot write to {}: {e}", out_dir.display()),
        )
    })?;
    for path in &written.written {
        writeln!(out, "wrote {}", out_dir.join(path).display())?;
    }
    for path in &written.removed {
        writeln!(
            out,
            "removed {} (no longer published)",
            out_dir.join(path).display()
        )?;
    }
    writeln!(
        out,
        "{}: {} files, {} changed; checksums in index.json and SHA256SUMS",
        out_dir.display(),
        files.len(),
        written.written.len()
    )?;
    Ok(true)
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// Writes `files` under `out_dir`, each only if its contents changed, then removes what an earlier
/// run published and this one does not.
pub fn write(out_dir: &Path, files: &[GeneratedFile]) -> std::io::Result<Written> {
    let before = previously_published(out_dir);
    let now: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut result = Written {
        written: write_changed(out_dir, files)?,
        removed: Vec::new(),
    };
    for old in before.iter().filter(|p| !now.contains(p.as_str())) {
        let path = out_dir.join(old);
        if path.is_file() {
            std::fs::remove_file(&path)?;
            result.removed.push(old.clone());
        }
    }
    Ok(result)
}

/// The files the `index.json` in `out_dir` lists, if an earlier publish wrote it. Only plain
/// relative paths count, so a hand-edited index cannot make publish delete outside `out_dir`.
fn previously_published(out_dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(out_dir.join("index.json")) else {
        return Vec::new();
    };
    let Ok(index) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    if index.get("generator").and_then(|g| g.as_str()) != Some(GENERATOR) {
        return Vec::new();
    }
    let mut paths = vec!["index.json".to_owned(), "SHA256SUMS".to_owned()];
    let entry_path =
        |e: &serde_json::Value| e.get("path").and_then(|p| p.as_str()).map(str::to_owned);
    for document in index["documents"].as_array().into_iter().flatten() {
        paths.extend(
            ["json", "yaml", "html"]
                .iter()
                .filter_map(|k| entry_path(&document[*k])),
        );
    }
    paths.extend(
        index["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(entry_path),
    );
    paths.retain(|p| {
        let p = PathBuf::from(p);
        p.is_relative()
            && p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
    });
    paths
}
