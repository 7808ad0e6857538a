//! The tenancy rule at the HTTP edge: every credential acts only within the organizations it
//! was issued for, and anything outside them answers exactly as an unknown id does.

use easel_core::State;
use easel_core::request::Target;

use crate::auth::Caller;
use crate::error::ApiError;

/// The organization a target lives in.
pub fn target_org(state: &State, target: Target) -> Option<easel_core::ids::OrgIx> {
    match target {
        Target::Board(b) => state.board(b).map(|x| x.org),
        Target::Team(t) => state.team(t).map(|x| x.org),
        Target::Project(p) => state.project(p).map(|x| x.org),
        Target::Org(o) => Some(o),
    }
}

/// Whether the caller acts within the target's organization at all. A service limited to
/// one organization reaches nothing of another; a user's session or token bound to one
/// organization (a session a limited service started, a bound personal token, an app token)
/// reaches nothing of another; and a user reaches only organizations they belong to, unless
/// the question presents a board's public link (`via_link`), which admits anyone as a
/// visitor.
pub fn reaches(state: &State, caller: &Caller, target: Target, via_link: bool) -> bool {
    let Some(org) = target_org(state, target) else {
        return false;
    };
    match caller {
        Caller::Service { org: limit, .. } | Caller::Provisioner { org: limit, .. } => {
            limit.is_none_or(|o| o == org)
        }
        Caller::User { id, credential, .. } => {
            if state.credential_org(*credential).is_some_and(|o| o != org) {
                return false;
            }
            via_link
                || state
                    .find_user(id)
                    .is_some_and(|u| state.membership(u, org).is_some())
        }
    }
}

/// The 404 of an unknown id, word for word, for a target the caller may not know of.
pub fn not_there(state: &State, target: Target) -> ApiError {
    let (kind, id) = match target {
        Target::Board(b) => ("board", state.board(b).map(|x| x.id.to_string())),
        Target::Team(t) => ("team", state.team(t).map(|x| x.id.to_string())),
        Target::Project(p) => ("project", state.project(p).map(|x| x.id.to_string())),
        Target::Org(o) => ("organization", state.org(o).map(|x| x.id.to_string())),
    };
    ApiError::not_found(kind, &id.unwrap_or_default())
}

/// `Ok` when the caller reaches the target's organization, else the unknown id's 404.
pub fn visible_org(state: &State, caller: &Caller, target: Target) -> Result<(), ApiError> {
    if reaches(state, caller, target, false) {
        Ok(())
    } else {
        Err(not_there(state, target))
    }
}
