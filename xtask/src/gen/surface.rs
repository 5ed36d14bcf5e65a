//! The public surface of generated code, as short text for snapshot tests: for models, each type
//! with its fields (Rust name, wire name, type); for clients, each operation with its method and
//! path, its parameters and what `send` returns. A spec edit shows up as a small reviewable diff.

use std::fmt::Write;

use quote::ToTokens;
use syn::{Fields, FnArg, ImplItem, Item, Type};

/// The surface of a model crate's `generated.rs`.
pub fn models(source: &str) -> Result<String, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut out = String::new();
    for item in &file.items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                writeln!(out, "struct {}", s.ident).unwrap();
                if let Fields::Named(fields) = &s.fields {
                    for field in &fields.named {
                        let name = field
                            .ident
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default();
                        let wire = if serde_flag(&field.attrs, "flatten") {
                            "(any other key)".to_owned()
                        } else {
                            serde_name(&field.attrs).unwrap_or_else(|| name.clone())
                        };
                        writeln!(out, "    {wire} -> {name}: {}", type_text(&field.ty)).unwrap();
                    }
                }
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                writeln!(out, "enum {}", e.ident).unwrap();
                for variant in &e.variants {
                    writeln!(out, "    {}", variant.ident).unwrap();
                }
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                writeln!(out, "fn {}{}", f.sig.ident, signature_tail(&f.sig)).unwrap();
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The surface of a client module's `generated.rs`.
pub fn client(source: &str) -> Result<String, syn::Error> {
    let file = syn::parse_file(source)?;
    let mut out = String::new();
    let builders: Vec<&syn::Item> = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => {
                m.content.as_ref().map(|(_, items)| items.iter().collect())
            }
            _ => None,
        })
        .unwrap_or_default();
    for item in &file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || type_text(&block.self_ty) != "Client" {
            continue;
        }
        for method in &block.items {
            let ImplItem::Fn(f) = method else { continue };
            if !is_pub(&f.vis) || f.sig.ident == "new" || f.sig.ident == "new_with_client" {
                continue;
            }
            let operation = f.sig.ident.to_string();
            let builder = operation_builder(&f.sig);
            writeln!(out, "operation {operation}").unwrap();
            describe_builder(&builders, &builder, &mut out);
        }
    }
    Ok(out)
}

/// Parameters (the builder's fields) and `send` of one operation's builder.
fn describe_builder(builders: &[&Item], name: &str, out: &mut String) {
    for item in builders {
        match item {
            Item::Struct(s) if s.ident == name => {
                let Fields::Named(fields) = &s.fields else {
                    continue;
                };
                for field in fields
                    .named
                    .iter()
                    .filter(|f| f.ident.as_ref().is_some_and(|i| i != "client"))
                {
                    let ident = field.ident.as_ref().unwrap();
                    // Fields are `Result<T, String>`: T is the parameter, Option<T> when optional.
                    let ty = type_text(&field.ty);
                    let inner = ty
                        .strip_prefix("Result<")
                        .and_then(|t| t.strip_suffix(", String>"))
                        .unwrap_or(&ty);
                    match inner
                        .strip_prefix("Option<")
                        .and_then(|t| t.strip_suffix('>'))
                    {
                        Some(optional) => {
                            writeln!(out, "    .{ident}({optional}) optional").unwrap()
                        }
                        None => writeln!(out, "    .{ident}({inner}) required").unwrap(),
                    }
                }
            }
            Item::Impl(block) if type_text(&block.self_ty).starts_with(&format!("{name}<")) => {
                for method in &block.items {
                    let ImplItem::Fn(f) = method else { continue };
                    if f.sig.ident == "send" {
                        if let Some(request) = doc(&f.attrs).and_then(|d| {
                            // What the generator says is really sent (`xtask::wire`), and
                            // how it is authenticated.
                            d.strip_prefix("Sent as ").map(str::to_owned)
                        }) {
                            writeln!(
                                out,
                                "    sent as {}",
                                request.replace('`', "").trim_end_matches('.')
                            )
                            .unwrap();
                        }
                        writeln!(out, "    .send(){}", signature_tail(&f.sig)).unwrap();
                    }
                }
            }
            _ => {}
        }
    }
}

fn operation_builder(sig: &syn::Signature) -> String {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => {
            let text = type_text(ty);
            let text = text.strip_prefix("builder::").unwrap_or(&text);
            text.split('<').next().unwrap_or_default().to_owned()
        }
        syn::ReturnType::Default => String::new(),
    }
}

fn signature_tail(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig
        .inputs
        .iter()
        .filter_map(|a| match a {
            FnArg::Typed(t) => Some(format!("{}: {}", t.pat.to_token_stream(), type_text(&t.ty))),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let output = match &sig.output {
        syn::ReturnType::Type(_, ty) => format!(" -> {}", type_text(ty)),
        syn::ReturnType::Default => String::new(),
    };
    if args.is_empty() {
        output
    } else {
        format!("({}){output}", args.join(", "))
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn serde_name(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .find_map(|a| {
            let text = a.meta.to_token_stream().to_string();
            let start = text.find("rename = \"")? + "rename = \"".len();
            let end = text[start..].find('"')?;
            Some(text[start..start + end].to_owned())
        })
}

fn serde_flag(attrs: &[syn::Attribute], flag: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            a.meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == flag)
        })
}

fn doc(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .find_map(crate::gen::rewrite::doc_attribute_text)
        .map(|text| text.trim().to_owned())
}

/// A type as short text: `::std::option::Option<::std::string::String>` is `Option<String>`.
fn type_text(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    let mut text = text.replace(' ', "");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
    ] {
        text = text.replace(prefix, "");
    }
    // A leading `::` (absolute path) says nothing here.
    let text = text
        .replace("<::", "<")
        .replace(",::", ",")
        .replace(",>", ">");
    text.strip_prefix("::").unwrap_or(&text).replace(',', ", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn model_surface_lists_fields_with_wire_names_and_types() {
        let source = r#"
            pub struct A {
                #[serde(rename = "AliUid", skip_serializing_if = "::std::option::Option::is_none")]
                pub ali_uid: ::std::option::Option<i64>,
                pub items: ::std::vec::Vec<B>,
            }
            struct Private { x: u8 }
        "#;
        assert_eq!(
            super::models(source).unwrap(),
            "struct A\n    AliUid -> ali_uid: Option<i64>\n    items -> items: Vec<B>\n"
        );
    }
}
