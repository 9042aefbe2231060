//! What can go wrong in xtask, as types: each message names the file or the step, and says
//! what to do where there is something to do.

use std::path::PathBuf;

use crate::csp::CspError;
use crate::glue::GlueError;
use crate::prerender::PrerenderError;
use crate::wasm_opt::WasmOptError;

/// Any xtask failure. `main` prints it and exits non-zero.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line was not one xtask understands.
    #[error(
        "usage: cargo xtask size [DIST_DIR] | cargo xtask post-build | cargo xtask glue-fixture [--check] | cargo xtask npm-package PACKAGE_DIR..."
    )]
    Usage,
    /// A step shared with the debug build failed, or a file could not be read or written.
    #[error(transparent)]
    Hook(#[from] hook::Error),
    /// A step failed on one file of the build.
    #[error("{}: {source}", path.display())]
    In {
        /// The file the step worked on.
        path: PathBuf,
        /// What went wrong.
        source: Box<Error>,
    },
    /// wasm-bindgen's glue is not shaped as the post-build expects.
    #[error(transparent)]
    Glue(#[from] GlueError),
    /// The page cannot get its Content-Security-Policy.
    #[error(transparent)]
    Csp(#[from] CspError),
    /// The page cannot take the build-time view.
    #[error(transparent)]
    Prerender(#[from] PrerenderError),
    /// wasm-opt could not be run as Trunk ran it.
    #[error(transparent)]
    WasmOpt(#[from] WasmOptError),
    /// A file the deploy configuration caches for a year is not named after its own bytes.
    #[error(
        "{} is served `immutable` (deploy/hello-wasm.conf) but its name is not the hash of its bytes: returning visitors would keep an old file under it",
        .0.display()
    )]
    NotContentAddressed(PathBuf),
    /// The page cannot be read or rewritten (a file to rename is not referenced by it, say).
    #[error(transparent)]
    Page(#[from] page::PageError),
    /// The glue fixture is not what wasm-bindgen writes for the app today.
    #[error(
        "{} is not what wasm-bindgen writes for the app today: refresh it with `cargo xtask glue-fixture` and check that the post-build tests pass on it",
        .0.display()
    )]
    StaleFixture(PathBuf),
    /// A JS file does not parse, so it cannot be minified.
    #[error("cannot minify: it does not parse as a JavaScript module: {0}")]
    Minify(String),
    /// The page does not reference a file by the hash the post-build is about to change.
    #[error("index.html has no integrity attribute {0}")]
    NoIntegrity(String),
    /// The directory to measure holds no release build.
    #[error("{}: {what}. Build first: trunk build --release", dist.display())]
    NoBuild {
        /// The directory measured.
        dist: PathBuf,
        /// What is missing.
        what: &'static str,
    },
    /// A directory given as an npm package is not one wasm-pack wrote.
    #[error("{}: {modules} wasm modules; a package wasm-pack built has one, `name_bg.wasm`", dir.display())]
    NotAPackage {
        /// The directory.
        dir: PathBuf,
        /// How many `.wasm` files it holds.
        modules: usize,
    },
    /// wasm-pack's `package.json` is not what it writes.
    #[error("cannot add the module's declarations to package.json: {0}")]
    Manifest(String),
    /// `npm pack --dry-run --json` printed something else than one package's listing.
    #[error("cannot read what npm pack would publish: {0}")]
    PackListing(String),
    /// The package would publish other files than its own.
    #[error(
        "npm pack would publish {extra:?} too, and not {missing:?}: the package must hold package.json, README.md, the .js, the _bg.wasm and the two .d.ts, nothing else"
    )]
    PackedFiles {
        /// Listed, but not the package's.
        extra: Vec<String>,
        /// The package's, but not listed.
        missing: Vec<String>,
    },
    /// The first load is over the size budget.
    #[error("first load is {total} bytes brotli, {} over the budget of {budget}", total - budget)]
    OverBudget {
        /// Brotli bytes of the first load.
        total: u64,
        /// The budget in brotli bytes.
        budget: u64,
    },
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

/// xtask's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
