//! The OAuth token information and revocation. The app tokens they need are made first by
//! Easel's own OAuth flow (`setup`): an app registered in Ben's team, a session for Ben,
//! the consent page and its form, and the code exchanged with PKCE.

use axum::http::{Method, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::common::{TestApp, form_encode};
use super::{Case, Token};

/// Operations that do not yet answer in the reference's shape.
pub const PENDING: &[&str] = &[];

const REDIRECT: &str = "https://cb.example/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-a-long-verifier";

/// Ben consents on the consent page; the code from the redirect.
async fn code(app: &TestApp, client: &str, session: &str) -> String {
    let cookie = format!("easel_session={session}");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()));
    let query = format!(
        "/oauth/authorize?response_type=code&client_id={client}&redirect_uri={}&scope=boards%3Aread&state=s&code_challenge={challenge}&code_challenge_method=S256",
        form_encode(REDIRECT),
    );
    let page = app
        .raw(
            axum::http::Request::builder()
                .uri(query)
                .header("cookie", &cookie)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page
        .body
        .as_str()
        .and_then(|html| html.split("name=\"csrf\" value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let r = app
        .form(
            "/oauth/authorize",
            &[
                ("response_type", "code"),
                ("client_id", client),
                ("redirect_uri", REDIRECT),
                ("scope", "boards:read"),
                ("state", "s"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("team_id", "team_design"),
                ("csrf", &csrf),
                ("decision", "allow"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
    let location = r.headers.get("location").unwrap().to_str().unwrap();
    location
        .split("code=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap()
        .replace("%2E", ".")
}

/// Two app tokens of one app (`app_token`, `app_token2`) and the app's credentials
/// (`client_id`, `client_secret`), made through Easel's OAuth flow.
pub async fn setup(app: &TestApp, service_token: &str) -> Vec<(&'static str, String)> {
    let ben = app.personal_token("usr_ben").await;
    let r = app
        .post(
            "/v2/apps",
            &ben,
            json!({"name": "Contract", "teamId": "team_design",
                "redirectUris": [REDIRECT], "scopes": ["boards:read"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let client = r.body["id"].as_str().unwrap().to_string();
    let secret = r.body["clientSecret"].as_str().unwrap().to_string();
    let s = app
        .post("/v1/sessions", service_token, json!({"userId": "usr_ben"}))
        .await;
    let session = s.body["session"].as_str().unwrap().to_string();
    let mut saved = vec![
        ("client_id", client.clone()),
        ("client_secret", secret.clone()),
    ];
    for name in ["app_token", "app_token2"] {
        let code = code(app, &client, &session).await;
        let t = app
            .form(
                "/v1/oauth/token",
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                    ("code_verifier", VERIFIER),
                    ("client_id", &client),
                    ("client_secret", &secret),
                ],
                &[],
            )
            .await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.body);
        saved.push((name, t.body["access_token"].as_str().unwrap().to_string()));
    }
    saved
}

pub fn cases() -> Vec<Case> {
    vec![
        Case::get("token-info", "/v1/oauth-token").token(Token::Saved("app_token")),
        Case::new(
            "revoke-token",
            Method::POST,
            "/v1/oauth/revoke?access_token={app_token}",
        )
        .status(204)
        .token(Token::None),
        // The wrong secret for the app: nothing revoked.
        Case::new("revoke-token-v2", Method::POST, "/v2/oauth/revoke")
            .body(json!({"accessToken": "{app_token2}", "clientId": "{client_id}", "clientSecret": "wrong"}))
            .status(404)
            .token(Token::None),
        Case::new("revoke-token-v2", Method::POST, "/v2/oauth/revoke")
            .body(json!({"accessToken": "{app_token2}", "clientId": "{client_id}", "clientSecret": "{client_secret}"}))
            .status(204)
            .token(Token::None),
    ]
}
