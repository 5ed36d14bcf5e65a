//! The client module of a family, by progenitor, over the model crate's types.

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{Parameter, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::{json, Value};

use crate::document::{Document, Problem};
use crate::families::SECRET_TYPE;
use crate::gen::json_schema::schemars_object;
use crate::gen::models::component_schemas;

/// Header parameters that the runtime sets from the credentials, not the caller: the signer adds and
/// signs them. Left out of the generated builders so a secret never sits in a builder's Debug.
pub(crate) const RUNTIME_HEADERS: [&str; 1] = ["X-Security-Token"];

/// The client module, the CLI module and the typed mocks of a family.
pub struct ClientCode {
    pub client: TokenStream,
    pub cli: TokenStream,
    pub mock: TokenStream,
}

pub fn generate(document: &Document) -> Result<ClientCode, Problem> {
    let family = document.family;
    let module = family.name;
    let inner = format!("crate::{module}::ClientContext")
        .parse::<TokenStream>()
        .expect("a path");

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(inner)
        .with_conversion(
            schemars_object(json!({"type": "string", "format": "password"})),
            SECRET_TYPE,
            [].into_iter(),
        );
    // Each schema is one Rust type in the whole workspace: the model crate's.
    for (name, _) in component_schemas(document) {
        settings.with_replacement(
            &name,
            format!("::{}::{name}", family.models_crate),
            [].into_iter(),
        );
    }

    let mut spec = document.openapi.clone();
    for operation in operations_mut(&mut spec) {
        operation.parameters.retain(|p| match p {
            ReferenceOr::Item(Parameter::Header { parameter_data, .. }) => !RUNTIME_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&parameter_data.name)),
            _ => true,
        });
    }

    // The mocks answer with the documented statuses; the client and the CLI take any 2xx.
    let mock_spec = spec.clone();
    for operation in operations_mut(&mut spec) {
        any_success_status(operation);
    }

    let client = Generator::new(&settings)
        .generate_tokens(&spec)
        .map_err(|e| document.problem("/paths", format!("progenitor: {e}")))?;
    let rpc = rpc_operations(document);
    let client = rewritten_client(document, client, &rpc)?;
    let client = crate::gen::client_docs::documented(document, client)?;
    let secret_query_keys = secret_query_keys(document);
    // A fresh generator: the CLI pass registers the component types again. Request bodies are
    // idtok's own (`cli_hooks`): progenitor's CLI takes them only from a file.
    // So are arrays and objects in a query string, which progenitor's CLI cannot parse.
    let styled = styled_parameters(document);
    let mut cli_spec = spec.clone();
    for operation in operations_mut(&mut cli_spec) {
        operation.request_body = None;
        operation.description = operation
            .description
            .as_deref()
            .map(crate::gen::cli_hooks::help_description);
        operation.parameters.retain(|p| match p {
            ReferenceOr::Item(Parameter::Query { parameter_data, .. }) => {
                !styled.contains(&parameter_data.name)
            }
            _ => true,
        });
    }
    let cli = Generator::new(&settings)
        .cli(&cli_spec, &format!("idtok_client::{module}"))
        .map_err(|e| document.problem("/paths", format!("progenitor (CLI): {e}")))?;
    let cli_hooks = crate::gen::cli_hooks::generate(document)?;
    let cli_examples = crate::gen::cli_examples::generate(document)?;
    let operation_ids = operation_ids_table(document);
    let mock = mocks(document, &settings, mock_spec, &rpc)?;
    let paginators = crate::gen::paginators::generate(document)?;
    let rpc_actions = family.rpc.then(|| rpc_actions(&rpc));
    let action_headers = action_headers_table(document);
    let unsigned = unsigned_operations(document);
    let common_parameters = rpc_common_parameters_table(document);
    let idempotent = idempotent_operations(document);
    Ok(ClientCode {
        client: quote! {
            #client
            #paginators
            #rpc_actions
            #action_headers
            #unsigned
            #common_parameters
            #idempotent
            #secret_query_keys
        },
        cli: quote! {
            #cli
            #cli_hooks
            #cli_examples
            #operation_ids
        },
        mock,
    })
}

fn operations_mut(
    spec: &mut openapiv3::OpenAPI,
) -> impl Iterator<Item = &mut openapiv3::Operation> {
    spec.paths
        .paths
        .values_mut()
        .flat_map(|item| match item {
            ReferenceOr::Item(item) => vec![
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ],
            ReferenceOr::Reference { .. } => Vec::new(),
        })
        .flatten()
}

/// Makes the documented success status a `2XX` range, so that the generated client decodes any 2xx
/// answer as the documented type: a gateway or a service version that answers CreateBearerToken
/// with 200 instead of the documented 201 must not make the client throw away the token it carries,
/// which the service shows only once. A 2xx whose body does not decode is still an error, with the
/// body kept (`CallError::answer`). The lint has checked that all 2xx responses share one type.
fn any_success_status(operation: &mut openapiv3::Operation) {
    let responses = &mut operation.responses.responses;
    let success: Vec<_> = responses
        .keys()
        .filter(|code| match code {
            openapiv3::StatusCode::Code(code) => (200..300).contains(code),
            openapiv3::StatusCode::Range(range) => *range == 2,
        })
        .cloned()
        .collect();
    // A body-carrying response wins over a bodiless one (`200` with a body, `204` without).
    let documented = success
        .iter()
        .map(|code| responses[code].clone())
        .max_by_key(|response| match response {
            ReferenceOr::Item(item) => !item.content.is_empty(),
            ReferenceOr::Reference { .. } => true,
        });
    let Some(documented) = documented else {
        return;
    };
    for code in &success {
        responses.shift_remove(code);
    }
    responses.insert(openapiv3::StatusCode::Range(2), documented);
}

/// progenitor's httpmock helpers, made to match what the client really sends:
/// - a secret parameter is matched by its value (the mock side takes a plain string; a
///   `SecretString` would print as redacted and never match);
/// - an RPC operation is matched on `POST /` with its `x-acs-action` and `x-acs-version` headers,
///   not on the pseudo-path that the client rewrites before sending.
fn mocks(
    document: &Document,
    settings: &GenerationSettings,
    mut spec: openapiv3::OpenAPI,
    rpc_operations: &[RpcOperation],
) -> Result<TokenStream, Problem> {
    for operation in operations_mut(&mut spec) {
        for parameter in operation.parameters.iter_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                plain_string(parameter);
            }
        }
    }
    let models = format!("::{}", document.family.models_crate);
    let tokens = Generator::new(settings)
        .httpmock(&spec, &models)
        .map_err(|e| document.problem("/paths", format!("progenitor (httpmock): {e}")))?;
    // A path parameter's value goes into progenitor's regex as it is: neither regex-escaped (a `.`
    // would match any character) nor percent-encoded as the client sends it (a space would never
    // match). Encode it as the family's client does, then escape it.
    const PATH_VALUE: &str = "\" , value . to_string ())) . unwrap ()";
    let encode: TokenStream = document
        .family
        .path_value_as_sent
        .parse()
        .map_err(|e| document.problem("", format!("path_value_as_sent: {e}")))?;
    let as_sent =
        format!("\" , regex :: escape (& {encode} (& value . to_string ())))) . unwrap ()");
    let mut text = tokens.to_string().replace(PATH_VALUE, &as_sent);
    for rpc in rpc_operations {
        // How progenitor's `When::new` matches the pseudo-path, as proc_macro2 prints it.
        let regex = format!("^{}$", rpc.pseudo_path);
        let pseudo = format!(
            ". path_matches (regex :: Regex :: new ({}) . unwrap ())",
            quote!(#regex)
        );
        let wire = format!(". path ({})", quote!("/"));
        if text.matches(&pseudo).count() != 1 {
            return Err(document.problem(
                "/paths",
                format!("progenitor's httpmock output no longer matches {} as expected; xtask/src/gen/client.rs must learn its new form", rpc.pseudo_path),
            ));
        }
        text = text.replace(&pseudo, &wire);
    }
    // Every request of these families carries its action and version: so must what a mock matches.
    // Where an operation's RPC common parameters travel in its query (STS's anonymous ones), they
    // are matched there too.
    let common_in_query = rpc_common_parameter_operations(document);
    for headers in action_headers(document, rpc_operations) {
        let when = format!("impl {}When {{", headers.operation_id.to_upper_camel_case());
        let method = "inner . method (:: httpmock :: Method :: ";
        let at = text.find(&when).and_then(|start| {
            let method_at = start + text[start..].find(method)?;
            Some(method_at + text[method_at..].find(')')? + 1)
        });
        let Some(at) = at else {
            return Err(document.problem(
                "/paths",
                format!("progenitor's httpmock output for {} no longer has the expected `When::new`; xtask/src/gen/client.rs must learn its new form", headers.operation_id),
            ));
        };
        let (action, version) = (&headers.action, &headers.version);
        let mut matched = format!(
            " . header (\"x-acs-action\" , {}) . header (\"x-acs-version\" , {})",
            quote!(#action),
            quote!(#version)
        );
        if common_in_query.contains(&headers.operation_id.to_snake_case()) {
            matched.push_str(&format!(
                " . query_param (\"Action\" , {}) . query_param (\"Format\" , \"json\") . query_param (\"Version\" , {})",
                quote!(#action),
                quote!(#version)
            ));
        }
        text.insert_str(at, &matched);
    }
    // An array or object in an RPC query string is matched flattened, as the client sends it.
    for name in styled_parameters(document) {
        let literal = quote!(#name).to_string();
        // Up to the call's closing parenthesis, which a trailing comma may precede.
        let progenitor = format!("self . 0 . query_param ({literal} , value . to_string ()");
        if !text.contains(&progenitor) {
            return Err(document.problem(
                "/paths",
                format!("progenitor's httpmock output no longer matches the query parameter {name} as expected; xtask/src/gen/client.rs must learn its new form"),
            ));
        }
        text = text.replace(
            &progenitor,
            &format!("crate :: flat_query (self . 0 , {literal} , value"),
        );
    }
    // progenitor matches every body as JSON; a form body is matched as the client writes it.
    for id in form_body_operations(document) {
        let when = format!("impl {}When {{", id.to_upper_camel_case());
        let json = "Self (self . 0 . json_body_obj (value))";
        let at = text
            .find(&when)
            .and_then(|start| Some(start + text[start..].find(json)?));
        let Some(at) = at else {
            return Err(document.problem(
                "/paths",
                format!("progenitor's httpmock output for {id} no longer matches its body as expected; xtask/src/gen/client.rs must learn its new form"),
            ));
        };
        text.replace_range(
            at..at + json.len(),
            "Self (crate :: form_body (self . 0 , value))",
        );
    }
    text.parse()
        .map_err(|e| document.problem("/paths", format!("rewritten mocks do not parse: {e}")))
}

/// Operations whose request body is `application/x-www-form-urlencoded`.
fn form_body_operations(document: &Document) -> Vec<String> {
    operations(document)
        .filter(|operation| {
            operation.get("requestBody").is_some_and(|body| {
                crate::lint::limits::followed(&document.json, body)
                    .pointer("/content/application~1x-www-form-urlencoded")
                    .is_some()
            })
        })
        .filter_map(|operation| operation["operationId"].as_str().map(str::to_owned))
        .collect()
}

/// The generated client, made to say and send what the wire needs (one pass over its text):
/// - progenitor's rustdoc says each method "Sends a `POST` request to `/ListApplicationTokens`":
///   for an RPC operation that is the pseudo-path, which is never sent; it says what is;
/// - progenitor sends a query parameter through `QueryParam`, which writes an array as
///   `Name=a&Name=b` and an object's fields without its name. An RPC service wants them flattened
///   1-based (`Name.1=a`, `Name.Key=v`): parameters the document marks `x-acs-style` go through
///   `idtok_runtime::rpc_query::Flattened` instead. A name is the same parameter in every
///   operation that has it, and a scalar passes through `Flattened` unchanged.
fn rewritten_client(
    document: &Document,
    client: TokenStream,
    rpc_operations: &[RpcOperation],
) -> Result<TokenStream, Problem> {
    let styled = styled_parameters(document);
    if rpc_operations.is_empty() && styled.is_empty() {
        return Ok(client);
    }
    let mut text = client.to_string();
    for rpc in rpc_operations {
        let pseudo = format!("Sends a `{}` request to `{}`", rpc.method, rpc.pseudo_path);
        let wire = format!(
            "Sends `{} {}` with `x-acs-action: {}` and `x-acs-version: {}`, the parameters in the query string",
            rpc.method, rpc.path, rpc.action, rpc.version
        );
        if !text.contains(&pseudo) {
            return Err(document.problem(
                "/paths",
                format!("progenitor's rustdoc for {} no longer reads as expected; xtask/src/gen/client.rs must learn its new form", rpc.action),
            ));
        }
        text = text.replace(&pseudo, &wire);
    }
    for name in styled {
        let literal = quote!(#name).to_string();
        let progenitor = format!("progenitor_client :: QueryParam :: new ({literal} ,");
        if !text.contains(&progenitor) {
            return Err(document.problem(
                "/paths",
                format!("progenitor's client no longer sends the query parameter {name} as expected; xtask/src/gen/client.rs must learn its new form"),
            ));
        }
        text = text.replace(
            &progenitor,
            &format!(":: idtok_runtime :: rpc_query :: Flattened :: new ({literal} ,"),
        );
    }
    text.parse()
        .map_err(|e| document.problem("/paths", format!("rewritten client does not parse: {e}")))
}

/// The query parameters a document marks `x-acs-style` (arrays and objects of an RPC
/// operation), by wire name.
pub(crate) fn styled_parameters(document: &Document) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    crate::lint::walk(&document.json["paths"], "", &mut |object, _| {
        if let (Some(Value::String(name)), Some(_)) = (
            object.get("name"),
            object.get(crate::lint::limits::QUERY_STYLE),
        ) {
            names.insert(name.clone());
        }
    });
    names
}

/// The query keys whose values are secrets the service takes only in the URL (`x-secret-in-url`):
/// a scalar parameter's name, or the flattened key of a secret inside an array or object
/// (`CredentialContent.OAuthClientContent.ClientSecret`, `*` for an array index). Logs and dry runs
/// redact them.
fn secret_query_keys(document: &Document) -> TokenStream {
    let mut out = Vec::new();
    crate::lint::walk(&document.json["paths"], "", &mut |object, _| {
        if let (Some(Value::String(name)), Some(_), Some(schema)) = (
            object.get("name"),
            object.get(crate::lint::limits::SECRET_IN_URL),
            object.get("schema"),
        ) {
            out.extend(crate::lint::limits::secret_paths(
                &document.json,
                name,
                schema,
            ));
        }
    });
    out.sort();
    out.dedup();
    quote! {
        /// Query keys whose values are secrets the service takes only in the URL (the document's
        /// `x-secret-in-url`; `*` is any array index): redacted wherever a URL is shown.
        pub(crate) const SECRET_QUERY_KEYS: &[&str] = &[ #(#out),* ];
    }
}

/// The `x-acs-action` and `x-acs-version` headers one operation is sent with.
struct ActionHeaders {
    /// The operationId, as the document writes it.
    operation_id: String,
    action: String,
    version: String,
}

/// The action headers of every operation that has them: an RPC operation's come from its
/// `x-acs-rpc`; in a document that says `x-acs-action-headers: true`, every operation's come from
/// its operationId and `info.version`.
fn action_headers(document: &Document, rpc_operations: &[RpcOperation]) -> Vec<ActionHeaders> {
    let mut out: Vec<ActionHeaders> = rpc_operations
        .iter()
        .map(|rpc| ActionHeaders {
            operation_id: rpc.action.clone(),
            action: rpc.action.clone(),
            version: rpc.version.clone(),
        })
        .collect();
    if document.json.get(crate::lint::limits::ACTION_HEADERS) == Some(&Value::Bool(true)) {
        let version = &document.openapi.info.version;
        for id in operation_ids(document) {
            out.push(ActionHeaders {
                operation_id: id.clone(),
                action: id,
                version: version.clone(),
            });
        }
    }
    out
}

/// Every operation of the document (the JSON objects under `paths`), in document order.
fn operations(document: &Document) -> impl Iterator<Item = &Value> {
    document.json["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
}

/// Every operationId of the document, in document order.
fn operation_ids(document: &Document) -> Vec<String> {
    operations(document)
        .filter_map(|operation| operation.get("operationId")?.as_str().map(str::to_owned))
        .collect()
}

/// Each operation's id as progenitor's CLI gives it (the snake_case of the operationId) and the
/// operationId itself, for the CLI to name the operation as the vendor does: the snake_case does
/// not give it back (`assume_role_with_oidc` is `AssumeRoleWithOIDC`).
fn operation_ids_table(document: &Document) -> TokenStream {
    let entries = operation_ids(document).into_iter().map(|id| {
        let snake = id.to_snake_case();
        quote! { (#snake, #id) }
    });
    quote! {
        /// Each operation's id in progenitor's CLI (`CliCommand::operation_id`) and its
        /// operationId in the document.
        pub const OPERATION_IDS: &[(&str, &str)] = &[ #(#entries),* ];
    }
}

/// For a document that says `x-acs-action-headers: true`, what the client's hook sets on each
/// request.
fn action_headers_table(document: &Document) -> Option<TokenStream> {
    if document.json.get(crate::lint::limits::ACTION_HEADERS) != Some(&Value::Bool(true)) {
        return None;
    }
    let version = &document.openapi.info.version;
    let entries = operation_ids(document).into_iter().map(|id| {
        let snake = id.to_snake_case();
        quote! { (#snake, #id) }
    });
    Some(quote! {
        /// `x-acs-action` (the operationId) of each operation, by progenitor's snake_case id, and
        /// `x-acs-version` (`info.version`): the document says `x-acs-action-headers: true`.
        pub(crate) const ACTION_HEADERS: crate::ActionHeaders = crate::ActionHeaders {
            version: #version,
            actions: &[ #(#entries),* ],
        };
    })
}

/// Drops `format: password` from a parameter's schema.
fn plain_string(parameter: &mut Parameter) {
    let data = match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    if let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &mut data.format
    {
        if let openapiv3::SchemaKind::Type(openapiv3::Type::String(string)) =
            &mut schema.schema_kind
        {
            string.format = openapiv3::VariantOrUnknownOrEmpty::Empty;
        }
    }
}

/// What an RPC operation sends on the wire, from its `x-acs-rpc`.
struct RpcOperation {
    /// progenitor reports operation ids in snake_case (OperationInfo::operation_id), by heck.
    operation_id: String,
    pseudo_path: String,
    action: String,
    version: String,
    method: String,
    path: String,
}

/// Every operation of the document that carries `x-acs-rpc`.
fn rpc_operations(document: &Document) -> Vec<RpcOperation> {
    let mut out = Vec::new();
    for (pseudo_path, item) in document.json["paths"].as_object().into_iter().flatten() {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let (Some(id), Some(rpc)) = (
                operation["operationId"].as_str(),
                operation.get("x-acs-rpc"),
            ) else {
                continue;
            };
            let field = |name: &str| {
                rpc.get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            out.push(RpcOperation {
                operation_id: id.to_snake_case(),
                pseudo_path: pseudo_path.clone(),
                action: field("action"),
                version: field("version"),
                method: field("method"),
                path: field("path"),
            });
        }
    }
    out
}

/// progenitor's snake_case ids of the operations (JSON objects of `paths`) that `keep` accepts.
fn operations_where(document: &Document, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    operations(document)
        .filter(|operation| keep(operation))
        .filter_map(|operation| operation["operationId"].as_str())
        .map(|id| id.to_snake_case())
        .collect()
}

/// Operations the document marks `x-idempotent: true`: the only ones the send loop retries.
fn idempotent_operations(document: &Document) -> TokenStream {
    let ids = operations_where(document, |operation| {
        operation.get(crate::lint::limits::IDEMPOTENT) == Some(&Value::Bool(true))
    });
    quote! {
        /// Operations the document marks `x-idempotent: true`: safe to send again after a
        /// throttled, failed or lost attempt. No other operation is retried.
        pub(crate) const IDEMPOTENT_OPERATIONS: &[&str] = &[ #(#ids),* ];
    }
}

/// Operations whose document says `security: []`: the service is called without credentials, and
/// the client must not send any (docs/wire.md: ValidateAuthenticationToken, GenerateToken).
fn unsigned_operations(document: &Document) -> TokenStream {
    let ids = operations_where(document, |operation| {
        operation
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
    });
    quote! {
        /// Operations the document marks `security: []`: sent without credentials.
        pub(crate) const UNSIGNED_OPERATIONS: &[&str] = &[ #(#ids),* ];
    }
}

/// Operations that say `x-acs-rpc-common-parameters: query` (the lint allows only that value).
fn rpc_common_parameter_operations(document: &Document) -> Vec<String> {
    operations_where(document, |operation| {
        operation
            .get(crate::lint::limits::RPC_COMMON_PARAMETERS)
            .is_some()
    })
}

/// For a document with operations that carry the RPC common parameters in their query string,
/// which ones.
fn rpc_common_parameters_table(document: &Document) -> Option<TokenStream> {
    let ids = rpc_common_parameter_operations(document);
    (!ids.is_empty()).then(|| {
        quote! {
            /// Operations the document marks `x-acs-rpc-common-parameters: query`: sent with the
            /// RPC common parameters in the query string (and without a signature: the lint
            /// allows the mark only with `security: []`).
            pub(crate) const RPC_COMMON_PARAMETERS_IN_QUERY: &[&str] = &[ #(#ids),* ];
        }
    })
}

/// For an RPC family, what each operation sends on the wire, read from its `x-acs-rpc`.
fn rpc_actions(rpc_operations: &[RpcOperation]) -> TokenStream {
    let entries = rpc_operations.iter().map(|rpc| {
        let RpcOperation {
            operation_id,
            pseudo_path,
            action,
            version,
            method,
            path,
        } = rpc;
        quote! {
            crate::rpc::RpcAction {
                operation_id: #operation_id,
                pseudo_path: #pseudo_path,
                action: #action,
                version: #version,
                method: #method,
                path: #path,
            }
        }
    });
    quote! {
        /// What each operation sends on the wire, from its `x-acs-rpc` in the document.
        pub(crate) const RPC_ACTIONS: &[crate::rpc::RpcAction] = &[ #(#entries),* ];
    }
}
