//! What a developer runs: `trunk serve`, a debug build rebuilt on every edit, started on a free
//! loopback port with its output in a temporary directory (never the release build's
//! `dist/`), its log kept, and stopped by its guard. The end-to-end suite checks what it
//! serves; the developer loop's benchmark times it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::{ChildGuard, Error, free_port, http_probe, temp_dir};

/// How Trunk's log marks a failed build.
const BUILD_FAILED: &str = "❌";

/// Trunk's log line for each build it starts.
pub const BUILD_STARTED: &str = "starting build";

/// `trunk serve` in a project's directory. Fields drop in order: Trunk, then its output and
/// log.
pub struct TrunkServe {
    port: u16,
    trunk: std::sync::Mutex<ChildGuard>,
    _dist: TempDir,
    log: PathBuf,
    _logs: TempDir,
}

impl TrunkServe {
    /// Starts `trunk serve` in `dir` (this project's root if `None`), building into
    /// `target_dir` if given (the benchmark's cold start) and into cargo's own otherwise.
    /// It returns at once: see [`TrunkServe::served`].
    pub fn start(dir: Option<&Path>, target_dir: Option<&Path>) -> Result<Self, Error> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = dir.unwrap_or(&root);
        let dist = temp_dir("trunk-serve-dist")?;
        let logs = temp_dir("trunk-serve-log")?;
        let log = logs.path().join("trunk.log");
        let output = std::fs::File::create(&log)?;
        let port = free_port()?;
        let mut command = Command::new("trunk");
        command
            .current_dir(dir)
            .args(["serve", "--port", &port.to_string(), "--dist"])
            .arg(dist.path())
            // It would look for a newer Trunk online, which this machine cannot reach.
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            // Plain lines: the log is read. Trunk reads this as its `--no-color` flag, which takes
            // `true` or `false` and refuses anything else.
            .env("NO_COLOR", "true")
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output);
        if let Some(target_dir) = target_dir {
            command.env("CARGO_TARGET_DIR", target_dir);
        }
        let child = command
            .spawn()
            .map_err(|error| format!("cannot run trunk serve in {}: {error}", dir.display()))?;
        Ok(Self {
            port,
            trunk: std::sync::Mutex::new(ChildGuard::new(child, "trunk serve")),
            _dist: dist,
            log,
            _logs: logs,
        })
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// What Trunk has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether Trunk has exited, which it does only on an error (a bad argument, a port in use).
    fn has_exited(&self) -> bool {
        self.trunk.lock().is_ok_and(|mut trunk| trunk.has_exited())
    }

    /// How many builds Trunk has started so far, from its log.
    pub fn builds_started(&self) -> usize {
        builds_in(&self.log())
    }

    /// Polls the page every `every` until the module it loads is served and `accept`s it; fails
    /// once `deadline` has passed, or as soon as Trunk reports a failed build or exits.
    pub async fn served(
        &self,
        every: Duration,
        deadline: Instant,
        accept: impl Fn(&[u8]) -> bool,
    ) -> Result<(), Error> {
        loop {
            if served_module(self.port)
                .await
                .is_some_and(|module| accept(&module))
            {
                return Ok(());
            }
            if Instant::now() > deadline || self.log().contains(BUILD_FAILED) || self.has_exited() {
                return Err(format!(
                    "trunk serve served no page with the module expected; it printed:\n{}",
                    self.log()
                )
                .into());
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// How many builds a Trunk log says were started.
pub fn builds_in(log: &str) -> usize {
    log.lines()
        .filter(|line| line.contains(BUILD_STARTED))
        .count()
}

/// The module that the page served on `port` loads, if the page and the module are served.
async fn served_module(port: u16) -> Option<Vec<u8>> {
    let page = http_probe::get(port, "/", None).await.ok()?;
    let url = page::module_url(&String::from_utf8_lossy(&page.body)).ok()?;
    let module = http_probe::get(port, &url, None).await.ok()?;
    (page.status == 200 && module.status == 200).then_some(module.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_are_counted_from_trunks_log() {
        let log = "INFO 🚀 Starting trunk 0.21.14\nINFO 📦 starting build\nINFO ✅ success\n\
                   INFO 📦 starting build\nINFO ✅ success\n";
        assert_eq!(builds_in(log), 2);
    }
}
