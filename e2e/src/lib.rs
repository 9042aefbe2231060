//! The end-to-end harness: the release build, served by a real nginx with the configuration
//! in `deploy/`, driven through WebDriver in Chromium, Firefox and WebKit. The suite is in
//! `tests/e2e.rs` (run by libtest-mimic); these modules start and stop what it needs, talk
//! WebDriver, and fetch raw HTTP responses.
//!
//! Every process the harness starts is owned by a guard that stops it when dropped, and every
//! temporary directory is a `tempfile::TempDir`, so nothing is left behind when a test fails.

pub mod browser;
pub mod dev_server;
pub mod driver;
pub mod firefox_console;
pub mod gate;
pub mod greetings;
pub mod http_probe;
pub mod nginx;
pub mod site;
mod webkit_env;

/// What went wrong while setting up or talking to the environment.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A free TCP port on the loopback interface, chosen by the kernel.
pub fn free_port() -> Result<u16, Error> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Waits until something accepts connections on `port`, for at most five seconds.
pub fn wait_for_port(port: u16, what: &str) -> Result<(), Error> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    Err(format!("{what} did not start listening on port {port} within 5 s").into())
}

/// A child process that is killed, and reaped, when this guard is dropped.
pub struct ChildGuard {
    child: std::process::Child,
    name: &'static str,
}

impl ChildGuard {
    /// Guards `child`, called `name` in messages.
    pub fn new(child: std::process::Child, name: &'static str) -> Self {
        Self { child, name }
    }

    /// Whether the child has exited on its own (it is still ours to stop if not).
    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Err(error) = self.child.kill() {
            eprintln!("e2e: could not stop {}: {error}", self.name);
        }
        // Reaping cannot fail for a child we own that has been killed; there is nothing to do if it does.
        let _ = self.child.wait();
    }
}

/// A fresh, empty directory under the system temp dir whose name starts with `prefix`. The
/// returned guard removes it, with everything in it, when dropped.
pub fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix(&format!("{prefix}-"))
        .tempdir()
        .map_err(|error| {
            let parent = std::env::temp_dir();
            format!("cannot create {}/{prefix}-*: {error}", parent.display()).into()
        })
}
