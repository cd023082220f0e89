//! [`MetricsServer`]: Prometheus's `/metrics` endpoint on a loopback address (feature
//! `telemetry-http`), on one std thread with a blocking `TcpListener`.

use super::{MetricsExporter, PrometheusExporter};
use crate::sync::{Arc, AtomicBool, Ordering};
use crate::telemetry::metrics::Metrics;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The most bytes of a request read before it is answered.
const MAX_REQUEST: usize = 8 * 1024;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the endpoint could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The address is not a loopback address; the endpoint is for local scrapers only.
    #[error(
        "{0} is not a loopback address: bind the metrics endpoint to 127.0.0.1 or [::1] \
         and expose it through a proxy if it must be reached from elsewhere"
    )]
    NotLoopback(SocketAddr),
    /// The address did not resolve, or binding or starting the thread failed.
    #[error("could not start the metrics endpoint: {0} (check that the port is free)")]
    Io(#[from] io::Error),
}

/// Serves `GET /metrics` (a fresh snapshot in Prometheus's text format) on a loopback
/// address until dropped.
///
/// # Examples
///
/// ```
/// use veda::telemetry::export::MetricsServer;
/// use veda::telemetry::metrics::Metrics;
///
/// let server = MetricsServer::bind("127.0.0.1:0", Metrics::global()).unwrap();
/// println!("scrape http://{}/metrics", server.local_addr());
/// ```
#[derive(Debug)]
pub struct MetricsServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl MetricsServer {
    /// Starts serving `metrics` on `address`, which must resolve to a loopback address
    /// (port 0 picks a free port: see [`MetricsServer::local_addr`]).
    pub fn bind(address: impl ToSocketAddrs, metrics: Metrics) -> Result<Self, ServeError> {
        let address = address.to_socket_addrs()?.next().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the address resolved to nothing",
            )
        })?;
        if !address.ip().is_loopback() {
            return Err(ServeError::NotLoopback(address));
        }
        let listener = TcpListener::bind(address)?;
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("veda-metrics".to_owned())
                .spawn(move || serve(&listener, &metrics, &stop))?
        };
        Ok(MetricsServer {
            address,
            stop,
            thread: Some(thread),
        })
    }

    /// The address the endpoint listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for MetricsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept; if the connection fails the listener is gone already.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.thread.take() {
            // The thread catches nothing and panics on nothing of ours; an error here would
            // only repeat a panic already printed, and Drop must not panic.
            let _ = thread.join();
        }
    }
}

fn serve(listener: &TcpListener, metrics: &Metrics, stop: &AtomicBool) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        // A client that misbehaves loses its own connection, nothing more.
        if let Ok(stream) = stream {
            let _ = answer(stream, metrics);
        }
    }
}

/// Reads one request and answers it.
fn answer(mut stream: TcpStream, metrics: &Metrics) -> io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let mut request = Vec::new();
    let mut buffer = [0; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < MAX_REQUEST {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        request.extend_from_slice(&buffer[..read]);
    }
    let request = String::from_utf8_lossy(&request);
    let mut words = request.split_whitespace();
    let (status, body) = match (words.next(), words.next()) {
        (Some("GET"), Some("/metrics")) => (
            "200 OK",
            PrometheusExporter::new().render(&metrics.snapshot()),
        ),
        (Some("GET"), Some(_)) => ("404 Not Found", "only /metrics is served\n".to_owned()),
        _ => ("405 Method Not Allowed", "only GET is served\n".to_owned()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}
