//! Why a change to the state was refused.

use thiserror::Error;

/// A change the state refuses: it would break an invariant. Nothing is changed.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum StateError {
    /// The id is in use.
    #[error("`{0}` is already taken")]
    DuplicateId(String),
    /// The referenced entity does not exist.
    #[error("no {kind} `{id}`")]
    Unknown {
        /// What was looked for.
        kind: &'static str,
        /// The id or index given.
        id: String,
    },
    /// The change would link two organizations.
    #[error("`{0}` belongs to another organization")]
    CrossOrganization(String),
    /// The email is used by another user.
    #[error("email `{0}` is already used")]
    DuplicateEmail(String),
    /// The email is not an address.
    #[error("`{0}` is not a valid email address")]
    InvalidEmail(String),
    /// Guests cannot hold admin roles.
    #[error("a guest cannot hold admin roles")]
    GuestAdmin,
    /// The user must be in the organization first.
    #[error("user `{0}` is not in the organization")]
    NotInOrganization(String),
    /// A value is out of its range.
    #[error("invalid value: {0}")]
    Invalid(String),
    /// The table cannot grow further.
    #[error("too many entities")]
    Full,
}

impl StateError {
    /// The stable reason code.
    pub const fn code(&self) -> crate::codes::Code {
        use crate::codes::Code;
        match self {
            StateError::DuplicateId(_) | StateError::DuplicateEmail(_) => Code::RequestConflict,
            StateError::Unknown { .. } => Code::RequestNotFound,
            StateError::CrossOrganization(_) => Code::RequestCrossOrganization,
            StateError::InvalidEmail(_) | StateError::Invalid(_) | StateError::Full => {
                Code::RequestInvalidParameter
            }
            StateError::GuestAdmin => Code::AuthorityGuest,
            StateError::NotInOrganization(_) => Code::AuthorityNotInOrganization,
        }
    }
}
