//! The article's first example, built beside the app: the `raw` crate compiled to a bare
//! WebAssembly module (no wasm-bindgen, no glue), its custom sections and the linker's extra
//! exports removed, so it is exactly the interface the article shows: `double_it` and
//! `memory` exported, `env.add_integers` imported. The build is refused if it is anything
//! else. It is written to the site as `raw.wasm`, where the page's "Under the hood" links it
//! (and fetches it when first opened); like every cached file it is then named after its
//! bytes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::fs::{read, tool_output, write};

/// Its name in the site, as the page links it before the renaming.
pub const FILE: &str = contract::RAW_MODULE_FILE;

/// What the module exports and imports, as `(kind, name)`: the article's interface.
pub const EXPORTS: [(&str, &str); 2] = [("function", "double_it"), ("memory", "memory")];

/// What the module imports, as `(module, name, kind)`.
pub const IMPORTS: [(&str, &str, &str); 1] = [("env", "add_integers", "function")];

/// Whether `path` is the raw module, before or after it is named after its bytes.
pub fn is_raw_module(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name == FILE || (name.starts_with("raw-") && name.ends_with(".wasm"))
}

/// Builds the raw module and writes it to `staging` as [`FILE`].
pub fn build_into(staging: &Path) -> Result<()> {
    write(&staging.join(FILE), &build()?)
}

/// Compiles the `raw` crate for the browser (the workspace's release profile) and returns
/// the finished module's bytes.
pub fn build() -> Result<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    tool_output(Command::new(env!("CARGO")).current_dir(&root).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "raw",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let built = target_dir(&root)
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("raw.wasm");
    finish(&read(&built)?).map_err(|error| error.in_file(&built))
}

/// Where cargo puts what it builds.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// The module without custom sections (names, producers, target features) and without the
/// exports the linker adds (`__data_end`, `__heap_base`), checked against the article's
/// interface.
pub fn finish(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut module = walrus::ModuleConfig::new()
        .generate_name_section(false)
        .generate_producers_section(false)
        .parse(bytes)
        .map_err(|error| Error::Module(error.to_string()))?;
    let customs: Vec<_> = module.customs.iter().map(|(id, _)| id).collect();
    for id in customs {
        module.customs.delete(id);
    }
    let extra: Vec<_> = module
        .exports
        .iter()
        .filter(|export| !EXPORTS.iter().any(|(_, name)| *name == export.name))
        .map(|export| export.id())
        .collect();
    for id in extra {
        module.exports.delete(id);
    }
    walrus::passes::gc::run(&mut module);
    let mut exports: Vec<(&str, &str)> = module
        .exports
        .iter()
        .map(|export| (kind(&export.item), export.name.as_str()))
        .collect();
    exports.sort_unstable();
    let imports: Vec<(&str, &str, &str)> = module
        .imports
        .iter()
        .map(|import| {
            let kind = match import.kind {
                walrus::ImportKind::Function(_) => "function",
                walrus::ImportKind::Memory(_) => "memory",
                walrus::ImportKind::Table(_) => "table",
                walrus::ImportKind::Global(_) => "global",
                walrus::ImportKind::Tag(_) => "tag",
            };
            (import.module.as_str(), import.name.as_str(), kind)
        })
        .collect();
    if exports != EXPORTS || imports != IMPORTS {
        return Err(Error::Module(format!(
            "the raw module should export {EXPORTS:?} and import {IMPORTS:?}; it exports {exports:?} and imports {imports:?}"
        )));
    }
    Ok(module.emit_wasm())
}

fn kind(item: &walrus::ExportItem) -> &'static str {
    match item {
        walrus::ExportItem::Function(_) => "function",
        walrus::ExportItem::Memory(_) => "memory",
        walrus::ExportItem::Table(_) => "table",
        walrus::ExportItem::Global(_) => "global",
        walrus::ExportItem::Tag(_) => "tag",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raw_module_is_the_articles_first_example_in_a_few_hundred_bytes() {
        let bytes = build().unwrap();
        assert!(bytes.starts_with(b"\0asm"), "a wasm module");
        assert!(bytes.len() < 300, "{} bytes", bytes.len());
        // Its interface is checked as it is finished: build() would have failed.
        let module = walrus::Module::from_buffer(&bytes).unwrap();
        assert_eq!(module.customs.iter().count(), 0, "no custom sections");
        assert_eq!(
            module
                .funcs
                .iter()
                .filter(|f| matches!(f.kind, walrus::FunctionKind::Local(_)))
                .count(),
            1
        );
    }

    #[test]
    fn the_raw_module_is_known_by_either_name_and_nothing_else_is() {
        assert!(is_raw_module(Path::new("dist/raw.wasm")));
        assert!(is_raw_module(Path::new("dist/raw-640a31c1ff1109fa.wasm")));
        assert!(!is_raw_module(Path::new(
            "dist/hello-wasm-640a31c1ff1109fa_bg.wasm"
        )));
        assert!(!is_raw_module(Path::new("dist/raw-notes.txt")));
    }

    #[test]
    fn a_module_with_another_interface_is_refused() {
        let mut module = walrus::Module::default();
        let memory = module.memories.add_local(false, false, 1, None, None);
        module.exports.add("memory", memory);
        let error = finish(&module.emit_wasm()).unwrap_err().to_string();
        assert!(error.contains("should export"), "{error}");
    }
}
