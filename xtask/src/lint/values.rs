//! The limits of request values (`enum`, `minLength`/`maxLength`, `minimum`/`maximum`): where
//! they may stand, and that they say something coherent.
//!
//! - They limit what a caller sends, never what an answer holds: a value the vendor adds later,
//!   or a longer name, must not make an answer fail to decode in a client generated from the
//!   document (ours leaves them open anyway; others would not). A schema reachable from a
//!   response has none; say the known values in its description.
//! - `enum` lists strings, on a string (idtok's flags offer and check them); lengths are on a
//!   string, bounds on an integer or number, the least no more than the most. `minItems`,
//!   `maxItems` and the exclusive bounds are not checked by idtok yet: say them in prose.
//! - A request value whose description lists "Valid values" has them in its `enum`, so that the
//!   command line checks and completes them.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::{escape_token, Document, Problem};
use crate::lint::limits::{followed, resolve};

/// The limits idtok checks, and the others, which a document does not use yet.
const CHECKED: [&str; 5] = ["enum", "minLength", "maxLength", "minimum", "maximum"];
const UNCHECKED: [&str; 4] = [
    "minItems",
    "maxItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

pub fn check(document: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    let answers = answer_schemas(document);
    crate::lint::walk(&document.json, "", &mut |map, pointer| {
        if !is_schema(pointer) {
            return;
        }
        let limited: Vec<&str> = CHECKED
            .iter()
            .chain(UNCHECKED.iter())
            .copied()
            .filter(|key| map.contains_key(*key))
            .collect();
        if limited.is_empty() {
            return;
        }
        if let Some(answer) = answers.iter().find(|a| is_within(pointer, a)) {
            problems.push(document.problem(
                &format!("{pointer}/{}", limited[0]),
                format!("answers stay open: {} would make an answer that the vendor changes later fail to decode ({answer} is part of an answer); say it in the description", limited.join(", ")),
            ));
            return;
        }
        for key in UNCHECKED.iter().filter(|k| map.contains_key(**k)) {
            problems.push(document.problem(
                &format!("{pointer}/{key}"),
                format!("{key} is not checked by idtok's flags: say it in the description"),
            ));
        }
        coherent(document, map, pointer, &mut problems);
    });
    prose_values(document, &mut problems);
    problems
}

/// Each limit on the kind of value it limits, and bounds in order.
fn coherent(
    document: &Document,
    map: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Problem>,
) {
    let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
    let mut refuse = |key: &str, sentence: String| {
        problems.push(document.problem(&format!("{pointer}/{key}"), sentence));
    };
    if let Some(values) = map.get("enum") {
        let strings: Vec<&str> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let distinct: BTreeSet<&str> = strings.iter().copied().collect();
        if kind != "string"
            || strings.is_empty()
            || strings.len() != values.as_array().map_or(0, Vec::len)
            || distinct.len() != strings.len()
        {
            refuse(
                "enum",
                "enum lists the distinct strings a string may be (the flags of idtok offer them)"
                    .to_owned(),
            );
        }
    }
    for key in ["minLength", "maxLength"] {
        if let Some(length) = map.get(key) {
            if kind != "string" || length.as_u64().is_none() {
                refuse(
                    key,
                    format!("{key} is a whole number of characters, on a string"),
                );
            }
        }
    }
    for key in ["minimum", "maximum"] {
        if let Some(bound) = map.get(key) {
            if !matches!(kind, "integer" | "number") || !bound.is_number() {
                refuse(key, format!("{key} is a number, on an integer or number"));
            }
        }
    }
    for (least, most) in [("minLength", "maxLength"), ("minimum", "maximum")] {
        if let (Some(low), Some(high)) = (
            map.get(least).and_then(Value::as_f64),
            map.get(most).and_then(Value::as_f64),
        ) {
            if low > high {
                refuse(most, format!("{most} is less than {least}"));
            }
        }
    }
}

/// Whether `pointer` is a schema: a component schema, a parameter's or media type's `schema`, or
/// a schema inside one (`properties/*`, `items`, ...).
fn is_schema(pointer: &str) -> bool {
    let tokens: Vec<&str> = pointer.split('/').collect();
    let in_schema = tokens.iter().position(|t| *t == "schema").or_else(|| {
        tokens
            .windows(2)
            .position(|w| w == ["components", "schemas"])
            .map(|i| i + 2)
            .filter(|i| *i < tokens.len())
    });
    let Some(start) = in_schema else {
        return false;
    };
    // Within a schema, `example` and `default` hold data, and `x-` extensions their own values.
    !tokens[start..]
        .iter()
        .any(|t| *t == "example" || *t == "default" || t.starts_with("x-"))
        && tokens.last() != Some(&"properties")
}

/// Whether `pointer` is `within` or inside it.
fn is_within(pointer: &str, within: &str) -> bool {
    pointer == within || pointer.starts_with(&format!("{within}/"))
}

/// The pointers of every schema an answer holds: the schemas of the responses' media types
/// (operations' and shared ones), and the component schemas they reach.
fn answer_schemas(document: &Document) -> Vec<String> {
    let json = &document.json;
    let mut out = Vec::new();
    let mut pending = Vec::new();
    let mut responses = Vec::new();
    for (path, item) in json["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            for (status, _) in operation["responses"].as_object().into_iter().flatten() {
                responses.push(format!(
                    "/paths/{}/{method}/responses/{}",
                    escape_token(path),
                    escape_token(status)
                ));
            }
        }
    }
    for (name, _) in json
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        responses.push(format!("/components/responses/{}", escape_token(name)));
    }
    for response in responses {
        let Some(value) = json.pointer(&response) else {
            continue;
        };
        if value.get("$ref").is_some() {
            continue; // a shared response, visited as such
        }
        for (media, _) in value["content"].as_object().into_iter().flatten() {
            pending.push(format!("{response}/content/{}/schema", escape_token(media)));
        }
    }
    while let Some(pointer) = pending.pop() {
        if out.contains(&pointer) {
            continue;
        }
        if let Some(schema) = json.pointer(&pointer) {
            crate::lint::walk(schema, &pointer, &mut |map, at| {
                if let Some(target) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                {
                    pending.push(target.to_owned());
                }
                let _ = at;
            });
        }
        out.push(pointer);
    }
    out
}

/// A request value whose description lists "Valid values" has them in its schema's `enum`.
fn prose_values(document: &Document, problems: &mut Vec<Problem>) {
    let json = &document.json;
    let answers = answer_schemas(document);
    let mut seen = BTreeSet::new();
    let mut visit = |pointer: String, description: Option<&str>, schema: &Value| {
        let lists_values = description.is_some_and(|d| d.contains("Valid values"));
        let schema = followed(json, schema);
        let target = match schema.get("items") {
            Some(items) if schema["type"] == "array" => followed(json, items),
            _ => schema,
        };
        if lists_values && target.get("enum").is_none() && seen.insert(pointer.clone()) {
            problems.push(document.problem(
                &pointer,
                "the description lists the valid values of a request value: put them in its enum too, so that the command line checks and completes them",
            ));
        }
    };
    for (path, item) in json["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let pointer = format!("/paths/{}/{method}", escape_token(path));
            for (i, parameter) in operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                // A shared parameter's problem is reported once, where it is written.
                let at = match parameter["$ref"].as_str() {
                    Some(r) => r.trim_start_matches('#').to_owned(),
                    None => format!("{pointer}/parameters/{i}"),
                };
                let parameter = followed(json, parameter);
                visit(
                    format!("{at}/description"),
                    parameter["description"].as_str(),
                    &parameter["schema"],
                );
            }
        }
    }
    // The properties of request schemas: every component schema no answer reaches.
    for (name, schema) in json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = format!("/components/schemas/{}", escape_token(name));
        if answers.iter().any(|a| is_within(&at, a) || a == &at) {
            continue;
        }
        for (property, value) in schema["properties"].as_object().into_iter().flatten() {
            let value = resolve_or(json, value);
            visit(
                format!("{at}/properties/{}/description", escape_token(property)),
                value["description"].as_str(),
                value,
            );
        }
    }
}

fn resolve_or<'a>(json: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| resolve(json, r))
        .unwrap_or(value)
}
