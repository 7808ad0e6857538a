//! The `easel` command. For now: `import` and `export` of bulk data in JSON lines
//! (`docs/import-format.md`), on the embedded database or on PostgreSQL.

use std::io::{BufReader, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use easel_core::time::Time;
use easel_store::jsonl::{export, import, write};
use easel_store::{Backend, Durable, PostgresBackend, SqliteBackend};

/// Easel: the access-control server for collaborative whiteboard products.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Import JSON-lines records (all or nothing; the first bad line is named).
    Import {
        /// The file to read (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write every record as JSON lines to standard output.
    Export {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Where the data lives.
#[derive(Args)]
struct StoreArgs {
    /// The folder of the embedded database (`easel.db` in it).
    #[arg(long, env = "EASEL_DATA", default_value = "data")]
    data: PathBuf,
    /// A PostgreSQL URL; when given, it is used instead of the embedded database.
    #[arg(long, env = "EASEL_POSTGRES_URL")]
    postgres: Option<String>,
    /// The PostgreSQL schema.
    #[arg(long, env = "EASEL_POSTGRES_SCHEMA", default_value = "easel")]
    schema: String,
}

fn now() -> Time {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    Time::from_millis(i64::try_from(ms).unwrap_or(i64::MAX))
}

fn with_store(args: &StoreArgs, job: &mut dyn FnMut(&mut dyn Store) -> Result<()>) -> Result<()> {
    match &args.postgres {
        Some(url) => {
            let backend = PostgresBackend::connect(url, &args.schema, |n, e| {
                eprintln!("PostgreSQL not reachable yet (attempt {n}): {e}; retrying")
            })?;
            let (mut durable, report) = Durable::open(backend)?;
            eprintln!(
                "loaded {} entries ({} events) in {} ms",
                report.entries, report.events, report.elapsed_ms
            );
            job(&mut durable)
        }
        None => {
            std::fs::create_dir_all(&args.data)
                .with_context(|| format!("creating {}", args.data.display()))?;
            let path = args.data.join("easel.db");
            let backend = SqliteBackend::open(&path)
                .with_context(|| format!("opening {}", path.display()))?;
            let (mut durable, report) = Durable::open(backend)?;
            eprintln!(
                "loaded {} entries ({} events) in {} ms",
                report.entries, report.events, report.elapsed_ms
            );
            job(&mut durable)
        }
    }
}

/// What the commands need of a durable store, whatever its backend.
trait Store {
    fn state(&self) -> &easel_core::State;
    fn import(&mut self, events: &[easel_core::event::Event], now: Time) -> Result<i64>;
}

impl<B: Backend> Store for Durable<B> {
    fn state(&self) -> &easel_core::State {
        Durable::state(self)
    }

    fn import(&mut self, events: &[easel_core::event::Event], now: Time) -> Result<i64> {
        Ok(Durable::import(self, events, now)?)
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Cmd::Import { file, store } => with_store(&store, &mut |s| {
            let events = if file.as_os_str() == "-" {
                import(s.state(), std::io::stdin().lock())?
            } else {
                let f = std::fs::File::open(&file)
                    .with_context(|| format!("reading {}", file.display()))?;
                import(s.state(), BufReader::new(f))?
            };
            if events.is_empty() {
                eprintln!("nothing to import: every record is already there");
                return Ok(());
            }
            let revision = s.import(&events, now())?;
            eprintln!("imported {} events at revision {revision}", events.len());
            Ok(())
        }),
        Cmd::Export { store } => with_store(&store, &mut |s| {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            write(&export(s.state()), &mut out)?;
            out.flush()?;
            Ok(())
        }),
    }
}
