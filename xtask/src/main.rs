//! Project tooling, in Rust:
//! - `cargo xtask size [DIST]` prints what a first visit downloads (raw, gzip and brotli bytes
//!   per file) and fails when the brotli total is over budget;
//! - `cargo xtask post-build` finishes a release build in Trunk's staging directory; Trunk's
//!   `post_build` hook (the `hook` crate, see Trunk.toml) runs it for a release build;
//! - `cargo xtask npm-package DIR…` finishes the npm packages wasm-pack built from
//!   `greetings/` (the pinned wasm-opt), checks what `npm pack` would publish, and prints each
//!   module's size;
//! - `cargo xtask glue-fixture` refreshes the real wasm-bindgen glue the post-build steps
//!   are tested on (after a wasm-bindgen upgrade, or a change to what the app imports); with
//!   `--check`, fails if the fixture is not what it would write today.

mod compress;
mod content_names;
mod csp;
mod error;
mod glue_fixture;
mod interface;
mod module_request;
mod npm_package;
mod post_build;
mod prerender;
#[cfg(test)]
mod reprint;
mod size;
#[cfg(test)]
mod test_module;
mod tree_shake;
mod versions;
mod wasm_opt;

use std::path::PathBuf;
use std::process::ExitCode;

use error::{Error, Result};
use hook::{fs, glue, raw_module};

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
        ["npm-package", dirs @ ..] if !dirs.is_empty() => {
            npm_package::run(&dirs.iter().map(PathBuf::from).collect::<Vec<_>>())
        }
        ["glue-fixture"] => glue_fixture::regenerate(glue_fixture::Mode::Write),
        ["glue-fixture", "--check"] => glue_fixture::regenerate(glue_fixture::Mode::Check),
        _ => Err(Error::Usage),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Finishes a release build in Trunk's staging directory, from the variables Trunk sets for
/// hooks. Trunk runs the `hook` crate, which hands a release build here and finishes a debug
/// build itself (`hook::debug_build`), as it does here if asked.
fn post_build_from_trunk() -> Result<()> {
    let variable = |name: &'static str| {
        std::env::var_os(name).ok_or(Error::Hook(hook::Error::NotInTrunkHook(name)))
    };
    let staging = PathBuf::from(variable("TRUNK_STAGING_DIR")?);
    if variable("TRUNK_PROFILE")? != "release" {
        return Ok(hook::debug_build::finish(&staging)?);
    }
    let page = PathBuf::from(variable("TRUNK_HTML_FILE")?);
    let wasm_opt = wasm_opt::WasmOpt::from_page(&fs::read_text(&page)?)
        .map_err(|e| Error::from(e).in_file(&page))?;
    post_build::run(&staging, wasm_opt.as_ref())
}
