//! Fetches with gloo-net: the greetings catalogue, from the URL the page preloads it at (so
//! the browser answers this request from that preload), any other text (the names file) and
//! bytes (the raw module); each request gives up after [`TIMEOUT`].

use std::fmt;
use std::time::Duration;

use gloo_net::http::Request;
use js_sys::ArrayBuffer;
use leptos::prelude::{document, set_timeout_with_handle};
use leptos::web_sys::{AbortController, RequestCredentials, RequestMode};
use rules::catalogue::{self, Catalogue, CatalogueError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long any request may take: for the catalogue, before the app stays in English.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// The id of the page's `<link rel="preload">` for the catalogue.
const PRELOAD_ID: &str = "greetings";

/// Where the catalogue is when the page has no preload link (component tests).
const FALLBACK_URL: &str = "greetings.txt";

/// Why a fetched file (the catalogue, the names file, the raw module) could not be used.
/// `Display` is the console warning's reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchError {
    /// The browser would not give an abort signal or a timer, without which a request could
    /// hang for ever: it was not made.
    NoTimeout,
    /// The request failed: offline, connection dropped, refused by the browser.
    Network,
    /// The server answered with an error status.
    Status(u16),
    /// No complete answer within [`TIMEOUT`].
    TimedOut,
    /// The answer is not a usable catalogue.
    Catalogue(CatalogueError),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoTimeout => f.write_str(
                "the browser would not set the timer that bounds the request, so it was not made",
            ),
            Self::Network => {
                f.write_str("it could not be fetched (offline, or the connection dropped)")
            }
            Self::Status(status) => write!(f, "the server answered {status}"),
            Self::TimedOut => write!(f, "it did not arrive within {} seconds", TIMEOUT.as_secs()),
            Self::Catalogue(error) => write!(f, "{error}"),
        }
    }
}

/// Fetches and parses the catalogue.
pub async fn fetch_catalogue() -> Result<Catalogue, FetchError> {
    let url = document()
        .get_element_by_id(PRELOAD_ID)
        .and_then(|link| link.get_attribute("href"))
        .unwrap_or_else(|| FALLBACK_URL.to_owned());
    let text = fetch_text(&url).await?;
    catalogue::parse(&text).map_err(FetchError::Catalogue)
}

/// GETs `url` as text with gloo-net, giving up after [`TIMEOUT`]. Shared by everything the
/// page fetches as text, so the browser carries one copy of the code.
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    match fetch(url, Body::Text).await? {
        Fetched::Text(text) => Ok(text),
        Fetched::Bytes(_) => Err(FetchError::Network),
    }
}

/// GETs `url` as bytes, as [`fetch_text`] does text, left in the browser's memory (they are
/// for the browser: a module to compile).
pub async fn fetch_bytes(url: &str) -> Result<ArrayBuffer, FetchError> {
    match fetch(url, Body::Bytes).await? {
        Fetched::Bytes(bytes) => Ok(bytes),
        Fetched::Text(_) => Err(FetchError::Network),
    }
}

/// How to read an answer's body.
#[derive(Clone, Copy)]
enum Body {
    Text,
    Bytes,
}

/// An answer's body, read as asked (the other variant never comes back). One request
/// function for both keeps one copy of its code in the module.
enum Fetched {
    Text(String),
    Bytes(ArrayBuffer),
}

async fn fetch(url: &str, body: Body) -> Result<Fetched, FetchError> {
    // Aborting the request also ends a body that is still arriving.
    let controller = AbortController::new().map_err(|_| FetchError::NoTimeout)?;
    let signal = controller.signal();
    // Without its timer a request could hang for ever: then it is not made at all.
    let timer = set_timeout_with_handle(move || controller.abort(), TIMEOUT)
        .map_err(|_| FetchError::NoTimeout)?;
    let fetched = send(url, &signal, body).await;
    timer.clear();
    fetched.map_err(|error| match error {
        FetchError::Network if signal.aborted() => FetchError::TimedOut,
        other => other,
    })
}

async fn send(
    url: &str,
    signal: &leptos::web_sys::AbortSignal,
    body: Body,
) -> Result<Fetched, FetchError> {
    // No-cors with credentials, as the page's preload (a link without `crossorigin`): the
    // only request WebKit answers from a preload (ARCHITECTURE.md), and a same-origin
    // response stays readable.
    let response = Request::get(url)
        .mode(RequestMode::NoCors)
        .credentials(RequestCredentials::Include)
        .abort_signal(Some(signal))
        .send()
        .await
        .map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    match body {
        Body::Text => response.text().await.map(Fetched::Text).ok(),
        Body::Bytes => {
            let response = leptos::web_sys::Response::from(response);
            let read = response.array_buffer().ok().map(JsFuture::from);
            match read {
                Some(read) => read.await.ok().and_then(|buffer| buffer.dyn_into().ok()),
                None => None,
            }
            .map(Fetched::Bytes)
        }
    }
    .ok_or(FetchError::Network)
}
