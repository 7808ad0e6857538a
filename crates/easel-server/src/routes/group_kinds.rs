//! What user groups and billing groups share: both are named sets of an organization's
//! members with the same operations, told apart only by where the state keeps them, the
//! privilege that reads them and the commands that change them. The handlers of each kind
//! (`groups.rs`, `billing_groups.rs`) are thin, so that the two cannot drift apart.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use easel_core::State as EngineState;
use easel_core::catalog::Privilege;
use easel_core::command::Command;
use easel_core::ids::{OrgIx, UserIx};
use easel_core::model::{BillingGroup, Group};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::orgs::seen_org;
use super::{REVISION, run, written};
use crate::AppState;
use crate::auth::Caller;
use crate::cursor::{ListRequest, Pager};
use crate::error::ApiError;
use crate::wire::CursorList;

/// Paging of a group list: the reference pages by cursor, 1 to 100 a page, 100 by default.
#[derive(Clone, Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GroupPageQuery {
    /// Page size, 1 to 100 (100 when absent).
    #[param(minimum = 1, maximum = 100, default = 100)]
    pub limit: Option<usize>,
    /// Where to go on from: the `cursor` of the previous page.
    pub cursor: Option<String>,
}

impl GroupPageQuery {
    /// The page size: the reference's default is a whole page.
    pub fn limit(&self) -> Option<usize> {
        Some(self.limit.unwrap_or(100))
    }
}

/// A user group (`type` `user-group`) or billing group (`type` `billing-group`).
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupOut {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// What a user group is for (billing groups have none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `user-group` or `billing-group`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// How many members.
    pub member_count: usize,
}

/// A new group: a name, and for a user group what it is for.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupIn {
    /// The name.
    pub name: String,
    /// What the group is for (user groups only).
    pub description: Option<String>,
}

/// A group's new name or description; what is absent stays.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupUpdateIn {
    /// The name.
    pub name: Option<String>,
    /// What the group is for (user groups only).
    pub description: Option<String>,
}

/// A member to add: by email (the reference's way) or by user id (Easel's).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberIn {
    /// The user's email.
    pub email: Option<String>,
    /// The user's id (instead of the email).
    pub user_id: Option<String>,
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
    /// `user-group-member` or `billing-group-member`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The answer to a delete: no body, the write's revision in its header.
pub fn no_content(revision: i64) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&revision.to_string()) {
        response.headers_mut().insert(REVISION, v);
    }
    response
}

/// The user a member reference names, by id or (with an `@`) by email, as the user's id; a
/// reference to no one is a 404.
pub fn user_ref(state: &EngineState, reference: &str) -> Result<String, ApiError> {
    let u = if reference.contains('@') {
        state.find_email(reference)
    } else {
        state.find_user(reference)
    };
    u.and_then(|u| state.user(u))
        .map(|u| u.id.to_string())
        .ok_or_else(|| ApiError::not_found("user", reference))
}

impl MemberIn {
    /// The user named, by email or id.
    pub fn user(&self, state: &EngineState) -> Result<String, ApiError> {
        match (&self.email, &self.user_id) {
            (Some(email), None) => user_ref(state, email),
            (None, Some(id)) => user_ref(state, id),
            _ => Err(ApiError::invalid("name the user by `email` or by `userId`")),
        }
    }
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
    description: Option<&'a str>,
    kind: GroupKind,
    members: &'a [UserIx],
    deleted: bool,
}

impl<'a> From<&'a Group> for Seen<'a> {
    fn from(g: &'a Group) -> Seen<'a> {
        Seen {
            id: &g.id,
            org: g.org,
            name: &g.name,
            description: Some(&g.description),
            kind: GroupKind::User,
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
            description: None,
            kind: GroupKind::Billing,
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
            description: self.description.map(str::to_string),
            kind: self.kind.type_name(),
            member_count: self.members.len(),
        })
    }
}

impl GroupKind {
    /// A group's `type` on the wire.
    fn type_name(self) -> &'static str {
        match self {
            GroupKind::User => "user-group",
            GroupKind::Billing => "billing-group",
        }
    }

    /// A group member's `type` on the wire.
    fn member_type(self) -> &'static str {
        match self {
            GroupKind::User => "user-group-member",
            GroupKind::Billing => "billing-group-member",
        }
    }

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

    fn create(
        self,
        org: String,
        group: String,
        name: String,
        description: Option<String>,
    ) -> Result<Command, ApiError> {
        Ok(match self {
            GroupKind::User => Command::CreateGroup {
                org,
                group,
                name,
                description: description.unwrap_or_default(),
            },
            GroupKind::Billing => {
                no_description(description.as_ref())?;
                Command::CreateBillingGroup { org, group, name }
            }
        })
    }

    fn rename(
        self,
        group: String,
        name: String,
        description: Option<String>,
    ) -> Result<Command, ApiError> {
        Ok(match self {
            GroupKind::User => Command::RenameGroup {
                group,
                name,
                description,
            },
            GroupKind::Billing => {
                no_description(description.as_ref())?;
                Command::RenameBillingGroup { group, name }
            }
        })
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
    ) -> Result<GroupOut, ApiError> {
        let reader = app.engine.read();
        let state = reader.state();
        let o = seen_org(state, caller, org, None, app.engine.now())?;
        self.out(state, o, group)
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
        let command = self.create(org.clone(), group.clone(), body.name, body.description)?;
        let w = run(app, caller, command).await?;
        let out = self.written_out(app, &org, &group);
        Ok(written(StatusCode::CREATED, &out, w.revision))
    }

    /// The group as it is after a write.
    fn written_out(self, app: &AppState, org: &str, group: &str) -> Option<GroupOut> {
        let reader = app.engine.read();
        let state = reader.state();
        state
            .find_org(org)
            .and_then(|o| self.out(state, o, group).ok())
    }

    /// Renames a group; the answer is the group after the change.
    pub async fn rename_to(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group): (String, String),
        body: GroupUpdateIn,
    ) -> Result<Response, ApiError> {
        let now = self.before_change(app, caller, &org, &group)?;
        let name = body.name.unwrap_or(now.name);
        let command = self.rename(group.clone(), name, body.description)?;
        let w = run(app, caller, command).await?;
        let out = self.written_out(app, &org, &group);
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
        let w = run(app, caller, self.delete(group)).await?;
        Ok(no_content(w.revision))
    }

    /// A page of a group's members, in order of user.
    pub fn members_page(
        self,
        app: &AppState,
        caller: &Caller,
        list: &ListRequest,
        (org, group): (String, String),
        q: GroupPageQuery,
    ) -> Result<axum::Json<CursorList<GroupMemberOut>>, ApiError> {
        let pager = Pager::new(app, caller, list, q.limit(), q.cursor.as_deref())?;
        let reader = app.engine.read();
        let state = reader.state();
        let o = self.readable(app, state, caller, &org)?;
        let g = self
            .find(state, o, &group)
            .ok_or_else(|| ApiError::not_found(self.noun(), &group))?;
        Ok(axum::Json(pager.walk(
            g.members,
            |u| u.get(),
            |u| self.person(state, *u),
        )?))
    }

    /// One member of a group.
    pub fn member(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group, member): (String, String, String),
    ) -> Result<axum::Json<GroupMemberOut>, ApiError> {
        let reader = app.engine.read();
        let state = reader.state();
        let o = self.readable(app, state, caller, &org)?;
        let g = self
            .find(state, o, &group)
            .ok_or_else(|| ApiError::not_found(self.noun(), &group))?;
        state
            .find_user(&member)
            .filter(|u| g.members.binary_search(u).is_ok())
            .and_then(|u| self.person(state, u))
            .map(axum::Json)
            .ok_or_else(|| ApiError::not_found("group member", &member))
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
        let user = body.user(app.engine.read().state())?;
        let w = run(app, caller, self.add_member(group, user.clone())).await?;
        let out = {
            let reader = app.engine.read();
            let state = reader.state();
            state.find_user(&user).and_then(|u| self.person(state, u))
        };
        Ok(written(StatusCode::CREATED, &out, w.revision))
    }

    /// Removes a user from a group.
    pub async fn remove_member_from(
        self,
        app: &AppState,
        caller: &Caller,
        (org, group, member): (String, String, String),
    ) -> Result<Response, ApiError> {
        self.before_change(app, caller, &org, &group)?;
        let w = run(app, caller, self.remove_member(group, member)).await?;
        Ok(no_content(w.revision))
    }

    /// A user as a member of a group of this kind.
    pub fn person(self, state: &EngineState, u: UserIx) -> Option<GroupMemberOut> {
        let user = state.user(u)?;
        Some(GroupMemberOut {
            id: user.id.to_string(),
            name: user.name.clone(),
            email: user.email.to_string(),
            kind: self.member_type(),
        })
    }
}

/// Billing groups have no description: one sent is refused rather than dropped.
fn no_description(description: Option<&String>) -> Result<(), ApiError> {
    match description {
        Some(_) => Err(ApiError::invalid("billing groups have no `description`")),
        None => Ok(()),
    }
}
