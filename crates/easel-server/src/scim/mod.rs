//! SCIM 2.0 (RFC 7643, RFC 7644): the pieces of the protocol the provisioning routes share.

pub mod discovery;
pub mod error;
pub mod etag;
pub mod filter;
pub mod list;
pub mod path;
pub mod project;
pub mod schema;
