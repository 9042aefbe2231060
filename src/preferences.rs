//! What the browser knows of the visitor's languages: `navigator.languages`, and the choice
//! kept in `localStorage`. Storage may be missing or refuse access (private modes, blocked
//! cookies): then nothing is remembered, and nothing fails.

use leptos::prelude::window;

/// The `localStorage` key of the chosen language's tag.
const STORAGE_KEY: &str = "hello-wasm.language";

/// The visitor's languages, best first, as the browser reports them.
pub fn browser_languages() -> Vec<String> {
    window()
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect()
}

/// The language tag the visitor chose on an earlier visit, if storage has one.
pub fn stored_language() -> Option<String> {
    let storage = window().local_storage().ok()??;
    storage.get_item(STORAGE_KEY).ok()?
}

/// Remembers the visitor's choice; without storage it is simply not remembered.
pub fn store_language(tag: &str) {
    if let Ok(Some(storage)) = window().local_storage() {
        // A full or refused storage only means the choice is not remembered next time.
        let _ = storage.set_item(STORAGE_KEY, tag);
    }
}
