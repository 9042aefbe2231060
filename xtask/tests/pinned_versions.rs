//! The tool versions are written in three places; these tests keep them in step, so Trunk
//! (which runs offline) never asks for a tool the set-up did not install. And the post-build
//! steps are tested on the glue of exactly the wasm-bindgen in the lock file.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The value of `key = "…"` in a TOML or shell file.
fn quoted_value(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix(key)?
                .trim_start()
                .strip_prefix('=')
        })
        .map(|value| value.trim().trim_matches('"').to_owned())
        .unwrap_or_else(|| panic!("no {key} ="))
}

/// The wasm-bindgen version in `Cargo.lock`.
fn locked_wasm_bindgen() -> String {
    read("Cargo.lock")
        .split("\n[[package]]\n")
        .find(|package| package.starts_with("name = \"wasm-bindgen\"\n"))
        .map(|package| quoted_value(package, "version"))
        .expect("wasm-bindgen in Cargo.lock")
}

#[test]
fn trunk_uses_the_wasm_bindgen_in_the_lock_file() {
    let locked = locked_wasm_bindgen();
    assert_eq!(quoted_value(&read("Trunk.toml"), "wasm_bindgen"), locked);
    assert!(read("Cargo.toml").contains(&format!("wasm-bindgen = \"={locked}\"")));
}

#[test]
fn trunk_uses_the_wasm_opt_the_set_up_installs() {
    let binaryen = quoted_value(&read("scripts/setup.sh"), "BINARYEN_VERSION");
    assert_eq!(
        quoted_value(&read("Trunk.toml"), "wasm_opt"),
        format!("version_{binaryen}")
    );
}

#[test]
fn the_post_build_is_tested_on_the_glue_of_the_locked_wasm_bindgen() {
    let locked = locked_wasm_bindgen();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("wasm-bindgen-{locked}"));
    for file in ["hello-wasm.js.txt", "interface.txt"] {
        assert!(
            fixture.join(file).is_file(),
            "no glue fixture for wasm-bindgen {locked} ({}): after an upgrade, run `cargo xtask glue-fixture`, check that the post-build tests pass on it, and remove the old fixture",
            fixture.join(file).display()
        );
    }
}
