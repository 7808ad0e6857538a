//! Lists of SCIM resources (RFC 7644 §3.4.2): the filter parsed and checked against the
//! resource type's attributes, the candidates walked, matched, sorted, paged and projected.
//!
//! What a page costs: without a filter or `sortBy`, only the page's resources are built
//! (the total is a count of the candidates, which reads no more than their memberships).
//! `userName eq "..."` looks the address up directly. Any other filter, and any sort, builds
//! every candidate's resource to match or order it: a list over the whole organization.

use serde_json::Value;

use super::error::{ScimError, ScimType};
use super::filter::{self, AttrPath, CompValue, CompareOp, Filter};
use super::list::{ListQuery, list_response, sort};
use super::project::project;
use super::schema::{self, attribute};

/// A schema attribute type as the filter checker names it.
pub fn filter_type(def: &schema::AttrDef) -> filter::AttrType {
    match def.kind {
        schema::AttrType::String => filter::AttrType::String,
        schema::AttrType::Boolean => filter::AttrType::Boolean,
        schema::AttrType::Decimal => filter::AttrType::Decimal,
        schema::AttrType::Integer => filter::AttrType::Integer,
        schema::AttrType::DateTime => filter::AttrType::DateTime,
        schema::AttrType::Binary => filter::AttrType::Binary,
        schema::AttrType::Reference => filter::AttrType::Reference,
        schema::AttrType::Complex => filter::AttrType::Complex,
    }
}

/// The `filter` parameter, parsed and checked for a resource type (`invalidFilter`).
pub fn parsed_filter(core: &str, text: Option<&str>) -> Result<Option<Filter>, ScimError> {
    let Some(text) = text else { return Ok(None) };
    let invalid = |m: String| ScimError::typed(ScimType::InvalidFilter, m);
    let f = filter::parse(text).map_err(|e| invalid(e.message))?;
    filter::check(&f, &|p: &AttrPath| {
        attribute(core, &p.to_string()).map(filter_type)
    })
    .map_err(|e| invalid(e.message))?;
    Ok(Some(f))
}

/// Whether a resource matches, with the schema's case-exact attributes.
pub fn matches(core: &str, f: &Filter, resource: &Value) -> bool {
    filter::matches_with(f, resource, &|p: &AttrPath| {
        attribute(core, &p.to_string()).is_some_and(|d| d.case_exact)
    })
}

/// The address a filter `userName eq "x"` names, if it is exactly that.
pub fn user_name_eq(f: &Filter) -> Option<String> {
    match f {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: CompValue::String(s),
        } if path.is("userName", None)
            && path
                .urn
                .as_deref()
                .is_none_or(|u| u.eq_ignore_ascii_case(schema::USER)) =>
        {
            Some(s.trim().to_ascii_lowercase())
        }
        _ => None,
    }
}

/// A page of resources. `total` candidates; `build(i)` makes the `i`-th candidate's
/// resource (with its `meta` finished), `None` when it is not one after all.
pub fn page(
    core: &str,
    query: &ListQuery,
    filter: Option<&Filter>,
    total: usize,
    build: &dyn Fn(usize) -> Option<Value>,
) -> Result<Value, ScimError> {
    let shown = |r: &Value| project(r, core, &query.attributes, &query.excluded_attributes);
    if filter.is_none() && query.sort_by.is_none() {
        let start = query.start_index.saturating_sub(1);
        let items: Vec<Value> = (start..total)
            .take(query.count)
            .filter_map(build)
            .map(|r| shown(&r))
            .collect();
        return Ok(list_response(items, total, query.start_index));
    }
    let mut all: Vec<Value> = (0..total)
        .filter_map(build)
        .filter(|r| filter.is_none_or(|f| matches(core, f, r)))
        .collect();
    if let Some(by) = &query.sort_by {
        sort(&mut all, core, by, query.sort_order)?;
    }
    let total = all.len();
    let items: Vec<Value> = all
        .iter()
        .skip(query.start_index.saturating_sub(1))
        .take(query.count)
        .map(shown)
        .collect();
    Ok(list_response(items, total, query.start_index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::schema::{GROUP, USER};

    #[test]
    fn filters_are_checked_against_the_resource_type() {
        assert!(parsed_filter(USER, Some("userName eq \"a@b.c\"")).is_ok());
        assert!(parsed_filter(GROUP, Some("displayName sw \"S\"")).is_ok());
        for bad in ["nickName eq \"x\"", "userName eq", "active gt true", "(("] {
            let e = parsed_filter(USER, Some(bad));
            assert_eq!(
                e.err().and_then(|e| e.scim_type),
                Some(ScimType::InvalidFilter),
                "{bad}"
            );
        }
        assert_eq!(
            parsed_filter(GROUP, Some("userName eq \"x\""))
                .err()
                .and_then(|e| e.scim_type),
            Some(ScimType::InvalidFilter)
        );
    }

    #[test]
    fn the_user_name_lookup_is_recognised() {
        let f = parsed_filter(USER, Some("USERNAME eq \"Ada@B.c\""))
            .ok()
            .flatten();
        assert_eq!(
            f.as_ref().and_then(user_name_eq).as_deref(),
            Some("ada@b.c")
        );
        let f = parsed_filter(USER, Some("userName co \"a\""))
            .ok()
            .flatten();
        assert_eq!(f.as_ref().and_then(user_name_eq), None);
    }
}
