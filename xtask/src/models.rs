//! The model crate of a family: its components' schemas as Rust types, by typify.

use proc_macro2::TokenStream;
use serde_json::{json, Value};
use typify::{TypeSpace, TypeSpaceSettings};

use crate::document::{Document, Problem};
use crate::families::SECRET_TYPE;
use crate::json_schema::{schemars_object, to_json_schema};

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

pub fn generate(document: &Document) -> Result<TokenStream, Problem> {
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

    let mut definitions = Vec::new();
    for (name, schema) in component_schemas(document) {
        let pointer = format!("/components/schemas/{name}");
        let schema: schemars::schema::Schema = serde_json::from_value(to_json_schema(&schema))
            .map_err(|e| {
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
    Ok(type_space.to_stream())
}
