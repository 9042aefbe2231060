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

/// The build a returning visitor meets after a deploy that changed only the tools, from
/// `HELLO_DIST_RETURNING` (set by `./dev test`): the sub-path build's sources, built for the
/// same sub-path with other wasm-opt parameters.
pub fn returning_build_from_env() -> Result<PathBuf, Error> {
    let top_level = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("HELLO_DIST_RETURNING")
        .map(|path| top_level.join(path))
        .ok_or_else(|| "HELLO_DIST_RETURNING is not set: run the end-to-end tests through ./dev test, which builds the site first".into())
}

/// Where the npm package built for the web is (`target/npm/web`), from `HELLO_NPM_WEB` (set
/// by `./dev test`, which builds it with wasm-pack).
pub fn npm_package_from_env() -> Result<PathBuf, Error> {
    let top_level = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    std::env::var_os("HELLO_NPM_WEB")
        .map(|path| top_level.join(path))
        .ok_or_else(|| "HELLO_NPM_WEB is not set: run the end-to-end tests through ./dev test, which builds the npm package first".into())
}

/// Where the npm package is served, with a page of its own that loads nothing: the test
/// imports the package into it, as an application would.
pub const NPM_PATH: &str = "/npm/";

/// The package's test page: valid HTML, no script, and an icon of its own so the browser
/// asks for no `/favicon.ico` (a 404 would be a console error).
const NPM_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n<meta charset=\"utf-8\">\n\
<title>hello-wasm-greetings, imported into a page</title>\n\
<link rel=\"icon\" href=\"data:,\">\n\
<h1>hello-wasm-greetings, imported into a page</h1>\n";

/// Copies the npm package's files under [`NPM_PATH`], with its test page.
pub fn lay_out_npm_package(www: &Path, package: &Path) -> Result<(), Error> {
    let to = www.join(NPM_PATH.trim_matches('/'));
    copy_files(package, &to).map_err(|error| {
        format!(
            "cannot copy the npm package in {}: {error}",
            package.display()
        )
    })?;
    Ok(std::fs::write(to.join("index.html"), NPM_PAGE)?)
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
    Ok(copy_files(from, to)?)
}

/// Copies the files directly in `from` (not its folders) into `to`, creating it.
fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The ways the greetings catalogue can fail, each served at `/__faults/{kind}.txt`: by a
/// missing file, by [`FAULT_LOCATIONS`] (a 500, a dropped connection, a server that never
/// answers), or by a file that is not a catalogue.
pub const CATALOGUE_FAULTS: [&str; 5] = ["missing", "500", "malformed", "dropped", "stalled"];

/// The nginx locations behind [`CATALOGUE_FAULTS`]; `{stall_port}` is a port that accepts
/// connections and never answers.
pub fn fault_locations(stall_port: u16) -> String {
    format!(
        "    location = /__faults/500.txt {{ return 500; }}\n\
         \x20   location = /__faults/dropped.txt {{ return 444; }}\n\
         \x20   location = /__faults/stalled.txt {{\n\
         \x20       proxy_pass http://127.0.0.1:{stall_port};\n\
         \x20       proxy_read_timeout 30s;\n\
         \x20   }}\n"
    )
}

/// Lays out, for each fault, copies of both builds' pages whose catalogue link points at the
/// fault: `/__faults/{kind}/` (root build) and `/__faults/sub-{kind}/` (sub-path build). The
/// app fetches the catalogue from that link, and the pages' scripts and CSP are untouched.
pub fn lay_out_faults(www: &Path, root_build: &Path, sub_path_build: &Path) -> Result<(), Error> {
    let faults = www.join("__faults");
    std::fs::create_dir_all(&faults)?;
    std::fs::write(
        faults.join("malformed.txt"),
        "<!doctype html><title>Oops</title><p>Not the greetings you are looking for.",
    )?;
    for (prefix, build) in [("", root_build), ("sub-", sub_path_build)] {
        let page = std::fs::read_to_string(build.join("index.html"))?;
        for kind in CATALOGUE_FAULTS {
            let href = catalogue_href(&page)?;
            let page = page::rename_references(&page, &href, &format!("/__faults/{kind}.txt"))?;
            let dir = faults.join(format!("{prefix}{kind}"));
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join("index.html"), page)?;
        }
    }
    Ok(())
}

/// The `href` of the page's catalogue link (`<link id=greetings …>`), as the page writes it.
pub fn catalogue_href(page: &str) -> Result<String, Error> {
    Ok(page::attribute(page, "link#greetings", "href")?
        .ok_or("the page has no <link id=greetings href=…>")?)
}

/// Where the held pages ask for their wasm: nginx proxies it to the [`crate::gate::WasmGate`].
pub const HELD: &str = "/__held/";

/// The nginx location for [`HELD`], proxied to the gate on `gate_port`.
pub fn held_location(gate_port: u16) -> String {
    format!(
        "    location ^~ {HELD} {{\n\
         \x20       proxy_pass http://127.0.0.1:{gate_port};\n\
         \x20       proxy_read_timeout 60s;\n\
         \x20   }}\n"
    )
}

/// Lays out copies of both builds' pages that load their wasm from [`HELD`]:
/// `/__held-page/` (root build) and `/__held-page-sub/` (sub-path build). Trunk's inline
/// loader names the wasm, so its CSP hash is recomputed for the changed script.
pub fn lay_out_held_pages(
    www: &Path,
    root_build: &Path,
    sub_path_build: &Path,
) -> Result<(), Error> {
    for (dir, build) in [
        ("__held-page", root_build),
        ("__held-page-sub", sub_path_build),
    ] {
        let page = std::fs::read_to_string(build.join("index.html"))?;
        let held = hold_wasm(&page)?;
        std::fs::create_dir_all(www.join(dir))?;
        std::fs::write(www.join(dir).join("index.html"), held)?;
    }
    Ok(())
}

/// `page` with its wasm loaded from [`HELD`], and its CSP hash updated to match.
fn hold_wasm(page: &str) -> Result<String, Error> {
    let module = page::module_url(page)?;
    let file = module.rsplit('/').next().unwrap_or_default();
    // The loader and the preload link both name the module.
    let held = page::rename_references(page, &module, &format!("{HELD}{file}"))?;
    let [script] = &page::inline_code(page)?.scripts[..] else {
        return Err("the page should have one inline script, Trunk's loader".into());
    };
    let [held_script] = &page::inline_code(&held)?.scripts[..] else {
        return Err("the held page should have one inline script".into());
    };
    let (before, after) = (page::source_hash(script), page::source_hash(held_script));
    if held.matches(&before).count() != 1 {
        return Err("the page's CSP does not name its loader's hash once".into());
    }
    Ok(held.replace(&before, &after))
}
