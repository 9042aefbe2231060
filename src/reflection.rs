//! What the browser can tell about the module itself, for the "Under the hood" section: the
//! last name that crossed into it, its exports and imports (read with `WebAssembly.Module`
//! from the module the page compiled, not downloaded again), what loading cost (Resource
//! Timing), the size of its memory, and when the app was mounted.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::PerformanceResourceTiming;
use rules::under_the_hood::{Crossing, Entry, Transfer};
use wasm_bindgen::JsValue;

thread_local! {
    // The crossing itself, and a trigger for the views that show it: a signal of its own type
    // would cost the module its own code. Reference-counted, not owned by whichever view
    // first reads it, so no view's disposal can take it away.
    static LAST_CROSSING: RefCell<Option<Crossing>> = const { RefCell::new(None) };
    static CROSSED: ArcTrigger = ArcTrigger::new();
    static MOUNTED_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// Notes the text the export or a handler received, where wasm-bindgen wrote it, and the
/// bytes there. Call it with the `&str` itself, before any copy: its pointer is the address
/// the glue wrote to, and its bytes are that linear memory as Rust received it.
pub fn record_crossing(raw: &str) {
    let crossing = Crossing {
        text: raw.to_owned(),
        address: raw.as_ptr() as usize,
        memory: raw.as_bytes().to_vec(),
    };
    LAST_CROSSING.with(|last| last.replace(Some(crossing)));
    CROSSED.with(ArcTrigger::notify);
}

/// The last name that crossed, as a signal: the section follows each new greeting.
pub fn last_crossing() -> Option<Crossing> {
    CROSSED.with(ArcTrigger::track);
    LAST_CROSSING.with(|last| last.borrow().clone())
}

/// Notes that the app has just been mounted.
pub fn mark_mounted() {
    MOUNTED_AT.with(|at| at.set(window().performance().map_or(0.0, |p| p.now())));
}

/// Whole milliseconds from navigation start to the mount.
pub fn mounted_at() -> u64 {
    MOUNTED_AT.with(Cell::get) as u64
}

/// The size of the module's linear memory, in 64 KiB pages.
pub fn memory_pages() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0);
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// The module's exports and imports, as `WebAssembly.Module.exports()` and `imports()` list
/// them for the module the page already compiled.
pub fn module_entries() -> (Vec<Entry>, Vec<Entry>) {
    entries_of(&wasm_bindgen::module().unchecked_into())
}

/// A compiled module's exports and imports, as `WebAssembly.Module` lists them.
pub fn entries_of(module: &js_sys::WebAssembly::Module) -> (Vec<Entry>, Vec<Entry>) {
    let entries = |list: js_sys::Array| -> Vec<Entry> {
        list.iter()
            .map(|entry| Entry {
                module: field(&entry, "module"),
                name: field(&entry, "name"),
                kind: field(&entry, "kind"),
            })
            .collect()
    };
    (
        entries(js_sys::WebAssembly::Module::exports(module)),
        entries(js_sys::WebAssembly::Module::imports(module)),
    )
}

fn field(entry: &JsValue, name: &str) -> String {
    js_sys::Reflect::get(entry, &JsValue::from_str(name))
        .ok()
        .and_then(|value| value.as_string())
        .unwrap_or_default()
}

/// Trunk's preload link for the module (`page::MODULE_PRELOAD`, kept equal by a test in
/// fixtures/): the page names the module it loads there.
pub const MODULE_PRELOAD: &str = "link[rel=preload][href$='_bg.wasm']";

/// The URL of the module the page loads, from its preload link, as the page wrote it (the
/// catalogue's is read the same way); `None` on a page without one (the component tests').
pub fn module_url() -> Option<String> {
    document()
        .query_selector(MODULE_PRELOAD)
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("href"))
}

/// Resource Timing for the page's JavaScript and wasm.
pub fn transfers() -> Vec<Transfer> {
    let entries = window()
        .performance()
        .map(|performance| performance.get_entries_by_type("resource"))
        .unwrap_or_default();
    entries
        .iter()
        .filter_map(|entry| entry.dyn_into::<PerformanceResourceTiming>().ok())
        .filter_map(|timing| {
            let url = timing.name();
            if !(url.ends_with(".wasm") || url.ends_with(".js")) {
                return None;
            }
            Some(Transfer {
                file: url.rsplit('/').next().unwrap_or_default().to_owned(),
                transferred: timing.transfer_size() as u64,
                encoded: timing.encoded_body_size() as u64,
                decoded: timing.decoded_body_size() as u64,
            })
        })
        .collect()
}
