//! The crate's tests, as one binary. They live here rather than beside the code so that
//! `cargo test` does not compile the generated models a second time as a test harness (the
//! library says `test = false`).

mod epoch_millis;
