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

/// Request ids: `req_` and 16 random hex digits (a request id needs to be unique, not
/// secret: should the generator fail, a counter stands in).
#[derive(Clone, Default)]
pub struct RandomRequestId(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let id = match crate::ids::random_hex(8) {
            Ok(hex) => format!("req_{hex}"),
            Err(_) => {
                let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                format!("req_n{n}")
            }
        };
        HeaderValue::from_str(&id).ok().map(RequestId::new)
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
    // Pages for people (the OAuth consent flow) stay pages.
    if content_type
        .as_ref()
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
    {
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
