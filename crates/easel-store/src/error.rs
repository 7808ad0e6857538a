//! Why storage refused or failed.

use easel_core::Code;

/// A storage error. Nothing was written when one is returned.
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer committed to the organization first; decide again on fresh state.
    #[error("organization `{0}` changed meanwhile")]
    Conflict(String),
    /// The database is held by another Easel process.
    #[error("the database is in use by another Easel process: {0}")]
    Locked(String),
    /// The file is not an Easel database (or not a database at all); it was left untouched.
    #[error("not an Easel database: {0}")]
    Foreign(String),
    /// The database was written by a newer Easel.
    #[error("the database has schema version {found}; this Easel knows up to {known}")]
    TooNew {
        /// The version found.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// The database cannot be reached or failed; retry later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The reason code a client sees (`Unavailable` maps to 503 at the HTTP layer).
    pub const fn code(&self) -> Code {
        match self {
            StoreError::Conflict(_) => Code::RequestConflict,
            _ => Code::RequestUnavailable,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked(e.to_string())
            }
            Some(ErrorCode::NotADatabase) => StoreError::Foreign(e.to_string()),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Unavailable(e.to_string()),
        }
    }
}
