//! What the component tests (`tests/web.rs`, in the browser, where nothing can be built) take
//! from the build, written by `cargo xtask component-fixtures`: the first view the page
//! carries, which they bring to life as the page does, and the raw module the page links.
//! Host tests fail while either is not what the build writes today.

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::fs::write;
use crate::{prerender, raw_module};

/// The first view, as `tests/web.rs` includes it.
const FIRST_VIEW: &str = "tests/first_view.html";

/// The raw module, as `tests/web.rs` includes it.
const RAW_MODULE: &str = "tests/raw.wasm";

fn at(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file)
}

/// Writes both fixtures.
pub fn write_all() -> Result<()> {
    write(
        &at(FIRST_VIEW),
        format!("{}\n", prerender::first_view()?).as_bytes(),
    )?;
    Ok(write(&at(RAW_MODULE), &raw_module::build()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STALE: &str = "is not what the build writes: run `cargo xtask component-fixtures`";

    #[test]
    fn the_component_tests_bring_the_builds_first_view_to_life() {
        let fixture = std::fs::read_to_string(at(FIRST_VIEW)).unwrap();
        assert_eq!(
            fixture.trim_end(),
            prerender::first_view().unwrap(),
            "{FIRST_VIEW} {STALE}"
        );
    }

    #[test]
    fn the_raw_module_is_written_under_the_name_the_page_links() {
        assert_eq!(hello_wasm::raw_module::FILE, raw_module::FILE);
    }

    #[test]
    fn the_component_tests_instantiate_the_builds_raw_module() {
        let fixture = std::fs::read(at(RAW_MODULE)).unwrap();
        assert!(
            fixture == raw_module::build().unwrap(),
            "{RAW_MODULE} {STALE}"
        );
    }
}
