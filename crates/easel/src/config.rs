//! Configuration: flags over environment variables over an optional TOML file over the
//! defaults, which need nothing at all (the embedded database in `./data`, listening on
//! 127.0.0.1:8080). Every key is in `docs/configuration.md`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use easel_server::Limits;
use easel_server::console::ConsoleConfig;
use serde::Deserialize;

/// Where the data lives (every command that opens the database takes these).
#[derive(Args, Clone, Debug, Default)]
pub struct StoreArgs {
    /// A TOML configuration file.
    #[arg(long, env = "EASEL_CONFIG")]
    pub config: Option<PathBuf>,
    /// The folder of the embedded database (`easel.db` in it) [default: data].
    #[arg(long, env = "EASEL_DATA")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL URL; when given, it is used instead of the embedded database.
    #[arg(long, env = "EASEL_POSTGRES_URL")]
    pub postgres: Option<String>,
    /// The PostgreSQL schema [default: easel].
    #[arg(long, env = "EASEL_POSTGRES_SCHEMA")]
    pub schema: Option<String>,
}

/// What `easel serve` takes besides the store.
#[derive(Args, Clone, Debug, Default)]
pub struct ServeArgs {
    /// The address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "EASEL_LISTEN")]
    pub listen: Option<String>,
    /// Do not create the demo organization in an empty database.
    #[arg(long, env = "EASEL_NO_DEMO")]
    pub no_demo: bool,
    /// Log lines as JSON instead of text.
    #[arg(long, env = "EASEL_LOG_JSON")]
    pub log_json: bool,
    /// The address people reach the console at, such as `https://easel.example.com` (an
    /// https address makes its cookie `Secure`; sign-in links are made with it).
    #[arg(long, env = "EASEL_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// An origin allowed to show the console (the share dialog) in a frame; repeat it, or
    /// give several separated by commas.
    #[arg(
        long = "frame-ancestor",
        env = "EASEL_FRAME_ANCESTORS",
        value_delimiter = ','
    )]
    pub frame_ancestors: Vec<String>,
}

/// The file's shape.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// See `--listen`.
    pub listen: Option<String>,
    /// See `--data`.
    pub data: Option<PathBuf>,
    /// See `--no-demo` (`demo = false`).
    pub demo: Option<bool>,
    /// PostgreSQL.
    #[serde(default)]
    pub postgres: PostgresFile,
    /// Limits.
    #[serde(default)]
    pub limits: LimitsFile,
    /// Logging.
    #[serde(default)]
    pub log: LogFile,
    /// The console.
    #[serde(default)]
    pub console: ConsoleFile,
}

/// `[console]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleFile {
    /// See `--public-url`.
    pub public_url: Option<String>,
    /// See `--frame-ancestor`.
    pub frame_ancestors: Option<Vec<String>>,
}

/// `[postgres]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresFile {
    /// See `--postgres`.
    pub url: Option<String>,
    /// See `--schema`.
    pub schema: Option<String>,
    /// How often a node applies what other nodes committed, in milliseconds.
    pub catch_up_ms: Option<u64>,
}

/// `[limits]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    /// The largest request body, in bytes.
    pub body_bytes: Option<usize>,
    /// The most checks in one batch.
    pub batch_checks: Option<usize>,
    /// The largest page of any list.
    pub page_size: Option<usize>,
    /// The most requests in flight; more are answered 429.
    pub concurrent_requests: Option<usize>,
    /// How long a request may take, in milliseconds.
    pub request_timeout_ms: Option<u64>,
    /// How long a check waits for `consistency.atLeast`, in milliseconds.
    pub consistency_wait_ms: Option<u64>,
    /// The longest request target (path and query), in bytes; longer is answered 414.
    pub uri_bytes: Option<usize>,
    /// The most bytes of header fields in one request; more is answered 431.
    pub header_bytes: Option<usize>,
    /// How long a client has to send a request head, in milliseconds.
    pub header_read_timeout_ms: Option<u64>,
    /// How long a kept-alive connection may wait for its next request, in milliseconds.
    pub idle_timeout_ms: Option<u64>,
    /// The most connections open at once.
    pub max_connections: Option<usize>,
}

/// `[log]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogFile {
    /// A filter such as `info` or `easel_server=debug` (`RUST_LOG` wins).
    pub level: Option<String>,
    /// `text` or `json`.
    pub format: Option<String>,
}

/// Everything, resolved.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen.
    pub listen: String,
    /// The embedded database's folder.
    pub data: PathBuf,
    /// PostgreSQL, when used.
    pub postgres: Option<String>,
    /// Its schema.
    pub schema: String,
    /// How often to catch up with other nodes.
    pub catch_up: Duration,
    /// Whether to create the demo in an empty database.
    pub demo: bool,
    /// Request limits.
    pub limits: Limits,
    /// The log filter.
    pub log_level: String,
    /// Whether logs are JSON.
    pub log_json: bool,
    /// The console.
    pub console: ConsoleConfig,
}

fn read_file(path: Option<&Path>) -> Result<FileConfig> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("in {}", path.display()))
}

impl Config {
    /// Resolves the configuration of a command.
    pub fn resolve(store: &StoreArgs, serve: &ServeArgs) -> Result<Config> {
        let file = read_file(store.config.as_deref())?;
        let defaults = Limits::default();
        let l = &file.limits;
        let limits = Limits {
            body_bytes: l.body_bytes.unwrap_or(defaults.body_bytes),
            batch_checks: l.batch_checks.unwrap_or(defaults.batch_checks),
            page_size: l.page_size.unwrap_or(defaults.page_size),
            concurrent_requests: l
                .concurrent_requests
                .unwrap_or(defaults.concurrent_requests),
            request_timeout: l
                .request_timeout_ms
                .map_or(defaults.request_timeout, Duration::from_millis),
            consistency_wait: l
                .consistency_wait_ms
                .map_or(defaults.consistency_wait, Duration::from_millis),
            uri_bytes: l.uri_bytes.unwrap_or(defaults.uri_bytes),
            header_bytes: l.header_bytes.unwrap_or(defaults.header_bytes),
            header_read_timeout: l
                .header_read_timeout_ms
                .map_or(defaults.header_read_timeout, Duration::from_millis),
            idle_timeout: l
                .idle_timeout_ms
                .map_or(defaults.idle_timeout, Duration::from_millis),
            max_connections: l.max_connections.unwrap_or(defaults.max_connections),
        };
        anyhow::ensure!(
            limits.page_size >= 1
                && limits.batch_checks >= 1
                && limits.concurrent_requests >= 1
                && limits.uri_bytes >= 1
                && limits.header_bytes >= 1
                && limits.max_connections >= 1
                && !limits.header_read_timeout.is_zero()
                && !limits.idle_timeout.is_zero(),
            "limits must be at least 1"
        );
        let console = ConsoleConfig {
            public_url: serve
                .public_url
                .clone()
                .or(file.console.public_url)
                .map(|u| u.trim_end_matches('/').to_string()),
            frame_ancestors: if serve.frame_ancestors.is_empty() {
                file.console.frame_ancestors.unwrap_or_default()
            } else {
                serve.frame_ancestors.clone()
            },
        };
        console.validate().map_err(anyhow::Error::msg)?;
        Ok(Config {
            listen: serve
                .listen
                .clone()
                .or(file.listen)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            data: store
                .data
                .clone()
                .or(file.data)
                .unwrap_or_else(|| PathBuf::from("data")),
            postgres: store.postgres.clone().or(file.postgres.url),
            schema: store
                .schema
                .clone()
                .or(file.postgres.schema)
                .unwrap_or_else(|| "easel".into()),
            catch_up: Duration::from_millis(file.postgres.catch_up_ms.unwrap_or(1_000)),
            demo: !serve.no_demo && file.demo.unwrap_or(true),
            limits,
            log_level: file.log.level.unwrap_or_else(|| "info".into()),
            log_json: serve.log_json || file.log.format.as_deref() == Some("json"),
            console,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(file: &str) -> Result<Config> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("easel.toml");
        std::fs::write(&path, file)?;
        let store = StoreArgs {
            config: Some(path),
            ..StoreArgs::default()
        };
        Config::resolve(&store, &ServeArgs::default())
    }

    #[test]
    fn connection_limits_come_from_the_file_or_the_defaults() {
        let config = resolve(
            "[limits]\nheader_read_timeout_ms = 250\nidle_timeout_ms = 1500\n\
             max_connections = 7\nuri_bytes = 100\nheader_bytes = 200\n",
        )
        .unwrap();
        let l = &config.limits;
        assert_eq!(l.header_read_timeout, Duration::from_millis(250));
        assert_eq!(l.idle_timeout, Duration::from_millis(1500));
        assert_eq!(
            (l.max_connections, l.uri_bytes, l.header_bytes),
            (7, 100, 200)
        );

        let defaults = Limits::default();
        let l = resolve("").unwrap().limits;
        assert_eq!(l.header_read_timeout, defaults.header_read_timeout);
        assert_eq!(l.idle_timeout, defaults.idle_timeout);
        assert_eq!(l.max_connections, defaults.max_connections);

        assert!(resolve("[limits]\nmax_connections = 0\n").is_err());
        assert!(resolve("[limits]\nidle_timeout_ms = 0\n").is_err());
    }

    #[test]
    fn console_origins_are_origins() {
        let config = resolve(
            "[console]\npublic_url = \"https://easel.example.com/\"\n\
             frame_ancestors = [\"https://app.example.com\"]\n",
        )
        .unwrap();
        assert_eq!(
            config.console.public_url.as_deref(),
            Some("https://easel.example.com")
        );
        assert!(config.console.secure());
        assert!(resolve("[console]\nframe_ancestors = [\"*\"]\n").is_err());
        assert!(resolve("[console]\npublic_url = \"ftp://x\"\n").is_err());
    }
}
