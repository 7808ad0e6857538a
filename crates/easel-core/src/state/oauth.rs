//! OAuth authorization codes and refresh tokens (MODEL.md §8): codes are single use;
//! refresh tokens rotate, and a family is revoked whole.

use crate::ids::{CodeIx, RefreshIx};
use crate::model::{AuthCode, Refresh};
use crate::state::{State, StateError};

fn taken(id: &str) -> StateError {
    StateError::DuplicateId(id.to_string())
}

fn unknown(kind: &'static str, id: impl std::fmt::Debug) -> StateError {
    StateError::Unknown {
        kind,
        id: format!("{id:?}"),
    }
}

impl State {
    /// Records an authorization code.
    pub fn issue_code(&mut self, code: AuthCode) -> Result<CodeIx, StateError> {
        let id = code.id.to_string();
        self.installations
            .get(code.installation)
            .ok_or_else(|| unknown("installation", code.installation))?;
        self.codes.insert(&id, code).ok_or_else(|| taken(&id))
    }

    /// Marks a code used.
    pub fn use_code(&mut self, code: CodeIx) -> Result<(), StateError> {
        self.codes
            .get_mut(code)
            .ok_or_else(|| unknown("code", code))?
            .used = true;
        Ok(())
    }

    /// Records a refresh token.
    pub fn issue_refresh(&mut self, refresh: Refresh) -> Result<RefreshIx, StateError> {
        let id = refresh.id.to_string();
        self.refreshes
            .insert(&id, refresh)
            .ok_or_else(|| taken(&id))
    }

    /// Marks a refresh token used (rotated away).
    pub fn use_refresh(&mut self, refresh: RefreshIx) -> Result<(), StateError> {
        self.refreshes
            .get_mut(refresh)
            .ok_or_else(|| unknown("refresh token", refresh))?
            .used = true;
        Ok(())
    }

    /// Revokes a family: every refresh token in it and every access token issued with one.
    pub fn revoke_family(&mut self, family: &str) -> Result<(), StateError> {
        let mut access = Vec::new();
        for r in self.refreshes.iter_mut() {
            if &*r.family == family {
                r.revoked = true;
                access.push(r.access.clone());
            }
        }
        for id in access {
            if let Some(t) = self.tokens.find(&id) {
                self.revoke_token(t)?;
            }
        }
        Ok(())
    }
}
