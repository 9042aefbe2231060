//! The browser console, bound directly with `js_namespace = console`: three imports, no `web-sys`.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(message: &str);
    #[wasm_bindgen(js_namespace = console, js_name = warn)]
    fn console_warn(message: &str);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Writes an informational line (`console.log`).
pub fn log(message: &str) {
    console_log(message);
}

/// Writes a warning (`console.warn`): something the visitor did that we refused, or
/// something the page can do without (a file that could not be fetched).
pub fn warn(message: &str) {
    console_warn(message);
}

/// Writes an error (`console.error`): something that went wrong on our side.
pub fn error(message: &str) {
    console_error(message);
}
