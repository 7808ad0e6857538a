//! One connection's task: wait for its first byte, serve its requests over HTTP/1.1, and
//! close it when its watchdog says so (a head not read in time, a kept-alive connection
//! idle too long, an eviction) or, at shutdown, once its request in flight is answered.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tower::ServiceExt;

use super::registry::{Conn, Registry, Timeouts, Wake};

/// What every connection task shares.
pub(super) struct Shared {
    pub registry: Registry,
    pub router: Router,
    pub http: hyper::server::conn::http1::Builder,
    pub timeouts: Timeouts,
}

/// Serves one connection until it closes. `stop` turns true at shutdown; `_done` is
/// dropped when the task ends, which is how the accept loop knows every task has.
pub(super) async fn run(
    stream: TcpStream,
    conn: Arc<Conn>,
    shared: Arc<Shared>,
    stop: watch::Receiver<bool>,
    _done: watch::Receiver<()>,
) {
    let watch_stop = stop.clone();
    tokio::select! {
        () = serve(stream, &conn, &shared, stop) => {}
        () = watchdog(&conn, &shared, watch_stop) => {
            tracing::debug!("closing a connection: a timeout passed, or it was evicted");
        }
    }
    shared.registry.leave(&conn);
}

/// Completes when the connection must close: evicted, past its deadline with no request
/// in flight, or reading a head when shutdown begins.
async fn watchdog(conn: &Conn, shared: &Shared, mut stop: watch::Receiver<bool>) {
    let mut stopping = false;
    loop {
        let deadline = match conn.wake(shared.timeouts, stopping) {
            Wake::Close => return,
            Wake::OnChange => None,
            Wake::At(deadline) if deadline <= shared.registry.now_ms() => return,
            Wake::At(deadline) => Some(shared.registry.instant(deadline)),
        };
        tokio::select! {
            () = sleep_until(deadline) => {}
            () = conn.changed() => {}
            () = self::stopping(&mut stop), if !stopping => stopping = true,
        }
    }
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Completes when shutdown began (or the server is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopping| *stopping).await;
}

/// Serves HTTP/1.1 once the first byte arrives, until the connection ends or, at
/// shutdown, its request in flight is answered.
async fn serve(
    stream: TcpStream,
    conn: &Arc<Conn>,
    shared: &Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    // hyper allocates its read and write buffers (8 KiB each) as it builds a connection:
    // waiting for the first byte first keeps a silent socket down to this task's size.
    tokio::select! {
        ready = stream.readable() => if ready.is_err() { return },
        () = stopping(&mut stop) => return,
    }
    let io = TokioIo::new(Tracked {
        stream,
        conn: Arc::clone(conn),
        shared: Arc::clone(shared),
    });
    let service = hyper::service::service_fn({
        let conn = Arc::clone(conn);
        let shared = Arc::clone(shared);
        move |request: hyper::Request<Incoming>| {
            let conn = Arc::clone(&conn);
            let shared = Arc::clone(&shared);
            async move {
                // An evicted connection closes as soon as its task runs; the request met
                // the same race as one sent just as an idle timeout fires, and a client
                // retries it on a new connection.
                let _ = conn.begin_request();
                let response = shared.router.clone().oneshot(request).await;
                // Writing the answer counts as idle time: a client that never reads its
                // answer cannot hold the connection past the idle timeout.
                conn.end_request(shared.registry.now_ms());
                response
            }
        }
    });
    let http = shared.http.serve_connection(io, service);
    tokio::pin!(http);
    let mut draining = false;
    loop {
        tokio::select! {
            ended = http.as_mut() => {
                if let Err(error) = ended {
                    tracing::debug!(%error, "a connection ended with an error");
                }
                return;
            }
            // hyper closes an idle connection at once, and a busy one after its answer.
            () = stopping(&mut stop), if !draining => {
                http.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}

/// The socket, telling the connection's state when bytes arrive (a head may begin).
struct Tracked {
    stream: TcpStream,
    conn: Arc<Conn>,
    shared: Arc<Shared>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.conn.bytes_read(&this.shared.registry);
        }
        polled
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
