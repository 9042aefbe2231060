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
use oxc::ast::ast::{BinaryOperator, Expression, IdentifierReference};
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

/// The properties the glue defines in its object literals, by name: the import object's
/// modules and imports are among them (`__wbg_log_…: function(arg0) { … }`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Property {
    /// Where each key by this name is written: its byte range (`__wbg_log_…`, or `"./x_bg.js"`
    /// with its quotes). Computed and shorthand keys are left out: renaming one would change
    /// what it means.
    pub keys: Vec<(usize, usize)>,
    /// What the value's code names (the first property's, if several share the name).
    pub names: CodeNames,
}

/// What a piece of the glue's code names, read from its syntax tree: what an import binds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CodeNames {
    /// The first constructor it calls with `new`, by the global it is reached through
    /// (`new WebAssembly.Module(…)`: `WebAssembly`).
    pub constructs: Option<String>,
    /// The first type it tests with `instanceof`.
    pub tests: Option<String>,
    /// Each global whose member it uses (`console.log`, `Reflect.get`), first use first: a name
    /// no declaration in the glue binds.
    pub globals: Vec<String>,
}

/// The glue's object properties, by name (see [`Property`]).
pub fn object_properties(glue: &str) -> Result<BTreeMap<String, Property>, GlueError> {
    with_syntax_tree(glue, |semantic| {
        let mut properties: BTreeMap<String, Property> = BTreeMap::new();
        // Each property's value, as (name, span), to give it what its code names.
        let mut values = Vec::new();
        for node in semantic.nodes().iter() {
            let AstKind::ObjectProperty(property) = node.kind() else {
                continue;
            };
            let Some(name) = property.key.static_name() else {
                continue;
            };
            let entry = properties.entry(name.to_string()).or_default();
            if !property.computed && !property.shorthand {
                let span = property.key.span();
                entry.keys.push((span.start as usize, span.end as usize));
            }
            if !values.iter().any(|(seen, _)| seen == &name) {
                values.push((name, property.value.span()));
            }
        }
        for node in semantic.nodes().iter() {
            let Some(named) = name_in(semantic, node.kind()) else {
                continue;
            };
            let span = node.kind().span();
            for (name, value) in &values {
                if value.start <= span.start
                    && span.end <= value.end
                    && let Some(property) = properties.get_mut(name.as_ref())
                {
                    property.names.add(named.clone());
                }
            }
        }
        Ok(properties)
    })
}

/// One thing a node of code names.
#[derive(Debug, Clone)]
enum Named {
    Constructs(String),
    Tests(String),
    Global(String),
}

impl CodeNames {
    /// Adds what one node names: the first constructor and type tested are kept, and each
    /// global once.
    fn add(&mut self, named: Named) {
        match named {
            Named::Constructs(name) => {
                self.constructs.get_or_insert(name);
            }
            Named::Tests(name) => {
                self.tests.get_or_insert(name);
            }
            Named::Global(name) => {
                if !self.globals.contains(&name) {
                    self.globals.push(name);
                }
            }
        }
    }
}

/// What the node `kind` names, if it is a `new`, an `instanceof`, or a member of a global.
fn name_in(semantic: &Semantic<'_>, kind: AstKind<'_>) -> Option<Named> {
    match kind {
        AstKind::NewExpression(new) => root_name(&new.callee).map(Named::Constructs),
        // What a minifier writes for the same: `Error(…)` for `new Error(…)`, `[]` and `{}` for
        // `new Array()` and `new Object()`.
        AstKind::CallExpression(call) => match &call.callee {
            Expression::Identifier(callee)
                if is_global(semantic, callee)
                    && (callee.name.ends_with("Error")
                        || ["Array", "Function", "Object", "RegExp"]
                            .contains(&callee.name.as_str())) =>
            {
                Some(Named::Constructs(callee.name.to_string()))
            }
            _ => None,
        },
        AstKind::ArrayExpression(array) if array.elements.is_empty() => {
            Some(Named::Constructs("Array".to_owned()))
        }
        AstKind::ObjectExpression(object) if object.properties.is_empty() => {
            Some(Named::Constructs("Object".to_owned()))
        }
        AstKind::BinaryExpression(binary) if binary.operator == BinaryOperator::Instanceof => {
            root_name(&binary.right).map(Named::Tests)
        }
        AstKind::StaticMemberExpression(member) => match &member.object {
            Expression::Identifier(object) if is_global(semantic, object) => {
                Some(Named::Global(object.name.to_string()))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether `id` names a global: no declaration in the glue binds it.
fn is_global(semantic: &Semantic<'_>, id: &IdentifierReference<'_>) -> bool {
    id.reference_id
        .get()
        .is_some_and(|id| semantic.scoping().get_reference(id).symbol_id().is_none())
}

/// The identifier an expression is reached through: `X` in `X` and in `X.y.z`.
fn root_name(expression: &Expression<'_>) -> Option<String> {
    match expression {
        Expression::Identifier(id) => Some(id.name.to_string()),
        Expression::StaticMemberExpression(member) => root_name(&member.object),
        Expression::ParenthesizedExpression(inner) => root_name(&inner.expression),
        _ => None,
    }
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
