//! One operation: what is sent (for RPC, `POST /` with `x-acs-action`), its summary and links.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::entries::*;
use super::html::*;
use super::values::*;
use super::*;

impl Renderer<'_> {
    pub(super) fn operation(&self, out: &mut String, op: &Operation) {
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
        let sentence = get_str(value, "operationId").and_then(|id| self.wire.get(id));
        if let Some(sentence) = sentence {
            w!(
                out,
                "<dt>On the wire</dt><dd class=\"wire\">{}</dd>\n",
                with_code(sentence)
            );
        }
        for (key, ext) in extensions(value) {
            if key == crate::extensions::RPC && sentence.is_some() {
                // Said above, with the rest of what is sent.
            } else if key == crate::extensions::RPC && is_mapping(ext) {
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
}

/// `x-acs-rpc: {action, version, method, path}` as a sentence: what is actually sent.
pub(super) fn wire(rpc: &Value) -> String {
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

pub(super) fn external_docs(docs: &Value) -> String {
    let url = get_str(docs, "url");
    let text = get_str(docs, "description")
        .or(url)
        .unwrap_or("documentation");
    match url {
        Some(url) => link(url, text),
        None => esc(text),
    }
}

pub(super) fn op_link(op: &Operation) -> String {
    format!(
        "<a href=\"#{}\"><code>{}</code></a>",
        esc(&op.id),
        esc(&op.label())
    )
}

/// Text whose `backticked` parts are code, as HTML.
fn with_code(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}
