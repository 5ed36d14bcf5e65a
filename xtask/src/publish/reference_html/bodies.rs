//! Request bodies, responses, media types and examples.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::html::*;
use super::values::*;
use super::*;

impl Renderer<'_> {
    pub(super) fn request_body(&self, out: &mut String, body: &Value) {
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

    pub(super) fn response(&self, out: &mut String, status: &str, response: &Value) {
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

    pub(super) fn media_types(&self, out: &mut String, content: &Value) {
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
    pub(super) fn examples(&self, out: &mut String, holder: &Value) {
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
}

/// An example: a string as written, anything else pretty-printed as JSON.
pub(super) fn example_block(
    out: &mut String,
    label: &str,
    value: Option<&Value>,
    text: Option<&str>,
) {
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
