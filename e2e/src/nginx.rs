//! A real nginx serving the web root with `deploy/hello-wasm.conf`, on a free loopback port,
//! from its own temporary prefix. Dropping it stops nginx.

use std::path::Path;
use std::process::{Command, Stdio};

use tempfile::TempDir;

use crate::{ChildGuard, Error, free_port, temp_dir, wait_for_port};

/// The deployment configuration under test.
const DEPLOY_CONF: &str = include_str!("../../deploy/hello-wasm.conf");

/// Where Debian's brotli_static module lives.
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// A running nginx. `master_process off` makes it one process, so dropping it (which kills
/// that process) stops everything, and then removes its prefix.
pub struct Nginx {
    _process: ChildGuard,
    port: u16,
    _prefix: TempDir,
}

impl Nginx {
    /// Starts nginx in the foreground, serving `www` with the deploy configuration, plus
    /// `test_locations` (nginx `location` blocks that only tests need) before its own.
    pub fn start(www: &Path, test_locations: &str) -> Result<Self, Error> {
        let prefix = temp_dir("hello-wasm-nginx")?;
        let port = free_port()?;
        let conf = prefix.path().join("nginx.conf");
        std::fs::write(&conf, config(prefix.path(), www, port, test_locations)?)?;
        let child = Command::new(nginx_binary())
            .arg("-p")
            .arg(prefix.path())
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(prefix.path().join("error.log"))
            .stdin(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start nginx: {error}. Install it: apt-get install nginx libnginx-mod-http-brotli-static"))?;
        let nginx = Self {
            _process: ChildGuard::new(child, "nginx"),
            port,
            _prefix: prefix,
        };
        wait_for_port(port, "nginx")?;
        Ok(nginx)
    }

    /// How many requests for `path` (exactly, query included) nginx has logged so far.
    pub fn requests_for(&self, path: &str) -> Result<usize, Error> {
        let request = format!("\"GET {path} HTTP/");
        Ok(self
            .requests()?
            .iter()
            .filter(|line| line.contains(&request))
            .count())
    }

    /// Every request nginx has logged so far, one line each, oldest first (nginx's
    /// `combined` format: the request line, status and body bytes among the rest).
    pub fn requests(&self) -> Result<Vec<String>, Error> {
        let log = std::fs::read_to_string(self._prefix.path().join("access.log"))?;
        Ok(log.lines().map(str::to_owned).collect())
    }

    /// The port nginx listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The site's origin, e.g. `http://127.0.0.1:41234`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn nginx_binary() -> &'static str {
    if Path::new("/usr/sbin/nginx").exists() {
        "/usr/sbin/nginx"
    } else {
        "nginx"
    }
}

/// A whole nginx.conf around the deploy file, with its `listen` and `root` pointed here.
fn config(prefix: &Path, www: &Path, port: u16, test_locations: &str) -> Result<String, Error> {
    let server = replace_once(
        DEPLOY_CONF,
        "    listen 80;\n",
        &format!("    listen 127.0.0.1:{port};\n"),
    )?;
    let server = replace_once(&server, "    listen [::]:80;\n", "")?;
    let server = replace_once(
        &server,
        "    root /var/www/hello-wasm;\n",
        &format!("    root {};\n", www.display()),
    )?;
    let server = replace_once(
        &server,
        "    location / {\n",
        &format!("{test_locations}    location / {{\n"),
    )?;
    let prefix = prefix.display();
    // `master_process off`: one process, which never switches user, so it reads the
    // temporary web root as whoever runs the tests, and one kill stops it.
    Ok(format!(
        "load_module {BROTLI_MODULE};\n\
         daemon off;\n\
         master_process off;\n\
         pid {prefix}/nginx.pid;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n\
         include /etc/nginx/mime.types;\n\
         default_type application/octet-stream;\n\
         access_log {prefix}/access.log;\n\
         client_body_temp_path {prefix}/client_body;\n\
         proxy_temp_path {prefix}/proxy;\n\
         fastcgi_temp_path {prefix}/fastcgi;\n\
         uwsgi_temp_path {prefix}/uwsgi;\n\
         scgi_temp_path {prefix}/scgi;\n\
         {server}\n\
         }}\n"
    ))
}

/// Replaces `from` with `to`, insisting `from` occurs exactly once, so a change to the deploy
/// file cannot silently leave the test serving something else.
fn replace_once(text: &str, from: &str, to: &str) -> Result<String, Error> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!("deploy/hello-wasm.conf should contain {from:?} once, found {n}").into()),
    }
}
