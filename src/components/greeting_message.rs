use leptos::prelude::*;

/// The greeting, in a live region that is always present so screen readers announce each new
/// greeting. The name is rendered as text, never as HTML.
#[component]
pub fn GreetingMessage(
    /// The greeting to show, if any.
    #[prop(into)]
    greeting: Signal<Option<String>>,
) -> impl IntoView {
    view! { <p class="greeting" role="status" data-testid="greeting">{move || greeting.get()}</p> }
}
