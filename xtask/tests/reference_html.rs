//! The offline HTML reference of `cargo xtask publish`: each real document's page shows what a
//! reader relies on (every operation, parameter, response, schema, security scheme and example),
//! loads nothing but the local stylesheet, escapes what the document says, has unique ids and
//! balanced tags, and survives malformed documents. Expectations are derived from the documents.

use std::collections::HashSet;
use std::path::Path;

use serde_yaml::Value;
use xtask::publish::reference_html::*;

const DOCUMENTS: [&str; 3] = [
    "openapi/eiam-2021-12-01/",
    "openapi/eiam-developerapi-2022-02-25.yaml",
    "openapi/identitystore-v1/",
];

const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567-dirty";

/// A real document with the stamps publish adds to `info`.
fn load(document: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // The document bundled from its files, as publish bundles it.
    let family = xtask::families::FAMILIES
        .into_iter()
        .find(|f| f.directory() == file_stem_path(document))
        .unwrap();
    let mut doc: Value = xtask::document::Document::load(root, family)
        .unwrap()
        .bundle;
    let info = doc.get_mut("info").unwrap().as_mapping_mut().unwrap();
    info.insert("x-source-commit".into(), COMMIT.into());
    info.insert("x-source-document".into(), document.into());
    doc
}

/// Each real document, stamped, and its page, made once for all the tests that only read them:
/// loading and rendering the documents again was most of what each of those tests did.
fn real(document: &str) -> (&'static Value, &'static str) {
    static PAGES: std::sync::OnceLock<Vec<(Value, String)>> = std::sync::OnceLock::new();
    let pages = PAGES.get_or_init(|| {
        DOCUMENTS
            .iter()
            .map(|document| {
                let doc = load(document);
                let html = render(&doc);
                (doc, html)
            })
            .collect()
    });
    let (doc, html) = &pages[DOCUMENTS.iter().position(|d| *d == document).unwrap()];
    (doc, html)
}

fn file_stem_path(document: &str) -> &str {
    document.trim_end_matches(".yaml").trim_end_matches('/')
}

fn file_stem(document: &str) -> &str {
    file_stem_path(document).trim_start_matches("openapi/")
}

fn render(doc: &Value) -> String {
    family_page(&FamilyPage {
        bundle: doc,
        json_file: "family.json",
        yaml_file: "family.yaml",
        wire: &std::collections::HashMap::new(),
    })
}

fn parse(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap()
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The operations of a document in document order: (operationId, operation).
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut found = Vec::new();
    for (_, item) in doc["paths"].as_mapping().unwrap() {
        for (method, op) in item.as_mapping().unwrap() {
            if methods.contains(&method.as_str().unwrap()) {
                found.push((op["operationId"].as_str().unwrap().to_string(), op));
            }
        }
    }
    found
}

/// Follows a local `$ref`.
fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let mut current = doc;
            for segment in reference.trim_start_matches("#/").split('/') {
                current = &current[segment];
            }
            current
        }
        None => value,
    }
}

/// The element whose start tag contains `marker`, up to its matching end tag.
fn element<'a>(html: &'a str, marker: &str) -> &'a str {
    let found = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} is missing"));
    let start = if marker.starts_with('<') {
        found
    } else {
        html[..found].rfind('<').unwrap()
    };
    let name: String = html[start + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0;
    let mut at = start;
    loop {
        let rest = &html[at..];
        let next_close = rest.find(&close).expect("an unclosed element");
        let next_open = rest
            .find(&open)
            .filter(|&o| o < next_close && rest[o + open.len()..].starts_with([' ', '>']));
        match next_open {
            Some(o) => {
                depth += 1;
                at += o + open.len();
            }
            None => {
                depth -= 1;
                at += next_close + close.len();
                if depth == 0 {
                    return &html[start..at];
                }
            }
        }
    }
}

fn operation_section<'a>(html: &'a str, operation_id: &str) -> &'a str {
    element(
        html,
        &format!("data-operation-id=\"{}\" data-method", esc(operation_id)),
    )
}

/// The start tags of a page: (name, attributes), attributes as (name, value).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        // Attribute values are escaped, so the first `>` ends the tag.
        let end = rest.find('>').expect("an unterminated tag");
        let tag = &rest[..end];
        rest = &rest[end..];
        let name_end = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_end].to_ascii_lowercase();
        let mut attributes = Vec::new();
        let mut chars = tag[name_end..].chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace() || *c == '/') {
                chars.next();
            }
            let mut attr = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '=' {
                    break;
                }
                attr.push(c);
                chars.next();
            }
            if attr.is_empty() {
                break;
            }
            let mut value = String::new();
            if chars.peek() == Some(&'=') {
                chars.next();
                let quote = chars.next().expect("a value after =");
                assert!(quote == '"', "unquoted attribute value in <{tag}>");
                for c in chars.by_ref() {
                    if c == quote {
                        break;
                    }
                    value.push(c);
                }
            }
            attributes.push((attr.to_ascii_lowercase(), value));
        }
        found.push((name, attributes));
    }
    found
}

fn attribute_values<'a>(tags: &'a [(String, Vec<(String, String)>)], attr: &str) -> Vec<&'a str> {
    tags.iter()
        .flat_map(|(_, attributes)| attributes.iter())
        .filter(|(name, _)| name == attr)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// Every non-void element is closed, in order.
fn assert_balanced(html: &str) {
    let void = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        rest = &rest[end..];
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack.pop();
            assert_eq!(
                open.as_deref(),
                Some(closing),
                "</{closing}> closes <{open:?}>"
            );
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap()
                .to_ascii_lowercase();
            if !void.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// The page is offline and inert: no script, no event handler, no remote resource, only the
/// local stylesheet; unique ids; every in-page link lands; balanced tags.
fn assert_sound_page(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(
        html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    );
    assert!(html.contains("<title>") && html.contains("</title>"));
    assert!(html.ends_with("</html>\n"));
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(!html.contains("src=\"http"));
    assert_balanced(html);

    let tags = tags(html);
    let names: Vec<&str> = tags.iter().map(|(name, _)| name.as_str()).collect();
    for forbidden in [
        "script", "img", "iframe", "object", "embed", "style", "base", "form",
    ] {
        assert!(!names.contains(&forbidden), "<{forbidden}> on the page");
    }
    for (name, attributes) in &tags {
        for (attr, value) in attributes {
            assert!(!attr.starts_with("on"), "<{name} {attr}>: an event handler");
            assert!(attr != "src" && attr != "style", "<{name} {attr}>");
            if attr == "href" {
                let lower = value.to_ascii_lowercase();
                assert!(
                    !lower.starts_with("javascript:") && !lower.starts_with("data:"),
                    "<{name} href=\"{value}\">"
                );
            }
        }
    }
    let links: Vec<&Vec<(String, String)>> = tags
        .iter()
        .filter(|(name, _)| name == "link")
        .map(|(_, a)| a)
        .collect();
    assert_eq!(links.len(), 1, "exactly one <link>");
    assert_eq!(
        links[0],
        &vec![
            ("rel".to_string(), "stylesheet".to_string()),
            ("href".to_string(), "assets/reference.css".to_string()),
        ]
    );

    let ids = attribute_values(&tags, "id");
    let mut seen = HashSet::new();
    for id in &ids {
        assert!(
            !id.is_empty() && !id.contains(char::is_whitespace),
            "bad id {id:?}"
        );
        assert!(seen.insert(*id), "duplicate id {id:?}");
    }
    for href in attribute_values(&tags, "href") {
        if let Some(fragment) = href.strip_prefix('#') {
            assert!(
                seen.contains(fragment),
                "href=\"#{fragment}\" lands nowhere"
            );
        }
    }
}

#[test]
fn stylesheet_is_local_and_self_contained() {
    assert_eq!(STYLESHEET_FILE, "assets/reference.css");
    assert!(!STYLESHEET.contains("@import"));
    assert!(!STYLESHEET.contains("url("));
    assert!(STYLESHEET.lines().count() < 200);
    for method in ["get", "post", "put", "delete", "patch"] {
        assert!(STYLESHEET.contains(&format!(".method-{method}")));
    }
    assert!(STYLESHEET.contains("@media print"));
}

#[test]
fn real_pages_are_sound() {
    for document in DOCUMENTS {
        let (_, html) = real(document);
        assert_sound_page(html);
    }
}

#[test]
fn every_operation_has_its_section_in_document_order() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let ops = operations(doc);
        assert!(!ops.is_empty());
        assert_eq!(
            html.matches("<section class=\"operation\"").count(),
            ops.len(),
            "{document}"
        );
        // Only the sections carry `data-operation-id`: a query for it finds each operation once.
        assert_eq!(html.matches("data-operation-id=").count(), ops.len());
        let mut last = 0;
        for (operation_id, op) in &ops {
            let marker = format!("id=\"op-{operation_id}\" data-operation-id=\"{operation_id}\"");
            let position = html
                .find(&marker)
                .unwrap_or_else(|| panic!("{document}: no section for {operation_id}"));
            assert!(position > last, "{document}: {operation_id} out of order");
            last = position;

            let section = operation_section(html, operation_id);
            let h3 = &section[section.find("<h3>").unwrap()..section.find("</h3>").unwrap()];
            assert!(
                h3.contains(&format!("<code>{operation_id}</code>")),
                "{document}: {h3}"
            );
            if let Some(summary) = op["summary"].as_str() {
                assert!(section.contains(&esc(summary)), "{operation_id}: summary");
            }
            for (status, response) in op["responses"].as_mapping().unwrap() {
                let status = status.as_str().unwrap();
                assert!(
                    section.contains(&format!("data-status=\"{status}\"")),
                    "{operation_id}: response {status}"
                );
                if let Some(reference) = response["$ref"].as_str() {
                    let component = reference.rsplit('/').next().unwrap();
                    assert!(section.contains(&format!("<code>{component}</code>")));
                }
                let response = deref(doc, response);
                for (media_type, _) in response["content"].as_mapping().into_iter().flatten() {
                    let media_type = media_type.as_str().unwrap();
                    assert!(section.contains(&format!("data-media-type=\"{media_type}\"")));
                }
            }
            if op.get("requestBody").is_some() {
                assert!(section.contains("<h4>Request body</h4>"), "{operation_id}");
            }
            if let Some(rpc) = op.get("x-acs-rpc") {
                let action = rpc["action"].as_str().unwrap();
                let version = rpc["version"].as_str().unwrap();
                assert!(section.contains("On the wire"), "{operation_id}");
                assert!(section.contains(&format!("<code>x-acs-action: {action}</code>")));
                assert!(section.contains(&format!("<code>x-acs-version: {version}</code>")));
            }
            for (key, _) in op.as_mapping().unwrap() {
                let key = key.as_str().unwrap();
                if key.starts_with("x-") && key != "x-acs-rpc" && key != "x-modelling-note" {
                    assert!(
                        section.contains(&format!("<code>{key}</code>")),
                        "{operation_id}: {key}"
                    );
                }
            }
        }
    }
}

#[test]
fn maintainers_notes_stay_out_of_the_reference() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let notes = serde_yaml::to_string(doc)
            .unwrap()
            .matches("x-modelling-note")
            .count();
        assert!(notes > 0, "{document} has no x-modelling-note to leave out");
        assert!(!html.contains("x-modelling-note"), "{document}");
    }
}

#[test]
fn every_parameter_appears_in_its_operation() {
    let mut count = 0;
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        for (operation_id, op) in operations(doc) {
            let section = operation_section(html, &operation_id);
            for parameter in op["parameters"].as_sequence().into_iter().flatten() {
                let parameter = deref(doc, parameter);
                let name = parameter["name"].as_str().unwrap();
                let location = parameter["in"].as_str().unwrap();
                assert!(
                    section.contains(&format!(
                        "<tr data-parameter=\"{}\" data-in=\"{location}\"><td><code>{}</code>",
                        esc(name),
                        esc(name)
                    )),
                    "{document}: {operation_id} lacks parameter {name}"
                );
                let required = if parameter["required"].as_bool() == Some(true) {
                    "yes"
                } else {
                    "no"
                };
                let row = element(section, &format!("data-parameter=\"{}\"", esc(name)));
                let row = &row[..row.find("</tr>").unwrap()];
                assert!(
                    row.contains(&format!("<td>{required}</td>")),
                    "{operation_id}: {name}"
                );
                if parameter["schema"]["format"].as_str() == Some("password") {
                    assert!(row.contains("secret"), "{operation_id}: {name} is a secret");
                }
                count += 1;
            }
        }
    }
    assert!(count > 0);
}

#[test]
fn every_schema_has_its_section() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let schemas = doc["components"]["schemas"].as_mapping().unwrap();
        assert_eq!(
            html.matches("<section class=\"schema\"").count(),
            schemas.len()
        );
        let toc = element(html, "<nav class=\"toc\"");
        for (name, schema) in schemas {
            let name = name.as_str().unwrap();
            let marker = format!("id=\"schema-{name}\" data-schema=\"{name}\"");
            assert!(html.contains(&marker), "{document}: schema {name}");
            assert!(
                toc.contains(&format!("href=\"#schema-{name}\"")),
                "{name} in contents"
            );
            let section = element(html, &marker);
            let required: Vec<&str> = schema["required"]
                .as_sequence()
                .into_iter()
                .flatten()
                .map(|v| v.as_str().unwrap())
                .collect();
            for (property, definition) in schema["properties"].as_mapping().into_iter().flatten() {
                let property = property.as_str().unwrap();
                let start = section
                    .find(&format!("<tr data-property=\"{property}\">"))
                    .unwrap_or_else(|| panic!("{name}.{property}"));
                let row = &section[start..];
                let row = &row[..row.find("</tr>").unwrap()];
                let yes_no = if required.contains(&property) {
                    "yes"
                } else {
                    "no"
                };
                assert!(
                    row.contains(&format!("<td>{yes_no}</td>")),
                    "{name}.{property}"
                );
                if let Some(reference) = definition["$ref"].as_str() {
                    let target = reference.rsplit('/').next().unwrap();
                    assert!(row.contains(&format!("<a href=\"#schema-{target}\">{target}</a>")));
                }
                if let Some(format) = definition["format"].as_str() {
                    assert!(row.contains(&format!("({format})")), "{name}.{property}");
                    if format == "password" {
                        assert!(row.contains("class=\"badge secret\""), "{name}.{property}");
                    }
                }
                if definition["type"].as_str() == Some("array") {
                    assert!(row.contains("array of "), "{name}.{property}");
                }
            }
        }
    }
}

#[test]
fn contents_groups_operations_by_first_tag_in_tag_order() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let toc = element(html, "<nav class=\"toc\"");
        let mut order: Vec<String> = doc["tags"]
            .as_sequence()
            .into_iter()
            .flatten()
            .map(|t| t["name"].as_str().unwrap().to_string())
            .collect();
        let ops = operations(doc);
        for (_, op) in &ops {
            let tag = op["tags"][0].as_str().unwrap().to_string();
            if !order.contains(&tag) {
                order.push(tag);
            }
        }
        let used: Vec<&String> = order
            .iter()
            .filter(|tag| {
                ops.iter()
                    .any(|(_, op)| op["tags"][0].as_str() == Some(tag.as_str()))
            })
            .collect();
        let positions: Vec<usize> = used
            .iter()
            .map(|tag| toc.find(&format!("data-tag=\"{tag}\"")).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{document}: tag order"
        );
        for (operation_id, op) in &ops {
            let link = toc
                .find(&format!(
                    "<a href=\"#op-{operation_id}\"><code>{operation_id}</code></a>"
                ))
                .unwrap_or_else(|| panic!("{operation_id} not in contents"));
            let tag = op["tags"][0].as_str().unwrap();
            let group = used.iter().position(|t| *t == tag).unwrap();
            assert!(link > positions[group]);
            assert!(
                positions.get(group + 1).is_none_or(|next| link < *next),
                "{operation_id} under {tag}"
            );
            if let Some(summary) = op["summary"].as_str() {
                assert!(toc[link..].starts_with(&format!(
                    "<a href=\"#op-{operation_id}\"><code>{operation_id}</code></a> — {}",
                    esc(summary)
                )));
            }
        }
    }
}

#[test]
fn authentication_names_every_scheme_and_who_needs_it() {
    let mut open_operations = 0;
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let auth = element(html, "<section id=\"authentication\">");
        let schemes = doc["components"]["securitySchemes"].as_mapping().unwrap();
        for (name, scheme) in schemes {
            let name = name.as_str().unwrap();
            assert!(
                auth.contains(&format!("data-scheme=\"{name}\"")),
                "{document}: {name}"
            );
            assert!(auth.contains(&format!("<code>{name}</code>")));
            for (key, value) in scheme.as_mapping().unwrap() {
                let key = key.as_str().unwrap();
                let extension = key.starts_with("x-") && key != "x-modelling-note";
                let shown =
                    ["type", "in", "name", "scheme", "bearerFormat"].contains(&key) || extension;
                if shown {
                    assert!(auth.contains(&esc(value.as_str().unwrap())), "{name}.{key}");
                }
                if extension {
                    assert!(
                        auth.contains(&format!("<code>{key}</code>")),
                        "{name}.{key}"
                    );
                }
            }
        }
        let default: Vec<&str> = doc["security"]
            .as_sequence()
            .into_iter()
            .flatten()
            .flat_map(|req| req.as_mapping().unwrap().keys())
            .map(|k| k.as_str().unwrap())
            .collect();
        for (operation_id, op) in operations(doc) {
            let section = operation_section(html, &operation_id);
            match op.get("security").and_then(Value::as_sequence) {
                Some(list) if list.is_empty() => {
                    open_operations += 1;
                    assert!(section.contains("No authentication"), "{operation_id}");
                    let listed = element(auth, "<div class=\"no-authentication\">");
                    let item = &listed[listed
                        .find(&format!(
                            "<li class=\"open-operation\" data-operation=\"{operation_id}\">"
                        ))
                        .unwrap_or_else(|| panic!("{operation_id} not listed as open"))..];
                    let item = &item[..item.find("</li>").unwrap()];
                    assert!(item.contains("no authentication"), "{item}");
                    for scheme in schemes.keys() {
                        let scheme = scheme.as_str().unwrap();
                        assert!(!section.contains(&format!("href=\"#auth-{scheme}\"")));
                    }
                }
                Some(list) => {
                    for req in list {
                        for scheme in req.as_mapping().unwrap().keys() {
                            let scheme = scheme.as_str().unwrap();
                            assert!(section.contains(&format!("href=\"#auth-{scheme}\"")));
                        }
                    }
                }
                None => {
                    for scheme in &default {
                        assert!(
                            section.contains(&format!("href=\"#auth-{scheme}\"")),
                            "{operation_id}: default {scheme}"
                        );
                        let users = element(auth, &format!("data-scheme=\"{scheme}\""));
                        assert!(
                            users.contains(&format!("href=\"#op-{operation_id}\"")),
                            "{scheme} is used by {operation_id}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        open_operations > 0,
        "some document has a `security: []` operation"
    );
}

/// The texts a page must show for an example value: each string (HTML-escaped; inside JSON,
/// as JSON escapes it), each number and each key.
fn example_texts(value: &Value, nested: bool, out: &mut Vec<String>) {
    match value {
        Value::String(s) if nested => {
            let quoted = serde_json::to_string(s).unwrap();
            out.push(esc(&quoted[1..quoted.len() - 1]));
        }
        Value::String(s) => out.push(esc(s)),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Sequence(items) => items.iter().for_each(|v| example_texts(v, true, out)),
        Value::Mapping(mapping) => {
            for (k, v) in mapping {
                out.push(esc(&format!("\"{}\":", k.as_str().unwrap())));
                example_texts(v, true, out);
            }
        }
        _ => {}
    }
}

/// Every `example` and `examples` value anywhere in the document.
fn collect_examples(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping {
                match key.as_str() {
                    Some("example") => example_texts(child, false, out),
                    Some("examples") => {
                        for (_, named) in child.as_mapping().into_iter().flatten() {
                            if let Some(v) = named.get("value") {
                                example_texts(v, false, out);
                            }
                        }
                    }
                    // Property names are not keywords: a property called `example` is not one.
                    Some("properties") => {
                        for (_, property) in child.as_mapping().into_iter().flatten() {
                            collect_examples(property, out);
                        }
                    }
                    _ => collect_examples(child, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| collect_examples(v, out)),
        _ => {}
    }
}

#[test]
fn every_example_value_is_shown() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        let mut texts = Vec::new();
        collect_examples(doc, &mut texts);
        assert!(texts.len() > 20, "{document}");
        // The same example (an instance ID) recurs in hundreds of operations: each is looked
        // for once in the page.
        texts.sort_unstable();
        texts.dedup();
        for text in texts {
            // memchr's search is compiled in memchr; `str::contains` would be instantiated here,
            // unoptimized, and go over megabytes of page thousands of times.
            assert!(
                memchr::memmem::find(html.as_bytes(), text.as_bytes()).is_some(),
                "{document}: example {text:?} is missing"
            );
        }
    }
}

#[test]
fn header_and_footer_carry_the_stamps_downloads_and_info() {
    for document in DOCUMENTS {
        let (doc, _) = real(document);
        let html = family_page(&FamilyPage {
            bundle: doc,
            json_file: "some-family.json",
            yaml_file: "some-family.yaml",
            wire: &std::collections::HashMap::new(),
        });
        let header = &html[..html.find("</header>").unwrap()];
        let footer = &html[html.find("<footer").unwrap()..];
        let info = &doc["info"];
        let title = esc(info["title"].as_str().unwrap());
        let version = esc(info["version"].as_str().unwrap());
        assert!(html.contains(&format!("<title>{title} {version} · API reference</title>")));
        assert!(header.contains(&format!("<h1>{title}</h1>")));
        assert!(header.contains(&format!("<code>{version}</code>")));
        assert!(header.contains("href=\"index.html\""));
        assert!(header.contains("href=\"some-family.json\""));
        assert!(header.contains("href=\"some-family.yaml\""));
        assert!(header.contains(&format!("<code class=\"source-commit\">{COMMIT}</code>")));
        assert!(header.contains(&format!(
            "<code class=\"source-document\">{document}</code>"
        )));
        for text in [COMMIT, document] {
            assert!(
                footer.contains(&format!("<code>{text}</code>")),
                "{text} in the footer"
            );
        }
        assert!(footer.contains("<code>cargo xtask publish</code>"));
        let license = &info["license"];
        assert!(header.contains(&format!(
            "<a href=\"{}\">{}</a>",
            license["url"].as_str().unwrap(),
            esc(license["name"].as_str().unwrap())
        )));
        assert!(header.contains(&esc(info["contact"]["name"].as_str().unwrap())));
        let docs = &doc["externalDocs"];
        assert!(header.contains(&format!(
            "<a href=\"{}\">{}</a>",
            docs["url"].as_str().unwrap(),
            esc(docs["description"].as_str().unwrap())
        )));
        for server in doc["servers"].as_sequence().unwrap() {
            assert!(header.contains(&esc(server["url"].as_str().unwrap())));
            for (name, variable) in server["variables"].as_mapping().unwrap() {
                assert!(header.contains(&format!("<code>{}</code>", name.as_str().unwrap())));
                for value in variable["enum"].as_sequence().unwrap() {
                    assert!(header.contains(&format!("<code>{}</code>", value.as_str().unwrap())));
                }
            }
        }
        // The description is Markdown: its first code span is rendered as code.
        let description = info["description"].as_str().unwrap();
        if let Some(start) = description.find('`') {
            let code = &description[start + 1..];
            let code = &code[..code.find('`').unwrap()];
            assert!(header.contains(&format!("<code>{}</code>", esc(code))));
        }
    }
}

#[test]
fn rendering_is_deterministic() {
    for document in DOCUMENTS {
        let (doc, html) = real(document);
        assert_eq!(render(doc), html);
        assert_eq!(render(&load(document)), html);
    }
    let docs: Vec<Value> = DOCUMENTS.iter().map(|d| load(d)).collect();
    let entries = index_entries(&docs, &["a.html", "b.html", "c.html"]);
    assert_eq!(index_page(&entries), index_page(&entries));
}

fn index_entries<'a>(docs: &'a [Value], pages: &'a [&'a str]) -> Vec<IndexEntry<'a>> {
    docs.iter()
        .zip(pages)
        .zip(DOCUMENTS)
        .map(|((doc, page), document)| IndexEntry {
            bundle: doc,
            page_file: page,
            json_file: document.trim_start_matches("openapi/"),
            yaml_file: document.trim_start_matches("openapi/"),
        })
        .collect()
}

#[test]
fn index_links_every_family_and_its_downloads() {
    let docs: Vec<Value> = DOCUMENTS.iter().map(|d| load(d)).collect();
    let names: Vec<(String, String, String)> = DOCUMENTS
        .iter()
        .map(|d| {
            let stem = file_stem(d);
            (
                format!("{stem}.html"),
                format!("{stem}.json"),
                format!("{stem}.yaml"),
            )
        })
        .collect();
    let entries: Vec<IndexEntry> = docs
        .iter()
        .zip(&names)
        .map(|(doc, (page, json, yaml))| IndexEntry {
            bundle: doc,
            page_file: page,
            json_file: json,
            yaml_file: yaml,
        })
        .collect();
    let html = index_page(&entries);
    assert_sound_page(&html);
    assert!(html.contains("<title>API reference</title>"));
    assert_eq!(
        html.matches("<li class=\"family\"").count(),
        DOCUMENTS.len()
    );
    for ((doc, (page, json, yaml)), document) in docs.iter().zip(&names).zip(DOCUMENTS) {
        let entry = element(
            &html,
            &format!("<li class=\"family\" data-document=\"{yaml}\">"),
        );
        let title = esc(doc["info"]["title"].as_str().unwrap());
        assert!(entry.contains(&format!("<a href=\"{page}\">{title}</a>")));
        assert!(entry.contains(&format!("href=\"{json}\"")));
        assert!(entry.contains(&format!("href=\"{yaml}\"")));
        assert!(entry.contains(&format!(
            "<code>{}</code>",
            esc(doc["info"]["version"].as_str().unwrap())
        )));
        assert!(entry.contains(&format!(
            "<dd class=\"operation-count\">{}</dd>",
            operations(doc).len()
        )));
        for scheme in doc["components"]["securitySchemes"]
            .as_mapping()
            .unwrap()
            .keys()
        {
            assert!(entry.contains(scheme.as_str().unwrap()));
        }
        assert!(entry.contains(&format!(
            "<code class=\"source-document\">{document}</code>"
        )));
        assert!(entry.contains(&format!("<code class=\"source-commit\">{COMMIT}</code>")));
    }
    assert_sound_page(&index_page(&[]));
}

const HOSTILE: &str = r##"
openapi: 3.0.3
info:
  title: "Hostile <i>title</i> \"quoted\" & 'single'"
  version: "1 <2>"
  description: |
    Before <script>alert(1)</script> after.

    <div onclick="alert(2)">block html</div>

    [a script link](javascript:alert(3)) and [a fine link](https://example.com/?a=1&b=2)
    and ![an image](https://example.com/track.png) and <img src="https://example.com/x.png">
    and [mail](mailto:someone@example.com) and [here](#schema-Thing) and [file](file:///etc/passwd)
paths:
  /things:
    get:
      operationId: ListThings
      summary: "List <b>bold</b> things"
      description: "<script>alert(4)</script>"
      parameters:
        - name: "q\"><script>"
          in: query
          schema: {type: string, example: "</code><script>alert(5)</script>"}
          example: "<script>alert(6)</script>"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                "<b>one</b>":
                  summary: "<i>first</i>"
                  value: {html: "<script>alert(7)</script>"}
components:
  schemas:
    Thing:
      type: object
      description: "'quote' \"double\""
      properties:
        "<em>name</em>": {type: string, enum: ["<a>", "b"]}
"##;

#[test]
fn everything_from_the_document_is_escaped() {
    let html = render(&parse(HOSTILE));
    assert_sound_page(&html);
    assert!(html.contains("Before &lt;script&gt;alert(1)&lt;/script&gt; after."));
    assert!(html.contains("&lt;div onclick=&quot;alert(2)&quot;&gt;block html&lt;/div&gt;"));
    assert!(html.contains("List &lt;b&gt;bold&lt;/b&gt; things"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<i>"));
    assert!(!html.contains("<em>"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("javascript:"));
    assert!(!html.contains("file:///"));
    assert!(html.contains(
        "<title>Hostile &lt;i&gt;title&lt;/i&gt; &quot;quoted&quot; &amp; &#39;single&#39; 1 &lt;2&gt; · API reference</title>"
    ));
    // Allowed links survive, escaped.
    assert!(html.contains("<a href=\"https://example.com/?a=1&amp;b=2\">a fine link</a>"));
    assert!(html.contains("<a href=\"mailto:someone@example.com\">mail</a>"));
    assert!(html.contains("<a href=\"#schema-Thing\">here</a>"));
    // Disallowed links keep their text.
    assert!(html.contains("a script link"));
    assert!(html.contains("and file"));
    // Attribute values cannot be broken out of.
    assert!(html.contains("data-parameter=\"q&quot;&gt;&lt;script&gt;\""));
    assert!(html.contains("&lt;/code&gt;&lt;script&gt;alert(5)&lt;/script&gt;"));
    assert!(html.contains("&lt;script&gt;alert(6)&lt;/script&gt;"));
    assert!(html.contains("Example <code>&lt;b&gt;one&lt;/b&gt;</code>: &lt;i&gt;first&lt;/i&gt;"));
    assert!(html.contains("&quot;&lt;script&gt;alert(7)&lt;/script&gt;&quot;"));
    assert!(html.contains("&#39;quote&#39;") || html.contains("'quote'"));
    assert!(html.contains("<code>&lt;a&gt;</code>"));
}

#[test]
fn malformed_documents_render_without_panicking() {
    let cases = [
        "",
        "42",
        "[1, 2]",
        "openapi: 3.0.3\ninfo: nope\npaths: [1, 2]\ncomponents: []",
        "info: {title: 7, version: [1]}\npaths: {/x: 3}\nsecurity: oops\ntags: {a: b}",
        "paths:\n  /x:\n    get: {responses: 'not a mapping', parameters: {a: 1}, tags: 5, security: [7]}",
        "paths:\n  /x:\n    get: {parameters: [7, {$ref: '#/nowhere'}, {$ref: 5}], requestBody: {$ref: '#/components/requestBodies/Gone'}}",
        "paths:\n  /x:\n    get:\n      responses:\n        200: {content: {application/json: {schema: {type: [string, null], format: 9}}}}\n        default: {$ref: '#/components/responses/Gone'}",
        "components:\n  securitySchemes: {a: 1, b: {type: oauth2, flows: {implicit: {authorizationUrl: 'javascript:x', scopes: {r: read}}}}, c: {type: openIdConnect, openIdConnectUrl: 'https://x'}}",
        "components:\n  schemas: {A: {$ref: '#/components/schemas/A'}, B: {allOf: [{$ref: '#/components/schemas/A'}, {type: object, properties: {x: {not: {}}}}]}, C: 5, D: {example: .nan, enum: [.inf, -.inf]}}",
        "components:\n  parameters: {P: {$ref: '#/components/parameters/Q'}, Q: {$ref: '#/components/parameters/P'}}\npaths:\n  /x:\n    get: {parameters: [{$ref: '#/components/parameters/P'}]}",
        "servers: [{url: 'https://x/{v}', variables: {v: {default: 1, enum: 'no'}}}, 5]\nexternalDocs: {url: 'javascript:alert(1)'}\ninfo: {license: {name: L, url: 'data:text/html,x'}, contact: {email: a@b}}",
        "paths:\n  /x:\n    get: {operationId: Same}\n    post: {operationId: Same}\n  /y:\n    get: {}\n    put: {}\n    x-other: {}",
        "paths:\n  /x:\n    get: {operationId: 'has space'}\ncomponents: {schemas: {'has space': {type: string}, 12: {type: integer}}}",
    ];
    for case in cases {
        let doc = parse(case);
        let html = render(&doc);
        assert_sound_page(&html);
        let _ = index_page(&[IndexEntry {
            bundle: &doc,
            page_file: "p.html",
            json_file: "p.json",
            yaml_file: "p.yaml",
        }]);
    }
    // Duplicate operationIds still get distinct ids.
    let html = render(&parse(cases[12]));
    assert!(html.contains("id=\"op-Same\"") && html.contains("id=\"op-Same-2\""));
    assert!(html.contains("id=\"op-get-_y\"") && html.contains("id=\"op-put-_y\""));
    // A key that YAML reads as a number is still a schema name.
    let html = render(&parse(cases[13]));
    assert!(html.contains("data-schema=\"12\""));
}

#[test]
fn a_bad_operation_does_not_hide_the_others() {
    let doc = parse(
        r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: First
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
  /b:
    post: "just a string"
    get:
      operationId: Second
      parameters:
        - {name: cursor, in: query, schema: {$ref: '#/components/schemas/Node'}}
      responses: {"200": {description: ok}}
  /c: "not a path item"
  /d:
    delete:
      operationId: Third
      responses:
        "204": {$ref: '#/components/responses/Nowhere'}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
"##,
    );
    let html = render(&doc);
    assert_sound_page(&html);
    for operation_id in ["First", "Second", "Third"] {
        assert!(html.contains(&format!("data-operation-id=\"{operation_id}\"")));
    }
    assert!(html.contains("unresolved reference <code>#/components/schemas/Missing</code>"));
    assert!(html.contains("unresolved reference <code>#/components/responses/Nowhere</code>"));
    assert!(html.contains("The operation <code>POST /b</code> is not a mapping"));
    assert!(html.contains("The path item <code>/c</code> is not a mapping."));
    // The self-referencing schema is shown once and links to itself.
    let node = element(&html, "data-schema=\"Node\"");
    assert!(node.contains("<a href=\"#schema-Node\">Node</a>"));
    assert!(node.contains("array of <a href=\"#schema-Node\">Node</a>"));
    assert_eq!(html.matches("data-schema=\"Node\"").count(), 1);

    // Deeply nested inline schemas are cut off, not a stack overflow.
    let mut schema = "{type: string}".to_string();
    for _ in 0..40 {
        schema = format!("{{type: object, properties: {{p: {schema}}}}}");
    }
    let html = render(&parse(&format!(
        "components: {{schemas: {{Deep: {schema}}}}}"
    )));
    assert_sound_page(&html);
    assert!(html.contains("Nested too deeply"));
}

/// As published, every operation of every family says what it sends on the wire and how it is
/// authenticated, in one sentence made from the document's extensions (`xtask::wire`).
#[test]
fn every_published_operation_says_what_goes_on_the_wire() {
    let root = xtask::workspace_root();
    for family in xtask::families::FAMILIES {
        let bundle = xtask::publish::bundle(&root, family, "0000000").unwrap();
        let html = family_page(&FamilyPage {
            bundle: &bundle.document,
            json_file: &bundle.json_file,
            yaml_file: &bundle.yaml_file,
            wire: &bundle.wire,
        });
        for (operation_id, _) in operations(&bundle.document) {
            let section = operation_section(&html, &operation_id);
            let wire = section
                .split("<dd class=\"wire\">")
                .nth(1)
                .unwrap_or_else(|| panic!("{operation_id}: no wire sentence"));
            let wire = &wire[..wire.find("</dd>").unwrap()];
            assert!(wire.starts_with("Sent as <code>"), "{operation_id}: {wire}");
            assert!(
                ["signed with", "Bearer", "without credentials", "unsigned"]
                    .iter()
                    .any(|how| wire.contains(how)),
                "{operation_id}: how it is authenticated: {wire}"
            );
        }
    }
}
