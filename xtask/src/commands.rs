//! The commands of `cargo xtask`, writing what they say to the given streams (tests capture them).

use std::io::Write;
use std::path::Path;

use crate::document::Document;
use crate::families::FAMILIES;
use crate::gen::codegen::{generate_all, stale, write_changed};

/// `cargo xtask gen [--check]`. Returns whether it succeeded.
pub fn gen(
    root: &Path,
    check: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let files = match generate_all(root) {
        Ok(files) => files,
        Err(problems) => {
            for problem in &problems {
                writeln!(err, "error: {problem}")?;
            }
            writeln!(
                err,
                "cargo xtask gen: {} problem(s); no generated file was changed",
                problems.len()
            )?;
            return Ok(false);
        }
    };
    if check {
        let stale = stale(root, &files);
        for f in &stale {
            writeln!(err, "stale: {}", f.path)?;
        }
        if !stale.is_empty() {
            writeln!(
                err,
                "{} generated file(s) are out of date with openapi/; run `cargo xtask gen` and commit the result",
                stale.len()
            )?;
        }
        return Ok(stale.is_empty());
    }
    let written = write_changed(root, &files).map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot write the generated files: {e}"))
    })?;
    for path in &written {
        writeln!(out, "wrote {path}")?;
    }
    if written.is_empty() {
        writeln!(out, "up to date ({} files)", files.len())?;
    }
    Ok(true)
}

/// `cargo xtask lint`: every problem in every document. Returns whether there were none.
pub fn lint(root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<bool> {
    let mut count = 0;
    for family in FAMILIES {
        let problems = match Document::load(root, family) {
            Ok(document) => match crate::lint::sdk_coverage::read_list(root, family) {
                Ok(list) => crate::lint::check_with_sdk(&document, list.as_deref()),
                Err(problem) => {
                    let mut problems = crate::lint::check(&document);
                    problems.push(problem);
                    problems
                }
            },
            Err(problem) => vec![problem],
        };
        for problem in &problems {
            writeln!(err, "error: {problem}")?;
        }
        count += problems.len();
    }
    if count == 0 {
        writeln!(out, "{} documents, no problems", FAMILIES.len())?;
    } else {
        writeln!(err, "cargo xtask lint: {count} problem(s)")?;
    }
    Ok(count == 0)
}
