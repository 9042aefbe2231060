//! The article's first example, live: the raw module (the `raw` crate, built without
//! wasm-bindgen), fetched when "Under the hood" is first opened, compiled and instantiated
//! from Rust with `WebAssembly.Instance`, whose import object gives it a Rust closure as
//! `add_integers`. So `double_it` is Rust calling Rust through the browser's linker.

use std::cell::RefCell;
use std::fmt;

use js_sys::{ArrayBuffer, Function, Object, Reflect, WebAssembly};
use rules::under_the_hood::{FIRST_NUMBER, RawModule};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::fetch::{FetchError, fetch_bytes};
use crate::reflection::entries_of;

/// The raw module's file as the build-time page links it; the release build renames it after
/// its bytes, and the link follows. The post-build writes it under this name.
pub const FILE: &str = "raw.wasm";

/// Why the raw module shows nothing. `Display` is the sentence the section shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawError {
    /// The page links no raw module.
    NotLinked,
    /// It could not be downloaded.
    Fetch(FetchError),
    /// The browser would not compile or instantiate it; its own message.
    Refused(String),
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("The raw module could not be shown: ")?;
        match self {
            Self::NotLinked => f.write_str("the page does not link it."),
            Self::Fetch(error) => write!(f, "{error}."),
            Self::Refused(message) => write!(f, "the browser refused it ({message})."),
        }
    }
}

thread_local! {
    // The instantiated module's `double_it`, once there is one. The page instantiates it once.
    static DOUBLE_IT: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// `double_it(n)`, computed by the instantiated raw module (with the app's `add_integers`);
/// `None` before it is instantiated.
pub fn double(n: i32) -> Option<i32> {
    DOUBLE_IT.with_borrow(|double_it| {
        let result = double_it.as_ref()?.call1(&JsValue::NULL, &n.into()).ok()?;
        result.as_f64().map(|value| value as i32)
    })
}

/// Downloads the raw module from `url` and instantiates it.
pub async fn load(url: Option<String>) -> Result<RawModule, RawError> {
    let url = url.ok_or(RawError::NotLinked)?;
    let bytes = fetch_bytes(&url).await.map_err(RawError::Fetch)?;
    instantiate(&bytes)
}

/// Compiles `bytes`, tries them without their import (keeping the browser's `LinkError`),
/// then instantiates them with `add_integers` as a Rust closure, and doubles
/// [`FIRST_NUMBER`].
pub fn instantiate(bytes: &ArrayBuffer) -> Result<RawModule, RawError> {
    let refused = |error: JsValue| RawError::Refused(message(&error));
    let module = WebAssembly::Module::new(bytes).map_err(refused)?;
    let (exports, imports) = entries_of(&module);
    // The import object as the module asks for it (`env`), first without `add_integers`.
    let env = Object::new();
    let import_object = Object::new();
    Reflect::set(&import_object, &"env".into(), &env).map_err(refused)?;
    let link_error = match WebAssembly::Instance::new(&module, &import_object) {
        Err(error) => message(&error),
        Ok(_) => "none: it linked without add_integers".to_owned(),
    };
    let add_integers = Closure::<dyn Fn(i32, i32) -> i32>::new(|a: i32, b: i32| a.wrapping_add(b));
    Reflect::set(&env, &"add_integers".into(), add_integers.as_ref()).map_err(refused)?;
    // The instance may call it for as long as the page lives.
    add_integers.forget();
    let instance = WebAssembly::Instance::new(&module, &import_object).map_err(refused)?;
    let double_it = Reflect::get(&instance.exports(), &"double_it".into())
        .ok()
        .and_then(|export| export.dyn_into::<Function>().ok())
        .ok_or_else(|| RawError::Refused("it exports no function double_it".to_owned()))?;
    DOUBLE_IT.set(Some(double_it));
    let doubled =
        double(FIRST_NUMBER).ok_or_else(|| RawError::Refused("double_it threw".to_owned()))?;
    Ok(RawModule {
        bytes: bytes.byte_length() as usize,
        exports,
        imports,
        link_error,
        doubled,
    })
}

/// An error as the browser writes it (`Error.prototype.toString`: "LinkError: …").
fn message(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => error.to_string().into(),
        None => "an error without a message".to_owned(),
    }
}
