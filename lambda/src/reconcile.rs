//! The reconciliation path for audit gaps: find `PENDING_AUDIT` payments older than a grace
//! period through `status-index` and write their audit objects (create-only, so running it
//! twice, or alongside a replay, is harmless).
//!
//! It runs two ways, with the function's environment:
//!
//! - scheduled: the stack's EventBridge rule invokes the function with [`Job`]'s event,
//!   `{"mode":"reconcile","grace_seconds":60,"overdue_seconds":900}`, and the pass runs within
//!   the invocation's budget;
//! - by hand: `bootstrap reconcile [GRACE_SECONDS] [PAGE_SIZE]`, printing the report.
//!
//! A pass pages through every pending record (not just the first page), survives a record
//! that does not decode or cannot be repaired (counted in `failed` or `still_pending`, the
//! others go on), stops early and says so (`complete: false`) when its budget runs out, and
//! reports the ids it repaired. It emits `AuditRepaired` per repair and, once per pass,
//! `AuditPendingOverdue`: the records still pending that are older than the overdue bound,
//! the metric the stack alarms on (an incomplete pass counts every record it did not reach as
//! overdue, since it cannot vouch for them).

use crate::deadline::Budget;
use crate::handler::App;
use crate::metrics::Metric;
use crate::model::PaymentStatus;
use crate::store::StoreError;
use crate::time::now_millis;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;

/// The `Operation` dimension of reconciliation metrics.
pub const OPERATION: &str = "Reconcile";
/// Default grace: records younger than this are probably still being audited by their request.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(60);
/// Default overdue bound (the stack's alarm bound).
pub const DEFAULT_OVERDUE: Duration = Duration::from_secs(900);
/// Default page size of the status query.
pub const DEFAULT_PAGE_SIZE: i32 = 100;
/// Most repaired ids listed in a report (the count is always exact).
pub const MAX_LISTED: usize = 100;

/// What one pass looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Records created less than this ago are left alone.
    pub grace: Duration,
    /// Records still pending after the pass and older than this are overdue.
    pub overdue: Duration,
    /// Records per status query page.
    pub page_size: i32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            grace: DEFAULT_GRACE,
            overdue: DEFAULT_OVERDUE,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// What one reconciliation pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReconcileReport {
    /// `PENDING_AUDIT` records found.
    pub examined: usize,
    /// Records now `ACCEPTED` (by this pass or, found on re-reading, by someone else).
    pub repaired: usize,
    /// Records still `PENDING_AUDIT` (their audit write failed again).
    pub still_pending: usize,
    /// Records that could not be read or decoded (logged with their id).
    pub failed: usize,
    /// Records still pending, or not reached, that are older than the overdue bound.
    pub overdue: usize,
    /// Status query pages read.
    pub pages: usize,
    /// False when the budget ran out before the last page.
    pub complete: bool,
    /// The ids of the repaired payments (at most [`MAX_LISTED`]).
    pub repaired_ids: Vec<String>,
}

/// The scheduled event: `{"mode": "reconcile"}` with optional `grace_seconds`,
/// `overdue_seconds` and `page_size`. Nothing else is accepted, so no API Gateway event (whose
/// client input is inside `body`) can be mistaken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    mode: JobMode,
    grace_seconds: Option<u64>,
    overdue_seconds: Option<u64>,
    page_size: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum JobMode {
    Reconcile,
}

impl Job {
    /// The job `event` describes, if it is the reconcile event.
    pub fn from_event(event: &Value) -> Option<Self> {
        Self::deserialize(event).ok()
    }

    /// The pass's options.
    pub fn options(&self) -> Options {
        let d = Options::default();
        Options {
            grace: self.grace_seconds.map_or(d.grace, Duration::from_secs),
            overdue: self.overdue_seconds.map_or(d.overdue, Duration::from_secs),
            page_size: self
                .page_size
                .filter(|n| (1..=1000).contains(n))
                .unwrap_or(d.page_size),
        }
    }
}

/// Runs `job` within `budget` and returns the report (or `{"error": …}`) as the invocation's
/// result.
pub async fn run_job(app: &App, job: &Job, budget: &Budget) -> Value {
    match reconcile(app, &job.options(), budget).await {
        Ok(report) => serde_json::to_value(&report).unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "reconciliation failed");
            json!({"error": "reconciliation failed"})
        }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// One pass over every pending record created at least `options.grace` ago, within `budget`.
/// Fails only when the first page cannot be read; later failures end the pass early
/// (`complete: false`).
pub async fn reconcile(
    app: &App,
    options: &Options,
    budget: &Budget,
) -> Result<ReconcileReport, StoreError> {
    let now = now_millis();
    let before = now.saturating_sub(millis(options.grace));
    let overdue_before = now.saturating_sub(millis(options.overdue));
    let mut report = ReconcileReport::default();
    let mut start = None;
    let mut out_of_time = false;
    while !out_of_time {
        let page = budget
            .run(app.store().status_page(
                PaymentStatus::PendingAudit,
                before,
                options.page_size,
                start.take(),
            ))
            .await;
        let page = match page {
            Ok(Ok(page)) => page,
            Ok(Err(e)) if report.pages == 0 => return Err(e),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "reconciliation stopped: a status page failed");
                break;
            }
            Err(_) => break,
        };
        report.pages += 1;
        let next = page.next;
        for record in page.records {
            report.examined += 1;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    // Nobody can repair it, so it is overdue: someone must look at it.
                    tracing::error!(error = %e, "reconciliation skipped a malformed record");
                    report.failed += 1;
                    report.overdue += 1;
                    continue;
                }
            };
            let Ok(outcome) = budget.run(repair(app, &record)).await else {
                if record.timestamp <= overdue_before {
                    report.overdue += 1;
                }
                report.still_pending += 1;
                out_of_time = true;
                break;
            };
            match outcome {
                Ok(true) => {
                    report.repaired += 1;
                    if report.repaired_ids.len() < MAX_LISTED {
                        report.repaired_ids.push(record.payment_id.clone());
                    }
                }
                Ok(false) => {
                    report.still_pending += 1;
                    if record.timestamp <= overdue_before {
                        report.overdue += 1;
                    }
                }
                Err(e) => {
                    tracing::error!(payment_id = %record.payment_id, error = %e, "reconciliation could not read a record");
                    report.failed += 1;
                    if record.timestamp <= overdue_before {
                        report.overdue += 1;
                    }
                }
            }
        }
        match next {
            _ if out_of_time => {}
            Some(next) if !budget.remaining().is_zero() => start = Some(next),
            Some(_) => out_of_time = true,
            None => {
                report.complete = true;
                break;
            }
        }
    }
    if !report.complete {
        // Unreached records cannot be vouched for: count the pass itself as overdue.
        report.overdue += 1;
        tracing::warn!(
            examined = report.examined,
            "reconciliation ran out of time before the last page"
        );
    }
    app.metrics().emit(
        OPERATION,
        &[(Metric::AuditPendingOverdue, report.overdue as f64)],
    );
    tracing::info!(
        examined = report.examined,
        repaired = report.repaired,
        still_pending = report.still_pending,
        failed = report.failed,
        overdue = report.overdue,
        complete = report.complete,
        "reconciliation finished"
    );
    Ok(report)
}

/// Repairs one record: `Ok(true)` when it is `ACCEPTED` afterwards, `Ok(false)` when it is
/// still pending.
async fn repair(app: &App, record: &crate::model::PaymentRecord) -> Result<bool, StoreError> {
    // The GSI is eventually consistent: re-read the record before acting on it.
    let Some(current) = app
        .store()
        .get_at(&record.payment_id, record.timestamp)
        .await?
    else {
        return Ok(true);
    };
    if current.status != PaymentStatus::PendingAudit {
        return Ok(true);
    }
    let after = app.audit_and_mark(current, OPERATION).await;
    if after.status == PaymentStatus::Accepted {
        tracing::info!(payment_id = %after.payment_id, "audit repaired");
    }
    Ok(after.status == PaymentStatus::Accepted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reconcile_event_selects_the_mode() {
        // What the stack's EventBridge target sends (payment-stack/src/reconcile.rs).
        let scheduled = json!({"mode": "reconcile", "grace_seconds": 60, "overdue_seconds": 900});
        let job = Job::from_event(&scheduled).expect("the scheduled event");
        assert_eq!(
            job.options(),
            Options {
                grace: Duration::from_secs(60),
                overdue: Duration::from_secs(900),
                page_size: DEFAULT_PAGE_SIZE,
            }
        );
        assert_eq!(
            Job::from_event(&json!({"mode": "reconcile", "page_size": 0}))
                .unwrap()
                .options()
                .page_size,
            DEFAULT_PAGE_SIZE
        );
        for not_a_job in [
            json!({"mode": "reconcile", "httpMethod": "POST"}),
            json!({"mode": "other"}),
            json!({"httpMethod": "POST", "path": "/payments", "body": "{\"mode\":\"reconcile\"}"}),
            json!({}),
            json!("reconcile"),
        ] {
            assert_eq!(Job::from_event(&not_a_job), None, "{not_a_job}");
        }
    }
}
