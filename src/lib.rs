//! hello-wasm: a greeting app written entirely in Rust.
pub mod graphemes;
pub mod greeting;
