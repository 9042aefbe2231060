//! What the module exports to JavaScript. Trunk's loader exposes it as `window.wasmBindings`.

use rules::catalogue::Language;
use rules::greeting::say_hello;
use wasm_bindgen::prelude::{JsError, wasm_bindgen};

use crate::greet_and_log::greet_and_log;

/// `say_hello(name: string): string`: greets `name` in English, or throws an `Error` whose
/// message says, for people, why the name was refused.
#[wasm_bindgen(js_name = say_hello)]
pub fn say_hello_js(name: &str) -> Result<String, JsError> {
    greet_and_log(name, &Language::english().template)
        .map(|name| say_hello(&name))
        .map_err(|error| JsError::new(&error.to_string()))
}
