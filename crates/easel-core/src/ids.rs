//! Dense typed indexes for entities, and the table that maps opaque string ids to them.
//!
//! Outside the engine, ids are opaque strings. Inside, every entity lives at a `u32` index in
//! a vector, so a check is array reads and small binary searches, never string hashing.
//! Indexes are never reused: a purged board keeps its slot, so a cursor that names an index
//! stays meaningful for the life of the state.

use std::marker::PhantomData;

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Declares a `u32` index type.
macro_rules! index {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The position in its table.
            pub const fn get(self) -> usize {
                self.0 as usize
            }
        }

        impl Index for $name {
            fn from_usize(i: usize) -> Option<Self> {
                u32::try_from(i).ok().map($name)
            }
            fn to_usize(self) -> usize {
                self.0 as usize
            }
        }
    )+};
}

/// What a typed index can do.
pub trait Index: Copy {
    /// The index at position `i`, if it fits in `u32`.
    fn from_usize(i: usize) -> Option<Self>;
    /// The position.
    fn to_usize(self) -> usize;
}

index! {
    /// An organization.
    OrgIx,
    /// A user (global identity).
    UserIx,
    /// A team.
    TeamIx,
    /// A project (space).
    ProjectIx,
    /// A board.
    BoardIx,
    /// A user group.
    GroupIx,
    /// An OAuth app.
    AppIx,
    /// An app's installation into a team.
    InstallationIx,
    /// An access token.
    TokenIx,
    /// A service token for the decision API.
    ServiceIx,
    /// An OAuth authorization code.
    CodeIx,
    /// An OAuth refresh token.
    RefreshIx,
    /// An interactive session.
    SessionIx,
    /// A one-time sign-in link.
    SignInLinkIx,
    /// A legal case.
    CaseIx,
    /// An invitation.
    InvitationIx,
    /// A request: access to a board, joining a team, a licence, an app.
    RequestIx,
    /// A billing group.
    BillingGroupIx,
    /// An item or comment on a board.
    ContentIx,
}

/// An entity with an opaque string id.
pub trait Keyed {
    /// The id.
    fn key(&self) -> &str;
}

/// A vector of entities with a map from their string ids. The map holds only each
/// entity's position and finds the id in the entity itself: an id is stored once.
#[derive(Clone, Debug)]
pub struct Table<I, T> {
    items: Vec<T>,
    by_id: HashTable<u32>,
    _index: PhantomData<I>,
}

impl<I, T> Default for Table<I, T> {
    fn default() -> Self {
        Table {
            items: Vec::new(),
            by_id: HashTable::new(),
            _index: PhantomData,
        }
    }
}

impl<I, T: PartialEq> PartialEq for Table<I, T> {
    fn eq(&self, other: &Self) -> bool {
        // The map follows from the entities.
        self.items == other.items
    }
}

fn hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id)
}

impl<I: Index, T: Keyed> Table<I, T> {
    /// The index of an id.
    pub fn find(&self, id: &str) -> Option<I> {
        let items = &self.items;
        self.by_id
            .find(hash(id), |&i| {
                items.get(i as usize).is_some_and(|t| t.key() == id)
            })
            .and_then(|&i| I::from_usize(i as usize))
    }

    /// Adds an entity under its id; `None` if the id is taken, is not the entity's own, or
    /// the table is full.
    pub(crate) fn insert(&mut self, id: &str, item: T) -> Option<I> {
        let key = item.key();
        if key != id || self.find(key).is_some() {
            return None;
        }
        let h = hash(key);
        let position = u32::try_from(self.items.len()).ok()?;
        let ix = I::from_usize(self.items.len())?;
        self.items.push(item);
        let items = &self.items;
        self.by_id.insert_unique(h, position, |&i| {
            items.get(i as usize).map_or(0, |t| hash(t.key()))
        });
        Some(ix)
    }
}

impl<I: Index, T> Table<I, T> {
    /// The entity at an index. Indexes come only from this table, so they are in range;
    /// `None` guards against an index from another state.
    pub fn get(&self, ix: I) -> Option<&T> {
        self.items.get(ix.to_usize())
    }

    pub(crate) fn get_mut(&mut self, ix: I) -> Option<&mut T> {
        self.items.get_mut(ix.to_usize())
    }

    /// Every entity, mutably, in insertion order.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.items.iter_mut()
    }

    /// The number of entities ever inserted.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every entity with its index, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (I, &T)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, t)| I::from_usize(i).map(|ix| (ix, t)))
    }
}

/// A sequence the sorted helpers edit: a vector, or a small vector kept inline (the few
/// memberships a user holds live in the user's record, not behind another pointer).
pub(crate) trait Seq<T>: std::ops::DerefMut<Target = [T]> {
    fn insert_at(&mut self, i: usize, x: T);
    fn remove_at(&mut self, i: usize);
}

impl<T> Seq<T> for Vec<T> {
    fn insert_at(&mut self, i: usize, x: T) {
        // Most of these vectors stay short (a board's grants, a user's boards): grown one
        // slot at a time they hold no spare capacity, where doubling would leave up to half
        // of each unused. Long ones grow by doubling, as copying them each time would cost.
        if self.len() < 16 {
            self.reserve_exact(1);
        }
        self.insert(i, x);
    }
    fn remove_at(&mut self, i: usize) {
        self.remove(i);
    }
}

impl<A: smallvec::Array> Seq<A::Item> for smallvec::SmallVec<A> {
    fn insert_at(&mut self, i: usize, x: A::Item) {
        self.insert(i, x);
    }
    fn remove_at(&mut self, i: usize) {
        self.remove(i);
    }
}

/// Inserts into a sorted vector, keeping it sorted and free of duplicates.
pub(crate) fn sorted_insert<T: Ord>(v: &mut impl Seq<T>, x: T) {
    if let Err(pos) = v.binary_search(&x) {
        v.insert_at(pos, x);
    }
}

/// Removes from a sorted vector.
pub(crate) fn sorted_remove<T: Ord>(v: &mut impl Seq<T>, x: &T) {
    if let Ok(pos) = v.binary_search(x) {
        v.remove_at(pos);
    }
}

/// Looks a key up in a vector of pairs sorted by key.
pub(crate) fn lookup<K: Ord, V: Copy>(v: &[(K, V)], key: &K) -> Option<V> {
    v.binary_search_by(|(k, _)| k.cmp(key)).ok().map(|i| v[i].1)
}

/// Sets a key's value in a vector of pairs sorted by key.
pub(crate) fn upsert<K: Ord, V>(v: &mut impl Seq<(K, V)>, key: K, value: V) {
    match v.binary_search_by(|(k, _)| k.cmp(&key)) {
        Ok(i) => v[i].1 = value,
        Err(i) => v.insert_at(i, (key, value)),
    }
}

/// Removes a key from a vector of pairs sorted by key; whether it was there.
pub(crate) fn remove_key<K: Ord, V>(v: &mut impl Seq<(K, V)>, key: &K) -> bool {
    match v.binary_search_by(|(k, _)| k.cmp(key)) {
        Ok(i) => {
            v.remove_at(i);
            true
        }
        Err(_) => false,
    }
}
