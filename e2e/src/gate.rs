//! A gate for the wasm: an HTTP server on loopback that answers each request for a file of
//! the web root only once the test opens the gate, so a test can act on the page while its
//! module is still "downloading", then let it through. nginx proxies `/__held/` to it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::Error;

/// How long a held request waits at most, so a failed test cannot leave it hanging.
const LONGEST_HOLD: Duration = Duration::from_secs(30);

/// The gate: closed when started.
pub struct WasmGate {
    port: u16,
    open: Arc<(Mutex<bool>, Condvar)>,
}

impl WasmGate {
    /// Starts serving the files in `roots` (the first that has the name asked for), content
    /// type `application/wasm`, behind a closed gate. The server thread lives as long as the
    /// test process.
    pub fn start(roots: Vec<PathBuf>) -> Result<Self, Error> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let open = Arc::new((Mutex::new(false), Condvar::new()));
        let gate = Arc::clone(&open);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (gate, roots) = (Arc::clone(&gate), roots.clone());
                std::thread::spawn(move || {
                    if let Err(error) = answer(stream, &roots, &gate) {
                        eprintln!("e2e: the wasm gate could not answer: {error}");
                    }
                });
            }
        });
        Ok(Self { port, open })
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Closes the gate: requests from now on wait.
    pub fn close(&self) {
        *lock(&self.open.0) = false;
    }

    /// Opens the gate: waiting requests are answered, and later ones at once.
    pub fn open(&self) {
        *lock(&self.open.0) = true;
        self.open.1.notify_all();
    }
}

fn lock(flag: &Mutex<bool>) -> std::sync::MutexGuard<'_, bool> {
    flag.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads one request, waits for the gate, and sends the file its path names.
fn answer(
    stream: TcpStream,
    roots: &[PathBuf],
    gate: &(Mutex<bool>, Condvar),
) -> Result<(), Error> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = request_line.split(' ').nth(1).ok_or("no request path")?;
    let name = path.rsplit('/').next().unwrap_or_default();
    let file = roots
        .iter()
        .map(|root| root.join(name))
        .find(|file| file.is_file())
        .ok_or_else(|| format!("no file {name} to serve"))?;
    let body = std::fs::read(file)?;
    let (flag, opened) = gate;
    let guard = lock(flag);
    drop(
        opened
            .wait_timeout_while(guard, LONGEST_HOLD, |open| !*open)
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/wasm\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    Ok(())
}
