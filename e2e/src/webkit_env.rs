//! What WebKitGTK's driver needs of the machine, which a reader of the suite can skip: an X
//! display of its own (Xvfb, on a free display number, stale locks cleared), and the browser's
//! language as a compiled locale (WebKitGTK reads it from `LANG`, not from a capability).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::{ChildGuard, Error, temp_dir};

/// `en-US` as a glibc locale name: `en_US`.
pub(crate) fn locale_name(language: &str) -> Result<String, Error> {
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
pub(crate) fn compile_locale(locale: &str) -> Result<TempDir, Error> {
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
pub(crate) fn start_display() -> Result<(u32, ChildGuard), Error> {
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
