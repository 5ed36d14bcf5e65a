//! Examples through their types: what the vendors' pages show, and every example in the documents.

use serde_json::Value;
use xtask::families::FAMILIES;

use super::model_types;
use super::support::{document, family, response_examples};

/// The JSON examples of the vendor pages (copied verbatim into vendor-examples/; STS's from the
/// JSON response examples of the vendor's API metadata, which its pages show), with the
/// operation's family, response type, and path in its document.
const VENDOR_EXAMPLES: [(&str, &str, &str, &str); 13] = [
    (
        "ListApplicationTokens",
        "eiam",
        "ListApplicationTokensResponse",
        "/ListApplicationTokens",
    ),
    (
        "ObtainApplicationToken",
        "eiam",
        "ObtainApplicationTokenResponse",
        "/ObtainApplicationToken",
    ),
    (
        "ObtainApplicationClientSecret",
        "eiam",
        "ObtainApplicationClientSecretResponse",
        "/ObtainApplicationClientSecret",
    ),
    (
        "ListAuthenticationTokens",
        "eiam_developerapi",
        "ListAuthenticationTokensResponse",
        "/v2/{instanceId}/authenticationTokens",
    ),
    (
        "ListUsers",
        "eiam_developerapi",
        "ListUsersResponse",
        "/v2/{instanceId}/{applicationId}/users",
    ),
    (
        "CreateOrganizationalUnit",
        "eiam_developerapi",
        "CreateOrganizationalUnitResponse",
        "/v2/{instanceId}/{applicationId}/organizationalUnits",
    ),
    (
        "ListBearerTokens",
        "identitystore",
        "ListBearerTokensResponse",
        "/v1/identity-stores/{identity_store_id}/tenant/{tenant_id}/bearer-token",
    ),
    (
        "ResetPwdMode",
        "identitystore",
        "ResetPwdModeResponse",
        "/v1/identity-stores/{identity_store_id}/users/{user_id}/reset-password",
    ),
    (
        "GetIdentityStoreSummary",
        "identitystore",
        "GetIdentityStoreSummaryResponse",
        "/v1/identity-stores/{identity_store_id}/identity-store-summary",
    ),
    ("AssumeRole", "sts", "AssumeRoleResponse", "/AssumeRole"),
    (
        "AssumeRoleWithOIDC",
        "sts",
        "AssumeRoleWithOidcResponse",
        "/AssumeRoleWithOIDC",
    ),
    (
        "AssumeRoleWithSAML",
        "sts",
        "AssumeRoleWithSamlResponse",
        "/AssumeRoleWithSAML",
    ),
    (
        "GetCallerIdentity",
        "sts",
        "GetCallerIdentityResponse",
        "/GetCallerIdentity",
    ),
];

fn vendor_example(operation: &str) -> Value {
    let path = format!(
        "{}/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Deserializes into the type and serializes back; the result must equal the input.
fn assert_roundtrip(family: &str, type_name: &str, example: &Value, what: &str) {
    let model = model_types::get(family, type_name);
    let (back, _) = (model.roundtrip)(example)
        .unwrap_or_else(|e| panic!("{what}: does not deserialize into {type_name}: {e}"));
    assert_eq!(
        &back, example,
        "{what}: {type_name} does not give back the same JSON"
    );
}

#[test]
fn vendor_page_examples_round_trip_through_their_types() {
    for (operation, family, type_name, _) in VENDOR_EXAMPLES {
        assert_roundtrip(family, type_name, &vendor_example(operation), operation);
    }
}

#[test]
fn the_documents_carry_the_vendor_page_examples_unchanged() {
    for (operation, family_name, _, path) in VENDOR_EXAMPLES {
        let document = document(&family(family_name));
        // The operation itself, not the first of its path: a path may hold several (a list's GET
        // beside a create's POST).
        let example = document["paths"][path]
            .as_object()
            .into_iter()
            .flatten()
            .find(|(_, op)| op["operationId"] == operation)
            .unwrap_or_else(|| panic!("{operation}: not at {path} in the document"))
            .1
            .pointer("/responses/200/content/application~1json/example")
            .unwrap_or_else(|| panic!("{operation}: no 200 example in the document"));
        assert_eq!(
            example,
            &vendor_example(operation),
            "{operation}: the document's example differs from the vendor page"
        );
    }
}

/// The quirks that docs/wire.md says a faithful client keeps.
#[test]
fn vendor_quirks_survive() {
    let list = vendor_example("ListApplicationTokens");
    assert_eq!(list["ApplicationTokens"][0]["AliUid"], 0);
    let typed: idtok_eiam_models::ListApplicationTokensResponse =
        serde_json::from_value(list).unwrap();
    assert_eq!(
        typed.application_tokens.as_ref().unwrap()[0].ali_uid,
        Some(0)
    );

    let secret: idtok_eiam_models::ObtainApplicationClientSecretResponse =
        serde_json::from_value(vendor_example("ObtainApplicationClientSecret")).unwrap();
    assert_eq!(
        secret
            .application_client_secret
            .unwrap()
            .secret_id
            .as_deref(),
        Some(" sci_k52x2ru63rlkflina5utgkxxxx")
    );

    // Huawei times are JSON numbers: integer in the examples, and a float form is accepted too.
    let float_form = r#"{"bearer_tokens":[{"creation_time":1754277891140.0,"expiration_time":1785813891000,"token_id":"t"}]}"#;
    let typed: idtok_identitystore_models::ListBearerTokensResponse =
        serde_json::from_str(float_form).unwrap();
    assert_eq!(
        typed.bearer_tokens.as_ref().unwrap()[0]
            .creation_time
            .as_millis(),
        Some(1754277891140)
    );
    assert_eq!(serde_json::to_string(&typed).unwrap(), float_form);
}

#[test]
fn every_example_in_the_documents_round_trips() {
    let mut seen = 0;
    for family in FAMILIES {
        for (at, type_name, example) in response_examples(document(&family)) {
            assert_roundtrip(
                family.name,
                &type_name,
                &example,
                &format!("{}: {at}", family.document),
            );
            seen += 1;
        }
    }
    // 5 operations' success examples plus 2 error responses per family.
    assert!(seen >= 11, "only {seen} examples found");
}

/// Every array in `value`, at any depth, emptied; and an unknown key added to every object.
fn emptied_and_extended(value: &Value) -> Value {
    match value {
        Value::Array(_) => Value::Array(Vec::new()),
        Value::Object(object) => {
            let mut out: serde_json::Map<String, Value> = object
                .iter()
                .map(|(k, v)| (k.clone(), emptied_and_extended(v)))
                .collect();
            out.insert(
                "zNotInTheDocument".to_owned(),
                serde_json::json!({"kept": [1, "two", null], "empty": []}),
            );
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Reading an answer and writing it back gives the same JSON: a present empty array stays `[]`
/// (not dropped, as it was: `{"entities": []}` became `{}`), and keys the document does not name
/// are kept, at every level, in every answer the documents show.
#[test]
fn answers_with_empty_arrays_and_unknown_keys_round_trip() {
    let mut seen = 0;
    for family in FAMILIES {
        for (at, type_name, example) in response_examples(document(&family)) {
            for variant in [emptied_and_extended(&example), {
                // Arrays kept, each element extended.
                let mut v = example.clone();
                extend_elements(&mut v);
                v
            }] {
                assert_roundtrip(
                    family.name,
                    &type_name,
                    &variant,
                    &format!(
                        "{}: {at} with empty arrays and unknown keys",
                        family.document
                    ),
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 11, "only {seen} examples found");
}

/// Adds an unknown key to every object inside an array.
fn extend_elements(value: &mut Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                if let Value::Object(object) = item {
                    object.insert("zNotInTheDocument".to_owned(), Value::from(1));
                }
                extend_elements(item);
            }
        }
        Value::Object(object) => object.values_mut().for_each(extend_elements),
        _ => {}
    }
}

/// Unknown keys in an error body are kept, not dropped (the lowerCamelCase spellings of the
/// developer API among them).
#[test]
fn error_bodies_lose_nothing() {
    let body = serde_json::json!({"requestId": "r-1", "code": "Forbidden.AccessTokenScope", "message": "m", "Code": "C"});
    assert_roundtrip(
        "eiam_developerapi",
        "ErrorResponse",
        &body,
        "lowerCamelCase error",
    );
    let typed: idtok_eiam_developerapi_models::ErrorResponse =
        serde_json::from_value(body).unwrap();
    assert_eq!(typed.code.as_deref(), Some("C"));
    assert_eq!(typed.extra["requestId"], "r-1");
}
