//! The reconciliation path for audit gaps: find `PENDING_AUDIT` payments older than a grace
//! period through `status-index` and write their audit objects (create-only, so running it
//! twice, or alongside a replay, is harmless).
//!
//! Run it with `bootstrap reconcile [GRACE_SECONDS] [LIMIT]` (same environment variables as
//! the function), e.g. from a scheduled job; it prints one JSON summary line.

use crate::handler::App;
use crate::model::PaymentStatus;
use crate::store::StoreError;
use crate::time::now_millis;
use serde::Serialize;
use std::time::Duration;

/// What one reconciliation pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReconcileReport {
    /// `PENDING_AUDIT` records found.
    pub examined: usize,
    /// Records now `ACCEPTED`.
    pub repaired: usize,
    /// Records still `PENDING_AUDIT`.
    pub still_pending: usize,
}

/// One pass over at most `limit` pending records created at least `grace` ago.
pub async fn reconcile(
    app: &App,
    grace: Duration,
    limit: i32,
) -> Result<ReconcileReport, StoreError> {
    let grace_ms = i64::try_from(grace.as_millis()).unwrap_or(i64::MAX);
    let before = now_millis().saturating_sub(grace_ms);
    let pending = app
        .store()
        .query_by_status(PaymentStatus::PendingAudit, before, limit)
        .await?;
    let mut report = ReconcileReport {
        examined: pending.len(),
        ..ReconcileReport::default()
    };
    for record in pending {
        // The GSI is eventually consistent: re-read the record before acting on it.
        let Some(current) = app
            .store()
            .get_at(&record.payment_id, record.timestamp)
            .await?
        else {
            continue;
        };
        if current.status != PaymentStatus::PendingAudit {
            report.repaired += 1;
            continue;
        }
        let after = app.audit_and_mark(current, true).await;
        if after.status == PaymentStatus::Accepted {
            report.repaired += 1;
        } else {
            report.still_pending += 1;
        }
    }
    Ok(report)
}
