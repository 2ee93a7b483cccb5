//! Validation of `POST /payments` requests: the same contract as the API Gateway model in
//! `lambda/schema/payment-request.schema.json`, plus the checks a JSON schema cannot express.
//!
//! The checks run in this order, each on untrusted input and none of them able to panic:
//! size (`413`), content type (`415`), UTF-8, card numbers anywhere in the raw body or the
//! `Idempotency-Key` header, JSON syntax, a top-level object without duplicate keys, then every
//! field (all field errors are reported together). Error messages name fields, never echo values.

use crate::currency;
use crate::model::{CardToken, PaymentRequest, hex};
use crate::pan::contains_pan;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt;

/// Largest accepted body, in bytes. A valid request is well under 1 KiB.
pub const MAX_BODY_BYTES: usize = 8 * 1024;
/// Largest accepted amount, in minor units (inclusive).
pub const MAX_AMOUNT_MINOR: u64 = 1_000_000_000;
/// Longest payment, merchant and customer id.
pub const MAX_ID_LEN: usize = 64;
/// Shortest and longest card token (including the `tok_` prefix).
pub const TOKEN_LEN: (usize, usize) = (12, 68);
/// Required prefix of card tokens.
pub const TOKEN_PREFIX: &str = "tok_";
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 140;
/// Longest `Idempotency-Key` header.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 128;
/// Most members a body object may have (there are 7 fields).
pub const MAX_MEMBERS: usize = 32;
/// The fields of a request body.
pub const FIELDS: &[&str] = &[
    "payment_id",
    "amount",
    "currency",
    "merchant_id",
    "customer_id",
    "card_token",
    "description",
];

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name (or `<field>` when the name itself is unprintable).
    pub field: String,
    /// What was expected.
    pub reason: &'static str,
}

/// A rejected request: the HTTP status, a stable machine-readable code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    /// `400`, `413` or `415`.
    pub status: u16,
    /// Stable code, e.g. `validation_failed`, `card_number_detected`.
    pub code: &'static str,
    /// Human-readable message; never contains request content.
    pub message: String,
    /// The invalid fields, for `validation_failed`.
    pub fields: Vec<FieldError>,
}

impl RequestError {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

/// Validates a `POST /payments` request.
pub fn parse_create(
    content_type: Option<&str>,
    idempotency_key: Option<&str>,
    body: &[u8],
) -> Result<PaymentRequest, RequestError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(RequestError::new(
            413,
            "payload_too_large",
            format!("body must be at most {MAX_BODY_BYTES} bytes"),
        ));
    }
    if !is_json_content_type(content_type) {
        return Err(RequestError::new(
            415,
            "unsupported_media_type",
            "`Content-Type` must be `application/json`",
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| RequestError::new(400, "invalid_encoding", "body must be UTF-8"))?;
    if contains_pan(text) || idempotency_key.is_some_and(contains_pan) {
        return Err(pan_error());
    }
    if text.trim().is_empty() {
        return Err(RequestError::new(
            400,
            "invalid_json",
            "body must be a JSON object",
        ));
    }
    let object = match serde_json::from_str::<UniqueObject>(text) {
        Ok(o) => o.0,
        Err(e) => return Err(json_error(&e)),
    };
    if object
        .iter()
        .any(|(k, v)| contains_pan(k) || value_contains_pan(v, 0))
    {
        return Err(pan_error());
    }
    validate_object(object, idempotency_key)
}

fn pan_error() -> RequestError {
    RequestError::new(
        400,
        "card_number_detected",
        "the request appears to contain a card number; send a card token (`card_token`) instead",
    )
}

fn json_error(e: &serde_json::Error) -> RequestError {
    let msg = e.to_string();
    if msg.starts_with(DUPLICATE_KEY) {
        RequestError::new(400, "invalid_json", "body must not repeat a key")
    } else if msg.starts_with(TOO_MANY_MEMBERS) {
        RequestError::new(
            400,
            "invalid_json",
            format!("body must have at most {MAX_MEMBERS} keys"),
        )
    } else if e.is_data() {
        RequestError::new(400, "invalid_json", "body must be a JSON object")
    } else {
        RequestError::new(
            400,
            "invalid_json",
            format!(
                "body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    }
}

/// Accepts `application/json`, optionally with `charset=utf-8`, in any letter case.
pub fn is_json_content_type(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let mut parts = ct.split(';');
    let media = parts.next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|p| {
        let p = p.trim();
        let Some((k, v)) = p.split_once('=') else {
            return p.is_empty();
        };
        k.trim().eq_ignore_ascii_case("charset")
            && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
    })
}

fn value_contains_pan(v: &Value, depth: usize) -> bool {
    // serde_json already limits nesting to 128; the depth guard keeps this bounded regardless.
    if depth > 256 {
        return true;
    }
    match v {
        Value::String(s) => contains_pan(s),
        Value::Array(a) => a.iter().any(|v| value_contains_pan(v, depth + 1)),
        Value::Object(o) => o
            .iter()
            .any(|(k, v)| contains_pan(k) || value_contains_pan(v, depth + 1)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

fn validate_object(
    object: Vec<(String, Value)>,
    idempotency_key: Option<&str>,
) -> Result<PaymentRequest, RequestError> {
    let mut errors = Vec::new();
    let get = |name: &str| object.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    for (k, _) in &object {
        if !FIELDS.contains(&k.as_str()) {
            errors.push(FieldError {
                field: field_name(k),
                reason: "unknown field",
            });
        }
    }

    let idempotency_key = match idempotency_key {
        None => None,
        Some(k) if is_idempotency_key(k) => Some(k.to_owned()),
        Some(_) => {
            errors.push(FieldError {
                field: "Idempotency-Key".into(),
                reason: "must be 1 to 128 characters of `A-Z a-z 0-9 . _ : -`",
            });
            None
        }
    };
    let payment_id = optional_string(get("payment_id"), "payment_id", &mut errors, |s| {
        if is_derived_id(s) {
            Err(
                "must not take the form `pay_` + 32 hex digits, which is reserved for ids derived from `Idempotency-Key`",
            )
        } else {
            is_id(s).then_some(()).ok_or(ID_REASON)
        }
    });
    let amount = match get("amount") {
        None => {
            errors.push(FieldError {
                field: "amount".into(),
                reason: "is required",
            });
            None
        }
        Some(Value::Number(n)) => match n.as_u64() {
            Some(a) if (1..=MAX_AMOUNT_MINOR).contains(&a) => Some(a),
            _ => {
                errors.push(FieldError {
                    field: "amount".into(),
                    reason: if n.is_f64() {
                        "must be an integer number of minor units"
                    } else {
                        "must be between 1 and 1000000000 minor units"
                    },
                });
                None
            }
        },
        Some(_) => {
            errors.push(FieldError {
                field: "amount".into(),
                reason: "must be an integer number of minor units",
            });
            None
        }
    };
    let currency = required_string(get("currency"), "currency", &mut errors, |s| {
        currency::lookup(s).ok_or("must be an ISO 4217 currency code in upper case")
    });
    let merchant_id = required_string(get("merchant_id"), "merchant_id", &mut errors, |s| {
        is_id(s).then(|| s.to_owned()).ok_or(ID_REASON)
    });
    let customer_id = required_string(get("customer_id"), "customer_id", &mut errors, |s| {
        is_id(s).then(|| s.to_owned()).ok_or(ID_REASON)
    });
    let card_token = required_string(get("card_token"), "card_token", &mut errors, |s| {
        is_token(s)
            .then(|| CardToken::new(s.to_owned()))
            .ok_or("must be a card token: `tok_` followed by 8 to 64 letters or digits")
    });
    let description = optional_string(get("description"), "description", &mut errors, |s| {
        is_description(s).then(|| s.to_owned()).ok_or(
            "must be at most 140 characters without control or bidirectional-override characters",
        )
    });

    let payment_id = match (payment_id, &idempotency_key, &merchant_id) {
        // Invalid `payment_id`: the error is already recorded.
        (None, _, _) => None,
        // One id per request: a body id beside the header would silently win over it.
        (Some(Some(())), Some(_), _) => {
            errors.push(FieldError {
                field: "payment_id".into(),
                reason: "must not be sent with an `Idempotency-Key` header, which derives the id",
            });
            None
        }
        (Some(Some(())), None, _) => get("payment_id").and_then(Value::as_str).map(str::to_owned),
        (Some(None), Some(key), Some(merchant)) => Some(derive_payment_id(merchant, key)),
        // Invalid `merchant_id`: the error is already recorded.
        (Some(None), Some(_), None) => None,
        (Some(None), None, _) => {
            errors.push(FieldError {
                field: "payment_id".into(),
                reason: "is required unless an `Idempotency-Key` header is sent",
            });
            None
        }
    };

    match (
        payment_id,
        amount,
        currency,
        merchant_id,
        customer_id,
        card_token,
        description,
    ) {
        (
            Some(payment_id),
            Some(amount),
            Some(currency),
            Some(merchant_id),
            Some(customer_id),
            Some(card_token),
            Some(description),
        ) if errors.is_empty() => Ok(PaymentRequest {
            payment_id,
            idempotency_key,
            amount,
            currency,
            merchant_id,
            customer_id,
            card_token,
            description,
        }),
        _ => Err(RequestError {
            status: 400,
            code: "validation_failed",
            message: "the request body is invalid".into(),
            fields: errors,
        }),
    }
}

const ID_REASON: &str = "must be 1 to 64 characters of `A-Z a-z 0-9 _ -`";

/// True for the form of [`derive_payment_id`]'s ids (`pay_` + 32 lower-case hex digits), which
/// a body `payment_id` may not take: no client can occupy another merchant's derived id.
pub fn is_derived_id(s: &str) -> bool {
    s.strip_prefix("pay_").is_some_and(|hex| {
        hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// `payment_id` derived from an `Idempotency-Key`, scoped by merchant so that two merchants
/// using the same key never share a payment.
pub fn derive_payment_id(merchant_id: &str, idempotency_key: &str) -> String {
    let mut h = Sha256::new();
    h.update(merchant_id.as_bytes());
    h.update([0u8]);
    h.update(idempotency_key.as_bytes());
    format!("pay_{}", &hex(&h.finalize())[..32])
}

/// A required string field: `Some(parsed)` when valid, `None` (with an error recorded) otherwise.
fn required_string<T>(
    v: Option<&Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
    check: impl Fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match v {
        None | Some(Value::Null) => {
            errors.push(FieldError {
                field: name.into(),
                reason: "is required",
            });
            None
        }
        Some(Value::String(s)) => check(s)
            .map_err(|reason| {
                errors.push(FieldError {
                    field: name.into(),
                    reason,
                })
            })
            .ok(),
        Some(_) => {
            errors.push(FieldError {
                field: name.into(),
                reason: "must be a string",
            });
            None
        }
    }
}

/// An optional string field: `Some(None)` when absent or null, `Some(Some(parsed))` when valid,
/// `None` (with an error recorded) when invalid.
fn optional_string<T>(
    v: Option<&Value>,
    name: &str,
    errors: &mut Vec<FieldError>,
    check: impl Fn(&str) -> Result<T, &'static str>,
) -> Option<Option<T>> {
    match v {
        None | Some(Value::Null) => Some(None),
        other => required_string(other, name, errors, check).map(Some),
    }
}

/// Payment, merchant and customer ids: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub fn is_id(s: &str) -> bool {
    (1..=MAX_ID_LEN).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `Idempotency-Key` header values: 1 to 128 of `A-Z a-z 0-9 . _ : -`.
pub fn is_idempotency_key(s: &str) -> bool {
    (1..=MAX_IDEMPOTENCY_KEY_LEN).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
}

/// Card tokens: `tok_` and 8 to 64 ASCII letters or digits.
pub fn is_token(s: &str) -> bool {
    (TOKEN_LEN.0..=TOKEN_LEN.1).contains(&s.len())
        && s.starts_with(TOKEN_PREFIX)
        && s[TOKEN_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
}

/// Descriptions: at most 140 characters, no control or bidirectional-override characters.
pub fn is_description(s: &str) -> bool {
    s.chars().count() <= MAX_DESCRIPTION_CHARS
        && s.chars().all(|c| {
            !c.is_control()
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
        })
}

/// A field name as shown in an error: itself when it is short and plain, else `<field>`.
fn field_name(k: &str) -> String {
    if is_id(k) {
        k.to_owned()
    } else {
        "<field>".to_owned()
    }
}

const DUPLICATE_KEY: &str = "duplicate key";
const TOO_MANY_MEMBERS: &str = "too many members";

/// A top-level JSON object that rejects duplicate keys (which parsers resolve differently, so
/// the API Gateway model and this function could otherwise see different values).
struct UniqueObject(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for UniqueObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UniqueObject, A::Error> {
                let mut members: Vec<(String, Value)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if members.len() >= MAX_MEMBERS {
                        return Err(de::Error::custom(TOO_MANY_MEMBERS));
                    }
                    if members.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(DUPLICATE_KEY));
                    }
                    let value = map.next_value::<Value>()?;
                    members.push((key, value));
                }
                Ok(UniqueObject(members))
            }
        }
        d.deserialize_map(ObjectVisitor)
    }
}
