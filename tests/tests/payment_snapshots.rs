//! The payment stack as synthesized, one reviewed snapshot per part and region (the parts of
//! docs/architecture.md), so a change reads as a diff of the part it touches. Snapshots show
//! what changed; the properties themselves are asserted in `payment_stack.rs` and
//! `payment_invariants.rs`.

use std::collections::BTreeMap;

use payment_stack::{Config, build};
use serde_json::{Value, json};

/// Every snapshot, by name: `<provider alias>_<part>`. The global resources (the table, the
/// zone, health checks and routing, the replication role) are managed through the primary
/// provider, so they are in the primary's parts.
const SNAPSHOTS: [&str; 20] = [
    "document",
    "primary_keys",
    "primary_storage",
    "primary_network",
    "primary_function",
    "primary_api",
    "primary_firewall",
    "primary_domains",
    "primary_observability",
    "primary_reconcile",
    "primary_dns",
    "secondary_keys",
    "secondary_storage",
    "secondary_network",
    "secondary_function",
    "secondary_api",
    "secondary_firewall",
    "secondary_domains",
    "secondary_observability",
    "secondary_reconcile",
];

/// The part a resource belongs to, from its type and its logical name (without the alias):
/// the first rule that matches. `None` for a resource no rule places; the completeness test
/// then names it.
fn part(type_name: &str, name: &str) -> Option<&'static str> {
    let typed = |prefixes: &[&str]| prefixes.iter().any(|p| type_name.starts_with(p));
    let named = |fragments: &[&str]| fragments.iter().any(|f| name.contains(f));
    let part = match () {
        () if named(&["reconcile", "audit_pending_overdue"]) => "reconcile",
        () if typed(&[
            "aws_acm_",
            "aws_api_gateway_domain_name",
            "aws_api_gateway_base_path",
        ]) || named(&["certificate_record"]) =>
        {
            "domains"
        }
        () if typed(&["aws_route53_"]) || named(&["dnssec", "query_log"]) => "dns",
        () if typed(&["aws_kms_", "aws_caller_identity"]) => "keys",
        () if typed(&["aws_dynamodb_", "aws_s3_"])
            || (typed(&["aws_iam_"]) && named(&["replication"])) =>
        {
            "storage"
        }
        () if typed(&[
            "aws_vpc",
            "aws_subnet",
            "aws_route_table",
            "aws_security_group",
        ]) || typed(&["aws_default_security_group", "aws_flow_log"])
            || named(&["flow_logs"]) =>
        {
            "network"
        }
        () if typed(&["aws_wafv2_"]) || named(&["waf_"]) => "firewall",
        () if typed(&[
            "aws_cloudwatch_metric_alarm",
            "aws_cloudwatch_log_metric",
            "aws_sns_",
        ]) =>
        {
            "observability"
        }
        () if typed(&["aws_api_gateway_"])
            || named(&["invoke_permission", "access_logs", "gateway_logging"]) =>
        {
            "api"
        }
        () if typed(&[
            "aws_lambda_",
            "aws_signer_",
            "aws_sqs_",
            "aws_ssm_",
            "aws_iam_",
        ]) || named(&["function_logs"]) =>
        {
            "function"
        }
        () => return None,
    };
    Some(part)
}

/// The document split into its snapshots: the resources and data sources of each part, and
/// everything else (providers, `terraform`, outputs) as `document`.
fn split(doc: &Value) -> BTreeMap<String, Value> {
    let mut parts: BTreeMap<String, Value> = BTreeMap::new();
    let mut rest = doc.as_object().unwrap().clone();
    for kind in ["resource", "data"] {
        let Some(Value::Object(types)) = rest.remove(kind) else {
            continue;
        };
        for (type_name, by_name) in types {
            for (name, body) in by_name.as_object().unwrap() {
                let (alias, local) = name.split_once('_').unwrap();
                let part = part(&type_name, local)
                    .unwrap_or_else(|| panic!("no snapshot part for `{type_name}.{name}`"));
                let entry = parts
                    .entry(format!("{alias}_{part}"))
                    .or_insert_with(|| json!({}));
                entry[kind][&type_name][name] = body.clone();
            }
        }
    }
    parts.insert("document".into(), Value::Object(rest));
    parts
}

#[test]
fn every_resource_is_in_exactly_one_named_snapshot() {
    let doc = build(&Config::new("dev", "payments.example.com").unwrap())
        .synth()
        .unwrap();
    let parts = split(doc.value());
    let names: Vec<&str> = parts.keys().map(String::as_str).collect();
    let mut expected = SNAPSHOTS.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    // Nothing lost or counted twice.
    let count = |v: &Value| -> usize {
        ["resource", "data"]
            .iter()
            .filter_map(|k| v[k].as_object())
            .flat_map(|types| types.values())
            .map(|by_name| by_name.as_object().unwrap().len())
            .sum()
    };
    assert_eq!(parts.values().map(count).sum::<usize>(), count(doc.value()));
}

#[test]
fn snapshots_of_the_synthesized_stack() {
    let doc = build(&Config::new("dev", "payments.example.com").unwrap())
        .synth()
        .unwrap();
    let parts = split(doc.value());
    for name in SNAPSHOTS {
        insta::assert_json_snapshot!(name, parts[name]);
    }
}
