//! What the greeting form shows, apart from the view: the name last greeted (the greeting is
//! rendered from it in the chosen language), and an error that appears on submit and is kept
//! up to date while the visitor corrects their input.

use crate::greeting::{Name, NameError};

/// The form's visible state. Plain data, so every transition is unit-tested on the host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormState {
    greeted: Option<Name>,
    error: Option<NameError>,
}

impl FormState {
    /// Records what a submit produced: a greeting replaces any error, and an error hides the
    /// previous greeting so the two never disagree on screen.
    pub fn submitted(&mut self, outcome: Result<Name, NameError>) {
        (self.greeted, self.error) = match outcome {
            Ok(name) => (Some(name), None),
            Err(error) => (None, Some(error)),
        };
    }

    /// Re-checks the input while the visitor types. Only an error already on screen changes
    /// (updated, or cleared once the input is valid): typing never raises a new error.
    pub fn edited(&mut self, raw: &str) {
        if self.error.is_some() {
            self.error = Name::parse(raw).err();
        }
    }

    /// The name to greet, if any.
    pub fn greeted(&self) -> Option<&Name> {
        self.greeted.as_ref()
    }

    /// The error to show, if any.
    pub fn error(&self) -> Option<NameError> {
        self.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ferris() -> Name {
        Name::parse("Ferris").unwrap()
    }

    #[test]
    fn starts_empty() {
        let state = FormState::default();
        assert_eq!((state.greeted(), state.error()), (None, None));
    }

    #[test]
    fn typing_before_the_first_submit_shows_no_error() {
        let mut state = FormState::default();
        state.edited("");
        state.edited("   ");
        assert_eq!(state.error(), None);
    }

    #[test]
    fn a_greeting_clears_the_error_and_an_error_hides_the_greeting() {
        let mut state = FormState::default();
        state.submitted(Err(NameError::Empty));
        assert_eq!(
            (state.greeted(), state.error()),
            (None, Some(NameError::Empty))
        );
        state.submitted(Ok(ferris()));
        assert_eq!((state.greeted(), state.error()), (Some(&ferris()), None));
        state.submitted(Err(NameError::ControlCharacter));
        assert_eq!(
            (state.greeted(), state.error()),
            (None, Some(NameError::ControlCharacter))
        );
    }

    #[test]
    fn typing_updates_and_then_clears_a_shown_error() {
        let mut state = FormState::default();
        state.submitted(Err(NameError::Empty));
        state.edited(&"a".repeat(101));
        assert_eq!(state.error(), Some(NameError::TooLong { max: 100 }));
        state.edited("Ferris");
        assert_eq!(state.error(), None);
        // Once cleared, emptying the field again waits for the next submit.
        state.edited("");
        assert_eq!(state.error(), None);
    }

    #[test]
    fn typing_keeps_the_last_greeting() {
        let mut state = FormState::default();
        state.submitted(Ok(ferris()));
        state.edited("Fe");
        assert_eq!(state.greeted(), Some(&ferris()));
    }
}
