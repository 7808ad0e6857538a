//! SCIM's answers at the edge: every error under `/scim/v2` leaves as a SCIM error
//! (RFC 7644 §3.12, `application/scim+json`), including those no SCIM handler wrote: the
//! router's 404 for an unknown endpoint and 405 for a method an endpoint does not have,
//! the scope layer's refusal of an app token, a body the limits refuse. The platform's
//! envelope middleware lets SCIM errors through as they are.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use serde_json::Value;

use super::error::{SCIM_JSON, ScimError};

/// The SCIM base path.
pub const BASE_PATH: &str = "/scim/v2";

/// Whether a request path is SCIM's.
pub fn is_scim(path: &str) -> bool {
    path == BASE_PATH
        || path
            .strip_prefix(BASE_PATH)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The largest error body read back to keep its words.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The middleware: other errors of SCIM paths said the SCIM way.
pub async fn errors(request: Request, next: Next) -> Response {
    if !is_scim(request.uri().path()) {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let scim = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(SCIM_JSON.as_bytes()));
    if scim {
        return response;
    }
    let (parts, body) = response.into_parts();
    // The platform's envelope (a refused app token) carries a code and a message.
    let envelope: Option<Value> = to_bytes(body, MAX_ERROR_BODY)
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let reason = envelope
        .as_ref()
        .and_then(|v| v.get("code"))
        .and_then(Value::as_str)
        .and_then(Code::parse);
    let message = envelope
        .as_ref()
        .and_then(|v| v.get("message"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let detail = message.unwrap_or_else(|| default_detail(status).to_string());
    let mut error = ScimError::new(status, detail);
    error.reason = reason.or(match status {
        StatusCode::NOT_FOUND => Some(Code::RequestNotFound),
        StatusCode::METHOD_NOT_ALLOWED => Some(Code::RequestMethodNotAllowed),
        StatusCode::PAYLOAD_TOO_LARGE => Some(Code::RequestTooLarge),
        _ => None,
    });
    let mut answer = error.into_response();
    // Keep what the inner layers said in headers (`Allow`, the request id).
    for (name, value) in parts.headers.iter() {
        if name != CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
    answer
}

fn default_detail(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "no such SCIM endpoint",
        StatusCode::METHOD_NOT_ALLOWED => "the SCIM endpoint does not answer this method",
        StatusCode::PAYLOAD_TOO_LARGE => "the body is larger than the server accepts",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "send the body as `application/scim+json`",
        _ => "the request could not be answered",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scim_paths_are_those_under_the_base() {
        assert!(is_scim("/scim/v2"));
        assert!(is_scim("/scim/v2/Users"));
        assert!(!is_scim("/scim/v2x"));
        assert!(!is_scim("/v2/orgs"));
    }
}
