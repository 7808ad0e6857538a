//! The limits on what one request, and the server as a whole, may take
//! (docs/configuration.md).

use std::time::Duration;

/// The limits on what one request may ask (docs/configuration.md).
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest request body, in bytes.
    pub body_bytes: usize,
    /// The most checks in one batch.
    pub batch_checks: usize,
    /// The largest page of any list.
    pub page_size: usize,
    /// The most requests in flight at once; more are refused with 429.
    pub concurrent_requests: usize,
    /// How long a request may take before it is answered 408.
    pub request_timeout: Duration,
    /// How long a check waits for `consistency.atLeast`.
    pub consistency_wait: Duration,
    /// The longest request target (path and query), in bytes; longer is answered 414.
    pub uri_bytes: usize,
    /// The most bytes of header fields one request may carry; more is answered 431.
    pub header_bytes: usize,
    /// How long a client has to send a whole request head, from the connection's opening
    /// or from the first byte of each later request.
    pub header_read_timeout: Duration,
    /// How long a kept-alive connection may wait, with no request in flight, for its next
    /// request.
    pub idle_timeout: Duration,
    /// The most connections open at once; a newcomer beyond it takes the place of the
    /// connection idle the longest.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 1024 * 1024,
            batch_checks: 1_000,
            page_size: 100,
            concurrent_requests: 1_024,
            request_timeout: Duration::from_secs(30),
            consistency_wait: Duration::from_secs(2),
            uri_bytes: 8 * 1024,
            header_bytes: 16 * 1024,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            // Below the common limit of 20,000 open files, with room for the store's files
            // and the connections the accept loop holds while it evicts.
            max_connections: 10_000,
        }
    }
}
