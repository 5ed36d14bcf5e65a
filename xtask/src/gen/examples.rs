//! The document's example values of an operation's parameters and request body: one reading of
//! them for everything generated from them (the client's rustdoc examples, the CLI's `--help`
//! examples and its `--json-body-template`).

use serde_json::Value;

use crate::lint::limits::followed;

/// A parameter's example: its own, else its schema's.
pub fn parameter_example<'a>(json: &'a Value, parameter: &'a Value) -> Option<&'a Value> {
    parameter.get("example").or_else(|| {
        parameter
            .get("schema")
            .and_then(|schema| followed(json, schema).get("example"))
    })
}

/// A request body's example, from its media type object (`content.<type>`): the media type's
/// example, else its schema's, else an object of the examples its properties give (`None` when
/// none does).
pub fn body_example(json: &Value, media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let schema = followed(json, media.get("schema")?);
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    let from_properties: serde_json::Map<String, Value> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(name, property)| {
            let example = followed(json, property).get("example")?;
            Some((name.clone(), example.clone()))
        })
        .collect();
    (!from_properties.is_empty()).then_some(Value::Object(from_properties))
}
