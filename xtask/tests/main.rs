//! xtask's integration tests, one module per file: one test binary, linked once (the `[[test]]`
//! in Cargo.toml; a new file here needs its `mod` line, which `test_layout` checks).

mod adding_an_operation;
mod generated_code;
mod lint;
mod package_mode;
mod packaging;
mod publish;
mod reference_html;
mod regions;
mod rehearse;
mod spec_diff;
mod test_layout;
mod version_check;
