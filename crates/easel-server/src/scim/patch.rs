//! PATCH (RFC 7644 §3.5.2): the operations of a `PatchOp` message applied to a resource's
//! SCIM JSON, attribute by attribute as the schema declares them. The route then reads the
//! result as it reads a PUT, so a PATCH asks exactly what the equivalent PUT would.
//!
//! - `op` is compared ignoring case (`Replace` is sent by some directories).
//! - Without `path`, `add` and `replace` take an object of attributes (keys may carry a
//!   schema URN, or be an extension's URN holding its attributes); `remove` needs a path
//!   (`noTarget`).
//! - A path to no attribute is `invalidPath`; a path to a read-only one (`id`, `meta`,
//!   `groups`) is `mutability`. `id` given without a path with the resource's own id is
//!   ignored (some directories send the resource back).
//! - `replace` of a complex attribute merges its sub-attributes; of a multi-valued one,
//!   replaces the list. `add` to a multi-valued attribute appends the values it lacks.
//! - A value filter (`emails[type eq "work"].value`) selects values: `replace` that
//!   selects none is `noTarget`; `add` that selects none adds a value made of the filter's
//!   `eq` terms and the sub-attribute; `remove` that selects none changes nothing.

use serde_json::{Map, Value};

use super::error::{ScimError, ScimType};
use super::filter::{self, AttrPath, CompValue, CompareOp, Filter};
use super::path::{PatchPath, parse_path};
use super::schema::{AttrDef, AttrType, Mutability, attribute, schema_def, split_urn};

/// The PatchOp message schema.
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The most operations one PatchOp holds (an identity provider sends one per member
/// changed, in batches far smaller).
pub const MAX_OPERATIONS: usize = 1_000;

/// What an operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `add`.
    Add,
    /// `replace`.
    Replace,
    /// `remove`.
    Remove,
}

/// One operation of a PatchOp.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// What it does.
    pub op: Op,
    /// Where, if said.
    pub path: Option<String>,
    /// With what.
    pub value: Option<Value>,
}

fn syntax(detail: impl Into<String>) -> ScimError {
    ScimError::typed(ScimType::InvalidSyntax, detail)
}

fn member<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Reads a PatchOp message.
pub fn operations(body: &Value) -> Result<Vec<Operation>, ScimError> {
    let body = body
        .as_object()
        .ok_or_else(|| syntax("a PATCH body is a PatchOp object"))?;
    super::body::names_schema(&Value::Object(body.clone()), PATCH_OP)?;
    let ops = member(body, "Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| syntax("a PatchOp has a list of `Operations`"))?;
    if ops.len() > MAX_OPERATIONS {
        return Err(ScimError::typed(
            ScimType::InvalidValue,
            format!("at most {MAX_OPERATIONS} `Operations` in one PatchOp"),
        ));
    }
    ops.iter()
        .map(|op| {
            let op = op
                .as_object()
                .ok_or_else(|| syntax("each of `Operations` is an object"))?;
            let kind = match member(op, "op")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("add") => Op::Add,
                Some("replace") => Op::Replace,
                Some("remove") => Op::Remove,
                _ => return Err(syntax("`op` is add, replace or remove")),
            };
            let path = match member(op, "path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) => Some(p.clone()),
                Some(_) => {
                    return Err(ScimError::typed(
                        ScimType::InvalidPath,
                        "`path` must be a string",
                    ));
                }
            };
            let value = member(op, "value").cloned();
            if kind != Op::Remove && value.is_none() {
                return Err(ScimError::typed(
                    ScimType::InvalidValue,
                    "`add` and `replace` need a `value`",
                ));
            }
            if kind == Op::Remove && path.is_none() {
                return Err(ScimError::typed(
                    ScimType::NoTarget,
                    "`remove` needs a `path`",
                ));
            }
            Ok(Operation {
                op: kind,
                path,
                value,
            })
        })
        .collect()
}

fn invalid_path(detail: impl Into<String>) -> ScimError {
    ScimError::typed(ScimType::InvalidPath, detail)
}

fn read_only(name: &str) -> ScimError {
    ScimError::typed(ScimType::Mutability, format!("`{name}` is read-only"))
}

/// Applies the operations to `resource` (of the core schema `core`), in order.
pub fn apply(resource: &mut Value, core: &str, ops: &[Operation]) -> Result<(), ScimError> {
    // On a copy: a refused operation leaves the resource as it was.
    let mut next = resource.clone();
    apply_all(&mut next, core, ops)?;
    *resource = next;
    Ok(())
}

fn apply_all(resource: &mut Value, core: &str, ops: &[Operation]) -> Result<(), ScimError> {
    for op in ops {
        match &op.path {
            Some(path) => at_path(resource, core, op.op, path, op.value.as_ref())?,
            None => {
                let Some(Value::Object(values)) = &op.value else {
                    return Err(ScimError::typed(
                        ScimType::InvalidValue,
                        "without a `path`, the `value` is an object of attributes",
                    ));
                };
                for (key, value) in values {
                    if key.eq_ignore_ascii_case("schemas") {
                        continue;
                    }
                    if key.eq_ignore_ascii_case("id")
                        && resource.get("id").is_some_and(|id| id == value)
                    {
                        continue;
                    }
                    at_path(resource, core, op.op, key, Some(value))?;
                }
            }
        }
    }
    Ok(())
}

/// The object holding an attribute: the resource, or its extension's object.
fn holder<'a>(
    resource: &'a mut Value,
    extension: Option<&str>,
    create: bool,
) -> Option<&'a mut Map<String, Value>> {
    let top = resource.as_object_mut()?;
    match extension {
        None => Some(top),
        Some(uri) => {
            if !top.contains_key(uri) {
                if !create {
                    return None;
                }
                top.insert(uri.to_string(), Value::Object(Map::new()));
            }
            top.get_mut(uri).and_then(Value::as_object_mut)
        }
    }
}

/// The value with the keys of a complex attribute's objects in their declared case.
fn canonical(def: &AttrDef, value: Value) -> Value {
    match value {
        Value::Object(map) if !def.sub_attributes.is_empty() => Value::Object(
            map.into_iter()
                .map(|(k, v)| match def.sub_attribute(&k) {
                    Some(sub) => (sub.name.to_string(), v),
                    None => (k, v),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| canonical(def, v)).collect()),
        v => v,
    }
}

fn as_list(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        one => vec![one],
    }
}

fn at_path(
    resource: &mut Value,
    core: &str,
    op: Op,
    path: &str,
    value: Option<&Value>,
) -> Result<(), ScimError> {
    let core_def = schema_def(core).ok_or_else(|| invalid_path("unknown resource type"))?;
    // An extension's URN alone: its attributes, all at once.
    if let Some((schema, "")) = split_urn(path.trim()) {
        if schema.id == core_def.id {
            return Err(invalid_path("a schema URN alone names no attribute"));
        }
        if !super::schema::extensions_of(core_def.id).contains(&schema.id) {
            return Err(invalid_path(format!(
                "`{path}` is not an extension of this resource"
            )));
        }
        return match (op, value) {
            (Op::Remove, _) => {
                if let Some(top) = resource.as_object_mut() {
                    top.remove(schema.id);
                }
                Ok(())
            }
            (_, Some(Value::Object(values))) => {
                // An extension object as clients serialize it may name its own schema.
                for (key, v) in values
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("schemas"))
                {
                    at_path(resource, core, op, &format!("{}:{key}", schema.id), Some(v))?;
                }
                Ok(())
            }
            _ => Err(ScimError::typed(
                ScimType::InvalidValue,
                "an extension's value is an object of its attributes",
            )),
        };
    }
    let parsed = parse_path(path).map_err(|e| match e {
        super::path::PathError::InvalidFilter(f) => {
            ScimError::typed(ScimType::InvalidFilter, f.message)
        }
        other => invalid_path(other.to_string()),
    })?;
    let (attr, filter, sub) = match parsed {
        PatchPath::Attr(a) => {
            let sub = a.sub.clone();
            (AttrPath { sub: None, ..a }, None, sub)
        }
        PatchPath::Values { attr, filter, sub } => (attr, Some(filter), sub),
    };
    let top = attribute(core, &attr.to_string())
        .ok_or_else(|| invalid_path(format!("no attribute `{attr}`")))?;
    let extension = match split_urn(&attr.to_string()) {
        Some((s, _)) if s.id != core_def.id => Some(s.id),
        _ => None,
    };
    let sub_def = match &sub {
        Some(s) => Some(
            top.sub_attribute(s)
                .ok_or_else(|| invalid_path(format!("no attribute `{attr}.{s}`")))?,
        ),
        None => None,
    };
    if top.mutability == Mutability::ReadOnly
        || sub_def.is_some_and(|s| s.mutability == Mutability::ReadOnly)
    {
        return Err(read_only(&attr.to_string()));
    }
    let value = value.cloned().map(|v| canonical(top, v));
    match filter {
        None => plain(resource, extension, top, sub_def, op, value),
        Some(f) => {
            if !top.multi_valued || top.kind != AttrType::Complex {
                return Err(invalid_path(format!("`{attr}` has no values to filter")));
            }
            let whole = Filter::ValuePath {
                attr: attr.clone(),
                filter: Box::new(f.clone()),
            };
            filter::check(&whole, &|p: &AttrPath| {
                attribute(core, &p.to_string()).map(super::listing::filter_type)
            })
            .map_err(|e| ScimError::typed(ScimType::InvalidFilter, e.message))?;
            filtered(resource, extension, top, sub_def, &f, op, value)
        }
    }
}

fn plain(
    resource: &mut Value,
    extension: Option<&str>,
    top: &AttrDef,
    sub: Option<&AttrDef>,
    op: Op,
    value: Option<Value>,
) -> Result<(), ScimError> {
    let Some(object) = holder(resource, extension, op != Op::Remove) else {
        return Ok(());
    };
    let key = top.name;
    match (op, sub) {
        (Op::Remove, None) if top.required => {
            return Err(ScimError::typed(
                ScimType::InvalidValue,
                format!("`{key}` is required: replace it rather than remove it"),
            ));
        }
        (Op::Remove, None) => {
            object.remove(key);
        }
        (Op::Remove, Some(sub)) => match object.get_mut(key) {
            Some(Value::Object(m)) => {
                m.remove(sub.name);
                if m.is_empty() {
                    object.remove(key);
                }
            }
            Some(Value::Array(items)) => {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.remove(sub.name);
                }
            }
            _ => {}
        },
        (_, Some(sub)) => {
            let v = value.unwrap_or(Value::Null);
            let slot = object.entry(key.to_string()).or_insert_with(|| {
                if top.multi_valued {
                    Value::Array(vec![Value::Object(Map::new())])
                } else {
                    Value::Object(Map::new())
                }
            });
            match slot {
                Value::Array(items) => {
                    if items.is_empty() {
                        items.push(Value::Object(Map::new()));
                    }
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.insert(sub.name.to_string(), v.clone());
                    }
                }
                Value::Object(m) => {
                    m.insert(sub.name.to_string(), v);
                }
                other => {
                    let mut m = Map::new();
                    m.insert(sub.name.to_string(), v);
                    *other = Value::Object(m);
                }
            }
        }
        (_, None) => {
            let v = value.unwrap_or(Value::Null);
            if top.multi_valued {
                let incoming = as_list(v);
                match (op, object.get_mut(key)) {
                    (Op::Add, Some(Value::Array(items))) => {
                        for v in incoming {
                            if !items.contains(&v) {
                                items.push(v);
                            }
                        }
                    }
                    _ => {
                        object.insert(key.to_string(), Value::Array(incoming));
                    }
                }
            } else if top.kind == AttrType::Complex {
                match (object.get_mut(key), v) {
                    (Some(Value::Object(m)), Value::Object(new)) => {
                        m.extend(new);
                    }
                    (_, v) => {
                        object.insert(key.to_string(), v);
                    }
                }
            } else {
                object.insert(key.to_string(), v);
            }
        }
    }
    Ok(())
}

/// The object a filter of `eq` terms describes: `type eq "work" and primary eq true`.
fn described(filter: &Filter, out: &mut Map<String, Value>) -> bool {
    match filter {
        Filter::And(a, b) => described(a, out) && described(b, out),
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value,
        } if path.sub.is_none() && path.urn.is_none() => {
            let v = match value {
                CompValue::String(s) => Value::String(s.clone()),
                CompValue::Number(n) => Value::Number(n.clone()),
                CompValue::Bool(b) => Value::Bool(*b),
                CompValue::Null => return false,
            };
            out.insert(path.name.clone(), v);
            true
        }
        _ => false,
    }
}

fn filtered(
    resource: &mut Value,
    extension: Option<&str>,
    top: &AttrDef,
    sub: Option<&AttrDef>,
    filter: &Filter,
    op: Op,
    value: Option<Value>,
) -> Result<(), ScimError> {
    let case_exact = |p: &AttrPath| {
        p.sub
            .as_deref()
            .and_then(|s| top.sub_attribute(s))
            .is_some_and(|d| d.case_exact)
    };
    let Some(object) = holder(resource, extension, op == Op::Add) else {
        return if op == Op::Replace {
            Err(ScimError::typed(
                ScimType::NoTarget,
                "the filter selects no value",
            ))
        } else {
            Ok(())
        };
    };
    let items = match object.get_mut(top.name) {
        Some(Value::Array(items)) => items,
        _ => {
            object.insert(top.name.to_string(), Value::Array(Vec::new()));
            match object.get_mut(top.name) {
                Some(Value::Array(items)) => items,
                _ => return Ok(()),
            }
        }
    };
    let selected: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            filter::matches_with(filter, item, &|p| {
                case_exact(&AttrPath {
                    sub: Some(p.name.clone()),
                    ..p.clone()
                })
            })
        })
        .map(|(i, _)| i)
        .collect();
    match op {
        Op::Remove => {
            match sub {
                None => {
                    let mut i = 0;
                    items.retain(|_| {
                        let keep = !selected.contains(&i);
                        i += 1;
                        keep
                    });
                }
                Some(sub) => {
                    for i in &selected {
                        if let Some(item) = items.get_mut(*i).and_then(Value::as_object_mut) {
                            item.remove(sub.name);
                        }
                    }
                }
            }
            if items.is_empty() {
                object.remove(top.name);
            }
            return Ok(());
        }
        Op::Add | Op::Replace if selected.is_empty() => {
            if op == Op::Replace {
                return Err(ScimError::typed(
                    ScimType::NoTarget,
                    "the filter selects no value",
                ));
            }
            let mut new = Map::new();
            if !described(filter, &mut new) {
                return Err(ScimError::typed(
                    ScimType::NoTarget,
                    "the filter selects no value, and describes none to add",
                ));
            }
            let v = value.unwrap_or(Value::Null);
            match sub {
                Some(sub) => {
                    new.insert(sub.name.to_string(), v);
                }
                None => {
                    if let Value::Object(m) = v {
                        new.extend(m);
                    }
                }
            }
            items.push(canonical(top, Value::Object(new)));
        }
        Op::Add | Op::Replace => {
            let v = value.unwrap_or(Value::Null);
            for i in selected {
                let Some(item) = items.get_mut(i) else {
                    continue;
                };
                match sub {
                    Some(sub) => {
                        if let Some(m) = item.as_object_mut() {
                            m.insert(sub.name.to_string(), v.clone());
                        }
                    }
                    None => {
                        let replacement = match &v {
                            Value::Array(list) if list.len() == 1 => list[0].clone(),
                            other => other.clone(),
                        };
                        match (op, item.as_object_mut(), replacement) {
                            (Op::Add, Some(m), Value::Object(new)) => m.extend(new),
                            (_, _, r) => *item = r,
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::schema::{ENTERPRISE_USER, GROUP, USER};
    use serde_json::json;

    fn run(resource: &mut Value, core: &str, body: Value) -> Result<(), ScimError> {
        let ops = operations(&body)?;
        apply(resource, core, &ops)
    }

    fn patch(ops: Value) -> Value {
        json!({"schemas": [PATCH_OP], "Operations": ops})
    }

    fn user() -> Value {
        json!({
            "schemas": [USER], "id": "u1", "userName": "a@b.c", "active": true,
            "name": {"givenName": "Ada"},
            "emails": [{"value": "a@b.c", "type": "work", "primary": true}],
            "roles": [{"value": "ORGANIZATION_INTERNAL_USER", "type": "organization_user_role", "primary": true}],
        })
    }

    #[test]
    fn paths_and_op_names_in_any_case() {
        let mut u = user();
        let r = run(
            &mut u,
            USER,
            patch(json!([
                {"op": "Replace", "path": "ACTIVE", "value": false},
                {"op": "add", "path": "name.familyName", "value": "Lovelace"},
                {"op": "replace", "path": "roles[primary eq true].value", "value": "ORGANIZATION_INTERNAL_ADMIN"},
                {"op": "add", "path": "roles", "value": [{"value": "Content Admin"}]},
            ])),
        );
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(u["active"], false);
        assert_eq!(
            u["name"],
            json!({"givenName": "Ada", "familyName": "Lovelace"})
        );
        assert_eq!(u["roles"][0]["value"], "ORGANIZATION_INTERNAL_ADMIN");
        assert_eq!(u["roles"][1]["value"], "Content Admin");
        let r = run(
            &mut u,
            USER,
            patch(json!([
                {"op": "remove", "path": "roles[value eq \"Content Admin\"]"},
            ])),
        );
        assert!(r.is_ok());
        assert_eq!(u["roles"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn no_path_values_and_extensions() {
        let mut u = user();
        let dept = format!("{ENTERPRISE_USER}:department");
        let r = run(
            &mut u,
            USER,
            patch(json!([
                {"op": "replace", "value": {"id": "u1", "displayName": "Ada", dept: "R&D",
                                            "name": {"familyname": "L"}}},
                {"op": "add", "path": ENTERPRISE_USER, "value": {"costCenter": "C1"}},
            ])),
        );
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(u["displayName"], "Ada");
        assert_eq!(u["name"], json!({"givenName": "Ada", "familyName": "L"}));
        assert_eq!(
            u[ENTERPRISE_USER],
            json!({"department": "R&D", "costCenter": "C1"})
        );
        let r = run(
            &mut u,
            USER,
            patch(json!([{"op": "remove", "path": ENTERPRISE_USER}])),
        );
        assert!(r.is_ok());
        assert!(u.get(ENTERPRISE_USER).is_none());
    }

    #[test]
    fn refusals_carry_their_scim_type() {
        let cases = [
            (
                json!([{"op": "replace", "path": "nickName", "value": "x"}]),
                ScimType::InvalidPath,
            ),
            (
                json!([{"op": "replace", "path": "name..x", "value": "x"}]),
                ScimType::InvalidPath,
            ),
            (
                json!([{"op": "replace", "path": "id", "value": "x"}]),
                ScimType::Mutability,
            ),
            (
                json!([{"op": "add", "path": "groups", "value": [{"value": "t"}]}]),
                ScimType::Mutability,
            ),
            (
                json!([{"op": "replace", "path": "meta.created", "value": "x"}]),
                ScimType::Mutability,
            ),
            (
                json!([{"op": "replace", "value": {"id": "other"}}]),
                ScimType::Mutability,
            ),
            (json!([{"op": "remove"}]), ScimType::NoTarget),
            (
                json!([{"op": "remove", "path": "active"}]),
                ScimType::InvalidValue,
            ),
            (
                json!([{"op": "remove", "path": "userName"}]),
                ScimType::InvalidValue,
            ),
            (
                json!([{"op": "replace", "path": "emails[type eq \"home\"].value", "value": "x"}]),
                ScimType::NoTarget,
            ),
            (
                json!([{"op": "replace", "path": "emails[type eq]", "value": "x"}]),
                ScimType::InvalidFilter,
            ),
            (
                json!([{"op": "move", "path": "active"}]),
                ScimType::InvalidSyntax,
            ),
        ];
        for (ops, want) in cases {
            let mut u = user();
            let got = run(&mut u, USER, patch(ops.clone()))
                .err()
                .and_then(|e| e.scim_type);
            assert_eq!(got, Some(want), "{ops}");
            assert_eq!(u, user(), "a refused PATCH changes nothing: {ops}");
        }
    }

    #[test]
    fn add_through_a_filter_that_selects_nothing_adds_the_value_it_describes() {
        let mut u = user();
        let r = run(
            &mut u,
            USER,
            patch(json!([
                {"op": "add", "path": "emails[type eq \"home\"].value", "value": "h@b.c"},
            ])),
        );
        assert!(r.is_ok());
        assert_eq!(u["emails"][1], json!({"type": "home", "value": "h@b.c"}));
    }

    #[test]
    fn group_members() {
        let mut g = json!({"schemas": [GROUP], "id": "t1", "displayName": "T",
                           "members": [{"value": "u1"}, {"value": "u2"}]});
        let r = run(
            &mut g,
            GROUP,
            patch(json!([
                {"op": "add", "path": "members", "value": [{"value": "u3"}, {"value": "u1"}]},
                {"op": "remove", "path": "members[value eq \"u2\"]"},
                {"op": "replace", "value": {"id": "t1", "displayName": "New"}},
            ])),
        );
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(g["members"], json!([{"value": "u1"}, {"value": "u3"}]));
        assert_eq!(g["displayName"], "New");
    }
}
