//! Project tooling, in Rust:
//! - `cargo xtask size [DIST]` prints what a first visit downloads (raw, gzip and brotli bytes
//!   per file) and fails when the brotli total is over budget;
//! - `cargo xtask post-build` is Trunk's `post_build` hook (see Trunk.toml): it finishes a
//!   release build in Trunk's staging directory.

mod compress;
mod csp;
mod fs;
mod interface;
mod post_build;
mod size;
mod tree_shake;
mod wasm_opt;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask size [DIST_DIR] | cargo xtask post-build";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["size"] => size::run(&PathBuf::from("dist")),
        ["size", dist] => size::run(&PathBuf::from(dist)),
        ["post-build"] => post_build_from_trunk(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the staging directory and profile from the variables Trunk sets for hooks.
fn post_build_from_trunk() -> Result<(), String> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .ok_or("TRUNK_STAGING_DIR is not set: post-build runs as Trunk's post_build hook")?;
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|profile| profile == "release");
    let page = std::env::var_os("TRUNK_HTML_FILE")
        .ok_or("TRUNK_HTML_FILE is not set: post-build runs as Trunk's post_build hook")?;
    let wasm_opt = wasm_opt::WasmOpt::from_page(&fs::read_text(&PathBuf::from(page))?);
    post_build::run(&PathBuf::from(staging), release, wasm_opt.as_ref())
}
