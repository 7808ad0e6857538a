//! What wraps every route: a request id, the error envelope on every error (including the
//! ones the HTTP layers produce themselves), and the request metrics.

use std::time::Instant;

use axum::body::to_bytes;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use serde_json::Value;
use tower_http::request_id::{MakeRequestId, RequestId};

use crate::AppState;
use crate::error::ApiError;

/// The header that carries the request id, in and out.
pub const REQUEST_ID: &str = "x-request-id";

/// Request ids: `req_` and 16 hex digits. An id needs to be unique, not secret, so the
/// system's generator is asked once, for a random starting point, and each request takes
/// the next value of a shared counter through a bijective mix (distinct counters give
/// distinct ids; ids look random and differ between processes). Asking the system for every
/// request cost a system call per request.
#[derive(Clone)]
pub struct RandomRequestId {
    start: u64,
    next: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RandomRequestId {
    fn default() -> Self {
        let mut seed = [0u8; 8];
        // Without the system's generator, the clock stands in: ids stay unique either way.
        let start = match getrandom::fill(&mut seed) {
            Ok(()) => u64::from_le_bytes(seed),
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
        };
        RandomRequestId {
            start,
            next: std::sync::Arc::default(),
        }
    }
}

/// A bijection of 64-bit values that scatters its input (the SplitMix64 finalizer).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `req_` and the 16 hex digits of `value`.
fn request_id_text(value: u64) -> [u8; 20] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = *b"req_0000000000000000";
    for (i, slot) in out[4..].iter_mut().enumerate() {
        *slot = DIGITS[((value >> (60 - 4 * i)) & 0xf) as usize];
    }
    out
}

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let text = request_id_text(mix(self.start.wrapping_add(n)));
        HeaderValue::from_bytes(&text).ok().map(RequestId::new)
    }
}

/// The largest error body the envelope middleware reads back to add the request id.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The code for an error status a layer produced without a body of ours.
fn code_for(status: StatusCode) -> Code {
    match status {
        StatusCode::NOT_FOUND => Code::RequestNotFound,
        StatusCode::METHOD_NOT_ALLOWED => Code::RequestMethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => Code::RequestTooLarge,
        StatusCode::URI_TOO_LONG => Code::RequestUriTooLong,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => Code::RequestHeadersTooLarge,
        StatusCode::REQUEST_TIMEOUT => Code::RequestTimeout,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::RequestUnsupportedMediaType,
        StatusCode::TOO_MANY_REQUESTS => Code::RequestRateLimited,
        s if s.is_server_error() => Code::RequestUnavailable,
        _ => Code::RequestInvalidParameter,
    }
}

/// Every error leaves in the envelope, with the request id in its body.
pub async fn envelope(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response.headers().get(CONTENT_TYPE).cloned();
    let is_json = content_type
        .as_ref()
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    // Pages for people (the OAuth consent flow) stay pages; SCIM errors keep RFC 7644's
    // shape.
    if content_type.as_ref().is_some_and(|v| {
        v.as_bytes().starts_with(b"text/html")
            || v.as_bytes()
                .starts_with(crate::scim::error::SCIM_JSON.as_bytes())
    }) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let mut value = match to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) if is_json => serde_json::from_slice::<Value>(&bytes).ok(),
        _ => None,
    }
    // Ours carry a reason code; OAuth errors (RFC 6749) carry `error`, and keep their shape.
    .filter(|v| v.get("code").is_some() || v.get("error").is_some())
    .unwrap_or_else(|| {
        let code = code_for(status);
        let message = match code {
            Code::RequestNotFound => "no such route".to_string(),
            Code::RequestUnavailable => {
                "the server failed to answer; nothing was changed".to_string()
            }
            c => c.meaning().to_string(),
        };
        let mut e = ApiError::new(code, message);
        e.status = status;
        e.body()
    });
    if let Some(object) = value.as_object_mut() {
        object.insert("requestId".into(), Value::String(id));
    }
    let mut response = (status, axum::Json(value)).into_response();
    // Keep the headers the inner layers set (the request id, `Allow`), but the body is ours.
    for (name, v) in parts.headers.iter() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            response.headers_mut().insert(name.clone(), v.clone());
        }
    }
    response
}

/// Counts requests and times them, by matched route (never by raw path, which would make a
/// label of every id).
pub async fn record(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let response = next.run(request).await;
    app.metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_distinct_and_spelled_as_documented() {
        let mut ids = RandomRequestId::default();
        let request = axum::http::Request::new(());
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = ids.make_request_id(&request).map(|r| r.into_header_value());
            let text = id
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            assert_eq!(text.len(), 20, "{text}");
            assert!(text.starts_with("req_"), "{text}");
            assert!(
                text[4..]
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            assert!(seen.insert(text), "a request id repeated");
        }
        // Two generators (two processes) start apart.
        let mut other = RandomRequestId::default();
        let a = ids.make_request_id(&request).map(|r| r.into_header_value());
        let b = other
            .make_request_id(&request)
            .map(|r| r.into_header_value());
        assert_ne!(a, b);
    }

    #[test]
    fn the_mix_is_a_bijection_on_a_sample() {
        let mut seen = std::collections::HashSet::new();
        for z in 0..100_000u64 {
            assert!(seen.insert(mix(z)));
        }
        assert_eq!(
            request_id_text(0x0123_4567_89ab_cdef),
            *b"req_0123456789abcdef"
        );
    }
}
