//! Greets raw input and tells the console what happened. Shared by the form and the
//! JavaScript export, so both log the same way.

use crate::console;
use crate::greeting::{Name, NameError, say_hello};

/// Validates `raw`, greets it, and logs the greeting (`console.log`) or the reason it was
/// refused (`console.warn`).
pub fn greet_and_log(raw: &str) -> Result<String, NameError> {
    let outcome = Name::parse(raw).map(|name| say_hello(&name));
    match &outcome {
        Ok(greeting) => console::log(greeting),
        Err(error) => console::warn(&error.to_string()),
    }
    outcome
}
