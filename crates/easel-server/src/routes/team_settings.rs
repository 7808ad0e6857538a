//! A team's settings in the reference platform's nested shape (`teamSharingPolicySettings`
//! ...), each field mapped onto Easel's team settings of the catalog, with Easel's own flat
//! keys beside them; and the settings a new team starts with.
//!
//! Easel's settings are the truth: a reference value Easel cannot hold (a team access of
//! `view` on new boards, where Easel shares them with the team as editors) is refused with
//! a 400 naming it, never stored as something else.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use easel_core::command::Command;
use easel_core::settings::{
    CopyAccess, CopyContent, Creators, PublicLinkSharing, SharingAccess, SharingLevel,
    TeamDiscovery, TeamSettings, WhoCanInvite,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::orgs::{merged, seen_org};
use super::teams::seen_team;
use super::{revision_header, run};
use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::scopes::{ORG_READ, TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use crate::wire::{Json, Path};
use utoipa_axum::routes;

/// The team settings routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(routes!(settings), TEAMS_READ)
        .add(routes!(update_settings), TEAMS_WRITE)
        .add(routes!(default_team_settings), ORG_READ)
}

/// `teamAccountDiscoverySettings`: Easel's `team_discovery`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamAccountDiscoverySettings {
    /// `hidden`, `request` (`request_to_join`) or `join` (`open`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_discovery: Option<String>,
}

/// `teamCollaborationSettings`: Easel's `coowner_role`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamCollaborationSettings {
    /// `enabled` or `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co_owner_role: Option<String>,
}

/// `teamCopyAccessLevelSettings`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamCopyAccessLevelSettings {
    /// Who may copy content of new boards (`default_board_content.copy_access`): `anyone`,
    /// `team_members`, `team_editors` (`editors`) or `board_owner` (`owner_only`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_access_level: Option<String>,
    /// To whom copying may be opened (`copy_content`): `anyone` (`anyone_with_access`) or
    /// `team_members`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_access_level_limitation: Option<String>,
}

/// `teamInvitationSettings`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamInvitationSettings {
    /// Whether members may invite guests to the team's boards (`guest_invites`):
    /// `allowed` or `not_allowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_external_users: Option<String>,
    /// `only_org_admins` (`company_admins`), `admins` (`company_and_team_admins`) or
    /// `all_members`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who_can_invite: Option<String>,
}

/// `teamSharingPolicySettings`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamSharingPolicySettings {
    /// The email domains of `allowed_domains` (empty when off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_listed_domains: Option<Vec<String>>,
    /// Who may create boards, projects and templates (`who_can_create`, the same for all
    /// three when set here): `company_admins`, `admins` (`company_and_team_admins`) or
    /// `all_members`. Read, it is the value for boards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_asset_access_level: Option<String>,
    /// The team's access to new boards (`default_sharing.boards`): `private` or `edit`
    /// (the team shares a new board as editors); `view` and `comment` are not held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_board_access: Option<String>,
    /// Who may share new boards (`default_board_content.sharing_access`):
    /// `team_members_with_editing_rights` (`editors`) or `owner_and_coowners`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_board_sharing_access: Option<String>,
    /// The company's access to new boards (`default_sharing.boards` = `company`): `private`
    /// or `view`; `comment` and `edit` are not held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_organization_access: Option<String>,
    /// The team's access to new projects (`default_sharing.projects`): `private` or `view`
    /// (`team`; a project shared with the company reads `view` too).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_project_access: Option<String>,
    /// Whether boards may move into and out of the team (`board_moving`): `allowed` or
    /// `not_allowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub move_board_to_account: Option<String>,
    /// `enabled` (an allowlist is in force) or `disabled`;
    /// `enabled_with_external_user_access` is not held for a team.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrict_allowed_domains: Option<String>,
    /// Sharing with the whole team (`team_and_company_sharing.team`): `allowed` or
    /// `not_allowed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_on_account: Option<String>,
    /// Sharing with the whole company (`team_and_company_sharing.company`):
    /// `allowed_with_editing` (Easel's company sharing is at any level) or `not_allowed`;
    /// `allowed` alone is not held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_on_organization: Option<String>,
    /// Public links (`public_link_sharing`): `not_allowed` (`off`), `allowed`
    /// (`view_comment`) or `allowed_with_editing` (`any`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_via_public_link: Option<String>,
}

/// The changes the reference's body names: each group and field optional.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamSettingsChanges {
    /// How members find the team.
    #[serde(default)]
    pub team_account_discovery_settings: Option<TeamAccountDiscoverySettings>,
    /// Co-owners.
    #[serde(default)]
    pub team_collaboration_settings: Option<TeamCollaborationSettings>,
    /// Copying content.
    #[serde(default)]
    pub team_copy_access_level_settings: Option<TeamCopyAccessLevelSettings>,
    /// Invitations.
    #[serde(default)]
    pub team_invitation_settings: Option<TeamInvitationSettings>,
    /// Sharing.
    #[serde(default)]
    pub team_sharing_policy_settings: Option<TeamSharingPolicySettings>,
}

/// A team's settings: the reference's nested groups, then Easel's own keys as the settings
/// catalog names them (`team_discovery`, `default_sharing` ...), which a client may send
/// back as they are.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TeamSettingsOut {
    /// The organization.
    pub organization_id: String,
    /// The team; absent on the settings a new team starts with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// How members find the team.
    pub team_account_discovery_settings: TeamAccountDiscoverySettings,
    /// Co-owners.
    pub team_collaboration_settings: TeamCollaborationSettings,
    /// Copying content.
    pub team_copy_access_level_settings: TeamCopyAccessLevelSettings,
    /// Invitations.
    pub team_invitation_settings: TeamInvitationSettings,
    /// Sharing.
    pub team_sharing_policy_settings: TeamSharingPolicySettings,
    /// Always `team-settings`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Easel's settings, keyed as in the settings catalog.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub easel: TeamSettings,
}

fn allowed(on: bool) -> String {
    if on { "allowed" } else { "not_allowed" }.to_string()
}

fn creators(c: Creators) -> &'static str {
    match c {
        Creators::CompanyAdmins => "company_admins",
        Creators::CompanyAndTeamAdmins => "admins",
        Creators::AllMembers => "all_members",
    }
}

/// The settings `s` in both shapes.
pub fn settings_out(s: &TeamSettings, org: &str, team: Option<&str>) -> TeamSettingsOut {
    let some = |t: &str| Some(t.to_string());
    TeamSettingsOut {
        organization_id: org.to_string(),
        team_id: team.map(str::to_string),
        team_account_discovery_settings: TeamAccountDiscoverySettings {
            account_discovery: some(match s.team_discovery {
                TeamDiscovery::Hidden => "hidden",
                TeamDiscovery::RequestToJoin => "request",
                TeamDiscovery::Open => "join",
            }),
        },
        team_collaboration_settings: TeamCollaborationSettings {
            co_owner_role: some(if s.coowner_role {
                "enabled"
            } else {
                "disabled"
            }),
        },
        team_copy_access_level_settings: TeamCopyAccessLevelSettings {
            copy_access_level: some(match s.default_board_content.copy_access {
                CopyAccess::AnyoneWithAccess => "anyone",
                CopyAccess::TeamMembers => "team_members",
                CopyAccess::Editors => "team_editors",
                CopyAccess::OwnerOnly => "board_owner",
            }),
            copy_access_level_limitation: some(match s.copy_content {
                CopyContent::AnyoneWithAccess => "anyone",
                CopyContent::TeamMembers => "team_members",
            }),
        },
        team_invitation_settings: TeamInvitationSettings {
            invite_external_users: Some(allowed(s.guest_invites)),
            who_can_invite: some(match s.who_can_invite {
                WhoCanInvite::CompanyAdmins => "only_org_admins",
                WhoCanInvite::CompanyAndTeamAdmins => "admins",
                WhoCanInvite::AllMembers => "all_members",
            }),
        },
        team_sharing_policy_settings: TeamSharingPolicySettings {
            allow_listed_domains: Some(s.allowed_domains.clone().unwrap_or_default()),
            create_asset_access_level: some(creators(s.who_can_create.boards)),
            default_board_access: some(match s.default_sharing.boards {
                SharingLevel::Private => "private",
                SharingLevel::Team | SharingLevel::Company => "edit",
            }),
            default_board_sharing_access: some(match s.default_board_content.sharing_access {
                SharingAccess::Editors => "team_members_with_editing_rights",
                SharingAccess::OwnerAndCoowners => "owner_and_coowners",
            }),
            default_organization_access: some(match s.default_sharing.boards {
                SharingLevel::Company => "view",
                SharingLevel::Private | SharingLevel::Team => "private",
            }),
            default_project_access: some(match s.default_sharing.projects {
                SharingLevel::Private => "private",
                SharingLevel::Team | SharingLevel::Company => "view",
            }),
            move_board_to_account: Some(allowed(s.board_moving)),
            restrict_allowed_domains: some(if s.allowed_domains.is_some() {
                "enabled"
            } else {
                "disabled"
            }),
            sharing_on_account: Some(allowed(s.team_and_company_sharing.team)),
            sharing_on_organization: some(if s.team_and_company_sharing.company {
                "allowed_with_editing"
            } else {
                "not_allowed"
            }),
            sharing_via_public_link: some(match s.public_link_sharing {
                PublicLinkSharing::Off => "not_allowed",
                PublicLinkSharing::ViewComment => "allowed",
                PublicLinkSharing::Any => "allowed_with_editing",
            }),
        },
        kind: "team-settings",
        easel: s.clone(),
    }
}

/// A value of `field` that Easel cannot hold, or does not know: a 400 naming both.
fn refused(field: &str, value: &str, why: &str) -> ApiError {
    ApiError::invalid(format!("`{field}` = `{value}` is not supported: {why}"))
}

/// Reads one field's value through `map`, or refuses it.
fn pick<T>(
    field: &str,
    value: Option<&String>,
    map: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    value
        .map(|v| map(v).ok_or_else(|| refused(field, v, "Easel's team settings cannot hold it")))
        .transpose()
}

fn on_off(
    field: &str,
    value: Option<&String>,
    yes: &str,
    no: &str,
) -> Result<Option<bool>, ApiError> {
    pick(field, value, |v| match v {
        v if v == yes => Some(true),
        v if v == no => Some(false),
        _ => None,
    })
}

/// `current` with the reference's `changes` applied, field by field.
pub fn apply(
    current: TeamSettings,
    changes: &TeamSettingsChanges,
) -> Result<TeamSettings, ApiError> {
    let mut s = current;
    if let Some(d) = &changes.team_account_discovery_settings
        && let Some(v) = pick(
            "accountDiscovery",
            d.account_discovery.as_ref(),
            |v| match v {
                "hidden" => Some(TeamDiscovery::Hidden),
                "request" => Some(TeamDiscovery::RequestToJoin),
                "join" => Some(TeamDiscovery::Open),
                _ => None,
            },
        )?
    {
        s.team_discovery = v;
    }
    if let Some(c) = &changes.team_collaboration_settings
        && let Some(v) = on_off(
            "coOwnerRole",
            c.co_owner_role.as_ref(),
            "enabled",
            "disabled",
        )?
    {
        s.coowner_role = v;
    }
    if let Some(c) = &changes.team_copy_access_level_settings {
        if let Some(v) = pick(
            "copyAccessLevel",
            c.copy_access_level.as_ref(),
            |v| match v {
                "anyone" => Some(CopyAccess::AnyoneWithAccess),
                "team_members" => Some(CopyAccess::TeamMembers),
                "team_editors" => Some(CopyAccess::Editors),
                "board_owner" => Some(CopyAccess::OwnerOnly),
                _ => None,
            },
        )? {
            s.default_board_content.copy_access = v;
        }
        if let Some(v) = pick(
            "copyAccessLevelLimitation",
            c.copy_access_level_limitation.as_ref(),
            |v| match v {
                "anyone" => Some(CopyContent::AnyoneWithAccess),
                "team_members" => Some(CopyContent::TeamMembers),
                _ => None,
            },
        )? {
            s.copy_content = v;
        }
    }
    if let Some(i) = &changes.team_invitation_settings {
        if let Some(v) = on_off(
            "inviteExternalUsers",
            i.invite_external_users.as_ref(),
            "allowed",
            "not_allowed",
        )? {
            s.guest_invites = v;
        }
        if let Some(v) = pick("whoCanInvite", i.who_can_invite.as_ref(), |v| match v {
            "only_org_admins" => Some(WhoCanInvite::CompanyAdmins),
            "admins" => Some(WhoCanInvite::CompanyAndTeamAdmins),
            "all_members" => Some(WhoCanInvite::AllMembers),
            _ => None,
        })? {
            s.who_can_invite = v;
        }
    }
    if let Some(p) = &changes.team_sharing_policy_settings {
        sharing_policy(&mut s, p)?;
    }
    Ok(s)
}

/// `teamSharingPolicySettings` onto `s`.
fn sharing_policy(s: &mut TeamSettings, p: &TeamSharingPolicySettings) -> Result<(), ApiError> {
    match p.restrict_allowed_domains.as_deref() {
        None => {
            if let Some(list) = &p.allow_listed_domains {
                if s.allowed_domains.is_none() && !list.is_empty() {
                    return Err(ApiError::invalid(
                        "`allowListedDomains` is held while `restrictAllowedDomains` is `enabled`: send both",
                    ));
                }
                if s.allowed_domains.is_some() {
                    s.allowed_domains = Some(list.clone());
                }
            }
        }
        Some("enabled") => {
            let list = p
                .allow_listed_domains
                .clone()
                .or_else(|| s.allowed_domains.clone())
                .unwrap_or_default();
            s.allowed_domains = Some(list);
        }
        Some("disabled") => {
            if p.allow_listed_domains
                .as_ref()
                .is_some_and(|l| !l.is_empty())
            {
                return Err(ApiError::invalid(
                    "`allowListedDomains` cannot be kept while `restrictAllowedDomains` is `disabled`",
                ));
            }
            s.allowed_domains = None;
        }
        Some(other) => {
            return Err(refused(
                "restrictAllowedDomains",
                other,
                "a team's allowlist has no exception for external users",
            ));
        }
    }
    if let Some(v) = pick(
        "createAssetAccessLevel",
        p.create_asset_access_level.as_ref(),
        |v| match v {
            "company_admins" => Some(Creators::CompanyAdmins),
            "admins" => Some(Creators::CompanyAndTeamAdmins),
            "all_members" => Some(Creators::AllMembers),
            _ => None,
        },
    )? {
        s.who_can_create.boards = v;
        s.who_can_create.projects = v;
        s.who_can_create.templates = v;
    }
    // The team's and the company's access to new boards are one setting in Easel
    // (`default_sharing.boards`): private, the team as editors, or the team as editors and
    // the company as viewers.
    let team = pick(
        "defaultBoardAccess",
        p.default_board_access.as_ref(),
        |v| match v {
            "private" => Some(false),
            "edit" => Some(true),
            _ => None,
        },
    )?;
    let company = pick(
        "defaultOrganizationAccess",
        p.default_organization_access.as_ref(),
        |v| match v {
            "private" => Some(false),
            "view" => Some(true),
            _ => None,
        },
    )?;
    if team.is_some() || company.is_some() {
        let now = s.default_sharing.boards;
        let team = team.unwrap_or(now != SharingLevel::Private);
        let company = company.unwrap_or(now == SharingLevel::Company);
        s.default_sharing.boards = match (team, company) {
            (false, false) => SharingLevel::Private,
            (true, false) => SharingLevel::Team,
            (true, true) => SharingLevel::Company,
            (false, true) => {
                return Err(ApiError::invalid(
                    "a new board shared with the company is shared with its team too: `defaultOrganizationAccess` = `view` needs `defaultBoardAccess` = `edit`",
                ));
            }
        };
    }
    if let Some(v) = pick(
        "defaultBoardSharingAccess",
        p.default_board_sharing_access.as_ref(),
        |v| match v {
            "team_members_with_editing_rights" => Some(SharingAccess::Editors),
            "owner_and_coowners" => Some(SharingAccess::OwnerAndCoowners),
            _ => None,
        },
    )? {
        s.default_board_content.sharing_access = v;
    }
    if let Some(v) = pick(
        "defaultProjectAccess",
        p.default_project_access.as_ref(),
        |v| match v {
            "private" => Some(SharingLevel::Private),
            "view" => Some(SharingLevel::Team),
            _ => None,
        },
    )? {
        // `view` keeps a project default of the company, which reads `view` too.
        if !(v == SharingLevel::Team && s.default_sharing.projects == SharingLevel::Company) {
            s.default_sharing.projects = v;
        }
    }
    if let Some(v) = on_off(
        "moveBoardToAccount",
        p.move_board_to_account.as_ref(),
        "allowed",
        "not_allowed",
    )? {
        s.board_moving = v;
    }
    if let Some(v) = on_off(
        "sharingOnAccount",
        p.sharing_on_account.as_ref(),
        "allowed",
        "not_allowed",
    )? {
        s.team_and_company_sharing.team = v;
    }
    if let Some(v) = on_off(
        "sharingOnOrganization",
        p.sharing_on_organization.as_ref(),
        "allowed_with_editing",
        "not_allowed",
    )? {
        s.team_and_company_sharing.company = v;
    }
    if let Some(v) = pick(
        "sharingViaPublicLink",
        p.sharing_via_public_link.as_ref(),
        |v| match v {
            "not_allowed" => Some(PublicLinkSharing::Off),
            "allowed" => Some(PublicLinkSharing::ViewComment),
            "allowed_with_editing" => Some(PublicLinkSharing::Any),
            _ => None,
        },
    )? {
        s.public_link_sharing = v;
    }
    Ok(())
}

/// The reference's groups of a body, taken out of it; what is left are Easel's flat keys
/// (and the read-only `type`, `organizationId` and `teamId` of an answer sent back, which
/// change nothing).
fn split(mut body: Value) -> Result<(TeamSettingsChanges, Value), ApiError> {
    let Some(object) = body.as_object_mut() else {
        return Err(ApiError::new(
            easel_core::codes::Code::RequestInvalidJson,
            "the body is an object of settings",
        ));
    };
    for key in ["type", "organizationId", "teamId"] {
        object.remove(key);
    }
    let mut nested = serde_json::Map::new();
    for key in [
        "teamAccountDiscoverySettings",
        "teamCollaborationSettings",
        "teamCopyAccessLevelSettings",
        "teamInvitationSettings",
        "teamSharingPolicySettings",
    ] {
        if let Some(v) = object.remove(key) {
            nested.insert(key.to_string(), v);
        }
    }
    let changes = serde_json::from_value(Value::Object(nested))
        .map_err(|e| ApiError::new(easel_core::codes::Code::RequestInvalidJson, e.to_string()))?;
    Ok((changes, body))
}

/// The team's settings.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/teams/{team_id}/settings", tag = "teams",
    operation_id = "enterprise-get-team-settings",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    responses((status = 200, body = TeamSettingsOut)))]
pub async fn settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
    let x = state
        .team(t)
        .ok_or_else(|| ApiError::not_found("team", &team))?;
    let org_id = state.org(x.org).map(|o| o.id.to_string()).unwrap_or(org);
    super::sorted(&settings_out(&x.settings, &org_id, Some(&x.id)))
}

/// Change some team settings, in the reference's nested shape or by Easel's own keys (or
/// both); each changed key needs its own right.
#[utoipa::path(patch, path = "/v2/orgs/{org_id}/teams/{team_id}/settings", tag = "teams",
    operation_id = "enterprise-update-team-settings",
    params(("org_id" = String, Path, description = "the organization"), ("team_id" = String, Path, description = "the team")),
    request_body = TeamSettingsChanges,
    responses((status = 200, body = TeamSettingsOut)))]
pub async fn update_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path((org, team)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let (changes, flat) = split(body)?;
    let next: TeamSettings = {
        let reader = app.engine.read();
        let state = reader.state();
        let t = seen_team(state, &caller, &org, &team, app.engine.now())?;
        let x = state
            .team(t)
            .ok_or_else(|| ApiError::not_found("team", &team))?;
        let next = apply(merged(&x.settings, flat)?, &changes)?;
        // A body that changes nothing (an answer sent back as it is) is answered as a read
        // would be, at the current revision: the engine has nothing to decide.
        if next == x.settings {
            let org_id = state.org(x.org).map_or(org.as_str(), |o| &o.id);
            let out = settings_out(&x.settings, org_id, Some(&x.id));
            return Ok(revision_header(StatusCode::OK, &out, reader.revision()));
        }
        next
    };
    let w = run(
        &app,
        &caller,
        Command::UpdateTeamSettings {
            team: team.clone(),
            settings: next,
        },
    )
    .await?;
    let reader = app.engine.read();
    let state = reader.state();
    let out = state.find_team(&team).and_then(|t| state.team(t)).map(|x| {
        let org_id = state.org(x.org).map_or(org.as_str(), |o| &o.id);
        settings_out(&x.settings, org_id, Some(&x.id))
    });
    Ok(revision_header(StatusCode::OK, &out, w.revision))
}

/// The settings a new team starts with.
#[utoipa::path(get, path = "/v2/orgs/{org_id}/default_teams_settings", tag = "teams",
    operation_id = "enterprise-get-default-team-settings",
    params(("org_id" = String, Path, description = "the organization")),
    responses((status = 200, body = TeamSettingsOut)))]
pub async fn default_team_settings(
    State(app): State<AppState>,
    caller: Caller,
    Path(org): Path<String>,
) -> Result<axum::Json<Value>, ApiError> {
    let reader = app.engine.read();
    let state = reader.state();
    let o = seen_org(state, &caller, &org, None, app.engine.now())?;
    let org_id = state.org(o).map(|x| x.id.to_string()).unwrap_or(org);
    super::sorted(&settings_out(&TeamSettings::default(), &org_id, None))
}
