//! The model crate of a family: its components' schemas as Rust types, by typify.

use serde_json::{json, Value};
use typify::{TypeSpace, TypeSpaceSettings};

use crate::document::{Document, Problem};
use crate::families::SECRET_TYPE;
use crate::gen::json_schema::{schemars_object, to_json_schema};

/// The component schemas of a document, by name, in document order.
pub fn component_schemas(document: &Document) -> Vec<(String, Value)> {
    document
        .json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// All of a document that [`generate`] reads (besides the family, which the cache key names):
/// the component schemas, and which of them an answer holds. The key of the models' cache.
pub fn input(document: &Document) -> (String, std::collections::BTreeSet<String>) {
    let schemas = component_schemas(document)
        .into_iter()
        .map(|(name, schema)| json!([name, schema]))
        .collect();
    (Value::Array(schemas).to_string(), answer_schemas(document))
}

pub fn generate(document: &Document) -> Result<syn::File, Problem> {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_struct_builder(true)
        .with_derive("::schemars::JsonSchema".to_owned())
        .with_conversion(
            schemars_object(json!({"type": "string", "format": "password"})),
            SECRET_TYPE,
            [].into_iter(),
        );
    if let Some(number_type) = document.family.number_type {
        settings.with_conversion(
            schemars_object(json!({"type": "number"})),
            number_type,
            [].into_iter(),
        );
    }

    let answers = answer_schemas(document);
    let mut definitions = Vec::new();
    for (name, schema) in component_schemas(document) {
        let pointer = format!("/components/schemas/{name}");
        let mut schema = to_json_schema(&schema);
        lossless(&mut schema, answers.contains(&name));
        let schema: schemars::schema::Schema = serde_json::from_value(schema).map_err(|e| {
            document.problem(
                &pointer,
                format!("not a schema the generator can read: {e}"),
            )
        })?;
        definitions.push((name, schema));
    }

    let mut type_space = TypeSpace::new(&settings);
    type_space
        .add_ref_types(definitions)
        .map_err(|e| document.problem("/components/schemas", format!("typify: {e}")))?;
    // Parsed once, and printed from the syntax tree.
    let mut file: syn::File = syn::parse2(type_space.to_stream())
        .map_err(|e| document.problem("/components/schemas", format!("typify output: {e}")))?;
    // typify writes every free-form object as a serde_json::Map, whose Debug prints the values;
    // the models use the same map whose `Debug` lists keys only (an unknown field may be a secret
    // the document does not name yet).
    let free_form: syn::Type =
        syn::parse_quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>);
    let json_object: syn::Type = syn::parse_quote!(::idtok_secret::JsonObject);
    let (maps, _) = crate::gen::rewrite::types_and_attribute_strings(
        &mut file,
        (&free_form, &json_object),
        (
            "::serde_json::Map::is_empty",
            "::idtok_secret::JsonObject::is_empty",
        ),
    );
    let declares_free_form = component_schemas(document).iter().any(|(_, schema)| {
        serde_json::to_string(schema).is_ok_and(|text| text.contains("additionalProperties"))
    });
    if declares_free_form && maps == 0 {
        return Err(document.problem(
            "/components/schemas",
            "typify no longer writes a free-form object as serde_json::Map; xtask/src/gen/models.rs must learn its new form",
        ));
    }
    Ok(file)
}

/// Makes a type give back the JSON it read (`schema` is already JSON Schema):
/// - an optional array is `Option<Vec<T>>`, so a present `[]` is written back as `[]` (typify
///   makes an optional array a `Vec` that is left out when empty; `jq '.entities[]'` on an
///   empty page needs the `[]`);
/// - an answer's object keeps the keys its schema does not name (`additionalProperties: {}`, a
///   flattened `extra`), unless the document closes it. Request bodies stay closed, so a misspelt
///   key in a body is refused rather than sent.
fn lossless(schema: &mut Value, answer: bool) {
    let Value::Object(object) = schema else {
        return;
    };
    let required: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) && property.get("type") == Some(&json!("array")) {
                property["type"] = json!(["array", "null"]);
            }
            lossless(property, answer);
        }
    }
    if let Some(items) = object.get_mut("items") {
        lossless(items, answer);
    }
    if answer && object.contains_key("properties") && !object.contains_key("additionalProperties") {
        object.insert("additionalProperties".to_owned(), json!({}));
    }
}

const PREFIX: &str = "#/components/schemas/";

/// The component schemas that an answer (a response body) holds, directly or inside another.
fn answer_schemas(document: &Document) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    fn refs_in(value: &Value, out: &mut Vec<String>) {
        crate::lint::walk(value, "", &mut |object, _| {
            if let Some(name) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(PREFIX))
            {
                out.push(name.to_owned());
            }
        });
    }
    // Responses: those of each operation and the shared ones they point at.
    for item in document.json["paths"].as_object().into_iter().flatten() {
        for operation in item.1.as_object().into_iter().flat_map(|o| o.values()) {
            if let Some(responses) = operation.get("responses") {
                refs_in(responses, &mut pending);
            }
        }
    }
    if let Some(responses) = document.json.pointer("/components/responses") {
        refs_in(responses, &mut pending);
    }
    while let Some(name) = pending.pop() {
        if found.insert(name.clone()) {
            if let Some(schema) = document
                .json
                .pointer(&format!("/components/schemas/{name}"))
            {
                refs_in(schema, &mut pending);
            }
        }
    }
    found
}
