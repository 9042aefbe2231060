//! The article's first example, as a module of its own: Rust compiled to WebAssembly with no
//! wasm-bindgen, no glue and no standard library. It exports `double_it`, whose body calls
//! `add_integers`, a function it imports from whoever instantiates it (module `env`). The app
//! instantiates it from Rust, with a Rust closure as that import; without the import, the
//! browser's linker refuses the module.
#![no_std]

// Functions the host must provide, in the import module `env`. Declaring an import is
// `unsafe`: Rust cannot check what the host will link in.
#[allow(unsafe_code)]
unsafe extern "C" {
    /// Adds two integers: provided by the page that instantiates the module.
    fn add_integers(a: i32, b: i32) -> i32;
}

/// Doubles `n` by asking the host to add it to itself (wrapping on overflow, as the host's
/// `i32` addition does).
// Exported under its own name (`no_mangle`), which Rust counts as unsafe: two such names
// could collide at link time. This module has one.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn double_it(n: i32) -> i32 {
    // SAFETY: the import takes and returns plain integers, reads and writes no memory, and
    // the module cannot be instantiated without it (a `LinkError` otherwise).
    unsafe { add_integers(n, n) }
}

/// A panic can only be an abort: there is nothing to unwind to, and nothing here panics.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
