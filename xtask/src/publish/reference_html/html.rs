//! HTML out of document text: escaping, JSON, Markdown, links, element ids.

use std::collections::HashSet;
use std::fmt::Write as _;

use serde_yaml::Value;

use super::values::*;

/// Escapes text for HTML content and attribute values alike.
pub(super) fn esc(text: &str) -> String {
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
pub(super) fn json(value: &Value, pretty: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, value, pretty, 0);
    out
}

pub(super) fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.escape_default()))
}

pub(super) fn write_json(out: &mut String, value: &Value, pretty: bool, indent: usize) {
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
pub(super) fn plain(value: &Value) -> String {
    match str_of(value) {
        Some(s) => s.to_string(),
        None => json(value, false),
    }
}

/// Only these link targets survive: a document must not be able to plant `javascript:` or
/// `data:` URLs, and nothing on the page should point at the file system.
pub(super) fn allowed_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "#"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
}

/// `<a href>` for an allowed URL, the escaped text otherwise.
pub(super) fn link(url: &str, text: &str) -> String {
    if allowed_url(url) {
        format!("<a href=\"{}\">{}</a>", esc(url.trim()), esc(text))
    } else {
        esc(text)
    }
}

/// CommonMark to HTML, defused: raw HTML becomes text, disallowed links and every image become
/// their text (an image would load a resource; an allowed image URL becomes a plain link).
pub(super) fn markdown(text: &str) -> String {
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
pub(super) fn description(out: &mut String, value: &Value) {
    if let Some(text) = get_str(value, "description") {
        if !text.trim().is_empty() {
            w!(out, "<div class=\"description\">{}</div>\n", markdown(text));
        }
    }
}

pub(super) fn unresolved(reference: &str) -> String {
    format!(
        "<span class=\"problem\">unresolved reference <code>{}</code></span>",
        esc(reference)
    )
}

/// A paragraph saying what is wrong with the document; `backticked` parts are set as code.
pub(super) fn problem(text: &str) -> String {
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

pub(super) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// An id fragment: HTML ids may not contain whitespace, and fragments are friendlier without
/// punctuation; the usual identifier characters are kept so `#op-CreateToken` stays readable.
pub(super) fn id_part(text: &str) -> String {
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
pub(super) struct Ids(HashSet<String>);

impl Ids {
    pub(super) fn claim(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|candidate| self.0.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

/// Values as `<code>` items, comma separated.
pub(super) fn codes(values: &[Value]) -> String {
    let names: Vec<String> = values.iter().map(plain).collect();
    codes_of(&names)
}

pub(super) fn codes_of(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("<code>{}</code>", esc(n)))
        .collect::<Vec<_>>()
        .join(", ")
}
