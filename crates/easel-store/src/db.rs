//! The few things a transaction of either backend does for the code that is the same on
//! both: migrating (`migrate`) and the state tables (`stored_tables`). Each backend
//! opens the transaction (with its own locks and sync settings), hands it over as a `Db`,
//! and commits.

use crate::tables::{Stmt, TableSpec, Value};
use crate::{Revision, StoreError};

/// A transaction, as the shared code uses it.
pub(crate) trait Db {
    /// Runs SQL without arguments (one statement or several).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Runs one statement, written with `?1`-style placeholders, with its arguments.
    fn execute(&mut self, sql: &'static str, args: &[Value]) -> Result<(), StoreError>;
    /// Every row of a state table, each value read as its column's kind.
    fn select(&mut self, table: &TableSpec) -> Result<Vec<Vec<Value>>, StoreError>;
    /// Whether the current schema has a table of this name.
    fn has_table(&mut self, name: &str) -> Result<bool, StoreError>;
    /// A value of the meta table.
    fn meta(&mut self, key: &str) -> Result<Option<String>, StoreError>;
    /// Sets a value of the meta table.
    fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    /// The changelog's revisions after `after`, in order, at most `limit`.
    fn revisions_after(
        &mut self,
        after: Revision,
        limit: usize,
    ) -> Result<Vec<Revision>, StoreError>;

    /// The newest revision of the changelog (0 when it is empty).
    fn newest(&mut self) -> Result<Revision, StoreError>;
    /// The newest revision and a value of the meta table, read together (one round trip).
    fn newest_and_meta(&mut self, key: &str) -> Result<(Revision, Option<String>), StoreError>;

    /// Runs statements in order.
    fn run(&mut self, statements: &[Stmt]) -> Result<(), StoreError> {
        for stmt in statements {
            self.execute(stmt.sql, &stmt.args)?;
        }
        Ok(())
    }
}
