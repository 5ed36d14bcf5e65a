//! The contract between the generated mocks (`src/generated/<family>.rs`) and this crate: the
//! functions `cargo xtask gen` makes them call where progenitor's httpmock code would not match
//! what a client sends (see `xtask/src/gen/client.rs`, `mocks`). Nothing else of the crate is
//! called by generated code, and nothing here is for callers.

/// A path segment as the identity store's client sends it: percent-encoded per RFC 3986, the form
/// it signs. Used by the generated mocks.
pub fn path_segment_as_signed(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    idtok_runtime::signing::percent_encode_rfc3986(value, &mut encoded);
    encoded
}

/// Matches an `application/x-www-form-urlencoded` request body (GenerateToken's) exactly as the
/// client writes it, fields and their order. Used by the generated mocks.
pub fn form_body<T: serde::Serialize>(when: httpmock::When, value: &T) -> httpmock::When {
    match serde_urlencoded::to_string(value) {
        Ok(body) => when
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body),
        // A value the client could not send either: match nothing rather than anything.
        Err(_) => when
            .header_missing("content-type")
            .header_exists("content-type"),
    }
}

/// Matches an array or object of an RPC query string flattened as the client sends it
/// (`Name.1=a`, `Name.Key=v`: `idtok_runtime::rpc_query`). Used by the generated mocks.
pub fn flat_query<T: serde::Serialize + ?Sized>(
    when: httpmock::When,
    name: &str,
    value: &T,
) -> httpmock::When {
    match serde_json::to_value(value) {
        Ok(value) => idtok_runtime::rpc_query::flatten(name, &value)
            .into_iter()
            .fold(when, |when, (key, value)| when.query_param(key, value)),
        // A value the client could not send either: match nothing rather than anything.
        Err(_) => when.header_missing("host").header_exists("host"),
    }
}
