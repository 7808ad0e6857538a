//! A story that uses every kind of event the store can replay, with the cascades that
//! matter (a member leaving, a board purged, a group, project and team deleted), committed
//! one event at a time with the state tables checked after each.

use std::collections::BTreeSet;

use easel_core::catalog::{AdminRole, Plan};
use easel_core::event::{BoardStamp, Coordinate, Event, InviteTarget, TokenHolder, Who};
use easel_core::model::{ContentKind, Licence, RequestState};
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{CompanySettings, ContentSettings, TeamSettings};
use easel_core::state::RequestKind;
use easel_core::time::Time;
use easel_store::{Backend, Durable};

use super::replay::assert_tables_match;

fn s(text: &str) -> String {
    text.to_string()
}

fn board(id: &str, team: &str, project: Option<&str>, owner: &str) -> Event {
    Event::BoardCreated {
        board: s(id),
        team: s(team),
        project: project.map(s),
        owner: s(owner),
        name: id.to_uppercase(),
        team_access: Access::Editor,
        company_access: Access::Viewer,
        public_access: Access::None,
        content: ContentSettings::default(),
        description: String::new(),
        stamp: Some(BoardStamp {
            at: Time(1_000),
            by: Some(s(owner)),
        }),
    }
}

fn member(org: &str, user: &str, roles: Vec<AdminRole>) -> Event {
    Event::MembershipSet {
        org: s(org),
        user: s(user),
        kind: MemberKind::Member,
        admin_roles: roles,
        licence: Licence::Full,
    }
}

/// The story, in order.
pub fn story() -> Vec<Event> {
    let at = Time::from_millis(1_800_000_000_000);
    let mut events = vec![];
    for user in ["ana", "ben", "cy", "dee"] {
        events.push(Event::UserCreated {
            user: s(user),
            email: format!(" {}@Acme.Test ", user.to_uppercase()),
            name: user.to_uppercase(),
        });
    }
    let settings = CompanySettings::default();
    events.extend([
        Event::OrgCreated {
            org: s("acme"),
            name: s("Acme"),
            plan: Plan::Business,
            guard: false,
        },
        Event::OrgRenamed {
            org: s("acme"),
            name: s("Acme Inc"),
        },
        Event::PlanChanged {
            org: s("acme"),
            plan: Plan::Enterprise,
            guard: true,
        },
        member("acme", "ana", vec![AdminRole::CompanyAdmin]),
        member("acme", "ben", vec![]),
        member(
            "acme",
            "cy",
            vec![AdminRole::UserAdmin, AdminRole::ContentAdmin],
        ),
        Event::MembershipSet {
            org: s("acme"),
            user: s("dee"),
            kind: MemberKind::Guest,
            admin_roles: vec![],
            licence: Licence::Free,
        },
        Event::OrgOwnerSet {
            org: s("acme"),
            owner: Some(s("ana")),
        },
        // What the organization's directory says of Ben, and his new sign-in address.
        Event::MemberProfileSet {
            org: s("acme"),
            user: s("ben"),
            profile: Box::new(easel_core::model::Profile {
                fields: easel_core::model::ProfileFields {
                    external_id: Some(s("00u1ben")),
                    department: Some(s("Design")),
                    ..Default::default()
                },
                created_at: at,
                modified_at: at,
            }),
        },
        Event::UserEmailSet {
            user: s("ben"),
            email: s("benjamin@acme.test"),
        },
        Event::CompanySettingsChanged {
            org: s("acme"),
            settings,
        },
        Event::TrashRetentionSet {
            org: s("acme"),
            days: 60,
        },
        Event::AuditRetentionSet {
            org: s("acme"),
            days: Some(365),
        },
        Event::UserStatusSet {
            user: s("dee"),
            active: false,
        },
        Event::UserStatusSet {
            user: s("dee"),
            active: true,
        },
        Event::SessionsReset {
            user: s("ben"),
            at,
            org: None,
        },
        // One organization resets a user's sessions there, twice (the later instant stays).
        Event::SessionsReset {
            user: s("ben"),
            at,
            org: Some(s("acme")),
        },
        Event::SessionsReset {
            user: s("ben"),
            at: Time::from_millis(at.millis() + 1),
            org: Some(s("acme")),
        },
        Event::UserActiveAt {
            user: s("ben"),
            at: Some(at),
        },
        Event::MembershipActiveSet {
            org: s("acme"),
            user: s("cy"),
            active: false,
        },
        Event::LicenceSet {
            org: s("acme"),
            user: s("ben"),
            licence: Licence::Occasional,
        },
        Event::DomainSet {
            org: s("acme"),
            domain: s("Acme.Test"),
            verified: Some(false),
        },
        Event::DomainSet {
            org: s("acme"),
            domain: s("acme.test"),
            verified: Some(true),
        },
        Event::DomainSet {
            org: s("acme"),
            domain: s("old.test"),
            verified: Some(true),
        },
        Event::DomainSet {
            org: s("acme"),
            domain: s("OLD.test"),
            verified: None,
        },
        Event::GroupCreated {
            org: s("acme"),
            group: s("crew"),
            name: s("Crew"),
            description: s("the people on site"),
        },
        Event::GroupRenamed {
            group: s("crew"),
            name: s("The crew"),
            description: Some(s("everyone on site")),
        },
        Event::GroupMemberAdded {
            group: s("crew"),
            user: s("ben"),
        },
        Event::GroupMemberAdded {
            group: s("crew"),
            user: s("cy"),
        },
        Event::GroupMemberRemoved {
            group: s("crew"),
            user: s("cy"),
        },
        Event::TeamCreated {
            org: s("acme"),
            team: s("design"),
            name: s("Design"),
            settings: TeamSettings::default(),
        },
        Event::TeamCreated {
            org: s("acme"),
            team: s("ops"),
            name: s("Ops"),
            settings: TeamSettings::default(),
        },
        Event::TeamRenamed {
            team: s("ops"),
            name: s("Operations"),
        },
        Event::TeamSettingsChanged {
            team: s("ops"),
            settings: TeamSettings::default(),
        },
        Event::TeamMemberSet {
            team: s("design"),
            user: s("ben"),
            role: TeamRole::Member,
        },
        Event::TeamMemberSet {
            team: s("design"),
            user: s("ben"),
            role: TeamRole::Admin,
        },
        Event::TeamMemberSet {
            team: s("ops"),
            user: s("cy"),
            role: TeamRole::Member,
        },
        Event::TeamMemberRemoved {
            team: s("ops"),
            user: s("cy"),
        },
        Event::TeamGroupSet {
            team: s("design"),
            group: s("crew"),
            role: TeamRole::Member,
        },
        Event::TeamGroupSet {
            team: s("ops"),
            group: s("crew"),
            role: TeamRole::Member,
        },
        Event::TeamGroupRemoved {
            team: s("ops"),
            group: s("crew"),
        },
        Event::TeamContentAdminSet {
            team: s("design"),
            user: s("cy"),
            on: true,
        },
        Event::ProjectCreated {
            project: s("launch"),
            team: s("design"),
            name: s("Launch"),
            private: false,
        },
        Event::ProjectDetailsSet {
            project: s("launch"),
            name: s("Launch 2"),
            private: true,
        },
        Event::ProjectMemberSet {
            project: s("launch"),
            user: s("cy"),
            role: BoardRole::Editor,
        },
        Event::ProjectMemberSet {
            project: s("launch"),
            user: s("ben"),
            role: BoardRole::Viewer,
        },
        Event::ProjectMemberRemoved {
            project: s("launch"),
            user: s("ben"),
        },
        Event::ProjectGroupSet {
            project: s("launch"),
            group: s("crew"),
            role: BoardRole::Viewer,
        },
        Event::ProjectGroupSet {
            project: s("launch"),
            group: s("crew"),
            role: BoardRole::Commenter,
        },
        Event::ProjectGroupRemoved {
            project: s("launch"),
            group: s("crew"),
        },
        // Assigned again: deleting the group later takes the assignment with it.
        Event::ProjectGroupSet {
            project: s("launch"),
            group: s("crew"),
            role: BoardRole::Editor,
        },
        Event::ProjectCreated {
            project: s("runbooks"),
            team: s("ops"),
            name: s("Runbooks"),
            private: false,
        },
        board("plan", "design", Some("launch"), "ana"),
        board("notes", "design", None, "ben"),
        board("scratch", "ops", Some("runbooks"), "ana"),
        board("gone", "ops", None, "ana"),
        Event::BoardTextSet {
            board: s("plan"),
            name: s("The plan"),
            description: s("For the launch"),
            stamp: Some(BoardStamp {
                at: Time(2_000),
                by: Some(s("ben")),
            }),
        },
        Event::GrantSet {
            board: s("plan"),
            to: Who::User(s("cy")),
            role: BoardRole::Commenter,
        },
        Event::GrantSet {
            board: s("plan"),
            to: Who::User(s("cy")),
            role: BoardRole::Editor,
        },
        Event::GrantSet {
            board: s("plan"),
            to: Who::Group(s("crew")),
            role: BoardRole::Viewer,
        },
        Event::GrantSet {
            board: s("plan"),
            to: Who::User(s("ben")),
            role: BoardRole::Coowner,
        },
        Event::GrantSet {
            board: s("notes"),
            to: Who::User(s("cy")),
            role: BoardRole::Viewer,
        },
        Event::GrantSet {
            board: s("gone"),
            to: Who::Group(s("crew")),
            role: BoardRole::Editor,
        },
        Event::GrantSet {
            board: s("gone"),
            to: Who::User(s("ben")),
            role: BoardRole::Editor,
        },
        Event::GrantRemoved {
            board: s("notes"),
            from: Who::User(s("cy")),
        },
        Event::BoardAccessSet {
            board: s("notes"),
            team: Access::Viewer,
            company: Access::None,
            public: Access::Viewer,
            stamp: None,
        },
        Event::BoardLinkSet {
            board: s("notes"),
            digest: Some("ab".repeat(32)),
        },
        Event::BoardPasswordSet {
            board: s("notes"),
            hash: Some(s("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")),
        },
        Event::BoardContentSet {
            board: s("notes"),
            content: ContentSettings::default(),
            stamp: None,
        },
        Event::BoardClassified {
            board: s("notes"),
            label: Some(s("confidential")),
        },
        Event::BoardTemplateSet {
            board: s("notes"),
            template: true,
        },
        Event::BoardRetainedSet {
            board: s("notes"),
            retained: true,
        },
        // The new owner's grant goes.
        Event::BoardOwnerSet {
            board: s("plan"),
            owner: s("ben"),
        },
        Event::BoardProjectSet {
            board: s("notes"),
            project: Some(s("launch")),
        },
        Event::BoardProjectSet {
            board: s("notes"),
            project: None,
        },
        // Moving leaves the project.
        Event::BoardMoved {
            board: s("scratch"),
            team: s("design"),
        },
        Event::BoardTrashed {
            board: s("notes"),
            at,
        },
        Event::BoardRestored { board: s("notes") },
        Event::BoardTrashed {
            board: s("gone"),
            at,
        },
        // A purged board keeps its row; its grants go.
        Event::BoardPurged { board: s("gone") },
        Event::ContentAdded {
            content: s("note-1"),
            board: s("plan"),
            kind: ContentKind::StickyNote,
            text: s("Ship it"),
            author: s("ben"),
        },
        Event::ContentAdded {
            content: s("note-2"),
            board: s("plan"),
            kind: ContentKind::Comment,
            text: s("Soon"),
            author: s("cy"),
        },
        Event::ContentSet {
            content: s("note-1"),
            text: Some(s("Ship it now")),
        },
        Event::ContentSet {
            content: s("note-2"),
            text: None,
        },
        Event::ContentPlaced {
            content: s("note-1"),
            x: Coordinate(12.5),
            y: Coordinate(-3.0),
            parent: None,
        },
        Event::CaseCreated {
            org: s("acme"),
            case: s("case-1"),
            name: s("Audit"),
            description: s("The yearly audit"),
            by: Some(s("ana")),
            at: Time::from_millis(5),
        },
        Event::HoldAdded {
            case: s("case-1"),
            hold: s("hold-1"),
            users: vec![s("ben"), s("cy"), s("ben")],
            name: s("Design"),
            description: String::new(),
            by: Some(s("ana")),
            at: Time::from_millis(6),
        },
        Event::HoldAdded {
            case: s("case-1"),
            hold: s("hold-2"),
            users: vec![s("ana")],
            name: String::new(),
            description: String::new(),
            by: None,
            at: Time::from_millis(7),
        },
        Event::HoldReleased {
            case: s("case-1"),
            hold: s("hold-2"),
        },
        Event::CaseEdited {
            case: s("case-1"),
            name: s("Audit 2026"),
            description: s("The yearly audit, again"),
            by: Some(s("ana")),
            at: Time::from_millis(8),
        },
        Event::HoldEdited {
            case: s("case-1"),
            hold: s("hold-1"),
            name: s("Design team"),
            description: s("Ben"),
            users: vec![s("ben")],
            by: Some(s("ana")),
            at: Time::from_millis(9),
        },
        Event::CaseCreated {
            org: s("acme"),
            case: s("case-2"),
            name: s("Closed"),
            description: String::new(),
            by: None,
            at: Time::from_millis(10),
        },
        Event::HoldAdded {
            case: s("case-2"),
            hold: s("hold-3"),
            users: vec![s("cy")],
            name: String::new(),
            description: String::new(),
            by: None,
            at: Time::from_millis(11),
        },
        Event::CaseDeleted { case: s("case-2") },
        Event::InvitationCreated {
            invitation: s("inv-1"),
            org: s("acme"),
            email: s("New@Acme.Test"),
            into: InviteTarget::Board {
                board: s("plan"),
                role: BoardRole::Commenter,
            },
            kind: MemberKind::Member,
            inviter: s("ana"),
            expires_at: at,
        },
        Event::InvitationCreated {
            invitation: s("inv-2"),
            org: s("acme"),
            email: s("guest@elsewhere.test"),
            into: InviteTarget::Team {
                team: s("design"),
                role: TeamRole::Member,
            },
            kind: MemberKind::Guest,
            inviter: s("ana"),
            expires_at: at,
        },
        Event::InvitationCreated {
            invitation: s("inv-3"),
            org: s("acme"),
            email: s("p@acme.test"),
            into: InviteTarget::Project {
                project: s("launch"),
                role: BoardRole::Viewer,
            },
            kind: MemberKind::Member,
            inviter: s("ana"),
            expires_at: at,
        },
        Event::InvitationCreated {
            invitation: s("inv-4"),
            org: s("acme"),
            email: s("o@acme.test"),
            into: InviteTarget::Org,
            kind: MemberKind::Member,
            inviter: s("ana"),
            expires_at: at,
        },
        Event::InvitationStateSet {
            invitation: s("inv-2"),
            state: RequestState::Denied,
        },
        Event::AccessRequested {
            request: s("req-1"),
            board: s("plan"),
            user: s("dee"),
            role: BoardRole::Viewer,
        },
        Event::JoinRequested {
            request: s("req-2"),
            team: s("ops"),
            user: s("dee"),
        },
        Event::LicenceRequested {
            request: s("req-3"),
            org: s("acme"),
            user: s("ben"),
            licence: Licence::Full,
        },
        Event::RequestDecided {
            kind: RequestKind::Access,
            request: s("req-1"),
            state: RequestState::Approved,
        },
        Event::RequestDecided {
            kind: RequestKind::Licence,
            request: s("req-3"),
            state: RequestState::Expired,
        },
        Event::BillingGroupCreated {
            org: s("acme"),
            group: s("bg-1"),
            name: s("Design seats"),
        },
        Event::BillingMemberSet {
            group: s("bg-1"),
            user: s("ben"),
            on: true,
        },
        Event::BillingMemberSet {
            group: s("bg-1"),
            user: s("cy"),
            on: true,
        },
        Event::BillingMemberSet {
            group: s("bg-1"),
            user: s("cy"),
            on: false,
        },
        Event::BillingGroupCreated {
            org: s("acme"),
            group: s("bg-2"),
            name: s("Spare"),
        },
        Event::BillingMemberSet {
            group: s("bg-2"),
            user: s("ana"),
            on: true,
        },
        Event::BillingGroupRenamed {
            group: s("bg-1"),
            name: s("Design and research seats"),
        },
        Event::BillingGroupDeleted { group: s("bg-2") },
        Event::AppRegistered {
            app: s("app_sync"),
            team: s("design"),
            name: s("Sync"),
            redirect_uris: vec![s("https://sync.example/callback")],
            expiring_tokens: true,
            scopes: vec![s("boards:read"), s("identity:read")],
            secret_digest: "12".repeat(32),
        },
        Event::AppInstalled {
            installation: s("inst_sync"),
            app: s("app_sync"),
            team: s("design"),
            scopes: vec![s("boards:read"), s("identity:read")],
        },
        Event::AppScopesSet {
            app: s("app_sync"),
            scopes: vec![s("boards:read"), s("boards:write"), s("identity:read")],
        },
        Event::AppConsented {
            installation: s("inst_sync"),
            scopes: vec![s("boards:write")],
        },
        Event::TokenIssued {
            token: s("oat_1"),
            holder: TokenHolder::App {
                installation: s("inst_sync"),
                user: s("ben"),
                scopes: vec![s("boards:read"), s("boards:write")],
            },
            digest: "34".repeat(32),
            expires_at: Some(at),
        },
        Event::CodeIssued {
            code: s("code_1"),
            installation: s("inst_sync"),
            user: s("ben"),
            redirect_uri: s("https://sync.example/callback"),
            scopes: vec![s("boards:write"), s("boards:read")],
            challenge: s("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            expires_at: at,
            digest: "ab".repeat(32),
        },
        Event::CodeUsed { code: s("code_1") },
        Event::RefreshIssued {
            refresh: s("rt_1"),
            installation: s("inst_sync"),
            user: s("ben"),
            scopes: vec![s("boards:read")],
            family: s("code_1"),
            access: s("oat_1"),
            digest: "cd".repeat(32),
        },
        Event::RefreshUsed { refresh: s("rt_1") },
        Event::FamilyRevoked {
            family: s("code_1"),
        },
        Event::AppAllowlistSet {
            org: s("acme"),
            apps: Some(vec![s("app_sync"), s("app_sync")]),
        },
        Event::AppRequested {
            request: s("req-4"),
            org: s("acme"),
            user: s("dee"),
            app: s("app_sync"),
        },
        Event::RequestDecided {
            kind: RequestKind::App,
            request: s("req-4"),
            state: RequestState::Denied,
        },
        Event::AppRegistered {
            app: s("app_old"),
            team: s("design"),
            name: s("Old"),
            redirect_uris: vec![s("http://localhost:3000/cb")],
            expiring_tokens: false,
            scopes: vec![s("boards:read")],
            secret_digest: "56".repeat(32),
        },
        Event::AppInstalled {
            installation: s("inst_old"),
            app: s("app_old"),
            team: s("design"),
            scopes: vec![s("boards:read")],
        },
        Event::TokenIssued {
            token: s("oat_2"),
            holder: TokenHolder::App {
                installation: s("inst_old"),
                user: s("ben"),
                scopes: vec![s("boards:read")],
            },
            digest: "78".repeat(32),
            expires_at: None,
        },
        // Uninstalling revokes the installation's tokens; deleting the app revokes all.
        Event::AppUninstalled {
            installation: s("inst_sync"),
        },
        Event::AppDeleted { app: s("app_old") },
        Event::AppAllowlistSet {
            org: s("acme"),
            apps: None,
        },
        Event::SessionStarted {
            session: s("ses_1"),
            user: s("ben"),
            at,
            digest: Some("9a".repeat(32)),
            org: None,
        },
        // A session bound to its organization keeps the binding in the tables too.
        Event::SessionStarted {
            session: s("ses_acme"),
            user: s("ben"),
            at,
            digest: Some("9b".repeat(32)),
            org: Some(s("acme")),
        },
        Event::SessionSeen {
            session: s("ses_1"),
            at: Time::from_millis(at.millis() + 60_000),
        },
        Event::SessionSeen {
            session: s("ses_1"),
            at,
        },
        Event::SessionEnded {
            session: s("ses_1"),
        },
        // A sign-in link has no rows (it lives in memory, rebuilt from the changelog); the
        // session it starts has its own.
        Event::SignInLinkIssued {
            link: s("lnk_1"),
            user: s("ben"),
            org: Some(s("acme")),
            digest: "5a".repeat(32),
            at,
            expires_at: Time::from_millis(at.millis() + 15 * 60_000),
        },
        Event::SignInLinkRedeemed {
            link: s("lnk_1"),
            session: s("ses_link"),
            at,
        },
        Event::SessionStarted {
            session: s("ses_link"),
            user: s("ben"),
            at,
            digest: Some("5b".repeat(32)),
            org: Some(s("acme")),
        },
        // Cy leaves: team, project, group, content-admin memberships and grants go.
        Event::MembershipRemoved {
            org: s("acme"),
            user: s("cy"),
        },
        // The group goes with its grants and team memberships.
        Event::GroupDeleted { group: s("crew") },
        // The project goes; its boards stay in the team.
        Event::ProjectDeleted {
            project: s("launch"),
        },
        Event::BoardTrashed {
            board: s("scratch"),
            at,
        },
        // Ops holds only a purged board now: deleting it takes its project and members.
        Event::TeamDeleted { team: s("ops") },
        Event::TokenIssued {
            token: s("pat_ben"),
            holder: TokenHolder::User {
                user: s("ben"),
                org: Some(s("acme")),
            },
            digest: "AB".repeat(32),
            expires_at: Some(at),
        },
        Event::TokenIssued {
            token: s("svc_acme"),
            holder: TokenHolder::Service {
                name: s("gateway"),
                org: Some(s("acme")),
            },
            digest: "cd".repeat(32),
            expires_at: None,
        },
        Event::TokenIssued {
            token: s("svc_all"),
            holder: TokenHolder::Service {
                name: s("search"),
                org: None,
            },
            digest: "ef".repeat(32),
            expires_at: None,
        },
        Event::TokenRevoked {
            token: s("pat_ben"),
        },
        Event::TokenRevoked {
            token: s("svc_all"),
        },
        // An organization closed once empty: its row goes.
        Event::OrgCreated {
            org: s("closing"),
            name: s("Closing"),
            plan: Plan::Business,
            guard: false,
        },
        Event::OrgClosed { org: s("closing") },
    ]);
    events
}

/// Commits the story one event at a time, checking the tables after each, and checks it
/// used every kind of event.
pub fn every_kind_of_event_reaches_the_tables<B: Backend>(backend: B) {
    let (mut durable, _) = Durable::open(backend).unwrap();
    let mut kinds = BTreeSet::new();
    for (i, event) in story().into_iter().enumerate() {
        durable
            .import(std::slice::from_ref(&event), Time::from_millis(0))
            .unwrap_or_else(|e| panic!("event {}: {event:?}: {e}", i + 1));
        assert_tables_match(&mut durable, &format!("after event {}: {event:?}", i + 1));
        kinds.insert(event.kind());
    }
    let missing: Vec<&str> = Event::KINDS
        .iter()
        .copied()
        .filter(|k| !kinds.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "kinds the story never uses: {missing:?}"
    );
}
