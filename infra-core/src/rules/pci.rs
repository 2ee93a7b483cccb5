//! Opt-in rule packs, and the PCI DSS v4.0.1 pack: configuration-level requirements mapped to
//! rules.
//!
//! A [`Pack`] maps requirement ids to the rules that evidence them; a rule may serve several
//! requirements (and the core set) and still runs once. The PCI pack covers what a Terraform
//! document can show; process requirements (reviews, training, penetration tests) are out of
//! its reach by nature.

use std::collections::HashMap;

use serde_json::Value;

use super::core::{ALARM_ACTIONS, WAF_ON_PUBLIC_STAGES};
use super::{Check, Model, Resource, Rule, blocks, one_or_many, principal_is_anyone, statements};

/// A requirement of a standard and the rules that evidence it.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// The requirement's id in the standard (`3.5.1`).
    pub id: &'static str,
    /// What it asks, in a line.
    pub title: &'static str,
    /// The rules that check it.
    pub rules: Vec<Rule>,
}

/// An opt-in set of rules mapped to a standard's requirements.
///
/// ```
/// use infra_core::rules::Pack;
/// let pci = Pack::pci_dss_4_0_1();
/// assert!(pci.requirements().iter().any(|r| r.id == "10.5.1"));
/// ```
#[derive(Debug, Clone)]
pub struct Pack {
    id: &'static str,
    title: &'static str,
    requirements: Vec<Requirement>,
}

impl Pack {
    /// A pack of one's own.
    pub fn new(id: &'static str, title: &'static str, requirements: Vec<Requirement>) -> Self {
        Self {
            id,
            title,
            requirements,
        }
    }

    /// The pack's id (`pci-dss-4.0.1`).
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The standard's name.
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// The requirements, in the standard's order.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// Every rule of the pack (a rule serving several requirements appears once per one).
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.requirements.iter().flat_map(|r| r.rules.iter())
    }

    /// PCI DSS v4.0.1, the configuration-level requirements:
    ///
    /// | Requirement | Rules |
    /// |---|---|
    /// | 1.3.1 inbound traffic restricted | `PCI-1.3-PRINCIPAL`, `PCI-1.3-LAMBDA-PERMISSION`, `PCI-1.3-DEFAULT-SG` |
    /// | 1.4.4 stored data not reachable from untrusted networks | `PCI-1.4-S3-PUBLIC-BLOCK` |
    /// | 3.5.1 stored account data unreadable (every table replica too) | `PCI-3.5.1-CMK` |
    /// | 3.6.1 keys protected (per-region keys) | `PCI-3.6-KEY-REGION` |
    /// | 3.7.4 key changes at the end of the cryptoperiod | `PCI-3.7-ROTATION` |
    /// | 4.2.1 strong cryptography in transit | `PCI-4.2.1-TLS-DOMAIN`, `PCI-4.2.1-S3-TLS-ONLY` |
    /// | 6.4.2 public web applications behind a WAF | `IC-WAF-001` |
    /// | 7.2.1 / 7.2.2 least privilege | `PCI-7.2-ACTION-WILDCARD`, `PCI-7.2-RESOURCE-WILDCARD` |
    /// | 10.2.1 audit logs enabled | `PCI-10.2-API-LOGS`, `PCI-10.2-WAF-LOGS`, `PCI-10.2-FLOW-LOGS`, `PCI-10.2-S3-ACCESS-LOGS`, `PCI-10.2-CLOUDTRAIL` |
    /// | 10.5.1 audit log history of at least 12 months | `PCI-10.5.1-RETENTION` |
    /// | 10.7.2 failures of critical controls detected | `IC-CW-001` |
    pub fn pci_dss_4_0_1() -> Self {
        let req = |id, title, rules: &[Rule]| Requirement {
            id,
            title,
            rules: rules.to_vec(),
        };
        Self::new(
            "pci-dss-4.0.1",
            "PCI DSS v4.0.1",
            vec![
                req(
                    "1.3.1",
                    "inbound traffic to the CDE is restricted to what is necessary",
                    &[PRINCIPAL, LAMBDA_PERMISSION, DEFAULT_SG],
                ),
                req(
                    "1.4.4",
                    "system components that store account data are not directly accessible from untrusted networks",
                    &[S3_PUBLIC_BLOCK],
                ),
                req(
                    "3.5.1",
                    "stored account data is unreadable (customer-managed keys at rest)",
                    &[CMK],
                ),
                req(
                    "3.6.1",
                    "cryptographic keys are protected (a key per region, used in its region)",
                    &[KEY_REGION],
                ),
                req(
                    "3.7.4",
                    "keys change at the end of their cryptoperiod (rotation)",
                    &[ROTATION],
                ),
                req(
                    "4.2.1",
                    "strong cryptography protects account data in transit",
                    &[TLS_DOMAIN, S3_TLS_ONLY],
                ),
                req(
                    "6.4.2",
                    "public-facing web applications are protected by an automated solution (WAF) in every region",
                    &[WAF_ON_PUBLIC_STAGES],
                ),
                req(
                    "7.2.1",
                    "access is assigned by least privilege (no service-wide actions)",
                    &[ACTION_WILDCARD],
                ),
                req(
                    "7.2.2",
                    "privileges are limited to the resources the job needs",
                    &[RESOURCE_WILDCARD],
                ),
                req(
                    "10.2.1",
                    "audit logs are enabled: API access and execution, WAF, network flows, S3 access, CloudTrail",
                    &[API_LOGS, WAF_LOGS, FLOW_LOGS, S3_ACCESS_LOGS, CLOUDTRAIL],
                ),
                req(
                    "10.5.1",
                    "audit log history is retained for at least 12 months",
                    &[RETENTION],
                ),
                req(
                    "10.7.2",
                    "failures of critical security controls are detected and alerted",
                    &[ALARM_ACTIONS],
                ),
            ],
        )
    }
}

const PRINCIPAL: Rule = Rule::new(
    "PCI-1.3-PRINCIPAL",
    "no resource policy allows every principal (`*`) without a condition",
    principal,
);
const LAMBDA_PERMISSION: Rule = Rule::new(
    "PCI-1.3-LAMBDA-PERMISSION",
    "a Lambda permission for a service is scoped to one source (`source_arn`), an API of the function's region",
    lambda_permission,
);
const DEFAULT_SG: Rule = Rule::new(
    "PCI-1.3-DEFAULT-SG",
    "every VPC's default security group is closed (no rules)",
    default_sg,
);
const S3_PUBLIC_BLOCK: Rule = Rule::new(
    "PCI-1.4-S3-PUBLIC-BLOCK",
    "every bucket has a public access block with all four settings on",
    s3_public_block,
);
const CMK: Rule = Rule::new(
    "PCI-3.5.1-CMK",
    "DynamoDB tables and their replicas, buckets, log groups, topics, queues and secure parameters are encrypted with a customer-managed key",
    cmk,
);
const KEY_REGION: Rule = Rule::new(
    "PCI-3.6-KEY-REGION",
    "an encrypted resource's key is in the resource's region",
    key_region,
);
const ROTATION: Rule = Rule::new("PCI-3.7-ROTATION", "every symmetric key rotates", rotation);
const TLS_DOMAIN: Rule = Rule::new(
    "PCI-4.2.1-TLS-DOMAIN",
    "every API custom domain requires TLS 1.2 or later",
    tls_domain,
);
const S3_TLS_ONLY: Rule = Rule::new(
    "PCI-4.2.1-S3-TLS-ONLY",
    "every bucket policy denies requests without `aws:SecureTransport`",
    s3_tls_only,
);
const ACTION_WILDCARD: Rule = Rule::new(
    "PCI-7.2-ACTION-WILDCARD",
    "no identity policy allows `*` or a service's every action (`s3:*`)",
    action_wildcard,
);
const RESOURCE_WILDCARD: Rule = Rule::new(
    "PCI-7.2-RESOURCE-WILDCARD",
    "no identity policy allows actions on every resource (`*`)",
    resource_wildcard,
);
const API_LOGS: Rule = Rule::new(
    "PCI-10.2-API-LOGS",
    "every REST stage writes access logs and execution logs",
    api_logs,
);
const WAF_LOGS: Rule = Rule::new(
    "PCI-10.2-WAF-LOGS",
    "every web ACL has a logging configuration",
    waf_logs,
);
const FLOW_LOGS: Rule = Rule::new("PCI-10.2-FLOW-LOGS", "every VPC has a flow log", flow_logs);
const S3_ACCESS_LOGS: Rule = Rule::new(
    "PCI-10.2-S3-ACCESS-LOGS",
    "every bucket writes server access logs",
    s3_access_logs,
);
const CLOUDTRAIL: Rule = Rule::new(
    "PCI-10.2-CLOUDTRAIL",
    "every trail is multi-region and validates its log files",
    cloudtrail,
);
const RETENTION: Rule = Rule::new(
    "PCI-10.5.1-RETENTION",
    "log groups keep at least 365 days",
    retention,
);

/// The resources of `type_name` that no resource of `by` refers to through `arg`.
fn each_covered(
    model: &Model<'_>,
    check: &mut Check,
    type_name: &str,
    (by, arg): (&str, &str),
    ok: impl Fn(&Resource<'_>) -> bool,
    message: &str,
) {
    let referrers = model.referrers(by, arg);
    for r in model.of_type(type_name) {
        check.checked(r);
        let covered = referrers
            .get(r.address())
            .is_some_and(|rs| rs.iter().any(|x| ok(x)));
        if !covered {
            check.fail(r, "", message);
        }
    }
}

fn principal(model: &Model<'_>, check: &mut Check) {
    for (type_name, arg) in [
        ("aws_s3_bucket_policy", "policy"),
        ("aws_kms_key", "policy"),
        ("aws_kms_key_policy", "policy"),
        ("aws_sns_topic_policy", "policy"),
        ("aws_sqs_queue_policy", "policy"),
        ("aws_iam_role", "assume_role_policy"),
    ] {
        for r in model.of_type(type_name) {
            let Some(statements) = statements(r.arg(arg)) else {
                continue;
            };
            check.checked(r);
            if statements.iter().any(|s| {
                s["Effect"] == "Allow" && principal_is_anyone(s) && s.get("Condition").is_none()
            }) {
                check.fail(r, arg, "a statement allows every principal (`*`) with no condition: name the principals, or add a condition (`aws:SourceAccount`, `aws:PrincipalOrgID`)");
            }
        }
    }
    for p in model.of_type("aws_lambda_permission") {
        check.checked(p);
        if p.literal("principal").as_deref() == Some("*") {
            check.fail(
                p,
                "principal",
                "the function may be invoked by anyone: name the service or account",
            );
        }
    }
}

fn lambda_permission(model: &Model<'_>, check: &mut Check) {
    for p in model.of_type("aws_lambda_permission") {
        let service = p
            .literal("principal")
            .is_some_and(|s| s.ends_with(".amazonaws.com"));
        if !service {
            continue;
        }
        check.checked(p);
        let api = model.target(p.arg("source_arn"), "aws_api_gateway_rest_api");
        let function = model.target(p.arg("function_name"), "aws_lambda_function");
        if let (Some(api), Some(function)) = (api, function)
            && api.region() != function.region()
        {
            check.fail(p, "source_arn", format!("the function `{}` is scoped to `{}`, an API of another region: scope it to its own region's API", function.address(), api.address()));
        }
        if p.arg("source_arn").is_none() {
            check.fail(p, "source_arn", "a service principal without `source_arn` lets any account's resource of that service invoke the function: set `source_arn` to the API's `execution_arn` (plus `/stage/method/path`)");
        }
    }
}

fn default_sg(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_vpc",
        ("aws_default_security_group", "vpc_id"),
        |sg| {
            sg.arg("ingress").is_none_or(|v| one_or_many_blocks(v) == 0)
                && sg.arg("egress").is_none_or(|v| one_or_many_blocks(v) == 0)
        },
        "the VPC's default security group is not managed closed: add an `aws_default_security_group` with no `ingress` and no `egress` for it",
    );
}

fn one_or_many_blocks(v: &Value) -> usize {
    match v {
        Value::Array(items) => items.len(),
        Value::Null => 0,
        _ => 1,
    }
}

fn s3_public_block(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_s3_bucket",
        ("aws_s3_bucket_public_access_block", "bucket"),
        |b| {
            [
                "block_public_acls",
                "block_public_policy",
                "ignore_public_acls",
                "restrict_public_buckets",
            ]
            .iter()
            .all(|a| b.arg(a) == Some(&Value::Bool(true)))
        },
        "the bucket has no public access block with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` all true: add an `aws_s3_bucket_public_access_block` for it",
    );
}

/// The encrypted resource types and the argument that names their key.
const ENCRYPTED: [(&str, &str); 5] = [
    ("aws_dynamodb_table", "server_side_encryption.kms_key_arn"),
    ("aws_cloudwatch_log_group", "kms_key_id"),
    ("aws_sns_topic", "kms_master_key_id"),
    ("aws_sqs_queue", "kms_master_key_id"),
    ("aws_ssm_parameter", "key_id"),
];

fn customer_key<'m, 'd>(model: &'m Model<'d>, value: Option<&Value>) -> Option<&'m Resource<'d>> {
    model
        .referenced(value)
        .into_iter()
        .find(|r| matches!(r.type_name(), "aws_kms_key" | "aws_kms_replica_key"))
}

fn cmk(model: &Model<'_>, check: &mut Check) {
    for (type_name, arg) in ENCRYPTED {
        for r in model.of_type(type_name) {
            if type_name == "aws_ssm_parameter"
                && r.literal("type").as_deref() != Some("SecureString")
            {
                continue;
            }
            check.checked(r);
            if customer_key(model, r.arg(arg)).is_none() {
                check.fail(r, arg, format!("not encrypted with a customer-managed key of this stack: set `{arg}` to a `kms::Key`'s ARN"));
            }
        }
    }
    // A replica is stored in its own region under its own key: without `kms_key_arn`
    // DynamoDB encrypts it with an AWS-owned key, whatever the table's own encryption.
    for table in model.of_type("aws_dynamodb_table") {
        for (i, replica) in blocks(table.body().get("replica")).iter().enumerate() {
            if customer_key(model, replica.get("kms_key_arn")).is_none() {
                let region = replica["region_name"].as_str().unwrap_or("its region");
                check.fail(table, &format!("replica[{i}].kms_key_arn"), format!("the replica in {region} is not encrypted with a customer-managed key of this stack (DynamoDB uses an AWS-owned key there): set its `kms_key_arn` to a `kms::Key` of {region} (`Replica::in_region(key.arn())`)"));
            }
        }
    }
    let sse = model.referrers(
        "aws_s3_bucket_server_side_encryption_configuration",
        "bucket",
    );
    for b in model.of_type("aws_s3_bucket") {
        check.checked(b);
        let ok = sse.get(b.address()).is_some_and(|cs| {
            cs.iter().any(|c| {
                let by_default =
                    c.arg("rule.apply_server_side_encryption_by_default.kms_master_key_id");
                customer_key(model, by_default).is_some()
            })
        });
        if !ok {
            check.fail(b, "", "the bucket has no default encryption with a customer-managed key: add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = aws:kms` and `kms_master_key_id` = a `kms::Key`'s ARN");
        }
    }
}

fn key_region(model: &Model<'_>, check: &mut Check) {
    let s3 = [(
        "aws_s3_bucket_server_side_encryption_configuration",
        "rule.apply_server_side_encryption_by_default.kms_master_key_id",
    )];
    for (type_name, arg) in ENCRYPTED.iter().chain(&s3) {
        for r in model.of_type(type_name) {
            let Some(key) = customer_key(model, r.arg(arg)) else {
                continue;
            };
            check.checked(r);
            if let (Some(kr), Some(rr)) = (key.region(), r.region())
                && kr != rr
            {
                check.fail(
                    r,
                    arg,
                    format!(
                        "the key `{}` is in {kr}, the resource in {rr}: use a key of {rr}",
                        key.address()
                    ),
                );
            }
        }
    }
}

fn rotation(model: &Model<'_>, check: &mut Check) {
    for key in model.of_type("aws_kms_key") {
        let spec = key.literal("customer_master_key_spec");
        if spec.is_some_and(|s| s != "SYMMETRIC_DEFAULT") {
            continue;
        }
        check.checked(key);
        if key.arg("enable_key_rotation") != Some(&Value::Bool(true)) {
            check.fail(
                key,
                "enable_key_rotation",
                "a symmetric key that never rotates: set `enable_key_rotation: Some(true)`",
            );
        }
    }
}

fn tls_domain(model: &Model<'_>, check: &mut Check) {
    for d in model.of_type("aws_api_gateway_domain_name") {
        check.checked(d);
        let policy = d.literal("security_policy");
        let strong = policy
            .as_deref()
            .is_some_and(|p| p == "TLS_1_2" || p.contains("TLS13") || p.contains("TLS12"));
        if !strong {
            check.fail(
                d,
                "security_policy",
                format!(
                    "found {}: set `security_policy` to `TLS_1_2`",
                    policy.map_or("none".to_owned(), |p| format!("`{p}`"))
                ),
            );
        }
    }
}

fn s3_tls_only(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_s3_bucket",
        ("aws_s3_bucket_policy", "bucket"),
        |p| {
            statements(p.arg("policy")).is_some_and(|ss| {
                ss.iter().any(|s| {
                    s["Effect"] == "Deny"
                        && principal_is_anyone(s)
                        && s["Condition"]["Bool"]["aws:SecureTransport"] == "false"
                })
            })
        },
        "no bucket policy denies insecure transport: add a statement denying `s3:*` to `*` when `aws:SecureTransport` is `false`",
    );
}

/// The identity policies: `(resource, argument, statements)`.
fn identity_policies<'m, 'd>(
    model: &'m Model<'d>,
) -> Vec<(&'m Resource<'d>, &'static str, Vec<Value>)> {
    let mut out = Vec::new();
    for type_name in [
        "aws_iam_role_policy",
        "aws_iam_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
    ] {
        for r in model.of_type(type_name) {
            if let Some(s) = statements(r.arg("policy")) {
                out.push((r, "policy", s));
            }
        }
    }
    out
}

fn action_wildcard(model: &Model<'_>, check: &mut Check) {
    for (r, arg, statements) in identity_policies(model) {
        check.checked(r);
        for s in statements.iter().filter(|s| s["Effect"] == "Allow") {
            for a in one_or_many(&s["Action"]) {
                if a == "*" || a.ends_with(":*") {
                    check.fail(
                        r,
                        arg,
                        format!("allows `{a}`: list the actions the role needs"),
                    );
                }
            }
        }
    }
}

fn resource_wildcard(model: &Model<'_>, check: &mut Check) {
    for (r, arg, statements) in identity_policies(model) {
        check.checked(r);
        for s in statements.iter().filter(|s| s["Effect"] == "Allow") {
            if one_or_many(&s["Resource"]).contains(&"*") {
                let actions = one_or_many(&s["Action"]).join("`, `");
                check.fail(r, arg, format!("allows `{actions}` on every resource (`*`): scope it to ARNs, or suppress it stating why the actions have no resource-level permissions"));
            }
        }
    }
}

fn api_logs(model: &Model<'_>, check: &mut Check) {
    let settings: HashMap<String, Vec<&Resource<'_>>> =
        model.referrers("aws_api_gateway_method_settings", "rest_api_id");
    for stage in model.of_type("aws_api_gateway_stage") {
        check.checked(stage);
        if stage.arg("access_log_settings.destination_arn").is_none() {
            check.fail(
                stage,
                "access_log_settings",
                "the stage writes no access logs: set `access_log_settings` to a log group",
            );
        }
        let api = model.target(stage.arg("rest_api_id"), "aws_api_gateway_rest_api");
        let logged = api
            .and_then(|api| settings.get(api.address()))
            .is_some_and(|ms| {
                ms.iter().any(|m| {
                    matches!(
                        m.literal("settings.logging_level").as_deref(),
                        Some("INFO" | "ERROR")
                    )
                })
            });
        if !logged {
            check.fail(stage, "", "the stage writes no execution logs: add `aws_api_gateway_method_settings` with `logging_level` `INFO` or `ERROR`");
        }
    }
}

fn waf_logs(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_wafv2_web_acl",
        ("aws_wafv2_web_acl_logging_configuration", "resource_arn"),
        |_| true,
        "the web ACL logs nothing: add an `aws_wafv2_web_acl_logging_configuration` for it",
    );
}

fn flow_logs(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_vpc",
        ("aws_flow_log", "vpc_id"),
        |_| true,
        "the VPC has no flow log: add an `aws_flow_log` with `vpc_id` = the VPC's id",
    );
}

fn s3_access_logs(model: &Model<'_>, check: &mut Check) {
    each_covered(
        model,
        check,
        "aws_s3_bucket",
        ("aws_s3_bucket_logging", "bucket"),
        |_| true,
        "the bucket writes no server access logs: add an `aws_s3_bucket_logging` for it",
    );
}

fn cloudtrail(model: &Model<'_>, check: &mut Check) {
    for trail in model.of_type("aws_cloudtrail") {
        check.checked(trail);
        for arg in ["is_multi_region_trail", "enable_log_file_validation"] {
            if trail.arg(arg) != Some(&Value::Bool(true)) {
                check.fail(trail, arg, format!("set `{arg}` to true"));
            }
        }
    }
}

fn retention(model: &Model<'_>, check: &mut Check) {
    for lg in model.of_type("aws_cloudwatch_log_group") {
        check.checked(lg);
        // Absent or 0: kept forever.
        if let Some(days) = lg.arg("retention_in_days").and_then(Value::as_u64)
            && days != 0
            && days < 365
        {
            check.fail(lg, "retention_in_days", format!("keeps {days} days: audit logs need at least 365 (`retention_in_days: Some(365)`); suppress it for a log group that holds no audit trail, saying where the audit trail is"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::json;

    fn addresses(d: &Value, rule: Rule) -> Vec<String> {
        failures(d, &[rule])
            .into_iter()
            .map(|f| f.address)
            .collect()
    }

    fn policy(statements: Value) -> String {
        json!({"Version": "2012-10-17", "Statement": statements}).to_string()
    }

    #[test]
    fn principals_are_named_or_conditioned() {
        let open = json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]);
        let cond = json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]);
        let d = doc(json!({
            "aws_s3_bucket_policy": {"open": {"policy": policy(open)}, "cond": {"policy": policy(cond)}},
            "aws_lambda_permission": {"anyone": {"principal": "*"}, "api": {"principal": "apigateway.amazonaws.com"},
                "scoped": {"principal": "apigateway.amazonaws.com", "source_arn": "${aws_api_gateway_rest_api.a.execution_arn}/v1/*/*",
                    "function_name": "${aws_lambda_function.east.function_name}"},
                "far": {"principal": "apigateway.amazonaws.com", "source_arn": "${aws_api_gateway_rest_api.a.execution_arn}/v1/*/*",
                    "function_name": "${aws_lambda_function.west.function_name}"}},
            "aws_api_gateway_rest_api": {"a": {"provider": "aws.primary"}},
            "aws_lambda_function": {"east": {"provider": "aws.primary"}, "west": {"provider": "aws.secondary"}},
        }));
        assert_eq!(
            addresses(&d, PRINCIPAL),
            ["aws_lambda_permission.anyone", "aws_s3_bucket_policy.open"]
        );
        assert_eq!(
            addresses(&d, LAMBDA_PERMISSION),
            ["aws_lambda_permission.api", "aws_lambda_permission.far"]
        );
    }

    #[test]
    fn vpcs_have_closed_default_groups_and_flow_logs() {
        let d = doc(json!({
            "aws_vpc": {"a": {}, "b": {}, "c": {}},
            "aws_default_security_group": {
                "a": {"vpc_id": "${aws_vpc.a.id}"},
                "b": {"vpc_id": "${aws_vpc.b.id}", "ingress": [{"from_port": 0}]}},
            "aws_flow_log": {"a": {"vpc_id": "${aws_vpc.a.id}"}},
        }));
        assert_eq!(addresses(&d, DEFAULT_SG), ["aws_vpc.b", "aws_vpc.c"]);
        assert_eq!(addresses(&d, FLOW_LOGS), ["aws_vpc.b", "aws_vpc.c"]);
    }

    fn buckets() -> Value {
        let tls = json!([{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]);
        doc(json!({
            "aws_kms_key": {"east": {"provider": "aws.primary"}, "west": {"provider": "aws.secondary"}},
            "aws_s3_bucket": {"good": {"provider": "aws.primary"}, "bare": {"provider": "aws.primary"}},
            "aws_s3_bucket_public_access_block": {
                "good": {"bucket": "${aws_s3_bucket.good.id}", "block_public_acls": true, "block_public_policy": true,
                    "ignore_public_acls": true, "restrict_public_buckets": true},
                "bare": {"bucket": "${aws_s3_bucket.bare.id}", "block_public_acls": true}},
            "aws_s3_bucket_server_side_encryption_configuration": {
                "good": {"provider": "aws.primary", "bucket": "${aws_s3_bucket.good.id}", "rule": [{"apply_server_side_encryption_by_default":
                    {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.east.arn}"}}]},
                "bare": {"provider": "aws.primary", "bucket": "${aws_s3_bucket.bare.id}", "rule": [{"apply_server_side_encryption_by_default":
                    {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.west.arn}"}}]}},
            "aws_s3_bucket_policy": {"good": {"bucket": "${aws_s3_bucket.good.id}", "policy": policy(tls)}},
            "aws_s3_bucket_logging": {"good": {"bucket": "${aws_s3_bucket.good.id}"}},
        }))
    }

    #[test]
    fn buckets_are_blocked_encrypted_tls_only_and_logged() {
        let d = buckets();
        assert_eq!(addresses(&d, S3_PUBLIC_BLOCK), ["aws_s3_bucket.bare"]);
        assert_eq!(addresses(&d, S3_TLS_ONLY), ["aws_s3_bucket.bare"]);
        assert_eq!(addresses(&d, S3_ACCESS_LOGS), ["aws_s3_bucket.bare"]);
        // The bare bucket's key is a customer key, but of the other region.
        assert_eq!(addresses(&d, CMK), Vec::<String>::new());
        assert_eq!(
            addresses(&d, KEY_REGION),
            ["aws_s3_bucket_server_side_encryption_configuration.bare"]
        );
    }

    #[test]
    fn data_at_rest_is_under_customer_keys_that_rotate() {
        let d = doc(json!({
            "aws_kms_key": {"k": {"enable_key_rotation": true}, "still": {},
                "asym": {"customer_master_key_spec": "RSA_2048"}},
            "aws_sns_topic": {"managed": {"kms_master_key_id": "alias/aws/sns"}, "cmk": {"kms_master_key_id": "${aws_kms_key.k.key_id}"}},
            "aws_sqs_queue": {"plain": {}},
            "aws_ssm_parameter": {"plain": {"type": "String"}, "secret": {"type": "SecureString"}},
            "aws_dynamodb_table": {"t": {"server_side_encryption": [{"enabled": true, "kms_key_arn": "${aws_kms_key.k.arn}"}],
                    "replica": [{"region_name": "us-west-2", "kms_key_arn": "${aws_kms_key.k.arn}"}]},
                "bare_replica": {"server_side_encryption": [{"enabled": true, "kms_key_arn": "${aws_kms_key.k.arn}"}],
                    "replica": [{"region_name": "us-west-2", "kms_key_arn": "${aws_kms_key.k.arn}"}, {"region_name": "eu-west-1"}]}},
        }));
        let found = failures(&d, &[CMK]);
        assert_eq!(found[0].argument, "replica[1].kms_key_arn");
        assert!(
            found[0].message.contains("eu-west-1"),
            "{}",
            found[0].message
        );
        assert_eq!(
            addresses(&d, CMK),
            [
                "aws_dynamodb_table.bare_replica",
                "aws_sns_topic.managed",
                "aws_sqs_queue.plain",
                "aws_ssm_parameter.secret"
            ]
        );
        assert_eq!(addresses(&d, ROTATION), ["aws_kms_key.still"]);
    }

    #[test]
    fn custom_domains_need_tls_1_2() {
        let d = doc(json!({"aws_api_gateway_domain_name": {
            "old": {"security_policy": "TLS_1_0"}, "unset": {}, "ok": {"security_policy": "TLS_1_2"}}}));
        assert_eq!(
            addresses(&d, TLS_DOMAIN),
            [
                "aws_api_gateway_domain_name.old",
                "aws_api_gateway_domain_name.unset"
            ]
        );
    }

    #[test]
    fn identity_policies_name_actions_and_resources() {
        let d = doc(json!({"aws_iam_role_policy": {
            "star": {"policy": policy(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}]))},
            "any": {"policy": policy(json!([{"Effect": "Allow", "Action": ["xray:PutTraceSegments"], "Resource": "*"}]))},
            "ok": {"policy": policy(json!([{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Deny", "Action": "*", "Resource": "*"}]))},
        }}));
        assert_eq!(addresses(&d, ACTION_WILDCARD), ["aws_iam_role_policy.star"]);
        assert_eq!(
            addresses(&d, RESOURCE_WILDCARD),
            ["aws_iam_role_policy.any"]
        );
    }

    #[test]
    fn stages_web_acls_and_trails_log() {
        let d = doc(json!({
            "aws_api_gateway_rest_api": {"a": {}, "b": {}},
            "aws_api_gateway_stage": {
                "a": {"rest_api_id": "${aws_api_gateway_rest_api.a.id}", "access_log_settings": {"destination_arn": "${aws_cloudwatch_log_group.l.arn}"}},
                "b": {"rest_api_id": "${aws_api_gateway_rest_api.b.id}"}},
            "aws_api_gateway_method_settings": {
                "a": {"rest_api_id": "${aws_api_gateway_rest_api.a.id}", "settings": {"logging_level": "INFO"}},
                "b": {"rest_api_id": "${aws_api_gateway_rest_api.b.id}", "settings": {"logging_level": "OFF"}}},
            "aws_wafv2_web_acl": {"logged": {}, "silent": {}},
            "aws_wafv2_web_acl_logging_configuration": {"l": {"resource_arn": "${aws_wafv2_web_acl.logged.arn}"}},
            "aws_cloudtrail": {"t": {"is_multi_region_trail": true}},
        }));
        let found = failures(&d, &[API_LOGS]);
        let args: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.address.as_str(), f.argument.as_str()))
            .collect();
        assert_eq!(
            args,
            [
                ("aws_api_gateway_stage.b", "access_log_settings"),
                ("aws_api_gateway_stage.b", "")
            ]
        );
        assert_eq!(addresses(&d, WAF_LOGS), ["aws_wafv2_web_acl.silent"]);
        let trail = failures(&d, &[CLOUDTRAIL]);
        assert_eq!(trail.len(), 1);
        assert_eq!(trail[0].argument, "enable_log_file_validation");
    }

    #[test]
    fn audit_logs_keep_a_year() {
        let d = doc(json!({"aws_cloudwatch_log_group": {
            "week": {"retention_in_days": 7}, "year": {"retention_in_days": 365}, "forever": {}}}));
        assert_eq!(addresses(&d, RETENTION), ["aws_cloudwatch_log_group.week"]);
    }

    #[test]
    fn the_pack_maps_every_listed_requirement() {
        let pack = Pack::pci_dss_4_0_1();
        let ids: Vec<&str> = pack.requirements().iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "1.3.1", "1.4.4", "3.5.1", "3.6.1", "3.7.4", "4.2.1", "6.4.2", "7.2.1", "7.2.2",
                "10.2.1", "10.5.1", "10.7.2"
            ]
        );
        assert!(pack.requirements().iter().all(|r| !r.rules.is_empty()));
    }
}
