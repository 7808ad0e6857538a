//! The route table ties the router, the OpenAPI document and the scope layer together:
//! every route the server serves is declared, with a scope rule and an operation in the
//! document (or a stated reason to be outside it), and every documented operation is
//! served. The served routes are read from the router itself, so a route added around the
//! table is found too.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed expectation is a panic"
)]

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Method;
use common::demo_app;
use easel_server::scopes::Rule;
use easel_server::table::Declared;

/// The routes outside the OpenAPI document: none, every route the server answers is in it.
/// A route that lacks an operation by accident is not on this list, and fails.
const UNDOCUMENTED: &[(&str, &str)] = &[];

type Route = (String, String);

fn route(method: &Method, path: &str) -> Route {
    (method.to_string(), path.to_string())
}

/// Every (method, path) the router serves, read from its own route tree: axum's `Debug` of
/// a router lists each route's path and, for a method router, the methods it answers (its
/// `Allow` header). A service routed whole answers every method, written `*`. The
/// fallback's own routes are left out.
fn served(router: &axum::Router) -> BTreeSet<Route> {
    let text = format!("{router:?}");
    let text = text.split("fallback_router:").next().unwrap_or_default();
    let mut paths = std::collections::BTreeMap::new();
    let mut methods = std::collections::BTreeMap::new();
    let mut rest = text;
    while let Some(at) = rest.find("RouteId(") {
        rest = &rest[at + "RouteId(".len()..];
        let Some((id, after)) = rest.split_once("): ") else {
            break;
        };
        let id: u32 = id.parse().unwrap();
        if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap();
            paths.insert(id, quoted[..end].to_string());
        } else if after.starts_with("MethodRouter(") {
            let allow = after.split("allow_header: ").nth(1).unwrap();
            let list = allow
                .strip_prefix("Bytes(b\"")
                .and_then(|a| a.split('"').next())
                .unwrap_or_default();
            let answered: Vec<String> = list
                .split(',')
                .filter(|m| !m.is_empty() && *m != "HEAD")
                .map(str::to_string)
                .collect();
            methods.insert(id, answered);
        } else {
            methods.insert(id, vec!["*".to_string()]);
        }
    }
    let mut out = BTreeSet::new();
    for (id, path) in &paths {
        for method in methods.get(id).cloned().unwrap_or_default() {
            out.insert((method, path.clone()));
        }
    }
    out
}

fn declared() -> Vec<Declared> {
    easel_server::table::all().declared()
}

/// Every operation of the OpenAPI document.
fn documented() -> BTreeSet<Route> {
    let doc = easel_server::openapi::document();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_served_route_is_declared_with_a_rule_and_an_operation() {
    let (app, _) = demo_app();
    let declared = declared();
    let table: BTreeSet<Route> = declared.iter().map(|d| route(&d.method, &d.path)).collect();
    assert_eq!(table.len(), declared.len(), "a route is declared twice");

    // The console's pages (`/ui/...`) are for people, not API operations: they are declared
    // in the console's own router and tested as pages (tests/console*.rs, the browser tests).
    let (pages, served): (BTreeSet<Route>, BTreeSet<Route>) = served(&app.router)
        .into_iter()
        .partition(|(_, path)| path == "/ui" || path.starts_with("/ui/"));
    assert!(
        pages.contains(&("GET".to_string(), "/ui/".to_string())),
        "the console is not served: {pages:?}"
    );
    assert!(
        served.len() > 100,
        "only {} routes found served",
        served.len()
    );
    let undeclared: Vec<_> = served.difference(&table).collect();
    assert!(
        undeclared.is_empty(),
        "served without a declaration in the route table: {undeclared:?}"
    );
    let unserved: Vec<_> = table.difference(&served).collect();
    assert!(unserved.is_empty(), "declared but not served: {unserved:?}");

    // The scope layer finds a rule for every served route, by its matched path.
    let rules = easel_server::table::all().rules();
    for (method, path) in &served {
        let method: Method = method.parse().unwrap();
        assert!(
            rules.rule(&method, path).is_some(),
            "{method} {path} has no scope rule"
        );
    }

    // The document has an operation for every declared route but those left out on
    // purpose, and no other.
    let documented = documented();
    let outside: BTreeSet<Route> = declared
        .iter()
        .filter(|d| d.undocumented.is_some())
        .map(|d| route(&d.method, &d.path))
        .collect();
    let expected_outside: BTreeSet<Route> = UNDOCUMENTED
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(
        outside, expected_outside,
        "the routes outside the document changed"
    );
    let lacking: Vec<_> = served
        .iter()
        .filter(|r| !documented.contains(*r) && !outside.contains(*r))
        .collect();
    assert!(
        lacking.is_empty(),
        "served without an OpenAPI operation: {lacking:?}"
    );
    let unserved: Vec<_> = documented.difference(&served).collect();
    assert!(
        unserved.is_empty(),
        "documented but not served: {unserved:?}"
    );
    for d in &declared {
        if let Some(why) = d.undocumented {
            assert!(
                !why.is_empty(),
                "{} {} is undocumented without a reason",
                d.method,
                d.path
            );
        }
    }
}

#[tokio::test]
async fn the_served_routes_are_read_from_the_router() {
    // The reading of axum's route tree must find routes, and tell methods apart, or the
    // test above would compare the table with nothing.
    let (app, _) = demo_app();
    let found = served(&app.router);
    assert!(found.contains(&route(&Method::GET, "/v2/boards")));
    assert!(found.contains(&route(&Method::POST, "/v2/boards")));
    assert!(!found.contains(&route(&Method::DELETE, "/v2/boards")));
    assert!(found.contains(&route(&Method::GET, "/healthz")));
    assert!(
        !found
            .iter()
            .any(|(_, p)| p.contains("__private__") || p == "/")
    );
    let raw: axum::Router = axum::Router::new()
        .route("/a", axum::routing::get(|| async {}).put(|| async {}))
        .route_service(
            "/b",
            tower::service_fn(|_| async {
                Ok::<_, std::convert::Infallible>(axum::response::Response::new(Body::empty()))
            }),
        );
    let expected: BTreeSet<Route> = [("GET", "/a"), ("PUT", "/a"), ("*", "/b")]
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(served(&raw), expected);
}

#[test]
fn rules_are_the_cores_scopes_and_a_head_has_its_get_rule() {
    let rules = easel_server::table::all().rules();
    assert_eq!(
        rules.rule(&Method::HEAD, "/v2/boards"),
        rules.rule(&Method::GET, "/v2/boards")
    );
    assert_eq!(
        rules.rule(&Method::GET, "/v2/boards"),
        Some(easel_server::scopes::BOARDS_READ)
    );
    assert_eq!(rules.rule(&Method::GET, "/healthz"), Some(Rule::Open));
    assert_eq!(rules.rule(&Method::GET, "/nowhere"), None);
}
