use leptos::prelude::*;

use crate::languages::Languages;

const SELECT_ID: &str = "language";

/// The labelled language picker: the languages by their own names; a change re-greets at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let languages = Languages::from_context();
    let on_change = move |event| languages.choose(&event_target_value(&event));
    let options = move || {
        let options = languages
            .options()
            .into_iter()
            .map(|option| {
                view! { <option value=option.tag prop:selected=option.chosen>{option.endonym}</option> }
            })
            .collect_view();
        // Inside the list, not beside it: the app's view of the picker stays as it was.
        #[cfg(feature = "ssr")]
        let options = (not_chosen_yet(), options);
        options
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

/// The build-time picker's first option, chosen as built: "nothing chosen yet", shown as
/// English, the language the page starts in. The visitor cannot choose it, nor see it in the
/// list, so any language they choose before the app is live, English too, leaves it, and
/// `take_over` can tell a choice from none. `take_over` removes it; the app never has it.
#[cfg(feature = "ssr")]
fn not_chosen_yet() -> impl IntoView {
    let english = rules::catalogue::Language::english().endonym;
    view! { <option value="" selected disabled hidden>{english}</option> }
}
