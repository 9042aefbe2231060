//! The tool versions the project pins, read from where they are written: `Cargo.lock` for the
//! crates, `Trunk.toml` for the tools Trunk runs (offline, so it never fetches its own). The
//! tests keep `Trunk.toml`, `Cargo.toml`, `Cargo.lock` and the set-up script in step.

const CARGO_LOCK: &str = include_str!("../../Cargo.lock");
const TRUNK_TOML: &str = include_str!("../../Trunk.toml");

/// The version of `package` in `Cargo.lock` (the first entry of that name), as it was when
/// xtask was built (Cargo rebuilds it when the lock file changes).
pub fn locked(package: &str) -> Option<&'static str> {
    locked_in(CARGO_LOCK, package)
}

/// The version of `package` in the lock file `lock` (the first entry of that name).
fn locked_in<'a>(lock: &'a str, package: &str) -> Option<&'a str> {
    let header = format!("name = \"{package}\"\n");
    lock.split("\n[[package]]\n")
        .find(|entry| entry.starts_with(&header))
        .and_then(|entry| quoted_value(entry, "version"))
}

/// The version `Trunk.toml` pins for one of its `[tools]` (`wasm_bindgen`, `wasm_opt`).
pub fn trunk_tool(tool: &str) -> Option<&'static str> {
    quoted_value(TRUNK_TOML, tool)
}

/// The value of the first `key = "…"` line in a TOML or shell file.
fn quoted_value<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let value = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        Some(value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &str) -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
    }

    #[test]
    fn reads_versions_from_the_lock_file_and_trunk_toml() {
        assert_eq!(quoted_value("a = \"1\"\nb = \"2\"\n", "b"), Some("2"));
        assert_eq!(quoted_value("a = \"1\"\n", "b"), None);
        assert!(locked("wasm-bindgen").is_some_and(|v| v.starts_with("0.2.")));
        assert_eq!(locked("no-such-crate"), None);
        assert!(trunk_tool("wasm_opt").is_some_and(|v| v.starts_with("version_")));
    }

    #[test]
    fn trunk_uses_the_wasm_bindgen_in_the_lock_file() {
        let locked = locked("wasm-bindgen").expect("wasm-bindgen in Cargo.lock");
        assert_eq!(trunk_tool("wasm_bindgen"), Some(locked));
        assert!(read("Cargo.toml").contains(&format!("wasm-bindgen = \"={locked}\"")));
    }

    #[test]
    fn trunk_uses_the_wasm_opt_the_set_up_installs() {
        let setup = read("scripts/setup.sh");
        let binaryen = quoted_value(&setup, "BINARYEN_VERSION").expect("BINARYEN_VERSION=");
        assert_eq!(
            trunk_tool("wasm_opt"),
            Some(format!("version_{binaryen}").as_str())
        );
    }

    #[test]
    fn the_developer_loops_floor_is_built_with_the_apps_leptos_wasm_bindgen_and_tools() {
        let floor_lock = read("bench/floor/Cargo.lock");
        for package in ["leptos", "wasm-bindgen"] {
            assert_eq!(
                locked_in(&floor_lock, package),
                locked(package),
                "bench/floor/Cargo.lock's {package}"
            );
        }
        let floor_trunk = read("bench/floor/Trunk.toml");
        for tool in ["wasm_bindgen", "wasm_opt"] {
            assert_eq!(
                quoted_value(&floor_trunk, tool),
                trunk_tool(tool),
                "bench/floor/Trunk.toml's {tool}"
            );
        }
        assert!(
            floor_trunk.contains("offline = true"),
            "the floor's Trunk is offline"
        );
    }

    #[test]
    fn the_post_build_is_tested_on_the_glue_of_the_locked_leptos_and_wasm_bindgen() {
        let wasm_bindgen = locked("wasm-bindgen").expect("wasm-bindgen in Cargo.lock");
        let leptos = locked("leptos").expect("leptos in Cargo.lock");
        let fixture = crate::glue_fixture::dir(leptos, wasm_bindgen);
        for file in [crate::glue_fixture::GLUE, crate::glue_fixture::INTERFACE] {
            assert!(
                fixture.join(file).is_file(),
                "no glue fixture for Leptos {leptos} and wasm-bindgen {wasm_bindgen} ({}): after an upgrade, run `cargo xtask glue-fixture`, check that the post-build tests pass on it, and remove the fixture of the release left behind",
                fixture.join(file).display()
            );
        }
    }
}
