//! What a generated, signed client call costs over the same request sent with plain reqwest,
//! against one local server (`cargo bench -p idtok-client --bench call`). Budget (issue 3): at most
//! 10 % more.
//!
//! Three arms, each `POST /?ApplicationId=…&ApplicationTokenType=…&InstanceId=…` with an empty
//! body over one kept-alive connection, decoding the vendor's example response into
//! `ListApplicationTokensResponse`, through reqwest clients configured alike (timeouts, agent):
//! - plain reqwest, signing each call by hand with `idtok_runtime::signing` (fresh date and nonce,
//!   as the service requires): the same valid request, and the budget's baseline;
//! - idtok-client: progenitor's builder, the hooks (RPC rewrite, credentials, nonce, date,
//!   signature);
//! - plain reqwest replaying the head of the client's first request byte for byte, signature
//!   included: not a request the service would accept twice, but it shows what signing costs.
//!
//! Wall time on a 2-core virtual machine drifts by more than 10 % between identical runs, so the
//! same arms can also be counted in instructions, which repeat exactly:
//!
//! ```text
//! cargo bench -p idtok-client --bench call --no-run   # prints the binary's path
//! CALL_LOOP=client:1200 valgrind --tool=callgrind <binary>   # arms: signed, client, replay
//! ```
//!
//! Per call = (count at 1200 - count at 200) / 1000, which cancels the set-up. And in wall time,
//! with the arms interleaved so that drift falls on all of them:
//!
//! ```text
//! CALL_INTERLEAVED=40 <binary>
//! ```
//!
//! The server runs on a thread and runtime of its own, as a separate local server process would:
//! the budget's setting. `CALL_SERVER=same` puts it on the client's runtime thread instead, where
//! nothing waits for another thread to wake up and the client's own CPU time shows most: the
//! harshest view of the same comparison.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use criterion::{criterion_group, Criterion};
use idtok_client::eiam::{Client, ClientContext};
use idtok_runtime::clock::{NonceSource, RandomNonce};
use idtok_runtime::credentials::{AlibabaCredentials, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use idtok_runtime::signing::{acs3, acs3_date, EMPTY_PAYLOAD_SHA256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

type RecordedHead = Arc<Mutex<Option<String>>>;

/// A keep-alive HTTP/1.1 server that answers every request (none has a body) with `body`, and
/// keeps the head of the first request it sees. As small as possible, so the comparison is not
/// drowned in server time.
async fn serve(listener: TcpListener, body: &'static str, first_head: RecordedHead) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes();
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let (response, first_head) = (response.clone(), first_head.clone());
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 16 * 1024];
            let mut filled = 0;
            loop {
                match socket.read(&mut buffer[filled..]).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => filled += n,
                }
                while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                    {
                        let mut recorded = first_head.lock().unwrap();
                        if recorded.is_none() {
                            *recorded = Some(String::from_utf8_lossy(&buffer[..end]).into_owned());
                        }
                    }
                    if socket.write_all(&response).await.is_err() {
                        return;
                    }
                    buffer.copy_within(end + 4..filled, 0);
                    filled -= end + 4;
                }
            }
        });
    }
}

const BODY: &str = include_str!("../tests/vendor-examples/ListApplicationTokens.json");
const ACCESS_KEY_ID: &str = "LTAI5tBenchKeyId";
const ACCESS_KEY_SECRET: &str = "bench-access-key-secret";

fn call(c: &mut Criterion) {
    let first_head = RecordedHead::default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let address = if std::env::var("CALL_SERVER").as_deref() != Ok("same") {
        // As a separate server process would be: a thread and runtime of its own.
        let (sender, receiver) = std::sync::mpsc::channel();
        let recorder = first_head.clone();
        std::thread::spawn(move || {
            let server = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            server.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                sender.send(listener.local_addr().unwrap()).unwrap();
                serve(listener, BODY, recorder).await;
            });
        });
        receiver.recv().unwrap()
    } else {
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let address = listener.local_addr().unwrap();
        runtime.spawn(serve(listener, BODY, first_head.clone()));
        address
    };
    let base = format!("http://{address}");

    // Built first: each client loads the platform's TLS roots when built, and which is built first
    // changes the heap layout enough to move these timings by 15 %. The client under test is
    // built last, so that any such effect counts against it.
    let plain = reqwest::Client::builder()
        .user_agent(idtok_client::USER_AGENT)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let context = ClientContext::new(StaticCredentials(AlibabaCredentials::new(
        ACCESS_KEY_ID,
        ACCESS_KEY_SECRET,
    )));
    let client = Client::from_endpoint(&Endpoint::url(&base).unwrap(), context).unwrap();
    let client_call = || async {
        client
            .list_application_tokens()
            .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .application_id("app_mkv7rgt4d7i4u7zqtzev2mxxxx")
            .application_token_type("bearer_token")
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    let host = address.to_string();
    let plain_signed_call = || async {
        let date = acs3_date(SystemTime::now());
        let nonce = RandomNonce.nonce();
        let query = [
            ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
            ("ApplicationTokenType", "bearer_token"),
            ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
        ];
        let signed = [
            ("host", host.as_str()),
            ("x-acs-action", "ListApplicationTokens"),
            ("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
            ("x-acs-date", date.as_str()),
            ("x-acs-signature-nonce", nonce.as_str()),
            ("x-acs-version", "2021-12-01"),
        ];
        let signature = acs3::sign(
            ACCESS_KEY_ID,
            ACCESS_KEY_SECRET,
            &acs3::Acs3Request {
                method: "POST",
                canonical_uri: "/",
                query: &query,
                headers: &signed,
                hashed_payload: EMPTY_PAYLOAD_SHA256,
            },
        );
        let mut request = plain
            .post(format!("{base}/?{}", signature.canonical_query))
            .header("accept", "application/json");
        for (name, value) in signed {
            request = request.header(name, value);
        }
        let response = request
            .header("authorization", signature.authorization)
            .send()
            .await
            .unwrap();
        response
            .json::<idtok_eiam_models::ListApplicationTokensResponse>()
            .await
            .unwrap()
    };

    // The client's request as sent, for the replay arm.
    runtime.block_on(client_call());
    let head = first_head
        .lock()
        .unwrap()
        .clone()
        .expect("the server saw the request");
    let mut lines = head.lines();
    let target = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap()
        .to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let replay_url = format!("{base}{target}");

    let replay_call = || async {
        let mut request = plain.post(&replay_url);
        for (name, value) in &headers {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        response
            .json::<idtok_eiam_models::ListApplicationTokensResponse>()
            .await
            .unwrap()
    };

    // `CALL_LOOP=<arm>:<n>`: n calls of one arm and nothing else, for callgrind.
    if let Ok(spec) = std::env::var("CALL_LOOP") {
        let (arm, n) = spec
            .split_once(':')
            .expect("CALL_LOOP=<signed|client|replay>:<n>");
        for _ in 0..n.parse::<usize>().expect("a count") {
            match arm {
                "signed" => drop(runtime.block_on(plain_signed_call())),
                "client" => drop(runtime.block_on(client_call())),
                "replay" => drop(runtime.block_on(replay_call())),
                other => panic!("no arm {other}"),
            }
        }
        return;
    }

    // `CALL_INTERLEAVED=<rounds>`: the arms in alternating blocks of 500 calls, so that drift
    // over the run (which on a shared virtual machine exceeds the differences measured) falls on
    // all arms alike; prints each arm's median block and the client's ratio to the baseline.
    if let Ok(rounds) = std::env::var("CALL_INTERLEAVED") {
        const BLOCK: u32 = 500;
        let mut per_call: [Vec<f64>; 3] = Default::default();
        for _ in 0..rounds.parse::<usize>().expect("a count") {
            for (arm, times) in per_call.iter_mut().enumerate() {
                let start = std::time::Instant::now();
                for _ in 0..BLOCK {
                    match arm {
                        0 => drop(runtime.block_on(plain_signed_call())),
                        1 => drop(runtime.block_on(client_call())),
                        _ => drop(runtime.block_on(replay_call())),
                    }
                }
                times.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(BLOCK));
            }
        }
        let median = |times: &mut Vec<f64>| {
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        };
        let [signed, client, replay] = per_call.each_mut().map(median);
        println!(
            "plain reqwest, signed by hand: {signed:.1} µs per call (median of {rounds} blocks)"
        );
        println!("idtok-client: {client:.1} µs per call");
        println!("plain reqwest, replaying a signed request: {replay:.1} µs per call");
        println!(
            "idtok-client over plain reqwest signed by hand: {:+.1} %",
            (client / signed - 1.0) * 100.0
        );
        return;
    }

    let mut group = c.benchmark_group("call");
    group
        .measurement_time(Duration::from_secs(10))
        .sample_size(200);
    group.bench_function("plain reqwest, signed by hand", |b| {
        b.iter(|| runtime.block_on(plain_signed_call()))
    });
    group.bench_function("idtok-client", |b| {
        b.iter(|| runtime.block_on(client_call()))
    });
    group.bench_function("plain reqwest, replaying a signed request", |b| {
        b.iter(|| runtime.block_on(replay_call()))
    });
    group.finish();
}

criterion_group!(benches, call);

fn main() {
    if std::env::var_os("CALL_LOOP").is_some() || std::env::var_os("CALL_INTERLEAVED").is_some() {
        call(&mut Criterion::default());
    } else {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
