//! Opening the configured store: the embedded SQLite file, or PostgreSQL.

use anyhow::{Context, Result};
use easel_server::AnyBackend;
use easel_store::{Durable, LoadReport, PostgresBackend, SqliteBackend};

use crate::config::Config;

/// Opens (creating and migrating if needed) the store, and loads the state.
pub fn open(config: &Config) -> Result<(Durable<AnyBackend>, LoadReport)> {
    let backend = match &config.postgres {
        Some(url) => {
            let pg = PostgresBackend::connect(url, &config.schema, |attempt, error| {
                tracing::warn!(attempt, %error, "PostgreSQL is not reachable yet; retrying");
            })
            .context("connecting to PostgreSQL")?;
            AnyBackend::new(pg)
        }
        None => {
            std::fs::create_dir_all(&config.data)
                .with_context(|| format!("creating {}", config.data.display()))?;
            let path = config.data.join("easel.db");
            let sqlite = SqliteBackend::open(&path)
                .with_context(|| format!("opening {}", path.display()))?;
            AnyBackend::new(sqlite)
        }
    };
    let (durable, report) = Durable::open(backend).context("loading the state")?;
    Ok((durable, report))
}

/// Where the store is, for messages.
pub fn describe(config: &Config) -> String {
    match &config.postgres {
        Some(_) => format!("PostgreSQL (schema `{}`)", config.schema),
        None => config.data.join("easel.db").display().to_string(),
    }
}
