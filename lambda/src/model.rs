//! Payment types: the validated request, the stored record and its public (masked) view.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// A card token. Its value never appears in `Debug`, logs, metrics, audit objects or responses;
/// only [`CardToken::masked`] does.
#[derive(Clone, PartialEq, Eq)]
pub struct CardToken(String);

impl CardToken {
    /// Wraps an already validated token.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The token itself, for the one place that needs it: the DynamoDB item.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `tok_…` followed by the last four characters, e.g. `tok_…a1b2`.
    pub fn masked(&self) -> String {
        let tail: String = self
            .0
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        format!("tok_…{tail}")
    }
}

impl fmt::Debug for CardToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CardToken(<redacted>)")
    }
}

/// A request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// The payment id: the body's `payment_id`, or derived from the `Idempotency-Key` header.
    pub payment_id: String,
    /// The `Idempotency-Key` header, when sent.
    pub idempotency_key: Option<String>,
    /// Amount in minor units (cents), `1..=MAX_AMOUNT_MINOR`.
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: &'static str,
    /// Merchant id.
    pub merchant_id: String,
    /// Customer id.
    pub customer_id: String,
    /// Card token.
    pub card_token: CardToken,
    /// Optional free text.
    pub description: Option<String>,
}

impl PaymentRequest {
    /// SHA-256 (hex) over the payment's canonical content. Two requests with the same
    /// payment id are "the same request" exactly when their fingerprints are equal; whitespace,
    /// key order and the idempotency header do not matter.
    pub fn fingerprint(&self) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            amount: u64,
            card_token: &'a str,
            currency: &'a str,
            customer_id: &'a str,
            description: Option<&'a str>,
            merchant_id: &'a str,
            payment_id: &'a str,
        }
        let canonical = Canonical {
            amount: self.amount,
            card_token: self.card_token.expose(),
            currency: self.currency,
            customer_id: &self.customer_id,
            description: self.description.as_deref(),
            merchant_id: &self.merchant_id,
            payment_id: &self.payment_id,
        };
        // Serializing a struct of plain fields cannot fail.
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        hex(&Sha256::digest(bytes))
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// Where a payment is in its life cycle (the `status` attribute, hash key of `status-index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PaymentStatus {
    /// Stored in DynamoDB; the audit object is not yet confirmed. Reconciliation looks for these.
    #[serde(rename = "PENDING_AUDIT")]
    PendingAudit,
    /// Stored and audited.
    #[serde(rename = "ACCEPTED")]
    Accepted,
}

impl PaymentStatus {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingAudit => "PENDING_AUDIT",
            Self::Accepted => "ACCEPTED",
        }
    }

    /// Parses the stored string.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PENDING_AUDIT" => Some(Self::PendingAudit),
            "ACCEPTED" => Some(Self::Accepted),
            _ => None,
        }
    }
}

/// A payment as stored in DynamoDB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    /// Partition key.
    pub payment_id: String,
    /// Sort key: creation time, epoch milliseconds.
    pub timestamp: i64,
    /// Creation time, RFC 3339.
    pub created_at: String,
    /// Life-cycle status.
    pub status: PaymentStatus,
    /// Amount in minor units.
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: String,
    /// Merchant id.
    pub merchant_id: String,
    /// Customer id.
    pub customer_id: String,
    /// Card token.
    pub card_token: CardToken,
    /// Optional free text.
    pub description: Option<String>,
    /// The `Idempotency-Key` header of the first request, when sent.
    pub idempotency_key: Option<String>,
    /// [`PaymentRequest::fingerprint`] of the first request.
    pub request_hash: String,
    /// Request id of the first request.
    pub request_id: String,
    /// Key of the audit object once written.
    pub audit_key: Option<String>,
}

impl PaymentRecord {
    /// A new record for `req`, created at `timestamp` by request `request_id`.
    pub fn new(req: PaymentRequest, timestamp: i64, request_id: &str) -> Self {
        let request_hash = req.fingerprint();
        Self {
            payment_id: req.payment_id,
            timestamp,
            created_at: crate::time::UtcDateTime::from_millis(timestamp).rfc3339(),
            status: PaymentStatus::PendingAudit,
            amount: req.amount,
            currency: req.currency.to_owned(),
            merchant_id: req.merchant_id,
            customer_id: req.customer_id,
            card_token: req.card_token,
            description: req.description,
            idempotency_key: req.idempotency_key,
            request_hash,
            request_id: request_id.to_owned(),
            audit_key: None,
        }
    }

    /// The public view: everything but the token, which is masked.
    pub fn view(&self) -> PaymentView<'_> {
        PaymentView {
            payment_id: &self.payment_id,
            status: self.status,
            amount: self.amount,
            currency: &self.currency,
            merchant_id: &self.merchant_id,
            customer_id: &self.customer_id,
            card_token_masked: self.card_token.masked(),
            description: self.description.as_deref(),
            timestamp: self.timestamp,
            created_at: &self.created_at,
        }
    }
}

/// The JSON body of `201` and `GET` responses.
#[derive(Debug, Serialize)]
pub struct PaymentView<'a> {
    /// Payment id.
    pub payment_id: &'a str,
    /// Status.
    pub status: PaymentStatus,
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
    /// Optional free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<&'a str>,
    /// Creation time, epoch milliseconds.
    pub timestamp: i64,
    /// Creation time, RFC 3339.
    pub created_at: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> PaymentRequest {
        PaymentRequest {
            payment_id: "pay_1".into(),
            idempotency_key: None,
            amount: 100,
            currency: "USD",
            merchant_id: "m".into(),
            customer_id: "c".into(),
            card_token: CardToken::new("tok_abcdefgh1234".into()),
            description: None,
        }
    }

    #[test]
    fn token_never_in_debug_or_view() {
        let r = PaymentRecord::new(req(), 0, "rid");
        assert!(!format!("{r:?}").contains("abcdefgh1234"));
        let json = serde_json::to_string(&r.view()).unwrap();
        assert!(!json.contains("abcdefgh"), "{json}");
        assert!(json.contains("tok_…1234"), "{json}");
    }

    #[test]
    fn fingerprint_ignores_idempotency_header_but_not_content() {
        let a = req();
        let mut b = req();
        b.idempotency_key = Some("k".into());
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.amount = 101;
        assert_ne!(a.fingerprint(), b.fingerprint());
        let mut c = req();
        c.card_token = CardToken::new("tok_abcdefgh1235".into());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
