//! What a provisioning credential may do. An operator's token acts in every organization, a
//! SCIM client's in its own; both reach the directory only (users, memberships, admin roles,
//! teams and their members), never boards or content, and the operator also the
//! organization's profile and plan and its SCIM tokens. Declared once here and read by `Exec::decide`.

use super::Command;
use super::exec::{Step, refusal};
use crate::action::{Action, EngineAction};
use crate::catalog::Privilege;
use crate::codes::Code;
use crate::decide::target_org;
use crate::ids::OrgIx;
use crate::model::ServiceKind;
use crate::request::Target;
use crate::state::State;

/// The directory's actions: what both kinds of provisioning credential may do.
const DIRECTORY: &[Action] = &[
    Action::Privilege(Privilege::UsersView),
    Action::Privilege(Privilege::UsersAdd),
    Action::Privilege(Privilege::UsersEdit),
    Action::Privilege(Privilege::UsersRemove),
    // A member's licence (SCIM's `userType`): `SetLicence` is admitted below.
    Action::Privilege(Privilege::LicenseRequestsManage),
    Action::Privilege(Privilege::AdminRolesView),
    Action::Privilege(Privilege::AdminRolesAssign),
    Action::Privilege(Privilege::AdminRolesRemove),
    Action::Privilege(Privilege::TeamsView),
    Action::Privilege(Privilege::TeamsEdit),
    Action::Engine(EngineAction::TeamView),
    Action::Engine(EngineAction::TeamManage),
    Action::Engine(EngineAction::OrgView),
];

/// What the operator may do besides: the organization's own profile and plan, and its
/// SCIM tokens (made for the organization's admin, as Easel itself would).
const OPERATOR: &[Action] = &[
    Action::Privilege(Privilege::CompanyProfileView),
    Action::Privilege(Privilege::CompanyProfileEdit),
    Action::Privilege(Privilege::AuthSettingsView),
    Action::Privilege(Privilege::AuthSettingsEdit),
];

/// A provisioning token that may act: known, not revoked, of a provisioning kind.
pub(crate) fn credential(state: &State, token: &str) -> Step<(ServiceKind, Option<OrgIx>)> {
    let t = state
        .find_service(token)
        .and_then(|s| state.service(s))
        .ok_or_else(|| refusal(Code::CredentialInvalid, "the token is not valid"))?;
    if t.revoked {
        return Err(refusal(Code::CredentialRevoked, "the token was revoked"));
    }
    match t.kind {
        ServiceKind::Operator | ServiceKind::Scim => Ok((t.kind, t.org)),
        ServiceKind::Decision => Err(refusal(
            Code::AuthorityMissingPrivilege,
            "a decision-API token provisions nothing",
        )),
    }
}

/// Whether the token may act in `org`: a SCIM token only in its own. Another organization
/// is answered as one that does not exist.
pub(crate) fn within(state: &State, token: &str, org: OrgIx) -> Step {
    let (_, bound) = credential(state, token)?;
    match bound {
        Some(b) if b != org => Err(refusal(Code::RequestNotFound, "no such organization")),
        _ => Ok(()),
    }
}

/// Whether the token may do `action` on `target`.
pub(crate) fn may(state: &State, token: &str, action: Action, target: Target) -> Step {
    let (kind, _) = credential(state, token)?;
    let org = target_org(state, target)
        .ok_or_else(|| refusal(Code::RequestNotFound, "no such target"))?;
    within(state, token, org)?;
    let allowed = DIRECTORY.contains(&action)
        || (kind == ServiceKind::Operator && OPERATOR.contains(&action));
    if allowed {
        Ok(())
    } else {
        Err(refusal(
            Code::AuthorityMissingPrivilege,
            format!("a {} token may not `{action}`", kind.as_str()),
        ))
    }
}

/// Whether the token is the operator's (who alone creates and deletes organizations).
pub(crate) fn is_operator(state: &State, token: &str) -> Step<bool> {
    Ok(credential(state, token)?.0 == ServiceKind::Operator)
}

/// The commands a provisioning credential may run at all; each is then decided as usual,
/// with `may` standing in for the actor's rights. The operator alone creates identities
/// and organizations and names owners.
pub(crate) fn admits(state: &State, token: &str, command: &Command) -> Step {
    let (kind, _) = credential(state, token)?;
    let operator = kind == ServiceKind::Operator;
    let admitted = match command {
        Command::CreateUser { .. }
        | Command::CreateOrg { .. }
        | Command::DeleteOrg { .. }
        | Command::SetOrgOwner { .. }
        | Command::UpdateOrgProfile { .. }
        | Command::ChangePlan { .. }
        | Command::CreateScimToken { .. }
        | Command::RevokeScimToken { .. } => operator,
        Command::AddMember { .. }
        | Command::DeactivateUser { .. }
        | Command::ReactivateUser { .. }
        | Command::RemoveUser { .. }
        | Command::AssignAdminRole { .. }
        | Command::RemoveAdminRole { .. }
        | Command::SetLicence { .. }
        | Command::SetMemberProfile { .. }
        | Command::ChangeEmail { .. }
        | Command::CreateTeam { .. }
        | Command::RenameTeam { .. }
        | Command::DeleteTeam { .. }
        | Command::SetTeamMember { .. }
        | Command::RemoveTeamMember { .. } => true,
        _ => false,
    };
    if admitted {
        Ok(())
    } else {
        Err(refusal(
            Code::AuthorityMissingPrivilege,
            format!("a {} token may not run `{}`", kind.as_str(), command.name()),
        ))
    }
}
