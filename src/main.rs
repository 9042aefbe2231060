//! Starts the app in the browser.

fn main() {
    hello_wasm::crash::install_panic_hook();
    // `trunk serve`'s debug page has no build-time view to bring to life: the app replaces its
    // placeholder instead (see `dev_page`, compiled into debug builds only).
    #[cfg(debug_assertions)]
    if hello_wasm::dev_page::mount_in_place_of_placeholder() {
        return;
    }
    hello_wasm::mount_app();
}
