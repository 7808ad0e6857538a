//! The console: pages for people, served under `/ui/`. They are rendered on the server from
//! typed templates (maud), work without JavaScript, and decide through the same engine and
//! the same commands as the API: a control the viewer may not use is not offered, or is
//! shown disabled with the refusal's message.
//!
//! A browser signs in with a one-time link and then carries its session in an HttpOnly,
//! SameSite=Strict cookie; every form carries an anti-forgery field; every page leaves with
//! the headers of [`headers`].

pub mod admin;
pub mod assets;
pub mod config;
pub mod failure;
pub mod forms;
pub mod headers;
pub mod home;
pub mod layout;
pub mod records;
pub mod share;
pub mod sign_in;
pub mod sign_out;
pub mod viewer;

use axum::Router;

pub use config::ConsoleConfig;
pub use failure::Failure;
pub use forms::Posted;
pub use viewer::Viewer;

use crate::AppState;

/// The console's routes: each page module declares its own.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(admin::routes())
        .merge(home::routes())
        .merge(sign_in::routes())
        .merge(sign_out::routes())
        .merge(records::routes())
        .merge(share::routes())
}
