//! The one error every route answers with: a status, a stable reason code, a message for
//! people, and context. Internals never reach the client.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::codes::{Code, Layer};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code.
    pub code: Code,
    /// What was wrong, for a person.
    pub message: String,
    /// Facts for a program (the layer of a refusal, the limit that was passed).
    pub context: Value,
    /// Whether the engine already audited this refusal (a command it refused).
    pub audited: bool,
}

/// The JSON body of every error answer: the `Error` schema of the OpenAPI document, which
/// every operation's error responses refer to. The reference platform's error shape
/// (`status`, `code`, `message`, `type`) with Easel's additions (`context`, `requestId`).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = Error)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// The HTTP status, repeated.
    pub status: u16,
    /// The stable reason code (docs/reason-codes.md), e.g. `request.invalid_parameter`.
    pub code: &'static str,
    /// What was wrong, for a person.
    pub message: String,
    /// Always `error`.
    #[serde(rename = "type")]
    #[schema(inline, value_type = ErrorType)]
    pub kind: &'static str,
    /// Facts for a program: the layer of a refusal, the limit that was passed.
    #[schema(value_type = Object)]
    pub context: Value,
    /// The request's id (also in the `x-request-id` header), for finding it in the log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The one value of an envelope's `type`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[expect(
    dead_code,
    reason = "a schema only: the envelope writes its `type` as text"
)]
enum ErrorType {
    Error,
}

/// Marks a response whose refusal the engine already audited.
#[derive(Clone, Copy, Debug)]
pub struct Audited;

/// The reason code of an error response, for the layers that read it after the route.
#[derive(Clone, Copy, Debug)]
pub struct Answered(pub Code);

/// The status a code is answered with.
pub fn status_of(code: Code) -> StatusCode {
    match code {
        Code::RequestNotFound => StatusCode::NOT_FOUND,
        Code::RequestConflict | Code::RequestStaleRevision => StatusCode::CONFLICT,
        Code::RequestUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::RequestInternal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
        Code::RequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Code::RequestUriTooLong => StatusCode::URI_TOO_LONG,
        Code::RequestHeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        Code::RequestRateLimited => StatusCode::TOO_MANY_REQUESTS,
        Code::RequestUnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Code::RequestMethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        // A credential that names the wrong user or organization is a refusal, not a
        // missing login.
        Code::CredentialWrongSubject | Code::CredentialCrossOrganization => StatusCode::FORBIDDEN,
        c if c.layer() == Layer::Request => StatusCode::BAD_REQUEST,
        c if c.layer() == Layer::Credential => StatusCode::UNAUTHORIZED,
        _ => StatusCode::FORBIDDEN,
    }
}

impl ApiError {
    /// An error with the status its code is answered with.
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            status: status_of(code),
            code,
            message: message.into(),
            context: json!({}),
            audited: false,
        }
    }

    /// The same error with context.
    pub fn with_context(mut self, context: Value) -> ApiError {
        self.context = context;
        self
    }

    /// The same error with the layer of the refusal it reports as its context.
    pub fn with_layer(self, layer: Layer) -> ApiError {
        self.with_context(json!({"layer": layer.as_str()}))
    }

    /// A 404 that says nothing about whether the thing exists.
    pub fn not_found(kind: &str, id: &str) -> ApiError {
        ApiError::new(Code::RequestNotFound, format!("no {kind} `{id}`"))
    }

    /// A malformed parameter.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::RequestInvalidParameter, message)
    }

    /// The server's own fault (an answer it could not write, a route it cannot vouch
    /// for): a 500, never blamed on the caller. The cause goes to the log; the client
    /// learns only that the fault was the server's.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            Code::RequestInternal,
            "the server failed to answer; a write may have completed, so read before retrying",
        )
    }

    /// The envelope.
    pub fn envelope(&self) -> Envelope {
        Envelope {
            status: self.status.as_u16(),
            code: self.code.as_str(),
            message: self.message.clone(),
            kind: "error",
            context: self.context.clone(),
            request_id: None,
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        serde_json::to_value(self.envelope()).unwrap_or_else(|_| {
            // The envelope is strings and numbers, which always serialize; were it ever
            // to fail, the status and code still reach the client.
            json!({"status": self.status.as_u16(), "code": self.code.as_str(), "type": "error"})
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        response.extensions_mut().insert(Answered(self.code));
        if self.audited {
            response.extensions_mut().insert(Audited);
        }
        response
    }
}

impl From<easel_core::RequestError> for ApiError {
    fn from(e: easel_core::RequestError) -> ApiError {
        ApiError::new(e.code, e.message)
    }
}

impl From<easel_core::command::Refusal> for ApiError {
    fn from(r: easel_core::command::Refusal) -> ApiError {
        let mut error = ApiError::new(r.code, r.message).with_layer(r.code.layer());
        // A refused command was audited with its refusal, in the same transaction.
        error.audited = true;
        error
    }
}

impl From<easel_store::StoreError> for ApiError {
    fn from(e: easel_store::StoreError) -> ApiError {
        // The store's own words stay in the log; the client learns what to do.
        tracing::error!(error = %e, "store error");
        let code = e.code();
        let message = match code {
            Code::RequestConflict => "another change to the organization won; try again",
            _ => "the store is unavailable; nothing was changed, and the request may be retried",
        };
        ApiError::new(code, message)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                Code::RequestUnsupportedMediaType,
                "send the body as `application/json`",
            ),
            JsonRejection::BytesRejection(_) => ApiError::new(
                Code::RequestTooLarge,
                "the body could not be read in full: it is larger than the server accepts",
            ),
            // The parser's message names the field and position, never a Rust type.
            other => ApiError::new(Code::RequestInvalidJson, other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::invalid(rejection.body_text())
    }
}
