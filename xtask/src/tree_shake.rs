//! Removes three JavaScript classes the module exports but nothing uses, with the wasm code
//! behind them: about 1.1 KB brotli off every first visit.
//!
//! Leptos always links `server_fn`'s browser client, and its `wasm-streams` dependency exports
//! `IntoUnderlyingSource`, `IntoUnderlyingSink` and `IntoUnderlyingByteSource` with
//! `#[wasm_bindgen]`. Exports are roots, so neither the linker nor wasm-opt can drop them. They
//! serve streaming server functions, and this app has no server. Removing them is what a
//! bundler's tree-shaking would do; the end-to-end tests run against the result.

/// The exported classes to remove.
pub const UNUSED_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// Removes each class in [`UNUSED_CLASSES`] that wasm-bindgen's glue defines: the class, its
/// `Symbol.dispose` line and its `FinalizationRegistry`. Returns the glue and the classes
/// removed. Fails if a removed class is still mentioned, which means wasm-bindgen's output
/// changed shape and this step needs a look.
pub fn strip_js(js: &str) -> Result<(String, Vec<&'static str>), String> {
    let mut out = js.to_owned();
    let mut removed = Vec::new();
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
        removed.push(class);
    }
    Ok((out, removed))
}

fn unclosed(class: &str) -> String {
    format!("cannot find the end of {class} in wasm-bindgen's glue")
}

/// Deletes the module's exports that belong to `classes` (wasm-bindgen names them
/// `{class}_{method}` and `__wbg_{class}_free`, lower-case), then the code only they reached.
pub fn strip_wasm(bytes: &[u8], classes: &[&str]) -> Result<Vec<u8>, String> {
    let mut module = walrus::Module::from_buffer(bytes)
        .map_err(|error| format!("cannot read the wasm: {error}"))?;
    let prefixes: Vec<String> = classes
        .iter()
        .flat_map(|class| {
            let class = class.to_ascii_lowercase();
            [format!("{class}_"), format!("__wbg_{class}_")]
        })
        .collect();
    let doomed: Vec<_> = module
        .exports
        .iter()
        .filter(|export| {
            prefixes
                .iter()
                .any(|prefix| export.name.starts_with(prefix.as_str()))
        })
        .map(|export| export.id())
        .collect();
    for id in doomed {
        module.exports.delete(id);
    }
    walrus::passes::gc::run(&mut module);
    Ok(module.emit_wasm())
}

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
        let (js, removed) = strip_js(GLUE).unwrap();
        assert_eq!(removed, ["IntoUnderlyingSink"]);
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
        assert_eq!(strip_js(js).unwrap(), (js.to_owned(), vec![]));
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
    fn deletes_the_class_exports_and_their_code_and_keeps_the_rest() {
        let mut module = walrus::Module::default();
        for name in [
            "say_hello",
            "intounderlyingsink_write",
            "__wbg_intounderlyingsink_free",
        ] {
            let mut body = walrus::FunctionBuilder::new(&mut module.types, &[], &[]);
            body.func_body();
            let function = body.finish(vec![], &mut module.funcs);
            module.exports.add(name, function);
        }
        let stripped = strip_wasm(&module.emit_wasm(), &["IntoUnderlyingSink"]).unwrap();
        let stripped = walrus::Module::from_buffer(&stripped).unwrap();
        let names: Vec<&str> = stripped
            .exports
            .iter()
            .map(|export| export.name.as_str())
            .collect();
        assert_eq!(names, ["say_hello"]);
        assert_eq!(stripped.funcs.iter().count(), 1);
    }
}
