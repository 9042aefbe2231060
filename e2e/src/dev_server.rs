//! What a developer runs: `trunk serve` on this project, a debug build rebuilt on every edit,
//! started on a free loopback port with its output in a temporary directory (never the
//! release build's `dist/`), and stopped by its guard.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::{ChildGuard, Error, free_port, http_probe, temp_dir};

/// How long the first debug build may take: on a fresh machine it compiles the app's
/// dependencies for the browser and the hook.
const FIRST_BUILD_LIMIT: Duration = Duration::from_secs(900);

/// `trunk serve`, serving this project's debug build. Fields drop in order: Trunk, then its
/// output and log.
pub struct TrunkServe {
    port: u16,
    _trunk: ChildGuard,
    _dist: TempDir,
    log: PathBuf,
    _logs: TempDir,
}

impl TrunkServe {
    /// Runs `trunk serve` in the project's root and waits until the page and the module it
    /// loads are served.
    pub fn start() -> Result<Self, Error> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dist = temp_dir("hello-wasm-serve")?;
        let logs = temp_dir("hello-wasm-serve-log")?;
        let log = logs.path().join("trunk.log");
        let output = std::fs::File::create(&log)?;
        let port = free_port()?;
        let child = Command::new("trunk")
            .current_dir(&root)
            .args(["serve", "--port", &port.to_string(), "--dist"])
            .arg(dist.path())
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output)
            .spawn()
            .map_err(|error| format!("cannot run trunk serve: {error}"))?;
        let server = Self {
            port,
            _trunk: ChildGuard::new(child, "trunk serve"),
            _dist: dist,
            log,
            _logs: logs,
        };
        server.wait_for_the_first_build()?;
        Ok(server)
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// What Trunk has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_for_the_first_build(&self) -> Result<(), Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let deadline = Instant::now() + FIRST_BUILD_LIMIT;
        runtime.block_on(async {
            while Instant::now() < deadline {
                if served_module(self.port).await.is_some() {
                    return Ok(());
                }
                // Trunk marks a failed build so, and serves on: waiting longer would not help.
                if self.log().contains(BUILD_FAILED) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(format!(
                "trunk serve served no page with its module; it printed:\n{}",
                self.log()
            )
            .into())
        })
    }
}

/// How Trunk's log marks a failed build.
const BUILD_FAILED: &str = "❌";

/// The module that the page served on `port` loads, if the page and the module are served.
pub async fn served_module(port: u16) -> Option<Vec<u8>> {
    let page = http_probe::get(port, "/", None).await.ok()?;
    let url = page::module_url(&String::from_utf8_lossy(&page.body)).ok()?;
    let module = http_probe::get(port, &url, None).await.ok()?;
    (page.status == 200 && module.status == 200).then_some(module.body)
}
