//! Streaming every authentication token: 100,000 entities in pages from a local server, through
//! the library's `.stream()` and through `idtok ... list-authentication-tokens --all`.
//! Budget (issue 5): peak memory under 32 MiB, at least 100,000 entities per second.
//!
//! ```text
//! cargo bench -p idtok --bench list_all
//! LIST_ALL_ENTITIES=1000000 LIST_ALL_PAGE=100 cargo bench -p idtok --bench list_all
//! ```
//!
//! The server makes each page when asked (it holds no list), on a thread and runtime of its own.
//! In-process, peak memory is the most the heap held at once (a counting allocator), server
//! included; for idtok, it is the process's peak resident set (`ru_maxrss`), everything included.
//! Entities per second count from the first request to the last entity received.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use futures::TryStreamExt;
use idtok_client::eiam_developerapi::{Client, ClientContext};
use idtok_runtime::credentials::{AccessToken, StaticCredentials};
use idtok_runtime::endpoint::Endpoint;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const BUDGET_BYTES: usize = 32 * 1024 * 1024;
const BUDGET_PER_SECOND: f64 = 100_000.0;

struct CountingAllocator;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The page that starts at entity `offset`: `page` entities (fewer at the end), each with every
/// field the vendor's example has, and `nextToken` unless it is the last.
fn page_body(offset: usize, page: usize, total: usize) -> String {
    let end = (offset + page).min(total);
    let mut body = String::with_capacity((end - offset) * 480 + 128);
    body.push_str("{\"entities\":[");
    for i in offset..end {
        if i > offset {
            body.push(',');
        }
        body.push_str(&format!(
            "{{\"instanceId\":\"idaas_ue2jvisn35ea5lmthk267xxxxx\",\"authenticationTokenId\":\"atntkn_{i:026}\",\"credentialProviderId\":\"atp_01kr2cmj5gxxx4fvmls2e93dxxxxx\",\"createTime\":1649830225000,\"updateTime\":1649830225000,\"authenticationTokenType\":\"jwt\",\"revoked\":false,\"creatorType\":\"application\",\"creatorId\":\"app_ngtkgrrxxxxktg5eao6z4xxxxx\",\"consumerType\":\"custom\",\"consumerId\":\"test_jwt_subject\",\"expirationTime\":1772693568000}}"
        ));
    }
    body.push_str(&format!("],\"totalCount\":{total},\"maxResults\":{page}"));
    if end < total {
        body.push_str(&format!(",\"nextToken\":\"{end}\""));
    }
    body.push('}');
    body
}

/// A keep-alive HTTP/1.1 server of ListAuthenticationTokens pages over `total` entities.
async fn serve(listener: TcpListener, total: usize) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 16 * 1024];
            let mut filled = 0;
            loop {
                match socket.read(&mut buffer[filled..]).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => filled += n,
                }
                while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    let target = head.split(' ').nth(1).unwrap_or_default();
                    let query_value = |name: &str| {
                        target.split(['?', '&']).find_map(|pair| {
                            pair.strip_prefix(name)?
                                .strip_prefix('=')?
                                .parse::<usize>()
                                .ok()
                        })
                    };
                    let offset = query_value("nextToken").unwrap_or(0);
                    let page = query_value("maxResults").unwrap_or(20);
                    let body = page_body(offset, page, total);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                    buffer.copy_within(end + 4..filled, 0);
                    filled -= end + 4;
                }
            }
        });
    }
}

/// Starts the server on a thread of its own; returns its base URL.
fn start_server(total: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            serve(TcpListener::from_std(listener).unwrap(), total).await;
        });
    });
    format!("http://{address}")
}

fn verdict(rate: f64, peak: usize) -> &'static str {
    if rate >= BUDGET_PER_SECOND && peak < BUDGET_BYTES {
        "within budget"
    } else {
        "OVER BUDGET"
    }
}

fn library(base: &str, total: usize, page: usize) -> bool {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let context = ClientContext::new(StaticCredentials(AccessToken::new("at-bench")));
    let client = Client::from_endpoint(&Endpoint::url(base).unwrap(), context).unwrap();
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let (count, last) = runtime.block_on(async {
        let mut tokens = client
            .list_authentication_tokens()
            .instance_id("idaas_ue2jvisn35ea5lmthk267xxxxx")
            .consumer_id("test_jwt_subject")
            .credential_provider_identifier("test_example_identifier")
            .max_results(page as i64)
            .stream();
        let (mut count, mut last) = (0usize, None);
        while let Some(token) = tokens.try_next().await.unwrap() {
            count += 1;
            last = token.authentication_token_id;
        }
        (count, last)
    });
    let elapsed = started.elapsed();
    assert_eq!(count, total);
    assert_eq!(last, Some(format!("atntkn_{:026}", total - 1)));
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let rate = count as f64 / elapsed.as_secs_f64();
    println!(
        "library .stream(): {count} entities in {:.3} s = {rate:.0} per second; peak heap above the start {:.2} MiB: {}",
        elapsed.as_secs_f64(),
        peak as f64 / 1048576.0,
        verdict(rate, peak)
    );
    verdict(rate, peak) == "within budget"
}

/// Runs idtok with `--all`, stdout counted by this process; returns its wall time and peak RSS.
// The child is waited for by wait4 (for its rusage), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn cli(base: &str, total: usize, page: usize) -> bool {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_idtok"))
        .args([
            "--endpoint",
            base,
            "eiam-developerapi",
            "list-authentication-tokens",
            "--instance-id",
            "idaas_ue2jvisn35ea5lmthk267xxxxx",
            "--consumer-id",
            "test_jwt_subject",
            "--credential-provider-identifier",
            "test_example_identifier",
            "--max-results",
            &page.to_string(),
            "--all",
        ])
        .env("IDAAS_ACCESS_TOKEN", "at-bench")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut lines = 0usize;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut stdout, &mut chunk).unwrap();
        if n == 0 {
            break;
        }
        lines += chunk[..n].iter().filter(|&&b| b == b'\n').count();
    }
    let (status, max_rss_kib) = wait_with_rusage(child.id() as libc::pid_t);
    let elapsed = started.elapsed();
    assert!(status == 0, "idtok exited with status {status}");
    assert_eq!(lines, total);
    let peak = max_rss_kib * 1024;
    let rate = lines as f64 / elapsed.as_secs_f64();
    println!(
        "idtok --all: {lines} JSON lines in {:.3} s = {rate:.0} per second (process start included); peak resident set {:.2} MiB: {}",
        elapsed.as_secs_f64(),
        peak as f64 / 1048576.0,
        verdict(rate, peak)
    );
    verdict(rate, peak) == "within budget"
}

/// The child's exit status and peak resident set in KiB, from wait4's rusage.
fn wait_with_rusage(pid: libc::pid_t) -> (i32, usize) {
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage.ru_maxrss as usize)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing to run.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let total = setting("LIST_ALL_ENTITIES", 100_000);
    let page = setting("LIST_ALL_PAGE", 100);
    let base = start_server(total);
    println!("{total} entities, {page} per page, from {base}");
    let within = library(&base, total, page) & cli(&base, total, page);
    if !within {
        std::process::exit(1);
    }
}
