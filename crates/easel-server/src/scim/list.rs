//! Listing resources (RFC 7644 §3.4.2): the query parameters, sorting, and the
//! `ListResponse` message.
//!
//! `count` above the maximum is clamped, not refused: §3.4.2.4 lets a service provider
//! return fewer results than asked ("MAY return fewer results"), and a client paging with
//! a large `count` keeps working; `itemsPerPage` tells it what it got. A negative `count`
//! reads as 0 and a `startIndex` below 1 as 1, as the RFC says.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::error::{ScimError, ScimType};
use super::schema::{AttrDef, AttrType, attribute, split_urn};

/// The ListResponse message schema.
pub const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The page size when `count` is not given (the reference's).
pub const DEFAULT_COUNT: usize = 100;
/// The largest page (the reference's, and `filter.maxResults`).
pub const MAX_COUNT: usize = 1000;

/// The direction of a sort.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Smallest first; resources without the value last.
    #[default]
    Ascending,
    /// Largest first; resources without the value first.
    Descending,
}

/// A list request's query parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    /// The filter expression, unparsed.
    pub filter: Option<String>,
    /// The 1-based index of the first result (at least 1).
    pub start_index: usize,
    /// The page size (0 to `MAX_COUNT`; 0 answers only `totalResults`).
    pub count: usize,
    /// The attribute path to sort by.
    pub sort_by: Option<String>,
    /// The sort's direction.
    pub sort_order: SortOrder,
    /// The attributes to return (empty: the default set).
    pub attributes: Vec<String>,
    /// The attributes not to return.
    pub excluded_attributes: Vec<String>,
}

impl Default for ListQuery {
    fn default() -> ListQuery {
        ListQuery {
            filter: None,
            start_index: 1,
            count: DEFAULT_COUNT,
            sort_by: None,
            sort_order: SortOrder::Ascending,
            attributes: Vec::new(),
            excluded_attributes: Vec::new(),
        }
    }
}

impl ListQuery {
    /// Parses a query string (without the `?`). Parameter names compare case-insensitively;
    /// unknown parameters are ignored; of a repeated parameter the last counts. A
    /// `startIndex` or `count` that is not an integer, or a `sortOrder` other than
    /// `ascending`/`descending`, is an `invalidValue` error.
    pub fn parse(query: Option<&str>) -> Result<ListQuery, ScimError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| {
                ScimError::typed(ScimType::InvalidValue, "the query string is malformed")
            })?;
        let mut q = ListQuery::default();
        for (name, value) in pairs {
            match name.to_ascii_lowercase().as_str() {
                "filter" => q.filter = Some(value),
                "startindex" => q.start_index = integer("startIndex", &value)?.max(1) as usize,
                "count" => {
                    q.count = integer("count", &value)?.clamp(0, MAX_COUNT as i64) as usize;
                }
                "sortby" => q.sort_by = Some(value).filter(|v| !v.trim().is_empty()),
                "sortorder" => q.sort_order = sort_order(&value)?,
                "attributes" => q.attributes = names(&value),
                "excludedattributes" => q.excluded_attributes = names(&value),
                _ => {}
            }
        }
        Ok(q)
    }

    /// The page of an already filtered and sorted list, as a `ListResponse`.
    pub fn page(&self, all: Vec<Value>) -> Value {
        let total = all.len();
        let items: Vec<Value> = all
            .into_iter()
            .skip(self.start_index.saturating_sub(1))
            .take(self.count)
            .collect();
        list_response(items, total, self.start_index)
    }
}

/// A `ListResponse` message: `itemsPerPage` is the number of resources in it.
pub fn list_response(resources: Vec<Value>, total_results: usize, start_index: usize) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": total_results,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

/// A 64-bit integer, as the document declares the parameters (`format: int64`); a number
/// beyond it is refused like any other malformed value.
fn integer(name: &str, value: &str) -> Result<i64, ScimError> {
    value.trim().parse::<i64>().map_err(|_| {
        ScimError::typed(
            ScimType::InvalidValue,
            format!("`{name}` must be a 64-bit integer"),
        )
    })
}

fn sort_order(value: &str) -> Result<SortOrder, ScimError> {
    if value.eq_ignore_ascii_case("ascending") {
        Ok(SortOrder::Ascending)
    } else if value.eq_ignore_ascii_case("descending") {
        Ok(SortOrder::Descending)
    } else {
        Err(ScimError::typed(
            ScimType::InvalidValue,
            "`sortOrder` is `ascending` or `descending`",
        ))
    }
}

/// A comma-separated attribute list, trimmed, empty names dropped.
fn names(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

/// A value a resource sorts by.
#[derive(Debug, PartialEq)]
enum Key {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl Key {
    fn compare(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Bool(a), Key::Bool(b)) => a.cmp(b),
            (Key::Number(a), Key::Number(b)) => a.total_cmp(b),
            (Key::Text(a), Key::Text(b)) => a.cmp(b),
            // A schema gives one type per attribute; mixed values (bad data) order by kind.
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Key::Bool(_) => 0,
            Key::Number(_) => 1,
            Key::Text(_) => 2,
        }
    }
}

/// Sorts resources (of the schema `schema_uri`) by an attribute path, as RFC 7644
/// §3.4.2.3 says: strings case-insensitively unless the attribute is case exact; a
/// multi-valued attribute by its primary value, else its first; resources without a value
/// last when ascending and first when descending. The sort is stable. An unknown
/// attribute, or a single-valued complex one without a sub-attribute, is `invalidValue`.
pub fn sort(
    resources: &mut [Value],
    schema_uri: &str,
    sort_by: &str,
    order: SortOrder,
) -> Result<(), ScimError> {
    let path = SortPath::resolve(schema_uri, sort_by)?;
    let mut keyed: Vec<(Option<Key>, Value)> = resources
        .iter_mut()
        .map(|r| (path.key(r), std::mem::take(r)))
        .collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let ascending = match (a, b) {
            (Some(a), Some(b)) => a.compare(b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        match order {
            SortOrder::Ascending => ascending,
            SortOrder::Descending => ascending.reverse(),
        }
    });
    for (slot, (_, value)) in resources.iter_mut().zip(keyed) {
        *slot = value;
    }
    Ok(())
}

/// Where a sort key lives in a resource's JSON.
struct SortPath {
    /// The extension object holding the attribute, for an extension attribute.
    extension: Option<&'static str>,
    top: &'static AttrDef,
    sub: Option<&'static AttrDef>,
}

impl SortPath {
    fn resolve(schema_uri: &str, sort_by: &str) -> Result<SortPath, ScimError> {
        let unknown = || {
            ScimError::typed(
                ScimType::InvalidValue,
                format!("cannot sort by `{sort_by}`: no such attribute"),
            )
        };
        let (extension, rest) = match split_urn(sort_by) {
            Some((s, rest)) if !s.id.eq_ignore_ascii_case(schema_uri) => (Some(s.id), rest),
            Some((_, rest)) => (None, rest),
            None => (None, sort_by),
        };
        let top_name = rest.split('.').next().unwrap_or_default();
        let top = attribute(schema_uri, &prefixed(extension, top_name)).ok_or_else(unknown)?;
        let leaf = attribute(schema_uri, sort_by).ok_or_else(unknown)?;
        let mut sub = (!std::ptr::eq(top, leaf)).then_some(leaf);
        if top.kind == AttrType::Complex && sub.is_none() {
            // A multi-valued complex attribute sorts by its values (`emails` by
            // `emails.value`); a single-valued one names no value to sort by.
            sub = top
                .multi_valued
                .then(|| top.sub_attribute("value"))
                .flatten();
            if sub.is_none() {
                return Err(ScimError::typed(
                    ScimType::InvalidValue,
                    format!("cannot sort by `{sort_by}`: name one of its sub-attributes"),
                ));
            }
        }
        Ok(SortPath {
            extension,
            top,
            sub,
        })
    }

    fn key(&self, resource: &Value) -> Option<Key> {
        let holder = match self.extension {
            Some(uri) => resource.get(uri)?,
            None => resource,
        };
        let value = holder.get(self.top.name)?;
        let value = match value {
            Value::Array(items) => items
                .iter()
                .find(|i| i.get("primary") == Some(&Value::Bool(true)))
                .or_else(|| items.first())?,
            v => v,
        };
        let (value, def) = match self.sub {
            Some(sub) => (value.get(sub.name)?, sub),
            None => (value, self.top),
        };
        match value {
            Value::Bool(b) => Some(Key::Bool(*b)),
            Value::Number(n) => n.as_f64().map(Key::Number),
            Value::String(s) if def.case_exact => Some(Key::Text(s.clone())),
            Value::String(s) => Some(Key::Text(s.to_lowercase())),
            _ => None,
        }
    }
}

fn prefixed(extension: Option<&str>, name: &str) -> String {
    match extension {
        Some(uri) => format!("{uri}:{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::schema::{ENTERPRISE_USER, USER};
    use proptest::prelude::*;

    #[test]
    fn defaults_when_nothing_is_given() {
        assert_eq!(ListQuery::parse(None).ok(), Some(ListQuery::default()));
        let q = ListQuery::default();
        assert_eq!((q.start_index, q.count), (1, 100));
    }

    #[test]
    fn every_parameter_is_read() {
        let q = ListQuery::parse(Some(
            "filter=userName%20eq%20%22a%40b.c%22&startIndex=3&count=7&sortBy=name.familyName\
             &sortOrder=descending&attributes=userName,%20name.givenName&excludedAttributes=emails&other=1",
        ))
        .unwrap_or_default();
        assert_eq!(q.filter.as_deref(), Some("userName eq \"a@b.c\""));
        assert_eq!((q.start_index, q.count), (3, 7));
        assert_eq!(q.sort_by.as_deref(), Some("name.familyName"));
        assert_eq!(q.sort_order, SortOrder::Descending);
        assert_eq!(q.attributes, ["userName", "name.givenName"]);
        assert_eq!(q.excluded_attributes, ["emails"]);
    }

    #[test]
    fn out_of_range_numbers_read_as_the_rfc_says() {
        let q = ListQuery::parse(Some("startIndex=0&count=-5")).unwrap_or_default();
        assert_eq!((q.start_index, q.count), (1, 0));
        let q = ListQuery::parse(Some("startIndex=-9&count=5000")).unwrap_or_default();
        assert_eq!((q.start_index, q.count), (1, 1000));
        let q = ListQuery::parse(Some("count=9223372036854775807")).unwrap_or_default();
        assert_eq!(q.count, 1000);
    }

    #[test]
    fn malformed_values_are_invalid_value() {
        for query in [
            "count=ten",
            "startIndex=1.5",
            "startIndex=9223372036854775808",
            "count=99999999999999999999999",
            "count=",
            "sortOrder=up",
            "startIndex=-",
        ] {
            let e = ListQuery::parse(Some(query)).err();
            assert_eq!(
                e.and_then(|e| e.scim_type),
                Some(ScimType::InvalidValue),
                "{query}"
            );
        }
    }

    #[test]
    fn parameter_names_ignore_case() {
        let q =
            ListQuery::parse(Some("STARTINDEX=2&Count=3&sortorder=Descending")).unwrap_or_default();
        assert_eq!(
            (q.start_index, q.count, q.sort_order),
            (2, 3, SortOrder::Descending)
        );
    }

    fn numbered(n: usize) -> Vec<Value> {
        (1..=n).map(|i| json!({"id": i.to_string()})).collect()
    }

    #[test]
    fn a_page_is_the_slice_the_query_names() {
        let q = ListQuery {
            start_index: 2,
            count: 2,
            ..ListQuery::default()
        };
        let page = q.page(numbered(5));
        assert_eq!(page["schemas"], json!([LIST_RESPONSE]));
        assert_eq!(page["totalResults"], 5);
        assert_eq!(page["startIndex"], 2);
        assert_eq!(page["itemsPerPage"], 2);
        assert_eq!(page["Resources"], json!([{"id": "2"}, {"id": "3"}]));
        // Past the end: an empty page, the total still told.
        let q = ListQuery {
            start_index: 9,
            ..ListQuery::default()
        };
        let page = q.page(numbered(5));
        assert_eq!(
            (page["totalResults"].clone(), page["itemsPerPage"].clone()),
            (json!(5), json!(0))
        );
        // count=0: only the total.
        let q = ListQuery {
            count: 0,
            ..ListQuery::default()
        };
        assert_eq!(q.page(numbered(5))["Resources"], json!([]));
    }

    fn ids(resources: &[Value]) -> Vec<&str> {
        resources.iter().filter_map(|r| r["id"].as_str()).collect()
    }

    #[test]
    fn strings_sort_case_insensitively_and_missing_values_go_last_then_first() {
        let mut users = vec![
            json!({"id": "1", "userName": "bob@x"}),
            json!({"id": "2"}),
            json!({"id": "3", "userName": "Alice@x"}),
            json!({"id": "4", "userName": "carol@x"}),
        ];
        assert!(sort(&mut users, USER, "USERNAME", SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["3", "1", "4", "2"]);
        assert!(sort(&mut users, USER, "userName", SortOrder::Descending).is_ok());
        assert_eq!(ids(&users), ["2", "4", "1", "3"]);
    }

    #[test]
    fn case_exact_strings_sort_by_code_point() {
        let mut users = vec![
            json!({"id": "1", "externalId": "b"}),
            json!({"id": "2", "externalId": "B"}),
            json!({"id": "3", "externalId": "a"}),
        ];
        assert!(sort(&mut users, USER, "externalId", SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["2", "3", "1"]);
    }

    #[test]
    fn multi_valued_attributes_sort_by_the_primary_value_else_the_first() {
        let mut users = vec![
            json!({"id": "1", "emails": [{"value": "a@x"}, {"value": "z@x", "primary": true}]}),
            json!({"id": "2", "emails": [{"value": "m@x"}, {"value": "b@x"}]}),
            json!({"id": "3", "emails": []}),
        ];
        assert!(sort(&mut users, USER, "emails.value", SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["2", "1", "3"]);
        assert!(sort(&mut users, USER, "emails", SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["2", "1", "3"]);
    }

    #[test]
    fn sub_attributes_booleans_and_extensions_sort() {
        let mut users = vec![
            json!({"id": "1", "name": {"familyName": "Zed"}, "active": true}),
            json!({"id": "2", "name": {"familyName": "abe"}, "active": false}),
        ];
        assert!(sort(&mut users, USER, "name.familyName", SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["2", "1"]);
        assert!(sort(&mut users, USER, "active", SortOrder::Descending).is_ok());
        assert_eq!(ids(&users), ["1", "2"]);
        let mut users = vec![
            json!({"id": "1", ENTERPRISE_USER: {"department": "Sales"}}),
            json!({"id": "2", ENTERPRISE_USER: {"department": "it"}}),
            json!({"id": "3"}),
        ];
        let by = format!("{ENTERPRISE_USER}:department");
        assert!(sort(&mut users, USER, &by, SortOrder::Ascending).is_ok());
        assert_eq!(ids(&users), ["2", "1", "3"]);
    }

    #[test]
    fn unknown_or_unsortable_attributes_are_refused() {
        let mut users = numbered(2);
        for by in ["nickName", "name", "name.middleName", "urn:nope:x"] {
            let e = sort(&mut users, USER, by, SortOrder::Ascending).err();
            assert_eq!(
                e.and_then(|e| e.scim_type),
                Some(ScimType::InvalidValue),
                "{by}"
            );
        }
    }

    proptest! {
        #[test]
        fn parsing_any_query_never_panics(query in ".{0,200}") {
            let _ = ListQuery::parse(Some(&query));
        }

        #[test]
        fn a_parsed_query_is_always_in_range(start in any::<i64>(), count in any::<i64>()) {
            let q = ListQuery::parse(Some(&format!("startIndex={start}&count={count}")));
            let q = q.unwrap_or_default();
            prop_assert!(q.start_index >= 1);
            prop_assert!(q.count <= MAX_COUNT);
        }

        #[test]
        fn sorting_keeps_every_resource(names in proptest::collection::vec(proptest::option::of("[a-zA-Z]{0,4}"), 0..20)) {
            let mut users: Vec<Value> = names.iter().enumerate().map(|(i, n)| match n {
                Some(n) => json!({"id": i.to_string(), "userName": n}),
                None => json!({"id": i.to_string()}),
            }).collect();
            prop_assert!(sort(&mut users, USER, "userName", SortOrder::Ascending).is_ok());
            prop_assert_eq!(users.len(), names.len());
            // Sorted, missing last.
            let keys: Vec<Option<String>> = users.iter().map(|u| u["userName"].as_str().map(str::to_lowercase)).collect();
            for w in keys.windows(2) {
                match (&w[0], &w[1]) {
                    (Some(a), Some(b)) => prop_assert!(a <= b),
                    (None, Some(_)) => prop_assert!(false, "missing before present"),
                    _ => {}
                }
            }
        }
    }
}
