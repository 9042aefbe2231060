//! Greets raw input and tells the console what happened. Shared by the form and the
//! JavaScript export, so both log the same way.

use rules::catalogue::Template;
use rules::greeting::{Name, NameError};

use crate::console;

/// Validates `raw` and logs its greeting with `template` (`console.log`), or the reason it
/// was refused (`console.warn`). Returns the validated name.
pub fn greet_and_log(raw: &str, template: &Template) -> Result<Name, NameError> {
    let outcome = Name::parse(raw);
    match &outcome {
        Ok(name) => console::log(&template.render(name)),
        Err(error) => console::warn(&error.to_string()),
    }
    outcome
}
