//! Forms: every POST of the console is read through [`Posted`], which admits it only with
//! the viewer's anti-forgery field, so no page can forget the check.

use axum::body::to_bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use maud::{Markup, html};
use serde::de::DeserializeOwned;

use super::{Failure, Viewer};
use crate::AppState;

/// The name of the anti-forgery field.
pub const CSRF_FIELD: &str = "csrf";

/// The largest form the console reads.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A posted form, from a signed-in viewer, with its anti-forgery field checked.
#[derive(Debug)]
pub struct Posted<T> {
    /// Who posted it.
    pub viewer: Viewer,
    /// Its fields, the anti-forgery field taken out.
    pub form: T,
}

/// The hidden field a form of `viewer` carries.
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(viewer.csrf); }
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Failure;

    async fn from_request(request: Request, app: &AppState) -> Result<Posted<T>, Failure> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, app).await?;
        let form_type = parts
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form_type {
            return Err(Failure::malformed("send the form as a browser does"));
        }
        let bytes = to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| Failure::malformed("the form is too large"))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| Failure::malformed("the form is not URL-encoded"))?;
        let mut given = None;
        let mut rest = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            if k == CSRF_FIELD {
                if given.replace(v).is_some() {
                    return Err(Failure::forged());
                }
            } else {
                rest.push((k, v));
            }
        }
        if !given.is_some_and(|g| viewer.genuine(&g)) {
            return Err(Failure::forged());
        }
        let text = serde_urlencoded::to_string(&rest)
            .map_err(|_| Failure::malformed("the form is not URL-encoded"))?;
        let form =
            serde_urlencoded::from_str(&text).map_err(|e| Failure::malformed(e.to_string()))?;
        Ok(Posted { viewer, form })
    }
}
