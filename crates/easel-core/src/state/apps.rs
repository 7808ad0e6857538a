//! OAuth apps and their installations as the product changes them: registration, enabled
//! scopes, consent, uninstalling and deleting (which revoke tokens), and sessions seen and
//! ended.

use crate::catalog::ScopeSet;
use crate::ids::{AppIx, InstallationIx, SessionIx, TeamIx};
use crate::model::{LinkDigest, TokenKind};
use crate::state::{State, StateError};
use crate::time::Time;

fn unknown(kind: &'static str, id: impl std::fmt::Debug) -> StateError {
    StateError::Unknown {
        kind,
        id: format!("{id:?}"),
    }
}

/// What registering an app takes.
#[derive(Clone, Debug)]
pub struct AppInit {
    /// The id (the OAuth client id).
    pub id: String,
    /// The developer team.
    pub team: TeamIx,
    /// The display name.
    pub name: String,
    /// The scopes enabled.
    pub enabled: ScopeSet,
    /// The exact redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Whether tokens expire.
    pub expiring_tokens: bool,
    /// The client secret's SHA-256.
    pub secret: LinkDigest,
}

impl State {
    /// Registers an app.
    pub fn register_app(&mut self, init: AppInit) -> Result<AppIx, StateError> {
        let ix = self.add_app(&init.id, init.team, &init.name, init.enabled)?;
        let app = self.apps.get_mut(ix).ok_or_else(|| unknown("app", ix))?;
        app.redirect_uris = init.redirect_uris;
        app.expiring_tokens = init.expiring_tokens;
        app.secret = Some(init.secret);
        Ok(ix)
    }

    /// Changes the scopes an app enables. Existing installations keep what they were
    /// granted; newly enabled scopes wait for consent.
    pub fn set_app_scopes(&mut self, app: AppIx, enabled: ScopeSet) -> Result<(), StateError> {
        let a = self.apps.get_mut(app).ok_or_else(|| unknown("app", app))?;
        a.enabled = enabled;
        a.scope_version = a.scope_version.saturating_add(1);
        Ok(())
    }

    /// Revokes every token of an installation.
    fn revoke_installation_tokens(&mut self, inst: InstallationIx) {
        for token in self.tokens.iter_mut() {
            if token.kind == TokenKind::App(inst) {
                token.revoked = true;
            }
        }
    }

    /// Uninstalls: the installation and its tokens admit nothing from then on.
    pub fn uninstall(&mut self, inst: InstallationIx) -> Result<(), StateError> {
        self.set_installation_active(inst, false)?;
        self.revoke_installation_tokens(inst);
        Ok(())
    }

    /// Deletes an app: every installation is uninstalled and every token revoked.
    pub fn delete_app(&mut self, app: AppIx) -> Result<(), StateError> {
        let a = self.apps.get_mut(app).ok_or_else(|| unknown("app", app))?;
        a.deleted = true;
        let installations = a.installations.clone();
        for inst in installations {
            self.uninstall(inst)?;
        }
        Ok(())
    }

    /// A user of the installation consents: the scopes join what it was granted.
    pub fn consent(&mut self, inst: InstallationIx, scopes: ScopeSet) -> Result<(), StateError> {
        let i = self
            .installations
            .get_mut(inst)
            .ok_or_else(|| unknown("installation", inst))?;
        i.granted = i.granted.union(scopes);
        let app = i.app;
        let version = self.apps.get(app).map_or(1, |a| a.scope_version);
        if let Some(i) = self.installations.get_mut(inst) {
            i.scope_version = version;
        }
        Ok(())
    }

    /// Records the digest of a session's secret.
    pub fn set_session_digest(
        &mut self,
        session: SessionIx,
        digest: LinkDigest,
    ) -> Result<(), StateError> {
        self.sessions
            .get_mut(session)
            .ok_or_else(|| unknown("session", session))?
            .digest = Some(digest);
        Ok(())
    }

    /// Records a request made with a session.
    pub fn touch_session(&mut self, session: SessionIx, at: Time) -> Result<(), StateError> {
        let s = self
            .sessions
            .get_mut(session)
            .ok_or_else(|| unknown("session", session))?;
        if at > s.last_active_at {
            s.last_active_at = at;
        }
        Ok(())
    }
}
