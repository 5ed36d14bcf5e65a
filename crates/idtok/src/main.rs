//! `idtok`: the generated clients from the command line.
//!
//! ```text
//! idtok [--region <id> | --endpoint <url>] [--max-attempts <n>] [--timeout <s>] [--attempt-timeout <s>]
//!       <family> <operation> --<parameter> <value> ...
//! ```
//!
//! All of it is in the library (`src/lib.rs`), where the tests in `tests/` reach its pieces.

fn main() -> std::process::ExitCode {
    idtok::main()
}
