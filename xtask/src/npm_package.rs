//! Finishes and checks the npm packages wasm-pack builds from `greetings/` (`cargo xtask
//! npm-package DIR…`, one directory a target): the pinned wasm-opt runs on each module with
//! the app's level and parameters (read from index.html, as the release post-build reads
//! them; the crate turns wasm-pack's own off, which would download binaryen), the module's own
//! declarations are added to what the package publishes (wasm-pack 0.15 writes
//! `name_bg.wasm.d.ts`, the module's exports that a bundler importing the `.wasm` types with,
//! but leaves it out of `package.json`'s `files`), `npm pack --dry-run` must then list exactly
//! the package's six files, and each module's size is printed, raw and brotli.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::compress::brotli;
use crate::error::{Error, Result};
use crate::fs::{files_with_extension, read, read_text, tool_output, write};
use crate::wasm_opt::WasmOpt;

/// What `npm pack --dry-run --json` says of one package.
#[derive(serde::Deserialize)]
struct Packed {
    files: Vec<PackedFile>,
}

#[derive(serde::Deserialize)]
struct PackedFile {
    path: String,
}

/// Finishes, checks and measures each package directory.
pub fn run(dirs: &[PathBuf]) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let wasm_opt = WasmOpt::from_page(&read_text(&root.join("index.html"))?)?;
    for dir in dirs {
        let name = module_name(dir)?;
        let module = dir.join(format!("{name}_bg.wasm"));
        if let Some(wasm_opt) = &wasm_opt {
            wasm_opt.run(&module)?;
        }
        let manifest = dir.join("package.json");
        let published = publish_module_types(&read_text(&manifest)?, &name)
            .map_err(|error| error.in_file(&manifest))?;
        write(&manifest, published.as_bytes())?;
        let json = tool_output(
            Command::new("npm")
                .args(["pack", "--dry-run", "--json"])
                .current_dir(dir),
        )?;
        check_files(&packed_files(&json)?, &name).map_err(|error| error.in_file(dir))?;
        let bytes = read(&module)?;
        println!(
            "{}: {} files as listed; module {} bytes, {} brotli",
            dir.display(),
            expected_files(&name).len(),
            bytes.len(),
            brotli(&bytes).len()
        );
    }
    Ok(())
}

/// The name wasm-pack gave the package's files: `name_bg.wasm`, its only module.
fn module_name(dir: &Path) -> Result<String> {
    let modules = files_with_extension(dir, "wasm")?;
    let [module] = &modules[..] else {
        return Err(Error::NotAPackage {
            dir: dir.to_owned(),
            modules: modules.len(),
        });
    };
    let stem = module.file_stem().unwrap_or_default().to_string_lossy();
    Ok(stem.strip_suffix("_bg").unwrap_or(&stem).to_owned())
}

/// The files a package must hold, and nothing else.
fn expected_files(name: &str) -> BTreeSet<String> {
    [
        "package.json".to_owned(),
        "README.md".to_owned(),
        format!("{name}.js"),
        format!("{name}.d.ts"),
        format!("{name}_bg.wasm"),
        format!("{name}_bg.wasm.d.ts"),
    ]
    .into()
}

/// `package.json` with the module's declarations, `name_bg.wasm.d.ts`, in its `files` (once).
fn publish_module_types(manifest: &str, name: &str) -> Result<String> {
    let mut manifest: serde_json::Value =
        serde_json::from_str(manifest).map_err(|error| Error::Manifest(error.to_string()))?;
    let files = manifest
        .get_mut("files")
        .and_then(serde_json::Value::as_array_mut)
        .ok_or_else(|| Error::Manifest("it has no `files` list".to_owned()))?;
    let types = serde_json::Value::from(format!("{name}_bg.wasm.d.ts"));
    if !files.contains(&types) {
        files.push(types);
    }
    let mut text = serde_json::to_string_pretty(&manifest)
        .map_err(|error| Error::Manifest(error.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The paths `npm pack --dry-run --json` lists.
fn packed_files(json: &str) -> Result<BTreeSet<String>> {
    let packs: Vec<Packed> = serde_json::from_str(json)
        .map_err(|error| Error::PackListing(format!("{error}: {json}")))?;
    let [pack] = &packs[..] else {
        return Err(Error::PackListing(format!(
            "{} packages in one directory: {json}",
            packs.len()
        )));
    };
    Ok(pack.files.iter().map(|file| file.path.clone()).collect())
}

/// Fails unless `listed` is exactly what a package named `name` holds.
fn check_files(listed: &BTreeSet<String>, name: &str) -> Result<()> {
    let expected = expected_files(name);
    if *listed == expected {
        return Ok(());
    }
    Err(Error::PackedFiles {
        extra: listed.difference(&expected).cloned().collect(),
        missing: expected.difference(listed).cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = r#"[{"id":"hello-wasm-greetings@0.1.0","name":"hello-wasm-greetings","files":[
        {"path":"README.md","size":1,"mode":420},{"path":"g_bg.wasm","size":1,"mode":420},
        {"path":"g.d.ts","size":1,"mode":420},{"path":"g.js","size":1,"mode":420},
        {"path":"g_bg.wasm.d.ts","size":1,"mode":420},{"path":"package.json","size":1,"mode":420}],
        "entryCount":6}]"#;

    #[test]
    fn a_package_of_exactly_its_six_files_passes() {
        let listed = packed_files(LISTING).unwrap();
        assert_eq!(listed.len(), 6);
        check_files(&listed, "g").unwrap();
    }

    #[test]
    fn a_file_too_many_or_too_few_is_named() {
        let mut listed = packed_files(LISTING).unwrap();
        listed.insert(".gitignore".to_owned());
        listed.remove("g.d.ts");
        let error = check_files(&listed, "g").unwrap_err().to_string();
        assert_eq!(
            error,
            "npm pack would publish [\".gitignore\"] too, and not [\"g.d.ts\"]: the package must hold package.json, README.md, the .js, the _bg.wasm and the two .d.ts, nothing else"
        );
    }

    #[test]
    fn the_modules_declarations_are_published_once() {
        let manifest = r#"{"name": "g", "files": ["g_bg.wasm", "g.js", "g.d.ts"], "main": "g.js"}"#;
        let published = publish_module_types(manifest, "g").unwrap();
        let files =
            |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap()["files"].clone();
        assert_eq!(
            files(&published),
            serde_json::json!(["g_bg.wasm", "g.js", "g.d.ts", "g_bg.wasm.d.ts"])
        );
        assert_eq!(publish_module_types(&published, "g").unwrap(), published);
        assert!(matches!(
            publish_module_types(r#"{"name": "g"}"#, "g"),
            Err(Error::Manifest(_))
        ));
    }

    #[test]
    fn a_listing_that_is_not_npms_is_an_error() {
        assert!(matches!(
            packed_files("npm WARN"),
            Err(Error::PackListing(_))
        ));
        assert!(matches!(packed_files("[]"), Err(Error::PackListing(_))));
    }
}
