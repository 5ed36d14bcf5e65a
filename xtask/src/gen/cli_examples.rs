//! The examples that end each operation's `--help` (`EXAMPLES` in each generated CLI module),
//! from the document's examples: the flags of the required parameters and body fields with their
//! example values, then, where the document exemplifies more, every flag it has an example for.
//! Each is a command that runs as written: every required flag present, a body given by its
//! flags or, where flags cannot express it, as JSON on stdin (`--json-body -`).
//! `crates/idtok/src/help.rs` quotes and lays them out.

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::document::{Document, Problem};
use crate::extensions::QUERY_STYLE;
use crate::gen::cli_hooks::{body_field_flag, field_kind, parameter_flags, Kind};
use crate::gen::examples::{body_example, parameter_example};
use crate::lint::limits::{followed, parameters};

/// One example: the arguments after `idtok <family> <operation>`, and the JSON body on stdin.
#[derive(PartialEq)]
struct Example {
    args: Vec<String>,
    stdin: Option<String>,
}

/// Which flags an example gives.
#[derive(Clone, Copy, PartialEq)]
enum Flags {
    /// The required parameters, and the body fields the document requires (or the whole example
    /// body, where the body is required but none of its fields is).
    Required,
    /// Every parameter and body field the document gives an example of.
    Every,
}

pub fn generate(document: &Document) -> Result<TokenStream, Problem> {
    let mut entries = Vec::new();
    for op in &document.operations {
        let (id, pointer, operation) = (op.id.as_str(), &op.pointer, &op.json);
        let item = &document.json["paths"][&op.path];
        let required = example(document, item, operation, pointer, Flags::Required)?;
        let every = example(document, item, operation, pointer, Flags::Every)?;
        let every = (every != required).then_some(every);
        for (flags, example) in [(Flags::Required, Some(required)), (Flags::Every, every)] {
            let Some(Example { args, stdin }) = example else {
                continue;
            };
            let kind = match flags {
                Flags::Required => quote!(crate::help::ExampleFlags::Required),
                Flags::Every => quote!(crate::help::ExampleFlags::Every),
            };
            let stdin = match stdin {
                Some(json) => quote!(Some(#json)),
                None => quote!(None),
            };
            entries.push(quote! {
                crate::help::Example {
                    operation: #id,
                    flags: #kind,
                    args: &[ #(#args),* ],
                    stdin: #stdin,
                }
            });
        }
    }
    Ok(quote! {
        /// The examples that end each operation's `--help`, from the document's examples: the
        /// arguments after `idtok <family> <operation>`, and the JSON body on stdin where flags
        /// cannot give it.
        pub const EXAMPLES: &[crate::help::Example] = &[ #(#entries),* ];
    })
}

/// The example of `operation` that gives `flags`.
fn example(
    document: &Document,
    item: &Value,
    operation: &Value,
    pointer: &str,
    flags: Flags,
) -> Result<Example, Problem> {
    let json = &document.json;
    let mut args = Vec::new();
    for parameter in parameters(json, item, operation) {
        let name = parameter["name"].as_str().unwrap_or_default();
        let is_runtime_header = parameter["in"] == "header"
            && crate::gen::client::RUNTIME_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name));
        // idtok fills in a fresh idempotency token; a fixed one copied from an example would make
        // the service answer a later call with the first one's result.
        let is_idempotency_token =
            parameter.get(crate::extensions::IDEMPOTENCY_TOKEN) == Some(&Value::Bool(true));
        let required = parameter["required"] == true;
        if is_runtime_header || is_idempotency_token || (flags == Flags::Required && !required) {
            continue;
        }
        let Some(value) = parameter_example(json, parameter) else {
            if required {
                return Err(document.problem(
                    pointer,
                    format!("the required parameter {name} has no example for the --help examples"),
                ));
            }
            continue;
        };
        let values = if parameter.get(QUERY_STYLE).is_some() {
            flag_values(
                &field_kind(document, followed(json, &parameter["schema"])),
                value,
            )
        } else {
            // A flag of progenitor's, which parses its value as the parameter's scalar type.
            match value {
                Value::String(text) => Some(vec![text.clone()]),
                Value::Number(_) | Value::Bool(_) => Some(vec![value.to_string()]),
                _ => None,
            }
        };
        let values = values.ok_or_else(|| {
            document.problem(
                pointer,
                format!("the example of the parameter {name} cannot be given as its flag: {value}"),
            )
        })?;
        let flag = format!("--{}", name.to_kebab_case());
        for value in values {
            args.push(flag.clone());
            args.push(value);
        }
    }
    let mut stdin = None;
    if let Some(body) = operation.get("requestBody") {
        let body = followed(json, body);
        let media = body["content"]
            .as_object()
            .and_then(|content| content.values().next())
            .unwrap_or(&Value::Null);
        let schema = followed(json, &media["schema"]);
        let body_required = body["required"] == true;
        let required_fields: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let example = body_example(json, media);
        let example = match (example, body_required) {
            (Some(Value::Object(example)), _) => example,
            (None, false) => serde_json::Map::new(),
            _ => {
                return Err(document.problem(
                    pointer,
                    "the request body has no example object for the --help examples",
                ))
            }
        };
        if let Some(missing) = required_fields.iter().find(|f| !example.contains_key(**f)) {
            return Err(document.problem(
                pointer,
                format!("the request body's example lacks the required field {missing}"),
            ));
        }
        // A body's idempotency token is left to idtok, as a query one is.
        let example: serde_json::Map<String, Value> = example
            .into_iter()
            .filter(|(name, _)| {
                schema["properties"][name].get(crate::extensions::IDEMPOTENCY_TOKEN)
                    != Some(&Value::Bool(true))
            })
            .collect();
        let fields: serde_json::Map<String, Value> = match flags {
            Flags::Every => example,
            Flags::Required if !body_required => serde_json::Map::new(),
            Flags::Required if required_fields.is_empty() => example,
            Flags::Required => example
                .into_iter()
                .filter(|(name, _)| required_fields.contains(&name.as_str()))
                .collect(),
        };
        let taken = parameter_flags(document, item, operation);
        let mut by_flags = Vec::new();
        for (name, value) in &fields {
            let property = &schema["properties"][name];
            let values = (!property.is_null())
                .then(|| flag_values(&field_kind(document, property), value))
                .flatten();
            let Some(values) = values else {
                by_flags.clear();
                stdin = Some(Value::Object(fields.clone()).to_string());
                break;
            };
            let flag = format!("--{}", body_field_flag(name, &taken));
            for value in values {
                by_flags.push(flag.clone());
                by_flags.push(value);
            }
        }
        args.extend(by_flags);
        if stdin.is_some() {
            args.extend(["--json-body".to_owned(), "-".to_owned()]);
        }
    }
    Ok(Example { args, stdin })
}

/// The values of the flag of a field of `kind` that give `value`: one, or one per item of an
/// array (the flag repeats); `None` where the flag cannot give it (a null, an empty array, a
/// value of another type).
fn flag_values(kind: &Kind, value: &Value) -> Option<Vec<String>> {
    let scalar = |kind: &Kind, value: &Value| -> Option<String> {
        match (kind, value) {
            (Kind::String, Value::String(text)) => Some(text.clone()),
            (Kind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            (Kind::Number, Value::Number(n)) => Some(n.to_string()),
            (Kind::Boolean, Value::Bool(b)) => Some(b.to_string()),
            // An object, or an array's array or object item: the flag takes it as JSON.
            (Kind::Object, Value::Object(_)) => Some(value.to_string()),
            (Kind::Array(_), Value::Array(_)) => Some(value.to_string()),
            _ => None,
        }
    };
    match (kind, value) {
        (Kind::Array(item), Value::Array(items)) if !items.is_empty() => {
            items.iter().map(|v| scalar(item, v)).collect()
        }
        (Kind::Array(_), _) => None,
        _ => scalar(kind, value).map(|v| vec![v]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::FAMILIES;

    const SOURCE: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    post:
      operationId: MakeThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, example: "t 1"}}
        - {name: dryRun, in: query, required: false, schema: {type: boolean}, example: true}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            example: {name: "it's", tags: [a, b], id: x, labels: {k: v}}
      responses: {"204": {description: done}}
  /empty:
    post:
      operationId: MakeEmpty
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
            example: {name: n, tags: [], id: y}
      responses: {"204": {description: done}}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
        id: {type: string}
        labels: {type: object}
"#;

    fn examples_of(source: &str, id: &str) -> Result<(Example, Example), Problem> {
        let document = Document::parse(FAMILIES[1], source).unwrap();
        let (path, item) = document.json["paths"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(_, item)| item["post"]["operationId"] == id)
            .unwrap();
        let pointer = format!("/paths/{}/post", crate::document::escape_token(path));
        let operation = &item["post"];
        Ok((
            example(&document, item, operation, &pointer, Flags::Required)?,
            example(&document, item, operation, &pointer, Flags::Every)?,
        ))
    }

    fn words(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn the_required_flags_first_then_every_flag_with_a_renamed_body_field() {
        let (required, every) = examples_of(SOURCE, "MakeThing").unwrap();
        assert_eq!(required.args, words(&["--id", "t 1", "--name", "it's"]));
        assert_eq!(required.stdin, None);
        // The body's `id` is `--body-id`: the path parameter has `--id`.
        assert_eq!(
            every.args,
            words(&[
                "--id",
                "t 1",
                "--dry-run",
                "true",
                "--body-id",
                "x",
                "--labels",
                r#"{"k":"v"}"#,
                "--name",
                "it's",
                "--tags",
                "a",
                "--tags",
                "b",
            ])
        );
    }

    #[test]
    fn a_body_that_flags_cannot_give_goes_on_stdin() {
        // An empty array: a repeated flag cannot give none.
        let (required, every) = examples_of(SOURCE, "MakeEmpty").unwrap();
        assert_eq!(required.args, words(&["--name", "n"]));
        assert_eq!(every.args, words(&["--json-body", "-"]));
        assert_eq!(
            every.stdin.as_deref(),
            Some(r#"{"id":"y","name":"n","tags":[]}"#)
        );
    }

    #[test]
    fn a_required_parameter_or_field_without_an_example_is_a_problem() {
        let no_parameter_example = SOURCE.replace(r#", example: "t 1""#, "");
        let problem = examples_of(&no_parameter_example, "MakeThing")
            .err()
            .unwrap();
        assert!(
            problem
                .message
                .contains("required parameter id has no example"),
            "{problem:?}"
        );
        let no_name = SOURCE.replace(r#"name: "it's", "#, "");
        let problem = examples_of(&no_name, "MakeThing").err().unwrap();
        assert!(
            problem.message.contains("lacks the required field name"),
            "{problem:?}"
        );
    }
}
