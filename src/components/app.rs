use leptos::prelude::*;

use super::{GreetingForm, LanguageNotice};
use crate::languages::Languages;

/// The whole page: a heading, the greeting form, and a notice if only English is available.
/// The greetings catalogue starts loading here (the page has been preloading it).
#[component]
pub fn App() -> impl IntoView {
    let languages = Languages::load();
    view! {
        <main class="app">
            <h1>"Look, Ma! No JS!"</h1>
            <p class="intro">"Type your name and this page, written entirely in Rust, greets you."</p>
            <GreetingForm languages />
            <LanguageNotice languages />
        </main>
    }
}
