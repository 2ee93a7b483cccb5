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
        failures,
        status,
        body,
        panic: false,
    }
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
            .handle(event("GET", "/payments/pay_half", &[], None))
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
            .handle(event("GET", "/payments/pay_gap", &[], None))
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
    let report = lambda::reconcile::reconcile(&clean, Duration::ZERO, 10)
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
            .handle(event("GET", "/payments/pay_gap", &[], None))
            .await,
    );
    assert_eq!(after["status"], "ACCEPTED");
    assert_eq!(env.metric_count("AuditRepaired"), 1);
    // Running it again finds nothing and writes nothing.
    let again = lambda::reconcile::reconcile(&clean, Duration::ZERO, 10)
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
        event("GET", "/payments/pay_down", &[], None),
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
        panic: true,
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
    let (status, _, _) = parts(env.app.handle(event("GET", "/payments/x", &[], None)).await);
    assert_eq!(status, 404);
}
