//! SCIM 2.0 (RFC 7643, RFC 7644): the protocol's pieces that need no engine.

pub mod discovery;
pub mod error;
pub mod etag;
pub mod list;
pub mod project;
pub mod schema;
