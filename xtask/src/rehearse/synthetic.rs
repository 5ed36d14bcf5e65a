//! A document N times as large as one of today's: every path item cloned N - 1 times under new
//! names, with what only it uses.
//!
//! Clone `k` (2 to N) of a path item gets the suffix `InCopy<k>`: on each operationId (and on
//! `x-acs-rpc`'s action, which must equal it), on its pseudo-path (`/ListThingsInCopy2`) or, for a
//! REST path, under a new first segment (`/r2/v1/...`), and on every component that only this
//! path item uses (its request and answer schemas, and what they refer to), cloned beside the
//! original. Components that several path items share (the error answers, `InstanceId`) stay
//! shared, as they would be in a document that really had N times the operations.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The document's text, N times over. Fails on text that is not a YAML mapping with `paths`.
pub fn multiply(source: &str, times: usize) -> Result<String, String> {
    let mut document: Value = serde_yaml::from_str(source).map_err(|e| format!("not YAML: {e}"))?;
    multiply_value(&mut document, times)?;
    serde_yaml::to_string(&document).map_err(|e| format!("cannot write YAML: {e}"))
}

/// How many operations a document has.
pub fn operation_count(source: &str) -> usize {
    let Ok(document) = serde_yaml::from_str::<Value>(source) else {
        return 0;
    };
    document
        .get("paths")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .map(|(_, item)| {
            HTTP_METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .count()
        })
        .sum()
}

/// Appends `sentence` to the description of the document's first operation (its summary when it
/// has no description): the edit of one operation that the rehearsal times.
pub fn edit_first_operation(source: &str, sentence: &str) -> Result<String, String> {
    let mut document: Value = serde_yaml::from_str(source).map_err(|e| format!("not YAML: {e}"))?;
    let operation = document
        .get_mut("paths")
        .and_then(Value::as_mapping_mut)
        .and_then(|paths| paths.values_mut().next())
        .and_then(|item| {
            let method = HTTP_METHODS.iter().find(|m| item.get(**m).is_some())?;
            item.get_mut(*method)
        })
        .and_then(Value::as_mapping_mut)
        .ok_or("the document has no operation")?;
    let key = if operation.contains_key("description") {
        "description"
    } else {
        "summary"
    };
    let text = operation
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim_end()
        .to_owned();
    operation.insert(
        Value::from(key),
        Value::from(format!("{text} {sentence}").trim_start().to_owned()),
    );
    serde_yaml::to_string(&document).map_err(|e| format!("cannot write YAML: {e}"))
}

fn multiply_value(document: &mut Value, times: usize) -> Result<(), String> {
    let paths = document
        .get("paths")
        .and_then(Value::as_mapping)
        .cloned()
        .ok_or("the document has no paths")?;
    let components = document.get("components").cloned().unwrap_or_default();
    // Which component each path item reaches, and by how many path items each is reached.
    let closures: Vec<BTreeSet<String>> = paths
        .values()
        .map(|item| closure(item, &components))
        .collect();
    let mut users: BTreeMap<&str, usize> = BTreeMap::new();
    for reference in closures.iter().flatten() {
        *users.entry(reference.as_str()).or_default() += 1;
    }
    let mut new_paths = paths.clone();
    let mut new_components: Vec<(String, String, Value)> = Vec::new();
    for copy in 2..=times {
        // A preposition, so that the operation's resource (the words between its verb and the first
        // preposition, which its tag's description must name) is the original's.
        let suffix = format!("InCopy{copy}");
        for ((path, item), reached) in paths.iter().zip(&closures) {
            let renames: BTreeMap<String, String> = reached
                .iter()
                // A component of another file (a directory's shared root) stays shared.
                .filter(|r| users[r.as_str()] == 1 && lookup(&components, r).is_some())
                .map(|r| (r.clone(), format!("{r}{suffix}")))
                .collect();
            for (old, new) in &renames {
                let (kind, name) = component_of(new).expect("a component reference");
                let mut component = lookup(&components, old)
                    .cloned()
                    .ok_or_else(|| format!("{old} points at nothing"))?;
                rewrite_refs(&mut component, &renames);
                new_components.push((kind.to_owned(), name.to_owned(), component));
            }
            let mut item = item.clone();
            rewrite_refs(&mut item, &renames);
            let mut renamed_path = None;
            for method in HTTP_METHODS {
                let Some(operation) = item.get_mut(method).and_then(Value::as_mapping_mut) else {
                    continue;
                };
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("an operation of {path:?} has no operationId"))?
                    .to_owned();
                let new_id = format!("{id}{suffix}");
                operation.insert("operationId".into(), Value::from(new_id.clone()));
                if let Some(rpc) = operation
                    .get_mut("x-acs-rpc")
                    .and_then(Value::as_mapping_mut)
                {
                    rpc.insert("action".into(), Value::from(new_id.clone()));
                }
                if path.as_str() == Some(&format!("/{id}")) {
                    renamed_path = Some(format!("/{new_id}"));
                }
            }
            let path = path.as_str().ok_or("a path that is not a string")?;
            let path = renamed_path.unwrap_or_else(|| format!("/r{copy}{path}"));
            new_paths.insert(Value::from(path), item);
        }
    }
    document
        .as_mapping_mut()
        .ok_or("the document is not a mapping")?
        .insert("paths".into(), Value::Mapping(new_paths));
    let components = document
        .get_mut("components")
        .and_then(Value::as_mapping_mut);
    if let Some(components) = components {
        for (kind, name, value) in new_components {
            if let Some(section) = components
                .get_mut(kind.as_str())
                .and_then(Value::as_mapping_mut)
            {
                section.insert(Value::from(name), value);
            }
        }
    }
    Ok(())
}

/// `#/components/<kind>/<name>` -> (kind, name).
fn component_of(reference: &str) -> Option<(&str, &str)> {
    reference
        .strip_prefix("#/components/")?
        .split_once('/')
        .filter(|(_, name)| !name.contains('/'))
}

fn lookup<'a>(components: &'a Value, reference: &str) -> Option<&'a Value> {
    let (kind, name) = component_of(reference)?;
    components.get(kind)?.get(name)
}

/// Every component reference in `value`, and those of the components they reach.
fn closure(value: &Value, components: &Value) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    references(value, &mut pending);
    while let Some(reference) = pending.pop() {
        if component_of(&reference).is_none() || !reached.insert(reference.clone()) {
            continue;
        }
        if let Some(component) = lookup(components, &reference) {
            references(component, &mut pending);
        }
    }
    reached
}

fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(mapping) => {
            for (key, value) in mapping {
                match (key.as_str(), value.as_str()) {
                    (Some("$ref"), Some(reference)) => out.push(reference.to_owned()),
                    _ => references(value, out),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| references(v, out)),
        Value::Tagged(tagged) => references(&tagged.value, out),
        _ => {}
    }
}

fn rewrite_refs(value: &mut Value, renames: &BTreeMap<String, String>) {
    match value {
        Value::Mapping(mapping) => rewrite_mapping(mapping, renames),
        Value::Sequence(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        Value::Tagged(tagged) => rewrite_refs(&mut tagged.value, renames),
        _ => {}
    }
}

fn rewrite_mapping(mapping: &mut Mapping, renames: &BTreeMap<String, String>) {
    for (key, value) in mapping.iter_mut() {
        if key.as_str() == Some("$ref") {
            if let Some(new) = value.as_str().and_then(|r| renames.get(r)) {
                *value = Value::from(new.clone());
            }
        } else {
            rewrite_refs(value, renames);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /ListThings:
    post:
      operationId: ListThings
      x-acs-rpc: {action: ListThings, version: "1", method: POST, path: /}
      parameters:
        - $ref: '#/components/parameters/InstanceId'
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ListThingsResponse'}
        "400": {$ref: '#/components/responses/Error'}
  /GetThing:
    post:
      operationId: GetThing
      x-acs-rpc: {action: GetThing, version: "1", method: POST, path: /}
      parameters:
        - $ref: '#/components/parameters/InstanceId'
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        "400": {$ref: '#/components/responses/Error'}
  /v1/things/{id}:
    get:
      operationId: ReadThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  parameters:
    InstanceId: {name: InstanceId, in: query, required: true, schema: {type: string}}
  responses:
    Error:
      description: error
      content:
        application/json:
          schema: {$ref: '#/components/schemas/ErrorResponse'}
  schemas:
    ListThingsResponse:
      type: object
      properties:
        Things: {type: array, items: {$ref: '#/components/schemas/ThingSummary'}}
    ThingSummary: {type: object}
    Thing: {type: object}
    ErrorResponse: {type: object}
"##;

    #[test]
    fn clones_get_new_names_and_their_own_components_and_share_the_rest() {
        let text = multiply(SMALL, 3).unwrap();
        let document: Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(operation_count(&text), 9);
        let paths: Vec<&str> = document["paths"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "/ListThings",
                "/GetThing",
                "/v1/things/{id}",
                "/ListThingsInCopy2",
                "/GetThingInCopy2",
                "/r2/v1/things/{id}",
                "/ListThingsInCopy3",
                "/GetThingInCopy3",
                "/r3/v1/things/{id}",
            ]
        );
        let clone = &document["paths"]["/ListThingsInCopy3"]["post"];
        assert_eq!(clone["operationId"], "ListThingsInCopy3");
        assert_eq!(clone["x-acs-rpc"]["action"], "ListThingsInCopy3");
        // Only ListThings uses its answer and what that refers to: cloned with it, refs rewritten.
        assert_eq!(
            clone["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ListThingsResponseInCopy3"
        );
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["ListThingsResponseInCopy3"]["properties"]["Things"]["items"]["$ref"],
            "#/components/schemas/ThingSummaryInCopy3"
        );
        assert!(schemas.get("ThingSummaryInCopy3").is_some());
        // Thing (two path items), the error answer, and InstanceId stay shared.
        assert_eq!(
            document["paths"]["/GetThingInCopy2"]["post"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["$ref"],
            "#/components/schemas/Thing"
        );
        assert!(
            schemas.get("ThingInCopy2").is_none() && schemas.get("ErrorResponseInCopy2").is_none()
        );
        assert_eq!(
            clone["responses"]["400"]["$ref"],
            "#/components/responses/Error"
        );
        assert_eq!(
            clone["parameters"][0]["$ref"],
            "#/components/parameters/InstanceId"
        );
        assert_eq!(
            document["paths"]["/r3/v1/things/{id}"]["get"]["operationId"],
            "ReadThingInCopy3"
        );
        // Once is the document itself.
        assert_eq!(operation_count(&multiply(SMALL, 1).unwrap()), 3);
    }

    #[test]
    fn the_edit_changes_the_first_operations_description_only() {
        let edited = edit_first_operation(SMALL, "Edited.").unwrap();
        let document: Value = serde_yaml::from_str(&edited).unwrap();
        assert_eq!(
            document["paths"]["/ListThings"]["post"]["summary"],
            "Edited."
        );
        assert!(document["paths"]["/GetThing"]["post"]
            .get("summary")
            .is_none());
    }
}
