//! `cargo xtask gen [--check]`: the generated code, from the documents.

pub mod cache;
pub mod cli_examples;
pub mod cli_hooks;
pub mod client;
pub mod client_docs;
pub mod codegen;
pub mod examples;
pub mod json_schema;
pub mod models;
pub mod paginators;
pub mod readme;
pub mod regions;
pub mod rewrite;
pub mod rustfmt;
pub mod schema_check;
pub mod surface;
