//! The build-time first view: the app's own components rendered to HTML on the host (Leptos's
//! `ssr` renderer, see `hello_wasm::prerender`) and written into `#app` of the built page, so
//! the form paints with the HTML, before the wasm has arrived. The app replaces it on mount.

/// Why the page cannot take the build-time view.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrerenderError {
    /// The page has no `<div id=app>`, or more than one.
    #[error("index.html should have exactly one <div id=app> for the first view, found {0}")]
    NoRoot(usize),
    /// `<div id=app>` is never closed.
    #[error("index.html's <div id=app> is never closed")]
    Unclosed,
    /// The rendered view has a script, which the CSP would have to allow.
    #[error("the build-time view has a <script>; the page's CSP allows none")]
    Script,
}

/// Replaces what is inside the page's `<div id=app>` (Trunk writes it minified, attribute
/// unquoted) with `view`.
pub fn into_page(html: &str, view: &str) -> Result<String, PrerenderError> {
    const ROOT: &str = "<div id=app>";
    if view.contains("<script") {
        return Err(PrerenderError::Script);
    }
    let [start] = html
        .match_indices(ROOT)
        .map(|(at, _)| at)
        .collect::<Vec<_>>()[..]
    else {
        return Err(PrerenderError::NoRoot(html.matches(ROOT).count()));
    };
    let inside = start + ROOT.len();
    let end = inside + closing_div(&html[inside..]).ok_or(PrerenderError::Unclosed)?;
    Ok(format!("{}{view}{}", &html[..inside], &html[end..]))
}

/// Where the `</div>` that closes an already open `<div>` starts in `html`.
fn closing_div(html: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    loop {
        let next_open = html[at..].find("<div").map(|i| at + i);
        let next_close = html[at..].find("</div>").map(|i| at + i)?;
        match next_open {
            Some(open) if open < next_close => {
                depth += 1;
                at = open + 4;
            }
            _ if depth == 0 => return Some(next_close),
            _ => {
                depth -= 1;
                at = next_close + 6;
            }
        }
    }
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
    fn refuses_a_page_it_cannot_place_the_view_in() {
        assert_eq!(
            into_page("<body></body>", "x"),
            Err(PrerenderError::NoRoot(0))
        );
        let twice = format!("{PAGE}<div id=app></div>");
        assert_eq!(into_page(&twice, "x"), Err(PrerenderError::NoRoot(2)));
        assert_eq!(
            into_page("<div id=app><div>", "x"),
            Err(PrerenderError::Unclosed)
        );
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
            "Look, Ma! No JS!",
        ] {
            assert!(view.contains(part), "{part} missing from {view}");
        }
        // Until the app is live, the button cannot submit.
        let button = &view[view.find("<button").unwrap()..view.find("</button>").unwrap()];
        assert!(button.contains(" disabled"), "{button}");
        assert!(!view.contains("<script"));
    }
}
