use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::form_state::FormState;

use super::{GreetingMessage, LanguagePicker, NameField};
use crate::greet_and_log::greet_and_log;
use crate::languages::Languages;

/// Whether this is the build-time rendering of the page, before the app is live.
const PRERENDERED: bool = cfg!(feature = "ssr");

/// The form: a name field, the language picker and a submit button (Enter submits too), and
/// the greeting below, in the chosen language.
#[component]
pub fn GreetingForm(
    /// What the field starts with: what the visitor typed into the build-time page.
    typed: String,
) -> impl IntoView {
    let languages = Languages::from_context();
    let name = RwSignal::new(typed);
    let state = RwSignal::new(FormState::default());
    // The form's state itself goes to the field and the message, not signals derived from it:
    // each derived signal type costs the module its own code.

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let outcome = languages.with_current(|language| {
            name.with_untracked(|raw| greet_and_log(raw, &language.template))
        });
        state.update(|state| state.submitted(outcome));
    };
    let on_edit = move |raw: &str| state.update(|state| state.edited(raw));

    view! {
        <form class="greeting-form" on:submit=on_submit>
            <NameField value=name state on_edit />
            <LanguagePicker />
            // The build-time page's button waits, disabled, for the app: neither a click nor
            // Enter can then submit the form (CSP forbids it) and lose what was typed. The
            // attribute is the server renderer's; taking the page over leaves attributes as
            // they are, so the live app enables the button through the property.
            <button type="submit" data-testid="say-hello" disabled=PRERENDERED prop:disabled=false>
                "Say hello"
            </button>
        </form>
        <GreetingMessage state />
    }
}
