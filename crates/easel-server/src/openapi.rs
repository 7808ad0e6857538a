//! The OpenAPI 3.1 document, generated from the routes' annotations. `docs/openapi.json`
//! holds a copy, and a test fails when the two differ.

use utoipa::OpenApi;

use crate::routes::{
    apps, board_members, boards, compliance, content, directory, orgs, requests, sessions, teams,
};
use crate::{decision, lookup};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Easel",
        description = "The access-control server for collaborative whiteboards: the platform API (`/v2`) and the decision API (`/v1`).",
        license(name = "Apache-2.0")
    ),
    paths(
        decision::check,
        decision::batch,
        decision::explain,
        lookup::boards,
        lookup::subjects,
        boards::create,
        boards::list,
        boards::read,
        boards::update,
        boards::delete,
        boards::restore,
        boards::transfer,
        boards::move_board,
        boards::reset_link,
        boards::password,
        boards::copy,
        board_members::list,
        board_members::share,
        board_members::read,
        board_members::change,
        board_members::remove,
        board_members::access,
        orgs::read,
        orgs::members,
        orgs::settings,
        orgs::update_settings,
        teams::list,
        teams::create,
        teams::read,
        teams::rename,
        teams::delete,
        teams::members,
        teams::add_member,
        teams::read_member,
        teams::change_member,
        teams::remove_member,
        teams::settings,
        teams::update_settings,
        teams::join,
        teams::projects,
        teams::create_project,
        teams::read_project,
        teams::update_project,
        teams::delete_project,
        teams::project_members,
        teams::add_project_member,
        teams::read_project_member,
        teams::change_project_member,
        teams::remove_project_member,
        teams::project_settings,
        teams::update_project_settings,
        requests::access_requests,
        requests::request_access,
        requests::approve_access,
        requests::deny_access,
        requests::invitations,
        requests::invite,
        requests::revoke,
        requests::accept,
        requests::join_requests,
        requests::request_join,
        requests::decide_join,
        requests::licence_requests,
        requests::request_licence,
        requests::decide_licence,
        requests::allowlist,
        requests::set_allowlist,
        requests::app_requests,
        requests::request_app,
        requests::decide_app,
        directory::member,
        directory::change_member,
        directory::remove_member,
        directory::admin_roles,
        directory::assign_role,
        directory::remove_role,
        directory::groups,
        directory::create_group,
        directory::group,
        directory::rename_group,
        directory::delete_group,
        directory::group_members,
        directory::add_group_member,
        directory::remove_group_member,
        directory::billing_groups,
        directory::create_billing_group,
        directory::billing_group,
        directory::rename_billing_group,
        directory::delete_billing_group,
        directory::billing_members,
        directory::add_billing_member,
        directory::remove_billing_member,
        directory::domains,
        directory::add_domain,
        directory::verify_domain,
        directory::remove_domain,
        directory::domain_violations,
        content::items,
        content::comments,
        content::add_item,
        content::add_comment,
        content::item,
        content::update_item,
        content::delete_item,
        content::classification,
        content::classify,
        content::classification_settings,
        content::update_classification_settings,
        compliance::audit_logs,
        compliance::audit_settings,
        compliance::content_logs,
        compliance::cases,
        compliance::create_case,
        compliance::holds,
        compliance::add_hold,
        compliance::reset_sessions,
        compliance::default_team_settings,
        apps::register,
        apps::list,
        apps::read,
        apps::set_scopes,
        apps::remove,
        apps::installations,
        apps::install,
        apps::uninstall,
        apps::consent,
        sessions::start,
        sessions::end,
    ),
    tags(
        (name = "decision", description = "Questions other services ask: may this principal do this, and what may they reach"),
        (name = "boards", description = "Boards"),
        (name = "board members", description = "Who is on a board, and who has access and how"),
        (name = "organizations", description = "The organization, its members and settings"),
        (name = "teams", description = "Teams"),
        (name = "projects", description = "Projects of a team"),
        (name = "requests", description = "Access requests, invitations, join and licence requests"),
        (name = "directory", description = "Members, admin roles, user groups, billing groups, managed domains"),
        (name = "content", description = "Items and comments on boards; classification"),
        (name = "compliance", description = "Audit log, content log, legal cases and holds, sessions"),
        (name = "apps", description = "OAuth apps and their installations"),
        (name = "sessions", description = "Sessions of users signed in through the host product"),
    ),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// The document, as JSON.
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}
