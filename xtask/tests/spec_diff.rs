//! `cargo xtask diff`: each kind of change, seeded into a copy of a real document, comes out with
//! the right severity and a message that names the thing; and the command, run against a temporary
//! git repository, prints the changelog and fails exactly when it should.

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use xtask::diff::{self as spec_diff, Against, Change, Format, Kind, Options, Severity};

const IDENTITYSTORE: &str = "openapi/identitystore-v1.yaml";
const DEVELOPER: &str = "openapi/eiam-developerapi-2022-02-25.yaml";
const EIAM: &str = "openapi/eiam-2021-12-01.yaml";

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A workspace document, bundled from its files (the names above are the single files the
/// documents were before they were split; the tests' repositories hold them in that form).
fn load(document: &str) -> Value {
    let family = xtask::families::FAMILIES
        .into_iter()
        .find(|f| f.document == document)
        .unwrap();
    let parts = xtask::document::Document::read(workspace(), family).unwrap();
    xtask::document::Document::bundle_json(&parts).unwrap()
}

/// A copy of `doc` with `edit` applied.
fn edited(doc: &Value, edit: impl FnOnce(&mut Value)) -> Value {
    let mut copy = doc.clone();
    edit(&mut copy);
    copy
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the document has no {pointer}"))
}

fn remove(doc: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let removed = match at(doc, parent) {
        Value::Object(map) => map.remove(&key).is_some(),
        Value::Array(list) => {
            let i: usize = key.parse().unwrap();
            list.remove(i);
            true
        }
        _ => false,
    };
    assert!(removed, "nothing to remove at {pointer}");
}

/// The index of the parameter `name` in the list at `pointer`.
fn parameter(doc: &Value, pointer: &str, name: &str) -> usize {
    doc.pointer(pointer)
        .and_then(Value::as_array)
        .and_then(|list| list.iter().position(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("no parameter {name} at {pointer}"))
}

/// Asserts that there is exactly one change, and returns it.
fn single(changes: &[Change]) -> Change {
    assert_eq!(changes.len(), 1, "expected one change, got {changes:#?}");
    changes[0].clone()
}

fn assert_change(change: &Change, severity: Severity, location: &str, words: &[&str]) {
    assert_eq!(change.severity, severity, "{change:?}");
    assert_eq!(change.location, location, "{change:?}");
    for word in words {
        assert!(change.message.contains(word), "{word:?} not in {change:?}");
    }
}

const LIST_BEARER_TOKENS: &str =
    "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token/get";
const DELETE_BEARER_TOKEN: &str = "/paths/~1v1~1identity-stores~1{identity_store_id}~1tenant~1{tenant_id}~1bearer-token~1{token_id}/delete";
const LIST_AUTHENTICATION_TOKENS: &str = "/paths/~1v2~1{instanceId}~1authenticationTokens/get";
const VALIDATE_AUTHENTICATION_TOKEN: &str =
    "/paths/~1v2~1{instanceId}~1authenticationTokens~1_~1actions~1validate/post";

// --- operations ---

#[test]
fn an_operation_removed_is_breaking_and_one_added_is_not() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| remove(d, DELETE_BEARER_TOKEN));
    let removed = spec_diff::compare(&old, &new);
    assert_change(
        &single(&removed),
        Severity::Breaking,
        "DeleteBearerToken",
        &["operation removed", "DELETE /v1/identity-stores/"],
    );
    let added = spec_diff::compare(&new, &old);
    assert_change(
        &single(&added),
        Severity::NonBreaking,
        "DeleteBearerToken",
        &["operation added"],
    );
}

#[test]
fn an_operation_moved_to_another_path_is_breaking() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        let operation = at(d, DELETE_BEARER_TOKEN).take();
        remove(d, DELETE_BEARER_TOKEN);
        at(d, "/paths")["/v1/tokens/{token_id}"] = serde_json::json!({ "delete": operation });
    });
    let changes = spec_diff::compare(&old, &new);
    assert_change(
        &single(&changes),
        Severity::Breaking,
        "DeleteBearerToken",
        &["path changed", "/v1/tokens/{token_id}"],
    );
}

// --- parameters ---

#[test]
fn a_parameter_removed_is_breaking() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let i = parameter(&old, &list, "maxResults");
    let new = edited(&old, |d| remove(d, &format!("{list}/{i}")));
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListAuthenticationTokens",
        &["query parameter `maxResults` removed"],
    );
}

#[test]
fn a_new_required_parameter_is_breaking() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let new = edited(&old, |d| {
        at(d, &list)
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "name": "filter", "in": "query", "required": true, "schema": {"type": "string"}
            }))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListAuthenticationTokens",
        &["new required query parameter `filter`"],
    );
}

#[test]
fn a_new_optional_parameter_is_not_breaking() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let new = edited(&old, |d| {
        at(d, &list)
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "name": "X-Trace", "in": "header", "schema": {"type": "string"}
            }))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["new optional header parameter `X-Trace`"],
    );
}

#[test]
fn a_parameter_becoming_required_is_breaking() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let i = parameter(&old, &list, "maxResults");
    let new = edited(&old, |d| {
        *at(d, &format!("{list}/{i}/required")) = serde_json::json!(true)
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListAuthenticationTokens",
        &["query parameter `maxResults` became required"],
    );
}

#[test]
fn a_parameter_becoming_optional_is_not_breaking() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let i = parameter(&old, &list, "consumerId");
    let new = edited(&old, |d| {
        *at(d, &format!("{list}/{i}/required")) = serde_json::json!(false)
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["query parameter `consumerId` became optional"],
    );
}

#[test]
fn a_parameter_moved_to_another_place_is_removed_and_added() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let i = parameter(&old, &list, "nextToken");
    let new = edited(&old, |d| {
        *at(d, &format!("{list}/{i}/in")) = serde_json::json!("header")
    });
    let changes = spec_diff::compare(&old, &new);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_change(
        &changes[0],
        Severity::Breaking,
        "ListAuthenticationTokens",
        &["query parameter `nextToken` removed"],
    );
    assert_change(
        &changes[1],
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["new optional header parameter `nextToken`"],
    );
}

// --- schemas, through `$ref`s ---

#[test]
fn a_response_field_removed_inside_a_referenced_schema_is_breaking() {
    // ListBearerTokens answers ListBearerTokensResponse, whose `bearer_tokens` items are BearerToken.
    let old = load(IDENTITYSTORE);
    // The field goes from `properties` and from `required`, where the SDK's fields are listed.
    let new = edited(&old, |d| {
        remove(d, "/components/schemas/BearerToken/properties/token_id");
        at(d, "/components/schemas/BearerToken/required")
            .as_array_mut()
            .unwrap()
            .retain(|name| name != "token_id");
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListBearerTokens",
        &["response 200 field `bearer_tokens[].token_id` removed"],
    );
}

#[test]
fn a_response_field_added_is_not_breaking() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        at(d, "/components/schemas/BearerToken/properties")["name"] =
            serde_json::json!({"type": "string"})
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListBearerTokens",
        &["response 200 field `bearer_tokens[].name` added"],
    );
}

#[test]
fn a_type_change_is_breaking_wherever_the_schema_is_used() {
    // ProvisioningTenant is the body of CreateProvisioningTenant and the items of ListProvisioningTenants.
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        *at(
            d,
            "/components/schemas/ProvisioningTenant/properties/creation_time/type",
        ) = serde_json::json!("integer")
    });
    let changes = spec_diff::compare(&old, &new);
    assert_eq!(changes.len(), 2, "{changes:#?}");
    assert_change(
        &changes[0],
        Severity::Breaking,
        "CreateProvisioningTenant",
        &["response 201 field `creation_time`: type changed from number to integer"],
    );
    assert_change(
        &changes[1],
        Severity::Breaking,
        "ListProvisioningTenants",
        &[
            "response 200 field `provisioning_tenants[].creation_time`: type changed from number to integer",
        ],
    );
}

#[test]
fn a_format_change_is_breaking() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        remove(
            d,
            "/components/schemas/CreateBearerTokenResponse/properties/token/format",
        )
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "CreateBearerToken",
        &["response 201 field `token`: format `password` removed"],
    );

    let old = load(DEVELOPER);
    let pointer =
        "/components/schemas/GenerateJwtAuthenticationTokenRequest/properties/expiration/format";
    let new = edited(&old, |d| *at(d, pointer) = serde_json::json!("int32"));
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "GenerateJwtAuthenticationToken",
        &["request body field `expiration`: format changed from int64 to int32"],
    );
}

/// The developer API document with an enum on `AuthenticationToken.authenticationTokenType`
/// (items of the ListAuthenticationTokens answer).
fn with_enum(values: Option<Value>) -> Value {
    edited(&load(DEVELOPER), |d| {
        if let Some(values) = values {
            at(
                d,
                "/components/schemas/AuthenticationToken/properties/authenticationTokenType",
            )["enum"] = values;
        }
    })
}

#[test]
fn an_enum_narrowed_is_breaking() {
    let old = with_enum(Some(serde_json::json!(["jwt", "oauth_access_token"])));
    let new = with_enum(Some(serde_json::json!(["jwt"])));
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListAuthenticationTokens",
        &[
            "response 200 field `entities[].authenticationTokenType`: enum value `oauth_access_token` removed (enum narrowed)",
        ],
    );
    // An enum where there was none narrows too.
    let old = with_enum(None);
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListAuthenticationTokens",
        &["enum added", "`jwt`"],
    );
}

#[test]
fn an_enum_widened_is_not_breaking() {
    let old = with_enum(Some(serde_json::json!(["jwt"])));
    let new = with_enum(Some(serde_json::json!(["jwt", "oauth_access_token"])));
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["enum value `oauth_access_token` added"],
    );
    let new = with_enum(None);
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["enum removed"],
    );
}

#[test]
fn required_fields_break_requests_one_way_and_responses_the_other() {
    let old = load(DEVELOPER);
    // Request: GenerateJwtAuthenticationToken's body.
    let required = "/components/schemas/GenerateJwtAuthenticationTokenRequest/required";
    let new = edited(&old, |d| {
        at(d, required)
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!("issuer"))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "GenerateJwtAuthenticationToken",
        &["request body field `issuer` became required"],
    );
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::NonBreaking,
        "GenerateJwtAuthenticationToken",
        &["request body field `issuer` became optional"],
    );
    // Response: ValidateAuthenticationToken's answer.
    let new = edited(&old, |d| {
        at(d, "/components/schemas/ValidateAuthenticationTokenResponse")["required"] =
            serde_json::json!(["active"])
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ValidateAuthenticationToken",
        &["response 200 field `active` became required"],
    );
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::Breaking,
        "ValidateAuthenticationToken",
        &["response 200 field `active` no longer required"],
    );
}

#[test]
fn a_new_required_request_field_is_breaking_and_an_optional_one_is_not() {
    let old = load(DEVELOPER);
    let schema = "/components/schemas/AuthenticationTokenActionRequest";
    let optional = edited(&old, |d| {
        at(d, &format!("{schema}/properties"))["reason"] = serde_json::json!({"type": "string"})
    });
    let changes = spec_diff::compare(&old, &optional);
    // Validate, Reinstate and Revoke share the body.
    assert_eq!(changes.len(), 3, "{changes:#?}");
    for change in &changes {
        assert_eq!(change.severity, Severity::NonBreaking, "{change:?}");
        assert!(
            change.message.contains("request body field `reason` added"),
            "{change:?}"
        );
    }
    let required = edited(&optional, |d| {
        at(d, &format!("{schema}/required"))
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!("reason"))
    });
    let changes = spec_diff::compare(&old, &required);
    assert_eq!(changes.len(), 3, "{changes:#?}");
    for change in &changes {
        assert_eq!(change.severity, Severity::Breaking, "{change:?}");
        assert!(
            change
                .message
                .contains("request body field `reason` added as required"),
            "{change:?}"
        );
    }
}

#[test]
fn nullable_breaks_requests_when_given_up_and_responses_when_taken_on() {
    let old = load(DEVELOPER);
    let request = "/components/schemas/GenerateJwtAuthenticationTokenRequest/properties/issuer";
    let response = "/components/schemas/ValidateAuthenticationTokenResponse/properties/active";
    let nullable_request = edited(&old, |d| {
        at(d, request)["nullable"] = serde_json::json!(true)
    });
    assert_eq!(
        single(&spec_diff::compare(&old, &nullable_request)).severity,
        Severity::NonBreaking
    );
    assert_eq!(
        single(&spec_diff::compare(&nullable_request, &old)).severity,
        Severity::Breaking
    );
    let nullable_response = edited(&old, |d| {
        at(d, response)["nullable"] = serde_json::json!(true)
    });
    let change = single(&spec_diff::compare(&old, &nullable_response));
    assert_change(
        &change,
        Severity::Breaking,
        "ValidateAuthenticationToken",
        &["`active`: now nullable"],
    );
    assert_eq!(
        single(&spec_diff::compare(&nullable_response, &old)).severity,
        Severity::NonBreaking
    );
}

#[test]
fn a_composition_keyword_is_left_to_a_reviewer() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        at(d, "/components/schemas/BearerToken/properties/token_id")["oneOf"] =
            serde_json::json!([{"type": "string"}, {"type": "integer"}])
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListBearerTokens",
        &["`oneOf` changed", "review it by hand"],
    );
}

#[test]
fn additional_properties_dropped_lose_the_generated_map() {
    // `additionalProperties: {}` makes typify keep the extra keys in a map field.
    let old = load(DEVELOPER);
    let pointer =
        "/components/schemas/GenerateJwtAuthenticationTokenRequest/properties/customClaims";
    let new = edited(&old, |d| {
        remove(d, &format!("{pointer}/additionalProperties"))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "GenerateJwtAuthenticationToken",
        &["request body field `customClaims`: additional properties no longer kept"],
    );
    // Values typed where they were free: judged like any schema.
    let new = edited(&old, |d| {
        *at(d, &format!("{pointer}/additionalProperties")) = serde_json::json!({"type": "string"})
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "GenerateJwtAuthenticationToken",
        &["request body field `customClaims.*`: type `string` added"],
    );
}

// --- annotations ---

#[test]
fn a_description_change_is_not_breaking_and_not_quoted() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        *at(d, &format!("{LIST_BEARER_TOKENS}/description")) =
            serde_json::json!("Lists the tokens, newly worded.")
    });
    let change = single(&spec_diff::compare(&old, &new));
    assert_change(
        &change,
        Severity::NonBreaking,
        "ListBearerTokens",
        &["description changed"],
    );
    assert!(!change.message.contains("newly worded"), "{change:?}");

    // Inside a schema, the field is named.
    let new = edited(&old, |d| {
        *at(
            d,
            "/components/schemas/BearerToken/properties/token_id/description",
        ) = serde_json::json!("The ID.")
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListBearerTokens",
        &["response 200 field `bearer_tokens[].token_id`: description changed"],
    );
}

#[test]
fn other_keywords_are_reported_with_their_values() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        at(d, "/components/schemas/BearerToken/properties/token_id")["maxLength"] =
            serde_json::json!(64)
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListBearerTokens",
        &["`maxLength` changed from (none) to 64"],
    );
    let new = edited(&old, |d| *at(d, "/info/version") = serde_json::json!("v2"));
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "info",
        &["`version` changed from \"v1\" to \"v2\""],
    );
}

// --- responses ---

#[test]
fn a_2xx_response_removed_is_breaking_an_error_response_is_not() {
    let old = load(IDENTITYSTORE);
    let new = edited(&old, |d| {
        remove(d, &format!("{DELETE_BEARER_TOKEN}/responses/200"))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "DeleteBearerToken",
        &["response 200 removed"],
    );
    let new = edited(&old, |d| {
        remove(d, &format!("{DELETE_BEARER_TOKEN}/responses/404"))
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "DeleteBearerToken",
        &["documented error response 404 removed"],
    );
}

#[test]
fn a_media_type_removed_from_a_kept_response_is_breaking() {
    let old = load(IDENTITYSTORE);
    let content = format!("{LIST_BEARER_TOKENS}/responses/200/content");
    let new = edited(&old, |d| {
        let json = at(d, &format!("{content}/application~1json")).clone();
        at(d, &content)["application/xml"] = json;
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListBearerTokens",
        &["media type `application/xml` added"],
    );
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::Breaking,
        "ListBearerTokens",
        &["response 200: media type `application/xml` removed"],
    );
}

// --- security ---

#[test]
fn security_dropped_to_none_is_not_breaking_and_required_again_is() {
    let old = load(DEVELOPER);
    let new = edited(&old, |d| {
        at(d, LIST_AUTHENTICATION_TOKENS)["security"] = serde_json::json!([])
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListAuthenticationTokens",
        &["no longer needs authentication"],
    );
    // ValidateAuthenticationToken has `security: []`.
    let new = edited(&old, |d| {
        *at(d, &format!("{VALIDATE_AUTHENTICATION_TOKEN}/security")) =
            serde_json::json!([{"idaasAccessToken": []}])
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ValidateAuthenticationToken",
        &["security changed from no authentication to `idaasAccessToken`"],
    );
}

// --- components, x-acs-rpc ---

#[test]
fn a_component_schema_removed_is_breaking_even_unused() {
    let new = load(IDENTITYSTORE);
    let old = edited(
        &new,
        |d| {
            at(d, "/components/schemas")["Unused"] =
                serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}})
        },
    );
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "components.schemas.Unused",
        &["component schema `Unused` removed", "Rust type"],
    );
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::NonBreaking,
        "components.schemas.Unused",
        &["component schema `Unused` added"],
    );
    // Changed but unused: still reported, at the component.
    let changed = edited(&old, |d| {
        *at(d, "/components/schemas/Unused/properties/a/type") = serde_json::json!("integer")
    });
    assert_change(
        &single(&spec_diff::compare(&old, &changed)),
        Severity::Breaking,
        "components.schemas.Unused",
        &["field `a`: type changed from string to integer"],
    );
}

#[test]
fn an_x_acs_rpc_action_change_is_breaking() {
    let old = load(EIAM);
    // The action is the operationId unless the operation says otherwise.
    let new = edited(&old, |d| {
        at(d, "/paths/~1ListApplicationTokens/post")["x-acs-rpc"] =
            serde_json::json!({"action": "ListTokens"})
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListApplicationTokens",
        &["`x-acs-rpc.action` changed from \"ListApplicationTokens\" to \"ListTokens\""],
    );
    // Another extension is only worth a note.
    let new = edited(&old, |d| {
        *at(d, "/paths/~1ListApplicationTokens/post/x-ram-action") =
            serde_json::json!("eiam:ListTokens")
    });
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::NonBreaking,
        "ListApplicationTokens",
        &["`x-ram-action` changed"],
    );
}

// --- sameness, cycles, odd input ---

#[test]
fn identical_documents_have_no_changes() {
    for document in [IDENTITYSTORE, DEVELOPER, EIAM] {
        let doc = load(document);
        assert_eq!(
            spec_diff::compare(&doc, &doc.clone()),
            Vec::new(),
            "{document}"
        );
    }
}

/// The identity store document with a recursive `Node` (its `children` are Nodes) in the
/// ListBearerTokens answer.
fn with_tree(name_type: &str) -> Value {
    edited(&load(IDENTITYSTORE), |d| {
        at(d, "/components/schemas")["Node"] = serde_json::json!({
            "type": "object",
            "properties": {
                "name": {"type": name_type},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        });
        at(d, "/components/schemas/ListBearerTokensResponse/properties")["tree"] =
            serde_json::json!({"$ref": "#/components/schemas/Node"});
    })
}

#[test]
fn a_self_referencing_schema_does_not_loop() {
    let old = with_tree("string");
    assert_eq!(spec_diff::compare(&old, &old.clone()), Vec::new());
    let new = with_tree("integer");
    assert_change(
        &single(&spec_diff::compare(&old, &new)),
        Severity::Breaking,
        "ListBearerTokens",
        &["response 200 field `tree.name`: type changed from string to integer"],
    );
}

#[test]
fn odd_documents_do_not_panic_and_differences_are_still_reported() {
    let odd = serde_json::json!({
        "openapi": "3.0.3",
        "paths": {
            "/a": "not a path item",
            "/b": {"get": {"operationId": "B", "parameters": "not a list", "responses": []}},
            "/c": {"get": {"operationId": "C", "parameters": [{"$ref": "#/nowhere"}, 3]}},
        },
        "components": {"schemas": {"S": {"$ref": "#/components/schemas/S"}, "T": true}},
    });
    let other = edited(&odd, |d| {
        *at(d, "/paths/~1a") = serde_json::json!(["still not one"]);
        *at(d, "/paths/~1b/get/responses") = serde_json::json!({"200": 7});
        *at(d, "/components/schemas/T") = serde_json::json!(false);
    });
    let changes = spec_diff::compare(&odd, &other);
    assert!(!changes.is_empty());
    assert!(
        changes.iter().any(|c| c.location == "path /a"),
        "{changes:#?}"
    );
    assert!(changes.iter().any(|c| c.location == "B"), "{changes:#?}");
    assert!(
        changes.iter().any(|c| c.location == "components.schemas.T"),
        "{changes:#?}"
    );
    assert_eq!(spec_diff::compare(&odd, &odd.clone()), Vec::new());
    assert_eq!(
        spec_diff::compare(&serde_json::json!(null), &serde_json::json!([])).len(),
        1
    );
}

/// Every node of `value`, as JSON pointers (the root excluded).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (token, child) in children {
        let pointer = format!("{at}/{token}");
        out.push(pointer.clone());
        pointers(child, pointer, out);
    }
}

#[test]
fn every_edit_anywhere_is_reported_and_nothing_panics() {
    // A fixed-seed xorshift picks the nodes, so a failure can be replayed.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for document in [IDENTITYSTORE, DEVELOPER, EIAM] {
        let old = load(document);
        let mut all = Vec::new();
        pointers(&old, String::new(), &mut all);
        // One copy, edited and put back each time: only the edited node's parent changes, and
        // copying and comparing the whole of EIAM for each edit was a third of this test.
        let mut new = old.clone();
        for _ in 0..150 {
            let pointer = &all[(next() % all.len() as u64) as usize];
            let parent = pointer.rsplit_once('/').unwrap().0;
            let before = at(&mut new, parent).clone();
            let kind = next() % 6;
            match kind {
                0 => remove(&mut new, pointer),
                1 => *at(&mut new, pointer) = serde_json::json!(7),
                2 => *at(&mut new, pointer) = serde_json::json!("x"),
                3 => *at(&mut new, pointer) = serde_json::json!({}),
                4 => match at(&mut new, pointer) {
                    Value::Array(list) if list.len() > 1 => list.swap(0, 1),
                    other => *other = serde_json::json!(true),
                },
                _ => match at(&mut new, pointer) {
                    Value::Object(map) => {
                        map.insert("zz".into(), serde_json::json!(null));
                    }
                    other => *other = serde_json::json!([other.clone()]),
                },
            }
            if *at(&mut new, parent) != before {
                for (a, b) in [(&old, &new), (&new, &old)] {
                    assert!(
                        !spec_diff::compare(a, b).is_empty(),
                        "{document}: edit {kind} at {pointer} is not reported"
                    );
                }
            }
            *at(&mut new, parent) = before;
        }
        assert!(new == old, "{document}: an edit was not put back");
    }
}

// --- the command, against a temporary repository ---

fn git(dir: &Path, args: &[&str]) -> String {
    let mut git = Command::new("git");
    // Run from a git hook, these would aim at the workspace's repository instead.
    for variable in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_COMMON_DIR",
    ] {
        git.env_remove(variable);
    }
    let output = git
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=spec diff test",
            "-c",
            "user.email=test@example.com",
        ])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// A repository whose one commit holds `documents` (copies of the workspace's).
fn repository(documents: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::create_dir(dir.path().join("openapi")).unwrap();
    for document in documents {
        let text = serde_yaml::to_string(&load(document)).unwrap();
        std::fs::write(dir.path().join(document), text).unwrap();
    }
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "documents"]);
    dir
}

fn run(root: &Path, rev: &str, allow_breaking: bool) -> (bool, String, String) {
    let (mut out, mut err) = (Vec::<u8>::new(), Vec::<u8>::new());
    let ok = spec_diff::command(root, rev, allow_breaking, &mut out, &mut err).unwrap();
    (
        ok,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Rewrites a document of the working tree through `edit` (as YAML again; only meaning counts).
fn edit_document(root: &Path, document: &str, edit: impl FnOnce(&mut Value)) {
    let path = root.join(document);
    let mut doc: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&path, serde_yaml::to_string(&doc).unwrap()).unwrap();
}

fn remove_expiration_time(doc: &mut Value) {
    let list = "/paths/~1CreateApplicationToken/post/parameters";
    let i = parameter(doc, list, "ExpirationTime");
    remove(doc, &format!("{list}/{i}"));
}

const ALL: [&str; 3] = [EIAM, DEVELOPER, IDENTITYSTORE];

#[test]
fn command_without_edits_reports_no_changes() {
    let repo = repository(&ALL);
    let short = git(repo.path(), &["rev-parse", "--short", "HEAD"]);
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(ok, "{out}{err}");
    assert_eq!(err, "");
    for document in ALL {
        assert!(
            out.contains(&format!("{document} against HEAD ({short}): no changes")),
            "{out}"
        );
    }
    assert!(
        out.contains("0 breaking, 0 non-breaking change(s) in 3 documents"),
        "{out}"
    );
}

#[test]
fn command_fails_on_a_breaking_change_unless_allowed() {
    let repo = repository(&ALL);
    edit_document(repo.path(), EIAM, remove_expiration_time);
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(!ok, "{out}");
    assert!(err.contains("1 breaking change(s) against HEAD"), "{err}");
    assert!(err.contains("--allow-breaking"), "{err}");
    let expected = format!(
        "{EIAM} against HEAD ({}):\n  breaking (1):\n    - CreateApplicationToken: query parameter `ExpirationTime` removed\n",
        git(repo.path(), &["rev-parse", "--short", "HEAD"])
    );
    assert!(out.contains(&expected), "{out}");
    assert!(
        out.contains("1 breaking, 0 non-breaking change(s) in 3 documents"),
        "{out}"
    );

    let (ok, allowed_out, err) = run(repo.path(), "HEAD", true);
    assert!(ok, "{allowed_out}{err}");
    assert_eq!(err, "");
    assert_eq!(allowed_out, out, "the same changelog either way");
}

#[test]
fn command_passes_on_non_breaking_changes() {
    let repo = repository(&ALL);
    edit_document(repo.path(), IDENTITYSTORE, |d| {
        *at(d, &format!("{LIST_BEARER_TOKENS}/description")) = serde_json::json!("Newly worded.")
    });
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(ok, "{out}{err}");
    assert_eq!(err, "");
    assert!(
        out.contains("  non-breaking (1):\n    - ListBearerTokens: description changed\n"),
        "{out}"
    );
    assert!(!out.contains("\n  breaking ("), "{out}");
    assert!(
        out.contains("0 breaking, 1 non-breaking change(s) in 3 documents"),
        "{out}"
    );
}

#[test]
fn command_refuses_an_unknown_or_option_like_revision() {
    let repo = repository(&ALL);
    let (ok, out, err) = run(repo.path(), "no-such-rev", false);
    assert!(!ok);
    assert_eq!(out, "");
    assert!(
        err.contains("`no-such-rev` is not a commit in this repository"),
        "{err}"
    );

    let (ok, _, err) = run(repo.path(), "--output=/tmp/x", false);
    assert!(!ok);
    assert!(err.contains("must not be empty or start with `-`"), "{err}");

    // A blob is a revision but not a commit.
    let blob = git(repo.path(), &["rev-parse", &format!("HEAD:{EIAM}")]);
    let (ok, _, err) = run(repo.path(), &blob, false);
    assert!(!ok);
    assert!(
        err.contains("is not a commit in this repository (it names a blob)"),
        "{err}"
    );

    // Not a repository at all.
    let plain = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(plain.path(), "HEAD", false);
    assert!(!ok);
    assert!(err.contains("is not in a git repository"), "{err}");
}

#[test]
fn command_reports_a_document_absent_at_the_revision_as_added() {
    let repo = repository(&[EIAM, DEVELOPER]);
    std::fs::write(
        repo.path().join(IDENTITYSTORE),
        serde_yaml::to_string(&load(IDENTITYSTORE)).unwrap(),
    )
    .unwrap();
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(&format!("{IDENTITYSTORE} against HEAD")),
        "{out}"
    );
    assert!(
        out.contains("  non-breaking (1):\n    - document: document added\n"),
        "{out}"
    );
    assert!(
        out.contains("0 breaking, 1 non-breaking change(s) in 3 documents"),
        "{out}"
    );
}

#[test]
fn command_reports_a_document_removed_as_breaking() {
    let repo = repository(&ALL);
    std::fs::remove_file(repo.path().join(DEVELOPER)).unwrap();
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(!ok);
    assert!(
        out.contains("  breaking (1):\n    - document: document removed\n"),
        "{out}"
    );
    assert!(err.contains("--allow-breaking"), "{err}");
}

#[test]
fn command_names_the_side_that_does_not_parse() {
    let repo = repository(&ALL);
    std::fs::write(repo.path().join(IDENTITYSTORE), "openapi: [unclosed\n").unwrap();
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(!ok);
    assert!(
        err.contains(&format!("cannot parse {IDENTITYSTORE} (working tree)")),
        "{err}"
    );
    assert!(
        out.contains(&format!("{IDENTITYSTORE} against HEAD")),
        "{out}"
    );
    // The other documents are still compared.
    assert!(out.contains("in 2 documents"), "{out}");

    // And the old side, named by revision and path.
    git(repo.path(), &["commit", "-q", "-a", "-m", "broken"]);
    std::fs::write(
        repo.path().join(IDENTITYSTORE),
        serde_yaml::to_string(&load(IDENTITYSTORE)).unwrap(),
    )
    .unwrap();
    let (ok, _, err) = run(repo.path(), "HEAD", false);
    assert!(!ok);
    assert!(
        err.contains(&format!("cannot parse HEAD:{IDENTITYSTORE}")),
        "{err}"
    );
}

// --- servers ---

const STS: &str = "openapi/sts-2015-04-01.yaml";

/// The index of the server whose URL is `url`.
fn server(doc: &Value, url: &str) -> usize {
    doc["servers"]
        .as_array()
        .and_then(|list| list.iter().position(|s| s["url"] == url))
        .unwrap_or_else(|| panic!("no server {url}"))
}

#[test]
fn a_server_removed_is_breaking_and_one_added_is_not() {
    let old = load(STS);
    let i = server(&old, "https://sts.aliyuncs.com");
    let new = edited(&old, |d| remove(d, &format!("/servers/{i}")));
    let removed = single(&spec_diff::compare(&old, &new));
    assert_change(
        &removed,
        Severity::Breaking,
        "servers",
        &["server `https://sts.aliyuncs.com` removed"],
    );
    assert_eq!(removed.kind, Kind::Server);
    assert_eq!(removed.pointer, "/servers");
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::NonBreaking,
        "servers",
        &["server `https://sts.aliyuncs.com` added"],
    );
}

#[test]
fn a_region_removed_is_breaking_and_one_added_is_not() {
    let old = load(EIAM);
    let regions = "/servers/0/variables/regionId/enum";
    let new = edited(&old, |d| {
        at(d, regions)
            .as_array_mut()
            .unwrap()
            .retain(|r| r != "cn-beijing")
    });
    let removed = single(&spec_diff::compare(&old, &new));
    assert_change(
        &removed,
        Severity::Breaking,
        "servers",
        &["variable `regionId`", "`cn-beijing` removed"],
    );
    assert_eq!(removed.kind, Kind::Server);
    assert_change(
        &single(&spec_diff::compare(&new, &old)),
        Severity::NonBreaking,
        "servers",
        &["variable `regionId`", "`cn-beijing` added"],
    );
    // A region list given where any value was allowed narrows it; its default is only a default.
    let open = edited(&old, |d| remove(d, regions));
    assert_change(
        &single(&spec_diff::compare(&open, &old)),
        Severity::Breaking,
        "servers",
        &["now only", "narrowed"],
    );
    let default = edited(&old, |d| {
        *at(d, "/servers/0/variables/regionId/default") = serde_json::json!("cn-beijing")
    });
    assert_change(
        &single(&spec_diff::compare(&old, &default)),
        Severity::NonBreaking,
        "servers",
        &["default"],
    );
}

#[test]
fn an_operation_server_removed_is_breaking_there() {
    let old = edited(&load(IDENTITYSTORE), |d| {
        at(d, LIST_BEARER_TOKENS)["servers"] =
            serde_json::json!([{"url": "https://a.example.com"}, {"url": "https://b.example.com"}])
    });
    let new = edited(&old, |d| {
        remove(d, &format!("{LIST_BEARER_TOKENS}/servers/1"))
    });
    let change = single(&spec_diff::compare(&old, &new));
    assert_change(
        &change,
        Severity::Breaking,
        "ListBearerTokens",
        &["server `https://b.example.com` removed"],
    );
    assert_eq!(change.pointer, LIST_BEARER_TOKENS);
}

// --- what machines read: kind and pointer ---

#[test]
fn each_change_names_its_kind_and_where_it_is_listed() {
    let old = load(DEVELOPER);
    let list = format!("{LIST_AUTHENTICATION_TOKENS}/parameters");
    let i = parameter(&old, &list, "maxResults");
    let new = edited(&old, |d| remove(d, &format!("{list}/{i}")));
    let change = single(&spec_diff::compare(&old, &new));
    assert_eq!(change.kind, Kind::Parameter);
    assert_eq!(change.pointer, LIST_AUTHENTICATION_TOKENS);

    // Removed: listed where it was, in the old document.
    let gone = edited(&old, |d| remove(d, LIST_AUTHENTICATION_TOKENS));
    let change = single(&spec_diff::compare(&old, &gone));
    assert_eq!(change.kind, Kind::Operation);
    assert_eq!(change.pointer, LIST_AUTHENTICATION_TOKENS);

    let old = load(IDENTITYSTORE);
    let typed = edited(&old, |d| {
        *at(d, &format!("{LIST_BEARER_TOKENS}/description")) = serde_json::json!("New.")
    });
    let change = single(&spec_diff::compare(&old, &typed));
    assert_eq!(
        (change.kind, change.pointer.as_str()),
        (Kind::Operation, LIST_BEARER_TOKENS)
    );

    let schemas = old["components"]["schemas"].as_object().unwrap();
    let unused = edited(&old, |d| {
        at(d, "/components/schemas")["Unused"] = serde_json::json!({"type": "string"})
    });
    let change = single(&spec_diff::compare(&unused, &old));
    assert!(!schemas.contains_key("Unused"));
    assert_eq!(change.kind, Kind::Schema);
    assert_eq!(change.pointer, "/components/schemas/Unused");
    assert_eq!(
        (Kind::RequestBody.as_str(), Severity::NonBreaking.as_str()),
        ("request-body", "non-breaking")
    );
}

// --- the command's options, JSON, and two files ---

fn run_with(root: &Path, args: &[&str]) -> (bool, String, String) {
    let options = Options::parse(args).unwrap_or_else(|| panic!("{args:?} refused"));
    let (mut out, mut err) = (Vec::<u8>::new(), Vec::<u8>::new());
    let ok = spec_diff::run(root, &options, &mut out, &mut err).unwrap();
    (
        ok,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn options_take_a_revision_or_two_files_and_a_format() {
    let parsed = Options::parse(&["HEAD", "--format", "json", "--allow-breaking"]).unwrap();
    assert_eq!(parsed.against, Against::Revision("HEAD".into()));
    assert_eq!((parsed.format, parsed.allow_breaking), (Format::Json, true));
    let parsed = Options::parse(&["--format=text", "a.yaml", "b.yaml"]).unwrap();
    assert_eq!(
        parsed.against,
        Against::Files {
            old: "a.yaml".into(),
            new: "b.yaml".into()
        }
    );
    assert_eq!(
        (parsed.format, parsed.allow_breaking),
        (Format::Text, false)
    );
    for refused in [
        &[][..],
        &["a", "b", "c"],
        &["HEAD", "--format", "xml"],
        &["HEAD", "--format"],
        &["HEAD", "--no-such-flag"],
    ] {
        assert_eq!(Options::parse(refused), None, "{refused:?}");
    }
}

#[test]
fn command_writes_json_with_stable_field_names() {
    let repo = repository(&ALL);
    edit_document(repo.path(), EIAM, remove_expiration_time);
    edit_document(repo.path(), IDENTITYSTORE, |d| {
        *at(d, &format!("{LIST_BEARER_TOKENS}/description")) = serde_json::json!("Newly worded.")
    });
    let (ok, out, err) = run_with(repo.path(), &["HEAD", "--format", "json"]);
    assert!(!ok, "{out}");
    assert!(err.contains("1 breaking change(s) against HEAD"), "{err}");
    let report: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    assert_eq!(report["against"], "HEAD");
    assert_eq!(
        report["commit"],
        git(repo.path(), &["rev-parse", "HEAD"]).as_str()
    );
    assert_eq!(
        (report["breaking"].as_u64(), report["non_breaking"].as_u64()),
        (Some(1), Some(1))
    );
    let documents = report["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 4, "every family, STS absent here");
    let sts = documents.iter().find(|d| d["document"] == STS).unwrap();
    assert_eq!(
        (&sts["status"], &sts["changes"]),
        (&serde_json::json!("absent"), &serde_json::json!([]))
    );
    let eiam = documents.iter().find(|d| d["document"] == EIAM).unwrap();
    assert_eq!(eiam["status"], "compared");
    assert_eq!(eiam["error"], Value::Null);
    assert_eq!(
        eiam["changes"],
        serde_json::json!([{
            "kind": "parameter",
            "level": "breaking",
            "location": "CreateApplicationToken",
            "pointer": "/paths/~1CreateApplicationToken/post",
            "message": "query parameter `ExpirationTime` removed",
        }])
    );
    let identitystore = documents
        .iter()
        .find(|d| d["document"] == IDENTITYSTORE)
        .unwrap();
    assert_eq!(identitystore["changes"][0]["level"], "non-breaking");
    assert_eq!(identitystore["changes"][0]["kind"], "operation");

    let (ok, allowed, _) = run_with(repo.path(), &["--allow-breaking", "--format=json", "HEAD"]);
    assert!(ok);
    assert_eq!(allowed, out, "the same report either way");

    // A document that does not parse is in the report, with the reason; stdout stays JSON.
    std::fs::write(repo.path().join(DEVELOPER), "openapi: [unclosed\n").unwrap();
    let (ok, out, err) = run_with(
        repo.path(),
        &["HEAD", "--format", "json", "--allow-breaking"],
    );
    assert!(!ok);
    assert!(
        err.contains(&format!("cannot parse {DEVELOPER} (working tree)")),
        "{err}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    let developer = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["document"] == DEVELOPER)
        .unwrap()
        .clone();
    assert_eq!(developer["status"], "unreadable");
    assert!(developer["error"]
        .as_str()
        .unwrap()
        .contains("cannot parse"));
}

#[test]
fn command_compares_any_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.yaml"), dir.path().join("new.json"));
    std::fs::write(&old, serde_yaml::to_string(&load(EIAM)).unwrap()).unwrap();
    let mut doc = load(EIAM);
    remove_expiration_time(&mut doc);
    std::fs::write(&new, serde_json::to_string(&doc).unwrap()).unwrap();
    let (old_arg, new_arg) = (old.to_str().unwrap(), new.to_str().unwrap());

    // Not a git repository: the files are all it needs.
    let (ok, out, err) = run_with(dir.path(), &[old_arg, new_arg]);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "{new_arg} against {old_arg}:\n  breaking (1):\n    - CreateApplicationToken: query parameter `ExpirationTime` removed\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("1 breaking, 0 non-breaking change(s) in 1 document\n"),
        "{out}"
    );
    assert!(
        err.contains(&format!("against {old_arg}; if they are intended")),
        "{err}"
    );

    let (ok, out, err) = run_with(dir.path(), &[new_arg, old_arg, "--format", "json"]);
    assert!(ok, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["against"], new_arg);
    assert_eq!(report["commit"], Value::Null);
    assert_eq!(report["documents"][0]["document"], old_arg);
    assert_eq!(
        report["documents"][0]["changes"][0]["message"],
        "new optional query parameter `ExpirationTime`"
    );

    let missing = dir.path().join("missing.yaml");
    let (ok, out, err) = run_with(dir.path(), &[old_arg, missing.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains(&format!("cannot read {}", missing.display())),
        "{err}"
    );
    assert!(out.contains("not compared (see the error)"), "{out}");
}

#[test]
fn the_document_wide_x_acs_rpc_is_compared_in_each_operation() {
    let old = load(EIAM);
    let operations = old["paths"].as_object().unwrap().len();
    // A change to the document's x-acs-rpc changes what every operation sends.
    let new = edited(&old, |d| {
        *at(d, "/x-acs-rpc/version") = serde_json::json!("2021-12-02")
    });
    let changes = spec_diff::compare(&old, &new);
    assert_eq!(changes.len(), operations, "{changes:#?}");
    // One breaking change per operation, each where that operation is (changes come sorted by
    // location, so which one is first depends on the operations there are).
    for change in &changes {
        assert_change(
            change,
            Severity::Breaking,
            &change.location,
            &["`x-acs-rpc.version` changed from \"2021-12-01\" to \"2021-12-02\""],
        );
    }
    let locations: std::collections::BTreeSet<&str> =
        changes.iter().map(|c| c.location.as_str()).collect();
    assert_eq!(locations.len(), operations, "{changes:#?}");
    assert!(
        locations.contains("CreateApplicationClientSecret"),
        "{changes:#?}"
    );
    // Stating the same facts in every operation instead (action and all) changes nothing.
    let spelled_out = edited(&old, |d| {
        let rpc = d["x-acs-rpc"].clone();
        remove(d, "/x-acs-rpc");
        for item in d["paths"].as_object_mut().unwrap().values_mut() {
            let operation = &mut item["post"];
            let mut own = rpc.clone();
            own["action"] = operation["operationId"].clone();
            operation["x-acs-rpc"] = own;
        }
    });
    assert_eq!(spec_diff::compare(&old, &spelled_out), vec![]);
    assert_eq!(spec_diff::compare(&spelled_out, &old), vec![]);
}

#[test]
fn a_shared_parameter_written_out_in_its_operations_is_no_change() {
    let old = load(EIAM);
    let shared = old["components"]["parameters"].clone();
    // Every `$ref` to a shared parameter replaced by the parameter, and the shared ones dropped.
    // `get_mut`, not indexing: an operation without parameters (ListRegions) must stay without
    // them, where `["parameters"]` would insert a `null`.
    let written_out = edited(&old, |d| {
        for item in d["paths"].as_object_mut().unwrap().values_mut() {
            for parameter in item["post"]
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(r) = parameter["$ref"].as_str() {
                    let name = r.strip_prefix("#/components/parameters/").unwrap();
                    *parameter = shared[name].clone();
                }
            }
        }
        remove(d, "/components/parameters");
    });
    assert_eq!(spec_diff::compare(&old, &written_out), vec![]);
    assert_eq!(spec_diff::compare(&written_out, &old), vec![]);
    // What differs in the parameter itself is still reported, at each operation that uses it.
    let changed = edited(&written_out, |d| {
        let i = parameter(
            d,
            "/paths/~1ListApplicationTokens/post/parameters",
            "InstanceId",
        );
        *at(
            d,
            &format!("/paths/~1ListApplicationTokens/post/parameters/{i}/required"),
        ) = serde_json::json!(false)
    });
    assert_change(
        &single(&spec_diff::compare(&old, &changed)),
        Severity::NonBreaking,
        "ListApplicationTokens",
        &["query parameter `InstanceId` became optional"],
    );
}

/// A revision from before the split holds the single file; the working tree the directory. The
/// two compare as one document (no change), and a change in one part of the directory, against
/// a revision that holds the directory, is found.
#[test]
fn a_document_split_into_parts_compares_with_its_single_file_and_with_itself() {
    let repo = repository(&[EIAM, DEVELOPER, IDENTITYSTORE]);
    let family = xtask::families::FAMILIES
        .into_iter()
        .find(|f| f.document == EIAM)
        .unwrap();
    std::fs::remove_file(repo.path().join(EIAM)).unwrap();
    let parts = xtask::document::Document::read(workspace(), family).unwrap();
    assert!(parts.len() > 1, "EIAM is written as a directory of parts");
    xtask::document::write_parts(repo.path(), &parts).unwrap();
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("openapi/eiam-2021-12-01 against HEAD"),
        "{out}"
    );
    assert!(
        out.contains("0 breaking, 0 non-breaking change(s) in 3 documents"),
        "{out}"
    );

    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "split"]);
    let tokens = repo
        .path()
        .join("openapi/eiam-2021-12-01/ApplicationToken.yaml");
    let text = std::fs::read_to_string(&tokens).unwrap();
    let edited = text.replacen("/ListApplicationTokens:", "/ListApplicationTokensGone:", 1);
    assert_ne!(edited, text);
    std::fs::write(&tokens, edited).unwrap();
    let (ok, out, err) = run(repo.path(), "HEAD", false);
    assert!(!ok, "{out}{err}");
    assert!(out.contains("ListApplicationTokens"), "{out}");
}
