//! Servers, of the document, a path item or an operation: matched by URL. A server removed, or a
//! value of one of its variables (a region) removed, leaves the clients that use it without an
//! endpoint: breaking. Added ones are not.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::differ::*;
use super::Kind;
use crate::document::escape_token;

impl<'a> Differ<'a> {
    /// The `servers` lists of one place, each change recorded as of [`Kind::Server`].
    pub(super) fn servers<'v>(
        &mut self,
        location: &str,
        old: Option<&'v Value>,
        new: Option<&'v Value>,
    ) {
        self.scoped(Kind::Server, |d| d.server_list(location, old, new));
    }

    fn server_list<'v>(&mut self, location: &str, old: Option<&'v Value>, new: Option<&'v Value>) {
        if old == new {
            return;
        }
        // Absent is no servers; a list whose entries are not all objects with distinct URLs
        // cannot be matched, and is walked as plain values.
        let entries = |value: Option<&'v Value>| -> Option<Vec<(&'v str, &'v Value)>> {
            let list = match value {
                None => return Some(Vec::new()),
                Some(value) => value.as_array()?,
            };
            let entries: Vec<(&str, &Value)> = list
                .iter()
                .map(|e| Some((e.get("url")?.as_str()?, e)))
                .collect::<Option<_>>()?;
            let urls: HashSet<&str> = entries.iter().map(|(url, _)| *url).collect();
            (urls.len() == entries.len()).then_some(entries)
        };
        let (Some(o), Some(n)) = (entries(old), entries(new)) else {
            self.walk(location, "", "/servers", old, new);
            return;
        };
        let find = |list: &[(&str, &'v Value)], url: &str| {
            list.iter().find(|(u, _)| *u == url).map(|(_, v)| *v)
        };
        for (url, entry) in &o {
            match find(&n, url) {
                None => self.breaking(
                    location,
                    format!("server `{url}` removed (clients that call it lose their endpoint)"),
                ),
                Some(new_entry) => self.server(location, url, entry, new_entry),
            }
        }
        for (url, _) in &n {
            if find(&o, url).is_none() {
                self.non_breaking(location, format!("server `{url}` added"));
            }
        }
        let common = |list: &[(&'v str, &'v Value)], other: &[(&'v str, &'v Value)]| {
            list.iter()
                .map(|(u, _)| *u)
                .filter(|u| find(other, u).is_some())
                .collect::<Vec<_>>()
        };
        if common(&o, &n) != common(&n, &o) {
            self.non_breaking(location, "servers reordered".to_string());
        }
    }

    /// One server kept under the same URL: its variables, then everything else as plain values.
    fn server<'v>(&mut self, location: &str, url: &str, old: &'v Value, new: &'v Value) {
        let prefix = format!("server `{url}`");
        let (Some(om), Some(nm)) = (old.as_object(), new.as_object()) else {
            self.walk(location, &prefix, "", Some(old), Some(new));
            return;
        };
        let variables = |m: &'v Map<String, Value>| m.get("variables").and_then(Value::as_object);
        let (ov, nv) = (variables(om), variables(nm));
        let odd = |m: &Map<String, Value>, v: Option<&Map<String, Value>>| {
            m.contains_key("variables") && v.is_none()
        };
        if odd(om, ov) || odd(nm, nv) {
            self.walk(
                location,
                &prefix,
                "/variables",
                om.get("variables"),
                nm.get("variables"),
            );
        } else {
            for name in union(keys(ov), keys(nv)) {
                let (o, n) = (ov.and_then(|m| m.get(name)), nv.and_then(|m| m.get(name)));
                self.server_variable(location, &prefix, name, o, n);
            }
        }
        self.walk_rest(location, &prefix, om, nm, &["url", "variables"]);
    }

    /// A server variable: the values it may take (`enum`, the regions of a regional host) are
    /// what clients pick from, so one removed breaks them; its default and description do not.
    fn server_variable<'v>(
        &mut self,
        location: &str,
        prefix: &str,
        name: &str,
        old: Option<&'v Value>,
        new: Option<&'v Value>,
    ) {
        let pointer = format!("/variables/{}", escape_token(name));
        let (Some(om), Some(nm)) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        ) else {
            self.walk(location, prefix, &pointer, old, new);
            return;
        };
        let what = format!("{prefix}: variable `{name}`");
        let values = |m: &'v Map<String, Value>| m.get("enum").and_then(Value::as_array);
        match (values(om), values(nm)) {
            (Some(o), Some(n)) => {
                for value in o.iter().filter(|v| !n.contains(v)) {
                    self.breaking(
                        location,
                        format!(
                            "{what}: value {} removed (clients that use it lose their endpoint)",
                            enum_value(value)
                        ),
                    );
                }
                for value in n.iter().filter(|v| !o.contains(v)) {
                    self.non_breaking(
                        location,
                        format!("{what}: value {} added", enum_value(value)),
                    );
                }
                if o != n && o.iter().all(|v| n.contains(v)) && n.iter().all(|v| o.contains(v)) {
                    self.non_breaking(location, format!("{what}: values reordered"));
                }
            }
            (None, Some(_)) if !om.contains_key("enum") => self.breaking(
                location,
                format!(
                    "{what}: now only {} allowed (narrowed)",
                    render(nm.get("enum"))
                ),
            ),
            (Some(_), None) if !nm.contains_key("enum") => self.non_breaking(
                location,
                format!("{what}: any value allowed now (`enum` removed)"),
            ),
            _ => self.walk(
                location,
                prefix,
                &format!("{pointer}/enum"),
                om.get("enum"),
                nm.get("enum"),
            ),
        }
        for key in union(om.keys(), nm.keys()) {
            if key != "enum" {
                let at = format!("{pointer}/{}", escape_token(key));
                self.walk(location, prefix, &at, om.get(key), nm.get(key));
            }
        }
    }
}
