//! The languages the page can greet in, and the one chosen: English at once, the catalogue's
//! languages when it arrives, and English with a notice if it does not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rules::catalogue::{Catalogue, Language, initial_choice};

use crate::console;
use crate::fetch::{FetchError, fetch_catalogue};
use crate::preferences::{browser_languages, store_language, stored_language};

/// The language state, shared through Leptos's context ([`Languages::provide`] in `App`,
/// [`Languages::from_context`] in the components that need it).
#[derive(Debug, Clone, Copy)]
pub struct Languages {
    list: RwSignal<Vec<Language>>,
    /// The chosen language's tag (a `String`, as the name field's signal: one signal type
    /// less to compile into the wasm).
    chosen: RwSignal<String>,
    unavailable: RwSignal<bool>,
}

/// One entry of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageOption {
    /// The language's tag, the option's value.
    pub tag: String,
    /// Its name in itself, the option's text.
    pub endonym: String,
    /// Whether it is the chosen language.
    pub chosen: bool,
}

impl Languages {
    /// English alone, the built-in language.
    pub fn english_only() -> Self {
        let list = RwSignal::new(vec![Language::english()]);
        let chosen = RwSignal::new(Language::english().tag.as_str().to_owned());
        Self {
            list,
            chosen,
            unavailable: RwSignal::new(false),
        }
    }

    /// The build-time picker's languages: English first (the option `take_over` keeps), then the
    /// others.
    #[cfg(feature = "ssr")]
    pub fn shipped() -> Self {
        let catalogue = rules::catalogue::parse(include_str!("../public/greetings.txt"))
            .expect("the shipped greetings catalogue parses (the rules crate's tests check it)");
        let others = catalogue
            .languages
            .into_iter()
            .filter(|l| l.tag != Language::english().tag);
        let languages = Self::english_only();
        languages.list.update(|list| list.extend(others));
        languages
    }

    /// English now, then the catalogue's languages once fetched (see [`fetch_catalogue`]),
    /// starting in the language the visitor `chose_before` the app was live, else the stored
    /// choice, else the browser's language.
    pub fn load(chose_before: Option<String>) -> Self {
        let languages = Self::english_only();
        spawn_local(async move {
            languages.arrived(fetch_catalogue().await, chose_before.as_deref());
        });
        languages
    }

    /// Makes these the languages of every component below the current owner.
    pub fn provide(self) {
        provide_context(self);
    }

    /// The languages an ancestor provided.
    ///
    /// # Panics
    /// Without [`Languages::provide`] above: a component used outside `App`.
    pub fn from_context() -> Self {
        // Not `expect_context`: its panic message formats the type name with `{:?}`, which
        // links core's Unicode escaping tables (about 4.7 KB of wasm; BENCHMARKS.md).
        use_context()
            .expect("a component that greets is used outside App, which provides the languages")
    }

    /// Takes in what fetching the catalogue gave: its languages, with a warning for each
    /// line skipped, or a warning and the notice. A language the visitor `chose_before` the
    /// app was live comes first, and is remembered as a choice made in the app is.
    pub fn arrived(self, outcome: Result<Catalogue, FetchError>, chose_before: Option<&str>) {
        match outcome {
            Ok(catalogue) => {
                for skipped in &catalogue.skipped {
                    console::warn(&skipped.to_string());
                }
                let stored = chose_before.map(str::to_owned).or_else(stored_language);
                let start = initial_choice(
                    &catalogue.languages,
                    stored.as_deref(),
                    &browser_languages(),
                );
                if let Some(language) = catalogue.languages.get(start) {
                    let tag = language.tag.as_str();
                    if chose_before == Some(tag) {
                        store_language(tag);
                    }
                    self.chosen.set(tag.to_owned());
                }
                self.list.set(catalogue.languages);
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
        let known = self
            .list
            .with(|list| list.iter().any(|language| language.tag.as_str() == tag));
        if known {
            store_language(tag);
            self.chosen.set(tag.to_owned());
        }
    }

    /// Calls `read` with the chosen language, borrowed: nothing is cloned (a `Memo` of the
    /// language would clone it, and cost 2.6 KB of wasm; BENCHMARKS.md). Tracked, so a view
    /// that reads it follows every change of list or choice.
    pub fn with_current<R>(self, read: impl FnOnce(&Language) -> R) -> R {
        self.chosen.with(|tag| {
            self.list.with(
                |list| match list.iter().find(|language| language.tag.as_str() == tag) {
                    Some(language) => read(language),
                    None => read(&Language::english()),
                },
            )
        })
    }

    /// Each language's tag and endonym, and whether it is the chosen one.
    pub fn options(self) -> Vec<LanguageOption> {
        self.chosen.with(|chosen| {
            self.list.with(|list| {
                list.iter()
                    .map(|language| LanguageOption {
                        tag: language.tag.as_str().to_owned(),
                        endonym: language.endonym.clone(),
                        chosen: language.tag.as_str() == chosen,
                    })
                    .collect()
            })
        })
    }

    /// Whether the catalogue could not be loaded.
    pub fn unavailable(self) -> bool {
        self.unavailable.get()
    }
}
