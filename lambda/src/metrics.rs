//! CloudWatch metrics through the embedded metric format (EMF): one JSON line per data point
//! on stdout, which the Lambda log agent turns into metrics without any API call.
//!
//! Dimensions are `Environment` and `Operation`; no id, amount or token is ever a dimension or
//! a property.

use serde_json::{Value, json};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// A metric name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// A payment was stored (`201`, first time).
    PaymentCreated,
    /// An identical retry returned the stored payment.
    PaymentReplayed,
    /// A retry with a different body (`409`).
    PaymentConflict,
    /// A request failed validation (`4xx`).
    PaymentRejected,
    /// A request failed on our side (`5xx`).
    PaymentFailed,
    /// Throttled or transient AWS failure answered with `503`.
    DependencyUnavailable,
    /// The audit write failed; the payment is stored as `PENDING_AUDIT`.
    AuditWriteFailed,
    /// A missing audit object was written later (replay or reconciliation).
    AuditRepaired,
    /// Reconciliation: payments still pending their audit object past the overdue bound
    /// (one value per pass; the stack alarms on it).
    AuditPendingOverdue,
    /// The health probe failed.
    HealthCheckFailed,
    /// Handler latency in milliseconds.
    Latency,
}

impl Metric {
    /// The CloudWatch metric name.
    pub fn name(self) -> &'static str {
        match self {
            Self::PaymentCreated => "PaymentCreated",
            Self::PaymentReplayed => "PaymentReplayed",
            Self::PaymentConflict => "PaymentConflict",
            Self::PaymentRejected => "PaymentRejected",
            Self::PaymentFailed => "PaymentFailed",
            Self::DependencyUnavailable => "DependencyUnavailable",
            Self::AuditWriteFailed => "AuditWriteFailed",
            Self::AuditRepaired => "AuditRepaired",
            Self::AuditPendingOverdue => "AuditPendingOverdue",
            Self::HealthCheckFailed => "HealthCheckFailed",
            Self::Latency => "Latency",
        }
    }

    fn unit(self) -> &'static str {
        if self == Self::Latency {
            "Milliseconds"
        } else {
            "Count"
        }
    }
}

/// Where EMF lines go: stdout in Lambda, memory in tests.
#[derive(Debug, Clone, Default)]
pub enum MetricsSink {
    /// Standard output (the Lambda log stream).
    #[default]
    Stdout,
    /// Collected lines, for tests.
    Memory(Arc<Mutex<Vec<String>>>),
}

/// Emits EMF lines.
#[derive(Debug, Clone)]
pub struct Metrics {
    namespace: String,
    environment: String,
    sink: MetricsSink,
}

impl Metrics {
    /// Metrics in `namespace`, dimension `Environment = environment`.
    pub fn new(
        namespace: impl Into<String>,
        environment: impl Into<String>,
        sink: MetricsSink,
    ) -> Self {
        Self {
            namespace: namespace.into(),
            environment: environment.into(),
            sink,
        }
    }

    /// Emits one line holding `values` for `operation`.
    pub fn emit(&self, operation: &str, values: &[(Metric, f64)]) {
        let line = self
            .line(operation, values, crate::time::now_millis())
            .to_string();
        match &self.sink {
            MetricsSink::Stdout => {
                let mut out = std::io::stdout().lock();
                // Losing a metric line must never fail a payment.
                let _ = writeln!(out, "{line}");
            }
            MetricsSink::Memory(lines) => {
                if let Ok(mut l) = lines.lock() {
                    l.push(line);
                }
            }
        }
    }

    /// The EMF document for `values` at `timestamp_ms`.
    pub fn line(&self, operation: &str, values: &[(Metric, f64)], timestamp_ms: i64) -> Value {
        let definitions: Vec<Value> = values
            .iter()
            .map(|(m, _)| json!({"Name": m.name(), "Unit": m.unit()}))
            .collect();
        let mut doc = json!({
            "_aws": {
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": self.namespace,
                    "Dimensions": [["Environment", "Operation"]],
                    "Metrics": definitions,
                }],
            },
            "Environment": self.environment,
            "Operation": operation,
        });
        for (m, v) in values {
            doc[m.name()] = json!(v);
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emf_shape() {
        let m = Metrics::new("Payments", "dev", MetricsSink::default());
        let doc = m.line(
            "CreatePayment",
            &[(Metric::PaymentCreated, 1.0), (Metric::Latency, 12.5)],
            42,
        );
        assert_eq!(doc["_aws"]["Timestamp"], 42);
        let cw = &doc["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(cw["Namespace"], "Payments");
        assert_eq!(cw["Dimensions"], json!([["Environment", "Operation"]]));
        assert_eq!(
            cw["Metrics"][1],
            json!({"Name": "Latency", "Unit": "Milliseconds"})
        );
        assert_eq!(doc["PaymentCreated"], 1.0);
        assert_eq!(doc["Latency"], 12.5);
        assert_eq!(doc["Environment"], "dev");
        assert_eq!(doc["Operation"], "CreatePayment");
    }

    #[test]
    fn memory_sink_collects() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let m = Metrics::new("P", "e", MetricsSink::Memory(lines.clone()));
        m.emit("Op", &[(Metric::AuditWriteFailed, 1.0)]);
        let got = lines.lock().unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("\"AuditWriteFailed\":1.0"), "{}", got[0]);
    }
}
