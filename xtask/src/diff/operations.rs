//! Operations: matched by operationId (else by `METHOD path`), moved, renamed, and what an EIAM
//! client really sends (`x-acs-rpc`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::differ::*;
use super::Kind;
use crate::document::escape_token;

/// One operation of a document.
pub(super) struct Operation<'a> {
    pub(super) method: &'static str,
    pub(super) path: &'a str,
    pub(super) item: &'a Map<String, Value>,
    pub(super) op: &'a Map<String, Value>,
}

impl Operation<'_> {
    pub(super) fn route(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The operations of a document, keyed by operationId, else by `METHOD path`.
pub(super) fn operations(doc: &Value) -> BTreeMap<String, Operation<'_>> {
    let mut operations = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return operations;
    };
    for (path, item) in paths {
        let Resolved::Found(item) = resolve(doc, item) else {
            continue;
        };
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, upper) in METHODS {
            let Some(op) = item.get(method).and_then(Value::as_object) else {
                continue;
            };
            let route = format!("{upper} {path}");
            let key = match op.get("operationId").and_then(Value::as_str) {
                // A duplicate operationId (invalid, but possible) must not hide an operation.
                Some(id) if operations.contains_key(id) => format!("{id} ({route})"),
                Some(id) => id.to_string(),
                None => route,
            };
            operations.insert(
                key,
                Operation {
                    method: upper,
                    path,
                    item,
                    op,
                },
            );
        }
    }
    operations
}

/// What an RPC operation sends (`x-acs-rpc`): the document's, with what the operation states
/// over it, and the action the operationId unless stated (as `crate::operations` reads it). So a
/// fact moved between the document and its operations is no change.
fn rpc_of(doc: &Value, op: &Map<String, Value>) -> Option<Value> {
    let key = crate::extensions::RPC;
    let (family, own) = (doc.get(key), op.get(key));
    let mut merged = Map::new();
    for part in [family, own].into_iter().flatten() {
        match part.as_object() {
            Some(fields) => merged.extend(fields.clone()),
            // Not a mapping: compared as written.
            None => return own.or(family).cloned(),
        }
    }
    if family.is_none() && own.is_none() {
        return None;
    }
    if let Some(id) = op.get("operationId") {
        merged.entry("action").or_insert_with(|| id.clone());
    }
    Some(Value::Object(merged))
}

impl<'a> Differ<'a> {
    // --- operations ---

    pub(super) fn operations(&mut self) {
        let (old, new) = (operations(self.old), operations(self.new));
        // An operation is listed under its key on the new side, or the old one when it is gone.
        for (key, operation) in old.iter().chain(&new) {
            let pointer = format!(
                "/paths/{}/{}",
                escape_token(operation.path),
                operation.method.to_ascii_lowercase()
            );
            self.locate(key, pointer);
        }
        let mut pairs: Vec<(Option<&str>, Option<&str>)> = Vec::new();
        let mut only_old: Vec<&str> = Vec::new();
        for key in old.keys() {
            if new.contains_key(key) {
                pairs.push((Some(key), Some(key)));
            } else {
                only_old.push(key);
            }
        }
        let mut only_new: Vec<&str> = new
            .keys()
            .map(String::as_str)
            .filter(|k| !old.contains_key(*k))
            .collect();
        // The same method and path under another operationId: a rename, not a removal and an addition.
        for o in only_old {
            let same_route = only_new
                .iter()
                .position(|n| new[*n].method == old[o].method && new[*n].path == old[o].path);
            match same_route {
                Some(i) => pairs.push((Some(o), Some(only_new.remove(i)))),
                None => pairs.push((Some(o), None)),
            }
        }
        pairs.extend(only_new.into_iter().map(|n| (None, Some(n))));
        pairs.sort_by_key(|(o, n)| n.or(*o).unwrap_or_default().to_string());
        // What an operation's comparison reads besides the operation, its path item and what
        // their `$ref`s lead to: the document's own keys (its `security`, `x-acs-rpc`...).
        let outside_paths_unchanged = match (self.old.as_object(), self.new.as_object()) {
            (Some(o), Some(n)) => {
                let outside = |map: &'a Map<String, Value>| {
                    map.iter()
                        .filter(|(key, _)| !matches!(key.as_str(), "paths" | "components"))
                        .collect::<Vec<_>>()
                };
                outside(o) == outside(n)
            }
            _ => false,
        };
        for pair in pairs {
            match pair {
                (Some(o), None) => {
                    self.breaking(o, format!("operation removed (was {})", old[o].route()))
                }
                (None, Some(n)) => {
                    self.non_breaking(n, format!("operation added ({})", new[n].route()))
                }
                (Some(o), Some(n))
                    if outside_paths_unchanged && self.unchanged_operation(&old[o], &new[n]) => {}
                (Some(o), Some(n)) => self.operation(n, &old[o], &new[n]),
                (None, None) => {}
            }
        }
    }

    pub(super) fn operation(&mut self, location: &str, old: &Operation<'a>, new: &Operation<'a>) {
        let (o, n) = (old.op, new.op);
        let (old_id, new_id) = (o.get("operationId"), n.get("operationId"));
        if old_id != new_id {
            self.breaking(
                location,
                format!(
                    "operationId changed from {} to {} (the generated method is renamed)",
                    render(old_id),
                    render(new_id)
                ),
            );
        }
        match (old.method == new.method, old.path == new.path) {
            (true, true) => {}
            (false, true) => self.breaking(
                location,
                format!(
                    "method changed from {} to {} (path {})",
                    old.method, new.method, new.path
                ),
            ),
            (true, false) => self.breaking(
                location,
                format!("path changed from {} to {}", old.path, new.path),
            ),
            (false, false) => self.breaking(
                location,
                format!("moved from {} to {}", old.route(), new.route()),
            ),
        }
        let (old_rpc, new_rpc) = (rpc_of(self.old, o), rpc_of(self.new, n));
        self.rpc(location, old_rpc.as_ref(), new_rpc.as_ref());
        self.scoped(Kind::Security, |d| d.operation_security(location, o, n));
        self.scoped(Kind::Parameter, |d| d.parameters(location, old, new));
        self.scoped(Kind::RequestBody, |d| {
            d.request_body(location, o.get("requestBody"), n.get("requestBody"))
        });
        self.scoped(Kind::Response, |d| {
            d.responses(location, o.get("responses"), n.get("responses"))
        });
        self.servers(location, o.get("servers"), n.get("servers"));
        const HANDLED: [&str; 7] = [
            "operationId",
            crate::extensions::RPC,
            "security",
            "parameters",
            "requestBody",
            "responses",
            "servers",
        ];
        // summary, description, deprecated, tags, externalDocs, servers, callbacks, x-...
        self.walk_rest(location, "", o, n, &HANDLED);
    }

    /// The same operation on the same route in the same path item on both sides, with every
    /// `$ref` of theirs leading to the same: nothing of it can differ (most operations, after an
    /// edit of one).
    fn unchanged_operation(&mut self, old: &Operation<'a>, new: &Operation<'a>) -> bool {
        old.method == new.method
            && old.path == new.path
            && old.item == new.item
            && old.item.values().all(|value| self.refs_unchanged(value))
    }

    /// `x-acs-rpc` is what an EIAM client actually sends (action, version, method, path): any
    /// change to it changes the request on the wire.
    pub(super) fn rpc(&mut self, location: &str, old: Option<&Value>, new: Option<&Value>) {
        const WHY: &str = "the request sent on the wire changes";
        match (old, new) {
            _ if old == new => {}
            (Some(_), None) => self.breaking(location, format!("`x-acs-rpc` removed ({WHY})")),
            (None, Some(_)) => self.breaking(location, format!("`x-acs-rpc` added ({WHY})")),
            (Some(Value::Object(o)), Some(Value::Object(n))) => {
                for key in union(o.keys(), n.keys()) {
                    let (ov, nv) = (o.get(key), n.get(key));
                    if ov != nv {
                        self.breaking(
                            location,
                            format!(
                                "`x-acs-rpc.{key}` changed from {} to {} ({WHY})",
                                render(ov),
                                render(nv)
                            ),
                        );
                    }
                }
            }
            _ => self.breaking(
                location,
                format!(
                    "`x-acs-rpc` changed from {} to {} ({WHY})",
                    render(old),
                    render(new)
                ),
            ),
        }
    }
}
