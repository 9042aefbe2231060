//! chromedriver on a free loopback port. Dropping it stops it.

use std::process::{Command, Stdio};

use crate::{ChildGuard, Error, free_port, wait_for_port};

/// A running chromedriver; dropping it stops it.
pub struct ChromeDriver {
    _process: ChildGuard,
    port: u16,
}

impl ChromeDriver {
    /// Starts the chromedriver named by `CHROMEDRIVER`, or the one on PATH.
    pub fn start() -> Result<Self, Error> {
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let port = free_port()?;
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| {
                format!("cannot start {binary}: {error}. Install it: apt-get install chromium chromium-driver")
            })?;
        let driver = Self {
            _process: ChildGuard::new(child, "chromedriver"),
            port,
        };
        wait_for_port(port, "chromedriver")?;
        Ok(driver)
    }

    /// The WebDriver endpoint.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
