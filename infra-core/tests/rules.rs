//! Rules at synth through the public API: each test is a program that makes a mistake the
//! types cannot catch and asserts the finding, beside the correct twin that synthesizes.

use infra_core::aws::{cloudwatch, dynamodb, iam, kms, route53, s3, sqs};
use infra_core::policy::{Principal, Statement, because, service};
use infra_core::rules::{Finding, Pack, RuleSet, Suppression};
use infra_core::{Meta, Stack, StackProblem, SynthError, UsEast1, UsWest2};
use serde_json::Value;

/// The findings of a failed synth (panics on success or on another kind of problem).
fn findings(stack: &Stack) -> Vec<Finding> {
    match stack.synth() {
        Err(SynthError::Invalid(problems)) => problems
            .into_iter()
            .map(|p| match p {
                StackProblem::Rule(f) => f,
                other => panic!("not a rule finding: {other}"),
            })
            .collect(),
        other => panic!("expected rule findings, got {other:?}"),
    }
}

fn rules_of(found: &[Finding]) -> Vec<(&str, &str, &str)> {
    found
        .iter()
        .map(|f| (f.rule, f.address.as_str(), f.argument.as_str()))
        .collect()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("infra-rules-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_reference_into_another_stack_fails_with_the_line_that_added_it() {
    let other = Stack::new();
    let foreign = other
        .aws::<UsEast1>("primary")
        .add("key", kms::Key::default());
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let line = line!() + 1;
    east.add(
        "logs",
        cloudwatch::LogGroup {
            kms_key_id: Some(foreign.arn()),
            ..Default::default()
        },
    );
    let found = findings(&stack);
    assert_eq!(
        rules_of(&found),
        [(
            "IC-REF-001",
            "aws_cloudwatch_log_group.primary_logs",
            "kms_key_id"
        )]
    );
    let at = found[0].location.expect("the location of `add`");
    assert_eq!((at.file(), at.line()), (file!(), line));
    let shown = found[0].to_string();
    assert!(
        shown.contains("`aws_kms_key.primary_key`") && shown.contains(&format!("rules.rs:{line}")),
        "{shown}"
    );

    // The twin: the key belongs to this stack (and lets CloudWatch Logs use it).
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("key", logs_key::<UsEast1>("us-east-1"));
    east.add(
        "logs",
        cloudwatch::LogGroup {
            kms_key_id: Some(key.arn()),
            ..Default::default()
        },
    );
    stack.synth().unwrap();
}

fn logs_key<R: infra_core::Region>(service_region: &str) -> kms::Key<R> {
    service_key(&format!("logs.{service_region}.amazonaws.com"))
}

/// A rotating key that the account root administers and `service` may use. The service is a
/// string: the rules' negative cases name the wrong one on purpose.
fn service_key<R: infra_core::Region>(service: &str) -> kms::Key<R> {
    kms::Key {
        enable_key_rotation: Some(true),
        policy: Some(
            infra_core::policy::KeyPolicy::new()
                .statement(
                    Statement::on_this_key([kms::AllKeyActions])
                        .principal(Principal::account_root("111122223333")),
                )
                .statement(
                    Statement::on_this_key([
                        kms::Encrypt,
                        kms::Decrypt,
                        kms::GenerateDataKey,
                        kms::DescribeKey,
                    ])
                    .principal(Principal::untyped_service(
                        service,
                        because("the rules' cases name any service"),
                    )),
                ),
        ),
        ..Default::default()
    }
}

#[test]
fn inside_stack_the_location_is_the_items_line() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let line = line!() + 4;
    infra_core::stack! {
        in east;
        key = kms::Key::default();
        audit = s3::Bucket { bucket: Some("Not_Valid".into()), ..Default::default() };
    }
    let _ = key;
    let found = findings(&stack);
    assert_eq!(
        rules_of(&found),
        [("IC-NAME-001", "aws_s3_bucket.primary_audit", "bucket")]
    );
    let at = found[0].location.unwrap();
    assert_eq!((at.file(), at.line()), (file!(), line));
}

#[test]
fn an_output_of_another_stacks_resource_fails() {
    let other = Stack::new();
    let foreign = other
        .aws::<UsEast1>("primary")
        .add("key", kms::Key::default());
    let stack = Stack::new();
    let own = stack
        .aws::<UsEast1>("primary")
        .add("own", kms::Key::default());
    stack.output("own_arn", own.arn());
    stack.output("key_arn", foreign.arn());
    let found = findings(&stack);
    assert_eq!(
        rules_of(&found),
        [("IC-REF-001", "output.key_arn", "value")]
    );
    assert_eq!(found[0].location, None);
}

#[test]
fn an_output_of_an_undeclared_variable_or_attribute_fails() {
    let stack = Stack::new();
    let key = stack
        .aws::<UsEast1>("primary")
        .add("key", kms::Key::default());
    stack.output("arn", key.arn());
    stack.output("typo", infra_core::Text::expression("var.enviroment"));
    stack.output(
        "attr",
        infra_core::Text::expression("aws_kms_key.primary_key.key_arn"),
    );
    let found = findings(&stack);
    assert_eq!(
        rules_of(&found),
        [
            ("IC-SCHEMA-001", "output.attr", "value"),
            ("IC-SCHEMA-001", "output.typo", "value")
        ]
    );
    assert!(
        found[1].message.contains("enviroment"),
        "{}",
        found[1].message
    );
}

#[test]
fn an_upper_case_environment_suffix_makes_an_invalid_bucket_name() {
    let build = |suffix: &str| {
        let stack = Stack::new();
        stack.aws::<UsEast1>("primary").add(
            "audit",
            s3::Bucket {
                bucket: Some(format!("payment-{suffix}-audit").into()),
                ..Default::default()
            },
        );
        stack
    };
    let found = findings(&build("Prod"));
    assert_eq!(
        rules_of(&found),
        [("IC-NAME-001", "aws_s3_bucket.primary_audit", "bucket")]
    );
    assert!(found[0].message.contains("`P`"), "{}", found[0].message);
    build("prod").synth().unwrap();
}

#[test]
fn a_bucket_prefix_without_room_for_terraforms_suffix_fails() {
    // `Bucket` has no typed `bucket_prefix`; the raw escape hatch writes one.
    let build = |prefix: &str| {
        let stack = Stack::new();
        stack.aws::<UsEast1>("primary").add_with(
            "audit",
            s3::Bucket::default(),
            Meta::new().raw_override("bucket_prefix", serde_json::json!(prefix)),
        );
        stack
    };
    // 38 characters: Terraform appends 26, past S3's 63.
    let found = findings(&build("payment-production-audit-logs-archive-"));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-NAME-001",
            "aws_s3_bucket.primary_audit",
            "bucket_prefix"
        )]
    );
    assert!(
        found[0].message.contains("38 characters") && found[0].message.contains("1 to 37"),
        "{}",
        found[0].message
    );
    build("payment-prod-audit-").synth().unwrap();
}

/// What a replica's `kms_key_arn` is overridden with (the types allow only the replica
/// region's key: `Replica::in_region(west_key.arn())`).
#[derive(Clone, Copy)]
enum ReplicaKey {
    /// The typed key of the replica's region.
    Typed,
    /// The table's own key, of us-east-1.
    TableRegions,
    /// No key (`null`).
    Absent,
}

/// A table in us-east-1 with a replica in us-west-2, whose key is `replica_key`.
fn replicated_table(replica_key: ReplicaKey) -> Stack {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_key = east.add(
        "key",
        kms::Key {
            enable_key_rotation: Some(true),
            ..Default::default()
        },
    );
    let west_key = west.add(
        "key",
        kms::Key {
            enable_key_rotation: Some(true),
            ..Default::default()
        },
    );
    let table = dynamodb::Table {
        name: "payments".into(),
        hash_key: "payment_id".into(),
        attribute: vec![dynamodb::Attribute::new(
            "payment_id",
            dynamodb::AttributeType::S,
        )],
        opts: dynamodb::TableOpts {
            billing_mode: Some(dynamodb::BillingMode::PayPerRequest),
            stream_enabled: Some(true),
            stream_view_type: Some(dynamodb::StreamViewType::NewAndOldImages),
            server_side_encryption: Some(dynamodb::ServerSideEncryption::kms(east_key.arn())),
            replica: vec![dynamodb::Replica::in_region(west_key.arn())],
            ..Default::default()
        },
    };
    let meta = match replica_key {
        ReplicaKey::Typed => Meta::new(),
        ReplicaKey::TableRegions => {
            Meta::new().raw_override_arg("replica.0.kms_key_arn", east_key.arn())
        }
        ReplicaKey::Absent => Meta::new().raw_override("replica.0.kms_key_arn", Value::Null),
    };
    east.add_with("payments", table, meta);
    stack
}

#[test]
fn a_replica_encrypted_with_a_key_of_the_tables_region_fails() {
    // The types refuse it (`Replica::in_region` takes the replica region's key); a raw
    // override does not.
    let found = findings(&replicated_table(ReplicaKey::TableRegions));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-DDB-002",
            "aws_dynamodb_table.primary_payments",
            "replica[0].kms_key_arn"
        )]
    );
    assert!(
        found[0]
            .message
            .contains("`aws_kms_key.primary_key`, a key of us-east-1"),
        "{}",
        found[0].message
    );
    replicated_table(ReplicaKey::Typed).synth().unwrap();
}

#[test]
fn a_replica_without_a_customer_key_fails_pci_3_5_1() {
    let cmk = *Pack::pci_dss_4_0_1()
        .rules()
        .find(|r| r.id() == "PCI-3.5.1-CMK")
        .expect("the pack has PCI-3.5.1-CMK");
    let build = |replica_key| {
        let stack = replicated_table(replica_key);
        stack.rules(RuleSet::core().with(cmk));
        stack
    };
    let found = findings(&build(ReplicaKey::Absent));
    assert_eq!(
        rules_of(&found),
        [(
            "PCI-3.5.1-CMK",
            "aws_dynamodb_table.primary_payments",
            "replica[0].kms_key_arn"
        )]
    );
    assert!(
        found[0]
            .message
            .contains("the replica in us-west-2 is not encrypted with a customer-managed key"),
        "{}",
        found[0].message
    );
    build(ReplicaKey::Typed).synth().unwrap();
}

#[test]
fn a_service_sending_to_a_queue_whose_key_does_not_admit_it_fails() {
    let build = |admitted: &str| {
        let stack = Stack::new();
        let east = stack.aws::<UsEast1>("primary");
        let key = east.add("key", service_key::<UsEast1>(admitted));
        let queue = east.add(
            "events",
            sqs::Queue {
                kms_master_key_id: Some(key.key_id()),
                ..Default::default()
            },
        );
        east.add(
            "events_policy",
            sqs::QueuePolicy {
                queue_url: queue.url(),
                policy: infra_core::policy::PolicyDocument::new().statement(
                    Statement::allow([sqs::SendMessage], queue.arn())
                        .principal(Principal::service(service::Sns)),
                ),
            },
        );
        stack
    };
    // The key admits EventBridge, the queue policy lets SNS send: SNS cannot encrypt.
    let found = findings(&build("events.amazonaws.com"));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-KMS-004",
            "aws_sqs_queue_policy.primary_events_policy",
            "policy"
        )]
    );
    assert!(
        found[0].message.contains(
            "lets `sns.amazonaws.com` send to `aws_sqs_queue.primary_events`, encrypted with `aws_kms_key.primary_key`"
        ),
        "{}",
        found[0].message
    );
    build("sns.amazonaws.com").synth().unwrap();
}

#[test]
fn every_problem_is_listed_at_once_and_nothing_is_written() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add(
        "a",
        s3::Bucket {
            bucket: Some("Bad_Name".into()),
            ..Default::default()
        },
    );
    east.add(
        "role",
        iam::Role {
            assume_role_policy: infra_core::policy::PolicyDocument::trust(service::Lambda),
            opts: iam::RoleOpts {
                name: Some("r".repeat(65).into()),
                ..Default::default()
            },
        },
    );
    east.add(
        "alias",
        kms::Alias {
            name: "alias/aws/mine".into(),
            target_key_id: east.add("k", kms::Key::default()).key_id(),
            opts: Default::default(),
        },
    );
    let found = findings(&stack);
    assert_eq!(
        found.iter().map(|f| f.rule).collect::<Vec<_>>(),
        ["IC-NAME-001", "IC-NAME-002", "IC-NAME-006"]
    );
    let dir = scratch("nothing");
    assert!(stack.write(&dir).is_err());
    assert!(!dir.exists(), "a failed synth wrote {dir:?}");
}

#[test]
fn rules_run_once_building_succeeds() {
    // A duplicate name is reported alone: the rules run over a document that was built without
    // problems, so they never echo a building mistake (an invalid `depends_on` entry would
    // also read as a dangling reference).
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add("key", kms::Key::default());
    east.add("key", kms::Key::default());
    east.add(
        "audit",
        s3::Bucket {
            bucket: Some("Upper".into()),
            ..Default::default()
        },
    );
    let Err(SynthError::Invalid(problems)) = stack.synth() else {
        panic!("synth passed")
    };
    assert!(
        matches!(&problems[..], [StackProblem::DuplicateName { .. }]),
        "{problems:?}"
    );
}

#[test]
fn raw_output_is_an_explicit_opt_out() {
    let stack = Stack::new();
    stack.aws::<UsEast1>("primary").add(
        "a",
        s3::Bucket {
            bucket: Some("Bad".into()),
            ..Default::default()
        },
    );
    assert!(stack.synth().is_err());
    assert!(stack.synth_unchecked().is_ok());
    stack.rules(RuleSet::none());
    assert!(stack.synth().is_ok());
}

fn failover(guard_with_west: bool) -> Stack {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let site_east = east.add("site", s3::Bucket::default());
    let site_west = west.add("site", s3::Bucket::default());
    let zone = east.add(
        "zone",
        route53::Zone {
            name: "example.com".into(),
            opts: Default::default(),
        },
    );
    let check = |aws_name: &str, fqdn| {
        east.add(
            aws_name,
            route53::HealthCheck {
                r#type: route53::HealthCheckType::Https,
                opts: route53::HealthCheckOpts {
                    fqdn: Some(fqdn),
                    port: Some(443),
                    ..Default::default()
                },
            },
        )
    };
    let east_check = check("east_health", route53::Fqdn::bucket(&site_east));
    let west_check = check("west_health", route53::Fqdn::bucket(&site_west));
    let guard = if guard_with_west {
        west_check
    } else {
        east_check
    };
    east.add(
        "primary",
        route53::Record {
            zone_id: zone.zone_id(),
            name: "www.example.com".into(),
            r#type: route53::RecordType::A,
            opts: route53::RecordOpts {
                alias: Some(route53::Alias {
                    name: site_east.bucket_regional_domain_name(),
                    zone_id: "Z3AQBSTGFYJSTF".into(),
                    evaluate_target_health: true,
                }),
                set_identifier: Some("primary".into()),
                health_check_id: Some(guard.id()),
                failover_routing_policy: Some(route53::FailoverRoutingPolicy {
                    r#type: route53::FailoverType::Primary,
                }),
                ..Default::default()
            },
        },
    );
    stack
}

#[test]
fn a_failover_primary_guarded_by_the_other_regions_health_check_fails() {
    let found = findings(&failover(true));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-DNS-001",
            "aws_route53_record.primary_primary",
            "health_check_id"
        )]
    );
    assert!(
        found[0].message.contains("us-west-2"),
        "{}",
        found[0].message
    );
    failover(false).synth().unwrap();
}

fn replication(version_destination: bool) -> Stack {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let source = east.add("audit", s3::Bucket::default());
    let dest = west.add("audit", s3::Bucket::default());
    let west_key = west.add(
        "key",
        kms::Key {
            enable_key_rotation: Some(true),
            ..Default::default()
        },
    );
    let versioned = s3::VersioningConfiguration::enabled();
    east.add(
        "audit_versioning",
        s3::Versioning {
            bucket: source.id(),
            versioning_configuration: versioned.clone(),
            opts: Default::default(),
        },
    );
    if version_destination {
        west.add(
            "audit_versioning",
            s3::Versioning {
                bucket: dest.id(),
                versioning_configuration: versioned,
                opts: Default::default(),
            },
        );
    }
    let role = east.add(
        "replication",
        iam::Role {
            assume_role_policy: infra_core::policy::PolicyDocument::trust(service::S3),
            opts: Default::default(),
        },
    );
    east.add(
        "audit_replication",
        s3::ReplicationConfiguration {
            bucket: source.id(),
            role: role.arn(),
            rule: vec![s3::ReplicationRule {
                id: Some("to-west".into()),
                status: "Enabled".into(),
                priority: None,
                filter: None,
                prefix: None,
                delete_marker_replication: None,
                existing_object_replication: None,
                destination: s3::ReplicationDestination::new(dest.arn(), west_key.arn()),
                source_selection_criteria: None,
            }],
            opts: Default::default(),
        },
    );
    stack
}

#[test]
fn replication_into_an_unversioned_bucket_fails() {
    let found = findings(&replication(false));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-S3-001",
            "aws_s3_bucket_replication_configuration.primary_audit_replication",
            "rule[0].destination.bucket"
        )]
    );
    assert!(found[0].message.contains("`aws_s3_bucket.secondary_audit`"));
    replication(true).synth().unwrap();
}

#[test]
fn a_log_group_key_that_does_not_admit_cloudwatch_logs_fails() {
    let build = |service_region: &str| {
        let stack = Stack::new();
        let west = stack.aws::<UsWest2>("secondary");
        let key = west.add("key", logs_key::<UsWest2>(service_region));
        west.add(
            "logs",
            cloudwatch::LogGroup {
                kms_key_id: Some(key.arn()),
                ..Default::default()
            },
        );
        stack
    };
    // The policy names the primary region's Logs principal: CloudWatch refuses it at apply.
    let found = findings(&build("us-east-1"));
    assert_eq!(
        rules_of(&found),
        [(
            "IC-KMS-001",
            "aws_cloudwatch_log_group.secondary_logs",
            "kms_key_id"
        )]
    );
    assert!(found[0].message.contains("logs.us-west-2.amazonaws.com"));
    build("us-west-2").synth().unwrap();
}

#[test]
fn a_key_policy_granting_everything_to_everyone_fails() {
    // The typed policy has no `*` principal; the raw escape hatch can still write one.
    let build = |principal: &str| {
        let stack = Stack::new();
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{principal},"Action":"kms:*","Resource":"*"}}]}}"#
        );
        stack.aws::<UsEast1>("primary").add_with(
            "key",
            kms::Key {
                enable_key_rotation: Some(true),
                ..Default::default()
            },
            Meta::new().raw_override("policy", serde_json::json!(policy)),
        );
        stack
    };
    let found = findings(&build(r#""*""#));
    assert_eq!(
        rules_of(&found),
        [("IC-KMS-002", "aws_kms_key.primary_key", "policy")]
    );
    build(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#)
        .synth()
        .unwrap();
}

#[test]
fn suppressions_need_a_finding_and_are_listed_in_the_report() {
    let build = || {
        let stack = Stack::new();
        let east = stack.aws::<UsEast1>("primary");
        let key = east.add("key", logs_key::<UsEast1>("us-east-1"));
        east.add(
            "logs",
            cloudwatch::LogGroup {
                kms_key_id: Some(key.arn()),
                retention_in_days: Some(7),
                ..Default::default()
            },
        );
        stack.rule_pack(Pack::pci_dss_4_0_1());
        stack
    };
    let stack = build();
    let found = findings(&stack);
    assert_eq!(
        rules_of(&found),
        [(
            "PCI-10.5.1-RETENTION",
            "aws_cloudwatch_log_group.primary_logs",
            "retention_in_days"
        )]
    );

    let reason = "debug logs only; the audit trail is kept 365 days elsewhere";
    stack.suppress([Suppression::new(
        "PCI-10.5.1-RETENTION",
        "aws_cloudwatch_log_group.primary_logs",
        because(reason),
    )]);
    let reports = stack.compliance().unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].passed());
    assert_eq!(reports[0].requirement_status("10.5.1"), Some("pass"));
    assert_eq!(reports[0].value()["suppressions"][0]["reason"], reason);

    let dir = scratch("report");
    stack.write(&dir).unwrap();
    let json = std::fs::read_to_string(dir.join("compliance.json")).unwrap();
    let md = std::fs::read_to_string(dir.join("compliance.md")).unwrap();
    assert!(
        md.contains(&format!(
            "`PCI-10.5.1-RETENTION` on `aws_cloudwatch_log_group.primary_logs`: {reason}"
        )),
        "{md}"
    );
    // Deterministic: a second build writes the same bytes.
    let again = build();
    again.suppress([Suppression::new(
        "PCI-10.5.1-RETENTION",
        "aws_cloudwatch_log_group.primary_logs",
        because(reason),
    )]);
    again.write(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("compliance.json")).unwrap(),
        json
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // A suppression that matches nothing is itself a problem.
    let stale = build();
    stale.suppress([
        Suppression::new(
            "PCI-10.5.1-RETENTION",
            "aws_cloudwatch_log_group.primary_logs",
            because(reason),
        ),
        Suppression::new(
            "PCI-10.5.1-RETENTION",
            "aws_cloudwatch_log_group.gone",
            because(reason),
        ),
    ]);
    let Err(SynthError::Invalid(problems)) = stale.synth() else {
        panic!("a stale suppression passed")
    };
    assert!(
        matches!(&problems[..], [StackProblem::UnusedSuppression { rule: "PCI-10.5.1-RETENTION", address }]
        if address == "aws_cloudwatch_log_group.gone"),
        "{problems:?}"
    );
}

#[test]
fn without_a_pack_no_report_is_written_and_a_stale_one_is_removed() {
    let dir = scratch("no-pack");
    let with_pack = Stack::new();
    with_pack.rule_pack(Pack::pci_dss_4_0_1());
    with_pack.write(&dir).unwrap();
    assert!(dir.join("compliance.json").exists() && dir.join("compliance.md").exists());
    let stack = Stack::new();
    stack
        .aws::<UsEast1>("primary")
        .add("key", kms::Key::default());
    stack.write(&dir).unwrap();
    assert!(!dir.join("compliance.json").exists());
    assert!(!dir.join("compliance.md").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
