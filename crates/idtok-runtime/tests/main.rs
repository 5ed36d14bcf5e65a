//! The crate's integration tests, one module per file: one test binary, linked once.

mod signing_encoding;
mod signing_vectors;
