//! Schemas: a type in one line, inline schemas, properties, the component schemas, and the facts
//! (format, pattern, bounds...) of each.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::html::*;
use super::operations::external_docs;
use super::values::*;
use super::*;

impl Renderer<'_> {
    /// The "type" column: a link for a component, `array of ...`, or the type with its format.
    pub(super) fn type_summary(&self, schema: &Value, depth: usize) -> String {
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
    pub(super) fn schema_link(&self, reference: &str) -> String {
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
    pub(super) fn inline_schema(&self, out: &mut String, schema: &Value, depth: usize) {
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
    pub(super) fn nested(&self, out: &mut String, label: &str, schema: &Value, depth: usize) {
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

    pub(super) fn properties(
        &self,
        out: &mut String,
        schema: &Value,
        properties: &Value,
        depth: usize,
    ) {
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

    pub(super) fn schemas(&self, out: &mut String, schemas: &[(String, &Value, String)]) {
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
pub(super) fn facts(out: &mut String, s: &Value) {
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
