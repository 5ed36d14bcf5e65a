//! One signature per scheme for a realistic request: the target is at most 5 µs each, so that
//! signing never shows next to a network round trip.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use idtok_runtime::signing::{acs3, sdk_hmac, EMPTY_PAYLOAD_SHA256};

// Made-up credentials of the real shapes (24 + 30 characters; 20 + 40 characters).
const ALIBABA_ACCESS_KEY_ID: &str = "LTAI5tExampleAccessKeyId";
const ALIBABA_ACCESS_KEY_SECRET: &str = "ExampleAccessKeySecret00000000";
const HUAWEI_AK: &str = "HPUAEXAMPLEAK0000000";
const HUAWEI_SK: &str = "ExampleSecretKey000000000000000000000000";

fn acs3_list_application_tokens(c: &mut Criterion) {
    let query = [
        ("InstanceId", "idaas_ue2jvisn35ea5lmthk267xxxxx"),
        ("ApplicationId", "app_mkv7rgt4d7i4u7zqtzev2mxxxx"),
        ("ApplicationTokenType", "api_invoke"),
    ];
    let headers = [
        ("host", "eiam.cn-hangzhou.aliyuncs.com"),
        ("x-acs-action", "ListApplicationTokens"),
        ("x-acs-version", "2021-12-01"),
        ("x-acs-date", "2025-08-04T03:24:51Z"),
        ("x-acs-signature-nonce", "6a8c1f2e4b7d9035a1c3e5f7092b4d6f"),
        ("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
    ];
    let request = acs3::Acs3Request {
        method: "POST",
        canonical_uri: "/",
        query: &query,
        headers: &headers,
        hashed_payload: EMPTY_PAYLOAD_SHA256,
    };
    c.bench_function("acs3 sign (ListApplicationTokens)", |b| {
        b.iter(|| {
            acs3::sign(
                black_box(ALIBABA_ACCESS_KEY_ID),
                black_box(ALIBABA_ACCESS_KEY_SECRET),
                black_box(&request),
            )
        })
    });
}

fn sdk_hmac_list_bearer_tokens(c: &mut Criterion) {
    let headers = [
        ("Content-Type", "application/json"),
        ("Host", "identitystore.cn-north-4.myhuaweicloud.com"),
        ("X-Sdk-Date", "20250804T032451Z"),
        // A temporary credential's token is long: about 1.3 KB of base64-like text in practice.
        (
            "X-Security-Token",
            &"gQ5jbi1ub3J0aC00iRx-SecurityTokenExample".repeat(32),
        ),
    ];
    let request = sdk_hmac::SdkHmacRequest {
        method: "GET",
        path: "/v1/identity-stores/d-1234567890abcdef1234567890abcdef/tenant/8e1e3b5c9a7f4d2e8c6b0a1f3d5e7c9b/bearer-token",
        query: &[],
        headers: &headers,
        hashed_payload: EMPTY_PAYLOAD_SHA256,
        sdk_date: "20250804T032451Z",
    };
    c.bench_function("sdk-hmac sign (ListBearerTokens)", |b| {
        b.iter(|| {
            sdk_hmac::sign(
                black_box(HUAWEI_AK),
                black_box(HUAWEI_SK),
                black_box(&request),
            )
        })
    });
}

criterion_group!(
    benches,
    acs3_list_application_tokens,
    sdk_hmac_list_bearer_tokens
);
criterion_main!(benches);
