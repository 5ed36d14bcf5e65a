//! Changes to progenitor's and typify's output, made on its syntax tree (`syn`), never on its text.
//! Each rewrite says how many places it changed, and the caller fails with a problem when that is
//! not what it expected: an upgrade of a generator that changes the shape of its output stops
//! `cargo xtask gen` at the rewrite that no longer finds its anchor, instead of quietly generating
//! code that sends something else.

use proc_macro2::{Literal, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, ImplItem, Item, ItemImpl, Type};

/// Applies `change` to every expression it visits, innermost first: `change` returns a
/// replacement or `None`. Counts the replacements.
struct ExpressionRewriter<'a> {
    change: &'a mut dyn FnMut(&Expr) -> Option<Expr>,
    count: usize,
}

impl VisitMut for ExpressionRewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        if let Some(replacement) = (self.change)(expr) {
            *expr = replacement;
            self.count += 1;
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        // A macro's arguments are tokens to syn: the ones written as comma-separated expressions
        // (`format!("...", value)`) are rewritten as expressions, the rest left alone.
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if let Ok(mut arguments) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) {
            let before = self.count;
            for argument in arguments.iter_mut() {
                self.visit_expr_mut(argument);
            }
            if self.count != before {
                mac.tokens = quote::quote!(#arguments);
            }
        }
    }
}

/// Rewrites the expressions of a whole file, including macro arguments; returns how many.
pub fn in_file(file: &mut File, change: &mut dyn FnMut(&Expr) -> Option<Expr>) -> usize {
    let mut rewriter = ExpressionRewriter { change, count: 0 };
    rewriter.visit_file_mut(file);
    rewriter.count
}

/// Rewrites the expressions of an impl block; returns how many.
pub fn in_impl(block: &mut ItemImpl, change: &mut dyn FnMut(&Expr) -> Option<Expr>) -> usize {
    let mut rewriter = ExpressionRewriter { change, count: 0 };
    rewriter.visit_item_impl_mut(block);
    rewriter.count
}

/// Rewrites the expressions of one function of an impl block; returns how many.
pub fn in_impl_fn(
    function: &mut syn::ImplItemFn,
    change: &mut dyn FnMut(&Expr) -> Option<Expr>,
) -> usize {
    let mut rewriter = ExpressionRewriter { change, count: 0 };
    rewriter.visit_impl_item_fn_mut(function);
    rewriter.count
}

/// Every inherent `impl` block in the file (modules included) whose type's last path segment is
/// `name`.
pub fn impls_of<'a>(file: &'a mut File, name: &str) -> Vec<&'a mut ItemImpl> {
    fn walk<'a>(items: &'a mut [Item], name: &str, out: &mut Vec<&'a mut ItemImpl>) {
        for item in items {
            match item {
                Item::Impl(block) if block.trait_.is_none() && type_is(&block.self_ty, name) => {
                    out.push(block)
                }
                Item::Mod(module) => {
                    if let Some((_, items)) = &mut module.content {
                        walk(items, name, out);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(&mut file.items, name, &mut out);
    out
}

/// The function `name` of an impl block.
pub fn function<'a>(block: &'a mut ItemImpl, name: &str) -> Option<&'a mut syn::ImplItemFn> {
    block.items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(function) if function.sig.ident == name => Some(function),
        _ => None,
    })
}

/// Whether a type's last path segment is `name`.
pub fn type_is(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Whether a path (`a::b::c`) ends with the segments `tail`.
pub fn path_ends_with(path: &syn::Path, tail: &[&str]) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.len() >= tail.len()
        && segments[segments.len() - tail.len()..]
            .iter()
            .zip(tail)
            .all(|(a, b)| a == b)
}

/// Whether a call's first argument is the string literal `text` (a parameter's name).
pub fn first_argument_is(
    args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    text: &str,
) -> bool {
    args.first().and_then(string_literal).as_deref() == Some(text)
}

/// The value of a string literal expression.
pub fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// The text of a `#[doc = "..."]` attribute; None for any other attribute.
pub fn doc_attribute_text(attribute: &syn::Attribute) -> Option<String> {
    match &attribute.meta {
        syn::Meta::NameValue(pair) if pair.path.is_ident("doc") => string_literal(&pair.value),
        _ => None,
    }
}

/// Sets the text of a `#[doc = "..."]` attribute (of any other attribute: nothing).
pub fn set_doc_attribute_text(attribute: &mut syn::Attribute, text: &str) {
    if let syn::Meta::NameValue(pair) = &mut attribute.meta {
        if pair.path.is_ident("doc") {
            pair.value = syn::parse_quote!(#text);
        }
    }
}

/// Replaces `from` by `to` in the text of every `#[doc = "..."]` attribute of the file that
/// contains it. Returns how many attributes changed.
pub fn doc_text(file: &mut File, from: &str, to: &str) -> usize {
    doc_texts(file, &[(from.to_owned(), to.to_owned())])[0]
}

/// [`doc_text`] for many replacements in one walk of the file (one walk per replacement is
/// quadratic in the operations): the count of attributes each pair changed, in order.
pub fn doc_texts(file: &mut File, pairs: &[(String, String)]) -> Vec<usize> {
    struct Docs<'a> {
        pairs: &'a [(String, String)],
        /// What every `from` begins with: a doc without it needs no look at each pair (the
        /// client's thousands of docs times its hundreds of operations).
        common: &'a str,
        counts: Vec<usize>,
    }
    impl VisitMut for Docs<'_> {
        fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
            let Some(mut text) = doc_attribute_text(attribute) else {
                return;
            };
            if !text.contains(self.common) {
                return;
            }
            let mut changed = false;
            for (i, (from, to)) in self.pairs.iter().enumerate() {
                if text.contains(from.as_str()) {
                    text = text.replace(from.as_str(), to);
                    self.counts[i] += 1;
                    changed = true;
                }
            }
            if changed {
                set_doc_attribute_text(attribute, &text);
            }
        }
    }
    let first = pairs.first().map_or("", |(from, _)| from.as_str());
    let common = pairs.iter().fold(first, |common, (from, _)| {
        let shared = common
            .char_indices()
            .zip(from.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(from.len()), |((i, _), _)| i);
        &common[..shared]
    });
    let mut docs = Docs {
        pairs,
        common,
        counts: vec![0; pairs.len()],
    };
    docs.visit_file_mut(file);
    docs.counts
}

/// Replaces every type `from` (compared by its tokens) by `to`, and every string literal `from_text`
/// inside an attribute (serde's `skip_serializing_if = "..."`) by `to_text`. Returns how many of
/// each.
pub fn types_and_attribute_strings(
    file: &mut File,
    (from, to): (&Type, &Type),
    (from_text, to_text): (&str, &str),
) -> (usize, usize) {
    struct Types<'a> {
        from: String,
        to: &'a Type,
        from_text: &'a str,
        to_text: &'a str,
        types: usize,
        strings: usize,
    }
    impl VisitMut for Types<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if quote::quote!(#ty).to_string() == self.from {
                *ty = self.to.clone();
                self.types += 1;
                return;
            }
            visit_mut::visit_type_mut(self, ty);
        }

        fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
            if let syn::Meta::List(list) = &mut attribute.meta {
                let (tokens, replaced) =
                    replace_string(list.tokens.clone(), self.from_text, self.to_text);
                if replaced > 0 {
                    list.tokens = tokens;
                    self.strings += replaced;
                }
            }
        }
    }
    let mut types = Types {
        from: quote::quote!(#from).to_string(),
        to,
        from_text,
        to_text,
        types: 0,
        strings: 0,
    };
    types.visit_file_mut(file);
    (types.types, types.strings)
}

/// `tokens` with every string literal whose value is `from` replaced by `to`, at any depth.
fn replace_string(tokens: TokenStream, from: &str, to: &str) -> (TokenStream, usize) {
    let mut count = 0;
    let out = tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Literal(literal) => {
                let is_from = syn::parse_str::<syn::LitStr>(&literal.to_string())
                    .is_ok_and(|text| text.value() == from);
                if is_from {
                    count += 1;
                    let mut replacement = Literal::string(to);
                    replacement.set_span(literal.span());
                    TokenTree::Literal(replacement)
                } else {
                    TokenTree::Literal(literal)
                }
            }
            TokenTree::Group(group) => {
                let (inner, n) = replace_string(group.stream(), from, to);
                count += n;
                let mut rebuilt = proc_macro2::Group::new(group.delimiter(), inner);
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            other => other,
        })
        .collect();
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(code: &str) -> File {
        syn::parse_str(code).unwrap()
    }

    fn text(file: &File) -> String {
        prettyplease::unparse(file)
    }

    #[test]
    fn expressions_are_rewritten_inside_macros_too_and_counted() {
        let mut f = file(
            r#"fn f(value: u8) { let re = format!("^/a/{}$", value.to_string()); g(value.to_string()); }"#,
        );
        let count = in_file(&mut f, &mut |expr| match expr {
            Expr::MethodCall(call) if call.method == "to_string" => {
                Some(syn::parse_quote!(escaped(&#call)))
            }
            _ => None,
        });
        assert_eq!(count, 2);
        let text = text(&f);
        assert!(
            text.contains(r#"format!("^/a/{}$", escaped(& value.to_string()))"#)
                || text.contains(r#"format!("^/a/{}$", escaped(&value.to_string()))"#),
            "{text}"
        );
        assert!(text.contains("g(escaped(&value.to_string()))"), "{text}");
    }

    #[test]
    fn doc_texts_types_and_attribute_strings() {
        let mut f = file(
            r#"
            /// Sends a `POST` request to `/X`
            pub struct S {
                #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
            "#,
        );
        assert_eq!(doc_text(&mut f, "request to `/X`", "request to `/`"), 1);
        let from: Type =
            syn::parse_quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>);
        let to: Type = syn::parse_quote!(::idtok_secret::JsonObject);
        assert_eq!(
            types_and_attribute_strings(
                &mut f,
                (&from, &to),
                (
                    "::serde_json::Map::is_empty",
                    "::idtok_secret::JsonObject::is_empty"
                )
            ),
            (1, 1)
        );
        let text = text(&f);
        assert!(
            text.contains("pub extra: ::idtok_secret::JsonObject"),
            "{text}"
        );
        assert!(
            text.contains(r#""::idtok_secret::JsonObject::is_empty""#),
            "{text}"
        );
        assert!(text.contains("request to `/`"), "{text}");
    }
}
