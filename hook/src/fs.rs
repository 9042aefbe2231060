//! File helpers shared by the hook and the xtask commands, with errors that name the file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Reads a file's bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// Reads a UTF-8 file.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// Writes a file, replacing it.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

/// Every file under `dir`, in every subdirectory (wasm-bindgen writes `snippets/`), sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let unreadable = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else if path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The files under `dir` (see [`files_under`]) whose name ends with `.{extension}`, sorted.
pub fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    Ok(files_under(dir)?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == extension))
        .collect())
}

/// Runs `command` and returns what it printed, or an error with what it said on failure.
pub fn tool_output(command: &mut std::process::Command) -> Result<String> {
    let output = command
        .output()
        .map_err(|error| Error::Tool(format!("cannot run {command:?}: {error}")))?;
    if !output.status.success() {
        return Err(Error::Tool(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
