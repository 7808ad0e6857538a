//! SCIM 2.0 (RFC 7643, RFC 7644): the pieces of the protocol the provisioning routes share.

pub mod auth;
pub mod body;
pub mod discovery;
pub mod edge;
pub mod error;
pub mod etag;
pub mod filter;
pub mod list;
pub mod listing;
pub mod patch;
pub mod path;
pub mod project;
pub mod resource;
pub mod schema;
pub mod user_write;
