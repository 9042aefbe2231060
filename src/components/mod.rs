//! The view: small Leptos components, one per file, wired to the plain-Rust state and rules.

mod app;
mod greeting_form;
mod greeting_message;
mod name_field;

pub use app::App;
pub use greeting_form::GreetingForm;
pub use greeting_message::GreetingMessage;
pub use name_field::NameField;
