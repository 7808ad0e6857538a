//! The catalogs of `catalog/*.toml`, compiled into typed tables by `build.rs`.
//!
//! Every privilege, scope, capability, feature and setting is an enum here; the tables
//! that hang off them (who holds a privilege, where a scope is honoured, which plans have a
//! capability) are `const` matches, so the engine never compares strings on the hot path.

mod sets;

pub use sets::{
    AdminRole, AdminRoleSet, Plan, PlanSet, ScopePlan, SettingLevel, Surface, SurfaceSet,
    Vocabulary,
};

use crate::roles::BoardRole;

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The catalog files as compiled in, for tests and tools that want to read them again.
pub const SOURCES: [(&str, &str); 5] = [
    (
        "admin-privileges.toml",
        include_str!("../../catalog/admin-privileges.toml"),
    ),
    ("scopes.toml", include_str!("../../catalog/scopes.toml")),
    (
        "board-roles.toml",
        include_str!("../../catalog/board-roles.toml"),
    ),
    ("plans.toml", include_str!("../../catalog/plans.toml")),
    ("settings.toml", include_str!("../../catalog/settings.toml")),
];

impl Plan {
    /// Every plan but free.
    pub const fn is_paid(self) -> bool {
        PAID_PLANS.contains(self)
    }
}

impl Feature {
    /// Whether an organization on `plan`, with or without the Guard add-on, has the feature.
    pub const fn available(self, plan: Plan, guard: bool) -> bool {
        self.plans().contains(plan) && (guard || !self.needs_guard())
    }
}

impl Scope {
    /// Whether an organization on `plan`, with or without the Guard add-on, may use the scope.
    pub const fn available(self, plan: Plan, guard: bool) -> bool {
        match self.availability() {
            ScopePlan::All => true,
            ScopePlan::Enterprise => matches!(plan, Plan::Enterprise),
            ScopePlan::EnterpriseGuard => matches!(plan, Plan::Enterprise) && guard,
        }
    }

    /// This scope as a one-element set.
    pub const fn bit(self) -> ScopeSet {
        ScopeSet(1 << (self as u8))
    }
}

/// A set of scopes, one bit each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ScopeSet(u64);

impl ScopeSet {
    /// The empty set.
    pub const EMPTY: ScopeSet = ScopeSet(0);

    /// A set from raw bits (bit `i` is `Scope::ALL[i]`).
    pub const fn from_bits(bits: u64) -> Self {
        ScopeSet(bits)
    }

    /// The raw bits, for storage.
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// Whether the set holds `scope`.
    pub const fn contains(self, scope: Scope) -> bool {
        self.0 & (1 << (scope as u8)) != 0
    }

    /// The union.
    pub const fn union(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 | other.0)
    }

    /// The intersection.
    pub const fn intersection(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & other.0)
    }

    /// The scopes of `self` that `other` lacks.
    pub const fn difference(self, other: ScopeSet) -> ScopeSet {
        ScopeSet(self.0 & !other.0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes in catalog order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// Parses names or aliases; the first unknown name is returned as the error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<ScopeSet, &'a str> {
        let mut set = ScopeSet::EMPTY;
        for name in names {
            set = set.union(Scope::from_name(name).ok_or(name)?.bit());
        }
        Ok(set)
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        iter.into_iter()
            .fold(ScopeSet::EMPTY, |s, x| s.union(x.bit()))
    }
}
