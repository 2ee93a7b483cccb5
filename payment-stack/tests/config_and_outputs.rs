//! The library's inputs and output conversion through the public API: the naming rules' edges,
//! the error messages users see, and the flat-outputs conversion.

use payment_stack::config::MAX_SUFFIX_LEN;
use payment_stack::outputs::{FlattenError, flatten};
use payment_stack::{Config, ConfigError, build};

#[test]
fn domain_labels_follow_dns_rules() {
    let label63 = "a".repeat(63);
    let ok = [
        "payments.example.com".to_owned(),
        "pay-1.example.com".to_owned(),
        "a.b".to_owned(),
        format!("{label63}.com"),
    ];
    for domain in &ok {
        assert_eq!(
            Config::new("dev", domain).unwrap().domain(),
            domain.as_str()
        );
    }
    let label64 = "a".repeat(64);
    // 4 labels of 63 plus 3 dots: 255 characters, longer than the 200 allowed.
    let too_long = [label63.as_str(); 4].join(".");
    let bad = [
        format!("{label64}.com"),
        too_long,
        "pay-.example.com".to_owned(),
        "pay.example.com.".to_owned(),
        ".example.com".to_owned(),
        "pay ments.example.com".to_owned(),
        String::new(),
    ];
    for domain in &bad {
        assert_eq!(
            Config::new("dev", domain),
            Err(ConfigError::Domain(domain.clone())),
            "{domain}"
        );
    }
}

#[test]
fn the_suffix_is_checked_before_the_domain() {
    assert_eq!(
        Config::new("Bad", "also bad"),
        Err(ConfigError::Suffix("Bad".to_owned()))
    );
}

#[test]
fn errors_explain_the_rule() {
    let suffix = Config::new("x_y", "p.example.com").unwrap_err().to_string();
    assert_eq!(
        suffix,
        format!(
            "invalid environment suffix `x_y`: expected 1 to {MAX_SUFFIX_LEN} lowercase letters or digits, starting with a letter (it becomes part of S3 bucket names)"
        )
    );
    let domain = Config::new("dev", "nodot").unwrap_err().to_string();
    assert_eq!(
        domain,
        "invalid domain `nodot`: expected a lowercase DNS name such as `payments.example.com`"
    );
}

#[test]
fn accessors_return_the_validated_inputs() {
    let cfg = Config::new("pr7", "pay.example.org").unwrap();
    assert_eq!(cfg.suffix(), "pr7");
    assert_eq!(cfg.domain(), "pay.example.org");
    assert_eq!(cfg.api_host(), "api.pay.example.org");
    assert_eq!(cfg.latency_host(), "api-latency.pay.example.org");
    assert_eq!(cfg.lambda_zip(), "../dist/payment-processor.zip");
    assert_eq!(cfg.name("alarms"), "payment-pr7-alarms");
    let tags = cfg.tags();
    assert_eq!(tags.len(), 3);
    assert_eq!(tags["Environment"], "pr7");
    assert_eq!(tags["ManagedBy"], "infra-core");
    let moved = cfg.clone().with_lambda_zip("../../build/fn.zip");
    assert_eq!(moved.lambda_zip(), "../../build/fn.zip");
    assert_eq!(moved.suffix(), cfg.suffix());
    assert_ne!(moved, cfg);
}

#[test]
fn the_lambda_zip_reaches_both_functions() {
    let cfg = Config::new("dev", "payments.example.com")
        .unwrap()
        .with_lambda_zip("../artifacts/fn.zip");
    let doc = build(&cfg).synth().unwrap();
    let functions = doc.value()["resource"]["aws_lambda_function"]
        .as_object()
        .unwrap();
    assert_eq!(functions.len(), 2);
    for (name, f) in functions {
        assert_eq!(
            f["filename"], "${path.module}/../artifacts/fn.zip",
            "{name}"
        );
        assert_eq!(
            f["source_code_hash"], "${filebase64sha256(\"${path.module}/../artifacts/fn.zip\")}",
            "{name}"
        );
    }
}

#[test]
fn flatten_turns_terraform_output_into_strings() {
    let flat = flatten(
        r#"{
            "api_url": {"value": "https://api.p.example.com", "type": "string", "sensitive": false},
            "api_key": {"value": "secret", "type": "string", "sensitive": true},
            "count": {"value": 2, "type": "number", "sensitive": false},
            "enabled": {"value": true, "type": "bool", "sensitive": false},
            "tags": {"value": {"a": "b"}, "type": ["map", "string"], "sensitive": false}
        }"#,
    )
    .unwrap();
    assert_eq!(flat.len(), 5);
    assert_eq!(flat["api_url"], "https://api.p.example.com");
    assert_eq!(flat["api_key"], "secret");
    assert_eq!(flat["count"], "2");
    assert_eq!(flat["enabled"], "true");
    assert_eq!(flat["tags"], r#"{"a":"b"}"#);
    assert!(flatten("{}").unwrap().is_empty());
}

#[test]
fn flatten_errors_say_what_was_wrong() {
    let e = flatten(r#""a string""#).unwrap_err();
    assert!(matches!(e, FlattenError::Shape(_)));
    assert_eq!(
        e.to_string(),
        "expected `terraform output -json` (an object of {\"value\": …} entries), found a non-object"
    );
    let e = flatten(r#"{"ok": {"value": 1}, "table_name": {"type": "string"}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "expected `terraform output -json` (an object of {\"value\": …} entries), found `table_name` without a `value`"
    );
    let e = flatten("not json").unwrap_err();
    assert!(matches!(e, FlattenError::Json(_)));
    assert!(e.to_string().starts_with("the input is not JSON: "), "{e}");
}
