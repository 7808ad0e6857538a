//! Teams in the reference platform's shapes: the nested team settings and what Easel
//! refuses of them, groups in teams from both sides, team members by email, and the
//! bodiless answers (deletes, the session reset).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use axum::http::{Method, StatusCode};
use common::{assert_error, demo_app};
use serde_json::json;

const SETTINGS: &str = "/v2/orgs/3141592653/teams/team_design/settings";

#[tokio::test]
async fn team_settings_map_onto_easels_and_refuse_what_it_cannot_hold() {
    let (app, demo) = demo_app();
    let admin = demo.admin_token.as_str();
    let r = app.get(SETTINGS, admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["type"], "team-settings");
    assert_eq!(r.body["teamId"], "team_design");
    assert_eq!(r.body["organizationId"], "3141592653");
    // Easel's own keys stay beside the reference's groups.
    assert_eq!(
        r.body["team_discovery"],
        r.body["teamAccountDiscoverySettings"]["accountDiscovery"]
            .as_str()
            .map(|d| match d {
                "request" => "request_to_join",
                "join" => "open",
                other => other,
            })
            .unwrap()
    );

    let r = app
        .call(
            Method::PATCH,
            SETTINGS,
            Some(admin),
            Some(json!({
                "teamAccountDiscoverySettings": {"accountDiscovery": "join"},
                "teamCollaborationSettings": {"coOwnerRole": "disabled"},
                "teamCopyAccessLevelSettings": {"copyAccessLevel": "team_editors", "copyAccessLevelLimitation": "team_members"},
                "teamInvitationSettings": {"inviteExternalUsers": "not_allowed", "whoCanInvite": "admins"},
                "teamSharingPolicySettings": {
                    "restrictAllowedDomains": "enabled",
                    "allowListedDomains": ["acme.test"],
                    "createAssetAccessLevel": "admins",
                    "defaultBoardAccess": "edit",
                    "defaultOrganizationAccess": "view",
                    "defaultBoardSharingAccess": "owner_and_coowners",
                    "defaultProjectAccess": "private",
                    "moveBoardToAccount": "not_allowed",
                    "sharingOnAccount": "allowed",
                    "sharingOnOrganization": "not_allowed",
                    "sharingViaPublicLink": "not_allowed"
                }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert_eq!(b["team_discovery"], "open");
    assert_eq!(b["coowner_role"], false);
    assert_eq!(b["default_board_content"]["copy_access"], "editors");
    assert_eq!(
        b["default_board_content"]["sharing_access"],
        "owner_and_coowners"
    );
    assert_eq!(b["copy_content"], "team_members");
    assert_eq!(b["guest_invites"], false);
    assert_eq!(b["who_can_invite"], "company_and_team_admins");
    assert_eq!(b["allowed_domains"], json!(["acme.test"]));
    assert_eq!(b["who_can_create"]["templates"], "company_and_team_admins");
    assert_eq!(
        b["default_sharing"],
        json!({"boards": "company", "projects": "private"})
    );
    assert_eq!(b["board_moving"], false);
    assert_eq!(
        b["team_and_company_sharing"],
        json!({"team": true, "company": false})
    );
    assert_eq!(b["public_link_sharing"], "off");
    // And read back in the reference's words.
    let p = &b["teamSharingPolicySettings"];
    assert_eq!(p["defaultOrganizationAccess"], "view");
    assert_eq!(p["restrictAllowedDomains"], "enabled");
    assert_eq!(b["teamInvitationSettings"]["whoCanInvite"], "admins");

    // Easel's flat keys are still taken, and an answer sent back as it is changes nothing.
    let r = app
        .call(
            Method::PATCH,
            SETTINGS,
            Some(admin),
            Some(json!({"board_moving": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["teamSharingPolicySettings"]["moveBoardToAccount"],
        "allowed"
    );
    let before = r.body.clone();
    let r = app
        .call(Method::PATCH, SETTINGS, Some(admin), Some(before.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body, before);

    // Values Easel cannot hold are refused, and nothing is written.
    for bad in [
        json!({"teamSharingPolicySettings": {"defaultBoardAccess": "view"}}),
        json!({"teamSharingPolicySettings": {"defaultOrganizationAccess": "edit"}}),
        json!({"teamSharingPolicySettings": {"sharingOnOrganization": "allowed"}}),
        json!({"teamSharingPolicySettings": {"restrictAllowedDomains": "enabled_with_external_user_access"}}),
        json!({"teamSharingPolicySettings": {"defaultBoardAccess": "private", "defaultOrganizationAccess": "view"}}),
        json!({"teamCollaborationSettings": {"coOwnerRole": "sometimes"}}),
    ] {
        let r = app
            .call(Method::PATCH, SETTINGS, Some(admin), Some(bad.clone()))
            .await;
        assert_error(&r, 400, "request.invalid_parameter");
    }
    let r = app
        .call(
            Method::PATCH,
            SETTINGS,
            Some(admin),
            Some(json!({"teamCollaborationSettings": {"nope": "enabled"}})),
        )
        .await;
    assert_error(&r, 400, "request.invalid_json");
    assert_eq!(app.get(SETTINGS, admin).await.body, before);

    let r = app
        .get("/v2/orgs/3141592653/default_teams_settings", admin)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["type"], "team-settings");
    assert!(r.body.get("teamId").is_none());
}

#[tokio::test]
async fn groups_in_teams_from_both_sides() {
    let (app, demo) = demo_app();
    let admin = demo.admin_token.as_str();
    let r = app
        .post(
            "/v2/orgs/3141592653/teams/team_marketing/groups",
            admin,
            json!({"userGroupId": "grp_reviewers", "role": "member"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["id"], "grp_reviewers");
    assert_eq!(r.body["type"], "team-user-group");
    let r = app
        .get("/v2/orgs/3141592653/groups/grp_reviewers/teams", admin)
        .await;
    assert!(
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "team_marketing" && t["type"] == "user-group-team"),
        "{}",
        r.body
    );
    let r = app
        .call(
            Method::DELETE,
            "/v2/orgs/3141592653/teams/team_marketing/groups/grp_reviewers",
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert!(r.body.is_null());
    assert_error(
        &app.get(
            "/v2/orgs/3141592653/teams/team_marketing/groups/grp_reviewers",
            admin,
        )
        .await,
        404,
        "request.not_found",
    );
    assert_error(
        &app.get(
            "/v2/orgs/3141592653/groups/grp_reviewers/teams/team_marketing",
            admin,
        )
        .await,
        404,
        "request.not_found",
    );
    assert_error(
        &app.get("/v2/orgs/3141592653/groups/grp_nobody/teams", admin)
            .await,
        404,
        "request.not_found",
    );
}

#[tokio::test]
async fn team_members_by_email_and_bodiless_answers() {
    let (app, demo) = demo_app();
    let admin = demo.admin_token.as_str();
    let members = "/v2/orgs/3141592653/teams/team_marketing/members";
    let r = app
        .post(
            members,
            admin,
            json!({"email": "CY@acme.test", "role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["id"], "usr_cy");
    assert_eq!(r.body["teamId"], "team_marketing");
    assert_eq!(r.body["role"], "admin");
    let r = app.get(&format!("{members}?role=admin"), admin).await;
    assert!(
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["role"] == "admin"),
        "{}",
        r.body
    );
    assert_error(
        &app.post(members, admin, json!({"email": "nobody@acme.test"}))
            .await,
        404,
        "request.not_found",
    );
    assert_error(
        &app.post(
            members,
            admin,
            json!({"email": "cy@acme.test", "userId": "usr_cy"}),
        )
        .await,
        400,
        "request.invalid_parameter",
    );
    let r = app
        .call(
            Method::DELETE,
            &format!("{members}/usr_cy"),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.body.is_null());
    assert!(r.headers.contains_key("easel-revision"));

    let r = app
        .call(
            Method::POST,
            "/v2/sessions/reset_all?email=cy@acme.test",
            Some(admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.is_null());
    assert!(r.headers.contains_key("easel-revision"));
}

#[tokio::test]
async fn organization_and_members_in_the_reference_words() {
    let (app, demo) = demo_app();
    let admin = demo.admin_token.as_str();
    let r = app.get("/v2/orgs/3141592653", admin).await;
    assert_eq!(r.body["plan"], "company");
    assert_eq!(r.body["easelPlan"], "enterprise");
    assert!(r.body["fullLicensesPurchased"].as_u64().unwrap() >= 1);
    let r = app
        .get(
            "/v2/orgs/3141592653/members?emails=ana@acme.test,gil@partner.test",
            admin,
        )
        .await;
    let list = r.body.as_array().expect("a bare array by emails");
    assert_eq!(list.len(), 2, "{}", r.body);
    assert_eq!(list[0]["role"], "organization_internal_admin");
    assert_eq!(list[0]["adminRoles"][0]["type"], "prebuilt");
    assert_eq!(list[1]["role"], "organization_external_user");
    let r = app
        .get(
            "/v2/orgs/3141592653/members?role=organization_external_user",
            admin,
        )
        .await;
    assert_eq!(r.body["data"][0]["id"], "usr_gil", "{}", r.body);
    let r = app
        .get("/v2/orgs/3141592653/members?licence=full", admin)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_error(
        &app.get("/v2/orgs/3141592653/members?license=platinum", admin)
            .await,
        400,
        "request.invalid_parameter",
    );
}
