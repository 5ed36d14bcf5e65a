//! Every operation of every document in `openapi/` is reachable from `idtok`: the walk reads the
//! documents themselves (nothing here lists operations or families), runs each operation with the
//! examples the document gives, against a local server that answers with the document's own
//! success example, and checks what went over the wire and what was printed. An operation or a
//! family added to the documents is covered without touching this file (unless its security
//! scheme is new to it).
//!
//! Also `--all` on `eiam-developerapi list-authentication-tokens`: every page, as JSON lines.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use heck::ToKebabCase;
use idtok_testkit::{header, percent_decode, query, verify_acs3, verify_sdk_hmac, Run};
use serde_json::{json, Value};
use wiremock::matchers::{any, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCESS_KEY_ID: &str = "LTAI5tEveryOpKeyId";
const ACCESS_KEY_SECRET: &str = "every-op-access-key-secret";
const AK: &str = "EVERYOPAK";
const SK: &str = "every-op-sk";
const ACCESS_TOKEN: &str = "at-every-op-token";

const ALIBABA_ENV: &[(&str, &str)] = &[
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET),
];
const DEVELOPER_API_ENV: &[(&str, &str)] = &[("IDAAS_ACCESS_TOKEN", ACCESS_TOKEN)];
const HUAWEI_ENV: &[(&str, &str)] = &[("HUAWEICLOUD_SDK_AK", AK), ("HUAWEICLOUD_SDK_SK", SK)];

/// An `idtok` family and the credentials its runs get, both read from its document: the family
/// is the document's directory or file name without its version (`sts-2015-04-01/` is `idtok sts`), the
/// credentials those its security schemes take.
struct Family {
    name: String,
    env: &'static [(&'static str, &'static str)],
}

impl Family {
    fn of(file: &str, root: &Value) -> Self {
        let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        // `-2021-12-01` (a date) or `-v1`: the last one or three dash-separated parts.
        let parts: Vec<&str> = stem.split('-').collect();
        let is_date = parts.len() > 3
            && parts[parts.len() - 3..]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        let version_parts = if is_date {
            3
        } else if parts.last().is_some_and(|p| {
            p.len() > 1 && p.starts_with('v') && p[1..].bytes().all(|b| b.is_ascii_digit())
        }) {
            1
        } else {
            panic!("{file}: the file name does not end in its version (-YYYY-MM-DD or -vN)")
        };
        let name = parts[..parts.len() - version_parts].join("-");
        let schemes = root
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(_, scheme)| scheme);
        let mut env = None;
        for scheme in schemes {
            let this: &'static [(&'static str, &'static str)] = if scheme
                .get("x-acs-signature-algorithm")
                .is_some()
            {
                ALIBABA_ENV
            } else if scheme.get("x-sdk-signature-algorithm").is_some() {
                HUAWEI_ENV
            } else if scheme["type"] == "http" && scheme["scheme"] == "bearer" {
                DEVELOPER_API_ENV
            } else {
                panic!("{file}: this test does not know what credentials the scheme {scheme} takes")
            };
            assert!(
                env.is_none_or(|env| env == this),
                "{file}: security schemes of two vendors"
            );
            env = Some(this);
        }
        Family {
            name,
            env: env.unwrap_or_default(),
        }
    }
}

/// The documents describe 252 operations today; fewer means the walk lost some.
const AT_LEAST_OPERATIONS: usize = 467;

/// No run of idtok may take longer: a hung run (a paging loop) is killed and fails the test.
const RUN_LIMIT: Duration = Duration::from_secs(20);

/// Runs idtok with exactly `env` as credentials; kills it after [`RUN_LIMIT`].
async fn idtok(args: &[String], env: &[(&str, &str)]) -> Result<Run, String> {
    idtok_testkit::try_run(env!("CARGO_BIN_EXE_idtok"), args, env, None, RUN_LIMIT).await
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// The documents
// ---------------------------------------------------------------------------------------------

struct Document {
    file: String,
    family: Family,
    root: Value,
}

fn openapi_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi")
}

/// Every document in `openapi/` (a directory of parts or a single `*.yaml`), bundled by xtask's
/// loader as generation bundles it, each with its family; read once for all the tests here.
fn documents() -> &'static [Document] {
    static DOCUMENTS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCUMENTS.get_or_init(read_documents)
}

fn read_documents() -> Vec<Document> {
    let mut names: Vec<String> = std::fs::read_dir(openapi_dir())
        .expect("openapi/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| {
            p.is_dir() || matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let workspace = openapi_dir().join("..");
    names
        .into_iter()
        .map(|file| {
            let stem = file
                .rsplit_once('.')
                .map_or(file.as_str(), |(stem, _)| stem);
            let family = xtask::families::FAMILIES
                .into_iter()
                .find(|f| f.directory() == format!("openapi/{stem}"))
                .unwrap_or_else(|| panic!("openapi/{file} is no family of xtask/src/families.rs"));
            let parts = xtask::document::Document::read(&workspace, family)
                .unwrap_or_else(|p| panic!("{p}"));
            let root = xtask::document::Document::bundle_json(&parts)
                .unwrap_or_else(|(part, e)| panic!("{part} is not a YAML OpenAPI document: {e}"));
            let family = Family::of(&file, &root);
            Document { file, family, root }
        })
        .collect()
}

/// Follows local `$ref`s (`#/components/...`) to what they name.
fn resolve<'d>(doc: &'d Value, mut value: &'d Value) -> &'d Value {
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local $refs are supported: {reference}"));
        value = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} names nothing"));
    }
    panic!("$ref chain too long");
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation as the document describes it.
struct Operation<'d> {
    doc: &'d Document,
    method: &'static str,
    path: String,
    operation: &'d Value,
    /// Path-item and operation parameters, `$ref`s resolved, the operation's winning.
    parameters: Vec<&'d Value>,
    /// What an RPC operation sends: the document's `x-acs-rpc`, with the operation's own over it,
    /// and the operationId as the action unless it says otherwise. `None` if neither says it.
    rpc: Option<Value>,
}

fn rpc_of(doc: &Value, operation: &Value) -> Option<Value> {
    let (family, own) = (doc.get("x-acs-rpc"), operation.get("x-acs-rpc"));
    if family.is_none() && own.is_none() {
        return None;
    }
    let mut rpc = serde_json::Map::new();
    for part in [family, own].into_iter().flatten() {
        rpc.extend(part.as_object().expect("x-acs-rpc is a mapping").clone());
    }
    rpc.entry("action")
        .or_insert_with(|| operation["operationId"].clone());
    Some(Value::Object(rpc))
}

impl Operation<'_> {
    fn id(&self) -> &str {
        self.operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{} {}: no operationId", self.method, self.path))
    }
}

fn operations(documents: &[Document]) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for doc in documents {
        let paths = doc.root["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no paths", doc.file));
        for (path, item) in paths {
            let item = resolve(&doc.root, item);
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let mut parameters: Vec<&Value> = Vec::new();
                for list in [item.get("parameters"), operation.get("parameters")]
                    .into_iter()
                    .flatten()
                {
                    for parameter in list.as_array().expect("parameters is a list") {
                        let parameter = resolve(&doc.root, parameter);
                        parameters.retain(|p| {
                            (&p["name"], &p["in"]) != (&parameter["name"], &parameter["in"])
                        });
                        parameters.push(parameter);
                    }
                }
                out.push(Operation {
                    doc,
                    method,
                    path: path.clone(),
                    operation,
                    parameters,
                    rpc: rpc_of(&doc.root, operation),
                });
            }
        }
    }
    out
}

/// A parameter's example as a flag value and as it must arrive on the wire.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether the document gives an example of the parameter (its own, or its schema's).
fn has_example(doc: &Value, parameter: &Value) -> bool {
    parameter.get("example").is_some()
        || parameter
            .get("schema")
            .is_some_and(|s| resolve(doc, s).get("example").is_some())
}

fn parameter_example(doc: &Value, parameter: &Value) -> Result<String, String> {
    let name = parameter["name"].as_str().unwrap_or("?");
    let example = parameter
        .get("example")
        .or_else(|| {
            parameter
                .get("schema")
                .and_then(|s| resolve(doc, s).get("example"))
        })
        .ok_or_else(|| format!("parameter {name} has no example in the document"))?;
    scalar(example).ok_or_else(|| {
        format!("parameter {name}: example {example} is not a string, number or boolean")
    })
}

/// The JSON body to send: the media type's example, else the schema's, else one built from the
/// properties' examples.
fn body_example(doc: &Value, media: &Value) -> Result<Value, String> {
    if let Some(example) = media.get("example") {
        return Ok(example.clone());
    }
    let schema = resolve(
        doc,
        media
            .get("schema")
            .ok_or("the JSON request body has neither example nor schema")?,
    );
    if let Some(example) = schema.get("example") {
        return Ok(example.clone());
    }
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or("the JSON request body has no example and no properties to build one from")?;
    let mut body = serde_json::Map::new();
    for (name, property) in properties {
        if let Some(example) = resolve(doc, property).get("example") {
            body.insert(name.clone(), example.clone());
        }
    }
    Ok(Value::Object(body))
}

/// The first 2xx response: its status, and its JSON example (`None` when it has no content).
fn success(doc: &Value, operation: &Value) -> Result<(u16, Option<Value>), String> {
    let responses = operation["responses"].as_object().ok_or("no responses")?;
    let (status, response) = responses
        .iter()
        .filter_map(|(code, response)| Some((code.parse::<u16>().ok()?, response)))
        .filter(|(code, _)| (200..300).contains(code))
        .min_by_key(|(code, _)| *code)
        .ok_or("no 2xx response")?;
    let response = resolve(doc, response);
    match response.get("content") {
        None => Ok((status, None)),
        Some(content) => {
            let example = content
                .get("application/json")
                .ok_or(format!(
                    "response {status} has content but no application/json"
                ))?
                .get("example")
                .ok_or(format!("response {status} has no example"))?;
            Ok((status, Some(example.clone())))
        }
    }
}

/// What `security` applies: the operation's, else the document's.
fn security<'d>(doc: &'d Value, operation: &'d Value) -> &'d [Value] {
    operation
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// How an RPC query string carries an array or object (docs/wire.md): 1-based
/// `Name.1=a`, `Name.Key=v`, nested alike. Written here from the reference, apart from the
/// runtime's, so that the two are checked against each other.
fn flattened(name: &str, value: &Value) -> Vec<(String, String)> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| flattened(&format!("{name}.{}", i + 1), item))
            .collect(),
        Value::Object(fields) => fields
            .iter()
            .flat_map(|(key, item)| flattened(&format!("{name}.{key}"), item))
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(name.to_owned(), scalar(other).unwrap_or_default())],
    }
}

/// The flags of the operation's parameters, kebab-case.
fn parameter_flags(op: &Operation<'_>) -> Vec<String> {
    op.parameters
        .iter()
        .filter_map(|p| p["name"].as_str())
        .map(|name| name.to_kebab_case())
        .collect()
}

/// A body property's flag: its name in kebab-case, or `--body-<name>` where a parameter or
/// `--json-body` already has that name.
fn body_flag(name: &str, taken: &[String]) -> String {
    let flag = name.to_kebab_case();
    if taken.contains(&flag) || flag == "json-body" || flag == "json-body-template" {
        format!("--body-{flag}")
    } else {
        format!("--{flag}")
    }
}

/// The example values of every secret (`format: password`) the operation sends: its parameters'
/// and its request body's.
fn secrets(op: &Operation<'_>) -> Vec<String> {
    let doc = &op.doc.root;
    let mut out = Vec::new();
    for parameter in &op.parameters {
        if parameter.get("x-secret-in-url").is_some() {
            continue; // The service takes it nowhere else, and the document says so.
        }
        let schema = parameter.get("schema").map(|s| resolve(doc, s));
        if schema.is_some_and(|s| s["format"] == "password") {
            if let Ok(value) = parameter_example(doc, parameter) {
                out.push(value);
            }
        }
    }
    if let Some(request_body) = op.operation.get("requestBody") {
        for media in resolve(doc, request_body)["content"]
            .as_object()
            .into_iter()
            .flat_map(|c| c.values())
        {
            let schema = resolve(doc, &media["schema"]);
            let example = body_example(doc, media).unwrap_or_default();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if resolve(doc, property)["format"] == "password" {
                    if let Some(value) = example.get(name).and_then(scalar) {
                        out.push(value);
                    }
                }
            }
        }
    }
    out.retain(|s| s.len() >= 4); // too short to tell apart from other text
    out
}

// ---------------------------------------------------------------------------------------------
// Task 1: every operation
// ---------------------------------------------------------------------------------------------

fn expect_eq<T: PartialEq + Debug>(problems: &mut Vec<String>, what: &str, got: T, want: T) {
    if got != want {
        problems.push(format!("{what}:\n      got  {got:?}\n      want {want:?}"));
    }
}

/// The command line that runs `op` against `endpoint` from flags alone, and what it must send.
struct CommandLine {
    args: Vec<String>,
    wire_path: String,
    wire_query: BTreeMap<String, Vec<String>>,
    /// The body's media type and example.
    body: Option<(String, Value)>,
}

fn command_line(op: &Operation<'_>, endpoint: &str) -> Result<CommandLine, String> {
    command_line_giving(op, endpoint, false, true)
}

/// The command line that runs `op` from flags alone: every parameter and body field the document
/// has an example of, or with `only_required` just the required parameters and, for a required
/// body, its required fields (its whole example where it requires none). Without
/// `idempotency_tokens`, the parameters marked `x-idempotency-token` are left to idtok, as the
/// help's examples leave them (the request then carries a fresh token, see `check_request`).
fn command_line_giving(
    op: &Operation<'_>,
    endpoint: &str,
    only_required: bool,
    idempotency_tokens: bool,
) -> Result<CommandLine, String> {
    let doc = &op.doc.root;
    let family = &op.doc.family;
    let subcommand = op.id().to_kebab_case();
    // The command line: one flag per parameter, headers excepted, each with its example.
    let mut args = strings(&["--endpoint", endpoint, &family.name, &subcommand]);
    let mut wire_path = op.path.clone();
    let mut wire_query: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for parameter in &op.parameters {
        let name = parameter["name"]
            .as_str()
            .ok_or("a parameter without name")?;
        let location = parameter["in"].as_str().unwrap_or_default();
        if location == "header" {
            continue; // X-Security-Token: set by the runtime, not a generated flag.
        }
        if only_required && parameter["required"] != true {
            continue;
        }
        if !idempotency_tokens && parameter.get("x-idempotency-token") == Some(&Value::Bool(true)) {
            continue;
        }
        if !has_example(doc, parameter) {
            if parameter["required"] == true {
                return Err(format!("parameter {name} has no example in the document"));
            }
            // An optional parameter the vendor gives no example of: left out, as the help's
            // examples leave it out (and as a body field without one is).
            continue;
        }
        if parameter.get("x-acs-style").is_some() {
            // An array or object of an RPC query string: a flag per array item (JSON for an
            // object), one JSON value for an object; on the wire flattened 1-based.
            let example = parameter
                .get("example")
                .ok_or(format!("parameter {name} has no example in the document"))?;
            let flag = format!("--{}", name.to_kebab_case());
            match example {
                Value::Array(items) => {
                    for item in items {
                        args.push(flag.clone());
                        args.push(scalar(item).unwrap_or_else(|| item.to_string()));
                    }
                }
                other => {
                    args.push(flag);
                    args.push(other.to_string());
                }
            }
            for (key, value) in flattened(name, example) {
                wire_query.entry(key).or_default().push(value);
            }
            continue;
        }
        let value = parameter_example(doc, parameter)?;
        args.push(format!("--{}", name.to_kebab_case()));
        args.push(value.clone());
        match location {
            "path" => wire_path = wire_path.replace(&format!("{{{name}}}"), &value),
            "query" => wire_query.entry(name.to_owned()).or_default().push(value),
            other => return Err(format!("parameter {name} in {other}: not supported here")),
        }
    }
    // The body from flags alone: one per property of the example, as a user would type it.
    let body = match op.operation.get("requestBody") {
        None => None,
        Some(request_body) => {
            let (media_type, media) = resolve(doc, request_body)["content"]
                .as_object()
                .and_then(|content| content.iter().next())
                .ok_or("a request body without content")?;
            let mut example = body_example(doc, media)?;
            let body_required = resolve(doc, request_body)["required"] == true;
            let required_fields: Vec<&str> = resolve(doc, &media["schema"])["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if only_required && !required_fields.is_empty() {
                if let Value::Object(fields) = &mut example {
                    fields.retain(|name, _| required_fields.contains(&name.as_str()));
                }
            }
            // A body's idempotency token is left to idtok too (a form body's ClientToken).
            if !idempotency_tokens {
                if let Value::Object(fields) = &mut example {
                    fields.retain(|name, _| body_idempotency_token(doc, media) != Some(name));
                }
            }
            let taken = parameter_flags(op);
            let sent = !only_required || body_required;
            for (name, value) in example
                .as_object()
                .ok_or("a body example that is not an object")?
                .iter()
                .filter(|_| sent)
            {
                let flag = body_flag(name, &taken);
                match value {
                    Value::Array(items) => {
                        for item in items {
                            args.push(flag.clone());
                            args.push(scalar(item).unwrap_or_else(|| item.to_string()));
                        }
                    }
                    Value::Object(_) => {
                        args.push(flag);
                        args.push(value.to_string());
                    }
                    other => {
                        args.push(flag);
                        args.push(scalar(other).ok_or("a body example value that is null")?);
                    }
                }
            }
            sent.then(|| (media_type.clone(), example))
        }
    };

    Ok(CommandLine {
        args,
        wire_path,
        wire_query,
        body,
    })
}

/// The property of a body's schema marked `x-idempotency-token`, if any.
fn body_idempotency_token<'d>(doc: &'d Value, media: &'d Value) -> Option<&'d String> {
    resolve(doc, &media["schema"])["properties"]
        .as_object()?
        .iter()
        .find(|(_, property)| property.get("x-idempotency-token") == Some(&Value::Bool(true)))
        .map(|(name, _)| name)
}

/// A token idtok made up: a UUID.
fn is_fresh_token(token: &str) -> bool {
    token.len() == 36 && token.matches('-').count() == 4
}

/// Runs one operation as the document describes it, with `env` as credentials; `Err` says
/// everything that went wrong.
async fn check_operation(op: &Operation<'_>, env: &[(&str, &str)]) -> Result<(), String> {
    let (server, answer) = served(op).await?;
    let line = command_line(op, &server.uri())?;
    let run = idtok(&line.args, env).await?;
    let context = format!(
        "\n  ran: idtok {}\n  exit code: {}\n  stderr: {}\n  stdout: {}",
        line.args.join(" "),
        run.code,
        run.stderr.trim_end(),
        run.stdout.trim_end()
    );
    let problems = check_run(op, &run, &server, answer.as_ref(), &line).await;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("\n    {}{context}", problems.join("\n    ")))
    }
}

/// A local server that answers every request with the operation's documented success (its
/// example), and that example.
async fn served(op: &Operation<'_>) -> Result<(MockServer, Option<Value>), String> {
    let (status, answer) = success(&op.doc.root, op.operation)?;
    let server = MockServer::start().await;
    let template = match &answer {
        Some(example) => ResponseTemplate::new(status)
            .set_body_raw(serde_json::to_vec(example).unwrap(), "application/json"),
        None => ResponseTemplate::new(status),
    };
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    Ok((server, answer))
}

/// What is wrong with a run that should have sent what `line` says to `server` and printed its
/// answer.
async fn check_run(
    op: &Operation<'_>,
    run: &Run,
    server: &MockServer,
    answer: Option<&Value>,
    line: &CommandLine,
) -> Vec<String> {
    let mut problems = Vec::new();
    expect_eq(&mut problems, "exit code", run.code, 0);
    expect_eq(&mut problems, "stderr", run.stderr.as_str(), "");

    // What was printed: the answer as sent (the server sends it compact; idtok indents it), or
    // nothing for a bodiless answer.
    match answer {
        Some(example) => expect_eq(
            &mut problems,
            "stdout",
            run.stdout.clone(),
            serde_json::to_string_pretty(example).unwrap() + "\n",
        ),
        None => expect_eq(
            &mut problems,
            "stdout (bodiless answer)",
            run.stdout.as_str(),
            "",
        ),
    }

    // What was sent.
    let requests = server.received_requests().await.unwrap_or_default();
    if requests.len() != 1 {
        problems.push(format!("{} requests arrived, not 1", requests.len()));
    }
    if let Some(request) = requests.first() {
        check_request(
            op,
            request,
            &line.wire_path,
            &line.wire_query,
            line.body
                .as_ref()
                .map(|(media_type, example)| (media_type.as_str(), example)),
            &mut problems,
        );
    }
    problems
}

fn check_request(
    op: &Operation<'_>,
    request: &Request,
    wire_path: &str,
    wire_query: &BTreeMap<String, Vec<String>>,
    body: Option<(&str, &Value)>,
    problems: &mut Vec<String>,
) {
    let doc = &op.doc.root;
    // Method and path: the document's, or for an RPC operation (EIAM) what `x-acs-rpc` says.
    match &op.rpc {
        Some(rpc) => {
            let want_method = rpc["method"].as_str().unwrap_or("?").to_uppercase();
            expect_eq(
                problems,
                "method and path (x-acs-rpc)",
                (request.method.as_str(), request.url.path()),
                (want_method.as_str(), rpc["path"].as_str().unwrap_or("?")),
            );
            expect_eq(
                problems,
                "x-acs-action",
                header(request, "x-acs-action"),
                rpc["action"].as_str(),
            );
            if let Some(version) = rpc.get("version").and_then(scalar) {
                expect_eq(
                    problems,
                    "x-acs-version",
                    header(request, "x-acs-version"),
                    Some(version.as_str()),
                );
            }
        }
        None => expect_eq(
            problems,
            "method and path",
            (
                request.method.as_str().to_owned(),
                percent_decode(request.url.path()),
            ),
            (op.method.to_uppercase(), wire_path.to_owned()),
        ),
    }
    // A document that says every request carries its action and version (the developer API).
    if doc.get("x-acs-action-headers") == Some(&Value::Bool(true)) {
        expect_eq(
            problems,
            "x-acs-action (the operationId)",
            header(request, "x-acs-action"),
            Some(op.id()),
        );
        expect_eq(
            problems,
            "x-acs-version (info.version)",
            header(request, "x-acs-version"),
            doc["info"]["version"].as_str(),
        );
    }
    // Every query parameter's example, and nothing else: besides, where the operation says so,
    // the RPC common parameters. (So a signed operation carries none of them, nor a signature's
    // parameters.)
    let mut received = query(request);
    if op
        .operation
        .get("x-acs-rpc-common-parameters")
        .and_then(Value::as_str)
        == Some("query")
    {
        rpc_common_parameters(op, &mut received, problems);
    }
    // An idempotency token the command line left to idtok: a fresh one (a UUID) was sent.
    for parameter in &op.parameters {
        let name = parameter["name"].as_str().unwrap_or_default();
        if parameter.get("x-idempotency-token") == Some(&Value::Bool(true))
            && !wire_query.contains_key(name)
        {
            match received.remove(name).as_deref() {
                Some([token]) if is_fresh_token(token) => {}
                other => problems.push(format!("{name}: not a fresh token filled in: {other:?}")),
            }
        }
    }
    expect_eq(problems, "query", &received, wire_query);

    // No secret of the operation in the URL, which proxies and access logs record.
    let url = percent_decode(request.url.as_str());
    for secret in secrets(op) {
        if request.url.as_str().contains(&secret) || url.contains(&secret) {
            problems.push(format!("a secret ({secret:?}) is in the URL: {url}"));
        }
    }

    match body {
        Some((media_type, example)) => {
            let content_type = header(request, "content-type").unwrap_or_default();
            if !content_type.starts_with(media_type) {
                problems.push(format!(
                    "content-type of a {media_type} body: {content_type:?}"
                ));
            }
            if media_type == "application/x-www-form-urlencoded" {
                let mut sent: BTreeMap<String, String> =
                    form_urlencoded::parse(&request.body).into_owned().collect();
                // A body idempotency token the command line left to idtok: a fresh one was sent
                // in the form, and nowhere else.
                let media = op
                    .operation
                    .get("requestBody")
                    .map(|b| &resolve(doc, b)["content"][media_type]);
                if let Some(name) = media.and_then(|m| body_idempotency_token(doc, m)) {
                    if example.get(name).is_none() {
                        match sent.remove(name) {
                            Some(token) if is_fresh_token(&token) => {}
                            other => problems.push(format!(
                                "{name}: not a fresh token in the form body: {other:?}"
                            )),
                        }
                    }
                }
                let want: BTreeMap<String, String> = example
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
                    .collect();
                expect_eq(problems, "form body", &sent, &want);
            } else {
                match serde_json::from_slice::<Value>(&request.body) {
                    Ok(sent) => expect_eq(problems, "JSON body", &sent, example),
                    Err(e) => problems.push(format!(
                        "the body is not JSON ({e}): {:?}",
                        String::from_utf8_lossy(&request.body)
                    )),
                }
            }
        }
        None => expect_eq(
            problems,
            "body (the operation has none)",
            String::from_utf8_lossy(&request.body).as_ref(),
            "",
        ),
    }

    // Authorization: none for `security: []`, else the scheme's.
    let requirements = security(doc, op.operation);
    let authorization = header(request, "authorization");
    if requirements.is_empty() {
        if let Some(value) = authorization {
            problems.push(format!(
                "security: [] but an Authorization header was sent: {value:?}"
            ));
        }
        // Nor anything of the credentials the run has (an STS token goes in these two).
        for name in ["x-acs-accesskey-id", "x-acs-security-token"] {
            if let Some(value) = header(request, name) {
                problems.push(format!("security: [] but {name} was sent: {value:?}"));
            }
        }
        return;
    }
    if authorization.is_none() {
        problems.push("no Authorization header, but the operation is secured".to_owned());
        return;
    }
    let schemes = requirements[0].as_object().cloned().unwrap_or_default();
    for name in schemes.keys() {
        let scheme = doc
            .pointer(&format!("/components/securitySchemes/{name}"))
            .map(|s| resolve(doc, s))
            .unwrap_or(&Value::Null);
        let verified = if scheme["type"] == "http" && scheme["scheme"] == "bearer" {
            let want = format!("Bearer {ACCESS_TOKEN}");
            if authorization == Some(want.as_str()) {
                Ok(())
            } else {
                Err(format!("Authorization is not {want:?}: {authorization:?}"))
            }
        } else if scheme["x-acs-signature-algorithm"] == "ACS3-HMAC-SHA256" {
            verify_acs3(request, ACCESS_KEY_ID, ACCESS_KEY_SECRET)
        } else if scheme["x-sdk-signature-algorithm"] == "SDK-HMAC-SHA256" {
            verify_sdk_hmac(request, AK, SK)
        } else {
            Ok(()) // A scheme this test does not know: the header's presence is all it checks.
        };
        if let Err(e) = verified {
            problems.push(format!("security scheme {name}: {e}"));
        }
    }
}

/// The RPC common parameters an operation marked `x-acs-rpc-common-parameters: query` carries
/// in its query (the vendor's "common request parameters" of RPC-style APIs, as the official
/// SDK's `do_rpcrequest` sends them): `Action` and `Version` as its `x-acs-rpc` says,
/// `Format=json`, a UTC `Timestamp` and a `SignatureNonce`. Takes them out of `received`.
fn rpc_common_parameters(
    op: &Operation<'_>,
    received: &mut BTreeMap<String, Vec<String>>,
    problems: &mut Vec<String>,
) {
    let rpc = op
        .rpc
        .as_ref()
        .expect("an operation with RPC common parameters has x-acs-rpc");
    let mut take = |key: &str| received.remove(key).unwrap_or_default();
    expect_eq(
        problems,
        "Action (common parameter)",
        take("Action"),
        vec![rpc["action"].as_str().unwrap_or("?").to_owned()],
    );
    expect_eq(
        problems,
        "Version (common parameter)",
        take("Version"),
        vec![scalar(&rpc["version"]).unwrap_or_default()],
    );
    expect_eq(
        problems,
        "Format (common parameter)",
        take("Format"),
        vec!["json".to_owned()],
    );
    let timestamp = take("Timestamp");
    let utc = |t: &str| {
        t.len() == 20
            && t.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                10 => b == b'T',
                13 | 16 => b == b':',
                19 => b == b'Z',
                _ => b.is_ascii_digit(),
            })
    };
    if timestamp.len() != 1 || !utc(&timestamp[0]) {
        problems.push(format!(
            "Timestamp (common parameter) is not one YYYY-MM-DDTHH:MM:SSZ: {timestamp:?}"
        ));
    }
    let nonce = take("SignatureNonce");
    if nonce.len() != 1 || nonce[0].is_empty() {
        problems.push(format!(
            "SignatureNonce (common parameter) is not one value: {nonce:?}"
        ));
    }
}

#[tokio::test]
async fn every_operation_of_every_document_runs_from_idtok_with_its_examples() {
    let documents = documents();
    let operations = operations(documents);
    assert!(
        operations.len() >= AT_LEAST_OPERATIONS,
        "the walk found {} operations, fewer than {AT_LEAST_OPERATIONS}",
        operations.len()
    );
    check_all(&operations, |op| op.doc.family.env).await;
}

/// Checks each operation with the credentials `env` gives it; fails naming every failed one.
async fn check_all<'d>(
    operations: &[Operation<'d>],
    env: impl Fn(&Operation<'d>) -> &'static [(&'static str, &'static str)],
) {
    let env = &env;
    let failures: Vec<String> = four_at_a_time(operations, |op| async move {
        let e = check_operation(op, env(op)).await.err()?;
        Some(format!(
            "{} {} ({} {} in {}):{e}",
            op.doc.family.name,
            op.id().to_kebab_case(),
            op.method.to_uppercase(),
            op.path,
            op.doc.file
        ))
    })
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(
        failures.is_empty(),
        "{} of {} operations failed:\n\n{}",
        failures.len(),
        operations.len(),
        failures.join("\n\n")
    );
}

/// `check` of each of `operations`, four at a time, in their order. A check runs idtok as a
/// process and waits for it, and so do the other three meanwhile: one at a time, the every-
/// operation tests left a core idle for most of their minutes.
async fn four_at_a_time<'o, 'd, T, Check>(
    operations: &'o [Operation<'d>],
    check: impl Fn(&'o Operation<'d>) -> Check,
) -> Vec<T>
where
    Check: std::future::Future<Output = T>,
{
    let check = &check;
    let lane = |first: usize| async move {
        let mut done = Vec::new();
        for (index, op) in operations.iter().enumerate().skip(first).step_by(4) {
            done.push((index, check(op).await));
        }
        done
    };
    let (a, b, c, d) = tokio::join!(lane(0), lane(1), lane(2), lane(3));
    let mut all: Vec<(usize, T)> = a.into_iter().chain(b).chain(c).chain(d).collect();
    all.sort_by_key(|(index, _)| *index);
    all.into_iter().map(|(_, result)| result).collect()
}

/// The strings that `value` holds where `schema` describes it, at any depth: the secrets
/// (`format: password`) in `secrets`, the others in `plain`.
fn strings_in(
    doc: &Value,
    schema: &Value,
    value: &Value,
    secrets: &mut Vec<String>,
    plain: &mut Vec<String>,
) {
    let schema = resolve(doc, schema);
    match value {
        Value::Object(fields) => {
            for (name, field) in fields {
                let property = schema["properties"].get(name).unwrap_or(&Value::Null);
                strings_in(doc, property, field, secrets, plain);
            }
        }
        Value::Array(items) => {
            for item in items {
                strings_in(doc, &schema["items"], item, secrets, plain);
            }
        }
        Value::String(text) if schema["format"] == "password" => secrets.push(text.clone()),
        Value::String(text) => plain.push(text.clone()),
        _ => {}
    }
}

/// Every secret that the operation's example command line sends, wherever it travels (the
/// query string too, where a service takes it nowhere else) and at any depth of an object.
fn every_secret_sent(op: &Operation<'_>) -> Vec<String> {
    let doc = &op.doc.root;
    let (mut out, mut plain) = (Vec::new(), Vec::new());
    for parameter in &op.parameters {
        let schema = parameter.get("schema").cloned().unwrap_or_default();
        let example = parameter
            .get("example")
            .or_else(|| resolve(doc, &schema).get("example"));
        if let Some(example) = example {
            strings_in(doc, &schema, example, &mut out, &mut plain);
        }
    }
    if let Some(request_body) = op.operation.get("requestBody") {
        for media in resolve(doc, request_body)["content"]
            .as_object()
            .into_iter()
            .flat_map(|c| c.values())
        {
            if let Ok(example) = body_example(doc, media) {
                strings_in(doc, &media["schema"], &example, &mut out, &mut plain);
            }
        }
    }
    // Too short to tell apart from other text, or a word of a value that is no secret (an
    // identity provider named `xxxx`, with a password `xxxx`): those could not be told apart.
    out.retain(|s| s.len() >= 4 && !plain.iter().any(|p| shows(p, s)));
    out
}

/// Whether `text` holds `secret` as a value of its own: not inside a longer word or number (an
/// example password `123456` is not shown by a phone number `12345678901`).
fn shows(text: &str, secret: &str) -> bool {
    text.match_indices(secret).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + secret.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// What idtok shows of a request, `--dry-run` (the request it would send) and `--debug` (each
/// attempt), never holds a secret the request carries: not in the query string, not deep in an
/// object parameter (an LDAP bind password in an identity provider's configuration), not in the
/// body. Run for every operation that sends one, with its examples.
#[tokio::test]
async fn no_secret_an_operation_sends_is_shown_by_dry_run_or_debug() {
    let documents = documents();
    let operations = operations(documents);
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in &operations {
        let secrets = every_secret_sent(op);
        if secrets.is_empty() {
            continue;
        }
        checked += 1;
        let name = format!("{} {}", op.doc.family.name, op.id().to_kebab_case());
        let line = match served(op).await {
            Ok((server, _)) => command_line(op, &server.uri()).map(|line| (server, line)),
            Err(e) => Err(e),
        };
        let (_server, line) = match line {
            Ok(found) => found,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        for flag in ["--dry-run", "--debug"] {
            let mut args = line.args.clone();
            args.push(flag.to_owned());
            let run = match idtok(&args, op.doc.family.env).await {
                Ok(run) => run,
                Err(e) => {
                    failures.push(format!("{name} {flag}: {e}"));
                    continue;
                }
            };
            // --debug's stdout is the answer, which is the user's to see.
            let shown = match flag {
                "--debug" => run.stderr.clone(),
                _ => format!("{}{}", run.stdout, run.stderr),
            };
            let decoded = percent_decode(&shown);
            for secret in &secrets {
                if shows(&shown, secret) || shows(&decoded, secret) {
                    failures.push(format!("{name} {flag} shows the secret {secret:?}"));
                }
            }
            if run.code != 0 {
                failures.push(format!("{name} {flag} exited {}: {}", run.code, run.stderr));
            }
        }
    }
    assert!(checked >= 5, "only {checked} operations send a secret");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An operation that sends no credentials (`security: []`: GenerateToken, which is how one gets
/// an access token in the first place, and ValidateAuthenticationToken) should not need any.
#[tokio::test]

async fn operations_without_security_run_without_credentials() {
    let documents = documents();
    let free: Vec<Operation> = operations(documents)
        .into_iter()
        .filter(|op| security(&op.doc.root, op.operation).is_empty())
        .collect();
    assert!(!free.is_empty(), "no operation has security: []");
    check_all(&free, |_| &[]).await;
}

/// Runs `op` from flags against a server that answers every request with `answer`.
async fn run_answered(op: &Operation<'_>, answer: ResponseTemplate) -> Result<Run, String> {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    let line = command_line(op, &server.uri())?;
    idtok(&line.args, op.doc.family.env).await
}

/// A created credential is never lost: any 2xx whose body is the documented answer is a success
/// (a gateway that answers CreateBearerToken with 200 instead of 201 must not cost the token),
/// and a 2xx whose body does not decode still reaches the user, whole, on stdout. Every
/// operation with a documented answer body, from the documents.
#[tokio::test]
async fn any_2xx_with_the_documented_body_succeeds_and_an_undecodable_one_is_printed_whole() {
    let documents = documents();
    let operations = operations(documents);
    let all = &operations;
    // None: no answer body to check; else the problems found.
    let results = four_at_a_time(&operations, |op| async move {
        let Ok((_, Some(example))) = success(&op.doc.root, op.operation) else {
            return None;
        };
        let body = serde_json::to_vec(&example).unwrap();
        let mut problems = Vec::new();
        // 200, 201 or 202, in turn across the operations: each operation's generated code takes
        // the whole 2xx range in one match arm, so one of them per operation checks that arm;
        // all three for each of the 467 operations made this the suite's longest test.
        let index = all.iter().position(|o| std::ptr::eq(o, op)).unwrap_or(0);
        let status = [200, 201, 202][index % 3];
        let answer = ResponseTemplate::new(status).set_body_raw(body, "application/json");
        match run_answered(op, answer).await {
            Ok(run) => {
                expect_eq(
                    &mut problems,
                    &format!("HTTP {status}: exit code ({})", run.stderr.trim()),
                    run.code,
                    0,
                );
                expect_eq(
                    &mut problems,
                    &format!("HTTP {status}: stdout"),
                    run.stdout,
                    serde_json::to_string_pretty(&example).unwrap() + "\n",
                );
            }
            Err(e) => problems.push(e),
        }
        // A 204 carries no body: an error that says so, never a success with nothing.
        match run_answered(op, ResponseTemplate::new(204)).await {
            Ok(run) => {
                expect_eq(&mut problems, "HTTP 204: exit code", run.code, 1);
                if !run.stderr.contains("HTTP 204") || !run.stderr.contains("no body") {
                    problems.push(format!(
                        "HTTP 204: stderr does not say so: {:?}",
                        run.stderr
                    ));
                }
            }
            Err(e) => problems.push(e),
        }
        // Cut short, with a secret inside: printed as received, exit 1, and said so.
        let cut = br#"{"ApplicationToken": "kept-secret-8f2c", "token": "kept-secret-8f2c", "cut"#;
        let answer = ResponseTemplate::new(200).set_body_raw(cut.to_vec(), "application/json");
        match run_answered(op, answer).await {
            Ok(run) => {
                expect_eq(&mut problems, "undecodable: exit code", run.code, 1);
                expect_eq(
                    &mut problems,
                    "undecodable: stdout",
                    run.stdout.as_bytes(),
                    [&cut[..], b"\n"].concat().as_slice(),
                );
                if !run.stderr.contains("printed on stdout as received")
                    || run.stderr.contains("kept-secret-8f2c")
                {
                    problems.push(format!("undecodable: stderr: {:?}", run.stderr));
                }
            }
            Err(e) => problems.push(e),
        }
        Some(if problems.is_empty() {
            None
        } else {
            Some(format!("{}: {}", op.id(), problems.join("\n    ")))
        })
    })
    .await;
    let checked = results.iter().flatten().count();
    let failures: Vec<String> = results.into_iter().flatten().flatten().collect();
    assert!(
        checked >= 15,
        "only {checked} operations with an answer body"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Task 2: `--all` on list-authentication-tokens
// ---------------------------------------------------------------------------------------------

const INSTANCE: &str = "idaas_ue2jvisn35ea5lmthk267xxxxx";
const CONSUMER: &str = "app_ngtkgrrxxxxktg5eao6z4xxxxx";
const PROVIDER: &str = "test_example_identifier";

/// `n` authentication tokens, each the document's example entity with its own id.
fn tokens(ids: std::ops::RangeInclusive<u32>) -> Vec<Value> {
    let documents = documents();
    let list = operations(documents)
        .into_iter()
        .find(|op| op.id() == "ListAuthenticationTokens")
        .expect("ListAuthenticationTokens is in a document");
    let (_, example) = success(&list.doc.root, list.operation).unwrap();
    let entity = example.expect("an example answer")["entities"][0].clone();
    assert!(entity.is_object(), "the example has an entity");
    ids.map(|i| {
        let mut token = entity.clone();
        token["authenticationTokenId"] = json!(format!("atntkn_{i:05}"));
        token
    })
    .collect()
}

fn page(entities: &[Value], next_token: Option<&str>) -> ResponseTemplate {
    let mut body = json!({ "entities": entities, "totalCount": 5, "maxResults": 2 });
    if let Some(token) = next_token {
        body["nextToken"] = json!(token);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Serves `template` to requests whose `nextToken` is `token` (`None`: without one).
async fn serve(server: &MockServer, token: Option<&str>, template: ResponseTemplate) {
    match token {
        None => Mock::given(query_param_is_missing("nextToken")),
        Some(token) => Mock::given(query_param("nextToken", token)),
    }
    .respond_with(template)
    .mount(server)
    .await;
}

async fn list(server: &MockServer, extra: &[&str]) -> Run {
    let uri = server.uri();
    let mut args = strings(&[
        "--endpoint",
        &uri,
        "eiam-developerapi",
        "list-authentication-tokens",
        "--instance-id",
        INSTANCE,
        "--consumer-id",
        CONSUMER,
        "--credential-provider-identifier",
        PROVIDER,
    ]);
    args.extend(strings(extra));
    idtok(&args, DEVELOPER_API_ENV)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The `nextToken` of each request, in order, after checking each is the same query otherwise.
async fn next_tokens(server: &MockServer, max_results: Option<&str>) -> Vec<Option<String>> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| {
            assert_eq!(
                (request.method.as_str(), request.url.path()),
                (
                    "GET",
                    format!("/v2/{INSTANCE}/authenticationTokens").as_str()
                )
            );
            assert_eq!(
                header(request, "authorization"),
                Some(format!("Bearer {ACCESS_TOKEN}").as_str())
            );
            let mut query = query(request);
            let next = query.remove("nextToken").map(|mut v| {
                assert_eq!(v.len(), 1, "one nextToken: {v:?}");
                v.remove(0)
            });
            let mut want = BTreeMap::from([
                ("consumerId".to_owned(), vec![CONSUMER.to_owned()]),
                (
                    "credentialProviderIdentifier".to_owned(),
                    vec![PROVIDER.to_owned()],
                ),
            ]);
            if let Some(max) = max_results {
                want.insert("maxResults".to_owned(), vec![max.to_owned()]);
            }
            assert_eq!(
                query, want,
                "the query of the request with nextToken {next:?}"
            );
            next
        })
        .collect()
}

/// stdout as JSON lines: each line one compact JSON object.
fn json_lines(stdout: &str) -> Vec<Value> {
    assert!(
        stdout.is_empty() || stdout.ends_with('\n'),
        "the last line is not ended: {stdout:?}"
    );
    stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line:?}"));
            assert!(value.is_object(), "not a JSON object: {line}");
            // Compact: exactly as long as serde_json's compact form (key order may differ).
            assert_eq!(
                line.len(),
                value.to_string().len(),
                "not compact JSON: {line}"
            );
            value
        })
        .collect()
}

fn some(token: &str) -> Option<String> {
    Some(token.to_owned())
}

#[tokio::test]
async fn all_follows_next_token_through_every_page_and_prints_json_lines() {
    let tokens = tokens(1..=5);
    let server = MockServer::start().await;
    serve(&server, None, page(&tokens[0..2], Some("p2"))).await;
    serve(&server, Some("p2"), page(&tokens[2..4], Some("p3"))).await;
    serve(&server, Some("p3"), page(&tokens[4..5], None)).await;

    let run = list(&server, &["--max-results", "2", "--all"]).await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(json_lines(&run.stdout), tokens, "stdout:\n{}", run.stdout);
    assert_eq!(
        next_tokens(&server, Some("2")).await,
        [None, some("p2"), some("p3")]
    );
}

#[tokio::test]
async fn all_keeps_the_pages_printed_before_an_error_and_exits_1() {
    let tokens = tokens(1..=4);
    let server = MockServer::start().await;
    serve(&server, None, page(&tokens[0..2], Some("p2"))).await;
    serve(
        &server,
        Some("p2"),
        ResponseTemplate::new(403).set_body_json(json!({
            "Code": "Forbidden.AccessTokenScope",
            "Message": "The access token does not have the required scope.",
            "RequestId": "6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0F0403"
        })),
    )
    .await;

    let run = list(&server, &["--max-results", "2", "--all"]).await;
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert_eq!(
        json_lines(&run.stdout),
        tokens[0..2],
        "stdout:\n{}",
        run.stdout
    );
    for part in [
        "ListAuthenticationTokens",
        "HTTP 403",
        "Forbidden.AccessTokenScope",
        "6AD6E5E4-0D6B-5D3C-9B9C-2C3F2C0F0403",
    ] {
        assert!(
            run.stderr.contains(part),
            "{part} missing from stderr: {}",
            run.stderr
        );
    }
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert_eq!(next_tokens(&server, Some("2")).await, [None, some("p2")]);
}

#[tokio::test]
async fn all_stops_with_an_error_when_the_service_repeats_the_next_token() {
    let tokens = tokens(1..=4);
    let server = MockServer::start().await;
    serve(&server, None, page(&tokens[0..2], Some("p2"))).await;
    // Sent p2, answers p2 again: followed blindly, this never ends.
    serve(&server, Some("p2"), page(&tokens[2..4], Some("p2"))).await;

    let run = list(&server, &["--all"]).await; // killed and failed after RUN_LIMIT
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("ListAuthenticationTokens") && run.stderr.contains("nextToken"),
        "stderr: {}",
        run.stderr
    );
    let printed = json_lines(&run.stdout);
    assert!(
        printed.starts_with(&tokens[0..2]) && printed.len() <= tokens.len(),
        "stdout:\n{}",
        run.stdout
    );
    assert_eq!(next_tokens(&server, None).await, [None, some("p2")]);
}

#[tokio::test]

async fn all_stops_with_an_error_when_the_service_cycles_back_to_an_earlier_next_token() {
    let tokens = tokens(1..=6);
    let server = MockServer::start().await;
    serve(&server, None, page(&tokens[0..2], Some("p2"))).await;
    serve(&server, Some("p2"), page(&tokens[2..4], Some("p3"))).await;
    // Sent p3, answers p2, which it answered before: followed blindly, this never ends.
    serve(&server, Some("p3"), page(&tokens[4..6], Some("p2"))).await;

    let run = list(&server, &["--all"]).await; // killed and failed after RUN_LIMIT
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("ListAuthenticationTokens") && run.stderr.contains("nextToken"),
        "stderr: {}",
        run.stderr
    );
    let printed = json_lines(&run.stdout);
    assert!(
        printed.starts_with(&tokens[0..4]) && printed.len() <= tokens.len(),
        "stdout:\n{}",
        run.stdout
    );
    assert_eq!(
        next_tokens(&server, None).await,
        [None, some("p2"), some("p3")]
    );
}

#[tokio::test]
async fn without_all_one_request_and_the_page_as_one_pretty_json_object() {
    let tokens = tokens(1..=2);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(page(&tokens, Some("p2")))
        .mount(&server)
        .await;

    let run = list(&server, &["--max-results", "2"]).await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert_eq!(run.stderr, "");
    let printed: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON value ({e}):\n{}", run.stdout));
    assert_eq!(
        printed,
        json!({ "entities": tokens, "totalCount": 5, "maxResults": 2, "nextToken": "p2" })
    );
    assert!(
        run.stdout.starts_with("{\n  \"") && run.stdout.ends_with("}\n"),
        "not pretty-printed:\n{}",
        run.stdout
    );
    assert_eq!(next_tokens(&server, Some("2")).await, [None]);
}

// ---------------------------------------------------------------------------------------------
// Task 3: help that teaches, for every operation
// ---------------------------------------------------------------------------------------------

/// `idtok <family> <operation> --help` of every operation, run once (four at a time) for the two
/// tests that read it, keyed by family and operationId.
async fn every_help() -> &'static BTreeMap<(String, String), Result<String, String>> {
    static HELP: tokio::sync::OnceCell<BTreeMap<(String, String), Result<String, String>>> =
        tokio::sync::OnceCell::const_new();
    HELP.get_or_init(|| async {
        let operations = operations(documents());
        let helps = four_at_a_time(&operations, |op| async move {
            let key = (op.doc.family.name.clone(), op.id().to_owned());
            (key, run_help(op).await)
        })
        .await;
        helps.into_iter().collect()
    })
    .await
}

/// `op`'s `--help`, as [`every_help`] ran it.
async fn help_of(op: &Operation<'_>) -> Result<String, String> {
    let key = (op.doc.family.name.clone(), op.id().to_owned());
    every_help()
        .await
        .get(&key)
        .cloned()
        .unwrap_or_else(|| Err(format!("no help was run for {key:?}")))
}

/// `idtok <family> <operation> --help`.
async fn run_help(op: &Operation<'_>) -> Result<String, String> {
    let args = strings(&[&op.doc.family.name, &op.id().to_kebab_case(), "--help"]);
    let run = idtok(&args, &[]).await?;
    if run.code != 0 || !run.stderr.is_empty() {
        return Err(format!(
            "idtok {} exited {}: {}",
            args.join(" "),
            run.code,
            run.stderr
        ));
    }
    Ok(run.stdout)
}

/// The option lists of a `--help`: each long flag (`--instance-id`) and the text under it.
fn option_list(help: &str) -> BTreeMap<String, String> {
    let mut options = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    let before_examples = help.split("\nExamples:\n").next().unwrap_or_default();
    for line in before_examples.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.starts_with('-') && (1..=6).contains(&indent) {
            options.extend(current.take());
            let flag = trimmed
                .split([' ', ','])
                .find(|word| word.starts_with("--"))
                .unwrap_or(trimmed);
            current = Some((flag.to_owned(), String::new()));
        } else if indent == 0 && !trimmed.is_empty() {
            // A heading ("Global options:", "Examples:") ends the entry.
            options.extend(current.take());
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(trimmed);
            text.push('\n');
        }
    }
    options.extend(current);
    options
}

const REQUIRED_MARK: &str = "[required]";
const REQUIRED_IN_BODY_MARK: &str = "[required unless given in --json-body]";

/// The option list marks what the document requires: a parameter `[required]`, a body field
/// `[required unless given in --json-body]`, and nothing else; an array or object of an RPC query
/// string is not called a body field.
#[tokio::test]
async fn help_marks_the_required_flags_and_only_those() {
    let documents = documents();
    let operations = operations(documents);
    let mut failures = Vec::new();
    for op in &operations {
        let help = match help_of(op).await {
            Ok(help) => help,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let options = option_list(&help);
        let mut problems = Vec::new();
        let mut marked = Vec::new();
        for parameter in &op.parameters {
            if parameter["in"] == "header" {
                continue;
            }
            let flag = format!("--{}", parameter["name"].as_str().unwrap().to_kebab_case());
            let Some(text) = options.get(&flag) else {
                problems.push(format!("{flag} is not in the option list"));
                continue;
            };
            // An idempotency token is required by the service but not of the user: idtok fills it.
            let required = parameter["required"] == true
                && parameter.get("x-idempotency-token") != Some(&Value::Bool(true));
            expect_eq(
                &mut problems,
                &format!("{flag} marked {REQUIRED_MARK}: {text:?}"),
                text.contains(REQUIRED_MARK),
                required,
            );
            if parameter.get("x-acs-style").is_some() && text.contains("body field") {
                problems.push(format!("{flag}, a query parameter, is called a body field"));
            }
            if required {
                marked.push(flag);
            }
        }
        if let Some(request_body) = op.operation.get("requestBody") {
            let doc = &op.doc.root;
            let media = resolve(doc, request_body)["content"]
                .as_object()
                .and_then(|content| content.values().next())
                .cloned()
                .unwrap_or_default();
            let schema = resolve(doc, &media["schema"]);
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let taken = parameter_flags(op);
            for name in schema["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(n, _)| n)
            {
                let flag = body_flag(name, &taken);
                let Some(text) = options.get(&flag) else {
                    problems.push(format!("{flag} is not in the option list"));
                    continue;
                };
                // An idempotency token is filled in by idtok: never required of the caller.
                let required = required.contains(&name.as_str())
                    && body_idempotency_token(doc, &media) != Some(name);
                expect_eq(
                    &mut problems,
                    &format!("{flag} marked {REQUIRED_IN_BODY_MARK}: {text:?}"),
                    text.contains(REQUIRED_IN_BODY_MARK),
                    required,
                );
                if !text.contains("[body field") {
                    problems.push(format!("{flag}: not said to be a body field: {text:?}"));
                }
                if required {
                    marked.push(flag);
                }
            }
        }
        for (flag, text) in &options {
            let is_marked = text.contains(REQUIRED_MARK) || text.contains(REQUIRED_IN_BODY_MARK);
            if is_marked && !marked.contains(flag) {
                problems.push(format!(
                    "{flag} is marked required but the document does not require it"
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{} {}:\n    {}",
                op.doc.family.name,
                op.id().to_kebab_case(),
                problems.join("\n    ")
            ));
        }
    }
    assert!(
        operations.len() >= AT_LEAST_OPERATIONS,
        "only {} operations",
        operations.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The examples at the end of a `--help`: each one's comment and its command as written (a
/// quoted value may span lines). `Err` when the help does not end with them.
fn examples_in(help: &str) -> Result<Vec<(String, String)>, String> {
    let (_, section) = help
        .split_once("\nExamples:\n")
        .ok_or("no \"Examples:\" section")?;
    // Blank lines part the examples; each is its comment, then its command.
    section
        .split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let (comment, command) = block.split_once('\n').unwrap_or((block, ""));
            let comment = comment
                .strip_prefix("  # ")
                .ok_or(format!("the help goes on after its examples: {block:?}"))?;
            if !command.starts_with("  idtok ") && !command.starts_with("  printf ") {
                return Err(format!("not a command: {command:?}"));
            }
            Ok((comment.to_owned(), format!("{command}\n")))
        })
        .collect()
}

/// Runs `example` as a POSIX shell does, with `idtok` the binary under test sent to `endpoint`.
async fn sh(example: &str, endpoint: &str, env: &[(&str, &str)]) -> Result<Run, String> {
    let script =
        format!("idtok() {{ \"$IDTOK\" --endpoint \"$IDTOK_ENDPOINT\" \"$@\"; }}\n{example}");
    let mut env = env.to_vec();
    env.splice(
        0..0,
        [
            ("IDTOK", env!("CARGO_BIN_EXE_idtok")),
            ("IDTOK_ENDPOINT", endpoint),
        ],
    );
    idtok_testkit::try_run("sh", &["-c", &script], &env, None, RUN_LIMIT).await
}

/// Every operation's `--help` ends with one or two examples built from the document's
/// examples, and each runs as written in a POSIX shell: the first gives the required flags and
/// sends what the document's examples of those say; the second, where the document exemplifies
/// more, every flag it has an example of, and sends all of it.
#[tokio::test]
async fn help_ends_with_examples_that_run_as_written() {
    let documents = documents();
    let operations = operations(documents);
    let failures = four_at_a_time(&operations, |op| async move {
        let mut problems = Vec::new();
        let examples = match help_of(op).await.and_then(|help| examples_in(&help)) {
            Ok(examples) => examples,
            Err(e) => return Some(format!("{} {}: {e}", op.doc.family.name, op.id())),
        };
        if !(1..=2).contains(&examples.len()) {
            problems.push(format!("{} examples, not one or two", examples.len()));
        }
        for (i, (comment, example)) in examples.iter().enumerate() {
            let only_required = i == 0;
            let result = async {
                let (server, answer) = served(op).await?;
                let line = command_line_giving(op, &server.uri(), only_required, false)?;
                let run = sh(example, &server.uri(), op.doc.family.env).await?;
                let found = check_run(op, &run, &server, answer.as_ref(), &line).await;
                let stderr = run.stderr.trim_end().to_owned();
                Ok::<_, String>(
                    found
                        .into_iter()
                        .map(|p| format!("# {comment}\n{example}      {p}\n      stderr: {stderr}"))
                        .collect::<Vec<_>>(),
                )
            }
            .await;
            match result {
                Ok(found) => problems.extend(found),
                Err(e) => problems.push(e),
            }
        }
        // One example only where the document exemplifies nothing beyond the required flags.
        if examples.len() == 1 {
            let required = command_line_giving(op, "http://127.0.0.1:9", true, false);
            let every = command_line_giving(op, "http://127.0.0.1:9", false, false);
            if let (Ok(required), Ok(every)) = (required, every) {
                if (required.wire_query, required.body) != (every.wire_query, every.body) {
                    problems.push(
                        "one example, but the document exemplifies more than the required flags"
                            .to_owned(),
                    );
                }
            }
        }
        (!problems.is_empty()).then(|| {
            format!(
                "{} {}:\n    {}",
                op.doc.family.name,
                op.id().to_kebab_case(),
                problems.join("\n    ")
            )
        })
    })
    .await;
    let failures: Vec<String> = failures.into_iter().flatten().collect();
    assert!(
        operations.len() >= AT_LEAST_OPERATIONS,
        "only {} operations",
        operations.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
