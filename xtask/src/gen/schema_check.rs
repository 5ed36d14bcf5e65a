//! The "schemars-checked" comparison: does the JSON Schema that a generated Rust type reports
//! (`schemars::schema_for!`) say what the document's component schema says?
//!
//! Both sides are brought to one normal form first. The normalisation, and why:
//! - `$ref`s compare by target name: the document writes `#/components/schemas/X`, schemars
//!   `#/definitions/X`. Both become `{"$ref": "X"}`.
//! - Annotations are dropped: `description`, `example`/`examples`, `title`, `default`,
//!   `readOnly`/`writeOnly`, `deprecated` and `x-` extensions say nothing about the shape, and
//!   schemars writes serde defaults (`default: []`) that the document does not.
//! - A `null` in `type` is dropped: schemars writes `Option<T>` as `type: [T, "null"]`, where the
//!   document says optional by leaving the property out of `required`. `required` itself is kept
//!   and compared as a sorted set, so optionality still has to agree.
//! - `anyOf: [X, {"type": "null"}]` becomes X: that is how schemars writes `Option<T>` when T is
//!   a named type.
//! - `additionalProperties: {}` becomes `true`: both allow anything (the document uses `{}` to make
//!   typify keep unknown keys in a flattened map, which schemars reports as `true`); so does an
//!   object with `properties` and no `additionalProperties`, which JSON Schema reads the same way
//!   (the model generator keeps the unknown keys of answers, so their Rust types say `true`).
//!
//! - The limits of request values (`enum`, lengths, ranges: `json_schema::VALUE_LIMITS`) are
//!   dropped: the Rust types leave them open on purpose, and idtok's flags check them.
//!
//! What is compared, then: `type`, `format`, `properties` (names and, recursively, schemas),
//! `required`, `items`, `additionalProperties` and `anyOf`.

use serde_json::{Map, Value};

const KEPT: [&str; 8] = [
    "type",
    "format",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "$ref",
    "anyOf",
];

/// The document's component schema in normal form.
pub fn normalise_document_schema(schema: &Value) -> Value {
    normalise(schema, "#/components/schemas/")
}

/// A schemars root schema (of one Rust type) in normal form.
pub fn normalise_schemars(root: &schemars::schema::RootSchema) -> Value {
    normalise(
        &serde_json::to_value(&root.schema).expect("schemas serialize"),
        "#/definitions/",
    )
}

fn normalise(schema: &Value, ref_prefix: &str) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    if object.is_empty() {
        return Value::Bool(true); // `{}` allows anything, as `true` does
    }
    if let Some(Value::Array(alternatives)) = object.get("anyOf") {
        let not_null: Vec<&Value> = alternatives
            .iter()
            .filter(|a| a.get("type") != Some(&Value::from("null")))
            .collect();
        if let ([single], 2) = (not_null.as_slice(), alternatives.len()) {
            return normalise(single, ref_prefix);
        }
    }
    let mut out = Map::new();
    for (key, value) in object.iter().filter(|(k, _)| KEPT.contains(&k.as_str())) {
        let value = match key.as_str() {
            "$ref" => {
                let target = value.as_str().unwrap_or_default();
                Value::String(target.strip_prefix(ref_prefix).unwrap_or(target).to_owned())
            }
            "type" => match value {
                Value::Array(types) => {
                    let types: Vec<Value> =
                        types.iter().filter(|t| *t != "null").cloned().collect();
                    match types.as_slice() {
                        [single] => single.clone(),
                        _ => Value::Array(types),
                    }
                }
                other => other.clone(),
            },
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), normalise(property, ref_prefix)))
                    .collect(),
            ),
            "required" => {
                let mut names: Vec<Value> = value.as_array().cloned().unwrap_or_default();
                names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                if names.is_empty() {
                    continue;
                }
                Value::Array(names)
            }
            "items" | "additionalProperties" => normalise(value, ref_prefix),
            "anyOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|v| normalise(v, ref_prefix))
                    .collect(),
            ),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    if out.contains_key("properties") && !out.contains_key("additionalProperties") {
        // JSON Schema's default: unnamed keys are allowed (and the models keep them).
        out.insert("additionalProperties".to_owned(), Value::Bool(true));
    }
    Value::Object(out)
}

/// Where two normal forms differ, as `path: document says X, Rust type says Y` lines.
pub fn differences(document: &Value, rust: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(document, rust, String::new(), &mut out);
    out
}

fn diff(document: &Value, rust: &Value, path: String, out: &mut Vec<String>) {
    match (document, rust) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let at = format!("{path}/{key}");
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff(x, y, at, out),
                    (Some(x), None) => out.push(format!(
                        "{at}: the document says {x}, the Rust type says nothing"
                    )),
                    (None, Some(y)) => out.push(format!(
                        "{at}: the document says nothing, the Rust type says {y}"
                    )),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => out.push(format!(
            "{}: the document says {a}, the Rust type says {b}",
            if path.is_empty() { "/" } else { &path }
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_refs_defaults_and_annotations_normalise_away() {
        let document = json!({
            "type": "object", "description": "d", "additionalProperties": {},
            "properties": {
                "A": {"type": "integer", "format": "int64", "example": 0},
                "B": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
                "C": {"$ref": "#/components/schemas/C"}
            }
        });
        let rust = json!({
            "title": "T", "type": "object", "additionalProperties": true,
            "properties": {
                "A": {"type": ["integer", "null"], "format": "int64"},
                "B": {"default": [], "type": "array", "items": {"$ref": "#/definitions/B"}},
                "C": {"anyOf": [{"$ref": "#/definitions/C"}, {"type": "null"}]}
            }
        });
        let a = normalise(&document, "#/components/schemas/");
        let b = normalise(&rust, "#/definitions/");
        assert_eq!(differences(&a, &b), Vec::<String>::new());
    }

    #[test]
    fn a_changed_type_or_required_list_is_a_difference() {
        let rust = json!({"type": "object", "properties": {"A": {"type": ["integer", "null"], "format": "int64"}}});
        let document =
            json!({"type": "object", "required": ["A"], "properties": {"A": {"type": "string"}}});
        let found = differences(
            &normalise(&document, "#/components/schemas/"),
            &normalise(&rust, "#/definitions/"),
        );
        assert_eq!(
            found,
            [
                "/properties/A/format: the document says nothing, the Rust type says \"int64\"",
                "/properties/A/type: the document says \"string\", the Rust type says \"integer\"",
                "/required: the document says [\"A\"], the Rust type says nothing",
            ]
        );
    }
}
