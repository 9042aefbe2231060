//! What wasm-bindgen's glue reads from the module's exports, and the code of each import it
//! gives the module, read from its syntax tree.
//!
//! The glue keeps the instance's exports in one top-level variable, `wasm`, and reads each
//! export as `wasm.name`. The tree-shake drops every export the glue never reads, and the
//! renaming rewrites each read, so both must know every read, however it is spelled. Parsing
//! (with oxc, which also minifies the glue) finds them all through the variable's references,
//! and refuses a glue that uses `wasm` in any way that could read an export unseen.

use std::collections::BTreeMap;

use oxc::allocator::Allocator;
use oxc::ast::AstKind;
use oxc::ast::ast::Expression;
use oxc::parser::Parser;
use oxc::semantic::{Semantic, SemanticBuilder};
use oxc::span::{GetSpan as _, SourceType};

/// The variable in which wasm-bindgen's glue keeps the instance's exports.
pub const EXPORTS_VARIABLE: &str = "wasm";

/// Why the glue is not shaped as the post-build steps expect. Each means wasm-bindgen's output
/// changed, and the step must be looked at (and its fixture refreshed) before it can run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlueError {
    /// The glue does not parse as a JavaScript module.
    #[error("wasm-bindgen's glue does not parse as a JavaScript module: {0}")]
    Parse(String),
    /// There is no top-level `wasm` variable.
    #[error(
        "wasm-bindgen's glue has no top-level `wasm` variable for the exports; its output has changed"
    )]
    NoExportsVariable,
    /// `wasm` is never assigned `instance.exports`, or assigned something else.
    #[error(
        "wasm-bindgen's glue should assign `wasm` once, from `instance.exports` (at byte {at}); its output has changed"
    )]
    ExportsAssignment {
        /// Where the offending assignment is, or the end of the glue if there is none.
        at: usize,
    },
    /// `wasm` is used whole, so which exports are read cannot be known.
    #[error(
        "wasm-bindgen's glue uses `wasm` other than to read an export, at byte {at} (`{snippet}`): which exports it reads cannot be known; its output has changed"
    )]
    ExportsUsedWhole {
        /// Where.
        at: usize,
        /// The code around it.
        snippet: String,
    },
    /// The renaming found an import module that is not named once as a key.
    #[error("the glue should name the import module {0:?} once, as a key")]
    ImportModule(String),
    /// The renaming found an import that is not named exactly once.
    #[error("the glue should name the import {0} exactly once")]
    ImportNotOnce(String),
    /// The renaming found an import named, but not as an object key.
    #[error("the glue names the import {0}, but not as a key")]
    ImportNotAKey(String),
    /// An export the module keeps is never read by the glue.
    #[error("the glue never reads the export {0}")]
    ExportNeverRead(String),
    /// Two names to rewrite overlap.
    #[error("two names to shorten overlap in the glue, at byte {0}")]
    Overlap(usize),
    /// A class to remove has no end where expected.
    #[error("cannot find the end of {0} in wasm-bindgen's glue; its output has changed")]
    UnclosedClass(&'static str),
    /// A class to remove is still mentioned after its removal.
    #[error("wasm-bindgen's glue still mentions {0} after removing it; its output has changed")]
    ClassStillMentioned(&'static str),
    /// The streams classes were not removed, so the module still exports their code.
    #[error(
        "the module still exports {0} after the tree-shake: the glue's shape changed, so the wasm-streams classes were not removed (see xtask/src/tree_shake.rs)"
    )]
    StreamsExportsRemain(String),
}

/// Where the glue reads each export: the export's name, and the byte offset of the name in
/// each `wasm.name` that reads it.
pub fn export_reads(glue: &str) -> Result<BTreeMap<String, Vec<usize>>, GlueError> {
    with_syntax_tree(glue, |semantic| reads_of_exports(glue, semantic))
}

/// [`export_reads`], on the glue's syntax tree.
fn reads_of_exports(
    glue: &str,
    semantic: &Semantic<'_>,
) -> Result<BTreeMap<String, Vec<usize>>, GlueError> {
    let exports = semantic
        .scoping()
        .get_root_binding(EXPORTS_VARIABLE.into())
        .ok_or(GlueError::NoExportsVariable)?;
    let mut reads: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut assignments = 0;
    for reference in semantic.scoping().get_resolved_references(exports) {
        let node = reference.node_id();
        let at = semantic.nodes().get_node(node).span().start as usize;
        match semantic.nodes().parent_kind(node) {
            AstKind::StaticMemberExpression(member)
                if member.object.span().start as usize == at && reference.is_read() =>
            {
                let name = member.property.name.as_str();
                reads
                    .entry(name.to_owned())
                    .or_default()
                    .push(member.property.span.start as usize);
            }
            AstKind::AssignmentExpression(assignment) if reference.is_write() => {
                let from_instance = matches!(
                    &assignment.right,
                    Expression::StaticMemberExpression(member) if member.property.name == "exports"
                );
                assignments += 1;
                if !from_instance || assignments > 1 {
                    return Err(GlueError::ExportsAssignment { at });
                }
            }
            // `return wasm;`: `initSync` and `__wbg_init` hand the exports to their caller.
            // Trunk's loader, the only caller in the page, passes them on unread.
            AstKind::ReturnStatement(_) => {}
            // `if (wasm !== undefined)`: whether the module is instantiated yet.
            AstKind::BinaryExpression(comparison)
                if comparison.operator.is_equality()
                    && [&comparison.left, &comparison.right].into_iter().any(
                        |side| matches!(side, Expression::Identifier(id) if id.name == "undefined"),
                    ) => {}
            _ => {
                let snippet = around(glue, at);
                return Err(GlueError::ExportsUsedWhole { at, snippet });
            }
        }
    }
    if assignments == 0 {
        return Err(GlueError::ExportsAssignment { at: glue.len() });
    }
    // The glue also keeps the instance itself; reading it could reach the exports unseen.
    if let Some(instance) = semantic
        .scoping()
        .get_root_binding(INSTANCE_VARIABLE.into())
    {
        let nodes = semantic.nodes();
        if let Some(read) = semantic
            .scoping()
            .get_resolved_references(instance)
            .find(|reference| reference.is_read())
        {
            let at = nodes.get_node(read.node_id()).span().start as usize;
            return Err(GlueError::ExportsUsedWhole {
                at,
                snippet: around(glue, at),
            });
        }
    }
    Ok(reads)
}

/// The code of each property the glue defines in an object literal, by the property's name:
/// among them every import the glue gives the module (`__wbg_log_…: function(arg0) { … }`).
pub fn property_values(glue: &str) -> Result<BTreeMap<String, String>, GlueError> {
    with_syntax_tree(glue, |semantic| {
        let mut values = BTreeMap::new();
        for node in semantic.nodes().iter() {
            if let AstKind::ObjectProperty(property) = node.kind()
                && let Some(name) = property.key.static_name()
            {
                let span = property.value.span();
                values.insert(
                    name.into_owned(),
                    glue[span.start as usize..span.end as usize].to_owned(),
                );
            }
        }
        Ok(values)
    })
}

/// Parses the glue as a module and runs `read` on its syntax tree, its nodes built.
fn with_syntax_tree<T>(
    glue: &str,
    read: impl FnOnce(&Semantic<'_>) -> Result<T, GlueError>,
) -> Result<T, GlueError> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, glue, SourceType::mjs()).parse();
    if let Some(error) = parsed.diagnostics.first() {
        return Err(GlueError::Parse(error.to_string()));
    }
    let semantic = SemanticBuilder::new()
        .with_build_nodes(true)
        .build(&parsed.program)
        .semantic;
    read(&semantic)
}

/// The variable in which wasm-bindgen's glue keeps the instance.
const INSTANCE_VARIABLE: &str = "wasmInstance";

/// The code around byte `at`, cut at character boundaries (the glue may hold any text).
fn around(glue: &str, at: usize) -> String {
    let start = glue.floor_char_boundary(at.saturating_sub(20));
    let end = glue.ceil_char_boundary((at + 30).min(glue.len()));
    glue[start..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: &str = "let wasmInstance, wasm;\n\
        export function say_hello(name) { return wasm.say_hello(name, wasm.__wbindgen_malloc); }\n\
        function finish(instance) { wasmInstance = instance; wasm = instance.exports; wasm.__wbindgen_start(); return wasm; }\n\
        function initSync() { if (wasm !== undefined) return wasm; }\n";

    #[test]
    fn finds_every_read_with_its_position() {
        let reads = export_reads(SHAPE).unwrap();
        let names: Vec<&str> = reads.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["__wbindgen_malloc", "__wbindgen_start", "say_hello"]
        );
        let at = reads["say_hello"][0];
        assert_eq!(&SHAPE[at..at + "say_hello".len()], "say_hello");
        assert_eq!(&SHAPE[at - 5..at], "wasm.");
    }

    #[test]
    fn reads_spelled_differently_are_found_too() {
        let glue = SHAPE.replace("wasm.__wbindgen_start()", "wasm\n  .  __wbindgen_start()");
        assert!(
            export_reads(&glue)
                .unwrap()
                .contains_key("__wbindgen_start")
        );
    }

    #[test]
    fn a_local_variable_called_wasm_is_not_the_exports() {
        let glue = format!(
            "{SHAPE}function other() {{ const wasm = {{}}; return wasm.not_an_export; }}\n"
        );
        assert!(!export_reads(&glue).unwrap().contains_key("not_an_export"));
    }

    #[test]
    fn using_the_exports_whole_is_refused() {
        for odd in [
            "Object.keys(wasm)",
            "wasm['say_hello']()",
            "const { say_hello } = wasm",
            "use(wasm)",
            "wasm === other",
            "wasmInstance.exports.say_hello()",
            // The message quotes the code around it, whatever its characters.
            "/* ééééééééééééééééééééé */ use(wasm) /* ééééééééééééééééééééé */",
        ] {
            let glue = format!("{SHAPE}function other() {{ {odd}; }}\n");
            let error = export_reads(&glue).unwrap_err();
            assert!(
                matches!(error, GlueError::ExportsUsedWhole { .. }),
                "{odd}: {error}"
            );
        }
    }

    #[test]
    fn the_exports_must_come_from_the_instance_once() {
        let none = SHAPE.replace("wasm = instance.exports; ", "");
        let other = SHAPE.replace("wasm = instance.exports", "wasm = instance");
        let twice = SHAPE.replace("return wasm;", "wasm = instance.exports;");
        for glue in [none, other, twice] {
            assert!(
                matches!(
                    export_reads(&glue),
                    Err(GlueError::ExportsAssignment { .. })
                ),
                "{glue}"
            );
        }
        assert_eq!(
            export_reads("let exports;"),
            Err(GlueError::NoExportsVariable)
        );
        assert!(matches!(
            export_reads("let wasm = ;"),
            Err(GlueError::Parse(_))
        ));
    }
}
