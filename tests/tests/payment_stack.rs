//! The payment platform as synthesized: services, regions, naming, tags, encryption, IAM,
//! schema conformance and determinism (the reviewed snapshots, one per part and region, are
//! in `payment_snapshots.rs`).

use std::collections::BTreeSet;

use infra_core::schema::{Schema, validate};
use infra_core::testing::{self, assert_all_resources, assert_has_resource};
use infra_core::{Document, Text, TextPart};
use payment_stack::{Config, build};
use serde_json::{Value, json};

fn synth(suffix: &str) -> Document {
    build(&Config::new(suffix, "payments.example.com").unwrap())
        .synth()
        .expect("the payment stack synthesizes")
}

/// Every resource as `(type, name, body)`.
fn all_resources(doc: &Document) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (ty, by_name) in doc.value()["resource"].as_object().unwrap() {
        for (name, body) in by_name.as_object().unwrap() {
            out.push((ty.clone(), name.clone(), body.clone()));
        }
    }
    out
}

/// A policy template with every `${…}` replaced by `REF`, parsed as JSON: the template is read
/// with infra-core's own reader (`Text::parse`), as Terraform reads it.
fn policy(template: &Value) -> Value {
    let text = template.as_str().expect("a policy is a string");
    let parsed = Text::parse(text).unwrap_or_else(|e| panic!("{e}"));
    let out: String = parsed
        .parts()
        .map(|part| match part {
            TextPart::Literal(s) => s,
            TextPart::Expression(_) => "REF",
        })
        .collect();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// Every policy document in the stack, with where it is.
fn all_policies(doc: &Document) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (ty, name, body) in all_resources(doc) {
        for key in ["policy", "assume_role_policy", "policy_document"] {
            if let Some(p) = body.get(key) {
                out.push((format!("{ty}.{name}.{key}"), policy(p)));
            }
        }
    }
    out
}

fn as_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().unwrap().to_owned())
            .collect(),
        _ => vec![],
    }
}

#[test]
fn synthesizes_byte_identical_output_every_time() {
    let first = synth("dev").to_json_string();
    for _ in 0..3 {
        assert_eq!(first, synth("dev").to_json_string());
    }
    assert_ne!(first, synth("qa").to_json_string());
}

#[test]
fn the_synthesized_stack_conforms_to_the_provider_schema() {
    let doc = synth("dev");
    let report = validate(doc.value(), Schema::aws());
    assert!(report.is_ok(), "{report}");
}

#[test]
fn every_required_service_is_present() {
    let doc = synth("dev");
    let services = [
        "aws_api_gateway_rest_api",
        "aws_lambda_function",
        "aws_dynamodb_table",
        "aws_s3_bucket",
        "aws_route53_record",
        "aws_cloudwatch_metric_alarm",
        "aws_sns_topic",
        "aws_iam_role",
        "aws_kms_key",
        "aws_ssm_parameter",
    ];
    for ty in services {
        assert!(testing::count(&doc, ty) > 0, "no `{ty}`");
    }
    // Per region: one API, one function, one alarm topic; one global table.
    assert_eq!(testing::count(&doc, "aws_api_gateway_rest_api"), 2);
    assert_eq!(testing::count(&doc, "aws_lambda_function"), 2);
    assert_eq!(testing::count(&doc, "aws_sns_topic"), 2);
    assert_eq!(testing::count(&doc, "aws_dynamodb_table"), 1);
    // 4 purpose keys per region, plus the DNSSEC signing key.
    assert_eq!(testing::count(&doc, "aws_kms_key"), 9);
}

#[test]
fn two_providers_in_the_right_regions() {
    let doc = synth("dev");
    let providers = doc.value()["provider"]["aws"].as_array().unwrap();
    let pairs: BTreeSet<(String, String)> = providers
        .iter()
        .map(|p| {
            (
                p["alias"].as_str().unwrap().to_owned(),
                p["region"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        pairs,
        BTreeSet::from([
            ("primary".to_owned(), "us-east-1".to_owned()),
            ("secondary".to_owned(), "us-west-2".to_owned())
        ])
    );
    assert_eq!(
        doc.value()["terraform"]["required_providers"]["aws"],
        json!({"source": "hashicorp/aws", "version": ">= 6.9.0, < 7.0.0"})
    );
    for (ty, name, body) in all_resources(&doc) {
        let p = body["provider"].as_str().unwrap_or_default();
        assert!(
            p == "aws.primary" || p == "aws.secondary",
            "{ty}.{name} has provider {p:?}"
        );
        // Regional resources sit with their region's provider.
        if name.starts_with("primary_") {
            assert_eq!(p, "aws.primary", "{ty}.{name}");
        } else {
            assert_eq!(p, "aws.secondary", "{ty}.{name}");
        }
    }
}

#[test]
fn every_taggable_resource_gets_the_default_tags() {
    let doc = synth("qa7");
    let expected = json!({
        "Environment": "qa7",
        "Project": "payment-infrastructure",
        "ManagedBy": "infra-core",
    });
    for p in doc.value()["provider"]["aws"].as_array().unwrap() {
        assert_eq!(
            p["default_tags"]["tags"], expected,
            "provider {}",
            p["alias"]
        );
    }
    let schema = Schema::aws();
    let mut taggable = 0;
    for (ty, name, body) in all_resources(&doc) {
        let block = schema.resource(&ty).unwrap();
        if block.attributes.contains_key("tags_all") {
            taggable += 1;
            // Tags set on a resource must not override the platform's tags.
            if let Some(tags) = body.get("tags").and_then(Value::as_object) {
                for key in ["Environment", "Project", "ManagedBy"] {
                    assert!(!tags.contains_key(key), "{ty}.{name} overrides `{key}`");
                }
            }
        }
    }
    assert!(taggable > 50, "only {taggable} taggable resources");
}

#[test]
fn every_named_resource_follows_the_naming_rule() {
    let suffix = "qa7";
    let doc = synth(suffix);
    let naming_args = [
        "name",
        "function_name",
        "alarm_name",
        "bucket",
        "policy_name",
        "name_prefix",
    ];
    // Names AWS constrains to other shapes, each checked below instead.
    let exempt = [
        ("aws_api_gateway_model", "name"),             // alphanumeric only
        ("aws_route53_zone", "name"),                  // the platform's domain
        ("aws_route53_record", "name"),                // host names in that domain
        ("aws_route53_key_signing_key", "name"),       // alphanumeric only
        ("aws_signer_signing_profile", "name_prefix"), // alphanumeric only
    ];
    let mut checked = 0;
    for (ty, name, body) in all_resources(&doc) {
        for arg in naming_args {
            let Some(value) = body.get(arg).and_then(Value::as_str) else {
                continue;
            };
            if ty.starts_with("aws_s3_bucket_") || ty == "aws_iam_role_policy_attachment" {
                continue; // `bucket` there refers to the bucket, not a name
            }
            if value.starts_with("${") && value.ends_with('}') && value.matches("${").count() == 1 {
                continue; // a reference to a resource named elsewhere
            }
            if exempt.contains(&(ty.as_str(), arg)) {
                assert!(
                    value.contains("payment")
                        || value.contains("payments.example.com")
                        || value == "CreatePayment",
                    "{ty}.{name}.{arg} = {value}"
                );
                continue;
            }
            assert!(
                value.contains(&format!("payment-{suffix}-")),
                "{ty}.{name}.{arg} = {value:?} does not follow `payment-{suffix}-…`"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} names checked");
}

#[test]
fn bucket_names_are_globally_unique_and_short_enough() {
    let doc = synth("abcdefghijkl"); // the longest suffix allowed
    for (bucket, body) in testing::resources(&doc, "aws_s3_bucket") {
        let name = body["bucket"].as_str().unwrap();
        // The account ID, read through the bucket's own provider.
        let alias = bucket.split('_').next().unwrap();
        let account = format!("${{data.aws_caller_identity.{alias}_account.account_id}}");
        assert!(name.contains(&account), "{name}");
        let rendered = name.replace(&account, "123456789012");
        assert!(
            rendered.len() <= 63,
            "{rendered} is {} characters",
            rendered.len()
        );
        assert!(
            infra_core::backend::valid_bucket_name(&rendered),
            "{rendered}"
        );
    }
}

#[test]
fn encryption_is_on_everywhere() {
    let doc = synth("dev");
    let table = testing::resource(&doc, "aws_dynamodb_table", "primary_payments").unwrap();
    assert_eq!(
        table["server_side_encryption"],
        json!({"enabled": true, "kms_key_arn": "${aws_kms_key.primary_data_key.arn}"})
    );
    assert_eq!(table["replica"][0]["region_name"], "us-west-2");
    assert_eq!(
        table["replica"][0]["kms_key_arn"],
        "${aws_kms_key.secondary_data_key.arn}"
    );
    assert_eq!(table["replica"][0]["point_in_time_recovery"], true);
    for name in ["primary_audit_encryption", "secondary_audit_encryption"] {
        let sse = testing::resource(
            &doc,
            "aws_s3_bucket_server_side_encryption_configuration",
            name,
        )
        .unwrap();
        let rule = &sse["rule"][0];
        assert_eq!(
            rule["apply_server_side_encryption_by_default"]["sse_algorithm"], "aws:kms",
            "{name}"
        );
        assert_eq!(rule["bucket_key_enabled"], true, "{name}");
        let region = name.split('_').next().unwrap();
        assert_eq!(
            rule["apply_server_side_encryption_by_default"]["kms_master_key_id"],
            format!("${{aws_kms_key.{region}_s3_key.arn}}")
        );
    }
    for (name, group) in testing::resources(&doc, "aws_cloudwatch_log_group") {
        assert!(
            group["kms_key_id"]
                .as_str()
                .unwrap()
                .starts_with("${aws_kms_key."),
            "{name}"
        );
    }
    for (ty, key) in [
        ("aws_sns_topic", "kms_master_key_id"),
        ("aws_sqs_queue", "kms_master_key_id"),
        ("aws_lambda_function", "kms_key_arn"),
        ("aws_ssm_parameter", "key_id"),
    ] {
        for (name, body) in testing::resources(&doc, ty) {
            assert!(
                body[key].as_str().unwrap().starts_with("${aws_kms_key."),
                "{ty}.{name}"
            );
        }
    }
    assert_all_resources(&doc, "aws_ssm_parameter", &json!({"type": "SecureString"}));
    assert_all_resources(&doc, "aws_kms_key", &json!({"deletion_window_in_days": 30}));
    // Symmetric keys rotate; the DNSSEC signing key is asymmetric (AWS does not rotate those).
    for (name, key) in testing::resources(&doc, "aws_kms_key") {
        if key.get("customer_master_key_spec").is_none() {
            assert_eq!(key["enable_key_rotation"], true, "{name}");
        }
    }
    assert_all_resources(
        &doc,
        "aws_s3_bucket_public_access_block",
        &json!({"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}),
    );
    assert_eq!(
        testing::count(&doc, "aws_s3_bucket_public_access_block"),
        testing::count(&doc, "aws_s3_bucket")
    );
}

#[test]
fn the_table_is_the_specified_global_table() {
    let doc = synth("dev");
    assert_has_resource(
        &doc,
        "aws_dynamodb_table",
        &json!({
            "name": "payment-dev-payments",
            "hash_key": "payment_id",
            "range_key": "timestamp",
            "billing_mode": "PAY_PER_REQUEST",
            "stream_enabled": true,
            "stream_view_type": "NEW_AND_OLD_IMAGES",
            "deletion_protection_enabled": true,
            "point_in_time_recovery": {"enabled": true},
            "global_secondary_index": [{"name": "status-index", "hash_key": "status", "range_key": "timestamp", "projection_type": "ALL"}],
        }),
    );
}

#[test]
fn iam_policies_have_no_wildcard_actions_and_scoped_resources() {
    let doc = synth("dev");
    let policies = all_policies(&doc);
    assert!(policies.len() > 20);
    for (place, p) in &policies {
        let is_key_policy = place.starts_with("aws_kms_key.");
        for s in p["Statement"].as_array().unwrap() {
            let actions = as_list(&s["Action"]);
            let resources = as_list(&s["Resource"]);
            let deny = s["Effect"] == "Deny";
            for a in &actions {
                if a.contains('*') {
                    // Only two wildcards exist: the key policies' account statement
                    // (delegation to IAM) and the TLS-only deny.
                    assert!(
                        (is_key_policy
                            && a == "kms:*"
                            && s["Sid"] == "AccountAdministersKeyThroughIam")
                            || (deny && a == "s3:*"),
                        "{place}: wildcard action {a}"
                    );
                }
            }
            if resources == ["*"] && !is_key_policy && !deny {
                assert!(
                    actions.iter().all(|a| a.starts_with("xray:")),
                    "{place}: `*` resource for {actions:?}"
                );
            }
            if !deny && s.get("Principal").is_some_and(|p| p == "*") {
                panic!("{place}: allows everyone");
            }
        }
    }
}

#[test]
fn the_function_role_grants_exactly_what_the_function_needs() {
    let doc = synth("dev");
    let body = testing::resource(&doc, "aws_iam_role_policy", "primary_role_policy").unwrap();
    let p = policy(&body["policy"]);
    let mut grants: Vec<(Vec<String>, Vec<String>)> = p["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (as_list(&s["Action"]), as_list(&s["Resource"])))
        .collect();
    grants.sort();
    let expected: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec![
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:ConditionCheckItem",
            ],
            vec!["REF"],
        ),
        (
            vec!["dynamodb:Query"],
            vec!["REF", "REF/index/status-index"],
        ),
        (vec!["kms:Decrypt"], vec!["REF"]),
        (vec!["kms:Decrypt", "kms:DescribeKey"], vec!["REF"]),
        (vec!["kms:GenerateDataKey", "kms:Decrypt"], vec!["REF"]),
        (vec!["kms:GenerateDataKey", "kms:Decrypt"], vec!["REF"]),
        (
            vec!["logs:CreateLogStream", "logs:PutLogEvents"],
            vec!["REF:*"],
        ),
        (vec!["s3:PutObject"], vec!["REF/audit/*"]),
        (vec!["sqs:SendMessage"], vec!["REF"]),
        (
            vec!["ssm:GetParameter", "ssm:GetParameters"],
            vec!["REF", "REF", "REF"],
        ),
        (
            vec!["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            vec!["*"],
        ),
    ];
    let mut expected: Vec<(Vec<String>, Vec<String>)> = expected
        .into_iter()
        .map(|(a, r)| {
            (
                a.into_iter().map(str::to_owned).collect(),
                r.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(grants, expected);
    // And the references point at this region's own resources.
    let text = body["policy"].as_str().unwrap();
    assert!(text.contains("${aws_dynamodb_table.primary_payments.arn}/index/status-index"));
    assert!(text.contains("${aws_s3_bucket.primary_audit_bucket.arn}/audit/*"));
    assert!(text.contains("${aws_cloudwatch_log_group.primary_function_logs.arn}:*"));
    assert!(!text.contains("secondary_"), "{text}");
    // The secondary function works on the table's us-west-2 replica.
    let west = testing::resource(&doc, "aws_iam_role_policy", "secondary_role_policy").unwrap();
    assert!(west["policy"].as_str().unwrap().contains(
        r#"replace(aws_dynamodb_table.primary_payments.arn, ":us-east-1:", ":us-west-2:")"#
    ));
}

#[test]
fn the_api_is_protected_as_specified() {
    let doc = synth("dev");
    for (name, m) in testing::resources(&doc, "aws_api_gateway_method") {
        let open = m["http_method"] == "OPTIONS" || name.ends_with("check_health");
        assert_eq!(m["api_key_required"], !open, "{name}");
        assert!(
            m["request_validator_id"].is_string(),
            "{name} has no validator"
        );
    }
    assert_all_resources(
        &doc,
        "aws_api_gateway_stage",
        &json!({"xray_tracing_enabled": true, "cache_cluster_enabled": false, "stage_name": "v1"}),
    );
    assert_all_resources(
        &doc,
        "aws_api_gateway_method_settings",
        &json!({"method_path": "*/*", "settings": {"metrics_enabled": true, "logging_level": "INFO", "caching_enabled": false, "data_trace_enabled": false}}),
    );
    assert_all_resources(
        &doc,
        "aws_api_gateway_domain_name",
        &json!({"security_policy": "TLS_1_2", "endpoint_configuration": {"types": ["REGIONAL"]}}),
    );
    assert_all_resources(
        &doc,
        "aws_api_gateway_rest_api",
        &json!({"lifecycle": {"create_before_destroy": true}}),
    );
    assert_all_resources(
        &doc,
        "aws_api_gateway_deployment",
        &json!({"lifecycle": {"create_before_destroy": true}}),
    );
    assert_eq!(testing::count(&doc, "aws_wafv2_web_acl_association"), 2);
    assert_eq!(testing::count(&doc, "aws_api_gateway_gateway_response"), 4);
    // Each function may be invoked only by its own API.
    let permission =
        testing::resource(&doc, "aws_lambda_permission", "primary_invoke_permission").unwrap();
    assert_eq!(
        permission["source_arn"],
        "${aws_api_gateway_rest_api.primary_api.execution_arn}/v1/*/*"
    );
    assert_eq!(permission["principal"], "apigateway.amazonaws.com");
}

#[test]
fn the_function_runs_as_specified() {
    let doc = synth("dev");
    assert_all_resources(
        &doc,
        "aws_lambda_function",
        &json!({
            "runtime": "provided.al2023",
            "handler": "bootstrap",
            "memory_size": 512,
            "architectures": ["x86_64"],
            "tracing_config": {"mode": "Active"},
            "filename": "${path.module}/../dist/payment-processor.zip",
            "source_code_hash": "${filebase64sha256(\"${path.module}/../dist/payment-processor.zip\")}",
        }),
    );
    for (name, f) in testing::resources(&doc, "aws_lambda_function") {
        assert!(f.get("reserved_concurrent_executions").is_none(), "{name}");
        let vars = f["environment"]["variables"].as_object().unwrap();
        let keys: BTreeSet<&str> = vars.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "AUDIT_BUCKET",
                "AUDIT_KMS_KEY_ARN",
                "AUDIT_PREFIX",
                "ENVIRONMENT",
                "LOG_LEVEL",
                "METRICS_NAMESPACE",
                "READ_ONLY_HOSTS",
                "TABLE_NAME"
            ]),
            "{name}"
        );
    }
    assert_all_resources(&doc, "aws_cloudwatch_log_group", &json!({}));
    let logs =
        testing::resource(&doc, "aws_cloudwatch_log_group", "primary_function_logs").unwrap();
    assert_eq!(logs["retention_in_days"], 7);
}

#[test]
fn alarms_cover_the_specified_signals_and_notify_the_regions_topic() {
    let doc = synth("dev");
    let alarms = testing::resources(&doc, "aws_cloudwatch_metric_alarm");
    for region in ["primary", "secondary"] {
        let names: BTreeSet<&str> = alarms
            .iter()
            .filter(|(n, _)| n.starts_with(region))
            .map(|(n, _)| *n)
            .collect();
        for signal in [
            "lambda_error_rate",
            "lambda_duration_alarm",
            "dynamodb_read_throttles_alarm",
            "dynamodb_write_throttles_alarm",
            "api_5xx_alarm",
            "replication_latency_alarm",
            "audit_pending_overdue_alarm",
        ] {
            assert!(
                names.contains(format!("{region}_{signal}").as_str()),
                "{region} lacks {signal}: {names:?}"
            );
        }
        for (name, alarm) in alarms.iter().filter(|(n, _)| n.starts_with(region)) {
            assert_eq!(
                alarm["alarm_actions"],
                json!([format!("${{aws_sns_topic.{region}_alarms.arn}}")]),
                "{name}"
            );
        }
    }
    assert_eq!(testing::count(&doc, "aws_cloudwatch_log_metric_filter"), 6);
}

#[test]
fn reconciliation_is_scheduled_least_privilege_and_alarmed() {
    let doc = synth("dev");
    for (region, function) in [
        ("primary", "primary_function"),
        ("secondary", "secondary_function"),
    ] {
        let of = |ty: &str, name: &str| {
            testing::resource(&doc, ty, &format!("{region}_{name}"))
                .unwrap_or_else(|| panic!("no {ty} {region}_{name}"))
        };
        let rule_ref = format!("aws_cloudwatch_event_rule.{region}_reconcile_schedule");
        let rule = of("aws_cloudwatch_event_rule", "reconcile_schedule");
        assert_eq!(rule["schedule_expression"], "rate(5 minutes)");
        assert_eq!(rule["state"], "ENABLED");
        assert!(
            rule.get("event_pattern").is_none(),
            "a schedule, not a pattern: {rule}"
        );
        // The target is this region's function, in its reconcile mode.
        let target = of("aws_cloudwatch_event_target", "reconcile_target");
        assert_eq!(target["rule"], format!("${{{rule_ref}.name}}"));
        assert_eq!(
            target["arn"],
            format!("${{aws_lambda_function.{function}.arn}}")
        );
        let input: Value = serde_json::from_str(target["input"].as_str().unwrap()).unwrap();
        assert_eq!(input["mode"], "reconcile");
        assert!(
            input["overdue_seconds"].as_u64().unwrap() > input["grace_seconds"].as_u64().unwrap()
        );
        // Only that rule may invoke the function through EventBridge.
        let permission = of("aws_lambda_permission", "reconcile_permission");
        assert_eq!(permission["principal"], "events.amazonaws.com");
        assert_eq!(permission["action"], "lambda:InvokeFunction");
        assert_eq!(permission["source_arn"], format!("${{{rule_ref}.arn}}"));
        assert_eq!(
            permission["function_name"],
            format!("${{aws_lambda_function.{function}.function_name}}")
        );
        assert!(permission.get("qualifier").is_none());
        // Reconciliation adds no grant: it uses the payment grants (query the status index,
        // read and update records, put audit objects) and nothing broader.
        let role = of("aws_iam_role_policy", "role_policy");
        let actions: BTreeSet<String> = policy(&role["policy"])["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| as_list(&s["Action"]))
            .collect();
        for needed in [
            "dynamodb:Query",
            "dynamodb:GetItem",
            "dynamodb:UpdateItem",
            "s3:PutObject",
            "kms:GenerateDataKey",
        ] {
            assert!(
                actions.contains(needed),
                "{region}: reconcile needs {needed}"
            );
        }
        for broad in [
            "dynamodb:Scan",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "s3:GetObject",
            "s3:DeleteObject",
            "s3:ListBucket",
        ] {
            assert!(!actions.contains(broad), "{region}: {broad} is not needed");
        }
        // Records pending too long (or no report at all) page the region's topic.
        let alarm = of("aws_cloudwatch_metric_alarm", "audit_pending_overdue_alarm");
        assert_eq!(alarm["namespace"], "Payments");
        assert_eq!(alarm["metric_name"], "AuditPendingOverdue");
        assert_eq!(
            alarm["dimensions"],
            json!({"Environment": "dev", "Operation": "Reconcile"})
        );
        assert_eq!(alarm["comparison_operator"], "GreaterThanThreshold");
        assert_eq!(alarm["threshold"], 0.0);
        assert_eq!(alarm["treat_missing_data"], "breaching");
        assert_eq!(
            alarm["alarm_actions"],
            json!([format!("${{aws_sns_topic.{region}_alarms.arn}}")])
        );
    }
    // EventBridge may invoke nothing else.
    let from_events: Vec<_> = testing::resources(&doc, "aws_lambda_permission")
        .into_iter()
        .filter(|(_, p)| p["principal"] == "events.amazonaws.com")
        .collect();
    assert_eq!(from_events.len(), 2, "{from_events:?}");
}

#[test]
fn dns_routes_by_failover_and_latency() {
    let doc = synth("dev");
    let records = testing::resources(&doc, "aws_route53_record");
    let failover: Vec<_> = records
        .iter()
        .filter(|(_, r)| r.get("failover_routing_policy").is_some())
        .collect();
    let latency: Vec<_> = records
        .iter()
        .filter(|(_, r)| r.get("latency_routing_policy").is_some())
        .collect();
    assert_eq!(failover.len(), 2);
    assert_eq!(latency.len(), 2);
    let primary = testing::resource(&doc, "aws_route53_record", "primary_api_primary").unwrap();
    assert_eq!(primary["failover_routing_policy"]["type"], "PRIMARY");
    assert_eq!(
        primary["health_check_id"],
        "${aws_route53_health_check.primary_us_east_1_health.id}"
    );
    assert_eq!(primary["alias"]["evaluate_target_health"], true);
    // Validation records use a TTL of 60; alias records have none.
    for (name, r) in &records {
        if r.get("alias").is_some() {
            assert!(r.get("ttl").is_none(), "{name}");
        } else {
            assert_eq!(r["ttl"], 60, "{name}");
        }
    }
    assert_all_resources(
        &doc,
        "aws_route53_health_check",
        &json!({"type": "HTTPS", "resource_path": "/v1/health", "port": 443}),
    );
    assert_eq!(testing::count(&doc, "aws_route53_hosted_zone_dnssec"), 1);
    assert_eq!(testing::count(&doc, "aws_route53_query_log"), 1);
}

#[test]
fn secrets_appear_only_in_sensitive_outputs() {
    let doc = synth("dev");
    let outputs = doc.value()["output"].as_object().unwrap();
    for (name, o) in outputs {
        let value = o["value"].as_str().unwrap();
        let secret = value.contains(".value}");
        assert_eq!(
            o.get("sensitive") == Some(&json!(true)),
            secret,
            "output {name}"
        );
    }
    assert_eq!(outputs["api_key"]["sensitive"], true);
    // The API key value reaches SSM only as a SecureString.
    let text = doc.to_json_string();
    let api_key_uses: Vec<_> = all_resources(&doc)
        .into_iter()
        .filter(|(_, _, b)| {
            b.to_string()
                .contains("aws_api_gateway_api_key.primary_api_key.value")
        })
        .map(|(t, n, _)| format!("{t}.{n}"))
        .collect();
    assert_eq!(
        api_key_uses,
        // Its SecureString parameter, and the secondary key that reuses the value.
        [
            "aws_api_gateway_api_key.secondary_api_key",
            "aws_ssm_parameter.primary_api_key_parameter"
        ],
        "{}",
        text.len()
    );
}

#[test]
fn bad_inputs_are_refused_with_clear_messages() {
    let err = Config::new("Prod_1", "payments.example.com").unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid environment suffix `Prod_1`"),
        "{err}"
    );
    assert!(Config::new("toolongsuffix1", "payments.example.com").is_err());
    let err = Config::new("dev", "not a domain").unwrap_err();
    assert!(err.to_string().contains("invalid domain"), "{err}");
    let err = infra_core::S3Backend::new("Bad Bucket", "k", "us-east-1").unwrap_err();
    assert!(err.to_string().contains("invalid state bucket"), "{err}");
}

#[test]
fn one_client_key_works_in_both_regions() {
    let doc = synth("dev");
    let west = testing::resource(&doc, "aws_api_gateway_api_key", "secondary_api_key").unwrap();
    assert_eq!(
        west["value"],
        "${aws_api_gateway_api_key.primary_api_key.value}"
    );
    let east = testing::resource(&doc, "aws_api_gateway_api_key", "primary_api_key").unwrap();
    assert!(
        east.get("value").is_none(),
        "the primary key is generated by API Gateway"
    );
}

#[test]
fn health_checkers_are_not_blocked_by_the_firewall() {
    let doc = synth("dev");
    for (name, acl) in testing::resources(&doc, "aws_wafv2_web_acl") {
        let anonymous = acl["rule"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "AWSManagedRulesAnonymousIpList")
            .unwrap_or_else(|| panic!("{name} lacks the anonymous-IP group"));
        assert_eq!(
            anonymous["statement"]["managed_rule_group_statement"]["rule_action_override"],
            json!([{"name": "HostingProviderIPList", "action_to_use": {"count": {}}}]),
            "{name}"
        );
    }
}

#[test]
fn alarm_email_subscribes_both_regions_when_given() {
    let none = synth("dev");
    assert_eq!(testing::count(&none, "aws_sns_topic_subscription"), 0);
    let cfg = Config::new("dev", "payments.example.com")
        .unwrap()
        .with_alarm_email("oncall@example.com")
        .unwrap();
    let doc = build(&cfg).synth().unwrap();
    assert_eq!(testing::count(&doc, "aws_sns_topic_subscription"), 2);
    assert_all_resources(
        &doc,
        "aws_sns_topic_subscription",
        &json!({"protocol": "email", "endpoint": "oncall@example.com"}),
    );
    assert!(validate(doc.value(), Schema::aws()).is_ok());
}

#[test]
fn cors_allows_one_origin_never_any() {
    let doc = synth("dev");
    let mut seen = 0;
    for ty in [
        "aws_api_gateway_gateway_response",
        "aws_api_gateway_integration_response",
    ] {
        for (name, r) in testing::resources(&doc, ty) {
            let params = r["response_parameters"].as_object().unwrap();
            let origin = params
                .iter()
                .find(|(k, _)| k.ends_with("Access-Control-Allow-Origin"))
                .map(|(_, v)| v.as_str().unwrap())
                .unwrap_or_else(|| panic!("{ty}.{name} has no CORS origin"));
            assert_eq!(origin, "'https://payments.example.com'", "{ty}.{name}");
            seen += 1;
        }
    }
    assert_eq!(
        seen, 8,
        "4 gateway responses and 4 preflight integration responses"
    );
    let shop = Config::new("dev", "payments.example.com")
        .unwrap()
        .with_cors_origin("https://shop.example.com")
        .unwrap();
    assert!(
        build(&shop)
            .synth()
            .unwrap()
            .to_json_string()
            .contains("'https://shop.example.com'")
    );
}

#[test]
fn the_pci_pack_passes_with_every_suppression_justified() {
    let stack = build(&Config::new("dev", "payments.example.com").unwrap());
    let reports = stack
        .compliance()
        .expect("the payment stack passes its PCI pack");
    let [pci] = &reports[..] else {
        panic!("one pack, found {}", reports.len())
    };
    assert!(pci.passed(), "{}", pci.to_markdown());
    for req in [
        "1.3.1", "1.4.4", "3.5.1", "3.6.1", "3.7.4", "4.2.1", "6.4.2", "7.2.1", "7.2.2", "10.2.1",
        "10.5.1", "10.7.2",
    ] {
        assert_eq!(pci.requirement_status(req), Some("pass"), "{req}");
    }
    // Each suppression names a resource of the stack and says why (an unmatched one would
    // have failed synth).
    let doc = stack.synth().unwrap();
    let suppressions = pci.value()["suppressions"].as_array().unwrap();
    assert_eq!(
        suppressions.len(),
        payment_stack::compliance::suppressions().len()
    );
    for s in suppressions {
        let (ty, name) = s["address"].as_str().unwrap().split_once('.').unwrap();
        assert!(testing::resource(&doc, ty, name).is_some(), "{s}");
        assert!(s["reason"].as_str().unwrap().len() > 40, "{s}");
    }
    // Issue 11, point 5: only the function's own logs keep 7 days, and the report says why;
    // every other log group keeps the audit year.
    for (name, group) in testing::resources(&doc, "aws_cloudwatch_log_group") {
        let days = group["retention_in_days"].as_u64().unwrap();
        let suppressed = suppressions.iter().any(|s| {
            s["rule"] == "PCI-10.5.1-RETENTION"
                && s["address"] == format!("aws_cloudwatch_log_group.{name}")
        });
        if name.ends_with("_function_logs") {
            assert_eq!((days, suppressed), (7, true), "{name}");
        } else {
            assert!(days >= 365 && !suppressed, "{name}: {days}");
        }
    }
    let md = pci.to_markdown();
    assert!(md.contains("the function's own logs keep 7 days"), "{md}");
}

fn synth_kind(kind: payment_stack::EnvironmentKind) -> Document {
    build(
        &Config::new("dev", "payments.example.com")
            .unwrap()
            .with_environment_kind(kind),
    )
    .synth()
    .expect("the payment stack synthesizes")
}

/// The `${type.name…}` address a reference template starts with.
fn address_of(template: &Value) -> String {
    let text = template.as_str().expect("a reference");
    let inner = text.strip_prefix("${").expect("a reference template");
    inner.split('.').take(2).collect::<Vec<_>>().join(".")
}

#[test]
fn production_keeps_the_table_and_the_buckets_through_destroy() {
    let doc = synth_kind(payment_stack::EnvironmentKind::Production);
    let (_, table) = testing::resources(&doc, "aws_dynamodb_table")[0];
    assert_eq!(table["lifecycle"]["prevent_destroy"], true);
    assert_eq!(table["deletion_protection_enabled"], true);
    for replica in table["replica"].as_array().unwrap() {
        assert_eq!(replica["deletion_protection_enabled"], true, "{replica}");
    }
    for (name, bucket) in testing::resources(&doc, "aws_s3_bucket") {
        assert!(
            bucket.get("force_destroy").is_none(),
            "production bucket `{name}` must not be emptied by destroy"
        );
    }
}

#[test]
fn non_production_is_destroyed_by_terraform_destroy_alone() {
    let doc = synth_kind(payment_stack::EnvironmentKind::NonProduction);
    let (_, table) = testing::resources(&doc, "aws_dynamodb_table")[0];
    assert!(
        table
            .get("lifecycle")
            .is_none_or(|l| l.get("prevent_destroy").is_none())
    );
    assert_eq!(table["deletion_protection_enabled"], false);
    for replica in table["replica"].as_array().unwrap() {
        assert!(
            replica.get("deletion_protection_enabled").is_none(),
            "{replica}"
        );
    }
    let buckets = testing::resources(&doc, "aws_s3_bucket");
    assert_eq!(buckets.len(), 4);
    for (name, bucket) in buckets {
        assert_eq!(bucket["force_destroy"], true, "bucket `{name}`");
    }
    // Nothing else in the stack refuses a destroy.
    for (ty, name, body) in all_resources(&doc) {
        assert!(
            body.pointer("/lifecycle/prevent_destroy").is_none(),
            "{ty}.{name} has prevent_destroy"
        );
    }
}

#[test]
fn the_default_environment_kind_is_production() {
    assert_eq!(
        synth("dev").value(),
        synth_kind(payment_stack::EnvironmentKind::Production).value()
    );
}

/// S3 checks the target bucket's policy at `PutBucketLogging`: the policy must come first.
#[test]
fn access_logging_waits_for_the_target_bucket_policy() {
    let doc = synth("dev");
    let policies = testing::resources(&doc, "aws_s3_bucket_policy");
    let logging = testing::resources(&doc, "aws_s3_bucket_logging");
    assert_eq!(logging.len(), 2);
    for (name, body) in logging {
        let target = address_of(&body["target_bucket"]);
        let (policy, _) = policies
            .iter()
            .find(|(_, p)| address_of(&p["bucket"]) == target)
            .unwrap_or_else(|| panic!("no policy on {target}"));
        let depends = as_list(&body["depends_on"]);
        assert!(
            depends.contains(&format!("aws_s3_bucket_policy.{policy}")),
            "aws_s3_bucket_logging.{name} does not depend on the policy of {target}: {depends:?}"
        );
    }
}

/// S3 checks at `PutBucketReplication` that both buckets are versioned.
#[test]
fn replication_waits_for_versioning_of_both_buckets() {
    let doc = synth("dev");
    let versioning = testing::resources(&doc, "aws_s3_bucket_versioning");
    let versioning_of = |bucket: &str| {
        versioning
            .iter()
            .find(|(_, v)| address_of(&v["bucket"]) == bucket)
            .map(|(n, _)| format!("aws_s3_bucket_versioning.{n}"))
            .unwrap_or_else(|| panic!("no versioning of {bucket}"))
    };
    let buckets = testing::resources(&doc, "aws_s3_bucket");
    let replications = testing::resources(&doc, "aws_s3_bucket_replication_configuration");
    assert_eq!(replications.len(), 4);
    for (name, body) in replications {
        let source = address_of(&body["bucket"]);
        let dest_arn = body["rule"][0]["destination"]["bucket"].as_str().unwrap();
        let dest = buckets
            .iter()
            .map(|(n, _)| format!("aws_s3_bucket.{n}"))
            .find(|b| dest_arn == format!("${{{b}.arn}}"))
            .unwrap_or_else(|| panic!("destination {dest_arn}"));
        let depends = as_list(&body["depends_on"]);
        for needed in [versioning_of(&source), versioning_of(&dest)] {
            assert!(
                depends.contains(&needed),
                "{name}: {needed} not in {depends:?}"
            );
        }
    }
}

/// The provider stores a model's `schema` normalised: a trigger hashing that attribute changes
/// after the first apply and replaces the deployment. The trigger hashes only what we write and
/// IDs.
#[test]
fn api_deployments_redeploy_on_stable_values_only() {
    let doc = synth("dev");
    let deployments = testing::resources(&doc, "aws_api_gateway_deployment");
    assert_eq!(deployments.len(), 2);
    for (name, body) in deployments {
        let trigger = body["triggers"]["redeployment"].as_str().unwrap();
        assert!(
            trigger.starts_with("${sha1(jsonencode(["),
            "{name}: {trigger}"
        );
        for reference in trigger.split(['[', ',', ']']) {
            let reference = reference.trim();
            if reference.starts_with("aws_") {
                assert!(
                    reference.ends_with(".id"),
                    "{name}: the trigger hashes `{reference}`, which the provider may rewrite"
                );
            }
        }
        // The request model's schema, as written, is part of the trigger (as its digest).
        let digest = format!(
            "\"sha256:{}\"",
            sha256_hex(payment_stack::api::PAYMENT_REQUEST_SCHEMA)
        );
        assert!(trigger.contains(&digest), "{name}: {trigger}");
    }
}

#[test]
fn every_bucket_denies_insecure_transport() {
    let doc = synth("dev");
    let policies = testing::resources(&doc, "aws_s3_bucket_policy");
    assert_eq!(policies.len(), testing::count(&doc, "aws_s3_bucket"));
    for (name, body) in policies {
        let p = policy(&body["policy"]);
        let denies = p["Statement"].as_array().unwrap().iter().any(|s| {
            s["Effect"] == "Deny"
                && s["Principal"] == "*"
                && s["Condition"] == json!({"Bool": {"aws:SecureTransport": "false"}})
        });
        assert!(denies, "{name} lets requests in over plain HTTP");
    }
}

/// SHA-256 in hex, computed independently of the stack's own helper (with `sha256sum`).
fn sha256_hex(text: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_owned()
}

/// The stateful resources of the released stack, by address: renaming one without a `moved`
/// block would make Terraform destroy it (and its data) and create an empty one.
const RELEASED_STATEFUL: [(&str, &[&str]); 6] = [
    ("aws_dynamodb_table", &["primary_payments"]),
    (
        "aws_s3_bucket",
        &[
            "primary_access_logs",
            "primary_audit",
            "secondary_access_logs",
            "secondary_audit",
        ],
    ),
    (
        "aws_kms_key",
        &[
            "primary_data_key",
            "primary_dnssec_key",
            "primary_lambda_key",
            "primary_ops_key",
            "primary_s3_key",
            "secondary_data_key",
            "secondary_lambda_key",
            "secondary_ops_key",
            "secondary_s3_key",
        ],
    ),
    (
        "aws_cloudwatch_log_group",
        &[
            "primary_access_logs",
            "primary_flow_logs",
            "primary_function_logs",
            "primary_query_logs",
            "primary_waf_logs",
            "secondary_access_logs",
            "secondary_flow_logs",
            "secondary_function_logs",
            "secondary_waf_logs",
        ],
    ),
    (
        "aws_sqs_queue",
        &["primary_dead_letters", "secondary_dead_letters"],
    ),
    ("aws_route53_zone", &["primary_zone"]),
];

#[test]
fn stateful_resources_keep_their_state_across_refactors() {
    let doc = synth("dev");
    let moved: Vec<(String, String)> = doc.value()["moved"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|m| {
            let end = |k: &str| m[k].as_str().unwrap().to_owned();
            (end("from"), end("to"))
        })
        .collect();
    for (type_name, released) in RELEASED_STATEFUL {
        let now: BTreeSet<String> = testing::resources(&doc, type_name)
            .into_iter()
            .map(|(name, _)| format!("{type_name}.{name}"))
            .collect();
        for name in released {
            let address = format!("{type_name}.{name}");
            // Still there, or moved to an address that is.
            let kept = now.contains(&address)
                || moved
                    .iter()
                    .any(|(from, to)| *from == address && now.contains(to));
            assert!(kept, "`{address}` would be destroyed and created again");
        }
        assert_eq!(now.len(), released.len(), "{type_name}: {now:?}");
    }
}
