//! The web root the suite serves: the release build at `/`, and the same app built with
//! `--public-url /apps/hello/` at `/apps/hello/`, laid out as a person would deploy them.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::{Error, temp_dir};

/// The sub-path the second build is deployed under.
pub const SUB_PATH: &str = "/apps/hello/";

/// Where the two builds are, from `HELLO_DIST` and `HELLO_DIST_SUBPATH` (set by `./dev test`).
/// A relative path is taken from the repository's top level, where the README's commands run
/// (cargo runs tests in the package's own directory).
pub fn builds_from_env() -> Result<(PathBuf, PathBuf), Error> {
    let top_level = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let get = |name: &str| {
        std::env::var_os(name)
            .map(|path| top_level.join(path))
            .ok_or_else(|| {
                format!("{name} is not set: run the end-to-end tests through ./dev test, which builds the site first")
            })
    };
    Ok((get("HELLO_DIST")?, get("HELLO_DIST_SUBPATH")?))
}

/// Copies the root build and the sub-path build into a fresh web root.
pub fn lay_out(root_build: &Path, sub_path_build: &Path) -> Result<TempDir, Error> {
    let www = temp_dir("hello-wasm-www")?;
    copy_dir(root_build, www.path())?;
    copy_dir(sub_path_build, &www.path().join(SUB_PATH.trim_matches('/')))?;
    Ok(www)
}

/// Copies the files directly in a build directory into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), Error> {
    if !from.join("index.html").is_file() {
        return Err(format!(
            "{} holds no index.html: is it a release build?",
            from.display()
        )
        .into());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
