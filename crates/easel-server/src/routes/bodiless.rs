//! Answers without a body (a delete's 204, the reference's `200` with no content): the
//! write's revision travels in the `Easel-Revision` header alone.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::REVISION;

/// `status` with an empty body and the revision in its header.
pub fn no_body(status: StatusCode, revision: i64) -> Response {
    let mut response = status.into_response();
    if let Ok(v) = HeaderValue::from_str(&revision.to_string()) {
        response.headers_mut().insert(REVISION, v);
    }
    response
}
