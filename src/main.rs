//! Starts the app in the browser.

fn main() {
    hello_wasm::crash::install_panic_hook();
    hello_wasm::mount_app();
}
