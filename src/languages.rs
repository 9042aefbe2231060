//! The languages the page can greet in, and the one chosen: English at once, the catalogue's
//! languages when it arrives, and English with a notice if it does not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rules::catalogue::{Catalogue, Language, initial_choice};

use crate::console;
use crate::fetch::{FetchError, fetch_catalogue};
use crate::preferences::{browser_languages, store_language, stored_language};

/// The language state, shared by the picker, the form and the notice.
#[derive(Debug, Clone, Copy)]
pub struct Languages {
    list: RwSignal<Vec<Language>>,
    chosen: RwSignal<usize>,
    unavailable: RwSignal<bool>,
}

impl Languages {
    /// English alone, the built-in language.
    pub fn english_only() -> Self {
        Self {
            list: RwSignal::new(vec![Language::english()]),
            chosen: RwSignal::new(0),
            unavailable: RwSignal::new(false),
        }
    }

    /// English now, then the catalogue's languages once fetched (see
    /// [`fetch_catalogue`]), starting in the stored choice or the browser's language.
    pub fn load() -> Self {
        let languages = Self::english_only();
        spawn_local(async move { languages.arrived(fetch_catalogue().await) });
        languages
    }

    /// Takes in what fetching the catalogue gave: its languages, with a warning for each
    /// line skipped, or a warning and the notice.
    pub fn arrived(self, outcome: Result<Catalogue, FetchError>) {
        match outcome {
            Ok(catalogue) => {
                for skipped in &catalogue.skipped {
                    console::warn(&skipped.to_string());
                }
                let start = initial_choice(
                    &catalogue.languages,
                    stored_language().as_deref(),
                    &browser_languages(),
                );
                self.list.set(catalogue.languages);
                self.chosen.set(start);
            }
            Err(error) => {
                console::warn(&format!(
                    "Greeting in English only: the greetings catalogue cannot be used, as {error}."
                ));
                self.unavailable.set(true);
            }
        }
    }

    /// Switches to the language tagged `tag`, and remembers it.
    pub fn choose(self, tag: &str) {
        let found = self.list.with(|list| {
            list.iter()
                .position(|language| language.tag.as_str() == tag)
        });
        if let Some(index) = found {
            self.chosen.set(index);
            store_language(tag);
        }
    }

    /// The chosen language.
    pub fn current(self) -> Language {
        self.list.with(|list| {
            list.get(self.chosen.get())
                .cloned()
                .unwrap_or_else(Language::english)
        })
    }

    /// Each language's tag and endonym, and whether it is the chosen one.
    pub fn options(self) -> Vec<(String, String, bool)> {
        let chosen = self.chosen.get();
        self.list.with(|list| {
            list.iter()
                .enumerate()
                .map(|(index, language)| {
                    (
                        language.tag.as_str().to_owned(),
                        language.endonym.clone(),
                        index == chosen,
                    )
                })
                .collect()
        })
    }

    /// Whether the catalogue could not be loaded.
    pub fn unavailable(self) -> bool {
        self.unavailable.get()
    }
}
