//! The built `index.html`, read and rewritten with an HTML parser (lol_html) rather than by
//! searching its text: what its inline scripts and styles are, what an element's attribute
//! says, where its references to the site's files are, and the hash by which a
//! Content-Security-Policy allows an inline script or style.
//!
//! xtask writes the page with these; the end-to-end suite uses the same functions to serve
//! altered copies of it, so both read the page the same way.

mod script;

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::html_content::ContentType;
use lol_html::{
    ElementContentHandlers, RewriteStrSettings, Selector, doc_comments, element, rewrite_str, text,
};

/// A selector and what to do with what it matches, as lol_html's settings take them.
type Handler<'h> = (Cow<'static, Selector>, ElementContentHandlers<'h>);

/// Why a page cannot be read or rewritten.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The HTML parser gave up.
    #[error("index.html cannot be parsed: {0}")]
    Parse(String),
    /// An element the rewrite needs is not there exactly once.
    #[error("index.html should have exactly one element matching `{selector}`, found {found}")]
    NotOnce {
        /// The CSS selector.
        selector: String,
        /// How many matched.
        found: usize,
    },
    /// A file to rename is referenced nowhere.
    #[error("index.html never references {0}")]
    Unreferenced(String),
    /// An attribute value that would need quotes or escaping where it is to be written.
    #[error("{0:?} cannot replace an attribute's value as written")]
    Value(String),
    /// An inline script is not JavaScript as the edit expects.
    #[error("an inline script of index.html cannot be edited: {0}")]
    Script(String),
}

/// The text of every `<script>` without a `src`, and of every `<style>`, exactly as the
/// browser hashes it for a Content-Security-Policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlineCode {
    /// Inline scripts, in order.
    pub scripts: Vec<String>,
    /// Inline style sheets, in order.
    pub styles: Vec<String>,
}

/// The page's inline scripts and style sheets.
pub fn inline_code(html: &str) -> Result<InlineCode, PageError> {
    let (scripts, styles) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()));
    let [script_opened, script_text] = collect_text("script:not([src])", &scripts);
    let [style_opened, style_text] = collect_text("style", &styles);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(script_opened)
        .append_element_content_handler(script_text)
        .append_element_content_handler(style_opened)
        .append_element_content_handler(style_text);
    rewrite(html, settings)?;
    Ok(InlineCode {
        scripts: scripts.into_inner(),
        styles: styles.into_inner(),
    })
}

/// The text of each element matching `selector`, in order (`title`: the page's title).
pub fn texts(html: &str, selector: &str) -> Result<Vec<String>, PageError> {
    let texts = RefCell::new(Vec::new());
    let mut settings = RewriteStrSettings::new();
    for handler in collect_text(selector, &texts) {
        settings = settings.append_element_content_handler(handler);
    }
    rewrite(html, settings)?;
    Ok(texts.into_inner())
}

/// Handlers that add the text of each element matching `selector` to `texts`, one entry an
/// element (a text node can arrive in several chunks: each goes to the last element opened).
fn collect_text<'h>(selector: &str, texts: &'h RefCell<Vec<String>>) -> [Handler<'h>; 2] {
    [
        element!(selector, |_| {
            texts.borrow_mut().push(String::new());
            Ok(())
        }),
        text!(selector, |chunk| {
            if let Some(text) = texts.borrow_mut().last_mut() {
                text.push_str(chunk.as_str());
            }
            Ok(())
        }),
    ]
}

/// Handlers that give the whole text of each inline script to `edit` (gathered, in case a
/// text node arrives in several chunks), with whether it is a module, and write what it
/// returns in its place.
fn edit_inline_scripts<'h>(
    mut edit: impl FnMut(&str, bool) -> Result<String, PageError> + 'h,
) -> [Handler<'h>; 2] {
    let module = Rc::new(Cell::new(false));
    let opened = Rc::clone(&module);
    let mut script = String::new();
    [
        element!("script:not([src])", move |element| {
            opened.set(element.get_attribute("type").as_deref() == Some("module"));
            Ok(())
        }),
        text!("script:not([src])", move |chunk| {
            script.push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                chunk.replace(&edit(&script, module.get())?, ContentType::Text);
                script.clear();
            } else {
                chunk.remove();
            }
            Ok(())
        }),
    ]
}

/// The CSP source that allows exactly `code` inline: `'sha256-…'`.
pub fn source_hash(code: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(code.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The value of attribute `name` on the first element matching `selector`, if any.
pub fn attribute(html: &str, selector: &str, name: &str) -> Result<Option<String>, PageError> {
    let found = RefCell::new(None);
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(selector, |element| {
            let mut found = found.borrow_mut();
            if found.is_none() {
                *found = Some(element.get_attribute(name));
            }
            Ok(())
        }));
    rewrite(html, settings)?;
    Ok(found.into_inner().flatten())
}

/// Trunk's preload link for the wasm-bindgen module (`…_bg.wasm`).
pub const MODULE_PRELOAD: &str = "link[rel=preload][href$='_bg.wasm']";

/// The URL the page preloads its module from, as the page writes it.
pub fn module_url(html: &str) -> Result<String, PageError> {
    attribute(html, MODULE_PRELOAD, "href")?.ok_or_else(|| PageError::NotOnce {
        selector: MODULE_PRELOAD.to_owned(),
        found: 0,
    })
}

/// `html` with the content of the one element matching `selector` replaced by `content`
/// (HTML). Fails unless exactly one element matches.
pub fn replace_content(html: &str, selector: &str, content: &str) -> Result<String, PageError> {
    let mut found = 0;
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(selector, |element| {
            found += 1;
            element.set_inner_content(content, ContentType::Html);
            Ok(())
        }));
    let rewritten = rewrite(html, settings)?;
    expect_once(selector, found)?;
    Ok(rewritten)
}

/// `html` (a page or a fragment) with every comment written as an empty, well-formed one: the
/// server renderer's `<!>` hydration markers, which HTML calls bogus comments, become
/// `<!---->`, which parses to the same empty comment node.
pub fn markers_as_empty_comments(html: &str) -> Result<String, PageError> {
    let settings =
        RewriteStrSettings::new().append_document_content_handler(doc_comments!(|comment| {
            comment.replace("<!---->", ContentType::Html);
            Ok(())
        }));
    rewrite(html, settings)
}

/// `html` with `<meta>` tag `meta` inserted right after the one `<meta charset>`.
pub fn after_charset(html: &str, meta: &str) -> Result<String, PageError> {
    let mut found = 0;
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "meta[charset]",
        |element| {
            found += 1;
            element.after(meta, ContentType::Html);
            Ok(())
        }
    ));
    let rewritten = rewrite(html, settings)?;
    expect_once("meta[charset]", found)?;
    Ok(rewritten)
}

/// `html` without attributes `names` on the one element matching `selector`.
pub fn remove_attributes(html: &str, selector: &str, names: &[&str]) -> Result<String, PageError> {
    let mut found = 0;
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(selector, |element| {
            found += 1;
            for name in names {
                element.remove_attribute(name);
            }
            Ok(())
        }));
    let rewritten = rewrite(html, settings)?;
    expect_once(selector, found)?;
    Ok(rewritten)
}

/// `html` with the one `<link>` matching `selector` moved, exactly as written, to the end of
/// `<body>`. Fails unless exactly one element matches, and it is a `<link>` (an element
/// without content), and the page has one `<body>`.
pub fn move_link_to_end_of_body(html: &str, selector: &str) -> Result<String, PageError> {
    let (moved, found) = (RefCell::new(String::new()), Cell::new(0));
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(selector, |element| {
            found.set(found.get() + 1);
            if element.tag_name() == "link" {
                moved
                    .borrow_mut()
                    .push_str(&html[element.source_location().bytes()]);
                element.remove();
            }
            Ok(())
        }));
    let without = rewrite(html, settings)?;
    expect_once(selector, found.get())?;
    let moved = moved.into_inner();
    if moved.is_empty() {
        return Err(PageError::NotOnce {
            selector: format!("{selector} (a <link>)"),
            found: 0,
        });
    }
    let mut bodies = 0;
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("body", |body| {
            bodies += 1;
            body.append(&moved, ContentType::Html);
            Ok(())
        }));
    let rewritten = rewrite(&without, settings)?;
    expect_once("body", bodies)?;
    Ok(rewritten)
}

/// `html` with the string that is the value of the one object property named `key` in its
/// inline scripts (Trunk's loader: `init({ module_or_path: '/a_bg.wasm' })`) replaced by the
/// code `replace` makes of it, given the literal as written and its value. Read on the
/// script's syntax tree, so the loader's spacing and quotes do not matter; fails unless the
/// property is there exactly once.
pub fn replace_property_string(
    html: &str,
    key: &str,
    replace: impl Fn(&str, &str) -> Result<String, PageError>,
) -> Result<String, PageError> {
    let found = Cell::new(0);
    let mut settings = RewriteStrSettings::new();
    for handler in edit_inline_scripts(|code, module| {
        let mut edits = Vec::new();
        for literal in script::string_literals(code, module)? {
            if literal.property.as_deref() == Some(key) {
                edits.push((
                    literal.span.clone(),
                    replace(&code[literal.span.clone()], &literal.value)?,
                ));
            }
        }
        found.set(found.get() + edits.len());
        Ok(splice(code, edits))
    }) {
        settings = settings.append_element_content_handler(handler);
    }
    let rewritten = rewrite(html, settings)?;
    expect_once(&format!("an inline script's `{key}: '…'`"), found.get())?;
    Ok(rewritten)
}

/// `html` with the value of each attribute named in `names` that `edit` changes given what
/// it returns, and how many. The value is replaced where the parser found it in the page,
/// inside the quotes it was written with or without, so the rest of the tag keeps its bytes
/// (lol_html's own `set_attribute` writes the value again, quoted). `edit` is given the value
/// as written (lol_html decodes no character reference), and a new value must be valid
/// unquoted (no whitespace, quotes, `=`, `<`, `>`, backtick or `&`): otherwise this fails.
pub fn edit_attribute_values(
    html: &str,
    names: &[&str],
    edit: impl Fn(&str) -> Option<String>,
) -> Result<(String, usize), PageError> {
    let edits = RefCell::new(Vec::new());
    let selector = names
        .iter()
        .map(|name| format!("[{name}]"))
        .collect::<Vec<_>>()
        .join(", ");
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!(&selector, |element| {
            for attribute in element.attributes() {
                let value = attribute.value();
                let (true, Some(location), Some(new)) = (
                    names.contains(&attribute.name().as_str()),
                    attribute.value_source_location(),
                    edit(&value),
                ) else {
                    continue;
                };
                let unsafe_char = |c: char| c.is_ascii_whitespace() || "\"'=<>`&".contains(c);
                if new.is_empty() || new.contains(unsafe_char) {
                    return Err(Box::new(PageError::Value(new)));
                }
                edits.borrow_mut().push((location.bytes(), new));
            }
            Ok(())
        }));
    rewrite(html, settings)?;
    let edits = edits.into_inner();
    let count = edits.len();
    Ok((splice(html, edits), count))
}

/// `html` with every reference to the site file `old` made to `new`: an `href` or `src`
/// whose value is `old` or ends in `/old`, and such a string literal in an inline script
/// (Trunk's loader imports the glue and names the module so; found on its syntax tree). `old`
/// and `new` are paths as the page writes them after its public URL (`hello-wasm-…_bg.wasm`).
/// Fails if the page references `old` nowhere.
pub fn rename_references(html: &str, old: &str, new: &str) -> Result<String, PageError> {
    let (html, attributes) =
        edit_attribute_values(html, &["href", "src"], |value| rename_path(value, old, new))?;
    let renamed = Cell::new(attributes);
    let mut settings = RewriteStrSettings::new();
    for handler in edit_inline_scripts(|code, module| {
        let mut edits = Vec::new();
        for literal in script::string_literals(code, module)? {
            if let Some(value) = rename_path(&literal.value, old, new) {
                edits.push((
                    literal.span.clone(),
                    script::requoted(code, &literal, &value)?,
                ));
            }
        }
        renamed.set(renamed.get() + edits.len());
        Ok(splice(code, edits))
    }) {
        settings = settings.append_element_content_handler(handler);
    }
    let rewritten = rewrite(&html, settings)?;
    if renamed.get() == 0 {
        return Err(PageError::Unreferenced(old.to_owned()));
    }
    Ok(rewritten)
}

/// `value` with its trailing `old` path made `new`, if it is `old` or ends in `/old`.
fn rename_path(value: &str, old: &str, new: &str) -> Option<String> {
    let base = value.strip_suffix(old)?;
    (base.is_empty() || base.ends_with('/')).then(|| format!("{base}{new}"))
}

/// `text` with each range replaced by its text. The ranges must not overlap.
fn splice(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, replacement) in edits {
        out.push_str(&text[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn expect_once(selector: &str, found: usize) -> Result<(), PageError> {
    if found == 1 {
        Ok(())
    } else {
        Err(PageError::NotOnce {
            selector: selector.to_owned(),
            found,
        })
    }
}

fn rewrite(html: &str, settings: RewriteStrSettings<'_, '_>) -> Result<String, PageError> {
    rewrite_str(html, settings).map_err(|error| match error {
        lol_html::errors::RewritingError::ContentHandlerError(error) => {
            match error.downcast::<PageError>() {
                Ok(error) => *error,
                Err(error) => PageError::Parse(error.to_string()),
            }
        }
        error => PageError::Parse(error.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!doctype html><html><head><meta charset=utf-8>\
        <link rel=modulepreload href=/apps/hello-1.js integrity=sha384-x>\
        <link id=greetings rel=preload href=greetings.txt as=fetch crossorigin>\
        <style>p{color:red}</style>\
        <script type=module>import init from '/apps/hello-1.js';\
        await init({ module_or_path: '/apps/hello-1_bg.wasm' });</script>\
        <script src=/other.js></script></head>\
        <body><div id=app><main><div>a</div><p>Loading</p></main></div><div id=other></div></body></html>";

    #[test]
    fn reads_inline_scripts_and_styles_but_not_external_scripts() {
        let code = inline_code(PAGE).unwrap();
        assert_eq!(
            code.scripts,
            [
                "import init from '/apps/hello-1.js';await init({ module_or_path: '/apps/hello-1_bg.wasm' });"
            ]
        );
        assert_eq!(code.styles, ["p{color:red}"]);
    }

    #[test]
    fn reads_the_text_of_each_match() {
        assert_eq!(
            texts("<title>A &amp; B</title><p>x<b>y</b></p><p>z", "p").unwrap(),
            ["xy", "z"]
        );
        assert_eq!(texts("<title>A</title>", "title").unwrap(), ["A"]);
    }

    #[test]
    fn hashes_as_the_csp_names_inline_code() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            source_hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }

    #[test]
    fn reads_an_attribute_of_the_first_match() {
        assert_eq!(
            attribute(PAGE, "link#greetings", "href")
                .unwrap()
                .as_deref(),
            Some("greetings.txt")
        );
        assert_eq!(
            attribute(PAGE, "link#greetings", "integrity").unwrap(),
            None
        );
        assert!(matches!(
            module_url(PAGE),
            Err(PageError::NotOnce { found: 0, .. })
        ));
        let preloaded = PAGE.replace("<style>", "<link rel=preload href=/a/x_bg.wasm><style>");
        assert_eq!(module_url(&preloaded).unwrap(), "/a/x_bg.wasm");
        assert_eq!(attribute(PAGE, "link#missing", "href").unwrap(), None);
    }

    #[test]
    fn replaces_the_content_of_exactly_one_element() {
        let page = replace_content(PAGE, "div#app", "<main>form</main>").unwrap();
        assert!(
            page.ends_with("<div id=app><main>form</main></div><div id=other></div></body></html>"),
            "{page}"
        );
        assert_eq!(
            replace_content(PAGE, "div", "x"),
            Err(PageError::NotOnce {
                selector: "div".into(),
                found: 3
            })
        );
    }

    #[test]
    fn writes_every_comment_as_an_empty_well_formed_one() {
        assert_eq!(
            markers_as_empty_comments("<p>a<!>b<!-- c --></p><noscript><p>d</p></noscript>")
                .unwrap(),
            "<p>a<!---->b<!----></p><noscript><p>d</p></noscript>"
        );
    }

    #[test]
    fn inserts_after_the_charset() {
        let page = after_charset(PAGE, "<meta name=x>").unwrap();
        assert!(
            page.contains("<meta charset=utf-8><meta name=x><link"),
            "{page}"
        );
        assert!(matches!(
            after_charset("<title>t</title>", "<meta name=x>"),
            Err(PageError::NotOnce { found: 0, .. })
        ));
    }

    #[test]
    fn removes_attributes_and_replaces_a_property_of_the_loader_exactly_once() {
        let page = remove_attributes(PAGE, "link#greetings", &["crossorigin", "as"]).unwrap();
        assert!(
            page.contains("<link id=greetings rel=preload href=greetings.txt>"),
            "{page}"
        );
        let request = |literal: &str, _: &str| Ok(format!("new Request({literal})"));
        let page = replace_property_string(&page, "module_or_path", request).unwrap();
        assert!(
            page.contains("await init({ module_or_path: new Request('/apps/hello-1_bg.wasm') });"),
            "{page}"
        );
        // Now the property's value is no string: there is none left to replace.
        assert!(matches!(
            replace_property_string(&page, "module_or_path", request),
            Err(PageError::NotOnce { found: 0, .. })
        ));
        // The same loader printed another way is edited the same.
        let other = PAGE.replace(
            "await init({ module_or_path: '/apps/hello-1_bg.wasm' });",
            "await init({\"module_or_path\":\"/apps/hello-1_bg.wasm\"})",
        );
        let other = replace_property_string(&other, "module_or_path", request).unwrap();
        assert!(
            other.contains("init({\"module_or_path\":new Request(\"/apps/hello-1_bg.wasm\")})"),
            "{other}"
        );
        // A refusal from `replace` and a script that is not JavaScript are both errors.
        let refuse = |_: &str, value: &str| Err(PageError::Script(value.to_owned()));
        assert_eq!(
            replace_property_string(PAGE, "module_or_path", refuse),
            Err(PageError::Script("/apps/hello-1_bg.wasm".into()))
        );
        let broken = PAGE.replace("import init from", "import init frm");
        assert!(matches!(
            replace_property_string(&broken, "module_or_path", request),
            Err(PageError::Script(_))
        ));
    }

    #[test]
    fn moves_one_link_as_written_to_the_end_of_the_body() {
        let page = move_link_to_end_of_body(PAGE, "link[rel=modulepreload]").unwrap();
        assert!(!page.contains("<head><meta charset=utf-8><link rel=modulepreload"));
        assert!(
            page.ends_with(
                "<div id=other></div><link rel=modulepreload href=/apps/hello-1.js integrity=sha384-x></body></html>"
            ),
            "{page}"
        );
        assert_eq!(page.len(), PAGE.len());
        let page = move_link_to_end_of_body(&page, "link#greetings").unwrap();
        assert!(
            page.ends_with(
                "integrity=sha384-x><link id=greetings rel=preload href=greetings.txt as=fetch crossorigin></body></html>"
            ),
            "{page}"
        );
        // Not a link, more than one, none, or no body: refused.
        for (html, selector) in [
            (PAGE, "style"),
            (PAGE, "link"),
            (PAGE, "link[rel=icon]"),
            ("<link rel=icon href=a.svg>", "link"),
        ] {
            assert!(
                matches!(
                    move_link_to_end_of_body(html, selector),
                    Err(PageError::NotOnce { .. })
                ),
                "{selector} in {html}"
            );
        }
    }

    #[test]
    fn replaces_an_attribute_value_where_it_is_written() {
        let page = "<link integrity=sha384-a rel=preload><link integrity='sha384-a'>\
            <script integrity=\"sha384-b\"></script><p title=sha384-a>";
        let to_c = |value: &str| (value == "sha384-a").then(|| "sha384-c".to_owned());
        let (page, count) = edit_attribute_values(page, &["integrity"], to_c).unwrap();
        assert_eq!(count, 2);
        assert_eq!(
            page,
            "<link integrity=sha384-c rel=preload><link integrity='sha384-c'>\
            <script integrity=\"sha384-b\"></script><p title=sha384-a>"
        );
        assert_eq!(
            edit_attribute_values(&page, &["integrity"], to_c)
                .unwrap()
                .1,
            0
        );
        let to_spaced = |value: &str| (value == "sha384-c").then(|| "a b".to_owned());
        assert_eq!(
            edit_attribute_values(&page, &["integrity"], to_spaced),
            Err(PageError::Value("a b".into()))
        );
    }

    #[test]
    fn renames_every_reference_to_a_file_and_nothing_else() {
        let page = rename_references(PAGE, "hello-1.js", "hello-2.js").unwrap();
        // The value changes where it is written, unquoted as it was.
        assert!(page.contains("href=/apps/hello-2.js "), "{page}");
        assert!(
            page.contains("import init from '/apps/hello-2.js';"),
            "{page}"
        );
        assert!(page.contains("'/apps/hello-1_bg.wasm'"), "{page}");
        let page = rename_references(&page, "greetings.txt", "greetings-9.txt").unwrap();
        assert!(page.contains("href=greetings-9.txt "), "{page}");
        assert_eq!(
            rename_references(&page, "ello-2.js", "x.js"),
            Err(PageError::Unreferenced("ello-2.js".into()))
        );
    }
}
