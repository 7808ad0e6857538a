//! Tokens issued with a secret: personal access tokens of users and service tokens of the
//! platform's services. The state keeps only each secret's digest.

use crate::catalog::ScopeSet;
use crate::ids::{OrgIx, SessionIx, TokenIx, UserIx};
use crate::model::{LinkDigest, ServiceKind, ServiceToken, TokenKind};
use crate::state::{State, StateError};
use crate::time::Time;

impl State {
    /// Whether a token id is taken, by a user's token or a service's.
    pub fn token_id_taken(&self, id: &str) -> bool {
        self.tokens.find(id).is_some() || self.services.find(id).is_some()
    }

    /// Issues a user's personal access token, acting in `org` alone when one is named.
    pub fn issue_personal_token(
        &mut self,
        id: &str,
        user: UserIx,
        digest: LinkDigest,
        expires_at: Option<Time>,
        org: Option<OrgIx>,
    ) -> Result<TokenIx, StateError> {
        if self.services.find(id).is_some() {
            return Err(StateError::DuplicateId(id.to_string()));
        }
        if let Some(o) = org {
            self.orgs.get(o).ok_or_else(|| StateError::Unknown {
                kind: "organization",
                id: format!("{o:?}"),
            })?;
        }
        let ix = self.add_token(id, TokenKind::Personal, user, ScopeSet::EMPTY, expires_at)?;
        if let Some(t) = self.tokens.get_mut(ix) {
            t.digest = Some(digest);
            t.org = org;
        }
        Ok(ix)
    }

    /// Binds a session to the one organization it acts in.
    pub fn bind_session(&mut self, session: SessionIx, org: OrgIx) -> Result<(), StateError> {
        self.orgs.get(org).ok_or_else(|| StateError::Unknown {
            kind: "organization",
            id: format!("{org:?}"),
        })?;
        let s = self
            .sessions
            .get_mut(session)
            .ok_or_else(|| StateError::Unknown {
                kind: "session",
                id: format!("{session:?}"),
            })?;
        s.org = Some(org);
        Ok(())
    }

    /// The organization a user's credential acts in: an app token's installation's, a bound
    /// personal token's or session's; `None` for one that acts in every organization of
    /// its user (or names nothing).
    pub fn credential_org(&self, credential: crate::request::Credential) -> Option<OrgIx> {
        use crate::request::Credential;
        match credential {
            Credential::Session(s) => self.session(s).and_then(|s| s.org),
            Credential::Token(t) => {
                let token = self.token(t)?;
                match token.kind {
                    TokenKind::App(i) => self.installation(i).map(|i| i.org),
                    TokenKind::Personal => token.org,
                }
            }
            Credential::None | Credential::Unknown => None,
        }
    }

    /// Issues an app's access token for a user of an installation.
    pub fn issue_app_token(
        &mut self,
        id: &str,
        installation: crate::ids::InstallationIx,
        user: UserIx,
        scopes: ScopeSet,
        digest: LinkDigest,
        expires_at: Option<Time>,
    ) -> Result<(), StateError> {
        if self.services.find(id).is_some() {
            return Err(StateError::DuplicateId(id.to_string()));
        }
        let ix = self.add_token(id, TokenKind::App(installation), user, scopes, expires_at)?;
        if let Some(t) = self.tokens.get_mut(ix) {
            t.digest = Some(digest);
        }
        Ok(())
    }

    /// Issues a service token for one organization or all.
    pub fn issue_service_token(
        &mut self,
        id: &str,
        name: &str,
        org: Option<OrgIx>,
        digest: LinkDigest,
        kind: ServiceKind,
    ) -> Result<(), StateError> {
        super::mutate::check_id(id)?;
        if kind == ServiceKind::Scim && org.is_none() {
            return Err(StateError::Invalid(
                "a SCIM token belongs to one organization".into(),
            ));
        }
        if let Some(o) = org {
            self.orgs.get(o).ok_or_else(|| StateError::Unknown {
                kind: "organization",
                id: format!("{o:?}"),
            })?;
        }
        if self.tokens.find(id).is_some() {
            return Err(StateError::DuplicateId(id.to_string()));
        }
        let token = ServiceToken {
            id: id.into(),
            name: name.to_string(),
            org,
            digest,
            revoked: false,
            kind,
        };
        self.services
            .insert(id, token)
            .map(drop)
            .ok_or_else(|| StateError::DuplicateId(id.to_string()))
    }

    /// Revokes a user's token or a service's, by id.
    pub fn revoke_token_id(&mut self, id: &str) -> Result<(), StateError> {
        if let Some(t) = self.tokens.find(id) {
            return self.revoke_token(t);
        }
        if let Some(s) = self
            .services
            .find(id)
            .and_then(|s| self.services.get_mut(s))
        {
            s.revoked = true;
            return Ok(());
        }
        Err(StateError::Unknown {
            kind: "token",
            id: id.to_string(),
        })
    }
}
