//! Easel's own limits on a request head: a target longer than `uri_bytes` is answered 414
//! and header fields over `header_bytes` 431, both in the error envelope. The HTTP parser's
//! own limits are set well above these (see `serve`), so that what a client can correct is
//! answered here, in the envelope, and the parser refuses only the grossly oversized.

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use serde_json::json;

use crate::AppState;
use crate::error::ApiError;

/// The bytes of the request target as the client sent it: the path and query, and the
/// scheme and authority when the target was written in absolute form.
pub fn target_bytes(uri: &Uri) -> usize {
    let scheme = uri.scheme_str().map_or(0, |s| s.len() + "://".len());
    let authority = uri.authority().map_or(0, |a| a.as_str().len());
    let path = uri.path_and_query().map_or(0, |p| p.as_str().len());
    scheme + authority + path
}

/// The bytes of the header fields as sent: each `name: value` line with its line end.
pub fn header_bytes(headers: &axum::http::HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + ": ".len() + value.len() + "\r\n".len())
        .sum()
}

/// Refuses a head over Easel's limits before anything else reads it.
pub async fn limit(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &app.limits;
    let target = target_bytes(request.uri());
    if target > limits.uri_bytes {
        return ApiError::new(
            Code::RequestUriTooLong,
            format!(
                "the request target is {target} bytes; the server accepts up to {}",
                limits.uri_bytes
            ),
        )
        .with_context(json!({"limit": limits.uri_bytes}))
        .into_response();
    }
    let headers = header_bytes(request.headers());
    if headers > limits.header_bytes {
        return ApiError::new(
            Code::RequestHeadersTooLarge,
            format!(
                "the header fields are {headers} bytes; the server accepts up to {}",
                limits.header_bytes
            ),
        )
        .with_context(json!({"limit": limits.header_bytes}))
        .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_what_the_client_sent() {
        let origin: Uri = "/v1/check?x=1".parse().unwrap_or_default();
        assert_eq!(target_bytes(&origin), "/v1/check?x=1".len());
        let absolute: Uri = "http://example.com/a".parse().unwrap_or_default();
        assert_eq!(target_bytes(&absolute), "http://example.com/a".len());
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("host", axum::http::HeaderValue::from_static("x"));
        assert_eq!(header_bytes(&headers), "host: x\r\n".len());
    }
}
