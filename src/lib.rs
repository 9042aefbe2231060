//! hello-wasm: a greeting app written entirely in Rust.
//!
//! The rules live in the `rules` crate, plain Rust with no browser dependencies; the browser
//! glue ([`console`], [`greet_and_log`], [`js_api`], [`crash`], [`catalogue_fetch`],
//! [`preferences`]), the language state ([`languages`]) and the view ([`components`]) sit on
//! top. ARCHITECTURE.md has the map.

pub mod catalogue_fetch;
pub mod components;
pub mod console;
pub mod crash;
pub mod greet_and_log;
pub mod js_api;
pub mod languages;
pub mod preferences;

use leptos::mount::{mount_to, mount_to_body};
use leptos::prelude::document;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::HtmlElement;

pub use components::App;

/// The id of the element whose static placeholder the app replaces on mount.
pub const ROOT_ID: &str = "app";

/// Replaces the placeholder in `#app` with the [`App`] and keeps it mounted for the life of
/// the page. Without `#app` it says so in the console and mounts to `<body>`.
pub fn mount_app() {
    let root = document()
        .get_element_by_id(ROOT_ID)
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    match root {
        Some(root) => {
            root.replace_children_with_node_0();
            mount_to(root, App).forget();
        }
        None => {
            console::error(
                "The page has no #app element; the app is mounted at the end of <body>.",
            );
            mount_to_body(App);
        }
    }
}
