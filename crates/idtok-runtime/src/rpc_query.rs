//! How an Alibaba RPC request carries arrays and objects in its query string: flattened, 1-based,
//! as the official SDKs' `query` helper does it (a document marks such a parameter
//! `x-acs-style: repeatList` or `flat`):
//!
//! - an array: `CredentialIds.1=a&CredentialIds.2=b`;
//! - an object: `CredentialContent.OAuthClientContent.ClientId=cid`;
//! - nested: `Filter.1.Name=x&Filter.1.Value.1=y`.
//!
//! Scalars are sent as they are (booleans as `true`/`false`, as the Java and Go SDKs send them),
//! and absent values (`null`) are left out. Percent-encoding is the signer's business.

use serde::Serialize;
use serde_json::Value;

/// The `(key, value)` pairs that carry `value` under `name`, in order.
pub fn flatten(name: &str, value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(name.to_owned(), value, &mut out);
    out
}

fn walk(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key, b.to_string())),
        Value::Number(n) => out.push((key, n.to_string())),
        Value::String(s) => out.push((key, s.clone())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(format!("{key}.{}", i + 1), item, out);
            }
        }
        Value::Object(fields) => {
            for (field, item) in fields {
                walk(format!("{key}.{field}"), item, out);
            }
        }
    }
}

/// A query parameter that serializes (for `reqwest::RequestBuilder::query`) as its flattened
/// pairs. The generated EIAM client sends every parameter the document marks `x-acs-style`
/// through it; a value that cannot be made JSON (none of the generated types) sends nothing.
pub struct Flattened<'a, T> {
    name: &'a str,
    value: &'a T,
}

impl<'a, T> Flattened<'a, T> {
    /// The parameter `name` with `value`, flattened when serialized.
    pub fn new(name: &'a str, value: &'a T) -> Self {
        Self { name, value }
    }
}

impl<T: Serialize> Serialize for Flattened<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(serde::ser::Error::custom)?;
        flatten(self.name, &value).serialize(serializer)
    }
}

/// Whether the query key `key` is one of `patterns`, where a `*` segment stands for any array
/// index (`CredentialContent.OAuthClientContent.ClientSecret`, `Keys.*.Secret`).
pub fn key_matches(key: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|pattern| {
        let mut keys = key.split('.');
        let mut parts = pattern.split('.');
        loop {
            match (keys.next(), parts.next()) {
                (None, None) => return true,
                (Some(k), Some("*")) if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) => {}
                (Some(k), Some(p)) if k == p => {}
                _ => return false,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_and_objects_flatten_one_based_as_the_sdks_do() {
        assert_eq!(
            flatten("Statuses", &json!(["enabled", "disabled"])),
            [("Statuses.1", "enabled"), ("Statuses.2", "disabled")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(
            flatten(
                "Filter",
                &json!([{"Name": "CredentialIdentifier", "Value": ["a b", "c"]}])
            ),
            [
                ("Filter.1.Name", "CredentialIdentifier"),
                ("Filter.1.Value.1", "a b"),
                ("Filter.1.Value.2", "c"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(
            flatten(
                "CredentialContent",
                &json!({"OAuthClientContent": {"ClientId": "cid", "ClientSecret": "s"}, "Gone": null, "On": true, "N": 5})
            ),
            [
                ("CredentialContent.N", "5"),
                ("CredentialContent.OAuthClientContent.ClientId", "cid"),
                ("CredentialContent.OAuthClientContent.ClientSecret", "s"),
                ("CredentialContent.On", "true"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert!(flatten("Absent", &Value::Null).is_empty());
        assert_eq!(
            flatten("Plain", &json!("x")),
            [("Plain".to_owned(), "x".to_owned())]
        );
    }

    #[test]
    fn secret_key_patterns_match_any_index() {
        let patterns = ["ApiKey", "Keys.*.Secret", "Content.ClientSecret"];
        for key in [
            "ApiKey",
            "Keys.1.Secret",
            "Keys.12.Secret",
            "Content.ClientSecret",
        ] {
            assert!(key_matches(key, &patterns), "{key}");
        }
        for key in [
            "ApiKeyId",
            "Keys.x.Secret",
            "Keys..Secret",
            "Keys.1",
            "Content",
            "Content.ClientId",
        ] {
            assert!(!key_matches(key, &patterns), "{key}");
        }
    }
}
