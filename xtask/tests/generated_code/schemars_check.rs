//! Each generated type's schemars schema against its component schema (normal form: see
//! xtask::gen::schema_check), so a generator setting or a hand-written type that drifts from the
//! document fails here.

use serde_json::{json, Value};
use xtask::gen::schema_check::{differences, normalise_document_schema, normalise_schemars};

use super::model_types::{self, ModelType};
use super::support::{component, document, family};

fn check(model: &ModelType, document_schema: &Value) -> Vec<String> {
    let rust = normalise_schemars(&(model.schema)());
    differences(&normalise_document_schema(document_schema), &rust)
        .into_iter()
        .map(|d| format!("{}::{}{d}", model.family, model.name))
        .collect()
}

#[test]
fn every_model_type_says_what_its_component_schema_says() {
    let mut found = Vec::new();
    for model in model_types::all() {
        let document = document(&family(model.family));
        found.extend(check(&model, component(document, model.name)));
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The check is only worth something if it notices drift: change the document in memory, as an
/// edit without `cargo xtask gen` would, and it must complain, naming the property.
#[test]
fn a_changed_property_type_or_required_list_is_caught() {
    let model = model_types::get("eiam", "ApplicationToken");
    let document = document(&family("eiam"));
    let original = component(document, "ApplicationToken").clone();
    assert!(check(&model, &original).is_empty());

    let mut retyped = original.clone();
    retyped["properties"]["AliUid"] = json!({"type": "string"});
    let found = check(&model, &retyped);
    assert!(
        found.iter().any(|d| d.contains("/properties/AliUid/type")),
        "{found:#?}"
    );

    let mut required = original.clone();
    required["required"] = json!(["ApplicationTokenId"]);
    let found = check(&model, &required);
    assert!(found.iter().any(|d| d.contains("/required")), "{found:#?}");

    let mut secret_lost = original;
    secret_lost["properties"]["ApplicationToken"] = json!({"type": "string"});
    let found = check(&model, &secret_lost);
    assert!(
        found
            .iter()
            .any(|d| d.contains("/properties/ApplicationToken/format")),
        "{found:#?}"
    );
}
