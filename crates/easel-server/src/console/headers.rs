//! The headers every page leaves with: a Content-Security-Policy that admits only the
//! console's own script and style and frames only from the configured origins, `nosniff`,
//! no caching (pages show what one signed-in person may see) and no referrer (a sign-in
//! link's address must not leak to another site).

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::ConsoleConfig;
use crate::AppState;

/// Which pages another site may frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// The configured origins (console pages: a host product embeds the share dialog).
    Configured,
    /// None at all (the OAuth consent page: a framed consent is a clickjacking target).
    Never,
}

/// The Content-Security-Policy of a page; `form_targets` are origins a form may lead to
/// besides this one (the consent form ends at the app's redirect URI).
pub fn policy(config: &ConsoleConfig, framing: Framing, form_targets: &[String]) -> String {
    let ancestors = match framing {
        Framing::Configured if !config.frame_ancestors.is_empty() => {
            config.frame_ancestors.join(" ")
        }
        _ => "'none'".to_string(),
    };
    let mut forms = String::from("'self'");
    for target in form_targets {
        forms.push(' ');
        forms.push_str(target);
    }
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action {forms}; base-uri 'none'; frame-ancestors {ancestors}"
    )
}

/// Adds the page headers to every HTML answer (the console's and the consent page's); a
/// page that set its own policy keeps it.
pub async fn pages(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        secure(response.headers_mut(), &app.console, Framing::Configured);
    }
    response
}

/// Sets the page headers on `headers`, keeping a policy already there.
pub fn secure(headers: &mut HeaderMap, config: &ConsoleConfig, framing: Framing) {
    if !headers.contains_key(CONTENT_SECURITY_POLICY)
        && let Ok(v) = HeaderValue::from_str(&policy(config, framing, &[]))
    {
        headers.insert(CONTENT_SECURITY_POLICY, v);
    }
    // Older browsers know only this header; it cannot name origins, so it is sent only
    // when no origin may frame the page.
    let framed = headers
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.contains("frame-ancestors 'none'"));
    if !framed {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_only_from_configured_origins() {
        let none = ConsoleConfig::default();
        assert!(policy(&none, Framing::Configured, &[]).ends_with("frame-ancestors 'none'"));
        let host = ConsoleConfig {
            public_url: None,
            frame_ancestors: vec!["https://app.example.com".into()],
        };
        assert!(
            policy(&host, Framing::Configured, &[])
                .ends_with("frame-ancestors https://app.example.com")
        );
        assert!(policy(&host, Framing::Never, &[]).ends_with("frame-ancestors 'none'"));
        assert!(!policy(&host, Framing::Configured, &[]).contains("unsafe"));
    }
}
