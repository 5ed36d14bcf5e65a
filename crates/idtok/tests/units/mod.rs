//! Tests of the library's pieces, one module per module of `src/`. They live here rather than
//! beside the code so that `cargo test` does not compile the library, generated command tree
//! and all, a second time as a test harness (the library says `test = false`).

mod body_closed;
mod command_line;
mod help;
mod output;
mod secret_input;
mod suggest;
mod values;
mod whoami;
