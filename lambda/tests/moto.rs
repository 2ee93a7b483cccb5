//! End-to-end tests of the handler against moto (a real AWS emulator) on 127.0.0.1: the SDK
//! talks HTTP to the emulator exactly as it would to AWS. moto is started by the harness and
//! stopped with the test process; without moto installed these tests fail with instructions.

mod support;

use aws_sdk_dynamodb::types::AttributeValue;
use futures_util::future::join_all;
use lambda::model::PaymentStatus;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use support::*;

/// Log lines written by the function during this test binary.
fn logs() -> Arc<Mutex<Vec<u8>>> {
    use std::sync::OnceLock;
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        lambda::logging::init_with_writer(lambda::config::LogLevel::Trace, move || {
            LogWriter(writer.clone())
        });
        buf
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_text() -> String {
    String::from_utf8_lossy(&logs().lock().unwrap()).into_owned()
}

#[tokio::test]
async fn create_read_back_and_audit() {
    let logs = logs();
    let env = Env::new(Moto::shared(), "create", None).await;
    let (status, headers, body) = parts(env.app.handle(post(&payment("pay_create_1", 1234))).await);
    assert_eq!(status, 201, "{body}");
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(headers["content-type"], "application/json");
    assert!(headers.get("x-request-id").is_some());
    assert_eq!(body["payment_id"], "pay_create_1");
    assert_eq!(body["amount"], 1234);
    assert_eq!(body["currency"], "EUR");
    assert_eq!(body["status"], "ACCEPTED");
    assert_eq!(body["card_token_masked"], "tok_…1234");
    assert!(
        !body.to_string().contains("SECRETtoken"),
        "token leaked in response: {body}"
    );

    // Read back through the API.
    let (status, _, got) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/pay_create_1?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(status, 200);
    assert_eq!(got, body);

    // The table holds the record (with the token, encrypted at rest) and the marker.
    let items = env.items("pay_create_1").await;
    assert_eq!(items.len(), 2, "marker + record: {items:?}");
    let record = items
        .iter()
        .find(|i| i["timestamp"] != AttributeValue::N("0".into()))
        .unwrap();
    assert_eq!(record["status"], AttributeValue::S("ACCEPTED".into()));
    assert_eq!(
        record["card_token"],
        AttributeValue::S("tok_SECRETtoken1234".into())
    );
    let audit_key = record["audit_key"].as_s().unwrap().clone();
    let marker = items
        .iter()
        .find(|i| i["timestamp"] == AttributeValue::N("0".into()))
        .unwrap();
    assert!(
        marker.get("status").is_none(),
        "the marker must stay out of status-index"
    );

    // The audit object: date-partitioned key, SSE-KMS with the configured key, no token.
    let ts: i64 = body["timestamp"].as_i64().unwrap();
    let date = lambda::time::UtcDateTime::from_millis(ts);
    let expected_key = format!(
        "audit/year={:04}/month={:02}/day={:02}/pay_create_1.json",
        date.year, date.month, date.day
    );
    assert_eq!(audit_key, expected_key);
    let obj = env
        .s3
        .get_object()
        .bucket(&env.bucket)
        .key(&audit_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        obj.server_side_encryption().map(|s| s.as_str()),
        Some("aws:kms")
    );
    assert_eq!(obj.ssekms_key_id(), Some(env.kms_arn.as_str()));
    let head = env
        .s3
        .head_object()
        .bucket(&env.bucket)
        .key(&audit_key)
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.server_side_encryption().map(|s| s.as_str()),
        Some("aws:kms")
    );
    let content = obj.body.collect().await.unwrap().into_bytes();
    let audit: Value = serde_json::from_slice(&content).unwrap();
    assert_eq!(audit["payment_id"], "pay_create_1");
    assert_eq!(audit["amount"], 1234);
    assert_eq!(audit["event"], "payment.created");
    assert!(!String::from_utf8_lossy(&content).contains("SECRETtoken"));

    // Metrics and logs.
    assert_eq!(env.metric_count("PaymentCreated"), 1);
    assert!(env.metric_count("Latency") >= 2);
    let text = log_text();
    assert!(text.contains("pay_create_1"), "ids are logged");
    assert!(
        text.contains(headers["x-request-id"].to_str().unwrap()),
        "request id is logged"
    );
    assert!(!text.contains("SECRETtoken"), "token leaked into logs");
    drop(logs);
}

#[tokio::test]
async fn get_unknown_is_404_and_invalid_id_is_400() {
    let env = Env::new(Moto::shared(), "get404", None).await;
    let (status, headers, body) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/nope?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "payment_not_found");
    assert_eq!(
        body["request_id"],
        headers["x-request-id"].to_str().unwrap()
    );
    let (status, _, body) = parts(
        env.app
            .handle(event("GET", "/payments/a%20b", &[], None))
            .await,
    );
    assert_eq!(status, 400, "{body}");
    let (status, headers, _) = parts(
        env.app
            .handle(event("DELETE", "/payments/x", &[], None))
            .await,
    );
    assert_eq!(status, 405);
    assert_eq!(headers["allow"], "GET");
    let (status, _, _) = parts(env.app.handle(event("GET", "/admin", &[], None)).await);
    assert_eq!(status, 404);
}

#[tokio::test]
async fn idempotent_replay_returns_the_original() {
    let env = Env::new(Moto::shared(), "replay", None).await;
    let (s1, h1, first) = parts(env.app.handle(post(&payment("pay_replay", 500))).await);
    assert_eq!(s1, 201);
    assert!(h1.get("idempotent-replayed").is_none());
    // Same content, different formatting and key order: still the same request.
    let reordered = r#"{ "card_token":"tok_SECRETtoken1234","amount":500, "payment_id":"pay_replay",
        "currency":"EUR","merchant_id":"merchant_1","customer_id":"customer_1","description":"integration test" }"#;
    let replay = event(
        "POST",
        "/payments",
        &[("Content-Type", "application/json")],
        Some(reordered),
    );
    let (s2, h2, second) = parts(env.app.handle(replay).await);
    assert_eq!(s2, 201);
    assert_eq!(h2["idempotent-replayed"], "true");
    assert_eq!(
        second, first,
        "a replay returns the original record, timestamp included"
    );
    assert_eq!(env.items("pay_replay").await.len(), 2);
    let (keys, versions) = env.audit_objects().await;
    assert_eq!((keys.len(), versions), (1, 1));
    assert_eq!(env.metric_count("PaymentCreated"), 1);
    assert_eq!(env.metric_count("PaymentReplayed"), 1);
}

#[tokio::test]
async fn conflicting_replay_is_409_and_leaves_the_original() {
    let env = Env::new(Moto::shared(), "conflict", None).await;
    let (s1, _, first) = parts(env.app.handle(post(&payment("pay_conflict", 500))).await);
    assert_eq!(s1, 201);
    for changed in [
        payment("pay_conflict", 501),
        json!({"payment_id": "pay_conflict", "amount": 500, "currency": "USD", "merchant_id": "merchant_1",
               "customer_id": "customer_1", "card_token": "tok_SECRETtoken1234", "description": "integration test"}),
        json!({"payment_id": "pay_conflict", "amount": 500, "currency": "EUR", "merchant_id": "merchant_1",
               "customer_id": "customer_1", "card_token": "tok_OTHERtoken9999", "description": "integration test"}),
    ] {
        let (s, _, body) = parts(env.app.handle(post(&changed)).await);
        assert_eq!(s, 409, "{body}");
        assert_eq!(body["error"]["code"], "idempotency_conflict");
        assert!(body["request_id"].is_string());
    }
    let (_, _, stored) = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/pay_conflict?merchant_id=merchant_1",
                &[],
                None,
            ))
            .await,
    );
    assert_eq!(stored, first);
    assert_eq!(env.items("pay_conflict").await.len(), 2);
    assert_eq!(env.metric_count("PaymentConflict"), 3);
}

#[tokio::test]
async fn idempotency_key_header_without_payment_id() {
    let env = Env::new(Moto::shared(), "idemkey", None).await;
    let mut body = payment("unused", 700);
    body.as_object_mut().unwrap().remove("payment_id");
    let send = |key: &'static str, body: Value| {
        event(
            "POST",
            "/payments",
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", key),
            ],
            Some(&body.to_string()),
        )
    };
    let (s1, _, first) = parts(env.app.handle(send("order-7", body.clone())).await);
    assert_eq!(s1, 201, "{first}");
    let id = first["payment_id"].as_str().unwrap().to_owned();
    assert_eq!(
        id,
        lambda::validation::derive_payment_id("merchant_1", "order-7")
    );
    let (s2, h2, second) = parts(env.app.handle(send("order-7", body.clone())).await);
    assert_eq!((s2, &second), (201, &first));
    assert_eq!(h2["idempotent-replayed"], "true");
    let mut changed = body.clone();
    changed["amount"] = json!(701);
    let (s3, _, _) = parts(env.app.handle(send("order-7", changed)).await);
    assert_eq!(s3, 409);
    // The same key from another merchant is another payment.
    let mut other = body.clone();
    other["merchant_id"] = json!("merchant_2");
    let (s4, _, fourth) = parts(env.app.handle(send("order-7", other)).await);
    assert_eq!(s4, 201);
    assert_ne!(fourth["payment_id"], first["payment_id"]);
}

/// The id contract (issue 12): reads are scoped by merchant (another merchant's payment is
/// exactly as missing as a missing one), and a body id cannot ride beside a header.
#[tokio::test]
async fn reads_are_scoped_by_merchant_and_ids_are_one_per_request() {
    let env = Env::new(Moto::shared(), "scoped", None).await;
    let (status, _, created) = parts(env.app.handle(post(&payment("pay_scoped", 9))).await);
    assert_eq!(status, 201, "{created}");
    let missing = parts(
        env.app
            .handle(event(
                "GET",
                "/payments/pay_absent?merchant_id=merchant_2",
                &[],
                None,
            ))
            .await,
    );
    let cases: [(&str, u16, Option<&str>); 6] = [
        ("/payments/pay_scoped?merchant_id=merchant_1", 200, None),
        (
            "/payments/pay_scoped?merchant_id=merchant_2",
            404,
            Some("payment_not_found"),
        ),
        (
            "/payments/pay_absent?merchant_id=merchant_1",
            404,
            Some("payment_not_found"),
        ),
        ("/payments/pay_scoped", 400, Some("invalid_merchant_id")),
        (
            "/payments/pay_scoped?merchant_id=",
            400,
            Some("invalid_merchant_id"),
        ),
        (
            "/payments/pay_scoped?merchant_id=a%20b",
            400,
            Some("invalid_merchant_id"),
        ),
    ];
    for (path, want, code) in cases {
        let (status, _, body) = parts(env.app.handle(event("GET", path, &[], None)).await);
        assert_eq!(status, want, "{path}: {body}");
        assert_eq!(body["error"]["code"].as_str(), code, "{path}");
        if want == 200 {
            assert_eq!(body, created);
        }
        if want == 404 {
            // Nothing tells another merchant's payment from a missing one.
            assert_eq!(body["error"], missing.2["error"], "{path}");
        }
    }
    let both = event(
        "POST",
        "/payments",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "order-1"),
        ],
        Some(&payment("pay_both", 9).to_string()),
    );
    let (status, _, body) = parts(env.app.handle(both).await);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("validation_failed")),
        "{body}"
    );
    assert!(env.items("pay_both").await.is_empty());
}

#[tokio::test]
async fn concurrent_identical_requests_store_one_payment() {
    const N: usize = 16;
    let _l = logs();
    // moto's conditional writes are not atomic under concurrent requests (DynamoDB's are):
    // see `SerializedHttp`. Handlers still run concurrently.
    let env = Env::new(Moto::shared(), "concurrent", Some(SerializedHttp::shared())).await;
    let responses =
        join_all((0..N).map(|_| env.app.handle(post(&payment("pay_concurrent", 999))))).await;
    let parts: Vec<_> = responses.into_iter().map(parts).collect();
    for (status, _, body) in &parts {
        assert_eq!(
            *status,
            201,
            "{body}\n{}",
            log_text()
                .lines()
                .filter(|l| l.contains("WARN") || l.contains("ERROR"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert_eq!(body["payment_id"], "pay_concurrent");
        assert_eq!(
            body["timestamp"], parts[0].2["timestamp"],
            "all responses describe one record"
        );
    }
    let fresh = parts
        .iter()
        .filter(|(_, h, _)| h.get("idempotent-replayed").is_none())
        .count();
    assert_eq!(fresh, 1, "exactly one request created the payment");
    assert_eq!(env.metric_count("PaymentCreated"), 1);
    assert_eq!(
        env.items("pay_concurrent").await.len(),
        2,
        "one record + one marker"
    );
    let (keys, versions) = env.audit_objects().await;
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(versions, 1, "exactly one audit object version");
}

#[tokio::test]
async fn concurrent_different_requests_one_wins() {
    const N: u64 = 8;
    let env = Env::new(Moto::shared(), "race", Some(SerializedHttp::shared())).await;
    let responses =
        join_all((0..N).map(|i| env.app.handle(post(&payment("pay_race", 100 + i))))).await;
    let statuses: Vec<u16> = responses.into_iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        N as usize - 1,
        "{statuses:?}"
    );
    assert_eq!(env.items("pay_race").await.len(), 2);
}

#[tokio::test]
async fn query_by_status_through_the_gsi() {
    let env = Env::new(Moto::shared(), "gsi", None).await;
    for i in 0..3 {
        let (s, _, _) = parts(
            env.app
                .handle(post(&payment(&format!("pay_gsi_{i}"), 10 + i)))
                .await,
        );
        assert_eq!(s, 201);
    }
    let now = lambda::time::now_millis() + 1000;
    let accepted = env
        .app
        .store()
        .query_by_status(PaymentStatus::Accepted, now, 50)
        .await
        .unwrap();
    let mut ids: Vec<&str> = accepted.iter().map(|r| r.payment_id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["pay_gsi_0", "pay_gsi_1", "pay_gsi_2"]);
    let pending = env
        .app
        .store()
        .query_by_status(PaymentStatus::PendingAudit, now, 50)
        .await
        .unwrap();
    assert!(pending.is_empty());
    // The index is the stack's: status (S) + timestamp (N), all attributes projected.
    let described = env
        .ddb
        .describe_table()
        .table_name(&env.table)
        .send()
        .await
        .unwrap();
    let table = described.table().unwrap();
    let gsi = &table.global_secondary_indexes()[0];
    assert_eq!(gsi.index_name(), Some("status-index"));
    assert!(
        table
            .stream_specification()
            .is_some_and(|s| s.stream_enabled())
    );
    assert!(table.sse_description().is_some(), "table SSE is configured");
}

#[tokio::test]
async fn health_is_cheap_and_reveals_nothing() {
    let env = Env::new(Moto::shared(), "health", None).await;
    let (status, _, body) = parts(env.app.handle(event("GET", "/health", &[], None)).await);
    assert_eq!(status, 200);
    assert_eq!(body, json!({"status": "ok"}));
    assert!(
        env.items(lambda::store::HEALTH_KEY).await.is_empty(),
        "the probe writes nothing"
    );
    // The audit-path probe leaves one fixed object, once, whatever the number of checks.
    let (status, _, _) = parts(env.app.handle(event("GET", "/health", &[], None)).await);
    assert_eq!(status, 200);
    let (keys, versions) = env.audit_objects().await;
    assert_eq!(keys, vec![format!("{PREFIX}{}", lambda::audit::PROBE_KEY)]);
    assert_eq!(versions, 1);
}

#[tokio::test]
async fn hostile_requests_store_nothing_and_leak_nothing() {
    let _logs = logs();
    let env = Env::new(Moto::shared(), "hostile", None).await;
    let json_ct = [("Content-Type", "application/json")];
    let pan_body =
        json!({"payment_id": "pay_hostile", "amount": 1, "currency": "EUR", "merchant_id": "m",
        "customer_id": "c", "card_token": "4000056655665556"})
        .to_string();
    let huge = format!("{{\"description\": \"{}\"}}", "a".repeat(200_000));
    let cases: Vec<(lambda_http::Request, u16, &str)> = vec![
        (
            event("POST", "/payments", &json_ct, Some(&pan_body)),
            400,
            "card_number_detected",
        ),
        (
            event(
                "POST",
                "/payments",
                &[("Content-Type", "text/plain")],
                Some("{}"),
            ),
            415,
            "unsupported_media_type",
        ),
        (
            event("POST", "/payments", &json_ct, Some(&huge)),
            413,
            "payload_too_large",
        ),
        (
            event("POST", "/payments", &json_ct, Some("{\"amount\":")),
            400,
            "invalid_json",
        ),
        (
            event("POST", "/payments", &json_ct, None),
            400,
            "invalid_json",
        ),
        (
            event(
                "POST",
                "/payments",
                &json_ct,
                Some(&payment("pay_hostile'; DROP TABLE x;--", 1).to_string()),
            ),
            400,
            "validation_failed",
        ),
    ];
    for (req, status, code) in cases {
        let (s, h, body) = parts(env.app.handle(req).await);
        assert_eq!(
            (s, body["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}"
        );
        assert_eq!(body["request_id"], h["x-request-id"].to_str().unwrap());
    }
    assert!(env.items("pay_hostile").await.is_empty());
    let (keys, _) = env.audit_objects().await;
    assert!(keys.is_empty());
    assert!(
        !log_text().contains("4000056655665556"),
        "a card number reached the logs"
    );
    assert_eq!(env.metric_count("PaymentRejected"), 6);
}

/// `LOG_LEVEL=trace` (what this binary's subscriber runs at): the runtime's trace of the raw
/// event (a dependency target that merely starts with `lambda`) is filtered out, and a secret
/// that reaches one of our own lines anyway is masked at the output.
#[tokio::test]
async fn trace_logs_carry_no_card_number_token_or_api_key() {
    let _logs = logs();
    let env = Env::new(Moto::shared(), "trace", None).await;
    let json_ct = [("Content-Type", "application/json")];
    let valid = event_json(
        "POST",
        "/payments",
        &json_ct,
        Some(&payment("pay_trace", 5).to_string()),
    );
    let hostile = event_json(
        "POST",
        "/payments",
        &json_ct,
        Some(&json!({"description": "４１１１\u{a0}1111.1111 1111"}).to_string()),
    );
    for ev in [&valid, &hostile] {
        let raw = ev.to_string();
        // What lambda_runtime and lambda_http log at trace and debug.
        tracing::trace!(target: "lambda_runtime::layers::api_response", body = %raw, "raw JSON event received from Lambda");
        tracing::debug!(target: "lambda_http::request", event = %raw, "converting");
        tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", body = %raw, "request");
        // A careless line of our own.
        tracing::trace!(target: "lambda::handler", event = %raw, "careless");
        let r = env
            .app
            .handle_event(ev, lambda_http::Context::default())
            .await;
        assert!(r["statusCode"].as_u64().is_some(), "{r}");
    }
    let text = log_text();
    assert!(
        text.contains("careless"),
        "our own trace lines are kept: {text}"
    );
    assert!(
        !text.contains("raw JSON event received"),
        "a dependency's trace line got through"
    );
    assert!(
        !text.contains("SECRETtoken"),
        "a card token reached the logs"
    );
    assert!(!text.contains(API_KEY), "the API key reached the logs");
    assert!(
        !lambda::pan::contains_pan(&text),
        "a card number reached the logs:\n{text}"
    );
}

/// DynamoDB global-table replicas cannot be checked here: moto accepts `ReplicaUpdates` but
/// does not replicate items to another region. Covered by `deployed::cross_region_replication`.
#[test]
#[ignore = "moto does not replicate DynamoDB tables across regions; see tests/deployed.rs"]
fn dynamodb_replica_in_us_west_2() {}

/// moto stores an S3 replication configuration but never copies objects. Covered by
/// `deployed::cross_region_replication`.
#[test]
#[ignore = "moto stores but does not execute S3 replication; see tests/deployed.rs"]
fn audit_object_replicated_to_us_west_2() {}

/// moto cannot run a Rust Lambda (it would need Docker); the real binary runs under
/// `cargo lambda watch` in tests/watch_e2e.rs instead.
#[test]
#[ignore = "moto does not run provided.al2023 Lambda code; see tests/watch_e2e.rs"]
fn lambda_invoked_inside_the_emulator() {}

#[tokio::test]
async fn the_latency_host_refuses_writes_and_serves_reads() {
    let env = Env::new(Moto::shared(), "readonly", None).await;
    let app = env
        .app
        .clone()
        .read_only_on(vec!["api-latency.payments.example.com".to_owned()]);
    // A write through the failover host is stored.
    let (status, _, _) = parts(app.handle(post(&payment("pay_written", 700))).await);
    assert_eq!(status, 201);
    // The same kind of write through the latency host is refused and stores nothing.
    let mut refused = post(&payment("pay_refused", 700));
    refused.headers_mut().insert(
        "host",
        "API-Latency.payments.example.com:443".parse().unwrap(),
    );
    let (status, _, body) = parts(app.handle(refused).await);
    assert_eq!(status, 421, "{body}");
    assert_eq!(body["error"]["code"], "read_only_host");
    assert!(env.items("pay_refused").await.is_empty());
    // Reads on the latency host work.
    let mut read = event(
        "GET",
        "/payments/pay_written?merchant_id=merchant_1",
        &[],
        None,
    );
    read.headers_mut()
        .insert("host", "api-latency.payments.example.com".parse().unwrap());
    let (status, _, body) = parts(app.handle(read).await);
    assert_eq!(status, 200, "{body}");
}
