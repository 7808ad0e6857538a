//! Sealed cursors: a list's cursor is where its next page starts, authenticated with a MAC
//! keyed by the store's secret and bound to the list it belongs to (the route with its
//! path and filters, and the caller), so that a cursor Easel did not issue, or issued for
//! another list or caller, is refused with `request.invalid_cursor` instead of read.
//!
//! The secret lives in the store (made once, at first start), so cursors survive a restart
//! and are accepted by every server on one PostgreSQL database.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use easel_core::codes::Code;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::wire::{CursorList, page_limit};

type HmacSha256 = Hmac<Sha256>;

/// What every sealed cursor starts with (the version of this format).
const PREFIX: &str = "e1.";
/// The bytes of the MAC a cursor carries: 128 bits, far past guessing.
const TAG_BYTES: usize = 16;
/// The longest position a cursor holds; anything longer was not made here.
const MAX_POSITION_BYTES: usize = 128;
/// SHA-256's block: a key of this size is used as it is (RFC 2104 pads a shorter one with
/// zeros, which is what copying the secret into it does).
const KEY_BYTES: usize = 64;

/// Seals and opens cursors with one secret.
#[derive(Clone)]
pub struct Cursors {
    keyed: HmacSha256,
}

impl std::fmt::Debug for Cursors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keyed MAC holds the secret: never shown.
        f.write_str("Cursors")
    }
}

/// The list a cursor belongs to: a route with its path and filters, and the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope(Vec<u8>);

impl Scope {
    /// The list `route` (a name or a request's path and filters) as `caller` sees it.
    pub fn new(route: &str, caller: &Caller) -> Scope {
        let scope = Scope(Vec::new()).with(route);
        match caller {
            Caller::User { id, .. } => scope.with("user").with(id),
            Caller::Service { token_id, .. } => scope.with("service").with(token_id),
            Caller::Provisioner { token_id, .. } => scope.with("provisioner").with(token_id),
        }
    }

    /// The scope narrowed by one more part (a filter, a subject).
    #[must_use]
    pub fn with(mut self, part: &str) -> Scope {
        // Each part is written with its length so that no two lists of parts run together
        // into the same bytes.
        self.0.extend_from_slice(&(part.len() as u64).to_be_bytes());
        self.0.extend_from_slice(part.as_bytes());
        self
    }
}

fn invalid(message: &str) -> ApiError {
    ApiError::new(Code::RequestInvalidCursor, message.to_string())
}

impl Cursors {
    /// Cursors sealed with `secret`.
    pub fn new(secret: &[u8; easel_store::SECRET_BYTES]) -> Cursors {
        let mut key = [0u8; KEY_BYTES];
        key[..secret.len()].copy_from_slice(secret);
        Cursors {
            keyed: HmacSha256::new(&key.into()),
        }
    }

    fn mac(&self, scope: &Scope, position: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(&(scope.0.len() as u64).to_be_bytes());
        mac.update(&scope.0);
        mac.update(position);
        mac
    }

    /// The cursor that continues `scope`'s list at `position`.
    pub fn seal(&self, scope: &Scope, position: &str) -> String {
        let tag = self.mac(scope, position.as_bytes()).finalize().into_bytes();
        let mut bytes = Vec::with_capacity(position.len() + TAG_BYTES);
        bytes.extend_from_slice(position.as_bytes());
        bytes.extend_from_slice(&tag[..TAG_BYTES]);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The position a cursor holds, if Easel sealed it for `scope`; an empty or absent
    /// cursor is the list's start.
    pub fn open(&self, scope: &Scope, cursor: Option<&str>) -> Result<Option<String>, ApiError> {
        let Some(text) = cursor.filter(|c| !c.is_empty()) else {
            return Ok(None);
        };
        let body = text
            .strip_prefix(PREFIX)
            .ok_or_else(|| invalid("the cursor was not made by Easel"))?;
        if body.len() > (MAX_POSITION_BYTES + TAG_BYTES) * 4 / 3 + 4 {
            return Err(invalid("the cursor is too long"));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| invalid("the cursor is not well formed"))?;
        let split = bytes
            .len()
            .checked_sub(TAG_BYTES)
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("the cursor is too short"))?;
        let (position, tag) = bytes.split_at(split);
        // Compared in constant time by the MAC itself.
        self.mac(scope, position)
            .verify_truncated_left(tag)
            .map_err(|_| invalid("the cursor was not issued for this list"))?;
        String::from_utf8(position.to_vec())
            .map(Some)
            .map_err(|_| invalid("the cursor is not well formed"))
    }
}

/// A GET list's own request: its path and its query's filters (everything but `cursor`
/// and `limit`, sorted), which a cursor is bound to.
#[derive(Clone, Debug)]
pub struct ListRequest(String);

impl<S: Send + Sync> FromRequestParts<S> for ListRequest {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ListRequest, ApiError> {
        let mut filters: Vec<(String, String)> =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
                .map_err(|_| ApiError::invalid("the query string is malformed"))?;
        filters.retain(|(k, _)| k != "cursor" && k != "limit");
        filters.sort();
        let mut out = String::from(parts.uri.path());
        for (k, v) in filters {
            // Length-prefixed so that no value can pose as another filter.
            out.push_str(&format!("\n{}:{k}={}:{v}", k.len(), v.len()));
        }
        Ok(ListRequest(out))
    }
}

/// One page being made: the limit asked for, where the page starts, and how to seal where
/// the next one starts.
pub struct Pager<'a> {
    cursors: &'a Cursors,
    scope: Scope,
    /// The page size.
    pub limit: usize,
    after: Option<String>,
}

impl<'a> Pager<'a> {
    /// The page a GET list asks for.
    pub fn new(
        app: &'a AppState,
        caller: &Caller,
        list: &ListRequest,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Pager<'a>, ApiError> {
        Pager::scoped(app, Scope::new(&list.0, caller), limit, cursor)
    }

    /// The page a GET list asks for, where the reference documents its own default and
    /// largest page size for the list.
    pub fn sized(
        app: &'a AppState,
        caller: &Caller,
        list: &ListRequest,
        (limit, default, max): (Option<usize>, usize, usize),
        cursor: Option<&str>,
    ) -> Result<Pager<'a>, ApiError> {
        let limit = match limit {
            None => default,
            Some(n) if (1..=max).contains(&n) => n,
            Some(_) => return Err(ApiError::invalid(format!("`limit` must be 1 to {max}"))),
        };
        let cursors = app.engine.cursors();
        let scope = Scope::new(&list.0, caller);
        let after = cursors.open(&scope, cursor)?;
        Ok(Pager {
            cursors,
            scope,
            limit,
            after,
        })
    }

    /// The page of the list `scope`.
    pub fn scoped(
        app: &'a AppState,
        scope: Scope,
        limit: Option<usize>,
        cursor: Option<&str>,
    ) -> Result<Pager<'a>, ApiError> {
        let limit = page_limit(limit, app.limits.page_size)?;
        let cursors = app.engine.cursors();
        let after = cursors.open(&scope, cursor)?;
        Ok(Pager {
            cursors,
            scope,
            limit,
            after,
        })
    }

    /// The position the page starts after, as the cursor holds it.
    pub fn after(&self) -> Option<&str> {
        self.after.as_deref()
    }

    /// The position as a dense index (lists walked in index order).
    pub fn after_index(&self) -> Result<Option<usize>, ApiError> {
        self.after
            .as_deref()
            .map(|p| {
                p.strip_prefix('i')
                    .and_then(|n| n.parse::<usize>().ok())
                    .ok_or_else(|| invalid("the cursor is not one of this list"))
            })
            .transpose()
    }

    /// The cursor of a position.
    pub fn seal(&self, position: &str) -> String {
        self.cursors.seal(&self.scope, position)
    }

    /// The page: `data`, and the cursor sealing `next`, the position after which the next
    /// page starts, if there is one.
    pub fn page<T: ToSchema>(&self, data: Vec<T>, next: Option<&str>) -> CursorList<T> {
        CursorList::new(self.limit, data, next.map(|p| self.seal(p)))
    }

    /// A page of a list walked in dense-index order: `sorted` holds the candidates in
    /// ascending order of index (`index` of each); the walk starts after the cursor's
    /// index, keeps what `view` shows, and stops at the page's limit plus one, which shows
    /// whether another page follows. A page costs what it walks, never the whole list.
    pub fn walk<K, T: ToSchema>(
        &self,
        sorted: &[K],
        index: impl Fn(&K) -> usize,
        mut view: impl FnMut(&K) -> Option<T>,
    ) -> Result<CursorList<T>, ApiError> {
        let start = match self.after_index()? {
            Some(after) => sorted.partition_point(|k| index(k) <= after),
            None => 0,
        };
        self.walk_from(
            sorted.get(start..).unwrap_or_default().iter(),
            |k| index(k),
            |k| view(k),
        )
    }

    /// As [`Pager::walk`], over candidates given in ascending order of index by an
    /// iterator (a table read in order); those at or before the cursor are passed over.
    pub fn walk_from<K, T: ToSchema>(
        &self,
        candidates: impl Iterator<Item = K>,
        index: impl Fn(&K) -> usize,
        mut view: impl FnMut(&K) -> Option<T>,
    ) -> Result<CursorList<T>, ApiError> {
        let after = self.after_index()?;
        let mut data = Vec::with_capacity(self.limit);
        let mut last = None;
        for k in candidates {
            let ix = index(&k);
            if after.is_some_and(|a| ix <= a) {
                continue;
            }
            let Some(item) = view(&k) else {
                continue;
            };
            if data.len() == self.limit {
                return Ok(self.page(data, last.map(|i| format!("i{i}")).as_deref()));
            }
            data.push(item);
            last = Some(ix);
        }
        Ok(self.page(data, None))
    }
}
