//! A SCIM request body: JSON sent as `application/scim+json` or `application/json`, at
//! most the server's body limit, an object. Anything else is a SCIM error: another media
//! type 415, a body over the limit 413, JSON that does not parse or is not an object 400
//! `invalidSyntax`.

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use easel_core::codes::Code;
use serde_json::Value;

use super::error::{ScimError, ScimType};
use crate::AppState;

/// A SCIM request's JSON object.
#[derive(Debug)]
pub struct ScimBody(pub Value);

/// Whether a `Content-Type` is one SCIM bodies come in (parameters such as `charset`
/// aside; the UTF-8 layer refuses other character sets).
fn acceptable(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/scim+json" || essence == "application/json"
}

impl FromRequest<AppState> for ScimBody {
    type Rejection = ScimError;

    async fn from_request(request: Request, app: &AppState) -> Result<Self, ScimError> {
        // A body without a type is read as JSON: clients that forget the header still
        // mean SCIM here.
        if let Some(t) = request.headers().get(CONTENT_TYPE)
            && !t.to_str().is_ok_and(acceptable)
        {
            return Err(ScimError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the body as `application/scim+json` (or `application/json`)",
            )
            .with_reason(Code::RequestUnsupportedMediaType));
        }
        let limit = app.limits.body_bytes;
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| {
                ScimError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the body is larger than the {limit} bytes accepted"),
                )
                .with_reason(Code::RequestTooLarge)
            })?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            ScimError::typed(
                ScimType::InvalidSyntax,
                format!("the body is not valid JSON: {e}"),
            )
            .with_reason(Code::RequestInvalidJson)
        })?;
        if !value.is_object() {
            return Err(ScimError::typed(
                ScimType::InvalidSyntax,
                "the body must be a JSON object",
            )
            .with_reason(Code::RequestInvalidJson));
        }
        Ok(ScimBody(value))
    }
}

/// Refuses a message whose `schemas` is not a list of strings naming `urn` (RFC 7643 §3:
/// every resource and message names its schema; a case-insensitive match, as URNs are).
pub fn names_schema(body: &Value, urn: &str) -> Result<(), ScimError> {
    let schemas = body
        .as_object()
        .and_then(|o| {
            o.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("schemas"))
                .map(|(_, v)| v)
        })
        .and_then(Value::as_array);
    let named = schemas.is_some_and(|list| {
        list.iter().all(Value::is_string)
            && list
                .iter()
                .any(|v| v.as_str().is_some_and(|v| v.eq_ignore_ascii_case(urn)))
    });
    if named {
        Ok(())
    } else {
        Err(ScimError::typed(
            ScimType::InvalidSyntax,
            format!("`schemas` must be a list of schema URNs naming {urn}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_json_media_types_are_accepted() {
        assert!(acceptable("application/scim+json"));
        assert!(acceptable("application/json; charset=utf-8"));
        assert!(acceptable("Application/SCIM+JSON"));
        assert!(!acceptable("text/plain"));
        assert!(!acceptable("application/x-www-form-urlencoded"));
    }
}
