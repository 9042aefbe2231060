use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::{GreetingMessage, NameField};
use crate::form_state::FormState;
use crate::greeter::greet_and_log;

/// The form: a name field and a submit button (Enter submits too), and the greeting below.
#[component]
pub fn GreetingForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let state = RwSignal::new(FormState::default());
    let error = Signal::derive(move || state.with(FormState::error));
    let greeting = Signal::derive(move || state.with(|state| state.greeting().map(str::to_owned)));

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let outcome = greet_and_log(&name.get_untracked());
        state.update(|state| state.submitted(outcome));
    };
    let on_edit = move |raw: &str| state.update(|state| state.edited(raw));

    view! {
        <form class="greeting-form" on:submit=on_submit>
            <NameField value=name error on_edit />
            <button type="submit" data-testid="say-hello">"Say hello"</button>
        </form>
        <GreetingMessage greeting />
    }
}
