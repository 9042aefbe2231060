//! Firefox's console, read from its output, since geckodriver gives WebDriver none. With
//! `devtools.console.stdout.content` (webdriver.json), Firefox prints each console call of a
//! page on its standard output (`console.error: "text" ({a:1})`, the arguments printed as
//! values), and each uncaught error on its standard error (`JavaScript error: URL, line N:
//! message`); geckodriver passes both on. [`Output`] gathers the lines as they come, and
//! [`console_lines`] reads them as the suite reads Chromium's console. Content Security Policy
//! violations are not printed: the suite watches for them in the page instead.

use std::io::{BufRead as _, BufReader, Read};
use std::sync::{Arc, Mutex};

use crate::browser::ConsoleLine;

/// The lines a process writes on its standard output and error, gathered as they come.
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<Vec<String>>>);

impl Output {
    /// Gathers what `stream` writes, a line at a time, on a thread of its own that ends with
    /// the stream.
    pub fn gather(&self, stream: impl Read + Send + 'static) {
        let lines = Arc::clone(&self.0);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut lines) = lines.lock() {
                    lines.push(line.replace('\0', ""));
                }
            }
        });
    }

    /// The lines gathered since the last call.
    pub fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut lines| std::mem::take(&mut *lines))
            .unwrap_or_default()
    }
}

/// The console lines in Firefox's output `lines`, levelled as Chromium's (`SEVERE` for
/// `console.error` and uncaught errors, `WARNING` for `console.warn`, `INFO` otherwise). A
/// call's printed arguments may take several lines. Left out: geckodriver's own log, errors
/// in the browser's own code (a `resource://` or `chrome://` file), and the browser's own
/// console instances, which print a prefix (`console.error: RSLoader: …`) where a page's
/// call prints values (a string quoted).
pub fn console_lines(lines: &[String]) -> Vec<ConsoleLine> {
    let mut console: Vec<ConsoleLine> = Vec::new();
    // Whether the lines being read continue a call of the page's.
    let mut continuing = false;
    for line in lines {
        if let Some((method, text)) = console_call(line) {
            continuing = !has_prefix(text);
            if continuing {
                console.push(ConsoleLine {
                    level: level(method).to_owned(),
                    message: text.to_owned(),
                });
            }
        } else if let Some(error) = line.strip_prefix("JavaScript error: ") {
            continuing = false;
            if error.starts_with("http://") || error.starts_with("https://") {
                console.push(ConsoleLine {
                    level: "SEVERE".to_owned(),
                    message: error.to_owned(),
                });
            }
        } else if is_log_line(line) || line.starts_with("JavaScript warning: ") {
            continuing = false;
        } else if continuing && let Some(last) = console.last_mut() {
            last.message.push('\n');
            last.message.push_str(line);
        }
    }
    console
}

/// `("error", "\"text\"")` for `console.error: "text"`.
fn console_call(line: &str) -> Option<(&str, &str)> {
    let (method, text) = line.strip_prefix("console.")?.split_once(": ")?;
    method
        .bytes()
        .all(|b| b.is_ascii_lowercase())
        .then_some((method, text))
}

/// Whether a console call's text starts with a console instance's prefix (`RSLoader: `).
fn has_prefix(text: &str) -> bool {
    text.split_once(": ").is_some_and(|(prefix, _)| {
        !prefix.is_empty()
            && prefix
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    })
}

/// Chromium's level for a console method.
fn level(method: &str) -> &'static str {
    match method {
        "error" | "assert" => "SEVERE",
        "warn" => "WARNING",
        _ => "INFO",
    }
}

/// Whether `line` is geckodriver's or Marionette's log (`1796282102063\tgeckodriver\tINFO\t…`).
fn is_log_line(line: &str) -> bool {
    line.split_once('\t')
        .is_some_and(|(time, _)| !time.is_empty() && time.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(output: &str) -> Vec<(String, String)> {
        let lines: Vec<String> = output.lines().map(str::to_owned).collect();
        console_lines(&lines)
            .into_iter()
            .map(|line| (line.level, line.message))
            .collect()
    }

    #[test]
    fn reads_the_pages_calls_and_uncaught_errors_as_chromiums_levels() {
        // As Firefox ESR 153 and geckodriver 0.37 print them.
        let output = "1796282102063\tgeckodriver\tINFO\tListening on 127.0.0.1:4466\n\
            console.error: RSLoader: \n  Failed to retrieve recipes from Remote Settings\n\
            getRecipesFromCollection@resource://nimbus/lib/RemoteSettingsExperimentLoader.sys.mjs:824:13\n\
            console.log: \"log-line-1\"\n\
            console.warn: \"warn-line-2\"\n\
            console.error: \"error-line-3\" ({a:1,\n  b:2})\n\
            1796282115447\tMarionette\tINFO\tStopped listening on port 45707\n\
            JavaScript error: http://127.0.0.1:8765/p.html, line 1: TypeError: can't access property \"x\" of null\n\
            JavaScript error: resource://gre/modules/PrivateBrowsingUtils.sys.mjs, line 50: TypeError: aWindow.docShell is null";
        assert_eq!(
            levels(output),
            [
                ("INFO".into(), "\"log-line-1\"".into()),
                ("WARNING".into(), "\"warn-line-2\"".into()),
                ("SEVERE".into(), "\"error-line-3\" ({a:1,\n  b:2})".into()),
                (
                    "SEVERE".into(),
                    "http://127.0.0.1:8765/p.html, line 1: TypeError: can't access property \"x\" of null".into()
                ),
            ]
        );
    }

    #[test]
    fn a_pages_string_that_looks_like_a_prefix_is_still_the_pages() {
        assert_eq!(
            levels("console.error: \"Error: boom\"\nconsole.error: 42"),
            [
                ("SEVERE".into(), "\"Error: boom\"".into()),
                ("SEVERE".into(), "42".into())
            ]
        );
    }

    #[test]
    fn gathers_a_streams_lines_until_taken() {
        let output = Output::default();
        output.gather(std::io::Cursor::new(b"a\nb\0\nc".to_vec()));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let mut lines = Vec::new();
        while lines.len() < 3 && std::time::Instant::now() < deadline {
            lines.extend(output.take());
            std::thread::yield_now();
        }
        assert_eq!(lines, ["a", "b", "c"]);
        assert!(output.take().is_empty());
    }
}
