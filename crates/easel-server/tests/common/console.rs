//! What the console's tests share: a browser's session cookie for a demo user, pages fetched
//! with it, forms posted with its anti-forgery field.

use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::json;

use super::{Reply, TestApp};

/// A signed-in browser: the cookie it sends.
pub struct Browser {
    /// `easel_session=<session>`.
    pub cookie: String,
}

impl TestApp {
    /// Signs `user` of the demo organization in, as the host product's service would.
    pub async fn browser(&self, service_token: &str, user: &str) -> Browser {
        let r = self
            .post(
                "/v1/sessions",
                service_token,
                json!({"userId": user, "orgId": easel_server::demo::ORG}),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let session = r.body["session"].as_str().unwrap().to_string();
        Browser {
            cookie: format!("easel_session={session}"),
        }
    }

    /// A page, as the browser asks for it.
    pub async fn page(&self, browser: &Browser, path: &str) -> Reply {
        let req = Request::builder()
            .method(Method::GET)
            .uri(path)
            .header("cookie", &browser.cookie)
            .body(Body::empty())
            .unwrap();
        self.raw(req).await
    }

    /// Posts a form as the browser would, with the given fields (add the `csrf` field
    /// yourself, or leave it out to see the form refused).
    pub async fn post_form(&self, browser: &Browser, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("cookie", &browser.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.raw(req).await
    }

    /// Posts a form with the anti-forgery field the page at `page` carries.
    pub async fn submit(
        &self,
        browser: &Browser,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let html = self.page(browser, page).await;
        let token = csrf_of(html.body.as_str().unwrap_or("")).expect("the page has a form");
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(browser, action, &all).await
    }
}

/// The anti-forgery value in a page's first form.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}
