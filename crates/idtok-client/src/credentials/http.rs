//! The HTTP every credential source here sends: to a metadata service, a credentials URI, a
//! CloudSSO portal. Bounded in time and in size, redirects not followed, described without the
//! URL's query (which may carry a token) in errors; and the one check of a metadata service's
//! address.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use idtok_runtime::credentials::CredentialsError;
use idtok_runtime::endpoint::check_transport;
use reqwest::header::HeaderValue;
use reqwest::Url;

/// How long to wait to connect, and then for each read of the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpTimeouts {
    /// To connect.
    pub connect: Duration,
    /// For each read of the answer.
    pub read: Duration,
}

impl HttpTimeouts {
    /// Alibaba's ECS metadata service: 1 s and 1 s, as alibabacloud-credentials, so that a
    /// machine that is not an ECS instance learns it quickly.
    pub const ECS_METADATA: Self = Self {
        connect: Duration::from_secs(1),
        read: Duration::from_secs(1),
    };

    /// A credentials URI and a CloudSSO portal: 5 s and 10 s, as alibabacloud-credentials.
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

/// How long a chain remembers that an address did not answer: long enough that one run of a tool
/// waits on a dead metadata address once, however many of the chain's providers would ask it
/// (a profile's EcsRamRole, the chain's own ECS link, a second resolution after a failure);
/// short enough that a long-running process tries again.
pub const UNREACHABLE_FOR: Duration = Duration::from_secs(60);

/// Checks a metadata service's base URL: HTTPS; plain HTTP to a loopback address (a test
/// server); or plain HTTP to exactly `address` on port 80, the real service. No user info, query
/// or fragment: it is a base that paths are put under. `what` names it in errors.
///
/// Everywhere else plain HTTP is refused so that no credential crosses a network unencrypted.
/// The metadata services are the exception the platforms make: they serve only plain HTTP, on a
/// link-local address that the hypervisor answers on the instance itself, so the request never
/// leaves the host. Only that one address and port are allowed, not the address range around it.
pub(crate) fn metadata_url(url: &str, address: &str, what: &str) -> Result<Url, CredentialsError> {
    let refuse = |why: String| CredentialsError::new(format!("{what} {url:?}: {why}"));
    let parsed = Url::parse(url).map_err(|e| refuse(format!("not a URL: {e}")))?;
    let is_metadata_service = parsed.scheme() == "http"
        && parsed.host_str() == Some(address)
        && parsed.port_or_known_default() == Some(80);
    if !is_metadata_service {
        check_transport(&parsed).map_err(|e| refuse(e.to_string()))?;
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refuse("must not carry credentials".to_owned()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(refuse("must not have a query or fragment".to_owned()));
    }
    Ok(parsed)
}

/// `base` with `path` put under its own path (`http://host/prefix` + `/a` = `http://host/prefix/a`).
pub(crate) fn under(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}{path}"));
    url
}

/// `url` without its query, fragment or user info: what errors show of it.
pub(crate) fn shown(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// An HTTP client for credential sources.
#[derive(Clone, Debug)]
pub(crate) struct PlainHttp {
    /// Built at the first request: a chain holds a client for each source it may ask, and a
    /// run whose credentials come from the environment asks none of them (building one loads
    /// the system's root certificates, which took a third of such a run).
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
    proxies: Proxies,
    timeouts: HttpTimeouts,
    /// Shared by a chain's providers: addresses that did not answer.
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

/// Whether a client goes through the proxies the environment names (`HTTPS_PROXY`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Proxies {
    /// Never: a metadata service is on the instance's own link, which a proxy cannot reach
    /// (and must not see the key), and a credentials URI is on loopback or HTTPS.
    Never,
    /// As the environment says: a service on the internet (a CloudSSO portal).
    FromEnvironment,
}

impl PlainHttp {
    /// A client bounded by `timeouts`; `custom` is used instead of a new one when given (the
    /// timeouts then bound each request as a whole).
    pub fn new(timeouts: HttpTimeouts, proxies: Proxies, custom: Option<reqwest::Client>) -> Self {
        let client = OnceLock::new();
        if let Some(custom) = custom {
            let _ = client.set(Ok(custom));
        }
        Self {
            client: Arc::new(client),
            proxies,
            timeouts,
            unreachable: None,
        }
    }

    fn client(&self) -> Result<&reqwest::Client, SendFailure> {
        let built = self.client.get_or_init(|| {
            let builder = reqwest::Client::builder()
                .user_agent(crate::USER_AGENT)
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(self.timeouts.connect)
                .read_timeout(self.timeouts.read);
            let builder = match self.proxies {
                Proxies::Never => builder.no_proxy(),
                Proxies::FromEnvironment => builder,
            };
            builder
                .build()
                .map_err(|e| format!("cannot build the HTTP client: {e}"))
        });
        built.as_ref().map_err(|text| SendFailure {
            text: text.clone(),
            no_answer: false,
        })
    }

    /// Does not ask an address that `unreachable` says did not answer a moment ago, and records
    /// there every address that does not answer.
    pub fn remembering(mut self, unreachable: Arc<Unreachable>) -> Self {
        self.unreachable = Some(unreachable);
        self
    }

    /// `method` `url` with `headers` (their values are marked sensitive: most are tokens) and
    /// `body`; the answer whatever its status.
    pub async fn send(
        &self,
        method: reqwest::Method,
        url: Url,
        headers: &[(&'static str, &str)],
        body: Option<Vec<u8>>,
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
            .client()?
            .request(method, url)
            .timeout(self.timeouts.whole());
        for (name, value) in headers {
            let mut value = HeaderValue::from_str(value).map_err(|_| SendFailure {
                text: format!("the {name} header's value cannot be sent in a header"),
                no_answer: false,
            })?;
            value.set_sensitive(true);
            request = request.header(*name, value);
        }
        if let Some(body) = body {
            request = request.body(body);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_the_metadata_address_on_port_80_or_to_loopback() {
        let check = |url: &str| metadata_url(url, "169.254.169.254", "metadata base URL");
        for allowed in [
            "http://169.254.169.254",
            "http://169.254.169.254:80/",
            "http://127.0.0.1:8080",
            "https://metadata.example.com/prefix/",
        ] {
            assert!(check(allowed).is_ok(), "{allowed}");
        }
        for refused in [
            "http://169.254.169.253",
            "http://169.254.169.254:8080",
            "http://169.254.0.1",
            "http://metadata.example.com",
            "http://169.254.169.254.example.com",
            "ftp://169.254.169.254",
            "http://user:pw@127.0.0.1",
            "https://u:p@example.com",
            "http://127.0.0.1/?a=b",
            "http://127.0.0.1/#part",
            "not a url",
        ] {
            let error = check(refused).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("metadata base URL {refused:?}: ")),
                "{error}"
            );
        }
    }

    #[test]
    fn paths_go_under_the_base_path() {
        let base = Url::parse("http://127.0.0.1:1/prefix/").unwrap();
        assert_eq!(
            under(&base, "/latest/api/token").as_str(),
            "http://127.0.0.1:1/prefix/latest/api/token"
        );
        let bare = Url::parse("http://127.0.0.1:1").unwrap();
        assert_eq!(under(&bare, "/a").as_str(), "http://127.0.0.1:1/a");
    }
}
