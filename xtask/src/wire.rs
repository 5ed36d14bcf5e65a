//! The sentence that says what an operation sends on the wire, made from the document's
//! extensions (the method and path, `x-acs-rpc`, `x-acs-action-headers`, the request body, the
//! security scheme and its signature algorithm) rather than written in each description. The
//! generator puts it in `--help` and rustdoc, `cargo xtask publish` in the HTML reference.

use serde_json::Value;

use crate::document::Document;
use crate::extensions::ACTION_HEADERS;
use crate::operations::Operation;

/// Security scheme extensions that name a signature algorithm.
const SIGNATURE_ALGORITHMS: [&str; 2] = ["x-acs-signature-algorithm", "x-sdk-signature-algorithm"];

/// "Sent as `POST /` with `x-acs-action: ListApplicationTokens` and `x-acs-version: 2021-12-01`,
/// the parameters in the query string; signed with ACS3-HMAC-SHA256." An RPC operation that takes
/// no parameter (GetCallerIdentity) is sent "without parameters": its query string is empty.
pub fn sentence(document: &Document, operation: &Operation) -> String {
    let mut text = match &operation.rpc {
        Some(rpc) => {
            let mut text = format!(
                "Sent as `{} {}` with `x-acs-action: {}` and `x-acs-version: {}`, ",
                rpc.method, rpc.path, rpc.action, rpc.version
            );
            match &operation.body {
                // An RPC operation's form body holds a few named fields (lint: flat scalars).
                Some(body) => text.push_str(&format!(
                    "{} in an `{}` body and the other parameters in the query string",
                    body_fields(document, body),
                    body.media_type
                )),
                None if operation.parameters.is_empty()
                    && !operation.rpc_common_parameters_in_query =>
                {
                    text.push_str("without parameters")
                }
                None => text.push_str("the parameters in the query string"),
            }
            text
        }
        None => {
            let mut text = format!(
                "Sent as `{} {}`",
                operation.method.to_uppercase(),
                operation.path
            );
            if document.json.get(ACTION_HEADERS) == Some(&Value::Bool(true)) {
                text.push_str(&format!(
                    " with `x-acs-action: {}` and `x-acs-version: {}`",
                    operation.id, document.openapi.info.version
                ));
            }
            text
        }
    };
    if let (Some(body), None) = (&operation.body, &operation.rpc) {
        text.push_str(&format!(", the body as `{}`", body.media_type));
    }
    text.push_str("; ");
    text.push_str(&authentication(document, operation));
    text.push('.');
    text
}

/// The fields of a form body, as the wire names them: "`ClientToken`", "`A` and `B`".
fn body_fields(document: &Document, body: &crate::operations::Body) -> String {
    let names: Vec<String> = body
        .schema
        .as_ref()
        .and_then(|s| document.json["components"]["schemas"][s]["properties"].as_object())
        .into_iter()
        .flatten()
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    match names.split_last() {
        None => "the body's fields".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// How the operation is authenticated: its own `security`, else the document's.
fn authentication(document: &Document, operation: &Operation) -> String {
    if operation.rpc_common_parameters_in_query {
        return "unsigned, with the RPC common parameters (`Action`, `Format`, `Version`, `Timestamp`, `SignatureNonce`) in the query string".to_owned();
    }
    let requirements = operation
        .json
        .get("security")
        .or_else(|| document.json.get("security"))
        .and_then(Value::as_array);
    let schemes: Vec<&str> = requirements
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|requirement| requirement.keys())
        .map(String::as_str)
        .collect();
    if requirements.is_some_and(Vec::is_empty) || schemes.is_empty() {
        return "sent without credentials".to_owned();
    }
    let described: Vec<String> = schemes
        .iter()
        .map(|name| {
            let scheme = &document.json["components"]["securitySchemes"][*name];
            if let Some(algorithm) = SIGNATURE_ALGORITHMS
                .iter()
                .find_map(|key| scheme.get(*key).and_then(Value::as_str))
            {
                return format!("signed with {algorithm}");
            }
            match (scheme["type"].as_str(), scheme["scheme"].as_str()) {
                (Some("http"), Some("bearer")) => {
                    "with `Authorization: Bearer <access token>`".to_owned()
                }
                (Some("apiKey"), _) => format!(
                    "with the key in the {} `{}`",
                    scheme["in"].as_str().unwrap_or("header"),
                    scheme["name"].as_str().unwrap_or(name)
                ),
                _ => format!("authenticated by `{name}`"),
            }
        })
        .collect();
    described.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::FAMILIES;

    fn sentences(family: &str) -> Vec<(String, String)> {
        let family = FAMILIES.into_iter().find(|f| f.name == family).unwrap();
        let document = Document::load(&crate::workspace_root(), family).unwrap();
        document
            .operations
            .iter()
            .map(|o| (o.id.clone(), sentence(&document, o)))
            .collect()
    }

    fn of(family: &str, id: &str) -> String {
        sentences(family)
            .into_iter()
            .find(|(i, _)| i == id)
            .unwrap()
            .1
    }

    #[test]
    fn each_family_says_what_goes_on_the_wire() {
        assert_eq!(
            of("eiam", "ListApplicationTokens"),
            "Sent as `POST /` with `x-acs-action: ListApplicationTokens` and `x-acs-version: 2021-12-01`, the parameters in the query string; signed with ACS3-HMAC-SHA256."
        );
        assert_eq!(
            of("eiam_developerapi", "ListAuthenticationTokens"),
            "Sent as `GET /v2/{instanceId}/authenticationTokens` with `x-acs-action: ListAuthenticationTokens` and `x-acs-version: 2022-02-25`; with `Authorization: Bearer <access token>`."
        );
        assert!(of("eiam_developerapi", "GenerateToken").ends_with(
            ", the body as `application/x-www-form-urlencoded`; sent without credentials."
        ));
        assert_eq!(
            of("eiam", "EnableAuthorizationRule"),
            "Sent as `POST /` with `x-acs-action: EnableAuthorizationRule` and `x-acs-version: 2021-12-01`, `ClientToken` in an `application/x-www-form-urlencoded` body and the other parameters in the query string; signed with ACS3-HMAC-SHA256."
        );
        assert!(of("identitystore", "ListBearerTokens").ends_with("; signed with SDK-HMAC-SHA256."));
        assert!(
            of("sts", "AssumeRoleWithOIDC").contains("unsigned, with the RPC common parameters")
        );
        assert_eq!(
            of("sts", "GetCallerIdentity"),
            "Sent as `POST /` with `x-acs-action: GetCallerIdentity` and `x-acs-version: 2015-04-01`, without parameters; signed with ACS3-HMAC-SHA256."
        );
    }
}
