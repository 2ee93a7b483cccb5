//! The relational core rules: facts across resources that no single resource shows.

use std::collections::HashMap;

use serde_json::Value;

use super::{Check, Model, Resource, Rule, blocks, one_or_many, principal_is_anyone, statements};

/// The relational core rules, in id order.
pub(crate) const RULES: [Rule; 13] = [
    Rule::new(
        "IC-DNS-001",
        "a failover PRIMARY record has a health check of an endpoint in its own region",
        failover_health_check,
    ),
    Rule::new(
        "IC-S3-001",
        "replication source and destination buckets are versioned",
        replication_versioning,
    ),
    Rule::new(
        "IC-S3-002",
        "a replication destination's key is in the destination bucket's region",
        replication_key_region,
    ),
    Rule::new(
        "IC-KMS-001",
        "a log group's key lets `logs.<region>.amazonaws.com` use it",
        log_group_key,
    ),
    Rule::new(
        "IC-KMS-002",
        "no key policy grants `kms:*` to every principal",
        key_policy_open,
    ),
    WAF_ON_PUBLIC_STAGES,
    ALARM_ACTIONS,
    Rule::new(
        "IC-KMS-003",
        "an encrypted SNS topic's key lets the services that publish to it use it",
        topic_publishers,
    ),
    Rule::new(
        "IC-DNS-002",
        "a latency record's region is its target's region",
        latency_region,
    ),
    Rule::new(
        "IC-DDB-001",
        "an index ARN (`<table arn>/index/<name>`) names an index of that table",
        index_names,
    ),
    Rule::new(
        "IC-DDB-002",
        "a table replica's key is a key of the replica's region",
        replica_key_region,
    ),
    Rule::new(
        "IC-KMS-004",
        "an encrypted SQS queue's key lets the services its queue policy admits use it",
        queue_senders,
    ),
    Rule::new(
        "IC-EC2-001",
        "a security group's rules (a route table's routes) are inline or separate resources, not both",
        inline_and_separate,
    ),
];

/// A type whose entries (rules, routes) can be written inline or as resources of their own;
/// the two forms fight when both are used for one parent (each apply removes the other's).
struct Inline {
    /// The parent's type.
    parent: &'static str,
    /// Its inline arguments.
    arguments: &'static [&'static str],
    /// The resources that add entries to it, with their argument naming the parent.
    adders: &'static [(&'static str, &'static str)],
}

const INLINE: [Inline; 3] = [
    Inline {
        parent: "aws_security_group",
        arguments: &["ingress", "egress"],
        adders: &SECURITY_GROUP_RULES,
    },
    Inline {
        parent: "aws_default_security_group",
        arguments: &["ingress", "egress"],
        adders: &SECURITY_GROUP_RULES,
    },
    Inline {
        parent: "aws_route_table",
        arguments: &["route"],
        adders: &[("aws_route", "route_table_id")],
    },
];

const SECURITY_GROUP_RULES: [(&str, &str); 3] = [
    ("aws_vpc_security_group_ingress_rule", "security_group_id"),
    ("aws_vpc_security_group_egress_rule", "security_group_id"),
    ("aws_security_group_rule", "security_group_id"),
];

fn inline_and_separate(model: &Model<'_>, check: &mut Check) {
    for Inline {
        parent: parent_type,
        arguments: inline,
        adders,
    } in INLINE
    {
        let mut added: HashMap<String, Vec<&Resource<'_>>> = HashMap::new();
        for (adder, arg) in adders {
            for (parent, resources) in model.referrers(adder, arg) {
                added.entry(parent).or_default().extend(resources);
            }
        }
        for parent in model.of_type(parent_type) {
            check.checked(parent);
            let declared = inline
                .iter()
                .find(|a| !blocks(parent.body().get(**a)).is_empty());
            if let (Some(arg), Some(adders)) = (declared, added.get(parent.address())) {
                check.fail(
                    parent,
                    arg,
                    format!(
                        "`{}` has inline `{arg}` and `{}` adds to it too: Terraform removes one form's entries on every apply; keep one form (the separate resources are the recommended one) and leave the inline `{arg}` empty",
                        parent.address(),
                        adders[0].address()
                    ),
                );
            }
        }
    }
}

/// Who publishes to a topic: `(type, argument holding topic ARNs, service principal)`.
const PUBLISHERS: [(&str, &str, &str); 6] = [
    (
        "aws_cloudwatch_metric_alarm",
        "alarm_actions",
        "cloudwatch.amazonaws.com",
    ),
    (
        "aws_cloudwatch_metric_alarm",
        "ok_actions",
        "cloudwatch.amazonaws.com",
    ),
    (
        "aws_cloudwatch_metric_alarm",
        "insufficient_data_actions",
        "cloudwatch.amazonaws.com",
    ),
    ("aws_s3_bucket_notification", "topic", "s3.amazonaws.com"),
    ("aws_cloudwatch_event_target", "arn", "events.amazonaws.com"),
    (
        "aws_scheduler_schedule",
        "target",
        "scheduler.amazonaws.com",
    ),
];

fn topic_publishers(model: &Model<'_>, check: &mut Check) {
    let policies = key_policies(model);
    for (type_name, arg, service) in PUBLISHERS {
        for publisher in model.of_type(type_name) {
            let Some(value) = publisher.body().get(arg) else {
                continue;
            };
            for topic in model.referenced(Some(value)) {
                if topic.type_name() != "aws_sns_topic" {
                    continue;
                }
                let Some(key) = model.target(topic.arg("kms_master_key_id"), "aws_kms_key") else {
                    continue;
                };
                check.checked(publisher);
                let ok = policies
                    .get(key.address())
                    .is_some_and(|s| allows_service(s, service));
                if !ok {
                    check.fail(
                        publisher,
                        arg,
                        format!(
                            "publishes to `{}`, encrypted with `{}`, whose policy does not let `{service}` use the key: the messages are dropped without an error; allow `{service}` `kms:GenerateDataKey*` and `kms:Decrypt` in the key policy",
                            topic.address(),
                            key.address()
                        ),
                    );
                }
            }
        }
    }
}

fn latency_region(model: &Model<'_>, check: &mut Check) {
    for record in model.of_type("aws_route53_record") {
        let Some(region) = record.literal("latency_routing_policy.region") else {
            continue;
        };
        let target = record
            .arg("alias.name")
            .or_else(|| record.arg("records"))
            .and_then(|v| region_of(model, Some(v)));
        check.checked(record);
        if let Some(target) = target
            && target != region
        {
            check.fail(
                record,
                "latency_routing_policy.region",
                format!(
                    "the record answers for {region} but routes to an endpoint in {target}: set the region to the target's (`LatencyRoutingPolicy::of::<R>()` with the target's region)"
                ),
            );
        }
    }
}

/// The names of a table's global and local secondary indexes.
fn index_names_of<'d>(table: &Resource<'d>) -> Vec<&'d str> {
    ["global_secondary_index", "local_secondary_index"]
        .iter()
        .flat_map(|b| blocks(table.body().get(*b)))
        .filter_map(|i| i["name"].as_str())
        .collect()
}

fn index_names(model: &Model<'_>, check: &mut Check) {
    for r in model.resources() {
        let mut found: Vec<(String, String)> = Vec::new();
        super::strings(r.body(), &mut |s| {
            if !s.contains("/index/") {
                return;
            }
            let Ok(text) = crate::Text::parse(s) else {
                return;
            };
            let parts: Vec<_> = text.parts().collect();
            for w in parts.windows(2) {
                if let [crate::TextPart::Expression(e), crate::TextPart::Literal(l)] = w
                    && let Some(rest) = l.strip_prefix("/index/")
                    && let Some(table) = e
                        .strip_prefix("aws_dynamodb_table.")
                        .and_then(|t| t.strip_suffix(".arn"))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || "_.-".contains(*c))
                        .collect();
                    found.push((format!("aws_dynamodb_table.{table}"), name));
                }
            }
        });
        for (table, name) in found {
            let Some(t) = model.get(&table) else { continue };
            check.checked(r);
            let names = index_names_of(t);
            if !name.is_empty() && !names.contains(&name.as_str()) {
                check.fail(
                    r,
                    "",
                    format!(
                        "refers to index `{name}` of `{table}`, which has {}: use `table.index_arn(…)` with an index the table declares",
                        if names.is_empty() {
                            "no index".to_owned()
                        } else {
                            format!("`{}`", names.join("`, `"))
                        }
                    ),
                );
            }
        }
    }
}

/// Every public REST API stage has a WAF web ACL association in its own region.
pub(crate) const WAF_ON_PUBLIC_STAGES: Rule = Rule::new(
    "IC-WAF-001",
    "every public REST API stage has a WAF web ACL association in its region",
    waf_on_public_stages,
);

/// Every metric alarm notifies someone.
pub(crate) const ALARM_ACTIONS: Rule = Rule::new(
    "IC-CW-001",
    "every metric alarm has an enabled alarm action",
    alarm_actions,
);

/// The region a string points at: that of the first resource it refers to, else the
/// `<region>` of a literal `….<region>.amazonaws.com`.
fn region_of<'d>(model: &Model<'d>, value: Option<&'d Value>) -> Option<&'d str> {
    if let Some(r) = model.referenced(value).into_iter().find_map(|r| r.region()) {
        return Some(r);
    }
    let text = value?.as_str()?;
    let parts: Vec<&str> = text.split('.').collect();
    parts.windows(2).find(|w| w[1] == "amazonaws").map(|w| w[0])
}

fn failover_health_check(model: &Model<'_>, check: &mut Check) {
    for record in model.of_type("aws_route53_record") {
        let kind = record.literal("failover_routing_policy.type");
        if kind.as_deref() != Some("PRIMARY") {
            continue;
        }
        check.checked(record);
        let Some(hc_ref) = record.arg("health_check_id") else {
            check.fail(
                record,
                "health_check_id",
                "a failover PRIMARY record without a health check never fails over: set `health_check_id` to a health check of the primary's endpoint",
            );
            continue;
        };
        let Some(hc) = model.target(Some(hc_ref), "aws_route53_health_check") else {
            continue;
        };
        let target = record
            .arg("alias.name")
            .or_else(|| record.arg("records"))
            .and_then(|v| region_of(model, Some(v)));
        let endpoint =
            region_of(model, hc.arg("fqdn")).or_else(|| region_of(model, hc.arg("ip_address")));
        if let (Some(target), Some(endpoint)) = (target, endpoint)
            && target != endpoint
        {
            check.fail(
                record,
                "health_check_id",
                format!(
                    "the record routes to {target} but `{}` probes an endpoint in {endpoint}: guard the primary with the health check of its own region's endpoint",
                    hc.address()
                ),
            );
        }
    }
}

/// The buckets with an `aws_s3_bucket_versioning` whose status is `Enabled`.
fn versioned(model: &Model<'_>) -> HashMap<String, bool> {
    model
        .referrers("aws_s3_bucket_versioning", "bucket")
        .into_iter()
        .map(|(bucket, vs)| {
            let on = vs.iter().any(|v| {
                v.literal("versioning_configuration.status").as_deref() == Some("Enabled")
            });
            (bucket, on)
        })
        .collect()
}

fn replication_versioning(model: &Model<'_>, check: &mut Check) {
    let versioned = versioned(model);
    let is_on = |b: &Resource<'_>| versioned.get(b.address()).copied().unwrap_or(false);
    for rc in model.of_type("aws_s3_bucket_replication_configuration") {
        check.checked(rc);
        if let Some(source) = model.target(rc.arg("bucket"), "aws_s3_bucket")
            && !is_on(source)
        {
            check.fail(
                rc,
                "bucket",
                format!(
                    "the source bucket `{}` is not versioned: add an `aws_s3_bucket_versioning` with status `Enabled` for it (S3 refuses replication otherwise)",
                    source.address()
                ),
            );
        }
        for (i, rule) in blocks(rc.body().get("rule")).iter().enumerate() {
            for dest in model.referenced(super::arg(rule, "destination.bucket")) {
                if dest.type_name() == "aws_s3_bucket" && !is_on(dest) {
                    check.fail(
                        rc,
                        &format!("rule[{i}].destination.bucket"),
                        format!(
                            "the destination bucket `{}` is not versioned: add an `aws_s3_bucket_versioning` with status `Enabled` for it (S3 refuses replication otherwise)",
                            dest.address()
                        ),
                    );
                }
            }
        }
    }
}

fn replication_key_region(model: &Model<'_>, check: &mut Check) {
    for rc in model.of_type("aws_s3_bucket_replication_configuration") {
        for (i, rule) in blocks(rc.body().get("rule")).iter().enumerate() {
            let Some(dest) = model.target(super::arg(rule, "destination.bucket"), "aws_s3_bucket")
            else {
                continue;
            };
            let key_arg = super::arg(
                rule,
                "destination.encryption_configuration.replica_kms_key_id",
            );
            let Some(key) = model.referenced(key_arg).into_iter().next() else {
                continue;
            };
            check.checked(rc);
            if let (Some(kr), Some(dr)) = (key.region(), dest.region())
                && kr != dr
            {
                check.fail(
                    rc,
                    &format!("rule[{i}].destination.encryption_configuration.replica_kms_key_id"),
                    format!(
                        "the key `{}` is in {kr} but the destination bucket `{}` is in {dr}: use a key of the destination's region",
                        key.address(),
                        dest.address()
                    ),
                );
            }
        }
    }
}

/// Each key's policy: its own `policy`, or that of an `aws_kms_key_policy` for it.
pub(crate) fn key_policies<'d>(model: &Model<'d>) -> HashMap<String, Vec<Value>> {
    let mut out: HashMap<String, Vec<Value>> = HashMap::new();
    for key in model.of_type("aws_kms_key") {
        if let Some(s) = statements(key.arg("policy")) {
            out.entry(key.address().to_owned()).or_default().extend(s);
        }
    }
    for kp in model.of_type("aws_kms_key_policy") {
        if let (Some(key), Some(s)) = (
            model.target(kp.arg("key_id"), "aws_kms_key"),
            statements(kp.arg("policy")),
        ) {
            out.entry(key.address().to_owned()).or_default().extend(s);
        }
    }
    out
}

/// Whether `statements` allow `service` to generate data keys.
pub(crate) fn allows_service(statements: &[Value], service: &str) -> bool {
    grants(statements, service, "kms:GenerateDataKey")
}

/// Whether `statements` allow `service` (a service principal) `action`: an `Action` of
/// the statement is the action, `*`, or a pattern ending in `*` that the action starts with
/// (`kms:*`, `kms:GenerateDataKey*`), compared without case as IAM does.
fn grants(statements: &[Value], service: &str, action: &str) -> bool {
    let covers = |pattern: &str| match pattern.strip_suffix('*') {
        Some(head) => action
            .get(..head.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(head)),
        None => pattern.eq_ignore_ascii_case(action),
    };
    statements.iter().any(|s| {
        s["Effect"] == "Allow"
            && one_or_many(&s["Principal"]["Service"]).contains(&service)
            && one_or_many(&s["Action"]).into_iter().any(covers)
    })
}

/// The KMS actions a service needs to send to a queue encrypted with a customer key.
const QUEUE_SENDER_ACTIONS: [&str; 2] = ["kms:GenerateDataKey", "kms:Decrypt"];

/// The service principals a queue policy allows `sqs:SendMessage` (or `sqs:*`, `*`).
fn queue_policy_senders(statements: &[Value]) -> Vec<String> {
    let mut services: Vec<String> = statements
        .iter()
        .filter(|s| {
            s["Effect"] == "Allow"
                && one_or_many(&s["Action"])
                    .iter()
                    .any(|a| matches!(*a, "*" | "sqs:*" | "sqs:SendMessage"))
        })
        .flat_map(|s| one_or_many(&s["Principal"]["Service"]))
        .map(str::to_owned)
        .collect();
    services.sort();
    services.dedup();
    services
}

// A service that delivers to an encrypted queue (SNS, EventBridge, S3 notifications) encrypts
// the message with the queue's key as itself: the queue policy letting it send is not enough,
// the key policy must let it use the key, or every delivery fails without an error at apply.
fn queue_senders(model: &Model<'_>, check: &mut Check) {
    let policies = key_policies(model);
    for qp in model.of_type("aws_sqs_queue_policy") {
        let Some(queue) = model.target(qp.arg("queue_url"), "aws_sqs_queue") else {
            continue;
        };
        let Some(key) = model.target(queue.arg("kms_master_key_id"), "aws_kms_key") else {
            continue;
        };
        let Some(statements) = statements(qp.arg("policy")) else {
            continue;
        };
        check.checked(qp);
        let key_statements = policies.get(key.address()).map_or(&[][..], Vec::as_slice);
        for service in queue_policy_senders(&statements) {
            let missing: Vec<&str> = QUEUE_SENDER_ACTIONS
                .into_iter()
                .filter(|a| !grants(key_statements, &service, a))
                .collect();
            if !missing.is_empty() {
                check.fail(
                    qp,
                    "policy",
                    format!(
                        "lets `{service}` send to `{}`, encrypted with `{}`, whose policy does not let `{service}` use the key (`{}` missing): every delivery fails; allow `{service}` `kms:GenerateDataKey*` and `kms:Decrypt` in the key policy",
                        queue.address(),
                        key.address(),
                        missing.join("`, `")
                    ),
                );
            }
        }
    }
}

fn replica_key_region(model: &Model<'_>, check: &mut Check) {
    for table in model.of_type("aws_dynamodb_table") {
        for (i, replica) in blocks(table.body().get("replica")).iter().enumerate() {
            let Some(region) = replica.get("region_name").and_then(super::literal) else {
                continue;
            };
            let Some(key) = model
                .referenced(replica.get("kms_key_arn"))
                .into_iter()
                .find(|r| matches!(r.type_name(), "aws_kms_key" | "aws_kms_replica_key"))
            else {
                continue;
            };
            check.checked(table);
            if let Some(kr) = key.region()
                && kr != region
            {
                check.fail(
                    table,
                    &format!("replica[{i}].kms_key_arn"),
                    format!(
                        "the replica in {region} is encrypted with `{}`, a key of {kr}: DynamoDB needs a key of the replica's own region; use a key added in {region} (`Replica::in_region(key.arn())`)",
                        key.address()
                    ),
                );
            }
        }
    }
}

fn log_group_key(model: &Model<'_>, check: &mut Check) {
    let policies = key_policies(model);
    for lg in model.of_type("aws_cloudwatch_log_group") {
        let Some(key) = model.target(lg.arg("kms_key_id"), "aws_kms_key") else {
            continue;
        };
        check.checked(lg);
        let Some(region) = lg.region() else { continue };
        if key.region().is_some_and(|kr| kr != region) {
            check.fail(
                lg,
                "kms_key_id",
                format!(
                    "the key `{}` is in another region: use a key of {region}",
                    key.address()
                ),
            );
            continue;
        }
        let service = format!("logs.{region}.amazonaws.com");
        let Some(statements) = policies.get(key.address()) else {
            check.fail(
                lg,
                "kms_key_id",
                format!("the key `{}` has the default policy, which does not let `{service}` use it (CloudWatch refuses this at apply): add a statement allowing `{service}` `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`", key.address()),
            );
            continue;
        };
        if !allows_service(statements, &service) {
            check.fail(
                lg,
                "kms_key_id",
                format!("the policy of `{}` does not let `{service}` use the key (CloudWatch refuses this at apply): add a statement allowing `{service}` `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`", key.address()),
            );
        }
    }
}

fn key_policy_open(model: &Model<'_>, check: &mut Check) {
    for (type_name, arg) in [("aws_kms_key", "policy"), ("aws_kms_key_policy", "policy")] {
        for r in model.of_type(type_name) {
            let Some(statements) = statements(r.arg(arg)) else {
                continue;
            };
            check.checked(r);
            let open = statements.iter().any(|s| {
                s["Effect"] == "Allow"
                    && principal_is_anyone(s)
                    && one_or_many(&s["Action"])
                        .iter()
                        .any(|a| *a == "kms:*" || *a == "*")
            });
            if open {
                check.fail(
                    r,
                    arg,
                    "a statement allows `kms:*` to every principal (`*`), conditions or not: grant the account root (`arn:aws:iam::<account>:root`) or named roles, and the service principals only the actions they need",
                );
            }
        }
    }
}

fn waf_on_public_stages(model: &Model<'_>, check: &mut Check) {
    let associations = model.referrers("aws_wafv2_web_acl_association", "resource_arn");
    for stage in model.of_type("aws_api_gateway_stage") {
        let private = model
            .target(stage.arg("rest_api_id"), "aws_api_gateway_rest_api")
            .and_then(|api| api.arg("endpoint_configuration.types"))
            .is_some_and(|t| one_or_many(t).contains(&"PRIVATE"));
        if private {
            continue;
        }
        check.checked(stage);
        let found = associations.get(stage.address());
        match found.and_then(|a| a.first()) {
            None => check.fail(
                stage,
                "arn",
                "a public stage has no WAF: add an `aws_wafv2_web_acl_association` of a regional web ACL with `resource_arn` = the stage's `arn`",
            ),
            Some(a) if a.region() != stage.region() => check.fail(
                stage,
                "arn",
                format!("the WAF association `{}` is in another region than the stage: associate a web ACL of the stage's region", a.address()),
            ),
            Some(_) => {}
        }
    }
}

fn alarm_actions(model: &Model<'_>, check: &mut Check) {
    for alarm in model.of_type("aws_cloudwatch_metric_alarm") {
        check.checked(alarm);
        let actions = alarm
            .arg("alarm_actions")
            .map(one_or_many)
            .unwrap_or_default();
        if actions.is_empty() {
            check.fail(
                alarm,
                "alarm_actions",
                "the alarm notifies no one: set `alarm_actions` to an SNS topic someone reads",
            );
        } else if alarm.arg("actions_enabled") == Some(&Value::Bool(false)) {
            check.fail(
                alarm,
                "actions_enabled",
                "the alarm's actions are disabled: remove `actions_enabled = false`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::json;

    fn ids(found: &[super::super::Finding]) -> Vec<(&str, &str, &str)> {
        found
            .iter()
            .map(|f| (f.rule, f.address.as_str(), f.argument.as_str()))
            .collect()
    }

    fn failover(hc: Option<&str>) -> Value {
        let mut record = json!({
            "provider": "aws.primary",
            "failover_routing_policy": {"type": "PRIMARY"},
            "alias": {"name": "${aws_api_gateway_domain_name.east.regional_domain_name}"},
        });
        if let Some(hc) = hc {
            record["health_check_id"] = json!(format!("${{aws_route53_health_check.{hc}.id}}"));
        }
        doc(json!({
            "aws_api_gateway_rest_api": {
                "east": {"provider": "aws.primary"}, "west": {"provider": "aws.secondary"}},
            "aws_api_gateway_domain_name": {"east": {"provider": "aws.primary"}},
            "aws_route53_health_check": {
                "east": {"provider": "aws.primary", "fqdn": "${aws_api_gateway_rest_api.east.id}.execute-api.us-east-1.amazonaws.com"},
                "west": {"provider": "aws.primary", "fqdn": "${aws_api_gateway_rest_api.west.id}.execute-api.us-west-2.amazonaws.com"},
                "literal": {"provider": "aws.primary", "fqdn": "abc.execute-api.us-west-2.amazonaws.com"}},
            "aws_route53_record": {"api": record},
        }))
    }

    #[test]
    fn failover_primary_needs_a_health_check_of_its_own_region() {
        let rules = [RULES[0]];
        assert_eq!(
            ids(&failures(&failover(None), &rules)),
            [("IC-DNS-001", "aws_route53_record.api", "health_check_id")]
        );
        let other = failures(&failover(Some("west")), &rules);
        assert!(other[0].message.contains("us-west-2"), "{other:?}");
        assert_eq!(failures(&failover(Some("literal")), &rules).len(), 1);
        assert_eq!(failures(&failover(Some("east")), &rules), []);
    }

    fn replication(dest_versioned: bool, key: &str) -> Value {
        let mut versioning = json!({
            "src": {"bucket": "${aws_s3_bucket.src.id}", "versioning_configuration": {"status": "Enabled"}},
        });
        if dest_versioned {
            versioning["dst"] = json!({"bucket": "${aws_s3_bucket.dst.id}", "versioning_configuration": [{"status": "Enabled"}]});
        }
        doc(json!({
            "aws_s3_bucket": {"src": {"provider": "aws.primary"}, "dst": {"provider": "aws.secondary"}},
            "aws_s3_bucket_versioning": versioning,
            "aws_kms_key": {"east": {"provider": "aws.primary"}, "west": {"provider": "aws.secondary"}},
            "aws_s3_bucket_replication_configuration": {"r": {
                "provider": "aws.primary",
                "bucket": "${aws_s3_bucket.src.id}",
                "rule": [{"destination": {"bucket": "${aws_s3_bucket.dst.arn}",
                    "encryption_configuration": {"replica_kms_key_id": format!("${{aws_kms_key.{key}.arn}}")}}}],
            }},
        }))
    }

    #[test]
    fn replication_needs_versioning_on_both_ends_and_a_key_in_the_destination_region() {
        let rules = [RULES[1], RULES[2]];
        assert_eq!(
            ids(&failures(&replication(false, "west"), &rules)),
            [(
                "IC-S3-001",
                "aws_s3_bucket_replication_configuration.r",
                "rule[0].destination.bucket"
            )]
        );
        assert_eq!(
            ids(&failures(&replication(true, "east"), &rules)),
            [(
                "IC-S3-002",
                "aws_s3_bucket_replication_configuration.r",
                "rule[0].destination.encryption_configuration.replica_kms_key_id"
            )]
        );
        assert_eq!(failures(&replication(true, "west"), &rules), []);
    }

    fn log_group(service: &str) -> Value {
        let policy = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": service},
            "Action": ["kms:Encrypt*", "kms:GenerateDataKey*"], "Resource": "*"}]});
        doc(json!({
            "aws_kms_key": {"k": {"provider": "aws.secondary", "policy": policy.to_string()}},
            "aws_cloudwatch_log_group": {"lg": {"provider": "aws.secondary", "kms_key_id": "${aws_kms_key.k.arn}"}},
        }))
    }

    #[test]
    fn a_log_group_key_must_allow_the_regional_logs_principal() {
        let rules = [RULES[3]];
        let wrong = failures(&log_group("logs.us-east-1.amazonaws.com"), &rules);
        assert_eq!(
            ids(&wrong),
            [("IC-KMS-001", "aws_cloudwatch_log_group.lg", "kms_key_id")]
        );
        assert!(wrong[0].message.contains("logs.us-west-2.amazonaws.com"));
        assert_eq!(
            failures(&log_group("logs.us-west-2.amazonaws.com"), &rules),
            []
        );
    }

    #[test]
    fn a_key_policy_must_not_grant_everything_to_everyone() {
        let policy = |principal: Value| {
            json!({"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "kms:*", "Resource": "*"}]})
                .to_string()
        };
        let d = doc(json!({"aws_kms_key": {
            "open": {"policy": policy(json!("*"))},
            "open_aws": {"policy": policy(json!({"AWS": ["*"]}))},
            "root": {"policy": policy(json!({"AWS": "arn:aws:iam::111122223333:root"}))},
        }}));
        assert_eq!(
            ids(&failures(&d, &[RULES[4]])),
            [
                ("IC-KMS-002", "aws_kms_key.open", "policy"),
                ("IC-KMS-002", "aws_kms_key.open_aws", "policy")
            ]
        );
    }

    #[test]
    fn public_stages_need_a_waf_in_their_region_and_private_ones_do_not() {
        let d = doc(json!({
            "aws_api_gateway_rest_api": {
                "pub": {"provider": "aws.primary", "endpoint_configuration": {"types": ["REGIONAL"]}},
                "priv": {"provider": "aws.primary", "endpoint_configuration": {"types": ["PRIVATE"]}}},
            "aws_api_gateway_stage": {
                "bare": {"provider": "aws.primary", "rest_api_id": "${aws_api_gateway_rest_api.pub.id}"},
                "guarded": {"provider": "aws.primary", "rest_api_id": "${aws_api_gateway_rest_api.pub.id}"},
                "far": {"provider": "aws.primary", "rest_api_id": "${aws_api_gateway_rest_api.pub.id}"},
                "inner": {"provider": "aws.primary", "rest_api_id": "${aws_api_gateway_rest_api.priv.id}"}},
            "aws_wafv2_web_acl_association": {
                "a": {"provider": "aws.primary", "resource_arn": "${aws_api_gateway_stage.guarded.arn}"},
                "b": {"provider": "aws.secondary", "resource_arn": "${aws_api_gateway_stage.far.arn}"}},
        }));
        assert_eq!(
            ids(&failures(&d, &[WAF_ON_PUBLIC_STAGES])),
            [
                ("IC-WAF-001", "aws_api_gateway_stage.bare", "arn"),
                ("IC-WAF-001", "aws_api_gateway_stage.far", "arn")
            ]
        );
    }

    #[test]
    fn publishers_to_an_encrypted_topic_must_be_admitted_by_its_key() {
        let policy = |service: &str| {
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": [service]},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}]})
            .to_string()
        };
        let d = doc(json!({
            "aws_kms_key": {"wrong": {"policy": policy("s3.amazonaws.com")},
                            "right": {"policy": policy("cloudwatch.amazonaws.com")}},
            "aws_sns_topic": {"a": {"kms_master_key_id": "${aws_kms_key.wrong.key_id}"},
                              "b": {"kms_master_key_id": "${aws_kms_key.right.key_id}"},
                              "plain": {}},
            "aws_cloudwatch_metric_alarm": {
                "to_a": {"alarm_actions": ["${aws_sns_topic.a.arn}"]},
                "to_b": {"alarm_actions": ["${aws_sns_topic.b.arn}"], "ok_actions": ["${aws_sns_topic.plain.arn}"]}},
        }));
        let found = failures(&d, &[RULES[7]]);
        assert_eq!(
            ids(&found),
            [(
                "IC-KMS-003",
                "aws_cloudwatch_metric_alarm.to_a",
                "alarm_actions"
            )]
        );
        assert!(found[0].message.contains("cloudwatch.amazonaws.com"));
    }

    #[test]
    fn a_latency_record_answers_for_its_targets_region() {
        let record = |region: &str| {
            json!({"latency_routing_policy": {"region": region},
                   "alias": {"name": "${aws_api_gateway_domain_name.west.regional_domain_name}"}})
        };
        let d = doc(json!({
            "aws_api_gateway_domain_name": {"west": {"provider": "aws.secondary"}},
            "aws_route53_record": {"wrong": record("us-east-1"), "right": record("us-west-2")},
        }));
        assert_eq!(
            ids(&failures(&d, &[RULES[8]])),
            [(
                "IC-DNS-002",
                "aws_route53_record.wrong",
                "latency_routing_policy.region"
            )]
        );
    }

    #[test]
    fn an_index_arn_names_an_index_of_its_table() {
        let policy = |index: &str| {
            json!({"Statement": [{"Effect": "Allow", "Action": "dynamodb:Query",
                "Resource": format!("${{aws_dynamodb_table.t.arn}}/index/{index}")}]})
            .to_string()
        };
        let d = doc(json!({
            "aws_dynamodb_table": {"t": {"global_secondary_index": [{"name": "status-index"}]}},
            "aws_iam_role_policy": {"typo": {"policy": policy("stauts-index")}, "ok": {"policy": policy("status-index")}},
        }));
        let found = failures(&d, &[RULES[9]]);
        assert_eq!(
            ids(&found),
            [("IC-DDB-001", "aws_iam_role_policy.typo", "")]
        );
        assert!(
            found[0].message.contains("`stauts-index`")
                && found[0].message.contains("`status-index`")
        );
    }

    fn table_with_replica(key: &str) -> Value {
        doc(json!({
            "aws_kms_key": {"east": {"provider": "aws.primary"}, "west": {"provider": "aws.secondary"}},
            "aws_dynamodb_table": {"t": {"provider": "aws.primary",
                "server_side_encryption": {"enabled": true, "kms_key_arn": "${aws_kms_key.east.arn}"},
                "replica": [{"region_name": "us-west-2", "kms_key_arn": format!("${{aws_kms_key.{key}.arn}}")}]}},
        }))
    }

    #[test]
    fn a_replica_key_is_a_key_of_the_replicas_region() {
        let rules = [RULES[10]];
        let found = failures(&table_with_replica("east"), &rules);
        assert_eq!(
            ids(&found),
            [(
                "IC-DDB-002",
                "aws_dynamodb_table.t",
                "replica[0].kms_key_arn"
            )]
        );
        assert!(
            found[0].message.contains("us-west-2") && found[0].message.contains("us-east-1"),
            "{}",
            found[0].message
        );
        assert_eq!(failures(&table_with_replica("west"), &rules), []);
    }

    fn queue_for(key_actions: Value, sender: &str) -> Value {
        let key_policy = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": key_actions, "Resource": "*"}]});
        let queue_policy = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": [sender]},
            "Action": "sqs:SendMessage", "Resource": "${aws_sqs_queue.q.arn}"}]});
        doc(json!({
            "aws_kms_key": {"k": {"policy": key_policy.to_string()}},
            "aws_sqs_queue": {"q": {"kms_master_key_id": "${aws_kms_key.k.key_id}"}, "plain": {}},
            "aws_sqs_queue_policy": {
                "p": {"queue_url": "${aws_sqs_queue.q.id}", "policy": queue_policy.to_string()},
                "plain": {"queue_url": "${aws_sqs_queue.plain.id}", "policy": queue_policy.to_string()}},
        }))
    }

    #[test]
    fn services_sending_to_an_encrypted_queue_must_be_admitted_by_its_key() {
        let rules = [RULES[11]];
        let both = json!(["kms:GenerateDataKey*", "kms:Decrypt"]);
        // EventBridge may send, but the key admits only SNS.
        let found = failures(&queue_for(both.clone(), "events.amazonaws.com"), &rules);
        assert_eq!(
            ids(&found),
            [("IC-KMS-004", "aws_sqs_queue_policy.p", "policy")]
        );
        assert!(found[0].message.contains("events.amazonaws.com"));
        // SNS may generate data keys but not decrypt.
        let half = failures(
            &queue_for(json!("kms:GenerateDataKey"), "sns.amazonaws.com"),
            &rules,
        );
        assert_eq!(half.len(), 1);
        assert!(
            half[0].message.contains("`kms:Decrypt` missing"),
            "{}",
            half[0].message
        );
        assert_eq!(failures(&queue_for(both, "sns.amazonaws.com"), &rules), []);
        assert_eq!(
            failures(&queue_for(json!("kms:*"), "sns.amazonaws.com"), &rules),
            []
        );
    }

    #[test]
    fn inline_rules_and_rule_resources_of_one_parent_are_refused() {
        let rules = [RULES[12]];
        let rule = json!({"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]});
        let d = doc(json!({
            "aws_security_group": {
                "mixed": {"ingress": [rule.clone()]},
                "inline": {"egress": [rule.clone()]},
                "separate": {"ingress": []},
            },
            "aws_vpc_security_group_ingress_rule": {
                "a": {"security_group_id": "${aws_security_group.mixed.id}"},
                "b": {"security_group_id": "${aws_security_group.separate.id}"},
            },
            "aws_route_table": {"mixed": {"route": [{"cidr_block": "0.0.0.0/0"}]}, "inline": {"route": [{"cidr_block": "0.0.0.0/0"}]}},
            "aws_route": {"r": {"route_table_id": "${aws_route_table.mixed.id}"}},
        }));
        let found = failures(&d, &rules);
        assert_eq!(
            ids(&found),
            [
                ("IC-EC2-001", "aws_route_table.mixed", "route"),
                ("IC-EC2-001", "aws_security_group.mixed", "ingress"),
            ]
        );
        assert!(
            found[1]
                .message
                .contains("`aws_vpc_security_group_ingress_rule.a` adds to it too"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn every_alarm_has_an_enabled_action() {
        let d = doc(json!({"aws_cloudwatch_metric_alarm": {
            "silent": {},
            "empty": {"alarm_actions": []},
            "off": {"alarm_actions": ["${aws_sns_topic.t.arn}"], "actions_enabled": false},
            "ok": {"alarm_actions": ["${aws_sns_topic.t.arn}"]},
        }}));
        assert_eq!(
            ids(&failures(&d, &[ALARM_ACTIONS])),
            [
                (
                    "IC-CW-001",
                    "aws_cloudwatch_metric_alarm.empty",
                    "alarm_actions"
                ),
                (
                    "IC-CW-001",
                    "aws_cloudwatch_metric_alarm.off",
                    "actions_enabled"
                ),
                (
                    "IC-CW-001",
                    "aws_cloudwatch_metric_alarm.silent",
                    "alarm_actions"
                )
            ]
        );
    }
}
