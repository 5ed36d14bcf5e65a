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

/// What `idtok ... --parameter-template <flag>` prints for an object parameter (or an array of
/// objects) of an RPC query string: a filled-in skeleton to edit and give back with `@file`. Every
/// property the schema has, at any depth, holds the document's example of it (the parameter's
/// example first, then the schemas' own); an array holds its example's items, else one skeleton
/// item when its items are objects, else nothing; a value with no example is `null`, which idtok
/// leaves out when it sends the parameter.
pub fn skeleton(json: &Value, parameter: &Value) -> Value {
    skeleton_of(
        json,
        &parameter["schema"],
        parameter_example(json, parameter),
        0,
    )
}

fn skeleton_of(json: &Value, schema: &Value, example: Option<&Value>, depth: usize) -> Value {
    let schema = followed(json, schema);
    let example = example.or_else(|| schema.get("example"));
    // The documents' configurations are a few levels deep; a schema that refers to itself stops.
    if depth > 8 {
        return example.cloned().unwrap_or(Value::Null);
    }
    if let Some(properties) = schema["properties"].as_object() {
        let mut object: serde_json::Map<String, Value> = properties
            .iter()
            .map(|(name, property)| {
                let example = example.and_then(|e| e.get(name));
                (
                    name.clone(),
                    skeleton_of(json, property, example, depth + 1),
                )
            })
            .collect();
        // An open object's example may name keys the schema does not.
        for (name, value) in example.and_then(Value::as_object).into_iter().flatten() {
            object.entry(name.clone()).or_insert_with(|| value.clone());
        }
        return Value::Object(object);
    }
    if schema["type"] == "array" {
        let items = &schema["items"];
        return Value::Array(match example.and_then(Value::as_array) {
            Some(examples) if !examples.is_empty() => examples
                .iter()
                .map(|e| skeleton_of(json, items, Some(e), depth + 1))
                .collect(),
            _ if followed(json, items).get("properties").is_some() => {
                vec![skeleton_of(json, items, None, depth + 1)]
            }
            _ => Vec::new(),
        });
    }
    example.cloned().unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::skeleton;

    #[test]
    fn a_skeleton_has_every_field_with_the_examples_the_document_gives() {
        let document = json!({"components": {"schemas": {
            "Content": {"type": "object", "properties": {
                "ApiKeyContent": {"type": "object", "properties": {
                    "ApiKey": {"type": "string", "format": "password"}}},
                "OAuthClientContent": {"type": "object", "properties": {
                    "ClientId": {"type": "string", "example": "cid"},
                    "ClientSecret": {"type": "string", "format": "password"}}},
                "Scopes": {"type": "array", "items": {"type": "string"}},
                "Rules": {"type": "array", "items": {"type": "object", "properties": {
                    "Name": {"type": "string", "example": "n"}}}}}}}}});
        let parameter = json!({
            "name": "CredentialContent",
            "schema": {"$ref": "#/components/schemas/Content"},
            "example": {"ApiKeyContent": {"ApiKey": "k"}}
        });
        assert_eq!(
            skeleton(&document, &parameter),
            json!({
                "ApiKeyContent": {"ApiKey": "k"},
                "OAuthClientContent": {"ClientId": "cid", "ClientSecret": null},
                "Scopes": [],
                "Rules": [{"Name": "n"}]
            })
        );
    }
}
