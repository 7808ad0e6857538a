//! Who may speak SCIM: an organization's SCIM token, and nobody else. The organization a
//! request acts in is the token's (the base URL names none). No token, or one that is not
//! valid, is a 401; a valid token of another kind (a user's, a service's, the operator's)
//! is a 403, both as SCIM errors.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use easel_core::codes::Code;
use easel_core::ids::OrgIx;
use easel_core::model::ServiceKind;

use super::error::ScimError;
use crate::AppState;
use crate::auth::{Caller, bearer, resolve};

/// A request made with an organization's SCIM token.
#[derive(Clone, Debug)]
pub struct ScimCaller {
    /// The token's id: the engine acts as it (`Acting::Provisioner`).
    pub token_id: String,
    /// The organization it provisions.
    pub org: OrgIx,
}

impl FromRequestParts<AppState> for ScimCaller {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ScimError> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| {
            ScimError::new(
                StatusCode::UNAUTHORIZED,
                "send `Authorization: Bearer <SCIM token>`",
            )
            .with_reason(Code::CredentialMissing)
        })?;
        let text = header.to_str().ok().and_then(bearer).ok_or_else(|| {
            ScimError::new(
                StatusCode::UNAUTHORIZED,
                "the `Authorization` header must be `Bearer <SCIM token>`",
            )
            .with_reason(Code::CredentialInvalid)
        })?;
        let reader = app.engine.read();
        let caller = resolve(reader.state(), text).map_err(|e| {
            let mut e = ScimError::from(e);
            e.status = StatusCode::UNAUTHORIZED;
            e
        })?;
        match caller {
            Caller::Provisioner {
                token_id,
                kind: ServiceKind::Scim,
                org: Some(org),
                ..
            } => Ok(ScimCaller { token_id, org }),
            _ => Err(ScimError::new(
                StatusCode::FORBIDDEN,
                "SCIM answers an organization's SCIM token only (`easel token create --scim`)",
            )
            .with_reason(Code::AuthorityMissingPrivilege)),
        }
    }
}
