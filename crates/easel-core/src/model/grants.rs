//! A board's direct grants, packed: eight bytes each, where a pair of an enum and a role
//! would take twelve. A large organization holds millions of grants, so the four bytes are
//! tens of megabytes.

use crate::ids::{GroupIx, Seq, UserIx};
use crate::model::Grantee;
use crate::roles::BoardRole;

/// Marks a group's index in a packed key; users' keys are their plain index, so the keys
/// sort as `Grantee` does: users before groups, each by index.
const GROUP_BIT: u32 = 1 << 31;

/// One grant: the grantee's index with its kind in the top bit, and the role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    key: u32,
    role: BoardRole,
}

/// The packed key of a grantee; `None` for an index that needs the top bit (more than two
/// billion users or groups, which no state reaches).
fn key(who: Grantee) -> Option<u32> {
    let (ix, bit) = match who {
        Grantee::User(u) => (u.0, 0),
        Grantee::Group(g) => (g.0, GROUP_BIT),
    };
    (ix & GROUP_BIT == 0).then_some(ix | bit)
}

impl Grant {
    /// Who the grant is for.
    pub fn grantee(self) -> Grantee {
        if self.key & GROUP_BIT == 0 {
            Grantee::User(UserIx(self.key))
        } else {
            Grantee::Group(GroupIx(self.key & !GROUP_BIT))
        }
    }

    /// The role granted.
    pub fn role(self) -> BoardRole {
        self.role
    }

    fn pair(&self) -> (Grantee, BoardRole) {
        (self.grantee(), self.role)
    }
}

/// A board's direct grants to users and groups, sorted by grantee (users first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants(Vec<Grant>);

impl Grants {
    /// No grants.
    pub const fn new() -> Grants {
        Grants(Vec::new())
    }

    /// The role granted to a grantee, if any.
    pub fn get(&self, who: Grantee) -> Option<BoardRole> {
        let k = key(who)?;
        self.0
            .binary_search_by(|g| g.key.cmp(&k))
            .ok()
            .map(|i| self.0[i].role)
    }

    /// How many grants.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every grant, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Grantee, BoardRole)> + '_ {
        self.0.iter().map(Grant::pair)
    }

    /// The first grant.
    pub fn first(&self) -> Option<(Grantee, BoardRole)> {
        self.0.first().map(Grant::pair)
    }

    /// Whether any group holds a grant (groups sort last).
    pub fn any_group(&self) -> bool {
        self.0.last().is_some_and(|g| g.key & GROUP_BIT != 0)
    }

    /// The grants to users after `after` (all of them when `None`), in order of user: a
    /// list of a board's members starts at its cursor without reading the grants before.
    pub fn users_after(
        &self,
        after: Option<UserIx>,
    ) -> impl Iterator<Item = (UserIx, BoardRole)> + '_ {
        let start = after.map_or(0, |a| self.0.partition_point(|g| g.key <= a.0));
        self.0
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|g| g.key & GROUP_BIT == 0)
            .map(|g| (UserIx(g.key), g.role))
    }

    /// The grants to groups, in order.
    pub fn groups(&self) -> impl Iterator<Item = (GroupIx, BoardRole)> + '_ {
        let start = self.0.partition_point(|g| g.key & GROUP_BIT == 0);
        self.0[start..]
            .iter()
            .map(|g| (GroupIx(g.key & !GROUP_BIT), g.role))
    }

    /// Sets a grantee's role; false (and nothing changed) when the index cannot be packed.
    pub(crate) fn set(&mut self, who: Grantee, role: BoardRole) -> bool {
        let Some(k) = key(who) else {
            return false;
        };
        match self.0.binary_search_by(|g| g.key.cmp(&k)) {
            Ok(i) => self.0[i].role = role,
            Err(i) => self.0.insert_at(i, Grant { key: k, role }),
        }
        true
    }

    /// Removes a grantee's grant; whether there was one.
    pub(crate) fn remove(&mut self, who: Grantee) -> bool {
        let Some(k) = key(who) else {
            return false;
        };
        match self.0.binary_search_by(|g| g.key.cmp(&k)) {
            Ok(i) => {
                self.0.remove_at(i);
                true
            }
            Err(_) => false,
        }
    }
}

impl<'a> IntoIterator for &'a Grants {
    type Item = (Grantee, BoardRole);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, Grant>, fn(&Grant) -> (Grantee, BoardRole)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0
            .iter()
            .map(Grant::pair as fn(&Grant) -> (Grantee, BoardRole))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_keep_grantee_order_and_round_trip() {
        let mut g = Grants::new();
        assert!(g.set(Grantee::Group(GroupIx(1)), BoardRole::Viewer));
        assert!(g.set(Grantee::User(UserIx(7)), BoardRole::Editor));
        assert!(g.set(Grantee::User(UserIx(2)), BoardRole::Commenter));
        assert!(g.set(Grantee::User(UserIx(7)), BoardRole::Coowner));
        let all: Vec<_> = g.iter().collect();
        assert_eq!(
            all,
            vec![
                (Grantee::User(UserIx(2)), BoardRole::Commenter),
                (Grantee::User(UserIx(7)), BoardRole::Coowner),
                (Grantee::Group(GroupIx(1)), BoardRole::Viewer),
            ]
        );
        assert!(g.any_group());
        assert_eq!(
            g.groups().collect::<Vec<_>>(),
            vec![(GroupIx(1), BoardRole::Viewer)]
        );
        assert_eq!(g.get(Grantee::User(UserIx(1))), None);
        assert!(g.remove(Grantee::Group(GroupIx(1))));
        assert!(!g.remove(Grantee::Group(GroupIx(1))));
        assert!(!g.any_group());
        // An index that would collide with the kind bit is refused, never aliased.
        assert!(!g.set(Grantee::User(UserIx(GROUP_BIT)), BoardRole::Viewer));
        assert_eq!(g.get(Grantee::User(UserIx(GROUP_BIT | 2))), None);
        assert_eq!(std::mem::size_of::<Grant>(), 8);
    }
}
