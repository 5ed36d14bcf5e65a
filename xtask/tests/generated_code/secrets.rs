//! No generated type prints a secret in `Debug`. Every type is filled from its schema with a
//! sentinel in each `format: password` property; where the sentinel goes in, `Debug` (plain and
//! pretty) must not show it, while serialization, the one way out, must.

use serde_json::{json, Map, Value};

use super::model_types;
use super::support::{component, document, family, ref_name};

const SENTINEL: &str = "sentinel-SECRET-9d2f";

/// A value of `schema` with every property set, secrets to the sentinel.
fn sample(document: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return sample(document, component(document, ref_name(reference)));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let filled: Map<String, Value> = properties
                .into_iter()
                .flatten()
                .map(|(name, property)| (name.clone(), sample(document, property)))
                .collect();
            Value::Object(filled)
        }
        Some("array") => json!([sample(document, &schema["items"])]),
        Some("string") if schema.get("format") == Some(&json!("password")) => json!(SENTINEL),
        Some("string") => json!("s"),
        Some("integer") => json!(1),
        Some("number") => json!(2),
        Some("boolean") => json!(true),
        _ => json!({}),
    }
}

#[test]
fn no_type_that_holds_a_secret_prints_it_in_debug() {
    let mut holders = Vec::new();
    for model in model_types::all() {
        let document = document(&family(model.family));
        let value = sample(document, component(document, model.name));
        if !value.to_string().contains(SENTINEL) {
            continue;
        }
        let (back, debug) = (model.roundtrip)(&value).unwrap();
        assert!(
            back.to_string().contains(SENTINEL),
            "{}: the secret did not survive serialization",
            model.name
        );
        assert!(
            !debug.contains(SENTINEL),
            "{}::{} prints a secret in Debug:\n{debug}",
            model.family,
            model.name
        );
        holders.push(model.name);
    }
    // The test must see the secrets the vendor pages name, or it proves nothing.
    for expected in [
        "ApplicationToken",
        "ListApplicationTokensResponse",
        "ObtainedApplicationToken",
        "ObtainApplicationTokenResponse",
        "ApplicationClientSecret",
        "ObtainApplicationClientSecretResponse",
    ] {
        assert!(
            holders.contains(&expected),
            "{expected} holds no secret any more: {holders:?}"
        );
    }
}

#[test]
fn vendor_example_secrets_do_not_show_in_debug() {
    let example = std::fs::read_to_string(format!(
        "{}/tests/vendor-examples/ObtainApplicationClientSecret.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let typed: idtok_eiam_models::ObtainApplicationClientSecretResponse =
        serde_json::from_str(&example).unwrap();
    let debug = format!("{typed:?}");
    assert!(
        !debug.contains("CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx"),
        "{debug}"
    );
    assert!(
        debug.contains("sci_k52x2ru63rlkflina5utgkxxxx"),
        "non-secret fields still print: {debug}"
    );
}
