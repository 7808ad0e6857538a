//! SCIM answers: the error body of RFC 7644 §3.12 and the success body, both as
//! `application/scim+json`.
//!
//! Easel's stable reason code travels in the `x-easel-reason` header, not in the body:
//! strict SCIM clients refuse an error body with members the RFC does not define
//! (scim2-client's `Error` model forbids extra fields), and a header breaks nobody. The
//! code also rides on the response as `Answered`, for the layers that log and count.

use axum::http::header::{CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use easel_core::codes::Code;
use serde_json::{Value, json};

use crate::error::{Answered, ApiError, Audited};

/// The SCIM media type (RFC 7644 §8.1).
pub const SCIM_JSON: &str = "application/scim+json";
/// The Error message schema.
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
/// The header carrying Easel's reason code on a SCIM error.
pub const REASON_HEADER: HeaderName = HeaderName::from_static("x-easel-reason");

/// The `scimType` vocabulary of RFC 7644 §3.12 (Table 9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScimType {
    /// The filter is malformed or names what cannot be filtered (400).
    InvalidFilter,
    /// The query would return more results than the server allows (400).
    TooMany,
    /// A value must be unique and is not (409).
    Uniqueness,
    /// The change would write an attribute its mutability forbids (400).
    Mutability,
    /// The request body is not a well-formed SCIM message (400).
    InvalidSyntax,
    /// The PATCH path is malformed or unsupported (400).
    InvalidPath,
    /// The PATCH path's filter matched nothing (400).
    NoTarget,
    /// A value is missing, of the wrong type or not allowed (400).
    InvalidValue,
    /// The protocol version is not supported (400).
    InvalidVers,
    /// The request carries sensitive data in its URL (403).
    Sensitive,
}

impl ScimType {
    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
            ScimType::Sensitive => "sensitive",
        }
    }

    /// The status RFC 7644 pairs it with.
    pub const fn status(self) -> StatusCode {
        match self {
            ScimType::Uniqueness => StatusCode::CONFLICT,
            ScimType::Sensitive => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// A SCIM error answer.
#[derive(Debug)]
pub struct ScimError {
    /// The HTTP status (also `status` in the body, as a string).
    pub status: StatusCode,
    /// The RFC's error keyword, where one applies.
    pub scim_type: Option<ScimType>,
    /// What was wrong, for a person.
    pub detail: String,
    /// Easel's stable reason code, answered in the `x-easel-reason` header.
    pub reason: Option<Code>,
    /// Whether the engine already audited this refusal.
    pub audited: bool,
}

impl ScimError {
    /// An error of a status.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> ScimError {
        ScimError {
            status,
            scim_type: None,
            detail: detail.into(),
            reason: None,
            audited: false,
        }
    }

    /// An error of a `scimType`, with the status the RFC pairs it with.
    pub fn typed(scim_type: ScimType, detail: impl Into<String>) -> ScimError {
        ScimError {
            scim_type: Some(scim_type),
            ..ScimError::new(scim_type.status(), detail)
        }
    }

    /// A 404: what the RFC answers for an unknown resource, endpoint or schema.
    pub fn not_found(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::NOT_FOUND, detail).with_reason(Code::RequestNotFound)
    }

    /// A 412: the `If-Match` precondition failed (RFC 7644 §3.14).
    pub fn precondition_failed() -> ScimError {
        ScimError::new(
            StatusCode::PRECONDITION_FAILED,
            "the resource changed since the version in If-Match; read it again",
        )
    }

    /// A 501: what Easel does not do (bulk, `/.search`, password changes).
    pub fn not_implemented(detail: impl Into<String>) -> ScimError {
        ScimError::new(StatusCode::NOT_IMPLEMENTED, detail)
    }

    /// The same error with Easel's reason code.
    pub fn with_reason(mut self, code: Code) -> ScimError {
        self.reason = Some(code);
        self
    }

    /// The RFC 7644 §3.12 body.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let (Some(t), Some(map)) = (self.scim_type, body.as_object_mut()) {
            map.insert("scimType".into(), t.as_str().into());
        }
        body
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut response = Scim(self.status, None, self.body()).into_response();
        if let Some(code) = self.reason {
            response
                .headers_mut()
                .insert(REASON_HEADER, HeaderValue::from_static(code.as_str()));
            response.extensions_mut().insert(Answered(code));
        }
        if self.audited {
            response.extensions_mut().insert(Audited);
        }
        response
    }
}

/// The platform error the engine layers answer with, said the SCIM way: same status,
/// same reason code; a conflict is a `uniqueness` error, a malformed value `invalidValue`.
impl From<ApiError> for ScimError {
    fn from(e: ApiError) -> ScimError {
        let scim_type = match e.code {
            Code::RequestConflict => Some(ScimType::Uniqueness),
            Code::RequestInvalidParameter => Some(ScimType::InvalidValue),
            Code::RequestInvalidJson => Some(ScimType::InvalidSyntax),
            _ => None,
        };
        ScimError {
            status: e.status,
            scim_type,
            detail: e.message,
            reason: Some(e.code),
            audited: e.audited,
        }
    }
}

/// A SCIM success answer: a status, the resource's ETag if it has one, and the body,
/// as `application/scim+json`. A `201` carries the resource's `meta.location` as its
/// `Location` (RFC 7644 §3.3); a `204` carries no body.
#[derive(Debug)]
pub struct Scim(pub StatusCode, pub Option<String>, pub Value);

impl IntoResponse for Scim {
    fn into_response(self) -> Response {
        let Scim(status, etag, body) = self;
        if status == StatusCode::NO_CONTENT {
            return status.into_response();
        }
        let location = (status == StatusCode::CREATED)
            .then(|| body.pointer("/meta/location").and_then(Value::as_str))
            .flatten()
            .and_then(|l| HeaderValue::from_str(l).ok());
        // A JSON value always serializes; the empty object is only a guard.
        let bytes = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, bytes).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(SCIM_JSON));
        if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
            headers.insert(ETAG, tag);
        }
        if let Some(l) = location {
            headers.insert(LOCATION, l);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(response: Response) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    #[tokio::test]
    async fn an_error_is_the_rfc_body_as_scim_json() {
        let e = ScimError::typed(ScimType::Uniqueness, "userName is taken")
            .with_reason(Code::RequestConflict);
        let response = e.into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()[CONTENT_TYPE], SCIM_JSON);
        assert_eq!(response.headers()[REASON_HEADER], "request.conflict");
        assert!(response.extensions().get::<Answered>().is_some());
        assert_eq!(
            body_of(response).await,
            json!({
                "schemas": [ERROR_SCHEMA],
                "status": "409",
                "scimType": "uniqueness",
                "detail": "userName is taken",
            })
        );
    }

    #[tokio::test]
    async fn an_untyped_error_has_no_scim_type() {
        let response = ScimError::not_found("no User `u1`").into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body = body_of(response).await;
        assert_eq!(body["status"], "404");
        assert!(body.get("scimType").is_none());
    }

    #[test]
    fn every_scim_type_has_its_rfc_spelling_and_status() {
        let all = [
            (ScimType::InvalidFilter, "invalidFilter", 400),
            (ScimType::TooMany, "tooMany", 400),
            (ScimType::Uniqueness, "uniqueness", 409),
            (ScimType::Mutability, "mutability", 400),
            (ScimType::InvalidSyntax, "invalidSyntax", 400),
            (ScimType::InvalidPath, "invalidPath", 400),
            (ScimType::NoTarget, "noTarget", 400),
            (ScimType::InvalidValue, "invalidValue", 400),
            (ScimType::InvalidVers, "invalidVers", 400),
            (ScimType::Sensitive, "sensitive", 403),
        ];
        for (t, text, status) in all {
            assert_eq!((t.as_str(), t.status().as_u16()), (text, status));
        }
    }

    #[test]
    fn a_platform_error_keeps_its_status_and_code() {
        let e = ScimError::from(ApiError::new(Code::RequestConflict, "taken"));
        assert_eq!(e.status, StatusCode::CONFLICT);
        assert_eq!(e.scim_type, Some(ScimType::Uniqueness));
        assert_eq!(e.reason, Some(Code::RequestConflict));
        let e = ScimError::from(ApiError::not_found("user", "u1"));
        assert_eq!((e.status, e.scim_type), (StatusCode::NOT_FOUND, None));
    }

    #[tokio::test]
    async fn a_creation_carries_location_and_etag() {
        let body = json!({"id": "u1", "meta": {"location": "https://e.test/scim/v2/Users/u1"}});
        let response =
            Scim(StatusCode::CREATED, Some("W/\"3\"".into()), body.clone()).into_response();
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[CONTENT_TYPE], SCIM_JSON);
        assert_eq!(response.headers()[ETAG], "W/\"3\"");
        assert_eq!(
            response.headers()[LOCATION],
            "https://e.test/scim/v2/Users/u1"
        );
        assert_eq!(body_of(response).await, body);
    }

    #[tokio::test]
    async fn a_read_has_no_location_and_a_deletion_no_body() {
        let body = json!({"id": "u1", "meta": {"location": "https://e.test/scim/v2/Users/u1"}});
        let response = Scim(StatusCode::OK, None, body).into_response();
        assert!(response.headers().get(LOCATION).is_none());
        assert!(response.headers().get(ETAG).is_none());
        let response = Scim(StatusCode::NO_CONTENT, None, Value::Null).into_response();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let bytes = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap_or_default();
        assert!(bytes.is_empty());
    }
}
