//! What can go wrong in the hook's steps, as types: each message names the file or the step.

use std::path::PathBuf;

use crate::glue::GlueError;

/// A step of the hook failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A variable Trunk sets for its hooks is missing.
    #[error("{0} is not set: the hook runs as Trunk's post_build hook (see Trunk.toml)")]
    NotInTrunkHook(&'static str),
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// What was read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// What was written.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// A step failed on one file of the build.
    #[error("{}: {source}", path.display())]
    In {
        /// The file the step worked on.
        path: PathBuf,
        /// What went wrong.
        source: Box<Error>,
    },
    /// wasm-bindgen's glue is not shaped as the steps expect.
    #[error(transparent)]
    Glue(#[from] GlueError),
    /// An external tool could not be run, or failed.
    #[error("{0}")]
    Tool(String),
    /// The build is not one glue with its module beside it.
    #[error(
        "the build has {glues} JavaScript glue and {modules} wasm modules; the post-build finishes exactly one glue `name.js` with its `name_bg.wasm`"
    )]
    NotOnePair {
        /// `.js` files in the build.
        glues: usize,
        /// `.wasm` files in the build.
        modules: usize,
    },
    /// The wasm module could not be parsed, or is not the module expected.
    #[error("cannot read the wasm module: {0}")]
    Module(String),
}

impl Error {
    /// Says which file this error happened on.
    pub fn in_file(self, path: impl Into<PathBuf>) -> Self {
        Self::In {
            path: path.into(),
            source: Box::new(self),
        }
    }
}

/// The hook's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
