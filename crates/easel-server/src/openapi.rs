//! The OpenAPI 3.1 document, generated from the routes' annotations. `docs/openapi.json`
//! holds a copy, and a test fails when the two differ.

use utoipa::OpenApi;

use crate::routes::{board_members, boards, orgs, teams};
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
    ),
    tags(
        (name = "decision", description = "Questions other services ask: may this principal do this, and what may they reach"),
        (name = "boards", description = "Boards"),
        (name = "board members", description = "Who is on a board, and who has access and how"),
        (name = "organizations", description = "The organization, its members and settings"),
        (name = "teams", description = "Teams"),
        (name = "projects", description = "Projects of a team"),
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
