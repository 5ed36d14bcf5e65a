//! What the send loop saw of one call, for a caller that asks: how many attempts, the last
//! status, the success answer exactly as received, or (for a dry run) the request that would have
//! been sent instead of sending it.
//!
//! Recorded per call, in a task-local scope around the call's future ([`record`]), so that a
//! client shared by concurrent calls keeps each call's record apart and costs nothing when no one
//! asks.

use std::cell::RefCell;
use std::future::Future;

use idtok_secret::SecretBytes;

/// What to record, and whether to send at all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordOptions {
    /// Keep the body of a success answer as received ([`CallRecord::answer`]).
    pub keep_answer: bool,
    /// Sign the request but do not send it: [`CallRecord::unsent`] holds it, and the call ends
    /// with a [`crate::CallErrorKind::Request`] error whose detail is [`DRY_RUN`].
    pub dry_run: bool,
}

/// The detail of the error a dry run ends with.
pub const DRY_RUN: &str = "dry run: the request was not sent";

/// What one call did on the wire.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallRecord {
    /// Requests sent, retries included.
    pub attempts: u32,
    /// The status of the last answer, if one came.
    pub status: Option<u16>,
    /// The last success answer's body as received, when [`RecordOptions::keep_answer`] asked.
    pub answer: Option<SecretBytes>,
    /// The signed request a dry run did not send.
    pub unsent: Option<UnsentRequest>,
}

/// A request as it would have gone on the wire. Headers that carry a secret (the signature, a
/// bearer or security token) are redacted; the body is held as a secret, since it may carry one
/// (a token to revoke, a client secret).
#[derive(Clone, Debug, PartialEq)]
pub struct UnsentRequest {
    /// The HTTP method.
    pub method: String,
    /// The URL, with secret query values redacted.
    pub url: String,
    /// Name and value, secret ones as [`idtok_secret::REDACTED`].
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<SecretBytes>,
}

impl UnsentRequest {
    pub(crate) fn of(request: &reqwest::Request, secret_query_keys: &[&str]) -> Self {
        Self {
            method: request.method().to_string(),
            url: shown_url(request.url(), secret_query_keys),
            headers: shown_headers(request.headers()),
            body: request
                .body()
                .and_then(reqwest::Body::as_bytes)
                .filter(|bytes| !bytes.is_empty())
                .map(SecretBytes::new),
        }
    }
}

/// A URL as a person may see it: the values of the query keys that hold a secret redacted.
pub(crate) fn shown_url(url: &reqwest::Url, secret_query_keys: &[&str]) -> String {
    let Some(query) = url.query() else {
        return url.to_string();
    };
    // `query_pairs` decodes the same non-empty `&`-separated pairs, in the same order.
    let mut redacted = false;
    let shown: Vec<String> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .zip(url.query_pairs())
        .map(|(pair, (key, _))| {
            if idtok_runtime::rpc_query::key_matches(&key, secret_query_keys) {
                redacted = true;
                let raw_key = pair.split('=').next().unwrap_or_default();
                format!("{raw_key}={}", idtok_secret::REDACTED)
            } else {
                pair.to_owned()
            }
        })
        .collect();
    if !redacted {
        return url.to_string();
    }
    let mut shown_url = url.clone();
    shown_url.set_query(None);
    format!("{shown_url}?{}", shown.join("&"))
}

/// Headers as a person may see them: sensitive ones (signature, tokens) redacted.
pub(crate) fn shown_headers(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let shown = if value.is_sensitive() {
                idtok_secret::REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), shown)
        })
        .collect()
}

tokio::task_local! {
    static RECORDING: RefCell<(RecordOptions, CallRecord)>;
}

/// Runs `call` (a generated builder's `send()`, or anything that makes calls) and gives its output
/// with the record of what went on the wire. With several calls inside, the record is the last
/// one's, attempts counted over all. Inside another recording, the options add up and the outer
/// record sees this one's too.
pub async fn record<F: Future>(options: RecordOptions, call: F) -> (F::Output, CallRecord) {
    let outer = RECORDING.try_with(|r| r.borrow().0).ok();
    let options = match outer {
        Some(outer) => RecordOptions {
            keep_answer: options.keep_answer || outer.keep_answer,
            dry_run: options.dry_run || outer.dry_run,
        },
        None => options,
    };
    let (output, record) = RECORDING
        .scope(RefCell::new((options, CallRecord::default())), async {
            let output = call.await;
            let record = RECORDING.with(|r| std::mem::take(&mut r.borrow_mut().1));
            (output, record)
        })
        .await;
    if outer.is_some() {
        update(|r| {
            r.attempts += record.attempts;
            r.status = record.status.or(r.status);
            if record.answer.is_some() {
                r.answer = record.answer.clone();
            }
            if record.unsent.is_some() {
                r.unsent = record.unsent.clone();
            }
        });
    }
    (output, record)
}

/// Takes the success answer kept so far ([`RecordOptions::keep_answer`]) out of the record of the
/// call being made, leaving none; `None` outside a recording or when none was kept since the last
/// take. A caller that drives several calls inside one recording, such as a paged list's stream,
/// takes each answer before the next one replaces it: the stream asks for the next page only once
/// every item of the current one was handed out, so each page can be taken with its first item.
pub fn take_answer() -> Option<SecretBytes> {
    RECORDING
        .try_with(|r| r.borrow_mut().1.answer.take())
        .ok()
        .flatten()
}

/// The options of the call being recorded; the default when none is.
pub(crate) fn options() -> RecordOptions {
    RECORDING.try_with(|r| r.borrow().0).unwrap_or_default()
}

/// Updates the record of the call being recorded, if one is.
pub(crate) fn update(change: impl FnOnce(&mut CallRecord)) {
    let _ = RECORDING.try_with(|r| change(&mut r.borrow_mut().1));
}
