//! `easel serve`: load the state, create the demo organization in an empty database, listen,
//! and stop gracefully on SIGINT or SIGTERM (requests in flight finish; every write is one
//! store transaction, so nothing is half-written).

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use easel_server::demo::{self, Demo};
use easel_server::{App, Clock, Engine};

use crate::config::Config;
use crate::store;

/// Runs the server until a shutdown signal.
pub fn run(config: Config) -> Result<()> {
    let (mut durable, report) = store::open(&config)?;
    tracing::info!(
        store = %store::describe(&config),
        entries = report.entries,
        events = report.events,
        elapsed_ms = report.elapsed_ms as u64,
        "state loaded"
    );
    let demo = if durable.revision() == 0 && config.demo {
        let made = demo::seed(&mut durable, Clock::System.now()).context("creating the demo")?;
        tracing::info!(org = demo::ORG, "demo organization created");
        Some(made)
    } else {
        None
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async move {
        let engine = Engine::new(durable, Clock::System);
        let app = Arc::new(App {
            engine: Arc::clone(&engine),
            limits: config.limits.clone(),
            metrics: easel_server::metrics::Metrics::new(),
            console: config.console.clone(),
        });
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .with_context(|| format!("listening on {}", config.listen))?;
        let addr = listener.local_addr().context("reading the bound address")?;
        tracing::info!(%addr, "listening");
        let base = format!("http://{addr}");
        // People reach the console at its public address when one is configured.
        let console = config
            .console
            .public_url
            .clone()
            .unwrap_or_else(|| base.clone());
        banner(&base, &console, demo.as_ref())?;
        if config.postgres.is_some() {
            // Other nodes commit to the same database: apply their changes regularly, so
            // checks that do not ask for a revision are fresh too.
            let every = config.catch_up;
            let engine = Arc::clone(&engine);
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(every).await;
                    if let Err(error) = engine.catch_up().await {
                        tracing::warn!(%error, "catching up with the store failed");
                    }
                }
            });
        }
        easel_server::serve(listener, easel_server::app(app), &config.limits, shutdown())
            .await
            .context("serving")?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(error) => {
                    tracing::warn!(%error, "SIGTERM cannot be caught; stop with SIGINT");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// What a newcomer reads first: where the server is, and with a fresh demo, its tokens
/// (shown this once), a link that signs Ana in to the web console, and three requests to
/// try.
fn banner(base: &str, console: &str, demo: Option<&Demo>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "Easel is listening on {base}")?;
    if let Some(d) = demo {
        let admin = &d.admin_token;
        let service = &d.service_token;
        writeln!(
            out,
            "\nA demo organization, Acme (`3141592653`), was created. These tokens are shown once; Easel keeps only their digests.\n"
        )?;
        writeln!(out, "  admin token (Ana, company admin): {admin}")?;
        writeln!(out, "  service token (decision API):     {service}")?;
        writeln!(out, "  operator token: {}", d.operator_token)?;
        writeln!(out, "  scim token ({}): {}\n", demo::ORG, d.scim_token)?;
        let link = easel_server::signin::url(console, &d.sign_in_link, None);
        writeln!(out, "  sign in to the console as Ana: {link}")?;
        writeln!(
            out,
            "  (it works once, within {} minutes; `easel login-link --user {} --org {}` prints a new one, with the server stopped)\n",
            easel_core::command::SIGN_IN_LINK_TTL_SECS / 60,
            demo::ADMIN,
            demo::ORG
        )?;
        writeln!(out, "Try:\n")?;
        writeln!(
            out,
            "  curl -s {base}/v2/boards -H 'Authorization: Bearer {admin}'"
        )?;
        writeln!(
            out,
            "  curl -s {base}/v1/check -H 'Authorization: Bearer {service}' -H 'Content-Type: application/json' -d '{{\"subject\": {{\"user\": \"usr_gil\"}}, \"action\": \"board.edit_content\", \"resource\": {{\"board\": \"brd_wireframes\"}}}}'"
        )?;
        writeln!(
            out,
            "  curl -s {base}/v2/boards/brd_roadmap/access -H 'Authorization: Bearer {admin}'"
        )?;
    }
    out.flush()?;
    Ok(())
}
