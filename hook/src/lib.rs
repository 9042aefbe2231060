//! What Trunk's post_build hook does to a debug build, and what the release build's
//! post-build (`xtask`) shares with it: wasm-bindgen's glue read from its syntax tree
//! ([`glue`]), what each import binds ([`import_groups`]), the names file that "Under the
//! hood" reads ([`names_file`]), and the article's raw module ([`raw_module`]).
//!
//! Nothing here depends on the app's code, so an edit to the app rebuilds the app alone: the
//! hook that finishes every debug build of `trunk serve` is compiled once.

pub mod debug_build;
pub mod error;
pub mod fs;
pub mod glue;
pub mod import_groups;
pub mod names_file;
pub mod raw_module;

pub use error::{Error, Result};
