//! What user groups and billing groups share: both are named sets of an organization's
//! members with the same operations, told apart only by where the state keeps them, the
//! privilege that reads them and the commands that change them. The handlers of each kind
//! (`groups.rs`, `billing_groups.rs`) are thin, so that the two cannot drift apart.

use axum::http::StatusCode;
use axum::response::Response;
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::model::{BillingGroup, Group};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answers::{Added, Deleted, Removed};
use super::board_members::PageQuery;
use super::orgs::seen_org;
use super::{run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::wire::CursorList;

/// A user group or billing group.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// How many members.
    pub member_count: usize,
}

/// A name.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    /// The name.
    pub name: String,
}

/// A member to add.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberIn {
    /// The user.
    pub user_id: String,
}

/// A member of a group.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GroupMemberOut {
    /// The user's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their email.
    pub email: String,
}

/// The kind of group a route works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupKind {
    /// A user group: grants and team memberships reach its members.
    User,
    /// A billing group: members grouped for the invoice.
    Billing,
}

/// A group of either kind, as the state holds it.
pub struct Seen<'a> {
    id: &'a str,
    org: OrgIx,
    name: &'a str,
    members: &'a [UserIx],
    deleted: bool,
}

impl<'a> From<&'a Group> for Seen<'a> {
    fn from(g: &'a Group) -> Seen<'a> {
        Seen {
            id: &g.id,
            org: g.org,
            name: &g.name,
            members: &g.members,
            deleted: g.deleted,
        }
    }
}

impl<'a> From<&'a BillingGroup> for Seen<'a> {
    fn from(g: &'a BillingGroup) -> Seen<'a> {
        Seen {
            id: &g.id,
            org: g.org,
            name: &g.name,
            members: &g.members,
            deleted: g.deleted,
        }
    }
}

impl Seen<'_> {
    /// The group as the wire shows it, if it is a live group of the organization `o`.
    pub fn out_in(&self, o: OrgIx) -> Option<GroupOut> {
        (self.org == o && !self.deleted).then(|| GroupOut {
            id: self.id.to_string(),
            name: self.name.to_string(),
            member_count: self.members.len(),
        })
    }
}

impl GroupKind {
    /// The privilege that reads groups of this kind.
    fn view(self) -> Privilege {
        match self {
            GroupKind::User => Privilege::GroupsView,
            GroupKind::Billing => Privilege::BillingGroupsView,
        }
    }

    /// What a missing group is called in the 404.
    fn noun(self) -> &'static str {
        match self {
            GroupKind::User => "group",
            GroupKind::Billing => "billing group",
        }
    }

    /// The prefix of a new group's id.
    fn id_prefix(self) -> &'static str {
        match self {
            GroupKind::User => "grp",
            GroupKind::Billing => "bg",
        }
    }

    /// The group `id` of the organization `o`, unless unknown, deleted or another's.
    fn find<'a>(self, state: &'a EngineState, o: OrgIx, id: &str) -> Option<Seen<'a>> {
        let seen = match self {
            GroupKind::User => Seen::from(state.group(state.find_group(id)?)?),
            GroupKind::Billing => Seen::from(state.billing_group(state.find_billing_group(id)?)?),
        };
        (seen.org == o && !seen.deleted).then_some(seen)
    }

    /// The group `id` as the wire shows it, or its 404.
    fn out(self, state: &EngineState, o: OrgIx, id: &str) -> Result<GroupOut, ApiError> {
        self.find(state, o, id)
            .and_then(|g| g.out_in(o))
            .ok_or_else(|| ApiError::not_found(self.noun(), id))
    }

    fn create(self, org: String, group: String, name: String) -> Command {
        match self {
            GroupKind::User => Command::CreateGroup { org, group, name },
            GroupKind::Billing => Command::CreateBillingGroup { org, group, name },
        }
    }

    fn rename(self, group: String, name: String) -> Command {
        match self {
            GroupKind::User => Command::RenameGroup { group, name },
            GroupKind::Billing => Command::RenameBillingGroup { group, name },
        }
    }

    fn delete(self, group: String) -> Command {
        match self {
            GroupKind::User => Command::DeleteGroup { group },
            GroupKind::Billing => Command::DeleteBillingGroup { group },
        }
    }

    fn add_member(self, group: String, user: String) -> Command {
        match self {
            GroupKind::User => Command::AddGroupMember { group, user },
            GroupKind::Billing => Command::AddBillingMember { group, user },
        }
    }

    fn remove_member(self, group: String, user: String) -> Command {
        match self {
            GroupKind::User => Command::RemoveGroupMember { group, user },
            GroupKind::Billing => Command::RemoveBillingMember { group, user },
        }
    }

    /// The organization the caller reads groups of this kind in (its privilege), or the
    /// error.
    pub fn readable(
        self,
        app: &AppState,
        state: &EngineState,
        caller: &Caller,
        org: &str,
    ) -> Result<OrgIx, ApiError> {
        seen_org(state, caller, org, Some(self.view()), app.engine.now())
    }

    /// Checks that the caller sees the organization and that the group is one of it, before
    /// a change (which the engine then decides).
    fn before_change(
        self,
        app: &AppState,
        caller: &Caller,
        org: &str,
        group: &str,
    ) -> Result<(), ApiError> {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, caller, org, None, app.engine.now())?;
        self.out(state, o, group).map(|_| ())
    }

    /// One group.
    pub fn read(
        self,
        app: &AppState,
        caller: &Caller,
        org: &str,
        group: &str,
    ) -> Result<axum::Json<GroupOut>, ApiError> {
        let reader = app.engine.read();
        let state = reader.state();
        let o = self.readable(app, state, caller, org)?;
        self.out(state, o, group).map(axum::Json)
    }

    /// Creates a group; the answer is the new group.
    pub async fn create_in(
        self,
        app: &AppState,
        caller: &Caller,
        org: String,
        body: GroupIn,
    ) -> Result<Response, ApiError> {
        {
            let reader = app.engine.read();
            seen_org(reader.state(), caller, &org, None, app.engine.now())?;
        }
        let group = crate::ids::new_id(self.id_prefix())?;
        let w = run(
            app,
            caller,
            self.create(org, group.clone(), body.name.clone()),
        )
        .await?;
        Ok(written(
            StatusCode::CREATED,
            &GroupOut {
                id: group,
                name: body.name,
                member_count: 0,
            },
            w.revision,
        ))
    }

    /// Renames a group; the answer is the group after the change.
    pub async fn rename_to(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group): (String, String),
        body: GroupIn,
    ) -> Result<Response, ApiError> {
        self.before_change(app, caller, &org, &group)?;
        let w = run(app, caller, self.rename(group.clone(), body.name)).await?;
        let out = {
            let reader = app.engine.read();
            let state = reader.state();
            state
                .find_org(&org)
                .and_then(|o| self.out(state, o, &group).ok())
        };
        Ok(written(StatusCode::OK, &out, w.revision))
    }

    /// Deletes a group.
    pub async fn delete_in(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group): (String, String),
    ) -> Result<Response, ApiError> {
        self.before_change(app, caller, &org, &group)?;
        let w = run(app, caller, self.delete(group.clone())).await?;
        Ok(written(StatusCode::OK, &Deleted::new(group), w.revision))
    }

    /// A page of a group's members, in order of user.
    pub fn members_page(
        self,
        app: &AppState,
        caller: &Caller,
        list: &ListRequest,
        (org, group): (String, String),
        q: PageQuery,
    ) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
        let pager = Pager::new(app, caller, list, q.limit, q.cursor.as_deref())?;
        let reader = app.engine.read();
        let state = reader.state();
        let o = self.readable(app, state, caller, &org)?;
        let g = self
            .find(state, o, &group)
            .ok_or_else(|| ApiError::not_found(self.noun(), &group))?;
        Ok(axum::Json(pager.walk(
            g.members,
            |u| u.get(),
            |u| person(state, *u),
        )?))
    }

    /// Adds a user to a group.
    pub async fn add_member_to(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group): (String, String),
        body: MemberIn,
    ) -> Result<Response, ApiError> {
        self.before_change(app, caller, &org, &group)?;
        let w = run(app, caller, self.add_member(group, body.user_id.clone())).await?;
        Ok(written(
            StatusCode::OK,
            &Added::new(body.user_id),
            w.revision,
        ))
    }

    /// Removes a user from a group.
    pub async fn remove_member_from(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group, member): (String, String, String),
    ) -> Result<Response, ApiError> {
        self.before_change(app, caller, &org, &group)?;
        let w = run(app, caller, self.remove_member(group, member.clone())).await?;
        Ok(written(StatusCode::OK, &Removed::new(member), w.revision))
    }
}

fn person(state: &EngineState, u: UserIx) -> Option<GroupMemberOut> {
    let user = state.user(u)?;
    Some(GroupMemberOut {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.to_string(),
    })
}
