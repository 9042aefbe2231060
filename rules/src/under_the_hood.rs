//! The "Under the hood" report, as plain text: what crossing from JavaScript into Rust did to
//! the visitor's name, what the module exports and imports (with the names the release build
//! shortened), and what loading it cost. The browser supplies the facts; this writes them up.
//!
//! One text, not a view per row: each distinct Leptos view shape costs kilobytes in the
//! browser, a line of text almost nothing.

use std::fmt::{self, Write as _};

use crate::graphemes::count_graphemes;

/// The first line of the names file the post-build writes beside the module.
pub const NAMES_HEADER: &str = "# hello-wasm interface names v1";

/// A name as it crossed into the module: the text, where wasm-bindgen wrote its bytes, and
/// the bytes found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossing {
    /// The text, exactly as received.
    pub text: String,
    /// The address in linear memory of its first UTF-8 byte.
    pub address: usize,
    /// The bytes at that address, read from linear memory when Rust received them.
    pub memory: Vec<u8>,
}

/// Its length in UTF-16 code units, as JavaScript's `length` counts it.
pub fn utf16_length(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Bytes in hex, upper case, separated by spaces: `Zoë`'s UTF-8 → `5A 6F C3 AB`.
pub fn hex_bytes(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 3);
    for (index, byte) in bytes.iter().enumerate() {
        if index > 0 {
            hex.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02X}");
    }
    hex
}

/// Writes up a crossing as the article tells it, in six steps, with the size of linear memory
/// in 64 KiB pages.
pub fn describe_crossing(crossing: &Crossing, memory_pages: usize) -> String {
    let Crossing {
        text,
        address,
        memory,
    } = crossing;
    let bytes = text.len();
    format!(
        "How \u{201C}{text}\u{201D} crossed from JavaScript into Rust\n\
         1. JavaScript holds the string: {} UTF-16 code units (its length).\n\
         2. passStringToWasm0 encodes it to UTF-8: {bytes} bytes.\n\
         3. __wbindgen_malloc reserves a byte for each of those units, and __wbindgen_realloc resizes the space when the text is not all ASCII: the bytes are at 0x{address:08X}, in the module's linear memory ({memory_pages} pages of 64 KiB).\n\
         4. At 0x{address:08X} that memory holds {}: the bytes themselves, read there when Rust received them.\n\
         5. Rust receives (0x{address:08X}, {bytes}), a pointer and a length (WASM_VECTOR_LEN), and reads them as a &str.\n\
         6. Rust counts {} characters, as a person counts them.\n",
        utf16_length(text),
        hex_bytes(memory),
        count_graphemes(text),
    )
}

/// What the section knows of the module's names: the release build shortens them, and both
/// builds write beside the module what each import binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Names {
    /// The names file is on its way.
    Loading,
    /// The names file, parsed.
    Renamed(Renaming),
    /// The names file could not be had: the names show as the module has them.
    Unavailable,
}

/// The release build's renaming: for each short name, the name wasm-bindgen gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renaming {
    exports: Vec<(String, String)>,
    imports: Vec<(String, String)>,
    /// What each import binds, in the order of `imports`.
    groups: Vec<String>,
    modules: Vec<(String, String)>,
}

/// Why a names file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamesError {
    /// The line, from 1 (1 for a missing header).
    pub line: usize,
}

impl std::fmt::Display for NamesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the interface names file is malformed at line {}",
            self.line
        )
    }
}

impl Renaming {
    /// Parses the names file that the build writes beside the module (its writer is
    /// `contract::render_names_file`, shared by the release build's post-build and the hook
    /// that finishes a debug build, which builds nothing of the app's):
    /// ```text
    /// # hello-wasm interface names v1
    /// module⇥a⇥./hello-wasm_bg.js
    /// import⇥b⇥__wbg_log_b04d8abe7ce24271⇥Console
    /// export⇥c⇥say_hello
    /// ```
    ///
    /// - first the header, [`NAMES_HEADER`];
    /// - then a line for each import module, import and export: its kind, the name the module
    ///   has, the name wasm-bindgen gave it, and for an import what it binds (the group "Under
    ///   the hood" lists it in), separated by tabs (⇥ above);
    /// - a release build's names are short (`a`, `b`, …), and a debug build's file gives each
    ///   name as itself.
    ///
    /// Empty lines are skipped, and a line with `\r\n` is read as one with `\n`. Any other
    /// line is refused with its number ([`NamesError`]).
    ///
    /// The header is written here and in `contract` (a test keeps the two equal): were the app
    /// to depend on `contract`, the release module's bytes would change with the crate graph
    /// (BENCHMARKS.md, 2026-12-02).
    pub fn parse(text: &str) -> Result<Self, NamesError> {
        let mut lines = text
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line));
        if lines.next().map(str::as_bytes) != Some(NAMES_HEADER.as_bytes()) {
            return Err(NamesError { line: 1 });
        }
        let mut renaming = Self::default();
        for (index, line) in lines.enumerate() {
            if line.is_empty() {
                continue;
            }
            let error = NamesError { line: index + 2 };
            let fields: Vec<&str> = line.split('\t').collect();
            let (list, short, long) = match fields[..] {
                ["export", short, long] => (&mut renaming.exports, short, long),
                ["module", short, long] => (&mut renaming.modules, short, long),
                ["import", short, long, group] if !group.is_empty() => {
                    renaming.groups.push(group.to_owned());
                    (&mut renaming.imports, short, long)
                }
                _ => return Err(error),
            };
            if short.is_empty() || short.contains(' ') || long.is_empty() {
                return Err(error);
            }
            list.push((short.to_owned(), long.to_owned()));
        }
        Ok(renaming)
    }

    /// Whether the names were shortened: a debug build's file gives each as itself.
    fn shortened(&self) -> bool {
        self.imports.iter().any(|(short, long)| short != long)
    }

    fn original<'a>(list: &'a [(String, String)], short: &str) -> Option<&'a str> {
        list.iter()
            .find(|(name, _)| name == short)
            .map(|(_, long)| long.as_str())
    }
}

/// One export or import of the module, as `WebAssembly.Module` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The import's module (empty for an export).
    pub module: String,
    /// Its name.
    pub name: String,
    /// `function`, `memory`, `table` or `global`.
    pub kind: String,
}

/// Writes up the module's exports, each short name beside its original, and how many imports
/// it has (see [`group_imports`] for them).
pub fn describe_module(exports: &[Entry], imports: &[Entry], names: &Names) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "The module: {} exports, {} imports (WebAssembly.Module.exports/imports)",
        exports.len(),
        imports.len()
    );
    let renaming = match names {
        Names::Renamed(renaming) => Some(renaming),
        _ => None,
    };
    text += match (names, renaming.map(Renaming::shortened)) {
        (_, Some(true)) => "The release build shortened these names; beside each, its original.\n",
        (_, Some(false)) => "A debug build: these are the names wasm-bindgen gave.\n",
        (Names::Loading, _) => "The names file is loading.\n",
        _ => "The names file could not be loaded: names as the module has them, ungrouped.\n",
    };
    text += "Exports\n";
    for entry in exports {
        let original = renaming
            .and_then(|r| Renaming::original(&r.exports, &entry.name))
            .filter(|original| *original != entry.name);
        line(&mut text, &entry.name, &entry.kind, original);
    }
    text += "Imports, by what they bind:\n";
    text
}

/// The group of imports when the names file, which says what each binds, is not there.
pub const ALL_IMPORTS: &str = "Imports";

/// The module's imports in groups by what they bind (the DOM, fetch, the console, …), as the
/// names file says: each group's title with its count, and its lines, in alphabetical order
/// of the groups. Without the file, one group holds them all.
pub fn group_imports(imports: &[Entry], names: &Names) -> Vec<(String, String)> {
    let renaming = match names {
        Names::Renamed(renaming) => Some(renaming),
        _ => None,
    };
    let mut groups: Vec<(&str, usize, String)> = Vec::new();
    for entry in imports {
        let found = renaming.and_then(|r| {
            let at = r
                .imports
                .iter()
                .position(|(short, _)| *short == entry.name)?;
            Some((r.imports[at].1.as_str(), r.groups[at].as_str()))
        });
        let group = found.map_or(ALL_IMPORTS, |(_, group)| group);
        // In alphabetical order as they come: a sort would cost the page 1.7 KB of code.
        let at = match groups.iter().position(|(name, _, _)| *name >= group) {
            Some(at) if groups[at].0 == group => at,
            found => {
                let at = found.unwrap_or(groups.len());
                groups.insert(at, (group, 0, String::new()));
                at
            }
        };
        let module = renaming
            .and_then(|r| Renaming::original(&r.modules, &entry.module))
            .unwrap_or(&entry.module);
        let name = format!("{}.{}", entry.module, entry.name);
        let original = found
            .filter(|(original, _)| *original != entry.name)
            .map(|(original, _)| format!("{module}: {original}"));
        let (_, count, lines) = &mut groups[at];
        *count += 1;
        line(lines, &name, &entry.kind, original.as_deref());
    }
    groups
        .into_iter()
        .map(|(group, count, lines)| (format!("{group} ({count})"), lines))
        .collect()
}

fn line(text: &mut String, name: &str, kind: &str, original: Option<&str>) {
    let _ = match original {
        Some(original) => writeln!(text, "  {name:<6} {kind:<9} {original}"),
        None => writeln!(text, "  {name:<6} {kind}"),
    };
}

/// The number the page first doubles with the raw module, as the article does.
pub const FIRST_NUMBER: i32 = 12;

/// The console line the article prints for `double_it(n)`: "The result of 12*2 is: 24".
pub fn result_line(n: i32, doubled: i32) -> String {
    format!("The result of {n}*2 is: {doubled}")
}

/// What the page learned from the raw module (the `raw` crate, built without wasm-bindgen).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawModule {
    /// Its size in bytes, as downloaded.
    pub bytes: usize,
    /// `WebAssembly.Module.exports()`.
    pub exports: Vec<Entry>,
    /// `WebAssembly.Module.imports()`.
    pub imports: Vec<Entry>,
    /// The browser's error when the module is instantiated without its import.
    pub link_error: String,
    /// `double_it(FIRST_NUMBER)`, with the import given.
    pub doubled: i32,
}

/// Writes up the raw module: the article's first example, without wasm-bindgen.
pub fn describe_raw(raw: &RawModule) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "Without wasm-bindgen: raw.wasm, {} bytes, no glue. Rust compiled it, the app's Rust instantiated it (WebAssembly.Instance) with a Rust closure as its add_integers.",
        raw.bytes
    );
    text += "Exports\n";
    for entry in &raw.exports {
        line(&mut text, &entry.name, &entry.kind, None);
    }
    text += "Imports\n";
    for entry in &raw.imports {
        line(
            &mut text,
            &format!("{}.{}", entry.module, entry.name),
            &entry.kind,
            None,
        );
    }
    let _ = writeln!(
        text,
        "double_it({FIRST_NUMBER}) = {}, as double_it called add_integers({FIRST_NUMBER}, {FIRST_NUMBER}) back in the app.\nWithout add_integers, the browser refuses to link it: {}",
        raw.doubled, raw.link_error
    );
    text
}

/// The number in the raw module's field, if it is one `double_it` takes: a whole number that
/// fits in an `i32` (`value` is the field's `valueAsNumber`, NaN when empty or not a number).
pub fn whole_number(value: f64) -> Result<i32, NumberError> {
    let in_range = (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&value);
    if in_range && value.fract() == 0.0 {
        Ok(value as i32)
    } else {
        Err(NumberError)
    }
}

/// The raw module's field holds no number `double_it` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberError;

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("double_it takes a whole number from -2147483648 to 2147483647.")
    }
}

/// One file's Resource Timing, in bytes. Whole numbers: formatting floats would cost the
/// browser several kilobytes of code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The file's name (the last part of its URL).
    pub file: String,
    /// Bytes on the wire, headers included (0 from the cache).
    pub transferred: u64,
    /// The body as sent, compressed.
    pub encoded: u64,
    /// The body decoded.
    pub decoded: u64,
}

/// Writes up what loading cost: each file's bytes, and when the app was mounted.
pub fn describe_cost(files: &[Transfer], mounted_ms: u64) -> String {
    let mut text =
        String::from("The cost (Resource Timing): bytes on the wire, the body as sent, decoded\n");
    for file in files {
        let _ = writeln!(
            text,
            "  {:>8} {:>8} {:>8}  {}",
            file.transferred, file.encoded, file.decoded, file.file
        );
    }
    let _ = writeln!(
        text,
        "  The style sheet is inline in the page.\n  The app was mounted {mounted_ms} ms after navigation started."
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(text: &str) -> (usize, usize, usize) {
        (utf16_length(text), text.len(), count_graphemes(text))
    }

    #[test]
    fn counts_and_bytes_as_each_side_sees_them() {
        assert_eq!(counts("Ferris"), (6, 6, 6));
        assert_eq!(hex_bytes("Ferris".as_bytes()), "46 65 72 72 69 73");
        assert_eq!(counts("Zoë"), (3, 4, 3));
        assert_eq!(hex_bytes("Zoë".as_bytes()), "5A 6F C3 AB");
        assert_eq!(counts("山田"), (2, 6, 2));
        assert_eq!(hex_bytes("山".as_bytes()), "E5 B1 B1");
        // Woman technologist: woman, ZWJ, laptop; two astral code points are surrogate pairs.
        let emoji = "\u{1F469}\u{200D}\u{1F4BB}";
        assert_eq!(counts(emoji), (5, 11, 1));
        assert_eq!(
            hex_bytes(emoji.as_bytes()),
            "F0 9F 91 A9 E2 80 8D F0 9F 92 BB"
        );
        // "e" and a combining acute accent: two code points, one character.
        assert_eq!(counts("e\u{301}"), (2, 3, 1));
        assert_eq!(hex_bytes("".as_bytes()), "");
    }

    #[test]
    fn the_crossing_reads_as_the_articles_six_steps() {
        let crossing = Crossing {
            text: "Zoë".to_owned(),
            address: 0x0011_2233,
            memory: vec![0x5A, 0x6F, 0xC3, 0xAB],
        };
        let text = describe_crossing(&crossing, 18);
        for expected in [
            "How \u{201C}Zoë\u{201D} crossed from JavaScript into Rust\n",
            "1. JavaScript holds the string: 3 UTF-16 code units (its length).\n",
            "2. passStringToWasm0 encodes it to UTF-8: 4 bytes.\n",
            // As the glue does it: malloc(3), then for "ë" realloc to 5, and to the 4 written.
            "3. __wbindgen_malloc reserves a byte for each of those units, and __wbindgen_realloc resizes the space when the text is not all ASCII: the bytes are at 0x00112233, in the module's linear memory (18 pages of 64 KiB).\n",
            "4. At 0x00112233 that memory holds 5A 6F C3 AB: the bytes themselves",
            "5. Rust receives (0x00112233, 4), a pointer and a length (WASM_VECTOR_LEN)",
            "6. Rust counts 3 characters, as a person counts them.\n",
        ] {
            assert!(text.contains(expected), "{expected:?} not in\n{text}");
        }
        // The bytes shown are the ones read from memory, not the text encoded again.
        let other = Crossing {
            memory: vec![0xFF],
            ..crossing
        };
        assert!(describe_crossing(&other, 18).contains("holds FF:"));
    }

    fn renaming() -> Renaming {
        Renaming::parse(&contract::render_names_file(
            &[
                ("a".into(), "say_hello".into()),
                ("b".into(), "__wbindgen_malloc".into()),
            ],
            &[
                import("a", "__wbg_log_0123456789abcdef", "Console"),
                import("b", "__wbg_warn_0123456789abcdef", "Console"),
                import("c", "__wbg_fetch_0123456789abcdef", "Fetch"),
            ],
            &[("a".into(), "./hello-wasm_bg.js".into())],
        ))
        .unwrap()
    }

    fn import(short: &str, long: &str, group: &str) -> (String, String, String) {
        (short.into(), long.into(), group.into())
    }

    #[test]
    fn the_header_read_here_is_the_one_the_build_writes() {
        assert_eq!(NAMES_HEADER, contract::NAMES_HEADER);
    }

    #[test]
    fn the_names_file_round_trips_and_refuses_what_is_malformed() {
        let renaming = renaming();
        assert_eq!(
            Renaming::original(&renaming.exports, "b"),
            Some("__wbindgen_malloc")
        );
        assert_eq!(
            Renaming::original(&renaming.imports, "a"),
            Some("__wbg_log_0123456789abcdef")
        );
        for (bad, line) in [
            ("", 1),
            ("<!doctype html>", 1),
            ("# hello-wasm interface names v1\nexport\ta", 2),
            (
                "# hello-wasm interface names v1\nexport\ta\tx\nglobal\tb\ty",
                3,
            ),
            ("# hello-wasm interface names v1\nexport\ta 1\tx", 2),
            ("# hello-wasm interface names v1\nimport\ta\tx", 2),
            ("# hello-wasm interface names v1\nimport\ta\tx\t", 2),
            ("# hello-wasm interface names v1\nexport\ta\tx\tDOM", 2),
            ("# hello-wasm interface names v1\nexport\t\tx", 2),
            ("# hello-wasm interface names v1\nexport\ta\t", 2),
        ] {
            assert_eq!(Renaming::parse(bad), Err(NamesError { line }), "{bad:?}");
        }
        assert_eq!(
            NamesError { line: 3 }.to_string(),
            "the interface names file is malformed at line 3"
        );
    }

    fn entry(module: &str, name: &str, kind: &str) -> Entry {
        Entry {
            module: module.into(),
            name: name.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn lists_each_short_name_beside_its_original() {
        let exports = [
            entry("", "a", "function"),
            entry("", "b", "function"),
            entry("", "c", "memory"),
        ];
        let imports = [entry("a", "a", "function")];
        let text = describe_module(&exports, &imports, &Names::Renamed(renaming()));
        assert!(text.contains("3 exports, 1 imports"), "{text}");
        assert!(text.contains("shortened these names"), "{text}");
        assert!(text.contains("  a      function  say_hello\n"), "{text}");
        assert!(
            text.contains("  b      function  __wbindgen_malloc\n"),
            "{text}"
        );
        assert!(text.contains("  c      memory\n"), "{text}");
        let alone = describe_module(&exports, &imports, &Names::Unavailable);
        assert!(
            alone.contains("could not be loaded") && alone.contains("  b      function\n"),
            "{alone}"
        );
        let loading = describe_module(&exports, &imports, &Names::Loading);
        assert!(loading.contains("is loading"), "{loading}");
    }

    #[test]
    fn a_debug_builds_names_file_gives_each_name_as_itself() {
        let debug = Renaming::parse(&contract::render_names_file(
            &[("say_hello".into(), "say_hello".into())],
            &[import(
                "__wbg_log_0123456789abcdef",
                "__wbg_log_0123456789abcdef",
                "Console",
            )],
            &[("./hello-wasm_bg.js".into(), "./hello-wasm_bg.js".into())],
        ))
        .unwrap();
        let names = Names::Renamed(debug);
        let text = describe_module(&[entry("", "say_hello", "function")], &[], &names);
        assert!(
            text.contains("debug build") && text.contains("  say_hello function\n"),
            "{text}"
        );
        let imports = [entry(
            "./hello-wasm_bg.js",
            "__wbg_log_0123456789abcdef",
            "function",
        )];
        assert_eq!(
            group_imports(&imports, &names),
            [(
                "Console (1)".to_owned(),
                "  ./hello-wasm_bg.js.__wbg_log_0123456789abcdef function\n".to_owned()
            )]
        );
    }

    #[test]
    fn groups_the_imports_by_what_they_bind_with_counts() {
        let imports = [
            entry("a", "c", "function"),
            entry("a", "a", "function"),
            entry("a", "b", "function"),
        ];
        let groups = group_imports(&imports, &Names::Renamed(renaming()));
        assert_eq!(
            groups,
            [
                (
                    "Console (2)".to_owned(),
                    "  a.a    function  ./hello-wasm_bg.js: __wbg_log_0123456789abcdef\n\
                     \x20 a.b    function  ./hello-wasm_bg.js: __wbg_warn_0123456789abcdef\n"
                        .to_owned()
                ),
                (
                    "Fetch (1)".to_owned(),
                    "  a.c    function  ./hello-wasm_bg.js: __wbg_fetch_0123456789abcdef\n"
                        .to_owned()
                ),
            ]
        );
        // Without the names file, or before it comes, one group holds them all.
        for names in [Names::Unavailable, Names::Loading] {
            assert_eq!(
                group_imports(&imports, &names),
                [(
                    "Imports (3)".to_owned(),
                    "  a.c    function\n  a.a    function\n  a.b    function\n".to_owned()
                )]
            );
        }
        assert!(group_imports(&[], &Names::Unavailable).is_empty());
    }

    #[test]
    fn the_cost_lists_each_file() {
        let text = describe_cost(
            &[Transfer {
                file: "app_bg.wasm".into(),
                transferred: 49_300,
                encoded: 49_000,
                decoded: 156_000,
            }],
            132,
        );
        assert!(
            text.contains("     49300    49000   156000  app_bg.wasm\n"),
            "{text}"
        );
        assert!(text.contains("mounted 132 ms after navigation"), "{text}");
    }

    #[test]
    fn the_raw_module_is_written_up_as_the_article_tells_it() {
        let raw = RawModule {
            bytes: 123,
            exports: vec![
                entry("", "memory", "memory"),
                entry("", "double_it", "function"),
            ],
            imports: vec![entry("env", "add_integers", "function")],
            link_error: "LinkError: import object field 'env' is not an Object".into(),
            doubled: 24,
        };
        let text = describe_raw(&raw);
        for part in [
            "raw.wasm, 123 bytes, no glue",
            "Exports\n  memory memory\n  double_it function\n",
            "Imports\n  env.add_integers function\n",
            "double_it(12) = 24, as double_it called add_integers(12, 12)",
            "refuses to link it: LinkError: import object field 'env' is not an Object\n",
        ] {
            assert!(text.contains(part), "{part:?} in {text}");
        }
        assert_eq!(result_line(12, 24), "The result of 12*2 is: 24");
    }

    #[test]
    fn the_raw_field_takes_whole_numbers_that_fit_an_i32() {
        assert_eq!(whole_number(12.0), Ok(12));
        assert_eq!(whole_number(-7.0), Ok(-7));
        assert_eq!(whole_number(2_147_483_647.0), Ok(i32::MAX));
        assert_eq!(whole_number(-2_147_483_648.0), Ok(i32::MIN));
        for refused in [f64::NAN, 2.5, 2_147_483_648.0, f64::INFINITY] {
            assert_eq!(whole_number(refused), Err(NumberError), "{refused}");
        }
        assert_eq!(
            NumberError.to_string(),
            "double_it takes a whole number from -2147483648 to 2147483647."
        );
    }
}
