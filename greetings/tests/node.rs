//! The package as JavaScript calls it, in Node (`wasm-pack test --node`): the exported
//! functions with the values JavaScript passes (a tag, a list, nothing, something else), and
//! the `Error` a refused name throws.

use hello_wasm_greetings::{greet, languages, why_refused};
use js_sys::Array;
use wasm_bindgen::{JsCast, JsError, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The message of the `Error` JavaScript would catch.
fn message(error: JsError) -> String {
    let thrown: JsValue = error.into();
    thrown
        .dyn_into::<js_sys::Error>()
        .expect("an Error")
        .message()
        .into()
}

fn list(tags: &[&str]) -> JsValue {
    tags.iter()
        .map(|tag| JsValue::from_str(tag))
        .collect::<Array>()
        .into()
}

#[wasm_bindgen_test]
fn greets_in_several_languages() {
    for (tag, greeting) in [
        ("de", "Hallo, Zoë!"),
        ("ja", "Zoëさん、こんにちは！"),
        ("fr", "Bonjour, Zoë\u{202f}!"),
        ("el", "Γεια σου, Zoë!"),
    ] {
        assert_eq!(greet("Zoë", tag.into()).unwrap(), greeting);
    }
    assert_eq!(greet("  Zoë ", JsValue::UNDEFINED).unwrap(), "Hello, Zoë!");
}

#[wasm_bindgen_test]
fn greets_right_to_left_and_says_so() {
    assert_eq!(greet("مريم", "ar".into()).unwrap(), "مرحبًا يا مريم!");
    assert_eq!(greet("Ferris", "he".into()).unwrap(), "שלום, Ferris!");
    let directions: Vec<(String, String)> = languages()
        .into_iter()
        .filter(|language| ["ar", "fa", "he", "de"].contains(&language.tag().as_str()))
        .map(|language| (language.tag(), language.direction()))
        .collect();
    let expected = [("ar", "rtl"), ("de", "ltr"), ("fa", "rtl"), ("he", "rtl")];
    assert_eq!(
        directions,
        expected.map(|(tag, direction)| (tag.to_owned(), direction.to_owned()))
    );
}

#[wasm_bindgen_test]
fn a_refused_name_throws_the_apps_message() {
    assert_eq!(
        message(greet("   ", "de".into()).unwrap_err()),
        "Please enter your name."
    );
    assert_eq!(
        message(greet("Fer\nris", JsValue::UNDEFINED).unwrap_err()),
        "Please remove line breaks, tabs and other invisible control characters from your name."
    );
    assert_eq!(why_refused(""), Some("Please enter your name.".to_owned()));
    assert_eq!(
        why_refused(&"🦀".repeat(101)),
        Some("That name is too long. Please use at most 100 characters.".to_owned())
    );
    // A hundred family emoji are a hundred characters to a person, however many code points.
    assert_eq!(why_refused(&"👨‍👩‍👧‍👦".repeat(100)), None);
}

#[wasm_bindgen_test]
fn negotiates_as_the_app_does() {
    // The first preferred tag the catalogue has, trying each without its last subtags.
    assert_eq!(
        greet("Ada", list(&["tlh", "de-AT", "fr"])).unwrap(),
        "Hallo, Ada!"
    );
    assert_eq!(greet("Ada", list(&["zh-Hant-TW"])).unwrap(), "你好，Ada！");
    assert_eq!(greet("Ada", "PT-br".into()).unwrap(), "Olá, Ada!");
    // Nothing the catalogue has, an empty list, or null: English.
    assert_eq!(greet("Ada", list(&["tlh"])).unwrap(), "Hello, Ada!");
    assert_eq!(greet("Ada", list(&[])).unwrap(), "Hello, Ada!");
    assert_eq!(greet("Ada", JsValue::NULL).unwrap(), "Hello, Ada!");
}

#[wasm_bindgen_test]
fn languages_other_than_tags_are_refused_with_a_message() {
    let expected = "languages must be a language tag such as \"de\", or a list of them such as navigator.languages";
    assert_eq!(message(greet("Ada", 42.into()).unwrap_err()), expected);
    let mixed: JsValue = [JsValue::from_str("de"), JsValue::from(1)]
        .into_iter()
        .collect::<Array>()
        .into();
    assert_eq!(message(greet("Ada", mixed).unwrap_err()), expected);
}

#[wasm_bindgen_test]
fn lists_every_language_in_the_catalogues_order() {
    let all = languages();
    assert_eq!(all.len(), 25);
    let first: Vec<(String, String)> = all
        .iter()
        .take(3)
        .map(|language| (language.tag(), language.name()))
        .collect();
    assert_eq!(
        first,
        [("en", "English"), ("ar", "العربية"), ("bn", "বাংলা")]
            .map(|(tag, name)| (tag.to_owned(), name.to_owned()))
    );
}
