//! `idtok`'s integration tests, one module per file: one test binary, linked once (the
//! `[[test]]` in Cargo.toml; a new file here needs its `mod` line, which xtask's tests check).

mod cli;
mod cli_habits;
mod credentials;
mod every_operation;
mod help_and_failures;
mod scripts;
mod units;
