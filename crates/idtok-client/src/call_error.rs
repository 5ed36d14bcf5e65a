//! A failed call, described for a person: which operation, the HTTP status, the vendor's code and
//! message, and the request id to quote to support. Built from progenitor's `Error`, losing
//! nothing a user needs and never a secret.

use std::fmt;

use idtok_secret::SecretBytes;
use progenitor_client::Error;
use serde::Serialize;

/// How much of a body that is not the vendor's JSON is kept, in characters.
const EXCERPT_CHARS: usize = 200;

/// What kind of failure, which decides what a caller can do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallErrorKind {
    /// The service answered with an error.
    Service,
    /// The request could not be made as asked: a missing parameter, no credentials, a refused
    /// endpoint.
    Request,
    /// The service could not be reached, or the connection failed or timed out.
    Network,
    /// The service answered with a success status but a body that is not the documented JSON.
    Response,
}

/// A failed call, as a person needs it described: `Display` gives one line with the operation,
/// the status, the vendor's code and message and the request id to quote to support; the fields
/// give each part to code. Made by [`call`] (or [`CallError::from_client_error`]) from what a
/// generated builder's `send()` returned. Never shows a secret.
///
/// ```no_run
/// # async fn run(client: &idtok_client::eiam::Client) {
/// use idtok_client::CallErrorKind;
///
/// let tokens = idtok_client::call(
///     "ListApplicationTokens",
///     client
///         .list_application_tokens()
///         .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
///         .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
///         .application_token_type("bearer_token")
///         .send(),
/// )
/// .await;
/// match tokens {
///     Ok(tokens) => println!("{tokens:?}"),
///     Err(e) if e.kind == CallErrorKind::Service && e.code.as_deref() == Some("EntityNotExists.Application") => {
///         println!("no such application")
///     }
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CallError {
    /// The operation, as the vendor names it (`ListApplicationTokens`).
    pub operation: String,
    /// What kind of failure: the service's answer, the request, the network or a success answer
    /// that did not decode.
    pub kind: CallErrorKind,
    /// The HTTP status, when the service answered.
    pub status: Option<u16>,
    /// `Code` (Alibaba) or `error_code` (Huawei).
    pub code: Option<String>,
    /// `Message` (Alibaba) or `error_msg` (Huawei).
    pub message: Option<String>,
    /// Huawei's `X-Request-Id` header, else the body's `RequestId` / `request_id`.
    pub request_id: Option<String>,
    /// Alibaba's `HostId`: the endpoint that answered.
    pub host_id: Option<String>,
    /// Alibaba's `Recommend`: a troubleshooting link for the code.
    pub recommend: Option<String>,
    /// Alibaba's `AccessDeniedDetail` on permission errors: which action, policy and identity.
    pub access_denied_detail: Option<serde_json::Value>,
    /// Huawei's `encoded_authorization_message` on 403, to decode with the vendor's tools.
    pub encoded_authorization_message: Option<String>,
    /// Anything else worth saying: the cause of a network or request failure, or a short excerpt of
    /// a body that is not the vendor's JSON.
    pub detail: Option<String>,
    /// The whole error body as the service sent it (as JSON), unknown keys included.
    pub body: Option<serde_json::Value>,
    /// How many requests were sent, for a failure of the kind the send loop retries (a network
    /// failure, a 5xx, throttling): more than one when it retried, 1 when it did not (retries
    /// off, or an operation the document does not mark `x-idempotent`). `None` for other
    /// failures, which are never retried. Set by [`CallError::with_record`].
    pub attempts: Option<u32>,
    /// A success answer (2xx) whose body is not the documented JSON, kept whole and exactly as
    /// received: it may be the credential the call created, which the service will not show again.
    /// A secret: `Debug` and `Display` show only its length; `answer.expose_secret()` gives it.
    pub answer: Option<SecretBytes>,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed", self.operation)?;
        if let Some(status) = self.status {
            write!(f, ": HTTP {status}")?;
        }
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(text), None) | (None, Some(text)) => write!(f, ": {text}")?,
            (None, None) => {}
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        let mut notes = Vec::new();
        match self.attempts {
            Some(1) => notes.push("after 1 attempt".to_owned()),
            Some(n) => notes.push(format!("after {n} attempts")),
            None => {}
        }
        match (&self.request_id, &self.host_id) {
            (Some(id), Some(host)) => notes.push(format!("request id {id}, host {host}")),
            (Some(id), None) => notes.push(format!("request id {id}")),
            (None, Some(host)) => notes.push(format!("host {host}")),
            (None, None) => {}
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join("; "))?;
        }
        if let Some(detail) = &self.access_denied_detail {
            write!(f, "; access denied detail: {detail}")?;
        }
        if let Some(message) = &self.encoded_authorization_message {
            write!(f, "; encoded authorization message: {message}")?;
        }
        if let Some(link) = &self.recommend {
            write!(f, "; see {link}")?;
        }
        if let Some(answer) = self.answer.as_ref().filter(|a| !a.is_empty()) {
            write!(
                f,
                "; the answer ({} bytes) is kept whole in the error, not shown here",
                answer.len()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {}

/// Response headers that carry the request id: Huawei's `X-Request-Id` (which its SDK prefers to
/// the body's), Alibaba's `x-acs-request-id`.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-acs-request-id"];

pub(crate) fn header_request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
}

/// Where the vendor's code is: `Code` (Alibaba), `code` (the developer API, at times),
/// `error_code` (Huawei).
pub(crate) const CODE_KEYS: &[&str] = &["Code", "code", "error_code"];

/// The first of `keys` that `body` has as a string (or a number, written out).
pub(crate) fn field(body: &serde_json::Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| match body.get(key)? {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    })
}

impl CallError {
    fn new(operation: &str, kind: CallErrorKind) -> Self {
        Self {
            operation: operation.to_owned(),
            kind,
            status: None,
            code: None,
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            encoded_authorization_message: None,
            detail: None,
            body: None,
            attempts: None,
            answer: None,
        }
    }

    /// The service answered with a success that the caller cannot go on from (`detail` says why):
    /// kind [`CallErrorKind::Response`].
    pub fn unusable_answer(operation: &str, detail: &str) -> Self {
        let mut error = Self::new(operation, CallErrorKind::Response);
        error.detail = Some(detail.to_owned());
        error
    }

    /// Describes what a generated client returned, for any family's `ErrorResponse`. Reads the body
    /// of an undocumented response (at most 64 KiB), so it is async.
    pub async fn from_client_error<E: Serialize>(operation: &str, error: Error<E>) -> Self {
        match error {
            Error::ErrorResponse(response) => {
                let mut described = Self::new(operation, CallErrorKind::Service);
                described.status = Some(response.status().as_u16());
                let header_id = header_request_id(response.headers());
                let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
                described.fill_from_body(body, header_id);
                described
            }
            Error::UnexpectedResponse(mut response) => {
                let status = response.status();
                let kind = if status.is_success() {
                    CallErrorKind::Response
                } else {
                    CallErrorKind::Service
                };
                let mut described = Self::new(operation, kind);
                described.status = Some(status.as_u16());
                let header_id = header_request_id(response.headers());
                if status.is_success() {
                    // A success the document does not list (the generated clients take any 2xx,
                    // so only a hand-built call gets here): keep it whole, as for a bad payload.
                    described.request_id = header_id;
                    match response.bytes().await {
                        Ok(body) => {
                            described.detail = Some(
                                "this success status is not a documented answer of this operation"
                                    .to_owned(),
                            );
                            described.answer = Some(SecretBytes::new(body.to_vec()));
                        }
                        Err(e) => described.detail = Some(network_detail(e)),
                    }
                    return described;
                }
                let (body, _) = crate::error_body::read_bounded(&mut response).await;
                // Error answers reach here as JSON objects (the send loop makes them so).
                match serde_json::from_slice::<serde_json::Value>(&body) {
                    Ok(value) if value.is_object() => described.fill_from_body(value, header_id),
                    _ => {
                        described.request_id = header_id;
                        described.detail = Some(excerpt_or_empty(&body));
                    }
                }
                described
            }
            Error::InvalidResponsePayload(body, e) => {
                let mut described = Self::new(operation, CallErrorKind::Response);
                described.detail = Some(undocumented_success(&body, &e));
                described.answer = Some(SecretBytes::new(body.to_vec()));
                described
            }
            Error::CommunicationError(e)
            | Error::ResponseBodyError(e)
            | Error::InvalidUpgrade(e) => {
                let too_large = is_length_limit(&e);
                let mut described = Self::new(
                    operation,
                    if too_large {
                        CallErrorKind::Response
                    } else {
                        CallErrorKind::Network
                    },
                );
                described.status = e.status().map(|s| s.as_u16());
                described.detail = Some(if too_large {
                    format!(
                        "the answer is larger than {} MiB",
                        crate::SUCCESS_BODY_LIMIT / (1024 * 1024)
                    )
                } else {
                    network_detail(e)
                });
                described
            }
            Error::InvalidRequest(message) | Error::Custom(message) => {
                let mut described = Self::new(operation, CallErrorKind::Request);
                described.detail = Some(message);
                described
            }
        }
    }

    /// Adds what the record of the call knows and the error does not: how many attempts a failure
    /// of the kind that is retried took (network, 5xx, throttling), the status of a success answer
    /// that did not decode.
    pub fn with_record(mut self, record: &crate::CallRecord) -> Self {
        let retried_kind = match self.kind {
            CallErrorKind::Network => true,
            CallErrorKind::Service => self.status.is_some_and(|status| {
                idtok_runtime::retry::retryable_answer(status, self.code.as_deref())
            }),
            CallErrorKind::Request | CallErrorKind::Response => false,
        };
        if retried_kind && record.attempts > 0 {
            self.attempts = Some(record.attempts);
        }
        if self.kind == CallErrorKind::Response && self.status.is_none() {
            self.status = record.status;
        }
        self
    }

    /// Takes the vendor's fields from an error body, in the spellings the services use: Alibaba's
    /// PascalCase (or the developer API's lowerCamelCase) and Huawei's snake_case.
    fn fill_from_body(&mut self, body: serde_json::Value, header_request_id: Option<String>) {
        // A body that did not fit the document's shape, kept whole by the send loop.
        let body = match body {
            serde_json::Value::Object(mut object)
                if object.contains_key(crate::error_body::UNDOCUMENTED_BODY_KEY) =>
            {
                object
                    .remove(crate::error_body::UNDOCUMENTED_BODY_KEY)
                    .unwrap_or_default()
            }
            other => other,
        };
        self.code = field(&body, CODE_KEYS);
        self.message = field(&body, &["Message", "message", "error_msg"]);
        self.request_id =
            header_request_id.or_else(|| field(&body, &["RequestId", "requestId", "request_id"]));
        self.host_id = field(&body, &["HostId", "hostId"]);
        self.recommend = field(&body, &["Recommend", "recommend"]);
        self.access_denied_detail = ["AccessDeniedDetail", "accessDeniedDetail"]
            .iter()
            .find_map(|key| body.get(key).filter(|v| !v.is_null()).cloned());
        self.encoded_authorization_message = field(&body, &["encoded_authorization_message"]);
        self.detail = field(&body, &[crate::error_body::UNREADABLE_BODY_KEY]);
        self.body = Some(body);
    }
}

/// Why a success answer did not decode, without quoting it: the answer may be the secret the call
/// was made for (an Obtain), so neither serde's message (which quotes mistyped values whole) nor a
/// JSON body is shown; a body that is not JSON at all (a proxy's HTML page) is excerpted.
fn undocumented_success(body: &[u8], error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Syntax => "malformed JSON".to_owned(),
        Category::Eof => "JSON cut short".to_owned(),
        Category::Io => "unreadable".to_owned(),
        Category::Data => {
            let message = error.to_string();
            // "invalid type: string \"…\", expected i64 at line …": keep what was expected.
            let expected = message
                .split_once(", expected ")
                .map(|(_, rest)| rest.split(" at line ").next().unwrap_or(rest));
            match expected {
                Some(expected) if !expected.contains('"') => {
                    format!(
                        "a value of the wrong type (expected {})",
                        excerpt(expected.as_bytes())
                    )
                }
                _ if message.starts_with("missing field") => message
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                _ => "a value of the wrong type or shape".to_owned(),
            }
        }
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return "the answer has no body, where the documented JSON was expected".to_owned();
    }
    let position = format!("line {} column {}", error.line(), error.column());
    let looks_like_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['));
    if looks_like_json {
        format!(
            "the answer is not the documented JSON: {what} at {position} ({} bytes, not shown: \
             a success answer may hold a secret)",
            body.len()
        )
    } else {
        format!(
            "the answer is not the documented JSON: {what} at {position}; it starts {}",
            excerpt_or_empty(body)
        )
    }
}

/// Whether the answer was cut at [`crate::SUCCESS_BODY_LIMIT`].
fn is_length_limit(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// A reqwest error with the host and port it tried, but not the rest of its URL (a query string
/// can carry values a user would not want in a log), with its causes.
fn network_detail(error: reqwest::Error) -> String {
    let to = error
        .url()
        .map(|url| format!("{}: ", crate::send::host_and_port(url)))
        .unwrap_or_default();
    let error = error.without_url();
    if error.is_timeout() {
        // Its causes only say the same again.
        return format!("{to}timed out");
    }
    let mut text = format!("{to}{error}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The start of a body, safe to print: control characters replaced, at most 200 characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .trim()
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.trim().chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

pub(crate) fn excerpt_or_empty(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        "the body is empty".to_owned()
    } else {
        format!("body: {}", excerpt(body))
    }
}

/// Awaits a generated builder's `send()` and gives its body, or the failure described as a
/// [`CallError`] named `operation`:
///
/// ```no_run
/// # async fn run(client: &idtok_client::eiam::Client) -> Result<(), idtok_client::CallError> {
/// let secrets = idtok_client::call(
///     "ListApplicationClientSecrets",
///     client
///         .list_application_client_secrets()
///         .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
///         .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
///         .send(),
/// )
/// .await?;
/// # Ok(()) }
/// ```
pub async fn call<T, E: Serialize>(
    operation: &str,
    sent: impl std::future::Future<Output = Result<progenitor_client::ResponseValue<T>, Error<E>>>,
) -> Result<T, CallError> {
    let (result, record) = crate::record(crate::RecordOptions::default(), sent).await;
    match result {
        Ok(answer) => Ok(answer.into_inner()),
        Err(error) => Err(CallError::from_client_error(operation, error)
            .await
            .with_record(&record)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_operation_status_code_message_and_request_id() {
        let mut error = CallError::new("ListApplicationTokens", CallErrorKind::Service);
        error.status = Some(403);
        error.code = Some("NoPermission".to_owned());
        error.message = Some("You are not authorized.".to_owned());
        error.request_id = Some("0441BD79".to_owned());
        assert_eq!(error.to_string(), "ListApplicationTokens failed: HTTP 403: NoPermission: You are not authorized. (request id 0441BD79)");
    }

    #[test]
    fn the_attempts_of_a_retried_kind_of_failure_are_said_once_with_the_request_id() {
        let record = |attempts| crate::CallRecord {
            attempts,
            ..Default::default()
        };
        let answered = |status: u16, code: &str| {
            let mut error = CallError::new("ListApplicationTokens", CallErrorKind::Service);
            error.status = Some(status);
            error.code = Some(code.to_owned());
            error.request_id = Some("R1".to_owned());
            error
        };
        assert_eq!(
            answered(503, "ServiceUnavailable").with_record(&record(3)).to_string(),
            "ListApplicationTokens failed: HTTP 503: ServiceUnavailable (after 3 attempts; request id R1)"
        );
        assert_eq!(
            answered(400, "Throttling.User").with_record(&record(1)).to_string(),
            "ListApplicationTokens failed: HTTP 400: Throttling.User (after 1 attempt; request id R1)"
        );
        // Never retried, so nothing to say about attempts.
        assert_eq!(
            answered(403, "NoPermission")
                .with_record(&record(1))
                .to_string(),
            "ListApplicationTokens failed: HTTP 403: NoPermission (request id R1)"
        );
        let mut network = CallError::new("ListApplicationTokens", CallErrorKind::Network);
        network.detail = Some("127.0.0.1:9: timed out".to_owned());
        assert_eq!(
            network.with_record(&record(2)).to_string(),
            "ListApplicationTokens failed: 127.0.0.1:9: timed out (after 2 attempts)"
        );
    }

    /// What progenitor's builder refuses to send (a required value not set) is a request error
    /// that names the operation once. (idtok's flags give every required value first, so this is
    /// seen from code, not from the command line.)
    #[tokio::test]
    async fn a_builder_usage_error_names_the_operation_once() {
        let error = CallError::from_client_error::<()>(
            "ListApplicationTokens",
            Error::InvalidRequest("instance_id was not initialized".to_owned()),
        )
        .await
        .with_record(&crate::CallRecord::default());
        assert_eq!(error.kind, CallErrorKind::Request);
        assert_eq!(
            error.to_string(),
            "ListApplicationTokens failed: instance_id was not initialized"
        );
    }

    #[test]
    fn every_alibaba_and_huawei_field_is_taken_in_either_spelling_and_shown() {
        let mut alibaba = CallError::new("ListApplicationTokens", CallErrorKind::Service);
        alibaba.fill_from_body(
            serde_json::json!({
                "requestId": "0441BD79", "hostId": "eiam.cn-hangzhou.aliyuncs.com",
                "code": "NoPermission", "message": "You are not authorized.",
                "recommend": "https://api.aliyun.com/troubleshoot?q=NoPermission",
                "accessDeniedDetail": {"AuthAction": "eiam:ListApplicationTokens"},
                "Extra": 1,
            }),
            None,
        );
        assert_eq!(
            alibaba.to_string(),
            "ListApplicationTokens failed: NoPermission: You are not authorized. \
             (request id 0441BD79, host eiam.cn-hangzhou.aliyuncs.com); \
             access denied detail: {\"AuthAction\":\"eiam:ListApplicationTokens\"}; \
             see https://api.aliyun.com/troubleshoot?q=NoPermission"
        );
        assert_eq!(alibaba.body.as_ref().unwrap()["Extra"], 1);

        let mut huawei = CallError::new("ListBearerTokens", CallErrorKind::Service);
        huawei.fill_from_body(
            serde_json::json!({
                "error_code": "IDENTITYSTORE.10000003", "error_msg": "Forbidden.",
                "request_id": "from-body", "encoded_authorization_message": "YmFzZTY0",
            }),
            Some("from-header".to_owned()),
        );
        assert_eq!(
            huawei.to_string(),
            "ListBearerTokens failed: IDENTITYSTORE.10000003: Forbidden. (request id from-header); \
             encoded authorization message: YmFzZTY0"
        );
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        let html = format!("<html>\n<body>\u{1b}[31m{}</body></html>", "x".repeat(500));
        let short = excerpt(html.as_bytes());
        assert_eq!(short.chars().count(), 201);
        assert!(short.starts_with("<html> <body> [31m"), "{short}");
        assert_eq!(excerpt_or_empty(b"  \n"), "the body is empty");
    }
}
