//! What each of the module's imports binds, for the names file: "Under the hood" lists the
//! imports in groups (the DOM, fetch, the console, …) rather than as one list of 150 lines.
//!
//! The group is read from the glue's code for the import, not from its name alone: wasm-bindgen
//! names a dozen constructors `__wbg_new_<hash>`, and only the code (`new Headers()`) tells
//! which. Grouping happens here, at build time, so the page carries no table of names.

/// The group of imports no rule below knows. The glue fixture's test keeps it empty for this
/// app: a new import that lands here needs a line in [`BINDS`].
pub const UNKNOWN: &str = "Other";

use crate::glue::CodeNames;

/// wasm-bindgen's own runtime: closures, casts, type tests, errors it throws.
const RUNTIME: &str = "wasm-bindgen runtime";
const CONSOLE: &str = "Console";
const WEBASSEMBLY: &str = "WebAssembly";
const DOM: &str = "DOM and events";
const FETCH: &str = "Fetch, streams and URLs";
const TIMING: &str = "Timers and timing";
const SETTINGS: &str = "Storage and languages";
const BUILT_INS: &str = "JavaScript built-ins";

/// The JavaScript name each group binds: a constructor or type (`new X`, `instanceof X`) or a
/// member (`x.name`, `x.name()`, `x.name = …`).
const BINDS: &[(&str, &[&str])] = &[
    (
        DOM,
        &[
            "Comment",
            "Element",
            "Event",
            "HTMLInputElement",
            "HTMLSelectElement",
            "ShadowRoot",
            "Text",
            "Window",
            "addEventListener",
            "cancelBubble",
            "className",
            "cloneNode",
            "composedPath",
            "createComment",
            "createElement",
            "createElementNS",
            "createTextNode",
            "dispatchEvent",
            "document",
            "firstChild",
            "getAttribute",
            "getElementById",
            "hasAttribute",
            "host",
            "id",
            "insertBefore",
            "lastElementChild",
            "nextSibling",
            "nodeType",
            "nodeValue",
            "parentNode",
            "prepend",
            "preventDefault",
            "querySelector",
            "remove",
            "removeAttribute",
            "removeEventListener",
            "setAttribute",
            "tagName",
            "target",
            "textContent",
            "value",
            "valueAsNumber",
        ],
    ),
    // A debug build's async stack traces: `console.createTask(…).run(…)`.
    (CONSOLE, &["createTask", "run"]),
    (
        FETCH,
        &[
            "AbortController",
            "Headers",
            "Request",
            "Response",
            "URL",
            "URLSearchParams",
            "abort",
            "aborted",
            "arrayBuffer",
            "body",
            "byobRequest",
            "close",
            "credentials",
            "enqueue",
            "fetch",
            "headers",
            "method",
            "mode",
            "ok",
            "respond",
            "search",
            "signal",
            "status",
            "text",
            "url",
            "view",
        ],
    ),
    (
        TIMING,
        &[
            "PerformanceResourceTiming",
            "cancelAnimationFrame",
            "cancelIdleCallback",
            "clearInterval",
            "clearTimeout",
            "decodedBodySize",
            "encodedBodySize",
            "getEntriesByType",
            "now",
            "performance",
            "queueMicrotask",
            "setTimeout",
            "transferSize",
        ],
    ),
    (
        SETTINGS,
        &[
            "getItem",
            "languages",
            "localStorage",
            "navigator",
            "setItem",
        ],
    ),
    (
        WEBASSEMBLY,
        &["Instance", "Module", "WebAssembly", "exports", "imports"],
    ),
    (
        BUILT_INS,
        &[
            "Array",
            "ArrayBuffer",
            "Error",
            "Object",
            "Promise",
            "Reflect",
            "Uint8Array",
            "buffer",
            "byteLength",
            "byteOffset",
            "call",
            "get",
            "get_unchecked",
            "globalThis",
            "length",
            "message",
            "name",
            "set",
            "stack",
            "then",
            "toString",
        ],
    ),
];

/// The group of the import wasm-bindgen named `name`, whose code in the glue names `code`
/// (read from its syntax tree: see [`crate::glue::object_properties`]).
pub fn group_of(name: &str, code: &CodeNames) -> &'static str {
    if name.contains("__wbindgen") || name.contains("_wbg_cb_unref") {
        return RUNTIME;
    }
    let uses = |global: &str| code.globals.iter().any(|used| used == global);
    if uses("console") {
        return CONSOLE;
    }
    let binds = code
        .constructs
        .as_deref()
        .or(code.tests.as_deref())
        .or_else(|| {
            ["Reflect", "Promise"]
                .into_iter()
                .find(|global| uses(global))
        })
        .or_else(|| name.contains("_static_accessor_").then_some("globalThis"))
        .unwrap_or_else(|| member(name));
    BINDS
        .iter()
        .find(|(_, names)| names.contains(&binds))
        .map_or(UNKNOWN, |(group, _)| group)
}

/// The member an import's name is made from: `__wbg_set_className_<hash>` → `className`.
fn member(name: &str) -> &str {
    let name = name.strip_prefix("__wbg_").unwrap_or(name);
    let name = match name.rsplit_once('_') {
        Some((rest, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            rest
        }
        _ => name,
    };
    match name.strip_prefix("set_") {
        Some(property) if !property.is_empty() => property,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_what_the_code_binds_not_only_the_name() {
        for (name, body, group) in [
            (
                "__wbg_log_b04d8abe7ce24271",
                "function(a, b) { console.log(s(a, b)); }",
                CONSOLE,
            ),
            (
                "__wbg_new_277c27c26f94cbc2",
                "function() { const ret = new Headers(); }",
                FETCH,
            ),
            (
                "__wbg_new_cd4348290afae586",
                "function() { const ret = new Object(); }",
                BUILT_INS,
            ),
            (
                "__wbg_new_273fe0d336e61b94",
                "function(a) { const ret = new WebAssembly.Module(a); }",
                WEBASSEMBLY,
            ),
            (
                "__wbg_instanceof_Text_0123456789abcdef",
                "function(a) { let r; try { r = a instanceof Text; } catch (_) {} }",
                DOM,
            ),
            (
                "__wbg_set_className_fcd90345b3a090af",
                "function(a, b, c) { a.className = s(b, c); }",
                DOM,
            ),
            (
                "__wbg_get_2080c49015e35254",
                "function(a, b) { const ret = Reflect.get(a, b); }",
                BUILT_INS,
            ),
            (
                "__wbg_now_043d245551b22f9c",
                "function(a) { return a.now(); }",
                TIMING,
            ),
            (
                "__wbg_getItem_0123456789abcdef",
                "function(a) { a.getItem(); }",
                SETTINGS,
            ),
            (
                "__wbg___wbindgen_throw_0123456789abcdef",
                "function() { throw new Error(); }",
                RUNTIME,
            ),
            (
                "__wbindgen_generic_0000000000000001",
                "function(a, b) { return makeMutClosure(a, b, f); }",
                RUNTIME,
            ),
            (
                "__wbg_alert_0123456789abcdef",
                "function(a) { a.alert(); }",
                UNKNOWN,
            ),
            // A parameter that happens to be called `console` is not the global.
            (
                "__wbg_now_0123456789abcdef",
                "function(console) { return console.now(); }",
                TIMING,
            ),
            // What a minifier writes for `new Array()`, `new Object()` and `new Error(…)`.
            (
                "__wbg_new_0000000000000001",
                "function(){return[]}",
                BUILT_INS,
            ),
            (
                "__wbg_new_0000000000000002",
                "function(){return{}}",
                BUILT_INS,
            ),
            (
                "__wbg_new_0000000000000003",
                "function(a,b){return Error(s(a,b))}",
                BUILT_INS,
            ),
            // A local function called `Error` is not the global.
            (
                "__wbg_new_0000000000000004",
                "function(Error){return Error(1)}",
                UNKNOWN,
            ),
            // Minified: other spacing, and `new` without parentheses.
            (
                "__wbg_new_0123456789abcdef",
                "function(){return new Headers}",
                FETCH,
            ),
        ] {
            // Each body as the glue writes it: the value of its import's key.
            let glue = format!("const imports = {{ {name}: {body} }};");
            let properties = crate::glue::object_properties(&glue).unwrap();
            assert_eq!(
                group_of(name, &properties[name].names),
                group,
                "{name}: {body}"
            );
        }
    }

    #[test]
    fn the_member_is_the_name_without_prefix_hash_or_setter() {
        assert_eq!(
            member("__wbg_set_textContent_0123456789abcdef"),
            "textContent"
        );
        assert_eq!(
            member("__wbg_get_unchecked_e6325ad374eff861"),
            "get_unchecked"
        );
        assert_eq!(member("__wbg_set_2793479888329cb6"), "set");
        assert_eq!(member("plain"), "plain");
    }

    #[test]
    fn no_group_binds_a_name_twice() {
        let mut seen = std::collections::BTreeSet::new();
        for (_, names) in BINDS {
            for name in *names {
                assert!(seen.insert(name), "{name} is in two groups");
            }
        }
    }
}
