//! The README's table of operations: every operation of every document, by resource (the
//! document's tags, in the order its `tags` list gives them), with the count per family. Written
//! between two markers of README.md by `cargo xtask gen`, so that `gen --check` fails when the
//! documents and the README disagree.

use serde::{Deserialize, Serialize};

use crate::document::{Document, Problem};
use crate::families::Family;
use crate::gen::codegen::GeneratedFile;

pub const README_FILE: &str = "README.md";

const START: &str = "<!-- operations: written by `cargo xtask gen` from the documents' tags; do not edit by hand -->";
const END: &str = "<!-- end of operations -->";

/// One tag of a document and its operations, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub tag: String,
    /// Each operation's operationId, and whether it pages (`x-paginated`).
    pub operations: Vec<(String, bool)>,
}

/// The document's operations by tag: the tags its `tags` list names first, in that order, then
/// any other an operation names, in the order they first appear. An operation is listed under
/// its first tag.
pub fn resources(document: &Document) -> Vec<Resource> {
    let mut resources: Vec<Resource> = document.json["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| tag["name"].as_str())
        .map(|tag| Resource {
            tag: tag.to_owned(),
            operations: Vec::new(),
        })
        .collect();
    for operation in &document.operations {
        let tag = operation.json["tags"][0].as_str().unwrap_or("(untagged)");
        let entry = (operation.id.clone(), operation.paging.is_some());
        match resources.iter_mut().find(|r| r.tag == tag) {
            Some(resource) => resource.operations.push(entry),
            None => resources.push(Resource {
                tag: tag.to_owned(),
                operations: vec![entry],
            }),
        }
    }
    resources.retain(|r| !r.operations.is_empty());
    for resource in &mut resources {
        resource.operations.sort();
    }
    resources
}

/// The text between the markers.
pub fn table(families: &[(Family, Vec<Resource>)]) -> String {
    let count =
        |resources: &[Resource]| -> usize { resources.iter().map(|r| r.operations.len()).sum() };
    let total: usize = families.iter().map(|(_, r)| count(r)).sum();
    let per_family: Vec<String> = families
        .iter()
        .map(|(family, r)| format!("`{}` {}", family.command_name(), count(r)))
        .collect();
    let mut text = format!(
        "{total} operations: {}. A paged list has `.stream()` in the library and `--all` in `idtok`.\n\n| family | resource | operations |\n|---|---|---|\n",
        per_family.join(", ")
    );
    for (family, resources) in families {
        for resource in resources {
            let operations: Vec<String> = resource
                .operations
                .iter()
                .map(|(id, paged)| {
                    if *paged {
                        format!("`{id}` (paged)")
                    } else {
                        format!("`{id}`")
                    }
                })
                .collect();
            text.push_str(&format!(
                "| `{}` | {} | {} |\n",
                family.command_name(),
                resource.tag,
                operations.join(", ")
            ));
        }
    }
    text
}

/// README.md with the table between its markers replaced.
pub fn readme_with(readme: &str, table: &str) -> Result<String, String> {
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        return Err(format!(
            "README.md needs the two lines `{START}` and `{END}`, between which `cargo xtask gen` writes the table of operations"
        ));
    };
    if end < start {
        return Err(format!("README.md: `{END}` comes before `{START}`"));
    }
    let before = &readme[..start + START.len()];
    let after = &readme[end..];
    Ok(format!("{before}\n{table}{after}"))
}

/// README.md as `cargo xtask gen` writes it.
pub fn readme_file(
    root: &std::path::Path,
    families: &[(Family, Vec<Resource>)],
) -> Result<GeneratedFile, Problem> {
    let problem = |message: String| Problem {
        document: README_FILE.to_owned(),
        line: None,
        pointer: String::new(),
        message,
    };
    let readme = std::fs::read_to_string(root.join(README_FILE))
        .map_err(|e| problem(format!("cannot read: {e}")))?;
    let contents = readme_with(&readme, &table(families)).map_err(problem)?;
    Ok(GeneratedFile {
        path: README_FILE.to_owned(),
        contents,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_replaces_what_is_between_the_markers_and_nothing_else() {
        let readme = format!("intro\n{START}\nold table\n{END}\nrest\n");
        let new = readme_with(&readme, "new table\n").unwrap();
        assert_eq!(new, format!("intro\n{START}\nnew table\n{END}\nrest\n"));
        assert_eq!(readme_with(&new, "new table\n").unwrap(), new);
        assert!(readme_with("no markers", "t").unwrap_err().contains(START));
    }

    #[test]
    fn operations_are_counted_per_family_and_paged_lists_marked() {
        let family = crate::families::FAMILIES[0];
        let resources = vec![
            Resource {
                tag: "User".into(),
                operations: vec![("ListUsers".into(), true), ("GetUser".into(), false)],
            },
            Resource {
                tag: "Group".into(),
                operations: vec![("GetGroup".into(), false)],
            },
        ];
        let text = table(&[(family, resources)]);
        assert!(text.starts_with("3 operations: `eiam` 3."), "{text}");
        assert!(text.contains("| `eiam` | User | `ListUsers` (paged), `GetUser` |\n"));
        assert!(text.contains("| `eiam` | Group | `GetGroup` |\n"));
    }
}
