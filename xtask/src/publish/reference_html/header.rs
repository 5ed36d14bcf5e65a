//! The top of a family page: title, description, servers, and the table of contents.

use std::fmt::Write as _;

use serde_yaml::Value;

use super::entries::*;
use super::html::*;
use super::operations::external_docs;
use super::values::*;
use super::*;

impl Renderer<'_> {
    pub(super) fn header(
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

    pub(super) fn servers(&self, out: &mut String, servers: &Value) {
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
    pub(super) fn contents(
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
}
