//! Typed company and team settings (`settings.toml`) and their effective values.
//!
//! A setting on both levels is bounded by the company: the effective value is the stricter
//! of the two. Company settings are an enterprise feature; on other plans the company values
//! are the catalog defaults, whatever is stored (stored values are kept, not deleted, so a
//! plan that comes back brings them back).

use serde::{Deserialize, Serialize};

use crate::catalog::{Feature, Plan};
use crate::roles::Access;

/// Declares a settings enum with snake_case wire names and a default.
macro_rules! setting_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $text)] $variant,)+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The wire spelling.
            pub const fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// Parses the wire spelling.
            pub fn parse(text: &str) -> Option<Self> { match text { $($text => Some($name::$variant),)+ _ => None } }
        }
    };
}

setting_enum! {
    /// `public_link_sharing`: how far a public link may reach. Ordered, strictest first.
    PublicLinkSharing {
        /// No public links.
        Off = "off",
        /// View and comment links only.
        ViewComment = "view_comment",
        /// Links at any level.
        #[default]
        Any = "any",
    }
}

impl PublicLinkSharing {
    /// The highest access a link may give under this setting.
    pub const fn ceiling(self) -> Access {
        match self {
            PublicLinkSharing::Off => Access::None,
            PublicLinkSharing::ViewComment => Access::Commenter,
            PublicLinkSharing::Any => Access::Editor,
        }
    }
}

setting_enum! {
    /// `who_can_invite`. Ordered, strictest first.
    WhoCanInvite {
        /// Company admins only.
        CompanyAdmins = "company_admins",
        /// Company admins and team admins.
        CompanyAndTeamAdmins = "company_and_team_admins",
        /// Every member.
        #[default]
        AllMembers = "all_members",
    }
}

setting_enum! {
    /// `who_can_create` for one kind of asset. Ordered, strictest first.
    Creators {
        /// Company admins only.
        CompanyAdmins = "company_admins",
        /// Company admins and team admins.
        CompanyAndTeamAdmins = "company_and_team_admins",
        /// Every team member.
        #[default]
        AllMembers = "all_members",
    }
}

setting_enum! {
    /// `team_privacy`.
    TeamPrivacy {
        /// Teams are visible across the company.
        #[default]
        Visible = "visible",
        /// Every team is hidden, whatever its discovery.
        Private = "private",
    }
}

setting_enum! {
    /// `team_discovery`.
    TeamDiscovery {
        /// Reachable by invitation only.
        #[default]
        Hidden = "hidden",
        /// Visible; members ask and a team admin decides.
        RequestToJoin = "request_to_join",
        /// Visible; members join at once.
        Open = "open",
    }
}

setting_enum! {
    /// A default sharing level for new boards or projects.
    SharingLevel {
        /// Only those invited.
        Private = "private",
        /// The whole team.
        #[default]
        Team = "team",
        /// The whole company.
        Company = "company",
    }
}

setting_enum! {
    /// The team's `copy_content`. Ordered, strictest first.
    CopyContent {
        /// Only team members may copy.
        TeamMembers = "team_members",
        /// Anyone with access may copy.
        #[default]
        AnyoneWithAccess = "anyone_with_access",
    }
}

setting_enum! {
    /// A board's `copy_access` content setting. Ordered, loosest first.
    CopyAccess {
        /// Anyone who can reach the board.
        #[default]
        AnyoneWithAccess = "anyone_with_access",
        /// Members of the board's team.
        TeamMembers = "team_members",
        /// Editors and above.
        Editors = "editors",
        /// The owner only.
        OwnerOnly = "owner_only",
    }
}

setting_enum! {
    /// A board's `sharing_access` content setting.
    SharingAccess {
        /// Editors who are team members may share too.
        #[default]
        Editors = "editors",
        /// Only the owner and co-owners may share.
        OwnerAndCoowners = "owner_and_coowners",
    }
}

/// A board's content settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContentSettings {
    /// Who may copy content.
    pub copy_access: CopyAccess,
    /// Who may share.
    pub sharing_access: SharingAccess,
}

/// A classification label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// The label's name, unique in the organization.
    pub name: String,
    /// A display colour.
    #[serde(default)]
    pub color: String,
}

/// The company's `board_classification` when on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Classification {
    /// The labels boards may carry.
    pub labels: Vec<Label>,
    /// The label given to new boards.
    pub default_label: Option<String>,
    /// A link to the company's classification policy.
    pub policy_url: Option<String>,
}

/// Company settings (`level = company` or `both`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompanySettings {
    /// Idle time, in seconds, after which a session ends; `None` is off.
    pub idle_session_timeout_secs: Option<u64>,
    /// Hosts boards may be embedded in; `None` is off.
    pub embed_sharing: Option<Vec<String>>,
    /// Company admins act as content admins over every board, project and template.
    pub extended_content_admin: bool,
    /// Guests idle for 30 days are deactivated.
    pub auto_deactivate_guests: bool,
    /// Email domains that may be invited; `None` is off.
    pub allowed_domains: Option<Vec<String>>,
    /// Board invitations to guests outside the allowlist are permitted.
    pub allowed_domains_guest_bypass: bool,
    /// How far public links may reach.
    pub public_link_sharing: PublicLinkSharing,
    /// Who may invite new members.
    pub who_can_invite: WhoCanInvite,
    /// Whether teams are visible across the company.
    pub team_privacy: TeamPrivacy,
    /// Whether boards and projects may have co-owners.
    pub coowner_role: bool,
    /// Board classification; `None` is off.
    pub board_classification: Option<Classification>,
    /// Templates may be shared only by their owners and co-owners and by admins (the
    /// admin table's "restrict template sharing"; not in settings.toml).
    pub restrict_template_sharing: bool,
}

impl Default for CompanySettings {
    fn default() -> Self {
        CompanySettings {
            idle_session_timeout_secs: None,
            embed_sharing: None,
            extended_content_admin: false,
            auto_deactivate_guests: false,
            allowed_domains: None,
            allowed_domains_guest_bypass: false,
            public_link_sharing: PublicLinkSharing::Any,
            who_can_invite: WhoCanInvite::AllMembers,
            team_privacy: TeamPrivacy::Visible,
            coowner_role: true,
            board_classification: None,
            restrict_template_sharing: false,
        }
    }
}

/// `who_can_create`, per asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WhoCanCreate {
    /// Boards.
    pub boards: Creators,
    /// Projects.
    pub projects: Creators,
    /// Templates.
    pub templates: Creators,
}

/// `team_and_company_sharing`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamCompanySharing {
    /// Boards may be shared with the whole team.
    pub team: bool,
    /// Boards may be shared with the whole company.
    pub company: bool,
}

impl Default for TeamCompanySharing {
    fn default() -> Self {
        TeamCompanySharing {
            team: true,
            company: true,
        }
    }
}

/// `default_sharing`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DefaultSharing {
    /// For new boards.
    pub boards: SharingLevel,
    /// For new projects.
    pub projects: SharingLevel,
}

/// Team settings (`level = team` or `both`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamSettings {
    /// Email domains that may be invited to the team's boards; `None` is off.
    pub allowed_domains: Option<Vec<String>>,
    /// How far public links of the team's boards may reach.
    pub public_link_sharing: PublicLinkSharing,
    /// Who may invite into the team.
    pub who_can_invite: WhoCanInvite,
    /// Members may invite guests to the team's boards.
    pub guest_invites: bool,
    /// How members find and join the team.
    pub team_discovery: TeamDiscovery,
    /// Whether the team's boards and projects may have co-owners.
    pub coowner_role: bool,
    /// The default label for new boards; `None` inherits the company's.
    pub board_classification_default: Option<String>,
    /// Who may create boards, projects and templates.
    pub who_can_create: WhoCanCreate,
    /// Whether boards may be shared with the team and the company.
    pub team_and_company_sharing: TeamCompanySharing,
    /// The sharing level of new boards and projects.
    pub default_sharing: DefaultSharing,
    /// Whether boards may move into and out of the team.
    pub board_moving: bool,
    /// Who may copy content from the team's boards.
    pub copy_content: CopyContent,
    /// The content settings of new boards.
    pub default_board_content: ContentSettings,
}

impl Default for TeamSettings {
    fn default() -> Self {
        TeamSettings {
            allowed_domains: None,
            public_link_sharing: PublicLinkSharing::Any,
            who_can_invite: WhoCanInvite::AllMembers,
            guest_invites: true,
            team_discovery: TeamDiscovery::Hidden,
            coowner_role: true,
            board_classification_default: None,
            who_can_create: WhoCanCreate::default(),
            team_and_company_sharing: TeamCompanySharing::default(),
            default_sharing: DefaultSharing::default(),
            board_moving: true,
            copy_content: CopyContent::AnyoneWithAccess,
            default_board_content: ContentSettings::default(),
        }
    }
}

/// The company settings in force for an organization on `plan`.
pub fn company_in_force(plan: Plan, stored: &CompanySettings) -> &CompanySettings {
    static DEFAULTS: std::sync::LazyLock<CompanySettings> =
        std::sync::LazyLock::new(CompanySettings::default);
    if Feature::CompanySettings.available(plan, false) {
        stored
    } else {
        &DEFAULTS
    }
}

/// The effective `public_link_sharing` for a board: the stricter of company and team.
pub fn effective_public_link(company: &CompanySettings, team: &TeamSettings) -> PublicLinkSharing {
    company.public_link_sharing.min(team.public_link_sharing)
}

/// The effective `coowner_role`: on only if on for both.
pub fn effective_coowners(company: &CompanySettings, team: &TeamSettings) -> bool {
    company.coowner_role && team.coowner_role
}

/// The effective `who_can_invite`: the stricter of company and team.
pub fn effective_who_can_invite(company: &CompanySettings, team: &TeamSettings) -> WhoCanInvite {
    company.who_can_invite.min(team.who_can_invite)
}

/// Whether `email`'s domain passes one allowlist (`None` lets everything pass).
fn domain_allowed(list: Option<&[String]>, email: &str) -> bool {
    let Some(list) = list else { return true };
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    list.iter().any(|d| d.eq_ignore_ascii_case(domain))
}

/// Whether `email` passes the company allowlist and, when given, the team's: the stricter
/// wins because both must pass.
pub fn email_allowed(company: &CompanySettings, team: Option<&TeamSettings>, email: &str) -> bool {
    domain_allowed(company.allowed_domains.as_deref(), email)
        && team.is_none_or(|t| domain_allowed(t.allowed_domains.as_deref(), email))
}
