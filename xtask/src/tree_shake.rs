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

use crate::interface;

/// The exported classes to remove.
pub const UNUSED_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// Removes each class in [`UNUSED_CLASSES`] that wasm-bindgen's glue defines: the class, its
/// `Symbol.dispose` line and its `FinalizationRegistry`. Fails if a removed class is still
/// mentioned, which means wasm-bindgen's output changed shape and this step needs a look.
pub fn strip_js(js: &str) -> Result<String, String> {
    let mut out = js.to_owned();
    for class in UNUSED_CLASSES {
        let Some(start) = out.find(&format!("export class {class} {{\n")) else {
            continue;
        };
        let end = start + out[start..].find("\n}\n").ok_or_else(|| unclosed(class))? + 3;
        out.replace_range(start..end, "");
        let dispose = format!(
            "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
        );
        out = out.replacen(&dispose, "", 1);
        let registry = format!("const {class}Finalization = ");
        if let Some(start) = out.find(&registry) {
            let end = start + out[start..].find(");\n").ok_or_else(|| unclosed(class))? + 3;
            out.replace_range(start..end, "");
        }
        if out.contains(class) {
            return Err(format!(
                "wasm-bindgen's glue still mentions {class} after removing it; its output has changed"
            ));
        }
    }
    Ok(out)
}

fn unclosed(class: &str) -> String {
    format!("cannot find the end of {class} in wasm-bindgen's glue")
}

/// Deletes the module's exports that the glue never reads (it reads them as `wasm.{name}`),
/// returning their names; the caller's garbage collection then drops the code only they
/// reached. Besides the classes [`strip_js`] removed, this drops exports no glue ever uses,
/// such as Leptos's `wasm_split` marker. Fails if the glue does not read exports as `wasm.…`,
/// since everything would look unused.
pub fn drop_unused_exports(module: &mut walrus::Module, glue: &str) -> Result<Vec<String>, String> {
    if !glue.contains(GLUE_EXPORTS) {
        return Err(format!(
            "wasm-bindgen's glue no longer reads the exports through `{GLUE_EXPORTS}`; its output has changed"
        ));
    }
    let unused: Vec<_> = module
        .exports
        .iter()
        .filter(|export| interface::export_reads(glue, &export.name).is_empty())
        .map(|export| (export.id(), export.name.clone()))
        .collect();
    for (id, _) in &unused {
        module.exports.delete(*id);
    }
    Ok(unused.into_iter().map(|(_, name)| name).collect())
}

/// How wasm-bindgen's glue keeps the instance's exports: `wasm = instance.exports;`.
pub const GLUE_EXPORTS: &str = "wasm = instance.exports;";

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "/* @ts-self-types=\"./hello-wasm.d.ts\" */\n\
export class IntoUnderlyingSink {\n    free() {\n        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);\n    }\n}\n\
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n\n\
export function say_hello(name) {\n    return wasm.say_hello(name);\n}\n\
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\n\
function keep() {}\n";

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
        assert!(js.ends_with("function keep() {}\n"));
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
        assert!(strip_js(&odd).is_err());
    }

    #[test]
    fn drops_the_exports_the_glue_never_reads() {
        let mut module = walrus::Module::default();
        for name in [
            "say_hello",
            "say_hello_twice",
            "__wbg_intounderlyingsink_free",
        ] {
            let mut body = walrus::FunctionBuilder::new(&mut module.types, &[], &[]);
            body.func_body();
            let function = body.finish(vec![], &mut module.funcs);
            module.exports.add(name, function);
        }
        let glue = format!("{GLUE_EXPORTS}\nexport function f(name) {{ wasm.say_hello(name); }}");
        let dropped = drop_unused_exports(&mut module, &glue).unwrap();
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
    fn a_glue_that_reads_exports_differently_drops_nothing() {
        let mut module = walrus::Module::default();
        assert!(drop_unused_exports(&mut module, "exports = instance.exports;").is_err());
    }
}
