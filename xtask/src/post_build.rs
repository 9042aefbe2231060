//! Finishes a release `dist/` after Trunk, as a Trunk `post_build` hook, so every way of
//! building gives the same site:
//! 0. the module loses the exports nothing uses, with the wasm code only they reached (see
//!    `tree_shake`), the names by which glue and module call each other are shortened (see
//!    `interface`), and wasm-opt runs again as Trunk ran it (see `wasm_opt`);
//! 1. Trunk's own JS minifier cannot parse wasm-bindgen's `export { … as default }`, so the JS
//!    is minified here with oxc (compressed and names mangled; exports keep their names), and
//!    each changed file's Subresource Integrity hash in `index.html` is updated;
//! 2. `index.html` gets the app's first view, rendered at build time (see `prerender`), and
//!    its Content-Security-Policy (see `csp`);
//! 3. every servable file gets `.br` and `.gz` siblings for the static server to send.
//!
//! Step 0 also writes the renaming beside the module (`…_bg.wasm.names`), for the page's
//! "Under the hood" section.

use std::path::Path;

use base64::Engine as _;
use sha2::{Digest as _, Sha384};

use crate::compress::{brotli, gzip};
use crate::csp;
use crate::error::{Error, Result};
use crate::fs::{files_with_extension, read, read_text, write};
use crate::wasm_opt::WasmOpt;
use crate::{interface, prerender, tree_shake};

/// Files a static server may send compressed.
const COMPRESSIBLE_EXTENSIONS: [&str; 7] = ["html", "js", "wasm", "css", "svg", "json", "txt"];

/// Runs the release steps on Trunk's staging directory. `wasm_opt` is how Trunk ran
/// wasm-opt, if it did.
pub fn run(staging: &Path, wasm_opt: Option<&WasmOpt>) -> Result<()> {
    let html_path = staging.join("index.html");
    let mut html = read_text(&html_path)?;
    // Exactly one glue and its module: anything else is not the build these steps know, and
    // finishing part of it would ship a page that half works.
    let glues = files_with_extension(staging, "js")?;
    let modules = files_with_extension(staging, "wasm")?;
    let (path, module_path) = match (&glues[..], &modules[..]) {
        ([glue], [module]) if *module == module_beside(glue) => (glue, module),
        _ => {
            return Err(Error::NotOnePair {
                glues: glues.len(),
                modules: modules.len(),
            });
        }
    };
    let original = read_text(path)?;
    let stripped = tree_shake::strip_js(&original).map_err(|e| Error::from(e).in_file(path))?;
    let glue;
    (glue, html) = finish_module(module_path, &stripped, html, wasm_opt)
        .map_err(|error| error.in_file(module_path))?;
    let minified = minify_js(&glue).map_err(|error| error.in_file(path))?;
    html = replace_integrity(&html, original.as_bytes(), minified.as_bytes())
        .map_err(|error| error.in_file(path))?;
    write(path, minified.as_bytes())?;
    let html = prerender::into_page(&html, &hello_wasm::prerender())?;
    let html = csp::with_policy(&html)?;
    write(&html_path, html.as_bytes())?;
    for extension in COMPRESSIBLE_EXTENSIONS {
        for path in files_with_extension(staging, extension)? {
            write_compressed_siblings(&path)?;
        }
    }
    Ok(())
}

/// The wasm module that the glue at `js_path` loads: `name.js` loads `name_bg.wasm`.
fn module_beside(js_path: &Path) -> std::path::PathBuf {
    js_path.with_file_name(format!(
        "{}_bg.wasm",
        js_path.file_stem().unwrap_or_default().to_string_lossy()
    ))
}

/// Drops the module's unused exports and the code only they reached, shortens the names
/// between module and glue, optimizes again, and updates the module's integrity hash in
/// `html`. Returns the glue to match and the page.
fn finish_module(
    path: &Path,
    glue: &str,
    html: String,
    wasm_opt: Option<&WasmOpt>,
) -> Result<(String, String)> {
    let original = read(path)?;
    let mut module =
        walrus::Module::from_buffer(&original).map_err(|error| Error::Module(error.to_string()))?;
    let dropped = tree_shake::drop_unused_exports(&mut module, glue)?;
    if !dropped.is_empty() {
        println!("post-build: dropped unused exports {}", dropped.join(", "));
    }
    walrus::passes::gc::run(&mut module);
    let shortened = interface::shorten(&mut module, glue)?;
    write(path, &module.emit_wasm())?;
    // Beside the module, for the page's "Under the hood" section (fetched when opened).
    let mut names = path.as_os_str().to_owned();
    names.push(".names");
    write(Path::new(&names), shortened.names_file.as_bytes())?;
    if let Some(wasm_opt) = wasm_opt {
        wasm_opt.run(path)?;
    }
    let html = replace_integrity(&html, &original, &read(path)?)?;
    Ok((shortened.glue, html))
}

/// Writes `file.br` and `file.gz` beside `file`.
fn write_compressed_siblings(path: &Path) -> Result<()> {
    let bytes = read(path)?;
    let mut name = path.as_os_str().to_owned();
    name.push(".br");
    write(Path::new(&name), &brotli(&bytes))?;
    name = path.as_os_str().to_owned();
    name.push(".gz");
    write(Path::new(&name), &gzip(&bytes))
}

/// Minifies an ES module: whitespace and comments go, local names are shortened, and what
/// the module exports keeps its name and behaviour.
pub fn minify_js(source: &str) -> Result<String> {
    use oxc::allocator::Allocator;
    use oxc::codegen::{Codegen, CodegenOptions};
    use oxc::minifier::{Minifier, MinifierOptions};
    use oxc::parser::Parser;
    use oxc::span::SourceType;

    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::mjs()).parse();
    if let Some(error) = parsed.diagnostics.first() {
        return Err(Error::Minify(error.to_string()));
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions::default()).minify(&allocator, &mut program);
    Ok(Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code)
}

/// The `integrity` value browsers check: `sha384-` and the base64 of the SHA-384 digest.
pub fn integrity(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Swaps the integrity hash of `before` for that of `after` in `html`. Fails if the page
/// does not reference `before` by hash, since the browser would then refuse the new file.
pub fn replace_integrity(html: &str, before: &[u8], after: &[u8]) -> Result<String> {
    let old = integrity(before);
    if !html.contains(&old) {
        return Err(Error::NoIntegrity(old));
    }
    Ok(html.replace(&old, &integrity(after)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_matches_the_sri_format() {
        // `echo -n abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn minifying_keeps_module_exports_and_drops_comments() {
        let source = "/* glue */\n\
            export function say_hello(name) {\n    // greet\n    const greeting = `Hello, ${name}!`;\n    return greeting;\n}\n\
            function initSync(module) { return module; }\n\
            async function __wbg_init(module_or_path) { return module_or_path; }\n\
            export { initSync, __wbg_init as default };\n";
        let minified = minify_js(source).unwrap();
        assert!(minified.len() < source.len() / 2, "{minified}");
        assert!(
            !minified.contains("glue") && !minified.contains("greet"),
            "{minified}"
        );
        for export in ["say_hello", "initSync", "default"] {
            assert!(minified.contains(export), "{export} lost from {minified}");
        }
        assert!(minify_js("export function (").is_err());
    }

    #[test]
    fn replaces_the_hash_of_the_changed_file_only() {
        let html = format!(
            r#"<link href=/a.js integrity={} rel=modulepreload><link href=/b.css integrity={}>"#,
            integrity(b"a"),
            integrity(b"b")
        );
        let updated = replace_integrity(&html, b"a", b"a2").unwrap();
        assert!(updated.contains(&integrity(b"a2")) && updated.contains(&integrity(b"b")));
        assert!(!updated.contains(&integrity(b"a")));
        assert!(replace_integrity(&html, b"missing", b"x").is_err());
    }

    #[test]
    fn a_build_without_exactly_one_glue_and_its_module_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let js = "/* glue */\nexport function f() {\n    return 1;\n}\n";
        std::fs::write(dir.join("app.js"), js).unwrap();
        std::fs::write(
            dir.join("index.html"),
            "<meta charset=utf-8><div id=app></div>",
        )
        .unwrap();
        let error = run(dir, None).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("1 JavaScript glue and 0 wasm modules"),
            "{error}"
        );
        std::fs::write(dir.join("other_bg.wasm"), b"\0asm").unwrap();
        assert!(run(dir, None).is_err());
        // Nothing was half done.
        assert_eq!(std::fs::read_to_string(dir.join("app.js")).unwrap(), js);
    }

    #[test]
    fn finishes_the_module_beside_the_glue_and_keeps_them_in_step() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        let mut module = walrus::Module::default();
        let log = module.types.add(&[], &[]);
        let (log, _) = module.add_import_func("./app_bg.js", "__wbg_log_b04d8abe7ce24271", log);
        for name in ["say_hello", "intounderlyingsink_write"] {
            let mut body = walrus::FunctionBuilder::new(&mut module.types, &[], &[]);
            body.func_body().call(log);
            let function = body.finish(vec![], &mut module.funcs);
            module.exports.add(name, function);
        }
        let wasm = module.emit_wasm();
        let js = "let wasm;\nfunction imports() {\n    const import0 = {\n        \
            __wbg_log_b04d8abe7ce24271: function() { console.log('hi'); },\n    };\n    \
            return { \"./app_bg.js\": import0 };\n}\n\
            export function say_hello() { wasm.say_hello(); }\n\
            export function init(instance) { wasm = instance.exports; return imports(); }\n";
        std::fs::write(dir.join("app.js"), js).unwrap();
        std::fs::write(dir.join("app_bg.wasm"), &wasm).unwrap();
        let html = format!(
            "<meta charset=utf-8><script type=module>import init from '/app.js';</script>\
             <link href=/app.js integrity={} rel=modulepreload>\
             <link href=/app_bg.wasm integrity={} rel=preload><div id=app></div>",
            integrity(js.as_bytes()),
            integrity(&wasm)
        );
        std::fs::write(dir.join("index.html"), html).unwrap();
        run(dir, None).unwrap();
        let glue = std::fs::read_to_string(dir.join("app.js")).unwrap();
        let wasm = std::fs::read(dir.join("app_bg.wasm")).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        let module = walrus::Module::from_buffer(&wasm).unwrap();
        let exports: Vec<&str> = module.exports.iter().map(|e| e.name.as_str()).collect();
        let imports: Vec<(&str, &str)> = module
            .imports
            .iter()
            .map(|i| (i.module.as_str(), i.name.as_str()))
            .collect();
        assert_eq!(exports, ["a"]);
        assert_eq!(imports, [("a", "a")]);
        assert!(
            glue.contains("say_hello") && glue.contains(".a()"),
            "{glue}"
        );
        assert!(
            !glue.contains("__wbg_log") && !glue.contains("app_bg"),
            "{glue}"
        );
        assert!(html.contains(&integrity(&wasm)) && html.contains(&integrity(glue.as_bytes())));
        assert!(html.contains("Content-Security-Policy"));
        assert!(
            html.contains("data-testid=\"say-hello\""),
            "the first view: {html}"
        );
        for sibling in ["app.js.br", "app.js.gz", "app_bg.wasm.br", "index.html.gz"] {
            assert!(dir.join(sibling).is_file(), "{sibling}");
        }
        let names = std::fs::read_to_string(dir.join("app_bg.wasm.names")).unwrap();
        assert!(names.contains("export\ta\tsay_hello\n"), "{names}");
    }
}
