//! The view: small Leptos components, one per file, wired to the plain-Rust state and rules.

mod app;
mod greeting_form;
mod greeting_message;
mod language_notice;
mod language_picker;
mod name_field;
mod under_the_hood;

#[cfg(feature = "ssr")]
pub use app::BeforeLive;
pub use app::{App, BEFORE_LIVE_CLASS, TITLE};
pub use greeting_form::GreetingForm;
pub use greeting_message::GreetingMessage;
pub use language_notice::{LANGUAGE_NOTICE, LanguageNotice};
pub use language_picker::LanguagePicker;
pub use name_field::NameField;
pub use under_the_hood::UnderTheHood;
