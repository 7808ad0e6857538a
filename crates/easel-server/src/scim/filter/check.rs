//! Refuses filters a resource type cannot answer: unknown attributes, and operators or
//! values that do not fit the attribute's type (RFC 7644 §3.4.2.2: ordering a boolean or
//! binary attribute is `invalidFilter`). [`matches`](super::matches) never fails; this is
//! what turns such filters into a 400 before any evaluation.

use super::{AttrPath, CompValue, CompareOp, Filter, FilterError};

/// The attribute types of RFC 7643 §2.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttrType {
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// A number with a fraction.
    Decimal,
    /// A whole number.
    Integer,
    /// An RFC 3339 date-time, as a string.
    DateTime,
    /// Base64 bytes, as a string.
    Binary,
    /// A URI, as a string.
    Reference,
    /// An object of sub-attributes.
    Complex,
}

impl AttrType {
    /// The type's name in RFC 7643 schemas (`"string"`, `"dateTime"`...).
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::String => "string",
            AttrType::Boolean => "boolean",
            AttrType::Decimal => "decimal",
            AttrType::Integer => "integer",
            AttrType::DateTime => "dateTime",
            AttrType::Binary => "binary",
            AttrType::Reference => "reference",
            AttrType::Complex => "complex",
        }
    }
}

/// Checks every attribute `filter` names with `known`, which gives the type of an
/// attribute the resource type has (`None`: no such attribute). Inside `attr[...]`,
/// `known` is asked about `attr.sub`. A complex attribute compared as a whole is asked
/// about again as `attr.value`.
pub fn check(
    filter: &Filter,
    known: &dyn Fn(&AttrPath) -> Option<AttrType>,
) -> Result<(), FilterError> {
    walk(filter, None, known)
}

fn walk(
    filter: &Filter,
    within: Option<&AttrPath>,
    known: &dyn Fn(&AttrPath) -> Option<AttrType>,
) -> Result<(), FilterError> {
    match filter {
        Filter::And(..) | Filter::Or(..) => filter
            .operands()
            .into_iter()
            .try_for_each(|operand| walk(operand, within, known)),
        Filter::Not(inner) => walk(inner, within, known),
        Filter::Present { path } => {
            look_up(&full(path, within), known)?;
            Ok(())
        }
        Filter::Compare { path, op, value } => {
            let mut path = full(path, within);
            let mut kind = look_up(&path, known)?;
            if kind == AttrType::Complex && path.sub.is_none() {
                path = path.with_sub("value");
                kind = known(&path).ok_or_else(|| {
                    FilterError::new(format!(
                        "`{}` is complex: compare one of its sub-attributes",
                        path.name
                    ))
                })?;
            }
            fits(&path, kind, *op, value)
        }
        Filter::ValuePath { attr, filter } => {
            if within.is_some() {
                return Err(FilterError::new("a value filter cannot hold another"));
            }
            if look_up(attr, known)? != AttrType::Complex {
                return Err(FilterError::new(format!(
                    "`{attr}` has no sub-attributes to filter its values by"
                )));
            }
            walk(filter, Some(attr), known)
        }
    }
}

fn full(path: &AttrPath, within: Option<&AttrPath>) -> AttrPath {
    match within {
        Some(attr) => attr.with_sub(&path.name),
        None => path.clone(),
    }
}

fn look_up(
    path: &AttrPath,
    known: &dyn Fn(&AttrPath) -> Option<AttrType>,
) -> Result<AttrType, FilterError> {
    known(path).ok_or_else(|| FilterError::new(format!("no attribute `{path}`")))
}

/// Whether `op` and `value` suit an attribute of type `kind`.
fn fits(
    path: &AttrPath,
    kind: AttrType,
    op: CompareOp,
    value: &CompValue,
) -> Result<(), FilterError> {
    let refuse = |why: &str| Err(FilterError::new(format!("`{path} {op} {value}`: {why}")));
    if *value == CompValue::Null {
        return match op {
            CompareOp::Eq | CompareOp::Ne => Ok(()),
            _ => refuse("null is compared only with eq or ne"),
        };
    }
    let value_fits = match kind {
        AttrType::String | AttrType::Reference | AttrType::Binary => {
            matches!(value, CompValue::String(_))
        }
        AttrType::DateTime => match value {
            CompValue::String(text) => text.parse::<jiff::Timestamp>().is_ok(),
            _ => false,
        },
        AttrType::Boolean => matches!(value, CompValue::Bool(_)),
        AttrType::Integer | AttrType::Decimal => matches!(value, CompValue::Number(_)),
        AttrType::Complex => false,
    };
    if !value_fits {
        return refuse(match kind {
            AttrType::DateTime => "the value is not an RFC 3339 date-time",
            AttrType::Boolean => "the value is not true or false",
            AttrType::Integer | AttrType::Decimal => "the value is not a number",
            AttrType::Complex => "a complex attribute is not compared",
            AttrType::String | AttrType::Reference | AttrType::Binary => {
                "the value is not a string"
            }
        });
    }
    let op_fits = match kind {
        AttrType::String | AttrType::Reference => true,
        AttrType::Binary => !op.is_ordering(),
        AttrType::Boolean => matches!(op, CompareOp::Eq | CompareOp::Ne),
        AttrType::DateTime | AttrType::Integer | AttrType::Decimal => !op.is_substring(),
        AttrType::Complex => false,
    };
    if op_fits {
        Ok(())
    } else {
        refuse(&format!(
            "`{op}` does not apply to a {} attribute",
            kind.as_str()
        ))
    }
}
