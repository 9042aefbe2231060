use leptos::prelude::*;

/// The page for every path the router does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <h1>"Uh oh!" <br /> "We couldn't find that page!"</h1> }
}
