//! What wasm-bindgen's glue reads from the module's exports, and the code of each import it
//! gives the module, read from its syntax tree.
//!
//! The glue keeps the instance's exports in one top-level variable (wasm-bindgen calls it
//! `wasm`; it is found as the one assigned `instance.exports`, whatever its name), and reads
//! each export as `wasm.name`. The tree-shake drops every export the glue never reads, and the
//! renaming rewrites each read, so both must know every read, however it is spelled. Parsing
//! (with oxc, which also minifies the glue) finds them all through the variable's references,
//! and refuses a glue that uses `wasm` in any way that could read an export unseen.

use std::collections::BTreeMap;

use oxc::allocator::Allocator;
use oxc::ast::AstKind;
use oxc::ast::ast::Expression;
use oxc::parser::Parser;
use oxc::semantic::{Semantic, SemanticBuilder, SymbolId};
use oxc::span::{GetSpan as _, SourceType};

/// Why the glue is not shaped as the post-build steps expect. Each means wasm-bindgen's output
/// changed, and the step must be looked at (and its fixture refreshed) before it can run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GlueError {
    /// The glue does not parse as a JavaScript module.
    #[error("wasm-bindgen's glue does not parse as a JavaScript module: {0}")]
    Parse(String),
    /// No top-level variable is assigned the instance's exports.
    #[error(
        "wasm-bindgen's glue has no top-level variable assigned `instance.exports`; its output has changed"
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
    #[error("the glue should name the import module {0:?} once, as a key of its import object")]
    ImportModule(String),
    /// The renaming found an import that is not named once as a key.
    #[error("the glue should name the import {0} once, as a key of its import object")]
    ImportNotOnce(String),
    /// An export the module keeps is never read by the glue.
    #[error("the glue never reads the export {0}")]
    ExportNeverRead(String),
    /// Two names to rewrite overlap.
    #[error("two names to shorten overlap in the glue, at byte {0}")]
    Overlap(usize),
    /// Code the glue keeps uses a class the tree-shake removes.
    #[error(
        "wasm-bindgen's glue uses {class}, which the tree-shake removes, in {by}, which it keeps: the glue's meaning changed (see xtask/src/tree_shake.rs)"
    )]
    ClassStillUsed {
        /// The class to remove.
        class: String,
        /// What the glue keeps that uses it.
        by: String,
    },
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
    let (exports, instance) = exports_variable(semantic)?;
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
            // `if (wasm !== undefined)` (`void 0` when minified): whether the module is
            // instantiated yet.
            AstKind::BinaryExpression(comparison)
                if comparison.operator.is_equality()
                    && [&comparison.left, &comparison.right]
                        .into_iter()
                        .any(|side| is_undefined(side)) => {}
            // `return wasm;` (`return f(), wasm` when minified): `initSync` and `__wbg_init`
            // hand the exports to their caller. Trunk's loader, the only caller in the page,
            // passes them on unread.
            _ if is_returned(semantic, node) => {}
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
    for instance in kept_instances(semantic, &instance) {
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

/// Where the glue writes each key of its object literals, by the key's name: the byte range
/// of the key as written (`__wbg_log_…`, or `"./x_bg.js"` with its quotes). The import
/// object's keys are among them. Computed and shorthand keys are left out: renaming one would
/// change what it means.
pub fn property_keys(glue: &str) -> Result<BTreeMap<String, Vec<(usize, usize)>>, GlueError> {
    with_syntax_tree(glue, |semantic| {
        let mut keys: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for node in semantic.nodes().iter() {
            if let AstKind::ObjectProperty(property) = node.kind()
                && !property.computed
                && !property.shorthand
                && let Some(name) = property.key.static_name()
            {
                let span = property.key.span();
                keys.entry(name.into_owned())
                    .or_default()
                    .push((span.start as usize, span.end as usize));
            }
        }
        Ok(keys)
    })
}

/// Parses the glue as a module and runs `read` on its syntax tree, its nodes built.
pub fn with_syntax_tree<T>(
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

/// `undefined`, or `void 0` as a minifier writes it.
fn is_undefined(expression: &Expression<'_>) -> bool {
    match expression {
        Expression::Identifier(id) => id.name == "undefined",
        Expression::UnaryExpression(unary) => {
            unary.operator.is_void() && matches!(&unary.argument, Expression::NumericLiteral(_))
        }
        _ => false,
    }
}

/// Whether the value at `node` is what a `return` statement returns: directly, in
/// parentheses, as the last of a comma sequence, or as a branch of `?:`.
fn is_returned(semantic: &Semantic<'_>, node: oxc::semantic::NodeId) -> bool {
    let nodes = semantic.nodes();
    let mut child = nodes.get_node(node).span();
    for ancestor in nodes.ancestors(node) {
        match ancestor.kind() {
            AstKind::ReturnStatement(_) => return true,
            AstKind::ParenthesizedExpression(_) => {}
            AstKind::SequenceExpression(sequence)
                if sequence
                    .expressions
                    .last()
                    .is_some_and(|last| last.span() == child) => {}
            AstKind::ConditionalExpression(conditional) if conditional.test.span() != child => {}
            _ => return false,
        }
        child = ancestor.span();
    }
    false
}

/// The top-level variable assigned `instance.exports` (wasm-bindgen's `wasm`), and the name
/// of what its exports were read from (the instance, a parameter).
fn exports_variable(semantic: &Semantic<'_>) -> Result<(SymbolId, String), GlueError> {
    let scoping = semantic.scoping();
    let mut found: Vec<(SymbolId, String)> = Vec::new();
    for symbol in scoping.iter_bindings_in(scoping.root_scope_id()) {
        for reference in scoping.get_resolved_references(symbol) {
            if !reference.is_write() {
                continue;
            }
            if let AstKind::AssignmentExpression(assignment) =
                semantic.nodes().parent_kind(reference.node_id())
                && let Expression::StaticMemberExpression(member) = &assignment.right
                && member.property.name == "exports"
                && let Expression::Identifier(instance) = &member.object
                && !found.iter().any(|(seen, _)| *seen == symbol)
            {
                found.push((symbol, instance.name.to_string()));
            }
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(GlueError::NoExportsVariable),
        _ => {
            let at = scoping.symbol_span(found[1].0).start as usize;
            Err(GlueError::ExportsAssignment { at })
        }
    }
}

/// The top-level variables that keep the instance itself (wasm-bindgen's `wasmInstance`):
/// those assigned the identifier the exports were read from.
fn kept_instances(semantic: &Semantic<'_>, instance: &str) -> Vec<SymbolId> {
    let scoping = semantic.scoping();
    scoping
        .iter_bindings_in(scoping.root_scope_id())
        .filter(|&symbol| {
            scoping.get_resolved_references(symbol).any(|reference| {
                reference.is_write()
                    && matches!(
                        semantic.nodes().parent_kind(reference.node_id()),
                        AstKind::AssignmentExpression(assignment)
                            if matches!(&assignment.right, Expression::Identifier(id) if id.name == instance)
                    )
            })
        })
        .collect()
}

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
    fn a_minifiers_spellings_of_returning_and_comparing_are_allowed() {
        let minified = SHAPE
            .replace("return wasm;", "return start(), wasm;")
            .replace(
                "if (wasm !== undefined) return wasm;",
                "return wasm !== void 0 ? wasm : (load(), wasm);",
            );
        assert_ne!(minified, SHAPE);
        assert!(export_reads(&minified).is_ok(), "{minified}");
        // Used as the test of `?:`, the exports are not returned: refused.
        let tested = SHAPE.replace(
            "if (wasm !== undefined) return wasm;",
            "return wasm ? 1 : 2;",
        );
        assert!(matches!(
            export_reads(&tested),
            Err(GlueError::ExportsUsedWhole { .. })
        ));
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
    fn the_exports_variable_is_found_by_what_it_is_assigned_not_its_name() {
        let renamed = SHAPE
            .replace("wasm", "exportsOfTheModule")
            .replace("exportsOfTheModuleInstance", "kept");
        let names: Vec<String> = export_reads(&renamed).unwrap().into_keys().collect();
        assert_eq!(
            names,
            ["__wbindgen_malloc", "__wbindgen_start", "say_hello"]
        );
        let read_instance = format!("{renamed}function other() {{ kept.exports.say_hello(); }}\n");
        assert!(matches!(
            export_reads(&read_instance),
            Err(GlueError::ExportsUsedWhole { .. })
        ));
    }

    #[test]
    fn the_exports_must_come_from_the_instance_once() {
        let twice = SHAPE.replace("return wasm;", "wasm = instance.exports;");
        assert!(matches!(
            export_reads(&twice),
            Err(GlueError::ExportsAssignment { .. })
        ));
        let two_variables =
            format!("{SHAPE}let other; function again(i) {{ other = i.exports; }}\n");
        assert!(matches!(
            export_reads(&two_variables),
            Err(GlueError::ExportsAssignment { .. })
        ));
        for glue in [
            SHAPE.replace("wasm = instance.exports; ", ""),
            SHAPE.replace("wasm = instance.exports", "wasm = instance"),
            "let exports;".to_owned(),
        ] {
            assert_eq!(
                export_reads(&glue),
                Err(GlueError::NoExportsVariable),
                "{glue}"
            );
        }
        assert!(matches!(
            export_reads("let wasm = ;"),
            Err(GlueError::Parse(_))
        ));
    }
}
