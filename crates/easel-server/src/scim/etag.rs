//! Resource versions (RFC 7644 §3.14): weak entity tags, the same in the `ETag` header and
//! `meta.version`, and the `If-Match` / `If-None-Match` preconditions.
//!
//! Tags compare weakly (their opaque parts only). HTTP's If-Match asks for the strong
//! comparison, under which a weak tag never matches, but SCIM versions are weak by the
//! RFC's own examples (`If-Match: W/"e180ee84f0671b1"`) and its clients send back the
//! `meta.version` they read: a weak tag names a version here, not a byte-exact body.

use axum::http::HeaderMap;
use axum::http::header::{IF_MATCH, IF_NONE_MATCH};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::error::{ScimError, ScimType};

/// The weak tag of a resource's version number: `W/"7"`.
pub fn weak(version: u64) -> String {
    format!("W/\"{version}\"")
}

/// The weak tag of a resource's content, for what has no version number: a hash of the
/// JSON with its object keys in order, so equal content gives the same tag however the
/// value was built. Hash the resource before setting its `meta.version`: a tag cannot
/// hash itself.
pub fn weak_of(content: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(content, &mut canonical);
    let digest = Sha256::digest(canonical.as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An entity tag: its opaque part (between the quotes) and whether it is weak.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityTag {
    /// `W/` was given.
    pub weak: bool,
    /// The characters between the quotes.
    pub opaque: String,
}

/// A precondition header's value: `*` or a list of tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// `*`: any current version.
    Any,
    /// These versions.
    Tags(Vec<EntityTag>),
}

impl Condition {
    /// Whether the resource's current tag (`W/"…"` or `"…"`) satisfies it, comparing
    /// weakly.
    pub fn matches(&self, current: &str) -> bool {
        match self {
            Condition::Any => true,
            Condition::Tags(tags) => match parse_tags(current) {
                Some(current) => tags
                    .iter()
                    .any(|t| current.iter().any(|c| c.opaque == t.opaque)),
                None => false,
            },
        }
    }
}

/// Parses an `If-Match`/`If-None-Match` value (RFC 9110 §8.8.3): `*`, or a comma-separated
/// list of `"opaque"` and `W/"opaque"` tags. Malformed values give `None`.
pub fn parse(header: &str) -> Option<Condition> {
    if header.trim() == "*" {
        return Some(Condition::Any);
    }
    parse_tags(header).map(Condition::Tags)
}

fn parse_tags(text: &str) -> Option<Vec<EntityTag>> {
    let mut tags = Vec::new();
    let mut rest = text.trim_start();
    loop {
        // Empty list elements are allowed (RFC 9110 §5.6.1).
        while let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        }
        if rest.is_empty() {
            break;
        }
        let (weak, quoted) = match rest.strip_prefix("W/") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let body = quoted.strip_prefix('"')?;
        let end = body.find('"')?;
        let opaque = &body[..end];
        // etagc: visible characters but the quote, and obs-text.
        if opaque.chars().any(|c| c.is_ascii_control() || c == ' ') {
            return None;
        }
        tags.push(EntityTag {
            weak,
            opaque: opaque.to_string(),
        });
        rest = body[end + 1..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r.trim_start(),
            None if rest.is_empty() => break,
            None => return None,
        }
    }
    (!tags.is_empty()).then_some(tags)
}

/// Every value of a header, joined as one list (a header may be sent several times).
fn condition(
    headers: &HeaderMap,
    name: &axum::http::HeaderName,
) -> Result<Option<Condition>, ScimError> {
    let mut values = Vec::new();
    for value in headers.get_all(name) {
        let text = value.to_str().map_err(|_| malformed(name.as_str()))?;
        values.push(text);
    }
    if values.is_empty() {
        return Ok(None);
    }
    if values.iter().any(|v| v.trim() == "*") {
        return Ok(Some(Condition::Any));
    }
    parse(&values.join(","))
        .map(Some)
        .ok_or_else(|| malformed(name.as_str()))
}

fn malformed(name: &str) -> ScimError {
    ScimError::typed(
        ScimType::InvalidValue,
        format!("`{name}` is not `*` or a list of entity tags"),
    )
}

/// A write's `If-Match` precondition against the resource's current tag: met, or absent
/// (writes without it are unconditional), or a 412 Precondition Failed. A malformed header
/// is `invalidValue`.
pub fn check_if_match(headers: &HeaderMap, current: &str) -> Result<(), ScimError> {
    match condition(headers, &IF_MATCH)? {
        Some(c) if !c.matches(current) => Err(ScimError::precondition_failed()),
        _ => Ok(()),
    }
}

/// Whether a read's `If-None-Match` names the current version, so the answer is 304 Not
/// Modified. A malformed header is `invalidValue`.
pub fn not_modified(headers: &HeaderMap, current: &str) -> Result<bool, ScimError> {
    Ok(condition(headers, &IF_NONE_MATCH)?.is_some_and(|c| c.matches(current)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, StatusCode};
    use proptest::prelude::*;
    use serde_json::json;

    fn headers(name: &axum::http::HeaderName, values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(
                name,
                HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")),
            );
        }
        h
    }

    #[test]
    fn tags_are_weak() {
        assert_eq!(weak(7), "W/\"7\"");
        let tag = weak_of(&json!({"a": 1}));
        assert!(tag.starts_with("W/\"") && tag.ends_with('"'));
        assert!(matches!(parse(&tag), Some(Condition::Tags(t)) if t.len() == 1 && t[0].weak));
    }

    #[test]
    fn content_tags_ignore_key_order_and_see_every_change() {
        let a = json!({"id": "u1", "name": {"givenName": "Ada", "familyName": "L"}});
        let mut b = serde_json::Map::new();
        b.insert(
            "name".into(),
            json!({"familyName": "L", "givenName": "Ada"}),
        );
        b.insert("id".into(), json!("u1"));
        assert_eq!(weak_of(&a), weak_of(&Value::Object(b)));
        assert_ne!(
            weak_of(&a),
            weak_of(&json!({"id": "u1", "name": {"givenName": "Ada"}}))
        );
        assert_ne!(weak_of(&json!(["a", "b"])), weak_of(&json!(["b", "a"])));
    }

    #[test]
    fn lists_and_star_parse() {
        assert_eq!(parse(" * "), Some(Condition::Any));
        assert_eq!(
            parse(r#"W/"1", "2",,W/"x,y""#),
            Some(Condition::Tags(vec![
                EntityTag {
                    weak: true,
                    opaque: "1".into()
                },
                EntityTag {
                    weak: false,
                    opaque: "2".into()
                },
                EntityTag {
                    weak: true,
                    opaque: "x,y".into()
                },
            ]))
        );
        for bad in [
            "",
            "1",
            "W/1",
            "\"1",
            "\"1\" \"2\"",
            "w/\"1\"",
            "\"a b\"",
            ",",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn comparison_is_weak() {
        let c = parse(r#""3""#).unwrap_or(Condition::Any);
        assert!(c.matches(r#"W/"3""#));
        assert!(!c.matches(r#"W/"4""#));
        assert!(!c.matches("garbage"));
        assert!(Condition::Any.matches(r#"W/"4""#));
    }

    #[test]
    fn if_match_guards_writes() {
        let current = weak(5);
        assert!(check_if_match(&HeaderMap::new(), &current).is_ok());
        assert!(check_if_match(&headers(&IF_MATCH, &[r#"W/"5""#]), &current).is_ok());
        assert!(check_if_match(&headers(&IF_MATCH, &["*"]), &current).is_ok());
        assert!(check_if_match(&headers(&IF_MATCH, &[r#"W/"4""#, r#"W/"5""#]), &current).is_ok());
        let stale = check_if_match(&headers(&IF_MATCH, &[r#"W/"4""#]), &current).err();
        assert_eq!(
            stale.map(|e| e.status),
            Some(StatusCode::PRECONDITION_FAILED)
        );
        let bad = check_if_match(&headers(&IF_MATCH, &["nonsense"]), &current).err();
        assert_eq!(bad.and_then(|e| e.scim_type), Some(ScimType::InvalidValue));
    }

    #[test]
    fn if_none_match_answers_not_modified() {
        let current = weak(5);
        assert_eq!(not_modified(&HeaderMap::new(), &current).ok(), Some(false));
        assert_eq!(
            not_modified(&headers(&IF_NONE_MATCH, &[r#"W/"5""#]), &current).ok(),
            Some(true)
        );
        assert_eq!(
            not_modified(&headers(&IF_NONE_MATCH, &[r#"W/"4""#]), &current).ok(),
            Some(false)
        );
        assert_eq!(
            not_modified(&headers(&IF_NONE_MATCH, &["*"]), &current).ok(),
            Some(true)
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,60}") {
            let _ = parse(&text);
        }

        #[test]
        fn a_tag_matches_itself(version in any::<u64>()) {
            let tag = weak(version);
            prop_assert!(parse(&tag).is_some_and(|c| c.matches(&tag)));
        }
    }
}
