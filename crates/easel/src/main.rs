//! The `easel` command: the server (`serve`) and the operator's tasks on the same store:
//! bulk `import` and `export` in JSON lines, `check` and `explain` a question, issue and
//! revoke tokens, print a `login-link` to the web console, `migrate` the schema; and `bench-data`, the benchmarks' datasets (written
//! by the test-support crate, `easel-testkit`, the one thing the binary uses it for).

mod config;
mod ops;
mod serve;
mod store;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::config::{Config, ServeArgs, StoreArgs};

/// jemalloc, with the options of `.cargo/config.toml` compiled in. The state is millions of
/// small records read at random: jemalloc packs them in size classes without a
/// per-allocation header (a board's id costs 8 bytes, not glibc's 32), which halves the
/// resident size of a large state and keeps the records a check reads closer together.
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Easel: the access-control server for collaborative whiteboard products.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the server (the platform API and the decision API).
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
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
    /// Ask whether a subject may do an action, and print the answer as JSON.
    Check {
        #[command(flatten)]
        question: QuestionArgs,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Explain a decision: every layer and channel considered, as JSON.
    Explain {
        #[command(flatten)]
        question: QuestionArgs,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Issue or revoke tokens.
    Token {
        #[command(subcommand)]
        command: TokenCmd,
    },
    /// Print a one-time link that signs a user in to the web console (it works once,
    /// within 15 minutes; Easel keeps only its digest).
    LoginLink {
        /// The user the link signs in.
        #[arg(long)]
        user: String,
        /// The one organization the session acts in (the user must be an active member or
        /// guest of it); otherwise every organization of the user.
        #[arg(long)]
        org: Option<String>,
        /// The server's address as a browser reaches it [default: the console's
        /// `public_url`, else `http://` and the listen address].
        #[arg(long, env = "EASEL_PUBLIC_URL")]
        base: Option<String>,
        /// The console page to open once signed in, a path under `/ui/`.
        #[arg(long)]
        next: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Create or update the database schema, and report its version.
    Migrate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a benchmark dataset in the import format to standard output: the same for a
    /// seed on every machine.
    BenchData {
        /// `tiny`, `small` (20k boards), `medium` (200k) or `large` (1M boards, 100k users).
        #[arg(long, default_value = "small")]
        size: String,
        /// The seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// A question, as flags.
#[derive(Args, Clone, Debug)]
pub struct QuestionArgs {
    /// The user asked about (omit for an anonymous visitor).
    #[arg(long)]
    pub user: Option<String>,
    /// The action: a capability (`board.edit_content`), privilege or engine action.
    #[arg(long)]
    pub action: String,
    /// A board.
    #[arg(long, group = "target")]
    pub board: Option<String>,
    /// A team.
    #[arg(long, group = "target")]
    pub team: Option<String>,
    /// A project.
    #[arg(long, group = "target")]
    pub project: Option<String>,
    /// An organization.
    #[arg(long, group = "target")]
    pub org: Option<String>,
    /// A public-link token presented.
    #[arg(long)]
    pub link_token: Option<String>,
    /// A role the action gives or asks for.
    #[arg(long)]
    pub role: Option<String>,
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Issue a user's personal access token; with `--service` a service token for the
    /// decision API; with `--operator` the operator API's token (organizations, users,
    /// owners); with `--scim` an organization's SCIM token for its identity provider. The
    /// token is printed once; Easel keeps only its digest.
    #[command(group(clap::ArgGroup::new("holder").required(true).args(["user", "service", "operator", "scim"])))]
    Create {
        /// The user the token acts as.
        #[arg(long)]
        user: Option<String>,
        /// The name of the service the token is for.
        #[arg(long)]
        service: Option<String>,
        /// The operator API's token, named for the audit log (`--operator`, or
        /// `--operator NAME`).
        #[arg(long, num_args = 0..=1, default_missing_value = "operator")]
        operator: Option<String>,
        /// An organization's SCIM token, named for the audit log; needs `--org`.
        #[arg(long, requires = "org")]
        scim: Option<String>,
        /// The one organization the token acts in (otherwise: every one of the user, or for
        /// a service every organization). A SCIM token's organization.
        #[arg(long, conflicts_with = "operator")]
        org: Option<String>,
        /// Days until the token expires (personal tokens; none by default).
        #[arg(long, conflicts_with_all = ["service", "operator", "scim"])]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by its id (the part before the dot).
    Revoke {
        /// The token's id.
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn logging(json: bool, level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let none = ServeArgs::default();
    match cli.command {
        Cmd::Serve { store, serve } => {
            let config = Config::resolve(&store, &serve)?;
            logging(config.log_json, &config.log_level);
            serve::run(config)
        }
        Cmd::Import { file, store } => ops::import(&Config::resolve(&store, &none)?, &file),
        Cmd::Export { store } => ops::export(&Config::resolve(&store, &none)?),
        Cmd::Check { question, store } => {
            ops::check(&Config::resolve(&store, &none)?, &question, false)
        }
        Cmd::Explain { question, store } => {
            ops::check(&Config::resolve(&store, &none)?, &question, true)
        }
        Cmd::Token {
            command:
                TokenCmd::Create {
                    user,
                    service,
                    operator,
                    scim,
                    org,
                    expires_in_days,
                    store,
                },
        } => {
            let holder = match (user, service, operator, scim) {
                (Some(user), None, None, None) => ops::Holder::User(user),
                (None, Some(name), None, None) => ops::Holder::Service(name),
                (None, None, Some(name), None) => ops::Holder::Operator(name),
                (None, None, None, Some(name)) => ops::Holder::Scim(name),
                _ => anyhow::bail!("give one of --user, --service, --operator, --scim"),
            };
            ops::create_token(
                &Config::resolve(&store, &none)?,
                holder,
                org,
                expires_in_days,
            )
        }
        Cmd::Token {
            command: TokenCmd::Revoke { id, store },
        } => ops::revoke_token(&Config::resolve(&store, &none)?, id),
        Cmd::LoginLink {
            user,
            org,
            base,
            next,
            store,
        } => ops::login_link(
            &Config::resolve(&store, &none)?,
            &ops::LoginLink {
                user,
                org,
                base,
                next,
            },
        ),
        Cmd::Migrate { store } => ops::migrate(&Config::resolve(&store, &none)?),
        Cmd::BenchData { size, seed } => {
            let size = easel_testkit::bench_data::Size::named(&size).map_err(anyhow::Error::msg)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            Ok(easel_testkit::bench_data::write(size, seed, &mut out)?)
        }
    }
}
