//! The components' promises, asserted with the `testing` invariants on the newcomer stack
//! (`examples/newcomer.rs`), and each invariant shown to fail on a weakened stack.

use std::panic::{AssertUnwindSafe, catch_unwind};

use infra_core::aws::{dynamodb, kms, sns, sqs};
use infra_core::components::{Artifact, Function, FunctionConfig, Key, Role, SecureBucket};
use infra_core::grants::{KeyGrants, QueueGrants, TableGrants, TopicGrants, ViaService};
use infra_core::policy::service;
use infra_core::testing::{self, policy_of, statement_with_action, statements};
use infra_core::{Document, Stack, StackProblem, SynthError, UsEast1};
use serde_json::{Value, json};

#[allow(dead_code)] // Its `main` is the example's, unused here.
#[path = "../examples/newcomer.rs"]
mod newcomer;

fn newcomer_doc() -> Document {
    newcomer::newcomer().synth().unwrap()
}

/// Panics unless `f` panics with a message containing `expected`.
#[track_caller]
fn fails_with(expected: &str, f: impl FnOnce()) {
    let err = catch_unwind(AssertUnwindSafe(f)).expect_err("the assertion passed a weakened stack");
    let message = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(message.contains(expected), "{message}");
}

/// The document with one resource body changed.
fn mutate(doc: &Document, type_name: &str, name: &str, f: impl FnOnce(&mut Value)) -> Document {
    let mut value = doc.value().clone();
    f(&mut value["resource"][type_name][name]);
    Document::new(value)
}

/// A policy argument rewritten through its parsed JSON.
fn mutate_policy(body: &mut Value, argument: &str, f: impl FnOnce(&mut Value)) {
    let mut policy = testing::parse_policy(body[argument].as_str().unwrap());
    f(&mut policy);
    body[argument] = Value::String(policy.to_string());
}

#[test]
fn the_newcomer_stack_validates_against_the_provider_schema() {
    testing::assert_valid(&newcomer_doc());
}

#[test]
fn the_newcomer_function_may_put_only_under_its_prefix_with_the_key_through_s3() {
    let doc = newcomer_doc();
    let policy = policy_of(&doc, "aws_iam_role_policy", "main_ingest_policy", "policy");
    let put = statement_with_action(&policy, "s3:PutObject").unwrap();
    assert_eq!(put["Action"], json!(["s3:PutObject"]));
    assert_eq!(
        put["Resource"],
        json!(["${aws_s3_bucket.main_uploads_bucket.arn}/incoming/*"])
    );
    let key_use: Vec<&Value> = statements(&policy)
        .into_iter()
        .filter(|s| s["Resource"] == json!(["${aws_kms_key.main_data_key.arn}"]))
        .collect();
    // One through S3 (the bucket), one through SQS (the dead-letter queue), nothing direct.
    assert_eq!(key_use.len(), 2, "{key_use:?}");
    testing::assert_via_service(
        statement_with_action(&policy, "kms:GenerateDataKey").unwrap(),
        "sqs.us-east-1.amazonaws.com",
    );
    assert!(
        key_use
            .iter()
            .any(|s| s["Action"] == json!(["kms:GenerateDataKey"])
                && s["Condition"]["StringEquals"]["kms:ViaService"]
                    == "s3.us-east-1.amazonaws.com")
    );
    testing::assert_no_wildcard_actions(&doc);
}

#[test]
fn the_newcomer_components_keep_their_secure_defaults() {
    let doc = newcomer_doc();
    testing::assert_every_bucket_denies_insecure_transport(&doc);
    testing::assert_key_rotation(&doc);
    testing::assert_trust_has_source_account(&doc, "main_ingest_role");
    testing::assert_log_groups_encrypted(&doc, 365);
    testing::assert_functions_have_tracing_and_dlq(&doc, 14 * 86_400);
    let f = testing::resource(&doc, "aws_lambda_function", "main_ingest_function").unwrap();
    assert_eq!(
        f["source_code_hash"],
        "${filebase64sha256(\"${path.module}/dist/ingest.zip\")}"
    );
    assert_eq!(f["filename"], "${path.module}/dist/ingest.zip");
    assert!(f["code_signing_config_arn"].is_string());
    assert_eq!(
        f["depends_on"],
        json!([
            "aws_cloudwatch_log_group.main_ingest_logs",
            "aws_iam_role_policy.main_ingest_policy"
        ])
    );
    for bucket in ["main_uploads", "main_uploads_logs"] {
        testing::assert_has_resource(
            &doc,
            "aws_s3_bucket_public_access_block",
            &json!({"bucket": format!("${{aws_s3_bucket.{bucket}_bucket.id}}"),
                "block_public_acls": true, "block_public_policy": true,
                "ignore_public_acls": true, "restrict_public_buckets": true}),
        );
        testing::assert_has_resource(
            &doc,
            "aws_s3_bucket_versioning",
            &json!({"bucket": format!("${{aws_s3_bucket.{bucket}_bucket.id}}"),
                "versioning_configuration": {"status": "Enabled"}}),
        );
    }
    testing::assert_has_resource(
        &doc,
        "aws_s3_bucket_server_side_encryption_configuration",
        &json!({"bucket": "${aws_s3_bucket.main_uploads_bucket.id}",
            "rule": [{"apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.main_data_key.arn}"},
                "bucket_key_enabled": true}]}),
    );
    testing::assert_has_resource(
        &doc,
        "aws_s3_bucket_logging",
        &json!({"bucket": "${aws_s3_bucket.main_uploads_bucket.id}",
            "target_bucket": "${aws_s3_bucket.main_uploads_logs_bucket.id}",
            "depends_on": ["aws_s3_bucket_policy.main_uploads_logs_policy"]}),
    );
    // The key policy lets CloudWatch Logs use the key, for this account's groups only.
    let key = policy_of(&doc, "aws_kms_key", "main_data_key", "policy");
    let logs = statements(&key)
        .into_iter()
        .find(|s| s["Principal"]["Service"] == json!(["logs.us-east-1.amazonaws.com"]))
        .expect("a CloudWatch Logs statement");
    assert!(
        logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws:logs:us-east-1:${data.aws_caller_identity.main_account")
    );
}

#[test]
fn each_invariant_fails_on_a_stack_weakened_in_its_property() {
    let doc = newcomer_doc();
    // The TLS-only deny removed from the access-log bucket.
    let weak = mutate(
        &doc,
        "aws_s3_bucket_policy",
        "main_uploads_logs_policy",
        |b| {
            mutate_policy(b, "policy", |p| {
                p["Statement"].as_array_mut().unwrap().remove(0);
            });
        },
    );
    fails_with("main_uploads_logs_bucket", || {
        testing::assert_every_bucket_denies_insecure_transport(&weak)
    });
    // `aws:SourceAccount` dropped from the function's trust policy.
    let weak = mutate(&doc, "aws_iam_role", "main_ingest_role", |b| {
        mutate_policy(b, "assume_role_policy", |p| {
            p["Statement"][0]
                .as_object_mut()
                .unwrap()
                .remove("Condition");
        });
    });
    fails_with("without `aws:SourceAccount`", || {
        testing::assert_trust_has_source_account(&weak, "main_ingest_role")
    });
    // The `kms:ViaService` condition removed from the S3 key statement.
    let weak = mutate(&doc, "aws_iam_role_policy", "main_ingest_policy", |b| {
        mutate_policy(b, "policy", |p| {
            for s in p["Statement"].as_array_mut().unwrap() {
                s.as_object_mut().unwrap().remove("Condition");
            }
        });
    });
    let policy = policy_of(&weak, "aws_iam_role_policy", "main_ingest_policy", "policy");
    fails_with("kms:ViaService", || {
        testing::assert_via_service(
            statement_with_action(&policy, "kms:GenerateDataKey").unwrap(),
            "sqs.us-east-1.amazonaws.com",
        )
    });
    // A wildcard action.
    let weak = mutate(&doc, "aws_iam_role_policy", "main_ingest_policy", |b| {
        mutate_policy(b, "policy", |p| {
            p["Statement"][0]["Action"] = json!(["logs:*"])
        });
    });
    fails_with("logs:*", || testing::assert_no_wildcard_actions(&weak));
    // Rotation off, retention cut, tracing off, a DLQ that keeps 60 s.
    let weak = mutate(&doc, "aws_kms_key", "main_data_key", |b| {
        b["enable_key_rotation"] = json!(false)
    });
    fails_with("does not rotate", || testing::assert_key_rotation(&weak));
    let weak = mutate(&doc, "aws_cloudwatch_log_group", "main_ingest_logs", |b| {
        b["retention_in_days"] = json!(7)
    });
    fails_with("7 days", || {
        testing::assert_log_groups_encrypted(&weak, 365)
    });
    let weak = mutate(&doc, "aws_sqs_queue", "main_ingest_dead_letters", |b| {
        b["message_retention_seconds"] = json!(60)
    });
    fails_with("60 s", || {
        testing::assert_functions_have_tracing_and_dlq(&weak, 86_400)
    });
    let weak = mutate(&doc, "aws_lambda_function", "main_ingest_function", |b| {
        b["tracing_config"]["mode"] = json!("PassThrough")
    });
    fails_with("does not trace", || {
        testing::assert_functions_have_tracing_and_dlq(&weak, 86_400)
    });
}

#[test]
fn a_component_twice_in_one_region_does_not_collide() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("data"));
    let audit = SecureBucket::new(&east.scope("audit"), &key);
    let uploads = SecureBucket::new(&east.scope("uploads"), &key);
    let a = Function::new(&east.scope("a"), &key, Artifact::zip("a.zip"));
    let b = Function::new(&east.scope("b"), &key, Artifact::zip("b.zip"));
    audit.grant_put(&a, "audit/*");
    uploads.grant_read(&b, "*");
    let doc = stack.synth().unwrap();
    assert_eq!(testing::count(&doc, "aws_s3_bucket"), 4);
    assert_eq!(testing::count(&doc, "aws_lambda_function"), 2);
    // One CloudWatch Logs statement in the key policy, however many groups use the key.
    let key = policy_of(&doc, "aws_kms_key", "primary_data_key", "policy");
    assert_eq!(statements(&key).len(), 2);
    let b = policy_of(&doc, "aws_iam_role_policy", "primary_b_policy", "policy");
    assert_eq!(
        statement_with_action(&b, "s3:GetObject").unwrap()["Resource"],
        json!(["${aws_s3_bucket.primary_uploads_bucket.arn}/*"])
    );
    assert!(statement_with_action(&b, "s3:PutObject").is_none());
}

#[test]
fn grants_read_the_granted_resource_for_its_key_and_indexes() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("data"));
    let table = east.add(
        "orders",
        dynamodb::Table {
            name: "orders".into(),
            hash_key: "id".into(),
            attribute: vec![
                dynamodb::Attribute::new("id", dynamodb::AttributeType::S),
                dynamodb::Attribute::new("status", dynamodb::AttributeType::S),
            ],
            opts: dynamodb::TableOpts {
                server_side_encryption: Some(dynamodb::ServerSideEncryption::kms(key.arn())),
                global_secondary_index: vec![dynamodb::table::GlobalSecondaryIndex::new(
                    "status-index",
                    "status",
                    dynamodb::Projection::All,
                )],
                ..Default::default()
            },
        },
    );
    let topic = east.add(
        "alarms",
        sns::Topic {
            kms_master_key_id: Some(key.key_id()),
            ..Default::default()
        },
    );
    let jobs = east.add("jobs", sqs::Queue::default());
    let worker = Role::for_service(&east.scope("worker"), service::Lambda);
    table.grant_read(&worker);
    topic.grant_publish(&worker);
    jobs.grant_consume(&worker);
    key.grant_via(&worker, ViaService::Ssm, [kms::Decrypt]);
    let doc = stack.synth().unwrap();
    let p = policy_of(
        &doc,
        "aws_iam_role_policy",
        "primary_worker_policy",
        "policy",
    );
    let s = statements(&p);
    let table_arn = "${aws_dynamodb_table.primary_orders.arn}";
    assert_eq!(
        s[0]["Action"],
        json!(["dynamodb:GetItem", "dynamodb:BatchGetItem"])
    );
    assert_eq!(s[0]["Resource"], json!([table_arn]));
    assert_eq!(s[1]["Action"], json!(["dynamodb:Query"]));
    assert_eq!(
        s[2]["Resource"],
        json!([format!("{table_arn}/index/status-index")])
    );
    assert_eq!(s[3]["Action"], json!(["kms:Decrypt", "kms:DescribeKey"]));
    testing::assert_via_service(s[3], "dynamodb.us-east-1.amazonaws.com");
    testing::assert_via_service(s[5], "sns.us-east-1.amazonaws.com");
    // The queue has no customer key: no KMS statement for it.
    assert_eq!(
        s[6]["Resource"],
        json!(["${aws_sqs_queue.primary_jobs.arn}"])
    );
    testing::assert_via_service(s[7], "ssm.us-east-1.amazonaws.com");
    assert_eq!(s.len(), 8, "{p}");
    testing::assert_no_wildcard_actions(&doc);
}

#[test]
fn a_grant_on_a_resource_encrypted_with_a_foreign_key_is_reported() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let queue = east.add(
        "jobs",
        sqs::Queue {
            kms_master_key_id: Some(infra_core::Id::from_text("alias/team-key".into())),
            ..Default::default()
        },
    );
    let worker = Role::for_service(&east.scope("worker"), service::Lambda);
    queue.grant_send(&worker);
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!("a grant that cannot be scoped to its key was accepted")
    };
    assert!(
        matches!(&problems[..], [StackProblem::Grant { address, why }]
            if address == "aws_sqs_queue.primary_jobs" && why.contains("alias/team-key")),
        "{problems:?}"
    );
}

#[test]
fn a_function_with_environment_decrypts_it_through_lambda_only() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("data"));
    Function::with(
        &east.scope("api"),
        &key,
        Artifact::zip("/abs/api.zip"),
        FunctionConfig {
            environment: Some(infra_core::aws::lambda::Environment::new().var("MODE", "live")),
            ..Default::default()
        },
    );
    let doc = stack.synth().unwrap();
    let f = testing::resource(&doc, "aws_lambda_function", "primary_api_function").unwrap();
    assert_eq!(f["kms_key_arn"], "${aws_kms_key.primary_data_key.arn}");
    assert_eq!(f["filename"], "/abs/api.zip");
    assert_eq!(
        f["source_code_hash"],
        "${filebase64sha256(\"/abs/api.zip\")}"
    );
    let p = policy_of(&doc, "aws_iam_role_policy", "primary_api_policy", "policy");
    let decrypt = statements(&p)
        .into_iter()
        .find(|s| s["Action"] == json!(["kms:Decrypt"]))
        .unwrap();
    testing::assert_via_service(decrypt, "lambda.us-east-1.amazonaws.com");
}

/// A function behind the API component, with two routes.
fn api_stack() -> Document {
    use infra_core::aws::apigateway::HttpMethod;
    use infra_core::components::RestApi;
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("ops"));
    let handler = Function::new(&east.scope("handler"), &key, Artifact::zip("api.zip"));
    let api = RestApi::new(&east.scope("api"), &key, Default::default());
    api.lambda_route(HttpMethod::Post, "/payments", &handler);
    api.lambda_route(HttpMethod::Get, "/payments/{payment_id}", &handler);
    stack.synth().unwrap()
}

#[test]
fn the_api_component_is_valid_logged_protected_and_redeploys_on_every_route() {
    let doc = api_stack();
    testing::assert_valid(&doc);
    testing::assert_stages_logged_and_protected(&doc);
    testing::assert_deployments_redeploy_on_every_route(&doc);
    testing::assert_permissions_have_source_arn(&doc);
    testing::assert_log_groups_encrypted(&doc, 365);
    testing::assert_trust_has_source_account(&doc, "primary_api_logging_role");
    testing::assert_all_resources(
        &doc,
        "aws_api_gateway_method",
        &json!({"api_key_required": true}),
    );
    testing::assert_has_resource(
        &doc,
        "aws_lambda_permission",
        &json!({"source_arn": "${aws_api_gateway_rest_api.primary_api_api.execution_arn}/v1/GET/payments/{payment_id}"}),
    );
    testing::assert_has_resource(
        &doc,
        "aws_wafv2_web_acl",
        &json!({"name": "primary-api", "scope": "REGIONAL"}),
    );
    let acl = testing::resource(&doc, "aws_wafv2_web_acl", "primary_api_web_acl").unwrap();
    assert_eq!(
        acl["rule"][3]["statement"]["rate_based_statement"]["limit"],
        2000
    );
    testing::assert_has_resource(
        &doc,
        "aws_api_gateway_usage_plan",
        &json!({"quota_settings": {"limit": 1_000_000, "period": "MONTH"}}),
    );
    // One `/payments` resource shared by both routes.
    assert_eq!(testing::count(&doc, "aws_api_gateway_resource"), 2);
}

#[test]
fn the_api_invariants_fail_on_a_dropped_trigger_and_an_unscoped_permission() {
    let doc = api_stack();
    let weak = mutate(
        &doc,
        "aws_api_gateway_deployment",
        "primary_api_deployment",
        |b| {
            let t = b["triggers"]["redeployment"].as_str().unwrap().to_owned();
            let dropped =
                "aws_api_gateway_integration.primary_api_route_get_payments_payment_id.id";
            assert!(t.contains(dropped), "{t}");
            let t = t.replace(&format!(", {dropped}"), "").replace(dropped, "");
            b["triggers"]["redeployment"] = json!(t);
        },
    );
    fails_with("does not redeploy", || {
        testing::assert_deployments_redeploy_on_every_route(&weak)
    });
    let weak = mutate(
        &doc,
        "aws_lambda_permission",
        "primary_api_route_post_payments",
        |b| {
            b.as_object_mut().unwrap().remove("source_arn");
        },
    );
    fails_with("lets any", || {
        testing::assert_permissions_have_source_arn(&weak)
    });
    let weak = mutate(&doc, "aws_api_gateway_stage", "primary_api_stage", |b| {
        b["xray_tracing_enabled"] = json!(false)
    });
    fails_with("does not trace", || {
        testing::assert_stages_logged_and_protected(&weak)
    });
}

#[test]
fn a_component_twice_in_one_scope_names_the_two_calls_in_the_users_code() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = Key::new(&east.scope("data"));
    let scope = east.scope("audit");
    let first_line = line!() + 1;
    SecureBucket::new(&scope, &key);
    SecureBucket::new(&scope, &key);
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!("a duplicate component was accepted")
    };
    assert!(!problems.is_empty());
    for p in &problems {
        let StackProblem::DuplicateName { first, second, .. } = p else {
            panic!("{p:?}")
        };
        // Every part of the component points at the user's two calls, not into infra-core.
        let line = |l: &str| l.split(':').nth(1).unwrap().parse::<u32>().unwrap();
        assert!(first.starts_with("infra-core/tests/components.rs:"), "{p}");
        assert_eq!(
            (line(first), line(second)),
            (first_line, first_line + 1),
            "{p}"
        );
    }
}
