//! What the build writes beside the app for the page to read: the names file (its one
//! writer) and the raw module's file name. Trunk's hook (`hook`) and the release post-build
//! (`xtask`) write them with it; the hook must not depend on the app's code, so that an edit
//! to the app does not rebuild it.
//!
//! The page's side keeps its own copy of the two names (`rules::under_the_hood::NAMES_HEADER`,
//! `hello_wasm::raw_module::FILE`), kept equal to these by tests: were the app to depend on
//! this crate, the release module's bytes would change with the crate graph, though not its
//! code (measured, BENCHMARKS.md, 2026-12-02).
//!
//! And what the tests expect of the catalogue the build ships: [`expected_greeting`].

/// The raw module's file as the page links it (`hello_wasm::raw_module::FILE`, kept equal by
/// a test in xtask); the release build renames it after its bytes, and the link follows.
pub const RAW_MODULE_FILE: &str = "raw.wasm";

/// The first line of the names file (`rules::under_the_hood::NAMES_HEADER`, kept equal by a
/// test in rules).
pub const NAMES_HEADER: &str = "# hello-wasm interface names v1";

/// Writes the names file: [`NAMES_HEADER`], then a line for each import module, import and
/// export: `module|import|export`, the name the module has and the one wasm-bindgen gave it,
/// and for an import what it binds, separated by tabs. `rules::under_the_hood::Renaming`
/// parses it. A debug build, whose names are not shortened, gives each name as itself.
pub fn render_names_file(
    exports: &[(String, String)],
    imports: &[(String, String, String)],
    modules: &[(String, String)],
) -> String {
    let mut text = format!("{NAMES_HEADER}\n");
    for (short, long) in modules {
        text += &format!("module\t{short}\t{long}\n");
    }
    for (short, long, group) in imports {
        text += &format!("import\t{short}\t{long}\t{group}\n");
    }
    for (short, long) in exports {
        text += &format!("export\t{short}\t{long}\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_file_has_its_header_then_modules_imports_and_exports() {
        let text = render_names_file(
            &[("a".into(), "say_hello".into())],
            &[(
                "b".into(),
                "__wbg_log_0123456789abcdef".into(),
                "Console".into(),
            )],
            &[("c".into(), "./hello-wasm_bg.js".into())],
        );
        assert_eq!(
            text,
            "# hello-wasm interface names v1\n\
             module\tc\t./hello-wasm_bg.js\n\
             import\tb\t__wbg_log_0123456789abcdef\tConsole\n\
             export\ta\tsay_hello\n"
        );
    }
}

/// The greeting the catalogue (`public/greetings.txt`'s text) gives `name` in the language
/// tagged `tag`: its line's last field with `{name}` replaced, and nothing else. What the
/// tests expect comes from here, never through the rules they test (`rules`), so that a
/// changed or added greeting changes what they expect. `None` if the catalogue has no `tag`.
pub fn expected_greeting(catalogue: &str, tag: &str, name: &str) -> Option<String> {
    let line = catalogue
        .lines()
        .find(|line| line.split('\t').next() == Some(tag))?;
    Some(line.rsplit('\t').next()?.replace("{name}", name))
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    #[test]
    fn the_expected_greeting_is_the_line_with_the_name_put_in() {
        let catalogue = "# hello-wasm greetings v1\nen\tltr\tEnglish\tHello, {name}!\n\
                         ja\tltr\t日本語\t{name}さん、こんにちは！\n";
        assert_eq!(
            expected_greeting(catalogue, "en", "Zoë").as_deref(),
            Some("Hello, Zoë!")
        );
        assert_eq!(
            expected_greeting(catalogue, "ja", "Zoë").as_deref(),
            Some("Zoëさん、こんにちは！")
        );
        assert_eq!(expected_greeting(catalogue, "de", "Zoë"), None);
    }
}
