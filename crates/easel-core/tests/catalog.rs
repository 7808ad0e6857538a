//! Tests generated from the catalogs. Each reads the TOML text again on its own (not the
//! tables `build.rs` generated) and checks the engine's decisions against it: every
//! privilege × admin role, every scope × plan × surface, every capability × role × plan,
//! every setting.
#![expect(clippy::panic, reason = "test code: a failed expectation is a panic")]

use std::path::Path;

use easel_core::catalog::{
    self, CONTENT_COPY_ACCESS, CONTENT_DEFAULT, CONTENT_SHARING_ACCESS, Capability, Feature, Plan,
    Privilege, Scope, ScopeSet, SettingKey, SettingLevel, Surface,
};
use easel_core::roles::{Access, BoardRole};
use easel_core::settings::{
    CompanySettings, CopyAccess, CopyContent, Creators, PublicLinkSharing, SharingAccess,
    SharingLevel, TeamDiscovery, TeamPrivacy, TeamSettings, WhoCanInvite,
};
use easel_core::{Action, Code, Layer, Request, State, Subject, Target, TargetKind, Time, decide};
use easel_testkit::fixture::parse_given;

const NOW: Time = Time::from_millis(100 * 86_400_000);

fn source(name: &str) -> toml::Table {
    let text = catalog::SOURCES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or_default();
    toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn strings(v: &toml::Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn rows<'a>(table: &'a toml::Table, key: &str) -> Vec<&'a toml::Table> {
    table[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
        .collect()
}

/// The plans a catalog plan spec (`all`, `paid`, or a list) names.
fn plans_of(spec: Option<&toml::Value>) -> Vec<Plan> {
    let plans = source("plans.toml");
    let names = match spec {
        None => strings(&plans["plans"]),
        Some(toml::Value::String(s)) if s == "all" => strings(&plans["plans"]),
        Some(toml::Value::String(s)) if s == "paid" => strings(&plans["paid"]),
        Some(v) => strings(v),
    };
    names
        .iter()
        .filter_map(|n| Plan::parse(n.split('+').next().unwrap_or_default()))
        .collect()
}

#[test]
fn the_compiled_catalog_is_the_specification() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/catalog");
    if !spec.exists() {
        eprintln!("the specification is not beside the checkout; comparing skipped");
        return;
    }
    for (name, compiled) in catalog::SOURCES {
        let text =
            std::fs::read_to_string(spec.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            text, compiled,
            "crates/easel-core/catalog/{name} differs from shared/spec/catalog/{name}: copy it over"
        );
    }
}

#[test]
fn the_catalog_sizes() {
    assert_eq!(
        rows(&source("admin-privileges.toml"), "privilege").len(),
        52
    );
    assert_eq!(Privilege::ALL.len(), 52);
    assert_eq!(
        Scope::ALL.len(),
        rows(&source("scopes.toml"), "scope").len()
    );
    assert_eq!(
        Capability::ALL.len(),
        rows(&source("board-roles.toml"), "capability").len()
    );
    assert_eq!(
        SettingKey::ALL.len(),
        rows(&source("settings.toml"), "setting").len()
    );
}

/// Every privilege for every admin role: allowed exactly where the table marks it.
#[test]
fn every_privilege_for_every_admin_role() {
    let given = r#"
        [[org]]
        id = "acme"
        plan = "enterprise"
        [[user]]
        id = "company_admin"
        [[user]]
        id = "user_admin"
        [[user]]
        id = "content_admin"
        [[user]]
        id = "security_admin"
        [[user]]
        id = "team_content_admin"
        [[member]]
        org = "acme"
        users = ["team_content_admin"]
        [[member]]
        org = "acme"
        users = ["company_admin"]
        admin_roles = ["company_admin"]
        [[member]]
        org = "acme"
        users = ["user_admin"]
        admin_roles = ["user_admin"]
        [[member]]
        org = "acme"
        users = ["content_admin"]
        admin_roles = ["content_admin"]
        [[member]]
        org = "acme"
        users = ["security_admin"]
        admin_roles = ["security_admin"]
        [[team]]
        id = "mine"
        org = "acme"
        content_admins = ["team_content_admin"]
        members = { team_content_admin = "member" }
        [[team]]
        id = "theirs"
        org = "acme"
    "#;
    let state = parse_given(given)
        .and_then(|g| g.build())
        .unwrap_or_else(|e| panic!("{e}"));
    let (acme, mine, theirs) = (
        state.find_org("acme").unwrap(),
        state.find_team("mine").unwrap(),
        state.find_team("theirs").unwrap(),
    );
    let table = source("admin-privileges.toml");
    let roles = strings(&table["roles"]);
    assert_eq!(roles.len(), 5);
    let mut checked = 0;
    for row in rows(&table, "privilege") {
        let id = row["id"].as_str().unwrap_or_default();
        let privilege =
            Privilege::from_id(id).unwrap_or_else(|| panic!("`{id}` is not a privilege"));
        let holders = strings(&row["roles"]);
        for role in &roles {
            let user = state.find_user(role).unwrap();
            let held = holders.contains(role);
            // Organization-level roles are asked about the organization; the team content
            // admin about their own team, where their privileges apply.
            let target = if role == "team_content_admin" {
                Target::Team(mine)
            } else {
                Target::Org(acme)
            };
            let d = decide(
                &state,
                &Request::new(Subject::User(user), Action::Privilege(privilege), target),
                NOW,
            );
            assert_eq!(
                d.allowed,
                held,
                "{role} × {id}: {:?}",
                d.denial.map(|x| x.message())
            );
            if !held {
                assert_eq!(
                    d.code(),
                    Some(Code::AuthorityMissingPrivilege),
                    "{role} × {id}"
                );
            }
            checked += 1;
        }
        // Outside their teams a team content admin holds nothing.
        let user = state.find_user("team_content_admin").unwrap();
        let d = decide(
            &state,
            &Request::new(
                Subject::User(user),
                Action::Privilege(privilege),
                Target::Team(theirs),
            ),
            NOW,
        );
        assert!(!d.allowed, "team content admin outside their team × {id}");
    }
    assert_eq!(checked, 52 * 5);
}

/// A state with one organization per plan (with and without Guard), each with a team, a
/// project and a board, owned by `owner`, who is a company admin.
fn plan_orgs() -> State {
    let mut text = String::new();
    for plan in Plan::ALL {
        for guard in [false, true] {
            let id = format!("{}{}", plan.as_str(), if guard { "_guard" } else { "" });
            text.push_str(&format!(
                r#"
                [[org]]
                id = "{id}"
                plan = "{plan}"
                guard = {guard}
                owner = "{id}_owner"
                [[user]]
                id = "{id}_owner"
                [[member]]
                org = "{id}"
                users = ["{id}_owner"]
                admin_roles = [{roles}]
                [[team]]
                id = "{id}_team"
                org = "{id}"
                members = {{ {id}_owner = "admin" }}
                [[project]]
                id = "{id}_project"
                team = "{id}_team"
                [[board]]
                id = "{id}_board"
                team = "{id}_team"
                owner = "{id}_owner"
                "#,
                plan = plan.as_str(),
                roles = if *plan == Plan::Enterprise {
                    "\"company_admin\""
                } else {
                    ""
                },
            ));
        }
    }
    parse_given(&text)
        .and_then(|g| g.build())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every scope, both vocabularies and aliases, on every plan and surface: it admits what
/// its catalog row says, and the scope layer refuses with the right code otherwise.
#[test]
fn every_scope_on_every_plan_and_surface() {
    let state = plan_orgs();
    let table = source("scopes.toml");
    for row in rows(&table, "scope") {
        let name = row["name"].as_str().unwrap_or_default();
        let scope = Scope::from_name(name).unwrap_or_else(|| panic!("`{name}` is not a scope"));
        assert_eq!(scope.name(), name);
        for alias in row.get("aliases").map(strings).unwrap_or_default() {
            assert_eq!(Scope::from_name(&alias), Some(scope), "alias `{alias}`");
            assert_eq!(ScopeSet::parse([alias.as_str()]), Ok(scope.bit()));
        }
        let vocabulary = row["vocabulary"].as_str().unwrap_or_default();
        assert_eq!(
            format!("{:?}", scope.vocabulary()).to_lowercase(),
            vocabulary,
            "{name}"
        );
        let surfaces = strings(&row["surfaces"]);
        let plan_rule = row["plan"].as_str().unwrap_or_default();
        let Some(action) = Action::all().find(|a| a.admitting_scopes().contains(scope)) else {
            // Device scopes (microphone, screen, webcam) and profile writes are for the Web
            // SDK's own features: no engine action admits them.
            assert!(
                surfaces.iter().all(|s| s == "web_sdk") || name == "identity:write",
                "{name} admits no action"
            );
            continue;
        };
        for (org, o) in state.all_orgs() {
            let target = match action {
                Action::Board(_) => {
                    Target::Board(state.find_board(&format!("{}_board", o.id)).unwrap())
                }
                Action::Engine(e) => match e.target() {
                    TargetKind::Board => {
                        Target::Board(state.find_board(&format!("{}_board", o.id)).unwrap())
                    }
                    TargetKind::Team => {
                        Target::Team(state.find_team(&format!("{}_team", o.id)).unwrap())
                    }
                    TargetKind::Project => {
                        Target::Project(state.find_project(&format!("{}_project", o.id)).unwrap())
                    }
                    TargetKind::Org => Target::Org(org),
                },
                Action::Privilege(_) => Target::Org(org),
            };
            let owner = state.find_user(&format!("{}_owner", o.id)).unwrap();
            let plan_ok = match plan_rule {
                "all" => true,
                "enterprise" => o.plan == Plan::Enterprise,
                "enterprise_guard" => o.plan == Plan::Enterprise && o.guard,
                other => panic!("unknown scope plan `{other}`"),
            };
            for surface in Surface::ALL {
                let on_surface = surfaces.iter().any(|s| s == surface.as_str());
                let mut req = Request::new(Subject::User(owner), action, target);
                req.scopes = Some(scope.bit());
                req.surface = *surface;
                let d = decide(&state, &req, NOW);
                let scope_refused = d
                    .denial
                    .filter(|x| x.layer() == Layer::Scope)
                    .map(|x| x.code);
                let want = match (on_surface, plan_ok) {
                    (true, true) => None,
                    (false, _) => Some(Code::ScopeSurface),
                    (true, false) => Some(Code::ScopePlan),
                };
                assert_eq!(
                    scope_refused, want,
                    "{name} for `{action}` on {} via {surface}",
                    o.id
                );
            }
            // A token without the scope is refused and told which scopes would admit it:
            // missing while a scope on the organization's plan would, else the plan.
            let mut req = Request::new(Subject::User(owner), action, target);
            req.scopes = Some(ScopeSet::EMPTY);
            let d = decide(&state, &req, NOW);
            let on_rest: Vec<_> = action
                .admitting_scopes()
                .iter()
                .filter(|s| s.surfaces().contains(Surface::Rest))
                .collect();
            let want = if on_rest.is_empty() || on_rest.iter().any(|s| s.available(o.plan, o.guard))
            {
                Code::ScopeMissing
            } else {
                Code::ScopePlan
            };
            assert_eq!(d.code(), Some(want), "no scope for `{action}` on {}", o.id);
        }
    }
}

/// The role a user reaches on a board of a given plan when granted `granted`.
fn acting_role(granted: BoardRole, plan: Plan) -> BoardRole {
    let coowners = Feature::Coowners.available(plan, false);
    let role = if granted == BoardRole::Coowner && !coowners {
        BoardRole::Editor
    } else {
        granted
    };
    // On the free plan every board is shared with its whole team, at editor.
    if plan == Plan::Free && role < BoardRole::Editor {
        BoardRole::Editor
    } else {
        role
    }
}

/// Every board capability × role × plan: allowed exactly when the plan has the capability
/// and the role reaches its minimum.
#[test]
fn every_capability_for_every_role_on_every_plan() {
    let table = source("board-roles.toml");
    let mut text = String::new();
    for plan in Plan::ALL {
        let id = plan.as_str();
        let classification = if *plan == Plan::Enterprise {
            "settings = { board_classification = { labels = [{ name = \"internal\" }] } }"
        } else {
            ""
        };
        text.push_str(&format!(
            r#"
            [[org]]
            id = "{id}"
            plan = "{id}"
            {classification}
            [[user]]
            id = "{id}_owner"
            [[user]]
            id = "{id}_viewer"
            [[user]]
            id = "{id}_commenter"
            [[user]]
            id = "{id}_editor"
            [[user]]
            id = "{id}_coowner"
            [[member]]
            org = "{id}"
            users = ["{id}_owner", "{id}_viewer", "{id}_commenter", "{id}_editor", "{id}_coowner"]
            [[team]]
            id = "{id}_team"
            org = "{id}"
            members = {{ {id}_owner = "member", {id}_viewer = "member", {id}_commenter = "member", {id}_editor = "member", {id}_coowner = "member" }}
            [[board]]
            id = "{id}_board"
            team = "{id}_team"
            owner = "{id}_owner"
            members = {{ {id}_viewer = "viewer", {id}_commenter = "commenter", {id}_editor = "editor", {id}_coowner = "coowner" }}
            "#
        ));
    }
    let state = parse_given(&text)
        .and_then(|g| g.build())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for row in rows(&table, "capability") {
        let id = row["id"].as_str().unwrap_or_default();
        let cap = Capability::from_id(id).unwrap_or_else(|| panic!("`{id}` is not a capability"));
        let min = row["min_role"].as_str().unwrap_or_default();
        let plans = plans_of(row.get("plans"));
        assert_eq!(cap.plans().iter().collect::<Vec<_>>(), plans, "{id} plans");
        for plan in Plan::ALL {
            let board = state
                .find_board(&format!("{}_board", plan.as_str()))
                .unwrap();
            for granted in BoardRole::ALL {
                let user = state
                    .find_user(&format!("{}_{}", plan.as_str(), granted.as_str()))
                    .unwrap();
                let role = acting_role(granted, *plan);
                let d = decide(
                    &state,
                    &Request::new(
                        Subject::User(user),
                        Action::Board(cap),
                        Target::Board(board),
                    ),
                    NOW,
                );
                let want = if min == "none" {
                    // Asking for access one already has is refused; the default ask is view.
                    false
                } else {
                    plans.contains(plan) && role >= BoardRole::parse(min).unwrap()
                };
                assert_eq!(
                    d.allowed,
                    want,
                    "{id} by {granted} (acting {role}) on {plan}: {:?}",
                    d.denial.map(|x| x.message())
                );
                if !plans.contains(plan) {
                    assert_eq!(
                        d.code(),
                        Some(Code::PlanFeatureUnavailable),
                        "{id} on {plan}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked,
        Capability::ALL.len() * Plan::ALL.len() * BoardRole::ALL.len()
    );
}

/// The typed default of a setting, spelled as the catalog spells it.
fn typed_default(key: SettingKey) -> String {
    let c = CompanySettings::default();
    let t = TeamSettings::default();
    let off = |on: bool| {
        if on {
            "on".to_string()
        } else {
            "off".to_string()
        }
    };
    match key {
        SettingKey::IdleSessionTimeout => off(c.idle_session_timeout_secs.is_some()),
        SettingKey::EmbedSharing => off(c.embed_sharing.is_some()),
        SettingKey::ExtendedContentAdmin => c.extended_content_admin.to_string(),
        SettingKey::AutoDeactivateGuests => c.auto_deactivate_guests.to_string(),
        SettingKey::AllowedDomains => {
            assert_eq!(c.allowed_domains, t.allowed_domains);
            off(c.allowed_domains.is_some())
        }
        SettingKey::AllowedDomainsGuestBypass => c.allowed_domains_guest_bypass.to_string(),
        SettingKey::PublicLinkSharing => {
            assert_eq!(c.public_link_sharing, t.public_link_sharing);
            c.public_link_sharing.as_str().into()
        }
        SettingKey::WhoCanInvite => {
            assert_eq!(c.who_can_invite, t.who_can_invite);
            c.who_can_invite.as_str().into()
        }
        SettingKey::GuestInvites => t.guest_invites.to_string(),
        SettingKey::TeamPrivacy => c.team_privacy.as_str().into(),
        SettingKey::TeamDiscovery => t.team_discovery.as_str().into(),
        SettingKey::CoownerRole => {
            assert_eq!(c.coowner_role, t.coowner_role);
            c.coowner_role.to_string()
        }
        SettingKey::BoardClassification => off(c.board_classification.is_some()),
        SettingKey::BoardClassificationDefault => t
            .board_classification_default
            .clone()
            .unwrap_or("inherit".into()),
        SettingKey::WhoCanCreate => {
            let w = t.who_can_create;
            assert!(w.boards == w.projects && w.projects == w.templates);
            format!("{} for each asset", w.boards.as_str())
        }
        SettingKey::TeamAndCompanySharing => {
            let s = t.team_and_company_sharing;
            format!("{{team = {}, company = {}}}", s.team, s.company)
        }
        SettingKey::DefaultSharing => {
            let s = t.default_sharing;
            format!(
                "{{boards = {}, projects = {}}}",
                s.boards.as_str(),
                s.projects.as_str()
            )
        }
        SettingKey::BoardMoving => t.board_moving.to_string(),
        SettingKey::CopyContent => t.copy_content.as_str().into(),
        SettingKey::DefaultBoardContent => {
            let d = t.default_board_content;
            assert_eq!(
                (d.copy_access.as_str(), d.sharing_access.as_str()),
                CONTENT_DEFAULT
            );
            "see board-roles.toml".into()
        }
    }
}

/// Every setting: its level, its default, and the values its type names.
#[test]
fn every_setting() {
    let table = source("settings.toml");
    for row in rows(&table, "setting") {
        let key = row["key"].as_str().unwrap_or_default();
        let setting =
            SettingKey::from_id(key).unwrap_or_else(|| panic!("`{key}` is not a setting"));
        let level = match row["level"].as_str().unwrap_or_default() {
            "company" => SettingLevel::Company,
            "team" => SettingLevel::Team,
            _ => SettingLevel::Both,
        };
        assert_eq!(setting.level(), level, "{key} level");
        let default = match &row["default"] {
            toml::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(typed_default(setting), default, "{key} default");
        let words: Vec<&str> = match setting {
            SettingKey::PublicLinkSharing => {
                PublicLinkSharing::ALL.iter().map(|v| v.as_str()).collect()
            }
            SettingKey::WhoCanInvite => WhoCanInvite::ALL.iter().map(|v| v.as_str()).collect(),
            SettingKey::TeamPrivacy => TeamPrivacy::ALL.iter().map(|v| v.as_str()).collect(),
            SettingKey::TeamDiscovery => TeamDiscovery::ALL.iter().map(|v| v.as_str()).collect(),
            SettingKey::CopyContent => CopyContent::ALL.iter().map(|v| v.as_str()).collect(),
            SettingKey::WhoCanCreate => Creators::ALL.iter().map(|v| v.as_str()).collect(),
            SettingKey::DefaultSharing => SharingLevel::ALL.iter().map(|v| v.as_str()).collect(),
            _ => continue,
        };
        let value_type = row["type"].as_str().unwrap_or_default();
        for word in words {
            assert!(
                value_type.contains(word),
                "{key}: `{word}` is not in the catalog type `{value_type}`"
            );
        }
    }
    let copy: Vec<&str> = CopyAccess::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(copy, CONTENT_COPY_ACCESS);
    let sharing: Vec<&str> = SharingAccess::ALL.iter().map(|v| v.as_str()).collect();
    assert_eq!(sharing, CONTENT_SHARING_ACCESS);
}

/// The channels the catalog lists carry exactly the roles and plans the engine gives them.
#[test]
fn every_channel() {
    for (id, roles, plans) in catalog::CATALOG_CHANNELS {
        match *id {
            "direct" => {
                let parsed: Vec<_> = roles.iter().map(|r| BoardRole::parse(r)).collect();
                assert!(parsed.iter().all(Option::is_some), "direct roles");
                assert!(!roles.contains(&"owner"), "ownership is never granted");
            }
            "team" | "company" | "public_link" => {
                for r in *roles {
                    assert!(Access::parse(r).is_some(), "{id}: `{r}`");
                }
            }
            "project" => assert_eq!(*plans, Feature::Projects.plans(), "project channel plans"),
            other => panic!("unknown channel `{other}`"),
        }
        if *id == "company" {
            assert_eq!(
                *plans,
                Feature::CompanySharing.plans(),
                "company channel plans"
            );
        }
    }
}
