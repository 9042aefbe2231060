//! What nginx sends for one GET, as sent: status, headers and the raw body, fetched with
//! hyper's client with exactly the `Accept-Encoding` asked for and nothing decompressed.

use std::time::Duration;

use http::header::{ACCEPT_ENCODING, HeaderMap};
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::Error;

/// How long one request may take, from connecting to the body's last byte.
const TIMEOUT: Duration = Duration::from_secs(5);

/// A response's status, headers and raw body.
#[derive(Debug)]
pub struct Response {
    /// The status code, e.g. 200.
    pub status: u16,
    headers: HeaderMap,
    /// The body bytes as sent, still compressed if they were (chunked framing removed).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header called `name` (case-insensitive), if its value is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

/// GETs `path` from 127.0.0.1:`port`, sending `Accept-Encoding: accept_encoding` if given and
/// no `Accept-Encoding` at all otherwise. Fails after 5 s.
pub async fn get(port: u16, path: &str, accept_encoding: Option<&str>) -> Result<Response, Error> {
    let url = format!("http://127.0.0.1:{port}{path}");
    let mut request = http::Request::get(&url);
    if let Some(encoding) = accept_encoding {
        request = request.header(ACCEPT_ENCODING, encoding);
    }
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|error| format!("cannot make a request for {url}: {error}"))?;
    let client = Client::builder(TokioExecutor::new()).build(HttpConnector::new());
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|error| format!("GET {url}: {}", with_causes(&error)))?;
        let (parts, body) = response.into_parts();
        let body = body
            .collect()
            .await
            .map_err(|error| format!("GET {url}: reading the body: {}", with_causes(&error)))?;
        Ok(Response {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: body.to_bytes().to_vec(),
        })
    };
    tokio::time::timeout(TIMEOUT, exchange)
        .await
        .map_err(|_| format!("GET {url}: no complete response within 5 s"))?
}

/// `error` and each error that caused it, joined by ": " (hyper's own messages are terse,
/// e.g. "client error (Connect)", and say why only in their sources).
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    use super::*;

    /// Serves one canned response on a free port and returns the port and the request's
    /// header lines, lowercased.
    fn serve_once(response: &'static [u8]) -> (u16, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut head = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim_end().is_empty() {
                    break;
                }
                head.push(line.trim_end().to_ascii_lowercase());
            }
            reader.get_mut().write_all(response).unwrap();
            head
        });
        (port, server)
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn keeps_a_compressed_chunked_body_as_sent() {
        let canned = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\x1f\x8b\x08\x00\r\n1\r\n!\r\n0\r\n\r\n";
        let (port, server) = serve_once(canned);
        let response = runtime()
            .block_on(get(port, "/app.wasm", Some("gzip")))
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.header("Content-Type"), Some("text/html"));
        assert_eq!(response.header("content-encoding"), Some("gzip"));
        assert_eq!(response.header("cache-control"), None);
        assert_eq!(response.body, b"\x1f\x8b\x08\x00!");
        let request = server.join().unwrap();
        assert_eq!(request[0], "get /app.wasm http/1.1");
        assert!(request.contains(&"accept-encoding: gzip".to_owned()));
    }

    #[test]
    fn sends_no_accept_encoding_unless_asked() {
        let (port, server) = serve_once(b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno");
        let response = runtime().block_on(get(port, "/missing", None)).unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(response.body, b"no");
        let request = server.join().unwrap();
        assert!(
            !request
                .iter()
                .any(|line| line.starts_with("accept-encoding")),
            "{request:?}"
        );
    }

    #[test]
    fn says_which_request_failed() {
        let port = crate::free_port().unwrap();
        let error = runtime()
            .block_on(get(port, "/", None))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!("GET http://127.0.0.1:{port}/: ")),
            "{error}"
        );
    }
}
