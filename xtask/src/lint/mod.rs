//! `cargo xtask lint` (and the first step of `cargo xtask gen`): every problem in a document,
//! each as `file:line:column: JSON pointer: sentence`.
//!
//! - the document against the official OpenAPI 3.0 JSON Schema (`xtask/schemas/`, vendored:
//!   <https://spec.openapis.org/oas/3.0/schema/2021-09-28>);
//! - duplicate YAML keys (found while loading: see `document.rs`);
//! - every `example` against the schema it illustrates (parameters, media types, schemas);
//! - secret fields marked `format: password`, so the generated types redact them;
//! - what the generator needs (`limits.rs`): local `$ref`s that resolve, unique operationIds,
//!   `$ref` response bodies, one success and one error schema, required path parameters, RPC
//!   pseudo-paths that match `x-acs-rpc`;
//! - text that callers read (`summary`, `description`, `title`) without remarks about where a fact
//!   came from or how the document models it (`remarks.rs`): those go in `x-modelling-note`;
//! - overviews that keep up with the operations (`overviews.rs`): `info.description` names every
//!   tag, each tag's description the resource of each of its operations;
//! - every operation of the vendor's official SDK, from the list beside the documents
//!   (`sdk_coverage.rs`; read by `cargo xtask lint` and `gen`, which know the workspace root);
//! - the limits of request values (`values.rs`): `enum`, lengths and ranges on request values
//!   only, coherent, and in the schema wherever a description lists valid values.

pub mod limits;
pub mod overviews;
pub mod remarks;
pub mod sdk_coverage;
pub mod values;

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::document::{escape_token, Document, Problem};

const OPENAPI_SCHEMA: &str = include_str!("../../schemas/openapi-3.0-2021-09-28.json");

/// Names (compared without case, `-` and `_`) of string fields and parameters that hold a secret.
const SECRET_NAMES: [&str; 15] = [
    "applicationtoken",
    "clientsecret",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "token",
    "password",
    "jwtvalue",
    "derivedshorttoken",
    "xsecuritytoken",
    "securitytoken",
    "accesskeysecret",
    "secretaccesskey",
    "oidctoken",
    "samlassertion",
];

/// [`check`], and the document against its family's official SDK operation list when it has one
/// (`sdk_operations`, [`sdk_coverage::read_list`]): what `cargo xtask lint` and `gen` both run.
pub fn check_with_sdk(document: &Document, sdk_operations: Option<&str>) -> Vec<Problem> {
    let mut problems = check(document);
    if let Some(list) = sdk_operations {
        problems.extend(sdk_coverage::check(document, list));
    }
    problems
}

pub fn check(document: &Document) -> Vec<Problem> {
    let mut problems = official_schema(document);
    problems.extend(limits::check(document));
    problems.extend(examples(document));
    problems.extend(secrets(document));
    problems.extend(remarks::check(document));
    problems.extend(overviews::check(document));
    problems.extend(values::check(document));
    problems.sort_by(|a, b| (a.line, &a.pointer).cmp(&(b.line, &b.pointer)));
    problems.dedup();
    problems
}

fn official_schema(document: &Document) -> Vec<Problem> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(OPENAPI_SCHEMA).expect("the vendored schema is JSON");
        jsonschema::draft4::new(&schema).expect("the vendored schema is a draft-04 schema")
    });
    validator
        .iter_errors(&document.json)
        .map(|error| {
            let pointer = error.instance_path().as_str().to_owned();
            document.problem(&pointer, format!("not valid OpenAPI 3.0: {error}"))
        })
        .collect()
}

fn examples(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |pointer: &str, schema: &Value, example: &Value| {
        let mut misfits = Vec::new();
        fits(document, schema, example, String::new(), &mut misfits);
        for (at, sentence) in misfits {
            problems.push(document.problem(
                &format!("{pointer}/example{at}"),
                format!("the example does not fit its schema: {sentence}"),
            ));
        }
    };
    walk(&document.json, "", &mut |object, pointer| {
        let Some(example) = object.get("example") else {
            return;
        };
        if object.contains_key("in") {
            // A parameter: its example illustrates its schema.
            if let Some(schema) = object.get("schema") {
                check(pointer, schema, example);
            }
        } else if let Some(schema) = object.get("schema") {
            // A media type.
            check(pointer, schema, example);
        } else if object.contains_key("type") || object.contains_key("$ref") {
            check(pointer, &Value::Object(object.clone()), example);
        }
    });
    problems
}

/// Whether `value` fits `schema`, for the schema keywords these documents use (`$ref`, `type`,
/// `format` int32/int64, `nullable`, `enum`, `minLength`/`maxLength`, `minimum`/`maximum`,
/// `properties`, `required`, `additionalProperties`, `items`). A check written for them is much faster than a general validator per example, which
/// matters because `cargo xtask gen` runs the lint first. Misfits go to `out` as
/// (pointer within the value, sentence).
fn fits(
    document: &Document,
    schema: &Value,
    value: &Value,
    at: String,
    out: &mut Vec<(String, String)>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if let Some(target) = limits::resolve(&document.json, reference) {
            fits(document, target, value, at, out);
        }
        return;
    }
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            out.push((
                at.clone(),
                format!("{value} is not one of {}", Value::Array(allowed.clone())),
            ));
        }
    }
    let Some(expected) = schema.get("type").and_then(Value::as_str) else {
        return;
    };
    let fitting = match expected {
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => match schema.get("format").and_then(Value::as_str) {
            Some("int32") => value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            _ => value.is_i64() || value.is_u64(),
        },
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    };
    if !fitting {
        out.push((at, format!("{value} is not of type {expected}")));
        return;
    }
    if let Value::String(text) = value {
        let length = text.chars().count() as u64;
        if schema["minLength"].as_u64().is_some_and(|min| length < min)
            || schema["maxLength"].as_u64().is_some_and(|max| length > max)
        {
            out.push((
                at.clone(),
                format!("{length} characters is not within its minLength and maxLength"),
            ));
        }
    }
    if let Some(number) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|min| number < min)
            || schema["maximum"].as_f64().is_some_and(|max| number > max)
        {
            out.push((
                at.clone(),
                format!("{value} is not within its minimum and maximum"),
            ));
        }
    }
    if let (Some(items), Value::Array(elements)) = (schema.get("items"), value) {
        for (i, element) in elements.iter().enumerate() {
            fits(document, items, element, format!("{at}/{i}"), out);
        }
    }
    if let Value::Object(fields) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !fields.contains_key(name) {
                out.push((at.clone(), format!("required property {name:?} is missing")));
            }
        }
        for (name, field) in fields {
            let field_at = format!("{at}/{}", escape_token(name));
            match (
                properties.and_then(|p| p.get(name)),
                schema.get("additionalProperties"),
            ) {
                (Some(property), _) => fits(document, property, field, field_at, out),
                (None, Some(Value::Bool(false))) => {
                    out.push((field_at, format!("property {name:?} is not allowed")))
                }
                (None, Some(extra @ Value::Object(_))) => {
                    fits(document, extra, field, field_at, out)
                }
                (None, _) => {}
            }
        }
    }
}

fn secrets(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    let is_secret = |name: &str| {
        let folded: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        SECRET_NAMES.contains(&folded.as_str())
    };
    let unmarked = |schema: &Value| {
        schema.get("type") == Some(&json!("string"))
            && schema.get("format") != Some(&json!("password"))
    };
    walk(&document.json, "", &mut |object, pointer| {
        if let Some(Value::Object(properties)) = object.get("properties") {
            for (name, property) in properties {
                if is_secret(name) && unmarked(property) {
                    problems.push(document.problem(
                        &format!("{pointer}/properties/{}", escape_token(name)),
                        format!("{name} holds a secret: mark it `format: password` so generated types redact it"),
                    ));
                }
            }
        }
        if let (Some(Value::String(name)), Some(schema)) =
            (object.get("name"), object.get("schema"))
        {
            if object.contains_key("in") && is_secret(name) && unmarked(schema) {
                problems.push(document.problem(
                    &format!("{pointer}/schema"),
                    format!("parameter {name} holds a secret: mark its schema `format: password`"),
                ));
            }
        }
    });
    problems
}

/// Calls `visit` with every JSON object in `value` and its pointer.
pub(crate) fn walk(value: &Value, pointer: &str, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    match value {
        Value::Object(map) => {
            visit(map, pointer);
            for (key, child) in map {
                walk(child, &format!("{pointer}/{}", escape_token(key)), visit);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{pointer}/{i}"), visit);
            }
        }
        _ => {}
    }
}
