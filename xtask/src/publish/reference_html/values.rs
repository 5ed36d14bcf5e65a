//! Reading the document without trusting its shape: YAML values, keys, `$ref`s.

use serde_yaml::Value;

use super::html::*;
use super::*;

/// Looks through YAML tags (`!foo value`), which carry no meaning for OpenAPI.
pub(super) fn untag(value: &Value) -> &Value {
    let mut value = value;
    while let Value::Tagged(tagged) = value {
        value = &tagged.value;
    }
    value
}

/// `value[key]` if `value` is a mapping with that string key.
pub(super) fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    match untag(value) {
        Value::Mapping(mapping) => mapping.get(key),
        _ => None,
    }
}

/// The string, if `value` is one.
pub(super) fn str_of(value: &Value) -> Option<&str> {
    untag(value).as_str()
}

/// `value[key]` as a string.
pub(super) fn get_str<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    get(value, key).and_then(str_of)
}

/// `value[key]` as a boolean; anything else is false.
pub(super) fn get_bool(value: &Value, key: &str) -> bool {
    get(value, key).and_then(|v| untag(v).as_bool()) == Some(true)
}

pub(super) fn is_mapping(value: &Value) -> bool {
    matches!(untag(value), Value::Mapping(_))
}

/// A mapping key as text. Keys are strings in a bundle, but a hand-edited document may have
/// `200:` or `true:`; those are shown as written rather than refused.
pub(super) fn key_string(key: &Value) -> String {
    match untag(key) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => json(other, false),
    }
}

/// The entries of a mapping in document order; nothing for anything else.
pub(super) fn entries(value: Option<&Value>) -> Vec<(String, &Value)> {
    match value.map(untag) {
        Some(Value::Mapping(mapping)) => mapping.iter().map(|(k, v)| (key_string(k), v)).collect(),
        _ => Vec::new(),
    }
}

/// The items of a sequence; nothing for anything else.
pub(super) fn items(value: Option<&Value>) -> &[Value] {
    match value.map(untag) {
        Some(Value::Sequence(seq)) => seq,
        _ => &[],
    }
}

/// The `x-` extensions of an object, in document order, but for `x-modelling-note`: a note for
/// the document's maintainers, not for readers of the reference.
pub(super) fn extensions(value: &Value) -> Vec<(String, &Value)> {
    entries(Some(value))
        .into_iter()
        .filter(|(k, _)| k.starts_with("x-") && k != crate::extensions::MODELLING_NOTE)
        .collect()
}

/// Follows a local JSON pointer (`#/components/schemas/X`).
pub(super) fn pointer<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let rest = reference.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(doc);
    }
    let mut current = doc;
    for raw in rest.strip_prefix('/')?.split('/') {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        current = match untag(current) {
            Value::Mapping(mapping) => mapping
                .iter()
                .find(|(k, _)| key_string(k) == segment)
                .map(|(_, v)| v)?,
            Value::Sequence(seq) => seq.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The last segment of a pointer: the component name of `#/components/responses/BadRequest`.
pub(super) fn ref_name(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.replace("~1", "/").replace("~0", "~")
}

/// An object that may be a `$ref` (parameter, response, request body, header, example), resolved.
pub(super) struct Resolved<'a> {
    pub(super) value: &'a Value,
    /// The component it came from, if it was a reference.
    pub(super) component: Option<String>,
}

/// Follows `$ref`s to the object they name; `Err` carries the reference that does not resolve.
pub(super) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<Resolved<'a>, String> {
    let mut current = value;
    let mut component = None;
    for _ in 0..MAX_REF_HOPS {
        let Some(reference) = get(current, "$ref") else {
            return Ok(Resolved {
                value: current,
                component,
            });
        };
        let Some(reference) = str_of(reference) else {
            return Err(json(reference, false));
        };
        if component.is_none() {
            component = Some(ref_name(reference));
        }
        current = pointer(doc, reference).ok_or_else(|| reference.to_string())?;
    }
    Err(format!("{} (a cycle of references)", json(value, false)))
}
