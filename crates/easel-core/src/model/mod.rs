//! The entities of the access model (MODEL.md §1), as the engine holds them in memory.
//!
//! Fields that name other entities hold their dense indexes; the sorted vectors on each
//! entity are the indexes the questions need (forward: board → grants; reverse: user →
//! boards, team → boards, project → boards, group → users). `State` keeps them consistent.

mod app;
mod board;
mod case;
mod grants;
mod group;
mod org;
mod pending;
mod profile;
mod project;
mod stamp;
mod team;
mod user;

pub use app::{
    App, AuthCode, Installation, Refresh, ServiceKind, ServiceToken, Session, SignInLink, Token,
    TokenKind,
};
pub use board::{Board, BoardCore, BoardState, Grantee, LinkDigest};
pub use case::{Case, LegalHold};
pub use grants::{Grant, Grants};
pub use group::Group;
pub use org::{DEFAULT_TRASH_RETENTION_DAYS, Licence, Membership, Org};
pub use pending::{
    AccessRequest, AppRequest, BillingGroup, Content, ContentKind, Domain, Invitation, InviteInto,
    JoinRequest, LicenceRequest, RequestState,
};
pub use profile::{MAX_PROFILE_EMAILS, Profile, ProfileEmail, ProfileFields};
pub use project::Project;
pub use stamp::Stamp;
pub use team::Team;
pub use user::{User, UserStatus};

/// Every entity kept in a table is found by its `id`.
macro_rules! keyed {
    ($($t:ty),+ $(,)?) => {$(
        impl crate::ids::Keyed for $t {
            fn key(&self) -> &str {
                &self.id
            }
        }
    )+};
}

keyed!(
    App,
    AuthCode,
    Installation,
    Refresh,
    ServiceToken,
    Session,
    SignInLink,
    Token,
    Board,
    Case,
    Group,
    Org,
    AccessRequest,
    AppRequest,
    BillingGroup,
    Content,
    Invitation,
    JoinRequest,
    LicenceRequest,
    Project,
    Team,
    User,
);
