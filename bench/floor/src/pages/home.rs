use leptos::prelude::*;

use crate::components::counter_btn::Button;

/// The home page: a heading and two counters, inside an error boundary.
#[component]
pub fn Home() -> impl IntoView {
    let fallback = |errors: ArcRwSignal<Errors>| {
        let list = move || {
            errors
                .get()
                .into_iter()
                .map(|(_, error)| view! { <li>{error.to_string()}</li> })
                .collect_view()
        };
        view! {
            <h1>"Uh oh! Something went wrong!"</h1>
            <p>"Errors: "</p>
            <ul>{list}</ul>
        }
    };
    view! {
        <ErrorBoundary fallback>
            <div class="container">
                <h1>"Welcome to Leptos"</h1>
                <div class="buttons">
                    <Button />
                    <Button increment=5 />
                </div>
            </div>
        </ErrorBoundary>
    }
}
