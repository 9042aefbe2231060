//! Runs wasm-opt again, as Trunk ran it, once the post-build has dropped the unused exports:
//! the optimizer can then fold what those exports kept alive (about 320 bytes brotli, and 220
//! more with `--low-memory-unused`; BENCHMARKS.md). Trunk's settings stay the single source:
//! the level and parameters are read from the `data-wasm-opt` attributes of the page Trunk
//! built, and the `wasm-opt` on `PATH` must be the version `Trunk.toml` pins (which Trunk,
//! offline, has just run).

use std::path::Path;
use std::process::Command;

/// Trunk's link to the crate, which says how to run wasm-opt.
const RUST_LINK: &str = "link[data-trunk][rel=rust]";

/// Why wasm-opt cannot be run again as Trunk ran it.
#[derive(Debug, thiserror::Error)]
pub enum WasmOptError {
    /// The page does not say how to run wasm-opt, so how Trunk ran it is unknown.
    #[error(
        "the page's `rel=\"rust\"` link sets no data-wasm-opt, so the post-build cannot run wasm-opt as Trunk did: set it (index.html uses \"z\"), or \"0\" for none"
    )]
    NoLevel,
    /// The page cannot be parsed.
    #[error(transparent)]
    Page(page::PageError),
    /// `wasm-opt` could not be started.
    #[error("cannot run wasm-opt (Trunk found it on PATH): {0}")]
    Start(std::io::Error),
    /// The `wasm-opt` on `PATH` is not the version `Trunk.toml` pins.
    #[error(
        "the wasm-opt on PATH says {found:?}, not {pinned} as Trunk.toml pins: ./dev installs it into .tools/"
    )]
    WrongVersion {
        /// What `wasm-opt --version` printed.
        found: String,
        /// The version `Trunk.toml` pins.
        pinned: &'static str,
    },
    /// `wasm-opt` ran and failed.
    #[error("wasm-opt failed on {}: {status}", path.display())]
    Failed {
        /// The module.
        path: std::path::PathBuf,
        /// How it exited.
        status: std::process::ExitStatus,
    },
}

/// How Trunk runs wasm-opt for the page: `-O{level}` and the extra parameters.
#[derive(Debug, PartialEq)]
pub struct WasmOpt {
    level: String,
    params: Vec<String>,
}

impl WasmOpt {
    /// Reads `data-wasm-opt` and `data-wasm-opt-params` from the page's source; `None` when
    /// the page turns wasm-opt off. A page that does not set a level is an error: rather
    /// than guess Trunk's default, the page must say.
    pub fn from_page(html: &str) -> Result<Option<Self>, WasmOptError> {
        let attribute = |name| page::attribute(html, RUST_LINK, name).map_err(WasmOptError::Page);
        let level = attribute("data-wasm-opt")?.ok_or(WasmOptError::NoLevel)?;
        if level == "0" || level == "off" {
            return Ok(None);
        }
        let params = attribute("data-wasm-opt-params")?
            .map(|params| params.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(Some(Self { level, params }))
    }

    /// Optimizes the module at `path` in place, with the pinned wasm-opt.
    pub fn run(&self, path: &Path) -> Result<(), WasmOptError> {
        let pinned = crate::versions::trunk_tool("wasm_opt").unwrap_or("a version_ line");
        let version = Command::new("wasm-opt")
            .arg("--version")
            .output()
            .map_err(WasmOptError::Start)?;
        let found = String::from_utf8_lossy(&version.stdout).trim().to_owned();
        if !is_version(&found, pinned) {
            return Err(WasmOptError::WrongVersion { found, pinned });
        }
        let status = Command::new("wasm-opt")
            .arg(format!("-O{}", self.level))
            .args(&self.params)
            .arg(path)
            .arg("-o")
            .arg(path)
            .status()
            .map_err(WasmOptError::Start)?;
        if status.success() {
            Ok(())
        } else {
            Err(WasmOptError::Failed {
                path: path.to_owned(),
                status,
            })
        }
    }
}

/// Whether `wasm-opt --version`'s answer (`wasm-opt version 132 (version_132)`) is `pinned`.
fn is_version(answer: &str, pinned: &str) -> bool {
    answer.ends_with(&format!("({pinned})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_level_and_parameters_trunk_uses() {
        let page = r#"<link data-trunk rel="rust" data-wasm-opt="z" data-wasm-opt-params="--enable-bulk-memory  --low-memory-unused">"#;
        assert_eq!(
            WasmOpt::from_page(page).unwrap(),
            Some(WasmOpt {
                level: "z".into(),
                params: vec!["--enable-bulk-memory".into(), "--low-memory-unused".into()],
            })
        );
        let no_params = r#"<link data-trunk rel="rust" data-wasm-opt="s">"#;
        assert_eq!(
            WasmOpt::from_page(no_params)
                .unwrap()
                .map(|opt| opt.params.len()),
            Some(0)
        );
    }

    #[test]
    fn a_page_that_turns_wasm_opt_off_is_not_optimized_again() {
        for level in ["0", "off"] {
            let page = format!(r#"<link data-trunk rel="rust" data-wasm-opt="{level}">"#);
            assert_eq!(WasmOpt::from_page(&page).unwrap(), None);
        }
    }

    #[test]
    fn a_page_that_does_not_say_is_an_error_not_a_skipped_run() {
        let error = WasmOpt::from_page(r#"<link data-trunk rel="rust">"#).unwrap_err();
        assert!(matches!(error, WasmOptError::NoLevel));
        assert!(error.to_string().contains("data-wasm-opt"), "{error}");
    }

    #[test]
    fn only_the_pinned_version_is_accepted() {
        assert!(is_version(
            "wasm-opt version 132 (version_132)",
            "version_132"
        ));
        assert!(!is_version(
            "wasm-opt version 123 (version_123)",
            "version_132"
        ));
        assert!(!is_version(
            "wasm-opt version 1321 (version_1321)",
            "version_132"
        ));
        assert!(!is_version("", "version_132"));
    }

    #[test]
    fn the_site_page_asks_for_size_optimization() {
        let page = include_str!("../../index.html");
        let opt = WasmOpt::from_page(page)
            .unwrap()
            .expect("index.html runs wasm-opt");
        assert_eq!(opt.level, "z");
    }
}
