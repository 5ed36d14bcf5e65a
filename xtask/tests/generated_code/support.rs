//! Reading the documents in tests.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;
use xtask::families::{Family, FAMILIES};

pub fn family(name: &str) -> Family {
    FAMILIES
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no family {name}"))
}

/// A document as JSON, bundled from its files as generation bundles it. Read once per test binary:
/// the checks look up a component per model type, and reading a document of hundreds of
/// operations for each of them was most of their time.
pub fn document(family: &Family) -> &'static Value {
    static READ: OnceLock<Mutex<HashMap<&'static str, &'static Value>>> = OnceLock::new();
    let mut read = READ
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    read.entry(family.name).or_insert_with(|| {
        let parts = xtask::document::Document::read(&xtask::workspace_root(), *family)
            .unwrap_or_else(|p| panic!("{p}"));
        let bundle = xtask::document::Document::bundle_json(&parts)
            .unwrap_or_else(|(part, e)| panic!("{part}: {e}"));
        Box::leak(Box::new(bundle))
    })
}

pub fn component<'a>(document: &'a Value, name: &str) -> &'a Value {
    document
        .pointer(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("no component schema {name}"))
}

/// `#/components/schemas/X` -> `X`.
pub fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

/// Every `application/json` example of the document's responses (operations and
/// `components/responses`): (where, schema name, example).
pub fn response_examples(document: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut visit = |at: String, response: &Value| {
        let Some(body) = response.pointer("/content/application~1json") else {
            return;
        };
        if let (Some(reference), Some(example)) = (
            body.pointer("/schema/$ref").and_then(Value::as_str),
            body.get("example"),
        ) {
            out.push((at, ref_name(reference).to_owned(), example.clone()));
        }
    };
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                visit(format!("{path} {method} {status}"), response);
            }
        }
    }
    for (name, response) in document
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        visit(format!("components/responses/{name}"), response);
    }
    out
}
