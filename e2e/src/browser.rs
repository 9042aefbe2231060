//! A browser session in any of the three engines (see [`crate::driver`]), with Chromium's
//! console recorded, and the chromedriver extensions the suite uses where only Chromium has
//! them (the console, the DevTools Protocol).

use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::Error;
use crate::driver::{Engine, MINIBROWSER};

/// How long to wait for the page to reach an expected state.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// The Chromium and Firefox options the component tests run with too:
/// `wasm-bindgen-test-runner` reads this file, so both suites start the browsers the same way
/// (headless, no background networking).
const WEBDRIVER_JSON: &str = include_str!("../../webdriver.json");

/// How a session's browser starts.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The browser's first language (a BCP 47 tag), in `navigator.languages` and
    /// `Accept-Language`.
    pub language: &'a str,
    /// WebDriver's page load strategy: `normal` (navigation waits for `load`) or `eager`
    /// (for `DOMContentLoaded`, so a test can act on a page still loading).
    pub page_load: &'a str,
    /// A profile directory to keep between sessions (a returning visitor's cache); `None`
    /// for a fresh, empty one.
    pub profile: Option<&'a std::path::Path>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self {
            language: "en-US",
            page_load: "normal",
            profile: None,
        }
    }
}

/// Opens a new session in `engine` with a 1024×768 window (and, in Chromium, the console
/// recorded). WebKit's language is its driver's (see [`crate::driver`]), and it keeps no
/// profile between sessions: asking for one there is an error.
pub async fn open(driver_url: &str, engine: Engine, options: Options<'_>) -> Result<Client, Error> {
    let mut from_file: Capabilities = serde_json::from_str(WEBDRIVER_JSON)?;
    let mut capabilities = Capabilities::new();
    capabilities.insert("pageLoadStrategy".into(), json!(options.page_load));
    match engine {
        Engine::Chromium => {
            let mut chrome = from_file
                .remove("goog:chromeOptions")
                .ok_or("webdriver.json has no goog:chromeOptions")?;
            chrome["prefs"] = json!({ "intl.accept_languages": options.language });
            let args = chrome["args"]
                .as_array_mut()
                .ok_or("webdriver.json has no goog:chromeOptions.args list")?;
            args.extend([
                json!("--window-size=1024,768"),
                json!(format!("--lang={}", options.language)),
            ]);
            if let Some(profile) = options.profile {
                args.push(json!(format!("--user-data-dir={}", profile.display())));
            }
            capabilities.insert("browserName".into(), json!("chrome"));
            capabilities.insert("goog:chromeOptions".into(), chrome);
            capabilities.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        }
        Engine::Firefox => {
            let mut firefox = from_file
                .remove("moz:firefoxOptions")
                .ok_or("webdriver.json has no moz:firefoxOptions")?;
            firefox["prefs"]["intl.accept_languages"] = json!(options.language);
            let args = firefox["args"]
                .as_array_mut()
                .ok_or("webdriver.json has no moz:firefoxOptions.args list")?;
            args.push(json!("-headless"));
            if let Some(profile) = options.profile {
                args.extend([json!("-profile"), json!(profile.display().to_string())]);
            }
            capabilities.insert("browserName".into(), json!("firefox"));
            capabilities.insert("moz:firefoxOptions".into(), firefox);
        }
        Engine::WebKit => {
            if options.profile.is_some() {
                return Err("WebKit's MiniBrowser keeps no profile between sessions".into());
            }
            capabilities.insert(
                "webkitgtk:browserOptions".into(),
                json!({ "binary": MINIBROWSER, "args": ["--automation"] }),
            );
        }
    }
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(driver_url)
        .await?;
    if engine != Engine::Chromium {
        client.set_window_rect(0, 0, 1024, 768).await?;
    }
    Ok(client)
}

/// Opens a session in `engine` with `options`, runs `body` in it, and closes it whether
/// `body` succeeded or not.
pub async fn with_session_using<T, F>(
    driver_url: &str,
    engine: Engine,
    options: Options<'_>,
    body: F,
) -> Result<T, Error>
where
    F: AsyncFnOnce(&Client) -> Result<T, Error>,
{
    let client = open(driver_url, engine, options).await?;
    let result = body(&client).await;
    let closed = client.close().await;
    let value = result?;
    closed?;
    Ok(value)
}

/// One line the page wrote to the console, or an error the browser reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLine {
    /// `INFO` for `console.log`, `WARNING` for `console.warn`, `SEVERE` for errors.
    pub level: String,
    /// The text: in Chromium, the source location, then the message; in Firefox, the
    /// arguments as it prints them (a string quoted), or an uncaught error's URL, line and
    /// message.
    pub message: String,
}

/// Takes the console lines recorded since the last call (chromedriver's `se/log`). Only
/// Chromium's driver reports the console over WebDriver: elsewhere this is `None` (Firefox's
/// is read from its driver's output, see [`crate::driver::Driver::take_console`]).
pub async fn take_console(
    client: &Client,
    engine: Engine,
) -> Result<Option<Vec<ConsoleLine>>, Error> {
    if engine != Engine::Chromium {
        return Ok(None);
    }
    let entries = client
        .issue_cmd(SessionCommand::new("se/log", json!({ "type": "browser" })))
        .await?;
    // Anything but a list means the endpoint did not work: failing here keeps the suite's
    // "no errors in the console" checks from passing on an empty answer.
    let entries = entries
        .as_array()
        .ok_or_else(|| format!("chromedriver's se/log answered {entries}, not a list of lines"))?;
    Ok(Some(
        entries
            .iter()
            .map(|entry| ConsoleLine {
                level: entry["level"].as_str().unwrap_or_default().to_owned(),
                message: entry["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
    ))
}

/// Runs a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`).
pub async fn devtools(client: &Client, command: &str, params: Value) -> Result<Value, Error> {
    let body = json!({ "cmd": command, "params": params });
    Ok(client
        .issue_cmd(SessionCommand::new("goog/cdp/execute", body))
        .await?)
}

/// Waits until the element with `data-testid` exists, and returns it.
pub async fn find_test_id(
    client: &Client,
    test_id: &str,
) -> Result<fantoccini::elements::Element, Error> {
    let selector = format!("[data-testid='{test_id}']");
    Ok(client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css(&selector))
        .await?)
}

/// Waits until the app has mounted (the form is interactive).
pub async fn wait_for_app(client: &Client) -> Result<(), Error> {
    // The build-time page has the button too, disabled until the app is live.
    client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::Css("[data-testid='say-hello']:not([disabled])"))
        .await
        .map(drop)
        .map_err(|error| format!("the app did not go live: {error}").into())
}

/// Polls `probe` until it returns `Some`, or fails after [`PATIENCE`] naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Option<T>, Error>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = probe().await? {
            return Ok(value);
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}").into());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A chromedriver command under `/session/{id}/`, sent as a POST with a JSON body.
#[derive(Debug)]
struct SessionCommand {
    path: &'static str,
    body: Value,
}

impl SessionCommand {
    fn new(path: &'static str, body: Value) -> Self {
        Self { path, body }
    }
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/{}", self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
