//! What a page lists: the operations (grouped by tag) and the security each needs.

use serde_yaml::Value;

use super::html::*;
use super::values::*;
use super::*;

/// One `paths` entry: a well-formed operation, or something that could not be one.
pub(super) enum Entry<'a> {
    Operation(Operation<'a>),
    Problem(String),
}

pub(super) struct Operation<'a> {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) value: &'a Value,
    pub(super) path_item: &'a Value,
    pub(super) operation_id: Option<String>,
    /// The element id, `op-{operationId}`.
    pub(super) id: String,
}

impl Operation<'_> {
    /// Its first tag, which files it in the contents.
    pub(super) fn first_tag(&self) -> Option<&str> {
        items(get(self.value, "tags")).first().and_then(str_of)
    }

    pub(super) fn label(&self) -> String {
        self.operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// Every operation in document order: paths as authored, and within a path the methods as they
/// appear in its mapping.
pub(super) fn collect_entries<'a>(doc: &'a Value, ids: &mut Ids) -> Vec<Entry<'a>> {
    let mut found = Vec::new();
    let Some(paths) = get(doc, "paths") else {
        return found;
    };
    if !is_mapping(paths) {
        found.push(Entry::Problem("`paths` is not a mapping.".into()));
        return found;
    }
    for (path, item) in entries(Some(paths)) {
        if !is_mapping(item) {
            found.push(Entry::Problem(format!(
                "The path item `{path}` is not a mapping."
            )));
            continue;
        }
        for (key, value) in entries(Some(item)) {
            let method = key.to_ascii_lowercase();
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if !is_mapping(value) {
                found.push(Entry::Problem(format!(
                    "The operation `{} {path}` is not a mapping: {}",
                    method.to_uppercase(),
                    json(value, false)
                )));
                continue;
            }
            let operation_id = get_str(value, "operationId").map(str::to_string);
            let id = match &operation_id {
                Some(op_id) => ids.claim(format!("op-{}", id_part(op_id))),
                None => ids.claim(format!("op-{method}-{}", id_part(&path))),
            };
            found.push(Entry::Operation(Operation {
                method,
                path: path.clone(),
                value,
                path_item: item,
                operation_id,
                id,
            }));
        }
    }
    found
}

/// The security an operation runs under.
pub(super) enum Security<'a> {
    /// Its own `security`.
    Own(&'a Value),
    /// The document's top-level `security`.
    Default(&'a Value),
    /// Neither is declared.
    Undeclared,
}

pub(super) fn security_of<'a>(doc: &'a Value, operation: &'a Value) -> Security<'a> {
    if let Some(own) = get(operation, "security") {
        Security::Own(own)
    } else if let Some(global) = get(doc, "security") {
        Security::Default(global)
    } else {
        Security::Undeclared
    }
}

impl<'a> Security<'a> {
    pub(super) fn requirements(&self) -> Option<&'a Value> {
        match self {
            Security::Own(v) | Security::Default(v) => Some(v),
            Security::Undeclared => None,
        }
    }

    /// True when a caller needs no credentials at all.
    pub(super) fn is_none(&self) -> bool {
        match self.requirements() {
            None => true,
            Some(reqs) => matches!(untag(reqs), Value::Sequence(s) if s.is_empty()),
        }
    }

    /// The scheme names any alternative mentions.
    pub(super) fn schemes(&self) -> Vec<String> {
        items(self.requirements())
            .iter()
            .flat_map(|req| entries(Some(req)).into_iter().map(|(name, _)| name))
            .collect()
    }
}
