//! Rustdoc for what progenitor leaves undocumented or documents with placeholders, from the
//! document:
//! - every builder setter says what its parameter is (the parameter's `description`, or the
//!   request body's), and whether `send` needs it; every builder's `new` says what it is;
//! - every operation's method has a compiled example (`no_run`) in place of progenitor's
//!   `ignore`d one: the required setters with the values of the document's examples, then
//!   `.send().await`.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use quote::ToTokens;
use serde_json::Value;
use syn::{ImplItem, Item, ReturnType, Type, WherePredicate};

use crate::document::{Document, Problem};
use crate::gen::examples::{body_example, parameter_example};
use crate::lint::limits::{followed, parameters};

/// What the docs of one operation need from the document.
struct Operation {
    /// The operationId, as the document writes it.
    id: String,
    /// Its JSON pointer, for problems.
    pointer: String,
    parameters: Vec<Parameter>,
    body: Option<Parameter>,
}

/// A parameter (or the request body, named `body`) as a setter of the builder.
struct Parameter {
    /// The setter's name: progenitor's snake_case of the parameter's name.
    setter: String,
    description: String,
    required: bool,
    example: Option<Value>,
}

/// The client with its builders' setters documented and an example on every operation.
pub fn documented(document: &Document, file: &mut syn::File) -> Result<(), Problem> {
    let operations = operations(document);
    let not_as_expected = |what: &str| {
        document.problem(
            "/paths",
            format!(
                "progenitor's client {what}; xtask/src/gen/client_docs.rs must learn its new form"
            ),
        )
    };
    // Each builder's setters and the types they take.
    let mut setter_types: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for block in
        builder_impls(&mut file.items).ok_or_else(|| not_as_expected("has no `builder` module"))?
    {
        let Some(builder) = type_name(&block.self_ty) else {
            continue;
        };
        for item in &block.items {
            let ImplItem::Fn(method) = item else { continue };
            if let Some(ty) = setter_type(&method.sig) {
                setter_types
                    .entry(builder.clone())
                    .or_default()
                    .insert(method.sig.ident.to_string(), ty);
            }
        }
    }
    // The example of each operation's method, and the operation of each builder.
    let mut builders = BTreeMap::new();
    let no_setters = BTreeMap::new();
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if !is_type(&block.self_ty, "Client") || block.trait_.is_some() {
            continue;
        }
        for item in &mut block.items {
            let ImplItem::Fn(method) = item else { continue };
            let Some(operation) = operations.get(&method.sig.ident.to_string()) else {
                continue;
            };
            let Some(builder) = returned_builder(&method.sig.output) else {
                continue;
            };
            let types = setter_types.get(&builder).unwrap_or(&no_setters);
            replace_example(document, operation, types, &mut method.attrs)?;
            builders.insert(builder, operation);
        }
    }
    for block in builder_impls(&mut file.items).into_iter().flatten() {
        let Some(operation) = type_name(&block.self_ty).and_then(|name| builders.get(&name)) else {
            continue;
        };
        for item in &mut block.items {
            let ImplItem::Fn(method) = item else { continue };
            let name = method.sig.ident.to_string();
            if name == "new" {
                let text = format!(
                    "A request of {} with nothing set yet (`Client::{}` makes one).",
                    operation.id,
                    operation.id.to_snake_case()
                );
                method.attrs.insert(0, doc(&text));
                continue;
            }
            if setter_type(&method.sig).is_none() {
                continue;
            }
            let parameter = operation
                .parameters
                .iter()
                .chain(&operation.body)
                .find(|p| p.setter == name)
                .ok_or_else(|| {
                    document.problem(
                        &operation.pointer,
                        format!("progenitor's builder of {} has a setter `{name}` that is no parameter of the document; xtask/src/gen/client_docs.rs must learn its new form", operation.id),
                    )
                })?;
            method.attrs.insert(0, doc(&setter_doc(parameter)));
        }
    }
    Ok(())
}

/// The `impl` blocks of progenitor's `builder` module.
fn builder_impls(items: &mut [Item]) -> Option<impl Iterator<Item = &mut syn::ItemImpl>> {
    let (_, items) = items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    })?;
    Some(items.iter_mut().filter_map(|item| match item {
        Item::Impl(block) => Some(block),
        _ => None,
    }))
}

/// Every operation of the document, by progenitor's method name (snake_case of the operationId).
fn operations(document: &Document) -> BTreeMap<String, Operation> {
    let json = &document.json;
    let mut out = BTreeMap::new();
    for op in &document.operations {
        let (id, operation) = (op.id.as_str(), &op.json);
        let item = &json["paths"][&op.path];
        let pointer = op.pointer.clone();
        let parameters = parameters(json, item, operation)
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?;
                Some(Parameter {
                    setter: crate::operations::rust_name(name),
                    description: text(p.get("description")),
                    required: p.get("required") == Some(&Value::Bool(true)),
                    example: parameter_example(json, p).cloned(),
                })
            })
            .collect();
        let body = operation.get("requestBody").map(|body| {
            let body = followed(json, body);
            let media = body
                .get("content")
                .and_then(Value::as_object)
                .and_then(|content| content.values().next());
            let schema = media
                .and_then(|m| m.get("schema"))
                .map(|s| followed(json, s));
            Parameter {
                setter: "body".to_owned(),
                description: match text(body.get("description")) {
                    d if d.is_empty() => text(schema.and_then(|s| s.get("description"))),
                    d => d,
                },
                required: body.get("required") == Some(&Value::Bool(true)),
                example: media.and_then(|m| body_example(json, m)),
            }
        });
        out.insert(
            id.to_snake_case(),
            Operation {
                id: id.to_owned(),
                pointer,
                parameters,
                body,
            },
        );
    }
    out
}

fn text(value: Option<&Value>) -> String {
    value
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

fn setter_doc(parameter: &Parameter) -> String {
    let mut text = if parameter.description.is_empty() {
        format!("Sets `{}`.", parameter.setter)
    } else {
        parameter.description.clone()
    };
    if parameter.required {
        text.push_str("\n\nRequired: `send` fails without it.");
    }
    text
}

/// `#[doc = "..."]`. `rustfmt::unparse_file` prints the lines of a multi-line doc as `/// line`; a
/// single line is printed as it is, so it gets its space here.
fn doc(text: &str) -> syn::Attribute {
    let text = if text.contains('\n') {
        text.to_owned()
    } else {
        format!(" {text}")
    };
    syn::parse_quote!(#[doc = #text])
}

fn is_type(ty: &Type, name: &str) -> bool {
    type_name(ty).is_some_and(|n| n == name)
}

/// The last segment of a path type (`builder::ListApplicationTokens<'_>` → `ListApplicationTokens`).
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => Some(path.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// `builder::X` of `-> builder::X<'_>`.
fn returned_builder(output: &ReturnType) -> Option<String> {
    let ReturnType::Type(_, ty) = output else {
        return None;
    };
    let Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<_> = path.path.segments.iter().collect();
    match segments.as_slice() {
        [module, builder] if module.ident == "builder" => Some(builder.ident.to_string()),
        _ => None,
    }
}

/// The `T` of a setter's `where V: std::convert::TryInto<T>`, as Rust text without spaces.
fn setter_type(signature: &syn::Signature) -> Option<String> {
    let clause = signature.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                return None;
            };
            let ty = arguments.args.first()?;
            Some(
                ty.to_token_stream()
                    .to_string()
                    .replace(' ', "")
                    .replace("<::", "<")
                    .replace(",::", ",")
                    .trim_start_matches("::")
                    .to_owned(),
            )
        })
    })
}

/// Replaces progenitor's ```ignore example (placeholder variables) by one that compiles.
fn replace_example(
    document: &Document,
    operation: &Operation,
    types: &BTreeMap<String, String>,
    attrs: &mut [syn::Attribute],
) -> Result<(), Problem> {
    let example = example(document, operation, types)?;
    for attr in attrs {
        let Some(value) = crate::gen::rewrite::doc_attribute_text(attr) else {
            continue;
        };
        let Some(start) = value.find("```ignore") else {
            continue;
        };
        let end = value[start + 3..]
            .find("```")
            .map(|at| start + 3 + at + 3)
            .unwrap_or(value.len());
        let replaced = format!("{}{example}{}", &value[..start], &value[end..]);
        crate::gen::rewrite::set_doc_attribute_text(attr, &replaced);
        return Ok(());
    }
    Err(document.problem(
        &operation.pointer,
        format!("progenitor's rustdoc of {} has no ```ignore example any more; xtask/src/gen/client_docs.rs must learn its new form", operation.id),
    ))
}

/// The example of an operation: its required setters, with the document's example values written
/// for the types the setters take (`types`, by setter).
fn example(
    document: &Document,
    operation: &Operation,
    types: &BTreeMap<String, String>,
) -> Result<String, Problem> {
    let module = document.family.name;
    let method = operation.id.to_snake_case();
    let mut lets = String::new();
    let mut chain = format!("let response = client\n    .{method}()\n");
    let setters = operation
        .parameters
        .iter()
        .chain(&operation.body)
        // A parameter the runtime sets (no setter) is left out.
        .filter(|p| p.required && types.contains_key(&p.setter));
    for parameter in setters {
        let example = parameter.example.as_ref().ok_or_else(|| {
            document.problem(
                &operation.pointer,
                format!(
                    "the required parameter {} of {} has no example for the generated rustdoc",
                    parameter.setter, operation.id
                ),
            )
        })?;
        let value = match literal(example, &types[&parameter.setter]) {
            Literal::Inline(value) => value,
            Literal::Json(ty) => {
                let json = pretty_json(example);
                lets.push_str(&format!(
                    "let {name}: {ty} = serde_json::from_value(serde_json::json!({json}))?;\n",
                    name = parameter.setter
                ));
                parameter.setter.clone()
            }
        };
        chain.push_str(&format!("    .{}({value})\n", parameter.setter));
    }
    chain.push_str("    .send()\n    .await?;\n");
    Ok(format!(
        "```no_run\n# async fn example(client: &idtok_client::{module}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n{lets}{chain}println!(\"{{:?}}\", response.into_inner());\n# Ok(())\n# }}\n```"
    ))
}

/// How an example value is written.
enum Literal {
    /// As a Rust expression the setter takes as it is.
    Inline(String),
    /// Through serde_json, as the named type (structs, lists of structs).
    Json(String),
}

fn literal(example: &Value, ty: &str) -> Literal {
    match (ty, example) {
        ("std::string::String" | "idtok_secret::SecretString", Value::String(s)) => {
            Literal::Inline(format!("{s:?}"))
        }
        ("bool", Value::Bool(b)) => Literal::Inline(b.to_string()),
        ("i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f64", Value::Number(n)) => {
            // A plain literal is an i32 or an f64, which every setter of a number converts from.
            let plain = n.is_f64() || n.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
            Literal::Inline(if plain {
                n.to_string()
            } else {
                format!("{n}_{ty}")
            })
        }
        ("std::vec::Vec<std::string::String>", Value::Array(items))
            if items.iter().all(Value::is_string) =>
        {
            let items: Vec<String> = items
                .iter()
                .map(|item| format!("{:?}.to_owned()", item.as_str().unwrap_or_default()))
                .collect();
            Literal::Inline(format!("vec![{}]", items.join(", ")))
        }
        _ => Literal::Json(ty.to_owned()),
    }
}

/// JSON indented by four spaces, as Rust code is.
fn pretty_json(value: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}
