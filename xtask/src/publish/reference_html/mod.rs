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

use std::collections::{HashMap, HashSet};
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

// ---------------------------------------------------------------------------------------------
// Reading the document without trusting its shape.

/// Looks through YAML tags (`!foo value`), which carry no meaning for OpenAPI.
fn untag(value: &Value) -> &Value {
    let mut value = value;
    while let Value::Tagged(tagged) = value {
        value = &tagged.value;
    }
    value
}

/// `value[key]` if `value` is a mapping with that string key.
fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match untag(value) {
        Value::Mapping(mapping) => mapping.get(key),
        _ => None,
    }
}

/// The string, if `value` is one.
fn str_of(value: &Value) -> Option<&str> {
    untag(value).as_str()
}

/// `value[key]` as a string.
fn get_str<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    get(value, key).and_then(str_of)
}

/// `value[key]` as a boolean; anything else is false.
fn get_bool(value: &Value, key: &str) -> bool {
    get(value, key).and_then(|v| untag(v).as_bool()) == Some(true)
}

fn is_mapping(value: &Value) -> bool {
    matches!(untag(value), Value::Mapping(_))
}

/// A mapping key as text. Keys are strings in a bundle, but a hand-edited document may have
/// `200:` or `true:`; those are shown as written rather than refused.
fn key_string(key: &Value) -> String {
    match untag(key) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => json(other, false),
    }
}

/// The entries of a mapping in document order; nothing for anything else.
fn entries(value: Option<&Value>) -> Vec<(String, &Value)> {
    match value.map(untag) {
        Some(Value::Mapping(mapping)) => mapping.iter().map(|(k, v)| (key_string(k), v)).collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence; nothing for anything else.
fn items(value: Option<&Value>) -> &[Value] {
    match value.map(untag) {
        Some(Value::Sequence(seq)) => seq,
        _ => &[],
    }
}

/// The `x-` extensions of an object, in document order.
fn extensions(value: &Value) -> Vec<(String, &Value)> {
    entries(Some(value))
        .into_iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .collect()
}

/// Follows a local JSON pointer (`#/components/schemas/X`).
fn pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let rest = reference.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for raw in rest.strip_prefix('/')?.split('/') {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        current = match untag(current) {
            Value::Mapping(mapping) => mapping
                .iter()
                .find(|(k, _)| key_string(k) == segment)
                .map(|(_, v)| v)?,
            Value::Sequence(seq) => seq.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The last segment of a pointer: the component name of `#/components/responses/BadRequest`.
fn ref_name(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.replace("~1", "/").replace("~0", "~")
}

/// An object that may be a `$ref` (parameter, response, request body, header, example), resolved.
struct Resolved<'a> {
    value: &'a Value,
    /// The component it came from, if it was a reference.
    component: Option<String>,
}

/// Follows `$ref`s to the object they name; `Err` carries the reference that does not resolve.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<Resolved<'a>, String> {
    let mut current = value;
    let mut component = None;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = get(current, "$ref") else {
            return Ok(Resolved {
                value: current,
                component,
            });
        };
        let Some(reference) = str_of(reference) else {
            return Err(json(reference, false));
        };
        if component.is_none() {
            component = Some(ref_name(reference));
        }
        current = pointer(doc, reference).ok_or_else(|| reference.to_string())?;
    }
    Err(format!("{} (a cycle of references)", json(value, false)))
}

// ---------------------------------------------------------------------------------------------
// Text: escaping, JSON, Markdown, links.

/// Escapes text for HTML content and attribute values alike.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // NUL is a parse error in HTML.
            '\0' => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
    out
}

/// A YAML value as JSON, compact or pretty (the layout of `serde_json::to_string_pretty`).
///
/// Written by hand rather than through `serde_json::Value`, whose map sorts keys (the
/// workspace does not enable `preserve_order`): examples keep the order their author chose.
fn json(value: &Value, pretty: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, value, pretty, 0);
    out
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.escape_default()))
}

fn write_json(out: &mut String, value: &Value, pretty: bool, indent: usize) {
    let newline = |out: &mut String, level: usize| {
        if pretty {
            out.push('\n');
            for _ in 0..level {
                out.push_str("  ");
            }
        }
    };
    match untag(value) {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => w!(out, "{b}"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                w!(out, "{i}");
            } else if let Some(u) = n.as_u64() {
                w!(out, "{u}");
            } else {
                match n.as_f64().and_then(serde_json::Number::from_f64) {
                    Some(f) => w!(out, "{f}"),
                    // JSON has no NaN or infinity: keep YAML's spelling as a string.
                    None => out.push_str(&json_string(&n.to_string())),
                }
            }
        }
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Sequence(seq) => {
            if seq.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in seq.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent + 1);
                write_json(out, item, pretty, indent + 1);
            }
            newline(out, indent);
            out.push(']');
        }
        Value::Mapping(mapping) => {
            if mapping.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in mapping.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent + 1);
                out.push_str(&json_string(&key_string(k)));
                out.push_str(if pretty { ": " } else { ":" });
                write_json(out, v, pretty, indent + 1);
            }
            newline(out, indent);
            out.push('}');
        }
        Value::Tagged(_) => out.push_str("null"), // unreachable: untag removed every tag
    }
}

/// A value for a table cell or a fact: strings as written, anything else as compact JSON.
fn plain(value: &Value) -> String {
    match str_of(value) {
        Some(s) => s.to_string(),
        None => json(value, false),
    }
}

/// Only these link targets survive: a document must not be able to plant `javascript:` or
/// `data:` URLs, and nothing on the page should point at the file system.
fn allowed_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

/// `<a href>` for an allowed URL, the escaped text otherwise.
fn link(url: &str, text: &str) -> String {
    if allowed_url(url) {
        format!("<a href=\"{}\">{}</a>", esc(url.trim()), esc(text))
    } else {
        esc(text)
    }
}

/// CommonMark to HTML, defused: raw HTML becomes text, disallowed links and every image become
/// their text (an image would load a resource; an allowed image URL becomes a plain link).
fn markdown(text: &str) -> String {
    use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // One entry per open link or image: whether an `<a>` was written for it. Links never nest
    // in HTML, so an inner one is dropped when an outer `<a>` is open.
    let mut anchors: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        // Escaped by us, quotes included, and passed through as already-safe HTML.
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::InlineHtml(esc(&raw).into())),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let open = allowed_url(&dest_url) && !anchors.contains(&true);
            anchors.push(open);
            open.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
            (anchors.pop() == Some(true)).then_some(Event::End(TagEnd::Link))
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A `<div class="description">` of rendered Markdown, or nothing.
fn description(out: &mut String, value: &Value) {
    if let Some(text) = get_str(value, "description") {
        if !text.trim().is_empty() {
            w!(out, "<div class=\"description\">{}</div>\n", markdown(text));
        }
    }
}

fn unresolved(reference: &str) -> String {
    format!(
        "<span class=\"problem\">unresolved reference <code>{}</code></span>",
        esc(reference)
    )
}

/// A paragraph saying what is wrong with the document; `backticked` parts are set as code.
fn problem(text: &str) -> String {
    let mut html = String::from("<p class=\"problem\">");
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            w!(html, "<code>{}</code>", esc(part));
        } else {
            html.push_str(&esc(part));
        }
    }
    html.push_str("</p>\n");
    html
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// An id fragment: HTML ids may not contain whitespace, and fragments are friendlier without
/// punctuation; the usual identifier characters are kept so `#op-CreateToken` stays readable.
fn id_part(text: &str) -> String {
    let part: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if part.is_empty() {
        "_".into()
    } else {
        part
    }
}

/// Hands out page-unique ids: a duplicate operationId or a tag named like a schema must not
/// produce two elements with one id.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn claim(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|candidate| self.0.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

// ---------------------------------------------------------------------------------------------
// The document's operations.

/// One `paths` entry: a well-formed operation, or something that could not be one.
enum Entry<'a> {
    Operation(Operation<'a>),
    Problem(String),
}

struct Operation<'a> {
    method: String,
    path: String,
    value: &'a Value,
    path_item: &'a Value,
    operation_id: Option<String>,
    /// The element id, `op-{operationId}`.
    id: String,
}

impl Operation<'_> {
    /// Its first tag, which files it in the contents.
    fn first_tag(&self) -> Option<&str> {
        items(get(self.value, "tags")).first().and_then(str_of)
    }

    fn label(&self) -> String {
        self.operation_id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method.to_uppercase(), self.path))
    }
}

/// Every operation in document order: paths as authored, and within a path the methods as they
/// appear in its mapping.
fn collect_entries<'a>(doc: &'a Value, ids: &mut Ids) -> Vec<Entry<'a>> {
    let mut found = Vec::new();
    let Some(paths) = get(doc, "paths") else {
        return found;
    };
    if !is_mapping(paths) {
        found.push(Entry::Problem("`paths` is not a mapping.".into()));
        return found;
    }
    for (path, item) in entries(Some(paths)) {
        if !is_mapping(item) {
            found.push(Entry::Problem(format!(
                "The path item `{path}` is not a mapping."
            )));
            continue;
        }
        for (key, value) in entries(Some(item)) {
            let method = key.to_ascii_lowercase();
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            if !is_mapping(value) {
                found.push(Entry::Problem(format!(
                    "The operation `{} {path}` is not a mapping: {}",
                    method.to_uppercase(),
                    json(value, false)
                )));
                continue;
            }
            let operation_id = get_str(value, "operationId").map(str::to_string);
            let id = match &operation_id {
                Some(op_id) => ids.claim(format!("op-{}", id_part(op_id))),
                None => ids.claim(format!("op-{method}-{}", id_part(&path))),
            };
            found.push(Entry::Operation(Operation {
                method,
                path: path.clone(),
                value,
                path_item: item,
                operation_id,
                id,
            }));
        }
    }
    found
}

/// The security an operation runs under.
enum Security<'a> {
    /// Its own `security`.
    Own(&'a Value),
    /// The document's top-level `security`.
    Default(&'a Value),
    /// Neither is declared.
    Undeclared,
}

fn security_of<'a>(doc: &'a Value, operation: &'a Value) -> Security<'a> {
    if let Some(own) = get(operation, "security") {
        Security::Own(own)
    } else if let Some(global) = get(doc, "security") {
        Security::Default(global)
    } else {
        Security::Undeclared
    }
}

impl<'a> Security<'a> {
    fn requirements(&self) -> Option<&'a Value> {
        match self {
            Security::Own(v) | Security::Default(v) => Some(v),
            Security::Undeclared => None,
        }
    }

    /// True when a caller needs no credentials at all.
    fn is_none(&self) -> bool {
        match self.requirements() {
            None => true,
            Some(reqs) => matches!(untag(reqs), Value::Sequence(s) if s.is_empty()),
        }
    }

    /// The scheme names any alternative mentions.
    fn schemes(&self) -> Vec<String> {
        items(self.requirements())
            .iter()
            .flat_map(|req| entries(Some(req)).into_iter().map(|(name, _)| name))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The family page.

struct Renderer<'a> {
    doc: &'a Value,
    /// Component schema name -> element id.
    schema_ids: HashMap<String, String>,
    /// Security scheme name -> element id.
    scheme_ids: HashMap<String, String>,
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
fn head(out: &mut String, title: &str) {
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
fn stamps(info: &Value) -> (String, String) {
    let document = get(info, "x-source-document")
        .map(plain)
        .unwrap_or_else(|| "unknown".into());
    let commit = get(info, "x-source-commit")
        .map(plain)
        .unwrap_or_else(|| "unknown".into());
    (document, commit)
}

fn footer(out: &mut String, info: &Value) {
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

impl Renderer<'_> {
    fn header(
        &self,
        out: &mut String,
        info: &Value,
        title: &str,
        version: Option<&str>,
        page: &FamilyPage,
    ) {
        out.push_str("<header class=\"page-header\">\n");
        out.push_str("<p class=\"breadcrumb\"><a href=\"index.html\">All API references</a></p>\n");
        w!(out, "<h1>{}</h1>\n", esc(title));
        out.push_str("<p class=\"subtitle\">");
        if let Some(version) = version {
            w!(out, "Version <code>{}</code>", esc(version));
        }
        if let Some(openapi) = get(self.doc, "openapi") {
            if version.is_some() {
                out.push_str(" · ");
            }
            w!(out, "OpenAPI <code>{}</code>", esc(&plain(openapi)));
        }
        out.push_str("</p>\n");
        description(out, info);

        let (document, commit) = stamps(info);
        out.push_str("<dl class=\"info\">\n");
        w!(
            out,
            "<dt>Download</dt><dd><a class=\"download\" href=\"{}\" type=\"application/json\">JSON bundle</a> · \
             <a class=\"download\" href=\"{}\" type=\"application/yaml\">YAML bundle</a></dd>\n",
            esc(page.json_file),
            esc(page.yaml_file)
        );
        w!(
            out,
            "<dt>Source document</dt><dd><code class=\"source-document\">{}</code></dd>\n",
            esc(&document)
        );
        w!(
            out,
            "<dt>Source commit</dt><dd><code class=\"source-commit\">{}</code></dd>\n",
            esc(&commit)
        );
        if let Some(servers) = get(self.doc, "servers") {
            out.push_str("<dt>Servers</dt><dd>");
            self.servers(out, servers);
            out.push_str("</dd>\n");
        }
        if let Some(docs) = get(self.doc, "externalDocs") {
            w!(
                out,
                "<dt>External documentation</dt><dd>{}</dd>\n",
                external_docs(docs)
            );
        }
        if let Some(terms) = get_str(info, "termsOfService") {
            w!(
                out,
                "<dt>Terms of service</dt><dd>{}</dd>\n",
                link(terms, terms)
            );
        }
        if let Some(license) = get(info, "license") {
            let name = get_str(license, "name").unwrap_or("License");
            let html = match get_str(license, "url") {
                Some(url) => link(url, name),
                None => esc(name),
            };
            w!(out, "<dt>License</dt><dd>{html}</dd>\n");
        }
        if let Some(contact) = get(info, "contact") {
            let mut parts = Vec::new();
            if let Some(name) = get_str(contact, "name") {
                parts.push(esc(name));
            }
            if let Some(email) = get_str(contact, "email") {
                parts.push(link(&format!("mailto:{email}"), email));
            }
            if let Some(url) = get_str(contact, "url") {
                parts.push(link(url, url));
            }
            if !parts.is_empty() {
                w!(out, "<dt>Contact</dt><dd>{}</dd>\n", parts.join(" · "));
            }
        }
        for (key, value) in extensions(info) {
            if key == "x-source-commit" || key == "x-source-document" {
                continue;
            }
            w!(
                out,
                "<dt><code>{}</code></dt><dd><code>{}</code></dd>\n",
                esc(&key),
                esc(&plain(value))
            );
        }
        out.push_str("</dl>\n</header>\n");
    }

    fn servers(&self, out: &mut String, servers: &Value) {
        let list = items(Some(servers));
        if list.is_empty() {
            out.push_str("none declared");
            return;
        }
        out.push_str("<ul class=\"servers\">\n");
        for server in list {
            out.push_str("<li>");
            match get_str(server, "url") {
                Some(url) => w!(out, "<code class=\"server-url\">{}</code>", esc(url)),
                None => out.push_str(&problem("A server without a `url`.")),
            }
            description(out, server);
            let variables = entries(get(server, "variables"));
            if !variables.is_empty() {
                out.push_str(
                    "<table class=\"variables\">\n<thead><tr><th>Variable</th><th>Default</th>\
                     <th>Values</th><th>Description</th></tr></thead>\n<tbody>\n",
                );
                for (name, variable) in variables {
                    let default = get(variable, "default").map(plain).unwrap_or_default();
                    let values = codes(items(get(variable, "enum")));
                    w!(
                        out,
                        "<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>",
                        esc(&name),
                        esc(&default),
                        if values.is_empty() {
                            "any".to_string()
                        } else {
                            values
                        }
                    );
                    description(out, variable);
                    out.push_str("</td></tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }

    /// The table of contents: operations under their first tag, then the schemas.
    fn contents(
        &self,
        out: &mut String,
        operations: &[&Operation],
        schemas: &[(String, &Value, String)],
    ) {
        // Tag order: the top-level `tags` list, then tags as operations first use them.
        let mut tags: Vec<(String, Option<&Value>)> = Vec::new();
        for tag in items(get(self.doc, "tags")) {
            if let Some(name) = get_str(tag, "name") {
                if !tags.iter().any(|(n, _)| n == name) {
                    tags.push((name.to_string(), Some(tag)));
                }
            }
        }
        for op in operations {
            if let Some(tag) = op.first_tag() {
                if !tags.iter().any(|(n, _)| n == tag) {
                    tags.push((tag.to_string(), None));
                }
            }
        }
        out.push_str("<nav class=\"toc\" id=\"contents\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ul>\n");
        out.push_str("<li><a href=\"#authentication\">Authentication</a></li>\n");
        out.push_str("<li><a href=\"#operations\">Operations</a>\n<ul class=\"toc-tags\">\n");
        let untagged: Vec<&&Operation> = operations
            .iter()
            .filter(|op| op.first_tag().is_none())
            .collect();
        let mut groups: Vec<(String, Option<&Value>, Vec<&&Operation>)> = tags
            .into_iter()
            .map(|(name, tag)| {
                let ops = operations
                    .iter()
                    .filter(|op| op.first_tag() == Some(name.as_str()))
                    .collect();
                (name, tag, ops)
            })
            .collect();
        if !untagged.is_empty() {
            groups.push(("Untagged".to_string(), None, untagged));
        }
        for (name, tag, ops) in groups {
            if ops.is_empty() {
                continue;
            }
            w!(
                out,
                "<li class=\"toc-tag\" data-tag=\"{}\"><span class=\"tag-name\">{}</span>\n",
                esc(&name),
                esc(&name)
            );
            if let Some(tag) = tag {
                description(out, tag);
            }
            out.push_str("<ul>\n");
            for op in ops {
                w!(
                    out,
                    "<li><a href=\"#{}\"><code>{}</code></a>{}</li>\n",
                    esc(&op.id),
                    esc(&op.label()),
                    match get_str(op.value, "summary") {
                        Some(summary) => format!(" — {}", esc(summary)),
                        None => String::new(),
                    }
                );
            }
            out.push_str("</ul>\n</li>\n");
        }
        out.push_str("</ul>\n</li>\n");
        out.push_str("<li><a href=\"#schemas\">Schemas</a>\n");
        if !schemas.is_empty() {
            out.push_str("<ul class=\"toc-schemas\">\n");
            for (name, _, id) in schemas {
                w!(
                    out,
                    "<li><a href=\"#{}\"><code>{}</code></a></li>\n",
                    esc(id),
                    esc(name)
                );
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n</ul>\n</nav>\n");
    }

    // -- Authentication -------------------------------------------------------------------------

    fn authentication(
        &self,
        out: &mut String,
        schemes: &[(String, &Value, String)],
        operations: &[&Operation],
    ) {
        out.push_str("<section id=\"authentication\">\n<h2>Authentication</h2>\n");
        match get(self.doc, "security") {
            Some(global) => w!(
                out,
                "<p class=\"default-security\">Unless an operation says otherwise, it needs: {}.</p>\n",
                self.requirements(global)
            ),
            None => out.push_str(
                "<p class=\"default-security\">The document declares no default security requirement: \
                 an operation without its own <code>security</code> takes no authentication.</p>\n",
            ),
        }
        if schemes.is_empty() {
            out.push_str("<p>This document declares no security schemes.</p>\n");
        }
        for (name, scheme, id) in schemes {
            let kind = get(scheme, "type")
                .map(plain)
                .unwrap_or_else(|| "unknown".into());
            w!(
                out,
                "<div class=\"security-scheme\" id=\"{}\" data-scheme=\"{}\">\n<h3><code>{}</code> \
                 <span class=\"scheme-type\">{}</span></h3>\n",
                esc(id),
                esc(name),
                esc(name),
                esc(&kind)
            );
            if !is_mapping(scheme) {
                out.push_str(&problem("This security scheme is not a mapping."));
            }
            out.push_str("<dl class=\"scheme-details\">\n");
            w!(out, "<dt>Type</dt><dd><code>{}</code></dd>\n", esc(&kind));
            for (key, label) in [
                ("in", "In"),
                ("name", "Name"),
                ("scheme", "Scheme"),
                ("bearerFormat", "Bearer format"),
            ] {
                if let Some(value) = get(scheme, key) {
                    w!(
                        out,
                        "<dt>{label}</dt><dd><code>{}</code></dd>\n",
                        esc(&plain(value))
                    );
                }
            }
            if let Some(url) = get_str(scheme, "openIdConnectUrl") {
                w!(
                    out,
                    "<dt>OpenID Connect URL</dt><dd>{}</dd>\n",
                    link(url, url)
                );
            }
            if let Some(flows) = get(scheme, "flows") {
                out.push_str("<dt>Flows</dt><dd>");
                self.flows(out, flows);
                out.push_str("</dd>\n");
            }
            for (key, value) in extensions(scheme) {
                w!(
                    out,
                    "<dt><code>{}</code></dt><dd><code>{}</code></dd>\n",
                    esc(&key),
                    esc(&plain(value))
                );
            }
            out.push_str("</dl>\n");
            description(out, scheme);
            let users: Vec<&&Operation> = operations
                .iter()
                .filter(|op| security_of(self.doc, op.value).schemes().contains(name))
                .collect();
            if users.is_empty() {
                out.push_str("<p class=\"used-by\">No operation uses this scheme.</p>\n");
            } else {
                w!(
                    out,
                    "<p class=\"used-by\">Used by {} operation{}: ",
                    users.len(),
                    if users.len() == 1 { "" } else { "s" }
                );
                let links: Vec<String> = users.iter().map(|op| op_link(op)).collect();
                out.push_str(&links.join(", "));
                out.push_str(".</p>\n");
            }
            out.push_str("</div>\n");
        }
        let open: Vec<&&Operation> = operations
            .iter()
            .filter(|op| security_of(self.doc, op.value).is_none())
            .collect();
        if !open.is_empty() {
            out.push_str(
                "<div class=\"no-authentication\">\n<h3>Operations without authentication</h3>\n\
                 <p>These operations take no authentication: send no credentials.</p>\n<ul>\n",
            );
            for op in open {
                let why = match security_of(self.doc, op.value) {
                    Security::Own(_) => "<code>security: []</code>, no authentication",
                    _ => "no security requirement declared, no authentication",
                };
                w!(
                    out,
                    "<li class=\"open-operation\" data-operation=\"{}\">{}: {why}</li>\n",
                    esc(op.operation_id.as_deref().unwrap_or("")),
                    op_link(op)
                );
            }
            out.push_str("</ul>\n</div>\n");
        }
        out.push_str("</section>\n");
    }

    fn flows(&self, out: &mut String, flows: &Value) {
        let list = entries(Some(flows));
        if list.is_empty() {
            out.push_str("none declared");
            return;
        }
        for (name, flow) in list {
            w!(
                out,
                "<div class=\"flow\"><p><code>{}</code></p>\n<dl>\n",
                esc(&name)
            );
            for (key, label) in [
                ("authorizationUrl", "Authorization URL"),
                ("tokenUrl", "Token URL"),
                ("refreshUrl", "Refresh URL"),
            ] {
                if let Some(url) = get_str(flow, key) {
                    w!(out, "<dt>{label}</dt><dd>{}</dd>\n", link(url, url));
                }
            }
            let scopes = entries(get(flow, "scopes"));
            out.push_str("<dt>Scopes</dt><dd>");
            if scopes.is_empty() {
                out.push_str("none");
            } else {
                out.push_str("<ul>");
                for (scope, text) in scopes {
                    w!(
                        out,
                        "<li><code>{}</code>: {}</li>",
                        esc(&scope),
                        esc(&plain(text))
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</dd>\n</dl>\n</div>\n");
        }
    }

    /// A `security` list: alternatives joined by "or", the schemes of one alternative by "and".
    fn requirements(&self, reqs: &Value) -> String {
        let Value::Sequence(alternatives) = untag(reqs) else {
            return format!(
                "<span class=\"problem\">an invalid security requirement <code>{}</code></span>",
                esc(&json(reqs, false))
            );
        };
        if alternatives.is_empty() {
            return "No authentication (<code>security: []</code>)".to_string();
        }
        let parts: Vec<String> = alternatives
            .iter()
            .map(|alternative| {
                if !is_mapping(alternative) {
                    return format!(
                        "<span class=\"problem\">an invalid security requirement <code>{}</code></span>",
                        esc(&json(alternative, false))
                    );
                }
                let schemes = entries(Some(alternative));
                if schemes.is_empty() {
                    return "no authentication (optional)".to_string();
                }
                let names: Vec<String> = schemes
                    .iter()
                    .map(|(name, scopes)| {
                        let mut html = match self.scheme_ids.get(name) {
                            Some(id) => {
                                format!("<a href=\"#{}\"><code>{}</code></a>", esc(id), esc(name))
                            }
                            None => format!(
                                "<code>{}</code> <span class=\"problem\">(not declared in \
                                 <code>components.securitySchemes</code>)</span>",
                                esc(name)
                            ),
                        };
                        let scopes = items(Some(scopes));
                        if !scopes.is_empty() {
                            w!(html, " (scopes: {})", codes(scopes));
                        }
                        html
                    })
                    .collect();
                names.join(" and ")
            })
            .collect();
        parts.join(" or ")
    }

    // -- Operations -----------------------------------------------------------------------------

    fn operation(&self, out: &mut String, op: &Operation) {
        let value = op.value;
        w!(out, "<section class=\"operation\" id=\"{}\"", esc(&op.id));
        if let Some(op_id) = &op.operation_id {
            w!(out, " data-operation-id=\"{}\"", esc(op_id));
        }
        w!(
            out,
            " data-method=\"{}\" data-path=\"{}\">\n",
            esc(&op.method),
            esc(&op.path)
        );
        out.push_str("<h3>");
        match &op.operation_id {
            Some(op_id) => w!(out, "<code>{}</code>", esc(op_id)),
            None => out.push_str("<span class=\"problem\">no operationId</span>"),
        }
        if get_bool(value, "deprecated") {
            out.push_str(" <span class=\"badge deprecated\">deprecated</span>");
        }
        out.push_str("</h3>\n");
        w!(
            out,
            "<p class=\"endpoint\"><span class=\"method method-{}\">{}</span> <code class=\"path\">{}</code></p>\n",
            esc(&op.method),
            esc(&op.method.to_uppercase()),
            esc(&op.path)
        );
        if let Some(summary) = get_str(value, "summary") {
            w!(out, "<p class=\"summary\">{}</p>\n", esc(summary));
        }

        out.push_str("<dl class=\"operation-meta\">\n");
        let tags: Vec<String> = items(get(value, "tags")).iter().map(plain).collect();
        if !tags.is_empty() {
            let tags: Vec<String> = tags
                .iter()
                .map(|t| format!("<span class=\"tag\">{}</span>", esc(t)))
                .collect();
            w!(out, "<dt>Tags</dt><dd>{}</dd>\n", tags.join(" "));
        }
        let security = match security_of(self.doc, value) {
            Security::Own(reqs) => self.requirements(reqs),
            Security::Default(reqs) => {
                format!("{} (the document's default)", self.requirements(reqs))
            }
            Security::Undeclared => {
                "No authentication (no security requirement declared)".to_string()
            }
        };
        w!(
            out,
            "<dt>Authentication</dt><dd class=\"security\">{security}</dd>\n"
        );
        for (key, ext) in extensions(value) {
            if key == "x-acs-rpc" && is_mapping(ext) {
                w!(
                    out,
                    "<dt>On the wire</dt><dd class=\"wire\">{}</dd>\n",
                    wire(ext)
                );
            } else {
                w!(
                    out,
                    "<dt><code>{}</code></dt><dd><code>{}</code></dd>\n",
                    esc(&key),
                    esc(&json(ext, false))
                );
            }
        }
        if let Some(servers) = get(value, "servers").or_else(|| get(op.path_item, "servers")) {
            out.push_str("<dt>Servers</dt><dd>");
            self.servers(out, servers);
            out.push_str("</dd>\n");
        }
        if let Some(docs) = get(value, "externalDocs") {
            w!(
                out,
                "<dt>External documentation</dt><dd>{}</dd>\n",
                external_docs(docs)
            );
        }
        out.push_str("</dl>\n");
        description(out, value);

        self.parameters(out, op);
        if let Some(body) = get(value, "requestBody") {
            out.push_str("<h4>Request body</h4>\n");
            self.request_body(out, body);
        }
        out.push_str("<h4>Responses</h4>\n");
        let responses = entries(get(value, "responses"));
        if responses.is_empty() {
            out.push_str("<p>No responses declared.</p>\n");
        }
        for (status, response) in responses {
            self.response(out, &status, response);
        }
        if let Some(callbacks) = get(value, "callbacks") {
            let names: Vec<String> = entries(Some(callbacks))
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            w!(
                out,
                "<p>Callbacks (not rendered here): {}</p>\n",
                codes_of(&names)
            );
        }
        out.push_str("</section>\n");
    }

    /// The path item's parameters, unless the operation overrides them, then the operation's.
    fn parameters(&self, out: &mut String, op: &Operation) {
        let own = items(get(op.value, "parameters"));
        let key = |p: &Value| -> Option<(String, String)> {
            let p = resolve(self.doc, p).ok()?.value;
            Some((get(p, "name").map(plain)?, get(p, "in").map(plain)?))
        };
        let own_keys: Vec<(String, String)> = own.iter().filter_map(key).collect();
        let mut list: Vec<&Value> = items(get(op.path_item, "parameters"))
            .iter()
            .filter(|p| key(p).is_none_or(|k| !own_keys.contains(&k)))
            .collect();
        list.extend(own.iter());
        if list.is_empty() {
            return;
        }
        out.push_str(
            "<h4>Parameters</h4>\n<table class=\"parameters\">\n<thead><tr><th>Name</th><th>In</th>\
             <th>Type</th><th>Required</th><th>Description</th></tr></thead>\n<tbody>\n",
        );
        for parameter in list {
            let resolved = match resolve(self.doc, parameter) {
                Ok(resolved) => resolved,
                Err(reference) => {
                    w!(
                        out,
                        "<tr><td colspan=\"5\">{}</td></tr>\n",
                        unresolved(&reference)
                    );
                    continue;
                }
            };
            let p = resolved.value;
            let name = get(p, "name").map(plain).unwrap_or_default();
            let location = get(p, "in").map(plain).unwrap_or_default();
            w!(
                out,
                "<tr data-parameter=\"{}\" data-in=\"{}\"><td><code>{}</code>",
                esc(&name),
                esc(&location),
                esc(&name)
            );
            if name.is_empty() {
                out.push_str("<span class=\"problem\">no name</span>");
            }
            if get_bool(p, "deprecated") {
                out.push_str(" <span class=\"badge deprecated\">deprecated</span>");
            }
            w!(out, "</td><td>{}</td><td>", esc(&location));
            match get(p, "schema") {
                Some(schema) => out.push_str(&self.type_summary(schema, 0)),
                None if get(p, "content").is_some() => out.push_str("see media types"),
                None => out.push_str("any"),
            }
            w!(out, "</td><td>{}</td><td>", yes_no(get_bool(p, "required")));
            if let Some(component) = &resolved.component {
                w!(
                    out,
                    "<p class=\"shared\">Shared parameter <code>{}</code>.</p>\n",
                    esc(component)
                );
            }
            description(out, p);
            let mut notes = Vec::new();
            for key in ["style", "explode", "allowEmptyValue", "allowReserved"] {
                if let Some(v) = get(p, key) {
                    notes.push(format!("<li><code>{key}: {}</code></li>", esc(&plain(v))));
                }
            }
            if !notes.is_empty() {
                w!(out, "<ul class=\"facts\">{}</ul>\n", notes.concat());
            }
            // The parameter's own examples first: they are the ones written for this operation.
            self.examples(out, p);
            if let Some(schema) = get(p, "schema") {
                self.inline_schema(out, schema, 1);
            }
            if let Some(content) = get(p, "content") {
                self.media_types(out, content);
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn request_body(&self, out: &mut String, body: &Value) {
        let resolved = match resolve(self.doc, body) {
            Ok(resolved) => resolved,
            Err(reference) => {
                w!(out, "<p>{}</p>\n", unresolved(&reference));
                return;
            }
        };
        let body = resolved.value;
        out.push_str("<div class=\"request-body\">\n");
        w!(out, "<p>Required: {}", yes_no(get_bool(body, "required")));
        if let Some(component) = &resolved.component {
            w!(
                out,
                " · shared request body <code>{}</code>",
                esc(component)
            );
        }
        out.push_str("</p>\n");
        description(out, body);
        match get(body, "content") {
            Some(content) => self.media_types(out, content),
            None => out.push_str("<p>No content declared.</p>\n"),
        }
        out.push_str("</div>\n");
    }

    fn response(&self, out: &mut String, status: &str, response: &Value) {
        let class = match status.chars().next() {
            Some(c) if c.is_ascii_digit() => format!("status-{c}xx"),
            _ => "status-default".to_string(),
        };
        w!(
            out,
            "<div class=\"response\" data-status=\"{}\">\n<h5><span class=\"status {class}\">{}</span>",
            esc(status),
            esc(status)
        );
        let resolved = match resolve(self.doc, response) {
            Ok(resolved) => resolved,
            Err(reference) => {
                w!(out, " {}</h5>\n</div>\n", unresolved(&reference));
                return;
            }
        };
        if let Some(component) = &resolved.component {
            w!(
                out,
                " <span class=\"shared\">shared response <code>{}</code></span>",
                esc(component)
            );
        }
        out.push_str("</h5>\n");
        let response = resolved.value;
        description(out, response);
        let headers = entries(get(response, "headers"));
        if !headers.is_empty() {
            out.push_str(
                "<table class=\"headers\">\n<thead><tr><th>Header</th><th>Type</th><th>Required</th>\
                 <th>Description</th></tr></thead>\n<tbody>\n",
            );
            for (name, header) in headers {
                w!(
                    out,
                    "<tr data-header=\"{}\"><td><code>{}</code></td>",
                    esc(&name),
                    esc(&name)
                );
                let header = match resolve(self.doc, header) {
                    Ok(resolved) => resolved.value,
                    Err(reference) => {
                        w!(
                            out,
                            "<td colspan=\"3\">{}</td></tr>\n",
                            unresolved(&reference)
                        );
                        continue;
                    }
                };
                let summary = get(header, "schema")
                    .map(|s| self.type_summary(s, 0))
                    .unwrap_or_else(|| "any".into());
                w!(
                    out,
                    "<td>{summary}</td><td>{}</td><td>",
                    yes_no(get_bool(header, "required"))
                );
                description(out, header);
                if let Some(schema) = get(header, "schema") {
                    self.inline_schema(out, schema, 1);
                }
                self.examples(out, header);
                out.push_str("</td></tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        if let Some(content) = get(response, "content") {
            self.media_types(out, content);
        }
        if let Some(links) = get(response, "links") {
            let names: Vec<String> = entries(Some(links))
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            w!(out, "<p>Links: {}</p>\n", codes_of(&names));
        }
        out.push_str("</div>\n");
    }

    fn media_types(&self, out: &mut String, content: &Value) {
        if !is_mapping(content) {
            out.push_str(&problem("`content` is not a mapping."));
            return;
        }
        for (media_type, media) in entries(Some(content)) {
            w!(
                out,
                "<div class=\"media-type\" data-media-type=\"{}\">\n<p class=\"media-type-name\"><code>{}</code>",
                esc(&media_type),
                esc(&media_type)
            );
            match get(media, "schema") {
                Some(schema) => w!(out, " · schema: {}</p>\n", self.type_summary(schema, 0)),
                None => out.push_str("</p>\n"),
            }
            if let Some(schema) = get(media, "schema") {
                if get(schema, "$ref").is_none() {
                    description(out, schema);
                }
                self.inline_schema(out, schema, 1);
            }
            self.examples(out, media);
            out.push_str("</div>\n");
        }
    }

    // -- Examples ---------------------------------------------------------------------------------

    /// `example` and `examples` of a parameter, media type, header or schema.
    fn examples(&self, out: &mut String, holder: &Value) {
        if let Some(example) = get(holder, "example") {
            example_block(out, "Example", Some(example), None);
        }
        let Some(examples) = get(holder, "examples") else {
            return;
        };
        match untag(examples) {
            Value::Mapping(_) => {
                for (name, example) in entries(Some(examples)) {
                    let mut label = format!("Example <code>{}</code>", esc(&name));
                    match resolve(self.doc, example) {
                        Ok(resolved) => {
                            let e = resolved.value;
                            if let Some(component) = &resolved.component {
                                w!(label, " (shared example <code>{}</code>)", esc(component));
                            }
                            if let Some(summary) = get_str(e, "summary") {
                                w!(label, ": {}", esc(summary));
                            }
                            if let Some(url) = get_str(e, "externalValue") {
                                w!(label, " · external value: {}", link(url, url));
                            }
                            example_block(out, &label, get(e, "value"), get_str(e, "description"));
                        }
                        Err(reference) => {
                            w!(
                                out,
                                "<div class=\"example\"><p class=\"example-label\">{label}: {}</p></div>\n",
                                unresolved(&reference)
                            );
                        }
                    }
                }
            }
            // JSON Schema's `examples` is a list of values.
            Value::Sequence(list) => {
                for (i, example) in list.iter().enumerate() {
                    example_block(out, &format!("Example {}", i + 1), Some(example), None);
                }
            }
            other => example_block(out, "Examples", Some(other), None),
        }
    }

    // -- Schemas ----------------------------------------------------------------------------------

    /// The "type" column: a link for a component, `array of ...`, or the type with its format.
    fn type_summary(&self, schema: &Value, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return "…".into();
        }
        let s = untag(schema);
        if let Some(reference) = get(s, "$ref") {
            return match str_of(reference) {
                Some(reference) => self.schema_link(reference),
                None => unresolved(&json(reference, false)),
            };
        }
        match s {
            Value::Mapping(_) => {}
            Value::Bool(true) | Value::Null => return "any".into(),
            Value::Bool(false) => return "nothing (always invalid)".into(),
            other => {
                return format!(
                    "<span class=\"problem\">not a schema: <code>{}</code></span>",
                    esc(&json(other, false))
                );
            }
        }
        let mut parts = Vec::new();
        let ty = match get(s, "type").map(untag) {
            Some(Value::String(t)) => Some(t.clone()),
            Some(Value::Sequence(list)) => {
                Some(list.iter().map(plain).collect::<Vec<_>>().join(" or "))
            }
            Some(other) => Some(json(other, false)),
            None if get(s, "properties").is_some() || get(s, "additionalProperties").is_some() => {
                Some("object".into())
            }
            None if get(s, "items").is_some() => Some("array".into()),
            None => None,
        };
        match ty.as_deref() {
            Some("array") => parts.push(match get(s, "items") {
                Some(items) => format!("array of {}", self.type_summary(items, depth + 1)),
                None => "array".into(),
            }),
            Some("object") if get(s, "properties").is_none() => {
                parts.push(match get(s, "additionalProperties").map(untag) {
                    None | Some(Value::Bool(false)) => "object".into(),
                    Some(additional) => format!(
                        "map of string to {}",
                        self.type_summary(additional, depth + 1)
                    ),
                })
            }
            Some(t) => parts.push(esc(t)),
            None => {}
        }
        if let Some(format) = get_str(s, "format") {
            match parts.last_mut() {
                Some(last) => w!(last, " ({})", esc(format)),
                None => parts.push(format!("({})", esc(format))),
            }
            if format == "password" {
                parts.push("<span class=\"badge secret\" title=\"format: password: a secret, keep it out of logs\">secret</span>".into());
            }
        }
        for (key, word) in [
            ("allOf", "all of"),
            ("oneOf", "one of"),
            ("anyOf", "any of"),
        ] {
            if let Some(members) = get(s, key) {
                let members: Vec<String> = items(Some(members))
                    .iter()
                    .map(|m| self.type_summary(m, depth + 1))
                    .collect();
                parts.push(format!("{word} ({})", members.join(", ")));
            }
        }
        if let Some(not) = get(s, "not") {
            parts.push(format!("not {}", self.type_summary(not, depth + 1)));
        }
        if parts.is_empty() {
            parts.push(if get(s, "enum").is_some() {
                "enum".into()
            } else {
                "any".into()
            });
        }
        if get_bool(s, "nullable") {
            parts.push("or null".into());
        }
        parts.join(" ")
    }

    /// A link to a component schema; never its contents, so a schema that refers to itself is
    /// rendered once, in the Schemas section.
    fn schema_link(&self, reference: &str) -> String {
        if let Some(tail) = reference.strip_prefix("#/components/schemas/") {
            let name = tail.replace("~1", "/").replace("~0", "~");
            if let Some(id) = self.schema_ids.get(&name) {
                return format!("<a href=\"#{}\">{}</a>", esc(id), esc(&name));
            }
            // A pointer into a component (`X/properties/y`): link the component.
            let first = tail
                .split('/')
                .next()
                .unwrap_or_default()
                .replace("~1", "/")
                .replace("~0", "~");
            if let (Some(id), Some(_)) = (self.schema_ids.get(&first), pointer(self.doc, reference))
            {
                return format!("<a href=\"#{}\">{}</a>", esc(id), esc(tail));
            }
        }
        unresolved(reference)
    }

    /// The details of a schema written right here (not a `$ref`): facts, example, properties,
    /// items and variants. A `$ref` renders nothing: its link in the type column is enough.
    fn inline_schema(&self, out: &mut String, schema: &Value, depth: usize) {
        let s = untag(schema);
        if get(s, "$ref").is_some() || !is_mapping(s) {
            return;
        }
        if depth > MAX_DEPTH {
            out.push_str(&problem("Nested too deeply to show here."));
            return;
        }
        facts(out, s);
        self.examples(out, s);
        if let Some(properties) = get(s, "properties") {
            self.properties(out, s, properties, depth);
        }
        if get(s, "properties").is_some() {
            if let Some(additional) = get(s, "additionalProperties") {
                let text = match untag(additional) {
                    Value::Bool(false) => "not allowed".to_string(),
                    Value::Bool(true) => "allowed (any value)".to_string(),
                    other => format!("allowed ({})", self.type_summary(other, depth + 1)),
                };
                w!(
                    out,
                    "<p class=\"additional-properties\">Additional properties: {text}</p>\n"
                );
            }
        }
        if let Some(additional) = get(s, "additionalProperties") {
            self.nested(out, "Values", additional, depth);
        }
        if let Some(item) = get(s, "items") {
            self.nested(out, "Items", item, depth);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, member) in items(get(s, key)).iter().enumerate() {
                self.nested(
                    out,
                    &format!("<code>{key}</code> member {}", i + 1),
                    member,
                    depth,
                );
            }
        }
        if let Some(not) = get(s, "not") {
            self.nested(out, "<code>not</code>", not, depth);
        }
        if let Some(discriminator) = get(s, "discriminator") {
            if let Some(property) = get_str(discriminator, "propertyName") {
                w!(
                    out,
                    "<p>Discriminator: <code>{}</code></p>\n",
                    esc(property)
                );
            }
        }
    }

    /// An inline sub-schema (items, values, a variant) when it has something to show.
    fn nested(&self, out: &mut String, label: &str, schema: &Value, depth: usize) {
        let mut body = String::new();
        description(&mut body, schema);
        self.inline_schema(&mut body, schema, depth + 1);
        if !body.is_empty() {
            w!(
                out,
                "<div class=\"nested\"><p class=\"nested-label\">{label}: {}</p>\n{body}</div>\n",
                self.type_summary(schema, depth + 1)
            );
        }
    }

    fn properties(&self, out: &mut String, schema: &Value, properties: &Value, depth: usize) {
        if !is_mapping(properties) {
            out.push_str(&problem("`properties` is not a mapping."));
            return;
        }
        let list = entries(Some(properties));
        if list.is_empty() {
            return;
        }
        let required: Vec<String> = items(get(schema, "required")).iter().map(plain).collect();
        out.push_str(
            "<table class=\"properties\">\n<thead><tr><th>Property</th><th>Type</th><th>Required</th>\
             <th>Description</th></tr></thead>\n<tbody>\n",
        );
        for (name, property) in list {
            w!(
                out,
                "<tr data-property=\"{}\"><td><code>{}</code></td><td>{}</td><td>{}</td><td>",
                esc(&name),
                esc(&name),
                self.type_summary(property, depth + 1),
                yes_no(required.contains(&name))
            );
            description(out, property);
            self.inline_schema(out, property, depth + 1);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    fn schemas(&self, out: &mut String, schemas: &[(String, &Value, String)]) {
        out.push_str("<section id=\"schemas\">\n<h2>Schemas</h2>\n");
        if schemas.is_empty() {
            out.push_str("<p>This document declares no schemas.</p>\n");
        }
        for (name, schema, id) in schemas {
            w!(
                out,
                "<section class=\"schema\" id=\"{}\" data-schema=\"{}\">\n<h3><code>{}</code></h3>\n",
                esc(id),
                esc(name),
                esc(name)
            );
            let summary = self.type_summary(schema, 0);
            if get(schema, "$ref").is_some() {
                w!(out, "<p class=\"schema-type\">The same as {summary}.</p>\n");
            } else {
                w!(out, "<p class=\"schema-type\">Type: {summary}</p>\n");
            }
            if let Some(title) = get_str(schema, "title") {
                w!(out, "<p class=\"schema-title\">{}</p>\n", esc(title));
            }
            description(out, schema);
            self.inline_schema(out, schema, 0);
            out.push_str("</section>\n");
        }
        out.push_str("</section>\n");
    }
}

/// The facts of a schema other than its type: enum, default, constraints, flags, extensions.
fn facts(out: &mut String, s: &Value) {
    let mut list = Vec::new();
    if let Some(values) = get(s, "enum") {
        list.push(format!("Enum: {}", codes(items(Some(values)))));
    }
    if let Some(default) = get(s, "default") {
        list.push(format!("Default: <code>{}</code>", esc(&plain(default))));
    }
    if get_str(s, "format") == Some("password") {
        list.push(
            "<strong>Secret</strong> (<code>format: password</code>): keep it out of logs".into(),
        );
    }
    for key in [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    ] {
        if let Some(v) = get(s, key) {
            list.push(format!("<code>{key}: {}</code>", esc(&plain(v))));
        }
    }
    for (key, text) in [
        ("nullable", "Nullable"),
        ("readOnly", "Read-only: sent in responses only"),
        ("writeOnly", "Write-only: sent in requests only"),
        (
            "deprecated",
            "<span class=\"badge deprecated\">deprecated</span>",
        ),
    ] {
        if get_bool(s, key) {
            list.push(text.to_string());
        }
    }
    if let Some(docs) = get(s, "externalDocs") {
        list.push(format!("See {}", external_docs(docs)));
    }
    for (key, value) in extensions(s) {
        list.push(format!(
            "<code>{}: {}</code>",
            esc(&key),
            esc(&plain(value))
        ));
    }
    if !list.is_empty() {
        w!(
            out,
            "<ul class=\"facts\">{}</ul>\n",
            list.iter()
                .map(|f| format!("<li>{f}</li>"))
                .collect::<String>()
        );
    }
}

/// An example: a string as written, anything else pretty-printed as JSON.
fn example_block(out: &mut String, label: &str, value: Option<&Value>, text: Option<&str>) {
    w!(
        out,
        "<div class=\"example\"><p class=\"example-label\">{label}</p>\n"
    );
    if let Some(text) = text {
        w!(out, "<div class=\"description\">{}</div>\n", markdown(text));
    }
    if let Some(value) = value {
        let shown = match str_of(value) {
            Some(s) => s.to_string(),
            None => json(value, true),
        };
        w!(out, "<pre><code>{}</code></pre>\n", esc(&shown));
    }
    out.push_str("</div>\n");
}

/// `x-acs-rpc: {action, version, method, path}` as a sentence: what is actually sent.
fn wire(rpc: &Value) -> String {
    let method = get(rpc, "method").map(plain).unwrap_or_else(|| "?".into());
    let path = get(rpc, "path").map(plain).unwrap_or_else(|| "?".into());
    let mut html = format!("<code>{} {}</code>", esc(&method), esc(&path));
    let mut headers = Vec::new();
    for (key, header) in [("action", "x-acs-action"), ("version", "x-acs-version")] {
        if let Some(v) = get(rpc, key) {
            headers.push(format!("<code>{header}: {}</code>", esc(&plain(v))));
        }
    }
    if !headers.is_empty() {
        w!(html, " with {}", headers.join(", "));
    }
    for (key, value) in entries(Some(rpc)) {
        if !matches!(key.as_str(), "action" | "version" | "method" | "path") {
            w!(html, "; <code>{}: {}</code>", esc(&key), esc(&plain(value)));
        }
    }
    html
}

fn external_docs(docs: &Value) -> String {
    let url = get_str(docs, "url");
    let text = get_str(docs, "description")
        .or(url)
        .unwrap_or("documentation");
    match url {
        Some(url) => link(url, text),
        None => esc(text),
    }
}

/// Values as `<code>` items, comma separated.
fn codes(values: &[Value]) -> String {
    let names: Vec<String> = values.iter().map(plain).collect();
    codes_of(&names)
}

fn codes_of(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("<code>{}</code>", esc(n)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn op_link(op: &Operation) -> String {
    format!(
        "<a href=\"#{}\"><code>{}</code></a>",
        esc(&op.id),
        esc(&op.label())
    )
}

// ---------------------------------------------------------------------------------------------
// The index page.

/// The index page linking every family's page and downloads.
pub fn index_page(entries_list: &[IndexEntry]) -> String {
    let mut out = String::new();
    head(&mut out, "API reference");
    out.push_str(
        "<header class=\"page-header\">\n<h1>API reference</h1>\n<p class=\"subtitle\">One page per \
         OpenAPI document, with its JSON and YAML bundles.</p>\n</header>\n<main>\n<ul class=\"families\">\n",
    );
    for entry in entries_list {
        let doc = entry.bundle;
        let info = get(doc, "info").unwrap_or(&Value::Null);
        let title = get_str(info, "title").unwrap_or("Untitled API");
        let version = get(info, "version")
            .map(plain)
            .unwrap_or_else(|| "unknown".into());
        let mut ids = Ids::default();
        let count = collect_entries(doc, &mut ids)
            .iter()
            .filter(|e| matches!(e, Entry::Operation(_)))
            .count();
        let schemes: Vec<String> =
            entries(get(doc, "components").and_then(|c| get(c, "securitySchemes")))
                .into_iter()
                .map(|(name, scheme)| match get(scheme, "type") {
                    Some(kind) => format!("{name} ({})", plain(kind)),
                    None => name,
                })
                .collect();
        let (document, commit) = stamps(info);
        w!(
            out,
            "<li class=\"family\" data-document=\"{}\">\n<h2><a href=\"{}\">{}</a></h2>\n",
            esc(entry.yaml_file),
            esc(entry.page_file),
            esc(title)
        );
        // Only the first paragraph: the index is for choosing, the page is for reading.
        if let Some(text) = get_str(info, "description") {
            let first = text.trim().split("\n\n").next().unwrap_or_default();
            if !first.is_empty() {
                w!(
                    out,
                    "<div class=\"description\">{}</div>\n",
                    markdown(first)
                );
            }
        }
        w!(
            out,
            "<dl class=\"info\">\n<dt>Version</dt><dd><code>{}</code></dd>\n\
             <dt>Operations</dt><dd class=\"operation-count\">{count}</dd>\n\
             <dt>Authentication</dt><dd>{}</dd>\n\
             <dt>Download</dt><dd><a class=\"download\" href=\"{}\" type=\"application/json\">JSON bundle</a> · \
             <a class=\"download\" href=\"{}\" type=\"application/yaml\">YAML bundle</a></dd>\n\
             <dt>Source document</dt><dd><code class=\"source-document\">{}</code></dd>\n\
             <dt>Source commit</dt><dd><code class=\"source-commit\">{}</code></dd>\n</dl>\n</li>\n",
            esc(&version),
            if schemes.is_empty() {
                "none".to_string()
            } else {
                codes_of(&schemes)
            },
            esc(entry.json_file),
            esc(entry.yaml_file),
            esc(&document),
            esc(&commit)
        );
    }
    if entries_list.is_empty() {
        out.push_str("<li>No documents were published.</li>\n");
    }
    out.push_str(
        "</ul>\n</main>\n<footer class=\"page-footer\">\n<p>Generated by <code>cargo xtask publish</code>.</p>\n\
         </footer>\n</body>\n</html>\n",
    );
    out
}
