//! Fault injection against moto: DynamoDB throttling and 5xx (retried by the SDK's standard
//! retry, then success or a clean 503), S3 failing after the DynamoDB write (payment stored,
//! audit gap recorded, then repaired), the emulator going away (503, no panic), and a panic
//! inside an SDK call (500 with a JSON body).
//!
//! Faults are injected by an HTTP client wrapper (`support::FaultyHttp`) below the SDK, so the
//! SDK's retry classifier, backoff and retry quota handle them exactly as real AWS errors.

mod support;

use aws_sdk_dynamodb::types::AttributeValue;
use lambda::model::PaymentStatus;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use support::*;

const DDB_THROTTLE: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}"#;
const DDB_500: &str = r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}"#;
const S3_503: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>fault</RequestId></Error>"#;
const S3_403: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>fault</RequestId></Error>"#;

fn plan(matches: &'static str, failures: usize, status: u16, body: &'static str) -> FaultPlan {
    FaultPlan {
        matches,
        skip: 0,
        failures,
        status,
        body,
        action: FaultAction::Respond,
    }
}

/// Options of a reconciliation pass over everything pending, in pages of `page_size`.
fn everything(page_size: i32) -> lambda::reconcile::Options {
    lambda::reconcile::Options {
        grace: Duration::ZERO,
        overdue: Duration::from_secs(3600),
        page_size,
    }
}

fn budget() -> lambda::deadline::Budget {
    lambda::deadline::Budget::after(Duration::from_secs(60))
}

#[tokio::test]
async fn throttled_put_is_retried_then_succeeds() {
    let faults = FaultyHttp::new(plan("PutItem", 2, 400, DDB_THROTTLE));
    let env = Env::new(Moto::shared(), "throttle-ok", Some(faults.shared())).await;
    let (status, _, body) = parts(env.app.handle(post(&payment("pay_throttle_ok", 10))).await);
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        faults.injected.load(Ordering::SeqCst),
        2,
        "two throttled attempts, then through"
    );
    assert_eq!(env.items("pay_throttle_ok").await.len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let faults = FaultyHttp::new(plan("PutItem", 1, 500, DDB_500));
    let env = Env::new(Moto::shared(), "ddb-500", Some(faults.shared())).await;
    let (status, _, body) = parts(env.app.handle(post(&payment("pay_500", 10))).await);
    assert_eq!(status, 201, "{body}");
    assert_eq!(faults.injected.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn persistent_throttling_is_a_clean_503() {
    let faults = FaultyHttp::new(plan("PutItem", usize::MAX, 400, DDB_THROTTLE));
    let env = Env::new(Moto::shared(), "throttle-503", Some(faults.shared())).await;
    let (status, headers, body) =
        parts(env.app.handle(post(&payment("pay_throttle_503", 10))).await);
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(body["error"]["code"], "service_unavailable");
    assert_eq!(
        body["request_id"],
        headers["x-request-id"].to_str().unwrap()
    );
    // Bounded: exactly `max_attempts` tries, then give up.
    assert_eq!(
        faults.injected.load(Ordering::SeqCst),
        fast_settings().max_attempts as usize
    );
    assert!(
        env.items("pay_throttle_503").await.is_empty(),
        "nothing acknowledged, nothing stored"
    );
    assert_eq!(env.metric_count("DependencyUnavailable"), 1);
    // The client's retry, once DynamoDB recovers, succeeds.
    let (status, _, _) = parts(
        env.clean_app()
            .await
            .handle(post(&payment("pay_throttle_503", 10)))
            .await,
    );
    assert_eq!(status, 201);
}

#[tokio::test]
async fn marker_without_record_is_completed_by_the_retry() {
    let env = Env::new(Moto::shared(), "half-write", None).await;
    let clean = env.clean_app().await;
    let record = lambda::model::PaymentRecord::new(
        lambda::validation::parse_create(
            Some("application/json"),
            None,
            payment("pay_half", 42).to_string().as_bytes(),
        )
        .unwrap(),
        lambda::time::now_millis() - 60_000,
        "crashed-request",
    );
    // Simulate a function that claimed the marker and died before writing the record.
    env.ddb
        .put_item()
        .table_name(&env.table)
        .item("payment_id", AttributeValue::S("pay_half".into()))
        .item("timestamp", AttributeValue::N("0".into()))
        .item("item_type", AttributeValue::S("idempotency".into()))
        .item(
            "request_hash",
            AttributeValue::S(record.request_hash.clone()),
        )
        .item(
            "record_timestamp",
            AttributeValue::N(record.timestamp.to_string()),
        )
        .item("created_at", AttributeValue::S(record.created_at.clone()))
        .send()
        .await
        .unwrap();
    let (status, _, _) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/pay_half?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(status, 404, "an unacknowledged marker is not a payment");
    // The client's retry completes the payment at the marker's timestamp.
    let (status, headers, body) = parts(clean.handle(post(&payment("pay_half", 42))).await);
    assert_eq!(status, 201, "{body}");
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(body["timestamp"], record.timestamp);
    assert_eq!(body["status"], "ACCEPTED");
    assert_eq!(env.items("pay_half").await.len(), 2);
}

#[tokio::test]
async fn audit_failure_after_the_write_is_recorded_and_repaired() {
    let faults = FaultyHttp::new(plan("PUT", usize::MAX, 503, S3_503));
    let env = Env::new(Moto::shared(), "audit-gap", Some(faults.shared())).await;
    let (status, _, body) = parts(env.app.handle(post(&payment("pay_gap", 77))).await);
    assert_eq!(
        status, 201,
        "the payment is stored, so it is acknowledged: {body}"
    );
    assert_eq!(body["status"], "PENDING_AUDIT");
    assert!(faults.injected.load(Ordering::SeqCst) >= 1);

    // Readable, and the gap is recorded on the item, in metrics and in the status index.
    let (status, _, got) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/pay_gap?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(
        (status, &got["status"]),
        (200, &serde_json::json!("PENDING_AUDIT"))
    );
    let items = env.items("pay_gap").await;
    let record = items.iter().find(|i| i.contains_key("status")).unwrap();
    assert!(
        record["audit_error"].as_s().unwrap().contains("SlowDown"),
        "{record:?}"
    );
    assert_eq!(record["audit_failures"], AttributeValue::N("1".into()));
    assert_eq!(env.metric_count("AuditWriteFailed"), 1);
    assert!(env.audit_objects().await.0.is_empty());
    let pending = env
        .app
        .store()
        .query_by_status(
            PaymentStatus::PendingAudit,
            lambda::time::now_millis() + 1000,
            10,
        )
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);

    // Reconciliation (S3 healthy again) writes the audit object and flips the status.
    let clean = env.clean_app().await;
    let report = lambda::reconcile::reconcile(&clean, &everything(10), &budget())
        .await
        .unwrap();
    assert_eq!(
        (report.examined, report.repaired, report.still_pending),
        (1, 1, 0)
    );
    let (keys, versions) = env.audit_objects().await;
    assert_eq!((keys.len(), versions), (1, 1));
    let (_, _, after) = parts(
        clean
            .handle(event(
                "GET",
                "/payments/pay_gap?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(after["status"], "ACCEPTED");
    assert_eq!(env.metric_count("AuditRepaired"), 1);
    // Running it again finds nothing and writes nothing.
    let again = lambda::reconcile::reconcile(&clean, &everything(10), &budget())
        .await
        .unwrap();
    assert_eq!(again.examined, 0);
    assert_eq!(env.audit_objects().await.1, 1);
}

#[tokio::test]
async fn identical_retry_repairs_an_audit_gap() {
    let faults = FaultyHttp::new(plan("PUT", usize::MAX, 403, S3_403));
    let env = Env::new(Moto::shared(), "audit-replay", Some(faults.shared())).await;
    let (status, _, body) = parts(env.app.handle(post(&payment("pay_gap_replay", 5))).await);
    assert_eq!(
        (status, &body["status"]),
        (201, &serde_json::json!("PENDING_AUDIT"))
    );
    assert_eq!(
        faults.injected.load(Ordering::SeqCst),
        1,
        "AccessDenied is not retried"
    );
    let (status, headers, body) = parts(
        env.clean_app()
            .await
            .handle(post(&payment("pay_gap_replay", 5)))
            .await,
    );
    assert_eq!(status, 201);
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(body["status"], "ACCEPTED");
    assert_eq!(env.audit_objects().await.0.len(), 1);
}

#[tokio::test]
async fn audit_write_is_create_only() {
    let env = Env::new(Moto::shared(), "create-only", None).await;
    let (status, _, _) = parts(env.app.handle(post(&payment("pay_once", 5))).await);
    assert_eq!(status, 201);
    let stored = env.app.store().get("pay_once").await.unwrap().unwrap();
    // A second write of the same audit object (a racing repair) finds it and changes nothing.
    let (_, outcome) = env.app.audit().write(&stored).await.unwrap();
    assert_eq!(outcome, lambda::audit::AuditOutcome::AlreadyPresent);
    assert_eq!(env.audit_objects().await.1, 1);
}

#[tokio::test]
async fn emulator_down_is_503_without_panic() {
    let moto = Moto::start();
    let env = Env::new(&moto, "down", None).await;
    moto.stop();
    let started = Instant::now();
    for req in [
        post(&payment("pay_down", 1)),
        event(
            "GET",
            "/payments/pay_down?merchant_id=merchant_1",
            &[],
            None,
        ),
    ] {
        let (status, headers, body) = parts(env.app.handle(req).await);
        assert_eq!(status, 503, "{body}");
        assert_eq!(headers["retry-after"], "1");
        assert_eq!(body["error"]["code"], "service_unavailable");
    }
    let (status, _, body) = parts(env.app.handle(event("GET", "/health", &[], None)).await);
    assert_eq!(status, 503);
    assert_eq!(body["status"], "unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "bounded retries: {:?}",
        started.elapsed()
    );
    assert_eq!(env.metric_count("HealthCheckFailed"), 1);
}

#[tokio::test]
async fn panic_inside_a_call_is_a_500_with_json() {
    let faults = FaultyHttp::new(FaultPlan {
        action: FaultAction::Panic,
        ..plan("GetItem", usize::MAX, 500, "")
    });
    let env = Env::new(Moto::shared(), "panic", Some(faults.shared())).await;
    let (status, headers, body) = parts(env.app.handle(event("GET", "/health", &[], None)).await);
    assert_eq!(status, 500);
    assert_eq!(body["error"]["code"], "internal_error");
    assert_eq!(
        body["request_id"],
        headers["x-request-id"].to_str().unwrap()
    );
    // The app keeps serving after a panic.
    let (status, _, _) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/x?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(status, 404);
}

/// The stored record of `payment_id` (not the marker).
async fn record_item(
    env: &Env,
    payment_id: &str,
) -> std::collections::HashMap<String, AttributeValue> {
    env.items(payment_id)
        .await
        .into_iter()
        .find(|i| i.contains_key("status"))
        .unwrap_or_else(|| panic!("no record for {payment_id}"))
}

/// The issue's first ordering: the creator's record write is held while an identical request
/// runs to the end. The replay completes the record and audits it; the creator, released, is
/// still the creator (no `idempotent-replayed`), and one audit object exists.
#[tokio::test]
async fn a_replay_racing_a_held_record_write_leaves_an_audited_payment() {
    let gate = Gate::default();
    let faults = FaultyHttp::new(FaultPlan {
        skip: 1, // the marker goes through, the record write is held
        failures: 1,
        action: FaultAction::Hold(gate.clone()),
        ..plan("PutItem", 0, 200, "")
    });
    let env = Env::new(Moto::shared(), "held-record", Some(faults.shared())).await;
    let creator = env.app.clone();
    let first = tokio::spawn(async move { creator.handle(post(&payment("pay_held", 10))).await });
    gate.arrived(Duration::from_secs(20)).await;

    let (status, headers, replay) = parts(
        env.clean_app()
            .await
            .handle(post(&payment("pay_held", 10)))
            .await,
    );
    assert_eq!(status, 201, "{replay}");
    assert_eq!(headers["idempotent-replayed"], "true");
    assert_eq!(
        replay["status"], "ACCEPTED",
        "the replay audits the payment"
    );

    gate.open();
    let (status, headers, created) = parts(first.await.unwrap());
    assert_eq!(status, 201, "{created}");
    assert!(
        headers.get("idempotent-replayed").is_none(),
        "the request that created the payment is not a replay"
    );
    assert_eq!(created["status"], "ACCEPTED");
    assert_eq!(created["timestamp"], replay["timestamp"]);

    let (keys, versions) = env.audit_objects().await;
    assert_eq!((keys.len(), versions), (1, 1), "{keys:?}");
    let record = record_item(&env, "pay_held").await;
    assert_eq!(record["status"], AttributeValue::S("ACCEPTED".into()));
    // The replay wrote the record in the creator's name.
    assert_eq!(
        record["request_id"],
        AttributeValue::S(headers["x-request-id"].to_str().unwrap().into())
    );
    assert_eq!(env.items("pay_held").await.len(), 2);
}

/// The issue's second ordering: a write is applied but its response is lost (the SDK retries
/// against its own write). For the marker and for the record, on a 5xx after the write and on
/// a response later than the attempt timeout, the request is still the creator and audits.
#[tokio::test]
async fn a_write_applied_but_answered_late_is_still_a_creation() {
    let late = lambda::aws::ClientSettings {
        attempt_timeout: Duration::from_millis(400),
        ..fast_settings()
    };
    let cases = [
        ("marker-lost", 0, FaultAction::ApplyThenRespond),
        ("record-lost", 1, FaultAction::ApplyThenRespond),
        (
            "marker-late",
            0,
            FaultAction::ApplyThenDelay(Duration::from_secs(2)),
        ),
        (
            "record-late",
            1,
            FaultAction::ApplyThenDelay(Duration::from_secs(2)),
        ),
    ];
    for (name, skip, action) in cases {
        let faults = FaultyHttp::new(FaultPlan {
            skip,
            action,
            ..plan("PutItem", 1, 500, DDB_500)
        });
        let env = Env::with_settings(Moto::shared(), name, Some(faults.shared()), late).await;
        let id = format!("pay_{}", name.replace('-', "_"));
        let (status, headers, body) = parts(env.app.handle(post(&payment(&id, 10))).await);
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(faults.injected.load(Ordering::SeqCst), 1, "{name}");
        assert!(
            headers.get("idempotent-replayed").is_none(),
            "{name}: a first request answered `idempotent-replayed`"
        );
        assert_eq!(body["status"], "ACCEPTED", "{name}");
        let (keys, _) = env.audit_objects().await;
        assert_eq!(keys.len(), 1, "{name}: {keys:?}");
        assert_eq!(env.items(&id).await.len(), 2, "{name}");
    }
}

/// The issue's deadline case: the first write answers, the second is held. The request answers
/// `503` + `Retry-After` before the invocation deadline, and the client's retry completes the
/// payment from what was left (a marker without its record).
#[tokio::test]
async fn a_held_second_write_is_a_503_before_the_deadline() {
    let gate = Gate::default();
    let faults = FaultyHttp::new(FaultPlan {
        skip: 1,
        failures: 1,
        action: FaultAction::Hold(gate.clone()),
        ..plan("PutItem", 0, 200, "")
    });
    let env = Env::new(Moto::shared(), "deadline", Some(faults.shared())).await;
    let mut context = lambda_http::Context::default();
    let limit = Duration::from_secs(3);
    context.deadline = u64::try_from(lambda::time::now_millis()).unwrap() + 3000;
    let req =
        lambda_http::RequestExt::with_lambda_context(post(&payment("pay_deadline", 10)), context);
    let started = Instant::now();
    let (status, headers, body) = parts(env.app.handle(req).await);
    let took = started.elapsed();
    assert_eq!(status, 503, "{body}");
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(body["error"]["code"], "service_unavailable");
    assert!(took < limit, "answered after the deadline: {took:?}");
    assert!(
        took >= limit - lambda::deadline::SAFETY_MARGIN - Duration::from_millis(300),
        "gave up too early: {took:?}"
    );
    assert_eq!(env.metric_count("DependencyUnavailable"), 1);
    let items = env.items("pay_deadline").await;
    assert_eq!(items.len(), 1, "only the marker: {items:?}");
    gate.open();

    let (status, _, body) = parts(
        env.clean_app()
            .await
            .handle(post(&payment("pay_deadline", 10)))
            .await,
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "ACCEPTED");
    assert_eq!(env.items("pay_deadline").await.len(), 2);
    assert_eq!(env.audit_objects().await.0.len(), 1);
}

/// The audit phase running out of time: the payment is stored, so `201 PENDING_AUDIT`, and
/// the gap is logged and counted.
#[tokio::test]
async fn an_audit_write_past_the_deadline_is_a_recorded_gap() {
    let gate = Gate::default();
    let faults = FaultyHttp::new(FaultPlan {
        action: FaultAction::Hold(gate.clone()),
        ..plan("PUT", usize::MAX, 200, "")
    });
    let env = Env::new(Moto::shared(), "audit-deadline", Some(faults.shared())).await;
    let budget = lambda::deadline::Budget::after(Duration::from_secs(2));
    let (status, _, body) = parts(
        env.app
            .handle_within(post(&payment("pay_audit_deadline", 10)), &budget)
            .await,
    );
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "PENDING_AUDIT");
    assert_eq!(env.metric_count("AuditWriteFailed"), 1);
    gate.open();
    assert!(env.audit_objects().await.0.is_empty());
}

/// The scheduled reconcile event: every page is read, a malformed record is skipped (and
/// counted as overdue: nobody can repair it), every repair is reported, and the overdue metric
/// is emitted.
#[tokio::test]
async fn scheduled_reconcile_pages_through_everything_and_survives_a_bad_record() {
    let faults = FaultyHttp::new(plan("PUT", usize::MAX, 403, S3_403));
    let env = Env::new(Moto::shared(), "reconcile-pages", Some(faults.shared())).await;
    let ids: Vec<String> = (0..5).map(|i| format!("pay_pending_{i}")).collect();
    for id in &ids {
        let (status, _, body) = parts(env.app.handle(post(&payment(id, 10))).await);
        assert_eq!(
            (status, &body["status"]),
            (201, &serde_json::json!("PENDING_AUDIT"))
        );
    }
    // A pending record this code cannot decode (no amount).
    env.ddb
        .put_item()
        .table_name(&env.table)
        .item("payment_id", AttributeValue::S("pay_broken".into()))
        .item("timestamp", AttributeValue::N("1000".into()))
        .item("status", AttributeValue::S("PENDING_AUDIT".into()))
        .send()
        .await
        .unwrap();

    let mut context = lambda_http::Context::default();
    context.deadline = u64::try_from(lambda::time::now_millis()).unwrap() + 60_000;
    let event = serde_json::json!({"mode": "reconcile", "grace_seconds": 0, "overdue_seconds": 3600, "page_size": 2});
    let report = env.clean_app().await.handle_event(&event, context).await;
    assert_eq!(report["examined"], 6, "{report}");
    assert_eq!(report["repaired"], 5, "{report}");
    assert_eq!(report["failed"], 1, "{report}");
    assert_eq!(report["still_pending"], 0, "{report}");
    assert_eq!(report["overdue"], 1, "the broken record: {report}");
    assert_eq!(report["complete"], true, "{report}");
    assert!(report["pages"].as_u64().unwrap() >= 3, "{report}");
    let mut repaired: Vec<String> = serde_json::from_value(report["repaired_ids"].clone()).unwrap();
    repaired.sort();
    assert_eq!(repaired, ids);
    assert_eq!(env.audit_objects().await.0.len(), 5);
    let overdue: Vec<String> = env
        .metrics
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.contains("\"AuditPendingOverdue\""))
        .cloned()
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
    assert!(
        overdue[0].contains("\"Operation\":\"Reconcile\""),
        "{overdue:?}"
    );
    assert!(
        overdue[0].contains("\"AuditPendingOverdue\":1.0"),
        "{overdue:?}"
    );
}

/// A broken audit path (S3 or its KMS key refusing the function) fails the health check, so
/// Route 53 fails over, even though DynamoDB answers.
#[tokio::test]
async fn health_fails_when_the_audit_path_is_broken() {
    let faults = FaultyHttp::new(plan("PUT", usize::MAX, 403, S3_403));
    let env = Env::new(Moto::shared(), "health-audit", Some(faults.shared())).await;
    let (status, headers, body) = parts(env.app.handle(event("GET", "/health", &[], None)).await);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(faults.injected.load(Ordering::SeqCst), 1);
    assert_eq!(env.metric_count("HealthCheckFailed"), 1);
    let (status, _, _) = parts(
        env.clean_app()
            .await
            .handle(event("GET", "/health", &[], None))
            .await,
    );
    assert_eq!(status, 200, "healthy again once S3 is");
}

/// A pass that runs out of time says so: not complete, and overdue (it cannot vouch for the
/// records it did not reach), so the alarm fires.
#[tokio::test]
async fn reconcile_out_of_time_is_incomplete_and_overdue() {
    let gate = Gate::default();
    let held = FaultyHttp::new(FaultPlan {
        action: FaultAction::Hold(gate.clone()),
        ..plan("PUT", usize::MAX, 200, "")
    });
    let env = Env::new(Moto::shared(), "reconcile-late", Some(held.shared())).await;
    // Two pending records, stored without their audit objects.
    for id in ["pay_late_1", "pay_late_2"] {
        let request = lambda::validation::parse_create(
            Some("application/json"),
            None,
            payment(id, 1).to_string().as_bytes(),
        )
        .unwrap();
        let record = lambda::model::PaymentRecord::new(request, lambda::time::now_millis(), id);
        env.app.store().create(&record).await.unwrap();
    }
    // S3 holds the first audit write past the budget.
    let report = lambda::reconcile::reconcile(
        &env.app,
        &everything(10), // one page: running out on the last page is still incomplete
        &lambda::deadline::Budget::after(Duration::from_millis(1500)),
    )
    .await
    .unwrap();
    gate.open();
    assert!(!report.complete, "{report:?}");
    assert_eq!(report.repaired, 0, "{report:?}");
    assert_eq!(report.still_pending, 1, "{report:?}");
    assert!(report.overdue >= 1, "{report:?}");
    let overdue = env.metric_count("AuditPendingOverdue");
    assert_eq!(overdue, 1);
}
