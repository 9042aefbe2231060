use leptos::prelude::*;

use crate::languages::Languages;

/// The text shown when the catalogue could not be loaded.
pub const LANGUAGE_NOTICE: &str =
    "Greetings in other languages could not be loaded, so this page greets you in English.";

/// A small, non-blocking note that the page greets in English only, shown when the catalogue
/// could not be loaded.
#[component]
pub fn LanguageNotice() -> impl IntoView {
    let languages = Languages::from_context();
    let notice = move || {
        languages.unavailable().then(|| {
            view! {
                <p class="language-notice" role="status" data-testid="language-notice">
                    {LANGUAGE_NOTICE}
                </p>
            }
        })
    };
    view! { {notice} }
}
