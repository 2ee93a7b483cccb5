//! The DynamoDB side: idempotent creation, reads, status changes and the health probe.
//!
//! # Idempotency with a `timestamp` sort key
//!
//! The table's key is (`payment_id`, `timestamp`), and a retried request carries a new
//! timestamp, so `attribute_not_exists` on the record alone would happily store a second record
//! under the same `payment_id`. Each payment is therefore two items:
//!
//! - the **idempotency marker** (`payment_id`, `timestamp = 0`), holding the request
//!   fingerprint and the record's timestamp; it has no `status`, so `status-index` never sees it;
//! - the **record** (`payment_id`, `timestamp = T`), with `status = PENDING_AUDIT`.
//!
//! [`PaymentStore::create`] first puts the marker with `attribute_not_exists(payment_id)`. The
//! marker's key is the same for every attempt, so exactly one request per `payment_id` can
//! claim it, whatever the concurrency. The claimant then puts the record at the `T` it wrote
//! into the marker. A request that loses the claim reads the marker (strongly consistent):
//! a different fingerprint is a `409`; the same fingerprint is a replay, answered with the
//! record at (`payment_id`, `T`). If that record is missing (the claimant is still writing it,
//! or crashed before it could), the replay writes it itself at the same key with the same
//! content, conditionally, so both writers converge on one record.
//!
//! A failed condition is not taken to mean that another request won: the SDK retries an
//! attempt whose answer was lost or late against its own write. The marker carries a claim id
//! unique to the request, so the claimant recognises its own marker and stays the creator
//! ([`CreateOutcome::Created`]), whoever stored the record.
//!
//! Nothing is acknowledged before the record is stored, and a crash between the two writes
//! leaves only an unacknowledged marker, which the client's retry completes. This needs no
//! `TransactWriteItems` (half the write capacity, no transaction conflicts to retry), and
//! behaves the same on DynamoDB and on moto, whose transactions are not isolated (it restores
//! a snapshot of the whole table when one fails, undoing concurrent writes).

use crate::aws::{Fault, classify};
use crate::model::{CardToken, PaymentRecord, PaymentStatus};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::AttributeValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Sort-key value of the idempotency marker.
pub const MARKER_TIMESTAMP: i64 = 0;
/// Name of the status GSI.
pub const STATUS_INDEX: &str = "status-index";
/// Key used by the health probe; never written.
pub const HEALTH_KEY: &str = "__health__";

type Item = HashMap<String, AttributeValue>;

/// The idempotency marker as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    request_hash: String,
    record_timestamp: i64,
    /// The claiming request's [`claim_id`] (absent on markers written before it existed).
    claim_id: Option<String>,
    /// The claiming request's id.
    request_id: Option<String>,
}

/// A value no other create call can produce: the request id, the time in nanoseconds, a
/// process-wide counter and the standard library's per-process random hash keys, hashed.
fn claim_id(request_id: &str) -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let mut random = std::collections::hash_map::RandomState::new().build_hasher();
    random.write_u128(nanos);
    let mut h = Sha256::new();
    h.update(request_id.as_bytes());
    h.update(nanos.to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(random.finish().to_le_bytes());
    crate::model::hex(&h.finalize()[..16])
}

/// The outcome of [`PaymentStore::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// This call stored the payment.
    Created,
    /// The same request was stored before; here is what is stored.
    Existing(Box<PaymentRecord>),
    /// A different request was stored under this `payment_id`.
    Conflict,
}

/// Where the next page of a status query starts.
#[derive(Debug, Clone, PartialEq)]
pub struct PageKey(Item);

/// One page of a status query.
#[derive(Debug)]
pub struct StatusPage {
    /// The page's records, each decoded on its own.
    pub records: Vec<Result<PaymentRecord, StoreError>>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PageKey>,
}

/// Errors of the store: an AWS fault or an item that does not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// An AWS call failed.
    #[error(transparent)]
    Aws(#[from] Fault),
    /// An item in the table is not a payment this code can read.
    #[error("malformed item for payment `{payment_id}`: {reason}")]
    Malformed {
        /// The item's payment id.
        payment_id: String,
        /// What is wrong.
        reason: &'static str,
    },
}

impl StoreError {
    /// True when the caller may retry later.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Aws(f) if f.is_transient())
    }
}

/// Payments in a DynamoDB table.
#[derive(Debug, Clone)]
pub struct PaymentStore {
    client: Client,
    table: String,
}

impl PaymentStore {
    /// A store over `table`.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Stores `record` unless its `payment_id` exists (see the module documentation).
    ///
    /// [`CreateOutcome::Created`] goes to the one request that claimed the marker, whichever
    /// writer stored the record; every other request with the same content gets
    /// [`CreateOutcome::Existing`]. A conditional put that fails is not taken to mean that
    /// someone else wrote: when an attempt is applied but answered late or lost, the SDK retries
    /// it against its own write, so the marker's claim id tells whose write it was.
    pub async fn create(&self, record: &PaymentRecord) -> Result<CreateOutcome, StoreError> {
        let claim = claim_id(&record.request_id);
        let claimed = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(marker_item(record, &claim)))
            .condition_expression("attribute_not_exists(payment_id)")
            .send()
            .await;
        if !condition_held(claimed)? {
            let Some(marker) = self.marker(&record.payment_id).await? else {
                // The condition failed, so the marker exists and a strongly consistent read
                // must see it; report its absence as transient rather than guess.
                return Err(Fault::Transient("idempotency marker not yet readable".into()).into());
            };
            if marker.claim_id.as_deref() != Some(claim.as_str()) {
                return self.existing(record, marker).await;
            }
            // Our own first attempt claimed it.
        }
        // False when the record is already there: our own earlier attempt, or a replay that
        // completed our marker with the same content. This request created the payment anyway.
        self.put_record(record).await?;
        Ok(CreateOutcome::Created)
    }

    /// Puts `record` unless an item exists at its key; false when one did.
    async fn put_record(&self, record: &PaymentRecord) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(record_item(record)))
            .condition_expression("attribute_not_exists(payment_id)")
            .send()
            .await;
        condition_held(result)
    }

    /// Resolves a lost claim: the stored record if the fingerprints match, else conflict.
    async fn existing(
        &self,
        record: &PaymentRecord,
        marker: Marker,
    ) -> Result<CreateOutcome, StoreError> {
        if marker.request_hash != record.request_hash {
            return Ok(CreateOutcome::Conflict);
        }
        let ts = marker.record_timestamp;
        if let Some(stored) = self.get_at(&record.payment_id, ts).await? {
            return Ok(CreateOutcome::Existing(Box::new(stored)));
        }
        // The claimant has not written the record (yet, or ever): write the same content at
        // the key the marker names, in the claimant's name. Whoever writes first wins; the
        // other reads it back.
        let mut completed = record.clone();
        completed.timestamp = ts;
        completed.created_at = crate::time::UtcDateTime::from_millis(ts).rfc3339();
        if let Some(id) = marker.request_id {
            completed.request_id = id;
        }
        let wrote = self.put_record(&completed).await?;
        match self.get_at(&record.payment_id, ts).await? {
            Some(stored) => {
                if wrote {
                    tracing::warn!(payment_id = %stored.payment_id, "completed a payment whose first writer had not stored the record");
                }
                Ok(CreateOutcome::Existing(Box::new(stored)))
            }
            None => Err(Fault::Transient("payment record not yet readable".into()).into()),
        }
    }

    /// The marker of `payment_id`, strongly consistent.
    async fn marker(&self, payment_id: &str) -> Result<Option<Marker>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("payment_id", AttributeValue::S(payment_id.to_owned()))
            .key("timestamp", AttributeValue::N(MARKER_TIMESTAMP.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let Some(item) = out.item() else {
            return Ok(None);
        };
        let malformed = |reason| StoreError::Malformed {
            payment_id: payment_id.to_owned(),
            reason,
        };
        Ok(Some(Marker {
            request_hash: get_s(item, "request_hash")
                .ok_or(malformed("marker without request_hash"))?
                .to_owned(),
            record_timestamp: get_n(item, "record_timestamp")
                .ok_or(malformed("marker without record_timestamp"))?,
            claim_id: get_s(item, "claim_id").map(str::to_owned),
            request_id: get_s(item, "request_id").map(str::to_owned),
        }))
    }

    /// The record stored at (`payment_id`, `timestamp`), strongly consistent.
    pub async fn get_at(
        &self,
        payment_id: &str,
        timestamp: i64,
    ) -> Result<Option<PaymentRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("payment_id", AttributeValue::S(payment_id.to_owned()))
            .key("timestamp", AttributeValue::N(timestamp.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        out.item().map(|i| decode_record(payment_id, i)).transpose()
    }

    /// The payment `payment_id`, strongly consistent (one `Query`, skipping the marker).
    pub async fn get(&self, payment_id: &str) -> Result<Option<PaymentRecord>, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("payment_id = :p AND #ts > :marker")
            .expression_attribute_names("#ts", "timestamp")
            .expression_attribute_values(":p", AttributeValue::S(payment_id.to_owned()))
            .expression_attribute_values(":marker", AttributeValue::N(MARKER_TIMESTAMP.to_string()))
            .consistent_read(true)
            .limit(1)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        out.items()
            .first()
            .map(|i| decode_record(payment_id, i))
            .transpose()
    }

    /// Moves a `PENDING_AUDIT` record to `ACCEPTED` and stores its audit key. Returns false
    /// when the record was not pending (someone else got there first), which is fine.
    pub async fn mark_audited(
        &self,
        record: &PaymentRecord,
        audit_key: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("payment_id", AttributeValue::S(record.payment_id.clone()))
            .key("timestamp", AttributeValue::N(record.timestamp.to_string()))
            .update_expression(
                "SET #s = :accepted, audit_key = :key, audited_at = :now REMOVE audit_error",
            )
            .condition_expression("#s = :pending")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(
                ":accepted",
                AttributeValue::S(PaymentStatus::Accepted.as_str().into()),
            )
            .expression_attribute_values(
                ":pending",
                AttributeValue::S(PaymentStatus::PendingAudit.as_str().into()),
            )
            .expression_attribute_values(":key", AttributeValue::S(audit_key.to_owned()))
            .expression_attribute_values(":now", AttributeValue::N(now_ms.to_string()))
            .send()
            .await;
        condition_held(result)
    }

    /// Records on a `PENDING_AUDIT` record why its audit write failed (best effort: the status
    /// alone already makes the gap visible to reconciliation).
    pub async fn record_audit_failure(
        &self,
        record: &PaymentRecord,
        reason: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("payment_id", AttributeValue::S(record.payment_id.clone()))
            .key("timestamp", AttributeValue::N(record.timestamp.to_string()))
            .update_expression(
                "SET audit_error = :reason, audit_failed_at = :now ADD audit_failures :one",
            )
            .condition_expression("#s = :pending")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(
                ":pending",
                AttributeValue::S(PaymentStatus::PendingAudit.as_str().into()),
            )
            .expression_attribute_values(
                ":reason",
                AttributeValue::S(reason.chars().take(200).collect()),
            )
            .expression_attribute_values(":now", AttributeValue::N(now_ms.to_string()))
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .send()
            .await;
        condition_held(result).map(|_| ())
    }

    /// Records with `status`, oldest first, created at or before `created_before` (epoch ms),
    /// through `status-index` (eventually consistent, as every GSI read): the first page of at
    /// most `limit`, failing on an item that does not decode.
    pub async fn query_by_status(
        &self,
        status: PaymentStatus,
        created_before: i64,
        limit: i32,
    ) -> Result<Vec<PaymentRecord>, StoreError> {
        self.status_page(status, created_before, limit, None)
            .await?
            .records
            .into_iter()
            .collect()
    }

    /// One page of [`PaymentStore::query_by_status`], starting after `start` (the previous
    /// page's [`StatusPage::next`]). Each item decodes on its own, so one malformed record
    /// does not hide the others.
    pub async fn status_page(
        &self,
        status: PaymentStatus,
        created_before: i64,
        limit: i32,
        start: Option<PageKey>,
    ) -> Result<StatusPage, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(STATUS_INDEX)
            .key_condition_expression("#s = :s AND #ts <= :before")
            .expression_attribute_names("#s", "status")
            .expression_attribute_names("#ts", "timestamp")
            .expression_attribute_values(":s", AttributeValue::S(status.as_str().into()))
            .expression_attribute_values(":before", AttributeValue::N(created_before.to_string()))
            .set_exclusive_start_key(start.map(|k| k.0))
            .limit(limit)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        Ok(StatusPage {
            records: out
                .items()
                .iter()
                .map(|i| decode_record(get_s(i, "payment_id").unwrap_or(""), i))
                .collect(),
            next: out
                .last_evaluated_key()
                .filter(|k| !k.is_empty())
                .map(|k| PageKey(k.clone())),
        })
    }

    /// The data-path health probe: one strongly consistent `GetItem` of a key that never
    /// exists. Cheap (0.5 RCU), touches no payment data, proves credentials, network and table.
    pub async fn health(&self) -> Result<(), StoreError> {
        self.client
            .get_item()
            .table_name(&self.table)
            .key("payment_id", AttributeValue::S(HEALTH_KEY.into()))
            .key("timestamp", AttributeValue::N(MARKER_TIMESTAMP.to_string()))
            .projection_expression("payment_id")
            .send()
            .await
            .map_err(|e| classify(&e))?;
        Ok(())
    }
}

fn marker_item(r: &PaymentRecord, claim: &str) -> Item {
    HashMap::from([
        ("claim_id".into(), AttributeValue::S(claim.to_owned())),
        ("request_id".into(), AttributeValue::S(r.request_id.clone())),
        ("payment_id".into(), AttributeValue::S(r.payment_id.clone())),
        (
            "timestamp".into(),
            AttributeValue::N(MARKER_TIMESTAMP.to_string()),
        ),
        ("item_type".into(), AttributeValue::S("idempotency".into())),
        (
            "request_hash".into(),
            AttributeValue::S(r.request_hash.clone()),
        ),
        (
            "record_timestamp".into(),
            AttributeValue::N(r.timestamp.to_string()),
        ),
        ("created_at".into(), AttributeValue::S(r.created_at.clone())),
    ])
}

fn record_item(r: &PaymentRecord) -> Item {
    let mut item = HashMap::from([
        ("payment_id".into(), AttributeValue::S(r.payment_id.clone())),
        (
            "timestamp".into(),
            AttributeValue::N(r.timestamp.to_string()),
        ),
        ("item_type".into(), AttributeValue::S("payment".into())),
        ("status".into(), AttributeValue::S(r.status.as_str().into())),
        ("created_at".into(), AttributeValue::S(r.created_at.clone())),
        ("amount".into(), AttributeValue::N(r.amount.to_string())),
        ("currency".into(), AttributeValue::S(r.currency.clone())),
        (
            "merchant_id".into(),
            AttributeValue::S(r.merchant_id.clone()),
        ),
        (
            "customer_id".into(),
            AttributeValue::S(r.customer_id.clone()),
        ),
        (
            "card_token".into(),
            AttributeValue::S(r.card_token.expose().to_owned()),
        ),
        (
            "request_hash".into(),
            AttributeValue::S(r.request_hash.clone()),
        ),
        ("request_id".into(), AttributeValue::S(r.request_id.clone())),
    ]);
    if let Some(d) = &r.description {
        item.insert("description".into(), AttributeValue::S(d.clone()));
    }
    if let Some(k) = &r.idempotency_key {
        item.insert("idempotency_key".into(), AttributeValue::S(k.clone()));
    }
    if let Some(k) = &r.audit_key {
        item.insert("audit_key".into(), AttributeValue::S(k.clone()));
    }
    item
}

fn get_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .map(String::as_str)
}

fn get_n(item: &Item, name: &str) -> Option<i64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
}

/// Decodes a record item.
pub fn decode_record(payment_id: &str, item: &Item) -> Result<PaymentRecord, StoreError> {
    let malformed = |reason| StoreError::Malformed {
        payment_id: payment_id.to_owned(),
        reason,
    };
    let s = |name, reason| {
        get_s(item, name)
            .map(str::to_owned)
            .ok_or(malformed(reason))
    };
    Ok(PaymentRecord {
        payment_id: s("payment_id", "missing payment_id")?,
        timestamp: get_n(item, "timestamp").ok_or(malformed("missing timestamp"))?,
        created_at: s("created_at", "missing created_at")?,
        status: get_s(item, "status")
            .and_then(PaymentStatus::parse)
            .ok_or(malformed("missing or unknown status"))?,
        amount: get_n(item, "amount")
            .and_then(|a| u64::try_from(a).ok())
            .ok_or(malformed("missing amount"))?,
        currency: s("currency", "missing currency")?,
        merchant_id: s("merchant_id", "missing merchant_id")?,
        customer_id: s("customer_id", "missing customer_id")?,
        card_token: CardToken::new(s("card_token", "missing card_token")?),
        description: get_s(item, "description").map(str::to_owned),
        idempotency_key: get_s(item, "idempotency_key").map(str::to_owned),
        request_hash: s("request_hash", "missing request_hash")?,
        request_id: s("request_id", "missing request_id")?,
        audit_key: get_s(item, "audit_key").map(str::to_owned),
    })
}

/// Errors that can say a write's condition expression failed.
trait ConditionFailed {
    fn condition_failed(&self) -> bool;
}

impl ConditionFailed for PutItemError {
    fn condition_failed(&self) -> bool {
        self.is_conditional_check_failed_exception()
    }
}

impl ConditionFailed for UpdateItemError {
    fn condition_failed(&self) -> bool {
        self.is_conditional_check_failed_exception()
    }
}

/// A conditional write's outcome: `true` when it was applied, `false` when its condition did
/// not hold; any other error is classified.
fn condition_held<O, E: ConditionFailed + ProvideErrorMetadata>(
    result: Result<O, SdkError<E, HttpResponse>>,
) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().is_some_and(E::condition_failed) => Ok(false),
        Err(e) => Err(classify(&e).into()),
    }
}
