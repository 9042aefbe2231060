//! The greetings catalogue: which languages the app greets in, parsed from the text file that
//! ships beside it (`public/greetings.txt`) into validated [`Language`]s.
//!
//! The format is one language a line, four fields separated by tabs: the BCP 47 tag, the
//! script direction (`ltr` or `rtl`), the language's name in itself (endonym), and the
//! greeting with exactly one `{name}`. The first line is [`HEADER`]; other lines starting
//! with `#` are comments. A bad line is skipped with a reason, and the rest still load.
//!
//! Only `char` patterns are used to search text here, and nothing is sliced by index: a
//! `&str` pattern would link core's two-way string searcher (about 4 KB in the browser), and
//! a slice's failure path Unicode escaping tables (3.3 KB; BENCHMARKS.md).

use std::fmt;

use crate::greeting::Template;

/// The first line of every catalogue: what it is and which version of the format.
pub const HEADER: &str = "# hello-wasm greetings v1";

/// A well-formed BCP 47 language tag, such as `de`, `pt-BR` or `zh-Hant-TW`: a primary
/// language subtag of 2 to 8 letters, then subtags of 1 to 8 letters or digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageTag(String);

impl LanguageTag {
    /// Checks the tag's shape (not that the language exists).
    pub fn parse(raw: &str) -> Option<Self> {
        let mut subtags = raw.split('-');
        let primary = subtags.next()?;
        let primary_ok =
            (2..=8).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic());
        let rest_ok = subtags.all(|subtag| {
            (1..=8).contains(&subtag.len()) && subtag.bytes().all(|b| b.is_ascii_alphanumeric())
        });
        (primary_ok && rest_ok).then(|| Self(raw.to_owned()))
    }

    /// The tag as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which way a language's script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian…).
    Rtl,
}

impl Direction {
    /// The value of an HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ltr => "ltr",
            Self::Rtl => "rtl",
        }
    }
}

/// A language the app can greet in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// Its BCP 47 tag.
    pub tag: LanguageTag,
    /// Which way its script runs.
    pub direction: Direction,
    /// Its name in itself: "Deutsch", "日本語".
    pub endonym: String,
    /// Its greeting.
    pub template: Template,
}

impl Language {
    /// English, built in: the app greets in it before, and without, the catalogue.
    pub fn english() -> Self {
        Self {
            tag: LanguageTag("en".to_owned()),
            direction: Direction::Ltr,
            endonym: crate::english::ENDONYM.to_owned(),
            template: Template::english(),
        }
    }
}

/// Why a line of the catalogue was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not four tab-separated fields.
    FieldCount,
    /// The tag is not a well-formed BCP 47 tag.
    Tag,
    /// The direction is neither `ltr` nor `rtl`.
    Direction,
    /// The endonym is empty.
    Endonym,
    /// The greeting does not contain `{name}` exactly once.
    Template,
    /// An earlier line has the same tag.
    Duplicate,
}

/// A skipped line: where, which tag it gave (as written), and why. `Display` is the warning
/// the console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// The line number, from 1.
    pub line: usize,
    /// The line's first field.
    pub tag: String,
    /// Why it was skipped.
    pub problem: Problem,
}

impl fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.problem {
            Problem::FieldCount => "it needs four fields separated by tabs",
            Problem::Tag => "its language tag is not valid BCP 47",
            Problem::Direction => "its direction must be ltr or rtl",
            Problem::Endonym => "its language name is empty",
            Problem::Template => "its greeting must contain {name} exactly once",
            Problem::Duplicate => "an earlier line has the same tag",
        };
        // `{:?}` would quote the tag too, but links Unicode escaping tables into the app.
        write!(
            f,
            "Greetings catalogue, line {} (\"{}\") skipped: {why}.",
            self.line, self.tag
        )
    }
}

/// Why the catalogue as a whole cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueError {
    /// The text does not start with [`HEADER`]: it is something else (an error page, say).
    NotACatalogue,
    /// No line gave a usable language.
    NoLanguages,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotACatalogue => "the greetings file is not a greetings catalogue",
            Self::NoLanguages => "the greetings catalogue has no usable language",
        })
    }
}

/// A parsed catalogue: its languages in file order, and the lines that were skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The usable languages.
    pub languages: Vec<Language>,
    /// The lines skipped, with why.
    pub skipped: Vec<SkippedLine>,
}

/// Parses a catalogue. Bad lines are skipped (and listed); a text that is not a catalogue,
/// or that has no usable line, is an error.
pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate();
    let header_ok = lines
        .next()
        .is_some_and(|(_, line)| line.as_bytes() == HEADER.as_bytes());
    if !header_ok {
        return Err(CatalogueError::NotACatalogue);
    }
    let mut catalogue = Catalogue {
        languages: Vec::new(),
        skipped: Vec::new(),
    };
    for (index, line) in lines {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line, &catalogue.languages) {
            Ok(language) => catalogue.languages.push(language),
            Err(problem) => catalogue.skipped.push(SkippedLine {
                line: index + 1,
                tag: line.split('\t').next().unwrap_or_default().to_owned(),
                problem,
            }),
        }
    }
    if catalogue.languages.is_empty() {
        return Err(CatalogueError::NoLanguages);
    }
    Ok(catalogue)
}

fn parse_line(line: &str, earlier: &[Language]) -> Result<Language, Problem> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [tag, direction, endonym, template] = fields[..] else {
        return Err(Problem::FieldCount);
    };
    let tag = LanguageTag::parse(tag).ok_or(Problem::Tag)?;
    let direction = match direction.as_bytes() {
        b"ltr" => Direction::Ltr,
        b"rtl" => Direction::Rtl,
        _ => return Err(Problem::Direction),
    };
    let endonym = endonym.trim();
    if endonym.is_empty() {
        return Err(Problem::Endonym);
    }
    let template = Template::parse(template).ok_or(Problem::Template)?;
    if earlier
        .iter()
        .any(|language| language.tag.as_str().eq_ignore_ascii_case(tag.as_str()))
    {
        return Err(Problem::Duplicate);
    }
    Ok(Language {
        tag,
        direction,
        endonym: endonym.to_owned(),
        template,
    })
}

/// Picks the language to greet in: the first of the visitor's `preferred` tags (best first,
/// as in `navigator.languages`) that a language in `languages` matches, trying each tag
/// itself and then without its last subtags (`de-AT` → `de`, `zh-Hant-TW` → `zh-Hant` →
/// `zh`). Tags compare without regard to case. `None` when nothing matches.
///
/// ```
/// use rules::catalogue::negotiate;
///
/// assert_eq!(negotiate(["de-AT", "en"], ["en", "de"]), Some(1));
/// assert_eq!(negotiate(["tlh"], ["en", "de"]), None);
/// ```
pub fn negotiate<'a, 'b>(
    preferred: impl IntoIterator<Item = &'a str>,
    languages: impl IntoIterator<Item = &'b str> + Clone,
) -> Option<usize> {
    preferred.into_iter().find_map(|wanted| {
        let mut candidate = wanted;
        loop {
            let found = languages
                .clone()
                .into_iter()
                .position(|tag| tag.eq_ignore_ascii_case(candidate));
            if found.is_some() {
                return found;
            }
            candidate = candidate.rsplit_once('-')?.0;
        }
    })
}

/// The language to start in, as an index into `languages`: the visitor's `stored` choice if
/// the catalogue has it (a stale or corrupt value is ignored), else the best match for their
/// `preferred` languages (see [`negotiate`]), else English, else the first.
pub fn initial_choice(languages: &[Language], stored: Option<&str>, preferred: &[String]) -> usize {
    let tags = languages.iter().map(|language| language.tag.as_str());
    stored
        .and_then(|stored| {
            tags.clone()
                .position(|tag| tag.eq_ignore_ascii_case(stored))
        })
        .or_else(|| negotiate(preferred.iter().map(String::as_str), tags.clone()))
        .or_else(|| negotiate(["en"], tags))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::greeting::Name;

    fn catalogue(lines: &[&str]) -> String {
        std::iter::once(HEADER)
            .chain(lines.iter().copied())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn name(raw: &str) -> Name {
        Name::parse(raw).unwrap()
    }

    #[test]
    fn parses_languages_in_file_order() {
        let text = catalogue(&[
            "# a comment",
            "de\tltr\tDeutsch\tHallo, {name}!",
            "",
            "ar\trtl\tالعربية\tمرحبًا يا {name}!",
        ]);
        let parsed = parse(&text).unwrap();
        assert_eq!(parsed.skipped, []);
        let tags: Vec<&str> = parsed.languages.iter().map(|l| l.tag.as_str()).collect();
        assert_eq!(tags, ["de", "ar"]);
        assert_eq!(parsed.languages[1].direction, Direction::Rtl);
        assert_eq!(parsed.languages[1].endonym, "العربية");
    }

    #[test]
    fn skips_each_kind_of_bad_line_and_keeps_the_rest() {
        let text = catalogue(&[
            "de\tltr\tDeutsch\tHallo, {name}!",
            "fr\tltr\tFrançais",
            "x1\tltr\tBad\tHi {name}",
            "es\tsideways\tEspañol\t¡Hola, {name}!",
            "it\tltr\t  \tCiao, {name}!",
            "nl\tltr\tNederlands\tHallo!",
            "pl\tltr\tPolski\tCześć, {name} i {name}!",
            "DE\tltr\tDeutsch\tServus, {name}!",
            "sv\tltr\tSvenska\tHej, {name}!",
        ]);
        let parsed = parse(&text).unwrap();
        let skipped: Vec<(usize, &str, Problem)> = parsed
            .skipped
            .iter()
            .map(|s| (s.line, s.tag.as_str(), s.problem))
            .collect();
        assert_eq!(
            skipped,
            [
                (3, "fr", Problem::FieldCount),
                (4, "x1", Problem::Tag),
                (5, "es", Problem::Direction),
                (6, "it", Problem::Endonym),
                (7, "nl", Problem::Template),
                (8, "pl", Problem::Template),
                (9, "DE", Problem::Duplicate),
            ]
        );
        let tags: Vec<&str> = parsed.languages.iter().map(|l| l.tag.as_str()).collect();
        assert_eq!(tags, ["de", "sv"]);
    }

    #[test]
    fn a_skipped_line_says_where_and_why() {
        let skipped = SkippedLine {
            line: 7,
            tag: "nl".to_owned(),
            problem: Problem::Template,
        };
        assert_eq!(
            skipped.to_string(),
            "Greetings catalogue, line 7 (\"nl\") skipped: its greeting must contain {name} exactly once."
        );
    }

    #[test]
    fn a_text_that_is_not_a_catalogue_is_refused_whole() {
        assert_eq!(
            parse("<!doctype html><p>Not found</p>"),
            Err(CatalogueError::NotACatalogue)
        );
        assert_eq!(parse(""), Err(CatalogueError::NotACatalogue));
        assert_eq!(
            parse(&catalogue(&["only\tbad"])),
            Err(CatalogueError::NoLanguages)
        );
        assert_eq!(parse(HEADER), Err(CatalogueError::NoLanguages));
    }

    #[test]
    fn windows_line_ends_are_accepted() {
        let text = format!("{HEADER}\r\nde\tltr\tDeutsch\tHallo, {{name}}!\r\n");
        let parsed = parse(&text).unwrap();
        assert_eq!(
            parsed.languages[0].template.render(&name("Ada")),
            "Hallo, Ada!"
        );
    }

    #[test]
    fn validates_language_tags() {
        for good in ["de", "pt-BR", "zh-Hant-TW", "es-419", "sr-Latn", "gsw"] {
            assert!(LanguageTag::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "d",
            "de-",
            "-de",
            "de--AT",
            "12",
            "de_AT",
            "de-ABCDEFGHI",
            "dé",
            "de AT",
        ] {
            assert!(LanguageTag::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn templates_hold_the_name_exactly_once() {
        assert!(Template::parse("{name}").is_some());
        for bad in [
            "Hello!",
            "{name} {name}",
            "{nom}",
            "{name",
            "Hello, {name}}",
            "}{name}",
            "{{name}",
        ] {
            assert!(Template::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn renders_in_each_script_direction_and_word_order() {
        let cases = [
            ("Hello, {name}!", "Ada", "Hello, Ada!"),
            ("¡Hola, {name}!", "Ada", "¡Hola, Ada!"),
            ("{name}さん、こんにちは！", "山田", "山田さん、こんにちは！"),
            ("{name}님, 안녕하세요!", "민준", "민준님, 안녕하세요!"),
            ("מה שלומך, {name}?", "Ada", "מה שלומך, Ada?"),
            ("مرحبًا يا {name}!", "مريم", "مرحبًا يا مريم!"),
            ("Bonjour, {name}\u{202F}!", "Zoé", "Bonjour, Zoé\u{202F}!"),
        ];
        for (template, who, expected) in cases {
            let template = Template::parse(template).unwrap();
            assert_eq!(template.render(&name(who)), expected);
        }
        assert_eq!(
            Language::english().template.render(&name("Ferris")),
            "Hello, Ferris!"
        );
    }

    #[test]
    fn negotiates_exact_regional_fallback_order_and_none() {
        let available = ["en", "de", "pt-BR", "zh-Hant", "zh"];
        let pick = |preferred: &[&str]| negotiate(preferred.iter().copied(), available);
        assert_eq!(pick(&["de"]), Some(1));
        assert_eq!(pick(&["DE-at"]), Some(1));
        assert_eq!(pick(&["pt-BR"]), Some(2));
        assert_eq!(pick(&["pt-PT"]), None);
        assert_eq!(pick(&["zh-Hant-TW"]), Some(3));
        assert_eq!(pick(&["zh-CN"]), Some(4));
        assert_eq!(pick(&["fr", "de-CH", "en"]), Some(1));
        assert_eq!(pick(&["en-GB", "de"]), Some(0));
        assert_eq!(pick(&["tlh", "x-klingon"]), None);
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn starts_in_the_stored_choice_then_the_browser_languages_then_english() {
        let text = catalogue(&[
            "de\tltr\tDeutsch\tHallo, {name}!",
            "en\tltr\tEnglish\tHello, {name}!",
            "ja\tltr\t日本語\t{name}さん、こんにちは！",
        ]);
        let languages = parse(&text).unwrap().languages;
        let preferred = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let start = |stored, tags: &[&str]| initial_choice(&languages, stored, &preferred(tags));
        assert_eq!(start(Some("ja"), &["de"]), 2);
        assert_eq!(start(Some("JA"), &["de"]), 2);
        assert_eq!(start(Some("xx-corrupt\u{0}"), &["de-AT"]), 0);
        assert_eq!(start(None, &["fr", "ja-JP"]), 2);
        assert_eq!(start(None, &["fr"]), 1);
        let no_english = &languages[2..];
        assert_eq!(initial_choice(no_english, None, &preferred(&["fr"])), 0);
    }

    #[test]
    fn the_shipped_catalogue_is_complete_and_clean() {
        let text = include_str!("../../public/greetings.txt");
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.skipped, [], "public/greetings.txt has bad lines");
        // README and ARCHITECTURE say 25.
        assert_eq!(parsed.languages.len(), 25);
        for tag in ["en", "de", "es", "fr", "ar", "he", "zh", "ja", "ko", "hi"] {
            assert!(
                parsed.languages.iter().any(|l| l.tag.as_str() == tag),
                "{tag} missing"
            );
        }
        let direction = |tag: &str| {
            parsed
                .languages
                .iter()
                .find(|l| l.tag.as_str() == tag)
                .map(|l| l.direction)
        };
        assert_eq!(direction("ar"), Some(Direction::Rtl));
        assert_eq!(direction("he"), Some(Direction::Rtl));
        assert_eq!(direction("ja"), Some(Direction::Ltr));
        // The catalogue's English is the built-in one, so nothing changes when it arrives.
        assert_eq!(parsed.languages[0], Language::english());
    }
}
