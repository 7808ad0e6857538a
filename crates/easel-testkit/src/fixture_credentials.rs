//! A fixture's apps, installations, tokens and sessions as events, so that fixtures which
//! use them can be stored and replayed like any other. Fixture tokens carry an all-zero
//! digest: no secret matches it, so they can be named in questions but never presented.

use crate::fixture::{FixtureError, Given, scopes, time};
use easel_core::event::{Event, TokenHolder};

/// The digest of fixture tokens and apps: no secret hashes to it.
const NO_SECRET: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Given {
    /// The events of the fixture's apps, installations, tokens and sessions, in that order.
    pub(crate) fn credential_events(&self, out: &mut Vec<Event>) -> Result<(), FixtureError> {
        for a in &self.app {
            scopes(&a.scopes)?;
            out.push(Event::AppRegistered {
                app: a.id.clone(),
                team: a.team.clone(),
                name: a.id.clone(),
                redirect_uris: vec![format!("https://{}.example/callback", a.id)],
                expiring_tokens: true,
                scopes: a.scopes.clone(),
                secret_digest: NO_SECRET.into(),
            });
        }
        for i in &self.installation {
            scopes(&i.scopes)?;
            out.push(Event::AppInstalled {
                installation: i.id.clone(),
                app: i.app.clone(),
                team: i.team.clone(),
                scopes: i.scopes.clone(),
            });
            if !i.active {
                out.push(Event::AppUninstalled {
                    installation: i.id.clone(),
                });
            }
        }
        for t in &self.token {
            scopes(&t.scopes)?;
            let holder = match &t.installation {
                Some(installation) => TokenHolder::App {
                    installation: installation.clone(),
                    user: t.user.clone(),
                    scopes: t.scopes.clone(),
                },
                None => TokenHolder::User {
                    user: t.user.clone(),
                    org: t.org.clone(),
                },
            };
            out.push(Event::TokenIssued {
                token: t.id.clone(),
                holder,
                digest: NO_SECRET.into(),
                expires_at: t.expires_at.as_deref().map(time).transpose()?,
            });
            if t.revoked {
                out.push(Event::TokenRevoked {
                    token: t.id.clone(),
                });
            }
        }
        for s in &self.session {
            let created = time(&s.created_at)?;
            out.push(Event::SessionStarted {
                session: s.id.clone(),
                user: s.user.clone(),
                at: created,
                digest: None,
                org: s.org.clone(),
            });
            if let Some(last) = s.last_active.as_deref() {
                out.push(Event::SessionSeen {
                    session: s.id.clone(),
                    at: time(last)?,
                });
            }
            if s.ended {
                out.push(Event::SessionEnded {
                    session: s.id.clone(),
                });
            }
        }
        Ok(())
    }
}
