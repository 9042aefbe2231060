use leptos::prelude::*;

use crate::languages::Languages;

const SELECT_ID: &str = "language";

/// The labelled language picker: the languages by their own names; a change re-greets at once.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let languages = Languages::from_context();
    let on_change = move |event| languages.choose(&event_target_value(&event));
    let options = move || {
        let options = languages.options().into_iter().map(|option| {
            // Each name is marked as written in its language, for a screen reader's voice.
            view! {
                <option value=option.tag.clone() lang=option.tag prop:selected=option.chosen>
                    {option.endonym}
                </option>
            }
        });
        // Inside the list, not beside it: the app's view of the picker stays as it was.
        #[cfg(feature = "ssr")]
        let options = with_not_chosen_yet(options);
        options.collect_view()
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

/// The build-time picker's `options`, with one more after the first (English): "nothing
/// chosen yet", chosen as built, shown as English, the language the page starts in. The
/// visitor can neither see it in the list nor choose it, so any language they choose before
/// the app is live, English too, leaves it, and the handover can tell a choice from none
/// (`hand_over_picker`, which removes it; the app never has it). Placed after English, it
/// leaves the keys as they would be on English: down to the next language, up to none.
#[cfg(feature = "ssr")]
fn with_not_chosen_yet(options: impl Iterator<Item = impl IntoView>) -> Vec<AnyView> {
    let english = rules::catalogue::Language::english().endonym;
    let not_chosen_yet = view! { <option value="" selected disabled hidden>{english}</option> };
    let mut options: Vec<AnyView> = options.map(IntoAny::into_any).collect();
    options.insert(options.len().min(1), not_chosen_yet.into_any());
    options
}
