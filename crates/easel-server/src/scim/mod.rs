//! SCIM 2.0 (RFC 7643, RFC 7644): the protocol's pieces that need no engine — the schemas
//! and discovery documents, errors, lists, projection, ETags, and the filter and
//! attribute-path language.

pub mod discovery;
pub mod error;
pub mod etag;
pub mod filter;
pub mod list;
pub mod path;
pub mod project;
pub mod schema;
