//! The same glue printed again in other forms, for the tests of the steps that read or edit
//! it: each step must give the same result on every form, because a new release of
//! wasm-bindgen or of the minifier may print it so. Each edit is placed by the glue's syntax
//! tree (oxc), so the forms keep its meaning.

use oxc::allocator::Allocator;
use oxc::ast::AstKind;
use oxc::ast::ast::{Statement, VariableDeclarationKind};
use oxc::codegen::Codegen;
use oxc::parser::Parser;
use oxc::span::{GetSpan as _, SourceType};

use crate::glue::with_syntax_tree;

/// Every form, by name: the glue as wasm-bindgen prints it, minified, pretty-printed, with
/// `let` for `const` (and `const` for each `let` never written again), with its functions
/// declared in reverse order after everything else, and with the exports' variable renamed.
pub fn forms(glue: &str) -> Vec<(&'static str, String)> {
    vec![
        ("as printed", glue.to_owned()),
        (
            "minified",
            crate::post_build::minify_js(glue).expect("the glue minifies"),
        ),
        ("pretty-printed", pretty(glue)),
        ("let and const swapped", swapped_declarations(glue)),
        ("functions reordered", functions_last_reversed(glue)),
        (
            "exports' variable renamed",
            renamed(glue, "wasm", "instanceExports"),
        ),
    ]
}

/// Printed again by oxc's code generator, with its own spacing and quotes.
fn pretty(glue: &str) -> String {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, glue, SourceType::mjs()).parse();
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    Codegen::new().build(&parsed.program).code
}

/// Applies `(start, end, with)` edits, given in any order and not overlapping.
fn edit(glue: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|&(start, ..)| std::cmp::Reverse(start));
    let mut out = glue.to_owned();
    for (start, end, with) in edits {
        out.replace_range(start..end, &with);
    }
    out
}

/// `const` becomes `let`; a `let` whose one binding is initialised and never written again
/// becomes `const`.
fn swapped_declarations(glue: &str) -> String {
    let edits = with_syntax_tree(glue, |semantic| {
        let scoping = semantic.scoping();
        let mut edits = Vec::new();
        for node in semantic.nodes().iter() {
            let AstKind::VariableDeclaration(declaration) = node.kind() else {
                continue;
            };
            let start = declaration.span.start as usize;
            match declaration.kind {
                VariableDeclarationKind::Const => {
                    edits.push((start, start + "const".len(), "let".to_owned()));
                }
                VariableDeclarationKind::Let => {
                    let never_written = declaration.declarations.iter().all(|declarator| {
                        declarator.init.is_some()
                            && declarator.id.get_binding_identifiers().iter().all(|id| {
                                id.symbol_id.get().is_some_and(|symbol| {
                                    !scoping
                                        .get_resolved_references(symbol)
                                        .any(|reference| reference.is_write())
                                })
                            })
                    });
                    if never_written {
                        edits.push((start, start + "let".len(), "const".to_owned()));
                    }
                }
                _ => {}
            }
        }
        Ok(edits)
    })
    .expect("the glue parses");
    edit(glue, edits)
}

/// The top-level function declarations moved after everything else, in reverse order (they
/// are hoisted, so the module means the same).
fn functions_last_reversed(glue: &str) -> String {
    let (kept, functions) = with_syntax_tree(glue, |semantic| {
        let mut kept = Vec::new();
        let mut functions = Vec::new();
        for statement in &semantic.nodes().program().body {
            let span = statement.span();
            let text = glue[span.start as usize..span.end as usize].to_owned();
            if matches!(statement, Statement::FunctionDeclaration(_)) {
                functions.push(text);
            } else {
                kept.push(text);
            }
        }
        Ok((kept, functions))
    })
    .expect("the glue parses");
    let mut out = kept.join("\n");
    for function in functions.iter().rev() {
        out.push('\n');
        out.push_str(function);
    }
    out.push('\n');
    out
}

/// The top-level variable `from` renamed `to`, at its declaration and every reference.
fn renamed(glue: &str, from: &str, to: &str) -> String {
    let edits = with_syntax_tree(glue, |semantic| {
        let scoping = semantic.scoping();
        let symbol = scoping
            .get_root_binding(from.into())
            .expect("the variable to rename");
        let declared = scoping.symbol_span(symbol);
        let mut edits = vec![(
            declared.start as usize,
            declared.end as usize,
            to.to_owned(),
        )];
        for reference in scoping.get_resolved_references(symbol) {
            let span = semantic.nodes().get_node(reference.node_id()).span();
            edits.push((span.start as usize, span.end as usize, to.to_owned()));
        }
        Ok(edits)
    })
    .expect("the glue parses");
    edit(glue, edits)
}
