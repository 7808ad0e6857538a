//! The route table. Every route the server answers is declared once, in its resource's own
//! file: a handler whose `#[utoipa::path]` annotation states its method, path and OpenAPI
//! operation (utoipa-axum's `routes!`), paired with the scope rule that admits an app token.
//! The router, the document's operations and the scope layer's rules are all derived from
//! these declarations, so none of them can name a route the others do not know.
//!
//! A route outside the document (health, metrics, the OAuth 2.0 endpoints, which answer in
//! their RFC's shape rather than the envelope) is declared with its method, path and the
//! reason it is left out. `tests/routes.rs` compares the table with what the router serves.

use std::collections::HashMap;

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;
use utoipa::openapi::path::{HttpMethod, PathItem, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{Components, OpenApi, RefOr};
use utoipa_axum::PathItemExt;
use utoipa_axum::router::UtoipaMethodRouter;

use crate::AppState;
use crate::scopes::Rule;

/// One route of the table, as the scope layer and the tests see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// The HTTP method.
    pub method: Method,
    /// The path, as the router matches it (`/v2/boards/{id}`).
    pub path: String,
    /// What admits an app token.
    pub rule: Rule,
    /// Why the route has no operation in the OpenAPI document; `None` when it has one.
    pub undocumented: Option<&'static str>,
}

/// The declarations of one `add` or `undocumented` call.
struct Entry {
    method_router: MethodRouter<AppState>,
    routes: Vec<Declared>,
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

/// Routes and their rules, collected per resource file and merged into the server's table.
#[derive(Default)]
#[must_use]
pub struct Routes {
    entries: Vec<Entry>,
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Documented routes: `routes!(handler)`, whose annotation states the method, the path
    /// and the operation, admitted for app tokens by `rule`. One handler per call (or
    /// several of one path): `routes!` puts every handler it is given on each of their
    /// paths, which `tests/routes.rs` would find served but not declared.
    pub fn add(self, route: UtoipaMethodRouter<AppState>, rule: Rule) -> Routes {
        let (schemas, paths, method_router) = route;
        let routes = paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                operations(item).into_iter().map(move |method| Declared {
                    method,
                    path: path.clone(),
                    rule,
                    undocumented: None,
                })
            })
            .collect();
        self.push(Entry {
            method_router,
            routes,
            paths,
            schemas,
        })
    }

    /// A route left out of the OpenAPI document, and why.
    pub fn undocumented<H, T>(
        self,
        method: HttpMethod,
        path: &'static str,
        handler: H,
        rule: Rule,
        why: &'static str,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let declared = Declared {
            method: http_method(&method),
            path: path.to_string(),
            rule,
            undocumented: Some(why),
        };
        self.push(Entry {
            method_router: axum::routing::on(method.to_method_filter(), handler),
            routes: vec![declared],
            paths: Paths::new(),
            schemas: Vec::new(),
        })
    }

    /// These routes and another file's.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.entries.extend(other.entries);
        self
    }

    fn push(mut self, entry: Entry) -> Routes {
        self.entries.push(entry);
        self
    }

    /// Every declared route, by path and then method.
    pub fn declared(&self) -> Vec<Declared> {
        let mut out: Vec<Declared> = self
            .entries
            .iter()
            .flat_map(|e| e.routes.iter().cloned())
            .collect();
        out.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
        out
    }

    /// The rule of each route, for the scope layer and the document.
    pub fn rules(&self) -> Rules {
        let mut by_path: HashMap<String, Vec<(Method, Rule)>> = HashMap::new();
        for d in self.entries.iter().flat_map(|e| &e.routes) {
            by_path
                .entry(d.path.clone())
                .or_default()
                .push((d.method.clone(), d.rule));
        }
        Rules { by_path }
    }

    /// The router: each declaration's handlers on its path (axum joins the methods of one
    /// path declared in several places).
    pub fn router(&self) -> Router<AppState> {
        self.entries.iter().fold(Router::new(), |router, entry| {
            let mut paths: Vec<&str> = entry.routes.iter().map(|d| d.path.as_str()).collect();
            paths.dedup();
            paths.into_iter().fold(router, |router, path| {
                router.route(path, entry.method_router.clone())
            })
        })
    }

    /// `base` (the document's info, tags and shared components) with every documented
    /// route's operation and the schemas they refer to.
    pub fn document(&self, mut base: OpenApi) -> OpenApi {
        for entry in &self.entries {
            for (path, item) in entry.paths.paths.clone() {
                match base.paths.paths.get_mut(&path) {
                    Some(existing) => existing.merge_operations(item),
                    None => {
                        base.paths.paths.insert(path, item);
                    }
                }
            }
            base.components
                .get_or_insert_with(Components::new)
                .schemas
                .extend(entry.schemas.clone());
        }
        base
    }
}

/// Each route's rule, looked up by method and matched path.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    by_path: HashMap<String, Vec<(Method, Rule)>>,
}

impl Rules {
    /// The rule of a declared route; `None` for a route no declaration states. A `HEAD`
    /// is answered by the `GET` route of its path, and so has its rule.
    pub fn rule(&self, method: &Method, path: &str) -> Option<Rule> {
        let methods = self.by_path.get(path)?;
        let find = |m: &Method| methods.iter().find(|(x, _)| x == m).map(|(_, r)| *r);
        find(method).or_else(|| (*method == Method::HEAD).then(|| find(&Method::GET))?)
    }
}

/// The methods a path item has operations for.
fn operations(item: &PathItem) -> Vec<Method> {
    [
        (&item.get, Method::GET),
        (&item.put, Method::PUT),
        (&item.post, Method::POST),
        (&item.delete, Method::DELETE),
        (&item.options, Method::OPTIONS),
        (&item.head, Method::HEAD),
        (&item.patch, Method::PATCH),
        (&item.trace, Method::TRACE),
    ]
    .into_iter()
    .filter_map(|(operation, method)| operation.as_ref().map(|_| method))
    .collect()
}

fn http_method(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// Every route of the server: the operational endpoints, the decision API and the platform
/// API, each from its own file.
pub fn all() -> Routes {
    crate::ops::routes()
        .merge(crate::decision::routes())
        .merge(crate::lookup::routes())
        .merge(crate::routes::routes())
}
