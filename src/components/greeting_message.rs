use leptos::prelude::*;
use rules::form_state::FormState;

use crate::languages::Languages;

/// The greeting, in a live region that is always present so screen readers announce each new
/// greeting. It carries the language's `lang` and `dir`, and the name is bidi-isolated
/// (`<bdi>`), so a right-to-left name in a left-to-right greeting (and the reverse) reads in
/// the right order. The name is rendered as text, never as HTML.
#[component]
pub fn GreetingMessage(
    /// The form's state: the name to greet, if any.
    state: RwSignal<FormState>,
) -> impl IntoView {
    let languages = Languages::from_context();
    let lang = move || languages.with_current(|language| language.tag.as_str().to_owned());
    let dir = move || languages.with_current(|language| language.direction.as_str());
    let greeting = move || {
        let name = state.with(|state| state.greeted().cloned())?;
        let (before, after) = languages.with_current(|language| {
            let (before, after) = language.template.parts();
            (before.to_owned(), after.to_owned())
        });
        Some(view! { {before}<bdi>{name.as_str().to_owned()}</bdi>{after} })
    };

    view! {
        <p class="greeting" role="status" data-testid="greeting" lang=lang dir=dir>
            {greeting}
        </p>
    }
}
