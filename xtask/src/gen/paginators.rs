//! `.stream()` on the builder of every operation the document marks `x-paginated`: every item of
//! every page, as `idtok_client::paging` runs it (by token or by page number).
//!
//! The mark says which query parameter asks for a page and which fields of the answer hold the
//! items and say where the next page is; the lint (`limits.rs`) has checked that they exist.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::document::{Document, Problem};
use crate::extensions::PAGINATED;

pub fn generate(document: &Document) -> Result<TokenStream, Problem> {
    let models = format_ident!("{}", document.family.models_crate);
    let mut out = Vec::new();
    for op in &document.operations {
        let Some(paging) = &op.paging else {
            continue;
        };
        let (id, operation) = (op.id.as_str(), &op.json);
        let pointer = format!("{}/{PAGINATED}", op.pointer);
        let answer =
            crate::lint::limits::success_schema(&document.json, operation).ok_or_else(|| {
                document.problem(
                    &pointer,
                    "the paged operation's answer must be a $ref to a component schema",
                )
            })?;
        let answer_type = format_ident!("{}", answer.0);
        // The field a key names, read out of the decoded page: the expression, whether it is
        // always there (not an `Option`), and its schema. A dotted path goes through nested
        // objects, each optional step an `Option` (`page.page_info.and_then(|v| v.next_marker)`).
        let field = |key: &str| -> Result<(TokenStream, bool, &Value), Problem> {
            let name = paging[key].as_str().unwrap_or_default();
            let steps = crate::lint::limits::answer_field(&document.json, answer.1, name)
                .ok_or_else(|| {
                    document.problem(
                        &pointer,
                        format!("{key} {name} is not a field of {}", answer.0),
                    )
                })?;
            let mut access = quote!(page);
            let mut always = true;
            for step in &steps {
                let ident = format_ident!("{}", crate::operations::rust_name(step.name));
                access = match (always, step.required) {
                    (true, _) => quote!(#access.#ident),
                    (false, true) => quote!(#access.map(|v| v.#ident)),
                    (false, false) => quote!(#access.and_then(|v| v.#ident)),
                };
                always = always && step.required;
            }
            let schema = steps.last().map(|step| step.schema).unwrap_or(&Value::Null);
            Ok((access, always, schema))
        };
        let (items, items_required, items_schema) = field("items")?;
        let item_type = items_schema["items"]["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .ok_or_else(|| {
                document.problem(
                    &pointer,
                    "the items of a paged list must be a $ref to a component schema",
                )
            })?;
        let item_type = format_ident!("{}", item_type);
        let items = if items_required {
            items
        } else {
            quote!(#items.unwrap_or_default())
        };
        let builder = format_ident!("{}", id.to_upper_camel_case());
        let (doc, body) = if let Some(input) = paging.get("inputToken").and_then(Value::as_str) {
            let setter = format_ident!("{}", crate::operations::rust_name(input));
            let (token, token_required, _) = field("outputToken")?;
            let token = if token_required {
                quote!(Some(#token))
            } else {
                token
            };
            let output = paging["outputToken"].as_str().unwrap_or_default();
            (
                    format!(
                        "Every item of every page of {id}, in the service's order: follows `{output}` (sent back as `{input}`) until a page comes without one, one page in memory at a time. A `{}` set on the builder is where it starts. Each page is one call, with the client's retries and timeouts; the stream ends after the first error, and with an error when the service hands back a token it was sent before, rather than loop.",
                        crate::operations::rust_name(input)
                    ),
                    quote! {
                        crate::paging::by_token(
                            (#id, #output),
                            self,
                            |request, token| request.#setter(token),
                            Self::send,
                            |page: ::#models::#answer_type| (#items, #token),
                        )
                    },
                )
        } else {
            let number = paging["pageNumber"].as_str().unwrap_or_default();
            let setter = format_ident!("{}", crate::operations::rust_name(number));
            let total = match paging.get("totalCount").and_then(Value::as_str) {
                None => quote!(None),
                Some(_) => {
                    let (total, required, _) = field("totalCount")?;
                    if required {
                        quote!(Some(#total as i64))
                    } else {
                        quote!(#total.map(|total| total as i64))
                    }
                }
            };
            (
                    format!("Every item of every page of {id}, in the service's order: pages `{number}` 1, 2, ... until one comes empty or the reported total is reached, one page in memory at a time. Each page is one call, with the client's retries and timeouts; the stream ends after the first error."),
                    quote! {
                        crate::paging::by_page_number(
                            #id,
                            self,
                            |request, page| request.#setter(page),
                            Self::send,
                            |page: ::#models::#answer_type| (#items, #total),
                        )
                    },
                )
        };
        out.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub fn stream(
                    self,
                ) -> impl ::futures::Stream<Item = Result<::#models::#item_type, crate::CallError>>
                       + Send
                       + Unpin
                       + 'a {
                    #body
                }
            }
        });
    }
    Ok(quote! { #(#out)* })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::FAMILIES;

    /// A list paged by marker whose next marker sits in an optional `page_info`, itself optional
    /// there (`required` lists what the page info requires).
    fn stream_of(page_info_required: &str) -> String {
        let source = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: v1}}\npaths:\n  /things:\n    get:\n      operationId: ListThings\n      x-idempotent: true\n      x-paginated: {{inputToken: marker, outputToken: page_info.next_marker, items: things}}\n      parameters:\n        - {{name: marker, in: query, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/ListThingsResponse'}}\ncomponents:\n  schemas:\n    ListThingsResponse:\n      type: object\n      properties:\n        things: {{type: array, items: {{$ref: '#/components/schemas/Thing'}}}}\n        page_info: {{$ref: '#/components/schemas/PageInfo'}}\n    PageInfo:\n      type: object\n      required: [{page_info_required}]\n      properties:\n        next_marker: {{type: string}}\n    Thing:\n      type: object\n"
        );
        let document = Document::parse(FAMILIES[2], &source).unwrap();
        generate(&document).unwrap().to_string()
    }

    #[test]
    fn a_token_in_a_nested_object_is_read_through_each_optional_step() {
        let optional = stream_of("");
        assert!(
            optional.contains(
                "(page . things . unwrap_or_default () , page . page_info . and_then (| v | v . next_marker))"
            ),
            "{optional}"
        );
        let required = stream_of("next_marker");
        assert!(
            required.contains(
                "(page . things . unwrap_or_default () , page . page_info . map (| v | v . next_marker))"
            ),
            "{required}"
        );
        assert!(optional.contains("request . marker (token)"), "{optional}");
    }
}
