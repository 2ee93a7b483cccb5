//! The S3 audit trail: one SSE-KMS encrypted JSON object per payment, under a date-partitioned
//! key `{AUDIT_PREFIX}year=YYYY/month=MM/day=DD/{payment_id}.json`.
//!
//! The key depends only on the stored record (its creation date and id), so re-writing an audit
//! object during repair targets the same key; `If-None-Match: *` makes the write create-only,
//! so concurrent or repeated repairs leave exactly one object (one version in a versioned bucket).

use crate::aws::{Fault, classify};
use crate::model::PaymentRecord;
use crate::time::UtcDateTime;
use aws_sdk_s3::Client;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use serde::Serialize;

/// Whether [`AuditWriter::write`] created the object or found it already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// This call created the object.
    Written,
    /// The object existed (an earlier attempt or a concurrent repair wrote it).
    AlreadyPresent,
}

/// Writes audit objects.
#[derive(Debug, Clone)]
pub struct AuditWriter {
    client: Client,
    bucket: String,
    prefix: String,
    kms_key_arn: String,
    environment: String,
}

/// The audit object's JSON. No card token: only its masked form.
#[derive(Debug, Serialize)]
pub struct AuditRecord<'a> {
    /// Format version of this object.
    pub schema_version: u32,
    /// Always `payment.created`.
    pub event: &'static str,
    /// Environment suffix.
    pub environment: &'a str,
    /// Payment id.
    pub payment_id: &'a str,
    /// Creation time, epoch milliseconds (the record's sort key).
    pub timestamp: i64,
    /// Creation time, RFC 3339.
    pub created_at: &'a str,
    /// Amount in minor units.
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: &'a str,
    /// Merchant id.
    pub merchant_id: &'a str,
    /// Customer id.
    pub customer_id: &'a str,
    /// The token, masked.
    pub card_token_masked: String,
    /// Request fingerprint.
    pub request_hash: &'a str,
    /// Request id that created the payment.
    pub request_id: &'a str,
}

impl AuditWriter {
    /// A writer to `bucket` under `prefix`, encrypting with `kms_key_arn`.
    pub fn new(
        client: Client,
        bucket: impl Into<String>,
        prefix: impl Into<String>,
        kms_key_arn: impl Into<String>,
        environment: impl Into<String>,
    ) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            prefix: prefix.into(),
            kms_key_arn: kms_key_arn.into(),
            environment: environment.into(),
        }
    }

    /// The object key for `record`.
    pub fn key_for(&self, record: &PaymentRecord) -> String {
        audit_key(&self.prefix, record)
    }

    /// Writes the audit object of `record` (create-only, SSE-KMS with the configured key).
    pub async fn write(&self, record: &PaymentRecord) -> Result<(String, AuditOutcome), Fault> {
        let key = self.key_for(record);
        let body = AuditRecord {
            schema_version: 1,
            event: "payment.created",
            environment: &self.environment,
            payment_id: &record.payment_id,
            timestamp: record.timestamp,
            created_at: &record.created_at,
            amount: record.amount,
            currency: &record.currency,
            merchant_id: &record.merchant_id,
            customer_id: &record.customer_id,
            card_token_masked: record.card_token.masked(),
            request_hash: &record.request_hash,
            request_id: &record.request_id,
        };
        let bytes = serde_json::to_vec(&body)
            .map_err(|_| Fault::Permanent("audit serialization".into()))?;
        let outcome = self.put_create_only(&key, ByteStream::from(bytes)).await?;
        Ok((key, outcome))
    }

    /// A create-only (`If-None-Match: *`) SSE-KMS `PutObject` of `body` at `key`.
    async fn put_create_only(&self, key: &str, body: ByteStream) -> Result<AuditOutcome, Fault> {
        let result = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(body)
            .content_type("application/json")
            .server_side_encryption(ServerSideEncryption::AwsKms)
            .ssekms_key_id(&self.kms_key_arn)
            .bucket_key_enabled(true)
            .if_none_match("*")
            .send()
            .await;
        match result {
            Ok(_) => Ok(AuditOutcome::Written),
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 412) => {
                Ok(AuditOutcome::AlreadyPresent)
            }
            Err(e) => Err(classify(&e)),
        }
    }
}

impl AuditWriter {
    /// The key of the health probe's object, outside the `year=` partitions of audit records.
    pub fn probe_key(&self) -> String {
        format!("{}{PROBE_KEY}", self.prefix)
    }

    /// The audit-path health probe: a create-only `PutObject` of a fixed, tiny, non-payment
    /// object (`{prefix}_health/probe.json`), with the same SSE-KMS settings as an audit
    /// record. The first probe creates it; every later one is refused with `412` before
    /// anything is stored. Either answer proves credentials, the network path, the bucket, its
    /// policy and the `PutObject` grant; a denied key, a missing bucket or an unreachable S3
    /// fails it. The object is written once per bucket (one version), never again.
    pub async fn probe(&self) -> Result<(), Fault> {
        let body = ByteStream::from_static(b"{\"probe\":\"audit path health check\"}");
        self.put_create_only(&self.probe_key(), body)
            .await
            .map(|_| ())
    }
}

/// Where [`AuditWriter::probe`] writes, below the audit prefix.
pub const PROBE_KEY: &str = "_health/probe.json";

/// `{prefix}year=YYYY/month=MM/day=DD/{payment_id}.json`, from the record's creation time (UTC).
pub fn audit_key(prefix: &str, record: &PaymentRecord) -> String {
    let t = UtcDateTime::from_millis(record.timestamp);
    format!(
        "{prefix}year={:04}/month={:02}/day={:02}/{}.json",
        t.year, t.month, t.day, record.payment_id
    )
}
