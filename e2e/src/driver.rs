//! The WebDriver servers of the three engines the suite runs in, each on a free loopback
//! port, stopped when dropped:
//! - Chromium: chromedriver (`CHROMEDRIVER`, or the one on PATH);
//! - Firefox: geckodriver (`GECKODRIVER`, or the one on PATH), driving Debian's firefox-esr;
//! - WebKit: WebKitGTK's WebKitWebDriver, driving its MiniBrowser in an Xvfb display of its
//!   own. WebKitGTK takes the browser's language from the locale (`LANG`), not from a
//!   capability, so each language gets a driver of its own, with that locale compiled into a
//!   temporary directory (`localedef`, read through `LOCPATH`).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::browser::ConsoleLine;
use crate::firefox_console::{Output, console_lines};
use crate::{ChildGuard, Error, free_port, temp_dir, wait_for_port};

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

/// `en-US` as a glibc locale name: `en_US`.
fn locale_name(language: &str) -> Result<String, Error> {
    match language.split_once('-') {
        Some((lang, region)) if !lang.is_empty() && !region.is_empty() => {
            Ok(format!("{lang}_{}", region.to_uppercase()))
        }
        _ => Err(
            format!("WebKit needs a language with a region, such as en-US, not {language:?}")
                .into(),
        ),
    }
}

/// Compiles `locale` (UTF-8) into a fresh directory, for `LOCPATH`.
fn compile_locale(locale: &str) -> Result<TempDir, Error> {
    let dir = temp_dir("hello-wasm-locale")?;
    let status = Command::new("localedef")
        .args(["-i", locale, "-f", "UTF-8"])
        .arg(dir.path().join(format!("{locale}.UTF-8")))
        .stdout(Stdio::null())
        .status()
        .map_err(|error| format!("cannot run localedef: {error}"))?;
    if !status.success() {
        return Err(format!(
            "localedef could not compile {locale}: is Debian's locales installed?"
        )
        .into());
    }
    Ok(dir)
}

/// Starts Xvfb on the first free display number from 90, and waits for its socket.
fn start_display() -> Result<(u32, ChildGuard), Error> {
    let number = (90..190)
        .find(|n| {
            display_is_free(
                Path::new(&format!("/tmp/.X{n}-lock")),
                Path::new(&format!("/tmp/.X11-unix/X{n}")),
            )
        })
        .ok_or("no free X display number between :90 and :189")?;
    let child = Command::new("Xvfb")
        .arg(format!(":{number}"))
        .args(["-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot start Xvfb: {error}. Install it: apt-get install xvfb"))?;
    let xvfb = ChildGuard::new(child, "Xvfb");
    let socket = format!("/tmp/.X11-unix/X{number}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !Path::new(&socket).exists() {
        if Instant::now() > deadline {
            return Err(format!("Xvfb :{number} did not start within 10 s").into());
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    Ok((number, xvfb))
}

/// Whether a display, with its `lock` file and its `socket`, is free: no lock, or a stale one,
/// whose process is gone. Stopping Xvfb kills it, which leaves both files behind, so each run
/// would take two more numbers for good; a stale lock and its socket are removed here (the
/// socket too, or the wait for it would not wait for the new Xvfb).
fn display_is_free(lock: &Path, socket: &Path) -> bool {
    let holder = match std::fs::read_to_string(lock) {
        Ok(holder) => holder,
        Err(error) => return error.kind() == std::io::ErrorKind::NotFound,
    };
    let alive = holder
        .trim()
        .parse::<u32>()
        .is_ok_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
    if alive {
        return false;
    }
    let removed = std::fs::remove_file(lock).is_ok();
    // A socket that is not there already is as good as removed.
    let _ = std::fs::remove_file(socket);
    removed
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

    #[test]
    fn a_display_whose_xvfb_is_gone_is_free_again() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, socket) = (dir.path().join("lock"), dir.path().join("socket"));
        assert!(display_is_free(&lock, &socket), "no lock");
        // Xvfb writes its pid, right-aligned in 10 columns, and a newline.
        std::fs::write(&lock, format!("{:>10}\n", std::process::id())).unwrap();
        std::fs::write(&socket, "").unwrap();
        assert!(!display_is_free(&lock, &socket), "held by a live process");
        assert!(lock.exists() && socket.exists());
        std::fs::write(&lock, format!("{:>10}\n", u32::MAX)).unwrap();
        assert!(display_is_free(&lock, &socket), "held by no process");
        assert!(!lock.exists() && !socket.exists(), "the stale files stay");
    }

    #[test]
    fn a_language_tag_becomes_a_glibc_locale_name() {
        assert_eq!(locale_name("en-US").unwrap(), "en_US");
        assert_eq!(locale_name("de-at").unwrap(), "de_AT");
        assert!(locale_name("de").is_err());
    }
}
