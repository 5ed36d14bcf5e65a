//! Security: the effective requirements of each operation, and the security schemes.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::differ::*;
use crate::document::escape_token;

/// The security requirements as a set of alternatives, each written `a + b[scope]`; order means
/// nothing in either list. Absent counts as `[]`: no authentication.
pub(super) fn requirements(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        None => BTreeSet::new(),
        Some(Value::Array(alternatives)) => alternatives
            .iter()
            .map(|alternative| match alternative.as_object() {
                Some(schemes) => schemes
                    .iter()
                    .map(|(scheme, scopes)| {
                        let mut scopes: Vec<String> = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|s| bare(Some(s)))
                            .collect();
                        scopes.sort();
                        if scopes.is_empty() {
                            scheme.clone()
                        } else {
                            format!("{scheme}[{}]", scopes.join(" "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" + "),
                None => alternative.to_string(),
            })
            .collect(),
        Some(other) => BTreeSet::from([other.to_string()]),
    }
}

pub(super) fn render_requirements(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        return "no authentication".to_string();
    }
    set.iter()
        .map(|r| {
            if r.is_empty() {
                "anonymous (`{}`)".to_string()
            } else {
                format!("`{r}`")
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

impl<'a> Differ<'a> {
    /// The effective security: the operation's own, else the document's.
    pub(super) fn operation_security(
        &mut self,
        location: &str,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
    ) {
        let old_effective = requirements(old.get("security").or(self.old.get("security")));
        let new_effective = requirements(new.get("security").or(self.new.get("security")));
        if old_effective != new_effective {
            if new_effective.is_empty() {
                self.non_breaking(
                    location,
                    format!(
                        "no longer needs authentication (security `[]`; was {})",
                        render_requirements(&old_effective)
                    ),
                );
            } else {
                self.breaking(
                    location,
                    format!(
                        "security changed from {} to {}",
                        render_requirements(&old_effective),
                        render_requirements(&new_effective)
                    ),
                );
            }
        } else if old.get("security") != new.get("security") {
            self.non_breaking(
                location,
                format!(
                    "`security` changed from {} to {} (the effective security is the same)",
                    render(old.get("security")),
                    render(new.get("security"))
                ),
            );
        }
    }

    pub(super) fn security_scheme(
        &mut self,
        location: &str,
        name: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        let label = format!("security scheme `{name}`");
        let (old, new) = match (old, new) {
            (Some(_), None) => {
                self.breaking(
                    location,
                    format!("{label} removed (clients can no longer authenticate with it)"),
                );
                return;
            }
            (None, Some(_)) => {
                self.non_breaking(location, format!("{label} added"));
                return;
            }
            (Some(o), Some(n)) => (o, n),
            (None, None) => return,
        };
        self.ref_note(location, &label, old, new);
        let Some((o, n)) = self.resolve_pair(location, &label, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, &label, "", Some(o), Some(n));
            return;
        };
        for key in union(om.keys(), nm.keys()) {
            let (ov, nv) = (om.get(key), nm.get(key));
            if ov == nv {
                continue;
            }
            if key == "description" || key.starts_with("x-") {
                self.walk(location, &label, &format!("/{}", escape_token(key)), ov, nv);
            } else {
                // type, in, name, scheme, bearerFormat, flows, openIdConnectUrl: how credentials travel.
                self.breaking(
                    location,
                    format!(
                        "{label}: `{key}` changed from {} to {} (credentials are presented differently)",
                        render(ov),
                        render(nv)
                    ),
                );
            }
        }
    }
}
