//! hello-wasm's greeting rules for JavaScript, the article's second pipeline: wasm-pack builds
//! this crate into an npm package (the `.wasm`, its JavaScript wrapper, a `package.json` and
//! TypeScript declarations). The same rules as the app's, from the `rules` crate: names
//! counted as people count them, the messages written for people, the app's catalogue (built
//! in, so the package works offline with no fetch) and its negotiation.
//!
//! What JavaScript sees is at the bottom ([`greet`], [`why_refused`] as `whyRefused`,
//! [`languages`], [`Language`]); above it, the same in plain Rust, tested on the host.

use std::sync::OnceLock;

use rules::catalogue::{self, initial_choice};
use rules::greeting::{Name, NameError};
use wasm_bindgen::prelude::*;

/// The catalogue the app ships.
const CATALOGUE: &str = include_str!("../../public/greetings.txt");

/// The built-in catalogue's languages, in its order.
fn catalogue() -> &'static [catalogue::Language] {
    static LANGUAGES: OnceLock<Vec<catalogue::Language>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        catalogue::parse(CATALOGUE)
            .map(|catalogue| catalogue.languages)
            // A host test checks that the shipped catalogue parses; English greets regardless.
            .unwrap_or_else(|_| vec![catalogue::Language::english()])
    })
}

/// The greeting for `name` in the first of `preferred` the catalogue has (tags as in
/// `navigator.languages`, best first, matched as the app matches them), or English.
pub fn greeting(name: &str, preferred: &[String]) -> Result<String, NameError> {
    let name = Name::parse(name)?;
    let languages = catalogue();
    Ok(languages[initial_choice(languages, None, preferred)]
        .template
        .render(&name))
}

/// Why `name` would be refused, in the app's words; `None` if it would be greeted.
pub fn refusal(name: &str) -> Option<String> {
    Name::parse(name).err().map(|error| error.to_string())
}

/// Why `languages` is neither a tag nor a list of tags.
const NOT_LANGUAGES: &str = "languages must be a language tag such as \"de\", or a list of them such as navigator.languages";

/// The tags JavaScript gave: none, one string, or an array of strings.
fn preferred(languages: &JsValue) -> Result<Vec<String>, JsError> {
    if languages.is_undefined() || languages.is_null() {
        return Ok(Vec::new());
    }
    if let Some(tag) = languages.as_string() {
        return Ok(vec![tag]);
    }
    if !js_sys::Array::is_array(languages) {
        return Err(JsError::new(NOT_LANGUAGES));
    }
    js_sys::Array::from(languages)
        .iter()
        .map(|tag| tag.as_string().ok_or_else(|| JsError::new(NOT_LANGUAGES)))
        .collect()
}

/// The greeting, in the first of `languages` the catalogue has (English if none, or none
/// given). Throws an `Error` whose message is written for people if the name is refused.
#[wasm_bindgen]
pub fn greet(
    name: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "string | string[]")] languages: JsValue,
) -> Result<String, JsError> {
    greeting(name, &preferred(&languages)?).map_err(|error| JsError::new(&error.to_string()))
}

/// Why a name would be refused, or `undefined` if it would be greeted.
#[wasm_bindgen(js_name = whyRefused)]
pub fn why_refused(name: &str) -> Option<String> {
    refusal(name)
}

/// Every language the catalogue has, in its order.
#[wasm_bindgen]
pub fn languages() -> Vec<Language> {
    catalogue()
        .iter()
        .map(|language| Language {
            tag: language.tag.as_str().to_owned(),
            name: language.endonym.clone(),
            direction: language.direction.as_str(),
        })
        .collect()
}

/// A language the catalogue has.
#[wasm_bindgen]
pub struct Language {
    tag: String,
    name: String,
    direction: &'static str,
}

#[wasm_bindgen]
impl Language {
    /// Its BCP 47 tag: "de", "zh-Hant".
    #[wasm_bindgen(getter)]
    pub fn tag(&self) -> String {
        self.tag.clone()
    }

    /// Its name in itself: "Deutsch", "日本語".
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Which way its script runs, as an HTML `dir` attribute takes it.
    #[wasm_bindgen(getter, unchecked_return_type = "\"ltr\" | \"rtl\"")]
    pub fn direction(&self) -> String {
        self.direction.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|tag| (*tag).to_owned()).collect()
    }

    #[test]
    fn the_built_in_catalogue_is_the_apps_whole() {
        let parsed = catalogue::parse(CATALOGUE).unwrap();
        assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
        assert_eq!(catalogue().len(), parsed.languages.len());
        assert_eq!(catalogue()[0].tag.as_str(), "en");
    }

    #[test]
    fn greets_in_the_first_preferred_language_the_catalogue_has() {
        assert_eq!(
            greeting("Zoë", &tags(&["de"])),
            Ok("Hallo, Zoë!".to_owned())
        );
        assert_eq!(
            greeting("Zoë", &tags(&["tlh", "fr-CA", "de"])),
            Ok("Bonjour, Zoë\u{202f}!".to_owned())
        );
        assert_eq!(greeting("Zoë", &[]), Ok("Hello, Zoë!".to_owned()));
        assert_eq!(
            greeting("Zoë", &tags(&["tlh"])),
            Ok("Hello, Zoë!".to_owned())
        );
    }

    #[test]
    fn refuses_as_the_app_does() {
        assert_eq!(greeting("  ", &[]), Err(NameError::Empty));
        assert_eq!(refusal(" "), Some("Please enter your name.".to_owned()));
        assert_eq!(refusal("Ferris"), None);
        assert_eq!(
            refusal(&"a".repeat(101)),
            Some("That name is too long. Please use at most 100 characters.".to_owned())
        );
    }
}
