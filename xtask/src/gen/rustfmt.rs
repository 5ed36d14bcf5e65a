//! Generated code as text: prettyplease for the families' large files (which `cargo fmt` is told to
//! leave alone), and the toolchain's rustfmt for the small ones written as text, so that `cargo fmt
//! --check` agrees with what `cargo xtask gen` writes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, ExprLit, ImplItem, Item, Lit, LitStr, Meta, TraitItem};

use crate::gen::rewrite::doc_attribute_text;

/// A syntax tree as source text, `header` first, each multi-line doc split into lines first
/// (`split_doc_lines`). This is how a family's generated files are written: prettyplease's text
/// as it is. rustfmt does not format them (their `mod` lines carry `#[rustfmt::skip]`, so `cargo
/// fmt` leaves them alone): rustfmt took longer than the rest of a regeneration on a family of
/// hundreds of operations.
pub fn unparse_file(header: &str, file: &mut syn::File) -> String {
    split_doc_lines(file);
    format!("{header}\n\n{}", prettyplease::unparse(file))
}

/// Turns each multi-line `#[doc = "a\nb"]` into one `#[doc = " a"]` per line.
///
/// prettyplease prints a multi-line doc as a `/** */` block, and rustfmt re-indents such a block
/// inside an `impl`; rustdoc then reads the indented paragraphs as code, and runs them as doctests.
/// Line comments (`///`) are indented as a whole, which rustdoc undoes. Done on the syntax tree
/// the generator has already parsed: a second parse of a family's code took longer than this.
fn split_doc_lines(file: &mut syn::File) {
    struct Split;
    impl VisitMut for Split {
        fn visit_file_mut(&mut self, node: &mut syn::File) {
            split(&mut node.attrs);
            visit_mut::visit_file_mut(self, node);
        }
        fn visit_item_mut(&mut self, node: &mut Item) {
            if let Some(attrs) = item_attrs(node) {
                split(attrs);
            }
            visit_mut::visit_item_mut(self, node);
        }
        fn visit_impl_item_mut(&mut self, node: &mut ImplItem) {
            if let Some(attrs) = impl_item_attrs(node) {
                split(attrs);
            }
            visit_mut::visit_impl_item_mut(self, node);
        }
        fn visit_trait_item_mut(&mut self, node: &mut TraitItem) {
            if let Some(attrs) = trait_item_attrs(node) {
                split(attrs);
            }
            visit_mut::visit_trait_item_mut(self, node);
        }
        fn visit_field_mut(&mut self, node: &mut syn::Field) {
            split(&mut node.attrs);
            visit_mut::visit_field_mut(self, node);
        }
        fn visit_variant_mut(&mut self, node: &mut syn::Variant) {
            split(&mut node.attrs);
            visit_mut::visit_variant_mut(self, node);
        }
    }
    Split.visit_file_mut(file);
}

/// `attrs` with each multi-line doc as one doc attribute per line.
fn split(attrs: &mut Vec<Attribute>) {
    if !attrs
        .iter()
        .any(|a| doc_attribute_text(a).is_some_and(|t| t.contains('\n')))
    {
        return;
    }
    let mut out = Vec::with_capacity(attrs.len());
    for attribute in attrs.drain(..) {
        match doc_attribute_text(&attribute) {
            Some(text) if text.contains('\n') => {
                for line in text.split('\n') {
                    let line = if line.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", line.trim_end())
                    };
                    let mut one = attribute.clone();
                    if let Meta::NameValue(meta) = &mut one.meta {
                        meta.value = Expr::Lit(ExprLit {
                            attrs: Vec::new(),
                            lit: Lit::Str(LitStr::new(&line, meta.value.span())),
                        });
                    }
                    out.push(one);
                }
            }
            _ => out.push(attribute),
        }
    }
    *attrs = out;
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

fn trait_item_attrs(item: &mut TraitItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        TraitItem::Const(i) => &mut i.attrs,
        TraitItem::Fn(i) => &mut i.attrs,
        TraitItem::Type(i) => &mut i.attrs,
        TraitItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// rustfmt's output for `source`, from the cache under `target/` when the same source was
/// formatted before, else from rustfmt, and remembered.
pub fn rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let entry = super::cache::entry(root, "rustfmt", &source, "rs");
    if let Some(formatted) = super::cache::read(entry.as_deref()) {
        return Ok(formatted);
    }
    let formatted = run_rustfmt(root, source)?;
    super::cache::write(entry.as_deref(), &formatted);
    Ok(formatted)
}

fn run_rustfmt(root: &Path, source: &str) -> Result<String, String> {
    let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .current_dir(root) // picks up the workspace's rustfmt.toml, as `cargo fmt` does
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run rustfmt ({e}); install it with `rustup component add rustfmt`")
        })?;
    // Write on another thread: rustfmt may fill its stdout pipe before it has read all of stdin.
    let mut stdin = child.stdin.take().expect("piped");
    let input = source.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .expect("writer thread")
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt wrote non-UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn multi_line_docs_become_line_comments() {
        let tokens = quote::quote! {
            impl A {
                #[doc = "First line\n\n    indented code?\nlast"]
                fn f() {}
            }
        };
        let text = super::unparse_file("// header", &mut syn::parse2(tokens).unwrap());
        assert!(
            text.contains("/// First line\n    ///\n    ///     indented code?\n    /// last\n"),
            "{text}"
        );
    }
}
