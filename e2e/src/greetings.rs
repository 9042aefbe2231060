//! The greetings the tests expect, taken from the shipped catalogue (`public/greetings.txt`)
//! by a plain `{name}` replacement, never through the rules under test: a changed or added
//! greeting changes what the tests expect, and a wrong greeting on the page still fails.

/// The catalogue the build ships.
const CATALOGUE: &str = include_str!("../../public/greetings.txt");

/// The greeting for `name` in the catalogue's language `tag`.
pub fn greeting_in(tag: &str, name: &str) -> String {
    contract::expected_greeting(CATALOGUE, tag, name)
        .unwrap_or_else(|| panic!("public/greetings.txt has no language {tag}"))
}

/// The greeting for `name` in English, the catalogue's first language.
pub fn english(name: &str) -> String {
    greeting_in("en", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_greeting_is_the_catalogues_line_with_the_name_put_in() {
        // A few golden greetings, written out.
        assert_eq!(english("Ferris"), "Hello, Ferris!");
        assert_eq!(greeting_in("ja", "Zoë"), "Zoëさん、こんにちは！");
        assert_eq!(greeting_in("fr", "Zoë"), "Bonjour, Zoë\u{202f}!");
    }
}
