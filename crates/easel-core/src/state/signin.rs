//! One-time sign-in links for the web console (issued, then redeemed once). They live in
//! memory only: the state tables hold no row of them (a link matters for 15 minutes, and
//! the state is rebuilt from the changelog at every start, which brings them back).

use crate::ids::SignInLinkIx;
use crate::model::SignInLink;
use crate::state::{State, StateError};

impl State {
    /// Records a sign-in link.
    pub fn issue_sign_in_link(&mut self, link: SignInLink) -> Result<SignInLinkIx, StateError> {
        let id = link.id.to_string();
        super::mutate::check_id(&id)?;
        self.users
            .get(link.user)
            .ok_or_else(|| StateError::Unknown {
                kind: "user",
                id: format!("{:?}", link.user),
            })?;
        if let Some(o) = link.org {
            self.orgs.get(o).ok_or_else(|| StateError::Unknown {
                kind: "organization",
                id: format!("{o:?}"),
            })?;
        }
        self.sign_in_links
            .insert(&id, link)
            .ok_or(StateError::DuplicateId(id))
    }

    /// Marks a sign-in link used: it never signs anyone in again.
    pub fn use_sign_in_link(&mut self, link: SignInLinkIx) -> Result<(), StateError> {
        let l = self
            .sign_in_links
            .get_mut(link)
            .ok_or_else(|| StateError::Unknown {
                kind: "sign-in link",
                id: format!("{link:?}"),
            })?;
        if l.used {
            // A link redeems once: a second redemption in the changelog is a bug.
            return Err(StateError::Invalid(format!(
                "the sign-in link `{}` was used already",
                l.id
            )));
        }
        l.used = true;
        Ok(())
    }
}
