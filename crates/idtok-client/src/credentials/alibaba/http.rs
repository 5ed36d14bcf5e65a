//! Plain HTTP GETs and PUTs of the metadata service and a credentials URI: bounded in time and in
//! size, and described without the URL's query (which may carry a token) in errors.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use idtok_runtime::credentials::{AlibabaCredentials, CredentialsError};
use idtok_secret::SecretString;

use super::sts;
use crate::credentials::{Expiring, Sourced};

/// How long to wait to connect, and then for each read of the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpTimeouts {
    /// To connect.
    pub connect: Duration,
    /// For each read of the answer.
    pub read: Duration,
}

impl HttpTimeouts {
    /// The ECS metadata service: 1 s and 1 s, as the library, so that a machine that is not an
    /// ECS instance learns it quickly.
    pub const ECS_METADATA: Self = Self {
        connect: Duration::from_secs(1),
        read: Duration::from_secs(1),
    };

    /// A credentials URI: 5 s and 10 s, as the library.
    pub const CREDENTIALS_URI: Self = Self {
        connect: Duration::from_secs(5),
        read: Duration::from_secs(10),
    };

    /// What bounds a request as a whole: connecting, then reading.
    fn whole(self) -> Duration {
        self.connect.saturating_add(self.read)
    }
}

/// Far more than any credentials document; an answer past it is refused unread.
const BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct PlainHttp {
    client: reqwest::Client,
    timeouts: HttpTimeouts,
    /// Shared by the chain's providers: addresses that did not answer.
    unreachable: Option<Arc<Unreachable>>,
}

/// An answer: its status and (bounded) body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why a request got no answer, or its answer could not be read.
#[derive(Debug)]
pub(crate) struct SendFailure {
    /// What went wrong; never the URL.
    pub text: String,
    /// Nothing answered at all (timed out or refused): asking the address again, with or
    /// without a token, would only wait again.
    pub no_answer: bool,
}

impl std::fmt::Display for SendFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// How long a chain remembers that an address did not answer: long enough that one run of a tool
/// waits on a dead metadata address once, however many of the chain's providers would ask it
/// (a profile's EcsRamRole, the chain's own ECS link, a second resolution after a failure);
/// short enough that a long-running process tries again.
pub const UNREACHABLE_FOR: Duration = Duration::from_secs(60);

/// The addresses (`scheme://host:port`) that did not answer, when, and why.
#[derive(Debug, Default)]
pub(crate) struct Unreachable(Mutex<HashMap<String, (Instant, String)>>);

impl Unreachable {
    fn recent(&self, origin: &str) -> Option<String> {
        let known = self.0.lock().unwrap_or_else(|p| p.into_inner());
        known
            .get(origin)
            .filter(|(at, _)| at.elapsed() < UNREACHABLE_FOR)
            .map(|(_, why)| why.clone())
    }

    fn remember(&self, origin: String, why: &str) {
        let mut known = self.0.lock().unwrap_or_else(|p| p.into_inner());
        known.insert(origin, (Instant::now(), why.to_owned()));
    }
}

impl PlainHttp {
    /// A client bounded by `timeouts`; `custom` is used instead of a new one when given (the
    /// timeouts then bound each request as a whole). A client built here uses no proxy: the
    /// metadata service is link-local, and a credentials URI is on loopback or HTTPS.
    pub fn new(
        timeouts: HttpTimeouts,
        custom: Option<reqwest::Client>,
    ) -> Result<Self, CredentialsError> {
        let client = match custom {
            Some(client) => client,
            None => reqwest::Client::builder()
                .user_agent(crate::USER_AGENT)
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .connect_timeout(timeouts.connect)
                .read_timeout(timeouts.read)
                .build()
                .map_err(|e| CredentialsError::new(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Self {
            client,
            timeouts,
            unreachable: None,
        })
    }

    /// Does not ask an address that `unreachable` says did not answer a moment ago, and records
    /// there every address that does not answer.
    pub fn remembering(mut self, unreachable: Arc<Unreachable>) -> Self {
        self.unreachable = Some(unreachable);
        self
    }

    /// `method` `url` with `headers`; the answer whatever its status.
    pub async fn send(
        &self,
        method: reqwest::Method,
        url: reqwest::Url,
        headers: &[(&'static str, &str)],
    ) -> Result<Answer, SendFailure> {
        let origin = url.origin().ascii_serialization();
        if let Some(why) = self
            .unreachable
            .as_ref()
            .and_then(|known| known.recent(&origin))
        {
            return Err(SendFailure {
                text: format!("{why} a moment ago; not asked again"),
                no_answer: true,
            });
        }
        let mut request = self
            .client
            .request(method, url)
            .timeout(self.timeouts.whole());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let result = self.read(request).await;
        if let (Err(failure), Some(known)) = (&result, &self.unreachable)
            && failure.no_answer
        {
            known.remember(origin, &failure.text);
        }
        result
    }

    async fn read(&self, request: reqwest::RequestBuilder) -> Result<Answer, SendFailure> {
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            if body.len() + chunk.len() > BODY_LIMIT {
                return Err(SendFailure {
                    text: format!("HTTP {status}: the answer is longer than {BODY_LIMIT} bytes"),
                    no_answer: false,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Answer { status, body })
    }
}

/// What went wrong, without the URL (its query may carry a token) but with the causes.
fn describe(error: reqwest::Error) -> SendFailure {
    let no_answer = error.is_timeout() || error.is_connect();
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let mut text = kind.to_owned();
    let error = error.without_url();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    SendFailure { text, no_answer }
}

/// `url` without its query, fragment or user info: what errors show of it.
pub(crate) fn shown(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// The temporary credentials of the JSON document the metadata service and a credentials URI
/// answer: `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken",
/// "Expiration"}`, under the name `source`. Why not, without quoting the document (it may hold
/// the secret).
pub(crate) fn credentials_document(
    body: &[u8],
    source: &str,
) -> Result<Expiring<Sourced<AlibabaCredentials>>, String> {
    let document: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let text = |key: &str| document.get(key).and_then(|v| v.as_str());
    if text("Code") != Some("Success") {
        return Err(format!(
            "the answer's Code is {}, not \"Success\"",
            text("Code").map_or("missing".to_owned(), |c| format!("{c:?}"))
        ));
    }
    let expiring = sts::temporary_credentials(
        text("AccessKeyId").map(str::to_owned),
        text("AccessKeySecret").map(SecretString::from),
        text("SecurityToken").map(SecretString::from),
        text("Expiration"),
    )?;
    Ok(Expiring {
        value: Sourced {
            credentials: expiring.value,
            source: source.to_owned(),
        },
        expires_at: expiring.expires_at,
    })
}
