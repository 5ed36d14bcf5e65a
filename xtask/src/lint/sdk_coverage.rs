//! Every operation of the vendor's official SDK is in the document. The SDK's operations are a
//! list in `xtask/sdk-operations/<stem>.txt` (one name per line, `#` comments), taken from the
//! SDK's client (docs/sdk-coverage.md says how); each one the document has no operationId for
//! is a problem at its line of the list. A document may have more (a made-up operation in a
//! scratch copy, an operation a vendor page has and the SDK not yet): those are not checked.
//! A family without a list is not checked.

use std::path::Path;

use crate::document::{Document, Problem};
use crate::families::Family;

/// The directory of the lists, relative to the workspace root.
pub const DIRECTORY: &str = "xtask/sdk-operations";

/// The list of the family's SDK operations: its path relative to the root.
pub fn list_path(family: Family) -> String {
    let stem = family
        .document
        .trim_start_matches("openapi/")
        .trim_end_matches(".yaml");
    format!("{DIRECTORY}/{stem}.txt")
}

/// The list's text, if the family has one (read once by the caller, also for gen's cache key).
pub fn read_list(root: &Path, family: Family) -> Result<Option<String>, Problem> {
    let path = list_path(family);
    match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Problem {
            document: path,
            line: None,
            pointer: String::new(),
            message: format!("cannot read the SDK's operations: {e}"),
        }),
    }
}

/// The SDK operations in `list` (the text of `list_path`) that `document` lacks.
pub fn check(document: &Document, list: &str) -> Vec<Problem> {
    let path = list_path(document.family);
    let sdk = list
        .lines()
        .find_map(|line| line.strip_prefix("# The operations of the official Python SDK "))
        .and_then(|rest| rest.split(" (").next())
        .unwrap_or("the official SDK");
    list.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let name = line.trim();
            (!name.is_empty() && !name.starts_with('#')).then_some((index, name))
        })
        .filter(|(_, name)| !document.operations.iter().any(|op| op.id == *name))
        .map(|(index, name)| Problem {
            document: path.clone(),
            line: Some((index + 1, 1)),
            pointer: String::new(),
            message: format!(
                "{sdk} has the operation {name}, and {} has no operationId {name}",
                document.written_in()
            ),
        })
        .collect()
}
