//! What the events of boards, their content, legal cases, invitations, requests, domains
//! and billing groups do to the state tables (the organization, user, team and project
//! events are in `events`).

use easel_core::event::{Event, InviteTarget, TokenHolder};
use easel_core::time::Time;

use super::events::{principal, st};
use super::{Stmt, Value, opt_int, opt_text, scope_list, scope_name, text, wire};

fn board(id: &str) -> Value {
    text(id)
}

/// What an invitation invites into, as (type, id, role).
pub(crate) fn invite_target(into: &InviteTarget) -> (&'static str, Option<&str>, Option<Value>) {
    match into {
        InviteTarget::Org => ("org", None, None),
        InviteTarget::Team { team, role } => ("team", Some(team.as_str()), Some(wire(role))),
        InviteTarget::Project { project, role } => {
            ("project", Some(project.as_str()), Some(wire(role)))
        }
        InviteTarget::Board { board, role } => ("board", Some(board.as_str()), Some(wire(role))),
    }
}

const APP_SCOPE: &str = "INSERT INTO app_scopes (app_id, scope) VALUES (?1, ?2)
     ON CONFLICT (app_id, scope) DO NOTHING";
const INSTALLATION_SCOPE: &str =
    "INSERT INTO installation_scopes (installation_id, scope) VALUES (?1, ?2)
     ON CONFLICT (installation_id, scope) DO NOTHING";

/// One row per scope, by canonical name.
fn scope_rows(sql: &'static str, owner: &str, scopes: &[String]) -> Vec<Stmt> {
    scopes
        .iter()
        .map(|s| st(sql, vec![text(owner), text(scope_name(s))]))
        .collect()
}

fn trashed_at(at: Option<Time>) -> Value {
    opt_int(at.map(|t| t.millis()))
}

/// The statements for the events `events::statements` hands on.
pub(crate) fn statements(event: &Event) -> Vec<Stmt> {
    match event {
        Event::BoardCreated {
            board: id,
            team,
            project,
            owner,
            name,
            team_access,
            company_access,
            public_access,
            content,
        } => vec![st(
            "INSERT INTO boards (id, org_id, team_id, project_id, owner_id, name, description,
             state, trashed_at_ms, team_access, company_access, public_access, copy_access,
             sharing_access, link_digest, password_hash, classification, template, retained)
             SELECT ?1, org_id, id, ?3, ?4, ?5, '', 'active', NULL, ?6, ?7, ?8, ?9, ?10,
             NULL, NULL, NULL, FALSE, FALSE FROM teams WHERE id = ?2",
            vec![
                board(id),
                text(team.as_str()),
                opt_text(project.as_deref()),
                text(owner.as_str()),
                text(name.as_str()),
                wire(team_access),
                wire(company_access),
                wire(public_access),
                wire(&content.copy_access),
                wire(&content.sharing_access),
            ],
        )],
        Event::BoardTextSet {
            board: id,
            name,
            description,
        } => vec![st(
            "UPDATE boards SET name = ?2, description = ?3 WHERE id = ?1",
            vec![board(id), text(name.as_str()), text(description.as_str())],
        )],
        Event::GrantSet {
            board: id,
            to,
            role,
        } => {
            let (kind, who) = principal(to);
            vec![st(
                "INSERT INTO grants (board_id, principal_type, principal_id, role)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (board_id, principal_type, principal_id)
                 DO UPDATE SET role = excluded.role",
                vec![board(id), kind, who, wire(role)],
            )]
        }
        Event::GrantRemoved { board: id, from } => {
            let (kind, who) = principal(from);
            vec![st(
                "DELETE FROM grants WHERE board_id = ?1 AND principal_type = ?2
                 AND principal_id = ?3",
                vec![board(id), kind, who],
            )]
        }
        Event::BoardAccessSet {
            board: id,
            team,
            company,
            public,
        } => vec![st(
            "UPDATE boards SET team_access = ?2, company_access = ?3, public_access = ?4
             WHERE id = ?1",
            vec![board(id), wire(team), wire(company), wire(public)],
        )],
        Event::BoardLinkSet { board: id, digest } => vec![st(
            "UPDATE boards SET link_digest = ?2 WHERE id = ?1",
            vec![board(id), opt_text(digest.as_deref())],
        )],
        Event::BoardPasswordSet { board: id, hash } => vec![st(
            "UPDATE boards SET password_hash = ?2 WHERE id = ?1",
            vec![board(id), opt_text(hash.as_deref())],
        )],
        Event::BoardContentSet { board: id, content } => vec![st(
            "UPDATE boards SET copy_access = ?2, sharing_access = ?3 WHERE id = ?1",
            vec![
                board(id),
                wire(&content.copy_access),
                wire(&content.sharing_access),
            ],
        )],
        Event::BoardClassified { board: id, label } => vec![st(
            "UPDATE boards SET classification = ?2 WHERE id = ?1",
            vec![board(id), opt_text(label.as_deref())],
        )],
        Event::BoardTemplateSet {
            board: id,
            template,
        } => vec![st(
            "UPDATE boards SET template = ?2 WHERE id = ?1",
            vec![board(id), Value::Bool(*template)],
        )],
        Event::BoardRetainedSet {
            board: id,
            retained,
        } => vec![st(
            "UPDATE boards SET retained = ?2 WHERE id = ?1",
            vec![board(id), Value::Bool(*retained)],
        )],
        // The new owner's direct grant goes: the owner channel supersedes it.
        Event::BoardOwnerSet { board: id, owner } => vec![
            st(
                "DELETE FROM grants WHERE board_id = ?1 AND principal_type = 'user'
                 AND principal_id = ?2",
                vec![board(id), text(owner.as_str())],
            ),
            st(
                "UPDATE boards SET owner_id = ?2 WHERE id = ?1",
                vec![board(id), text(owner.as_str())],
            ),
        ],
        Event::BoardMoved { board: id, team } => vec![st(
            "UPDATE boards SET team_id = ?2, project_id = NULL WHERE id = ?1",
            vec![board(id), text(team.as_str())],
        )],
        Event::BoardProjectSet { board: id, project } => vec![st(
            "UPDATE boards SET project_id = ?2 WHERE id = ?1",
            vec![board(id), opt_text(project.as_deref())],
        )],
        Event::BoardTrashed { board: id, at } => vec![st(
            "UPDATE boards SET state = 'trashed', trashed_at_ms = ?2 WHERE id = ?1",
            vec![board(id), trashed_at(Some(*at))],
        )],
        Event::BoardRestored { board: id } => vec![st(
            "UPDATE boards SET state = 'active', trashed_at_ms = NULL WHERE id = ?1",
            vec![board(id)],
        )],
        // A purged board keeps its row (its id stays taken) but nobody holds it any more.
        Event::BoardPurged { board: id } => vec![
            st("DELETE FROM grants WHERE board_id = ?1", vec![board(id)]),
            st(
                "UPDATE boards SET state = 'purged', trashed_at_ms = NULL WHERE id = ?1",
                vec![board(id)],
            ),
        ],
        Event::ContentAdded {
            content,
            board: id,
            kind,
            text: body,
            author,
        } => vec![st(
            "INSERT INTO board_content (id, board_id, kind, text, author_id, deleted)
             VALUES (?1, ?2, ?3, ?4, ?5, FALSE)",
            vec![
                text(content.as_str()),
                board(id),
                text(kind.as_str()),
                text(body.as_str()),
                text(author.as_str()),
            ],
        )],
        Event::ContentSet {
            content,
            text: Some(body),
        } => vec![st(
            "UPDATE board_content SET text = ?2 WHERE id = ?1",
            vec![text(content.as_str()), text(body.as_str())],
        )],
        Event::ContentSet {
            content,
            text: None,
        } => vec![st(
            "UPDATE board_content SET deleted = TRUE WHERE id = ?1",
            vec![text(content.as_str())],
        )],
        Event::CaseCreated { org, case, name } => vec![st(
            "INSERT INTO cases (id, org_id, name) VALUES (?1, ?2, ?3)",
            vec![text(case.as_str()), text(org.as_str()), text(name.as_str())],
        )],
        Event::HoldAdded { case, hold, users } => {
            let mut out = vec![st(
                "INSERT INTO legal_holds (case_id, id, released) VALUES (?1, ?2, FALSE)",
                vec![text(case.as_str()), text(hold.as_str())],
            )];
            for user in users {
                out.push(st(
                    "INSERT INTO legal_hold_users (case_id, hold_id, user_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id, hold_id, user_id) DO NOTHING",
                    vec![
                        text(case.as_str()),
                        text(hold.as_str()),
                        text(user.as_str()),
                    ],
                ));
            }
            out
        }
        Event::HoldReleased { case, hold } => vec![st(
            "UPDATE legal_holds SET released = TRUE WHERE case_id = ?1 AND id = ?2",
            vec![text(case.as_str()), text(hold.as_str())],
        )],
        Event::InvitationCreated {
            invitation,
            org,
            email,
            into,
            kind,
            inviter,
            expires_at,
        } => {
            let (target_type, target_id, role) = invite_target(into);
            vec![st(
                "INSERT INTO invitations (id, org_id, email, target_type, target_id, role,
                 member_kind, inviter_id, expires_at_ms, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending')",
                vec![
                    text(invitation.as_str()),
                    text(org.as_str()),
                    // As the state keeps it: ASCII lower case.
                    text(email.to_ascii_lowercase()),
                    text(target_type),
                    opt_text(target_id),
                    role.unwrap_or(Value::Text(None)),
                    wire(kind),
                    text(inviter.as_str()),
                    opt_int(Some(expires_at.millis())),
                ],
            )]
        }
        Event::InvitationStateSet { invitation, state } => vec![st(
            "UPDATE invitations SET state = ?2 WHERE id = ?1",
            vec![text(invitation.as_str()), text(state.as_str())],
        )],
        Event::AccessRequested {
            request,
            board: id,
            user,
            role,
        } => vec![st(
            "INSERT INTO requests (kind, id, org_id, user_id, target_id, value, state)
             SELECT 'access', ?1, org_id, ?3, id, ?4, 'pending' FROM boards WHERE id = ?2",
            vec![
                text(request.as_str()),
                board(id),
                text(user.as_str()),
                wire(role),
            ],
        )],
        Event::JoinRequested {
            request,
            team,
            user,
        } => vec![st(
            "INSERT INTO requests (kind, id, org_id, user_id, target_id, value, state)
             SELECT 'join', ?1, org_id, ?3, id, NULL, 'pending' FROM teams WHERE id = ?2",
            vec![
                text(request.as_str()),
                text(team.as_str()),
                text(user.as_str()),
            ],
        )],
        Event::LicenceRequested {
            request,
            org,
            user,
            licence,
        } => vec![st(
            "INSERT INTO requests (kind, id, org_id, user_id, target_id, value, state)
             VALUES ('licence', ?1, ?2, ?3, NULL, ?4, 'pending')",
            vec![
                text(request.as_str()),
                text(org.as_str()),
                text(user.as_str()),
                text(licence.as_str()),
            ],
        )],
        Event::AppRequested {
            request,
            org,
            user,
            app,
        } => vec![st(
            "INSERT INTO requests (kind, id, org_id, user_id, target_id, value, state)
             VALUES ('app', ?1, ?2, ?3, ?4, NULL, 'pending')",
            vec![
                text(request.as_str()),
                text(org.as_str()),
                text(user.as_str()),
                text(app.as_str()),
            ],
        )],
        Event::RequestDecided {
            kind,
            request,
            state,
        } => vec![st(
            "UPDATE requests SET state = ?3 WHERE kind = ?1 AND id = ?2",
            vec![
                text(kind.as_str()),
                text(request.as_str()),
                text(state.as_str()),
            ],
        )],
        Event::AppAllowlistSet { org, apps } => {
            let mut out = vec![
                st(
                    "UPDATE organizations SET app_allowlist_on = ?2 WHERE id = ?1",
                    vec![text(org.as_str()), Value::Bool(apps.is_some())],
                ),
                st(
                    "DELETE FROM app_allowlist WHERE org_id = ?1",
                    vec![text(org.as_str())],
                ),
            ];
            for app in apps.iter().flatten() {
                out.push(st(
                    "INSERT INTO app_allowlist (org_id, app_id) VALUES (?1, ?2)
                     ON CONFLICT (org_id, app_id) DO NOTHING",
                    vec![text(org.as_str()), text(app.as_str())],
                ));
            }
            out
        }
        Event::DomainSet {
            org,
            domain,
            verified,
        } => {
            // As the state keeps it: ASCII lower case.
            let name = text(domain.to_ascii_lowercase());
            match verified {
                Some(v) => vec![st(
                    "INSERT INTO domains (org_id, name, verified) VALUES (?1, ?2, ?3)
                     ON CONFLICT (org_id, name) DO UPDATE SET verified = excluded.verified",
                    vec![text(org.as_str()), name, Value::Bool(*v)],
                )],
                None => vec![st(
                    "DELETE FROM domains WHERE org_id = ?1 AND name = ?2",
                    vec![text(org.as_str()), name],
                )],
            }
        }
        Event::BillingGroupCreated { org, group, name } => vec![st(
            "INSERT INTO billing_groups (id, org_id, name, deleted) VALUES (?1, ?2, ?3, FALSE)",
            vec![
                text(group.as_str()),
                text(org.as_str()),
                text(name.as_str()),
            ],
        )],
        Event::BillingMemberSet { group, user, on } => {
            let sql = if *on {
                "INSERT INTO billing_members (group_id, user_id) VALUES (?1, ?2)
                 ON CONFLICT (group_id, user_id) DO NOTHING"
            } else {
                "DELETE FROM billing_members WHERE group_id = ?1 AND user_id = ?2"
            };
            vec![st(sql, vec![text(group.as_str()), text(user.as_str())])]
        }
        Event::BillingGroupRenamed { group, name } => vec![st(
            "UPDATE billing_groups SET name = ?2 WHERE id = ?1",
            vec![text(group.as_str()), text(name.as_str())],
        )],
        Event::BillingGroupDeleted { group } => vec![
            st(
                "DELETE FROM billing_members WHERE group_id = ?1",
                vec![text(group.as_str())],
            ),
            st(
                "UPDATE billing_groups SET deleted = TRUE WHERE id = ?1",
                vec![text(group.as_str())],
            ),
        ],
        Event::TokenIssued {
            token,
            holder,
            digest,
            expires_at,
        } => {
            let (holder_type, user, service, org, installation, scopes) = match holder {
                TokenHolder::User { user, org } => (
                    "user",
                    Some(user.as_str()),
                    None,
                    org.as_deref(),
                    None,
                    &[][..],
                ),
                TokenHolder::Service { name, org } => (
                    "service",
                    None,
                    Some(name.as_str()),
                    org.as_deref(),
                    None,
                    &[][..],
                ),
                TokenHolder::App {
                    installation,
                    user,
                    scopes,
                } => (
                    "app",
                    Some(user.as_str()),
                    None,
                    None,
                    Some(installation.as_str()),
                    scopes.as_slice(),
                ),
            };
            let mut out = vec![st(
                "INSERT INTO tokens (id, holder_type, user_id, service_name, org_id, digest,
                 expires_at_ms, revoked, installation_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, FALSE, ?8)",
                vec![
                    text(token.as_str()),
                    text(holder_type),
                    opt_text(user),
                    opt_text(service),
                    opt_text(org),
                    text(digest.to_ascii_lowercase()),
                    opt_int(expires_at.map(|t| t.millis())),
                    opt_text(installation),
                ],
            )];
            out.extend(scope_rows(
                "INSERT INTO token_scopes (token_id, scope) VALUES (?1, ?2)
                 ON CONFLICT (token_id, scope) DO NOTHING",
                token,
                scopes,
            ));
            out
        }
        Event::TokenRevoked { token } => vec![st(
            "UPDATE tokens SET revoked = TRUE WHERE id = ?1",
            vec![text(token.as_str())],
        )],
        Event::AppRegistered {
            app,
            team,
            name,
            redirect_uris,
            expiring_tokens,
            scopes,
            secret_digest,
        } => {
            let mut out = vec![st(
                "INSERT INTO apps (id, org_id, team_id, name, redirect_uris, expiring_tokens,
                 secret_digest, deleted, scope_version)
                 SELECT ?1, org_id, id, ?3, ?4, ?5, ?6, FALSE, 1 FROM teams WHERE id = ?2",
                vec![
                    text(app.as_str()),
                    text(team.as_str()),
                    text(name.as_str()),
                    text(serde_json::to_string(redirect_uris).unwrap_or_default()),
                    Value::Bool(*expiring_tokens),
                    text(secret_digest.to_ascii_lowercase()),
                ],
            )];
            out.extend(scope_rows(APP_SCOPE, app, scopes));
            out
        }
        Event::AppScopesSet { app, scopes } => {
            let mut out = vec![
                st(
                    "DELETE FROM app_scopes WHERE app_id = ?1",
                    vec![text(app.as_str())],
                ),
                st(
                    "UPDATE apps SET scope_version = scope_version + 1 WHERE id = ?1",
                    vec![text(app.as_str())],
                ),
            ];
            out.extend(scope_rows(APP_SCOPE, app, scopes));
            out
        }
        Event::AppDeleted { app } => vec![
            st(
                "UPDATE tokens SET revoked = TRUE WHERE installation_id IN
                 (SELECT id FROM installations WHERE app_id = ?1)",
                vec![text(app.as_str())],
            ),
            st(
                "UPDATE installations SET active = FALSE WHERE app_id = ?1",
                vec![text(app.as_str())],
            ),
            st(
                "UPDATE apps SET deleted = TRUE WHERE id = ?1",
                vec![text(app.as_str())],
            ),
        ],
        Event::AppInstalled {
            installation,
            app,
            team,
            scopes,
        } => {
            let mut out = vec![st(
                "INSERT INTO installations (id, app_id, org_id, team_id, active, scope_version)
                 SELECT ?1, ?2, org_id, id, TRUE,
                 (SELECT scope_version FROM apps WHERE apps.id = ?2) FROM teams WHERE id = ?3",
                vec![
                    text(installation.as_str()),
                    text(app.as_str()),
                    text(team.as_str()),
                ],
            )];
            out.extend(scope_rows(INSTALLATION_SCOPE, installation, scopes));
            out
        }
        Event::AppConsented {
            installation,
            scopes,
        } => {
            let mut out = scope_rows(INSTALLATION_SCOPE, installation, scopes);
            out.push(st(
                "UPDATE installations SET scope_version =
                 (SELECT scope_version FROM apps WHERE apps.id = installations.app_id)
                 WHERE id = ?1",
                vec![text(installation.as_str())],
            ));
            out
        }
        Event::AppUninstalled { installation } => vec![
            st(
                "UPDATE tokens SET revoked = TRUE WHERE installation_id = ?1",
                vec![text(installation.as_str())],
            ),
            st(
                "UPDATE installations SET active = FALSE WHERE id = ?1",
                vec![text(installation.as_str())],
            ),
        ],
        Event::SessionStarted {
            session,
            user,
            at,
            digest,
            org,
        } => vec![st(
            "INSERT INTO sessions (id, user_id, created_at_ms, last_active_ms, ended, digest,
             org_id)
             VALUES (?1, ?2, ?3, ?3, FALSE, ?4, ?5)",
            vec![
                text(session.as_str()),
                text(user.as_str()),
                opt_int(Some(at.millis())),
                opt_text(digest.as_deref().map(str::to_ascii_lowercase)),
                opt_text(org.clone()),
            ],
        )],
        // As in memory, the last activity only moves forward.
        Event::SessionSeen { session, at } => vec![st(
            "UPDATE sessions SET last_active_ms = ?2 WHERE id = ?1 AND last_active_ms < ?2",
            vec![text(session.as_str()), opt_int(Some(at.millis()))],
        )],
        Event::CodeIssued {
            code,
            installation,
            user,
            redirect_uri,
            scopes,
            challenge,
            expires_at,
            digest,
        } => vec![st(
            "INSERT INTO oauth_codes (id, installation_id, user_id, redirect_uri, scopes,
             challenge, expires_at_ms, digest, used)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, FALSE)",
            vec![
                text(code.as_str()),
                text(installation.as_str()),
                text(user.as_str()),
                text(redirect_uri.as_str()),
                text(scope_list(scopes)),
                text(challenge.as_str()),
                opt_int(Some(expires_at.millis())),
                text(digest.to_ascii_lowercase()),
            ],
        )],
        Event::CodeUsed { code } => vec![st(
            "UPDATE oauth_codes SET used = TRUE WHERE id = ?1",
            vec![text(code.as_str())],
        )],
        Event::RefreshIssued {
            refresh,
            installation,
            user,
            scopes,
            family,
            access,
            digest,
        } => vec![st(
            "INSERT INTO refresh_tokens (id, installation_id, user_id, scopes, family,
             access_token_id, digest, used, revoked)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, FALSE, FALSE)",
            vec![
                text(refresh.as_str()),
                text(installation.as_str()),
                text(user.as_str()),
                text(scope_list(scopes)),
                text(family.as_str()),
                text(access.as_str()),
                text(digest.to_ascii_lowercase()),
            ],
        )],
        Event::RefreshUsed { refresh } => vec![st(
            "UPDATE refresh_tokens SET used = TRUE WHERE id = ?1",
            vec![text(refresh.as_str())],
        )],
        Event::FamilyRevoked { family } => vec![
            st(
                "UPDATE tokens SET revoked = TRUE WHERE id IN
                 (SELECT access_token_id FROM refresh_tokens WHERE family = ?1)",
                vec![text(family.as_str())],
            ),
            st(
                "UPDATE refresh_tokens SET revoked = TRUE WHERE family = ?1",
                vec![text(family.as_str())],
            ),
        ],
        Event::SessionEnded { session } => vec![st(
            "UPDATE sessions SET ended = TRUE WHERE id = ?1",
            vec![text(session.as_str())],
        )],
        // The organization, user, team and project events are handled in `events`, which
        // hands on only the others; listing them keeps this match exhaustive, so a new event
        // cannot be forgotten.
        Event::OrgCreated { .. }
        | Event::OrgRenamed { .. }
        | Event::PlanChanged { .. }
        | Event::OrgOwnerSet { .. }
        | Event::CompanySettingsChanged { .. }
        | Event::UserCreated { .. }
        | Event::UserStatusSet { .. }
        | Event::SessionsReset { .. }
        | Event::UserActiveAt { .. }
        | Event::MembershipSet { .. }
        | Event::MembershipActiveSet { .. }
        | Event::MembershipRemoved { .. }
        | Event::GroupCreated { .. }
        | Event::GroupMemberAdded { .. }
        | Event::GroupMemberRemoved { .. }
        | Event::TeamCreated { .. }
        | Event::TeamRenamed { .. }
        | Event::TeamSettingsChanged { .. }
        | Event::TeamMemberSet { .. }
        | Event::TeamMemberRemoved { .. }
        | Event::TeamGroupSet { .. }
        | Event::TeamGroupRemoved { .. }
        | Event::TeamContentAdminSet { .. }
        | Event::ProjectCreated { .. }
        | Event::ProjectMemberSet { .. }
        | Event::ProjectMemberRemoved { .. }
        | Event::LicenceSet { .. }
        | Event::ProjectDetailsSet { .. }
        | Event::GroupRenamed { .. }
        | Event::TeamDeleted { .. }
        | Event::ProjectDeleted { .. }
        | Event::GroupDeleted { .. }
        | Event::TrashRetentionSet { .. }
        | Event::AuditRetentionSet { .. } => Vec::new(),
    }
}
