//! SCIM 2.0 (RFC 7643, RFC 7644): the pieces of the protocol the provisioning routes share.

pub mod filter;
pub mod path;
