//! Finishes a release `dist/` after Trunk, as a Trunk `post_build` hook, so every way of
//! building gives the same site:
//! 0. the module loses the exports nothing uses, with the wasm code only they reached (see
//!    `tree_shake`), the names by which glue and module call each other are shortened (see
//!    `interface`), and wasm-opt runs again as Trunk ran it (see `wasm_opt`);
//! 1. Trunk's own JS minifier cannot parse wasm-bindgen's `export { … as default }`, so the JS
//!    is minified here with oxc (compressed and names mangled; exports keep their names), and
//!    each changed file's Subresource Integrity hash in `index.html` is updated;
//! 2. `index.html` gets the app's first view, rendered at build time (see `prerender`), and
//!    the raw module it links is built beside it (see `raw_module`); the
//!    module's preload and the loader's request are made to match in every engine (see
//!    `module_request`); the preloads of glue and module move after the page's content; the
//!    icon loses the `integrity` HTML does not allow on it;
//! 3. every file the deploy configuration caches for a year is named after a hash of its
//!    final bytes, and the page's references follow (see `content_names`);
//! 4. the page gets its Content-Security-Policy, hashing its final scripts (see `csp`);
//! 5. the renaming of step 0 is written beside the module, under its final name
//!    (`…_bg.wasm.names`), for the page's "Under the hood" section;
//! 6. every servable file gets `.br` and `.gz` siblings for the static server to send, and
//!    the build is refused if any cached file is not named after its bytes.

use std::path::Path;

use base64::Engine as _;
use sha2::{Digest as _, Sha384};

use crate::compress::{brotli, gzip};
use crate::csp;
use crate::error::{Error, Result};
use crate::fs::{files_with_extension, read, read_text, write};
use crate::wasm_opt::WasmOpt;
use crate::{content_names, interface, module_request, prerender, raw_module, tree_shake};
use hook::debug_build::{glue_and_module, names_file_beside};

/// Files a static server may send compressed (`names`: the renaming beside the module).
const COMPRESSIBLE_EXTENSIONS: [&str; 8] =
    ["html", "js", "wasm", "css", "svg", "json", "txt", "names"];

/// Runs the release steps on Trunk's staging directory. `wasm_opt` is how Trunk ran
/// wasm-opt, if it did.
pub fn run(staging: &Path, wasm_opt: Option<&WasmOpt>) -> Result<()> {
    let html_path = staging.join("index.html");
    let mut html = read_text(&html_path)?;
    let (path, module_path) = &glue_and_module(staging)?;
    let original = read_text(path)?;
    let stripped = tree_shake::strip_js(&original).map_err(|e| Error::from(e).in_file(path))?;
    let finished = finish_module(module_path, &stripped, html, wasm_opt)
        .map_err(|error| error.in_file(module_path))?;
    let minified = minify_js(&finished.glue).map_err(|error| error.in_file(path))?;
    html = replace_integrity(&finished.html, original.as_bytes(), minified.as_bytes())
        .map_err(|error| error.in_file(path))?;
    write(path, minified.as_bytes())?;
    let html = prerender::into_page(&html, &hello_wasm::prerender())?;
    // The article's first example, which the first view links: named after its bytes below.
    raw_module::build_into(staging)?;
    let html = module_request::one_request_in_every_engine(&html)?;
    let html = loading_after_the_content(&html)?;
    // HTML allows `integrity` on style sheets, preloads and module preloads only; Trunk puts
    // it on the icon too, and no browser checks it there.
    let html = page::remove_attributes(&html, "link[rel=icon]", &["integrity"])?;
    // Every byte is final: name each cached file after its bytes, then hash the page's
    // scripts for its policy.
    let renamed = content_names::rename_all(staging, &html)?;
    let html = csp::with_policy(&renamed.html)?;
    write(&html_path, html.as_bytes())?;
    // Beside the module, under its final name, for "Under the hood" (fetched when opened).
    let names = names_file_beside(&renamed.now_at(module_path));
    write(&names, finished.names_file.as_bytes())?;
    for extension in COMPRESSIBLE_EXTENSIONS {
        for path in files_with_extension(staging, extension)? {
            write_compressed_siblings(&path)?;
        }
    }
    content_names::check(staging)
}

/// `html` with Trunk's preloads of the glue and the module moved from `<head>` to the end of
/// `<body>`, after the page's content, where `index.html` puts the catalogue's preload and
/// Trunk's loader: on a slow phone, a request made in `<head>` delays the first paint, while
/// here the module is requested after the first frame's work, which makes the first greeting
/// later (both measured in BENCHMARKS.md, 2026-12-01).
fn loading_after_the_content(html: &str) -> Result<String> {
    let html = page::move_link_to_end_of_body(html, "link[rel=modulepreload]")?;
    Ok(page::move_link_to_end_of_body(&html, page::MODULE_PRELOAD)?)
}

/// What finishing the module gives: the glue to match it, the page with the module's new
/// integrity hash, and the renaming for the names file.
struct FinishedModule {
    glue: String,
    html: String,
    names_file: String,
}

/// Drops the module's unused exports and the code only they reached, shortens the names
/// between module and glue, optimizes again, and updates the module's integrity hash in
/// `html`.
fn finish_module(
    path: &Path,
    glue: &str,
    html: String,
    wasm_opt: Option<&WasmOpt>,
) -> Result<FinishedModule> {
    let original = read(path)?;
    let mut module = walrus::Module::from_buffer(&original)
        .map_err(|error| hook::Error::Module(error.to_string()))?;
    let dropped = tree_shake::drop_unused_exports(&mut module, glue)?;
    if !dropped.is_empty() {
        println!("post-build: dropped unused exports {}", dropped.join(", "));
    }
    walrus::passes::gc::run(&mut module);
    let shortened = interface::shorten(&mut module, glue)?;
    write(path, &module.emit_wasm())?;
    if let Some(wasm_opt) = wasm_opt {
        wasm_opt.run(path)?;
    }
    Ok(FinishedModule {
        html: replace_integrity(&html, &original, &read(path)?)?,
        glue: shortened.glue,
        names_file: shortened.names_file,
    })
}

/// Writes `file.br` and `file.gz` beside `file`.
fn write_compressed_siblings(path: &Path) -> Result<()> {
    let bytes = read(path)?;
    let mut name = path.as_os_str().to_owned();
    name.push(".br");
    write(Path::new(&name), &brotli(&bytes))?;
    name = path.as_os_str().to_owned();
    name.push(".gz");
    Ok(write(Path::new(&name), &gzip(&bytes))?)
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

/// Swaps the integrity hash of `before` for that of `after` in every `integrity` attribute of
/// `html` (read with the HTML parser; the value is replaced where it is written). Fails if no
/// element names `before` by hash, since the browser would then refuse the new file.
pub fn replace_integrity(html: &str, before: &[u8], after: &[u8]) -> Result<String> {
    let (old, new) = (integrity(before), integrity(after));
    match page::edit_attribute_values(html, &["integrity"], |value| {
        (value == old).then(|| new.clone())
    })? {
        (_, 0) => Err(Error::NoIntegrity(old)),
        (html, _) => Ok(html),
    }
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
        assert_eq!(
            updated,
            html.replace(&integrity(b"a"), &integrity(b"a2")),
            "only the value changes, as written"
        );
        assert!(updated.contains(&integrity(b"b")));
        assert!(replace_integrity(&html, b"missing", b"x").is_err());
        // A hash written outside an `integrity` attribute is not one the browser checks.
        let elsewhere = format!("<p title={}>", integrity(b"a"));
        assert!(replace_integrity(&elsewhere, b"a", b"a2").is_err());
    }

    /// A build as Trunk leaves it, for an app whose module imports one function and exports
    /// `say_hello` (which the glue reads) and a stream class method (which it does not).
    fn write_trunk_output(dir: &Path) {
        let mut module = crate::test_module::module(
            &[("./app_bg.js", "__wbg_log_b04d8abe7ce24271")],
            &["say_hello", "intounderlyingsink_write"],
        );
        let wasm = module.emit_wasm();
        let js = "let wasm;\nfunction imports() {\n    const import0 = {\n        \
            __wbg_log_b04d8abe7ce24271: function() { console.log('hi'); },\n    };\n    \
            return { \"./app_bg.js\": import0 };\n}\n\
            export function say_hello() { wasm.say_hello(); }\n\
            export function init(instance) { wasm = instance.exports; return imports(); }\n";
        std::fs::write(dir.join("app.js"), js).unwrap();
        std::fs::write(dir.join("app_bg.wasm"), &wasm).unwrap();
        // As Trunk writes it: its preloads in `<head>`, its loader where `index.html` has the
        // app's link, after the content.
        let html = format!(
            "<meta charset=utf-8><link href=/favicon.svg integrity=sha384-x rel=icon>\
             <link href=/app.js integrity={} rel=modulepreload>\
             <link href=/app_bg.wasm integrity={} rel=preload></head><body><div id=app></div>\
             <script type=module>import init from '/app.js';\
             await init({{ module_or_path: '/app_bg.wasm' }});</script></body>",
            integrity(js.as_bytes()),
            integrity(&wasm)
        );
        std::fs::write(dir.join("index.html"), html).unwrap();
    }

    /// Every file under `dir`, by path relative to it, with its bytes.
    fn contents(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
        crate::fs::files_under(dir)
            .unwrap()
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                (path.strip_prefix(dir).unwrap().to_owned(), bytes)
            })
            .collect()
    }

    /// How many glues and modules the post-build found in `dir`, refusing it.
    fn refused_pair(dir: &Path) -> (usize, usize) {
        match run(dir, None) {
            Err(Error::Hook(hook::Error::NotOnePair { glues, modules })) => (glues, modules),
            other => panic!("not refused as a pair: {other:?}"),
        }
    }

    #[test]
    fn a_build_without_exactly_one_glue_and_its_module_is_refused() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        write_trunk_output(dir);
        std::fs::rename(dir.join("app_bg.wasm"), dir.join("other_bg.wasm")).unwrap();
        let before = contents(dir);
        // A valid module, so only the pair check can refuse it.
        assert_eq!(refused_pair(dir), (1, 1));
        // Nothing was half done.
        assert_eq!(contents(dir), before);
        std::fs::remove_file(dir.join("other_bg.wasm")).unwrap();
        assert_eq!(refused_pair(dir), (1, 0));
    }

    #[test]
    fn a_snippet_beside_the_glue_is_counted_not_skipped() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        write_trunk_output(dir);
        std::fs::create_dir_all(dir.join("snippets/x")).unwrap();
        std::fs::write(dir.join("snippets/x/inline0.js"), "export {}").unwrap();
        assert_eq!(refused_pair(dir), (2, 1));
    }

    #[test]
    fn building_the_same_input_twice_gives_the_same_names_and_bytes() {
        let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for dir in [first.path(), second.path()] {
            write_trunk_output(dir);
            run(dir, None).unwrap();
        }
        let built = contents(first.path());
        assert!(built.len() > 10, "{built:?}");
        assert_eq!(built, contents(second.path()));
    }

    #[test]
    fn changing_only_the_wasm_opt_parameters_changes_the_modules_name() {
        let page = |params: &str| {
            format!(
                r#"<link data-trunk rel="rust" data-wasm-opt="z" data-wasm-opt-params="{params}">"#
            )
        };
        let mut names = Vec::new();
        for params in [
            "--enable-bulk-memory",
            "--enable-bulk-memory --strip-producers",
        ] {
            let temp = tempfile::tempdir().unwrap();
            write_trunk_output(temp.path());
            let wasm_opt = WasmOpt::from_page(&page(params)).unwrap();
            run(temp.path(), wasm_opt.as_ref()).unwrap();
            let [module] = &app_files(temp.path(), "wasm")[..] else {
                panic!("one module");
            };
            let html = std::fs::read_to_string(temp.path().join("index.html")).unwrap();
            let name = module.file_name().unwrap().to_string_lossy().into_owned();
            assert!(html.contains(&name), "{html}");
            names.push(name);
        }
        assert_ne!(names[0], names[1]);
    }

    /// The files with `extension` that are the app's: not the raw module built beside it.
    fn app_files(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
        files_with_extension(dir, extension)
            .unwrap()
            .into_iter()
            .filter(|path| {
                !path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("raw-")
            })
            .collect()
    }

    #[test]
    fn finishes_the_module_beside_the_glue_and_keeps_them_in_step() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        write_trunk_output(dir);
        run(dir, None).unwrap();
        let only = |extension: &str| -> std::path::PathBuf {
            let [file] = &app_files(dir, extension)[..] else {
                panic!("not one .{extension} in {dir:?}");
            };
            file.clone()
        };
        let glue = std::fs::read_to_string(only("js")).unwrap();
        let wasm = std::fs::read(only("wasm")).unwrap();
        let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
        // Each is named after its final bytes, and the page says so.
        let glue_name = content_names::content_name("app.js", glue.as_bytes());
        let module_name = content_names::content_name("app_bg.wasm", &wasm);
        assert_eq!(only("js"), dir.join(&glue_name));
        assert_eq!(only("wasm"), dir.join(&module_name));
        // The raw module the first view links is beside them, named after its bytes too.
        let raw = std::fs::read(dir.join(raw_module::FILE)).err();
        assert!(raw.is_some(), "renamed, not left as {}", raw_module::FILE);
        let raw_name = content_names::content_name(raw_module::FILE, &raw_module::build().unwrap());
        assert!(
            dir.join(&raw_name).exists() && html.contains(&raw_name),
            "{html}"
        );
        assert!(
            html.contains(&format!("from '/{glue_name}'"))
                && html.contains(&format!("href=/{module_name} ")),
            "{html}"
        );
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
        assert!(html.contains("<link href=/favicon.svg rel=icon>"), "{html}");
        // What loads the app comes after the content: the loader, then the preloads.
        let at = |part: &str| {
            html.find(part)
                .unwrap_or_else(|| panic!("{part} in {html}"))
        };
        assert!(at("<div id=app>") < at("<script type=module>"), "{html}");
        assert!(at("</script>") < at("rel=modulepreload"), "{html}");
        assert!(at("rel=modulepreload") < at("rel=preload"), "{html}");
        // The glue is checked by its integrity; the module is fetched as its preload was made.
        assert!(html.contains(&integrity(glue.as_bytes())), "{html}");
        assert!(!html.contains(&integrity(&wasm)), "{html}");
        assert!(
            html.contains(&format!("new Request('/{module_name}', {{ mode: 'no-cors'")),
            "{html}"
        );
        assert!(html.contains("Content-Security-Policy"));
        assert!(
            html.contains("data-testid=\"say-hello\""),
            "the first view: {html}"
        );
        for sibling in [
            format!("{glue_name}.br"),
            format!("{glue_name}.gz"),
            format!("{module_name}.br"),
            format!("{module_name}.names.br"),
            "index.html.gz".to_owned(),
        ] {
            assert!(dir.join(&sibling).is_file(), "{sibling}");
        }
        let names = std::fs::read_to_string(dir.join(format!("{module_name}.names"))).unwrap();
        assert!(names.contains("export\ta\tsay_hello\n"), "{names}");
    }
}
