//! The request handler: routing, the create/read/health flows and the mapping of every outcome
//! to an HTTP response with a JSON body and the request id.
//!
//! # Write order
//!
//! `POST /payments` writes DynamoDB first (idempotency marker, then the record with status `PENDING_AUDIT`, see
//! [`crate::store`]), then the S3 audit object, then flips the status to `ACCEPTED`. `201` is
//! returned only after both conditional DynamoDB writes succeeded, so every acknowledged payment is in
//! the table. If the audit write fails, the payment stays `PENDING_AUDIT` (queryable through
//! `status-index`), the failure reason is recorded on the item, `AuditWriteFailed` is emitted,
//! and the client still gets `201`: the payment *is* stored. The gap is closed by the next
//! identical retry (which re-attempts the audit) or by [`crate::reconcile`], which the stack
//! schedules and whose `AuditPendingOverdue` metric is alarmed.
//!
//! No `201` leaves a `PENDING_AUDIT` record unnoticed: the creating request and every replay
//! of a pending record attempt the audit write (create-only, so concurrent attempts leave one
//! object), and an attempt that fails or runs out of time logs `audit write failed` (the
//! `AuditGaps` metric filter and alarm) besides leaving the record in `status-index`.
//!
//! # Deadline
//!
//! Every request runs under a [`Budget`] that ends before the invocation's deadline. The
//! DynamoDB phase running out answers `503` + `Retry-After` (what is stored then is a marker,
//! or a marker and a record: the retry completes either). The audit phase running out answers
//! `201 PENDING_AUDIT`, since the payment is stored, and records the gap.

use crate::audit::{AuditOutcome, AuditWriter};
use crate::deadline::Budget;
use crate::metrics::{Metric, Metrics};
use crate::model::{PaymentRecord, PaymentRequest, PaymentStatus};
use crate::store::{CreateOutcome, PaymentStore, StoreError};
use crate::time::now_millis;
use crate::validation::{self, FieldError, RequestError};
use futures_util::FutureExt;
use lambda_http::http::{HeaderValue, Method, StatusCode, header};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Context, Request, RequestExt, Response};
use serde_json::{Value, json};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

/// Seconds advertised in `Retry-After` on `503`.
pub const RETRY_AFTER_SECS: u32 = 1;

/// The handler's dependencies. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    inner: Arc<Inner>,
    read_only_hosts: Arc<[String]>,
}

#[derive(Debug)]
struct Inner {
    store: PaymentStore,
    audit: AuditWriter,
    metrics: Metrics,
}

/// A route the handler knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `POST /payments`.
    CreatePayment,
    /// `GET /payments/{payment_id}`.
    GetPayment(String),
    /// `GET /health`.
    Health,
    /// A known path with the wrong method; the allowed method.
    MethodNotAllowed(&'static str),
    /// Anything else.
    NotFound,
}

/// Maps a method and path (without the stage) to a [`Route`].
pub fn route(method: &Method, path: &str) -> Route {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (segments.as_slice(), method) {
        (["payments"], &Method::POST) => Route::CreatePayment,
        (["payments"], _) => Route::MethodNotAllowed("POST"),
        (["payments", id], &Method::GET) => Route::GetPayment((*id).to_owned()),
        (["payments", _], _) => Route::MethodNotAllowed("GET"),
        (["health"], &Method::GET) => Route::Health,
        (["health"], _) => Route::MethodNotAllowed("GET"),
        _ => Route::NotFound,
    }
}

impl App {
    /// An app over `store`, `audit` and `metrics`.
    pub fn new(store: PaymentStore, audit: AuditWriter, metrics: Metrics) -> Self {
        Self {
            inner: Arc::new(Inner {
                store,
                audit,
                metrics,
            }),
            read_only_hosts: Arc::from(Vec::new()),
        }
    }

    /// Refuses `POST /payments` with `421` on these host names (lower case): the
    /// latency-routed host sends requests to either region, and a payment must be written
    /// where its idempotency check runs, through the failover host.
    pub fn read_only_on(mut self, hosts: Vec<String>) -> Self {
        self.read_only_hosts = Arc::from(hosts);
        self
    }

    /// `true` when the request came in on a read-only host name.
    fn on_read_only_host(&self, req: &Request) -> bool {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| h.split(':').next().unwrap_or_default().to_ascii_lowercase());
        host.is_some_and(|h| self.read_only_hosts.contains(&h))
    }

    /// The store.
    pub fn store(&self) -> &PaymentStore {
        &self.inner.store
    }

    /// The audit writer.
    pub fn audit(&self) -> &AuditWriter {
        &self.inner.audit
    }

    /// The metrics emitter.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Handles one API Gateway request. Never panics and never fails: a panic inside is caught
    /// and answered with `500`. The budget ends before the deadline of the request's Lambda
    /// context (or after [`crate::deadline::DEFAULT_BUDGET`] without one).
    pub async fn handle(&self, req: Request) -> Response<Body> {
        let deadline_ms = req.lambda_context_ref().map_or(0, |c| c.deadline);
        let budget = Budget::until_epoch_millis(deadline_ms);
        tracing::debug!(
            deadline_ms,
            now_ms = now_millis(),
            budget_ms = u64::try_from(budget.remaining().as_millis()).unwrap_or(u64::MAX),
            "request budget"
        );
        self.handle_within(req, &budget).await
    }

    /// As [`App::handle`], within `budget`.
    pub async fn handle_within(&self, req: Request, budget: &Budget) -> Response<Body> {
        let started = Instant::now();
        let request_id = request_id(&req);
        let path = req.raw_http_path().to_owned();
        let path = if path.is_empty() {
            req.uri().path().to_owned()
        } else {
            path
        };
        let route = route(req.method(), &path);
        let operation = match &route {
            Route::CreatePayment => "CreatePayment",
            Route::GetPayment(_) => "GetPayment",
            Route::Health => "Health",
            Route::MethodNotAllowed(_) | Route::NotFound => "Unrouted",
        };
        let span = tracing::info_span!("request", request_id = %request_id, operation);
        let work = AssertUnwindSafe(self.dispatch(route, &req, &request_id, budget)).catch_unwind();
        let response = match work.instrument(span.clone()).await {
            Ok(r) => r,
            Err(_) => {
                self.inner
                    .metrics
                    .emit(operation, &[(Metric::PaymentFailed, 1.0)]);
                error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "internal error",
                    &request_id,
                )
            }
        };
        // Microsecond precision: a float with 17 significant digits could read as a card
        // number to the log redaction.
        let elapsed_ms = (started.elapsed().as_secs_f64() * 1_000_000.0).round() / 1000.0;
        self.inner
            .metrics
            .emit(operation, &[(Metric::Latency, elapsed_ms)]);
        span.in_scope(|| {
            tracing::info!(
                status = response.status().as_u16(),
                elapsed_ms,
                "request finished"
            )
        });
        with_common_headers(response, &request_id)
    }

    /// Handles one raw event as the Lambda runtime delivers it and returns the API Gateway
    /// REST proxy response. An event `lambda_http` cannot turn into a request (not an API
    /// Gateway event, or a body flagged base64 that is not base64, on which `lambda_http`
    /// panics) is answered with `400 invalid_event` instead of a runtime error (a `502` at API
    /// Gateway).
    ///
    /// The scheduled reconcile event ([`crate::reconcile::Job`]) runs one reconciliation pass
    /// within the invocation's budget instead and returns its report.
    pub async fn handle_event(&self, event: &Value, context: Context) -> Value {
        if let Some(job) = crate::reconcile::Job::from_event(event) {
            let budget = Budget::until_epoch_millis(context.deadline);
            return crate::reconcile::run_job(self, &job, &budget).await;
        }
        let text = event.to_string();
        let parsed = std::panic::catch_unwind(|| lambda_http::request::from_str(&text));
        let response = match parsed {
            Ok(Ok(req)) => self.handle(req.with_lambda_context(context)).await,
            _ => {
                let request_id = event
                    .pointer("/requestContext/requestId")
                    .and_then(Value::as_str)
                    .filter(|id| id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()))
                    .unwrap_or(&context.request_id)
                    .to_owned();
                tracing::warn!(request_id = %request_id, "unreadable event");
                self.inner
                    .metrics
                    .emit("Unrouted", &[(Metric::PaymentRejected, 1.0)]);
                with_common_headers(
                    error(
                        StatusCode::BAD_REQUEST,
                        "invalid_event",
                        "the request could not be read",
                        &request_id,
                    ),
                    &request_id,
                )
            }
        };
        proxy_response(response)
    }

    async fn dispatch(
        &self,
        route: Route,
        req: &Request,
        request_id: &str,
        budget: &Budget,
    ) -> Response<Body> {
        match route {
            Route::CreatePayment if self.on_read_only_host(req) => error(
                StatusCode::MISDIRECTED_REQUEST,
                "read_only_host",
                "this host name serves reads only: send payments to the failover host name",
                request_id,
            ),
            Route::CreatePayment => self.create(req, request_id, budget).await,
            Route::GetPayment(id) => match budget
                .run(self.get(&id, merchant_of(req).as_deref(), request_id))
                .await
            {
                Ok(r) => r,
                Err(_) => self.deadline_reached("GetPayment", request_id),
            },
            Route::Health => match budget.run(self.health(request_id)).await {
                Ok(r) => r,
                Err(_) => self.deadline_reached("Health", request_id),
            },
            Route::MethodNotAllowed(allow) => {
                let mut r = error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    &format!("use `{allow}`"),
                    request_id,
                );
                r.headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static(allow));
                r
            }
            Route::NotFound => error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such route",
                request_id,
            ),
        }
    }

    async fn create(&self, req: &Request, request_id: &str, budget: &Budget) -> Response<Body> {
        let metrics = &self.inner.metrics;
        let parsed = parse_create_request(req);
        let payment = match parsed {
            Ok(p) => p,
            Err(e) => {
                metrics.emit("CreatePayment", &[(Metric::PaymentRejected, 1.0)]);
                tracing::info!(code = e.code, status = e.status, "request rejected");
                return request_error(&e, request_id);
            }
        };
        let record = PaymentRecord::new(payment, now_millis(), request_id);
        tracing::info!(
            payment_id = %record.payment_id,
            amount = record.amount,
            currency = %record.currency,
            merchant_id = %record.merchant_id,
            "creating payment"
        );
        let Ok(stored) = budget.run(self.inner.store.create(&record)).await else {
            // Nothing was acknowledged; a marker, or a marker and a record, may be stored, and
            // the client's retry completes either.
            return self.deadline_reached("CreatePayment", request_id);
        };
        match stored {
            Ok(CreateOutcome::Created) => {
                let stored = self.audit_within(record, "CreatePayment", budget).await;
                metrics.emit("CreatePayment", &[(Metric::PaymentCreated, 1.0)]);
                tracing::info!(payment_id = %stored.payment_id, status = stored.status.as_str(), "payment created");
                payment_response(StatusCode::CREATED, &stored, false)
            }
            Ok(CreateOutcome::Existing(stored)) => {
                // A pending record is audited now: it may be the claimant's, still being
                // audited (the write is create-only, so both attempts leave one object), or a
                // gap nobody else will close before reconciliation.
                let stored = if stored.status == PaymentStatus::PendingAudit {
                    self.audit_within(*stored, "RepairAudit", budget).await
                } else {
                    *stored
                };
                metrics.emit("CreatePayment", &[(Metric::PaymentReplayed, 1.0)]);
                tracing::info!(payment_id = %stored.payment_id, "idempotent replay");
                payment_response(StatusCode::CREATED, &stored, true)
            }
            Ok(CreateOutcome::Conflict) => {
                metrics.emit("CreatePayment", &[(Metric::PaymentConflict, 1.0)]);
                tracing::warn!(payment_id = %record.payment_id, "idempotency conflict");
                error(
                    StatusCode::CONFLICT,
                    "idempotency_conflict",
                    "a different request with this payment id or idempotency key was already processed",
                    request_id,
                )
            }
            Err(e) => self.store_failure("CreatePayment", &e, request_id),
        }
    }

    /// [`App::audit_and_mark`] within `budget`. When the budget runs out the record is
    /// returned as `PENDING_AUDIT` and the gap is logged and counted like a failed write (there
    /// is no time left to record it on the item; the status already makes it visible to
    /// reconciliation).
    async fn audit_within(
        &self,
        record: PaymentRecord,
        op: &'static str,
        budget: &Budget,
    ) -> PaymentRecord {
        let payment_id = record.payment_id.clone();
        let pending = record.clone();
        match budget.run(self.audit_and_mark(record, op)).await {
            Ok(r) => r,
            Err(_) => {
                tracing::error!(payment_id = %payment_id, "audit write failed: request deadline reached; payment left PENDING_AUDIT");
                self.inner
                    .metrics
                    .emit(op, &[(Metric::AuditWriteFailed, 1.0)]);
                pending
            }
        }
    }

    /// `503` + `Retry-After` for a request whose budget ran out.
    fn deadline_reached(&self, operation: &str, request_id: &str) -> Response<Body> {
        self.inner
            .metrics
            .emit(operation, &[(Metric::DependencyUnavailable, 1.0)]);
        tracing::warn!("request deadline reached");
        unavailable(
            "the request could not be completed in time; retry with the same request",
            request_id,
        )
    }

    /// Writes the audit object and marks the record `ACCEPTED`, counting metrics under `op`
    /// (`CreatePayment`, `RepairAudit`, `Reconcile`). On failure the record stays
    /// `PENDING_AUDIT` and the reason is recorded on it; the (stored) payment is returned either way.
    pub async fn audit_and_mark(&self, mut record: PaymentRecord, op: &str) -> PaymentRecord {
        let metrics = &self.inner.metrics;
        let repair = op != "CreatePayment";
        match self.inner.audit.write(&record).await {
            Ok((key, outcome)) => {
                match self
                    .inner
                    .store
                    .mark_audited(&record, &key, now_millis())
                    .await
                {
                    Ok(_) => {
                        record.status = PaymentStatus::Accepted;
                        record.audit_key = Some(key);
                        if repair && outcome == AuditOutcome::Written {
                            metrics.emit(op, &[(Metric::AuditRepaired, 1.0)]);
                        }
                    }
                    Err(e) => {
                        // The object exists; the next repair finds it (412) and flips the status.
                        tracing::error!(payment_id = %record.payment_id, error = %e, "audit written but status update failed");
                        metrics.emit(op, &[(Metric::AuditWriteFailed, 1.0)]);
                    }
                }
            }
            Err(fault) => {
                tracing::error!(payment_id = %record.payment_id, error = %fault, "audit write failed; payment left PENDING_AUDIT");
                metrics.emit(op, &[(Metric::AuditWriteFailed, 1.0)]);
                if let Err(e) = self
                    .inner
                    .store
                    .record_audit_failure(&record, &fault.to_string(), now_millis())
                    .await
                {
                    tracing::error!(payment_id = %record.payment_id, error = %e, "could not record the audit failure");
                }
            }
        }
        record
    }

    /// `GET /payments/{payment_id}?merchant_id=…`: reads are scoped by merchant, and another
    /// merchant's payment is `404` exactly like a missing one.
    async fn get(
        &self,
        payment_id: &str,
        merchant_id: Option<&str>,
        request_id: &str,
    ) -> Response<Body> {
        let rejected = |code, message| {
            self.inner
                .metrics
                .emit("GetPayment", &[(Metric::PaymentRejected, 1.0)]);
            error(StatusCode::BAD_REQUEST, code, message, request_id)
        };
        if !validation::is_id(payment_id) {
            return rejected(
                "invalid_payment_id",
                "payment id must be 1 to 64 characters of `A-Z a-z 0-9 _ -`",
            );
        }
        let Some(merchant_id) = merchant_id.filter(|m| validation::is_id(m)) else {
            return rejected(
                "invalid_merchant_id",
                "the `merchant_id` query parameter is required: 1 to 64 characters of `A-Z a-z 0-9 _ -`",
            );
        };
        match self.inner.store.get(payment_id).await {
            Ok(Some(record)) if record.merchant_id == merchant_id => {
                payment_response(StatusCode::OK, &record, false)
            }
            Ok(_) => error(
                StatusCode::NOT_FOUND,
                "payment_not_found",
                "no such payment",
                request_id,
            ),
            Err(e) => self.store_failure("GetPayment", &e, request_id),
        }
    }

    /// `GET /health`: the DynamoDB probe and the audit-path probe, concurrently.
    async fn health(&self, request_id: &str) -> Response<Body> {
        let (table, audit) =
            futures_util::future::join(self.inner.store.health(), self.inner.audit.probe()).await;
        if let Err(e) = &table {
            tracing::error!(error = %e, dependency = "table", "health check failed");
        }
        if let Err(e) = &audit {
            tracing::error!(error = %e, dependency = "audit", "health check failed");
        }
        if table.is_ok() && audit.is_ok() {
            return json_response(StatusCode::OK, &json!({"status": "ok"}));
        }
        self.inner
            .metrics
            .emit("Health", &[(Metric::HealthCheckFailed, 1.0)]);
        let mut r = json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "unavailable", "request_id": request_id}),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        r
    }

    fn store_failure(&self, operation: &str, e: &StoreError, request_id: &str) -> Response<Body> {
        if e.is_transient() {
            self.inner
                .metrics
                .emit(operation, &[(Metric::DependencyUnavailable, 1.0)]);
            tracing::warn!(error = %e, "dependency unavailable after retries");
            unavailable(
                "the payment store is temporarily unavailable; retry with the same request",
                request_id,
            )
        } else {
            self.inner
                .metrics
                .emit(operation, &[(Metric::PaymentFailed, 1.0)]);
            tracing::error!(error = %e, "store failure");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "internal error",
                request_id,
            )
        }
    }
}

/// Extracts `Content-Type`, `Idempotency-Key` and the body from `req` and validates them.
/// A header that is not visible ASCII, or a repeated `Idempotency-Key`, fails validation.
pub fn parse_create_request(req: &Request) -> Result<PaymentRequest, RequestError> {
    const INVALID: &str = "\u{0}";
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or(INVALID));
    let mut keys = req.headers().get_all("idempotency-key").iter();
    let idempotency_key = match (keys.next(), keys.next()) {
        (None, _) => None,
        (Some(v), None) => Some(v.to_str().unwrap_or(INVALID)),
        (Some(_), Some(_)) => Some(INVALID),
    };
    validation::parse_create(content_type, idempotency_key, req.body().as_ref())
}

/// The `merchant_id` query parameter (the first, when repeated).
fn merchant_of(req: &Request) -> Option<String> {
    req.query_string_parameters_ref()
        .and_then(|q| q.first("merchant_id"))
        .map(str::to_owned)
}

/// The request id: API Gateway's (what the client sees), else the Lambda invocation's.
pub fn request_id(req: &Request) -> String {
    let from_gateway = match req.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(ctx)) => ctx.request_id.clone(),
        _ => None,
    };
    from_gateway
        .or_else(|| req.lambda_context_ref().map(|c| c.request_id.clone()))
        .filter(|id| !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The REST proxy integration's response document for `r`.
pub fn proxy_response(r: Response<Body>) -> Value {
    let mut headers = serde_json::Map::new();
    let mut multi = serde_json::Map::new();
    for (name, value) in r.headers() {
        let Ok(v) = value.to_str() else { continue };
        headers.insert(name.as_str().to_owned(), json!(v));
        if let Some(values) = multi
            .entry(name.as_str().to_owned())
            .or_insert_with(|| json!([]))
            .as_array_mut()
        {
            values.push(json!(v));
        }
    }
    let body = match r.body() {
        Body::Text(t) => Value::String(t.clone()),
        Body::Binary(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
        _ => Value::Null,
    };
    json!({
        "statusCode": r.status().as_u16(),
        "headers": headers,
        "multiValueHeaders": multi,
        "body": body,
        "isBase64Encoded": false,
    })
}

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response<Body> {
    let mut r = Response::new(Body::Text(body.to_string()));
    *r.status_mut() = status;
    r
}

fn payment_response(status: StatusCode, record: &PaymentRecord, replayed: bool) -> Response<Body> {
    let body = serde_json::to_value(record.view()).unwrap_or_default();
    let mut r = json_response(status, &body);
    if replayed {
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    r
}

/// `503 service_unavailable` with `Retry-After`.
fn unavailable(message: &str, request_id: &str) -> Response<Body> {
    let mut r = error(
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
        message,
        request_id,
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    r
}

/// A JSON error response: `{"error": {"code", "message"}, "request_id"}`.
pub fn error(status: StatusCode, code: &str, message: &str, request_id: &str) -> Response<Body> {
    json_response(
        status,
        &json!({"error": {"code": code, "message": message}, "request_id": request_id}),
    )
}

fn request_error(e: &RequestError, request_id: &str) -> Response<Body> {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut body =
        json!({"error": {"code": e.code, "message": e.message}, "request_id": request_id});
    if !e.fields.is_empty() {
        body["error"]["fields"] =
            serde_json::to_value::<&[FieldError]>(&e.fields).unwrap_or_default();
    }
    json_response(status, &body)
}

fn with_common_headers(mut r: Response<Body>, request_id: &str) -> Response<Body> {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-request-id", v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        let cases = [
            (Method::POST, "/payments", Route::CreatePayment),
            (Method::POST, "/payments/", Route::CreatePayment),
            (Method::GET, "/payments", Route::MethodNotAllowed("POST")),
            (Method::GET, "/payments/p1", Route::GetPayment("p1".into())),
            (
                Method::DELETE,
                "/payments/p1",
                Route::MethodNotAllowed("GET"),
            ),
            (Method::GET, "/health", Route::Health),
            (Method::POST, "/health", Route::MethodNotAllowed("GET")),
            (Method::GET, "/", Route::NotFound),
            (Method::GET, "/payments/a/b", Route::NotFound),
            (Method::GET, "", Route::NotFound),
        ];
        for (m, p, want) in cases {
            assert_eq!(route(&m, p), want, "{m} {p}");
        }
    }
}
