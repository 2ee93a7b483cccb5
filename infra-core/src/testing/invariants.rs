//! Assertions for the security and reliability properties a stack promises (the ones
//! docs/architecture.md lists), written over the synthesized document so that they test what
//! Terraform reads. Each panics naming the resource and the property, so a weakened policy
//! fails a targeted test, not only a snapshot.
//!
//! Policies are Terraform templates of JSON; [`parse_policy`] reads one back into JSON, each
//! expression as the string `${…}`.

use serde_json::Value;

use super::resources;
use crate::Document;
use crate::text::{Text, TextPart};

/// A policy argument (a template whose result is JSON) as JSON, with each expression as the
/// string `"${expression}"`.
///
/// ```
/// use infra_core::testing::parse_policy;
/// let policy = parse_policy(r#"{"Statement":[{"Resource":["${replace(a.b.arn, ":x:", ":y:")}/*"]}]}"#);
/// assert_eq!(policy["Statement"][0]["Resource"][0], r#"${replace(a.b.arn, ":x:", ":y:")}/*"#);
/// ```
#[track_caller]
pub fn parse_policy(template: &str) -> Value {
    let text = Text::parse(template).unwrap_or_else(|e| panic!("not a template: {e}"));
    let mut json = String::new();
    let mut expressions = Vec::new();
    for part in text.parts() {
        match part {
            TextPart::Literal(s) => json.push_str(s),
            TextPart::Expression(e) => {
                json.push_str(&format!("\u{E000}{}\u{E001}", expressions.len()));
                expressions.push(e.to_owned());
            }
        }
    }
    let mut value: Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("not JSON ({e}): {template}"));
    restore(&mut value, &expressions);
    value
}

/// Puts `${expression}` back where [`parse_policy`] left a placeholder.
fn restore(value: &mut Value, expressions: &[String]) {
    match value {
        Value::String(s) if s.contains('\u{E000}') => {
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find('\u{E000}') {
                out.push_str(&rest[..start]);
                let after = &rest[start + '\u{E000}'.len_utf8()..];
                let end = after.find('\u{E001}').unwrap_or(after.len());
                let i: usize = after[..end].parse().unwrap_or(usize::MAX);
                out.push_str(&format!("${{{}}}", expressions.get(i).map_or("?", |e| e)));
                rest = after.get(end + '\u{E001}'.len_utf8()..).unwrap_or("");
            }
            out.push_str(rest);
            *s = out;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| restore(v, expressions)),
        Value::Object(map) => map.values_mut().for_each(|v| restore(v, expressions)),
        _ => {}
    }
}

/// The policy held by argument `argument` of resource `type_name.name`, parsed.
#[track_caller]
pub fn policy_of(doc: &Document, type_name: &str, name: &str, argument: &str) -> Value {
    let body = super::resource(doc, type_name, name)
        .unwrap_or_else(|| panic!("no `{type_name}.{name}` in the document"));
    let template = body[argument]
        .as_str()
        .unwrap_or_else(|| panic!("`{type_name}.{name}` has no `{argument}` policy"));
    parse_policy(template)
}

/// The statements of a parsed policy.
pub fn statements(policy: &Value) -> Vec<&Value> {
    match &policy["Statement"] {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    }
}

/// A string or an array of strings, as a list.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The first statement of `policy` that names `action`.
pub fn statement_with_action<'p>(policy: &'p Value, action: &str) -> Option<&'p Value> {
    statements(policy)
        .into_iter()
        .find(|s| strings(&s["Action"]).contains(&action))
}

/// Panics unless `statement` is conditioned on `kms:ViaService` equal to `service`
/// (`s3.us-east-1.amazonaws.com`): the key is usable only through that service.
#[track_caller]
pub fn assert_via_service(statement: &Value, service: &str) {
    let via = &statement["Condition"]["StringEquals"]["kms:ViaService"];
    assert!(
        strings(via) == [service],
        "statement lacks `kms:ViaService` = `{service}`: {statement}"
    );
}

/// Panics unless the trust policy of role `name` admits its principal for this account only
/// (an `aws:SourceAccount` condition on every `sts:AssumeRole` statement).
#[track_caller]
pub fn assert_trust_has_source_account(doc: &Document, name: &str) {
    let trust = policy_of(doc, "aws_iam_role", name, "assume_role_policy");
    let assume = statements(&trust);
    assert!(!assume.is_empty(), "`aws_iam_role.{name}` trusts no one");
    for s in assume {
        let account = &s["Condition"]["StringEquals"]["aws:SourceAccount"];
        assert!(
            !strings(account).is_empty(),
            "`aws_iam_role.{name}` trusts {} without `aws:SourceAccount`: {s}",
            s["Principal"]
        );
    }
}

/// Whether `statement` denies every principal every request to `bucket` and its objects that
/// does not use TLS.
fn is_tls_deny(statement: &Value, bucket: &str) -> bool {
    let resources = strings(&statement["Resource"]);
    let arn = format!("${{aws_s3_bucket.{bucket}.arn}}");
    statement["Effect"] == "Deny"
        && statement["Principal"] == "*"
        && strings(&statement["Action"]) == ["s3:*"]
        && statement["Condition"]["Bool"]["aws:SecureTransport"] == "false"
        && resources.contains(&arn.as_str())
        && resources.contains(&format!("{arn}/*").as_str())
}

/// Panics unless every bucket has a policy that denies non-TLS requests to the bucket and to
/// its objects, for every principal.
#[track_caller]
pub fn assert_every_bucket_denies_insecure_transport(doc: &Document) {
    let policies = resources(doc, "aws_s3_bucket_policy");
    for (bucket, _) in resources(doc, "aws_s3_bucket") {
        let id = format!("${{aws_s3_bucket.{bucket}.id}}");
        let denied = policies.iter().any(|(_, body)| {
            body["bucket"] == id.as_str()
                && body["policy"].as_str().is_some_and(|p| {
                    statements(&parse_policy(p))
                        .iter()
                        .any(|s| is_tls_deny(s, bucket))
                })
        });
        assert!(
            denied,
            "bucket `{bucket}` has no policy denying non-TLS requests to it and its objects"
        );
    }
}

/// Panics unless every symmetric KMS key rotates.
#[track_caller]
pub fn assert_key_rotation(doc: &Document) {
    for (name, key) in resources(doc, "aws_kms_key") {
        let symmetric = key["customer_master_key_spec"]
            .as_str()
            .is_none_or(|s| s == "SYMMETRIC_DEFAULT");
        if symmetric {
            assert_eq!(
                key["enable_key_rotation"], true,
                "KMS key `{name}` does not rotate"
            );
        }
    }
}

/// Panics unless every identity policy (`aws_iam_role_policy`, `aws_iam_policy`) names exact
/// actions: no `*` in any action.
#[track_caller]
pub fn assert_no_wildcard_actions(doc: &Document) {
    for type_name in ["aws_iam_role_policy", "aws_iam_policy"] {
        for (name, body) in resources(doc, type_name) {
            let Some(policy) = body["policy"].as_str() else {
                continue;
            };
            for s in statements(&parse_policy(policy)) {
                for action in strings(&s["Action"]) {
                    assert!(
                        !action.contains('*'),
                        "`{type_name}.{name}` grants the action pattern `{action}`: {s}"
                    );
                }
            }
        }
    }
}

/// Panics unless every log group is encrypted with a KMS key and keeps events at least
/// `min_days` (and not forever: 0 is refused too).
#[track_caller]
pub fn assert_log_groups_encrypted(doc: &Document, min_days: u64) {
    for (name, group) in resources(doc, "aws_cloudwatch_log_group") {
        assert!(
            group["kms_key_id"].is_string(),
            "log group `{name}` is not encrypted with a KMS key"
        );
        let days = group["retention_in_days"].as_u64().unwrap_or(0);
        assert!(
            days >= min_days,
            "log group `{name}` keeps events {days} days, fewer than {min_days}"
        );
    }
}

/// Panics unless every function traces with X-Ray (`Active`) and sends failed asynchronous
/// events to a dead-letter queue that keeps them at least `min_dlq_seconds`.
#[track_caller]
pub fn assert_functions_have_tracing_and_dlq(doc: &Document, min_dlq_seconds: u64) {
    let queues = resources(doc, "aws_sqs_queue");
    for (name, function) in resources(doc, "aws_lambda_function") {
        assert_eq!(
            function["tracing_config"]["mode"], "Active",
            "function `{name}` does not trace"
        );
        let target = function["dead_letter_config"]["target_arn"]
            .as_str()
            .unwrap_or_else(|| panic!("function `{name}` has no dead-letter queue"));
        let queue = queues
            .iter()
            .find(|(q, _)| target == format!("${{aws_sqs_queue.{q}.arn}}"))
            .unwrap_or_else(|| {
                panic!(
                    "function `{name}`'s dead letters go to `{target}`, not a queue of the stack"
                )
            });
        let kept = queue.1["message_retention_seconds"]
            .as_u64()
            .unwrap_or(345_600);
        assert!(
            kept >= min_dlq_seconds,
            "dead-letter queue `{}` keeps messages {kept} s, fewer than {min_dlq_seconds}",
            queue.0
        );
    }
}

/// Panics unless every Lambda permission names the one resource that may invoke
/// (`source_arn`), so no other API, rule or account of the service can.
#[track_caller]
pub fn assert_permissions_have_source_arn(doc: &Document) {
    for (name, permission) in resources(doc, "aws_lambda_permission") {
        assert!(
            permission["source_arn"].is_string(),
            "Lambda permission `{name}` lets any `{}` resource invoke",
            permission["principal"]
        );
    }
}

/// Panics unless every deployment of a REST API redeploys when any method or integration of
/// that API changes: each one's `id` is in the deployment's `triggers.redeployment`.
#[track_caller]
pub fn assert_deployments_redeploy_on_every_route(doc: &Document) {
    let methods = resources(doc, "aws_api_gateway_method");
    // An integration names its API directly or through its method's `rest_api_id`.
    let api_of = |body: &'_ Value| -> Value {
        let id = &body["rest_api_id"];
        id.as_str()
            .and_then(|s| s.strip_prefix("${aws_api_gateway_method."))
            .and_then(|s| s.strip_suffix(".rest_api_id}"))
            .and_then(|m| methods.iter().find(|(n, _)| *n == m))
            .map_or_else(|| id.clone(), |(_, method)| method["rest_api_id"].clone())
    };
    for (name, deployment) in resources(doc, "aws_api_gateway_deployment") {
        let api = &deployment["rest_api_id"];
        let trigger = deployment["triggers"]["redeployment"]
            .as_str()
            .unwrap_or_else(|| panic!("deployment `{name}` has no redeployment trigger"));
        for type_name in ["aws_api_gateway_method", "aws_api_gateway_integration"] {
            for (route, body) in resources(doc, type_name) {
                if &api_of(body) == api {
                    let id = format!("{type_name}.{route}.id");
                    assert!(
                        trigger.contains(&id),
                        "deployment `{name}` does not redeploy when `{type_name}.{route}` changes"
                    );
                }
            }
        }
    }
}

/// Panics unless every API Gateway stage has JSON access logging, X-Ray on and no cache, a
/// WAF web ACL associated, and `*/*` execution logging without data traces.
#[track_caller]
pub fn assert_stages_logged_and_protected(doc: &Document) {
    let associations = resources(doc, "aws_wafv2_web_acl_association");
    let settings = resources(doc, "aws_api_gateway_method_settings");
    for (name, stage) in resources(doc, "aws_api_gateway_stage") {
        assert!(
            stage["access_log_settings"]["destination_arn"].is_string(),
            "stage `{name}` has no access log"
        );
        assert_eq!(
            stage["xray_tracing_enabled"], true,
            "stage `{name}` does not trace"
        );
        assert_ne!(
            stage["cache_cluster_enabled"], true,
            "stage `{name}` caches"
        );
        let arn = format!("${{aws_api_gateway_stage.{name}.arn}}");
        assert!(
            associations
                .iter()
                .any(|(_, a)| a["resource_arn"] == arn.as_str()),
            "stage `{name}` has no WAF web ACL"
        );
        let logged = settings.iter().any(|(_, s)| {
            s["rest_api_id"] == stage["rest_api_id"]
                && s["method_path"] == "*/*"
                && s["settings"]["logging_level"] == "INFO"
                && s["settings"]["data_trace_enabled"] == false
        });
        assert!(
            logged,
            "stage `{name}`'s API has no `*/*` INFO execution logging without data traces"
        );
    }
}
