//! [`SecretString`]: the one type in this workspace that holds a credential; [`SecretBytes`]: an
//! answer that may hold one (a success body that did not decode); [`JsonObject`]: a free-form
//! object (keys a server sent that the document does not name, custom claims), kept but never
//! printed.
//!
//! Generated model types use it for every property the OpenAPI documents mark with
//! `format: password` (application tokens, client secrets, bearer tokens), so a `{:?}` of a
//! response never prints a secret. Serialization is the one place the value is written out:
//! the wire needs it, and so does a user who asked for it (`idtok ... obtain-application-token`).

#![warn(missing_docs)]

use std::fmt;

use zeroize::Zeroize;

/// What [`Debug`](fmt::Debug) and [`Display`](fmt::Display) print instead of the secret.
pub const REDACTED: &str = "<redacted>";

/// A secret string. `Debug` and `Display` print [`REDACTED`]; the value is reachable only
/// through [`SecretString::expose_secret`] and serialization. The memory is zeroed on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call this only where the value must leave the process (a signature,
    /// a header, output the user asked for).
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string (which shows nothing of it).
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

/// Bytes that may hold a credential: the whole body of a success answer that did not decode as
/// the documented type (an Obtain or Create answer carries the secret it was called for). `Debug`
/// and `Display` print [`REDACTED`] and the length; [`SecretBytes::expose_secret`] gives the bytes.
/// The memory is zeroed on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps `value`.
    pub fn new(value: impl Into<Vec<u8>>) -> Self {
        Self(value.into())
    }

    /// The bytes themselves, exactly as received.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// How many bytes, which `Debug` and `Display` show too.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes({REDACTED}, {} bytes)", self.0.len())
    }
}

impl fmt::Display for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{REDACTED} ({} bytes)", self.0.len())
    }
}

/// A free-form JSON object: the keys of an answer that its schema does not name (kept, so that
/// reading an answer and writing it back loses nothing), or a map the document leaves open
/// (custom claims, `AccessDeniedDetail`). `Debug` lists the keys only: a field the document does
/// not know yet may be a new secret. Serialization writes every key and value back.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct JsonObject(pub serde_json::Map<String, serde_json::Value>);

impl JsonObject {
    /// Whether the object has no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Deref for JsonObject {
    type Target = serde_json::Map<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for JsonObject {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl From<serde_json::Map<String, serde_json::Value>> for JsonObject {
    fn from(map: serde_json::Map<String, serde_json::Value>) -> Self {
        Self(map)
    }
}

impl fmt::Debug for JsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, REDACTED)))
            .finish()
    }
}

/// Any object: what `additionalProperties: {}` says.
impl schemars::JsonSchema for JsonObject {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "JsonObject".to_owned()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::Object.into()),
            object: Some(Box::new(schemars::schema::ObjectValidation {
                additional_properties: Some(Box::new(schemars::schema::Schema::Bool(true))),
                ..Default::default()
            })),
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
    fn secret_bytes_and_unknown_fields_show_no_value() {
        let bytes = SecretBytes::new(SENTINEL.as_bytes());
        let mut unknown = JsonObject::default();
        unknown.insert("NewSecretField".to_owned(), SENTINEL.into());
        for shown in [
            format!("{bytes:?}"),
            format!("{bytes}"),
            format!("{unknown:?}"),
            format!("{unknown:#?}"),
        ] {
            assert!(!shown.contains(SENTINEL), "{shown}");
            assert!(shown.contains(REDACTED), "{shown}");
        }
        assert_eq!(bytes.expose_secret(), SENTINEL.as_bytes());
        assert!(format!("{unknown:?}").contains("NewSecretField"));
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            format!("{{\"NewSecretField\":\"{SENTINEL}\"}}")
        );
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
