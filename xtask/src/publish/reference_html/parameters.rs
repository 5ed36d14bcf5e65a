//! The parameters of an operation, as a table.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::entries::*;
use super::html::*;
use super::values::*;
use super::*;

impl Renderer<'_> {
    /// The path item's parameters, unless the operation overrides them, then the operation's.
    pub(super) fn parameters(&self, out: &mut String, op: &Operation) {
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
}
