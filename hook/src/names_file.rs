//! The names file that "Under the hood" reads (see `rules::under_the_hood::Renaming`): each
//! export, import module and import of the module as (the name it has, the name wasm-bindgen
//! gave it), and what each import binds, read from its code in the glue (see
//! `import_groups`). A release build writes the renaming it made; a debug build, whose names
//! are as wasm-bindgen gave them, gives each name as itself, so `trunk serve` shows the
//! imports grouped too.

use std::collections::{BTreeMap, BTreeSet};

use crate::glue::{CodeNames, GlueError, object_properties};
use crate::import_groups::group_of;

/// The names file for a renaming: `exports` and `modules` as (new name, original), and
/// `imports` from each original to its new name.
pub fn names_file(
    exports: &[(String, String)],
    imports: &BTreeMap<String, String>,
    modules: &[(String, String)],
    glue: &str,
) -> Result<String, GlueError> {
    let properties = object_properties(glue)?;
    let nothing = CodeNames::default();
    let imports: Vec<(String, String, String)> = imports
        .iter()
        .map(|(long, short)| {
            let code = properties
                .get(long)
                .map_or(&nothing, |property| &property.names);
            let group = group_of(long, code);
            (short.clone(), long.clone(), group.to_owned())
        })
        .collect();
    Ok(contract::render_names_file(exports, &imports, modules))
}

/// What a module exports and imports, by name, as its import and export sections list them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Interface {
    /// Each export's name.
    pub exports: Vec<String>,
    /// Each import, as (module, name).
    pub imports: Vec<(String, String)>,
}

impl Interface {
    /// Reads the import and export sections of the module `bytes`, and nothing else: a debug
    /// build's module is megabytes of code that this need not parse.
    pub fn of(bytes: &[u8]) -> Result<Self, wasmparser::BinaryReaderError> {
        let mut interface = Self::default();
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            match payload? {
                wasmparser::Payload::ImportSection(section) => {
                    for import in section.into_imports() {
                        let import = import?;
                        interface
                            .imports
                            .push((import.module.to_owned(), import.name.to_owned()));
                    }
                }
                wasmparser::Payload::ExportSection(section) => {
                    for export in section {
                        interface.exports.push(export?.name.to_owned());
                    }
                }
                _ => {}
            }
        }
        Ok(interface)
    }
}

/// The names file for a debug build, whose names are not shortened: each name given as
/// itself, with what each import binds.
pub fn debug_names_file(interface: &Interface, glue: &str) -> Result<String, GlueError> {
    let same = |name: &String| (name.clone(), name.clone());
    let exports: Vec<_> = interface.exports.iter().map(same).collect();
    let imports: BTreeMap<_, _> = interface
        .imports
        .iter()
        .map(|(_, name)| same(name))
        .collect();
    // Each module once, however its imports are ordered.
    let modules: BTreeSet<_> = interface.imports.iter().map(|(module, _)| module).collect();
    let modules: Vec<_> = modules.into_iter().map(same).collect();
    names_file(&exports, &imports, &modules, glue)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "let wasm;\n\
        function imports() { return { './a.js': { f: function() { console.log(1); } } }; }\n\
        function finish(instance) { wasm = instance.exports; }\n";

    /// A module importing `f`, `g` and `h` from two modules, and exporting `main`.
    fn module() -> Vec<u8> {
        let mut module = walrus::Module::default();
        let ty = module.types.add(&[], &[]);
        let mut imported = Vec::new();
        for (from, name) in [("./a.js", "f"), ("./b.js", "g"), ("./a.js", "h")] {
            imported.push(module.add_import_func(from, name, ty).0);
        }
        let mut body = walrus::FunctionBuilder::new(&mut module.types, &[], &[]);
        let mut code = body.func_body();
        for function in imported {
            code.call(function);
        }
        let main = body.finish(vec![], &mut module.funcs);
        module.exports.add("main", main);
        module.emit_wasm()
    }

    #[test]
    fn the_interface_is_read_from_the_sections_in_order() {
        let interface = Interface::of(&module()).unwrap();
        assert_eq!(interface.exports, ["main"]);
        assert_eq!(
            interface.imports,
            [
                ("./a.js".to_owned(), "f".to_owned()),
                ("./b.js".to_owned(), "g".to_owned()),
                ("./a.js".to_owned(), "h".to_owned()),
            ]
        );
        assert!(
            Interface::of(b"\0asm\x01\0\0\0\x07").is_err(),
            "a cut section"
        );
    }

    #[test]
    fn a_debug_names_file_gives_each_name_as_itself_and_each_module_once() {
        let names = debug_names_file(&Interface::of(&module()).unwrap(), GLUE).unwrap();
        assert_eq!(
            names,
            contract::render_names_file(
                &[("main".into(), "main".into())],
                &[
                    ("f".into(), "f".into(), "Console".into()),
                    ("g".into(), "g".into(), "Other".into()),
                    ("h".into(), "h".into(), "Other".into()),
                ],
                &[
                    ("./a.js".into(), "./a.js".into()),
                    ("./b.js".into(), "./b.js".into()),
                ],
            )
        );
    }
}
