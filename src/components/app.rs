use leptos::prelude::*;

use super::{GreetingForm, LanguageNotice, UnderTheHood};
use crate::languages::Languages;

// Text as a value, not a literal: `view!` compiles an element whose whole content is literal
// into an HTML string that it sets through `innerHTML`, a sink Trusted Types refuses
// (ARCHITECTURE.md). `xtask`'s tests fail if the module imports such a setter again.
// `TITLE`, the heading, is index.html's `<title>`, written there once (see build.rs).
include!(concat!(env!("OUT_DIR"), "/title.rs"));
const INTRO: &str = "Type your name and this page, written entirely in Rust, greets you.";

/// The whole page: a heading, the greeting form, a notice if only English is available, and
/// what happens under the hood.
#[component]
pub fn App(
    /// The languages to greet in, provided to every component below.
    languages: Languages,
    /// What the visitor typed before the app took over from the build-time page.
    #[prop(optional)]
    typed: String,
) -> impl IntoView {
    languages.provide();
    view! {
        <main class="app">
            <h1>{TITLE}</h1>
            <p class="intro">{INTRO}</p>
            <GreetingForm typed />
            <LanguageNotice />
            <UnderTheHood />
        </main>
    }
}

/// The class of [`BeforeLive`]'s element, which the app removes once it is live.
pub const BEFORE_LIVE_CLASS: &str = "before-live";

/// What only the build-time page shows, after the app's `<main>`, until the app is live: a
/// notice that CSS reveals if that has not happened after 6 s, and what to do without
/// JavaScript. The live app never renders it, so it is outside what the app adopts.
#[cfg(feature = "ssr")]
#[component]
pub fn BeforeLive() -> impl IntoView {
    view! {
        <div class=BEFORE_LIVE_CLASS>
            <p class="load-stalled" data-testid="load-stalled">
                "This is taking longer than it should. If nothing changes, reload the page; the greeter needs a browser with WebAssembly."
            </p>
            <noscript>
                <p class="intro">
                    "This page is written in Rust and runs as WebAssembly, which needs JavaScript turned on in your browser."
                </p>
            </noscript>
        </div>
    }
}
