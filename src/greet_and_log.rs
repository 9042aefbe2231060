//! Greets raw input and tells the console what happened. Shared by the form and the
//! JavaScript export, so both log the same way.

use rules::greeting::Template;
use rules::greeting::{Name, NameError};

use crate::console;

/// Validates `raw` and logs its greeting with `template` (`console.log`), or the reason it
/// was refused (`console.warn`). Returns the validated name. `raw` should be the text as
/// wasm-bindgen passed it in, not a copy: where a greeted name lies is noted for "Under the
/// hood" (a refused one is not: it may be any size).
pub fn greet_and_log(raw: &str, template: &Template) -> Result<Name, NameError> {
    let outcome = Name::parse(raw);
    match &outcome {
        Ok(name) => {
            crate::reflection::record_crossing(raw);
            console::log(&template.render(name));
        }
        Err(error) => console::warn(&error.to_string()),
    }
    outcome
}
