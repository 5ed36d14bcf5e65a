//! The client module of a family, by progenitor, over the model crate's types.

use heck::ToSnakeCase;
use openapiv3::{Parameter, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::{json, Value};

use crate::document::{Document, Problem};
use crate::families::SECRET_TYPE;
use crate::json_schema::schemars_object;
use crate::models::component_schemas;

/// Header parameters that the runtime sets from the credentials, not the caller: the signer adds and
/// signs them. Left out of the generated builders so a secret never sits in a builder's Debug.
const RUNTIME_HEADERS: [&str; 1] = ["X-Security-Token"];

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

    let client = Generator::new(&settings)
        .generate_tokens(&spec)
        .map_err(|e| document.problem("/paths", format!("progenitor: {e}")))?;
    // A fresh generator: the CLI pass registers the component types again.
    let cli = Generator::new(&settings)
        .cli(&spec, &format!("idtok_client::{module}"))
        .map_err(|e| document.problem("/paths", format!("progenitor (CLI): {e}")))?;
    let rpc = rpc_operations(document);
    let mock = mocks(document, &settings, spec, &rpc)?;
    let rpc_actions = family.rpc.then(|| rpc_actions(&rpc));
    let unsigned = unsigned_operations(document);
    Ok(ClientCode {
        client: quote! {
            #client
            #rpc_actions
            #unsigned
        },
        cli,
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
        let (action, version) = (&rpc.action, &rpc.version);
        let wire = format!(
            ". path (\"/\") . header (\"x-acs-action\" , {}) . header (\"x-acs-version\" , {})",
            quote!(#action),
            quote!(#version)
        );
        if text.matches(&pseudo).count() != 1 {
            return Err(document.problem(
                "/paths",
                format!("progenitor's httpmock output no longer matches {} as expected; xtask/src/client.rs must learn its new form", rpc.pseudo_path),
            ));
        }
        text = text.replace(&pseudo, &wire);
    }
    text.parse()
        .map_err(|e| document.problem("/paths", format!("rewritten mocks do not parse: {e}")))
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

/// Operations whose document says `security: []`: the service is called without credentials, and
/// the client must not send any (wire.md: ValidateAuthenticationToken, GenerateToken).
fn unsigned_operations(document: &Document) -> TokenStream {
    let mut ids = Vec::new();
    for item in document.json["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let unsecured = operation
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(Vec::is_empty);
            if let (true, Some(id)) = (unsecured, operation["operationId"].as_str()) {
                ids.push(id.to_snake_case());
            }
        }
    }
    quote! {
        /// Operations the document marks `security: []`: sent without credentials.
        pub(crate) const UNSIGNED_OPERATIONS: &[&str] = &[ #(#ids),* ];
    }
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
            crate::eiam::RpcAction {
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
        pub(crate) const RPC_ACTIONS: &[crate::eiam::RpcAction] = &[ #(#entries),* ];
    }
}
