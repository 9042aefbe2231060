//! Project tooling, in Rust: `cargo xtask size [DIST]` prints what a first visit downloads
//! (raw, gzip and brotli bytes per file) and fails when the brotli total is over budget.

mod size;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask size [DIST_DIR]";

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
