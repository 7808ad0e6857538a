//! Easel's access model as a library: the catalogs, the entities, an indexed in-memory state,
//! and the one decision function every answer comes from. No I/O, no clock, no async.

pub mod catalog;
pub mod ids;
pub mod model;
pub mod roles;
pub mod settings;
pub mod state;
pub mod time;
