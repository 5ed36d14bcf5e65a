//! Request bodies (and the arrays and objects of RPC query strings) from the command line: one
//! flag per property of the document's body schema
//! (`REQUEST_BODIES` in each generated family module), `--json-body <file>` or `--json-body -`
//! (stdin) for a whole body, flags overriding its fields (as `gh api -f` and `aws
//! --cli-input-json` do), and `--json-body-template` to print the document's example.

pub mod closed;

pub use closed::Shape;

use std::io::Read;

use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

use crate::values::ValueKind;

/// One operation's request body, as the document describes it.
pub struct RequestBody {
    /// The operationId.
    pub operation: &'static str,
    /// `application/json` or `application/x-www-form-urlencoded`.
    pub media_type: &'static str,
    pub required: bool,
    /// The document's example, pretty JSON.
    pub template: &'static str,
    /// Where the body holds a secret (`format: password`), at any depth: `apiKeyContent.apiKey`,
    /// `*` standing for any array index. Redacted where idtok shows a request (`--dry-run`).
    pub secret_paths: &'static [&'static str],
    pub fields: &'static [BodyField],
}

/// One property of a request body, and its flag.
pub struct BodyField {
    /// The property as the wire names it (`token_type_hint`, `customClaims`).
    pub name: &'static str,
    /// The flag, without `--`.
    pub flag: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// `format: password`: redacted where idtok shows a request (`--dry-run`).
    pub secret: bool,
    pub help: &'static str,
    /// What the document says the value may be (for an array, each item): its flag refuses
    /// anything else before a request is sent.
    pub limits: crate::values::Limits,
    /// `x-idempotency-token: true` on the property: idtok fills in a fresh token when neither
    /// the flag nor `--json-body` gives one.
    pub idempotency_token: bool,
}

pub enum FieldKind {
    String,
    Integer,
    // No body field of the documents is a plain number yet; the generator writes it for one.
    #[allow(dead_code)]
    Number,
    Boolean,
    /// The flag repeats; each value is read as the item kind.
    Array(&'static FieldKind),
    /// A JSON object, or `key=value` pairs (the flag repeats).
    Object,
}

/// An array or object of an RPC query string (`x-acs-style`), and its flag.
pub struct StructuredParameter {
    /// The operationId.
    pub operation: &'static str,
    pub field: BodyField,
    /// For an object (or an array of objects): what `--parameter-template <flag>` prints, a
    /// filled-in skeleton from the document's examples (pretty JSON); empty for other values.
    pub template: &'static str,
}

/// A parameter the document marks `x-idempotency-token`, and its flag (the generated
/// `IDEMPOTENCY_TOKENS` of each family): optional on the command line, as idtok fills it in.
pub struct IdempotencyToken {
    /// The operationId.
    pub operation: &'static str,
    /// The flag, without `--`.
    pub flag: &'static str,
}

/// Makes the idempotency token flags of `operation` optional, and says so in their help.
pub fn idempotency_token_args(
    mut command: Command,
    tokens: &[IdempotencyToken],
    operation: &str,
) -> Command {
    for token in tokens.iter().filter(|t| t.operation == operation) {
        command = command.mut_arg(token.flag, |arg| {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            arg.required(false).help(with_fresh_token_default(&help))
        });
    }
    command
}

/// The help of an idempotency token's flag, saying what idtok sends when it is not given.
fn with_fresh_token_default(help: &str) -> String {
    format!(
        "{} [default: a fresh random token for this call, shown by --dry-run and --debug; give your own to repeat a call safely]",
        help.trim_end()
    )
}

/// A fresh idempotency token, as the aws CLI makes one: a random (version 4) UUID.
pub fn fresh_idempotency_token(operation: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        anyhow::anyhow!("{operation}: cannot make an idempotency token (no random numbers: {e}); give one with its flag")
    })?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
}

pub(crate) const JSON_BODY: &str = "json-body";
const JSON_BODY_TEMPLATE: &str = "json-body-template";
const PARAMETER_TEMPLATE: &str = "parameter-template";

/// The body of `operation`, if it has one.
pub fn of<'a>(bodies: &'a [RequestBody], operation: &str) -> Option<&'a RequestBody> {
    bodies.iter().find(|b| b.operation == operation)
}

/// Adds the flags of the operation's arrays and objects in the query string.
pub fn parameter_args(
    mut command: Command,
    parameters: &'static [StructuredParameter],
    operation: &str,
) -> Command {
    for parameter in parameters.iter().filter(|p| p.operation == operation) {
        command = command.arg(field_arg(&parameter.field).required(parameter.field.required));
    }
    command
}

/// Adds `--parameter-template <flag>` when one of the operation's query parameters holds
/// objects. After the help has marked the required flags: the template needs none of them.
pub fn parameter_template_args(
    command: Command,
    parameters: &'static [StructuredParameter],
    operation: &str,
) -> Command {
    let templates: Vec<&str> = parameters
        .iter()
        .filter(|p| p.operation == operation && !p.template.is_empty())
        .map(|p| p.field.flag)
        .collect();
    if templates.is_empty() {
        return command;
    }
    command
        .mut_args(|arg| {
            if arg.is_required_set() {
                arg.required(false)
                    .required_unless_present(PARAMETER_TEMPLATE)
            } else {
                arg
            }
        })
        .arg(
            Arg::new(PARAMETER_TEMPLATE)
                .long(PARAMETER_TEMPLATE)
                .value_name("FLAG")
                .value_parser(clap::builder::PossibleValuesParser::new(templates))
                .help("Print a filled-in skeleton of that parameter (the document's examples; null where it has none, left out when sent) to edit and give back to that flag as @file, and send nothing"),
        )
}

/// `--parameter-template <flag>`: the skeleton of that parameter, if the flag was given.
pub fn parameter_template(
    parameters: &[StructuredParameter],
    operation: &str,
    matches: &ArgMatches,
) -> Option<String> {
    let flag = matches
        .try_get_one::<String>(PARAMETER_TEMPLATE)
        .ok()
        .flatten()?;
    parameters
        .iter()
        .find(|p| p.operation == operation && p.field.flag == flag)
        .map(|p| p.template.to_owned())
}

/// The value of an array or object query parameter from its flag, if given.
pub fn structured(
    operation: &str,
    name: &str,
    parameters: &[StructuredParameter],
    matches: &ArgMatches,
) -> anyhow::Result<Option<Value>> {
    match parameters
        .iter()
        .find(|p| p.operation == operation && p.field.name == name)
    {
        Some(parameter) => flag_value(&parameter.field, matches),
        None => Ok(None),
    }
}

/// Adds the body flags of `body` to an operation's command.
pub fn args(command: Command, body: &'static RequestBody) -> Command {
    // The template needs no parameter.
    let mut command = command.mut_args(|arg| {
        if arg.is_required_set() {
            arg.required(false)
                .required_unless_present(JSON_BODY_TEMPLATE)
        } else {
            arg
        }
    });
    for field in body.fields {
        command = command.arg(field_arg(field));
    }
    command
        .arg(
            Arg::new(JSON_BODY)
                .long(JSON_BODY)
                .value_name("FILE|-")
                .help(format!(
                    "The whole request body as JSON, from a file or from stdin (-); flags override its fields. Sent as {}.",
                    body.media_type
                )),
        )
        .arg(
            Arg::new(JSON_BODY_TEMPLATE)
                .long(JSON_BODY_TEMPLATE)
                .action(ArgAction::SetTrue)
                .help("Print an example body (the document's) to start a --json-body from, and send nothing"),
        )
}

/// The flag of a field: repeated for an array, JSON or `key=value` for an object; values out of
/// the document's limits refused (an object's, inside it, by `typed`).
fn field_arg(field: &'static BodyField) -> Arg {
    let arg = Arg::new(field.flag).long(field.flag);
    let arg = if field.idempotency_token {
        arg.help(with_fresh_token_default(field.help))
    } else {
        arg.help(field.help)
    };
    let arg = arg.value_name(match field.kind {
        FieldKind::String | FieldKind::Array(FieldKind::String) => "TEXT",
        FieldKind::Integer | FieldKind::Array(FieldKind::Integer) => "INTEGER",
        FieldKind::Number | FieldKind::Array(FieldKind::Number) => "NUMBER",
        FieldKind::Boolean | FieldKind::Array(FieldKind::Boolean) => "BOOL",
        FieldKind::Array(_) => "JSON",
        FieldKind::Object => "JSON|@FILE|KEY=VALUE",
    });
    let limits = &field.limits;
    match field.kind {
        FieldKind::Array(_) => limits.checked(arg.action(ArgAction::Append), ValueKind::Text),
        FieldKind::Object => arg.action(ArgAction::Append),
        FieldKind::Integer if limits.is_none() => arg.value_parser(clap::value_parser!(i64)),
        FieldKind::Integer => limits.checked(arg, ValueKind::I64),
        FieldKind::Number if limits.is_none() => arg.value_parser(clap::value_parser!(f64)),
        FieldKind::Number => limits.checked(arg, ValueKind::F64),
        FieldKind::Boolean => arg.value_parser(clap::value_parser!(bool)),
        // Read as a secret, so that it can come from stdin (`crate::secret_input`).
        FieldKind::String if field.secret && limits.is_none() => {
            arg.value_parser(clap::value_parser!(idtok_secret::SecretString))
        }
        FieldKind::String if field.secret => limits.checked(arg, ValueKind::Secret),
        FieldKind::String => limits.checked(arg, ValueKind::Text),
    }
}

/// `--json-body-template`: the operation's example body, if that flag was given.
pub fn template(bodies: &[RequestBody], operation: &str, matches: &ArgMatches) -> Option<String> {
    let body = of(bodies, operation)?;
    crate::flags::switch(matches, JSON_BODY_TEMPLATE).then(|| body.template.to_owned())
}

/// The body the command line gives: `--json-body` (file or stdin) with the body flags laid over
/// it. `None` when nothing was given for an optional body.
pub fn from_matches(
    operation: &str,
    bodies: &[RequestBody],
    matches: &ArgMatches,
) -> anyhow::Result<Option<Value>> {
    let Some(body) = of(bodies, operation) else {
        return Ok(None);
    };
    let mut given = match matches.get_one::<String>(JSON_BODY) {
        Some(source) => Some(read_json_body(source)?),
        None => None,
    };
    for field in body.fields {
        if let Some(value) = flag_value(field, matches)? {
            given
                .get_or_insert_with(Map::new)
                .insert(field.name.to_owned(), value);
        }
    }
    // An idempotency token of the body (EIAM's form-body ClientToken), as for a query one: a
    // fresh one unless the caller gives theirs, by flag or in --json-body.
    for field in body.fields.iter().filter(|f| f.idempotency_token) {
        let given = given.get_or_insert_with(Map::new);
        if !given.contains_key(field.name) {
            let token = fresh_idempotency_token(operation)?;
            // --debug shows the URL of each attempt, not its body: say where this one went.
            tracing::debug!(
                target: "idtok::body",
                operation,
                "{} = {token}: a fresh idempotency token, sent in the {} body",
                field.name,
                body.media_type
            );
            given.insert(field.name.to_owned(), Value::String(token));
        }
    }
    let Some(given) = given else {
        if body.required {
            anyhow::bail!("no request body: give {}", needed(body, &Map::new()));
        }
        return Ok(None);
    };
    let missing = needed(body, &given);
    if !missing.is_empty() {
        anyhow::bail!("the request body lacks {missing}");
    }
    Ok(Some(Value::Object(given)))
}

/// The typed value (`what`: the request body, or a flag's value), or a message that says what
/// did not fit (the caller names the operation). Request values are closed: a key that the
/// document does not name, at any depth, is refused with the nearest name it has (serde would
/// drop it silently, and a misspelt `expiraton` would send a token with the default lifetime);
/// objects the document leaves open (`additionalProperties`) take any key. A value out of the
/// document's limits (`enum`, lengths, ranges), at any depth, is refused with what is allowed.
pub fn typed<T: serde::de::DeserializeOwned>(
    what: &str,
    shape: &Shape,
    value: Value,
) -> anyhow::Result<T> {
    if let Some(unknown) = closed::first_misfit(shape, &value) {
        anyhow::bail!("{what} {unknown}");
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let at = e.path().to_string();
        anyhow::anyhow!("{what} does not fit the document at `{at}`: {}", e.inner())
    })
}

/// The required fields `given` lacks, as flags to give.
fn needed(body: &RequestBody, given: &Map<String, Value>) -> String {
    body.fields
        .iter()
        .filter(|f| f.required && !given.contains_key(f.name))
        .map(|f| format!("--{} (or \"{}\" in --json-body)", f.flag, f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_json_body(source: &str) -> anyhow::Result<Map<String, Value>> {
    let (text, from) = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("cannot read the --json-body from stdin: {e}"))?;
        (text, "stdin".to_owned())
    } else {
        let text = std::fs::read_to_string(source)
            .map_err(|e| anyhow::anyhow!("cannot read --json-body {source}: {e}"))?;
        (text, source.to_owned())
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => anyhow::bail!("the --json-body from {from} is not a JSON object"),
        // serde_json's message names line and column, never the text.
        Err(e) => anyhow::bail!("the --json-body from {from} is not JSON: {e}"),
    }
}

fn flag_value(field: &BodyField, matches: &ArgMatches) -> anyhow::Result<Option<Value>> {
    Ok(match &field.kind {
        FieldKind::String if field.secret => matches
            .get_one::<idtok_secret::SecretString>(field.flag)
            .map(|v| Value::String(v.expose_secret().to_owned())),
        FieldKind::String => matches
            .get_one::<String>(field.flag)
            .map(|v| Value::String(v.clone())),
        FieldKind::Integer => matches.get_one::<i64>(field.flag).map(|v| Value::from(*v)),
        FieldKind::Number => matches.get_one::<f64>(field.flag).map(|v| Value::from(*v)),
        FieldKind::Boolean => matches.get_one::<bool>(field.flag).map(|v| Value::Bool(*v)),
        FieldKind::Array(item) => match matches.get_many::<String>(field.flag) {
            None => None,
            Some(values) => {
                let mut items = Vec::new();
                for value in values {
                    if let Some(path) = value.strip_prefix('@') {
                        // `--user-ids @ids.txt`: a JSON array, or one item per line.
                        let text = flag_file(field, path)?;
                        match json_array(&text) {
                            Some(array) => items.extend(array),
                            None if text.trim_start().starts_with('[') => anyhow::bail!(
                                "--{}: {path} starts with `[` but is not a JSON array",
                                field.flag
                            ),
                            None => {
                                for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                                    items.push(scalar(field, item, line)?);
                                }
                            }
                        }
                        continue;
                    }
                    match json_array(value) {
                        // `--user-ids '["u1","u2"]'`: the items of one JSON array.
                        Some(array) => items.extend(array),
                        None => items.push(scalar(field, item, value)?),
                    }
                }
                Some(Value::Array(items))
            }
        },
        FieldKind::Object => match matches.get_many::<String>(field.flag) {
            None => None,
            Some(values) => {
                let mut object = Map::new();
                for value in values {
                    match value.strip_prefix('@') {
                        // `--ldap-config @ldap.json`: a JSON object from a file.
                        Some(path) => object.extend(object_file(field, path)?),
                        None => object.extend(object_part(field, value)?),
                    }
                }
                Some(Value::Object(object))
            }
        },
    })
}

/// A flag's value that is a JSON array (it starts with `[`), as its items: a list flag takes one
/// array as well as repeated values, as the aws CLI's list parameters do.
fn json_array(text: &str) -> Option<Vec<Value>> {
    if !text.trim_start().starts_with('[') {
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => Some(items),
        _ => None,
    }
}

/// One value of a repeated flag, read as the array's item kind.
fn scalar(field: &BodyField, kind: &FieldKind, text: &str) -> anyhow::Result<Value> {
    let bad = |what: &str| anyhow::anyhow!("--{}: {text:?} is not {what}", field.flag);
    Ok(match kind {
        FieldKind::String => Value::String(text.to_owned()),
        FieldKind::Integer => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        FieldKind::Number => Value::from(text.parse::<f64>().map_err(|_| bad("a number"))?),
        FieldKind::Boolean => Value::Bool(text.parse::<bool>().map_err(|_| bad("true or false"))?),
        FieldKind::Array(_) | FieldKind::Object => {
            serde_json::from_str(text).map_err(|_| bad("JSON"))?
        }
    })
}

/// The text of the file `path` that a flag's `@path` value names.
fn flag_file(field: &BodyField, path: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("--{}: cannot read {path}: {e}", field.flag))
}

/// A JSON object from the file at `path`.
fn object_file(field: &BodyField, path: &str) -> anyhow::Result<Map<String, Value>> {
    let text = flag_file(field, path)?;
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => anyhow::bail!("--{}: {path} is not a JSON object", field.flag),
        // serde_json's message names line and column, never the text (which may hold a secret).
        Err(e) => anyhow::bail!("--{}: {path} is not JSON: {e}", field.flag),
    }
}

/// `{"a": 1}` or `key=value` (a string value).
fn object_part(field: &BodyField, text: &str) -> anyhow::Result<Map<String, Value>> {
    if text.trim_start().starts_with('{') {
        return match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => Ok(object),
            _ => anyhow::bail!("--{}: not a JSON object", field.flag),
        };
    }
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(Map::from_iter([(
            key.to_owned(),
            Value::String(value.to_owned()),
        )])),
        _ => anyhow::bail!(
            "--{}: give a JSON object or key=value, not {text:?}",
            field.flag
        ),
    }
}

/// A request body as `--dry-run` shows it: a JSON body as sent (keys in its order) with the fields
/// the document marks secret redacted; a form as its text, secret values redacted.
pub fn shown(body: Option<&RequestBody>, bytes: &[u8]) -> crate::output::Ordered {
    use crate::output::Ordered;
    let patterns = body.map_or(&[][..], |b| b.secret_paths);
    let secret = |path: &str| idtok_runtime::rpc_query::key_matches(path, patterns);
    if let Ok(mut value @ Ordered::Mapping(_)) = crate::output::ordered(bytes) {
        redact(&mut value, &mut String::new(), &secret);
        return value;
    }
    if body.is_some_and(|b| b.media_type == "application/x-www-form-urlencoded") {
        return Ordered::String(
            form_urlencoded::parse(bytes)
                .map(|(name, value)| {
                    let value = if secret(&name) {
                        idtok_secret::REDACTED.into()
                    } else {
                        value
                    };
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair(&name, &value)
                        .finish()
                })
                .collect::<Vec<_>>()
                .join("&"),
        );
    }
    // Not a body the document describes: its length only, as it may hold anything.
    Ordered::String(format!("({} bytes, not shown)", bytes.len()))
}

/// Redacts every value of `value` whose path (`a.b`, `list.1.c`; array items counted from 1, as
/// the document's paths take any index) `secret` names.
fn redact(value: &mut crate::output::Ordered, path: &mut String, secret: &dyn Fn(&str) -> bool) {
    use crate::output::Ordered;
    if !path.is_empty() && secret(path) {
        *value = Ordered::String(idtok_secret::REDACTED.to_owned());
        return;
    }
    let at = path.len();
    let dot = if path.is_empty() { "" } else { "." };
    match value {
        Ordered::Mapping(object) => {
            for (name, item) in object.iter_mut() {
                let Some(name) = name.as_str() else { continue };
                path.push_str(&format!("{dot}{name}"));
                redact(item, path, secret);
                path.truncate(at);
            }
        }
        Ordered::Sequence(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                path.push_str(&format!("{dot}{}", index + 1));
                redact(item, path, secret);
                path.truncate(at);
            }
        }
        _ => {}
    }
}
