//! Table-driven tests of `POST /payments` validation: every field, boundaries, hostile strings,
//! huge bodies, wrong content types and card-number detection.

use lambda::validation::{
    self, FIELDS, MAX_AMOUNT_MINOR, MAX_BODY_BYTES, RequestError, derive_payment_id, parse_create,
};
use serde_json::{Value, json};

const CT: Option<&str> = Some("application/json");

fn base() -> Value {
    json!({
        "payment_id": "pay_123",
        "amount": 1999,
        "currency": "USD",
        "merchant_id": "merchant_1",
        "customer_id": "cust-42",
        "card_token": "tok_abcdEFGH1234",
        "description": "Order #42"
    })
}

fn with(field: &str, value: Value) -> Vec<u8> {
    let mut b = base();
    b[field] = value;
    serde_json::to_vec(&b).unwrap()
}

fn without(field: &str) -> Vec<u8> {
    let mut b = base();
    b.as_object_mut().unwrap().remove(field);
    serde_json::to_vec(&b).unwrap()
}

fn reject(ct: Option<&str>, key: Option<&str>, body: &[u8]) -> RequestError {
    match parse_create(ct, key, body) {
        Ok(p) => panic!("accepted {:?}: {p:?}", String::from_utf8_lossy(body)),
        Err(e) => e,
    }
}

/// The field errors of a `validation_failed` rejection, as (field, reason) pairs.
fn field_errors(e: &RequestError) -> Vec<String> {
    assert_eq!((e.status, e.code), (400, "validation_failed"), "{e:?}");
    e.fields.iter().map(|f| f.field.clone()).collect()
}

#[test]
fn valid_request_is_parsed() {
    let p = parse_create(CT, None, &serde_json::to_vec(&base()).unwrap()).unwrap();
    assert_eq!(p.payment_id, "pay_123");
    assert_eq!(p.amount, 1999);
    assert_eq!(p.currency, "USD");
    assert_eq!(p.merchant_id, "merchant_1");
    assert_eq!(p.customer_id, "cust-42");
    assert_eq!(p.card_token.expose(), "tok_abcdEFGH1234");
    assert_eq!(p.description.as_deref(), Some("Order #42"));
    assert_eq!(p.idempotency_key, None);
}

#[test]
fn accepted_variants() {
    let cases: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("amount min", None, with("amount", json!(1))),
        ("amount max", None, with("amount", json!(MAX_AMOUNT_MINOR))),
        ("no description", None, without("description")),
        ("null description", None, with("description", Value::Null)),
        ("empty description", None, with("description", json!(""))),
        ("140 char description", None, with("description", json!("é".repeat(140)))),
        ("unicode description", None, with("description", json!("Café ☕ 日本"))),
        ("64 char id", None, with("merchant_id", json!("m".repeat(64)))),
        ("1 char id", None, with("customer_id", json!("c"))),
        ("shortest token", None, with("card_token", json!("tok_12345678"))),
        ("longest token", None, with("card_token", json!(format!("tok_{}", "a".repeat(64))))),
        ("JPY", None, with("currency", json!("JPY"))),
        ("idempotency key only", Some("key-1:abc.def_2"), without("payment_id")),
        ("timestamp-like id", None, with("payment_id", json!("pay_1700000000000"))),
        ("amount 1e0? no: 100", None, b"{\"payment_id\":\"p\",\"amount\":100,\"currency\":\"EUR\",\"merchant_id\":\"m\",\"customer_id\":\"c\",\"card_token\":\"tok_abcdefgh\"}".to_vec()),
    ];
    for (name, key, body) in cases {
        if let Err(e) = parse_create(CT, key, &body) {
            panic!("{name}: rejected with {e:?}");
        }
    }
}

#[test]
fn field_rules() {
    let long_id = "x".repeat(65);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // amount
        ("amount zero", with("amount", json!(0)), "amount"),
        ("amount negative", with("amount", json!(-5)), "amount"),
        (
            "amount over max",
            with("amount", json!(MAX_AMOUNT_MINOR + 1)),
            "amount",
        ),
        ("amount u64 max", with("amount", json!(u64::MAX)), "amount"),
        ("amount float", with("amount", json!(10.5)), "amount"),
        (
            "amount float integral",
            with("amount", json!(10.0)),
            "amount",
        ),
        ("amount string", with("amount", json!("100")), "amount"),
        ("amount bool", with("amount", json!(true)), "amount"),
        ("amount null", with("amount", Value::Null), "amount"),
        ("amount array", with("amount", json!([1])), "amount"),
        ("amount missing", without("amount"), "amount"),
        // currency
        ("currency lower", with("currency", json!("usd")), "currency"),
        (
            "currency unknown",
            with("currency", json!("ABC")),
            "currency",
        ),
        (
            "currency fund code",
            with("currency", json!("USN")),
            "currency",
        ),
        ("currency metal", with("currency", json!("XAU")), "currency"),
        ("currency long", with("currency", json!("USDD")), "currency"),
        ("currency number", with("currency", json!(840)), "currency"),
        ("currency missing", without("currency"), "currency"),
        // ids
        (
            "merchant empty",
            with("merchant_id", json!("")),
            "merchant_id",
        ),
        (
            "merchant too long",
            with("merchant_id", json!(long_id)),
            "merchant_id",
        ),
        (
            "merchant space",
            with("merchant_id", json!("a b")),
            "merchant_id",
        ),
        ("merchant missing", without("merchant_id"), "merchant_id"),
        (
            "customer object",
            with("customer_id", json!({"id": 1})),
            "customer_id",
        ),
        ("customer missing", without("customer_id"), "customer_id"),
        (
            "payment id slash",
            with("payment_id", json!("../../etc/passwd")),
            "payment_id",
        ),
        (
            "payment id number",
            with("payment_id", json!(12)),
            "payment_id",
        ),
        (
            "payment and key missing",
            without("payment_id"),
            "payment_id",
        ),
        // token
        (
            "token no prefix",
            with("card_token", json!("abcdefgh12345")),
            "card_token",
        ),
        (
            "token too short",
            with("card_token", json!("tok_1234567")),
            "card_token",
        ),
        (
            "token too long",
            with("card_token", json!(format!("tok_{}", "a".repeat(65)))),
            "card_token",
        ),
        (
            "token punctuation",
            with("card_token", json!("tok_abcd-efgh")),
            "card_token",
        ),
        ("token missing", without("card_token"), "card_token"),
        ("token null", with("card_token", Value::Null), "card_token"),
        // description
        (
            "description too long",
            with("description", json!("a".repeat(141))),
            "description",
        ),
        (
            "description newline",
            with("description", json!("a\nb")),
            "description",
        ),
        (
            "description nul",
            with("description", json!("a\u{0}b")),
            "description",
        ),
        (
            "description bidi",
            with("description", json!("abc\u{202E}fed")),
            "description",
        ),
        (
            "description number",
            with("description", json!(5)),
            "description",
        ),
        // unknown fields
        (
            "unknown field",
            with("card_number", json!("x")),
            "card_number",
        ),
        ("unknown cvv", with("cvv", json!("123")), "cvv"),
        (
            "unknown unprintable",
            with("bad key\u{1}", json!(1)),
            "<field>",
        ),
    ];
    for (name, body, field) in cases {
        let e = reject(CT, None, &body);
        let fields = field_errors(&e);
        assert!(
            fields.contains(&field.to_owned()),
            "{name}: expected `{field}` in {fields:?}"
        );
    }
}

#[test]
fn all_field_errors_are_reported_together() {
    let e = reject(CT, None, br#"{"amount": 0, "currency": "usd", "extra": 1}"#);
    let mut fields = field_errors(&e);
    fields.sort();
    assert_eq!(
        fields,
        [
            "amount",
            "card_token",
            "currency",
            "customer_id",
            "extra",
            "merchant_id",
            "payment_id"
        ]
    );
}

#[test]
fn hostile_strings_are_rejected_and_never_echoed() {
    let hostile = [
        "'; DROP TABLE payments; --",
        "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/a}",
        "..\\..\\windows",
        "\u{202E}gnp.exe",
        "a\u{0}b",
        "\u{FEFF}pay",
        "ｐａｙ",
        "pay\r\nSet-Cookie: x",
        "%00",
    ];
    for h in hostile {
        for field in [
            "payment_id",
            "merchant_id",
            "customer_id",
            "card_token",
            "currency",
        ] {
            let e = reject(CT, None, &with(field, json!(h)));
            let shown = format!("{} {:?}", e.message, e.fields);
            assert!(!shown.contains(h), "{field}={h:?} echoed in {shown}");
            assert_eq!(field_errors(&e), [field], "{field}={h:?}");
        }
    }
}

/// The id contract (issue 12): one id per request, derived ids cannot be taken by a body.
#[test]
fn payment_id_contract() {
    let derived = derive_payment_id("merchant_1", "order-42");
    assert!(validation::is_derived_id(&derived), "{derived}");
    /// (case, header, body, rejected field)
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "body id only",
            None,
            serde_json::to_vec(&base()).unwrap(),
            None,
        ),
        ("header only", Some("order-42"), without("payment_id"), None),
        (
            "body id and header",
            Some("order-42"),
            serde_json::to_vec(&base()).unwrap(),
            Some("payment_id"),
        ),
        (
            "null body id and header",
            Some("order-42"),
            with("payment_id", Value::Null),
            None,
        ),
        (
            "body takes a derived id",
            None,
            with("payment_id", json!(derived)),
            Some("payment_id"),
        ),
        (
            "body takes another merchant's derived id",
            None,
            with("payment_id", json!(derive_payment_id("merchant_2", "k"))),
            Some("payment_id"),
        ),
        (
            "upper-case hex is not the derived form",
            None,
            with(
                "payment_id",
                json!(derived.to_uppercase().replace("PAY_", "pay_")),
            ),
            None,
        ),
        (
            "31 hex digits",
            None,
            with("payment_id", json!(&derived[..35])),
            None,
        ),
        (
            "pay_ with other text",
            None,
            with("payment_id", json!("pay_order_42")),
            None,
        ),
        ("neither", None, without("payment_id"), Some("payment_id")),
    ];
    for (name, key, body, rejected) in cases {
        match (parse_create(CT, key, &body), rejected) {
            (Ok(_), None) => {}
            (Err(e), Some(field)) => {
                assert_eq!(e.code, "validation_failed", "{name}");
                assert!(
                    field_errors(&e).contains(&field.to_owned()),
                    "{name}: {e:?}"
                );
            }
            (other, _) => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn idempotency_key_header() {
    let body = without("payment_id");
    let p = parse_create(CT, Some("order-42"), &body).unwrap();
    assert_eq!(p.payment_id, derive_payment_id("merchant_1", "order-42"));
    assert_eq!(p.idempotency_key.as_deref(), Some("order-42"));
    // Scoped by merchant.
    assert_ne!(derive_payment_id("m1", "k"), derive_payment_id("m2", "k"));
    // Deterministic.
    let q = parse_create(CT, Some("order-42"), &body).unwrap();
    assert_eq!(p.payment_id, q.payment_id);
    for bad in ["", "has space", "ünï", &"k".repeat(129), "a\u{0}"] {
        let e = reject(CT, Some(bad), &body);
        assert!(
            field_errors(&e).contains(&"Idempotency-Key".to_owned()),
            "{bad:?}"
        );
    }
}

#[test]
fn content_types() {
    let body = serde_json::to_vec(&base()).unwrap();
    for ok in [
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
    ] {
        assert!(parse_create(Some(ok), None, &body).is_ok(), "{ok}");
    }
    for bad in [
        None,
        Some(""),
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json; charset=latin1"),
        Some("application/jsonx"),
        Some("application/json; foo=bar"),
        Some("application/xml"),
    ] {
        let e = reject(bad, None, &body);
        assert_eq!(
            (e.status, e.code),
            (415, "unsupported_media_type"),
            "{bad:?}"
        );
    }
}

#[test]
fn sizes_and_syntax() {
    // Exactly at the limit: still parsed (and rejected for content, not size).
    let mut at_limit = serde_json::to_vec(&base()).unwrap();
    at_limit.pop();
    let pad = MAX_BODY_BYTES - at_limit.len() - 1;
    at_limit.extend(std::iter::repeat_n(b' ', pad));
    at_limit.push(b'}');
    assert_eq!(at_limit.len(), MAX_BODY_BYTES);
    assert!(parse_create(CT, None, &at_limit).is_ok());
    let mut over = at_limit.clone();
    over.insert(1, b' ');
    assert_eq!(reject(CT, None, &over).status, 413);
    let huge = vec![b'['; 10 * 1024 * 1024];
    assert_eq!(reject(CT, None, &huge).code, "payload_too_large");

    let cases: &[(&[u8], &str)] = &[
        (b"", "invalid_json"),
        (b"   ", "invalid_json"),
        (b"null", "invalid_json"),
        (b"[]", "invalid_json"),
        (b"\"str\"", "invalid_json"),
        (b"42", "invalid_json"),
        (b"{", "invalid_json"),
        (b"{\"amount\": 1,}", "invalid_json"),
        (b"{} {}", "invalid_json"),
        (b"{\"a\":1,\"a\":2}", "invalid_json"),
        (b"\xff\xfe{}", "invalid_encoding"),
        (b"{\"amount\": NaN}", "invalid_json"),
        (&[b'['; 4000], "invalid_json"),
    ];
    for (body, code) in cases {
        let e = reject(CT, None, body);
        assert_eq!(
            (e.status, e.code),
            (400, *code),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
    let many: String = (0..40)
        .map(|i| format!("\"k{i}\":1"))
        .collect::<Vec<_>>()
        .join(",");
    let e = reject(CT, None, format!("{{{many}}}").as_bytes());
    assert_eq!(e.code, "invalid_json");
    // Duplicate keys are rejected even when both values are valid.
    let dup = br#"{"payment_id":"a","payment_id":"b","amount":1,"currency":"USD","merchant_id":"m","customer_id":"c","card_token":"tok_abcdefgh"}"#;
    assert!(reject(CT, None, dup).message.contains("repeat"));
}

#[test]
fn card_numbers_are_detected_anywhere_and_never_echoed() {
    let pans = [
        "4111111111111111",
        "4111 1111 1111 1111",
        "5555-5555-5555-4444",
        "378282246310005",
        // Issue 12's gaps: dots, double spaces, no-break spaces, full-width digits, UATP, Troy.
        "4111.1111.1111.1111",
        "4111  1111  1111  1111",
        "4111\u{a0}1111\u{a0}1111\u{a0}1111",
        "４１１１１１１１１１１１１１１１",
        "122000000000003",
        "9792 0000 0000 0003",
    ];
    for pan in pans {
        let bodies: Vec<(String, Vec<u8>)> = vec![
            ("card_token".into(), with("card_token", json!(pan))),
            (
                "token suffix".into(),
                with("card_token", json!(format!("tok_{pan}"))),
            ),
            (
                "description".into(),
                with("description", json!(format!("card {pan} thanks"))),
            ),
            ("unknown field".into(), with("card_number", json!(pan))),
            ("as key".into(), with(pan, json!(1))),
            ("nested".into(), with("meta", json!({"x": [pan]}))),
            (
                "number".into(),
                format!("{{\"amount\": {}}}", pan.replace([' ', '-'], "")).into_bytes(),
            ),
            (
                "invalid json".into(),
                format!("not json {pan}").into_bytes(),
            ),
        ];
        for (name, body) in bodies {
            let e = reject(CT, None, &body);
            assert_eq!(
                (e.status, e.code),
                (400, "card_number_detected"),
                "{pan} in {name}"
            );
            assert!(!format!("{e:?}").contains(pan), "{name}: echoed");
        }
    }
    // JSON escapes do not hide a PAN, not even escaped full-width digits and no-break spaces.
    let escaped = br#"{"description": "\u0034111111111111111"}"#;
    assert_eq!(reject(CT, None, escaped).code, "card_number_detected");
    let escaped_wide =
        br#"{"description": "\uff14\uff11\uff11\uff11\u00a01111\u00a01111\u00a01111"}"#;
    assert_eq!(reject(CT, None, escaped_wide).code, "card_number_detected");
    // Nor does the idempotency header.
    let e = reject(CT, Some("4111111111111111"), &without("payment_id"));
    assert_eq!(e.code, "card_number_detected");
    // Luhn-invalid 16-digit numbers and epoch timestamps are not card numbers.
    assert!(
        parse_create(
            CT,
            None,
            &with("description", json!("ref 4111111111111112"))
        )
        .is_ok()
    );
    assert!(parse_create(CT, None, &with("payment_id", json!("p1700000000000123"))).is_ok());
}

/// The JSON schema handed to API Gateway agrees with the validator's constants.
#[test]
fn schema_matches_validator() {
    let schema: Value =
        serde_json::from_str(include_str!("../schema/payment-request.schema.json")).unwrap();
    let props = schema["properties"].as_object().unwrap();
    let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut fields = FIELDS.to_vec();
    fields.sort_unstable();
    assert_eq!(names, fields);
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(props["amount"]["maximum"], MAX_AMOUNT_MINOR);
    assert_eq!(props["amount"]["minimum"], 1);
    assert_eq!(
        props["description"]["maxLength"],
        validation::MAX_DESCRIPTION_CHARS
    );
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for f in [
        "amount",
        "currency",
        "merchant_id",
        "customer_id",
        "card_token",
    ] {
        assert!(required.contains(&f), "{f}");
    }
    assert!(!required.contains(&"payment_id"));
    // Every pattern agrees with the validator on a few probes.
    let probes = [
        "a",
        "A_b-9",
        "",
        "a b",
        "tok_abcdefgh",
        "tok_abc",
        &"z".repeat(64),
        &"z".repeat(65),
    ];
    for probe in probes {
        assert_eq!(
            simple_pattern_match(props["merchant_id"]["pattern"].as_str().unwrap(), probe),
            validation::is_id(probe),
            "{probe}"
        );
        assert_eq!(
            simple_pattern_match(props["card_token"]["pattern"].as_str().unwrap(), probe),
            validation::is_token(probe),
            "{probe}"
        );
    }
}

/// Matches the two pattern shapes used in the schema: `^PREFIX[CLASS]{MIN,MAX}$`.
fn simple_pattern_match(pattern: &str, s: &str) -> bool {
    let p = pattern
        .strip_prefix('^')
        .unwrap()
        .strip_suffix('$')
        .unwrap();
    let (prefix, rest) = p.split_at(p.find('[').unwrap());
    let (class, counts) = rest[1..].split_once(']').unwrap();
    let (min, max) = counts
        .trim_matches(|c| c == '{' || c == '}')
        .split_once(',')
        .unwrap();
    let (min, max): (usize, usize) = (min.parse().unwrap(), max.parse().unwrap());
    let Some(tail) = s.strip_prefix(prefix) else {
        return false;
    };
    let allowed = |c: char| {
        (class.contains("A-Z") && c.is_ascii_uppercase())
            || (class.contains("a-z") && c.is_ascii_lowercase())
            || (class.contains("0-9") && c.is_ascii_digit())
            || (class.contains('_') && c == '_')
            || (class.ends_with('-') && c == '-')
    };
    (min..=max).contains(&tail.chars().count()) && tail.chars().all(allowed)
}
