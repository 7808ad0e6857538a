//! The one place every command meets its handler. The `match` is exhaustive and has no
//! catch-all, so a command added to `Command` does not compile until it is wired here; each
//! area file (`org.rs`, `team.rs`, ...) has one function per command, named after its type,
//! taking the command's fields.

use super::directory::DomainChange;
use super::exec::{Exec, Step};
use super::{Command, apps, board, cases, content, directory, oauth, org, project, requests, team};
use super::{closing, profile, signin, tick, tokens};

/// Runs the handler of `command`.
pub(super) fn dispatch(x: &mut Exec, command: &Command) -> Step {
    match command {
        // ---- identities ----
        Command::CreateUser { user, email, name } => org::create_user(x, user, email, name),

        // ---- organization ----
        Command::CreateOrg {
            org,
            name,
            plan,
            owner,
        } => org::create_org(x, org, name, *plan, owner.as_deref()),
        Command::DeleteOrg { org } => closing::delete_org(x, org),
        Command::SetOrgOwner { org, user } => org::set_org_owner(x, org, user),
        Command::UpdateOrgProfile { org, name } => org::update_org_profile(x, org, name),
        Command::ChangePlan { org, plan, guard } => org::change_plan(x, org, *plan, *guard),
        Command::AddMember {
            org,
            user,
            email,
            name,
            kind,
        } => org::add_member(x, org, user, email, name, *kind),
        Command::SetMemberProfile { org, user, profile } => {
            profile::set_member_profile(x, org, user, profile)
        }
        Command::ChangeEmail { org, user, email } => profile::change_email(x, org, user, email),
        Command::DeactivateUser { org, user } => org::set_active(x, org, user, false),
        Command::ReactivateUser { org, user } => org::set_active(x, org, user, true),
        Command::RemoveUser {
            org,
            user,
            successor,
        } => org::remove_user(x, org, user, successor.as_deref()),
        Command::AssignAdminRole {
            org,
            user,
            role,
            team,
        } => org::admin_role(x, org, user, *role, team.as_deref(), true),
        Command::RemoveAdminRole {
            org,
            user,
            role,
            team,
        } => org::admin_role(x, org, user, *role, team.as_deref(), false),
        Command::UpdateCompanySettings { org, settings } => {
            org::update_company_settings(x, org, settings)
        }
        Command::ResetSessions { org, user } => org::reset_sessions(x, org, user),
        Command::SetTrashRetention { org, days } => org::set_trash_retention(x, org, *days),
        Command::SetAuditRetention { org, days } => org::set_audit_retention(x, org, *days),

        // ---- teams ----
        Command::CreateTeam { org, team, name } => team::create_team(x, org, team, name),
        Command::RenameTeam { team, name } => team::rename_team(x, team, name),
        Command::SetTeamMember { team, user, role } => team::set_team_member(x, team, user, *role),
        Command::RemoveTeamMember { team, user } => team::remove_team_member(x, team, user),
        Command::UpdateTeamSettings { team, settings } => {
            team::update_team_settings(x, team, settings)
        }
        Command::JoinTeam { team } => team::join_team(x, team),

        // ---- projects ----
        Command::CreateProject {
            team,
            project,
            name,
            private,
        } => project::create_project(x, team, project, name, *private),
        Command::SetProjectMember {
            project,
            user,
            role,
        } => project::set_project_member(x, project, user, *role),
        Command::RemoveProjectMember { project, user } => {
            project::remove_project_member(x, project, user)
        }
        Command::SetProjectGroups {
            project,
            groups,
            role,
        } => project::set_project_groups(x, project, groups, *role),
        Command::RemoveProjectGroup { project, group } => {
            project::remove_project_group(x, project, group)
        }

        // ---- boards ----
        Command::CreateBoard {
            team,
            board: id,
            name,
            project,
            setup,
        } => board::create_board(x, team, id, name, project.as_deref(), setup),
        Command::RenameBoard {
            board: id,
            name,
            description,
        } => board::rename_board(x, id, name, description),
        Command::ShareBoard {
            board: id,
            emails,
            role,
        } => board::share_board(x, id, emails, *role),
        Command::ChangeBoardMember {
            board: id,
            user,
            role,
        } => board::change_board_member(x, id, user, *role),
        Command::RemoveBoardMember { board: id, user } => board::remove_board_member(x, id, user),
        Command::ShareBoardWithGroup {
            board: id,
            group,
            role,
        } => board::share_board_with_group(x, id, group, *role),
        Command::RemoveBoardGroup { board: id, group } => board::remove_board_group(x, id, group),
        Command::SetBoardSharing {
            board: id,
            team,
            company,
            public,
        } => board::set_board_sharing(x, id, *team, *company, *public),
        Command::ResetBoardLink { board: id, token } => board::reset_board_link(x, id, token),
        Command::SetBoardPassword {
            board: id,
            password,
        } => board::set_board_password(x, id, password.as_deref()),
        Command::SetContentSettings { board: id, content } => {
            board::set_content_settings(x, id, *content)
        }
        Command::TransferOwnership {
            board: id,
            new_owner,
        } => board::transfer_ownership(x, id, new_owner),
        Command::MoveBoard { board: id, team } => board::move_board(x, id, team),
        Command::CopyBoard {
            board: id,
            new_board,
            team,
            name,
        } => board::copy_board(x, id, new_board, team, name),
        Command::ClassifyTeamBoards {
            team,
            label,
            unclassified_only,
        } => board::classify_team_boards(x, team, label, *unclassified_only),
        Command::SetClassification { board: id, label } => {
            board::set_classification(x, id, label.as_deref())
        }
        Command::TrashBoard { board: id } => board::trash_board(x, id),
        Command::RestoreBoard { board: id } => board::restore_board(x, id),
        Command::PurgeBoard { board: id } => board::purge_board(x, id),
        Command::DeleteTeam { team } => team::delete_team(x, team),
        Command::UpdateProject {
            project,
            name,
            private,
        } => project::update_project(x, project, name, *private),
        Command::DeleteProject { project } => project::delete_project(x, project),

        // ---- invitations and requests ----
        Command::Invite {
            invitation,
            org,
            email,
            team,
            project,
            board,
            role,
            guest,
        } => requests::invite(
            x,
            invitation,
            org,
            email,
            [team.as_deref(), project.as_deref(), board.as_deref()],
            role.as_deref(),
            *guest,
        ),
        Command::AcceptInvitation { invitation } => requests::accept_invitation(x, invitation),
        Command::RevokeInvitation { invitation } => requests::revoke_invitation(x, invitation),
        Command::RequestAccess {
            request,
            board,
            role,
        } => requests::request_access(x, request, board, *role),
        Command::ApproveAccessRequest { request, role } => {
            requests::decide_access(x, request, Some(*role))
        }
        Command::DenyAccessRequest { request } => requests::decide_access(x, request, None),
        Command::RequestToJoinTeam { request, team } => {
            requests::request_to_join_team(x, request, team)
        }
        Command::ApproveJoinRequest { request } => requests::decide_join(x, request, true),
        Command::DenyJoinRequest { request } => requests::decide_join(x, request, false),
        Command::SetLicence { org, user, licence } => requests::set_licence(x, org, user, *licence),
        Command::RequestLicence {
            request,
            org,
            licence,
        } => requests::request_licence(x, request, org, *licence),
        Command::ApproveLicenceRequest { request } => requests::decide_licence(x, request, true),
        Command::DenyLicenceRequest { request } => requests::decide_licence(x, request, false),
        Command::SetAppAllowlist { org, apps } => {
            requests::set_app_allowlist(x, org, apps.as_deref())
        }
        Command::RequestApp { request, org, app } => requests::request_app(x, request, org, app),
        Command::ApproveAppRequest { request } => requests::decide_app(x, request, true),
        Command::DenyAppRequest { request } => requests::decide_app(x, request, false),

        // ---- directory: groups, billing groups, domains ----
        Command::CreateGroup {
            org,
            group,
            name,
            description,
        } => directory::create_group(x, org, group, name, description),
        Command::RenameGroup {
            group,
            name,
            description,
        } => directory::rename_group(x, group, name, description.as_deref()),
        Command::DeleteGroup { group } => directory::delete_group(x, group),
        Command::AddGroupMember { group, user } => directory::group_member(x, group, user, true),
        Command::RemoveGroupMember { group, user } => {
            directory::group_member(x, group, user, false)
        }
        Command::SetTeamGroup { team, group, role } => {
            directory::set_team_group(x, team, group, *role)
        }
        Command::RemoveTeamGroup { team, group } => directory::remove_team_group(x, team, group),
        Command::CreateBillingGroup { org, group, name } => {
            directory::create_billing_group(x, org, group, name)
        }
        Command::DeleteBillingGroup { group } => directory::delete_billing_group(x, group),
        Command::RenameBillingGroup { group, name } => {
            directory::rename_billing_group(x, group, name)
        }
        Command::AddBillingMember { group, user } => {
            directory::billing_member(x, group, user, true)
        }
        Command::RemoveBillingMember { group, user } => {
            directory::billing_member(x, group, user, false)
        }
        Command::AddDomain { org, domain } => directory::domain(x, org, domain, DomainChange::Add),
        Command::VerifyDomain { org, domain } => {
            directory::domain(x, org, domain, DomainChange::Verify)
        }
        Command::RemoveDomain { org, domain } => {
            directory::domain(x, org, domain, DomainChange::Remove)
        }
        Command::RemoveUsersOutsideAllowlist { org, successor } => {
            directory::remove_users_outside_allowlist(x, org, successor)
        }

        // ---- content ----
        Command::AddContent {
            board,
            content,
            kind,
            text: body,
        } => content::add_content(x, board, content, *kind, body),
        Command::UpdateContent {
            content,
            text: body,
        } => content::update_content(x, content, body),
        Command::DeleteContent { content } => content::delete_content(x, content),
        Command::PlaceContent {
            content,
            x: left,
            y: top,
            parent,
        } => content::place_content(x, content, (*left, *top), parent.as_deref()),
        Command::SetTemplate { board, template } => content::set_template(x, board, *template),

        // ---- compliance ----
        Command::CreateCase {
            org,
            case,
            name,
            description,
        } => org::create_case(x, org, case, name, description),
        Command::EditCase {
            case,
            name,
            description,
        } => cases::edit_case(x, case, name, description),
        Command::DeleteCase { case } => cases::delete_case(x, case),
        Command::AddLegalHold {
            case,
            hold,
            users,
            name,
            description,
        } => org::legal_hold(x, case, hold, Some((users, name, description))),
        Command::EditLegalHold {
            case,
            hold,
            name,
            description,
            users,
        } => cases::edit_hold(x, case, hold, name, description, users),
        Command::ReleaseLegalHold { case, hold } => org::legal_hold(x, case, hold, None),

        // ---- time ----
        Command::Tick { org } => tick::tick(x, org),

        // ---- tokens ----
        Command::IssueToken {
            token,
            holder,
            digest,
            expires_at,
        } => tokens::issue_token(x, token, holder, digest, *expires_at),
        Command::CreateScimToken {
            org,
            token,
            name,
            digest,
        } => tokens::create_scim_token(x, org, token, name, digest),
        Command::RevokeScimToken { org, token } => tokens::revoke_scim_token(x, org, token),
        Command::RevokeToken { token } => tokens::revoke_token(x, token),

        // ---- apps and sessions ----
        Command::RegisterApp {
            app,
            team,
            name,
            redirect_uris,
            expiring_tokens,
            scopes: asked,
            secret_digest,
        } => apps::register_app(
            x,
            app,
            team,
            name,
            redirect_uris,
            *expiring_tokens,
            asked,
            secret_digest,
        ),
        Command::SetAppScopes { app, scopes: asked } => apps::set_app_scopes(x, app, asked),
        Command::DeleteApp { app } => apps::delete_app(x, app),
        Command::InstallApp {
            installation,
            app,
            team,
        } => apps::install_app(x, installation, app, team),
        Command::ConsentApp { installation } => apps::consent_app(x, installation),
        Command::UninstallApp { installation } => apps::uninstall_app(x, installation),
        Command::StartSession {
            session,
            user,
            digest,
            org,
        } => apps::start_session(x, session, user, digest.as_deref(), org.as_deref()),
        Command::IssueSignInLink {
            link,
            user,
            org,
            digest,
        } => signin::issue(x, link, user, org.as_deref(), digest),
        Command::RedeemSignInLink {
            link,
            session,
            digest,
        } => signin::redeem(x, link, session, digest),
        Command::TouchSession { session } => apps::touch_session(x, session),
        Command::EndSession { session } => apps::end_session(x, session),

        // ---- OAuth ----
        Command::Authorize {
            code,
            installation,
            app,
            team,
            redirect_uri,
            scopes,
            challenge,
            digest: code_digest,
        } => oauth::authorize(
            x,
            code,
            installation,
            app,
            team,
            redirect_uri,
            scopes,
            challenge,
            code_digest,
        ),
        Command::ExchangeCode {
            code,
            access,
            access_digest,
            refresh,
            refresh_digest,
            expires_at,
        } => oauth::exchange_code(
            x,
            code,
            access,
            access_digest,
            refresh.as_deref(),
            refresh_digest.as_deref(),
            *expires_at,
        ),
        Command::RotateRefresh {
            refresh,
            access,
            access_digest,
            new_refresh,
            new_refresh_digest,
            expires_at,
        } => oauth::rotate_refresh(
            x,
            refresh,
            access,
            access_digest,
            new_refresh,
            new_refresh_digest,
            *expires_at,
        ),
        Command::RevokeFamily { family } => oauth::revoke_family(x, family),
    }
}
