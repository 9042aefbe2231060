//! Removes what the module exports but nothing uses, with the wasm code behind it: about
//! 1.1 KB brotli off every first visit.
//!
//! Leptos always links `server_fn`'s browser client, and its `wasm-streams` dependency exports
//! `IntoUnderlyingSource`, `IntoUnderlyingSink` and `IntoUnderlyingByteSource` with
//! `#[wasm_bindgen]`. Exports are roots, so neither the linker nor wasm-opt can drop them. They
//! serve streaming server functions, and this app has no server. So the classes go from the
//! glue, then every export the glue no longer reads goes from the module (with a few that no
//! glue ever read). This is what a bundler's tree-shaking would do; the end-to-end tests run
//! against the result.

use crate::glue::{GlueError, export_reads};

/// The exported classes to remove.
pub const UNUSED_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// How the module's exports behind [`UNUSED_CLASSES`] begin (`__wbg_intounderlyingsink_free`,
/// `intounderlyingsource_pull`, …).
const STREAMS_EXPORTS: &str = "intounderlying";

/// Removes each class in [`UNUSED_CLASSES`] that wasm-bindgen's glue defines: the class, its
/// `Symbol.dispose` line and its `FinalizationRegistry`. Fails if a removed class is still
/// mentioned, which means wasm-bindgen's output changed shape and this step needs a look. A
/// class whose header is not found is left, and [`drop_unused_exports`] then fails, because
/// the module still exports its code.
pub fn strip_js(js: &str) -> Result<String, GlueError> {
    let mut out = js.to_owned();
    for class in UNUSED_CLASSES {
        let Some(start) = out.find(&format!("export class {class} {{\n")) else {
            continue;
        };
        let end = start
            + out[start..]
                .find("\n}\n")
                .ok_or(GlueError::UnclosedClass(class))?
            + 3;
        out.replace_range(start..end, "");
        let dispose = format!(
            "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
        );
        out = out.replacen(&dispose, "", 1);
        let registry = format!("const {class}Finalization = ");
        if let Some(start) = out.find(&registry) {
            let end = start
                + out[start..]
                    .find(");\n")
                    .ok_or(GlueError::UnclosedClass(class))?
                + 3;
            out.replace_range(start..end, "");
        }
        if out.contains(class) {
            return Err(GlueError::ClassStillMentioned(class));
        }
    }
    Ok(out)
}

/// Deletes the module's exports that the glue never reads (found in its syntax tree, see
/// [`export_reads`]), returning their names; the caller's garbage collection then drops the
/// code only they reached. Besides the classes [`strip_js`] removed, this drops exports no
/// glue ever uses, such as Leptos's `wasm_split` marker. Fails if the glue's use of the
/// exports cannot be read, and if the wasm-streams exports are still read afterwards: then
/// [`strip_js`] did not recognise the glue.
pub fn drop_unused_exports(
    module: &mut walrus::Module,
    glue: &str,
) -> Result<Vec<String>, GlueError> {
    let reads = export_reads(glue)?;
    if let Some(kept) = reads.keys().find(|name| name.contains(STREAMS_EXPORTS)) {
        return Err(GlueError::StreamsExportsRemain(kept.clone()));
    }
    let unused: Vec<_> = module
        .exports
        .iter()
        .filter(|export| !reads.contains_key(&export.name))
        .map(|export| (export.id(), export.name.clone()))
        .collect();
    for (id, _) in &unused {
        module.exports.delete(*id);
    }
    Ok(unused.into_iter().map(|(_, name)| name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "/* @ts-self-types=\"./hello-wasm.d.ts\" */\nlet wasm;\n\
export class IntoUnderlyingSink {\n    free() {\n        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);\n    }\n}\n\
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n\n\
export function say_hello(name) {\n    return wasm.say_hello(name);\n}\n\
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\n\
function keep(instance) { wasm = instance.exports; }\n";

    #[test]
    fn removes_the_class_and_everything_that_names_it() {
        let js = strip_js(GLUE).unwrap();
        assert!(
            !js.contains("IntoUnderlying") && !js.contains("intounderlying"),
            "{js}"
        );
        assert!(
            js.contains("export function say_hello(name) {\n    return wasm.say_hello(name);\n}\n")
        );
        assert!(js.ends_with("function keep(instance) { wasm = instance.exports; }\n"));
    }

    #[test]
    fn glue_without_the_classes_is_left_as_it_is() {
        let js = "export function say_hello(name) {}\n";
        assert_eq!(strip_js(js).unwrap(), js);
    }

    #[test]
    fn a_changed_glue_shape_is_an_error_not_a_silent_half_removal() {
        let odd = GLUE.replace(
            "export function say_hello",
            "IntoUnderlyingSink.extra = 1;\nexport function say_hello",
        );
        assert_eq!(
            strip_js(&odd),
            Err(GlueError::ClassStillMentioned("IntoUnderlyingSink"))
        );
    }

    #[test]
    fn drops_the_exports_the_glue_never_reads() {
        let mut module = crate::test_module::module(
            &[],
            &[
                "say_hello",
                "say_hello_twice",
                "__wbg_intounderlyingsink_free",
            ],
        );
        let glue = "let wasm;\nexport function f(name) { wasm.say_hello(name); }\n\
            function init(instance) { wasm = instance.exports; }";
        let dropped = drop_unused_exports(&mut module, glue).unwrap();
        assert_eq!(
            dropped,
            ["say_hello_twice", "__wbg_intounderlyingsink_free"]
        );
        walrus::passes::gc::run(&mut module);
        let names: Vec<&str> = module
            .exports
            .iter()
            .map(|export| export.name.as_str())
            .collect();
        assert_eq!(names, ["say_hello"]);
        assert_eq!(module.funcs.iter().count(), 1);
    }

    #[test]
    fn a_glue_that_still_reads_the_streams_exports_is_refused() {
        // The class header changed shape, so strip_js leaves the class in place.
        let odd = GLUE.replace(
            "export class IntoUnderlyingSink {",
            "export class IntoUnderlyingSink{",
        );
        let glue = strip_js(&odd).unwrap();
        let error = drop_unused_exports(&mut walrus::Module::default(), &glue).unwrap_err();
        assert_eq!(
            error,
            GlueError::StreamsExportsRemain("__wbg_intounderlyingsink_free".to_owned())
        );
        assert!(
            error.to_string().contains("glue's shape changed"),
            "{error}"
        );
    }

    #[test]
    fn a_glue_that_uses_the_exports_whole_drops_nothing() {
        let mut module = walrus::Module::default();
        let glue = GLUE.replace("function keep", "use(wasm);\nfunction keep");
        assert!(matches!(
            drop_unused_exports(&mut module, &glue),
            Err(GlueError::ExportsUsedWhole { .. })
        ));
    }
}
