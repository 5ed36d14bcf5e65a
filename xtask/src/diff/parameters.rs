//! Parameters: matched by `in` + `name`, path item ones first; added, removed, required.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::differ::*;
use super::operations::Operation;

pub(super) fn parameter_label(location: &str, name: &str) -> String {
    format!("{location} parameter `{name}`")
}

/// The parameters of an operation, path item ones first, each key (`in`, `name`) once (the
/// operation's own wins, as in OpenAPI).
pub(super) fn parameters<'a>(
    doc: &'a Value,
    operation: &Operation<'a>,
) -> Vec<((String, String), &'a Value)> {
    let mut list: Vec<((String, String), &'a Value)> = Vec::new();
    let declared = [operation.item, operation.op]
        .into_iter()
        .filter_map(|m| m.get("parameters").and_then(Value::as_array))
        .flatten();
    for raw in declared {
        let key = match resolve(doc, raw) {
            Resolved::Found(p) => (
                p.get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ),
            Resolved::Dangling(reference) => ("$ref".to_string(), reference),
        };
        match list.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = raw,
            None => list.push((key, raw)),
        }
    }
    list
}

impl<'a> Differ<'a> {
    pub(super) fn parameters(&mut self, location: &str, old: &Operation<'a>, new: &Operation<'a>) {
        // A `parameters` that is no list has nothing to match; say what changed.
        for (o, n) in [(old.item, new.item), (old.op, new.op)] {
            let (ov, nv) = (o.get("parameters"), n.get("parameters"));
            let odd = |v: Option<&Value>| v.is_some_and(|v| !v.is_array());
            if ov != nv && (odd(ov) || odd(nv)) {
                self.walk(location, "", "/parameters", ov, nv);
            }
        }
        let (o, n) = (parameters(self.old, old), parameters(self.new, new));
        let find = |list: &[((String, String), &'a Value)], key: &(String, String)| {
            list.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
        };
        let all: BTreeSet<&(String, String)> = o.iter().chain(&n).map(|(k, _)| k).collect();
        for key in all {
            let label = parameter_label(&key.0, &key.1);
            match (find(&o, key), find(&n, key)) {
                (Some(_), None) => self.breaking(location, format!("{label} removed")),
                (None, Some(raw)) => {
                    let required = match resolve(self.new, raw) {
                        Resolved::Found(p) => is_true(p.get("required")) || key.0 == "path",
                        Resolved::Dangling(_) => false,
                    };
                    if required {
                        self.breaking(location, format!("new required {label}"));
                    } else {
                        self.non_breaking(location, format!("new optional {label}"));
                    }
                }
                (Some(old_raw), Some(new_raw)) => {
                    self.parameter(location, &label, &key.0, old_raw, new_raw)
                }
                (None, None) => {}
            }
        }
        // The builder interface names arguments, so only the documentation order changes.
        let order = |list: &[((String, String), &Value)], other: &[((String, String), &Value)]| {
            list.iter()
                .map(|(k, _)| k.clone())
                .filter(|k| other.iter().any(|(ok, _)| ok == k))
                .collect::<Vec<_>>()
        };
        if order(&o, &n) != order(&n, &o) {
            self.non_breaking(location, "parameters reordered".to_string());
        }
        // Path item parameters of a path without operations reach no operation; see path_items.
    }

    pub(super) fn parameter(
        &mut self,
        location: &str,
        label: &str,
        at: &str,
        old: &'a Value,
        new: &'a Value,
    ) {
        // A parameter written out or referred to (`#/components/parameters/...`) is the same
        // parameter: the generator inlines it. Only a move from one shared parameter to another
        // is noted; what differs in the parameter itself is compared below either way.
        if ref_of(old).is_some() && ref_of(new).is_some() {
            self.ref_note(location, label, old, new);
        } else {
            self.ref_siblings(location, label, old, new);
        }
        let Some((o, n)) = self.resolve_pair(location, label, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, label, "", Some(o), Some(n));
            return;
        };
        let required = |m: &Map<String, Value>| is_true(m.get("required")) || at == "path";
        match (required(om), required(nm)) {
            (false, true) => self.breaking(location, format!("{label} became required")),
            (true, false) => self.non_breaking(location, format!("{label} became optional")),
            _ => self.walk(
                location,
                label,
                "/required",
                om.get("required"),
                nm.get("required"),
            ),
        }
        if om.contains_key("schema") || nm.contains_key("schema") {
            let site = Site {
                location,
                side: Side::Request,
                root: format!("{label} schema"),
                field: format!("{label} field"),
            };
            let old_schema = om.get("schema").unwrap_or(&EMPTY);
            let new_schema = nm.get("schema").unwrap_or(&EMPTY);
            self.schema(&site, "", old_schema, new_schema, 0);
        }
        if om.contains_key("content") || nm.contains_key("content") {
            self.media_map(
                location,
                label,
                Side::Request,
                om.get("content"),
                nm.get("content"),
            );
        }
        let handled = ["name", "in", "required", "schema", "content"];
        self.walk_rest(location, label, om, nm, &handled);
    }
}
