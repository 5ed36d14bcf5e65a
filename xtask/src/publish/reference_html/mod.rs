//! The offline HTML API reference of `cargo xtask publish`: one static page per OpenAPI document
//! (header, authentication, contents, every operation, every schema) and an index page.
//!
//! The pages carry no JavaScript and load nothing but one local stylesheet. They are opened from
//! the file system as often as from a web server, where there is nothing to fetch a script or a
//! font from; and since every operation, parameter, response and schema is written out in the
//! static HTML, search engines, screen readers and the browser's `Ctrl+F` all find everything
//! without running anything.
//!
//! Everything taken from a document is escaped. Descriptions are CommonMark, rendered with
//! pulldown-cmark, but raw HTML in them is shown as text and only `http`, `https`, `mailto` and
//! `#fragment` links are kept: a document cannot inject markup or script into the page.
//!
//! The renderer never panics on a malformed document: whatever is missing or of the wrong shape
//! is skipped or shown as a problem, and an unresolvable `$ref` is shown as such. Output is
//! deterministic: it follows the document's key order and never iterates a hash map.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_yaml::Value;

/// The stylesheet every page links, relative to `dist/`.
pub const STYLESHEET_FILE: &str = "assets/reference.css";
/// Its contents.
pub const STYLESHEET: &str = include_str!("reference.css");

/// One family's page: its bundle and the file names of its downloads (relative to the page, same
/// directory).
pub struct FamilyPage<'a> {
    /// The published bundle: an OpenAPI 3.0.3 document, every mapping key a string, keys in the
    /// authored order, only internal `$ref`s (`#/components/...`).
    pub bundle: &'a Value,
    /// The JSON bundle, e.g. `eiam-2021-12-01.openapi.json`.
    pub json_file: &'a str,
    /// The YAML bundle, e.g. `eiam-2021-12-01.openapi.yaml`.
    pub yaml_file: &'a str,
    /// What each operation sends on the wire (`crate::wire`), by operationId; backticks mark code.
    pub wire: &'a HashMap<String, String>,
}

/// One row of the index page.
pub struct IndexEntry<'a> {
    /// The published bundle, as in [`FamilyPage`].
    pub bundle: &'a Value,
    /// The family's page, e.g. `eiam-2021-12-01.html`.
    pub page_file: &'a str,
    /// The JSON bundle.
    pub json_file: &'a str,
    /// The YAML bundle.
    pub yaml_file: &'a str,
}

/// The HTTP methods of a path item, in the order OpenAPI lists them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How deep inline schemas are rendered; deeper nesting is cut off rather than overflowing the stack.
const MAX_DEPTH: usize = 12;

/// How many `$ref` hops are followed before a chain is taken for a cycle.
const MAX_REF_HOPS: usize = 16;

/// Writes to a `String`, which cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

mod bodies;
mod entries;
mod header;
mod html;
mod index;
mod operations;
mod parameters;
mod schemas;
mod security;
mod values;

use entries::*;
use html::*;
pub use index::index_page;
use values::*;

// ---------------------------------------------------------------------------------------------
// The family page.

pub(super) struct Renderer<'a> {
    pub(super) doc: &'a Value,
    /// What each operation sends, by operationId (`FamilyPage::wire`).
    pub(super) wire: &'a HashMap<String, String>,
    /// Component schema name -> element id.
    pub(super) schema_ids: HashMap<String, String>,
    /// Security scheme name -> element id.
    pub(super) scheme_ids: HashMap<String, String>,
}

/// The whole HTML page (a `<!DOCTYPE html>` document) for one family. Deterministic: same input,
/// same bytes.
pub fn family_page(page: &FamilyPage) -> String {
    let doc = page.bundle;
    let info = get(doc, "info").unwrap_or(&Value::Null);
    let title = get_str(info, "title").unwrap_or("Untitled API");
    let version = get_str(info, "version")
        .map(str::to_string)
        .or_else(|| get(info, "version").map(plain));

    // Ids are claimed up front, fixed ones first, so every link is known before it is written.
    let mut ids = Ids::default();
    for fixed in ["contents", "authentication", "operations", "schemas"] {
        ids.claim(fixed.to_string());
    }
    let schemes = entries(get(doc, "components").and_then(|c| get(c, "securitySchemes")));
    let mut scheme_ids = HashMap::new();
    let scheme_list: Vec<(String, &Value, String)> = schemes
        .into_iter()
        .map(|(name, scheme)| {
            let id = ids.claim(format!("auth-{}", id_part(&name)));
            scheme_ids.entry(name.clone()).or_insert_with(|| id.clone());
            (name, scheme, id)
        })
        .collect();
    let entries_list = collect_entries(doc, &mut ids);
    let schemas = entries(get(doc, "components").and_then(|c| get(c, "schemas")));
    let mut schema_ids = HashMap::new();
    let schema_list: Vec<(String, &Value, String)> = schemas
        .into_iter()
        .map(|(name, schema)| {
            let id = ids.claim(format!("schema-{}", id_part(&name)));
            schema_ids.entry(name.clone()).or_insert_with(|| id.clone());
            (name, schema, id)
        })
        .collect();
    let renderer = Renderer {
        doc,
        schema_ids,
        scheme_ids,
        wire: page.wire,
    };
    let operations: Vec<&Operation> = entries_list
        .iter()
        .filter_map(|e| match e {
            Entry::Operation(op) => Some(op),
            Entry::Problem(_) => None,
        })
        .collect();

    let mut out = String::new();
    let page_title = match &version {
        Some(v) => format!("{title} {v} · API reference"),
        None => format!("{title} · API reference"),
    };
    head(&mut out, &page_title);
    renderer.header(&mut out, info, title, version.as_deref(), page);
    renderer.contents(&mut out, &operations, &schema_list);
    out.push_str("<main>\n");
    renderer.authentication(&mut out, &scheme_list, &operations);
    out.push_str("<section id=\"operations\">\n<h2>Operations</h2>\n");
    if entries_list.is_empty() {
        out.push_str("<p>This document declares no operations.</p>\n");
    }
    for entry in &entries_list {
        match entry {
            Entry::Operation(op) => renderer.operation(&mut out, op),
            Entry::Problem(text) => {
                w!(
                    out,
                    "<div class=\"invalid-operation\">{}</div>\n",
                    problem(text)
                );
            }
        }
    }
    out.push_str("</section>\n");
    renderer.schemas(&mut out, &schema_list);
    out.push_str("</main>\n");
    footer(&mut out, info);
    out.push_str("</body>\n</html>\n");
    out
}

/// `<!DOCTYPE html>` up to `<body>`.
pub(super) fn head(out: &mut String, title: &str) {
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"cargo xtask publish\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n",
        esc(title),
        STYLESHEET_FILE
    );
}

/// The publish stamps, `unknown` when absent.
pub(super) fn stamps(info: &Value) -> (String, String) {
    let document = get(info, "x-source-document")
        .map(plain)
        .unwrap_or_else(|| "unknown".into());
    let commit = get(info, "x-source-commit")
        .map(plain)
        .unwrap_or_else(|| "unknown".into());
    (document, commit)
}

pub(super) fn footer(out: &mut String, info: &Value) {
    let (document, commit) = stamps(info);
    w!(
        out,
        "<footer class=\"page-footer\">\n<p>Generated by <code>cargo xtask publish</code> from \
         <code>{}</code> at commit <code>{}</code>. <a href=\"index.html\">All API references</a></p>\n\
         </footer>\n",
        esc(&document),
        esc(&commit)
    );
}
