//! The server on a real socket: `easel_server::serve` on 127.0.0.1 port 0 on a runtime of
//! its own, and a plain blocking client that speaks HTTP/1.1 byte by byte, so tests can
//! send what no well-behaved client would (nothing, half a head, a huge header).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use easel_server::Limits;
use easel_server::demo::Demo;
use serde_json::Value;

/// How long anything is given to happen: a bound on liveness, never a measure of speed.
pub const LIVENESS: Duration = Duration::from_secs(5);

/// A server running on its own thread until stopped.
pub struct Served {
    pub addr: SocketAddr,
    pub demo: Demo,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the demo organization's server with `limits`.
pub fn serve(limits: Limits) -> Served {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let (app, demo) = super::demo_app_with(limits.clone());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready_tx
                .send((listener.local_addr().unwrap(), demo))
                .unwrap();
            let shutdown = async move {
                let _ = stopped.await;
            };
            easel_server::serve(listener, app.router.clone(), &limits, shutdown)
                .await
                .unwrap();
        });
    });
    let (addr, demo) = ready_rx.recv_timeout(Duration::from_secs(60)).unwrap();
    Served {
        addr,
        demo,
        stop: Some(stop),
        thread: Some(thread),
    }
}

impl Served {
    /// Begins the graceful shutdown; `join` waits for `serve` to return.
    pub fn begin_shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Waits for `serve` to return, within the liveness bound.
    pub fn join(mut self) {
        self.begin_shutdown();
        let thread = self.thread.take().unwrap();
        let deadline = Instant::now() + LIVENESS;
        while !thread.is_finished() {
            assert!(Instant::now() < deadline, "serve did not return");
            std::thread::sleep(Duration::from_millis(10));
        }
        thread.join().unwrap();
    }

    /// A new connection.
    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream.set_read_timeout(Some(LIVENESS)).unwrap();
        stream
    }

    /// Sends `head` (and `body`) on a new connection that asks to be closed after the
    /// answer, and reads the whole answer.
    pub fn exchange(&self, head: &str, body: &str) -> Answer {
        let mut stream = self.connect();
        let request = format!(
            "{head}Host: easel.test\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        read_answer(&mut stream)
    }

    /// `GET /healthz`.
    pub fn healthz(&self) -> Answer {
        self.exchange("GET /healthz HTTP/1.1\r\n", "")
    }

    /// A `/v1/check` with the demo's service token.
    pub fn check(&self) -> Answer {
        let body = r#"{"subject": {"user": "usr_gil"}, "action": "board.view", "resource": {"board": "brd_wireframes"}}"#;
        let head = format!(
            "POST /v1/check HTTP/1.1\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n",
            self.demo.service_token
        );
        self.exchange(&head, body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.begin_shutdown();
    }
}

/// An answer read off the wire.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// Reads one answer to a request that asked for the connection to be closed after it.
pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .unwrap_or_else(|e| panic!("no whole answer within the liveness bound: {e}"));
    parse_answer(&bytes)
}

/// The status and the JSON body (or the body as a string) of an answer.
pub fn parse_answer(bytes: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()));
    Answer { status, body }
}

/// Whether the server closed the connection (end of file, or a reset) within the
/// liveness bound. Whatever it sent before closing is read and ignored.
pub fn closed_by_server(stream: &mut TcpStream) -> bool {
    stream.set_read_timeout(Some(LIVENESS)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Whether the connection is still open after `wait` (nothing to read, no end of file).
pub fn still_open(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 1];
    let open = matches!(
        stream.read(&mut buf),
        Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
    );
    stream.set_read_timeout(Some(LIVENESS)).unwrap();
    open
}

/// How many sockets a test may open, up to `wanted`: the soft limit on open files
/// (Linux) less some room, halved because each socket here takes two (the client's end
/// and the server's, in the same process), and halved again for a test running alongside.
pub fn socket_budget(wanted: usize) -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        })
        .unwrap_or(1024);
    wanted.min(limit.saturating_sub(256) / 4)
}
