//! A bare Leptos app in the shape of start-trunk: meta tags, a router, a home page and a 404.

use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

mod components;
mod pages;

use pages::home::Home;
use pages::not_found::NotFound;

/// The router, rendering the home page and a 404 for every other path.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Html attr:lang="en" attr:dir="ltr" attr:data-theme="light" />
        <Title text="Welcome to Leptos CSR" />
        <Meta charset="UTF-8" />
        <Meta name="viewport" content="width=device-width, initial-scale=1.0" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
            </Routes>
        </Router>
    }
}
