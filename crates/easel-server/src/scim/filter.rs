//! SCIM filters (RFC 7644 §3.4.2.2): parsed into a [`Filter`], checked against the
//! attributes a resource type has ([`check`]), and evaluated over a resource's SCIM JSON
//! ([`matches`]).
//!
//! Written here rather than taken from a crate: the one Rust crate for SCIM filters
//! (`scim-filter`) has had no release since early 2024, brings nom, chrono and
//! rust_decimal, and filters a collection of serializable values instead of giving an AST
//! to check and evaluate; the grammar is small enough for a recursive descent parser.
//!
//! Hostile input is bounded: a filter is at most [`MAX_FILTER_BYTES`] long and nests
//! parentheses, `not` and value filters at most [`MAX_DEPTH`] deep, so neither parsing nor
//! evaluating recurses further than that.

mod check;
mod eval;
mod lex;
mod parse;
mod print;

pub use super::path::AttrPath;
pub use check::{AttrType, check};
pub use eval::{case_exact, matches, matches_with};

/// The longest filter (in bytes) [`parse`] reads.
pub const MAX_FILTER_BYTES: usize = 4096;
/// How deep parentheses, `not (...)` and value filters `attr[...]` may nest.
pub const MAX_DEPTH: usize = 32;

/// A parsed filter. `and` binds tighter than `or`; both group to the left.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// Both hold.
    And(Box<Filter>, Box<Filter>),
    /// Either holds.
    Or(Box<Filter>, Box<Filter>),
    /// `not (...)`: the inner filter does not hold.
    Not(Box<Filter>),
    /// `path op value`.
    Compare {
        /// The attribute compared.
        path: AttrPath,
        /// The comparison.
        op: CompareOp,
        /// What it is compared with.
        value: CompValue,
    },
    /// `path pr`: the attribute has a value that is not null or empty.
    Present {
        /// The attribute.
        path: AttrPath,
    },
    /// `attr[filter]`: some value of the multi-valued (or complex) `attr` matches `filter`,
    /// whose paths name sub-attributes of `attr` (plain names: no URN, no `.sub`).
    ValuePath {
        /// The attribute whose values are filtered (never with a sub-attribute).
        attr: AttrPath,
        /// The filter each value is tried against.
        filter: Box<Filter>,
    },
}

/// The comparison operators of RFC 7644 §3.4.2.2 (`pr` is [`Filter::Present`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `eq`: equal.
    Eq,
    /// `ne`: not equal.
    Ne,
    /// `co`: the string contains the value.
    Co,
    /// `sw`: the string starts with the value.
    Sw,
    /// `ew`: the string ends with the value.
    Ew,
    /// `gt`: greater than.
    Gt,
    /// `ge`: greater than or equal.
    Ge,
    /// `lt`: less than.
    Lt,
    /// `le`: less than or equal.
    Le,
}

impl CompareOp {
    /// Every operator.
    pub const ALL: [CompareOp; 9] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Co,
        CompareOp::Sw,
        CompareOp::Ew,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Lt,
        CompareOp::Le,
    ];

    /// The operator's keyword, in lower case.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "eq",
            CompareOp::Ne => "ne",
            CompareOp::Co => "co",
            CompareOp::Sw => "sw",
            CompareOp::Ew => "ew",
            CompareOp::Gt => "gt",
            CompareOp::Ge => "ge",
            CompareOp::Lt => "lt",
            CompareOp::Le => "le",
        }
    }

    /// The operator a keyword names, in any case.
    pub fn from_keyword(word: &str) -> Option<CompareOp> {
        CompareOp::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(word))
    }

    /// Whether this is one of the ordering operators `gt`, `ge`, `lt`, `le`.
    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            CompareOp::Gt | CompareOp::Ge | CompareOp::Lt | CompareOp::Le
        )
    }

    /// Whether this is one of the substring operators `co`, `sw`, `ew`.
    pub fn is_substring(self) -> bool {
        matches!(self, CompareOp::Co | CompareOp::Sw | CompareOp::Ew)
    }
}

/// A filter's comparison value: a JSON string, number, `true`, `false` or `null`.
#[derive(Clone, Debug, PartialEq)]
pub enum CompValue {
    /// A JSON string, unescaped.
    String(String),
    /// A JSON number.
    Number(serde_json::Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

/// A filter that is refused. Routes answer 400 with `scimType: invalidFilter`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FilterError {
    /// What is wrong, for the client (`detail` of the SCIM error).
    pub message: String,
}

impl FilterError {
    pub(crate) fn new(message: impl Into<String>) -> FilterError {
        FilterError {
            message: message.into(),
        }
    }

    /// The SCIM error's `scimType` (RFC 7644 §3.12).
    pub fn scim_type(&self) -> &'static str {
        "invalidFilter"
    }
}

/// Parses a filter, as given in the `filter` query parameter or a search request's body.
pub fn parse(text: &str) -> Result<Filter, FilterError> {
    parse::filter(text)
}

impl Filter {
    /// The operands of a run of one logical operator, left to right: `a and b and c` (which
    /// parses as `(a and b) and c`) gives `[a, b, c]`; any other filter, itself alone.
    ///
    /// A run is as long as the filter allows (hundreds), while parentheses, `not` and value
    /// filters nest at most [`MAX_DEPTH`]; walking runs with this rather than recursing keeps
    /// evaluation, checking and printing to that depth.
    pub fn operands(&self) -> Vec<&Filter> {
        let and = matches!(self, Filter::And(..));
        let mut rights = Vec::new();
        let mut node = self;
        loop {
            match node {
                Filter::And(left, right) if and => {
                    rights.push(&**right);
                    node = left;
                }
                Filter::Or(left, right) if !and => {
                    rights.push(&**right);
                    node = left;
                }
                _ => break,
            }
        }
        rights.push(node);
        rights.reverse();
        rights
    }
}

/// Parses the filter of a PATCH path's brackets: `text` starts just after the `[`. Returns
/// the filter and how many bytes of `text` it took, the closing `]` included.
pub(crate) fn parse_bracketed(text: &str) -> Result<(Filter, usize), FilterError> {
    parse::bracketed(text)
}
