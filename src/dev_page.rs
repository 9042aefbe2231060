//! `trunk serve`'s debug page, compiled into debug builds only. It has no build-time view to
//! bring to life: rendering one needs the app built for the host, which would rebuild on every
//! edit. There `#app` holds index.html's placeholder, which the app replaces.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::Element;

use crate::languages::Languages;
use crate::{App, ROOT_ID, reflection};

/// Mounts the app in place of index.html's placeholder, for the life of the page, if the page
/// has `#app` without the build-time view; returns whether it did. Otherwise the page is left
/// to [`crate::mount_app`].
pub fn mount_in_place_of_placeholder() -> bool {
    let Some(root) = document().get_element_by_id(ROOT_ID) else {
        return false;
    };
    if has_build_time_view(&root) {
        return false;
    }
    root.set_text_content(None);
    let handle = leptos::mount::mount_to(root.unchecked_into(), || {
        view! { <App languages=Languages::load(None) /> }
    });
    handle.forget();
    reflection::mark_mounted();
    true
}

/// Whether `root` holds the build-time view, which always has the greeting form; index.html's
/// placeholder has none.
fn has_build_time_view(root: &Element) -> bool {
    matches!(root.query_selector("form"), Ok(Some(_)))
}
