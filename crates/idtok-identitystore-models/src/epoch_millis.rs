//! Huawei's timestamps: UNIX milliseconds sent as a JSON number.

use std::fmt;

/// A UNIX time in milliseconds, as the identity store sends it: a JSON number that the vendor's
/// examples write as an integer (`1754277891140`) but that may arrive as `1754277891140.0`.
///
/// It keeps the number exactly as read and writes it back the same way, so a response passes
/// through unchanged; [`EpochMillis::as_millis`] gives the integer a program wants.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EpochMillis(serde_json::Number);

impl EpochMillis {
    pub fn from_millis(millis: i64) -> Self {
        Self(millis.into())
    }

    /// The time in whole milliseconds; `None` for a fractional or out-of-range value.
    pub fn as_millis(&self) -> Option<i64> {
        if let Some(i) = self.0.as_i64() {
            return Some(i);
        }
        let f = self.0.as_f64()?;
        // i64::MAX as f64 rounds up to 2^63, itself out of range: hence the strict `<`.
        (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
    }

    /// The number as read, for values that are not whole milliseconds.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }
}

impl From<i64> for EpochMillis {
    fn from(millis: i64) -> Self {
        Self::from_millis(millis)
    }
}

impl fmt::Debug for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EpochMillis({})", self.0)
    }
}

impl fmt::Display for EpochMillis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl serde::Serialize for EpochMillis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for EpochMillis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Number::deserialize(deserializer).map(Self)
    }
}

/// `{"type": "number"}`, as in the document.
impl schemars::JsonSchema for EpochMillis {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        "EpochMillis".to_owned()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::Number.into()),
            ..Default::default()
        }
        .into()
    }
}
