//! The OpenAPI 3.1 document: its operations come from the route table (`table.rs`: each
//! route's `#[utoipa::path]` annotation, declared in its resource's file), its info, tags
//! and shared components from `ApiDoc` here. `docs/openapi.json` holds a copy, and a test
//! fails when the two differ.
//!
//! What every route shares is added here rather than on each annotation, so that it cannot
//! be forgotten on one: the error answers each operation can give (derived from its method,
//! its body and its scope rule), the page-size bounds of every `limit`, and operation ids
//! made unique by their tag.

use axum::http::Method;
use serde_json::{Map, Value, json};
use utoipa::OpenApi;

use crate::scopes::Rule;
use crate::table::{Routes, Rules};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Easel",
        description = "The access-control server for collaborative whiteboards: the platform API (`/v2`), the decision API (`/v1`) and SCIM 2.0 provisioning (`/scim/v2`).",
        license(name = "Apache-2.0")
    ),
    tags(
        (name = "decision", description = "Questions other services ask: may this principal do this, and what may they reach"),
        (name = "boards", description = "Boards"),
        (name = "board members", description = "Who is on a board, and who has access and how"),
        (name = "organizations", description = "The organization, its members and settings"),
        (name = "teams", description = "Teams"),
        (name = "projects", description = "Projects of a team"),
        (name = "requests", description = "Access requests, invitations, join and licence requests"),
        (name = "directory", description = "Members, admin roles, user groups, billing groups, managed domains"),
        (name = "content", description = "Items and comments on boards; classification"),
        (name = "compliance", description = "Audit log, content log, legal cases and holds, sessions"),
        (name = "apps", description = "OAuth apps and their installations"),
        (name = "sessions", description = "Sessions of users signed in through the host product"),
        (name = "oauth", description = "OAuth 2.0: the consent page, tokens, their description and revocation (RFC 6749, 7636, 7662, 7009)"),
        (name = "operator", description = "The operator API: the product's own sign-up and support, with the operator's token"),
        (name = "scim", description = "SCIM 2.0 (RFC 7643, 7644) under `/scim/v2`: an organization's identity provider provisions its members (Users) and teams (Groups) with the organization's SCIM token; answers are `application/scim+json`"),
        (name = "operations", description = "Liveness, readiness, metrics and this document, for operators and load balancers"),
    ),
    servers((url = "/", description = "the Easel server that serves this document")),
    components(schemas(crate::error::Envelope)),
    modifiers(&Bearer)
)]
struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

/// The error answers of the document: status, name of the shared response, and when it is
/// given.
const ERRORS: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "malformed input: a parameter, a body field or JSON that is not valid (`request.*`)",
    ),
    (
        401,
        "Unauthorized",
        "no bearer token, or one that is unknown, expired or revoked (`credential.*`)",
    ),
    (
        403,
        "Forbidden",
        "refused: the engine's decision, a missing scope, or a service token on a route that acts as a user",
    ),
    (
        404,
        "NotFound",
        "unknown, or not visible to the caller (the two are answered alike)",
    ),
    (
        408,
        "RequestTimeout",
        "the request took longer than the server allows",
    ),
    (
        409,
        "Conflict",
        "a conflicting change (a duplicate, a stale revision, a lost race); nothing was changed",
    ),
    (
        413,
        "PayloadTooLarge",
        "the body, or a batch, is larger than the server accepts",
    ),
    (
        414,
        "UriTooLong",
        "the request target is longer than the server accepts",
    ),
    (
        415,
        "UnsupportedMediaType",
        "the body is not sent as `application/json` in UTF-8",
    ),
    (
        429,
        "TooManyRequests",
        "the server is at its limit of requests in flight; retry later",
    ),
    (
        431,
        "HeadersTooLarge",
        "the header fields are larger than the server accepts",
    ),
    (
        503,
        "Unavailable",
        "the store is unavailable; nothing was changed, and the request may be retried",
    ),
];

/// The error statuses an operation can answer with.
fn error_statuses(rules: &Rules, method: &Method, path: &str, has_body: bool) -> Vec<u16> {
    // Every request passes the head limits, the timeout and the concurrency limit, and
    // may name something the caller cannot see.
    let mut out = vec![400, 404, 408, 414, 429, 431];
    if rules.rule(method, path) != Some(Rule::Open) {
        // A missing or bad token; a token the route's scopes or the engine refuse.
        out.extend([401, 403]);
    }
    if *method != Method::GET {
        // Writes commit to the store; the decision API waits for a revision.
        out.extend([409, 503]);
    }
    if has_body {
        out.extend([413, 415]);
    }
    out.sort_unstable();
    out
}

/// The page-size bounds of every `limit`, as `wire::page_limit` applies them with the
/// default limits.
fn limit_bounds(schema: &mut Map<String, Value>) {
    let max = crate::Limits::default().page_size;
    schema.insert("minimum".into(), json!(1));
    schema.insert("maximum".into(), json!(max));
    schema.insert("default".into(), json!(20.min(max)));
}

/// The closed vocabularies the routes parse, as schemas: a value outside them is answered
/// 400, so the document says which values are valid (their canonical spellings; the
/// variants the parsers also accept are not repeated).
fn one_of(values: impl IntoIterator<Item = &'static str>, nullable: bool) -> Value {
    let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
    if nullable {
        values.push(Value::Null);
    }
    let kind = if nullable {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    json!({"type": kind, "enum": values})
}

/// Scope names, as `ScopeSet::parse` reads them (the catalog's spellings).
fn scope_list(nullable: bool) -> Value {
    let names: Vec<&str> = easel_core::catalog::Scope::ALL
        .into_iter()
        .map(|s| s.name())
        .collect();
    let kind = if nullable {
        json!(["array", "null"])
    } else {
        json!("array")
    };
    json!({"type": kind, "items": {"type": "string", "enum": names}})
}

/// An email address as `valid_email` reads it: something, `@`, and a domain holding a dot
/// neither first nor last; no spaces or control characters; at most 254 bytes.
fn email(nullable: bool) -> Value {
    const NOT: &str = "@\\s\\x00-\\x1f\\x7f-\\x9f";
    let pattern = format!("^[^{NOT}]+@[^.{NOT}][^{NOT}]*\\.[^{NOT}]*[^.{NOT}]$");
    let kind = if nullable {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    json!({"type": kind, "pattern": pattern, "maxLength": 254})
}

/// A domain as the directory reads it: what may follow `@` in an email address
/// (`valid_email`), around white space it trims.
fn domain() -> Value {
    const NOT: &str = "@\\s\\x00-\\x1f\\x7f-\\x9f";
    let pattern = format!("^\\s*[^.{NOT}][^{NOT}]*\\.[^{NOT}]*[^.{NOT}]\\s*$");
    json!({"type": "string", "pattern": pattern, "maxLength": 252})
}

/// The body of `PATCH /v2/orgs/{org_id}/data-classification-settings`: the company's
/// `board_classification` alone, `null` to turn it off.
fn classification_settings() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "board_classification": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "labels": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "additionalProperties": false,
                                    "properties": {
                                        "name": text(true, false),
                                        "color": {"type": "string"}
                                    },
                                    "required": ["name"]
                                }
                            },
                            "default_label": {"type": ["string", "null"]},
                            "policy_url": {"type": ["string", "null"]}
                        }
                    }
                ]
            }
        }
    })
}

/// The questions of a batch, as the generated schemas give their JSON types and before the
/// rules of a single check are added: a batch answers a question the single check would
/// refuse as malformed (an unknown action, a subject or resource not as asked) with that
/// error in its place among the results, and refuses the whole batch only for JSON of the
/// wrong shape.
fn batch_questions(schemas: &mut Map<String, Value>) {
    const LOOSE: [&str; 4] = ["CheckIn", "SubjectIn", "ResourceIn", "ContextIn"];
    for name in LOOSE {
        let Some(schema) = schemas.get(name) else {
            continue;
        };
        let mut text = schema.to_string();
        for other in LOOSE {
            text = text.replace(
                &format!("\"#/components/schemas/{other}\""),
                &format!("\"#/components/schemas/Batch{other}\""),
            );
        }
        if let Ok(mut copy) = serde_json::from_str::<Value>(&text) {
            if name == "CheckIn"
                && let Some(copy) = copy.as_object_mut()
            {
                copy.insert(
                    "description".into(),
                    json!("A question of a batch: a check's shape; a question the single check would refuse as malformed is answered with its error in its place among the results."),
                );
            }
            schemas.insert(format!("Batch{name}"), copy);
        }
    }
}

/// The kinds of target a question names.
const KINDS: [easel_core::TargetKind; 4] = [
    easel_core::TargetKind::Board,
    easel_core::TargetKind::Team,
    easel_core::TargetKind::Project,
    easel_core::TargetKind::Org,
];

/// The target of a question: exactly one of `board`, `team`, `project`, `org`
/// (`decision::resource`).
fn resource_branches() -> Value {
    let one = |kind: &str| {
        let mut properties = Map::new();
        for k in KINDS.map(easel_core::TargetKind::as_str) {
            let v = if k == kind {
                json!({"type": "string"})
            } else {
                json!({"type": "null"})
            };
            properties.insert(k.into(), v);
        }
        json!({"properties": properties, "required": [kind]})
    };
    json!(KINDS.map(|k| one(k.as_str())))
}

/// Control characters other than tab and line breaks, which names and texts refuse.
const CONTROL: &str = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f";

/// A name or text as the engine's `text` check reads it: at most `MAX_TEXT_CHARS`
/// characters, no control characters but tab and line breaks, and for a name something
/// besides white space.
fn text(name: bool, nullable: bool) -> Value {
    let pattern = if name {
        format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$")
    } else {
        format!("^[^{CONTROL}]*$")
    };
    let kind = if nullable {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    json!({
        "type": kind,
        "pattern": pattern,
        "minLength": u8::from(name),
        "maxLength": easel_core::command::MAX_TEXT_CHARS,
    })
}

/// What the routes check of their input beyond its JSON type, by schema and property, so
/// that a value the document admits is one the route accepts.
fn input_rules() -> Vec<(&'static str, &'static str, Value)> {
    use easel_core::catalog::AdminRole;
    use easel_core::model::{ContentKind, Licence};
    use easel_core::roles::BoardRole;
    let board_roles = || {
        [
            BoardRole::Viewer,
            BoardRole::Commenter,
            BoardRole::Editor,
            BoardRole::Coowner,
        ]
        .map(BoardRole::as_str)
    };
    // The reference's spellings, which boards are written in (Easel's earlier `viewer` ...
    // are still read, and not repeated here).
    let access = || ["private", "view", "comment", "edit"];
    // The reference's project roles (`commenter` is read too, and not repeated).
    let project_roles = || ["viewer", "commentator", "editor", "coowner"];
    let access_roles =
        || [BoardRole::Viewer, BoardRole::Commenter, BoardRole::Editor].map(BoardRole::as_str);
    let team_roles = || ["member", "admin"];
    let licences = || {
        [
            Licence::Full,
            Licence::Occasional,
            Licence::Free,
            Licence::FreeRestricted,
        ]
        .map(Licence::as_str)
    };
    let admin_roles = || AdminRole::ALL.iter().map(|r| r.as_str());
    let actions = || easel_core::Action::all().map(easel_core::Action::id);
    let capabilities = || {
        easel_core::catalog::Capability::ALL
            .into_iter()
            .map(|c| c.id())
    };
    vec![
        ("ShareIn", "role", one_of(board_roles(), false)),
        ("RoleIn", "role", one_of(board_roles(), false)),
        // Access is asked for, and granted on request, up to editor.
        ("RoleRequestIn", "role", one_of(access_roles(), false)),
        ("ApproveIn", "role", one_of(access_roles(), true)),
        ("ProjectMemberIn", "role", one_of(project_roles(), false)),
        ("ProjectRoleIn", "role", one_of(project_roles(), false)),
        ("ContextIn", "role", one_of(board_roles(), true)),
        ("ContextIn", "surface", one_of(["rest", "web_sdk"], true)),
        ("TeamMemberIn", "role", one_of(team_roles(), true)),
        ("TeamRoleIn", "role", one_of(team_roles(), true)),
        ("AssignIn", "role", one_of(admin_roles(), false)),
        ("LicenceIn", "licence", one_of(licences(), false)),
        ("MemberPatch", "licence", one_of(licences(), true)),
        (
            "ItemIn",
            "type",
            one_of(
                [
                    ContentKind::StickyNote,
                    ContentKind::Text,
                    ContentKind::Shape,
                    ContentKind::Frame,
                ]
                .map(ContentKind::as_str),
                false,
            ),
        ),
        ("SharingPolicy", "access", one_of(access(), true)),
        ("SharingPolicy", "teamAccess", one_of(access(), true)),
        (
            "SharingPolicy",
            "organizationAccess",
            one_of(access(), true),
        ),
        (
            "PermissionsPolicy",
            "copyAccess",
            one_of(
                ["anyone", "team_members", "team_editors", "board_owner"],
                true,
            ),
        ),
        (
            "PermissionsPolicy",
            "sharingAccess",
            one_of(
                ["team_members_with_editing_rights", "owner_and_coowners"],
                true,
            ),
        ),
        ("CheckIn", "action", one_of(actions(), false)),
        (
            "BoardsIn",
            "cursor",
            json!({"type": ["string", "null"], "pattern": CURSOR_PATTERN}),
        ),
        (
            "SubjectsIn",
            "cursor",
            json!({"type": ["string", "null"], "pattern": CURSOR_PATTERN}),
        ),
        // A lookup of boards is about a user.
        (
            "BoardsIn",
            "subject",
            json!({
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "user": {"type": "string"},
                    "anonymous": {
                        "type": ["boolean", "null"],
                        "description": "Absent, `null` or `false`: a lookup is about a user."
                    }
                },
                "required": ["user"],
            }),
        ),
        ("BoardsIn", "action", one_of(capabilities(), false)),
        ("SubjectsIn", "action", one_of(capabilities(), false)),
        (
            "BatchIn",
            "checks",
            json!({
                "type": "array",
                "items": {"$ref": "#/components/schemas/BatchCheckIn"},
                "maxItems": crate::Limits::default().batch_checks,
            }),
        ),
        ("CreateIn", "name", text(true, false)),
        ("CopyIn", "name", text(true, false)),
        ("NameIn", "name", text(true, false)),
        ("GroupIn", "name", text(true, false)),
        ("CaseIn", "name", text(true, false)),
        ("ProjectIn", "name", text(true, false)),
        ("RegisterIn", "name", text(true, false)),
        ("UpdateIn", "name", text(true, true)),
        ("ProjectUpdateIn", "name", text(true, true)),
        ("UpdateIn", "description", text(false, true)),
        ("TextIn", "text", text(false, false)),
        ("ItemIn", "text", text(false, false)),
        (
            "PasswordIn",
            "password",
            json!({
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": easel_core::command::MAX_PASSWORD_CHARS,
            }),
        ),
        ("ContextIn", "scopes", scope_list(true)),
        ("ContextIn", "invitee", email(true)),
        ("RegisterIn", "scopes", scope_list(false)),
        ("ScopesIn", "scopes", scope_list(false)),
        // Each address is answered on its own: one refused (malformed, unknown) is listed
        // in `failed` with its reason, and the others still go through.
        (
            "ShareIn",
            "emails",
            json!({
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": crate::routes::board_members::MAX_EMAILS,
            }),
        ),
        ("InviteIn", "email", email(false)),
        ("DomainIn", "domain", domain()),
        (
            "HoldIn",
            "userIds",
            json!({"type": "array", "items": {"type": "string"}, "minItems": 1}),
        ),
        (
            "AuditSettingsIn",
            "retentionDays",
            json!({"type": ["integer", "null"], "minimum": 1, "maximum": 36500}),
        ),
        // Revisions are counted from 1 in an `i64`.
        (
            "ConsistencyIn",
            "atLeast",
            json!({"type": "string", "pattern": "^[0-9]{1,18}$"}),
        ),
    ]
}

/// The cursor a list reads: `e1.` and the base64url of a position and its seal
/// (`cursor.rs`); only a cursor the same list gave the same caller is accepted. An empty
/// cursor is no cursor.
const CURSOR_PATTERN: &str = "^(e1\\.[A-Za-z0-9_-]{23,192})?$";

/// The parameters the routes check beyond their JSON type, by path and name.
fn parameter_rule(path: &str, name: &str) -> Option<Value> {
    match (path, name) {
        (_, "cursor") => Some(json!({"type": "string", "pattern": CURSOR_PATTERN})),
        ("/v2/audit/logs", "format") => Some(one_of(["json", "csv"], false)),
        ("/v2/audit/logs", "sorting") => Some(one_of(["asc", "desc"], false)),
        (_, "domain") if path.contains("/domains/") => Some(domain()),
        (_, "role") if path.contains("/admin-roles/") => Some(one_of(
            easel_core::catalog::AdminRole::ALL
                .iter()
                .map(|r| r.as_str()),
            false,
        )),
        _ => None,
    }
}

/// What every operation shares, added to the generated document.
fn finish(doc: &mut Value, rules: &Rules) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut();
    if let Some(components) = components {
        let responses = components.entry("responses").or_insert_with(|| json!({}));
        for (_, name, description) in ERRORS {
            let Some(responses) = responses.as_object_mut() else {
                break;
            };
            responses.insert((*name).into(), json!({
                "description": description,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }));
        }
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            batch_questions(schemas);
            for (schema, property, rule) in input_rules() {
                let Some(p) = schemas
                    .get_mut(schema)
                    .and_then(|s| s.pointer_mut(&format!("/properties/{property}")))
                    .and_then(Value::as_object_mut)
                else {
                    continue;
                };
                // Keep the property's words; the rule replaces its type.
                let description = p.remove("description");
                if let Value::Object(rule) = rule {
                    *p = rule;
                }
                if let Some(d) = description {
                    p.insert("description".into(), d);
                }
            }
            // A question names exactly one kind of resource. (Which subject, and whether
            // the action fits the resource's kind, the descriptions say: generated clients
            // cannot express those as schemas, so the document does not either.)
            if let Some(schema) = schemas.get_mut("ResourceIn").and_then(Value::as_object_mut) {
                schema.insert("oneOf".into(), resource_branches());
            }
            schemas.insert("ClassificationSettingsIn".into(), classification_settings());
            // A lookup of a board's subjects names a board.
            if let Some(resource) = schemas
                .get_mut("SubjectsIn")
                .and_then(|s| s.pointer_mut("/properties/resource"))
            {
                *resource = json!({
                    "type": "object",
                    "description": "The board.",
                    "additionalProperties": false,
                    "properties": {
                        "board": {"type": "string"},
                        "team": {"type": "null"},
                        "project": {"type": "null"},
                        "org": {"type": "null"}
                    },
                    "required": ["board"],
                });
            }
            // Every `limit` property of a body (the lookups) has the same bounds.
            for schema in schemas.values_mut() {
                if let Some(limit) = schema
                    .pointer_mut("/properties/limit")
                    .and_then(Value::as_object_mut)
                {
                    limit_bounds(limit);
                }
            }
        }
    }
    let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let (Ok(m), Some(operation)) = (
                method.to_uppercase().parse::<Method>(),
                operation.as_object_mut(),
            ) else {
                continue;
            };
            // An operation without an id of its own is named after its handler, and
            // handlers of different resources share names (`list`, `read`): the tag makes
            // those unique. An id set on the annotation (the reference platform's, or
            // Easel's `easel-...`) holds a `-` and is kept as written.
            let tag = operation
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .map(|t| t.replace(' ', "_"));
            // SCIM's operations keep the reference's ids (`listUsers`) as written.
            if let (Some(tag), Some(id)) = (
                tag.filter(|t| t != "scim"),
                operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .filter(|id| !id.contains('-')),
            ) {
                let unique = format!("{tag}.{id}");
                operation.insert("operationId".into(), Value::String(unique));
            }
            if let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            {
                for p in parameters.iter_mut().filter_map(Value::as_object_mut) {
                    let name = p
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string();
                    if let Some(rule) = parameter_rule(path, &name) {
                        p.insert("schema".into(), rule);
                    }
                    // A query parameter is present or absent, never null: an optional one's
                    // schema is the value's own.
                    if p.get("in") == Some(&json!("query")) {
                        let value = p
                            .get("schema")
                            .and_then(|s| s.get("oneOf"))
                            .and_then(Value::as_array)
                            .filter(|branches| branches.len() == 2)
                            .and_then(|branches| {
                                branches
                                    .iter()
                                    .find(|b| b.get("type") != Some(&json!("null")))
                            })
                            .cloned();
                        if let Some(value) = value {
                            p.insert("schema".into(), value);
                        }
                    }
                    if p.get("name") == Some(&json!("limit"))
                        && p.get("in") == Some(&json!("query"))
                    {
                        // A query parameter is present or absent, never null. Bounds the
                        // annotation states (the reference's, per list) are kept.
                        let declared = p.get("schema").and_then(Value::as_object);
                        let mut schema = Map::new();
                        schema.insert("type".into(), json!("integer"));
                        limit_bounds(&mut schema);
                        for bound in ["minimum", "maximum", "default"] {
                            if let Some(v) = declared.and_then(|d| d.get(bound)) {
                                schema.insert(bound.into(), v.clone());
                            }
                        }
                        p.insert("schema".into(), Value::Object(schema));
                    }
                }
            }
            // A body the route reads as JSON and checks itself has its schema here.
            if m == Method::PATCH && path == "/v2/orgs/{org_id}/data-classification-settings" {
                operation.insert(
                    "requestBody".into(),
                    json!({
                        "required": true,
                        "description": "`{\"board_classification\": {...} | null}`",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClassificationSettingsIn"}}},
                    }),
                );
            }
            let has_body = operation.contains_key("requestBody");
            let Some(responses) = operation
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
            else {
                continue;
            };
            // An answer the annotation describes itself (the OAuth endpoints' RFC 6749
            // errors, the consent page's HTML, SCIM's errors) is kept; the others are the
            // envelope's.
            for status in error_statuses(rules, &m, path, has_body) {
                if let Some((_, name, _)) = ERRORS.iter().find(|(s, _, _)| *s == status) {
                    let envelope = json!({"$ref": format!("#/components/responses/{name}")});
                    match responses.get(&status.to_string()) {
                        Some(own) if own.get("content").is_some() => {}
                        _ => {
                            responses.insert(status.to_string(), envelope);
                        }
                    }
                }
            }
        }
    }
}

/// The document of `table`'s operations, before what every operation shares is added.
fn generated(table: &Routes) -> utoipa::openapi::OpenApi {
    table.document(ApiDoc::openapi())
}

/// The document, as JSON. It depends on nothing but the route table, so it is made once.
pub fn document() -> serde_json::Value {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            let table = crate::table::all();
            let mut doc = serde_json::to_value(generated(&table)).unwrap_or_default();
            finish(&mut doc, &table.rules());
            doc
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_rule_names_a_property_of_the_generated_document() {
        let doc = serde_json::to_value(generated(&crate::table::all())).unwrap_or_default();
        for (schema, property, _) in input_rules() {
            assert!(
                doc.pointer(&format!(
                    "/components/schemas/{schema}/properties/{property}"
                ))
                .is_some(),
                "no property `{property}` in schema `{schema}`"
            );
        }
    }

    #[test]
    fn operation_ids_are_unique_and_every_operation_answers_in_the_envelope() {
        let doc = document();
        let mut ids = std::collections::HashSet::new();
        let paths = doc["paths"].as_object().cloned().unwrap_or_default();
        assert!(!paths.is_empty());
        for (path, item) in paths {
            for (method, op) in item.as_object().cloned().unwrap_or_default() {
                let id = op["operationId"].as_str().unwrap_or_default().to_string();
                assert!(ids.insert(id.clone()), "operation id `{id}` repeats");
                for status in ["400", "404", "408", "414", "429", "431"] {
                    // The OAuth endpoints describe some errors themselves: RFC 6749's shape,
                    // or a page.
                    let own = (path.contains("oauth") || path.starts_with("/scim/"))
                        && op["responses"][status]["content"].is_object();
                    assert!(
                        op["responses"][status]["$ref"].is_string() || own,
                        "{method} {path} lacks {status}"
                    );
                }
            }
        }
    }
}
