//! The code generator behind `cargo xtask gen`, as a library so tests can run it in memory.
//!
//! `openapi/*.yaml` --(limits: what the generator needs, located)--> typify (model crates) and
//! progenitor (client modules) --> prettyplease + rustfmt --> `crates/*/src/**/generated.rs`.

pub mod client;
pub mod codegen;
pub mod commands;
pub mod document;
pub mod families;
pub mod json_schema;
pub mod limits;
pub mod lint;
pub mod models;
pub mod publish;
pub mod reference_html;
pub mod rustfmt;
pub mod schema_check;
pub mod spec_diff;
pub mod surface;
pub mod yaml_writer;

use std::path::PathBuf;

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace")
        .to_path_buf()
}
