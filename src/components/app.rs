use leptos::prelude::*;

use super::GreetingForm;

/// The whole page: a heading and the greeting form.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <main class="app">
            <h1>"Look, Ma! No JS!"</h1>
            <p class="intro">"Type your name and this page, written entirely in Rust, greets you."</p>
            <GreetingForm />
        </main>
    }
}
