//! Checks for requests recorded by a local `wiremock` server: does the signature (an
//! `Authorization` header) verify, and what exactly was sent. And what the workspace's tests
//! share: a program run as a user runs it, isolated from the machine's credentials and metadata
//! services ([`run`]), and log output captured to be searched ([`Captured`]).
//!
//! The signature checks here are written apart from `idtok_runtime::signing`, plainly and
//! straight from docs/wire.md, so that a mistake in the signer is not repeated in
//! the check.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use wiremock::Request;

/// RFC 3986: keep A-Z a-z 0-9 - _ . ~, escape every other byte as upper-case %XX.
pub fn rfc3986(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Percent-decoding (no `+` rule: that is form encoding).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hmac_hex(key: &str, text: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(text.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The raw query string as received (without `?`), or "".
pub fn raw_query(request: &Request) -> String {
    request.url.query().unwrap_or_default().to_owned()
}

/// The query as received, decoded, by key (values in order).
pub fn query(request: &Request) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in raw_query(request).split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.entry(percent_decode(k))
            .or_default()
            .push(percent_decode(v));
    }
    out
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The names of every header received, lower-case, sorted.
pub fn header_names(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers
        .keys()
        .map(|n| n.as_str().to_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `name=value` pairs of an `Authorization` header after its algorithm name, split on `,`.
fn authorization_fields<'a>(
    authorization: &'a str,
    algorithm: &str,
) -> Result<BTreeMap<&'a str, &'a str>, String> {
    let rest = authorization
        .strip_prefix(algorithm)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(format!("not {algorithm}: {authorization}"))?;
    rest.split(',')
        .map(|field| {
            field
                .trim()
                .split_once('=')
                .ok_or(format!("bad field {field:?}"))
        })
        .collect()
}

/// Canonical query from the query as received: pairs decoded, sorted by key then value, re-encoded.
fn canonical_query(request: &Request) -> String {
    let mut pairs: Vec<(String, String)> = query(request)
        .into_iter()
        .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k.clone(), v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_headers(request: &Request, signed: &str) -> Result<String, String> {
    let mut out = String::new();
    for name in signed.split(';') {
        let value = header(request, name).ok_or(format!("signed header {name} was not sent"))?;
        out.push_str(&format!("{name}:{}\n", value.trim()));
    }
    Ok(out)
}

/// The ACS3-HMAC-SHA256 canonical request of a request as received, over the headers its
/// `Authorization` names as signed and the hash of the body received.
pub fn acs3_canonical_request(request: &Request) -> Result<String, String> {
    let authorization = header(request, "authorization").ok_or("no authorization header")?;
    let fields = authorization_fields(authorization, "ACS3-HMAC-SHA256")?;
    let signed = fields.get("SignedHeaders").ok_or("no SignedHeaders")?;
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.as_str(),
        request.url.path(),
        canonical_query(request),
        canonical_headers(request, signed)?,
        signed,
        sha256_hex(&request.body)
    ))
}

/// Checks an ACS3-HMAC-SHA256 `Authorization` against the request as received. Also checks
/// that the query was sent exactly in its canonical form, and what must be signed is.
pub fn verify_acs3(
    request: &Request,
    access_key_id: &str,
    access_key_secret: &str,
) -> Result<(), String> {
    let authorization = header(request, "authorization").ok_or("no authorization header")?;
    let fields = authorization_fields(authorization, "ACS3-HMAC-SHA256")?;
    if fields.get("Credential") != Some(&access_key_id) {
        return Err(format!(
            "Credential is not {access_key_id}: {authorization}"
        ));
    }
    let signed = fields.get("SignedHeaders").ok_or("no SignedHeaders")?;
    let names: Vec<&str> = signed.split(';').collect();
    let mut sorted = names.clone();
    sorted.sort();
    if names != sorted {
        return Err(format!("SignedHeaders not sorted: {signed}"));
    }
    for name in header_names(request)
        .iter()
        .filter(|n| n.starts_with("x-acs-") || *n == "host")
    {
        if !names.contains(&name.as_str()) {
            return Err(format!("{name} was sent but not signed"));
        }
    }
    if raw_query(request) != canonical_query(request) {
        return Err(format!(
            "query sent {:?} is not the canonical {:?}",
            raw_query(request),
            canonical_query(request)
        ));
    }
    // A body goes with its content-type, which is signed as the SDK signs it.
    if !request.body.is_empty() && !names.contains(&"content-type") {
        return Err("a body was sent but its content-type not signed".to_owned());
    }
    let payload = sha256_hex(&request.body);
    if header(request, "x-acs-content-sha256") != Some(payload.as_str()) {
        return Err("x-acs-content-sha256 is not the body's hash".to_owned());
    }
    let canonical_request = acs3_canonical_request(request)?;
    let string_to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let expected = hmac_hex(access_key_secret, &string_to_sign);
    match fields.get("Signature") {
        Some(signature) if *signature == expected => Ok(()),
        other => Err(format!(
            "Signature {other:?} does not verify; expected {expected} over:\n{canonical_request}"
        )),
    }
}

/// Checks an SDK-HMAC-SHA256 `Authorization` against the request as received, and that path and
/// query were sent in the form that was signed.
pub fn verify_sdk_hmac(request: &Request, ak: &str, sk: &str) -> Result<(), String> {
    let authorization = header(request, "authorization").ok_or("no authorization header")?;
    if !authorization.contains(", SignedHeaders=") || !authorization.contains(", Signature=") {
        return Err(format!(
            "fields must be separated by \", \": {authorization}"
        ));
    }
    let fields = authorization_fields(authorization, "SDK-HMAC-SHA256")?;
    if fields.get("Access") != Some(&ak) {
        return Err(format!("Access is not {ak}: {authorization}"));
    }
    let signed = fields.get("SignedHeaders").ok_or("no SignedHeaders")?;
    for required in ["host", "x-sdk-date"] {
        if !signed.split(';').any(|n| n == required) {
            return Err(format!("{required} is not signed: {signed}"));
        }
    }
    if header(request, "x-security-token").is_some()
        && !signed.split(';').any(|n| n == "x-security-token")
    {
        return Err("x-security-token was sent but not signed".to_owned());
    }
    if raw_query(request) != canonical_query(request) {
        return Err(format!(
            "query sent {:?} is not the canonical {:?}",
            raw_query(request),
            canonical_query(request)
        ));
    }
    let path = request.url.path();
    let mut canonical_uri: String = path
        .split('/')
        .map(|segment| rfc3986(&percent_decode(segment)))
        .collect::<Vec<_>>()
        .join("/");
    if canonical_uri != path {
        return Err(format!(
            "path sent {path:?} is not in canonical form {canonical_uri:?}"
        ));
    }
    if !canonical_uri.ends_with('/') {
        canonical_uri.push('/');
    }
    let date = header(request, "x-sdk-date").ok_or("no x-sdk-date")?;
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.as_str(),
        canonical_uri,
        canonical_query(request),
        canonical_headers(request, signed)?,
        signed,
        sha256_hex(&request.body)
    );
    let string_to_sign = format!(
        "SDK-HMAC-SHA256\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let expected = hmac_hex(sk, &string_to_sign);
    match fields.get("Signature") {
        Some(signature) if *signature == expected => Ok(()),
        other => Err(format!(
            "Signature {other:?} does not verify; expected {expected} over:\n{canonical_request}"
        )),
    }
}

/// The environment `idtok` runs in under test: only `PATH`, an empty home directory (no aliyun
/// CLI profile, credentials file or Huawei profile of the test machine's user), and both
/// metadata services pointed at a closed loopback port, so that no credential chain reaches
/// the machine's own credentials or a real metadata service. Clear the rest
/// (`Command::env_clear`) and set these, then the test's own variables.
pub fn isolated_environment() -> Vec<(&'static str, String)> {
    let home = std::env::temp_dir().join("idtok-test-empty-home");
    // Never written to: the chains only read. Racing creators all succeed.
    let _ = std::fs::create_dir_all(&home);
    // Port 9 (discard) is closed on test machines: refused at once, no timeout to wait for.
    let closed = "http://127.0.0.1:9".to_owned();
    vec![
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("HOME", home.display().to_string()),
        ("IDTOK_ALIBABA_ECS_METADATA_URL", closed.clone()),
        ("IDTOK_HUAWEI_METADATA_URL", closed),
    ]
}

/// What a command a test ran did: its exit code and what it printed.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// How long [`run`] lets a program run before it kills it and fails the test: a hung run (a
/// paging loop, a probe of an address that never answers) must not hang the suite.
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Runs `program` (the `idtok` binary: `env!("CARGO_BIN_EXE_idtok")`) as a user would, in the
/// [`isolated_environment`] plus `env`, with `stdin` as its standard input (none: empty). Panics
/// when it does not end within [`RUN_LIMIT`] (it is killed) or cannot be run.
pub async fn run(
    program: &str,
    args: &[impl AsRef<OsStr>],
    env: &[(&str, &str)],
    stdin: Option<&[u8]>,
) -> Run {
    try_run(program, args, env, stdin, RUN_LIMIT)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// [`run`], with a time limit of the caller's and its failures as errors: a test that runs many
/// programs reports each failure and goes on.
pub async fn try_run(
    program: &str,
    args: &[impl AsRef<OsStr>],
    env: &[(&str, &str)],
    stdin: Option<&[u8]>,
    limit: Duration,
) -> Result<Run, String> {
    use tokio::io::AsyncWriteExt as _;
    let shown = || {
        let args: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
        format!("{program} {args:?}")
    };
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .env_clear()
        .envs(isolated_environment())
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        // Dropping the child on timeout kills it.
        .kill_on_drop(true);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", shown()))?;
    let mut input = child.stdin.take().ok_or("stdin is not piped")?;
    let stdin = stdin.unwrap_or_default().to_vec();
    let finished = async move {
        // A program that does not read its input closes the pipe: that is no failure.
        input.write_all(&stdin).await.ok();
        drop(input);
        child.wait_with_output().await
    };
    let output = tokio::time::timeout(limit, finished)
        .await
        .map_err(|_| format!("{} still ran after {limit:?}: killed", shown()))?
        .map_err(|e| format!("{}: {e}", shown()))?;
    let text = |bytes: Vec<u8>, stream: &str| {
        String::from_utf8(bytes).map_err(|e| format!("{}: {stream} is not UTF-8: {e}", shown()))
    };
    Ok(Run {
        code: output
            .status
            .code()
            .ok_or_else(|| format!("{} was killed by a signal", shown()))?,
        stdout: text(output.stdout, "stdout")?,
        stderr: text(output.stderr, "stderr")?,
    })
}

/// Where a test collects what a tracing subscriber, a `log` logger or a panic hook writes, to
/// search it (for a secret that must not be there, a warning that must).
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// A subscriber writing every event, TRACE and up, here.
    pub fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let writer = self.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish()
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_helpers_agree_with_wire_md() {
        assert_eq!(
            rfc3986("a b+c/d~e*f=g&é"),
            "a%20b%2Bc%2Fd~e%2Af%3Dg%26%C3%A9"
        );
        assert_eq!(percent_decode("a%20b%2Bc%zz%"), "a b+c%zz%");
    }
}
