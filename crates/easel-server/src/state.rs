//! What every route shares: the engine, the limits, the metrics and the console's
//! configuration, behind one `Arc`.

use std::sync::Arc;

use crate::engine::Engine;
use crate::limits::Limits;
use crate::metrics;

/// What every route shares.
pub struct App {
    /// The engine.
    pub engine: Arc<Engine>,
    /// The limits.
    pub limits: Limits,
    /// The metrics.
    pub metrics: metrics::Metrics,
    /// The console's configuration.
    pub console: crate::console::ConsoleConfig,
}

/// The shared application.
pub type AppState = Arc<App>;
