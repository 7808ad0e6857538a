//! The state as SQL tables: their columns, the rows each entity of the state makes, and how
//! a change reaches them. The rows are defined once, per entity (`rows`): a whole state's
//! rows are those of every entity (`snapshot`), and a change's are those of the entities it
//! touched (`touched` names them from the state before the events, `rows_for` writes them
//! again from the state after), so no statement is written per event.
//!
//! The statements are written once, with SQLite's numbered placeholders (`?1`), in SQL
//! both backends speak; PostgreSQL gets them with `$1`.

mod rows;
mod schema;
mod snapshot;
mod write;

use std::collections::{BTreeMap, BTreeSet};

pub use easel_core::event::{Key, Keys, touched};
pub use schema::{TABLES, TableSpec};
pub use snapshot::snapshot;
pub use write::rows_for;

/// A column value, typed so both drivers bind it as the column's type (NULLs included).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    /// TEXT.
    Text(Option<String>),
    /// BIGINT.
    Int(Option<i64>),
    /// BOOLEAN.
    Bool(bool),
}

/// A column's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// TEXT.
    Text,
    /// BIGINT.
    Int,
    /// BOOLEAN.
    Bool,
}

/// Every table's rows, by table name.
pub type Tables = BTreeMap<&'static str, BTreeSet<Vec<Value>>>;

/// One statement and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// The SQL, with `?1`-style placeholders.
    pub sql: &'static str,
    /// The arguments, in placeholder order.
    pub args: Vec<Value>,
}

/// SQL with `?N` placeholders rewritten as PostgreSQL's `$N`. The statements hold no
/// string literals containing `?`, so a plain scan is exact.
pub fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

/// A text value.
pub(crate) fn text(s: impl Into<String>) -> Value {
    Value::Text(Some(s.into()))
}

/// A text value or NULL.
pub(crate) fn opt_text(s: Option<impl Into<String>>) -> Value {
    Value::Text(s.map(Into::into))
}

/// An integer or NULL.
pub(crate) fn opt_int(i: Option<i64>) -> Value {
    Value::Int(i)
}

/// A wire name: how serde spells a unit enum value (a role, an access level, a plan).
pub(crate) fn wire<T: serde::Serialize>(value: &T) -> Value {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => text(s),
        Ok(other) => text(other.to_string()),
        Err(e) => text(format!("<{e}>")),
    }
}

/// A scope set as stored in a column.
pub(crate) fn scope_text(set: easel_core::catalog::ScopeSet) -> String {
    set.iter().map(|s| s.name()).collect::<Vec<_>>().join(" ")
}

/// The top-level entries of a settings value, each with its JSON.
pub(crate) fn setting_rows<T: serde::Serialize>(settings: &T) -> Vec<(String, String)> {
    match serde_json::to_value(settings) {
        Ok(serde_json::Value::Object(map)) => {
            map.into_iter().map(|(k, v)| (k, v.to_string())).collect()
        }
        _ => Vec::new(),
    }
}

/// Where rows go: into a set per table (a snapshot), or as `INSERT`s (a write).
pub(crate) trait Sink {
    /// One row of `table`.
    fn row(&mut self, table: &'static TableSpec, row: Vec<Value>);
}

impl Sink for Tables {
    fn row(&mut self, table: &'static TableSpec, row: Vec<Value>) {
        self.entry(table.name).or_default().insert(row);
    }
}

impl Sink for Vec<Stmt> {
    fn row(&mut self, table: &'static TableSpec, row: Vec<Value>) {
        self.push(Stmt {
            sql: table.insert_sql(),
            args: row,
        });
    }
}
