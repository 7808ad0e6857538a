//! The accept loop: HTTP/1.1 over hyper, with a limit on everything a client holds. A
//! client must send a whole request head within `header_read_timeout`; a kept-alive
//! connection with no request in flight closes after `idle_timeout`; at most
//! `max_connections` are open, and at the limit a newcomer takes the place of the
//! connection idle the longest, so a flood of silent sockets cannot lock anyone out.
//! A silent socket costs little memory: see docs/configuration.md.
//!
//! hyper's own header timeout is not used: it starts again as soon as an answer is
//! written, so it would also close kept-alive connections that are merely idle.

mod connection;
mod registry;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::Limits;
use connection::Shared;
use registry::{Registry, Timeouts};

/// hyper's default cap on a connection's read buffer (8 KiB and 100 pages of 4 KiB).
const HYPER_DEFAULT_BUFFER_BYTES: usize = 8192 + 4096 * 100;

/// Serves `router` on `listener` until `shutdown` completes, under the connection limits
/// of `limits`. At shutdown it stops accepting, closes idle connections, and returns once
/// the requests in flight are answered.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let shared = Arc::new(Shared {
        registry: Registry::new(limits.max_connections),
        router,
        http: http_builder(limits),
        timeouts: Timeouts {
            header_read_ms: millis(limits.header_read_timeout),
            idle_ms: millis(limits.idle_timeout),
        },
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let (done_tx, done_rx) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                accept_failed(&shared.registry, error).await;
                continue;
            }
        };
        let Some(conn) = shared.registry.admit() else {
            tracing::debug!("refused a connection: every connection has a request in flight");
            continue;
        };
        tokio::spawn(connection::run(
            stream,
            conn,
            Arc::clone(&shared),
            stop_rx.clone(),
            done_rx.clone(),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(done_rx);
    // Each connection task holds a receiver until it ends.
    done_tx.closed().await;
    Ok(())
}

/// hyper's settings: its head limit well above Easel's own, so that heads Easel refuses
/// are answered in the envelope (`head.rs`) and hyper answers only the grossly oversized.
fn http_builder(limits: &Limits) -> hyper::server::conn::http1::Builder {
    let head_bytes = limits
        .uri_bytes
        .saturating_add(limits.header_bytes)
        .saturating_mul(2);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.header_read_timeout(None).max_header_size(head_bytes);
    if head_bytes > HYPER_DEFAULT_BUFFER_BYTES {
        http.max_buf_size(head_bytes.saturating_add(8192));
    }
    http
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A failed accept. One connection's own failure (reset before it was accepted) is
/// nothing; anything else is most likely the process out of file descriptors, and an
/// idle connection is the cheapest thing to give back. The pause keeps the loop from
/// spinning while the evicted connection's task closes its socket.
async fn accept_failed(registry: &Registry, error: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    if registry.evict_one() {
        tracing::debug!(%error, "accepting failed; closed the connection idle the longest");
        tokio::time::sleep(Duration::from_millis(10)).await;
    } else {
        tracing::warn!(%error, "accepting a connection failed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
