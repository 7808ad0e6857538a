//! Prometheus metrics: requests and their latency per route, decisions per outcome and code.

use std::sync::Mutex;

use easel_core::{Code, Decision};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    outcome: &'static str,
    code: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_buckets() -> Histogram {
    // 50 µs to about 1.6 s.
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

/// The server's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    decisions: Family<DecisionLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("easel");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_buckets);
        let decisions = Family::<DecisionLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route",
            latency.clone(),
        );
        registry.register(
            "decisions",
            "Decisions made, by outcome and refusal code",
            decisions.clone(),
        );
        Metrics {
            registry: Mutex::new(registry),
            requests,
            latency,
            decisions,
        }
    }

    /// Records an answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_string(),
                route: route.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// Records a decision.
    pub fn decision(&self, decision: &Decision) {
        self.count(decision.allowed, decision.code(), 1);
    }

    /// Counts many decisions (a batch's): tallied here first, so the shared counters are
    /// looked up and touched once per outcome and code, not once per decision.
    pub fn decisions(&self, decisions: &[Decision]) {
        let mut tally: Vec<(bool, Option<Code>, u64)> = Vec::new();
        for d in decisions {
            let key = (d.allowed, d.code());
            match tally.iter_mut().find(|(a, c, _)| (*a, *c) == key) {
                Some(entry) => entry.2 += 1,
                None => tally.push((key.0, key.1, 1)),
            }
        }
        for (allowed, code, n) in tally {
            self.count(allowed, code, n);
        }
    }

    fn count(&self, allowed: bool, code: Option<Code>, n: u64) {
        let labels = DecisionLabels {
            outcome: if allowed { "allowed" } else { "refused" },
            code: code.map_or("", |c| c.as_str()),
        };
        self.decisions.get_or_create(&labels).inc_by(n);
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let registry = match self.registry.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        out
    }
}
