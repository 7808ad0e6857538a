//! `attributes` and `excludedAttributes` (RFC 7644 §3.9): which of a resource's attributes
//! an answer carries, by each attribute's `returned` characteristic (RFC 7643 §7).
//!
//! Without `attributes`, an answer carries the attributes returned `always` and `default`;
//! `attributes` narrows it to the named ones (plus the `always` ones, and `request` ones
//! only when named); `excludedAttributes` takes named ones out, never an `always` one.
//! `never` attributes are never returned. `schemas` is always returned. Names may reach
//! into a complex attribute (`name.givenName`, `emails.value`) and may carry a schema URN
//! (`urn:…:enterprise:2.0:User:department`, or the extension's URN alone for all of it).
//! Names of no attribute are ignored: the RFC does not say to refuse them, and clients
//! send lists shared across resource types.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::schema::{AttrDef, Returned, attribute, extensions_of, schema_def, split_urn};

/// What a list of names selects.
#[derive(Default)]
struct Selection {
    /// Extensions named by their URN alone.
    extensions: HashSet<&'static str>,
    /// By (extension URN or none for the core schema, attribute name): whether the whole
    /// attribute is named, and which sub-attributes are.
    attributes: HashMap<(Option<&'static str>, &'static str), Named>,
}

#[derive(Default)]
struct Named {
    whole: bool,
    subs: HashSet<&'static str>,
}

impl Selection {
    fn of(schema_uri: &str, names: &[String]) -> Selection {
        let mut selection = Selection::default();
        let Some(core) = schema_def(schema_uri) else {
            return selection;
        };
        for name in names {
            let (holder, rest) = match split_urn(name) {
                Some((s, rest)) if s.id == core.id => (None, rest),
                Some((s, rest)) if extensions_of(core.id).contains(&s.id) => {
                    if rest.is_empty() {
                        selection.extensions.insert(s.id);
                        continue;
                    }
                    (Some(s.id), rest)
                }
                Some(_) => continue,
                None => (None, name.as_str()),
            };
            let mut parts = rest.split('.');
            let top_name = parts.next().unwrap_or_default();
            let Some(top) = attribute(core.id, &prefixed(holder, top_name)) else {
                continue;
            };
            let sub = match (parts.next(), parts.next()) {
                (None, _) => None,
                (Some(sub), None) => match top.sub_attribute(sub) {
                    Some(sub) => Some(sub.name),
                    None => continue,
                },
                (Some(_), Some(_)) => continue,
            };
            let named = selection.attributes.entry((holder, top.name)).or_default();
            match sub {
                Some(sub) => {
                    named.subs.insert(sub);
                }
                None => named.whole = true,
            }
        }
        selection
    }

    fn names_in(&self, holder: &str) -> bool {
        self.extensions.contains(holder) || self.attributes.keys().any(|(h, _)| *h == Some(holder))
    }
}

/// The resource (of the core schema `schema_uri`) as an answer carries it, given a request's
/// `attributes` and `excludedAttributes` (either may be empty).
pub fn project(
    resource: &Value,
    schema_uri: &str,
    attributes: &[String],
    excluded_attributes: &[String],
) -> Value {
    let Value::Object(object) = resource else {
        return resource.clone();
    };
    let Some(core) = schema_def(schema_uri) else {
        return resource.clone();
    };
    let projection = Projection {
        core: core.id,
        included: Selection::of(core.id, attributes),
        excluded: Selection::of(core.id, excluded_attributes),
        narrowed: !attributes.is_empty(),
    };
    Value::Object(projection.level(object, None, false))
}

struct Projection {
    core: &'static str,
    included: Selection,
    excluded: Selection,
    /// Whether `attributes` was given.
    narrowed: bool,
}

impl Projection {
    /// One level's attributes: the resource's own, or an extension's (`holder`);
    /// `all_named` when the extension was named by its URN alone.
    fn level(
        &self,
        object: &Map<String, Value>,
        holder: Option<&'static str>,
        all_named: bool,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for (key, value) in object {
            if holder.is_none() && key == "schemas" {
                out.insert(key.clone(), value.clone());
                continue;
            }
            if holder.is_none()
                && let Some(extension) = self.extension(key)
            {
                if let Some(inner) = self.extension_level(extension, value) {
                    out.insert(key.clone(), inner);
                }
                continue;
            }
            let def = attribute(self.core, &prefixed(holder, key));
            if let Some(kept) = self.attribute(holder, def, value, all_named) {
                out.insert(key.clone(), kept);
            }
        }
        out
    }

    /// The extension a key names, if it is one of the resource's.
    fn extension(&self, key: &str) -> Option<&'static str> {
        match split_urn(key) {
            Some((s, "")) if extensions_of(self.core).contains(&s.id) => Some(s.id),
            _ => None,
        }
    }

    fn extension_level(&self, extension: &'static str, value: &Value) -> Option<Value> {
        if self.excluded.extensions.contains(extension) {
            return None;
        }
        if self.narrowed && !self.included.names_in(extension) {
            return None;
        }
        let Value::Object(inner) = value else {
            return Some(value.clone());
        };
        let all_named = self.included.extensions.contains(extension);
        let projected = self.level(inner, Some(extension), all_named);
        (!projected.is_empty()).then_some(Value::Object(projected))
    }

    fn attribute(
        &self,
        holder: Option<&'static str>,
        def: Option<&'static AttrDef>,
        value: &Value,
        all_named: bool,
    ) -> Option<Value> {
        let returned = def.map_or(Returned::Default, |d| d.returned);
        let name = def.map(|d| d.name);
        let included = name.and_then(|n| self.included.attributes.get(&(holder, n)));
        let excluded = name.and_then(|n| self.excluded.attributes.get(&(holder, n)));
        match returned {
            Returned::Never => return None,
            Returned::Always => return Some(value.clone()),
            Returned::Request if included.is_none() && !all_named => return None,
            Returned::Request | Returned::Default => {}
        }
        if self.narrowed && included.is_none() && !all_named {
            return None;
        }
        if excluded.is_some_and(|e| e.whole) {
            return None;
        }
        let Some(def) = def.filter(|d| !d.sub_attributes.is_empty()) else {
            return Some(value.clone());
        };
        // Only some sub-attributes named: just those (and the `always` ones).
        let only = included.filter(|i| !i.whole && !i.subs.is_empty() && !all_named);
        let keep = |sub: &str, sub_value: &Value| -> Option<Value> {
            let sub_def = def.sub_attribute(sub);
            let returned = sub_def.map_or(Returned::Default, |d| d.returned);
            let canonical = sub_def.map_or(sub, |d| d.name);
            let named = only.is_some_and(|o| o.subs.contains(canonical))
                || included.is_some_and(|i| i.subs.contains(canonical));
            let keep = match returned {
                Returned::Never => false,
                Returned::Always => true,
                Returned::Request => named,
                Returned::Default => only.is_none() || named,
            } && (returned == Returned::Always
                || !excluded.is_some_and(|e| e.subs.contains(canonical)));
            keep.then(|| sub_value.clone())
        };
        let project_one = |item: &Value| -> Option<Value> {
            let Value::Object(fields) = item else {
                return Some(item.clone());
            };
            let kept: Map<String, Value> = fields
                .iter()
                .filter_map(|(k, v)| keep(k, v).map(|v| (k.clone(), v)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        };
        match value {
            Value::Array(items) => {
                let kept: Vec<Value> = items.iter().filter_map(project_one).collect();
                (!kept.is_empty()).then_some(Value::Array(kept))
            }
            one => project_one(one),
        }
    }
}

fn prefixed(holder: Option<&str>, name: &str) -> String {
    match holder {
        Some(uri) => format!("{uri}:{name}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::schema::{ENTERPRISE_USER, GROUP, USER};
    use proptest::prelude::*;
    use serde_json::json;

    fn user() -> Value {
        json!({
            "schemas": [USER, ENTERPRISE_USER],
            "id": "u1",
            "externalId": "ext-1",
            "userName": "ada@example.com",
            "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"},
            "displayName": "Ada",
            "active": true,
            "emails": [{"value": "ada@example.com", "primary": true, "type": "work"}],
            ENTERPRISE_USER: {"department": "R&D", "manager": {"value": "u2", "displayName": "Babbage"}},
            "meta": {"resourceType": "User", "location": "https://e.test/scim/v2/Users/u1"},
        })
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        k.sort_unstable();
        k
    }

    #[test]
    fn nothing_asked_returns_the_default_set() {
        assert_eq!(project(&user(), USER, &[], &[]), user());
    }

    #[test]
    fn attributes_narrow_to_the_named_plus_id_and_schemas() {
        let p = project(&user(), USER, &names(&["userName", "NAME.givenName"]), &[]);
        assert_eq!(keys(&p), ["id", "name", "schemas", "userName"]);
        assert_eq!(p["name"], json!({"givenName": "Ada"}));
    }

    #[test]
    fn sub_attributes_of_multi_valued_attributes_are_projected_per_value() {
        let p = project(&user(), USER, &names(&["emails.value"]), &[]);
        assert_eq!(p["emails"], json!([{"value": "ada@example.com"}]));
        let p = project(
            &user(),
            USER,
            &[],
            &names(&["emails.value", "name.formatted"]),
        );
        assert_eq!(p["emails"], json!([{"primary": true, "type": "work"}]));
        assert_eq!(
            p["name"],
            json!({"givenName": "Ada", "familyName": "Lovelace"})
        );
    }

    #[test]
    fn excluded_attributes_never_remove_always_ones() {
        let p = project(
            &user(),
            USER,
            &[],
            &names(&["id", "schemas", "emails", "meta"]),
        );
        assert_eq!(
            keys(&p),
            [
                "active",
                "displayName",
                "externalId",
                "id",
                "name",
                "schemas",
                ENTERPRISE_USER,
                "userName",
            ]
        );
    }

    #[test]
    fn extension_attributes_are_named_by_urn() {
        let dept = format!("{ENTERPRISE_USER}:department");
        let p = project(&user(), USER, &names(&[&dept]), &[]);
        assert_eq!(keys(&p), ["id", "schemas", ENTERPRISE_USER]);
        assert_eq!(p[ENTERPRISE_USER], json!({"department": "R&D"}));
        let manager = format!("{ENTERPRISE_USER}:manager.displayName");
        let p = project(&user(), USER, &names(&[&manager]), &[]);
        assert_eq!(
            p[ENTERPRISE_USER],
            json!({"manager": {"displayName": "Babbage"}})
        );
        // The URN alone: the whole extension.
        let p = project(&user(), USER, &names(&[ENTERPRISE_USER]), &[]);
        assert_eq!(p[ENTERPRISE_USER], user()[ENTERPRISE_USER]);
        // Excluded: gone, or just the named attribute gone.
        let p = project(&user(), USER, &[], &names(&[ENTERPRISE_USER]));
        assert!(p.get(ENTERPRISE_USER).is_none());
        let p = project(&user(), USER, &[], &names(&[&dept]));
        assert_eq!(
            p[ENTERPRISE_USER],
            json!({"manager": {"value": "u2", "displayName": "Babbage"}})
        );
        // The core URN prefix names core attributes.
        let p = project(&user(), USER, &names(&[&format!("{USER}:userName")]), &[]);
        assert_eq!(keys(&p), ["id", "schemas", "userName"]);
    }

    #[test]
    fn unknown_names_are_ignored() {
        let p = project(
            &user(),
            USER,
            &[],
            &names(&["nickName", "name.x", "urn:nope:y"]),
        );
        assert_eq!(p, user());
        let p = project(&user(), USER, &names(&["nickName"]), &[]);
        assert_eq!(keys(&p), ["id", "schemas"]);
    }

    #[test]
    fn group_members_project_like_any_complex_list() {
        let group = json!({
            "schemas": [GROUP], "id": "t1", "displayName": "Sales",
            "members": [{"value": "u1", "display": "Ada", "type": "User"}],
        });
        let p = project(&group, GROUP, &names(&["members.display"]), &[]);
        assert_eq!(
            p,
            json!({"schemas": [GROUP], "id": "t1", "members": [{"display": "Ada"}]})
        );
        let p = project(&group, GROUP, &[], &names(&["members"]));
        assert_eq!(keys(&p), ["displayName", "id", "schemas"]);
        // `display` is returned on request only: not in the default set.
        let p = project(&group, GROUP, &[], &[]);
        assert_eq!(p["members"], json!([{"value": "u1", "type": "User"}]));
        let p = project(&group, GROUP, &names(&["members"]), &[]);
        assert_eq!(p["members"], json!([{"value": "u1", "type": "User"}]));
    }

    #[test]
    fn both_lists_apply_inclusion_then_exclusion() {
        let p = project(
            &user(),
            USER,
            &names(&["name"]),
            &names(&["name.familyName"]),
        );
        assert_eq!(
            p["name"],
            json!({"givenName": "Ada", "formatted": "Ada Lovelace"})
        );
    }

    proptest! {
        #[test]
        fn projection_never_adds_and_always_keeps_id_and_schemas(
            inc in proptest::collection::vec("[a-zA-Z.:]{0,12}|userName|name.givenName|emails.value|meta", 0..4),
            exc in proptest::collection::vec("[a-zA-Z.:]{0,12}|id|name|emails|schemas", 0..4),
        ) {
            let p = project(&user(), USER, &inc, &exc);
            prop_assert_eq!(&p["id"], &json!("u1"));
            prop_assert_eq!(&p["schemas"], &user()["schemas"]);
            for k in keys(&p) {
                prop_assert!(user().get(k).is_some());
            }
        }
    }
}
