//! What a visitor sees if the app panics: the panic goes to the console in full, and the
//! page says, politely, that something broke, instead of going quietly dead.

use leptos::prelude::document;

use crate::console;

/// The text shown on the page after a panic.
pub const CRASH_MESSAGE: &str =
    "Sorry, something went wrong on our side. Please reload the page to try again.";

/// Installs the panic hook: `console_error_panic_hook` logs the panic with its stack, then
/// the page shows [`CRASH_MESSAGE`].
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_notice();
    }));
}

/// Puts the crash notice at the top of the page, once, and takes away the build-time notice
/// that would blame a slow load or the visitor's browser six seconds on. This runs inside the
/// panic hook, so it must not panic itself: every failure is skipped, and the console already
/// has the story.
pub fn show_crash_notice() {
    let document = document();
    if document.get_element_by_id("crash-notice").is_some() {
        return;
    }
    if let Some(root) = document.get_element_by_id(crate::ROOT_ID) {
        crate::remove_before_live_notices(&root);
    }
    let (Ok(notice), Some(body)) = (document.create_element("p"), document.body()) else {
        return;
    };
    notice.set_id("crash-notice");
    notice.set_class_name("crash-notice");
    notice.set_text_content(Some(CRASH_MESSAGE));
    for (name, value) in [("role", "alert"), ("data-testid", "crash-notice")] {
        if notice.set_attribute(name, value).is_err() {
            return;
        }
    }
    if body.prepend_with_node_1(&notice).is_err() {
        console::error("The crash notice could not be added to the page.");
    }
}
