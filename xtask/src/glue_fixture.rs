//! The glue fixtures: what wasm-bindgen writes for this app, kept in `xtask/fixtures/`, so
//! that the post-build steps that edit it are tested on the real thing rather than on strings
//! written by hand. `cargo xtask glue-fixture` writes the one for the Leptos in `Cargo.lock`
//! and the installed wasm-bindgen, in a folder named after both. The tests below run on every
//! fixture kept (today's, and the next Leptos release's) and fail without today's, so an
//! upgrade cannot pass without refreshing it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::fs::{read, read_text, tool_output, write};

/// The folder that holds every fixture, one a release pair.
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The fixture folder for Leptos `leptos` and wasm-bindgen `wasm_bindgen`: keyed by both, so
/// that the glue of the next Leptos can be kept beside the current one's while both use the
/// same wasm-bindgen.
pub fn dir(leptos: &str, wasm_bindgen: &str) -> PathBuf {
    fixtures_dir().join(format!("leptos-{leptos}-wasm-bindgen-{wasm_bindgen}"))
}

/// The glue's file name in the fixture folder: `.txt`, as it is test data, not code the
/// project ships or runs.
pub const GLUE: &str = "hello-wasm.js.txt";
/// The module's imports and exports, one a line, in the fixture folder.
pub const INTERFACE: &str = "interface.txt";

/// What `cargo xtask glue-fixture` does with the glue it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Writes it into the fixture folder.
    Write,
    /// Fails if the fixture folder holds anything else (`--check`, run by `./dev test`).
    Check,
}

/// Builds the app's release wasm, runs the installed wasm-bindgen on it as Trunk does, and
/// writes the unminified glue and the module's interface into the fixture folder, or checks
/// that the folder holds exactly them.
pub fn regenerate(mode: Mode) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let version = tool_output(Command::new("wasm-bindgen").arg("--version"))?;
    let version = version
        .trim()
        .strip_prefix("wasm-bindgen ")
        .ok_or_else(|| hook::Error::Tool(format!("wasm-bindgen --version said {version:?}")))?
        .to_owned();
    tool_output(Command::new(env!("CARGO")).current_dir(&root).args([
        "build",
        "--release",
        "--locked",
        "--target",
        "wasm32-unknown-unknown",
        "--bin",
        "hello-wasm",
    ]))?;
    // Where that build went: `target/`, or wherever `CARGO_TARGET_DIR` says.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), |dir| root.join(dir));
    let out = target.join("glue-fixture");
    let wasm = target.join("wasm32-unknown-unknown/release/hello-wasm.wasm");
    tool_output(Command::new("wasm-bindgen").current_dir(&root).args([
        "--target".as_ref(),
        "web".as_ref(),
        "--no-typescript".as_ref(),
        "--out-name".as_ref(),
        "hello-wasm".as_ref(),
        "--out-dir".as_ref(),
        out.as_os_str(),
        wasm.as_os_str(),
    ]))?;
    let module = walrus::Module::from_buffer(&read(&out.join("hello-wasm_bg.wasm"))?)
        .map_err(|error| hook::Error::Module(error.to_string()))?;
    let leptos = crate::versions::locked("leptos")
        .ok_or_else(|| hook::Error::Tool("Cargo.lock names no leptos".to_owned()))?;
    let fixture = dir(leptos, &version);
    let files = [
        (fixture.join(GLUE), read_text(&out.join("hello-wasm.js"))?),
        (fixture.join(INTERFACE), describe(&module, &version)),
    ];
    if mode == Mode::Check {
        for (path, today) in &files {
            if std::fs::read_to_string(path).ok().as_ref() != Some(today) {
                return Err(Error::StaleFixture(path.clone()));
            }
        }
        println!(
            "glue-fixture: {} is what wasm-bindgen {version} writes today",
            fixture.display()
        );
        return Ok(());
    }
    std::fs::create_dir_all(&fixture).map_err(|source| hook::Error::Write {
        path: fixture.clone(),
        source,
    })?;
    for (path, text) in &files {
        write(path, text.as_bytes())?;
    }
    println!("glue-fixture: wrote {}", fixture.display());
    Ok(())
}

/// The module's imports (`import MODULE NAME`) and exports (`export KIND NAME`), a line each.
fn describe(module: &walrus::Module, version: &str) -> String {
    let mut text = format!(
        "# The imports and exports of the module wasm-bindgen {version} writes for hello-wasm.\n\
         # Written by `cargo xtask glue-fixture`: do not edit.\n"
    );
    for import in module.imports.iter() {
        text += &format!("import {} {}\n", import.module, import.name);
    }
    for export in module.exports.iter() {
        let kind = match export.item {
            walrus::ExportItem::Function(_) => "function",
            walrus::ExportItem::Table(_) => "table",
            walrus::ExportItem::Memory(_) => "memory",
            walrus::ExportItem::Global(_) => "global",
            walrus::ExportItem::Tag(_) => "tag",
        };
        text += &format!("export {kind} {}\n", export.name);
    }
    text
}

#[cfg(test)]
pub mod tests {
    //! The post-build steps on the real glue of the wasm-bindgen version in `Cargo.lock`.

    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::glue::export_reads;
    use crate::{interface, post_build, tree_shake};

    /// A fixture folder: the glue and the module's interface of one Leptos and wasm-bindgen.
    struct Fixture(PathBuf);

    impl Fixture {
        fn read(&self, name: &str) -> String {
            let path = self.0.join(name);
            std::fs::read_to_string(&path).unwrap_or_else(|error| {
                panic!(
                    "{}: {error}. Refresh the fixture: cargo xtask glue-fixture",
                    path.display()
                )
            })
        }

        fn glue(&self) -> String {
            self.read(GLUE)
        }

        /// A module with the fixture's imports and exports (and no code to speak of).
        fn module(&self) -> walrus::Module {
            module_of(&self.read(INTERFACE))
        }
    }

    impl std::fmt::Display for Fixture {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let name = self.0.file_name().unwrap_or_default();
            write!(f, "{}", name.to_string_lossy())
        }
    }

    /// Every fixture kept: today's (which must be there) and the next release's.
    fn fixtures() -> Vec<Fixture> {
        let today = dir(
            crate::versions::locked("leptos").expect("leptos in Cargo.lock"),
            crate::versions::locked("wasm-bindgen").expect("wasm-bindgen in Cargo.lock"),
        );
        let mut fixtures: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_dir())
            .collect();
        fixtures.sort();
        assert!(
            fixtures.contains(&today),
            "no fixture for today's versions at {}: cargo xtask glue-fixture",
            today.display()
        );
        fixtures.into_iter().map(Fixture).collect()
    }

    /// Each object the glue gives under a key, by that key, with the object's own keys: the
    /// import object's modules among them (`"./x_bg.js": import0`, with `const import0 = {
    /// __proto__: null, a: … }`, or the object written in place, as a minifier does).
    fn keyed_objects(glue: &str) -> BTreeMap<String, Vec<BTreeSet<String>>> {
        use oxc::ast::AstKind;
        use oxc::ast::ast::{Expression, ObjectPropertyKind};
        let keys = |object: &oxc::ast::ast::ObjectExpression<'_>| -> BTreeSet<String> {
            object
                .properties
                .iter()
                .filter_map(|property| match property {
                    ObjectPropertyKind::ObjectProperty(property) => property.key.static_name(),
                    ObjectPropertyKind::SpreadProperty(_) => None,
                })
                .map(|name| name.into_owned())
                .filter(|name| name != "__proto__")
                .collect()
        };
        crate::glue::with_syntax_tree(glue, |semantic| {
            let scoping = semantic.scoping();
            let mut modules: BTreeMap<String, Vec<BTreeSet<String>>> = BTreeMap::new();
            for node in semantic.nodes().iter() {
                let AstKind::ObjectProperty(property) = node.kind() else {
                    continue;
                };
                if let Expression::ObjectExpression(object) = &property.value
                    && let Some(key) = property.key.static_name()
                {
                    modules
                        .entry(key.into_owned())
                        .or_default()
                        .push(keys(object));
                    continue;
                }
                let Expression::Identifier(value) = &property.value else {
                    continue;
                };
                let Some(symbol) = value
                    .reference_id
                    .get()
                    .and_then(|id| scoping.get_reference(id).symbol_id())
                else {
                    continue;
                };
                let declaration = semantic
                    .nodes()
                    .get_node(scoping.symbol_declaration(symbol));
                if let AstKind::VariableDeclarator(declarator) = declaration.kind()
                    && let Some(Expression::ObjectExpression(object)) = &declarator.init
                    && let Some(key) = property.key.static_name()
                {
                    modules
                        .entry(key.into_owned())
                        .or_default()
                        .push(keys(object));
                }
            }
            Ok(modules)
        })
        .unwrap()
    }

    /// A module with the imports and exports `interface` lists.
    fn module_of(interface: &str) -> walrus::Module {
        let lines: Vec<Vec<&str>> = interface
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| line.split(' ').collect())
            .collect();
        let imports: Vec<(&str, &str)> = lines
            .iter()
            .filter_map(|fields| match fields[..] {
                ["import", from, name] => Some((from, name)),
                _ => None,
            })
            .collect();
        let functions: Vec<&str> = lines
            .iter()
            .filter_map(|fields| match fields[..] {
                ["export", "function", name] => Some(name),
                _ => None,
            })
            .collect();
        let mut module = crate::test_module::module(&imports, &functions);
        for fields in &lines {
            let item = match fields[..] {
                ["import", _, _] | ["export", "function", _] => continue,
                ["export", "memory", _] => walrus::ExportItem::Memory(
                    module.memories.add_local(false, false, 17, None, None),
                ),
                ["export", "table", _] => walrus::ExportItem::Table(module.tables.add_local(
                    false,
                    1,
                    None,
                    walrus::RefType::FUNCREF,
                )),
                ["export", "global", _] => walrus::ExportItem::Global(module.globals.add_local(
                    walrus::ValType::I32,
                    false,
                    false,
                    walrus::ConstExpr::Value(walrus::ir::Value::I32(0)),
                )),
                _ => panic!("{INTERFACE}: cannot read {fields:?}"),
            };
            module.exports.add(fields[2], item);
        }
        module
    }

    fn export_names(module: &walrus::Module) -> BTreeSet<String> {
        module
            .exports
            .iter()
            .map(|export| export.name.clone())
            .collect()
    }

    #[test]
    fn the_real_glue_reads_the_exports_the_page_needs() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            let reads = export_reads(&fixture.glue()).unwrap();
            for name in [
                "say_hello",
                "memory",
                "__wbindgen_malloc",
                "__wbindgen_start",
            ] {
                assert!(
                    reads.contains_key(name),
                    "{name} not read: {:?}",
                    reads.keys()
                );
            }
            let exports = export_names(&fixture.module());
            assert!(
                reads.keys().all(|name| exports.contains(name)),
                "the glue reads an export the module lacks"
            );
        }
    }

    #[test]
    fn the_module_imports_no_html_sink() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            // The page enforces Trusted Types with no policy: a string set as HTML would break
            // it. Leptos compiles an element whose whole content is literal into an HTML string
            // set through `innerHTML`; the day a view (or Leptos) does so again, the setter is
            // imported, the fixture's `--check` makes it be refreshed, and this fails.
            let sinks = [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "HTMLUnsafe",
                "createContextualFragment",
                "srcdoc",
            ];
            let imports: Vec<String> = fixture
                .read(INTERFACE)
                .lines()
                .filter(|line| line.starts_with("import "))
                .filter(|line| sinks.iter().any(|sink| line.contains(sink)))
                .map(str::to_owned)
                .collect();
            assert_eq!(imports, Vec::<String>::new());
        }
    }

    #[test]
    fn the_tree_shake_removes_the_streams_classes_and_only_what_they_used() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            let glue = tree_shake::strip_js(&fixture.glue()).unwrap();
            assert!(!glue.contains("IntoUnderlying"));
            let mut module = fixture.module();
            let before = export_names(&module);
            assert!(
                before.iter().any(|name| name.contains("intounderlying")),
                "the fixture's module should export the wasm-streams classes"
            );
            let dropped = tree_shake::drop_unused_exports(&mut module, &glue).unwrap();
            assert!(
                dropped.iter().any(|name| name.contains("intounderlying")),
                "{dropped:?}"
            );
            let kept = export_names(&module);
            for name in [
                "say_hello",
                "memory",
                "__wbindgen_malloc",
                "__wbindgen_start",
            ] {
                assert!(kept.contains(name), "{name} was dropped");
            }
            assert!(!kept.iter().any(|name| name.contains("intounderlying")));
            assert_eq!(
                kept.len() + dropped.len(),
                before.len(),
                "every export is either kept or dropped"
            );
        }
    }

    #[test]
    fn the_tree_shake_does_the_same_on_the_real_glue_however_it_is_printed() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            // What the module keeps after the tree-shake: the exports the stripped glue reads.
            let kept = |glue: &str| {
                let stripped = tree_shake::strip_js(glue).unwrap();
                assert!(!stripped.contains("IntoUnderlying"), "{stripped}");
                let mut module = fixture.module();
                tree_shake::drop_unused_exports(&mut module, &stripped).unwrap();
                export_names(&module)
            };
            let expected = kept(&fixture.glue());
            assert!(expected.contains("say_hello"), "{expected:?}");
            for (form, glue) in crate::reprint::forms(&fixture.glue()) {
                assert_eq!(kept(&glue), expected, "{form}");
            }
        }
    }

    #[test]
    fn every_real_import_is_grouped_by_what_it_binds() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            // A new import no rule knows lands in "Other": give it a line in `import_groups`.
            let glue = tree_shake::strip_js(&fixture.glue()).unwrap();
            let mut module = fixture.module();
            tree_shake::drop_unused_exports(&mut module, &glue).unwrap();
            let properties = crate::glue::object_properties(&glue).unwrap();
            let mut groups: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
            for import in module.imports.iter() {
                let code = &properties
                    .get(&import.name)
                    .unwrap_or_else(|| panic!("{}", import.name))
                    .names;
                let group = hook::import_groups::group_of(&import.name, code);
                groups.entry(group).or_default().push(&import.name);
            }
            assert_eq!(
                groups.get(hook::import_groups::UNKNOWN),
                None,
                "imports in no group"
            );
            // Spot checks, one per group, of what only the code tells: an import whose name starts
            // with `prefix` and whose code constructs or uses `named`.
            let group_of = |prefix: &str, named: &str| -> &str {
                let (name, _) = properties
                    .iter()
                    .find(|(name, property)| {
                        let code = &property.names;
                        name.starts_with(prefix)
                            && (named.is_empty()
                                || code.constructs.as_deref() == Some(named)
                                || code.globals.iter().any(|global| global == named))
                    })
                    .unwrap_or_else(|| panic!("no {prefix} naming {named}"));
                groups
                    .iter()
                    .find(|(_, names)| names.contains(&name.as_str()))
                    .map(|(group, _)| *group)
                    .unwrap()
            };
            for (prefix, named, group) in [
                ("__wbg_new_", "Headers", "Fetch, streams and URLs"),
                ("__wbg_new_", "Event", "DOM and events"),
                ("__wbg_new_", "WebAssembly", "WebAssembly"),
                ("__wbg_new_", "Object", "JavaScript built-ins"),
                ("__wbg_warn_", "console", "Console"),
                ("__wbg_now_", "", "Timers and timing"),
                ("__wbg_getItem_", "", "Storage and languages"),
                ("__wbindgen_", "", "wasm-bindgen runtime"),
            ] {
                assert_eq!(group_of(prefix, named), group, "{prefix} {named}");
            }
            assert_eq!(groups.len(), 8, "{:?}", groups.keys());
            // The debug build's names file gives every import a group too, and parses.
            let interface = hook::names_file::Interface::of(&module.emit_wasm()).unwrap();
            let names = hook::names_file::debug_names_file(&interface, &glue).unwrap();
            rules::under_the_hood::Renaming::parse(&names).unwrap();
            assert_eq!(
                names
                    .lines()
                    .filter(|line| line.starts_with("import\t"))
                    .count(),
                module.imports.iter().count()
            );
            assert!(!names.contains("\tOther\n"), "{names}");
            // However the glue is printed, each import lands in the same group.
            for (form, printed) in crate::reprint::forms(&fixture.glue()) {
                let glue = tree_shake::strip_js(&printed).unwrap();
                let again = hook::names_file::debug_names_file(&interface, &glue).unwrap();
                assert_eq!(again, names, "{form}");
            }
        }
    }

    #[test]
    fn the_renaming_keeps_the_real_glue_and_module_in_step() {
        for fixture in fixtures() {
            eprintln!("fixture {fixture}");
            // However the glue is printed, the renaming finds every name it must change.
            for (form, printed) in crate::reprint::forms(&fixture.glue()) {
                let glue = tree_shake::strip_js(&printed).unwrap();
                let mut module = fixture.module();
                tree_shake::drop_unused_exports(&mut module, &glue).unwrap();
                let long_imports: Vec<String> =
                    module.imports.iter().map(|i| i.name.clone()).collect();
                let shortened = interface::shorten(&mut module, &glue)
                    .unwrap_or_else(|error| panic!("{form}: {error}"))
                    .glue;
                // No import keeps its long name, hash and all.
                for name in &long_imports {
                    assert!(
                        !shortened.contains(name.as_str()),
                        "{form}: {name} kept its long name"
                    );
                }
                // What the glue now reads is exactly what the module now exports.
                let reads: BTreeSet<String> =
                    export_reads(&shortened).unwrap().into_keys().collect();
                assert_eq!(reads, export_names(&module), "{form}");
                // And the glue's import object gives the module exactly the imports it asks for,
                // each under its module's key: read from the object's syntax tree, not its text.
                let mut asked: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
                for import in module.imports.iter() {
                    asked
                        .entry(import.module.clone())
                        .or_default()
                        .insert(import.name.clone());
                }
                assert!(
                    asked.values().map(BTreeSet::len).sum::<usize>() > 100,
                    "{asked:?}"
                );
                let objects = keyed_objects(&shortened);
                for (module, imports) in &asked {
                    assert!(
                        objects
                            .get(module)
                            .is_some_and(|given| given.contains(imports)),
                        "{form}: the glue gives no object of exactly the imports under {module}"
                    );
                }
                // The glue's own exports keep their names through renaming and minifying.
                let minified = post_build::minify_js(&shortened).unwrap();
                for name in ["say_hello", "initSync", "default"] {
                    assert!(minified.contains(name), "{form}: {name} lost");
                }
            }
        }
    }
}
