//! Shared harness of the emulator tests: a moto server per test binary, AWS resources created in
//! it, API Gateway REST proxy events, and a fault-injecting HTTP client.
#![allow(dead_code)] // Each test binary uses a different part of the harness.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, SseSpecification, SseType, StreamSpecification,
    StreamViewType,
};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use lambda::audit::AuditWriter;
use lambda::aws::ClientSettings;
use lambda::handler::App;
use lambda::metrics::{Metrics, MetricsSink};
use lambda::store::PaymentStore;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The region every emulator test uses.
pub const REGION: &str = "us-east-1";
/// Longest a moto server may live (the watchdog also stops it when the test process exits).
pub const MOTO_LIFETIME_SECS: u32 = 900;

/// A moto server on 127.0.0.1, started under `timeout` with a watchdog that stops it when the
/// test process goes away, so no emulator outlives its tests.
pub struct Moto {
    port: u16,
    child: Mutex<Child>,
}

impl Moto {
    /// The shared server of this test binary, started on first use.
    pub fn shared() -> &'static Moto {
        static MOTO: OnceLock<Moto> = OnceLock::new();
        MOTO.get_or_init(Moto::start)
    }

    /// Starts a new server (tests that stop it use their own).
    pub fn start() -> Moto {
        let found = Command::new("sh")
            .args(["-c", "command -v moto_server"])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            found,
            "moto_server not found on PATH: these tests need the moto AWS emulator; \
             install it with `pip install 'moto[server]'`"
        );
        let mut last_log = String::new();
        for _ in 0..5 {
            let port = free_port();
            // $1 = port, $2 = pid of this test process. The loop exits (and the trap kills moto)
            // when either moto or the test process is gone; `timeout` bounds it regardless.
            let log = std::env::temp_dir().join(format!("moto-{port}.log"));
            let script = r#"moto_server -H 127.0.0.1 -p "$1" >"$3" 2>&1 &
m=$!
trap 'kill $m 2>/dev/null' EXIT INT TERM
while kill -0 "$2" 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 0.5; done"#;
            let child = Command::new("timeout")
                .args([&MOTO_LIFETIME_SECS.to_string(), "sh", "-c", script, "sh"])
                .arg(port.to_string())
                .arg(std::process::id().to_string())
                .arg(&log)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn `timeout sh -c moto_server ...`");
            let moto = Moto {
                port,
                child: Mutex::new(child),
            };
            if moto.wait_ready(Duration::from_secs(60)) {
                return moto;
            }
            moto.stop();
            last_log = std::fs::read_to_string(&log).unwrap_or_default();
        }
        panic!(
            "moto_server did not become ready on 127.0.0.1 within 60 s (5 tries); its last output:\n{last_log}"
        );
    }

    fn wait_ready(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.lock().unwrap().try_wait() {
                return false;
            }
            if http_get(self.port, "/moto-api/").is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server (TERM to `timeout`, which forwards it; the trap kills moto).
    pub fn stop(&self) {
        let mut child = self.child.lock().unwrap();
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        // Wait until the port is closed, so "emulator down" is really down.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    out.starts_with("HTTP/1.").then_some(out)
}

/// One JSON-protocol call to the emulator without the SDK (used for KMS, whose SDK crate the
/// function does not need). moto does not verify signatures, so a fixed header suffices.
pub fn json_call(endpoint: &str, service: &str, target: &str, body: &Value) -> Value {
    let port: u16 = endpoint.rsplit(':').next().unwrap().parse().unwrap();
    let body = body.to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: {target}\r\nAuthorization: AWS4-HMAC-SHA256 \
         Credential=test/20240101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, payload) = out.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{target} failed: {out}");
    serde_json::from_str(payload).unwrap_or_else(|e| panic!("{target}: {e}: {payload}"))
}

/// Creates a KMS key in the emulator and returns its ARN.
pub fn create_kms_key(endpoint: &str) -> String {
    let out = json_call(
        endpoint,
        "kms",
        "TrentService.CreateKey",
        &json!({"Description": "audit"}),
    );
    out["KeyMetadata"]["Arn"].as_str().unwrap().to_owned()
}

/// SDK configuration pointing at `endpoint` with dummy credentials.
pub async fn sdk_config(
    endpoint: &str,
    settings: &ClientSettings,
    http: Option<SharedHttpClient>,
) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "testing", "testing", None, None, "moto",
        ))
        .retry_config(settings.retry_config())
        .timeout_config(settings.timeout_config());
    if let Some(http) = http {
        loader = loader.http_client(http);
    }
    loader.load().await
}

/// Settings for tests: few quick retries, so faults resolve in well under a second.
pub fn fast_settings() -> ClientSettings {
    ClientSettings {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(100),
        connect_timeout: Duration::from_millis(500),
        attempt_timeout: Duration::from_secs(5),
        operation_timeout: Duration::from_secs(15),
    }
}

/// Unique, lowercase resource names for one test.
pub fn unique(name: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The AWS resources of one test and an [`App`] over them.
pub struct Env {
    /// The table.
    pub table: String,
    /// The audit bucket.
    pub bucket: String,
    /// The KMS key ARN.
    pub kms_arn: String,
    /// The app under test.
    pub app: App,
    /// A DynamoDB client for assertions (no faults injected).
    pub ddb: aws_sdk_dynamodb::Client,
    /// An S3 client for assertions (no faults injected).
    pub s3: aws_sdk_s3::Client,
    /// EMF lines the app emitted.
    pub metrics: Arc<Mutex<Vec<String>>>,
    /// The emulator's endpoint.
    pub endpoint: String,
}

/// Audit prefix used by the tests.
pub const PREFIX: &str = "audit/";

impl Env {
    /// Creates a table (GSI, stream, SSE-KMS), a versioned bucket and a KMS key in `moto`,
    /// and an app over them whose HTTP goes through `http` when given.
    pub async fn new(moto: &Moto, name: &str, http: Option<SharedHttpClient>) -> Env {
        Self::with_settings(moto, name, http, fast_settings()).await
    }

    /// As [`Env::new`] with explicit client settings.
    pub async fn with_settings(
        moto: &Moto,
        name: &str,
        http: Option<SharedHttpClient>,
        settings: ClientSettings,
    ) -> Env {
        let endpoint = moto.endpoint();
        let admin = sdk_config(&endpoint, &fast_settings(), None).await;
        let ddb = aws_sdk_dynamodb::Client::new(&admin);
        let s3 = lambda::aws::s3_client(&admin);
        let table = unique(&format!("payments-{name}"));
        let bucket = unique(&format!("audit-{name}")).replace('_', "-");
        let kms_arn = create_kms_key(&endpoint);
        create_table(&ddb, &table, &kms_arn).await;
        s3.create_bucket()
            .bucket(&bucket)
            .send()
            .await
            .expect("create bucket");
        s3.put_bucket_versioning()
            .bucket(&bucket)
            .versioning_configuration(
                aws_sdk_s3::types::VersioningConfiguration::builder()
                    .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .expect("enable versioning");

        let app_sdk = sdk_config(&endpoint, &settings, http).await;
        let metrics = Arc::new(Mutex::new(Vec::new()));
        let app = App::new(
            PaymentStore::new(lambda::aws::dynamodb_client(&app_sdk), &table),
            AuditWriter::new(
                lambda::aws::s3_client(&app_sdk),
                &bucket,
                PREFIX,
                &kms_arn,
                "test",
            ),
            Metrics::new("Payments", "test", MetricsSink::Memory(metrics.clone())),
        );
        Env {
            table,
            bucket,
            kms_arn,
            app,
            ddb,
            s3,
            metrics,
            endpoint,
        }
    }

    /// Another app over the same resources, without injected faults.
    pub async fn clean_app(&self) -> App {
        let sdk = sdk_config(&self.endpoint, &fast_settings(), None).await;
        App::new(
            PaymentStore::new(lambda::aws::dynamodb_client(&sdk), &self.table),
            AuditWriter::new(
                lambda::aws::s3_client(&sdk),
                &self.bucket,
                PREFIX,
                &self.kms_arn,
                "test",
            ),
            Metrics::new(
                "Payments",
                "test",
                MetricsSink::Memory(self.metrics.clone()),
            ),
        )
    }

    /// How many EMF lines carry `metric`.
    pub fn metric_count(&self, metric: &str) -> usize {
        let needle = format!("\"{metric}\":");
        self.metrics
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.contains(&needle))
            .count()
    }

    /// Every item stored under `payment_id` (marker included).
    pub async fn items(
        &self,
        payment_id: &str,
    ) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        use aws_sdk_dynamodb::types::AttributeValue;
        self.ddb
            .query()
            .table_name(&self.table)
            .key_condition_expression("payment_id = :p")
            .expression_attribute_values(":p", AttributeValue::S(payment_id.into()))
            .consistent_read(true)
            .send()
            .await
            .unwrap()
            .items()
            .to_vec()
    }

    /// Every audit object key (current versions) and the number of versions in the bucket.
    pub async fn audit_objects(&self) -> (Vec<String>, usize) {
        let listed = self
            .s3
            .list_objects_v2()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
        let keys = listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect();
        let versions = self
            .s3
            .list_object_versions()
            .bucket(&self.bucket)
            .send()
            .await
            .unwrap();
        (keys, versions.versions().len())
    }
}

/// Creates the table as the stack does: keys, `status-index`, a stream and SSE with KMS.
pub async fn create_table(ddb: &aws_sdk_dynamodb::Client, table: &str, kms_arn: &str) {
    let attr = |n: &str, t| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(t)
            .build()
            .unwrap()
    };
    let key = |n: &str, t| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .unwrap()
    };
    ddb.create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(attr("payment_id", ScalarAttributeType::S))
        .attribute_definitions(attr("timestamp", ScalarAttributeType::N))
        .attribute_definitions(attr("status", ScalarAttributeType::S))
        .key_schema(key("payment_id", KeyType::Hash))
        .key_schema(key("timestamp", KeyType::Range))
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("status-index")
                .key_schema(key("status", KeyType::Hash))
                .key_schema(key("timestamp", KeyType::Range))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewAndOldImages)
                .build()
                .unwrap(),
        )
        .sse_specification(
            SseSpecification::builder()
                .enabled(true)
                .sse_type(SseType::Kms)
                .kms_master_key_id(kms_arn)
                .build(),
        )
        .send()
        .await
        .expect("create table");
}

/// The client's API key in every event (API Gateway forwards the `x-api-key` header and puts
/// the key in `identity.apiKey`); it must never reach the logs.
pub const API_KEY: &str = "apikeySECRETvalue0123456789";

/// An API Gateway REST proxy event as JSON, with the client's [`API_KEY`] header.
pub fn event_json(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Value {
    static N: AtomicUsize = AtomicUsize::new(0);
    let request_id = format!(
        "req-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let headers: serde_json::Map<String, Value> = [("x-api-key", API_KEY)]
        .iter()
        .chain(headers)
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect();
    let multi: serde_json::Map<String, Value> = headers
        .iter()
        .map(|(k, v)| (k.clone(), json!([v])))
        .collect();
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let query: serde_json::Map<String, Value> = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    let multi_query: serde_json::Map<String, Value> =
        query.iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
    let (query, multi_query) = if query.is_empty() {
        (Value::Null, Value::Null)
    } else {
        (Value::Object(query), Value::Object(multi_query))
    };
    let (resource, path_parameters) = match path.strip_prefix("/payments/") {
        Some(id) => ("/payments/{payment_id}", json!({"payment_id": id})),
        None => (path, Value::Null),
    };
    json!({
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": multi,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": path_parameters,
        "stageVariables": null,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": method,
            "path": format!("/prod{path}"),
            "stage": "prod",
            "requestId": request_id,
            "accountId": "123456789012",
            "apiId": "abc123",
            "identity": {"sourceIp": "127.0.0.1", "apiKey": API_KEY},
            "protocol": "HTTP/1.1",
            "requestTimeEpoch": 1_700_000_000_000i64
        },
        "body": body,
        "isBase64Encoded": false
    })
}

/// An API Gateway REST proxy request as the handler receives it.
pub fn event(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> lambda_http::Request {
    lambda_http::request::from_str(&event_json(method, path, headers, body).to_string()).unwrap()
}

/// `POST /payments` with a JSON body.
pub fn post(body: &Value) -> lambda_http::Request {
    event(
        "POST",
        "/payments",
        &[("Content-Type", "application/json")],
        Some(&body.to_string()),
    )
}

/// A valid body for `payment_id`.
pub fn payment(payment_id: &str, amount: u64) -> Value {
    json!({
        "payment_id": payment_id,
        "amount": amount,
        "currency": "EUR",
        "merchant_id": "merchant_1",
        "customer_id": "customer_1",
        "card_token": "tok_SECRETtoken1234",
        "description": "integration test"
    })
}

/// Status, headers and JSON body of a response.
pub fn parts(
    r: lambda_http::Response<lambda_http::Body>,
) -> (u16, lambda_http::http::HeaderMap, Value) {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = match r.body() {
        lambda_http::Body::Text(t) => serde_json::from_str(t).unwrap(),
        lambda_http::Body::Binary(b) => serde_json::from_slice(b).unwrap(),
        lambda_http::Body::Empty => Value::Null,
        _ => Value::Null,
    };
    (status, headers, body)
}

/// What a [`FaultyHttp`] does to a planned request.
#[derive(Debug, Clone, Default)]
pub enum FaultAction {
    /// Answer with the plan's status and body without reaching the emulator.
    #[default]
    Respond,
    /// Send the request on (so the write is applied), then answer with the plan's status and
    /// body instead of the emulator's response: a response lost after the write.
    ApplyThenRespond,
    /// Send the request on, then hold the emulator's response this long (past the attempt
    /// timeout, the SDK gives up on it and retries against its own write).
    ApplyThenDelay(Duration),
    /// Hold the request at `gate` until the test opens it, then send it on.
    Hold(Gate),
    /// Panic inside the SDK call (exercises the handler's panic guard).
    Panic,
}

/// A gate a held request waits at: the test learns when a request arrived and decides when
/// it goes through, so interleavings are deterministic rather than timed.
#[derive(Debug, Clone, Default)]
pub struct Gate {
    arrived: Arc<tokio::sync::Notify>,
    arrived_count: Arc<AtomicUsize>,
    open: Arc<tokio::sync::Notify>,
    opened: Arc<std::sync::atomic::AtomicBool>,
}

impl Gate {
    /// Waits until a request is held at the gate (bounded: panics after `limit`).
    pub async fn arrived(&self, limit: Duration) {
        let wait = async {
            while self.arrived_count.load(Ordering::SeqCst) == 0 {
                self.arrived.notified().await;
            }
        };
        tokio::time::timeout(limit, wait)
            .await
            .expect("no request reached the gate in time");
    }

    /// Lets every held (and later) request through.
    pub fn open(&self) {
        self.opened.store(true, Ordering::SeqCst);
        self.open.notify_waiters();
    }

    async fn pass(&self) {
        self.arrived_count.fetch_add(1, Ordering::SeqCst);
        self.arrived.notify_waiters();
        loop {
            let notified = self.open.notified();
            if self.opened.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }
}

/// Which requests a [`FaultyHttp`] fails, and how.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Fails requests whose `X-Amz-Target` ends with this (DynamoDB), or whose method is this
    /// and which have no target (S3: `PUT`).
    pub matches: &'static str,
    /// How many matching requests go through untouched before the plan applies.
    pub skip: usize,
    /// How many matching requests fail (after `skip`) before the rest go through
    /// (`usize::MAX`: all).
    pub failures: usize,
    /// HTTP status of the injected response.
    pub status: u16,
    /// Body of the injected response.
    pub body: &'static str,
    /// What happens to a planned request.
    pub action: FaultAction,
}

/// An HTTP client that fails planned requests before they reach the emulator (or after: see
/// [`FaultAction`]) and sends the others on, counting both. The SDK's retry logic sees the
/// injected responses exactly as it would see real throttling, server errors or lost responses.
#[derive(Debug, Clone)]
pub struct FaultyHttp {
    inner: SharedHttpClient,
    plan: FaultPlan,
    /// Requests failed so far.
    pub injected: Arc<AtomicUsize>,
    /// Matching requests seen so far (failed or not).
    pub matched: Arc<AtomicUsize>,
}

impl FaultyHttp {
    /// A client following `plan`.
    pub fn new(plan: FaultPlan) -> Self {
        Self {
            inner: aws_smithy_http_client::Builder::new().build_http(),
            plan,
            injected: Arc::default(),
            matched: Arc::default(),
        }
    }

    /// As a shared client for the SDK.
    pub fn shared(&self) -> SharedHttpClient {
        SharedHttpClient::new(self.clone())
    }
}

impl HttpClient for FaultyHttp {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            client: self.clone(),
        })
    }
}

#[derive(Debug)]
struct FaultyConnector {
    inner: SharedHttpConnector,
    client: FaultyHttp,
}

impl HttpConnector for FaultyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let plan = &self.client.plan;
        let target = request.headers().get("x-amz-target");
        let is_match = match target {
            Some(t) => t.ends_with(plan.matches),
            None => request.method() == plan.matches,
        };
        if !is_match {
            return self.inner.call(request);
        }
        let n = self.client.matched.fetch_add(1, Ordering::SeqCst);
        if n < plan.skip || n - plan.skip >= plan.failures {
            return self.inner.call(request);
        }
        self.client.injected.fetch_add(1, Ordering::SeqCst);
        let content_type = if target.is_some() {
            "application/x-amz-json-1.0"
        } else {
            "application/xml"
        };
        let injected = move || {
            let mut response = aws_smithy_runtime_api::http::Response::new(
                plan.status.try_into().unwrap(),
                SdkBody::from(plan.body),
            );
            response.headers_mut().insert("content-type", content_type);
            response
        };
        match &plan.action {
            FaultAction::Respond => HttpConnectorFuture::ready(Ok(injected())),
            FaultAction::Panic => panic!("injected panic"),
            FaultAction::ApplyThenRespond => {
                let applied = self.inner.call(request);
                let response = injected();
                HttpConnectorFuture::new(async move {
                    let _lost = applied.await;
                    Ok(response)
                })
            }
            FaultAction::ApplyThenDelay(delay) => {
                let applied = self.inner.call(request);
                let delay = *delay;
                HttpConnectorFuture::new(async move {
                    // Wait for the emulator to apply the write even if the SDK stops polling
                    // this attempt: the write happens on a task of its own.
                    let response = tokio::spawn(applied).await.unwrap();
                    tokio::time::sleep(delay).await;
                    response
                })
            }
            FaultAction::Hold(gate) => {
                let gate = gate.clone();
                let inner = self.inner.clone();
                HttpConnectorFuture::new(async move {
                    gate.pass().await;
                    inner.call(request).await
                })
            }
        }
    }
}

/// An HTTP client that lets one request at a time reach the emulator.
///
/// moto is a threaded Python server without per-table locking, so two concurrent conditional
/// writes to one item can both pass their condition; DynamoDB makes each single-item write
/// atomic. Concurrency tests use this client to give moto that property back: the *handlers*
/// still run concurrently and interleave their steps, only each emulator call is atomic.
#[derive(Debug, Clone)]
pub struct SerializedHttp {
    inner: SharedHttpClient,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl SerializedHttp {
    /// A new client with its own lock, as a shared client for the SDK.
    pub fn shared() -> SharedHttpClient {
        SharedHttpClient::new(Self {
            inner: aws_smithy_http_client::Builder::new().build_http(),
            lock: Arc::default(),
        })
    }
}

impl HttpClient for SerializedHttp {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(SerializedConnector {
            inner: self.inner.http_connector(settings, components),
            lock: self.lock.clone(),
        })
    }
}

#[derive(Debug)]
struct SerializedConnector {
    inner: SharedHttpConnector,
    lock: Arc<tokio::sync::Mutex<()>>,
}

impl HttpConnector for SerializedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let lock = self.lock.clone();
        HttpConnectorFuture::new(async move {
            let _one_at_a_time = lock.lock().await;
            inner.call(request).await
        })
    }
}
