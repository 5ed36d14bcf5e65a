//! Schemas: types and formats, nullable, enums, properties and `required`, items and
//! additional properties; which way the data flows decides what breaks.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::differ::*;
use super::Kind;

impl<'a> Differ<'a> {
    // --- schemas ---

    /// Compares two schemas, each change recorded as of [`Kind::Schema`].
    pub(super) fn schema(
        &mut self,
        site: &Site,
        path: &str,
        old: &'a Value,
        new: &'a Value,
        depth: usize,
    ) {
        self.scoped(Kind::Schema, |d| d.schema_pair(site, path, old, new, depth));
    }

    fn schema_pair(
        &mut self,
        site: &Site,
        path: &str,
        old: &'a Value,
        new: &'a Value,
        depth: usize,
    ) {
        let location = site.location;
        let what = site.describe(path);
        if depth > MAX_DEPTH {
            if old != new {
                self.breaking(
                    location,
                    format!(
                        "{what}: nested too deeply; xtask diff cannot judge this, review it by hand"
                    ),
                );
            }
            return;
        }
        // A `$ref`'d schema is the component's generated Rust type: pointing elsewhere (or
        // inlining it) changes the type even when the content is the same.
        let (old_ref, new_ref) = (ref_of(old), ref_of(new));
        if old_ref != new_ref {
            let name = |r: Option<&str>| match r {
                Some(r) => format!("`{r}`"),
                None => "an inline schema".to_string(),
            };
            self.breaking(
                location,
                format!(
                    "{what}: now {} instead of {} (the generated Rust type changes)",
                    name(new_ref),
                    name(old_ref)
                ),
            );
        }
        self.ref_siblings(location, &what, old, new);
        let Some((o, n)) = self.resolve_pair(location, &what, old, new) else {
            return;
        };
        if self.unchanged(o, n) {
            return;
        }
        let key = (addr(o), addr(n));
        if !self.active.insert(key) {
            return; // a cycle: this pair is being compared further up
        }
        self.schema_body(site, path, &what, o, n, depth);
        self.active.remove(&key);
    }

    pub(super) fn schema_body(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        o: &'a Value,
        n: &'a Value,
        depth: usize,
    ) {
        let location = site.location;
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            if o != n {
                self.breaking(
                    location,
                    format!(
                        "{what}: schema changed from {} to {}; xtask diff cannot judge this, review it by hand",
                        render(Some(o)),
                        render(Some(n))
                    ),
                );
            }
            return;
        };
        for keyword in ["type", "format"] {
            let (ov, nv) = (om.get(keyword), nm.get(keyword));
            let message = match (ov, nv) {
                _ if ov == nv => continue,
                (None, Some(v)) => format!("{keyword} `{}` added", bare(Some(v))),
                (Some(v), None) => format!("{keyword} `{}` removed", bare(Some(v))),
                _ => format!("{keyword} changed from {} to {}", bare(ov), bare(nv)),
            };
            self.breaking(location, format!("{what}: {message}"));
        }
        self.nullable(site, what, om, nm);
        self.enumeration(location, what, om.get("enum"), nm.get("enum"));
        for keyword in ["allOf", "oneOf", "anyOf", "not"] {
            if om.get(keyword) != nm.get(keyword) {
                self.breaking(
                    location,
                    format!("{what}: `{keyword}` changed; xtask diff cannot judge this, review it by hand"),
                );
            }
        }
        self.properties(site, path, what, om, nm, depth);
        let (oi, ni) = (om.get("items"), nm.get("items"));
        if oi.is_some() || ni.is_some() {
            let items = format!("{path}[]");
            self.schema(
                site,
                &items,
                oi.unwrap_or(&EMPTY),
                ni.unwrap_or(&EMPTY),
                depth + 1,
            );
        }
        self.additional_properties(site, path, what, om, nm, depth);
        const HANDLED: [&str; 12] = [
            "type",
            "format",
            "nullable",
            "enum",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "properties",
            "required",
            "items",
            "additionalProperties",
        ];
        // description, title, example, deprecated, pattern, maximum, default, x-...
        self.walk_rest(location, what, om, nm, &HANDLED);
    }

    pub(super) fn nullable(
        &mut self,
        site: &Site,
        what: &str,
        om: &Map<String, Value>,
        nm: &Map<String, Value>,
    ) {
        let (ov, nv) = (om.get("nullable"), nm.get("nullable"));
        let location = site.location;
        match (is_true(ov), is_true(nv), site.side) {
            (false, true, Side::Request) => {
                self.non_breaking(location, format!("{what}: now nullable"))
            }
            (false, true, Side::Response) => self.breaking(
                location,
                format!("{what}: now nullable (clients may receive null)"),
            ),
            (false, true, Side::Component) => self.breaking(
                location,
                format!("{what}: now nullable (the generated Rust type changes)"),
            ),
            (true, false, Side::Response) => {
                self.non_breaking(location, format!("{what}: no longer nullable"))
            }
            (true, false, Side::Request) => self.breaking(
                location,
                format!("{what}: no longer nullable (clients sending null are refused)"),
            ),
            (true, false, Side::Component) => self.breaking(
                location,
                format!("{what}: no longer nullable (the generated Rust type changes)"),
            ),
            // `false` against absent: the same meaning, still a difference.
            _ => self.walk(location, what, "/nullable", ov, nv),
        }
    }

    pub(super) fn enumeration(
        &mut self,
        location: &str,
        what: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        match (old, new) {
            _ if old == new => {}
            (Some(_), None) => self.non_breaking(
                location,
                format!("{what}: enum removed (any value allowed now; widened)"),
            ),
            (None, Some(Value::Array(values))) => {
                let mut listed: Vec<String> = values.iter().take(8).map(enum_value).collect();
                if values.len() > 8 {
                    listed.push("…".to_string());
                }
                self.breaking(
                    location,
                    format!("{what}: enum added, only {} allowed now (narrowed)", listed.join(", ")),
                );
            }
            (Some(Value::Array(o)), Some(Value::Array(n))) => {
                for value in o.iter().filter(|v| !n.contains(v)) {
                    self.breaking(
                        location,
                        format!("{what}: enum value {} removed (enum narrowed)", enum_value(value)),
                    );
                }
                for value in n.iter().filter(|v| !o.contains(v)) {
                    self.non_breaking(
                        location,
                        format!("{what}: enum value {} added", enum_value(value)),
                    );
                }
                if o.iter().all(|v| n.contains(v)) && n.iter().all(|v| o.contains(v)) {
                    self.non_breaking(location, format!("{what}: enum values reordered"));
                }
            }
            _ => self.breaking(
                location,
                format!(
                    "{what}: `enum` changed from {} to {}; xtask diff cannot judge this, review it by hand",
                    render(old),
                    render(new)
                ),
            ),
        }
    }

    pub(super) fn properties(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        om: &'a Map<String, Value>,
        nm: &'a Map<String, Value>,
        depth: usize,
    ) {
        let location = site.location;
        // A `properties` that is not a mapping, a `required` that is not a list: nothing to walk.
        for (keyword, fits) in [
            ("properties", Value::is_object as fn(&Value) -> bool),
            ("required", Value::is_array),
        ] {
            let (ov, nv) = (om.get(keyword), nm.get(keyword));
            if ov != nv && (ov.is_some_and(|v| !fits(v)) || nv.is_some_and(|v| !fits(v))) {
                let pointer = format!("/{keyword}");
                self.walk(location, what, &pointer, ov, nv);
            }
        }
        let properties = |m: &'a Map<String, Value>| m.get("properties").and_then(Value::as_object);
        let required = |m: &'a Map<String, Value>| -> BTreeSet<&'a str> {
            m.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect()
        };
        let (op, np) = (properties(om), properties(nm));
        let (or, nr) = (required(om), required(nm));
        // A name only in `required` is a field too (of any type).
        let mut names: BTreeSet<&str> = union(keys(op), keys(np));
        names.extend(or.iter().chain(&nr));
        for name in names {
            let child = field_path(path, name);
            let field = site.describe(&child);
            let has = |p: Option<&Map<String, Value>>, r: &BTreeSet<&str>| {
                p.is_some_and(|p| p.contains_key(name)) || r.contains(name)
            };
            let (was_required, is_required) = (or.contains(name), nr.contains(name));
            match (has(op, &or), has(np, &nr)) {
                (true, false) => self.breaking(location, format!("{field} removed")),
                (false, true) => match (is_required, site.side) {
                    (true, Side::Response) => self.non_breaking(
                        location,
                        format!("{field} added (required, so always present)"),
                    ),
                    (true, _) => self.breaking(location, format!("{field} added as required")),
                    (false, _) => self.non_breaking(location, format!("{field} added")),
                },
                (true, true) => {
                    match (was_required, is_required, site.side) {
                        (false, true, Side::Response) => self.non_breaking(
                            location,
                            format!("{field} became required (always present now)"),
                        ),
                        (false, true, _) => {
                            self.breaking(location, format!("{field} became required"))
                        }
                        (true, false, Side::Request) => {
                            self.non_breaking(location, format!("{field} became optional"))
                        }
                        (true, false, _) => self.breaking(
                            location,
                            format!("{field} no longer required (clients could rely on it being present)"),
                        ),
                        _ => {}
                    }
                    let schema_of = |p: Option<&'a Map<String, Value>>| -> &'a Value {
                        p.and_then(|p| p.get(name)).unwrap_or(&EMPTY)
                    };
                    self.schema(site, &child, schema_of(op), schema_of(np), depth + 1);
                }
                (false, false) => {}
            }
        }
        let (ov, nv) = (om.get("required"), nm.get("required"));
        if or == nr
            && ov != nv
            && ov.is_some_and(Value::is_array)
            && nv.is_some_and(Value::is_array)
        {
            self.non_breaking(location, format!("{what}: `required` reordered"));
        }
    }

    pub(super) fn additional_properties(
        &mut self,
        site: &Site,
        path: &str,
        what: &str,
        om: &'a Map<String, Value>,
        nm: &'a Map<String, Value>,
        depth: usize,
    ) {
        let location = site.location;
        let (ov, nv) = (
            om.get("additionalProperties"),
            nm.get("additionalProperties"),
        );
        let values = if path.is_empty() {
            "*".to_string()
        } else {
            format!("{path}.*")
        };
        if let (Some(o @ Value::Object(_)), Some(n @ Value::Object(_))) = (ov, nv) {
            self.schema(site, &values, o, n, depth + 1);
            return;
        }
        if ov == nv {
            return;
        }
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        if ov.is_some_and(Value::is_object) {
            // A schema (even `{}`) makes typify keep the extra keys in a map field of the
            // generated type; `true`, absent or `false` drop it, and code reading it breaks.
            let now = if closed(nv) {
                "no longer allowed"
            } else {
                "no longer kept"
            };
            self.breaking(
                location,
                format!(
                    "{what}: additional properties {now} (`additionalProperties` changed from {} to {}; the generated type loses its map of extra keys)",
                    render(ov),
                    render(nv)
                ),
            );
        } else if closed(nv) {
            let message = format!("{what}: additional properties no longer allowed");
            match site.side {
                Side::Response => self.non_breaking(location, message),
                _ => self.breaking(location, message),
            }
        } else if closed(ov) {
            // typify denies unknown fields of a closed object: a response with more fails to parse.
            let message = format!("{what}: additional properties now allowed");
            match site.side {
                Side::Request => self.non_breaking(location, message),
                _ => self.breaking(
                    location,
                    format!(
                        "{message} (a generated type that denies unknown fields no longer fits)"
                    ),
                ),
            }
        } else {
            // From absent or `true` to a schema: the generated type gains a map of the extra
            // keys (like an optional field), and the schema may restrict their values.
            self.walk(location, what, "/additionalProperties", ov, nv);
            if let Some(n @ Value::Object(_)) = nv {
                self.schema(site, &values, &EMPTY, n, depth + 1);
            }
        }
    }
}
