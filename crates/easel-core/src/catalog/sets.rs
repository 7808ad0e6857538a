//! Small closed vocabularies of the catalogs (plans, admin roles, surfaces) and bitsets of them.

use std::fmt;

/// Declares a `u8`-backed enum with its wire spelling and a matching bitset type.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $set:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in catalog order (which is also the bit order of the set).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The spelling used in catalogs, files and on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the wire spelling.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// This value as a one-element set.
            pub const fn bit(self) -> $set {
                $set(1 << (self as u8))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[doc = concat!("A set of [`", stringify!($name), "`] values, one bit each.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $set(u8);

        impl $set {
            /// The empty set.
            pub const EMPTY: $set = $set(0);

            /// A set from raw bits (bit `i` is the `i`-th value of `ALL`).
            pub const fn from_bits(bits: u8) -> Self {
                $set(bits)
            }

            /// The raw bits.
            pub const fn bits(self) -> u8 {
                self.0
            }

            /// Whether the set holds `value`.
            pub const fn contains(self, value: $name) -> bool {
                self.0 & (1 << (value as u8)) != 0
            }

            /// Whether the two sets share a value.
            pub const fn intersects(self, other: $set) -> bool {
                self.0 & other.0 != 0
            }

            /// The union of the two sets.
            pub const fn union(self, other: $set) -> $set {
                $set(self.0 | other.0)
            }

            /// The set without `value`.
            pub const fn without(self, value: $name) -> $set {
                $set(self.0 & !(1 << (value as u8)))
            }

            /// Whether the set is empty.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// The values in the set, in catalog order.
            pub fn iter(self) -> impl Iterator<Item = $name> {
                $name::ALL.iter().copied().filter(move |v| self.contains(*v))
            }
        }

        impl FromIterator<$name> for $set {
            fn from_iter<I: IntoIterator<Item = $name>>(iter: I) -> Self {
                iter.into_iter().fold($set::EMPTY, |set, v| set.union(v.bit()))
            }
        }
    };
}

vocabulary! {
    /// A subscription plan of `plans.toml`.
    Plan, PlanSet {
        /// The free plan.
        Free = "free",
        /// The starter plan.
        Starter = "starter",
        /// The business plan.
        Business = "business",
        /// The consultant plan.
        Consultant = "consultant",
        /// The education plan.
        Education = "education",
        /// The enterprise plan.
        Enterprise = "enterprise",
    }
}

vocabulary! {
    /// A predefined admin role of `admin-privileges.toml`.
    AdminRole, AdminRoleSet {
        /// Company admin.
        CompanyAdmin = "company_admin",
        /// User admin.
        UserAdmin = "user_admin",
        /// Content admin.
        ContentAdmin = "content_admin",
        /// Security admin.
        SecurityAdmin = "security_admin",
        /// Team content admin, held per team.
        TeamContentAdmin = "team_content_admin",
    }
}

vocabulary! {
    /// Where a token is used: inside a board's app iframe, or on the REST API.
    Surface, SurfaceSet {
        /// The Web SDK inside a board.
        WebSdk = "web_sdk",
        /// The REST API.
        Rest = "rest",
    }
}

/// The vocabulary a scope comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocabulary {
    /// The board-platform vocabulary.
    Board,
    /// The mural-platform vocabulary.
    Mural,
    /// Both vocabularies have the scope.
    Both,
}

/// The plan an organization needs for a scope to admit requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopePlan {
    /// Every plan.
    All,
    /// The enterprise plan.
    Enterprise,
    /// The enterprise plan with the Guard add-on.
    EnterpriseGuard,
}

impl ScopePlan {
    /// The catalog spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScopePlan::All => "all",
            ScopePlan::Enterprise => "enterprise",
            ScopePlan::EnterpriseGuard => "enterprise_guard",
        }
    }
}

/// Where a setting lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingLevel {
    /// Company only.
    Company,
    /// Team only.
    Team,
    /// Both; the company value bounds the team value.
    Both,
}
