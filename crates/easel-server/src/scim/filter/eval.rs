//! Whether a resource, as its SCIM JSON, matches a filter (RFC 7644 §3.4.2.2).
//!
//! - Names are looked up ignoring ASCII case. A path with a schema URN looks inside the
//!   resource's member named by that URN when there is one (where extension attributes
//!   live), else at the top level if the URN is a core schema's
//!   (`urn:ietf:params:scim:schemas:core:...`); an extension's attributes are absent when
//!   the resource has no member for it.
//! - A multi-valued attribute matches if any of its values does; a complex value compared
//!   as a whole stands for its `value` sub-attribute (`emails co "x"` is `emails.value co
//!   "x"`).
//! - Strings compare ignoring case unless the attribute is case-exact; two strings that are
//!   both RFC 3339 date-times compare as instants; numbers compare as numbers; booleans only
//!   with `eq` and `ne`. Any other pairing of value and operator is no match, never an error
//!   ([`check`](super::check) is where such filters are refused).
//! - `pr` holds when some value is not null, not an empty string, and not an empty array or
//!   object. `eq null` holds when `pr` does not; `ne null` when it does.

use std::cmp::Ordering;

use serde_json::Value;

use super::{AttrPath, CompValue, CompareOp, Filter};

/// Whether `resource` matches `filter`, with RFC 7643's case-exact attributes
/// ([`case_exact`]).
pub fn matches(filter: &Filter, resource: &Value) -> bool {
    matches_with(filter, resource, &case_exact)
}

/// Whether `resource` matches `filter`; `case_exact` says which attributes compare their
/// strings with case. Inside a value filter it is asked about `attr.sub`
/// (`emails[type eq "x"]` asks about `emails.type`).
pub fn matches_with(
    filter: &Filter,
    resource: &Value,
    case_exact: &dyn Fn(&AttrPath) -> bool,
) -> bool {
    Eval {
        resource,
        case_exact,
    }
    .filter(filter, None)
}

/// The attributes RFC 7643 declares case-exact among those common to every resource: `id`,
/// `externalId`, `meta.resourceType`, `meta.location` and `meta.version`.
pub fn case_exact(path: &AttrPath) -> bool {
    path.is("id", None)
        || path.is("externalId", None)
        || path.is("meta", Some("resourceType"))
        || path.is("meta", Some("location"))
        || path.is("meta", Some("version"))
}

struct Eval<'a> {
    resource: &'a Value,
    case_exact: &'a dyn Fn(&AttrPath) -> bool,
}

/// The multi-valued attribute a value filter is running over, and the value being tried.
type Element<'f, 'a> = Option<(&'f AttrPath, &'a Value)>;

impl<'a> Eval<'a> {
    fn filter(&self, filter: &Filter, element: Element<'_, 'a>) -> bool {
        match filter {
            Filter::And(..) => filter
                .operands()
                .into_iter()
                .all(|operand| self.filter(operand, element)),
            Filter::Or(..) => filter
                .operands()
                .into_iter()
                .any(|operand| self.filter(operand, element)),
            Filter::Not(inner) => !self.filter(inner, element),
            Filter::Present { path } => self.values(path, element).into_iter().any(present),
            Filter::Compare { path, op, value } => {
                let values = self.values(path, element);
                if *value == CompValue::Null {
                    let present = values.into_iter().any(present);
                    return match op {
                        CompareOp::Eq => !present,
                        CompareOp::Ne => present,
                        _ => false,
                    };
                }
                let exact = match element {
                    Some((attr, _)) => (self.case_exact)(&attr.with_sub(&path.name)),
                    None => (self.case_exact)(path),
                };
                let mut scalars = Vec::new();
                for value in values {
                    if value.is_object() {
                        flatten(get(value, "value"), &mut scalars);
                    } else {
                        scalars.push(value);
                    }
                }
                scalars
                    .into_iter()
                    .any(|scalar| compare(scalar, *op, value, exact))
            }
            Filter::ValuePath { attr, filter } => {
                // The parser refuses a value filter inside another; one built by hand
                // matches nothing rather than reading the wrong attribute.
                if element.is_some() {
                    return false;
                }
                let mut items = Vec::new();
                flatten(
                    self.scope(attr).and_then(|s| get(s, &attr.name)),
                    &mut items,
                );
                items
                    .into_iter()
                    .any(|item| self.filter(filter, Some((attr, item))))
            }
        }
    }

    /// Where a path's attribute is looked up: the member named by its URN (an extension's),
    /// else the resource itself for a core schema's URN or no URN; an extension the
    /// resource has no member for holds nothing.
    fn scope(&self, path: &AttrPath) -> Option<&'a Value> {
        let Some(urn) = &path.urn else {
            return Some(self.resource);
        };
        match get(self.resource, urn) {
            Some(extension) if extension.is_object() => Some(extension),
            _ if is_core_schema(urn) => Some(self.resource),
            _ => None,
        }
    }

    /// The values a path names, multi-valued attributes spread out.
    fn values(&self, path: &AttrPath, element: Element<'_, 'a>) -> Vec<&'a Value> {
        let container = match element {
            Some((_, item)) => Some(item),
            None => self.scope(path),
        };
        let mut values = Vec::new();
        flatten(container.and_then(|c| get(c, &path.name)), &mut values);
        let Some(sub) = &path.sub else {
            return values;
        };
        let mut subs = Vec::new();
        for value in values {
            flatten(get(value, sub), &mut subs);
        }
        subs
    }
}

/// Whether `urn` names one of RFC 7643's core schemas, whose attributes are at the top level.
fn is_core_schema(urn: &str) -> bool {
    const CORE: &str = "urn:ietf:params:scim:schemas:core:";
    urn.get(..CORE.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(CORE))
}

/// The member of an object named `name`, ignoring ASCII case.
fn get<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn flatten<'a>(value: Option<&'a Value>, out: &mut Vec<&'a Value>) {
    match value {
        Some(Value::Array(items)) => out.extend(items.iter()),
        Some(value) => out.push(value),
        None => {}
    }
}

fn present(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => items.iter().any(present),
        Value::Object(members) => members.values().any(present),
        Value::Bool(_) | Value::Number(_) => true,
    }
}

fn compare(actual: &Value, op: CompareOp, expected: &CompValue, exact: bool) -> bool {
    match (actual, expected) {
        (Value::String(actual), CompValue::String(expected)) => {
            compare_strings(actual, op, expected, exact)
        }
        (Value::Number(actual), CompValue::Number(expected)) => {
            !op.is_substring() && compare_numbers(actual, expected).is_some_and(|o| holds(op, o))
        }
        (Value::Bool(actual), CompValue::Bool(expected)) => match op {
            CompareOp::Eq => actual == expected,
            CompareOp::Ne => actual != expected,
            _ => false,
        },
        _ => false,
    }
}

fn compare_strings(actual: &str, op: CompareOp, expected: &str, exact: bool) -> bool {
    if !op.is_substring()
        && let (Ok(a), Ok(b)) = (
            actual.parse::<jiff::Timestamp>(),
            expected.parse::<jiff::Timestamp>(),
        )
    {
        return holds(op, a.cmp(&b));
    }
    let (actual, expected) = if exact {
        (actual.to_owned(), expected.to_owned())
    } else {
        (actual.to_lowercase(), expected.to_lowercase())
    };
    match op {
        CompareOp::Co => actual.contains(&expected),
        CompareOp::Sw => actual.starts_with(&expected),
        CompareOp::Ew => actual.ends_with(&expected),
        _ => holds(op, actual.cmp(&expected)),
    }
}

fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (a.as_i64(), b.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) {
        return Some(a.cmp(&b));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Whether an ordering operator (or `eq`, `ne`) holds for `actual` ordered against the value.
fn holds(op: CompareOp, ordering: Ordering) -> bool {
    match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Co | CompareOp::Sw | CompareOp::Ew => false,
    }
}
