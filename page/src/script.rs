//! Trunk's inline loader read as JavaScript: its string literals found on oxc's syntax tree,
//! and edited where they stand, so that every other byte of the script stays as written and a
//! loader printed another way (other quotes, spacing, order) is edited the same.

use std::ops::Range;

use oxc::allocator::Allocator;
use oxc::ast::AstKind;
use oxc::ast::ast::Expression;
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;

use crate::PageError;

/// A string literal in a script: where it is written (quotes included), its value, and the
/// key of the object property whose value it is, if it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Literal {
    pub span: Range<usize>,
    pub value: String,
    pub property: Option<String>,
}

/// Every string literal of `code` (import sources included), in order. `module`: whether the
/// script is a module (`<script type=module>`).
pub(crate) fn string_literals(code: &str, module: bool) -> Result<Vec<Literal>, PageError> {
    let allocator = Allocator::default();
    let source_type = if module {
        SourceType::mjs()
    } else {
        SourceType::script()
    };
    let parsed = Parser::new(&allocator, code, source_type).parse();
    if let Some(error) = parsed.diagnostics.first() {
        return Err(PageError::Script(error.to_string()));
    }
    let semantic = SemanticBuilder::new()
        .with_build_nodes(true)
        .build(&parsed.program)
        .semantic;
    let mut keys = Vec::new();
    let mut literals = Vec::new();
    for node in semantic.nodes().iter() {
        match node.kind() {
            AstKind::ObjectProperty(property) => {
                if let Expression::StringLiteral(value) = &property.value
                    && !property.computed
                    && let Some(key) = property.key.static_name()
                {
                    keys.push((value.span, key.into_owned()));
                }
            }
            AstKind::StringLiteral(literal) => literals.push(Literal {
                span: literal.span.start as usize..literal.span.end as usize,
                value: literal.value.to_string(),
                property: keys
                    .iter()
                    .find(|(span, _)| *span == literal.span)
                    .map(|(_, key)| key.clone()),
            }),
            _ => {}
        }
    }
    Ok(literals)
}

/// `literal`'s value written again as a literal with `value`, in the same quotes. Fails if
/// `value` would need escaping there (a path never does).
pub(crate) fn requoted(code: &str, literal: &Literal, value: &str) -> Result<String, PageError> {
    let quote = code[literal.span.clone()].chars().next().unwrap_or('\'');
    if value.contains(['\\', '\n', '\r', quote]) {
        return Err(PageError::Script(format!(
            "{value:?} would need escaping in a {quote}-quoted string"
        )));
    }
    Ok(format!("{quote}{value}{quote}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_literal_and_the_property_it_is_the_value_of() {
        let code = "import init from \"/a.js\";\nawait init({module_or_path:'/a_bg.wasm', n: 'x'}); f('y')";
        let literals = string_literals(code, true).unwrap();
        let seen: Vec<_> = literals
            .iter()
            .map(|l| {
                (
                    &code[l.span.clone()],
                    l.value.as_str(),
                    l.property.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("\"/a.js\"", "/a.js", None),
                ("'/a_bg.wasm'", "/a_bg.wasm", Some("module_or_path")),
                ("'x'", "x", Some("n")),
                ("'y'", "y", None),
            ]
        );
        assert!(matches!(
            string_literals("import x from", true),
            Err(PageError::Script(_))
        ));
        // Top-level `await` makes a script a module.
        assert!(string_literals("await f('a')", false).is_err());
    }

    #[test]
    fn requotes_in_the_same_quotes_and_refuses_what_needs_escaping() {
        let code = "f(\"a\", 'b')";
        let literals = string_literals(code, false).unwrap();
        assert_eq!(requoted(code, &literals[0], "/x").unwrap(), "\"/x\"");
        assert_eq!(requoted(code, &literals[1], "/x").unwrap(), "'/x'");
        assert!(requoted(code, &literals[1], "it's").is_err());
        assert_eq!(
            crate::splice(code, vec![(7..10, "'c'".into()), (2..5, "1".into())]),
            "f(1, 'c')"
        );
    }
}
