//! The client module of a family, by progenitor, over the model crate's types.

use heck::ToUpperCamelCase;
use openapiv3::{Parameter, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;
use serde_json::{json, Value};

use crate::document::{Document, Problem};
use crate::families::SECRET_TYPE;
use crate::gen::json_schema::schemars_object;
use crate::gen::models::component_schemas;
use crate::gen::rewrite;
use crate::operations::Operation;
use syn::Expr;

/// Header parameters that the runtime sets from the credentials, not the caller: the signer adds and
/// signs them. Left out of the generated builders so a secret never sits in a builder's Debug.
pub(crate) const RUNTIME_HEADERS: [&str; 1] = ["X-Security-Token"];

/// The client module, the CLI module and the typed mocks of a family.
/// progenitor's settings for a family's document.
fn settings(document: &Document) -> GenerationSettings {
    let family = document.family;
    let inner = format!("crate::{}::ClientContext", family.name)
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
    settings
}

/// The document as progenitor is given it: shared parameters inlined, the headers the runtime
/// sends left out, and open value lists.
fn progenitor_spec(document: &Document) -> Result<openapiv3::OpenAPI, Problem> {
    let mut spec = document.openapi.clone();
    inline_parameter_refs(document, &mut spec)?;
    for operation in operations_mut(&mut spec) {
        operation.parameters.retain(|p| match p {
            ReferenceOr::Item(Parameter::Header { parameter_data, .. }) => !RUNTIME_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&parameter_data.name)),
            _ => true,
        });
        for parameter in operation.parameters.iter_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                open_values(document, parameter)?;
            }
        }
    }
    Ok(spec)
}

/// The typed mocks, which answer with the documented statuses. Apart from [`client`] so that
/// another thread can make them (token streams cannot cross threads).
pub fn mock(document: &Document) -> Result<syn::File, Problem> {
    mocks(document, &settings(document), progenitor_spec(document)?)
}

/// The document as the client and the CLI are made from it: any 2xx is a success.
fn client_spec(document: &Document) -> Result<openapiv3::OpenAPI, Problem> {
    let mut spec = progenitor_spec(document)?;
    for operation in operations_mut(&mut spec) {
        any_success_status(operation);
    }
    Ok(spec)
}

/// The family's client: progenitor's, rewritten and documented, with its paginators and its side
/// of the family contract.
pub fn client(document: &Document) -> Result<syn::File, Problem> {
    let client = Generator::new(&settings(document))
        .generate_tokens(&client_spec(document)?)
        .map_err(|e| document.problem("/paths", format!("progenitor: {e}")))?;
    let mut client = rewritten_client(document, client)?;
    crate::gen::client_docs::documented(document, &mut client)?;
    let paginators = crate::gen::paginators::generate(document)?;
    let generated_side = generated_side(document, secret_query_keys(document));
    // progenitor's part is parsed once; only what idtok adds is parsed here.
    let ours: syn::File = syn::parse2(quote! {
        #paginators
        #generated_side
    })
    .map_err(|e| {
        document.problem(
            "/paths",
            format!("the client's paginators and family contract: {e}"),
        )
    })?;
    client.items.extend(ours.items);
    Ok(client)
}

/// The family's command-line code: progenitor's CLI and idtok's hooks, examples and operation
/// table. Apart from [`client`] so that another thread can make it.
pub fn cli(document: &Document) -> Result<syn::File, Problem> {
    // Request bodies are idtok's own (`cli_hooks`): progenitor's CLI takes them only from a file.
    // So are arrays and objects in a query string, which progenitor's CLI cannot parse.
    let styled = styled_parameters(document);
    let mut cli_spec = client_spec(document)?;
    let wire: std::collections::BTreeMap<&str, String> = document
        .operations
        .iter()
        .map(|o| (o.id.as_str(), crate::wire::sentence(document, o)))
        .collect();
    for operation in operations_mut(&mut cli_spec) {
        operation.request_body = None;
        let description = operation
            .description
            .as_deref()
            .unwrap_or_default()
            .to_owned();
        let sentence = operation
            .operation_id
            .as_deref()
            .and_then(|id| wire.get(id))
            .cloned()
            .unwrap_or_default();
        operation.description = Some(format!("{description}\n\n{sentence}").trim().to_owned());
        operation.parameters.retain(|p| match p {
            ReferenceOr::Item(Parameter::Query { parameter_data, .. }) => {
                !styled.contains(&parameter_data.name)
            }
            _ => true,
        });
    }
    let cli = Generator::new(&settings(document))
        .cli(
            &cli_spec,
            &format!("idtok_client::{}", document.family.name),
        )
        .map_err(|e| document.problem("/paths", format!("progenitor (CLI): {e}")))?;
    let cli_hooks = crate::gen::cli_hooks::generate(document)?;
    let cli_examples = crate::gen::cli_examples::generate(document)?;
    let operation_ids = operation_ids_table(document);
    syn::parse2(quote! {
        #cli
        #cli_hooks
        #cli_examples
        #operation_ids
    })
    .map_err(|e| document.problem("/paths", format!("the CLI code does not parse: {e}")))
}

/// Replaces each `$ref` to a shared parameter (`#/components/parameters/...`) with the parameter,
/// so that the edits below, which look at a parameter's name and place, see every parameter, and
/// progenitor's output is the same whether an operation states a parameter or refers to one.
fn inline_parameter_refs(
    document: &Document,
    spec: &mut openapiv3::OpenAPI,
) -> Result<(), Problem> {
    let shared = spec
        .components
        .as_ref()
        .map(|c| c.parameters.clone())
        .unwrap_or_default();
    let inline = |parameters: &mut Vec<ReferenceOr<Parameter>>, at: &str| {
        for parameter in parameters.iter_mut() {
            if let ReferenceOr::Reference { reference } = parameter {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| shared.get(name))
                    .and_then(|p| p.as_item())
                    .ok_or_else(|| {
                        document.problem(
                            at,
                            format!("$ref {reference} is not a parameter of components/parameters"),
                        )
                    })?;
                *parameter = ReferenceOr::Item(found.clone());
            }
        }
        Ok::<(), Problem>(())
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = format!("/paths/{}", crate::document::escape_token(path));
        inline(&mut item.parameters, &format!("{at}/parameters"))?;
        for (method, operation) in crate::operations::METHODS.iter().zip(operation_slots(item)) {
            if let Some(operation) = operation {
                inline(
                    &mut operation.parameters,
                    &format!("{at}/{method}/parameters"),
                )?;
            }
        }
    }
    Ok(())
}

/// A path item's operation slots, in the order of `crate::operations::METHODS`.
fn operation_slots(item: &mut openapiv3::PathItem) -> [&mut Option<openapiv3::Operation>; 8] {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
}

fn operations_mut(
    spec: &mut openapiv3::OpenAPI,
) -> impl Iterator<Item = &mut openapiv3::Operation> {
    spec.paths
        .paths
        .values_mut()
        .flat_map(|item| match item {
            ReferenceOr::Item(item) => operation_slots(item).into(),
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

/// progenitor's httpmock helpers, made to match what the client really sends (rewritten on their
/// syntax, `gen::rewrite`):
/// - a secret parameter is matched by its value (the mock side takes a plain string; a
///   `SecretString` would print as redacted and never match);
/// - a path parameter's value is matched as the family's client sends it, regex-escaped;
/// - an RPC operation is matched on `POST /` with its `x-acs-action` and `x-acs-version` headers,
///   not on the pseudo-path that the client rewrites before sending (and, where its RPC common
///   parameters travel in the query, on those too); so is every operation of a document that says
///   `x-acs-action-headers: true`;
/// - an array or object of an RPC query string is matched flattened, as the client sends it;
/// - a form body is matched as the client writes it, not as JSON.
fn mocks(
    document: &Document,
    settings: &GenerationSettings,
    mut spec: openapiv3::OpenAPI,
) -> Result<syn::File, Problem> {
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
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| document.problem("/paths", format!("progenitor's mocks do not parse: {e}")))?;
    let changed_form = |what: &str| {
        document.problem(
            "/paths",
            format!("progenitor's httpmock output no longer {what} as expected; xtask/src/gen/client.rs must learn its new form"),
        )
    };

    // Path parameters: `format!("^/a/{}/b$", value.to_string())` inside `Regex::new`.
    let encode: syn::Path = syn::parse_str(document.family.path_value_as_sent)
        .map_err(|e| document.problem("", format!("path_value_as_sent: {e}")))?;
    let path_parameters = document
        .operations
        .iter()
        .flat_map(|o| &o.parameters)
        .filter(|p| p.location == "path")
        .count();
    let encoded = encode_path_values(&mut file, &encode);
    if path_parameters > 0 && encoded == 0 {
        return Err(changed_form("matches path parameters"));
    }

    for operation in &document.operations {
        let when = format!("{}When", operation.id.to_upper_camel_case());
        let mut blocks = rewrite::impls_of(&mut file, &when);
        let [block] = blocks.as_mut_slice() else {
            return Err(changed_form(&format!("has one `impl {when}`")));
        };
        // Every request of an RPC operation, or of a document that says so, carries its action and
        // version: so must what its mock matches. The pseudo-path is never sent.
        if let Some((action, version)) = action_headers(document, operation) {
            let new = rewrite::function(block, "new")
                .ok_or_else(|| changed_form(&format!("has `{when}::new`")))?;
            let in_query = operation.rpc_common_parameters_in_query;
            let headers = rewrite::in_impl_fn(new, &mut |expr| match expr {
                Expr::MethodCall(call) if call.method == "method" => Some(if in_query {
                    syn::parse_quote!(#call.header("x-acs-action", #action).header("x-acs-version", #version).query_param("Action", #action).query_param("Format", "json").query_param("Version", #version))
                } else {
                    syn::parse_quote!(#call.header("x-acs-action", #action).header("x-acs-version", #version))
                }),
                _ => None,
            });
            if headers != 1 {
                return Err(changed_form(&format!("sets the method in `{when}::new`")));
            }
            if let Some(rpc) = &operation.rpc {
                let wire_path = &rpc.path;
                let paths = rewrite::in_impl_fn(new, &mut |expr| match expr {
                    Expr::MethodCall(call) if call.method == "path_matches" => {
                        let receiver = &call.receiver;
                        Some(syn::parse_quote!(#receiver.path(#wire_path)))
                    }
                    _ => None,
                });
                if paths != 1 {
                    return Err(changed_form(&format!(
                        "matches the pseudo-path {} in `{when}::new`",
                        operation.path
                    )));
                }
            }
        }
        // An array or object in an RPC query string is matched flattened.
        for parameter in operation.parameters.iter().filter(|p| p.style.is_some()) {
            let name = &parameter.name;
            let flattened = rewrite::in_impl(block, &mut |expr| match expr {
                Expr::MethodCall(call)
                    if call.method == "query_param"
                        && rewrite::first_argument_is(&call.args, name) =>
                {
                    let receiver = &call.receiver;
                    Some(
                        syn::parse_quote!(crate::for_generated::flat_query(#receiver, #name, value)),
                    )
                }
                _ => None,
            });
            if flattened != 1 {
                return Err(changed_form(&format!(
                    "matches the query parameter {name} of {}",
                    operation.id
                )));
            }
        }
        // A form body is matched as the client writes it.
        if operation
            .body
            .as_ref()
            .is_some_and(|b| b.media_type == FORM)
        {
            let forms = rewrite::in_impl(block, &mut |expr| match expr {
                Expr::MethodCall(call) if call.method == "json_body_obj" => {
                    let receiver = &call.receiver;
                    Some(syn::parse_quote!(crate::for_generated::form_body(#receiver, value)))
                }
                _ => None,
            });
            if forms != 1 {
                return Err(changed_form(&format!(
                    "matches the body of {}",
                    operation.id
                )));
            }
        }
    }
    Ok(file)
}

const FORM: &str = "application/x-www-form-urlencoded";

/// In the mocks, a path parameter's value goes into progenitor's regex as it is: neither
/// regex-escaped (a `.` would match any character) nor percent-encoded as the client sends it (a
/// space would never match). Every `value.to_string()` in a `format!` becomes
/// `regex::escape(&<encode>(&value.to_string()))`. Returns how many.
fn encode_path_values(file: &mut syn::File, encode: &syn::Path) -> usize {
    rewrite::in_file(file, &mut |expr| match expr {
        Expr::Macro(mac) if mac.mac.path.is_ident("format") => {
            let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
            let mut arguments = syn::parse::Parser::parse2(parser, mac.mac.tokens.clone()).ok()?;
            let mut changed = false;
            for argument in arguments.iter_mut().skip(1) {
                if is_value_to_string(argument) {
                    *argument = syn::parse_quote!(regex::escape(&#encode(&#argument)));
                    changed = true;
                }
            }
            changed.then(|| {
                let mut mac = mac.clone();
                mac.mac.tokens = quote!(#arguments);
                Expr::Macro(mac)
            })
        }
        _ => None,
    })
}

/// `value.to_string()`.
fn is_value_to_string(expr: &Expr) -> bool {
    matches!(expr, Expr::MethodCall(call)
        if call.method == "to_string"
            && call.args.is_empty()
            && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("value")))
}

/// The generated client, made to say and send what the wire needs (rewritten on its syntax):
/// - progenitor's rustdoc says each method "Sends a `POST` request to `/ListApplicationTokens`":
///   for an RPC operation that is the pseudo-path, which is never sent; every operation's says
///   what is sent, and how it is signed (`crate::wire`);
/// - progenitor sends a query parameter through `QueryParam`, which writes an array as
///   `Name=a&Name=b` and an object's fields without its name. An RPC service wants them flattened
///   1-based (`Name.1=a`, `Name.Key=v`): parameters the document marks `x-acs-style` go through
///   `idtok_runtime::rpc_query::Flattened` instead. A name is the same parameter in every
///   operation that has it, and a scalar passes through `Flattened` unchanged.
fn rewritten_client(document: &Document, client: TokenStream) -> Result<syn::File, Problem> {
    let changed_form = |what: String| {
        document.problem(
            "/paths",
            format!("progenitor's client no longer {what} as expected; xtask/src/gen/client.rs must learn its new form"),
        )
    };
    let mut file: syn::File = syn::parse2(client).map_err(|e| {
        document.problem("/paths", format!("progenitor's client does not parse: {e}"))
    })?;
    // Each rewrite walks the file once for all operations: a walk per operation is quadratic.
    let sentences: Vec<(String, String)> = document
        .operations
        .iter()
        .map(|operation| {
            let progenitors = format!(
                "Sends a `{}` request to `{}`",
                operation.method.to_uppercase(),
                operation.path
            );
            let wire = crate::wire::sentence(document, operation);
            (progenitors, wire.trim_end_matches('.').to_owned())
        })
        .collect();
    let counts = rewrite::doc_texts(&mut file, &sentences);
    if let Some((operation, _)) = document
        .operations
        .iter()
        .zip(&counts)
        .find(|(_, count)| **count == 0)
    {
        return Err(changed_form(format!(
            "says in its rustdoc where {} is sent",
            operation.id
        )));
    }
    let styled = styled_parameters(document);
    let mut flattened = std::collections::BTreeMap::<String, usize>::new();
    rewrite::in_file(&mut file, &mut |expr| match expr {
        Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if rewrite::path_ends_with(&p.path, &["QueryParam", "new"])) =>
        {
            let name = call.args.first().and_then(rewrite::string_literal)?;
            if !styled.contains(&name) {
                return None;
            }
            *flattened.entry(name).or_default() += 1;
            let args = &call.args;
            Some(syn::parse_quote!(::idtok_runtime::rpc_query::Flattened::new(#args)))
        }
        _ => None,
    });
    if let Some(name) = styled.iter().find(|name| !flattened.contains_key(*name)) {
        return Err(changed_form(format!("sends the query parameter {name}")));
    }
    Ok(file)
}

/// The query parameters a document marks `x-acs-style` (arrays and objects of an RPC
/// operation), by wire name.
pub(crate) fn styled_parameters(document: &Document) -> std::collections::BTreeSet<String> {
    document
        .operations
        .iter()
        .flat_map(|o| &o.parameters)
        .filter(|p| p.style.is_some())
        .map(|p| p.name.clone())
        .collect()
}

/// The query keys whose values are secrets the service takes only in the URL (`x-secret-in-url`):
/// a scalar parameter's name, or the flattened key of a secret inside an array or object
/// (`CredentialContent.OAuthClientContent.ClientSecret`, `*` for an array index). Logs and dry runs
/// redact them.
fn secret_query_keys(document: &Document) -> Vec<String> {
    let mut out: Vec<String> = document
        .operations
        .iter()
        .flat_map(|o| &o.parameters)
        .filter(|p| p.secret_in_url)
        .flat_map(|p| crate::lint::limits::secret_paths(&document.json, &p.name, &p.json["schema"]))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The generated side of the contract between a family's modules (`idtok_client`'s
/// `send::Generated`, documented there): what the document says of each operation that the
/// family's hooks and the send loop read, and progenitor's hooks wired to them.
fn generated_side(document: &Document, secret_query_keys: Vec<String>) -> TokenStream {
    let models = quote::format_ident!("{}", document.family.models_crate);
    let ids = |keep: &dyn Fn(&Operation) -> bool| -> Vec<String> {
        document
            .operations
            .iter()
            .filter(|o| keep(o))
            .map(|o| o.snake.clone())
            .collect()
    };
    let idempotent = ids(&|o| o.idempotent);
    let unsigned = ids(&|o| o.unsigned);
    let common_in_query = ids(&|o| o.rpc_common_parameters_in_query);
    let rpc_actions = document.operations.iter().filter_map(|operation| {
        let rpc = operation.rpc.as_ref()?;
        let (operation_id, pseudo_path) = (&operation.snake, &operation.path);
        let (action, version, method, path) = (&rpc.action, &rpc.version, &rpc.method, &rpc.path);
        Some(quote! {
            crate::send::RpcAction {
                operation_id: #operation_id,
                pseudo_path: #pseudo_path,
                action: #action,
                version: #version,
                method: #method,
                path: #path,
            }
        })
    });
    let action_headers =
        if document.json.get(crate::extensions::ACTION_HEADERS) == Some(&Value::Bool(true)) {
            let version = &document.openapi.info.version;
            let entries = document.operations.iter().map(|o| {
                let (snake, id) = (&o.snake, &o.id);
                quote! { (#snake, #id) }
            });
            quote!(Some(crate::ActionHeaders { version: #version, actions: &[ #(#entries),* ] }))
        } else {
            quote!(None)
        };
    let context: TokenStream = format!("crate::{}::ClientContext", document.family.name)
        .parse()
        .expect("a path");
    quote! {
        crate::family_client!(#context);

        /// What the document says of each operation, for the family's hooks and the send loop
        /// (`crate::send::Generated`).
        impl crate::send::Generated for Client {
            type ErrorBody = ::#models::ErrorResponse;
            /// `x-idempotent: true`: safe to send again after a throttled, failed or lost
            /// attempt. No other operation is retried.
            const IDEMPOTENT: &'static [&'static str] = &[ #(#idempotent),* ];
            /// `x-secret-in-url` (`*` is any array index): redacted wherever a URL is shown.
            const SECRET_QUERY_KEYS: &'static [&'static str] = &[ #(#secret_query_keys),* ];
            /// `security: []`: sent without credentials.
            const UNSIGNED: &'static [&'static str] = &[ #(#unsigned),* ];
            /// `x-acs-rpc`, the document's over the operation's own.
            const RPC_ACTIONS: &'static [crate::send::RpcAction] = &[ #(#rpc_actions),* ];
            /// `x-acs-rpc-common-parameters: query` (the lint allows it only with `security: []`).
            const RPC_COMMON_PARAMETERS_IN_QUERY: &'static [&'static str] = &[ #(#common_in_query),* ];
            /// `x-acs-action-headers: true`: each operation's operationId and `info.version`.
            const ACTION_HEADERS: Option<crate::ActionHeaders> = #action_headers;
        }
    }
}

/// The `x-acs-action` and `x-acs-version` headers an operation is sent with: an RPC operation's
/// from its `x-acs-rpc`; in a document that says `x-acs-action-headers: true`, every operation's
/// from its operationId and `info.version`.
fn action_headers(document: &Document, operation: &Operation) -> Option<(String, String)> {
    if let Some(rpc) = &operation.rpc {
        return Some((rpc.action.clone(), rpc.version.clone()));
    }
    (document.json.get(crate::extensions::ACTION_HEADERS) == Some(&Value::Bool(true)))
        .then(|| (operation.id.clone(), document.openapi.info.version.clone()))
}

/// Each operation's id as progenitor's CLI gives it (the snake_case of the operationId) and the
/// operationId itself, for the CLI to name the operation as the vendor does: the snake_case does
/// not give it back (`assume_role_with_oidc` is `AssumeRoleWithOIDC`).
fn operation_ids_table(document: &Document) -> TokenStream {
    let entries = document.operations.iter().map(|o| {
        let (snake, id) = (&o.snake, &o.id);
        quote! { (#snake, #id) }
    });
    quote! {
        /// Each operation's id in progenitor's CLI (`CliCommand::operation_id`) and its
        /// operationId in the document.
        pub const OPERATION_IDS: &[(&str, &str)] = &[ #(#entries),* ];
    }
}

/// Leaves a parameter's value open to progenitor (`json_schema::VALUE_LIMITS`): its builder takes
/// any string or number, and idtok's flags check the document's limits (`cli_hooks`).
fn open_values(document: &Document, parameter: &mut Parameter) -> Result<(), Problem> {
    let data = match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    if let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &mut data.format
    {
        let problem = |e: serde_json::Error| {
            document.problem(
                "/paths",
                format!("the schema of parameter {}: {e}", data.name),
            )
        };
        let mut value = serde_json::to_value(&*schema).map_err(problem)?;
        crate::gen::json_schema::without_value_limits(&mut value);
        *schema = serde_json::from_value(value).map_err(problem)?;
    }
    Ok(())
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
