//! What the generator needs of a document before it runs, checked with locations.
//!
//! progenitor and typify panic, or quietly pick the wrong type, on some valid OpenAPI (docs/design.md):
//! a dangling `$ref`, an inline response schema, two error schemas in one operation, an optional
//! path parameter. These checks turn each into a located, readable problem.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::document::{escape_token, Document, Problem};
use crate::extensions::*;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn check(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_refs(document, &mut problems);
    check_component_names(document, &mut problems);
    check_field_names(document, &mut problems);
    check_operations(document, &mut problems);
    check_extensions(document, &mut problems);
    problems
}

/// The vendor extensions that code reads, and the notes beside the descriptions:
/// - `x-acs-action-headers` (document root): `true` when every request carries
///   `x-acs-action: <operationId>` and `x-acs-version: <info.version>` (the developer API);
/// - `x-acs-rpc-common-parameters` (an operation of an RPC family, never the document root): see
///   [`RPC_COMMON_PARAMETERS`];
/// - `x-modelling-note`: how the document models something and where its facts came from, for
///   its maintainers; a string, beside the text it is about (`remarks.rs` keeps such remarks out
///   of the text that callers read).
fn check_extensions(document: &Document, problems: &mut Vec<Problem>) {
    if let Some(flag) = document.json.get(ACTION_HEADERS) {
        if !flag.is_boolean() {
            problems.push(document.problem(
                &format!("/{ACTION_HEADERS}"),
                format!("{ACTION_HEADERS} must be true or false"),
            ));
        }
    }
    if document.json.get(RPC_COMMON_PARAMETERS).is_some() {
        problems.push(document.problem(
            &format!("/{RPC_COMMON_PARAMETERS}"),
            format!("{RPC_COMMON_PARAMETERS} belongs on each operation whose RPC common parameters travel in its query string, not on the document"),
        ));
    }
    crate::lint::walk(&document.json, "", &mut |map, pointer| {
        if let Some(note) = map.get(MODELLING_NOTE) {
            if !note.is_string() {
                problems.push(document.problem(
                    &format!("{pointer}/{MODELLING_NOTE}"),
                    format!("{MODELLING_NOTE} must be a string"),
                ));
            }
        }
        check_unix_time(document, map, pointer, problems);
    });
}

/// `x-unix-time` is one of its units, on an integer or number; and an integer or number that its
/// description calls a UNIX timestamp says which unit it is in.
fn check_unix_time(
    document: &Document,
    map: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let numeric = matches!(
        map.get("type").and_then(Value::as_str),
        Some("integer" | "number")
    );
    match map.get(UNIX_TIME) {
        Some(unit) => {
            if !unit.as_str().is_some_and(|u| UNIX_TIME_UNITS.contains(&u)) {
                problems.push(document.problem(
                    &format!("{pointer}/{UNIX_TIME}"),
                    format!("{UNIX_TIME} is one of {}", UNIX_TIME_UNITS.join(", ")),
                ));
            }
            if !numeric {
                problems.push(document.problem(
                    &format!("{pointer}/{UNIX_TIME}"),
                    format!("{UNIX_TIME} belongs on an integer or number"),
                ));
            }
        }
        None => {
            let described_as_time = map
                .get("description")
                .and_then(Value::as_str)
                .is_some_and(|d| d.to_ascii_lowercase().contains("unix timestamp"));
            if numeric && described_as_time {
                problems.push(document.problem(
                    pointer,
                    format!("a UNIX timestamp says its unit: {UNIX_TIME}: milliseconds, seconds or unknown"),
                ));
            }
        }
    }
}

/// `x-issues-secret` is said exactly where the success answer holds a secret.
fn check_issues_secret(
    document: &Document,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let answer_holds_secret = success_schema(&document.json, operation)
        .is_some_and(|(_, schema)| holds_secret(&document.json, schema));
    match (operation.get(ISSUES_SECRET), answer_holds_secret) {
        (Some(Value::Bool(_)), true) | (None, false) => {}
        (Some(_), true) => problems.push(document.problem(
            &format!("{pointer}/{ISSUES_SECRET}"),
            format!("{ISSUES_SECRET} must be true or false"),
        )),
        (None, true) => problems.push(document.problem(
            pointer,
            format!("the answer holds a secret: say whether the operation hands it out ({ISSUES_SECRET}: true: it creates or obtains it) or only lists or reads items that carry one ({ISSUES_SECRET}: false)"),
        )),
        (Some(_), false) => problems.push(document.problem(
            &format!("{pointer}/{ISSUES_SECRET}"),
            format!("{ISSUES_SECRET} is only for an operation whose success answer holds a secret (format: password)"),
        )),
    }
}

/// `x-idempotency-token: true` marks at most one value of an operation: a string query parameter,
/// or a string property of its form body (EIAM takes some operations' `ClientToken` there). The
/// body's mark is on the property of the body's schema, where the schema is written.
fn check_idempotency_token(
    document: &Document,
    item: &Value,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let mut marked = Vec::new();
    for (at, parameter) in parameters_at(&document.json, item, operation, pointer) {
        if let Some(flag) = parameter.get(IDEMPOTENCY_TOKEN) {
            if flag != &Value::Bool(true) {
                problems.push(document.problem(
                    &format!("{at}/{IDEMPOTENCY_TOKEN}"),
                    format!("{IDEMPOTENCY_TOKEN} is true where it is said at all"),
                ));
            }
            if parameter["in"] != "query"
                || followed(&document.json, &parameter["schema"])["type"] != "string"
            {
                problems.push(document.problem(
                    &at,
                    format!("{IDEMPOTENCY_TOKEN} marks a string query parameter, or a string property of a form body"),
                ));
            }
            marked.push(at);
        }
    }
    for (at, property) in form_body_properties(document, operation, pointer) {
        if let Some(flag) = property.get(IDEMPOTENCY_TOKEN) {
            if flag != &Value::Bool(true) {
                problems.push(document.problem(
                    &format!("{at}/{IDEMPOTENCY_TOKEN}"),
                    format!("{IDEMPOTENCY_TOKEN} is true where it is said at all"),
                ));
            }
            if property["type"] != "string" {
                problems.push(document.problem(
                    &at,
                    format!("{IDEMPOTENCY_TOKEN} marks a string query parameter, or a string property of a form body"),
                ));
            }
            marked.push(at);
        }
    }
    if marked.len() > 1 {
        problems.push(document.problem(
            &marked[1],
            format!(
                "an operation has one idempotency token; {} are marked {IDEMPOTENCY_TOKEN}",
                marked.len()
            ),
        ));
    }
}

/// The properties of an operation's `application/x-www-form-urlencoded` body, each with the
/// pointer where it is written (in `components` when the body's schema is a `$ref`).
fn form_body_properties<'d>(
    document: &'d Document,
    operation: &'d Value,
    pointer: &str,
) -> Vec<(String, &'d Value)> {
    let Some(body) = operation.get("requestBody") else {
        return Vec::new();
    };
    let body_at = match body["$ref"].as_str() {
        Some(r) => r.trim_start_matches('#').to_owned(),
        None => format!("{pointer}/requestBody"),
    };
    let body = followed(&document.json, body);
    let Some(content) = body["content"].get(FORM_MEDIA_TYPE) else {
        return Vec::new();
    };
    let schema = &content["schema"];
    let schema_at = match schema["$ref"].as_str() {
        Some(r) => r.trim_start_matches('#').to_owned(),
        None => format!("{body_at}/content/{}/schema", escape_token(FORM_MEDIA_TYPE)),
    };
    followed(&document.json, schema)["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, property)| {
            (
                format!("{schema_at}/properties/{}", escape_token(name)),
                property,
            )
        })
        .collect()
}

const FORM_MEDIA_TYPE: &str = "application/x-www-form-urlencoded";

/// A request body of an RPC operation: the service reads RPC parameters from the query string and
/// an `application/x-www-form-urlencoded` body (EIAM takes some operations' `ClientToken` there),
/// and the client writes a form only from flat scalar fields. So such a body is a form, its schema
/// a `$ref` to an object of scalar properties, none of which shares a name with a query parameter.
fn check_rpc_body(
    document: &Document,
    item: &Value,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(body) = operation.get("requestBody") else {
        return;
    };
    let at = format!("{pointer}/requestBody");
    let resolved = followed(&document.json, body);
    let content = resolved["content"].as_object();
    let media_types: Vec<&String> = content.into_iter().flat_map(|c| c.keys()).collect();
    if media_types.as_slice() != [FORM_MEDIA_TYPE] {
        problems.push(document.problem(
            &at,
            format!("an RPC operation's request body is one {FORM_MEDIA_TYPE} form (found {media_types:?}); every other parameter travels in the query string"),
        ));
        return;
    }
    let schema = &resolved["content"][FORM_MEDIA_TYPE]["schema"];
    let object = followed(&document.json, schema);
    if schema.get("$ref").is_none() || object["type"] != "object" {
        problems.push(document.problem(
            &format!("{at}/content/{}/schema", escape_token(FORM_MEDIA_TYPE)),
            "an RPC operation's form body is a $ref to an object schema in components/schemas",
        ));
        return;
    }
    let query: BTreeSet<&str> = parameters(&document.json, item, operation)
        .filter_map(|p| p["name"].as_str())
        .collect();
    for (property_at, property) in form_body_properties(document, operation, pointer) {
        let property = followed(&document.json, property);
        let name = property_at.rsplit('/').next().unwrap_or_default();
        if !matches!(
            property["type"].as_str(),
            Some("string" | "integer" | "number" | "boolean")
        ) {
            problems.push(document.problem(
                &property_at,
                "a property of an RPC operation's form body is a string, integer, number or boolean: the form is flat",
            ));
        }
        if query.contains(name) {
            problems.push(document.problem(
                &property_at,
                format!("{name} is also a query parameter of {pointer}: each parameter travels in one place"),
            ));
        }
    }
}

/// `x-paginated` names query parameters of the operation and fields of its success answer.
fn check_paginated(
    document: &Document,
    item: &Value,
    operation: &Value,
    paging: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let at = format!("{pointer}/{PAGINATED}");
    let keys = PAGINATED_KEYS.join(", ");
    let Some(paging) = paging.as_object() else {
        problems.push(document.problem(&at, format!("{PAGINATED} must be an object: {keys}")));
        return;
    };
    for key in paging.keys() {
        if !PAGINATED_KEYS.contains(&key.as_str()) {
            problems.push(document.problem(
                &format!("{at}/{}", escape_token(key)),
                format!("{PAGINATED} has no key {key:?}: {keys}"),
            ));
        }
    }
    let query: Vec<&str> = parameters(&document.json, item, operation)
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    let answer = success_schema(&document.json, operation).map(|(_, schema)| schema);
    let by_token = paging.contains_key("inputToken");
    // (key, required) of the parameters, (key, type, required) of the answer's fields.
    type Parameters = &'static [(&'static str, bool)];
    type Fields = &'static [(&'static str, &'static str, bool)];
    let (parameters, fields): (Parameters, Fields) = if by_token {
        (
            &[("inputToken", true), ("pageSize", false)],
            &[("outputToken", "string", true), ("items", "array", true)],
        )
    } else {
        (
            &[("pageNumber", true), ("pageSize", false)],
            &[("totalCount", "integer", false), ("items", "array", true)],
        )
    };
    for (key, required) in parameters {
        match paging.get(*key).map(Value::as_str) {
            None if !required => {}
            Some(Some(name)) if query.contains(&name) => {}
            _ => problems.push(document.problem(
                &format!("{at}/{key}"),
                format!(
                    "{PAGINATED}.{key} must name a query parameter of the operation{}",
                    if *key == "pageNumber" {
                        " (or give inputToken and outputToken)"
                    } else {
                        ""
                    }
                ),
            )),
        }
    }
    for (key, kind, required) in fields {
        let named = paging.get(*key).and_then(Value::as_str);
        // The items are read from the top of each page's body (idtok's `--all` prints them as
        // received); a token or a total may sit in a nested object (`page_info.next_marker`).
        let nested = *key != "items";
        let field = named
            .filter(|name| nested || !name.contains('.'))
            .and_then(|name| answer.and_then(|a| answer_field(&document.json, a, name)))
            .and_then(|steps| steps.last().map(|step| step.schema));
        let fits = field.is_some_and(|f| {
            f["type"] == *kind && (*kind != "array" || f.pointer("/items/$ref").is_some())
        });
        if (named.is_some() || *required) && !fits {
            problems.push(document.problem(
                &format!("{at}/{key}"),
                format!(
                    "{PAGINATED}.{key} must name a {} of the success answer of type {kind}{}",
                    if nested {
                        "field (or a dotted path to a field of its objects, `page_info.next_marker`)"
                    } else {
                        "top-level field"
                    },
                    if *kind == "array" {
                        " whose items are a $ref"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
}

/// One step of a dotted path into an answer: the property's name, whether its object requires
/// it, and its schema (`$ref` followed).
pub struct FieldStep<'d> {
    pub name: &'d str,
    pub required: bool,
    pub schema: &'d Value,
}

/// The steps to the field at `path` of an object schema: a property name, or names joined by
/// dots through nested objects (`page_info.next_marker`), `$ref`s followed; `None` where a step
/// names no property of an object.
pub fn answer_field<'d>(
    json: &'d Value,
    schema: &'d Value,
    path: &'d str,
) -> Option<Vec<FieldStep<'d>>> {
    let mut object = followed(json, schema);
    let mut steps = Vec::new();
    for name in path.split('.') {
        let property = followed(json, object.get("properties")?.get(name)?);
        let required = object["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|n| n == name));
        steps.push(FieldStep {
            name,
            required,
            schema: property,
        });
        object = property;
    }
    Some(steps)
}

/// The component name and schema of an operation's success answer (its first 2xx response with a
/// JSON body that is a `$ref`), through shared responses.
pub fn success_schema<'d>(json: &'d Value, operation: &'d Value) -> Option<(&'d str, &'d Value)> {
    operation["responses"]
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| {
            let reference = followed(json, response)
                .pointer("/content/application~1json/schema/$ref")?
                .as_str()?;
            let name = reference.strip_prefix("#/components/schemas/")?;
            Some((name, resolve(json, reference)?))
        })
}

/// `x-acs-rpc-common-parameters: query` on an unsigned RPC operation whose parameters leave those
/// names to the client.
fn check_rpc_common_parameters(
    document: &Document,
    item: &Value,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(place) = operation.get(RPC_COMMON_PARAMETERS) else {
        return;
    };
    let at = format!("{pointer}/{RPC_COMMON_PARAMETERS}");
    if place != "query" {
        problems.push(document.problem(
            &at,
            format!("{RPC_COMMON_PARAMETERS} says where the RPC common parameters travel: query"),
        ));
    }
    if !document.family.rpc {
        problems.push(document.problem(
            &at,
            format!(
                "{RPC_COMMON_PARAMETERS} is for an operation of an RPC family (with x-acs-rpc)"
            ),
        ));
    }
    if !operation
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        problems.push(document.problem(
            &at,
            format!("{RPC_COMMON_PARAMETERS} is for an operation sent without a signature (security: []); a signed RPC operation is signed with ACS3-HMAC-SHA256 in headers, which has no common parameters"),
        ));
    }
    for (at, parameter) in parameters_at(&document.json, item, operation, pointer) {
        let name = parameter["name"].as_str().unwrap_or_default();
        if idtok_runtime::rpc_common::KEYS.contains(&name) {
            problems.push(document.problem(
                &at,
                format!("{name} is an RPC common parameter, which the client sets ({RPC_COMMON_PARAMETERS}); an operation cannot have a parameter of that name"),
            ));
        }
    }
}

/// Every `$ref` is local and points at something.
fn check_refs(document: &Document, problems: &mut Vec<Problem>) {
    crate::lint::walk(&document.json, "", &mut |map, pointer| {
        let Some(target) = map.get("$ref") else {
            return;
        };
        let at = format!("{pointer}/$ref");
        match target.as_str() {
            Some(t) if t.starts_with("#/") => {
                if resolve(&document.json, t).is_none() {
                    problems.push(document.problem(&at, format!("$ref {t} points at nothing")));
                }
            }
            Some(t) => problems.push(document.problem(
                &at,
                format!(
                    "$ref {t} is not local to this document; each document must be self-contained"
                ),
            )),
            None => problems.push(document.problem(&at, "$ref must be a string")),
        }
    });
}

/// Resolves a local `$ref` (`#/components/schemas/X`).
pub fn resolve<'a>(json: &'a Value, reference: &str) -> Option<&'a Value> {
    json.pointer(reference.strip_prefix('#')?)
}

/// A value with a local `$ref` followed once to what it names, or the value itself (a dangling
/// `$ref` stays as it is: `check_refs` reports it).
pub fn followed<'a>(json: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve(json, r))
        .unwrap_or(value)
}

/// The parameters of an operation: its path item's, then its own, `$ref`s followed.
pub fn parameters<'a>(
    json: &'a Value,
    item: &'a Value,
    operation: &'a Value,
) -> impl Iterator<Item = &'a Value> {
    [item.get("parameters"), operation.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(move |p| followed(json, p))
}

/// The parameters of the operation at `pointer`, as `parameters` gives them, each with the
/// pointer where it is written: in the path item's or the operation's list, or for a shared one
/// (`$ref`) in `components`, so that its problem is reported once, where it can be fixed.
pub fn parameters_at<'a>(
    json: &'a Value,
    item: &'a Value,
    operation: &'a Value,
    pointer: &str,
) -> Vec<(String, &'a Value)> {
    let path_item = pointer.rsplit_once('/').map_or("", |(path, _)| path);
    [(item, path_item), (operation, pointer)]
        .into_iter()
        .flat_map(|(owner, at)| {
            owner["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, p)| match p["$ref"].as_str() {
                    Some(r) if r.starts_with("#/") => (r[1..].to_owned(), followed(json, p)),
                    _ => (format!("{at}/parameters/{i}"), followed(json, p)),
                })
        })
        .collect()
}

/// Component schema names become Rust type names unchanged, so they must already be PascalCase,
/// in the form the generators give a name (heck's UpperCamelCase: `Oidc`, not `OIDC`); another
/// form makes typify name the type otherwise and progenitor generate a second type of its own.
fn check_component_names(document: &Document, problems: &mut Vec<Problem>) {
    let Some(schemas) = document
        .json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    for name in schemas.keys() {
        let pascal = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        if pascal && name.to_upper_camel_case() != *name {
            problems.push(document.problem(
                &format!("/components/schemas/{}", escape_token(name)),
                format!("schema name {name:?} must be written {:?}, as the generators write the Rust type name", name.to_upper_camel_case()),
            ));
        } else if !pascal {
            problems.push(document.problem(
                &format!("/components/schemas/{}", escape_token(name)),
                format!("schema name {name:?} must be PascalCase ASCII letters and digits: it is the Rust type name"),
            ));
        }
    }
}

/// Properties become snake_case Rust fields; two that land on one name would not compile.
fn check_field_names(document: &Document, problems: &mut Vec<Problem>) {
    crate::lint::walk(&document.json, "", &mut |map, pointer| {
        let Some(Value::Object(properties)) = map.get("properties") else {
            return;
        };
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        for name in properties.keys() {
            if let Some(first) = fields.insert(name.to_snake_case(), name) {
                problems.push(document.problem(
                    &format!("{pointer}/properties/{}", escape_token(name)),
                    format!(
                        "properties {first:?} and {name:?} would both be the Rust field `{}`",
                        name.to_snake_case()
                    ),
                ));
            }
        }
    });
}

fn check_operations(document: &Document, problems: &mut Vec<Problem>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let Some(paths) = document.json.get("paths").and_then(Value::as_object) else {
        return;
    };
    for (path, item) in paths {
        let path_pointer = format!("/paths/{}", escape_token(path));
        if path.contains('?') || path.contains('#') {
            problems.push(document.problem(&path_pointer, "a path must not contain '?' or '#'"));
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let pointer = format!("{path_pointer}/{method}");
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                problems.push(document.problem(&pointer, "operation has no operationId"));
                continue;
            };
            if let Some(first) = seen.insert(id.to_owned(), pointer.clone()) {
                problems.push(document.problem(
                    &format!("{pointer}/operationId"),
                    format!("operationId {id} is used twice (first at {first})"),
                ));
            }
            check_parameters(document, item, operation, &pointer, problems);
            check_responses(document, operation, &pointer, problems);
            match operation.get(IDEMPOTENT) {
                Some(Value::Bool(_)) => {}
                _ => problems.push(document.problem(
                    &pointer,
                    format!("every operation says whether it is safe to repeat: {IDEMPOTENT}: true (it reads, or repeating it changes nothing more) or false (it creates, changes or deletes; never retried)"),
                )),
            }
            if let Some(paging) = operation.get(PAGINATED) {
                check_paginated(document, item, operation, paging, &pointer, problems);
            }
            check_issues_secret(document, operation, &pointer, problems);
            check_idempotency_token(document, item, operation, &pointer, problems);
            if document.family.rpc {
                let rpc = document
                    .operations
                    .iter()
                    .find(|o| o.pointer == pointer)
                    .and_then(|o| o.rpc.as_ref());
                check_rpc(document, path, id, operation, rpc, &pointer, problems);
                check_rpc_body(document, item, operation, &pointer, problems);
            }
            check_rpc_common_parameters(document, item, operation, &pointer, problems);
        }
    }
}

fn check_parameters(
    document: &Document,
    item: &Value,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    for (at, parameter) in parameters_at(&document.json, item, operation, pointer) {
        if parameter.get("$ref").is_some() {
            continue; // a dangling $ref, reported by check_refs
        }
        let location = parameter
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let required = parameter
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if location == "path" && !required {
            problems.push(document.problem(&at, "a path parameter must be `required: true`"));
        }
        if location == "cookie" {
            problems.push(
                document.problem(&at, "cookie parameters are not supported by the generator"),
            );
        }
        if parameter.get("schema").is_none() {
            problems.push(document.problem(&at, "parameter has no schema"));
        }
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        let in_url = location == "query" || location == "path";
        let acknowledged = parameter.get(SECRET_IN_URL).is_some_and(Value::is_string);
        if in_url && holds_secret(&document.json, schema) && !acknowledged {
            problems.push(document.problem(
                &at,
                format!("a secret must not travel in the URL, which proxies and access logs record (RFC 6749 §2.3.1): send it in a header or the body, not the {location}; where the service takes it nowhere else, say so in {SECRET_IN_URL}"),
            ));
        }
        if parameter.get(SECRET_IN_URL).is_some_and(|v| !v.is_string()) {
            problems.push(document.problem(
                &format!("{at}/{SECRET_IN_URL}"),
                format!("{SECRET_IN_URL} must be a sentence saying why the secret is in the URL"),
            ));
        }
        check_query_style(document, parameter, schema, location, &at, problems);
    }
}

/// Whether a schema holds a secret: `format: password`, or an object or array with one inside.
pub fn holds_secret(json: &Value, schema: &Value) -> bool {
    !secret_paths(json, "", schema).is_empty()
}

/// Where a schema holds secrets (`format: password`), as flattened keys under `prefix`:
/// `prefix` itself, `prefix.Field`, `prefix.*` for the items of an array.
pub fn secret_paths(json: &Value, prefix: &str, schema: &Value) -> Vec<String> {
    fn walk(json: &Value, prefix: &str, schema: &Value, depth: usize, out: &mut Vec<String>) {
        if depth > 16 {
            return;
        }
        let schema = followed(json, schema);
        if schema["format"] == "password" {
            out.push(prefix.to_owned());
        }
        if let Some(items) = schema.get("items") {
            walk(json, &format!("{prefix}.*"), items, depth + 1, out);
        }
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            walk(json, &format!("{prefix}.{name}"), property, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(json, prefix, schema, 0, &mut out);
    out
}

/// An array or object in a query string: an RPC document says how it is flattened, and the
/// generator can type it only through `$ref`s; no other family can send one.
fn check_query_style(
    document: &Document,
    parameter: &Value,
    schema: &Value,
    location: &str,
    at: &str,
    problems: &mut Vec<Problem>,
) {
    let target = followed(&document.json, schema);
    let kind = target["type"].as_str().unwrap_or_default();
    let style = parameter.get(QUERY_STYLE);
    let structured = kind == "array" || kind == "object";
    match (structured, style.and_then(Value::as_str)) {
        (false, None) => {}
        (false, Some(_)) => problems.push(document.problem(
            &format!("{at}/{QUERY_STYLE}"),
            format!("{QUERY_STYLE} is for array and object parameters"),
        )),
        (true, _) if location != "query" || !document.family.rpc => problems
            .push(document.problem(
            at,
            "an array or object parameter is only supported in an RPC query string (x-acs-style)",
        )),
        (true, None) => problems.push(document.problem(
            at,
            format!(
                "say how the {kind} is flattened in the query string: {QUERY_STYLE}: {}",
                if kind == "array" {
                    "repeatList"
                } else {
                    "flat"
                }
            ),
        )),
        (true, Some(style)) => {
            let expected = if kind == "array" {
                "repeatList"
            } else {
                "flat"
            };
            if style != expected {
                problems.push(document.problem(
                    &format!("{at}/{QUERY_STYLE}"),
                    format!("{QUERY_STYLE} of an {kind} is {expected}, not {style:?} (json and simple are not supported)"),
                ));
            }
            let typed_by_ref = if kind == "object" {
                schema.get("$ref").is_some()
            } else {
                let items = &target["items"];
                items.get("$ref").is_some()
                    || ["string", "integer", "number", "boolean"]
                        .contains(&items["type"].as_str().unwrap_or_default())
            };
            if !typed_by_ref {
                problems.push(document.problem(
                    &format!("{at}/schema"),
                    "an object parameter, and the items of an array of objects, must be a $ref to a component schema (the CLI and mocks type them by name)",
                ));
            }
        }
    }
}

/// One success schema and one error schema, each a `$ref` (the generator's limit).
fn check_responses(
    document: &Document,
    operation: &Value,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        problems.push(document.problem(pointer, "operation has no responses"));
        return;
    };
    let mut success = BTreeSet::new();
    let mut error = BTreeSet::new();
    for (status, response) in responses {
        let at = format!("{pointer}/responses/{}", escape_token(status));
        let response = match response.get("$ref").and_then(Value::as_str) {
            Some(r) => match resolve(&document.json, r) {
                Some(resolved) => resolved,
                None => continue,
            },
            None => response,
        };
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (media_type, body) in content {
            let schema_at = format!("{at}/content/{}/schema", escape_token(media_type));
            match body.get("schema").map(|s| s.get("$ref").and_then(Value::as_str)) {
                Some(Some(reference)) => {
                    if status.starts_with('2') || status == "default" {
                        success.insert(reference.to_owned());
                    } else {
                        error.insert(reference.to_owned());
                    }
                }
                Some(None) => problems.push(document.problem(
                    &schema_at,
                    "a response body schema must be a $ref to components/schemas (the generator mis-types inline ones)",
                )),
                None => problems.push(document.problem(&schema_at, "a response body has no schema")),
            }
        }
    }
    for (kind, schemas) in [("success", success), ("error", error)] {
        if schemas.len() > 1 {
            let names: Vec<_> = schemas.into_iter().collect();
            problems.push(document.problem(
                &format!("{pointer}/responses"),
                format!("the {kind} responses use {} different schemas ({}); the generator supports one", names.len(), names.join(", ")),
            ));
        }
    }
}

/// An RPC operation sits on the pseudo-path `/{action}`, and `x-acs-rpc` says what is sent: the
/// document's states what every operation shares (`version`, `method`, `path`), an operation's
/// own only what differs (its `action`, when it is not the operationId).
fn check_rpc(
    document: &Document,
    path: &str,
    id: &str,
    operation: &Value,
    rpc: Option<&crate::operations::Rpc>,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let own = operation.get(RPC);
    let at = if own.is_some() {
        format!("{pointer}/{RPC}")
    } else {
        format!("/{RPC}")
    };
    let Some(rpc) = rpc else {
        problems.push(document.problem(
            pointer,
            format!("an RPC operation needs {RPC} (action, version, method, path), on the document or the operation"),
        ));
        return;
    };
    if rpc.action != id || path != format!("/{}", rpc.action) {
        problems.push(document.problem(
            &format!("{at}/action"),
            format!("{RPC}.action {} must equal the operationId {id} and the pseudo-path /{} (found {path})", rpc.action, rpc.action),
        ));
    }
    let version = document.openapi.info.version.as_str();
    for (name, found, expected) in [
        ("version", &rpc.version, version),
        ("method", &rpc.method, "POST"),
        ("path", &rpc.path, "/"),
    ] {
        if found != expected {
            // Where it is said: the operation's own, else the document's.
            let at = if own.is_some_and(|o| o.get(name).is_some()) {
                format!("{pointer}/{RPC}/{name}")
            } else {
                format!("/{RPC}/{name}")
            };
            problems.push(document.problem(&at, format!("{RPC}.{name} must be {expected:?}")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::FAMILIES;

    fn problems_of(family: usize, source: &str) -> Vec<String> {
        let document = Document::parse(FAMILIES[family], source).unwrap();
        check(&document)
            .into_iter()
            .map(|p| p.to_string())
            .collect()
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: v1\npaths:\n";

    #[test]
    fn dangling_ref_is_located() {
        let source = format!(
            "{HEAD}  /a:\n    get:\n      operationId: A\n      x-idempotent: false\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
        );
        assert_eq!(
            problems_of(2, &source),
            ["openapi/identitystore-v1.yaml:16:17: /paths/~1a/get/responses/200/content/application~1json/schema/$ref: $ref #/components/schemas/Missing points at nothing"]
        );
    }

    #[test]
    fn inline_response_schema_and_optional_path_parameter_are_refused() {
        let source = format!(
            "{HEAD}  /a/{{b}}:\n    get:\n      operationId: A\n      x-idempotent: false\n      parameters:\n        - name: b\n          in: path\n          schema: {{type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n"
        );
        let problems = problems_of(2, &source);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("/parameters/0: a path parameter must be `required: true`"));
        assert!(problems[1].contains("must be a $ref"));
    }

    #[test]
    fn rpc_operations_must_say_what_goes_on_the_wire() {
        let source = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '2021-12-01'\npaths:\n  /A:\n    post:\n      operationId: A\n      x-idempotent: false\n      x-acs-rpc: {action: B, version: '2021-12-01', method: GET, path: /}\n      responses: {}\n";
        let problems = problems_of(0, source);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("x-acs-rpc.action B must equal the operationId A"));
        assert!(problems[1].contains("/x-acs-rpc/method: x-acs-rpc.method must be \"POST\""));
    }

    /// An RPC operation may send a form body beside its query (EIAM's ClientToken): one form of
    /// flat scalars, none also a query parameter; its idempotency token marked on the property.
    #[test]
    fn an_rpc_body_is_a_flat_form_beside_the_query() {
        let operation = |id: &str, media: &str, schema: &str| {
            format!("  /{id}:\n    post:\n      operationId: {id}\n      x-idempotent: false\n      parameters:\n        - {{name: T, in: query, schema: {{type: string}}}}\n      requestBody:\n        content:\n          {media}:\n            schema: {{$ref: '#/components/schemas/{schema}'}}\n      responses: {{}}\n")
        };
        let source = format!(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '2021-12-01'\nx-acs-rpc: {{version: '2021-12-01', method: POST, path: /}}\npaths:\n{}{}{}{}components:\n  schemas:\n    Good:\n      type: object\n      properties:\n        ClientToken: {{type: string, x-idempotency-token: true}}\n    Nested:\n      type: object\n      properties:\n        Inner: {{type: object}}\n        T: {{type: string}}\n        N: {{type: integer, x-idempotency-token: true}}\n",
            operation("Good", "application/x-www-form-urlencoded", "Good"),
            operation("Json", "application/json", "Good"),
            operation("Nested", "application/x-www-form-urlencoded", "Nested"),
            "  /Both:\n    post:\n      operationId: Both\n      x-idempotent: false\n      parameters:\n        - {name: ClientToken, in: query, x-idempotency-token: true, schema: {type: string}}\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/Good'}\n      responses: {}\n",
        );
        let problems = problems_of(0, &source);
        let at = |pointer: &str, sentence: &str| {
            assert!(
                problems
                    .iter()
                    .any(|p| p.contains(&format!("{pointer}: {sentence}"))),
                "{pointer}: {sentence} not in {problems:#?}"
            );
        };
        assert!(
            !problems.iter().any(|p| p.contains("/paths/~1Good/")),
            "{problems:#?}"
        );
        at(
            "/paths/~1Json/post/requestBody",
            "an RPC operation's request body is one application/x-www-form-urlencoded form",
        );
        at(
            "/components/schemas/Nested/properties/Inner",
            "a property of an RPC operation's form body is a string, integer, number or boolean",
        );
        at(
            "/components/schemas/Nested/properties/T",
            "T is also a query parameter of /paths/~1Nested/post",
        );
        at(
            "/components/schemas/Nested/properties/N",
            "x-idempotency-token marks a string query parameter, or a string property of a form body",
        );
        at(
            "/components/schemas/Good/properties/ClientToken",
            "an operation has one idempotency token; 2 are marked x-idempotency-token",
        );
        at(
            "/components/schemas/Good/properties/ClientToken",
            "ClientToken is also a query parameter of /paths/~1Both/post",
        );
        assert_eq!(problems.len(), 6, "{problems:#?}");
    }

    #[test]
    fn properties_that_collide_as_rust_fields_are_refused() {
        let source = format!("{HEAD}  {{}}\ncomponents:\n  schemas:\n    E:\n      properties:\n        Code: {{type: string}}\n        code: {{type: string}}\n");
        assert_eq!(
            problems_of(1, &source),
            ["openapi/eiam-developerapi-2022-02-25.yaml:12:9: /components/schemas/E/properties/code: properties \"Code\" and \"code\" would both be the Rust field `code`"]
        );
    }

    #[test]
    fn a_schema_name_the_generators_would_write_otherwise_is_refused() {
        let source =
            format!("{HEAD}  {{}}\ncomponents:\n  schemas:\n    OIDCInfo:\n      type: object\n");
        assert_eq!(
            problems_of(0, &source),
            ["openapi/eiam-2021-12-01.yaml:9:5: /components/schemas/OIDCInfo: schema name \"OIDCInfo\" must be written \"OidcInfo\", as the generators write the Rust type name"]
        );
    }

    #[test]
    fn rpc_common_parameters_are_per_unsigned_operation_and_leave_their_names_to_the_client() {
        let operation = |path: &str, extra: &str| {
            format!("  /{path}:\n    post:\n      operationId: {path}\n      x-idempotent: true\n      x-acs-rpc: {{action: {path}, version: '2015-04-01', method: POST, path: /}}\n{extra}      responses: {{}}\n")
        };
        let source = format!(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '2015-04-01'\nx-acs-rpc-common-parameters: query\npaths:\n{}{}",
            operation(
                "Signed",
                "      x-acs-rpc-common-parameters: body\n      parameters:\n        - {name: Timestamp, in: query, schema: {type: string}}\n"
            ),
            operation(
                "Anonymous",
                "      security: []\n      x-acs-rpc-common-parameters: query\n      parameters:\n        - {name: RoleArn, in: query, schema: {type: string}}\n"
            ),
        );
        let problems = problems_of(0, &source);
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].contains("/paths/~1Signed/post/x-acs-rpc-common-parameters: x-acs-rpc-common-parameters says where the RPC common parameters travel: query"), "{problems:#?}");
        assert!(problems[1].contains("/paths/~1Signed/post/x-acs-rpc-common-parameters: x-acs-rpc-common-parameters is for an operation sent without a signature (security: [])"), "{problems:#?}");
        assert!(
            problems[2].contains(
                "/paths/~1Signed/post/parameters/0: Timestamp is an RPC common parameter"
            ),
            "{problems:#?}"
        );
        assert!(problems[3].contains(":5:1: /x-acs-rpc-common-parameters: x-acs-rpc-common-parameters belongs on each operation"), "{problems:#?}");
        let rest = format!(
            "{HEAD}  /a:\n    get:\n      operationId: A\n      x-idempotent: true\n      security: []\n      x-acs-rpc-common-parameters: query\n      responses: {{}}\n"
        );
        let problems = problems_of(1, &rest);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].contains("/paths/~1a/get/x-acs-rpc-common-parameters: x-acs-rpc-common-parameters is for an operation of an RPC family"),
            "{problems:#?}"
        );
    }

    /// A list that pages by marker, its next marker inside `page_info` (`outputToken` given as
    /// `token`, `items` as `items`).
    fn marker_paged(token: &str, items: &str) -> String {
        format!(
            "{HEAD}  /things:\n    get:\n      operationId: ListThings\n      x-idempotent: true\n      x-paginated: {{inputToken: marker, outputToken: {token}, items: {items}}}\n      parameters:\n        - {{name: marker, in: query, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/ListThingsResponse'}}\ncomponents:\n  schemas:\n    ListThingsResponse:\n      type: object\n      properties:\n        things: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}\n        page_info: {{$ref: '#/components/schemas/PageInfo'}}\n    PageInfo:\n      type: object\n      properties:\n        next_marker: {{type: string}}\n        current_count: {{type: integer}}\n    Thing:\n      type: object\n"
        )
    }

    #[test]
    fn a_paging_token_may_be_a_dotted_path_into_a_nested_object() {
        assert_eq!(
            problems_of(2, &marker_paged("page_info.next_marker", "things")),
            Vec::<String>::new()
        );
        for (token, items, key) in [
            ("page_info.nope", "things", "outputToken"),
            ("page_info.current_count", "things", "outputToken"),
            ("page_info", "things", "outputToken"),
            ("things.next_marker", "things", "outputToken"),
            ("page_info.next_marker", "page_info.things", "items"),
        ] {
            let problems = problems_of(2, &marker_paged(token, items));
            assert_eq!(problems.len(), 1, "{token} {items}: {problems:#?}");
            assert!(
                problems[0].contains(&format!(
                    "/x-paginated/{key}: x-paginated.{key} must name a"
                )),
                "{problems:#?}"
            );
        }
    }

    #[test]
    fn the_real_documents_pass() {
        let root = crate::workspace_root();
        for family in FAMILIES {
            let document = Document::load(&root, family).unwrap();
            let problems = check(&document);
            assert!(problems.is_empty(), "{problems:#?}");
        }
    }
}
