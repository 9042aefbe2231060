//! hello-wasm: a greeting app written entirely in Rust.
//!
//! The rules live in the `rules` crate, plain Rust with no browser dependencies; the browser
//! glue ([`console`], [`greet_and_log`], [`js_api`], [`crash`], [`fetch`],
//! [`preferences`], [`reflection`], [`raw_module`]), the language state ([`languages`]) and
//! the view ([`components`]) sit on top. ARCHITECTURE.md has the map.

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
pub mod raw_module;
pub mod reflection;

use leptos::prelude::*;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::{PositionState, RenderHtml};
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement};

pub use components::App;
use languages::Languages;

/// The id of the element whose build-time view the app takes over.
pub const ROOT_ID: &str = "app";

/// The id of the name field, in the build-time page and in the app.
pub const NAME_INPUT_ID: &str = "name";

/// Brings the build-time view in `#app` to life (see [`take_over`]). Without `#app` it says so
/// in the console and does nothing more: the page stays as it was built.
pub fn mount_app() {
    match document().get_element_by_id(ROOT_ID) {
        Some(root) => take_over(&root),
        None => console::error("The page has no #app element, so the greeter cannot start."),
    }
}

/// Brings the build-time view in `root` to life, keeping every one of its nodes: the live
/// [`App`] adopts the page's elements (Leptos's hydration, without its server context) and
/// attaches its handlers and effects to them, for the life of the page. So what the visitor
/// did meanwhile stays as they left it: the text, the caret and selection, the focus, an IME
/// composition, a section they opened. The build-time notices after the app's `<main>` go.
pub fn take_over(root: &Element) {
    // The view's first field is the name's (the number field in "Under the hood" comes later).
    let typed = root
        .query_selector("input")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default();
    let chose_before = root
        .query_selector("select")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlSelectElement>().ok())
        .and_then(|picker| hand_over_picker(&picker));
    // Leptos's tasks (the catalogue's fetch) run on wasm-bindgen's executor; an error only
    // means it was set up already.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let state = owner.with(|| {
        view! { <App languages=Languages::load(chose_before) typed /> }
            .hydrate::<true>(&Cursor::new(root.clone()), &PositionState::default())
    });
    // The app lives as long as the page. A page that is not the view `App` renders (a
    // mismatch) panics inside `hydrate`, and the panic hook shows the crash notice.
    std::mem::forget((owner, state));
    reflection::mark_mounted();
    remove_before_live_notices(root);
    // A section the visitor opened before now shows what it shows on opening.
    if let Ok(Some(details)) = root.query_selector("details[open]")
        && let Ok(toggle) = Event::new("toggle")
    {
        let _ = details.dispatch_event(&toggle);
    }
}

/// Removes the build-time notices after the app's `<main>` in `root` (the load that stalls,
/// the page without JavaScript): once the app is live, or has crashed, they no longer apply.
pub(crate) fn remove_before_live_notices(root: &Element) {
    if let Some(before_live) = root.last_element_child()
        && before_live.class_name() == components::BEFORE_LIVE_CLASS
    {
        before_live.remove();
    }
}

/// Cuts the build-time `picker` to what the app offers until the catalogue has come, English
/// alone, keeping its node (and focus), and returns the language the visitor chose in it, if
/// they chose one; `Languages::arrived` chooses that again when the catalogue comes.
///
/// The build-time picker offers English and the catalogue's others (`Languages::shipped`),
/// and starts on an option of its own after English, shown as English, that the visitor
/// cannot choose (value `""`, disabled and hidden). So any choice, English again too, leaves
/// that option; it goes with all the others after English.
pub fn hand_over_picker(picker: &HtmlSelectElement) -> Option<String> {
    let chose = Some(picker.value()).filter(|tag| !tag.is_empty());
    picker.set_length(1);
    chose
}

/// The first view as HTML, for the release build's page: the same components as the app,
/// rendered on the host with the shipped catalogue's languages to pick from, and the button
/// disabled until the app is live.
#[cfg(feature = "ssr")]
pub fn prerender() -> String {
    let owner = Owner::new();
    owner.with(|| {
        view! {
            <App languages=Languages::shipped() />
            <components::BeforeLive />
        }
        .to_html()
    })
}

/// `trunk serve`'s page, which has no build-time view (debug builds only).
#[cfg(debug_assertions)]
pub mod dev_page;
