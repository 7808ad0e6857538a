//! SCIM attribute paths: the `attrPath` of filters and of the `attributes` and
//! `excludedAttributes` parameters (RFC 7644 §3.4.2.2, §3.9), and the `path` of a PATCH
//! operation, which may select values of a multi-valued attribute with a filter in brackets
//! (RFC 7644 §3.5.2).
//!
//! Names are kept as the client wrote them; SCIM names are case-insensitive, so lookups and
//! [`AttrPath::same_as`] compare them ignoring ASCII case.

use std::fmt;

use super::filter::{self, Filter, FilterError, MAX_FILTER_BYTES};

/// An attribute, optionally qualified by its schema's URN and followed by one sub-attribute:
/// `userName`, `name.givenName`, `urn:ietf:params:scim:schemas:core:2.0:User:userName`,
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// The schema URN written before the attribute (without the `:` that ends it), if any.
    pub urn: Option<String>,
    /// The attribute's name as written.
    pub name: String,
    /// The sub-attribute's name as written, if any.
    pub sub: Option<String>,
}

impl AttrPath {
    /// The unqualified attribute `name` with no sub-attribute (not validated).
    pub fn new(name: &str) -> AttrPath {
        AttrPath {
            urn: None,
            name: name.to_owned(),
            sub: None,
        }
    }

    /// This attribute's sub-attribute `sub` (not validated).
    pub fn with_sub(&self, sub: &str) -> AttrPath {
        AttrPath {
            urn: self.urn.clone(),
            name: self.name.clone(),
            sub: Some(sub.to_owned()),
        }
    }

    /// Parses one attribute path (no value filter).
    pub fn parse(text: &str) -> Result<AttrPath, PathError> {
        parse_attr(text).map_err(PathError::InvalidPath)
    }

    /// The same attribute, comparing the URN, name and sub-attribute ignoring ASCII case.
    pub fn same_as(&self, other: &AttrPath) -> bool {
        fn same(a: Option<&str>, b: Option<&str>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            }
        }
        same(self.urn.as_deref(), other.urn.as_deref())
            && self.name.eq_ignore_ascii_case(&other.name)
            && same(self.sub.as_deref(), other.sub.as_deref())
    }

    /// Whether this path names `name` (and `sub`), ignoring ASCII case and any URN.
    pub fn is(&self, name: &str, sub: Option<&str>) -> bool {
        self.name.eq_ignore_ascii_case(name)
            && match (self.sub.as_deref(), sub) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.urn {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sub) = &self.sub {
            write!(f, ".{sub}")?;
        }
        Ok(())
    }
}

/// The target of a PATCH operation (RFC 7644 §3.5.2).
#[derive(Clone, Debug, PartialEq)]
pub enum PatchPath {
    /// An attribute or sub-attribute: `title`, `name.familyName`, `urn:...:User:manager.value`.
    Attr(AttrPath),
    /// The values of a multi-valued attribute that match `filter`, or their sub-attribute
    /// `sub`: `members[value eq "2819c223"]`, `emails[type eq "work"].value`.
    Values {
        /// The multi-valued attribute (never with a sub-attribute of its own).
        attr: AttrPath,
        /// Which values; its paths are sub-attributes of `attr`.
        filter: Filter,
        /// The sub-attribute of the selected values, if the path ends with one.
        sub: Option<String>,
    },
}

impl fmt::Display for PatchPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatchPath::Attr(attr) => write!(f, "{attr}"),
            PatchPath::Values { attr, filter, sub } => {
                write!(f, "{attr}[{filter}]")?;
                if let Some(sub) = sub {
                    write!(f, ".{sub}")?;
                }
                Ok(())
            }
        }
    }
}

/// A path or attribute list that is refused. Routes answer 400 with [`PathError::scim_type`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// The path itself is malformed: `scimType: invalidPath`.
    #[error("invalid path: {0}")]
    InvalidPath(String),
    /// The filter in the path's brackets is malformed: `scimType: invalidFilter`.
    #[error("invalid filter in path: {0}")]
    InvalidFilter(FilterError),
}

impl PathError {
    /// The SCIM error's `scimType` (RFC 7644 §3.12).
    pub fn scim_type(&self) -> &'static str {
        match self {
            PathError::InvalidPath(_) => "invalidPath",
            PathError::InvalidFilter(_) => "invalidFilter",
        }
    }
}

/// Parses the `path` of a PATCH operation.
pub fn parse_path(text: &str) -> Result<PatchPath, PathError> {
    if text.len() > MAX_FILTER_BYTES {
        return Err(PathError::InvalidPath(format!(
            "longer than {MAX_FILTER_BYTES} bytes"
        )));
    }
    let text = text.trim();
    let Some(open) = text.find('[') else {
        return AttrPath::parse(text).map(PatchPath::Attr);
    };
    let attr = AttrPath::parse(&text[..open])?;
    if attr.sub.is_some() {
        return Err(PathError::InvalidPath(format!(
            "a value filter follows a multi-valued attribute, not the sub-attribute `{attr}`"
        )));
    }
    let after = open + 1;
    let (filter, used) =
        filter::parse_bracketed(&text[after..]).map_err(PathError::InvalidFilter)?;
    let rest = &text[after + used..];
    let sub = if rest.is_empty() {
        None
    } else if let Some(sub) = rest.strip_prefix('.') {
        check_name(sub).map_err(PathError::InvalidPath)?;
        Some(sub.to_owned())
    } else {
        return Err(PathError::InvalidPath(format!(
            "`{rest}` after the value filter; only `.subAttribute` may follow it"
        )));
    };
    Ok(PatchPath::Values { attr, filter, sub })
}

/// Parses the value of `attributes` or `excludedAttributes`: attribute paths separated by
/// commas, spaces around each ignored. An empty value is an empty list.
pub fn parse_attribute_list(text: &str) -> Result<Vec<AttrPath>, PathError> {
    if text.len() > MAX_FILTER_BYTES {
        return Err(PathError::InvalidPath(format!(
            "longer than {MAX_FILTER_BYTES} bytes"
        )));
    }
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|item| AttrPath::parse(item.trim()))
        .collect()
}

/// Parses an `attrPath`: `[URN ":"] ATTRNAME ["." ATTRNAME]`. A URN holds colons and dots
/// (`...:core:2.0:User`) but an attribute name holds neither, so the attribute starts after
/// the last colon.
pub(crate) fn parse_attr(text: &str) -> Result<AttrPath, String> {
    if text.is_empty() {
        return Err("an attribute name is empty".to_owned());
    }
    let is_urn = text
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("urn:"));
    let (urn, rest) = match text.rfind(':') {
        Some(colon) if is_urn => (Some(&text[..colon]), &text[colon + 1..]),
        _ => (None, text),
    };
    if let Some(urn) = urn {
        let body = &urn[3..];
        if body.len() < 2 || !urn.chars().all(urn_char) {
            return Err(format!("`{text}` does not start with a schema URN"));
        }
    }
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    check_name(name).map_err(|e| format!("in `{text}`: {e}"))?;
    if let Some(sub) = sub {
        check_name(sub).map_err(|e| format!("in `{text}`: {e}"))?;
    }
    Ok(AttrPath {
        urn: urn.map(str::to_owned),
        name: name.to_owned(),
        sub: sub.map(str::to_owned),
    })
}

/// `ATTRNAME = ALPHA *(ALPHA / DIGIT / "-" / "_")`, and `$ref`, which RFC 7643 names outside
/// that grammar.
fn check_name(name: &str) -> Result<(), String> {
    if name.eq_ignore_ascii_case("$ref") {
        return Ok(());
    }
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(())
    } else if name.is_empty() {
        Err("an attribute name is empty".to_owned())
    } else {
        Err(format!(
            "`{name}` is not an attribute name (a letter, then letters, digits, `-` or `_`)"
        ))
    }
}

/// Characters a schema URN may hold here (RFC 8141's, less those SCIM's URNs never use).
fn urn_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '_' | '+' | '%')
}
