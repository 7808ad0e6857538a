//! The discovery documents (RFC 7644 §4): `/ServiceProviderConfig`, `/ResourceTypes` and
//! `/Schemas`, generated from the attribute declarations in `schema`, saying only what
//! Easel does. `base` is the SCIM base URL the documents' `meta.location`s start with
//! (e.g. `https://easel.example/scim/v2`, no trailing slash).

use serde_json::{Map, Value, json};

use super::list::MAX_COUNT;
pub use super::schema::{AttrDef, attribute};
use super::schema::{ENTERPRISE_USER, GROUP, SCHEMAS, SchemaDef, USER, schema_def};

/// The ServiceProviderConfig schema.
pub const SERVICE_PROVIDER_CONFIG: &str =
    "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
/// The ResourceType schema.
pub const RESOURCE_TYPE: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
/// The Schema schema.
pub const SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// What Easel's SCIM service supports: PATCH, filters, sorting and ETags; neither bulk
/// nor password changes (Easel holds no passwords).
pub fn service_provider_config(base: &str) -> Value {
    json!({
        "schemas": [SERVICE_PROVIDER_CONFIG],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": MAX_COUNT},
        "changePassword": {"supported": false},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "An Easel SCIM token, sent as `Authorization: Bearer <token>`; \
                            it acts in the organization it was issued for.",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true,
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{base}/ServiceProviderConfig"),
        },
    })
}

/// The resource types: User (with the enterprise extension) and Group.
pub fn resource_types(base: &str) -> Vec<Value> {
    [
        (
            "User",
            "/Users",
            "A member of the organization.",
            USER,
            &[ENTERPRISE_USER][..],
        ),
        (
            "Group",
            "/Groups",
            "A team of the organization.",
            GROUP,
            &[][..],
        ),
    ]
    .into_iter()
    .map(|(id, endpoint, description, schema, extensions)| {
        let extensions: Vec<Value> = extensions
            .iter()
            .map(|uri| json!({"schema": uri, "required": false}))
            .collect();
        json!({
            "schemas": [RESOURCE_TYPE],
            "id": id,
            "name": id,
            "description": description,
            "endpoint": endpoint,
            "schema": schema,
            "schemaExtensions": extensions,
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{base}/ResourceTypes/{id}"),
            },
        })
    })
    .collect()
}

/// One resource type by its id (`User`, `Group`; exactly, as ids are).
pub fn resource_type(base: &str, id: &str) -> Option<Value> {
    resource_types(base)
        .into_iter()
        .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
}

/// Every schema Easel serves: User, Group and the enterprise User extension.
pub fn schemas(base: &str) -> Vec<Value> {
    SCHEMAS.iter().map(|s| schema_document(base, s)).collect()
}

/// One schema by its URI.
pub fn schema(base: &str, uri: &str) -> Option<Value> {
    schema_def(uri).map(|s| schema_document(base, s))
}

fn schema_document(base: &str, schema: &SchemaDef) -> Value {
    json!({
        "schemas": [SCHEMA],
        "id": schema.id,
        "name": schema.name,
        "description": schema.description,
        "attributes": schema.attributes.iter().map(attribute_document).collect::<Vec<_>>(),
        "meta": {
            "resourceType": "Schema",
            "location": format!("{base}/Schemas/{}", schema.id),
        },
    })
}

/// RFC 7643 §7's attribute definition.
fn attribute_document(a: &AttrDef) -> Value {
    let mut doc = Map::new();
    doc.insert("name".into(), a.name.into());
    doc.insert("type".into(), a.kind.as_str().into());
    doc.insert("multiValued".into(), a.multi_valued.into());
    doc.insert("description".into(), a.description.into());
    doc.insert("required".into(), a.required.into());
    doc.insert("caseExact".into(), a.case_exact.into());
    doc.insert("mutability".into(), a.mutability.as_str().into());
    doc.insert("returned".into(), a.returned.as_str().into());
    doc.insert("uniqueness".into(), a.uniqueness.as_str().into());
    if !a.sub_attributes.is_empty() {
        let subs: Vec<Value> = a.sub_attributes.iter().map(attribute_document).collect();
        doc.insert("subAttributes".into(), subs.into());
    }
    if !a.canonical_values.is_empty() {
        doc.insert("canonicalValues".into(), a.canonical_values.into());
    }
    if !a.reference_types.is_empty() {
        doc.insert("referenceTypes".into(), a.reference_types.into());
    }
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://easel.test/scim/v2";

    #[test]
    fn the_service_provider_config_says_what_easel_does() {
        let c = service_provider_config(BASE);
        assert_eq!(c["patch"]["supported"], true);
        assert_eq!(c["bulk"]["supported"], false);
        assert_eq!(c["filter"], json!({"supported": true, "maxResults": 1000}));
        assert_eq!(c["changePassword"]["supported"], false);
        assert_eq!(c["sort"]["supported"], true);
        assert_eq!(c["etag"]["supported"], true);
        assert_eq!(c["authenticationSchemes"][0]["type"], "oauthbearertoken");
        assert_eq!(
            c["meta"]["location"],
            format!("{BASE}/ServiceProviderConfig")
        );
    }

    #[test]
    fn resource_types_name_their_schemas_and_extensions() {
        let all = resource_types(BASE);
        assert_eq!(all.len(), 2);
        let user = resource_type(BASE, "User").unwrap_or_default();
        assert_eq!(user["endpoint"], "/Users");
        assert_eq!(user["schema"], USER);
        assert_eq!(
            user["schemaExtensions"],
            json!([{"schema": ENTERPRISE_USER, "required": false}])
        );
        assert_eq!(
            user["meta"]["location"],
            format!("{BASE}/ResourceTypes/User")
        );
        let group = resource_type(BASE, "Group").unwrap_or_default();
        assert_eq!(group["schemaExtensions"], json!([]));
        assert!(resource_type(BASE, "Device").is_none());
        // Every schema a resource type names is served.
        for rt in &all {
            assert!(schema(BASE, rt["schema"].as_str().unwrap_or_default()).is_some());
        }
    }

    #[test]
    fn schemas_carry_full_attribute_definitions() {
        let user = schema(BASE, USER).unwrap_or_default();
        assert_eq!(user["meta"]["location"], format!("{BASE}/Schemas/{USER}"));
        let attrs = user["attributes"].as_array().cloned().unwrap_or_default();
        let user_name = attrs
            .iter()
            .find(|a| a["name"] == "userName")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            user_name,
            json!({
                "name": "userName", "type": "string", "multiValued": false,
                "description": user_name["description"], "required": true, "caseExact": false,
                "mutability": "readWrite", "returned": "default", "uniqueness": "server",
            })
        );
        let groups = attrs
            .iter()
            .find(|a| a["name"] == "groups")
            .cloned()
            .unwrap_or_default();
        assert_eq!(groups["mutability"], "readOnly");
        assert_eq!(groups["multiValued"], true);
        let r#ref = &groups["subAttributes"][1];
        assert_eq!(r#ref["name"], "$ref");
        assert_eq!(r#ref["referenceTypes"], json!(["Group"]));
        // Only what Easel supports.
        let names: Vec<&str> = attrs.iter().filter_map(|a| a["name"].as_str()).collect();
        assert_eq!(
            names,
            [
                "userName",
                "name",
                "displayName",
                "userType",
                "active",
                "emails",
                "roles",
                "groups"
            ]
        );
        // Common attributes are not part of a schema's list (RFC 7643 §8.7.1).
        assert!(!names.contains(&"id"));
    }

    #[test]
    fn every_schema_is_listed_and_found_by_uri_case_insensitively() {
        let all = schemas(BASE);
        let ids: Vec<&str> = all.iter().filter_map(|s| s["id"].as_str()).collect();
        assert_eq!(ids, [USER, GROUP, ENTERPRISE_USER]);
        assert!(schema(BASE, &ENTERPRISE_USER.to_uppercase()).is_some());
        assert!(schema(BASE, "urn:ietf:params:scim:schemas:core:2.0:Device").is_none());
    }

    #[test]
    fn every_declared_attribute_has_the_rfc_characteristics() {
        fn walk(a: &Value) {
            for key in [
                "name",
                "type",
                "multiValued",
                "description",
                "required",
                "caseExact",
                "mutability",
                "returned",
                "uniqueness",
            ] {
                assert!(a.get(key).is_some(), "{} lacks {key}", a["name"]);
            }
            assert_eq!(a["type"] == "complex", a.get("subAttributes").is_some());
            assert_eq!(a["type"] == "reference", a.get("referenceTypes").is_some());
            for sub in a["subAttributes"].as_array().into_iter().flatten() {
                walk(sub);
            }
        }
        for s in schemas(BASE) {
            for a in s["attributes"].as_array().into_iter().flatten() {
                walk(a);
            }
        }
    }
}
