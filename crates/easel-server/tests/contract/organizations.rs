//! Organizations, their members, the default team settings and the session reset.

use axum::http::Method;

use super::Case;

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

pub fn cases() -> Vec<Case> {
    vec![
        Case::get("enterprise-get-organization", "/v2/orgs/3141592653"),
        Case::get(
            "enterprise-get-organization-members",
            "/v2/orgs/3141592653/members?limit=2",
        ),
        Case::get(
            "enterprise-get-organization-members",
            "/v2/orgs/3141592653/members?emails=ben@acme.test,cy@acme.test",
        ),
        Case::get(
            "enterprise-get-organization-members",
            "/v2/orgs/3141592653/members?role=organization_internal_user&license=full&active=true",
        ),
        Case::get(
            "enterprise-get-organization-members",
            "/v2/orgs/3141592653/members?role=organization_external_user&limit=1",
        ),
        Case::get(
            "enterprise-get-organization-members",
            "/v2/orgs/3141592653/members?role=organization_internal_admin&license=full",
        ),
        Case::get(
            "enterprise-get-organization-member",
            "/v2/orgs/3141592653/members/usr_ana",
        ),
        Case::get(
            "enterprise-get-organization-member",
            "/v2/orgs/3141592653/members/usr_ben",
        ),
        Case::get(
            "enterprise-get-default-team-settings",
            "/v2/orgs/3141592653/default_teams_settings",
        ),
        Case::new(
            "enterprise-post-user-sessions-reset",
            Method::POST,
            "/v2/sessions/reset_all?email=cy@acme.test",
        ),
    ]
}
