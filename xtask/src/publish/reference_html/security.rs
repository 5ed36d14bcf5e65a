//! How a family authenticates: each security scheme, its flows, and what each operation needs.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::entries::*;
use super::html::*;
use super::operations::op_link;
use super::values::*;
use super::*;

impl Renderer<'_> {
    pub(super) fn authentication(
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

    pub(super) fn flows(&self, out: &mut String, flows: &Value) {
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
    pub(super) fn requirements(&self, reqs: &Value) -> String {
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
}
