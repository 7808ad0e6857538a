//! SCIM and the platform API are two doors to one directory: any sequence of provisioning
//! changes made through SCIM leaves the organization deciding exactly as the same changes
//! made through the platform and operator APIs do (every check of every person on every
//! board, every lookup, every membership). A change SCIM accepts, the platform API accepts
//! too; a change SCIM refuses (a guest, whom SCIM never sees; the last admin; someone not
//! there) changes nothing, and is not made through the other door either.

mod common;

use std::collections::BTreeMap;

use axum::http::Method;
use common::{TestApp, demo_app};
use easel_server::demo::{Demo, ORG};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The people the changes are about: the demo's members, a guest, and three newcomers.
const PEOPLE: [&str; 8] = [
    "ben@acme.test",
    "cy@acme.test",
    "eve@acme.test",
    "uma@acme.test",
    "gil@partner.test",
    "new0@acme.test",
    "new1@acme.test",
    "new2@acme.test",
];

const TEAMS: [&str; 2] = ["team_design", "team_marketing"];

/// One provisioning change, by person and team index.
#[derive(Clone, Debug)]
enum Op {
    Create(usize),
    Deactivate(usize),
    Reactivate(usize),
    JoinTeam(usize, usize),
    LeaveTeam(usize, usize),
    ContentAdmin(usize),
    Remove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let person = 0..PEOPLE.len();
    let team = 0..TEAMS.len();
    prop_oneof![
        (5..PEOPLE.len()).prop_map(Op::Create),
        person.clone().prop_map(Op::Deactivate),
        person.clone().prop_map(Op::Reactivate),
        (person.clone(), team.clone()).prop_map(|(p, t)| Op::JoinTeam(p, t)),
        (person.clone(), team).prop_map(|(p, t)| Op::LeaveTeam(p, t)),
        person.clone().prop_map(Op::ContentAdmin),
        person.prop_map(Op::Remove),
    ]
}

/// The user id of an email, known to the operator (a person not yet created has none).
async fn id_of(app: &TestApp, demo: &Demo, email: &str) -> Option<String> {
    let r = app
        .get(
            &format!("/v2/operator/users?email={email}"),
            &demo.operator_token,
        )
        .await;
    r.body["id"].as_str().map(str::to_string)
}

/// A SCIM request: whether it was accepted.
async fn scim(app: &TestApp, demo: &Demo, method: Method, path: &str, body: Option<Value>) -> bool {
    app.call(method, path, Some(demo.scim_token.as_str()), body)
        .await
        .status
        .is_success()
}

fn patch(operations: Value) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    })
}

/// The change made through SCIM, as an identity provider makes it: whether it was accepted.
async fn through_scim(app: &TestApp, demo: &Demo, op: &Op) -> bool {
    let person = |p: usize| PEOPLE[p];
    let id = match op {
        Op::Create(_) => None,
        Op::Deactivate(p)
        | Op::Reactivate(p)
        | Op::JoinTeam(p, _)
        | Op::LeaveTeam(p, _)
        | Op::ContentAdmin(p)
        | Op::Remove(p) => id_of(app, demo, person(*p)).await,
    };
    let user = id.clone().unwrap_or_else(|| "usr_nobody".into());
    match op {
        Op::Create(p) => {
            let body = json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": person(*p),
                "displayName": format!("Person {p}"),
            });
            scim(app, demo, Method::POST, "/scim/v2/Users", Some(body)).await
        }
        Op::Deactivate(_) | Op::Reactivate(_) => {
            let active = matches!(op, Op::Reactivate(_));
            let body = patch(json!([{"op": "replace", "path": "active", "value": active}]));
            scim(
                app,
                demo,
                Method::PATCH,
                &format!("/scim/v2/Users/{user}"),
                Some(body),
            )
            .await
        }
        Op::JoinTeam(_, t) => {
            let body = patch(json!([{"op": "add", "path": "members", "value": [{"value": user}]}]));
            let path = format!("/scim/v2/Groups/{}", TEAMS[*t]);
            scim(app, demo, Method::PATCH, &path, Some(body)).await
        }
        Op::LeaveTeam(_, t) => {
            let body =
                patch(json!([{"op": "remove", "path": format!("members[value eq \"{user}\"]")}]));
            let path = format!("/scim/v2/Groups/{}", TEAMS[*t]);
            scim(app, demo, Method::PATCH, &path, Some(body)).await
        }
        Op::ContentAdmin(_) => {
            let body = patch(json!([{"op": "add", "path": "roles", "value": [
                {"value": "Content Admin", "type": "organization_admin_role", "primary": false}
            ]}]));
            let path = format!("/scim/v2/Users/{user}");
            scim(app, demo, Method::PATCH, &path, Some(body)).await
        }
        Op::Remove(_) => {
            let path = format!("/scim/v2/Users/{user}");
            scim(app, demo, Method::DELETE, &path, None).await
        }
    }
}

/// The same change made through the operator API and the platform API (as the company
/// admin): whether it was accepted.
async fn through_platform(app: &TestApp, demo: &Demo, op: &Op) -> bool {
    let person = |p: usize| PEOPLE[p];
    let ana = demo.admin_token.as_str();
    let id = match op {
        Op::Create(_) => None,
        Op::Deactivate(p)
        | Op::Reactivate(p)
        | Op::JoinTeam(p, _)
        | Op::LeaveTeam(p, _)
        | Op::ContentAdmin(p)
        | Op::Remove(p) => id_of(app, demo, person(*p)).await,
    };
    let user = id.clone().unwrap_or_else(|| "usr_nobody".into());
    let org = format!("/v2/orgs/{ORG}");
    let (method, path, token, body) = match op {
        Op::Create(p) => (
            Method::POST,
            format!("/v2/operator/organizations/{ORG}/members"),
            demo.operator_token.as_str(),
            Some(json!({"email": person(*p), "name": format!("Person {p}"), "kind": "member"})),
        ),
        Op::Deactivate(_) | Op::Reactivate(_) => (
            Method::PATCH,
            format!("{org}/members/{user}"),
            ana,
            Some(json!({"active": matches!(op, Op::Reactivate(_))})),
        ),
        Op::JoinTeam(_, t) => (
            Method::POST,
            format!("{org}/teams/{}/members", TEAMS[*t]),
            ana,
            Some(json!({"userId": user})),
        ),
        Op::LeaveTeam(_, t) => (
            Method::DELETE,
            format!("{org}/teams/{}/members/{user}", TEAMS[*t]),
            ana,
            None,
        ),
        Op::ContentAdmin(_) => (
            Method::POST,
            format!("{org}/admin-roles"),
            ana,
            Some(json!({"userId": user, "role": "content_admin"})),
        ),
        Op::Remove(_) => (Method::DELETE, format!("{org}/members/{user}"), ana, None),
    };
    let r = app.call(method, &path, Some(token), body).await;
    r.status.is_success()
}

/// Everything the organization decides about the people: membership, teams, admin
/// roles, every check on every board and every lookup, keyed by email so that the ids
/// each door drew for newcomers do not matter.
async fn decisions(app: &TestApp, demo: &Demo) -> BTreeMap<String, Value> {
    let boards: Vec<String> = {
        let reader = app.engine.read();
        let state = reader.state();
        let org = state.find_org(ORG).and_then(|o| state.org(o));
        org.map(|o| {
            o.boards
                .iter()
                .filter_map(|b| state.board(*b))
                .map(|b| b.id.to_string())
                .collect()
        })
        .unwrap_or_default()
    };
    let mut out = BTreeMap::new();
    for email in PEOPLE {
        let Some(id) = id_of(app, demo, email).await else {
            out.insert(email.to_string(), Value::Null);
            continue;
        };
        let member = app
            .get(&format!("/v2/orgs/{ORG}/members/{id}"), &demo.admin_token)
            .await;
        let mut teams = Vec::new();
        for team in TEAMS {
            let r = app
                .get(
                    &format!("/v2/orgs/{ORG}/teams/{team}/members/{id}"),
                    &demo.admin_token,
                )
                .await;
            teams.push(json!([team, r.status.as_u16(), r.body["role"]]));
        }
        let roles = app
            .get(&format!("/v2/orgs/{ORG}/admin-roles"), &demo.admin_token)
            .await;
        let holds: Vec<Value> = roles.body["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|h| h["userId"] == id.as_str() || h["user"]["id"] == id.as_str())
            .map(|h| h["role"].clone())
            .collect();
        let mut checks = Vec::new();
        for board in &boards {
            for action in ["board.view", "board.edit_content", "board.share"] {
                checks.push(json!({
                    "subject": {"user": id},
                    "action": action,
                    "resource": {"board": board},
                }));
            }
        }
        let batch = app
            .post(
                "/v1/check/batch",
                &demo.service_token,
                json!({"checks": checks}),
            )
            .await;
        let answers: Vec<Value> = batch.body["results"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| json!([r["allowed"], r["role"], r["deniedBy"]["code"], r["reasons"]]))
            .collect();
        let lookup = app
            .post(
                "/v1/lookup/boards",
                &demo.service_token,
                json!({"subject": {"user": id}, "action": "board.view", "limit": 100}),
            )
            .await;
        out.insert(
            email.to_string(),
            json!({
                "member": [member.status.as_u16(), member.body["active"], member.body["role"]],
                "teams": teams,
                "adminRoles": holds,
                "checks": answers,
                "lookup": lookup.body["data"],
            }),
        );
    }
    out
}

/// Ids differ between the two doors for newcomers; their decisions are compared by email.
fn without_ids(mut v: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    for value in v.values_mut() {
        strip(value);
    }
    v
}

fn strip(v: &mut Value) {
    match v {
        Value::String(s) if s.starts_with("usr_") && !s.starts_with("usr_ana") => {
            *s = "usr_*".into();
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        Value::Object(map) => map.values_mut().for_each(strip),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn scim_and_the_platform_api_provision_alike(ops in prop::collection::vec(op(), 1..10)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let (a, demo_a) = demo_app();
            let (b, demo_b) = demo_app();
            for op in &ops {
                let before = a.engine.read().revision();
                let accepted = through_scim(&a, &demo_a, op).await;
                let changed = a.engine.read().revision() != before;
                prop_assert!(accepted || !changed, "a refused {:?} changed something", op);
                // What SCIM accepted without a change (removing a non-member) is nothing
                // to make through the other door.
                if changed {
                    prop_assert!(
                        through_platform(&b, &demo_b, op).await,
                        "SCIM accepted {:?}, the platform API refused it",
                        op
                    );
                }
            }
            let left = without_ids(decisions(&a, &demo_a).await);
            let right = without_ids(decisions(&b, &demo_b).await);
            for email in PEOPLE {
                prop_assert_eq!(
                    &left[email],
                    &right[email],
                    "{} after {:?}",
                    email,
                    ops
                );
            }
            Ok(())
        })?;
    }
}
