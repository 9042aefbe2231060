//! Shortens the names by which wasm-bindgen's glue and the wasm module call each other.
//!
//! wasm-bindgen names each import after what it calls plus a 16-digit hash
//! (`__wbg_addEventListener_847fd86b8c33ec43`), the closure exports likewise, and the import
//! module after the glue's file (`./hello-wasm_bg.js`). Each name is written in both files,
//! and hashes do not compress: together about 2 KB of a first visit, brotli-compressed. This
//! renames them `a`, `b`, … in both files, as Emscripten does with its minified imports and
//! exports. No page sees these names: what the glue itself exports (`say_hello`, `default`,
//! `initSync`) keeps its name.

use std::collections::BTreeMap;

use crate::glue::{GlueError, export_reads, object_properties};
use hook::names_file::names_file;

/// The glue rewritten for the shortened module, and the renaming as the names file that the
/// page's "Under the hood" section reads (see `rules::under_the_hood`).
pub struct Shortened {
    /// The glue, calling the module by its short names.
    pub glue: String,
    /// Each short name and the name wasm-bindgen gave it.
    pub names_file: String,
}

/// Renames the module's imports (modules and names) and exports to short names, and returns
/// the glue rewritten to match, at the places its syntax tree gives. Every import and import
/// module must be a key of the glue's import object exactly once (see [`object_properties`]),
/// and every export must be read (see [`export_reads`]); otherwise the glue has changed
/// meaning and this fails rather than write a module the glue cannot load.
pub fn shorten(module: &mut walrus::Module, glue: &str) -> Result<Shortened, GlueError> {
    let reads = export_reads(glue)?;
    let mut modules = BTreeMap::new();
    let mut imports = BTreeMap::new();
    for import in module.imports.iter_mut() {
        import.module = short_for(&mut modules, &import.module);
        import.name = short_for(&mut imports, &import.name);
    }
    // Every edit is found in the original glue, then all are made at once, so a new name can
    // never be mistaken for an old one.
    let mut edits = Vec::new();
    let properties = object_properties(glue)?;
    let key_once = |long: &str| match properties
        .get(long)
        .map(|property| property.keys.as_slice())
    {
        Some(&[(start, end)]) => Some((start, end - start)),
        _ => None,
    };
    for (long, short) in &modules {
        let (at, len) = key_once(long).ok_or_else(|| GlueError::ImportModule(long.clone()))?;
        edits.push((at, len, short.clone()));
    }
    for (long, short) in &imports {
        let (at, len) = key_once(long).ok_or_else(|| GlueError::ImportNotOnce(long.clone()))?;
        edits.push((at, len, short.clone()));
    }
    let mut renamed_exports = Vec::new();
    for (index, export) in module.exports.iter_mut().enumerate() {
        let found = reads
            .get(&export.name)
            .ok_or_else(|| GlueError::ExportNeverRead(export.name.clone()))?;
        let long = export.name.len();
        let original = std::mem::replace(&mut export.name, short_name(index));
        renamed_exports.push((export.name.clone(), original));
        edits.extend(found.iter().map(|&at| (at, long, export.name.clone())));
    }
    edits.sort();
    let mut shortened = String::with_capacity(glue.len());
    let mut copied = 0;
    for (at, len, replacement) in edits {
        if at < copied {
            return Err(GlueError::Overlap(at));
        }
        shortened.push_str(&glue[copied..at]);
        shortened.push_str(&replacement);
        copied = at + len;
    }
    shortened.push_str(&glue[copied..]);
    let modules = modules
        .into_iter()
        .map(|(long, short)| (short, long))
        .collect::<Vec<_>>();
    Ok(Shortened {
        names_file: names_file(&renamed_exports, &imports, &modules, glue)?,
        glue: shortened,
    })
}

/// The short name given to `long`, giving it the next one the first time.
fn short_for(given: &mut BTreeMap<String, String>, long: &str) -> String {
    let next = given.len();
    given
        .entry(long.to_owned())
        .or_insert_with(|| short_name(next))
        .clone()
}

/// The `index`-th short name: `a` … `z`, `A` … `Z`, then `aa`, `ba`, …
pub fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    loop {
        name.push(char::from(LETTERS[index % LETTERS.len()]));
        index /= LETTERS.len();
        if index == 0 {
            return name;
        }
        index -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing `imports` from `./app_bg.js` and exporting `exports`.
    fn module(imports: &[&str], exports: &[&str]) -> walrus::Module {
        let imports: Vec<(&str, &str)> =
            imports.iter().map(|name| ("./app_bg.js", *name)).collect();
        crate::test_module::module(&imports, exports)
    }

    fn imports(module: &walrus::Module) -> Vec<(String, String)> {
        module
            .imports
            .iter()
            .map(|import| (import.module.clone(), import.name.clone()))
            .collect()
    }

    fn exports(module: &walrus::Module) -> Vec<String> {
        module
            .exports
            .iter()
            .map(|export| export.name.clone())
            .collect()
    }

    const GLUE: &str = "let wasm;\nfunction __wbg_get_imports() {\n\
        const import0 = {\n    __proto__: null,\n\
        __wbg_log_b04d8abe7ce24271: function(arg0) { console.log(arg0); },\n\
        __wbg_warn_7237a8f20bb122a8 : function(arg0) { console.warn(arg0); },\n};\n\
        return { __proto__: null, \"./app_bg.js\": import0 };\n}\n\
        export function say_hello(name) { return wasm.say_hello(name, wasm.__wbindgen_malloc); }\n\
        function run() { wasm.__wbindgen_malloc(1); wasm.__wbindgen_malloc_x(2); }\n\
        function finish(instance) { wasm = instance.exports; }\n";

    #[test]
    fn renames_both_sides_the_same_way_and_keeps_the_glue_exports() {
        let mut module = module(
            &["__wbg_log_b04d8abe7ce24271", "__wbg_warn_7237a8f20bb122a8"],
            &["say_hello", "__wbindgen_malloc", "__wbindgen_malloc_x"],
        );
        let shortened = shorten(&mut module, GLUE).unwrap();
        let glue = shortened.glue;
        let names = rules::under_the_hood::Renaming::parse(&shortened.names_file).unwrap();
        assert_eq!(
            names,
            rules::under_the_hood::Renaming::parse(&contract::render_names_file(
                &[
                    ("a".into(), "say_hello".into()),
                    ("b".into(), "__wbindgen_malloc".into()),
                    ("c".into(), "__wbindgen_malloc_x".into()),
                ],
                &[
                    (
                        "a".into(),
                        "__wbg_log_b04d8abe7ce24271".into(),
                        "Console".into()
                    ),
                    (
                        "b".into(),
                        "__wbg_warn_7237a8f20bb122a8".into(),
                        "Console".into()
                    ),
                ],
                &[("a".into(), "./app_bg.js".into())],
            ))
            .unwrap()
        );
        assert_eq!(
            imports(&module),
            [("a".into(), "a".into()), ("a".into(), "b".into())]
        );
        assert_eq!(exports(&module), ["a", "b", "c"]);
        assert!(
            glue.contains("\na: function(arg0) { console.log(arg0); }"),
            "{glue}"
        );
        assert!(
            glue.contains("\nb : function(arg0) { console.warn(arg0); }"),
            "{glue}"
        );
        assert!(
            glue.contains("return { __proto__: null, a: import0 };"),
            "{glue}"
        );
        assert!(
            glue.contains(
                "export function say_hello(name) { return wasm.a(name, wasm.b); }\n\
                 function run() { wasm.b(1); wasm.c(2); }"
            ),
            "{glue}"
        );
    }

    #[test]
    fn a_glue_that_does_not_match_the_module_is_an_error() {
        let missing_import = module(&["__wbg_alert_0123456789abcdef"], &[]);
        let twice = module(&["__wbg_log_b04d8abe7ce24271"], &[]);
        let not_a_key = module(&["__wbg_log_b04d8abe7ce24271"], &[]);
        let unread_export = module(&[], &["__wbindgen_free"]);
        let glue_twice = GLUE.replace(
            "function run()",
            "const other = { __wbg_log_b04d8abe7ce24271: 1 };\nfunction run()",
        );
        // Named in the code, as a call, but no longer as a key: the text is not enough.
        let glue_not_a_key = GLUE.replace(
            "__wbg_log_b04d8abe7ce24271: function(arg0) { console.log(arg0); }",
            "log: function(arg0) { __wbg_log_b04d8abe7ce24271(arg0); }",
        );
        let import = "__wbg_log_b04d8abe7ce24271".to_owned();
        for (mut module, glue, expected) in [
            (
                missing_import,
                GLUE.to_owned(),
                GlueError::ImportNotOnce("__wbg_alert_0123456789abcdef".to_owned()),
            ),
            (twice, glue_twice, GlueError::ImportNotOnce(import.clone())),
            (not_a_key, glue_not_a_key, GlueError::ImportNotOnce(import)),
            (
                unread_export,
                GLUE.to_owned(),
                GlueError::ExportNeverRead("__wbindgen_free".to_owned()),
            ),
        ] {
            let error = shorten(&mut module, &glue).err();
            assert_eq!(error, Some(expected), "{glue}");
        }
    }

    #[test]
    fn old_names_that_look_like_new_ones_are_not_confused() {
        let mut module = module(&[], &["b", "a"]);
        let glue = shorten(
            &mut module,
            "let wasm; wasm.a(); wasm.b(); wasm = i.exports;",
        )
        .unwrap()
        .glue;
        assert_eq!(exports(&module), ["a", "b"]);
        assert_eq!(glue, "let wasm; wasm.b(); wasm.a(); wasm = i.exports;");
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[52], "aa");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(
            names
                .iter()
                .all(|name| name.chars().all(|c| c.is_ascii_alphabetic()))
        );
    }
}
