//! What `idtok` adds to progenitor's CLI of a family, from the documents: the `CliConfig` hooks
//! (`impl CliConfig for crate::output::Output`), request-body flags and `--all`.
//!
//! - Request bodies: progenitor's CLI gives a body only `--json-body <file>` (and flags for a few
//!   scalar properties, which the file then overwrites), so the CLI is generated without request
//!   bodies, and this module writes a table of each body's fields (`REQUEST_BODIES`) that
//!   `crates/idtok/src/body.rs` turns into flags and a JSON value, and the hook that hands that
//!   value to the operation's builder.
//! - Paging: for each operation marked `x-paginated`, `PAGINATED` says how it pages and its hook
//!   runs `--all` (`crates/idtok/src/paging.rs`).
//! - The answer is printed from the call's record as the server sent it, so the hooks that would
//!   print a decoded value do nothing.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::document::{escape_token, Document, Problem};

/// Flags that idtok itself gives every operation with a body; a property of the same name gets
/// `--body-<name>`.
const RESERVED_FLAGS: [&str; 2] = ["json-body", "json-body-template"];

pub fn generate(document: &Document) -> Result<TokenStream, Problem> {
    let module = format_ident!("{}", document.family.name);
    let models = format_ident!("{}", document.family.models_crate);
    let mut bodies = Vec::new();
    let mut paginated = Vec::new();
    let mut structured = Vec::new();
    let mut hooks = Vec::new();
    let mut tables = Vec::new();
    let mut idempotency_tokens = Vec::new();
    let mut parameter_limits = Vec::new();
    // The document with its keys in their order (`json`'s are sorted), for the order of columns.
    let ordered = serde_yaml::to_value(&document.openapi).unwrap_or_default();
    for op in &document.operations {
        let (id, pointer, operation) = (op.id.as_str(), &op.pointer, &op.json);
        let item = &document.json["paths"][&op.path];
        tables.extend(table(document, &ordered, operation, pointer, id));
        parameter_limits.extend(limited_parameters(document, item, operation, id));
        let mut steps = Vec::new();
        for parameter in op.parameters.iter().filter(|p| p.style.is_some()) {
            let parameter = &parameter.json;
            let (field, rust_type) = structured_parameter(document, id, parameter);
            structured.push(field);
            let name = parameter["name"].as_str().unwrap_or_default();
            let setter = format_ident!("{}", crate::operations::rust_name(name));
            let flag = format!("the value of --{}", name.to_kebab_case());
            let shape = shape(&document.json, &parameter["schema"], 0);
            steps.push(quote! {
                    if let Some(value) = crate::body::structured(#id, #name, STRUCTURED_PARAMETERS, matches)? {
                        let value: #rust_type = crate::body::typed(#flag, &#shape, value)?;
                        *request = request.clone().#setter(value);
                    }
                });
        }
        for parameter in op.parameters.iter().filter(|p| p.idempotency_token) {
            let name = parameter.name.as_str();
            let flag = name.to_kebab_case();
            let setter = format_ident!("{}", crate::operations::rust_name(name));
            idempotency_tokens.push(quote! {
                crate::body::IdempotencyToken { operation: #id, flag: #flag }
            });
            steps.push(quote! {
                if matches.get_one::<::std::string::String>(#flag).is_none() {
                    *request = request.clone().#setter(crate::body::fresh_idempotency_token(#id)?);
                }
            });
        }
        if let Some(body) = operation.get("requestBody") {
            let (table, body_type) = request_body(document, item, operation, id, body, pointer)?;
            bodies.push(table);
            let shape = shape(
                &document.json,
                &serde_json::json!({ "$ref": format!("#/components/schemas/{body_type}") }),
                0,
            );
            let body_type = format_ident!("{}", body_type);
            steps.push(quote! {
                    if let Some(body) = crate::body::from_matches(#id, REQUEST_BODIES, matches)? {
                        let body: ::#models::#body_type = crate::body::typed("the request body", &#shape, body)?;
                        *request = request.clone().body(body);
                    }
                });
        }
        if let Some(paging) = &op.paging {
            let field = |name: &str| paging[name].as_str().unwrap_or_default().to_owned();
            let (input, output, items) =
                (field("inputToken"), field("outputToken"), field("items"));
            let page_size = paging
                .get("pageSize")
                .and_then(Value::as_str)
                .map(|p| format!("--{}", p.to_kebab_case()));
            // Token paging names the token it follows and the flag to resume from; page-number
            // paging always starts from page 1 (idtok_client::paging::by_page_number).
            let (how, start) = if input.is_empty() {
                (
                    "Ask for every page by number, from page 1".to_owned(),
                    String::new(),
                )
            } else {
                (
                    format!("Follow {output} through every page"),
                    format!("; --{} starts from that page", input.to_kebab_case()),
                )
            };
            let help = format!(
                "{how}, and print each item of {items} as one line of JSON (JSON lines), one page in memory at a time{}{start}",
                page_size
                    .map(|flag| format!("; {flag} sets the page size"))
                    .unwrap_or_default(),
            );
            paginated.push(quote! {
                crate::paging::Paginated { operation: #id, help: #help }
            });
            steps.push(quote! {
                if crate::paging::all(matches) {
                    return Err(crate::paging::print_all(self, #items, request.clone().stream()));
                }
            });
        }
        if steps.is_empty() {
            continue;
        }
        let hook = format_ident!("execute_{}", id.to_snake_case());
        let builder = format_ident!("{}", id.to_upper_camel_case());
        hooks.push(quote! {
            fn #hook(
                &self,
                matches: &::clap::ArgMatches,
                request: &mut ::idtok_client::#module::builder::#builder,
            ) -> ::anyhow::Result<()> {
                #(#steps)*
                Ok(())
            }
        });
    }
    let file = document.written_in();
    let version = document.json["info"]["version"]
        .as_str()
        .unwrap_or_default();
    let family = family_impl(document);
    Ok(quote! {
        #family

        /// The document this family is generated from, and its API version (`info.version`).
        pub const DOCUMENT: crate::output::DocumentInfo = crate::output::DocumentInfo {
            file: #file,
            api_version: #version,
        };

        /// What `--output table` and `text` show of each operation's answer: the list (or the one
        /// object) whose items are rows, the columns (the item schema's scalar properties, in the
        /// document's order, times marked `x-unix-time`), the names of the answer's secret fields,
        /// and whether the operation hands those secrets out (`x-issues-secret`: shown) or the
        /// items merely carry them (masked).
        pub const TABLES: &[crate::output::Table] = &[ #(#tables),* ];

        /// Each operation's request body, from the document: a flag per property, the media type,
        /// and the template `--json-body-template` prints (the document's example).
        pub const REQUEST_BODIES: &[crate::body::RequestBody] = &[ #(#bodies),* ];

        /// The arrays and objects of RPC query strings (`x-acs-style`), by operation: a flag each,
        /// repeated for an array, JSON for an object.
        pub const STRUCTURED_PARAMETERS: &[crate::body::StructuredParameter] = &[ #(#structured),* ];

        /// The operations the document marks `x-paginated`: they take `--all`.
        pub const PAGINATED: &[crate::paging::Paginated] = &[ #(#paginated),* ];

        /// The parameters the document marks `x-idempotency-token`: idtok fills in a fresh token
        /// when the flag is not given.
        pub const IDEMPOTENCY_TOKENS: &[crate::body::IdempotencyToken] = &[ #(#idempotency_tokens),* ];

        /// The query, path and header parameters whose values the document limits (`enum`,
        /// lengths, ranges): their flags refuse other values and offer the known ones.
        pub const PARAMETER_LIMITS: &[crate::values::ParameterLimits] = &[ #(#parameter_limits),* ];

        /// idtok's side of progenitor's CLI: the answer is printed from the call's record, as the
        /// service sent it (`crate::output`); bodies come from the body flags, `--all` pages.
        impl CliConfig for crate::output::Output {
            fn success_item<T>(&self, _: &ResponseValue<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }
            fn success_no_item(&self, _: &ResponseValue<()>) {}
            fn error<T>(&self, _: &Error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }
            fn list_start<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }
            fn list_item<T>(&self, value: &T)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
                self.print_json(value);
            }
            fn list_end_success<T>(&self)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }
            fn list_end_error<T>(&self, _: &Error<T>)
            where
                T: schemars::JsonSchema + serde::Serialize + std::fmt::Debug,
            {
            }
            #(#hooks)*
        }
    })
}

/// The generated side of the contract with `crates/idtok/src/family.rs`: this family's name,
/// title, service, tables and types, and how an operation runs through progenitor's CLI.
fn family_impl(document: &Document) -> TokenStream {
    let family = document.family;
    let name = family.command_name();
    let title = format!(
        "{}, API version {}",
        document.openapi.info.title, document.openapi.info.version
    );
    let service = format_ident!("{}", family.service);
    let module = format_ident!("{}", family.name);
    let models = format_ident!("{}", family.models_crate);
    quote! {
        /// This family, for `crate::family` (the contract between generated and hand-written code).
        pub struct Family;

        impl crate::family::Generated for Family {
            const NAME: &'static str = #name;
            const TITLE: &'static str = #title;
            const SERVICE: ::idtok_runtime::endpoint::Service = ::idtok_runtime::endpoint::Service::#service;
            const DOCUMENT: crate::output::DocumentInfo = DOCUMENT;
            const TABLES: &'static [crate::output::Table] = TABLES;
            const REQUEST_BODIES: &'static [crate::body::RequestBody] = REQUEST_BODIES;
            const STRUCTURED_PARAMETERS: &'static [crate::body::StructuredParameter] = STRUCTURED_PARAMETERS;
            const PAGINATED: &'static [crate::paging::Paginated] = PAGINATED;
            const IDEMPOTENCY_TOKENS: &'static [crate::body::IdempotencyToken] = IDEMPOTENCY_TOKENS;
            const PARAMETER_LIMITS: &'static [crate::values::ParameterLimits] = PARAMETER_LIMITS;
            const EXAMPLES: &'static [crate::help::Example] = EXAMPLES;
            const OPERATION_IDS: &'static [(&'static str, &'static str)] = OPERATION_IDS;

            type Client = ::idtok_client::#module::Client;
            type Context = ::idtok_client::#module::ClientContext;
            type ErrorBody = ::#models::ErrorResponse;
            type Command = CliCommand;

            fn commands() -> ::std::vec::Vec<CliCommand> {
                CliCommand::iter().collect()
            }

            fn operation_id(command: CliCommand) -> &'static str {
                command.operation_id()
            }

            fn clap_command(command: CliCommand) -> ::clap::Command {
                Cli::<crate::output::Output>::get_command(command)
            }

            fn client(
                endpoint: &::idtok_runtime::endpoint::Endpoint,
                context: Self::Context,
            ) -> ::std::result::Result<Self::Client, crate::failure::Failure> {
                ::idtok_client::#module::Client::from_endpoint(endpoint, context)
                    .map_err(|e| crate::failure::Failure::usage(e.to_string()))
            }

            fn execute(
                client: Self::Client,
                output: crate::output::Output,
                command: CliCommand,
                matches: &::clap::ArgMatches,
            ) -> impl ::std::future::Future<Output = ::anyhow::Result<()>> + '_ {
                async move { Cli::new(client, output).execute(command, matches).await }
            }
        }
    }
}

/// The `REQUEST_BODIES` entry of an operation's body, and the name of its schema.
fn request_body(
    document: &Document,
    item: &Value,
    operation: &Value,
    id: &str,
    body: &Value,
    pointer: &str,
) -> Result<(TokenStream, String), Problem> {
    let pointer = format!("{pointer}/requestBody");
    let body = crate::lint::limits::followed(&document.json, body);
    let Some((media_type, content)) = body["content"].as_object().and_then(|c| c.iter().next())
    else {
        return Err(document.problem(&pointer, "a request body needs content"));
    };
    let Some(schema_name) = content["schema"]["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    else {
        return Err(document.problem(
            &pointer,
            "a request body schema must be a $ref to components/schemas",
        ));
    };
    let schema = &document.json["components"]["schemas"][schema_name];
    let parameter_flags = parameter_flags(document, item, operation);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut fields = Vec::new();
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        let property = crate::lint::limits::followed(&document.json, property);
        let flag = body_field_flag(name, &parameter_flags);
        let kind = field_kind(document, property);
        let is_required = required.contains(&name.as_str());
        let secret = property["format"] == "password";
        let idempotency_token =
            property.get(crate::extensions::IDEMPOTENCY_TOKEN) == Some(&Value::Bool(true));
        let help = help(property, kind_name(&kind), secret, FlagOf::BodyField);
        let kind = kind_tokens(&kind);
        let limits = limits(&document.json, item_schema(&document.json, property));
        fields.push(quote! {
            crate::body::BodyField {
                name: #name,
                flag: #flag,
                kind: #kind,
                required: #is_required,
                secret: #secret,
                help: #help,
                limits: #limits,
                idempotency_token: #idempotency_token,
            }
        });
    }
    let template = serde_json::to_string_pretty(&template(document, content)).unwrap_or_default();
    let is_required = body["required"] == true;
    // Where the body holds secrets, at any depth (`apiKeyContent.apiKey`, `*` for array items).
    let secret_paths: Vec<String> =
        crate::lint::limits::secret_paths(&document.json, "", &content["schema"])
            .into_iter()
            .map(|path| path.trim_start_matches('.').to_owned())
            .collect();
    Ok((
        quote! {
            crate::body::RequestBody {
                operation: #id,
                media_type: #media_type,
                required: #is_required,
                template: #template,
                secret_paths: &[ #(#secret_paths),* ],
                fields: &[ #(#fields),* ],
            }
        },
        schema_name.to_owned(),
    ))
}

/// The `STRUCTURED_PARAMETERS` entry of an array or object query parameter, and the Rust type
/// its builder method takes.
fn structured_parameter(
    document: &Document,
    id: &str,
    parameter: &Value,
) -> (TokenStream, TokenStream) {
    let models = format_ident!("{}", document.family.models_crate);
    let name = parameter["name"].as_str().unwrap_or_default();
    let schema = &parameter["schema"];
    let target = crate::lint::limits::followed(&document.json, schema);
    let kind = field_kind(document, target);
    let secret = crate::lint::limits::holds_secret(&document.json, schema);
    let help = help(parameter, kind_name(&kind), secret, FlagOf::QueryParameter);
    let flag = name.to_kebab_case();
    let required = parameter["required"] == true;
    let kind_tokens = kind_tokens(&kind);
    let limits = limits(&document.json, item_schema(&document.json, target));
    // Objects (and arrays of objects) are what a flag is hard to write by hand.
    let holds_object =
        crate::lint::limits::followed(&document.json, item_schema(&document.json, target))
            .get("properties")
            .is_some();
    let template = if holds_object {
        serde_json::to_string_pretty(&crate::gen::examples::skeleton(&document.json, parameter))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let rust_type = |schema: &Value| -> TokenStream {
        if let Some(component) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            let component = format_ident!("{}", component);
            return quote!(::#models::#component);
        }
        match (schema["type"].as_str(), schema["format"].as_str()) {
            (Some("integer"), Some("int32")) => quote!(i32),
            (Some("integer"), _) => quote!(i64),
            (Some("number"), _) => quote!(f64),
            (Some("boolean"), _) => quote!(bool),
            (_, Some("password")) => quote!(::idtok_secret::SecretString),
            _ => quote!(::std::string::String),
        }
    };
    let rust_type = if target["type"] == "array" {
        let item = rust_type(&target["items"]);
        quote!(::std::vec::Vec<#item>)
    } else {
        rust_type(schema)
    };
    (
        quote! {
            crate::body::StructuredParameter {
                operation: #id,
                field: crate::body::BodyField {
                    name: #name,
                    flag: #flag,
                    kind: #kind_tokens,
                    required: #required,
                    secret: #secret,
                    help: #help,
                    limits: #limits,
                    idempotency_token: false,
                },
                template: #template,
            }
        },
        rust_type,
    )
}

/// The keys a request value may have, from the document (`crate::body::Shape`): an object names
/// its properties and is closed unless the document gives it `additionalProperties` (a free-form
/// object such as `customClaims`); an array says what its items are; anything else is a leaf. The
/// model types cannot say this themselves: a schema used in answers as well keeps unknown keys
/// there (`extra`), which a request must not.
fn shape(json: &Value, schema: &Value, depth: usize) -> TokenStream {
    let schema = crate::lint::limits::followed(json, schema);
    // Deeper than any document nests (and a schema that refers to itself) is taken as a leaf.
    if depth > 12 {
        return quote!(crate::body::Shape::Any);
    }
    if let Some(items) = schema.get("items") {
        let items = shape(json, items, depth + 1);
        return quote!(crate::body::Shape::Array(&#items));
    }
    // The schema and its alternatives (`allOf`, `oneOf`, `anyOf`): a key is known when one of
    // them names it, and the object is open when one of them is.
    let alternatives: Vec<&Value> = std::iter::once(schema)
        .chain(
            ["allOf", "oneOf", "anyOf"]
                .iter()
                .filter_map(|k| schema[*k].as_array())
                .flatten()
                .map(|alternative| crate::lint::limits::followed(json, alternative)),
        )
        .collect();
    let mut properties: Vec<(&String, &Value)> = Vec::new();
    for alternative in &alternatives {
        for (name, property) in alternative["properties"].as_object().into_iter().flatten() {
            if !properties.iter().any(|(known, _)| *known == name) {
                properties.push((name, property));
            }
        }
    }
    let open = alternatives.iter().any(|alternative| {
        alternative
            .get("additionalProperties")
            .is_some_and(|extra| extra != &Value::Bool(false))
    });
    if properties.is_empty() {
        if has_limits(schema) {
            let limits = limits(json, schema);
            return quote!(crate::body::Shape::Limited(&#limits));
        }
        return quote!(crate::body::Shape::Any);
    }
    let fields = properties.iter().map(|(name, property)| {
        let field = shape(json, property, depth + 1);
        quote!((#name, &#field))
    });
    quote!(crate::body::Shape::Object { open: #open, fields: &[ #(#fields),* ] })
}

/// The schema a flag's values have: an array's items (the flag repeats), else the schema itself.
fn item_schema<'a>(json: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = crate::lint::limits::followed(json, schema);
    match schema.get("items") {
        Some(items) if schema["type"] == "array" => crate::lint::limits::followed(json, items),
        _ => schema,
    }
}

/// Whether a schema limits its value (`json_schema::VALUE_LIMITS` that idtok checks).
fn has_limits(schema: &Value) -> bool {
    ["enum", "minLength", "maxLength", "minimum", "maximum"]
        .iter()
        .any(|key| schema.get(*key).is_some())
}

/// The `crate::values::Limits` of a schema: its `enum` of strings, lengths and range.
fn limits(json: &Value, schema: &Value) -> TokenStream {
    let schema = crate::lint::limits::followed(json, schema);
    if !has_limits(schema) {
        return quote!(crate::values::Limits::NONE);
    }
    let values: Vec<&str> = schema["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let length = |key: &str| match schema[key].as_u64() {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let bound = |key: &str| match schema[key].as_f64() {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let (min_length, max_length) = (length("minLength"), length("maxLength"));
    let (minimum, maximum) = (bound("minimum"), bound("maximum"));
    let secret = schema["format"] == "password";
    quote! {
        crate::values::Limits {
            values: &[ #(#values),* ],
            min_length: #min_length,
            max_length: #max_length,
            minimum: #minimum,
            maximum: #maximum,
            secret: #secret,
        }
    }
}

/// The `PARAMETER_LIMITS` entries of an operation: its scalar parameters (progenitor's flags)
/// whose values the document limits, with the type progenitor's CLI reads each as.
fn limited_parameters(
    document: &Document,
    item: &Value,
    operation: &Value,
    id: &str,
) -> Vec<TokenStream> {
    crate::lint::limits::parameters(&document.json, item, operation)
        .filter(|p| p.get(crate::extensions::QUERY_STYLE).is_none())
        .filter(|p| {
            let name = p["name"].as_str().unwrap_or_default();
            !crate::gen::client::RUNTIME_HEADERS
                .iter()
                .any(|h| h.eq_ignore_ascii_case(name))
        })
        .filter_map(|parameter| {
            let schema = crate::lint::limits::followed(&document.json, &parameter["schema"]);
            if !has_limits(schema) {
                return None;
            }
            let flag = parameter["name"]
                .as_str()
                .unwrap_or_default()
                .to_kebab_case();
            let kind = match (schema["type"].as_str(), schema["format"].as_str()) {
                (Some("integer"), Some("int32")) => quote!(crate::values::ValueKind::I32),
                (Some("integer"), _) => quote!(crate::values::ValueKind::I64),
                (Some("number"), _) => quote!(crate::values::ValueKind::F64),
                (_, Some("password")) => quote!(crate::values::ValueKind::Secret),
                _ => quote!(crate::values::ValueKind::Text),
            };
            let limits = limits(&document.json, schema);
            Some(quote! {
                crate::values::ParameterLimits {
                    operation: #id,
                    flag: #flag,
                    kind: #kind,
                    limits: #limits,
                }
            })
        })
        .collect()
}

/// The flag (without `--`) of the body property `name`: its name in kebab-case, or
/// `body-<name>` where a parameter (`parameter_flags`) or idtok itself has that flag.
pub(crate) fn body_field_flag(name: &str, parameter_flags: &[String]) -> String {
    let flag = name.to_kebab_case();
    if parameter_flags.contains(&flag) || RESERVED_FLAGS.contains(&flag.as_str()) {
        format!("body-{flag}")
    } else {
        flag
    }
}

/// The kebab-case flags of the operation's parameters, which a body flag must not repeat.
pub(crate) fn parameter_flags(document: &Document, item: &Value, operation: &Value) -> Vec<String> {
    crate::lint::limits::parameters(&document.json, item, operation)
        .filter_map(|p| p["name"].as_str())
        .map(|name| name.to_kebab_case())
        .collect()
}

pub(crate) enum Kind {
    String,
    Integer,
    Number,
    Boolean,
    /// An array: the flag repeats; each value is read as the item kind.
    Array(Box<Kind>),
    /// An object: JSON, or `key=value` pairs (repeat the flag).
    Object,
}

pub(crate) fn field_kind(document: &Document, property: &Value) -> Kind {
    let property = crate::lint::limits::followed(&document.json, property);
    match property["type"].as_str() {
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("boolean") => Kind::Boolean,
        Some("array") => Kind::Array(Box::new(field_kind(document, &property["items"]))),
        Some("object") => Kind::Object,
        _ => Kind::String,
    }
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::String => "string",
        Kind::Integer => "integer",
        Kind::Number => "number",
        Kind::Boolean => "true or false",
        Kind::Array(_) => "repeat the flag for each value",
        Kind::Object => "a JSON object, @file holding one, or key=value (repeat the flag)",
    }
}

fn kind_tokens(kind: &Kind) -> TokenStream {
    match kind {
        Kind::String => quote!(crate::body::FieldKind::String),
        Kind::Integer => quote!(crate::body::FieldKind::Integer),
        Kind::Number => quote!(crate::body::FieldKind::Number),
        Kind::Boolean => quote!(crate::body::FieldKind::Boolean),
        Kind::Array(item) => {
            let item = kind_tokens(item);
            quote!(crate::body::FieldKind::Array(&#item))
        }
        Kind::Object => quote!(crate::body::FieldKind::Object),
    }
}

/// What a generated flag sets.
#[derive(Clone, Copy)]
enum FlagOf {
    /// A property of the request body, which `--json-body` can give instead.
    BodyField,
    /// An array or object of an RPC query string: there is no other way to give it.
    QueryParameter,
}

/// The property's (or parameter's) description (its first paragraph), what the flag takes, and a
/// warning for secrets, which a process listing shows when given as a flag.
fn help(property: &Value, takes: &str, secret: bool, of: FlagOf) -> String {
    let description = property["description"].as_str().unwrap_or_default();
    let first = description.split("\n\n").next().unwrap_or_default();
    let first = first.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut help = match of {
        FlagOf::BodyField => format!("{first} [body field; {takes}]"),
        FlagOf::QueryParameter => format!("{first} [{takes}]"),
    };
    if secret {
        help.push_str(" A secret: other users can read flags in the process list");
        help.push_str(match of {
            FlagOf::BodyField => "; prefer --json-body - (stdin).",
            FlagOf::QueryParameter if takes.contains("@file") => "; prefer @file.",
            FlagOf::QueryParameter => ".",
        });
    }
    help.trim().to_owned()
}

/// The body `--json-body-template` prints: the document's example of the body.
fn template(document: &Document, content: &Value) -> Value {
    crate::gen::examples::body_example(&document.json, content)
        .unwrap_or_else(|| Value::Object(serde_json::Map::new()))
}

/// The `TABLES` entry of an operation: where its rows are in the success answer (the
/// `x-paginated` items, else the answer's first array of objects, else its first object property,
/// else the answer itself), their columns (in the document's order: `ordered` is the document
/// with its keys in their order) and the answer's secret field names.
fn table(
    document: &Document,
    ordered: &serde_yaml::Value,
    operation: &Value,
    pointer: &str,
    id: &str,
) -> Option<TokenStream> {
    let json = &document.json;
    let (status, response) = operation["responses"]
        .as_object()?
        .iter()
        .find(|(status, _)| status.starts_with('2'))?;
    let (response, at) = located(
        json,
        response,
        format!("{pointer}/responses/{}", escape_token(status)),
    );
    let (media, content) = response["content"].as_object()?.iter().next()?;
    let (schema, at) = located(
        json,
        &content["schema"],
        format!("{at}/content/{}/schema", escape_token(media)),
    );
    let mut secret_names: Vec<String> = crate::lint::limits::secret_paths(json, "", schema)
        .iter()
        .filter_map(|path| path.split('.').rev().find(|s| !s.is_empty() && *s != "*"))
        .map(str::to_owned)
        .collect();
    secret_names.sort();
    secret_names.dedup();
    let properties = property_names(ordered, schema, &at);
    let property = |name: &str| {
        located(
            json,
            &schema["properties"][name],
            format!("{at}/properties/{}", escape_token(name)),
        )
    };
    let paginated_items = operation
        .get(crate::extensions::PAGINATED)
        .and_then(|p| p["items"].as_str())
        .filter(|items| schema["properties"].get(*items).is_some());
    let first_array = || {
        properties
            .iter()
            .find(|name| property(name).0["type"] == "array")
            .map(String::as_str)
    };
    // The object a table shows: the one that holds a secret when there is one (STS's
    // `Credentials`, not the `AssumedRoleUser` before it), for that is what the call was for.
    let is_object = |name: &&String| property(name).0["properties"].is_object();
    let first_object = || {
        properties
            .iter()
            .filter(is_object)
            .find(|name| crate::lint::limits::holds_secret(json, property(name).0))
            .or_else(|| properties.iter().find(is_object))
            .map(String::as_str)
    };
    let (items, (row, at)) = if schema["type"] == "array" {
        ("", located(json, &schema["items"], format!("{at}/items")))
    } else if let Some(items) = paginated_items.or_else(first_array) {
        let (list, at) = property(items);
        (items, located(json, &list["items"], format!("{at}/items")))
    } else if let Some(name) = first_object() {
        (name, property(name))
    } else {
        ("", (schema, at))
    };
    let columns = property_names(ordered, row, &at)
        .into_iter()
        .filter_map(|name| {
            let property = crate::lint::limits::followed(json, &row["properties"][&name]);
            let scalar = matches!(
                property["type"].as_str(),
                Some("string" | "integer" | "number" | "boolean")
            );
            let secret = crate::lint::limits::holds_secret(json, &row["properties"][&name]);
            let unix_time = match property[crate::extensions::UNIX_TIME].as_str() {
                Some("milliseconds") => quote!(Some(crate::output::UnixTime::Milliseconds)),
                Some("seconds") => quote!(Some(crate::output::UnixTime::Seconds)),
                _ => quote!(None),
            };
            scalar.then(|| {
                quote! { crate::output::Column { name: #name, secret: #secret, unix_time: #unix_time } }
            })
        });
    let issues_secret = operation[crate::extensions::ISSUES_SECRET] == true;
    Some(quote! {
        crate::output::Table {
            operation: #id,
            items: #items,
            columns: &[ #(#columns),* ],
            secret_names: &[ #(#secret_names),* ],
            issues_secret: #issues_secret,
        }
    })
}

/// `value` with its `$ref` followed, and the JSON pointer of what it is (`pointer`, or the
/// reference's target).
fn located<'a>(json: &'a Value, value: &'a Value, pointer: String) -> (&'a Value, String) {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|target| json.pointer(target).map(|v| (v, target.to_owned())))
        .unwrap_or((value, pointer))
}

/// The names of the properties of the schema at `pointer`, in the document's order (from
/// `ordered`), else in `schema`'s.
fn property_names(ordered: &serde_yaml::Value, schema: &Value, pointer: &str) -> Vec<String> {
    let mut node = Some(ordered);
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = node.and_then(|n| n.get(token.as_str()));
    }
    let from_document: Vec<String> = node
        .and_then(|n| n.get("properties"))
        .and_then(serde_yaml::Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(key, _)| key.as_str().map(str::to_owned))
        .collect();
    if !from_document.is_empty() {
        return from_document;
    }
    schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, _)| name.clone())
        .collect()
}
