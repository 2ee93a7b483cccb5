//! The payment stack's documented security and reliability properties (docs/architecture.md),
//! each a targeted assertion through `infra_core::testing`, so a weakened stack fails here and
//! not only in the snapshot. `each_documented_mutation_fails_its_invariant` applies the
//! issue's hand mutations to the synthesized document and checks each is caught.

use infra_core::Document;
use infra_core::testing::{self, parse_policy, statements};
use payment_stack::{Config, build};
use serde_json::{Value, json};

fn synth() -> Document {
    build(&Config::new("dev", "payments.example.com").unwrap())
        .synth()
        .expect("the payment stack synthesizes")
}

/// The roles Lambda assumes.
fn lambda_roles(doc: &Document) -> Vec<String> {
    testing::resources(doc, "aws_iam_role")
        .into_iter()
        .filter(|(_, r)| {
            r["assume_role_policy"]
                .as_str()
                .is_some_and(|p| p.contains("lambda.amazonaws.com"))
        })
        .map(|(n, _)| n.to_owned())
        .collect()
}

/// Every property, in one place, so the mutation test runs exactly what the targeted test does.
fn check(doc: &Document) {
    testing::assert_every_bucket_denies_insecure_transport(doc);
    for role in lambda_roles(doc) {
        testing::assert_trust_has_source_account(doc, &role);
    }
    testing::assert_key_rotation(doc);
    testing::assert_no_wildcard_actions(doc);
    // The function keeps 7 days (a cost requirement); everything else 365.
    testing::assert_log_groups_encrypted(doc, 7);
    // Failed events stay 14 days in the dead-letter queue.
    testing::assert_functions_have_tracing_and_dlq(doc, 1_209_600);
    testing::assert_permissions_have_source_arn(doc);
    testing::assert_deployments_redeploy_on_every_route(doc);
    // Replication uses the S3 keys of both regions through S3 only.
    for (name, body) in testing::resources(doc, "aws_iam_role_policy") {
        let policy = parse_policy(body["policy"].as_str().unwrap());
        if testing::statement_with_action(&policy, "s3:ReplicateObject").is_none() {
            continue;
        }
        let kms: Vec<&Value> = statements(&policy)
            .into_iter()
            .filter(|s| s["Action"].to_string().contains("kms:"))
            .collect();
        assert_eq!(kms.len(), 2, "`{name}`: one key statement per region");
        for (s, region) in kms.into_iter().zip(["us-east-1", "us-west-2"]) {
            testing::assert_via_service(s, &format!("s3.{region}.amazonaws.com"));
        }
    }
    // WAF: a per-IP rate limit of 2000 requests that blocks, in each region.
    for (name, acl) in testing::resources(doc, "aws_wafv2_web_acl") {
        let rate = acl["rule"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["statement"]["rate_based_statement"].is_object())
            .unwrap_or_else(|| panic!("web ACL `{name}` has no rate limit"));
        assert_eq!(
            rate["statement"]["rate_based_statement"]["limit"], 2000,
            "web ACL `{name}`'s rate limit"
        );
        assert_eq!(rate["action"], json!({"block": {}}), "web ACL `{name}`");
    }
    // Flow logs record all traffic.
    testing::assert_all_resources(doc, "aws_flow_log", &json!({"traffic_type": "ALL"}));
}

/// The API's deployment redeploys on every route: the routes record themselves
/// (`payment_stack::api::Routes`), the CORS preflight methods included, so nothing is kept by
/// hand and nothing can be left out.
#[test]
fn every_route_redeploys_the_api_the_preflights_included() {
    let doc = synth();
    testing::assert_deployments_redeploy_on_every_route(&doc);
    let preflights: Vec<&str> = testing::resources(&doc, "aws_api_gateway_method")
        .into_iter()
        .filter(|(_, m)| m["http_method"] == "OPTIONS")
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        preflights.len(),
        4,
        "two preflights per region: {preflights:?}"
    );
}

#[test]
fn every_documented_property_holds() {
    check(&synth());
}

/// The document with one resource body changed.
fn mutate(doc: &Document, type_name: &str, pick: usize, f: impl FnOnce(&mut Value)) -> Document {
    let mut value = doc.value().clone();
    let name = testing::resources(doc, type_name)[pick].0.to_owned();
    f(&mut value["resource"][type_name][name.as_str()]);
    Document::new(value)
}

/// Rewrites a policy argument through its parsed JSON.
fn rewrite(body: &mut Value, argument: &str, f: impl FnOnce(&mut Value)) {
    let mut policy = parse_policy(body[argument].as_str().unwrap());
    f(&mut policy);
    body[argument] = Value::String(policy.to_string());
}

#[test]
fn each_documented_mutation_fails_its_invariant() {
    let doc = synth();
    let role = lambda_roles(&doc)[0].clone();
    let access_logs_policy = testing::resources(&doc, "aws_s3_bucket_policy")
        .iter()
        .position(|(n, _)| n.contains("access_logs"))
        .unwrap();
    let replication = testing::resources(&doc, "aws_iam_role_policy")
        .iter()
        .position(|(_, b)| b["policy"].as_str().unwrap().contains("s3:ReplicateObject"))
        .unwrap();
    let role_index = testing::resources(&doc, "aws_iam_role")
        .iter()
        .position(|(n, _)| *n == role)
        .unwrap();
    let mutations: Vec<((&str, &str), Document)> = vec![
        (
            ("kms:ViaService removed", "kms:ViaService"),
            mutate(&doc, "aws_iam_role_policy", replication, |b| {
                rewrite(b, "policy", |p| {
                    for s in p["Statement"].as_array_mut().unwrap() {
                        s.as_object_mut().unwrap().remove("Condition");
                    }
                })
            }),
        ),
        (
            ("TLS-only deny removed from an access-log bucket", "non-TLS"),
            mutate(&doc, "aws_s3_bucket_policy", access_logs_policy, |b| {
                rewrite(b, "policy", |p| {
                    p["Statement"]
                        .as_array_mut()
                        .unwrap()
                        .retain(|s| s["Effect"] != "Deny");
                })
            }),
        ),
        (
            (
                "aws:SourceAccount dropped from the function's trust",
                "aws:SourceAccount",
            ),
            mutate(&doc, "aws_iam_role", role_index, |b| {
                rewrite(b, "assume_role_policy", |p| {
                    p["Statement"][0]
                        .as_object_mut()
                        .unwrap()
                        .remove("Condition");
                })
            }),
        ),
        (
            ("WAF rate limit raised tenfold", "rate limit"),
            mutate(&doc, "aws_wafv2_web_acl", 0, |b| {
                for r in b["rule"].as_array_mut().unwrap() {
                    if r["statement"]["rate_based_statement"].is_object() {
                        r["statement"]["rate_based_statement"]["limit"] = json!(20_000);
                    }
                }
            }),
        ),
        (
            ("DLQ retention cut to 60 s", "60 s"),
            mutate(&doc, "aws_sqs_queue", 0, |b| {
                b["message_retention_seconds"] = json!(60)
            }),
        ),
        (
            ("flow logs ALL to REJECT", "aws_flow_log"),
            mutate(&doc, "aws_flow_log", 0, |b| {
                b["traffic_type"] = json!("REJECT")
            }),
        ),
        (
            ("a redeploy trigger dropped", "does not redeploy"),
            mutate(&doc, "aws_api_gateway_deployment", 0, |b| {
                let t = b["triggers"]["redeployment"].as_str().unwrap();
                let start = t.find("aws_api_gateway_method.").unwrap();
                let end = start + t[start..].find(", ").unwrap() + 2;
                b["triggers"]["redeployment"] = json!(format!("{}{}", &t[..start], &t[end..]));
            }),
        ),
        (
            ("source_arn: None on a permission", "lets any"),
            mutate(&doc, "aws_lambda_permission", 0, |b| {
                b.as_object_mut().unwrap().remove("source_arn");
            }),
        ),
    ];
    for ((what, expected), weak) in mutations {
        let err = std::panic::catch_unwind(|| check(&weak))
            .expect_err(&format!("the mutation `{what}` passed every invariant"));
        let message = err
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| err.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        // Caught by the invariant about that property, not by another one on the way.
        assert!(
            message.contains(expected),
            "`{what}` was caught by: {message}"
        );
    }
}
