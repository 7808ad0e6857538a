//! The Cedar side: Easel's board rules as Cedar policies (`policies/*.cedar`), checked
//! against their schema, and the entities and requests built from the same Easel state.
//!
//! The state's facts become entities and attributes; the channel rules stay in the
//! policies. Worked out while building, as facts the policies read: which memberships are
//! usable (user and membership active, guest not idle too long: Easel's credential layer,
//! which runs before any channel, shown as the presence or absence of the user's edge to
//! the organization), and what the organization's plan puts in force (its features, the
//! company settings that apply, the admin roles that count), read from Easel's catalogs.

use std::collections::HashSet;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, Response, RestrictedExpression, Schema, ValidationMode, Validator,
};
use easel_core::State;
use easel_core::catalog::{AdminRole, AdminRoleSet, Feature};
use easel_core::model::{BoardState, Grantee, Membership, Org, User, UserStatus};
use easel_core::roles::{Access, BoardRole, MemberKind};
use easel_core::settings::company_in_force;
use easel_core::time::{DAY_MS, Time};

use crate::dataset::Question;

/// One way of writing the rules as Cedar policies.
#[derive(Clone, Copy, Debug)]
pub struct Formulation {
    /// The name the results use.
    pub name: &'static str,
    /// The file, for messages.
    pub file: &'static str,
    /// The policies, compiled in so the binary runs from any directory.
    pub text: &'static str,
}

/// The formulations timed, the one reported as Cedar's first: one policy per capability
/// (the fastest found), then one policy per channel and capability (the usual layout).
pub const FORMULATIONS: [Formulation; 2] = [
    Formulation {
        name: "cedar",
        file: "policies/boards.cedar",
        text: include_str!("../policies/boards.cedar"),
    },
    Formulation {
        name: "cedar_per_channel",
        file: "policies/boards-by-channel.cedar",
        text: include_str!("../policies/boards-by-channel.cedar"),
    },
];

/// The schema every formulation is validated against.
pub const SCHEMA: &str = include_str!("../policies/boards.cedarschema");

/// How long a guest may be idle before `auto_deactivate_guests` shuts them out: Easel's
/// credential layer (MODEL.md §2) says 30 days.
const GUEST_IDLE_MS: i64 = 30 * DAY_MS;

/// Parses a formulation and validates it against the schema in strict mode: a policy that
/// names an unknown attribute would otherwise be skipped at run time (an evaluation error
/// makes Cedar ignore the policy), which would read as a plain deny.
pub fn policies(formulation: &Formulation) -> Result<PolicySet, String> {
    let file = formulation.file;
    let policies: PolicySet = formulation
        .text
        .parse()
        .map_err(|e| format!("{file}: {e}"))?;
    let (schema, _warnings) = Schema::from_cedarschema_str(SCHEMA)
        .map_err(|e| format!("policies/boards.cedarschema: {e}"))?;
    let result = Validator::new(schema).validate(&policies, ValidationMode::Strict);
    if !result.validation_passed() {
        let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
        return Err(format!(
            "{file} does not validate against the schema: {}",
            errors.join("; ")
        ));
    }
    Ok(policies)
}

/// Cedar's entity type names, parsed once.
struct Types {
    organization: EntityTypeName,
    company: EntityTypeName,
    admin_role: EntityTypeName,
    team_content_admins: EntityTypeName,
    team: EntityTypeName,
    group: EntityTypeName,
    project_role: EntityTypeName,
    user: EntityTypeName,
    board: EntityTypeName,
    action: EntityTypeName,
}

impl Types {
    fn new() -> Result<Types, String> {
        let parse = |name: &str| -> Result<EntityTypeName, String> {
            name.parse()
                .map_err(|e| format!("entity type `{name}`: {e}"))
        };
        Ok(Types {
            organization: parse("Organization")?,
            company: parse("Company")?,
            admin_role: parse("AdminRole")?,
            team_content_admins: parse("TeamContentAdmins")?,
            team: parse("Team")?,
            group: parse("UserGroup")?,
            project_role: parse("ProjectRole")?,
            user: parse("User")?,
            board: parse("Board")?,
            action: parse("Action")?,
        })
    }
}

fn uid(kind: &EntityTypeName, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(kind.clone(), EntityId::new(id))
}

/// The id of a role-holder entity: the role, `@`, then the org or project id. Role names
/// contain no `@`, so two different pairs never give the same id.
fn role_id(role: &str, of: &str) -> String {
    format!("{role}@{of}")
}

fn entity(
    uid: EntityUid,
    attrs: Vec<(&str, RestrictedExpression)>,
    parents: HashSet<EntityUid>,
) -> Result<Entity, String> {
    Entity::new_with_tags(
        uid,
        attrs.into_iter().map(|(k, v)| (k.to_owned(), v)),
        parents,
        [],
    )
    .map_err(|e| e.to_string())
}

fn entity_ref(uid: EntityUid) -> RestrictedExpression {
    RestrictedExpression::new_entity_uid(uid)
}

/// An access level as the policies compare it: 0 none, 1 viewer, 2 commenter, 3 editor.
fn level(access: Access) -> RestrictedExpression {
    RestrictedExpression::new_long(match access {
        Access::None => 0,
        Access::Viewer => 1,
        Access::Commenter => 2,
        Access::Editor => 3,
    })
}

/// Whether a membership lets its user act in the organization at instant `now`, as
/// Easel's credential layer decides it.
fn usable(user: &User, m: &Membership, org: &Org, now: Time) -> bool {
    let idle_guest = m.kind == MemberKind::Guest
        && company_in_force(org.plan, &org.settings).auto_deactivate_guests
        && user
            .last_active_at
            .is_some_and(|at| now.since(at) > GUEST_IDLE_MS);
    user.status == UserStatus::Active && m.active && !idle_guest
}

/// The organization-level admin roles in force for a usable membership: guests hold none;
/// with admin roles on the plan, the roles assigned; without them, the account owner holds
/// the company admin role.
fn roles_in_force(m: &Membership, org: &Org, is_owner: bool) -> AdminRoleSet {
    match m.kind {
        MemberKind::Guest => AdminRoleSet::EMPTY,
        MemberKind::Member if Feature::AdminRoles.available(org.plan, false) => m.admin_roles,
        MemberKind::Member if is_owner => AdminRole::CompanyAdmin.bit(),
        MemberKind::Member => AdminRoleSet::EMPTY,
    }
}

/// Builds every entity of the state: organizations (with their company of full members and
/// their admin-role holders), teams, groups, project roles, users and boards. The
/// transitive closure of the hierarchy is computed here, once.
pub fn entities(state: &State, now: Time) -> Result<Entities, String> {
    let t = Types::new()?;
    let mut all: Vec<Entity> = Vec::with_capacity(
        state.board_count() + state.user_count() + 5 * state.all_projects().count(),
    );

    for (_, org) in state.all_orgs() {
        let has =
            |f: Feature| RestrictedExpression::new_bool(f.available(org.plan, org.has_guard()));
        let company_settings = company_in_force(org.plan, &org.settings);
        let organization = uid(&t.organization, &org.id);
        let company_admins = uid(
            &t.admin_role,
            &role_id(AdminRole::CompanyAdmin.as_str(), &org.id),
        );
        let content_admins = uid(
            &t.admin_role,
            &role_id(AdminRole::ContentAdmin.as_str(), &org.id),
        );
        all.push(entity(
            organization.clone(),
            vec![
                ("projects", has(Feature::Projects)),
                ("company_sharing", has(Feature::CompanySharing)),
                ("team_sharing_optional", has(Feature::TeamSharingOptional)),
                ("admin_roles", has(Feature::AdminRoles)),
                (
                    "extended_content_admin",
                    RestrictedExpression::new_bool(company_settings.extended_content_admin),
                ),
                ("company_admins", entity_ref(company_admins.clone())),
                ("content_admins", entity_ref(content_admins.clone())),
            ],
            HashSet::new(),
        )?);
        all.push(Entity::new_no_attrs(
            uid(&t.company, &org.id),
            HashSet::from([organization]),
        ));
        all.push(Entity::new_no_attrs(company_admins, HashSet::new()));
        all.push(Entity::new_no_attrs(content_admins, HashSet::new()));
    }

    let team_uid = |ix| {
        state
            .team(ix)
            .map(|team| uid(&t.team, &team.id))
            .ok_or_else(|| format!("no team at {ix:?}"))
    };
    for (_, team) in state.all_teams() {
        let sharing = team.settings.team_and_company_sharing;
        let admins = uid(&t.team_content_admins, &team.id);
        all.push(entity(
            uid(&t.team, &team.id),
            vec![
                ("team_sharing", RestrictedExpression::new_bool(sharing.team)),
                (
                    "company_sharing",
                    RestrictedExpression::new_bool(sharing.company),
                ),
                ("content_admins", entity_ref(admins.clone())),
            ],
            HashSet::new(),
        )?);
        all.push(Entity::new_no_attrs(admins, HashSet::new()));
    }

    for (_, group) in state.all_groups() {
        let teams = group
            .teams
            .iter()
            .map(|&ix| team_uid(ix))
            .collect::<Result<HashSet<_>, _>>()?;
        all.push(Entity::new_no_attrs(uid(&t.group, &group.id), teams));
    }

    // Each project's roles, each inside the one below it, so that "at least editor" is
    // membership of `editor@p`.
    for (_, project) in state.all_projects() {
        let mut below: Option<EntityUid> = None;
        for role in BoardRole::ALL {
            let me = uid(&t.project_role, &role_id(role.as_str(), &project.id));
            all.push(Entity::new_no_attrs(
                me.clone(),
                below.into_iter().collect(),
            ));
            below = Some(me);
        }
    }

    for (uix, user) in state.all_users() {
        let mut parents = HashSet::new();
        for m in &user.orgs {
            let org = state
                .org(m.org)
                .ok_or_else(|| format!("user {} is in an unknown organization", user.id))?;
            if !usable(user, m, org, now) {
                continue;
            }
            parents.insert(match m.kind {
                MemberKind::Member => uid(&t.company, &org.id),
                MemberKind::Guest => uid(&t.organization, &org.id),
            });
            for role in roles_in_force(m, org, org.owner == Some(uix)).iter() {
                parents.insert(uid(&t.admin_role, &role_id(role.as_str(), &org.id)));
            }
        }
        for &(team, _) in &user.teams {
            parents.insert(team_uid(team)?);
        }
        for &team in &user.content_admin_teams {
            let team = state
                .team(team)
                .ok_or_else(|| format!("user {} administers an unknown team", user.id))?;
            parents.insert(uid(&t.team_content_admins, &team.id));
        }
        for &(project, role) in &user.projects {
            let project = state
                .project(project)
                .ok_or_else(|| format!("user {} is in an unknown project", user.id))?;
            parents.insert(uid(&t.project_role, &role_id(role.as_str(), &project.id)));
        }
        for &group in &user.groups {
            let group = state
                .group(group)
                .ok_or_else(|| format!("user {} is in an unknown group", user.id))?;
            parents.insert(uid(&t.group, &group.id));
        }
        all.push(Entity::new_no_attrs(uid(&t.user, &user.id), parents));
    }

    for (_, board) in state.all_boards() {
        all.push(board_entity(state, &t, board)?);
    }

    Entities::from_entities(all, None).map_err(|e| format!("building the Cedar entities: {e}"))
}

/// Grant sets by role: viewer, commenter, editor, co-owner (an owner grant, were there one,
/// counts with the co-owners: both are above editor).
const GRANT_ATTRS: [(&str, &str); 4] = [
    ("viewers", "viewer_groups"),
    ("commenters", "commenter_groups"),
    ("editors", "editor_groups"),
    ("coowners", "coowner_groups"),
];

fn board_entity(
    state: &State,
    t: &Types,
    board: &easel_core::model::Board,
) -> Result<Entity, String> {
    let missing = |what: &str| format!("board {} names an unknown {what}", board.id);
    let org = state
        .org(board.org)
        .ok_or_else(|| missing("organization"))?;
    let team = state.team(board.team).ok_or_else(|| missing("team"))?;
    let owner = state.user(board.owner).ok_or_else(|| missing("owner"))?;
    let status = match board.state {
        BoardState::Active => "active",
        BoardState::Trashed(_) => "trashed",
        BoardState::Purged => "purged",
    };
    let mut attrs = vec![
        ("organization", entity_ref(uid(&t.organization, &org.id))),
        ("company", entity_ref(uid(&t.company, &org.id))),
        ("team", entity_ref(uid(&t.team, &team.id))),
        ("owner", entity_ref(uid(&t.user, &owner.id))),
        ("state", RestrictedExpression::new_string(status.to_owned())),
        ("team_access", level(board.team_access)),
        ("company_access", level(board.company_access)),
    ];
    if let Some(project) = board.project {
        let project = state.project(project).ok_or_else(|| missing("project"))?;
        for (attr, role) in [
            ("project_viewers", BoardRole::Viewer),
            ("project_editors", BoardRole::Editor),
        ] {
            let holders = uid(&t.project_role, &role_id(role.as_str(), &project.id));
            attrs.push((attr, entity_ref(holders)));
        }
    }
    let mut users: [Vec<RestrictedExpression>; 4] = Default::default();
    let mut groups: [Vec<RestrictedExpression>; 4] = Default::default();
    for (grantee, role) in &board.grants {
        let slot = match role {
            BoardRole::Viewer => 0,
            BoardRole::Commenter => 1,
            BoardRole::Editor => 2,
            BoardRole::Coowner | BoardRole::Owner => 3,
        };
        match grantee {
            Grantee::User(u) => {
                let user = state.user(u).ok_or_else(|| missing("grantee"))?;
                users[slot].push(entity_ref(uid(&t.user, &user.id)));
            }
            Grantee::Group(g) => {
                let group = state.group(g).ok_or_else(|| missing("group"))?;
                groups[slot].push(entity_ref(uid(&t.group, &group.id)));
            }
        }
    }
    // Empty sets are left out (the schema makes them optional): most boards have a
    // handful of grants, and absent attributes cost Cedar no memory.
    for (((user_attr, group_attr), users), groups) in GRANT_ATTRS.into_iter().zip(users).zip(groups)
    {
        if !users.is_empty() {
            attrs.push((user_attr, RestrictedExpression::new_set(users)));
        }
        if !groups.is_empty() {
            attrs.push((group_attr, RestrictedExpression::new_set(groups)));
        }
    }
    entity(uid(&t.board, &board.id), attrs, HashSet::new())
}

/// The Cedar requests for the questions, built before anything is timed.
pub fn requests(state: &State, questions: &[Question]) -> Result<Vec<Request>, String> {
    let t = Types::new()?;
    let view = uid(&t.action, "board.view");
    let edit = uid(&t.action, "board.edit_content");
    questions
        .iter()
        .map(|q| {
            let user = state
                .user(q.user)
                .ok_or("a question names an unknown user")?;
            let board = state
                .board(q.board)
                .ok_or("a question names an unknown board")?;
            let action = if q.edit { &edit } else { &view };
            Request::new(
                uid(&t.user, &user.id),
                action.clone(),
                uid(&t.board, &board.id),
                Context::empty(),
                None,
            )
            .map_err(|e| e.to_string())
        })
        .collect()
}

/// Cedar's answer, and the evaluation errors it met (each one a policy Cedar skipped).
pub fn answer(
    authorizer: &Authorizer,
    request: &Request,
    policies: &PolicySet,
    entities: &Entities,
) -> (bool, Vec<String>) {
    let response: Response = authorizer.is_authorized(request, policies, entities);
    let errors = response
        .diagnostics()
        .errors()
        .map(|e| e.to_string())
        .collect();
    (response.decision() == Decision::Allow, errors)
}
