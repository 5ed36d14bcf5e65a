//! A document's operations, read once into one table that every generator stage (and the lint's
//! operation checks) reads: name, method, path, what an RPC operation really sends, paging, retry
//! safety, secrets, where each parameter travels and the request body. Nothing downstream walks
//! `paths` again or spells an extension (`crate::extensions`).
//!
//! The table is built leniently (a missing field is `None` or empty): the lint says what is
//! wrong with a document, with locations; the generator runs only on documents that lint clean.

use heck::ToSnakeCase;
use serde_json::Value;

use crate::document::escape_token;
use crate::extensions::{
    IDEMPOTENCY_TOKEN, IDEMPOTENT, ISSUES_SECRET, PAGINATED, QUERY_STYLE, RPC,
    RPC_COMMON_PARAMETERS, SECRET_IN_URL,
};
use crate::lint::limits::{followed, parameters};

/// The HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a document.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The operationId, as the vendor names it (`AssumeRoleWithOIDC`).
    pub id: String,
    /// progenitor's name for it: the operationId in snake_case (`assume_role_with_oidc`).
    pub snake: String,
    /// The document's method, lower case (an RPC operation's pseudo-method).
    pub method: String,
    /// The document's path (an RPC operation's pseudo-path `/{Action}`).
    pub path: String,
    /// The JSON pointer of the operation object.
    pub pointer: String,
    /// What an RPC operation really sends: its `x-acs-rpc`, over the document's family-wide one.
    pub rpc: Option<Rpc>,
    /// `x-paginated`, as written.
    pub paging: Option<Value>,
    /// `x-idempotent: true`: safe to send again, so retried.
    pub idempotent: bool,
    /// `x-issues-secret: true`: the answer's secrets are handed out by this operation.
    pub issues_secret: bool,
    /// `security: []`: sent without credentials.
    pub unsigned: bool,
    /// `x-acs-rpc-common-parameters: query`.
    pub rpc_common_parameters_in_query: bool,
    /// Path-level and operation-level parameters, `$ref`s followed.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The operation object itself, for what the table does not say.
    pub json: Value,
}

/// What an RPC operation sends on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rpc {
    pub action: String,
    pub version: String,
    pub method: String,
    pub path: String,
}

/// A parameter, and how it travels.
#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    pub required: bool,
    /// `x-acs-style`: an array (`repeatList`) or object (`flat`) flattened into an RPC query.
    pub style: Option<String>,
    /// `x-secret-in-url`: a secret the service takes only in the URL.
    pub secret_in_url: bool,
    /// `x-idempotency-token: true`.
    pub idempotency_token: bool,
    /// The parameter object, `$ref` followed.
    pub json: Value,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub media_type: String,
    /// The component schema it refers to.
    pub schema: Option<String>,
    pub required: bool,
    /// The property of that schema marked `x-idempotency-token: true`, if any (EIAM sends the
    /// `ClientToken` of some operations in a form body).
    pub idempotency_token: Option<String>,
}

impl Operation {
    /// A parameter by its wire name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// The Rust name that progenitor and typify give a parameter or field `name`: a builder's setter,
/// a struct field. Its snake_case, and a keyword (`Type`: `type`) takes a trailing `_`, as their
/// `sanitize` writes it (`type_`).
pub fn rust_name(name: &str) -> String {
    let snake = name.to_snake_case();
    if typify::accept_as_ident(&snake) {
        snake
    } else {
        format!("{snake}_")
    }
}

/// Every operation of `json` (a whole document), in document order.
pub fn read(json: &Value) -> Vec<Operation> {
    let family_rpc = json.get(RPC);
    let mut out = Vec::new();
    for (path, item) in json["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let rpc = rpc(family_rpc, operation.get(RPC), &id);
            out.push(Operation {
                snake: id.to_snake_case(),
                method: method.to_owned(),
                path: path.clone(),
                pointer: format!("/paths/{}/{method}", escape_token(path)),
                rpc,
                paging: operation.get(PAGINATED).cloned(),
                idempotent: operation.get(IDEMPOTENT) == Some(&Value::Bool(true)),
                issues_secret: operation.get(ISSUES_SECRET) == Some(&Value::Bool(true)),
                unsigned: operation
                    .get("security")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty),
                rpc_common_parameters_in_query: operation.get(RPC_COMMON_PARAMETERS).is_some(),
                parameters: parameters(json, item, operation)
                    .map(|p| Parameter {
                        name: p["name"].as_str().unwrap_or_default().to_owned(),
                        location: p["in"].as_str().unwrap_or_default().to_owned(),
                        required: p["required"] == true,
                        style: p
                            .get(QUERY_STYLE)
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        secret_in_url: p.get(SECRET_IN_URL).is_some(),
                        idempotency_token: p.get(IDEMPOTENCY_TOKEN) == Some(&Value::Bool(true)),
                        json: p.clone(),
                    })
                    .collect(),
                body: operation.get("requestBody").map(|body| {
                    let body = followed(json, body);
                    let (media_type, content) = body["content"]
                        .as_object()
                        .and_then(|c| c.iter().next())
                        .map(|(m, c)| (m.clone(), Some(c)))
                        .unwrap_or_default();
                    let schema = content.map(|c| followed(json, &c["schema"]));
                    Body {
                        media_type,
                        schema: content
                            .and_then(|c| c["schema"]["$ref"].as_str())
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                            .map(str::to_owned),
                        required: body["required"] == true,
                        idempotency_token: schema
                            .and_then(|s| s["properties"].as_object())
                            .into_iter()
                            .flatten()
                            .find(|(_, p)| p.get(IDEMPOTENCY_TOKEN) == Some(&Value::Bool(true)))
                            .map(|(name, _)| name.clone()),
                    }
                }),
                json: operation.clone(),
                id,
            });
        }
    }
    out
}

/// An RPC operation's wire facts: its own `x-acs-rpc` over the document's (which states what every
/// operation shares: version, method, path); the action is the operationId unless it says
/// otherwise. `None` when neither the document nor the operation says `x-acs-rpc`.
fn rpc(family: Option<&Value>, own: Option<&Value>, id: &str) -> Option<Rpc> {
    if family.is_none() && own.is_none() {
        return None;
    }
    let field = |name: &str| {
        own.and_then(|o| o.get(name))
            .or_else(|| family.and_then(|f| f.get(name)))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(Rpc {
        action: field("action").unwrap_or_else(|| id.to_owned()),
        version: field("version").unwrap_or_default(),
        method: field("method").unwrap_or_default(),
        path: field("path").unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_name_that_is_a_keyword_takes_the_underscore_progenitor_gives_it() {
        assert_eq!(rust_name("InstanceId"), "instance_id");
        assert_eq!(rust_name("Type"), "type_");
        assert_eq!(rust_name("Match"), "match_");
        assert_eq!(rust_name("TypeName"), "type_name");
    }

    #[test]
    fn an_rpc_operation_states_only_what_differs_from_the_document() {
        let document = json!({
            "x-acs-rpc": {"version": "2021-12-01", "method": "POST", "path": "/"},
            "paths": {
                "/ListThings": {"post": {"operationId": "ListThings", "x-idempotent": true}},
                "/Odd": {"post": {"operationId": "Odd", "x-acs-rpc": {"action": "OddAction", "method": "GET"}}}
            }
        });
        let operations = read(&document);
        assert_eq!(
            operations[0].rpc,
            Some(Rpc {
                action: "ListThings".into(),
                version: "2021-12-01".into(),
                method: "POST".into(),
                path: "/".into()
            })
        );
        assert!(operations[0].idempotent);
        let odd = operations[1].rpc.as_ref().unwrap();
        assert_eq!(
            (
                odd.action.as_str(),
                odd.method.as_str(),
                odd.version.as_str()
            ),
            ("OddAction", "GET", "2021-12-01")
        );
    }
}
