//! Serde for the small vocabularies, in their one wire spelling (and, on input, the variant
//! spellings their parsers accept), so events and fixtures can be stored and read back.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::{AdminRole, Plan};
use crate::model::{ContentKind, Licence, RequestState};
use crate::roles::{Access, BoardRole, MemberKind, TeamRole};
use crate::state::RequestKind;

/// Implements serde through `as_str` and `parse`.
macro_rules! by_name {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$ty>::parse(&text).ok_or_else(|| D::Error::custom(format!(concat!("unknown ", $what, " `{}`"), text)))
            }
        }
    )+};
}

by_name! {
    Plan => "plan",
    AdminRole => "admin role",
    Licence => "licence",
    Access => "access level",
    BoardRole => "role",
    MemberKind => "member kind",
    TeamRole => "team role",
    RequestState => "request state",
    RequestKind => "request kind",
    ContentKind => "content kind",
}
