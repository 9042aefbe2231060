//! The greeting rules: turn what a visitor typed into a validated [`Name`], and greet it.
//!
//! Plain Rust on purpose: nothing here touches Leptos, `web-sys` or `js-sys`, so every rule
//! is unit-tested on the host and rendering a greeting can never fail.

use std::fmt;
use std::str::FromStr;

use crate::graphemes::count_graphemes_up_to;

/// The longest name we accept, counted in characters as a person counts them.
pub const MAX_NAME_CHARS: usize = 100;

/// A name that has passed every rule: trimmed, not empty, at most [`MAX_NAME_CHARS`]
/// characters and free of control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

/// Why some input is not a name we can greet. `Display` is written for the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    /// Nothing but whitespace was entered.
    Empty,
    /// The name has more than `max` characters.
    TooLong {
        /// The most characters a name may have.
        max: usize,
    },
    /// The name contains a control character such as a tab or a line break inside it.
    ControlCharacter,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Please enter your name."),
            Self::TooLong { max } => write!(
                f,
                "That name is too long. Please use at most {max} characters."
            ),
            Self::ControlCharacter => f.write_str(
                "Please remove line breaks, tabs and other invisible control characters from your name.",
            ),
        }
    }
}

impl std::error::Error for NameError {}

impl Name {
    /// Parses raw input: trims surrounding whitespace, then applies every rule.
    ///
    /// ```
    /// use rules::greeting::{Name, NameError};
    ///
    /// assert_eq!(Name::parse("  Ferris ").unwrap().as_str(), "Ferris");
    /// assert_eq!(Name::parse("   "), Err(NameError::Empty));
    /// ```
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.chars().any(is_forbidden_control) {
            return Err(NameError::ControlCharacter);
        }
        // Counting stops one past the limit, so a huge paste costs no more than a long name.
        if count_graphemes_up_to(trimmed, MAX_NAME_CHARS + 1) > MAX_NAME_CHARS {
            return Err(NameError::TooLong {
                max: MAX_NAME_CHARS,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name as the visitor wrote it, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Name {
    type Err = NameError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        Self::parse(raw)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Greets a validated name.
///
/// ```
/// use rules::greeting::{say_hello, Name};
///
/// let name = Name::parse("Ferris").unwrap();
/// assert_eq!(say_hello(&name), "Hello, Ferris!");
/// ```
pub fn say_hello(name: &Name) -> String {
    Template::english().render(name)
}

/// The placeholder a template puts the name in, after its `{`.
const PLACEHOLDER_TAIL: &str = "name}";

/// A greeting with one place for the name: the text before it and the text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    before: String,
    after: String,
}

impl Template {
    /// Parses a template that contains `{name}` exactly once and no other brace.
    ///
    /// ```
    /// use rules::greeting::Template;
    ///
    /// let template = Template::parse("{name}さん、こんにちは！").unwrap();
    /// assert_eq!(template.parts(), ("", "さん、こんにちは！"));
    /// assert!(Template::parse("Hello!").is_none());
    /// ```
    pub fn parse(raw: &str) -> Option<Self> {
        // `split_once` and `strip_prefix` cut at places they found, so no slicing can fail.
        let (before, rest) = raw.split_once('{')?;
        let after = rest.strip_prefix(PLACEHOLDER_TAIL)?;
        let is_brace = |b: u8| b == b'{' || b == b'}';
        let one_placeholder = !before.bytes().any(is_brace) && !after.bytes().any(is_brace);
        one_placeholder.then(|| Self {
            before: before.to_owned(),
            after: after.to_owned(),
        })
    }

    /// English's, as the catalogue's first line has it: "Hello, {name}!".
    pub fn english() -> Self {
        Self {
            before: crate::english::BEFORE.to_owned(),
            after: crate::english::AFTER.to_owned(),
        }
    }

    /// The text before and after the name.
    pub fn parts(&self) -> (&str, &str) {
        (&self.before, &self.after)
    }

    /// The greeting for `name`, as one string.
    pub fn render(&self, name: &Name) -> String {
        [self.before.as_str(), name.as_str(), self.after.as_str()].concat()
    }
}

/// Characters that have no place in a name: C0 and C1 controls (tabs, line breaks, escape…),
/// the Unicode line and paragraph separators, and the bidirectional embedding, override and
/// isolate controls, which could make a greeting display in a misleading order.
/// Joiners (ZWJ, ZWNJ) stay allowed: emoji sequences and many scripts need them.
fn is_forbidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English's greeting for `name`, from the shipped catalogue's first line by a plain
    /// `{name}` replacement: what the tests expect is not made by the code they test.
    fn english(name: &str) -> String {
        let catalogue = include_str!("../../public/greetings.txt");
        contract::expected_greeting(catalogue, "en", name).unwrap()
    }

    fn greet(raw: &str) -> Result<String, NameError> {
        Name::parse(raw).map(|name| say_hello(&name))
    }

    #[test]
    fn greets_a_plain_name() {
        assert_eq!(greet("Ferris"), Ok(english("Ferris")));
        assert_eq!(greet("Ada Lovelace"), Ok(english("Ada Lovelace")));
    }

    #[test]
    fn trims_surrounding_whitespace_but_keeps_inner_spaces() {
        assert_eq!(greet("  Ferris \n"), Ok(english("Ferris")));
        assert_eq!(greet("\u{3000}Mary  Jane\t"), Ok(english("Mary  Jane")));
    }

    #[test]
    fn rejects_empty_and_whitespace_only_input() {
        assert_eq!(greet(""), Err(NameError::Empty));
        assert_eq!(greet("   "), Err(NameError::Empty));
        assert_eq!(greet(" \t\r\n\u{a0}\u{2003} "), Err(NameError::Empty));
    }

    #[test]
    fn accepts_exactly_the_limit_and_rejects_one_more() {
        let at_limit = "a".repeat(MAX_NAME_CHARS);
        assert_eq!(greet(&at_limit), Ok(english(&at_limit)));
        let over = "a".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(greet(&over), Err(NameError::TooLong { max: 100 }));
    }

    #[test]
    fn the_limit_counts_characters_not_bytes_or_code_points() {
        // Each family emoji is 7 code points and 25 bytes, but one character.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
        assert!(greet(&family.repeat(100)).is_ok());
        assert_eq!(
            greet(&family.repeat(101)),
            Err(NameError::TooLong { max: 100 })
        );
        // "e" followed by a combining acute accent is one character.
        let e_acute = "e\u{301}";
        assert!(greet(&e_acute.repeat(100)).is_ok());
        assert_eq!(
            greet(&e_acute.repeat(101)),
            Err(NameError::TooLong { max: 100 })
        );
    }

    #[test]
    fn keeps_emoji_sequences_and_combining_marks_intact() {
        let name = "Zoe\u{301} \u{1F469}\u{200D}\u{1F4BB}";
        assert_eq!(greet(name), Ok(english(name)));
    }

    #[test]
    fn greets_right_to_left_and_cjk_names() {
        assert_eq!(greet("مريم"), Ok(english("مريم")));
        assert_eq!(greet("שָׁלוֹם"), Ok(english("שָׁלוֹם")));
        assert_eq!(greet("山田太郎"), Ok(english("山田太郎")));
        assert_eq!(greet("김민준"), Ok(english("김민준")));
    }

    #[test]
    fn keeps_html_looking_input_verbatim() {
        // Escaping is the view's job: the rules must not mangle what was typed.
        let name = "<img src=x onerror=alert(1)>";
        assert_eq!(greet(name), Ok(english(name)));
        assert_eq!(greet("</p><script>"), Ok(english("</p><script>")));
    }

    #[test]
    fn rejects_control_characters_inside_the_name() {
        for name in [
            "Fer\tris",
            "Fer\nris",
            "Fer\u{0}ris",
            "Fer\u{1b}[31mris",
            "Fer\u{85}ris",
        ] {
            assert_eq!(greet(name), Err(NameError::ControlCharacter), "{name:?}");
        }
        assert_eq!(greet("Fer\u{2028}ris"), Err(NameError::ControlCharacter));
        assert_eq!(greet("\u{202E}sirreF"), Err(NameError::ControlCharacter));
    }

    #[test]
    fn allows_joiners_that_scripts_need() {
        // Persian uses ZWNJ inside words.
        assert!(greet("می\u{200C}خواهم").is_ok());
    }

    #[test]
    fn rejects_a_huge_input_without_counting_all_of_it() {
        let huge = "x".repeat(10_000);
        assert_eq!(greet(&huge), Err(NameError::TooLong { max: 100 }));
        // The length rule looks at one character past the limit and stops there.
        let mut pulled = 0;
        let counted = crate::graphemes::count_clusters_up_to(
            huge.chars().inspect(|_| pulled += 1),
            MAX_NAME_CHARS + 1,
        );
        assert_eq!(counted, MAX_NAME_CHARS + 1);
        assert!(pulled <= MAX_NAME_CHARS + 2, "pulled {pulled} characters");
    }

    #[test]
    fn messages_are_written_for_people() {
        assert_eq!(NameError::Empty.to_string(), "Please enter your name.");
        assert_eq!(
            NameError::TooLong { max: 100 }.to_string(),
            "That name is too long. Please use at most 100 characters."
        );
        assert!(
            NameError::ControlCharacter
                .to_string()
                .contains("line breaks")
        );
    }

    #[test]
    fn parses_through_from_str() {
        let name: Name = " Ferris ".parse().unwrap();
        assert_eq!(name.to_string(), "Ferris");
    }
}
