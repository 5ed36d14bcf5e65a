//! The document as a whole: `openapi`, `info`, `servers`, `tags`, the document-wide
//! `security`, path items, and the components that no operation led to.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::differ::*;
use super::security::{render_requirements, requirements};
use super::Kind;
use crate::document::escape_token;

impl<'a> Differ<'a> {
    // --- the document ---

    pub(super) fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
            self.walk("document", "", "", Some(old), Some(new));
            return;
        };
        self.walk("openapi", "", "", o.get("openapi"), n.get("openapi"));
        self.walk("info", "", "", o.get("info"), n.get("info"));
        self.servers("servers", o.get("servers"), n.get("servers"));
        self.scoped(Kind::Tag, |d| {
            d.keyed_list("tags", "tag", "name", o.get("tags"), n.get("tags"))
        });
        self.walk(
            "externalDocs",
            "",
            "",
            o.get("externalDocs"),
            n.get("externalDocs"),
        );
        let (os, ns) = (o.get("security"), n.get("security"));
        if os != ns {
            // Each operation that inherits it says how it is affected; this is the cause.
            let outer = std::mem::replace(&mut self.kind, Kind::Security);
            self.non_breaking(
                "security",
                format!(
                    "document-wide security changed from {} to {}; operations that inherit it are listed on their own",
                    render_requirements(&requirements(os)),
                    render_requirements(&requirements(ns))
                ),
            );
            self.kind = outer;
        }
        // The document's `x-acs-rpc` is compared in each operation, over which it holds.
        const HANDLED: [&str; 9] = [
            crate::extensions::RPC,
            "openapi",
            "info",
            "servers",
            "tags",
            "externalDocs",
            "security",
            "paths",
            "components",
        ];
        self.walk_rest("document", "", o, n, &HANDLED);
        self.scoped(Kind::Operation, Self::operations);
        self.scoped(Kind::PathItem, Self::path_items);
        self.scoped(Kind::Component, Self::components);
    }

    /// A list of objects named by `key` (servers by `url`, tags by `name`), compared by that name.
    pub(super) fn keyed_list(
        &mut self,
        location: &str,
        noun: &str,
        key: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        if old == new {
            return;
        }
        let entries = |value: Option<&'a Value>| -> Option<Vec<(&'a str, &'a Value)>> {
            let list = match value {
                None => return Some(Vec::new()),
                Some(value) => value.as_array()?,
            };
            let entries: Vec<(&str, &Value)> = list
                .iter()
                .map(|e| Some((e.get(key)?.as_str()?, e)))
                .collect::<Option<_>>()?;
            let names: HashSet<&str> = entries.iter().map(|(name, _)| *name).collect();
            (names.len() == entries.len()).then_some(entries)
        };
        let (Some(o), Some(n)) = (entries(old), entries(new)) else {
            self.walk(location, "", "", old, new);
            return;
        };
        let find = |list: &[(&str, &'a Value)], name: &str| {
            list.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
        };
        for (name, entry) in &o {
            match find(&n, name) {
                None => self.non_breaking(location, format!("{noun} `{name}` removed")),
                Some(new_entry) => {
                    let prefix = format!("{noun} `{name}`");
                    self.walk(location, &prefix, "", Some(entry), Some(new_entry));
                }
            }
        }
        for (name, _) in &n {
            if find(&o, name).is_none() {
                self.non_breaking(location, format!("{noun} `{name}` added"));
            }
        }
        let common_old: Vec<&str> = o
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| find(&n, k).is_some())
            .collect();
        let common_new: Vec<&str> = n
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| find(&o, k).is_some())
            .collect();
        if common_old != common_new {
            self.non_breaking(location, format!("{noun}s reordered"));
        }
    }

    // --- path items and components ---

    /// What a path item says besides its operations: summary, description, servers, x-..., and
    /// the parameters of a path that has no operation to carry them.
    pub(super) fn path_items(&mut self) {
        let empty = Map::new();
        let (old, new) = (self.old, self.new);
        let paths = |doc: &'a Value| doc.get("paths").and_then(Value::as_object);
        let (op, np) = (paths(old), paths(new));
        if let (Some(o), Some(n)) = (old.get("paths"), new.get("paths")) {
            if op.is_none() || np.is_none() {
                self.walk("paths", "", "", Some(o), Some(n));
                return;
            }
        }
        for path in union(keys(op), keys(np)) {
            let location = format!("path {path}");
            self.locate(&location, format!("/paths/{}", escape_token(path)));
            let (o_raw, n_raw) = (op.and_then(|m| m.get(path)), np.and_then(|m| m.get(path)));
            let item = |doc: &'a Value, raw: Option<&'a Value>| match raw.map(|r| resolve(doc, r)) {
                Some(Resolved::Found(v)) => v.as_object(),
                _ => None,
            };
            let (o, n) = (item(old, o_raw), item(new, n_raw));
            let has_operations = |m: Option<&Map<String, Value>>| {
                m.is_some_and(|m| METHODS.iter().any(|(method, _)| m.contains_key(*method)))
            };
            if o.is_none() || n.is_none() {
                // Added or removed: the operations say so, unless there are none (or it is no mapping).
                if o_raw != n_raw && !has_operations(o) && !has_operations(n) {
                    self.walk(&location, "", "", o_raw, n_raw);
                }
                continue;
            }
            if let (Some(o_raw), Some(n_raw)) = (o_raw, n_raw) {
                self.ref_note(&location, "", o_raw, n_raw);
            }
            let (o, n) = (o.unwrap_or(&empty), n.unwrap_or(&empty));
            let carried = has_operations(Some(o)) || has_operations(Some(n));
            for key in union(o.keys(), n.keys()) {
                let is_method = METHODS.iter().any(|(method, _)| *method == key);
                if is_method || (key == "parameters" && carried) {
                    continue;
                }
                if key == "servers" {
                    self.servers(&location, o.get(key), n.get(key));
                    continue;
                }
                let pointer = format!("/{}", escape_token(key));
                self.walk(&location, "", &pointer, o.get(key), n.get(key));
            }
        }
    }

    pub(super) fn components(&mut self) {
        let (old, new) = (self.old.get("components"), self.new.get("components"));
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk("components", "", "", old, new);
            return;
        }
        for section in union(keys(o), keys(n)) {
            let (old_section, new_section) = (
                o.and_then(|m| m.get(section)),
                n.and_then(|m| m.get(section)),
            );
            let (os, ns) = (
                old_section.and_then(Value::as_object),
                new_section.and_then(Value::as_object),
            );
            if (old_section.is_some() && os.is_none()) || (new_section.is_some() && ns.is_none()) {
                self.walk(
                    "components",
                    "",
                    &format!("/{}", escape_token(section)),
                    old_section,
                    new_section,
                );
                continue;
            }
            for name in union(keys(os), keys(ns)) {
                let location = format!("components.{section}.{name}");
                let pointer = format!(
                    "/components/{}/{}",
                    escape_token(section),
                    escape_token(name)
                );
                self.locate(&location, pointer);
                let (ov, nv) = (os.and_then(|m| m.get(name)), ns.and_then(|m| m.get(name)));
                match section {
                    "schemas" => self.scoped(Kind::Schema, |d| {
                        d.component_schema(&location, name, ov, nv)
                    }),
                    "securitySchemes" => self.scoped(Kind::Security, |d| {
                        d.security_scheme(&location, name, ov, nv)
                    }),
                    // A shared parameter, answer or body that replaces (or is replaced by) the same
                    // text written in the operations is no change: the operations compared it.
                    _ => match (ov, nv) {
                        (Some(ov), None) if !self.covered.iter().any(|(o, _)| *o == addr(ov)) => self.non_breaking(
                            &location,
                            "component removed (the operations that used it are listed on their own)".to_string(),
                        ),
                        (None, Some(nv)) if !self.covered.iter().any(|(_, n)| *n == addr(nv)) => {
                            self.non_breaking(&location, "component added".to_string())
                        }
                        (Some(_), None) | (None, Some(_)) => {}
                        (Some(ov), Some(nv)) => {
                            if !self.was_covered(ov, nv) {
                                self.walk(&location, "", "", Some(ov), Some(nv));
                            }
                        }
                        (None, None) => {}
                    },
                }
            }
        }
    }

    /// Whether an operation led to this pair of component entries, so its differences are
    /// reported there already.
    pub(super) fn was_covered(&self, old: &'a Value, new: &'a Value) -> bool {
        if ref_of(old) != ref_of(new) {
            return false;
        }
        match (resolve(self.old, old), resolve(self.new, new)) {
            (Resolved::Found(o), Resolved::Found(n)) => self.covered.contains(&(addr(o), addr(n))),
            _ => false,
        }
    }

    pub(super) fn component_schema(
        &mut self,
        location: &str,
        name: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        match (old, new) {
            (Some(_), None) => self.breaking(
                location,
                format!(
                    "component schema `{name}` removed: the workspace generates a Rust type for every component schema, so code that names it breaks even if no operation uses it"
                ),
            ),
            (None, Some(_)) => self.non_breaking(location, format!("component schema `{name}` added")),
            (Some(o), Some(n)) => {
                if !self.was_covered(o, n) {
                    let site = Site {
                        location,
                        side: Side::Component,
                        root: "schema".to_string(),
                        field: "field".to_string(),
                    };
                    self.schema(&site, "", o, n, 0);
                }
            }
            (None, None) => {}
        }
    }
}
