//! Trunk's post_build hook (see Trunk.toml). A debug build, what `trunk serve` rebuilds on
//! every edit, is finished here (see `hook::debug_build`); a release build is handed to
//! `cargo xtask post-build`, which renders the first view from the app and so must be built
//! with it.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use hook::{Error, Result};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("post-build: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let variable = |name: &'static str| std::env::var_os(name).ok_or(Error::NotInTrunkHook(name));
    if variable("TRUNK_PROFILE")? == "release" {
        return release();
    }
    let staging = PathBuf::from(variable("TRUNK_STAGING_DIR")?);
    hook::debug_build::finish(&staging)?;
    println!("post-build: a debug build, given the names file and the raw module");
    Ok(ExitCode::SUCCESS)
}

/// Runs `cargo xtask post-build` with Trunk's variables, as Trunk would have.
fn release() -> Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["xtask", "post-build"]);
    let status = command
        .status()
        .map_err(|error| Error::Tool(format!("cannot run {command:?}: {error}")))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
