use leptos::prelude::*;
use rules::form_state::FormState;
use rules::greeting::NameError;

use crate::NAME_INPUT_ID as INPUT_ID;

const ERROR_ID: &str = "name-error";

/// The labelled name input, with its error message linked through `aria-describedby`.
#[component]
pub fn NameField(
    /// What the visitor has typed.
    value: RwSignal<String>,
    /// The form's state: the error to show under the input, if any.
    state: RwSignal<FormState>,
    /// Called with the new text after every edit.
    on_edit: impl Fn(&str) + 'static,
) -> impl IntoView {
    let error = move || state.with(FormState::error);
    let has_error = move || error().is_some();
    let aria_invalid = move || has_error().then_some("true");
    let aria_describedby = move || has_error().then_some(ERROR_ID);
    let message = move || error().map(|error| view! { <ErrorMessage error /> });
    let on_input = move |event| {
        let raw = event_target_value(&event);
        on_edit(&raw);
        value.set(raw);
    };

    view! {
        <div class="field">
            <label for=INPUT_ID>"Name"</label>
            <input
                id=INPUT_ID
                name="name"
                type="text"
                autocomplete="name"
                data-testid="name-input"
                on:input=on_input
                aria-invalid=aria_invalid
                aria-describedby=aria_describedby
            />
            {message}
        </div>
    }
}

/// The message for a refused name, announced at once by screen readers.
#[component]
fn ErrorMessage(error: NameError) -> impl IntoView {
    view! {
        <p id=ERROR_ID class="field-error" role="alert" data-testid="name-error">
            {error.to_string()}
        </p>
    }
}
