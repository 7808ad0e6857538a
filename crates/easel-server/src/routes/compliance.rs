//! Audit and compliance: the audit log (and its export), audit retention, the content log
//! (`audit`); legal cases and holds (`cases`); board classification (`classification`).

pub mod audit;
mod cases;
mod classification;

use crate::scopes::{BOARDS_READ, BOARDS_WRITE, CASES, ORG_READ, Rule, TEAMS_READ, TEAMS_WRITE};
use crate::table::Routes;
use easel_core::catalog::Scope;
use utoipa_axum::routes;

pub(crate) use audit::audit_out;
pub use audit::{AuditChangeOut, AuditOut, ContentLogOut, IdName};
pub use cases::{CaseOut, HoldOut};

/// The compliance routes, each with the scopes that admit an app token.
pub(super) fn routes() -> Routes {
    Routes::new()
        .add(
            routes!(audit::audit_logs),
            Rule::OneOf(&[Scope::AuditlogsRead]),
        )
        .add(routes!(audit::audit_settings), Rule::NotForApps)
        .add(
            routes!(audit::content_logs),
            Rule::OneOf(&[Scope::ContentlogsExport]),
        )
        .add(routes!(cases::cases), CASES)
        .add(routes!(cases::create_case), CASES)
        .add(routes!(cases::case), CASES)
        .add(routes!(cases::edit_case), CASES)
        .add(routes!(cases::delete_case), CASES)
        .add(routes!(cases::holds), CASES)
        .add(routes!(cases::add_hold), CASES)
        .add(routes!(cases::hold), CASES)
        .add(routes!(cases::edit_hold), CASES)
        .add(routes!(cases::delete_hold), CASES)
        .add(routes!(cases::held_items), CASES)
        .add(routes!(classification::classification), BOARDS_READ)
        .add(routes!(classification::classify), BOARDS_WRITE)
        .add(routes!(classification::classification_settings), ORG_READ)
        .add(
            routes!(classification::update_classification_settings),
            Rule::NotForApps,
        )
        .add(routes!(classification::team_settings), TEAMS_READ)
        .add(routes!(classification::update_team_settings), TEAMS_WRITE)
        .add(routes!(classification::classify_team_boards), BOARDS_WRITE)
}
