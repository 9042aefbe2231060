use leptos::prelude::*;

use crate::languages::Languages;

const SELECT_ID: &str = "language";

/// The labelled language picker: the languages by their own names; a change re-greets at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let languages = Languages::from_context();
    let on_change = move |event| languages.choose(&event_target_value(&event));
    let options = move || {
        languages
            .options()
            .into_iter()
            .map(|option| {
                view! { <option value=option.tag prop:selected=option.chosen>{option.endonym}</option> }
            })
            .collect_view()
    };

    view! {
        <div class="field">
            <label for=SELECT_ID>"Language"</label>
            <select id=SELECT_ID name="language" data-testid="language" on:change=on_change>
                {options}
            </select>
        </div>
    }
}
