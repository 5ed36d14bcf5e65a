//! [`SecretString`]: the one type in this workspace that holds a credential.
//!
//! Generated model types use it for every property the OpenAPI documents mark with
//! `format: password` (application tokens, client secrets, bearer tokens), so a `{:?}` of a
//! response never prints a secret. Serialization is the one place the value is written out:
//! the wire needs it, and so does a user who asked for it (`idtok ... obtain-application-token`).

use std::fmt;

use zeroize::Zeroize;

/// What [`Debug`](fmt::Debug) and [`Display`](fmt::Display) print instead of the secret.
pub const REDACTED: &str = "<redacted>";

/// A secret string. `Debug` and `Display` print [`REDACTED`]; the value is reachable only
/// through [`SecretString::expose_secret`] and serialization. The memory is zeroed on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call this only where the value must leave the process (a signature,
    /// a header, output the user asked for).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SecretString").field(&REDACTED).finish()
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self)
    }
}

/// The schema the OpenAPI documents give a secret: `{"type": "string", "format": "password"}`.
impl schemars::JsonSchema for SecretString {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "SecretString".to_owned()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".to_owned()),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "sentinel-7f3a9c";

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = SecretString::from(SENTINEL);
        for shown in [
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{secret}"),
            format!("{:?}", Some(secret.clone())),
        ] {
            assert!(!shown.contains(SENTINEL), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
    }

    #[test]
    fn serde_carries_the_value_unchanged() {
        let secret: SecretString = serde_json::from_str("\" CSE+/=~é \"").unwrap();
        assert_eq!(secret.expose_secret(), " CSE+/=~é ");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\" CSE+/=~é \"");
    }

    #[test]
    fn schema_is_a_password_string() {
        let schema = serde_json::to_value(schemars::schema_for!(SecretString)).unwrap();
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["format"], "password");
    }
}
