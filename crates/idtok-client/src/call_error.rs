//! A failed call, described for a person: which operation, the HTTP status, the vendor's code and
//! message, and the request id to quote to support. Built from progenitor's `Error`, losing
//! nothing a user needs and never a secret.

use std::fmt;

use progenitor_client::Error;
use serde::de::DeserializeOwned;

/// How much of a body that is not the vendor's JSON is kept, in characters.
const EXCERPT_CHARS: usize = 200;
/// How much of an undocumented response body is read at most.
const BODY_LIMIT: usize = 64 * 1024;

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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallError {
    /// The operation, as the vendor names it (`ListApplicationTokens`).
    pub operation: String,
    pub kind: CallErrorKind,
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// Anything else worth saying: the cause of a network or request failure, or a short excerpt of
    /// a body that is not the vendor's JSON.
    pub detail: Option<String>,
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
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {}

/// The fields of a family's error body that a [`CallError`] reports.
pub trait VendorErrorBody: DeserializeOwned {
    fn code(&self) -> Option<String>;
    fn message(&self) -> Option<String>;
    fn request_id(&self) -> Option<String>;
}

/// Response headers that carry the request id: Huawei's `X-Request-Id` (which its SDK prefers to
/// the body's), Alibaba's `x-acs-request-id`.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-acs-request-id"];

fn header_request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok().map(str::to_owned))
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
            detail: None,
        }
    }

    /// Describes what a generated client returned. Reads the body of an undocumented response
    /// (at most 64 KiB), so it is async.
    pub async fn from_client_error<E: VendorErrorBody>(operation: &str, error: Error<E>) -> Self {
        match error {
            Error::ErrorResponse(response) => {
                let mut described = Self::new(operation, CallErrorKind::Service);
                described.status = Some(response.status().as_u16());
                let header_id = header_request_id(response.headers());
                described.fill_from_body(&response.into_inner(), header_id);
                described
            }
            Error::UnexpectedResponse(response) => {
                let status = response.status();
                let kind = if status.is_success() {
                    CallErrorKind::Response
                } else {
                    CallErrorKind::Service
                };
                let mut described = Self::new(operation, kind);
                described.status = Some(status.as_u16());
                let header_id = header_request_id(response.headers());
                let body = read_limited(response).await;
                match serde_json::from_slice::<E>(&body) {
                    Ok(vendor) if vendor.code().is_some() || vendor.message().is_some() => {
                        described.fill_from_body(&vendor, header_id)
                    }
                    _ => {
                        described.request_id = header_id;
                        described.detail = Some(excerpt_or_empty(&body));
                    }
                }
                described
            }
            Error::InvalidResponsePayload(body, e) => {
                let mut described = Self::new(operation, CallErrorKind::Response);
                described.detail = Some(format!(
                    "the answer is not the documented JSON ({e}); it starts {}",
                    excerpt_or_empty(&body)
                ));
                described
            }
            Error::CommunicationError(e)
            | Error::ResponseBodyError(e)
            | Error::InvalidUpgrade(e) => {
                let mut described = Self::new(operation, CallErrorKind::Network);
                described.status = e.status().map(|s| s.as_u16());
                described.detail = Some(network_detail(e));
                described
            }
            Error::InvalidRequest(message) | Error::Custom(message) => {
                let mut described = Self::new(operation, CallErrorKind::Request);
                described.detail = Some(message);
                described
            }
        }
    }

    fn fill_from_body<E: VendorErrorBody>(&mut self, body: &E, header_request_id: Option<String>) {
        self.code = body.code();
        self.message = body.message();
        self.request_id = header_request_id.or_else(|| body.request_id());
    }
}

/// A reqwest error without its URL (a query string can carry values a user would not want in a
/// log), with its causes.
fn network_detail(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else {
        error.to_string()
    };
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

async fn read_limited(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = BODY_LIMIT - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == BODY_LIMIT {
            break;
        }
    }
    body
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

fn excerpt_or_empty(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        "the body is empty".to_owned()
    } else {
        format!("body: {}", excerpt(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_operation_status_code_message_and_request_id() {
        let error = CallError {
            operation: "ListApplicationTokens".to_owned(),
            kind: CallErrorKind::Service,
            status: Some(403),
            code: Some("NoPermission".to_owned()),
            message: Some("You are not authorized.".to_owned()),
            request_id: Some("0441BD79".to_owned()),
            detail: None,
        };
        assert_eq!(error.to_string(), "ListApplicationTokens failed: HTTP 403: NoPermission: You are not authorized. (request id 0441BD79)");
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
