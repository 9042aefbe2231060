//! hello-wasm: a greeting app written entirely in Rust.
//!
//! The rules live in the `rules` crate, plain Rust with no browser dependencies; the browser
//! glue ([`console`], [`greet_and_log`], [`js_api`], [`crash`], [`fetch`],
//! [`preferences`], [`reflection`]), the language state ([`languages`]) and the view
//! ([`components`]) sit on top. ARCHITECTURE.md has the map.

// The server renderer drops every event handler: in the browser the app would be dead.
#[cfg(all(feature = "ssr", target_arch = "wasm32"))]
compile_error!(
    "the `ssr` feature is for rendering on the host (xtask); a wasm build with it has no event handlers"
);

pub mod components;
pub mod console;
pub mod crash;
pub mod fetch;
pub mod greet_and_log;
pub mod js_api;
pub mod languages;
pub mod preferences;
pub mod reflection;

use leptos::mount::{mount_to, mount_to_body};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{HtmlElement, HtmlInputElement};

pub use components::App;
use languages::Languages;

/// The id of the element whose build-time page (or placeholder) the app replaces on mount.
pub const ROOT_ID: &str = "app";

/// The id of the name field, in the build-time page and in the app.
pub const NAME_INPUT_ID: &str = "name";

/// Replaces the build-time page in `#app` with the live [`App`], and keeps it mounted for the
/// life of the page. The markup is swapped in one task, with what the visitor typed, and the
/// caret and focus are restored before the next paint, so the browser never paints the form
/// without them. Without `#app` it says so in the console and mounts to `<body>`.
pub fn mount_app() {
    let root = document()
        .get_element_by_id(ROOT_ID)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    let Some(root) = root else {
        console::error("The page has no #app element; the app is mounted at the end of <body>.");
        mount_to_body(|| view! { <App languages=Languages::load() /> });
        reflection::mark_mounted();
        return;
    };
    let before = name_input();
    let typed = before
        .as_ref()
        .map(HtmlInputElement::value)
        .unwrap_or_default();
    // The caret matters only in the field that has the focus.
    let caret = before
        .filter(|input| document().active_element().as_deref() == Some(input.as_ref()))
        .and_then(|input| Some((input.selection_start().ok()??, input.selection_end().ok()??)));
    // A <details> works without JavaScript: one opened on the build-time page stays open.
    let opened = details().is_some_and(|details| details.has_attribute("open"));
    root.replace_children_with_node_0();
    // The field's text goes to the app as the String wasm-bindgen's glue wrote (no copy), so
    // "Under the hood" shows that address for a name typed before the app was live; a copy
    // serves the check below.
    let expected = typed.clone();
    mount_to(
        root,
        move || view! { <App languages=Languages::load() typed=typed /> },
    )
    .forget();
    reflection::mark_mounted();
    if opened && let Some(details) = details() {
        // Its `toggle` event starts what the section shows.
        let _ = details.set_attribute("open", "");
    }
    // Focus and caret at once, so no key goes astray; and again before the next paint, after
    // the view's first effects have set the value (which moves the caret), unless the visitor
    // has typed meanwhile. Failures only mean a field that behaves like a fresh one.
    let restore = move || {
        if let (Some(input), Some((start, end))) = (name_input(), caret) {
            let _ = input.focus();
            let _ = input.set_selection_range(start, end);
        }
    };
    restore();
    request_animation_frame(move || {
        if name_input().is_some_and(|input| input.value() == expected) {
            restore();
        }
    });
}

/// The "Under the hood" section on the page, if there is one.
fn details() -> Option<leptos::web_sys::Element> {
    document()
        .query_selector("[data-testid=under-the-hood]")
        .ok()
        .flatten()
}

/// The name field on the page, if there is one.
fn name_input() -> Option<HtmlInputElement> {
    document()
        .get_element_by_id(NAME_INPUT_ID)
        .and_then(|element| element.dyn_into().ok())
}

/// The first view as HTML, for the release build's page: the same components as the app,
/// rendered on the host with English only and the button disabled until the app is live.
#[cfg(feature = "ssr")]
pub fn prerender() -> String {
    let owner = Owner::new();
    owner.with(|| view! { <App languages=Languages::english_only() /> }.to_html())
}
