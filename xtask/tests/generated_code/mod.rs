//! Does the generated code agree with the documents in `openapi/`?
//!
//! - `regenerate`: generating in memory gives exactly the checked-in files; `gen --check` and a
//!   broken document behave as documented.
//! - `surface`: insta snapshots of each generated crate's public surface.
//! - `schemars_check`: each Rust type's JSON Schema says what its component schema says.
//! - `examples`: the vendor pages' JSON examples, and every example in the documents, go through
//!   their types and come back equal.
//! - `secrets`: no type that holds a secret prints it in `Debug`.

mod examples;
mod model_types;
mod regenerate;
mod schemars_check;
mod secrets;
mod support;
mod surface;
