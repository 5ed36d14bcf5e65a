//! The client's integration tests, one module per file: one test binary, linked once (the
//! `[[test]]` in Cargo.toml; a new file here needs its `mod` line, which xtask's tests check).

mod support;

mod access_token_provider;
mod credentials_alibaba;
mod credentials_huawei;
mod failures;
mod hostile_responses;
mod pagination;
mod pagination_eiam;
mod pagination_identitystore;
mod secret_hygiene;
mod wire;
mod wire_lifecycle;
