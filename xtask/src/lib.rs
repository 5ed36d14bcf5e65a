//! The code generator behind `cargo xtask gen`, as a library so tests can run it in memory.
//!
//! `openapi/` (each document bundled from its parts) --(limits: what the generator needs, located)--> typify (model crates) and
//! progenitor (client modules) --> prettyplease + rustfmt --> `crates/*/src/**/generated.rs`.

pub mod commands;
pub mod diff;
pub mod document;
pub mod extensions;
pub mod families;
pub mod gen;
pub mod lint;
pub mod operations;
pub mod package_mode;
pub mod parallel;
pub mod publish;
pub mod rehearse;
pub mod version_check;
pub mod wire;

use std::path::PathBuf;

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the workspace")
        .to_path_buf()
}

/// Variables that would point git at another repository than the one holding `root` (a git
/// hook that runs `cargo xtask diff` or `publish` sets some).
const GIT_LOCATIONS: [&str; 6] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
];

/// `git -C root args...`, for the repository that holds `root` whatever the environment says.
pub fn git(root: &std::path::Path, args: &[&str]) -> Result<std::process::Output, String> {
    let mut git = std::process::Command::new("git");
    for variable in GIT_LOCATIONS {
        git.env_remove(variable);
    }
    git.arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}
