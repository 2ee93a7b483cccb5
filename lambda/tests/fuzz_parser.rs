//! Property tests of the request parser and validator: no input makes them panic, and what they
//! accept always satisfies the contract.
//!
//! Each property runs `FUZZ_CASES` inputs (default 2000, so `cargo test` stays fast). The
//! documented million-input run is `FUZZ_CASES=250000 cargo test -p lambda --test fuzz_parser`
//! (4 properties × 250 000) with `-- --nocapture`; every property prints how many inputs it ran.

use lambda::handler::{parse_create_request, route};
use lambda::pan::contains_pan;
use lambda::validation::{self, MAX_AMOUNT_MINOR, MAX_BODY_BYTES, parse_create};
use lambda_http::http::Method;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

fn config() -> Config {
    Config {
        cases: cases(),
        // Failures print the minimal input; nothing is written into the source tree.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Whatever the validator accepts satisfies every rule of the contract.
fn check_accepted(p: &lambda::model::PaymentRequest, body: &[u8]) {
    assert!((1..=MAX_AMOUNT_MINOR).contains(&p.amount));
    assert!(lambda::currency::lookup(p.currency).is_some());
    assert!(validation::is_id(&p.payment_id));
    assert!(validation::is_id(&p.merchant_id));
    assert!(validation::is_id(&p.customer_id));
    assert!(validation::is_token(p.card_token.expose()));
    assert!(
        p.description
            .as_deref()
            .is_none_or(validation::is_description)
    );
    assert!(body.len() <= MAX_BODY_BYTES);
    assert!(!contains_pan(&String::from_utf8_lossy(body)));
    // One id per request: derived from the header, or the body's, never the derived form.
    match &p.idempotency_key {
        Some(key) => assert_eq!(
            p.payment_id,
            validation::derive_payment_id(&p.merchant_id, key)
        ),
        None => assert!(!validation::is_derived_id(&p.payment_id)),
    }
}

fn check(ct: Option<&str>, key: Option<&str>, body: &[u8]) {
    match parse_create(ct, key, body) {
        Ok(p) => check_accepted(&p, body),
        Err(e) => {
            assert!(matches!(e.status, 400 | 413 | 415), "{e:?}");
            assert!(!e.code.is_empty());
            // Messages are fixed text: never a slice of the input.
            assert!(e.message.len() < 200, "{e:?}");
        }
    }
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (0u64..=MAX_AMOUNT_MINOR + 2).prop_map(Value::from),
        "[A-Za-z0-9_-]{0,70}".prop_map(Value::from),
        "tok_[A-Za-z0-9]{0,70}".prop_map(Value::from),
        "[A-Z]{2,4}".prop_map(Value::from),
        "\\PC{0,160}".prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        "[2-6][0-9]{12,18}".prop_map(Value::from),
        prop::collection::vec(any::<u8>(), 0..8).prop_map(|v| json!(v)),
        Just(json!({"nested": {"deeper": [1, 2, 3]}})),
    ]
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(validation::FIELDS.to_vec()).prop_map(str::to_owned),
        1 => "\\PC{0,12}",
        1 => Just("card_number".to_owned()),
    ]
}

fn valid_body() -> impl Strategy<Value = Vec<u8>> {
    (
        "[A-Za-z0-9_-]{1,64}",
        1u64..=MAX_AMOUNT_MINOR,
        prop::sample::select(lambda::currency::CURRENCIES.to_vec()),
        "[A-Za-z0-9_-]{1,64}",
        "[A-Za-z0-9_-]{1,64}",
        "tok_[A-Za-z0-9]{8,64}",
        proptest::option::of("[a-zA-Z .,#éü]{0,140}"),
    )
        .prop_map(|(id, amount, currency, m, c, t, d)| {
            serde_json::to_vec(&json!({
                "payment_id": id, "amount": amount, "currency": currency,
                "merchant_id": m, "customer_id": c, "card_token": t, "description": d,
            }))
            .unwrap()
        })
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => Just(Some("application/json".to_owned())),
        1 => Just(None),
        1 => "\\PC{0,40}".prop_map(Some),
        1 => "application/json;[ a-z=\"-]{0,20}".prop_map(Some),
    ]
}

/// Runs `test` on `cases()` inputs from `strategy` and prints how many ran.
fn run<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let count = AtomicU64::new(0);
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |input| {
        count.fetch_add(1, Ordering::Relaxed);
        test(input)
    });
    eprintln!(
        "fuzz_parser::{name}: {} inputs, no panic",
        count.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Arbitrary bytes, content types and idempotency keys.
#[test]
fn raw_bytes_never_panic() {
    let strategy = (
        prop::collection::vec(any::<u8>(), 0..(MAX_BODY_BYTES + 64)),
        content_type(),
        proptest::option::of("\\PC{0,140}"),
    );
    run("raw_bytes_never_panic", strategy, |(body, ct, key)| {
        check(ct.as_deref(), key.as_deref(), &body);
        Ok(())
    });
}

/// JSON objects built from the contract's field names with valid and invalid values.
#[test]
fn structured_objects() {
    let strategy = (
        prop::collection::vec((field_name(), field_value()), 0..10),
        proptest::option::of("[A-Za-z0-9._:-]{0,130}"),
    );
    run("structured_objects", strategy, |(fields, key)| {
        let mut body = String::from("{");
        for (i, (k, v)) in fields.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&serde_json::to_string(k).unwrap());
            body.push(':');
            body.push_str(&v.to_string());
        }
        body.push('}');
        check(Some("application/json"), key.as_deref(), body.as_bytes());
        Ok(())
    });
}

/// Valid bodies are accepted; byte-level mutations of them never panic.
#[test]
fn mutated_valid_bodies() {
    let strategy = (
        valid_body(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 0..6),
    );
    run("mutated_valid_bodies", strategy, |(body, edits)| {
        let accepted = parse_create(Some("application/json"), None, &body);
        prop_assert!(
            accepted.is_ok(),
            "valid body rejected: {:?}",
            accepted.err()
        );
        let mut b = body;
        for (at, byte, op) in edits {
            let i = at.index(b.len() + 1);
            match op {
                0 => b.insert(i, byte),
                1 if i < b.len() => {
                    b.remove(i);
                }
                _ if i < b.len() => b[i] = byte,
                _ => {}
            }
        }
        check(Some("application/json"), None, &b);
        Ok(())
    });
}

/// Whole API Gateway REST proxy events through `lambda_http`, the router and the validator.
#[test]
fn api_gateway_events() {
    let strategy = (
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
        prop_oneof![
            Just("/payments".to_owned()),
            "/payments/\\PC{0,70}",
            "/health/?",
            "/\\PC{0,30}",
        ],
        prop::collection::btree_map(
            prop_oneof![
                Just("Content-Type".to_owned()),
                Just("Idempotency-Key".to_owned()),
                "[a-zA-Z-]{1,20}"
            ],
            "\\PC{0,60}",
            0..5,
        ),
        proptest::option::of(prop_oneof![
            valid_body().prop_map(|b| String::from_utf8(b).unwrap()),
            "\\PC{0,300}",
        ]),
    );
    run(
        "api_gateway_events",
        strategy,
        |(method, path, headers, body)| {
            let event = json!({
                "resource": "/{proxy+}",
                "path": path,
                "httpMethod": method,
                "headers": headers,
                "multiValueHeaders": {},
                "queryStringParameters": null,
                "pathParameters": null,
                "stageVariables": null,
                "requestContext": {"requestId": "fuzz", "stage": "prod", "httpMethod": method, "path": "/prod"},
                "body": body,
                "isBase64Encoded": false,
            });
            // An event API Gateway could never send may fail to deserialize; that is lambda_http's
            // contract, not ours. Everything that deserializes must be routed and validated.
            if let Ok(req) = lambda_http::request::from_str(&event.to_string()) {
                let _ = route(req.method(), &path);
                if req.method() == Method::POST
                    && let Ok(p) = parse_create_request(&req)
                {
                    check_accepted(&p, req.body().as_ref());
                }
            }
            Ok(())
        },
    );
}
