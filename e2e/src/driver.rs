//! The WebDriver servers of the three engines the suite runs in, each on a free loopback
//! port, stopped when dropped:
//! - Chromium: chromedriver (`CHROMEDRIVER`, or the one on PATH);
//! - Firefox: geckodriver (`GECKODRIVER`, or the one on PATH), driving Debian's firefox-esr;
//! - WebKit: WebKitGTK's WebKitWebDriver, driving its MiniBrowser in an Xvfb display of its
//!   own. WebKitGTK takes the browser's language from the locale (`LANG`), not from a
//!   capability, so each language gets a driver of its own, with that locale compiled into a
//!   temporary directory (`localedef`, read through `LOCPATH`).

use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::browser::ConsoleLine;
use crate::firefox_console::{Output, console_lines};
use crate::webkit_env::{compile_locale, locale_name, start_display};
use crate::{ChildGuard, Error, free_port, wait_for_port};

/// A browser engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Chromium, through chromedriver.
    Chromium,
    /// Firefox ESR, through geckodriver.
    Firefox,
    /// WebKitGTK's MiniBrowser, through WebKitWebDriver: Safari's engine.
    WebKit,
}

impl Engine {
    /// Every engine, in the order the suite lists them.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine's name in trial names (`firefox::greets_by_click`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Chromium => "chromium",
            Self::Firefox => "firefox",
            Self::WebKit => "webkit",
        }
    }

    /// Why the engine's console cannot be read, if it cannot: then a check for "no console
    /// error" there is reported as not made (see the suite's `ensure_no_errors`). Chromium's
    /// driver gives its console; Firefox prints it, and its driver's output is read (see
    /// [`crate::firefox_console`]).
    pub fn console_unreadable(self) -> Option<&'static str> {
        match self {
            Self::Chromium | Self::Firefox => None,
            Self::WebKit => Some(
                "WebKitWebDriver gives WebDriver no console, and MiniBrowser's \
                 --enable-write-console-messages-to-stdout prints nothing for its automation's pages",
            ),
        }
    }

    /// Whether the engine reports layout shifts (`layout-shift` performance entries, the
    /// basis of CLS, Chromium's metric): known before the run, so a check of them is made in
    /// Chromium only, never passed where it cannot measure.
    pub fn reports_layout_shifts(self) -> bool {
        matches!(self, Self::Chromium)
    }
}

/// Where Debian's libwebkit2gtk-4.1-0 puts the MiniBrowser.
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// A running WebDriver server, with what it needs (an X display, compiled locales).
pub struct Driver {
    // Dropped in order: the driver before its display.
    _process: ChildGuard,
    _display: Option<ChildGuard>,
    _locales: Option<TempDir>,
    port: u16,
    /// Firefox's output, which holds its console (see [`crate::firefox_console`]).
    output: Option<Output>,
}

impl Driver {
    /// Starts the driver for `engine`; for WebKit, with the browser's language `language`
    /// (a BCP 47 tag with a region, such as `en-US`).
    pub fn start(engine: Engine, language: &str) -> Result<Self, Error> {
        let port = free_port()?;
        let (binary, install) = match engine {
            Engine::Chromium => (
                std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned()),
                "apt-get install chromium chromium-driver",
            ),
            Engine::Firefox => (
                std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".to_owned()),
                "apt-get install firefox-esr; cargo install --locked geckodriver --version 0.37.1",
            ),
            Engine::WebKit => (
                "WebKitWebDriver".to_owned(),
                "apt-get install webkit2gtk-driver xvfb locales",
            ),
        };
        let mut command = Command::new(&binary);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let (mut display, mut locales) = (None, None);
        if engine == Engine::WebKit {
            let (number, xvfb) = start_display()?;
            let locale = locale_name(language)?;
            let dir = compile_locale(&locale)?;
            command
                .env("DISPLAY", format!(":{number}"))
                .env("LANG", format!("{locale}.UTF-8"))
                .env("LC_ALL", format!("{locale}.UTF-8"))
                .env("LOCPATH", dir.path());
            display = Some(xvfb);
            locales = Some(dir);
        }
        if engine == Engine::Firefox {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot start {binary}: {error}. Install it: {install}"))?;
        let output = (engine == Engine::Firefox).then(|| {
            let output = Output::default();
            if let Some(stdout) = child.stdout.take() {
                output.gather(stdout);
            }
            if let Some(stderr) = child.stderr.take() {
                output.gather(stderr);
            }
            output
        });
        let driver = Self {
            _process: ChildGuard::new(child, engine.name()),
            _display: display,
            _locales: locales,
            port,
            output,
        };
        wait_for_port(port, &binary)?;
        Ok(driver)
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The console lines the browser printed since the last call, for a driver whose browser
    /// prints its console (Firefox); `None` for the others.
    pub fn take_console(&self) -> Option<Vec<ConsoleLine>> {
        let output = self.output.as_ref()?;
        Some(console_lines(&output.take()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_engine_whose_console_cannot_be_read_says_why() {
        assert_eq!(Engine::Chromium.console_unreadable(), None);
        assert_eq!(Engine::Firefox.console_unreadable(), None);
        let why = Engine::WebKit
            .console_unreadable()
            .expect("reported as not checked");
        assert!(why.contains("no console"), "{why}");
    }
}
