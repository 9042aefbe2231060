//! Removes what the module exports but nothing uses, with the wasm code behind it: about
//! 1.1 KB brotli off every first visit.
//!
//! Leptos always links `server_fn`'s browser client, and its `wasm-streams` dependency declares
//! `IntoUnderlyingSource`, `IntoUnderlyingSink` and `IntoUnderlyingByteSource` with
//! `#[wasm_bindgen]` (classes the glue exports up to wasm-streams 0.6, and keeps unexported
//! from 0.7, Leptos 0.9's). Their methods are module exports, which are roots, so neither the
//! linker nor wasm-opt can drop them. They serve streaming server functions, and this app has
//! no server. So the classes go from the glue, then every export the glue no longer reads goes
//! from the module (with a few that no glue ever read). This is what a bundler's tree-shaking would do; the end-to-end tests run
//! against the result.

use std::collections::BTreeSet;

use oxc::ast::ast::{Declaration, Statement};
use oxc::semantic::{Semantic, SymbolId};
use oxc::span::{GetSpan as _, Span};

use crate::glue::{GlueError, export_reads, with_syntax_tree};

/// How the module's exports behind the wasm-streams classes begin
/// (`__wbg_intounderlyingsink_free`, `intounderlyingsource_pull`, …).
const STREAMS_EXPORTS: &str = "intounderlying";

/// Removes each class that wasm-bindgen's glue declares at its top level for wasm-streams
/// (`IntoUnderlyingSink` and the others), read from its syntax tree and found by the exports
/// its code calls, not by its name (wasm-streams 0.7 no longer exports the classes, so a
/// minifier renames them), with whatever refers to it and whatever only it used:
/// the class, its export, its `Symbol.dispose` line, then its `FinalizationRegistry` and the
/// enum only its methods read (each pass re-reads the tree, until nothing more goes). However
/// the glue is printed (minified, reordered, `let` for `const`), the same declarations go.
/// Fails if code the glue keeps uses a removed class: that is a change of meaning, and this
/// step needs a look. A class the glue does not declare is left, and [`drop_unused_exports`]
/// then fails if the module still exports its code.
pub fn strip_js(js: &str) -> Result<String, GlueError> {
    let mut out = js.to_owned();
    let mut doomed = streams_classes(js)?;
    loop {
        let (cuts, orphans) = with_syntax_tree(&out, |semantic| removals(&out, semantic, &doomed))?;
        if cuts.is_empty() && orphans.is_subset(&doomed) {
            break;
        }
        doomed.extend(orphans);
        for cut in cuts.iter().rev() {
            out.replace_range(cut.start..cut.end, &cut.with);
        }
    }
    Ok(out)
}

/// The names of the top-level classes whose code reads a wasm-streams export
/// (`wasm.__wbg_intounderlyingsink_free`, …), exported or not.
fn streams_classes(glue: &str) -> Result<BTreeSet<String>, GlueError> {
    let reads: Vec<usize> = export_reads(glue)?
        .into_iter()
        .filter(|(name, _)| name.contains(STREAMS_EXPORTS))
        .flat_map(|(_, at)| at)
        .collect();
    with_syntax_tree(glue, |semantic| {
        let mut classes = BTreeSet::new();
        for statement in &semantic.nodes().program().body {
            let class = match statement {
                Statement::ClassDeclaration(class) => class,
                Statement::ExportDeclaration(export) => match &export.declaration {
                    Declaration::ClassDeclaration(class) => class,
                    _ => continue,
                },
                _ => continue,
            };
            let within =
                |at: &usize| (class.span.start as usize..class.span.end as usize).contains(at);
            if let Some(id) = &class.id
                && reads.iter().any(within)
            {
                classes.insert(id.name.to_string());
            }
        }
        Ok(classes)
    })
}

/// One edit of the glue's text, at places its syntax tree gave.
struct Cut {
    start: usize,
    end: usize,
    with: String,
}

/// The edits that remove what declares or uses a symbol named in `doomed` (a class to
/// remove, or what only removed code used), and the top-level symbols that only the removed
/// code used, to remove in the next pass.
fn removals(
    glue: &str,
    semantic: &Semantic<'_>,
    doomed: &BTreeSet<String>,
) -> Result<(Vec<Cut>, BTreeSet<String>), GlueError> {
    let scoping = semantic.scoping();
    let body = &semantic.nodes().program().body;
    let text = |span: Span| &glue[span.start as usize..span.end as usize];
    let position = |reference: &oxc::semantic::Reference| {
        semantic.nodes().get_node(reference.node_id()).span().start
    };
    // A class is doomed by the name it is exported under, which a minifier may not keep as
    // its own: `class d {…} export { d as IntoUnderlyingSink }`.
    let mut doomed_symbols: BTreeSet<SymbolId> = doomed
        .iter()
        .filter_map(|name| scoping.get_root_binding(name.as_str().into()))
        .collect();
    for statement in body {
        if let Statement::ExportNamedDeclaration(export) = statement {
            for specifier in &export.specifiers {
                if doomed.contains(specifier.exported.name().as_str())
                    && let Some(local) =
                        scoping.get_root_binding(specifier.local.name().as_str().into())
                {
                    doomed_symbols.insert(local);
                }
            }
        }
    }
    let is_doomed = |symbol: SymbolId| doomed_symbols.contains(&symbol);
    // Where each doomed symbol is declared or used.
    let mut marks: Vec<(u32, SymbolId)> = Vec::new();
    for &symbol in &doomed_symbols {
        marks.push((scoping.symbol_span(symbol).start, symbol));
        marks.extend(
            scoping
                .get_resolved_references(symbol)
                .map(|r| (position(r), symbol)),
        );
    }
    let marked = |span: Span| {
        marks
            .iter()
            .find(|(at, _)| span.start <= *at && *at < span.end)
    };
    let mut cuts = Vec::new();
    // Where code is removed, to find what only it used.
    let mut gone: Vec<Span> = Vec::new();
    for statement in body {
        let span = statement.span();
        let Some(&(_, first)) = marked(span) else {
            continue;
        };
        let class = scoping.symbol_name(first).to_owned();
        let still_used = |by: SymbolId| GlueError::ClassStillUsed {
            class: class.clone(),
            by: scoping.symbol_name(by).to_owned(),
        };
        match statement {
            // `export { A, B as C };`: the doomed names go from the list, the others stay.
            Statement::ExportNamedDeclaration(export) => {
                let kept: Vec<&str> = export
                    .specifiers
                    .iter()
                    .filter(|specifier| {
                        let local =
                            scoping.get_root_binding(specifier.local.name().as_str().into());
                        !local.is_some_and(is_doomed)
                            && !doomed.contains(specifier.exported.name().as_str())
                    })
                    .map(|specifier| text(specifier.span))
                    .collect();
                let with = if kept.is_empty() {
                    String::new()
                } else {
                    format!("export {{ {} }};", kept.join(", "))
                };
                cuts.push(Cut::of(glue, span, with));
            }
            // `const a = …, b = …;`: the declarators that declare or use a doomed symbol go.
            Statement::VariableDeclaration(declaration) if declaration.declarations.len() > 1 => {
                let (dropped, kept): (Vec<_>, Vec<_>) = declaration
                    .declarations
                    .iter()
                    .partition(|declarator| marked(declarator.span).is_some());
                for declarator in &dropped {
                    for symbol in declared_in(semantic, declarator.span) {
                        if !is_doomed(symbol) && used_outside(semantic, symbol, declarator.span) {
                            return Err(still_used(symbol));
                        }
                    }
                    gone.push(declarator.span);
                }
                let kept: Vec<&str> = kept
                    .iter()
                    .map(|declarator| text(declarator.span))
                    .collect();
                let with = if kept.is_empty() {
                    String::new()
                } else {
                    format!("{} {};", declaration.kind.as_str(), kept.join(", "))
                };
                cuts.push(Cut::of(glue, span, with));
            }
            _ => {
                let exported = matches!(
                    statement,
                    Statement::ExportDeclaration(_) | Statement::ExportDefaultDeclaration(_)
                );
                let declared = declared_in(semantic, span);
                for &symbol in &declared {
                    if !is_doomed(symbol) && (exported || used_outside(semantic, symbol, span)) {
                        return Err(still_used(symbol));
                    }
                }
                // A statement that declares nothing goes whole only if it does nothing else:
                // `if (Symbol.dispose) A.prototype[…] = …`, not one that also uses what stays.
                if declared.is_empty()
                    && let Some(other) = root_symbols_used_in(semantic, span)
                        .into_iter()
                        .find(|&symbol| !is_doomed(symbol))
                {
                    return Err(still_used(other));
                }
                gone.push(span);
                cuts.push(Cut::of(glue, span, String::new()));
            }
        }
    }
    // Top-level symbols that were used, and only by the code removed now.
    let in_gone = |at: u32| gone.iter().any(|span| span.start <= at && at < span.end);
    let mut orphans = BTreeSet::new();
    for symbol in scoping.iter_bindings_in(scoping.root_scope_id()) {
        let mut uses = scoping.get_resolved_references(symbol).peekable();
        if !is_doomed(symbol)
            && !in_gone(scoping.symbol_span(symbol).start)
            && uses.peek().is_some()
            && uses.all(|reference| in_gone(position(reference)))
        {
            orphans.insert(scoping.symbol_name(symbol).to_owned());
        }
    }
    Ok((cuts, orphans))
}

impl Cut {
    /// Replaces `span` with `with`; when nothing replaces it, the line break after it goes too.
    fn of(glue: &str, span: Span, with: String) -> Self {
        let start = span.start as usize;
        let mut end = span.end as usize;
        if with.is_empty() && glue[end..].starts_with('\n') {
            end += 1;
        }
        Self { start, end, with }
    }
}

/// Whether a top-level symbol is used outside `span`.
fn used_outside(semantic: &Semantic<'_>, symbol: SymbolId, span: Span) -> bool {
    semantic
        .scoping()
        .get_resolved_references(symbol)
        .any(|reference| {
            let at = semantic.nodes().get_node(reference.node_id()).span().start;
            at < span.start || span.end <= at
        })
}

/// The top-level symbols that code in `span` uses.
fn root_symbols_used_in(semantic: &Semantic<'_>, span: Span) -> Vec<SymbolId> {
    let scoping = semantic.scoping();
    scoping
        .iter_bindings_in(scoping.root_scope_id())
        .filter(|&symbol| {
            scoping.get_resolved_references(symbol).any(|reference| {
                let at = semantic.nodes().get_node(reference.node_id()).span().start;
                span.start <= at && at < span.end
            })
        })
        .collect()
}

/// The top-level symbols declared in `span`.
fn declared_in(semantic: &Semantic<'_>, span: Span) -> Vec<SymbolId> {
    let scoping = semantic.scoping();
    scoping
        .iter_bindings_in(scoping.root_scope_id())
        .filter(|&symbol| {
            let at = scoping.symbol_span(symbol).start;
            span.start <= at && at < span.end
        })
        .collect()
}

/// Deletes the module's exports that the glue never reads (found in its syntax tree, see
/// [`export_reads`]), returning their names; the caller's garbage collection then drops the
/// code only they reached. Besides the classes [`strip_js`] removed, this drops exports no
/// glue ever uses, such as Leptos's `wasm_split` marker. Fails if the glue's use of the
/// exports cannot be read, and if the wasm-streams exports are still read afterwards: then
/// [`strip_js`] did not recognise the glue.
pub fn drop_unused_exports(
    module: &mut walrus::Module,
    glue: &str,
) -> Result<Vec<String>, GlueError> {
    let reads = export_reads(glue)?;
    if let Some(kept) = reads.keys().find(|name| name.contains(STREAMS_EXPORTS)) {
        return Err(GlueError::StreamsExportsRemain(kept.clone()));
    }
    let unused: Vec<_> = module
        .exports
        .iter()
        .filter(|export| !reads.contains_key(&export.name))
        .map(|export| (export.id(), export.name.clone()))
        .collect();
    for (id, _) in &unused {
        module.exports.delete(*id);
    }
    Ok(unused.into_iter().map(|(_, name)| name).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "/* @ts-self-types=\"./hello-wasm.d.ts\" */\nlet wasm;\n\
const __wbindgen_enum_ReadableStreamType = [\"bytes\"];\n\
export class IntoUnderlyingSink {\n    get type() { return __wbindgen_enum_ReadableStreamType[0]; }\n    free() {\n        IntoUnderlyingSinkFinalization.unregister(this);\n        wasm.__wbg_intounderlyingsink_free(this.__wbg_ptr, 0);\n    }\n}\n\
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;\n\n\
export function say_hello(name) {\n    return wasm.say_hello(name);\n}\n\
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n    ? { register: () => {}, unregister: () => {} }\n    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));\n\
export function keep(instance) { wasm = instance.exports; }\n";

    #[test]
    fn removes_the_class_whatever_refers_to_it_and_whatever_only_it_used() {
        let js = strip_js(GLUE).unwrap();
        assert_eq!(
            js,
            "/* @ts-self-types=\"./hello-wasm.d.ts\" */\nlet wasm;\n\n\
             export function say_hello(name) {\n    return wasm.say_hello(name);\n}\n\
             export function keep(instance) { wasm = instance.exports; }\n"
        );
    }

    #[test]
    fn a_class_exported_in_a_list_leaves_the_rest_of_the_list() {
        let glue = GLUE
            .replace("export class", "class")
            .replace("export function", "function")
            + "export { say_hello as hello, IntoUnderlyingSink, keep };\n";
        let js = strip_js(&glue).unwrap();
        assert!(
            js.trim_end()
                .ends_with("\nexport { say_hello as hello, keep };"),
            "{js}"
        );
        assert!(!js.contains("IntoUnderlying"), "{js}");
    }

    #[test]
    fn glue_without_the_classes_is_left_as_it_is() {
        let js = "let wasm;\nexport function say_hello(name) { return wasm.say_hello(name); }\n\
            export function keep(instance) { wasm = instance.exports; }\n";
        assert_eq!(strip_js(js).unwrap(), js);
    }

    #[test]
    fn a_removed_class_used_by_code_the_glue_keeps_is_an_error() {
        let odd = format!("{GLUE}export function make() {{ return new IntoUnderlyingSink(); }}\n");
        let error = strip_js(&odd).unwrap_err();
        assert_eq!(
            error,
            GlueError::ClassStillUsed {
                class: "IntoUnderlyingSink".to_owned(),
                by: "make".to_owned()
            }
        );
        assert!(error.to_string().contains("meaning changed"), "{error}");
    }

    #[test]
    fn the_same_declarations_go_however_the_glue_is_printed() {
        let meaning = |js: &str| {
            let stripped = strip_js(js).unwrap();
            let reads: Vec<String> = export_reads(&stripped).unwrap().into_keys().collect();
            let exports = with_syntax_tree(&stripped, |semantic| {
                let mut names = Vec::new();
                for statement in &semantic.nodes().program().body {
                    match statement {
                        Statement::ExportDeclaration(_) => names.extend(
                            declared_in(semantic, statement.span())
                                .into_iter()
                                .map(|symbol| semantic.scoping().symbol_name(symbol).to_owned()),
                        ),
                        Statement::ExportNamedDeclaration(export) => names.extend(
                            export
                                .specifiers
                                .iter()
                                .map(|specifier| specifier.exported.name().to_string()),
                        ),
                        _ => {}
                    }
                }
                names.sort();
                Ok(names)
            })
            .unwrap();
            (reads, exports)
        };
        let expected = (
            vec!["say_hello".to_owned()],
            vec!["keep".to_owned(), "say_hello".to_owned()],
        );
        for (form, js) in crate::reprint::forms(GLUE) {
            assert_eq!(meaning(&js), expected, "{form}: {js}");
        }
    }

    #[test]
    fn drops_the_exports_the_glue_never_reads() {
        let mut module = crate::test_module::module(
            &[],
            &[
                "say_hello",
                "say_hello_twice",
                "__wbg_intounderlyingsink_free",
            ],
        );
        let glue = "let wasm;\nexport function f(name) { wasm.say_hello(name); }\n\
            function init(instance) { wasm = instance.exports; }";
        let dropped = drop_unused_exports(&mut module, glue).unwrap();
        assert_eq!(
            dropped,
            ["say_hello_twice", "__wbg_intounderlyingsink_free"]
        );
        walrus::passes::gc::run(&mut module);
        let names: Vec<&str> = module
            .exports
            .iter()
            .map(|export| export.name.as_str())
            .collect();
        assert_eq!(names, ["say_hello"]);
        assert_eq!(module.funcs.iter().count(), 1);
    }

    #[test]
    fn a_glue_that_still_reads_the_streams_exports_is_refused() {
        // A class is found by the exports it calls, whatever its name.
        let renamed = GLUE.replace("IntoUnderlyingSink", "V2");
        assert!(!strip_js(&renamed).unwrap().contains("intounderlying"));
        // Code outside a class that calls them (a new wasm-streams, say) is not removed, so
        // the module would keep their code: the tree-shake says so instead.
        let odd = format!(
            "{GLUE}export function write(p) {{ return wasm.intounderlyingsink_write(p); }}\n"
        );
        let glue = strip_js(&odd).unwrap();
        let error = drop_unused_exports(&mut walrus::Module::default(), &glue).unwrap_err();
        assert_eq!(
            error,
            GlueError::StreamsExportsRemain("intounderlyingsink_write".to_owned())
        );
        assert!(
            error.to_string().contains("glue's shape changed"),
            "{error}"
        );
    }

    #[test]
    fn a_glue_that_uses_the_exports_whole_drops_nothing() {
        let mut module = walrus::Module::default();
        let glue = GLUE.replace("export function keep", "use(wasm);\nexport function keep");
        assert!(matches!(
            drop_unused_exports(&mut module, &glue),
            Err(GlueError::ExportsUsedWhole { .. })
        ));
    }
}
