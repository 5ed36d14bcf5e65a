//! Generated code as text: prettyplease for the families' large files (which `cargo fmt` is told to
//! leave alone), and the toolchain's rustfmt for the small ones written as text, so that `cargo fmt
//! --check` agrees with what `cargo xtask gen` writes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// Token stream to source text, `header` first.
pub fn unparse(header: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(split_doc_lines(tokens))
        .map_err(|e| format!("the generator produced code that does not parse: {e}"))?;
    Ok(unparse_file(header, &file))
}

/// A syntax tree as source text, `header` first. Its docs must already be one line per attribute
/// ([`split_doc_lines`]).
pub fn unparse_file(header: &str, file: &syn::File) -> String {
    format!("{header}\n\n{}", prettyplease::unparse(file))
}

/// Turns each multi-line `#[doc = "a\nb"]` into one `#[doc = " a"]` per line.
///
/// prettyplease prints a multi-line doc as a `/** */` block, and rustfmt re-indents such a block
/// inside an `impl`; rustdoc then reads the indented paragraphs as code, and runs them as doctests.
/// Line comments (`///`) are indented as a whole, which rustdoc undoes.
pub fn split_doc_lines(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(pound) if pound.as_char() == '#' => {
                let inner = match tokens.peek() {
                    Some(TokenTree::Punct(bang)) if bang.as_char() == '!' => tokens.next(),
                    _ => None,
                };
                match tokens.peek() {
                    Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket => {
                        let group = match tokens.next() {
                            Some(TokenTree::Group(g)) => g,
                            _ => unreachable!("peeked"),
                        };
                        match doc_text(&group) {
                            Some(text) if text.contains('\n') => {
                                for line in text.split('\n') {
                                    let line = if line.is_empty() {
                                        String::new()
                                    } else {
                                        format!(" {}", line.trim_end())
                                    };
                                    out.push(TokenTree::Punct(pound.clone()));
                                    out.extend(inner.clone());
                                    let attribute = quote::quote!(doc = #line);
                                    out.push(TokenTree::Group(Group::new(
                                        Delimiter::Bracket,
                                        attribute,
                                    )));
                                }
                            }
                            _ => {
                                out.push(TokenTree::Punct(pound));
                                out.extend(inner);
                                out.push(TokenTree::Group(Group::new(
                                    Delimiter::Bracket,
                                    split_doc_lines(group.stream()),
                                )));
                            }
                        }
                    }
                    _ => {
                        out.push(TokenTree::Punct(pound));
                        out.extend(inner);
                    }
                }
            }
            TokenTree::Group(group) => {
                let mut split = Group::new(group.delimiter(), split_doc_lines(group.stream()));
                split.set_span(group.span());
                out.push(TokenTree::Group(split));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// The text of a `doc = "..."` attribute body.
fn doc_text(group: &Group) -> Option<String> {
    let mut inside = group.stream().into_iter();
    match (inside.next(), inside.next(), inside.next(), inside.next()) {
        (
            Some(TokenTree::Ident(name)),
            Some(TokenTree::Punct(eq)),
            Some(TokenTree::Literal(literal)),
            None,
        ) if name == "doc" && eq.as_char() == '=' => {
            syn::parse_str::<syn::LitStr>(&literal.to_string())
                .ok()
                .map(|s| s.value())
        }
        _ => None,
    }
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
        let text = super::unparse("// header", tokens).unwrap();
        assert!(
            text.contains("/// First line\n    ///\n    ///     indented code?\n    /// last\n"),
            "{text}"
        );
    }
}
