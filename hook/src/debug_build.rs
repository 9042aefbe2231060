//! Finishes a debug build, what `trunk serve` shows, in Trunk's staging directory: the names
//! file beside the module, and the raw module. The page keeps index.html's placeholder, which
//! the app replaces (its first view is rendered at build time for a release build only: it
//! needs the app built for the host, which would rebuild on every edit). The rest is left as
//! Trunk wrote it: the page has Trunk's live-reload script, and it is never deployed.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fs::{files_with_extension, read, read_text, write};
use crate::names_file::{Interface, debug_names_file};
use crate::raw_module;

/// Writes the names file beside the module, then the raw module.
pub fn finish(staging: &Path) -> Result<()> {
    let (glue_path, module_path) = glue_and_module(staging)?;
    let interface = Interface::of(&read(&module_path)?)
        .map_err(|error| Error::Module(error.to_string()).in_file(&module_path))?;
    let names = debug_names_file(&interface, &read_text(&glue_path)?)
        .map_err(|error| Error::from(error).in_file(&glue_path))?;
    write(&names_file_beside(&module_path), names.as_bytes())?;
    raw_module::build_into(staging)
}

/// The names file of the module at `module`: `name_bg.wasm.names`.
pub fn names_file_beside(module: &Path) -> PathBuf {
    let mut path = module.as_os_str().to_owned();
    path.push(".names");
    PathBuf::from(path)
}

/// The build's one glue and the module it loads. Anything else is not the build these steps
/// know, and finishing part of it would ship a page that half works.
pub fn glue_and_module(staging: &Path) -> Result<(PathBuf, PathBuf)> {
    let glues = files_with_extension(staging, "js")?;
    let modules = files_with_extension(staging, "wasm")?;
    match (&glues[..], &modules[..]) {
        ([glue], [module]) if *module == module_beside(glue) => Ok((glue.clone(), module.clone())),
        _ => Err(Error::NotOnePair {
            glues: glues.len(),
            modules: modules.len(),
        }),
    }
}

/// The wasm module that the glue at `js_path` loads: `name.js` loads `name_bg.wasm`.
fn module_beside(js_path: &Path) -> PathBuf {
    js_path.with_file_name(format!(
        "{}_bg.wasm",
        js_path.file_stem().unwrap_or_default().to_string_lossy()
    ))
}
