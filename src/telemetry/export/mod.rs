//! Exporters: a [`Snapshot`] rendered for people ([`ConsoleExporter`]) or for other
//! programs ([`JsonExporter`], [`PrometheusExporter`]); with feature `telemetry-http`,
//! served on a loopback `/metrics` endpoint (`MetricsServer`); with feature
//! `telemetry-metrics`, published to the `metrics` facade crate (`MetricsFacadeBridge`).

mod console;
#[cfg(feature = "telemetry-metrics")]
mod facade;
#[cfg(feature = "telemetry-http")]
mod http;
mod json;
mod prometheus;

pub use console::ConsoleExporter;
#[cfg(feature = "telemetry-metrics")]
pub use facade::MetricsFacadeBridge;
#[cfg(feature = "telemetry-http")]
pub use http::{MetricsServer, ServeError};
pub use json::JsonExporter;
pub use prometheus::PrometheusExporter;

use super::metrics::Snapshot;
use std::fmt;

/// Renders snapshots in one format.
pub trait MetricsExporter {
    /// Writes `snapshot` to `out`.
    fn export(&self, snapshot: &Snapshot, out: &mut dyn fmt::Write) -> fmt::Result;

    /// `snapshot` rendered into a string.
    fn render(&self, snapshot: &Snapshot) -> String {
        let mut out = String::new();
        self.export(snapshot, &mut out)
            .expect("writing into a String does not fail");
        out
    }
}
