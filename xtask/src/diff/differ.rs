//! The walk both documents go through side by side: what is shared by every part (resolving
//! `$ref`s, naming where a schema sits, recording a change) and the fallback that reports any
//! difference no rule names.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::{Change, Kind, Severity};
use crate::document::escape_token;

pub(super) const METHODS: [(&str, &str); 8] = [
    ("get", "GET"),
    ("put", "PUT"),
    ("post", "POST"),
    ("delete", "DELETE"),
    ("options", "OPTIONS"),
    ("head", "HEAD"),
    ("patch", "PATCH"),
    ("trace", "TRACE"),
];

/// Deeper schemas than this are not walked; no real document comes near, a hostile one must not
/// exhaust the stack.
pub(super) const MAX_DEPTH: usize = 64;
/// A chain of `$ref`s longer than this is taken as a loop.
pub(super) const MAX_REF_HOPS: usize = 32;

/// Stands in for a missing schema, so that "absent" compares like "anything goes".
pub(super) static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::Object(Map::new()));

/// Which way the data of a schema flows decides which changes break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// Sent by clients: making it stricter breaks them.
    Request,
    /// Received by clients: making it looser breaks them.
    Response,
    /// A component schema no operation led to: its generated Rust type breaks either way.
    Component,
}

/// Where a schema sits, to name it in messages.
pub(super) struct Site<'s> {
    pub(super) location: &'s str,
    pub(super) side: Side,
    /// The schema itself: "query parameter `X` schema", "response 200 body".
    pub(super) root: String,
    /// A field in it, before the field path: "query parameter `X` field", "response 200 field".
    pub(super) field: String,
}

impl Site<'_> {
    pub(super) fn describe(&self, path: &str) -> String {
        if path.is_empty() {
            self.root.clone()
        } else {
            format!("{} `{path}`", self.field)
        }
    }
}

pub(super) enum Resolved<'a> {
    Found(&'a Value),
    /// The `$ref` that leads nowhere (or into a loop of `$ref`s).
    Dangling(String),
}

/// Follows internal `$ref`s (`#/...`, a JSON pointer; serde_json unescapes `~0` and `~1`).
pub(super) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Resolved<'a> {
    let mut current = value;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = ref_of(current) else {
            return Resolved::Found(current);
        };
        match crate::lint::limits::resolve(doc, reference) {
            Some(target) => current = target,
            None => return Resolved::Dangling(reference.to_string()),
        }
    }
    Resolved::Dangling(ref_of(current).unwrap_or_default().to_string())
}

/// Every `$ref` in `value`, at any depth.
fn refs_in<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                out.push(reference);
            }
            map.values().for_each(|child| refs_in(child, out));
        }
        Value::Array(items) => items.iter().for_each(|child| refs_in(child, out)),
        _ => {}
    }
}

pub(super) fn ref_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Identity of a node in one of the two documents: pairs of them key the cycle guard and the
/// record of what was compared. (Two distinct inline schemas never share an address, unlike a
/// pointer string, which an inline schema does not have.)
pub(super) fn addr(value: &Value) -> usize {
    std::ptr::from_ref(value) as usize
}

pub(super) fn union<'k>(
    a: impl IntoIterator<Item = &'k String>,
    b: impl IntoIterator<Item = &'k String>,
) -> BTreeSet<&'k str> {
    a.into_iter()
        .chain(b)
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
}

pub(super) fn keys(map: Option<&Map<String, Value>>) -> impl Iterator<Item = &String> {
    map.into_iter().flat_map(|m| m.keys())
}

pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub(super) fn with_prefix(prefix: &str, message: String) -> String {
    if prefix.is_empty() {
        message
    } else {
        format!("{prefix}: {message}")
    }
}

/// A small JSON value inline, a long one cut short; "(none)" when absent.
pub(super) fn render(value: Option<&Value>) -> String {
    const LIMIT: usize = 60;
    let Some(value) = value else {
        return "(none)".to_string();
    };
    let text = value.to_string();
    if text.chars().count() <= LIMIT {
        text
    } else {
        let cut: String = text.chars().take(LIMIT - 1).collect();
        format!("{cut}…")
    }
}

/// `type`/`format` values read better bare: "string", not "\"string\"".
pub(super) fn bare(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        other => render(other),
    }
}

/// An enum value in backticks: `deleted`, `3`.
pub(super) fn enum_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{}`", render(Some(other))),
    }
}

pub(super) fn is_true(value: Option<&Value>) -> bool {
    value == Some(&Value::Bool(true))
}

pub(super) fn field_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

pub(super) struct Differ<'a> {
    pub(super) old: &'a Value,
    pub(super) new: &'a Value,
    pub(super) changes: Vec<Change>,
    /// (old node, new node) pairs being compared right now, further up: meeting one again means a
    /// cycle through `$ref`s, and everything in it is being compared already.
    pub(super) active: HashSet<(usize, usize)>,
    /// Every (old node, new node) pair compared in the context of an operation; component entries
    /// in here need no comparison of their own.
    pub(super) covered: HashSet<(usize, usize)>,
    /// The part of the document being compared, which each change is recorded with.
    pub(super) kind: Kind,
    /// The JSON pointer of each location (operation, path item, component) met so far.
    pub(super) pointers: HashMap<String, String>,
    /// Whether what a `$ref` leads to, and everything it refers to in turn, is the same on both
    /// sides: a schema shared by hundreds of operations is then not compared once per operation.
    pub(super) unchanged_refs: HashMap<String, bool>,
}

impl<'a> Differ<'a> {
    pub(super) fn push(&mut self, severity: Severity, location: &str, message: String) {
        // Top-level keys ("servers", "info") are their own pointer; the document is "".
        let pointer = match self.pointers.get(location) {
            Some(pointer) => pointer.clone(),
            None if location == "document" => String::new(),
            None => format!("/{}", escape_token(location)),
        };
        self.changes.push(Change {
            severity,
            location: location.to_string(),
            message,
            kind: self.kind,
            pointer,
        });
    }

    /// `old` and `new` are equal, and so is everything their `$ref`s lead to: nothing in them can
    /// differ.
    pub(super) fn unchanged(&mut self, old: &Value, new: &Value) -> bool {
        old == new && self.refs_unchanged(old)
    }

    /// Everything the `$ref`s in `value` lead to is the same on both sides.
    pub(super) fn refs_unchanged(&mut self, value: &Value) -> bool {
        let mut refs = Vec::new();
        refs_in(value, &mut refs);
        refs.into_iter()
            .all(|reference| self.unchanged_ref(reference))
    }

    fn unchanged_ref(&mut self, reference: &str) -> bool {
        if let Some(&known) = self.unchanged_refs.get(reference) {
            return known;
        }
        // Met again inside itself (a cycle), it counts as changed: the answer is then only
        // slower, never wrong.
        self.unchanged_refs.insert(reference.to_owned(), false);
        let (old, new) = (self.old, self.new);
        let unchanged = match (
            crate::lint::limits::resolve(old, reference),
            crate::lint::limits::resolve(new, reference),
        ) {
            (Some(o), Some(n)) => self.unchanged(o, n),
            _ => false,
        };
        self.unchanged_refs.insert(reference.to_owned(), unchanged);
        unchanged
    }

    /// Runs `compare` with its changes recorded as of `kind`.
    pub(super) fn scoped(&mut self, kind: Kind, compare: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.kind, kind);
        compare(self);
        self.kind = outer;
    }

    /// Records where `location` is in the document, for the changes listed there.
    pub(super) fn locate(&mut self, location: &str, pointer: String) {
        self.pointers.insert(location.to_string(), pointer);
    }

    pub(super) fn breaking(&mut self, location: &str, message: String) {
        self.push(Severity::Breaking, location, message);
    }

    pub(super) fn non_breaking(&mut self, location: &str, message: String) {
        self.push(Severity::NonBreaking, location, message);
    }

    /// Resolves both sides. When a `$ref` leads nowhere and the two sides differ, that is said
    /// (there is nothing to judge) and None returned.
    pub(super) fn resolve_pair(
        &mut self,
        location: &str,
        what: &str,
        old: &'a Value,
        new: &'a Value,
    ) -> Option<(&'a Value, &'a Value)> {
        match (resolve(self.old, old), resolve(self.new, new)) {
            (Resolved::Found(o), Resolved::Found(n)) => {
                self.covered.insert((addr(o), addr(n)));
                Some((o, n))
            }
            (o, n) => {
                if old != new {
                    let dangling = [(o, "at the revision"), (n, "in the working tree")]
                        .into_iter()
                        .filter_map(|(r, side)| match r {
                            Resolved::Dangling(reference) => Some(format!("`{reference}` {side}")),
                            Resolved::Found(_) => None,
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.breaking(
                        location,
                        format!(
                            "{what}: $ref {dangling} points at nothing; xtask diff cannot judge this, review it by hand"
                        ),
                    );
                }
                None
            }
        }
    }

    /// What a referencing object says besides its target (which is compared on its own): where
    /// `$ref` points, when that changed (non-breaking here; a schema says more), and the keywords
    /// next to it.
    pub(super) fn ref_note(&mut self, location: &str, what: &str, old: &Value, new: &Value) {
        let (o, n) = (ref_of(old), ref_of(new));
        if o != n {
            self.non_breaking(
                location,
                with_prefix(
                    what,
                    format!(
                        "`$ref` changed from {} to {}",
                        render(old.get("$ref")),
                        render(new.get("$ref"))
                    ),
                ),
            );
        }
        self.ref_siblings(location, what, old, new);
    }

    /// Keywords next to a `$ref`: OpenAPI 3.0 ignores them, but people write them, and a change
    /// to them is still a change.
    pub(super) fn ref_siblings(&mut self, location: &str, what: &str, old: &Value, new: &Value) {
        let siblings = |v| ref_of(v).and(v.as_object());
        let (os, ns) = (siblings(old), siblings(new));
        if os.is_none() && ns.is_none() {
            return;
        }
        let prefix = if what.is_empty() {
            "next to `$ref`".to_string()
        } else {
            format!("{what} (next to `$ref`)")
        };
        for key in union(keys(os), keys(ns)) {
            if key != "$ref" {
                let (ov, nv) = (os.and_then(|m| m.get(key)), ns.and_then(|m| m.get(key)));
                let pointer = format!("/{}", escape_token(key));
                self.walk(location, &prefix, &pointer, ov, nv);
            }
        }
    }

    /// The fallback for everything without a rule of its own: walks both values and reports
    /// each leaf that differs as non-breaking. `pointer` is relative to where the walk started.
    /// Every key of `old` and `new` but `handled` (which the caller judged), walked as plain
    /// values: descriptions, examples, extensions, keywords no rule names.
    pub(super) fn walk_rest(
        &mut self,
        location: &str,
        prefix: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        handled: &[&str],
    ) {
        for key in union(old.keys(), new.keys()) {
            let (o, n) = (old.get(key), new.get(key));
            if !handled.contains(&key) && o != n {
                let pointer = format!("/{}", escape_token(key));
                self.walk(location, prefix, &pointer, o, n);
            }
        }
    }

    pub(super) fn walk(
        &mut self,
        location: &str,
        prefix: &str,
        pointer: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        if old == new {
            return;
        }
        let (parent, last) = match pointer.rfind('/') {
            Some(i) => (&pointer[..i], unescape(&pointer[i + 1..])),
            None => ("", String::new()),
        };
        let at = if parent.is_empty() {
            String::new()
        } else {
            format!(" at `{parent}`")
        };
        // Annotations and extensions are reported whole, not leaf by leaf.
        let whole = matches!(
            last.as_str(),
            "description" | "summary" | "title" | "example" | "examples" | "deprecated"
        ) || last.starts_with("x-");
        if !whole {
            match (old, new) {
                (Some(Value::Object(o)), Some(Value::Object(n))) => {
                    for key in union(o.keys(), n.keys()) {
                        let child = format!("{pointer}/{}", escape_token(key));
                        self.walk(location, prefix, &child, o.get(key), n.get(key));
                    }
                    return;
                }
                (Some(Value::Array(o)), Some(Value::Array(n))) if o.len() == n.len() => {
                    for (i, (o, n)) in o.iter().zip(n).enumerate() {
                        self.walk(
                            location,
                            prefix,
                            &format!("{pointer}/{i}"),
                            Some(o),
                            Some(n),
                        );
                    }
                    return;
                }
                (Some(Value::Array(o)), Some(Value::Array(n)))
                    if o.iter().chain(n).all(|v| !v.is_object() && !v.is_array()) =>
                {
                    // A list of plain values (an enum of server variables, ...): what came and went.
                    let name = if pointer.is_empty() {
                        String::new()
                    } else {
                        format!("`{pointer}`: ")
                    };
                    let mut any = false;
                    for v in o.iter().filter(|v| !n.contains(v)) {
                        any = true;
                        let message = format!("{name}{} removed", enum_value(v));
                        self.non_breaking(location, with_prefix(prefix, message));
                    }
                    for v in n.iter().filter(|v| !o.contains(v)) {
                        any = true;
                        let message = format!("{name}{} added", enum_value(v));
                        self.non_breaking(location, with_prefix(prefix, message));
                    }
                    if any {
                        return;
                    }
                }
                _ => {}
            }
        }
        let change = match (old, new) {
            (None, _) => "added",
            (_, None) => "removed",
            _ => "changed",
        };
        let message = match last.as_str() {
            "description" | "summary" | "title" | "example" | "examples" => {
                format!("{last} {change}{at}")
            }
            "deprecated" if is_true(new) && !is_true(old) => format!("now deprecated{at}"),
            "deprecated" if is_true(old) && !is_true(new) => format!("no longer deprecated{at}"),
            _ if pointer.is_empty() => format!("changed from {} to {}", render(old), render(new)),
            _ => {
                let name = if parent.is_empty() {
                    last.as_str()
                } else {
                    pointer
                };
                format!("`{name}` changed from {} to {}", render(old), render(new))
            }
        };
        self.non_breaking(location, with_prefix(prefix, message));
    }
}
