//! Hostile responses: what the clients do with answers a broken or malicious server could send.
//!
//! Every operation is called through its real client (hooks, send loop, progenitor's decoding,
//! `CallError`) against a local server that answers with a fuzzed status and body: the vendor's
//! examples (and the families' documented error bodies) mutated — bytes flipped, cut short, random
//! bytes inserted, slices duplicated, numbers made huge, values replaced by long strings or by
//! arrays nested thousands deep — or arbitrary bytes, or arbitrary JSON using the vendors' keys.
//! Error statuses also reach the send loop's rewriting of error bodies (`error_body`, whose parser
//! is not public, so it is fuzzed this way, with an XML `<Error>` among the seeds). Each case must
//! end in `Ok` or a `CallError` that names the operation, keeps an error status, is never longer
//! than a small multiple of the body read, and is short where the library promises an excerpt.
//! Every response type and error type is also decoded straight from the same inputs, with the
//! memory each decoding takes measured. A panic anywhere fails the test.
//!
//! `cargo test` runs a bounded pass (the CI pass). A longer one:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p idtok-client --test hostile_responses --release
//! ```
//!
//! What the fuzzing found, and the library now does right, is pinned under "Found by fuzzing".

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use idtok_client::{CallError, CallErrorKind, RetryPolicy};
use idtok_runtime::credentials::{
    AccessToken, AlibabaCredentials, HuaweiCredentials, StaticCredentials,
};
use idtok_runtime::endpoint::Endpoint;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ---- Cases ------------------------------------------------------------------------------------

/// The config of every test here. The `proptest!` macro applies `PROPTEST_CASES` (and the other
/// `PROPTEST_*` variables) over it, so a longer pass needs no change here. Failures are not
/// persisted (a regression belongs in a named test), and shrinking is bounded so that a failure
/// is reported quickly.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

// ---- Seed corpus ------------------------------------------------------------------------------

fn vendor_example(operation: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/vendor-examples/{operation}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).unwrap()
}

/// The example as the services send it: compact, without the file's indentation.
fn compact(example: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::from_slice::<Value>(example).unwrap()).unwrap()
}

const ALIBABA_ERROR: &str = r#"{"RequestId":"0441BD79","HostId":"eiam.cn-hangzhou.aliyuncs.com","Code":"NoPermission","Message":"You are not authorized.","Recommend":"https://api.aliyun.com/troubleshoot?q=NoPermission","AccessDeniedDetail":{"AuthAction":"eiam:ListApplicationTokens","PolicyType":"AccountLevelIdentityBasedPolicy"}}"#;

/// Alibaba's gateway answers in XML too, which the hand-written parser in `error_body` reads.
const ALIBABA_XML_ERROR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- gateway -->
<Error>
  <RequestId>0441BD79-92F3-53AA-8657-F8CE4A2B912A</RequestId>
  <HostId>eiam.cn-hangzhou.aliyuncs.com</HostId>
  <Code>Throttling.User</Code>
  <Message>Request was denied due to user flow control &amp; &#x4E2D;&#25991;.</Message>
  <Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=Throttling.User&product=Eiam]]></Recommend>
  <AccessDeniedDetail><AuthAction>eiam:List</AuthAction><NoPermissionType/></AccessDeniedDetail>
</Error>"#;

const DEVELOPER_API_ERROR: &str = r#"{"requestId":"R-dev","hostId":"eiam-developerapi.cn-hangzhou.aliyuncs.com","code":"Forbidden.AccessToken","message":"The access token is not allowed.","recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.AccessToken","accessDeniedDetail":{"authAction":"ListAuthenticationTokens"}}"#;

const HUAWEI_ERROR: &str = r#"{"error_code":"IDENTITYSTORE.10000003","error_msg":"Forbidden.","request_id":"from-body","encoded_authorization_message":"AQIDBAUGBwgJ"}"#;

/// The keys that arbitrary JSON is built from, besides random ones: every field of the response
/// and error types, in the spellings the services use, so that type confusion reaches the fields.
const KEYS: &[&str] = &[
    "RequestId",
    "ApplicationTokens",
    "ApplicationToken",
    "ApplicationClientSecret",
    "AliUid",
    "InstanceId",
    "ApplicationId",
    "ApplicationTokenId",
    "ApplicationTokenType",
    "Status",
    "Description",
    "ExpirationTime",
    "LastUsedTime",
    "CreateTime",
    "ClientId",
    "SecretId",
    "ClientSecret",
    "Code",
    "Message",
    "HostId",
    "Recommend",
    "AccessDeniedDetail",
    "entities",
    "totalCount",
    "nextToken",
    "maxResults",
    "instanceId",
    "authenticationTokenId",
    "credentialProviderId",
    "createTime",
    "updateTime",
    "authenticationTokenType",
    "revoked",
    "creatorType",
    "creatorId",
    "consumerType",
    "consumerId",
    "expirationTime",
    "code",
    "message",
    "requestId",
    "hostId",
    "recommend",
    "accessDeniedDetail",
    "bearer_tokens",
    "creation_time",
    "expiration_time",
    "token_id",
    "error_code",
    "error_msg",
    "request_id",
    "encoded_authorization_message",
    idtok_client::error_body::UNREADABLE_BODY_KEY,
];

// ---- Hostile bodies ---------------------------------------------------------------------------

/// Numbers no field can hold, or that JSON parsers disagree on.
const HOSTILE_NUMBERS: &[&str] = &[
    "1e400",
    "-1e400",
    "1E+999999999999",
    "1e-400",
    "-99999999999999999999999",
    "99999999999999999999999",
    "18446744073709551616",
    "9223372036854775808",
    "-9223372036854775809",
    "1.7976931348623157e309",
    "123456789012345678901234567890.5",
    "0.00000000000000000000000000000000000000001",
    "-0",
    "1.5",
    "00",
    "1.",
    ".5",
    "+1",
    "0x10",
    "NaN",
    "Infinity",
];

/// How one mutation changes a seed. Positions are `Index`es, proportional to the text's current
/// length, so that they stay meaningful after earlier mutations; a mutation that has nothing to
/// act on (a number in a text without numbers) does nothing.
#[derive(Clone, Debug)]
enum Mutation {
    Flip { at: Index, mask: u8 },
    Truncate { at: Index },
    Insert { at: Index, bytes: Vec<u8> },
    Duplicate { from: Index, len: usize, at: Index },
    Number { which: Index, with: Number },
    Value { which: Index, with: Replacement },
}

/// What a number is replaced with.
#[derive(Clone, Debug)]
enum Number {
    Hostile(&'static str),
    /// That many nines.
    Long(usize),
}

/// What a JSON value is replaced with.
#[derive(Clone, Debug)]
enum Replacement {
    /// `[[[...]]]` or `{"a":{"a":...0}}`, closed or not: deeper than any decoder should recurse.
    Nested {
        depth: usize,
        object: bool,
        closed: bool,
    },
    LongString(usize),
    Literal(&'static str),
}

impl Replacement {
    fn render(&self) -> Vec<u8> {
        match *self {
            Replacement::Nested {
                depth,
                object,
                closed,
            } => {
                let (open, leaf, close) = if object {
                    (r#"{"a":"#, "0", "}")
                } else {
                    ("[", "", "]")
                };
                let mut out = open.repeat(depth);
                if closed {
                    out.push_str(leaf);
                    out.push_str(&close.repeat(depth));
                }
                out.into_bytes()
            }
            Replacement::LongString(len) => format!("\"{}\"", "x".repeat(len)).into_bytes(),
            Replacement::Literal(text) => text.as_bytes().to_vec(),
        }
    }
}

/// A hostile body, kept as the recipe that makes it: that is what proptest prints and shrinks.
#[derive(Clone, Debug)]
enum Hostile {
    Mutated {
        seed: Index,
        mutations: Vec<Mutation>,
    },
    Bytes(Vec<u8>),
    Json(Value),
}

impl Hostile {
    fn render(&self, seeds: &[Vec<u8>]) -> Vec<u8> {
        match self {
            Hostile::Mutated { seed, mutations } => {
                let mut text = seed.get(seeds).clone();
                for mutation in mutations {
                    mutate(&mut text, mutation);
                }
                text
            }
            Hostile::Bytes(bytes) => bytes.clone(),
            // `Value`'s Display is serde_json's compact form, compiled (optimized) in serde_json;
            // `to_vec` here would be compiled unoptimized into this test for its long strings.
            Hostile::Json(value) => value.to_string().into_bytes(),
        }
    }
}

fn mutate(text: &mut Vec<u8>, mutation: &Mutation) {
    // A position in 0..=len, so that an empty text can still be inserted into.
    let position = |at: &Index, len: usize| at.index(len + 1);
    match mutation {
        Mutation::Flip { at, mask } => {
            if !text.is_empty() {
                let i = at.index(text.len());
                text[i] ^= mask;
            }
        }
        Mutation::Truncate { at } => text.truncate(position(at, text.len())),
        Mutation::Insert { at, bytes } => {
            let i = position(at, text.len());
            text.splice(i..i, bytes.iter().copied());
        }
        Mutation::Duplicate { from, len, at } => {
            let start = position(from, text.len());
            let end = (start + len).min(text.len());
            let slice = text[start..end].to_vec();
            let i = position(at, text.len());
            text.splice(i..i, slice);
        }
        Mutation::Number { which, with } => {
            let spans = Spans::of(text);
            if !spans.numbers.is_empty() {
                let span = spans.numbers[which.index(spans.numbers.len())].clone();
                let number = match *with {
                    Number::Hostile(number) => number.to_owned(),
                    Number::Long(len) => "9".repeat(len),
                };
                text.splice(span, number.into_bytes());
            }
        }
        Mutation::Value { which, with } => {
            let spans = Spans::of(text);
            if !spans.values.is_empty() {
                let span = spans.values[which.index(spans.values.len())].clone();
                text.splice(span, with.render());
            }
        }
    }
}

/// Where the numbers and the values (strings that are not keys, numbers, literals, arrays and
/// objects) of a JSON text are; lenient, so that it also finds them in already broken text.
struct Spans {
    numbers: Vec<Range<usize>>,
    values: Vec<Range<usize>>,
}

impl Spans {
    fn of(text: &[u8]) -> Self {
        let mut spans = Spans {
            numbers: Vec::new(),
            values: Vec::new(),
        };
        let mut open = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let start = i;
            match text[i] {
                b'"' => {
                    i += 1;
                    while i < text.len() && text[i] != b'"' {
                        i += if text[i] == b'\\' { 2 } else { 1 };
                    }
                    i = (i + 1).min(text.len());
                    let next = text[i..].iter().find(|b| !b.is_ascii_whitespace());
                    if next != Some(&b':') {
                        spans.values.push(start..i);
                    }
                    continue;
                }
                b'-' | b'0'..=b'9' => {
                    while i < text.len()
                        && matches!(text[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                    {
                        i += 1;
                    }
                    spans.numbers.push(start..i);
                    spans.values.push(start..i);
                    continue;
                }
                b't' | b'f' | b'n' => {
                    while i < text.len() && text[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    spans.values.push(start..i);
                    continue;
                }
                b'[' | b'{' => open.push(i),
                b']' | b'}' => {
                    if let Some(start) = open.pop() {
                        spans.values.push(start..i + 1);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        spans
    }
}

/// Bytes that matter to the JSON and XML parsers, and invalid UTF-8.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\"\\udc00\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\0",
    b"\xff\xfe",
    b"\xe4\xb8",
    b"<",
    b"</Error>",
    b"&#x110000;",
    b"<![CDATA[",
    b"<!--",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens = select(TOKENS).prop_map(<[u8]>::to_vec);
    let inserted = prop_oneof![proptest::collection::vec(any::<u8>(), 1..16), tokens];
    let replacement = prop_oneof![
        (1000usize..5000, any::<bool>(), any::<bool>()).prop_map(|(depth, object, closed)| {
            Replacement::Nested {
                depth,
                object,
                closed,
            }
        }),
        select(vec![300usize, 5_000, 70_000]).prop_map(Replacement::LongString),
        select(vec![
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1.5",
            "\"\"",
            "\"x\"",
            "[]",
            "{}",
            "[null]",
            "{\"\":null}",
        ])
        .prop_map(Replacement::Literal),
    ];
    let number = prop_oneof![
        4 => select(HOSTILE_NUMBERS).prop_map(Number::Hostile),
        1 => Just(Number::Long(10_000)),
    ];
    prop_oneof![
        (any::<Index>(), 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        (any::<Index>(), inserted).prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<Index>(), 1usize..400, any::<Index>())
            .prop_map(|(from, len, at)| Mutation::Duplicate { from, len, at }),
        (any::<Index>(), number).prop_map(|(which, with)| Mutation::Number { which, with }),
        (any::<Index>(), replacement).prop_map(|(which, with)| Mutation::Value { which, with }),
    ]
}

/// Arbitrary JSON, mostly objects, with keys mostly the vendors'.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // serde_json has no NaN or infinity; those become null.
        any::<f64>().prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        select(vec![300usize, 5_000, 70_000]).prop_map(|len| Value::String("x".repeat(len))),
    ];
    let key = prop_oneof![3 => select(KEYS).prop_map(str::to_owned), 1 => ".{0,12}"];
    let object = move |value: BoxedStrategy<Value>| {
        proptest::collection::vec((key.clone(), value), 0..8)
            .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>()))
    };
    let value = leaf.prop_recursive(6, 96, 8, {
        let object = object.clone();
        move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                object(inner),
            ]
        }
    });
    prop_oneof![1 => value.clone(), 3 => object(value.boxed())]
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        6 => (any::<Index>(), proptest::collection::vec(mutation(), 1..4))
            .prop_map(|(seed, mutations)| Hostile::Mutated { seed, mutations }),
        1 => proptest::collection::vec(any::<u8>(), 0..256).prop_map(Hostile::Bytes),
        3 => json().prop_map(Hostile::Json),
    ]
}

/// Statuses: success, the documented errors (decoded into `ErrorResponse`), and undocumented ones.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        5 => select(vec![400u16, 403, 404, 429, 500, 502, 503]),
    ]
}

// ---- Through the clients ----------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
enum Operation {
    ListApplicationTokens,
    ObtainApplicationToken,
    ObtainApplicationClientSecret,
    ListAuthenticationTokens,
    ListBearerTokens,
    ResetPwdMode,
    AssumeRole,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::ListApplicationTokens => "ListApplicationTokens",
            Operation::ObtainApplicationToken => "ObtainApplicationToken",
            Operation::ObtainApplicationClientSecret => "ObtainApplicationClientSecret",
            Operation::ListAuthenticationTokens => "ListAuthenticationTokens",
            Operation::ListBearerTokens => "ListBearerTokens",
            Operation::ResetPwdMode => "ResetPwdMode",
            Operation::AssumeRole => "AssumeRole",
        }
    }

    /// The operation's example, as in the file and compact, and its family's error bodies.
    fn seeds(self) -> Vec<Vec<u8>> {
        let example = vendor_example(self.name());
        let mut seeds = vec![compact(&example), example];
        let errors: &[&str] = match self {
            Operation::ListApplicationTokens
            | Operation::ObtainApplicationToken
            | Operation::ObtainApplicationClientSecret
            | Operation::AssumeRole => &[ALIBABA_ERROR, ALIBABA_XML_ERROR],
            Operation::ListAuthenticationTokens => &[DEVELOPER_API_ERROR, ALIBABA_XML_ERROR],
            Operation::ListBearerTokens | Operation::ResetPwdMode => &[HUAWEI_ERROR],
        };
        seeds.extend(errors.iter().map(|e| e.as_bytes().to_vec()));
        seeds
    }

    /// Calls the operation with its required parameters, as a user would.
    async fn call(self, clients: &Clients) -> Result<(), CallError> {
        let name = self.name();
        match self {
            Operation::ListApplicationTokens => match clients
                .eiam
                .list_application_tokens()
                .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
                .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
                .application_token_type("bearer_token")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::ObtainApplicationToken => match clients
                .eiam
                .obtain_application_token()
                .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
                .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
                .application_token_id("token_sfrwerxxxxxxxxxxxxxx")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::ObtainApplicationClientSecret => match clients
                .eiam
                .obtain_application_client_secret()
                .instance_id("eiam-111ccc1111")
                .application_id("app_11111")
                .secret_id("sct_11111")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::ListAuthenticationTokens => match clients
                .developer_api
                .list_authentication_tokens()
                .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
                .consumer_id("consumer_1")
                .credential_provider_identifier("test_example_identifier")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::ListBearerTokens => match clients
                .identitystore
                .list_bearer_tokens()
                .identity_store_id("d-1234567890")
                .tenant_id("tenant-1")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::ResetPwdMode => match clients
                .identitystore
                .reset_pwd_mode()
                .identity_store_id("d-1a2b3c4dxxxx")
                .user_id("ac6aa714-daa7-1aaa-aaa2-6715aaaa4dd9")
                .body(idtok_identitystore_models::ResetPwdModeRequest {
                    mode: "OTP".to_owned(),
                })
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
            Operation::AssumeRole => match clients
                .sts
                .assume_role()
                .role_arn("acs:ram::123456789012****:role/adminrole")
                .role_session_name("alice")
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(error) => Err(CallError::from_client_error(name, error).await),
            },
        }
    }
}

struct Clients {
    eiam: idtok_client::eiam::Client,
    developer_api: idtok_client::eiam_developerapi::Client,
    identitystore: idtok_client::identitystore::Client,
    sts: idtok_client::sts::Client,
}

/// Answers every request with the status and body the current case set.
struct Current(Arc<Mutex<(u16, Vec<u8>)>>);

impl Respond for Current {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let (status, body) = self.0.lock().unwrap().clone();
        ResponseTemplate::new(status).set_body_raw(body, "application/json")
    }
}

/// One runtime, server and set of clients for all the cases of a test: starting them per case
/// would cost more than the case.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    answer: Arc<Mutex<(u16, Vec<u8>)>>,
    clients: Clients,
    // Kept alive for the clients.
    _server: MockServer,
}

impl Fixture {
    fn start() -> Self {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let answer = Arc::new(Mutex::new((200, Vec::new())));
        let server = runtime.block_on(async {
            // Not recording requests: a long pass would keep every one.
            let server = MockServer::builder()
                .disable_request_recording()
                .start()
                .await;
            Mock::given(wiremock::matchers::any())
                .respond_with(Current(answer.clone()))
                .mount(&server)
                .await;
            server
        });
        let endpoint = Endpoint::url(&server.uri()).unwrap();
        // Retries off: each case is one request, and its answer is the one reported.
        let alibaba = || {
            StaticCredentials(AlibabaCredentials::new(
                "LTAI5tHostileTestKeyId",
                "hostile-test-secret",
            ))
        };
        let clients = Clients {
            eiam: idtok_client::eiam::Client::from_endpoint(
                &endpoint,
                idtok_client::eiam::ClientContext::new(alibaba())
                    .with_retry_policy(RetryPolicy::no_retries()),
            )
            .unwrap(),
            developer_api: idtok_client::eiam_developerapi::Client::from_endpoint(
                &endpoint,
                idtok_client::eiam_developerapi::ClientContext::new(StaticCredentials(
                    AccessToken::new("hostile-test-access-token"),
                ))
                .with_retry_policy(RetryPolicy::no_retries()),
            )
            .unwrap(),
            identitystore: idtok_client::identitystore::Client::from_endpoint(
                &endpoint,
                idtok_client::identitystore::ClientContext::new(StaticCredentials(
                    HuaweiCredentials::new("QTWAOYTTINDUT2QVKYUC", "hostile-test-sk"),
                ))
                .with_retry_policy(RetryPolicy::no_retries()),
            )
            .unwrap(),
            sts: idtok_client::sts::Client::from_endpoint(
                &endpoint,
                idtok_client::sts::ClientContext::new(alibaba())
                    .with_retry_policy(RetryPolicy::no_retries()),
            )
            .unwrap(),
        };
        Fixture {
            runtime,
            answer,
            clients,
            _server: server,
        }
    }

    fn answer<F: Future>(&self, status: u16, body: Vec<u8>, call: F) -> F::Output {
        *self.answer.lock().unwrap() = (status, body);
        self.runtime.block_on(call)
    }
}

/// The most characters of a `detail` that describes a body that is not the vendor's JSON:
/// `body (more than 64 KiB, cut): `, an excerpt of 200 characters and an ellipsis.
const EXCERPT_DETAIL_CHARS: usize = 240;

/// How much of an error answer the client reads (`error_body::ERROR_BODY_LIMIT`, not public).
const ERROR_BODY_READ: usize = 64 * 1024;

/// What every answer must give, whatever its body.
fn check(
    operation: Operation,
    status: u16,
    body: &[u8],
    result: Result<(), CallError>,
) -> Result<(), TestCaseError> {
    let name = operation.name();
    let error = match result {
        Ok(()) => {
            prop_assert_eq!(status, 200, "an error answer decoded as a success");
            return Ok(());
        }
        Err(error) => error,
    };
    let text = error.to_string();
    prop_assert_eq!(&error.operation, name);
    prop_assert!(text.starts_with(&format!("{name} failed")), "{}", text);
    let detail = error.detail.as_deref().unwrap_or_default();

    // The message shows the vendor's fields as sent (JSON or XML), so it may be as long as what
    // was read of the body, never longer than escaping and writing numbers out make it.
    let read = if status >= 400 {
        body.len().min(ERROR_BODY_READ)
    } else {
        body.len()
    };
    prop_assert!(
        text.len() <= 1024 + 8 * read,
        "{} bytes of message for {} bytes read",
        text.len(),
        read
    );

    if status >= 400 {
        // Whatever the body, an error answer keeps its status (found by fuzzing: a 400 or 403
        // with a field of another type than the document's used to lose it; see
        // `a_documented_error_with_a_field_of_the_wrong_type_keeps_its_status`).
        prop_assert_eq!(error.kind, CallErrorKind::Service, "{}", text);
        prop_assert_eq!(error.status, Some(status), "{}", text);
        // A body that is neither the vendor's JSON nor XML is shown as a short excerpt only: the
        // body kept is then the client's own marker.
        let marker_only = error
            .body
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|o| {
                o.len() == 1 && o.contains_key(idtok_client::error_body::UNREADABLE_BODY_KEY)
            });
        let sent_object = matches!(serde_json::from_slice(body), Ok(Value::Object(_)));
        if marker_only && !sent_object {
            prop_assert!(detail.chars().count() <= EXCERPT_DETAIL_CHARS, "{}", detail);
        }
    } else {
        // A success status with a body that is not the documented JSON: described briefly,
        // never quoting a JSON body, which may hold the secret the call was for (found by
        // fuzzing; see the two tests below `one_answer`).
        prop_assert_eq!(error.kind, CallErrorKind::Response, "{}", text);
        prop_assert!(text.len() <= 1024, "{}", text);
        if let Some((_, excerpt)) = detail.rsplit_once("; it starts ") {
            prop_assert!(
                excerpt.chars().count() <= EXCERPT_DETAIL_CHARS,
                "{}",
                excerpt
            );
        }
    }
    Ok(())
}

fn fuzz(operation: Operation) {
    let fixture = Fixture::start();
    let seeds = operation.seeds();
    // The corpus itself first: the fixture works, and the example decodes.
    let example = vendor_example(operation.name());
    let plain = fixture.answer(200, example, operation.call(&fixture.clients));
    assert!(plain.is_ok(), "{plain:?}");

    proptest!(config(256), |(status in status(), hostile in hostile())| {
        let body = hostile.render(&seeds);
        let result = fixture.answer(status, body.clone(), operation.call(&fixture.clients));
        check(operation, status, &body, result)?;
    });
}

#[test]
fn list_application_tokens_survives_hostile_answers() {
    fuzz(Operation::ListApplicationTokens);
}

#[test]
fn obtain_application_token_survives_hostile_answers() {
    fuzz(Operation::ObtainApplicationToken);
}

#[test]
fn obtain_application_client_secret_survives_hostile_answers() {
    fuzz(Operation::ObtainApplicationClientSecret);
}

#[test]
fn list_authentication_tokens_survives_hostile_answers() {
    fuzz(Operation::ListAuthenticationTokens);
}

#[test]
fn list_bearer_tokens_survives_hostile_answers() {
    fuzz(Operation::ListBearerTokens);
}

#[test]
fn reset_pwd_mode_survives_hostile_answers() {
    fuzz(Operation::ResetPwdMode);
}

#[test]
fn assume_role_survives_hostile_answers() {
    fuzz(Operation::AssumeRole);
}

// ---- Found by fuzzing -------------------------------------------------------------------------
//
// Each was a real failure of the library, fixed since; these keep them fixed.

fn one_answer(operation: Operation, status: u16, body: &str) -> CallError {
    let fixture = Fixture::start();
    fixture
        .answer(status, body.into(), operation.call(&fixture.clients))
        .unwrap_err()
}

/// Found A: progenitor decodes a 400 or 403 body into the family's `ErrorResponse`; a JSON object
/// (or an XML `<Error>`) with a listed field of another type failed that decoding, and the user
/// got "the answer is not the documented JSON" without the status, code or request id.
#[test]
fn a_documented_error_with_a_field_of_the_wrong_type_keeps_its_status() {
    let mut wrong = Vec::new();
    for (operation, status, body) in [
        (
            Operation::ListApplicationTokens,
            400,
            r#"{"Code":5,"Message":"Bad.","RequestId":"R1"}"#,
        ),
        (
            Operation::ObtainApplicationToken,
            403,
            r#"{"Code":"NoPermission","AccessDeniedDetail":null,"RequestId":"R2"}"#,
        ),
        (
            Operation::ObtainApplicationClientSecret,
            400,
            "<Error><Code><Inner>x</Inner></Code><RequestId>R3</RequestId></Error>",
        ),
        (
            Operation::ListAuthenticationTokens,
            403,
            r#"{"code":"Forbidden","AccessDeniedDetail":"denied","requestId":"R4"}"#,
        ),
        (
            Operation::ListBearerTokens,
            400,
            r#"{"error_code":[],"error_msg":"Bad.","request_id":"R5"}"#,
        ),
    ] {
        let error = one_answer(operation, status, body);
        if (error.kind, error.status) != (CallErrorKind::Service, Some(status)) {
            wrong.push(format!("HTTP {status} {body}: {error}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Found B: the description of a success body that does not decode included serde_json's message,
/// which quotes a string value of the wrong type whole: up to the 16 MiB the client reads.
#[test]
fn a_success_answer_that_is_not_the_documented_json_is_described_briefly() {
    let body = format!(r#"{{"ApplicationTokens":"{}"}}"#, "x".repeat(100_000));
    let text = one_answer(Operation::ListApplicationTokens, 200, &body).to_string();
    assert!(
        text.len() <= 1024,
        "{} bytes: {}…",
        text.len(),
        &text[..200]
    );
}

/// Found C: that description also quoted the first 200 characters of the body, which for
/// ObtainApplicationClientSecret can hold the secret (the services do not promise a key order).
#[test]
fn a_malformed_client_secret_answer_does_not_show_the_secret() {
    let secret = "CSEHDcHcrUKHw1CuxkJEHPveWRXBGqVqRsxxxx";
    let body = format!(
        r#"{{"ApplicationClientSecret":{{"ClientSecret":"{secret}","ExpirationTime":"soon"}}}}"#
    );
    let error = one_answer(Operation::ObtainApplicationClientSecret, 200, &body);
    assert!(!error.to_string().contains(secret), "{error}");
}

/// The same for the one-time password that ResetPwdMode hands out: an answer of another shape
/// (here the object wrapped in an array) is described without it.
#[test]
fn a_malformed_one_time_password_answer_does_not_show_the_password() {
    let password = "OTP-SENTINEL-5f1c9a7e";
    let body = format!(r#"[{{"password":"{password}"}}]"#);
    let error = one_answer(Operation::ResetPwdMode, 200, &body);
    assert!(!error.to_string().contains(password), "{error}");
    assert!(!format!("{error:?}").contains(password), "{error:?}");
}

// ---- Straight decoding ------------------------------------------------------------------------

/// Counts, per thread, the bytes allocated and the most held at once, so that a decoding's peak
/// memory can be measured (the decoding tests run on one thread each).
struct Counting;

thread_local! {
    static HELD: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn note_alloc(size: usize) {
    let _ = HELD.try_with(|held| {
        let now = held.get() + size;
        held.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn note_free(size: usize) {
    let _ = HELD.try_with(|held| held.set(held.get().saturating_sub(size)));
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe {
            note_alloc(layout.size());
            System.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe {
            note_alloc(layout.size());
            System.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe {
            note_free(layout.size());
            System.dealloc(ptr, layout)
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            note_alloc(new_size);
            note_free(layout.size());
            System.realloc(ptr, layout, new_size)
        }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most memory `f` held at once on this thread, beyond what was held before.
fn peak_memory<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = HELD.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let result = f();
    (result, PEAK.with(Cell::get) - before)
}

/// Decodes `body` as `T` and, when it decodes, turns it into a JSON value again (as `CallError`
/// does with an `ErrorResponse`); returns whether it decoded and the peak memory taken.
fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(body: &[u8]) -> (bool, usize) {
    peak_memory(|| match serde_json::from_slice::<T>(body) {
        Ok(value) => {
            let _ = serde_json::to_value(&value);
            true
        }
        Err(_) => false,
    })
}

/// Every response and error type, by name, with its decoder.
type Decoder = fn(&[u8]) -> (bool, usize);

const DECODERS: &[(&str, Decoder)] = &[
    (
        "eiam ListApplicationTokensResponse",
        decode::<idtok_eiam_models::ListApplicationTokensResponse>,
    ),
    (
        "eiam ObtainApplicationTokenResponse",
        decode::<idtok_eiam_models::ObtainApplicationTokenResponse>,
    ),
    (
        "eiam ObtainApplicationClientSecretResponse",
        decode::<idtok_eiam_models::ObtainApplicationClientSecretResponse>,
    ),
    (
        "eiam ErrorResponse",
        decode::<idtok_eiam_models::ErrorResponse>,
    ),
    (
        "developer API ListAuthenticationTokensResponse",
        decode::<idtok_eiam_developerapi_models::ListAuthenticationTokensResponse>,
    ),
    (
        "developer API ErrorResponse",
        decode::<idtok_eiam_developerapi_models::ErrorResponse>,
    ),
    (
        "identity store ListBearerTokensResponse",
        decode::<idtok_identitystore_models::ListBearerTokensResponse>,
    ),
    (
        "identity store ErrorResponse",
        decode::<idtok_identitystore_models::ErrorResponse>,
    ),
    (
        "sts AssumeRoleResponse",
        decode::<idtok_sts_models::AssumeRoleResponse>,
    ),
    (
        "sts ErrorResponse",
        decode::<idtok_sts_models::ErrorResponse>,
    ),
];

/// Every seed of every operation.
fn all_seeds() -> Vec<Vec<u8>> {
    [
        Operation::ListApplicationTokens,
        Operation::ObtainApplicationToken,
        Operation::ObtainApplicationClientSecret,
        Operation::ListAuthenticationTokens,
        Operation::ListBearerTokens,
        Operation::ResetPwdMode,
        Operation::AssumeRole,
    ]
    .into_iter()
    .flat_map(Operation::seeds)
    .collect()
}

#[test]
fn the_vendor_examples_decode() {
    for (operation, decoder) in [
        ("ListApplicationTokens", DECODERS[0]),
        ("ObtainApplicationToken", DECODERS[1]),
        ("ObtainApplicationClientSecret", DECODERS[2]),
        ("ListAuthenticationTokens", DECODERS[4]),
        ("ListBearerTokens", DECODERS[6]),
        ("AssumeRole", DECODERS[8]),
    ] {
        let example = vendor_example(operation);
        assert!((decoder.1)(&example).0, "{operation} as {}", decoder.0);
        assert!(
            (decoder.1)(&compact(&example)).0,
            "{operation} as {}",
            decoder.0
        );
    }
    for (body, decoder) in [
        (ALIBABA_ERROR, DECODERS[3]),
        (DEVELOPER_API_ERROR, DECODERS[5]),
        (HUAWEI_ERROR, DECODERS[7]),
        (ALIBABA_ERROR, DECODERS[9]),
    ] {
        assert!((decoder.1)(body.as_bytes()).0, "{body} as {}", decoder.0);
    }
}

#[test]
fn every_type_decodes_hostile_bytes_without_panic_in_bounded_memory() {
    let seeds = all_seeds();
    proptest!(config(2048), |(hostile in hostile())| {
        let body = hostile.render(&seeds);
        for (name, decoder) in DECODERS {
            let (_, peak) = decoder(&body);
            // serde_json builds at most a few machine words per input byte (a `Value` is 32
            // bytes, for a 1-byte `0` in an array) and vectors at most double: 128 bytes per
            // input byte and a fixed margin bound that.
            prop_assert!(
                peak <= 64 * 1024 + 128 * body.len(),
                "{} took {} bytes to decode {} bytes",
                name,
                peak,
                body.len()
            );
        }
    });
}
