//! How every family's client sends a signed request: the `exec` hook of `ClientHooks`, between
//! progenitor's builder and its decoding of the answer.
//!
//! - Each attempt is bounded by `Timeouts::per_attempt` and by what is left of `Timeouts::total`.
//! - Throttling (429, Alibaba `Throttling*`), 5xx and transport failures of operations that the
//!   document marks `x-idempotent: true` are sent again ([`idtok_runtime::retry`]), after the server's `Retry-After` or
//!   `x-acs-retry-after` if it gave one, else a jittered exponential backoff; each retry is signed
//!   afresh (new date and nonce). No retry starts whose wait would end past the total deadline.
//! - An error answer's body is read here (bounded) and made a JSON object if it is not one
//!   ([`crate::error_body`]), so that progenitor's error keeps the status.
//! - A success body of unknown or excessive length is capped at [`SUCCESS_BODY_LIMIT`].

use std::time::{Duration, Instant, SystemTime};

use http_body_util::Limited;
use idtok_runtime::retry::{jitter_unit, retryable_answer, server_retry_after};
use reqwest::header::{HeaderMap, CONTENT_LENGTH};

use serde::Deserialize;

use crate::error_body::{json_object, read_bounded, UNDOCUMENTED_BODY_KEY};

/// The largest answer body a client reads: far above any page these APIs return, far below what
/// would hurt the caller's memory.
pub const SUCCESS_BODY_LIMIT: u64 = 16 * 1024 * 1024;

/// The contract between a family's generated module and its hand-written one, stated once.
///
/// `cargo xtask gen` writes `src/<family>/generated.rs` from the family's document: progenitor's
/// `Client` and builders, the hooks' wiring (`crate::family_client!`), and `impl Generated for
/// Client`: what the document says of each operation. The family's hand-written module
/// (`src/<family>.rs`) writes its `ClientContext` (whose credentials it signs with) and `impl
/// Family for Client`: how a request goes on the wire and is signed. The send loop below reads
/// both. A new operation needs neither module edited; a new family needs the hand-written one.
pub(crate) trait Generated {
    /// The family's `ErrorResponse`, which every error body is made to decode as.
    type ErrorBody: serde::de::DeserializeOwned;

    /// The operations the document marks `x-idempotent: true` (progenitor's snake_case ids):
    /// the only ones sent again after a throttled, failed or lost attempt.
    const IDEMPOTENT: &'static [&'static str];

    /// Query keys whose values are secrets the service takes only in the URL (the document's
    /// `x-secret-in-url`; `*` is any array index): redacted wherever a URL is shown.
    const SECRET_QUERY_KEYS: &'static [&'static str];

    /// The operations the document marks `security: []`: sent without credentials.
    const UNSIGNED: &'static [&'static str];

    /// What each operation of an RPC family sends on the wire (`x-acs-rpc`); empty otherwise.
    const RPC_ACTIONS: &'static [RpcAction];

    /// The operations that carry the RPC common parameters in their query string
    /// (`x-acs-rpc-common-parameters: query`).
    const RPC_COMMON_PARAMETERS_IN_QUERY: &'static [&'static str];

    /// Every operation's `x-acs-action` and `x-acs-version`, where the document says
    /// `x-acs-action-headers: true`.
    const ACTION_HEADERS: Option<crate::ActionHeaders>;

    /// Whether `operation_id` is sent without credentials.
    fn unsigned(operation_id: &str) -> bool {
        Self::UNSIGNED.contains(&operation_id)
    }

    /// What the RPC operation `operation_id` sends.
    fn rpc(operation_id: &str) -> Result<&'static RpcAction, String> {
        action(Self::RPC_ACTIONS, operation_id)
    }
}

/// What one RPC operation sends on the wire (`x-acs-rpc` in the document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RpcAction {
    /// progenitor's snake_case operation id.
    pub operation_id: &'static str,
    /// The path the document gives the operation; never sent.
    pub pseudo_path: &'static str,
    pub action: &'static str,
    pub version: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

/// The action of an operation in a family's table.
pub(crate) fn action(
    actions: &'static [RpcAction],
    operation_id: &str,
) -> Result<&'static RpcAction, String> {
    actions
        .iter()
        .find(|a| a.operation_id == operation_id)
        .ok_or_else(|| format!("{operation_id}: the document gives no x-acs-rpc"))
}

/// What a family's hand-written module writes (see [`Generated`]).
pub(crate) trait Family: Generated {
    fn retry_safe(&self, operation_id: &str) -> bool {
        Self::IDEMPOTENT.contains(&operation_id)
    }

    /// Puts a request from progenitor's builder on the wire as the service expects it, before
    /// it is signed (EIAM's RPC rewrite). Most families need nothing.
    fn prepare(&self, _request: &mut reqwest::Request, _operation_id: &str) -> Result<(), String> {
        Ok(())
    }

    /// Signs `request` (or sets its token), with a fresh date and nonce; also again, for a
    /// retry of a request signed before. Checks the transport of unsigned operations.
    async fn sign(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String>;
}

/// The `pre` hook of every family: progenitor's extra headers off, the family's rewrite, the
/// signature.
pub(crate) async fn pre<F: Family>(
    family: &F,
    request: &mut reqwest::Request,
    operation_id: &str,
) -> Result<(), String> {
    crate::remove_generator_headers(request);
    family.prepare(request, operation_id)?;
    family.sign(request, operation_id).await?;
    if crate::record::options().dry_run {
        let unsent = crate::record::UnsentRequest::of(request, F::SECRET_QUERY_KEYS);
        crate::record::update(|r| r.unsent = Some(unsent));
        return Err(crate::record::DRY_RUN.to_owned());
    }
    Ok(())
}

/// Sends `request` (signed by the `pre` hook) for `operation_id`, retrying as the module says.
/// Each attempt, its answer and the decision that follows are `tracing` events at DEBUG (target
/// `idtok_client::wire`; `idtok --debug` prints them), with secret headers redacted.
pub(crate) async fn execute<F: Family, C>(
    family: &F,
    client: &reqwest::Client,
    context: &crate::ClientContext<C>,
    mut request: reqwest::Request,
    operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    let (policy, timeouts) = (context.retry, context.timeouts);
    let start = Instant::now();
    let may_retry = policy.max_attempts > 1 && family.retry_safe(operation_id);
    let keep_answer = crate::record::options().keep_answer;
    let mut attempt = 1;
    loop {
        let left = timeouts.total.saturating_sub(start.elapsed());
        *request.timeout_mut() = Some(timeouts.per_attempt.min(left));
        // Kept before sending, as sending consumes the request; only when a retry could follow.
        let spare = (may_retry && attempt < policy.max_attempts)
            .then(|| unsigned_copy(&request))
            .flatten();
        log_attempt::<F>(operation_id, attempt, &request);
        crate::record::update(|r| r.attempts += 1);
        let sent_at = Instant::now();
        let (result, vendor_code) = match client.execute(request).await {
            Ok(response) if is_error(response.status()) => {
                let (response, code) = readable_error::<F>(response).await;
                (Ok(response), code)
            }
            Ok(response) if keep_answer && response.status().is_success() => {
                (Ok(kept_answer(response).await), None)
            }
            Ok(response) => (Ok(limit_body(response)), None),
            Err(error) => (Err(without_query(error)), None),
        };
        log_answer(
            operation_id,
            attempt,
            &result,
            vendor_code.as_deref(),
            sent_at,
        );
        if let Ok(response) = &result {
            let status = response.status().as_u16();
            crate::record::update(|r| r.status = Some(status));
        }
        let retryable = match &result {
            Ok(response) => retryable_answer(response.status().as_u16(), vendor_code.as_deref()),
            Err(_) => true,
        };
        if !retryable {
            return result;
        }
        let Some(mut next) = spare else {
            tracing::debug!(
                target: "idtok_client::wire",
                operation = operation_id,
                attempt,
                "no retry: {}",
                if !family.retry_safe(operation_id) {
                    "the document does not mark the operation x-idempotent"
                } else {
                    "no attempts left"
                }
            );
            return result;
        };
        let wait = match &result {
            Ok(response) => {
                let backoff = policy.backoff(attempt, jitter_unit());
                server_wait(response.headers()).map_or(backoff, |asked| asked.max(backoff))
            }
            Err(_) => policy.backoff(attempt, jitter_unit()),
        };
        if start.elapsed() + wait >= timeouts.total {
            tracing::debug!(
                target: "idtok_client::wire",
                operation = operation_id,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "no retry: the wait would pass the call's deadline"
            );
            return result;
        }
        tracing::info!(
            operation = operation_id,
            attempt,
            status = result.as_ref().ok().map(|r| r.status().as_u16()),
            vendor_code = vendor_code.as_deref(),
            failure = result.as_ref().err().map(failure_kind),
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        if let Err(error) = family.sign(&mut next, operation_id).await {
            tracing::warn!(operation = operation_id, %error, "no retry: cannot sign again");
            return result;
        }
        request = next;
        attempt += 1;
    }
}

/// An attempt, before it is sent: method, URL and headers, secret ones redacted (a URL carries a
/// secret only where the document says the service takes it nowhere else, and that is redacted).
fn log_attempt<F: Family>(operation_id: &str, attempt: u32, request: &reqwest::Request) {
    if !tracing::enabled!(target: "idtok_client::wire", tracing::Level::DEBUG) {
        return;
    }
    let headers = crate::record::shown_headers(request.headers())
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join("; ");
    tracing::debug!(
        target: "idtok_client::wire",
        operation = operation_id,
        attempt,
        "sending {} {} [{headers}]",
        request.method(),
        crate::record::shown_url(request.url(), F::SECRET_QUERY_KEYS)
    );
}

/// An attempt's outcome: status and request id, or the kind of failure.
fn log_answer(
    operation_id: &str,
    attempt: u32,
    result: &reqwest::Result<reqwest::Response>,
    vendor_code: Option<&str>,
    sent_at: Instant,
) {
    let elapsed_ms = sent_at.elapsed().as_millis() as u64;
    match result {
        Ok(response) => {
            let request_id = crate::call_error::header_request_id(response.headers());
            tracing::debug!(
                target: "idtok_client::wire",
                operation = operation_id,
                attempt,
                status = response.status().as_u16(),
                request_id,
                vendor_code,
                elapsed_ms,
                "answered"
            );
        }
        Err(error) => tracing::debug!(
            target: "idtok_client::wire",
            operation = operation_id,
            attempt,
            failure = failure_kind(error),
            to = error.url().map(host_and_port).unwrap_or_default(),
            elapsed_ms,
            "no answer"
        ),
    }
}

/// `host:port` of a URL, the port given even when it is the scheme's.
pub(crate) fn host_and_port(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// A success answer read whole (up to [`SUCCESS_BODY_LIMIT`]) and kept in the call's record as
/// received, then handed on rebuilt from the same bytes for the client to decode.
async fn kept_answer(response: reqwest::Response) -> reqwest::Response {
    let response: http::Response<reqwest::Body> = limit_body(response).into();
    let (parts, body) = response.into_parts();
    let bytes = match http_body_util::BodyExt::collect(body).await {
        Ok(collected) => collected.to_bytes(),
        // Too large or cut: hand the same failure on, for the caller's error to describe.
        Err(error) => {
            let failing =
                reqwest::Body::wrap(http_body_util::StreamBody::new(futures::stream::iter([
                    Err::<http_body::Frame<bytes::Bytes>, _>(error),
                ])));
            return reqwest::Response::from(http::Response::from_parts(parts, failing));
        }
    };
    let kept = idtok_secret::SecretBytes::new(bytes.to_vec());
    crate::record::update(|r| r.answer = Some(kept));
    reqwest::Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::from(bytes),
    ))
}

/// A transport error without the request's query string, which its Display and Debug would show:
/// EIAM takes some secrets only there (`x-secret-in-url`; docs/wire.md).
fn without_query(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    error
}

/// The request without the headers that signing sets, for [`Family::sign`] to sign again. Not
/// `try_clone`: copying the signature's owned header values costs more than the rest of the loop.
fn unsigned_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    let body = match request.body() {
        None => None,
        Some(body) => Some(reqwest::Body::from(bytes::Bytes::copy_from_slice(
            body.as_bytes()?,
        ))),
    };
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.version_mut() = request.version();
    *copy.body_mut() = body;
    let headers = copy.headers_mut();
    for (name, value) in request.headers() {
        if !crate::header_names::SET_BY_SIGNING.contains(name) {
            headers.append(name, value.clone());
        }
    }
    Some(copy)
}

/// What went wrong with an attempt, for the log: never the error's text, which names the URL (a
/// query string may carry values that do not belong in a log).
fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() || error.is_decode() {
        "body"
    } else {
        "request"
    }
}

fn is_error(status: reqwest::StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    server_retry_after(
        text("retry-after"),
        text("x-acs-retry-after"),
        SystemTime::now(),
    )
}

/// The error answer with its body read (bounded) and made a JSON object if it was not one; and
/// the vendor code it carries, for the retry decision.
async fn readable_error<F: Family>(
    mut response: reqwest::Response,
) -> (reqwest::Response, Option<String>) {
    let status = response.status();
    let version = response.version();
    let mut headers = std::mem::take(response.headers_mut());
    let (body, truncated) = read_bounded(&mut response).await;
    let (object, as_sent) = json_object(&body, truncated);
    let code = crate::call_error::field(&object, crate::call_error::CODE_KEYS);
    // The vendor's JSON in the document's shape goes on as sent, checked as bytes the way
    // progenitor will decode it (the parsed object has lost a key given twice, which fails there).
    let untouched = as_sent && serde_json::from_slice::<F::ErrorBody>(&body).is_ok();
    let body = if untouched {
        body
    } else {
        headers.remove(CONTENT_LENGTH);
        // A field of another type than the document gives (`{"Code": 5}`) would make progenitor's
        // decoding fail and drop the status: such a body is kept whole under a key of its own.
        let object = if F::ErrorBody::deserialize(&object).is_ok() {
            object
        } else {
            serde_json::json!({ UNDOCUMENTED_BODY_KEY: object })
        };
        serde_json::to_vec(&object).unwrap_or_default()
    };
    let mut rebuilt = http::Response::new(reqwest::Body::from(body));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    (reqwest::Response::from(rebuilt), code)
}

/// A success answer whose length is declared and within the limit goes on as it is (hyper reads
/// exactly the declared length). Any other is read through a cap, so a hostile or broken server
/// cannot make the client allocate without bound.
fn limit_body(response: reqwest::Response) -> reqwest::Response {
    if response
        .content_length()
        .is_some_and(|n| n <= SUCCESS_BODY_LIMIT)
    {
        return response;
    }
    let response: http::Response<reqwest::Body> = response.into();
    let (parts, body) = response.into_parts();
    let limited = reqwest::Body::wrap(Limited::new(body, SUCCESS_BODY_LIMIT as usize));
    reqwest::Response::from(http::Response::from_parts(parts, limited))
}
