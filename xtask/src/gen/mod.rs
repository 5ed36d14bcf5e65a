//! `cargo xtask gen [--check]`: the generated code, from the documents.

pub mod regions;
