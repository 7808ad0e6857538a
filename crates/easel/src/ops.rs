//! The operator's tasks: bulk import and export, a check or explanation from the command
//! line, tokens, sign-in links, and migrations. Each opens the store itself (stop a server
//! on the same SQLite file first: the file is locked while it runs; on PostgreSQL they run
//! alongside).

use std::io::{BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use easel_core::command::{Actor, Command, Outcome};
use easel_core::event::TokenHolder;
use easel_core::request::Question;
use easel_core::time::{DAY_MS, Time};
use easel_server::decision::{answer, explain_out};
use easel_store::jsonl::{export as export_records, import as import_records, write};

use crate::QuestionArgs;
use crate::config::Config;
use crate::store;

fn now() -> Time {
    easel_server::Clock::System.now()
}

/// `easel import FILE`.
pub fn import(config: &Config, file: &Path) -> Result<()> {
    let (mut durable, report) = store::open(config)?;
    eprintln!(
        "loaded {} entries ({} events) in {} ms",
        report.entries, report.events, report.elapsed_ms
    );
    let events = if file.as_os_str() == "-" {
        import_records(&durable.state(), std::io::stdin().lock())?
    } else {
        let f = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
        import_records(&durable.state(), BufReader::new(f))?
    };
    if events.is_empty() {
        eprintln!("nothing to import: every record is already there");
        return Ok(());
    }
    let revision = durable.import(&events, now())?;
    eprintln!("imported {} events at revision {revision}", events.len());
    Ok(())
}

/// `easel export`.
pub fn export(config: &Config) -> Result<()> {
    let (durable, _) = store::open(config)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    write(&export_records(&durable.state()), &mut out)?;
    out.flush()?;
    Ok(())
}

/// `easel check` and `easel explain`: the answer the decision API would give, as JSON.
pub fn check(config: &Config, q: &QuestionArgs, explain: bool) -> Result<()> {
    let (durable, _) = store::open(config)?;
    let target = [
        ("board", &q.board),
        ("team", &q.team),
        ("project", &q.project),
        ("org", &q.org),
    ]
    .into_iter()
    .find_map(|(kind, id)| id.as_ref().map(|id| (kind.to_string(), id.clone())))
    .context("name the target: --board, --team, --project or --org")?;
    let question = Question {
        user: q.user.clone(),
        action: q.action.clone(),
        target,
        link: q.link_token.clone(),
        role: q.role.clone(),
        ..Question::default()
    };
    let revision = durable.revision();
    let view = durable.state();
    let state: &easel_core::State = &view;
    let request = question
        .resolve(state)
        .map_err(|e| anyhow::anyhow!("{}: {}", e.code.as_str(), e.message))?;
    let explanation = easel_core::explain(state, &request, now());
    let json = if explain {
        serde_json::to_value(explain_out(state, &explanation, revision))?
    } else {
        serde_json::to_value(answer(state, &explanation.decision, revision))?
    };
    println!("{}", serde_json::to_string_pretty(&json)?);
    Ok(())
}

fn accepted(outcome: Outcome) -> Result<()> {
    match outcome {
        Outcome::Accepted { .. } => Ok(()),
        Outcome::Refused { refusal, .. } => {
            bail!("{}: {}", refusal.code.as_str(), refusal.message)
        }
    }
}

/// Whom `easel token create` issues a token for.
pub enum Holder {
    /// A user's personal access token.
    User(String),
    /// A service of the platform (the decision API), by name.
    Service(String),
    /// The operator API, by name.
    Operator(String),
    /// An organization's identity provider (SCIM), by name.
    Scim(String),
}

/// `easel token create`.
pub fn create_token(
    config: &Config,
    holder: Holder,
    org: Option<String>,
    expires_in_days: Option<u32>,
) -> Result<()> {
    let (mut durable, _) = store::open(config)?;
    let (holder, prefix) = match holder {
        Holder::User(user) => (TokenHolder::User { user, org }, "pat"),
        Holder::Service(name) => (TokenHolder::Service { name, org }, "svc"),
        Holder::Operator(name) => (TokenHolder::Operator { name }, "op"),
        Holder::Scim(name) => {
            let Some(org) = org else {
                bail!("a SCIM token belongs to one organization: give --org")
            };
            (TokenHolder::Scim { name, org }, "scim")
        }
    };
    let id = easel_server::ids::new_id(prefix).map_err(|e| anyhow::anyhow!(e.message))?;
    let (secret, digest) =
        easel_server::ids::new_secret().map_err(|e| anyhow::anyhow!(e.message))?;
    let at = now();
    let expires_at =
        expires_in_days.map(|d| Time::from_millis(at.millis() + i64::from(d) * DAY_MS));
    let command = Command::IssueToken {
        token: id.clone(),
        holder,
        digest,
        expires_at,
    };
    accepted(durable.run(Actor::System, &command, at)?.0)?;
    eprintln!("token `{id}` issued; it is shown this once (Easel keeps only its digest):");
    println!("{id}.{secret}");
    Ok(())
}

/// `easel token revoke ID`.
pub fn revoke_token(config: &Config, id: String) -> Result<()> {
    let (mut durable, _) = store::open(config)?;
    let command = Command::RevokeToken { token: id.clone() };
    accepted(durable.run(Actor::System, &command, now())?.0)?;
    eprintln!("token `{id}` revoked");
    Ok(())
}

/// What `easel login-link` makes a link for.
pub struct LoginLink {
    /// The user it signs in.
    pub user: String,
    /// The organization the session acts in, if one.
    pub org: Option<String>,
    /// The server's address as a browser reaches it.
    pub base: Option<String>,
    /// The console page to open once signed in.
    pub next: Option<String>,
}

/// The server's address from its listen address: a server listening on every interface
/// is reached on the loopback one from here.
fn listen_base(listen: &str) -> String {
    let local = ["0.0.0.0:", "[::]:"]
        .iter()
        .find_map(|any| listen.strip_prefix(any))
        .map(|port| format!("127.0.0.1:{port}"));
    format!("http://{}", local.as_deref().unwrap_or(listen))
}

/// `easel login-link`: a one-time sign-in link, issued as a service's request would be.
pub fn login_link(config: &Config, link: &LoginLink) -> Result<()> {
    if let Some(next) = link.next.as_deref()
        && !easel_server::signin::console_path(next)
    {
        bail!("--next must be a path of the console, under /ui/");
    }
    let base = link
        .base
        .clone()
        .or_else(|| config.console.public_url.clone())
        .unwrap_or_else(|| listen_base(&config.listen));
    let base = base.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        bail!("--base must be an http:// or https:// address");
    }
    let (mut durable, _) = store::open(config)?;
    let id = easel_server::ids::new_id("lnk").map_err(|e| anyhow::anyhow!(e.message))?;
    let (secret, digest) =
        easel_server::ids::new_secret().map_err(|e| anyhow::anyhow!(e.message))?;
    let command = Command::IssueSignInLink {
        link: id.clone(),
        user: link.user.clone(),
        org: link.org.clone(),
        digest,
    };
    accepted(durable.run(Actor::System, &command, now())?.0)?;
    eprintln!(
        "sign-in link `{id}` issued for `{}`; it works once, within {} minutes:",
        link.user,
        easel_core::command::SIGN_IN_LINK_TTL_SECS / 60
    );
    let text = format!("{id}.{secret}");
    println!(
        "{}",
        easel_server::signin::url(base, &text, link.next.as_deref())
    );
    Ok(())
}

/// `easel migrate`.
pub fn migrate(config: &Config) -> Result<()> {
    let (durable, report) = store::open(config)?;
    eprintln!(
        "{}: schema up to date; {} changelog entries, revision {}",
        store::describe(config),
        report.entries,
        durable.revision()
    );
    Ok(())
}
