//! Every generated model type, by family and component name, with what tests need to do with it
//! without knowing it statically. The list (`model_type_names.rs`) is generated from the
//! documents; `every_component_schema_is_listed` checks it still is.

use std::collections::BTreeSet;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use xtask::families::FAMILIES;

pub struct ModelType {
    pub family: &'static str,
    pub name: &'static str,
    pub schema: fn() -> schemars::schema::RootSchema,
    /// JSON -> the type -> (JSON again, its Debug text).
    pub roundtrip: fn(&Value) -> Result<(Value, String), serde_json::Error>,
}

fn roundtrip<T: DeserializeOwned + Serialize + Debug>(
    value: &Value,
) -> Result<(Value, String), serde_json::Error> {
    let typed: T = serde_json::from_value(value.clone())?;
    Ok((
        serde_json::to_value(&typed)?,
        format!("{typed:?} {typed:#?}"),
    ))
}

macro_rules! model_types {
    ($($family:literal => $krate:ident { $($ty:ident),* $(,)? })*) => {
        vec![$($(ModelType {
            family: $family,
            name: stringify!($ty),
            schema: || schemars::schema_for!($krate::$ty),
            roundtrip: roundtrip::<$krate::$ty>,
        },)*)*]
    };
}

pub fn all() -> Vec<ModelType> {
    // `cargo xtask gen` writes the names from the documents' components.
    include!("model_type_names.rs")
}

pub fn get(family: &str, name: &str) -> ModelType {
    all()
        .into_iter()
        .find(|t| t.family == family && t.name == name)
        .unwrap_or_else(|| panic!("{family}::{name} is not in model_types::all()"))
}

#[test]
fn every_component_schema_is_listed() {
    let listed: BTreeSet<(String, String)> = all()
        .iter()
        .map(|t| (t.family.to_owned(), t.name.to_owned()))
        .collect();
    let mut in_documents = BTreeSet::new();
    for family in FAMILIES {
        let document = super::support::document(&family);
        for name in document["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            in_documents.insert((family.name.to_owned(), name.clone()));
        }
    }
    let missing: Vec<_> = in_documents.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&in_documents).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "add to model_types::all(): {missing:?}; remove: {extra:?}"
    );
}
