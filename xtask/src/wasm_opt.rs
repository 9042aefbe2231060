//! Runs wasm-opt again, as Trunk ran it, once the post-build has dropped the unused exports:
//! the optimizer can then inline and fold what those exports kept alive (about 500 bytes
//! brotli). Trunk's settings stay the single source: the level and parameters are read from
//! the `data-wasm-opt` attributes of the page Trunk built, and the `wasm-opt` is the one
//! Trunk found on `PATH`.

use std::path::Path;
use std::process::Command;

/// How Trunk runs wasm-opt for the page: `-O{level}` and the extra parameters.
#[derive(Debug, PartialEq)]
pub struct WasmOpt {
    level: String,
    params: Vec<String>,
}

impl WasmOpt {
    /// Reads `data-wasm-opt` and `data-wasm-opt-params` from the page's source; `None` when
    /// the page does not set a level, or turns wasm-opt off.
    pub fn from_page(html: &str) -> Option<Self> {
        let level = attribute(html, "data-wasm-opt")?;
        if level == "0" || level == "off" {
            return None;
        }
        let params = attribute(html, "data-wasm-opt-params")
            .map(|params| params.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Some(Self { level, params })
    }

    /// Optimizes the module at `path` in place.
    pub fn run(&self, path: &Path) -> Result<(), String> {
        let status = Command::new("wasm-opt")
            .arg(format!("-O{}", self.level))
            .args(&self.params)
            .arg(path)
            .arg("-o")
            .arg(path)
            .status()
            .map_err(|error| format!("cannot run wasm-opt (Trunk found it on PATH): {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("wasm-opt failed on {}: {status}", path.display()))
        }
    }
}

/// The value of the first `name="…"` attribute in `html`.
fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("{name}=\""))? + name.len() + 2;
    let length = html[start..].find('"')?;
    Some(html[start..start + length].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_level_and_parameters_trunk_uses() {
        let page = r#"<link data-trunk rel="rust" data-wasm-opt="z" data-wasm-opt-params="--enable-bulk-memory  --low-memory-unused">"#;
        assert_eq!(
            WasmOpt::from_page(page),
            Some(WasmOpt {
                level: "z".into(),
                params: vec!["--enable-bulk-memory".into(), "--low-memory-unused".into()],
            })
        );
        let no_params = r#"<link data-trunk rel="rust" data-wasm-opt="s">"#;
        assert_eq!(
            WasmOpt::from_page(no_params).map(|opt| opt.params.len()),
            Some(0)
        );
    }

    #[test]
    fn a_page_without_wasm_opt_is_not_optimized_again() {
        assert_eq!(WasmOpt::from_page(r#"<link data-trunk rel="rust">"#), None);
        assert_eq!(
            WasmOpt::from_page(r#"<link data-trunk rel="rust" data-wasm-opt="0">"#),
            None
        );
    }

    #[test]
    fn the_site_page_asks_for_size_optimization() {
        let page = include_str!("../../index.html");
        let opt = WasmOpt::from_page(page).expect("index.html runs wasm-opt");
        assert_eq!(opt.level, "z");
    }
}
