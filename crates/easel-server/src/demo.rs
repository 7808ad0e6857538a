//! The demo organization a first start creates in an empty database: an enterprise company
//! with the Guard add-on and classification labels, teams, a project, a group, users of
//! each kind and boards shared through every channel, built with the same commands any
//! client would send. The directory (identities, the organization for its owner, members,
//! admin roles, teams and their members) is made as the operator API makes it: by the
//! operator's token Easel issues itself at first start, within what a provisioning token
//! may run, which shows that API suffices to set an organization up. What only people do
//! (settings, groups, projects, boards) is done by the demo's people. Its admin's personal
//! token, a service token, the operator's token and a SCIM token are issued at the end;
//! their secrets are shown once, with a one-time link that signs Ana in to the console.

use easel_core::catalog::{AdminRole, Plan};
use easel_core::command::{Actor, Command, Outcome};
use easel_core::event::TokenHolder;
use easel_core::model::ContentKind;
use easel_core::roles::{Access, BoardRole, MemberKind, TeamRole};
use easel_core::settings::{Classification, CompanySettings, Label};
use easel_core::time::Time;
use easel_store::{Backend, Durable, StoreError};

/// The demo organization's id: digits, as the reference platform's organization ids are
/// (its legal-hold routes take no other).
pub const ORG: &str = "3141592653";

/// What the demo made that a newcomer needs.
#[derive(Clone, Debug)]
pub struct Demo {
    /// Ana's personal access token (company admin and owner of the organization).
    pub admin_token: String,
    /// A service token for the decision API, limited to the demo organization.
    pub service_token: String,
    /// The public link token of the board shared by link.
    pub link_token: String,
    /// The operator's token (the operator API, every organization).
    pub operator_token: String,
    /// A SCIM token of the demo organization, for its identity provider.
    pub scim_token: String,
    /// A one-time sign-in link for Ana in the demo organization, as its text
    /// (`<id>.<secret>`; `signin::url` makes the console's URL of it). It works once,
    /// within 15 minutes of the first start.
    pub sign_in_link: String,
}

/// Ana's id: the demo's company admin and the organization's owner.
pub const ADMIN: &str = "usr_ana";

/// The id of the sign-in link for Ana a first start makes.
pub const SIGN_IN_LINK: &str = "lnk_ana_demo";

/// The operator token's id Easel issues itself at first start.
pub const OPERATOR_TOKEN: &str = "op_easel";

/// Who runs a step of the demo.
#[derive(Clone, Copy)]
enum By<'a> {
    /// Easel itself (issuing credentials).
    Easel,
    /// The operator's token, as the operator API would.
    Operator,
    /// One of the demo's people.
    User(&'a str),
}

/// Why the demo could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A command was refused (a bug in the demo, or a database that is not empty).
    #[error("demo step `{step}` was refused: {code}: {message}")]
    Refused {
        /// The step.
        step: String,
        /// The code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// No randomness for the secrets.
    #[error("no randomness available for the demo's secrets")]
    Random,
}

fn secret() -> Result<(String, String), DemoError> {
    crate::ids::new_secret().map_err(|_| DemoError::Random)
}

struct Seed<'d, B: Backend> {
    durable: &'d mut Durable<B>,
    now: Time,
}

impl<B: Backend> Seed<'_, B> {
    fn run(&mut self, by: By<'_>, command: Command) -> Result<(), DemoError> {
        let step = command.name();
        let actor = match by {
            By::Easel => Actor::System,
            By::Operator => Actor::Provisioner {
                token: OPERATOR_TOKEN,
            },
            By::User(id) => Actor::user(id),
        };
        match self.durable.run(actor, &command, self.now)?.0 {
            Outcome::Accepted { .. } => Ok(()),
            Outcome::Refused { refusal, .. } => Err(DemoError::Refused {
                step,
                code: refusal.code.as_str(),
                message: refusal.message,
            }),
        }
    }
}

fn s(text: &str) -> String {
    text.to_string()
}

/// Creates the demo organization. Run it on an empty database only.
pub fn seed<B: Backend>(durable: &mut Durable<B>, now: Time) -> Result<Demo, DemoError> {
    let mut x = Seed { durable, now };
    let (operator_secret, operator_digest) = secret()?;
    x.run(
        By::Easel,
        Command::IssueToken {
            token: s(OPERATOR_TOKEN),
            holder: TokenHolder::Operator {
                name: s("Easel operator"),
            },
            digest: operator_digest,
            expires_at: None,
        },
    )?;
    let op = By::Operator;
    let people = [
        ("usr_ana", "ana@acme.test", "Ana Admin"),
        ("usr_ben", "ben@acme.test", "Ben Designer"),
        ("usr_cy", "cy@acme.test", "Cy Engineer"),
        ("usr_eve", "eve@acme.test", "Eve Marketer"),
        ("usr_uma", "uma@acme.test", "Uma User-Admin"),
        ("usr_gil", "gil@partner.test", "Gil Guest"),
    ];
    for (id, email, name) in people {
        x.run(
            op,
            Command::CreateUser {
                user: s(id),
                email: s(email),
                name: s(name),
            },
        )?;
    }
    let ana = By::User("usr_ana");
    x.run(
        op,
        Command::CreateOrg {
            org: s(ORG),
            name: s("Acme Inc."),
            plan: Plan::Enterprise,
            owner: Some(s("usr_ana")),
        },
    )?;
    // The Guard add-on (cases and legal holds, content logs) and classification labels, so
    // that every compliance route has something to answer.
    x.run(
        op,
        Command::ChangePlan {
            org: s(ORG),
            plan: Plan::Enterprise,
            guard: true,
        },
    )?;
    let label = |name: &str, color: &str| Label {
        name: s(name),
        color: s(color),
    };
    x.run(
        ana,
        Command::UpdateCompanySettings {
            org: s(ORG),
            settings: CompanySettings {
                board_classification: Some(Classification {
                    labels: vec![
                        label("public", "#8FD14F"),
                        label("internal", "#F5DC80"),
                        label("confidential", "#F24726"),
                    ],
                    default_label: None,
                    policy_url: None,
                }),
                ..CompanySettings::default()
            },
        },
    )?;
    for (id, email, name) in &people[1..5] {
        x.run(
            op,
            Command::AddMember {
                org: s(ORG),
                user: s(id),
                email: s(email),
                name: s(name),
                kind: MemberKind::Member,
            },
        )?;
    }
    x.run(
        op,
        Command::AddMember {
            org: s(ORG),
            user: s("usr_gil"),
            email: s("gil@partner.test"),
            name: s("Gil Guest"),
            kind: MemberKind::Guest,
        },
    )?;
    x.run(
        op,
        Command::AssignAdminRole {
            org: s(ORG),
            user: s("usr_uma"),
            role: AdminRole::UserAdmin,
            team: None,
        },
    )?;
    for (team, name) in [("team_design", "Design"), ("team_marketing", "Marketing")] {
        x.run(
            op,
            Command::CreateTeam {
                org: s(ORG),
                team: s(team),
                name: s(name),
            },
        )?;
        // Ana, the company's admin, administers both teams first, as she did when she
        // made them herself (a team's creator joins it as its admin).
        x.run(
            op,
            Command::SetTeamMember {
                team: s(team),
                user: s("usr_ana"),
                role: TeamRole::Admin,
            },
        )?;
    }
    let member = |team: &str, user: &str, role| Command::SetTeamMember {
        team: s(team),
        user: s(user),
        role,
    };
    x.run(op, member("team_design", "usr_ben", TeamRole::Admin))?;
    x.run(op, member("team_design", "usr_cy", TeamRole::Member))?;
    x.run(op, member("team_marketing", "usr_eve", TeamRole::Admin))?;
    x.run(
        ana,
        Command::CreateGroup {
            org: s(ORG),
            group: s("grp_reviewers"),
            name: s("Reviewers"),
            description: s("Review the launch before it ships"),
        },
    )?;
    x.run(
        ana,
        Command::AddGroupMember {
            group: s("grp_reviewers"),
            user: s("usr_eve"),
        },
    )?;
    x.run(
        ana,
        Command::SetTeamGroup {
            team: s("team_design"),
            group: s("grp_reviewers"),
            role: TeamRole::Member,
        },
    )?;
    let ben = By::User("usr_ben");
    x.run(
        ben,
        Command::CreateProject {
            team: s("team_design"),
            project: s("prj_launch"),
            name: s("Launch"),
            private: Some(true),
        },
    )?;
    x.run(
        ben,
        Command::SetProjectMember {
            project: s("prj_launch"),
            user: s("usr_cy"),
            role: BoardRole::Editor,
        },
    )?;
    // A board in the private project: its members reach it through the project.
    x.run(
        ben,
        Command::CreateBoard {
            team: s("team_design"),
            board: s("brd_roadmap"),
            name: s("Launch roadmap"),
            project: Some(s("prj_launch")),
            setup: Default::default(),
        },
    )?;
    // Something on the roadmap: a frame and a note in it.
    for (content, kind, text) in [
        ("itm_roadmap_frame", ContentKind::Frame, "Q3"),
        ("itm_roadmap_note", ContentKind::StickyNote, "Ship the beta"),
    ] {
        x.run(
            ben,
            Command::AddContent {
                board: s("brd_roadmap"),
                content: s(content),
                kind,
                text: s(text),
            },
        )?;
    }
    // A team board, shared directly with the guest as a commenter.
    x.run(
        ben,
        Command::CreateBoard {
            team: s("team_design"),
            board: s("brd_wireframes"),
            name: s("Wireframes"),
            project: None,
            setup: Default::default(),
        },
    )?;
    x.run(
        ben,
        Command::ShareBoard {
            board: s("brd_wireframes"),
            emails: vec![s("gil@partner.test")],
            role: BoardRole::Commenter,
        },
    )?;
    // A marketing board open to the whole company, and one anyone may view by link.
    let eve = By::User("usr_eve");
    x.run(
        eve,
        Command::CreateBoard {
            team: s("team_marketing"),
            board: s("brd_brand"),
            name: s("Brand guidelines"),
            project: None,
            setup: Default::default(),
        },
    )?;
    x.run(
        eve,
        Command::SetBoardSharing {
            board: s("brd_brand"),
            team: Access::Editor,
            company: Access::Viewer,
            public: Access::None,
        },
    )?;
    x.run(
        eve,
        Command::CreateBoard {
            team: s("team_marketing"),
            board: s("brd_press"),
            name: s("Press kit"),
            project: None,
            setup: Default::default(),
        },
    )?;
    let (link_token, _) = secret()?;
    x.run(
        eve,
        Command::ResetBoardLink {
            board: s("brd_press"),
            token: link_token.clone(),
        },
    )?;
    x.run(
        eve,
        Command::SetBoardSharing {
            board: s("brd_press"),
            team: Access::Editor,
            company: Access::None,
            public: Access::Viewer,
        },
    )?;
    let (admin_secret, admin_digest) = secret()?;
    x.run(
        By::Easel,
        Command::IssueToken {
            token: s("pat_ana_demo"),
            holder: TokenHolder::User {
                user: s("usr_ana"),
                org: Some(s("3141592653")),
            },
            digest: admin_digest,
            expires_at: None,
        },
    )?;
    let (service_secret, service_digest) = secret()?;
    x.run(
        By::Easel,
        Command::IssueToken {
            token: s("svc_demo"),
            holder: TokenHolder::Service {
                name: s("demo gateway"),
                org: Some(s(ORG)),
            },
            digest: service_digest,
            expires_at: None,
        },
    )?;
    // The operator makes the organization's first SCIM token, as it would for an admin
    // who asked support for one.
    let (scim_secret, scim_digest) = secret()?;
    x.run(
        op,
        Command::CreateScimToken {
            org: s(ORG),
            token: s("scim_demo"),
            name: s("demo identity provider"),
            digest: scim_digest,
        },
    )?;
    // A link that signs Ana in to the web console, as a service or `easel login-link`
    // would ask for one.
    let (link_secret, link_digest) = secret()?;
    x.run(
        By::Easel,
        Command::IssueSignInLink {
            link: s(SIGN_IN_LINK),
            user: s(ADMIN),
            org: Some(s(ORG)),
            digest: link_digest,
        },
    )?;
    Ok(Demo {
        sign_in_link: format!("{SIGN_IN_LINK}.{link_secret}"),
        admin_token: format!("pat_ana_demo.{admin_secret}"),
        service_token: format!("svc_demo.{service_secret}"),
        link_token,
        operator_token: format!("{OPERATOR_TOKEN}.{operator_secret}"),
        scim_token: format!("scim_demo.{scim_secret}"),
    })
}
