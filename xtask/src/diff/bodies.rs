//! Request bodies, responses and their media types.

use serde_json::Value;

use super::differ::*;

impl<'a> Differ<'a> {
    pub(super) fn request_body(
        &mut self,
        location: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        const LABEL: &str = "request body";
        let (old, new) = match (old, new) {
            (None, None) => return,
            (Some(_), None) => {
                self.breaking(location, "request body removed".to_string());
                return;
            }
            (None, Some(new)) => {
                let required = match resolve(self.new, new) {
                    Resolved::Found(body) => is_true(body.get("required")),
                    Resolved::Dangling(_) => false,
                };
                if required {
                    self.breaking(location, "new required request body".to_string());
                } else {
                    self.non_breaking(location, "new optional request body".to_string());
                }
                return;
            }
            (Some(old), Some(new)) => (old, new),
        };
        self.ref_note(location, LABEL, old, new);
        let Some((o, n)) = self.resolve_pair(location, LABEL, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, LABEL, "", Some(o), Some(n));
            return;
        };
        match (is_true(om.get("required")), is_true(nm.get("required"))) {
            (false, true) => self.breaking(location, "request body became required".to_string()),
            (true, false) => {
                self.non_breaking(location, "request body became optional".to_string())
            }
            _ => self.walk(
                location,
                LABEL,
                "/required",
                om.get("required"),
                nm.get("required"),
            ),
        }
        self.media_map(
            location,
            LABEL,
            Side::Request,
            om.get("content"),
            nm.get("content"),
        );
        self.walk_rest(location, LABEL, om, nm, &["required", "content"]);
    }

    pub(super) fn responses(
        &mut self,
        location: &str,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk(location, "", "/responses", old, new);
            return;
        }
        for code in union(keys(o), keys(n)) {
            let subject = format!("response {code}");
            match (o.and_then(|m| m.get(code)), n.and_then(|m| m.get(code))) {
                (Some(_), None) if code.starts_with('2') => {
                    self.breaking(location, format!("{subject} removed"))
                }
                (Some(_), None) => {
                    let kind = if code.starts_with(['4', '5']) || code == "default" {
                        "error "
                    } else {
                        ""
                    };
                    self.non_breaking(
                        location,
                        format!("documented {kind}response {code} removed"),
                    )
                }
                (None, Some(_)) => self.non_breaking(location, format!("{subject} added")),
                (Some(old), Some(new)) => self.response(location, &subject, old, new),
                (None, None) => {}
            }
        }
    }

    pub(super) fn response(
        &mut self,
        location: &str,
        subject: &str,
        old: &'a Value,
        new: &'a Value,
    ) {
        self.ref_note(location, subject, old, new);
        let Some((o, n)) = self.resolve_pair(location, subject, old, new) else {
            return;
        };
        let (Some(om), Some(nm)) = (o.as_object(), n.as_object()) else {
            self.walk(location, subject, "", Some(o), Some(n));
            return;
        };
        self.media_map(
            location,
            subject,
            Side::Response,
            om.get("content"),
            nm.get("content"),
        );
        // description, headers, links, x-...
        self.walk_rest(location, subject, om, nm, &["content"]);
    }

    /// A `content` map: media types removed (breaking), added, and each kept one compared.
    pub(super) fn media_map(
        &mut self,
        location: &str,
        subject: &str,
        side: Side,
        old: Option<&'a Value>,
        new: Option<&'a Value>,
    ) {
        let (o, n) = (
            old.and_then(Value::as_object),
            new.and_then(Value::as_object),
        );
        if (old.is_some() && o.is_none()) || (new.is_some() && n.is_none()) {
            self.walk(location, subject, "/content", old, new);
            return;
        }
        for media in union(keys(o), keys(n)) {
            match (o.and_then(|m| m.get(media)), n.and_then(|m| m.get(media))) {
                (Some(_), None) => {
                    self.breaking(location, format!("{subject}: media type `{media}` removed"))
                }
                (None, Some(_)) => {
                    self.non_breaking(location, format!("{subject}: media type `{media}` added"))
                }
                (Some(old), Some(new)) => self.media(location, subject, media, side, old, new),
                (None, None) => {}
            }
        }
    }

    pub(super) fn media(
        &mut self,
        location: &str,
        subject: &str,
        media: &str,
        side: Side,
        old: &'a Value,
        new: &'a Value,
    ) {
        // JSON is the rule; only another media type is worth naming in every message.
        let subject = if media == "application/json" {
            subject.to_string()
        } else {
            format!("{subject} ({media})")
        };
        let (Some(om), Some(nm)) = (old.as_object(), new.as_object()) else {
            self.walk(location, &subject, "", Some(old), Some(new));
            return;
        };
        if om.contains_key("schema") || nm.contains_key("schema") {
            let site = Site {
                location,
                side,
                root: match side {
                    Side::Response => format!("{subject} body"),
                    _ => format!("{subject} schema"),
                },
                field: format!("{subject} field"),
            };
            let old_schema = om.get("schema").unwrap_or(&EMPTY);
            let new_schema = nm.get("schema").unwrap_or(&EMPTY);
            self.schema(&site, "", old_schema, new_schema, 0);
        }
        // example, examples, encoding, x-...
        self.walk_rest(location, &subject, om, nm, &["schema"]);
    }
}
