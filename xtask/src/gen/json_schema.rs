//! OpenAPI 3.0 schema objects as the JSON Schema that typify reads.
//!
//! The two differ in little: 3.0 has `example` (JSON Schema: `examples`) and `nullable` (JSON Schema:
//! a `null` type), and allows `x-` extensions that mean nothing to typify.
//!
//! The limits a document puts on request values ([`VALUE_LIMITS`]: `enum`, lengths, ranges) are
//! left out: typify would make them closed enums and constrained newtypes, and the library takes
//! plain strings and numbers, as a caller holds them. idtok checks them on its command line
//! (`cli_hooks`), and the service judges.

use serde_json::{Map, Value};

/// Keys whose values are schemas, or maps or lists of schemas.
const SCHEMA_KEYS: [&str; 3] = ["items", "additionalProperties", "not"];
const SCHEMA_MAP_KEYS: [&str; 1] = ["properties"];
const SCHEMA_LIST_KEYS: [&str; 3] = ["allOf", "oneOf", "anyOf"];
/// OpenAPI-only keys that say nothing about the Rust type.
const DROPPED: [&str; 3] = ["discriminator", "xml", "externalDocs"];

/// The keywords that limit a request value: what idtok's flags check, and what the Rust types
/// leave open.
pub const VALUE_LIMITS: [&str; 9] = [
    "enum",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
];

pub fn to_json_schema(schema: &Value) -> Value {
    let Value::Object(object) = schema else {
        return schema.clone(); // `true`/`false` schemas
    };
    let mut out = Map::new();
    for (key, value) in object {
        let key = key.as_str();
        if key.starts_with("x-")
            || DROPPED.contains(&key)
            || VALUE_LIMITS.contains(&key)
            || key == "nullable"
        {
            continue;
        }
        let converted = if key == "example" {
            out.insert("examples".to_owned(), Value::Array(vec![value.clone()]));
            continue;
        } else if SCHEMA_KEYS.contains(&key) {
            to_json_schema(value)
        } else if SCHEMA_MAP_KEYS.contains(&key) {
            match value {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), to_json_schema(v)))
                        .collect(),
                ),
                other => other.clone(),
            }
        } else if SCHEMA_LIST_KEYS.contains(&key) {
            match value {
                Value::Array(list) => Value::Array(list.iter().map(to_json_schema).collect()),
                other => other.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(key.to_owned(), converted);
    }
    if object.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(Value::String(t)) = out.get("type").cloned() {
            out.insert("type".to_owned(), serde_json::json!([t, "null"]));
        }
    }
    Value::Object(out)
}

/// An OpenAPI schema without its [`VALUE_LIMITS`], at any depth: what progenitor is given for a
/// parameter, so that the client takes any string or number.
pub fn without_value_limits(schema: &mut Value) {
    let Value::Object(object) = schema else {
        return;
    };
    object.retain(|key, _| !VALUE_LIMITS.contains(&key.as_str()));
    for (key, value) in object.iter_mut() {
        let key = key.as_str();
        if SCHEMA_KEYS.contains(&key) {
            without_value_limits(value);
        } else if SCHEMA_MAP_KEYS.contains(&key) {
            if let Value::Object(map) = value {
                map.values_mut().for_each(without_value_limits);
            }
        } else if SCHEMA_LIST_KEYS.contains(&key) {
            if let Value::Array(list) = value {
                list.iter_mut().for_each(without_value_limits);
            }
        }
    }
}

/// The schema typify compares against when it looks for a conversion (metadata aside).
pub fn schemars_object(schema: Value) -> schemars::schema::SchemaObject {
    match serde_json::from_value(to_json_schema(&schema)) {
        Ok(schemars::schema::Schema::Object(object)) => object,
        _ => unreachable!("a literal schema object: {schema}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn example_nullable_and_extensions_become_json_schema() {
        let schema = json!({
            "type": "object",
            "x-note": "dropped",
            "properties": {
                "a": {"type": "string", "nullable": true, "example": "x"},
                "b": {"type": "array", "items": {"$ref": "#/components/schemas/B", "x-y": 1}}
            }
        });
        assert_eq!(
            to_json_schema(&schema),
            json!({
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"], "examples": ["x"]},
                    "b": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}
                }
            })
        );
    }

    #[test]
    fn value_limits_are_left_to_the_command_line() {
        let schema = json!({
            "type": "object",
            "properties": {
                "Status": {"type": "string", "enum": ["enabled", "disabled"], "maxLength": 16},
                "Page": {"type": "integer", "minimum": 1, "maximum": 100},
                "Ids": {"type": "array", "maxItems": 200, "items": {"type": "string", "enum": ["a"]}}
            }
        });
        assert_eq!(
            to_json_schema(&schema),
            json!({
                "type": "object",
                "properties": {
                    "Status": {"type": "string"},
                    "Page": {"type": "integer"},
                    "Ids": {"type": "array", "items": {"type": "string"}}
                }
            })
        );
    }

    #[test]
    fn a_described_secret_matches_the_bare_conversion_key() {
        let key = schemars_object(json!({"type": "string", "format": "password"}));
        let mut described = schemars_object(
            json!({"type": "string", "format": "password", "description": "d", "example": "e"}),
        );
        described.metadata = None;
        assert_eq!(key, described);
    }
}
