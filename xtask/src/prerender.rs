//! The build-time first view: the app's own components rendered to HTML on the host (Leptos's
//! `ssr` renderer, see `hello_wasm::prerender`) and written into `#app` of the built page, so
//! the form paints with the HTML, before the wasm has arrived. When the module has loaded,
//! the app adopts these very nodes (Leptos's hydration), so what the visitor typed, the caret
//! and the focus stay.

use page::{PageError, markers_as_empty_comments, replace_content};

/// Why the page cannot take the build-time view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrerenderError {
    /// The page has no one `<div id=app>`, or cannot be parsed.
    #[error(transparent)]
    Page(#[from] PageError),
    /// The rendered view has a script, which the CSP would have to allow.
    #[error("the build-time view has a <script>; the page's CSP allows none")]
    Script,
}

/// The element the first view is written into.
pub const ROOT: &str = "div#app";

/// Replaces what is inside the page's `<div id=app>` with `view`.
pub fn into_page(html: &str, view: &str) -> Result<String, PrerenderError> {
    if view.contains("<script") {
        return Err(PrerenderError::Script);
    }
    // The server renderer marks places for hydration with `<!>`, which HTML calls a bogus
    // comment: the same empty comment, written well-formed, is what the app finds there.
    Ok(replace_content(
        html,
        ROOT,
        &markers_as_empty_comments(view)?,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<body><div id=app><main><div>a</div><p>Loading</p></main></div><div id=other></div></body>";

    #[test]
    fn replaces_only_what_is_inside_the_root() {
        let page = into_page(PAGE, "<main>form</main>").unwrap();
        assert_eq!(
            page,
            "<body><div id=app><main>form</main></div><div id=other></div></body>"
        );
    }

    #[test]
    fn the_hydration_markers_are_written_as_well_formed_comments() {
        let page = into_page(PAGE, "<main><p>a<!></p></main>").unwrap();
        assert!(
            page.contains("<div id=app><main><p>a<!----></p></main></div>"),
            "{page}"
        );
        let page = into_page(PAGE, &hello_wasm::prerender()).unwrap();
        assert!(!page.contains("<!>") && page.contains("<!---->"), "{page}");
    }

    #[test]
    fn refuses_a_page_it_cannot_place_the_view_in() {
        let not_once = |found| {
            Err(PrerenderError::Page(PageError::NotOnce {
                selector: ROOT.to_owned(),
                found,
            }))
        };
        assert_eq!(into_page("<body></body>", "x"), not_once(0));
        let twice = format!("{PAGE}<div id=app></div>");
        assert_eq!(into_page(&twice, "x"), not_once(2));
        assert_eq!(
            into_page(PAGE, "<script>x</script>"),
            Err(PrerenderError::Script)
        );
    }

    #[test]
    fn the_apps_first_view_holds_the_forms_contract() {
        let view = hello_wasm::prerender();
        for part in [
            "data-testid=\"name-input\"",
            "data-testid=\"say-hello\"",
            "data-testid=\"greeting\"",
            "data-testid=\"language\"",
            "data-testid=\"load-stalled\"",
            ">Name</label>",
            ">Language</label>",
            ">Say hello</button>",
            "<noscript>",
        ] {
            assert!(view.contains(part), "{part} missing from {view}");
        }
        // The heading is the page's title, written once, in index.html.
        let page = include_str!("../../index.html");
        let [title] = &page::texts(page, "title").unwrap()[..] else {
            panic!("index.html should have one <title>");
        };
        assert!(view.contains(&format!("<h1>{title}</h1>")), "{view}");
        assert_eq!(
            page::texts(page, "h1").unwrap(),
            Vec::<String>::new(),
            "a second heading"
        );
        // Until the app is live, the button cannot submit.
        let button = &view[view.find("<button").unwrap()..view.find("</button>").unwrap()];
        assert!(button.contains(" disabled"), "{button}");
        assert!(!view.contains("<script"));
    }

    #[test]
    fn the_picker_offers_english_first_and_starts_on_a_choice_of_nothing_after_it() {
        // The handover keeps the first option alone, then adopts it as the app's list of
        // English only: any other would not hydrate. The second is the page's alone: chosen
        // as built, and not the visitor's to choose, so that choosing English leaves it too;
        // the handover removes it.
        let view = hello_wasm::prerender();
        let options = &view[view.find("<select").unwrap()..view.find("</select>").unwrap()];
        let mut each = options.split("<option").skip(1);
        assert_eq!(
            each.next(),
            Some(" value=\"en\" lang=\"en\">English</option>")
        );
        assert_eq!(
            each.next(),
            Some(" value=\"\" selected disabled hidden>English</option>")
        );
        assert!(each.all(|option| !option.contains("selected")), "{options}");
        assert_eq!(options.matches("value=\"en\"").count(), 1, "{options}");
        assert!(options.matches("<option").count() > 20, "{options}");
    }
}
